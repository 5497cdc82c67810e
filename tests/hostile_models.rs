//! Hostile model files: property tests that feed the model readers mutated copies of small
//! valid files built here (a GGUF language model with tokenizer metadata and tensors, a
//! CTranslate2 model.bin, a tokenizer.json) and random bytes behind their magic numbers. Every
//! input must parse or give a typed error: no panic, and no allocation a small file cannot
//! justify (a header claiming 10 GB must not make the reader ask for it).

#[path = "common/hostile.rs"]
mod hostile;

use std::path::PathBuf;
use std::sync::OnceLock;

use candle_core::quantized::gguf_file::{self, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use proptest::prelude::*;

use hostile::{apply, assert_bounded, config, largest, mutations, noise_after, reset_largest};
use noted::models::{ct2, gguf, whisper_ggml};

#[global_allocator]
static ALLOC: hostile::Recording = hostile::Recording;

/// The most one parse of these few-kilobyte files may allocate at once.
const CAP: usize = 16 * 1024 * 1024;

/// A file this test thread writes its inputs to.
fn scratch(name: &str) -> PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::tempdir().expect("temp dir");
    }
    DIR.with(|d| d.path().join(name))
}

/// A tiny byte-level BPE vocabulary (the 256 byte characters, a few merges, specials).
fn tokens() -> (Vec<String>, Vec<i32>, Vec<&'static str>) {
    let table = whisper_ggml::unicode_to_bytes();
    let mut by_byte: Vec<(u8, char)> = table.iter().map(|(c, b)| (*b, *c)).collect();
    by_byte.sort();
    let mut tokens: Vec<String> = by_byte.iter().map(|(_, c)| c.to_string()).collect();
    let merges = vec!["H e", "l l", "He ll", "Ġ w", "o r", "Ġw or"];
    for m in &merges {
        tokens.push(m.replace(' ', ""));
    }
    let mut types = vec![1i32; tokens.len()];
    for special in ["<|im_start|>", "<|im_end|>"] {
        tokens.push(special.into());
        types.push(3);
    }
    (tokens, types, merges)
}

/// A GGUF v3 file: llama architecture, gpt2 tokenizer metadata, chat template, two tensors.
fn gguf_seed() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let (tokens, types, merges) = tokens();
        let meta: Vec<(&str, Value)> = vec![
            ("general.architecture", Value::String("llama".into())),
            ("general.name", Value::String("tiny".into())),
            ("general.alignment", Value::U32(32)),
            ("llama.context_length", Value::U32(512)),
            ("tokenizer.ggml.model", Value::String("gpt2".into())),
            ("tokenizer.ggml.pre", Value::String("qwen2".into())),
            (
                "tokenizer.ggml.tokens",
                Value::Array(tokens.into_iter().map(Value::String).collect()),
            ),
            (
                "tokenizer.ggml.token_type",
                Value::Array(types.into_iter().map(Value::I32).collect()),
            ),
            (
                "tokenizer.ggml.merges",
                Value::Array(
                    merges
                        .iter()
                        .map(|m| Value::String(m.to_string()))
                        .collect(),
                ),
            ),
            (
                "tokenizer.chat_template",
                Value::String("{% for m in messages %}{{ m.content }}{% endfor %}".into()),
            ),
        ];
        let t = |dtype| {
            let v: Vec<f32> = (0..2 * 32).map(|i| (i as f32 * 0.37).sin()).collect();
            let t = Tensor::from_vec(v, (2, 32), &Device::Cpu).expect("tensor");
            QTensor::quantize(&t, dtype).expect("quantize")
        };
        let (a, b) = (t(GgmlDType::Q8_0), t(GgmlDType::F32));
        let m: Vec<(&str, &Value)> = meta.iter().map(|(k, v)| (*k, v)).collect();
        let mut out = std::io::Cursor::new(Vec::new());
        gguf_file::write(&mut out, &m, &[("blk.0.w", &a), ("blk.0.b", &b)]).expect("write gguf");
        out.into_inner()
    })
}

/// Reads a GGUF file the way `noted models add` and the engine do; returns whether it parsed.
fn read_gguf(bytes: &[u8]) -> bool {
    let path = scratch("m.gguf");
    std::fs::write(&path, bytes).expect("write input");
    reset_largest();
    let ok = match gguf::read_content(&path) {
        Ok(c) => {
            let _ = gguf::info(&c);
            let _ = gguf::chat_template(&c);
            let _ = gguf::count_slow(&c);
            let _ = gguf::tokenizer_json_bytes(&c);
            true
        }
        Err(_) => false,
    };
    assert_bounded(CAP, &format!("GGUF of {} bytes", bytes.len()));
    ok
}

/// A CTranslate2 model.bin with scalars, a matrix of each dtype and an alias.
fn ct2_seed() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let f32s: Vec<u8> = (0..12).flat_map(|i| (i as f32).to_le_bytes()).collect();
        let f16s: Vec<u8> = (0..6)
            .flat_map(|i| half::f16::from_f32(i as f32).to_le_bytes())
            .collect();
        ct2::write(
            "WhisperSpec",
            &[
                (
                    "encoder/num_heads",
                    &[],
                    ct2::Dtype::I32,
                    6i32.to_le_bytes().to_vec(),
                ),
                ("w", &[3, 4], ct2::Dtype::F32, f32s),
                ("h", &[2, 3], ct2::Dtype::F16, f16s),
                ("q", &[2, 2], ct2::Dtype::I8, vec![1, 2, 3, 4]),
            ],
            &[("alias", "w")],
        )
    })
}

/// Parses a model.bin and reads every element of every variable.
fn read_ct2(bytes: &[u8]) -> bool {
    reset_largest();
    let ok = match ct2::parse(bytes) {
        Ok(m) => {
            for v in &m.vars {
                for i in 0..v.numel() {
                    let _ = v.get_f32(i);
                }
                let _ = v.scalar_i64();
                let _ = m.get(&v.name);
            }
            let _ = m.get("alias");
            true
        }
        Err(_) => false,
    };
    assert_bounded(CAP, &format!("model.bin of {} bytes", bytes.len()));
    ok
}

/// A whisper tokenizer.json (byte-level BPE vocabulary and one special token).
fn tokenizer_seed() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let (tokens, _, _) = tokens();
        let vocab: serde_json::Map<String, serde_json::Value> = tokens
            .iter()
            .take(262)
            .enumerate()
            .map(|(i, t)| (t.clone(), serde_json::json!(i)))
            .collect();
        serde_json::to_vec(&serde_json::json!({
            "model": {"type": "BPE", "vocab": vocab},
            "added_tokens": [{"id": 262, "content": "<|endoftext|>", "special": true}]
        }))
        .expect("json")
    })
}

fn read_tokenizer(bytes: &[u8]) -> bool {
    reset_largest();
    let ok = whisper_ggml::regular_vocab(bytes).is_ok();
    assert_bounded(CAP, &format!("tokenizer.json of {} bytes", bytes.len()));
    ok
}

#[test]
fn the_seeds_parse() {
    assert!(read_gguf(gguf_seed()));
    let c = gguf::read_content(&scratch("m.gguf")).expect("seed gguf");
    assert_eq!(gguf::info(&c).expect("info").arch, "llama");
    assert!(read_ct2(ct2_seed()));
    assert!(read_tokenizer(tokenizer_seed()));
}

/// The tensor checks of `read_content` pass real models (those installed for the tests).
#[test]
fn installed_gguf_models_still_read() {
    let dir = std::env::var_os("NOTED_TEST_MODELS").map(PathBuf::from);
    let Some(Ok(entries)) = dir.map(std::fs::read_dir) else {
        eprintln!("skipped: NOTED_TEST_MODELS is not set");
        return;
    };
    for e in entries.flatten() {
        let path = e.path().join("model.gguf");
        if path.is_file() {
            let c =
                gguf::read_content(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            assert!(!c.tensor_infos.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn lengths_and_counts_claiming_gigabytes_are_refused_without_allocating_them() {
    // GGUF: tensor count, metadata count, then the first key's length (u64s after the
    // 8-byte magic and version).
    for at in [8usize, 16, 24] {
        let mut g = gguf_seed().to_vec();
        g[at..at + 8].copy_from_slice(&10_000_000_000u64.to_le_bytes());
        assert!(!read_gguf(&g), "GGUF u64 at {at}");
        assert!(largest() < 1024 * 1024, "GGUF u64 at {at}: {}", largest());
    }
    // GGUF: an alignment of 0 (the data offset is rounded up to it).
    let mut g = gguf_seed().to_vec();
    let key = b"general.alignment";
    let at = g
        .windows(key.len())
        .position(|w| w == key)
        .expect("alignment key")
        + key.len()
        + 4;
    g[at..at + 4].copy_from_slice(&0u32.to_le_bytes());
    assert!(!read_gguf(&g), "alignment 0");
    // CT2: the variable count, and a variable whose dims multiply past usize.
    let mut c = ct2_seed().to_vec();
    let after_spec = 4 + 2 + "WhisperSpec".len() + 1 + 4;
    c[after_spec..after_spec + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(!read_ct2(&c));
    assert!(largest() < 1024 * 1024, "CT2 count: {}", largest());
    let huge = ct2::write(
        "S",
        &[(
            "w",
            &[u32::MAX as usize, u32::MAX as usize, 16],
            ct2::Dtype::F32,
            vec![0; 4],
        )],
        &[],
    );
    assert!(!read_ct2(&huge));
    // tokenizer.json: a special token id of ten billion.
    let t = br#"{"model": {"vocab": {"a": 0}}, "added_tokens": [{"id": 10000000000, "special": true}]}"#;
    let _ = read_tokenizer(t);
    assert!(largest() < 1024 * 1024, "tokenizer: {}", largest());
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn mutated_gguf_files_parse_or_fail_cleanly(muts in mutations()) {
        read_gguf(&apply(gguf_seed(), &muts));
    }

    #[test]
    fn mutated_ct2_models_parse_or_fail_cleanly(muts in mutations()) {
        read_ct2(&apply(ct2_seed(), &muts));
    }

    #[test]
    fn mutated_tokenizer_json_parses_or_fails_cleanly(muts in mutations()) {
        read_tokenizer(&apply(tokenizer_seed(), &muts));
    }

    #[test]
    fn random_bytes_are_refused_cleanly(
        g in noise_after(b"GGUF\x03\x00\x00\x00"),
        c in noise_after(b"\x06\x00\x00\x00"),
    ) {
        read_gguf(&g);
        read_ct2(&c);
    }
}
