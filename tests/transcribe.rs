//! Transcription end to end: audio decoding (every format, bad input), whisper with the
//! test-tier model on synthetic and real speech, silence, cancellation, and the CLI binary.
//!
//! Model-backed tests follow the project rule: the model comes from `NOTED_TEST_MODELS`
//! (default `$HOME/.cache/noted/models`); when it is missing they fail if
//! `NOTED_REQUIRE_MODELS=1`, else print "skipped: ..." and return. espeak-ng and sox
//! (CI installs both) and the real-speech fixtures (`NOTED_FIXTURES`) follow the same rule.

mod common;
use common::models_dir;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use noted::audio::{self, Audio, AudioError, AudioErrorKind, DecodeLimits};
use noted::models::registry::{self, Role};
use noted::transcribe::{
    bench, wer, Engine, EngineOptions, Progress, Speaker, TranscribeError, TranscribeOptions,
    Transcript,
};

fn require() -> bool {
    std::env::var("NOTED_REQUIRE_MODELS").is_ok_and(|v| v == "1")
}

/// Fails (CI) or skips (dev) with the given reason.
fn missing(what: &str) -> bool {
    if require() {
        panic!("{what}");
    }
    eprintln!("skipped: {what}");
    false
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into()))
}

fn fixtures_dir() -> PathBuf {
    std::env::var("NOTED_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| home().join(".cache/noted/fixtures"))
}

/// The test-tier speech model, loaded once for the whole test binary.
fn engine() -> Option<Arc<Engine>> {
    static ENGINE: OnceLock<Result<Arc<Engine>, String>> = OnceLock::new();
    let r = ENGINE.get_or_init(|| {
        let model = registry::active(&models_dir(), Role::Asr).map_err(|e| {
            format!("no speech model in NOTED_TEST_MODELS: {e} (run `noted models install --tier test`)")
        })?;
        Engine::load(&model, EngineOptions::default())
            .map(Arc::new)
            .map_err(|e| e.to_string())
    });
    match r {
        Ok(e) => Some(e.clone()),
        Err(msg) => {
            missing(msg);
            None
        }
    }
}

fn have_tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tools() -> bool {
    for t in ["espeak-ng", "sox"] {
        if !have_tool(t) {
            return missing(&format!("`{t}` is not installed (apt-get install {t})"));
        }
    }
    true
}

fn sox(args: &[&str]) {
    let out = Command::new("sox").args(args).output().expect("sox runs");
    assert!(
        out.status.success(),
        "sox {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

fn transcribe(engine: &Engine, audio: &Audio, opts: &TranscribeOptions) -> Transcript {
    engine
        .transcribe(audio, opts, &|_| true)
        .expect("transcription succeeds")
}

fn assert_timestamps(t: &Transcript) {
    let mut prev_end = 0.0;
    for s in &t.segments {
        assert!(
            s.start >= prev_end - 1e-9,
            "segment {} starts before the previous ends",
            s.id
        );
        assert!(s.end >= s.start, "segment {} ends before it starts", s.id);
        assert!(
            s.end <= t.audio_seconds + 1e-6,
            "segment {} ends after the audio",
            s.id
        );
        prev_end = s.end;
    }
    let ids: Vec<u32> = t.segments.iter().map(|s| s.id).collect();
    assert_eq!(ids, (0..t.segments.len() as u32).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- decoding (no model needed)

/// A 3-second 16 kHz mono test signal (two tones with an amplitude envelope), as a WAV.
fn make_source(dir: &Path) -> PathBuf {
    let src = dir.join("source.wav");
    sox(&[
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        p(&src),
        "synth",
        "3",
        "sine",
        "440",
        "sine",
        "1000",
        "remix",
        "1,2",
        "tremolo",
        "3",
        "40",
        "vol",
        "0.4",
    ]);
    src
}

fn decode(path: &Path) -> Result<Audio, AudioError> {
    audio::decode_file(path, &DecodeLimits::default())
}

/// Signal-to-error ratio (dB) of `got` against `want`, ignoring `edge` samples at each end,
/// at the best sub-sample alignment within ±1 sample (resamplers may shift by a fraction of
/// a sample, which is inaudible and irrelevant to recognition).
fn snr_db(want: &[f32], got: &[f32], edge: usize) -> f64 {
    let n = want.len().min(got.len());
    assert!(n > 2 * edge);
    let mut best = f64::MIN;
    for step in -20i32..=20 {
        let shift = step as f64 / 20.0;
        let (mut sig, mut err) = (0.0f64, 0.0f64);
        for (i, &w) in want.iter().enumerate().take(n - edge).skip(edge) {
            let pos = i as f64 + shift;
            let k = pos.floor() as usize;
            let frac = pos - k as f64;
            let g = got[k] as f64 * (1.0 - frac) + got[k + 1] as f64 * frac;
            sig += (w as f64).powi(2);
            err += (w as f64 - g).powi(2);
        }
        best = best.max(10.0 * (sig / err.max(1e-20)).log10());
    }
    best
}

/// Least-squares gain from `want` to `got`.
fn gain(want: &[f32], got: &[f32]) -> f64 {
    let n = want.len().min(got.len());
    let wg: f64 = (0..n).map(|i| want[i] as f64 * got[i] as f64).sum();
    let ww: f64 = (0..n).map(|i| (want[i] as f64).powi(2)).sum();
    wg / ww.max(1e-20)
}

#[test]
fn every_format_decodes_to_the_same_samples() {
    if !have_tool("sox") {
        missing("`sox` is not installed (apt-get install sox)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = make_source(dir.path());
    let reference = decode(&src).expect("source decodes");
    assert_eq!(reference.samples.len(), 48_000);
    assert!((reference.duration_seconds - 3.0).abs() < 1e-9);

    // (file, sox options before the output, minimum SNR in dB). Lossless formats must match
    // closely; Vorbis is lossy; files at other rates go through two resamplers (sox up, ours
    // down).
    let cases: &[(&str, &[&str], f64)] = &[
        ("same.wav", &[], 80.0),
        ("float.wav", &["-e", "floating-point", "-b", "32"], 80.0),
        ("same.flac", &[], 80.0),
        ("q6.ogg", &["-C", "6"], 12.0),
        ("stereo44k.wav", &["-r", "44100", "-c", "2"], 30.0),
        ("stereo48k.flac", &["-r", "48000", "-c", "2"], 30.0),
        (
            "surround96k.wav",
            &["-r", "96000", "-c", "6", "-b", "24"],
            30.0,
        ),
        ("mono8k.wav", &["-r", "8000"], 30.0),
    ];
    for (name, opts, min_snr) in cases {
        let out = dir.path().join(name);
        let mut args = vec![p(&src)];
        args.extend_from_slice(opts);
        args.push(p(&out));
        sox(&args);
        let a = decode(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
        let len_diff = (a.samples.len() as i64 - 48_000).abs();
        assert!(len_diff <= 16, "{name}: {} samples", a.samples.len());
        let snr = snr_db(&reference.samples, &a.samples, 800);
        eprintln!(
            "{name}: SNR {snr:.1} dB, gain {:.3}",
            gain(&reference.samples, &a.samples)
        );
        assert!(snr >= *min_snr, "{name}: SNR {snr:.1} dB < {min_snr} dB");
        let info = audio::probe(&out).unwrap();
        assert!(
            (info.duration_seconds.unwrap() - 3.0).abs() < 0.05,
            "{name}: {info:?}"
        );
    }

    // MP3 and M4A need an encoder: sox on Debian writes neither; ffmpeg does.
    if have_tool("ffmpeg") {
        for (name, codec) in [("x.mp3", "libmp3lame"), ("x.m4a", "aac")] {
            let out = dir.path().join(name);
            let st = Command::new("ffmpeg")
                .args([
                    "-v",
                    "error",
                    "-y",
                    "-i",
                    p(&src),
                    "-c:a",
                    codec,
                    "-b:a",
                    "128k",
                    p(&out),
                ])
                .status()
                .unwrap();
            assert!(st.success(), "ffmpeg could not write {name}");
            let a = decode(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
            // Encoder delay/padding may shift lossy codecs; compare length and energy.
            assert!(
                (a.duration_seconds - 3.0).abs() < 0.1,
                "{name}: {}",
                a.duration_seconds
            );
            let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
            let ratio = rms(&a.samples) / rms(&reference.samples);
            assert!((0.8..1.25).contains(&ratio), "{name}: energy ratio {ratio}");
        }
    } else {
        eprintln!(
            "skipped: mp3/m4a decoding (no encoder here: install the `ffmpeg` Debian package to \
             produce test files)"
        );
    }
}

#[test]
fn surround_96k_decodes_to_16k_mono() {
    if !have_tool("sox") {
        missing("`sox` is not installed (apt-get install sox)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("surround.wav");
    sox(&[
        "-n",
        "-r",
        "96000",
        "-c",
        "6",
        "-b",
        "24",
        p(&f),
        "synth",
        "2.5",
        "sine",
        "300",
        "vol",
        "0.3",
    ]);
    let info = audio::probe(&f).unwrap();
    assert_eq!(info.sample_rate, Some(96_000));
    assert_eq!(info.channels, Some(6));
    let a = decode(&f).unwrap();
    assert_eq!(a.samples.len(), 40_000);
    assert!((a.duration_seconds - 2.5).abs() < 1e-9);
    let peak = a.samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    assert!((0.25..0.35).contains(&peak), "peak {peak}");
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(bytes))
        .unwrap();
}

/// A canonical 44-byte WAV header for 16 kHz mono s16 with the given data length.
fn wav_header(data_len: u32) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    // Streaming writers put u32::MAX in both lengths.
    let riff_len = if data_len == u32::MAX {
        u32::MAX
    } else {
        36 + data_len
    };
    h.extend_from_slice(&riff_len.to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // PCM
    h.extend_from_slice(&1u16.to_le_bytes()); // mono
    h.extend_from_slice(&16_000u32.to_le_bytes());
    h.extend_from_slice(&32_000u32.to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_len.to_le_bytes());
    h
}

fn tone_bytes(seconds: f64) -> Vec<u8> {
    (0..(seconds * 16_000.0) as usize)
        .flat_map(|i| (((i as f32 * 0.1).sin() * 8000.0) as i16).to_le_bytes())
        .collect()
}

#[test]
fn bad_input_gives_clear_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let empty = d.join("empty.wav");
    write(&empty, b"");
    let e = decode(&empty).unwrap_err();
    assert_eq!(e.kind(), AudioErrorKind::Empty, "{e}");
    assert!(e.to_string().contains("empty"), "{e}");
    assert_eq!(
        audio::probe(&empty).unwrap_err().kind(),
        AudioErrorKind::Empty
    );

    // Header says 10 s, file holds 2 s.
    let truncated = d.join("truncated.wav");
    let mut bytes = wav_header(320_000);
    bytes.extend(tone_bytes(2.0));
    write(&truncated, &bytes);
    let e = decode(&truncated).unwrap_err();
    assert_eq!(e.kind(), AudioErrorKind::Corrupt, "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");

    // Cut inside the header.
    let cut = d.join("cut.wav");
    write(&cut, &wav_header(320_000)[..30]);
    let e = decode(&cut).unwrap_err();
    assert_eq!(e.kind(), AudioErrorKind::Corrupt, "{e}");

    // Random bytes named .mp3.
    let random = d.join("random.mp3");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    write(&random, &noise);
    let e = decode(&random).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            AudioErrorKind::Corrupt | AudioErrorKind::Unsupported
        ),
        "{e}"
    );
    assert!(e.to_string().contains("mp3"), "{e}");

    // A header claiming 10 hours (16 kHz s16 mono = 1.152 GB of data) over 1 s of audio:
    // refused from the header, before decoding.
    let liar = d.join("ten-hours.wav");
    let mut bytes = wav_header(1_152_000_000);
    bytes.extend(tone_bytes(1.0));
    write(&liar, &bytes);
    let e = decode(&liar).unwrap_err();
    match &e {
        AudioError::TooLong {
            seconds,
            from_header,
            ..
        } => {
            assert!((seconds - 36_000.0).abs() < 1.0);
            assert!(from_header);
        }
        other => panic!("expected TooLong, got {other}"),
    }
    assert_eq!(e.http_status(), 413);
    assert!(e.to_string().contains("10 h"), "{e}");

    // The limit also holds while decoding (streaming header with no length).
    let stream = d.join("stream.wav");
    let mut bytes = wav_header(u32::MAX);
    bytes.extend(tone_bytes(3.0));
    write(&stream, &bytes);
    let limits = DecodeLimits {
        max_duration_seconds: 2.0,
        ..DecodeLimits::default()
    };
    let e = audio::decode_file(&stream, &limits).unwrap_err();
    assert!(
        matches!(
            e,
            AudioError::TooLong {
                from_header: false,
                ..
            }
        ),
        "{e}"
    );
    // ... and under the limit the same stream decodes.
    assert_eq!(decode(&stream).unwrap().samples.len(), 48_000);

    // A valid header with a zero-length data chunk.
    let zero = d.join("zero.wav");
    write(&zero, &wav_header(0));
    let e = decode(&zero).unwrap_err();
    assert_eq!(e.kind(), AudioErrorKind::Empty, "{e}");
    assert!(e.to_string().contains("zero length"), "{e}");

    // Something that is not audio at all, with an unknown extension.
    let text = d.join("notes.xyz");
    write(
        &text,
        b"this is not audio, just a text file with some words in it\n"
            .repeat(50)
            .as_slice(),
    );
    let e = decode(&text).unwrap_err();
    if !have_tool("ffmpeg") {
        assert_eq!(e.kind(), AudioErrorKind::Unsupported, "{e}");
        assert_eq!(e.http_status(), 415);
        assert!(e.to_string().contains("WAV, MP3, FLAC"), "{e}");
    }

    // WebM (EBML magic) without ffmpeg: unsupported, naming the format.
    if !have_tool("ffmpeg") {
        let webm = d.join("phone.webm");
        let mut b = vec![0x1a, 0x45, 0xdf, 0xa3];
        b.extend(std::iter::repeat_n(0u8, 200));
        write(&webm, &b);
        let e = decode(&webm).unwrap_err();
        assert_eq!(e.kind(), AudioErrorKind::Unsupported, "{e}");
    }

    // Missing file.
    let e = decode(&d.join("nope.wav")).unwrap_err();
    assert_eq!(e.kind(), AudioErrorKind::Io, "{e}");
}

// ---------------------------------------------------------------- whisper (test-tier model)

/// Synthesizes the first `turns` turns of the benchmark session; returns audio and reference.
fn synthetic(dir: &Path, turns: usize) -> (Audio, String) {
    let wav = dir.join("session.wav");
    let t = &bench::SYNTHETIC_SESSION[..turns];
    bench::synthesize_session(t, &wav).expect("espeak-ng and sox render the session");
    let reference = t.iter().map(|(_, s)| *s).collect::<Vec<_>>().join("\n");
    (decode(&wav).unwrap(), reference)
}

#[test]
fn synthetic_session_is_transcribed_with_low_wer_and_sane_timestamps() {
    let Some(engine) = engine() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 3 s of silence first, so timestamps must be mapped past a skipped stretch.
    let (speech, reference) = synthetic(dir.path(), 8);
    let mut samples = vec![0.0f32; 48_000];
    samples.extend_from_slice(&speech.samples);
    let audio = Audio::from_samples(samples);
    let t = transcribe(&engine, &audio, &TranscribeOptions::session());
    let w = wer::wer(&reference, &t.text);
    eprintln!(
        "synthetic session: {} s, {} segments, WER {:.1}%",
        audio.duration_seconds,
        t.segments.len(),
        w * 100.0
    );
    // Bound: tiny.en scores ~5-10% on this espeak-ng voice pair (robotic formant synthesis,
    // clean signal); 20% leaves room for model/threads variation yet fails on a broken
    // pipeline (wrong rate, lost windows, loops), which lands far above 50%.
    assert!(w < 0.20, "WER {w:.3} too high; got: {}", t.text);
    assert!(t.segments.len() >= 4);
    assert_timestamps(&t);
    assert!(
        t.segments[0].start >= 2.5,
        "first segment starts at {} inside the leading silence",
        t.segments[0].start
    );
    assert!(t.segments.iter().all(|s| s.speaker == Speaker::Unknown));
    assert_eq!(t.model, engine.model_name());
    // The JSON writer emits the contract's keys.
    let v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    for k in [
        "id",
        "start",
        "end",
        "speaker",
        "text",
        "avg_logprob",
        "no_speech_prob",
    ] {
        assert!(v["segments"][0].get(k).is_some(), "missing {k}");
    }
}

#[test]
fn dictation_is_attributed_to_the_therapist() {
    let Some(engine) = engine() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("dictation.wav");
    let text = "Client reports improved sleep. PHQ-9 score was twelve, down from sixteen. Continue weekly CBT.";
    bench::synthesize_session(&[("therapist", text)], &wav).unwrap();
    let t = transcribe(
        &engine,
        &decode(&wav).unwrap(),
        &TranscribeOptions::dictation(),
    );
    assert!(!t.segments.is_empty());
    assert!(t.segments.iter().all(|s| s.speaker == Speaker::Therapist));
    let w = wer::wer(text, &t.text);
    assert!(w < 0.35, "WER {w:.3}: {}", t.text);
}

#[test]
fn real_speech_within_wer_bound() {
    let Some(engine) = engine() else { return };
    let root = fixtures_dir().join("pocketsphinx-5.1.1/test/data");
    let goforward = root.join("goforward.raw");
    let libri = root.join("librivox");
    if !goforward.is_file() || !libri.is_dir() {
        missing(&format!(
            "real-speech fixtures not found under {} (tests/run.sh fetches them)",
            root.display()
        ));
        return;
    }
    // goforward.raw: 16 kHz s16le mono, "go forward ten meters".
    let bytes = std::fs::read(&goforward).unwrap();
    let samples: Vec<f32> = bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
        .collect();
    let t = transcribe(
        &engine,
        &Audio::from_samples(samples),
        &TranscribeOptions::session(),
    );
    let w = wer::wer("go forward ten meters", &t.text);
    eprintln!("goforward: {:?} WER {:.2}", t.text, w);
    assert!(w <= 0.25, "goforward WER {w}: {:?}", t.text);
    assert_timestamps(&t);

    // LibriVox reads: corpus WER over every clip with a transcript.
    let mut counts = wer::WerCounts::default();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&libri)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for wav in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
    {
        let Ok(reference) = std::fs::read_to_string(wav.with_extension("txt")) else {
            continue;
        };
        let t = transcribe(
            &engine,
            &decode(wav).unwrap(),
            &TranscribeOptions::session(),
        );
        assert_timestamps(&t);
        counts.add(wer::wer_counts(&reference, &t.text));
        n += 1;
    }
    assert!(n >= 3, "expected LibriVox clips in {}", libri.display());
    eprintln!("librivox: {n} clips, WER {:.1}%", counts.wer() * 100.0);
    // tiny.en: ~6% on LibriSpeech test-clean; these 64 kb/s LibriVox clips measured ~5-10%.
    // 20% catches real regressions (resampling, VAD clipping words) without flaking.
    assert!(counts.wer() < 0.20, "LibriVox WER {:.3}", counts.wer());
}

/// Renders `turns` (voice, words per minute, text) with espeak-ng, each followed by a 0.7 s pause, into one
/// 16 kHz mono WAV; returns its audio and the reference words.
fn render_turns(dir: &Path, turns: &[(&str, &str, &str)]) -> (Audio, String) {
    let mut parts = Vec::new();
    for (i, (voice, speed, text)) in turns.iter().enumerate() {
        let raw = dir.join(format!("t{i}.wav"));
        let st = Command::new("espeak-ng")
            .args(["-v", voice, "-s", speed, "-w"])
            .arg(&raw)
            .arg(text)
            .status()
            .expect("espeak-ng runs");
        assert!(st.success());
        let padded = dir.join(format!("t{i}p.wav"));
        sox(&[
            p(&raw),
            "-r",
            "16000",
            "-c",
            "1",
            "-b",
            "16",
            p(&padded),
            "pad",
            "0",
            "0.7",
        ]);
        parts.push(padded);
    }
    let out = dir.join("turns.wav");
    let mut args: Vec<&str> = parts.iter().map(|x| p(x)).collect();
    args.push(p(&out));
    sox(&args);
    let reference = turns
        .iter()
        .map(|(_, _, t)| *t)
        .collect::<Vec<_>>()
        .join("\n");
    (decode(&out).unwrap(), reference)
}

/// Seconds of reference speech in the longest run of words missing from `hyp` (words assumed
/// evenly spread over the audio).
fn longest_silent_stretch(reference: &str, hyp: &str, seconds: f64) -> f64 {
    let r = wer::normalize(reference);
    let (_, run) = wer::longest_deleted_run(&r, &wer::normalize(hyp));
    run as f64 * seconds / r.len().max(1) as f64
}

/// The issue-13 failure: a diary read back night by night makes tiny.en loop, the loop guard
/// keeps its least repetitive attempt, and one segment spanning ~20 s of speech holds a
/// single sentence (measured: WER 64 %, 57 words / 20 s gone without the guard). The
/// dropped-speech guard decodes the rest of that segment again from where its text stopped.
#[test]
fn speech_whisper_skips_is_decoded_again_and_nothing_is_dropped() {
    let Some(engine) = engine() else { return };
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (audio, reference) = render_turns(
        dir.path(),
        &[
            (
                "en-us+f3",
                "160",
                "Let's go through the sleep diary together, one night at a time.",
            ),
            (
                "en-us+m3",
                "170",
                "On Monday I slept five hours. On Tuesday I slept five hours. On Wednesday I \
                 slept five hours. On Thursday I slept four hours. On Friday I slept four hours. \
                 On Saturday I slept six hours. On Sunday I slept six hours. So most nights I \
                 slept five hours, and I woke up at four every morning.",
            ),
            (
                "en-us+f3",
                "160",
                "Thank you. I will refer you to the sleep clinic at the hospital, and our next \
                 appointment is on Tuesday at ten in the morning.",
            ),
        ],
    );
    let seconds = audio.duration_seconds;
    // One stream: the windows are decoded in order on one whisper state, so the retries at
    // higher temperatures draw the same samples on every run (with parallel streams, which
    // state decodes which window depends on timing).
    let guarded = TranscribeOptions {
        threads: Some(1),
        ..TranscribeOptions::session()
    };
    let unguarded = TranscribeOptions {
        recover_dropped: false,
        ..guarded.clone()
    };
    let before = transcribe(&engine, &audio, &unguarded);
    eprintln!(
        "without the guard: WER {:.1}%, longest stretch without words {:.1} s: {}",
        wer::wer(&reference, &before.text) * 100.0,
        longest_silent_stretch(&reference, &before.text, seconds),
        before.text
    );
    let t = transcribe(&engine, &audio, &guarded);
    let w = wer::wer(&reference, &t.text);
    let gap = longest_silent_stretch(&reference, &t.text, seconds);
    eprintln!(
        "with the guard: WER {:.1}%, longest stretch without words {gap:.1} s: {}",
        w * 100.0,
        t.text
    );
    assert!(gap < 5.0, "{gap:.1} s of speech without words: {}", t.text);
    // Measured 4-13 % (the re-decoded stretch sometimes loses its "I"s); 64 % without the guard.
    assert!(w < 0.20, "WER {w:.3}: {}", t.text);
    assert_timestamps(&t);
    // Nothing decoded twice at the seams.
    let words = wer::normalize(&t.text);
    let mondays = words.iter().filter(|x| *x == "monday").count();
    assert_eq!(mondays, 1, "{}", t.text);
}

#[test]
fn silence_yields_no_text() {
    let Some(engine) = engine() else { return };
    // Digital silence, and faint hiss, 20 s each.
    let mut x: u32 = 12345;
    let hiss: Vec<f32> = (0..320_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) as f32 / 65_536.0 - 0.5) * 2e-4
        })
        .collect();
    for (name, samples) in [("zeros", vec![0.0f32; 320_000]), ("hiss", hiss)] {
        let audio = Audio::from_samples(samples);
        let t = transcribe(&engine, &audio, &TranscribeOptions::session());
        assert!(
            t.segments.is_empty() && t.text.is_empty(),
            "{name}: {:?}",
            t.text
        );
        // With VAD off whisper does see the silence: the guards must still emit nothing.
        let mut opts = TranscribeOptions::session();
        opts.vad.enabled = false;
        let t = transcribe(&engine, &audio, &opts);
        assert!(t.text.is_empty(), "{name} without VAD: {:?}", t.text);
    }
}

#[test]
fn cancellation_stops_the_job() {
    let Some(engine) = engine() else { return };
    let samples: Vec<f32> = (0..16_000 * 20)
        .map(|i| (i as f32 * 0.05).sin() * 0.3)
        .collect();
    let audio = Audio::from_samples(samples);
    let mut mid_run_calls = 0;
    let calls = std::cell::Cell::new(0);
    let r = engine.transcribe(&audio, &TranscribeOptions::session(), &|p: Progress| {
        calls.set(calls.get() + 1);
        p.fraction < 0.01 && calls.get() < 3
    });
    mid_run_calls += calls.get();
    assert!(matches!(r, Err(TranscribeError::Cancelled)), "{r:?}");
    assert!(mid_run_calls >= 1);
}

// ---------------------------------------------------------------- CLI binary

fn noted() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_noted"));
    c.env(
        "NOTED_DATA",
        std::env::temp_dir().join("noted-transcribe-test-data"),
    )
    .env("NOTED_LOG", "error")
    .env_remove("NOTED_CONFIG");
    c
}

#[test]
fn cli_rejects_bad_input_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.wav");
    write(&empty, b"");
    let out = noted()
        .env("NOTED_MODELS", models_dir())
        .args(["transcribe", p(&empty)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "stderr: {stderr}");
    assert!(
        lines[0].starts_with("error:") && lines[0].contains("empty"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_reports_missing_model_with_install_command() {
    if !have_tool("sox") {
        missing("`sox` is not installed (apt-get install sox)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = make_source(dir.path());
    let out = noted()
        .env("NOTED_MODELS", dir.path().join("no-models"))
        .args(["transcribe", p(&src)])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("noted models install"), "{stderr}");
}

#[test]
fn cli_transcribes_a_file_to_json() {
    if engine().is_none() || !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("one.wav");
    let text = "The client practiced the breathing exercise every morning this week.";
    bench::synthesize_session(&[("client", text)], &wav).unwrap();
    let out = noted()
        .env("NOTED_MODELS", models_dir())
        .args(["transcribe", p(&wav), "--format", "json", "--threads", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Transcript = serde_json::from_slice(&out.stdout).expect("JSON transcript on stdout");
    assert!(wer::wer(text, &t.text) < 0.35, "{}", t.text);
    assert_timestamps(&t);
    let out = noted()
        .env("NOTED_MODELS", models_dir())
        .args(["transcribe", p(&wav), "--format", "srt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1\n00:00:"));
}
