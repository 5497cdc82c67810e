// Browser recording scenario in headless Chromium (driven by tests/browser.rs): a clinician
// signs in, opens the record page from the chart, chooses post-session dictation, records from
// the microphone (Chromium's fake capture device playing a synthesized WAV), watches the level
// meter and the elapsed time, pauses during the silence between the two sentences (elapsed must
// stop), resumes, loses the network for 20 seconds during the second sentence (the chunks
// wait in the browser and follow once it is back), stops, uploads the rest, waits for the
// transcription job and reads the transcript: every segment must be the therapist's. The audio
// reaches the server while it is recorded (5-second chunks): the server holds chunks before Stop.
// Then a reload mid-recording finds the unsent chunk in IndexedDB and finishes; and a browser
// killed mid-recording (SIGKILL) leaves a recording that a fresh browser finds interrupted (60 s
// without audio), holding every acknowledged chunk, and finishes into a transcript.
//
// The fake WAV is expected to be: lead-in silence, sentence A, a gap of several seconds of
// silence, sentence B, trailing silence (tests/browser.rs makes it). The scenario follows the
// level meter like a person would: it pauses once sentence A has gone quiet and resumes before B.
//
// Inputs (environment): those of common.mjs, and NOTED_FAKE_AUDIO (the WAV the fake microphone
// plays).
// Output: log lines, then one line `RESULT {json}` (transcript text, speakers, timings) and
// `PASSED`; the kept audio as the server stored it is saved as recorded.wav in the artifacts
// directory. On failure: the step, the error, failure-record.png/.html, exit 1.

import fs from "node:fs";
import path from "node:path";
import {
  ARTIFACTS, BASE, CLIENT, JOB_TIMEOUT, begin, check, elapsedSeconds, log, need, noErrorPage, runInChromium, signIn,
} from "./common.mjs";

const FAKE_AUDIO = need("NOTED_FAKE_AUDIO");

// Meter thresholds. The meter shows 4 x RMS of each 128-sample block: espeak speech reads
// 0.1-0.8, digital silence reads 0.
const SPEECH = 0.05;
const QUIET = 0.01;
// How long the meter must stay below QUIET before the sentence counts as finished (longer
// than the pauses between words and sentences, shorter than the gap between A and B).
const QUIET_MS = 1000;
const PAUSE_HOLD_MS = 2000;
// How long the network is cut during sentence B.
const OFFLINE_MS = 20000; // the 20 s drop of issue 13: four chunks wait in the browser

function seconds(text) {
  // "m:ss" or "h:mm:ss"
  return text
    .trim()
    .split(":")
    .reduce((acc, p) => acc * 60 + Number(p), 0);
}

const jsErrors = [];

async function main() {
  await runInChromium(
    {
      viewport: { width: 1200, height: 900 },
      // The microphone: grant it without a prompt and play the WAV once (no loop), then silence.
      args: [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-audio-capture=${FAKE_AUDIO}%noloop`,
      ],
      failure: "failure-record",
      onPageError: (page, e) => {
        jsErrors.push(`${page.url()}: ${e.message}`);
        log(`JavaScript error on ${page.url()}: ${e.message}`);
      },
    },
    (page) => scenario(page, jsErrors),
  );
}

/// The recorder's visible state: meter value, elapsed text, status line, button states.
async function recorderState(page) {
  return page.evaluate(() => ({
    level: Number(document.getElementById("r-level").value),
    elapsed: document.getElementById("r-elapsed").value || document.getElementById("r-elapsed").textContent,
    status: document.getElementById("r-status").textContent,
    pause: document.getElementById("r-pause").textContent,
  }));
}

/// Polls the recorder every 50 ms until `done(state, history)` holds; returns the history.
async function watch(page, what, done, timeoutMs) {
  const history = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await recorderState(page);
    s.t = Date.now();
    history.push(s);
    if (done(s, history)) return history;
    if (Date.now() > deadline) {
      const tail = history.slice(-5).map((h) => `level ${h.level.toFixed(3)} elapsed ${h.elapsed}`).join("; ");
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what} (last: ${tail}; status: ${s.status})`);
    }
    await page.waitForTimeout(50);
  }
}

/// True once the meter has stayed below QUIET for QUIET_MS.
function quietFor(history, ms) {
  const now = history[history.length - 1].t;
  if (now - history[0].t < ms) return false;
  return history.filter((h) => now - h.t <= ms).every((h) => h.level < QUIET);
}

async function scenario(page, jsErrors) {
  // ----- Sign in and open the record page from the chart -------------------------------------
  await signIn(page);

  begin("open the record page");
  await page.getByRole("link", { name: CLIENT, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: CLIENT }).waitFor();
  const clientId = /\/clients\/(\d+)/.exec(page.url())[1];
  await page.locator(`a[href="/clients/${clientId}/record"]`).first().click();
  await page.getByRole("heading", { level: 1, name: /Record/ }).waitFor();
  await noErrorPage(page);
  check(await page.getByRole("button", { name: "Start recording" }).isEnabled(), "Start is enabled");
  check(await page.getByRole("button", { name: "Upload and transcribe" }).isDisabled(), "Upload is disabled before recording");

  begin("choose dictation mode");
  await page.getByLabel(/Post-session dictation/).check();
  // Keep the audio so the test can compare what was uploaded with what was played.
  await page.getByLabel(/Keep the audio/).check();

  // ----- Record --------------------------------------------------------------------------------
  begin("start recording");
  await page.getByRole("button", { name: "Start recording" }).click();
  await page.getByRole("button", { name: "Pause" }).and(page.locator(":enabled")).waitFor();
  const tStart = Date.now();
  const contextState = await page.evaluate(() => document.getElementById("r-status").textContent);
  log(`recording: ${contextState}`);

  begin("sentence A: the level meter moves and the elapsed time advances");
  const a1 = await watch(page, "speech on the level meter", (s) => s.level > SPEECH, 15000);
  log(`speech after ${((Date.now() - tStart) / 1000).toFixed(1)}s (meter ${a1[a1.length - 1].level.toFixed(3)})`);
  const a2 = await watch(page, "the end of sentence A", (_, h) => quietFor(h, QUIET_MS), 30000);
  const aLevels = a2.map((h) => h.level);
  const aMax = Math.max(...aLevels);
  const distinct = new Set(aLevels.map((l) => l.toFixed(2))).size;
  log(`sentence A: meter max ${aMax.toFixed(3)}, ${distinct} distinct readings; elapsed ${a1[0].elapsed} -> ${a2[a2.length - 1].elapsed}`);
  check(aMax > 0.1, `the meter shows speech (max ${aMax})`);
  check(distinct >= 5, `the meter moves with the speech (${distinct} distinct readings)`);
  check(a2[a2.length - 1].level < QUIET, "the meter falls back in silence");
  const elapsedA = seconds(a2[a2.length - 1].elapsed);
  check(elapsedA >= 5, `elapsed advanced over sentence A (shows ${a2[a2.length - 1].elapsed})`);
  check(elapsedA <= (Date.now() - tStart) / 1000 + 1, `elapsed (${elapsedA}s) is not ahead of the wall clock`);

  begin("chunks reach the server while recording");
  const recordingId = await page.locator("#recorder").getAttribute("data-recording-id");
  check(recordingId && /^\d+$/.test(recordingId), `the recording exists on the server from the start (id ${recordingId})`);
  const during = await page.request.get(`${BASE}/api/v1/recordings/${recordingId}/chunks`);
  const duringBody = await during.json();
  log(`during recording: ${JSON.stringify(duringBody)}`);
  check(during.status() === 200 && duringBody.state === "recording", `the chart shows it as recording (${during.status()})`);
  check(duringBody.next_seq >= 1 && duringBody.seconds >= 5, `the server has audio before Stop (${duringBody.next_seq} chunk(s), ${duringBody.seconds}s)`);

  begin("pause in the gap: elapsed stops");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Resume" }).waitFor();
  const tPause = Date.now();
  const atPause = (await recorderState(page)).elapsed;
  check(/paused/i.test((await recorderState(page)).status), "the status says paused");
  check(await page.getByRole("button", { name: "Stop" }).isEnabled(), "Stop stays enabled while paused");
  await page.waitForTimeout(PAUSE_HOLD_MS);
  const afterHold = (await recorderState(page)).elapsed;
  log(`paused ${((Date.now() - tPause) / 1000).toFixed(1)}s: elapsed ${atPause} -> ${afterHold}`);
  check(afterHold === atPause, `elapsed stays at ${atPause} while paused (became ${afterHold})`);

  begin("resume: sentence B");
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("button", { name: "Pause" }).waitFor();
  const pausedMs = Date.now() - tPause;
  check(/recording/i.test((await recorderState(page)).status), "the status says recording again");
  const b1 = await watch(page, "sentence B on the level meter", (s) => s.level > SPEECH, 15000);
  check(seconds(b1[b1.length - 1].elapsed) >= seconds(afterHold), "elapsed continues from the paused value");

  begin("the network drops during sentence B");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const online = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
  await cdp.send("Network.emulateNetworkConditions", { ...online, offline: true });
  await page.waitForTimeout(OFFLINE_MS);
  const offlineStatus = (await recorderState(page)).status;
  await cdp.send("Network.emulateNetworkConditions", online);
  log(`offline for ${OFFLINE_MS / 1000}s; status: "${offlineStatus}"`);
  check(/cannot be reached/.test(offlineStatus), `the page says chunks wait in the browser (${offlineStatus})`);

  await watch(page, "the end of sentence B", (_, h) => quietFor(h, QUIET_MS), 30000);

  begin("stop");
  await page.getByRole("button", { name: "Stop" }).click();
  const wallSeconds = (Date.now() - tStart) / 1000;
  await page.getByRole("button", { name: "Upload and transcribe" }).and(page.locator(":enabled")).waitFor();
  const stopped = await recorderState(page);
  log(`stopped: "${stopped.status}", elapsed ${stopped.elapsed}, wall ${wallSeconds.toFixed(1)}s, paused ${(pausedMs / 1000).toFixed(1)}s`);
  check(/Stopped after/.test(stopped.status), `the status reports the length (${stopped.status})`);
  check(await page.getByRole("button", { name: "Start recording" }).isDisabled(), "Start is disabled until the recording is uploaded or discarded");
  check(await page.getByRole("button", { name: "Pause" }).isDisabled(), "Pause is disabled after stopping");
  const recorded = seconds(stopped.elapsed);
  // What was recorded excludes the pause: wall time minus pause, within the time it took to
  // open the microphone and the 1 s resolution of the display.
  const expected = wallSeconds - pausedMs / 1000;
  check(recorded <= expected + 1 && recorded >= expected - 3, `recorded ${recorded}s vs wall minus pause ${expected.toFixed(1)}s`);
  check(stopped.level === 0, "the meter is reset once the microphone is released");
  await page.screenshot({ path: path.join(ARTIFACTS, "recorder-stopped.png"), fullPage: true });

  // ----- Upload what is left and finish -------------------------------------------------------
  begin("upload the rest and finish");
  const atStop = await (await page.request.get(`${BASE}/api/v1/recordings/${recordingId}/chunks`)).json();
  log(`at stop the server holds ${atStop.next_seq} chunk(s), ${atStop.seconds}s`);
  check(atStop.seconds >= recorded - 8, `most of the recording reached the server before Stop (${atStop.seconds}s of ${recorded}s)`);
  const progressSeen = [];
  await page.exposeFunction("__notedProgress", (v, s) => progressSeen.push({ v: Number(v), s, t: Date.now() }));
  await page.evaluate(() => {
    const p = document.getElementById("r-progress");
    const st = document.getElementById("r-status");
    const report = () => window.__notedProgress(p.value, st.textContent);
    new MutationObserver(report).observe(p, { attributes: true, attributeFilter: ["value"] });
    new MutationObserver(report).observe(st, { childList: true, characterData: true, subtree: true });
  });
  const tUp = Date.now();
  await page.getByRole("button", { name: "Upload and transcribe" }).click();
  await page.waitForURL(/\/recordings\/\d+$/, { timeout: 120000 });
  const upSeconds = (Date.now() - tUp) / 1000;
  const values = [...new Set(progressSeen.map((p) => p.v))];
  const partial = values.filter((v) => v > 0 && v < 1);
  log(`upload after Stop took ${upSeconds.toFixed(1)}s; progress bar took ${values.length} values (${values.map((v) => v.toFixed(2)).join(" ")})`);
  check(values.includes(1), "the progress bar reached 100 %");
  check(page.url().endsWith(`/recordings/${recordingId}`), `the page opens the streamed recording (${page.url()})`);
  await noErrorPage(page);
  const heading = await page.getByRole("heading", { level: 1 }).innerText();
  log(`recording page ${page.url()}: ${heading}`);
  check(/dictation/i.test(heading), `the recording is a dictation (heading: ${heading})`);

  // ----- The transcription job ---------------------------------------------------------------
  begin("wait for the transcript");
  const openTranscript = page.getByRole("link", { name: "Open the transcript" });
  const failed = page.locator("[data-job-error]:not([hidden])");
  const jobState = page.locator("[data-job-state]");
  const tJob = Date.now();
  let lastStatus = "";
  while (!(await openTranscript.isVisible())) {
    if ((await failed.count()) > 0 && (await failed.first().innerText()).trim()) {
      throw new Error(`transcription failed: ${await failed.first().innerText()}`);
    }
    const st = (await jobState.count()) > 0 ? `${await jobState.first().innerText()} ${await page.locator("[data-job-percent]").first().innerText().catch(() => "")}` : "(no live status)";
    if (st !== lastStatus) {
      log(`transcription: ${st.trim()}`);
      lastStatus = st;
    }
    if (/^(failed|cancelled)/.test(st.trim())) throw new Error(`transcription ${st}`);
    check(Date.now() - tJob < JOB_TIMEOUT, `no transcript within ${JOB_TIMEOUT / 1000}s (last status: ${lastStatus})`);
    await openTranscript.waitFor({ state: "visible", timeout: 5000 }).catch(() => {});
  }
  const jobSeconds = (Date.now() - tJob) / 1000;
  log(`transcribed in ${jobSeconds.toFixed(1)}s`);

  // The audio as the server stored it (kept on request), for the Rust side to inspect.
  const audio = await page.request.get(`${BASE}/api/v1/recordings/${recordingId}/audio`);
  check(audio.status() === 200, `GET /api/v1/recordings/${recordingId}/audio answers 200 (got ${audio.status()})`);
  fs.writeFileSync(path.join(ARTIFACTS, "recorded.wav"), await audio.body());

  await openTranscript.click();
  await page.getByRole("heading", { level: 1, name: /Transcript/ }).waitFor();
  await noErrorPage(page);
  const segments = await page.locator("table.segments form.segment").evaluateAll((forms) =>
    forms.map((f) => ({ speaker: f.querySelector("select[name=speaker]").value, text: f.querySelector("textarea").value })),
  );
  log(`transcript: ${segments.length} segment(s), speakers ${[...new Set(segments.map((s) => s.speaker))].join(", ")}`);
  check(segments.length >= 1, "the transcript has segments");
  check(segments.every((s) => s.speaker === "therapist"), `every dictation segment is the therapist's (got ${segments.map((s) => s.speaker).join(", ")})`);
  await page.screenshot({ path: path.join(ARTIFACTS, "record-transcript.png"), fullPage: true });
  check(jsErrors.length === 0, `no JavaScript errors (${jsErrors.join("; ")})`);

  // ----- A reload keeps what was not yet sent ---------------------------------------------------
  // A second recording (the fake microphone is silent by now): one chunk reaches the server,
  // then chunk requests fail (the network "drops" for them only, so the page can still reload);
  // the page is reloaded; it finds the unsent chunk in IndexedDB and finishes the recording.
  begin("reload during a recording: nothing acknowledged or kept is lost");
  await page.goto(`${BASE}/clients/${clientId}/record`);
  await page.getByRole("button", { name: "Start recording" }).click();
  await page.getByRole("button", { name: "Pause" }).and(page.locator(":enabled")).waitFor();
  const rid2 = await page.locator("#recorder").getAttribute("data-recording-id");
  await page.waitForFunction(() => Number(document.getElementById("recorder").getAttribute("data-chunks-sent") || 0) >= 1, null, { timeout: 20000 });
  await page.route("**/api/v1/recordings/*/chunks/*", (route) => route.abort("internetdisconnected"));
  await page.waitForFunction(() => /cannot be reached/.test(document.getElementById("r-status").textContent), null, { timeout: 20000 });
  page.on("dialog", (d) => d.accept().catch(() => {})); // "leave the page?" while chunks wait
  await page.reload();
  await page.waitForFunction(() => /unfinished recording/.test(document.getElementById("r-status").textContent), null, { timeout: 20000 });
  const found = (await recorderState(page)).status;
  log(`after the reload: "${found}"`);
  const kept = Number((/(\d+) chunk\(s\) still here/.exec(found) || [0, 0])[1]);
  check(kept >= 1, `the chunk that could not be sent was kept in the browser (${found})`);
  check(await page.getByRole("button", { name: "Upload and transcribe" }).isEnabled(), "the found recording can be uploaded");
  await page.unroute("**/api/v1/recordings/*/chunks/*");
  await page.getByRole("button", { name: "Upload and transcribe" }).click();
  await page.waitForURL(new RegExp(`/recordings/${rid2}$`), { timeout: 60000 });
  const second = await (await page.request.get(`${BASE}/api/v1/recordings/${rid2}/chunks`)).json();
  log(`second recording after the reload: ${JSON.stringify(second)}`);
  check(second.state === "finished" && second.next_seq >= 2 && second.seconds >= 10, `every chunk recorded before the reload is on the server (${second.next_seq} chunks, ${second.seconds}s)`);
  await noErrorPage(page);

  const result = {
    recording_id: Number(recordingId),
    text: segments.map((s) => s.text).join(" "),
    speakers: segments.map((s) => s.speaker),
    elapsed_at_stop: recorded,
    wall_seconds: wallSeconds,
    paused_seconds: pausedMs / 1000,
    meter_max: aMax,
    upload_seconds: upSeconds,
    progress_steps: partial.length,
    transcription_seconds: jobSeconds,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);

  // ----- The browser process dies mid-recording ---------------------------------------------
  // A third recording: once two chunks are acknowledged the browser is killed (SIGKILL, no
  // unload handlers). A fresh browser then finds it in the chart as interrupted, holding what
  // was acknowledged, and finishes it into a transcript.
  begin("the browser process is killed mid-recording");
  await page.goto(`${BASE}/clients/${clientId}/record`);
  await page.getByRole("button", { name: "Start recording" }).click();
  await page.getByRole("button", { name: "Pause" }).and(page.locator(":enabled")).waitFor();
  const rid3 = await page.locator("#recorder").getAttribute("data-recording-id");
  await page.waitForFunction(() => Number(document.getElementById("recorder").getAttribute("data-chunks-sent") || 0) >= 2, null, { timeout: 30000 });
  const before = await (await page.request.get(`${BASE}/api/v1/recordings/${rid3}/chunks`)).json();
  log(`before the kill: ${JSON.stringify(before)}`);
  killed = { id: rid3, client: clientId, acked: before.next_seq, seconds: before.seconds };
  // the browser is this process's child (found in /proc): kill it (its helpers die with it)
  const browsers = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        // "pid (comm) state ppid ...": comm may hold spaces, so read after its last ")"
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return { pid: Number(pid), comm, ppid };
      } catch (_) {
        return null; // gone meanwhile
      }
    })
    .filter((p) => p && p.ppid === process.pid && /chrom/i.test(p.comm));
  check(browsers.length >= 1, "the browser process is found");
  for (const b of browsers) process.kill(b.pid, "SIGKILL");
}

/// The recording whose browser was killed: found interrupted in a fresh browser, finished.
async function afterTheKill(page) {
  await signIn(page);
  begin("the killed recording shows as interrupted once no audio arrives for 60 s");
  const t0 = Date.now();
  let st = null;
  for (;;) {
    st = await (await page.request.get(`${BASE}/api/v1/recordings/${killed.id}/chunks`)).json();
    if (st.state !== "recording") break;
    check(Date.now() - t0 < 120000, `still "recording" ${(Date.now() - t0) / 1000}s after the kill`);
    await page.waitForTimeout(5000);
  }
  log(`after ${((Date.now() - t0) / 1000).toFixed(0)}s: ${JSON.stringify(st)}`);
  check(st.state === "interrupted", `the recording is interrupted (${st.state})`);
  check(st.next_seq >= killed.acked && st.seconds >= killed.seconds, `every acknowledged chunk is kept (${st.next_seq} of ${killed.acked} acknowledged, ${st.seconds}s)`);
  await page.goto(`${BASE}/clients/${killed.client}`);
  await noErrorPage(page);
  await page.goto(`${BASE}/recordings/${killed.id}`);
  await noErrorPage(page);
  const shown = await page.locator("main").innerText();
  check(/interrupted/i.test(shown), "the recording's page says it was interrupted");
  begin("finish the interrupted recording");
  await page.getByRole("button", { name: /^Finish/ }).click();
  await page.waitForURL(new RegExp(`/recordings/${killed.id}$`), { timeout: 60000 });
  await noErrorPage(page);
  const tJob = Date.now();
  let rec = null;
  for (;;) {
    rec = await (await page.request.get(`${BASE}/api/v1/recordings/${killed.id}`)).json();
    if (rec.transcript_id || /^(failed|cancelled)$/.test(rec.job_state || "")) break;
    check(Date.now() - tJob < JOB_TIMEOUT, `no transcript within ${JOB_TIMEOUT / 1000}s`);
    await page.waitForTimeout(2000);
  }
  log(`finished: job ${rec.job_state}, transcript ${rec.transcript_id}`);
  check(Boolean(rec.transcript_id), `the interrupted recording became a transcript (job ${rec.job_state})`);
  const streamAfter = await (await page.request.get(`${BASE}/api/v1/recordings/${killed.id}/chunks`)).json();
  check(streamAfter.state === "finished", `its stream is finished (${streamAfter.state})`);
}

let killed = null;
await main();
await runInChromium(
  { viewport: { width: 1200, height: 900 }, failure: "failure-record-killed", onPageError: (_, e) => jsErrors.push(String(e)) },
  afterTheKill,
);
check(jsErrors.length === 0, `no JavaScript errors (${jsErrors.join("; ")})`);
log(`PASSED in ${elapsedSeconds()}s`);
