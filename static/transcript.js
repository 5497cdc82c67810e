// Noted: the transcript as one editable document. Click a segment (or move to it with
// Alt+Down / Alt+Up), type, press Enter: the correction is saved in the background and the
// next segment gets the cursor. Alt+S changes the speaker, Alt+P plays from the segment.
// Changes are also saved when a segment loses focus and after a pause in typing; each segment
// shows whether it is saving, saved or failed. Without JavaScript the per-segment forms work.
(function () {
  "use strict";

  var IDLE_SAVE_MS = 2000;

  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("table.segments form[data-patch]"));
  }

  function fieldsOf(form) {
    return {
      text: form.querySelector("textarea[name=text]"),
      speaker: form.querySelector("select[name=speaker]"),
      saved: form.querySelector("[data-saved]"),
      csrf: form.querySelector("input[name=csrf_token]")
    };
  }

  function current(form) {
    var f = fieldsOf(form);
    return JSON.stringify({ text: f.text ? f.text.value : "", speaker: f.speaker ? f.speaker.value : "" });
  }

  function status(form, text, isError) {
    var s = fieldsOf(form).saved;
    if (!s) return;
    s.textContent = text;
    s.classList.toggle("error", Boolean(isError));
    form.setAttribute("data-state", isError ? "error" : text);
  }

  // One save at a time per segment; a change made while one is in flight is saved after it.
  function save(form) {
    if (form._saving) { form._again = true; return form._saving; }
    var state = current(form);
    if (state === form._savedState) return Promise.resolve();
    var f = fieldsOf(form);
    status(form, "saving…", false);
    form._saving = fetch(form.getAttribute("data-patch"), {
      method: "PATCH",
      credentials: "same-origin",
      keepalive: true, // finishes even when the page is left right after a change
      headers: { "Content-Type": "application/json", "X-CSRF-Token": f.csrf ? f.csrf.value : "" },
      body: JSON.stringify({ text: f.text ? f.text.value : undefined, speaker: f.speaker ? f.speaker.value : undefined })
    }).then(function (resp) {
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (r) {
      if (r.ok) {
        // the server's text (trimmed) is what is stored; keep the cursor if still typing
        if (f.text && document.activeElement !== f.text) f.text.value = r.body.text;
        form._savedState = JSON.stringify({ text: r.body.text, speaker: r.body.speaker });
        if (current(form) !== form._savedState && document.activeElement === f.text) {
          form._savedState = state;
        }
        status(form, r.body.edited ? "saved (edited)" : "saved", false);
      } else {
        status(form, r.body.error || "could not save", true);
      }
    }).catch(function () {
      status(form, "could not save: the server did not answer", true);
    }).then(function () {
      form._saving = null;
      if (form._again) { form._again = false; return save(form); }
    });
    return form._saving;
  }

  function focusSegment(form) {
    if (!form) return;
    var t = fieldsOf(form).text;
    if (!t) return;
    t.focus();
    var n = t.value.length;
    t.setSelectionRange(n, n);
    var row = form.closest("tr");
    if (row && row.scrollIntoView) row.scrollIntoView({ block: "nearest" });
  }

  function move(form, step) {
    var all = forms();
    var i = all.indexOf(form);
    save(form);
    focusSegment(all[i + step]);
  }

  function cycleSpeaker(form) {
    var sp = fieldsOf(form).speaker;
    if (!sp || !sp.options.length) return;
    sp.selectedIndex = (sp.selectedIndex + 1) % sp.options.length;
    save(form);
  }

  function playFrom(form) {
    var row = form.closest("tr");
    var b = row ? row.querySelector("[data-play-from]") : null;
    if (b) b.click();
  }

  function onKey(e) {
    var form = e.target.closest ? e.target.closest("table.segments form[data-patch]") : null;
    if (!form) return;
    var inText = e.target.matches("textarea[name=text]");
    if (e.key === "Enter" && inText && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      move(form, 1);
    } else if (e.altKey && e.key === "ArrowDown") {
      e.preventDefault();
      move(form, 1);
    } else if (e.altKey && e.key === "ArrowUp") {
      e.preventDefault();
      move(form, -1);
    } else if (e.altKey && (e.code === "KeyS" || e.key === "s" || e.key === "S")) {
      e.preventDefault();
      cycleSpeaker(form);
    } else if (e.altKey && (e.code === "KeyP" || e.key === "p" || e.key === "P")) {
      e.preventDefault();
      playFrom(form);
    }
  }

  function init() {
    var table = document.querySelector("table.segments");
    if (!table || !window.fetch) return;
    table.classList.add("live-edit");
    forms().forEach(function (form) {
      form._savedState = current(form);
      var f = fieldsOf(form);
      // saved in the background: the per-segment Save buttons are not needed
      var b = form.querySelector("button[type=submit]");
      if (b) b.style.display = "none";
      if (f.text) {
        f.text.setAttribute("aria-keyshortcuts", "Enter Alt+ArrowDown Alt+ArrowUp Alt+S Alt+P");
        f.text.addEventListener("input", function () {
          status(form, "unsaved", false);
          clearTimeout(form._idle);
          form._idle = setTimeout(function () { save(form); }, IDLE_SAVE_MS);
        });
        f.text.addEventListener("blur", function () { clearTimeout(form._idle); save(form); });
      }
      if (f.speaker) f.speaker.addEventListener("change", function () { save(form); });
    });
    document.addEventListener("keydown", onKey);
    // a segment form submitted anyway (implicit submission) is saved in place, not posted
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.matches && form.matches("table.segments form[data-patch]")) {
        e.preventDefault();
        save(form);
      }
    });
    var hint = document.getElementById("transcript-keys");
    if (hint) hint.hidden = false;
    if (window.performance && performance.mark) performance.mark("transcript-ready");
    // changes not yet saved are sent before leaving (the request outlives the page); a
    // segment whose last save failed asks first
    window.addEventListener("beforeunload", function (e) {
      forms().forEach(function (f) { if (current(f) !== f._savedState) save(f); });
      if (forms().some(function (f) { return f.getAttribute("data-state") === "error"; })) {
        e.preventDefault();
        e.returnValue = "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
