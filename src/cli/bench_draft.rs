//! `noted bench draft`: prompt and generation speed of the language model, and the time to
//! draft synthetic sessions of given lengths.

use std::time::Instant;

use crate::config::GlobalOpts;
use crate::draft::bench::synthetic_session;
use crate::draft::{DraftOptions, FormatLibrary};

/// Options of `noted bench draft`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Language model (default: the active one).
    #[arg(long)]
    pub model: Option<String>,
    /// Compute threads.
    #[arg(long, env = "NOTED_THREADS")]
    pub threads: Option<usize>,
    /// Prompt tokens for the prompt-processing measurement.
    #[arg(long, default_value_t = 512)]
    pub prompt_tokens: usize,
    /// Generated tokens for the generation measurement.
    #[arg(long, default_value_t = 64)]
    pub gen_tokens: usize,
    /// Session lengths to draft, in minutes.
    #[arg(long, value_delimiter = ',', default_values_t = vec![3u32, 30])]
    pub minutes: Vec<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(g: &GlobalOpts, a: BenchArgs) -> anyhow::Result<()> {
    let g2 = g.clone();
    let model = a.model.clone();
    let threads = a.threads;
    let t_load = Instant::now();
    let llm =
        tokio::task::spawn_blocking(move || super::draft::load_llm(&g2, model.as_deref(), threads))
            .await??;
    let load_s = t_load.elapsed().as_secs_f64();
    let (pt, gt) = (a.prompt_tokens, a.gen_tokens);
    let (llm, b) = tokio::task::spawn_blocking(move || {
        let b = llm.bench(pt, gt);
        (llm, b)
    })
    .await?;
    let b = b?;
    if !a.json {
        println!(
            "model {} ({}), {} threads, loaded in {load_s:.1} s",
            llm.name(),
            llm.architecture(),
            b.threads
        );
        println!(
            "prompt processing {:.1} tokens/s ({} tokens), generation {:.1} tokens/s ({} tokens)",
            b.pp_tok_s, b.prompt_tokens, b.tg_tok_s, b.gen_tokens
        );
    }
    let format = FormatLibrary::load(&g.data_dir()).get("soap")?;
    let llm = std::sync::Arc::new(llm);
    let mut sessions = Vec::new();
    for m in &a.minutes {
        let input = synthetic_session(*m);
        let n = input.segments.len();
        let llm2 = llm.clone();
        let f2 = format.clone();
        let d = tokio::task::spawn_blocking(move || {
            crate::draft::draft(&llm2, &input, &f2, &DraftOptions::default(), &|_| true)
        })
        .await??;
        let p = &d.provenance;
        if !a.json {
            println!(
                "{m}-minute session ({n} segments): drafted in {:.1} s ({} prompt tokens, {} generated, {} model calls, complete {})",
                p.total_seconds,
                p.prompt_tokens,
                p.generated_tokens,
                p.stages.len().saturating_sub(1),
                d.complete
            );
        }
        sessions.push(serde_json::json!({
            "minutes": m, "segments": n, "seconds": p.total_seconds,
            "prompt_tokens": p.prompt_tokens, "generated_tokens": p.generated_tokens,
            "complete": d.complete,
        }));
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "model": llm.name(), "load_seconds": load_s, "bench": b, "sessions": sessions,
            }))?
        );
    }
    Ok(())
}
