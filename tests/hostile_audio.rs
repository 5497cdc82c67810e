//! Hostile audio: property tests that feed the upload decoder (`audio::decode_file`, which reads
//! the container header, decodes and resamples) mutated WAV files written here and small MP3,
//! FLAC, Ogg Vorbis, M4A and AIFF files (`tests/data/hostile/`), and random bytes. Every input
//! must give audio or a typed error: no panic, and no allocation a small file cannot justify.

#[path = "common/hostile.rs"]
mod hostile;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use hostile::{
    apply, assert_bounded, config, largest, mutations, noise_after, reset_largest, ALLOC_CAP,
};
use noted::audio::{self, DecodeLimits};

#[global_allocator]
static ALLOC: hostile::Recording = hostile::Recording;

/// A PCM WAV: `format` 1 (integer) or 3 (float), any rate, channels and sample width.
fn wav(format: u16, rate: u32, channels: u16, bits: u16, frames: usize) -> Vec<u8> {
    let block = channels * bits / 8;
    let mut pcm = Vec::with_capacity(frames * block as usize);
    for i in 0..frames {
        let x = (i as f64 * 440.0 * std::f64::consts::TAU / rate as f64).sin() * 0.3;
        for _ in 0..channels {
            match (format, bits) {
                (3, 32) => pcm.extend_from_slice(&(x as f32).to_le_bytes()),
                (_, 8) => pcm.push((128.0 + x * 127.0) as u8),
                (_, 16) => pcm.extend_from_slice(&((x * 32767.0) as i16).to_le_bytes()),
                (_, 24) => pcm.extend_from_slice(&((x * 8_388_607.0) as i32).to_le_bytes()[..3]),
                _ => pcm.extend_from_slice(&((x * 2e9) as i32).to_le_bytes()),
            }
        }
    }
    let mut w = Vec::with_capacity(44 + pcm.len());
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + pcm.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&format.to_le_bytes());
    w.extend_from_slice(&channels.to_le_bytes());
    w.extend_from_slice(&rate.to_le_bytes());
    w.extend_from_slice(&(rate * block as u32).to_le_bytes());
    w.extend_from_slice(&block.to_le_bytes());
    w.extend_from_slice(&bits.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(pcm.len() as u32).to_le_bytes());
    w.extend_from_slice(&pcm);
    w
}

fn wav_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        vec![
            wav(1, 16_000, 1, 16, 1_600),
            wav(1, 44_100, 2, 16, 2_205),
            wav(1, 8_000, 1, 8, 800),
            wav(1, 48_000, 2, 24, 2_400),
            wav(3, 22_050, 1, 32, 1_100),
        ]
    })
}

/// The committed small files of the other containers: (extension, bytes).
fn other_seeds() -> &'static [(&'static str, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    SEEDS.get_or_init(|| {
        ["mp3", "flac", "ogg", "m4a", "aiff"]
            .into_iter()
            .map(|ext| {
                let p = dir.join(format!("seed.{ext}"));
                let b = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (ext, b)
            })
            .collect()
    })
}

fn limits() -> DecodeLimits {
    DecodeLimits {
        max_duration_seconds: 60.0,
        allow_ffmpeg: false,
        ..DecodeLimits::default()
    }
}

/// A file this test thread writes its inputs to.
fn scratch(ext: &str) -> PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::tempdir().expect("temp dir");
    }
    DIR.with(|d| d.path().join(format!("input.{ext}")))
}

/// Decodes `bytes` as a file named `*.ext`: audio or a typed error, within the allocation cap.
fn decode(bytes: &[u8], ext: &str) -> Result<audio::Audio, audio::AudioError> {
    let path = scratch(ext);
    std::fs::write(&path, bytes).expect("write input");
    reset_largest();
    let out = audio::decode_file(&path, &limits());
    assert_bounded(ALLOC_CAP, &format!(".{ext} of {} bytes", bytes.len()));
    if let Ok(a) = &out {
        // 60 s at most at 16 kHz, whatever the header said.
        assert!(
            a.samples.len() <= 60 * 16_000 + 16_000,
            "{}",
            a.samples.len()
        );
    }
    out
}

#[test]
fn the_seeds_decode() {
    for (i, w) in wav_seeds().iter().enumerate() {
        let a = decode(w, "wav").unwrap_or_else(|e| panic!("wav seed {i}: {e}"));
        assert!(a.duration_seconds > 0.04, "wav seed {i}");
    }
    for (ext, b) in other_seeds() {
        let a = decode(b, ext).unwrap_or_else(|e| panic!("{ext} seed: {e}"));
        assert!(a.duration_seconds > 0.02, "{ext} seed");
    }
}

#[test]
fn headers_claiming_gigabytes_or_absurd_rates_are_refused_without_allocating_them() {
    let base = wav(1, 16_000, 1, 16, 1_600);
    let set_u32 = |at: usize, v: u32| {
        let mut w = base.clone();
        w[at..at + 4].copy_from_slice(&v.to_le_bytes());
        w
    };
    let set_u16 = |at: usize, v: u16| {
        let mut w = base.clone();
        w[at..at + 2].copy_from_slice(&v.to_le_bytes());
        w
    };
    // The reader keeps the last format chunk: a second one must be checked too.
    let mut two_fmt = base[..36].to_vec();
    two_fmt.extend_from_slice(&set_u16(22, u16::MAX)[12..]);
    let cases = [
        ("second fmt chunk with 65535 channels", two_fmt),
        ("data chunk of 4 GiB", set_u32(40, u32::MAX)),
        ("RIFF of 4 GiB", set_u32(4, u32::MAX)),
        ("fmt chunk of 4 GiB", set_u32(16, u32::MAX)),
        ("rate of 4 GHz", set_u32(24, u32::MAX)),
        ("rate of 1 Hz", set_u32(24, 1)),
        ("rate of 3 Hz", set_u32(24, 3)),
        ("rate of 2,000,003 Hz", set_u32(24, 2_000_003)),
        ("65535 channels", set_u16(22, u16::MAX)),
        ("byte rate of 4 GiB/s", set_u32(28, u32::MAX)),
        ("block of 65535 bytes", set_u16(32, u16::MAX)),
    ];
    for (what, bytes) in cases {
        eprintln!("{what}");
        let r = decode(&bytes, "wav");
        if let Ok(a) = r {
            assert!(
                a.samples.len() <= 61 * 16_000,
                "{what}: {}",
                a.samples.len()
            );
        }
        assert!(
            largest() < 16 * 1024 * 1024,
            "{what}: allocated {} bytes",
            largest()
        );
    }
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn mutated_wav_files_decode_or_fail_cleanly(
        seed in 0usize..5,
        muts in mutations(),
    ) {
        let seeds = wav_seeds();
        let bytes = apply(&seeds[seed], &muts);
        let _ = decode(&bytes, "wav");
    }

    #[test]
    fn mutated_mp3_flac_ogg_m4a_aiff_files_decode_or_fail_cleanly(
        seed in 0usize..5,
        muts in mutations(),
    ) {
        let seeds = other_seeds();
        let (ext, b) = &seeds[seed];
        let bytes = apply(b, &muts);
        let _ = decode(&bytes, ext);
    }

    #[test]
    fn random_bytes_decode_or_fail_cleanly(
        ext in prop::sample::select(vec!["wav", "mp3", "flac", "ogg", "m4a", "aiff", "bin"]),
        bytes in prop_oneof![noise_after(b"RIFF\x24\x00\x00\x00WAVEfmt "), noise_after(b"fLaC"), noise_after(b"OggS"), noise_after(b"ID3")],
    ) {
        let _ = decode(&bytes, ext);
    }
}
