//! The `transcribe` job: a stored recording → decoded audio → whisper → a transcript saved in one
//! transaction with the job's completion (and the follow-up `draft` job), then the audio is
//! deleted unless the clinician chose to keep it.
//!
//! Register it with [`register`]; the payload is `{"recording_id": N}` (see
//! [`crate::store::recordings::TRANSCRIBE_JOB`], enqueued by `Store::create_recording`).
//!
//! A 16 kHz PCM recording streamed while it is recorded ([`super::streaming`]) is transcribed
//! as it arrives: each `transcribe_part` job transcribes the finished stretches of
//! [`super::streaming::PART_SECONDS`] or more (cut at the quietest 30 ms before the end of
//! what arrived, so no word is split) and saves them as the stream's parts; at finish the
//! `transcribe` job transcribes only the audio after the last part and joins them.
//!
//! Crash safety: nothing is written until the end, and the transcript, its segments, the
//! recording's status, the job's completion and the `draft` job commit together; a job killed
//! mid-way runs again from the start on the next start (the audio is kept until success). A
//! re-run that finds a transcript already saved for the recording reuses it. Audio left behind
//! by a crash between that commit and the file deletion is removed by [`sweep_audio`] at start.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use super::engines::Engines;
use super::streaming::PART_SECONDS;
use crate::audio::{self, Audio, DecodeLimits, SAMPLE_RATE};
use crate::audit::Actor;
use crate::crypto::plain::PlainView;
use crate::diarize::{self, DiarizeError, DiarizeOptions, WindowEmbeddings};
use crate::jobs::{handler_fn, HandlerRegistry, Job, JobContext, JobError, JobQueue, NewJob};
use crate::store::audio::{AudioStore, AudioStoreError};
use crate::store::recordings::{
    set_recording_status_in, RecordingKind, RecordingStatus, TRANSCRIBE_JOB,
};
use crate::store::streams::{ChunkFormat, StreamState, TRANSCRIBE_PART_JOB};
use crate::store::transcripts::{insert_transcript_in, transcript_id_for_recording_in};
use crate::store::{Recording, Store};
use crate::transcribe::{vad, Segment, Stage, TranscribeError, TranscribeOptions, Transcript};

/// Kind of the job that drafts a note from a transcript (handled by the drafting pipeline).
pub const DRAFT_JOB: &str = "draft";

/// Settings of transcription jobs.
#[derive(Debug, Clone)]
pub struct TranscriptionSettings {
    /// The data directory (streams being recorded are read there).
    pub data_dir: PathBuf,
    /// Where recordings' audio is kept (the data directory, or an object store).
    pub audio: AudioStore,
    /// Spoken language (ISO code; English-only models ignore it).
    pub language: String,
    /// Longest audio accepted, in seconds.
    pub max_audio_seconds: f64,
    /// Note format of the draft enqueued after a transcript (`soap`, `dap`, `birp`, ...);
    /// `None` enqueues no draft.
    pub draft_format: Option<String>,
}

impl TranscriptionSettings {
    /// Defaults: English, 4 hours, SOAP drafts.
    pub fn new(data_dir: PathBuf) -> TranscriptionSettings {
        TranscriptionSettings {
            audio: AudioStore::local(&data_dir),
            data_dir,
            language: "en".into(),
            max_audio_seconds: 4.0 * 3600.0,
            draft_format: Some("soap".into()),
        }
    }
}

/// Everything the handler needs.
#[derive(Clone)]
struct Ctx {
    store: Store,
    queue: JobQueue,
    engines: Arc<Engines>,
    settings: Arc<TranscriptionSettings>,
}

/// Registers the `transcribe` handler.
pub fn register(
    registry: &mut HandlerRegistry,
    store: Store,
    queue: JobQueue,
    engines: Arc<Engines>,
    settings: TranscriptionSettings,
) {
    let c = Ctx {
        store,
        queue,
        engines,
        settings: Arc::new(settings),
    };
    let parts = c.clone();
    registry.register(
        TRANSCRIBE_JOB,
        handler_fn(move |job, ctx| {
            let c = c.clone();
            async move { run(c, job, ctx).await }
        }),
    );
    registry.register(
        TRANSCRIBE_PART_JOB,
        handler_fn(move |job, ctx| {
            let c = parts.clone();
            async move { run_parts(c, job, ctx).await }
        }),
    );
}

fn options_for(c: &Ctx, rec: &Recording) -> TranscribeOptions {
    let mut opts = if rec.kind == RecordingKind::Dictation {
        TranscribeOptions::dictation()
    } else {
        TranscribeOptions::session()
    };
    opts.language = c.settings.language.clone();
    opts.threads = c.engines.threads();
    opts
}

/// Reads samples `[from, to)` of a 16 kHz mono PCM stream's file while it is received. A file
/// sealed meanwhile (the stream was finished) is an error: what is left is `transcribe`'s.
fn read_pcm(
    path: &Path,
    key: &crate::crypto::DataKey,
    header: u64,
    from: i64,
    to: i64,
) -> std::io::Result<Vec<f32>> {
    use crate::crypto::sealed::{segments, AUDIO_MAGIC};
    use std::io::{Read, Seek, SeekFrom};
    let (a, b) = (header + 2 * from as u64, header + 2 * to.max(from) as u64);
    let mut f = std::fs::File::open(path)?;
    let mut magic = [0u8; 8];
    let magic = f.read_exact(&mut magic).ok().map(|()| magic);
    let bytes = if magic.as_ref() == Some(segments::SEGMENTS_MAGIC) {
        // Opened again by path: if the stream was finished (sealed anew) meanwhile, that fails
        // rather than read something else.
        segments::read_range(path, &key.audio_key(), a, b).map_err(std::io::Error::other)?
    } else if magic.as_ref() == Some(AUDIO_MAGIC) {
        return Err(std::io::Error::other(
            "the stream was finished (its audio is sealed) while a part was read",
        ));
    } else {
        // A stream from before encryption, appended to in the clear.
        f.seek(SeekFrom::Start(a))?;
        let mut bytes = vec![0u8; (b - a) as usize];
        f.read_exact(&mut bytes)?;
        bytes
    };
    Ok(bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
        .collect())
}

/// The `transcribe_part` job: transcribes the stream's finished stretches (each at least
/// [`PART_SECONDS`]) after its last saved part, while the recording goes on. Idempotent: a
/// part is saved once per start; a stream no longer receiving is left to `transcribe`.
async fn run_parts(c: Ctx, job: Job, ctx: JobContext) -> Result<Value, JobError> {
    let recording_id = job
        .payload
        .get("recording_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| JobError::fatal("job payload has no recording_id"))?;
    let rec = c
        .store
        .recording(recording_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| JobError::fatal(format!("recording {recording_id} no longer exists")))?;
    let part_len = (PART_SECONDS * SAMPLE_RATE as f64) as i64;
    let mut saved = 0;
    loop {
        let Some(stream) = c.store.stream(rec.id).await.map_err(db_err)? else {
            break;
        };
        if stream.state != StreamState::Receiving
            || stream.format != ChunkFormat::Pcm16
            || stream.sample_rate != Some(SAMPLE_RATE as i64)
        {
            break;
        }
        // The stream is written on the machine that receives it: a worker elsewhere leaves
        // its parts to the `transcribe` job, which reads the finished audio from the store.
        let path = c.settings.data_dir.join(&rec.path);
        if !path.is_file() {
            tracing::info!(
                recording_id = rec.id,
                "the stream is received on another machine: its parts are left to the end"
            );
            break;
        }
        let parts = c.store.stream_parts(rec.id).await.map_err(db_err)?;
        let from = parts.last().map_or(0, |p| p.end_sample);
        let stored = stream.bytes / 2;
        if stored - from < part_len {
            break;
        }
        if !ctx.progress("transcribing while recording", 0.0) {
            return Err(JobError::Cancelled);
        }
        let engine = c.engines.asr().await.map_err(JobError::fatal)?;
        let model = engine.model_name().to_string();
        // a session's part is embedded for diarization too, so that at finish only the
        // tail is left to embed before the whole recording is clustered
        let speaker = if rec.kind == RecordingKind::Dictation {
            None
        } else {
            c.engines.speaker().await.map_err(JobError::fatal)?
        };
        let key = c.store.data_key().clone();
        let header = stream.header_bytes as u64;
        let opts = options_for(&c, &rec);
        let (segments, end, speakers) = ctx
            .run_blocking(move |ctx| {
                let samples =
                    read_pcm(&path, &key, header, from, stored).map_err(JobError::retryable)?;
                // Cut at the quietest moment of the last 5 s, so that no word is split.
                let n = samples.len();
                let cut =
                    vad::quietest_point(&samples, n.saturating_sub(5 * SAMPLE_RATE as usize), n)
                        .min(n);
                let audio = Audio::from_samples(samples[..cut].to_vec());
                let report = |p: crate::transcribe::Progress| {
                    ctx.progress("transcribing while recording", p.fraction as f64)
                };
                let mut t = match engine.transcribe(&audio, &opts, &report) {
                    Ok(t) => t,
                    Err(TranscribeError::Cancelled) => return Err(JobError::Cancelled),
                    Err(e) => return Err(JobError::fatal(e)),
                };
                let offset = from as f64 / SAMPLE_RATE as f64;
                for s in t.segments.iter_mut() {
                    s.start += offset;
                    s.end += offset;
                }
                let speakers = match speaker {
                    Some(m) => {
                        let report = |f: f32| {
                            ctx.progress("telling speakers apart while recording", f as f64)
                        };
                        let w = m
                            .embed(
                                &samples[..cut],
                                from as usize,
                                &DiarizeOptions::default(),
                                &report,
                            )
                            .map_err(diarize_err)?;
                        Some((m.name().to_string(), w.to_bytes()))
                    }
                    None => None,
                };
                Ok((t.segments, from + cut as i64, speakers))
            })
            .await?;
        let json = serde_json::to_string(&segments).map_err(JobError::fatal)?;
        c.store
            .save_stream_part(
                rec.id,
                from,
                end,
                &model,
                &json,
                speakers.as_ref().map(|(m, w)| (m.as_str(), w.as_slice())),
            )
            .await
            .map_err(db_err)?;
        saved += 1;
    }
    Ok(json!({ "recording_id": rec.id, "parts": saved }))
}

/// What the parts saved while a stream was recorded leave to do at finish.
struct Parts {
    /// The segments of the parts that start at sample 0 and follow each other.
    segments: Vec<Segment>,
    /// The sample after the last of them (0 when there are none).
    end: usize,
    /// Their speaker embeddings, when every one of them was embedded with the speaker model
    /// in use.
    speakers: Option<WindowEmbeddings>,
}

/// The stream's parts that start at sample 0 and follow each other, decoded by `model`
/// (their windows counted only when all were embedded by `speaker_model`).
async fn usable_parts(
    store: &Store,
    recording_id: i64,
    model: &str,
    speaker_model: Option<&str>,
) -> Result<Parts, JobError> {
    let mut segments = Vec::new();
    let mut next = 0i64;
    let mut speakers = speaker_model.map(|_| WindowEmbeddings::default());
    for p in store.stream_parts(recording_id).await.map_err(db_err)? {
        if p.start_sample != next || p.model != model {
            break;
        }
        let mut s: Vec<Segment> = serde_json::from_str(&p.segments)
            .map_err(|e| JobError::fatal(format!("a saved part is not valid JSON: {e}")))?;
        segments.append(&mut s);
        next = p.end_sample;
        let windows = match (&p.speaker_model, &p.speaker_windows) {
            (Some(m), Some(b)) if Some(m.as_str()) == speaker_model => {
                WindowEmbeddings::from_bytes(b)
            }
            _ => None,
        };
        speakers = match (speakers, windows) {
            (Some(mut all), Some(w)) => {
                all.extend(w);
                Some(all)
            }
            _ => None,
        };
    }
    Ok(Parts {
        segments,
        end: next as usize,
        speakers: speakers.filter(|_| next > 0),
    })
}

/// The transcript of a recording whose first `from` samples were transcribed as parts
/// (`prefix`) and the rest as `tail`: segments joined, renumbered, times kept in order.
fn join_parts(
    prefix: Vec<Segment>,
    tail: Transcript,
    from: usize,
    audio_seconds: f64,
) -> Transcript {
    let offset = from as f64 / SAMPLE_RATE as f64;
    let mut segments = prefix;
    segments.extend(tail.segments.into_iter().map(|mut s| {
        s.start += offset;
        s.end += offset;
        s
    }));
    let mut prev_end = 0.0f64;
    for (i, s) in segments.iter_mut().enumerate() {
        s.id = i as u32;
        s.start = s.start.max(prev_end).min(audio_seconds);
        s.end = s.end.max(s.start).min(audio_seconds);
        prev_end = s.end;
    }
    let text = segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Transcript {
        audio_seconds,
        segments,
        text,
        ..tail
    }
}

/// The actor of audit rows written by a job: the user who started it, from `job`.
fn job_actor(job: &Job) -> Actor {
    Actor {
        user_id: job.created_by,
        remote_addr: "job".into(),
    }
}

/// A job's error for a diarization error (cancelled stays cancelled).
fn diarize_err(e: DiarizeError) -> JobError {
    match e {
        DiarizeError::Cancelled => JobError::Cancelled,
        e => JobError::fatal(e),
    }
}

fn db_err(e: impl std::fmt::Display) -> JobError {
    JobError::retryable(format!("database error: {e}"))
}

async fn run(c: Ctx, job: Job, ctx: JobContext) -> Result<Value, JobError> {
    let recording_id = job
        .payload
        .get("recording_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| JobError::fatal("job payload has no recording_id"))?;
    let rec = c
        .store
        .recording(recording_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| JobError::fatal(format!("recording {recording_id} no longer exists")))?;
    let result = transcribe_recording(&c, &job, &ctx, &rec).await;
    // The recording follows the job's end: the queue runs a passing failure again while
    // attempts remain (and nothing asked it to stop), so the recording waits in the queue then.
    let (status, error) = match &result {
        Ok(_) => return result,
        // stopped by a user, or (shutdown, lost lease) given back to the queue
        Err(JobError::Cancelled) if ctx.cancel_requested() => (RecordingStatus::Cancelled, None),
        Err(JobError::Cancelled) => (RecordingStatus::Queued, None),
        Err(JobError::Failed { message, retryable }) => {
            tracing::warn!(
                job_id = job.id,
                recording_id,
                "transcription failed: {message}"
            );
            if *retryable && job.attempts < job.max_attempts && !ctx.cancel_requested() {
                (RecordingStatus::Queued, None)
            } else {
                (RecordingStatus::Failed, Some(message.as_str()))
            }
        }
    };
    if let Err(e) = c.store.set_recording_status(rec.id, status, error).await {
        tracing::warn!(
            job_id = job.id,
            recording_id,
            "cannot mark the recording {}: {e}",
            status.as_str()
        );
    }
    result
}

async fn transcribe_recording(
    c: &Ctx,
    job: &Job,
    ctx: &JobContext,
    rec: &Recording,
) -> Result<Value, JobError> {
    // A previous run already saved the transcript (only possible if its job row was reset by
    // hand): finish without transcribing again.
    {
        let mut tx = c.store.begin_read().await.map_err(db_err)?;
        if let Some(tid) = transcript_id_for_recording_in(&mut tx, rec.id)
            .await
            .map_err(db_err)?
        {
            return Ok(json!({ "transcript_id": tid, "recording_id": rec.id, "reused": true }));
        }
    }
    if !rec.has_audio() {
        return Err(JobError::fatal(
            "the recording's audio was deleted; upload it again",
        ));
    }
    // from the data directory, or into local scratch from the practice's object store
    let expect = job.payload.get("audio_sha256").and_then(Value::as_str);
    let stored = match c.settings.audio.fetch(&rec.path, expect).await {
        Ok(f) => f,
        Err(e @ (AudioStoreError::Missing { .. } | AudioStoreError::Mismatch { .. })) => {
            return Err(JobError::fatal(e.to_string()))
        }
        Err(e) => return Err(JobError::retryable(e.to_string())),
    };
    let path = stored.path().to_path_buf();
    // the stored name's extension (a scratch copy's path has none) hints the decoder
    let ext = Path::new(&rec.path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_string);
    c.store
        .set_recording_status(rec.id, RecordingStatus::Transcribing, None)
        .await
        .map_err(db_err)?;
    if !ctx.progress("loading model", 0.0) {
        return Err(JobError::Cancelled);
    }
    let engine = c.engines.asr().await.map_err(JobError::fatal)?;
    // Sessions are diarized when the speaker model is installed; the clinician who started
    // the job is the therapist when their voice is enrolled.
    let speakers = if rec.kind == RecordingKind::Dictation {
        None
    } else {
        match c.engines.speaker().await.map_err(JobError::fatal)? {
            Some(model) => {
                let voice = match job.created_by {
                    Some(uid) => c
                        .store
                        .voice_enrollment(uid)
                        .await
                        .map_err(db_err)?
                        .filter(|v| v.model == model.name()),
                    None => None,
                };
                let n = job
                    .payload
                    .get("speakers")
                    .and_then(Value::as_u64)
                    .unwrap_or(2) as usize;
                let dopts = DiarizeOptions::with_speakers(n).map_err(JobError::fatal)?;
                Some((model, voice, dopts))
            }
            None => None,
        }
    };
    let opts = options_for(c, rec);
    // A streamed recording transcribed (and embedded) in parts while it was recorded: only
    // the rest is left.
    let speaker_name = speakers.as_ref().map(|(m, _, _)| m.name().to_string());
    let Parts {
        segments: prefix,
        end: from,
        speakers: part_windows,
    } = usable_parts(
        &c.store,
        rec.id,
        engine.model_name(),
        speaker_name.as_deref(),
    )
    .await?;
    let limits = DecodeLimits {
        max_duration_seconds: c.settings.max_audio_seconds,
        ..DecodeLimits::default()
    };
    let key = c.store.data_key().clone();
    let (transcript, diarized) = ctx
        .run_blocking(move |ctx| {
            if !ctx.progress("decoding", 0.01) {
                return Err(JobError::Cancelled);
            }
            // Sealed audio is opened (authenticated whole) into memory for the decoder.
            let view = PlainView::open(&path, &key).map_err(JobError::fatal)?;
            let audio = audio::decode_file_as(view.path(), ext.as_deref(), &limits)
                .map_err(JobError::fatal)?;
            drop(view);
            let report = |p: crate::transcribe::Progress| {
                let (stage, frac) = match p.stage {
                    Stage::Detecting => ("detecting speech", 0.04),
                    Stage::Transcribing => ("transcribing", 0.05 + 0.85 * p.fraction as f64),
                    Stage::Done => ("transcribing", 0.9),
                };
                ctx.progress(stage, frac)
            };
            // Only the audio after the parts, when there are parts.
            let rest = (from > 0)
                .then(|| Audio::from_samples(audio.samples.get(from..).unwrap_or(&[]).to_vec()));
            let mut t = match engine.transcribe(rest.as_ref().unwrap_or(&audio), &opts, &report) {
                Ok(t) => t,
                Err(TranscribeError::Cancelled) => return Err(JobError::Cancelled),
                Err(e) => return Err(JobError::fatal(e)),
            };
            if from > 0 {
                t = join_parts(prefix, t, from, audio.duration_seconds);
            }
            // how the speakers were told apart, for the job's result
            let mut diarized = None;
            if let Some((model, voice, dopts)) = speakers {
                let report = |f: f32| ctx.progress("telling speakers apart", 0.9 + 0.08 * f as f64);
                let d = match part_windows {
                    // the parts were embedded while recording: embed the tail, cluster all
                    Some(mut windows) => {
                        let tail = audio.samples.get(from..).unwrap_or(&[]);
                        windows.extend(
                            model
                                .embed(tail, from, &dopts, &report)
                                .map_err(diarize_err)?,
                        );
                        diarized = Some("in parts while recording");
                        let mut d =
                            diarize::cluster_windows(&windows, &dopts).map_err(diarize_err)?;
                        // overlapped speech is found on the whole recording, now it is whole
                        if dopts.speakers > 1 {
                            d.overlaps = model.overlaps(&audio.samples, &d).map_err(diarize_err)?;
                        }
                        d
                    }
                    None => {
                        diarized = Some("whole recording");
                        model
                            .diarize(&audio.samples, &dopts, &report)
                            .map_err(diarize_err)?
                    }
                };
                diarize::attribute(
                    &mut t,
                    &d,
                    voice.as_ref().map(|v| v.vector.as_slice()),
                    model.name(),
                );
            }
            Ok((t, diarized))
        })
        .await?;
    if !ctx.progress("saving", 0.99) {
        return Err(JobError::Cancelled);
    }

    // One transaction: transcript + segments + recording status + job done + draft job.
    let actor = job_actor(job);
    let mut tx = c.store.begin_write().await.map_err(db_err)?;
    let transcript_id = insert_transcript_in(
        &mut tx,
        &actor,
        rec.client_id,
        Some(rec.id),
        &c.settings.language,
        &transcript,
    )
    .await
    .map_err(db_err)?;
    set_recording_status_in(&mut tx, rec.id, RecordingStatus::Transcribed, None)
        .await
        .map_err(db_err)?;
    let draft_job = match &c.settings.draft_format {
        Some(format) if !transcript.segments.is_empty() => {
            // the draft keeps its transcription's place in the queue (a live recording's
            // finish goes before older uploads)
            let mut nj = NewJob::new(
                DRAFT_JOB,
                json!({ "transcript_id": transcript_id, "format": format }),
            )
            .priority(job.priority)
            .client(rec.client_id);
            nj.created_by = job.created_by;
            Some(c.queue.enqueue_in(&mut tx, nj).await?)
        }
        _ => None,
    };
    let result = json!({
        "transcript_id": transcript_id,
        "recording_id": rec.id,
        "segments": transcript.segments.len(),
        "audio_seconds": transcript.audio_seconds,
        "draft_job_id": draft_job,
        "diarized": diarized,
    });
    ctx.complete_in(&mut tx, &result).await?;
    tx.commit().await.map_err(db_err)?;
    if let Some(id) = draft_job {
        c.queue.announce(id).await;
    }
    tracing::info!(
        job_id = job.id,
        recording_id = rec.id,
        transcript_id,
        segments = transcript.segments.len(),
        "transcript saved"
    );

    if !rec.keep_audio {
        delete_audio(&c.store, &c.settings.audio, rec, &actor, "transcribed").await;
    }
    Ok(result)
}

/// Deletes a recording's audio file and records it (audited `recording.audio_deleted`).
/// Failures are logged; [`sweep_audio`] retries at the next sweep.
pub async fn delete_audio(
    store: &Store,
    audio: &AudioStore,
    rec: &Recording,
    actor: &Actor,
    reason: &str,
) {
    if let Err(e) = try_delete_audio(store, audio, rec, actor, reason).await {
        tracing::warn!(recording_id = rec.id, "cannot delete audio: {e}");
    }
}

/// Why audio could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteAudioError {
    #[error("removing the audio: {0}")]
    Audio(#[from] AudioStoreError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Deletes a recording's audio (already gone is fine), wherever it is kept, and marks it deleted with an audit
/// row naming `reason` (`transcribed`, `failed`, `cancelled`, `deleted_by_user`).
pub async fn try_delete_audio(
    store: &Store,
    audio: &AudioStore,
    rec: &Recording,
    actor: &Actor,
    reason: &str,
) -> Result<(), DeleteAudioError> {
    audio.delete(&rec.path).await?;
    store.mark_audio_deleted(actor, rec, reason).await?;
    Ok(())
}

/// How long the audio of a failed or cancelled recording that was not kept stays, so that the
/// transcription can be retried: 7 days after its job ended.
pub const ENDED_AUDIO_GRACE: time::Duration = time::Duration::days(7);

/// Applies the keep/delete rule to every end state: deletes audio that is not kept once its
/// recording is transcribed, or failed or cancelled more than [`ENDED_AUDIO_GRACE`] before
/// `now` with no transcription queued or running. Run at server start and periodically.
pub async fn sweep_audio_at(store: &Store, audio: &AudioStore, now: time::OffsetDateTime) {
    let ended_before = crate::store::format_ts(now - ENDED_AUDIO_GRACE);
    match store.recordings_pending_audio_deletion(&ended_before).await {
        Ok(recs) => {
            for rec in recs {
                let actor = Actor {
                    user_id: None,
                    remote_addr: "system".into(),
                };
                delete_audio(store, audio, &rec, &actor, rec.status.as_str()).await;
            }
        }
        Err(e) => tracing::warn!("audio sweep failed: {e}"),
    }
}

/// [`sweep_audio_at`] now.
pub async fn sweep_audio(store: &Store, audio: &AudioStore) {
    sweep_audio_at(store, audio, time::OffsetDateTime::now_utc()).await
}
