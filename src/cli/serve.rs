//! `noted serve`: opens (creating and migrating) the chart database in the data directory and
//! runs the web service and the job workers (transcription, drafting).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::config::GlobalOpts;
use crate::http::{self, AppState, HttpConfig};
use crate::jobs::{default_concurrency, HandlerRegistry, WorkerConfig, WorkerPool};
use crate::measures::CbiBands;
use crate::pipeline::engines::Engines;
use crate::pipeline::transcription::{self, TranscriptionSettings};
use crate::store::audio::AudioStore;
use crate::store::{Dialect, Store};

/// Options of `noted serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NOTED_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Mark cookies Secure (serve over HTTPS, directly or behind a TLS proxy).
    #[arg(long, env = "NOTED_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// CBI band lower bounds for moderate, high and severe (scores 0-100).
    #[arg(long, env = "NOTED_CBI_BANDS", default_value = "50,75,100")]
    pub cbi_bands: CbiBands,
    /// Largest accepted request body in bytes for forms and JSON (uploads have their own limit).
    #[arg(long, env = "NOTED_MAX_BODY", default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Largest audio upload in bytes (default 1 GB).
    #[arg(long, env = "NOTED_MAX_UPLOAD_BYTES", default_value_t = 1024 * 1024 * 1024)]
    pub max_upload_bytes: u64,
    /// Longest audio accepted, in seconds (default 4 hours).
    #[arg(long, env = "NOTED_MAX_AUDIO_SECONDS", default_value_t = 4.0 * 3600.0)]
    pub max_audio_seconds: f64,
    /// Keep uploaded audio after transcription by default (each upload can still choose).
    #[arg(long, env = "NOTED_KEEP_AUDIO")]
    pub keep_audio: bool,
    /// Model jobs (transcription, drafting) run at the same time; default fits the machine.
    #[arg(long, env = "NOTED_WORKERS")]
    pub workers: Option<usize>,
    /// Threads per model job; default every core.
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Reverse proxies (comma-separated addresses or networks, e.g. `127.0.0.1,10.0.0.0/8`)
    /// whose X-Forwarded-For / Forwarded headers name the client. Only connections from these
    /// are believed; default none.
    #[arg(long, env = "NOTED_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: crate::http::proxy::TrustedProxies,
    /// Seconds a connection has to send a request's headers.
    #[arg(long, env = "NOTED_HEADER_TIMEOUT", default_value_t = 30)]
    pub header_timeout: u64,
    /// Seconds a request body may stay silent before it is abandoned.
    #[arg(long, env = "NOTED_BODY_TIMEOUT", default_value_t = 60)]
    pub body_timeout: u64,
    /// Uploads received at the same time (more are refused until one ends).
    #[arg(long, env = "NOTED_MAX_UPLOADS", default_value_t = 4)]
    pub max_uploads: usize,
    /// Megabytes the data directory's disk must keep free after an upload.
    #[arg(long, env = "NOTED_MIN_FREE_DISK_MB", default_value_t = 1024)]
    pub min_free_disk_mb: u64,
    /// The practice's time zone (IANA name, e.g. Europe/Berlin): new sessions and measures are
    /// dated in it. Default: the machine's.
    #[arg(long, env = "NOTED_TIME_ZONE", default_value = "")]
    pub time_zone: crate::clock::PracticeZone,
    /// Spoken language of recordings (ISO code; English-only models ignore it).
    #[arg(long, env = "NOTED_LANGUAGE", default_value = "en")]
    pub language: String,
    /// Serve the web app only: transcription and drafting are left to `noted worker`
    /// processes on the same database (here or, with a shared data directory, elsewhere).
    #[arg(long, env = "NOTED_NO_WORKERS")]
    pub no_workers: bool,
}

/// The kinds of model work a worker process can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkKind {
    /// Uploaded and streamed recordings to transcripts (the speech models).
    Transcription,
    /// Transcripts and summaries to drafts (the language model).
    Drafting,
}

/// What the job workers of a process run: their kinds, how many at once, and the settings
/// their jobs need.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub kinds: Vec<WorkKind>,
    pub workers: Option<usize>,
    pub language: String,
    pub max_audio_seconds: f64,
    /// Requeue every job marked running at start: right only when this process is the
    /// database's one worker (`noted serve` with its workers), never for `noted worker`.
    pub recover_all_on_start: bool,
    /// How long a claim lasts without a heartbeat (default [`WorkerConfig`]'s).
    pub lease: Option<Duration>,
}

impl WorkerOptions {
    /// `noted serve`'s own workers: every kind, the only workers of the database.
    pub fn of_serve(a: &ServeArgs) -> Self {
        WorkerOptions {
            kinds: vec![WorkKind::Transcription, WorkKind::Drafting],
            workers: a.workers,
            language: a.language.clone(),
            max_audio_seconds: a.max_audio_seconds,
            recover_all_on_start: true,
            lease: None,
        }
    }
}

/// The HTTP settings these options describe.
pub fn http_config(a: &ServeArgs) -> HttpConfig {
    HttpConfig {
        secure_cookies: a.secure_cookies,
        cbi_bands: a.cbi_bands,
        max_body_bytes: a.max_body,
        max_upload_bytes: a.max_upload_bytes,
        max_audio_seconds: a.max_audio_seconds,
        keep_audio_default: a.keep_audio,
        trusted_proxies: a.trusted_proxies.clone(),
        header_read_timeout: Duration::from_secs(a.header_timeout.max(1)),
        body_read_timeout: Duration::from_secs(a.body_timeout.max(1)),
        max_concurrent_uploads: a.max_uploads.max(1),
        min_free_disk_bytes: a.min_free_disk_mb.saturating_mul(1024 * 1024),
        time_zone: a.time_zone.clone(),
        ..HttpConfig::default()
    }
}

/// Opens the store in the data directory and builds the application state.
pub async fn open_state(g: &GlobalOpts, a: &ServeArgs) -> anyhow::Result<AppState> {
    open_state_with(g, http_config(a), a.threads).await
}

/// [`open_state`] with the HTTP settings and threads per model job given (`noted worker`
/// serves no HTTP: it passes the defaults).
pub async fn open_state_with(
    g: &GlobalOpts,
    config: HttpConfig,
    threads: Option<usize>,
) -> anyhow::Result<AppState> {
    let data_dir = g.data_dir();
    let store = super::open_store(g).await?;
    let engines = Arc::new(Engines::new(g.models_dir(), threads).with_overlaps(g.overlaps));
    let audio = AudioStore::open(g.audio_store.as_deref(), &data_dir)?;
    if audio.is_remote() {
        tracing::info!("audio: {}", audio.place());
    }
    let state = AppState::new(store, config, data_dir)
        .with_engines(engines)
        .with_audio(audio);
    // several processes, perhaps on several machines: each hears the others' job events
    // (progress to the browser, wake-ups for idle workers)
    if state.store.dialect() == Dialect::Postgres {
        state
            .jobs
            .start_relay(true)
            .await
            .context("listening for job events on PostgreSQL")?;
    }
    Ok(state)
}

/// Cleans up audio left by an interrupted process and starts the job workers (transcription
/// and drafting) on the state's queue. Jobs left running by a dead process restart at once.
pub async fn start_workers(state: &AppState, a: &ServeArgs) -> anyhow::Result<WorkerPool> {
    http::recordings::sweep_partial_uploads(&state.data_dir);
    transcription::sweep_audio(&state.store, &state.audio).await;
    let mut options = WorkerOptions::of_serve(a);
    // On SQLite this server's workers are the database's only ones; on PostgreSQL others may
    // hold running jobs, which their leases bring back if their worker died.
    options.recover_all_on_start = state.store.dialect() == Dialect::Sqlite;
    start_worker_pool(state, &options).await
}

/// Starts job workers for `o.kinds` on the state's queue: they claim only those kinds.
pub async fn start_worker_pool(state: &AppState, o: &WorkerOptions) -> anyhow::Result<WorkerPool> {
    let mut registry = HandlerRegistry::new();
    if o.kinds.contains(&WorkKind::Transcription) {
        let settings = TranscriptionSettings {
            language: o.language.clone(),
            max_audio_seconds: o.max_audio_seconds,
            audio: state.audio.clone(),
            ..TranscriptionSettings::new(state.data_dir.clone())
        };
        transcription::register(
            &mut registry,
            state.store.clone(),
            state.jobs.clone(),
            state.engines.clone(),
            settings,
        );
    }
    if o.kinds.contains(&WorkKind::Drafting) {
        crate::pipeline::drafting::register(
            &mut registry,
            state.store.clone(),
            state.jobs.clone(),
            state.engines.clone(),
            state.data_dir.clone(),
        );
    }
    let config = WorkerConfig {
        concurrency: o
            .workers
            .filter(|&n| n > 0)
            .unwrap_or_else(default_concurrency),
        // One server process owns the SQLite database: anything still running belongs to a
        // process that died, so it restarts now rather than when its lease runs out. Worker
        // processes beside it wait for leases instead.
        recover_all_on_start: o.recover_all_on_start,
        ..WorkerConfig::default()
    };
    let config = match o.lease {
        // expired leases are looked for at least once a lease
        Some(lease) => WorkerConfig {
            lease,
            reap_interval: config.reap_interval.min(lease),
            ..config
        },
        None => config,
    };
    WorkerPool::start_with(state.jobs.clone(), registry, config)
        .await
        .context("cannot start the job workers")
}

/// Binds, prints the URL and serves until interrupted.
pub async fn serve_state(state: AppState, bind: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    refuse_demo_on_network(&state.store, addr).await?;
    for w in network_warnings(addr, &state.config) {
        eprintln!("warning: {w}");
        tracing::warn!("{w}");
    }
    println!(
        "Noted is running at http://{addr}/ (data in {})",
        state.data_dir.display()
    );
    tracing::info!(%addr, "listening");
    http::serve(state, listener)
        .await
        .context("server failed")?;
    Ok(())
}

/// What an operator should hear before serving on `addr`: cookies sent in clear text when the
/// address is reachable from other machines and `--secure-cookies` is off.
pub fn network_warnings(addr: SocketAddr, config: &HttpConfig) -> Vec<String> {
    let mut out = Vec::new();
    if !addr.ip().is_loopback() && !config.secure_cookies {
        out.push(format!(
            "listening on {addr}, reachable from other machines, without --secure-cookies: \
             session cookies would travel unencrypted. Serve over HTTPS (a TLS proxy) and pass \
             --secure-cookies"
        ));
    }
    out
}

/// Refuses to serve a database holding an enabled demo account (its password is published)
/// on an address other machines can reach.
pub async fn refuse_demo_on_network(store: &Store, addr: SocketAddr) -> anyhow::Result<()> {
    if addr.ip().is_loopback() {
        return Ok(());
    }
    let demo = store.enabled_demo_accounts().await?;
    if let Some(email) = demo.first() {
        anyhow::bail!(
            "refusing to listen on {addr}: this data directory holds the demo account {email}, \
             whose password is published. Serve it on 127.0.0.1 only, or use another data \
             directory for a real practice"
        );
    }
    Ok(())
}

pub async fn run(g: &GlobalOpts, a: ServeArgs) -> anyhow::Result<()> {
    let state = open_state(g, &a).await?;
    if a.no_workers {
        // uploads still land in the data directory; `noted worker` processes take the jobs
        http::recordings::sweep_partial_uploads(&state.data_dir);
        println!("web app only (--no-workers): transcription and drafting wait for `noted worker`");
        return serve_state(state, &a.bind).await;
    }
    let workers = start_workers(&state, &a).await?;
    serve_with_workers(state, workers, &a.bind).await
}

/// Serves until Ctrl-C / SIGTERM, then stops the workers: running jobs are handed back to the
/// queue (or, if the database is already closed, recovered at the next start).
pub async fn serve_with_workers(
    state: AppState,
    workers: WorkerPool,
    bind: &str,
) -> anyhow::Result<()> {
    let stopper = tokio::spawn(async move {
        stop_signal().await;
        workers.shutdown(Duration::from_secs(2)).await;
    });
    let result = serve_state(state, bind).await;
    if result.is_ok() {
        let _ = stopper.await;
    } else {
        stopper.abort();
    }
    result
}

pub(crate) async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
