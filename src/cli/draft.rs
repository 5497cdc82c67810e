//! `noted draft`: drafts a note from a transcript or summary.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use crate::config::GlobalOpts;
use crate::draft::{self, ChartContext, DraftInput, DraftOptions, FormatLibrary};
use crate::llm::Llm;
use crate::models::registry::{self, Role};

/// Options of `noted draft`.
#[derive(Debug, clap::Args)]
pub struct DraftArgs {
    /// Transcript: the JSON `noted transcribe --format json` prints, or plain text with one
    /// utterance per line (optional `Therapist:` / `Client:` prefixes).
    #[arg(long, required_unless_present = "text", conflicts_with = "text")]
    pub transcript: Option<PathBuf>,
    /// A typed or dictated summary (prose); its sentences become citable segments.
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// Note format: soap, dap, birp, or a format file's key in <data dir>/formats.
    #[arg(long, default_value = "soap")]
    pub format: String,
    /// Chart context JSON (name, presenting_problems, goals [{id, text}], interventions, measures).
    #[arg(long)]
    pub client: Option<PathBuf>,
    /// Language model to use (default: the active one).
    #[arg(long)]
    pub model: Option<String>,
    /// Sampling seed (greedy decoding ignores it unless --temperature > 0).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Sampling temperature (0 = greedy).
    #[arg(long, default_value_t = 0.0)]
    pub temperature: f64,
    /// Token budget of each model call that writes findings.
    #[arg(long)]
    pub max_tokens: Option<usize>,
    /// Compute threads (default: all cores).
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Do not add extractive statements for segments the model left out.
    #[arg(long)]
    pub no_fallback: bool,
    /// Print the draft as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Loads the chosen (or active) language model, with a clear error naming the install command.
pub fn load_llm(
    g: &GlobalOpts,
    model: Option<&str>,
    threads: Option<usize>,
) -> anyhow::Result<Llm> {
    if let Some(t) = threads {
        crate::llm::configure_threads(t);
    }
    let dir = g.models_dir();
    let m = match model {
        Some(name) => registry::find(&dir, name)?,
        None => registry::active(&dir, Role::Llm)?,
    };
    if m.role != Role::Llm {
        anyhow::bail!(
            "model `{}` is a {} model, not a language model",
            m.name,
            m.role
        );
    }
    Llm::load(&m).with_context(|| format!("loading language model `{}`", m.name))
}

/// A progress bar on stderr for drafting (hidden when stderr is not a terminal).
pub fn progress_bar() -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(1000),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} drafting [{bar:30}] {percent:>3}% {msg} ({elapsed})",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb
}

pub async fn run(g: &GlobalOpts, a: DraftArgs) -> anyhow::Result<()> {
    let client: ChartContext = match &a.client {
        Some(p) => {
            let t = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read client file {}", p.display()))?;
            serde_json::from_str(&t).with_context(|| {
                format!(
                    "client file {} is not a valid chart context JSON",
                    p.display()
                )
            })?
        }
        None => ChartContext::default(),
    };
    let input = match (&a.transcript, &a.text) {
        (Some(p), _) => {
            let t = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read transcript {}", p.display()))?;
            DraftInput::from_transcript_text(&t, client)
                .with_context(|| format!("transcript {}", p.display()))?
        }
        (None, Some(p)) => {
            let t = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read summary {}", p.display()))?;
            DraftInput::from_summary(&t, client)
                .with_context(|| format!("summary {}", p.display()))?
        }
        (None, None) => anyhow::bail!("give --transcript FILE or --text FILE"),
    };
    let lib = FormatLibrary::load(&g.data_dir());
    let format = lib.get(&a.format)?;
    let mut opts = DraftOptions {
        seed: a.seed,
        temperature: a.temperature,
        threads: a.threads,
        extractive_fallback: !a.no_fallback,
        embedding_model: crate::embed::find_installed(&g.models_dir()),
        ..DraftOptions::default()
    };
    if let Some(m) = a.max_tokens {
        opts.max_tokens = m;
        opts.plan_max_tokens = opts.plan_max_tokens.min(m);
        opts.compose_max_tokens = opts.compose_max_tokens.min(m);
    }
    let g2 = g.clone();
    let model = a.model.clone();
    let threads = a.threads;
    let llm =
        tokio::task::spawn_blocking(move || load_llm(&g2, model.as_deref(), threads)).await??;
    let llm = Arc::new(llm);
    let pb = progress_bar();
    let pb2 = pb.clone();
    let d = tokio::task::spawn_blocking(move || {
        draft::draft(&llm, &input, &format, &opts, &|p| {
            pb2.set_position((p.fraction * 1000.0) as u64);
            pb2.set_message(format!("{} {}/{}", p.stage, p.step, p.steps));
            true
        })
    })
    .await??;
    pb.finish_and_clear();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        print!("{}", d.note_text());
        for u in &d.plan_updates {
            println!("Goal {}: {} {}", u.goal_id, u.status.as_str(), u.evidence);
        }
        for f in &d.flags {
            println!("flag: {f}");
        }
        if !d.complete {
            println!("(incomplete: some model output hit its token budget and was discarded)");
        }
    }
    Ok(())
}
