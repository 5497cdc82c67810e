//! Transcripts: `GET /api/v1/transcripts/{id}` (segments with current and original text and
//! speaker), `PATCH /api/v1/transcripts/{id}/segments/{segment_id}` (a correction, kept as an
//! edit beside the original), `POST /api/v1/transcripts/{id}/speakers/swap` (therapist and
//! client swapped on every segment in one action, each kept as an edit), and the transcript
//! page with per-segment correction forms, each label's source (enrolled voice, inferred from
//! the words, edited), the swap, and play-from-segment when the audio is kept.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::recordings::render_page;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::store::transcripts::parse_speaker;
use crate::store::{Client, Recording, SegmentRow, TranscriptRow};
use crate::transcribe::Speaker;

/// Longest corrected segment text accepted.
const MAX_SEGMENT_CHARS: usize = 5000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/transcripts/{id}", get(api_get))
        .route(
            "/api/v1/transcripts/{id}/segments/{segment_id}",
            axum::routing::patch(api_patch),
        )
        .route("/api/v1/transcripts/{id}/speakers/swap", post(api_swap))
        .route("/transcripts/{id}", get(page))
        .route("/transcripts/{id}/segments/{segment_id}", post(edit_submit))
        .route("/transcripts/{id}/speakers/swap", post(swap_submit))
}

/// Swaps therapist and client on the whole transcript; returns how many segments changed.
async fn swap(state: &AppState, user: &CurrentUser, id: i64) -> Result<usize, Error> {
    let (t, c) = transcript_for(state, user, id).await?;
    Ok(state
        .store
        .swap_speakers(&user.actor(), user.id(), c.id, t.id)
        .await?)
}

async fn api_swap(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let swapped = swap(&state, &user, id).await?;
    Ok(Json(serde_json::json!({ "swapped": swapped })))
}

async fn swap_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    swap(&state, &user, id).await?;
    Ok(Redirect::to(&format!("/transcripts/{id}")).into_response())
}

/// A transcript and its client, if `user` may see the client's chart (else 404).
pub async fn transcript_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(TranscriptRow, Client), Error> {
    state.chart(user).transcript(id).await
}

/// A correction: either field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentPatch {
    pub text: Option<String>,
    pub speaker: Option<String>,
}

impl SegmentPatch {
    fn validate(&self) -> Result<(Option<String>, Option<Speaker>), Error> {
        let mut errors = Vec::new();
        let text = match &self.text {
            None => None,
            Some(t) => {
                let t = t.trim().replace("\r\n", "\n");
                if t.is_empty() {
                    errors.push(crate::chart::FieldError::new("text", "must not be empty"));
                } else if t.chars().count() > MAX_SEGMENT_CHARS {
                    errors.push(crate::chart::FieldError::new(
                        "text",
                        format!("must be at most {MAX_SEGMENT_CHARS} characters"),
                    ));
                }
                Some(t)
            }
        };
        let speaker = match self.speaker.as_deref() {
            None => None,
            Some(s) => match parse_speaker(s.trim()) {
                Some(sp) => Some(sp),
                None => {
                    errors.push(crate::chart::FieldError::new(
                        "speaker",
                        "must be therapist, client or unknown",
                    ));
                    None
                }
            },
        };
        if self.text.is_none() && self.speaker.is_none() {
            errors.push(crate::chart::FieldError::new(
                "body",
                "send text and/or speaker",
            ));
        }
        if errors.is_empty() {
            Ok((text, speaker))
        } else {
            Err(Error::Validation(errors))
        }
    }
}

async fn apply_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    segment_id: i64,
    patch: SegmentPatch,
) -> Result<SegmentRow, Error> {
    let (t, c) = transcript_for(state, user, id).await?;
    let (text, speaker) = patch.validate()?;
    Ok(state
        .store
        .edit_segment(
            &user.actor(),
            user.id(),
            c.id,
            t.id,
            segment_id,
            text.as_deref(),
            speaker,
        )
        .await?)
}

async fn recording_of(
    state: &AppState,
    t: &TranscriptRow,
    client: &Client,
) -> Result<Option<Recording>, Error> {
    Ok(match t.recording_id {
        Some(r) => state.within(client).recording(r).await?,
        None => None,
    })
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let (t, c) = transcript_for(&state, &user, id).await?;
    let segments = state.within(&c).segments(&t).await?;
    let rec = recording_of(&state, &t, &c).await?;
    state
        .audit(
            &user,
            Event::new("transcript.view", "transcript", id).client(c.id),
        )
        .await?;
    let recording = rec.map(|r| {
        serde_json::json!({
            "id": r.id, "kind": r.kind, "keep_audio": r.keep_audio,
            "audio_url": r.has_audio().then(|| format!("/api/v1/recordings/{}/audio", r.id)),
            "therapy_session_id": r.therapy_session_id,
        })
    });
    Ok(Json(serde_json::json!({
        "id": t.id,
        "client_id": t.client_id,
        "model": t.model,
        "language": t.language,
        "audio_seconds": t.audio_seconds,
        "elapsed_seconds": t.elapsed_seconds,
        "created_at": t.created_at,
        "recording": recording,
        "segments": segments,
    })))
}

async fn api_patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, segment_id)): Path<(i64, i64)>,
    ApiJson(patch): ApiJson<SegmentPatch>,
) -> Result<Json<SegmentRow>, Error> {
    Ok(Json(
        apply_edit(&state, &user, id, segment_id, patch).await?,
    ))
}

// ----- Pages ------------------------------------------------------------------------------------

async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (t, client) = transcript_for(&state, &user, id).await?;
    let segments = state.within(&client).segments(&t).await?;
    let rec = recording_of(&state, &t, &client).await?;
    let audio_url = match rec.as_ref().filter(|r| r.has_audio()) {
        Some(r) if state.audio.has(&r.path).await.unwrap_or(false) => {
            Some(format!("/api/v1/recordings/{}/audio", r.id))
        }
        _ => None,
    };
    state
        .audit(
            &user,
            Event::new("transcript.view", "transcript", id).client(client.id),
        )
        .await?;
    let can_swap = segments
        .iter()
        .any(|s| s.speaker == "therapist" || s.speaker == "client");
    let attribution = t.attribution();
    // the segments that hold overlapped speech (two people at once), by id
    let overlapped = attribution
        .as_ref()
        .map(|a| a.overlapped_ids())
        .unwrap_or_default();
    let html = render_page(
        "transcript.html",
        minijinja::context! {
            title => "Transcript",
            client => client,
            t => t,
            recording => rec,
            segments => segments,
            audio_url => audio_url,
            speakers => ["therapist", "client", "unknown"],
            // where the diarization's roles came from (`enrolled` or `inferred`)
            source => attribution.as_ref().map(|a| a.source),
            overlapped => overlapped,
            can_swap => can_swap,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

async fn edit_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, segment_id)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, PageError> {
    let patch = SegmentPatch {
        text: form.has("text").then(|| form.text("text")),
        speaker: form.has("speaker").then(|| form.get("speaker")),
    };
    apply_edit(&state, &user, id, segment_id, patch).await?;
    Ok(Redirect::to(&format!("/transcripts/{id}#seg-{segment_id}")).into_response())
}
