//! Speaker attribution with the real CAM++ model (test tier): embeddings tell two synthetic
//! voices apart, sessions split into two speakers with the enrolled one as therapist, roles
//! inferred from the words without enrolment, a dictation stays one speaker, and bad input
//! (silence, a short clip, one voice, a corrupt or missing model) gives a result or a typed
//! error.
//!
//! The model comes from `NOTED_TEST_MODELS` (`noted models install --tier test`); when it is
//! missing the tests fail under `NOTED_REQUIRE_MODELS=1`, else print "skipped: ..." and
//! return. Speech is synthesized with espeak-ng and sox (CI installs both).

mod common;
use common::{model_missing, models_dir, present, run_tool, runs};

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use noted::audio::{self, Audio, DecodeLimits};
use noted::diarize::{
    self, cluster::cosine, DiarizeError, DiarizeOptions, SpeakerModel, SpeakerSource,
};
use noted::models::registry::{self, Role};
use noted::transcribe::{Segment, Speaker, Transcript};

/// The installed speaker model, loaded once per test binary.
fn model() -> Option<Arc<SpeakerModel>> {
    static MODEL: OnceLock<Option<Arc<SpeakerModel>>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let m = registry::active(&models_dir(), Role::Speaker).ok()?;
            Some(Arc::new(
                SpeakerModel::load(&m).expect("the installed model loads"),
            ))
        })
        .clone()
        .or_else(|| {
            model_missing("the speaker model (campplus-sv-zh-en)");
            None
        })
}

fn tools() -> bool {
    ["espeak-ng", "sox"].iter().all(|t| {
        present(
            runs(t, "--version"),
            common::env_is_1("NOTED_REQUIRE_MODELS"),
            &format!("`{t}` is not installed (apt-get install {t})"),
        )
    })
}

/// A reference turn: who spoke, from when to when (seconds), and the words.
#[derive(Debug, Clone)]
struct RefTurn {
    therapist: bool,
    start: f64,
    end: f64,
    text: String,
}

/// Renders `(therapist?, text)` turns with the two voices (espeak-ng voice, speed), 0.7 s of
/// silence after each, into 16 kHz audio; returns it with the reference turns.
fn render(dir: &Path, turns: &[(bool, &str)], voices: [(&str, &str); 2]) -> (Audio, Vec<RefTurn>) {
    let mut samples = Vec::new();
    let mut refs = Vec::new();
    for (i, (therapist, text)) in turns.iter().enumerate() {
        let (voice, speed) = voices[if *therapist { 0 } else { 1 }];
        let raw = dir.join(format!("t{i}.wav"));
        let wav = dir.join(format!("t{i}-16k.wav"));
        run_tool(
            Command::new("espeak-ng")
                .args(["-v", voice, "-s", speed, "-w"])
                .arg(&raw)
                .arg(text),
        );
        run_tool(
            Command::new("sox")
                .arg(&raw)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&wav),
        );
        let a = audio::decode_file(&wav, &DecodeLimits::default()).expect("decodes");
        let start = samples.len() as f64 / 16000.0;
        samples.extend_from_slice(&a.samples);
        refs.push(RefTurn {
            therapist: *therapist,
            start,
            end: samples.len() as f64 / 16000.0,
            text: text.to_string(),
        });
        samples.extend(std::iter::repeat_n(0.0, 11200));
    }
    (Audio::from_samples(samples), refs)
}

const THERAPIST: (&str, &str) = ("en-us+f3", "160");
const CLIENT: (&str, &str) = ("en-us+m3", "170");

/// A short session: the therapist greets, asks and reflects; the client reports.
const SESSION: &[(bool, &str)] = &[
    (true, "Hi, welcome back. How was your week since we last met?"),
    (false, "Honestly it was rough. I've been exhausted after every night shift and I can't switch off when I get home."),
    (true, "It sounds like the nights are really draining you. Can you tell me more about what happens when you get home?"),
    (false, "I lie in bed replaying everything that went wrong on the ward. My mind just keeps going and I sleep maybe four hours."),
    (true, "That makes sense after such long shifts. What have you tried so far to wind down?"),
    (false, "I tried reading, but I end up checking my phone for messages from work. I feel guilty if I don't answer."),
    (true, "Let's try something this week. Before bed, write down the three things on your mind, then put the phone in another room. Would you be willing to try that?"),
    (false, "Yes, I think I can do that. I'm worried I'll miss something, but I know I need the sleep."),
];

#[test]
fn embeddings_tell_two_voices_apart() {
    let Some(model) = model() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (audio, refs) = render(dir.path(), SESSION, [THERAPIST, CLIENT]);
    let (_, chunks) = SpeakerModel::plan(&audio.samples, &DiarizeOptions::default());
    let t0 = std::time::Instant::now();
    let (spans, emb): (Vec<_>, Vec<_>) = model
        .embed_chunks(&audio.samples, &chunks, &|_| true)
        .unwrap()
        .into_iter()
        .unzip();
    eprintln!(
        "{} windows over {:.1} s in {:.2} s",
        spans.len(),
        audio.duration_seconds,
        t0.elapsed().as_secs_f64()
    );
    // Each window's true voice: the turn holding its centre.
    let voice = |i: usize| -> Option<bool> {
        let c = (spans[i].start + spans[i].end) as f64 / 2.0 / 16000.0;
        refs.iter()
            .find(|r| r.start <= c && c <= r.end)
            .map(|r| r.therapist)
    };
    let (mut same, mut diff) = (Vec::new(), Vec::new());
    for i in 0..emb.len() {
        for j in i + 1..emb.len() {
            if let (Some(a), Some(b)) = (voice(i), voice(j)) {
                let s = cosine(&emb[i], &emb[j]);
                if a == b {
                    same.push(s)
                } else {
                    diff.push(s)
                }
            }
        }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len().max(1) as f32;
    eprintln!(
        "same voice: mean cosine {:.3}; different voices: {:.3}",
        mean(&same),
        mean(&diff)
    );
    assert!(
        mean(&same) > mean(&diff) + 0.3,
        "same {} diff {}",
        mean(&same),
        mean(&diff)
    );
}
