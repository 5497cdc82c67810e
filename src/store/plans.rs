//! Versioned treatment plans: every save is a new version; old versions are kept (the table
//! refuses UPDATE and DELETE).

use super::WriteTx;
use serde::Serialize;

use super::db;
use super::plan_document::PlanDocument;
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// One stored version of a client's plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    pub id: i64,
    pub client_id: i64,
    pub version: i64,
    pub author_id: i64,
    pub author: String,
    pub created_at: String,
    pub reason: String,
    /// The note whose accepted plan updates produced this version, if any.
    pub source_note_id: Option<i64>,
    pub plan: PlanDocument,
}

/// A version in the history list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanVersionSummary {
    pub id: i64,
    pub version: i64,
    pub author_id: i64,
    pub author: String,
    pub created_at: String,
    pub reason: String,
    pub source_note_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    client_id: i64,
    version: i64,
    author_id: i64,
    author: String,
    created_at: String,
    reason: String,
    source_note_id: Option<i64>,
    document: String,
}

impl Row {
    fn into_version(self) -> Result<PlanVersion, StoreError> {
        let plan = serde_json::from_str(&self.document).map_err(|source| StoreError::Corrupt {
            what: "treatment plan",
            source,
        })?;
        Ok(PlanVersion {
            id: self.id,
            client_id: self.client_id,
            version: self.version,
            author_id: self.author_id,
            author: self.author,
            created_at: self.created_at,
            reason: self.reason,
            source_note_id: self.source_note_id,
            plan,
        })
    }
}

/// What a plan save needs besides the document.
#[derive(Debug, Clone, Default)]
pub struct PlanChange {
    pub reason: String,
    /// Provenance: the note this change came from.
    pub source_note_id: Option<i64>,
    /// Optimistic concurrency: the version the editor started from (0 = none yet). A mismatch
    /// with the current version is a `Conflict`.
    pub base_version: Option<i64>,
}

impl Store {
    /// The newest version of a client's plan.
    pub async fn current_plan(&self, client_id: i64) -> Result<Option<PlanVersion>, StoreError> {
        db!(self, |x| sqlx::query_as::<_, Row>(
            "SELECT p.id, p.client_id, p.version, p.author_id, u.email AS author, p.created_at,
                    p.reason, p.source_note_id, p.document
             FROM plan_versions p JOIN users u ON u.id = p.author_id
             WHERE p.client_id = $1 ORDER BY p.version DESC LIMIT 1",
        )
        .bind(client_id)
        .fetch_optional(x)
        .await)?
        .map(Row::into_version)
        .transpose()
    }

    /// One version of a client's plan.
    pub async fn plan_version(
        &self,
        client_id: i64,
        version: i64,
    ) -> Result<Option<PlanVersion>, StoreError> {
        db!(self, |x| sqlx::query_as::<_, Row>(
            "SELECT p.id, p.client_id, p.version, p.author_id, u.email AS author, p.created_at,
                    p.reason, p.source_note_id, p.document
             FROM plan_versions p JOIN users u ON u.id = p.author_id
             WHERE p.client_id = $1 AND p.version = $2",
        )
        .bind(client_id)
        .bind(version)
        .fetch_optional(x)
        .await)?
        .map(Row::into_version)
        .transpose()
    }

    /// Every version of a client's plan, newest first.
    pub async fn plan_versions(
        &self,
        client_id: i64,
    ) -> Result<Vec<PlanVersionSummary>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, PlanVersionSummary>(
            "SELECT p.id, p.version, p.author_id, u.email AS author, p.created_at, p.reason, p.source_note_id
             FROM plan_versions p JOIN users u ON u.id = p.author_id
             WHERE p.client_id = $1 ORDER BY p.version DESC",
        )
        .bind(client_id)
        .fetch_all(x)
        .await
        })?)
    }

    /// Saves `plan` (normalized and validated by the caller) as the next version.
    pub async fn save_plan(
        &self,
        actor: &Actor,
        client_id: i64,
        author_id: i64,
        plan: &PlanDocument,
        change: &PlanChange,
    ) -> Result<PlanVersion, StoreError> {
        let document = serde_json::to_string(plan).map_err(|source| StoreError::Corrupt {
            what: "treatment plan",
            source,
        })?;
        let mut tx = self.begin_write().await?;
        let current: i64 = db!(&mut tx, |x| sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_one(x)
        .await)?;
        if let Some(base) = change.base_version {
            if base != current {
                return Err(StoreError::Conflict(format!(
                    "the plan changed since you opened it: you edited version {base}, the current version is {current}"
                )));
            }
        }
        let version = current + 1;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO plan_versions (client_id, version, document, author_id, created_at, reason, source_note_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(client_id)
        .bind(version)
        .bind(&document)
        .bind(author_id)
        .bind(super::now())
        .bind(change.reason.trim())
        .bind(change.source_note_id)
        .fetch_one(x)
        .await
        })?;
        let ev = Event::new("plan.update", "plan_version", id)
            .client(client_id)
            .detail(
                serde_json::json!({"version": version, "source_note_id": change.source_note_id}),
            );
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.plan_version(client_id, version)
            .await?
            .ok_or(StoreError::NotFound("plan version"))
    }
}

/// The current version of a client's plan inside a transaction: its number and its document
/// (JSON); `None` before the first.
pub async fn current_plan_in(
    conn: &mut WriteTx,
    client_id: i64,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(db!(&mut *conn, |x| {
        sqlx::query_as(
        "SELECT version, document FROM plan_versions WHERE client_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(x)
    .await
    })?)
}

/// A plan version written by accepting a note's plan update or proposal.
#[derive(Debug, Clone)]
pub struct NotePlanVersion<'a> {
    pub client_id: i64,
    pub author_id: i64,
    /// The next version number (the current one + 1).
    pub version: i64,
    /// The plan (normalized and validated by the caller) as JSON.
    pub document: &'a str,
    pub reason: &'a str,
    /// The note the change came from.
    pub note_id: i64,
}

/// Inserts a plan version citing its note inside the caller's transaction, audited.
pub async fn insert_note_plan_version_in(
    conn: &mut WriteTx,
    actor: &Actor,
    v: &NotePlanVersion<'_>,
) -> Result<(), StoreError> {
    let id = db!(&mut *conn, |x| {
        sqlx::query_scalar::<_, i64>(
        "INSERT INTO plan_versions (client_id, version, document, author_id, created_at, reason, source_note_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(v.client_id)
    .bind(v.version)
    .bind(v.document)
    .bind(v.author_id)
    .bind(super::now())
    .bind(v.reason)
    .bind(v.note_id)
    .fetch_one(x)
    .await
    })?;
    let ev = Event::new("plan.update", "plan_version", id)
        .client(v.client_id)
        .detail(serde_json::json!({"version": v.version, "source_note_id": v.note_id}));
    audit::append(conn, actor, &ev).await?;
    Ok(())
}
