//! A client's access log: `GET /api/v1/clients/{id}/audit` and the `/clients/{id}/audit` page
//! (who viewed or changed the chart, when, from where). Reading it is audited too.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::templates::render;
use super::{page_base, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::store::db;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients/{id}/audit", get(api_list))
        .route("/clients/{id}/audit", get(page))
}

/// One audit row with the actor's email.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct AccessRow {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub remote_addr: String,
}

async fn rows(
    state: &AppState,
    user: &CurrentUser,
    client_id: i64,
) -> Result<Vec<AccessRow>, Error> {
    state.client_for(user, client_id).await?;
    state
        .audit(
            user,
            Event::new("audit.view", "client", client_id).client(client_id),
        )
        .await?;
    db!(&state.store, |x| sqlx::query_as::<_, AccessRow>(
        "SELECT a.id, a.at, a.actor_id, u.email AS actor, a.action, a.resource_type, a.resource_id, a.remote_addr
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.client_id = $1 ORDER BY a.id DESC LIMIT 500",
    )
    .bind(client_id)
    .fetch_all(x)
    .await)
    .map_err(|e| Error::Internal(e.to_string()))
}

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let entries = rows(&state, &user, id).await?;
    Ok(Json(serde_json::json!({ "entries": entries })))
}

async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, PageError> {
    let entries = rows(&state, &user, id).await?;
    let client = state.client_for(&user, id).await?;
    Ok(render(
        "audit.html",
        minijinja::context! { title => "Access log", client => client, entries => entries, ..page_base(&user) },
    )?)
}
