// Noted: records audio in the browser (Web Audio API) as 16 kHz mono 16-bit PCM and streams it
// to the server while recording, in 5-second chunks (`PUT /api/v1/recordings/{id}/chunks/{seq}`,
// README "chunk API"). Every chunk is kept in IndexedDB until the server acknowledges it and is
// resent, in order, until it is: a network drop loses nothing, and a reloaded page finds the
// chunks not yet sent and offers to send and finish them. Stop + "Upload and transcribe" sends
// what is left and finishes the recording. This one file is both the page script and, when
// loaded with audioWorklet.addModule, the capture worklet (the CSP allows scripts from 'self'
// only).
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
  var CHUNK = OUT_RATE * 5; // samples per chunk sent to the server
  var RETRY_MS = 2000;

  function $(id) { return document.getElementById(id); }

  // Streaming box-filter downsampler to 16 kHz, output as Int16 chunks handed to `onChunk`
  // (nothing of the recording accumulates in the page).
  function Downsampler(inRate, onChunk) {
    this.ratio = inRate / OUT_RATE;
    this.acc = 0; this.cnt = 0; this.pos = 0; this.next = this.ratio;
    this.onChunk = onChunk; this.cur = new Int16Array(CHUNK); this.fill = 0; this.total = 0;
  }
  Downsampler.prototype.push = function (samples) {
    for (var i = 0; i < samples.length; i++) {
      this.acc += samples[i]; this.cnt++; this.pos++;
      if (this.pos >= this.next) {
        var v = this.acc / this.cnt;
        v = v < -1 ? -1 : v > 1 ? 1 : v;
        this.cur[this.fill++] = v < 0 ? v * 0x8000 : v * 0x7fff;
        this.total++;
        if (this.fill === CHUNK) { this.onChunk(this.cur); this.cur = new Int16Array(CHUNK); this.fill = 0; }
        this.acc = 0; this.cnt = 0; this.next += this.ratio;
      }
    }
  };
  // Hands over the samples of a chunk not yet full (at Stop).
  Downsampler.prototype.flush = function () {
    if (this.fill) { this.onChunk(this.cur.slice(0, this.fill)); this.cur = new Int16Array(CHUNK); this.fill = 0; }
  };

  // ----- Chunks kept in IndexedDB until acknowledged -------------------------------------------
  // Store "chunks": {rid, seq, bytes} keyed [rid, seq]; store "recordings": {rid, client, sent,
  // total, finished}. Without IndexedDB (private windows of some browsers) chunks stay in memory.
  var DB = null;
  function openDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var req;
      try { req = indexedDB.open("noted-recorder", 1); } catch (e) { resolve(null); return; }
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("chunks", { keyPath: ["rid", "seq"] });
        db.createObjectStore("recordings", { keyPath: "rid" });
      };
      req.onsuccess = function () { DB = req.result; resolve(DB); };
      req.onerror = function () { resolve(null); };
    });
  }
  function idb(store, mode, fn) {
    return new Promise(function (resolve, reject) {
      if (!DB) { resolve(null); return; }
      var tx = DB.transaction(store, mode);
      var out = fn(tx.objectStore(store));
      tx.oncomplete = function () { resolve(out && "result" in out ? out.result : null); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }
  function saveMeta(meta) { return idb("recordings", "readwrite", function (s) { return s.put(meta); }); }
  function forget(rid) {
    return Promise.all([
      idb("recordings", "readwrite", function (s) { return s.delete(rid); }),
      idb("chunks", "readwrite", function (s) { return s.delete(IDBKeyRange.bound([rid, 0], [rid, Infinity])); }),
    ]);
  }

  // Sends a recording's chunks in order, one at a time; a chunk leaves IndexedDB once the
  // server acknowledged it; network failures and 5xx are retried every RETRY_MS.
  function Outbox(rid, csrf, onChange) {
    this.rid = rid; this.csrf = csrf; this.onChange = onChange;
    this.queue = []; this.mem = {}; this.next = 0; this.acked = 0; this.sending = false;
    this.offline = false; this.fatal = null; this.waiters = [];
  }
  Outbox.prototype.total = function () { return this.next; };
  Outbox.prototype.pending = function () { return this.queue.length; };
  Outbox.prototype.add = function (samples) {
    var seq = this.next++;
    var bytes = samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength);
    this.mem[seq] = bytes;
    this.queue.push(seq);
    var self = this;
    idb("chunks", "readwrite", function (s) { return s.put({ rid: self.rid, seq: seq, bytes: bytes }); })
      .catch(function () {}) // kept in memory anyway
      .then(function () { self.pump(); });
    this.onChange();
  };
  Outbox.prototype.pump = function () {
    var self = this;
    if (this.sending || this.fatal || !this.queue.length) { this.settle(); return; }
    this.sending = true;
    var seq = this.queue[0];
    fetch("/api/v1/recordings/" + this.rid + "/chunks/" + seq, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": this.csrf },
      body: this.mem[seq],
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        self.sending = false;
        if (resp.ok) {
          self.queue.shift(); delete self.mem[seq]; self.acked++; self.offline = false;
          idb("chunks", "readwrite", function (s) { return s.delete([self.rid, seq]); }).catch(function () {});
          self.onChange();
          self.pump();
        } else if (resp.status >= 500 || resp.status === 429) {
          self.retry();
        } else {
          self.fatal = "the server refused chunk " + seq + " (" + resp.status + "): " + (body.error || resp.statusText);
          self.onChange();
          self.settle();
        }
      });
    }, function () {
      self.sending = false;
      self.retry();
    });
  };
  Outbox.prototype.retry = function () {
    var self = this;
    this.offline = true;
    this.onChange();
    setTimeout(function () { self.pump(); }, RETRY_MS);
  };
  Outbox.prototype.settle = function () {
    if (this.queue.length && !this.fatal) return;
    var w = this.waiters; this.waiters = [];
    w.forEach(function (f) { f(); });
  };
  // Resolves once every chunk is acknowledged (rejects if the server refused one).
  Outbox.prototype.drained = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      self.waiters.push(function () { if (self.fatal) reject(new Error(self.fatal)); else resolve(); });
      self.pump();
    });
  };

  function api(method, url, csrf, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (b) {
        if (!resp.ok) throw new Error("(" + resp.status + ") " + (b.error || resp.statusText));
        return b;
      });
    });
  }

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
    var stored = $("r-stored"), transcribed = $("r-transcribed");
    var csrf = root.getAttribute("data-csrf");
    var clientId = parseInt(root.getAttribute("data-client-id"), 10);
    var ctx = null, stream = null, node = null, source = null, ds = null, paused = false;
    var rid = null, outbox = null, state = "idle", finishing = false;

    function say(msg, isError) {
      status.textContent = msg;
      status.className = isError ? "error" : "";
    }
    function buttons(s) {
      state = s;
      startB.disabled = s !== "idle";
      pauseB.disabled = s !== "recording" && s !== "paused";
      stopB.disabled = s !== "recording" && s !== "paused";
      uploadB.disabled = s !== "stopped";
      discardB.disabled = s !== "stopped";
      pauseB.textContent = s === "paused" ? "Resume" : "Pause";
    }
    // How far the server is: audio stored, and transcribed while recording (every 10 s).
    var poller = null;
    function pollServer() {
      if (!rid || document.hidden) return;
      api("GET", "/api/v1/recordings/" + rid + "/chunks", csrf).then(function (st) {
        if (stored) stored.value = fmtTime(st.seconds);
        if (transcribed) transcribed.value = fmtTime(st.transcribed_seconds || 0);
      }, function () {});
    }
    function setRecording(id) {
      if (poller) { clearInterval(poller); poller = null; }
      if (id) poller = setInterval(pollServer, 10000);
      rid = id;
      if (id) root.setAttribute("data-recording-id", String(id)); else root.removeAttribute("data-recording-id");
    }

    // Reports the outbox: the progress bar is the share of chunks the server has.
    function onOutbox() {
      if (!outbox) return;
      var total = outbox.total();
      progress.value = total ? outbox.acked / total : 0;
      root.setAttribute("data-chunks-sent", String(outbox.acked));
      if (outbox.fatal) { say("Cannot send the recording: " + outbox.fatal, true); return; }
      if (finishing) {
        say("Uploading… " + Math.round(100 * (total ? outbox.acked / total : 1)) + " %");
      } else if (outbox.offline && (state === "recording" || state === "paused")) {
        say("Recording. The server cannot be reached: " + outbox.pending() +
          " chunk(s) kept in this browser, sent as soon as it is back.", true);
      } else if (state === "recording" && status.className === "error") {
        say("Recording. The connection is back; everything recorded is on the server.");
      }
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

    // Creates the recording on the server (it is in the chart from now on).
    function createRecording() {
      var kind = (root.querySelector("input[name=kind]:checked") || {}).value || "session";
      var session = $("r-session").value;
      var body = { client_id: clientId, format: "pcm16", sample_rate: OUT_RATE, kind: kind, keep_audio: $("r-keep").checked };
      if (session) body.therapy_session_id = parseInt(session, 10);
      return api("POST", "/api/v1/recordings", csrf, body).then(function (b) {
        setRecording(b.recording.id);
        outbox = new Outbox(rid, csrf, onOutbox);
        return saveMeta({ rid: rid, client: clientId, started: Date.now() }).catch(function () {});
      });
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
        return createRecording();
      }).then(function () {
        if (!ctx) throw new Error("the recording was reset");
        source = ctx.createMediaStreamSource(stream);
        ds = new Downsampler(ctx.sampleRate, function (chunk) { outbox.add(chunk); });
        paused = false;
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
        say("Cannot record: " + (e && e.message ? e.message : e) + ". Check the microphone permission and the connection.", true);
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
        buttons("stopped");
        say("Nothing was recorded. Discard it.", true);
        discardB.focus();
        return;
      }
      ds.flush();
      buttons("stopped");
      say("Stopped after " + fmtTime(ds.total / OUT_RATE) + ". Upload it, or discard it.");
      uploadB.focus();
    }

    function reset(msg) {
      ds = null; outbox = null; finishing = false; setRecording(null);
      elapsed.value = fmtTime(0); progress.value = 0;
      buttons("idle");
      say(msg);
      startB.focus();
    }

    function discard() {
      var id = rid;
      uploadB.disabled = true; discardB.disabled = true;
      if (outbox) outbox.fatal = "discarded";
      var done = function () { forget(id).catch(function () {}); reset("Discarded. Ready."); };
      if (!id) { done(); return; }
      api("POST", "/api/v1/recordings/" + id + "/discard", csrf).then(done, function (e) {
        uploadB.disabled = false; discardB.disabled = false;
        say("Could not discard: " + e.message, true);
      });
    }

    // Sends what is left, then finishes the recording (transcription and the draft follow).
    function upload() {
      if (!outbox) return;
      var id = rid;
      finishing = true;
      uploadB.disabled = true; discardB.disabled = true;
      onOutbox();
      outbox.drained().then(function () {
        return api("POST", "/api/v1/recordings/" + id + "/finish", csrf, { chunks: outbox.total() });
      }).then(function (b) {
        progress.value = 1;
        finishing = false;
        forget(id).catch(function () {});
        say("Uploaded. Opening the transcription progress…");
        outbox = null;
        window.location.href = "/recordings/" + b.recording.id;
      }, function (e) {
        finishing = false;
        uploadB.disabled = false; discardB.disabled = false;
        say("Upload failed: " + e.message + ". The recording is kept; try again.", true);
      });
    }

    // A recording this browser had not finished (page closed or reloaded): resend what the
    // server lacks from IndexedDB and offer to finish or discard it.
    function resume() {
      return idb("recordings", "readonly", function (s) { return s.getAll(); }).then(function (metas) {
        var meta = (metas || []).filter(function (m) { return m.client === clientId; })[0];
        if (!meta) return;
        return api("GET", "/api/v1/recordings/" + meta.rid + "/chunks", csrf).then(function (st) {
          if (st.state === "finished" || st.state === "discarded") { forget(meta.rid).catch(function () {}); return; }
          return idb("chunks", "readonly", function (s) {
            return s.getAll(IDBKeyRange.bound([meta.rid, 0], [meta.rid, Infinity]));
          }).then(function (rows) {
            setRecording(meta.rid);
            outbox = new Outbox(meta.rid, csrf, onOutbox);
            rows = (rows || []).sort(function (a, b) { return a.seq - b.seq; });
            var last = rows.length ? rows[rows.length - 1].seq + 1 : 0;
            outbox.next = Math.max(st.next_seq, last);
            outbox.acked = outbox.next - rows.length;
            rows.forEach(function (r) { outbox.mem[r.seq] = r.bytes; outbox.queue.push(r.seq); });
            elapsed.value = fmtTime(st.seconds + rows.reduce(function (a, r) { return a + r.bytes.byteLength; }, 0) / (2 * OUT_RATE));
            buttons("stopped");
            say("An unfinished recording from this browser was found (" + fmtTime(st.seconds) + " on the server, " +
              rows.length + " chunk(s) still here). Upload and transcribe it, or discard it.");
            outbox.pump();
          });
        }, function () { /* gone or not ours: leave it */ });
      });
    }

    startB.addEventListener("click", start);
    pauseB.addEventListener("click", togglePause);
    stopB.addEventListener("click", stop);
    uploadB.addEventListener("click", upload);
    discardB.addEventListener("click", discard);
    window.addEventListener("beforeunload", function (e) {
      if (ctx || (outbox && outbox.pending())) { e.preventDefault(); e.returnValue = ""; }
    });
    buttons("idle");
    openDb().then(resume).catch(function () {});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
