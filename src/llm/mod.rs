//! The local language model (candle): loading GGUF models, tokenizing, constrained generation.
//!
//! One [`Llm`] is loaded per process and shared (it is `Send + Sync`); every [`Llm::generate`]
//! call gets its own KV cache while the weights are shared. Generation supports greedy and
//! seeded temperature/top-p sampling, stop strings, a token budget, a progress/cancel callback
//! (`&dyn Fn(GenProgress) -> bool`, return `false` to cancel), JSON-schema-constrained decoding
//! (llguidance), grammar-forced tokens fed in one batch, prompt-lookup speculative decoding
//! (greedy only) and reuse of the KV cache of a prompt prefix shared with an earlier call.

mod attention;
mod chat;
mod model;

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use llguidance::api::TopLevelGrammar;
use llguidance::{Matcher, ParserFactory};
use toktrie::{TokEnv, TokRxInfo, TokTrie, TokenId, TokenizerEnv};

pub use chat::CHATML;
pub use model::SUPPORTED_ARCHITECTURES;

/// Errors of the language-model engine.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("model file not found: {0}")]
    MissingFile(PathBuf),
    #[error("model {model} has no tokenizer.json (expected {path}); reinstall it with `noted models install`")]
    MissingTokenizer { model: String, path: PathBuf },
    #[error("model {model} is not a GGUF language model (format {format})")]
    NotGguf { model: String, format: String },
    #[error("cannot read GGUF file {path}: {msg}")]
    BadGguf { path: PathBuf, msg: String },
    #[error("unsupported model architecture `{arch}`; supported: {}", SUPPORTED_ARCHITECTURES.join(", "))]
    UnsupportedArchitecture { arch: String },
    #[error("bad tokenizer {path}: {msg}")]
    BadTokenizer { path: PathBuf, msg: String },
    #[error("tokenizer does not match the model: {0}")]
    TokenizerMismatch(String),
    #[error("tokenization failed: {0}")]
    Tokenize(String),
    #[error("chat template error: {0}")]
    Template(String),
    #[error("JSON schema cannot be used for constrained decoding: {0}")]
    Schema(String),
    #[error("constrained decoding failed: {0}")]
    Constraint(String),
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error(
        "prompt of {prompt_tokens} tokens does not fit the model's context of {context} tokens"
    )]
    ContextOverflow {
        prompt_tokens: usize,
        context: usize,
    },
    #[error("inference failed: {0}")]
    Inference(String),
}

impl From<candle_core::Error> for LlmError {
    fn from(e: candle_core::Error) -> Self {
        LlmError::Inference(e.to_string())
    }
}

/// One chat turn.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: &str, content: impl Into<String>) -> Self {
        ChatMessage {
            role: role.to_string(),
            content: content.into(),
        }
    }
}

/// Options of one [`Llm::generate`] call.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Token budget: at most this many generated tokens (forced grammar tokens count too).
    pub max_tokens: usize,
    /// 0 = greedy.
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub seed: u64,
    /// Generation ends (complete) at the first of these strings; it is not part of the text.
    pub stop: Vec<String>,
    /// Constrain the output to JSON matching this schema.
    pub json_schema: Option<serde_json::Value>,
    /// Compute threads. candle's CPU pool is process-wide and sized once: see
    /// [`configure_threads`]; a different value here is only logged.
    pub threads: Option<usize>,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            max_tokens: 512,
            temperature: 0.0,
            top_p: None,
            seed: 42,
            stop: Vec::new(),
            json_schema: None,
            threads: None,
        }
    }
}

/// Reported once after the prompt is read and after every generated token.
#[derive(Clone, Copy, Debug)]
pub struct GenProgress {
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub max_tokens: usize,
}

/// Why generation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    /// End-of-sequence token, a stop string, or the grammar accepted.
    Stop,
    /// The token budget (or the context) ran out.
    Length,
    /// The progress callback asked to stop.
    Cancelled,
}

/// The result of one generation.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Generation {
    pub text: String,
    /// True only when generation ended by EOS, a stop string or grammar acceptance.
    pub complete: bool,
    pub finish: Finish,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub prompt_seconds: f64,
    pub generation_seconds: f64,
    /// Prompt tokens whose KV cache was reused from an earlier call (not recomputed).
    pub reused_prompt_tokens: usize,
    /// Tokens accepted from prompt-lookup drafts (verified in batches, not one by one).
    pub draft_tokens_accepted: usize,
    /// Tokens forced by the grammar (fed in batches).
    pub forced_tokens: usize,
}

/// Speed measured by [`Llm::bench`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct BenchResult {
    pub model: String,
    pub prompt_tokens: usize,
    pub gen_tokens: usize,
    pub prompt_seconds: f64,
    pub gen_seconds: f64,
    /// Prompt processing, tokens per second.
    pub pp_tok_s: f64,
    /// Generation (one token per forward pass), tokens per second.
    pub tg_tok_s: f64,
    pub threads: usize,
}

/// How a model is loaded.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Convert tensor types candle has no fast CPU kernel for (Q4_1, Q5_0, Q5_1) to Q8_0.
    pub requantize_slow: bool,
    /// Verify prompt-lookup drafts in batches when sampling greedily.
    pub speculative: bool,
    /// Keep the KV cache of recent prompts to reuse a shared prefix.
    pub prefix_cache: bool,
    /// Multiply with Noted's int8 AVX-512 VNNI kernels where the CPU has them (Q8_0, Q4_K and
    /// Q6_K as they are, Q5_K/Q4_0/Q5_x requantized to Q8_0); off: candle's kernels. Default
    /// on unless `NOTED_NO_INT8` is set (for comparing the two).
    pub int8_kernels: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            requantize_slow: true,
            speculative: true,
            prefix_cache: true,
            int8_kernels: std::env::var_os("NOTED_NO_INT8").is_none(),
        }
    }
}

/// Per-call choice of the speed-ups of [`Llm::generate_with`].
#[derive(Clone, Copy, Debug)]
pub struct Accel {
    /// Prompt-lookup drafts verified in one batch (greedy sampling only).
    pub speculative: bool,
    /// Reuse (and remember) the KV cache of a shared prompt prefix.
    pub prefix_cache: bool,
}

impl Accel {
    pub const NONE: Accel = Accel {
        speculative: false,
        prefix_cache: false,
    };
    pub const ALL: Accel = Accel {
        speculative: true,
        prefix_cache: true,
    };
}

/// Sizes candle's process-wide CPU thread pool. Call before the first model is loaded;
/// later calls have no effect (the pool already exists). `0` keeps candle's own choice (the
/// physical cores) but pins it: candle otherwise asks for the count on every matrix product,
/// and without the variables set that reads and parses `/proc/cpuinfo` each time (measured:
/// about 5 % of diarization's time on 2 cores, more on machines with many cores).
pub fn configure_threads(n: usize) {
    // whether the user chose the count: read once, before this function sets anything
    static USER_CHOSE: OnceLock<bool> = OnceLock::new();
    static DONE: OnceLock<()> = OnceLock::new();
    let user_chose = *USER_CHOSE.get_or_init(|| std::env::var_os("CANDLE_NUM_THREADS").is_some());
    if !user_chose {
        let pin = if n > 0 {
            // the first explicit count wins, as before
            DONE.set(()).is_ok().then_some(n)
        } else {
            // candle's default, pinned; a later explicit count may still replace it
            (DONE.get().is_none()).then(candle_core::utils::get_num_threads)
        };
        if let Some(n) = pin {
            // Edition 2021: set_var is safe; this runs before candle starts its pool.
            std::env::set_var("CANDLE_NUM_THREADS", n.to_string());
            std::env::set_var("RAYON_NUM_THREADS", n.to_string());
        }
    }
    limit_spinning();
}

/// candle's pool busy-waits up to 25,000 spins for work between matmuls: on a machine shared
/// with transcription or other jobs the spinning threads steal the cores the work needs
/// (measured here: generation 10x slower under load). Spin less unless the user chose a value.
fn limit_spinning() {
    static DONE: OnceLock<()> = OnceLock::new();
    if DONE.set(()).is_ok() && std::env::var_os("CANDLE_BARRIER_POOL_SPIN_LIMIT").is_none() {
        std::env::set_var("CANDLE_BARRIER_POOL_SPIN_LIMIT", SPIN_LIMIT.to_string());
    }
}

const SPIN_LIMIT: u32 = 2_000;

/// Threads candle computes with.
pub fn threads() -> usize {
    candle_core::utils::barrier_pool().n_workers() + 1
}

/// Which int8 kernels the weights run on (for the load log): AVX-512 VNNI for every packed type,
/// AVX2 for Q4_K and Q6_K only, or none (candle's kernels).
fn int8_kernels(enabled: bool) -> &'static str {
    use candle_core::quantized::GgmlDType;
    match (enabled, noted_kernels::cpu_packs(GgmlDType::Q4K)) {
        (false, _) => "off",
        (true, None) => "none on this CPU",
        (true, Some(noted_kernels::Isa::Avx2)) => "avx2 (Q4_K, Q6_K)",
        (true, Some(isa)) => isa.name(),
    }
}

/// CPU features seen at run time and compiled in (for the load log and `noted bench`).
pub fn cpu_features() -> String {
    let mut f = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        for (name, on) in [
            ("avx", std::is_x86_feature_detected!("avx")),
            ("avx2", std::is_x86_feature_detected!("avx2")),
            ("fma", std::is_x86_feature_detected!("fma")),
            ("f16c", std::is_x86_feature_detected!("f16c")),
            ("avx512f", std::is_x86_feature_detected!("avx512f")),
            ("avx512vnni", std::is_x86_feature_detected!("avx512vnni")),
        ] {
            if on {
                f.push(name);
            }
        }
    }
    let compiled: Vec<&str> = [
        ("avx", cfg!(target_feature = "avx")),
        ("avx2", cfg!(target_feature = "avx2")),
        ("fma", cfg!(target_feature = "fma")),
        ("f16c", cfg!(target_feature = "f16c")),
        ("neon", cfg!(target_feature = "neon")),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(n, _)| *n)
    .collect();
    format!(
        "cpu: [{}]; compiled for: [{}]; candle with_avx={} with_f16c={}",
        f.join(" "),
        compiled.join(" "),
        candle_core::utils::with_avx(),
        candle_core::utils::with_f16c()
    )
}

/// llguidance's view of our tokenizer.
struct HfTokEnv {
    trie: TokTrie,
    tokenizer: tokenizers::Tokenizer,
}

impl TokenizerEnv for HfTokEnv {
    fn tok_trie(&self) -> &TokTrie {
        &self.trie
    }

    fn tokenize_bytes(&self, s: &[u8]) -> Vec<TokenId> {
        let s = String::from_utf8_lossy(s);
        match self.tokenizer.encode_fast(s.as_ref(), false) {
            Ok(e) => e.get_ids().to_vec(),
            Err(_) => self.trie.greedy_tokenize(s.as_bytes()),
        }
    }
}

/// KV cache of a recent prompt, for reuse by a later prompt with the same prefix.
struct PrefixEntry {
    tokens: Vec<u32>,
    cache: model::KvCache,
    last_used: Instant,
}

/// The KV caches of recent prompts, for reuse by later prompts with the same prefix.
///
/// Every [`Llm`] has one, used by [`Llm::generate`]; a caller that needs its output to depend
/// on its own calls only (a draft: the same input and seed must give the same draft, and
/// reused KV rows are not bit-identical to recomputed ones) keeps its own and passes it to
/// [`Llm::generate_in`]. Then other work sharing the model, running before or alongside,
/// cannot change what it writes.
#[derive(Default)]
pub struct PrefixCache(Mutex<Vec<PrefixEntry>>);

impl PrefixCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<PrefixEntry>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

const PREFIX_ENTRIES: usize = 4;
const PREFIX_ENTRY_BYTES: usize = 32 << 20;

/// A loaded language model. `Send + Sync`: share it (e.g. in an `Arc`) between jobs.
pub struct Llm {
    name: String,
    sha256: String,
    arch: String,
    context_length: usize,
    weights: Arc<model::Weights>,
    tokenizer: tokenizers::Tokenizer,
    /// Bytes of every token id (special tokens start with 0xFF), padded to the model's vocab.
    token_bytes: Arc<Vec<Vec<u8>>>,
    special: HashSet<u32>,
    eos: Vec<u32>,
    chat_template: Option<String>,
    bos_token: String,
    eos_token: String,
    tok_env: TokEnv,
    factory: OnceLock<Result<ParserFactory, String>>,
    prefixes: PrefixCache,
    opts: LoadOptions,
    file_size: u64,
}

fn gguf_str(ct: &gguf_file::Content, key: &str) -> Option<String> {
    ct.metadata
        .get(key)
        .and_then(|v| v.to_string().ok())
        .cloned()
}

fn gguf_u32(ct: &gguf_file::Content, key: &str) -> Option<u32> {
    ct.metadata.get(key).and_then(|v| v.to_u32().ok())
}

impl Llm {
    /// Loads an installed model (GGUF + its tokenizer.json + chat template from the manifest).
    pub fn load(model: &crate::models::registry::InstalledModel) -> Result<Llm, LlmError> {
        if model.format != "gguf" {
            return Err(LlmError::NotGguf {
                model: model.name.clone(),
                format: model.format.clone(),
            });
        }
        let tok = model
            .tokenizer
            .clone()
            .unwrap_or_else(|| model.dir.join("tokenizer.json"));
        if !tok.exists() {
            return Err(LlmError::MissingTokenizer {
                model: model.name.clone(),
                path: tok,
            });
        }
        let mut llm = Self::load_with(
            &model.path,
            &tok,
            model.chat_template.clone(),
            &model.name,
            LoadOptions::default(),
        )?;
        llm.sha256 = model.sha256.clone();
        Ok(llm)
    }

    /// Loads a GGUF file with the given tokenizer.json; the chat template defaults to the one
    /// in the GGUF metadata, then ChatML.
    pub fn load_files(
        gguf: &Path,
        tokenizer_json: &Path,
        chat_template: Option<String>,
        name: &str,
    ) -> Result<Llm, LlmError> {
        Self::load_with(
            gguf,
            tokenizer_json,
            chat_template,
            name,
            LoadOptions::default(),
        )
    }

    /// [`Llm::load_files`] with explicit [`LoadOptions`].
    pub fn load_with(
        gguf: &Path,
        tokenizer_json: &Path,
        chat_template: Option<String>,
        name: &str,
        opts: LoadOptions,
    ) -> Result<Llm, LlmError> {
        let t0 = Instant::now();
        limit_spinning();
        if !gguf.exists() {
            return Err(LlmError::MissingFile(gguf.to_path_buf()));
        }
        if !tokenizer_json.exists() {
            return Err(LlmError::MissingTokenizer {
                model: name.to_string(),
                path: tokenizer_json.to_path_buf(),
            });
        }
        let bad = |msg: String| LlmError::BadGguf {
            path: gguf.to_path_buf(),
            msg,
        };
        let mut file = File::open(gguf).map_err(|e| bad(e.to_string()))?;
        let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let ct = gguf_file::Content::read(&mut file).map_err(|e| bad(e.to_string()))?;
        let arch = gguf_str(&ct, "general.architecture")
            .ok_or_else(|| bad("no general.architecture".into()))?;
        if !SUPPORTED_ARCHITECTURES.contains(&arch.as_str()) {
            return Err(LlmError::UnsupportedArchitecture { arch });
        }
        let context_length =
            gguf_u32(&ct, &format!("{arch}.context_length")).unwrap_or(4096) as usize;
        let gguf_template = gguf_str(&ct, "tokenizer.chat_template");
        let eos_meta = gguf_u32(&ct, "tokenizer.ggml.eos_token_id");
        let bos_meta = gguf_u32(&ct, "tokenizer.ggml.bos_token_id");
        let vocab_meta = ct
            .tensor_infos
            .get("token_embd.weight")
            .map(|t| t.shape.dims()[0])
            .unwrap_or(0);
        let histogram = model::dtype_histogram(&ct);

        // Tokenizer.
        let tok_err = |msg: String| LlmError::BadTokenizer {
            path: tokenizer_json.to_path_buf(),
            msg,
        };
        let tok_text =
            std::fs::read_to_string(tokenizer_json).map_err(|e| tok_err(e.to_string()))?;
        let tokenizer = tokenizers::Tokenizer::from_bytes(tok_text.as_bytes())
            .map_err(|e| tok_err(e.to_string()))?;
        let tok_json: serde_json::Value =
            serde_json::from_str(&tok_text).map_err(|e| tok_err(e.to_string()))?;
        let mut token_bytes = llguidance::token_bytes_from_tokenizer_json(&tok_json)
            .map_err(|e| tok_err(e.to_string()))?;
        drop(tok_json);
        let tok_vocab = token_bytes.len();
        if vocab_meta > 0 && tok_vocab > vocab_meta {
            return Err(LlmError::TokenizerMismatch(format!(
                "tokenizer has {tok_vocab} tokens, the model only {vocab_meta}"
            )));
        }
        let vocab = vocab_meta.max(tok_vocab);
        token_bytes.resize(vocab, Vec::new());
        let special: HashSet<u32> = token_bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| b.first() == Some(&TokTrie::SPECIAL_TOKEN_MARKER))
            .map(|(i, _)| i as u32)
            .collect();
        let mut eos: Vec<u32> = Vec::new();
        if let Some(e) = eos_meta {
            eos.push(e);
        }
        for s in [
            "<|im_end|>",
            "<|endoftext|>",
            "<|eot_id|>",
            "<end_of_turn>",
            "<|end|>",
        ] {
            if let Some(id) = tokenizer.token_to_id(s) {
                if !eos.contains(&id) {
                    eos.push(id);
                }
            }
        }
        if eos.is_empty() {
            return Err(LlmError::TokenizerMismatch(
                "no end-of-sequence token (tokenizer.ggml.eos_token_id) and none of <|im_end|>, <|endoftext|>".into(),
            ));
        }
        let tok_name = |id: Option<u32>| -> String {
            id.and_then(|i| tokenizer.id_to_token(i))
                .unwrap_or_default()
        };
        let bos_token = tok_name(bos_meta);
        let eos_token = tok_name(Some(eos[0]));
        let info = TokRxInfo {
            vocab_size: vocab as u32,
            tok_eos: eos[0],
            tok_bos: bos_meta,
            tok_pad: None,
            tok_unk: None,
            tok_end_of_turn: None,
        };
        let trie = TokTrie::from(&info, &token_bytes).with_eos_tokens(&eos);
        let tok_env: TokEnv = Arc::new(HfTokEnv {
            trie,
            tokenizer: tokenizer.clone(),
        });

        // Weights.
        let (weights, requantized) = model::Weights::load(
            &arch,
            ct,
            &mut file,
            opts.requantize_slow,
            opts.int8_kernels,
        )
        .map_err(|e| bad(e.to_string()))?;
        let weight_bytes = match &weights {
            model::Weights::Native(n) => n.weight_bytes(),
            _ => 0,
        };
        let chat_template = chat_template.or(gguf_template);
        tracing::info!(
            model = name,
            arch = arch.as_str(),
            context_length,
            vocab,
            file_mb = file_size / 1_000_000,
            weights_mb = weight_bytes / 1_000_000,
            tensor_types = histogram.as_str(),
            requantized_to_q8_0 = requantized,
            int8_kernels = int8_kernels(opts.int8_kernels),
            threads = threads(),
            load_seconds = t0.elapsed().as_secs_f64(),
            "language model loaded; {}",
            cpu_features()
        );
        Ok(Llm {
            name: name.to_string(),
            sha256: String::new(),
            arch,
            context_length,
            weights: Arc::new(weights),
            tokenizer,
            token_bytes: Arc::new(token_bytes),
            special,
            eos,
            chat_template,
            bos_token,
            eos_token,
            tok_env,
            factory: OnceLock::new(),
            prefixes: PrefixCache::new(),
            opts,
            file_size,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// sha256 of the model file as recorded at install; "" if unknown.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn architecture(&self) -> &str {
        &self.arch
    }

    pub fn context_length(&self) -> usize {
        self.context_length
    }

    /// Size of the GGUF file in bytes.
    pub fn file_size(&self) -> u64 {
        self.file_size
    }

    /// Ids of the end-of-sequence tokens generation stops at.
    pub fn eos_tokens(&self) -> &[u32] {
        &self.eos
    }

    pub fn set_load_options(&mut self, opts: LoadOptions) {
        self.opts.speculative = opts.speculative;
        self.opts.prefix_cache = opts.prefix_cache;
    }

    /// The model's scores for the token after `prompt` (one forward pass, no sampling).
    pub fn next_token_logits(&self, prompt: &str) -> Result<Vec<f32>, LlmError> {
        let ids = self.encode(prompt)?;
        if ids.is_empty() {
            return Err(LlmError::EmptyPrompt);
        }
        let mut session = self.weights.new_session();
        self.weights
            .forward(&mut session, &ids, 1)?
            .pop()
            .ok_or_else(|| LlmError::Inference("no logits".into()))
    }

    /// Tokenizes `text` (special tokens written in it, e.g. `<|im_start|>`, are recognised).
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, LlmError> {
        self.tokenizer
            .encode_fast(text, false)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| LlmError::Tokenize(e.to_string()))
    }

    /// Text of `ids`, special tokens left out.
    pub fn decode(&self, ids: &[u32]) -> String {
        let mut bytes = Vec::new();
        for &id in ids {
            if !self.special.contains(&id) {
                if let Some(b) = self.token_bytes.get(id as usize) {
                    bytes.extend_from_slice(b);
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Text of `ids` with special tokens written out (`<|im_end|>`): encode/decode round-trips.
    pub fn decode_with_special(&self, ids: &[u32]) -> String {
        let mut bytes = Vec::new();
        for &id in ids {
            if let Some(b) = self.token_bytes.get(id as usize) {
                let b = b
                    .strip_prefix(&[TokTrie::SPECIAL_TOKEN_MARKER])
                    .unwrap_or(b);
                bytes.extend_from_slice(b);
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The id of a token written exactly as `token` (e.g. `<|im_end|>`).
    pub fn token_id(&self, token: &str) -> Option<u32> {
        self.tokenizer.token_to_id(token)
    }

    pub fn count_tokens(&self, text: &str) -> Result<usize, LlmError> {
        Ok(self.encode(text)?.len())
    }

    /// Renders the model's chat template (minijinja, `add_generation_prompt=true`); falls back to ChatML.
    pub fn chat_prompt(&self, messages: &[ChatMessage]) -> Result<String, LlmError> {
        let t = self.chat_template.as_deref().unwrap_or(CHATML);
        chat::render(t, messages, &self.bos_token, &self.eos_token)
    }

    fn factory(&self) -> Result<&ParserFactory, LlmError> {
        let f = self.factory.get_or_init(|| {
            let mut f = ParserFactory::new_simple(&self.tok_env).map_err(|e| e.to_string())?;
            f.quiet();
            Ok(f)
        });
        f.as_ref().map_err(|e| LlmError::Constraint(e.clone()))
    }

    /// A matcher for `schema` (compact JSON separators unless the schema says otherwise).
    fn matcher(&self, schema: &serde_json::Value) -> Result<Matcher, LlmError> {
        let mut schema = schema.clone();
        match schema.as_object_mut() {
            Some(obj) => {
                obj.entry("x-guidance").or_insert_with(|| {
                    serde_json::json!({"whitespace_flexible": false, "item_separator": ", ", "key_separator": ": "})
                });
            }
            None => {
                if schema.as_bool().is_none() {
                    return Err(LlmError::Schema("the schema must be a JSON object".into()));
                }
            }
        }
        let parser = self
            .factory()?
            .create_parser(TopLevelGrammar::from_json_schema(schema))
            .map_err(|e| LlmError::Schema(e.to_string()))?;
        let m = Matcher::new(Ok(parser));
        if let Some(e) = m.get_error() {
            return Err(LlmError::Schema(e));
        }
        Ok(m)
    }

    /// Checks that `schema` can drive constrained decoding (without generating).
    pub fn check_schema(&self, schema: &serde_json::Value) -> Result<(), LlmError> {
        self.matcher(schema).map(|_| ())
    }

    /// A fresh session, primed with the longest cached prefix of `prompt`. Returns the session
    /// and the number of reused tokens.
    ///
    /// At least [`model::DEQUANTIZE_FROM_ROWS`] prompt tokens are always left to feed, so that
    /// every prompt token goes through the same (dequantized f32, row-independent) matrix
    /// products whether or not a prefix was reused: the same prompt and seed give the same
    /// output on a first and a second call.
    fn start_session(&self, prompt: &[u32], cache: &PrefixCache) -> (model::Session, usize) {
        let mut session = self.weights.new_session();
        if !self.weights.is_native() {
            return (session, 0);
        }
        let mut best: Option<(usize, usize)> = None;
        let mut entries = cache.entries();
        for (i, e) in entries.iter().enumerate() {
            let common = e
                .tokens
                .iter()
                .zip(prompt)
                .take_while(|(a, b)| a == b)
                .count()
                .min(prompt.len().saturating_sub(model::DEQUANTIZE_FROM_ROWS));
            if common > best.map_or(0, |b| b.1) {
                best = Some((i, common));
            }
        }
        let (Some((i, n)), model::Session::Native(c), model::Weights::Native(w)) =
            (best, &mut session, self.weights.as_ref())
        else {
            return (session, 0);
        };
        // Only worth it for a real shared prefix (e.g. a system prompt).
        if n < 16 {
            return (session, 0);
        }
        entries[i].last_used = Instant::now();
        *c = entries[i].cache.prefix(n, w.cache_row());
        (session, n)
    }

    fn remember_prefix(&self, prompt: &[u32], session: &model::Session, cache: &PrefixCache) {
        let (model::Session::Native(c), model::Weights::Native(w)) =
            (session, self.weights.as_ref())
        else {
            return;
        };
        // Bound memory: keep at most PREFIX_ENTRY_BYTES of KV per entry (its first tokens,
        // which is the part later prompts share).
        let per_token = (w.cache_row() * w.cfg.n_layer * 4).max(1);
        let keep = prompt
            .len()
            .min(PREFIX_ENTRY_BYTES / per_token)
            .min(c.len());
        if keep < 16 {
            return;
        }
        let tokens = &prompt[..keep];
        let mut entries = cache.entries();
        if entries.iter().any(|e| e.tokens.starts_with(tokens)) {
            return;
        }
        entries.retain(|e| !tokens.starts_with(&e.tokens));
        if entries.len() >= PREFIX_ENTRIES {
            if let Some(oldest) = entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(i, _)| i)
            {
                entries.remove(oldest);
            }
        }
        entries.push(PrefixEntry {
            tokens: tokens.to_vec(),
            cache: c.prefix(keep, w.cache_row()),
            last_used: Instant::now(),
        });
    }

    /// Picks the next token from `logits` (masked by the grammar when there is one).
    fn choose(
        &self,
        logits: &mut [f32],
        matcher: Option<&mut Matcher>,
        sampler: &mut Option<LogitsProcessor>,
    ) -> Result<u32, LlmError> {
        if let Some(m) = matcher {
            let mask = m
                .compute_mask()
                .map_err(|e| LlmError::Constraint(e.to_string()))?;
            let n = mask.len().min(logits.len());
            for (i, l) in logits.iter_mut().enumerate() {
                if i >= n || !mask.is_allowed(i as u32) {
                    *l = f32::NEG_INFINITY;
                }
            }
            if mask.is_zero() {
                return Err(LlmError::Constraint("the grammar allows no token".into()));
            }
        }
        match sampler {
            None => Ok(argmax(logits)),
            Some(s) => {
                let t = Tensor::from_slice(logits, logits.len(), &Device::Cpu)?;
                Ok(s.sample(&t)?)
            }
        }
    }

    /// Continues `prompt` (already chat-formatted). Concurrent calls share the weights, each
    /// with its own KV cache.
    pub fn generate(
        &self,
        prompt: &str,
        opts: &GenOptions,
        progress: &dyn Fn(GenProgress) -> bool,
    ) -> Result<Generation, LlmError> {
        let ids = self.encode(prompt)?;
        self.generate_ids(&ids, opts, progress)
    }

    /// [`Llm::generate`] from token ids.
    pub fn generate_ids(
        &self,
        prompt: &[u32],
        opts: &GenOptions,
        progress: &dyn Fn(GenProgress) -> bool,
    ) -> Result<Generation, LlmError> {
        self.generate_ids_with(prompt, opts, progress, self.accel(), &self.prefixes)
    }

    /// The speed-ups the model was loaded with.
    fn accel(&self) -> Accel {
        Accel {
            speculative: self.opts.speculative,
            prefix_cache: self.opts.prefix_cache,
        }
    }

    /// [`Llm::generate`] reusing (and remembering) prompt prefixes in `cache` only, not in
    /// the model's own cache.
    pub fn generate_in(
        &self,
        prompt: &str,
        opts: &GenOptions,
        progress: &dyn Fn(GenProgress) -> bool,
        cache: &PrefixCache,
    ) -> Result<Generation, LlmError> {
        let ids = self.encode(prompt)?;
        self.generate_ids_with(&ids, opts, progress, self.accel(), cache)
    }

    /// [`Llm::generate`] with the speed-ups chosen per call (both off = the plain reference
    /// path: one forward pass per token, whole prompt recomputed).
    pub fn generate_with(
        &self,
        prompt: &str,
        opts: &GenOptions,
        progress: &dyn Fn(GenProgress) -> bool,
        accel: Accel,
    ) -> Result<Generation, LlmError> {
        let ids = self.encode(prompt)?;
        self.generate_ids_with(&ids, opts, progress, accel, &self.prefixes)
    }

    fn generate_ids_with(
        &self,
        prompt: &[u32],
        opts: &GenOptions,
        progress: &dyn Fn(GenProgress) -> bool,
        accel: Accel,
        cache: &PrefixCache,
    ) -> Result<Generation, LlmError> {
        let t0 = Instant::now();
        if prompt.is_empty() {
            return Err(LlmError::EmptyPrompt);
        }
        let ctx = self.context_length.min(match self.weights.as_ref() {
            model::Weights::Native(n) => n.max_positions(),
            _ => usize::MAX,
        });
        if prompt.len() >= ctx {
            return Err(LlmError::ContextOverflow {
                prompt_tokens: prompt.len(),
                context: ctx,
            });
        }
        if let Some(t) = opts.threads {
            if t != threads() {
                tracing::debug!(
                    requested = t,
                    used = threads(),
                    "thread count is process-wide"
                );
            }
        }
        let budget = opts.max_tokens.min(ctx - prompt.len());
        let mut matcher = match &opts.json_schema {
            Some(s) => Some(self.matcher(s)?),
            None => None,
        };
        let greedy = opts.temperature <= 0.0;
        let mut sampler = if greedy {
            None
        } else {
            let sampling = match opts.top_p {
                Some(p) if p > 0.0 && p < 1.0 => Sampling::TopP {
                    p,
                    temperature: opts.temperature,
                },
                _ => Sampling::All {
                    temperature: opts.temperature,
                },
            };
            Some(LogitsProcessor::from_sampling(opts.seed, sampling))
        };
        let speculate = greedy && accel.speculative && self.weights.is_native();
        let report = |n: usize| {
            progress(GenProgress {
                prompt_tokens: prompt.len(),
                generated_tokens: n,
                max_tokens: budget,
            })
        };

        // Prompt.
        let (mut session, reused) = if accel.prefix_cache {
            self.start_session(prompt, cache)
        } else {
            (self.weights.new_session(), 0)
        };
        let mut logits = self
            .weights
            .forward(&mut session, &prompt[reused..], 1)?
            .pop()
            .ok_or_else(|| LlmError::Inference("no logits".into()))?;
        if accel.prefix_cache {
            self.remember_prefix(prompt, &session, cache);
        }
        let prompt_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();

        let mut out = Out {
            llm: self,
            ids: Vec::new(),
            bytes: Vec::new(),
            stop: &opts.stop,
        };
        let mut history: Vec<u32> = prompt.to_vec();
        let mut draft_len = 4usize;
        // After a draft is rejected outright, skip drafting for a while (doubling): a verify
        // pass costs more than a plain step, so drafting only pays when drafts are accepted.
        let mut draft_skip = 0usize;
        let mut draft_backoff = 1usize;
        let mut accepted_total = 0usize;
        let mut forced_total = 0usize;
        let mut pending: Option<u32> = None;
        let (finish, complete) = 'gen: {
            if !report(0) {
                break 'gen (Finish::Cancelled, false);
            }
            loop {
                if out.ids.len() >= budget {
                    break 'gen (Finish::Length, false);
                }
                // 1. The token(s) to feed next: grammar-forced tokens, or one chosen token.
                let mut feed: Vec<u32> = Vec::new();
                if pending.is_none() {
                    if let Some(m) = matcher.as_mut() {
                        let mut ff = m.compute_ff_tokens();
                        ff.truncate(budget - out.ids.len());
                        if !ff.is_empty() {
                            m.consume_tokens(&ff)
                                .map_err(|e| LlmError::Constraint(e.to_string()))?;
                            forced_total += ff.len();
                            feed = ff;
                        }
                    }
                }
                if feed.is_empty() {
                    let t = match pending.take() {
                        Some(t) => t,
                        None => self.choose(&mut logits, matcher.as_mut(), &mut sampler)?,
                    };
                    if self.eos.contains(&t) {
                        let ok = match matcher.as_mut() {
                            Some(m) => m.is_accepting().unwrap_or(false),
                            None => true,
                        };
                        break 'gen (Finish::Stop, ok);
                    }
                    if let Some(m) = matcher.as_mut() {
                        m.consume_token(t)
                            .map_err(|e| LlmError::Constraint(e.to_string()))?;
                    }
                    feed.push(t);
                }
                for &t in &feed {
                    if out.push(t) {
                        let ok = match matcher.as_mut() {
                            Some(m) => m.is_accepting().unwrap_or(false),
                            None => true,
                        };
                        break 'gen (Finish::Stop, ok);
                    }
                }
                history.extend_from_slice(&feed);
                if !report(out.ids.len()) {
                    break 'gen (Finish::Cancelled, false);
                }
                if matcher.as_ref().is_some_and(|m| m.is_stopped()) {
                    break 'gen (Finish::Stop, true);
                }
                if out.ids.len() >= budget {
                    break 'gen (Finish::Length, false);
                }
                // 2. Drafts from the prompt (n-gram lookup), verified in the same forward pass.
                let mut drafts = if speculate && draft_skip == 0 {
                    lookup_draft(&history, draft_len.min(budget - out.ids.len() - 1))
                } else {
                    draft_skip = draft_skip.saturating_sub(1);
                    Vec::new()
                };
                drafts.retain(|t| !self.special.contains(t));
                let base = session.len();
                let mut batch = feed.clone();
                batch.extend_from_slice(&drafts);
                let mut rows = self
                    .weights
                    .forward(&mut session, &batch, 1 + drafts.len())?;
                // 3. Accept drafts while they match what we would have chosen.
                let mut accepted = 0usize;
                let mut stop: Option<(Finish, bool)> = None;
                for (i, &d) in drafts.iter().enumerate() {
                    let t = self.choose(&mut rows[i], matcher.as_mut(), &mut sampler)?;
                    if t != d {
                        pending = Some(t);
                        break;
                    }
                    if let Some(m) = matcher.as_mut() {
                        m.consume_token(d)
                            .map_err(|e| LlmError::Constraint(e.to_string()))?;
                    }
                    accepted += 1;
                    history.push(d);
                    if out.push(d) {
                        let ok = match matcher.as_mut() {
                            Some(m) => m.is_accepting().unwrap_or(false),
                            None => true,
                        };
                        stop = Some((Finish::Stop, ok));
                        break;
                    }
                    if !report(out.ids.len()) {
                        stop = Some((Finish::Cancelled, false));
                        break;
                    }
                    if matcher.as_ref().is_some_and(|m| m.is_stopped()) {
                        stop = Some((Finish::Stop, true));
                        break;
                    }
                }
                accepted_total += accepted;
                if !drafts.is_empty() {
                    if accepted == 0 {
                        draft_len = draft_len.saturating_sub(1).max(2);
                        draft_skip = draft_backoff;
                        draft_backoff = (draft_backoff * 2).min(16);
                    } else {
                        draft_backoff = 1;
                        if accepted == drafts.len() {
                            draft_len = (draft_len + 2).min(12);
                        }
                    }
                }
                if let Some(s) = stop {
                    break 'gen s;
                }
                logits = rows.swap_remove(accepted);
                if let (model::Session::Native(c), model::Weights::Native(w)) =
                    (&mut session, self.weights.as_ref())
                {
                    c.truncate(base + feed.len() + accepted, w.cache_row());
                }
            }
        };
        let generated = out.ids.len();
        if let model::Session::Native(c) = &session {
            tracing::debug!(
                kv_bytes = c.bytes(),
                generated,
                accepted_total,
                forced_total,
                "generation done"
            );
        }
        Ok(Generation {
            text: out.text(),
            complete,
            finish,
            prompt_tokens: prompt.len(),
            generated_tokens: generated,
            prompt_seconds,
            generation_seconds: t1.elapsed().as_secs_f64(),
            reused_prompt_tokens: reused,
            draft_tokens_accepted: accepted_total,
            forced_tokens: forced_total,
        })
    }

    /// Measures prompt processing and plain one-token-at-a-time generation speed (no reuse,
    /// no drafts) on a synthetic prompt of `prompt_tokens` tokens.
    pub fn bench(&self, prompt_tokens: usize, gen_tokens: usize) -> Result<BenchResult, LlmError> {
        let text = "The client reported that sleep has improved since the last session, \
                    although work stress remains high and weekends are still difficult. ";
        let unit = self.encode(text)?;
        let mut prompt = Vec::with_capacity(prompt_tokens);
        while prompt.len() < prompt_tokens.max(1) {
            prompt.extend_from_slice(&unit);
        }
        prompt.truncate(prompt_tokens.max(1));
        // Warm-up outside the timings: the first products repack weights for the int8 kernels.
        let mut warm = self.weights.new_session();
        let n = prompt.len().min(32);
        self.weights.forward(&mut warm, &prompt[..n], 1)?;
        self.weights.forward(&mut warm, &prompt[..1], 1)?;
        drop(warm);
        let mut session = self.weights.new_session();
        let t0 = Instant::now();
        let mut logits = self
            .weights
            .forward(&mut session, &prompt, 1)?
            .pop()
            .ok_or_else(|| LlmError::Inference("no logits".into()))?;
        let prompt_seconds = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        for _ in 0..gen_tokens {
            let t = argmax(&logits);
            logits = self
                .weights
                .forward(&mut session, &[t], 1)?
                .pop()
                .ok_or_else(|| LlmError::Inference("no logits".into()))?;
        }
        let gen_seconds = t1.elapsed().as_secs_f64();
        Ok(BenchResult {
            model: self.name.clone(),
            prompt_tokens: prompt.len(),
            gen_tokens,
            prompt_seconds,
            gen_seconds,
            pp_tok_s: prompt.len() as f64 / prompt_seconds.max(1e-9),
            tg_tok_s: gen_tokens as f64 / gen_seconds.max(1e-9),
            threads: threads(),
        })
    }
}

/// Generated tokens and their bytes; watches for stop strings.
struct Out<'a> {
    llm: &'a Llm,
    ids: Vec<u32>,
    bytes: Vec<u8>,
    stop: &'a [String],
}

impl Out<'_> {
    /// Appends a token; true when a stop string now appears (the text is cut before it).
    fn push(&mut self, t: u32) -> bool {
        self.ids.push(t);
        if self.llm.special.contains(&t) {
            return false;
        }
        let before = self.bytes.len();
        if let Some(b) = self.llm.token_bytes.get(t as usize) {
            self.bytes.extend_from_slice(b);
        }
        for s in self.stop {
            let s = s.as_bytes();
            if s.is_empty() {
                continue;
            }
            let from = before.saturating_sub(s.len() - 1);
            if let Some(p) = find(&self.bytes[from..], s) {
                self.bytes.truncate(from + p);
                return true;
            }
        }
        false
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn argmax(v: &[f32]) -> u32 {
    let mut best = 0usize;
    let mut bv = f32::NEG_INFINITY;
    for (i, &x) in v.iter().enumerate() {
        if x > bv {
            bv = x;
            best = i;
        }
    }
    best as u32
}

/// Prompt-lookup drafting: find the latest earlier occurrence of the last 3 (then 2) tokens
/// of `history` and propose the tokens that followed it.
fn lookup_draft(history: &[u32], max: usize) -> Vec<u32> {
    if max == 0 {
        return Vec::new();
    }
    for n in [3usize, 2] {
        if history.len() <= n {
            continue;
        }
        let tail = &history[history.len() - n..];
        let end = history.len() - n;
        // Search backwards for the most recent match that has a continuation.
        let mut i = end;
        while i > 0 {
            i -= 1;
            if history[i..i + n] == *tail {
                let start = i + n;
                let stop = (start + max).min(history.len());
                if start < stop {
                    return history[start..stop].to_vec();
                }
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_lookup_finds_continuation() {
        let h = [1, 2, 3, 4, 5, 6, 9, 2, 3];
        assert_eq!(lookup_draft(&h, 3), vec![4, 5, 6]);
        assert_eq!(lookup_draft(&[1, 2, 3], 3), Vec::<u32>::new());
        let h = [7, 8, 9, 1, 7, 8, 9];
        assert_eq!(lookup_draft(&h, 2), vec![1, 7]);
    }

    #[test]
    fn chatml_fallback_renders() {
        let msgs = [ChatMessage::new("user", "hi")];
        let p = chat::render(CHATML, &msgs, "", "").unwrap();
        assert_eq!(p, "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
    }
}
