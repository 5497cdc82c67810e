//! The dependency directions of `ARCHITECTURE.md`: every `crate::X` a module of `src/` names
//! (tests excluded) is in its own layer or a lower one, except the known exceptions listed
//! there and below. A new upward dependency fails; so does an exception that no longer
//! occurs (remove it from both lists).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layer of each top-level module (5 entry, 4 services, 3 domain, 2 store, 1 engines).
const LAYERS: &[(&str, u8)] = &[
    ("http", 5),
    ("cli", 5),
    ("pipeline", 4),
    ("jobs", 4),
    ("backup", 4),
    ("chart", 3),
    ("notes", 3),
    ("measures", 3),
    ("draft", 3),
    ("export", 3),
    ("auth", 3),
    ("store", 2),
    ("audit", 2),
    ("audio", 1),
    ("transcribe", 1),
    ("diarize", 1),
    ("llm", 1),
    ("embed", 1),
    ("models", 1),
    ("crypto", 1),
    ("config", 1),
    ("clock", 1),
];

/// Upward dependencies allowed (file, module used): none since issue 15's sweep. A new one is
/// removed rather than listed.
const KNOWN: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("a directory entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules of the crate a source file names (`crate::x`, `crate::{x, y}`), its test module
/// left out.
fn used_modules(src: &str) -> BTreeSet<String> {
    let code = src.split("#[cfg(test)]").next().unwrap_or("");
    let path = regex::Regex::new(r"crate::([a-z_]+)").expect("pattern");
    let group = regex::Regex::new(r"crate::\{([^}]*)\}").expect("pattern");
    let mut out: BTreeSet<String> = path.captures_iter(code).map(|c| c[1].to_string()).collect();
    for c in group.captures_iter(code) {
        for item in c[1].split(',') {
            let name = item.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
    }
    out
}

#[test]
fn modules_depend_only_downward() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut unlayered = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .trim_start_matches("src/")
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(&own) = layers.get(top.as_str()) else {
            unlayered.push(top);
            continue;
        };
        let src = std::fs::read_to_string(f).expect("readable source");
        for m in used_modules(&src) {
            if m == top {
                continue;
            }
            if let Some(&theirs) = layers.get(m.as_str()) {
                if theirs > own {
                    found.insert((rel.clone(), m));
                }
            }
        }
    }
    unlayered.sort();
    unlayered.dedup();
    assert!(
        unlayered.is_empty(),
        "modules without a layer (add them to ARCHITECTURE.md and LAYERS): {unlayered:?}"
    );
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    assert!(
        new.is_empty(),
        "upward dependencies against ARCHITECTURE.md (file, module it uses): {new:?}"
    );
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        gone.is_empty(),
        "known exceptions that no longer occur: remove them from KNOWN and ARCHITECTURE.md: {gone:?}"
    );
}

/// The entry layer (`http`, `cli`) runs no SQL of its own: queries live in the store (or the
/// audit log beside it), so that both databases' statements are in one place and handlers stay
/// thin. Test modules are left out.
#[test]
fn the_entry_layer_runs_no_sql() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sql = regex::Regex::new(r"sqlx::(query|query_as|query_scalar)\b|\bdb!\(|\bexec!\(")
        .expect("pattern");
    let mut found = Vec::new();
    for layer in ["http", "cli"] {
        let mut files = Vec::new();
        rust_files(&root.join(layer), &mut files);
        for f in files {
            let src = std::fs::read_to_string(&f).expect("a source file");
            let code = src.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                if sql.is_match(line) {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL in the entry layer (move it into the store):\n{}",
        found.join("\n")
    );
}

/// The domain (chart, notes, measures, drafting, exports, passwords) names no sqlx: it decides,
/// the store persists (transactions, statements and their errors are the store's).
#[test]
fn the_domain_is_free_of_sqlx() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for (module, layer) in LAYERS {
        if *layer != 3 {
            continue;
        }
        let mut files = Vec::new();
        let dir = root.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(root.join(format!("{module}.rs")));
        }
        for f in files {
            let src = std::fs::read_to_string(&f).expect("a source file");
            let code = src.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap_or("");
                if line.contains("sqlx::") || line.contains("use sqlx") {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "sqlx in the domain layer (move it into the store):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_nested_paths() {
    let src = "use crate::{chart::Client, store};\nfn f() { crate::notes::x(); }\n#[cfg(test)]\nmod tests { use crate::http; }";
    let got: Vec<String> = used_modules(src).into_iter().collect();
    assert_eq!(got, vec!["chart", "notes", "store"]);
}
