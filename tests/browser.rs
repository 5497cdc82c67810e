//! Browser end-to-end test: the real `noted demo` server and headless Chromium (playwright-core,
//! `tests/browser/review.mjs`) go from an uploaded session recording to a signed, amended and
//! FHIR-exported note: sign in, upload, wait for the transcript and the draft, edit, accept a
//! plan update, acknowledge the risk flag, set the risk fields, sign, check the lock, addendum.
//!
//! Needs node, Chromium (`/usr/bin/chromium` or `NOTED_CHROMIUM`), `npm ci --prefix
//! tests/browser`, espeak-ng and sox (to make the recording) and the test-tier models in
//! `NOTED_TEST_MODELS`. A missing browser prerequisite skips the test unless
//! `NOTED_REQUIRE_BROWSER=1`; missing models skip it unless `NOTED_REQUIRE_MODELS=1` (CI sets
//! both). Screenshots (transcript, review page, signed note) and the FHIR bundle are written to
//! `$NOTED_ARTIFACTS` (default `<target dir>/test-artifacts/browser`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
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

// ----- Prerequisites --------------------------------------------------------------------------

fn env_is_1(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// Fails when `require` (CI), else prints "skipped: ..." and returns false.
fn present(ok: bool, require: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    if require {
        panic!("{what}");
    }
    eprintln!("skipped: {what}");
    false
}

fn runs(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("NOTED_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn models_dir() -> PathBuf {
    std::env::var_os("NOTED_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into()))
                .join(".cache/noted/models")
        })
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

// ----- The test -------------------------------------------------------------------------------

#[test]
fn browser_upload_review_sign_amend_export() {
    let Some(models) = prerequisites() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");

    let audio = work.path().join("session.wav");
    noted::transcribe::bench::synthesize_session(TURNS, &audio)
        .unwrap_or_else(|e| panic!("synthesizing the session recording: {e:#}"));

    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    for old in [
        "transcript.png",
        "review-initial.png",
        "review.png",
        "signed-note.png",
        "note-fhir.json",
        "failure.png",
        "failure.html",
    ] {
        let _ = std::fs::remove_file(artifacts.join(old));
    }

    let server = start_demo(&data, &models, work.path());
    eprintln!("demo server at {}", server.url);

    let out = Command::new("node")
        .arg(browser_dir().join("review.mjs"))
        .current_dir(browser_dir())
        .env("NOTED_URL", &server.url)
        .env("NOTED_EMAIL", EMAIL)
        .env("NOTED_PASSWORD", PASSWORD)
        .env("NOTED_AUDIO", &audio)
        .env("NOTED_ARTIFACTS", &artifacts)
        .env("NOTED_CHROMIUM", chromium())
        .stdin(Stdio::null())
        .output()
        .expect("run node tests/browser/review.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("--- browser scenario output ---\n{stdout}{stderr}--- end ---");
    eprintln!("artifacts in {}", artifacts.display());
    if !out.status.success() {
        let log = server.log();
        let tail: Vec<&str> = log.lines().rev().take(60).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "the browser scenario failed ({}); see the output above, failure.png/failure.html in {}.\nserver log (last lines):\n{}",
            out.status,
            artifacts.display(),
            tail.join("\n")
        );
    }
    assert!(
        stdout.contains("PASSED"),
        "the scenario exited 0 without reporting PASSED"
    );
    for shot in ["review.png", "signed-note.png"] {
        let p = artifacts.join(shot);
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "screenshot {} missing or empty", p.display());
    }
    drop(server);
}
