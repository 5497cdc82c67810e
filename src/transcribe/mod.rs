//! Speech to timestamped transcript segments with whisper.
//!
//! # API (for the HTTP and job layers)
//!
//! ```no_run
//! use std::sync::Arc;
//! use noted::audio::{self, DecodeLimits};
//! use noted::models::registry::{self, Role};
//! use noted::transcribe::{Engine, EngineOptions, Progress, TranscribeOptions, TranscribeError};
//!
//! # fn demo(models_dir: &std::path::Path, path: &std::path::Path) -> Result<(), TranscribeError> {
//! // Once per process: load the active speech model and share it (Engine is Send + Sync).
//! let model = registry::active(models_dir, Role::Asr)?;
//! let engine = Arc::new(Engine::load(&model, EngineOptions::default())?);
//!
//! // Per job (on a blocking thread, never on the async runtime):
//! let audio = audio::decode_file(path, &DecodeLimits::default())?; // AudioError::http_status()
//! let opts = TranscribeOptions::session(); // or TranscribeOptions::dictation()
//! let transcript = engine.transcribe(&audio, &opts, &|p: Progress| {
//!     // p.stage, p.fraction (0..=1 of the audio done); return false to cancel.
//!     true
//! })?; // Err(TranscribeError::Cancelled) when the callback returned false
//! println!("{}", transcript.to_json());
//! # Ok(()) }
//! ```
//!
//! * One [`Engine`] per process (the model weights, ~75 MB for tiny.en); each call to
//!   [`Engine::transcribe`] creates its own whisper states (~20–60 MB each, one per parallel
//!   stream, see [`plan_streams`]), so several jobs can run concurrently on one engine.
//! * The progress callback runs on the calling thread a few times per second and between
//!   windows; cancellation takes effect within a fraction of a second (whisper's abort hook).
//! * Optional initial prompt with clinical vocabulary ([`CLINICAL_PROMPT`], off by default:
//!   it cost recall in measurement, see [`TranscribeOptions::initial_prompt`]).
//! * Guards against whisper's failure modes: energy VAD (only voiced audio is decoded, long
//!   silences cut, nothing decoded for pure silence), segments dropped when their no-speech
//!   probability is high and their log-probability low, non-speech annotations dropped,
//!   repetition loops (gzip ratio > 2.4 or repeated n-grams) retried at temperatures 0.2–1.0.
//! * Timestamps are seconds on the original timeline, monotonic, within the audio.
//! * Writers: [`Transcript::to_json`], [`Transcript::to_txt`], [`Transcript::to_srt`],
//!   [`Transcript::to_vtt`]; [`wer`] scores a transcript against a reference.

pub mod bench;
pub mod cores;
pub mod guard;
pub mod output;
pub mod vad;
pub mod wer;

use std::ffi::{c_int, c_void};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

use crate::audio::{Audio, AudioError, SAMPLE_RATE};
use crate::models::registry::{InstalledModel, ModelError, Role};

pub use vad::VadOptions;

/// Clinical vocabulary given to whisper as its initial prompt, to help spelling.
pub const CLINICAL_PROMPT: &str = "Therapy session notes. PHQ-9, GAD-7, PCL-5, CBT, DBT, ACT, \
EMDR, SI, HI, SUDS, CSSRS, sertraline, fluoxetine, escitalopram, bupropion, trazodone.";

/// Who spoke a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Therapist,
    Client,
    #[default]
    #[serde(other)]
    Unknown,
}

/// One transcript segment; times in seconds from the start of the audio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub id: u32,
    pub start: f64,
    pub end: f64,
    pub speaker: Speaker,
    pub text: String,
    /// Mean log-probability of the segment's text tokens (closer to 0 = more confident).
    pub avg_logprob: f32,
    /// whisper's probability that the window holds no speech.
    pub no_speech_prob: f32,
}

/// A transcribed recording (`noted transcribe --format json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// Name of the speech model used.
    pub model: String,
    pub audio_seconds: f64,
    /// Wall time spent transcribing (excluding decoding the file).
    pub elapsed_seconds: f64,
    pub segments: Vec<Segment>,
    /// All segment texts joined by spaces.
    pub text: String,
    /// How speakers were attributed (diarized sessions only; see [`crate::diarize`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers: Option<crate::diarize::SpeakerAttribution>,
}

/// Errors of loading a model or transcribing.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// No speech model installed / unknown name: the message says which command installs one.
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error("model `{name}` is a {format} file, not a whisper GGML model")]
    WrongFormat { name: String, format: String },
    #[error("cannot load speech model {path}: {reason}")]
    Load { path: String, reason: String },
    #[error("whisper failed: {0}")]
    Whisper(String),
    #[error("transcription cancelled")]
    Cancelled,
}

/// Process-wide engine options.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Default threads per job (0 or unset = all available cores).
    pub threads: Option<usize>,
    /// Use flash attention in whisper.cpp (CPU: measured in `noted bench transcribe`).
    pub flash_attn: bool,
}

/// What is being transcribed: a two-person session or the clinician's own dictation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Session,
    /// One speaker, the therapist.
    Dictation,
}

/// Per-job options.
#[derive(Debug, Clone)]
pub struct TranscribeOptions {
    /// Threads for this job (default: the engine's).
    pub threads: Option<usize>,
    /// Spoken language (ISO code, default "en"; "auto" detects). English-only models force "en".
    pub language: String,
    /// Initial prompt, e.g. [`CLINICAL_PROMPT`] (see [`TranscribeOptions::with_clinical_prompt`]).
    /// Off by default: on the 179 s synthetic benchmark session it raised tiny.en's WER from
    /// 14.7% to 20.2% (whisper skipped a passage after the prompt); use it where spelling of
    /// clinical terms matters more than recall, and measure.
    pub initial_prompt: Option<String>,
    pub mode: Mode,
    pub vad: VadOptions,
    /// Temperatures tried in order when a window's text looks like a repetition loop.
    pub temperatures: Vec<f32>,
    /// Decode again, from where its text stopped, a stretch whose text is far shorter than
    /// its voiced speech ([`guard::drops_speech`]), as whisper's seek loop does. On (the
    /// default) everywhere; off only to measure what it recovers.
    pub recover_dropped: bool,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            threads: None,
            language: "en".into(),
            initial_prompt: None,
            mode: Mode::Session,
            vad: VadOptions::default(),
            temperatures: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            recover_dropped: true,
        }
    }
}

impl TranscribeOptions {
    /// Defaults for a session recording (speakers `unknown`).
    pub fn session() -> Self {
        Self::default()
    }
    /// The same options with [`CLINICAL_PROMPT`] as whisper's initial prompt.
    pub fn with_clinical_prompt(mut self) -> Self {
        self.initial_prompt = Some(CLINICAL_PROMPT.into());
        self
    }
    /// Defaults for a dictation (every segment spoken by the therapist).
    pub fn dictation() -> Self {
        TranscribeOptions {
            mode: Mode::Dictation,
            ..Self::default()
        }
    }
}

/// Stage of a transcription, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Finding the voiced parts of the audio.
    Detecting,
    /// Running whisper over the voiced windows.
    Transcribing,
    Done,
}

/// A progress report: `fraction` of the audio done (0..=1).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Progress {
    pub stage: Stage,
    pub fraction: f32,
    pub windows_done: usize,
    pub windows_total: usize,
}

/// A loaded whisper model, shared by all jobs of the process (`Arc<Engine>`).
pub struct Engine {
    ctx: WhisperContext,
    name: String,
    multilingual: bool,
    threads: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("model", &self.name)
            .field("multilingual", &self.multilingual)
            .field("threads", &self.threads)
            .finish()
    }
}

/// Threads to use when none are configured: every available core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(4)
}

/// What decoding one window gave: its segments, or why it failed.
type WindowResult = Result<Vec<RawSegment>, TranscribeError>;

/// A segment as whisper returned it, times relative to its window.
#[derive(Debug, Clone)]
struct RawSegment {
    t0: f64,
    t1: f64,
    text: String,
    avg_logprob: f32,
    no_speech_prob: f32,
}

impl Engine {
    /// Loads an installed speech model (role `asr`, format `ggml-whisper`).
    pub fn load(model: &InstalledModel, opts: EngineOptions) -> Result<Engine, TranscribeError> {
        if model.role != Role::Asr || model.format != "ggml-whisper" {
            return Err(TranscribeError::WrongFormat {
                name: model.name.clone(),
                format: format!("{} ({})", model.format, model.role),
            });
        }
        Self::load_path(&model.path, &model.name, opts)
    }

    /// Loads a whisper GGML file directly (tests, benchmarks).
    pub fn load_path(
        path: &Path,
        name: &str,
        opts: EngineOptions,
    ) -> Result<Engine, TranscribeError> {
        // Silence whisper.cpp's own logging (it would print model details to stderr).
        whisper_rs::install_logging_hooks();
        let load_err = |reason: String| TranscribeError::Load {
            path: path.display().to_string(),
            reason,
        };
        if !path.is_file() {
            return Err(load_err("file not found".into()));
        }
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        params.flash_attn = opts.flash_attn;
        let ctx = WhisperContext::new_with_params(path, params)
            .map_err(|e| load_err(format!("{e} (is it a whisper GGML file?)")))?;
        let multilingual = ctx.is_multilingual();
        let threads = opts
            .threads
            .filter(|&t| t > 0)
            .unwrap_or_else(default_threads);
        Ok(Engine {
            ctx,
            name: name.to_string(),
            multilingual,
            threads,
        })
    }

    /// The model's name.
    pub fn model_name(&self) -> &str {
        &self.name
    }

    /// Whether the model is multilingual (English-only models ignore the language option).
    pub fn is_multilingual(&self) -> bool {
        self.multilingual
    }

    /// Transcribes 16 kHz mono audio. `progress` is called on this thread; returning `false`
    /// cancels ([`TranscribeError::Cancelled`]). Blocking and CPU-heavy: call it from a
    /// blocking thread.
    ///
    /// Windows are decoded by parallel streams, one whisper state and one thread each, as
    /// many as the configured threads (see [`plan_streams`]); a lone window gets as many
    /// threads as there are free cores.
    pub fn transcribe(
        &self,
        audio: &Audio,
        opts: &TranscribeOptions,
        progress: &dyn Fn(Progress) -> bool,
    ) -> Result<Transcript, TranscribeError> {
        let started = Instant::now();
        let samples = &audio.samples;
        let audio_seconds = samples.len() as f64 / SAMPLE_RATE as f64;
        let report = |stage, fraction: f32, done, total| {
            if progress(Progress {
                stage,
                fraction: fraction.clamp(0.0, 1.0),
                windows_done: done,
                windows_total: total,
            }) {
                Ok(())
            } else {
                Err(TranscribeError::Cancelled)
            }
        };
        report(Stage::Detecting, 0.0, 0, 0)?;
        let regions = vad::voiced_regions(samples, &opts.vad);
        let threshold_db = vad::voiced_threshold(samples, &opts.vad);
        let windows = vad::plan_windows(samples, &regions, &opts.vad);
        let total_voiced: f64 = windows.iter().map(|w| w.len as f64).sum::<f64>().max(1.0);
        report(Stage::Transcribing, 0.0, 0, windows.len())?;

        let language = if self.multilingual {
            opts.language.clone()
        } else {
            "en".to_string()
        };
        let max_threads = opts.threads.filter(|&t| t > 0).unwrap_or(self.threads);
        let free = if windows.len() <= 1 {
            cores::threads_for_next_window(max_threads)
        } else {
            max_threads
        };
        let (streams, threads) = plan_streams(windows.len(), max_threads, free);
        tracing::debug!(
            windows = windows.len(),
            voiced_seconds = total_voiced / SAMPLE_RATE as f64,
            audio_seconds,
            streams,
            threads,
            "voice activity detection done"
        );

        let cancel = AtomicBool::new(false);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done_samples = std::sync::atomic::AtomicUsize::new(0);
        let done_windows = std::sync::atomic::AtomicUsize::new(0);
        let in_flight: Vec<(AtomicI32, std::sync::atomic::AtomicUsize)> = (0..streams)
            .map(|_| (AtomicI32::new(0), std::sync::atomic::AtomicUsize::new(0)))
            .collect();
        let results: Vec<std::sync::Mutex<Option<WindowResult>>> = windows
            .iter()
            .map(|_| std::sync::Mutex::new(None))
            .collect();

        // One whisper state per stream, made up front so that a failure is reported as is.
        let states = (0..streams)
            .map(|_| self.ctx.create_state())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TranscribeError::Whisper(format!("cannot create state: {e}")))?;
        std::thread::scope(|scope| {
            let mut workers = Vec::new();
            for (slot, mut state) in in_flight.iter().zip(states) {
                let (pct, len) = slot;
                let (cancel, next, windows, results) = (&cancel, &next, &windows, &results);
                let (done_samples, done_windows, language, threshold_db) =
                    (&done_samples, &done_windows, &language, threshold_db);
                workers.push(scope.spawn(move || {
                    let base = self.base_params(language, threads, opts, cancel, pct);
                    loop {
                        let wi = next.fetch_add(1, Ordering::SeqCst);
                        if wi >= windows.len() || cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let window = &windows[wi];
                        pct.store(0, Ordering::Relaxed);
                        len.store(window.len, Ordering::Relaxed);
                        let pcm = window.assemble(samples);
                        let r = self.decode_window(&mut state, &base, &pcm, threshold_db, opts, wi);
                        len.store(0, Ordering::Relaxed);
                        // whisper fails a call its abort hook stopped: that is a cancellation.
                        // A real failure stops the other streams (which then report cancelled).
                        let r = match r {
                            Err(_) if cancel.swap(true, Ordering::SeqCst) => {
                                Err(TranscribeError::Cancelled)
                            }
                            r => r,
                        };
                        *lock(&results[wi]) = Some(r);
                        done_samples.fetch_add(window.len, Ordering::Relaxed);
                        done_windows.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            // Relay progress until every stream has finished; a `false` cancels them all.
            while workers.iter().any(|w| !w.is_finished()) {
                std::thread::sleep(Duration::from_millis(100));
                let partial: f64 = in_flight
                    .iter()
                    .map(|(pct, len)| {
                        len.load(Ordering::Relaxed) as f64 * pct.load(Ordering::Relaxed) as f64
                            / 100.0
                    })
                    .sum();
                let done = done_samples.load(Ordering::Relaxed) as f64 + partial;
                if report(
                    Stage::Transcribing,
                    (done / total_voiced) as f32,
                    done_windows.load(Ordering::Relaxed),
                    windows.len(),
                )
                .is_err()
                {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        });

        let mut segments: Vec<Segment> = Vec::new();
        let speaker = match opts.mode {
            Mode::Session => Speaker::Unknown,
            Mode::Dictation => Speaker::Therapist,
        };
        let mut outcome: Vec<Option<WindowResult>> = results
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        // A real failure wins over the cancellations it caused in the other streams.
        if let Some(e) = outcome
            .iter_mut()
            .filter_map(|r| match r {
                Some(Err(e)) if !matches!(e, TranscribeError::Cancelled) => Some(e),
                _ => None,
            })
            .next()
        {
            return Err(std::mem::replace(e, TranscribeError::Cancelled));
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(TranscribeError::Cancelled);
        }
        for (window, raw) in windows.iter().zip(outcome) {
            let raw = match raw {
                Some(Ok(raw)) => raw,
                Some(Err(e)) => return Err(e),
                None => return Err(TranscribeError::Cancelled),
            };
            for s in raw {
                let text = s.text.trim();
                if text.is_empty()
                    || guard::is_non_speech(text)
                    || guard::is_probably_silence(s.no_speech_prob, s.avg_logprob)
                {
                    continue;
                }
                let start = window.to_original(s.t0, false).min(audio_seconds);
                let end = window.to_original(s.t1, true).min(audio_seconds);
                segments.push(Segment {
                    id: 0,
                    start,
                    end,
                    speaker,
                    text: text.to_string(),
                    avg_logprob: s.avg_logprob,
                    no_speech_prob: s.no_speech_prob,
                });
            }
        }
        // Monotonic, non-overlapping, inside the audio; ids in order.
        let mut prev_end = 0.0f64;
        for (i, s) in segments.iter_mut().enumerate() {
            s.id = i as u32;
            s.start = round_ms(s.start.max(prev_end).min(audio_seconds));
            s.end = round_ms(s.end.max(s.start).min(audio_seconds));
            prev_end = s.end;
        }
        let text = segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        report(Stage::Done, 1.0, windows.len(), windows.len())?;
        Ok(Transcript {
            model: self.name.clone(),
            audio_seconds: round_ms(audio_seconds),
            elapsed_seconds: round_ms(started.elapsed().as_secs_f64()),
            segments,
            text,
            speakers: None,
        })
    }

    /// Decodes one window's samples (a whole-file window or an incremental one): whisper with
    /// the loop retries of [`Self::decode_pcm`], then the dropped-speech guard
    /// ([`Self::recover_dropped`]). `threshold_db` is the recording's voiced level
    /// ([`vad::voiced_threshold`]). Times of the result are seconds in the window.
    fn decode_window(
        &self,
        state: &mut whisper_rs::WhisperState,
        base: &FullParams<'_, '_>,
        pcm: &[f32],
        threshold_db: f32,
        opts: &TranscribeOptions,
        wi: usize,
    ) -> Result<Vec<RawSegment>, TranscribeError> {
        let raw = self.decode_pcm(state, base, pcm, opts, wi)?;
        if !opts.recover_dropped {
            return Ok(raw);
        }
        let map = vad::VoiceMap::new(pcm, threshold_db);
        let whole = (0.0, map.duration());
        self.recover_dropped(state, base, pcm, &map, raw, whole, opts, wi, 0)
    }

    /// whisper's seek loop for speech it skipped: a segment whose text is far shorter than
    /// its voiced audio ([`guard::drops_speech`]) is cut where its text most likely stopped
    /// (its words at a brisk rate) and the rest of its audio is decoded again, and so is
    /// voiced audio after the last segment that no text covers. Words decoded twice at the
    /// seam are removed; the new segments go through the same guard (at most
    /// [`guard::MAX_REDECODES`] deep).
    #[allow(clippy::too_many_arguments)]
    fn recover_dropped(
        &self,
        state: &mut whisper_rs::WhisperState,
        base: &FullParams<'_, '_>,
        pcm: &[f32],
        map: &vad::VoiceMap,
        raw: Vec<RawSegment>,
        (start, end): (f64, f64),
        opts: &TranscribeOptions,
        wi: usize,
        depth: usize,
    ) -> Result<Vec<RawSegment>, TranscribeError> {
        /// Less voiced audio than this left after the cut is not worth a decoding.
        const MIN_REDECODE_VOICED_S: f64 = 1.0;
        let sr = SAMPLE_RATE as f64;
        let end_of = |t: f64| ((t * sr) as usize).min(pcm.len());
        let mut out: Vec<RawSegment> = Vec::with_capacity(raw.len());
        let n = raw.len();
        for (i, mut seg) in raw.into_iter().enumerate() {
            // Voiced audio before this segment that no text covers: decode it on its own.
            let covered = out.last().map_or(start, |s: &RawSegment| s.t1.max(s.t0));
            let gap = map.voiced_seconds(covered, seg.t0);
            if depth < guard::MAX_REDECODES
                && guard::drops_speech(0, gap)
                && gap >= MIN_REDECODE_VOICED_S
            {
                let from = end_of(covered);
                let to = end_of(seg.t0);
                if to > from {
                    let at = from as f64 / sr;
                    let mut found = self.decode_pcm(state, base, &pcm[from..to], opts, wi)?;
                    for r in found.iter_mut() {
                        r.t0 = (r.t0 + at).min(seg.t0);
                        r.t1 = (r.t1 + at).min(seg.t0);
                    }
                    let found = self.recover_dropped(
                        state,
                        base,
                        pcm,
                        map,
                        found,
                        (at, seg.t0),
                        opts,
                        wi,
                        depth + 1,
                    )?;
                    let prev_text = out.last().map(|s| s.text.clone()).unwrap_or_default();
                    let mut found = strip_overlap(&prev_text, found);
                    tracing::debug!(
                        window = wi,
                        depth,
                        voiced_s = gap,
                        segments = found.len(),
                        "voiced audio between segments without text: decoded it again"
                    );
                    out.append(&mut found);
                }
            }
            // whisper's last segment may end before the window does with nothing after it:
            // the speech after it belongs to it for this check.
            let until = if i + 1 == n {
                end
            } else {
                seg.t1.max(seg.t0).min(end)
            };
            let words = guard::word_count(&seg.text);
            let voiced = map.voiced_seconds(seg.t0, until);
            if depth >= guard::MAX_REDECODES || !guard::drops_speech(words, voiced) {
                out.push(seg);
                continue;
            }
            // Where the text stopped: the segment's own end when its words account for it
            // (only the speech after it is missing), else their brisk-rate extent.
            let own = map.voiced_seconds(seg.t0, seg.t1);
            let stop = if until > seg.t1 && !guard::drops_speech(words, own) {
                seg.t1
            } else {
                map.after_voiced(seg.t0, guard::voiced_covered_s(words))
                    .max(seg.t0 + 0.5)
            };
            if stop >= until || map.voiced_seconds(stop, until) < MIN_REDECODE_VOICED_S {
                out.push(seg);
                continue;
            }
            let from = end_of(stop);
            let to = end_of(until);
            let mut rest = self.decode_pcm(state, base, &pcm[from..to], opts, wi)?;
            for r in rest.iter_mut() {
                r.t0 += stop;
                r.t1 += stop;
            }
            let rest = self.recover_dropped(
                state,
                base,
                pcm,
                map,
                rest,
                (stop, until),
                opts,
                wi,
                depth + 1,
            )?;
            let mut rest = strip_overlap(&seg.text, rest);
            if rest.is_empty() {
                out.push(seg);
                continue;
            }
            tracing::debug!(
                window = wi,
                depth,
                words,
                voiced_s = voiced,
                resumed_at = stop,
                recovered = rest
                    .iter()
                    .map(|r| guard::word_count(&r.text))
                    .sum::<usize>(),
                "segment shorter than its speech: decoded the rest again"
            );
            if words > 0 {
                seg.t1 = seg.t1.min(stop);
                out.push(seg);
            }
            out.append(&mut rest);
        }
        Ok(out)
    }

    /// Decodes samples, retrying at higher temperatures while its text loops; returns the
    /// least repetitive attempt (repeats collapsed when every attempt looped).
    fn decode_pcm(
        &self,
        state: &mut whisper_rs::WhisperState,
        base: &FullParams<'_, '_>,
        pcm: &[f32],
        opts: &TranscribeOptions,
        wi: usize,
    ) -> Result<Vec<RawSegment>, TranscribeError> {
        let eot = self.ctx.token_eot();
        let mut best: Option<(f64, Vec<RawSegment>)> = None;
        for (attempt, &temp) in opts.temperatures.iter().enumerate() {
            let mut params = base.clone();
            params.set_temperature(temp);
            let raw = state
                .full(params, pcm)
                .map_err(|e| TranscribeError::Whisper(e.to_string()))
                .and_then(|_| collect_segments(state, eot))?;
            let text: String = raw
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let ratio = guard::compression_ratio(&text);
            if !guard::needs_retry(&text) {
                return Ok(raw);
            }
            tracing::debug!(
                window = wi,
                attempt,
                temp,
                ratio,
                "repetition loop, retrying"
            );
            if best.as_ref().is_none_or(|(r, _)| ratio < *r) {
                best = Some((ratio, raw));
            }
        }
        // No attempt was loop-free: keep the least repetitive, minus its repeats.
        let mut raw = best.map(|(_, raw)| raw).unwrap_or_default();
        for s in raw.iter_mut() {
            s.text = guard::collapse_repeats(&s.text);
        }
        Ok(raw)
    }

    fn base_params<'a>(
        &self,
        language: &'a str,
        threads: usize,
        opts: &TranscribeOptions,
        cancel: &'a AtomicBool,
        window_pct: &'a AtomicI32,
    ) -> FullParams<'a, 'a> {
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 5 });
        p.set_n_threads(threads as i32);
        p.set_language(Some(language));
        p.set_translate(false);
        p.set_no_context(true);
        p.set_no_timestamps(false);
        p.set_print_special(false);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_timestamps(false);
        p.set_suppress_blank(true);
        p.set_suppress_nst(true);
        // whisper.cpp's own fallback (entropy / log-probability) inside each window.
        p.set_temperature_inc(0.2);
        if let Some(prompt) = opts.initial_prompt.as_deref().filter(|s| !s.is_empty()) {
            p.set_initial_prompt(&prompt.replace('\0', " "));
        }
        // Raw callbacks with pointers to atomics that outlive the params (the `'a` borrows);
        // whisper-rs 0.16's `set_abort_callback_safe` passes its closure with the wrong type,
        // so it is not used.
        // SAFETY: both pointers are valid for `'a`, as long as the params and their clones.
        unsafe {
            p.set_abort_callback(Some(abort_if_set));
            p.set_abort_callback_user_data(cancel as *const AtomicBool as *mut c_void);
            p.set_progress_callback(Some(store_progress));
            p.set_progress_callback_user_data(window_pct as *const AtomicI32 as *mut c_void);
        }
        p
    }
}

/// How to spread `windows` over at most `max_threads` threads: `(streams, threads per
/// stream)`. `free_threads` (cores other programs leave free, [`cores`]) only decides the
/// threads of a lone window.
///
/// whisper.cpp's threads meet at a barrier after every step of the decoder graph, hundreds of
/// times per token, so two windows decoded side by side on one thread each finish well before
/// the same two decoded one after the other on two threads (179 s session, 2 cores: 5.5 s
/// against 6.6 s), and a single-threaded stream never waits for a thread that lost its core
/// to another program (same session with one core kept busy: 10.9 s with one stream). A
/// lone window gets as many threads as there are free cores.
pub fn plan_streams(windows: usize, max_threads: usize, free_threads: usize) -> (usize, usize) {
    let max = max_threads.max(1);
    if windows <= 1 {
        return (1, free_threads.clamp(1, max));
    }
    let streams = max.min(windows).min(MAX_STREAMS);
    (streams, (max / streams).max(1))
}

/// Parallel decoding streams per job at most (each holds a whisper state: ~20-60 MB).
pub const MAX_STREAMS: usize = 8;

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// whisper's abort hook: true once the job's cancel flag is set.
unsafe extern "C" fn abort_if_set(user_data: *mut c_void) -> bool {
    // SAFETY: user_data points to the job's AtomicBool, alive during the call (base_params).
    let flag = unsafe { &*(user_data as *const AtomicBool) };
    flag.load(Ordering::Relaxed)
}

/// whisper's progress hook: stores the window's percent done.
unsafe extern "C" fn store_progress(
    _ctx: *mut whisper_rs::WhisperSysContext,
    _state: *mut whisper_rs::WhisperSysState,
    pct: c_int,
    user_data: *mut c_void,
) {
    // SAFETY: user_data points to a stream's AtomicI32, alive during the call (base_params).
    let cell = unsafe { &*(user_data as *const AtomicI32) };
    cell.store(pct, Ordering::Relaxed);
}

fn collect_segments(
    state: &whisper_rs::WhisperState,
    eot: i32,
) -> Result<Vec<RawSegment>, TranscribeError> {
    let mut out = Vec::new();
    for seg in state.as_iter() {
        let text = seg
            .to_str_lossy()
            .map_err(|e| TranscribeError::Whisper(format!("segment text: {e}")))?
            .into_owned();
        let mut sum = 0.0f32;
        let mut n = 0;
        for j in 0..seg.n_tokens() {
            if let Some(tok) = seg.get_token(j) {
                if tok.token_id() < eot {
                    sum += tok.token_data().plog;
                    n += 1;
                }
            }
        }
        out.push(RawSegment {
            t0: seg.start_timestamp() as f64 / 100.0,
            t1: seg.end_timestamp() as f64 / 100.0,
            text,
            avg_logprob: if n > 0 { sum / n as f32 } else { -10.0 },
            no_speech_prob: seg.no_speech_probability(),
        });
    }
    Ok(out)
}

/// Removes from the start of `rest` the words that repeat the end of `prev` (a decoding
/// resumed before `prev`'s text had stopped); segments left without words are dropped.
fn strip_overlap(prev: &str, rest: Vec<RawSegment>) -> Vec<RawSegment> {
    let joined = rest
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut k = guard::overlap_words(prev, &joined);
    let mut out = Vec::with_capacity(rest.len());
    for mut r in rest {
        if k > 0 {
            let w = guard::word_count(&r.text);
            let drop = k.min(w);
            r.text = format!(" {}", guard::drop_leading_words(&r.text, drop));
            k -= drop;
        }
        if guard::word_count(&r.text) > 0 {
            out.push(r);
        }
    }
    out
}

fn round_ms(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
        assert_send_sync::<std::sync::Arc<Engine>>();
    }

    #[test]
    fn streams_take_one_thread_each() {
        assert_eq!(plan_streams(0, 2, 2), (1, 2));
        assert_eq!(
            plan_streams(1, 2, 2),
            (1, 2),
            "a lone window gets every free thread"
        );
        assert_eq!(plan_streams(1, 2, 1), (1, 1), "...but not a busy core");
        assert_eq!(plan_streams(7, 2, 1), (2, 1));
        assert_eq!(plan_streams(7, 1, 1), (1, 1));
        assert_eq!(
            plan_streams(3, 8, 8),
            (3, 2),
            "no more streams than windows"
        );
        assert_eq!(plan_streams(100, 64, 64), (MAX_STREAMS, 8));
        assert_eq!(plan_streams(5, 0, 0), (1, 1));
    }

    #[test]
    fn segment_json_shape() {
        let s = Segment {
            id: 3,
            start: 1.5,
            end: 2.25,
            speaker: Speaker::Unknown,
            text: "Hello.".into(),
            avg_logprob: -0.25,
            no_speech_prob: 0.0,
        };
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["speaker"], "unknown");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 7);
    }
}
