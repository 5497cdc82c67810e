//! Drafting progress notes and plan updates from transcripts, with citations and checks.
//!
//! # Library API (used by the CLI, the job queue and the review UI)
//! - [`draft`]: a whole note from a [`DraftInput`] (transcript segments or a typed summary
//!   split into citable sentences, plus the chart context) in a [`NoteFormat`].
//! - [`redraft_section`]: one section again, optionally with a clinician instruction
//!   ("shorter", "more detail on interventions").
//! - [`FormatLibrary::load`]: the built-in formats plus `<data dir>/formats/*.toml`.
//!
//! # Pipeline
//! 0. A session transcript without speaker labels gets roles inferred from the words
//!    ([`roles`]); unclear segments stay unknown.
//! 1. Facts ([`facts`]): the transcript is cut into exchanges (a client's report with the
//!    question it answers; a therapist's intervention, plan or measure with the reply), scored
//!    by salience, and the best ones, as many as the note's word budget allows, are rewritten
//!    by the model in batches, one sentence each, under the sentence grammar ([`grammar`]: a
//!    subject first, no first or second person, no fillers, quotes or questions). A fact cites
//!    its exchange's segments; its section comes from the rule-based classifier.
//! 2. Every fact is checked ([`checks`]): citations, support by the cited segments, numbers,
//!    names, negations, unobserved mental-status defaults, risk claims, and the form of a note
//!    ([`style`]: verbatim copies, first person, run-together words, a client report resting
//!    only on the therapist). Near-duplicates are merged with their citations.
//! 3. Composition ([`compose`]): per section, the checked facts are written into a bounded
//!    number of sentences (the section's share of a word budget of about 0.14 × the
//!    transcript, 45–420 words); the synthesis section (assessment) gets all facts with the
//!    presenting problems and goals, plus the risk summary from the risk block. A composed
//!    sentence cites every segment of its facts and is checked again; statements with a
//!    blocking flag stay in `statements` (`included: false`) but out of `text`. If the model
//!    fails, the checked facts are used; if it produced nothing, templated sentences name the
//!    topics (never transcript quotes).
//! 4. Plan updates: per active goal, the related segments go to the model (constrained
//!    status, a one-sentence evidence under the grammar, citations), then a post-check resets
//!    unsupported statuses to `not_addressed` with a flag. Proposals (next session, homework,
//!    referrals) are the plan section's agreed sentences; risk ([`risk`]) is rule-based and
//!    cites its segments; the model never writes risk.
//!
//! A generation cut off by its token budget is discarded (never parsed into a half note),
//! flagged `incomplete:...`, and the draft is `complete: false`.
//!
//! # Progress and cancellation
//! Long calls take `progress: &dyn Fn(DraftProgress) -> bool`: called at each stage and each
//! generated token; returning `false` cancels, and the call returns
//! [`DraftError::Cancelled`] with nothing half-written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod bench;
pub mod change_talk;
pub mod checks;
pub mod compose;
pub mod eval;
pub mod extract;
pub mod facts;
pub mod format;
pub mod goals;
pub mod grammar;
pub mod input;
mod pipeline;
pub mod prompt;
pub mod risk;
pub mod roles;
pub mod rulers;
pub mod style;
pub mod techniques;
pub mod text;

pub use checks::{Origin, Statement};
pub use extract::{Proposal, ProposalKind};
pub use format::{FormatError, FormatLibrary, NoteFormat, Section};
pub use input::{ChartContext, DraftInput, Goal, InputError, InputKind, Segment, Speaker};
pub use risk::{Risk, RiskItem, RiskStatus};

use crate::llm::{Llm, LlmError};

/// Errors of drafting.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("language model: {0}")]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Prompt(#[from] prompt::PromptError),
    #[error("format `{format}` has no section `{section}`")]
    NoSuchSection { section: String, format: String },
    #[error("drafting was cancelled")]
    Cancelled,
}

/// Options of a draft. `Default` gives the tuned defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftOptions {
    /// Token budget of each window's findings.
    pub max_tokens: usize,
    /// Token budget of each plan-update answer.
    pub plan_max_tokens: usize,
    /// Token budget of each section's composition.
    #[serde(default = "default_compose_max_tokens")]
    pub compose_max_tokens: usize,
    /// 0 = greedy (default; the same input gives the same draft).
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub seed: u64,
    /// At most this many findings per window.
    pub max_findings: usize,
    /// Transcript tokens per window (further capped by the model's context).
    pub window_tokens: usize,
    /// Cap on the context used, whatever the model supports (speed on small CPUs).
    pub context_limit: usize,
    /// Segments repeated from the end of one window at the start of the next.
    pub overlap_segments: usize,
    /// Segments retrieved per goal for its plan update.
    pub plan_segments: usize,
    /// Fill salient segments no checked statement covers with extractive statements.
    pub extractive_fallback: bool,
    /// Ask the model for goal statuses (else every goal is `not_addressed`).
    pub plan_updates_with_model: bool,
    /// Compute threads (informational; see `crate::llm::configure_threads`).
    pub threads: Option<usize>,
    /// Directory of the sentence-embedding model (support by meaning, the risk net's second
    /// opinion); found with `embed::find_installed` by the callers.
    #[serde(skip)]
    pub embedding_model: Option<std::path::PathBuf>,
}

fn default_compose_max_tokens() -> usize {
    400
}

impl Default for DraftOptions {
    fn default() -> Self {
        DraftOptions {
            max_tokens: 400,
            plan_max_tokens: 120,
            compose_max_tokens: default_compose_max_tokens(),
            embedding_model: None,
            temperature: 0.0,
            top_p: None,
            seed: 42,
            max_findings: 6,
            window_tokens: 1024,
            context_limit: 4096,
            overlap_segments: 2,
            plan_segments: 6,
            extractive_fallback: true,
            plan_updates_with_model: true,
            threads: None,
        }
    }
}

/// Progress of a draft, reported to the callback.
#[derive(Debug, Clone, Serialize)]
pub struct DraftProgress {
    /// `extract`, `plan` or `checks`.
    pub stage: String,
    /// Step within the stage (window or goal number, 1-based) and the number of steps.
    pub step: usize,
    pub steps: usize,
    /// Tokens generated in the current model call, and its budget.
    pub generated_tokens: usize,
    pub max_tokens: usize,
    /// Overall fraction done, 0..1 (by model calls).
    pub fraction: f64,
}

/// One section of a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SectionDraft {
    pub title: String,
    /// The included statements, one per line.
    pub text: String,
    pub statements: Vec<Statement>,
}

/// Status of a treatment-plan goal after this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    Met,
    Progressing,
    NotMet,
    NotAddressed,
}

impl GoalStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            GoalStatus::Met => "met",
            GoalStatus::Progressing => "progressing",
            GoalStatus::NotMet => "not_met",
            GoalStatus::NotAddressed => "not_addressed",
        }
    }
}

/// A proposed status update for one goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanUpdate {
    pub goal_id: String,
    /// The goal's text from the chart when the draft was made (for the signed note).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goal: String,
    pub status: GoalStatus,
    pub evidence: String,
    pub citations: Vec<u32>,
    pub flags: Vec<String>,
}

impl PlanUpdate {
    /// `not_addressed` with no evidence.
    pub fn not_addressed(goal_id: &str) -> PlanUpdate {
        PlanUpdate {
            goal_id: goal_id.to_string(),
            goal: String::new(),
            status: GoalStatus::NotAddressed,
            evidence: String::new(),
            citations: Vec::new(),
            flags: Vec::new(),
        }
    }
}

/// Sampling parameters recorded in provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub seed: u64,
    pub max_tokens: usize,
    pub plan_max_tokens: usize,
    pub max_findings: usize,
    pub window_tokens: usize,
    pub overlap_segments: usize,
}

/// Timing of one model call or stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTiming {
    pub stage: String,
    pub prompt_tokens: usize,
    pub reused_prompt_tokens: usize,
    pub generated_tokens: usize,
    pub prompt_seconds: f64,
    pub generation_seconds: f64,
    pub seconds: f64,
    pub complete: bool,
}

/// Where a draft came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub model: String,
    pub model_sha256: String,
    pub architecture: String,
    pub prompt_version: String,
    pub format: String,
    pub format_version: String,
    pub format_source: String,
    pub sampling: Sampling,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub stages: Vec<StageTiming>,
    pub total_seconds: f64,
    pub created_at: String,
    pub noted_version: String,
}

/// A drafted note (the JSON `noted draft --json` prints and the review UI reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub format: String,
    /// Section keys in the format's order.
    pub section_order: Vec<String>,
    pub sections: BTreeMap<String, SectionDraft>,
    pub plan_updates: Vec<PlanUpdate>,
    pub proposals: Vec<Proposal>,
    pub risk: Risk,
    /// Draft-level flags (`code:detail: message`): incomplete parts, empty sections, held-back
    /// statements, risk cues.
    pub flags: Vec<String>,
    pub provenance: Provenance,
    /// False when any model output was cut off by its token budget (that part was
    /// discarded, not parsed).
    pub complete: bool,
}

impl Draft {
    /// The whole note as plain text, sections in order with their titles.
    pub fn note_text(&self) -> String {
        let mut s = String::new();
        for k in &self.section_order {
            if let Some(sec) = self.sections.get(k) {
                s.push_str(&sec.title);
                s.push_str(":\n");
                s.push_str(&sec.text);
                s.push_str("\n\n");
            }
        }
        s
    }

    /// The content the draft has in common between runs (everything except provenance
    /// timings): used to compare drafts for determinism.
    pub fn content_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.remove("provenance");
        }
        v
    }
}

/// A redrafted section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRedraft {
    pub key: String,
    pub section: SectionDraft,
    pub instruction: Option<String>,
    pub flags: Vec<String>,
    pub complete: bool,
    pub provenance: Provenance,
}

/// Drafts a note. `llm` is shared (`Send + Sync`); the call is CPU-bound and blocking, so run
/// it on a blocking thread in async code. See the module doc for the pipeline and the
/// progress/cancel contract.
pub fn draft(
    llm: &Llm,
    input: &DraftInput,
    format: &NoteFormat,
    opts: &DraftOptions,
    progress: &dyn Fn(DraftProgress) -> bool,
) -> Result<Draft, DraftError> {
    pipeline::draft(llm, input, format, opts, progress)
}

/// Redrafts one section (`section_key`) of a note, with an optional clinician instruction
/// ("shorter", "more detail on interventions"). The same checks apply; the result replaces
/// the section in the reviewer's copy.
pub fn redraft_section(
    llm: &Llm,
    input: &DraftInput,
    format: &NoteFormat,
    section_key: &str,
    instruction: Option<&str>,
    opts: &DraftOptions,
    progress: &dyn Fn(DraftProgress) -> bool,
) -> Result<SectionRedraft, DraftError> {
    pipeline::redraft_section(llm, input, format, section_key, instruction, opts, progress)
}
