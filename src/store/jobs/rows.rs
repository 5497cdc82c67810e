//! Reading and writing job rows: one function per statement of [`super::sql`]. A write that
//! matches no row (the job is not in the state the statement expects, or the lease is not the
//! caller's any more) returns `None`; what that means is the queue's to say.

use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqliteExecutor};

use super::sql::sqlite as sql;
use super::{Job, JobDefaults, JobId, JobRowError, NewJob};

/// Inserts `job` inside the caller's transaction, so it exists if and only if the caller's own
/// rows do; returns its id. Wake the workers after the commit (`jobs::JobQueue::announce`),
/// otherwise they find it at their next poll.
pub async fn insert_in(
    conn: &mut SqliteConnection,
    job: &NewJob,
    defaults: JobDefaults,
) -> Result<JobId, sqlx::Error> {
    let max_attempts = job.max_attempts.unwrap_or(defaults.max_attempts).max(1);
    sqlx::query_scalar(sql::ENQUEUE)
        .bind(&job.kind)
        .bind(job.payload.to_string())
        .bind(job.priority)
        .bind(max_attempts)
        .bind(job.client_id)
        .bind(job.created_by)
        .fetch_one(&mut *conn)
        .await
}

/// Takes the next runnable job of one of `kinds` (highest priority, then oldest), leased to
/// `owner` for `lease_ms`; `None` when nothing is runnable.
pub async fn claim_in(
    conn: &mut SqliteConnection,
    owner: &str,
    kinds: &[String],
    lease_ms: i64,
) -> Result<Option<Job>, JobRowError> {
    let kinds = serde_json::to_string(kinds)?;
    let row = sqlx::query(sql::CLAIM)
        .bind(owner)
        .bind(lease_ms)
        .bind(kinds)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Renews `owner`'s lease of running job `id` for `lease_ms`. Returns whether a cancel was
/// requested, or `None` when `owner` no longer holds the job.
pub async fn heartbeat_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
    lease_ms: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar(sql::HEARTBEAT)
        .bind(id)
        .bind(owner)
        .bind(lease_ms)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(flag.map(|f| f != 0))
}

/// Records the stage and progress (`fraction`, already in 0..=1) of `owner`'s running job.
pub async fn set_progress_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
    stage: &str,
    fraction: f64,
) -> Result<Option<Job>, JobRowError> {
    let row = sqlx::query(sql::SET_PROGRESS)
        .bind(id)
        .bind(owner)
        .bind(stage)
        .bind(fraction)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Marks `owner`'s running job done with `result`.
pub async fn complete_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
    result: &Value,
) -> Result<Option<Job>, JobRowError> {
    leased_in(conn, sql::COMPLETE, id, owner, |q| {
        q.bind(result.to_string())
    })
    .await
}

/// Records a failure of `owner`'s running job: a `retryable` one with attempts left goes back
/// to the queue after a backoff of `backoff_ms` doubled per attempt, at most `backoff_max_ms`;
/// otherwise the job fails.
pub async fn fail_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
    error: &str,
    retryable: bool,
    backoff_ms: i64,
    backoff_max_ms: i64,
) -> Result<Option<Job>, JobRowError> {
    let error = error.to_string();
    leased_in(conn, sql::FAIL, id, owner, |q| {
        q.bind(retryable)
            .bind(error)
            .bind(backoff_ms)
            .bind(backoff_max_ms)
    })
    .await
}

/// Marks `owner`'s running job cancelled (its handler stopped on a cancel request).
pub async fn mark_cancelled_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
) -> Result<Option<Job>, JobRowError> {
    leased_in(conn, sql::MARK_CANCELLED, id, owner, |q| q).await
}

/// Gives `owner`'s running job back to the queue without counting the attempt (cancelled
/// instead when a cancel is pending).
pub async fn release_in(
    conn: &mut SqliteConnection,
    id: JobId,
    owner: &str,
) -> Result<Option<Job>, JobRowError> {
    leased_in(conn, sql::RELEASE, id, owner, |q| q).await
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

/// Runs a statement guarded by `owner`'s lease of job `id` (`?1` id, `?2` owner, then what
/// `bind` adds).
async fn leased_in<'q>(
    conn: &mut SqliteConnection,
    statement: &'static str,
    id: JobId,
    owner: &'q str,
    bind: impl FnOnce(SqliteQuery<'q>) -> SqliteQuery<'q>,
) -> Result<Option<Job>, JobRowError> {
    let q = sqlx::query(statement).bind(id).bind(owner);
    let row = bind(q).fetch_optional(&mut *conn).await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Requeues running jobs whose lease expired (their worker died), or with `all` every running
/// job; a job on its last attempt fails, one with a pending cancel request is cancelled.
/// Returns the jobs changed.
pub async fn requeue_running_in(
    conn: &mut SqliteConnection,
    all: bool,
) -> Result<Vec<Job>, JobRowError> {
    let rows = sqlx::query(sql::REQUEUE_EXPIRED)
        .bind(all)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(job_from_row).collect()
}

/// Cancels a queued job, or asks a running one to stop (`cancel_requested`); `None` when the
/// job is in neither state (or does not exist).
pub async fn cancel_in(conn: &mut SqliteConnection, id: JobId) -> Result<Option<Job>, JobRowError> {
    let row = sqlx::query(sql::CANCEL)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// Puts a failed or cancelled job back in the queue with a fresh attempt budget; `None` when
/// the job is in neither state (or does not exist).
pub async fn retry_in(conn: &mut SqliteConnection, id: JobId) -> Result<Option<Job>, JobRowError> {
    let row = sqlx::query(sql::RETRY)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// A job by id.
pub async fn find(db: impl SqliteExecutor<'_>, id: JobId) -> Result<Option<Job>, JobRowError> {
    let row = sqlx::query(sql::GET).bind(id).fetch_optional(db).await?;
    row.as_ref().map(job_from_row).transpose()
}

/// A client's jobs, newest first.
pub async fn list_for_client(
    db: impl SqliteExecutor<'_>,
    client_id: i64,
    limit: i64,
) -> Result<Vec<Job>, JobRowError> {
    let rows = sqlx::query(sql::LIST_FOR_CLIENT)
        .bind(client_id)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(job_from_row).collect()
}

/// Unfinished jobs in run order, then the most recently created finished ones.
pub async fn list_recent(db: impl SqliteExecutor<'_>, limit: i64) -> Result<Vec<Job>, JobRowError> {
    let rows = sqlx::query(sql::LIST_RECENT)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.iter().map(job_from_row).collect()
}

fn job_from_row(row: &SqliteRow) -> Result<Job, JobRowError> {
    let payload: String = row.try_get("payload")?;
    let result: Option<String> = row.try_get("result")?;
    let state: String = row.try_get("state")?;
    let cancel_requested: i64 = row.try_get("cancel_requested")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload)?,
        state: state.parse()?,
        priority: row.try_get("priority")?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
        progress: row.try_get("progress")?,
        stage: row.try_get("stage")?,
        error: row.try_get("error")?,
        result: result.as_deref().map(serde_json::from_str).transpose()?,
        cancel_requested: cancel_requested != 0,
        client_id: row.try_get("client_id")?,
        created_by: row.try_get("created_by")?,
        run_at: row.try_get("run_at")?,
        lease_owner: row.try_get("lease_owner")?,
        lease_expires_at: row.try_get("lease_expires_at")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
