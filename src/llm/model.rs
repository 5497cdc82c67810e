//! The transformer forward pass: weights loaded once from a GGUF file and shared (`Arc`) by every
//! generation, each generation owning its own KV cache.
//!
//! `llama`, `qwen2` and `qwen3` run on our own decoder (`Native`), which returns logits for
//! several positions at once (speculative verification, forced grammar tokens), keeps its KV
//! cache in plain vectors (cheap to truncate or clone for prompt-prefix reuse), multiplies with
//! the int8 kernels of the `noted-kernels` crate where the CPU has AVX-512 VNNI (else candle's
//! quantized matmul), attends over a prompt with matrix products ([`attention`]) and over one
//! new token with the kernels crate. `phi3` and `gemma3` use candle's own model
//! code (cloned per generation, which shares the weight tensors); they only return the last
//! position's logits.

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::sync::Arc;

use candle_core::quantized::{gguf_file, GgmlDType, QMatMul, QStorage, QTensor};
use candle_core::{DType, Device, Module, Tensor};
use candle_transformers::models::{quantized_gemma3, quantized_phi3};
use candle_transformers::quantized_nn::RmsNorm;

use super::attention;
use noted_kernels::{self as int8, Packed};

/// Architectures this engine can run.
pub const SUPPORTED_ARCHITECTURES: &[&str] = &["llama", "qwen2", "qwen3", "phi3", "gemma3"];

type CResult<T> = candle_core::Result<T>;

/// Hyper-parameters read from the GGUF metadata.
#[derive(Clone, Debug)]
#[allow(dead_code)] // informative fields, shown in Debug output
pub struct Config {
    pub arch: String,
    pub n_layer: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    pub rope_dim: usize,
    pub rope_neox: bool,
    pub rope_base: f32,
    pub rms_eps: f64,
    pub context_length: usize,
    pub vocab_size: usize,
}

/// A weight matrix: repacked for the int8 kernels ([`int8`]: AVX-512 VNNI, or AVX2 for Q4_K
/// and Q6_K) when the CPU has them and the type allows, else candle's quantized matmul.
pub(crate) enum Linear {
    Int8(Packed),
    Candle(QMatMul),
}

impl Linear {
    /// Q8_0, Q4_K and Q6_K are packed as they are (the loader has already requantized Q5_K and
    /// the legacy 4/5-bit types to Q8_0 for these kernels where the CPU has VNNI,
    /// [`int8_requantized`]). Anything else, or a type this CPU has no kernel for
    /// ([`int8::cpu_packs`]), stays with candle.
    fn new(m: QMatMul, int8: bool) -> Linear {
        if int8 {
            if let QMatMul::QTensor(q) = &m {
                if int8::cpu_packs(q.dtype()).is_some() {
                    if let Some(p) = Packed::from_qtensor(q) {
                        return Linear::Int8(p);
                    }
                }
            }
        }
        Linear::Candle(m)
    }

    fn bytes(&self) -> usize {
        match self {
            Linear::Int8(p) => p.bytes(),
            Linear::Candle(QMatMul::QTensor(t)) => t.storage_size_in_bytes(),
            Linear::Candle(QMatMul::Tensor(t) | QMatMul::TensorF16(t)) => {
                t.elem_count() * t.dtype().size_in_bytes()
            }
        }
    }
}

/// The q, k and v projections: one matrix (rows concatenated, one product instead of three)
/// when their types match and no per-head norm sits between them, else three.
#[allow(clippy::large_enum_variant)] // one per layer: boxing would save nothing that matters
enum Qkv {
    Fused(Linear, Option<Tensor>),
    Split {
        wq: Linear,
        wk: Linear,
        wv: Linear,
        bq: Option<Tensor>,
        bk: Option<Tensor>,
        bv: Option<Tensor>,
    },
}

/// The gate and up projections: one matrix when their types match, else two.
enum GateUp {
    Fused(Linear),
    Split(Linear, Linear),
}

struct Layer {
    attn_norm: RmsNorm,
    qkv: Qkv,
    q_norm: Option<RmsNorm>,
    k_norm: Option<RmsNorm>,
    wo: Linear,
    ffn_norm: RmsNorm,
    gate_up: GateUp,
    down: Linear,
}

/// Weights of a llama-family decoder (llama, qwen2, qwen3). Immutable; shared by all generations.
pub struct Native {
    pub cfg: Config,
    /// Token embeddings; `None` when they are the packed output matrix (tied weights), whose
    /// rows are then looked up instead of keeping a second copy.
    embed: Option<Arc<QTensor>>,
    layers: Vec<Layer>,
    norm: RmsNorm,
    lm_head: Linear,
    /// cos/sin tables, `[pos * rope_dim/2 + i]`.
    cos: Vec<f32>,
    sin: Vec<f32>,
}

/// Per-generation attention state of a [`Native`] model: for each layer, keys and values
/// interleaved as `[pos][kv_head][k(head_dim) | v(head_dim)]`.
#[derive(Clone, Debug, Default)]
pub struct KvCache {
    layers: Vec<Vec<f32>>,
    len: usize,
}

impl KvCache {
    pub fn len(&self) -> usize {
        self.len
    }

    /// Forget every position from `len` on.
    pub fn truncate(&mut self, len: usize, row: usize) {
        if len < self.len {
            for l in &mut self.layers {
                l.truncate(len * row);
            }
            self.len = len;
        }
    }

    /// A copy of the first `len` positions.
    pub fn prefix(&self, len: usize, row: usize) -> KvCache {
        let len = len.min(self.len);
        KvCache {
            layers: self
                .layers
                .iter()
                .map(|l| l[..len * row].to_vec())
                .collect(),
            len,
        }
    }

    /// Memory held by the cache.
    pub fn bytes(&self) -> usize {
        self.layers.iter().map(|l| l.capacity() * 4).sum()
    }
}

/// Tensor types without a fast CPU kernel in candle: converted to Q8_0 at load when asked.
fn slow_dtype(d: GgmlDType) -> bool {
    matches!(
        d,
        GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1 | GgmlDType::Q8_1
    )
}

/// Tensor types the int8 kernels take once converted to Q8_0 (finer than their own grid).
fn int8_requantized(d: GgmlDType) -> bool {
    matches!(
        d,
        GgmlDType::Q5K | GgmlDType::Q4_0 | GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1
    )
}

pub struct Loader<'a, R: Read + Seek> {
    pub ct: &'a gguf_file::Content,
    pub reader: &'a mut R,
    pub requantize: bool,
    pub requantized: usize,
    /// Pack weights for the int8 kernels ([`Linear::new`]), requantizing the types they only
    /// take as Q8_0.
    pub int8: bool,
}

impl<R: Read + Seek> Loader<'_, R> {
    fn tensor(&mut self, name: &str) -> CResult<QTensor> {
        let t = self.ct.tensor(self.reader, name, &Device::Cpu)?;
        let d = t.dtype();
        let for_int8 = self.int8 && int8::cpu_has_vnni() && int8_requantized(d);
        if ((self.requantize && slow_dtype(d)) || for_int8) && t.rank() == 2 {
            let (_, k) = t.shape().dims2()?;
            if k % 32 == 0 {
                let f = t.dequantize(&Device::Cpu)?;
                self.requantized += 1;
                return QTensor::quantize(&f, GgmlDType::Q8_0);
            }
        }
        Ok(t)
    }

    fn has(&self, name: &str) -> bool {
        self.ct.tensor_infos.contains_key(name)
    }

    fn qmm(&mut self, name: &str) -> CResult<QMatMul> {
        QMatMul::from_qtensor(self.tensor(name)?)
    }

    fn norm(&mut self, name: &str, eps: f64) -> CResult<RmsNorm> {
        RmsNorm::from_qtensor(self.tensor(name)?, eps)
    }

    fn bias(&mut self, name: &str) -> CResult<Option<Tensor>> {
        if self.has(name) {
            Ok(Some(self.tensor(name)?.dequantize(&Device::Cpu)?))
        } else {
            Ok(None)
        }
    }
}

/// Rows (tokens) from which a quantized weight is dequantized to f32 for the product, so that
/// prompt batches run on candle's tiled f32 matrix multiply instead of one quantized dot
/// product per output: dequantizing a layer costs about what a dozen rows cost the other way.
/// (Only for weights the int8 kernels do not take.)
pub const DEQUANTIZE_FROM_ROWS: usize = 16;

/// `x` (.., T, in) times the weight (out, in) transposed. Packed weights use the int8 kernels.
/// Otherwise batches of [`DEQUANTIZE_FROM_ROWS`] or more rows use a dequantized f32 copy of the
/// weight that lives only for this product, unless candle's own int8 VNNI kernels take the
/// weight ([`vnni_ready`]: Qwen2.5-1.5B prompt processing 27 → 44 tokens/s with them).
fn matmul(w: &Linear, x: &Tensor) -> CResult<Tensor> {
    let k = x.dim(candle_core::D::Minus1)?;
    let rows = x.elem_count() / k;
    match w {
        Linear::Int8(p) => {
            if k != p.k() {
                candle_core::bail!("matmul: input width {k} but the weight takes {}", p.k());
            }
            let xs = x.flatten_all()?.to_vec1::<f32>()?;
            let y = p.matmul(&xs, rows);
            let mut dims = x.dims().to_vec();
            *dims.last_mut().expect("x has a last dimension") = p.rows();
            Tensor::from_vec(y, dims, &Device::Cpu)
        }
        Linear::Candle(QMatMul::QTensor(q)) if rows >= DEQUANTIZE_FROM_ROWS && !vnni_ready(q) => {
            let wf = q.dequantize(&Device::Cpu)?;
            x.broadcast_matmul(&wf.t()?)
        }
        Linear::Candle(m) => m.forward(x),
    }
}

/// Whether candle runs products with this weight on its repacked AVX-512 VNNI int8 kernels:
/// Q8_0, Q4_K or Q6_K, rows a multiple of 16 and an inner dimension a multiple of 256.
fn vnni_ready(q: &QTensor) -> bool {
    let Ok((n, k)) = q.shape().dims2() else {
        return false;
    };
    int8::cpu_has_vnni()
        && n % 16 == 0
        && k % 256 == 0
        && matches!(q.dtype(), GgmlDType::Q8_0 | GgmlDType::Q4K | GgmlDType::Q6K)
}

/// Stacks 2-D quantized matrices of one type along their rows (output features).
fn concat_rows(ts: &[&QMatMul]) -> CResult<Option<QMatMul>> {
    let mut qs = Vec::new();
    for t in ts {
        match t {
            QMatMul::QTensor(q) => qs.push(q.clone()),
            _ => return Ok(None),
        }
    }
    let dtype = qs[0].dtype();
    let k = qs[0].shape().dims2()?.1;
    let mut rows = 0;
    let mut data = Vec::new();
    for q in &qs {
        let (n, kk) = q.shape().dims2()?;
        if q.dtype() != dtype || kk != k {
            return Ok(None);
        }
        rows += n;
        data.extend_from_slice(&q.data()?);
    }
    let storage = QStorage::from_data(std::borrow::Cow::Owned(data), &Device::Cpu, dtype)?;
    Ok(Some(QMatMul::from_qtensor(QTensor::new(
        storage,
        (rows, k),
    )?)?))
}

fn md_u32(ct: &gguf_file::Content, key: &str) -> CResult<usize> {
    match ct.metadata.get(key) {
        Some(v) => Ok(v.to_u32()? as usize),
        None => candle_core::bail!("GGUF metadata has no `{key}`"),
    }
}

fn md_f32(ct: &gguf_file::Content, key: &str) -> Option<f32> {
    ct.metadata.get(key).and_then(|v| v.to_f32().ok())
}

impl Config {
    pub fn from_gguf(ct: &gguf_file::Content, arch: &str) -> CResult<Config> {
        let k = |s: &str| format!("{arch}.{s}");
        let n_embd = md_u32(ct, &k("embedding_length"))?;
        let n_head = md_u32(ct, &k("attention.head_count"))?;
        let n_kv_head = md_u32(ct, &k("attention.head_count_kv")).unwrap_or(n_head);
        let head_dim = md_u32(ct, &k("attention.key_length")).unwrap_or(n_embd / n_head);
        let rope_dim = md_u32(ct, &k("rope.dimension_count")).unwrap_or(head_dim);
        let vocab_size = match ct.tensor_infos.get("token_embd.weight") {
            Some(t) => t.shape.dims()[0],
            None => 0,
        };
        Ok(Config {
            arch: arch.to_string(),
            n_layer: md_u32(ct, &k("block_count"))?,
            n_embd,
            n_head,
            n_kv_head,
            head_dim,
            rope_dim,
            rope_neox: arch != "llama",
            rope_base: md_f32(ct, &k("rope.freq_base")).unwrap_or(10_000.0),
            rms_eps: md_f32(ct, &k("attention.layer_norm_rms_epsilon")).unwrap_or(1e-6) as f64,
            context_length: md_u32(ct, &k("context_length")).unwrap_or(4096),
            vocab_size,
        })
    }
}

impl Native {
    pub fn load<R: Read + Seek>(cfg: Config, ld: &mut Loader<'_, R>) -> CResult<Native> {
        let int8 = ld.int8;
        let embed = Arc::new(ld.tensor("token_embd.weight")?);
        let (embed, lm_head) = if ld.has("output.weight") {
            (Some(embed), Linear::new(ld.qmm("output.weight")?, int8))
        } else {
            match Linear::new(QMatMul::from_arc(embed.clone())?, int8) {
                l @ Linear::Int8(_) => (None, l),
                l => (Some(embed), l),
            }
        };
        let norm = ld.norm("output_norm.weight", cfg.rms_eps)?;
        let mut layers = Vec::with_capacity(cfg.n_layer);
        for i in 0..cfg.n_layer {
            let p = format!("blk.{i}");
            let q_norm = if ld.has(&format!("{p}.attn_q_norm.weight")) {
                Some(ld.norm(&format!("{p}.attn_q_norm.weight"), cfg.rms_eps)?)
            } else {
                None
            };
            let k_norm = if ld.has(&format!("{p}.attn_k_norm.weight")) {
                Some(ld.norm(&format!("{p}.attn_k_norm.weight"), cfg.rms_eps)?)
            } else {
                None
            };
            let wq = ld.qmm(&format!("{p}.attn_q.weight"))?;
            let wk = ld.qmm(&format!("{p}.attn_k.weight"))?;
            let wv = ld.qmm(&format!("{p}.attn_v.weight"))?;
            let bq = ld.bias(&format!("{p}.attn_q.bias"))?;
            let bk = ld.bias(&format!("{p}.attn_k.bias"))?;
            let bv = ld.bias(&format!("{p}.attn_v.bias"))?;
            let gate = ld.qmm(&format!("{p}.ffn_gate.weight"))?;
            let up = ld.qmm(&format!("{p}.ffn_up.weight"))?;
            let fused = if q_norm.is_none() && k_norm.is_none() {
                concat_rows(&[&wq, &wk, &wv])?
            } else {
                None
            };
            let qkv = match fused {
                Some(m) => {
                    let b = match (&bq, &bk, &bv) {
                        (Some(a), Some(b), Some(c)) => Some(Tensor::cat(&[a, b, c], 0)?),
                        (None, None, None) => None,
                        _ => candle_core::bail!("layer {i} has only some attention biases"),
                    };
                    Qkv::Fused(Linear::new(m, int8), b)
                }
                None => Qkv::Split {
                    wq: Linear::new(wq, int8),
                    wk: Linear::new(wk, int8),
                    wv: Linear::new(wv, int8),
                    bq,
                    bk,
                    bv,
                },
            };
            let gate_up = match concat_rows(&[&gate, &up])? {
                Some(m) => GateUp::Fused(Linear::new(m, int8)),
                None => GateUp::Split(Linear::new(gate, int8), Linear::new(up, int8)),
            };
            layers.push(Layer {
                attn_norm: ld.norm(&format!("{p}.attn_norm.weight"), cfg.rms_eps)?,
                qkv,
                q_norm,
                k_norm,
                wo: Linear::new(ld.qmm(&format!("{p}.attn_output.weight"))?, int8),
                ffn_norm: ld.norm(&format!("{p}.ffn_norm.weight"), cfg.rms_eps)?,
                gate_up,
                down: Linear::new(ld.qmm(&format!("{p}.ffn_down.weight"))?, int8),
            });
        }
        // RoPE tables for the whole usable context (capped to bound memory).
        let max_pos = cfg.context_length.clamp(1, 32_768);
        let half = cfg.rope_dim / 2;
        let mut cos = Vec::with_capacity(max_pos * half);
        let mut sin = Vec::with_capacity(max_pos * half);
        for p in 0..max_pos {
            for i in 0..half {
                let inv = 1f64 / (cfg.rope_base as f64).powf((2 * i) as f64 / cfg.rope_dim as f64);
                let a = p as f64 * inv;
                cos.push(a.cos() as f32);
                sin.push(a.sin() as f32);
            }
        }
        Ok(Native {
            cfg,
            embed,
            layers,
            norm,
            lm_head,
            cos,
            sin,
        })
    }

    /// Longest sequence the RoPE tables cover.
    pub fn max_positions(&self) -> usize {
        self.cos.len() / (self.cfg.rope_dim / 2).max(1)
    }

    pub fn new_cache(&self) -> KvCache {
        KvCache {
            layers: vec![Vec::new(); self.cfg.n_layer],
            len: 0,
        }
    }

    /// f32 values per cached position and layer.
    pub fn cache_row(&self) -> usize {
        self.cfg.n_kv_head * 2 * self.cfg.head_dim
    }

    fn rope(&self, x: &mut [f32], n_heads: usize, pos0: usize) {
        let c = &self.cfg;
        int8::rope(
            x,
            (n_heads, c.head_dim, c.rope_dim),
            pos0,
            (&self.cos, &self.sin),
            c.rope_neox,
        );
    }

    /// Feeds `tokens` at positions `cache.len()..`, appends them to the cache and returns the
    /// logits of the last `n_logits` positions, one row each.
    pub fn forward(
        &self,
        tokens: &[u32],
        cache: &mut KvCache,
        n_logits: usize,
    ) -> CResult<Vec<Vec<f32>>> {
        let cfg = &self.cfg;
        let t_len = tokens.len();
        if t_len == 0 {
            candle_core::bail!("forward called with no tokens");
        }
        let pos0 = cache.len;
        if pos0 + t_len > self.max_positions() {
            candle_core::bail!(
                "sequence of {} tokens exceeds the supported context of {}",
                pos0 + t_len,
                self.max_positions()
            );
        }
        let (h, hk, d) = (cfg.n_head, cfg.n_kv_head, cfg.head_dim);
        let scale = 1.0 / (d as f32).sqrt();
        let mut x = match (&self.embed, &self.lm_head) {
            (Some(e), _) => {
                let ids = Tensor::new(tokens, &Device::Cpu)?;
                e.embedding(&ids)?.unsqueeze(0)?
            }
            (None, Linear::Int8(p)) => {
                let mut v = Vec::with_capacity(t_len * p.k());
                for &t in tokens {
                    if t as usize >= p.rows() {
                        candle_core::bail!("token id {t} outside the vocabulary of {}", p.rows());
                    }
                    v.extend(p.row(t as usize));
                }
                Tensor::from_vec(v, (1, t_len, p.k()), &Device::Cpu)?
            }
            (None, Linear::Candle(_)) => unreachable!("embeddings are dropped only when packed"),
        }; // (1, T, n_embd)
        if x.dtype() != DType::F32 {
            x = x.to_dtype(DType::F32)?;
        }
        for (li, layer) in self.layers.iter().enumerate() {
            let hn = layer.attn_norm.forward(&x)?;
            let (mut qv, mut kv, vv) = match &layer.qkv {
                Qkv::Fused(w, b) => {
                    let mut qkv = matmul(w, &hn)?;
                    if let Some(b) = b {
                        qkv = qkv.broadcast_add(b)?;
                    }
                    let all = qkv.flatten_all()?.to_vec1::<f32>()?;
                    let (nq, nk) = (h * d, hk * d);
                    let row = nq + 2 * nk;
                    let mut qv = Vec::with_capacity(t_len * nq);
                    let mut kv = Vec::with_capacity(t_len * nk);
                    let mut vv = Vec::with_capacity(t_len * nk);
                    for r in all.chunks_exact(row) {
                        qv.extend_from_slice(&r[..nq]);
                        kv.extend_from_slice(&r[nq..nq + nk]);
                        vv.extend_from_slice(&r[nq + nk..]);
                    }
                    (qv, kv, vv)
                }
                Qkv::Split {
                    wq,
                    wk,
                    wv,
                    bq,
                    bk,
                    bv,
                } => {
                    let mut q = matmul(wq, &hn)?;
                    let mut k = matmul(wk, &hn)?;
                    let mut v = matmul(wv, &hn)?;
                    if let Some(b) = bq {
                        q = q.broadcast_add(b)?;
                    }
                    if let Some(b) = bk {
                        k = k.broadcast_add(b)?;
                    }
                    if let Some(b) = bv {
                        v = v.broadcast_add(b)?;
                    }
                    if let Some(n) = &layer.q_norm {
                        q = n.forward(&q.reshape((1, t_len, h, d))?)?;
                    }
                    if let Some(n) = &layer.k_norm {
                        k = n.forward(&k.reshape((1, t_len, hk, d))?)?;
                    }
                    (
                        q.flatten_all()?.to_vec1::<f32>()?,
                        k.flatten_all()?.to_vec1::<f32>()?,
                        v.flatten_all()?.to_vec1::<f32>()?,
                    )
                }
            };
            self.rope(&mut qv, h, pos0);
            self.rope(&mut kv, hk, pos0);
            let c = &mut cache.layers[li];
            c.reserve(t_len * hk * 2 * d);
            for t in 0..t_len {
                for j in 0..hk {
                    let o = (t * hk + j) * d;
                    c.extend_from_slice(&kv[o..o + d]);
                    c.extend_from_slice(&vv[o..o + d]);
                }
            }
            let kv_len = pos0 + t_len;
            let attn = if t_len == 1 {
                let o = int8::decode_attention(&qv, c, kv_len, (h, hk, d), scale);
                Tensor::from_vec(o, (1, 1, h * d), &Device::Cpu)?
            } else {
                attention::prefill(qv, c, t_len, pos0, h, hk, d, scale)?.unsqueeze(0)?
            };
            x = (x + matmul(&layer.wo, &attn)?)?;
            let hn = layer.ffn_norm.forward(&x)?;
            let (g, u) = match &layer.gate_up {
                GateUp::Fused(w) => {
                    let gu = matmul(w, &hn)?;
                    let f = gu.dim(2)? / 2;
                    (gu.narrow(2, 0, f)?, gu.narrow(2, f, f)?)
                }
                GateUp::Split(gate, up) => (matmul(gate, &hn)?, matmul(up, &hn)?),
            };
            let g = candle_nn::ops::silu(&g)?;
            x = (x + matmul(&layer.down, &(g * u)?)?)?;
        }
        cache.len = pos0 + t_len;
        let n = n_logits.clamp(1, t_len);
        let x = x.narrow(1, t_len - n, n)?;
        let x = self.norm.forward(&x)?;
        let logits = matmul(&self.lm_head, &x)?.squeeze(0)?; // (n, vocab)
        logits.to_dtype(DType::F32)?.to_vec2::<f32>()
    }

    pub fn weight_bytes(&self) -> usize {
        let mut n = self.embed.as_ref().map_or(0, |e| e.storage_size_in_bytes());
        n += self.lm_head.bytes();
        for l in &self.layers {
            n += match &l.qkv {
                Qkv::Fused(w, _) => w.bytes(),
                Qkv::Split { wq, wk, wv, .. } => wq.bytes() + wk.bytes() + wv.bytes(),
            };
            n += match &l.gate_up {
                GateUp::Fused(w) => w.bytes(),
                GateUp::Split(g, u) => g.bytes() + u.bytes(),
            };
            n += l.wo.bytes() + l.down.bytes();
        }
        n
    }
}

/// The loaded weights.
pub enum Weights {
    Native(Native),
    Phi3(quantized_phi3::ModelWeights),
    Gemma3(quantized_gemma3::ModelWeights),
}

/// Attention state of one generation.
pub enum Session {
    Native(KvCache),
    Phi3(Box<quantized_phi3::ModelWeights>, usize),
    Gemma3(Box<quantized_gemma3::ModelWeights>, usize),
}

impl Weights {
    pub fn load<R: Read + Seek>(
        arch: &str,
        ct: gguf_file::Content,
        reader: &mut R,
        requantize: bool,
        int8: bool,
    ) -> CResult<(Weights, usize)> {
        match arch {
            "llama" | "qwen2" | "qwen3" => {
                let cfg = Config::from_gguf(&ct, arch)?;
                let mut ld = Loader {
                    ct: &ct,
                    reader,
                    requantize,
                    requantized: 0,
                    int8,
                };
                let w = Native::load(cfg, &mut ld)?;
                let n = ld.requantized;
                Ok((Weights::Native(w), n))
            }
            "phi3" => Ok((
                Weights::Phi3(quantized_phi3::ModelWeights::from_gguf(
                    false,
                    ct,
                    reader,
                    &Device::Cpu,
                )?),
                0,
            )),
            "gemma3" => Ok((
                Weights::Gemma3(quantized_gemma3::ModelWeights::from_gguf(
                    ct,
                    reader,
                    &Device::Cpu,
                )?),
                0,
            )),
            other => candle_core::bail!("unsupported architecture {other}"),
        }
    }

    pub fn new_session(&self) -> Session {
        match self {
            Weights::Native(n) => Session::Native(n.new_cache()),
            Weights::Phi3(m) => Session::Phi3(Box::new(m.clone()), 0),
            Weights::Gemma3(m) => Session::Gemma3(Box::new(m.clone()), 0),
        }
    }

    /// True when the model can return logits of several positions (speculation, prefix reuse).
    pub fn is_native(&self) -> bool {
        matches!(self, Weights::Native(_))
    }

    pub fn forward(
        &self,
        s: &mut Session,
        tokens: &[u32],
        n_logits: usize,
    ) -> CResult<Vec<Vec<f32>>> {
        match (self, s) {
            (Weights::Native(w), Session::Native(c)) => w.forward(tokens, c, n_logits),
            (Weights::Phi3(_), Session::Phi3(m, pos)) => {
                let x = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
                let l = m.forward(&x, *pos)?;
                *pos += tokens.len();
                Ok(vec![l.squeeze(0)?.to_dtype(DType::F32)?.to_vec1()?])
            }
            (Weights::Gemma3(_), Session::Gemma3(m, pos)) => {
                let x = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
                let l = m.forward(&x, *pos)?;
                *pos += tokens.len();
                Ok(vec![l.squeeze(0)?.to_dtype(DType::F32)?.to_vec1()?])
            }
            _ => candle_core::bail!("session does not belong to this model"),
        }
    }
}

impl Session {
    pub fn len(&self) -> usize {
        match self {
            Session::Native(c) => c.len(),
            Session::Phi3(_, p) | Session::Gemma3(_, p) => *p,
        }
    }
}

/// Counts tensors by GGML type (for the load log).
pub fn dtype_histogram(ct: &gguf_file::Content) -> String {
    let mut h: HashMap<String, usize> = HashMap::new();
    for t in ct.tensor_infos.values() {
        *h.entry(format!("{:?}", t.ggml_dtype)).or_default() += 1;
    }
    let mut v: Vec<_> = h.into_iter().collect();
    v.sort();
    v.iter()
        .map(|(k, n)| format!("{k}:{n}"))
        .collect::<Vec<_>>()
        .join(",")
}
