//! The work the job queue runs: audio → transcript (transcription) and transcript → draft
//! (drafting), gluing the engines to the chart store, plus the shared, lazily loaded engines.

pub mod drafting;
pub mod engines;
pub mod retention;
pub mod streaming;
pub mod transcription;
