//! The drafting pipeline: windows → model findings → checks → merge → extractive fallback,
//! plus plan updates, proposals and risk.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use crate::llm::{ChatMessage, Finish, GenOptions, GenProgress, Llm};

use super::checks::{CheckContext, Origin, Statement};
use super::extract;
use super::format::{NoteFormat, Section};
use super::input::{DraftInput, InputKind, Segment};
use super::prompt;
use super::risk::{self, Risk};
use super::text;
use super::{
    Draft, DraftError, DraftOptions, DraftProgress, GoalStatus, PlanUpdate, Provenance, Sampling,
    SectionDraft, StageTiming,
};

/// Tokens kept free for the chat template's own tokens.
const TEMPLATE_MARGIN: usize = 48;

struct Run<'a> {
    llm: &'a Llm,
    input: &'a DraftInput,
    format: &'a NoteFormat,
    opts: &'a DraftOptions,
    progress: &'a dyn Fn(DraftProgress) -> bool,
    stages: Vec<StageTiming>,
    flags: Vec<String>,
    complete: bool,
    /// (done, total) model calls, for the overall fraction.
    calls_done: usize,
    calls_total: usize,
}

impl Run<'_> {
    fn report(&self, stage: &str, step: usize, steps: usize, generated: usize, max: usize) -> bool {
        let within = if max > 0 {
            generated as f64 / max as f64
        } else {
            0.0
        };
        let fraction = if self.calls_total == 0 {
            1.0
        } else {
            ((self.calls_done as f64 + within.min(1.0)) / self.calls_total as f64).min(1.0)
        };
        (self.progress)(DraftProgress {
            stage: stage.to_string(),
            step,
            steps,
            generated_tokens: generated,
            max_tokens: max,
            fraction,
        })
    }

    /// One constrained generation; returns the parsed JSON, or None when incomplete.
    fn call(
        &mut self,
        stage: &str,
        step: usize,
        steps: usize,
        system: String,
        user: String,
        schema: serde_json::Value,
        max_tokens: usize,
    ) -> Result<Option<serde_json::Value>, DraftError> {
        let prompt = self.llm.chat_prompt(&[
            ChatMessage {
                role: "system".into(),
                content: system,
            },
            ChatMessage {
                role: "user".into(),
                content: user,
            },
        ])?;
        let gen_opts = GenOptions {
            max_tokens,
            temperature: self.opts.temperature,
            top_p: self.opts.top_p,
            seed: self.opts.seed.wrapping_add(self.calls_done as u64),
            stop: Vec::new(),
            json_schema: Some(schema),
            threads: self.opts.threads,
        };
        let t0 = Instant::now();
        let cancelled = std::cell::Cell::new(false);
        let cb = |p: GenProgress| {
            let go = self.report(stage, step, steps, p.generated_tokens, p.max_tokens);
            if !go {
                cancelled.set(true);
            }
            go
        };
        let g = self.llm.generate(&prompt, &gen_opts, &cb)?;
        if cancelled.get() || g.finish == Finish::Cancelled {
            return Err(DraftError::Cancelled);
        }
        self.calls_done += 1;
        self.stages.push(StageTiming {
            stage: format!("{stage} {step}/{steps}"),
            prompt_tokens: g.prompt_tokens,
            reused_prompt_tokens: g.reused_prompt_tokens,
            generated_tokens: g.generated_tokens,
            prompt_seconds: g.prompt_seconds,
            generation_seconds: g.generation_seconds,
            seconds: t0.elapsed().as_secs_f64(),
            complete: g.complete,
        });
        if !g.complete {
            self.complete = false;
            self.flags.push(format!(
                "incomplete:{stage} {step}/{steps}: the token budget ({max_tokens}) ran out; this part of the model output was discarded"
            ));
            return Ok(None);
        }
        match serde_json::from_str::<serde_json::Value>(&g.text) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                // constrained decoding should make this impossible; never guess at a half note
                self.complete = false;
                self.flags.push(format!(
                    "unparsable:{stage} {step}/{steps}: model output did not parse ({e}); discarded"
                ));
                Ok(None)
            }
        }
    }
}

/// Splits segments into windows whose prompt lines fit `budget` tokens, repeating the last
/// `overlap` segments of a window at the start of the next.
pub(crate) fn windows(
    llm: &Llm,
    segs: &[Segment],
    budget: usize,
    overlap: usize,
) -> Result<Vec<std::ops::Range<usize>>, DraftError> {
    let mut costs = Vec::with_capacity(segs.len());
    for s in segs {
        costs.push(llm.count_tokens(&s.text)? + 6);
    }
    Ok(split_by_cost(&costs, budget, overlap))
}

/// Window ranges over items with token `costs` (each window at least one item).
pub(crate) fn split_by_cost(
    costs: &[usize],
    budget: usize,
    overlap: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < costs.len() {
        let mut end = start;
        let mut used = 0;
        while end < costs.len() && (end == start || used + costs[end] <= budget) {
            used += costs[end];
            end += 1;
        }
        out.push(start..end);
        if end >= costs.len() {
            break;
        }
        let next = end.saturating_sub(overlap);
        start = if next > start { next } else { end };
    }
    out
}

fn as_ids(v: &serde_json::Value) -> Vec<u32> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    x.as_u64()
                        .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
                })
                .map(|x| x as u32)
                .collect()
        })
        .unwrap_or_default()
}

/// Model findings over all windows, as unchecked statements per section key.
fn model_findings(
    run: &mut Run<'_>,
    only: Option<&Section>,
    instruction: Option<&str>,
) -> Result<Vec<(String, Statement)>, DraftError> {
    let input = run.input;
    let format = run.format;
    let dictation = input.kind == InputKind::Dictation;
    let max_findings = run.opts.max_findings;
    let (sys_probe, user_probe) = prompt::extract(
        format,
        &input.client,
        dictation,
        &[],
        1,
        2,
        max_findings,
        only,
        instruction,
    )?;
    let overhead =
        run.llm.count_tokens(&sys_probe)? + run.llm.count_tokens(&user_probe)? + TEMPLATE_MARGIN;
    let ctx = run.llm.context_length().min(run.opts.context_limit);
    let budget = ctx
        .saturating_sub(overhead + run.opts.max_tokens)
        .min(run.opts.window_tokens)
        .max(64);
    let wins = windows(run.llm, &input.segments, budget, run.opts.overlap_segments)?;
    run.calls_total += wins.len();
    let n = wins.len();
    let mut out = Vec::new();
    let keys: Vec<String> = match only {
        Some(s) => vec![s.key.clone()],
        None => format.keys().iter().map(|k| k.to_string()).collect(),
    };
    for (i, w) in wins.into_iter().enumerate() {
        let segs: Vec<&Segment> = input.segments[w].iter().collect();
        let ids: Vec<u32> = segs.iter().map(|s| s.id).collect();
        let lines = prompt::lines(&segs);
        let (sys, user) = prompt::extract(
            format,
            &input.client,
            dictation,
            &lines,
            i + 1,
            n,
            max_findings,
            only,
            instruction,
        )?;
        let mut schema = format.findings_schema(&ids, max_findings);
        if only.is_some() {
            schema["properties"]["findings"]["items"]["properties"]["section"] =
                serde_json::json!({ "enum": keys });
        }
        if !run.report("extract", i + 1, n, 0, run.opts.max_tokens) {
            return Err(DraftError::Cancelled);
        }
        let Some(v) = run.call("extract", i + 1, n, sys, user, schema, run.opts.max_tokens)? else {
            continue;
        };
        for f in v["findings"].as_array().cloned().unwrap_or_default() {
            let section = f["section"].as_str().unwrap_or_default().to_string();
            let text = f["statement"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .to_string();
            if text.is_empty() {
                continue;
            }
            let section = if keys.contains(&section) {
                section
            } else {
                keys[0].clone()
            };
            out.push((
                section,
                Statement {
                    text,
                    citations: as_ids(&f["cites"]),
                    flags: Vec::new(),
                    support: 0.0,
                    origin: Origin::Model,
                    included: true,
                },
            ));
        }
    }
    Ok(out)
}

/// Checks, de-duplicates and orders statements; fills uncovered salient segments with
/// extractive statements; builds section texts.
pub(crate) fn assemble(
    input: &DraftInput,
    format: &NoteFormat,
    risk: &Risk,
    found: Vec<(String, Statement)>,
    fallback: bool,
    only: Option<&Section>,
) -> BTreeMap<String, SectionDraft> {
    let cx = CheckContext::new(input, risk);
    let order: HashMap<u32, usize> = input
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut per: BTreeMap<String, Vec<Statement>> = BTreeMap::new();
    for (k, mut st) in found {
        cx.check(&mut st);
        let list = per.entry(k).or_default();
        // de-duplicate: a near-identical statement already kept absorbs this one's citations
        if let Some(prev) = list
            .iter_mut()
            .find(|p| p.included && text::similarity(&p.text, &st.text) >= 0.6)
        {
            if st.included {
                for c in &st.citations {
                    if !prev.citations.contains(c) {
                        prev.citations.push(*c);
                    }
                }
                continue;
            }
        }
        list.push(st);
    }
    if fallback {
        // a segment is covered when an included statement cites it AND restates most of
        // its content (a statement citing three segments may carry only one of them)
        let mut covered: std::collections::HashSet<u32> = std::collections::HashSet::new();
        for st in per.values().flatten().filter(|s| s.included) {
            for c in &st.citations {
                if let Some(seg) = input.segment(*c) {
                    if text::support(&seg.text, &st.text) >= 0.6 {
                        covered.insert(*c);
                    }
                }
            }
        }
        for (i, seg) in input.segments.iter().enumerate() {
            if covered.contains(&seg.id) || !extract::salient(seg, input.kind) {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| &input.segments[j]);
            let place = extract::classify(seg, prev, input.kind, format);
            let key = place
                .heading_section
                .clone()
                .unwrap_or_else(|| format.section_for(place.category).key.clone());
            if only.is_some_and(|s| s.key != key) {
                continue;
            }
            let (t, cites) =
                extract::extractive_text(seg, prev, place.category, input.kind, format);
            let mut st = Statement {
                text: t,
                citations: cites,
                flags: vec!["extractive".to_string()],
                support: 0.0,
                origin: Origin::Extractive,
                included: true,
            };
            cx.check(&mut st);
            // a verbatim restatement cannot contradict the risk block: the block is derived
            // from the same words
            st.flags
                .retain(|f| super::checks::code(f) != "risk_unsupported");
            st.included = !st.flags.iter().any(|f| super::checks::is_blocking(f));
            per.entry(key).or_default().push(st);
        }
    }
    let first = |s: &Statement| {
        s.citations
            .iter()
            .filter_map(|c| order.get(c))
            .min()
            .copied()
            .unwrap_or(usize::MAX)
    };
    let mut out = BTreeMap::new();
    for sec in &format.sections {
        if only.is_some_and(|o| o.key != sec.key) {
            continue;
        }
        let mut list = per.remove(&sec.key).unwrap_or_default();
        for st in list.iter_mut() {
            st.citations
                .sort_by_key(|c| order.get(c).copied().unwrap_or(usize::MAX));
        }
        list.sort_by_key(|s| first(s));
        let text = list
            .iter()
            .filter(|s| s.included)
            .map(|s| {
                let t = s.text.trim();
                if t.ends_with(['.', '!', '?', '"']) {
                    t.to_string()
                } else {
                    format!("{t}.")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.insert(
            sec.key.clone(),
            SectionDraft {
                title: sec.title.clone(),
                text,
                statements: list,
            },
        );
    }
    out
}

fn plan_updates(run: &mut Run<'_>) -> Result<Vec<PlanUpdate>, DraftError> {
    let input = run.input;
    let goals = &input.client.goals;
    let mut out = Vec::new();
    let mut todo = Vec::new();
    for g in goals {
        // A goal with a stated baseline and target whose current value the session gives is
        // decided by arithmetic, not by the model.
        if let Some(u) = super::goals::measured_update(input, g) {
            out.push(u);
            continue;
        }
        let need = if text::content_stems(&g.text).len() >= 4 {
            2
        } else {
            1
        };
        let rel = extract::related_segments(input, &g.text, run.opts.plan_segments, need);
        if rel.is_empty() {
            out.push(PlanUpdate {
                goal_id: g.id.clone(),
                goal: String::new(),
                status: GoalStatus::NotAddressed,
                evidence: String::new(),
                citations: Vec::new(),
                flags: Vec::new(),
            });
        } else {
            todo.push((g, rel));
        }
    }
    if !run.opts.plan_updates_with_model {
        for (g, _) in todo {
            out.push(PlanUpdate::not_addressed(&g.id));
        }
        return Ok(reorder(goals, out));
    }
    run.calls_total += todo.len();
    let steps = todo.len();
    for (i, (g, rel)) in todo.into_iter().enumerate() {
        let mut ids: Vec<u32> = rel.iter().map(|(id, _)| *id).collect();
        let pos = |id: &u32| input.segments.iter().position(|s| s.id == *id).unwrap_or(0);
        ids.sort_by_key(pos);
        let segs: Vec<&Segment> = ids.iter().filter_map(|id| input.segment(*id)).collect();
        let lines = prompt::lines(&segs);
        let (sys, user) = prompt::plan(g, &lines)?;
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "status": {"enum": ["met", "progressing", "not_met", "not_addressed"]},
                "evidence": {"type": "string", "maxLength": 200},
                "cites": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"enum": ids}}
            },
            "required": ["status", "evidence", "cites"],
            "additionalProperties": false,
            "x-guidance": {"whitespace_flexible": false}
        });
        if !run.report("plan", i + 1, steps, 0, run.opts.plan_max_tokens) {
            return Err(DraftError::Cancelled);
        }
        let Some(v) = run.call(
            "plan",
            i + 1,
            steps,
            sys,
            user,
            schema,
            run.opts.plan_max_tokens,
        )?
        else {
            out.push(PlanUpdate {
                flags: vec!["incomplete: the model's answer was cut off".into()],
                ..PlanUpdate::not_addressed(&g.id)
            });
            continue;
        };
        let status = match v["status"].as_str() {
            Some("met") => GoalStatus::Met,
            Some("progressing") => GoalStatus::Progressing,
            Some("not_met") => GoalStatus::NotMet,
            _ => GoalStatus::NotAddressed,
        };
        let evidence = v["evidence"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_string();
        let citations: Vec<u32> = as_ids(&v["cites"])
            .into_iter()
            .filter(|c| input.segment(*c).is_some())
            .collect();
        out.push(check_plan_update(input, g, status, evidence, citations));
    }
    Ok(reorder(goals, out))
}

/// Goal order of the chart, each update carrying its goal's text.
fn reorder(goals: &[super::input::Goal], mut v: Vec<PlanUpdate>) -> Vec<PlanUpdate> {
    for u in &mut v {
        if let Some(g) = goals.iter().find(|g| g.id == u.goal_id) {
            u.goal = g.text.clone();
        }
    }
    v.sort_by_key(|u| {
        goals
            .iter()
            .position(|g| g.id == u.goal_id)
            .unwrap_or(usize::MAX)
    });
    v
}

/// Post-check of a model plan update: a status other than `not_addressed` needs cited
/// segments that speak to the goal and evidence they support (numbers included); otherwise
/// it is reset to `not_addressed`, with a flag keeping the model's proposal visible.
pub(crate) fn check_plan_update(
    input: &DraftInput,
    goal: &super::input::Goal,
    status: GoalStatus,
    evidence: String,
    citations: Vec<u32>,
) -> PlanUpdate {
    if status == GoalStatus::NotAddressed {
        return PlanUpdate::not_addressed(&goal.id);
    }
    let cited: String = citations
        .iter()
        .filter_map(|c| input.segment(*c))
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut problems = Vec::new();
    if citations.is_empty() {
        problems.push("no citation".to_string());
    } else {
        let goal_overlap = text::support(&cited, &goal.text);
        if goal_overlap <= 0.0 {
            problems.push("cited segments do not mention the goal".to_string());
        }
        let sup = text::support(&evidence, &format!("{cited}\n{}", goal.text));
        if sup < super::checks::MIN_SUPPORT {
            problems.push(format!("evidence poorly supported ({sup:.2})"));
        }
        let nums: std::collections::HashSet<String> =
            text::numbers(&format!("{cited}\n{}", goal.text))
                .into_iter()
                .collect();
        for n in text::numbers(&evidence) {
            if !nums.contains(&n) {
                problems.push(format!("number {n} not in the cited segments"));
            }
        }
    }
    // The status is the model's judgment; its wording may be poor. When the cited segments
    // clearly speak to the goal, keep the status but replace unsupported evidence by the
    // most goal-related cited segment, quoted (flagged for the reviewer).
    let goal_stems: std::collections::HashSet<String> =
        text::content_stems(&goal.text).into_iter().collect();
    let best = citations
        .iter()
        .filter_map(|c| input.segment(*c))
        .map(|s| {
            let n = text::content_stems(&s.text)
                .into_iter()
                .collect::<std::collections::HashSet<_>>()
                .intersection(&goal_stems)
                .count();
            (n, s)
        })
        .max_by_key(|(n, _)| *n);
    let evidence_only = !problems.is_empty()
        && problems
            .iter()
            .all(|p| p.starts_with("evidence") || p.starts_with("number"));
    if let Some((n, seg)) = best.filter(|(n, _)| evidence_only && *n >= 2) {
        let _ = n;
        return PlanUpdate {
            goal_id: goal.id.clone(),
            goal: String::new(),
            status,
            evidence: format!("\"{}\"", seg.text.trim()),
            citations: vec![seg.id],
            flags: vec![format!(
                "evidence_replaced: the model's evidence was not supported ({}); the cited segment is quoted instead",
                problems.join("; ")
            )],
        };
    }
    if problems.is_empty() {
        PlanUpdate {
            goal_id: goal.id.clone(),
            goal: String::new(),
            status,
            evidence,
            citations,
            flags: Vec::new(),
        }
    } else {
        PlanUpdate {
            flags: vec![format!(
                "plan_update_unsupported: model proposed {} (\"{}\") citing {:?}, reset to not_addressed: {}",
                status.as_str(),
                evidence,
                citations,
                problems.join("; ")
            )],
            ..PlanUpdate::not_addressed(&goal.id)
        }
    }
}

fn sampling(opts: &DraftOptions) -> Sampling {
    Sampling {
        temperature: opts.temperature,
        top_p: opts.top_p,
        seed: opts.seed,
        max_tokens: opts.max_tokens,
        plan_max_tokens: opts.plan_max_tokens,
        max_findings: opts.max_findings,
        window_tokens: opts.window_tokens,
        overlap_segments: opts.overlap_segments,
    }
}

fn provenance(
    llm: &Llm,
    format: &NoteFormat,
    opts: &DraftOptions,
    stages: Vec<StageTiming>,
    t0: Instant,
) -> Provenance {
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Provenance {
        model: llm.name().to_string(),
        model_sha256: llm.sha256().to_string(),
        architecture: llm.architecture().to_string(),
        prompt_version: prompt::version(),
        format: format.key.clone(),
        format_version: format.version.clone(),
        format_source: format.source.clone(),
        sampling: sampling(opts),
        prompt_tokens: stages.iter().map(|s| s.prompt_tokens).sum(),
        generated_tokens: stages.iter().map(|s| s.generated_tokens).sum(),
        stages,
        total_seconds: t0.elapsed().as_secs_f64(),
        created_at,
        noted_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// See [`super::draft`].
pub fn draft(
    llm: &Llm,
    input: &DraftInput,
    format: &NoteFormat,
    opts: &DraftOptions,
    progress: &dyn Fn(DraftProgress) -> bool,
) -> Result<Draft, DraftError> {
    let t0 = Instant::now();
    let input = &input.clone().validated()?;
    let risk = risk::assess(input);
    let mut run = Run {
        llm,
        input,
        format,
        opts,
        progress,
        stages: Vec::new(),
        flags: Vec::new(),
        complete: true,
        calls_done: 0,
        calls_total: 0,
    };
    let found = model_findings(&mut run, None, None)?;
    let plan_updates = if input.client.goals.is_empty() {
        Vec::new()
    } else {
        plan_updates(&mut run)?
    };
    if !run.report("checks", 1, 1, 0, 0) {
        return Err(DraftError::Cancelled);
    }
    let t_checks = Instant::now();
    let sections = assemble(input, format, &risk, found, opts.extractive_fallback, None);
    let proposals = extract::proposals(input, format);
    let mut flags = std::mem::take(&mut run.flags);
    for sec in &format.sections {
        if sec.required
            && sections
                .get(&sec.key)
                .is_none_or(|s| s.text.trim().is_empty())
        {
            flags.push(format!(
                "empty_section:{}: required section has no supported statement",
                sec.key
            ));
        }
    }
    let flagged = sections
        .values()
        .flat_map(|s| &s.statements)
        .filter(|s| !s.included)
        .count();
    if flagged > 0 {
        flags.push(format!("statements_held_back:{flagged}: statements with blocking flags are not in the section text; review them"));
    }
    flags.extend(risk.flags.iter().cloned());
    let mut stages = std::mem::take(&mut run.stages);
    stages.push(StageTiming {
        stage: "checks".into(),
        seconds: t_checks.elapsed().as_secs_f64(),
        complete: true,
        ..Default::default()
    });
    let complete = run.complete;
    Ok(Draft {
        format: format.key.clone(),
        section_order: format.keys().iter().map(|k| k.to_string()).collect(),
        sections,
        plan_updates,
        proposals,
        risk,
        flags,
        provenance: provenance(llm, format, opts, stages, t0),
        complete,
    })
}

/// See [`super::redraft_section`].
#[allow(clippy::too_many_arguments)]
pub fn redraft_section(
    llm: &Llm,
    input: &DraftInput,
    format: &NoteFormat,
    section_key: &str,
    instruction: Option<&str>,
    opts: &DraftOptions,
    progress: &dyn Fn(DraftProgress) -> bool,
) -> Result<super::SectionRedraft, DraftError> {
    let t0 = Instant::now();
    let input = &input.clone().validated()?;
    let section = format
        .sections
        .iter()
        .find(|s| s.key == section_key)
        .ok_or_else(|| DraftError::NoSuchSection {
            section: section_key.to_string(),
            format: format.key.clone(),
        })?;
    let risk = risk::assess(input);
    let mut run = Run {
        llm,
        input,
        format,
        opts,
        progress,
        stages: Vec::new(),
        flags: Vec::new(),
        complete: true,
        calls_done: 0,
        calls_total: 0,
    };
    let instruction = instruction.map(|s| s.trim()).filter(|s| !s.is_empty());
    let found = model_findings(&mut run, Some(section), instruction)?;
    let mut sections = assemble(
        input,
        format,
        &risk,
        found,
        opts.extractive_fallback,
        Some(section),
    );
    let sec = sections.remove(section_key).unwrap_or_default();
    let stages = std::mem::take(&mut run.stages);
    Ok(super::SectionRedraft {
        key: section_key.to_string(),
        section: sec,
        instruction: instruction.map(str::to_string),
        flags: run.flags,
        complete: run.complete,
        provenance: provenance(llm, format, opts, stages, t0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_everything_with_overlap() {
        let w = split_by_cost(&[10, 10, 10, 10, 10], 25, 1);
        assert_eq!(w, vec![0..2, 1..3, 2..4, 3..5]);
        let w = split_by_cost(&[100, 5], 25, 1);
        assert_eq!(w, vec![0..1, 1..2]);
        assert_eq!(split_by_cost(&[1, 1, 1], 100, 2), vec![0..3]);
    }
}
