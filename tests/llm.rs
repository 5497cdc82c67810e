//! Language-model engine tests with the test-tier model (SmolLM2-135M): generation, seeds,
//! JSON-schema constraints, budgets, cancellation, chat templates, load errors, shared weights.

mod common;
use common::{model_missing, models_dir};

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use noted::llm::{Accel, ChatMessage, Finish, GenOptions, Llm, LlmError};

const TEST_MODEL: &str = "smollm2-135m-instruct";

/// Where the test model's files are: the installed test tier, or (for development) the files
/// named by NOTED_TEST_LLM_GGUF / NOTED_TEST_LLM_TOKENIZER.
fn model_files() -> Option<(PathBuf, PathBuf, Option<String>, String)> {
    if let (Some(g), Some(t)) = (
        std::env::var_os("NOTED_TEST_LLM_GGUF"),
        std::env::var_os("NOTED_TEST_LLM_TOKENIZER"),
    ) {
        return Some((g.into(), t.into(), None, TEST_MODEL.to_string()));
    }
    let m = noted::models::registry::find(&models_dir(), TEST_MODEL).ok()?;
    let tok = m
        .tokenizer
        .clone()
        .unwrap_or_else(|| m.dir.join("tokenizer.json"));
    Some((m.path, tok, m.chat_template, m.name))
}

/// The test model, loaded once and shared by all tests of this binary (as jobs share it).
fn llm() -> Option<Arc<Llm>> {
    static LLM: OnceLock<Option<Arc<Llm>>> = OnceLock::new();
    let l = LLM
        .get_or_init(|| {
            let (g, t, tmpl, name) = model_files()?;
            Some(Arc::new(
                Llm::load_files(&g, &t, tmpl, &name).expect("test model loads"),
            ))
        })
        .clone();
    if l.is_none() {
        model_missing("the test language model (smollm2-135m-instruct)");
    }
    l
}

fn prompt(llm: &Llm, user: &str) -> String {
    llm.chat_prompt(&[
        ChatMessage::new("system", "You are a concise assistant."),
        ChatMessage::new("user", user),
    ])
    .unwrap()
}

fn always(_: noted::llm::GenProgress) -> bool {
    true
}

#[test]
fn generates_text_with_its_own_tokenizer() {
    let Some(llm) = llm() else { return };
    assert_eq!(llm.architecture(), "llama");
    assert!(llm.context_length() >= 2048);
    let p = prompt(&llm, "Name three colors.");
    let opts = GenOptions {
        max_tokens: 24,
        ..Default::default()
    };
    let g = llm.generate(&p, &opts, &always).unwrap();
    assert!(g.generated_tokens > 0);
    assert!(!g.text.trim().is_empty(), "empty generation");
    assert!(
        !g.text.contains("<|im_end|>"),
        "special tokens leak into text: {:?}",
        g.text
    );
    assert_eq!(g.prompt_tokens, llm.count_tokens(&p).unwrap());
    if g.finish == Finish::Stop {
        assert!(g.complete);
    }
}

#[test]
fn same_seed_gives_same_text() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "Write one sentence about the sea.");
    let opts = GenOptions {
        max_tokens: 20,
        temperature: 0.9,
        seed: 7,
        ..Default::default()
    };
    let a = llm.generate(&p, &opts, &always).unwrap();
    let b = llm.generate(&p, &opts, &always).unwrap();
    assert_eq!(a.text, b.text);
    let greedy = GenOptions {
        max_tokens: 20,
        ..Default::default()
    };
    let c = llm.generate(&p, &greedy, &always).unwrap();
    let d = llm.generate(&p, &greedy, &always).unwrap();
    assert_eq!(c.text, d.text);
}

#[test]
fn different_seeds_sample_differently() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "Write one sentence about the sea.");
    let texts: Vec<String> = (1..=4u64)
        .map(|seed| {
            let opts = GenOptions {
                max_tokens: 16,
                temperature: 1.0,
                top_p: Some(0.95),
                seed,
                ..Default::default()
            };
            llm.generate(&p, &opts, &always).unwrap().text
        })
        .collect();
    assert!(texts.iter().all(|t| !t.is_empty()));
    assert!(
        texts.iter().any(|t| t != &texts[0]),
        "four seeds gave the same text: {texts:?}"
    );
}

#[test]
fn json_schema_constrains_output() {
    let Some(llm) = llm() else { return };
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 30},
            "mood": {"type": "string", "enum": ["good", "bad", "mixed"]},
            "score": {"type": "integer", "minimum": 0, "maximum": 10}
        },
        "required": ["name", "mood", "score"],
        "additionalProperties": false
    });
    let p = prompt(
        &llm,
        "Sam said the week was rough but the weekend was nice. Give his name, mood and a score as JSON.",
    );
    for (temperature, seed) in [(0.0, 1), (0.8, 3)] {
        let opts = GenOptions {
            max_tokens: 80,
            temperature,
            seed,
            json_schema: Some(schema.clone()),
            ..Default::default()
        };
        let g = llm.generate(&p, &opts, &always).unwrap();
        assert!(g.complete, "constrained generation did not complete: {g:?}");
        assert_eq!(g.finish, Finish::Stop);
        let v: serde_json::Value = serde_json::from_str(&g.text)
            .unwrap_or_else(|e| panic!("output is not JSON ({e}): {:?}", g.text));
        let o = v.as_object().expect("an object");
        assert!(o["name"].is_string());
        assert!(o["name"].as_str().unwrap().chars().count() <= 30);
        assert!(["good", "bad", "mixed"].contains(&o["mood"].as_str().unwrap()));
        let s = o["score"].as_i64().expect("integer score");
        assert!((0..=10).contains(&s));
        assert_eq!(o.len(), 3, "no extra properties: {v}");
        assert!(g.forced_tokens > 0, "grammar-forced tokens were fed: {g:?}");
    }
}

#[test]
fn bad_schema_is_a_clear_error() {
    let Some(llm) = llm() else { return };
    let schema =
        serde_json::json!({"type": "object", "properties": {"a": {"type": "no-such-type"}}});
    let opts = GenOptions {
        json_schema: Some(schema),
        ..Default::default()
    };
    let err = llm.generate("hi", &opts, &always).unwrap_err();
    assert!(matches!(err, LlmError::Schema(_)), "{err}");
}

#[test]
fn tiny_budget_is_incomplete() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "Tell me a long story about a lighthouse keeper.");
    let opts = GenOptions {
        max_tokens: 2,
        ..Default::default()
    };
    let g = llm.generate(&p, &opts, &always).unwrap();
    assert_eq!(g.finish, Finish::Length);
    assert!(!g.complete);
    assert_eq!(g.generated_tokens, 2);
    // A constrained generation cut off by the budget is incomplete too (never half JSON as done).
    let opts = GenOptions {
        max_tokens: 3,
        json_schema: Some(
            serde_json::json!({"type": "object", "properties": {"story": {"type": "string"}}, "required": ["story"]}),
        ),
        ..Default::default()
    };
    let g = llm.generate(&p, &opts, &always).unwrap();
    assert!(!g.complete);
    assert_eq!(g.finish, Finish::Length);
}

#[test]
fn stop_strings_end_generation() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "Count from 1 to 20 separated by commas.");
    let free = llm
        .generate(
            &p,
            &GenOptions {
                max_tokens: 40,
                ..Default::default()
            },
            &always,
        )
        .unwrap();
    // Stop at the first comma the model writes (if it writes one at all).
    if free.text.contains(',') {
        let opts = GenOptions {
            max_tokens: 40,
            stop: vec![",".to_string()],
            ..Default::default()
        };
        let g = llm.generate(&p, &opts, &always).unwrap();
        assert!(g.complete);
        assert_eq!(g.finish, Finish::Stop);
        assert!(!g.text.contains(','));
        assert!(free.text.starts_with(&g.text));
    }
}

#[test]
fn callback_cancels() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "Tell me a long story about a lighthouse keeper.");
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let cb = |g: noted::llm::GenProgress| {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(g.max_tokens, 200);
        g.generated_tokens < 3
    };
    let opts = GenOptions {
        max_tokens: 200,
        ..Default::default()
    };
    let g = llm.generate(&p, &opts, &cb).unwrap();
    assert_eq!(g.finish, Finish::Cancelled);
    assert!(!g.complete);
    assert!(g.generated_tokens >= 3 && g.generated_tokens < 20, "{g:?}");
    assert!(seen.load(std::sync::atomic::Ordering::SeqCst) >= 4);
}

#[test]
fn chat_prompt_renders_chatml() {
    let Some(llm) = llm() else { return };
    let p = llm
        .chat_prompt(&[
            ChatMessage::new("system", "S"),
            ChatMessage::new("user", "U"),
        ])
        .unwrap();
    assert_eq!(
        p,
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n"
    );
    // The special tokens are single tokens, and the prompt round-trips.
    let ids = llm.encode(&p).unwrap();
    let start = llm.token_id("<|im_start|>").expect("ChatML start token");
    let end = llm.token_id("<|im_end|>").expect("ChatML end token");
    assert_eq!(ids.iter().filter(|&&t| t == start).count(), 3);
    assert_eq!(ids.iter().filter(|&&t| t == end).count(), 2);
    assert!(llm.eos_tokens().contains(&end));
    assert_eq!(llm.decode_with_special(&ids), p);
}

#[test]
fn concurrent_generations_share_weights() {
    let Some(llm) = llm() else { return };
    let p = prompt(&llm, "List five fruits.");
    let opts = GenOptions {
        max_tokens: 40,
        ..Default::default()
    };
    let solo = llm.generate_with(&p, &opts, &always, Accel::NONE).unwrap();
    let rss0 = rss_bytes();
    let peak = std::sync::atomic::AtomicU64::new(rss0);
    let watch = |_: noted::llm::GenProgress| {
        peak.fetch_max(rss_bytes(), std::sync::atomic::Ordering::SeqCst);
        true
    };
    let (a, b) = std::thread::scope(|s| {
        let h1 = s.spawn(|| llm.generate_with(&p, &opts, &watch, Accel::NONE).unwrap());
        let h2 = s.spawn(|| llm.generate_with(&p, &opts, &watch, Accel::NONE).unwrap());
        (h1.join().unwrap(), h2.join().unwrap())
    });
    let grown = peak
        .load(std::sync::atomic::Ordering::SeqCst)
        .saturating_sub(rss0);
    // Each has its own KV cache: both equal the single run.
    assert_eq!(a.text, solo.text);
    assert_eq!(b.text, solo.text);
    // Two more generations did not load another copy of the weights.
    let size = llm.file_size();
    eprintln!(
        "rss growth during two concurrent generations: {} kB (model file {} kB)",
        grown / 1024,
        size / 1024
    );
    assert!(
        grown < size / 2,
        "memory grew by {grown} bytes (model file is {size})"
    );
}

/// The int8 kernels (packed weights, int8 activations) and candle's kernels compute the same
/// model: on a real prompt (a batch, for the prompt path) the next-token scores agree closely
/// and rank the same top tokens. On CPUs without AVX-512 VNNI both loads use candle.
#[test]
fn int8_kernels_agree_with_candle_kernels() {
    let Some(llm) = llm() else { return };
    let Some((g, t, tmpl, name)) = model_files() else {
        return;
    };
    let opts = noted::llm::LoadOptions {
        int8_kernels: false,
        ..Default::default()
    };
    let candle = Llm::load_with(&g, &t, tmpl, &name, opts).expect("model loads");
    let p = prompt(
        &llm,
        "The client reported sleeping five hours a night and feeling anxious at work. \
         Summarize the client's report in one sentence.",
    );
    let a = llm.next_token_logits(&p).unwrap();
    let b = candle.next_token_logits(&p).unwrap();
    assert_eq!(a.len(), b.len());
    let top = |v: &[f32], n: usize| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[j].total_cmp(&v[i]));
        idx.truncate(n);
        idx
    };
    assert_eq!(top(&a, 1), top(&b, 1), "same most likely next token");
    let (ta, tb) = (top(&a, 5), top(&b, 5));
    let shared = ta.iter().filter(|i| tb.contains(i)).count();
    assert!(shared >= 4, "top-5 tokens {ta:?} vs {tb:?}");
    let spread =
        b.iter().fold(f32::MIN, |m, v| m.max(*v)) - b.iter().fold(f32::MAX, |m, v| m.min(*v));
    let worst = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0f32, f32::max);
    let mean = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f32>() / a.len() as f32;
    eprintln!(
        "score difference: mean {mean}, largest {worst} (range {spread}); top-5 shared {shared}"
    );
    assert!(
        mean < 0.01 * spread,
        "mean score difference {mean} (range {spread})"
    );
    assert!(
        worst < 0.05 * spread,
        "largest score difference {worst} (range {spread})"
    );
}

#[test]
fn prefix_reuse_and_drafts_do_not_change_greedy_output() {
    let Some(llm) = llm() else { return };
    let text = "The client said: I walk my dog every morning and I walk my dog every evening. \
                Repeat exactly what the client said, twice.";
    let p = prompt(&llm, text);
    let opts = GenOptions {
        max_tokens: 60,
        ..Default::default()
    };
    let a = llm.generate_with(&p, &opts, &always, Accel::NONE).unwrap();
    assert_eq!(a.reused_prompt_tokens, 0);
    assert_eq!(a.draft_tokens_accepted, 0);
    let b = llm.generate_with(&p, &opts, &always, Accel::ALL).unwrap();
    let c = llm.generate_with(&p, &opts, &always, Accel::ALL).unwrap();
    assert_eq!(a.text, b.text);
    assert_eq!(a.text, c.text);
    assert!(
        c.reused_prompt_tokens > 0,
        "second call reuses the prompt's KV cache"
    );
    eprintln!(
        "drafts accepted: {} of {} tokens",
        b.draft_tokens_accepted, b.generated_tokens
    );
    // Constrained output is also unchanged by drafts and forced-token batches.
    let schema = serde_json::json!({"type": "object", "properties": {"said": {"type": "string", "maxLength": 120}}, "required": ["said"]});
    let opts = GenOptions {
        max_tokens: 60,
        json_schema: Some(schema),
        ..Default::default()
    };
    let a = llm.generate_with(&p, &opts, &always, Accel::NONE).unwrap();
    let b = llm.generate_with(&p, &opts, &always, Accel::ALL).unwrap();
    assert_eq!(a.text, b.text);
}

#[test]
fn missing_tokenizer_and_unsupported_architecture_are_clear_errors() {
    use candle_core::quantized::gguf_file::{self, Value};
    let dir = tempfile::tempdir().unwrap();
    let gguf = dir.path().join("m.gguf");
    let mut f = std::fs::File::create(&gguf).unwrap();
    gguf_file::write(
        &mut f,
        &[("general.architecture", &Value::String("mamba".into()))],
        &[],
    )
    .unwrap();
    drop(f);
    let tok = dir.path().join("tokenizer.json");

    let err = Llm::load_files(&gguf, &tok, None, "x")
        .err()
        .expect("fails");
    assert!(matches!(err, LlmError::MissingTokenizer { .. }), "{err}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    std::fs::write(&tok, "{}").unwrap();
    let err = Llm::load_files(&gguf, &tok, None, "x")
        .err()
        .expect("fails");
    assert!(
        matches!(err, LlmError::UnsupportedArchitecture { .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("mamba") && msg.contains("llama") && msg.contains("qwen2"),
        "{msg}"
    );

    let err = Llm::load_files(&dir.path().join("nope.gguf"), &tok, None, "x")
        .err()
        .expect("fails");
    assert!(matches!(err, LlmError::MissingFile(_)), "{err}");
}

fn rss_bytes() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Speed report (not a pass/fail test): `NOTED_BENCH_GGUF=... NOTED_BENCH_TOKENIZER=...
/// [NOTED_BENCH_PROMPT=file] cargo test --release --test llm -- --ignored --nocapture bench_report`
#[test]
#[ignore]
fn bench_report() {
    let (Some(g), Some(t)) = (
        std::env::var_os("NOTED_BENCH_GGUF"),
        std::env::var_os("NOTED_BENCH_TOKENIZER"),
    ) else {
        eprintln!("skipped: set NOTED_BENCH_GGUF and NOTED_BENCH_TOKENIZER");
        return;
    };
    let gen: usize = std::env::var("NOTED_BENCH_GEN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(128);
    let t0 = std::time::Instant::now();
    let llm = Llm::load_files(&PathBuf::from(&g), &PathBuf::from(&t), None, "bench").unwrap();
    eprintln!(
        "load {:.2}s, threads {}, {}",
        t0.elapsed().as_secs_f64(),
        noted::llm::threads(),
        noted::llm::cpu_features()
    );
    let prompt = match std::env::var_os("NOTED_BENCH_PROMPT") {
        Some(p) => std::fs::read_to_string(p).unwrap(),
        None => prompt(
            &llm,
            &"The client reported better sleep but more stress at work. ".repeat(60),
        ),
    };
    let ids = llm.encode(&prompt).unwrap();
    for rep in 0..2 {
        let r = llm.bench(ids.len(), gen).unwrap();
        eprintln!(
            "rep{rep}: synthetic prompt {} tok: pp {:.1} tok/s, tg {:.1} tok/s",
            r.prompt_tokens, r.pp_tok_s, r.tg_tok_s
        );
    }
    let opts = GenOptions {
        max_tokens: gen,
        ..Default::default()
    };
    for (label, accel) in [
        ("plain", Accel::NONE),
        ("drafts+prefix", Accel::ALL),
        ("drafts+prefix (2nd call)", Accel::ALL),
    ] {
        let r = llm.generate_with(&prompt, &opts, &always, accel).unwrap();
        eprintln!(
            "{label}: prompt {} tok ({} reused) {:.1} tok/s; generated {} tok {:.1} tok/s ({} from drafts), finish {:?}",
            r.prompt_tokens,
            r.reused_prompt_tokens,
            (r.prompt_tokens - r.reused_prompt_tokens) as f64 / r.prompt_seconds,
            r.generated_tokens,
            r.generated_tokens as f64 / r.generation_seconds,
            r.draft_tokens_accepted,
            r.finish
        );
    }
    if let Ok(s) = std::env::var("NOTED_BENCH_SCHEMA") {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(s).unwrap()).unwrap();
        for (label, accel) in [
            ("json plain", Accel::NONE),
            (
                "json drafts",
                Accel {
                    speculative: true,
                    prefix_cache: false,
                },
            ),
        ] {
            let opts = GenOptions {
                max_tokens: gen,
                json_schema: Some(schema.clone()),
                ..Default::default()
            };
            let r = llm.generate_with(&prompt, &opts, &always, accel).unwrap();
            eprintln!(
                "{label}: generated {} tok {:.1} tok/s ({} forced, {} from drafts), complete {}",
                r.generated_tokens,
                r.generated_tokens as f64 / r.generation_seconds,
                r.forced_tokens,
                r.draft_tokens_accepted,
                r.complete
            );
            if std::env::var_os("NOTED_BENCH_SHOW").is_some() {
                eprintln!("{}", r.text);
            }
        }
    }
}
