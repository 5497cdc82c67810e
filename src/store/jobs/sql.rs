//! The SQL of the job table: one set of statements, written once (`job_statements!`) and made
//! for each database from its few pieces of dialect: the clock, `min`/`max` of two values, the
//! list of kinds a worker can run, and PostgreSQL's `FOR UPDATE SKIP LOCKED`. `store::jobs::rows`
//! runs the set of the transaction's database ([`sqlite`] or [`postgres`]); `tests/migrations.rs`
//! also runs a job through the PostgreSQL set on the bare schema.
//!
//! Every state change is one `UPDATE ... RETURNING` guarded by the expected state (and, for a
//! worker's own writes, by its lease owner), so it is atomic on its own. On SQLite the queue runs
//! each inside `BEGIN IMMEDIATE` so the write lock is taken up front and `busy_timeout` applies
//! (a deferred transaction that upgrades to a write can fail with `SQLITE_BUSY` without waiting).
//! On PostgreSQL the claim's inner SELECT takes its row `FOR UPDATE SKIP LOCKED`, so concurrent
//! claimers (workers on other machines) skip a row another one is taking instead of waiting for
//! it and then finding it gone.
//!
//! Parameters: `$N` (positional, on both databases). Lease and schedule times are Unix
//! milliseconds from the database clock, so several processes never compare their own clocks;
//! the text times (`started_at`, ...) are UTC with milliseconds, also from the database clock.

/// Columns read back into a `store::jobs::Job`.
macro_rules! job_columns {
    () => {
        "id, kind, payload, state, priority, attempts, max_attempts, progress, stage, error, \
         result, run_at, lease_owner, lease_expires_at, cancel_requested, client_id, \
         created_by, created_at, started_at, finished_at, updated_at"
    };
}

/// The job table's statements for one database. `now_ms`: the current time in Unix
/// milliseconds; `now_text`: the current time as ISO-8601 UTC text with milliseconds (both
/// fixed for the statement); `least`/`greatest`: the function giving the smaller/larger of two
/// values; `kinds`: a SELECT of the kinds in the JSON array `$3`; `skip_locked`: what the
/// claim's inner SELECT ends with.
macro_rules! job_statements {
    (
        now_ms: $now_ms:literal,
        now_text: $now_text:literal,
        least: $least:literal,
        greatest: $greatest:literal,
        kinds: $kinds:literal,
        skip_locked: $skip_locked:literal $(,)?
    ) => {
        /// `$1` kind, `$2` payload JSON, `$3` priority, `$4` max_attempts, `$5` client_id,
        /// `$6` created_by.
        pub const ENQUEUE: &str = concat!(
            "INSERT INTO jobs (kind, payload, priority, max_attempts, client_id, created_by) ",
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        );

        /// Claim the next runnable job. `$1` lease owner, `$2` lease length in ms, `$3` JSON
        /// array of the kinds this worker can run. The inner SELECT picks the job; the UPDATE
        /// takes it only if it is still queued, all in one statement.
        pub const CLAIM: &str = concat!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = $1, ",
            "lease_expires_at = ",
            $now_ms,
            " + $2, started_at = ",
            $now_text,
            ", updated_at = ",
            $now_text,
            ", finished_at = NULL, progress = 0, stage = NULL, cancel_requested = FALSE ",
            "WHERE state = 'queued' AND id = (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= ",
            $now_ms,
            " AND kind IN (", $kinds, ") ORDER BY priority DESC, id LIMIT 1", $skip_locked, ") ",
            "RETURNING ",
            job_columns!()
        );

        /// Renew a lease. `$1` id, `$2` owner, `$3` lease length in ms. Returns `cancel_requested`.
        pub const HEARTBEAT: &str = concat!(
            "UPDATE jobs SET lease_expires_at = ",
            $now_ms,
            " + $3 WHERE id = $1 AND lease_owner = $2 AND state = 'running' ",
            "RETURNING cancel_requested"
        );

        /// Persist progress. `$1` id, `$2` owner, `$3` stage, `$4` fraction in 0..=1.
        pub const SET_PROGRESS: &str = concat!(
            "UPDATE jobs SET stage = $3, progress = $4, updated_at = ",
            $now_text,
            " WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING ",
            job_columns!()
        );

        /// Finish successfully. `$1` id, `$2` owner, `$3` result JSON.
        pub const COMPLETE: &str = concat!(
            "UPDATE jobs SET state = 'done', result = $3, progress = 1, error = NULL, ",
            "lease_owner = NULL, lease_expires_at = NULL, finished_at = ",
            $now_text,
            ", updated_at = ",
            $now_text,
            " WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING ",
            job_columns!()
        );

        /// Record a failure. `$1` id, `$2` owner, `$3` retryable (a boolean), `$4` error text,
        /// `$5` base backoff in ms (doubles per attempt), `$6` backoff cap in ms. A retryable
        /// failure with attempts left (and no cancel request) goes back to `queued` after the
        /// backoff.
        pub const FAIL: &str = concat!(
            "UPDATE jobs SET ",
            "state = CASE WHEN $3 AND attempts < max_attempts AND NOT cancel_requested ",
            "THEN 'queued' ELSE 'failed' END, ",
            "finished_at = CASE WHEN $3 AND attempts < max_attempts AND NOT cancel_requested ",
            "THEN NULL ELSE ",
            $now_text,
            " END, ",
            "run_at = ",
            $now_ms,
            " + ", $least, "($6, $5 * (1 << CAST(",
            $least, "(", $greatest, "(attempts - 1, 0), 20) AS INTEGER))), ",
            "error = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = ",
            $now_text,
            " WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING ",
            job_columns!()
        );

        /// The handler stopped because of a cancel request. `$1` id, `$2` owner.
        pub const MARK_CANCELLED: &str = concat!(
            "UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, ",
            "finished_at = ",
            $now_text,
            ", updated_at = ",
            $now_text,
            " WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING ",
            job_columns!()
        );

        /// Give a job back without counting the attempt (graceful shutdown). `$1` id, `$2` owner.
        /// A job with a pending cancel request is cancelled instead.
        pub const RELEASE: &str = concat!(
            "UPDATE jobs SET ",
            "state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END, ",
            "finished_at = CASE WHEN cancel_requested THEN ",
            $now_text,
            " ELSE NULL END, ",
            "attempts = ", $greatest, "(attempts - 1, 0), ",
            "progress = 0, stage = NULL, started_at = NULL, ",
            "lease_owner = NULL, lease_expires_at = NULL, run_at = ",
            $now_ms,
            ", updated_at = ",
            $now_text,
            " WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING ",
            job_columns!()
        );

        /// Requeue running jobs whose lease expired (their worker died), or with `$1` true every
        /// running job (a single-server deployment at start, when no other worker can be alive).
        /// A job that used its last attempt fails; one with a pending cancel request is cancelled.
        pub const REQUEUE_EXPIRED: &str = concat!(
            "UPDATE jobs SET ",
            "state = CASE WHEN cancel_requested THEN 'cancelled' ",
            "WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, ",
            "error = CASE WHEN cancel_requested THEN error ",
            "WHEN attempts >= max_attempts THEN ",
            "'the worker running this job stopped responding (lease expired) on its last allowed attempt' ",
            "ELSE 'the worker running this job stopped responding (lease expired); requeued' END, ",
            "finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN ",
            $now_text,
            " ELSE NULL END, ",
            "progress = CASE WHEN cancel_requested OR attempts >= max_attempts THEN progress ELSE 0 END, ",
            "lease_owner = NULL, lease_expires_at = NULL, run_at = ",
            $now_ms,
            ", updated_at = ",
            $now_text,
            " WHERE state = 'running' AND ($1 OR lease_expires_at <= ",
            $now_ms,
            ") RETURNING ",
            job_columns!()
        );

        /// Cancel: a queued job is cancelled at once; a running one gets `cancel_requested`.
        /// `$1` id.
        pub const CANCEL: &str = concat!(
            "UPDATE jobs SET ",
            "finished_at = CASE WHEN state = 'queued' THEN ",
            $now_text,
            " ELSE finished_at END, ",
            "cancel_requested = CASE WHEN state = 'running' THEN TRUE ELSE cancel_requested END, ",
            "state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END, ",
            "updated_at = ",
            $now_text,
            " WHERE id = $1 AND state IN ('queued', 'running') RETURNING ",
            job_columns!()
        );

        /// Put a failed or cancelled job back in the queue with a fresh attempt budget. `$1` id.
        pub const RETRY: &str = concat!(
            "UPDATE jobs SET state = 'queued', attempts = 0, error = NULL, result = NULL, progress = 0, ",
            "stage = NULL, cancel_requested = FALSE, started_at = NULL, finished_at = NULL, ",
            "lease_owner = NULL, lease_expires_at = NULL, run_at = ",
            $now_ms,
            ", updated_at = ",
            $now_text,
            " WHERE id = $1 AND state IN ('failed', 'cancelled') RETURNING ",
            job_columns!()
        );

        /// `$1` id.
        pub const GET: &str = concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = $1");

        /// `$1` client id, `$2` limit. Newest first.
        pub const LIST_FOR_CLIENT: &str = concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE client_id = $1 ORDER BY id DESC LIMIT $2"
        );

        /// `$1` limit. Unfinished jobs first in run order, then the newest finished ones.
        pub const LIST_RECENT: &str = concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs ORDER BY CASE WHEN state IN ('queued', 'running') THEN 0 ELSE 1 END, ",
            "CASE WHEN state IN ('queued', 'running') THEN id ELSE -id END LIMIT $1"
        );
    };
}

/// SQLite statements of the job table's functions (`store::jobs::rows`, run for
/// `jobs::JobQueue`).
pub mod sqlite {
    job_statements! {
        now_ms: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
        now_text: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        least: "min",
        greatest: "max",
        kinds: "SELECT value FROM json_each($3)",
        skip_locked: "",
    }
}

/// The same statements for PostgreSQL (`migrations/postgres/0002_jobs.sql`), for workers on
/// several machines against one database. `statement_timestamp()` is SQLite's `'now'`: one
/// time for the whole statement.
pub mod postgres {
    job_statements! {
        now_ms: "CAST(floor(extract(epoch FROM statement_timestamp()) * 1000) AS BIGINT)",
        now_text: "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
        least: "LEAST",
        greatest: "GREATEST",
        kinds: "SELECT json_array_elements_text(CAST($3 AS JSON))",
        skip_locked: " FOR UPDATE SKIP LOCKED",
    }
}
