//! Recording while streaming (issue 13): a recording's audio arrives in numbered chunks while
//! it is recorded, is appended to its file and fsynced before it is acknowledged, and is handed
//! to the `transcribe` job when the recorder finishes it.
//!
//! * Idempotent: a chunk received again with the same bytes is a no-op; with other bytes, a
//!   conflict. A chunk ahead of a gap (within [`StreamLimits::window`]) is held in the database
//!   until the missing ones arrive, and the answer lists what is missing.
//! * Every change runs inside one store write transaction (`BEGIN IMMEDIATE` on SQLite, the
//!   store's write lock on PostgreSQL), which also serializes the chunks of one recording: the
//!   file is cut back to what the database acknowledged (bytes a crash left after the last
//!   commit), the chunk appended and fsynced, then the commit. A server killed at any point
//!   keeps every acknowledged byte.
//! * Limits (chunk size, total size, duration) are checked before anything is written; a
//!   refused chunk changes nothing.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::crypto::sealed::segments;
use crate::jobs::{JobId, JobQueue};
use crate::store::audio::AudioStore;
use crate::store::streams::{self, ChunkFormat, LiveState, Stream, StreamState};
use crate::store::{NewRecording, Recording, SessionChoice, Store, StoreError};

/// Prefix of streamed recordings' files under `<data dir>/audio` (kept across restarts).
pub const STREAM_PREFIX: &str = "stream-";
/// Bytes of the WAV header written before the samples of a PCM stream.
pub const WAV_HEADER_BYTES: usize = 44;
/// A 16 kHz PCM stream is transcribed while it is recorded, a stretch at a time: a
/// `transcribe_part` job is queued each time this much more audio has arrived.
pub const PART_SECONDS: f64 = 30.0;

/// Limits on one stream.
#[derive(Debug, Clone)]
pub struct StreamLimits {
    /// Largest chunk, bytes.
    pub max_chunk_bytes: u64,
    /// Largest recording, bytes (the upload limit).
    pub max_total_bytes: u64,
    /// Longest recording, seconds (PCM: exact; containers: time since the stream started).
    pub max_seconds: f64,
    /// How far ahead of the next expected chunk a chunk may be (it is held until the gap fills).
    pub window: i64,
}

impl Default for StreamLimits {
    fn default() -> StreamLimits {
        StreamLimits {
            max_chunk_bytes: 4 * 1024 * 1024,
            max_total_bytes: 1024 * 1024 * 1024,
            max_seconds: 4.0 * 3600.0,
            window: 32,
        }
    }
}

/// Why a stream operation was refused; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The recording was uploaded whole, not streamed.
    #[error("this recording was uploaded whole; it takes no chunks")]
    NotStreamed,
    /// Finished or discarded: no more chunks.
    #[error("the recording is {0}; it takes no more chunks")]
    Closed(&'static str),
    #[error("chunk {seq} was already received with different bytes")]
    DifferentBytes { seq: i64 },
    #[error(
        "chunk {seq} is too far ahead: the server expects chunk {next_seq} next (window {window})"
    )]
    BeyondWindow {
        seq: i64,
        next_seq: i64,
        window: i64,
    },
    /// Finishing with chunks missing: the first of them (at most [`MISSING_SHOWN`]) and how
    /// many in all (a recorder may claim any number of chunks; nothing is allocated for them).
    #[error("chunks missing: {}{}", list(.missing), if *.total > .missing.len() as i64 { format!(" ({} in all)", .total) } else { String::new() })]
    Missing { missing: Vec<i64>, total: i64 },
    #[error("{0}")]
    TooLarge(String),
    /// The chunk's bytes are not in the stream's format.
    #[error("{0}")]
    WrongFormat(String),
    /// Readable but unusable (empty chunk, odd PCM length, nothing to finish).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("writing the recording: {0}")]
    Io(#[from] std::io::Error),
}

/// How many missing chunks an error names.
pub const MISSING_SHOWN: usize = 50;

fn list(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// What the server holds of a stream (every chunk answer carries it).
#[derive(Debug, Clone, Serialize)]
pub struct StreamStatus {
    pub recording_id: i64,
    pub state: LiveState,
    pub format: ChunkFormat,
    /// Chunks `0..next_seq` are stored; send `next_seq` next.
    pub next_seq: i64,
    /// Bytes stored (held chunks excluded).
    pub bytes: i64,
    /// Seconds of audio stored (PCM: exact; containers: time from the first to the last chunk).
    pub seconds: f64,
    /// Chunks received ahead of a gap, waiting for it.
    pub held: Vec<i64>,
    /// The gap: chunks before the last held one that have not arrived.
    pub missing: Vec<i64>,
    /// Seconds from the start already transcribed while recording (16 kHz PCM streams; in
    /// `GET .../chunks` only, 0 in chunk answers).
    pub transcribed_seconds: f64,
}

/// What became of one chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChunkResult {
    /// Appended to the file (with any held chunks it unblocked) and fsynced.
    Stored,
    /// Received before with the same bytes: nothing to do.
    Duplicate,
    /// Ahead of a gap: kept until the missing chunks arrive.
    Held,
}

/// The answer to a chunk.
#[derive(Debug, Clone, Serialize)]
pub struct ChunkAnswer {
    pub seq: i64,
    pub result: ChunkResult,
    #[serde(flatten)]
    pub status: StreamStatus,
}

/// Options of a new stream.
#[derive(Debug, Clone)]
pub struct NewStream {
    pub recording: NewRecording,
    pub session: SessionChoice,
    pub format: ChunkFormat,
    /// PCM only: samples per second (8000-48000).
    pub sample_rate: Option<u32>,
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn seconds_of(stream: &Stream, bytes: i64, now: i64) -> f64 {
    match (stream.format, stream.sample_rate) {
        (ChunkFormat::Pcm16, Some(rate)) if rate > 0 => bytes as f64 / (2.0 * rate as f64),
        _ => {
            let start = crate::store::parse_ts(&stream.started_at).map(|t| t.unix_timestamp());
            match start {
                Some(s) if bytes > 0 => (now - s).max(0) as f64,
                _ => 0.0,
            }
        }
    }
}

fn status_of(stream: &Stream, held: Vec<i64>) -> StreamStatus {
    let now = now_unix();
    let missing = match held.last() {
        Some(&last) => (stream.next_seq..last)
            .filter(|s| !held.contains(s))
            .collect(),
        None => Vec::new(),
    };
    let seconds = match (stream.format, stream.state) {
        (ChunkFormat::Pcm16, _) => seconds_of(stream, stream.bytes, now),
        _ => {
            let last = stream
                .last_chunk_at
                .as_deref()
                .and_then(crate::store::parse_ts)
                .map(|t| t.unix_timestamp())
                .unwrap_or(now);
            seconds_of(stream, stream.bytes, last)
        }
    };
    StreamStatus {
        recording_id: stream.recording_id,
        state: stream.live_state(now),
        format: stream.format,
        next_seq: stream.next_seq,
        bytes: stream.bytes,
        seconds,
        held,
        missing,
        transcribed_seconds: 0.0,
    }
}

/// A WAV header for mono 16-bit PCM at `rate` with `data_bytes` of samples (`u32::MAX` while
/// the length is unknown, as streaming writers do).
pub fn wav_header(rate: u32, data_bytes: u32) -> [u8; WAV_HEADER_BYTES] {
    let mut h = [0u8; WAV_HEADER_BYTES];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&data_bytes.saturating_add(36).to_le_bytes());
    h[8..16].copy_from_slice(b"WAVEfmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes()); // PCM
    h[22..24].copy_from_slice(&1u16.to_le_bytes()); // mono
    h[24..28].copy_from_slice(&rate.to_le_bytes());
    h[28..32].copy_from_slice(&(rate * 2).to_le_bytes());
    h[32..34].copy_from_slice(&2u16.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_bytes.to_le_bytes());
    h
}

/// Creates a stream: its file under `<data dir>/audio` (mode 0600, a WAV header for PCM) and
/// its recording (status `uploaded`), therapy session and stream rows.
pub async fn start(
    store: &Store,
    data_dir: &Path,
    actor: &Actor,
    mut new: NewStream,
) -> Result<(Recording, StreamStatus), StreamError> {
    let sample_rate = match new.format {
        ChunkFormat::Pcm16 => match new.sample_rate {
            Some(r) if (8000..=48000).contains(&r) => Some(r),
            _ => {
                return Err(StreamError::Invalid(
                    "pcm16 streams need a sample_rate between 8000 and 48000".into(),
                ))
            }
        },
        _ => None,
    };
    let dir = crate::audio::audio_dir(data_dir)?;
    let name = format!(
        "{STREAM_PREFIX}{}.{}",
        crate::auth::token::random_token(),
        new.format.extension()
    );
    let path = dir.join(&name);
    let header: Vec<u8> = match sample_rate {
        Some(r) => wav_header(r, u32::MAX).to_vec(),
        None => Vec::new(),
    };
    let p = path.clone();
    let h = header.clone();
    // Sealed record by record as chunks arrive (see `crate::crypto::sealed::segments`).
    let key = store.data_key().audio_key();
    tokio::task::spawn_blocking(move || segments::create(&p, &key, &h))
        .await
        .map_err(|e| StreamError::Io(std::io::Error::other(e)))??;
    new.recording.path = format!("{}/{name}", crate::audio::AUDIO_DIR);
    new.recording.mime_type = new.format.mime().into();
    let created = store
        .create_stream(
            actor,
            &new.recording,
            new.session,
            new.format,
            sample_rate.map(i64::from),
            header.len() as i64,
        )
        .await;
    match created {
        Ok((rec, stream)) => Ok((rec, status_of(&stream, Vec::new()))),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e.into())
        }
    }
}

/// What the server holds of a recording's stream.
pub async fn status(store: &Store, rec: &Recording) -> Result<StreamStatus, StreamError> {
    let stream = store
        .stream(rec.id)
        .await?
        .ok_or(StreamError::NotStreamed)?;
    let held = store.held_chunks(rec.id).await?;
    let mut st = status_of(&stream, held);
    st.transcribed_seconds = store.stream_parts(rec.id).await?.last().map_or(0.0, |p| {
        p.end_sample as f64 / crate::audio::SAMPLE_RATE as f64
    });
    Ok(st)
}

/// Checks that chunk `seq` fits the stream's format (container magic on the first chunk,
/// whole samples for PCM).
fn check_format(format: ChunkFormat, seq: i64, bytes: &[u8]) -> Result<(), StreamError> {
    match format {
        ChunkFormat::Webm if seq == 0 && !bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) => {
            Err(StreamError::WrongFormat(
                "chunk 0 of a webm stream must start with the WebM (EBML) header".into(),
            ))
        }
        ChunkFormat::Ogg if seq == 0 && !bytes.starts_with(b"OggS") => Err(
            StreamError::WrongFormat("chunk 0 of an ogg stream must start with an Ogg page".into()),
        ),
        ChunkFormat::Pcm16 if !bytes.len().is_multiple_of(2) => Err(StreamError::Invalid(
            "a pcm16 chunk holds whole 16-bit samples (an even number of bytes)".into(),
        )),
        ChunkFormat::Pcm16 if seq == 0 && bytes.starts_with(b"RIFF") => Err(
            StreamError::WrongFormat("a pcm16 stream takes raw samples, not a WAV file".into()),
        ),
        _ => Ok(()),
    }
}

fn too_large(what: &str, limit: String) -> StreamError {
    StreamError::TooLarge(format!("{what} is larger than the limit of {limit}"))
}

/// Appends `parts` to the stream's file after its first `len` bytes: as sealed records, or
/// in the clear to a file from before encryption (still receiving across the upgrade).
fn append_stream(
    path: &Path,
    len: u64,
    parts: &[Vec<u8>],
    key: &crate::crypto::DataKey,
) -> std::io::Result<()> {
    if crate::crypto::sealed::is_sealed(path, segments::SEGMENTS_MAGIC)? {
        segments::append(path, &key.audio_key(), len, parts)
    } else {
        append_synced(path, len, parts)
    }
}

/// Cuts `path` back to `len` bytes (what a crash may have left after the last commit), appends
/// `parts` and fsyncs.
fn append_synced(path: &Path, len: u64, parts: &[Vec<u8>]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.set_len(len)?;
    f.seek(SeekFrom::Start(len))?;
    for p in parts {
        f.write_all(p)?;
    }
    f.sync_all()
}

/// Receives chunk `seq` of `rec`'s stream: stored (and fsynced) when it is the next one,
/// held when it is ahead of a gap, a no-op when it was received before with the same bytes.
pub async fn put_chunk(
    store: &Store,
    queue: &JobQueue,
    data_dir: &Path,
    limits: &StreamLimits,
    rec: &Recording,
    seq: i64,
    bytes: Vec<u8>,
) -> Result<ChunkAnswer, StreamError> {
    if seq < 0 {
        return Err(StreamError::Invalid("chunk numbers start at 0".into()));
    }
    if bytes.len() as u64 > limits.max_chunk_bytes {
        return Err(too_large("the chunk", mib(limits.max_chunk_bytes)));
    }
    if bytes.is_empty() {
        return Err(StreamError::Invalid("the chunk is empty".into()));
    }
    let sha = hex::encode(Sha256::digest(&bytes));
    let mut tx = store.begin_write().await?;
    let stream = streams::stream_in(&mut tx, rec.id)
        .await?
        .ok_or(StreamError::NotStreamed)?;
    match stream.state {
        StreamState::Receiving => {}
        StreamState::Finished => return Err(StreamError::Closed("finished")),
        StreamState::Discarded => return Err(StreamError::Closed("discarded")),
    }
    if let Some(known) = streams::chunk_in(&mut tx, rec.id, seq).await? {
        if known.sha256 != sha {
            return Err(StreamError::DifferentBytes { seq });
        }
        let held = streams::held_in(&mut tx, rec.id).await?;
        return Ok(ChunkAnswer {
            seq,
            result: ChunkResult::Duplicate,
            status: status_of(&stream, held),
        });
    }
    if seq > stream.next_seq + limits.window {
        return Err(StreamError::BeyondWindow {
            seq,
            next_seq: stream.next_seq,
            window: limits.window,
        });
    }
    check_format(stream.format, seq, &bytes)?;
    let held_bytes = streams::held_bytes_in(&mut tx, rec.id).await?;
    let total = stream.bytes + held_bytes + bytes.len() as i64;
    if total as u64 > limits.max_total_bytes {
        return Err(too_large("the recording", mib(limits.max_total_bytes)));
    }
    let now = now_unix();
    if seconds_of(&stream, total, now) > limits.max_seconds {
        return Err(StreamError::TooLarge(format!(
            "the recording is longer than the limit of {:.0} minutes",
            limits.max_seconds / 60.0
        )));
    }
    let size = bytes.len() as i64;
    if seq > stream.next_seq {
        streams::insert_chunk_in(&mut tx, rec.id, seq, size, &sha, Some(&bytes)).await?;
        let held = streams::held_in(&mut tx, rec.id).await?;
        tx.commit().await?;
        return Ok(ChunkAnswer {
            seq,
            result: ChunkResult::Held,
            status: status_of(&stream, held),
        });
    }
    // The next chunk: append it and every held chunk it unblocks.
    streams::insert_chunk_in(&mut tx, rec.id, seq, size, &sha, None).await?;
    let mut parts = vec![bytes];
    let mut next = seq + 1;
    while let Some(c) = streams::chunk_in(&mut tx, rec.id, next).await? {
        match c.pending {
            Some(p) => parts.push(p),
            None => break,
        }
        next += 1;
    }
    streams::release_held_in(&mut tx, rec.id, seq + 1, next).await?;
    let added: i64 = parts.iter().map(|p| p.len() as i64).sum();
    let path = data_dir.join(&rec.path);
    let offset = (stream.header_bytes + stream.bytes) as u64;
    let key = store.data_key().clone();
    tokio::task::spawn_blocking(move || append_stream(&path, offset, &parts, &key))
        .await
        .map_err(|e| StreamError::Io(std::io::Error::other(e)))??;
    let new_bytes = stream.bytes + added;
    let seconds = seconds_of(&stream, new_bytes, now);
    streams::advance_in(
        &mut tx,
        rec.id,
        next,
        new_bytes,
        stream.header_bytes + new_bytes,
        seconds,
    )
    .await?;
    // Transcription keeps up while the recording goes on (16 kHz PCM streams).
    let old_seconds = seconds_of(&stream, stream.bytes, now);
    let part_job = if stream.format == ChunkFormat::Pcm16
        && stream.sample_rate == Some(crate::audio::SAMPLE_RATE as i64)
        && (seconds / PART_SECONDS).floor() > (old_seconds / PART_SECONDS).floor()
    {
        Some(streams::enqueue_part_in(&mut tx, rec, queue.defaults()).await?)
    } else {
        None
    };
    let held = streams::held_in(&mut tx, rec.id).await?;
    let after = streams::stream_in(&mut tx, rec.id)
        .await?
        .ok_or(StreamError::NotStreamed)?;
    tx.commit().await?;
    if let Some(id) = part_job {
        queue.announce(id).await;
    }
    Ok(ChunkAnswer {
        seq,
        result: ChunkResult::Stored,
        status: status_of(&after, held),
    })
}

fn mib(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// The outcome of finishing a stream.
#[derive(Debug, Clone, Serialize)]
pub struct Finished {
    pub recording: Recording,
    pub job_id: JobId,
    /// The stream had been finished before (a repeated finish changes nothing).
    pub already_finished: bool,
}

/// Finishes `rec`'s stream: every chunk up to the last one received (and `expected_chunks`,
/// when the recorder says how many it sent) must be stored; the file is completed (the WAV
/// header of a PCM stream gets its length) and the `transcribe` job is enqueued. Finishing
/// again returns the same job.
pub async fn finish(
    store: &Store,
    queue: &JobQueue,
    audio: &AudioStore,
    actor: &Actor,
    rec: &Recording,
    expected_chunks: Option<i64>,
) -> Result<Finished, StreamError> {
    let data_dir = audio.data_dir();
    let mut tx = store.begin_write().await?;
    let stream = streams::stream_in(&mut tx, rec.id)
        .await?
        .ok_or(StreamError::NotStreamed)?;
    match stream.state {
        StreamState::Receiving => {}
        StreamState::Discarded => return Err(StreamError::Closed("discarded")),
        StreamState::Finished => {
            drop(tx);
            let job_id = store
                .recording_job_id(rec.id)
                .await?
                .ok_or(StoreError::NotFound("transcription job"))?;
            let recording = store
                .recording(rec.id)
                .await?
                .ok_or(StoreError::NotFound("recording"))?;
            return Ok(Finished {
                recording,
                job_id,
                already_finished: true,
            });
        }
    }
    let held = streams::held_in(&mut tx, rec.id).await?;
    let last = held
        .last()
        .map(|&h| h + 1)
        .max(expected_chunks)
        .unwrap_or(stream.next_seq);
    let is_missing = |s: &i64| !held.contains(s);
    let held_in_range = held
        .iter()
        .filter(|&&h| h >= stream.next_seq && h < last)
        .count() as i64;
    let total = (last - stream.next_seq).max(0) - held_in_range;
    if total > 0 {
        let missing = (stream.next_seq..last)
            .filter(is_missing)
            .take(MISSING_SHOWN)
            .collect();
        return Err(StreamError::Missing { missing, total });
    }
    if stream.bytes == 0 {
        return Err(StreamError::Invalid(
            "no audio was received: send chunks before finishing".into(),
        ));
    }
    let path = data_dir.join(&rec.path);
    let len = (stream.header_bytes + stream.bytes) as u64;
    let header = match (stream.format, stream.sample_rate) {
        (ChunkFormat::Pcm16, Some(rate)) => Some(wav_header(
            rate as u32,
            u32::try_from(stream.bytes).unwrap_or(u32::MAX),
        )),
        _ => None,
    };
    let key = store.data_key().clone();
    // a finish retried after a failed commit may find the audio stored already
    let stored = audio.is_remote() && !path.is_file();
    if !stored {
        tokio::task::spawn_blocking(move || complete_and_seal(&path, len, header, &key))
            .await
            .map_err(|e| StreamError::Io(std::io::Error::other(e)))??;
    }
    // into the practice's object store before the job that reads it is committed (a retried
    // finish that finds it stored already does not know its hash: the job then checks none)
    let sha = if stored {
        None
    } else {
        Some(
            audio
                .keep(&rec.path)
                .await
                .map_err(|e| StreamError::Io(std::io::Error::other(e)))?,
        )
    };
    let seconds = status_of(&stream, Vec::new()).seconds;
    let job_id = streams::finish_in(
        &mut tx,
        actor,
        rec,
        seconds,
        len as i64,
        sha.as_deref(),
        queue.defaults(),
    )
    .await?;
    tx.commit().await?;
    queue.announce(job_id).await;
    let recording = store
        .recording(rec.id)
        .await?
        .ok_or(StoreError::NotFound("recording"))?;
    tracing::info!(recording_id = rec.id, job_id, "streamed recording finished");
    Ok(Finished {
        recording,
        job_id,
        already_finished: false,
    })
}

/// Rewrites the finished stream's `len` bytes, with its final WAV header if any, as a sealed
/// audio file (one authenticated stream, like an upload's), replacing the record-by-record
/// file atomically. A finish retried after its transaction failed finds it sealed already; a
/// file from before encryption is completed in place ([`complete_file`]) and then sealed.
fn complete_and_seal(
    path: &Path,
    len: u64,
    header: Option<[u8; WAV_HEADER_BYTES]>,
    key: &crate::crypto::DataKey,
) -> std::io::Result<()> {
    use crate::crypto::sealed::{self, is_sealed, SealedWriter, AUDIO_MAGIC};
    if is_sealed(path, AUDIO_MAGIC)? {
        return Ok(());
    }
    if !is_sealed(path, segments::SEGMENTS_MAGIC)? {
        complete_file(path, len, header)?;
        crate::crypto::plain::seal_in_place(path, key)?;
        return Ok(());
    }
    let tmp = path.with_file_name(format!(
        ".sealing-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let result = (|| {
        let out = std::io::BufWriter::new(sealed::create_private(&tmp)?);
        let mut w = SealedWriter::new(out, &key.audio_key(), AUDIO_MAGIC)?;
        let skip = match header {
            Some(h) => {
                w.write_all(&h)?;
                WAV_HEADER_BYTES as u64
            }
            None => 0,
        };
        segments::copy_to(path, &key.audio_key(), skip, Some(len), &mut w)
            .map_err(std::io::Error::other)?;
        let out = w.finish()?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Cuts the file to its acknowledged length, writes the final WAV header if any, fsyncs.
fn complete_file(
    path: &Path,
    len: u64,
    header: Option<[u8; WAV_HEADER_BYTES]>,
) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.set_len(len)?;
    if let Some(h) = header {
        f.seek(SeekFrom::Start(0))?;
        f.write_all(&h)?;
    }
    f.sync_all()
}

/// Discards a stream that is still receiving (or interrupted): its audio is deleted and the
/// recording cancelled, audited. Discarding again is a no-op; a finished stream is refused.
pub async fn discard(
    store: &Store,
    data_dir: &Path,
    actor: &Actor,
    rec: &Recording,
) -> Result<(), StreamError> {
    let mut tx = store.begin_write().await?;
    let stream = streams::stream_in(&mut tx, rec.id)
        .await?
        .ok_or(StreamError::NotStreamed)?;
    match stream.state {
        StreamState::Discarded => return Ok(()),
        StreamState::Finished => return Err(StreamError::Closed("finished")),
        StreamState::Receiving => {}
    }
    streams::discard_in(&mut tx, actor, rec).await?;
    tx.commit().await?;
    let path: PathBuf = data_dir.join(&rec.path);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(recording_id = rec.id, "cannot delete discarded audio: {e}"),
    }
    tracing::info!(recording_id = rec.id, "streamed recording discarded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_header_is_read_back() {
        let mut bytes = wav_header(16_000, 3200).to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 3200));
        let r = hound::WavReader::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(r.spec().sample_rate, 16_000);
        assert_eq!(r.spec().channels, 1);
        assert_eq!(r.duration(), 1600);
    }

    #[test]
    fn chunk_formats_are_checked() {
        assert!(check_format(ChunkFormat::Webm, 0, &[0x1A, 0x45, 0xDF, 0xA3, 1]).is_ok());
        assert!(matches!(
            check_format(ChunkFormat::Webm, 0, b"RIFF...."),
            Err(StreamError::WrongFormat(_))
        ));
        assert!(check_format(ChunkFormat::Webm, 3, b"anything").is_ok());
        assert!(check_format(ChunkFormat::Ogg, 0, b"OggS....").is_ok());
        assert!(matches!(
            check_format(ChunkFormat::Pcm16, 1, &[1, 2, 3]),
            Err(StreamError::Invalid(_))
        ));
    }
}
