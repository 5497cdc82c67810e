//! Browser end-to-end tests: the real `noted demo` server and headless Chromium (playwright-core).
//! `tests/browser/review.mjs` goes from an uploaded session recording to a signed, amended and
//! FHIR-exported note: sign in, upload, wait for the transcript and the draft, edit, accept a
//! plan update, acknowledge the risk flag, set the risk fields, sign, check the lock, addendum.
//! `tests/browser/record.mjs` records a dictation on the record page from Chromium's fake
//! microphone (a synthesized WAV): level meter, elapsed time, pause/resume, chunks on the
//! server while recording, the network cut for 6 s mid-sentence, stop, upload of the rest,
//! transcription job; this file then checks the transcript's words and the WAV the server
//! assembled from the chunks against what the microphone played (no gap where the network was
//! down).
//!
//! Needs node, Chromium (`/usr/bin/chromium` or `NOTED_CHROMIUM`), `npm ci --prefix
//! tests/browser`, espeak-ng and sox (to make the recording) and the test-tier models in
//! `NOTED_TEST_MODELS`. A missing browser prerequisite skips the test unless
//! `NOTED_REQUIRE_BROWSER=1`; missing models skip it unless `NOTED_REQUIRE_MODELS=1` (CI sets
//! both). Screenshots (transcript, review page, signed note, recorder), the FHIR bundle and the
//! recorded WAV are written to `$NOTED_ARTIFACTS` (default `<target dir>/test-artifacts/browser`).

mod common;
use common::{env_is_1, models_dir, present, run_tool, runs};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::Duration;

use noted::models::registry::{self, Role};

const EMAIL: &str = "demo@noted.local";
const PASSWORD: &str = "demo-password-2026";

/// A short two-voice session: sleep hours, a homework assignment, a passive death wish (so a
/// risk flag is raised) and progress on the demo plan's "leave work by 18:00" goal.
const TURNS: &[(&str, &str)] = &[
    (
        "therapist",
        "Welcome back. How have you been sleeping this week?",
    ),
    (
        "client",
        "Not well. I slept about five hours a night, and I feel exhausted at work.",
    ),
    ("therapist", "Have you had any thoughts of suicide?"),
    (
        "client",
        "Honestly, I have had thoughts that everyone would be better off without me.",
    ),
    (
        "therapist",
        "Thank you for telling me. For homework, please keep a sleep diary every night this week.",
    ),
    (
        "client",
        "Okay. I did leave work by six on three days this week, like we planned.",
    ),
];

/// The dictation the fake microphone plays: sentence A, a gap (the scenario pauses in it),
/// sentence B.
const DICTATION_A: &str = "Dictation for today's session. The client reported sleeping about five hours a night and feeling exhausted at work.";
const DICTATION_B: &str = "We agreed that she will keep a sleep diary every night this week.";
/// Silence before A (opening the microphone), between A and B, and after B (seconds).
const LEAD_IN: f64 = 1.5;
const GAP: f64 = 5.0;
const TAIL: f64 = 1.5;

/// One browser scenario at a time: each runs a server, a model job and Chromium, and the
/// recorder test captures audio in real time (2 shared cores).
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

// ----- Prerequisites --------------------------------------------------------------------------

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("NOTED_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn artifacts_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NOTED_ARTIFACTS") {
        return PathBuf::from(d);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("test-artifacts").join("browser")
}

/// Everything the scenario needs, or None after printing why it is skipped.
fn prerequisites() -> Option<PathBuf> {
    let req = env_is_1("NOTED_REQUIRE_BROWSER");
    let dir = browser_dir();
    let ok = present(
        runs("node", "--version"),
        req,
        "node is not installed (apt install nodejs npm)",
    ) && present(
        chromium().is_file(),
        req,
        &format!(
            "Chromium not found at {} (apt install chromium, or set NOTED_CHROMIUM)",
            chromium().display()
        ),
    ) && present(
        dir.join("node_modules/playwright-core/package.json")
            .is_file(),
        req,
        "playwright-core is not installed: run `npm ci --prefix tests/browser`",
    ) && present(
        runs("espeak-ng", "--version") && runs("sox", "--version"),
        req,
        "espeak-ng and sox are needed to make the session recording (apt install espeak-ng sox)",
    );
    if !ok {
        return None;
    }
    let models = models_dir();
    let need_models = env_is_1("NOTED_REQUIRE_MODELS");
    for role in [Role::Asr, Role::Llm] {
        if let Err(e) = registry::active(&models, role) {
            present(
                false,
                need_models,
                &format!(
                    "no test-tier model in NOTED_TEST_MODELS ({}): {e}",
                    models.display()
                ),
            );
            return None;
        }
    }
    Some(models)
}

// ----- The server -----------------------------------------------------------------------------

/// `noted demo` serving on 127.0.0.1:0; killed on drop.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Starts the demo practice (clinician, "Alex Demo" with a burnout plan, no sample session)
/// and returns once it printed its address.
fn start_demo(data: &Path, models: &Path, work: &Path) -> Server {
    let config = work.join("empty-config.toml");
    std::fs::write(&config, "").unwrap();
    let log = work.join("server.log");
    let stderr = std::fs::File::create(&log).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_noted"))
        .arg("--data-dir")
        .arg(data)
        .arg("--models-dir")
        .arg(models)
        .args(["demo", "--skip-sample", "--bind", "127.0.0.1:0"])
        .env("NOTED_CONFIG", &config)
        .env("NOTED_DEMO_EMAIL", EMAIL)
        .env("NOTED_DEMO_PASSWORD", PASSWORD)
        .env_remove("NOTED_DATA")
        .env_remove("NOTED_BIND")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start `noted demo`");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if !sent {
                if let Some(rest) = line.strip_prefix("Noted is running at ") {
                    let url = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let _ = tx.send(url);
                    sent = true;
                }
            }
            // Keep draining stdout so the server never blocks on a full pipe.
        }
    });
    let mut server = Server {
        child,
        url: String::new(),
        log,
    };
    // The demo may first have to open the models; a minute is plenty on a slow machine.
    match rx.recv_timeout(Duration::from_secs(180)) {
        Ok(url) => server.url = url,
        Err(_) => {
            let status = server.child.try_wait().ok().flatten();
            panic!(
                "`noted demo` did not print `Noted is running at ...` (exit status {status:?}); its log:\n{}",
                server.log()
            );
        }
    }
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "unexpected server address {:?}",
        server.url
    );
    server
}

/// Runs `node tests/browser/<script>` against the server, prints its output and returns its
/// stdout; panics with the server log's tail when it fails or does not report PASSED.
fn run_scenario(
    script: &str,
    server: &Server,
    artifacts: &Path,
    env: &[(&str, &std::ffi::OsStr)],
) -> String {
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join(script))
        .current_dir(browser_dir())
        .env("NOTED_URL", &server.url)
        .env("NOTED_EMAIL", EMAIL)
        .env("NOTED_PASSWORD", PASSWORD)
        .env("NOTED_ARTIFACTS", artifacts)
        .env("NOTED_CHROMIUM", chromium())
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("run node tests/browser/{script}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("--- browser scenario {script} ---\n{stdout}{stderr}--- end ---");
    eprintln!("artifacts in {}", artifacts.display());
    if !out.status.success() {
        let log = server.log();
        let tail: Vec<&str> = log.lines().rev().take(60).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "the browser scenario {script} failed ({}); see the output above, failure*.png/.html in {}.\nserver log (last lines):\n{}",
            out.status,
            artifacts.display(),
            tail.join("\n")
        );
    }
    assert!(
        stdout.contains("PASSED"),
        "{script} exited 0 without reporting PASSED"
    );
    stdout
}

/// Removes a previous run's files from the artifacts directory.
fn clear_artifacts(artifacts: &Path, names: &[&str]) {
    std::fs::create_dir_all(artifacts).unwrap();
    for old in names {
        let _ = std::fs::remove_file(artifacts.join(old));
    }
}

// ----- The tests ------------------------------------------------------------------------------

#[test]
fn browser_upload_review_sign_amend_export() {
    let Some(models) = prerequisites() else {
        return;
    };
    let _serial = one_at_a_time();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");

    let audio = work.path().join("session.wav");
    noted::transcribe::bench::synthesize_session(TURNS, &audio)
        .unwrap_or_else(|e| panic!("synthesizing the session recording: {e:#}"));

    let artifacts = artifacts_dir();
    clear_artifacts(
        &artifacts,
        &[
            "transcript.png",
            "review-initial.png",
            "review.png",
            "signed-note.png",
            "note-fhir.json",
            "failure.png",
            "failure.html",
        ],
    );

    let server = start_demo(&data, &models, work.path());
    eprintln!("demo server at {}", server.url);

    run_scenario(
        "review.mjs",
        &server,
        &artifacts,
        &[("NOTED_AUDIO", audio.as_os_str())],
    );
    for shot in ["review.png", "signed-note.png"] {
        let p = artifacts.join(shot);
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "screenshot {} missing or empty", p.display());
    }
    drop(server);
}

// ----- Review by keyboard, and the transcript page of a long session --------------------------

/// The meaningful turns of the seeded 30-minute session, by segment id (the rest is
/// conversation filler): what the seeded draft's statements cite.
const SESSION_TURNS: &[(u32, &str, &str)] = &[
    (
        10,
        "therapist",
        "How have you been sleeping since we last met?",
    ),
    (
        11,
        "client",
        "Not well. About five hours a night, most nights.",
    ),
    (
        12,
        "client",
        "By mid-afternoon at work I am completely exhausted.",
    ),
    (
        30,
        "therapist",
        "Last time we set the goal of leaving work by six. How did that go?",
    ),
    (
        31,
        "client",
        "I left by six on three days this week, which felt like a win.",
    ),
    (
        45,
        "client",
        "My manager added two new projects this month.",
    ),
    (
        60,
        "client",
        "I skip lunch on most days because the inbox never stops.",
    ),
    (
        90,
        "therapist",
        "Have you had any thoughts of suicide, of not wanting to be here?",
    ),
    (
        91,
        "client",
        "Sometimes I think everyone would be better off without me.",
    ),
    (
        92,
        "therapist",
        "Do you have any plan or intention to act on those thoughts?",
    ),
    (
        93,
        "client",
        "No, no plan, and I would never act on it. It is more a feeling.",
    ),
    (94, "therapist", "Any thoughts of harming anyone else?"),
    (95, "client", "No, never."),
    (
        120,
        "therapist",
        "Let's practise the wind-down routine together: breathing, then tomorrow's list.",
    ),
    (121, "client", "The breathing helped, I feel calmer now."),
    (
        150,
        "client",
        "I want to tell my manager I cannot take the second project.",
    ),
    (
        151,
        "therapist",
        "Let's rehearse that conversation with the boundary script.",
    ),
    (
        200,
        "therapist",
        "For homework, please keep a sleep diary every night this week.",
    ),
    (201, "client", "Okay, I will keep the diary."),
    (
        230,
        "therapist",
        "Shall we meet again next Thursday at the same time?",
    ),
    (231, "client", "Yes, Thursday works."),
];

const FILLER: &[(&str, &str)] = &[
    ("therapist", "Can you say more about that?"),
    (
        "client",
        "It has been a long week, honestly, and I keep thinking about work.",
    ),
    (
        "therapist",
        "What did you notice in your body when that happened?",
    ),
    (
        "client",
        "My shoulders get tight and I stop breathing properly.",
    ),
    (
        "therapist",
        "That sounds exhausting. What helped, even a little?",
    ),
    (
        "client",
        "Going for a short walk after dinner helped a bit.",
    ),
    ("therapist", "Let's stay with that for a moment."),
    (
        "client",
        "I suppose I expect myself to answer every message at once.",
    ),
];

/// A transcript of `n` segments of 7.5 s each: the session's turns at their ids, filler between.
fn long_transcript(n: u32) -> noted::transcribe::Transcript {
    use noted::transcribe::{Segment, Speaker, Transcript};
    let speaker = |s: &str| {
        if s == "client" {
            Speaker::Client
        } else {
            Speaker::Therapist
        }
    };
    let segments = (0..n)
        .map(|id| {
            let (who, text) = SESSION_TURNS
                .iter()
                .find(|t| t.0 == id)
                .map(|t| (t.1, t.2))
                .unwrap_or(FILLER[id as usize % FILLER.len()]);
            Segment {
                id,
                start: id as f64 * 7.5,
                end: id as f64 * 7.5 + 7.0,
                speaker: speaker(who),
                text: text.into(),
                avg_logprob: -0.2,
                no_speech_prob: 0.01,
            }
        })
        .collect();
    Transcript {
        model: "tiny.en".into(),
        audio_seconds: n as f64 * 7.5,
        elapsed_seconds: 1.0,
        segments,
        text: String::new(),
        speakers: None,
    }
}

/// The seeded draft of the 30-minute session, as the drafting job stores it: SOAP, every
/// statement cited; three statements flagged where a word goes beyond what was said (the
/// corrections the keyboard test makes), two held back by the checks, a risk cue, plan
/// updates for the demo plan's goals and two proposals.
fn session_draft() -> serde_json::Value {
    let st = |text: &str, cites: &[u32], flags: &[&str], included: bool| {
        serde_json::json!({"text": text, "citations": cites, "flags": flags, "support": 0.8,
            "origin": "model", "included": included})
    };
    let section = |title: &str, statements: Vec<serde_json::Value>| {
        let text: Vec<&str> = statements
            .iter()
            .filter(|s| s["included"] == true)
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        serde_json::json!({"title": title, "text": text.join("\n"), "statements": statements})
    };
    let low = &["low_support"][..];
    serde_json::json!({
        "format": "soap",
        "section_order": ["subjective", "objective", "assessment", "plan"],
        "sections": {
            "subjective": section("Subjective", vec![
                st("Client reports sleeping about five hours a night.", &[11], &[], true),
                st("Client reports exhaustion at work by mid-afternoon.", &[12], &[], true),
                st("Client reports low mood daily.", &[91], low, true),
                st("Client left work by 18:00 on three days this week.", &[31], &[], true),
                st("Client's manager added two new projects this month.", &[45], &[], true),
                st("Client skips lunch on most workdays.", &[60], &[], true),
                st("Client reports passive thoughts that others would be better off without her.", &[91], &[], true),
                st("Client denies a plan or intent to act on these thoughts.", &[92, 93], &[], true),
                st("Client denies thoughts of harming others.", &[94, 95], &[], true),
                st("Client wants to decline the second project.", &[150], &[], true),
            ]),
            "objective": section("Objective", vec![
                st("Client practised the wind-down routine in session successfully.", &[120, 121], low, true),
                st("Client reported feeling calmer after the breathing exercise.", &[121], &[], true),
            ]),
            "assessment": section("Assessment", vec![
                st("Work-related burnout persists with short sleep and skipped meals.", &[11, 60], &[], true),
                st("Passive suicidal ideation without plan or intent.", &[91, 93], &[], true),
                st("Early progress on leaving work on time.", &[31], &[], true),
            ]),
            "plan": section("Plan", vec![
                st("Continue weekly sessions on burnout and boundaries.", &[230], &[], true),
                st("Client will keep a sleep diary every night indefinitely.", &[200], low, true),
                st("Rehearse the boundary script before talking to the manager.", &[151], &[], true),
                st("Client will cut work hours to 9 a day.", &[150], &["number_not_found:9"], false),
                st("Client will aim to sleep 9 hours on weekends.", &[11], &["number_not_found:9"], false),
            ]),
        },
        "plan_updates": [
            {"goal_id": "g-boundaries", "status": "progressing", "evidence": "Left work by 18:00 on three days this week.", "citations": [31], "flags": []},
            {"goal_id": "g-burnout", "status": "not_addressed", "evidence": "", "citations": [], "flags": []},
        ],
        "proposals": [
            {"kind": "next_session", "text": "Meet again next Thursday", "citations": [230]},
            {"kind": "homework", "text": "Keep a sleep diary every night this week", "citations": [200]},
        ],
        "risk": {
            "suicidal_ideation": {"status": "endorsed", "citations": [91]},
            "plan": {"status": "denied", "citations": [93]},
            "intent": {"status": "denied", "citations": [93]},
            "homicidal_ideation": {"status": "denied", "citations": [95]},
            "cues": [{"segment_id": 91, "topic": "suicidal_ideation", "cue": "better off without me"}],
            "flags": [],
        },
        "flags": [
            "risk_cue:suicidal_ideation: segment 91 mentions \"better off without me\"; review",
            "statements_held_back:2: review them",
        ],
        "provenance": {"model": "seeded-for-the-keyboard-test", "prompt_version": "p-test", "format_version": "1"},
        "complete": true,
    })
}

/// Puts into the demo practice a 30-minute session's transcript (240 segments) with two copies
/// of its draft (one to try every key on, one for the counted review), and a 50-minute
/// transcript (400 segments). Returns (draft to explore, draft to review, long transcript).
fn seed_review(data: &Path) -> (i64, i64, i64) {
    use noted::audit::Actor;
    use noted::store::drafts::NewDraft;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = noted::store::Store::open_in_dir(data).await.unwrap();
        let (client_id, clinician): (i64, i64) =
            sqlx::query_as("SELECT id, clinician_id FROM clients ORDER BY id LIMIT 1")
                .fetch_one(store.sqlite_pool())
                .await
                .unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let actor = Actor::cli();
        let session = noted::store::transcripts::insert_transcript_in(
            &mut tx,
            &actor,
            client_id,
            None,
            "en",
            &long_transcript(240),
        )
        .await
        .unwrap();
        let long = noted::store::transcripts::insert_transcript_in(
            &mut tx,
            &actor,
            client_id,
            None,
            "en",
            &long_transcript(400),
        )
        .await
        .unwrap();
        let mut drafts = Vec::new();
        for _ in 0..2 {
            let (draft, _note) = noted::notes::insert_draft_in(
                &mut tx,
                &actor,
                &NewDraft {
                    client_id,
                    therapy_session_id: None,
                    transcript_id: Some(session),
                    format: "soap".into(),
                    content: session_draft(),
                    model: "seeded".into(),
                    model_sha256: "ab".repeat(32),
                    prompt_version: "p-test".into(),
                    provenance: serde_json::json!({"model": "seeded"}),
                    created_by: clinician,
                    author_id: clinician,
                },
            )
            .await
            .unwrap();
            drafts.push(draft);
        }
        tx.commit().await.unwrap();
        (drafts[0], drafts[1], long)
    })
}

/// The review page by keyboard alone (tests/browser/review_keys.mjs): every shortcut on one
/// seeded draft, then a second reviewed from opening to a signed note, three statements
/// corrected, a plan update accepted, the flags handled, with the key presses counted (at most
/// 60) and no page load; then the transcript page of a 50-minute session (400 segments): the
/// time until it is interactive is printed (a measurement, not a timed assertion).
#[test]
fn browser_review_by_keyboard() {
    let Some(models) = prerequisites() else {
        return;
    };
    let _serial = one_at_a_time();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let artifacts = artifacts_dir();
    clear_artifacts(
        &artifacts,
        &[
            "review-keys.png",
            "review-keys-signed.png",
            "failure-keys.png",
            "failure-keys.html",
        ],
    );
    let server = start_demo(&data, &models, work.path());
    eprintln!("demo server at {}", server.url);
    let (explore, review, long) = seed_review(&data);
    let ids = |n: i64| std::ffi::OsString::from(n.to_string());
    let (explore, review, long) = (ids(explore), ids(review), ids(long));
    let stdout = run_scenario(
        "review_keys.mjs",
        &server,
        &artifacts,
        &[
            ("NOTED_EXPLORE_DRAFT", explore.as_os_str()),
            ("NOTED_REVIEW_DRAFT", review.as_os_str()),
            ("NOTED_LONG_TRANSCRIPT", long.as_os_str()),
        ],
    );
    let result: serde_json::Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(|j| serde_json::from_str(j).expect("RESULT is JSON"))
        .expect("review_keys.mjs printed a RESULT line");
    let keys = result["key_actions"].as_u64().expect("key_actions");
    assert!(
        keys <= 60,
        "{keys} key actions from opening the draft to the signed note"
    );
    assert_eq!(result["page_loads"], 0, "the review reloaded the page");
    eprintln!(
        "review by keyboard: {keys} key actions, no page load; transcript page of 400 segments interactive after {} ms",
        result["transcript_interactive_ms"]
    );
    drop(server);
}

// ----- The record page ------------------------------------------------------------------------

/// The fake microphone's input: 48 kHz mono 16-bit PCM (the fake capture device's own rate,
/// so Chromium does not resample it), lead-in silence, A, the gap, B, trailing silence.
fn dictation_wav(dir: &Path) -> PathBuf {
    let mut parts = Vec::new();
    for (i, (text, before, after)) in [(DICTATION_A, LEAD_IN, 0.0), (DICTATION_B, GAP, TAIL)]
        .into_iter()
        .enumerate()
    {
        let raw = dir.join(format!("dictation-{i}-raw.wav"));
        run_tool(
            Command::new("espeak-ng")
                .args(["-v", "en-us+f3", "-s", "160", "-w"])
                .arg(&raw)
                .arg(text),
        );
        let part = dir.join(format!("dictation-{i}.wav"));
        run_tool(
            Command::new("sox")
                .arg(&raw)
                .args(["-r", "48000", "-c", "1", "-b", "16"])
                .arg(&part)
                .args(["pad", &before.to_string(), &after.to_string()]),
        );
        parts.push(part);
    }
    let out = dir.join("dictation-48k.wav");
    run_tool(Command::new("sox").args(&parts).arg(&out));
    out
}

/// Mono samples in [-1, 1] and the rate of a 16-bit PCM WAV.
fn read_wav(path: &Path) -> (Vec<f32>, u32, u16) {
    let mut r = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("{} is not a readable WAV: {e}", path.display()));
    let spec = r.spec();
    assert_eq!(spec.bits_per_sample, 16, "{}: {spec:?}", path.display());
    let samples = r
        .samples::<i16>()
        .map(|s| s.unwrap() as f32 / 32768.0)
        .collect();
    (samples, spec.sample_rate, spec.channels)
}

/// Speech activity in 50 ms frames (RMS above -34 dBFS; synthetic speech has no noise floor).
fn speech_frames(samples: &[f32], rate: u32) -> Vec<(bool, f64)> {
    samples
        .chunks(rate as usize / 20)
        .map(|f| {
            let rms = (f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32).sqrt() as f64;
            (rms > 0.02, rms)
        })
        .collect()
}

/// (Longest silence between the first and last speech, seconds; mean RMS of the first 2 s of
/// speech.)
fn gap_and_level(samples: &[f32], rate: u32) -> (f64, f64) {
    let frames = speech_frames(samples, rate);
    let first = frames.iter().position(|f| f.0).expect("some speech");
    let last = frames.iter().rposition(|f| f.0).expect("some speech");
    let (mut longest, mut run) = (0usize, 0usize);
    for f in &frames[first..=last] {
        run = if f.0 { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    // The first two seconds of speech: where gain control, when on, boosted most.
    let speech: Vec<f64> = frames
        .iter()
        .filter(|f| f.0)
        .map(|f| f.1)
        .take(40)
        .collect();
    (
        longest as f64 / 20.0,
        speech.iter().sum::<f64>() / speech.len() as f64,
    )
}

/// How many of `words` occur in the (normalised) transcript.
fn words_found(words: &[&str], transcript: &str) -> usize {
    let got = noted::transcribe::wer::normalize(transcript);
    words.iter().filter(|w| got.iter().any(|g| g == *w)).count()
}

#[test]
fn browser_record_dictation_pause_resume_upload_transcribe() {
    let Some(models) = prerequisites() else {
        return;
    };
    let _serial = one_at_a_time();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let source = dictation_wav(work.path());
    let reference = format!("{DICTATION_A} {DICTATION_B}");

    // The same model on the file itself: how well it can do without the browser in between.
    let out = Command::new(env!("CARGO_BIN_EXE_noted"))
        .arg("--models-dir")
        .arg(&models)
        .args(["transcribe", "--dictation", "--format", "json"])
        .arg(&source)
        .env("NOTED_DATA", work.path().join("cli-data"))
        .env("NOTED_LOG", "error")
        .env_remove("NOTED_CONFIG")
        .output()
        .expect("run noted transcribe");
    assert!(
        out.status.success(),
        "noted transcribe on the source WAV: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let direct: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let direct_text = direct["text"].as_str().unwrap_or_default().to_string();
    let direct_wer = noted::transcribe::wer::wer(&reference, &direct_text);

    let artifacts = artifacts_dir();
    clear_artifacts(
        &artifacts,
        &[
            "recorder-stopped.png",
            "record-transcript.png",
            "recorded.wav",
            "failure-record.png",
            "failure-record.html",
        ],
    );
    let server = start_demo(&data, &models, work.path());
    eprintln!("demo server at {}", server.url);
    let stdout = run_scenario(
        "record.mjs",
        &server,
        &artifacts,
        &[("NOTED_FAKE_AUDIO", source.as_os_str())],
    );
    drop(server);
    let result: serde_json::Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(|j| serde_json::from_str(j).expect("RESULT is JSON"))
        .expect("record.mjs printed a RESULT line");

    // The transcript: dictation segments are the therapist's, and both sentences are there
    // (B was spoken after pause/resume). tiny.en transcribes the source file itself at WER
    // 0.23-0.29 and the browser recording at 0.23-0.39 (7 runs; the capture's sub-sample
    // phase and the shortened gap change what tiny.en hears); 0.5 allows for its
    // instability but not for a lost sentence (B alone is 13 of the 31 words), and the browser
    // may not cost more than 0.25 over the file.
    let text = result["text"].as_str().unwrap_or_default();
    let speakers = result["speakers"].as_array().expect("speakers");
    assert!(
        !speakers.is_empty() && speakers.iter().all(|s| s == "therapist"),
        "dictation speakers: {speakers:?}"
    );
    let browser_wer = noted::transcribe::wer::wer(&reference, text);
    eprintln!(
        "WER: browser recording {browser_wer:.3} ({text:?}); the same WAV by file {direct_wer:.3} ({direct_text:?})"
    );
    let a_words = ["client", "sleeping", "five", "hours", "night", "work"];
    let b_words = ["she", "keep", "sleep", "night", "week"];
    assert!(
        words_found(&a_words, text) >= 4,
        "sentence A is missing from the transcript: {text:?}"
    );
    assert!(
        words_found(&b_words, text) >= 3,
        "sentence B (after resume) is missing from the transcript: {text:?}"
    );
    assert!(browser_wer <= 0.5, "WER {browser_wer:.3}: {text:?}");
    assert!(
        browser_wer <= direct_wer + 0.25,
        "the browser path costs too much: WER {browser_wer:.3} vs {direct_wer:.3} for the file"
    );

    // The uploaded WAV: what the page encoded, as the server kept it.
    let (rec, rate, channels) = read_wav(&artifacts.join("recorded.wav"));
    assert_eq!(
        (rate, channels),
        (16_000, 1),
        "the page uploads 16 kHz mono"
    );
    let rec_seconds = rec.len() as f64 / 16_000.0;
    let shown = result["elapsed_at_stop"].as_f64().unwrap();
    assert!(
        rec_seconds >= shown && rec_seconds < shown + 1.0,
        "the WAV lasts {rec_seconds:.2}s but the page showed {shown}s at stop"
    );
    // Pausing drops the audio: the gap between A and B is shorter by the time paused.
    let (src, src_rate, _) = read_wav(&source);
    let (src_gap, src_level) = gap_and_level(&src, src_rate);
    let (rec_gap, rec_level) = gap_and_level(&rec, 16_000);
    let paused = result["paused_seconds"].as_f64().unwrap();
    eprintln!(
        "gap A-B: source {src_gap:.2}s, recording {rec_gap:.2}s, paused {paused:.2}s; speech RMS source {src_level:.3}, recording {rec_level:.3}; recorded {rec_seconds:.2}s"
    );
    assert!(
        (rec_gap - (src_gap - paused)).abs() < 0.6,
        "the gap in the recording ({rec_gap:.2}s) should be the source's ({src_gap:.2}s) minus the pause ({paused:.2}s)"
    );
    // No gain processing: speech keeps its level (automatic gain control boosted the first
    // seconds ~2.5x).
    let ratio = rec_level / src_level;
    assert!(
        (0.75..1.33).contains(&ratio),
        "speech level changed by {ratio:.2}x between the microphone and the upload"
    );
    eprintln!(
        "timings: upload after Stop {:.1}s, transcription job {:.1}s",
        result["upload_seconds"].as_f64().unwrap_or(0.0),
        result["transcription_seconds"].as_f64().unwrap_or(0.0)
    );
}
