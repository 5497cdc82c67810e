//! `GET /healthz`: liveness and database check, no sign-in needed.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::{AppState, Error};
use crate::store::db;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, Error> {
    db!(&state.store, |x| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(1 AS BIGINT)"
    )
    .fetch_one(x)
    .await)
    .map_err(|e| Error::Internal(format!("health check: {e}")))?;
    Ok(Json(
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}),
    ))
}
