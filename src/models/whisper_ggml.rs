//! CTranslate2 whisper (`model.bin` + `tokenizer.json`) → whisper.cpp GGML model, the format
//! whisper-rs loads: header, Slaney mel filters, byte vocabulary, then the tensors in
//! openai-whisper naming, f16 (as whisper.cpp's own converter writes) or q8_0.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::ct2::{self, Ct2Model, Dtype, Var};

/// GGML file magic ("ggml" as a little-endian u32).
pub const GGML_MAGIC: u32 = 0x6767_6d6c;
/// ggml's quantization version (ftype = version * 1000 + ftype for quantized files).
const GGML_QNT_VERSION: i32 = 2;

/// Weight type of the big 2-D matrices in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightType {
    /// Half precision (whisper.cpp's standard models).
    F16,
    /// ggml Q8_0: blocks of 32 int8 with one f16 scale (about half the size, ~2× faster).
    Q8_0,
}

impl WeightType {
    /// Header ftype value.
    fn header_ftype(self) -> i32 {
        match self {
            WeightType::F16 => 1,
            // GGML_FTYPE_MOSTLY_Q8_0 = 7
            WeightType::Q8_0 => GGML_QNT_VERSION * 1000 + 7,
        }
    }

    /// Name used in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            WeightType::F16 => "f16",
            WeightType::Q8_0 => "q8_0",
        }
    }
}

/// ggml tensor type ids used here.
pub const GGML_TYPE_F32: i32 = 0;
pub const GGML_TYPE_F16: i32 = 1;
pub const GGML_TYPE_Q8_0: i32 = 8;

/// Errors converting a whisper model.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("cannot read CTranslate2 model: {0}")]
    Ct2(#[from] ct2::Ct2Error),
    #[error("not a CTranslate2 whisper model (spec `{0}`, expected WhisperSpec)")]
    Spec(String),
    #[error("CTranslate2 whisper model lacks variable `{0}`")]
    Missing(String),
    #[error("variable `{name}` has shape {dims:?}, expected {expected}")]
    Shape {
        name: String,
        dims: Vec<usize>,
        expected: String,
    },
    #[error("variable `{name}` has dtype {dtype:?}, which this converter does not handle")]
    Dtype { name: String, dtype: Dtype },
    #[error("the key bias in `{0}` is not zero: whisper has no key bias, so the model cannot be converted faithfully")]
    KeyBias(String),
    #[error("tokenizer.json: {0}")]
    Tokenizer(String),
    #[error("q8_0 needs rows that are a multiple of 32 values; `{name}` has rows of {row}")]
    Q8Row { name: String, row: usize },
    #[error("cannot write the GGML file: {0}")]
    Io(#[from] std::io::Error),
}

/// What the conversion produced (for manifests and messages).
#[derive(Debug, Clone, PartialEq)]
pub struct WhisperInfo {
    pub n_vocab: usize,
    pub n_regular_tokens: usize,
    pub n_audio_ctx: usize,
    pub n_state: usize,
    pub n_audio_head: usize,
    pub n_audio_layer: usize,
    pub n_text_ctx: usize,
    pub n_text_head: usize,
    pub n_text_layer: usize,
    pub n_mels: usize,
    pub n_tensors: usize,
    /// Multilingual models have a vocabulary of 51865+ tokens (English-only: 51864).
    pub multilingual: bool,
}

/// Rows of a split part and its shape.
type Part = (std::ops::Range<usize>, Vec<usize>);

/// A slice of a CT2 variable along its first axis, to be written under a GGML name.
struct OutTensor<'m, 'a> {
    name: String,
    var: &'m Var<'a>,
    /// Range of rows (first axis) of `var`.
    rows: std::ops::Range<usize>,
    /// Output shape in numpy order (first = slowest).
    shape: Vec<usize>,
    /// Per-row dequantization scales (CT2 int8 weights), if any.
    scale: Option<&'m Var<'a>>,
}

impl OutTensor<'_, '_> {
    fn row_len(&self) -> usize {
        self.var.dims[1..].iter().product::<usize>().max(1)
    }
    fn values(&self) -> impl Iterator<Item = f32> + '_ {
        let row = self.row_len();
        (self.rows.start * row..self.rows.end * row).map(move |i| {
            let v = self.var.get_f32(i);
            match self.scale {
                Some(s) => v / s.get_f32(i / row),
                None => v,
            }
        })
    }
    /// The raw bytes when they can be copied as they are.
    fn raw(&self) -> &[u8] {
        let row = self.row_len() * self.var.dtype.size();
        &self.var.data[self.rows.start * row..self.rows.end * row]
    }
}

fn var<'m, 'a>(m: &'m Ct2Model<'a>, name: &str) -> Result<&'m Var<'a>, ConvertError> {
    m.get(name)
        .ok_or_else(|| ConvertError::Missing(name.to_string()))
}

fn shape_err(v: &Var<'_>, expected: impl Into<String>) -> ConvertError {
    ConvertError::Shape {
        name: v.name.clone(),
        dims: v.dims.clone(),
        expected: expected.into(),
    }
}

fn count_layers(m: &Ct2Model<'_>, prefix: &str) -> usize {
    let mut n = 0;
    while m
        .get(&format!("{prefix}/layer_{n}/ffn/linear_0/weight"))
        .is_some()
    {
        n += 1;
    }
    n
}

fn scalar(m: &Ct2Model<'_>, name: &str) -> Result<usize, ConvertError> {
    let v = var(m, name)?;
    v.scalar_i64()
        .filter(|&x| x > 0)
        .map(|x| x as usize)
        .ok_or_else(|| shape_err(v, "a positive scalar"))
}

/// Collects every output tensor in the order whisper.cpp's converter writes them.
fn plan<'m, 'a>(m: &'m Ct2Model<'a>, d: usize) -> Result<Vec<OutTensor<'m, 'a>>, ConvertError> {
    let mut out: Vec<OutTensor<'m, 'a>> = Vec::new();
    let whole = |name: &str, v: &'m Var<'a>| -> Result<OutTensor<'m, 'a>, ConvertError> {
        let scale = m
            .get(&format!("{}_scale", v.name))
            .filter(|_| v.dtype == Dtype::I8);
        if v.dtype == Dtype::I8 && scale.is_none() {
            return Err(ConvertError::Dtype {
                name: v.name.clone(),
                dtype: v.dtype,
            });
        }
        Ok(OutTensor {
            name: name.to_string(),
            var: v,
            rows: 0..v.dims.first().copied().unwrap_or(1),
            shape: if v.dims.is_empty() {
                vec![1]
            } else {
                v.dims.clone()
            },
            scale,
        })
    };
    // Splits a fused projection along its first axis into `n` equal parts.
    let split = |v: &'m Var<'a>, n: usize| -> Result<Vec<Part>, ConvertError> {
        let rows = *v
            .dims
            .first()
            .ok_or_else(|| shape_err(v, "a fused matrix"))?;
        if rows % n != 0 || rows / n != d {
            return Err(shape_err(v, format!("{n} × {d} rows")));
        }
        Ok((0..n)
            .map(|k| {
                let mut shape = v.dims.clone();
                shape[0] = d;
                (k * d..(k + 1) * d, shape)
            })
            .collect())
    };
    let part = |name: String, v: &'m Var<'a>, r: &Part| {
        let scale = m
            .get(&format!("{}_scale", v.name))
            .filter(|_| v.dtype == Dtype::I8);
        OutTensor {
            name,
            var: v,
            rows: r.0.clone(),
            shape: r.1.clone(),
            scale,
        }
    };
    let zero_key_bias = |v: &'m Var<'a>, r: &std::ops::Range<usize>| -> Result<(), ConvertError> {
        if r.clone().any(|i| v.get_f32(i) != 0.0) {
            return Err(ConvertError::KeyBias(v.name.clone()));
        }
        Ok(())
    };

    out.push(whole(
        "encoder.positional_embedding",
        var(m, "encoder/position_encodings/encodings")?,
    )?);
    for c in ["conv1", "conv2"] {
        out.push(whole(
            &format!("encoder.{c}.weight"),
            var(m, &format!("encoder/{c}/weight"))?,
        )?);
        let b = var(m, &format!("encoder/{c}/bias"))?;
        let mut t = whole(&format!("encoder.{c}.bias"), b)?;
        t.shape = vec![b.numel(), 1];
        out.push(t);
    }
    for (side, n_layers) in [
        ("encoder", count_layers(m, "encoder")),
        ("decoder", count_layers(m, "decoder")),
    ] {
        if side == "decoder" {
            out.push(whole(
                "decoder.positional_embedding",
                var(m, "decoder/position_encodings/encodings")?,
            )?);
            out.push(whole(
                "decoder.token_embedding.weight",
                var(m, "decoder/embeddings/weight")?,
            )?);
        }
        for i in 0..n_layers {
            let p = format!("{side}/layer_{i}/");
            let q = format!("{side}.blocks.{i}.");
            let w = var(m, &format!("{p}self_attention/linear_0/weight"))?;
            let b = var(m, &format!("{p}self_attention/linear_0/bias"))?;
            let ws = split(w, 3)?;
            let bs = split(b, 3)?;
            zero_key_bias(b, &bs[1].0)?;
            out.push(part(format!("{q}attn.query.weight"), w, &ws[0]));
            out.push(part(format!("{q}attn.query.bias"), b, &bs[0]));
            out.push(part(format!("{q}attn.key.weight"), w, &ws[1]));
            out.push(part(format!("{q}attn.value.weight"), w, &ws[2]));
            out.push(part(format!("{q}attn.value.bias"), b, &bs[2]));
            let pairs: Vec<(String, String)> = {
                let mut v = vec![
                    ("self_attention/linear_1/weight", "attn.out.weight"),
                    ("self_attention/linear_1/bias", "attn.out.bias"),
                    ("self_attention/layer_norm/gamma", "attn_ln.weight"),
                    ("self_attention/layer_norm/beta", "attn_ln.bias"),
                ];
                if side == "decoder" {
                    v.extend([
                        ("attention/linear_0/weight", "cross_attn.query.weight"),
                        ("attention/linear_0/bias", "cross_attn.query.bias"),
                    ]);
                }
                v.into_iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect()
            };
            for (src, dst) in &pairs {
                out.push(whole(&format!("{q}{dst}"), var(m, &format!("{p}{src}"))?)?);
            }
            if side == "decoder" {
                let w = var(m, &format!("{p}attention/linear_1/weight"))?;
                let b = var(m, &format!("{p}attention/linear_1/bias"))?;
                let ws = split(w, 2)?;
                let bs = split(b, 2)?;
                zero_key_bias(b, &bs[0].0)?;
                out.push(part(format!("{q}cross_attn.key.weight"), w, &ws[0]));
                out.push(part(format!("{q}cross_attn.value.weight"), w, &ws[1]));
                out.push(part(format!("{q}cross_attn.value.bias"), b, &bs[1]));
                for (src, dst) in [
                    ("attention/linear_2/weight", "cross_attn.out.weight"),
                    ("attention/linear_2/bias", "cross_attn.out.bias"),
                    ("attention/layer_norm/gamma", "cross_attn_ln.weight"),
                    ("attention/layer_norm/beta", "cross_attn_ln.bias"),
                ] {
                    out.push(whole(&format!("{q}{dst}"), var(m, &format!("{p}{src}"))?)?);
                }
            }
            for (src, dst) in [
                ("ffn/linear_0/weight", "mlp.0.weight"),
                ("ffn/linear_0/bias", "mlp.0.bias"),
                ("ffn/linear_1/weight", "mlp.2.weight"),
                ("ffn/linear_1/bias", "mlp.2.bias"),
                ("ffn/layer_norm/gamma", "mlp_ln.weight"),
                ("ffn/layer_norm/beta", "mlp_ln.bias"),
            ] {
                out.push(whole(&format!("{q}{dst}"), var(m, &format!("{p}{src}"))?)?);
            }
        }
        let (ln, dst) = if side == "encoder" {
            ("encoder/layer_norm", "encoder.ln_post")
        } else {
            ("decoder/layer_norm", "decoder.ln")
        };
        out.push(whole(
            &format!("{dst}.weight"),
            var(m, &format!("{ln}/gamma"))?,
        )?);
        out.push(whole(
            &format!("{dst}.bias"),
            var(m, &format!("{ln}/beta"))?,
        )?);
    }
    for t in &out {
        if !matches!(
            t.var.dtype,
            Dtype::F32 | Dtype::F16 | Dtype::Bf16 | Dtype::I8
        ) {
            return Err(ConvertError::Dtype {
                name: t.var.name.clone(),
                dtype: t.var.dtype,
            });
        }
    }
    Ok(out)
}

/// GPT-2's byte → printable-character table, inverted (char → byte).
pub fn unicode_to_bytes() -> HashMap<char, u8> {
    let mut bs: Vec<u32> = (b'!' as u32..=b'~' as u32)
        .chain(0xA1..=0xAC)
        .chain(0xAE..=0xFF)
        .collect();
    let mut cs = bs.clone();
    let mut n = 0;
    for b in 0..256u32 {
        if !bs.contains(&b) {
            bs.push(b);
            cs.push(256 + n);
            n += 1;
        }
    }
    bs.into_iter()
        .zip(cs)
        .map(|(b, c)| (char::from_u32(c).expect("valid table char"), b as u8))
        .collect()
}

/// The regular (non-special) tokens of a byte-level BPE tokenizer.json as raw bytes, by id.
pub fn regular_vocab(tokenizer_json: &[u8]) -> Result<Vec<Vec<u8>>, ConvertError> {
    let bad = |s: &str| ConvertError::Tokenizer(s.to_string());
    let v: serde_json::Value = serde_json::from_slice(tokenizer_json)
        .map_err(|e| ConvertError::Tokenizer(e.to_string()))?;
    let vocab = v["model"]["vocab"]
        .as_object()
        .ok_or_else(|| bad("no model.vocab object"))?;
    let first_special = v["added_tokens"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|t| t["special"].as_bool() == Some(true))
                .filter_map(|t| t["id"].as_u64())
                .min()
        })
        .unwrap_or(None)
        .map(|x| x as usize)
        .unwrap_or(vocab.len())
        // The regular tokens fill 0..first_special without gaps, so there are at most as many
        // as the vocabulary holds (a special id of ten billion must not size the table).
        .min(vocab.len());
    let table = unicode_to_bytes();
    let mut out: Vec<Option<Vec<u8>>> = vec![None; first_special];
    for (tok, id) in vocab {
        let id = id
            .as_u64()
            .ok_or_else(|| bad("non-integer id in model.vocab"))? as usize;
        if id < first_special {
            let bytes = tok
                .chars()
                .map(|c| table.get(&c).copied())
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| {
                    ConvertError::Tokenizer(format!("token id {id} is not byte-level BPE"))
                })?;
            out[id] = Some(bytes);
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, t)| {
            t.ok_or_else(|| ConvertError::Tokenizer(format!("gap in the vocabulary at id {i}")))
        })
        .collect()
}

/// Quantizes f32 values to ggml Q8_0 blocks (ggml's `quantize_row_q8_0_ref`).
pub fn quantize_q8_0(x: &[f32], out: &mut Vec<u8>) {
    for block in x.chunks(32) {
        let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&half::f16::from_f32(d).to_le_bytes());
        for &v in block {
            out.push((v * id).round() as i8 as u8);
        }
    }
}

/// Converts CTranslate2 whisper `model.bin` bytes and `tokenizer.json` bytes, writing the GGML
/// model to `out`. `progress(done, total)` is called after each tensor with bytes read.
pub fn convert(
    model_bin: &[u8],
    tokenizer_json: &[u8],
    weights: WeightType,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<WhisperInfo, ConvertError> {
    let m = ct2::parse(model_bin)?;
    if m.spec != "WhisperSpec" {
        return Err(ConvertError::Spec(m.spec.clone()));
    }
    let emb = var(&m, "decoder/embeddings/weight")?;
    if emb.dims.len() != 2 {
        return Err(shape_err(emb, "[n_vocab, d]"));
    }
    let (n_vocab, d) = (emb.dims[0], emb.dims[1]);
    let conv1 = var(&m, "encoder/conv1/weight")?;
    if conv1.dims.len() != 3 || conv1.dims[0] != d {
        return Err(shape_err(conv1, format!("[{d}, n_mels, 3]")));
    }
    let n_mels = conv1.dims[1];
    let enc_pos = var(&m, "encoder/position_encodings/encodings")?;
    let dec_pos = var(&m, "decoder/position_encodings/encodings")?;
    for p in [enc_pos, dec_pos] {
        if p.dims.len() != 2 || p.dims[1] != d {
            return Err(shape_err(p, format!("[n_ctx, {d}]")));
        }
    }
    let info = WhisperInfo {
        n_vocab,
        n_regular_tokens: 0,
        n_audio_ctx: enc_pos.dims[0],
        n_state: d,
        n_audio_head: scalar(&m, "encoder/num_heads")?,
        n_audio_layer: count_layers(&m, "encoder"),
        n_text_ctx: dec_pos.dims[0],
        n_text_head: scalar(&m, "decoder/num_heads")?,
        n_text_layer: count_layers(&m, "decoder"),
        n_mels,
        n_tensors: 0,
        multilingual: n_vocab >= 51865,
    };
    let tensors = plan(&m, d)?;
    let vocab = regular_vocab(tokenizer_json)?;
    if weights == WeightType::Q8_0 {
        for t in &tensors {
            if is_matmul_weight(t) && t.shape[1] % 32 != 0 {
                return Err(ConvertError::Q8Row {
                    name: t.name.clone(),
                    row: t.shape[1],
                });
            }
        }
    }

    let w = |out: &mut dyn Write, v: i32| out.write_all(&v.to_le_bytes());
    w(out, GGML_MAGIC as i32)?;
    for x in [
        info.n_vocab,
        info.n_audio_ctx,
        d,
        info.n_audio_head,
        info.n_audio_layer,
        info.n_text_ctx,
        d,
        info.n_text_head,
        info.n_text_layer,
        n_mels,
    ] {
        w(out, x as i32)?;
    }
    w(out, weights.header_ftype())?;
    let filters = super::mel::mel_filters(16000, 400, n_mels);
    w(out, n_mels as i32)?;
    w(out, 201)?;
    let mut buf = Vec::with_capacity(filters.len() * 4);
    for f in &filters {
        buf.extend_from_slice(&f.to_le_bytes());
    }
    out.write_all(&buf)?;
    w(out, vocab.len() as i32)?;
    for t in &vocab {
        w(out, t.len() as i32)?;
        out.write_all(t)?;
    }

    let total: u64 = tensors.iter().map(|t| t.raw().len() as u64).sum();
    let mut done = 0u64;
    for t in &tensors {
        let f32_out = t.shape.len() < 2
            || t.name.ends_with("conv1.bias")
            || t.name.ends_with("conv2.bias")
            || t.name.ends_with("positional_embedding");
        let ttype = if f32_out {
            GGML_TYPE_F32
        } else if weights == WeightType::Q8_0 && is_matmul_weight(t) {
            GGML_TYPE_Q8_0
        } else {
            GGML_TYPE_F16
        };
        w(out, t.shape.len() as i32)?;
        w(out, t.name.len() as i32)?;
        w(out, ttype)?;
        for dim in t.shape.iter().rev() {
            w(out, *dim as i32)?;
        }
        out.write_all(t.name.as_bytes())?;
        buf.clear();
        match ttype {
            GGML_TYPE_F32 => {
                if t.var.dtype == Dtype::F32 && t.scale.is_none() {
                    buf.extend_from_slice(t.raw());
                } else {
                    for v in t.values() {
                        buf.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
            GGML_TYPE_F16 => {
                if t.var.dtype == Dtype::F16 && t.scale.is_none() {
                    buf.extend_from_slice(t.raw());
                } else {
                    for v in t.values() {
                        buf.extend_from_slice(&half::f16::from_f32(v).to_le_bytes());
                    }
                }
            }
            _ => {
                let vals: Vec<f32> = t.values().collect();
                quantize_q8_0(&vals, &mut buf);
            }
        }
        out.write_all(&buf)?;
        done += t.raw().len() as u64;
        progress(done, total);
    }
    out.flush()?;
    Ok(WhisperInfo {
        n_regular_tokens: vocab.len(),
        n_tensors: tensors.len(),
        ..info
    })
}

/// whisper.cpp stores these in the model's weight type (wtype): 2-D matmul weights and the
/// token embedding. Convolutions stay f16; biases, norms and positional embeddings f32.
fn is_matmul_weight(t: &OutTensor<'_, '_>) -> bool {
    t.shape.len() == 2 && t.name.ends_with(".weight") && !t.name.contains("conv")
}

/// Converts a CT2 model directory's files into `out_path` (written directly; callers write to
/// a temporary name and rename).
pub fn convert_files(
    model_bin: &Path,
    tokenizer_json: &Path,
    weights: WeightType,
    out_path: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<WhisperInfo, ConvertError> {
    let f = std::fs::File::open(model_bin)?;
    // SAFETY: the file is private to the installer's staging directory and not modified while mapped.
    let map = unsafe { memmap2::Mmap::map(&f)? };
    let tok = std::fs::read(tokenizer_json)?;
    let out = std::fs::File::create(out_path)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let info = convert(&map, &tok, weights, &mut w, progress)?;
    let f = w.into_inner().map_err(|e| e.into_error())?;
    f.sync_all()?;
    Ok(info)
}
