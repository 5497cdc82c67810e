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
        .env_remove("NOTED_WORKER_KINDS");
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

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let _web = start(&site, &["serve", "--no-workers", "--bind", &addr]);
    let t0 = Instant::now();
    while tokio::net::TcpStream::connect(&addr).await.is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the web app did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

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

    let client = serde_json::to_vec(&sample::sample_client()).unwrap();
    let (s, c) = call(
        &addr,
        "POST",
        "/api/v1/clients",
        &token,
        "application/json",
        &client,
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let cid = c["id"].as_i64().unwrap();
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
