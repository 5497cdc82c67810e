//! Safety flags on a chart (e.g. PHQ-9 item 9 above 0) and their acknowledgement.

use serde::Serialize;

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// A safety flag.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SafetyFlag {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub measure_id: Option<i64>,
    pub note_id: Option<i64>,
    pub draft_id: Option<i64>,
    pub detail: String,
    pub raised_at: String,
    pub raised_by: Option<i64>,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: Option<String>,
    pub ack_comment: String,
}

/// A flag to raise from elsewhere (e.g. a risk cue in a draft).
#[derive(Debug, Clone, Default)]
pub struct NewFlag {
    pub client_id: i64,
    pub kind: String,
    pub measure_id: Option<i64>,
    pub note_id: Option<i64>,
    pub draft_id: Option<i64>,
    /// A fixed, PHI-free explanation.
    pub detail: String,
    pub raised_by: Option<i64>,
}

impl Store {
    /// A flag by id (no access check: callers check its client).
    pub async fn safety_flag(&self, id: i64) -> Result<Option<SafetyFlag>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, SafetyFlag>(
            "SELECT * FROM safety_flags WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A client's flags: unacknowledged first, then newest first.
    pub async fn list_flags(&self, client_id: i64) -> Result<Vec<SafetyFlag>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, SafetyFlag>(
            "SELECT * FROM safety_flags WHERE client_id = $1
             ORDER BY (acknowledged_at IS NOT NULL), raised_at DESC, id DESC",
        )
        .bind(client_id)
        .fetch_all(x)
        .await)?)
    }

    /// Raises a flag.
    pub async fn raise_flag(&self, actor: &Actor, f: &NewFlag) -> Result<SafetyFlag, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO safety_flags (client_id, kind, measure_id, note_id, draft_id, detail, raised_at, raised_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(f.client_id)
        .bind(&f.kind)
        .bind(f.measure_id)
        .bind(f.note_id)
        .bind(f.draft_id)
        .bind(&f.detail)
        .bind(super::now())
        .bind(f.raised_by)
        .fetch_one(x)
        .await
        })?;
        let ev = Event::new("flag.raise", "safety_flag", id)
            .client(f.client_id)
            .detail(
                serde_json::json!({"kind": f.kind, "draft_id": f.draft_id, "note_id": f.note_id}),
            );
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.safety_flag(id)
            .await?
            .ok_or(StoreError::NotFound("safety flag"))
    }

    /// Acknowledges a flag; acknowledging twice is a `Conflict`.
    pub async fn acknowledge_flag(
        &self,
        actor: &Actor,
        id: i64,
        user_id: i64,
        comment: &str,
    ) -> Result<SafetyFlag, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = exec!(&mut tx, sqlx::query(
            "UPDATE safety_flags SET acknowledged_by = $1, acknowledged_at = $2, ack_comment = $3
             WHERE id = $4 AND acknowledged_at IS NULL",
        )
        .bind(user_id)
        .bind(super::now())
        .bind(comment.trim())
        .bind(id))?;
        if changed == 0 {
            let exists: Option<i64> = db!(&mut tx, |x| sqlx::query_scalar(
                "SELECT id FROM safety_flags WHERE id = $1"
            )
            .bind(id)
            .fetch_optional(x)
            .await)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("this safety flag was already acknowledged".into()),
                None => StoreError::NotFound("safety flag"),
            });
        }
        let client_id: i64 = db!(&mut tx, |x| sqlx::query_scalar(
            "SELECT client_id FROM safety_flags WHERE id = $1"
        )
        .bind(id)
        .fetch_one(x)
        .await)?;
        let ev = Event::new("flag.acknowledge", "safety_flag", id).client(client_id);
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.safety_flag(id)
            .await?
            .ok_or(StoreError::NotFound("safety flag"))
    }
}
