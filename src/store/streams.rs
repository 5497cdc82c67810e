//! Recordings streamed in chunks while they are recorded (migration 0007): the stream row of a
//! recording (format, how many chunks and bytes are in its file, whether more may come) and
//! its chunks (size and digest of each, and the bytes of chunks held until a gap is filled).
//! The file itself is written by the streaming pipeline above the store (`pipeline::streaming`).

use super::WriteTx;
use serde::{Deserialize, Serialize};

use super::jobs::{self, JobDefaults, JobId, NewJob};
use super::recordings::{session_in, NewRecording, Recording, SessionChoice, TRANSCRIBE_JOB};
use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// Seconds without a chunk after which a stream still receiving is shown as interrupted.
pub const IDLE_SECONDS: i64 = 60;

/// What a stream's chunks hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum ChunkFormat {
    /// WebM container bytes (Chromium's MediaRecorder, Opus): chunks concatenate.
    Webm,
    /// Ogg container bytes (Firefox's MediaRecorder, Opus): chunks concatenate.
    Ogg,
    /// Raw signed 16-bit little-endian mono PCM at the stream's sample rate.
    Pcm16,
}

impl ChunkFormat {
    /// Extension of the assembled file.
    pub fn extension(self) -> &'static str {
        match self {
            ChunkFormat::Webm => "webm",
            ChunkFormat::Ogg => "ogg",
            ChunkFormat::Pcm16 => "wav",
        }
    }

    /// Content type of the assembled file.
    pub fn mime(self) -> &'static str {
        match self {
            ChunkFormat::Webm => "audio/webm",
            ChunkFormat::Ogg => "audio/ogg",
            ChunkFormat::Pcm16 => "audio/wav",
        }
    }
}

/// Where a stream is, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum StreamState {
    /// Chunks may still come.
    Receiving,
    /// Assembled and handed to transcription; no more chunks.
    Finished,
    /// Thrown away by the clinician (audio deleted).
    Discarded,
}

/// Where a stream is, as shown: a receiving stream without a chunk for [`IDLE_SECONDS`] is
/// interrupted (its page went away) and can be finished or discarded from the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum LiveState {
    Recording,
    Interrupted,
    Finished,
    Discarded,
}

/// A recording's stream.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Stream {
    pub recording_id: i64,
    pub format: ChunkFormat,
    pub sample_rate: Option<i64>,
    pub state: StreamState,
    /// Chunks `0..next_seq` are in the file.
    pub next_seq: i64,
    /// Bytes of those chunks.
    pub bytes: i64,
    /// Bytes before them in the file (the WAV header of a PCM stream).
    pub header_bytes: i64,
    pub started_at: String,
    pub last_chunk_at: Option<String>,
    pub finished_at: Option<String>,
}

impl Stream {
    /// The state to show at `now_unix` (seconds).
    pub fn live_state(&self, now_unix: i64) -> LiveState {
        match self.state {
            StreamState::Finished => LiveState::Finished,
            StreamState::Discarded => LiveState::Discarded,
            StreamState::Receiving => {
                let last = self.last_chunk_at.as_deref().unwrap_or(&self.started_at);
                match super::parse_ts(last) {
                    Some(t) if now_unix - t.unix_timestamp() > IDLE_SECONDS => {
                        LiveState::Interrupted
                    }
                    _ => LiveState::Recording,
                }
            }
        }
    }
}

/// A received chunk.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChunkRow {
    pub seq: i64,
    pub size: i64,
    pub sha256: String,
    /// The bytes of a chunk held until the chunks before it arrive.
    pub pending: Option<Vec<u8>>,
}

impl Store {
    /// Creates a streamed recording (status `uploaded` until finished), its therapy session if
    /// asked, and its stream, audited, in one transaction. `new.path` is the file the chunks
    /// go to (already created by the caller).
    pub async fn create_stream(
        &self,
        actor: &Actor,
        new: &NewRecording,
        session: SessionChoice,
        format: ChunkFormat,
        sample_rate: Option<i64>,
        header_bytes: i64,
    ) -> Result<(Recording, Stream), StoreError> {
        let now = super::now();
        let mut tx = self.begin_write().await?;
        let session_id = session_in(&mut tx, actor, new, session, &now).await?;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO recordings (client_id, therapy_session_id, kind, path, mime_type, size_bytes,
                 duration_seconds, keep_audio, status, uploaded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, 0, $6, 'uploaded', $7, $8) RETURNING id",
        )
        .bind(new.client_id)
        .bind(session_id)
        .bind(new.kind)
        .bind(&new.path)
        .bind(&new.mime_type)
        .bind(new.keep_audio)
        .bind(new.uploaded_by)
        .bind(&now)
        .fetch_one(x)
        .await
        })?;
        exec!(&mut tx, sqlx::query(
            "INSERT INTO recording_streams (recording_id, format, sample_rate, header_bytes, started_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(format)
        .bind(sample_rate)
        .bind(header_bytes)
        .bind(&now))?;
        let ev = Event::new("recording.create", "recording", id)
            .client(new.client_id)
            .detail(serde_json::json!({
                "kind": new.kind.as_str(),
                "therapy_session_id": session_id,
                "keep_audio": new.keep_audio,
                "streamed": true,
                "format": format,
            }));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        let rec = self
            .recording(id)
            .await?
            .ok_or(StoreError::NotFound("recording"))?;
        let stream = self
            .stream(id)
            .await?
            .ok_or(StoreError::NotFound("recording stream"))?;
        Ok((rec, stream))
    }

    /// A recording's stream (`None` for a recording uploaded whole).
    pub async fn stream(&self, recording_id: i64) -> Result<Option<Stream>, StoreError> {
        let mut tx = self.begin_read().await?;
        stream_in(&mut tx, recording_id).await
    }

    /// Sequence numbers of chunks held ahead of a gap.
    pub async fn held_chunks(&self, recording_id: i64) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin_read().await?;
        held_in(&mut tx, recording_id).await
    }
}

/// A recording's stream, inside a caller's transaction.
pub async fn stream_in(
    conn: &mut WriteTx,
    recording_id: i64,
) -> Result<Option<Stream>, StoreError> {
    Ok(db!(&mut *conn, |x| sqlx::query_as::<_, Stream>(
        "SELECT * FROM recording_streams WHERE recording_id = $1"
    )
    .bind(recording_id)
    .fetch_optional(x)
    .await)?)
}

/// One received chunk.
pub async fn chunk_in(
    conn: &mut WriteTx,
    recording_id: i64,
    seq: i64,
) -> Result<Option<ChunkRow>, StoreError> {
    Ok(db!(&mut *conn, |x| {
        sqlx::query_as::<_, ChunkRow>(
        "SELECT seq, size, sha256, pending FROM recording_chunks WHERE recording_id = $1 AND seq = $2",
    )
    .bind(recording_id)
    .bind(seq)
    .fetch_optional(x)
    .await
    })?)
}

/// Sequence numbers of the chunks held ahead of a gap, in order.
pub async fn held_in(conn: &mut WriteTx, recording_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(db!(&mut *conn, |x| {
        sqlx::query_scalar(
        "SELECT seq FROM recording_chunks WHERE recording_id = $1 AND pending IS NOT NULL ORDER BY seq",
    )
    .bind(recording_id)
    .fetch_all(x)
    .await
    })?)
}

/// Bytes held ahead of a gap.
pub async fn held_bytes_in(conn: &mut WriteTx, recording_id: i64) -> Result<i64, StoreError> {
    Ok(db!(&mut *conn, |x| {
        sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM recording_chunks WHERE recording_id = $1 AND pending IS NOT NULL",
    )
    .bind(recording_id)
    .fetch_one(x)
    .await
    })?)
}

/// Records a received chunk; `pending` holds its bytes when it waits for a gap to fill.
pub async fn insert_chunk_in(
    conn: &mut WriteTx,
    recording_id: i64,
    seq: i64,
    size: i64,
    sha256: &str,
    pending: Option<&[u8]>,
) -> Result<(), StoreError> {
    exec!(
        &mut *conn,
        sqlx::query(
            "INSERT INTO recording_chunks (recording_id, seq, size, sha256, pending, received_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(recording_id)
        .bind(seq)
        .bind(size)
        .bind(sha256)
        .bind(pending)
        .bind(super::now())
    )?;
    Ok(())
}

/// Marks held chunks `from..to` as appended to the file (their bytes are dropped).
pub async fn release_held_in(
    conn: &mut WriteTx,
    recording_id: i64,
    from: i64,
    to: i64,
) -> Result<(), StoreError> {
    exec!(&mut *conn, sqlx::query(
        "UPDATE recording_chunks SET pending = NULL WHERE recording_id = $1 AND seq >= $2 AND seq < $3",
    )
    .bind(recording_id)
    .bind(from)
    .bind(to))?;
    Ok(())
}

/// Records that chunks up to `next_seq` (exclusive), `bytes` in all, are in the file, and the
/// recording's size and length so far.
pub async fn advance_in(
    conn: &mut WriteTx,
    recording_id: i64,
    next_seq: i64,
    bytes: i64,
    file_bytes: i64,
    seconds: f64,
) -> Result<(), StoreError> {
    let now = super::now();
    exec!(&mut *conn, sqlx::query(
        "UPDATE recording_streams SET next_seq = $1, bytes = $2, last_chunk_at = $3 WHERE recording_id = $4",
    )
    .bind(next_seq)
    .bind(bytes)
    .bind(&now)
    .bind(recording_id))?;
    exec!(
        &mut *conn,
        sqlx::query("UPDATE recordings SET size_bytes = $1, duration_seconds = $2 WHERE id = $3")
            .bind(file_bytes)
            .bind(seconds)
            .bind(recording_id)
    )?;
    Ok(())
}

/// Marks a stream finished and its recording queued, enqueues its transcription job, audited.
/// Wake the workers after the commit (`jobs::JobQueue::announce`).
pub async fn finish_in(
    conn: &mut WriteTx,
    actor: &Actor,
    rec: &Recording,
    seconds: f64,
    file_bytes: i64,
    audio_sha256: Option<&str>,
    job_defaults: JobDefaults,
) -> Result<JobId, StoreError> {
    let now = super::now();
    exec!(&mut *conn, sqlx::query(
        "UPDATE recording_streams SET state = 'finished', finished_at = $1 WHERE recording_id = $2",
    )
    .bind(&now)
    .bind(rec.id))?;
    exec!(&mut *conn, sqlx::query(
        "UPDATE recordings SET status = 'queued', size_bytes = $1, duration_seconds = $2 WHERE id = $3",
    )
    .bind(file_bytes)
    .bind(seconds)
    .bind(rec.id))?;
    let job = NewJob::new(
        TRANSCRIBE_JOB,
        super::recordings::transcribe_payload(rec.id, audio_sha256),
    )
    .priority(FINISH_PRIORITY)
    .client(rec.client_id)
    .created_by(rec.uploaded_by);
    let job_id = jobs::insert_in(conn, &job, job_defaults).await?;
    let ev = Event::new("recording.stream_finish", "recording", rec.id)
        .client(rec.client_id)
        .detail(serde_json::json!({
            "size_bytes": file_bytes,
            "duration_seconds": seconds,
            "job_id": job_id,
        }));
    audit::append(conn, actor, &ev).await?;
    Ok(job_id)
}

/// Marks a stream discarded, its recording cancelled and its audio deleted, audited (the
/// caller deletes the file).
pub async fn discard_in(
    conn: &mut WriteTx,
    actor: &Actor,
    rec: &Recording,
) -> Result<(), StoreError> {
    let now = super::now();
    exec!(&mut *conn, sqlx::query(
        "UPDATE recording_streams SET state = 'discarded', finished_at = $1 WHERE recording_id = $2",
    )
    .bind(&now)
    .bind(rec.id))?;
    exec!(
        &mut *conn,
        sqlx::query("UPDATE recording_chunks SET pending = NULL WHERE recording_id = $1")
            .bind(rec.id)
    )?;
    exec!(&mut *conn, sqlx::query(
        "UPDATE recordings SET status = 'cancelled', deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
    )
    .bind(&now)
    .bind(rec.id))?;
    let ev = Event::new("recording.discard", "recording", rec.id)
        .client(rec.client_id)
        .detail(serde_json::json!({ "reason": "discarded by the clinician" }));
    audit::append(conn, actor, &ev).await?;
    Ok(())
}

/// Kind of the job that transcribes the next finished stretches of a stream while it is being
/// recorded (payload `{"recording_id": N}`; run by the transcription pipeline,
/// `pipeline::transcription`).
pub const TRANSCRIBE_PART_JOB: &str = "transcribe_part";

/// Queue priority of a live recording's parts: a few seconds each, and a session still being
/// recorded falls behind while they wait, so they go before any other queued job (drafts and
/// whole uploads: minutes each). A job already running is never interrupted.
pub const PART_PRIORITY: i64 = 20;

/// Queue priority of the rest of a streamed recording once it is finished: the clinician has
/// just pressed Stop and waits for the transcript (and the draft it starts).
pub const FINISH_PRIORITY: i64 = 10;

/// A stretch of a stream transcribed while it was being recorded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StreamPart {
    pub start_sample: i64,
    pub end_sample: i64,
    pub model: String,
    /// JSON array of [`crate::transcribe::Segment`], times on the recording's timeline.
    pub segments: String,
    /// The speaker model the part's windows were embedded with, and the windows
    /// (`diarize::WindowEmbeddings::to_bytes`); none for a part saved without speakers.
    pub speaker_model: Option<String>,
    pub speaker_windows: Option<Vec<u8>>,
}

impl Store {
    /// A stream's transcribed parts, in order.
    pub async fn stream_parts(&self, recording_id: i64) -> Result<Vec<StreamPart>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, StreamPart>(
            "SELECT start_sample, end_sample, model, segments, speaker_model, speaker_windows
             FROM stream_parts WHERE recording_id = $1 ORDER BY start_sample",
        )
        .bind(recording_id)
        .fetch_all(x)
        .await)?)
    }

    /// Saves a transcribed part (a part already saved for the same start is kept: a job that
    /// ran twice changes nothing).
    pub async fn save_stream_part(
        &self,
        recording_id: i64,
        start_sample: i64,
        end_sample: i64,
        model: &str,
        segments_json: &str,
        speakers: Option<(&str, &[u8])>,
    ) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query(
                "INSERT INTO stream_parts
                 (recording_id, start_sample, end_sample, model, segments, speaker_model,
                  speaker_windows, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (recording_id, start_sample) DO NOTHING",
            )
            .bind(recording_id)
            .bind(start_sample)
            .bind(end_sample)
            .bind(model)
            .bind(segments_json)
            .bind(speakers.map(|(m, _)| m))
            .bind(speakers.map(|(_, w)| w))
            .bind(super::now())
        )?;
        Ok(())
    }
}

/// Enqueues a `transcribe_part` job for a stream (inside the chunk's transaction).
pub async fn enqueue_part_in(
    conn: &mut WriteTx,
    rec: &Recording,
    job_defaults: JobDefaults,
) -> Result<JobId, StoreError> {
    let job = NewJob::new(
        TRANSCRIBE_PART_JOB,
        serde_json::json!({ "recording_id": rec.id }),
    )
    .priority(PART_PRIORITY)
    .client(rec.client_id)
    .created_by(rec.uploaded_by);
    Ok(jobs::insert_in(conn, &job, job_defaults).await?)
}
