//! Sentence embeddings with the real all-MiniLM-L6-v2 (installed by every tier): shape and
//! norm, agreement with an independent reference implementation, meaning (a paraphrase is
//! closer than an unrelated sentence), batching equal to one-by-one encoding, truncation, and
//! typed errors for missing or damaged weights. Skipped with a message when the model is not
//! installed, unless NOTED_REQUIRE_MODELS=1.

mod common;
use common::{model_missing, models_dir};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use noted::embed::{cosine, find_installed, EmbedError, SentenceEncoder};

fn model_dir() -> Option<PathBuf> {
    let dir = find_installed(&models_dir());
    if dir.is_none() {
        model_missing("the embedding model all-minilm-l6-v2");
    }
    dir
}

/// One encoder for the whole test binary (it is Send + Sync).
fn encoder() -> Option<&'static SentenceEncoder> {
    static ENC: OnceLock<SentenceEncoder> = OnceLock::new();
    let dir = model_dir()?;
    Some(ENC.get_or_init(|| SentenceEncoder::load(&dir).expect("the installed model loads")))
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn vectors_are_unit_length_and_384_dim() {
    let Some(enc) = encoder() else { return };
    assert_eq!(enc.dim(), 384);
    let texts = [
        "I haven't been sleeping well since the move.",
        "Okay.",
        "We talked about her relationship with her mother and the holidays coming up.",
    ];
    let v = enc.encode(&texts).unwrap();
    assert_eq!(v.len(), texts.len());
    for (t, x) in texts.iter().zip(&v) {
        assert_eq!(x.len(), 384, "{t}");
        assert!((norm(x) - 1.0).abs() < 1e-4, "{t}: norm {}", norm(x));
    }
    assert!(enc.encode(&[]).unwrap().is_empty());
}

/// Vectors computed by tests/data/embed_reference.py (numpy, float64, transformers' BERT
/// definition) from the same files.
#[test]
fn matches_the_reference_implementation() {
    let Some(enc) = encoder() else { return };
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/embed_reference.json"),
    )
    .unwrap();
    let refs: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(refs.len() >= 3);
    let texts: Vec<&str> = refs.iter().map(|r| r["text"].as_str().unwrap()).collect();
    let got = enc.encode(&texts).unwrap();
    for (r, g) in refs.iter().zip(&got) {
        let want: Vec<f32> = r["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap() as f32)
            .collect();
        let d = max_diff(&want, g);
        assert!(
            d < 1e-4,
            "{:?}: differs from the reference by {d}",
            r["text"]
        );
    }
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let Some(enc) = encoder() else { return };
    // (anchor, paraphrase, unrelated sentences: one sharing the anchor's surface violence)
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "I don't want to be alive anymore",
            "I wish I were dead",
            &[
                "I could murder a coffee right now",
                "The bus was late again this morning",
            ],
        ),
        (
            "I've been feeling really anxious about work",
            "My job makes me very nervous lately",
            &[
                "We painted the kitchen a lighter green",
                "I've been really enjoying my new running shoes",
            ],
        ),
        (
            "She hasn't slept more than four hours a night this week",
            "Her sleep has been very short for several nights",
            &["She has been eating more vegetables this week"],
        ),
    ];
    for (anchor, para, others) in cases {
        let mut texts = vec![anchor, para];
        texts.extend_from_slice(others);
        let v = enc.encode(&texts).unwrap();
        let close = cosine(&v[0], &v[1]);
        for (o, vo) in others.iter().zip(&v[2..]) {
            let far = cosine(&v[0], vo);
            eprintln!("{anchor:?}: paraphrase {close:.3}, {o:?} {far:.3}");
            assert!(
                close > far + 0.1,
                "{anchor:?}: paraphrase {para:?} ({close:.3}) should be clearly closer than {o:?} ({far:.3})"
            );
        }
    }
}

#[test]
fn batch_encoding_equals_one_by_one() {
    let Some(enc) = encoder() else { return };
    // More than one internal batch, lengths from empty to long, so padding varies.
    let mut texts: Vec<String> = vec![
        String::new(),
        "Yes.".into(),
        "I keep replaying the argument in my head before I fall asleep.".into(),
    ];
    for i in 0..37 {
        let words = [
            "therapy", "sleep", "work", "mother", "anxious", "walk", "plan", "goal", "week",
            "better", "worse", "tired", "talked", "about",
        ];
        let n = 1 + (i * 7) % 40;
        let t: Vec<&str> = (0..n).map(|j| words[(i + j * 3) % words.len()]).collect();
        texts.push(t.join(" "));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let batch = enc.encode(&refs).unwrap();
    assert_eq!(batch.len(), texts.len());
    for (t, b) in refs.iter().zip(&batch) {
        let one = enc.encode(&[*t]).unwrap();
        let d = max_diff(&one[0], b);
        assert!(d < 1e-4, "{t:?}: batch and single differ by {d}");
    }
}

#[test]
fn empty_and_very_long_texts_are_encoded_truncated() {
    let Some(enc) = encoder() else { return };
    let words = [
        "the",
        "client",
        "described",
        "a",
        "week",
        "of",
        "long",
        "shifts",
        "little",
        "sleep",
        "and",
        "worry",
        "about",
        "her",
        "son's",
        "exams",
        "while",
        "walking",
        "helped",
    ];
    let long: Vec<&str> = (0..2000)
        .map(|i| words[(i * 7 + i / 19) % words.len()])
        .collect();
    let long_text = long.join(" ");
    let prefix_text = long[..300].join(" ");
    let v = enc
        .encode(&["", long_text.as_str(), prefix_text.as_str()])
        .unwrap();
    for x in &v {
        assert_eq!(x.len(), 384);
        assert!((norm(x) - 1.0).abs() < 1e-4);
    }
    // both are cut at the same 128 tokens
    assert_eq!(enc.max_tokens(), 128);
    assert!(max_diff(&v[1], &v[2]) < 1e-5, "truncation");
    // a longer limit sees more of the text
    let dir = model_dir().unwrap();
    let enc256 = SentenceEncoder::load(&dir)
        .unwrap()
        .with_max_tokens(1000)
        .unwrap();
    assert_eq!(enc256.max_tokens(), 256);
    let w = enc256.encode(&[long_text.as_str()]).unwrap();
    assert!(
        max_diff(&w[0], &v[1]) > 1e-3,
        "256 tokens give another vector"
    );
}

/// A model directory in a temporary folder with the real config and tokenizer and the given
/// weights file (None: no weights file).
fn model_copy(weights: Option<&[u8]>) -> Option<tempfile::TempDir> {
    let dir = model_dir()?;
    let tmp = tempfile::tempdir().unwrap();
    for f in ["config.json", "tokenizer.json"] {
        std::fs::copy(dir.join(f), tmp.path().join(f)).unwrap();
    }
    if let Some(w) = weights {
        std::fs::write(tmp.path().join("model.safetensors"), w).unwrap();
    }
    Some(tmp)
}

#[test]
fn missing_or_corrupt_weights_are_typed_errors() {
    let Some(dir) = model_dir() else { return };
    let real = std::fs::read(dir.join("model.safetensors")).unwrap();

    let tmp = model_copy(None).unwrap();
    let e = SentenceEncoder::load(tmp.path()).unwrap_err();
    assert!(
        matches!(&e, EmbedError::MissingFile(p) if p.ends_with("model.safetensors")),
        "{e}"
    );
    assert!(e.to_string().contains("noted models install"), "{e}");

    // not safetensors at all
    let tmp = model_copy(Some(b"this is not a model")).unwrap();
    let e = SentenceEncoder::load(tmp.path()).unwrap_err();
    assert!(matches!(e, EmbedError::BadWeights { .. }), "{e}");

    // cut short
    let tmp = model_copy(Some(&real[..real.len() / 2])).unwrap();
    let e = SentenceEncoder::load(tmp.path()).unwrap_err();
    assert!(matches!(e, EmbedError::BadWeights { .. }), "{e}");

    // valid safetensors without the BERT tensors
    let t = candle_core::Tensor::zeros((2, 3), candle_core::DType::F32, &candle_core::Device::Cpu)
        .unwrap();
    let tmp = model_copy(Some(b"")).unwrap();
    let path = tmp.path().join("model.safetensors");
    candle_core::safetensors::save(
        &std::collections::HashMap::from([("x".to_string(), t)]),
        &path,
    )
    .unwrap();
    let e = SentenceEncoder::load(tmp.path()).unwrap_err();
    assert!(matches!(e, EmbedError::BadWeights { .. }), "{e}");

    // a damaged tokenizer
    let tmp = model_copy(Some(&real)).unwrap();
    std::fs::write(tmp.path().join("tokenizer.json"), b"{").unwrap();
    let e = SentenceEncoder::load(tmp.path()).unwrap_err();
    assert!(matches!(e, EmbedError::Tokenizer { .. }), "{e}");
}

/// The installed model is the catalog's and `noted models verify` passes it.
#[test]
fn installed_model_verifies() {
    use noted::models::{add, catalog::Catalog, registry};
    let Some(dir) = model_dir() else { return };
    let m = registry::find(&models_dir(), "all-minilm-l6-v2").unwrap();
    assert_eq!(m.dir, dir);
    assert_eq!(m.role, registry::Role::Embedding);
    let v = add::verify(&m).unwrap();
    assert_eq!(
        v.sha256,
        Catalog::builtin().get("all-minilm-l6-v2").unwrap().sha256
    );
    assert!(v.detail.contains("384-dim"), "{}", v.detail);
}

/// Speed report (not a check): `cargo test --test embed speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed() {
    // Before candle's pool starts: 2 threads (unless CANDLE_NUM_THREADS says otherwise) and
    // the short spinning `noted` uses.
    noted::llm::configure_threads(2);
    let Some(dir) = model_dir() else { return };
    let t = Instant::now();
    let enc = SentenceEncoder::load(&dir).unwrap();
    eprintln!("load {:.2} s", t.elapsed().as_secs_f64());
    let utterances = [
        "I keep telling myself it's fine but then I lie awake at three in the morning thinking about everything I said wrong",
        "My manager asked me to stay late again on Friday and I just said yes even though I was exhausted",
        "We had a pretty good week actually, the kids were calmer and I managed to go for two walks",
        "Honestly I don't see the point of any of it anymore, nothing I do seems to change how I feel",
        "She said she would call me back after the appointment but she never did and that hurt more than I expected",
        "I tried the breathing exercise you showed me before the meeting and it helped a little bit I think",
        "Sometimes I get so angry at him that I have to leave the room before I say something I regret",
        "The new medication makes me feel a bit foggy in the mornings but my mood has been steadier overall",
    ];
    let texts: Vec<&str> = (0..256).map(|i| utterances[i % utterances.len()]).collect();
    enc.encode(&texts[..8]).unwrap(); // warm-up
    let t = Instant::now();
    let mut n = 0;
    while t.elapsed().as_secs_f64() < 5.0 {
        enc.encode(&[texts[n % texts.len()]]).unwrap();
        n += 1;
    }
    let one = n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut n = 0;
    while t.elapsed().as_secs_f64() < 5.0 {
        enc.encode(&texts[(n % 8) * 32..(n % 8) * 32 + 32]).unwrap();
        n += 1;
    }
    let batched = n as f64 * 32.0 / t.elapsed().as_secs_f64();
    eprintln!(
        "threads {}: one at a time {one:.1} sentences/s, batches of 32 {batched:.1} sentences/s",
        noted::llm::threads()
    );
}
