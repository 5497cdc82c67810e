//! Measures what the dropped-speech guard recovers: transcribes each WAV twice with the active
//! speech model (guard off, then on) and prints the WER against `<file>.txt` and the longest
//! stretch of reference speech with no words in the transcript (seconds, from
//! `<file>.turns.json` as written by `synth-session --turns`, else from the mean word rate).
//!
//! `cargo run --example dropped_speech -- MODELS_DIR FILE.wav...` (`bench` as a file renders the
//! benchmark session, [`noted::transcribe::bench::SYNTHETIC_SESSION`]); `PROMPT=1` gives
//! whisper the clinical prompt; `VERBOSE=1` prints the segments.

use std::path::{Path, PathBuf};

use noted::audio::{self, DecodeLimits};
use noted::models::registry::{self, Role};
use noted::transcribe::{wer, Engine, EngineOptions, TranscribeOptions};

/// Start time (s) of each normalized reference word, and the reference words.
fn word_times(wav: &Path, reference: &str, duration: f64) -> (Vec<String>, Vec<f64>) {
    let turns = std::fs::read_to_string(wav.with_extension("turns.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<Vec<serde_json::Value>>(&s).ok());
    let mut words = Vec::new();
    let mut times = Vec::new();
    match turns {
        Some(turns) => {
            for t in turns {
                let w = wer::normalize(t["text"].as_str().unwrap_or(""));
                let (a, b) = (
                    t["start"].as_f64().unwrap_or(0.0),
                    t["end"].as_f64().unwrap_or(0.0),
                );
                for (k, x) in w.iter().enumerate() {
                    times.push(a + (b - a) * k as f64 / w.len() as f64);
                    words.push(x.clone());
                }
            }
        }
        None => {
            words = wer::normalize(reference);
            let n = words.len().max(1) as f64;
            times = (0..words.len()).map(|k| duration * k as f64 / n).collect();
        }
    }
    (words, times)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let models = PathBuf::from(
        args.next()
            .expect("usage: dropped_speech MODELS_DIR FILE.wav..."),
    );
    let model = registry::active(&models, Role::Asr)?;
    let engine = Engine::load(&model, EngineOptions::default())?;
    println!("model {}", engine.model_name());
    let prompt = std::env::var("PROMPT").is_ok_and(|v| v == "1");
    for f in args {
        let wav = if f == "bench" {
            let wav = std::env::temp_dir().join("noted-bench-session.wav");
            noted::transcribe::bench::synthesize_session(
                noted::transcribe::bench::SYNTHETIC_SESSION,
                &wav,
            )?;
            std::fs::write(
                wav.with_extension("txt"),
                noted::transcribe::bench::synthetic_reference(),
            )?;
            wav
        } else {
            PathBuf::from(&f)
        };
        let reference = std::fs::read_to_string(wav.with_extension("txt"))?;
        let audio = audio::decode_file(&wav, &DecodeLimits::default())?;
        let (ref_words, times) = word_times(&wav, &reference, audio.duration_seconds);
        for recover in [false, true] {
            let mut opts = TranscribeOptions {
                recover_dropped: recover,
                ..TranscribeOptions::session()
            };
            if prompt {
                opts = opts.with_clinical_prompt();
            }
            let t = engine.transcribe(&audio, &opts, &|_| true)?;
            let w = wer::wer(&reference, &t.text);
            let (start, len) = wer::longest_deleted_run(&ref_words, &wer::normalize(&t.text));
            let secs = if len == 0 {
                0.0
            } else {
                let end = times
                    .get(start + len)
                    .copied()
                    .unwrap_or(audio.duration_seconds);
                end - times[start]
            };
            println!(
                "{} guard={} audio={:.0}s WER={:.1}% longest_gap={} words ({:.1}s at {:.0}s) elapsed={:.1}s",
                wav.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                if recover { "on" } else { "off" },
                audio.duration_seconds,
                w * 100.0,
                len,
                secs,
                times.get(start).copied().unwrap_or(0.0),
                t.elapsed_seconds
            );
            if std::env::var("VERBOSE").is_ok_and(|v| v == "1") {
                for s in &t.segments {
                    println!("  [{:7.2} {:7.2}] {}", s.start, s.end, s.text);
                }
            }
        }
    }
    Ok(())
}
