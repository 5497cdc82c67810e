//! The ffmpeg decoding path: WebM/Opus (what browsers' MediaRecorder and many phones produce)
//! and Ogg Opus have no Rust decoder, so `noted::audio` hands them to an `ffmpeg` on the PATH.
//! Speech synthesized with espeak-ng is encoded with ffmpeg in the test, then decoded
//! (16 kHz mono, duration, waveform and energy envelope against the WAV it came from),
//! transcribed by the real binary (`noted transcribe FILE --format json`, WER bound), and
//! refused with a one-line error naming the format and listing the supported ones when ffmpeg
//! is not on the PATH.
//!
//! Needs ffmpeg (+ ffprobe), espeak-ng and sox; the transcription test also needs the test-tier
//! speech model in `NOTED_TEST_MODELS`. A missing ffmpeg skips the tests (printing why) unless
//! `NOTED_REQUIRE_FFMPEG=1`; missing espeak-ng/sox/models skip unless `NOTED_REQUIRE_FFMPEG=1`
//! or `NOTED_REQUIRE_MODELS=1` (CI sets both).

mod common;
use common::{env_is_1, models_dir, present, run_tool, runs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use noted::audio::{self, AudioErrorKind, Backend, DecodeLimits, SAMPLE_RATE};
use noted::models::registry::{self, Role};
use noted::transcribe::wer;

/// Two sentences (about 8 s) with clinical words whisper's tiny model gets right from a WAV.
const SPEECH: &str = "The client described three panic attacks this week, mostly on the train to work. We practiced slow breathing and planned gradual exposure.";

// ----- Prerequisites --------------------------------------------------------------------------

/// ffmpeg and ffprobe (for making the files and for the product's decoding path), espeak-ng
/// and sox (for the speech).
fn prerequisites() -> bool {
    let need_ffmpeg = env_is_1("NOTED_REQUIRE_FFMPEG");
    present(
        runs("ffmpeg", "-version") && runs("ffprobe", "-version"),
        need_ffmpeg,
        "ffmpeg/ffprobe not found on the PATH: the WebM/Opus decoding path cannot be tested (apt install ffmpeg)",
    ) && present(
        runs("espeak-ng", "--version") && runs("sox", "--version"),
        need_ffmpeg || env_is_1("NOTED_REQUIRE_MODELS"),
        "espeak-ng and sox are needed to make the speech (apt install espeak-ng sox)",
    )
}

fn speech_model() -> bool {
    let e = registry::active(&models_dir(), Role::Asr).err();
    present(
        e.is_none(),
        env_is_1("NOTED_REQUIRE_MODELS"),
        &format!(
            "no speech model in NOTED_TEST_MODELS ({}): {} (run `noted models install --tier test`)",
            models_dir().display(),
            e.map(|e| e.to_string()).unwrap_or_default()
        ),
    )
}

// ----- Test audio -----------------------------------------------------------------------------

/// The speech as 16 kHz mono WAV (the reference) and encoded from it: WebM/Opus and Ogg Opus
/// at 32 kbit/s, made once for the whole test binary.
struct Files {
    _dir: tempfile::TempDir,
    wav: PathBuf,
    webm: PathBuf,
    opus: PathBuf,
}

fn files() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("speech-22k.wav");
        run_tool(
            Command::new("espeak-ng")
                .args(["-v", "en-us+m3", "-s", "165", "-w"])
                .arg(&raw)
                .arg(SPEECH),
        );
        let wav = dir.path().join("speech.wav");
        run_tool(
            Command::new("sox")
                .arg(&raw)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&wav),
        );
        let encode = |name: &str| {
            let out = dir.path().join(name);
            run_tool(
                Command::new("ffmpeg")
                    .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i"])
                    .arg(&wav)
                    .args(["-c:a", "libopus", "-b:a", "32k"])
                    .arg(&out),
            );
            out
        };
        let webm = encode("speech.webm");
        let opus = encode("speech.opus");
        Files {
            wav,
            webm,
            opus,
            _dir: dir,
        }
    })
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

// ----- Signal comparison ----------------------------------------------------------------------

/// Normalised correlation of `a` with `b` shifted by `lag` samples (b[i + lag] against a[i]).
fn corr_at(a: &[f32], b: &[f32], lag: isize) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &x) in a.iter().enumerate() {
        let j = i as isize + lag;
        if j < 0 || j as usize >= b.len() {
            continue;
        }
        let y = b[j as usize] as f64;
        ab += x as f64 * y;
        aa += (x as f64).powi(2);
        bb += y * y;
    }
    ab / (aa * bb).sqrt().max(1e-20)
}

/// (best correlation, its lag) within ±`max_lag` samples.
fn best_corr(a: &[f32], b: &[f32], max_lag: isize) -> (f64, isize) {
    (-max_lag..=max_lag)
        .map(|l| (corr_at(a, b, l), l))
        .fold((f64::MIN, 0), |x, y| if y.0 > x.0 { y } else { x })
}

/// RMS of 20 ms frames.
fn envelope(s: &[f32]) -> Vec<f32> {
    s.chunks(SAMPLE_RATE as usize / 50)
        .map(|f| (f.iter().map(|x| x * x).sum::<f32>() / f.len() as f32).sqrt())
        .collect()
}

fn rms(s: &[f32]) -> f64 {
    (s.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / s.len().max(1) as f64).sqrt()
}

// ----- Decoding -------------------------------------------------------------------------------

#[test]
fn opus_files_decode_through_ffmpeg_to_the_same_speech() {
    if !prerequisites() {
        return;
    }
    let f = files();
    let reference = audio::decode_file(&f.wav, &DecodeLimits::default()).expect("the WAV");
    let ref_env = envelope(&reference.samples);
    for (name, path) in [("WebM/Opus", &f.webm), ("Ogg Opus", &f.opus)] {
        // The upload path probes first: it has to say ffmpeg reads it, with ffprobe's duration.
        let info = audio::probe(path).unwrap_or_else(|e| panic!("{name}: probe: {e}"));
        assert_eq!(info.backend, Backend::Ffmpeg, "{name}: {info:?}");
        let stated = info.duration_seconds.expect("ffprobe states a duration");
        assert!(
            (stated - reference.duration_seconds).abs() < 0.1,
            "{name}: ffprobe says {stated:.3}s, the WAV lasts {:.3}s",
            reference.duration_seconds
        );

        let got = audio::decode_file(path, &DecodeLimits::default())
            .unwrap_or_else(|e| panic!("{name}: decode: {e}"));
        assert_eq!(
            got.samples.len() as f64 / SAMPLE_RATE as f64,
            got.duration_seconds
        );
        let rel =
            (got.duration_seconds - reference.duration_seconds).abs() / reference.duration_seconds;
        // Opus frames are 20 ms and the encoder's pre-skip is removed by the decoder: the
        // length matches to a frame or so (1 % of 8 s is 80 ms).
        assert!(
            rel < 0.01,
            "{name}: decoded {:.3}s, the WAV lasts {:.3}s",
            got.duration_seconds,
            reference.duration_seconds
        );
        assert!(
            got.samples.iter().all(|s| s.is_finite() && s.abs() <= 1.0),
            "{name}: samples out of [-1, 1]"
        );
        // Waveform: Opus at 32 kbit/s keeps this speech close to the source (measured 0.995 at
        // lag 0, envelope 0.999, level 0.98); a wrong rate, a channel mix-up or an offset gives
        // ~0.
        let (c, lag) = best_corr(&reference.samples, &got.samples, 160);
        // Energy envelope (20 ms RMS frames) and overall level.
        let got_env = envelope(&got.samples);
        let n = ref_env.len().min(got_env.len());
        let env_c = corr_at(&ref_env[..n], &got_env[..n], 0);
        let level = rms(&got.samples) / rms(&reference.samples);
        eprintln!(
            "{name}: {:.3}s decoded ({:.3}s WAV), waveform correlation {c:.3} at lag {lag}, envelope correlation {env_c:.3}, level ratio {level:.3}",
            got.duration_seconds, reference.duration_seconds
        );
        assert!(c > 0.95, "{name}: waveform correlation {c:.3}");
        assert!(lag.abs() <= 16, "{name}: shifted by {lag} samples");
        assert!(env_c > 0.98, "{name}: envelope correlation {env_c:.3}");
        assert!(
            (0.9..1.1).contains(&level),
            "{name}: level changed by {level:.3}x"
        );

        // Without ffmpeg (the product's own switch) the format is refused, not misread.
        let off = DecodeLimits {
            allow_ffmpeg: false,
            ..DecodeLimits::default()
        };
        let e = audio::decode_file(path, &off).expect_err("refused without ffmpeg");
        assert_eq!(e.kind(), AudioErrorKind::Unsupported, "{name}: {e}");
    }
}

#[test]
fn sealed_opus_is_probed_and_decoded_by_ffmpeg_from_memory() {
    if !prerequisites() {
        return;
    }
    use noted::crypto::{plain::PlainView, sealed, DataKey, KeySource};
    let f = files();
    let key = DataKey::from_bytes([2; 32], KeySource::Env);
    let dir = tempfile::tempdir().unwrap();
    for (name, path, ext) in [
        ("WebM/Opus", &f.webm, "webm"),
        ("Ogg Opus", &f.opus, "opus"),
    ] {
        let kept = dir.path().join(format!("rec.{ext}"));
        sealed::seal_file(path, &kept, &key.audio_key(), sealed::AUDIO_MAGIC).unwrap();
        // ffprobe and ffmpeg (child processes) read the plaintext through /proc/<pid>/fd/<n>.
        let view = PlainView::open(&kept, &key).unwrap();
        assert!(view.path().starts_with("/proc"), "{:?}", view.path());
        let info = audio::probe_as(view.path(), Some(ext))
            .unwrap_or_else(|e| panic!("{name}: probe: {e}"));
        assert_eq!(info.backend, Backend::Ffmpeg, "{name}: {info:?}");
        let plain = audio::decode_file(path, &DecodeLimits::default()).unwrap();
        let got = audio::decode_file_as(view.path(), Some(ext), &DecodeLimits::default())
            .unwrap_or_else(|e| panic!("{name}: decode: {e}"));
        assert_eq!(got.samples, plain.samples, "{name}");
    }
}

#[test]
fn the_duration_limit_applies_to_ffmpeg_files() {
    if !prerequisites() {
        return;
    }
    let f = files();
    let limits = DecodeLimits {
        max_duration_seconds: 3.0,
        ..DecodeLimits::default()
    };
    let e = audio::decode_file(&f.webm, &limits).expect_err("8 s is over a 3 s limit");
    assert_eq!(e.kind(), AudioErrorKind::TooLong, "{e}");
    assert_eq!(e.http_status(), 413);
}

// ----- The binary -----------------------------------------------------------------------------

fn noted(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_noted"));
    c.env("NOTED_DATA", dir.join("data"))
        .env("NOTED_MODELS", models_dir())
        .env_remove("NOTED_CONFIG")
        .env_remove("NOTED_LOG")
        .stdin(Stdio::null());
    c
}

#[test]
fn cli_transcribes_webm_opus() {
    if !prerequisites() || !speech_model() {
        return;
    }
    let f = files();
    let dir = tempfile::tempdir().unwrap();
    let mut texts = Vec::new();
    for path in [&f.wav, &f.webm, &f.opus] {
        let out = noted(dir.path())
            .args(["transcribe", p(path), "--format", "json", "--threads", "2"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "noted transcribe {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let t: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("JSON transcript on stdout");
        let secs = t["audio_seconds"].as_f64().unwrap_or(0.0);
        assert!(
            (secs - 8.0).abs() < 1.5,
            "{}: audio_seconds {secs}",
            path.display()
        );
        let text = t["text"].as_str().unwrap_or_default().to_string();
        let w = wer::wer(SPEECH, &text);
        eprintln!("{}: WER {w:.3} ({text:?})", path.display());
        texts.push((w, text));
    }
    let wav_wer = texts[0].0;
    for (w, text) in &texts[1..] {
        // tiny.en transcribes the WAV at ~0.05 (one word of 22); Opus at 32 kbit/s should not
        // cost more than a few words.
        assert!(*w <= 0.25, "WER {w:.3}: {text:?}");
        assert!(
            *w <= wav_wer + 0.15,
            "the Opus file costs too much: WER {w:.3} vs {wav_wer:.3} for the WAV"
        );
    }
}

/// PATH without any directory holding an `ffmpeg` (and with nothing else the product needs).
fn path_without_ffmpeg() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| !d.join("ffmpeg").exists())
        .collect();
    std::env::join_paths(dirs).expect("PATH entries join")
}

#[test]
fn cli_without_ffmpeg_names_the_format_and_lists_supported_ones() {
    if !prerequisites() {
        return;
    }
    let f = files();
    let dir = tempfile::tempdir().unwrap();
    let path = path_without_ffmpeg();
    for (name, file) in [("WebM", &f.webm), ("Ogg Opus", &f.opus)] {
        let out = noted(dir.path())
            .env("PATH", &path)
            .args(["transcribe", p(file), "--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{name} without ffmpeg should fail; stderr: {stderr}"
        );
        assert!(out.stdout.is_empty(), "nothing on stdout");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "one error line; stderr:\n{stderr}");
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "the error is the only line on stderr:\n{stderr}"
        );
        let line = errors[0];
        eprintln!("{name} without ffmpeg: {line}");
        for want in [
            "unsupported audio format",
            name,
            audio::SUPPORTED_FORMATS,
            "install ffmpeg",
        ] {
            assert!(line.contains(want), "{line:?} should mention {want:?}");
        }
        assert!(line.contains(p(file)), "{line:?} names the file");
    }
    // The same binary with ffmpeg on the PATH accepts the file: it gets past the audio check
    // (done before the model is looked up) to the missing model of this empty models dir.
    let out = noted(dir.path())
        .env("NOTED_MODELS", dir.path().join("no-models"))
        .args(["transcribe", p(&f.webm)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("unsupported audio format") && stderr.contains("noted models install"),
        "with ffmpeg the WebM file passes the audio check; stderr: {stderr}"
    );
}
