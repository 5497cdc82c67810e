//! The durable job queue and its worker pool.
//!
//! Long work (transcribing a recording, drafting a note) runs as a *job*: a row in the `jobs`
//! table (`migrations/0002_jobs.sql`) that survives restarts. A [`WorkerPool`] in the server
//! process claims queued jobs in order (priority, then age), runs at most N at once, and hands
//! each to the [`JobHandler`] registered for its kind. The table's rows, states and statements
//! are the store's (`store::jobs`); this module is the queue over them (one transaction per
//! change, in-process events, wake-ups, live progress) and its workers.
//!
//! # Using it
//! ```no_run
//! # async fn demo(pool: noted::store::Pool) -> Result<(), noted::jobs::QueueError> {
//! use noted::jobs::{handler_fn, HandlerRegistry, JobError, JobQueue, WorkerPool};
//! let queue = JobQueue::new(pool);
//! let mut registry = HandlerRegistry::new();
//! registry.register("transcribe", handler_fn(|job, ctx| async move {
//!     // Heavy work off the async runtime; `ctx.progress` is a plain blocking-safe call.
//!     let out = ctx.run_blocking(move |ctx| {
//!         for i in 0..10 {
//!             if !ctx.progress("transcribing", i as f64 / 10.0) {
//!                 return Err(JobError::Cancelled);
//!             }
//!         }
//!         Ok(serde_json::json!({"transcript_id": 1}))
//!     }).await?;
//!     let _ = job;
//!     Ok(out)
//! }));
//! let workers = WorkerPool::start(queue.clone(), registry, noted::jobs::default_concurrency()).await?;
//! let id = queue.enqueue("transcribe", serde_json::json!({"recording_id": 7}), Some(3), Some(1)).await?;
//! // HTTP: `noted::jobs::sse(queue.clone(), id)` streams progress; `queue.get(id)` polls.
//! queue.cancel(id).await?;
//! workers.shutdown(std::time::Duration::from_secs(10)).await;
//! # Ok(()) }
//! ```
//!
//! # Crash safety and idempotency
//! A claimed job carries a lease (owner + expiry) that the pool renews while the handler runs.
//! If the process dies (kill -9, power loss) the lease expires and the reaper, which runs when a
//! pool starts and then periodically, puts the job back in the queue, so it runs again (up to
//! `max_attempts`). A server that is the only worker on its database can set
//! [`WorkerConfig::recover_all_on_start`] to requeue every job still marked running at start,
//! without waiting for the lease (default 30 s) to run out. A job can therefore run more than
//! once, and handlers must be idempotent:
//! compute everything first, then write the job's output **in one transaction at the end**,
//! and in that same transaction call [`JobContext::complete_in`], which marks the job `done`:
//! output and completion then commit together or not at all. A crash before the commit leaves
//! nothing behind and the job runs again; a crash after it leaves a finished job that does not.
//! (A handler that writes no output of its own just returns its result; the pool marks the job
//! done.)
//!
//! # Progress and cancellation
//! [`JobContext::progress`]`(stage, fraction)` is a cheap, non-blocking call usable from inside
//! `spawn_blocking`: it publishes a [`JobEvent`] to in-process subscribers (for Server-Sent
//! Events, see [`sse()`]) and schedules a throttled database write. It returns `false` once the
//! job was cancelled; the handler should then stop and return [`JobError::Cancelled`].

mod queue;
mod relay;
mod sse;
mod worker;

use serde::{Deserialize, Serialize};

use crate::store::jobs::JobRowError;
pub use crate::store::jobs::{Job, JobDefaults, JobId, JobState, NewJob};
pub use queue::{Claimed, JobQueue, Lease, QueueConfig};
pub use relay::{RelayError, COALESCE as RELAY_COALESCE};
pub use sse::{event_stream, sse};
pub use worker::{
    default_concurrency, handler_fn, FnHandler, HandlerRegistry, JobContext, JobHandler,
    WorkerConfig, WorkerPool,
};

/// A change to a job, broadcast in-process for live progress (Server-Sent Events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobEvent {
    pub id: JobId,
    pub kind: String,
    pub state: JobState,
    pub progress: f64,
    pub stage: Option<String>,
    pub error: Option<String>,
    /// A cancel was requested and the running handler is stopping.
    pub cancel_requested: bool,
}

impl From<&Job> for JobEvent {
    fn from(j: &Job) -> Self {
        JobEvent {
            id: j.id,
            kind: j.kind.clone(),
            state: j.state,
            progress: j.progress,
            stage: j.stage.clone(),
            error: j.error.clone(),
            cancel_requested: j.cancel_requested,
        }
    }
}

/// Errors of the queue itself (database, unknown job, wrong state).
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("job queue database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("job {0} not found")]
    NotFound(JobId),
    #[error("job {id} is {state}; cannot {action} it")]
    InvalidState {
        id: JobId,
        state: JobState,
        action: &'static str,
    },
    #[error(
        "job {0}: this worker no longer holds its lease (it was requeued or finished elsewhere)"
    )]
    LeaseLost(JobId),
    #[error("job payload or result is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("job queue data is corrupt: {0}")]
    Corrupt(String),
}

/// How a handler reports that a job did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job was cancelled (return this when [`JobContext::progress`] returns `false`).
    #[error("cancelled")]
    Cancelled,
    /// The job failed. `retryable` failures (a busy resource, a transient I/O error) are run
    /// again after a backoff while attempts remain; others fail the job at once.
    #[error("{message}")]
    Failed { message: String, retryable: bool },
}

impl From<JobRowError> for QueueError {
    fn from(e: JobRowError) -> Self {
        match e {
            JobRowError::Db(e) => QueueError::Db(e),
            JobRowError::Json(e) => QueueError::Json(e),
            JobRowError::Corrupt(m) => QueueError::Corrupt(m),
        }
    }
}

impl From<QueueError> for JobError {
    /// Queue errors inside a handler (e.g. from [`JobContext::complete_in`]): database trouble
    /// may pass, anything else will not.
    fn from(e: QueueError) -> Self {
        match e {
            QueueError::Db(_) => JobError::retryable(e),
            other => JobError::fatal(other),
        }
    }
}

impl JobError {
    /// A failure that retrying will not fix (bad input, missing model).
    pub fn fatal(message: impl std::fmt::Display) -> Self {
        JobError::Failed {
            message: message.to_string(),
            retryable: false,
        }
    }

    /// A failure that may go away on another attempt.
    pub fn retryable(message: impl std::fmt::Display) -> Self {
        JobError::Failed {
            message: message.to_string(),
            retryable: true,
        }
    }
}
