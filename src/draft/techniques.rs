//! The therapist's techniques in a session, named from how the therapist speaks: open
//! questions, reflections, affirmations, scaling questions, summaries. A note's
//! interventions ("Therapist used open questions, reflective listening and a scaling
//! question") when no fact names what the therapist did: in a motivational-interviewing
//! session the intervention is the conversation itself, and no single exchange says so.

use super::checks::{Origin, Statement};
use super::input::{DraftInput, InputKind, Segment, Speaker};

/// One technique: its name in a note, how few uses make it worth naming, and its test.
struct Technique {
    name: &'static str,
    at_least: usize,
    test: fn(&str) -> bool,
}

const TECHNIQUES: &[Technique] = &[
    Technique {
        name: "open questions",
        at_least: 3,
        test: open_question,
    },
    Technique {
        name: "reflective listening",
        at_least: 3,
        test: reflection,
    },
    Technique {
        name: "affirmations",
        at_least: 2,
        test: affirmation,
    },
    Technique {
        name: "a scaling question",
        at_least: 1,
        test: scaling,
    },
    Technique {
        name: "summaries",
        at_least: 1,
        test: summary,
    },
];

fn lower(t: &str) -> String {
    t.to_lowercase().replace('’', "'")
}

/// The sentences of a segment, each without the discourse words speech opens with ("Yeah.
/// Okay, so what ..." → "what ..."), with whether it was a question.
fn sentences(t: &str) -> Vec<(String, bool)> {
    const OPENERS: &[&str] = &[
        "yeah",
        "yes",
        "okay",
        "ok",
        "so",
        "and",
        "um",
        "uh",
        "all right",
        "alright",
        "great",
        "wow",
        "cool",
        "right",
        "well",
        "mm-hmm",
        "mm",
        "hmm",
        "oh",
        "now",
    ];
    let l = lower(t);
    let mut out = Vec::new();
    let mut rest = l.as_str();
    while !rest.trim().is_empty() {
        let end = rest.find(['.', '?', '!']).map_or(rest.len(), |i| i + 1);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        let question = piece.ends_with('?');
        let mut p = piece.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        loop {
            let before = p;
            for o in OPENERS {
                if let Some(r) = p.strip_prefix(o) {
                    if r.is_empty() || r.starts_with([',', ' ', '-']) {
                        p = r.trim_start_matches([',', ' ', '-']);
                    }
                }
            }
            if p == before {
                break;
            }
        }
        if !p.is_empty() {
            out.push((p.to_string(), question));
        }
    }
    out
}

fn open_question(t: &str) -> bool {
    sentences(t).iter().any(|(s, q)| {
        *q && [
            "what ",
            "how ",
            "why ",
            "tell me",
            "in what way",
            "which ",
            "where ",
        ]
        .iter()
        .any(|o| s.starts_with(o))
    })
}

/// A statement about the client in the second person, without the therapist's "I": "It's
/// really getting in the way of you becoming who you want to be", "So you didn't hurt anybody".
fn reflection(t: &str) -> bool {
    sentences(t).iter().any(|(s, q)| {
        let words: Vec<&str> = s
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        !q && words.len() >= 4
            && words
                .iter()
                .any(|w| matches!(*w, "you" | "you're" | "your" | "you've"))
            && !words.iter().any(|w| {
                matches!(
                    *w,
                    "i" | "i'm" | "i've" | "i'll" | "i'd" | "me" | "my" | "we" | "let's"
                )
            })
    })
}

fn affirmation(t: &str) -> bool {
    let l = lower(t);
    [
        "good on you",
        "well done",
        "that takes courage",
        "that took courage",
        "i appreciate",
        "you've shown",
        "that's a big step",
        "that's great that",
        "you should be proud",
    ]
    .iter()
    .any(|o| l.contains(o))
}

fn scaling(t: &str) -> bool {
    let l = lower(t);
    [
        "scale of",
        "on a scale",
        "out of 10",
        "out of ten",
        "zero to ten",
        "1 to 10",
    ]
    .iter()
    .any(|o| l.contains(o))
}

fn summary(t: &str) -> bool {
    let l = lower(t);
    [
        "to sum up",
        "let me summarize",
        "let me summarise",
        "if i can summarize",
        "if i can summarise",
        "let me see if i've got",
        "so far you've told me",
    ]
    .iter()
    .any(|o| l.contains(o))
}

/// Whether a section's included statements already say what the therapist did. That the
/// therapist asked about something ("Therapist asked the client about support.") does not:
/// the questions are among the techniques.
pub fn said_by(list: &[Statement]) -> bool {
    list.iter().any(|s| {
        s.included && s.text.starts_with("Therapist") && !s.text.starts_with("Therapist ask")
    })
}

/// The sentence naming the techniques the therapist used at least their threshold of times,
/// citing up to two segments of each; `None` without speaker labels (the therapist's words
/// cannot be told apart), for a dictation, or when fewer than two techniques are seen.
pub fn sentence(input: &DraftInput) -> Option<Statement> {
    if input.kind != InputKind::Session {
        return None;
    }
    let therapist: Vec<&Segment> = input
        .segments
        .iter()
        .filter(|s| s.speaker == Speaker::Therapist)
        .collect();
    let mut names = Vec::new();
    let mut cites = Vec::new();
    for t in TECHNIQUES {
        let uses: Vec<u32> = therapist
            .iter()
            .filter(|s| (t.test)(&s.text))
            .map(|s| s.id)
            .collect();
        if uses.len() >= t.at_least {
            names.push(t.name);
            cites.extend(uses.into_iter().take(2));
        }
    }
    if names.len() < 2 {
        return None;
    }
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let order = |id: &u32| input.segments.iter().position(|s| s.id == *id);
    cites.sort_by_key(order);
    cites.dedup();
    Some(Statement {
        text: format!("Therapist used {list}."),
        citations: cites,
        flags: vec![
            "techniques: named from the therapist's questions and reflections; confirm".into(),
        ],
        support: 1.0,
        origin: Origin::Template,
        included: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::input::test_session as session;

    #[test]
    fn techniques_used_often_enough_are_named_with_examples_cited() {
        use Speaker::{Client as C, Therapist as T};
        let inp = session(&[
            (T, "What brings you in today?"),
            (C, "My drinking, I guess."),
            (T, "How much are you drinking in a week?"),
            (C, "Most nights, a few beers."),
            (
                T,
                "So you're drinking most nights and it worries you a bit.",
            ),
            (C, "Yeah."),
            (T, "What would be different if you cut down?"),
            (C, "I'd sleep better."),
            (T, "It sounds like sleep matters a lot to you right now."),
            (T, "You want to feel rested for your kids in the morning."),
            (T, "On a scale of 1 to 10, how important is cutting down?"),
            (C, "Maybe a six."),
        ]);
        let st = sentence(&inp).expect("techniques named");
        assert_eq!(
            st.text,
            "Therapist used open questions, reflective listening and a scaling question."
        );
        // two examples of each, the scaling question once; every citation is the therapist's
        assert_eq!(st.citations, vec![0, 2, 4, 8, 10]);
        assert!(st.flags.iter().any(|f| f.starts_with("techniques")));
    }

    #[test]
    fn a_question_asked_does_not_say_what_the_therapist_did() {
        let st = |text: &str, included: bool| Statement {
            text: text.into(),
            citations: vec![0],
            flags: vec![],
            support: 1.0,
            origin: Origin::Model,
            included,
        };
        assert!(!said_by(&[st(
            "Therapist asked the client about support.",
            true
        )]));
        assert!(!said_by(&[st(
            "Therapist asks about accountability.",
            true
        )]));
        assert!(!said_by(&[st("Therapist taught box breathing.", false)]));
        assert!(!said_by(&[st("Client rated importance at 8.", true)]));
        assert!(said_by(&[st("Therapist taught box breathing.", true)]));
    }

    #[test]
    fn nothing_is_named_without_speakers_or_with_one_technique() {
        let inp = session(&[
            (Speaker::Unknown, "What brings you in today?"),
            (Speaker::Unknown, "How are you sleeping?"),
            (Speaker::Unknown, "What helps?"),
            (
                Speaker::Unknown,
                "So you're tired most days and it gets to you.",
            ),
            (Speaker::Unknown, "It sounds like the mornings are hardest."),
            (Speaker::Unknown, "You want to feel rested again."),
        ]);
        assert!(sentence(&inp).is_none());
        let one = session(&[
            (Speaker::Therapist, "What brings you in today?"),
            (Speaker::Therapist, "How are you sleeping?"),
            (Speaker::Therapist, "What helps?"),
        ]);
        assert!(sentence(&one).is_none());
    }
}
