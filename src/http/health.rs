//! `GET /healthz`: liveness and database check, no sign-in needed.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::{AppState, Error};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, Error> {
    state
        .store
        .ping()
        .await
        .map_err(|e| Error::Internal(format!("health check: {e}")))?;
    Ok(Json(
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}),
    ))
}
