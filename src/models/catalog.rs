//! The model catalog (`models/catalog.toml`, embedded in the binary): named models, their
//! tiers, the pip packages (with wheel hashes) they are assembled from, the conversion to apply
//! and the hash of the final file.

use std::path::Path;

use serde::Deserialize;

use super::registry::Role;
use super::whisper_ggml::WeightType;

/// The catalog shipped with Noted.
pub const BUILTIN: &str = include_str!("../../models/catalog.toml");

/// Install tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Small and fast (CI): whisper tiny.en + SmolLM2-135M (+ all-MiniLM-L6-v2 embeddings).
    Test,
    /// whisper base + Qwen2.5-Coder-0.5B-Instruct (+ all-MiniLM-L6-v2 embeddings).
    Default,
    /// whisper base f16 + Qwen2.5-Coder-1.5B-Instruct (+ all-MiniLM-L6-v2 embeddings).
    Quality,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Test => "test",
            Tier::Default => "default",
            Tier::Quality => "quality",
        }
    }
}

/// A whole catalog file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "model", default)]
    pub models: Vec<CatalogModel>,
}

/// One installable model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogModel {
    pub name: String,
    pub role: Role,
    /// "ggml-whisper" | "gguf" | "safetensors"
    pub format: String,
    pub license: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Main file name in the installed model directory.
    pub file: String,
    /// sha256 of the final (converted) main file.
    pub sha256: String,
    /// Size in bytes of the final main file.
    pub size: u64,
    #[serde(default)]
    pub arch: Option<String>,
    #[serde(default)]
    pub quantization: Option<String>,
    #[serde(default)]
    pub multilingual: Option<bool>,
    pub convert: Convert,
    /// Wheels, in order: members with the same `to` are concatenated in this order.
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
}

/// The conversion from the assembled members to the installed files.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Convert {
    /// Assembled `model.bin` + `tokenizer.json` (CTranslate2) → whisper.cpp GGML.
    Ct2Whisper {
        #[serde(default = "default_weights")]
        weights: WeightType,
    },
    /// Assembled `model.gguf` → GGUF (optionally requantized) + tokenizer.json + chat template.
    Gguf {
        /// "q8_0": requantize Q4_1/Q5_0/Q5_1 tensors to Q8_0.
        #[serde(default)]
        requantize: Option<String>,
    },
    /// The assembled files are the model (e.g. safetensors weights + config.json +
    /// tokenizer.json): installed unchanged under their `to` names.
    Copy,
}

fn default_weights() -> WeightType {
    WeightType::F16
}

/// One pip package.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub package: String,
    pub version: String,
    /// The wheel's file name as `pip download` saves it.
    pub wheel: String,
    pub sha256: String,
    pub size: u64,
    pub members: Vec<Member>,
}

/// A file inside a wheel and the assembled file it goes to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub path: String,
    /// When `path` is itself a zip archive inside the wheel: the file inside it to take.
    #[serde(default)]
    pub inner: Option<String>,
    pub to: String,
}

/// Errors reading a catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog {origin} is invalid: {reason}")]
    Invalid { origin: String, reason: String },
    #[error("cannot read catalog {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("no model named `{name}` in the catalog; available: {available}")]
    Unknown { name: String, available: String },
}

impl Catalog {
    /// Parses and checks a catalog.
    pub fn parse(text: &str, origin: &str) -> Result<Catalog, CatalogError> {
        let invalid = |reason: String| CatalogError::Invalid {
            origin: origin.to_string(),
            reason,
        };
        let c: Catalog = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for m in &c.models {
            super::registry::check_name(&m.name).map_err(|e| invalid(e.to_string()))?;
            if !seen.insert(m.name.as_str()) {
                return Err(invalid(format!("model `{}` is listed twice", m.name)));
            }
            if m.sources.is_empty() {
                return Err(invalid(format!("model `{}` has no source", m.name)));
            }
            let safe = |p: &str| {
                !p.is_empty() && !p.contains('/') && !p.contains('\\') && !p.starts_with('.')
            };
            if !safe(&m.file) {
                return Err(invalid(format!(
                    "model `{}`: bad file name `{}`",
                    m.name, m.file
                )));
            }
            for s in &m.sources {
                if s.members.iter().any(|mb| !safe(&mb.to)) || !safe(&s.wheel) {
                    return Err(invalid(format!(
                        "model `{}`: bad member target or wheel name",
                        m.name
                    )));
                }
                if s.members.iter().any(|mb| mb.inner.as_deref() == Some("")) {
                    return Err(invalid(format!("model `{}`: empty `inner` path", m.name)));
                }
            }
            if matches!(m.convert, Convert::Copy)
                && !m
                    .sources
                    .iter()
                    .any(|s| s.members.iter().any(|mb| mb.to == m.file))
            {
                return Err(invalid(format!(
                    "model `{}`: no member goes to the main file `{}`",
                    m.name, m.file
                )));
            }
        }
        Ok(c)
    }

    /// The catalog built into the binary.
    pub fn builtin() -> Catalog {
        Catalog::parse(BUILTIN, "models/catalog.toml").expect("the built-in catalog is valid")
    }

    /// Reads a catalog file.
    pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Catalog::parse(&text, &path.display().to_string())
    }

    /// A model by name.
    pub fn get(&self, name: &str) -> Result<&CatalogModel, CatalogError> {
        self.models
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| CatalogError::Unknown {
                name: name.to_string(),
                available: self
                    .models
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The models of a tier.
    pub fn tier(&self, tier: Tier) -> Vec<&CatalogModel> {
        self.models
            .iter()
            .filter(|m| m.tiers.contains(&tier))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_is_complete() {
        let c = Catalog::builtin();
        for tier in [Tier::Test, Tier::Default, Tier::Quality] {
            let models = c.tier(tier);
            assert!(
                models.iter().any(|m| m.role == Role::Asr),
                "{tier:?} lacks a speech model"
            );
            assert!(
                models.iter().any(|m| m.role == Role::Llm),
                "{tier:?} lacks a language model"
            );
            assert!(
                models.iter().any(|m| m.role == Role::Embedding),
                "{tier:?} lacks an embedding model"
            );
        }
        for m in &c.models {
            assert_eq!(m.sha256.len(), 64, "{} final sha256", m.name);
            for s in &m.sources {
                assert_eq!(s.sha256.len(), 64, "{} wheel {} sha256", m.name, s.wheel);
                assert!(s.wheel.ends_with(".whl"));
            }
        }
    }
}
