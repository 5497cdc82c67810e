//! The `draft` and `redraft_section` jobs: transcript segments (current text, after the
//! clinician's corrections) or a typed summary, plus the client's chart context (presenting
//! problems, active goals with ids, interventions, latest measures) → [`crate::draft::draft`]
//! off the async runtime, progress by stage and tokens → the draft and its note row stored in
//! one transaction with the job's completion.
//!
//! Payloads:
//! - `draft`: `{"transcript_id", "format", "model"?}` or `{"client_id", "text", "format",
//!   "model"?}` (a typed or dictated summary);
//! - `redraft_section`: `{"draft_id", "section", "instruction"?}`: the section is drafted again
//!   and replaces the section of the clinician's working copy.
//!
//! Process notes are never read here: the model sees only what [`build_input`] returns.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{json, Value};

use super::engines::Engines;
use crate::audit::{self, Actor, Event};
use crate::chart::GoalStatus;
use crate::draft::{
    self, ChartContext, DraftInput, DraftOptions, DraftProgress, FormatLibrary, InputKind, Segment,
    Speaker,
};
use crate::jobs::{handler_fn, HandlerRegistry, Job, JobContext, JobError, JobQueue};
use crate::llm::Llm;
use crate::notes::review::{RedraftRecord, ReviewSection};
use crate::notes::{draft_in, ensure_editable, insert_draft_in, write_review_in};
use crate::store::db;
use crate::store::drafts::NewDraft;
use crate::store::{Store, StoreError};

/// Kind of the job that drafts a whole note.
pub const DRAFT_JOB: &str = "draft";
/// Kind of the job that redrafts one section of a draft under review.
pub const REDRAFT_JOB: &str = "redraft_section";

#[derive(Clone)]
struct Ctx {
    store: Store,
    engines: Arc<Engines>,
    data_dir: PathBuf,
}

/// Registers the `draft` and `redraft_section` handlers.
pub fn register(
    registry: &mut HandlerRegistry,
    store: Store,
    _queue: JobQueue,
    engines: Arc<Engines>,
    data_dir: PathBuf,
) {
    let c = Ctx {
        store,
        engines,
        data_dir,
    };
    let c2 = c.clone();
    registry.register(
        DRAFT_JOB,
        handler_fn(move |job, ctx| {
            let c = c.clone();
            async move { run_draft(c, job, ctx).await }
        }),
    );
    registry.register(
        REDRAFT_JOB,
        handler_fn(move |job, ctx| {
            let c = c2.clone();
            async move { run_redraft(c, job, ctx).await }
        }),
    );
}

fn db_err(e: impl std::fmt::Display) -> JobError {
    JobError::retryable(format!("database error: {e}"))
}

fn job_actor(job: &Job) -> Actor {
    Actor {
        user_id: job.created_by,
        remote_addr: "job".into(),
    }
}

/// The chart context the model may see: presenting problems, active goals with ids,
/// intervention names and the latest score of each measure. Never process notes.
pub async fn chart_context(store: &Store, client_id: i64) -> Result<ChartContext, StoreError> {
    let client = store
        .client_unchecked(client_id)
        .await?
        .ok_or(StoreError::NotFound("client"))?;
    let mut ctx = ChartContext {
        name: client.full_name.clone(),
        ..Default::default()
    };
    if let Some(plan) = store.current_plan(client_id).await? {
        let p = plan.plan;
        ctx.presenting_problems = p.presenting_problems.clone();
        ctx.goals = p
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .map(|g| draft::Goal {
                id: g.id.clone(),
                text: g.description.clone(),
            })
            .collect();
        ctx.interventions = p.interventions.iter().map(|i| i.name.clone()).collect();
    }
    let mut latest: std::collections::BTreeMap<String, draft::input::MeasureResult> =
        Default::default();
    for m in store.list_measures(client_id, None).await? {
        let Some(total) = m.total else { continue };
        let name = match m.instrument.as_str() {
            "phq9" => "PHQ-9",
            "gad7" => "GAD-7",
            other => other,
        }
        .to_string();
        let newer = latest
            .get(&name)
            .is_none_or(|x| x.date.as_deref().unwrap_or("") <= m.measured_on.as_str());
        if newer {
            latest.insert(
                name.clone(),
                draft::input::MeasureResult {
                    name,
                    score: total,
                    date: Some(m.measured_on.clone()),
                },
            );
        }
    }
    ctx.measures = latest.into_values().collect();
    Ok(ctx)
}

/// What a draft is made from.
#[derive(Debug, Clone)]
pub enum Source {
    Transcript(i64),
    Summary { client_id: i64, text: String },
}

/// The whole input the model sees for a draft (segments + chart context).
pub async fn build_input(store: &Store, source: &Source) -> Result<(i64, DraftInput), JobError> {
    match source {
        Source::Transcript(tid) => {
            let t = store
                .transcript(*tid)
                .await
                .map_err(db_err)?
                .ok_or_else(|| JobError::fatal(format!("transcript {tid} not found")))?;
            let segments: Vec<Segment> = store
                .segments(*tid)
                .await
                .map_err(db_err)?
                .iter()
                .map(|s| Segment {
                    id: s.id as u32,
                    start: s.start,
                    end: s.end,
                    speaker: match s.speaker.as_str() {
                        "therapist" => Speaker::Therapist,
                        "client" => Speaker::Client,
                        _ => Speaker::Unknown,
                    },
                    text: s.text.clone(),
                    avg_logprob: s.avg_logprob as f32,
                    no_speech_prob: s.no_speech_prob as f32,
                })
                .collect();
            let client = chart_context(store, t.client_id).await.map_err(db_err)?;
            let input = DraftInput {
                kind: InputKind::Session,
                segments,
                client,
            }
            .validated()
            .map_err(JobError::fatal)?;
            Ok((t.client_id, input))
        }
        Source::Summary { client_id, text } => {
            let client = chart_context(store, *client_id).await.map_err(db_err)?;
            let input = DraftInput::from_summary(text, client).map_err(JobError::fatal)?;
            Ok((*client_id, input))
        }
    }
}

/// The model for a job: the shared active one, or `name` if given and different.
async fn model_for(engines: &Engines, name: Option<&str>) -> Result<Arc<Llm>, JobError> {
    let active = engines.llm().await;
    match (name, active) {
        (None, a) => a.map_err(JobError::fatal),
        (Some(n), Ok(a)) if a.name() == n => Ok(a),
        (Some(n), _) => {
            let dir = engines.models_dir().to_path_buf();
            let n = n.to_string();
            tokio::task::spawn_blocking(move || {
                let m = crate::models::registry::find_role(
                    &dir,
                    &n,
                    crate::models::registry::Role::Llm,
                )
                .map_err(JobError::fatal)?;
                Llm::load(&m).map(Arc::new).map_err(JobError::fatal)
            })
            .await
            .map_err(|e| JobError::fatal(format!("loading the model crashed: {e}")))?
        }
    }
}

fn progress_label(p: &DraftProgress) -> String {
    if p.max_tokens > 0 {
        format!(
            "{} {}/{} ({}/{} tokens)",
            p.stage, p.step, p.steps, p.generated_tokens, p.max_tokens
        )
    } else {
        format!("{} {}/{}", p.stage, p.step, p.steps)
    }
}

async fn run_draft(c: Ctx, job: Job, ctx: JobContext) -> Result<Value, JobError> {
    let p = &job.payload;
    let format_key = p
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("soap")
        .to_string();
    let model_name = p.get("model").and_then(Value::as_str).map(str::to_string);
    let source = if let Some(t) = p.get("transcript_id").and_then(Value::as_i64) {
        Source::Transcript(t)
    } else if let (Some(cid), Some(text)) = (
        p.get("client_id").and_then(Value::as_i64),
        p.get("text").and_then(Value::as_str),
    ) {
        Source::Summary {
            client_id: cid,
            text: text.to_string(),
        }
    } else {
        return Err(JobError::fatal(
            "job payload needs transcript_id, or client_id and text",
        ));
    };
    let format = FormatLibrary::load(&c.data_dir)
        .get(&format_key)
        .map_err(JobError::fatal)?;
    ctx.progress("loading model", 0.0);
    let (client_id, input) = build_input(&c.store, &source).await?;
    let llm = model_for(&c.engines, model_name.as_deref()).await?;
    let summary_segments = match source {
        Source::Summary { .. } => Some(input.segments.clone()),
        Source::Transcript(_) => None,
    };
    let embedding_model = crate::embed::find_installed(c.engines.models_dir());
    let d = {
        let fmt = format.clone();
        ctx.run_blocking(move |ctx| {
            let opts = DraftOptions {
                embedding_model,
                ..DraftOptions::default()
            };
            let cb = |p: DraftProgress| ctx.progress(&progress_label(&p), p.fraction * 0.98);
            match draft::draft(&llm, &input, &fmt, &opts, &cb) {
                Ok(d) => Ok(d),
                Err(draft::DraftError::Cancelled) => Err(JobError::Cancelled),
                Err(e) => Err(JobError::fatal(e)),
            }
        })
        .await?
    };
    if !ctx.progress("saving", 0.99) {
        return Err(JobError::Cancelled);
    }
    let mut content = serde_json::to_value(&d).map_err(JobError::fatal)?;
    if let (Some(segs), Some(o)) = (summary_segments, content.as_object_mut()) {
        o.insert("summary_segments".into(), json!(segs));
    }
    let client = c
        .store
        .client_unchecked(client_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| JobError::fatal("client not found"))?;
    let transcript_id = p.get("transcript_id").and_then(Value::as_i64);
    let mut tx = c.store.begin_write().await.map_err(db_err)?;
    let session_id: Option<i64> = match transcript_id {
        Some(t) => db!(&mut tx, |x| sqlx::query_scalar(
            "SELECT r.therapy_session_id FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE t.id = $1",
        )
        .bind(t)
        .fetch_optional(x)
        .await)
        .map_err(db_err)?
        .flatten(),
        None => p.get("therapy_session_id").and_then(Value::as_i64),
    };
    let new = NewDraft {
        client_id,
        therapy_session_id: session_id,
        transcript_id,
        format: format.key.clone(),
        content,
        model: d.provenance.model.clone(),
        model_sha256: d.provenance.model_sha256.clone(),
        prompt_version: d.provenance.prompt_version.clone(),
        provenance: serde_json::to_value(&d.provenance).map_err(JobError::fatal)?,
        created_by: job.created_by.unwrap_or(client.clinician_id),
        author_id: client.clinician_id,
    };
    let (draft_id, note_id) = insert_draft_in(&mut tx, &job_actor(&job), &new)
        .await
        .map_err(db_err)?;
    let result = json!({"draft_id": draft_id, "note_id": note_id, "complete": d.complete});
    ctx.complete_in(&mut tx, &result).await?;
    tx.commit().await.map_err(db_err)?;
    tracing::info!(
        job_id = job.id,
        draft_id,
        note_id,
        complete = d.complete,
        "draft saved"
    );
    Ok(result)
}

async fn run_redraft(c: Ctx, job: Job, ctx: JobContext) -> Result<Value, JobError> {
    let p = &job.payload;
    let draft_id = p
        .get("draft_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| JobError::fatal("job payload has no draft_id"))?;
    let section = p
        .get("section")
        .and_then(Value::as_str)
        .ok_or_else(|| JobError::fatal("job payload has no section"))?
        .to_string();
    let instruction = p
        .get("instruction")
        .and_then(Value::as_str)
        .map(str::to_string);
    let row = c
        .store
        .draft(draft_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| JobError::fatal(format!("draft {draft_id} not found")))?;
    ensure_editable(&row).map_err(JobError::fatal)?;
    let format = FormatLibrary::load(&c.data_dir)
        .get(&row.format)
        .map_err(JobError::fatal)?;
    let input = match row.transcript_id {
        Some(t) => build_input(&c.store, &Source::Transcript(t)).await?.1,
        None => {
            // A typed summary: its sentences were kept with the draft.
            let content: Value = serde_json::from_str(&row.content).map_err(JobError::fatal)?;
            let segments: Vec<Segment> = serde_json::from_value(
                content
                    .get("summary_segments")
                    .cloned()
                    .unwrap_or(json!([])),
            )
            .map_err(JobError::fatal)?;
            DraftInput {
                kind: InputKind::Dictation,
                segments,
                client: chart_context(&c.store, row.client_id)
                    .await
                    .map_err(db_err)?,
            }
            .validated()
            .map_err(JobError::fatal)?
        }
    };
    ctx.progress("loading model", 0.0);
    let llm = model_for(&c.engines, None).await?;
    let embedding_model = crate::embed::find_installed(c.engines.models_dir());
    let red = {
        let fmt = format.clone();
        let section = section.clone();
        let instruction = instruction.clone();
        ctx.run_blocking(move |ctx| {
            let opts = DraftOptions {
                embedding_model,
                ..DraftOptions::default()
            };
            let cb = |p: DraftProgress| ctx.progress(&progress_label(&p), p.fraction * 0.98);
            match draft::redraft_section(
                &llm,
                &input,
                &fmt,
                &section,
                instruction.as_deref(),
                &opts,
                &cb,
            ) {
                Ok(d) => Ok(d),
                Err(draft::DraftError::Cancelled) => Err(JobError::Cancelled),
                Err(e) => Err(JobError::fatal(e)),
            }
        })
        .await?
    };
    let new_section: ReviewSection =
        serde_json::from_value(serde_json::to_value(&red.section).map_err(JobError::fatal)?)
            .map_err(JobError::fatal)?;
    let mut tx = c.store.begin_write().await.map_err(db_err)?;
    let row = draft_in(&mut tx, draft_id).await.map_err(db_err)?;
    ensure_editable(&row).map_err(JobError::fatal)?;
    let mut doc = row.working().map_err(JobError::fatal)?;
    let rec = RedraftRecord {
        section: section.clone(),
        instruction: instruction.clone(),
        at: crate::store::now(),
        job_id: Some(job.id),
    };
    doc.apply_redraft(&section, new_section, rec)
        .map_err(JobError::fatal)?;
    for f in red.flags {
        if !doc.flags.contains(&f) {
            doc.flags.push(f);
        }
    }
    write_review_in(&mut tx, &row, &doc).await.map_err(db_err)?;
    let ev = Event::new("draft.redraft", "draft", draft_id)
        .client(row.client_id)
        .detail(json!({"section": section, "job_id": job.id, "with_instruction": instruction.is_some()}));
    audit::append(&mut tx, &job_actor(&job), &ev)
        .await
        .map_err(db_err)?;
    let result = json!({"draft_id": draft_id, "section": section, "complete": red.complete});
    ctx.complete_in(&mut tx, &result).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(result)
}
