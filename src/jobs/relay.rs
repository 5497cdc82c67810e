//! Job events between processes on PostgreSQL (issue 15): what one process publishes reaches the
//! subscribers of every other (a browser watching progress through one web server while a
//! worker on another machine runs the job), and a job enqueued anywhere wakes idle workers
//! everywhere, through PostgreSQL's `LISTEN/NOTIFY` (`store::jobs::notify`).
//!
//! One relay per process ([`JobQueue::start_relay`]): a sender task that sends the first event
//! after a quiet spell at once and then, every [`COALESCE`], each job's latest (progress ticks
//! are coalesced; the last state is always sent), and a listener task that publishes the others' events to this process's
//! subscribers. Each payload names the process it came from, so a process never hears itself.
//! Delivery is at most once; the server-sent-event stream still re-reads the job row every
//! two seconds (`jobs::sse`), which covers anything missed. On SQLite there is one machine and
//! the in-process broadcast is all there is.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::{JobEvent, JobQueue, JobState};
use crate::store::jobs::notify;

/// How long the sender gathers events before sending: progress reaches other processes at
/// most this often per job.
pub const COALESCE: Duration = Duration::from_millis(200);

/// One notification: the event and the process it came from.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    from: String,
    event: JobEvent,
}

/// The sending half, held by the queue.
pub(super) struct Relay {
    tx: mpsc::UnboundedSender<JobEvent>,
}

impl Relay {
    pub(super) fn send(&self, event: &JobEvent) {
        // the sender task ended (the runtime is shutting down): nothing to relay to
        let _ = self.tx.send(event.clone());
    }
}

/// What starting a relay can fail on.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("the job queue is not on PostgreSQL (one machine needs no relay)")]
    NotPostgres,
    #[error("the relay already runs")]
    AlreadyStarted,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl JobQueue {
    /// On PostgreSQL: relays this process's job events to the others and (when `listen`) theirs
    /// to this process's subscribers and workers. Started once per process, by `noted serve`
    /// and `noted worker`.
    pub async fn start_relay(&self, listen: bool) -> Result<(), RelayError> {
        let pg = self
            .pool()
            .postgres()
            .ok_or(RelayError::NotPostgres)?
            .clone();
        let channel = notify::channel(&pg).await?;
        let listener = if listen {
            Some(notify::listen(&pg, &channel).await?)
        } else {
            None
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let origin = crate::auth::token::random_token();
        self.set_relay(Relay { tx })
            .map_err(|_| RelayError::AlreadyStarted)?;
        tokio::spawn(send_loop(pg, channel.clone(), origin.clone(), rx));
        if let Some(listener) = listener {
            tokio::spawn(listen_loop(self.clone(), listener, origin));
        }
        tracing::info!(
            listen,
            "job events relayed between processes (LISTEN/NOTIFY)"
        );
        Ok(())
    }
}

/// Sends the latest event of each job gathered over [`COALESCE`].
async fn send_loop(
    pg: sqlx::PgPool,
    channel: String,
    origin: String,
    mut rx: mpsc::UnboundedReceiver<JobEvent>,
) {
    let send = |event: JobEvent| {
        let payload = encode(&origin, event);
        let (pg, channel) = (&pg, &channel);
        async move {
            if let Err(e) = notify::send(pg, channel, &payload).await {
                tracing::debug!("job event not relayed: {e}");
            }
        }
    };
    // the first event after a quiet spell goes at once; what follows it within COALESCE is
    // gathered and only each job's latest sent
    while let Some(first) = rx.recv().await {
        send(first).await;
        tokio::time::sleep(COALESCE).await;
        let mut latest: HashMap<i64, JobEvent> = HashMap::new();
        while let Ok(ev) = rx.try_recv() {
            latest.insert(ev.id, ev);
        }
        for (_, event) in latest {
            send(event).await;
        }
    }
}

/// The payload for `event`, its error message cut so that it fits a notification.
fn encode(origin: &str, mut event: JobEvent) -> String {
    loop {
        let payload = serde_json::to_string(&Payload {
            from: origin.to_string(),
            event: event.clone(),
        })
        .unwrap_or_default();
        let Some(error) = event
            .error
            .as_mut()
            .filter(|_| payload.len() > notify::MAX_PAYLOAD)
        else {
            return payload;
        };
        let keep = error
            .len()
            .saturating_sub(payload.len() - notify::MAX_PAYLOAD + 8);
        let mut cut = keep.min(error.len());
        while !error.is_char_boundary(cut) {
            cut -= 1;
        }
        error.truncate(cut);
        error.push('…');
    }
}

/// Publishes the other processes' events here; a queued job wakes this process's workers.
async fn listen_loop(queue: JobQueue, mut listener: sqlx::postgres::PgListener, origin: String) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => {
                let Ok(p) = serde_json::from_str::<Payload>(n.payload()) else {
                    continue;
                };
                if p.from == origin {
                    continue;
                }
                if p.event.state == JobState::Queued {
                    queue.wake();
                }
                queue.publish_here(p.event);
            }
            // the connection dropped (sqlx reconnects on the next call): events sent meanwhile
            // are missed, and the workers' poll and the streams' re-read catch up
            Ok(None) => {
                tracing::warn!("the job-event listener lost its connection; reconnecting");
                queue.wake();
            }
            // the store is closing: give the connection back
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!("the job-event listener failed: {e}; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_error_is_cut_to_fit_a_notification() {
        let event = JobEvent {
            id: 7,
            kind: "transcribe".into(),
            state: JobState::Failed,
            progress: 0.5,
            stage: Some("decoding".into()),
            error: Some("é".repeat(10_000)),
            cancel_requested: false,
        };
        let payload = encode("me", event.clone());
        assert!(payload.len() <= notify::MAX_PAYLOAD, "{}", payload.len());
        let back: Payload = serde_json::from_str(&payload).unwrap();
        assert_eq!(back.event.id, 7);
        assert!(back.event.error.unwrap().ends_with('…'));
        let short = JobEvent {
            error: Some("no audio".into()),
            ..event
        };
        let back: Payload = serde_json::from_str(&encode("me", short.clone())).unwrap();
        assert_eq!(back.event, short);
    }
}
