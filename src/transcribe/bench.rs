//! `noted bench transcribe`: speed measurement.
//!
//! Prints audio length, wall time, real-time factor (wall / audio) and peak memory (VmHWM)
//! for the active speech model, or each installed one with `--all`. Without FILE a ~3-minute
//! two-voice synthetic session is rendered with espeak-ng and sox (needs both installed) and
//! its word error rate is reported as well.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};

use crate::audio::{self, Audio, DecodeLimits};
use crate::config::GlobalOpts;
use crate::diarize::score::RefTurn;
use crate::models::registry::{self, InstalledModel, Role};
use crate::transcribe::{wer, Engine, EngineOptions, Speaker, TranscribeOptions};

/// Options of `noted bench transcribe`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Audio file to transcribe (default: a synthetic ~3-minute two-voice session).
    pub file: Option<PathBuf>,
    /// Reference transcript of FILE (plain text), to report the word error rate.
    #[arg(long)]
    pub reference: Option<PathBuf>,
    /// Benchmark every installed speech model.
    #[arg(long)]
    pub all: bool,
    /// Benchmark these models (repeatable) instead of the active one.
    #[arg(long)]
    pub model: Vec<String>,
    /// Threads (default: all cores).
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Repeat the audio N times back to back (e.g. 10 × 3 min = a 30-minute input).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Turn off voice activity detection.
    #[arg(long)]
    pub no_vad: bool,
    /// Prompt whisper with clinical vocabulary.
    #[arg(long)]
    pub clinical_prompt: bool,
    /// Use whisper.cpp's flash attention.
    #[arg(long)]
    pub flash_attn: bool,
    /// Keep the synthetic session (WAV + reference .txt) at this path instead of deleting it.
    #[arg(long)]
    pub save_synthetic: Option<PathBuf>,
    /// Print one JSON object per model instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The synthetic session: (speaker, text). Therapist and client get different voices.
pub const SYNTHETIC_SESSION: &[(&str, &str)] = &[
    ("therapist", "Good morning. How has your week been since our last session?"),
    ("client", "It has been a hard week. Work was busy and I did not sleep well most nights."),
    ("therapist", "I am sorry to hear that. How many hours of sleep are you getting on a typical night?"),
    ("client", "Maybe five hours. I wake up around three in the morning and my mind starts racing about everything I have to do."),
    ("therapist", "What kinds of thoughts come up when you wake at three?"),
    ("client", "Mostly that I am falling behind, that my manager thinks I am not good enough, and that I will lose my job."),
    ("therapist", "Last time we talked about noticing those thoughts and writing them down. Were you able to try the thought record?"),
    ("client", "I did it twice. Once it helped a little. I wrote that there is no real evidence my manager is unhappy with me."),
    ("therapist", "That is a good example of weighing the evidence. What happened the second time?"),
    ("client", "The second time I was too tired to think clearly, so I just got up and watched television until the alarm went off."),
    ("therapist", "That makes sense. On a scale from zero to ten, how would you rate your anxiety this week?"),
    ("client", "Around a seven most days, maybe an eight on Monday before the team meeting."),
    ("therapist", "And your mood? Have there been times when you felt hopeless or thought about harming yourself?"),
    ("client", "No, nothing like that. I feel tired and worried, but I do not want to hurt myself."),
    ("therapist", "Thank you for telling me. If that ever changes, I want you to call me or the crisis line right away."),
    ("client", "I understand. I still have the number saved in my phone from when we made the safety plan."),
    ("therapist", "Good. Let us talk about sleep for a moment. What does your evening routine look like right now?"),
    ("client", "I usually answer emails in bed until midnight, and then I try to fall asleep with the lights off."),
    ("therapist", "Checking email in bed can keep your mind active. Would you be willing to stop work an hour before bed this week?"),
    ("client", "I can try. Maybe I could read a book instead, or do the breathing exercise you showed me."),
    ("therapist", "That sounds like a good plan. Let us also fill out the anxiety questionnaire again before we finish today."),
    ("client", "Sure. I think my score will be a little higher than last month, to be honest."),
    ("therapist", "That is fine. We will use it to track how things change. Next week we can review the sleep plan together."),
    ("client", "Thank you. It helps to have a plan. I will see you next Tuesday at the same time."),
];

/// The synthetic session's words, one turn a line.
pub fn synthetic_reference() -> String {
    SYNTHETIC_SESSION
        .iter()
        .map(|(_, t)| *t)
        .collect::<Vec<_>>()
        .join("\n")
}

fn need_tool(name: &str) -> anyhow::Result<()> {
    let ok = Command::new(name)
        .arg("--version")
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    if !ok {
        bail!("`{name}` is not installed (Debian package `{name}`); it is needed to synthesize the benchmark session, or pass an audio FILE");
    }
    Ok(())
}

/// Pause after each synthesized turn, seconds.
const TURN_PAUSE_S: f64 = 0.7;

/// Renders `turns` with espeak-ng (therapist and client voices) into a 16 kHz mono WAV, with
/// a 0.7 s pause after each turn. Returns the reference turns (speaker, start and end in the
/// audio, words) for scoring speaker attribution.
pub fn synthesize_session(turns: &[(&str, &str)], out: &Path) -> anyhow::Result<Vec<RefTurn>> {
    need_tool("espeak-ng")?;
    need_tool("sox")?;
    let tmp = out.with_extension("parts");
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let result = (|| {
        let mut parts = Vec::new();
        let mut times = Vec::new();
        for (i, (speaker, text)) in turns.iter().enumerate() {
            let (voice, speed) = if *speaker == "therapist" {
                ("en-us+f3", "160")
            } else {
                ("en-us+m3", "170")
            };
            let raw = tmp.join(format!("{i:04}.wav"));
            let st = Command::new("espeak-ng")
                .args(["-v", voice, "-s", speed, "-w"])
                .arg(&raw)
                .arg(text)
                .status()
                .context("running espeak-ng")?;
            if !st.success() {
                bail!("espeak-ng failed ({st})");
            }
            let padded = tmp.join(format!("{i:04}p.wav"));
            let st = Command::new("sox")
                .arg(&raw)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&padded)
                .args(["pad", "0", &TURN_PAUSE_S.to_string()])
                .status()
                .context("running sox")?;
            if !st.success() {
                bail!("sox failed ({st})");
            }
            let seconds = audio::decode_file(&padded, &DecodeLimits::default())
                .with_context(|| format!("reading back {}", padded.display()))?
                .duration_seconds;
            let start = times.last().map_or(0.0, |t: &RefTurn| t.end + TURN_PAUSE_S);
            times.push(RefTurn {
                speaker: if *speaker == "therapist" {
                    Speaker::Therapist
                } else {
                    Speaker::Client
                },
                start,
                end: start + (seconds - TURN_PAUSE_S).max(0.0),
                text: text.to_string(),
            });
            parts.push(padded);
        }
        let st = Command::new("sox")
            .args(&parts)
            .arg(out)
            .status()
            .context("running sox")?;
        if !st.success() {
            bail!("sox failed to join the turns ({st})");
        }
        Ok(times)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// Peak resident memory of this process (VmHWM), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak-RSS counter (Linux: writing 5 to clear_refs), so each model is measured alone.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One benchmark result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchResult {
    pub model: String,
    pub quantization: Option<String>,
    pub threads: usize,
    pub audio_seconds: f64,
    pub load_seconds: f64,
    pub wall_seconds: f64,
    /// wall / audio (lower is better).
    pub real_time_factor: f64,
    /// audio / wall ("× real time").
    pub speed: f64,
    pub peak_rss_mib: Option<f64>,
    pub segments: usize,
    pub wer: Option<f64>,
    /// Speaker attribution of the synthetic session (speaker model installed; not counted in
    /// `wall_seconds`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speakers: Option<crate::diarize::score::AttributionScore>,
}

pub async fn run(g: &GlobalOpts, a: BenchArgs) -> anyhow::Result<()> {
    let dir = g.models_dir();
    let models: Vec<InstalledModel> = if a.all {
        let all: Vec<_> = registry::list(&dir)?
            .into_iter()
            .filter(|m| m.role == Role::Asr)
            .collect();
        if all.is_empty() {
            // The registry's NotInstalled message names the install command.
            registry::active(&dir, Role::Asr)?;
        }
        all
    } else if !a.model.is_empty() {
        a.model
            .iter()
            .map(|n| registry::find_role(&dir, n, Role::Asr))
            .collect::<Result<_, _>>()?
    } else {
        vec![registry::active(&dir, Role::Asr)?]
    };

    // The synthetic session is also diarized when the speaker model is installed.
    let speaker = registry::active(&dir, Role::Speaker).ok();
    let overlaps = g.overlaps;
    tokio::task::spawn_blocking(move || bench_blocking(models, speaker, overlaps, a))
        .await
        .context("benchmark task failed")?
}

fn bench_blocking(
    models: Vec<InstalledModel>,
    speaker: Option<InstalledModel>,
    overlaps: bool,
    a: BenchArgs,
) -> anyhow::Result<()> {
    let mut turns: Option<Vec<RefTurn>> = None;
    let (file, reference, cleanup) = match &a.file {
        Some(f) => (
            f.clone(),
            match &a.reference {
                Some(r) => Some(
                    std::fs::read_to_string(r)
                        .with_context(|| format!("reading reference {}", r.display()))?,
                ),
                None => None,
            },
            None,
        ),
        None => {
            let (path, cleanup) = match &a.save_synthetic {
                Some(p) => (p.clone(), None),
                None => {
                    let d =
                        std::env::temp_dir().join(format!("noted-bench-{}", std::process::id()));
                    std::fs::create_dir_all(&d)?;
                    (d.join("session.wav"), Some(d))
                }
            };
            eprintln!("synthesizing a two-voice session with espeak-ng ...");
            turns = Some(synthesize_session(SYNTHETIC_SESSION, &path)?);
            if a.save_synthetic.is_some() {
                std::fs::write(path.with_extension("txt"), synthetic_reference())?;
            }
            (path, Some(synthetic_reference()), cleanup)
        }
    };
    let decoded = audio::decode_file(
        &file,
        &DecodeLimits {
            max_duration_seconds: 24.0 * 3600.0,
            ..DecodeLimits::default()
        },
    )
    .with_context(|| format!("{}", file.display()));
    if let Some(d) = cleanup {
        let _ = std::fs::remove_dir_all(d);
    }
    let mut audio = decoded?;
    if a.repeat > 1 {
        let one = audio.samples.clone();
        let len = audio.duration_seconds;
        for _ in 1..a.repeat {
            audio.samples.extend_from_slice(&one);
        }
        audio = Audio::from_samples(audio.samples);
        if let Some(t) = &mut turns {
            let base = t.clone();
            for i in 1..a.repeat {
                t.extend(base.iter().map(|r| RefTurn {
                    start: r.start + len * i as f64,
                    end: r.end + len * i as f64,
                    ..r.clone()
                }));
            }
        }
    }
    let speaker_model = match (&speaker, &turns) {
        (Some(m), Some(_)) => Some(crate::diarize::SpeakerModel::load(m)?.with_overlaps(overlaps)),
        _ => None,
    };
    let reference = reference.map(|r| {
        let mut all = String::new();
        for _ in 0..a.repeat.max(1) {
            all.push_str(&r);
            all.push('\n');
        }
        all
    });

    if !a.json {
        println!(
            "{:<24} {:>7} {:>9} {:>8} {:>8} {:>7} {:>9} {:>6}",
            "model", "threads", "audio s", "wall s", "RTF", "speed", "peak MiB", "WER"
        );
    }
    for m in &models {
        reset_peak_rss();
        let load_start = Instant::now();
        let engine = Engine::load(
            m,
            EngineOptions {
                threads: a.threads,
                flash_attn: a.flash_attn,
            },
        )?;
        let load_seconds = load_start.elapsed().as_secs_f64();
        let mut opts = TranscribeOptions::session();
        opts.vad.enabled = !a.no_vad;
        if a.clinical_prompt {
            opts = opts.with_clinical_prompt();
        }
        let threads = a
            .threads
            .filter(|&t| t > 0)
            .unwrap_or_else(super::default_threads);
        let start = Instant::now();
        let mut t = engine.transcribe(&audio, &opts, &|_| true)?;
        let wall = start.elapsed().as_secs_f64();
        let peak = peak_rss_mib();
        let speakers = match (&speaker_model, &turns) {
            (Some(sm), Some(refs)) => Some(crate::diarize::score::diarize_and_score(
                sm,
                &audio.samples,
                &mut t,
                refs,
            )?),
            _ => None,
        };
        let r = BenchResult {
            model: m.name.clone(),
            quantization: m.quantization.clone(),
            threads,
            audio_seconds: audio.duration_seconds,
            load_seconds,
            wall_seconds: wall,
            real_time_factor: wall / audio.duration_seconds.max(1e-9),
            speed: audio.duration_seconds / wall.max(1e-9),
            peak_rss_mib: peak,
            segments: t.segments.len(),
            wer: reference.as_deref().map(|r| wer::wer(r, &t.text)),
            speakers,
        };
        if a.json {
            println!("{}", serde_json::to_string(&r)?);
        } else {
            println!(
                "{:<24} {:>7} {:>9.1} {:>8.2} {:>8.3} {:>6.1}x {:>9.0} {:>6}",
                r.model,
                r.threads,
                r.audio_seconds,
                r.wall_seconds,
                r.real_time_factor,
                r.speed,
                r.peak_rss_mib.unwrap_or(f64::NAN),
                r.wer
                    .map(|w| format!("{:.1}%", w * 100.0))
                    .unwrap_or_else(|| "-".into())
            );
            if let Some(s) = &r.speakers {
                println!(
                    "{:<24} speakers: diarized in {:.2} s (+{:.0} % of transcription), DER {:.1} %, words with the right role {:.1} % of {}",
                    "",
                    s.seconds,
                    100.0 * s.seconds / r.wall_seconds.max(1e-9),
                    s.der.der * 100.0,
                    s.role_accuracy * 100.0,
                    s.words
                );
            }
        }
    }
    Ok(())
}
