//! Risk: rule-based cue scan and three-state risk items set only from cited segments.
//!
//! The language model never writes a risk conclusion. Suicidal ideation, plan, intent and
//! homicidal ideation are each `endorsed`, `denied` or `not_assessed`, decided here from the
//! segments where the topic was actually discussed (a client's own words, a question and the
//! client's answer, or the clinician's dictation), each with its citations. Every cue also
//! becomes a flag for the clinician.

use serde::{Deserialize, Serialize};

use super::input::{DraftInput, InputKind, Segment, Speaker};

/// Three-state risk finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Endorsed,
    Denied,
    #[default]
    NotAssessed,
}

/// One risk item with the segments that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RiskItem {
    pub status: RiskStatus,
    pub citations: Vec<u32>,
}

/// A risk cue found in the transcript (shown to the clinician as a flag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskCue {
    pub segment_id: u32,
    /// `suicidal_ideation`, `homicidal_ideation`, `self_harm`, `means` or `plan`/`intent`.
    pub topic: String,
    /// The cue phrase matched.
    pub cue: String,
}

/// The risk block of a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Risk {
    pub suicidal_ideation: RiskItem,
    pub plan: RiskItem,
    pub intent: RiskItem,
    pub homicidal_ideation: RiskItem,
    /// Every risk cue found by the scan.
    pub cues: Vec<RiskCue>,
    /// Problems found by the checks (e.g. a discussion whose outcome is unclear).
    pub flags: Vec<String>,
}

const SI_CUES: &[&str] = &[
    "suicid",
    "kill myself",
    "killing myself",
    "kill yourself",
    "killing yourself",
    "kill herself",
    "killing herself",
    "kill himself",
    "killing himself",
    "kill themselves",
    "end my life",
    "ending my life",
    "end your life",
    "end her life",
    "end his life",
    "end their life",
    "end it all",
    "ending it all",
    "better off dead",
    "better off without me",
    "want to die",
    "wanted to die",
    "wanting to die",
    "wish i was dead",
    "wish i were dead",
    "wish she was dead",
    "death wish",
    "thoughts of death",
    "thoughts of dying",
    "not wake up",
    "wouldn't wake up",
    "no reason to live",
    "take my own life",
    "take your own life",
    "item nine",
    "item 9",
    "passive si",
    "denies si",
    "no si",
];
const HI_CUES: &[&str] = &[
    "homicid",
    "hurt someone",
    "hurt anyone",
    "hurt somebody",
    "hurting someone",
    "hurting anyone",
    "hurt other",
    "hurting other",
    "harm other",
    "harming other",
    "harm someone",
    "kill someone",
    "kill anyone",
    "killing someone",
    "violent thoughts",
    "thoughts of violence",
    "denies hi",
    "no hi",
];
const SELF_HARM_CUES: &[&str] = &[
    "self-harm",
    "self harm",
    "hurt myself",
    "hurting myself",
    "hurt yourself",
    "hurting yourself",
    "harm yourself",
    "harm myself",
    "cutting myself",
    "cut myself",
];
const MEANS_CUES: &[&str] = &["firearm", "gun", "weapon", "stockpil", "overdose"];
const PLAN_CUES: &[&str] = &[
    "a plan",
    "any plan",
    "no plan",
    "plan to",
    "plans to",
    "specific plan",
    "how you would",
    "how i would",
    "method",
];
const INTENT_CUES: &[&str] = &["intent", "intend", "act on", "acting on", "go through with"];
const NEGATORS: &[&str] = &[
    "no", "not", "never", "without", "denies", "denied", "deny", "nor", "none", "zero", "don't",
    "doesn't", "didn't", "haven't", "hasn't", "isn't", "wasn't", "won't", "wouldn't",
];
const AFFIRM: &[&str] = &[
    "endorse",
    "endorsed",
    "endorses",
    "endorsing",
    "reports",
    "reported",
    "admits",
    "admitted",
    "described",
    "describes",
    "passive",
    "active",
    "thoughts",
    "having",
    "has had",
    "positive",
];
const YES_ANSWERS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "sometimes",
    "i have",
    "a little",
    "kind of",
    "kinda",
    "occasionally",
    "i do",
    "maybe",
    "once",
    "a few times",
    "lately",
];
const NO_ANSWERS: &[&str] = &[
    "no",
    "nope",
    "never",
    "not really",
    "nah",
    "i haven't",
    "i have not",
    "i don't",
    "i do not",
    "not at all",
    "absolutely not",
    "definitely not",
];

fn lower(s: &str) -> String {
    s.to_lowercase().replace('’', "'")
}

/// Word-boundary-aware find of every occurrence of `cue` in `hay` (both lowercase).
fn find_all(hay: &str, cue: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(p) = hay[from..].find(cue) {
        let at = from + p;
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        // cues ending in a full word need a boundary after; stems like "suicid" do not
        let end = at + cue.len();
        let stem_cue = matches!(cue, "suicid" | "homicid" | "stockpil");
        let rest: String = hay[end..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let after_ok = stem_cue || matches!(rest.as_str(), "" | "s" | "es" | "ed" | "ing");
        if before_ok && after_ok {
            out.push(at);
        }
        from = at + cue.len().max(1);
    }
    out
}

fn cues_in(text: &str, cues: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for c in cues {
        for at in find_all(text, c) {
            out.push((at, c.to_string()));
        }
    }
    out.sort();
    out
}

/// Scans every segment for risk cues.
pub fn scan_cues(segments: &[Segment]) -> Vec<RiskCue> {
    let mut out = Vec::new();
    for s in segments {
        let t = lower(&s.text);
        for (topic, cues) in [
            ("suicidal_ideation", SI_CUES),
            ("homicidal_ideation", HI_CUES),
            ("self_harm", SELF_HARM_CUES),
            ("means", MEANS_CUES),
        ] {
            for (_, cue) in cues_in(&t, cues) {
                if !out
                    .iter()
                    .any(|c: &RiskCue| c.segment_id == s.id && c.topic == topic)
                {
                    out.push(RiskCue {
                        segment_id: s.id,
                        topic: topic.to_string(),
                        cue,
                    });
                }
            }
        }
    }
    out
}

/// The clause of `text` around byte position `at` (bounded by . ; ! ? , and " but ").
fn clause(text: &str, at: usize) -> (usize, &str) {
    let is_break = |c: char| matches!(c, '.' | ';' | '!' | '?' | ',');
    let start = text[..at]
        .rfind(is_break)
        .map(|p| p + 1)
        .unwrap_or(0)
        .max(text[..at].rfind(" but ").map(|p| p + 5).unwrap_or(0));
    let end_rel = text[at..].find(is_break).unwrap_or(text.len() - at);
    let end = (at + end_rel).min(
        text[at..]
            .find(" but ")
            .map(|p| at + p)
            .unwrap_or(text.len()),
    );
    (start, &text[start..end])
}

fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Polarity of the cue at `at` in lowercase `text`: Some(true) endorsed, Some(false)
/// denied, None unclear.
fn polarity(text: &str, at: usize, first_person_client: bool) -> Option<bool> {
    let (start, cl) = clause(text, at);
    let before = &text[start..at];
    let words_before = tokens(before);
    let near: Vec<&str> = words_before.iter().rev().take(6).copied().collect();
    let cl_words = tokens(cl);
    if near.iter().any(|w| NEGATORS.contains(w))
        || cl_words
            .iter()
            .any(|w| matches!(*w, "denies" | "denied" | "deny"))
    {
        return Some(false);
    }
    if first_person_client {
        return Some(true);
    }
    if cl_words.iter().any(|w| AFFIRM.contains(w)) || cl.contains("has had") {
        return Some(true);
    }
    None
}

fn answer_polarity(answer: &str) -> Option<bool> {
    let a = lower(answer);
    let a = a.trim_start_matches(|c: char| !c.is_alphanumeric());
    let starts = |list: &[&str]| {
        list.iter().any(|p| {
            a.starts_with(p)
                && a[p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    };
    if starts(NO_ANSWERS) {
        Some(false)
    } else if starts(YES_ANSWERS) {
        Some(true)
    } else {
        None
    }
}

#[derive(Default)]
struct Votes {
    endorsed: Vec<u32>,
    denied: Vec<u32>,
    unclear: Vec<u32>,
}

impl Votes {
    fn add(&mut self, p: Option<bool>, cites: &[u32]) {
        let v = match p {
            Some(true) => &mut self.endorsed,
            Some(false) => &mut self.denied,
            None => &mut self.unclear,
        };
        for c in cites {
            if !v.contains(c) {
                v.push(*c);
            }
        }
    }
    fn item(&self, name: &str, flags: &mut Vec<String>) -> RiskItem {
        if !self.endorsed.is_empty() {
            if !self.denied.is_empty() {
                flags.push(format!(
                    "risk_conflicting:{name}: endorsed in segments {:?} but denied in {:?}; review",
                    self.endorsed, self.denied
                ));
            }
            RiskItem {
                status: RiskStatus::Endorsed,
                citations: self.endorsed.clone(),
            }
        } else if !self.denied.is_empty() {
            RiskItem {
                status: RiskStatus::Denied,
                citations: self.denied.clone(),
            }
        } else {
            if !self.unclear.is_empty() {
                flags.push(format!(
                    "risk_unclear:{name}: discussed in segments {:?} without a clear answer; assess and document",
                    self.unclear
                ));
            }
            RiskItem::default()
        }
    }
}

/// Decides the four risk items from the input (see the module doc) and lists every cue.
pub fn assess(input: &DraftInput) -> Risk {
    let segs = &input.segments;
    let mut si = Votes::default();
    let mut hi = Votes::default();
    let mut plan = Votes::default();
    let mut intent = Votes::default();
    let mut context_left = 0usize;
    for (i, s) in segs.iter().enumerate() {
        let t = lower(&s.text);
        let si_c = cues_in(&t, SI_CUES);
        let hi_c = cues_in(&t, HI_CUES);
        if !si_c.is_empty() || !hi_c.is_empty() {
            context_left = 3;
        }
        let in_context = context_left > 0;
        context_left = context_left.saturating_sub(1);
        if !in_context {
            continue;
        }
        let plan_c = cues_in(&t, PLAN_CUES);
        let intent_c = cues_in(&t, INTENT_CUES);
        let question = input.kind == InputKind::Session
            && s.speaker != Speaker::Client
            && t.trim_end().ends_with('?');
        let first_person = tokens(&t)
            .iter()
            .any(|w| matches!(*w, "i" | "i'm" | "i've" | "my" | "me" | "myself"));
        let client_first_person = input.kind == InputKind::Session
            && (s.speaker == Speaker::Client || (s.speaker == Speaker::Unknown && first_person));
        let groups: [(&mut Votes, &Vec<(usize, String)>); 4] = [
            (&mut si, &si_c),
            (&mut hi, &hi_c),
            (&mut plan, &plan_c),
            (&mut intent, &intent_c),
        ];
        if question {
            // the answer: the next segment by someone else
            let answer = segs[i + 1..]
                .iter()
                .take(2)
                .find(|n| n.speaker != s.speaker || s.speaker == Speaker::Unknown);
            for (votes, cues) in groups {
                if cues.is_empty() {
                    continue;
                }
                match answer {
                    Some(a) => {
                        let p = answer_polarity(&a.text);
                        votes.add(p, &[s.id, a.id]);
                    }
                    None => votes.add(None, &[s.id]),
                }
            }
            continue;
        }
        if input.kind == InputKind::Session && s.speaker == Speaker::Therapist {
            // a clinician's remark in a session is not a finding about the client
            for (votes, cues) in groups {
                if !cues.is_empty() {
                    votes.add(None, &[s.id]);
                }
            }
            continue;
        }
        for (votes, cues) in groups {
            for (at, _) in cues.iter() {
                votes.add(polarity(&t, *at, client_first_person), &[s.id]);
            }
        }
    }
    let mut flags = Vec::new();
    let mut risk = Risk {
        suicidal_ideation: si.item("suicidal_ideation", &mut flags),
        plan: plan.item("plan", &mut flags),
        intent: intent.item("intent", &mut flags),
        homicidal_ideation: hi.item("homicidal_ideation", &mut flags),
        cues: scan_cues(segs),
        flags,
    };
    for c in &risk.cues {
        risk.flags.push(format!(
            "risk_cue:{}: segment {} mentions \"{}\"; review",
            c.topic, c.segment_id, c.cue
        ));
    }
    post_check(&mut risk, input);
    risk
}

/// True when the text contains denial language.
pub fn has_denial(text: &str) -> bool {
    let t = lower(text);
    answer_polarity(&t) == Some(false) || tokens(&t).iter().any(|w| NEGATORS.contains(w))
}

/// Post-check: a `denied` item whose cited segments contain no denial language, or an item
/// citing a segment that does not exist, is reset to `not_assessed` with a flag.
pub fn post_check(risk: &mut Risk, input: &DraftInput) {
    let mut flags = Vec::new();
    for (name, item) in [
        ("suicidal_ideation", &mut risk.suicidal_ideation),
        ("plan", &mut risk.plan),
        ("intent", &mut risk.intent),
        ("homicidal_ideation", &mut risk.homicidal_ideation),
    ] {
        item.citations.retain(|id| input.segment(*id).is_some());
        if item.status != RiskStatus::NotAssessed && item.citations.is_empty() {
            flags.push(format!("risk_uncited:{name}: reset to not_assessed"));
            *item = RiskItem::default();
            continue;
        }
        if item.status == RiskStatus::Denied {
            let any_denial = item
                .citations
                .iter()
                .filter_map(|id| input.segment(*id))
                .any(|s| has_denial(&s.text));
            if !any_denial {
                flags.push(format!(
                    "risk_unsupported_denial:{name}: cited segments contain no denial; reset to not_assessed"
                ));
                *item = RiskItem::default();
            }
        }
    }
    risk.flags.extend(flags);
}

/// What a note statement claims about risk, if anything: Some((item, status)).
pub fn statement_claims(text: &str) -> Vec<(&'static str, RiskStatus)> {
    let t = lower(text);
    let mut out = Vec::new();
    let abbrev = |t: &str, a: &str| find_all(t, a).into_iter().next();
    for (name, cues, abbr) in [
        ("suicidal_ideation", SI_CUES, "si"),
        ("homicidal_ideation", HI_CUES, "hi"),
    ] {
        let mut hits: Vec<usize> = cues_in(&t, cues).into_iter().map(|(a, _)| a).collect();
        if let Some(a) = abbrev(&t, abbr) {
            hits.push(a);
        }
        if let Some(&at) = hits.first() {
            let st = match polarity(&t, at, false) {
                Some(false) => RiskStatus::Denied,
                _ => RiskStatus::Endorsed,
            };
            out.push((name, st));
        }
    }
    out
}

/// Checks a note statement against the risk block: a statement asserting a risk status the
/// risk block does not hold (e.g. "denies SI" when SI was not assessed) gets a flag.
pub fn check_statement(text: &str, risk: &Risk) -> Option<String> {
    for (name, st) in statement_claims(text) {
        let item = match name {
            "suicidal_ideation" => &risk.suicidal_ideation,
            _ => &risk.homicidal_ideation,
        };
        if item.status != st {
            return Some(format!(
                "risk_unsupported: statement implies {name} {st:?} but the transcript supports {:?}",
                item.status
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::input::ChartContext;

    fn session(lines: &[(&str, Speaker)]) -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: lines
                .iter()
                .enumerate()
                .map(|(i, (t, sp))| Segment {
                    id: i as u32,
                    start: 0.0,
                    end: 0.0,
                    speaker: *sp,
                    text: t.to_string(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                })
                .collect(),
            client: ChartContext::default(),
        }
    }

    #[test]
    fn no_risk_talk_is_not_assessed() {
        let r = assess(&session(&[
            ("How was work?", Speaker::Therapist),
            ("Busy, but I slept better.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r.cues.is_empty());
    }

    #[test]
    fn explicit_denial_is_denied_with_citation() {
        let r = assess(&session(&[
            (
                "Have you had thoughts of killing yourself?",
                Speaker::Therapist,
            ),
            ("No, never.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.suicidal_ideation.citations, vec![0, 1]);
        assert_eq!(r.intent.status, RiskStatus::NotAssessed);
        assert!(!r.cues.is_empty());
    }

    #[test]
    fn client_statement_endorses_and_flags() {
        let r = assess(&session(&[
            (
                "Sometimes I think everyone would be better off dead, or without me.",
                Speaker::Client,
            ),
            ("Do you have a plan?", Speaker::Therapist),
            ("No. I would not do that.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert!(r
            .flags
            .iter()
            .any(|f| f.starts_with("risk_cue:suicidal_ideation")));
    }

    #[test]
    fn dictation_passive_si_without_plan_or_intent() {
        let mut inp = session(&[
            ("On item nine she endorsed thoughts that she would be better off dead.", Speaker::Therapist),
            ("She described passive death wishes without a plan or intent, and no access to firearms.", Speaker::Therapist),
        ]);
        inp.kind = InputKind::Dictation;
        let r = assess(&inp);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_eq!(r.intent.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
    }

    #[test]
    fn unsupported_denial_is_reset() {
        let inp = session(&[("We talked about work.", Speaker::Client)]);
        let mut r = Risk {
            suicidal_ideation: RiskItem {
                status: RiskStatus::Denied,
                citations: vec![0],
            },
            ..Default::default()
        };
        post_check(&mut r, &inp);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r.flags[0].starts_with("risk_unsupported_denial"));
    }

    #[test]
    fn statements_claiming_denial_are_caught() {
        let r = Risk::default();
        assert!(check_statement("Client denies SI/HI.", &r).is_some());
        assert!(check_statement("Client denies suicidal ideation.", &r).is_some());
        assert!(check_statement("Client slept five hours.", &r).is_none());
    }
}
