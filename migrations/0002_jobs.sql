-- Durable job queue (transcription, drafting, ...). One row per job; workers claim rows by
-- leasing them (lease_owner + lease_expires_at); a running row whose lease expired belongs to a
-- dead worker and is requeued by the reaper. Times for humans are ISO-8601 UTC text; lease and
-- scheduling times are integer Unix milliseconds from the database clock (compared in SQL).
CREATE TABLE IF NOT EXISTS jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (length(kind) > 0),
    payload          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    -- Higher runs first; ties run in enqueue order (id).
    priority         INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    progress         REAL    NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    stage            TEXT,
    error            TEXT,
    result           TEXT CHECK (result IS NULL OR json_valid(result)),
    -- Not claimable before this time (Unix ms); used for retry backoff.
    run_at           INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    client_id        INTEGER,
    created_by       INTEGER,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at       TEXT,
    finished_at      TEXT,
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The claim query: next queued job by priority then id.
CREATE INDEX IF NOT EXISTS jobs_claim ON jobs (state, priority DESC, id);
-- The reaper: running jobs whose lease expired.
CREATE INDEX IF NOT EXISTS jobs_lease ON jobs (state, lease_expires_at);
-- A client's jobs, newest first.
CREATE INDEX IF NOT EXISTS jobs_client ON jobs (client_id, id);
