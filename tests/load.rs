//! A load test on loopback (issue 15): 50 clinicians' worth of chart reads and writes through
//! the HTTP API of a real server (`http::serve` on a TCP port), on PostgreSQL and on SQLite,
//! while a worker pool claims and completes jobs. Each clinician has a client of their own and
//! goes round: the client, their sessions, measures and plan (reads), a new session and a GAD-7
//! (writes). It reports p50/p99 latency for reads and writes and the job-claim overhead per
//! job (claim, run an empty handler, complete), and asserts what must hold under load: no
//! request fails, every write is there afterwards, every job ran exactly once, the audit chain
//! is intact. No time is asserted (speed targets live in benchmarks); read the numbers with
//! `cargo test --test load -- --nocapture` (the README's come from the test build that
//! `tests/run.sh` makes, dependencies optimised, on 2 cores).

#[path = "common/app.rs"]
mod app;
#[path = "common/db.rs"]
mod db;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use app::TestApp;
use noted::audit::{self, Verification};
use noted::jobs::{handler_fn, HandlerRegistry, JobQueue, JobState, WorkerConfig, WorkerPool};
use noted::store::Role;

const CLINICIANS: usize = 50;
const ROUNDS: usize = 20;
const JOBS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clinicians_and_the_job_queue_on_each_database() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    for db in db::TestDb::each().await {
        load(&db).await;
        db.drop().await;
    }
}

/// Latencies of one kind of request.
#[derive(Default)]
struct Latencies(Vec<Duration>);

impl Latencies {
    fn quantile(&mut self, q: f64) -> Duration {
        self.0.sort();
        let i = ((self.0.len() as f64 - 1.0) * q).round() as usize;
        self.0[i]
    }
}

async fn load(db: &db::TestDb) {
    let on = db.name();
    let t = TestApp::on(&db.location).await;
    let mut who = Vec::new();
    for i in 0..CLINICIANS {
        who.push(
            t.user(&format!("c{i}@example.org"), Role::Clinician, None)
                .await,
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(noted::http::serve(t.state.clone(), listener));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLINICIANS)
        .build()
        .unwrap();

    // the jobs: queued first, then claimed by a pool while the clinicians work
    let queue = JobQueue::new(t.store().pool().clone());
    for n in 0..JOBS {
        queue
            .enqueue("noop", json!({"n": n}), None, None)
            .await
            .unwrap();
    }
    let mut registry = HandlerRegistry::new();
    registry.register(
        "noop",
        handler_fn(|_job, _ctx| async move { Ok(json!({})) }),
    );
    let jobs_started = Instant::now();
    let pool = WorkerPool::start_with(
        queue.clone(),
        registry,
        WorkerConfig {
            concurrency: 2,
            ..WorkerConfig::default()
        },
    )
    .await
    .unwrap();
    let jobs_done = {
        let queue = queue.clone();
        tokio::spawn(async move {
            loop {
                let done = queue
                    .list_recent((JOBS + 10) as i64)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|j| j.state == JobState::Done)
                    .count();
                if done == JOBS {
                    return jobs_started.elapsed();
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };

    let reads = Arc::new(std::sync::Mutex::new(Latencies::default()));
    let writes = Arc::new(std::sync::Mutex::new(Latencies::default()));
    let started = Instant::now();
    let tasks = who.into_iter().enumerate().map(|(i, w)| {
        let (http, base, reads, writes) =
            (http.clone(), base.clone(), reads.clone(), writes.clone());
        tokio::spawn(async move {
            let call = |method: reqwest::Method, path: String, body: Option<Value>| {
                let mut req = http
                    .request(method, format!("{base}{path}"))
                    .bearer_auth(&w.token);
                if let Some(b) = body {
                    req = req
                        .header("content-type", "application/json")
                        .body(b.to_string());
                }
                async move {
                    let t0 = Instant::now();
                    let r = req.send().await.expect("the server answers");
                    let status = r.status().as_u16();
                    let body = r.bytes().await.expect("a whole body");
                    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    (status, v, t0.elapsed())
                }
            };
            let mut client = serde_json::to_value(noted::chart::sample::sample_client()).unwrap();
            client["full_name"] = json!(format!("Client {i}"));
            let (s, c, d) = call(
                reqwest::Method::POST,
                "/api/v1/clients".into(),
                Some(client),
            )
            .await;
            assert_eq!(s, 201, "{c}");
            writes.lock().unwrap().0.push(d);
            let id = c["id"].as_i64().unwrap();
            for round in 0..ROUNDS {
                for path in [
                    format!("/api/v1/clients/{id}"),
                    format!("/api/v1/clients/{id}/sessions"),
                    format!("/api/v1/clients/{id}/measures"),
                    format!("/api/v1/clients/{id}/plan"),
                ] {
                    let (s, v, d) = call(reqwest::Method::GET, path.clone(), None).await;
                    assert!(
                        s == 200 || (s == 404 && path.ends_with("/plan")),
                        "{path}: {s} {v}"
                    );
                    reads.lock().unwrap().0.push(d);
                }
                let session = json!({
                    "session_date": format!("2026-11-{:02}", round + 1),
                    "start_time": "10:00",
                    "duration_minutes": 50,
                    "modality": "video",
                });
                let (s, v, d) = call(
                    reqwest::Method::POST,
                    format!("/api/v1/clients/{id}/sessions"),
                    Some(session),
                )
                .await;
                assert_eq!(s, 201, "{v}");
                writes.lock().unwrap().0.push(d);
                let gad7 = json!({"instrument": "gad7", "answers": [1, 1, 0, 2, 1, 0, round % 4]});
                let (s, v, d) = call(
                    reqwest::Method::POST,
                    format!("/api/v1/clients/{id}/measures"),
                    Some(gad7),
                )
                .await;
                assert_eq!(s, 201, "{v}");
                writes.lock().unwrap().0.push(d);
            }
            id
        })
    });
    let clients: Vec<i64> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.expect("a clinician's round"))
        .collect();
    assert_eq!(clients.len(), CLINICIANS);
    let wall = started.elapsed();
    let jobs_wall = tokio::time::timeout(Duration::from_secs(300), jobs_done)
        .await
        .expect("the jobs finish")
        .unwrap();
    pool.shutdown(Duration::from_secs(2)).await;

    // what must hold afterwards
    let jobs = queue.list_recent((JOBS + 10) as i64).await.unwrap();
    assert_eq!(jobs.len(), JOBS, "{on}");
    for (i, j) in jobs.iter().enumerate() {
        assert_eq!((j.state, j.attempts), (JobState::Done, 1), "{on} job {i}");
    }
    let sessions: i64 = app::scalar(
        t.store(),
        "SELECT COUNT(*) FROM therapy_sessions WHERE id > $1",
        0,
    )
    .await
    .unwrap();
    assert_eq!(
        sessions as usize,
        CLINICIANS * ROUNDS,
        "{on}: every session written"
    );
    let measures: i64 = app::scalar(t.store(), "SELECT COUNT(*) FROM measures WHERE id > $1", 0)
        .await
        .unwrap();
    assert_eq!(
        measures as usize,
        CLINICIANS * ROUNDS,
        "{on}: every measure written"
    );
    assert!(
        matches!(
            audit::verify(t.store()).await.unwrap(),
            Verification::Intact { .. }
        ),
        "{on}: the audit chain"
    );

    let (mut reads, mut writes) = (
        std::mem::take(&mut *reads.lock().unwrap()),
        std::mem::take(&mut *writes.lock().unwrap()),
    );
    let requests = reads.0.len() + writes.0.len();
    println!(
        "load on {on}: {CLINICIANS} clinicians, {requests} requests in {:.1} s ({:.0}/s), 0 errors; \
         reads p50 {:.1} ms p99 {:.1} ms ({}); writes p50 {:.1} ms p99 {:.1} ms ({}); \
         {JOBS} jobs claimed, run and completed meanwhile in {:.2} s: {:.1} ms per job",
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        reads.quantile(0.5).as_secs_f64() * 1e3,
        reads.quantile(0.99).as_secs_f64() * 1e3,
        reads.0.len(),
        writes.quantile(0.5).as_secs_f64() * 1e3,
        writes.quantile(0.99).as_secs_f64() * 1e3,
        writes.0.len(),
        jobs_wall.as_secs_f64(),
        jobs_wall.as_secs_f64() * 1e3 / JOBS as f64,
    );
    server.abort();
    t.store().close().await;
}
