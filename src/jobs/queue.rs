//! [`JobQueue`]: enqueue, claim, lease, progress, finish, cancel, retry and read jobs (each
//! change one write transaction over `store::jobs`), and broadcast every change in-process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{broadcast, Notify};

use super::{Job, JobDefaults, JobEvent, JobId, JobState, NewJob, QueueError};
use crate::store::jobs::rows;
use crate::store::{Pool, WriteTx};

/// Tunables of the queue (not of the workers: see [`super::WorkerConfig`]).
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// Delay before a retryable failure runs again; doubles with each attempt.
    pub retry_backoff: Duration,
    /// Upper bound of that delay.
    pub retry_backoff_max: Duration,
    /// `max_attempts` of jobs that do not set their own.
    pub default_max_attempts: i64,
    /// Buffer of the in-process event broadcast; a subscriber that falls further behind
    /// re-reads the job from the database.
    pub event_capacity: usize,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            retry_backoff: Duration::from_secs(5),
            retry_backoff_max: Duration::from_secs(300),
            default_max_attempts: 3,
            event_capacity: 1024,
        }
    }
}

/// Proof that a worker holds a running job: every write a worker makes is guarded by it, so a
/// worker whose lease expired (and whose job was requeued) cannot overwrite the new run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub id: JobId,
    pub owner: String,
}

/// A job taken off the queue by [`JobQueue::claim`].
#[derive(Debug, Clone)]
pub struct Claimed {
    pub job: Job,
    pub lease: Lease,
}

/// Why a running job's handler is asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum StopReason {
    None = 0,
    /// A user cancelled the job.
    Cancel = 1,
    /// The worker pool is shutting down; the job goes back to the queue.
    Shutdown = 2,
    /// The lease was lost (requeued elsewhere); nothing this run writes counts.
    LeaseLost = 3,
}

/// In-memory state of a job running in this process: its stop flag and latest progress.
#[derive(Debug)]
pub(crate) struct LiveJob {
    pub(crate) id: JobId,
    pub(crate) kind: String,
    stop: AtomicU8,
    progress: Mutex<LiveProgress>,
}

#[derive(Debug, Default)]
struct LiveProgress {
    stage: Option<String>,
    fraction: f64,
    published: Option<(Option<String>, f64)>,
}

impl LiveJob {
    /// Ask the handler to stop; the first reason wins.
    pub(crate) fn request_stop(&self, reason: StopReason) {
        let _ = self.stop.compare_exchange(
            StopReason::None as u8,
            reason as u8,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }

    pub(crate) fn stop_reason(&self) -> StopReason {
        match self.stop.load(Ordering::SeqCst) {
            1 => StopReason::Cancel,
            2 => StopReason::Shutdown,
            3 => StopReason::LeaseLost,
            _ => StopReason::None,
        }
    }

    /// Record progress; returns the event to publish when it changed enough to be worth sending
    /// (a new stage, or at least one percentage point).
    pub(crate) fn record(&self, stage: &str, fraction: f64) -> Option<JobEvent> {
        let mut p = lock(&self.progress);
        p.stage = Some(stage.to_string());
        p.fraction = fraction;
        let publish = match &p.published {
            None => true,
            Some((s, f)) => {
                s.as_deref() != Some(stage)
                    || (fraction - f).abs() >= 0.01
                    || (fraction >= 1.0 && *f < 1.0)
            }
        };
        if !publish {
            return None;
        }
        p.published = Some((Some(stage.to_string()), fraction));
        Some(JobEvent {
            id: self.id,
            kind: self.kind.clone(),
            state: JobState::Running,
            progress: fraction,
            stage: Some(stage.to_string()),
            error: None,
            cancel_requested: self.stop_reason() == StopReason::Cancel,
        })
    }

    fn snapshot(&self) -> (Option<String>, f64) {
        let p = lock(&self.progress);
        (p.stage.clone(), p.fraction)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Clamp a progress fraction into 0..=1 (NaN → 0).
pub(crate) fn clamp_fraction(f: f64) -> f64 {
    if f.is_nan() {
        0.0
    } else {
        f.clamp(0.0, 1.0)
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

struct Inner {
    pool: Pool,
    config: QueueConfig,
    events: broadcast::Sender<JobEvent>,
    work: Notify,
    live: Mutex<HashMap<JobId, Arc<LiveJob>>>,
    /// On PostgreSQL, once started: this process's events to the others (`relay`).
    relay: std::sync::OnceLock<super::relay::Relay>,
}

/// The durable job queue over the store's pool (SQLite or PostgreSQL). Cheap to clone; all
/// clones share the event broadcast and the wake-up signal of the workers.
#[derive(Clone)]
pub struct JobQueue {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for JobQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobQueue").finish_non_exhaustive()
    }
}

impl JobQueue {
    /// A queue over `pool`, whose schema must include `migrations/0002_jobs.sql`.
    pub fn new(pool: Pool) -> Self {
        Self::with_config(pool, QueueConfig::default())
    }

    pub fn with_config(pool: Pool, config: QueueConfig) -> Self {
        let (events, _) = broadcast::channel(config.event_capacity.max(16));
        JobQueue {
            inner: Arc::new(Inner {
                pool,
                config,
                events,
                work: Notify::new(),
                live: Mutex::new(HashMap::new()),
                relay: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn pool(&self) -> &Pool {
        &self.inner.pool
    }

    pub fn config(&self) -> &QueueConfig {
        &self.inner.config
    }

    /// What a job enqueued without its own settings gets (for store writes that insert their
    /// job themselves, `store::jobs::insert_in`).
    pub fn defaults(&self) -> JobDefaults {
        JobDefaults {
            max_attempts: self.inner.config.default_max_attempts,
        }
    }

    /// Every job change in this process, as it happens. Filter by `id` for one job.
    pub fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        self.inner.events.subscribe()
    }

    /// Start a write transaction (on SQLite holding the write lock from the start; see
    /// `store::Pool::begin_job`).
    async fn begin_write(&self) -> Result<WriteTx, QueueError> {
        Ok(self.inner.pool.begin_job().await?)
    }

    /// Publishes a change made in this process: to its subscribers, and through the relay (on
    /// PostgreSQL, once started) to the other processes'.
    pub(crate) fn publish(&self, event: JobEvent) {
        if let Some(relay) = self.inner.relay.get() {
            relay.send(&event);
        }
        self.publish_here(event);
    }

    /// Publishes a change to this process's subscribers only (one relayed from another).
    pub(crate) fn publish_here(&self, event: JobEvent) {
        // No subscribers is fine.
        let _ = self.inner.events.send(event);
    }

    pub(super) fn set_relay(&self, relay: super::relay::Relay) -> Result<(), super::relay::Relay> {
        self.inner.relay.set(relay)
    }

    fn emit(&self, job: &Job) {
        self.publish(JobEvent::from(job));
    }

    /// Wake the workers (something became runnable).
    pub(crate) fn wake(&self) {
        self.inner.work.notify_one();
    }

    pub(crate) async fn work_available(&self) {
        self.inner.work.notified().await
    }

    /// Enqueue a job; returns its id. Workers are woken at once.
    pub async fn enqueue(
        &self,
        kind: &str,
        payload: Value,
        client_id: Option<i64>,
        created_by: Option<i64>,
    ) -> Result<JobId, QueueError> {
        let mut job = NewJob::new(kind, payload);
        job.client_id = client_id;
        job.created_by = created_by;
        self.enqueue_job(job).await
    }

    /// Enqueue a job with all options.
    pub async fn enqueue_job(&self, job: NewJob) -> Result<JobId, QueueError> {
        let mut tx = self.begin_write().await?;
        let id = self.enqueue_in(&mut tx, job).await?;
        tx.commit().await?;
        self.announce(id).await;
        Ok(id)
    }

    /// Enqueue inside the caller's transaction, so the job exists if and only if the caller's
    /// own rows do (e.g. an uploaded recording and its transcription job). After committing, call
    /// [`JobQueue::announce`] to wake the workers and notify subscribers (otherwise the workers
    /// find it at their next poll).
    pub async fn enqueue_in(&self, conn: &mut WriteTx, job: NewJob) -> Result<JobId, QueueError> {
        Ok(rows::insert_in(conn, &job, self.defaults()).await?)
    }

    /// Wake the workers and publish the current state of job `id` (after [`JobQueue::enqueue_in`]).
    pub async fn announce(&self, id: JobId) {
        self.wake();
        self.publish_current(id).await;
    }

    /// Atomically take the next runnable job of one of `kinds` (highest priority, then oldest),
    /// leased to `owner` for `lease`. `None` when nothing is runnable.
    pub async fn claim(
        &self,
        owner: &str,
        kinds: &[String],
        lease: Duration,
    ) -> Result<Option<Claimed>, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::claim_in(&mut tx, owner, kinds, millis(lease)).await?;
        tx.commit().await?;
        let Some(job) = job else { return Ok(None) };
        self.emit(&job);
        Ok(Some(Claimed {
            lease: Lease {
                id: job.id,
                owner: owner.to_string(),
            },
            job,
        }))
    }

    /// Renew a lease for another `lease`. Returns whether a cancel was requested (possibly by
    /// another process), or [`QueueError::LeaseLost`] if this worker no longer holds the job.
    pub async fn heartbeat(&self, lease: &Lease, duration: Duration) -> Result<bool, QueueError> {
        let mut tx = self.begin_write().await?;
        let cancel_requested =
            rows::heartbeat_in(&mut tx, lease.id, &lease.owner, millis(duration)).await?;
        tx.commit().await?;
        cancel_requested.ok_or(QueueError::LeaseLost(lease.id))
    }

    /// Record progress (`fraction` in 0..=1) and publish it.
    pub async fn set_progress(
        &self,
        lease: &Lease,
        stage: &str,
        fraction: f64,
    ) -> Result<Job, QueueError> {
        let job = self.persist_progress(lease, stage, fraction).await?;
        self.emit(&job);
        Ok(job)
    }

    /// Record progress without publishing (the worker publishes from memory, unthrottled).
    pub(crate) async fn persist_progress(
        &self,
        lease: &Lease,
        stage: &str,
        fraction: f64,
    ) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::set_progress_in(
            &mut tx,
            lease.id,
            &lease.owner,
            stage,
            clamp_fraction(fraction),
        )
        .await?;
        tx.commit().await?;
        job.ok_or(QueueError::LeaseLost(lease.id))
    }

    /// Mark the job done with `result`.
    pub async fn complete(&self, lease: &Lease, result: &Value) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::complete_in(&mut tx, lease.id, &lease.owner, result).await?;
        self.finish_leased(tx, lease, job).await
    }

    /// Mark the job done inside the caller's transaction, so the job's output and its
    /// completion commit together (or not at all). Nothing is published until the worker sees
    /// the handler return; see [`super::JobContext::complete_in`].
    pub async fn complete_in(
        &self,
        conn: &mut WriteTx,
        lease: &Lease,
        result: &Value,
    ) -> Result<Job, QueueError> {
        rows::complete_in(conn, lease.id, &lease.owner, result)
            .await?
            .ok_or(QueueError::LeaseLost(lease.id))
    }

    /// Publish the current state of job `id` as read from the database.
    pub(crate) async fn publish_current(&self, id: JobId) {
        if let Ok(Some(job)) = self.find(id).await {
            self.emit(&job);
        }
    }

    /// Record a failure. A `retryable` failure with attempts left goes back to `queued` (after a
    /// backoff); otherwise the job is `failed`. Returns the job as it now is.
    pub async fn fail(
        &self,
        lease: &Lease,
        error: &str,
        retryable: bool,
    ) -> Result<Job, QueueError> {
        let base = millis(self.inner.config.retry_backoff);
        let cap = millis(self.inner.config.retry_backoff_max);
        let mut tx = self.begin_write().await?;
        let job =
            rows::fail_in(&mut tx, lease.id, &lease.owner, error, retryable, base, cap).await?;
        let job = self.finish_leased(tx, lease, job).await?;
        if job.state == JobState::Queued {
            self.wake();
        }
        Ok(job)
    }

    /// The handler stopped on a cancel request: mark the job cancelled.
    pub async fn mark_cancelled(&self, lease: &Lease) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::mark_cancelled_in(&mut tx, lease.id, &lease.owner).await?;
        self.finish_leased(tx, lease, job).await
    }

    /// Give a running job back to the queue without counting the attempt (shutdown).
    pub async fn release(&self, lease: &Lease) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::release_in(&mut tx, lease.id, &lease.owner).await?;
        let job = self.finish_leased(tx, lease, job).await?;
        self.wake();
        Ok(job)
    }

    /// Commits a write guarded by `lease` and publishes the job it left, or
    /// [`QueueError::LeaseLost`] when the write matched no row.
    async fn finish_leased(
        &self,
        tx: WriteTx,
        lease: &Lease,
        job: Option<Job>,
    ) -> Result<Job, QueueError> {
        tx.commit().await?;
        let job = job.ok_or(QueueError::LeaseLost(lease.id))?;
        self.emit(&job);
        Ok(job)
    }

    /// Requeue jobs whose worker died (running, lease expired). Returns the jobs changed.
    pub async fn requeue_expired(&self) -> Result<Vec<Job>, QueueError> {
        self.requeue_running(false).await
    }

    /// Requeue every running job, expired lease or not. Only correct when no other worker can
    /// be alive (one server per database, at its start): see
    /// [`super::WorkerConfig::recover_all_on_start`].
    pub async fn requeue_all_running(&self) -> Result<Vec<Job>, QueueError> {
        self.requeue_running(true).await
    }

    async fn requeue_running(&self, all: bool) -> Result<Vec<Job>, QueueError> {
        let mut tx = self.begin_write().await?;
        let jobs = rows::requeue_running_in(&mut tx, all).await?;
        tx.commit().await?;
        for job in &jobs {
            tracing::warn!(job_id = job.id, kind = %job.kind, state = %job.state,
                "job's worker stopped responding (lease expired)");
            self.emit(job);
        }
        if jobs.iter().any(|j| j.state == JobState::Queued) {
            self.wake();
        }
        Ok(jobs)
    }

    /// Cancel a job: a queued job is cancelled at once; a running job is asked to stop (its
    /// handler sees it at its next progress report) and becomes `cancelled` when it does.
    /// Cancelling a cancelled job is a no-op; a done or failed job cannot be cancelled.
    pub async fn cancel(&self, id: JobId) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::cancel_in(&mut tx, id).await?;
        tx.commit().await?;
        let Some(job) = job else {
            return match self.find(id).await? {
                None => Err(QueueError::NotFound(id)),
                Some(job) if job.state == JobState::Cancelled => Ok(job),
                Some(job) => Err(QueueError::InvalidState {
                    id,
                    state: job.state,
                    action: "cancel",
                }),
            };
        };
        if job.state == JobState::Running {
            if let Some(live) = lock(&self.inner.live).get(&id) {
                live.request_stop(StopReason::Cancel);
            }
        }
        tracing::info!(job_id = id, state = %job.state, "job cancel requested");
        self.emit(&job);
        Ok(job)
    }

    /// Put a failed or cancelled job back in the queue with a fresh attempt budget.
    pub async fn retry(&self, id: JobId) -> Result<Job, QueueError> {
        let mut tx = self.begin_write().await?;
        let job = rows::retry_in(&mut tx, id).await?;
        tx.commit().await?;
        let Some(job) = job else {
            return match self.find(id).await? {
                None => Err(QueueError::NotFound(id)),
                Some(job) => Err(QueueError::InvalidState {
                    id,
                    state: job.state,
                    action: "retry",
                }),
            };
        };
        tracing::info!(job_id = id, "job requeued by retry");
        self.emit(&job);
        self.wake();
        Ok(job)
    }

    /// A job by id, with live progress if it is running in this process.
    pub async fn get(&self, id: JobId) -> Result<Job, QueueError> {
        self.find(id).await?.ok_or(QueueError::NotFound(id))
    }

    /// Like [`JobQueue::get`] but `None` when there is no such job.
    pub async fn find(&self, id: JobId) -> Result<Option<Job>, QueueError> {
        let Some(mut job) = rows::find(&self.inner.pool, id).await? else {
            return Ok(None);
        };
        self.overlay_live(&mut job);
        Ok(Some(job))
    }

    /// A client's jobs, newest first.
    pub async fn list_for_client(
        &self,
        client_id: i64,
        limit: i64,
    ) -> Result<Vec<Job>, QueueError> {
        let jobs = rows::list_for_client(&self.inner.pool, client_id, limit).await?;
        Ok(self.with_live(jobs))
    }

    /// Unfinished jobs in run order, then the most recently created finished ones.
    pub async fn list_recent(&self, limit: i64) -> Result<Vec<Job>, QueueError> {
        let jobs = rows::list_recent(&self.inner.pool, limit).await?;
        Ok(self.with_live(jobs))
    }

    fn with_live(&self, mut jobs: Vec<Job>) -> Vec<Job> {
        for job in &mut jobs {
            self.overlay_live(job);
        }
        jobs
    }

    fn overlay_live(&self, job: &mut Job) {
        if job.state != JobState::Running {
            return;
        }
        if let Some(live) = lock(&self.inner.live).get(&job.id) {
            let (stage, fraction) = live.snapshot();
            if stage.is_some() {
                job.stage = stage;
                job.progress = fraction;
            }
        }
    }

    pub(crate) fn register_live(&self, id: JobId, kind: &str) -> Arc<LiveJob> {
        let live = Arc::new(LiveJob {
            id,
            kind: kind.to_string(),
            stop: AtomicU8::new(StopReason::None as u8),
            progress: Mutex::new(LiveProgress::default()),
        });
        lock(&self.inner.live).insert(id, live.clone());
        live
    }

    pub(crate) fn unregister_live(&self, id: JobId) {
        lock(&self.inner.live).remove(&id);
    }

    /// Ask every job running in this process to stop for `reason`.
    pub(crate) fn stop_all_live(&self, ids: &[JobId], reason: StopReason) {
        let live = lock(&self.inner.live);
        for id in ids {
            if let Some(l) = live.get(id) {
                l.request_stop(reason);
            }
        }
    }
}
