//! Signed notes: `GET /api/v1/notes/{id}` (any PATCH/PUT/DELETE → 409), addenda, co-signature
//! and return by the author's supervisor, process notes (author only), exports
//! (`GET /api/v1/notes/{id}/export?format=fhir|pdf|text|html`), the note page (`/notes/{id}`)
//! and the print view (`/notes/{id}/print`).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::drafts::check_password;
use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::export::{self, ExportFormat, NoteBundle};
use crate::notes;
use crate::store::notes::NoteState;
use crate::store::{Client, NoteRow, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/notes/{id}",
            get(api_get)
                .patch(api_refuse)
                .put(api_refuse)
                .delete(api_refuse),
        )
        .route(
            "/api/v1/notes/{id}/addenda",
            post(api_addendum).get(api_addenda),
        )
        .route("/api/v1/notes/{id}/versions", get(api_versions))
        .route("/api/v1/notes/{id}/cosign", post(api_cosign))
        .route("/api/v1/notes/{id}/return", post(api_return))
        .route(
            "/api/v1/notes/{id}/process-notes",
            get(api_process_get).put(api_process_put),
        )
        .route("/api/v1/notes/{id}/export", get(api_export))
        .route("/api/v1/clients/{id}/notes", get(api_list))
        .route("/notes/{id}", get(note_page))
        .route("/notes/{id}/print", get(print_page))
        .route("/notes/{id}/addenda", post(form_addendum))
        .route("/notes/{id}/cosign", post(form_cosign))
        .route("/notes/{id}/return", post(form_return))
        .route(
            "/static/print.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    export::PRINT_CSS,
                )
            }),
        )
}

/// The note and its client if `user` may see the chart; else 404.
async fn note_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(NoteRow, Client), Error> {
    state.chart(user).note(id).await
}

async fn author(state: &AppState, note: &NoteRow) -> Result<User, Error> {
    state
        .store
        .user(note.author_id)
        .await?
        .ok_or(Error::NotFound("author"))
}

/// The note as JSON: row, signed content, signatures, addenda, whether the hash verifies, and
/// the process notes when `user` is their author.
pub async fn note_json(
    state: &AppState,
    user: &CurrentUser,
    note: &NoteRow,
    client: &Client,
) -> Result<Value, Error> {
    let chart = state.within(client);
    let signatures = chart.signatures(note).await?;
    let addenda = chart.addenda(note).await?;
    let mut v = serde_json::to_value(note).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.insert("content".into(), note.content_json());
        o.insert(
            "hash_verified".into(),
            json!(note.content_sha256.is_some() && note.hash_verifies()),
        );
        o.insert("signatures".into(), json!(signatures));
        o.insert("addenda".into(), json!(addenda));
        o.insert("locked".into(), json!(note.is_locked()));
        if note.author_id == user.id() {
            o.insert(
                "process_notes".into(),
                json!(chart
                    .process_note(note, user.id())
                    .await?
                    .unwrap_or_default()),
            );
        }
    }
    Ok(v)
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let (note, client) = note_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("note.view", "note", id).client(note.client_id),
        )
        .await?;
    Ok(Json(note_json(&state, &user, &note, &client).await?))
}

/// Every signed version of a note, exactly as signed, with whether it still hashes to its
/// recorded SHA-256.
async fn api_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let (note, client) = note_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("note.view", "note", id)
                .client(note.client_id)
                .detail(json!({"page": "versions"})),
        )
        .await?;
    let versions: Vec<Value> = state
        .within(&client)
        .signed_versions(&note)
        .await?
        .into_iter()
        .map(|v| {
            let intact = crate::notes::canonical::verify(&v.content, &v.content_sha256);
            let content: Value = serde_json::from_str(&v.content).unwrap_or(Value::Null);
            json!({
                "content_sha256": v.content_sha256, "signed_at": v.signed_at,
                "content": content, "hash_verified": intact,
            })
        })
        .collect();
    Ok(Json(json!({"versions": versions})))
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let notes = state.within(&client).timeline().await?;
    state
        .audit(&user, Event::new("note.list", "client", id).client(id))
        .await?;
    Ok(Json(json!({"notes": notes})))
}

async fn api_refuse(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, Error> {
    let (note, _) = note_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("note.change_refused", "note", id)
                .client(note.client_id)
                .detail(json!({"state": note.state})),
        )
        .await?;
    if note.is_locked() {
        Err(Error::Conflict(format!(
            "note {id} is {}: signed notes are immutable; add an addendum with POST /api/v1/notes/{id}/addenda",
            note.state.label()
        )))
    } else {
        Err(Error::Conflict(format!(
            "note {id} is not signed yet: edit its draft with PATCH /api/v1/drafts/{}",
            note.draft_id.unwrap_or_default()
        )))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddendumBody {
    text: String,
    password: String,
}

async fn may_amend(state: &AppState, user: &CurrentUser, note: &NoteRow) -> Result<(), Error> {
    if note.author_id == user.id() {
        return Ok(());
    }
    let a = author(state, note).await?;
    if a.supervisor_id == Some(user.id()) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "only the note's author or their supervisor can add an addendum".into(),
    ))
}

async fn addendum(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    text: &str,
    password: &str,
) -> Result<crate::store::AddendumRow, Error> {
    let (note, _) = note_for(state, user, id).await?;
    may_amend(state, user, &note).await?;
    if !note.state.is_signed() {
        return Err(Error::Conflict(format!(
            "note {id} is {}: addenda are for signed notes",
            note.state.label()
        )));
    }
    check_password(
        state,
        user,
        password,
        "the addendum",
        Event::new("note.addendum", "note", id).client(note.client_id),
    )
    .await?;
    Ok(notes::add_addendum(&state.store, &user.actor(), id, &user.user, text).await?)
}

async fn api_addendum(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AddendumBody>,
) -> Result<Response, Error> {
    let a = addendum(&state, &user, id, &b.text, &b.password).await?;
    Ok((StatusCode::CREATED, Json(json!(a))).into_response())
}

async fn api_addenda(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let (note, client) = note_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("note.view", "note", id).client(note.client_id),
        )
        .await?;
    Ok(Json(
        json!({"addenda": state.within(&client).addenda(&note).await?}),
    ))
}

/// The note (and its client) if `user` supervises its author: others who can see it get 403,
/// the rest 404.
async fn as_supervisor(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(NoteRow, Client), Error> {
    let (note, client) = note_for(state, user, id).await?;
    let a = author(state, &note).await?;
    if a.supervisor_id != Some(user.id()) {
        return Err(Error::Forbidden(
            "only the supervisor of the note's author can co-sign or return it".into(),
        ));
    }
    Ok((note, client))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CosignBody {
    password: String,
}

async fn cosign(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    password: &str,
) -> Result<(NoteRow, Client), Error> {
    let (note, client) = as_supervisor(state, user, id).await?;
    if note.state != NoteState::AwaitingCosign {
        return Err(Error::Conflict(format!(
            "note {id} is {}, not awaiting co-signature",
            note.state.label()
        )));
    }
    check_password(
        state,
        user,
        password,
        "the co-signature",
        Event::new("note.cosign", "note", id).client(note.client_id),
    )
    .await?;
    let note = notes::cosign_note(&state.store, &user.actor(), id, &user.user).await?;
    Ok((note, client))
}

async fn api_cosign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CosignBody>,
) -> Result<Json<Value>, Error> {
    let (note, client) = cosign(&state, &user, id, &b.password).await?;
    Ok(Json(note_json(&state, &user, &note, &client).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnBody {
    comment: String,
}

async fn return_note(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    comment: &str,
) -> Result<(NoteRow, Client), Error> {
    let (_, client) = as_supervisor(state, user, id).await?;
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(Error::field("comment", "say what the author should change"));
    }
    if comment.chars().count() > 5000 {
        return Err(Error::field("comment", "must be at most 5000 characters"));
    }
    let note = notes::return_note(&state.store, &user.actor(), id, comment).await?;
    Ok((note, client))
}

async fn api_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Result<Json<Value>, Error> {
    let (note, client) = return_note(&state, &user, id, &b.comment).await?;
    Ok(Json(note_json(&state, &user, &note, &client).await?))
}

async fn api_process_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, Error> {
    let (note, client) = note_for(&state, &user, id).await?;
    if note.author_id != user.id() {
        return Err(Error::NotFound("process notes"));
    }
    state
        .audit(
            &user,
            Event::new("note.process_notes.view", "note", id).client(note.client_id),
        )
        .await?;
    let text = state.within(&client).process_note(&note, user.id()).await?;
    Ok(Json(json!({"text": text.unwrap_or_default()})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcessBody {
    text: String,
}

async fn api_process_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ProcessBody>,
) -> Result<Json<Value>, Error> {
    let (note, _) = note_for(&state, &user, id).await?;
    if note.author_id != user.id() {
        return Err(Error::NotFound("process notes"));
    }
    notes::set_process_note(
        &state.store,
        &user.actor(),
        id,
        note.client_id,
        user.id(),
        &b.text,
    )
    .await?;
    Ok(Json(json!({"text": b.text})))
}

// ----- Exports -------------------------------------------------------------------------------

/// Loads everything an export needs. Only signed (or amended) notes are exported.
pub async fn bundle_for(
    state: &AppState,
    note: NoteRow,
    client: Client,
) -> Result<NoteBundle, Error> {
    if !note.state.is_signed() {
        return Err(Error::Conflict(format!(
            "note {} is {}: only signed notes are exported",
            note.id,
            note.state.label()
        )));
    }
    let author = author(state, &note).await?;
    let content = note.content_json();
    let session = match note.therapy_session_id {
        Some(s) => state.within(&client).session(s).await?,
        None => None,
    };
    let cutoff: String = match content.get("session_date").and_then(Value::as_str) {
        Some(d) => d.to_string(),
        None => note
            .signed_at
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(10)
            .collect(),
    };
    let chart = state.within(&client);
    let mut measures = Vec::new();
    for inst in ["phq9", "gad7"] {
        let latest = chart
            .measures(Some(inst))
            .await?
            .into_iter()
            .filter(|m| cutoff.is_empty() || m.measured_on.as_str() <= cutoff.as_str())
            .max_by(|a, b| a.measured_on.cmp(&b.measured_on).then(a.id.cmp(&b.id)));
        measures.extend(latest);
    }
    Ok(NoteBundle {
        signatures: chart.signatures(&note).await?,
        addenda: chart.addenda(&note).await?,
        plan: chart.current_plan().await?,
        note,
        content,
        client,
        author,
        measures,
        session,
    })
}

#[derive(Deserialize)]
struct ExportQuery {
    #[serde(default)]
    format: Option<String>,
}

fn attachment(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"))
}

/// Renders an export of note `id` and audits it.
async fn export_note(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    fmt: ExportFormat,
) -> Result<Response, Error> {
    let (note, client) = note_for(state, user, id).await?;
    let b = bundle_for(state, note, client).await?;
    state
        .audit(
            user,
            Event::new("note.export", "note", id)
                .client(b.note.client_id)
                .detail(json!({"format": fmt.as_str()})),
        )
        .await?;
    Ok(match fmt {
        ExportFormat::Text => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")), (header::CONTENT_DISPOSITION, attachment(&format!("note-{id}.txt")))],
            export::text(&b),
        )
            .into_response(),
        ExportFormat::Pdf => {
            let bytes = tokio::task::spawn_blocking(move || export::pdf::render(&b))
                .await
                .map_err(|e| Error::Internal(format!("PDF rendering failed: {e}")))?;
            (
                [(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")), (header::CONTENT_DISPOSITION, attachment(&format!("note-{id}.pdf")))],
                bytes,
            )
                .into_response()
        }
        ExportFormat::Fhir => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/fhir+json")), (header::CONTENT_DISPOSITION, attachment(&format!("note-{id}.fhir.json")))],
            serde_json::to_string_pretty(&export::fhir::bundle(&b)).map_err(|e| Error::Internal(e.to_string()))?,
        )
            .into_response(),
        ExportFormat::Html => render("print.html", minijinja::context! { title => format!("Progress note {id}"), ..minijinja::Value::from_serialize(export::print_context(&b)) })?.into_response(),
    })
}

async fn api_export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Error> {
    let f = q.format.unwrap_or_else(|| "fhir".into());
    let fmt = ExportFormat::parse(&f).ok_or_else(|| {
        Error::field(
            "format",
            format!("unknown export format `{f}`: use fhir, pdf, text or html"),
        )
    })?;
    export_note(&state, &user, id, fmt).await
}

// ----- Pages ---------------------------------------------------------------------------------

async fn note_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (note, client) = note_for(&state, &user, id).await?;
    if !note.is_locked() {
        if let Some(d) = note.draft_id {
            return Ok(Redirect::to(&format!("/drafts/{d}")).into_response());
        }
    }
    state
        .audit(
            &user,
            Event::new("note.view", "note", id).client(note.client_id),
        )
        .await?;
    let a = author(&state, &note).await?;
    let content = note.content_json();
    let is_author = note.author_id == user.id();
    let is_supervisor = a.supervisor_id == Some(user.id());
    let chart = state.within(&client);
    let pn = if is_author {
        Some(
            chart
                .process_note(&note, user.id())
                .await?
                .unwrap_or_default(),
        )
    } else {
        None
    };
    let (signatures, addenda) = (chart.signatures(&note).await?, chart.addenda(&note).await?);
    let html = render(
        "note.html",
        minijinja::context! {
            title => format!("Progress note {id}"),
            note => &note,
            client => &client,
            author => a.label(),
            state_label => note.state.label(),
            format_name => content.get("format_name").cloned().unwrap_or_default(),
            session_date => content.get("session_date").cloned().unwrap_or_default(),
            sections => export::sections(&content).into_iter().map(|(k, t, x)| json!({"key": k, "title": t, "text": x})).collect::<Vec<_>>(),
            risk => export::risk_rows(&content).into_iter().map(|(l, s)| json!({"label": l, "status": s})).collect::<Vec<_>>(),
            plan_lines => export::plan_lines(&content),
            signatures => signatures,
            addenda => addenda,
            hash_verified => note.hash_verifies(),
            ai_line => export::ai_line(&content),
            is_author => is_author,
            may_amend => is_author || is_supervisor,
            may_cosign => is_supervisor && note.state == NoteState::AwaitingCosign,
            exportable => note.state.is_signed(),
            process_notes => pn,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

async fn print_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(export_note(&state, &user, id, ExportFormat::Html).await?)
}

async fn form_addendum(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    addendum(&state, &user, id, &f.text("text"), &f.text("password")).await?;
    Ok(Redirect::to(&format!("/notes/{id}#addenda")).into_response())
}

async fn form_cosign(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    cosign(&state, &user, id, &f.text("password")).await?;
    Ok(Redirect::to(&format!("/notes/{id}")).into_response())
}

async fn form_return(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    f: FormData,
) -> Result<Response, PageError> {
    return_note(&state, &user, id, &f.text("comment")).await?;
    Ok(Redirect::to(&format!("/notes/{id}")).into_response())
}
