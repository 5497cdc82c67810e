//! Progress notes: signing a reviewed draft (content as canonical JSON + SHA-256, a signature
//! row, the note locked by the database), co-signature and return by a supervisor, signed
//! addenda, author-only process notes, and plan-update / proposal decisions that write a new
//! plan version citing the note. Each operation is one write transaction with its audit row.

use serde::Serialize;
use serde_json::json;
use sqlx::SqliteConnection;

use super::drafts::{draft_in, ensure_editable, write_review_in, DraftRow};
use super::{Store, StoreError, User};
use crate::audit::{self, Actor, Event};

/// What a draft's citations can point at, read inside the signing transaction: its
/// transcript's current (corrected) segments, or its typed summary's sentences.
async fn cited_sources_in(
    conn: &mut SqliteConnection,
    row: &DraftRow,
) -> Result<std::collections::BTreeMap<u32, notes::CitedSource>, StoreError> {
    let mut out = std::collections::BTreeMap::new();
    match row.transcript_id {
        Some(t) => {
            let segs: Vec<(i64, f64, String, String)> = sqlx::query_as(
                "SELECT seg_index, start_s, speaker, text FROM transcript_segments_current
                 WHERE transcript_id = ? ORDER BY seg_index",
            )
            .bind(t)
            .fetch_all(&mut *conn)
            .await?;
            for (id, start, speaker, text) in segs {
                if let Ok(id) = u32::try_from(id) {
                    out.insert(
                        id,
                        notes::CitedSource {
                            speaker,
                            start,
                            text,
                        },
                    );
                }
            }
        }
        None => {
            let content: serde_json::Value = serde_json::from_str(&row.content).unwrap_or_default();
            for s in content["summary_segments"].as_array().into_iter().flatten() {
                let (Some(id), Some(text)) = (s["id"].as_u64(), s["text"].as_str()) else {
                    continue;
                };
                if let Ok(id) = u32::try_from(id) {
                    let src = notes::CitedSource {
                        speaker: "summary".into(),
                        start: 0.0,
                        text: text.to_string(),
                    };
                    out.insert(id, src);
                }
            }
        }
    }
    Ok(out)
}

/// A version of a note as it was signed (canonical JSON and its SHA-256).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SignedVersion {
    pub id: i64,
    pub note_id: i64,
    pub content: String,
    pub content_sha256: String,
    pub signed_at: String,
}
use super::plan_document::PlanDocument;
use crate::crypto::canonical;
use crate::notes::review::{Decided, Decision};
use crate::notes::{self, AcceptEdit, NoteError, ReviewDoc, SignContext};

/// Where a progress note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(rename_all = "snake_case")]
pub enum NoteState {
    Draft,
    InReview,
    AwaitingCosign,
    Signed,
    Amended,
}

impl NoteState {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteState::Draft => "draft",
            NoteState::InReview => "in_review",
            NoteState::AwaitingCosign => "awaiting_cosign",
            NoteState::Signed => "signed",
            NoteState::Amended => "amended",
        }
    }

    /// The label shown in the chart.
    pub fn label(self) -> &'static str {
        match self {
            NoteState::Draft => "draft",
            NoteState::InReview => "in review",
            NoteState::AwaitingCosign => "awaiting co-signature",
            NoteState::Signed => "signed",
            NoteState::Amended => "amended",
        }
    }

    /// Every state, in the order a note goes through them.
    pub const ALL: [NoteState; 5] = [
        NoteState::Draft,
        NoteState::InReview,
        NoteState::AwaitingCosign,
        NoteState::Signed,
        NoteState::Amended,
    ];

    /// The one transition rule (migration 0012's trigger refuses the same): a draft is
    /// reviewed; a draft or a note in review is signed (or, by a supervisee, awaits
    /// co-signature); a note awaiting co-signature is co-signed or returned for review; a
    /// signed note is amended by an addendum. Staying in a state is always a transition (what
    /// may change then is for the other triggers: nothing of a signed note's content).
    pub fn may_become(self, next: NoteState) -> bool {
        use NoteState::*;
        self == next
            || matches!(
                (self, next),
                (Draft, InReview)
                    | (Draft | InReview, AwaitingCosign | Signed)
                    | (AwaitingCosign, Signed | InReview)
                    | (Signed, Amended)
            )
    }

    /// Signed or amended: the note is final (exportable, open to addenda).
    pub fn is_signed(self) -> bool {
        matches!(self, NoteState::Signed | NoteState::Amended)
    }

    /// Signed, amended or awaiting co-signature: the content is locked.
    pub fn is_locked(self) -> bool {
        matches!(
            self,
            NoteState::AwaitingCosign | NoteState::Signed | NoteState::Amended
        )
    }
}

/// A stored note.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub client_id: i64,
    pub therapy_session_id: Option<i64>,
    pub draft_id: Option<i64>,
    pub author_id: i64,
    pub format: String,
    pub state: NoteState,
    /// The signed content: canonical JSON (what `content_sha256` hashes).
    #[serde(skip)]
    pub content: String,
    pub content_sha256: Option<String>,
    pub review_comment: String,
    pub created_at: String,
    pub updated_at: String,
    pub signed_at: Option<String>,
}

impl NoteRow {
    /// The signed content as JSON (`{}` before signing).
    pub fn content_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.content).unwrap_or_else(|_| json!({}))
    }

    /// Recomputes the SHA-256 of the stored canonical content and compares it with the one
    /// recorded at signature.
    pub fn hash_verifies(&self) -> bool {
        self.content_sha256
            .as_deref()
            .is_some_and(|h| canonical::verify(&self.content, h))
    }

    pub fn is_locked(&self) -> bool {
        self.state.is_locked()
    }
}

/// A signature or co-signature.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SignatureRow {
    pub id: i64,
    pub note_id: i64,
    pub signer_id: i64,
    pub signer: String,
    pub kind: String,
    pub signed_at: String,
    pub content_sha256: String,
    pub attestation: String,
}

/// An addendum to a signed note.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AddendumRow {
    pub id: i64,
    pub note_id: i64,
    pub author_id: i64,
    pub author: String,
    pub text: String,
    pub created_at: String,
    pub signed_at: String,
    pub content_sha256: String,
}

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
        "attestation": notes::ADDENDUM_ATTESTATION,
    }))
}

/// The date plan entries from this draft carry: its session's date, else today.
async fn session_date_in(
    conn: &mut SqliteConnection,
    row: &DraftRow,
) -> Result<(Option<i64>, Option<String>), StoreError> {
    let r: Option<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.session_date FROM therapy_sessions s WHERE s.id = COALESCE(?,
            (SELECT r.therapy_session_id FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE t.id = ?))",
    )
    .bind(row.therapy_session_id)
    .bind(row.transcript_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match r {
        Some((id, d)) => (Some(id), Some(d)),
        None => (row.therapy_session_id, None),
    })
}

async fn current_plan_in(
    conn: &mut SqliteConnection,
    client_id: i64,
) -> Result<(i64, PlanDocument), NoteError> {
    let r: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, document FROM plan_versions WHERE client_id = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(&mut *conn)
    .await?;
    match r {
        Some((v, doc)) => Ok((
            v,
            serde_json::from_str(&doc)
                .map_err(|e| NoteError::Corrupt(format!("treatment plan: {e}")))?,
        )),
        None => Ok((0, PlanDocument::default())),
    }
}

/// Inserts the next plan version (validated) citing `note_id`; returns the version number.
#[allow(clippy::too_many_arguments)]
async fn insert_plan_version_in(
    conn: &mut SqliteConnection,
    actor: &Actor,
    client_id: i64,
    author_id: i64,
    base: i64,
    plan: PlanDocument,
    reason: &str,
    note_id: i64,
) -> Result<i64, NoteError> {
    let plan = plan.normalized();
    plan.validate().map_err(|inv| NoteError::Invalid {
        field: inv
            .0
            .first()
            .map(|f| f.field.clone())
            .unwrap_or_else(|| "plan".into()),
        reason: inv.to_string(),
    })?;
    let document = serde_json::to_string(&plan).map_err(|e| NoteError::Corrupt(e.to_string()))?;
    let version = base + 1;
    let id = sqlx::query(
        "INSERT INTO plan_versions (client_id, version, document, author_id, created_at, reason, source_note_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(client_id)
    .bind(version)
    .bind(&document)
    .bind(author_id)
    .bind(super::now())
    .bind(reason)
    .bind(note_id)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    let ev = Event::new("plan.update", "plan_version", id)
        .client(client_id)
        .detail(json!({"version": version, "source_note_id": note_id}));
    audit::append(conn, actor, &ev).await?;
    Ok(version)
}

/// Which list a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionTarget {
    PlanUpdate,
    Proposal,
}

const NOTE_SELECT: &str =
    "SELECT id, client_id, therapy_session_id, draft_id, author_id, format, state, content,
        content_sha256, review_comment, created_at, updated_at, signed_at FROM notes";

impl Store {
    /// A note by id (no access check).
    pub async fn note(&self, id: i64) -> Result<Option<NoteRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, NoteRow>(sqlx::AssertSqlSafe(format!(
                "{NOTE_SELECT} WHERE id = ?"
            )))
            .bind(id)
            .fetch_optional(self.pool())
            .await?,
        )
    }

    /// A note's signatures, oldest first.
    pub async fn signatures(&self, note_id: i64) -> Result<Vec<SignatureRow>, StoreError> {
        Ok(sqlx::query_as::<_, SignatureRow>(
            "SELECT s.id, s.note_id, s.signer_id, CASE WHEN u.display_name = '' THEN u.email ELSE u.display_name END AS signer,
                    s.kind, s.signed_at, s.content_sha256, s.attestation
             FROM signatures s JOIN users u ON u.id = s.signer_id WHERE s.note_id = ? ORDER BY s.id",
        )
        .bind(note_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// A note's addenda, oldest first.
    pub async fn addenda(&self, note_id: i64) -> Result<Vec<AddendumRow>, StoreError> {
        Ok(sqlx::query_as::<_, AddendumRow>(
            "SELECT a.id, a.note_id, a.author_id, CASE WHEN u.display_name = '' THEN u.email ELSE u.display_name END AS author,
                    a.text, a.created_at, a.signed_at, a.content_sha256
             FROM addenda a JOIN users u ON u.id = a.author_id WHERE a.note_id = ? ORDER BY a.id",
        )
        .bind(note_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Every version of a note that was signed, oldest first, exactly as signed.
    pub async fn signed_versions(&self, note_id: i64) -> Result<Vec<SignedVersion>, StoreError> {
        Ok(sqlx::query_as::<_, SignedVersion>(
            "SELECT id, note_id, content, content_sha256, signed_at FROM signed_versions
             WHERE note_id = ? ORDER BY id",
        )
        .bind(note_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Signs draft `draft_id` as `signer` (password already checked by the caller): builds the
    /// signed content, stores it as canonical JSON with its SHA-256, records the signature and
    /// locks the note (`signed`, or `awaiting_cosign` when the signer has a supervisor).
    pub async fn sign_draft(
        &self,
        actor: &Actor,
        draft_id: i64,
        signer: &User,
        format_name: &str,
    ) -> Result<NoteRow, NoteError> {
        let mut tx = self.begin_write().await?;
        let row = draft_in(&mut tx, draft_id).await?;
        ensure_editable(&row)?;
        let doc = row.working()?;
        notes::check_signable(&doc)?;
        let original = row.original()?;
        let note_id = row.note_id.ok_or(NoteError::NotFound("note"))?;
        let (session_id, session_date) = session_date_in(&mut tx, &row).await?;
        let signed_at = super::now();
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
        let content = notes::signed_content(&doc, &original, &ctx);
        let (text, sha) = canonical::canonical_with_hash(&content);
        let state = if signer.supervisor_id.is_some() {
            "awaiting_cosign"
        } else {
            "signed"
        };
        let n = sqlx::query(
            "UPDATE notes SET content = ?, content_sha256 = ?, state = ?, author_id = ?, therapy_session_id = ?,
                    signed_at = ?, updated_at = ?, review_comment = ''
             WHERE id = ? AND state IN ('draft', 'in_review')",
        )
        .bind(&text)
        .bind(&sha)
        .bind(state)
        .bind(signer.id)
        .bind(session_id)
        .bind(&signed_at)
        .bind(&signed_at)
        .bind(note_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(NoteError::Conflict("the note is already signed".into()));
        }
        let mac = audit::keyed::connection_mac(
            &mut tx,
            &audit::keyed::signature_text(note_id, signer.id, "sign", &signed_at, &sha),
        )
        .await;
        sqlx::query(
            "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256, attestation, mac)
             VALUES (?, ?, 'sign', ?, ?, ?, ?)",
        )
        .bind(note_id)
        .bind(signer.id)
        .bind(&signed_at)
        .bind(&sha)
        .bind(notes::ATTESTATION)
        .bind(mac)
        .execute(&mut *tx)
        .await?;
        // Kept for good: a later return and re-signature replaces notes.content, never this.
        sqlx::query(
            "INSERT OR IGNORE INTO signed_versions (note_id, content, content_sha256, signed_at)
             VALUES (?, ?, ?, ?)",
        )
        .bind(note_id)
        .bind(&text)
        .bind(&sha)
        .bind(&signed_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE drafts SET state = 'signed', updated_at = ? WHERE id = ?")
            .bind(&signed_at)
            .bind(draft_id)
            .execute(&mut *tx)
            .await?;
        let edit_total: usize = doc
            .edit_measure(&original)
            .values()
            .map(|e| e.chars_changed)
            .sum();
        let ev = Event::new("note.sign", "note", note_id).client(row.client_id).detail(json!({
            "draft_id": draft_id, "state": state, "content_sha256": sha, "chars_changed": edit_total,
        }));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.note(note_id).await?.ok_or(NoteError::NotFound("note"))
    }

    /// Co-signs a note awaiting co-signature (the caller checked `supervisor` supervises the
    /// author).
    pub async fn cosign_note(
        &self,
        actor: &Actor,
        note_id: i64,
        supervisor: &User,
    ) -> Result<NoteRow, NoteError> {
        let mut tx = self.begin_write().await?;
        let note = note_in(&mut tx, note_id).await?;
        if note.state != NoteState::AwaitingCosign {
            return Err(NoteError::Conflict(format!(
                "the note is {}, not awaiting co-signature",
                note.state.label()
            )));
        }
        let at = super::now();
        sqlx::query("UPDATE notes SET state = 'signed', updated_at = ? WHERE id = ? AND state = 'awaiting_cosign'")
            .bind(&at)
            .bind(note_id)
            .execute(&mut *tx)
            .await?;
        let sha = note.content_sha256.as_deref().unwrap_or_default();
        let mac = audit::keyed::connection_mac(
            &mut tx,
            &audit::keyed::signature_text(note_id, supervisor.id, "cosign", &at, sha),
        )
        .await;
        sqlx::query(
            "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256, attestation, mac)
             VALUES (?, ?, 'cosign', ?, ?, ?, ?)",
        )
        .bind(note_id)
        .bind(supervisor.id)
        .bind(&at)
        .bind(sha)
        .bind(notes::COSIGN_ATTESTATION)
        .bind(mac)
        .execute(&mut *tx)
        .await?;
        let ev = Event::new("note.cosign", "note", note_id).client(note.client_id);
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.note(note_id).await?.ok_or(NoteError::NotFound("note"))
    }

    /// Returns a note awaiting co-signature to its author with comments: the note goes back to
    /// `in_review` and its draft becomes editable again.
    pub async fn return_note(
        &self,
        actor: &Actor,
        note_id: i64,
        comment: &str,
    ) -> Result<NoteRow, NoteError> {
        let mut tx = self.begin_write().await?;
        let note = note_in(&mut tx, note_id).await?;
        if note.state != NoteState::AwaitingCosign {
            return Err(NoteError::Conflict(format!(
                "the note is {}, not awaiting co-signature",
                note.state.label()
            )));
        }
        let at = super::now();
        sqlx::query(
            "UPDATE notes SET state = 'in_review', review_comment = ?, updated_at = ? WHERE id = ?",
        )
        .bind(comment)
        .bind(&at)
        .bind(note_id)
        .execute(&mut *tx)
        .await?;
        if let Some(d) = note.draft_id {
            sqlx::query("UPDATE drafts SET state = 'in_review', updated_at = ? WHERE id = ?")
                .bind(&at)
                .bind(d)
                .execute(&mut *tx)
                .await?;
        }
        let ev = Event::new("note.return", "note", note_id).client(note.client_id);
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.note(note_id).await?.ok_or(NoteError::NotFound("note"))
    }

    /// Appends a signed addendum to a signed note (password checked by the caller); the note
    /// becomes `amended`, its content untouched.
    pub async fn add_addendum(
        &self,
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
        if text.chars().count() > notes::MAX_ADDENDUM_CHARS {
            return Err(NoteError::Invalid {
                field: "text".into(),
                reason: format!("must be at most {} characters", notes::MAX_ADDENDUM_CHARS),
            });
        }
        let mut tx = self.begin_write().await?;
        let note = note_in(&mut tx, note_id).await?;
        if !note.state.is_signed() {
            return Err(NoteError::Conflict(match note.state {
                NoteState::AwaitingCosign => {
                    "the note is awaiting co-signature; addenda are added once it is co-signed"
                        .into()
                }
                s => format!(
                    "the note is {} (not signed): edit the draft instead of adding an addendum",
                    s.label()
                ),
            }));
        }
        let at = super::now();
        let canon = addendum_canonical(
            note_id,
            note.content_sha256.as_deref().unwrap_or(""),
            author.id,
            &text,
            &at,
        );
        let sha = canonical::sha256_hex(&canon);
        let id = sqlx::query(
            "INSERT INTO addenda (note_id, author_id, text, created_at, signed_at, content_sha256) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(note_id)
        .bind(author.id)
        .bind(&text)
        .bind(&at)
        .bind(&at)
        .bind(&sha)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        if note.state == NoteState::Signed {
            sqlx::query("UPDATE notes SET state = 'amended' WHERE id = ?")
                .bind(note_id)
                .execute(&mut *tx)
                .await?;
        }
        let ev = Event::new("note.addendum", "note", note_id)
            .client(note.client_id)
            .detail(json!({"addendum_id": id, "content_sha256": sha}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
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

    /// The process note of `note_id` written by `author_id` (only its author ever reads it).
    pub async fn process_note(
        &self,
        note_id: i64,
        author_id: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar(
                "SELECT text FROM process_notes WHERE note_id = ? AND author_id = ?",
            )
            .bind(note_id)
            .bind(author_id)
            .fetch_optional(self.pool())
            .await?,
        )
    }

    /// Saves the process note of `note_id` for its author. Another user's process note for the
    /// same note is never overwritten (`Conflict`).
    pub async fn set_process_note(
        &self,
        actor: &Actor,
        note_id: i64,
        client_id: i64,
        author_id: i64,
        text: &str,
    ) -> Result<(), NoteError> {
        if text.chars().count() > notes::MAX_PROCESS_NOTE_CHARS {
            return Err(NoteError::Invalid {
                field: "process_notes".into(),
                reason: format!(
                    "must be at most {} characters",
                    notes::MAX_PROCESS_NOTE_CHARS
                ),
            });
        }
        let mut tx = self.begin_write().await?;
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT author_id FROM process_notes WHERE note_id = ?")
                .bind(note_id)
                .fetch_optional(&mut *tx)
                .await?;
        let at = super::now();
        match owner {
            Some(o) if o != author_id => {
                return Err(NoteError::Conflict(
                    "process notes belong to their author only".into(),
                ))
            }
            Some(_) => {
                sqlx::query("UPDATE process_notes SET text = ?, updated_at = ? WHERE note_id = ?")
                    .bind(text)
                    .bind(&at)
                    .bind(note_id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query("INSERT INTO process_notes (note_id, author_id, text, updated_at) VALUES (?, ?, ?, ?)")
                    .bind(note_id)
                    .bind(author_id)
                    .bind(text)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let ev = Event::new("note.process_notes.update", "note", note_id).client(client_id);
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Accepts or rejects plan update / proposal `n` of a draft. An accepted one writes a new
    /// plan version whose `source_note_id` is the draft's note (same transaction). Returns the
    /// new working copy and the plan version created, if any.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        &self,
        actor: &Actor,
        draft_id: i64,
        target: DecisionTarget,
        n: usize,
        accept: bool,
        edit: &AcceptEdit,
        user_id: i64,
    ) -> Result<(ReviewDoc, Option<i64>), NoteError> {
        let mut tx = self.begin_write().await?;
        let row = draft_in(&mut tx, draft_id).await?;
        ensure_editable(&row)?;
        let mut doc = row.working()?;
        let note_id = row.note_id.ok_or(NoteError::NotFound("note"))?;
        let at = super::now();
        let (_, session_date) = session_date_in(&mut tx, &row).await?;
        let date = session_date.unwrap_or_else(super::today);
        let what = match target {
            DecisionTarget::PlanUpdate => "plan update",
            DecisionTarget::Proposal => "proposal",
        };
        let already = match target {
            DecisionTarget::PlanUpdate => doc.plan_updates.get(n).map(|u| u.decision),
            DecisionTarget::Proposal => doc.proposals.get(n).map(|p| p.decision),
        };
        match already {
            None => return Err(NoteError::NotFound(what)),
            Some(Some(d)) => {
                return Err(NoteError::Conflict(format!(
                    "{what} {n} was already {}",
                    if d == Decision::Accepted {
                        "accepted"
                    } else {
                        "rejected"
                    }
                )))
            }
            Some(None) => {}
        }
        let mut version = None;
        if accept {
            let (base, mut plan) = current_plan_in(&mut tx, row.client_id).await?;
            let reason = match target {
                DecisionTarget::PlanUpdate => {
                    let u = &mut doc.plan_updates[n];
                    if let Some(s) = &edit.status {
                        u.status = s.trim().to_string();
                    }
                    if let Some(e) = &edit.evidence {
                        u.evidence = e.trim().to_string();
                    }
                    if base == 0 {
                        return Err(NoteError::Conflict(
                            "the client has no treatment plan to update".into(),
                        ));
                    }
                    notes::apply_plan_update(
                        &mut plan,
                        &u.goal_id,
                        &u.status,
                        &u.evidence,
                        note_id,
                        &date,
                    )?
                }
                DecisionTarget::Proposal => {
                    let p = &mut doc.proposals[n];
                    if let Some(t) = edit.text.as_deref().filter(|t| !t.trim().is_empty()) {
                        p.text = t.trim().to_string();
                    }
                    notes::apply_proposal(
                        &mut plan,
                        &p.kind,
                        &p.text,
                        edit.date.as_deref(),
                        note_id,
                        &date,
                    )?
                }
            };
            version = Some(
                insert_plan_version_in(
                    &mut tx,
                    actor,
                    row.client_id,
                    user_id,
                    base,
                    plan,
                    &reason,
                    note_id,
                )
                .await?,
            );
        }
        let decided = Some(Decided { by: user_id, at });
        let decision = Some(if accept {
            Decision::Accepted
        } else {
            Decision::Rejected
        });
        match target {
            DecisionTarget::PlanUpdate => {
                let u = &mut doc.plan_updates[n];
                u.decision = decision;
                u.decided = decided;
                u.plan_version = version;
            }
            DecisionTarget::Proposal => {
                let p = &mut doc.proposals[n];
                p.decision = decision;
                p.decided = decided;
                p.plan_version = version;
            }
        }
        write_review_in(&mut tx, &row, &doc).await?;
        let action = match (target, accept) {
            (DecisionTarget::PlanUpdate, true) => "draft.plan_update.accept",
            (DecisionTarget::PlanUpdate, false) => "draft.plan_update.reject",
            (DecisionTarget::Proposal, true) => "draft.proposal.accept",
            (DecisionTarget::Proposal, false) => "draft.proposal.reject",
        };
        let ev = Event::new(action, "draft", draft_id)
            .client(row.client_id)
            .detail(json!({"index": n, "note_id": note_id, "plan_version": version}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        Ok((doc, version))
    }

    /// A client's notes with their states for the chart timeline, newest first: one row per
    /// note, with its session date when known.
    pub async fn note_timeline(&self, client_id: i64) -> Result<Vec<TimelineRow>, StoreError> {
        Ok(sqlx::query_as::<_, TimelineRow>(
            "SELECT n.id AS note_id, n.draft_id, n.state, n.format, n.signed_at, n.created_at,
                    s.id AS session_id, s.session_date
             FROM notes n
             LEFT JOIN drafts d ON d.id = n.draft_id
             LEFT JOIN transcripts t ON t.id = d.transcript_id
             LEFT JOIN recordings r ON r.id = t.recording_id
             LEFT JOIN therapy_sessions s ON s.id = COALESCE(n.therapy_session_id, d.therapy_session_id, r.therapy_session_id)
             WHERE n.client_id = ?
             ORDER BY COALESCE(s.session_date, substr(n.created_at, 1, 10)) DESC, n.id DESC",
        )
        .bind(client_id)
        .fetch_all(self.pool())
        .await?)
    }
}

/// A row of the chart's note timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimelineRow {
    pub note_id: i64,
    pub draft_id: Option<i64>,
    pub state: NoteState,
    pub format: String,
    pub signed_at: Option<String>,
    pub created_at: String,
    pub session_id: Option<i64>,
    pub session_date: Option<String>,
}

async fn note_in(conn: &mut SqliteConnection, id: i64) -> Result<NoteRow, NoteError> {
    sqlx::query_as::<_, NoteRow>(sqlx::AssertSqlSafe(format!("{NOTE_SELECT} WHERE id = ?")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(NoteError::NotFound("note"))
}
