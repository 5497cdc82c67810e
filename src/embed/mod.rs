//! Sentence embeddings: all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions) on the CPU with
//! candle, for risk-cue detection and the drafting support checks.
//!
//! ```no_run
//! # fn main() -> Result<(), noted::embed::EmbedError> {
//! use noted::embed::{cosine, find_installed, SentenceEncoder};
//! let dir = find_installed(std::path::Path::new("models")).expect("`noted models install all-minilm-l6-v2`");
//! let enc = SentenceEncoder::load(&dir)?;
//! let v = enc.encode(&["I don't want to be alive anymore", "I wish I were dead"])?;
//! assert!(cosine(&v[0], &v[1]) > 0.5);
//! # Ok(()) }
//! ```
//!
//! [`SentenceEncoder::encode`] computes what sentence-transformers computes for this model:
//! WordPiece tokens with `[CLS]`/`[SEP]`, truncated to 128 tokens (the model's training length
//! and its tokenizer's setting; sentence-transformers itself cuts at 256, which
//! [`SentenceEncoder::with_max_tokens`] allows), the BERT's last hidden states averaged over
//! the real tokens (the attention mask, so padding changes nothing), then scaled to unit
//! length; [`cosine`] of two such vectors is their dot product. tests/embed.rs checks the
//! vectors against an independent numpy implementation (tests/data/embed_reference.py).
//! The tokenizer's own padding and truncation settings are replaced: texts are sorted by
//! length and run in batches of up to 32, each padded to its longest text.
//!
//! The encoder is `Send + Sync`: load it once and share it (an `Arc`); calls may run
//! concurrently. Computation uses candle's process-wide CPU thread pool, sized by
//! [`crate::llm::configure_threads`] (or `CANDLE_NUM_THREADS`) before the first model loads.
//! Loading reads the 91 MB of f32 weights into memory (not mapped): 0.4–0.6 s here.
//!
//! Speed, `cargo test --test embed speed -- --ignored --nocapture` (debug build, dependencies
//! at opt-level 3 as in every build; transcript utterances of 15–25 words, 20–30 tokens), on
//! this project's 2-vCPU build machine (AMD EPYC Zen 4) while another build kept one core
//! busy (load 2–4), which is why a second thread did not help:
//!
//! | threads | one text per call | batches of 32 |
//! | --- | --- | --- |
//! | 2 | 13–16 sentences/s (~70 ms each) | 17–26 sentences/s |
//! | 1 | 14–15 sentences/s | 25–29 sentences/s |
//!
//! About 60 % of the time is candle's f32 matrix products (the `gemm` crate, ~12 GFLOP/s
//! here). Encode a session's utterances in one call: 200 of them take 8–12 s.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use crate::models::registry::{self, InstalledModel, Role};

/// The files a model directory must hold.
pub const WEIGHTS: &str = "model.safetensors";
pub const CONFIG: &str = "config.json";
pub const TOKENIZER: &str = "tokenizer.json";

/// Tokens per text by default, `[CLS]` and `[SEP]` included (the model's training length).
pub const DEFAULT_MAX_TOKENS: usize = 128;
/// The most tokens per text [`SentenceEncoder::with_max_tokens`] allows.
pub const MAX_TOKENS_LIMIT: usize = 256;
/// Texts per forward pass.
pub const BATCH: usize = 32;

/// Errors loading the model or encoding text.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embedding model file {} is missing: install the model with `noted models install all-minilm-l6-v2`", .0.display())]
    MissingFile(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a BERT config: {reason}", path.display())]
    BadConfig { path: PathBuf, reason: String },
    #[error("{} holds no usable BERT weights: {reason}; reinstall the model with `noted models install all-minilm-l6-v2 --force`", path.display())]
    BadWeights { path: PathBuf, reason: String },
    #[error("tokenizer {}: {reason}", path.display())]
    Tokenizer { path: PathBuf, reason: String },
    #[error("tokenizing text: {0}")]
    Tokenize(String),
    #[error("embedding computation failed: {0}")]
    Candle(#[from] candle_core::Error),
}

/// all-MiniLM-L6-v2 (or another BERT sentence-transformers model with mean pooling), loaded.
pub struct SentenceEncoder {
    model: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
    max_tokens: usize,
    /// The model's position embeddings: no text may be longer.
    max_positions: usize,
    pad_id: u32,
    device: Device,
}

impl std::fmt::Debug for SentenceEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceEncoder")
            .field("dim", &self.dim)
            .field("max_tokens", &self.max_tokens)
            .finish_non_exhaustive()
    }
}

impl SentenceEncoder {
    /// Loads `model.safetensors`, `config.json` and `tokenizer.json` from `dir`.
    pub fn load(dir: &Path) -> Result<SentenceEncoder, EmbedError> {
        let path = |name: &str| -> Result<PathBuf, EmbedError> {
            let p = dir.join(name);
            if p.is_file() {
                Ok(p)
            } else {
                Err(EmbedError::MissingFile(p))
            }
        };
        let (weights, config_path, tok_path) = (path(WEIGHTS)?, path(CONFIG)?, path(TOKENIZER)?);
        // pins candle's thread count unless a caller chose one (see configure_threads)
        crate::llm::configure_threads(0);
        let read = |p: &Path| {
            std::fs::read(p).map_err(|source| EmbedError::Io {
                path: p.to_path_buf(),
                source,
            })
        };

        let bad_config = |reason: String| EmbedError::BadConfig {
            path: config_path.clone(),
            reason,
        };
        let config: Config =
            serde_json::from_slice(&read(&config_path)?).map_err(|e| bad_config(e.to_string()))?;
        if config.hidden_size == 0
            || config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
            || config.max_position_embeddings < 2
        {
            return Err(bad_config(format!(
                "implausible sizes: hidden_size {}, num_attention_heads {}, max_position_embeddings {}",
                config.hidden_size, config.num_attention_heads, config.max_position_embeddings
            )));
        }

        let mut tokenizer = Tokenizer::from_file(&tok_path).map_err(|e| EmbedError::Tokenizer {
            path: tok_path.clone(),
            reason: e.to_string(),
        })?;
        tokenizer.with_padding(None);
        let pad_id = tokenizer
            .token_to_id("[PAD]")
            .unwrap_or(config.pad_token_id as u32);
        let vocab = tokenizer.get_vocab_size(true);
        if vocab > config.vocab_size {
            return Err(EmbedError::Tokenizer {
                path: tok_path,
                reason: format!(
                    "{vocab} tokens, but the model's vocabulary has {}",
                    config.vocab_size
                ),
            });
        }

        let device = Device::Cpu;
        let bad_weights = |reason: String| EmbedError::BadWeights {
            path: weights.clone(),
            reason,
        };
        let vb = VarBuilder::from_buffered_safetensors(read(&weights)?, DType::F32, &device)
            .map_err(|e| bad_weights(e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| bad_weights(e.to_string()))?;

        let mut enc = SentenceEncoder {
            model,
            tokenizer,
            dim: config.hidden_size,
            max_tokens: DEFAULT_MAX_TOKENS.min(config.max_position_embeddings),
            max_positions: config.max_position_embeddings,
            pad_id,
            device,
        };
        enc.set_truncation()?;
        Ok(enc)
    }

    /// Truncates texts to `n` tokens instead of 128 (clamped to 2..=256 and to the model's
    /// position embeddings). The model was trained on 128: longer inputs are allowed but its
    /// quality on them is untested.
    pub fn with_max_tokens(mut self, n: usize) -> Result<SentenceEncoder, EmbedError> {
        self.max_tokens = n.clamp(2, MAX_TOKENS_LIMIT).min(self.max_positions);
        self.set_truncation()?;
        Ok(self)
    }

    /// The truncation length in tokens, `[CLS]` and `[SEP]` included.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Dimensions of the vectors (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    fn set_truncation(&mut self) -> Result<(), EmbedError> {
        self.tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: self.max_tokens,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        Ok(())
    }

    /// One L2-normalised vector of [`dim`](Self::dim) values per text, in order. Empty texts
    /// are allowed (the vector of `[CLS] [SEP]`); long texts are truncated.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut ids: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
        for t in texts {
            let e = self
                .tokenizer
                .encode(*t, true)
                .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
            ids.push(e.get_ids().to_vec());
        }
        // Similar lengths together: less padding to compute.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            for (&i, v) in chunk.iter().zip(self.forward(&batch)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// Mean-pooled, normalised embeddings of a batch of token-id sequences.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let len = batch.iter().map(|s| s.len()).max().unwrap_or(0).max(1);
        let n = batch.len();
        let mut input = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for s in batch {
            input.extend_from_slice(s);
            input.extend(std::iter::repeat_n(self.pad_id, len - s.len()));
            mask.extend(std::iter::repeat_n(1u32, s.len()));
            mask.extend(std::iter::repeat_n(0u32, len - s.len()));
        }
        let input = Tensor::from_vec(input, (n, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device)?;
        let types = input.zeros_like()?;
        let hidden = self.model.forward(&input, &types, Some(&mask))?;
        let pooled = mean_pool(&hidden, &mask)?;
        Ok(normalize(&pooled)?.to_vec2::<f32>()?)
    }
}

/// Average of `hidden` (batch, tokens, dim) over the tokens whose `mask` (batch, tokens) is 1.
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(D::Minus1)?;
    let sum = hidden.broadcast_mul(&m)?.sum(1)?;
    let count = m.sum(1)?.clamp(1e-9f32, f32::MAX)?;
    sum.broadcast_div(&count)
}

/// Rows scaled to unit L2 norm (rows of zeros stay zero).
fn normalize(x: &Tensor) -> candle_core::Result<Tensor> {
    let norm = x
        .sqr()?
        .sum_keepdim(D::Minus1)?
        .sqrt()?
        .clamp(1e-12f32, f32::MAX)?;
    x.broadcast_div(&norm)
}

/// Cosine similarity; for the unit vectors [`SentenceEncoder::encode`] returns, the dot
/// product. 0 when either vector is zero. Vectors of different lengths are a caller's bug
/// (checked in debug builds); the extra values of the longer one are ignored.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len(), "cosine of vectors of different lengths");
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    dot / (na.sqrt() * nb.sqrt())
}

/// The directory of the installed embedding model in `models_dir` (the active one of role
/// `embedding`, else the first installed that has the three files), or None: install it with
/// `noted models install all-minilm-l6-v2` (every tier includes it).
pub fn find_installed(models_dir: &Path) -> Option<PathBuf> {
    let usable = |m: &InstalledModel| {
        m.role == Role::Embedding
            && [WEIGHTS, CONFIG, TOKENIZER]
                .iter()
                .all(|f| m.dir.join(f).is_file())
    };
    if let Ok(m) = registry::active(models_dir, Role::Embedding) {
        if usable(&m) {
            return Some(m.dir);
        }
    }
    registry::list(models_dir)
        .ok()?
        .into_iter()
        .find(usable)
        .map(|m| m.dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<SentenceEncoder>();
    }

    #[test]
    fn cosine_basics() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 3.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[], &[]), 0.0);
    }

    #[test]
    fn mean_pool_ignores_masked_tokens_and_normalize_gives_unit_rows() {
        let dev = Device::Cpu;
        // batch 2, 3 tokens, dim 2; the second row's last token is padding (huge values).
        let hidden = Tensor::new(
            &[
                [[1f32, 2.], [3., 4.], [5., 6.]],
                [[1., 1.], [3., 3.], [1000., -1000.]],
            ],
            &dev,
        )
        .unwrap();
        let mask = Tensor::new(&[[1u32, 1, 1], [1, 1, 0]], &dev).unwrap();
        let p = mean_pool(&hidden, &mask).unwrap().to_vec2::<f32>().unwrap();
        assert_eq!(p, vec![vec![3.0, 4.0], vec![2.0, 2.0]]);
        let n = normalize(&Tensor::new(&[[3f32, 4.], [0., 0.]], &dev).unwrap())
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert!((n[0][0] - 0.6).abs() < 1e-6 && (n[0][1] - 0.8).abs() < 1e-6);
        assert_eq!(n[1], vec![0.0, 0.0]);
    }

    fn fake_model(models: &Path, name: &str, role: Role, files: &[&str]) {
        let d = models.join(name);
        std::fs::create_dir_all(&d).unwrap();
        for f in files {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let m = registry::Manifest {
            name: name.into(),
            role,
            format: "safetensors".into(),
            file: WEIGHTS.into(),
            sha256: "00".into(),
            size: 1,
            arch: None,
            quantization: None,
            tokenizer: None,
            chat_template: None,
            multilingual: None,
            license: None,
            source: "catalog".into(),
            origin: vec![],
            installed_at: 0,
        };
        registry::write_manifest(&d, &m).unwrap();
    }

    #[test]
    fn find_installed_uses_the_registry() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(find_installed(tmp.path()), None);
        fake_model(
            tmp.path(),
            "a-llm",
            Role::Llm,
            &[WEIGHTS, CONFIG, TOKENIZER],
        );
        assert_eq!(find_installed(tmp.path()), None, "wrong role");
        fake_model(tmp.path(), "b-incomplete", Role::Embedding, &[WEIGHTS]);
        assert_eq!(find_installed(tmp.path()), None, "files missing");
        fake_model(
            tmp.path(),
            "c-emb",
            Role::Embedding,
            &[WEIGHTS, CONFIG, TOKENIZER],
        );
        assert_eq!(find_installed(tmp.path()), Some(tmp.path().join("c-emb")));
        fake_model(
            tmp.path(),
            "d-emb",
            Role::Embedding,
            &[WEIGHTS, CONFIG, TOKENIZER],
        );
        registry::set_active(tmp.path(), "d-emb").unwrap();
        assert_eq!(find_installed(tmp.path()), Some(tmp.path().join("d-emb")));
        // an active model that cannot be used falls back to one that can
        registry::set_active(tmp.path(), "b-incomplete").unwrap();
        assert_eq!(find_installed(tmp.path()), Some(tmp.path().join("c-emb")));
    }

    #[test]
    fn missing_files_are_typed_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let e = SentenceEncoder::load(tmp.path()).unwrap_err();
        assert!(
            matches!(&e, EmbedError::MissingFile(p) if p.ends_with(WEIGHTS)),
            "{e}"
        );
        for f in [WEIGHTS, CONFIG, TOKENIZER] {
            std::fs::write(tmp.path().join(f), b"{}").unwrap();
        }
        let e = SentenceEncoder::load(tmp.path()).unwrap_err();
        assert!(matches!(e, EmbedError::BadConfig { .. }), "{e}");
    }
}
