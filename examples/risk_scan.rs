//! Scans transcripts for risk cues and prints the cues, the three-state fields and the flags:
//! `cargo run --example risk_scan -- [--dictation] FILE...` (a transcript as `noted draft
//! --transcript` reads it: `noted transcribe` JSON, or text lines `Therapist:`/`Client:`).
//! With `--models DIR` (or `NOTED_TEST_MODELS`) holding all-MiniLM-L6-v2, the embedding net
//! runs too.

use std::path::PathBuf;
use std::time::Instant;

use noted::draft::risk::{self, EmbeddingNet};
use noted::draft::{ChartContext, DraftInput, InputKind};

fn main() -> anyhow::Result<()> {
    let mut files = Vec::new();
    let mut dictation = false;
    let mut models: Option<PathBuf> = std::env::var_os("NOTED_TEST_MODELS").map(PathBuf::from);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dictation" => dictation = true,
            "--models" => models = args.next().map(PathBuf::from),
            _ => files.push(PathBuf::from(a)),
        }
    }
    let encoder = models
        .as_deref()
        .and_then(noted::embed::find_installed)
        .map(|d| noted::embed::SentenceEncoder::load(&d))
        .transpose()?;
    let net = encoder.as_ref().map(|e| EmbeddingNet::new(e)).transpose()?;
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let input = if dictation {
            DraftInput::from_summary(&text, ChartContext::default())?
        } else {
            DraftInput::from_transcript_text(&text, ChartContext::default())?
        };
        let t = Instant::now();
        let r = risk::assess_with_net(&input, net.as_ref());
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let embedded = match &net {
            Some(n) => n.sentence_scores(&input)?.len(),
            None => 0,
        };
        println!(
            "== {} ({} segments, {:.0} ms, embedding net: {} ({embedded} sentences embedded), {})",
            f.display(),
            input.segments.len(),
            ms,
            r.embedding_net,
            if input.kind == InputKind::Dictation {
                "dictation"
            } else {
                "session"
            }
        );
        println!(
            "   fields: si {:?} {:?}, plan {:?}, intent {:?}, hi {:?}",
            r.suicidal_ideation.status,
            r.suicidal_ideation.citations,
            r.plan.status,
            r.intent.status,
            r.homicidal_ideation.status
        );
        for fl in &r.flags {
            println!("   {fl}");
        }
    }
    Ok(())
}
