//! Uploaded recordings (session audio and dictations): creating one together with its therapy
//! session and its transcription job, listing them with their job's state, status changes, and
//! the bookkeeping of deleting their audio.

use super::WriteTx;
use serde::{Deserialize, Serialize};

use super::jobs::{self, JobDefaults, JobId, NewJob};
use super::sessions::SessionInput;
use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// Kind of the job that transcribes a recording (payload `{"recording_id": N}`, with
/// `"audio_sha256"` when the stored audio's hash is known).
pub const TRANSCRIBE_JOB: &str = "transcribe";

/// The payload of a recording's transcription job: its id and, when known, the SHA-256 of its
/// stored audio. Keys and hashes only, never audio.
pub fn transcribe_payload(recording_id: i64, audio_sha256: Option<&str>) -> serde_json::Value {
    match audio_sha256 {
        Some(sha) => serde_json::json!({ "recording_id": recording_id, "audio_sha256": sha }),
        None => serde_json::json!({ "recording_id": recording_id }),
    }
}

/// What a recording holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum RecordingKind {
    /// A therapy session: two or more speakers, diarized.
    Session,
    /// The clinician's dictated summary: one speaker, never diarized.
    Dictation,
}

impl RecordingKind {
    /// The kind named in a request (`session`, `dictation`), or `None`.
    pub fn parse(s: &str) -> Option<RecordingKind> {
        match s {
            "session" => Some(RecordingKind::Session),
            "dictation" => Some(RecordingKind::Dictation),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordingKind::Session => "session",
            RecordingKind::Dictation => "dictation",
        }
    }
}

/// Where a recording is in transcription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum RecordingStatus {
    Uploaded,
    Queued,
    Transcribing,
    Transcribed,
    Failed,
    Cancelled,
}

impl RecordingStatus {
    /// Every status, in the order a recording passes through them.
    pub const ALL: [RecordingStatus; 6] = [
        RecordingStatus::Uploaded,
        RecordingStatus::Queued,
        RecordingStatus::Transcribing,
        RecordingStatus::Transcribed,
        RecordingStatus::Failed,
        RecordingStatus::Cancelled,
    ];

    /// The one rule for a recording's status, mirrored by the `recordings_status_transitions`
    /// trigger (migration 0013): a live recording still receiving audio (`uploaded`) is queued
    /// when finished or cancelled when discarded; a queued one is taken up, cancelled, or fails
    /// before it starts (its audio is gone); one being transcribed ends transcribed, failed or
    /// cancelled, or goes back to the queue (its worker stopped, or a passing failure will be
    /// tried again); a failed or cancelled one can be queued again; a transcribed one is done.
    /// Staying in a status is always allowed.
    pub fn may_become(self, next: RecordingStatus) -> bool {
        use RecordingStatus::*;
        self == next
            || matches!(
                (self, next),
                (Uploaded, Queued | Cancelled)
                    | (Queued, Transcribing | Cancelled | Failed)
                    | (Transcribing, Transcribed | Failed | Cancelled | Queued)
                    | (Failed | Cancelled, Queued)
            )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordingStatus::Uploaded => "uploaded",
            RecordingStatus::Queued => "queued",
            RecordingStatus::Transcribing => "transcribing",
            RecordingStatus::Transcribed => "transcribed",
            RecordingStatus::Failed => "failed",
            RecordingStatus::Cancelled => "cancelled",
        }
    }
}

/// A stored recording. `path` is relative to the data directory.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Recording {
    pub id: i64,
    pub client_id: i64,
    pub therapy_session_id: Option<i64>,
    pub kind: RecordingKind,
    #[serde(skip)]
    pub path: String,
    pub mime_type: String,
    pub size_bytes: i64,
    pub duration_seconds: Option<f64>,
    pub keep_audio: bool,
    pub status: RecordingStatus,
    pub error: Option<String>,
    pub uploaded_by: i64,
    pub created_at: String,
    /// Set once the audio file was deleted.
    pub deleted_at: Option<String>,
}

impl Recording {
    /// Whether the audio file should still be on disk.
    pub fn has_audio(&self) -> bool {
        self.deleted_at.is_none()
    }
}

/// A recording with its newest transcription job and its transcript, for lists and pages.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RecordingRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub recording: Recording,
    pub job_id: Option<i64>,
    pub job_state: Option<String>,
    pub job_progress: Option<f64>,
    pub job_stage: Option<String>,
    pub job_error: Option<String>,
    pub transcript_id: Option<i64>,
    pub session_date: Option<String>,
    /// Streamed recordings only: `recording`, `interrupted` (no chunk for
    /// [`super::streams::IDLE_SECONDS`]), `finished` or `discarded`.
    pub stream_state: Option<super::streams::LiveState>,
}

/// A recording to create (validated by the caller; the file is already on disk).
#[derive(Debug, Clone)]
pub struct NewRecording {
    pub client_id: i64,
    pub kind: RecordingKind,
    /// Relative to the data directory.
    pub path: String,
    pub mime_type: String,
    pub size_bytes: i64,
    pub duration_seconds: Option<f64>,
    pub keep_audio: bool,
    pub uploaded_by: i64,
    /// The SHA-256 of the stored (sealed) audio, carried by the transcription job's payload so
    /// that the worker checks what it fetches (`store::audio`).
    pub audio_sha256: Option<String>,
}

/// Which therapy session a new recording belongs to.
#[derive(Debug, Clone)]
pub enum SessionChoice {
    /// An existing session (its client already checked by the caller).
    Existing(i64),
    /// Create this session in the same transaction.
    Create(SessionInput),
}

/// The SELECT of [`RecordingRow`]s on a database (`$1`: [`interrupted_before`]).
fn row_select(dialect: super::Dialect) -> String {
    format!(
        "SELECT r.*, j.id AS job_id, j.state AS job_state, j.progress AS job_progress,
        j.stage AS job_stage, j.error AS job_error,
        (SELECT t.id FROM transcripts t WHERE t.recording_id = r.id ORDER BY t.id DESC LIMIT 1) AS transcript_id,
        s.session_date AS session_date,
        CASE WHEN st.state = 'receiving'
                  AND COALESCE(st.last_chunk_at, st.started_at) < $1 THEN 'interrupted'
             WHEN st.state = 'receiving' THEN 'recording'
             ELSE st.state END AS stream_state
     FROM recordings r
     LEFT JOIN therapy_sessions s ON s.id = r.therapy_session_id
     LEFT JOIN recording_streams st ON st.recording_id = r.id
     LEFT JOIN jobs j ON j.id = (SELECT MAX(jj.id) FROM jobs jj
                                 WHERE jj.kind = 'transcribe'
                                   AND {} = r.id)",
        dialect.json_int("jj.payload", "recording_id")
    )
}

/// [`row_select`]'s `$1`: a receiving stream whose last chunk (or start) is older than this
/// timestamp has had none for more than [`super::streams::IDLE_SECONDS`] and counts as
/// interrupted (the rule `streams` applies, computed here rather than by the database's clock).
fn interrupted_before() -> String {
    super::format_ts(
        time::OffsetDateTime::now_utc() - time::Duration::seconds(super::streams::IDLE_SECONDS),
    )
}

impl Store {
    /// Creates the recording (and, if asked, its therapy session) and enqueues its
    /// transcription job, all in one transaction with their audit rows. Returns the recording
    /// and the job id; wake the workers afterwards (`jobs::JobQueue::announce`).
    pub async fn create_recording(
        &self,
        actor: &Actor,
        new: &NewRecording,
        session: SessionChoice,
        job_defaults: JobDefaults,
    ) -> Result<(Recording, JobId), StoreError> {
        let now = super::now();
        let mut tx = self.begin_write().await?;
        let session_id = session_in(&mut tx, actor, new, session, &now).await?;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO recordings (client_id, therapy_session_id, kind, path, mime_type, size_bytes,
                 duration_seconds, keep_audio, status, uploaded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10) RETURNING id",
        )
        .bind(new.client_id)
        .bind(session_id)
        .bind(new.kind)
        .bind(&new.path)
        .bind(&new.mime_type)
        .bind(new.size_bytes)
        .bind(new.duration_seconds)
        .bind(new.keep_audio)
        .bind(new.uploaded_by)
        .bind(&now)
        .fetch_one(x)
        .await
        })?;
        let job = NewJob::new(
            TRANSCRIBE_JOB,
            transcribe_payload(id, new.audio_sha256.as_deref()),
        )
        .client(new.client_id)
        .created_by(new.uploaded_by);
        let job_id = jobs::insert_in(&mut tx, &job, job_defaults).await?;
        let ev = Event::new("recording.create", "recording", id)
            .client(new.client_id)
            .detail(serde_json::json!({
                "kind": new.kind.as_str(),
                "therapy_session_id": session_id,
                "size_bytes": new.size_bytes,
                "keep_audio": new.keep_audio,
                "job_id": job_id,
            }));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        let rec = self
            .recording(id)
            .await?
            .ok_or(StoreError::NotFound("recording"))?;
        Ok((rec, job_id))
    }

    /// A recording by id (no access check: callers check its client).
    pub async fn recording(&self, id: i64) -> Result<Option<Recording>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, Recording>(
            "SELECT * FROM recordings WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A recording with its newest job and transcript.
    pub async fn recording_row(&self, id: i64) -> Result<Option<RecordingRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, RecordingRow>(
            sqlx::AssertSqlSafe(format!("{} WHERE r.id = $2", row_select(self.dialect())))
        )
        .bind(interrupted_before())
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A client's recordings, newest first, with their newest job and transcript.
    pub async fn list_recordings(&self, client_id: i64) -> Result<Vec<RecordingRow>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, RecordingRow>(
            sqlx::AssertSqlSafe(format!(
                "{} WHERE r.client_id = $2 ORDER BY r.id DESC",
                row_select(self.dialect())
            ))
        )
        .bind(interrupted_before())
        .bind(client_id)
        .fetch_all(x)
        .await)?)
    }

    /// The newest transcription job of a recording.
    pub async fn recording_job_id(&self, recording_id: i64) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "SELECT MAX(id) FROM jobs WHERE kind = 'transcribe' AND {} = $1",
            self.dialect().json_int("payload", "recording_id")
        );
        Ok(db!(self, |x| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(recording_id)
            .fetch_one(x)
            .await)?)
    }

    /// Moves a recording to `status` only if it is in one of `from` now (a compare-and-set:
    /// a worker may have moved it meanwhile), clearing its error. Returns whether it moved.
    pub async fn move_recording_status(
        &self,
        id: i64,
        from: &[RecordingStatus],
        status: RecordingStatus,
    ) -> Result<bool, StoreError> {
        debug_assert!(from.iter().all(|f| f.may_become(status)));
        let list = from
            .iter()
            .map(|f| format!("'{}'", f.as_str()))
            .collect::<Vec<_>>();
        let sql = format!(
            "UPDATE recordings SET status = $1, error = NULL WHERE id = $2 AND status IN ({})",
            list.join(", ")
        );
        let changed = exec!(
            self,
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(status).bind(id)
        )?;
        Ok(changed == 1)
    }

    /// Sets a recording's status (and error, cleared unless given).
    pub async fn set_recording_status(
        &self,
        id: i64,
        status: RecordingStatus,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_recording_status_in(&mut tx, id, status, error).await?;
        Ok(tx.commit().await?)
    }

    /// Records that a recording's audio file was deleted, with its audit row.
    pub async fn mark_audio_deleted(
        &self,
        actor: &Actor,
        rec: &Recording,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = exec!(
            &mut tx,
            sqlx::query(
                "UPDATE recordings SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
            )
            .bind(super::now())
            .bind(rec.id)
        )?;
        if changed > 0 {
            let ev = Event::new("recording.audio_deleted", "recording", rec.id)
                .client(rec.client_id)
                .detail(serde_json::json!({ "reason": reason }));
            audit::append(&mut tx, actor, &ev).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Recordings whose audio is not kept and should be gone but is not marked deleted:
    /// transcribed ones (the process stopped between saving the transcript and deleting the
    /// file), and failed or cancelled ones whose last transcription job ended before
    /// `ended_before` (a store timestamp) with none queued or running since.
    pub async fn recordings_pending_audio_deletion(
        &self,
        ended_before: &str,
    ) -> Result<Vec<Recording>, StoreError> {
        let recording = self.dialect().json_int("j.payload", "recording_id");
        let sql = format!(
            "SELECT r.* FROM recordings r
             WHERE r.keep_audio = FALSE AND r.deleted_at IS NULL
               AND (r.status = 'transcribed'
                    OR (r.status IN ('failed', 'cancelled')
                        AND NOT EXISTS (
                            SELECT 1 FROM jobs j
                             WHERE j.kind = 'transcribe'
                               AND {recording} = r.id
                               AND j.state IN ('queued', 'running'))
                        AND COALESCE(
                            (SELECT MAX(COALESCE(j.finished_at, j.updated_at)) FROM jobs j
                              WHERE j.kind = 'transcribe'
                                AND {recording} = r.id),
                            r.created_at) < $1))"
        );
        Ok(db!(self, |x| sqlx::query_as::<_, Recording>(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(ended_before)
        .fetch_all(x)
        .await)?)
    }

    /// Whether a transcription of the recording is queued or running.
    pub async fn recording_job_active(&self, recording_id: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'transcribe'
               AND {} = $1 AND state IN ('queued', 'running')",
            self.dialect().json_int("payload", "recording_id")
        );
        Ok(
            db!(self, |x| sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(
                sql
            ))
            .bind(recording_id)
            .fetch_one(x)
            .await)?
                > 0,
        )
    }

    /// Removes the typed summary (`text`) from the payloads of draft jobs that are done, or
    /// that failed or were cancelled before `ended_before` (a store timestamp): the summary's
    /// sentences live on in the draft, and the queue should not keep a second copy. Returns the
    /// jobs changed.
    pub async fn purge_job_summaries(&self, ended_before: &str) -> Result<u64, StoreError> {
        let d = self.dialect();
        let sql = format!(
            "UPDATE jobs SET payload = {}
             WHERE kind = 'draft' AND {}
               AND (state = 'done'
                    OR (state IN ('failed', 'cancelled')
                        AND COALESCE(finished_at, updated_at) < $1))",
            d.json_without("payload", "text"),
            d.json_has("payload", "text")
        );
        Ok(exec!(
            self,
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ended_before)
        )?)
    }
}

/// The therapy session of a new recording: the one chosen, or a new one (audited).
pub(crate) async fn session_in(
    conn: &mut WriteTx,
    actor: &Actor,
    new: &NewRecording,
    session: SessionChoice,
    now: &str,
) -> Result<i64, StoreError> {
    Ok(match session {
        SessionChoice::Existing(id) => id,
        SessionChoice::Create(s) => {
            let id = db!(&mut *conn, |x| {
                sqlx::query_scalar::<_, i64>(
                "INSERT INTO therapy_sessions (client_id, clinician_id, session_date, start_time,
                     duration_minutes, modality, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(new.client_id)
            .bind(new.uploaded_by)
            .bind(&s.session_date)
            .bind(&s.start_time)
            .bind(s.duration_minutes)
            .bind(&s.modality)
            .bind(&s.status)
            .bind(now)
            .bind(now)
            .fetch_one(x)
            .await
            })?;
            let ev = Event::new("session.create", "therapy_session", id)
                .client(new.client_id)
                .detail(serde_json::json!({"source": "recording_upload"}));
            audit::append(&mut *conn, actor, &ev).await?;
            id
        }
    })
}

/// Sets a recording's status inside a caller's transaction.
pub async fn set_recording_status_in(
    conn: &mut WriteTx,
    id: i64,
    status: RecordingStatus,
    error: Option<&str>,
) -> Result<(), StoreError> {
    exec!(
        &mut *conn,
        sqlx::query("UPDATE recordings SET status = $1, error = $2 WHERE id = $3")
            .bind(status)
            .bind(error)
            .bind(id)
    )?;
    Ok(())
}
