//! Safety flags: `GET /api/v1/clients/{id}/flags`, `POST /api/v1/flags/{id}/acknowledge`
//! (body `{}` or `{"comment": ...}`), and the acknowledge button on the chart.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::{AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::store::SafetyFlag;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients/{id}/flags", get(api_list))
        .route("/api/v1/flags/{id}/acknowledge", post(api_ack))
        .route("/flags/{id}/acknowledge", post(ack_submit))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AckBody {
    #[serde(default)]
    comment: String,
}

async fn flag_for(state: &AppState, user: &CurrentUser, id: i64) -> Result<SafetyFlag, Error> {
    Ok(state.chart(user).flag(id).await?.0)
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let flags = state.within(&client).flags().await?;
    state
        .audit(&user, Event::new("flag.list", "client", id).client(id))
        .await?;
    Ok(Json(serde_json::json!({ "flags": flags })))
}

async fn acknowledge(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    comment: &str,
) -> Result<SafetyFlag, Error> {
    flag_for(state, user, id).await?;
    if comment.chars().count() > 2000 {
        return Err(Error::field("comment", "must be at most 2000 characters"));
    }
    Ok(state
        .store
        .acknowledge_flag(&user.actor(), id, user.id(), comment)
        .await?)
}

async fn api_ack(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<SafetyFlag>, Error> {
    let body: AckBody = if body.iter().all(|b| b.is_ascii_whitespace()) {
        AckBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| Error::field("body", e.to_string()))?
    };
    Ok(Json(acknowledge(&state, &user, id, &body.comment).await?))
}

async fn ack_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let f = acknowledge(&state, &user, id, &form.get("comment")).await?;
    Ok(Redirect::to(&format!("/clients/{}#flags", f.client_id)).into_response())
}
