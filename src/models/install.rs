//! Installing catalog models: fetch wheels with `pip download --no-deps` into a cache, check
//! their hashes, extract and concatenate members, convert, check the final hash, and move the
//! result into the models directory atomically.
//!
//! Layout while installing `<name>`: `<models_dir>/.staging-<name>/` holds the assembled inputs
//! (kept between runs, so an interrupted install resumes after the extraction) and `out/`, the
//! future model directory; `out/` is renamed to `<models_dir>/<name>` only once every file is
//! written, fsynced and verified. Nothing visible to `registry` is ever half-written.
//!
//! Progress: library functions take `&dyn Fn(Progress) -> bool`; returning false cancels.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::catalog::{CatalogModel, Convert, Source};
use super::registry::{self, Manifest, ModelError};
use super::{gguf, whisper_ggml};

/// Steps of an install, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Download,
    CheckWheel,
    Extract,
    Convert,
    CheckFinal,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Download => "download",
            Stage::CheckWheel => "check wheel",
            Stage::Extract => "extract",
            Stage::Convert => "convert",
            Stage::CheckFinal => "check",
        }
    }
}

/// A progress report: `done` of `total` bytes (or items) of `stage` for `model`; `detail`
/// names the wheel or file.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub model: &'a str,
    pub stage: Stage,
    pub detail: &'a str,
    pub done: u64,
    pub total: u64,
}

/// Progress callback; returning false cancels the install.
pub type ProgressFn<'a> = &'a dyn Fn(Progress<'_>) -> bool;

/// A callback that ignores progress.
pub fn no_progress(_: Progress<'_>) -> bool {
    true
}

/// Install errors. Each leaves the models directory as it was.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("pip is needed to download models (`pip download`) but none was found ({tried}): install it (Debian/Ubuntu: `apt install python3-pip`), or place the wheels in {}", cache.display())]
    NoPip { tried: String, cache: PathBuf },
    #[error("`pip download {spec}` failed: {stderr}\n(is the package index reachable? wheels already downloaded go in {})", cache.display())]
    Pip {
        spec: String,
        stderr: String,
        cache: PathBuf,
    },
    #[error("wheel {wheel} of package {package} is not available offline in {} (download is disabled)", cache.display())]
    Offline {
        package: String,
        wheel: String,
        cache: PathBuf,
    },
    #[error("wheel {wheel} has sha256 {actual}, the catalog expects {expected}: the download is corrupt or not the published file; it was deleted, try again")]
    WheelHash {
        wheel: String,
        expected: String,
        actual: String,
    },
    #[error("wheel {wheel} is damaged or not a zip file ({reason}); it was deleted: run the install again")]
    BadWheel { wheel: String, reason: String },
    #[error("archive `{member}` inside wheel {wheel} is damaged ({reason}); its extracted copy was deleted: run the install again (if this repeats, the package itself is broken)")]
    BadNestedZip {
        wheel: String,
        member: String,
        reason: String,
    },
    #[error("wheel {wheel} lacks member `{member}` (a part of the model is missing)")]
    MissingMember { wheel: String, member: String },
    #[error("model `{model}`: the conversion needs `{file}`, which no source provides")]
    MissingInput { model: String, file: String },
    #[error("model `{model}`: the converted file has sha256 {actual} ({size} bytes), the catalog expects {expected}; nothing was installed")]
    FinalHash {
        model: String,
        expected: String,
        actual: String,
        size: u64,
    },
    #[error("model `{model}`: conversion failed: {reason}")]
    Convert { model: String, reason: String },
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Registry(#[from] ModelError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> InstallError + '_ {
    move |source| InstallError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where wheels come from.
#[derive(Debug, Clone)]
pub struct Fetch {
    /// Wheel cache directory (`<cache>/wheels`).
    pub wheels_dir: PathBuf,
    /// Run `pip download` for wheels not in the cache; false = use the cache only.
    pub download: bool,
}

/// What happened to one model.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Installed { seconds: f64 },
    AlreadyInstalled,
}

/// sha256 of a file as lowercase hex, reporting progress in bytes.
pub fn sha256_file(
    path: &Path,
    report: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<String, InstallError> {
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let total = f.metadata().map_err(io(path))?.len();
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        done += n as u64;
        if !report(done, total) {
            return Err(InstallError::Cancelled);
        }
    }
    Ok(hex::encode(h.finalize()))
}

/// The pip command to use: `NOTED_PIP` (a program), else `python3 -m pip`, `pip3`, `pip`.
pub fn find_pip() -> Option<Vec<String>> {
    let mut candidates: Vec<Vec<String>> = Vec::new();
    if let Ok(p) = std::env::var("NOTED_PIP") {
        candidates.push(p.split_whitespace().map(str::to_string).collect());
    }
    candidates.push(vec!["python3".into(), "-m".into(), "pip".into()]);
    candidates.push(vec!["pip3".into()]);
    candidates.push(vec!["pip".into()]);
    candidates.into_iter().find(|c| {
        !c.is_empty()
            && Command::new(&c[0])
                .args(&c[1..])
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
    })
}

/// Makes sure the wheel is in the cache with the right hash, downloading it if allowed.
pub fn ensure_wheel(
    model: &str,
    src: &Source,
    fetch: &Fetch,
    progress: ProgressFn<'_>,
) -> Result<PathBuf, InstallError> {
    let path = fetch.wheels_dir.join(&src.wheel);
    let check = |p: &Path| -> Result<String, InstallError> {
        sha256_file(p, &mut |done, total| {
            progress(Progress {
                model,
                stage: Stage::CheckWheel,
                detail: &src.wheel,
                done,
                total,
            })
        })
    };
    if path.is_file() {
        let actual = check(&path)?;
        if actual == src.sha256 {
            return Ok(path);
        }
        std::fs::remove_file(&path).map_err(io(&path))?;
        if !fetch.download {
            return Err(InstallError::WheelHash {
                wheel: src.wheel.clone(),
                expected: src.sha256.clone(),
                actual,
            });
        }
        tracing::warn!(wheel = %src.wheel, "cached wheel has the wrong hash; fetching it again");
    }
    if !fetch.download {
        return Err(InstallError::Offline {
            package: src.package.clone(),
            wheel: src.wheel.clone(),
            cache: fetch.wheels_dir.clone(),
        });
    }
    std::fs::create_dir_all(&fetch.wheels_dir).map_err(io(&fetch.wheels_dir))?;
    let tmp = fetch
        .wheels_dir
        .join(format!(".download-{}-{}", std::process::id(), src.package));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let result = pip_download(model, src, &tmp, fetch, progress).and_then(|downloaded| {
        let actual = check(&downloaded)?;
        if actual != src.sha256 {
            return Err(InstallError::WheelHash {
                wheel: src.wheel.clone(),
                expected: src.sha256.clone(),
                actual,
            });
        }
        std::fs::rename(&downloaded, &path).map_err(io(&path))?;
        Ok(path.clone())
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn pip_download(
    model: &str,
    src: &Source,
    dir: &Path,
    fetch: &Fetch,
    progress: ProgressFn<'_>,
) -> Result<PathBuf, InstallError> {
    let pip = find_pip().ok_or_else(|| InstallError::NoPip {
        tried: "NOTED_PIP, python3 -m pip, pip3, pip".into(),
        cache: fetch.wheels_dir.clone(),
    })?;
    let spec = format!("{}=={}", src.package, src.version);
    let mut child = Command::new(&pip[0])
        .args(&pip[1..])
        .args([
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--disable-pip-version-check",
            "-q",
            "-d",
        ])
        .arg(dir)
        .args(
            src.python_version
                .iter()
                .flat_map(|v| ["--python-version", v.as_str()]),
        )
        .args(src.platform.iter().flat_map(|p| ["--platform", p.as_str()]))
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| InstallError::Pip {
            spec: spec.clone(),
            stderr: e.to_string(),
            cache: fetch.wheels_dir.clone(),
        })?;
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                // pip downloads into its own temporary directory; show the size it will have.
                let done = dir_size(dir);
                if !progress(Progress {
                    model,
                    stage: Stage::Download,
                    detail: &src.wheel,
                    done,
                    total: src.size,
                }) {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(InstallError::Cancelled);
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => return Err(io(dir)(e)),
        }
    };
    let err = reader.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = err.lines().rev().take(6).collect();
        return Err(InstallError::Pip {
            spec,
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
            cache: fetch.wheels_dir.clone(),
        });
    }
    let p = dir.join(&src.wheel);
    if p.is_file() {
        return Ok(p);
    }
    Err(InstallError::Pip {
        spec,
        stderr: format!("pip did not produce {}", src.wheel),
        cache: fetch.wheels_dir.clone(),
    })
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Whether `<models_dir>/<name>` holds this catalog model, installed and recorded with the
/// catalog's final hash and size (a full re-hash is `noted models verify`'s job).
pub fn is_installed(models_dir: &Path, m: &CatalogModel) -> bool {
    let dir = models_dir.join(&m.name);
    match registry::read_manifest(&dir) {
        Ok(man) => {
            man.sha256 == m.sha256
                && man.size == m.size
                && std::fs::metadata(dir.join(&man.file))
                    .map(|md| md.len() == m.size)
                    .unwrap_or(false)
        }
        Err(_) => false,
    }
}

/// Installs one catalog model (skipping it when already installed unless `force`).
pub fn install(
    models_dir: &Path,
    m: &CatalogModel,
    fetch: &Fetch,
    force: bool,
    progress: ProgressFn<'_>,
) -> Result<Outcome, InstallError> {
    if !force && is_installed(models_dir, m) {
        return Ok(Outcome::AlreadyInstalled);
    }
    let start = std::time::Instant::now();
    std::fs::create_dir_all(models_dir).map_err(io(models_dir))?;
    // One installer per model at a time (several data directories may share models_dir):
    // an advisory lock, released when this process ends, however it ends.
    let lock_path = models_dir.join(format!(".install-{}.lock", m.name));
    let lock = std::fs::File::create(&lock_path).map_err(io(&lock_path))?;
    // File::lock is Rust 1.89+; the project builds with 1.95 (Cargo.toml's rust-version lags).
    #[allow(clippy::incompatible_msrv)]
    lock.lock().map_err(io(&lock_path))?;
    if !force && is_installed(models_dir, m) {
        return Ok(Outcome::AlreadyInstalled);
    }
    let staging = models_dir.join(format!(".staging-{}", m.name));
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;

    // 1. wheels
    let mut wheels = Vec::new();
    for src in &m.sources {
        wheels.push(ensure_wheel(&m.name, src, fetch, progress)?);
    }

    // 2. assemble members (resumable: a finished target has a marker naming its inputs)
    let mut targets: Vec<&str> = Vec::new();
    for src in &m.sources {
        for mb in &src.members {
            if !targets.contains(&mb.to.as_str()) {
                targets.push(&mb.to);
            }
        }
    }
    for target in &targets {
        assemble(m, &wheels, target, &staging, progress)?;
    }
    for src in &m.sources {
        for mb in src.members.iter().filter(|mb| mb.inner.is_some()) {
            let _ = std::fs::remove_file(nested_zip(&staging, src, &mb.path));
        }
    }

    // 3. convert into out/
    let out = staging.join("out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(io(&out))?;
    let mut manifest = Manifest {
        name: m.name.clone(),
        role: m.role,
        format: m.format.clone(),
        file: m.file.clone(),
        sha256: String::new(),
        size: 0,
        arch: m.arch.clone(),
        quantization: m.quantization.clone(),
        tokenizer: None,
        chat_template: None,
        multilingual: m.multilingual,
        license: Some(m.license.clone()),
        source: "catalog".into(),
        origin: m
            .sources
            .iter()
            .map(|s| format!("{}=={}", s.package, s.version))
            .collect(),
        installed_at: registry::now_secs(),
    };
    let need = |file: &str| -> Result<PathBuf, InstallError> {
        let p = staging.join(file);
        if targets.contains(&file) && p.is_file() {
            Ok(p)
        } else {
            Err(InstallError::MissingInput {
                model: m.name.clone(),
                file: file.to_string(),
            })
        }
    };
    let conv_err = |reason: String| InstallError::Convert {
        model: m.name.clone(),
        reason,
    };
    let main = out.join(&m.file);
    // Converters cannot stop midway; a cancel during conversion is honoured right after it.
    let cancelled = std::cell::Cell::new(false);
    let mut report = |done: u64, total: u64| {
        if !progress(Progress {
            model: &m.name,
            stage: Stage::Convert,
            detail: &m.file,
            done,
            total,
        }) {
            cancelled.set(true);
        }
    };
    match &m.convert {
        Convert::Ct2Whisper { weights } => {
            let info = whisper_ggml::convert_files(
                &need("model.bin")?,
                &need("tokenizer.json")?,
                *weights,
                &main,
                &mut report,
            )
            .map_err(|e| conv_err(e.to_string()))?;
            manifest.multilingual = Some(info.multilingual);
            manifest.arch.get_or_insert_with(|| "whisper".into());
            manifest.quantization = Some(weights.as_str().into());
        }
        Convert::Gguf { requantize } => {
            let input = need("model.gguf")?;
            let original = gguf::read_content(&input).map_err(|e| conv_err(e.to_string()))?;
            gguf::check_arch(
                &gguf::info(&original)
                    .map_err(|e| conv_err(e.to_string()))?
                    .arch,
            )
            .map_err(|e| conv_err(e.to_string()))?;
            match requantize.as_deref() {
                Some("q8_0") if gguf::count_slow(&original) > 0 => {
                    gguf::requantize_q8_0(&input, &main, &mut report)
                        .map_err(|e| conv_err(e.to_string()))?;
                }
                // Nothing to change: the assembled file is the model (the staging copy is
                // re-extracted if this install has to be repeated).
                Some("q8_0") | None => {
                    let _ = std::fs::remove_file(staging.join("model.gguf.ok"));
                    std::fs::rename(&input, &main).map_err(io(&main))?;
                }
                Some(other) => {
                    return Err(conv_err(format!(
                        "unknown requantize target `{other}` (supported: q8_0)"
                    )))
                }
            }
            let content = gguf::read_content(&main).map_err(|e| conv_err(e.to_string()))?;
            let info = gguf::info(&content).map_err(|e| conv_err(e.to_string()))?;
            manifest.arch = Some(info.arch.clone());
            manifest.quantization.get_or_insert(info.quantization);
            let tok = gguf::tokenizer_json_bytes(&content).map_err(|e| conv_err(e.to_string()))?;
            write_synced(&out.join("tokenizer.json"), &tok)?;
            manifest.tokenizer = Some("tokenizer.json".into());
            if let Some(t) = gguf::chat_template(&content) {
                write_synced(&out.join("chat_template.jinja"), t.as_bytes())?;
                manifest.chat_template = Some("chat_template.jinja".into());
            }
        }
        Convert::Copy => {
            // The staging copies are re-extracted if this install has to be repeated.
            for target in &targets {
                let input = need(target)?;
                let _ = std::fs::remove_file(staging.join(format!("{target}.ok")));
                let dest = out.join(target);
                std::fs::rename(&input, &dest).map_err(io(&dest))?;
            }
            if targets.contains(&"tokenizer.json") {
                manifest.tokenizer = Some("tokenizer.json".into());
            }
        }
        Convert::Campplus => {
            let input = need("model.pt")?;
            crate::diarize::campplus::check_checkpoint(&input)
                .map_err(|e| conv_err(e.to_string()))?;
            let _ = std::fs::remove_file(staging.join("model.pt.ok"));
            std::fs::rename(&input, &main).map_err(io(&main))?;
            // pyannote segmentation-3.0 from the same wheel (overlapped speech), beside it
            let seg = crate::diarize::SEGMENTATION_FILE;
            if targets.contains(&seg) {
                let input = need(seg)?;
                crate::diarize::segmentation::Segmentation::load(&input)
                    .map_err(|e| conv_err(format!("{seg}: {e}")))?;
                let _ = std::fs::remove_file(staging.join(format!("{seg}.ok")));
                let dest = out.join(seg);
                std::fs::rename(&input, &dest).map_err(io(&dest))?;
            }
        }
    }

    if cancelled.get() {
        let _ = std::fs::remove_dir_all(&out);
        return Err(InstallError::Cancelled);
    }

    // 4. final hash
    let actual = sha256_file(&main, &mut |done, total| {
        progress(Progress {
            model: &m.name,
            stage: Stage::CheckFinal,
            detail: &m.file,
            done,
            total,
        })
    })?;
    let size = std::fs::metadata(&main).map_err(io(&main))?.len();
    if actual != m.sha256 {
        if std::env::var_os("NOTED_KEEP_FAILED").is_none() {
            let _ = std::fs::remove_dir_all(&out);
        }
        return Err(InstallError::FinalHash {
            model: m.name.clone(),
            expected: m.sha256.clone(),
            actual,
            size,
        });
    }
    manifest.sha256 = actual;
    manifest.size = size;
    registry::write_manifest(&out, &manifest)?;
    registry::sync_dir(&out);

    // 5. swap into place
    let dest = models_dir.join(&m.name);
    if dest.exists() {
        let old = models_dir.join(format!(".old-{}-{}", m.name, std::process::id()));
        std::fs::rename(&dest, &old).map_err(io(&dest))?;
        std::fs::rename(&out, &dest).map_err(io(&dest))?;
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&out, &dest).map_err(io(&dest))?;
    }
    registry::sync_dir(models_dir);
    let _ = std::fs::remove_dir_all(&staging);
    registry::set_active_if_unset(models_dir, &m.name)?;
    Ok(Outcome::Installed {
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Extracts and concatenates every member going to `target`, in source order.
fn assemble(
    m: &CatalogModel,
    wheels: &[PathBuf],
    target: &str,
    staging: &Path,
    progress: ProgressFn<'_>,
) -> Result<(), InstallError> {
    let dest = staging.join(target);
    let marker = staging.join(format!("{target}.ok"));
    let key: String = m
        .sources
        .iter()
        .filter(|s| s.members.iter().any(|mb| mb.to == target))
        .map(|s| s.sha256.as_str())
        .collect::<Vec<_>>()
        .join(",");
    if dest.is_file()
        && std::fs::read_to_string(&marker)
            .map(|k| k == key)
            .unwrap_or(false)
    {
        return Ok(());
    }
    let _ = std::fs::remove_file(&marker);
    let partial = staging.join(format!("{target}.partial"));
    let mut out = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&partial).map_err(io(&partial))?,
    );
    let mut buf = vec![0u8; 1 << 20];
    for (src, wheel) in m.sources.iter().zip(wheels) {
        for mb in src.members.iter().filter(|mb| mb.to == target) {
            let bad = |reason: String| {
                let _ = std::fs::remove_file(wheel);
                InstallError::BadWheel {
                    wheel: src.wheel.clone(),
                    reason,
                }
            };
            let missing = |member: String| InstallError::MissingMember {
                wheel: src.wheel.clone(),
                member,
            };
            let mut zip = open_zip(wheel).map_err(|e| match e {
                ZipOpen::Io(e) => io(wheel)(e),
                ZipOpen::Zip(e) => bad(e.to_string()),
            })?;
            let mut entry = match zip.by_name(&mb.path) {
                Ok(e) => e,
                Err(zip::result::ZipError::FileNotFound) => return Err(missing(mb.path.clone())),
                Err(e) => return Err(bad(e.to_string())),
            };
            let Some(inner) = &mb.inner else {
                let total = entry.size();
                let copied = copy_entry(&mut entry, &mut out, &mut buf, &mut |done| {
                    progress(Progress {
                        model: &m.name,
                        stage: Stage::Extract,
                        detail: &mb.path,
                        done,
                        total,
                    })
                });
                match copied {
                    Err(CopyError::Read(e)) => {
                        drop(entry);
                        return Err(bad(e.to_string()));
                    }
                    Err(CopyError::Write(e)) => return Err(io(&partial)(e)),
                    Err(CopyError::Cancelled) => return Err(InstallError::Cancelled),
                    Ok(()) => continue,
                }
            };
            // A zip inside the wheel: extracted once into the staging directory (a zip
            // reader needs to seek), then the inner file is copied out of it.
            let nested = nested_zip(staging, src, &mb.path);
            if !nested.is_file() {
                let tmp = nested.with_extension("partial");
                let mut f = std::io::BufWriter::with_capacity(
                    1 << 20,
                    std::fs::File::create(&tmp).map_err(io(&tmp))?,
                );
                let total = entry.size();
                let copied = copy_entry(&mut entry, &mut f, &mut buf, &mut |done| {
                    progress(Progress {
                        model: &m.name,
                        stage: Stage::Extract,
                        detail: &mb.path,
                        done,
                        total,
                    })
                });
                match copied {
                    Err(CopyError::Read(e)) => {
                        drop(entry);
                        return Err(bad(e.to_string()));
                    }
                    Err(CopyError::Write(e)) => return Err(io(&tmp)(e)),
                    Err(CopyError::Cancelled) => return Err(InstallError::Cancelled),
                    Ok(()) => {}
                }
                f.into_inner()
                    .map_err(|e| io(&tmp)(e.into_error()))?
                    .sync_all()
                    .map_err(io(&tmp))?;
                std::fs::rename(&tmp, &nested).map_err(io(&nested))?;
            }
            drop(entry);
            // The wheel's hash was checked: a damaged nested archive is either the package's
            // own fault or a damaged extraction. Delete the extracted copy, keep the wheel.
            let nested_bad = |reason: String| {
                let _ = std::fs::remove_file(&nested);
                InstallError::BadNestedZip {
                    wheel: src.wheel.clone(),
                    member: mb.path.clone(),
                    reason,
                }
            };
            let mut inner_zip = open_zip(&nested).map_err(|e| match e {
                ZipOpen::Io(e) => io(&nested)(e),
                ZipOpen::Zip(e) => nested_bad(e.to_string()),
            })?;
            let mut entry = match inner_zip.by_name(inner) {
                Ok(e) => e,
                Err(zip::result::ZipError::FileNotFound) => {
                    return Err(missing(format!("{}:{inner}", mb.path)))
                }
                Err(e) => return Err(nested_bad(e.to_string())),
            };
            let total = entry.size();
            let copied = copy_entry(&mut entry, &mut out, &mut buf, &mut |done| {
                progress(Progress {
                    model: &m.name,
                    stage: Stage::Extract,
                    detail: inner,
                    done,
                    total,
                })
            });
            match copied {
                Err(CopyError::Read(e)) => return Err(nested_bad(e.to_string())),
                Err(CopyError::Write(e)) => return Err(io(&partial)(e)),
                Err(CopyError::Cancelled) => return Err(InstallError::Cancelled),
                Ok(()) => {}
            }
        }
    }
    let f = out.into_inner().map_err(|e| io(&partial)(e.into_error()))?;
    f.sync_all().map_err(io(&partial))?;
    std::fs::rename(&partial, &dest).map_err(io(&dest))?;
    std::fs::write(&marker, key).map_err(io(&marker))?;
    Ok(())
}

enum ZipOpen {
    Io(std::io::Error),
    Zip(zip::result::ZipError),
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<std::io::BufReader<std::fs::File>>, ZipOpen> {
    let f = std::fs::File::open(path).map_err(ZipOpen::Io)?;
    zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(ZipOpen::Zip)
}

/// Where a zip archive found inside a wheel is extracted during an install (removed with the
/// staging directory, or once every target is assembled).
fn nested_zip(staging: &Path, src: &Source, path: &str) -> PathBuf {
    let key = Sha256::digest(format!("{}:{path}", src.sha256).as_bytes());
    staging.join(format!("nested-{}.zip", &hex::encode(key)[..16]))
}

enum CopyError {
    Read(std::io::Error),
    Write(std::io::Error),
    Cancelled,
}

/// Copies a zip entry to `out`, reporting the bytes done (false = cancel).
fn copy_entry(
    entry: &mut dyn Read,
    out: &mut dyn Write,
    buf: &mut [u8],
    report: &mut dyn FnMut(u64) -> bool,
) -> Result<(), CopyError> {
    let mut done = 0u64;
    loop {
        let n = entry.read(buf).map_err(CopyError::Read)?;
        if n == 0 {
            return Ok(());
        }
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
        done += n as u64;
        if !report(done) {
            return Err(CopyError::Cancelled);
        }
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), InstallError> {
    let mut f = std::fs::File::create(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

/// Removes the wheel cache; returns the bytes freed.
pub fn clean_cache(wheels_dir: &Path) -> Result<u64, InstallError> {
    if !wheels_dir.exists() {
        return Ok(0);
    }
    let freed = dir_size(wheels_dir);
    std::fs::remove_dir_all(wheels_dir).map_err(io(wheels_dir))?;
    Ok(freed)
}
