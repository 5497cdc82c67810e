//! A client's access log: `GET /api/v1/clients/{id}/audit` and the `/clients/{id}/audit` page
//! (who viewed or changed the chart, when, from where). Reading it is audited too.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};

use super::templates::render;
use super::{page_base, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::{AccessEntry, Event};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients/{id}/audit", get(api_list))
        .route("/clients/{id}/audit", get(page))
}

async fn rows(
    state: &AppState,
    user: &CurrentUser,
    client_id: i64,
) -> Result<Vec<AccessEntry>, Error> {
    state.client_for(user, client_id).await?;
    state
        .audit(
            user,
            Event::new("audit.view", "client", client_id).client(client_id),
        )
        .await?;
    crate::audit::client_access_log(&state.store, client_id, 500)
        .await
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
