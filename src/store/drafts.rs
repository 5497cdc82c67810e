//! Drafts and their review: storing a model draft (with its note row, in the drafting job's
//! final transaction), reading it, and changing the clinician's working copy (`drafts.edited`)
//! in one write transaction per change, audited. The model's original (`drafts.content`) is
//! never changed.

use serde::Serialize;
use sqlx::SqliteConnection;

use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};
use crate::notes::{NoteError, ReviewDoc};

/// Where a draft is: made by a drafting job (`pending`, `drafting`, then `ready` or
/// `failed`), changed by its clinician (`in_review`), then `signed` or `discarded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum DraftState {
    Pending,
    Drafting,
    Ready,
    InReview,
    Signed,
    Discarded,
    Failed,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Pending => "pending",
            DraftState::Drafting => "drafting",
            DraftState::Ready => "ready",
            DraftState::InReview => "in_review",
            DraftState::Signed => "signed",
            DraftState::Discarded => "discarded",
            DraftState::Failed => "failed",
        }
    }

    /// Every state.
    pub const ALL: [DraftState; 7] = [
        DraftState::Pending,
        DraftState::Drafting,
        DraftState::Ready,
        DraftState::InReview,
        DraftState::Signed,
        DraftState::Discarded,
        DraftState::Failed,
    ];

    /// The one transition rule (migration 0012's trigger refuses the same): a pending draft
    /// is drafted (or fails, or is discarded), a draft being written becomes ready or fails; a
    /// ready draft is reviewed, signed or discarded, one in review signed or discarded; a
    /// signed draft goes back to review only when its co-signature is returned; a failed one
    /// can be tried again. Staying in a state is always a transition.
    pub fn may_become(self, next: DraftState) -> bool {
        use DraftState::*;
        self == next
            || matches!(
                (self, next),
                (Pending, Drafting | Failed | Discarded)
                    | (Drafting, Ready | Failed)
                    | (Ready, InReview | Signed | Discarded)
                    | (InReview, Signed | Discarded)
                    | (Signed, InReview)
                    | (Failed, Pending)
            )
    }

    /// Whether a clinician can review it (it holds a finished draft not yet signed).
    pub fn reviewable(self) -> bool {
        matches!(self, DraftState::Ready | DraftState::InReview)
    }
}

/// A stored draft.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DraftRow {
    pub id: i64,
    pub client_id: i64,
    pub therapy_session_id: Option<i64>,
    pub transcript_id: Option<i64>,
    pub format: String,
    /// The draft exactly as the model produced it (JSON).
    #[serde(skip)]
    pub content: String,
    /// The clinician's working copy (JSON), once they changed something.
    #[serde(skip)]
    pub edited: Option<String>,
    pub model: String,
    pub model_sha256: String,
    pub prompt_version: String,
    #[serde(skip)]
    pub provenance: String,
    pub state: DraftState,
    pub error: Option<String>,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The note row of this draft (created with it).
    pub note_id: Option<i64>,
    pub note_state: Option<crate::store::notes::NoteState>,
    /// The note's author (the clinician who reviews and signs).
    pub author_id: Option<i64>,
}

impl DraftRow {
    /// The model's original draft.
    pub fn original(&self) -> Result<ReviewDoc, NoteError> {
        ReviewDoc::parse(&self.content)
    }

    /// The working copy (the original until the first change).
    pub fn working(&self) -> Result<ReviewDoc, NoteError> {
        ReviewDoc::parse(self.edited.as_deref().unwrap_or(&self.content))
    }

    /// Signed, or its note is locked (awaiting co-signature, signed, amended).
    pub fn is_locked(&self) -> bool {
        self.state == DraftState::Signed || self.note_state.is_some_and(|s| s.is_locked())
    }
}

/// A draft in a client's list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DraftSummary {
    pub id: i64,
    pub format: String,
    pub state: DraftState,
    pub created_at: String,
    pub updated_at: String,
    pub transcript_id: Option<i64>,
    pub therapy_session_id: Option<i64>,
    pub session_date: Option<String>,
    pub note_id: Option<i64>,
    pub note_state: Option<crate::store::notes::NoteState>,
    pub signed_at: Option<String>,
}

/// A draft to store.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub client_id: i64,
    pub therapy_session_id: Option<i64>,
    pub transcript_id: Option<i64>,
    pub format: String,
    /// The draft JSON (`draft::Draft`).
    pub content: serde_json::Value,
    pub model: String,
    pub model_sha256: String,
    pub prompt_version: String,
    pub provenance: serde_json::Value,
    pub created_by: i64,
    /// Who reviews and signs (normally the client's clinician).
    pub author_id: i64,
}

const SELECT: &str = "SELECT d.id, d.client_id, d.therapy_session_id, d.transcript_id, d.format,
        d.content, d.edited, d.model, d.model_sha256, d.prompt_version, d.provenance, d.state,
        d.error, d.created_by, d.created_at, d.updated_at,
        n.id AS note_id, n.state AS note_state, n.author_id
    FROM drafts d LEFT JOIN notes n ON n.id = (SELECT MAX(id) FROM notes WHERE draft_id = d.id)";

/// Stores a draft (state `ready`) and its note row (state `draft`) inside the caller's
/// transaction, audited. Returns `(draft_id, note_id)`.
pub async fn insert_draft_in(
    conn: &mut SqliteConnection,
    actor: &Actor,
    d: &NewDraft,
) -> Result<(i64, i64), StoreError> {
    let now = super::now();
    let draft_id = sqlx::query(
        "INSERT INTO drafts (client_id, therapy_session_id, transcript_id, format, content, model,
            model_sha256, prompt_version, provenance, state, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)",
    )
    .bind(d.client_id)
    .bind(d.therapy_session_id)
    .bind(d.transcript_id)
    .bind(&d.format)
    .bind(d.content.to_string())
    .bind(&d.model)
    .bind(&d.model_sha256)
    .bind(&d.prompt_version)
    .bind(d.provenance.to_string())
    .bind(d.created_by)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    let note_id = insert_note_row(
        conn,
        draft_id,
        d.client_id,
        d.therapy_session_id,
        d.author_id,
        &d.format,
    )
    .await?;
    // Risk cues also raise a chart safety flag (PHI-free detail), acknowledged with the draft's.
    let risk_flags = d
        .content
        .get("flags")
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .filter(|f| f.as_str().is_some_and(crate::notes::review::is_risk_flag))
                .count()
        })
        .unwrap_or(0);
    if risk_flags > 0 {
        sqlx::query(
            "INSERT INTO safety_flags (client_id, kind, note_id, draft_id, detail, raised_at, raised_by)
             VALUES (?, 'draft_risk', ?, ?, ?, ?, NULL)",
        )
        .bind(d.client_id)
        .bind(note_id)
        .bind(draft_id)
        .bind(format!(
            "{risk_flags} risk cue(s) in a drafted note: review and acknowledge them in the draft before signing"
        ))
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    let ev = Event::new("draft.create", "draft", draft_id)
        .client(d.client_id)
        .detail(serde_json::json!({"note_id": note_id, "transcript_id": d.transcript_id, "format": d.format}));
    audit::append(conn, actor, &ev).await?;
    Ok((draft_id, note_id))
}

async fn insert_note_row(
    conn: &mut SqliteConnection,
    draft_id: i64,
    client_id: i64,
    session_id: Option<i64>,
    author_id: i64,
    format: &str,
) -> Result<i64, StoreError> {
    let now = super::now();
    Ok(sqlx::query(
        "INSERT INTO notes (client_id, therapy_session_id, draft_id, author_id, format, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
    )
    .bind(client_id)
    .bind(session_id)
    .bind(draft_id)
    .bind(author_id)
    .bind(format)
    .bind(&now)
    .bind(&now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid())
}

/// The draft inside a transaction, with a note row created if it had none.
pub async fn draft_in(conn: &mut SqliteConnection, id: i64) -> Result<DraftRow, NoteError> {
    let row =
        sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = ?")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(StoreError::from)?
            .ok_or(NoteError::NotFound("draft"))?;
    if row.note_id.is_some() {
        return Ok(row);
    }
    let author: i64 = sqlx::query_scalar("SELECT clinician_id FROM clients WHERE id = ?")
        .bind(row.client_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    insert_note_row(
        conn,
        row.id,
        row.client_id,
        row.therapy_session_id,
        author,
        &row.format,
    )
    .await?;
    Ok(
        sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = ?")))
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::from)?,
    )
}

/// Saves the working copy and moves draft and note to `in_review`.
pub async fn write_review_in(
    conn: &mut SqliteConnection,
    row: &DraftRow,
    doc: &ReviewDoc,
) -> Result<(), NoteError> {
    let json = serde_json::to_string(doc).map_err(|e| NoteError::Corrupt(e.to_string()))?;
    let now = super::now();
    sqlx::query("UPDATE drafts SET edited = ?, state = 'in_review', updated_at = ? WHERE id = ?")
        .bind(json)
        .bind(&now)
        .bind(row.id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    sqlx::query("UPDATE notes SET state = 'in_review', updated_at = ? WHERE draft_id = ? AND state = 'draft'")
        .bind(&now)
        .bind(row.id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from)?;
    Ok(())
}

/// Refuses changes to a signed (or locked) draft.
pub fn ensure_editable(row: &DraftRow) -> Result<(), NoteError> {
    if row.is_locked() {
        use crate::store::notes::NoteState;
        let what = match row.note_state {
            Some(NoteState::AwaitingCosign) => "is awaiting co-signature",
            Some(NoteState::Amended) => "was signed and amended",
            _ => "was signed",
        };
        return Err(NoteError::Conflict(format!(
            "this note {what} and can no longer be edited; add an addendum to the signed note (note {})",
            row.note_id.unwrap_or_default()
        )));
    }
    if !row.state.reviewable() {
        return Err(NoteError::Conflict(format!(
            "the draft is {}; it cannot be reviewed",
            row.state.as_str()
        )));
    }
    Ok(())
}

impl Store {
    /// A draft by id (no access check: callers check its client).
    pub async fn draft(&self, id: i64) -> Result<Option<DraftRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = ?")))
                .bind(id)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// The draft whose note is `note_id`.
    pub async fn draft_for_note(&self, note_id: i64) -> Result<Option<DraftRow>, StoreError> {
        Ok(sqlx::query_as::<_, DraftRow>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE d.id = (SELECT draft_id FROM notes WHERE id = ?)"
        )))
        .bind(note_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// A client's drafts and notes, newest first.
    pub async fn drafts_for_client(&self, client_id: i64) -> Result<Vec<DraftSummary>, StoreError> {
        Ok(sqlx::query_as::<_, DraftSummary>(
            "SELECT d.id, d.format, d.state, d.created_at, d.updated_at, d.transcript_id,
                    COALESCE(d.therapy_session_id, r.therapy_session_id) AS therapy_session_id,
                    s.session_date, n.id AS note_id, n.state AS note_state, n.signed_at
             FROM drafts d
             LEFT JOIN notes n ON n.id = (SELECT MAX(id) FROM notes WHERE draft_id = d.id)
             LEFT JOIN transcripts t ON t.id = d.transcript_id
             LEFT JOIN recordings r ON r.id = t.recording_id
             LEFT JOIN therapy_sessions s ON s.id = COALESCE(d.therapy_session_id, r.therapy_session_id)
             WHERE d.client_id = ? ORDER BY d.id DESC",
        )
        .bind(client_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Changes the working copy of draft `id` with `f` in one write transaction (refused once
    /// signed), audited as `action` with `detail`. Returns the draft row as it was loaded and
    /// the new working copy.
    pub async fn update_review<F>(
        &self,
        actor: &Actor,
        id: i64,
        action: &str,
        detail: serde_json::Value,
        f: F,
    ) -> Result<(DraftRow, ReviewDoc), NoteError>
    where
        F: FnOnce(&DraftRow, &mut ReviewDoc) -> Result<(), NoteError>,
    {
        let mut tx = self.begin_write().await?;
        let row = draft_in(&mut tx, id).await?;
        ensure_editable(&row)?;
        let mut doc = row.working()?;
        f(&row, &mut doc)?;
        write_review_in(&mut tx, &row, &doc).await?;
        if doc.unacknowledged_risk_flags().is_empty() {
            sqlx::query(
                "UPDATE safety_flags SET acknowledged_by = ?, acknowledged_at = ?,
                        ack_comment = 'acknowledged in the draft review'
                 WHERE draft_id = ? AND kind = 'draft_risk' AND acknowledged_at IS NULL",
            )
            .bind(actor.user_id)
            .bind(super::now())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        let ev = Event::new(action, "draft", id)
            .client(row.client_id)
            .detail(detail);
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok((row, doc))
    }
}
