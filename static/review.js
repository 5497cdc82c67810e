// Review page: the draft as a document, reviewed in place and by keyboard. Each statement
// (`[data-item=statement]`), flag, plan update and proposal is an item: focusing one highlights
// the transcript segments it cites; its form (fix / keep / delete, acknowledge, accept /
// reject) is sent to the JSON API (`/api/v1/drafts/...`) and the parts it changed are taken
// again from the server-rendered page (GET /drafts/{id}), so the page never reloads and the
// template stays the one rendering. Signing swaps in the signed note. Shortcuts are listed in
// the page's help dialog (`?`); single-key ones never act while a text field has the cursor
// and can be turned off there. Without this script every form posts and the page reloads.
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root || !window.fetch) return;
  var draftId = root.getAttribute("data-draft");
  var csrf = root.getAttribute("data-csrf");
  var player = document.getElementById("player");
  var statusLine = document.getElementById("review-status");
  var help = document.getElementById("keys-help");
  var KEYS_PREF = "noted.review.singleKeys";
  var current = null; // the item the keys act on
  var backFromSegment = null; // the item `g` came from
  var queue = Promise.resolve(); // one change at a time, in the order made
  var locked = false; // signed: nothing left to change here

  // ----- Items and the transcript beside them ------------------------------------------------

  function items() {
    return Array.prototype.filter.call(root.querySelectorAll(".draft [data-item]"), function (el) {
      return el.getClientRects().length > 0;
    });
  }

  function itemOf(el) {
    return el && el.closest ? el.closest("#review .draft [data-item]") : null;
  }

  function citedSegments(item) {
    var ids = (item.getAttribute("data-cites") || "").split(" ").filter(Boolean);
    if (!ids.length) {
      ids = Array.prototype.map.call(item.querySelectorAll(".cite-link[data-seg]"), function (a) { return a.getAttribute("data-seg"); });
    }
    return ids.map(function (id) { return document.getElementById("seg-" + id); }).filter(Boolean);
  }

  function showSegments(segs) {
    root.querySelectorAll(".segments li.cited").forEach(function (el) { el.classList.remove("cited"); });
    segs.forEach(function (s) { s.classList.add("cited"); });
    var col = root.querySelector(".transcript");
    if (segs[0] && col) {
      var top = segs[0].offsetTop - col.offsetTop;
      if (top < col.scrollTop || top > col.scrollTop + col.clientHeight - segs[0].offsetHeight) {
        col.scrollTop = Math.max(0, top - 48);
      }
    }
  }

  // Roving focus: only the current item is in the Tab order.
  function select(item, focus) {
    if (!item) return;
    if (current && current !== item) {
      current.classList.remove("selected");
      current.setAttribute("tabindex", "-1");
    }
    current = item;
    item.classList.add("selected");
    item.setAttribute("tabindex", "0");
    showSegments(citedSegments(item));
    if (focus) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }
  }

  function comeBack() {
    var el = backFromSegment;
    if (el && el.hasAttribute("data-item")) select(el, true);
    else if (el) el.focus();
  }

  function rove() {
    items().forEach(function (el) { if (el !== current) el.setAttribute("tabindex", "-1"); });
    if (!current || !document.body.contains(current)) current = null;
    if (!current) { var first = items()[0]; if (first) first.setAttribute("tabindex", "0"); }
  }

  function move(step, onlyOpen) {
    var all = items();
    if (onlyOpen) {
      all = all.filter(function (el) { return el === current || el.hasAttribute("data-open"); });
    }
    if (!all.length) return say(onlyOpen ? "Nothing left that needs a decision." : "No items.");
    var i = all.indexOf(current);
    var next = i < 0 ? (step > 0 ? all[0] : all[all.length - 1]) : all[i + step];
    if (!next) return say(onlyOpen ? "No more items that need a decision." : "No more items.");
    select(next, true);
  }

  function say(msg) {
    if (statusLine) statusLine.textContent = msg;
  }

  // ----- Talking to the server ---------------------------------------------------------------

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || "the server answered " + r.status);
        return j;
      });
    });
  }

  // Replaces the elements with these ids by the server's current rendering of them. Focus that
  // was inside a replaced element goes to the same item (or field) in the new one.
  function refresh(ids) {
    return fetch("/drafts/" + draftId, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("could not read the draft again (" + r.status + ")");
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var active = document.activeElement;
      var activeItem = itemOf(active);
      var refocus = null;
      ids.forEach(function (id) {
        var old = document.getElementById(id);
        var neu = fresh.getElementById(id);
        if (!old || !neu) return;
        if (old.contains(active)) refocus = activeItem ? activeItem.id : active.id;
        if (current && old.contains(current)) current = null;
        var open = Array.prototype.map.call(old.querySelectorAll("details[open][id]"), function (d) { return d.id; });
        old.replaceWith(document.importNode(neu, true));
        open.forEach(function (d) { var el = document.getElementById(d); if (el) el.open = true; });
      });
      rove();
      var back = refocus && document.getElementById(refocus);
      if (back) { if (back.hasAttribute("data-item")) select(back, true); else back.focus(); }
    });
  }

  // Runs `work` after the changes before it; reports failures in the status line.
  function change(work, done) {
    queue = queue.then(work).then(function (msg) {
      if (msg) say(msg);
      if (done) done(null);
    }, function (e) {
      say("Not saved: " + e.message);
      if (done) done(e);
    });
    return queue;
  }

  function fieldValue(form, name) {
    var el = form.elements[name];
    return el ? el.value : "";
  }

  // What each kind of form sends to the API, and which parts of the page it changes.
  var kinds = {
    statement: function (form, submitter) {
      var action = submitter ? submitter.value : "fix";
      var key = fieldValue(form, "section");
      var index = Number(fieldValue(form, "index"));
      var text = fieldValue(form, "text");
      var item = itemOf(form);
      if (action === "fix" && text.trim() === item.querySelector(".st-text").textContent.trim()) {
        closeEditor(item);
        return null;
      }
      return {
        send: function () {
          return api("PATCH", "/api/v1/drafts/" + draftId, {
            statements: [{ section: key, index: index, action: action, text: action === "fix" ? text : null }]
          });
        },
        parts: ["sec-" + key, "total-changed"],
        said: { fix: "Statement fixed.", keep: "Statement kept.", delete: "Statement deleted." }[action]
      };
    },
    section: function (form) {
      var key = form.getAttribute("data-section");
      var body = { sections: {} };
      body.sections[key] = { text: fieldValue(form, "text") };
      return {
        send: function () { return api("PATCH", "/api/v1/drafts/" + draftId, body); },
        parts: ["sec-" + key, "total-changed"],
        savedIn: "#sec-" + key + " form.section-form [data-saved]",
        said: "Section saved."
      };
    },
    ack: function (form) {
      var body = form.elements.not_a_risk ? { not_a_risk: true, reason: fieldValue(form, "reason") } : undefined;
      return {
        send: function () { return api("POST", form.getAttribute("data-api"), body); },
        parts: ["flags", "sign-blockers"],
        said: body ? "Marked not a risk." : "Flag acknowledged."
      };
    },
    decide: function (form, submitter) {
      var reject = submitter && submitter.hasAttribute("data-reject");
      var body = {};
      ["status", "evidence", "text", "date"].forEach(function (n) {
        if (form.elements[n] && form.elements[n].value !== "") body[n] = form.elements[n].value;
      });
      return {
        send: function () { return api("POST", form.getAttribute("data-api") + (reject ? "/reject" : "/accept"), reject ? undefined : body); },
        parts: [itemOf(form).id],
        said: reject ? "Rejected." : "Accepted into the treatment plan."
      };
    },
    risk: function (form) {
      var body = { risk: {} };
      Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (r) { body.risk[r.name] = r.value; });
      var parts = ["risk-copy", "sign-blockers"];
      Object.keys(body.risk).forEach(function (n) { parts.push("risk-state-" + n); });
      return {
        send: function () { return api("PATCH", "/api/v1/drafts/" + draftId, body); },
        parts: parts,
        said: "Risk assessment saved."
      };
    },
    "process-notes": function (form) {
      return {
        send: function () { return api("PATCH", "/api/v1/drafts/" + draftId, { process_notes: fieldValue(form, "process_notes") }); },
        parts: [],
        said: "Process notes saved."
      };
    },
    sign: function (form) {
      return {
        send: function () {
          return api("POST", "/api/v1/drafts/" + draftId + "/sign", { password: fieldValue(form, "password"), attest: form.elements.attest.checked });
        },
        signed: true
      };
    }
  };

  function submit(form, submitter) {
    var kind = kinds[form.getAttribute("data-kind")];
    if (!kind || locked) return;
    var plan = kind(form, submitter);
    if (!plan) return;
    var saved = form.querySelector("[data-saved]");
    var err = form.querySelector("[data-error]");
    if (saved) saved.textContent = "saving…";
    if (err) err.hidden = true;
    form.setAttribute("aria-busy", "true");
    change(function () {
      return plan.send().then(function (res) {
        if (plan.signed) return showSigned(res);
        return refresh(plan.parts).then(function () {
          var shown = saved && !document.body.contains(saved) && plan.savedIn ? document.querySelector(plan.savedIn) : saved;
          if (shown && document.body.contains(shown)) shown.textContent = "saved";
          return plan.said;
        });
      });
    }, function (e) {
      form.removeAttribute("aria-busy");
      if (e && saved) saved.textContent = "not saved: " + e.message;
      if (e && err) { err.textContent = e.message; err.hidden = false; }
    });
  }

  // The signed note replaces the review (its own page, fetched; the URL follows).
  function showSigned(note) {
    locked = true;
    var url = "/notes/" + note.id;
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var main = document.getElementById("main");
      main.replaceChildren.apply(main, Array.prototype.map.call(fresh.getElementById("main").childNodes, function (n) {
        return document.importNode(n, true);
      }));
      document.title = fresh.title;
      history.replaceState(null, "", url);
      var h1 = main.querySelector("h1");
      if (h1) { h1.setAttribute("tabindex", "-1"); h1.focus(); }
      return "Signed. The note is locked.";
    });
  }

  root.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute("data-kind")) return;
    e.preventDefault();
    submit(form, e.submitter);
  });

  // The risk fields are saved as they are chosen (arrow keys move the choice).
  root.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form && form.getAttribute("data-kind") === "risk") submit(form, null);
  });

  // ----- Actions on the current item ---------------------------------------------------------

  function pressIn(item, selector) {
    var b = item && item.querySelector(selector);
    if (!b) return false;
    submit(b.form, b);
    return true;
  }

  function openEditor(item) {
    var field = item.querySelector("[data-edit]");
    if (!field) return say("Nothing to edit here.");
    item.classList.add("editing");
    field.focus();
    if (field.setSelectionRange && field.type === "text") field.setSelectionRange(field.value.length, field.value.length);
  }

  function closeEditor(item) {
    item.classList.remove("editing");
    item.querySelectorAll("input[data-edit]").forEach(function (f) { f.value = f.defaultValue; });
    select(item, true);
  }

  // `source` cites the segments (an item, or a risk field's fieldset); `g` or Esc there comes
  // back to `returnTo`.
  function goToSegment(source, returnTo) {
    var segs = citedSegments(source);
    if (!segs.length) return say("This item cites no segment.");
    backFromSegment = returnTo;
    showSegments(segs);
    segs[0].focus({ preventScroll: true });
  }

  function focusRisk() {
    var sets = root.querySelectorAll("#risk fieldset");
    for (var i = 0; i < sets.length; i++) {
      if (!sets[i].querySelector("input:checked")) return sets[i].querySelector("input").focus();
    }
    var first = root.querySelector("#risk input:checked, #risk input[type=radio]");
    if (first) first.focus();
  }

  function singleKeysOn() {
    try { return localStorage.getItem(KEYS_PREF) !== "off"; } catch (e) { return true; }
  }

  function isTyping(el) {
    if (!el || el.isContentEditable) return Boolean(el);
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(el.type);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey && e.key !== "Enter" || e.metaKey) return;
    var t = e.target;
    if (locked) {
      // the signed note is shown: copying it is all that is left
      if (e.key === "c" && !e.altKey && !isTyping(t) && singleKeysOn()) { e.preventDefault(); copyNote(); }
      return;
    }
    var item = itemOf(t) || current;
    if (help && help.open) return;
    // Ctrl+Enter saves the section text being edited.
    if (e.ctrlKey) {
      if (t.tagName === "TEXTAREA" && t.form && t.form.getAttribute("data-kind") === "section") {
        e.preventDefault();
        submit(t.form, null);
      }
      return;
    }
    if (e.altKey) {
      if ((e.key === "ArrowDown" || e.key === "ArrowUp") && t.tagName !== "SELECT") {
        e.preventDefault();
        move(e.key === "ArrowDown" ? 1 : -1, false);
      }
      return;
    }
    if (e.key === "Escape") {
      if (t.closest && t.closest(".segments") && backFromSegment) {
        e.preventDefault();
        comeBack();
      } else if (item && item !== t && item.contains(t)) {
        e.preventDefault();
        closeEditor(item);
      }
      return;
    }
    if (isTyping(t) || !singleKeysOn()) return;
    if (e.key === "Enter") {
      if (t.hasAttribute("data-item")) { e.preventDefault(); openEditor(t); }
      return;
    }
    var k = e.key;
    var handled = true;
    var field = t.closest && t.closest("#risk fieldset");
    if (k === "g" && t.closest && t.closest(".segments") && backFromSegment) comeBack();
    else if (k === "g" && field) goToSegment(field, t);
    else if (k === "j") move(1, false);
    else if (k === "k") move(-1, false);
    else if (k === "n") move(1, true);
    else if (k === "p") move(-1, true);
    else if (k === "a") { if (!pressIn(item, "[data-accept]")) say("Nothing to accept here."); }
    else if (k === "d") { if (!pressIn(item, "[data-reject]")) say("Nothing to delete here."); }
    else if (k === "e") { if (item) openEditor(item); }
    else if (k === "g") { if (item) goToSegment(item, item); }
    else if (k === "E") { if (item) editSection(item); }
    else if (k === "u") {
      var open = items().filter(function (el) { return /plan-update|proposal/.test(el.getAttribute("data-item")) && el.hasAttribute("data-open"); });
      if (open.length) select(open[0], true); else say("Every plan update and proposal is decided.");
    }
    else if (k === "r") focusRisk();
    else if (k === "s") { var a = document.getElementById("sign-attest"); if (a) a.focus(); }
    else if (k === "c") copyNote();
    else if (k === "?") showHelp();
    else handled = false;
    if (handled) e.preventDefault();
  }

  function copyNote() {
    var c = document.querySelector("[data-copy-all]");
    if (c) c.click();
  }

  function editSection(item) {
    var sec = item.closest(".section");
    var d = sec && sec.querySelector("details.edit-text");
    if (!d) return say("Only statements belong to a section.");
    d.open = true;
    d.querySelector("textarea").focus();
  }

  function showHelp() {
    if (!help || !help.showModal) return;
    var box = help.querySelector("[data-single-keys]");
    if (box) box.checked = singleKeysOn();
    help.showModal();
  }

  // ----- Wiring (delegated: one listener each, whatever the number of items) -----------------

  document.addEventListener("keydown", onKey);
  root.addEventListener("focusin", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-item")) select(e.target, false);
    else if (itemOf(e.target) && itemOf(e.target) !== current) select(itemOf(e.target), false);
  });
  root.addEventListener("click", function (e) {
    var link = e.target.closest(".cite-link");
    if (link) {
      e.preventDefault();
      var item = itemOf(link);
      if (item) select(item, false);
      var seg = document.getElementById("seg-" + link.getAttribute("data-seg"));
      if (seg) {
        backFromSegment = item || link;
        showSegments([seg]);
        seg.focus({ preventScroll: true });
      }
      return;
    }
    var play = e.target.closest("[data-play-from]");
    if (play && player) {
      player.currentTime = parseFloat(play.getAttribute("data-play-from")) || 0;
      player.play();
      return;
    }
    var item2 = itemOf(e.target);
    if (item2 && item2 !== current) select(item2, false);
  });
  if (help) {
    var box = help.querySelector("[data-single-keys]");
    if (box) box.addEventListener("change", function () {
      try { localStorage.setItem(KEYS_PREF, box.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
    document.querySelectorAll("[data-keys-help]").forEach(function (b) { b.addEventListener("click", showHelp); });
  }
  var hint = document.getElementById("review-keys");
  if (hint) hint.hidden = false;
  // The risk fields' citations are reached with `g` from the field: Tab goes from one field to
  // the next.
  root.querySelectorAll("#risk legend .cite-link").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
  root.classList.add("live");
  rove();
  if (window.performance && performance.mark) performance.mark("review-ready");

  // While a redraft job runs, reload when it finishes.
  var m = /[?&]redraft_job=(\d+)/.exec(window.location.search);
  if (m) {
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
