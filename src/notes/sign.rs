//! Signing and what follows it: signing a reviewed draft, co-signature and return by a
//! supervisor, signed addenda, and the author-only process note. Each operation checks its rules
//! here and writes its rows (`store::notes`) and audit row in one write transaction.

use crate::store::WriteTx;
use serde_json::{json, Value};

use super::drafts::{draft_in, ensure_editable};
use super::{
    canonical, check_signable, signed_content, CitedSource, NoteError, NoteState, SignContext,
    ADDENDUM_ATTESTATION, ATTESTATION, COSIGN_ATTESTATION, MAX_ADDENDUM_CHARS,
    MAX_PROCESS_NOTE_CHARS,
};
use crate::audit::Actor;
use crate::store::notes::{self, NewAddendum, Signing};
use crate::store::{AddendumRow, DraftRow, NoteRow, Store, User};

impl AddendumRow {
    /// The canonical JSON an addendum's hash covers.
    pub fn canonical(&self, note_sha256: &str) -> String {
        addendum_canonical(
            self.note_id,
            note_sha256,
            self.author_id,
            &self.text,
            &self.signed_at,
        )
    }
}

fn addendum_canonical(
    note_id: i64,
    note_sha256: &str,
    author_id: i64,
    text: &str,
    signed_at: &str,
) -> String {
    canonical::to_string(&json!({
        "note_id": note_id,
        "note_sha256": note_sha256,
        "author_id": author_id,
        "text": text,
        "signed_at": signed_at,
        "attestation": ADDENDUM_ATTESTATION,
    }))
}

/// What a draft's citations can point at, read inside the signing transaction: its
/// transcript's current (corrected) segments, or its typed summary's sentences.
async fn cited_sources_in(
    conn: &mut WriteTx,
    row: &DraftRow,
) -> Result<std::collections::BTreeMap<u32, CitedSource>, NoteError> {
    if let Some(t) = row.transcript_id {
        return Ok(notes::transcript_sources_in(conn, t).await?);
    }
    let mut out = std::collections::BTreeMap::new();
    let content: Value = serde_json::from_str(&row.content).unwrap_or_default();
    for s in content["summary_segments"].as_array().into_iter().flatten() {
        let (Some(id), Some(text)) = (s["id"].as_u64(), s["text"].as_str()) else {
            continue;
        };
        if let Ok(id) = u32::try_from(id) {
            let src = CitedSource {
                speaker: "summary".into(),
                start: 0.0,
                text: text.to_string(),
            };
            out.insert(id, src);
        }
    }
    Ok(out)
}

/// A note inside a transaction.
async fn note_in(conn: &mut WriteTx, id: i64) -> Result<NoteRow, NoteError> {
    notes::note_in(conn, id)
        .await?
        .ok_or(NoteError::NotFound("note"))
}

/// Refuses a co-signature or return of a note that is not awaiting co-signature.
fn ensure_awaiting_cosign(note: &NoteRow) -> Result<(), NoteError> {
    if note.state != NoteState::AwaitingCosign {
        return Err(NoteError::Conflict(format!(
            "the note is {}, not awaiting co-signature",
            note.state.label()
        )));
    }
    Ok(())
}

/// Signs draft `draft_id` as `signer` (password already checked by the caller): builds the
/// signed content, stores it as canonical JSON with its SHA-256, records the signature and
/// locks the note (`signed`, or `awaiting_cosign` when the signer has a supervisor).
pub async fn sign_draft(
    store: &Store,
    actor: &Actor,
    draft_id: i64,
    signer: &User,
    format_name: &str,
) -> Result<NoteRow, NoteError> {
    let mut tx = store.begin_write().await?;
    let row = draft_in(&mut tx, draft_id).await?;
    ensure_editable(&row)?;
    let doc = row.working()?;
    check_signable(&doc)?;
    let original = row.original()?;
    let note_id = row.note_id.ok_or(NoteError::NotFound("note"))?;
    let (session_id, session_date) = notes::session_date_in(&mut tx, &row).await?;
    let signed_at = crate::store::now();
    let ctx = SignContext {
        note_id,
        client_id: row.client_id,
        therapy_session_id: session_id,
        session_date,
        draft_id,
        transcript_id: row.transcript_id,
        author_id: signer.id,
        author_name: signer.label().to_string(),
        signed_at: signed_at.clone(),
        format_name: format_name.to_string(),
        sources: cited_sources_in(&mut tx, &row).await?,
    };
    let content = signed_content(&doc, &original, &ctx);
    let (text, sha) = canonical::canonical_with_hash(&content);
    let state = if signer.supervisor_id.is_some() {
        NoteState::AwaitingCosign
    } else {
        NoteState::Signed
    };
    let chars_changed = doc
        .edit_measure(&original)
        .values()
        .map(|e| e.chars_changed)
        .sum();
    let signing = Signing {
        note_id,
        draft_id,
        client_id: row.client_id,
        signer_id: signer.id,
        therapy_session_id: session_id,
        state,
        content: &text,
        content_sha256: &sha,
        signed_at: &signed_at,
        attestation: ATTESTATION,
        chars_changed,
    };
    if !notes::sign_in(&mut tx, actor, &signing).await? {
        return Err(NoteError::Conflict("the note is already signed".into()));
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    store
        .note(note_id)
        .await?
        .ok_or(NoteError::NotFound("note"))
}

/// Co-signs a note awaiting co-signature (the caller checked `supervisor` supervises the
/// author).
pub async fn cosign_note(
    store: &Store,
    actor: &Actor,
    note_id: i64,
    supervisor: &User,
) -> Result<NoteRow, NoteError> {
    let mut tx = store.begin_write().await?;
    let note = note_in(&mut tx, note_id).await?;
    ensure_awaiting_cosign(&note)?;
    notes::cosign_in(&mut tx, actor, &note, supervisor.id, COSIGN_ATTESTATION).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    store
        .note(note_id)
        .await?
        .ok_or(NoteError::NotFound("note"))
}

/// Returns a note awaiting co-signature to its author with comments: the note goes back to
/// `in_review` and its draft becomes editable again.
pub async fn return_note(
    store: &Store,
    actor: &Actor,
    note_id: i64,
    comment: &str,
) -> Result<NoteRow, NoteError> {
    let mut tx = store.begin_write().await?;
    let note = note_in(&mut tx, note_id).await?;
    ensure_awaiting_cosign(&note)?;
    notes::return_in(&mut tx, actor, &note, comment).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    store
        .note(note_id)
        .await?
        .ok_or(NoteError::NotFound("note"))
}

/// Appends a signed addendum to a signed note (password checked by the caller); the note
/// becomes `amended`, its content untouched.
pub async fn add_addendum(
    store: &Store,
    actor: &Actor,
    note_id: i64,
    author: &User,
    text: &str,
) -> Result<AddendumRow, NoteError> {
    let text = text.replace("\r\n", "\n").trim().to_string();
    if text.is_empty() {
        return Err(NoteError::Invalid {
            field: "text".into(),
            reason: "is required".into(),
        });
    }
    if text.chars().count() > MAX_ADDENDUM_CHARS {
        return Err(NoteError::Invalid {
            field: "text".into(),
            reason: format!("must be at most {MAX_ADDENDUM_CHARS} characters"),
        });
    }
    let mut tx = store.begin_write().await?;
    let note = note_in(&mut tx, note_id).await?;
    if !note.state.is_signed() {
        return Err(NoteError::Conflict(match note.state {
            NoteState::AwaitingCosign => {
                "the note is awaiting co-signature; addenda are added once it is co-signed".into()
            }
            s => format!(
                "the note is {} (not signed): edit the draft instead of adding an addendum",
                s.label()
            ),
        }));
    }
    let at = crate::store::now();
    let canon = addendum_canonical(
        note_id,
        note.content_sha256.as_deref().unwrap_or(""),
        author.id,
        &text,
        &at,
    );
    let sha = canonical::sha256_hex(&canon);
    let addendum = NewAddendum {
        note_id,
        client_id: note.client_id,
        author_id: author.id,
        text: &text,
        at: &at,
        content_sha256: &sha,
        amend: note.state == NoteState::Signed,
    };
    let id = notes::add_addendum_in(&mut tx, actor, &addendum).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(AddendumRow {
        id,
        note_id,
        author_id: author.id,
        author: author.label().to_string(),
        text,
        created_at: at.clone(),
        signed_at: at,
        content_sha256: sha,
    })
}

/// Saves the process note of `note_id` for its author. Another user's process note for the
/// same note is never overwritten (`Conflict`).
pub async fn set_process_note(
    store: &Store,
    actor: &Actor,
    note_id: i64,
    client_id: i64,
    author_id: i64,
    text: &str,
) -> Result<(), NoteError> {
    if text.chars().count() > MAX_PROCESS_NOTE_CHARS {
        return Err(NoteError::Invalid {
            field: "process_notes".into(),
            reason: format!("must be at most {MAX_PROCESS_NOTE_CHARS} characters"),
        });
    }
    let mut tx = store.begin_write().await?;
    let owner = notes::process_note_author_in(&mut tx, note_id).await?;
    if owner.is_some_and(|o| o != author_id) {
        return Err(NoteError::Conflict(
            "process notes belong to their author only".into(),
        ));
    }
    notes::save_process_note_in(
        &mut tx,
        actor,
        note_id,
        client_id,
        author_id,
        text,
        owner.is_some(),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(())
}
