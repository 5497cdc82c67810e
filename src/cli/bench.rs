//! `noted bench`: speed measurements for transcription and drafting (benchmarks, not tests).

use crate::config::GlobalOpts;

/// `noted bench` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Audio length, wall time, real-time factor and peak memory of transcription.
    Transcribe(crate::transcribe::bench::BenchArgs),
    /// Prompt and generation tokens per second, and the time to draft sessions.
    Draft(super::bench_draft::BenchArgs),
    /// Speaker attribution against reference turns: DER, words with the right role, the time
    /// diarization adds to transcription, peak memory.
    Diarize(crate::diarize::bench::BenchArgs),
}

pub async fn run(g: &GlobalOpts, c: BenchCommand) -> anyhow::Result<()> {
    match c {
        BenchCommand::Transcribe(a) => crate::transcribe::bench::run(g, a).await,
        BenchCommand::Draft(a) => super::bench_draft::run(g, a).await,
        BenchCommand::Diarize(a) => crate::diarize::bench::run(g, a).await,
    }
}
