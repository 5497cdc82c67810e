//! What encryption at rest costs, measured (ignored by default; the README quotes its output):
//!
//! ```sh
//! cargo test --test encryption_overhead -- --ignored --nocapture
//! ```
//!
//! The chart page (`GET /clients/{id}`, which also writes its audit row) over the same data in
//! an encrypted (SQLCipher) and an unencrypted database, alternating, and sealing / opening
//! audio against plain file writes and reads.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use noted::audit::Actor;
use noted::auth::{self, password, PasswordParams};
use noted::chart::{sample, SessionInput};
use noted::crypto::key::KeySource;
use noted::crypto::plain::PlainView;
use noted::crypto::sealed::{self, AUDIO_MAGIC};
use noted::crypto::DataKey;
use noted::http::{app, AppState, HttpConfig};
use noted::store::users::NewUser;
use noted::store::{Role, Store};

const CLIENTS: usize = 40;
const SESSIONS_PER_CLIENT: usize = 25;
const REQUESTS: usize = 300;

async fn practice(store: Store, dir: &std::path::Path) -> (AppState, String, Vec<i64>) {
    let hash =
        password::hash_blocking(PasswordParams::insecure_fast(), "x".repeat(12).as_str()).unwrap();
    let user = store
        .create_user(
            &Actor::cli(),
            &NewUser {
                email: "doc@example.org".into(),
                display_name: String::new(),
                role: Role::Clinician,
                supervisor_id: None,
                password_hash: hash,
            },
        )
        .await
        .unwrap();
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let mut c = sample::sample_client();
        c.full_name = format!("Client {i}");
        let c = store
            .create_client(&Actor::cli(), user.id, &c)
            .await
            .unwrap();
        for d in 0..SESSIONS_PER_CLIENT {
            store
                .create_session(
                    &Actor::cli(),
                    c.id,
                    user.id,
                    &SessionInput {
                        session_date: format!("2025-{:02}-{:02}", 1 + d % 12, 1 + d % 28),
                        start_time: None,
                        duration_minutes: 50,
                        modality: "in_person".into(),
                        status: "completed".into(),
                    },
                )
                .await
                .unwrap();
        }
        clients.push(c.id);
    }
    let token = auth::token::random_token();
    let csrf = auth::token::random_token();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    store
        .create_auth_session(
            &auth::token::hash_token(&token),
            user.id,
            &csrf,
            now,
            "bench",
        )
        .await
        .unwrap();
    let mut config = HttpConfig::default();
    config.auth.password = PasswordParams::insecure_fast();
    (
        AppState::new(store, config, dir.to_path_buf()),
        format!("noted_session={token}"),
        clients,
    )
}

async fn chart(state: &AppState, cookie: &str, id: i64) -> Duration {
    let t = Instant::now();
    let resp = app(state.clone())
        .oneshot(
            Request::builder()
                .uri(format!("/clients/{id}"))
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let _ = resp.into_body().collect().await.unwrap();
    t.elapsed()
}

async fn write(state: &AppState, client: i64) -> Duration {
    let c = state.store.client_unchecked(client).await.unwrap().unwrap();
    let t = Instant::now();
    state
        .store
        .create_session(
            &Actor::cli(),
            client,
            c.clinician_id,
            &SessionInput {
                session_date: "2026-01-05".into(),
                start_time: None,
                duration_minutes: 50,
                modality: "video".into(),
                status: "completed".into(),
            },
        )
        .await
        .unwrap();
    t.elapsed()
}

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
    format!(
        "median {:.2} ms, p90 {:.2} ms, mean {:.2} ms",
        ms(v[v.len() / 2]),
        ms(v[v.len() * 9 / 10]),
        mean
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn encryption_overhead() {
    let key = DataKey::from_bytes([1; 32], KeySource::Env);
    let enc_dir = tempfile::tempdir().unwrap();
    let plain_dir = tempfile::tempdir().unwrap();
    let enc = Store::open_keyed(&enc_dir.path().join("noted.db"), key.clone())
        .await
        .unwrap();
    let plain =
        Store::open_unencrypted_for_measurement(&plain_dir.path().join("noted.db"), key.clone())
            .await
            .unwrap();
    let t = Instant::now();
    let (enc_state, enc_cookie, enc_clients) = practice(enc, enc_dir.path()).await;
    let enc_fill = t.elapsed();
    let t = Instant::now();
    let (plain_state, plain_cookie, plain_clients) = practice(plain, plain_dir.path()).await;
    let plain_fill = t.elapsed();
    let (mut e, mut p) = (Vec::new(), Vec::new());
    let (mut ew, mut pw) = (Vec::new(), Vec::new());
    for i in 0..REQUESTS {
        // Alternate, so that both see the same machine load.
        e.push(chart(&enc_state, &enc_cookie, enc_clients[i % CLIENTS]).await);
        p.push(chart(&plain_state, &plain_cookie, plain_clients[i % CLIENTS]).await);
        ew.push(write(&enc_state, enc_clients[i % CLIENTS]).await);
        pw.push(write(&plain_state, plain_clients[i % CLIENTS]).await);
    }
    let size = |d: &std::path::Path| std::fs::metadata(d.join("noted.db")).unwrap().len() / 1024;
    println!(
        "writes ({CLIENTS} clients x {SESSIONS_PER_CLIENT} sessions, one transaction each): \
         encrypted {:.2} s, unencrypted {:.2} s",
        enc_fill.as_secs_f64(),
        plain_fill.as_secs_f64()
    );
    println!(
        "one write transaction (a session and its audit row) x {REQUESTS}: encrypted {}; \
         unencrypted {}",
        stats(ew),
        stats(pw)
    );
    println!(
        "chart page x {REQUESTS}: encrypted {}; unencrypted {} (database {} / {} KiB)",
        stats(e),
        stats(p),
        size(enc_dir.path()),
        size(plain_dir.path())
    );

    // Transcription's first step, decoding the recording: a 179 s session as a 16 kHz WAV,
    // plain against sealed (opened into memory, then decoded), best of 5 each.
    {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("session.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&wav, spec).unwrap();
        for i in 0..179 * 16_000 {
            let t = i as f32 / 16_000.0;
            w.write_sample(((t * 220.0 * std::f32::consts::TAU).sin() * 8000.0) as i16)
                .unwrap();
        }
        w.finalize().unwrap();
        let sealed_wav = dir.path().join("sealed.wav");
        sealed::seal_file(&wav, &sealed_wav, &key.audio_key(), AUDIO_MAGIC).unwrap();
        let limits = noted::audio::DecodeLimits::default();
        let (mut plain_best, mut sealed_best) = (Duration::MAX, Duration::MAX);
        for _ in 0..5 {
            let t = Instant::now();
            let a = noted::audio::decode_file(&wav, &limits).unwrap();
            plain_best = plain_best.min(t.elapsed());
            let t = Instant::now();
            let view = PlainView::open(&sealed_wav, &key).unwrap();
            let b = noted::audio::decode_file_as(view.path(), Some("wav"), &limits).unwrap();
            sealed_best = sealed_best.min(t.elapsed());
            assert_eq!(a.samples, b.samples);
        }
        println!(
            "decoding a 179 s session for transcription: plain {:.0} ms, sealed {:.0} ms",
            plain_best.as_secs_f64() * 1000.0,
            sealed_best.as_secs_f64() * 1000.0
        );
    }

    // Audio: a 179 s session as 16 kHz 16-bit WAV (5.7 MB), and 64 MB.
    for len in [179 * 32_000 + 44, 64 << 20] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let (src, plain_to, sealed_to) = (
            dir.path().join("src.wav"),
            dir.path().join("plain.wav"),
            dir.path().join("sealed.wav"),
        );
        std::fs::write(&src, &data).unwrap();
        let t = Instant::now();
        std::fs::copy(&src, &plain_to).unwrap();
        std::fs::File::open(&plain_to).unwrap().sync_all().unwrap();
        let copy = t.elapsed();
        let t = Instant::now();
        sealed::seal_file(&src, &sealed_to, &key.audio_key(), AUDIO_MAGIC).unwrap();
        let seal = t.elapsed();
        let t = Instant::now();
        let back = std::fs::read(&plain_to).unwrap();
        let read = t.elapsed();
        let t = Instant::now();
        let view = PlainView::open(&sealed_to, &key).unwrap();
        let opened = std::fs::read(view.path()).unwrap();
        let open = t.elapsed();
        assert_eq!(back, opened);
        let mbs = |d: Duration| len as f64 / 1e6 / d.as_secs_f64();
        println!(
            "audio {:.1} MB: write plain {:.0} ms ({:.0} MB/s), sealed {:.0} ms ({:.0} MB/s); \
             read plain {:.0} ms ({:.0} MB/s), sealed into memory {:.0} ms ({:.0} MB/s)",
            len as f64 / 1e6,
            copy.as_secs_f64() * 1000.0,
            mbs(copy),
            seal.as_secs_f64() * 1000.0,
            mbs(seal),
            read.as_secs_f64() * 1000.0,
            mbs(read),
            open.as_secs_f64() * 1000.0,
            mbs(open),
        );
    }
}
