//! Progress notes: their rows and states, and the writes of signing (the content as canonical
//! JSON with its SHA-256, a signature row, the note locked by the database), co-signature and
//! return by a supervisor, signed addenda and author-only process notes, each with its audit row
//! inside the caller's transaction. What may be signed, by whom and with what content is
//! `notes`'; these take the values it decided.

use super::WriteTx;
use serde::Serialize;
use serde_json::json;

use super::drafts::DraftRow;
use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};
use crate::crypto::canonical;

/// A cited segment as it read when the note was signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitedSource {
    pub speaker: String,
    pub start: f64,
    pub text: String,
}

/// The current (corrected) segments of transcript `transcript_id` by id, read inside the
/// signing transaction: what a draft's citations can point at.
pub async fn transcript_sources_in(
    conn: &mut WriteTx,
    transcript_id: i64,
) -> Result<std::collections::BTreeMap<u32, CitedSource>, StoreError> {
    let mut out = std::collections::BTreeMap::new();
    let segs: Vec<(i64, f64, String, String)> = db!(&mut *conn, |x| sqlx::query_as(
        "SELECT seg_index, start_s, speaker, text FROM transcript_segments_current
         WHERE transcript_id = $1 ORDER BY seg_index",
    )
    .bind(transcript_id)
    .fetch_all(x)
    .await)?;
    for (id, start, speaker, text) in segs {
        if let Ok(id) = u32::try_from(id) {
            out.insert(
                id,
                CitedSource {
                    speaker,
                    start,
                    text,
                },
            );
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

/// Where a progress note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "TEXT", rename_all = "snake_case")]
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

/// The session of this draft and its date (`None` when it has no session with a date): the
/// session a signed note belongs to, and the date its plan entries carry.
pub async fn session_date_in(
    conn: &mut WriteTx,
    row: &DraftRow,
) -> Result<(Option<i64>, Option<String>), StoreError> {
    let r: Option<(i64, String)> = db!(&mut *conn, |x| {
        sqlx::query_as(
        "SELECT s.id, s.session_date FROM therapy_sessions s WHERE s.id = COALESCE($1,
            (SELECT r.therapy_session_id FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE t.id = $2))",
    )
    .bind(row.therapy_session_id)
    .bind(row.transcript_id)
    .fetch_optional(x)
    .await
    })?;
    Ok(match r {
        Some((id, d)) => (Some(id), Some(d)),
        None => (row.therapy_session_id, None),
    })
}

const NOTE_SELECT: &str =
    "SELECT id, client_id, therapy_session_id, draft_id, author_id, format, state, content,
        content_sha256, review_comment, created_at, updated_at, signed_at FROM notes";

impl Store {
    /// A note by id (no access check).
    pub async fn note(&self, id: i64) -> Result<Option<NoteRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, NoteRow>(
            sqlx::AssertSqlSafe(format!("{NOTE_SELECT} WHERE id = $1"))
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A note's signatures, oldest first.
    pub async fn signatures(&self, note_id: i64) -> Result<Vec<SignatureRow>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, SignatureRow>(
            "SELECT s.id, s.note_id, s.signer_id, CASE WHEN u.display_name = '' THEN u.email ELSE u.display_name END AS signer,
                    s.kind, s.signed_at, s.content_sha256, s.attestation
             FROM signatures s JOIN users u ON u.id = s.signer_id WHERE s.note_id = $1 ORDER BY s.id",
        )
        .bind(note_id)
        .fetch_all(x)
        .await
        })?)
    }

    /// A note's addenda, oldest first.
    pub async fn addenda(&self, note_id: i64) -> Result<Vec<AddendumRow>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, AddendumRow>(
            "SELECT a.id, a.note_id, a.author_id, CASE WHEN u.display_name = '' THEN u.email ELSE u.display_name END AS author,
                    a.text, a.created_at, a.signed_at, a.content_sha256
             FROM addenda a JOIN users u ON u.id = a.author_id WHERE a.note_id = $1 ORDER BY a.id",
        )
        .bind(note_id)
        .fetch_all(x)
        .await
        })?)
    }

    /// Every version of a note that was signed, oldest first, exactly as signed.
    pub async fn signed_versions(&self, note_id: i64) -> Result<Vec<SignedVersion>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, SignedVersion>(
            "SELECT id, note_id, content, content_sha256, signed_at FROM signed_versions
             WHERE note_id = $1 ORDER BY id",
        )
        .bind(note_id)
        .fetch_all(x)
        .await)?)
    }

    /// The process note of `note_id` written by `author_id` (only its author ever reads it).
    pub async fn process_note(
        &self,
        note_id: i64,
        author_id: i64,
    ) -> Result<Option<String>, StoreError> {
        Ok(db!(self, |x| sqlx::query_scalar(
            "SELECT text FROM process_notes WHERE note_id = $1 AND author_id = $2",
        )
        .bind(note_id)
        .bind(author_id)
        .fetch_optional(x)
        .await)?)
    }

    /// Checks every signed (or amended) note: its signed content must still exist among its
    /// signed versions, exactly as signed (hashing to the hash recorded at signature). Returns
    /// the notes checked, or the first that fails (its id and why).
    pub async fn verify_signed_notes(&self) -> Result<crate::audit::Verification, StoreError> {
        use crate::audit::Verification;
        let signed: Vec<(i64, String)> = db!(self, |x| sqlx::query_as(
            "SELECT id, content_sha256 FROM notes
             WHERE state IN ('signed', 'amended') AND content_sha256 IS NOT NULL ORDER BY id",
        )
        .fetch_all(x)
        .await)?;
        for (id, sha) in &signed {
            let content: Option<String> = db!(self, |x| {
                sqlx::query_scalar(
                "SELECT content FROM signed_versions WHERE note_id = $1 AND content_sha256 = $2",
            )
            .bind(id)
            .bind(sha)
            .fetch_optional(x)
            .await
            })?;
            if !content.is_some_and(|c| canonical::verify(&c, sha)) {
                return Ok(Verification::Broken {
                    row_id: *id,
                    reason: format!(
                        "signed note {id}: its signed content is missing or does not hash to its hash"
                    ),
                });
            }
        }
        Ok(Verification::Intact {
            rows: signed.len() as i64,
        })
    }

    /// A client's notes with their states for the chart timeline, newest first: one row per
    /// note, with its session date when known.
    pub async fn note_timeline(&self, client_id: i64) -> Result<Vec<TimelineRow>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, TimelineRow>(
            "SELECT n.id AS note_id, n.draft_id, n.state, n.format, n.signed_at, n.created_at,
                    s.id AS session_id, s.session_date
             FROM notes n
             LEFT JOIN drafts d ON d.id = n.draft_id
             LEFT JOIN transcripts t ON t.id = d.transcript_id
             LEFT JOIN recordings r ON r.id = t.recording_id
             LEFT JOIN therapy_sessions s ON s.id = COALESCE(n.therapy_session_id, d.therapy_session_id, r.therapy_session_id)
             WHERE n.client_id = $1
             ORDER BY COALESCE(s.session_date, substr(n.created_at, 1, 10)) DESC, n.id DESC",
        )
        .bind(client_id)
        .fetch_all(x)
        .await
        })?)
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

/// A note inside a transaction.
pub async fn note_in(conn: &mut WriteTx, id: i64) -> Result<Option<NoteRow>, StoreError> {
    Ok(db!(&mut *conn, |x| sqlx::query_as::<_, NoteRow>(
        sqlx::AssertSqlSafe(format!("{NOTE_SELECT} WHERE id = $1"))
    )
    .bind(id)
    .fetch_optional(x)
    .await)?)
}

/// A signature to record: the signed content (canonical JSON) and its hash, the state the note
/// moves to, and what the audit row says.
#[derive(Debug, Clone)]
pub struct Signing<'a> {
    pub note_id: i64,
    pub draft_id: i64,
    pub client_id: i64,
    pub signer_id: i64,
    pub therapy_session_id: Option<i64>,
    /// `Signed`, or `AwaitingCosign` for a supervisee.
    pub state: NoteState,
    pub content: &'a str,
    pub content_sha256: &'a str,
    pub signed_at: &'a str,
    pub attestation: &'a str,
    /// The edit measure's total (characters changed against the model's draft), for the audit.
    pub chars_changed: usize,
}

/// Signs a note in draft or in review inside the caller's transaction: stores the content and
/// its hash and the note's new state, records the signature (with its MAC) and the version as
/// signed, marks the draft signed, audited. Returns `false`, having written nothing, when the
/// note is in neither state.
pub async fn sign_in(
    conn: &mut WriteTx,
    actor: &Actor,
    s: &Signing<'_>,
) -> Result<bool, StoreError> {
    let n = exec!(&mut *conn, sqlx::query(
        "UPDATE notes SET content = $1, content_sha256 = $2, state = $3, author_id = $4, therapy_session_id = $5,
                signed_at = $6, updated_at = $7, review_comment = ''
         WHERE id = $8 AND state IN ('draft', 'in_review')",
    )
    .bind(s.content)
    .bind(s.content_sha256)
    .bind(s.state.as_str())
    .bind(s.signer_id)
    .bind(s.therapy_session_id)
    .bind(s.signed_at)
    .bind(s.signed_at)
    .bind(s.note_id))?;
    if n != 1 {
        return Ok(false);
    }
    let mac = audit::keyed::transaction_mac(
        conn,
        &audit::keyed::signature_text(
            s.note_id,
            s.signer_id,
            "sign",
            s.signed_at,
            s.content_sha256,
        ),
    );
    exec!(&mut *conn, sqlx::query(
        "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256, attestation, mac)
         VALUES ($1, $2, 'sign', $3, $4, $5, $6)",
    )
    .bind(s.note_id)
    .bind(s.signer_id)
    .bind(s.signed_at)
    .bind(s.content_sha256)
    .bind(s.attestation)
    .bind(mac))?;
    // Kept for good: a later return and re-signature replaces notes.content, never this.
    exec!(
        &mut *conn,
        sqlx::query(
            "INSERT INTO signed_versions (note_id, content, content_sha256, signed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (note_id, content_sha256) DO NOTHING",
        )
        .bind(s.note_id)
        .bind(s.content)
        .bind(s.content_sha256)
        .bind(s.signed_at)
    )?;
    exec!(
        &mut *conn,
        sqlx::query("UPDATE drafts SET state = 'signed', updated_at = $1 WHERE id = $2")
            .bind(s.signed_at)
            .bind(s.draft_id)
    )?;
    let ev = Event::new("note.sign", "note", s.note_id)
        .client(s.client_id)
        .detail(json!({
            "draft_id": s.draft_id, "state": s.state.as_str(), "content_sha256": s.content_sha256,
            "chars_changed": s.chars_changed,
        }));
    audit::append(conn, actor, &ev).await?;
    Ok(true)
}

/// Co-signs `note` (awaiting co-signature, as the caller checked) inside the caller's
/// transaction: the note becomes `signed` and the co-signature is recorded with its MAC,
/// audited.
pub async fn cosign_in(
    conn: &mut WriteTx,
    actor: &Actor,
    note: &NoteRow,
    supervisor_id: i64,
    attestation: &str,
) -> Result<(), StoreError> {
    let at = super::now();
    exec!(&mut *conn, sqlx::query("UPDATE notes SET state = 'signed', updated_at = $1 WHERE id = $2 AND state = 'awaiting_cosign'")
        .bind(&at)
        .bind(note.id))?;
    let sha = note.content_sha256.as_deref().unwrap_or_default();
    let mac = audit::keyed::transaction_mac(
        conn,
        &audit::keyed::signature_text(note.id, supervisor_id, "cosign", &at, sha),
    );
    exec!(&mut *conn, sqlx::query(
        "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256, attestation, mac)
         VALUES ($1, $2, 'cosign', $3, $4, $5, $6)",
    )
    .bind(note.id)
    .bind(supervisor_id)
    .bind(&at)
    .bind(sha)
    .bind(attestation)
    .bind(mac))?;
    let ev = Event::new("note.cosign", "note", note.id).client(note.client_id);
    audit::append(conn, actor, &ev).await?;
    Ok(())
}

/// Returns `note` (awaiting co-signature, as the caller checked) to its author with `comment`
/// inside the caller's transaction: the note goes back to `in_review` and its draft with it,
/// audited.
pub async fn return_in(
    conn: &mut WriteTx,
    actor: &Actor,
    note: &NoteRow,
    comment: &str,
) -> Result<(), StoreError> {
    let at = super::now();
    exec!(&mut *conn, sqlx::query(
        "UPDATE notes SET state = 'in_review', review_comment = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(comment)
    .bind(&at)
    .bind(note.id))?;
    if let Some(d) = note.draft_id {
        exec!(
            &mut *conn,
            sqlx::query("UPDATE drafts SET state = 'in_review', updated_at = $1 WHERE id = $2")
                .bind(&at)
                .bind(d)
        )?;
    }
    let ev = Event::new("note.return", "note", note.id).client(note.client_id);
    audit::append(conn, actor, &ev).await?;
    Ok(())
}

/// A signed addendum to store.
#[derive(Debug, Clone)]
pub struct NewAddendum<'a> {
    pub note_id: i64,
    pub client_id: i64,
    pub author_id: i64,
    pub text: &'a str,
    /// When it was written and signed.
    pub at: &'a str,
    pub content_sha256: &'a str,
    /// Move the note from `signed` to `amended` (its first addendum).
    pub amend: bool,
}

/// Stores a signed addendum inside the caller's transaction (the note `amended` if asked),
/// audited. Returns its id.
pub async fn add_addendum_in(
    conn: &mut WriteTx,
    actor: &Actor,
    a: &NewAddendum<'_>,
) -> Result<i64, StoreError> {
    let id = db!(&mut *conn, |x| {
        sqlx::query_scalar::<_, i64>(
        "INSERT INTO addenda (note_id, author_id, text, created_at, signed_at, content_sha256) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(a.note_id)
    .bind(a.author_id)
    .bind(a.text)
    .bind(a.at)
    .bind(a.at)
    .bind(a.content_sha256)
    .fetch_one(x)
    .await
    })?;
    if a.amend {
        exec!(
            &mut *conn,
            sqlx::query("UPDATE notes SET state = 'amended' WHERE id = $1").bind(a.note_id)
        )?;
    }
    let ev = Event::new("note.addendum", "note", a.note_id)
        .client(a.client_id)
        .detail(json!({"addendum_id": id, "content_sha256": a.content_sha256}));
    audit::append(conn, actor, &ev).await?;
    Ok(id)
}

/// Who wrote the process note of `note_id`, if anyone has.
pub async fn process_note_author_in(
    conn: &mut WriteTx,
    note_id: i64,
) -> Result<Option<i64>, StoreError> {
    Ok(db!(&mut *conn, |x| sqlx::query_scalar(
        "SELECT author_id FROM process_notes WHERE note_id = $1"
    )
    .bind(note_id)
    .fetch_optional(x)
    .await)?)
}

/// Saves `author_id`'s process note of `note_id` inside the caller's transaction (replacing it
/// when `exists`), audited. Whose it may be is the caller's check.
pub async fn save_process_note_in(
    conn: &mut WriteTx,
    actor: &Actor,
    note_id: i64,
    client_id: i64,
    author_id: i64,
    text: &str,
    exists: bool,
) -> Result<(), StoreError> {
    let at = super::now();
    if exists {
        exec!(
            &mut *conn,
            sqlx::query("UPDATE process_notes SET text = $1, updated_at = $2 WHERE note_id = $3")
                .bind(text)
                .bind(&at)
                .bind(note_id)
        )?;
    } else {
        exec!(&mut *conn, sqlx::query(
            "INSERT INTO process_notes (note_id, author_id, text, updated_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(note_id)
        .bind(author_id)
        .bind(text)
        .bind(&at))?;
    }
    let ev = Event::new("note.process_notes.update", "note", note_id).client(client_id);
    audit::append(conn, actor, &ev).await?;
    Ok(())
}
