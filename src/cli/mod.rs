//! The command line: one subcommand per job, each in its own file.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use anyhow::Context;

use crate::config::{self, GlobalOpts};
use crate::store::{Location, Store};

pub mod audit;
pub mod backup;
pub mod bench;
pub mod bench_draft;
pub mod db;
pub mod demo;
pub mod draft;
pub mod eval;
pub mod keys;
pub mod models;
pub mod serve;
pub mod transcribe;
pub mod user;
pub mod voice;
pub mod worker;

/// Noted: local-first drafting of therapy notes.
#[derive(Debug, Parser)]
#[command(name = "noted", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service and the job workers.
    Serve(serve::ServeArgs),
    /// Run only job workers (transcription, drafting) on the data directory's database,
    /// beside a `noted serve --no-workers`.
    Worker(worker::WorkerArgs),
    /// Create a demo clinician and client, transcribe and draft a sample session, and serve.
    Demo(demo::DemoArgs),
    /// Manage user accounts and API tokens.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Create the data directory and its data key (also done on first start).
    Init,
    /// Encrypt a data directory from before encryption at rest (stop the server first).
    Encrypt,
    /// Write an encrypted, consistent backup of the data directory (while the server runs),
    /// or check one with --verify.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data directory, and check it.
    Restore(backup::RestoreArgs),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Move a practice between SQLite and PostgreSQL (`noted db copy`).
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Install, add, list, verify and select models.
    #[command(subcommand)]
    Models(models::ModelsCommand),
    /// Transcribe an audio file with the active speech model.
    Transcribe(transcribe::TranscribeArgs),
    /// Enrol a clinician's voice for speaker attribution.
    #[command(subcommand)]
    Voice(voice::VoiceCommand),
    /// Draft a progress note from a transcript or a typed summary.
    Draft(draft::DraftArgs),
    /// Score drafting (and with --audio, transcription) on a directory of session files.
    Eval(eval::EvalArgs),
    /// Measure transcription or drafting speed.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// The chart database `g` names (`--database-url` / `NOTED_DATABASE_URL`; the data directory's
/// `noted.db` when absent).
pub fn database(g: &GlobalOpts) -> anyhow::Result<Location> {
    Ok(Location::from_option(g.database_url.as_deref())?)
}

/// Opens the chart database `g` names, with the data directory's keys.
pub async fn open_store(g: &GlobalOpts) -> anyhow::Result<Store> {
    let location = database(g)?;
    let data_dir = g.data_dir();
    let store = Store::open_at(&location, &data_dir, g.key_file.as_deref()).await;
    if store.is_ok() {
        tracing::info!("database: {location}");
    }
    store.with_context(|| match &location {
        Location::Sqlite(None) => format!("cannot open the database in {}", data_dir.display()),
        other => format!("cannot open the database {other}"),
    })
}

/// Entry point used by `main.rs`.
pub fn main() -> ExitCode {
    bounded_openmp_spinning();
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = config::apply_config_file(&args) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let g = &cli.global;
    match cli.command {
        Command::Serve(a) => serve::run(g, a).await,
        Command::Worker(a) => worker::run(g, a).await,
        Command::Demo(a) => demo::run(g, a).await,
        Command::User(c) => user::run(g, c).await,
        Command::Init => keys::run_init(g).await,
        Command::Encrypt => keys::run_encrypt(g).await,
        Command::Backup(a) => backup::run_backup(g, a).await,
        Command::Restore(a) => backup::run_restore(g, a).await,
        Command::Audit(c) => audit::run(g, c).await,
        Command::Db(c) => db::run(g, c).await,
        Command::Models(c) => models::run(g, c).await,
        Command::Transcribe(a) => transcribe::run(g, a).await,
        Command::Voice(c) => voice::run(g, c).await,
        Command::Draft(a) => draft::run(g, a).await,
        Command::Eval(a) => eval::run(g, a).await,
        Command::Bench(c) => bench::run(g, c).await,
    }
}

/// How long whisper.cpp's OpenMP threads spin at a barrier before they sleep. libgomp's
/// default (300 000 spins) made transcription 5× slower on a busy 2-core machine (94.6 s
/// against 19.0 s for the 179 s session), while never spinning (`OMP_WAIT_POLICY=passive`)
/// costs a sleep and a wake-up at every step of every decoded token (quiet machine: 10.1 s
/// against 6.3 s with 10 000 spins). A short spin plus one thread per free core
/// ([`crate::transcribe::cores`]) is fast on a quiet machine and safe on a busy one.
const OPENMP_SPIN_COUNT: &str = "10000";

/// libgomp reads its settings only when it loads, before `main`, so when neither
/// `OMP_WAIT_POLICY` nor `GOMP_SPINCOUNT` is set the process sets `GOMP_SPINCOUNT` and
/// replaces itself with a fresh copy of the same command.
fn bounded_openmp_spinning() {
    #[cfg(unix)]
    if std::env::var_os("OMP_WAIT_POLICY").is_none() && std::env::var_os("GOMP_SPINCOUNT").is_none()
    {
        use std::os::unix::process::CommandExt;
        if let Ok(exe) = std::env::current_exe() {
            let err = std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env("GOMP_SPINCOUNT", OPENMP_SPIN_COUNT)
                .exec();
            // exec only returns on failure: carry on with the default policy.
            eprintln!("warning: could not restart with GOMP_SPINCOUNT={OPENMP_SPIN_COUNT}: {err}");
        }
    }
}

/// Logs go to stderr, filtered by `NOTED_LOG` (default `info`; the audio decoders are silent,
/// their failures come back as typed errors); colours only on a terminal. Log ids, never PHI.
fn init_tracing() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("NOTED_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,symphonia=off,sqlx::postgres::notice=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
