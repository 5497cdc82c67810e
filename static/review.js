// Review page: highlight the segments a statement cites, play audio from a segment, and save
// section text in place through the JSON API (the forms work without this script).
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root) return;
  var draftId = root.getAttribute("data-draft");
  var csrf = root.getAttribute("data-csrf");
  var player = document.getElementById("player");

  function clearHighlights() {
    document.querySelectorAll(".segments li.cited").forEach(function (el) { el.classList.remove("cited"); });
    document.querySelectorAll(".statement.selected").forEach(function (el) { el.classList.remove("selected"); });
  }

  function highlight(statement) {
    clearHighlights();
    statement.classList.add("selected");
    var ids = (statement.getAttribute("data-cites") || "").split(" ").filter(Boolean);
    var first = null;
    ids.forEach(function (id) {
      var seg = document.getElementById("seg-" + id);
      if (seg) { seg.classList.add("cited"); if (!first) first = seg; }
    });
    if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  document.querySelectorAll(".statement .cite").forEach(function (btn) {
    btn.addEventListener("click", function () { highlight(btn.closest(".statement")); });
  });
  document.querySelectorAll(".cite-link").forEach(function (a) {
    a.addEventListener("click", function () {
      var st = a.closest(".statement");
      if (st) highlight(st);
      else {
        clearHighlights();
        var seg = document.querySelector(a.getAttribute("href"));
        if (seg) seg.classList.add("cited");
      }
    });
  });

  document.querySelectorAll("[data-play-from]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      if (!player) return;
      player.currentTime = parseFloat(btn.getAttribute("data-play-from")) || 0;
      player.play();
    });
  });

  // Save a section's text with PATCH /api/v1/drafts/{id}; fall back to the form on failure.
  document.querySelectorAll("form.section-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.fetch) return;
      ev.preventDefault();
      var key = form.getAttribute("data-section");
      var text = form.querySelector("textarea").value;
      var status = form.querySelector("[data-saved]");
      var body = { sections: {} };
      body.sections[key] = { text: text };
      status.textContent = "saving…";
      fetch("/api/v1/drafts/" + draftId, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, j: j }; });
      }).then(function (res) {
        if (res.ok) {
          var e = res.j.edits && res.j.edits.sections && res.j.edits.sections[key];
          status.textContent = "saved" + (e ? " · " + e.chars_changed + " characters changed from the draft" : "");
        } else {
          status.textContent = res.j.error || "not saved";
        }
      }).catch(function () { form.submit(); });
    });
  });

  // While a redraft job runs, reload when it finishes.
  var m = /[?&]redraft_job=(\d+)/.exec(window.location.search);
  if (m && window.fetch) {
    var job = m[1];
    var tick = function () {
      fetch("/api/v1/jobs/" + job, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
        if (j.state === "done" || j.state === "failed" || j.state === "cancelled") {
          window.location.replace("/drafts/" + draftId + window.location.hash);
        } else {
          setTimeout(tick, 1500);
        }
      }).catch(function () { setTimeout(tick, 3000); });
    };
    tick();
  }
})();
