//! The store on both databases: the core chart workflow through the API and the job queue's
//! leases, on SQLite and, when `NOTED_TEST_POSTGRES_URL` names a server, on PostgreSQL (each
//! test in a schema of its own; skipped with a message without the URL, failing under
//! `NOTED_REQUIRE_POSTGRES=1`: `common/db.rs`).

#[path = "common/app.rs"]
mod app;
#[path = "common/db.rs"]
mod db;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use app::{OwnedChart, TestApp, PW};
use db::TestDb;
use noted::audit::{self, Actor, Event, Verification};
use noted::jobs::{JobQueue, JobState, QueueConfig, QueueError};
use noted::store::Role;

/// Users, a client with a plan, a session, a measure and its safety flag, an upload and its
/// job, a streamed recording, a transcript and its correction, drafts reviewed and signed by a
/// supervisee, co-signed by the supervisor, an addendum, the client search, and every
/// verification (audit chain, signature MACs, signed-note hashes) on each database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_workflow_runs_on_each_database() {
    for db in TestDb::each().await {
        let t = TestApp::on(&db.location).await;
        chart_workflow(&t, db.name()).await;
        t.store().close().await;
        db.drop().await;
    }
}

async fn chart_workflow(t: &TestApp, on: &str) {
    let sup = t.user("sup@example.org", Role::Supervisor, None).await;
    let doc = t
        .user("doc@example.org", Role::Clinician, Some(sup.user.id))
        .await;
    let chart = OwnedChart::build(t, &doc).await;

    // the supervisee's signature awaits the supervisor's
    let note = format!("/api/v1/notes/{}", chart.note);
    let r = t.call(Method::GET, &note, &doc, None).await;
    assert_eq!(r.status, StatusCode::OK, "{on}: {}", r.body);
    assert_eq!(r.json()["state"], "awaiting_cosign", "{on}");
    let r = t
        .call(
            Method::POST,
            &format!("{note}/cosign"),
            &sup,
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{on}: cosign: {}", r.body);
    assert_eq!(r.json()["state"], "signed", "{on}");
    let r = t
        .call(
            Method::POST,
            &format!("{note}/addenda"),
            &doc,
            Some(json!({"text": "Client called the next day.", "password": PW})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{on}: addendum: {}", r.body);
    let v = t.call(Method::GET, &note, &doc, None).await.json();
    assert_eq!(v["state"], "amended", "{on}: {v}");
    assert_eq!(v["hash_verified"], true, "{on}");

    // the database itself refuses to change a signed note
    let refused = match (t.store().pool().sqlite(), t.store().pool().postgres()) {
        (Some(p), _) => sqlx::query("UPDATE notes SET content = '{}' WHERE id = $1")
            .bind(chart.note)
            .execute(p)
            .await
            .is_err(),
        (None, Some(p)) => sqlx::query("UPDATE notes SET content = '{}' WHERE id = $1")
            .bind(chart.note)
            .execute(p)
            .await
            .is_err(),
        (None, None) => unreachable!(),
    };
    assert!(refused, "{on}: a signed note's content was changed");

    // a clinician's correction of the transcript keeps the original
    let r = t
        .call(
            Method::PATCH,
            &format!("/api/v1/transcripts/{}/segments/1", chart.transcript),
            &doc,
            Some(json!({"text": "I slept much better.", "speaker": "client"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{on}: segment: {}", r.body);
    assert_eq!(r.json()["original_text"], "I slept better.", "{on}");

    // the other draft: reviewed, then signed (awaiting co-signature again)
    let draft = format!("/api/v1/drafts/{}", chart.draft);
    let r = t
        .call(
            Method::PATCH,
            &draft,
            &doc,
            Some(
                json!({"sections": {"plan": {"text": "Practice the wind-down routine nightly."}}}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{on}: review: {}", r.body);
    let r = t
        .call(
            Method::POST,
            &format!("{draft}/plan-updates/0/accept"),
            &doc,
            None,
        )
        .await;
    assert!(r.status.is_success(), "{on}: plan update: {}", r.body);
    app::sign(t, &doc, chart.draft).await;

    // the client list: search folded the same on both databases
    for (q, hits) in [("zephyrine", 1), ("QUILLFEATHER", 1), ("100%", 0)] {
        let r = t
            .call(Method::GET, &format!("/api/v1/clients?q={q}"), &doc, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{on}");
        let n = r.json()["clients"].as_array().map_or(0, Vec::len);
        assert_eq!(n, hits, "{on}: search {q}");
    }
    // the supervisor sees the supervisee's client
    let r = t.call(Method::GET, "/api/v1/clients", &sup, None).await;
    assert_eq!(
        r.json()["clients"].as_array().map_or(0, Vec::len),
        1,
        "{on}"
    );

    // recordings with their jobs (found by the job payload's JSON on each database)
    let r = t
        .call(
            Method::GET,
            &format!("/api/v1/clients/{}/recordings", chart.client),
            &doc,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{on}: {}", r.body);
    let recs = r.json();
    let upload = recs["recordings"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == chart.recording))
        .cloned()
        .unwrap_or_else(|| panic!("{on}: the upload is listed: {recs}"));
    assert_eq!(upload["job_id"], chart.job, "{on}");
    assert!(t
        .store()
        .recording_job_active(chart.recording)
        .await
        .unwrap());

    // every check of the chart's integrity holds
    let store = t.store();
    assert!(
        matches!(audit::verify(store).await.unwrap(), Verification::Intact { rows } if rows > 20),
        "{on}: audit chain"
    );
    assert!(
        matches!(
            audit::keyed::verify_signatures(store).await.unwrap(),
            Verification::Intact { rows: 3 }
        ),
        "{on}: signatures"
    );
    assert!(
        matches!(
            store.verify_signed_notes().await.unwrap(),
            Verification::Intact { rows: 1 }
        ),
        "{on}: signed notes"
    );
}

/// Concurrent writers keep the audit chain whole (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
/// advisory write lock), and the job queue's life on each database: enqueue, claim, a lease
/// that expires and is requeued, a stale worker refused, another claim, heartbeat, completion,
/// cancellation, and a finished draft job's summary purged from its payload.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_and_the_job_queue_on_each_database() {
    for db in TestDb::each().await {
        let t = TestApp::on(&db.location).await;
        let on = db.name();
        let store = t.store();

        let writes = (0..24).map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                audit::record(&store, &Actor::cli(), &Event::new("test.write", "test", i)).await
            })
        });
        for w in futures_util::future::join_all(writes).await {
            w.expect("writer task").expect("audit row");
        }
        assert_eq!(
            audit::verify(store).await.unwrap(),
            Verification::Intact { rows: 24 },
            "{on}"
        );

        let queue = JobQueue::with_config(
            store.pool().clone(),
            QueueConfig {
                retry_backoff: Duration::from_millis(10),
                ..QueueConfig::default()
            },
        );
        let kinds = vec!["t".to_string()];
        let id = queue
            .enqueue("t", json!({"n": 1}), None, None)
            .await
            .unwrap();
        let lease = Duration::from_millis(300);
        let first = queue.claim("w1", &kinds, lease).await.unwrap().unwrap();
        assert_eq!(first.job.id, id, "{on}");
        assert!(queue.claim("w2", &kinds, lease).await.unwrap().is_none());
        assert!(queue.requeue_expired().await.unwrap().is_empty(), "{on}");
        tokio::time::sleep(Duration::from_millis(600)).await;
        let requeued = queue.requeue_expired().await.unwrap();
        assert_eq!(requeued.len(), 1, "{on}");
        assert_eq!(requeued[0].state, JobState::Queued, "{on}");
        let second = queue.claim("w2", &kinds, lease).await.unwrap().unwrap();
        assert_eq!(second.job.attempts, 2, "{on}");
        assert!(matches!(
            queue.complete(&first.lease, &json!({})).await,
            Err(QueueError::LeaseLost(_))
        ));
        assert!(!queue.heartbeat(&second.lease, lease).await.unwrap());
        queue
            .set_progress(&second.lease, "working", 0.5)
            .await
            .unwrap();
        let done = queue
            .complete(&second.lease, &json!({"ok": true}))
            .await
            .unwrap();
        assert_eq!(done.state, JobState::Done, "{on}");
        assert_eq!(done.result, Some(json!({"ok": true})), "{on}");

        let id = queue.enqueue("t", json!({}), None, None).await.unwrap();
        let c = queue.claim("w3", &kinds, lease).await.unwrap().unwrap();
        queue.cancel(id).await.unwrap();
        assert!(queue.heartbeat(&c.lease, lease).await.unwrap(), "{on}");
        assert_eq!(
            queue.mark_cancelled(&c.lease).await.unwrap().state,
            JobState::Cancelled
        );
        let failed = queue.enqueue("t", json!({}), None, None).await.unwrap();
        let c = queue.claim("w4", &kinds, lease).await.unwrap().unwrap();
        let j = queue.fail(&c.lease, "passing", true).await.unwrap();
        assert_eq!((j.id, j.state), (failed, JobState::Queued), "{on}");

        let draft = queue
            .enqueue(
                "draft",
                json!({"text": "summary", "client_id": 1}),
                None,
                None,
            )
            .await
            .unwrap();
        queue.cancel(draft).await.unwrap();
        let later =
            noted::store::format_ts(time::OffsetDateTime::now_utc() + time::Duration::seconds(60));
        assert_eq!(store.purge_job_summaries(&later).await.unwrap(), 1, "{on}");
        let payload = queue.get(draft).await.unwrap().payload;
        assert_eq!(payload, json!({"client_id": 1}), "{on}");
        assert!(store
            .recordings_pending_audio_deletion(&later)
            .await
            .unwrap()
            .is_empty());

        store.close().await;
        db.drop().await;
    }
}

/// Job events cross processes on PostgreSQL (LISTEN/NOTIFY): two queues over two pools of one
/// database (as two processes have) each relay; what one does reaches the other's subscribers
/// at once (well within the streams' two-second re-read, which is not involved here: a
/// subscription only hears events), a process does not hear its own events twice, and an
/// enqueue on one wakes the other's idle workers. A queue on SQLite refuses to relay.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn job_events_reach_other_processes_through_postgres() {
    let sqlite = TestApp::new().await;
    let q = JobQueue::new(sqlite.store().pool().clone());
    assert!(matches!(
        q.start_relay(true).await,
        Err(noted::jobs::RelayError::NotPostgres)
    ));
    let Some(url) = TestDb::postgres_url() else {
        return;
    };
    let db = TestDb::postgres(&url).await;
    let t = TestApp::on(&db.location).await;
    let other = noted::store::Store::open_at(&db.location, t.dir.path(), None)
        .await
        .unwrap();
    let (web, worker) = (
        JobQueue::new(t.store().pool().clone()),
        JobQueue::new(other.pool().clone()),
    );
    web.start_relay(true).await.unwrap();
    worker.start_relay(true).await.unwrap();
    assert!(matches!(
        web.start_relay(true).await,
        Err(noted::jobs::RelayError::AlreadyStarted)
    ));
    let mut heard = web.subscribe();
    let mut own = worker.subscribe();

    // the "worker" process enqueues, then claims; the "web" process hears each at once (an
    // event after a quiet spell is not held back)
    let t0 = std::time::Instant::now();
    let id = worker.enqueue("t", json!({}), None, None).await.unwrap();
    let ev = tokio::time::timeout(Duration::from_secs(5), heard.recv())
        .await
        .expect("the other process's events arrive")
        .unwrap();
    assert_eq!((ev.id, ev.state), (id, JobState::Queued));
    let queued = t0.elapsed();
    tokio::time::sleep(noted::jobs::RELAY_COALESCE * 2).await;
    let kinds = vec!["t".to_string()];
    let t0 = std::time::Instant::now();
    let c = worker
        .claim("w", &kinds, Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    let ev = tokio::time::timeout(Duration::from_secs(5), heard.recv())
        .await
        .expect("the other process's events arrive")
        .unwrap();
    assert_eq!((ev.id, ev.state), (id, JobState::Running));
    let running = t0.elapsed();
    eprintln!(
        "the other process heard the enqueue {queued:?} and the claim {running:?} after them"
    );
    // well before the streams' 2 s re-read and the workers' poll (the numbers printed here are
    // the latency: a few milliseconds on loopback)
    assert!(
        queued.max(running) < Duration::from_secs(2),
        "{queued:?} {running:?}"
    );
    // progress, coalesced, then completion
    worker.set_progress(&c.lease, "working", 0.5).await.unwrap();
    worker.complete(&c.lease, &json!({})).await.unwrap();
    let last = loop {
        let ev = tokio::time::timeout(Duration::from_secs(5), heard.recv())
            .await
            .expect("completion arrives")
            .unwrap();
        if ev.state == JobState::Done {
            break ev;
        }
    };
    assert_eq!(last.id, id);
    // the worker's own subscribers heard each of its changes once, none echoed back
    tokio::time::sleep(noted::jobs::RELAY_COALESCE * 3).await;
    let mut mine = Vec::new();
    while let Ok(ev) = own.try_recv() {
        mine.push(ev.state);
    }
    assert_eq!(
        mine.iter().filter(|s| **s == JobState::Done).count(),
        1,
        "{mine:?}"
    );
    assert_eq!(
        mine.iter().filter(|s| **s == JobState::Queued).count(),
        1,
        "{mine:?}"
    );

    // an enqueue elsewhere wakes idle workers here: a pool that polls only once a minute
    // (and has polled at its start) runs the job at once
    let mut registry = noted::jobs::HandlerRegistry::new();
    registry.register(
        "woken",
        noted::jobs::handler_fn(|_job, _ctx| async move { Ok(json!({})) }),
    );
    let pool = noted::jobs::WorkerPool::start_with(
        web.clone(),
        registry,
        noted::jobs::WorkerConfig {
            concurrency: 1,
            poll_interval: Duration::from_secs(60),
            ..noted::jobs::WorkerConfig::default()
        },
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let woken = worker
        .enqueue("woken", json!({}), None, None)
        .await
        .unwrap();
    let t0 = std::time::Instant::now();
    while worker.get(woken).await.unwrap().state != JobState::Done {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "the other process's idle worker was not woken"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    pool.shutdown(Duration::from_secs(1)).await;

    other.close().await;
    t.store().close().await;
    db.drop().await;
}

/// `noted db copy`'s copy: a populated SQLite chart copied to PostgreSQL verifies (counts,
/// signed-note hashes, audit chain, signatures), takes new writes after the copied ids, copies
/// back to a new SQLite file, refuses a target that is not empty, and a tampered target fails
/// the verification.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_chart_copies_to_postgres_and_back_and_verifies() {
    use noted::store::copy::{self, CopyError};
    use noted::store::{Location, Store};
    let Some(url) = TestDb::postgres_url() else {
        return;
    };
    let t = TestApp::new().await;
    chart_workflow(&t, "sqlite").await;
    let source = t.store();
    let pg = TestDb::postgres(&url).await;
    let target = Store::open_at(&pg.location, t.dir.path(), None)
        .await
        .expect("open the PostgreSQL target with the data directory's keys");

    let report = copy::copy(source, &target).await.expect("copy and verify");
    let rows = |name: &str| {
        report
            .tables
            .iter()
            .find(|(t, _, _)| t == name)
            .map(|(_, s, t)| (*s, *t))
            .unwrap_or_else(|| panic!("{name} copied"))
    };
    assert_eq!(rows("users"), (2, 2));
    assert_eq!(rows("signatures"), (3, 3));
    assert_eq!(report.tables.len(), 26, "{:?}", report.tables);
    assert_eq!(report.signed_notes, 1);
    assert_eq!(report.signatures, 3);
    assert!(report.audit_rows > 20);
    let users = report.tables.iter().position(|(t, _, _)| t == "users");
    let clients = report.tables.iter().position(|(t, _, _)| t == "clients");
    assert!(users < clients, "referenced tables first");

    // the copy is a working chart: reads, and new rows after the copied ids, chain intact
    let doc = target
        .user_by_email("doc@example.org")
        .await
        .unwrap()
        .expect("the clinician is there");
    let clients = target.list_clients(doc.viewer(), None).await.unwrap();
    assert_eq!(clients.len(), 1);
    let id = audit::record(&target, &Actor::cli(), &Event::new("test.after", "test", 1))
        .await
        .unwrap();
    assert_eq!(report.audit_rows + 1, id);
    let user = target
        .create_user(
            &Actor::cli(),
            &noted::store::users::NewUser {
                email: "new@example.org".into(),
                display_name: String::new(),
                role: Role::Clinician,
                supervisor_id: Some(doc.id),
                password_hash: "x".into(),
            },
        )
        .await
        .expect("a new user takes the next id");
    assert_eq!(user.id, 3);
    assert!(matches!(
        audit::verify(&target).await.unwrap(),
        Verification::Intact { .. }
    ));

    // and back, into a new SQLite file beside the keys
    let back_path = t.dir.path().join("back.db");
    let back = Store::open_at(&Location::Sqlite(Some(back_path)), t.dir.path(), None)
        .await
        .unwrap();
    let again = copy::copy(&target, &back).await.expect("copy back");
    assert_eq!(again.signed_notes, 1);
    assert_eq!(
        back.user(3).await.unwrap().and_then(|u| u.supervisor_id),
        Some(doc.id),
        "a reference to the same table survives the copy"
    );
    assert!(matches!(
        copy::copy(source, &back).await,
        Err(CopyError::SameDatabase(_))
    ));
    back.close().await;

    // a target that is not empty is refused
    let refused = copy::copy(source, &target).await;
    assert!(
        matches!(refused, Err(CopyError::NotEmpty { .. })),
        "{refused:?}"
    );

    // a target changed behind the triggers' back does not verify
    let (source_now, pool) = (
        source,
        target.pool().postgres().expect("PostgreSQL").clone(),
    );
    for sql in [
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "UPDATE audit_log SET detail = '{\"changed\":1}' WHERE id = 5",
        "ALTER TABLE audit_log ENABLE TRIGGER USER",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    let tampered = copy::verify(source_now, &target).await;
    match tampered {
        Err(CopyError::Verify(why)) => assert!(why.contains("audit"), "{why}"),
        other => panic!("a tampered audit log verified: {other:?}"),
    }
    target.close().await;
    pg.drop().await;
}
