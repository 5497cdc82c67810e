// Noted: records audio in the browser (Web Audio API), encodes 16 kHz mono 16-bit PCM WAV,
// and uploads it with progress. This one file is both the page script and, when loaded with
// audioWorklet.addModule, the capture worklet (the CSP allows scripts from 'self' only).
(function () {
  "use strict";

  // ----- Worklet side -------------------------------------------------------------------------
  if (typeof AudioWorkletGlobalScope !== "undefined" && typeof registerProcessor === "function") {
    registerProcessor("noted-capture", class extends AudioWorkletProcessor {
      process(inputs) {
        var input = inputs[0];
        if (input && input.length) {
          // Downmix to mono and hand a copy to the page.
          var n = input[0].length;
          var mono = new Float32Array(n);
          for (var c = 0; c < input.length; c++) {
            var ch = input[c];
            for (var i = 0; i < n; i++) mono[i] += ch[i] / input.length;
          }
          this.port.postMessage(mono, [mono.buffer]);
        }
        return true;
      }
    });
    return;
  }

  // ----- Page side --------------------------------------------------------------------------
  var OUT_RATE = 16000;
  var CHUNK = OUT_RATE * 10; // samples per stored Int16Array chunk

  function $(id) { return document.getElementById(id); }

  // Streaming box-filter downsampler to 16 kHz, output as Int16 chunks (no whole-recording
  // float buffer: 90 minutes stay ~170 MB smaller).
  function Downsampler(inRate) {
    this.ratio = inRate / OUT_RATE;
    this.acc = 0; this.cnt = 0; this.pos = 0; this.next = this.ratio;
    this.chunks = []; this.cur = new Int16Array(CHUNK); this.fill = 0; this.total = 0;
  }
  Downsampler.prototype.push = function (samples) {
    for (var i = 0; i < samples.length; i++) {
      this.acc += samples[i]; this.cnt++; this.pos++;
      if (this.pos >= this.next) {
        var v = this.acc / this.cnt;
        v = v < -1 ? -1 : v > 1 ? 1 : v;
        this.cur[this.fill++] = v < 0 ? v * 0x8000 : v * 0x7fff;
        this.total++;
        if (this.fill === CHUNK) { this.chunks.push(this.cur); this.cur = new Int16Array(CHUNK); this.fill = 0; }
        this.acc = 0; this.cnt = 0; this.next += this.ratio;
      }
    }
  };
  Downsampler.prototype.wav = function () {
    var parts = this.chunks.slice();
    if (this.fill) parts.push(this.cur.slice(0, this.fill));
    var dataBytes = this.total * 2;
    var h = new DataView(new ArrayBuffer(44));
    function str(off, s) { for (var i = 0; i < s.length; i++) h.setUint8(off + i, s.charCodeAt(i)); }
    str(0, "RIFF"); h.setUint32(4, 36 + dataBytes, true); str(8, "WAVE");
    str(12, "fmt "); h.setUint32(16, 16, true); h.setUint16(20, 1, true); h.setUint16(22, 1, true);
    h.setUint32(24, OUT_RATE, true); h.setUint32(28, OUT_RATE * 2, true);
    h.setUint16(32, 2, true); h.setUint16(34, 16, true);
    str(36, "data"); h.setUint32(40, dataBytes, true);
    return new Blob([h.buffer].concat(parts), { type: "audio/wav" });
  };

  function fmtTime(s) {
    s = Math.floor(s);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var mm = (h ? (m < 10 ? "0" : "") : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec;
  }

  function init() {
    var root = $("recorder");
    if (!root) return;
    var startB = $("r-start"), pauseB = $("r-pause"), stopB = $("r-stop");
    var uploadB = $("r-upload"), discardB = $("r-discard");
    var level = $("r-level"), elapsed = $("r-elapsed"), progress = $("r-progress"), status = $("r-status");
    var ctx = null, stream = null, node = null, source = null, ds = null, paused = false, blob = null;

    function say(msg, isError) {
      status.textContent = msg;
      status.className = isError ? "error" : "";
    }
    function buttons(state) {
      startB.disabled = state !== "idle";
      pauseB.disabled = state !== "recording" && state !== "paused";
      stopB.disabled = state !== "recording" && state !== "paused";
      uploadB.disabled = state !== "stopped";
      discardB.disabled = state !== "stopped";
      pauseB.textContent = state === "paused" ? "Resume" : "Pause";
    }

    function onSamples(samples) {
      // Blocks still queued when the microphone is released are not part of the recording.
      if (!ctx) return;
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      level.value = Math.min(1, Math.sqrt(sum / Math.max(1, samples.length)) * 4);
      if (paused || !ds) return;
      ds.push(samples);
      elapsed.value = fmtTime(ds.total / OUT_RATE);
    }

    function teardown() {
      try { if (source) source.disconnect(); } catch (e) {}
      try { if (node) node.disconnect(); } catch (e) {}
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      if (ctx) ctx.close();
      ctx = stream = node = source = null;
      level.value = 0;
    }

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say("This browser cannot record audio here (a secure connection — HTTPS or localhost — is required).", true);
        return;
      }
      say("Asking for the microphone…");
      startB.disabled = true; // a second click would open a second microphone stream
      // The audio context is made here, inside the click: browsers that tie audio to a user
      // gesture (Safari) would otherwise leave it suspended once the permission prompt is
      // answered, and nothing would be recorded.
      var AC = window.AudioContext || window.webkitAudioContext;
      try {
        ctx = new AC();
      } catch (e) {
        buttons("idle");
        say("Cannot record: this browser has no usable audio engine (" + (e && e.message ? e.message : e) + ").", true);
        return;
      }
      // No browser processing: whisper normalises the level itself, and automatic gain control
      // (made for calls) pumps the level, boosting the first seconds ~2.5x (measured with
      // tests/browser/record.mjs; word error rate 0.32-0.45 with it, 0.23-0.39 without).
      navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false }
      }).then(function (s) {
        stream = s;
        if (!ctx) throw new Error("the recording was reset");
        if (ctx.state === "suspended" && ctx.resume) ctx.resume();
        source = ctx.createMediaStreamSource(stream);
        ds = new Downsampler(ctx.sampleRate);
        paused = false; blob = null;
        var sink = ctx.createGain(); sink.gain.value = 0; // keep the graph pulling, silently
        var useWorklet = ctx.audioWorklet && window.AudioWorkletNode;
        var ready = useWorklet
          ? ctx.audioWorklet.addModule("/static/recorder.js").then(function () {
              node = new AudioWorkletNode(ctx, "noted-capture");
              node.port.onmessage = function (e) { onSamples(e.data); };
            })
          : Promise.resolve().then(function () {
              node = ctx.createScriptProcessor(4096, 1, 1);
              node.onaudioprocess = function (e) { onSamples(e.inputBuffer.getChannelData(0)); };
            });
        return ready.then(function () {
          source.connect(node); node.connect(sink); sink.connect(ctx.destination);
          buttons("recording");
          say("Recording. Press Pause to pause, Stop when finished.");
          pauseB.focus();
        });
      }).catch(function (e) {
        teardown();
        buttons("idle");
        say("Cannot record: " + (e && e.message ? e.message : e) + ". Check the microphone permission.", true);
      });
    }

    function togglePause() {
      paused = !paused;
      buttons(paused ? "paused" : "recording");
      say(paused ? "Paused. Press Resume to continue." : "Recording.");
    }

    function stop() {
      teardown();
      if (!ds || ds.total === 0) {
        buttons("idle");
        say("Nothing was recorded.", true);
        return;
      }
      blob = ds.wav();
      var max = parseInt(root.getAttribute("data-max-bytes"), 10);
      buttons("stopped");
      if (max && blob.size > max) {
        say("The recording (" + Math.round(blob.size / 1048576) + " MB) is larger than the server accepts.", true);
        uploadB.disabled = true;
        return;
      }
      say("Stopped after " + fmtTime(ds.total / OUT_RATE) + ". Upload it, or discard it.");
      uploadB.focus();
    }

    function discard() {
      blob = null; ds = null;
      elapsed.value = fmtTime(0); progress.value = 0;
      buttons("idle");
      say("Discarded. Ready.");
      startB.focus();
    }

    function upload() {
      if (!blob) return;
      var kind = (root.querySelector("input[name=kind]:checked") || {}).value || "session";
      var session = $("r-session").value;
      var keep = $("r-keep").checked;
      var url = root.getAttribute("data-upload-url") + "?kind=" + encodeURIComponent(kind) +
        "&keep_audio=" + (keep ? "true" : "false") + "&filename=recording.wav" +
        (session ? "&therapy_session_id=" + encodeURIComponent(session) : "");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Content-Type", "audio/wav");
      xhr.setRequestHeader("X-CSRF-Token", root.getAttribute("data-csrf"));
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          progress.value = e.loaded / e.total;
          say("Uploading… " + Math.round(100 * e.loaded / e.total) + " %");
        }
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) {}
        if (xhr.status === 202 && body.recording) {
          progress.value = 1;
          blob = null; ds = null;
          say("Uploaded. Opening the transcription progress…");
          window.location.href = "/recordings/" + body.recording.id;
        } else {
          uploadB.disabled = false; discardB.disabled = false;
          say("Upload refused (" + xhr.status + "): " + (body.error || xhr.statusText), true);
        }
      };
      xhr.onerror = function () {
        uploadB.disabled = false; discardB.disabled = false;
        say("Upload failed: the server could not be reached. The recording is still here; try again.", true);
      };
      uploadB.disabled = true; discardB.disabled = true;
      xhr.send(blob);
    }

    startB.addEventListener("click", start);
    pauseB.addEventListener("click", togglePause);
    stopB.addEventListener("click", stop);
    uploadB.addEventListener("click", upload);
    discardB.addEventListener("click", discard);
    window.addEventListener("beforeunload", function (e) {
      if (blob || (ds && ds.total && ctx)) { e.preventDefault(); e.returnValue = ""; }
    });
    buttons("idle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
