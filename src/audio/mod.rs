//! Decoding uploaded audio to 16 kHz mono samples.
//!
//! WAV, MP3, FLAC, Ogg Vorbis and M4A/AAC are decoded in Rust (symphonia), downmixed to mono
//! and resampled to 16 kHz (rubato) while streaming from disk: the compressed file is never held
//! in memory. Formats without a Rust decoder (WebM/Opus from phones, for example) go through
//! `ffmpeg` when it is on the PATH; otherwise they are refused with [`AudioError::Unsupported`].
//!
//! Limits: [`DecodeLimits::max_duration_seconds`] is checked against the container header before
//! decoding starts and again while decoding (a lying header cannot make us decode 40 hours).
//!
//! ```no_run
//! use noted::audio::{self, DecodeLimits};
//! let info = audio::probe("session.mp3".as_ref())?;
//! let audio = audio::decode_file("session.mp3".as_ref(), &DecodeLimits::default())?;
//! assert_eq!(audio.samples.len() as f64 / 16_000.0, audio.duration_seconds);
//! # Ok::<(), noted::audio::AudioError>(())
//! ```

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

pub mod riff;

/// The sample rate whisper expects, and the rate of every [`Audio`] this module returns.
pub const SAMPLE_RATE: u32 = 16_000;

/// Human-readable list of the formats decoded without external tools.
/// Sub-directory of the data directory holding audio.
pub const AUDIO_DIR: &str = "audio";

/// Creates `<data dir>/audio` (mode 0700).
pub fn audio_dir(data_dir: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    let dir = data_dir.join(AUDIO_DIR);
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

pub const SUPPORTED_FORMATS: &str = "WAV, MP3, FLAC, Ogg Vorbis, M4A/AAC";

/// File extensions decoded natively (used for error messages and upload checks).
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "flac", "ogg", "oga", "m4a", "mp4", "aac", "aif", "aiff", "caf",
];

/// Limits applied while decoding untrusted audio.
#[derive(Debug, Clone)]
pub struct DecodeLimits {
    /// Longest accepted audio, in seconds (default 4 hours).
    pub max_duration_seconds: f64,
    /// Use `ffmpeg` (when on the PATH) for formats the Rust decoders cannot read.
    pub allow_ffmpeg: bool,
    /// Wall-clock limit of one ffmpeg decode; it is killed past it (default 10 minutes).
    pub ffmpeg_time_limit: std::time::Duration,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_duration_seconds: 4.0 * 3600.0,
            allow_ffmpeg: true,
            ffmpeg_time_limit: std::time::Duration::from_secs(600),
        }
    }
}

/// Decoded audio: 16 kHz mono f32 samples in [-1, 1].
#[derive(Debug, Clone, Default)]
pub struct Audio {
    pub samples: Vec<f32>,
    pub duration_seconds: f64,
}

impl Audio {
    /// Wraps 16 kHz mono samples.
    pub fn from_samples(samples: Vec<f32>) -> Audio {
        let duration_seconds = samples.len() as f64 / SAMPLE_RATE as f64;
        Audio {
            samples,
            duration_seconds,
        }
    }
}

/// Which decoder reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// symphonia (in process).
    Native,
    /// The external `ffmpeg` program.
    Ffmpeg,
}

/// What [`probe`] learns from a file's header without decoding it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AudioInfo {
    /// Container, e.g. "wave", "mp3", "ogg", "isomp4", or "ffmpeg" when only ffmpeg can read it.
    pub container: String,
    /// Codec short name, e.g. "pcm_s16le", "mp3", "vorbis", "aac".
    pub codec: String,
    pub sample_rate: Option<u32>,
    pub channels: Option<usize>,
    /// Duration stated by the header, when it states one.
    pub duration_seconds: Option<f64>,
    pub backend: Backend,
}

/// Content types kept audio may be served with; anything else is served as
/// `application/octet-stream`.
pub const AUDIO_MIME_TYPES: &[&str] = &[
    "audio/wav",
    "audio/mpeg",
    "audio/flac",
    "audio/ogg",
    "audio/mp4",
    "audio/aac",
    "audio/webm",
    "audio/aiff",
    "audio/x-caf",
];

/// The audio content type of a file extension (lower case), if it names an audio format.
pub fn mime_for_extension(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "wav" | "wave" => "audio/wav",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "m4a" | "mp4" => "audio/mp4",
        "aac" => "audio/aac",
        "webm" | "weba" => "audio/webm",
        "aif" | "aiff" => "audio/aiff",
        "caf" => "audio/x-caf",
        _ => return None,
    })
}

impl AudioInfo {
    /// The content type of the file as detected from its contents: the container the decoder
    /// recognised, or for files only ffmpeg reads, the (already checked) extension `ext`.
    pub fn mime_type(&self, ext: Option<&str>) -> &'static str {
        let by_container = match self.container.as_str() {
            "wave" => Some("audio/wav"),
            "mp1" | "mp2" | "mp3" => Some("audio/mpeg"),
            "flac" => Some("audio/flac"),
            "ogg" => Some("audio/ogg"),
            "isomp4" => Some("audio/mp4"),
            "aac" => Some("audio/aac"),
            "mkv" | "matroska" => Some("audio/webm"),
            "aiff" => Some("audio/aiff"),
            "caf" => Some("audio/x-caf"),
            _ => None,
        };
        by_container
            .or_else(|| ext.and_then(mime_for_extension))
            .unwrap_or("application/octet-stream")
    }
}

/// Broad class of an [`AudioError`], for mapping to HTTP status codes and exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioErrorKind {
    /// Not a format we can decode (HTTP 415).
    Unsupported,
    /// Longer than the configured limit (HTTP 413).
    TooLong,
    /// Malformed or truncated data (HTTP 422).
    Corrupt,
    /// No audio at all: empty file, no audio stream, zero-length stream (HTTP 422).
    Empty,
    /// The file could not be read (HTTP 500).
    Io,
}

/// Why audio could not be decoded. Messages name the problem and never contain audio content.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("unsupported audio format ({detail}); supported formats: {SUPPORTED_FORMATS}{hint}",
        hint = if *.ffmpeg_available { "" } else { " (install ffmpeg for WebM, Opus and others)" })]
    Unsupported {
        detail: String,
        ffmpeg_available: bool,
    },
    #[error("audio is too long: {} exceeds the limit of {}{}",
        fmt_duration(*.seconds), fmt_duration(*.max_seconds),
        if *.from_header { " (according to the file header)" } else { "" })]
    TooLong {
        seconds: f64,
        max_seconds: f64,
        from_header: bool,
    },
    #[error("corrupt audio file: {0}")]
    Corrupt(String),
    #[error("no audio: {0}")]
    Empty(String),
    #[error("cannot read audio file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl AudioError {
    /// The broad class of this error.
    pub fn kind(&self) -> AudioErrorKind {
        match self {
            AudioError::Unsupported { .. } => AudioErrorKind::Unsupported,
            AudioError::TooLong { .. } => AudioErrorKind::TooLong,
            AudioError::Corrupt(_) => AudioErrorKind::Corrupt,
            AudioError::Empty(_) => AudioErrorKind::Empty,
            AudioError::Io { .. } => AudioErrorKind::Io,
        }
    }

    /// The HTTP status an upload endpoint should answer with.
    pub fn http_status(&self) -> u16 {
        match self.kind() {
            AudioErrorKind::Unsupported => 415,
            AudioErrorKind::TooLong => 413,
            AudioErrorKind::Corrupt | AudioErrorKind::Empty => 422,
            AudioErrorKind::Io => 500,
        }
    }
}

/// "1 h 02 min 05 s" style durations for messages.
fn fmt_duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h} h {m:02} min {s:02} s")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{seconds:.1} s")
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> AudioError + '_ {
    move |source| AudioError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

/// Whether an `ffmpeg` executable is on the PATH.
pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A recognisable container signature, for clearer messages about formats we cannot decode.
fn sniff(path: &Path) -> Option<&'static str> {
    let mut head = [0u8; 64];
    let n = File::open(path).and_then(|mut f| f.read(&mut head)).ok()?;
    let head = &head[..n];
    if head.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        Some("WebM/Matroska")
    } else if head.starts_with(b"OggS") && head.windows(8).any(|w| w == b"OpusHead") {
        Some("Ogg Opus")
    } else if head.starts_with(b"#!AMR") {
        Some("AMR")
    } else {
        None
    }
}

/// Opens the file, refusing empty files.
fn open_checked(path: &Path) -> Result<File, AudioError> {
    let file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    if len == 0 {
        return Err(AudioError::Empty("the file is empty (0 bytes)".into()));
    }
    Ok(file)
}

/// A symphonia reader with its selected audio track.
struct Opened {
    reader: Box<dyn FormatReader>,
    info: AudioInfo,
    track_id: u32,
    header_frames: Option<u64>,
}

/// Why the native path failed before decoding started.
enum NativeOpenError {
    /// symphonia does not know the container or codec: try ffmpeg.
    Unknown(String),
    Fatal(AudioError),
}

/// What a panic inside symphonia becomes: an arithmetic overflow on a crafted header (its AIFF
/// reader multiplies a 16-bit channel count unchecked) is a corrupt file, not a crash.
fn decoder_panicked() -> AudioError {
    AudioError::Corrupt("the decoder failed on this file's headers or data".into())
}

/// Runs symphonia's part of a decode, a panic in it becoming [`decoder_panicked`].
fn guarded<T>(f: impl FnOnce() -> Result<T, AudioError>) -> Result<T, AudioError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(decoder_panicked()))
}

/// [`open_native`], a panic in symphonia becoming [`decoder_panicked`].
fn open_guarded(path: &Path, ext: Option<&str>) -> Result<Opened, NativeOpenError> {
    std::panic::catch_unwind(|| open_native(path, ext))
        .unwrap_or_else(|_| Err(NativeOpenError::Fatal(decoder_panicked())))
}

fn open_native(path: &Path, ext: Option<&str>) -> Result<Opened, NativeOpenError> {
    let file = open_checked(path).map_err(NativeOpenError::Fatal)?;
    riff::check_file(path)
        .map_err(|e| NativeOpenError::Fatal(AudioError::Corrupt(e.to_string())))?;
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = ext {
        hint.with_extension(ext);
    }
    let reader = match symphonia::default::get_probe().probe(
        &hint,
        mss,
        FormatOptions::default(),
        MetadataOptions::default(),
    ) {
        Ok(r) => r,
        Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(NativeOpenError::Unknown(
                "file ended before a complete header".into(),
            ))
        }
        Err(SymError::IoError(e)) => {
            return Err(NativeOpenError::Fatal(AudioError::Io {
                path: path.to_path_buf(),
                source: e,
            }))
        }
        Err(e) => return Err(NativeOpenError::Unknown(e.to_string())),
    };
    let container = reader.format_info().short_name.to_string();
    let Some(track) = reader.default_track(TrackType::Audio) else {
        return Err(NativeOpenError::Fatal(AudioError::Empty(format!(
            "the {container} file has no audio stream"
        ))));
    };
    let Some(params) = track.codec_params.as_ref().and_then(|p| p.audio()) else {
        return Err(NativeOpenError::Unknown(format!(
            "{container} audio stream with unknown codec"
        )));
    };
    let codec = match symphonia::default::get_codecs().get_audio_decoder(params.codec) {
        Some(d) => d.codec.info.short_name.to_string(),
        None => {
            return Err(NativeOpenError::Unknown(format!(
                "{container} audio stream with codec {} that has no Rust decoder",
                params.codec
            )))
        }
    };
    let sample_rate = params.sample_rate;
    let channels = params.channels.as_ref().map(|c| c.count());
    let header_frames = track.num_frames;
    let duration_seconds = match (header_frames, sample_rate) {
        (Some(n), Some(r)) if r > 0 => Some(n as f64 / r as f64),
        _ => track
            .time_base
            .zip(track.duration)
            .and_then(|(tb, d)| tb.calc_duration(d))
            .map(|t| t.as_secs_f64()),
    };
    let track_id = track.id;
    Ok(Opened {
        reader,
        info: AudioInfo {
            container,
            codec,
            sample_rate,
            channels,
            duration_seconds,
            backend: Backend::Native,
        },
        track_id,
        header_frames,
    })
}

/// Whether the file is a RIFF/WAVE whose data chunk is empty (a valid header, no samples).
fn wav_with_empty_data(path: &Path) -> bool {
    let mut head = vec![0u8; 4096];
    let Ok(n) = File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = &head[..n];
    if head.len() < 12 || &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return false;
    }
    let mut pos = 12;
    while pos + 8 <= head.len() {
        let id = &head[pos..pos + 4];
        let len = u32::from_le_bytes([head[pos + 4], head[pos + 5], head[pos + 6], head[pos + 7]]);
        if id == b"data" {
            return len == 0 || pos + 8 == head.len();
        }
        pos += 8 + len as usize + (len as usize & 1);
    }
    false
}

/// Error for a file neither symphonia nor (an absent) ffmpeg can read.
fn unsupported(path: &Path, ext: Option<&str>, reason: String) -> AudioError {
    if wav_with_empty_data(path) {
        return AudioError::Empty("the WAV audio stream has zero length".into());
    }
    let ext = ext.map(str::to_string);
    let known_ext = ext
        .as_deref()
        .is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e));
    if let Some(kind) = sniff(path) {
        return AudioError::Unsupported {
            detail: format!("{kind} has no built-in decoder"),
            ffmpeg_available: false,
        };
    }
    if known_ext {
        // Named like a format we decode, yet unreadable: the content is bad, not the format.
        AudioError::Corrupt(format!(
            "not a valid .{} file ({reason})",
            ext.unwrap_or_default()
        ))
    } else {
        AudioError::Unsupported {
            detail: match ext {
                Some(e) => format!(".{e} file not recognised: {reason}"),
                None => format!("not recognised: {reason}"),
            },
            ffmpeg_available: false,
        }
    }
}

/// Reads a file's header: container, codec, rate, channels and stated duration.
pub fn probe(path: &Path) -> Result<AudioInfo, AudioError> {
    probe_as(path, extension(path).as_deref())
}

/// [`probe`] for a file whose path does not end in its extension (a plaintext view of sealed
/// audio, [`crate::crypto::plain::PlainView`]): `ext` is the hint and names the format in
/// messages.
pub fn probe_as(path: &Path, ext: Option<&str>) -> Result<AudioInfo, AudioError> {
    match open_guarded(path, ext) {
        Ok(o) => Ok(o.info),
        Err(NativeOpenError::Fatal(e)) => Err(e),
        Err(NativeOpenError::Unknown(reason)) => {
            // ffmpeg only counts when it finds an audio stream: random bytes stay refused.
            if let Some(codec) = ffmpeg_available()
                .then(|| ffprobe_audio_codec(path))
                .flatten()
            {
                Ok(AudioInfo {
                    container: "ffmpeg".into(),
                    codec,
                    sample_rate: None,
                    channels: None,
                    duration_seconds: ffprobe_duration(path),
                    backend: Backend::Ffmpeg,
                })
            } else {
                Err(unsupported(path, ext, reason))
            }
        }
    }
}

/// Decodes a file to 16 kHz mono f32, enforcing `limits`.
pub fn decode_file(path: &Path, limits: &DecodeLimits) -> Result<Audio, AudioError> {
    decode_file_as(path, extension(path).as_deref(), limits)
}

/// [`decode_file`] with the extension given apart from the path (see [`probe_as`]).
pub fn decode_file_as(
    path: &Path,
    ext: Option<&str>,
    limits: &DecodeLimits,
) -> Result<Audio, AudioError> {
    match open_guarded(path, ext) {
        Ok(opened) => guarded(|| decode_native(opened, limits)),
        Err(NativeOpenError::Fatal(e)) => Err(e),
        Err(NativeOpenError::Unknown(reason)) => {
            if limits.allow_ffmpeg && ffmpeg_available() && ffprobe_audio_codec(path).is_some() {
                decode_ffmpeg(path, ext, limits)
            } else {
                Err(unsupported(path, ext, reason))
            }
        }
    }
}

fn check_header_duration(info: &AudioInfo, limits: &DecodeLimits) -> Result<(), AudioError> {
    if let Some(d) = info.duration_seconds {
        if d > limits.max_duration_seconds {
            return Err(AudioError::TooLong {
                seconds: d,
                max_seconds: limits.max_duration_seconds,
                from_header: true,
            });
        }
    }
    Ok(())
}

fn decode_native(mut o: Opened, limits: &DecodeLimits) -> Result<Audio, AudioError> {
    check_header_duration(&o.info, limits)?;
    if o.header_frames == Some(0) {
        return Err(AudioError::Empty(format!(
            "the {} audio stream has zero length",
            o.info.container
        )));
    }
    let track = o
        .reader
        .tracks()
        .iter()
        .find(|t| t.id == o.track_id)
        .expect("track id comes from this reader");
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .expect("checked in open_native")
        .clone();
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::Unsupported {
            detail: format!("cannot decode {}: {e}", o.info.codec),
            ffmpeg_available: false,
        })?;

    let mut mono: Option<Mono16k> = None;
    let mut planes: Vec<Vec<f32>> = Vec::new();
    let mut downmixed: Vec<f32> = Vec::new();
    let mut decoded_ok = 0u64;
    let mut decode_errors = 0u64;
    let mut truncated = false;
    loop {
        let packet = match o.reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                truncated = true;
                break;
            }
            Err(SymError::ResetRequired) => break,
            Err(SymError::IoError(e)) => {
                return Err(AudioError::Corrupt(format!(
                    "read error while decoding: {e}"
                )))
            }
            Err(e) => {
                if decoded_ok == 0 {
                    return Err(AudioError::Corrupt(e.to_string()));
                }
                truncated = true;
                break;
            }
        };
        if packet.track_id != o.track_id {
            continue;
        }
        let buf = match decoder.decode(&packet) {
            Ok(b) => b,
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                decode_errors += 1;
                // A few damaged packets in a long file are tolerated; mostly damage is not.
                if decode_errors > 16 && decode_errors > decoded_ok / 10 {
                    return Err(AudioError::Corrupt(format!(
                        "{decode_errors} damaged {} packets",
                        o.info.codec
                    )));
                }
                continue;
            }
            Err(e) => return Err(AudioError::Corrupt(e.to_string())),
        };
        decoded_ok += 1;
        if buf.frames() == 0 {
            continue;
        }
        let rate = buf.spec().rate();
        buf.copy_to_vecs_planar::<f32>(&mut planes);
        downmix(&planes, &mut downmixed);
        let m = match &mut mono {
            Some(m) => m,
            None => mono.insert(Mono16k::new(rate)?),
        };
        if m.rate != rate {
            return Err(AudioError::Corrupt(format!(
                "sample rate changes mid-stream ({} Hz to {rate} Hz)",
                m.rate
            )));
        }
        m.push(&downmixed)?;
        let seconds = m.input_seconds();
        if seconds > limits.max_duration_seconds {
            return Err(AudioError::TooLong {
                seconds,
                max_seconds: limits.max_duration_seconds,
                from_header: false,
            });
        }
    }
    let Some(m) = mono else {
        return Err(if decode_errors > 0 {
            AudioError::Corrupt(format!(
                "no {} packet could be decoded ({decode_errors} damaged)",
                o.info.codec
            ))
        } else {
            AudioError::Empty(format!(
                "the {} audio stream contains no samples",
                o.info.container
            ))
        });
    };
    let got = m.in_frames;
    if let (Some(expected), Some(rate)) = (o.header_frames, o.info.sample_rate) {
        // The header promised more than the file holds (allow one second for encoder slack).
        if got + (rate as u64) < expected {
            return Err(AudioError::Corrupt(format!(
                "truncated: the header states {} but the file holds {}",
                fmt_duration(expected as f64 / rate as f64),
                fmt_duration(got as f64 / rate as f64)
            )));
        }
    } else if truncated && decoded_ok == 0 {
        return Err(AudioError::Corrupt(
            "truncated before the first packet".into(),
        ));
    }
    let samples = m.finish()?;
    if samples.is_empty() {
        return Err(AudioError::Empty(
            "the audio stream contains no samples".into(),
        ));
    }
    Ok(Audio::from_samples(samples))
}

/// Averages planes (channels) into one, each sample finite and within [-1, 1] (a float WAV can
/// hold NaN, infinities or huge values, which the resampler's FFT turns into a panic).
fn downmix(planes: &[Vec<f32>], out: &mut Vec<f32>) {
    downmix_raw(planes, out);
    for x in out.iter_mut() {
        *x = if x.is_finite() {
            x.clamp(-1.0, 1.0)
        } else {
            0.0
        };
    }
}

fn downmix_raw(planes: &[Vec<f32>], out: &mut Vec<f32>) {
    out.clear();
    let Some(first) = planes.first() else {
        return;
    };
    if planes.len() == 1 {
        out.extend_from_slice(first);
        return;
    }
    out.extend_from_slice(first);
    for p in &planes[1..] {
        for (o, s) in out.iter_mut().zip(p) {
            *o += *s;
        }
    }
    let scale = 1.0 / planes.len() as f32;
    for o in out.iter_mut() {
        *o *= scale;
    }
}

/// Streaming mono resampler to 16 kHz.
struct Mono16k {
    rate: u32,
    resampler: Option<Fft<f32>>,
    pending: Vec<f32>,
    buf_out: Vec<f32>,
    out: Vec<f32>,
    /// Output frames still to drop (the resampler's delay).
    skip: usize,
    in_frames: u64,
}

const CHUNK: usize = 4096;

/// The lowest input sample rate decoded (telephone audio is 8 kHz).
pub const MIN_INPUT_RATE: u32 = 1_000;
/// The highest input sample rate decoded (studio audio reaches 384 kHz).
pub const MAX_INPUT_RATE: u32 = 384_000;

impl Mono16k {
    fn new(rate: u32) -> Result<Mono16k, AudioError> {
        // The resampler's buffers grow with the ratio of the rates (a header claiming 4 GHz, or
        // 1 Hz, would make it allocate gigabytes): only rates real audio uses are accepted.
        if !(MIN_INPUT_RATE..=MAX_INPUT_RATE).contains(&rate) {
            return Err(AudioError::Corrupt(format!(
                "sample rate {rate} Hz is outside {MIN_INPUT_RATE}..{MAX_INPUT_RATE} Hz"
            )));
        }
        let resampler = if rate == SAMPLE_RATE {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    rate as usize,
                    SAMPLE_RATE as usize,
                    CHUNK,
                    1,
                    FixedSync::Input,
                )
                .map_err(|e| AudioError::Corrupt(format!("cannot resample from {rate} Hz: {e}")))?,
            )
        };
        let (buf_out, skip) = match &resampler {
            Some(r) => (vec![0.0; r.output_frames_max()], r.output_delay()),
            None => (Vec::new(), 0),
        };
        Ok(Mono16k {
            rate,
            resampler,
            pending: Vec::new(),
            buf_out,
            out: Vec::new(),
            skip,
            in_frames: 0,
        })
    }

    fn input_seconds(&self) -> f64 {
        self.in_frames as f64 / self.rate as f64
    }

    fn push(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.in_frames += samples.len() as u64;
        let Some(r) = self.resampler.as_mut() else {
            self.out.extend_from_slice(samples);
            return Ok(());
        };
        self.pending.extend_from_slice(samples);
        let mut pos = 0;
        loop {
            let need = r.input_frames_next();
            if self.pending.len() - pos < need {
                break;
            }
            let written = run_chunk(r, &self.pending[pos..pos + need], &mut self.buf_out, None)?;
            append_skipping(&mut self.out, &self.buf_out[..written], &mut self.skip);
            pos += need;
        }
        self.pending.drain(..pos);
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<f32>, AudioError> {
        let Some(r) = self.resampler.as_mut() else {
            return Ok(self.out);
        };
        let expected =
            (self.in_frames as f64 * SAMPLE_RATE as f64 / self.rate as f64).round() as usize;
        let need = r.input_frames_next();
        let mut chunk = std::mem::take(&mut self.pending);
        let partial = chunk.len();
        chunk.resize(need, 0.0);
        let written = run_chunk(r, &chunk, &mut self.buf_out, Some(partial))?;
        append_skipping(&mut self.out, &self.buf_out[..written], &mut self.skip);
        // Flush the resampler's delay with silence.
        let mut guard = 0;
        while self.out.len() < expected && guard < 64 {
            let need = r.input_frames_next();
            chunk.clear();
            chunk.resize(need, 0.0);
            let written = run_chunk(r, &chunk, &mut self.buf_out, Some(0))?;
            append_skipping(&mut self.out, &self.buf_out[..written], &mut self.skip);
            guard += 1;
        }
        self.out.truncate(expected);
        Ok(self.out)
    }
}

fn run_chunk(
    r: &mut Fft<f32>,
    input: &[f32],
    out: &mut [f32],
    partial: Option<usize>,
) -> Result<usize, AudioError> {
    let frames = input.len();
    let inp = InterleavedSlice::new(input, 1, frames)
        .map_err(|e| AudioError::Corrupt(format!("resampler input: {e}")))?;
    let cap = out.len();
    let mut outp = InterleavedSlice::new_mut(out, 1, cap)
        .map_err(|e| AudioError::Corrupt(format!("resampler output: {e}")))?;
    let indexing = Indexing {
        input_offset: 0,
        output_offset: 0,
        partial_len: partial,
        active_channels_mask: None,
    };
    let (_, written) = r
        .process_into_buffer(&inp, &mut outp, Some(&indexing))
        .map_err(|e| AudioError::Corrupt(format!("resampling failed: {e}")))?;
    Ok(written)
}

fn append_skipping(out: &mut Vec<f32>, new: &[f32], skip: &mut usize) {
    let drop = (*skip).min(new.len());
    *skip -= drop;
    out.extend_from_slice(&new[drop..]);
}

/// Demuxers ffmpeg and ffprobe may use on uploaded bytes: audio and audio/video containers
/// only. Playlists and scripts (`concat`, `hls`, `image2`, ...) could make them read other
/// files, so they are never probed.
pub const FFMPEG_FORMATS: &str =
    "wav,w64,mp3,flac,ogg,matroska,webm,mov,mp4,m4a,aac,aiff,caf,amr,asf,au,opus";

/// Protocols ffmpeg and ffprobe may open: the uploaded file and the output pipe, no network.
pub const FFMPEG_PROTOCOLS: &str = "file,pipe";

/// The input options every ffmpeg/ffprobe run on uploaded bytes gets (before `-i`/the path).
fn ffmpeg_input_options() -> [&'static str; 4] {
    [
        "-protocol_whitelist",
        FFMPEG_PROTOCOLS,
        "-format_whitelist",
        FFMPEG_FORMATS,
    ]
}

/// Kills a child process that is still running when its time is up.
struct Watchdog {
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<bool>>,
}

impl Watchdog {
    /// Starts watching `child`: it is killed `limit` after this call unless [`Watchdog::stop`]
    /// came first.
    fn start(
        child: std::sync::Arc<std::sync::Mutex<std::process::Child>>,
        limit: std::time::Duration,
    ) -> Watchdog {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || match rx.recv_timeout(limit) {
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if let Ok(mut c) = child.lock() {
                    let _ = c.kill();
                }
                true
            }
            _ => false,
        });
        Watchdog {
            done: Some(tx),
            thread: Some(thread),
        }
    }

    /// Stops watching; returns whether the child had been killed for running too long.
    fn stop(mut self) -> bool {
        self.done.take();
        self.thread
            .take()
            .map(|t| t.join().unwrap_or(false))
            .unwrap_or(false)
    }
}

/// Output of a command run under a time limit.
#[derive(Debug)]
pub struct LimitedOutput {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    /// The command ran past its limit and was killed.
    pub timed_out: bool,
}

/// Runs `cmd` (stdin closed, stdout captured, stderr discarded), killing it after `limit`.
pub fn run_limited(
    cmd: &mut Command,
    limit: std::time::Duration,
) -> std::io::Result<LimitedOutput> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let child = std::sync::Arc::new(std::sync::Mutex::new(child));
    let dog = Watchdog::start(child.clone(), limit);
    let mut out = Vec::new();
    let read = stdout.read_to_end(&mut out);
    let timed_out = dog.stop();
    let status = child
        .lock()
        .map_err(|_| std::io::Error::other("child lock poisoned"))?
        .wait()?;
    read?;
    Ok(LimitedOutput {
        status,
        stdout: out,
        timed_out,
    })
}

/// How long one ffprobe run on an upload may take.
const FFPROBE_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// One value ffprobe prints for `entries` (e.g. `format=duration`), or `None` when it fails or
/// prints nothing (not a media file, no such stream, no ffprobe).
fn ffprobe_value(path: &Path, select: Option<&str>, entries: &str) -> Option<String> {
    let mut cmd = Command::new("ffprobe");
    cmd.args(["-v", "error"]).args(ffmpeg_input_options());
    if let Some(stream) = select {
        cmd.args(["-select_streams", stream]);
    }
    cmd.args(["-show_entries", entries, "-of", "csv=p=0"])
        .arg(path);
    let out = run_limited(&mut cmd, FFPROBE_LIMIT).ok()?;
    let value = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !out.timed_out && !value.is_empty()).then_some(value)
}

/// The codec of the file's first audio stream as ffprobe sees it, or `None`.
fn ffprobe_audio_codec(path: &Path) -> Option<String> {
    ffprobe_value(path, Some("a:0"), "stream=codec_name")
}

fn ffprobe_duration(path: &Path) -> Option<f64> {
    ffprobe_value(path, None, "format=duration")?.parse().ok()
}

/// Decodes with the external `ffmpeg` to 16 kHz mono f32le on a pipe, enforcing the limit
/// while reading.
fn decode_ffmpeg(
    path: &Path,
    ext: Option<&str>,
    limits: &DecodeLimits,
) -> Result<Audio, AudioError> {
    if let Some(d) = ffprobe_duration(path) {
        if d > limits.max_duration_seconds {
            return Err(AudioError::TooLong {
                seconds: d,
                max_seconds: limits.max_duration_seconds,
                from_header: true,
            });
        }
    }
    let mut child = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error"])
        .args(ffmpeg_input_options())
        .arg("-i")
        .arg(path)
        .args(["-vn", "-ac", "1", "-ar", "16000", "-f", "f32le", "pipe:1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io_err(path))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    // Drain stderr on a thread so ffmpeg never blocks on a full pipe.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let child = std::sync::Arc::new(std::sync::Mutex::new(child));
    let dog = Watchdog::start(child.clone(), limits.ffmpeg_time_limit);
    let wait = |child: &std::sync::Arc<std::sync::Mutex<std::process::Child>>, kill: bool| {
        let mut c = child
            .lock()
            .map_err(|_| std::io::Error::other("ffmpeg child lock poisoned"))
            .map_err(io_err(path))?;
        if kill {
            let _ = c.kill();
        }
        c.wait().map_err(io_err(path))
    };
    let max_samples = (limits.max_duration_seconds * SAMPLE_RATE as f64) as usize;
    let mut samples = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = stdout.read(&mut buf).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buf[..n]);
        let whole = carry.len() / 4 * 4;
        samples.extend(
            carry[..whole]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        carry.drain(..whole);
        if samples.len() > max_samples {
            dog.stop();
            let _ = wait(&child, true);
            return Err(AudioError::TooLong {
                seconds: samples.len() as f64 / SAMPLE_RATE as f64,
                max_seconds: limits.max_duration_seconds,
                from_header: false,
            });
        }
    }
    let timed_out = dog.stop();
    let status = wait(&child, false)?;
    let stderr = err_thread.join().unwrap_or_default();
    if timed_out {
        return Err(AudioError::Corrupt(format!(
            "decoding took longer than the limit of {} s (ffmpeg was stopped)",
            limits.ffmpeg_time_limit.as_secs()
        )));
    }
    if !status.success() {
        let last = stderr.lines().last().unwrap_or("ffmpeg failed").trim();
        let what = match ext {
            Some(e) => format!("not a valid .{e} file"),
            None => "not a valid audio file".to_string(),
        };
        return Err(AudioError::Corrupt(format!(
            "{what} (ffmpeg could not decode it: {last})"
        )));
    }
    if samples.is_empty() {
        return Err(AudioError::Empty("ffmpeg found no audio samples".into()));
    }
    Ok(Audio::from_samples(samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic inside symphonia (tests/hostile_audio.rs's property test once found an
    /// arithmetic overflow in its AIFF reader on a mutated file) is a corrupt-file error, and
    /// a decode that returns is passed through.
    #[test]
    fn a_panic_in_the_decoder_is_a_corrupt_file() {
        let r: Result<(), AudioError> = guarded(|| panic!("attempt to multiply with overflow"));
        assert!(matches!(r, Err(AudioError::Corrupt(_))), "{r:?}");
        assert_eq!(guarded(|| Ok(7)).ok(), Some(7));
        assert!(matches!(
            guarded(|| -> Result<(), AudioError> { Err(AudioError::Empty("x".into())) }),
            Err(AudioError::Empty(_))
        ));
    }

    #[test]
    fn downmix_averages_channels() {
        let mut out = Vec::new();
        downmix(&[vec![1.0, 0.0], vec![0.0, 0.0], vec![0.5, 1.0]], &mut out);
        assert_eq!(out, vec![0.5, 1.0 / 3.0]);
    }

    #[test]
    fn resampler_keeps_length_and_pitch() {
        // 1 s of a 440 Hz tone at 44.1 kHz, pushed in odd-sized pieces.
        let rate = 44_100u32;
        let tone: Vec<f32> = (0..rate)
            .map(|i| (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin() * 0.5)
            .collect();
        let mut m = Mono16k::new(rate).unwrap();
        for piece in tone.chunks(1000) {
            m.push(piece).unwrap();
        }
        let out = m.finish().unwrap();
        assert_eq!(out.len(), 16_000);
        // Compare against the ideal 16 kHz tone away from the edges.
        let max_err = (1000..15_000)
            .map(|i| {
                let ideal = (2.0 * std::f32::consts::PI * 440.0 * i as f32 / 16_000.0).sin() * 0.5;
                (out[i] - ideal).abs()
            })
            .fold(0.0f32, f32::max);
        // The FFT resampler may shift by a fraction of a sample (inaudible): ~0.016 here.
        // A wrong ratio or a whole-sample misalignment gives errors above 0.05.
        assert!(max_err < 0.03, "max error {max_err}");
    }

    #[test]
    fn commands_past_their_time_limit_are_killed() {
        let start = std::time::Instant::now();
        let out = run_limited(
            Command::new("sleep").arg("30"),
            std::time::Duration::from_millis(300),
        )
        .unwrap();
        assert!(out.timed_out);
        assert!(!out.status.success());
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        let out = run_limited(
            Command::new("echo").arg("hi"),
            std::time::Duration::from_secs(10),
        )
        .unwrap();
        assert!(!out.timed_out && out.status.success());
        assert_eq!(out.stdout, b"hi\n");
    }

    /// Whether ffmpeg tests can run; with `NOTED_REQUIRE_FFMPEG=1` (CI) a missing ffmpeg fails.
    fn ffmpeg_or_skip() -> bool {
        if ffmpeg_available() {
            return true;
        }
        assert!(
            std::env::var("NOTED_REQUIRE_FFMPEG").map_or(true, |v| v != "1"),
            "NOTED_REQUIRE_FFMPEG=1 but ffmpeg is not on the PATH"
        );
        eprintln!("skipped: ffmpeg is not on the PATH");
        false
    }

    #[test]
    fn ffmpeg_opens_no_network_address() {
        if !ffmpeg_or_skip() {
            return;
        }
        // A WAV served over HTTP on this machine: ffprobe alone reads it; with the input
        // options every run on uploaded bytes gets, the http protocol is refused.
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut wav = std::io::Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut wav, spec).unwrap();
            for i in 0..8_000 {
                w.write_sample(((i % 80) as i16 - 40) * 200).unwrap();
            }
            w.finalize().unwrap();
        }
        let wav = wav.into_inner();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/upload.wav", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            use std::io::{Read, Write};
            // answer every request (ffprobe may open the address more than once)
            listener.set_nonblocking(false).unwrap();
            for stream in listener.incoming().take(4) {
                let Ok(mut s) = stream else { break };
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                if buf.starts_with(b"QUIT") {
                    break;
                }
                let head = format!(
                    "HTTP/1.0 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: {}\r\n\r\n",
                    wav.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&wav);
            }
        });
        let plain = Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-show_entries",
                "stream=codec_name",
                "-of",
                "csv=p=0",
            ])
            .arg(&url)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&plain.stdout).contains("pcm_s16le"),
            "the test server is not readable without the whitelist: {}",
            String::from_utf8_lossy(&plain.stderr)
        );
        assert!(ffprobe_audio_codec(Path::new(&url)).is_none());
        assert!(probe(Path::new(&url)).is_err());
        // let the server thread end
        if let Ok(mut s) = std::net::TcpStream::connect(
            url.trim_start_matches("http://").split('/').next().unwrap(),
        ) {
            use std::io::Write;
            let _ = s.write_all(b"QUIT");
        }
        let _ = server.join();
    }

    #[test]
    fn ffmpeg_reads_no_playlists_or_scripts() {
        if !ffmpeg_or_skip() {
            return;
        }
        // An ffconcat script next to a WAV: without the format whitelist, ffmpeg follows it
        // and decodes the other file (any file the server can read).
        let dir = std::env::temp_dir().join(format!("noted-ffconcat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(dir.join("other.wav"), spec).unwrap();
        for i in 0..16_000 {
            w.write_sample(((i % 80) as i16 - 40) * 200).unwrap();
        }
        w.finalize().unwrap();
        let script = dir.join("upload.bin");
        std::fs::write(&script, "ffconcat version 1.0\nfile other.wav\n").unwrap();
        assert!(ffprobe_audio_codec(&script).is_none());
        assert!(probe(&script).is_err());
        assert!(decode_file(&script, &DecodeLimits::default()).is_err());
        // A real container still goes through ffmpeg with the same options.
        assert!(ffprobe_audio_codec(&dir.join("other.wav")).is_some());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn detected_types_are_audio() {
        let info = |container: &str| AudioInfo {
            container: container.into(),
            codec: "x".into(),
            sample_rate: None,
            channels: None,
            duration_seconds: None,
            backend: Backend::Native,
        };
        assert_eq!(info("wave").mime_type(Some("html")), "audio/wav");
        assert_eq!(info("ffmpeg").mime_type(Some("webm")), "audio/webm");
        assert_eq!(
            info("ffmpeg").mime_type(Some("html")),
            "application/octet-stream"
        );
        assert_eq!(mime_for_extension("svg"), None);
        for ext in [
            "wav", "mp3", "flac", "ogg", "m4a", "webm", "aiff", "caf", "aac",
        ] {
            assert!(AUDIO_MIME_TYPES.contains(&mime_for_extension(ext).unwrap()));
        }
    }

    #[test]
    fn errors_map_to_http_statuses() {
        let e = AudioError::TooLong {
            seconds: 36_000.0,
            max_seconds: 14_400.0,
            from_header: true,
        };
        assert_eq!(e.http_status(), 413);
        assert!(e.to_string().contains("10 h 00 min 00 s"), "{e}");
        let e = AudioError::Unsupported {
            detail: "x".into(),
            ffmpeg_available: false,
        };
        assert_eq!(e.http_status(), 415);
        assert!(e.to_string().contains("FLAC"));
    }
}
