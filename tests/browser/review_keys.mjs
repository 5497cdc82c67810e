// The review page as a document, by keyboard alone, in headless Chromium (driven by
// tests/browser.rs, which seeds a 30-minute session's transcript with two copies of its draft
// and a 50-minute transcript into the demo practice).
//
// 1. On the first draft every shortcut is tried (help, move, flags, cited segment and back,
//    edit and cancel, keep, delete, section text, no shortcut while typing), with axe-core.
// 2. The second draft is reviewed from opening to a signed note with page.keyboard only:
//    three statements corrected, one plan update accepted, the flags acknowledged, the risk
//    fields set, signed. Every key press is counted (a typed string counts one per character,
//    the password included); the scenario fails above 60 and if the page loaded again.
// 3. The transcript page of the 50-minute session (400 segments): the time until it is
//    interactive (transcript.js ready, and the end of the last long task) is measured and
//    printed, not asserted (speed targets live in benchmarks, not timed tests).
//
// Inputs (environment): those of common.mjs and NOTED_EXPLORE_DRAFT, NOTED_REVIEW_DRAFT,
// NOTED_LONG_TRANSCRIPT (ids). Prints `RESULT {json}` and PASSED; on failure saves
// failure-keys.png/.html and exits 1.

import path from "node:path";
import { ARTIFACTS, BASE, PASSWORD, axeViolations, begin, check, elapsedSeconds, log, need, runInChromium, signIn } from "./common.mjs";

const EXPLORE = need("NOTED_EXPLORE_DRAFT");
const REVIEW = need("NOTED_REVIEW_DRAFT");
const LONG = need("NOTED_LONG_TRANSCRIPT");
const KEY_BUDGET = 60;

// ----- Key presses, counted while `counting` ----------------------------------------------------

let counting = false;
let keyActions = 0;
const keyLog = [];

async function press(page, key, times = 1) {
  for (let i = 0; i < times; i++) {
    if (counting) {
      keyActions += 1;
      keyLog.push(key);
    }
    await page.keyboard.press(key);
  }
}

// Typed text counts as its key presses, one per character.
async function type(page, text) {
  if (counting) {
    keyActions += [...text].length;
    keyLog.push(`type(${text.length})`);
  }
  await page.keyboard.type(text);
}

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

async function focusIs(page, id, why) {
  await page.waitForFunction((want) => document.activeElement && document.activeElement.id === want, id, { timeout: 10000 }).catch(() => {});
  const got = await focusedId(page);
  check(got === id, `${why}: focus should be on #${id}, is on #${got}`);
}

async function accessible(page, name) {
  const v = await axeViolations(page);
  for (const x of v) log(`axe ${name}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(" | ")}`);
  check(v.length === 0, `${name}: ${v.length} serious or critical accessibility violation(s): ${v.map((x) => x.id).join(", ")}`);
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

async function openDraft(page, id) {
  await page.goto(`${BASE}/drafts/${id}`);
  await page.locator("#review.live").waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
}

const stText = (page, id) => page.locator(`#${id} .st-text`).innerText();

const pageErrors = [];

async function main() {
  let loads = 0;
  const result = {};
  await runInChromium(
    { viewport: { width: 1400, height: 900 }, failure: "failure-keys", onPageError: (page, e) => pageErrors.push(`${page.url()}: ${e.message}`) },
    async (page) => {
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
      page.on("load", () => { loads += 1; });
      await signIn(page);
      await explore(page, () => loads);
      Object.assign(result, await review(page, () => loads));
      result.transcript_interactive_ms = await transcriptSpeed(page);
      check(pageErrors.length === 0, `JavaScript errors: ${pageErrors.join(" | ")}`);
    },
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
  log(`PASSED in ${elapsedSeconds()}s`);
}

// ----- 1. Every shortcut, on the first draft -----------------------------------------------------

async function explore(page, loads) {
  begin("open the first draft: a document, not a column of forms");
  await openDraft(page, EXPLORE);
  const before = loads();
  const statements = await page.locator(".prose .st").count();
  check(statements === 20, `the document shows the 18 included and 2 held-back statements (got ${statements})`);
  check((await page.locator(".prose .st sup.cites a.cite-link").count()) >= 18, "each statement carries its citation markers");
  check((await page.locator(".st-actions:visible").count()) === 0, "no statement form is on screen before a statement is selected");
  check((await page.locator(".st.held .tag.held").count()) === 2, "held-back statements stand out inline");
  check(/low_support|little of this/.test(await page.locator("#st-subjective-2 .why").innerText()), "a flagged statement shows its reason inline");
  check((await page.locator("#review-keys:visible").count()) === 1, "the shortcut hint is shown");
  await accessible(page, "review page (document)");

  begin("help dialog");
  await page.locator("body").focus();
  await press(page, "?");
  check(await page.locator("#keys-help").evaluate((d) => d.open), "? opens the shortcut help");
  check((await page.locator("#keys-help tr").count()) >= 10, "the help lists the shortcuts");
  await accessible(page, "review page with the shortcut help open");
  await press(page, "Escape");
  check(!(await page.locator("#keys-help").evaluate((d) => d.open)), "Esc closes the help");

  begin("move between items; the cited segments follow");
  await press(page, "j");
  await focusIs(page, "flag-0", "j goes to the first item (the risk flag)");
  await press(page, "j", 2);
  await focusIs(page, "st-subjective-0", "j moves on to the first statement");
  check(await page.locator("#seg-11").evaluate((e) => e.classList.contains("cited")), "the statement's cited segment is highlighted");
  check((await page.locator(".st-actions:visible").count()) === 1, "only the selected statement shows its actions");
  await press(page, "Alt+ArrowDown");
  await focusIs(page, "st-subjective-1", "Alt+Down moves to the next statement");
  await press(page, "k");
  await focusIs(page, "st-subjective-0", "k moves back");
  await press(page, "g");
  await focusIs(page, "seg-11", "g jumps to the cited segment");
  await press(page, "g");
  await focusIs(page, "st-subjective-0", "g on the segment comes back to the statement");
  await press(page, "Tab");
  check((await page.evaluate(() => document.activeElement.getAttribute("data-seg"))) === "11", "Tab reaches the statement's citation marker");
  await press(page, "Enter");
  await focusIs(page, "seg-11", "Enter on a marker jumps to its segment");
  check(!page.url().includes("#"), "the jump changes no URL");
  await press(page, "Escape");
  await focusIs(page, "st-subjective-0", "Esc on the segment comes back");
  await page.locator("#risk-suicidal_ideation-endorsed").focus();
  await press(page, "g");
  await focusIs(page, "seg-91", "g on a risk field jumps to the segment its suggestion cites");
  await press(page, "g");
  await focusIs(page, "risk-suicidal_ideation-endorsed", "g comes back to the risk field");
  check(!(await page.locator("#risk-suicidal_ideation-endorsed").isChecked()), "going there and back set nothing");
  await page.locator("#st-subjective-0").focus();

  begin("edit in place: Esc cancels, no shortcut while typing");
  await press(page, "n");
  await focusIs(page, "st-subjective-2", "n goes to the next item needing a decision, past the unflagged statement");
  const original = await stText(page, "st-subjective-2");
  await press(page, "e");
  await focusIs(page, "fix-subjective-2", "e opens the statement's editor");
  await type(page, " jkn");
  await focusIs(page, "fix-subjective-2", "letters typed in the editor are text, not shortcuts");
  check((await page.inputValue("#fix-subjective-2")).endsWith(" jkn"), "the typed letters are in the editor");
  await press(page, "Escape");
  await focusIs(page, "st-subjective-2", "Esc closes the editor");
  check((await stText(page, "st-subjective-2")) === original && (await page.inputValue("#fix-subjective-2")) === original, "Esc left the statement as it was");

  begin("keep and delete a held-back statement");
  await press(page, "p");
  await focusIs(page, "flag-1", "p goes back to the previous item needing a decision");
  await page.locator("#st-plan-4").focus(); // the held-back "9 hours on weekends"
  await press(page, "a");
  await page.locator("#st-plan-4.decided:not(.held)").waitFor();
  await focusIs(page, "st-plan-4", "the kept statement keeps the focus");
  check((await page.inputValue("#text-plan")).includes("Client will aim to sleep 9 hours on weekends."), "kept: the statement is in the section's text");
  await press(page, "d");
  await page.locator("#st-plan-4.deleted").waitFor();
  check(!(await page.inputValue("#text-plan")).includes("9 hours on weekends"), "deleted: the statement left the section's text");
  check((await page.locator("#st-plan-4 .tag").innerText()) === "deleted", "the deleted statement is shown struck, marked deleted");

  begin("edit the section as text: statements keep their citations where the text still matches");
  await page.locator("#st-subjective-0").focus();
  await press(page, "Shift+E");
  await focusIs(page, "text-subjective", "Shift+E opens the section's text");
  await press(page, "Control+End");
  await type(page, "\nClient enjoys a short walk after dinner.");
  await press(page, "Control+Enter");
  await page.locator("#sec-subjective .prose p.line", { hasText: "Client enjoys a short walk after dinner." }).waitFor();
  check((await page.locator("#st-subjective-0 a.cite-link[data-seg='11']").count()) === 1, "an unchanged statement keeps its citation after the section was edited");
  check((await page.locator("#sec-subjective .prose p.line a.cite-link").count()) === 0, "the clinician's own line carries no citation");
  await page.locator("#st-subjective-1").focus();
  await press(page, "e");
  await accessible(page, "review page with a statement being edited");
  await press(page, "Escape");

  begin("signing refused in place while a risk field is not set");
  await press(page, "s");
  await focusIs(page, "sign-attest", "s goes to the attestation");
  await press(page, "Space");
  await press(page, "Tab");
  await type(page, PASSWORD);
  await press(page, "Enter");
  const refusal = page.locator("#sign [data-error]:visible");
  await refusal.waitFor();
  check(/cannot sign/.test(await refusal.innerText()), `the refusal says why (${await refusal.innerText()})`);
  check(loads() === before && (await page.evaluate(() => window.__sameDocument === true)), "no page load while exploring");
}

// ----- 2. The counted review, from opening the draft to the signed note -------------------------

async function review(page, loads) {
  begin("open the second draft");
  await openDraft(page, REVIEW);
  const before = loads();
  const t0 = Date.now();
  counting = true;

  begin("flags: acknowledge the risk cue and the held-back notice");
  await press(page, "n");
  await focusIs(page, "flag-0", "n: the risk flag");
  await press(page, "a");
  await page.locator("#flag-0.acked").waitFor();
  await press(page, "n");
  await focusIs(page, "flag-1", "n: the held-back notice");
  await press(page, "a");
  await page.locator("#flag-1.acked").waitFor();

  // Each correction: n to the flagged statement, e, delete the unsupported last word
  // (Ctrl+Backspace twice takes the full stop and the word, Backspace the space), type ".",
  // Enter saves.
  const corrections = [
    ["st-subjective-2", "Client reports low mood."],
    ["st-objective-0", "Client practised the wind-down routine in session."],
    ["st-plan-1", "Client will keep a sleep diary every night."],
  ];
  for (const [id, want] of corrections) {
    begin(`correct ${id}`);
    await press(page, "n");
    await focusIs(page, id, "n: the next flagged statement");
    await press(page, "e");
    await press(page, "Control+Backspace", 2);
    await press(page, "Backspace");
    await type(page, ".");
    await press(page, "Enter");
    await page.locator(`#${id}.decided .st-text`, { hasText: want }).waitFor();
    check((await stText(page, id)) === want, `${id} reads "${want}"`);
    check((await page.locator(`#${id} a.cite-link`).count()) >= 1, `${id} keeps its citations`);
    await focusIs(page, id, "the corrected statement keeps the focus");
  }

  begin("accept the plan update");
  await press(page, "u");
  await focusIs(page, "pu-0", "u: the first undecided plan update");
  await press(page, "a");
  await page.locator("#pu-0 .status", { hasText: "accepted" }).waitFor();

  begin("set the risk fields");
  await press(page, "r");
  await focusIs(page, "risk-suicidal_ideation-endorsed", "r: the first risk field not set");
  await press(page, "Space"); // suicidal ideation: endorsed
  for (const item of ["plan", "intent", "homicidal_ideation"]) {
    await press(page, "Tab");
    await press(page, "ArrowDown"); // denied
    check(await page.locator(`#risk-${item}-denied`).isChecked(), `${item}: denied`);
  }
  await page.waitForFunction(() => !document.querySelector("#risk .badge.danger") && !document.querySelector("#sign-blockers .error"), null, { timeout: 15000 });

  begin("sign");
  await press(page, "s");
  await focusIs(page, "sign-attest", "s: the attestation");
  await press(page, "Space");
  await press(page, "Tab");
  await type(page, PASSWORD);
  await press(page, "Enter");
  await page.getByRole("heading", { level: 1, name: /Progress note/ }).waitFor();
  counting = false;
  const seconds = (Date.now() - t0) / 1000;

  begin("check the signed note");
  check(/signed/i.test(await page.locator("#note-state").innerText()), "the note reads signed");
  check(loads() === before && (await page.evaluate(() => window.__sameDocument === true)), "no page load from opening the draft to the signed note");
  const noteId = /\/notes\/(\d+)$/.exec(page.url());
  check(noteId, `the address is the signed note's (${page.url()})`);
  const note = await page.evaluate(async (u) => (await fetch(u, { credentials: "same-origin" })).json(), `/api/v1/notes/${noteId[1]}`);
  const sections = note.content && note.content.sections;
  check(sections, `the note's content has sections (${Object.keys(note).join(", ")})`);
  const all = Object.values(sections).map((s) => s.text).join("\n");
  for (const [, want] of corrections) check(all.split("\n").includes(want), `the signed note holds "${want}"`);
  for (const gone of ["daily.", "successfully.", "indefinitely."]) check(!all.includes(gone), `the signed note no longer says "${gone}"`);
  check(JSON.stringify(note.content.risk || {}).includes("endorsed"), `the risk fields were signed as set (${JSON.stringify(note.content.risk)})`);
  await press(page, "c");
  await page.locator("[data-copy-status]").filter({ hasText: /^Copied/ }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied.includes("Client reports low mood.") && /Risk assessment/.test(copied), "c copies the signed note for the record system");
  await shot(page, "review-keys-signed.png");
  await accessible(page, "signed note shown in place");
  log(`key actions from opening the draft to the signed note: ${keyActions} (budget ${KEY_BUDGET}): ${keyLog.join(" ")}`);
  log(`review by keyboard took ${seconds.toFixed(1)}s, ${loads() - before} page loads`);
  check(keyActions <= KEY_BUDGET, `${keyActions} key actions: more than ${KEY_BUDGET}`);
  return { key_actions: keyActions, page_loads: loads() - before, review_seconds: seconds };
}

// ----- 3. The transcript page of a 50-minute session ---------------------------------------------

async function transcriptSpeed(page) {
  begin("transcript page of 400 segments: time to interactive");
  await page.addInitScript(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
        .observe({ type: "longtask", buffered: true });
    } catch (e) { /* no long task timing */ }
  });
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${BASE}/transcripts/${LONG}`);
    await page.locator("table.segments.live-edit").waitFor();
    await page.waitForTimeout(300); // let trailing long tasks (layout, paint) be recorded
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const ready = performance.getEntriesByName("transcript-ready")[0];
      const lastTask = window.__longTasks.reduce((t, [s, d]) => Math.max(t, s + d), 0);
      return {
        rows: document.querySelectorAll("table.segments tbody tr").length,
        dcl: nav.domContentLoadedEventEnd,
        ready: ready ? ready.startTime : null,
        lastLongTask: lastTask,
        longTasks: window.__longTasks.length,
      };
    });
    check(m.rows === 400, `the transcript has 400 segments (${m.rows})`);
    check(m.ready !== null, "transcript.js marked itself ready");
    const tti = Math.max(m.ready, m.lastLongTask);
    log(`transcript page run ${i + 1}: DOMContentLoaded ${m.dcl.toFixed(0)} ms, script ready ${m.ready.toFixed(0)} ms, ${m.longTasks} long task(s) ending by ${m.lastLongTask.toFixed(0)} ms: interactive after ${tti.toFixed(0)} ms`);
    runs.push(tti);
  }
  // Typing works at once: a correction typed and saved with Enter.
  const area = page.locator("#tx-399");
  await area.focus();
  await page.keyboard.press("End");
  await page.keyboard.type(" (checked)");
  await page.keyboard.press("Enter");
  await page.locator("#seg-399 [data-saved]").filter({ hasText: /^saved/ }).waitFor();
  runs.sort((a, b) => a - b);
  const median = Math.round(runs[1]);
  log(`transcript page of 400 segments interactive after ${median} ms (median of 3 in headless Chromium; target 1000 ms)`);
  return median;
}

await main();
