//! Drafts: storing a model draft (with its note row, in the drafting job's final transaction),
//! reading it, and saving the clinician's working copy (`drafts.edited`) inside the caller's
//! transaction. The model's original (`drafts.content`) is never changed. The review itself
//! (the working copy's document, what may change and when) is `notes`'.

use super::WriteTx;
use serde::Serialize;

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// Where a draft is: made by a drafting job (`pending`, `drafting`, then `ready` or
/// `failed`), changed by its clinician (`in_review`), then `signed` or `discarded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
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
    /// The JSON of the working copy: the clinician's, or the original until the first change.
    pub fn working_json(&self) -> &str {
        self.edited.as_deref().unwrap_or(&self.content)
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
/// transaction, audited, with a chart safety flag when the draft holds `risk_flags` risk flags
/// (counted by `notes::insert_draft_in`). Returns `(draft_id, note_id)`.
pub async fn insert_draft_in(
    conn: &mut WriteTx,
    actor: &Actor,
    d: &NewDraft,
    risk_flags: usize,
) -> Result<(i64, i64), StoreError> {
    let now = super::now();
    let draft_id = db!(&mut *conn, |x| {
        sqlx::query_scalar::<_, i64>(
        "INSERT INTO drafts (client_id, therapy_session_id, transcript_id, format, content, model,
            model_sha256, prompt_version, provenance, state, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ready', $10, $11, $12) RETURNING id",
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
    .fetch_one(x)
    .await
    })?;
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
    if risk_flags > 0 {
        exec!(&mut *conn, sqlx::query(
            "INSERT INTO safety_flags (client_id, kind, note_id, draft_id, detail, raised_at, raised_by)
             VALUES ($1, 'draft_risk', $2, $3, $4, $5, NULL)",
        )
        .bind(d.client_id)
        .bind(note_id)
        .bind(draft_id)
        .bind(format!(
            "{risk_flags} risk cue(s) in a drafted note: review and acknowledge them in the draft before signing"
        ))
        .bind(&now))?;
    }
    let ev = Event::new("draft.create", "draft", draft_id)
        .client(d.client_id)
        .detail(serde_json::json!({"note_id": note_id, "transcript_id": d.transcript_id, "format": d.format}));
    audit::append(conn, actor, &ev).await?;
    Ok((draft_id, note_id))
}

async fn insert_note_row(
    conn: &mut WriteTx,
    draft_id: i64,
    client_id: i64,
    session_id: Option<i64>,
    author_id: i64,
    format: &str,
) -> Result<i64, StoreError> {
    let now = super::now();
    Ok(db!(&mut *conn, |x| {
        sqlx::query_scalar::<_, i64>(
        "INSERT INTO notes (client_id, therapy_session_id, draft_id, author_id, format, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) RETURNING id",
    )
    .bind(client_id)
    .bind(session_id)
    .bind(draft_id)
    .bind(author_id)
    .bind(format)
    .bind(&now)
    .bind(&now)
    .fetch_one(x)
    .await
    })?)
}

/// The draft inside a transaction, with a note row created if it had none; `None` when there
/// is no such draft.
pub async fn draft_in(conn: &mut WriteTx, id: i64) -> Result<Option<DraftRow>, StoreError> {
    let row = db!(&mut *conn, |x| sqlx::query_as::<_, DraftRow>(
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = $1"))
    )
    .bind(id)
    .fetch_optional(x)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    if row.note_id.is_some() {
        return Ok(Some(row));
    }
    let author: i64 = db!(&mut *conn, |x| sqlx::query_scalar(
        "SELECT clinician_id FROM clients WHERE id = $1"
    )
    .bind(row.client_id)
    .fetch_one(x)
    .await)?;
    insert_note_row(
        conn,
        row.id,
        row.client_id,
        row.therapy_session_id,
        author,
        &row.format,
    )
    .await?;
    Ok(Some(db!(&mut *conn, |x| sqlx::query_as::<_, DraftRow>(
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = $1"))
    )
    .bind(id)
    .fetch_one(x)
    .await)?))
}

/// Saves the working copy (`edited_json`, the review document as JSON) of draft `draft_id`
/// and moves draft and note to `in_review`.
pub async fn write_review_in(
    conn: &mut WriteTx,
    draft_id: i64,
    edited_json: &str,
) -> Result<(), StoreError> {
    let now = super::now();
    exec!(
        &mut *conn,
        sqlx::query(
            "UPDATE drafts SET edited = $1, state = 'in_review', updated_at = $2 WHERE id = $3",
        )
        .bind(edited_json)
        .bind(&now)
        .bind(draft_id)
    )?;
    exec!(&mut *conn, sqlx::query("UPDATE notes SET state = 'in_review', updated_at = $1 WHERE draft_id = $2 AND state = 'draft'")
        .bind(&now)
        .bind(draft_id))?;
    Ok(())
}

/// Marks the chart safety flag raised for draft `draft_id`'s risk cues acknowledged by `by`
/// (once every risk flag of the draft is acknowledged in its review).
pub async fn acknowledge_risk_flag_in(
    conn: &mut WriteTx,
    draft_id: i64,
    by: Option<i64>,
) -> Result<(), StoreError> {
    exec!(
        &mut *conn,
        sqlx::query(
            "UPDATE safety_flags SET acknowledged_by = $1, acknowledged_at = $2,
                ack_comment = 'acknowledged in the draft review'
         WHERE draft_id = $3 AND kind = 'draft_risk' AND acknowledged_at IS NULL",
        )
        .bind(by)
        .bind(super::now())
        .bind(draft_id)
    )?;
    Ok(())
}

impl Store {
    /// A draft by id (no access check: callers check its client).
    pub async fn draft(&self, id: i64) -> Result<Option<DraftRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, DraftRow>(
            sqlx::AssertSqlSafe(format!("{SELECT} WHERE d.id = $1"))
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// The draft whose note is `note_id`.
    pub async fn draft_for_note(&self, note_id: i64) -> Result<Option<DraftRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, DraftRow>(
            sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE d.id = (SELECT draft_id FROM notes WHERE id = $1)"
            ))
        )
        .bind(note_id)
        .fetch_optional(x)
        .await)?)
    }

    /// A client's drafts and notes, newest first.
    pub async fn drafts_for_client(&self, client_id: i64) -> Result<Vec<DraftSummary>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, DraftSummary>(
            "SELECT d.id, d.format, d.state, d.created_at, d.updated_at, d.transcript_id,
                    COALESCE(d.therapy_session_id, r.therapy_session_id) AS therapy_session_id,
                    s.session_date, n.id AS note_id, n.state AS note_state, n.signed_at
             FROM drafts d
             LEFT JOIN notes n ON n.id = (SELECT MAX(id) FROM notes WHERE draft_id = d.id)
             LEFT JOIN transcripts t ON t.id = d.transcript_id
             LEFT JOIN recordings r ON r.id = t.recording_id
             LEFT JOIN therapy_sessions s ON s.id = COALESCE(d.therapy_session_id, r.therapy_session_id)
             WHERE d.client_id = $1 ORDER BY d.id DESC",
        )
        .bind(client_id)
        .fetch_all(x)
        .await
        })?)
    }
}
