//! `noted worker`: runs only job workers (transcription, drafting, or both) against the
//! database `--database-url` names (the data directory's by default), beside a `noted serve
//! --no-workers` that takes the uploads. A worker claims only the kinds it was given, under a
//! lease it renews while it works: a worker that dies loses its job to another after the lease
//! runs out.

use std::time::Duration;

use anyhow::Context;

use crate::cli::serve::{self, WorkKind, WorkerOptions};
use crate::config::GlobalOpts;
use crate::http::HttpConfig;
use crate::models::registry::{self, Role};

/// Options of `noted worker`.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerArgs {
    /// The kinds of work to take (comma-separated): a GPU or large-CPU box takes drafting, a
    /// small one transcription.
    #[arg(
        long,
        env = "NOTED_WORKER_KINDS",
        value_delimiter = ',',
        default_value = "transcription,drafting"
    )]
    pub kinds: Vec<WorkKind>,
    /// Model jobs run at the same time; default fits the machine.
    #[arg(long, env = "NOTED_WORKERS")]
    pub workers: Option<usize>,
    /// Threads per model job; default every core.
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Spoken language of recordings (ISO code; English-only models ignore it).
    #[arg(long, env = "NOTED_LANGUAGE", default_value = "en")]
    pub language: String,
    /// Longest audio accepted, in seconds (default 4 hours).
    #[arg(long, env = "NOTED_MAX_AUDIO_SECONDS", default_value_t = 4.0 * 3600.0)]
    pub max_audio_seconds: f64,
    /// Seconds a claimed job stays this worker's without a heartbeat (renewed every third of
    /// it): a worker that dies loses its job to another this long after its last heartbeat.
    #[arg(long, env = "NOTED_WORKER_LEASE_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(3..=3600))]
    pub lease_secs: u64,
}

pub async fn run(g: &GlobalOpts, a: WorkerArgs) -> anyhow::Result<()> {
    let state = serve::open_state_with(g, HttpConfig::default(), a.threads).await?;
    let options = WorkerOptions {
        kinds: a.kinds.clone(),
        workers: a.workers,
        language: a.language.clone(),
        max_audio_seconds: a.max_audio_seconds,
        recover_all_on_start: false,
        lease: Some(Duration::from_secs(a.lease_secs)),
    };
    // a worker takes only work it has a model for: say which, or refuse to start
    let mut can = Vec::new();
    for kind in &a.kinds {
        let (what, role) = match kind {
            WorkKind::Transcription => ("transcription", Role::Asr),
            WorkKind::Drafting => ("drafting", Role::Llm),
        };
        let model = registry::active(&g.models_dir(), role)
            .with_context(|| format!("this worker cannot take {what} jobs"))?;
        can.push(format!("{what} with {}", model.name));
    }
    let pool = serve::start_worker_pool(&state, &options).await?;
    println!(
        "worker: taking {} jobs from {} (data in {}, models in {}); Ctrl-C stops it and hands \
         running jobs back",
        can.join(" and "),
        crate::cli::database(g)?,
        state.data_dir.display(),
        g.models_dir().display()
    );
    serve::stop_signal().await;
    pool.shutdown(Duration::from_secs(2)).await;
    Ok(())
}
