//! `models add` and `models verify`: registering a model file the user already has (format
//! sniffed from magic bytes, metadata read from the file) and re-checking installed models.
//!
//! An added file is hard-linked into `<models_dir>/<name>/` when it is on the same filesystem
//! (no extra space; deleting the original later keeps the model), else copied. Either way it is
//! staged under a hidden name and renamed into place, like catalog installs.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::gguf::{self, GgufError};
use super::install::{self, InstallError};
use super::registry::{self, InstalledModel, Manifest, ModelError, Role};
use super::whisper_ggml::GGML_MAGIC;

/// Model file formats Noted recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// whisper.cpp GGML model.
    GgmlWhisper,
    /// GGUF (language models).
    Gguf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::GgmlWhisper => "ggml-whisper",
            Format::Gguf => "gguf",
        }
    }
}

/// Errors adding or verifying models.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{path}: not a supported model file (supported: whisper.cpp GGML speech models, GGUF language models of architecture {archs})", archs = gguf::SUPPORTED_ARCHS.join(", "))]
    UnknownFormat { path: String },
    #[error("{path}: damaged whisper GGML header: {reason}")]
    BadGgml { path: String, reason: String },
    #[error("{path}: {source}")]
    Gguf {
        path: String,
        #[source]
        source: GgufError,
    },
    #[error("a {format} file cannot have role {role}")]
    RoleMismatch { format: &'static str, role: Role },
    #[error(
        "a model named `{0}` is already installed: pick another with --name, or remove it first with `noted models remove {0}`"
    )]
    Exists(String),
    #[error("{name}: sha256 is {actual}, the manifest says {expected}: the file changed or is damaged; reinstall it")]
    HashMismatch {
        name: String,
        expected: String,
        actual: String,
    },
    #[error("{name}: does not load: {reason}")]
    Load { name: String, reason: String },
    #[error("downloading {url}: {reason}")]
    Download { url: String, reason: String },
    #[error(transparent)]
    Install(#[from] InstallError),
    #[error(transparent)]
    Registry(#[from] ModelError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AddError + '_ {
    move |source| AddError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Sniffs the format from the first bytes.
pub fn sniff(path: &Path) -> Result<Format, AddError> {
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let unknown = || AddError::UnknownFormat {
        path: path.display().to_string(),
    };
    f.read_exact(&mut magic).map_err(|_| unknown())?;
    if &magic == b"GGUF" {
        Ok(Format::Gguf)
    } else if u32::from_le_bytes(magic) == GGML_MAGIC {
        Ok(Format::GgmlWhisper)
    } else {
        Err(unknown())
    }
}

/// The header of a whisper.cpp GGML model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GgmlHeader {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl GgmlHeader {
    /// Weight type name from ftype (modulo ggml's quantization version).
    pub fn quantization(&self) -> String {
        match self.ftype % 1000 {
            0 => "f32",
            1 => "f16",
            2 => "q4_0",
            3 => "q4_1",
            7 => "q8_0",
            8 => "q5_0",
            9 => "q5_1",
            10 => "q2_k",
            11 => "q3_k",
            12 => "q4_k",
            13 => "q5_k",
            14 => "q6_k",
            _ => "unknown",
        }
        .to_string()
    }

    /// whisper size name from the number of layers (tiny, base, small, medium, large).
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "unknown",
        }
    }
}

/// Reads and sanity-checks a GGML whisper header.
pub fn read_ggml_header(path: &Path) -> Result<GgmlHeader, AddError> {
    let mut b = [0u8; 48];
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let bad = |reason: &str| AddError::BadGgml {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    f.read_exact(&mut b).map_err(|_| bad("file too short"))?;
    let v: Vec<i32> = b
        .chunks(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if v[0] as u32 != GGML_MAGIC {
        return Err(bad("wrong magic"));
    }
    let h = GgmlHeader {
        n_vocab: v[1],
        n_audio_ctx: v[2],
        n_audio_state: v[3],
        n_audio_head: v[4],
        n_audio_layer: v[5],
        n_text_ctx: v[6],
        n_text_state: v[7],
        n_text_head: v[8],
        n_text_layer: v[9],
        n_mels: v[10],
        ftype: v[11],
    };
    if v[1..11].iter().any(|&x| x <= 0 || x > 1_000_000) {
        return Err(bad("implausible hyper-parameters"));
    }
    if h.quantization() == "unknown" {
        return Err(bad(&format!("unknown ftype {}", h.ftype)));
    }
    Ok(h)
}

/// A default model name from a file name: lower-case, unsafe characters replaced.
pub fn name_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let mut n: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while n.starts_with('.') || n.starts_with('-') {
        n.remove(0);
    }
    n.truncate(100);
    if n.is_empty() {
        "model".into()
    } else {
        n
    }
}

/// Registers a model file as `<models_dir>/<name>`. Nothing is written to the models
/// directory unless every check passes.
pub fn add(
    models_dir: &Path,
    file: &Path,
    name: Option<&str>,
    role: Option<Role>,
) -> Result<InstalledModel, AddError> {
    let format = sniff(file)?;
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| name_from_path(file));
    registry::check_name(&name)?;
    if models_dir.join(&name).exists() {
        return Err(AddError::Exists(name));
    }
    let gguf_err = |source: GgufError| AddError::Gguf {
        path: file.display().to_string(),
        source,
    };
    let mut manifest = Manifest {
        name: name.clone(),
        role: Role::Asr,
        format: format.as_str().into(),
        file: String::new(),
        sha256: String::new(),
        size: 0,
        arch: None,
        quantization: None,
        tokenizer: None,
        chat_template: None,
        multilingual: None,
        license: None,
        source: "added".into(),
        origin: vec![file.display().to_string()],
        installed_at: registry::now_secs(),
    };
    let mut extra: Vec<(&str, Vec<u8>)> = Vec::new();
    match format {
        Format::GgmlWhisper => {
            let role = role.unwrap_or(Role::Asr);
            if role != Role::Asr {
                return Err(AddError::RoleMismatch {
                    format: "whisper GGML",
                    role,
                });
            }
            let h = read_ggml_header(file)?;
            manifest.role = role;
            manifest.file = "ggml-model.bin".into();
            manifest.arch = Some("whisper".into());
            manifest.quantization = Some(h.quantization());
            manifest.multilingual = Some(h.n_vocab >= 51865);
        }
        Format::Gguf => {
            let content = gguf::read_content(file).map_err(gguf_err)?;
            let info = gguf::info(&content).map_err(gguf_err)?;
            let role = role.unwrap_or(Role::Llm);
            if role == Role::Asr {
                return Err(AddError::RoleMismatch {
                    format: "GGUF",
                    role,
                });
            }
            if role == Role::Llm {
                gguf::check_arch(&info.arch).map_err(gguf_err)?;
                extra.push((
                    "tokenizer.json",
                    gguf::tokenizer_json_bytes(&content).map_err(gguf_err)?,
                ));
                manifest.tokenizer = Some("tokenizer.json".into());
                if let Some(t) = gguf::chat_template(&content) {
                    extra.push(("chat_template.jinja", t.into_bytes()));
                    manifest.chat_template = Some("chat_template.jinja".into());
                }
            }
            manifest.role = role;
            manifest.file = "model.gguf".into();
            manifest.arch = Some(info.arch);
            manifest.quantization = Some(info.quantization);
        }
    }

    std::fs::create_dir_all(models_dir).map_err(io(models_dir))?;
    let staging = models_dir.join(format!(".add-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let result = (|| -> Result<(), AddError> {
        let main = staging.join(&manifest.file);
        if std::fs::hard_link(file, &main).is_err() {
            std::fs::copy(file, &main).map_err(io(&main))?;
            std::fs::File::open(&main)
                .and_then(|f| f.sync_all())
                .map_err(io(&main))?;
        }
        for (fname, bytes) in &extra {
            registry::write_atomic(&staging.join(fname), bytes)?;
        }
        manifest.sha256 = install::sha256_file(&main, &mut |_, _| true)?;
        manifest.size = std::fs::metadata(&main).map_err(io(&main))?.len();
        registry::write_manifest(&staging, &manifest)?;
        let dest = models_dir.join(&name);
        std::fs::rename(&staging, &dest).map_err(io(&dest))?;
        registry::sync_dir(models_dir);
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(registry::find(models_dir, &name)?)
}

/// What `verify` found for one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub name: String,
    pub sha256: String,
    pub detail: String,
}

/// Re-hashes a model's main file and tries loading it (whisper-rs for GGML; the GGUF index and
/// its tokenizer for GGUF; an embedding model encodes a test sentence).
pub fn verify(m: &InstalledModel) -> Result<Verified, AddError> {
    let actual = install::sha256_file(&m.path, &mut |_, _| true)?;
    if actual != m.sha256 {
        return Err(AddError::HashMismatch {
            name: m.name.clone(),
            expected: m.sha256.clone(),
            actual,
        });
    }
    let load = |reason: String| AddError::Load {
        name: m.name.clone(),
        reason,
    };
    let detail = match m.format.as_str() {
        "ggml-whisper" => {
            let h = read_ggml_header(&m.path)?;
            whisper_rs::install_logging_hooks();
            let path = m
                .path
                .to_str()
                .ok_or_else(|| load("path is not UTF-8".into()))?;
            whisper_rs::WhisperContext::new_with_params(
                path,
                whisper_rs::WhisperContextParameters::default(),
            )
            .map_err(|e| load(format!("whisper.cpp refused it: {e}")))?;
            format!("whisper {} ({}), loads", h.size_name(), h.quantization())
        }
        "gguf" => {
            let c = gguf::read_content(&m.path).map_err(|e| load(e.to_string()))?;
            let info = gguf::info(&c).map_err(|e| load(e.to_string()))?;
            let end = c
                .tensor_infos
                .values()
                .map(|t| {
                    t.offset
                        + (t.shape.elem_count() / t.ggml_dtype.block_size()
                            * t.ggml_dtype.type_size()) as u64
                })
                .max()
                .unwrap_or(0);
            if c.tensor_data_offset + end > m.size {
                return Err(load(format!(
                    "tensor data needs {} bytes, the file has {}",
                    c.tensor_data_offset + end,
                    m.size
                )));
            }
            let mut detail = format!(
                "{} {} ({} tensors), index ok",
                info.arch,
                info.quantization,
                c.tensor_infos.len()
            );
            if let Some(tp) = &m.tokenizer {
                let t = tokenizers::Tokenizer::from_file(tp)
                    .map_err(|e| load(format!("tokenizer: {e}")))?;
                let probe = "Hello, 12 tests!\nSecond line: café.";
                let ids = t
                    .encode(probe, false)
                    .map_err(|e| load(format!("tokenizer: {e}")))?;
                let back = t
                    .decode(ids.get_ids(), false)
                    .map_err(|e| load(format!("tokenizer: {e}")))?;
                if back != probe {
                    return Err(load("tokenizer does not round-trip text".into()));
                }
                detail.push_str(&format!(
                    ", tokenizer ok ({} tokens)",
                    t.get_vocab_size(true)
                ));
            }
            detail
        }
        "safetensors" if m.role == Role::Embedding => {
            let enc =
                crate::embed::SentenceEncoder::load(&m.dir).map_err(|e| load(e.to_string()))?;
            let v = enc
                .encode(&["The client slept better this week."])
                .map_err(|e| load(e.to_string()))?;
            let norm = v
                .first()
                .map(|x| x.iter().map(|f| f * f).sum::<f32>().sqrt())
                .unwrap_or(0.0);
            if v.len() != 1 || v[0].len() != enc.dim() || (norm - 1.0).abs() > 1e-3 {
                return Err(load(format!(
                    "a test sentence gave {} vectors of {} values, norm {norm}",
                    v.len(),
                    v.first().map(Vec::len).unwrap_or(0)
                )));
            }
            format!(
                "{} {}-dim sentence embeddings, loads and encodes",
                m.arch.as_deref().unwrap_or("bert"),
                enc.dim()
            )
        }
        other => format!("format {other}: hash only"),
    };
    Ok(Verified {
        name: m.name.clone(),
        sha256: actual,
        detail,
    })
}

/// A temporary directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `<parent>/.tmp-<pid>-<nanos>`.
    pub fn new(parent: &Path) -> Result<TempDir, AddError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p = parent.join(format!(".tmp-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).map_err(io(&p))?;
        Ok(TempDir(p))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Downloads an http(s) URL into `dir`, returning the file path (named after the URL's last
/// path segment). Only `noted models add --allow-download` calls this.
pub fn download(url: &str, dir: &Path) -> Result<PathBuf, AddError> {
    let last = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("model");
    let path = dir.join(name_from_path(Path::new(last)) + extension(last));
    let err = |reason: String| AddError::Download {
        url: url.to_string(),
        reason,
    };
    let resp = ureq::get(url).call().map_err(|e| err(e.to_string()))?;
    let (_, body) = resp.into_parts();
    let mut reader = body.into_reader();
    let mut f = std::fs::File::create(&path).map_err(io(&path))?;
    std::io::copy(&mut reader, &mut f).map_err(|e| err(e.to_string()))?;
    f.sync_all().map_err(io(&path))?;
    Ok(path)
}

fn extension(name: &str) -> &str {
    if name.to_ascii_lowercase().ends_with(".gguf") {
        ".gguf"
    } else {
        ".bin"
    }
}
