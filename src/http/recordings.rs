//! Recordings: uploading session audio or a dictation (`POST /api/v1/clients/{id}/recordings`,
//! multipart or a raw body; and the chart's upload form), listing them with their transcription
//! job, serving kept audio (`GET /api/v1/recordings/{id}/audio`, with HTTP Range), the browser
//! recording page and the recording page with live job progress. Also serves the two scripts
//! of these pages (`/static/recorder.js`, `/static/jobs.js`).
//!
//! Uploads stream to `<data dir>/audio/` (directory 0700, files 0600), never whole in memory;
//! anything refused (too large, unsupported, corrupt, too long) leaves no file behind.

use std::path::{Path as FsPath, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{Stream, StreamExt};
use minijinja::Environment;
use serde::{Deserialize, Serialize};
use std::io::Write;

use super::{page_base, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audio::{self, AudioError, AudioErrorKind};
use crate::audit::Event;
use crate::chart::SessionInput;
use crate::store::recordings::RecordingKind;
use crate::store::{Client, NewRecording, Recording, RecordingRow, SessionChoice};

pub use crate::audio::{audio_dir, AUDIO_DIR};
/// Prefix of files still being uploaded (swept at start).
const UPLOAD_PREFIX: &str = "upload-";
/// A Range request within this long of an audited access to the same audio by the same user
/// belongs to that access (seeking, a player's follow-up requests).
const AUDIO_ACCESS_WINDOW: time::Duration = time::Duration::minutes(10);
/// Bytes read and discarded past the limit before answering 413, so the client sees the answer.
const DRAIN_BYTES: u64 = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/clients/{id}/recordings",
            get(api_list)
                .post(api_upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/api/v1/recordings/{id}", get(api_get))
        .route(
            "/api/v1/recordings/{id}/audio",
            get(api_audio).delete(api_delete_audio),
        )
        .route("/recordings/{id}/audio/delete", post(delete_audio_submit))
        .route(
            "/clients/{id}/recordings",
            get(list_page)
                .post(upload_submit)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/clients/{id}/record", get(record_page))
        .route("/recordings/{id}", get(recording_page))
}

// ----- Templates ------------------------------------------------------------------------------

/// This module's pages, added to (a copy of) the shared template environment.
const PAGES: &[(&str, &str)] = &[
    ("record.html", include_str!("../../templates/record.html")),
    (
        "recordings.html",
        include_str!("../../templates/recordings.html"),
    ),
    (
        "recording.html",
        include_str!("../../templates/recording.html"),
    ),
    (
        "transcript.html",
        include_str!("../../templates/transcript.html"),
    ),
];

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = super::templates::env().clone();
        for (name, source) in PAGES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
        }
        env
    })
}

/// Renders one of this stage's pages (recordings, transcripts).
pub fn render_page<S: Serialize>(name: &str, ctx: S) -> Result<Html<String>, Error> {
    Ok(Html(env().get_template(name)?.render(ctx)?))
}

// ----- Access -----------------------------------------------------------------------------------

/// A recording and its client, if `user` may see the client's chart (else 404).
pub async fn recording_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(RecordingRow, Client), Error> {
    state.chart(user).recording(id).await
}

// ----- Upload -----------------------------------------------------------------------------------

/// Upload options given as query parameters (raw body uploads; multipart may also use them).
#[derive(Debug, Default, Deserialize)]
pub struct UploadQuery {
    kind: Option<String>,
    keep_audio: Option<String>,
    therapy_session_id: Option<String>,
    filename: Option<String>,
}

/// What an upload said, from its fields (multipart) or query parameters.
#[derive(Debug, Default)]
struct UploadFields {
    kind: Option<String>,
    keep_audio: Option<String>,
    therapy_session_id: Option<String>,
}

/// The uploaded file on disk, deleted on drop unless [`Staged::persist`] moved it into place.
/// Its name is chosen here (random, with an extension from [`AUDIO_EXTENSIONS`]), never taken
/// from the upload.
struct Staged {
    path: Option<PathBuf>,
    size: u64,
    ext: Option<&'static str>,
}

impl Staged {
    fn path(&self) -> &FsPath {
        self.path
            .as_deref()
            .expect("staged file present until dropped")
    }

    /// Renames the upload to its final name; from then on the caller owns the file.
    fn persist(mut self, data_dir: &FsPath) -> std::io::Result<(String, PathBuf)> {
        let from = self.path.take().expect("staged file present");
        let name = from
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .trim_start_matches(UPLOAD_PREFIX)
            .to_string();
        let rel = format!("{AUDIO_DIR}/rec-{name}");
        let to = data_dir.join(&rel);
        if let Err(e) = std::fs::rename(&from, &to) {
            let _ = std::fs::remove_file(&from);
            return Err(e);
        }
        Ok((rel, to))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Deletes uploads left half-written by a process that died mid-upload, and sealed copies
/// left half-written (`.sealing-*`, ciphertext only). Run at start.
pub fn sweep_partial_uploads(data_dir: &FsPath) {
    let Ok(entries) = std::fs::read_dir(data_dir.join(AUDIO_DIR)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(UPLOAD_PREFIX) || name.starts_with(".sealing-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// File extensions an upload may carry (lower case), each with the extension it is stored
/// under. Anything else is refused: kept audio is served back, and only audio may be.
const AUDIO_EXTENSIONS: &[(&str, &str)] = &[
    ("wav", "wav"),
    ("wave", "wav"),
    ("mp3", "mp3"),
    ("flac", "flac"),
    ("ogg", "ogg"),
    ("oga", "ogg"),
    ("opus", "opus"),
    ("m4a", "m4a"),
    ("mp4", "mp4"),
    ("aac", "aac"),
    ("webm", "webm"),
    ("weba", "webm"),
    ("aif", "aiff"),
    ("aiff", "aiff"),
    ("caf", "caf"),
];

/// The stored extension for a client-supplied file name: `None` when it has none, 415 when it
/// is not an audio extension.
fn ext_from_name(name: &str) -> Result<Option<&'static str>, Error> {
    let Some(ext) = FsPath::new(name).extension() else {
        return Ok(None);
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    AUDIO_EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, stored)| Some(*stored))
        .ok_or_else(|| {
            Error::UnsupportedMediaType(format!(
                "only audio files can be uploaded: the file name must end in .wav, .mp3, .flac, \
                 .ogg, .opus, .m4a, .mp4, .aac, .webm, .aiff or .caf ({})",
                audio::SUPPORTED_FORMATS
            ))
        })
}

/// A stored extension for a content type, so the decoder gets a hint. Only a hint: what is
/// stored and served is what the decoder detects.
fn ext_from_mime(mime: &str) -> Option<&'static str> {
    let m = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match m.as_str() {
        "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "wav",
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/flac" | "audio/x-flac" => "flac",
        "audio/ogg" | "audio/vorbis" => "ogg",
        "audio/mp4" | "audio/x-m4a" | "audio/m4a" | "audio/aac" => "m4a",
        "audio/webm" | "video/webm" => "webm",
        "audio/opus" => "opus",
        _ => return None,
    })
}

/// The content type kept audio is served with: the type detected at upload when it is an
/// audio type, else `application/octet-stream` (rows from before the check kept the
/// uploader's type).
fn served_type(stored: &str) -> &'static str {
    audio::AUDIO_MIME_TYPES
        .iter()
        .find(|t| **t == stored)
        .copied()
        .unwrap_or("application/octet-stream")
}

fn too_large(limit: u64) -> Error {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{limit} bytes")
    };
    Error::PayloadTooLarge(format!("the upload is larger than the limit of {size}"))
}

fn io_error(e: std::io::Error) -> Error {
    Error::Internal(format!("writing the upload: {e}"))
}

/// Streams `stream` into a new sealed file under `<data dir>/audio` (encrypted as it arrives,
/// never on disk in the clear), counting bytes against `limit`.
async fn stage<S, E>(
    data_dir: &FsPath,
    key: &crate::crypto::DataKey,
    mut stream: S,
    limit: u64,
    ext: Option<&'static str>,
) -> Result<Staged, Error>
where
    S: Stream<Item = Result<axum::body::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let dir = audio_dir(data_dir).map_err(io_error)?;
    let token = crate::auth::token::random_token();
    let name = match &ext {
        Some(e) => format!("{UPLOAD_PREFIX}{token}.{e}"),
        None => format!("{UPLOAD_PREFIX}{token}"),
    };
    let path = dir.join(name);
    let file = crate::crypto::sealed::create_private(&path).map_err(io_error)?;
    let mut staged = Staged {
        path: Some(path),
        size: 0,
        ext,
    };
    let mut file = crate::crypto::sealed::SealedWriter::new(
        std::io::BufWriter::new(file),
        &key.audio_key(),
        crate::crypto::sealed::AUDIO_MAGIC,
    )
    .map_err(io_error)?;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| Error::BadRequest(format!("the upload was interrupted: {e}")))?;
        staged.size += chunk.len() as u64;
        if staged.size > limit {
            drop(file);
            drop(staged); // deletes the partial file
            let mut drained = 0u64;
            while let Some(Ok(c)) = stream.next().await {
                drained += c.len() as u64;
                if drained > DRAIN_BYTES {
                    break;
                }
            }
            return Err(too_large(limit));
        }
        file.write_all(&chunk).map_err(io_error)?;
    }
    file.finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.sync_all())
        .map_err(io_error)?;
    Ok(staged)
}

/// Reads a multipart upload: the text fields and the file (field `file` or `audio`, or any
/// field with a file name).
async fn read_multipart(
    state: &AppState,
    req: Request,
) -> Result<(UploadFields, Option<Staged>), Error> {
    let mut mp = Multipart::from_request(req, state).await.map_err(|e| {
        Error::BadRequest(format!(
            "cannot read the multipart upload: {}",
            e.body_text()
        ))
    })?;
    let mut fields = UploadFields::default();
    let mut staged = None;
    let limit = state.config.max_upload_bytes;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    return Err(too_large(limit));
                }
                return Err(Error::BadRequest(format!(
                    "cannot read the multipart upload: {}",
                    e.body_text()
                )));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let is_file = field.file_name().is_some() || name == "file" || name == "audio";
        if is_file {
            if staged.is_some() {
                return Err(Error::field("file", "send one audio file per upload"));
            }
            let ct = field.content_type().unwrap_or("").to_string();
            let named = match field.file_name() {
                Some(n) => ext_from_name(n)?,
                None => None,
            };
            let ext = named.or_else(|| ext_from_mime(&ct));
            let stream = field.map(|r| r.map_err(|e| e.body_text()));
            staged = Some(
                stage(
                    &state.data_dir,
                    state.store.data_key(),
                    Box::pin(stream),
                    limit,
                    ext,
                )
                .await?,
            );
        } else {
            let value = read_text_field(field, &name).await?;
            match name.as_str() {
                "kind" => fields.kind = Some(value),
                "keep_audio" => fields.keep_audio = Some(value),
                "therapy_session_id" => fields.therapy_session_id = Some(value),
                _ => {} // csrf_token and unknown fields
            }
        }
    }
    Ok((fields, staged))
}

/// Longest accepted value of a multipart text field (`kind`, `keep_audio`...), in bytes.
const MAX_TEXT_FIELD: usize = 1000;

/// Reads a multipart text field chunk by chunk, refusing it as soon as it passes
/// [`MAX_TEXT_FIELD`] (the upload routes have no body limit: a field is never read whole first).
async fn read_text_field(
    mut field: axum::extract::multipart::Field<'_>,
    name: &str,
) -> Result<String, Error> {
    let mut value = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if value.len() + chunk.len() > MAX_TEXT_FIELD {
                    return Err(Error::field(name, "value is too long"));
                }
                value.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                return Err(Error::BadRequest(format!(
                    "cannot read field {name}: {}",
                    e.body_text()
                )))
            }
        }
    }
    String::from_utf8(value).map_err(|_| Error::field(name, "must be text (UTF-8)"))
}

/// Reads a raw-body upload (the options come as query parameters).
async fn read_raw(
    state: &AppState,
    q: &UploadQuery,
    headers: &HeaderMap,
    body: Body,
) -> Result<Staged, Error> {
    let limit = state.config.max_upload_bytes;
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit {
            return Err(too_large(limit));
        }
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let named = match q.filename.as_deref() {
        Some(n) => ext_from_name(n)?,
        None => None,
    };
    let ext = named.or_else(|| ext_from_mime(&ct));
    stage(
        &state.data_dir,
        state.store.data_key(),
        body.into_data_stream(),
        limit,
        ext,
    )
    .await
}

fn parse_bool(field: &str, v: &str) -> Result<bool, Error> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" | "" => Ok(false),
        _ => Err(Error::field(field, "must be true or false")),
    }
}

/// Maps an audio problem to the HTTP answer (415 unsupported, 413 too long, 422 corrupt/empty).
fn audio_error(e: AudioError) -> Error {
    match e.kind() {
        AudioErrorKind::Unsupported => Error::UnsupportedMediaType(e.to_string()),
        AudioErrorKind::TooLong => Error::PayloadTooLarge(e.to_string()),
        AudioErrorKind::Corrupt | AudioErrorKind::Empty => Error::field("file", e.to_string()),
        AudioErrorKind::Io => Error::Internal(e.to_string()),
    }
}

/// For a RIFF/WAVE file: whether its `data` chunk claims more bytes than the file holds
/// (a truncated upload), allowing one second of slack. `None` when it looks whole or is not WAV.
fn wav_truncation(path: &FsPath) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let mut head = [0u8; 12];
    f.read_exact(&mut head).ok()?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return None;
    }
    let mut pos = 12u64;
    let mut byte_rate = 0u64;
    for _ in 0..64 {
        let mut ch = [0u8; 8];
        f.seek(SeekFrom::Start(pos)).ok()?;
        f.read_exact(&mut ch).ok()?;
        let size = u32::from_le_bytes([ch[4], ch[5], ch[6], ch[7]]) as u64;
        if &ch[0..4] == b"fmt " {
            let mut fmt = [0u8; 16];
            f.read_exact(&mut fmt).ok()?;
            byte_rate = u32::from_le_bytes([fmt[8], fmt[9], fmt[10], fmt[11]]) as u64;
        } else if &ch[0..4] == b"data" {
            // Streaming writers use 0 or 0xFFFFFFFF for "unknown length".
            if size == 0 || size == u32::MAX as u64 {
                return None;
            }
            let have = len.saturating_sub(pos + 8);
            if have + byte_rate.max(1) < size {
                return Some(if byte_rate > 0 {
                    format!(
                        "truncated WAV: the header states {:.1} s of audio but the file holds {:.1} s",
                        size as f64 / byte_rate as f64,
                        have as f64 / byte_rate as f64
                    )
                } else {
                    format!("truncated WAV: the header states {size} bytes of audio but the file holds {have}")
                });
            }
            return None;
        }
        pos += 8 + size + (size & 1);
        if pos >= len {
            return None;
        }
    }
    None
}

/// The answer to a successful upload.
#[derive(Debug, Serialize)]
pub struct UploadAnswer {
    pub recording: Recording,
    pub job_id: i64,
}

/// Checks, stores and enqueues an upload. Every refusal leaves no file behind.
async fn accept_upload(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    fields: UploadFields,
    staged: Option<Staged>,
) -> Result<UploadAnswer, Error> {
    let staged = staged.ok_or_else(|| Error::field("file", "no audio file in the upload"))?;
    let kind = fields
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map_or(Some(RecordingKind::Session), RecordingKind::parse)
        .ok_or_else(|| Error::field("kind", "must be session or dictation"))?;
    let keep_audio = match fields.keep_audio.as_deref() {
        Some(v) => parse_bool("keep_audio", v)?,
        None => state.config.keep_audio_default,
    };
    let session_id = match fields.therapy_session_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| Error::field("therapy_session_id", "must be a session id"))?,
        ),
    };
    if let Some(sid) = session_id {
        match state.within(client).session(sid).await? {
            Some(_) => {}
            _ => {
                return Err(Error::field(
                    "therapy_session_id",
                    "no such session in this client's chart",
                ))
            }
        }
    }
    if staged.size == 0 {
        return Err(Error::field(
            "file",
            "no audio: the file is empty (0 bytes)",
        ));
    }
    let path = staged.path().to_path_buf();
    let ext = staged.ext;
    let key = state.store.data_key().clone();
    let max_seconds = state.config.max_audio_seconds;
    let probed = tokio::task::spawn_blocking(move || {
        let view =
            crate::crypto::plain::PlainView::open(&path, &key).map_err(|e| AudioError::Io {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
        let info = audio::probe_as(view.path(), ext)?;
        if let Some(d) = info.duration_seconds {
            if d > max_seconds {
                return Err(AudioError::TooLong {
                    seconds: d,
                    max_seconds,
                    from_header: true,
                });
            }
            if d <= 0.0 {
                return Err(AudioError::Empty("the audio stream has zero length".into()));
            }
        }
        if let Some(t) = wav_truncation(view.path()) {
            return Err(AudioError::Corrupt(t));
        }
        Ok(info)
    })
    .await
    .map_err(|e| Error::Internal(format!("probing the upload: {e}")))?;
    let info = probed.map_err(audio_error)?;

    let session = match session_id {
        Some(id) => SessionChoice::Existing(id),
        None => {
            let minutes = info
                .duration_seconds
                .map(|d| (d / 60.0).ceil() as i64)
                .unwrap_or(50)
                .clamp(1, 600);
            SessionChoice::Create(SessionInput {
                session_date: state.today(),
                start_time: None,
                duration_minutes: minutes,
                modality: "in_person".into(),
                status: "completed".into(),
            })
        }
    };
    let size = staged.size as i64;
    let mime = info.mime_type(staged.ext).to_string();
    let (rel, full) = staged.persist(&state.data_dir).map_err(io_error)?;
    // into the practice's object store before the job that reads it exists
    let sha = match state.audio.keep(&rel).await {
        Ok(sha) => sha,
        Err(e) => {
            let _ = std::fs::remove_file(&full);
            tracing::warn!("storing an upload failed: {e}");
            return Err(Error::Unavailable(format!(
                "the audio could not be stored ({}); try again",
                state.audio.place()
            )));
        }
    };
    let new = NewRecording {
        client_id: client.id,
        kind,
        path: rel.clone(),
        mime_type: mime,
        size_bytes: size,
        duration_seconds: info.duration_seconds,
        keep_audio,
        uploaded_by: user.id(),
        audio_sha256: Some(sha),
    };
    match state
        .store
        .create_recording(&user.actor(), &new, session, state.jobs.defaults())
        .await
    {
        Ok((recording, job_id)) => {
            state.jobs.announce(job_id).await;
            tracing::info!(recording_id = recording.id, job_id, "recording uploaded");
            Ok(UploadAnswer { recording, job_id })
        }
        Err(e) => {
            if let Err(d) = state.audio.delete(&rel).await {
                tracing::warn!("removing an upload whose recording was refused failed: {d}");
            }
            Err(e.into())
        }
    }
}

/// Audits a refused upload (status only, no content).
async fn audit_refusal(state: &AppState, user: &CurrentUser, client_id: i64, e: &Error) {
    let ev = Event::new("recording.rejected", "client", client_id)
        .client(client_id)
        .detail(serde_json::json!({ "status": e.status().as_u16(), "code": e.code() }));
    let _ = state.audit(user, ev).await;
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Free bytes for unprivileged writers on the disk holding `dir`; `None` where unknown.
pub fn free_disk_bytes(dir: &FsPath) -> Option<u64> {
    #[cfg(unix)]
    {
        let st = rustix::fs::statvfs(dir).ok()?;
        Some(st.f_bavail.saturating_mul(st.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Refuses an upload the disk cannot hold while keeping
/// [`super::HttpConfig::min_free_disk_bytes`] free: the declared length, or the largest upload
/// allowed when none is declared.
fn check_free_disk(state: &AppState, headers: &HeaderMap) -> Result<(), Error> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(state.config.max_upload_bytes)
        .min(state.config.max_upload_bytes);
    let need = declared.saturating_add(state.config.min_free_disk_bytes);
    match free_disk_bytes(&state.data_dir) {
        Some(free) if free < need => {
            tracing::warn!(free, need, "upload refused: the data disk is nearly full");
            Err(Error::InsufficientStorage(
                "the server's disk is too full to take this recording; ask the administrator to \
                 free space"
                    .into(),
            ))
        }
        _ => Ok(()),
    }
}

/// Reads (multipart or raw) and accepts an upload for `client`, one of at most
/// [`super::HttpConfig::max_concurrent_uploads`] at a time, when the disk has room for it.
async fn upload(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    q: UploadQuery,
    req: Request,
) -> Result<UploadAnswer, Error> {
    let result = async {
        let _slot =
            state
                .uploads
                .clone()
                .try_acquire_owned()
                .map_err(|_| Error::TooManyRequests {
                    message: "too many uploads are in progress; try again in a minute".into(),
                    retry_after_secs: 30,
                })?;
        check_free_disk(state, req.headers())?;
        let (mut fields, staged) = if is_multipart(req.headers()) {
            let (f, s) = read_multipart(state, req).await?;
            (f, s)
        } else {
            let (parts, body) = req.into_parts();
            let s = read_raw(state, &q, &parts.headers, body).await?;
            (UploadFields::default(), Some(s))
        };
        fields.kind = fields.kind.or(q.kind);
        fields.keep_audio = fields.keep_audio.or(q.keep_audio);
        fields.therapy_session_id = fields.therapy_session_id.or(q.therapy_session_id);
        accept_upload(state, user, client, fields, staged).await
    }
    .await;
    if let Err(e) = &result {
        audit_refusal(state, user, client.id, e).await;
    }
    result
}

async fn api_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    req: Request,
) -> Result<Response, Error> {
    let client = state.client_for(&user, id).await?;
    let answer = upload(&state, &user, &client, q, req).await?;
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

async fn upload_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    req: Request,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let answer = upload(&state, &user, &client, q, req).await?;
    Ok(Redirect::to(&format!("/recordings/{}", answer.recording.id)).into_response())
}

// ----- Reading ----------------------------------------------------------------------------------

async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let recordings = state.within(&client).recordings().await?;
    state
        .audit(&user, Event::new("recording.list", "client", id).client(id))
        .await?;
    Ok(Json(serde_json::json!({ "recordings": recordings })))
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RecordingRow>, Error> {
    let (r, c) = recording_for(&state, &user, id).await?;
    state
        .audit(
            &user,
            Event::new("recording.view", "recording", id).client(c.id),
        )
        .await?;
    Ok(Json(r))
}

/// The audio of a recording while it is kept (HTTP Range supported, for seeking).
/// Deletes a recording's audio on request (kept audio, or audio waiting out its grace period),
/// audited `recording.audio_deleted` with reason `deleted_by_user`. Refused while a
/// transcription of it is queued or running.
async fn delete_recording_audio(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(), Error> {
    let (r, client) = recording_for(state, user, id).await?;
    if !r.recording.has_audio() {
        return Err(Error::NotFound("audio (already deleted)"));
    }
    if state
        .within(&client)
        .recording_job_active(&r.recording)
        .await?
    {
        return Err(Error::Conflict(
            "the recording is being transcribed: cancel the transcription first".into(),
        ));
    }
    crate::pipeline::transcription::try_delete_audio(
        &state.store,
        &state.audio,
        &r.recording,
        &user.actor(),
        "deleted_by_user",
    )
    .await
    .map_err(|e| Error::Internal(format!("deleting recording {id}'s audio: {e}")))
}

async fn api_delete_audio(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Error> {
    delete_recording_audio(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_audio_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    delete_recording_audio(&state, &user, id).await?;
    Ok(Redirect::to(&format!("/recordings/{id}")).into_response())
}

async fn api_audio(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, Error> {
    use tower::ServiceExt;
    let (r, c) = recording_for(&state, &user, id).await?;
    let gone = || Error::NotFound("audio (it is deleted after transcription unless kept)");
    if !r.recording.has_audio() {
        return Err(gone());
    }
    // the data directory's file, or a scratch copy from the practice's object store
    let stored = match state.audio.fetch(&r.recording.path, None).await {
        Ok(f) => f,
        Err(crate::store::audio::AudioStoreError::Missing { .. }) => return Err(gone()),
        Err(e) => return Err(Error::Internal(format!("reading audio: {e}"))),
    };
    let path = stored.path().to_path_buf();
    // One audit row per listening or download, not per Range request a player makes while
    // seeking: a request without Range is always audited; a Range request (whatever bytes it
    // asks for) is audited unless this user's access to this recording was audited in the
    // last AUDIO_ACCESS_WINDOW.
    let ranged = req.headers().contains_key(header::RANGE);
    let ev = Event::new("recording.audio_view", "recording", id).client(c.id);
    let since = time::OffsetDateTime::now_utc() - AUDIO_ACCESS_WINDOW;
    if !ranged
        || !crate::audit::recorded_since(
            &state.store,
            &user.actor(),
            &ev,
            &crate::store::format_ts(since),
        )
        .await?
    {
        state.audit(&user, ev).await?;
    }
    // Sealed audio is served from a plaintext view in memory, opened (and authenticated)
    // whole for each request; the response keeps its own handle on it.
    let key = state.store.data_key().clone();
    let view =
        tokio::task::spawn_blocking(move || crate::crypto::plain::PlainView::open(&path, &key))
            .await
            .map_err(|e| Error::Internal(format!("opening audio: {e}")))?
            .map_err(|e| Error::Internal(format!("opening audio: {e}")))?;
    let resp = tower_http::services::ServeFile::new(view.path())
        .oneshot(req)
        .await
        .map_err(|e| Error::Internal(format!("serving audio: {e}")))?;
    drop(view);
    drop(stored);
    let mut resp = resp.map(Body::new);
    // Never a type guessed from a name: the detected audio type, as a download, not sniffed.
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served_type(&r.recording.mime_type)),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"recording-{id}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(resp)
}

// ----- Pages ------------------------------------------------------------------------------------

async fn list_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let chart = state.within(&client);
    let recordings = chart.recordings().await?;
    let sessions = chart.sessions().await?;
    state
        .audit(&user, Event::new("recording.list", "client", id).client(id))
        .await?;
    let html = render_page(
        "recordings.html",
        minijinja::context! {
            title => "Recordings",
            client => client,
            recordings => recordings,
            sessions => sessions,
            keep_audio_default => state.config.keep_audio_default,
            max_upload_mb => state.config.max_upload_bytes / (1024 * 1024),
            formats => audio::SUPPORTED_FORMATS,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

async fn record_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let sessions = state.within(&client).sessions().await?;
    state
        .audit(
            &user,
            Event::new("client.view", "client", id)
                .client(id)
                .detail(serde_json::json!({"page": "record"})),
        )
        .await?;
    let html = render_page(
        "record.html",
        minijinja::context! {
            title => "Record",
            client => client,
            sessions => sessions,
            keep_audio_default => state.config.keep_audio_default,
            max_upload_bytes => state.config.max_upload_bytes,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

async fn recording_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (r, client) = recording_for(&state, &user, id).await?;
    let job = match r.job_id {
        Some(j) => state.within(&client).job(j).await.ok().flatten(),
        None => None,
    };
    state
        .audit(
            &user,
            Event::new("recording.view", "recording", id).client(client.id),
        )
        .await?;
    // The draft that follows the transcript: its job's live status, then a link to review it.
    let (draft_job, draft) = match r.transcript_id {
        Some(t) => {
            let of_transcript = |v: &serde_json::Value| v["transcript_id"].as_i64() == Some(t);
            let jobs = state
                .jobs
                .list_for_client(client.id, 100)
                .await
                .map_err(super::jobs::queue_error)?;
            let draft_job = jobs
                .into_iter()
                .find(|j| j.kind == "draft" && of_transcript(&j.payload));
            let drafts = state.within(&client).drafts().await?;
            let draft = drafts.into_iter().find(|d| d.transcript_id == Some(t));
            (draft_job, draft)
        }
        None => (None, None),
    };
    let html = render_page(
        "recording.html",
        minijinja::context! {
            title => "Recording",
            client => client,
            r => r,
            job => job,
            draft_job => draft_job,
            draft => draft,
            ..page_base(&user)
        },
    )?;
    Ok(html.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_parse() {
        for (name, _) in PAGES {
            env().get_template(name).unwrap();
        }
    }

    #[test]
    fn only_audio_extensions_are_accepted() {
        assert_eq!(ext_from_name("Session 1.WAV").unwrap(), Some("wav"));
        assert_eq!(ext_from_name("a.oga").unwrap(), Some("ogg"));
        assert_eq!(ext_from_name("../../etc/passwd").unwrap(), None);
        // Only the last path component counts; the stored name never uses the given one.
        assert_eq!(ext_from_name("a.w/v").unwrap(), None);
        for bad in ["x.html", "x.svg", "x.js", "x.wav.html", "x.HTM", "x.exe"] {
            assert_eq!(
                ext_from_name(bad).unwrap_err().status(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{bad}"
            );
        }
        assert_eq!(ext_from_mime("audio/wav; codecs=1"), Some("wav"));
        assert_eq!(ext_from_mime("text/html"), None);
        assert_eq!(served_type("audio/mpeg"), "audio/mpeg");
        assert_eq!(served_type("text/html"), "application/octet-stream");
        assert_eq!(served_type("image/svg+xml"), "application/octet-stream");
    }

    #[test]
    fn truncated_wav_is_detected() {
        let dir = std::env::temp_dir().join(format!("noted-wavtrunc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("t.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for i in 0..16_000 * 5 {
            w.write_sample(((i % 100) as i16) * 100).unwrap();
        }
        w.finalize().unwrap();
        assert_eq!(wav_truncation(&p), None);
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() / 3]).unwrap();
        assert!(wav_truncation(&p).unwrap().contains("truncated"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
