//! `noted bench draft`: speed measurement.

use std::time::Instant;

use crate::config::GlobalOpts;

use super::input::{ChartContext, DraftInput, Goal, InputKind, Segment, Speaker};
use super::{DraftOptions, FormatLibrary};

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

const LINES: &[(&str, &str)] = &[
    ("therapist", "How has the week been since we last met?"),
    ("client", "Busy. Work was stressful and I only slept about six hours most nights."),
    ("therapist", "What was the hardest moment this week?"),
    ("client", "On Wednesday my manager criticized my report in front of the team and I felt my chest tighten."),
    ("therapist", "What went through your mind right then?"),
    ("client", "That I am going to lose this job and everyone thinks I am incompetent."),
    ("therapist", "Let's look at the evidence for and against that thought on a thought record."),
    ("client", "Well, last month I got good feedback on the budget project, so maybe it is not that bad."),
    ("therapist", "That is a good example of balancing the thought. How strong is the belief now, from zero to one hundred?"),
    ("client", "Maybe forty, down from about eighty."),
    ("therapist", "Your anxiety questionnaire today came out at eleven, compared with fourteen last month."),
    ("client", "That matches. I have been using the breathing exercise in the car before work."),
    ("therapist", "Let's practice the breathing together now, in for four and out for six."),
    ("client", "That helps. My shoulders feel looser."),
    ("therapist", "For this week, could you do the breathing twice a day and write one thought record?"),
    ("client", "Yes, I can do that. I will put a reminder on my phone."),
];

/// A synthetic session of about `minutes` minutes (about 150 spoken words a minute).
pub fn synthetic_session(minutes: u32) -> DraftInput {
    let target_words = minutes as usize * 150;
    let mut segments = Vec::new();
    let mut words = 0;
    let mut t = 0.0;
    while words < target_words {
        let (sp, text) = LINES[segments.len() % LINES.len()];
        let n = text.split_whitespace().count();
        let dur = n as f64 / 2.5;
        segments.push(Segment {
            id: segments.len() as u32,
            start: t,
            end: t + dur,
            speaker: if sp == "therapist" {
                Speaker::Therapist
            } else {
                Speaker::Client
            },
            text: text.to_string(),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
        });
        t += dur + 0.5;
        words += n;
    }
    DraftInput {
        kind: InputKind::Session,
        segments,
        client: ChartContext {
            name: "Test Client".into(),
            presenting_problems: vec!["Work stress".into(), "Anxiety".into()],
            goals: vec![
                Goal {
                    id: "g1".into(),
                    text: "Reduce GAD-7 anxiety score from 14 to below 8".into(),
                },
                Goal {
                    id: "g2".into(),
                    text: "Sleep at least seven hours on most nights".into(),
                },
            ],
            ..Default::default()
        },
    }
}

pub async fn run(g: &GlobalOpts, a: BenchArgs) -> anyhow::Result<()> {
    let g2 = g.clone();
    let model = a.model.clone();
    let threads = a.threads;
    let t_load = Instant::now();
    let llm = tokio::task::spawn_blocking(move || {
        crate::cli::draft::load_llm(&g2, model.as_deref(), threads)
    })
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
            super::draft(&llm2, &input, &f2, &DraftOptions::default(), &|_| true)
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
