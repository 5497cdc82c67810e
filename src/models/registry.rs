//! The installed set of models: `<models_dir>/<name>/manifest.json` per model and
//! `<models_dir>/active.json` naming the active model of each role. Other modules read models
//! only through this file.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a model is used for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Speech recognition (whisper, GGML).
    Asr,
    /// Language model drafting notes (GGUF).
    Llm,
    /// Sentence embeddings.
    Embedding,
}

impl Role {
    /// The key used in manifests, `active.json` and catalogs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Asr => "asr",
            Role::Llm => "llm",
            Role::Embedding => "embedding",
        }
    }

    /// Words for messages ("speech model", "language model", ...).
    pub fn describe(self) -> &'static str {
        match self {
            Role::Asr => "speech model",
            Role::Llm => "language model",
            Role::Embedding => "embedding model",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "asr" => Ok(Role::Asr),
            "llm" => Ok(Role::Llm),
            "embedding" => Ok(Role::Embedding),
            other => Err(ModelError::BadRole(other.to_string())),
        }
    }
}

/// A model installed in a models directory, as its manifest describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstalledModel {
    pub name: String,
    pub role: Role,
    /// "ggml-whisper" | "gguf" | "safetensors"
    pub format: String,
    pub dir: PathBuf,
    /// The main model file.
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    pub arch: Option<String>,
    pub quantization: Option<String>,
    /// tokenizer.json beside a GGUF.
    pub tokenizer: Option<PathBuf>,
    /// The chat template (Jinja source) of a language model.
    pub chat_template: Option<String>,
}

/// Errors finding or reading installed models.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no {} installed in {}: run `{}`", role.describe(), dir.display(), install_hint(*role))]
    NotInstalled { role: Role, dir: PathBuf },
    #[error(
        "the active {} `{name}` is not installed in {}: run `noted models install {name}` or pick another with `noted models use NAME` (see `noted models list`)",
        role.describe(), dir.display()
    )]
    ActiveMissing {
        role: Role,
        name: String,
        dir: PathBuf,
    },
    #[error(
        "model `{name}` is not installed in {}: run `noted models install {name}` (catalog models) or `noted models add FILE --name {name}`; installed: {}",
        dir.display(), if installed.is_empty() { "none".to_string() } else { installed.join(", ") }
    )]
    NotFound {
        name: String,
        dir: PathBuf,
        installed: Vec<String>,
    },
    #[error("model `{name}` is a {actual} model, not a {wanted}")]
    WrongRole {
        name: String,
        actual: Role,
        wanted: Role,
    },
    #[error("manifest {} is invalid: {reason}; reinstall the model (`noted models install` or `noted models add`)", path.display())]
    BadManifest { path: PathBuf, reason: String },
    #[error("{} is invalid: {reason}; fix it or pick models again with `noted models use NAME`", path.display())]
    BadActive { path: PathBuf, reason: String },
    #[error("unknown role `{0}` (expected asr, llm or embedding)")]
    BadRole(String),
    #[error("{} describes a model of role `{role}`, which this version of Noted does not use (a newer version installed it)", path.display())]
    UnknownRoleModel { path: PathBuf, role: String },
    #[error("invalid model name `{0}`: use letters, digits, '.', '_' and '-' only")]
    BadName(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn install_hint(role: Role) -> &'static str {
    match role {
        Role::Asr | Role::Llm => {
            "noted models install --tier test` (small, fast) or `noted models install --tier default"
        }
        Role::Embedding => {
            "noted models install all-minilm-l6-v2` (every tier includes it, e.g. `noted models install --tier test"
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `manifest.json`: what is installed in one model directory. Paths are relative to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub name: String,
    pub role: Role,
    pub format: String,
    /// Main model file, relative to the model directory.
    pub file: String,
    pub sha256: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantization: Option<String>,
    /// tokenizer.json, relative to the model directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokenizer: Option<String>,
    /// Chat template file (Jinja), relative to the model directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_template: Option<String>,
    /// Whisper: whether the model is multilingual (then set the language, e.g. "en").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multilingual: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// "catalog" (installed by `models install`) or "added" (by `models add`).
    #[serde(default)]
    pub source: String,
    /// Where it came from: pip packages `name==version`, or the added file's path/URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origin: Vec<String>,
    /// Seconds since the Unix epoch.
    #[serde(default)]
    pub installed_at: u64,
}

/// The manifest file name inside a model directory.
pub const MANIFEST: &str = "manifest.json";
/// The file naming the active model of each role.
pub const ACTIVE: &str = "active.json";

/// Checks a model name is safe as a directory name.
pub fn check_name(name: &str) -> Result<(), ModelError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ModelError::BadName(name.to_string()))
    }
}

/// Reads `<dir>/manifest.json`. A model of a role this version does not know (installed by a
/// newer Noted sharing the models directory) is [`ModelError::UnknownRoleModel`].
pub fn read_manifest(dir: &Path) -> Result<Manifest, ModelError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
    let bad = |e: serde_json::Error| ModelError::BadManifest {
        path: path.clone(),
        reason: e.to_string(),
    };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
    if let Some(role) = v.get("role").and_then(|r| r.as_str()) {
        if role.parse::<Role>().is_err() {
            return Err(ModelError::UnknownRoleModel {
                path,
                role: role.to_string(),
            });
        }
    }
    serde_json::from_value(v).map_err(bad)
}

/// Writes `<dir>/manifest.json` atomically.
pub fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), ModelError> {
    let text = serde_json::to_string_pretty(m).expect("manifest serializes");
    write_atomic(&dir.join(MANIFEST), text.as_bytes())
}

/// Writes a small file atomically: temporary name, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        ModelError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    })
}

/// Best-effort fsync of a directory so a rename inside it survives a crash.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn from_manifest(dir: &Path, m: Manifest) -> Result<InstalledModel, ModelError> {
    let bad = |reason: String| ModelError::BadManifest {
        path: dir.join(MANIFEST),
        reason,
    };
    for rel in std::iter::once(&m.file)
        .chain(m.tokenizer.iter())
        .chain(m.chat_template.iter())
    {
        if Path::new(rel).is_absolute() || rel.contains("..") {
            return Err(bad(format!(
                "path `{rel}` must be relative to the model directory"
            )));
        }
    }
    let chat_template = match &m.chat_template {
        Some(rel) => {
            let p = dir.join(rel);
            Some(std::fs::read_to_string(&p).map_err(io_err(&p))?)
        }
        None => None,
    };
    Ok(InstalledModel {
        name: m.name.clone(),
        role: m.role,
        format: m.format.clone(),
        dir: dir.to_path_buf(),
        path: dir.join(&m.file),
        sha256: m.sha256.clone(),
        size: m.size,
        arch: m.arch.clone(),
        quantization: m.quantization.clone(),
        tokenizer: m.tokenizer.as_ref().map(|t| dir.join(t)),
        chat_template,
    })
}

/// Loads the model installed in `<models_dir>/<name>`, if any (None when the directory or its
/// manifest does not exist).
fn load(models_dir: &Path, name: &str) -> Result<Option<InstalledModel>, ModelError> {
    let dir = models_dir.join(name);
    if !dir.join(MANIFEST).is_file() {
        return Ok(None);
    }
    let m = read_manifest(&dir)?;
    if m.name != name {
        return Err(ModelError::BadManifest {
            path: dir.join(MANIFEST),
            reason: format!("names model `{}` but lives in directory `{name}`", m.name),
        });
    }
    from_manifest(&dir, m).map(Some)
}

/// Every installed model, sorted by name. Directories without a manifest (e.g. interrupted
/// installs, which use hidden temporary names) and models of roles this version does not know
/// are ignored.
pub fn list(models_dir: &Path) -> Result<Vec<InstalledModel>, ModelError> {
    let rd = match std::fs::read_dir(models_dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_err(models_dir)(e)),
    };
    let mut names = Vec::new();
    for entry in rd {
        let entry = entry.map_err(io_err(models_dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        names.push(name);
    }
    names.sort();
    let mut out = Vec::new();
    for name in names {
        match load(models_dir, &name) {
            Ok(Some(m)) => out.push(m),
            Ok(None) => {}
            Err(e @ ModelError::UnknownRoleModel { .. }) => {
                tracing::debug!("skipping model `{name}`: {e}")
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// A model by name (for --model NAME).
pub fn find(models_dir: &Path, name: &str) -> Result<InstalledModel, ModelError> {
    if check_name(name).is_ok() {
        if let Some(m) = load(models_dir, name)? {
            return Ok(m);
        }
    }
    let installed = list(models_dir)
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.name)
        .collect();
    Err(ModelError::NotFound {
        name: name.to_string(),
        dir: models_dir.to_path_buf(),
        installed,
    })
}

/// A model by name that must have the given role.
pub fn find_role(models_dir: &Path, name: &str, role: Role) -> Result<InstalledModel, ModelError> {
    let m = find(models_dir, name)?;
    if m.role != role {
        return Err(ModelError::WrongRole {
            name: m.name,
            actual: m.role,
            wanted: role,
        });
    }
    Ok(m)
}

/// Reads `active.json` ({"asr": name, "llm": name, ...}); missing file = nothing selected.
/// Roles this version does not know (written by a newer Noted) are left out.
pub fn read_active(models_dir: &Path) -> Result<BTreeMap<Role, String>, ModelError> {
    Ok(read_active_raw(models_dir)?
        .into_iter()
        .filter_map(|(role, name)| Some((role.parse::<Role>().ok()?, name)))
        .collect())
}

/// `active.json` with every key, known roles or not (rewritten with the unknown ones kept).
fn read_active_raw(models_dir: &Path) -> Result<BTreeMap<String, String>, ModelError> {
    let path = models_dir.join(ACTIVE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_err(&path)(e)),
    };
    serde_json::from_str(&text).map_err(|e| ModelError::BadActive {
        path,
        reason: e.to_string(),
    })
}

fn write_active(models_dir: &Path, active: &BTreeMap<String, String>) -> Result<(), ModelError> {
    let text = serde_json::to_string_pretty(active).expect("active map serializes");
    write_atomic(&models_dir.join(ACTIVE), text.as_bytes())
}

/// Makes `name` the active model of its role.
pub fn set_active(models_dir: &Path, name: &str) -> Result<InstalledModel, ModelError> {
    let m = find(models_dir, name)?;
    let mut active = read_active_raw(models_dir)?;
    active.insert(m.role.as_str().to_string(), m.name.clone());
    write_active(models_dir, &active)?;
    Ok(m)
}

/// Makes `name` active for its role only if no installed model is active for that role yet.
pub fn set_active_if_unset(models_dir: &Path, name: &str) -> Result<bool, ModelError> {
    let m = find(models_dir, name)?;
    let active = read_active(models_dir)?;
    if let Some(current) = active.get(&m.role) {
        if load(models_dir, current)?.is_some() {
            return Ok(false);
        }
    }
    set_active(models_dir, name)?;
    Ok(true)
}

/// The active model for a role, or ModelError::NotInstalled whose message says exactly which
/// command installs one (e.g. "no speech model installed: run `noted models install --tier test`").
/// With nothing selected in `active.json`, the first installed model of the role (by name) is used.
pub fn active(models_dir: &Path, role: Role) -> Result<InstalledModel, ModelError> {
    let selected = read_active(models_dir)?;
    if let Some(name) = selected.get(&role) {
        return match load(models_dir, name)? {
            Some(m) if m.role == role => Ok(m),
            Some(m) => Err(ModelError::WrongRole {
                name: m.name,
                actual: m.role,
                wanted: role,
            }),
            None => Err(ModelError::ActiveMissing {
                role,
                name: name.clone(),
                dir: models_dir.to_path_buf(),
            }),
        };
    }
    list(models_dir)?
        .into_iter()
        .find(|m| m.role == role)
        .ok_or_else(|| ModelError::NotInstalled {
            role,
            dir: models_dir.to_path_buf(),
        })
}

/// Removes an installed model (and its `active.json` entry). The directory is first renamed
/// to a hidden name, so a half-deleted model is never listed.
pub fn remove(models_dir: &Path, name: &str) -> Result<InstalledModel, ModelError> {
    let m = find(models_dir, name)?;
    let mut active = read_active_raw(models_dir)?;
    if active.get(m.role.as_str()) == Some(&m.name) {
        active.remove(m.role.as_str());
        write_active(models_dir, &active)?;
    }
    let trash = models_dir.join(format!(".removing-{name}-{}", std::process::id()));
    std::fs::rename(&m.dir, &trash).map_err(io_err(&m.dir))?;
    sync_dir(models_dir);
    std::fs::remove_dir_all(&trash).map_err(io_err(&trash))?;
    Ok(m)
}

/// Seconds since the Unix epoch (for manifests).
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn install_fake(dir: &Path, name: &str, role: Role) {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("model.bin"), b"x").unwrap();
        let m = Manifest {
            name: name.into(),
            role,
            format: if role == Role::Asr {
                "ggml-whisper"
            } else {
                "gguf"
            }
            .into(),
            file: "model.bin".into(),
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
        write_manifest(&d, &m).unwrap();
    }

    #[test]
    fn missing_models_name_the_install_command() {
        let tmp = tempfile::tempdir().unwrap();
        let e = active(tmp.path(), Role::Asr).unwrap_err().to_string();
        assert!(e.contains("no speech model installed"), "{e}");
        assert!(e.contains("noted models install --tier test"), "{e}");
        let e = active(tmp.path(), Role::Llm).unwrap_err().to_string();
        assert!(e.contains("no language model installed"), "{e}");
        let e = find(tmp.path(), "nope").unwrap_err().to_string();
        assert!(e.contains("noted models install nope"), "{e}");
    }

    #[test]
    fn active_follows_selection_and_falls_back_to_first() {
        let tmp = tempfile::tempdir().unwrap();
        install_fake(tmp.path(), "b-asr", Role::Asr);
        install_fake(tmp.path(), "a-asr", Role::Asr);
        install_fake(tmp.path(), "llm", Role::Llm);
        std::fs::create_dir_all(tmp.path().join(".tmp-partial")).unwrap();
        assert_eq!(list(tmp.path()).unwrap().len(), 3);
        assert_eq!(active(tmp.path(), Role::Asr).unwrap().name, "a-asr");
        set_active(tmp.path(), "b-asr").unwrap();
        assert_eq!(active(tmp.path(), Role::Asr).unwrap().name, "b-asr");
        assert!(!set_active_if_unset(tmp.path(), "a-asr").unwrap());
        assert!(set_active_if_unset(tmp.path(), "llm").unwrap());
        let m = active(tmp.path(), Role::Llm).unwrap();
        assert_eq!(m.path, tmp.path().join("llm/model.bin"));
        std::fs::remove_dir_all(tmp.path().join("b-asr")).unwrap();
        assert!(matches!(
            active(tmp.path(), Role::Asr),
            Err(ModelError::ActiveMissing { .. })
        ));
        remove(tmp.path(), "llm").unwrap();
        assert!(!tmp.path().join("llm").exists());
        assert!(!read_active(tmp.path()).unwrap().contains_key(&Role::Llm));
        let e = active(tmp.path(), Role::Asr).unwrap_err().to_string();
        assert!(e.contains("`b-asr` is not installed"), "{e}");
    }

    #[test]
    fn models_of_unknown_roles_are_ignored_and_their_selection_kept() {
        let tmp = tempfile::tempdir().unwrap();
        install_fake(tmp.path(), "asr", Role::Asr);
        install_fake(tmp.path(), "future", Role::Llm);
        let manifest = tmp.path().join("future").join(MANIFEST);
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, text.replace("\"llm\"", "\"speaker\"")).unwrap();
        std::fs::write(
            tmp.path().join(ACTIVE),
            r#"{"asr": "asr", "speaker": "future"}"#,
        )
        .unwrap();
        let names: Vec<String> = list(tmp.path())
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["asr"]);
        assert_eq!(active(tmp.path(), Role::Asr).unwrap().name, "asr");
        assert!(matches!(
            find(tmp.path(), "future"),
            Err(ModelError::UnknownRoleModel { .. })
        ));
        install_fake(tmp.path(), "emb", Role::Embedding);
        set_active(tmp.path(), "emb").unwrap();
        remove(tmp.path(), "asr").unwrap();
        let raw = read_active_raw(tmp.path()).unwrap();
        assert_eq!(raw.get("speaker").map(String::as_str), Some("future"));
        assert_eq!(raw.get("embedding").map(String::as_str), Some("emb"));
        assert!(!raw.contains_key("asr"));
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("whisper-tiny.en").is_ok());
        assert!(check_name("../x").is_err());
        assert!(check_name(".hidden").is_err());
        assert!(check_name("").is_err());
    }
}
