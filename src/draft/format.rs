//! Note formats as data: built-in SOAP/DAP/BIRP plus `<data dir>/formats/*.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Kinds of transcript content a section collects (used by the rule-based extractor).
pub const CATEGORIES: &[&str] = &[
    "client_report",
    "observation",
    "measure",
    "intervention",
    "response",
    "assessment",
    "risk",
    "plan",
];

/// The formats shipped inside the binary: (file name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("soap.toml", include_str!("../../prompts/formats/soap.toml")),
    ("dap.toml", include_str!("../../prompts/formats/dap.toml")),
    ("birp.toml", include_str!("../../prompts/formats/birp.toml")),
];

/// One section of a note format.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// JSON key, lowercase ascii letters, digits and `_`.
    pub key: String,
    /// Heading shown to people.
    pub title: String,
    /// What belongs in this section (given to the model).
    pub description: String,
    /// Whether a complete note must have text here (an empty required section is flagged).
    #[serde(default = "yes")]
    pub required: bool,
    /// Categories of transcript content filed here by the extractor (see [`CATEGORIES`]).
    #[serde(default)]
    pub collects: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A note format: its sections and the guidance the prompt gives.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NoteFormat {
    /// Name used on the command line and in the draft (`soap`, `girp`, ...).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Version of the format file, recorded in every draft's provenance.
    pub version: String,
    #[serde(default)]
    pub description: String,
    /// Style guidance given to the model.
    #[serde(default)]
    pub guidance: String,
    pub sections: Vec<Section>,
    /// Where the format came from: `builtin` or a file path.
    #[serde(skip_deserializing, default)]
    pub source: String,
}

/// Errors loading note formats.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("note format `{name}` not found; available formats: {available}")]
    NotFound { name: String, available: String },
    #[error("cannot read note format file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("note format file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl NoteFormat {
    /// Parses and validates a format file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<NoteFormat, FormatError> {
        let invalid = |message: String| FormatError::Invalid {
            path: origin.to_string(),
            message,
        };
        let mut f: NoteFormat = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        f.source = origin.to_string();
        if !valid_key(&f.key) {
            return Err(invalid(format!(
                "key `{}` must be lowercase letters, digits or `_`",
                f.key
            )));
        }
        if f.sections.is_empty() {
            return Err(invalid("a format needs at least one [[sections]]".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &f.sections {
            if !valid_key(&s.key) {
                return Err(invalid(format!(
                    "section key `{}` must be lowercase letters, digits or `_`",
                    s.key
                )));
            }
            if !seen.insert(s.key.clone()) {
                return Err(invalid(format!("section key `{}` appears twice", s.key)));
            }
            for c in &s.collects {
                if !CATEGORIES.contains(&c.as_str()) {
                    return Err(invalid(format!(
                        "section `{}` collects unknown category `{c}` (known: {})",
                        s.key,
                        CATEGORIES.join(", ")
                    )));
                }
            }
        }
        Ok(f)
    }

    /// The section that receives content of `category`: the first section listing it, else
    /// the section named like the category, else the last section for `plan` and the first
    /// otherwise.
    pub fn section_for(&self, category: &str) -> &Section {
        self.sections
            .iter()
            .find(|s| s.collects.iter().any(|c| c == category))
            .or_else(|| self.sections.iter().find(|s| s.key == category))
            .unwrap_or_else(|| {
                if category == "plan" {
                    self.sections.last().expect("validated: non-empty")
                } else {
                    &self.sections[0]
                }
            })
    }

    /// The plan section (key `plan`, else the one collecting `plan`).
    pub fn plan_section(&self) -> &Section {
        self.sections
            .iter()
            .find(|s| s.key == "plan")
            .unwrap_or_else(|| self.section_for("plan"))
    }

    /// Section keys in order.
    pub fn keys(&self) -> Vec<&str> {
        self.sections.iter().map(|s| s.key.as_str()).collect()
    }

    /// JSON schema of the `sections` object of a draft in this format.
    pub fn sections_schema(&self) -> serde_json::Value {
        let statement = serde_json::json!({
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "citations": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                "flags": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["text", "citations", "flags"]
        });
        let mut props = serde_json::Map::new();
        for s in &self.sections {
            props.insert(
                s.key.clone(),
                serde_json::json!({
                    "type": "object",
                    "description": s.description,
                    "properties": {
                        "text": {"type": "string"},
                        "statements": {"type": "array", "items": statement}
                    },
                    "required": ["text", "statements"]
                }),
            );
        }
        serde_json::json!({
            "type": "object",
            "properties": props,
            "required": self.keys(),
            "additionalProperties": false
        })
    }
}

/// Where note formats come from: the built-ins and `<data dir>/formats/*.toml`
/// (a file with a built-in's key replaces the built-in).
#[derive(Debug, Clone)]
pub struct FormatLibrary {
    formats: Vec<NoteFormat>,
    /// Files in the data directory that failed to load (shown by `noted draft`, not fatal).
    pub errors: Vec<String>,
}

impl FormatLibrary {
    /// Built-in formats only.
    pub fn builtin() -> FormatLibrary {
        let formats = BUILTIN
            .iter()
            .map(|(name, text)| {
                NoteFormat::parse(text, &format!("builtin:{name}"))
                    .expect("built-in formats are valid (tested)")
            })
            .collect();
        FormatLibrary {
            formats,
            errors: Vec::new(),
        }
    }

    /// Built-ins plus every `*.toml` in `<data_dir>/formats` (read at each call: no rebuild
    /// or restart needed for a new format).
    pub fn load(data_dir: &Path) -> FormatLibrary {
        let mut lib = FormatLibrary::builtin();
        let dir = data_dir.join("formats");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return lib;
        };
        let mut paths: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let res = std::fs::read_to_string(&p)
                .map_err(|source| FormatError::Read {
                    path: p.clone(),
                    source,
                })
                .and_then(|t| NoteFormat::parse(&t, &p.display().to_string()));
            match res {
                Ok(f) => {
                    lib.formats.retain(|g| g.key != f.key);
                    lib.formats.push(f);
                }
                Err(e) => lib.errors.push(e.to_string()),
            }
        }
        lib
    }

    /// All formats, built-ins first.
    pub fn all(&self) -> &[NoteFormat] {
        &self.formats
    }

    /// A format by key (case-insensitive).
    pub fn get(&self, name: &str) -> Result<NoteFormat, FormatError> {
        let lname = name.to_ascii_lowercase();
        self.formats
            .iter()
            .find(|f| f.key == lname)
            .cloned()
            .ok_or_else(|| {
                let mut available: Vec<&str> =
                    self.formats.iter().map(|f| f.key.as_str()).collect();
                available.sort();
                let mut msg = available.join(", ");
                if !self.errors.is_empty() {
                    msg.push_str(&format!(
                        " (some format files failed to load: {})",
                        self.errors.join("; ")
                    ));
                }
                FormatError::NotFound {
                    name: name.to_string(),
                    available: msg,
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_have_plan() {
        let lib = FormatLibrary::builtin();
        for k in ["soap", "dap", "birp"] {
            let f = lib.get(k).unwrap();
            assert_eq!(f.plan_section().key, "plan");
            for c in CATEGORIES {
                let _ = f.section_for(c);
            }
        }
        assert_eq!(
            lib.get("soap").unwrap().section_for("measure").key,
            "objective"
        );
        assert_eq!(
            lib.get("dap").unwrap().section_for("client_report").key,
            "data"
        );
    }

    #[test]
    fn custom_format_in_data_dir_is_loaded() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("formats")).unwrap();
        std::fs::write(
            dir.path().join("formats/girp.toml"),
            "key='girp'\nname='GIRP'\nversion='3'\n[[sections]]\nkey='goal'\ntitle='Goal'\ndescription='g'\n[[sections]]\nkey='plan'\ntitle='Plan'\ndescription='p'\ncollects=['plan']\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("formats/bad.toml"), "key='Bad Key'").unwrap();
        let lib = FormatLibrary::load(dir.path());
        let g = lib.get("GIRP").unwrap();
        assert_eq!(g.keys(), vec!["goal", "plan"]);
        assert_eq!(lib.errors.len(), 1);
        let e = lib.get("nope").unwrap_err().to_string();
        assert!(e.contains("girp") && e.contains("soap"), "{e}");
    }

    #[test]
    fn unknown_category_is_refused() {
        let e = NoteFormat::parse(
            "key='x'\nname='X'\nversion='1'\n[[sections]]\nkey='a'\ntitle='A'\ndescription='d'\ncollects=['vibes']\n",
            "t",
        )
        .unwrap_err();
        assert!(e.to_string().contains("vibes"));
    }
}
