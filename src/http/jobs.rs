//! Jobs: `GET /api/v1/jobs/{id}` (state, progress, stage, error), `GET /api/v1/jobs/{id}/events`
//! (Server-Sent Events), `POST /api/v1/jobs/{id}/cancel` and `/retry`, and the same two actions
//! as HTML form posts (`/jobs/{id}/cancel`, `/jobs/{id}/retry`). A job is visible only to users
//! who may see its client's chart; anyone else gets 404.

use axum::extract::{Path, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use serde::Serialize;

use super::extract::FormData;
use super::{AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::jobs::{Job, JobState, QueueError};
use crate::store::recordings::{RecordingStatus, TRANSCRIBE_JOB};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/jobs/{id}", get(api_get))
        .route("/api/v1/jobs/{id}/events", get(api_events))
        .route("/api/v1/jobs/{id}/cancel", post(api_cancel))
        .route("/api/v1/jobs/{id}/retry", post(api_retry))
        .route("/jobs/{id}/cancel", post(cancel_submit))
        .route("/jobs/{id}/retry", post(retry_submit))
}

/// What clients see of a job.
#[derive(Debug, Serialize)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub state: JobState,
    pub progress: f64,
    pub stage: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub cancel_requested: bool,
    pub client_id: Option<i64>,
    pub result: Option<serde_json::Value>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// The recording a `transcribe` job works on.
    pub recording_id: Option<i64>,
    /// The transcript a `draft` job works from.
    pub transcript_id: Option<i64>,
}

impl From<Job> for JobView {
    fn from(j: Job) -> JobView {
        let id_of = |k: &str| j.payload.get(k).and_then(serde_json::Value::as_i64);
        JobView {
            recording_id: id_of("recording_id"),
            transcript_id: id_of("transcript_id"),
            id: j.id,
            kind: j.kind,
            state: j.state,
            progress: j.progress,
            stage: j.stage,
            error: j.error,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            cancel_requested: j.cancel_requested,
            client_id: j.client_id,
            result: j.result,
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
        }
    }
}

pub fn queue_error(e: QueueError) -> Error {
    match e {
        QueueError::NotFound(_) => Error::NotFound("job"),
        QueueError::InvalidState { .. } => Error::Conflict(e.to_string()),
        other => Error::Internal(other.to_string()),
    }
}

/// A job, if `user` may see its client's chart (else 404).
pub async fn job_for(state: &AppState, user: &CurrentUser, id: i64) -> Result<Job, Error> {
    Ok(state.chart(user).job(id).await?.0)
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<JobView>, Error> {
    Ok(Json(job_for(&state, &user, id).await?.into()))
}

async fn api_events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    job_for(&state, &user, id).await?;
    // Same events as `jobs::sse`, but the stream also ends when the server is asked to stop, so
    // an open progress page does not hold up a graceful shutdown.
    let events = crate::jobs::event_stream(state.jobs.clone(), id)
        .map(|item| {
            let event = match item {
                Ok(ev) => SseEvent::default().json_data(&ev),
                Err(e) => SseEvent::default()
                    .event("error")
                    .json_data(serde_json::json!({ "error": e.to_string() })),
            };
            Ok::<_, std::convert::Infallible>(
                event.unwrap_or_else(|_| SseEvent::default().event("error").data("{}")),
            )
        })
        .take_until(stop_signal());
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Cancels a job (and marks its recording cancelled), audited `job.cancel`.
async fn cancel(state: &AppState, user: &CurrentUser, id: i64) -> Result<Job, Error> {
    let job = job_for(state, user, id).await?;
    let after = state.jobs.cancel(id).await.map_err(queue_error)?;
    // A queued job is cancelled at once, and its recording with it; a running one only stops
    // at its next check, and its worker marks the recording then (it may finish first).
    if let (Some(rid), true, JobState::Cancelled) =
        (recording_of(&job), job.kind == TRANSCRIBE_JOB, after.state)
    {
        state
            .store
            .move_recording_status(rid, &[RecordingStatus::Queued], RecordingStatus::Cancelled)
            .await?;
    }
    let ev = Event::new("job.cancel", "job", id)
        .client(job.client_id.unwrap_or_default())
        .detail(serde_json::json!({ "kind": job.kind, "state": after.state }));
    state.audit(user, ev).await?;
    Ok(after)
}

/// Puts a failed or cancelled job back in the queue, audited `job.retry`.
async fn retry(state: &AppState, user: &CurrentUser, id: i64) -> Result<Job, Error> {
    let job = job_for(state, user, id).await?;
    let after = state.jobs.retry(id).await.map_err(queue_error)?;
    if let (Some(rid), true) = (recording_of(&job), job.kind == TRANSCRIBE_JOB) {
        // only from an end state: a worker may already have taken the job up again
        state
            .store
            .move_recording_status(
                rid,
                &[RecordingStatus::Failed, RecordingStatus::Cancelled],
                RecordingStatus::Queued,
            )
            .await?;
    }
    let ev = Event::new("job.retry", "job", id)
        .client(job.client_id.unwrap_or_default())
        .detail(serde_json::json!({ "kind": job.kind }));
    state.audit(user, ev).await?;
    Ok(after)
}

fn recording_of(job: &Job) -> Option<i64> {
    job.payload
        .get("recording_id")
        .and_then(serde_json::Value::as_i64)
}

async fn api_cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<JobView>, Error> {
    Ok(Json(cancel(&state, &user, id).await?.into()))
}

async fn api_retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<JobView>, Error> {
    Ok(Json(retry(&state, &user, id).await?.into()))
}

/// Where to go back to after a form post: a local path from the form, else the recording.
fn back(form: &FormData, job: &Job) -> String {
    let next = form.get("next");
    if let Some(path) = super::redirect::local_path(&next) {
        return path.to_string();
    }
    match recording_of(job) {
        Some(rid) => format!("/recordings/{rid}"),
        None => job
            .client_id
            .map(|c| format!("/clients/{c}"))
            .unwrap_or_else(|| "/clients".into()),
    }
}

async fn cancel_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let job = cancel(&state, &user, id).await?;
    Ok(Redirect::to(&back(&form, &job)).into_response())
}

async fn retry_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let job = retry(&state, &user, id).await?;
    Ok(Redirect::to(&back(&form, &job)).into_response())
}
