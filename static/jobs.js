// Noted: live job progress (Server-Sent Events) and play-from-segment (transcript corrections
// are saved by transcript.js). No inline scripts: the CSP is script-src 'self'.
(function () {
  "use strict";
  if (window.notedJobsLoaded) return; // included by several page sections
  window.notedJobsLoaded = true;

  var TERMINAL = { done: true, failed: true, cancelled: true };

  function watchJob(el) {
    var url = el.getAttribute("data-job-events");
    if (!url || !window.EventSource) return;
    var stateEl = el.querySelector("[data-job-state]");
    var progEl = el.querySelector("[data-job-progress]");
    var pctEl = el.querySelector("[data-job-percent]");
    var stageEl = el.querySelector("[data-job-stage]");
    var errEl = el.querySelector("[data-job-error]");
    var source = new EventSource(url);
    source.onmessage = function (msg) {
      var ev;
      try { ev = JSON.parse(msg.data); } catch (e) { return; }
      if (stateEl) {
        stateEl.textContent = ev.cancel_requested && ev.state === "running" ? "cancelling" : ev.state;
      }
      if (progEl) progEl.value = ev.progress || 0;
      if (pctEl) pctEl.textContent = Math.round((ev.progress || 0) * 100) + " %";
      if (stageEl) stageEl.textContent = ev.stage || "";
      if (errEl) {
        errEl.textContent = ev.error || "";
        errEl.hidden = !ev.error;
      }
      if (TERMINAL[ev.state]) {
        source.close();
        if (el.hasAttribute("data-reload-on-done")) {
          window.location.reload();
        }
      }
    };
    source.addEventListener("error", function (msg) {
      // A named `error` event from the server (unknown job): stop. Network errors reconnect.
      if (msg && msg.data) source.close();
    });
  }

  function playFrom(button) {
    var player = document.getElementById("player");
    if (!player) return;
    var t = parseFloat(button.getAttribute("data-play-from"));
    if (isNaN(t)) return;
    player.currentTime = t;
    var p = player.play();
    if (p && p.catch) p.catch(function () {});
  }

  function statusCell(r) {
    var td = document.createElement("td");
    var live = r.job_id && (r.job_state === "queued" || r.job_state === "running");
    if (live) {
      var span = document.createElement("span");
      span.className = "job-live";
      span.setAttribute("data-job-events", "/api/v1/jobs/" + r.job_id + "/events");
      var st = document.createElement("span");
      st.className = "status"; st.setAttribute("data-job-state", ""); st.textContent = r.job_state;
      var pr = document.createElement("progress");
      pr.max = 1; pr.value = r.job_progress || 0; pr.setAttribute("data-job-progress", "");
      pr.setAttribute("aria-label", "Transcription progress");
      var sg = document.createElement("span");
      sg.className = "muted"; sg.setAttribute("data-job-stage", ""); sg.textContent = r.job_stage || "";
      span.appendChild(st); span.appendChild(document.createTextNode(" "));
      span.appendChild(pr); span.appendChild(document.createTextNode(" "));
      span.appendChild(sg);
      td.appendChild(span);
      watchJob(span);
    } else {
      var s = document.createElement("span");
      s.className = "status";
      s.textContent = (r.status || "").replace(/_/g, " ");
      td.appendChild(s);
      if (r.job_error) {
        var e = document.createElement("span");
        e.className = "error"; e.textContent = " " + r.job_error;
        td.appendChild(e);
      }
    }
    return td;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href; a.textContent = text;
    return a;
  }

  // The chart's recordings section: filled from the API when the page did not render it.
  function loadRecordings(el) {
    var url = el.getAttribute("data-recordings-url");
    if (!url || !window.fetch) return;
    fetch(url, { credentials: "same-origin" }).then(function (resp) {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    }).then(function (body) {
      var list = body.recordings || [];
      el.textContent = "";
      if (!list.length) {
        var p = document.createElement("p");
        p.className = "muted"; p.textContent = "No recordings yet.";
        el.appendChild(p);
        return;
      }
      var table = document.createElement("table");
      var head = table.createTHead().insertRow();
      ["Uploaded", "Kind", "Session", "Status", "Links"].forEach(function (h) {
        var th = document.createElement("th");
        th.scope = "col"; th.textContent = h;
        head.appendChild(th);
      });
      var tbody = table.createTBody();
      list.forEach(function (r) {
        var tr = tbody.insertRow();
        tr.insertCell().textContent = r.created_at;
        tr.insertCell().textContent = r.kind;
        tr.insertCell().textContent = r.session_date || "—";
        tr.appendChild(statusCell(r));
        var links = tr.insertCell();
        links.appendChild(link("/recordings/" + r.id, "Open"));
        if (r.transcript_id) {
          links.appendChild(document.createTextNode(" · "));
          links.appendChild(link("/transcripts/" + r.transcript_id, "Transcript"));
        }
      });
      el.appendChild(table);
    }).catch(function () {
      el.textContent = "Could not load the recordings.";
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-job-events]"), watchJob);
    Array.prototype.forEach.call(document.querySelectorAll("[data-recordings-url]"), loadRecordings);
    document.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("[data-play-from]") : null;
      if (b) { e.preventDefault(); playFrom(b); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
