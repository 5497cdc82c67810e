//! Live job progress as a stream of [`JobEvent`]s and as Server-Sent Events for the browser.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::{JobEvent, JobId, JobQueue, QueueError};

/// How often a stream re-reads the job from the database, to catch changes made by another
/// process (or missed because the subscriber fell behind).
const POLL: Duration = Duration::from_secs(2);

struct State {
    queue: JobQueue,
    id: JobId,
    rx: Receiver<JobEvent>,
    last: Option<JobEvent>,
    started: bool,
    finished: bool,
    poll: tokio::time::Interval,
}

impl State {
    /// The next event to send, or `None` at the end.
    async fn next(&mut self) -> Option<Result<JobEvent, QueueError>> {
        if self.finished {
            return None;
        }
        if !self.started {
            self.started = true;
            return match self.queue.get(self.id).await {
                Ok(job) => Some(Ok(self.accept(JobEvent::from(&job)))),
                Err(e) => {
                    self.finished = true;
                    Some(Err(e))
                }
            };
        }
        loop {
            // Biased: drain buffered events before a poll re-read, so a re-read (the latest
            // state) is never followed by older buffered events.
            let candidate = tokio::select! {
                biased;
                r = self.rx.recv() => match r {
                    Ok(ev) if ev.id == self.id => Some(ev),
                    Ok(_) => None,
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => self.reread().await,
                },
                _ = self.poll.tick() => self.reread().await,
            };
            let Some(ev) = candidate else { continue };
            if self.last.as_ref() == Some(&ev) {
                continue;
            }
            return Some(Ok(self.accept(ev)));
        }
    }

    async fn reread(&mut self) -> Option<JobEvent> {
        match self.queue.find(self.id).await {
            Ok(Some(job)) => Some(JobEvent::from(&job)),
            // Deleted while watched: report nothing more.
            Ok(None) => {
                self.finished = true;
                None
            }
            Err(e) => {
                tracing::debug!(job_id = self.id, error = %e, "job re-read failed");
                None
            }
        }
    }

    fn accept(&mut self, ev: JobEvent) -> JobEvent {
        if ev.state.is_terminal() {
            self.finished = true;
        }
        self.last = Some(ev.clone());
        ev
    }
}

/// A job's events: first its current state, then each change, ending after a terminal state
/// (done, failed, cancelled). An unknown job yields one `Err(QueueError::NotFound)`.
///
/// Subscribes before reading the current state, so no change in between is lost.
pub fn event_stream(
    queue: JobQueue,
    id: JobId,
) -> impl Stream<Item = Result<JobEvent, QueueError>> + Send + 'static {
    let rx = queue.subscribe();
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = State {
        queue,
        id,
        rx,
        last: None,
        started: false,
        finished: false,
        poll,
    };
    stream::unfold(state, |mut s| async move {
        let item = s.next().await?;
        Some((item, s))
    })
}

/// Server-Sent Events for one job, for an axum handler to return:
/// `async fn events(State(q): State<JobQueue>, Path(id): Path<i64>) -> impl IntoResponse { noted::jobs::sse(q, id) }`.
///
/// Each message is an unnamed event (the browser's `EventSource.onmessage`) whose data is a
/// [`JobEvent`] as JSON: `{"id","kind","state","progress","stage","error","cancel_requested"}`.
/// The first is the current state; the stream ends after a terminal state. The browser should
/// call `source.close()` on a terminal state, or `EventSource` reconnects (and then receives
/// the terminal state once more). An unknown job sends one `event: error` with
/// `{"error": "job N not found"}` and ends; check the job exists first to answer 404 instead.
pub fn sse(
    queue: JobQueue,
    id: JobId,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + Send + 'static> {
    let events = event_stream(queue, id).map(|item| {
        let event = match item {
            Ok(ev) => Event::default().json_data(&ev),
            Err(e) => Event::default()
                .event("error")
                .json_data(serde_json::json!({ "error": e.to_string() })),
        };
        // Serializing these plain structs cannot fail.
        Ok(event.unwrap_or_else(|_| Event::default().event("error").data("{}")))
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
