//! Recording while streaming, over HTTP (issue 13): start a recording, send its audio in
//! numbered chunks while it is recorded, finish it (transcription and the draft follow) or
//! discard it. The chunk API for any client (browser, phone app, desk microphone box):
//!
//! * `POST /api/v1/recordings` `{"client_id", "format": "webm"|"ogg"|"pcm16", "sample_rate"
//!   (pcm16), "kind", "keep_audio", "therapy_session_id"}` → 201 with the recording and the
//!   stream's status.
//! * `PUT /api/v1/recordings/{id}/chunks/{seq}` (or POST), the chunk's bytes as the body →
//!   200 `stored`/`duplicate`, 202 `held` (ahead of a gap; `missing` lists the gap), with what
//!   the server holds (`next_seq`, `bytes`, `seconds`, `held`, `missing`).
//! * `GET /api/v1/recordings/{id}/chunks` → the same status (to resume after a reload).
//! * `POST /api/v1/recordings/{id}/finish` `{"chunks": N}` (optional) → 202 with the job id;
//!   again → 200 with the same job.
//! * `POST /api/v1/recordings/{id}/discard` → 200.
//!
//! A recording is only written to by the clinician who started it, and only seen by those who
//! may see its chart (others get 404). The chart's pages get forms to finish or discard an
//! interrupted recording (`POST /recordings/{id}/finish`, `/recordings/{id}/discard`).

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

use super::{ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::chart::SessionInput;
use crate::pipeline::streaming::{self, ChunkResult, NewStream, StreamError, StreamLimits};
use crate::store::recordings::RecordingKind;
use crate::store::streams::ChunkFormat;
use crate::store::{NewRecording, Recording, SessionChoice};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/recordings", post(api_start))
        .route(
            "/api/v1/recordings/{id}/chunks/{seq}",
            put(api_chunk)
                .post(api_chunk)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/api/v1/recordings/{id}/chunks", get(api_status))
        .route("/api/v1/recordings/{id}/finish", post(api_finish))
        .route("/api/v1/recordings/{id}/discard", post(api_discard))
        .route("/recordings/{id}/finish", post(page_finish))
        .route("/recordings/{id}/discard", post(page_discard))
}

impl From<StreamError> for Error {
    fn from(e: StreamError) -> Error {
        match e {
            StreamError::NotStreamed
            | StreamError::Closed(_)
            | StreamError::DifferentBytes { .. }
            | StreamError::BeyondWindow { .. }
            | StreamError::Missing { .. } => Error::Conflict(e.to_string()),
            StreamError::TooLarge(m) => Error::PayloadTooLarge(m),
            StreamError::WrongFormat(m) => Error::UnsupportedMediaType(m),
            StreamError::Invalid(m) => Error::field("chunk", m),
            StreamError::Store(s) => s.into(),
            StreamError::Db(e) => Error::Internal(format!("database: {e}")),
            StreamError::Io(e) => Error::Internal(format!("writing a streamed recording: {e}")),
        }
    }
}

fn limits(state: &AppState) -> StreamLimits {
    StreamLimits {
        max_total_bytes: state.config.max_upload_bytes,
        max_seconds: state.config.max_audio_seconds,
        ..StreamLimits::default()
    }
}

/// The recording if `user` started it and may still see its chart; 404 otherwise (another
/// clinician's recording, or one that does not exist, answer the same).
async fn own_recording(state: &AppState, user: &CurrentUser, id: i64) -> Result<Recording, Error> {
    let (row, _) = super::recordings::recording_for(state, user, id).await?;
    if row.recording.uploaded_by != user.id() {
        return Err(Error::NotFound("recording"));
    }
    Ok(row.recording)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StartBody {
    client_id: i64,
    format: ChunkFormat,
    sample_rate: Option<u32>,
    kind: Option<String>,
    keep_audio: Option<bool>,
    therapy_session_id: Option<i64>,
}

async fn api_start(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(b): ApiJson<StartBody>,
) -> Result<Response, Error> {
    let client = state.client_for(&user, b.client_id).await?;
    let kind = b
        .kind
        .as_deref()
        .map_or(Some(RecordingKind::Session), RecordingKind::parse)
        .ok_or_else(|| Error::field("kind", "must be session or dictation"))?;
    let session = match b.therapy_session_id {
        Some(sid) => match state.within(&client).session(sid).await? {
            Some(_) => SessionChoice::Existing(sid),
            _ => {
                return Err(Error::field(
                    "therapy_session_id",
                    "no such session in this client's chart",
                ))
            }
        },
        None => SessionChoice::Create(SessionInput {
            session_date: state.today(),
            start_time: None,
            duration_minutes: 50,
            modality: "in_person".into(),
            status: "completed".into(),
        }),
    };
    let new = NewStream {
        recording: NewRecording {
            client_id: client.id,
            kind,
            path: String::new(),
            mime_type: String::new(),
            size_bytes: 0,
            duration_seconds: None,
            keep_audio: b.keep_audio.unwrap_or(state.config.keep_audio_default),
            uploaded_by: user.id(),
            // known when the stream is finished (`streams::finish_in`)
            audio_sha256: None,
        },
        session,
        format: b.format,
        sample_rate: b.sample_rate,
    };
    let (recording, stream) =
        streaming::start(&state.store, &state.data_dir, &user.actor(), new).await?;
    tracing::info!(recording_id = recording.id, "streamed recording started");
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "recording": recording, "stream": stream })),
    )
        .into_response())
}

async fn api_chunk(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, seq)): Path<(i64, i64)>,
    body: Body,
) -> Result<Response, Error> {
    let rec = own_recording(&state, &user, id).await?;
    let limits = limits(&state);
    // Read at most one byte past the limit: a larger chunk is refused without reading it all.
    let bytes: Bytes = axum::body::to_bytes(body, limits.max_chunk_bytes as usize + 1)
        .await
        .map_err(|e| {
            if e.to_string().contains("length limit") {
                Error::from(StreamError::TooLarge(format!(
                    "the chunk is larger than the limit of {} MB",
                    limits.max_chunk_bytes / (1024 * 1024)
                )))
            } else {
                Error::BadRequest(format!("the chunk was interrupted: {e}"))
            }
        })?;
    let answer = streaming::put_chunk(
        &state.store,
        &state.jobs,
        &state.data_dir,
        &limits,
        &rec,
        seq,
        bytes.to_vec(),
    )
    .await?;
    let status = match answer.result {
        ChunkResult::Held => StatusCode::ACCEPTED,
        ChunkResult::Stored | ChunkResult::Duplicate => StatusCode::OK,
    };
    Ok((status, Json(answer)).into_response())
}

async fn api_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let (row, client) = super::recordings::recording_for(&state, &user, id).await?;
    let status = streaming::status(&state.store, &row.recording).await?;
    state
        .audit(
            &user,
            Event::new("recording.view", "recording", id).client(client.id),
        )
        .await?;
    Ok(Json(status).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FinishBody {
    /// How many chunks the recorder sent (chunks 0..N must all be stored).
    chunks: Option<i64>,
}

async fn finish(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    body: FinishBody,
) -> Result<streaming::Finished, Error> {
    let rec = own_recording(state, user, id).await?;
    Ok(streaming::finish(
        &state.store,
        &state.jobs,
        &state.audio,
        &user.actor(),
        &rec,
        body.chunks,
    )
    .await?)
}

async fn api_finish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, Error> {
    let body: FinishBody = if body.iter().all(u8::is_ascii_whitespace) {
        FinishBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| Error::BadRequest(format!("cannot read the body: {e}")))?
    };
    let done = finish(&state, &user, id, body).await?;
    let status = if done.already_finished {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((status, Json(done)).into_response())
}

async fn api_discard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let rec = own_recording(&state, &user, id).await?;
    streaming::discard(&state.store, &state.data_dir, &user.actor(), &rec).await?;
    let recording = own_recording(&state, &user, id).await?;
    Ok(Json(serde_json::json!({ "recording": recording })).into_response())
}

async fn page_finish(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    finish(&state, &user, id, FinishBody::default()).await?;
    Ok(Redirect::to(&format!("/recordings/{id}")).into_response())
}

async fn page_discard(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let rec = own_recording(&state, &user, id).await?;
    streaming::discard(&state.store, &state.data_dir, &user.actor(), &rec).await?;
    Ok(Redirect::to(&format!("/recordings/{id}")).into_response())
}
