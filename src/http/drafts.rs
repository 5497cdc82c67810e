//! Drafts under review: the draft job endpoints (`POST /api/v1/transcripts/{id}/drafts`,
//! `POST /api/v1/clients/{id}/drafts`), `GET/PATCH /api/v1/drafts/{id}`, plan-update and
//! proposal decisions, flag acknowledgement, section redraft, signing, and the review page
//! (`/drafts/{id}`) whose forms and script call the same operations.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::draft::FormatLibrary;
use crate::jobs::NewJob;
use crate::notes::review::{self, explain_flag, is_risk_flag, StatementEdit};
use crate::notes::{self, AcceptEdit, DecisionTarget, NoteError, ReviewDoc, ATTESTATION};
use crate::pipeline::drafting::{DRAFT_JOB, REDRAFT_JOB};
use crate::store::{Client, DraftRow, NoteRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/transcripts/{id}/drafts",
            post(api_draft_transcript),
        )
        .route(
            "/api/v1/clients/{id}/drafts",
            post(api_draft_summary).get(api_list),
        )
        .route("/api/v1/drafts/{id}", get(api_get).patch(api_patch))
        .route(
            "/api/v1/drafts/{id}/plan-updates/{n}/{action}",
            post(api_plan_update),
        )
        .route(
            "/api/v1/drafts/{id}/proposals/{n}/{action}",
            post(api_proposal),
        )
        .route("/api/v1/drafts/{id}/flags/{n}/acknowledge", post(api_ack))
        .route("/api/v1/drafts/{id}/redraft", post(api_redraft))
        .route("/api/v1/drafts/{id}/sign", post(api_sign))
        .route("/clients/{id}/drafts", post(form_summary))
        .route("/drafts/{id}", get(review_page))
        .route("/drafts/{id}/sections/{key}", post(form_section))
        .route("/drafts/{id}/statements", post(form_statement))
        .route("/drafts/{id}/risk", post(form_risk))
        .route(
            "/drafts/{id}/plan-updates/{n}/{action}",
            post(form_plan_update),
        )
        .route("/drafts/{id}/proposals/{n}/{action}", post(form_proposal))
        .route("/drafts/{id}/flags/{n}/acknowledge", post(form_ack))
        .route("/drafts/{id}/redraft", post(form_redraft))
        .route("/drafts/{id}/process-notes", post(form_process_notes))
        .route("/drafts/{id}/sign", post(form_sign))
}

impl From<NoteError> for Error {
    fn from(e: NoteError) -> Error {
        match e {
            NoteError::Invalid { field, reason } => Error::field(&field, reason),
            NoteError::NotFound(w) => Error::NotFound(w),
            NoteError::Conflict(m) => Error::Conflict(m),
            NoteError::Corrupt(m) => Error::Internal(m),
            NoteError::Store(s) => s.into(),
        }
    }
}

// ----- Access --------------------------------------------------------------------------------

/// The draft and its client if `user` may see the chart; else 404.
pub async fn draft_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(DraftRow, Client), Error> {
    state.chart(user).draft(id).await
}

/// The note's author: the clinician who reviews and signs.
pub fn author_of(row: &DraftRow, client: &Client) -> i64 {
    row.author_id.unwrap_or(client.clinician_id)
}

fn ensure_author(user: &CurrentUser, row: &DraftRow, client: &Client) -> Result<(), Error> {
    if user.id() == author_of(row, client) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the note's author (the client's clinician) can edit or sign this draft".into(),
        ))
    }
}

/// Checks `password` against the user's (argon2, off the runtime), rate limited like sign-in
/// (429 once the account has too many failures). A refusal is audited.
pub async fn check_password(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
    what: &str,
    ev: Event,
) -> Result<(), Error> {
    use crate::auth::AuthError;
    let checked = crate::auth::recheck_password(
        &state.store,
        &state.config.auth,
        &user.user,
        password,
        &user.remote_addr,
    )
    .await;
    let (reason, err) = match checked {
        Ok(()) => return Ok(()),
        Err(AuthError::Store(e)) => return Err(e.into()),
        Err(e @ AuthError::RateLimited { .. }) => ("rate_limited", Error::from(e)),
        Err(e @ AuthError::Busy) => ("busy", Error::from(e)),
        Err(AuthError::BadCredentials) => (
            "wrong_password",
            Error::Forbidden(format!("the password is incorrect: {what} was not signed")),
        ),
    };
    let ev = Event {
        action: format!("{}_refused", ev.action),
        detail: json!({ "reason": reason }),
        ..ev
    };
    state.audit(user, ev).await?;
    Err(err)
}

fn format_name(state: &AppState, key: &str) -> String {
    FormatLibrary::load(&state.data_dir)
        .get(key)
        .map(|f| f.name)
        .unwrap_or_else(|_| key.to_uppercase())
}

// ----- Draft jobs ----------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranscriptDraftBody {
    #[serde(default = "soap")]
    format: String,
    #[serde(default)]
    model: Option<String>,
}

fn soap() -> String {
    "soap".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryDraftBody {
    text: String,
    #[serde(default = "soap")]
    format: String,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    therapy_session_id: Option<i64>,
}

fn check_format(state: &AppState, format: &str) -> Result<String, Error> {
    FormatLibrary::load(&state.data_dir)
        .get(format)
        .map(|f| f.key)
        .map_err(|e| Error::field("format", e.to_string()))
}

async fn enqueue(
    state: &AppState,
    user: &CurrentUser,
    client_id: i64,
    payload: Value,
    action: &str,
) -> Result<Response, Error> {
    let job = NewJob::new(DRAFT_JOB, payload)
        .client(client_id)
        .created_by(user.id());
    let id = state
        .jobs
        .enqueue_job(job)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    state
        .audit(user, Event::new(action, "job", id).client(client_id))
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"job_id": id, "kind": DRAFT_JOB, "job_url": format!("/api/v1/jobs/{id}")})),
    )
        .into_response())
}

async fn api_draft_transcript(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<TranscriptDraftBody>,
) -> Result<Response, Error> {
    let (t, _) = state.chart(&user).transcript(id).await?;
    let format = check_format(&state, &b.format)?;
    let mut payload = json!({"transcript_id": id, "format": format});
    if let Some(m) = b.model.filter(|m| !m.trim().is_empty()) {
        payload["model"] = json!(m.trim());
    }
    enqueue(&state, &user, t.client_id, payload, "draft.request").await
}

async fn form_summary(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    state.client_for(&user, id).await?;
    let format = check_format(&state, &f.get("format"))?;
    let text = f.text("text");
    if text.trim().is_empty() {
        return Err(Error::field("text", "is required").into());
    }
    enqueue(
        &state,
        &user,
        id,
        json!({"client_id": id, "text": text, "format": format}),
        "draft.request",
    )
    .await?;
    Ok(Redirect::to(&format!("/clients/{id}#notes")).into_response())
}

async fn api_draft_summary(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SummaryDraftBody>,
) -> Result<Response, Error> {
    let client = state.client_for(&user, id).await?;
    let format = check_format(&state, &b.format)?;
    if b.text.trim().is_empty() {
        return Err(Error::field("text", "is required"));
    }
    if b.text.chars().count() > 100_000 {
        return Err(Error::field("text", "must be at most 100000 characters"));
    }
    let mut payload = json!({"client_id": id, "text": b.text, "format": format});
    if let Some(m) = b.model.filter(|m| !m.trim().is_empty()) {
        payload["model"] = json!(m.trim());
    }
    if let Some(s) = b.therapy_session_id {
        let sess = state.within(&client).session(s).await?;
        if sess.is_none() {
            return Err(Error::field(
                "therapy_session_id",
                "no such session for this client",
            ));
        }
        payload["therapy_session_id"] = json!(s);
    }
    enqueue(&state, &user, id, payload, "draft.request").await
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let drafts = state.within(&client).drafts().await?;
    state
        .audit(&user, Event::new("draft.list", "client", id).client(id))
        .await?;
    Ok(Json(json!({"drafts": drafts})))
}

// ----- Reading -------------------------------------------------------------------------------

/// The draft JSON (working copy) plus state, original, edits and what blocks signing.
pub fn draft_view(
    row: &DraftRow,
    doc: &ReviewDoc,
    original: &ReviewDoc,
    process_notes: Option<String>,
) -> Value {
    let measure = doc.edit_measure(original);
    let total: usize = measure.values().map(|e| e.chars_changed).sum();
    let mut blockers: Vec<String> = Vec::new();
    if let Err(e) = crate::notes::check_signable(doc) {
        blockers.push(e.to_string());
    }
    let mut v = serde_json::to_value(doc).unwrap_or_else(|_| json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("id".into(), json!(row.id));
        o.insert("client_id".into(), json!(row.client_id));
        o.insert("transcript_id".into(), json!(row.transcript_id));
        o.insert("therapy_session_id".into(), json!(row.therapy_session_id));
        o.insert("state".into(), json!(row.state));
        o.insert("note_id".into(), json!(row.note_id));
        o.insert("note_state".into(), json!(row.note_state));
        o.insert("created_at".into(), json!(row.created_at));
        o.insert("updated_at".into(), json!(row.updated_at));
        o.insert(
            "original".into(),
            serde_json::to_value(original).unwrap_or_default(),
        );
        o.insert(
            "edits".into(),
            json!({"sections": measure, "total_chars_changed": total, "diff": doc.diffs(original)}),
        );
        o.insert(
            "unacknowledged_risk_flags".into(),
            json!(doc.unacknowledged_risk_flags()),
        );
        o.insert("risk_unset".into(), json!(doc.unconfirmed_risk()));
        o.insert("sign_blockers".into(), json!(blockers));
        o.insert("attestation".into(), json!(ATTESTATION));
        if let Some(p) = process_notes {
            o.insert("process_notes".into(), json!(p));
        }
    }
    v
}

async fn load_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(DraftRow, Client, ReviewDoc, ReviewDoc, Option<String>), Error> {
    let (row, client) = draft_for(state, user, id).await?;
    let doc = row.working()?;
    let original = row.original()?;
    let pn = if row.note_id.is_some() && user.id() == author_of(&row, &client) {
        let chart = state.within(&client);
        Some(
            chart
                .draft_process_note(&row, user.id())
                .await?
                .unwrap_or_default(),
        )
    } else {
        None
    };
    Ok((row, client, doc, original, pn))
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let (row, _client, doc, original, pn) = load_view(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("draft.view", "draft", id).client(row.client_id),
        )
        .await?;
    Ok(Json(draft_view(&row, &doc, &original, pn)))
}

// ----- Editing -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionPatch {
    text: String,
}

/// Body of `PATCH /api/v1/drafts/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftPatch {
    #[serde(default)]
    sections: BTreeMap<String, SectionPatch>,
    #[serde(default)]
    statements: Vec<StatementEdit>,
    /// Risk items set explicitly: `{"suicidal_ideation": "denied", ...}`.
    #[serde(default)]
    risk: BTreeMap<String, String>,
    /// Flag indexes to acknowledge.
    #[serde(default)]
    acknowledge_flags: Vec<usize>,
    /// The author's private process notes (never sent to the model, never exported).
    #[serde(default)]
    process_notes: Option<String>,
}

async fn patch(state: &AppState, user: &CurrentUser, id: i64, p: DraftPatch) -> Result<(), Error> {
    let (row, client) = draft_for(state, user, id).await?;
    ensure_author(user, &row, &client)?;
    let changes_note = !(p.sections.is_empty()
        && p.statements.is_empty()
        && p.risk.is_empty()
        && p.acknowledge_flags.is_empty());
    if changes_note || row.is_locked() {
        let detail = json!({
            "sections": p.sections.keys().collect::<Vec<_>>(),
            "statements": p.statements.len(),
            "risk": p.risk.keys().collect::<Vec<_>>(),
            "acknowledged_flags": p.acknowledge_flags,
        });
        let uid = user.id();
        let now = crate::store::now();
        notes::update_review(
            &state.store,
            &user.actor(),
            id,
            "draft.edit",
            detail,
            |_, doc| {
                for (k, s) in &p.sections {
                    doc.set_section_text(k, &s.text)?;
                }
                for e in &p.statements {
                    doc.edit_statement(e)?;
                }
                for (k, v) in &p.risk {
                    doc.set_risk(k, v)?;
                }
                for n in &p.acknowledge_flags {
                    doc.acknowledge_flag(*n, uid, &now)?;
                }
                Ok(())
            },
        )
        .await?;
    }
    if let Some(text) = p.process_notes {
        let note_id = match row.note_id {
            Some(n) => n,
            // The draft was re-read after the edit above, which may have created its note.
            None => state
                .chart(user)
                .draft(id)
                .await?
                .0
                .note_id
                .ok_or(Error::NotFound("note"))?,
        };
        notes::set_process_note(
            &state.store,
            &user.actor(),
            note_id,
            row.client_id,
            user.id(),
            &text,
        )
        .await?;
    }
    Ok(())
}

async fn api_patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(p): ApiJson<DraftPatch>,
) -> Result<Json<Value>, Error> {
    patch(&state, &user, id, p).await?;
    let (row, _c, doc, original, pn) = load_view(&state, &user, id).await?;
    Ok(Json(draft_view(&row, &doc, &original, pn)))
}

async fn decide(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    target: DecisionTarget,
    n: usize,
    action: &str,
    edit: AcceptEdit,
) -> Result<(ReviewDoc, Option<i64>), Error> {
    let accept = match action {
        "accept" => true,
        "reject" => false,
        _ => return Err(Error::NotFound("action")),
    };
    let (row, client) = draft_for(state, user, id).await?;
    ensure_author(user, &row, &client)?;
    Ok(notes::decide(
        &state.store,
        &user.actor(),
        id,
        target,
        n,
        accept,
        &edit,
        user.id(),
    )
    .await?)
}

fn optional_body<T: serde::de::DeserializeOwned + Default>(body: &Bytes) -> Result<T, Error> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        Ok(T::default())
    } else {
        serde_json::from_slice(body).map_err(|e| Error::field("body", e.to_string()))
    }
}

async fn api_plan_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, n, action)): Path<(i64, usize, String)>,
    body: Bytes,
) -> Result<Json<Value>, Error> {
    let edit: AcceptEdit = optional_body(&body)?;
    let (doc, version) = decide(
        &state,
        &user,
        id,
        DecisionTarget::PlanUpdate,
        n,
        &action,
        edit,
    )
    .await?;
    Ok(Json(
        json!({"plan_update": doc.plan_updates.get(n), "plan_version": version}),
    ))
}

async fn api_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, n, action)): Path<(i64, usize, String)>,
    body: Bytes,
) -> Result<Json<Value>, Error> {
    let edit: AcceptEdit = optional_body(&body)?;
    let (doc, version) = decide(
        &state,
        &user,
        id,
        DecisionTarget::Proposal,
        n,
        &action,
        edit,
    )
    .await?;
    Ok(Json(
        json!({"proposal": doc.proposals.get(n), "plan_version": version}),
    ))
}

/// Acknowledges draft flag `n`; with a reason, marks a risk cue not a risk. The reason is kept
/// in the draft (and in the signed note); the audit event, which holds no PHI, records the
/// decision with the reason's SHA-256.
async fn acknowledge(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    n: usize,
    not_a_risk_reason: Option<&str>,
) -> Result<ReviewDoc, Error> {
    let (row, client) = draft_for(state, user, id).await?;
    ensure_author(user, &row, &client)?;
    let uid = user.id();
    let now = crate::store::now();
    let detail = match not_a_risk_reason {
        Some(r) => {
            use sha2::{Digest, Sha256};
            json!({"index": n, "not_a_risk": true, "reason_sha256": hex::encode(Sha256::digest(r.trim().as_bytes()))})
        }
        None => json!({"index": n}),
    };
    let (_, doc) = notes::update_review(
        &state.store,
        &user.actor(),
        id,
        "draft.flag.acknowledge",
        detail,
        |_, doc| doc.acknowledge_flag_with(n, uid, &now, not_a_risk_reason),
    )
    .await?;
    Ok(doc)
}

/// Body of `POST /api/v1/drafts/{id}/flags/{n}/acknowledge` (optional): `{"not_a_risk": true,
/// "reason": "..."}` marks a risk cue not a risk.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagAckBody {
    #[serde(default)]
    not_a_risk: bool,
    #[serde(default)]
    reason: Option<String>,
}

async fn api_ack(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, n)): Path<(i64, usize)>,
    body: Bytes,
) -> Result<Json<Value>, Error> {
    let body: FlagAckBody = if body.iter().all(|b| b.is_ascii_whitespace()) {
        FlagAckBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Error::field("body", e.to_string()))?
    };
    let reason = body
        .not_a_risk
        .then(|| body.reason.clone().unwrap_or_default());
    let doc = acknowledge(&state, &user, id, n, reason.as_deref()).await?;
    Ok(Json(
        json!({"flag": doc.flags.get(n), "acknowledged": doc.flag_acks.get(&n), "unacknowledged_risk_flags": doc.unacknowledged_risk_flags()}),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedraftBody {
    section: String,
    #[serde(default)]
    instruction: Option<String>,
}

async fn redraft(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    b: RedraftBody,
) -> Result<i64, Error> {
    let (row, client) = draft_for(state, user, id).await?;
    ensure_author(user, &row, &client)?;
    notes::ensure_editable(&row)?;
    let doc = row.working()?;
    if !doc.sections.contains_key(&b.section) {
        return Err(Error::field(
            "section",
            format!(
                "no such section; this note has {}",
                doc.ordered_keys().join(", ")
            ),
        ));
    }
    let instruction = b
        .instruction
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if instruction
        .as_ref()
        .is_some_and(|s| s.chars().count() > 500)
    {
        return Err(Error::field(
            "instruction",
            "must be at most 500 characters",
        ));
    }
    let payload = json!({"draft_id": id, "section": b.section, "instruction": instruction});
    let job = NewJob::new(REDRAFT_JOB, payload)
        .client(row.client_id)
        .created_by(user.id());
    let job_id = state
        .jobs
        .enqueue_job(job)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    state
        .audit(
            user,
            Event::new("draft.redraft_request", "draft", id)
                .client(row.client_id)
                .detail(json!({"job_id": job_id})),
        )
        .await?;
    Ok(job_id)
}

async fn api_redraft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RedraftBody>,
) -> Result<Response, Error> {
    let job_id = redraft(&state, &user, id, b).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({"job_id": job_id, "kind": REDRAFT_JOB, "job_url": format!("/api/v1/jobs/{job_id}")}))).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignBody {
    password: String,
    /// The attestation was shown and accepted (forms send it; optional for API clients).
    #[serde(default)]
    #[allow(dead_code)]
    attest: Option<bool>,
}

/// Signs a draft after re-checking the password; returns the signed note and its client.
pub async fn sign(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    password: &str,
) -> Result<(NoteRow, Client), Error> {
    let (row, client) = draft_for(state, user, id).await?;
    ensure_author(user, &row, &client)?;
    notes::ensure_editable(&row)?;
    let ev = Event::new("note.sign", "draft", id).client(row.client_id);
    check_password(state, user, password, "the note", ev).await?;
    let fname = format_name(state, &row.format);
    match notes::sign_draft(&state.store, &user.actor(), id, &user.user, &fname).await {
        Ok(n) => Ok((n, client)),
        Err(e) => {
            if let NoteError::Conflict(_) = &e {
                state
                    .audit(
                        user,
                        Event::new("note.sign_refused", "draft", id)
                            .client(row.client_id)
                            .detail(json!({"reason": "not_signable"})),
                    )
                    .await?;
            }
            Err(e.into())
        }
    }
}

async fn api_sign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SignBody>,
) -> Result<Response, Error> {
    let (note, client) = sign(&state, &user, id, &b.password).await?;
    let v = super::notes::note_json(&state, &user, &note, &client).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

// ----- Review page ---------------------------------------------------------------------------

fn mmss(s: f64) -> String {
    let s = s.max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

async fn review_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (row, client, doc, original, pn) = load_view(&state, &user, id).await?;
    if row.is_locked() {
        if let Some(n) = row.note_id {
            return Ok(Redirect::to(&format!("/notes/{n}")).into_response());
        }
    }
    state
        .audit(
            &user,
            Event::new("draft.view", "draft", id).client(row.client_id),
        )
        .await?;
    // Transcript side: stored segments, or the typed summary's sentences.
    let mut audio_url = None;
    let segments: Vec<Value> = match row.transcript_id {
        Some(t) => {
            let chart = state.within(&client);
            let tr = chart.transcript(t).await?;
            if let Some(rid) = tr.as_ref().and_then(|tr| tr.recording_id) {
                if let Some(r) = chart.recording(rid).await? {
                    if r.has_audio() {
                        audio_url = Some(format!("/api/v1/recordings/{rid}/audio"));
                    }
                }
            }
            let segments = match &tr {
                Some(tr) => chart.segments(tr).await?,
                None => Vec::new(),
            };
            // two people at once in a segment (the diarization's overlapped speech)
            let overlapped = tr
                .as_ref()
                .and_then(|t| t.attribution())
                .map(|a| a.overlapped_ids())
                .unwrap_or_default();
            segments
                .iter()
                .map(|s| json!({"id": s.id, "start": s.start, "time": mmss(s.start), "speaker": s.speaker, "text": s.text, "overlap": overlapped.contains(&s.id)}))
                .collect()
        }
        None => {
            let content: Value = serde_json::from_str(&row.content).unwrap_or_default();
            content
                .get("summary_segments")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|s| json!({"id": s["id"], "start": 0, "time": "", "speaker": "summary", "text": s["text"]}))
                .collect()
        }
    };
    let diffs = doc.diffs(&original);
    let measure = doc.edit_measure(&original);
    let sections: Vec<Value> = doc
        .ordered_keys()
        .into_iter()
        .map(|k| {
            let s = &doc.sections[&k];
            let statements: Vec<Value> = s
                .statements
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    json!({
                        "index": i, "text": st.text, "citations": st.citations,
                        "flags": st.flags.iter().map(|f| json!({"code": f.split(':').next().unwrap_or(f), "why": explain_flag(f)})).collect::<Vec<_>>(),
                        "included": st.included, "decision": st.decision, "original_text": st.original_text,
                        "held_back": !st.included && st.decision.is_none(),
                    })
                })
                .collect();
            json!({
                "key": k, "title": s.title, "text": s.text, "statements": statements, "prose": s.prose(),
                "rows": (s.text.lines().count() + 1).clamp(3, 30),
                "original": original.sections.get(&k).map(|o| o.text.clone()).unwrap_or_default(),
                "diff": diffs.get(&k), "edit": measure.get(&k),
            })
        })
        .collect();
    let goals: BTreeMap<String, String> = state
        .within(&client)
        .current_plan()
        .await?
        .map(|p| {
            p.plan
                .goals
                .into_iter()
                .map(|g| (g.id, g.description))
                .collect()
        })
        .unwrap_or_default();
    let flags: Vec<Value> = doc
        .flags
        .iter()
        .enumerate()
        .map(|(i, f)| json!({"index": i, "text": f, "code": f.split(':').next().unwrap_or(f), "why": explain_flag(f), "risk": is_risk_flag(f), "ack": doc.flag_acks.get(&i)}))
        .collect();
    let risk: Vec<Value> = review::RISK_ITEMS
        .iter()
        .map(|n| {
            let it = doc.risk.item(n).cloned().unwrap_or_default();
            json!({"name": n, "status": it.status, "confirmed": it.confirmed, "citations": it.citations, "suggested": it.suggested})
        })
        .collect();
    let is_author = user.id() == author_of(&row, &client);
    let note: Option<NoteRow> = match row.note_id {
        Some(n) => state.within(&client).note(n).await?,
        None => None,
    };
    let html = render(
        "review.html",
        minijinja::context! {
            title => format!("Review draft: {}", client.full_name),
            client => &client,
            draft => &row,
            format_name => format_name(&state, &row.format),
            segments => segments,
            audio_url => audio_url,
            sections => sections,
            plan_updates => &doc.plan_updates,
            goals => goals,
            proposals => &doc.proposals,
            flags => flags,
            risk => risk,
            risk_states => review::RISK_STATES,
            update_statuses => crate::notes::UPDATE_STATUSES,
            process_notes => pn,
            is_author => is_author,
            blockers => crate::notes::check_signable(&doc).err().map(|e| e.to_string()),
            attestation => ATTESTATION,
            review_comment => note.as_ref().map(|n| n.review_comment.clone()).unwrap_or_default(),
            total_changed => measure.values().map(|e| e.chars_changed).sum::<usize>(),
            provenance => &doc.provenance,
            complete => doc.complete,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/drafts/{id}#{anchor}")).into_response()
}

async fn form_section(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, key)): Path<(i64, String)>,
    f: FormData,
) -> Result<Response, PageError> {
    let mut p = DraftPatch::default();
    p.sections.insert(
        key.clone(),
        SectionPatch {
            text: f.text("text"),
        },
    );
    patch(&state, &user, id, p).await?;
    Ok(back(id, &format!("sec-{key}")))
}

async fn form_statement(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    let index = f
        .get("index")
        .parse::<usize>()
        .map_err(|_| Error::field("index", "must be a number"))?;
    let text = f.text("text");
    let e = StatementEdit {
        section: f.get("section"),
        index,
        action: f.get("action"),
        text: if text.trim().is_empty() {
            None
        } else {
            Some(text)
        },
    };
    let anchor = format!("st-{}-{}", e.section, e.index);
    let p = DraftPatch {
        statements: vec![e],
        ..Default::default()
    };
    patch(&state, &user, id, p).await?;
    Ok(back(id, &anchor))
}

async fn form_risk(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    let mut p = DraftPatch::default();
    for n in review::RISK_ITEMS {
        let v = f.get(n);
        if !v.is_empty() {
            p.risk.insert(n.to_string(), v);
        }
    }
    patch(&state, &user, id, p).await?;
    Ok(back(id, "risk"))
}

async fn form_plan_update(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, n, action)): Path<(i64, usize, String)>,
    f: FormData,
) -> Result<Response, PageError> {
    let edit = AcceptEdit {
        status: Some(f.get("status")).filter(|s| !s.is_empty()),
        evidence: f.has("evidence").then(|| f.text("evidence")),
        ..Default::default()
    };
    decide(
        &state,
        &user,
        id,
        DecisionTarget::PlanUpdate,
        n,
        &action,
        edit,
    )
    .await?;
    Ok(back(id, &format!("pu-{n}")))
}

async fn form_proposal(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, n, action)): Path<(i64, usize, String)>,
    f: FormData,
) -> Result<Response, PageError> {
    let edit = AcceptEdit {
        text: Some(f.text("text")).filter(|s| !s.trim().is_empty()),
        date: Some(f.get("date")).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    decide(
        &state,
        &user,
        id,
        DecisionTarget::Proposal,
        n,
        &action,
        edit,
    )
    .await?;
    Ok(back(id, &format!("pr-{n}")))
}

async fn form_ack(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, n)): Path<(i64, usize)>,
    f: FormData,
) -> Result<Response, PageError> {
    let reason = (f.get("not_a_risk") == "1").then(|| f.get("reason"));
    acknowledge(&state, &user, id, n, reason.as_deref()).await?;
    Ok(back(id, "flags"))
}

async fn form_redraft(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    let section = f.get("section");
    let job_id = redraft(
        &state,
        &user,
        id,
        RedraftBody {
            section: section.clone(),
            instruction: Some(f.text("instruction")),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/drafts/{id}?redraft_job={job_id}#sec-{section}")).into_response())
}

async fn form_process_notes(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    let p = DraftPatch {
        process_notes: Some(f.text("process_notes")),
        ..Default::default()
    };
    patch(&state, &user, id, p).await?;
    Ok(back(id, "process-notes"))
}

async fn form_sign(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    if f.get("attest").is_empty() {
        return Err(Error::field(
            "attest",
            format!("confirm the attestation: \"{ATTESTATION}\""),
        )
        .into());
    }
    let (note, _) = sign(&state, &user, id, &f.text("password")).await?;
    Ok(Redirect::to(&format!("/notes/{}", note.id)).into_response())
}
