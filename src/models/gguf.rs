//! GGUF language models: metadata (architecture, quantization), the tokenizer carried in the
//! metadata turned into a `tokenizers` tokenizer.json, the chat template, and requantizing
//! tensors candle has no fast kernel for (Q4_1, Q5_0, Q5_1) to Q8_0.

use std::collections::HashMap;
use std::io::{BufReader, BufWriter, Seek, Write};
use std::path::Path;

use candle_core::quantized::gguf_file::{self, Content, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::Device;
use serde_json::json;

/// Language-model architectures Noted can run with candle.
pub const SUPPORTED_ARCHS: &[&str] = &["llama", "qwen2", "qwen3", "phi3", "gemma3"];

/// The Qwen2 pre-tokenizer regex (from Qwen2's tokenizer.json).
pub const QWEN2_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
/// Llama 3's pre-tokenizer regex (`llama-bpe`).
pub const LLAMA3_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// Errors reading or rewriting GGUF files.
#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    #[error("{0}: not a GGUF file (it does not start with the GGUF magic)")]
    NotGguf(String),
    #[error("cannot read GGUF: {0}")]
    Read(String),
    #[error("GGUF metadata lacks `{0}`")]
    Missing(String),
    #[error("GGUF metadata `{key}` has the wrong type: {reason}")]
    Type { key: String, reason: String },
    #[error("unsupported tokenizer model `{0}` (supported: gpt2 byte-level BPE, llama SentencePiece BPE)")]
    TokenizerModel(String),
    #[error("the tokenizer built from GGUF metadata does not load: {0}")]
    Tokenizer(String),
    #[error("unsupported language-model architecture `{arch}`; supported: {}", SUPPORTED_ARCHS.join(", "))]
    Arch { arch: String },
    #[error("requantizing tensor `{name}`: {reason}")]
    Requantize { name: String, reason: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn read_err(e: candle_core::Error) -> GgufError {
    GgufError::Read(e.to_string())
}

/// Reads the metadata and tensor index (not the tensor data) of a GGUF file.
pub fn read_content(path: &Path) -> Result<Content, GgufError> {
    let mut f = BufReader::new(std::fs::File::open(path)?);
    let mut magic = [0u8; 4];
    std::io::Read::read_exact(&mut f, &mut magic)
        .map_err(|_| GgufError::NotGguf(path.display().to_string()))?;
    if &magic != b"GGUF" {
        return Err(GgufError::NotGguf(path.display().to_string()));
    }
    f.rewind()?;
    // candle's reader divides by the file's `general.alignment` unchecked (0 panics): a
    // hostile file's panic is contained here and reported as the malformed file it is.
    let c = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Content::read(&mut f)))
        .map_err(|_| GgufError::Read("malformed GGUF header (e.g. an alignment of 0)".into()))?
        .map_err(read_err)?;
    let file_len = f.get_ref().metadata()?.len();
    check_tensors(&c, file_len)?;
    Ok(c)
}

/// Every tensor's shape has an element count that fits in memory arithmetic, and its bytes lie
/// inside the file: the tensor index of a hostile file cannot make a reader multiply past
/// `usize` or allocate what the file does not hold.
fn check_tensors(c: &Content, file_len: u64) -> Result<(), GgufError> {
    for (name, t) in &c.tensor_infos {
        let bad = |reason: String| GgufError::Read(format!("tensor `{name}`: {reason}"));
        let elems = t
            .shape
            .dims()
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d as u64))
            .ok_or_else(|| bad(format!("shape {:?} overflows", t.shape.dims())))?;
        let block = t.ggml_dtype.block_size() as u64;
        if block == 0 || elems % block != 0 {
            return Err(bad(format!(
                "{elems} elements are not whole {} blocks",
                dtype_name(t.ggml_dtype)
            )));
        }
        let bytes = (elems / block)
            .checked_mul(t.ggml_dtype.type_size() as u64)
            .ok_or_else(|| bad("size overflows".into()))?;
        let end = c
            .tensor_data_offset
            .checked_add(t.offset)
            .and_then(|x| x.checked_add(bytes))
            .ok_or_else(|| bad("offset overflows".into()))?;
        if end > file_len {
            return Err(bad(format!(
                "its {bytes} bytes end at {end}, past the end of the {file_len}-byte file"
            )));
        }
    }
    Ok(())
}

fn get<'c>(c: &'c Content, key: &str) -> Result<&'c Value, GgufError> {
    c.metadata
        .get(key)
        .ok_or_else(|| GgufError::Missing(key.to_string()))
}

fn get_str<'c>(c: &'c Content, key: &str) -> Result<&'c str, GgufError> {
    get(c, key)?
        .to_string()
        .map(|s| s.as_str())
        .map_err(|e| GgufError::Type {
            key: key.to_string(),
            reason: e.to_string(),
        })
}

fn opt_str<'c>(c: &'c Content, key: &str) -> Option<&'c str> {
    c.metadata
        .get(key)
        .and_then(|v| v.to_string().ok())
        .map(|s| s.as_str())
}

fn str_array(c: &Content, key: &str) -> Result<Vec<String>, GgufError> {
    let bad = |reason: String| GgufError::Type {
        key: key.to_string(),
        reason,
    };
    get(c, key)?
        .to_vec()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(|v| v.to_string().cloned().map_err(|e| bad(e.to_string())))
        .collect()
}

fn int_array(c: &Content, key: &str) -> Result<Vec<i64>, GgufError> {
    let bad = |reason: String| GgufError::Type {
        key: key.to_string(),
        reason,
    };
    get(c, key)?
        .to_vec()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(|v| value_int(v).ok_or_else(|| bad("not an integer".into())))
        .collect()
}

fn value_int(v: &Value) -> Option<i64> {
    Some(match v {
        Value::U8(x) => *x as i64,
        Value::I8(x) => *x as i64,
        Value::U16(x) => *x as i64,
        Value::I16(x) => *x as i64,
        Value::U32(x) => *x as i64,
        Value::I32(x) => *x as i64,
        Value::U64(x) => *x as i64,
        Value::I64(x) => *x,
        _ => return None,
    })
}

/// What `models add`/`list` report about a GGUF file.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufInfo {
    pub arch: String,
    pub name: Option<String>,
    /// The type holding most weights, e.g. "q4_k", "q8_0".
    pub quantization: String,
    /// Tensor count per type, e.g. [("q8_0", 120), ("f32", 61)].
    pub tensor_types: Vec<(String, usize)>,
    pub n_params: u64,
    pub context_length: Option<u64>,
    pub has_chat_template: bool,
}

/// Lower-case name of a ggml type.
pub fn dtype_name(t: GgmlDType) -> String {
    format!("{t:?}").to_ascii_lowercase().replace('k', "_k")
}

/// Summarizes a GGUF file's metadata.
pub fn info(c: &Content) -> Result<GgufInfo, GgufError> {
    let arch = get_str(c, "general.architecture")?.to_string();
    let mut counts: HashMap<String, (usize, u64)> = HashMap::new();
    let mut n_params = 0u64;
    for t in c.tensor_infos.values() {
        let n = t.shape.elem_count() as u64;
        n_params += n;
        let e = counts.entry(dtype_name(t.ggml_dtype)).or_default();
        e.0 += 1;
        e.1 += n;
    }
    let mut tensor_types: Vec<(String, usize, u64)> =
        counts.into_iter().map(|(k, (n, e))| (k, n, e)).collect();
    tensor_types.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let quantization = tensor_types
        .first()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    Ok(GgufInfo {
        context_length: c
            .metadata
            .get(&format!("{arch}.context_length"))
            .and_then(value_int)
            .map(|x| x as u64),
        name: opt_str(c, "general.name").map(str::to_string),
        arch,
        quantization,
        tensor_types: tensor_types.into_iter().map(|(k, n, _)| (k, n)).collect(),
        n_params,
        has_chat_template: c.metadata.contains_key("tokenizer.chat_template"),
    })
}

/// Fails unless the architecture is one Noted can run.
pub fn check_arch(arch: &str) -> Result<(), GgufError> {
    if SUPPORTED_ARCHS.contains(&arch) {
        Ok(())
    } else {
        Err(GgufError::Arch {
            arch: arch.to_string(),
        })
    }
}

/// The chat template (Jinja source), if the file carries one.
pub fn chat_template(c: &Content) -> Option<String> {
    opt_str(c, "tokenizer.chat_template").map(str::to_string)
}

/// Builds a tokenizer.json (as JSON) from the GGUF tokenizer metadata: byte-level BPE
/// (`tokenizer.ggml.model = gpt2`) with the pre-tokenizer `tokenizer.ggml.pre` names
/// (`qwen2`: the Qwen2 regex split then ByteLevel without regex; `smollm`: single digits then
/// ByteLevel with the GPT-2 regex; `llama-bpe`: the Llama 3 regex; others: GPT-2 ByteLevel),
/// control (3) and user-defined (4) tokens as special added tokens.
pub fn tokenizer_json(c: &Content) -> Result<serde_json::Value, GgufError> {
    let model = get_str(c, "tokenizer.ggml.model")?;
    if model == "llama" {
        return spm_tokenizer_json(c);
    }
    if model != "gpt2" {
        return Err(GgufError::TokenizerModel(model.to_string()));
    }
    let pre = opt_str(c, "tokenizer.ggml.pre").unwrap_or("default");
    let tokens = str_array(c, "tokenizer.ggml.tokens")?;
    let types = int_array(c, "tokenizer.ggml.token_type")?;
    let merges = str_array(c, "tokenizer.ggml.merges")?;
    if types.len() != tokens.len() {
        return Err(GgufError::Type {
            key: "tokenizer.ggml.token_type".into(),
            reason: format!("{} types for {} tokens", types.len(), tokens.len()),
        });
    }
    let added: Vec<serde_json::Value> = tokens
        .iter()
        .zip(&types)
        .enumerate()
        .filter(|(_, (_, ty))| matches!(**ty, 3 | 4))
        .map(|(i, (t, _))| {
            json!({"id": i, "content": t, "single_word": false, "lstrip": false, "rstrip": false,
                   "normalized": false, "special": true})
        })
        .collect();
    let byte_level = |use_regex: bool, trim: bool| json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": trim, "use_regex": use_regex});
    let split = |re: &str| json!({"type": "Split", "pattern": {"Regex": re}, "behavior": "Isolated", "invert": false});
    let pre_tok = match pre {
        "qwen2" => {
            json!({"type": "Sequence", "pretokenizers": [split(QWEN2_REGEX), byte_level(false, false)]})
        }
        "llama-bpe" | "llama3" => {
            json!({"type": "Sequence", "pretokenizers": [split(LLAMA3_REGEX), byte_level(false, false)]})
        }
        "smollm" => json!({"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": true}, byte_level(true, true)]}),
        _ => byte_level(true, true),
    };
    let mut vocab = serde_json::Map::new();
    for (i, t) in tokens.iter().enumerate() {
        vocab.insert(t.clone(), json!(i));
    }
    Ok(json!({
        "version": "1.0", "truncation": null, "padding": null,
        "added_tokens": added,
        "normalizer": null,
        "pre_tokenizer": pre_tok,
        "post_processor": byte_level(false, false),
        "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
        "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                  "vocab": vocab, "merges": merges},
    }))
}

fn float_array(c: &Content, key: &str) -> Result<Vec<f32>, GgufError> {
    let bad = |reason: String| GgufError::Type {
        key: key.to_string(),
        reason,
    };
    get(c, key)?
        .to_vec()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(|v| match v {
            Value::F32(x) => Ok(*x),
            Value::F64(x) => Ok(*x as f32),
            other => value_int(other)
                .map(|x| x as f32)
                .ok_or_else(|| bad("not a number".into())),
        })
        .collect()
}

/// SentencePiece BPE (`tokenizer.ggml.model = llama`: Llama 2, Phi-3, Gemma) as a `tokenizers`
/// BPE with byte fallback, the way Hugging Face converts SentencePiece models: merges are every
/// split of a piece into two pieces of the vocabulary, ranked by the merged piece's score.
fn spm_tokenizer_json(c: &Content) -> Result<serde_json::Value, GgufError> {
    let tokens = str_array(c, "tokenizer.ggml.tokens")?;
    let scores = float_array(c, "tokenizer.ggml.scores")?;
    let types = int_array(c, "tokenizer.ggml.token_type")?;
    if types.len() != tokens.len() || scores.len() != tokens.len() {
        return Err(GgufError::Type {
            key: "tokenizer.ggml.token_type".into(),
            reason: format!(
                "{} types and {} scores for {} tokens",
                types.len(),
                scores.len(),
                tokens.len()
            ),
        });
    }
    let add_prefix = c
        .metadata
        .get("tokenizer.ggml.add_space_prefix")
        .and_then(|v| v.to_bool().ok())
        .unwrap_or(true);
    let index: HashMap<&str, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    // merges, from normal tokens only (types 1), ordered by score (desc), then by ids
    let mut merges: Vec<(f32, usize, usize, &str, &str)> = Vec::new();
    for (id, t) in tokens.iter().enumerate() {
        if types[id] != 1 {
            continue;
        }
        for (cut, _) in t.char_indices().skip(1) {
            let (l, r) = t.split_at(cut);
            if let (Some(&li), Some(&ri)) = (index.get(l), index.get(r)) {
                merges.push((scores[id], li, ri, l, r));
            }
        }
    }
    merges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let merges: Vec<[&str; 2]> = merges.iter().map(|m| [m.3, m.4]).collect();
    let unk = types
        .iter()
        .position(|&t| t == 2)
        .map(|i| tokens[i].clone());
    let added: Vec<serde_json::Value> = tokens
        .iter()
        .zip(&types)
        .enumerate()
        .filter(|(_, (_, ty))| matches!(**ty, 2..=4))
        .map(|(i, (t, _))| {
            json!({"id": i, "content": t, "single_word": false, "lstrip": false, "rstrip": false,
                   "normalized": false, "special": true})
        })
        .collect();
    let mut vocab = serde_json::Map::new();
    for (i, t) in tokens.iter().enumerate() {
        vocab.insert(t.clone(), json!(i));
    }
    let replace = json!({"type": "Replace", "pattern": {"String": " "}, "content": "\u{2581}"});
    let normalizer = if add_prefix {
        json!({"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u{2581}"}, replace]})
    } else {
        replace
    };
    let mut decoders = vec![
        json!({"type": "Replace", "pattern": {"String": "\u{2581}"}, "content": " "}),
        json!({"type": "ByteFallback"}),
        json!({"type": "Fuse"}),
    ];
    if add_prefix {
        decoders.push(json!({"type": "Strip", "content": " ", "start": 1, "stop": 0}));
    }
    Ok(json!({
        "version": "1.0", "truncation": null, "padding": null,
        "added_tokens": added,
        "normalizer": normalizer,
        "pre_tokenizer": null,
        "post_processor": null,
        "decoder": {"type": "Sequence", "decoders": decoders},
        "model": {"type": "BPE", "dropout": null, "unk_token": unk, "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": true, "byte_fallback": true, "ignore_merges": false,
                  "vocab": vocab, "merges": merges},
    }))
}

/// Builds the tokenizer and checks it loads; returns the tokenizer.json bytes.
pub fn tokenizer_json_bytes(c: &Content) -> Result<Vec<u8>, GgufError> {
    let v = tokenizer_json(c)?;
    let bytes = serde_json::to_vec(&v).expect("json serializes");
    tokenizers::Tokenizer::from_bytes(&bytes).map_err(|e| GgufError::Tokenizer(e.to_string()))?;
    Ok(bytes)
}

/// Types candle has no fast matmul kernel for.
pub fn slow_type(t: GgmlDType) -> bool {
    matches!(t, GgmlDType::Q4_1 | GgmlDType::Q5_0 | GgmlDType::Q5_1)
}

/// How many tensors have a type candle has no fast kernel for.
pub fn count_slow(c: &Content) -> usize {
    c.tensor_infos
        .values()
        .filter(|t| slow_type(t.ggml_dtype))
        .count()
}

/// Rewrites a GGUF file with every Q4_1/Q5_0/Q5_1 tensor requantized to Q8_0, keeping all
/// metadata. Output is deterministic: metadata sorted by key, tensors in file order.
/// Returns the number of tensors requantized. `progress(done, total)` counts tensors.
pub fn requantize_q8_0(
    src: &Path,
    dst: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<usize, GgufError> {
    let content = read_content(src)?;
    let mut reader = BufReader::new(std::fs::File::open(src)?);
    let mut names: Vec<(&String, u64)> = content
        .tensor_infos
        .iter()
        .map(|(k, t)| (k, t.offset))
        .collect();
    names.sort_by_key(|(k, off)| (*off, (*k).clone()));
    let total = names.len() as u64;
    let mut tensors: Vec<(String, QTensor)> = Vec::with_capacity(names.len());
    let mut changed = 0;
    for (i, (name, _)) in names.iter().enumerate() {
        let rq = |e: candle_core::Error| GgufError::Requantize {
            name: name.to_string(),
            reason: e.to_string(),
        };
        let t = content
            .tensor(&mut reader, name, &Device::Cpu)
            .map_err(rq)?;
        let t = if slow_type(t.dtype()) && t.shape().dims().last().is_some_and(|d| d % 32 == 0) {
            changed += 1;
            let f = t.dequantize(&Device::Cpu).map_err(rq)?;
            QTensor::quantize(&f, GgmlDType::Q8_0).map_err(rq)?
        } else {
            t
        };
        tensors.push((name.to_string(), t));
        progress(i as u64 + 1, total);
    }
    let mut keys: Vec<&String> = content
        .metadata
        .keys()
        .filter(|k| *k != "general.alignment")
        .collect();
    keys.sort();
    let metadata: Vec<(&str, &Value)> = keys
        .iter()
        .map(|k| (k.as_str(), &content.metadata[*k]))
        .collect();
    let tensor_refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let f = std::fs::File::create(dst)?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    gguf_file::write(&mut w, &metadata, &tensor_refs)
        .map_err(|e| GgufError::Read(e.to_string()))?;
    w.flush()?;
    let f = w.into_inner().map_err(|e| e.into_error())?;
    f.sync_all()?;
    Ok(changed)
}
