//! The job table (`migrations/0002_jobs.sql`; its state rule is migration 0013's trigger): a
//! job's row and state ([`Job`], [`JobState`]), the row to insert ([`NewJob`]), the statements
//! ([`sql`]) and the functions that run them ([`rows`]).
//!
//! The queue and its workers (`jobs`) run jobs through these, each write in a transaction of its
//! own; a store write that starts work inserts its job inside its own transaction instead
//! ([`insert_in`]), so the job exists if and only if its rows do (a recording and its
//! transcription job).

pub mod notify;
pub mod rows;
pub mod sql;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use rows::insert_in;

/// A job's id (the `jobs.id` row id).
pub type JobId = i64;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Claimed by a worker and running.
    Running,
    /// Finished; `result` holds the handler's output.
    Done,
    /// Failed for good; `error` says why. Can be retried.
    Failed,
    /// Cancelled by a user. Can be retried.
    Cancelled,
}

impl JobState {
    /// Every state, in the order a job passes through them.
    pub const ALL: [JobState; 5] = [
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
        JobState::Cancelled,
    ];

    /// The one rule for a job's state, mirrored by the `jobs_state_transitions` trigger
    /// (migration 0013): a queued job is claimed or cancelled; a running one ends done, failed
    /// or cancelled, or goes back to the queue (a passing failure with attempts left, a graceful
    /// shutdown, an expired lease); a failed or cancelled one can be retried; a done one is done.
    /// Staying in a state is always allowed.
    pub fn may_become(self, next: JobState) -> bool {
        use JobState::*;
        self == next
            || matches!(
                (self, next),
                (Queued, Running | Cancelled)
                    | (Running, Done | Failed | Cancelled | Queued)
                    | (Failed | Cancelled, Queued)
            )
    }

    /// The name stored in the database and sent to clients.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Done, failed or cancelled: nothing more will happen without a retry.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobState::Done | JobState::Failed | JobState::Cancelled
        )
    }
}

impl std::fmt::Display for JobState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for JobState {
    type Err = JobRowError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            other => return Err(JobRowError::Corrupt(format!("unknown job state {other:?}"))),
        })
    }
}

/// A job row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    pub state: JobState,
    /// Higher runs first; ties run in enqueue order.
    pub priority: i64,
    /// Attempts started so far (a crash or retryable failure starts another, up to `max_attempts`).
    pub attempts: i64,
    pub max_attempts: i64,
    /// Fraction done, 0..=1.
    pub progress: f64,
    /// What the job is doing now ("decoding", "transcribing", ...).
    pub stage: Option<String>,
    /// Why it failed (or why the last attempt failed, while a retry is queued).
    pub error: Option<String>,
    /// The handler's output, once done.
    pub result: Option<Value>,
    /// A cancel was requested while it was running; the handler is stopping.
    pub cancel_requested: bool,
    pub client_id: Option<i64>,
    pub created_by: Option<i64>,
    /// Not claimable before this time (Unix ms, database clock).
    pub run_at: i64,
    pub lease_owner: Option<String>,
    /// Unix ms, database clock.
    pub lease_expires_at: Option<i64>,
    /// ISO-8601 UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub updated_at: String,
}

/// A job to insert, with the optional fields.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: Value,
    pub client_id: Option<i64>,
    pub created_by: Option<i64>,
    /// Higher runs first (default 0).
    pub priority: i64,
    /// Defaults to [`JobDefaults::max_attempts`].
    pub max_attempts: Option<i64>,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        NewJob {
            kind: kind.into(),
            payload,
            client_id: None,
            created_by: None,
            priority: 0,
            max_attempts: None,
        }
    }
    pub fn client(mut self, client_id: i64) -> Self {
        self.client_id = Some(client_id);
        self
    }
    pub fn created_by(mut self, user_id: i64) -> Self {
        self.created_by = Some(user_id);
        self
    }
    pub fn priority(mut self, priority: i64) -> Self {
        self.priority = priority;
        self
    }
    pub fn max_attempts(mut self, n: i64) -> Self {
        self.max_attempts = Some(n);
        self
    }
}

/// What a new job gets where its [`NewJob`] leaves a field open: the queue's configuration
/// (`jobs::QueueConfig`, handed down by `jobs::JobQueue::defaults`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobDefaults {
    /// `max_attempts` of a job that does not set its own (at least 1 is stored).
    pub max_attempts: i64,
}

/// A job row that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JobRowError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A payload or result that is not valid JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A value the row may not hold (an unknown state).
    #[error("{0}")]
    Corrupt(String),
}
