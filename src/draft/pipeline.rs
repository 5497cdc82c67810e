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
use super::{compose, facts, style};
use super::{
    Draft, DraftError, DraftOptions, DraftProgress, GoalStatus, PlanUpdate, Provenance, Sampling,
    SectionDraft, StageTiming,
};

struct Run<'a> {
    llm: &'a Llm,
    /// This run's own prompt prefixes: nothing else sharing the model changes what it writes.
    prefixes: crate::llm::PrefixCache,
    encoder: Option<&'a crate::embed::SentenceEncoder>,
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
    #[allow(clippy::too_many_arguments)]
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
        let g = self
            .llm
            .generate_in(&prompt, &gen_opts, &cb, &self.prefixes)?;
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

/// The instruction of the second round of facts.
const AGAIN: &str = "Write each sentence in your own words: never copy eight or more words of the excerpt in a row, never run words together, keep every number the excerpt gives (scores, hours, counts, days), and name no person, place or day the excerpt does not name. A sentence about the client says what the client answered, not what the therapist asked or suggested.";

/// Facts: the salient exchanges, selected to fit the note's budget and rewritten by the
/// model in batches, one sentence each (see [`super::facts`]).
fn rewrite_facts(
    run: &mut Run<'_>,
    only: Option<&Section>,
    instruction: Option<&str>,
) -> Result<Vec<(String, Statement)>, DraftError> {
    const BATCH: usize = 5;
    let input = run.input;
    let format = run.format;
    let mut groups = facts::groups(input, format);
    if let Some(o) = only {
        if !compose::is_synthesis(o) {
            groups.retain(|g| g.section == o.key);
        }
    }
    if let Some(enc) = run.encoder {
        facts::weigh_by_topic(&mut groups, input, enc);
    }
    let n = facts::fact_count(compose::note_budget(input));
    let chosen = facts::select(groups, n);
    // a dictated sentence already written as a note sentence is the clinician's own: kept; a
    // scaling question and its figure are written by rule (a small model misreads them)
    // (a rating given in session is measured: the observation section, wherever the exchange
    // was filed)
    let measured = format.section_for("measure").key.clone();
    let ready = |g: &facts::Group| {
        facts::already_note_sentence(input, g)
            .map(|t| (t, g.ids.clone(), g.section.clone(), Origin::Extractive))
            .or_else(|| {
                super::rulers::fact(input, g)
                    .map(|(t, ids)| (t, ids, measured.clone(), Origin::Template))
            })
    };
    let mut out = Vec::new();
    let mut to_write = Vec::new();
    for g in chosen {
        match ready(&g) {
            Some((text, citations, section, origin)) => out.push((
                section,
                Statement {
                    text,
                    citations,
                    flags: Vec::new(),
                    support: 0.0,
                    origin,
                    included: true,
                },
            )),
            None => to_write.push(g),
        }
    }
    let chosen = to_write;
    // each batch once; the groups no fact came to rest on, or whose fact copied the
    // transcript's wording or ran words together, get one more round
    let verbatim = style::Verbatim::new(&input.segments);
    let chart = input.client.all_text();
    let chart_lower = chart.to_lowercase();
    let chart_numbers = text::numbers(&chart).into_iter().collect();
    let mut failed: BTreeMap<usize, (String, Statement)> = BTreeMap::new();
    // first-round sentences that only lost a number or a day, with their coverage
    let mut lost_detail: BTreeMap<usize, ((String, Statement), f64)> = BTreeMap::new();
    let mut pending: Vec<facts::Group> = chosen;
    for round in 0..2 {
        if pending.is_empty() {
            break;
        }
        let batches: Vec<Vec<facts::Group>> = pending.chunks(BATCH).map(<[_]>::to_vec).collect();
        run.calls_total += batches.len();
        let steps = batches.len();
        let stage = if round == 0 { "facts" } else { "facts (again)" };
        let again = [instruction.unwrap_or_default(), AGAIN]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let instruction = if round == 0 {
            instruction
        } else {
            Some(again.as_str())
        };
        let mut uncovered = Vec::new();
        for (i, batch) in batches.iter().enumerate() {
            let refs: Vec<&facts::Group> = batch.iter().collect();
            let excerpts: Vec<String> =
                batch.iter().map(|g| facts::prompt_line(input, g)).collect();
            // asked again, without the example answers: a sentence that failed had often
            // copied one ("Next session scheduled in three weeks" for a plan that said
            // Tuesday), and the schema keeps the answer's shape
            let (sys, user) = prompt::rewrite(
                &input.client,
                input.kind == InputKind::Dictation,
                &excerpts,
                instruction,
                round == 0,
            )?;
            let schema = facts::batch_schema(&refs, input.kind);
            let long = batch.iter().filter(|g| g.long).count();
            let max_tokens = run.opts.max_tokens.min(48 * batch.len() + 24 * long + 16);
            if !run.report(stage, i + 1, steps, 0, max_tokens) {
                return Err(DraftError::Cancelled);
            }
            let Some(v) = run.call(stage, i + 1, steps, sys, user, schema, max_tokens)? else {
                continue;
            };
            let mut covered = vec![false; batch.len()];
            for k in 0..batch.len() {
                let Some(t) = v[(k + 1).to_string()].as_str() else {
                    continue;
                };
                let a = facts::anchor(input, t, batch, k);
                let g = &batch[a];
                let evidence: Vec<&str> = g
                    .ids
                    .iter()
                    .filter_map(|id| input.segment(*id))
                    .map(|s| s.text.as_str())
                    .collect();
                let evidence = evidence.join(" ");
                let t = super::grammar::trim_runaway(t.trim(), &evidence);
                let t = super::grammar::unglue_pronouns(&t, &evidence);
                if t.is_empty() || facts::greeting(&t) || facts::empty_rating(&t) {
                    continue;
                }
                // a dictation is the clinician's own words, theirs to keep: asked again, the
                // model copied them again (4 of 12 dictated facts after a second round against
                // 5 of 12 without it, at 60 s more a draft)
                let copied = input.kind == InputKind::Session && verbatim.copies(&t);
                // a sentence that only left out a number or a day of its exchange is sound in
                // what it says; one that copied, ran words together or misplaced a number is not
                let detail_lost = !facts::keeps_numbers(input, &t, g);
                // a name or day the exchange never gave ("Next session scheduled for Monday"
                // where the clinician said Tuesday) is held back by the checks: asked again
                // instead, the sentence can still carry the exchange's plan
                let names_ok =
                    text::names_not_found(&t, &evidence.to_lowercase(), &chart_lower).is_empty();
                // so is a number it never gave ("in three weeks", from the prompt's example)
                let numbers_ok = text::numbers_not_found(&t, &evidence, &chart_numbers).is_empty();
                // sound in what it says, whether or not it kept every detail
                // the client's report in the therapist's words, the answer saying otherwise, or
                // the client's denial reversed
                let misattributed = super::checks::therapist_words(input, run.encoder, &t, &g.ids)
                    || super::checks::therapist_named(input, &t, &g.ids)
                    || !super::checks::denial_reversed(input, &t, &g.ids).is_empty()
                    || !super::checks::period_changed(input, &t, &g.ids).is_empty();
                let sound = !copied
                    && !misattributed
                    && names_ok
                    && numbers_ok
                    && style::glued_words(&t, &evidence).is_empty()
                    && text::misplaced_numbers(&t, &evidence).is_empty();
                let form_ok = sound && !detail_lost;
                let supported = facts::group_support(input, &t, g) >= facts::MIN_COVER;
                // how much of its exchange the sentence says
                let coverage = text::coverage(&t, &evidence);
                let mut citations = g.ids.clone();
                let candidates = facts::widen_candidates(input, batch, g);
                facts::widen_citations(input, &t, &mut citations, &candidates);
                let fact = (
                    facts::section_by_opening(format, &g.section, &t),
                    Statement {
                        text: t,
                        citations,
                        flags: Vec::new(),
                        support: 0.0,
                        origin: Origin::Model,
                        included: true,
                    },
                );
                if form_ok {
                    covered[a] |= supported;
                    // asked again for the detail it lost, the model may write only that detail
                    // ("Next appointment scheduled for Tuesday at ten." for a plan of three
                    // items and the appointment): the first sentence, sound but for the detail,
                    // then stands beside it
                    if let Some((first, first_coverage)) = lost_detail.remove(&g.pos) {
                        if first_coverage > coverage + LOST_DETAIL_MARGIN {
                            out.push(first);
                        }
                    }
                    out.push(fact);
                } else if detail_lost && sound && supported && round > 0 {
                    // asked again and still without the detail: the sounder of the two
                    // sentences stands (the plan's three items without "Tuesday at ten" say
                    // more than nothing; the reviewer adds the day)
                    covered[a] = true;
                    match lost_detail.remove(&g.pos) {
                        Some((first, first_coverage)) if first_coverage > coverage => {
                            out.push(first)
                        }
                        _ => out.push(fact),
                    }
                } else {
                    if round == 0 && detail_lost && sound && supported {
                        lost_detail.insert(g.pos, (fact.clone(), coverage));
                    }
                    // kept for the reviewer only if no better sentence comes for this exchange
                    failed.entry(g.pos).or_insert(fact);
                }
            }
            uncovered.extend(
                batch
                    .iter()
                    .zip(&covered)
                    .filter(|(_, c)| !**c)
                    .map(|(g, _)| g.clone()),
            );
        }
        pending = uncovered;
    }
    // an exchange no round covered: a first sentence sound but for a lost detail stands;
    // otherwise a failed sentence stays, for the reviewer
    for (pos, (first, _)) in lost_detail {
        if pending.iter().any(|g| g.pos == pos) {
            failed.remove(&pos);
            out.push(first);
        }
    }
    failed.retain(|pos, _| pending.iter().any(|g| g.pos == *pos));
    out.extend(failed.into_values());
    Ok(out)
}

/// How much more of its exchange (share of its content words, [`text::coverage`]) a first
/// sentence that lost a detail must say than the sentence written again, for both to stand.
const LOST_DETAIL_MARGIN: f64 = 0.2;

/// Told to the model when the goals' progress is stated apart from the synthesis.
const NO_NUMBERS: &str = "Leave out scores and numbers: the goals' progress is stated separately.";

/// Most fusion calls in one draft (a few seconds each): the largest topics first.
const MAX_FUSE_CALLS: usize = 4;

/// Statements of one topic ([`compose::topic_groups`]) written as one sentence by the model,
/// in place of the first of them, citing them all, when the sentence passes
/// [`compose::fused_statement`] and the checks; otherwise the statements stay as they are.
fn fuse_topics(
    run: &mut Run<'_>,
    cx: &CheckContext<'_>,
    list: Vec<Statement>,
    vecs: &[Vec<f32>],
    calls_left: &mut usize,
) -> Result<Vec<Statement>, DraftError> {
    if *calls_left == 0 || list.len() < 2 {
        return Ok(list);
    }
    let mut groups = compose::topic_groups(&list, vecs);
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups.truncate(*calls_left);
    let steps = groups.len();
    let mut fused: Vec<(Vec<usize>, Statement)> = Vec::new();
    for (n, g) in groups.into_iter().enumerate() {
        *calls_left -= 1;
        let members: Vec<&Statement> = g.iter().map(|&i| &list[i]).collect();
        let subject = compose::subject(&members[0].text);
        if subject.is_empty() || !subject.chars().all(char::is_alphabetic) {
            continue;
        }
        let (sys, user) = prompt::fuse(subject, &compose::prompt_facts(&members))?;
        run.calls_total += 1;
        let Some(v) = run.call(
            "fuse",
            n + 1,
            steps,
            sys,
            user,
            compose::fuse_schema(subject),
            FUSE_MAX_TOKENS,
        )?
        else {
            continue;
        };
        let Some(mut st) = compose::fused_statement(&members, &v) else {
            continue;
        };
        let extra: Vec<&str> = members.iter().map(|m| m.text.as_str()).collect();
        cx.check_with(&mut st, &extra.join("\n"));
        if st.included {
            st.citations.sort_unstable();
            fused.push((g, st));
        }
    }
    // each fused sentence at its first statement's place; the group's others dropped
    let mut out = Vec::new();
    for (i, st) in list.into_iter().enumerate() {
        match fused.iter().position(|(g, _)| g.contains(&i)) {
            Some(k) if fused[k].0[0] == i => out.push(fused[k].1.clone()),
            Some(_) => {}
            None => out.push(st),
        }
    }
    Ok(out)
}

/// Tokens of one fused sentence at most.
const FUSE_MAX_TOKENS: usize = 90;

/// Checks and files the model's facts, composes each section from them within its budget,
/// and adds the risk summary to the synthesis section.
fn compose_sections(
    run: &mut Run<'_>,
    risk: &Risk,
    updates: &[PlanUpdate],
    found: Vec<(String, Statement)>,
    only: Option<&Section>,
    instruction: Option<&str>,
) -> Result<BTreeMap<String, SectionDraft>, DraftError> {
    let input = run.input;
    let format = run.format;
    let mut cx = CheckContext::new(input, risk);
    cx.encoder = run.encoder;
    let order_map: HashMap<u32, usize> = input
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let order = |c: u32| order_map.get(&c).copied().unwrap_or(usize::MAX);
    let first = |s: &Statement| {
        s.citations
            .iter()
            .map(|c| order(*c))
            .min()
            .unwrap_or(usize::MAX)
    };
    let mut per: BTreeMap<String, Vec<Statement>> = BTreeMap::new();
    let model_failed = found.is_empty();
    for (k, mut st) in found {
        cx.check(&mut st);
        // the prompt's own example answer, unsupported by the session: not even for review
        if !st.included && prompt::echoes_example(&st.text) {
            continue;
        }
        st.citations.sort_by_key(|c| order(*c));
        let key = compose::route(format, &k, &st);
        per.entry(key).or_default().push(st);
    }
    if model_failed && run.opts.extractive_fallback {
        for (k, mut st) in template_facts(input, format) {
            cx.check(&mut st);
            per.entry(k).or_default().push(st);
        }
    }
    // each section's statements embedded once: for merging those that make the same point,
    // then for finding those of one topic
    let mut vectors: HashMap<String, Vec<Vec<f32>>> = HashMap::new();
    for (key, list) in per.iter_mut() {
        list.sort_by_key(|s| first(s));
        *list = compose::merge_duplicates(std::mem::take(list));
        let texts: Vec<&str> = list.iter().map(|s| s.text.as_str()).collect();
        if let Some(Ok(vecs)) = run.encoder.map(|enc| enc.encode(&texts)) {
            let (kept, vecs) = compose::merge_same_point_embedded(std::mem::take(list), vecs)
                .into_iter()
                .unzip();
            *list = kept;
            vectors.insert(key.clone(), vecs);
        }
    }
    // statements of one topic in a report, observation or plan section, written as one
    // sentence by the model (checked like any other; the statements stay when it fails)
    if !model_failed {
        let mut calls_left = MAX_FUSE_CALLS;
        for sec in &format.sections {
            if compose::is_synthesis(sec) || only.is_some_and(|o| o.key != sec.key) {
                continue;
            }
            if let (Some(list), Some(vecs)) = (per.remove(&sec.key), vectors.get(&sec.key)) {
                let fused = fuse_topics(run, &cx, list, vecs, &mut calls_left)?;
                per.insert(sec.key.clone(), fused);
            }
        }
    }
    let budgets = compose::budgets(format, input);
    let wanted: Vec<&Section> = format
        .sections
        .iter()
        .filter(|s| only.is_none_or(|o| o.key == s.key))
        .collect();
    let plans: Vec<(&Section, Vec<&Statement>)> = wanted
        .iter()
        .map(|s| (*s, compose::facts_for(s, &per, 40)))
        .collect();
    // the report, observation and plan sections are the checked facts themselves (one sentence
    // per salient exchange, already within the note's budget by selection); only the
    // synthesis section is written by the model from all the facts
    let needs_model = |sec: &Section, facts: &[&Statement]| {
        !facts.is_empty() && !model_failed && compose::is_synthesis(sec)
    };
    run.calls_total += plans.iter().filter(|(s, f)| needs_model(s, f)).count();
    let steps = run.calls_total;
    let goal_lines = compose::goal_sentences(updates);
    let mut out = BTreeMap::new();
    let mut earlier: Vec<Statement> = Vec::new();
    for (i, (sec, facts)) in plans.iter().enumerate() {
        let b = budgets[&sec.key];
        let mut list = if facts.is_empty() {
            Vec::new()
        } else if !needs_model(sec, facts) {
            if compose::is_synthesis(sec) {
                compose::facts_within_budget(facts, &b)
            } else {
                per.get(&sec.key).cloned().unwrap_or_default()
            }
        } else {
            let subjects = compose::subjects(format, sec);
            let pf = compose::prompt_facts(facts);
            // the goals' progress is stated from the checked plan updates: given the goals'
            // texts too, the model mixes a goal's target into the client's progress ("improved
            // from 75 to below 50")
            let mut client = input.client.clone();
            if !goal_lines.is_empty() {
                client.goals.clear();
            }
            let synthesis = compose::is_synthesis(sec);
            // the facts and the words they cite
            let evidence: Vec<&str> = facts
                .iter()
                .map(|f| f.text.as_str())
                .chain(
                    facts
                        .iter()
                        .flat_map(|f| f.citations.iter())
                        .filter_map(|id| input.segment(*id))
                        .map(|s| s.text.as_str()),
                )
                .collect();
            let evidence = evidence.join(" ");
            let schema = compose::schema(facts.len(), &b, subjects);
            if !run.report("compose", i + 1, steps, 0, run.opts.compose_max_tokens) {
                return Err(DraftError::Cancelled);
            }
            // the goals' progress is stated from the plan updates: scores in the synthesis are
            // only a chance to mix them up ("improved from 71 to 75" for 75 to 71)
            let numbers_elsewhere = synthesis && !goal_lines.is_empty();
            // one attempt: asked again after restating the facts, the model restated them
            // again on all ten drafts measured (six real transcripts, three again, one dev
            // session), at 9-15 s each; the impression below stands in instead
            let asked: Vec<&str> = instruction
                .into_iter()
                .chain(numbers_elsewhere.then_some(NO_NUMBERS))
                .collect();
            let asked = (!asked.is_empty()).then(|| asked.join(" "));
            let (sys, user) = prompt::compose(
                format,
                sec,
                &client,
                &pf,
                b.sentences,
                b.words,
                subjects,
                synthesis,
                asked.as_deref(),
            )?;
            let got = run.call(
                "compose",
                i + 1,
                wanted.len(),
                sys,
                user,
                schema.clone(),
                run.opts.compose_max_tokens,
            )?;
            let composed = got
                .map(|v| compose::parse(&v, facts.len(), &evidence))
                .unwrap_or_default();
            // a sentence that takes the prompt's example client's facts ("remains ambivalent
            // about practice drives" for a teenager's drinking) is held
            let (borrowed, composed): (Vec<_>, Vec<_>) = composed
                .into_iter()
                .partition(|c| prompt::borrows_compose_example(&c.text, &evidence));
            // a synthesis sentence that tells what the therapist did ("Therapist asks about
            // ..., which aligns with ...") is no assessment (the client's progress, the
            // clinician's impression): held
            let (therapist_led, composed): (Vec<_>, Vec<_>) = if synthesis {
                composed
                    .into_iter()
                    .partition(|c| style::about_the_therapist(&c.text))
            } else {
                (Vec::new(), composed)
            };
            // a synthesis sentence that only restates the facts is held for the reviewer
            let (restating, composed): (Vec<_>, Vec<_>) = if synthesis {
                composed.into_iter().partition(|c| {
                    compose::restates(c, facts, input.kind == InputKind::Session)
                        || numbers_elsewhere && !text::numbers(&c.text).is_empty()
                })
            } else {
                (Vec::new(), composed)
            };
            let restated = composed.is_empty() && !restating.is_empty();
            let mut list = compose::statements(&cx, facts, composed, &order);
            if synthesis {
                // an impression is the clinician's reading, in clinical words the therapist may
                // have been the one to say ("panic attacks"): not the client's report
                for st in &mut list {
                    st.flags.retain(|f| !f.starts_with("therapist_words"));
                    st.included = !st.flags.iter().any(|f| super::checks::is_blocking(f));
                }
            }
            // one of each is enough to show the reviewer what the model wrote
            let held = [
                (
                    restating,
                    "restates_facts: repeats the facts (or their scores) instead of a synthesis",
                ),
                (
                    therapist_led,
                    "not_a_synthesis: tells what the therapist did, not the client's progress or an impression",
                ),
                (
                    borrowed,
                    "example_copied: says what the prompt's example client did, not this client",
                ),
            ];
            for (mut sentences, flag) in held {
                sentences.truncate(1);
                for mut st in compose::statements(&cx, facts, sentences, &order) {
                    st.included = false;
                    st.flags.push(flag.into());
                    list.push(st);
                }
            }
            if list.iter().any(|s| s.included) {
                list
            } else if synthesis {
                // the facts are the other sections already: as a synthesis they would only
                // repeat them (or take the plan's sentence from the plan). A conversation gets
                // the smaller question (the session's main concern);
                // the failed sentences are held for the reviewer; goals and risk lines follow.
                // The checked facts filed under this section itself (a dictated impression, a
                // risk statement, the therapist's own assessment) are in no other section: they
                // stand, within the section's budget, before any impression
                let own: Vec<Statement> = per
                    .get(&sec.key)
                    .map(|l| l.iter().filter(|s| s.included).cloned().collect())
                    .unwrap_or_default();
                let own_refs: Vec<&Statement> = own.iter().collect();
                let mut list: Vec<Statement> = compose::facts_within_budget(&own_refs, &b)
                    .into_iter()
                    .chain(list)
                    .collect();
                if input.kind == InputKind::Session && own.is_empty() {
                    // the session's concern is in what was said, not in the next steps: given
                    // the plan's facts, the model named "returning for overall mental health"
                    // as the concern of a session about finding work with a conviction
                    let plan = per
                        .get(&format.plan_section().key)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let said: Vec<&Statement> = facts
                        .iter()
                        .copied()
                        .filter(|f| !plan.iter().any(|p| std::ptr::eq(p, *f)))
                        .collect();
                    let facts: &[&Statement] = if said.is_empty() { facts } else { &said };
                    let pf = compose::prompt_facts(facts);
                    let (sys, user) = prompt::impression(&client, &pf)?;
                    run.calls_total += 1;
                    if let Some(v) = run.call(
                        "impression",
                        i + 1,
                        wanted.len(),
                        sys,
                        user,
                        compose::impression_schema(facts.len()),
                        run.opts.compose_max_tokens,
                    )? {
                        let mut got = compose::impression(facts, &v, &order);
                        got.append(&mut list);
                        list = got;
                    }
                }
                if own.is_empty() && list.iter().any(|s| s.included) {
                    // the impression stands in for the synthesis
                } else if restated {
                    run.flags.push(format!(
                        "synthesis_restated:{}: the model restated the facts instead of a synthesis; write the {} yourself",
                        sec.key,
                        sec.title.to_lowercase()
                    ));
                } else {
                    run.flags.push(format!(
                        "synthesis_failed:{}: the model's synthesis did not pass the checks (held below); write the {} yourself",
                        sec.key,
                        sec.title.to_lowercase()
                    ));
                }
                list
            } else {
                run.flags.push(format!(
                    "composition_fallback:{}: the model's section did not pass the checks; the checked facts are used instead",
                    sec.key
                ));
                let mut f = compose::facts_within_budget(facts, &b);
                f.extend(list.into_iter().filter(|s| !s.included).take(2));
                f
            }
        };
        if compose::is_synthesis(sec) && only.is_none_or(|o| o.key == sec.key) {
            let cue_ids: Vec<u32> = risk.cues.iter().map(|c| c.segment_id).collect();
            let own = per.get(&sec.key).map(Vec::as_slice).unwrap_or_default();
            let risk_facts = compose::risk_facts_to_keep(own, &list, &cue_ids);
            // where the client stands on change, in their own words
            list.extend(super::change_talk::statement(input));
            list.extend(risk_facts);
            list.extend(goal_lines.iter().cloned());
            if let Some(r) = compose::risk_sentence(risk) {
                list.push(r);
            }
        }
        // a sentence that repeats one of an earlier section adds nothing: merge it there (a
        // synthesis that builds on a fact, all of the fact's words and more, is a repeat only
        // when the section keeps another model sentence: a reader sees the fact twice, but an
        // assessment that is only its risk line says less)
        let synthesis = compose::is_synthesis(sec);
        let own_synthesis = synthesis
            && list.iter().any(|st| {
                st.included
                    && st.origin == super::checks::Origin::Model
                    && !earlier
                        .iter()
                        .any(|p| p.included && compose::repeats(p, st))
            });
        let repeats = |p: &Statement, st: &Statement| {
            if synthesis && !own_synthesis {
                style::near_copy(&p.text, &st.text)
            } else {
                compose::repeats(p, st)
            }
        };
        let mut kept = Vec::new();
        for st in list {
            // a held-back near-copy of any earlier statement adds nothing for the reviewer
            if !st.included && earlier.iter().chain(kept.iter()).any(|p| repeats(p, &st)) {
                continue;
            }
            if let Some(prev) = earlier
                .iter_mut()
                .find(|p| p.included && st.included && repeats(p, &st))
            {
                compose::add_citations(&mut prev.citations, &st.citations);
                continue;
            }
            kept.push(st);
        }
        let kept = compose::merge_duplicates(kept);
        earlier.extend(kept.iter().cloned());
        out.insert(sec.key.clone(), kept);
    }
    // what the therapist did, when no fact says it (a motivational-interviewing session's
    // intervention is the conversation itself): the techniques, named from how they spoke
    let iv = format.section_for("intervention");
    if only.is_none_or(|o| o.key == iv.key) && !compose::is_synthesis(iv) {
        let list = out.entry(iv.key.clone()).or_default();
        if !super::techniques::said_by(list) {
            if let Some(st) = super::techniques::sentence(input) {
                list.push(st);
            }
        }
    }
    // a session in which no next step was found: the plan says so, for the clinician to
    // complete (nothing at all was found or held there)
    let plan_key = format.plan_section().key.clone();
    // what the therapist said or did in closing ("Therapist reassures client that ...") is no
    // agreed step: it joins what the therapist did, where the format has such a section
    if only.is_none() {
        let iv_key = format.section_for("intervention").key.clone();
        if iv_key != plan_key && !compose::is_synthesis(format.section_for("intervention")) {
            let moved: Vec<Statement> = out
                .get_mut(&plan_key)
                .map(|l| {
                    let (gone, kept): (Vec<_>, Vec<_>) =
                        l.drain(..).partition(|s| compose::not_a_step(&s.text));
                    // what was done in the session itself is no step for after it
                    *l = kept
                        .into_iter()
                        .filter(|s| !compose::done_in_session(&s.text))
                        .collect();
                    gone
                })
                .unwrap_or_default();
            out.entry(iv_key).or_default().extend(moved);
        }
    }
    if only.is_none_or(|o| o.key == plan_key) && !model_failed {
        let list = out.entry(plan_key).or_default();
        if list.is_empty() {
            if let Some(st) = compose::no_plan_statement(input) {
                list.push(st);
            }
        } else if let Some(st) = compose::appointment_statement(input, list) {
            // the model's plan sentence lost the appointment's day ("Next appointment Tuesday
            // at ten" after three agreed steps): it is added as said
            list.push(st);
        }
    }
    // held-back statements that repeat the note or only quote the transcript
    let verbatim =
        (input.kind == InputKind::Session).then(|| style::Verbatim::new(&input.segments));
    compose::prune_held(&mut out, verbatim.as_ref());
    // the note's length: a long session's fact sections within most of its budget (the plan
    // and the synthesis are not cut)
    if input.kind == InputKind::Session && only.is_none() {
        let plan = format.plan_section().key.as_str();
        let synthesis: Vec<&str> = format
            .sections
            .iter()
            .filter(|s| compose::is_synthesis(s))
            .map(|s| s.key.as_str())
            .collect();
        compose::trim_to(&mut out, &[plan], &synthesis, compose::facts_cap(input));
    }
    // merged citations may have landed in an earlier section: write them back
    let mut result = BTreeMap::new();
    for sec in &wanted {
        let mut list = out.remove(&sec.key).unwrap_or_default();
        for st in list.iter_mut() {
            if let Some(e) = earlier.iter().find(|e| e.text == st.text) {
                st.citations = e.citations.clone();
            }
            st.citations.sort_by_key(|c| order(*c));
        }
        let text = section_text(&list);
        result.insert(
            sec.key.clone(),
            SectionDraft {
                title: sec.title.clone(),
                text,
                statements: list,
            },
        );
    }
    Ok(result)
}

/// A section's prose: its included statements as one paragraph.
pub(crate) fn section_text(list: &[Statement]) -> String {
    list.iter()
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
        .join(" ")
}

/// When the model produced nothing usable: one templated sentence per salient segment
/// naming what was discussed (never a quotation), filed by the rule-based classifier.
fn template_facts(input: &DraftInput, format: &NoteFormat) -> Vec<(String, Statement)> {
    let mut out = Vec::new();
    for (i, seg) in input.segments.iter().enumerate() {
        if !extract::salient(seg, input.kind) {
            continue;
        }
        let prev = i.checked_sub(1).map(|j| &input.segments[j]);
        let place = extract::classify(seg, prev, input.kind, format);
        let key = place
            .heading_section
            .clone()
            .unwrap_or_else(|| format.section_for(place.category).key.clone());
        let topics = extract::topics(&seg.text, 3);
        if topics.is_empty() {
            continue;
        }
        let who = if seg.speaker == super::input::Speaker::Therapist
            && input.kind == InputKind::Session
        {
            "Therapist"
        } else {
            "Client"
        };
        let verb = match place.category {
            "plan" => "discussed next steps regarding",
            "measure" => "reviewed",
            "intervention" => "addressed",
            _ => "discussed",
        };
        out.push((
            key,
            Statement {
                text: format!("{who} {verb} {}.", topics.join(", ")),
                citations: vec![seg.id],
                flags: vec!["template: the model's draft was unusable; a templated sentence names the topic".into()],
                support: 0.0,
                origin: Origin::Template,
                included: true,
            },
        ));
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
                "evidence": {
                    "type": "string",
                    "pattern": super::grammar::sentence_pattern(super::grammar::SUBJECTS, 24)
                },
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

/// Whether an evidence sentence is the goal's own wording (three quarters of a goal of four or
/// more content words): "Client did not engage in a pleasant or social activity at least three
/// times per week" says nothing the session did.
fn restates_goal(evidence: &str, goal_stems: &std::collections::HashSet<String>) -> bool {
    if goal_stems.len() < 4 {
        return false;
    }
    let ev: std::collections::HashSet<String> = text::content_stems(evidence).into_iter().collect();
    let shared = goal_stems.intersection(&ev).count();
    shared * 4 >= goal_stems.len() * 3
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
    let goal_stems: std::collections::HashSet<String> =
        text::content_stems(&goal.text).into_iter().collect();
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
        if restates_goal(&evidence, &goal_stems) {
            problems.push("evidence restates the goal instead of what was said".to_string());
        }
    }
    // The status is the model's judgment; its wording may be poor. When the cited segments
    // clearly speak to the goal and only the evidence sentence is in doubt, keep the status
    // and the sentence, flagged for the reviewer (never swapped for a quotation).
    let on_goal = citations
        .iter()
        .filter_map(|c| input.segment(*c))
        .map(|s| {
            text::content_stems(&s.text)
                .into_iter()
                .collect::<std::collections::HashSet<_>>()
                .intersection(&goal_stems)
                .count()
        })
        .max()
        .unwrap_or(0);
    let evidence_only = !problems.is_empty()
        && problems
            .iter()
            .all(|p| p.starts_with("evidence") || p.starts_with("number"));
    if evidence_only && on_goal >= 2 {
        return PlanUpdate {
            goal_id: goal.id.clone(),
            goal: String::new(),
            status,
            evidence,
            citations,
            flags: vec![format!(
                "evidence_unsupported: check the evidence sentence against the cited segments ({})",
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

/// The sentence encoder named by the options, if it loads (drafting goes on without it:
/// support is then lexical only).
fn load_encoder(opts: &DraftOptions) -> Option<crate::embed::SentenceEncoder> {
    let dir = opts.embedding_model.as_deref()?;
    match crate::embed::SentenceEncoder::load(dir) {
        Ok(e) => Some(e),
        Err(e) => {
            tracing::warn!(error = %e, "sentence-embedding model did not load; support checks are lexical only");
            None
        }
    }
}

/// The validated input, with speaker roles inferred from the words when a session
/// transcript has none (and whether they were).
fn prepared(input: &DraftInput) -> Result<(DraftInput, bool), DraftError> {
    let mut input = input.clone().validated()?;
    let inferred =
        input.kind == InputKind::Session && super::roles::infer_roles(&mut input.segments);
    Ok((input, inferred))
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
    // a draft reuses its own calls' prompt prefixes (`Run::prefixes`), never those of another
    // draft run before or alongside it on the same model: reused KV rows are not bit-identical
    // to recomputed ones (measured: the same seed gave a different first fact after another
    // draft), and the same input and seed must give the same draft
    let (input, inferred) = prepared(input)?;
    let input = &input;
    let encoder = load_encoder(opts);
    let risk = risk::assess_with(input, encoder.as_ref());
    let mut run = Run {
        llm,
        prefixes: crate::llm::PrefixCache::new(),
        encoder: encoder.as_ref(),
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
    if inferred {
        run.flags.push("speakers_inferred: the transcript has no speaker labels; therapist and client were told apart by their words".into());
    }
    let found = rewrite_facts(&mut run, None, None)?;
    let plan_updates = if input.client.goals.is_empty() {
        Vec::new()
    } else {
        plan_updates(&mut run)?
    };
    if !run.report("checks", 1, 1, 0, 0) {
        return Err(DraftError::Cancelled);
    }
    let t_checks = Instant::now();
    let sections = compose_sections(&mut run, &risk, &plan_updates, found, None, None)?;
    let proposals = sections
        .get(&format.plan_section().key)
        .map(|s| extract::proposals_from(input, &s.statements))
        .unwrap_or_default();
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
    // as in `draft`: only this redraft's own prefixes are reused
    let (input, _) = prepared(input)?;
    let input = &input;
    let encoder = load_encoder(opts);
    let section = format
        .sections
        .iter()
        .find(|s| s.key == section_key)
        .ok_or_else(|| DraftError::NoSuchSection {
            section: section_key.to_string(),
            format: format.key.clone(),
        })?;
    let risk = risk::assess_with(input, encoder.as_ref());
    let mut run = Run {
        llm,
        prefixes: crate::llm::PrefixCache::new(),
        encoder: encoder.as_ref(),
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
    let found = rewrite_facts(&mut run, Some(section), instruction)?;
    // the synthesis section states the goals' progress: the plan updates are needed again
    let updates = if compose::is_synthesis(section) && !input.client.goals.is_empty() {
        plan_updates(&mut run)?
    } else {
        Vec::new()
    };
    let mut sections =
        compose_sections(&mut run, &risk, &updates, found, Some(section), instruction)?;
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
    use crate::draft::input::Goal;
    use crate::draft::{ChartContext, DraftInput};

    fn goal() -> Goal {
        Goal {
            id: "g1".into(),
            text: "Engage in a pleasant or social activity at least three times per week".into(),
        }
    }

    fn input() -> DraftInput {
        DraftInput::from_transcript_text(
            "Therapist: Did you get out for any walks or see anyone this week?\n\
             Client: This week I walked twice with my neighbour, and choir was my social thing.\n\
             Therapist: Could you walk on three mornings next week?\n\
             Client: Yes, fifteen minutes, I can do that.",
            ChartContext {
                goals: vec![goal()],
                ..Default::default()
            },
        )
        .expect("transcript")
    }

    #[test]
    fn evidence_that_restates_the_goal_gives_no_progress_sentence() {
        let inp = input();
        let u = check_plan_update(
            &inp,
            &goal(),
            GoalStatus::NotMet,
            "Client did not engage in a pleasant or social activity at least three times per \
             week as evidenced by the therapist's agreement to walk."
                .into(),
            vec![2, 3],
        );
        assert!(
            u.flags.iter().any(|f| f.contains("restates the goal")),
            "{u:?}"
        );
        let mut u = u;
        u.goal = goal().text;
        assert!(compose::goal_sentences(&[u]).is_empty());
        // evidence that tells what was said stands
        let mut ok = check_plan_update(
            &inp,
            &goal(),
            GoalStatus::Progressing,
            "Client walked twice with a neighbour and went to choir.".into(),
            vec![1],
        );
        assert!(ok.flags.is_empty(), "{ok:?}");
        ok.goal = goal().text;
        assert_eq!(compose::goal_sentences(&[ok]).len(), 1);
    }
}
