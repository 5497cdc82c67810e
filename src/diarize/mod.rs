//! Who said what: speaker diarization of session recordings and the therapist/client roles.
//!
//! ```no_run
//! use noted::diarize::{self, DiarizeOptions, SpeakerModel};
//! use noted::models::registry::{self, Role};
//! # fn demo(dir: &std::path::Path, audio: &noted::audio::Audio,
//! #         transcript: &mut noted::transcribe::Transcript) -> Result<(), diarize::DiarizeError> {
//! let model = SpeakerModel::load(&registry::active(dir, Role::Speaker)?)?; // once per process
//! let diar = model.diarize(&audio.samples, &DiarizeOptions::default(), &|_| true)?;
//! let voice = None; // or Some(&enrolment.vector): the clinician's enrolled voice
//! diarize::attribute(transcript, &diar, voice, model.name());
//! # Ok(()) }
//! ```
//!
//! * **Embeddings**: CAM++ ([`campplus`], 192 values) of Kaldi fbank features ([`fbank`]) over
//!   windows of [`DiarizeOptions::window_s`] every [`DiarizeOptions::hop_s`] on the voiced
//!   parts of the audio (the energy VAD of [`crate::transcribe::vad`], with tighter padding).
//! * **Clustering** ([`cluster`]): spherical k-means into the requested number of speakers
//!   (1–4, 2 by default); two clusters as alike as one voice's halves are merged, so a
//!   recording with one voice gives one speaker.
//! * **Segments** ([`attribute`]): each transcript segment takes the speaker of the windows
//!   it overlaps; a segment whose halves belong to different speakers is split at the
//!   change when whisper's token times allow.
//! * **Overlap** ([`segmentation`]): pyannote segmentation-3.0, installed beside the CAM++
//!   checkpoint, marks where two people speak at once, in the stretches where more than one
//!   speaker was found ([`SpeakerAttribution::segment_overlap`], shown on the transcript page).
//! * **Roles** ([`roles`]): the cluster nearest the clinician's enrolled voice is the
//!   therapist ([`SpeakerSource::Enrolled`]); without an enrolment (or none near it) the
//!   words decide ([`SpeakerSource::Inferred`]).
//! * Errors are typed ([`DiarizeError`]); silence, a short clip or a single voice are results,
//!   not errors.

pub mod bench;
pub mod campplus;
pub mod cluster;
pub mod fbank;
pub mod roles;
pub mod score;
pub mod segmentation;

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::audio::SAMPLE_RATE;
use crate::models::registry::{InstalledModel, ModelError, Role};
use crate::transcribe::vad::{self, Span, VadOptions};
use crate::transcribe::{Segment, Speaker, Transcript};

pub use roles::SpeakerSource;

/// The format name of an installed CAM++ checkpoint.
pub const FORMAT: &str = "pytorch-campplus";

/// Longest pause inside one speaker's turn, seconds (see [`Diarization::turns`]).
pub const MAX_PAUSE_S: f64 = 1.0;

/// Most speakers a recording may be clustered into.
pub const MAX_SPEAKERS: usize = 4;

/// Errors of loading the speaker model, diarizing or enrolling.
#[derive(Debug, thiserror::Error)]
pub enum DiarizeError {
    /// No speaker model installed, or an unknown name (the message names the command).
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("model `{name}` is a {format} model, not a CAM++ speaker model")]
    WrongFormat { name: String, format: String },
    #[error("cannot load the speaker model {path}: {reason} (reinstall it with `noted models install {MODEL_NAME}`)")]
    Load { path: String, reason: String },
    #[error("speaker embedding failed: {0}")]
    Compute(String),
    #[error("the number of speakers must be between 1 and {MAX_SPEAKERS}, not {0}")]
    SpeakerCount(usize),
    #[error("too little speech to enrol a voice: {voiced:.1} s of speech, at least {needed:.0} s needed")]
    TooShort { voiced: f64, needed: f64 },
    #[error("diarization cancelled")]
    Cancelled,
}

/// The catalog name of the CAM++ model.
pub const MODEL_NAME: &str = "campplus-sv-zh-en";

impl From<candle_core::Error> for DiarizeError {
    fn from(e: candle_core::Error) -> Self {
        DiarizeError::Compute(e.to_string())
    }
}

/// Diarization options.
#[derive(Debug, Clone)]
pub struct DiarizeOptions {
    /// Speakers to find (1–4); fewer are reported when two sound like one voice.
    pub speakers: usize,
    /// Length of each embedding window, seconds.
    pub window_s: f64,
    /// Step between windows, seconds.
    pub hop_s: f64,
    /// Voiced stretches shorter than this get no window of their own, seconds.
    pub min_window_s: f64,
    /// Two clusters whose centroids are at least this similar (cosine) are one voice.
    pub same_voice_similarity: f32,
    /// Longest stretch of audio the network sees at once, seconds (longer voiced regions are
    /// cut into equal chunks; windows pool the chunk's frame-level output).
    pub chunk_s: f64,
}

impl Default for DiarizeOptions {
    fn default() -> Self {
        DiarizeOptions {
            speakers: 2,
            window_s: 1.5,
            hop_s: 0.5,
            min_window_s: 0.5,
            same_voice_similarity: 0.82,
            chunk_s: 8.0,
        }
    }
}

impl DiarizeOptions {
    /// The defaults with `n` speakers; an error unless 1 ≤ n ≤ [`MAX_SPEAKERS`].
    pub fn with_speakers(n: usize) -> Result<DiarizeOptions, DiarizeError> {
        if !(1..=MAX_SPEAKERS).contains(&n) {
            return Err(DiarizeError::SpeakerCount(n));
        }
        Ok(DiarizeOptions {
            speakers: n,
            ..DiarizeOptions::default()
        })
    }
}

/// One embedding window with its speaker (cluster index).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LabelledWindow {
    pub start: f64,
    pub end: f64,
    pub speaker: usize,
}

/// A stretch of time spoken by one speaker (cluster index), seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub start: f64,
    pub end: f64,
    pub speaker: usize,
}

/// Where the speaker changes between consecutive windows (time order), seconds: midway
/// between the two windows' centres.
pub fn speaker_changes(windows: &[LabelledWindow]) -> Vec<f64> {
    windows
        .windows(2)
        .filter(|w| w[0].speaker != w[1].speaker)
        .map(|w| (w[0].start + w[0].end + w[1].start + w[1].end) / 4.0)
        .collect()
}

/// The result of diarizing a recording.
#[derive(Debug, Clone)]
pub struct Diarization {
    /// Distinct speakers found (0 for silence).
    pub speakers: usize,
    /// The windows in time order.
    pub windows: Vec<LabelledWindow>,
    /// Normalised centroid of each speaker's embeddings.
    pub centroids: Vec<Vec<f32>>,
    /// Voiced regions the windows cover, seconds.
    pub regions: Vec<(f64, f64)>,
    /// Stretches where two people speak at once, seconds ([`SpeakerModel::overlaps`]; empty
    /// without the segmentation model).
    pub overlaps: Vec<(f64, f64)>,
    /// Wall time of the diarization.
    pub elapsed_seconds: f64,
}

impl Diarization {
    /// The speaker at time `t`: the label of the covering window whose centre is nearest.
    pub fn speaker_at(&self, t: f64) -> Option<usize> {
        let i = self.windows.partition_point(|w| w.end <= t);
        let mut best: Option<(f64, usize)> = None;
        for w in self.windows[i..].iter().take_while(|w| w.start <= t) {
            let d = (t - (w.start + w.end) / 2.0).abs();
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, w.speaker));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Seconds of `[start, end)` attributed to each speaker (sampled every 50 ms).
    pub fn speaker_time(&self, start: f64, end: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.speakers];
        let step = 0.05;
        let mut t = start + step / 2.0;
        while t < end {
            if let Some(s) = self.speaker_at(t) {
                out[s] += step;
            }
            t += step;
        }
        out
    }

    /// The speaker of most of `[start, end)`, else of the nearest window.
    pub fn speaker_between(&self, start: f64, end: f64) -> Option<usize> {
        let time = self.speaker_time(start, end.max(start + 0.05));
        if let Some((s, &t)) = time.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) {
            if t > 0.0 {
                return Some(s);
            }
        }
        let mid = (start + end) / 2.0;
        self.windows
            .iter()
            .min_by(|a, b| {
                let da = ((a.start + a.end) / 2.0 - mid).abs();
                let db = ((b.start + b.end) / 2.0 - mid).abs();
                da.total_cmp(&db)
            })
            .map(|w| w.speaker)
    }

    /// Speaker turns over the voiced regions, at 50 ms resolution. A pause shorter than
    /// [`MAX_PAUSE_S`] between two stretches of one speaker is part of their turn (as people
    /// annotate turns, and pyannote's `min_duration_off`): the VAD cuts at breaths that the
    /// speaker's turn goes on through.
    pub fn turns(&self) -> Vec<Turn> {
        let mut out: Vec<Turn> = Vec::new();
        let step = 0.05;
        for &(a, b) in &self.regions {
            let mut t = a;
            while t < b {
                let e = (t + step).min(b);
                if let Some(s) = self.speaker_at((t + e) / 2.0) {
                    match out.last_mut() {
                        Some(last) if last.speaker == s && t - last.end < MAX_PAUSE_S => {
                            last.end = e
                        }
                        _ => out.push(Turn {
                            start: t,
                            end: e,
                            speaker: s,
                        }),
                    }
                }
                t = e;
            }
        }
        out
    }
}

/// An enrolled voice: the mean CAM++ embedding of about 30 s of the clinician's speech.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceEmbedding {
    /// The speaker model that made it (embeddings of other models do not compare).
    pub model: String,
    /// L2-normalised, [`campplus::EMBEDDING_DIM`] values.
    pub vector: Vec<f32>,
    /// Seconds of speech it was made from.
    pub speech_seconds: f64,
}

impl VoiceEmbedding {
    /// Little-endian f32 bytes of the vector (database storage).
    pub fn vector_bytes(&self) -> Vec<u8> {
        self.vector.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    /// The vector from [`VoiceEmbedding::vector_bytes`]; `None` unless it has the right size.
    pub fn vector_from_bytes(bytes: &[u8]) -> Option<Vec<f32>> {
        if bytes.len() != campplus::EMBEDDING_DIM * 4 {
            return None;
        }
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

/// Least speech an enrolment takes, seconds.
pub const ENROL_MIN_SPEECH_S: f64 = 10.0;

/// The loaded speaker embedding model (Send + Sync: share one per process).
pub struct SpeakerModel {
    net: campplus::CamPlusPlus,
    fbank: fbank::Fbank,
    /// pyannote segmentation-3.0, for overlapped speech, when installed beside the CAM++
    /// checkpoint ([`SEGMENTATION_FILE`]).
    segmentation: Option<segmentation::Segmentation>,
    name: String,
}

/// The segmentation checkpoint's file name beside the speaker model's.
pub const SEGMENTATION_FILE: &str = "segmentation.bin";

/// Overlapped speech a segment must hold to be marked (shorter overlaps are back-channel
/// "mm-hmm"s and the model's edges).
pub const MIN_OVERLAP_S: f64 = 0.3;

impl std::fmt::Debug for SpeakerModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeakerModel")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A stretch of voiced audio the network runs over, with the embedding windows inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub span: Span,
    pub windows: Vec<Span>,
}

/// VAD settings for diarization: the transcription defaults with tight padding, so that
/// windows do not reach into the pause between two turns.
fn vad_options() -> VadOptions {
    VadOptions {
        pad_s: 0.05,
        bridge_gap_s: 0.3,
        ..VadOptions::default()
    }
}

impl SpeakerModel {
    /// Loads an installed speaker model (role `speaker`, format [`FORMAT`]).
    pub fn load(model: &InstalledModel) -> Result<SpeakerModel, DiarizeError> {
        if model.role != Role::Speaker || model.format != FORMAT {
            return Err(DiarizeError::WrongFormat {
                name: model.name.clone(),
                format: format!("{} ({})", model.format, model.role),
            });
        }
        Self::load_path(&model.path, &model.name)
    }

    /// Loads a CAM++ checkpoint file directly (tests, benchmarks).
    pub fn load_path(path: &Path, name: &str) -> Result<SpeakerModel, DiarizeError> {
        let load_err = |reason: String| DiarizeError::Load {
            path: path.display().to_string(),
            reason,
        };
        if !path.is_file() {
            return Err(load_err("file not found".into()));
        }
        // candle's thread pool spins less between operations on a shared machine.
        crate::llm::configure_threads(0);
        let net = campplus::CamPlusPlus::load(path).map_err(|e| load_err(e.to_string()))?;
        // the segmentation model is optional; a broken one is an error, not a silent skip
        let seg_path = path.with_file_name(SEGMENTATION_FILE);
        let segmentation = if seg_path.is_file() {
            Some(
                segmentation::Segmentation::load(&seg_path).map_err(|e| DiarizeError::Load {
                    path: seg_path.display().to_string(),
                    reason: e.to_string(),
                })?,
            )
        } else {
            None
        };
        Ok(SpeakerModel {
            net,
            fbank: fbank::Fbank::new(),
            segmentation,
            name: name.to_string(),
        })
    }

    /// The model with or without its overlap pass (an operator's choice:
    /// `NOTED_OVERLAPS=false`); without, diarization runs as without the segmentation model,
    /// and its cost is saved.
    pub fn with_overlaps(mut self, on: bool) -> SpeakerModel {
        if !on {
            self.segmentation = None;
        }
        self
    }

    /// Whether overlapped speech can be found (the segmentation model is installed).
    pub fn finds_overlaps(&self) -> bool {
        self.segmentation.is_some()
    }

    /// The stretches of a recording where two people speak at once, seconds (pyannote
    /// segmentation-3.0, [`segmentation`]), looked for around the places where `diar`'s
    /// speaker changes (people speak over each other where the turn passes; a stretch of one
    /// voice costs nothing); empty without the segmentation model.
    pub fn overlaps(
        &self,
        samples: &[f32],
        diar: &Diarization,
    ) -> Result<Vec<(f64, f64)>, DiarizeError> {
        let Some(s) = &self.segmentation else {
            return Ok(Vec::new());
        };
        s.overlaps(samples, &speaker_changes(&diar.windows))
            .map_err(|e| DiarizeError::Compute(e.to_string()))
    }

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// L2-normalised embeddings of `windows` inside `chunks` of `samples`: the network runs
    /// once over each chunk and each window's embedding pools the chunk's frame-level output
    /// over the window's frames, so overlapping windows cost no extra network time. Windows
    /// are returned in chunk order with their embeddings. `progress(fraction)` returning
    /// false cancels.
    pub fn embed_chunks(
        &self,
        samples: &[f32],
        chunks: &[Chunk],
        progress: &dyn Fn(f32) -> bool,
    ) -> Result<Vec<(Span, Vec<f32>)>, DiarizeError> {
        let total: usize = chunks.iter().map(|c| c.span.end - c.span.start).sum();
        let mut done = 0usize;
        let mut out = Vec::new();
        for c in chunks {
            let audio = &samples[c.span.start..c.span.end.min(samples.len())];
            let t = fbank::num_frames(audio.len());
            done += audio.len();
            if t < 2 || c.windows.is_empty() {
                continue;
            }
            let Some(feats) = self.fbank.compute(audio)? else {
                continue;
            };
            let frames = self.net.frames(&feats.unsqueeze(0)?)?.squeeze(0)?;
            let t2 = frames.dim(0)?;
            let ranges: Vec<(usize, usize)> = c
                .windows
                .iter()
                .map(|w| {
                    let (ws, we) = (w.start - c.span.start, w.end - c.span.start);
                    let fa = ws / fbank::FRAME_SHIFT;
                    let fb = (we.saturating_sub(fbank::FRAME_LEN) / fbank::FRAME_SHIFT + 1).min(t);
                    let a = (fa / 2).min(t2 - 1);
                    (a, fb.div_ceil(2).clamp(a + 1, t2))
                })
                .collect();
            let emb: Vec<Vec<f32>> = self.net.pool(&frames, &ranges)?.to_vec2()?;
            for (w, mut v) in c.windows.iter().zip(emb) {
                cluster::normalize(&mut v);
                out.push((*w, v));
            }
            if !progress(done as f32 / total.max(1) as f32) {
                return Err(DiarizeError::Cancelled);
            }
        }
        Ok(out)
    }

    /// The chunks the network runs over and the embedding windows inside them, over the
    /// voiced regions of `samples`: regions longer than [`DiarizeOptions::chunk_s`] are cut
    /// into equal chunks; windows of [`DiarizeOptions::window_s`] every
    /// [`DiarizeOptions::hop_s`] (the last one ending with its chunk; a chunk shorter than a
    /// window is one window). Returns the voiced regions too.
    pub fn plan(samples: &[f32], opts: &DiarizeOptions) -> (Vec<Span>, Vec<Chunk>) {
        let regions = vad::voiced_regions(samples, &vad_options());
        let sr = SAMPLE_RATE as f64;
        let win = (opts.window_s * sr) as usize;
        let hop = ((opts.hop_s * sr) as usize).max(1);
        let min = (opts.min_window_s * sr) as usize;
        let max_chunk = ((opts.chunk_s.max(opts.window_s)) * sr) as usize;
        let mut chunks = Vec::new();
        for r in &regions {
            let len = r.end - r.start;
            if len < min {
                continue;
            }
            let n = len.div_ceil(max_chunk);
            let step = len.div_ceil(n);
            for i in 0..n {
                let span = Span {
                    start: r.start + i * step,
                    end: (r.start + (i + 1) * step).min(r.end),
                };
                let clen = span.end - span.start;
                if clen < min {
                    continue;
                }
                let mut windows = Vec::new();
                if clen <= win {
                    windows.push(span);
                } else {
                    let mut s = span.start;
                    loop {
                        if s + win >= span.end {
                            windows.push(Span {
                                start: span.end - win,
                                end: span.end,
                            });
                            break;
                        }
                        windows.push(Span {
                            start: s,
                            end: s + win,
                        });
                        s += hop;
                    }
                }
                chunks.push(Chunk { span, windows });
            }
        }
        (regions, chunks)
    }

    /// Diarizes 16 kHz mono audio. `progress(fraction)` is called between batches; false
    /// cancels ([`DiarizeError::Cancelled`]). Silence gives zero speakers, not an error.
    pub fn diarize(
        &self,
        samples: &[f32],
        opts: &DiarizeOptions,
        progress: &dyn Fn(f32) -> bool,
    ) -> Result<Diarization, DiarizeError> {
        if !(1..=MAX_SPEAKERS).contains(&opts.speakers) {
            return Err(DiarizeError::SpeakerCount(opts.speakers));
        }
        let started = Instant::now();
        let emb = self.embed(samples, 0, opts, progress)?;
        let embedded = started.elapsed().as_secs_f64();
        let mut d = cluster_windows(&emb, opts)?;
        if opts.speakers > 1 {
            d.overlaps = self.overlaps(samples, &d)?;
        }
        tracing::debug!(
            windows = emb.windows.len(),
            embed_seconds = embedded,
            cluster_seconds = started.elapsed().as_secs_f64() - embedded,
            speakers = d.speakers,
            "diarized"
        );
        d.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(d)
    }

    /// The speaker embeddings of a stretch of a recording that starts `offset` samples into
    /// it (windows and voiced regions on the recording's timeline): what diarization needs
    /// of the stretch, so that a recording transcribed in parts is embedded part by part
    /// and only clustered at the end ([`cluster_windows`]).
    pub fn embed(
        &self,
        samples: &[f32],
        offset: usize,
        opts: &DiarizeOptions,
        progress: &dyn Fn(f32) -> bool,
    ) -> Result<WindowEmbeddings, DiarizeError> {
        let (regions, chunks) = Self::plan(samples, opts);
        let shift = |s: Span| Span {
            start: s.start + offset,
            end: s.end + offset,
        };
        Ok(WindowEmbeddings {
            regions: regions.into_iter().map(shift).collect(),
            windows: self
                .embed_chunks(samples, &chunks, progress)?
                .into_iter()
                .map(|(s, v)| (shift(s), v))
                .collect(),
        })
    }

    /// The enrolment embedding of a recording of one voice: the mean of its window embeddings
    /// over the voiced audio. Needs [`ENROL_MIN_SPEECH_S`] of speech.
    pub fn voice_embedding(&self, samples: &[f32]) -> Result<VoiceEmbedding, DiarizeError> {
        let opts = DiarizeOptions::default();
        let (regions, chunks) = Self::plan(samples, &opts);
        let voiced: f64 = regions
            .iter()
            .map(|r| (r.end - r.start) as f64 / SAMPLE_RATE as f64)
            .sum();
        if voiced < ENROL_MIN_SPEECH_S {
            return Err(DiarizeError::TooShort {
                voiced,
                needed: ENROL_MIN_SPEECH_S,
            });
        }
        let embeddings: Vec<Vec<f32>> = self
            .embed_chunks(samples, &chunks, &|_| true)?
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        let mut mean = vec![0f32; campplus::EMBEDDING_DIM];
        for e in &embeddings {
            for (m, x) in mean.iter_mut().zip(e) {
                *m += x;
            }
        }
        cluster::normalize(&mut mean);
        Ok(VoiceEmbedding {
            model: self.name.clone(),
            vector: mean,
            speech_seconds: (voiced * 10.0).round() / 10.0,
        })
    }
}

/// Fewest windows a speaker needs (about 2 s of speech at the default hop): a smaller
/// cluster is merged into the nearest other one (a handful of windows cannot show a voice).
pub const MIN_SPEAKER_WINDOWS: usize = 4;

/// Speaker embeddings of a stretch of audio (see [`SpeakerModel::embed`]): voiced regions
/// and embedding windows, in samples on the recording's timeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WindowEmbeddings {
    pub regions: Vec<Span>,
    pub windows: Vec<(Span, Vec<f32>)>,
}

const WINDOWS_MAGIC: &[u8; 8] = b"NOTEDWE1";

impl WindowEmbeddings {
    /// Adds a later stretch.
    pub fn extend(&mut self, later: WindowEmbeddings) {
        self.regions.extend(later.regions);
        self.windows.extend(later.windows);
    }

    /// Stored form: magic, dimensions, counts (u32 LE), regions and windows as sample pairs
    /// (u64 LE), each window's vector (f32 LE).
    pub fn to_bytes(&self) -> Vec<u8> {
        let dims = self.windows.first().map_or(0, |(_, v)| v.len());
        let mut out =
            Vec::with_capacity(20 + self.regions.len() * 16 + self.windows.len() * (16 + dims * 4));
        out.extend_from_slice(WINDOWS_MAGIC);
        for n in [dims, self.regions.len(), self.windows.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for r in &self.regions {
            out.extend_from_slice(&(r.start as u64).to_le_bytes());
            out.extend_from_slice(&(r.end as u64).to_le_bytes());
        }
        for (w, v) in &self.windows {
            out.extend_from_slice(&(w.start as u64).to_le_bytes());
            out.extend_from_slice(&(w.end as u64).to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`WindowEmbeddings::to_bytes`]; `None` when the bytes are not that form.
    pub fn from_bytes(b: &[u8]) -> Option<WindowEmbeddings> {
        let rest = b.strip_prefix(WINDOWS_MAGIC.as_slice())?;
        let u32_at = |i: usize| -> Option<usize> {
            Some(u32::from_le_bytes(rest.get(i..i + 4)?.try_into().ok()?) as usize)
        };
        let (dims, nr, nw) = (u32_at(0)?, u32_at(4)?, u32_at(8)?);
        let want = 12usize
            .checked_add(nr.checked_mul(16)?)?
            .checked_add(nw.checked_mul(dims.checked_mul(4)?.checked_add(16)?)?)?;
        if rest.len() != want {
            return None;
        }
        // the length was checked above: every read below is in bounds
        fn next_u64(b: &[u8], at: &mut usize) -> usize {
            let v = u64::from_le_bytes(b[*at..*at + 8].try_into().expect("8 bytes"));
            *at += 8;
            v as usize
        }
        // a start and an end sample; `None` when they are out of order
        fn next_span(b: &[u8], at: &mut usize) -> Option<Span> {
            let start = next_u64(b, at);
            let end = next_u64(b, at);
            (start <= end).then_some(Span { start, end })
        }
        let mut at = 12;
        let mut regions = Vec::with_capacity(nr);
        for _ in 0..nr {
            regions.push(next_span(rest, &mut at)?);
        }
        let mut spans = Vec::with_capacity(nw);
        let mut windows = Vec::with_capacity(nw);
        for _ in 0..nw {
            spans.push(next_span(rest, &mut at)?);
            let from = at;
            at += dims * 4;
            let v: Vec<f32> = rest[from..at]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            windows.push(v);
        }
        Some(WindowEmbeddings {
            regions,
            windows: spans.into_iter().zip(windows).collect(),
        })
    }
}

/// Clusters window embeddings into speakers ([`DiarizeOptions::speakers`], similar voices
/// merged): the second half of [`SpeakerModel::diarize`].
pub fn cluster_windows(
    emb: &WindowEmbeddings,
    opts: &DiarizeOptions,
) -> Result<Diarization, DiarizeError> {
    if !(1..=MAX_SPEAKERS).contains(&opts.speakers) {
        return Err(DiarizeError::SpeakerCount(opts.speakers));
    }
    let started = Instant::now();
    let sr = SAMPLE_RATE as f64;
    let embeddings: Vec<Vec<f32>> = emb.windows.iter().map(|(_, v)| v.clone()).collect();
    let weights: Vec<f32> = emb
        .windows
        .iter()
        .map(|(s, _)| ((s.end - s.start) as f64 / sr) as f32)
        .collect();
    let mut clusters = cluster::kmeans(&embeddings, &weights, opts.speakers);
    merge_similar(&mut clusters, &embeddings, opts.same_voice_similarity);
    let mut windows: Vec<LabelledWindow> = emb
        .windows
        .iter()
        .zip(&clusters.labels)
        .map(|((s, _), &l)| LabelledWindow {
            start: s.start as f64 / sr,
            end: s.end as f64 / sr,
            speaker: l,
        })
        .collect();
    windows.sort_by(|a, b| a.start.total_cmp(&b.start));
    Ok(Diarization {
        speakers: clusters.centroids.len(),
        windows,
        centroids: clusters.centroids,
        regions: emb
            .regions
            .iter()
            .map(|r| (r.start as f64 / sr, r.end as f64 / sr))
            .collect(),
        overlaps: Vec::new(),
        elapsed_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Merges clusters whose centroids are at least `threshold` similar (one voice split in two:
/// about 0.90 for the halves of one synthetic voice; two voices 0.39 for the default espeak-ng
/// pair, 0.76 for the closest pair measured, en-029+f2 / en-us+f1) and clusters of
/// fewer than [`MIN_SPEAKER_WINDOWS`] windows, relabelling so that labels stay 0..n.
fn merge_similar(c: &mut cluster::Clusters, points: &[Vec<f32>], threshold: f32) {
    loop {
        let k = c.centroids.len();
        let mut pair: Option<(usize, usize, f32)> = None;
        for a in 0..k {
            for b in a + 1..k {
                let s = cluster::cosine(&c.centroids[a], &c.centroids[b]);
                if s >= threshold && pair.is_none_or(|p| s > p.2) {
                    pair = Some((a, b, s));
                }
            }
        }
        if pair.is_none() && k > 1 {
            // The smallest cluster, if too small, goes to its nearest neighbour.
            let sizes: Vec<usize> = (0..k)
                .map(|i| c.labels.iter().filter(|&&l| l == i).count())
                .collect();
            if let Some(small) = (0..k).min_by_key(|&i| sizes[i]) {
                if sizes[small] < MIN_SPEAKER_WINDOWS {
                    let other = (0..k)
                        .filter(|&i| i != small)
                        .max_by(|&x, &y| {
                            cluster::cosine(&c.centroids[small], &c.centroids[x])
                                .total_cmp(&cluster::cosine(&c.centroids[small], &c.centroids[y]))
                        })
                        .unwrap_or(0);
                    pair = Some((small.min(other), small.max(other), 0.0));
                }
            }
        }
        let Some((a, b, similarity)) = pair else {
            return;
        };
        tracing::debug!(a, b, similarity, "speakers merged");
        for l in c.labels.iter_mut() {
            if *l == b {
                *l = a;
            } else if *l > b {
                *l -= 1;
            }
        }
        c.centroids.remove(b);
        let mut sum = vec![0f32; c.centroids[a].len()];
        for (p, _) in points.iter().zip(&c.labels).filter(|(_, &l)| l == a) {
            for (s, x) in sum.iter_mut().zip(p) {
                *s += x;
            }
        }
        cluster::normalize(&mut sum);
        c.centroids[a] = sum;
    }
}

/// How a transcript's speakers were attributed (`Transcript::speakers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerAttribution {
    /// Where the roles came from: `enrolled` or `inferred`.
    pub source: SpeakerSource,
    /// The speaker model used.
    pub model: String,
    /// Distinct speakers found.
    pub speakers: usize,
    /// Per speaker (cluster): its role, speaking time and how the role was decided.
    pub clusters: Vec<ClusterRole>,
    /// The cluster of each segment, in segment order (the transcript view swaps roles by
    /// cluster).
    pub segment_clusters: Vec<Option<usize>>,
    /// Seconds of overlapped speech (two people at once) in each segment, in segment order,
    /// to a tenth; empty when overlaps were not looked for (no segmentation model).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segment_overlap: Vec<f64>,
    /// Wall time of diarization and attribution, seconds.
    pub elapsed_seconds: f64,
}

/// One speaker of a recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRole {
    pub cluster: usize,
    pub role: Speaker,
    /// Seconds of the recording attributed to it.
    pub seconds: f64,
    /// Cosine similarity to the enrolled voice, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolled_similarity: Option<f32>,
    /// Therapist-likeness of its words (per word; see [`roles::therapist_score`]).
    pub word_score: f32,
}

/// Gives every segment of a session transcript a speaker from `diar` and a role: the cluster
/// nearest `voice` (the clinician's enrolled embedding, when given and near enough) is the
/// therapist, else the roles are inferred from the words. Segments whose halves belong to two
/// speakers are split first (see [`split_segments`]). Records the outcome in
/// `transcript.speakers`.
pub fn attribute(
    transcript: &mut Transcript,
    diar: &Diarization,
    voice: Option<&[f32]>,
    model: &str,
) -> SpeakerAttribution {
    let started = Instant::now();
    split_segments(&mut transcript.segments, diar);
    let seg_clusters: Vec<Option<usize>> = transcript
        .segments
        .iter()
        .map(|s| diar.speaker_between(s.start, s.end))
        .collect();
    let k = diar.speakers;
    let mut texts: Vec<Vec<&str>> = vec![Vec::new(); k];
    for (s, c) in transcript.segments.iter().zip(&seg_clusters) {
        if let Some(c) = c {
            texts[*c].push(s.text.as_str());
        }
    }
    let first = seg_clusters.iter().flatten().next().copied();
    let enrolled = voice.and_then(|v| roles::enrolled_therapist(&diar.centroids, v));
    let (therapist, source) = match enrolled {
        Some((c, _)) => (c, SpeakerSource::Enrolled),
        None => (
            roles::infer_therapist(&texts, first).0,
            SpeakerSource::Inferred,
        ),
    };
    let word_scores: Vec<f32> = texts.iter().map(|t| roles::therapist_score(t).0).collect();
    drop(texts);
    let role_of = |c: usize| {
        if k == 0 {
            Speaker::Unknown
        } else if c == therapist {
            Speaker::Therapist
        } else {
            Speaker::Client
        }
    };
    for (s, c) in transcript.segments.iter_mut().zip(&seg_clusters) {
        s.speaker = c.map(role_of).unwrap_or(Speaker::Unknown);
    }
    let mut seconds = vec![0.0; k];
    for w in &diar.windows {
        seconds[w.speaker] += diar.hop_weight(w);
    }
    let clusters = (0..k)
        .map(|c| ClusterRole {
            cluster: c,
            role: role_of(c),
            seconds: (seconds[c] * 10.0f64).round() / 10.0,
            enrolled_similarity: voice.map(|v| cluster::cosine(&diar.centroids[c], v)),
            word_score: word_scores[c],
        })
        .collect();
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        segments = transcript.segments.len(),
        "speakers attributed"
    );
    let segment_overlap = if diar.overlaps.is_empty() {
        Vec::new()
    } else {
        transcript
            .segments
            .iter()
            .map(|s| (overlap_within(&diar.overlaps, s.start, s.end) * 10.0).round() / 10.0)
            .collect()
    };
    let a = SpeakerAttribution {
        source,
        model: model.to_string(),
        speakers: k,
        clusters,
        segment_clusters: seg_clusters,
        segment_overlap,
        elapsed_seconds: diar.elapsed_seconds + started.elapsed().as_secs_f64(),
    };
    transcript.speakers = Some(a.clone());
    a
}

/// Seconds of `spans` (sorted, disjoint) inside `start..end`.
pub fn overlap_within(spans: &[(f64, f64)], start: f64, end: f64) -> f64 {
    spans
        .iter()
        .map(|(a, b)| (b.min(end) - a.max(start)).max(0.0))
        .sum()
}

impl SpeakerAttribution {
    /// Whether segment `i` (in segment order) holds overlapped speech worth marking.
    pub fn overlapped(&self, i: usize) -> bool {
        self.segment_overlap
            .get(i)
            .is_some_and(|s| *s >= MIN_OVERLAP_S)
    }

    /// The ids (segment order) of the segments that hold overlapped speech worth marking.
    pub fn overlapped_ids(&self) -> Vec<i64> {
        (0..self.segment_overlap.len())
            .filter(|&i| self.overlapped(i))
            .filter_map(|i| i64::try_from(i).ok())
            .collect()
    }
}

impl Diarization {
    /// The time a window stands for in speaking-time totals (its share of the hop).
    fn hop_weight(&self, w: &LabelledWindow) -> f64 {
        // Overlapping windows each count for the part nearer their own centre: about half a
        // window at the default hop. Good enough for a summary.
        (w.end - w.start) / 2.0
    }
}

/// Splits segments where the speaker changes inside them: at the token boundary nearest the
/// change when the segment has token times, else at the change itself with the words shared
/// in proportion of time. Renumbers the segment ids.
pub fn split_segments(segments: &mut Vec<Segment>, diar: &Diarization) {
    if diar.speakers < 2 {
        return;
    }
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for seg in segments.drain(..) {
        out.extend(split_one(seg, diar));
    }
    for (i, s) in out.iter_mut().enumerate() {
        s.id = i as u32;
    }
    *segments = out;
}

/// How far (in the segment's time, spread over its characters) a speaker change may be moved
/// to the end of a sentence, seconds.
const SNAP_S: f64 = 2.5;

/// The word index where a speaker change at `share` of the segment's time falls: the time is
/// spread over the characters (a long word takes longer than a short one), and a sentence end
/// (`.`, `?`, `!`) within `reach` of it wins, the nearest first, because people rarely hand
/// over a turn mid-sentence while whisper often puts two turns in one segment.
fn word_at(words: &[&str], share: f64, reach: f64) -> usize {
    // Share of the segment's characters before each word boundary j (0..=len).
    let total: usize = words.iter().map(|w| w.chars().count() + 1).sum();
    let mut at = Vec::with_capacity(words.len() + 1);
    let mut acc = 0usize;
    at.push(0.0);
    for w in words {
        acc += w.chars().count() + 1;
        at.push(acc as f64 / total as f64);
    }
    let nearest = (0..=words.len())
        .min_by(|&a, &b| (at[a] - share).abs().total_cmp(&(at[b] - share).abs()))
        .unwrap_or(0);
    let sentence_end =
        |j: usize| j > 0 && j < words.len() && words[j - 1].ends_with(['.', '?', '!']);
    (1..words.len())
        .filter(|&j| sentence_end(j) && (at[j] - share).abs() <= reach)
        .min_by(|&a, &b| (at[a] - share).abs().total_cmp(&(at[b] - share).abs()))
        .unwrap_or(nearest)
}

/// Shortest piece a split leaves on either side, seconds.
const MIN_SPLIT_S: f64 = 1.0;

fn split_one(seg: Segment, diar: &Diarization) -> Vec<Segment> {
    let dur = seg.end - seg.start;
    if dur < 2.0 * MIN_SPLIT_S {
        return vec![seg];
    }
    // Speaker runs inside the segment at 50 ms steps.
    let step = 0.05;
    let mut runs: Vec<(f64, f64, usize)> = Vec::new();
    let mut t = seg.start;
    while t < seg.end {
        let e = (t + step).min(seg.end);
        if let Some(s) = diar.speaker_at((t + e) / 2.0) {
            match runs.last_mut() {
                Some(r) if r.2 == s => r.1 = e,
                _ => runs.push((t, e, s)),
            }
        }
        t = e;
    }
    // Keep only runs long enough to be a turn, merging short ones into their neighbours.
    runs.retain(|r| r.1 - r.0 >= MIN_SPLIT_S);
    runs.dedup_by(|b, a| {
        if a.2 == b.2 {
            a.1 = b.1;
            true
        } else {
            false
        }
    });
    if runs.len() < 2 {
        return vec![seg];
    }
    let words: Vec<&str> = seg.text.split_whitespace().collect();
    if words.len() < 2 {
        return vec![seg];
    }
    // Change points: the midpoints between consecutive runs.
    let cuts: Vec<f64> = runs.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0).collect();
    let mut pieces = Vec::new();
    let mut start = seg.start;
    let mut word0 = 0usize;
    for (i, &cut) in cuts.iter().chain(std::iter::once(&seg.end)).enumerate() {
        let last = i == cuts.len();
        let word1 = if last {
            words.len()
        } else {
            word_at(&words, (cut - seg.start) / dur, SNAP_S / dur)
        }
        .clamp(word0, words.len());
        if word1 > word0 {
            pieces.push(Segment {
                id: seg.id,
                start,
                end: cut,
                speaker: seg.speaker,
                text: words[word0..word1].join(" "),
                avg_logprob: seg.avg_logprob,
                no_speech_prob: seg.no_speech_prob,
            });
            word0 = word1;
            start = cut;
        }
    }
    if pieces.is_empty() {
        vec![seg]
    } else {
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::{speaker_changes, word_at, LabelledWindow};

    #[test]
    fn speaker_changes_fall_between_the_windows_of_two_speakers() {
        let w = |start: f64, speaker: usize| LabelledWindow {
            start,
            end: start + 1.5,
            speaker,
        };
        let windows = [w(0.0, 0), w(0.5, 0), w(1.0, 1), w(1.5, 1), w(2.0, 0)];
        // centres 1.25 and 1.75, then 2.25 and 2.75
        assert_eq!(speaker_changes(&windows), vec![1.5, 2.5]);
        assert!(speaker_changes(&windows[..2]).is_empty());
        assert!(speaker_changes(&[]).is_empty());
    }

    #[test]
    fn a_speaker_change_moves_to_the_nearest_sentence_end_in_reach() {
        let w: Vec<&str> = "How did you sleep this week? Badly, maybe four hours a night."
            .split_whitespace()
            .collect();
        // The change heard a little late, after "Badly,": the turn ends at the question.
        assert_eq!(word_at(&w, 0.56, 0.2), 6);
        // Out of reach: the change stays where the time puts it.
        assert_eq!(word_at(&w, 0.8, 0.1), 9);
        // No sentence end at all: the time spread over characters decides.
        let w: Vec<&str> = "a bb ccc dddd".split_whitespace().collect();
        assert_eq!(word_at(&w, 0.6, 1.0), 3);
    }
}
