// "Copy note": the note (signed, or the draft as it stands on the page) as plain text on the
// clipboard, in the format's section order, for pasting into another record system. Two
// layouts, because record systems paste differently: headings on their own lines, or one
// paragraph per section ("Subjective: ..."). Each section also has its own copy button (its
// text alone). Sections are the page's `[data-copy-section]` elements (title in `data-title`;
// text from their textarea when the clinician is editing, else from `[data-copy-text]`); the
// risk line is `[data-copy-risk]`'s `data-text`.
(function () {
  "use strict";

  function sectionText(sec) {
    const area = sec.querySelector("textarea");
    const el = area || sec.querySelector("[data-copy-text]");
    if (!el) return "";
    const t = (area ? area.value : el.textContent) || "";
    return t.replace(/\s+\n/g, "\n").trim();
  }

  function noteText(layout) {
    const parts = [];
    for (const sec of document.querySelectorAll("[data-copy-section]")) {
      const title = sec.dataset.title || "";
      const text = sectionText(sec);
      if (!text || text === "—") continue;
      parts.push(layout === "paragraphs" ? `${title}: ${text.replace(/\n+/g, " ")}` : `${title}\n${text}`);
    }
    const risk = document.querySelector("[data-copy-risk]");
    if (risk && risk.dataset.text) {
      parts.push(layout === "paragraphs" ? `Risk assessment: ${risk.dataset.text}` : `Risk assessment\n${risk.dataset.text}`);
    }
    return { text: parts.join("\n\n"), count: parts.length };
  }

  async function put(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // without clipboard permission (or outside a secure context): the old way
      const ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      let ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e2) {
        ok = false;
      }
      ta.remove();
      return ok;
    }
  }

  function say(root, msg) {
    const out = root.querySelector("[data-copy-status]");
    if (out) out.textContent = msg;
  }

  // Delegated from the document, so a note swapped into the page (review.js shows the signed
  // note in place) copies too.
  document.addEventListener("click", async (e) => {
    const all = e.target.closest("[data-copy-all]");
    const one = e.target.closest("[data-copy-one]");
    const root = document.querySelector("[data-copy-note]");
    if (!root || !(all || one)) return;
    if (all) {
      const layout = root.querySelector("[data-copy-layout]");
      const { text, count } = noteText(layout ? layout.value : "headings");
      if (!count) {
        say(root, "Nothing to copy: every section is empty.");
        return;
      }
      say(root, (await put(text)) ? `Copied ${count} sections (${text.length} characters).` : "Copying failed: select the text and copy it yourself.");
      return;
    }
    const sec = one.closest("[data-copy-section]");
    const text = sec ? sectionText(sec) : "";
    if (!text) {
      say(root, "That section is empty.");
      return;
    }
    say(root, (await put(text)) ? `Copied ${sec.dataset.title} (${text.length} characters).` : "Copying failed: select the text and copy it yourself.");
  });
})();
