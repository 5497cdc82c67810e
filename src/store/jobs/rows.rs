//! Reading and writing job rows: one function per statement of [`super::sql`], run with the
//! statement set of the transaction's database. A write that matches no row (the job is not in
//! the state the statement expects, or the lease is not the caller's any more) returns `None`;
//! what that means is the queue's to say.

use serde_json::Value;

use super::sql;
use super::{Job, JobDefaults, JobId, JobRowError, JobState, NewJob};
use crate::store::{db, Dialect, Pool, WriteTx};

/// The statement `$name` of [`super::sql`] for the database of `$on` (anything with a
/// `dialect()`).
macro_rules! statement {
    ($on:expr, $name:ident) => {
        match $on.dialect() {
            Dialect::Sqlite => sql::sqlite::$name,
            Dialect::Postgres => sql::postgres::$name,
        }
    };
}

/// Runs statement `$name` on `$on` (a `&mut WriteTx` or `&Pool`) with the `$arg`s bound in
/// order; `$fetch` (`fetch_optional` or `fetch_all`) reads back the job rows it returns.
macro_rules! jobs {
    ($on:expr, $name:ident, $fetch:ident $(, $arg:expr)*) => {{
        let statement = statement!($on, $name);
        db!($on, |x| sqlx::query_as::<_, JobRecord>(statement)
            $(.bind($arg))*
            .$fetch(x)
            .await)?
    }};
}

/// Inserts `job` inside the caller's transaction, so it exists if and only if the caller's own
/// rows do; returns its id. Wake the workers after the commit (`jobs::JobQueue::announce`),
/// otherwise they find it at their next poll.
pub async fn insert_in(
    conn: &mut WriteTx,
    job: &NewJob,
    defaults: JobDefaults,
) -> Result<JobId, sqlx::Error> {
    let max_attempts = job.max_attempts.unwrap_or(defaults.max_attempts).max(1);
    let statement = statement!(conn, ENQUEUE);
    db!(&mut *conn, |x| sqlx::query_scalar(statement)
        .bind(&job.kind)
        .bind(job.payload.to_string())
        .bind(job.priority)
        .bind(max_attempts)
        .bind(job.client_id)
        .bind(job.created_by)
        .fetch_one(x)
        .await)
}

/// Takes the next runnable job of one of `kinds` (highest priority, then oldest), leased to
/// `owner` for `lease_ms`; `None` when nothing is runnable.
pub async fn claim_in(
    conn: &mut WriteTx,
    owner: &str,
    kinds: &[String],
    lease_ms: i64,
) -> Result<Option<Job>, JobRowError> {
    let kinds = serde_json::to_string(kinds)?;
    jobs!(&mut *conn, CLAIM, fetch_optional, owner, lease_ms, kinds)
        .map(Job::try_from)
        .transpose()
}

/// Renews `owner`'s lease of running job `id` for `lease_ms`. Returns whether a cancel was
/// requested, or `None` when `owner` no longer holds the job.
pub async fn heartbeat_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
    lease_ms: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let statement = statement!(conn, HEARTBEAT);
    db!(&mut *conn, |x| sqlx::query_scalar(statement)
        .bind(id)
        .bind(owner)
        .bind(lease_ms)
        .fetch_optional(x)
        .await)
}

/// Records the stage and progress (`fraction`, already in 0..=1) of `owner`'s running job.
pub async fn set_progress_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
    stage: &str,
    fraction: f64,
) -> Result<Option<Job>, JobRowError> {
    jobs!(
        &mut *conn,
        SET_PROGRESS,
        fetch_optional,
        id,
        owner,
        stage,
        fraction
    )
    .map(Job::try_from)
    .transpose()
}

/// Marks `owner`'s running job done with `result`.
pub async fn complete_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
    result: &Value,
) -> Result<Option<Job>, JobRowError> {
    jobs!(
        &mut *conn,
        COMPLETE,
        fetch_optional,
        id,
        owner,
        result.to_string()
    )
    .map(Job::try_from)
    .transpose()
}

/// Records a failure of `owner`'s running job: a `retryable` one with attempts left goes back
/// to the queue after a backoff of `backoff_ms` doubled per attempt, at most `backoff_max_ms`;
/// otherwise the job fails.
pub async fn fail_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
    error: &str,
    retryable: bool,
    backoff_ms: i64,
    backoff_max_ms: i64,
) -> Result<Option<Job>, JobRowError> {
    jobs!(
        &mut *conn,
        FAIL,
        fetch_optional,
        id,
        owner,
        retryable,
        error,
        backoff_ms,
        backoff_max_ms
    )
    .map(Job::try_from)
    .transpose()
}

/// Marks `owner`'s running job cancelled (its handler stopped on a cancel request).
pub async fn mark_cancelled_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
) -> Result<Option<Job>, JobRowError> {
    jobs!(&mut *conn, MARK_CANCELLED, fetch_optional, id, owner)
        .map(Job::try_from)
        .transpose()
}

/// Gives `owner`'s running job back to the queue without counting the attempt (cancelled
/// instead when a cancel is pending).
pub async fn release_in(
    conn: &mut WriteTx,
    id: JobId,
    owner: &str,
) -> Result<Option<Job>, JobRowError> {
    jobs!(&mut *conn, RELEASE, fetch_optional, id, owner)
        .map(Job::try_from)
        .transpose()
}

/// Requeues running jobs whose lease expired (their worker died), or with `all` every running
/// job; a job on its last attempt fails, one with a pending cancel request is cancelled.
/// Returns the jobs changed.
pub async fn requeue_running_in(conn: &mut WriteTx, all: bool) -> Result<Vec<Job>, JobRowError> {
    jobs!(&mut *conn, REQUEUE_EXPIRED, fetch_all, all)
        .into_iter()
        .map(Job::try_from)
        .collect()
}

/// Cancels a queued job, or asks a running one to stop (`cancel_requested`); `None` when the
/// job is in neither state (or does not exist).
pub async fn cancel_in(conn: &mut WriteTx, id: JobId) -> Result<Option<Job>, JobRowError> {
    jobs!(&mut *conn, CANCEL, fetch_optional, id)
        .map(Job::try_from)
        .transpose()
}

/// Puts a failed or cancelled job back in the queue with a fresh attempt budget; `None` when
/// the job is in neither state (or does not exist).
pub async fn retry_in(conn: &mut WriteTx, id: JobId) -> Result<Option<Job>, JobRowError> {
    jobs!(&mut *conn, RETRY, fetch_optional, id)
        .map(Job::try_from)
        .transpose()
}

/// A job by id.
pub async fn find(pool: &Pool, id: JobId) -> Result<Option<Job>, JobRowError> {
    jobs!(pool, GET, fetch_optional, id)
        .map(Job::try_from)
        .transpose()
}

/// A client's jobs, newest first.
pub async fn list_for_client(
    pool: &Pool,
    client_id: i64,
    limit: i64,
) -> Result<Vec<Job>, JobRowError> {
    jobs!(pool, LIST_FOR_CLIENT, fetch_all, client_id, limit)
        .into_iter()
        .map(Job::try_from)
        .collect()
}

/// Unfinished jobs in run order, then the most recently created finished ones.
pub async fn list_recent(pool: &Pool, limit: i64) -> Result<Vec<Job>, JobRowError> {
    jobs!(pool, LIST_RECENT, fetch_all, limit)
        .into_iter()
        .map(Job::try_from)
        .collect()
}

/// A job row as the database holds it (payload and result as JSON text, state as text).
#[derive(sqlx::FromRow)]
struct JobRecord {
    id: JobId,
    kind: String,
    payload: String,
    state: String,
    priority: i64,
    attempts: i64,
    max_attempts: i64,
    progress: f64,
    stage: Option<String>,
    error: Option<String>,
    result: Option<String>,
    run_at: i64,
    lease_owner: Option<String>,
    lease_expires_at: Option<i64>,
    cancel_requested: bool,
    client_id: Option<i64>,
    created_by: Option<i64>,
    created_at: String,
    started_at: Option<String>,
    finished_at: Option<String>,
    updated_at: String,
}

impl TryFrom<JobRecord> for Job {
    type Error = JobRowError;
    fn try_from(r: JobRecord) -> Result<Job, JobRowError> {
        Ok(Job {
            id: r.id,
            kind: r.kind,
            payload: serde_json::from_str(&r.payload)?,
            state: r.state.parse::<JobState>()?,
            priority: r.priority,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            progress: r.progress,
            stage: r.stage,
            error: r.error,
            result: r.result.as_deref().map(serde_json::from_str).transpose()?,
            cancel_requested: r.cancel_requested,
            client_id: r.client_id,
            created_by: r.created_by,
            run_at: r.run_at,
            lease_owner: r.lease_owner,
            lease_expires_at: r.lease_expires_at,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            updated_at: r.updated_at,
        })
    }
}
