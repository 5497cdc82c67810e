//! The worker pool: claims jobs in order, runs at most N handlers at once, keeps their leases
//! alive, records each outcome (done, failed, retry, cancelled), survives handler panics, and
//! shuts down gracefully.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::store::WriteTx;
use futures_util::future::BoxFuture;
use serde_json::Value;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use super::queue::{clamp_fraction, LiveJob, StopReason};
use super::{Claimed, Job, JobError, JobId, JobQueue, Lease, QueueError};

/// Runs jobs of one kind. Implement it directly, or wrap a closure with [`handler_fn`].
///
/// Heavy, blocking work (inference) must not run on the async runtime: use
/// [`JobContext::run_blocking`] (or `tokio::task::spawn_blocking`). Report progress with
/// [`JobContext::progress`] and stop with [`JobError::Cancelled`] when it returns `false`.
/// A job may run more than once (after a crash): write outputs idempotently, in one transaction
/// at the end (see the module docs).
pub trait JobHandler: Send + Sync + 'static {
    fn run<'a>(&'a self, job: &'a Job, ctx: JobContext) -> BoxFuture<'a, Result<Value, JobError>>;
}

/// A [`JobHandler`] made from an async closure `Fn(Job, JobContext) -> Future`.
pub struct FnHandler<F>(F);

impl<F, Fut> JobHandler for FnHandler<F>
where
    F: Fn(Job, JobContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, JobError>> + Send + 'static,
{
    fn run<'a>(&'a self, job: &'a Job, ctx: JobContext) -> BoxFuture<'a, Result<Value, JobError>> {
        Box::pin((self.0)(job.clone(), ctx))
    }
}

/// Wrap an async closure as a handler: `handler_fn(|job, ctx| async move { ... })`.
pub fn handler_fn<F, Fut>(f: F) -> Arc<dyn JobHandler>
where
    F: Fn(Job, JobContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, JobError>> + Send + 'static,
{
    Arc::new(FnHandler(f))
}

/// Maps a job kind to its handler. A pool only claims kinds it has a handler for.
#[derive(Clone, Default)]
pub struct HandlerRegistry {
    handlers: HashMap<String, Arc<dyn JobHandler>>,
}

impl HandlerRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Register (or replace) the handler of `kind`.
    pub fn register(&mut self, kind: impl Into<String>, handler: Arc<dyn JobHandler>) -> &mut Self {
        self.handlers.insert(kind.into(), handler);
        self
    }

    /// Builder form of [`HandlerRegistry::register`].
    pub fn with(mut self, kind: impl Into<String>, handler: Arc<dyn JobHandler>) -> Self {
        self.register(kind, handler);
        self
    }

    /// The kinds with a handler, sorted.
    pub fn kinds(&self) -> Vec<String> {
        let mut k: Vec<String> = self.handlers.keys().cloned().collect();
        k.sort();
        k
    }

    fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }
}

impl std::fmt::Debug for HandlerRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerRegistry")
            .field("kinds", &self.kinds())
            .finish()
    }
}

/// What a running handler gets: its job id, a progress reporter and a cancel check. Cheap to
/// clone, `Send + Sync`, and usable from any thread (including inside `spawn_blocking`): no
/// method blocks or needs the async runtime.
#[derive(Clone)]
pub struct JobContext {
    inner: Arc<CtxInner>,
}

struct CtxInner {
    queue: JobQueue,
    live: Arc<LiveJob>,
    lease: Lease,
    persist: watch::Sender<Option<(String, f64)>>,
    /// The handler marked the job done in its own transaction ([`JobContext::complete_in`]).
    completed_in_tx: AtomicBool,
}

impl std::fmt::Debug for JobContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobContext")
            .field("job_id", &self.inner.live.id)
            .finish()
    }
}

impl JobContext {
    pub fn job_id(&self) -> JobId {
        self.inner.live.id
    }

    /// Report progress: `stage` names the step, `fraction` is the whole job's fraction done
    /// (0..=1, clamped). Publishes a live event (when the stage changes or the fraction moves by
    /// at least 0.01) and schedules a throttled database write. Returns `false` when the job
    /// should stop (cancelled, shutting down, or lease lost): return [`JobError::Cancelled`].
    pub fn progress(&self, stage: &str, fraction: f64) -> bool {
        let fraction = clamp_fraction(fraction);
        if let Some(event) = self.inner.live.record(stage, fraction) {
            self.inner.queue.publish(event);
        }
        self.inner
            .persist
            .send_replace(Some((stage.to_string(), fraction)));
        !self.is_cancelled()
    }

    /// Mark the job done inside the handler's own final transaction, so its output and the
    /// job's completion commit together:
    ///
    /// ```ignore
    /// let mut tx = store.begin_write().await?;
    /// // ... insert the transcript and its segments ...
    /// ctx.complete_in(&mut tx, &json!({"transcript_id": id})).await?;
    /// tx.commit().await?;
    /// Ok(json!({"transcript_id": id}))
    /// ```
    ///
    /// If the transaction is rolled back (or the process dies before the commit), the job is
    /// not done and runs again. The pool does not write the result a second time.
    pub async fn complete_in(&self, conn: &mut WriteTx, result: &Value) -> Result<(), JobError> {
        self.inner
            .queue
            .complete_in(conn, &self.inner.lease, result)
            .await?;
        self.inner.completed_in_tx.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Whether the job should stop.
    pub fn is_cancelled(&self) -> bool {
        self.inner.live.stop_reason() != StopReason::None
    }

    /// Whether a user asked the job to stop (not a shutdown or a lost lease, after which the
    /// job goes back to the queue).
    pub fn cancel_requested(&self) -> bool {
        self.inner.live.stop_reason() == StopReason::Cancel
    }

    /// `Err(JobError::Cancelled)` when the job should stop, for `?` in handlers.
    pub fn check(&self) -> Result<(), JobError> {
        if self.is_cancelled() {
            Err(JobError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Run blocking work `f` on tokio's blocking pool with a clone of this context. A panic in
    /// `f` becomes a (non-retryable) failure of the job.
    pub async fn run_blocking<T, F>(&self, f: F) -> Result<T, JobError>
    where
        F: FnOnce(JobContext) -> Result<T, JobError> + Send + 'static,
        T: Send + 'static,
    {
        let ctx = self.clone();
        match tokio::task::spawn_blocking(move || f(ctx)).await {
            Ok(r) => r,
            Err(e) if e.is_panic() => Err(JobError::fatal(format!(
                "the job's background work crashed: {}",
                panic_message(e.into_panic().as_ref())
            ))),
            Err(_) => Err(JobError::Cancelled),
        }
    }
}

/// Worker pool settings. `WorkerConfig::default()` fits the machine.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Jobs run at the same time (each model job uses several threads itself).
    pub concurrency: usize,
    /// How long a claim lasts without a heartbeat; a worker silent for this long is presumed
    /// dead and its job is requeued.
    pub lease: Duration,
    /// How often running jobs renew their lease (and see cancels from other processes).
    /// Default: a third of the lease.
    pub heartbeat: Option<Duration>,
    /// How often an idle pool looks for work it was not woken for (jobs enqueued by another
    /// process, retry backoffs ending).
    pub poll_interval: Duration,
    /// How often expired leases are requeued (also once at start).
    pub reap_interval: Duration,
    /// Minimum time between database writes of one job's progress.
    pub progress_flush: Duration,
    /// At shutdown, after the grace period, how long handlers asked to stop get before they are
    /// abandoned (their jobs go back to the queue).
    pub stop_timeout: Duration,
    /// Lease owner name; default `pid<PID>-<random>`.
    pub worker_id: Option<String>,
    /// At start, requeue *every* running job, not only those whose lease expired. Right for
    /// the default deployment (one server process owns the SQLite database), where any job
    /// still marked running at start belongs to a dead process: it then restarts at once
    /// instead of after its lease runs out. Wrong if other worker processes share the database.
    pub recover_all_on_start: bool,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            concurrency: default_concurrency(),
            lease: Duration::from_secs(30),
            heartbeat: None,
            poll_interval: Duration::from_secs(2),
            reap_interval: Duration::from_secs(10),
            progress_flush: Duration::from_millis(500),
            stop_timeout: Duration::from_secs(5),
            worker_id: None,
            recover_all_on_start: false,
        }
    }
}

impl WorkerConfig {
    fn heartbeat_interval(&self) -> Duration {
        self.heartbeat
            .unwrap_or(self.lease / 3)
            .max(Duration::from_millis(10))
    }
}

/// Concurrent model jobs that fit this machine: 1 up to 4 cores, then one per 4 cores (each
/// transcription or drafting job already uses several threads).
pub fn default_concurrency() -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if cores <= 4 {
        1
    } else {
        cores / 4
    }
}

type Owned = Arc<Mutex<HashMap<JobId, Lease>>>;

/// Runs queued jobs in this process. Stop it with [`WorkerPool::shutdown`]; dropping it stops it
/// without a grace period (running jobs go back to the queue).
pub struct WorkerPool {
    worker_id: String,
    stop: watch::Sender<Option<Duration>>,
    dispatcher: Option<JoinHandle<()>>,
    reaper: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool")
            .field("worker_id", &self.worker_id)
            .finish_non_exhaustive()
    }
}

impl WorkerPool {
    /// Requeue jobs left running by a dead process, then start running jobs of the registered
    /// kinds, at most `concurrency` at once (other settings default).
    pub async fn start(
        queue: JobQueue,
        registry: HandlerRegistry,
        concurrency: usize,
    ) -> Result<WorkerPool, QueueError> {
        let config = WorkerConfig {
            concurrency,
            ..WorkerConfig::default()
        };
        Self::start_with(queue, registry, config).await
    }

    /// [`WorkerPool::start`] with all settings.
    pub async fn start_with(
        queue: JobQueue,
        registry: HandlerRegistry,
        mut config: WorkerConfig,
    ) -> Result<WorkerPool, QueueError> {
        config.concurrency = config.concurrency.max(1);
        let worker_id = config
            .worker_id
            .clone()
            .unwrap_or_else(|| format!("pid{}-{:08x}", std::process::id(), rand::random::<u32>()));
        let requeued = if config.recover_all_on_start {
            queue.requeue_all_running().await?
        } else {
            queue.requeue_expired().await?
        };
        tracing::info!(
            worker_id = %worker_id,
            concurrency = config.concurrency,
            kinds = ?registry.kinds(),
            recovered = requeued.len(),
            "job workers started"
        );
        let config = Arc::new(config);
        let (stop, stop_rx) = watch::channel(None);
        let reaper = tokio::spawn(reap(queue.clone(), config.reap_interval));
        let dispatcher = tokio::spawn(dispatch(
            queue,
            registry,
            config,
            worker_id.clone(),
            stop_rx,
        ));
        Ok(WorkerPool {
            worker_id,
            stop,
            dispatcher: Some(dispatcher),
            reaper: Some(reaper),
        })
    }

    /// The lease owner name of this pool's jobs.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Stop claiming jobs, let running ones finish for up to `grace`, then ask the rest to stop
    /// and put them back in the queue (without counting the attempt). Returns when done.
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(Some(grace));
        if let Some(r) = self.reaper.take() {
            r.abort();
        }
        if let Some(d) = self.dispatcher.take() {
            let _ = d.await;
        }
        tracing::info!(worker_id = %self.worker_id, "job workers stopped");
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        if self.dispatcher.is_some() {
            let _ = self.stop.send(Some(Duration::ZERO));
        }
        if let Some(r) = self.reaper.take() {
            r.abort();
        }
    }
}

async fn reap(queue: JobQueue, every: Duration) {
    let every = every.max(Duration::from_millis(10));
    loop {
        tokio::time::sleep(every).await;
        if let Err(e) = queue.requeue_expired().await {
            tracing::warn!(error = %e, "could not requeue jobs with expired leases");
        }
    }
}

async fn dispatch(
    queue: JobQueue,
    registry: HandlerRegistry,
    config: Arc<WorkerConfig>,
    owner: String,
    mut stop: watch::Receiver<Option<Duration>>,
) {
    let kinds = registry.kinds();
    let slots = Arc::new(Semaphore::new(config.concurrency));
    let owned: Owned = Arc::new(Mutex::new(HashMap::new()));
    let mut tasks: JoinSet<()> = JoinSet::new();
    loop {
        while tasks.try_join_next().is_some() {}
        if stop.borrow().is_some() {
            break;
        }
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = stop.changed() => break,
        };
        match queue.claim(&owner, &kinds, config.lease).await {
            Ok(Some(claimed)) => {
                let Some(handler) = registry.get(&claimed.job.kind) else {
                    // Unreachable: the claim only returns registered kinds.
                    drop(permit);
                    continue;
                };
                lock(&owned).insert(claimed.lease.id, claimed.lease.clone());
                tasks.spawn(run_job(
                    queue.clone(),
                    handler,
                    claimed,
                    config.clone(),
                    owned.clone(),
                    permit,
                ));
            }
            Ok(None) => {
                drop(permit);
                tokio::select! {
                    _ = queue.work_available() => {}
                    _ = tokio::time::sleep(config.poll_interval) => {}
                    _ = stop.changed() => break,
                }
            }
            Err(e) => {
                drop(permit);
                tracing::error!(error = %e, "could not claim a job");
                tokio::select! {
                    _ = tokio::time::sleep(config.poll_interval) => {}
                    _ = stop.changed() => break,
                }
            }
        }
    }

    // Shutting down: stop claiming, let running jobs finish within the grace period.
    let grace = (*stop.borrow()).unwrap_or(Duration::ZERO);
    if tokio::time::timeout(grace, drain(&mut tasks)).await.is_ok() {
        return;
    }
    let ids: Vec<JobId> = lock(&owned).keys().copied().collect();
    tracing::info!(
        running = ids.len(),
        "asking running jobs to stop for shutdown"
    );
    queue.stop_all_live(&ids, StopReason::Shutdown);
    if tokio::time::timeout(config.stop_timeout, drain(&mut tasks))
        .await
        .is_ok()
    {
        return;
    }
    tasks.abort_all();
    drain(&mut tasks).await;
    let leases: Vec<Lease> = lock(&owned).drain().map(|(_, l)| l).collect();
    for lease in leases {
        queue.unregister_live(lease.id);
        match queue.release(&lease).await {
            Ok(_) => tracing::warn!(job_id = lease.id, "abandoned a job at shutdown; requeued"),
            Err(e) => {
                tracing::warn!(job_id = lease.id, error = %e, "could not requeue a job at shutdown")
            }
        }
    }
}

async fn drain(tasks: &mut JoinSet<()>) {
    while tasks.join_next().await.is_some() {}
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Aborts the task when dropped (so aborting a job's supervisor also stops its handler).
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

async fn run_job(
    queue: JobQueue,
    handler: Arc<dyn JobHandler>,
    claimed: Claimed,
    config: Arc<WorkerConfig>,
    owned: Owned,
    _permit: OwnedSemaphorePermit,
) {
    let Claimed { job, lease } = claimed;
    let id = job.id;
    let kind = job.kind.clone();
    let attempt = job.attempts;
    let live = queue.register_live(id, &kind);
    let (persist, mut persisted) = watch::channel(None::<(String, f64)>);
    let ctx = JobContext {
        inner: Arc::new(CtxInner {
            queue: queue.clone(),
            live: live.clone(),
            lease: lease.clone(),
            persist,
            completed_in_tx: AtomicBool::new(false),
        }),
    };
    let ctx_state = ctx.inner.clone();
    tracing::info!(job_id = id, kind = %kind, attempt, "job started");
    let started = std::time::Instant::now();

    let mut handler_task = AbortOnDrop(tokio::spawn(async move { handler.run(&job, ctx).await }));
    let persister = AbortOnDrop(tokio::spawn({
        let queue = queue.clone();
        let lease = lease.clone();
        let every = config.progress_flush;
        async move {
            while persisted.changed().await.is_ok() {
                let latest = persisted.borrow_and_update().clone();
                if let Some((stage, fraction)) = latest {
                    if let Err(e) = queue.persist_progress(&lease, &stage, fraction).await {
                        tracing::debug!(job_id = lease.id, error = %e, "progress not saved");
                    }
                }
                tokio::time::sleep(every).await;
            }
        }
    }));

    let mut beat = tokio::time::interval(config.heartbeat_interval());
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let outcome = loop {
        tokio::select! {
            r = &mut handler_task.0 => break r,
            _ = beat.tick() => match queue.heartbeat(&lease, config.lease).await {
                Ok(true) => live.request_stop(StopReason::Cancel),
                Ok(false) => {}
                Err(QueueError::LeaseLost(_)) => {
                    tracing::warn!(job_id = id, "lost the lease of a running job; stopping it");
                    live.request_stop(StopReason::LeaseLost);
                }
                Err(e) => tracing::warn!(job_id = id, error = %e, "could not renew a job lease"),
            },
        }
    };
    // Later progress writes are no-ops anyway (they require the job to be running under this
    // lease), so there is no need to wait for the persister to stop.
    drop(persister);

    let reason = live.stop_reason();
    let secs = started.elapsed().as_secs_f64();
    let written = match (outcome, reason) {
        (_, StopReason::LeaseLost) => {
            tracing::warn!(job_id = id, "job run discarded: its lease was lost");
            Ok(None)
        }
        (Ok(Ok(result)), _) => {
            // the last stage reported, which the throttled persister may not have written
            // yet (or was stopped writing): the finished job says where it ended, on every
            // database and in every process
            let last = ctx_state.persist.borrow().clone();
            if let Some((stage, fraction)) = last {
                if let Err(e) = queue.persist_progress(&lease, &stage, fraction).await {
                    tracing::debug!(job_id = id, error = %e, "last progress not saved");
                }
            }
            match queue.complete(&lease, &result).await {
                // Already marked done in the handler's own transaction.
                Err(QueueError::LeaseLost(_))
                    if ctx_state.completed_in_tx.load(Ordering::SeqCst) =>
                {
                    queue.publish_current(id).await;
                    Ok(None)
                }
                other => other.map(Some),
            }
        }
        (Ok(Err(JobError::Cancelled)), StopReason::Shutdown) => {
            queue.release(&lease).await.map(Some)
        }
        (Ok(Err(JobError::Cancelled)), _) => queue.mark_cancelled(&lease).await.map(Some),
        (Ok(Err(JobError::Failed { message, retryable })), _) => {
            queue.fail(&lease, &message, retryable).await.map(Some)
        }
        (Err(e), _) if e.is_panic() => {
            let message = format!(
                "the job handler crashed: {}",
                panic_message(e.into_panic().as_ref())
            );
            queue.fail(&lease, &message, false).await.map(Some)
        }
        (Err(_), _) => queue.release(&lease).await.map(Some),
    };
    queue.unregister_live(id);
    lock(&owned).remove(&id);
    match written {
        Ok(Some(job)) => {
            tracing::info!(job_id = id, kind = %kind, attempt, state = %job.state, seconds = secs, "job finished")
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(job_id = id, kind = %kind, error = %e, "could not record a job's outcome")
        }
    }
}
