//! A stored draft under review: its two documents (the model's original and the clinician's
//! working copy), whether it may still change, and each change to the working copy in one write
//! transaction with its audit row. The rows are `store::drafts`'.

use crate::store::WriteTx;

use super::review::is_risk_flag;
use super::{NoteError, NoteState, ReviewDoc};
use crate::audit::{self, Actor, Event};
use crate::store::drafts::{self, DraftRow, NewDraft};
use crate::store::{Store, StoreError};

impl DraftRow {
    /// The model's original draft.
    pub fn original(&self) -> Result<ReviewDoc, NoteError> {
        ReviewDoc::parse(&self.content)
    }

    /// The working copy (the original until the first change).
    pub fn working(&self) -> Result<ReviewDoc, NoteError> {
        ReviewDoc::parse(self.working_json())
    }
}

/// Stores a model draft and its note row inside the caller's transaction, audited; its risk
/// flags also raise a chart safety flag, acknowledged with the draft's. Returns
/// `(draft_id, note_id)`.
pub async fn insert_draft_in(
    conn: &mut WriteTx,
    actor: &Actor,
    d: &NewDraft,
) -> Result<(i64, i64), StoreError> {
    let risk_flags = d
        .content
        .get("flags")
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .filter(|f| f.as_str().is_some_and(is_risk_flag))
                .count()
        })
        .unwrap_or(0);
    drafts::insert_draft_in(conn, actor, d, risk_flags).await
}

/// The draft inside a transaction, with a note row created if it had none.
pub async fn draft_in(conn: &mut WriteTx, id: i64) -> Result<DraftRow, NoteError> {
    drafts::draft_in(conn, id)
        .await?
        .ok_or(NoteError::NotFound("draft"))
}

/// Saves the working copy and moves draft and note to `in_review`.
pub async fn write_review_in(
    conn: &mut WriteTx,
    row: &DraftRow,
    doc: &ReviewDoc,
) -> Result<(), NoteError> {
    let json = serde_json::to_string(doc).map_err(|e| NoteError::Corrupt(e.to_string()))?;
    drafts::write_review_in(conn, row.id, &json).await?;
    Ok(())
}

/// Refuses changes to a signed (or locked) draft.
pub fn ensure_editable(row: &DraftRow) -> Result<(), NoteError> {
    if row.is_locked() {
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

/// Changes the working copy of draft `id` with `f` in one write transaction (refused once
/// signed), audited as `action` with `detail`; once no risk flag is left unacknowledged, the
/// draft's chart safety flag is acknowledged too. Returns the draft row as it was loaded and
/// the new working copy.
pub async fn update_review<F>(
    store: &Store,
    actor: &Actor,
    id: i64,
    action: &str,
    detail: serde_json::Value,
    f: F,
) -> Result<(DraftRow, ReviewDoc), NoteError>
where
    F: FnOnce(&DraftRow, &mut ReviewDoc) -> Result<(), NoteError>,
{
    let mut tx = store.begin_write().await?;
    let row = draft_in(&mut tx, id).await?;
    ensure_editable(&row)?;
    let mut doc = row.working()?;
    f(&row, &mut doc)?;
    write_review_in(&mut tx, &row, &doc).await?;
    if doc.unacknowledged_risk_flags().is_empty() {
        drafts::acknowledge_risk_flag_in(&mut tx, id, actor.user_id).await?;
    }
    let ev = Event::new(action, "draft", id)
        .client(row.client_id)
        .detail(detail);
    audit::append(&mut tx, actor, &ev).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok((row, doc))
}
