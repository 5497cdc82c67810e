//! Scaling questions and their answers, written as note sentences by rule.
//!
//! "On a scale of 1 to 10, how important is it to you to make some changes to your drinking?"
//! is motivational interviewing's ruler; "How anxious, from 0 to 10?" the everyday one. A small
//! model rewriting such an exchange misreads it ("Client is on a scale of 100 where they would
//! be 100% important to their kids"). The words settle it: the question names what is rated
//! and the scale, the client's answer gives the figure ("I'd be 100%", "a five or six"). So a
//! rating exchange ([`super::facts::Group`], a therapist's measure question with the reply)
//! whose question names a scale and a quality, and whose answer holds a figure on that scale,
//! becomes "Client rated the importance of making some changes to their drinking at 5 to 6 on a
//! scale of 1 to 10." Anything less clear is left to the model.

use std::sync::LazyLock;

use regex::Regex;

use super::facts::Group;
use super::input::{DraftInput, InputKind, Segment, Speaker};
use super::text;

/// "scale of 1 to 10", "from zero to ten", "between 1 and 100", "out of 10".
static SCALE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:scale|from|between|of)\s+(?:of\s+)?(?:say\s+|like\s+)?(zero|one|\d+)\s*(?:to|and|-|–)\s*(ten|a hundred|one hundred|hundred|\d+)\b|\bout of\s+(ten|a hundred|one hundred|hundred|\d+)\b",
    )
    .expect("valid regex")
});

/// A question that points back to a scale already given ("on that same scale").
static SAME_SCALE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:same|that|this|the) scale\b").expect("valid regex"));

/// What is rated and how the topic follows: "how important is it (to you) to cut down",
/// "how confident are you that you could make a change".
static TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bhow (important|confident|ready|motivated|willing|committed)\b[^?.;]*?\b(?:that you (?:could|can|will|would|are able to) |(?:are you |you are |you feel )?to )((?:[a-z'-]+ ?){1,9})",
    )
    .expect("valid regex")
});

/// The quality a question rates, by its words, and the noun the sentence uses.
const QUALITIES: &[(&[&str], &str)] = &[
    (&["important", "importance"], "importance"),
    (&["confident", "confidence"], "confidence"),
    (&["ready", "readiness"], "readiness"),
    (&["motivated", "motivation"], "motivation"),
    (&["willing", "willingness"], "willingness"),
    (&["committed", "commitment"], "commitment"),
    (&["anxious", "anxiety", "nervous", "worried"], "anxiety"),
    (&["stressed", "stress"], "stress"),
    (&["mood"], "mood"),
    (&["depressed"], "low mood"),
    (&["pain"], "pain"),
    (&["craving", "cravings", "urge", "urges"], "cravings"),
    (&["sleep", "sleeping"], "sleep"),
];

/// Words that end a topic: what follows is a condition or the scale itself.
const TOPIC_STOPS: &[&str] = &[
    "if", "on", "where", "when", "because", "so", "and", "or", "but", "with", "from", "out",
];

/// How many segments before a "same scale" question its scale may be.
const SCALE_REACH: usize = 12;
/// How many segments after the question its figure may come ("Um, on a scale of 1 to 10-" /
/// "Mm-hmm." / "-if I can quit or not?" / "Yeah." / "Maybe like an 8 or 9.").
const ANSWER_REACH: usize = 10;

/// A follow-up that asks for the figure of the ruler just put ("So, what number would you
/// say?", "Where would you put it?").
static ASKS_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:what|which) number\b|\bwhere would you (?:put|place|be)\b|\bwhat would you (?:give|rate|score)\b")
        .expect("valid regex")
});

fn number_value(w: &str) -> Option<f64> {
    match w.to_lowercase().as_str() {
        "zero" => Some(0.0),
        "one" => Some(1.0),
        "ten" => Some(10.0),
        "hundred" | "a hundred" | "one hundred" => Some(100.0),
        d => d.parse().ok(),
    }
}

/// The scale a text names: (low, high).
fn scale_in(text: &str) -> Option<(f64, f64)> {
    let c = SCALE.captures(text)?;
    if let (Some(lo), Some(hi)) = (c.get(1), c.get(2)) {
        let (lo, hi) = (number_value(lo.as_str())?, number_value(hi.as_str())?);
        return (lo < hi && hi <= 100.0).then_some((lo, hi));
    }
    let hi = number_value(c.get(3)?.as_str())?;
    (hi > 1.0 && hi <= 100.0).then_some((0.0, hi))
}

fn quality(text: &str) -> Option<&'static str> {
    let words = text::words(text);
    QUALITIES
        .iter()
        .find(|(cues, _)| words.iter().any(|w| cues.contains(&w.as_str())))
        .map(|(_, noun)| *noun)
}

/// The topic of an importance or confidence question, in the third person, as an -ing
/// phrase ("making some changes to their drinking"), or an infinitive for readiness and the
/// like ("to quit").
fn topic(question: &str) -> Option<(&'static str, String)> {
    let c = TOPIC.captures(question)?;
    let noun = quality(c.get(1)?.as_str())?;
    let mut words: Vec<String> = Vec::new();
    let raw: Vec<String> = c
        .get(2)?
        .as_str()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    // "how important is it to you to cut down": the topic follows "to you"
    let raw = match raw.as_slice() {
        [you, to, rest @ ..] if you == "you" && to == "to" => rest,
        all => all,
    };
    for w in raw {
        let w = w.as_str();
        if TOPIC_STOPS.contains(&w) {
            break;
        }
        words.push(
            match w {
                "you" => "they",
                "your" => "their",
                "yourself" => "themselves",
                "you're" => "they're",
                other => other,
            }
            .to_string(),
        );
    }
    // a topic of one or two words is usually a pronoun ("to you", "do that"): too vague
    if words.len() < 2 || words.len() > 7 {
        return None;
    }
    let phrase = match noun {
        "importance" | "confidence" => {
            words[0] = gerund(&words[0]);
            let prep = if noun == "importance" { "of" } else { "in" };
            format!("{prep} {}", words.join(" "))
        }
        _ => format!("to {}", words.join(" ")),
    };
    Some((noun, phrase))
}

/// The -ing form of a verb ("make" → "making", "stop" → "stopping", "cut down" → "cutting").
fn gerund(verb: &str) -> String {
    const DOUBLED: &[&str] = &[
        "stop", "cut", "quit", "get", "put", "set", "run", "sit", "plan", "drop", "swap", "let",
    ];
    if verb.ends_with("ing") {
        verb.to_string()
    } else if DOUBLED.contains(&verb) {
        let last = verb.chars().last().unwrap_or_default();
        format!("{verb}{last}ing")
    } else if verb.len() > 2 && verb.ends_with('e') && !verb.ends_with("ee") {
        format!("{}ing", &verb[..verb.len() - 1])
    } else {
        format!("{verb}ing")
    }
}

/// Words before a number that make it a rating ("a 7", "maybe an eight", "I'd say 6", "I'd
/// be 100%"); a number after other words is a count ("I have 3 kids").
const RATING_BEFORE: &[&str] = &[
    "a",
    "an",
    "about",
    "maybe",
    "like",
    "around",
    "say",
    "be",
    "at",
    "is",
    "it's",
    "i'd",
    "probably",
    "roughly",
    "perhaps",
    "only",
    "just",
    "definitely",
    "solid",
    "honestly",
];

/// The figure a client's answer gives on the scale: one value, or two ("a five or six").
fn figure(answer: &str, (lo, hi): (f64, f64)) -> Option<String> {
    // the scale repeated in the answer ("on a scale of 1 to 10, about a 7") is no figure
    let answer = SCALE.replace_all(answer, " ");
    let words = text::words(&answer);
    let percent = answer.contains('%') || words.iter().any(|w| w == "percent");
    let short = words.len() <= 4;
    for (i, w) in words.iter().enumerate() {
        let Some(v) = text::number_in_word(w) else {
            continue;
        };
        // a word run into the number as transcribed ("I'd be100") stands before it
        let fused: String = w.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let before = if fused.is_empty() {
            i.checked_sub(1).map(|k| words[k].as_str()).unwrap_or("")
        } else {
            fused.as_str()
        };
        let rating = short || percent || RATING_BEFORE.contains(&before);
        if v < lo || v > hi || !rating {
            continue;
        }
        // "a five or six", "8 to 9": a range
        let second = words
            .get(i + 1)
            .filter(|j| matches!(j.as_str(), "or" | "to" | "and"))
            .and_then(|_| words.get(i + 2))
            .and_then(|n| text::number_in_word(n))
            .filter(|b| *b >= lo && *b <= hi && *b != v && (b - v).abs() <= (hi - lo) / 5.0);
        return Some(match second {
            Some(b) => format!("{} to {}", text::fmt_num(v.min(b)), text::fmt_num(v.max(b))),
            None => text::fmt_num(v),
        });
    }
    None
}

/// The scale of the therapist's segment at `at`: named there, or (for "on that same scale")
/// in one of theirs a little before.
fn scale_of(segs: &[Segment], at: usize) -> Option<(f64, f64)> {
    let text = &segs[at].text;
    scale_in(text).or_else(|| {
        if !SAME_SCALE.is_match(text) {
            return None;
        }
        segs[at.saturating_sub(SCALE_REACH)..at]
            .iter()
            .rev()
            .filter(|s| s.speaker == Speaker::Therapist)
            .find_map(|s| scale_in(&s.text))
    })
}

/// The note sentence of a rating exchange, and the segments it rests on: when its question
/// (or the ruler a "what number would you say?" follows up) names the scale, or points back
/// to one, and the quality rated, and the client's reply gives a figure on it.
pub fn fact(input: &DraftInput, g: &Group) -> Option<(String, Vec<u32>)> {
    // a therapist's measure with the reply, or a client's reply with the question it answers
    if input.kind != InputKind::Session {
        return None;
    }
    let segs = &input.segments;
    let at = segs.iter().position(|s| s.id == g.ids[0])?;
    if segs[at].speaker != Speaker::Therapist {
        return None;
    }
    // the question that names what is rated: this one, or the ruler it follows up
    let asked = if quality(&segs[at].text).is_some() {
        at
    } else if ASKS_NUMBER.is_match(&segs[at].text) {
        (at.saturating_sub(SCALE_REACH)..at).rev().find(|&k| {
            segs[k].speaker == Speaker::Therapist
                && quality(&segs[k].text).is_some()
                && scale_of(segs, k).is_some()
        })?
    } else {
        return None;
    };
    let scale = scale_of(segs, asked).or_else(|| scale_of(segs, at))?;
    // the client's figure: the first on the scale, before the therapist moves on (asking
    // for the number again is not moving on)
    let mut cited: Vec<u32> = vec![segs[asked].id];
    let mut value = None;
    for s in segs.iter().skip(at + 1).take(ANSWER_REACH) {
        if s.speaker == Speaker::Therapist
            && s.text.split_whitespace().count() > 4
            && !ASKS_NUMBER.is_match(&s.text)
        {
            break;
        }
        cited.push(s.id);
        if s.speaker != Speaker::Therapist {
            if let Some(v) = figure(&s.text, scale) {
                value = Some(v);
                break;
            }
        }
    }
    let value = value?;
    let question = &segs[asked].text;
    let rated = match topic(question) {
        Some(("importance", phrase)) => format!("the importance {phrase}"),
        Some((noun, phrase)) => format!("their {noun} {phrase}"),
        None => quality(question)?.to_string(),
    };
    let mut ids: Vec<u32> = g.ids.iter().copied().chain(cited).collect();
    ids.sort_unstable();
    ids.dedup();
    Some((
        format!(
            "Client rated {rated} at {value} on a scale of {} to {}.",
            text::fmt_num(scale.0),
            text::fmt_num(scale.1)
        ),
        ids,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::input::ChartContext;

    fn session(lines: &[(Speaker, &str)]) -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: lines
                .iter()
                .enumerate()
                .map(|(i, (sp, t))| Segment {
                    id: i as u32,
                    start: i as f64,
                    end: i as f64 + 1.0,
                    speaker: *sp,
                    text: t.to_string(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                })
                .collect(),
            client: ChartContext::default(),
        }
    }

    fn group(ids: &[u32]) -> Group {
        Group {
            ids: ids.to_vec(),
            lead: Speaker::Therapist,
            replied: true,
            section: "objective".into(),
            category: "measure",
            client_step: false,
            confirmed: false,
            long: false,
            score: 10.0,
            pos: ids[0] as usize,
        }
    }

    fn text(inp: &DraftInput, ids: &[u32]) -> Option<String> {
        fact(inp, &group(ids)).map(|(t, _)| t)
    }

    use Speaker::{Client as C, Therapist as T};

    #[test]
    fn a_follow_up_asking_for_the_number_takes_the_ruler_before_it() {
        let inp = session(&[
            (T, "How important is it to you to cut down, on a scale of 1 to 10?"),
            (C, "Maybe a five."),
            (
                T,
                "And how confident are you that you could cut down if you decided to, on that same scale?",
            ),
            (C, "Um, I'm pretty confident, it's not a big part of my life."),
            (T, "So, what number do you think you'd say?"),
            (C, "Um, on a scale of 1 to 10-"),
            (T, "Mm-hmm."),
            (C, "-if I can quit or not?"),
            (T, "Yeah."),
            (C, "Maybe like an 8 or 9."),
            (T, "Okay, and why'd you say 8 or 9 rather than even like 5 or 6?"),
            (C, "Because it's not a big part of my life."),
        ]);
        // the ruler alone (its long reply is a group of its own) runs on to the figure too
        let (alone, alone_ids) = fact(&inp, &group(&[2])).expect("a fact");
        assert_eq!(
            alone,
            "Client rated their confidence in cutting down at 8 to 9 on a scale of 1 to 10."
        );
        assert_eq!(alone_ids, vec![2, 3, 4, 5, 6, 7, 8, 9]);
        let (t, ids) = fact(&inp, &group(&[4, 5])).expect("a fact");
        // the same exchange filed as the client's report with its question
        let mut reply = group(&[4, 5]);
        reply.lead = Speaker::Client;
        assert_eq!(fact(&inp, &reply).map(|(t, _)| t), Some(t.clone()));
        assert_eq!(
            t,
            "Client rated their confidence in cutting down at 8 to 9 on a scale of 1 to 10."
        );
        // the ruler, the follow-up and every segment up to the figure, nothing after it
        assert_eq!(ids, vec![2, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn an_importance_ruler_with_its_topic_and_a_range() {
        let inp = session(&[
            (
                T,
                "Okay. How important is it to you to make some adjustments to your drinking, on a scale of 1 to 10?",
            ),
            (C, "Um, I'd say a five or six."),
        ]);
        assert_eq!(
            text(&inp, &[0, 1]).as_deref(),
            Some(
                "Client rated the importance of making some adjustments to their drinking at 5 to 6 on a scale of 1 to 10."
            )
        );
    }

    #[test]
    fn a_ruler_answered_a_few_turns_on_without_a_topic() {
        let inp = session(&[
            (
                T,
                "If I was to put it on a scale of say 1 to 100, 1 being not really important, 100 being really, really important, whereabouts on that scale would you be?",
            ),
            (C, "It's, uh, it's hard because I'm not a bad person."),
            (T, "Right."),
            (C, "In-in regards to my kids, I'd be100- 100%."),
        ]);
        assert_eq!(
            text(&inp, &[0, 1, 2, 3]).as_deref(),
            Some("Client rated importance at 100 on a scale of 1 to 100.")
        );
    }

    #[test]
    fn the_same_scale_is_found_earlier_and_the_repeated_scale_is_no_answer() {
        let inp = session(&[
            (T, "How important is it, from 0 to 10?"),
            (C, "Probably an eight."),
            (
                T,
                "And how confident are you that you could make a change if you decided to, on that same scale?",
            ),
            (C, "Um, on a scale of 0 to 10, maybe a 4."),
        ]);
        assert_eq!(
            text(&inp, &[2, 3]).as_deref(),
            Some("Client rated their confidence in making a change at 4 on a scale of 0 to 10.")
        );
    }

    #[test]
    fn no_scale_no_figure_or_no_quality_is_left_to_the_model() {
        // no figure in the answer
        let inp = session(&[
            (T, "How anxious have you felt, from 0 to 10?"),
            (C, "Hard to say really."),
        ]);
        assert_eq!(text(&inp, &[0, 1]), None);
        // a count, not a rating
        let inp = session(&[
            (T, "How stressed have you been, from 1 to 10?"),
            (C, "Well, I have 3 kids and 2 jobs, you tell me."),
        ]);
        assert_eq!(text(&inp, &[0, 1]), None);
        // a figure off the scale (a time, not a rating)
        let inp = session(&[
            (T, "How stressed were you, from 0 to 10?"),
            (C, "It was at 30 minutes past."),
        ]);
        assert_eq!(text(&inp, &[0, 1]), None);
        // no scale named
        let inp = session(&[
            (T, "How important is that to you?"),
            (C, "Very, like 100 percent."),
        ]);
        assert_eq!(text(&inp, &[0, 1]), None);
        // a scale, but nothing named to rate
        let inp = session(&[(T, "Where would you put it from 0 to 10?"), (C, "A 6.")]);
        assert_eq!(text(&inp, &[0, 1]), None);
        // anxiety rated: no topic needed
        let inp = session(&[
            (T, "How anxious have you felt this week, from 0 to 10?"),
            (C, "About a 7, mostly at night."),
        ]);
        assert_eq!(
            text(&inp, &[0, 1]).as_deref(),
            Some("Client rated anxiety at 7 on a scale of 0 to 10.")
        );
    }

    #[test]
    fn gerunds() {
        for (v, g) in [
            ("make", "making"),
            ("stop", "stopping"),
            ("cut", "cutting"),
            ("drink", "drinking"),
            ("see", "seeing"),
            ("change", "changing"),
        ] {
            assert_eq!(gerund(v), g);
        }
    }
}
