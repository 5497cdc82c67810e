//! A practice that runs its web app and its model work in separate processes, as a person runs
//! them: `noted serve --no-workers` takes an upload and leaves its transcription queued; a
//! `noted worker --kinds drafting` does not take it; a `noted worker --kinds transcription`
//! on the same data directory does. Once on the data directory's SQLite database, and once on
//! PostgreSQL (`--database-url`, when `NOTED_TEST_POSTGRES_URL` names a server: `common/db.rs`).

#[path = "common/app.rs"]
mod app;
mod common;
#[path = "common/db.rs"]
mod db;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use noted::chart::sample;

const PW: &str = "correct horse battery staple";

/// Where the processes of a test keep their practice: the data directory, the models and the
/// database (`sqlite://` for the data directory's).
struct Site<'a> {
    data: &'a Path,
    models: &'a Path,
    database_url: String,
    /// More environment (the audio store and its credentials).
    env: Vec<(&'static str, String)>,
}

fn noted_cmd(site: &Site, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_noted"));
    c.args(args)
        .env("NOTED_DATA", site.data)
        .env("NOTED_MODELS", site.models)
        .env("NOTED_DATABASE_URL", &site.database_url)
        .env("NOTED_CONFIG", site.data.with_extension("toml"))
        .env_remove("NOTED_BIND")
        .env_remove("NOTED_NO_WORKERS")
        .env_remove("NOTED_WORKER_KINDS")
        .env_remove("NOTED_AUDIO_STORE");
    for (k, v) in &site.env {
        c.env(k, v);
    }
    c
}

fn run(site: &Site, args: &[&str], stdin: &str) -> String {
    let out = common::output_with_stdin(&mut noted_cmd(site, args), stdin);
    assert!(
        out.status.success(),
        "noted {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(site: &Site, args: &[&str]) -> Running {
    Running(
        noted_cmd(site, args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the noted binary"),
    )
}

/// One HTTP/1.1 request with a bearer token; the status and the JSON body.
async fn call(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Value) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let auth = if token.is_empty() {
        String::new()
    } else {
        format!("Authorization: Bearer {token}\r\n")
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").expect("an HTTP response");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head.to_lowercase().contains("transfer-encoding: chunked");
    let body = if chunked {
        common::dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// A new client through the API; its id.
async fn new_client(addr: &str, token: &str) -> i64 {
    let client = serde_json::to_vec(&sample::sample_client()).unwrap();
    let (s, c) = call(
        addr,
        "POST",
        "/api/v1/clients",
        token,
        "application/json",
        &client,
    )
    .await;
    assert_eq!(s, 201, "{c}");
    c["id"].as_i64().unwrap()
}

async fn job_state(addr: &str, token: &str, job: i64) -> String {
    let (s, j) = call(
        addr,
        "GET",
        &format!("/api/v1/jobs/{job}"),
        token,
        "text/plain",
        b"",
    )
    .await;
    assert_eq!(s, 200, "{j}");
    j["state"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_and_its_workers_run_as_separate_processes() {
    separate_processes(&db::TestDb::sqlite()).await;
}

/// The same on PostgreSQL: the web app and the workers share the database named by
/// `--database-url` (skipped with a message without `NOTED_TEST_POSTGRES_URL`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_and_its_workers_share_a_postgres_database() {
    let Some(url) = db::TestDb::postgres_url() else {
        return;
    };
    let db = db::TestDb::postgres(&url).await;
    separate_processes(&db).await;
    db.drop().await;
}

async fn separate_processes(db: &db::TestDb) {
    let models = common::models_dir();
    if noted::models::registry::active(&models, noted::models::registry::Role::Asr).is_err() {
        common::model_missing("a speech model (whisper tiny.en)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(data.with_extension("toml"), "").unwrap();
    let site = Site {
        data: &data,
        models: &models,
        database_url: db.url(),
        env: Vec::new(),
    };
    run(
        &site,
        &[
            "user",
            "add",
            "--email",
            "w@example.org",
            "--role",
            "clinician",
            "--password-stdin",
        ],
        &format!("{PW}\n"),
    );
    let token = run(&site, &["user", "token", "--email", "w@example.org"], "");

    let addr = format!("127.0.0.1:{}", common::free_port());
    let _web = start(&site, &["serve", "--no-workers", "--bind", &addr]);
    wait_for(&addr, "the web app").await;

    // sign in through the API (a sign-in attempt and a session written to the database)
    let login = serde_json::json!({"email": "w@example.org", "password": PW}).to_string();
    let (s, v) = call(
        &addr,
        "POST",
        "/api/v1/auth/login",
        "",
        "application/json",
        login.as_bytes(),
    )
    .await;
    assert_eq!(s, 200, "{} sign-in: {v}", db.name());
    assert!(v["csrf_token"].is_string(), "{v}");

    let cid = new_client(&addr, &token).await;
    let wav = app::tone_wav(2.0);
    let (s, up) = call(
        &addr,
        "POST",
        &format!("/api/v1/clients/{cid}/recordings?kind=dictation&keep_audio=false&filename=d.wav"),
        &token,
        "audio/wav",
        &wav,
    )
    .await;
    assert_eq!(s, 202, "{up}");
    let job = up["job_id"].as_i64().unwrap();

    // a worker refuses work it has no model for, and says so
    let empty = dir.path().join("no-models");
    std::fs::create_dir_all(&empty).unwrap();
    let no_models = Site {
        models: &empty,
        database_url: db.url(),
        env: Vec::new(),
        ..site
    };
    let out = noted_cmd(&no_models, &["worker", "--kinds", "drafting"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot take drafting jobs"), "{err}");

    // the web app alone, then a worker for the other kind: the job waits (polls come every 2 s)
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(job_state(&addr, &token, job).await, "queued");
    {
        let _drafting = start(&site, &["worker", "--kinds", "drafting", "--workers", "1"]);
        tokio::time::sleep(Duration::from_secs(6)).await;
        assert_eq!(job_state(&addr, &token, job).await, "queued");
    }

    // a transcription worker takes it and finishes it
    let _worker = start(
        &site,
        &[
            "worker",
            "--kinds",
            "transcription",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
    );
    let t0 = Instant::now();
    let state = loop {
        let s = job_state(&addr, &token, job).await;
        if s == "done" || s == "failed" {
            break s;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "the worker did not finish the job: {s}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(state, "done");
    assert_eq!(
        data.join("noted.db").exists(),
        db.name() == "sqlite",
        "the chart is in the database named, and only there"
    );
}

/// An S3 stand-in for the practice's audio: moto's server (from PyPI, installed by
/// `tests/run.sh` into `NOTED_TEST_S3_PYTHONPATH`) on a free loopback port, with one bucket.
struct S3 {
    _server: Running,
    endpoint: String,
}

const BUCKET: &str = "noted-audio";

impl S3 {
    /// Started, or `None` (skipped with a message; fails under `NOTED_REQUIRE_S3=1`).
    async fn start() -> Option<S3> {
        let path = std::env::var("NOTED_TEST_S3_PYTHONPATH")
            .ok()
            .filter(|p| !p.is_empty());
        if !common::present(
            path.is_some(),
            common::env_is_1("NOTED_REQUIRE_S3"),
            "an S3 stand-in: NOTED_TEST_S3_PYTHONPATH names no moto install (tests/run.sh \
             installs one)",
        ) {
            return None;
        }
        let port = common::free_port();
        let server = Running(
            Command::new("python3")
                .args([
                    "-m",
                    "moto.server",
                    "-H",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                ])
                .env("PYTHONPATH", path.unwrap())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start moto's server"),
        );
        let addr = format!("127.0.0.1:{port}");
        wait_for(&addr, "the S3 stand-in").await;
        let (status, _) = raw(&addr, "PUT", &format!("/{BUCKET}"), b"").await;
        assert_eq!(status, 200, "creating the bucket");
        Some(S3 {
            _server: server,
            endpoint: format!("http://{addr}"),
        })
    }

    /// The environment that points a process at this store.
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("NOTED_AUDIO_STORE", format!("s3://{BUCKET}/practice")),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ]
    }

    /// The keys the bucket holds.
    async fn keys(&self) -> Vec<String> {
        let addr = self.endpoint.trim_start_matches("http://");
        let (status, body) = raw(addr, "GET", &format!("/{BUCKET}?list-type=2"), b"").await;
        assert_eq!(status, 200, "{body}");
        body.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split_once("</Key>").map(|(k, _)| k.to_string()))
            .collect()
    }
}

async fn wait_for(addr: &str, what: &str) {
    let t0 = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "{what} did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// One HTTP/1.1 request without credentials: the status and the body as text.
async fn raw(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let rest = if head.to_lowercase().contains("transfer-encoding: chunked") {
        common::dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, rest)
}

/// The files left in a data directory's scratch.
fn scratch_files(data: &Path) -> usize {
    std::fs::read_dir(data.join(noted::store::audio::SCRATCH_DIR))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A practice on several machines (issue 15): one PostgreSQL, two web servers and two workers,
/// each with a data directory of its own (the keys copied, as an operator does), and the audio
/// in an S3 stand-in. An upload to one web server goes to the bucket, not to a disk; its
/// progress shows on the other web server; the worker that holds the job is killed (SIGKILL)
/// mid-transcription, and the other worker takes it when the lease runs out and finishes it
/// exactly once: one transcript, one draft job, the audio deleted from the bucket and nothing
/// left in either worker's scratch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_transcription_loses_its_job_to_another_machine() {
    let models = common::models_dir();
    if noted::models::registry::active(&models, noted::models::registry::Role::Asr).is_err() {
        common::model_missing("a speech model (whisper tiny.en)");
        return;
    }
    if !common::present(
        common::runs("espeak-ng", "--version") && common::runs("sox", "--version"),
        common::env_is_1("NOTED_REQUIRE_MODELS"),
        "espeak-ng and sox (speech for the recording)",
    ) {
        return;
    }
    let Some(url) = db::TestDb::postgres_url() else {
        return;
    };
    let Some(s3) = S3::start().await else {
        return;
    };
    let db = db::TestDb::postgres(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let machine = |name: &str| {
        let d = dir.path().join(name);
        std::fs::write(d.with_extension("toml"), "").unwrap();
        d
    };
    let (web1, web2, w1, w2) = (
        machine("web1"),
        machine("web2"),
        machine("w1"),
        machine("w2"),
    );
    let site = |data| Site {
        data,
        models: &models,
        database_url: db.url(),
        env: s3.env(),
    };
    run(
        &site(&web1),
        &[
            "user",
            "add",
            "--email",
            "p@example.org",
            "--role",
            "clinician",
            "--password-stdin",
        ],
        &format!("{PW}\n"),
    );
    let token = run(
        &site(&web1),
        &["user", "token", "--email", "p@example.org"],
        "",
    );
    // the other machines get the practice's keys
    for other in [&web2, &w1, &w2] {
        std::fs::create_dir_all(other).unwrap();
        for key in ["data.key", "audit.key"] {
            std::fs::copy(web1.join(key), other.join(key)).unwrap();
        }
    }

    let (a1, a2) = (
        format!("127.0.0.1:{}", common::free_port()),
        format!("127.0.0.1:{}", common::free_port()),
    );
    let _web1 = start(&site(&web1), &["serve", "--no-workers", "--bind", &a1]);
    let _web2 = start(&site(&web2), &["serve", "--no-workers", "--bind", &a2]);
    wait_for(&a1, "the first web server").await;
    wait_for(&a2, "the second web server").await;

    let cid = new_client(&a1, &token).await;
    // about a minute of speech, so that the transcription is under way when its worker dies
    let line = "I have been sleeping better since we last met, about six hours on most nights.";
    let turns: Vec<(&str, &str)> = (0..14).map(|_| ("client", line)).collect();
    let wav = dir.path().join("dictation.wav");
    noted::transcribe::bench::synthesize_session(&turns, &wav).unwrap();
    let (s, up) = call(
        &a1,
        "POST",
        &format!("/api/v1/clients/{cid}/recordings?kind=dictation&keep_audio=false&filename=d.wav"),
        &token,
        "audio/wav",
        &std::fs::read(&wav).unwrap(),
    )
    .await;
    assert_eq!(s, 202, "{up}");
    let job = up["job_id"].as_i64().unwrap();
    let keys = s3.keys().await;
    assert_eq!(keys.len(), 1, "the upload is in the bucket: {keys:?}");
    assert!(keys[0].starts_with("practice/audio/"), "{keys:?}");
    let on_disk = std::fs::read_dir(web1.join("audio"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(on_disk, 0, "nothing of the upload stays on the web server");

    // the first worker takes it; its progress shows on the other web server
    let worker = |data| {
        start(
            &site(data),
            &[
                "worker",
                "--kinds",
                "transcription",
                "--workers",
                "1",
                "--threads",
                "1",
                "--lease-secs",
                "6",
            ],
        )
    };
    let mut first = worker(&w1);
    let t0 = Instant::now();
    let seen = loop {
        let (s, j) = call(
            &a2,
            "GET",
            &format!("/api/v1/jobs/{job}"),
            &token,
            "text/plain",
            b"",
        )
        .await;
        assert_eq!(s, 200, "{j}");
        if j["stage"].as_str() == Some("transcribing") && j["state"] == "running" {
            break j;
        }
        assert_ne!(
            j["state"], "done",
            "the job finished before its worker could be killed"
        );
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "the first worker did not start transcribing: {j}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(seen["attempts"], 1, "{seen}");
    let _second = worker(&w2);
    first.0.kill().unwrap(); // SIGKILL: no hand-back, no clean-up
    first.0.wait().unwrap();

    let t0 = Instant::now();
    let done = loop {
        let (s, j) = call(
            &a2,
            "GET",
            &format!("/api/v1/jobs/{job}"),
            &token,
            "text/plain",
            b"",
        )
        .await;
        assert_eq!(s, 200, "{j}");
        if j["state"] == "done" || j["state"] == "failed" {
            break j;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "the second worker did not finish the job: {j}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["attempts"], 2, "the job ran again once: {done}");

    let pool = sqlx::PgPool::connect(&db.url()).await.unwrap();
    let rec: i64 = sqlx::query_scalar("SELECT id FROM recordings")
        .fetch_one(&pool)
        .await
        .unwrap();
    let transcripts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM transcripts WHERE recording_id = $1")
            .bind(rec)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(transcripts, 1, "one transcript");
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'draft'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(drafts, 1, "one draft job");
    // the job carried the object's key (through the recording) and hash, never audio
    let payload: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE id = $1")
        .bind(job)
        .fetch_one(&pool)
        .await
        .unwrap();
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["recording_id"], rec, "{payload}");
    assert_eq!(
        payload["audio_sha256"].as_str().map(str::len),
        Some(64),
        "{payload}"
    );
    assert!(payload.to_string().len() < 200, "{payload}");
    pool.close().await;
    assert_eq!(
        s3.keys().await,
        Vec::<String>::new(),
        "the audio is deleted from the bucket once transcribed"
    );
    assert_eq!(scratch_files(&w1), 0, "the killed worker left no audio");
    assert_eq!(scratch_files(&w2), 0, "the second worker left no audio");
    db.drop().await;
}
