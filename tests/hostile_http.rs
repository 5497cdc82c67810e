//! Hostile request bodies: property tests that send the router (`oneshot`, real database)
//! mutated multipart uploads (API token, and cookie session with the CSRF token as the first
//! field, which the CSRF check reads from the stream) and mutated JSON bodies of the API's
//! write routes. Every request must get an answer below 500: no panic, no server error, and no
//! allocation a small request cannot justify.

#[path = "common/app.rs"]
mod app;
#[path = "common/hostile.rs"]
mod hostile;

use std::cell::RefCell;
use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Method, Request};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

use app::{multipart, tone_wav, TestApp, Who, PW};
use hostile::{apply, assert_bounded, config, mutations, reset_largest};
use noted::store::Role;

#[global_allocator]
static ALLOC: hostile::Recording = hostile::Recording;

/// Requests are small: nothing in answering one may allocate more than this at once.
const CAP: usize = 32 * 1024 * 1024;

fn runtime() -> tokio::runtime::Runtime {
    // Decoding is not what these tests fuzz (tests/hostile_audio.rs does): without ffmpeg on
    // the PATH, undecodable uploads are refused at once instead of each starting ffprobe.
    let empty = std::env::temp_dir().join("noted-hostile-http-empty-path");
    let _ = std::fs::create_dir_all(&empty);
    std::env::set_var("PATH", &empty);
    // Each request syncs the database (synchronous=FULL): in memory when the machine has a
    // memory file system, the 10,000 requests are bound by the code under test, not the disk.
    if std::path::Path::new("/dev/shm").is_dir() {
        std::env::set_var("TMPDIR", "/dev/shm");
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// The app, a clinician and one of their clients.
async fn setup() -> (TestApp, Who, i64) {
    let t = TestApp::new().await;
    let who = t.user("a@example.org", Role::Clinician, None).await;
    let c = serde_json::to_value(noted::chart::sample::sample_client()).expect("client");
    let r = t.call(Method::POST, "/api/v1/clients", &who, Some(c)).await;
    let id = r.json()["id"].as_i64().expect("client id");
    (t, who, id)
}

/// How many answers had each status.
type Tally = RefCell<BTreeMap<u16, usize>>;

/// Sends one request and checks the answer is below 500 and allocations stayed bounded;
/// returns the answer's body.
async fn send_bounded(
    t: &TestApp,
    req: Request<Body>,
    what: &str,
    tally: &Tally,
) -> Result<String, TestCaseError> {
    reset_largest();
    let r = t.send(req).await;
    assert_bounded(CAP, what);
    *tally.borrow_mut().entry(r.status.as_u16()).or_default() += 1;
    prop_assert!(
        !r.status.is_server_error(),
        "{what}: {} {}",
        r.status,
        r.body
    );
    Ok(r.body)
}

#[test]
fn mutated_multipart_uploads_are_answered_without_a_server_error() {
    let rt = runtime();
    let (t, who, client) = rt.block_on(setup());
    let wav = tone_wav(0.05);
    let (ctype, api_seed) = multipart(&[("keep_audio", "true")], "s.wav", &wav);
    let (_, page_seed) = multipart(
        &[("csrf_token", who.csrf.as_str()), ("keep_audio", "true")],
        "s.wav",
        &wav,
    );
    let strategy = (any::<bool>(), mutations(), prop::option::of("[ -~]{0,80}"));
    let mut runner = TestRunner::new(config(10_000));
    let started = std::time::Instant::now();
    let tally = Tally::default();
    runner
        .run(&strategy, |(page, muts, boundary)| {
            let ctype = match &boundary {
                Some(b) => format!("multipart/form-data; boundary={b}"),
                None => ctype.clone(),
            };
            let (path, seed) = if page {
                (format!("/clients/{client}/recordings"), &page_seed)
            } else {
                (format!("/api/v1/clients/{client}/recordings"), &api_seed)
            };
            let body = apply(seed, &muts);
            let mut b = Request::post(&path).header(header::CONTENT_TYPE, &ctype);
            b = if page {
                b.header(header::COOKIE, &who.cookie)
            } else {
                b.header(header::AUTHORIZATION, format!("Bearer {}", who.token))
            };
            let req = b.body(Body::from(body)).expect("request");
            rt.block_on(send_bounded(&t, req, &format!("POST {path}"), &tally))
                .map(drop)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let tally = tally.into_inner();
    eprintln!(
        "10,000 uploads in {:.1} s: {tally:?}",
        started.elapsed().as_secs_f64()
    );
    // Some damage leaves an upload acceptable: the mutations reach the whole upload path.
    assert!(
        tally.get(&202).is_some_and(|&n| n >= 100),
        "too few uploads accepted: {tally:?}"
    );
}

/// Values a hostile client puts in a field: wrong types, extremes, long and odd strings.
fn hostile_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(i64::MAX)),
        Just(json!(u64::MAX)),
        Just(json!(-1e308)),
        Just(json!(true)),
        Just(json!("")),
        Just(json!("2025-02-30")),
        Just(json!("9999-99-99")),
        Just(json!("../../../etc/passwd")),
        Just(json!("<script>alert(1)</script>")),
        Just(json!("x".repeat(200_000))),
        Just(json!([])),
        Just(json!({})),
        Just(json!([[[[[[[[[[]]]]]]]]]])),
        Just(json!({"nested": {"deeper": [1, "two", null]}})),
        "\\PC{0,40}".prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|x| json!(x)),
    ]
}

/// One change to a JSON object: a field set to a hostile value, removed, or added.
#[derive(Debug, Clone)]
enum FieldEdit {
    Set(usize, Value),
    Remove(usize),
    Add(String, Value),
}

fn field_edit() -> impl Strategy<Value = FieldEdit> {
    prop_oneof![
        4 => (any::<usize>(), hostile_value()).prop_map(|(i, v)| FieldEdit::Set(i, v)),
        1 => any::<usize>().prop_map(FieldEdit::Remove),
        1 => ("[a-z_]{1,12}", hostile_value()).prop_map(|(k, v)| FieldEdit::Add(k, v)),
    ]
}

/// `seed` (a JSON object) with `edits` applied, serialized.
fn edit_json(seed: &[u8], edits: &[FieldEdit]) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(seed).expect("seed is JSON");
    if let Some(o) = v.as_object_mut() {
        for e in edits {
            let keys: Vec<String> = o.keys().cloned().collect();
            match e {
                FieldEdit::Set(i, x) if !keys.is_empty() => {
                    o.insert(keys[i % keys.len()].clone(), x.clone());
                }
                FieldEdit::Remove(i) if !keys.is_empty() => {
                    o.remove(&keys[i % keys.len()]);
                }
                FieldEdit::Add(k, x) => {
                    o.insert(k.clone(), x.clone());
                }
                _ => {}
            }
        }
    }
    v.to_string().into_bytes()
}

#[test]
fn mutated_json_bodies_are_answered_without_a_server_error() {
    let rt = runtime();
    let (t, who, client) = rt.block_on(setup());
    let plan = serde_json::to_value(noted::chart::sample::burnout_plan()).expect("plan");
    let seeds = [
        (
            Method::POST,
            "/api/v1/clients".to_string(),
            serde_json::to_value(noted::chart::sample::sample_client()).expect("client"),
        ),
        (
            Method::PATCH,
            format!("/api/v1/clients/{client}"),
            json!({"phone": "555-0100", "clinician_id": who.user.id}),
        ),
        (
            Method::PUT,
            format!("/api/v1/clients/{client}/plan"),
            json!({"plan": plan, "reason": "review"}),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{client}/sessions"),
            json!({"session_date": "2025-11-04", "start_time": "10:00", "duration_minutes": 50, "modality": "video"}),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{client}/measures"),
            json!({"instrument": "phq9", "answers": [1,2,1,0,1,0,1,2,0], "measured_on": "2025-11-01", "goal_id": "g-mood"}),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{client}/drafts"),
            json!({"text": "Client slept better.", "format": "soap", "therapy_session_id": null}),
        ),
        (
            Method::POST,
            "/api/v1/recordings".to_string(),
            json!({"client_id": client, "format": "pcm16", "sample_rate": 16000, "keep_audio": false}),
        ),
        (
            Method::POST,
            "/api/v1/me/password".to_string(),
            json!({"current_password": "wrong password here", "new_password": "x"}),
        ),
        (
            Method::POST,
            "/api/v1/auth/login".to_string(),
            json!({"email": "nobody@example.org", "password": PW}),
        ),
    ];
    let tally = run_json_cases(&rt, &t, &who.token, &seeds);
    // The cases reach the handlers: some bodies are accepted, many refused field by field.
    let accepted: usize = tally.range(200..300).map(|(_, n)| n).sum();
    assert!(accepted >= 100, "too few bodies accepted: {tally:?}");
    assert!(
        tally.get(&422).is_some_and(|&n| n >= 1000),
        "too few reached validation: {tally:?}"
    );
}

/// The review, signing and transcript routes: a draft under review, a signed note, a
/// transcript segment, a plan update and a flag of a real chart.
#[test]
fn mutated_review_and_signing_bodies_are_answered_without_a_server_error() {
    let rt = runtime();
    let (t, who, c) = rt.block_on(async {
        let t = TestApp::new().await;
        let who = t.user("a@example.org", Role::Clinician, None).await;
        let c = app::OwnedChart::build(&t, &who).await;
        (t, who, c)
    });
    let segment: i64 = rt
        .block_on(
            sqlx::query_scalar(
                "SELECT id FROM transcript_segments WHERE transcript_id = ? ORDER BY id",
            )
            .bind(c.transcript)
            .fetch_one(t.store().sqlite_pool()),
        )
        .expect("a segment");
    let (draft, note) = (c.draft, c.note);
    let seeds = [
        (
            Method::PATCH,
            format!("/api/v1/drafts/{draft}"),
            json!({
                "sections": {"subjective": {"text": "Client reported sleeping better."}},
                "statements": [{"section": "plan", "index": 0, "action": "fix", "text": "Walk daily."}],
                "risk": {"suicidal_ideation": "denied"},
                "acknowledge_flags": [0],
                "process_notes": "Private."
            }),
        ),
        (
            Method::POST,
            format!("/api/v1/drafts/{draft}/plan-updates/0/accept"),
            json!({"status": "met", "text": "Goal met."}),
        ),
        (
            Method::POST,
            format!("/api/v1/drafts/{draft}/flags/0/acknowledge"),
            json!({"not_a_risk": true, "reason": "Quoted a film."}),
        ),
        (
            Method::POST,
            format!("/api/v1/drafts/{draft}/sign"),
            json!({"password": "not the password", "attest": true}),
        ),
        (
            Method::POST,
            format!("/api/v1/notes/{note}/addenda"),
            json!({"text": "Addendum: client called.", "password": "not the password"}),
        ),
        (
            Method::POST,
            format!("/api/v1/notes/{note}/cosign"),
            json!({"password": "not the password"}),
        ),
        (
            Method::POST,
            format!("/api/v1/notes/{note}/return"),
            json!({"comment": "Please revise."}),
        ),
        (
            Method::PUT,
            format!("/api/v1/notes/{note}/process-notes"),
            json!({"text": "Private."}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/transcripts/{}/segments/{segment}", c.transcript),
            json!({"text": "Edited text.", "speaker": "client"}),
        ),
        (
            Method::POST,
            format!("/api/v1/recordings/{}/finish", c.stream),
            json!({"chunks": 0}),
        ),
    ];
    let tally = run_json_cases(&rt, &t, &who.token, &seeds);
    let accepted: usize = tally.range(200..300).map(|(_, n)| n).sum();
    assert!(accepted >= 100, "too few bodies accepted: {tally:?}");
    let refused: usize = tally.range(400..500).map(|(_, n)| n).sum();
    assert!(refused >= 1000, "too few refused: {tally:?}");
}

/// Sends 10,000 mutated bodies of `seeds` (half with damaged bytes, half with damaged
/// fields) as `token`; every answer below 500 with bounded allocation. Returns the tally.
fn run_json_cases(
    rt: &tokio::runtime::Runtime,
    t: &TestApp,
    token: &str,
    seeds: &[(Method, String, Value)],
) -> BTreeMap<u16, usize> {
    let seeds: Vec<(Method, String, Vec<u8>)> = seeds
        .iter()
        .map(|(m, p, v)| (m.clone(), p.clone(), v.to_string().into_bytes()))
        .collect();
    let n = seeds.len();
    let mut runner = TestRunner::new(config(10_000));
    let started = std::time::Instant::now();
    let tally = Tally::default();
    runner
        .run(
            &(
                0..n,
                any::<bool>(),
                mutations(),
                prop::collection::vec(field_edit(), 1..4),
            ),
            |(i, bytes, muts, edits)| {
                let (method, path, seed) = &seeds[i];
                // Half the cases damage the bytes (the JSON parser), half the fields (the handlers).
                let body = if bytes {
                    apply(seed, &muts)
                } else {
                    edit_json(seed, &edits)
                };
                let req = Request::builder()
                    .method(method.clone())
                    .uri(path)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .expect("request");
                rt.block_on(send_bounded(t, req, &format!("{method} {path}"), &tally))
                    .map(drop)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let tally = tally.into_inner();
    eprintln!(
        "10,000 JSON bodies in {:.1} s: {tally:?}",
        started.elapsed().as_secs_f64()
    );
    tally
}

/// The chunk API of live recordings: mutated chunk bodies (PCM, WebM and Ogg streams) at
/// sequence numbers in and past the window, and mutated finish bodies.
#[test]
fn mutated_stream_chunks_are_answered_without_a_server_error() {
    let rt = runtime();
    let (t, who, client) = rt.block_on(setup());
    let start = |format: &str| {
        let body = json!({"client_id": client, "format": format, "sample_rate": 16000});
        let r = rt.block_on(t.call(Method::POST, "/api/v1/recordings", &who, Some(body)));
        assert!(r.status.is_success(), "start {format}: {}", r.body);
        r.json()["recording"]["id"].as_i64().expect("recording id")
    };
    let pcm: Vec<u8> = (0..1600i16)
        .flat_map(|i| ((i % 64 - 32) * 300).to_le_bytes())
        .collect();
    let mut webm = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01];
    webm.extend(b"webm\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff".iter());
    webm.extend(std::iter::repeat_n(0x55u8, 300));
    let mut ogg = b"OggS\x00\x02".to_vec();
    ogg.extend(std::iter::repeat_n(0x33u8, 300));
    // finish bodies go to a stream of their own, so that the others keep receiving chunks
    let finishing = start("pcm16");
    let streams = [
        (start("pcm16"), pcm),
        (start("webm"), webm),
        (start("ogg"), ogg),
    ];
    // half the chunks go to the next sequence number the stream expects (so that they are
    // new chunks, read and checked, not duplicates of stored ones)
    let next = RefCell::new([0i64; 3]);
    let mut runner = TestRunner::new(config(10_000));
    let started = std::time::Instant::now();
    let tally = Tally::default();
    runner
        .run(
            &(
                0..streams.len(),
                prop_oneof![8 => 0i64..12, 1 => any::<i64>()],
                any::<bool>(),
                mutations(),
                0..20u8,
            ),
            |(k, seq, in_order, muts, finish)| {
                let (id, seed) = &streams[k];
                let seq = if in_order { next.borrow()[k] } else { seq };
                let req = if finish == 0 {
                    // now and then a finish with a mutated count
                    let body = apply(format!("{{\"chunks\": {seq}}}").as_bytes(), &muts);
                    Request::post(format!("/api/v1/recordings/{finishing}/finish"))
                        .header(header::AUTHORIZATION, format!("Bearer {}", who.token))
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(body))
                } else {
                    Request::put(format!("/api/v1/recordings/{id}/chunks/{seq}"))
                        .header(header::AUTHORIZATION, format!("Bearer {}", who.token))
                        .header(header::CONTENT_TYPE, "application/octet-stream")
                        .body(Body::from(apply(seed, &muts)))
                }
                .expect("request");
                let body = rt.block_on(send_bounded(&t, req, "stream chunk", &tally))?;
                // every chunk answer says which chunk the stream expects next
                if finish != 0 {
                    let v: Value = serde_json::from_str(&body).unwrap_or_default();
                    if let Some(n) = v["next_seq"].as_i64() {
                        next.borrow_mut()[k] = n;
                    }
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let tally = tally.into_inner();
    eprintln!(
        "10,000 chunk and finish bodies in {:.1} s: {tally:?}",
        started.elapsed().as_secs_f64()
    );
    let accepted: usize = tally.range(200..300).map(|(_, n)| n).sum();
    let refused: usize = tally.range(400..500).map(|(_, n)| n).sum();
    assert!(accepted >= 1000 && refused >= 1000, "{tally:?}");
}
