//! Therapy sessions: `GET/POST /api/v1/clients/{id}/sessions`, `GET/PATCH /api/v1/sessions/{id}`,
//! and the session forms.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::chart::session::{SessionPatch, MODALITIES, STATUSES};
use crate::chart::{FieldError, SessionInput};
use crate::store::{Client, TherapySession};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/clients/{id}/sessions",
            get(api_list).post(api_create),
        )
        .route("/api/v1/sessions/{id}", get(api_get).patch(api_patch))
        .route("/clients/{id}/sessions/new", get(new_page))
        .route("/clients/{id}/sessions", axum::routing::post(create_submit))
        .route("/sessions/{id}/edit", get(edit_page).post(edit_submit))
}

/// A session and its client, if `user` may see the client's chart (else 404).
pub async fn session_for(
    state: &AppState,
    user: &CurrentUser,
    session_id: i64,
) -> Result<(TherapySession, Client), Error> {
    state.chart(user).session(session_id).await
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let sessions = state.within(&client).sessions().await?;
    state
        .audit(&user, Event::new("session.list", "client", id).client(id))
        .await?;
    Ok(Json(serde_json::json!({ "sessions": sessions })))
}

async fn api_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, Error> {
    state.client_for(&user, id).await?;
    let input = input.normalized();
    input.validate()?;
    let s = state
        .store
        .create_session(&user.actor(), id, user.id(), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<TherapySession>, Error> {
    let (s, c) = session_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("session.view", "therapy_session", id).client(c.id),
        )
        .await?;
    Ok(Json(s))
}

async fn api_patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<SessionPatch>,
) -> Result<Json<TherapySession>, Error> {
    let (s, _) = session_for(&state, &user, id).await?;
    let input = patch.apply(s.to_input()).normalized();
    input.validate()?;
    Ok(Json(
        state
            .store
            .update_session(&user.actor(), id, &input)
            .await?,
    ))
}

// ----- Pages ----------------------------------------------------------------------------------

fn session_form(
    user: &CurrentUser,
    client: &Client,
    action: &str,
    title: &str,
    s: &SessionInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "session_form.html",
        minijinja::context! {
            title => title, client => client, action => action, s => s, errors => errors,
            modalities => MODALITIES, statuses => STATUSES, ..page_base(user)
        },
    )?;
    Ok((status, html).into_response())
}

fn input_from_form(f: &FormData) -> (SessionInput, Vec<FieldError>) {
    let mut errors = Vec::new();
    let duration = f.get("duration_minutes");
    let duration_minutes = match duration.parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.push(FieldError::new(
                "duration_minutes",
                "must be a whole number of minutes",
            ));
            0
        }
    };
    let start = f.get("start_time");
    let input = SessionInput {
        session_date: f.get("session_date"),
        start_time: if start.is_empty() { None } else { Some(start) },
        duration_minutes,
        modality: f.get("modality"),
        status: f.get("status"),
    };
    if errors.is_empty() {
        if let Err(e) = input.validate() {
            errors = e.0;
        }
    }
    (input, errors)
}

async fn new_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    state
        .audit(
            &user,
            Event::new("client.view", "client", id)
                .client(id)
                .detail(serde_json::json!({"page": "session.new"})),
        )
        .await?;
    let blank = SessionInput {
        session_date: state.today(),
        start_time: None,
        duration_minutes: 50,
        modality: "in_person".into(),
        status: "completed".into(),
    };
    Ok(session_form(
        &user,
        &client,
        &format!("/clients/{id}/sessions"),
        "New session",
        &blank,
        &[],
        StatusCode::OK,
    )?)
}

async fn create_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let (input, errors) = input_from_form(&form);
    if !errors.is_empty() {
        return Ok(session_form(
            &user,
            &client,
            &format!("/clients/{id}/sessions"),
            "New session",
            &input,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?);
    }
    state
        .store
        .create_session(&user.actor(), id, user.id(), &input)
        .await?;
    Ok(Redirect::to(&format!("/clients/{id}#sessions")).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (s, client) = session_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("session.view", "therapy_session", id).client(client.id),
        )
        .await?;
    Ok(session_form(
        &user,
        &client,
        &format!("/sessions/{id}/edit"),
        "Edit session",
        &s.to_input(),
        &[],
        StatusCode::OK,
    )?)
}

async fn edit_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let (_, client) = session_for(&state, &user, id).await?;
    let (input, errors) = input_from_form(&form);
    if !errors.is_empty() {
        return Ok(session_form(
            &user,
            &client,
            &format!("/sessions/{id}/edit"),
            "Edit session",
            &input,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )?);
    }
    state
        .store
        .update_session(&user.actor(), id, &input)
        .await?;
    Ok(Redirect::to(&format!("/clients/{}#sessions", client.id)).into_response())
}
