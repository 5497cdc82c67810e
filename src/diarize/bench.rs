//! `noted bench diarize`: accuracy and cost of speaker attribution on a recording with
//! reference turns (`tools/synth-session SESSION.json OUT.wav --turns TURNS.json`): DER with a
//! 0.25 s collar, share of words given the right role, transcription and diarization wall
//! time (the overhead diarization adds) and peak memory.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::score::{self, RefTurn};
use super::{DiarizeOptions, SpeakerModel};
use crate::audio::{self, Audio, DecodeLimits};
use crate::config::GlobalOpts;
use crate::models::registry::{self, Role};
use crate::transcribe::{bench::peak_rss_mib, Engine, EngineOptions, TranscribeOptions};

/// Options of `noted bench diarize`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Session recording.
    pub file: PathBuf,
    /// Reference turns: a JSON list of {speaker, start, end}, or NIST RTTM (`.rttm`; the
    /// first speaker named is the therapist, the second the client).
    #[arg(long)]
    pub turns: PathBuf,
    /// A recording of the therapist alone, enrolled before attributing (else roles are
    /// inferred from the words).
    #[arg(long)]
    pub therapist_voice: Option<PathBuf>,
    /// Speakers to find.
    #[arg(long, default_value_t = 2)]
    pub speakers: usize,
    /// Threads (default: all cores).
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Repeat the audio (and turns) N times back to back, for a long-session measurement.
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What `noted bench diarize` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchResult {
    pub audio_seconds: f64,
    pub transcribe_seconds: f64,
    pub diarize_seconds: f64,
    /// diarize / transcribe.
    pub overhead: f64,
    pub speakers_found: usize,
    pub der: score::Der,
    pub role_accuracy: f64,
    pub words: usize,
    pub source: super::SpeakerSource,
    pub peak_rss_mib: Option<f64>,
    /// Overlapped speech found against the reference's (empty spans without the
    /// segmentation model).
    pub overlap: score::OverlapScore,
    /// The speaker turns found (cluster indices), to read beside the reference.
    pub turns: Vec<super::Turn>,
    /// The transcript's segments with their speakers.
    pub segments: Vec<crate::transcribe::Segment>,
}

pub async fn run(g: &GlobalOpts, a: BenchArgs) -> anyhow::Result<()> {
    let dir = g.models_dir();
    let asr = registry::active(&dir, Role::Asr)?;
    let spk = registry::active(&dir, Role::Speaker)?;
    let overlaps = g.overlaps;
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let limits = DecodeLimits {
            max_duration_seconds: 24.0 * 3600.0,
            ..DecodeLimits::default()
        };
        let mut audio = audio::decode_file(&a.file, &limits)
            .with_context(|| format!("{}", a.file.display()))?;
        let text = std::fs::read_to_string(&a.turns)
            .with_context(|| format!("reading {}", a.turns.display()))?;
        let one: Vec<RefTurn> = if a.turns.extension().is_some_and(|e| e == "rttm") {
            score::turns_from_rttm(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", a.turns.display()))?
        } else {
            serde_json::from_str(&text)
                .with_context(|| format!("{}: not a list of turns", a.turns.display()))?
        };
        let mut turns = one.clone();
        if a.repeat > 1 {
            let len = audio.duration_seconds;
            let base = audio.samples.clone();
            for i in 1..a.repeat {
                audio.samples.extend_from_slice(&base);
                turns.extend(one.iter().map(|t| RefTurn {
                    start: t.start + len * i as f64,
                    end: t.end + len * i as f64,
                    ..t.clone()
                }));
            }
            audio = Audio::from_samples(audio.samples);
        }
        let engine = Engine::load(
            &asr,
            EngineOptions {
                threads: a.threads,
                ..EngineOptions::default()
            },
        )?;
        let model = SpeakerModel::load(&spk)?.with_overlaps(overlaps);
        let voice = match &a.therapist_voice {
            Some(f) => {
                let v = audio::decode_file(f, &limits).with_context(|| format!("{}", f.display()))?;
                Some(model.voice_embedding(&v.samples)?)
            }
            None => None,
        };
        let mut opts = TranscribeOptions::session();
        opts.threads = a.threads;
        let t0 = Instant::now();
        let mut transcript = engine.transcribe(&audio, &opts, &|_| true)?;
        let transcribe_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let d = model.diarize(
            &audio.samples,
            &DiarizeOptions::with_speakers(a.speakers)?,
            &|_| true,
        )?;
        let attribution = super::attribute(
            &mut transcript,
            &d,
            voice.as_ref().map(|v| v.vector.as_slice()),
            model.name(),
        );
        let diarize_seconds = t1.elapsed().as_secs_f64();
        let (role_accuracy, words) = score::role_accuracy(&turns, &transcript);
        let found = d.turns();
        let r = BenchResult {
            audio_seconds: audio.duration_seconds,
            transcribe_seconds,
            diarize_seconds,
            overhead: diarize_seconds / transcribe_seconds.max(1e-9),
            speakers_found: d.speakers,
            der: score::der(&turns, &found, 0.25),
            role_accuracy,
            words,
            source: attribution.source,
            peak_rss_mib: peak_rss_mib(),
            overlap: score::overlap_score(&turns, &d.overlaps),
            turns: found,
            segments: transcript.segments.clone(),
        };
        if a.json {
            println!("{}", serde_json::to_string(&r)?);
        } else {
            println!(
                "audio {:.1} s | transcribe {:.2} s | diarize {:.2} s (+{:.1} %) | speakers {} | DER {:.1} % (miss {:.1} s, fa {:.1} s, confusion {:.1} s) | roles ({:?}) {:.1} % of {} words | overlap: reference {:.1} s, found {:.1} s, both {:.1} s | peak {:.0} MiB",
                r.audio_seconds,
                r.transcribe_seconds,
                r.diarize_seconds,
                r.overhead * 100.0,
                r.speakers_found,
                r.der.der * 100.0,
                r.der.missed,
                r.der.false_alarm,
                r.der.confusion,
                r.source,
                r.role_accuracy * 100.0,
                r.words,
                r.overlap.reference,
                r.overlap.found,
                r.overlap.hit,
                r.peak_rss_mib.unwrap_or(f64::NAN)
            );
        }
        Ok(())
    })
    .await
    .context("benchmark task failed")?
}
