//! Rule-based extraction: which segments are salient, what kind of content they carry (and
//! so which section they belong in), topic words, and plan proposals from agreed items.
//!
//! The drafting pipeline uses these rules to choose and file the exchanges the model rewrites
//! ([`super::facts`]) and to name topics when the model fails. `extractive_text` (a segment
//! restated as a quotation) is kept for callers that want a verbatim view; drafts no longer
//! paste it into notes.

use serde::{Deserialize, Serialize};

use super::format::NoteFormat;
use super::input::{DraftInput, InputKind, Segment, Speaker};
use super::text;

const PLAN_CUES: &[&str] = &[
    "next session",
    "next appointment",
    "next time",
    "next week",
    "meet again",
    "see you next",
    "see you again",
    "see you then",
    "see you on",
    "see you in",
    "see you at",
    "see you soon",
    "follow up",
    "follow-up",
    "homework",
    "this week",
    "coming week",
    "before next",
    "refer",
    "referral",
    "agreed to",
    "agree to",
    "aim for",
    "keep doing",
    "keep the",
    "continue to",
    "increase",
    "schedule",
    "book an",
    "by next",
    "between sessions",
    "plan,",
    "plan:",
    "plan is",
    "will try",
    "going to try",
    "would you be open",
    "sending you",
    "repeat the",
    "let's meet",
    "we'll review",
    "in two weeks",
    "in one week",
    "fill out",
    "try to",
];
/// A rating the client gives of themselves ("three out of ten"), without an instrument.
const SELF_RATING_CUES: &[&str] = &["out of ten", "out of 10", "/10", "rated", "rates"];
/// Measures that are instruments or scores: what the clinician administered or computed.
const INSTRUMENT_CUES: &[&str] = &[
    "score",
    "questionnaire",
    "phq",
    "gad",
    "cbi",
    "pcl",
    "bdi",
    "bai",
    "inventory",
    "screening",
    "screener",
    "screened",
];
/// Other words of a measure: a scale, a result read out.
const SCALE_CUES: &[&str] = &["scale", "came out at"];

/// Whether a text speaks of a measure: an instrument, a self-rating or a scale.
fn measure_cued(t: &str) -> bool {
    instrument_cued(t) || has_any(t, SELF_RATING_CUES) || has_any(t, SCALE_CUES)
}

/// Whether a (lower-case) text names an instrument or a score: each cue at the start of a
/// word, and the short names (GAD, PHQ) as whole words ("gad-7", not "gadget").
fn instrument_cued(t: &str) -> bool {
    INSTRUMENT_CUES.iter().any(|c| {
        t.match_indices(c).any(|(at, _)| {
            let before = t[..at].chars().next_back();
            let after = t[at + c.len()..].chars().next();
            !before.is_some_and(char::is_alphabetic)
                && (c.len() > 3 || !after.is_some_and(char::is_alphabetic))
        })
    })
}
const OBSERVATION_CUES: &[&str] = &[
    "affect",
    "speech",
    "oriented",
    "appeared",
    "appearance",
    "eye contact",
    "tearful",
    "thought process",
    "groomed",
    "psychomotor",
    "insight",
    "judgment",
    "presented as",
    "cooperative",
    "mood was",
    "appears",
];
const INTERVENTION_CUES: &[&str] = &[
    "let's practice",
    "practice",
    "practiced",
    "role play",
    "role-play",
    "let's write",
    "thought record",
    "reviewed",
    "psychoeducation",
    "reframe",
    "we did",
    "ladder",
    "exposure",
    "breathing",
    "mindfulness",
    "cognitive",
    "skill",
    "taught",
    "guided",
    "script",
    "activation",
    "safety plan",
    "grounding",
    "relaxation",
    "validated",
    "explored",
    "challenge",
    "worksheet",
];
const RESPONSE_CUES: &[&str] = &[
    "helped",
    "helps",
    "relieving",
    "relief",
    "it fits",
    "eased",
    "easier",
    "calmer",
    "felt",
    "that works",
    "makes sense",
    "i can do",
    "i could",
    "guilty",
];
const ASSESSMENT_CUES: &[&str] = &[
    "assessment",
    "consistent with",
    "improvement",
    "progress",
    "symptoms",
    "risk judged",
    "impression",
    "moderate",
    "severe",
    "mild",
    "diagnos",
    "meets criteria",
];
const PLEASANTRIES: &[&str] = &[
    "thank",
    "thanks",
    "good to see",
    "hi",
    "hello",
    "bye",
    "sounds good",
    "okay",
    "great",
    "see you",
    "take care",
    "you're welcome",
];

fn has_any(t: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| t.contains(c))
}

/// Words that put a sentence in the past or present perfect: "this week" in such a sentence
/// is when something happened ("her mood has been low most days this week"), not a next step.
const PAST_MARKERS: &[&str] = &[
    " has been ",
    " have been ",
    " had ",
    " was ",
    " were ",
    " did ",
    " went ",
    " felt ",
    " last ",
    " since ",
    " so far ",
];

/// Whether a segment names a next step: a plan cue at the start of a word ("refer", not
/// "prefer"), in a sentence that is not about what already happened (only "this week" depends
/// on the tense; "next week" cannot be past; "you were referred" is how the client came).
fn plan_cued(t: &str) -> bool {
    t.split(['.', '!', '?']).any(|sentence| {
        let s = format!(" {} ", sentence.to_lowercase());
        PLAN_CUES.iter().any(|c| {
            s.match_indices(c).any(|(at, _)| {
                let word_start = !s[..at].chars().next_back().is_some_and(char::is_alphabetic);
                let past_referral = *c == "refer" && s[at..].starts_with("referred");
                word_start && !past_referral
            }) && !(*c == "this week" && PAST_MARKERS.iter().any(|m| s.contains(m)))
        })
    })
}

/// A segment's place in the note.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Category (see `format::CATEGORIES`).
    pub category: &'static str,
    /// A section named explicitly by a spoken heading ("Plan, increase sessions ...").
    pub heading_section: Option<String>,
}

/// Text after a spoken/typed section heading such as "Assessment," or "Plan:" at the start
/// of a segment, with the section key it names.
pub fn heading(seg_text: &str, format: &NoteFormat) -> Option<(String, String)> {
    let t = seg_text.trim_start();
    let (head, rest) = t.split_once([',', ':', '-', '.'])?;
    let h = head.trim().to_lowercase();
    let s = format
        .sections
        .iter()
        .find(|s| s.key == h || s.title.to_lowercase() == h)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    Some((s.key.clone(), rest.to_string()))
}

/// Classifies a segment. `prev` is the segment before it.
pub fn classify(
    seg: &Segment,
    prev: Option<&Segment>,
    kind: InputKind,
    format: &NoteFormat,
) -> Placement {
    let t = seg.text.to_lowercase();
    let heading_section = heading(&seg.text, format).map(|(k, _)| k);
    let risky = !super::risk::scan_cues(std::slice::from_ref(seg)).is_empty();
    let therapist = seg.speaker == Speaker::Therapist;
    let category: &'static str = if risky {
        "risk"
    } else if kind == InputKind::Dictation {
        if plan_cued(&t) {
            "plan"
        } else if has_any(&t, OBSERVATION_CUES) {
            "observation"
        } else if has_any(&t, SELF_RATING_CUES) && !instrument_cued(&t) {
            // "rates her mood three out of ten": the client's own report, not a measure
            "client_report"
        } else if measure_cued(&t) {
            "measure"
        } else if has_any(&t, ASSESSMENT_CUES) {
            "assessment"
        } else if has_any(&t, INTERVENTION_CUES) {
            "intervention"
        } else {
            "client_report"
        }
    } else if therapist {
        if measure_cued(&t) {
            "measure"
        } else if plan_cued(&t) {
            "plan"
        } else if has_any(&t, INTERVENTION_CUES) {
            "intervention"
        } else {
            "assessment"
        }
    } else if seg.speaker == Speaker::Unknown {
        // speakers not known (e.g. a session transcribed without diarization): cues only
        if measure_cued(&t) {
            "measure"
        } else if plan_cued(&t) {
            "plan"
        } else if t.contains("let's") && has_any(&t, INTERVENTION_CUES) {
            "intervention"
        } else {
            "client_report"
        }
    } else {
        let after_intervention = prev.is_some_and(|p| {
            p.speaker == Speaker::Therapist && has_any(&p.text.to_lowercase(), INTERVENTION_CUES)
        });
        if measure_cued(&t) {
            "measure"
        } else if after_intervention && has_any(&t, RESPONSE_CUES) {
            "response"
        } else if (t.contains("i'll") || t.contains("i will") || t.contains("i can do"))
            && prev.is_some_and(|p| plan_cued(&p.text.to_lowercase()))
        {
            "plan"
        } else {
            "client_report"
        }
    };
    Placement {
        category,
        heading_section,
    }
}

/// Whether a segment carries enough content to be worth a statement of its own.
pub fn salient(seg: &Segment, kind: InputKind) -> bool {
    let t = seg.text.to_lowercase();
    let content = text::content_stems(&seg.text).len();
    if !super::risk::scan_cues(std::slice::from_ref(seg)).is_empty() {
        return true;
    }
    if kind == InputKind::Dictation {
        return content >= 2;
    }
    let numbers = !text::numbers(&seg.text).is_empty();
    let pleasantry = has_any(&t, PLEASANTRIES) && content <= 4;
    if pleasantry && !numbers {
        return false;
    }
    if seg.speaker == Speaker::Therapist {
        // questions and reflections are context, not findings, unless they carry a measure,
        // a plan or an intervention
        let cue = measure_cued(&t) || plan_cued(&t) || has_any(&t, INTERVENTION_CUES);
        return cue && content >= 3;
    }
    content >= 3 || (numbers && content >= 1)
}

fn clean_quote(s: &str) -> String {
    let mut t = s.trim().to_string();
    for filler in [
        "Honestly, ",
        "Honestly ",
        "So ",
        "Well, ",
        "Um, ",
        "Uh, ",
        "Yeah, ",
        "Okay. ",
        "Okay, ",
        "Huh. ",
    ] {
        if let Some(r) = t.strip_prefix(filler) {
            t = r.to_string();
        }
    }
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}

/// The extractive statement text for a segment in a category (with the question it answers
/// for short client answers).
pub fn extractive_text(
    seg: &Segment,
    prev: Option<&Segment>,
    category: &str,
    kind: InputKind,
    format: &NoteFormat,
) -> (String, Vec<u32>) {
    if kind == InputKind::Dictation {
        let body = heading(&seg.text, format)
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| seg.text.trim().to_string());
        return (clean_quote(&body), vec![seg.id]);
    }
    let quote = clean_quote(&seg.text);
    if seg.speaker == Speaker::Unknown {
        let lead = match category {
            "measure" => "Measure discussed",
            "plan" => "Plan discussed",
            "intervention" => "Intervention",
            "risk" => "Risk discussed",
            _ => "Reported",
        };
        return (format!("{lead}: \"{quote}\""), vec![seg.id]);
    }
    let who_client = seg.speaker == Speaker::Client;
    if who_client {
        let short = text::content_stems(&seg.text).len() < 6;
        if let Some(p) = prev.filter(|p| {
            short && p.speaker == Speaker::Therapist && p.text.trim_end().ends_with('?')
        }) {
            return (
                format!("Asked \"{}\", client said: \"{}\"", p.text.trim(), quote),
                vec![p.id, seg.id],
            );
        }
        let lead = match category {
            "response" => "Client responded",
            "plan" => "Client agreed",
            _ => "Client reported",
        };
        return (format!("{lead}: \"{quote}\""), vec![seg.id]);
    }
    let lead = match category {
        "measure" => "Measure reviewed",
        "plan" => "Plan discussed",
        "intervention" => "Intervention",
        _ => "Therapist",
    };
    (format!("{lead}: \"{quote}\""), vec![seg.id])
}

/// Kinds of proposals for the clinician to accept or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    NextSession,
    Homework,
    Referral,
    Intervention,
    NewGoal,
}

/// A proposed plan item with its source segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub kind: ProposalKind,
    pub text: String,
    pub citations: Vec<u32>,
}

const NEXT_SESSION: &[&str] = &[
    "meet again",
    "next session",
    "next appointment",
    "see you next",
    "see you on",
    "follow up in",
    "follow-up in",
    "let's meet",
    "book our next",
    "same time next",
];
const REFERRAL: &[&str] = &[
    "refer",
    "referral",
    "employee assistance",
    "support group",
    "counseling office",
    "counselling office",
    "primary care",
    "psychiatri",
    "physician",
    "crisis line",
    "community program",
    "peer support",
];
const HOMEWORK: &[&str] = &[
    "homework",
    "this week",
    "coming week",
    "before next",
    "each day",
    "every day",
    "twice a day",
    "nights",
    "mornings",
    "keep the",
    "keep doing",
    "log",
    "fill out",
    "thought record",
    "practice",
    "agreed to",
    "aim for",
    "try to",
    "before sunday",
];

/// Questions about what already happened ("How have you been sleeping this week?"): they
/// mention the week but assign nothing.
const LOOKING_BACK: &[&str] = &[
    "how has",
    "how have",
    "how was",
    "how did",
    "did you",
    "have you been",
    "since we last",
    "last week",
    "last time",
];

/// Follow-up proposals found in clinician segments (and in dictation): next session,
/// homework, referrals. Each cites its segment; the text restates the segment.
pub fn proposals(input: &DraftInput, format: &NoteFormat) -> Vec<Proposal> {
    let mut out = Vec::new();
    for s in &input.segments {
        if input.kind == InputKind::Session && s.speaker == Speaker::Client {
            continue;
        }
        let t = s.text.to_lowercase();
        let body = heading(&s.text, format)
            .map(|(_, r)| r)
            .unwrap_or_else(|| s.text.trim().to_string());
        let kind = if has_any(&t, NEXT_SESSION) {
            Some(ProposalKind::NextSession)
        } else if has_any(&t, REFERRAL) {
            Some(ProposalKind::Referral)
        } else if has_any(&t, HOMEWORK)
            && (t.contains("homework") || !has_any(&t, LOOKING_BACK))
            && (input.kind == InputKind::Dictation
                || t.contains('?')
                || t.contains("you")
                || t.contains("let's"))
        {
            Some(ProposalKind::Homework)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push(Proposal {
                kind,
                text: clean_quote(&body),
                citations: vec![s.id],
            });
        }
    }
    out
}

/// Up to `n` topic words of a text (its longest content words, in order of appearance), for
/// templated sentences that name what was discussed without quoting it.
pub fn topics(t: &str, n: usize) -> Vec<String> {
    let mut ws: Vec<(usize, String)> = Vec::new();
    for (i, w) in super::style::words(t).into_iter().enumerate() {
        if w.len() < 4
            || text::is_stop(&w)
            || super::grammar::BANNED_WORDS.contains(&w.as_str())
            || ws.iter().any(|(_, x)| *x == w)
        {
            continue;
        }
        ws.push((i, w));
    }
    let mut by_len = ws.clone();
    by_len.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    by_len.truncate(n);
    by_len.sort_by_key(|(i, _)| *i);
    by_len.into_iter().map(|(_, w)| w).collect()
}

/// True when a plan item rests on an agreement, not only on a therapist's question: a cited
/// client segment, a therapist statement that is not a question, or a client's assent right
/// after the cited question.
pub fn agreed(input: &DraftInput, citations: &[u32]) -> bool {
    const ASSENT: &[&str] = &[
        "yes",
        "yeah",
        "okay",
        "ok",
        "sure",
        "i will",
        "i'll",
        "i can",
        "i could",
        "sounds good",
        "that works",
        "deal",
        "definitely",
        "let's do",
    ];
    citations.iter().any(|c| {
        let Some(i) = input.segments.iter().position(|s| s.id == *c) else {
            return false;
        };
        let s = &input.segments[i];
        if input.kind == InputKind::Dictation || s.speaker != Speaker::Therapist {
            return true;
        }
        if !s.text.trim_end().ends_with('?') {
            return true;
        }
        input.segments.get(i + 1).is_some_and(|n| {
            let t = n.text.to_lowercase();
            n.speaker != Speaker::Therapist && ASSENT.iter().any(|a| t.contains(a))
        })
    })
}

/// Proposals (next session, referral, homework, intervention) from the plan section's
/// included statements: each is the statement's sentence with its citations, and only
/// items that were agreed (see [`agreed`]) are proposed.
pub fn proposals_from(input: &DraftInput, plan: &[super::Statement]) -> Vec<Proposal> {
    let mut out = Vec::new();
    for st in plan.iter().filter(|s| s.included) {
        // the risk summary, and the sentence that says no step was agreed, propose nothing
        if st.origin == super::Origin::Template
            && (st.text.starts_with("Risk")
                || st.flags.iter().any(|f| f.starts_with("plan_not_agreed")))
        {
            continue;
        }
        if !agreed(input, &st.citations) {
            continue;
        }
        let t = st.text.to_lowercase();
        let kind = if has_any(&t, NEXT_SESSION)
            || t.starts_with("next session")
            || (t.contains("next") && has_any(&t, text::WEEKDAYS))
        {
            ProposalKind::NextSession
        } else if has_any(&t, REFERRAL) {
            ProposalKind::Referral
        } else if has_any(&t, HOMEWORK) || t.starts_with("client agreed") {
            ProposalKind::Homework
        } else {
            ProposalKind::Intervention
        };
        out.push(Proposal {
            kind,
            text: st.text.clone(),
            citations: st.citations.clone(),
        });
    }
    out
}

/// The segments most related to `query` (content-stem overlap), best first, at most `k`,
/// with their overlap counts (only those with at least `min_overlap`).
pub fn related_segments(
    input: &DraftInput,
    query: &str,
    k: usize,
    min_overlap: usize,
) -> Vec<(u32, usize)> {
    let q: std::collections::HashSet<String> = text::content_stems(query).into_iter().collect();
    let mut scored: Vec<(u32, usize)> = input
        .segments
        .iter()
        .map(|s| {
            let st: std::collections::HashSet<String> =
                text::content_stems(&s.text).into_iter().collect();
            (s.id, st.intersection(&q).count())
        })
        .filter(|(_, n)| *n >= min_overlap)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::format::FormatLibrary;

    fn seg(id: u32, sp: Speaker, t: &str) -> Segment {
        crate::draft::input::test_segment(id, sp, t)
    }

    #[test]
    fn instruments_are_named_as_words() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let cat = |t: &str| {
            classify(&seg(1, Speaker::Therapist, t), None, InputKind::Session, &f).category
        };
        assert_eq!(
            cat("Is it a bit of a smoke screen, what's your hunch?"),
            "assessment"
        );
        assert_eq!(cat("Did you get a new gadget for the kids?"), "assessment");
        assert_eq!(cat("Your GAD-7 came out at twelve today."), "measure");
        assert_eq!(
            cat("You screened positive on the drinking questions."),
            "measure"
        );
    }

    #[test]
    fn headings_route_dictation() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let (k, rest) = heading("Plan, increase sessions to weekly.", &f).unwrap();
        assert_eq!(k, "plan");
        assert_eq!(rest, "increase sessions to weekly.");
        assert!(heading("Planning went fine, she said.", &f).is_none());
    }

    #[test]
    fn classification_and_salience() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let s = seg(
            1,
            Speaker::Client,
            "I'm getting maybe five hours of sleep a night.",
        );
        assert_eq!(
            classify(&s, None, InputKind::Session, &f).category,
            "client_report"
        );
        assert!(salient(&s, InputKind::Session));
        let p = seg(
            2,
            Speaker::Therapist,
            "Let's meet again next Thursday at the same time.",
        );
        assert_eq!(classify(&p, None, InputKind::Session, &f).category, "plan");
        assert!(!salient(
            &seg(3, Speaker::Client, "Thank you, this helped."),
            InputKind::Session
        ));
        let m = seg(4, Speaker::Therapist, "Your score came out at seventy one.");
        assert_eq!(
            classify(&m, None, InputKind::Session, &f).category,
            "measure"
        );
    }

    #[test]
    fn a_greeting_or_a_past_referral_is_no_plan() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let said = |t: &str| classify(&seg(1, Speaker::Therapist, t), None, InputKind::Session, &f);
        for t in [
            "Good to see you here. I see on your file that you're from down south.",
            "I see you've had a bit of experience with coming to prevention services.",
            "I understand that you were referred to me by your GP.",
            "So you'd prefer to keep it between us.",
        ] {
            assert_ne!(said(t).category, "plan", "{t}");
        }
        for t in [
            "I'd like to refer you to a psychiatrist for the medication.",
            "See you next Tuesday at ten.",
            "Good, I'll see you in two weeks then.",
        ] {
            assert_eq!(said(t).category, "plan", "{t}");
        }
    }

    #[test]
    fn this_week_in_the_past_is_a_report_not_a_plan() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let dictated = |t: &str| {
            classify(
                &seg(1, Speaker::Therapist, t),
                None,
                InputKind::Dictation,
                &f,
            )
            .category
        };
        assert_eq!(
            dictated("Post session note. Elena reports her mood has been low most days this week."),
            "client_report"
        );
        assert_eq!(dictated("She will keep a sleep diary this week."), "plan");
        // her own rating of her mood is her report; a questionnaire's score is a measure
        assert_eq!(
            dictated("She rates her mood three out of ten."),
            "client_report"
        );
        assert_eq!(
            dictated("PHQ-9 today is seventeen, rated by her."),
            "measure"
        );
    }

    #[test]
    fn homework_is_an_assignment_not_a_question_about_the_past() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let input = DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(
                    0,
                    Speaker::Therapist,
                    "How have you been sleeping this week?",
                ),
                seg(
                    1,
                    Speaker::Therapist,
                    "Last time we practiced the breathing exercise. Did you try it?",
                ),
                seg(
                    2,
                    Speaker::Therapist,
                    "For this week, could you leave by five on Monday and Wednesday?",
                ),
                seg(
                    3,
                    Speaker::Therapist,
                    "Did you do the homework? Keep the sleep diary for another week.",
                ),
            ],
            client: Default::default(),
        };
        let got: Vec<(ProposalKind, Vec<u32>)> = proposals(&input, &f)
            .into_iter()
            .map(|p| (p.kind, p.citations))
            .collect();
        assert_eq!(
            got,
            vec![
                (ProposalKind::Homework, vec![2]),
                (ProposalKind::Homework, vec![3]),
            ]
        );
    }
}
