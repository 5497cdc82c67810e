//! The durable job queue and worker pool against a real database, SQLite and (with
//! `NOTED_TEST_POSTGRES_URL`, `common/db.rs`) PostgreSQL: claim order, concurrency, live
//! progress and SSE, cancel, failure and retry, crash recovery (including a worker process
//! killed with SIGKILL), and handler panics.

#[macro_use]
#[path = "common/db.rs"]
mod db;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use noted::jobs::{
    event_stream, handler_fn, sse, HandlerRegistry, Job, JobError, JobEvent, JobQueue, JobState,
    NewJob, QueueConfig, QueueError, WorkerConfig, WorkerPool,
};
use noted::store::Location;
use serde_json::json;
use tempfile::TempDir;

/// Generous bound for things that should take milliseconds (CI machines are slow and shared).
const WAIT: Duration = Duration::from_secs(30);

async fn open_queue(location: &Location, dir: &std::path::Path) -> JobQueue {
    let store = noted::store::Store::open_at(location, dir, None)
        .await
        .expect("open the database and run all migrations");
    JobQueue::with_config(
        store.pool().clone(),
        QueueConfig {
            retry_backoff: Duration::ZERO,
            ..QueueConfig::default()
        },
    )
}

async fn setup(db: &db::TestDb) -> (TempDir, JobQueue) {
    let dir = tempfile::tempdir().expect("tempdir");
    let queue = open_queue(&db.location, dir.path()).await;
    (dir, queue)
}

fn fast(concurrency: usize) -> WorkerConfig {
    WorkerConfig {
        concurrency,
        lease: Duration::from_secs(5),
        heartbeat: Some(Duration::from_millis(100)),
        poll_interval: Duration::from_millis(50),
        reap_interval: Duration::from_millis(200),
        progress_flush: Duration::from_millis(20),
        stop_timeout: Duration::from_secs(2),
        worker_id: None,
        recover_all_on_start: false,
    }
}

/// Poll `get(id)` until `pred` holds; panics with the last state after [`WAIT`].
async fn wait_for(queue: &JobQueue, id: i64, what: &str, pred: impl Fn(&Job) -> bool) -> Job {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let job = queue.get(id).await.expect("get job");
        if pred(&job) {
            return job;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for job {id} to be {what}; it is {job:?}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn wait_state(queue: &JobQueue, id: i64, state: JobState) -> Job {
    wait_for(queue, id, state.as_str(), |j| j.state == state).await
}

fn kinds(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_follow_priority_then_enqueue_order_and_kind() {
    for db in db::TestDb::each().await {
        claims_follow_priority_then_enqueue_order_and_kind_on(&db).await;
        db.drop().await;
    }
}

async fn claims_follow_priority_then_enqueue_order_and_kind_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let a = queue
        .enqueue("t", json!({"n": 1}), Some(7), Some(1))
        .await
        .unwrap();
    let b = queue
        .enqueue("t", json!({"n": 2}), Some(7), None)
        .await
        .unwrap();
    let other = queue.enqueue("other", json!({}), None, None).await.unwrap();
    let urgent = queue
        .enqueue_job(NewJob::new("t", json!({"n": 3})).priority(5).client(8))
        .await
        .unwrap();

    let lease = Duration::from_secs(60);
    let mut order = Vec::new();
    while let Some(c) = queue.claim("w1", &kinds(&["t"]), lease).await.unwrap() {
        assert_eq!(c.job.state, JobState::Running);
        assert_eq!(c.job.attempts, 1);
        assert_eq!(c.job.lease_owner.as_deref(), Some("w1"));
        assert!(c.job.lease_expires_at.is_some());
        order.push(c.job.id);
    }
    assert_eq!(order, vec![urgent, a, b]);
    // The "other" job is left for a worker that handles that kind.
    let o = queue.get(other).await.unwrap();
    assert_eq!(o.state, JobState::Queued);
    let c = queue
        .claim("w2", &kinds(&["other"]), lease)
        .await
        .unwrap()
        .expect("other kind claimable");
    assert_eq!(c.job.id, other);

    let job_a = queue.get(a).await.unwrap();
    assert_eq!(job_a.payload, json!({"n": 1}));
    assert_eq!(job_a.client_id, Some(7));
    assert_eq!(job_a.created_by, Some(1));
    let for_client: Vec<i64> = queue
        .list_for_client(7, 10)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(for_client, vec![b, a], "newest first, only that client");
    assert!(matches!(
        queue.get(9999).await,
        Err(QueueError::NotFound(9999))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_claimers_never_take_the_same_job() {
    for db in db::TestDb::each().await {
        concurrent_claimers_never_take_the_same_job_on(&db).await;
        db.drop().await;
    }
}

async fn concurrent_claimers_never_take_the_same_job_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let mut ids = Vec::new();
    for i in 0..24 {
        ids.push(
            queue
                .enqueue("t", json!({ "i": i }), None, None)
                .await
                .unwrap(),
        );
    }
    let mut tasks = Vec::new();
    for w in 0..6 {
        let q = queue.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(c) = q
                .claim(&format!("w{w}"), &kinds(&["t"]), Duration::from_secs(60))
                .await
                .unwrap()
            {
                got.push(c.job.id);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    assert_eq!(all, ids, "every job claimed exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_respects_concurrency_and_runs_in_order() {
    for db in db::TestDb::each().await {
        pool_respects_concurrency_and_runs_in_order_on(&db).await;
        db.drop().await;
    }
}

async fn pool_respects_concurrency_and_runs_in_order_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let current = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(Mutex::new(Vec::new()));
    let handler = {
        let (current, peak, started) = (current.clone(), peak.clone(), started.clone());
        handler_fn(move |job, ctx| {
            let (current, peak, started) = (current.clone(), peak.clone(), started.clone());
            async move {
                started.lock().unwrap().push(job.id);
                let now = current.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                // Blocking work off the runtime, as model jobs do.
                ctx.run_blocking(|_| {
                    std::thread::sleep(Duration::from_millis(150));
                    Ok(())
                })
                .await?;
                current.fetch_sub(1, Ordering::SeqCst);
                Ok(json!({ "n": job.payload["n"] }))
            }
        })
    };
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(
            queue
                .enqueue("model", json!({ "n": n }), None, None)
                .await
                .unwrap(),
        );
    }
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("model", handler),
        fast(2),
    )
    .await
    .unwrap();
    for (n, id) in ids.iter().enumerate() {
        let job = wait_state(&queue, *id, JobState::Done).await;
        assert_eq!(job.result, Some(json!({ "n": n })));
        assert_eq!(job.progress, 1.0);
        assert!(job.finished_at.is_some());
    }
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "exactly 2 at once with concurrency 2"
    );
    // Claimed in enqueue order; two claimed together may start their handlers in either order
    // (two tasks racing to their first line), so each start is within the two oldest not yet
    // started.
    let started = started.lock().unwrap().clone();
    let mut waiting = ids.clone();
    for id in &started {
        let at = waiting.iter().position(|w| w == id).expect("started once");
        assert!(at < 2, "started in enqueue order: {started:?} for {ids:?}");
        waiting.remove(at);
    }
    assert!(waiting.is_empty(), "every job started: {started:?}");
    pool.shutdown(Duration::from_secs(5)).await;
}

/// A handler that waits for the test to open `gate`, then reports 10 progress steps.
fn gated_progress_handler(gate: Arc<tokio::sync::Semaphore>) -> Arc<dyn noted::jobs::JobHandler> {
    handler_fn(move |_job, ctx| {
        let gate = gate.clone();
        async move {
            gate.acquire().await.expect("gate").forget();
            ctx.run_blocking(|ctx| {
                for i in 1..=10 {
                    if !ctx.progress(
                        if i <= 5 { "decoding" } else { "transcribing" },
                        i as f64 / 10.0,
                    ) {
                        return Err(JobError::Cancelled);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(json!({ "ok": true }))
            })
            .await
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_events_arrive_in_order_and_streams_end_at_terminal_state() {
    for db in db::TestDb::each().await {
        progress_events_arrive_in_order_and_streams_end_at_terminal_state_on(&db).await;
        db.drop().await;
    }
}

async fn progress_events_arrive_in_order_and_streams_end_at_terminal_state_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("t", gated_progress_handler(gate.clone())),
        fast(1),
    )
    .await
    .unwrap();

    // Event stream of one job.
    let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
    let collector = tokio::spawn(event_stream(queue.clone(), id).collect::<Vec<_>>());
    tokio::time::sleep(Duration::from_millis(100)).await;
    gate.add_permits(1);
    let events: Vec<JobEvent> = tokio::time::timeout(WAIT, collector)
        .await
        .expect("event stream ends after the job is done")
        .unwrap()
        .into_iter()
        .map(|e| e.expect("event"))
        .collect();
    assert!(events.iter().all(|e| e.id == id));
    let first = &events[0];
    assert!(
        matches!(first.state, JobState::Queued | JobState::Running),
        "first event is the current state: {first:?}"
    );
    let last = events.last().unwrap();
    assert_eq!(last.state, JobState::Done);
    assert_eq!(last.progress, 1.0);
    let reported: Vec<f64> = events
        .iter()
        .filter(|e| e.state == JobState::Running && e.stage.is_some())
        .map(|e| e.progress)
        .collect();
    let expected: Vec<f64> = (1..=10).map(|i| i as f64 / 10.0).collect();
    assert_eq!(reported, expected, "every progress step, in order");
    let stages: Vec<&str> = events.iter().filter_map(|e| e.stage.as_deref()).collect();
    assert_eq!(stages.first(), Some(&"decoding"));
    assert_eq!(stages.last(), Some(&"transcribing"));
    // A stream opened after the end sends the terminal state once and ends.
    let after: Vec<_> =
        tokio::time::timeout(WAIT, event_stream(queue.clone(), id).collect::<Vec<_>>())
            .await
            .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].as_ref().unwrap().state, JobState::Done);

    // The same through the SSE response body.
    let id2 = queue.enqueue("t", json!({}), None, None).await.unwrap();
    let response = axum::response::IntoResponse::into_response(sse(queue.clone(), id2));
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    let body = tokio::spawn(http_body_util::BodyExt::collect(response.into_body()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    gate.add_permits(1);
    let bytes = tokio::time::timeout(WAIT, body)
        .await
        .expect("SSE body ends after the job is done")
        .unwrap()
        .unwrap()
        .to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let datas: Vec<JobEvent> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).expect("event data is a JobEvent"))
        .collect();
    assert!(datas.len() >= 3, "several events: {text}");
    assert_eq!(datas.last().unwrap().state, JobState::Done);
    let progress: Vec<f64> = datas.iter().map(|e| e.progress).collect();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {progress:?}"
    );

    // SSE for an unknown job: one error event, then the end.
    let response = axum::response::IntoResponse::into_response(sse(queue.clone(), 424242));
    let bytes = tokio::time::timeout(WAIT, http_body_util::BodyExt::collect(response.into_body()))
        .await
        .unwrap()
        .unwrap()
        .to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains("event: error") && text.contains("not found"),
        "{text}"
    );

    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_queued_job_is_immediate() {
    for db in db::TestDb::each().await {
        cancelling_a_queued_job_is_immediate_on(&db).await;
        db.drop().await;
    }
}

async fn cancelling_a_queued_job_is_immediate_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
    let job = queue.cancel(id).await.unwrap();
    assert_eq!(job.state, JobState::Cancelled);
    assert!(job.finished_at.is_some());
    assert!(queue
        .claim("w", &kinds(&["t"]), Duration::from_secs(60))
        .await
        .unwrap()
        .is_none());
    // Idempotent; unknown ids are reported.
    assert_eq!(queue.cancel(id).await.unwrap().state, JobState::Cancelled);
    assert!(matches!(
        queue.cancel(31337).await,
        Err(QueueError::NotFound(31337))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_running_job_stops_its_handler() {
    for db in db::TestDb::each().await {
        cancelling_a_running_job_stops_its_handler_on(&db).await;
        db.drop().await;
    }
}

async fn cancelling_a_running_job_stops_its_handler_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let observed = Arc::new(AtomicBool::new(false));
    let handler = {
        let observed = observed.clone();
        handler_fn(move |_job, ctx| {
            let observed = observed.clone();
            async move {
                ctx.run_blocking(move |ctx| {
                    for i in 0..100_000 {
                        if !ctx.progress("working", i as f64 / 100_000.0) {
                            observed.store(true, Ordering::SeqCst);
                            return Err(JobError::Cancelled);
                        }
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Ok(json!({}))
                })
                .await
            }
        })
    };
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("long", handler),
        fast(1),
    )
    .await
    .unwrap();
    let id = queue.enqueue("long", json!({}), None, None).await.unwrap();
    let running = wait_for(&queue, id, "running with progress", |j| {
        j.state == JobState::Running && j.progress > 0.0
    })
    .await;
    assert_eq!(running.stage.as_deref(), Some("working"));
    let requested = queue.cancel(id).await.unwrap();
    assert_eq!(requested.state, JobState::Running);
    assert!(requested.cancel_requested);
    let job = wait_state(&queue, id, JobState::Cancelled).await;
    assert!(
        observed.load(Ordering::SeqCst),
        "the handler saw the cancellation"
    );
    assert!(job.finished_at.is_some());
    assert!(job.result.is_none());
    // A cancel made by another process (here: another queue over the same database, which
    // shares no memory with the pool's) reaches the handler through the lease heartbeat.
    let elsewhere = JobQueue::new(queue.pool().clone());
    let id2 = queue.enqueue("long", json!({}), None, None).await.unwrap();
    wait_for(&queue, id2, "running with progress", |j| {
        j.state == JobState::Running && j.progress > 0.0
    })
    .await;
    observed.store(false, Ordering::SeqCst);
    elsewhere.cancel(id2).await.unwrap();
    wait_state(&queue, id2, JobState::Cancelled).await;
    assert!(observed.load(Ordering::SeqCst));
    // A finished job cannot be cancelled.
    let id3 = queue.enqueue("long", json!({}), None, None).await.unwrap();
    queue.cancel(id3).await.unwrap();
    // retried, run and finished (by hand: the states a job passes through on its way), in one
    // transaction so that no worker takes it up in between
    let mut tx = queue.pool().begin_write().await.unwrap();
    for state in ["queued", "running", "done"] {
        let update = "UPDATE jobs SET state = $2 WHERE id = $1";
        if let Some(c) = tx.sqlite() {
            sqlx::query(update)
                .bind(id3)
                .bind(state)
                .execute(c)
                .await
                .map(drop)
        } else {
            let c = tx
                .postgres()
                .expect("a transaction is SQLite or PostgreSQL");
            sqlx::query(update)
                .bind(id3)
                .bind(state)
                .execute(c)
                .await
                .map(drop)
        }
        .unwrap();
    }
    tx.commit().await.unwrap();
    assert!(matches!(
        queue.cancel(id3).await,
        Err(QueueError::InvalidState {
            state: JobState::Done,
            ..
        })
    ));
    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_record_the_error_and_retry_requeues() {
    for db in db::TestDb::each().await {
        failures_record_the_error_and_retry_requeues_on(&db).await;
        db.drop().await;
    }
}

async fn failures_record_the_error_and_retry_requeues_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let flaky = {
        let runs = runs.clone();
        handler_fn(move |job, _ctx| {
            let runs = runs.clone();
            async move {
                let n = runs.fetch_add(1, Ordering::SeqCst);
                match job.payload["mode"].as_str() {
                    Some("fatal-once") if n == 0 => Err(JobError::fatal("audio file is truncated")),
                    Some("always-transient") => Err(JobError::retryable("model busy")),
                    _ => Ok(json!({ "run": n })),
                }
            }
        })
    };
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("f", flaky),
        fast(1),
    )
    .await
    .unwrap();

    // A fatal failure is recorded and not retried by itself...
    let id = queue
        .enqueue("f", json!({"mode": "fatal-once"}), None, None)
        .await
        .unwrap();
    let failed = wait_state(&queue, id, JobState::Failed).await;
    assert_eq!(failed.error.as_deref(), Some("audio file is truncated"));
    assert_eq!(failed.attempts, 1);
    assert!(failed.finished_at.is_some());
    assert!(matches!(
        queue.cancel(id).await,
        Err(QueueError::InvalidState {
            state: JobState::Failed,
            ..
        })
    ));
    // ...until a user retries it.
    let requeued = queue.retry(id).await.unwrap();
    assert_eq!(requeued.state, JobState::Queued);
    assert_eq!(requeued.error, None);
    let done = wait_state(&queue, id, JobState::Done).await;
    assert_eq!(done.result, Some(json!({"run": 1})));
    assert_eq!(done.error, None);
    assert!(matches!(
        queue.retry(id).await,
        Err(QueueError::InvalidState {
            state: JobState::Done,
            ..
        })
    ));

    // A retryable failure runs again until max_attempts, then fails with the error.
    let id = queue
        .enqueue_job(NewJob::new("f", json!({"mode": "always-transient"})).max_attempts(3))
        .await
        .unwrap();
    let failed = wait_state(&queue, id, JobState::Failed).await;
    assert_eq!(failed.attempts, 3);
    assert_eq!(failed.error.as_deref(), Some("model busy"));
    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_left_running_by_a_dead_worker_runs_again_on_start() {
    for db in db::TestDb::each().await {
        a_job_left_running_by_a_dead_worker_runs_again_on_start_on(&db).await;
        db.drop().await;
    }
}

async fn a_job_left_running_by_a_dead_worker_runs_again_on_start_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let id = queue
        .enqueue("t", json!({"recording": 1}), None, None)
        .await
        .unwrap();
    // A worker claims it with a lease that is already over, then "dies" (never finishes).
    let dead = queue
        .claim("dead-worker", &kinds(&["t"]), Duration::ZERO)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dead.job.id, id);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with(
            "t",
            handler_fn(|job, _ctx| async move { Ok(json!({"attempt": job.attempts})) }),
        ),
        fast(1),
    )
    .await
    .unwrap();
    let done = wait_state(&queue, id, JobState::Done).await;
    assert_eq!(done.attempts, 2);
    assert_eq!(done.result, Some(json!({"attempt": 2})));
    // The dead worker can no longer write to it.
    assert!(matches!(
        queue.complete(&dead.lease, &json!({"stale": true})).await,
        Err(QueueError::LeaseLost(_))
    ));
    assert_eq!(
        queue.get(id).await.unwrap().result,
        Some(json!({"attempt": 2}))
    );
    pool.shutdown(Duration::from_secs(5)).await;
}

/// Runs only as the child process of `a_worker_killed_mid_job_is_recovered`: works on a job
/// until killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_worker_that_gets_killed() {
    let (Ok(url), Ok(dir)) = (
        std::env::var("NOTED_JOBS_TEST_CHILD_DB"),
        std::env::var("NOTED_JOBS_TEST_CHILD_DIR"),
    ) else {
        return;
    };
    let location = Location::parse(&url).expect("the parent's database URL");
    let queue = open_queue(&location, std::path::Path::new(&dir)).await;
    let handler = handler_fn(|_job, ctx| async move {
        ctx.run_blocking(|ctx| loop {
            ctx.progress("child-working", 0.5);
            std::thread::sleep(Duration::from_millis(20));
        })
        .await
    });
    let mut config = fast(1);
    config.lease = Duration::from_secs(1);
    let _pool = WorkerPool::start_with(queue, HandlerRegistry::new().with("t", handler), config)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(600)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_job_is_recovered() {
    for db in db::TestDb::each().await {
        a_worker_killed_mid_job_is_recovered_on(&db).await;
        db.drop().await;
    }
}

async fn a_worker_killed_mid_job_is_recovered_on(db: &db::TestDb) {
    let (dir, queue) = setup(db).await;
    let url = match &db.location {
        Location::Sqlite(_) => format!("sqlite://{}", dir.path().join("noted.db").display()),
        Location::Postgres(url) => url.clone(),
    };
    let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_worker_that_gets_killed",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("NOTED_JOBS_TEST_CHILD_DB", &url)
        .env("NOTED_JOBS_TEST_CHILD_DIR", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the child worker");
    let running = wait_for(&queue, id, "running in the child", |j| {
        j.state == JobState::Running && j.stage.as_deref() == Some("child-working")
    })
    .await;
    assert_eq!(running.attempts, 1);
    child.kill().expect("SIGKILL the child"); // SIGKILL on Unix: no cleanup runs
    child.wait().unwrap();
    assert_eq!(
        queue.get(id).await.unwrap().state,
        JobState::Running,
        "still marked running after the kill"
    );

    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with(
            "t",
            handler_fn(|_job, _ctx| async move { Ok(json!({"recovered": true})) }),
        ),
        fast(1),
    )
    .await
    .unwrap();
    let done = wait_state(&queue, id, JobState::Done).await;
    assert_eq!(done.attempts, 2);
    assert_eq!(done.result, Some(json!({"recovered": true})));
    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_fails_its_job_and_the_pool_carries_on() {
    for db in db::TestDb::each().await {
        a_panicking_handler_fails_its_job_and_the_pool_carries_on_on(&db).await;
        db.drop().await;
    }
}

async fn a_panicking_handler_fails_its_job_and_the_pool_carries_on_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let registry = HandlerRegistry::new()
        .with(
            "boom",
            handler_fn(|_job, _ctx| async move {
                if true {
                    panic!("decoder exploded");
                }
                Ok(json!({}))
            }),
        )
        .with(
            "boom-blocking",
            handler_fn(|_job, ctx| async move {
                ctx.run_blocking(|_| -> Result<serde_json::Value, JobError> {
                    panic!("inference exploded")
                })
                .await
            }),
        )
        .with(
            "ok",
            handler_fn(|_job, _ctx| async move { Ok(json!({"fine": true})) }),
        );
    let pool = WorkerPool::start_with(queue.clone(), registry, fast(1))
        .await
        .unwrap();
    let boom = queue.enqueue("boom", json!({}), None, None).await.unwrap();
    let boom2 = queue
        .enqueue("boom-blocking", json!({}), None, None)
        .await
        .unwrap();
    let ok = queue.enqueue("ok", json!({}), None, None).await.unwrap();
    let failed = wait_state(&queue, boom, JobState::Failed).await;
    let error = failed.error.unwrap();
    assert!(
        error.contains("crashed") && error.contains("decoder exploded"),
        "{error}"
    );
    assert_eq!(failed.attempts, 1, "a panic is not retried");
    let failed = wait_state(&queue, boom2, JobState::Failed).await;
    assert!(failed.error.unwrap().contains("inference exploded"));
    let done = wait_state(&queue, ok, JobState::Done).await;
    assert_eq!(done.result, Some(json!({"fine": true})));
    pool.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_puts_unfinished_jobs_back_without_counting_the_attempt() {
    for db in db::TestDb::each().await {
        shutdown_puts_unfinished_jobs_back_without_counting_the_attempt_on(&db).await;
        db.drop().await;
    }
}

async fn shutdown_puts_unfinished_jobs_back_without_counting_the_attempt_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let handler = handler_fn(|_job, ctx| async move {
        ctx.run_blocking(|ctx| loop {
            if !ctx.progress("working", 0.3) {
                return Err(JobError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(5));
        })
        .await
    });
    let pool = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("t", handler),
        fast(1),
    )
    .await
    .unwrap();
    let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
    wait_for(&queue, id, "running", |j| {
        j.state == JobState::Running && j.progress > 0.0
    })
    .await;
    tokio::time::timeout(WAIT, pool.shutdown(Duration::from_millis(50)))
        .await
        .expect("shutdown finishes");
    let job = queue.get(id).await.unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.attempts, 0);
    assert_eq!(job.lease_owner, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_and_completion_commit_together_or_not_at_all() {
    for db in db::TestDb::each().await {
        output_and_completion_commit_together_or_not_at_all_on(&db).await;
        db.drop().await;
    }
}

async fn output_and_completion_commit_together_or_not_at_all_on(db: &db::TestDb) {
    let (_dir, queue) = setup(db).await;
    let pool = queue.pool().clone();
    let create = "CREATE TABLE test_outputs (job_id BIGINT NOT NULL, value TEXT NOT NULL)";
    on_pool!(queue, |p| sqlx::query(create).execute(p).await.map(drop)).unwrap();
    let handler = {
        let pool = pool.clone();
        handler_fn(move |job, ctx| {
            let pool = pool.clone();
            async move {
                let mut tx = pool.begin_write().await.map_err(JobError::retryable)?;
                let insert = "INSERT INTO test_outputs (job_id, value) VALUES ($1, 'out')";
                if let Some(c) = tx.sqlite() {
                    sqlx::query(insert).bind(job.id).execute(c).await.map(drop)
                } else {
                    let c = tx
                        .postgres()
                        .expect("a transaction is SQLite or PostgreSQL");
                    sqlx::query(insert).bind(job.id).execute(c).await.map(drop)
                }
                .map_err(JobError::retryable)?;
                ctx.complete_in(&mut tx, &json!({"rows": 1})).await?;
                if job.payload["abort_before_commit"] == json!(true) {
                    drop(tx); // rolled back, as if the process died here
                    return Err(JobError::fatal("stopped before commit"));
                }
                tx.commit().await.map_err(JobError::retryable)?;
                Ok(json!({"rows": 1}))
            }
        })
    };
    let workers = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with("w", handler),
        fast(1),
    )
    .await
    .unwrap();
    let committed = queue.enqueue("w", json!({}), None, None).await.unwrap();
    let aborted = queue
        .enqueue("w", json!({"abort_before_commit": true}), None, None)
        .await
        .unwrap();
    let done = wait_state(&queue, committed, JobState::Done).await;
    assert_eq!(done.result, Some(json!({"rows": 1})));
    let failed = wait_state(&queue, aborted, JobState::Failed).await;
    assert_eq!(failed.result, None);
    assert_eq!(failed.error.as_deref(), Some("stopped before commit"));
    let select = "SELECT job_id FROM test_outputs ORDER BY job_id";
    let rows: Vec<i64> =
        on_pool!(queue, |p| sqlx::query_scalar(select).fetch_all(p).await).unwrap();
    assert_eq!(rows, vec![committed], "only the committed job left output");
    workers.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_server_recovers_its_running_jobs_at_start_without_waiting_for_the_lease() {
    for db in db::TestDb::each().await {
        a_single_server_recovers_its_running_jobs_at_start_without_waiting_for_the_lease_on(&db)
            .await;
        db.drop().await;
    }
}

async fn a_single_server_recovers_its_running_jobs_at_start_without_waiting_for_the_lease_on(
    db: &db::TestDb,
) {
    let (_dir, queue) = setup(db).await;
    let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
    // Left running by the previous server process, lease still valid for an hour.
    queue
        .claim(
            "previous-process",
            &kinds(&["t"]),
            Duration::from_secs(3600),
        )
        .await
        .unwrap()
        .unwrap();
    let mut config = fast(1);
    config.recover_all_on_start = true;
    config.reap_interval = Duration::from_secs(3600);
    let workers = WorkerPool::start_with(
        queue.clone(),
        HandlerRegistry::new().with(
            "t",
            handler_fn(|_job, _ctx| async move { Ok(json!({"ok": true})) }),
        ),
        config,
    )
    .await
    .unwrap();
    let done = wait_state(&queue, id, JobState::Done).await;
    assert_eq!(done.attempts, 2);
    workers.shutdown(Duration::from_secs(5)).await;
}
