//! Composition: checked facts become the note's sections, written as a clinician writes.
//!
//! The per-window facts are many short sentences; a note is a few dense ones. Per section,
//! the model gets the facts filed there (the synthesis section gets all of them, with the
//! presenting problems and goals) and writes a bounded number of sentences under the
//! sentence grammar ([`super::grammar`]), each citing the facts it combines. A sentence's
//! citations are the union of its facts' segment citations (nothing is lost), and it is
//! checked against those segments and facts like any statement. The length of a section is
//! bounded by a word budget derived from the transcript's length ([`budgets`]).
//!
//! When the model's answer is unusable (cut off, unparsable, or every sentence fails the
//! checks), the section falls back to the checked facts themselves, within the same budget:
//! a short note in sentences, never transcript quotes.

use std::collections::{BTreeMap, HashSet};

use super::checks::{CheckContext, Origin, Statement};
use super::format::{NoteFormat, Section};
use super::grammar;
use super::input::{DraftInput, InputKind};
use super::risk::{Risk, RiskStatus};
use super::{prompt, style, text};

/// Word budget of one section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectionBudget {
    /// Words in all.
    pub words: usize,
    /// Sentences at most.
    pub sentences: usize,
    /// Words of one sentence at most (the grammar's bound).
    pub sentence_words: usize,
}

/// Share of the transcript's words a session note may use (the target is ≤ 0.15).
pub const SESSION_COMPRESSION: f64 = 0.14;
/// Bounds of a whole note, in words. A short session still needs room for its report, what was
/// done and the plan (about 8 facts): the floor is [`MIN_NOTE_WORDS`], or 0.15 × the transcript
/// when that is less (a note is never longer than that share), but never under
/// [`MIN_SHORT_NOTE_WORDS`].
pub const MIN_NOTE_WORDS: usize = 80;
pub const MIN_SHORT_NOTE_WORDS: usize = 45;
pub const MAX_NOTE_WORDS: usize = 420;

/// The note's word budget: a share of the transcript for a session, most of a dictation
/// (already written in note voice), within the bounds above.
pub fn note_budget(input: &DraftInput) -> usize {
    let words: usize = input
        .segments
        .iter()
        .map(|s| style::words(&s.text).len())
        .sum();
    let share = match input.kind {
        InputKind::Session => SESSION_COMPRESSION,
        InputKind::Dictation => 0.8,
    };
    let floor = MIN_NOTE_WORDS
        .min(words * 15 / 100)
        .max(MIN_SHORT_NOTE_WORDS);
    ((words as f64 * share) as usize).clamp(floor, MAX_NOTE_WORDS)
}

/// True for the section that holds the clinician's synthesis (assessment, response).
pub fn is_synthesis(section: &Section) -> bool {
    section.collects.iter().any(|c| c == "assessment")
}

fn weight(section: &Section) -> f64 {
    let c = |k: &str| section.collects.iter().any(|x| x == k);
    if c("client_report") {
        1.4
    } else if c("plan") {
        1.0
    } else if c("assessment") {
        0.9
    } else {
        0.8
    }
}

/// Budgets per section key, sharing [`note_budget`] by the kind of content each collects.
pub fn budgets(format: &NoteFormat, input: &DraftInput) -> BTreeMap<String, SectionBudget> {
    let total = note_budget(input) as f64;
    let sum: f64 = format.sections.iter().map(weight).sum::<f64>().max(1e-9);
    format
        .sections
        .iter()
        .map(|s| {
            let words = ((total * weight(s) / sum) as usize).max(10);
            let sentences = ((words as f64 / 13.0).round() as usize).clamp(1, 6);
            // roomy: a model that runs out of words glues the rest of its sentence together
            let sentence_words = 40;
            (
                s.key.clone(),
                SectionBudget {
                    words,
                    sentences,
                    sentence_words,
                },
            )
        })
        .collect()
}

/// The subjects a section's sentences may start with.
pub fn subjects(format: &NoteFormat, section: &Section) -> &'static [&'static str] {
    if section.key == format.plan_section().key {
        grammar::PLAN_SUBJECTS
    } else {
        grammar::SUBJECTS
    }
}

/// The JSON schema of a section's composition: sentences under the grammar, each citing
/// 1..6 of the fact numbers `1..=n_facts`.
pub fn schema(n_facts: usize, budget: &SectionBudget, subjects: &[&str]) -> serde_json::Value {
    let ids: Vec<usize> = (1..=n_facts).collect();
    serde_json::json!({
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": budget.sentences,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {
                            "type": "string",
                            "pattern": grammar::sentence_pattern(subjects, budget.sentence_words)
                        },
                        "facts": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 6,
                            "items": {"enum": ids}
                        }
                    },
                    "required": ["text", "facts"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["sentences"],
        "additionalProperties": false,
        "x-guidance": {"whitespace_flexible": false}
    })
}

/// Appends the segment ids of `from` that `to` does not hold yet, in their order.
pub fn add_citations(to: &mut Vec<u32>, from: &[u32]) {
    for c in from {
        if !to.contains(c) {
            to.push(*c);
        }
    }
}

/// The content-word stems of all the facts.
fn fact_stems(facts: &[&Statement]) -> HashSet<String> {
    facts
        .iter()
        .flat_map(|f| text::content_stems(&f.text))
        .collect()
}

/// The fact numbers of a model answer's `facts` array (1-based, in `1..=n_facts`), 0-based.
fn fact_indexes(v: &serde_json::Value, n_facts: usize) -> Vec<usize> {
    v["facts"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x.as_u64())
                .map(|x| x as usize)
                .filter(|x| *x >= 1 && *x <= n_facts)
                .map(|x| x - 1)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a synthesis sentence restates the facts instead of judging them: it repeats one
/// fact nearly word for word, or strings five or more facts into one list ("Client reports
/// feeling stressed, expressing dislike for ..., describing ..., mentioning ...").
///
/// `spoken`: the facts come from a conversation. A dictation's facts are the clinician's own
/// judgements already ("improving", "risk judged low"), so a synthesis rightly reuses their
/// words, even a whole dictated sentence: only the list test applies.
pub fn restates(c: &Composed, facts: &[&Statement], spoken: bool) -> bool {
    let copies = spoken
        && facts
            .iter()
            .any(|f| style::word_jaccard(&f.text, &c.text) >= 0.6);
    let list = c.facts.len() >= 5 && c.text.matches(',').count() >= 3;
    // nothing of its own: a long sentence whose content words almost all come from the facts
    // ("Client states that the conviction impacts job applications, discussing ...,
    // discussing ..."); a judgement brings words of its own ("presents with", "ambivalent")
    let own: HashSet<String> = text::content_stems(&c.text).into_iter().collect();
    let given = fact_stems(facts);
    let new = own.iter().filter(|w| !given.contains(*w)).count();
    let echo = spoken && own.len() >= 8 && (new as f64) < 0.15 * own.len() as f64;
    // two facts chained with their subjects ("Client's confidence in making changes is high,
    // and Client agrees to make adjustments."): a list, not a synthesis
    let chained = [" and Client ", " and Client's ", ", Client ", "; Client "]
        .iter()
        .any(|j| c.text.contains(j));
    // or with a pronoun, saying nothing the facts do not ("Client is worried about their kids,
    // and they hope their kids would be proud of them."); a judgement joined so brings words
    // of its own ("..., and she attributes the change to her new routine")
    let pronoun_chain = spoken
        && [", and they ", ", and she ", ", and he "]
            .iter()
            .any(|j| c.text.contains(j))
        && (new as f64) < 0.25 * own.len() as f64;
    // one fact whole with a comment of no substance and nothing from another fact ("Client had
    // not anticipated the difficulty of the situation, which is a common challenge for
    // clients."): a judgement joins facts, it does not annotate one
    let commented = spoken && {
        let stems: Vec<HashSet<String>> = facts
            .iter()
            .map(|f| text::content_stems(&f.text).into_iter().collect())
            .collect();
        stems.iter().enumerate().any(|(i, fs)| {
            let kept = fs.iter().filter(|w| own.contains(*w)).count();
            let joined = stems.iter().enumerate().any(|(j, gs)| {
                j != i
                    && gs
                        .iter()
                        .filter(|w| own.contains(*w) && !fs.contains(*w))
                        .count()
                        >= 2
            });
            fs.len() >= 3 && kept as f64 >= 0.8 * fs.len() as f64 && !joined
        })
    };
    copies || list || echo || chained || pronoun_chain || commented
}

/// The JSON schema of an impression: the session's main concern (3–8 lowercase words) and
/// the facts (1-based) it rests on.
pub fn impression_schema(n_facts: usize) -> serde_json::Value {
    let ids: Vec<usize> = (1..=n_facts).collect();
    serde_json::json!({
        "type": "object",
        "properties": {
            "concern": {"type": "string", "pattern": "^[a-z][a-z'-]*( [a-z][a-z'-]*){2,7}$"},
            "facts": {"type": "array", "minItems": 1, "maxItems": 6, "items": {"enum": ids}},
            "strength": {"type": "string", "pattern": PHRASE_OR_NONE},
            "barrier": {"type": "string", "pattern": PHRASE_OR_NONE}
        },
        "required": ["concern", "facts", "strength", "barrier"],
        "additionalProperties": false,
        "x-guidance": {"whitespace_flexible": false}
    })
}

/// A strength or barrier: 3 to 10 lowercase words, or nothing.
const PHRASE_OR_NONE: &str = "^$|^[a-z][a-z'-]*( [a-z][a-z'-]*){2,9}$";

/// Whether a phrase speaks of someone in the first or second person, or by pronoun.
fn personal(phrase: &str) -> bool {
    phrase.split(' ').any(|w| {
        matches!(
            w,
            "i" | "me" | "my" | "you" | "your" | "we" | "our" | "us" | "he" | "she" | "his" | "her"
        )
    })
}

/// Whether a phrase runs two of the facts' words together ("toughtopics" for "tough topics"),
/// or many ("therapistsaidprogramwasimportant...": no word of the facts is that long;
/// "themoneydidaddup": [`style::glued_words`] splits it into the facts' words).
fn glued_from(phrase: &str, facts: &[&Statement]) -> bool {
    let known: HashSet<String> = facts.iter().flat_map(|f| style::words(&f.text)).collect();
    let longest = known.iter().map(String::len).max().unwrap_or(0);
    let text: Vec<&str> = facts.iter().map(|f| f.text.as_str()).collect();
    !style::glued_words(phrase, &text.join(" ")).is_empty()
        || style::words(phrase).iter().any(|w| {
            !known.contains(w)
                && w.is_ascii()
                && (w.len() > longest.max(MAX_WORD_LEN)
                    || (2..w.len().saturating_sub(1))
                        .any(|i| known.contains(&w[..i]) && known.contains(&w[i..])))
        })
}

/// The flag of a strength or barrier held as a suggestion: kept out of the note's text until
/// the reviewer accepts it.
pub const SUGGESTED: &str =
    "suggested: the model's guess at a strength or barrier, often wrong; accept it only if it holds";

/// Letters of the longest word a phrase may hold that its facts do not ("counterproductive").
const MAX_WORD_LEN: usize = 18;

/// The strength and barrier of an impression as sentences ("Strengths: seven years of work
/// with people.", "Barriers: a felony conviction on background checks."): each phrase must take
/// at least half its content words from the facts and cites the facts that share them (up to
/// three, most shared first); flagged as the model's reading and held as a suggestion
/// ([`SUGGESTED`]) the reviewer accepts or drops. A phrase without support, or in the first or
/// second person, is left out: the clinician writes it.
fn strengths_and_barriers(
    facts: &[&Statement],
    v: &serde_json::Value,
    order: &dyn Fn(u32) -> usize,
    flag: &str,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for (key, lead) in [("strength", "Strengths"), ("barrier", "Barriers")] {
        let Some(phrase) = v[key].as_str().map(str::trim).filter(|p| !p.is_empty()) else {
            continue;
        };
        // a noun phrase, not a clause ("work related score is ouch" from a misheard line)
        let clause = phrase
            .split(' ')
            .any(|w| matches!(w, "is" | "are" | "was" | "were" | "has" | "have" | "had"));
        if personal(phrase) || clause || glued_from(phrase, facts) {
            continue;
        }
        // a strength that names the problem ("Strengths: work-related stress and exhaustion.",
        // the demo's) is no strength, nor is a lack ("no money in their pocket")
        if key == "strength" && (names_a_problem(phrase) || names_a_lack(phrase)) {
            continue;
        }
        let own: HashSet<String> = text::content_stems(phrase).into_iter().collect();
        if own.len() < 2 {
            continue;
        }
        let mut shared: Vec<(usize, &Statement)> = facts
            .iter()
            .map(|f| {
                let theirs: HashSet<String> = text::content_stems(&f.text).into_iter().collect();
                (own.intersection(&theirs).count(), *f)
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        let pool = fact_stems(facts);
        let hit = own.iter().filter(|w| pool.contains(*w)).count();
        if hit * 2 < own.len() || shared.is_empty() {
            continue;
        }
        shared.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        let mut citations = Vec::new();
        for (_, f) in shared.iter().take(3) {
            add_citations(&mut citations, &f.citations);
        }
        citations.sort_by_key(|c| order(*c));
        // held for the reviewer to accept: on the real-dev sessions of December 6 one in
        // five was right ("Barriers: separation from mother." for a client whose mother
        // supports him, "Strengths: dislike of medicine.")
        out.push(Statement {
            text: format!("{lead}: {phrase}."),
            citations,
            flags: vec![flag.to_string(), SUGGESTED.to_string()],
            support: hit as f64 / own.len() as f64,
            origin: Origin::Model,
            included: false,
        });
    }
    out
}

/// Whether a phrase is about something missing or not done ("no money in their pocket and
/// not thinking about it", "lack of opportunities").
fn names_a_lack(phrase: &str) -> bool {
    phrase.split_whitespace().any(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''),
            "no" | "not"
                | "never"
                | "lack"
                | "lacking"
                | "without"
                | "none"
                | "nothing"
                | "don't"
                | "doesn't"
                | "didn't"
                | "can't"
                | "cannot"
                | "unable"
        )
    })
}

/// Whether a phrase names a difficulty without a gain in it: "work-related stress and
/// exhaustion" does, "lower burnout score and improved sleep" and "coping with anxiety" do not.
fn names_a_problem(phrase: &str) -> bool {
    const PROBLEM: &[&str] = &[
        "stress",
        "exhaust",
        "anxi",
        "depress",
        "tired",
        "fatigue",
        "insomnia",
        "pain",
        "burnout",
        "burn-out",
        "cynic",
        "worr",
        "panic",
        "fear",
        "anger",
        "angry",
        "sad",
        "conflict",
        "difficult",
        "struggl",
        "overwhelm",
        "hopeless",
        "guilt",
        "shame",
        "lonel",
        "isolat",
        "craving",
        "relapse",
    ];
    const GAIN: &[&str] = &[
        "cop",
        "manag",
        "lower",
        "reduc",
        "improv",
        "better",
        "less",
        "fewer",
        "support",
        "insight",
        "awareness",
        "motivat",
        "willing",
        "despite",
        "resilien",
        "progress",
        "decreas",
        "overcom",
        "handl",
        "skill",
    ];
    let lower = phrase.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let problem = lower.contains("low mood")
        || words
            .iter()
            .any(|w| !w.starts_with("paint") && PROBLEM.iter().any(|p| w.starts_with(p)));
    problem && !words.iter().any(|w| GAIN.iter().any(|g| w.starts_with(g)))
}

/// The synthesis when the model could not write one: "Session focused on <concern>.", held
/// unless half the concern's content words are the facts' words, citing the facts it names,
/// flagged as the model's reading, to confirm. Nothing when the concern speaks in the first or
/// second person, or names a next step ("returning for an evaluation").
/// (The client's stance toward change was asked too, at first: on a court-ordered client who
/// said "I didn't have a choice" it answered "ready to change"; a judgement that cannot be
/// checked against the words is left to the clinician.)
pub fn impression(
    facts: &[&Statement],
    v: &serde_json::Value,
    order: &dyn Fn(u32) -> usize,
) -> Vec<Statement> {
    const FLAG: &str = "impression: the model's reading of the session; confirm or rewrite";
    let Some(concern) = v["concern"].as_str().map(str::trim) else {
        return Vec::new();
    };
    if concern.is_empty() || personal(concern) {
        return Vec::new();
    }
    let ids = fact_indexes(v, facts.len());
    // a topic phrase sums up the session: supported when at least half its content words
    // are the facts' words (the sentence checks, made for sentences of one exchange, held
    // every right answer on the real transcripts: "alcohol use and drinking habits")
    let pool = fact_stems(facts);
    let support = |c: &str| {
        let own: HashSet<String> = text::content_stems(c).into_iter().collect();
        let hit = own.iter().filter(|w| pool.contains(*w)).count();
        (!own.is_empty() && hit * 2 >= own.len(), hit, own.len())
    };
    let (mut supported, mut hit, mut n_own) = support(concern);
    // a phrase that runs on past what the facts say ("gambling addiction and lack of
    // financial stability" for facts about gambling at the pub): its opening the facts do
    // say, when there is one, rather than no synthesis at all
    let trimmed;
    let mut concern = concern;
    if !supported {
        if let Some(p) = supported_opening(concern, &pool) {
            trimmed = p;
            concern = &trimmed;
            (supported, hit, n_own) = support(concern);
        }
    }
    let mut citations = Vec::new();
    for f in ids.iter().filter_map(|i| facts.get(*i)) {
        add_citations(&mut citations, &f.citations);
    }
    citations.sort_by_key(|c| order(*c));
    // a next step is no concern ("returning for an overall mental health evaluation", the
    // plan's own line again): left to the clinician, as a concern in the second person is
    let first = concern.split(' ').next().unwrap_or("");
    let next_step = matches!(
        first,
        "returning" | "return" | "coming" | "scheduling" | "booking" | "next" | "meeting"
    ) || concern.starts_with("follow");
    // nor is a stance ("confident in sorting out issues related to money", for a client who
    // said "I don't think there is much to sort"): the stance sentence says where the client
    // stands, from their own words
    let stance = matches!(
        first,
        "confident"
            | "motivated"
            | "ready"
            | "willing"
            | "able"
            | "unable"
            | "unsure"
            | "uncertain"
            | "ambivalent"
            | "reluctant"
            | "hesitant"
            | "committed"
            | "determined"
            | "open"
            | "interested"
            | "not"
            | "very"
    );
    if next_step || stance {
        return Vec::new();
    }
    let mut flags = Vec::new();
    if !supported {
        flags.push("low_support".to_string());
    }
    flags.push(FLAG.to_string());
    let mut out = vec![Statement {
        text: format!("Session focused on {}.", topic(concern)),
        citations,
        flags,
        support: hit as f64 / n_own.max(1) as f64,
        origin: Origin::Model,
        included: supported && !ids.is_empty(),
    }];
    if out[0].included {
        out.extend(strengths_and_barriers(facts, v, order, FLAG));
    }
    out
}

/// A concern as the object of "focused on": one that opens with a feeling ("overwhelmed by
/// work", "anxious about the exam") is a state, so it reads "feeling overwhelmed by work".
fn topic(concern: &str) -> String {
    const FEELINGS: &[&str] = &[
        "afraid",
        "alone",
        "angry",
        "anxious",
        "ashamed",
        "depressed",
        "exhausted",
        "frustrated",
        "guilty",
        "hopeless",
        "isolated",
        "lonely",
        "nervous",
        "overwhelmed",
        "sad",
        "scared",
        "stressed",
        "stuck",
        "tired",
        "unhappy",
        "upset",
        "worried",
    ];
    const AFTER: &[&str] = &["about", "at", "by", "for", "from", "over", "with"];
    let mut words = concern.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let next = words.next().unwrap_or("").to_lowercase();
    let feeling = FEELINGS.contains(&first.as_str())
        || first.len() > 4 && first.ends_with("ed") && AFTER.contains(&next.as_str());
    if feeling {
        format!("feeling {concern}")
    } else {
        concern.to_string()
    }
}

/// The longest opening of `phrase` whose content words are all in `pool`, without trailing
/// small words ("gambling addiction and lack of ..." → "gambling"); None when it has no
/// content word.
fn supported_opening(phrase: &str, pool: &HashSet<String>) -> Option<String> {
    let mut kept: Vec<&str> = Vec::new();
    for w in phrase.split_whitespace() {
        if text::content_stems(w).iter().any(|s| !pool.contains(s)) {
            break;
        }
        kept.push(w);
    }
    while kept
        .last()
        .is_some_and(|w| text::content_stems(w).is_empty())
    {
        kept.pop();
    }
    let p = kept.join(" ");
    (!text::content_stems(&p).is_empty()).then_some(p)
}

/// A composed sentence: its text and the indexes (0-based) of the facts it cites.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub text: String,
    pub facts: Vec<usize>,
}

/// Parses the model's composition (fact numbers are 1-based in the prompt); `evidence` is the
/// facts' text, for cutting back a sentence that ran on ([`grammar::trim_runaway`]).
pub fn parse(v: &serde_json::Value, n_facts: usize, evidence: &str) -> Vec<Composed> {
    v["sentences"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    let text = grammar::trim_runaway(s["text"].as_str()?.trim(), evidence);
                    let mut facts = fact_indexes(s, n_facts);
                    facts.dedup();
                    (!text.is_empty()).then_some(Composed { text, facts })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Turns composed sentences into checked statements: each cites every segment its facts
/// cite (in transcript order) and is checked against those segments and the facts' text.
pub fn statements(
    cx: &CheckContext<'_>,
    facts: &[&Statement],
    composed: Vec<Composed>,
    order: &dyn Fn(u32) -> usize,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for c in composed {
        let mut cites: Vec<u32> = Vec::new();
        let mut evidence = String::new();
        for &i in &c.facts {
            let Some(f) = facts.get(i) else { continue };
            add_citations(&mut cites, &f.citations);
            evidence.push_str(&f.text);
            evidence.push('\n');
        }
        cites.sort_by_key(|c| order(*c));
        let mut st = Statement {
            text: c.text,
            citations: cites,
            flags: Vec::new(),
            support: 0.0,
            origin: Origin::Model,
            included: true,
        };
        cx.check_with(&mut st, &evidence);
        out.push(st);
    }
    out
}

/// Near-duplicate statements merged: a later statement whose content mostly repeats an
/// included earlier one (stem Jaccard ≥ 0.6, or word Jaccard ≥ 0.8) gives it its citations
/// and is dropped.
pub fn merge_duplicates(list: Vec<Statement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for st in list {
        if let Some(prev) = out
            .iter_mut()
            .find(|p| p.included && (text::similarity(&p.text, &st.text) >= 0.6 || repeats(p, &st)))
        {
            if st.included {
                add_citations(&mut prev.citations, &st.citations);
                continue;
            }
            // a held-back near-copy of an included statement adds nothing for the reviewer
            continue;
        }
        out.push(st);
    }
    out
}

/// Whether `b` says again what `a` says: a near-copy, every word of one in the other, or the
/// same segments cited with most words shared ("Client reported agreeing to work on a few
/// tasks to ..." in the report and "Therapist assigned a few tasks to the client to ..." among
/// the interventions, both citing the same exchange).
pub fn repeats(a: &Statement, b: &Statement) -> bool {
    style::near_copy(&a.text, &b.text)
        || style::contained(&a.text, &b.text)
        || (!a.citations.is_empty()
            && a.citations == b.citations
            && style::word_jaccard(&a.text, &b.text) >= 0.6)
}

/// Cosine of two statements' sentence embeddings at or above which they make the same point
/// in other words ("Client discussed how hard it is to find work after a felony conviction" /
/// "Client stated that the felony conviction affects job applications").
pub const SAME_POINT: f32 = 0.82;

/// Included statements that make the same point in other words ([`SAME_POINT`]), merged: the
/// longer text is kept, with both statements' citations. A statement with a number the other
/// lacks is never merged away. Without the encoder the list is returned as it is.
pub fn merge_same_point(
    list: Vec<Statement>,
    encoder: Option<&crate::embed::SentenceEncoder>,
) -> Vec<Statement> {
    let Some(enc) = encoder else { return list };
    let texts: Vec<&str> = list.iter().map(|s| s.text.as_str()).collect();
    let Ok(vecs) = enc.encode(&texts) else {
        return list;
    };
    merge_same_point_embedded(list, vecs)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// [`merge_same_point`] over statements already embedded (one vector each, in order):
/// returns the kept statements with their vectors, for later steps that compare meanings.
pub fn merge_same_point_embedded(
    list: Vec<Statement>,
    vecs: Vec<Vec<f32>>,
) -> Vec<(Statement, Vec<f32>)> {
    let numbers = |t: &str| -> HashSet<String> { text::numbers(t).into_iter().collect() };
    let mut out: Vec<(Statement, Vec<f32>)> = Vec::new();
    for (st, v) in list.into_iter().zip(vecs) {
        if st.included {
            let same = out.iter_mut().find(|(p, pv)| {
                p.included && crate::embed::cosine(pv, &v) >= SAME_POINT && {
                    let (a, b) = (numbers(&p.text), numbers(&st.text));
                    a.is_subset(&b) || b.is_subset(&a)
                }
            });
            if let Some((prev, pv)) = same {
                let mut cites = prev.citations.clone();
                add_citations(&mut cites, &st.citations);
                if style::words(&st.text).len() > style::words(&prev.text).len() {
                    *prev = st;
                    *pv = v;
                }
                prev.citations = cites;
                continue;
            }
        }
        out.push((st, v));
    }
    out
}

/// Statements of one section about the same topic: mean cosine similarity to a group's
/// members (all-MiniLM-L6-v2) at least this. Below [`SAME_POINT`]: they add to each other
/// rather than repeat ("felony conviction makes job applications hard" and "disclosing the
/// conviction before the interview").
pub const SAME_TOPIC: f32 = 0.6;
/// Statements one fused sentence may stand for.
pub const MAX_FUSED: usize = 4;
/// How far apart (in segments) a statement's words may be from the nearest of its group's for
/// them to be one topic: a conversation that comes back to drinking twenty turns later says
/// something else about it ("a good amount the first time" and "would tell friends they will
/// not drink today" fused into "Client started drinking alcohol, and would probably start by
/// telling friends ..."), while the steps of one plan are agreed a few turns apart.
pub const FUSE_SPAN: u32 = 12;
/// Longest fused sentence, in words (asked for at most 25: a longer one strings the
/// statements together rather than sums them up).
pub const FUSED_WORDS: usize = 30;

/// Whether a sentence strings clauses one after another rather than saying one thing: three
/// or more comma-separated parts ("Client shared her hobbies, expressed a preference for
/// drinking at school events, admitted to drinking alcohol, and mentioned drinking at
/// gatherings"). A fused sentence like that is no summary; the statements stay as they are.
pub fn strings_clauses(sentence: &str) -> bool {
    sentence.matches(',').count() >= 3
        || (sentence.matches(',').count() >= 2 && sentence.contains(", and "))
}

/// The first word of a statement, its subject ("Client", "Therapist").
pub fn subject(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or("")
}

/// Whether two statements start with the same subject.
fn same_subject(a: &str, b: &str) -> bool {
    subject(a).eq_ignore_ascii_case(subject(b))
}

/// Groups of included statements of one topic ([`SAME_TOPIC`], at most [`MAX_FUSED`] each),
/// as indexes into `vecs` in order, each group in the order of its first member; only groups
/// of two or more. A statement with a number another lacks stays out of that group (fusing
/// them could mix the numbers up), and so does one whose words were said more than
/// [`FUSE_SPAN`] segments from all of the group's.
pub fn topic_groups(list: &[Statement], vecs: &[Vec<f32>]) -> Vec<Vec<usize>> {
    let numbers = |t: &str| -> HashSet<String> { text::numbers(t).into_iter().collect() };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, st) in list.iter().enumerate() {
        if !st.included || !st.flags.is_empty() {
            continue;
        }
        let near = |j: usize| {
            list[j]
                .citations
                .iter()
                .any(|a| st.citations.iter().any(|b| a.abs_diff(*b) <= FUSE_SPAN))
        };
        let fits = |g: &Vec<usize>| {
            g.len() < MAX_FUSED
                && same_subject(&list[g[0]].text, &st.text)
                && g.iter().any(|&j| near(j))
                && g.iter()
                    .all(|&j| numbers(&list[j].text) == numbers(&st.text))
                && g.iter()
                    .map(|&j| crate::embed::cosine(&vecs[j], &vecs[i]))
                    .sum::<f32>()
                    / g.len() as f32
                    >= SAME_TOPIC
        };
        match groups.iter_mut().find(|g| fits(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.retain(|g| g.len() >= 2);
    groups
}

/// The model's sentence for a group of statements, if it may stand for them: it starts as
/// they do, is not in the first person, keeps their numbers, keeps two in five of their
/// content words (a summary drops their repetitions) and says little else (three in four of
/// its content words are theirs), within [`FUSED_WORDS`]. Cites every segment they cite. The usual checks run on
/// it afterwards.
pub fn fused_statement(group: &[&Statement], v: &serde_json::Value) -> Option<Statement> {
    let sentence = v["sentence"].as_str()?.trim();
    if group.is_empty()
        || !same_subject(sentence, &group[0].text)
        || style::first_person(sentence)
        || style::words(sentence).len() > FUSED_WORDS
        || strings_clauses(sentence)
    {
        return None;
    }
    let theirs: HashSet<String> = group
        .iter()
        .flat_map(|s| text::content_stems(&s.text))
        .collect();
    let own: HashSet<String> = text::content_stems(sentence).into_iter().collect();
    if own.is_empty() || theirs.is_empty() {
        return None;
    }
    let kept = theirs.iter().filter(|w| own.contains(*w)).count();
    let from_them = own.iter().filter(|w| theirs.contains(*w)).count();
    let numbers: HashSet<String> = text::numbers(sentence).into_iter().collect();
    let all_numbers = group
        .iter()
        .flat_map(|s| text::numbers(&s.text))
        .all(|n| numbers.contains(&n));
    if kept * 5 < theirs.len() * 2 || from_them * 4 < own.len() * 3 || !all_numbers {
        return None;
    }
    let mut citations = Vec::new();
    for s in group {
        add_citations(&mut citations, &s.citations);
    }
    let mut text = sentence.to_string();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    Some(Statement {
        text,
        citations,
        flags: Vec::new(),
        support: 0.0,
        origin: Origin::Model,
        included: true,
    })
}

/// The schema of the fusion answer: one sentence starting with `subject`.
pub fn fuse_schema(subject: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "sentence": {"type": "string", "pattern": format!("^{subject} [^\"\\n]{{10,300}}$")}
        },
        "required": ["sentence"],
        "additionalProperties": false,
        "x-guidance": {"whitespace_flexible": false}
    })
}

/// The checked facts filed under the synthesis section that rest on a risk cue's segment
/// ("Client described passive death wishes without a plan or intent, named her two daughters
/// as reasons for living; no access to firearms") and that the section's sentences in `list`
/// do not already say: a synthesis keeps the risk assessment's details (protective factors,
/// access to means, the safety plan), which the three-state summary line cannot.
pub fn risk_facts_to_keep(
    own: &[Statement],
    list: &[Statement],
    cue_ids: &[u32],
) -> Vec<Statement> {
    let mut said: String = list
        .iter()
        .filter(|s| s.included)
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    for st in own {
        if !st.included
            || !st.citations.iter().any(|c| cue_ids.contains(c))
            || list.iter().any(|s| s.text == st.text)
            || text::coverage(&said, &st.text) >= RISK_FACT_SAID
        {
            continue;
        }
        said.push(' ');
        said.push_str(&st.text);
        out.push(st.clone());
    }
    out
}

/// Share of a risk fact's content words the synthesis must already say for the fact to add
/// nothing.
const RISK_FACT_SAID: f64 = 0.7;

/// The facts themselves as the section, within the budget (used when composition fails):
/// included facts in transcript order until the word budget is spent.
pub fn facts_within_budget(facts: &[&Statement], budget: &SectionBudget) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut used = 0;
    for f in facts.iter().filter(|f| f.included) {
        let n = style::words(&f.text).len();
        if used > 0 && used + n > budget.words {
            break;
        }
        used += n;
        out.push((*f).clone());
        if out.len() >= budget.sentences + 2 {
            break;
        }
    }
    out
}

fn status_words(s: RiskStatus) -> &'static str {
    match s {
        RiskStatus::Endorsed => "endorsed",
        RiskStatus::Denied => "denied",
        RiskStatus::NotAssessed => "not assessed",
    }
}

/// The risk summary sentence of the synthesis section, in three-state terms, from the risk
/// block (which the model never writes). None when risk was neither discussed nor cued: a
/// note's statements each cite what they rest on, and "not assessed" rests on nothing said
/// (a sentence saying so, uncited, was tried and taken out again). When risk was not
/// discussed and every cue is weak (an everyday sentence the nets could not rule out), the
/// sentence is held for the clinician: the cues stay flags to acknowledge, but the note does
/// not say risk was cued unless the clinician keeps it.
pub fn risk_sentence(risk: &Risk) -> Option<Statement> {
    let items = [
        ("suicidal ideation", &risk.suicidal_ideation),
        ("plan", &risk.plan),
        ("intent", &risk.intent),
        ("homicidal ideation", &risk.homicidal_ideation),
    ];
    let discussed = items
        .iter()
        .any(|(_, i)| i.status != RiskStatus::NotAssessed);
    if !discussed && risk.cues.is_empty() {
        return None;
    }
    let mut cites: Vec<u32> = Vec::new();
    for (_, i) in &items {
        add_citations(&mut cites, &i.citations);
    }
    for c in &risk.cues {
        add_citations(&mut cites, &[c.segment_id]);
    }
    cites.sort_unstable();
    // cues that are only weak, or only close in meaning to a risk expression (the embedding
    // net: no rule read risk in the words), make no line of the note by themselves: the line
    // is held for the reviewer beside the flags, which must be acknowledged before signing
    let tentative = |c: &crate::draft::risk::RiskCue| {
        c.strength == crate::draft::risk::Strength::Low
            || (c.source == crate::draft::risk::CueSource::Embedding
                && c.strength != crate::draft::risk::Strength::High)
    };
    let tentative_only = !discussed && risk.cues.iter().all(tentative);
    let text = if discussed {
        let parts: Vec<String> = items
            .iter()
            .map(|(name, i)| format!("{name} {}", status_words(i.status)))
            .collect();
        format!("Risk: {}.", parts.join(", "))
    } else {
        "Risk: cues noted for clinician review; risk not formally assessed.".to_string()
    };
    let mut flags = vec!["risk_summary: from the risk block; confirm before signing".to_string()];
    if tentative_only {
        flags.push(
            "risk_summary: only weak or similarity-only cues, risk not discussed; keep it if they are risk talk"
                .into(),
        );
    }
    Some(Statement {
        text,
        citations: cites,
        flags,
        support: 1.0,
        origin: Origin::Template,
        included: !tentative_only,
    })
}

/// A goal's short name for a sentence: its text up to the measure, baseline, target or time
/// frame ("Reduce work-related burnout (CBI ...) from 75 to below 50 within three months" →
/// "reduce work-related burnout").
pub fn goal_name(goal: &str) -> String {
    let lower = goal.to_lowercase();
    let mut end = goal.len();
    for cut in [
        " (",
        " from ",
        " to below ",
        " below ",
        " by ",
        " within ",
        " on ",
        " at least ",
        ",",
        ";",
    ] {
        if let Some(i) = lower.find(cut) {
            if i >= 8 {
                end = end.min(i);
            }
        }
    }
    lower_first(goal[..end].trim().trim_end_matches('.'))
}

/// `text` with its first letter in lower case (to continue a sentence).
fn lower_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The synthesis section's progress sentences, one per goal the session addressed, from the
/// checked plan updates: "Progressing toward the goal to reduce work-related burnout: 71 now,
/// 75 at baseline; target below 50." An update whose evidence failed its check, or that was not
/// addressed, gives none (the reviewer sees it in the plan updates). Each cites the update's
/// segments.
pub fn goal_sentences(updates: &[super::PlanUpdate]) -> Vec<Statement> {
    use super::GoalStatus;
    updates
        .iter()
        .filter(|u| u.status != GoalStatus::NotAddressed && !u.citations.is_empty())
        .filter(|u| {
            !u.flags
                .iter()
                .any(|f| f.starts_with("evidence_unsupported"))
        })
        .filter(|u| !u.goal.trim().is_empty() && !u.evidence.trim().is_empty())
        .map(|u| {
            let name = goal_name(&u.goal);
            let lead = match u.status {
                GoalStatus::Met => format!("Goal met ({name})"),
                GoalStatus::Progressing => format!("Progressing toward the goal to {name}"),
                _ => format!("Not yet meeting the goal to {name}"),
            };
            let evidence = u.evidence.trim().trim_end_matches('.');
            // "Client ..." keeps its capital; other openings join the sentence
            let evidence = if evidence.starts_with("Client") {
                evidence.to_string()
            } else {
                lower_first(evidence)
            };
            Statement {
                text: format!("{lead}: {evidence}."),
                citations: u.citations.clone(),
                flags: vec!["goal_progress: from the plan updates; confirm with them".into()],
                support: 1.0,
                origin: Origin::Template,
                included: true,
            }
        })
        .collect()
}

/// Words the fact sections (report, observation, plan) of a session note may hold: most of the
/// note's budget, but never less than ten facts' worth (a short session keeps its facts).
pub fn facts_cap(input: &DraftInput) -> usize {
    ((note_budget(input) as f64 * 0.7) as usize).max(160)
}

/// Keeps the statements of `sections` within `cap` words: the sections in `spared` count toward
/// it but are not cut, those in `uncounted` neither count nor are cut; of the rest a held-back
/// statement goes first, then the least supported one. A long real session has more salient
/// exchanges than a note holds, and an exchange asked twice can give two sentences.
pub fn trim_to(
    sections: &mut BTreeMap<String, Vec<Statement>>,
    spared: &[&str],
    uncounted: &[&str],
    cap: usize,
) {
    loop {
        let words: usize = sections
            .iter()
            .filter(|(k, _)| !uncounted.contains(&k.as_str()))
            .flat_map(|(_, l)| l)
            .map(|s| style::words(&s.text).len())
            .sum();
        if words <= cap {
            return;
        }
        // held-back sentences (of the less salient exchanges, as often as not) go first
        let weakest = sections
            .iter()
            .filter(|(k, _)| !spared.contains(&k.as_str()) && !uncounted.contains(&k.as_str()))
            .flat_map(|(k, l)| l.iter().enumerate().map(move |(i, s)| (k, i, s)))
            .min_by(|a, b| {
                (a.2.included, a.2.support)
                    .partial_cmp(&(b.2.included, b.2.support))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|(k, i, _)| (k.clone(), i));
        let Some((k, i)) = weakest else { return };
        if let Some(l) = sections.get_mut(&k) {
            l.remove(i);
        }
    }
}

/// Which section a fact belongs in: the model's choice, except that what the therapist did
/// goes to the section that collects interventions when the model filed it as the
/// client's report.
pub fn route(format: &NoteFormat, section: &str, fact: &Statement) -> String {
    let report = format.section_for("client_report").key.clone();
    let intervention = format.section_for("intervention").key.clone();
    if section == report && fact.text.starts_with("Therapist") && intervention != report {
        return intervention;
    }
    section.to_string()
}

/// The facts given to a section's composition: its own, or all of them (synthesis).
pub fn facts_for<'a>(
    section: &Section,
    per: &'a BTreeMap<String, Vec<Statement>>,
    synthesis_limit: usize,
) -> Vec<&'a Statement> {
    if is_synthesis(section) {
        let mut all: Vec<&Statement> = per.values().flatten().filter(|s| composable(s)).collect();
        // the section's own facts first, then the rest, up to the limit
        let own: HashSet<*const Statement> = per
            .get(&section.key)
            .map(|v| v.iter().map(|s| s as *const _).collect())
            .unwrap_or_default();
        all.sort_by_key(|s| !own.contains(&(*s as *const _)));
        all.truncate(synthesis_limit);
        all
    } else {
        per.get(&section.key)
            .map(|v| v.iter().filter(|s| composable(s)).collect())
            .unwrap_or_default()
    }
}

/// Whether a checked fact may be given to a section's composition: it passed the checks, or
/// its only fault is wording copied from the transcript (its content is sound; the composed
/// sentence is checked again and the fact itself never reaches the note as written).
pub fn composable(s: &Statement) -> bool {
    s.included || (!s.flags.is_empty() && s.flags.iter().all(|f| f.starts_with("verbatim")))
}

/// The composition prompt's facts.
pub fn prompt_facts<'a>(facts: &[&'a Statement]) -> Vec<prompt::PromptFact<'a>> {
    facts
        .iter()
        .enumerate()
        .map(|(i, f)| prompt::PromptFact {
            n: i + 1,
            text: f.text.as_str(),
        })
        .collect()
}

/// Held-back statements that give the reviewer nothing: a near-copy (word Jaccard ≥ 0.8) of
/// a statement in the note, in any section (a held synthesis that repeats the plan), one that
/// is such a statement with a comment tacked on ("..., which is crucial for their future
/// success."), or one
/// that copies eight or more words of the transcript (a rejected sentence that is only a
/// quote; `verbatim` is None for a dictation, whose words are the clinician's own). Included
/// statements are never touched.
pub fn prune_held(
    sections: &mut BTreeMap<String, Vec<Statement>>,
    verbatim: Option<&style::Verbatim>,
) {
    let included: Vec<String> = sections
        .values()
        .flatten()
        .filter(|s| s.included)
        .map(|s| s.text.clone())
        .collect();
    for list in sections.values_mut() {
        list.retain(|st| {
            st.included
                || !(verbatim.is_some_and(|v| v.copies(&st.text))
                    || included
                        .iter()
                        .any(|t| style::near_copy(t, &st.text) || commented_copy(t, &st.text)))
        });
    }
}

/// Whether `held` is the note's sentence `t` (of four words or more) with a clause tacked on.
fn commented_copy(t: &str, held: &str) -> bool {
    let body = t.trim_end_matches('.');
    body.split_whitespace().count() >= 4
        && held
            .strip_prefix(body)
            .is_some_and(|rest| rest.starts_with(", ") || rest.starts_with(" and "))
}

/// Whether a plan sentence tells of what the therapist said or did rather than of a step
/// agreed ("Therapist reassures client that if things go well, it's fantastic").
pub fn not_a_step(text: &str) -> bool {
    const SAID: &[&str] = &[
        "reassures",
        "reassured",
        "praises",
        "praised",
        "thanks",
        "thanked",
        "validates",
        "validated",
        "acknowledges",
        "acknowledged",
        "affirms",
        "affirmed",
        "expresses",
        "expressed",
        "normalizes",
        "normalized",
        "normalises",
        "normalised",
        "summarizes",
        "summarized",
        "summarises",
        "summarised",
        "reflects",
        "reflected",
        "compliments",
        "complimented",
        "empathizes",
        "empathized",
        "asks",
        "asked",
        "explores",
        "explored",
        "inquires",
        "inquired",
        "wonders",
        "wondered",
    ];
    let mut w = text.split_whitespace();
    w.next() == Some("Therapist") && w.next().is_some_and(|v| SAID.contains(&v))
}

/// Whether a plan sentence tells of something done in the session itself rather than a step
/// for after it ("Client agreed to rate their importance."): rating, answering or describing
/// happens while the therapist asks.
pub fn done_in_session(text: &str) -> bool {
    static IN_SESSION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^Client (?:agreed|agrees|was willing|is willing) to (?:rate|answer|describe|fill in the scale|share (?:more|their (?:thoughts|feelings)))\b",
        )
        .expect("in-session pattern")
    });
    // ... unless it is to go on after the session ("rate their mood daily in a diary")
    static LATER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:daily|each (?:day|morning|evening|night)|every|diary|log|journal|week|weekly|homework|between sessions|until|before (?:the )?next|at home)\b",
        )
        .expect("later pattern")
    });
    IN_SESSION.is_match(text) && !LATER.is_match(text)
}

/// "Tuesday at ten", "next Thursday at the same time", "in two weeks": when the next
/// appointment is, as the session or dictation said it.
static APPOINTMENT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:next (?:appointment|session|meeting|visit)|(?:see|meet) (?:you |each other )?again|see you|(?:book|booked|schedule|scheduled) (?:you|our next|the next|a follow-up)|follow-up)\b[^.?!]{0,40}?\b((?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:at|morning|afternoon|evening)(?: (?:the same time|\d{1,2}(?::\d\d)?(?: ?[ap]m)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|nine thirty|ten thirty))?)?|in (?:one|two|three|four|a couple of|\d) weeks?|next week)\b",
    )
    .expect("appointment pattern")
});

/// The next appointment as a plan sentence ("Next appointment: Tuesday at ten."), citing the
/// segment that set it, when the plan's statements do not already name its day or interval.
/// The last such segment counts (a session books its next one at the end).
pub fn appointment_statement(input: &DraftInput, plan: &[Statement]) -> Option<Statement> {
    let (seg, when) = input.segments.iter().rev().find_map(|s| {
        APPOINTMENT
            .captures(&s.text)
            .and_then(|c| c.get(1))
            .map(|m| (s, m.as_str().to_string()))
    })?;
    let said = plan
        .iter()
        .filter(|s| s.included)
        .map(|s| s.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    // the day or interval's key word ("tuesday", "two weeks", "next week")
    let lower = when.to_lowercase();
    let key = lower
        .split_whitespace()
        .find(|w| w.ends_with("day"))
        .map(str::to_string)
        .unwrap_or_else(|| lower.trim_start_matches("in ").to_string());
    if said.contains(&key) {
        return None;
    }
    let when: Vec<String> = lower
        .split_whitespace()
        .map(|w| {
            if w.ends_with("day") {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect();
    Some(Statement {
        text: format!("Next appointment: {}.", when.join(" ")),
        citations: vec![seg.id],
        flags: Vec::new(),
        support: 1.0,
        origin: Origin::Template,
        included: true,
    })
}

/// The plan section's sentence for a session in which no next step was found: that none was
/// agreed is itself worth recording, and the flag asks the clinician to add the plan. It cites
/// the session's closing exchange (its last two segments), where a plan would have been made.
pub fn no_plan_statement(input: &DraftInput) -> Option<Statement> {
    if input.kind != InputKind::Session || input.segments.len() < 4 {
        return None;
    }
    let citations: Vec<u32> = input
        .segments
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|s| s.id)
        .collect();
    Some(Statement {
        text: "No next steps or follow-up appointment were agreed in the recorded session.".into(),
        citations,
        flags: vec![
            "plan_not_agreed: no agreed next step was found in the transcript; add the plan, or confirm none was made"
                .into(),
        ],
        support: 1.0,
        origin: Origin::Template,
        included: true,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_synthesis_that_copies_a_fact_or_lists_five_restates_them() {
        let st = |t: &str| Statement {
            text: t.into(),
            citations: vec![1],
            flags: Vec::new(),
            support: 1.0,
            origin: Origin::Model,
            included: true,
        };
        let facts = [
            st("Client asked if the therapist had a real hat."),
            st("Client reported gambling on pokies at the pub most weekends."),
            st("Client was unsure whether gambling had been a good thing."),
        ];
        let refs: Vec<&Statement> = facts.iter().collect();
        let c = |t: &str, f: &[usize]| Composed {
            text: t.into(),
            facts: f.to_vec(),
        };
        assert!(restates(
            &c("Client asks if the therapist has a real hat.", &[0]),
            &refs,
            true
        ));
        assert!(restates(
            &c(
                "Client reports feeling stressed, expressing dislike for it, describing a dream, mentioning food.",
                &[0, 1, 2, 3, 4]
            ),
            &refs,
            true
        ));
        assert!(!restates(
            &c(
                "Client presents with weekend gambling and is ambivalent about whether it helps.",
                &[1, 2]
            ),
            &refs,
            true
        ));
        // three facts strung together with nothing of its own
        assert!(restates(
            &c(
                "Client asked if the therapist had a real hat, reported gambling on pokies at the pub most weekends, unsure whether gambling had been a good thing.",
                &[0, 1, 2]
            ),
            &refs,
            true
        ));
        // two facts chained, each with its subject
        assert!(restates(
            &c(
                "Client's confidence in making changes is high, and Client agrees to make adjustments.",
                &[1, 2]
            ),
            &refs,
            true
        ));
        // or chained with a pronoun and no word of its own
        assert!(restates(
            &c(
                "Client reported gambling on pokies most weekends, and they were unsure whether gambling had been good.",
                &[1, 2]
            ),
            &refs,
            true
        ));
        assert!(!restates(
            &c(
                "Client gambles on pokies most weekends, and they show ambivalence about stopping.",
                &[1, 2]
            ),
            &refs,
            true
        ));
        // one fact whole with a comment tacked on
        assert!(restates(
            &c(
                "Client reported gambling on pokies at the pub most weekends, which is a significant challenge for their well-being.",
                &[1]
            ),
            &refs,
            true
        ));
        // a fact joined with another into a judgement is none
        assert!(!restates(
            &c(
                "Client presents with gambling on pokies at the pub most weekends and ambivalence about whether it has been good.",
                &[1, 2]
            ),
            &refs,
            true
        ));
        // a dictation's facts are judgements already: joining them is a synthesis
        assert!(!restates(
            &c(
                "Client asked if the therapist had a real hat, reported gambling on pokies at the pub most weekends, unsure whether gambling had been a good thing.",
                &[0, 1, 2]
            ),
            &refs,
            false
        ));
    }

    #[test]
    fn fact_sections_are_cut_to_the_cap_weakest_first_sparing_the_plan() {
        let st = |t: &str, support: f64| Statement {
            text: t.into(),
            citations: vec![1],
            flags: Vec::new(),
            support,
            origin: Origin::Model,
            included: true,
        };
        let mut m: BTreeMap<String, Vec<Statement>> = BTreeMap::new();
        m.insert(
            "subjective".into(),
            vec![
                st("Client reported one two three four.", 0.9),
                st("Client said five six seven.", 0.5),
            ],
        );
        m.insert(
            "plan".into(),
            vec![st("Homework: a sleep log every night.", 0.1)],
        );
        let mut held = st("Client said it at length, held back.", 0.95);
        held.included = false;
        m.insert("objective".into(), vec![held]);
        trim_to(&mut m, &["plan"], &[], 12);
        assert!(m["objective"].is_empty(), "the held statement goes first");
        assert_eq!(m["subjective"].len(), 1);
        assert_eq!(
            m["subjective"][0].text,
            "Client reported one two three four."
        );
        assert_eq!(m["plan"].len(), 1);
        // nothing left to cut: the spared sections stay whole even past the cap
        trim_to(&mut m, &["plan"], &[], 3);
        assert!(m["subjective"].is_empty());
        assert_eq!(m["plan"].len(), 1);
        // an uncounted section (the synthesis) is neither counted nor cut
        m.insert(
            "assessment".into(),
            vec![st("Client is progressing on every goal set.", 0.0)],
        );
        m.insert("subjective".into(), vec![st("Client slept.", 0.9)]);
        trim_to(&mut m, &["plan"], &["assessment"], 8);
        assert_eq!(m["subjective"].len(), 1, "plan 6 + report 2 words fit 8");
        assert_eq!(m["assessment"].len(), 1);
    }

    #[test]
    fn goal_progress_sentences_come_from_checked_updates() {
        use crate::draft::{GoalStatus, PlanUpdate};
        assert_eq!(
            goal_name("Reduce work-related burnout (CBI work-related score) from 75 to below 50 within three months"),
            "reduce work-related burnout"
        );
        assert_eq!(
            goal_name("Sleep at least 6.5 hours on four or more nights per week"),
            "sleep at least 6.5 hours"
        );
        let u = |id: &str, status, evidence: &str, flags: Vec<String>| PlanUpdate {
            goal_id: id.into(),
            goal: "Reduce work-related burnout from 75 to below 50".into(),
            status,
            evidence: evidence.into(),
            citations: vec![8],
            flags,
        };
        let got = goal_sentences(&[
            u(
                "g1",
                GoalStatus::Progressing,
                "71 now, 75 at baseline; target below 50",
                vec![],
            ),
            u("g2", GoalStatus::NotAddressed, "", vec![]),
            u(
                "g3",
                GoalStatus::NotMet,
                "Client took two extra shifts.",
                vec!["evidence_unsupported: x".into()],
            ),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].text,
            "Progressing toward the goal to reduce work-related burnout: 71 now, 75 at baseline; target below 50."
        );
        assert_eq!(got[0].citations, vec![8]);
    }

    use super::*;
    use crate::draft::format::FormatLibrary;
    use crate::draft::input::{Segment, Speaker};

    fn seg(id: u32, sp: Speaker, t: &str) -> Segment {
        crate::draft::input::test_segment(id, sp, t)
    }

    #[test]
    fn the_same_exchange_told_twice_is_one_statement() {
        let told = st(
            "Client reported agreeing to work on a few tasks to write down a way of talking and to figure out overall mental health.",
            &[223, 224, 266],
        );
        let again = st(
            "Therapist assigned a few tasks to the client to write down a way of talking and to figure out overall mental health.",
            &[223, 224, 266],
        );
        assert!(repeats(&told, &again));
        // other segments: two statements, even in similar words
        let other = st(
            "Therapist assigned a few tasks to the client to write down a way of talking and to figure out overall mental health.",
            &[100],
        );
        assert!(!repeats(&told, &other));
    }

    #[test]
    fn a_strength_that_names_the_problem_is_no_strength() {
        assert!(names_a_problem("work-related stress and exhaustion"));
        assert!(!names_a_problem(
            "lower work-related burnout score and improved sleep quality"
        ));
        assert!(!names_a_problem("coping with anxiety at work"));
        assert!(!names_a_problem("seven years of work with people"));
        assert!(!names_a_problem("painting and music"));
        assert!(names_a_lack(
            "no money in their pocket and not thinking about it"
        ));
        assert!(names_a_lack("lack of opportunities"));
        assert!(!names_a_lack("support from family and whanau"));
    }

    #[test]
    fn glued_phrases_are_caught_however_many_words_they_run_together() {
        let f = st(
            "Client said the program was important to them and they gave it 100 percent.",
            &[1],
        );
        let facts = [&f];
        assert!(glued_from("the program wasimportant to them", &facts));
        assert!(glued_from(
            "kids proud if therapistsaidprogramwasimportanttothemandtheygaveit",
            &facts
        ));
        assert!(!glued_from("the program was important to them", &facts));
        let m = st("Client feels the money did add up and ended up here.", &[2]);
        assert!(glued_from(
            "not confident in sorting out money issues and feeling themoneydidaddup",
            &[&m]
        ));
        let a = st(
            "Client reports feeling tired and exhausted from work-related stress.",
            &[0],
        );
        let facts = vec![&a];
        let v = serde_json::json!({
            "concern": "work-related exhaustion",
            "facts": [1],
            "strength": "work-related stress and exhaustion"
        });
        let out = impression(&facts, &v, &|x: u32| x as usize);
        assert!(
            out.iter().all(|s| !s.text.starts_with("Strengths")),
            "{out:?}"
        );
    }

    #[test]
    fn reassurance_is_no_plan_step() {
        assert!(not_a_step(
            "Therapist reassures client that if things are going well, it's fantastic."
        ));
        assert!(!not_a_step(
            "Therapist will refer client to the employee assistance program."
        ));
        assert!(!not_a_step("Client agreed to keep a sleep log."));
        assert!(done_in_session("Client agreed to rate their importance."));
        assert!(!done_in_session("Client agreed to keep a sleep log."));
        assert!(!done_in_session(
            "Client agreed to rate their mood daily in a diary."
        ));
    }

    #[test]
    fn the_next_appointment_is_added_when_the_plan_lost_its_day() {
        let input = DraftInput::from_summary(
            "Client agreed to walk on three mornings. Plan, increase sessions to weekly and \
             repeat the PHQ-9 next session. Next appointment Tuesday at ten.",
            Default::default(),
        )
        .expect("summary");
        let lost = vec![st(
            "Therapist plans to increase sessions to weekly and repeat the PHQ-9 next session.",
            &[1],
        )];
        let got = appointment_statement(&input, &lost).expect("appointment");
        assert_eq!(got.text, "Next appointment: Tuesday at ten.");
        assert_eq!(got.origin, Origin::Template);
        let kept = vec![st("Next session scheduled for Tuesday at ten.", &[1])];
        assert!(appointment_statement(&input, &kept).is_none());
        // a session's closing line, an interval
        let input = DraftInput::from_transcript_text(
            "Therapist: How was the week?\nClient: Busy.\nTherapist: Let's meet again in two \
             weeks, same time.\nClient: Sounds good.",
            Default::default(),
        )
        .expect("transcript");
        let got = appointment_statement(&input, &lost).expect("interval");
        assert_eq!(got.text, "Next appointment: in two weeks.");
        assert_eq!(got.citations, vec![2]);
        // no appointment said: nothing added
        let input = DraftInput::from_transcript_text(
            "Therapist: How was the week?\nClient: Busy.",
            Default::default(),
        )
        .expect("transcript");
        assert!(appointment_statement(&input, &lost).is_none());
    }

    #[test]
    fn a_risk_fact_stays_beside_the_synthesis_unless_it_says_it_already() {
        let synthesis = vec![st(
            "Client presents with low mood and withdrawal, slightly improved since intake.",
            &[0, 1],
        )];
        let own = vec![
            st(
                "Client described passive death wishes without plan or intent and named two daughters as reasons for living.",
                &[3],
            ),
            st("Client's mood was rated three out of ten.", &[0]),
        ];
        let kept = risk_facts_to_keep(&own, &synthesis, &[3]);
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(kept[0].text.contains("daughters"));
        // a synthesis that already says it: nothing added
        let mut full = synthesis.clone();
        full.push(own[0].clone());
        full[1].text = "Client described passive death wishes, no plan or intent, two daughters named as reasons for living.".into();
        assert!(risk_facts_to_keep(&own, &full, &[3]).is_empty());
        // a held-back risk fact stays held back
        let mut held = own.clone();
        held[0].included = false;
        assert!(risk_facts_to_keep(&held, &synthesis, &[3]).is_empty());
    }

    fn st(text: &str, cites: &[u32]) -> Statement {
        Statement {
            text: text.into(),
            citations: cites.to_vec(),
            flags: vec![],
            support: 1.0,
            origin: Origin::Model,
            included: true,
        }
    }

    #[test]
    fn statements_of_one_topic_group_together() {
        let list = vec![
            st(
                "Client reports a felony conviction blocks job offers.",
                &[1],
            ),
            st("Client reports sleeping 6 hours.", &[2]),
            st("Client discloses the conviction before interviews.", &[3]),
            st("Therapist reflected the client's frustration.", &[4]),
            st("Client reports sleeping 8 hours on weekends.", &[5]),
            // near 0 and 2 in meaning, but said far later in the session
            st(
                "Client reports the conviction came up again at work.",
                &[40],
            ),
        ];
        // hand-made unit vectors: 0 and 2 near, 1 and 4 near but with other numbers, 3 apart
        let v = |a: f32, b: f32, c: f32| {
            let n = (a * a + b * b + c * c).sqrt();
            vec![a / n, b / n, c / n]
        };
        let vecs = vec![
            v(1.0, 0.1, 0.0),
            v(0.0, 1.0, 0.1),
            v(0.9, 0.2, 0.0),
            v(0.95, 0.0, 0.1),
            v(0.0, 1.0, 0.0),
            v(0.95, 0.15, 0.0),
        ];
        // 3 is near 0 too, but starts with another subject; 5 is too far from them
        assert_eq!(topic_groups(&list, &vecs), vec![vec![0, 2]]);
        // a held-back statement is never fused
        let mut held = list.clone();
        held[2].included = false;
        assert!(topic_groups(&held, &vecs).is_empty());
    }

    #[test]
    fn a_fused_sentence_keeps_the_facts_and_cites_them_all() {
        let a = st(
            "Client reports a felony conviction blocks job offers.",
            &[3, 4],
        );
        let b = st("Client discloses the conviction before interviews.", &[9]);
        let ok = serde_json::json!({"sentence": "Client reports that a felony conviction blocks job offers and discloses the conviction before interviews"});
        let f = fused_statement(&[&a, &b], &ok).expect("fused");
        assert_eq!(f.citations, vec![3, 4, 9]);
        assert!(f.text.ends_with('.'));
        assert!(f.included && f.origin == Origin::Model);
        // drops most of what they say
        let thin = serde_json::json!({"sentence": "Client reports a conviction."});
        assert!(fused_statement(&[&a, &b], &thin).is_none());
        // says more than they do
        let more = serde_json::json!({"sentence": "Client reports a felony conviction blocks job offers, discloses the conviction before interviews, and feels hopeless, angry, ashamed and isolated from family and friends."});
        assert!(fused_statement(&[&a, &b], &more).is_none());
        // strings the statements one after another
        let c = st("Client drinks with friends at parties.", &[12]);
        let list = serde_json::json!({"sentence": "Client reports a felony conviction, discloses it before interviews, and drinks with friends at parties."});
        assert!(fused_statement(&[&a, &b, &c], &list).is_none());
        // another subject, or the first person
        let other = serde_json::json!({"sentence": "Therapist noted a felony conviction blocks job offers and the conviction is disclosed before interviews."});
        assert!(fused_statement(&[&a, &b], &other).is_none());
        // a number of the statements lost
        let n = st("Client reports sleeping 6 hours on weeknights.", &[1]);
        let m = st("Client reports the sleep is restless on weeknights.", &[2]);
        let lost = serde_json::json!({"sentence": "Client reports restless sleep on weeknights and sleeping hours."});
        assert!(fused_statement(&[&n, &m], &lost).is_none());
    }

    fn input() -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(0, Speaker::Therapist, "How has your sleep been this week?"),
                seg(
                    1,
                    Speaker::Client,
                    "Maybe five hours a night, I wake at three.",
                ),
                seg(
                    2,
                    Speaker::Client,
                    "Work keeps going round in my head, the night shifts.",
                ),
                seg(3, Speaker::Therapist, "It sounds like you feel exhausted."),
            ],
            client: Default::default(),
        }
    }

    #[test]
    fn held_statements_that_repeat_the_note_or_quote_the_transcript_are_dropped() {
        let inp = input();
        let verbatim = style::Verbatim::new(&inp.segments);
        let mut held_repeat = st(
            "Client plans to stop drinking by the weekend and see friends.",
            &[2],
        );
        held_repeat.included = false;
        let mut held_quote = st(
            "Client said work keeps going round in my head, the night shifts.",
            &[2],
        );
        held_quote.included = false;
        let mut held_other = st("Client is ambivalent about change.", &[1]);
        held_other.included = false;
        let mut held_commented = st(
            "Client plans to stop drinking by the weekend and see friends, which is crucial for their future success.",
            &[3],
        );
        held_commented.included = false;
        let mut sections = BTreeMap::new();
        sections.insert(
            "assessment".to_string(),
            vec![held_repeat, held_quote, held_other.clone(), held_commented],
        );
        // the included one it repeats sits in a later section
        let plan = st(
            "Client plans to stop drinking by the weekend and see friends.",
            &[3],
        );
        // an included quote stays (it was checked and kept; pruning only touches held ones)
        let quote = st(
            "Client said work keeps going round in my head, the night shifts.",
            &[2],
        );
        sections.insert("plan".to_string(), vec![plan.clone(), quote.clone()]);
        prune_held(&mut sections, Some(&verbatim));
        assert_eq!(sections["assessment"], vec![held_other]);
        assert_eq!(sections["plan"], vec![plan, quote]);
    }

    #[test]
    fn a_session_without_a_plan_says_so_and_asks_for_one() {
        let inp = input();
        let st = no_plan_statement(&inp).expect("a session of four segments");
        assert!(st.included && st.origin == Origin::Template);
        assert_eq!(st.citations, vec![2, 3], "the closing exchange");
        assert!(st.flags.iter().any(|f| f.starts_with("plan_not_agreed")));
        // it proposes no plan update
        assert!(crate::draft::extract::proposals_from(&inp, std::slice::from_ref(&st)).is_empty());
        let mut dictation = input();
        dictation.kind = InputKind::Dictation;
        assert!(no_plan_statement(&dictation).is_none());
    }

    #[test]
    fn composition_keeps_every_citation_of_its_facts() {
        let inp = input();
        let risk = Risk::default();
        let cx = CheckContext::new(&inp, &risk);
        let a = st("Client reported sleeping about five hours a night.", &[1]);
        let b = st(
            "Client reported waking at three, thinking about night shifts.",
            &[2, 1],
        );
        let facts = vec![&a, &b];
        let composed = vec![Composed {
            text: "Client reported sleeping about five hours a night, waking at three with thoughts of night shifts.".into(),
            facts: vec![0, 1],
        }];
        let order = |c: u32| c as usize;
        let out = statements(&cx, &facts, composed, &order);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].citations, vec![1, 2]);
        assert!(out[0].included, "{:?}", out[0].flags);
    }

    #[test]
    fn an_impression_names_the_concern_with_the_facts_citations() {
        let a = st("Client reported sleeping about five hours a night.", &[1]);
        let b = st(
            "Client reported waking at three, thinking about night shifts.",
            &[2],
        );
        let facts = vec![&a, &b];
        let order = |c: u32| c as usize;
        let v = serde_json::json!({
            "concern": "short sleep from night shifts at work",
            "facts": [1, 2]
        });
        let out = impression(&facts, &v, &order);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].text,
            "Session focused on short sleep from night shifts at work."
        );
        assert_eq!(out[0].citations, vec![1, 2]);
        assert!(out[0].included, "{:?}", out[0].flags);
        assert!(out[0].flags.iter().any(|f| f.starts_with("impression")));
        // a concern the facts do not support is held; one in the second person is dropped
        let v = serde_json::json!({"concern": "grief after the loss of a parent", "facts": [1]});
        let out = impression(&facts, &v, &order);
        assert!(!out[0].included, "{:?}", out[0].flags);
        // one that runs on past the facts keeps the opening they support
        let v = serde_json::json!({
            "concern": "night shifts and chronic insomnia disorder with panic attacks",
            "facts": [1, 2]
        });
        let out = impression(&facts, &v, &order);
        assert_eq!(out[0].text, "Session focused on night shifts.");
        assert!(out[0].included, "{:?}", out[0].flags);
        let v = serde_json::json!({"concern": "your sleep and your shifts", "facts": [1]});
        assert!(impression(&facts, &v, &order).is_empty());
        // a next step is no concern: left to the clinician
        let v = serde_json::json!({"concern": "returning after night shifts", "facts": [1]});
        assert!(impression(&facts, &v, &order).is_empty());
        // nor is a stance: the stance sentence says where the client stands
        let v =
            serde_json::json!({"concern": "confident in sorting out night shifts", "facts": [1]});
        assert!(impression(&facts, &v, &order).is_empty());
    }

    #[test]
    fn a_concern_that_is_a_feeling_reads_as_one() {
        assert_eq!(
            topic("overwhelmed by night shifts"),
            "feeling overwhelmed by night shifts"
        );
        assert_eq!(topic("anxious about sleep"), "feeling anxious about sleep");
        assert_eq!(
            topic("pressured into treatment"),
            "pressured into treatment"
        );
        assert_eq!(topic("embarrassed at work"), "feeling embarrassed at work");
        assert_eq!(topic("alcohol use and sleep"), "alcohol use and sleep");
        assert_eq!(topic("red flags at work"), "red flags at work");
    }

    #[test]
    fn strengths_and_barriers_stand_only_on_the_facts_words() {
        let a = st(
            "Client reported a felony conviction that shows up on background checks.",
            &[4],
        );
        let b = st(
            "Client has worked with people for seven years and is proud of it.",
            &[9],
        );
        let c = st("Client reported sleeping about five hours a night.", &[12]);
        let facts = vec![&a, &b, &c];
        let order = |x: u32| x as usize;
        let v = serde_json::json!({
            "concern": "job search after a felony conviction",
            "facts": [1, 2],
            "strength": "seven years of work with people",
            "barrier": "felony conviction on background checks"
        });
        let out = impression(&facts, &v, &order);
        let texts: Vec<&str> = out.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Session focused on job search after a felony conviction.",
                "Strengths: seven years of work with people.",
                "Barriers: felony conviction on background checks."
            ]
        );
        // each cites the facts that share its words, and is flagged for confirmation
        assert_eq!(out[1].citations, vec![9]);
        assert_eq!(out[2].citations, vec![4]);
        assert!(out[1..]
            .iter()
            .all(|s| s.flags.iter().any(|f| f.starts_with("impression"))));
        // held as suggestions: out of the note's text until the reviewer accepts them
        assert!(out[0].included);
        assert!(out[1..]
            .iter()
            .all(|s| !s.included && s.flags.iter().any(|f| f == SUGGESTED)));
        // a clause, not a noun phrase: left out
        let v = serde_json::json!({
            "concern": "job search after a felony conviction",
            "facts": [1],
            "strength": "work with people is seven years",
            "barrier": ""
        });
        assert_eq!(impression(&facts, &v, &order).len(), 1);
        // words run together ("toughtopics"): left out
        let v = serde_json::json!({
            "concern": "job search after a felony conviction",
            "facts": [1],
            "strength": "seven years of work withpeople",
            "barrier": ""
        });
        assert_eq!(impression(&facts, &v, &order).len(), 1);
        // a phrase the facts do not say, in the second person, or left empty: nothing
        let v = serde_json::json!({
            "concern": "job search after a felony conviction",
            "facts": [1],
            "strength": "strong support from a loving family",
            "barrier": ""
        });
        assert_eq!(impression(&facts, &v, &order).len(), 1);
        let v = serde_json::json!({
            "concern": "job search after a felony conviction",
            "facts": [1],
            "strength": "your seven years of work",
            "barrier": "felony conviction on background checks"
        });
        let out = impression(&facts, &v, &order);
        assert_eq!(out.len(), 2);
        assert!(out[1].text.starts_with("Barriers"));
        // no strengths or barriers beside a concern that is held back
        let v = serde_json::json!({
            "concern": "grief after the loss of a parent",
            "facts": [1],
            "strength": "seven years of work with people",
            "barrier": ""
        });
        assert_eq!(impression(&facts, &v, &order).len(), 1);
    }

    #[test]
    fn client_report_citing_only_the_therapist_is_flagged_and_held_back() {
        let inp = input();
        let risk = Risk::default();
        let cx = CheckContext::new(&inp, &risk);
        let f = st("Client reported feeling exhausted.", &[3]);
        let out = statements(
            &cx,
            &[&f],
            vec![Composed {
                text: "Client reported feeling exhausted.".into(),
                facts: vec![0],
            }],
            &|c| c as usize,
        );
        assert!(out[0]
            .flags
            .iter()
            .any(|f| f.starts_with("speaker_mismatch")));
        assert!(!out[0].included);
    }

    #[test]
    fn copied_wording_still_feeds_composition_but_wrong_speakers_do_not() {
        let held = |flag: &str| Statement {
            flags: vec![flag.to_string()],
            included: false,
            ..st(
                "Client stayed at school until seven on four evenings.",
                &[2],
            )
        };
        assert!(composable(&held(
            "verbatim: copies 8 or more consecutive words"
        )));
        assert!(!composable(&held(
            "speaker_mismatch: cites only the therapist"
        )));
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let mut per = BTreeMap::new();
        per.insert(
            "subjective".to_string(),
            vec![
                held("verbatim: copies 8 or more consecutive words"),
                held("quoted: mostly"),
            ],
        );
        let sec = f.sections.iter().find(|s| s.key == "subjective").unwrap();
        assert_eq!(facts_for(sec, &per, 40).len(), 1);
        // and never reaches the note as written
        assert!(facts_within_budget(
            &facts_for(sec, &per, 40),
            &budgets(&f, &input())["subjective"]
        )
        .is_empty());
    }

    #[test]
    fn near_duplicates_merge_their_citations() {
        let a = st("Client reported sleeping about five hours a night.", &[1]);
        let b = st("Client reported sleeping five hours each night.", &[2]);
        let c = st("Therapist reflected exhaustion.", &[3]);
        let out = merge_duplicates(vec![a, b, c]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].citations, vec![1, 2]);
        // a statement that only adds a clause to another is the same statement
        let a = st("Client expresses hope kids would be proud of them.", &[62]);
        let b = st(
            "Client expresses hope kids would be proud of them if therapist said program was 100% important.",
            &[63],
        );
        let out = merge_duplicates(vec![a, b]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].citations, vec![62, 63]);
    }

    #[test]
    fn budgets_bound_sections_and_scale_with_the_transcript() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let short = input();
        let b = budgets(&f, &short);
        let total: usize = b.values().map(|x| x.words).sum();
        assert!(total <= MIN_NOTE_WORDS + 4 * 10, "{b:?}");
        let mut long = input();
        long.segments = (0..400)
            .map(|i| seg(i, Speaker::Client, &"word ".repeat(20)))
            .collect();
        let b = budgets(&f, &long);
        let total: usize = b.values().map(|x| x.words).sum();
        assert!(total <= MAX_NOTE_WORDS, "{b:?}");
        assert!(b
            .values()
            .all(|x| x.sentences <= 6 && x.sentence_words <= 40));
    }

    #[test]
    fn fallback_is_sentences_within_budget() {
        let a = st("Client reported sleeping about five hours a night.", &[1]);
        let b = st("Client reported ruminating about night shifts.", &[2]);
        let out = facts_within_budget(
            &[&a, &b],
            &SectionBudget {
                words: 9,
                sentences: 1,
                sentence_words: 12,
            },
        );
        assert_eq!(out.len(), 1);
        assert!(!style::mostly_quoted(&out[0].text));
    }

    #[test]
    fn risk_sentence_only_when_discussed_or_cued() {
        let mut r = Risk::default();
        assert!(risk_sentence(&r).is_none());
        r.suicidal_ideation.status = RiskStatus::Endorsed;
        r.suicidal_ideation.citations = vec![4];
        let s = risk_sentence(&r).unwrap();
        assert!(s.text.contains("suicidal ideation endorsed"), "{}", s.text);
        assert!(s.text.contains("plan not assessed"));
        assert_eq!(s.citations, vec![4]);
        assert!(s.included);
        // cues alone: in the note when a rule found one more than weak, held when all are
        // weak or only close in meaning to a risk expression
        let cue = |strength| crate::draft::risk::RiskCue {
            segment_id: 7,
            topic: String::new(),
            cue: String::new(),
            category: crate::draft::risk::RiskCategory::PassiveSi,
            about: crate::draft::risk::About::Client,
            strength,
            score: 0.5,
            source: Default::default(),
            voice: Default::default(),
            words: "It's not a big part of my life.".into(),
            why: String::new(),
            past: false,
            negated: false,
        };
        let mut r = Risk {
            cues: vec![cue(crate::draft::risk::Strength::Low)],
            ..Default::default()
        };
        let s = risk_sentence(&r).unwrap();
        assert!(s.text.contains("cues noted") && !s.included, "{s:?}");
        assert_eq!(s.citations, vec![7]);
        let mut similar = cue(crate::draft::risk::Strength::Medium);
        similar.source = crate::draft::risk::CueSource::Embedding;
        r.cues.push(similar.clone());
        assert!(!risk_sentence(&r).unwrap().included);
        similar.strength = crate::draft::risk::Strength::High;
        r.cues.push(similar);
        assert!(risk_sentence(&r).unwrap().included);
        r.cues.truncate(2);
        r.cues.push(cue(crate::draft::risk::Strength::Medium));
        assert!(risk_sentence(&r).unwrap().included);
    }
}
