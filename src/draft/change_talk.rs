//! The client's stance toward change, in their own words: motivational interviewing's change
//! talk (desire, ability, reasons, need, commitment, steps taken) and sustain talk (the
//! problem minimised, reasons not to change, change doubted), found by rule in the client's
//! sentences and written as one Assessment sentence with brief quotations.
//!
//! A small model asked for the client's readiness guessed (a court-ordered client who said
//! he had no choice came out "ready to change"); the words themselves can be checked. The
//! sentence quotes at most [`QUOTE_WORDS`] words of each side, cites the segments it found,
//! and is flagged as a reading for the clinician to confirm. Where the client's talk keeps
//! returning to one behaviour (drinking, smoking, gambling, cannabis or other drugs), the
//! sentence names it and the stage of change the two sides point to ([`Stage`]): the
//! synthesis a motivational-interviewing note makes, read from the same quoted words.

use std::sync::LazyLock;

use regex::Regex;

use super::checks::{Origin, Statement};
use super::input::{split_sentences, DraftInput, InputKind, Speaker};

/// The longest quotation of one side, in words (an eight-word run would copy the transcript).
pub const QUOTE_WORDS: usize = 7;

/// Most segments one stance sentence cites.
const MAX_CITED: usize = 6;

/// Which way a client's sentence leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Talk {
    /// Against change: the problem minimised, reasons to keep things as they are, change
    /// doubted.
    Sustain,
    /// Toward change; the variants rank how strongly (a commitment says most).
    Ability,
    Desire,
    Reason,
    Need,
    Steps,
    Commitment,
}

/// Things a person changes: the verbs of change talk ("stop", "cut down", "get help").
const CHANGE: &str = r"(?:stop|quit|cut (?:down|back)|cut it|give (?:it |that )?up|reduce|change|work on|get (?:help|better|sober|clean|healthy|well|it under control|on top of)|sort (?:it|this|that|things) out|deal with|stay (?:sober|clean|away)|avoid|limit|control|manage|start (?:the|taking|going|doing)|take (?:my|the|your) (?:medication|medicine|meds|pills|tablets)|do (?:it|that|this|the program|something about)|try (?:it|that|this)|make (?:a |some )?changes?|drink less|gamble less|smoke less)";

static PATTERNS: LazyLock<Vec<(Talk, Regex)>> = LazyLock::new(|| {
    let c = CHANGE;
    let p = |s: String| Regex::new(&s).expect("change-talk pattern");
    vec![
        // sustain first: "I don't want to stop" is no desire
        (
            Talk::Sustain,
            p(r"\b(?:it's|it is|that's|its|it was|it isn't|is)\s+(?:not|never|no)\s+(?:really\s+)?(?:a|an|that much of a|much of a|that big of a|such a|a big)?\s*(?:issue|problem|big deal|worries)\b".into()),
        ),
        (
            Talk::Sustain,
            p(r"\bi (?:don't|do not) (?:think|see|feel) (?:there's|there is|it's|it is|i have|that|that it's)\s+(?:much|really|a|an|any)\s*(?:problem|issue|to sort|to worry|big deal|need)?".into()),
        ),
        (
            Talk::Sustain,
            p(format!(r"\bi (?:don't|do not|won't|will not) (?:really |even )?(?:need|want|have) to {c}")),
        ),
        (
            Talk::Sustain,
            p(format!(r"\bi (?:can't|cannot|couldn't|could not) (?:really |just |ever )?{c}")),
        ),
        (
            Talk::Sustain,
            p(format!(r"\bi (?:don't|do not) (?:think|know if|know whether|know that) i (?:can|could|would|will|'d|'ll) (?:ever |really )?{c}")),
        ),
        (
            Talk::Sustain,
            p(r"\b(?:like|same as|just like) every(?:body|one) else\b|\bevery(?:body|one) (?:does|drinks|smokes|gambles|else does) (?:it|that)?".into()),
        ),
        (
            Talk::Sustain,
            p(r"\b(?:it's|it is|it was|that's|that was) (?:just|only) (?:a|a few|a bit|a little|a couple|some|the odd)\b".into()),
        ),
        (
            Talk::Sustain,
            p(r"\bi (?:didn't|did not) have (?:a|any|much of a) choice\b".into()),
        ),
        (
            Talk::Sustain,
            p(r"\b(?:drinking|smoking|gambling|using|weed|it|the pokies|a drink|a few drinks) (?:helps|help|relaxes|calms) me\b".into()),
        ),
        (
            Talk::Sustain,
            p(r"\bi (?:like|enjoy|love) (?:drinking|to drink|smoking|to smoke|gambling|to gamble|partying|a drink|my drink|getting high|the rush)\b".into()),
        ),
        (
            Talk::Sustain,
            p(r"\bi(?:'m| am) (?:not an alcoholic|not addicted|not hooked|in control of it|not that bad)\b".into()),
        ),
        (
            Talk::Commitment,
            p(format!(r"\b(?:i'll|i will|i'm going to|i'm gonna|i am going to|i promise to|i'm committed to)\s+(?:definitely |really |actually )?(?:try to |try and )?{c}")),
        ),
        (
            Talk::Steps,
            p(r"\bi(?:'ve| have)\s+(?:already\s+|just\s+)?(?:stopped|quit|cut (?:down|back)|started (?:to|taking|going|cutting)|been (?:trying|cutting|going to|taking))".into()),
        ),
        (
            Talk::Need,
            p(format!(r"\bi (?:really |probably |definitely )?(?:need to|have to|should|ought to|gotta|got to|must) (?:probably |really |just )?{c}")),
        ),
        (
            Talk::Desire,
            p(format!(r"\bi(?:(?:'d| would) (?:really )?(?:like|love)| (?:really )?(?:want|wanna)) to (?:be able to )?{c}")),
        ),
        (
            Talk::Desire,
            p(r"\bi (?:don't|do not) (?:really )?want to (?:drink|gamble|use|smoke|be like that|end up|go back|keep doing)\b".into()),
        ),
        (
            Talk::Desire,
            p(format!(r"\bi wish i (?:could|didn't|did not|hadn't|had not) (?:just )?(?:{c}|drink|gamble|use|smoke)")),
        ),
        (
            Talk::Ability,
            p(format!(r"\bi (?:think i |know i )?(?:could|can|am able to|'m able to|would be able to) (?:probably |definitely |really )?{c}")),
        ),
        (
            Talk::Ability,
            p(r"\bi(?:'m| am) (?:pretty |really |very |quite |fairly )?confident (?:that )?i\b".into()),
        ),
        (
            Talk::Reason,
            p(r"\b(?:it|things|life|everything) would be (?:so much |much |a lot )?(?:better|easier)\b|\bi'd be better off\b|\bif i (?:stopped|quit|cut down|didn't drink|didn't gamble|took (?:my|the|it))\b".into()),
        ),
    ]
});

/// The transtheoretical model's stage of change, as the balance of the client's change and
/// sustain talk suggests it (maintenance needs more than one session's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Only sustain talk, or three times as much of it as change talk.
    Precontemplation,
    /// Change talk (desire, ability, reasons, need), with or without sustain talk.
    Contemplation,
    /// A commitment to change.
    Preparation,
    /// Steps already taken.
    Action,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Precontemplation => "the precontemplation stage",
            Stage::Contemplation => "the contemplation stage",
            Stage::Preparation => "the preparation stage",
            Stage::Action => "the action stage",
        }
    }
}

/// Behaviours motivational interviewing is about, as the note names them, with the client's
/// words for them.
static BEHAVIOURS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let p = |s: &str| Regex::new(s).expect("behaviour pattern");
    vec![
        (
            "their drinking",
            p(
                r"\b(?:drink|drinks|drinking|drank|drunk|alcohol|alcoholic|booze|beers?|wine|vodka|liquor)\b",
            ),
        ),
        (
            "their smoking",
            p(
                r"\b(?:smoke|smokes|smoking|smoked|cigarettes?|cigs|vape|vapes|vaping|nicotine|tobacco)\b",
            ),
        ),
        (
            "their gambling",
            p(r"\b(?:gamble|gambles|gambling|gambled|pokies|betting|bets|casino|slots)\b"),
        ),
        (
            "their cannabis use",
            p(r"\b(?:weed|cannabis|marijuana|joints?|stoned)\b"),
        ),
        (
            "their drug use",
            p(r"\b(?:drugs|cocaine|heroin|meth|methamphetamine|ecstasy|pills)\b"),
        ),
    ]
});

/// The behaviour the session is about: the one both speakers name most (the therapist often
/// names the topic the client talks round: "the pokies" against a client's "a bit of cash"),
/// when the client names it too and it is named at least twice as often as any other.
fn behaviour(input: &DraftInput) -> Option<&'static str> {
    let mut counts = vec![0usize; BEHAVIOURS.len()];
    let mut by_client = vec![0usize; BEHAVIOURS.len()];
    for seg in &input.segments {
        let t = seg.text.to_lowercase();
        for (i, (_, re)) in BEHAVIOURS.iter().enumerate() {
            let n = re.find_iter(&t).count();
            counts[i] += n;
            if seg.speaker == Speaker::Client {
                by_client[i] += n;
            }
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
    let (top, second) = (order[0], order[1]);
    (counts[top] >= 2 && by_client[top] >= 1 && counts[top] >= 2 * counts[second].max(1))
        .then(|| BEHAVIOURS[top].0)
}

/// The stage the client's change and sustain talk point to.
fn stage(found: &[Found]) -> Option<Stage> {
    let sustain = found.iter().filter(|f| f.talk == Talk::Sustain).count();
    let change: Vec<Talk> = found
        .iter()
        .map(|f| f.talk)
        .filter(|t| *t != Talk::Sustain)
        .collect();
    if sustain == 0 && change.is_empty() {
        return None;
    }
    Some(if change.is_empty() || sustain >= 3 * change.len() {
        Stage::Precontemplation
    } else if change.contains(&Talk::Steps) {
        Stage::Action
    } else if change.contains(&Talk::Commitment) {
        Stage::Preparation
    } else {
        Stage::Contemplation
    })
}

/// Phrases that undo a change-talk match just before it: "I don't know if I'll stop".
static DOUBT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:don't know if|not sure (?:if|that)?|doubt|no way|never|wouldn't say|if you want me to|you want me to)\s*$")
        .expect("doubt pattern")
});

/// A change-talk phrase in someone else's words as the client reports them: "She would tell
/// me that she believes that I could do it" is the mother's confidence, not the client's.
static REPORTED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:she|he|they|people|everyone|everybody|others|(?:my|his|her|the) (?:mum|mom|mother|dad|father|wife|husband|partner|boss|doctor|kids|family|friends?|brother|sister|girlfriend|boyfriend|probation officer))\s+(?:would\s+|will\s+|might\s+|always\s+|keeps?\s+|kept\s+)?(?:tell|tells|told|telling|say|says|said|saying|think|thinks|thought|believe|believes|believed|reckon|reckons|reckoned|want|wants|wanted)\b[^.!?;,]*$")
        .expect("reported speech pattern")
});

/// A change-talk phrase inside a negated frame of its own clause: "it's not something that's
/// on my mind that I want to change" says the client does not (yet) want to.
static NEGATED_FRAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:not|never|isn't|wasn't)\s+(?:really\s+|just\s+|exactly\s+)?(?:something|anything|a thing|what)\b[^,;.!?]*$")
        .expect("negated frame pattern")
});

/// One sentence of the client's that leans one way.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub segment_id: u32,
    pub talk: Talk,
    /// The words quoted: from where the match starts, at most [`QUOTE_WORDS`] words.
    pub quote: String,
    /// Whether the quotation holds its whole clause (not cut short).
    pub whole: bool,
}

/// How a sentence leans, and where in it the telling words start.
pub fn classify(sentence: &str) -> Option<(Talk, usize)> {
    let t = sentence.to_lowercase().replace(['’', '‘'], "'");
    if t.trim_end().ends_with('?') {
        return None;
    }
    for (talk, re) in PATTERNS.iter() {
        let Some(m) = re.find(&t) else { continue };
        // someone else's view of the client's change, reported: no talk of the client's
        if REPORTED_BEFORE.is_match(&t[..m.start()]) {
            return None;
        }
        if *talk != Talk::Sustain {
            // the 30 characters before the match
            let before = &t[..m.start()];
            let from = before.char_indices().rev().nth(29).map_or(0, |(i, _)| i);
            let clause = before
                .rfind([',', ';', '.', '!', '?'])
                .map_or(before, |i| &before[i + 1..]);
            // "it's not something ... that I want to change": not a wish, and no quotation
            // short enough to show it is not one
            if NEGATED_FRAME.is_match(clause) {
                return None;
            }
            // "I don't know if I'll stop": doubt, quoted from the doubt
            if let Some(d) = DOUBT_BEFORE.find(before[from..].trim_end()) {
                return Some((Talk::Sustain, from + d.start()));
            }
        }
        return Some((*talk, m.start()));
    }
    None
}

/// The quotation of a sentence from byte `at` (of its lower-cased form, the same offsets
/// for ASCII text): at most [`QUOTE_WORDS`] words, cut at the clause's end.
fn quote_from(sentence: &str, at: usize) -> (String, bool) {
    let start = if sentence.is_char_boundary(at) { at } else { 0 };
    let rest = &sentence[start..];
    let clause = rest
        .split([',', ';', '.', '!', '?', '—'])
        .next()
        .unwrap_or(rest)
        .trim();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let whole = words.len() <= QUOTE_WORDS;
    // "I don't…" says nothing: then the words as they run
    let mut q = cut_words(&words, QUOTE_WORDS, 4);
    if let Some(first) = q.get(..1) {
        if first == "i" {
            q.replace_range(..1, "I");
        }
    }
    (q.trim_end_matches([',', '-', ' ']).to_string(), whole)
}

/// Whether a quotation leaves what would change to a pronoun ("I think I can do that"): a
/// quotation that names it says more to a reader of the note.
fn vague(quote: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:do|try|manage|handle|stop|change|quit) (?:it|that|this)\b")
            .expect("vague pattern")
    });
    RE.is_match(quote)
}

/// A quotation cut to at most `words` words (see [`cut_words`]).
fn shorten(quote: &str, words: usize) -> String {
    let all: Vec<&str> = quote.trim_end_matches('…').split_whitespace().collect();
    if all.len() <= words {
        return quote.to_string();
    }
    cut_words(&all, words, 0)
}

/// `words` joined, or, past `n` of them, the first `n` marked "…" where cut and ending on a
/// word that says something ("I'd like to cut down…", not "… before the"); when that leaves
/// fewer than `floor` words, the first `n` as they run.
fn cut_words(words: &[&str], n: usize, floor: usize) -> String {
    if words.len() <= n {
        return words.join(" ");
    }
    let mut kept: Vec<&str> = words[..n].to_vec();
    while kept.len() > 2
        && kept
            .last()
            .is_some_and(|w| super::text::is_stop(&w.to_lowercase()))
    {
        kept.pop();
    }
    if kept.len() < floor {
        kept = words[..n].to_vec();
    }
    format!("{}…", kept.join(" "))
}

/// Every sentence of the client's that leans one way, in transcript order. Sessions only:
/// a dictation is the clinician's words.
pub fn find(input: &DraftInput) -> Vec<Found> {
    if input.kind != InputKind::Session {
        return Vec::new();
    }
    let mut out = Vec::new();
    // whether the therapist's last turn proposed a plan: it makes "I can do that" an
    // agreement to it
    let mut proposed = false;
    for seg in &input.segments {
        if seg.speaker != Speaker::Client {
            proposed = proposes_a_plan(&seg.text);
            continue;
        }
        for sentence in split_sentences(&super::facts::clean_speech(&seg.text)) {
            if let Some((talk, at)) = classify(&sentence) {
                let talk = if proposed
                    && matches!(talk, Talk::Ability | Talk::Desire)
                    && agrees(&sentence)
                {
                    Talk::Commitment
                } else {
                    talk
                };
                let (quote, whole) = quote_from(&sentence, at);
                let said_before = out.iter().any(|f: &Found| f.quote == quote);
                if quote.split_whitespace().count() >= 2 && !said_before {
                    out.push(Found {
                        segment_id: seg.id,
                        talk,
                        quote,
                        whole,
                    });
                }
            }
        }
    }
    out
}

/// Whether a therapist's turn proposes a plan or a goal for the client to agree to.
fn proposes_a_plan(text: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:the plan is|plan is gonna be|plan is going to be|would you be willing|are you willing|how about (?:you|we|trying)|let's|let us|i'd like you to|i would like you to|your homework|can you try|could you try|set (?:you )?a goal|the goal is|you're gonna|you are going to|you'll)\b")
            .expect("proposal pattern")
    });
    RE.is_match(&text.replace(['’', '‘'], "'"))
}

/// Whether a client's sentence takes up what was proposed ("Yeah. I think I can do that.",
/// "I could try that"), rather than saying something of its own.
fn agrees(sentence: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:yeah|yes|yep|okay|ok|sure|alright|right)?[,.]?\s*(?:i think |i guess |probably )?i (?:can|could|will|'ll|would|'d) (?:probably |definitely |really )?(?:do|try|manage|handle) (?:that|it|this)\b")
            .expect("agreement pattern")
    });
    RE.is_match(sentence.trim().replace(['’', '‘'], "'").as_str())
}

/// The stance sentence for the Assessment, or None when the client's words lean neither way.
/// Both sides: ambivalence, quoting the strongest of each. One side: that side, quoting up
/// to two sentences.
pub fn statement(input: &DraftInput) -> Option<Statement> {
    let found = find(input);
    // what the change is about, and where the client stands on it, where one behaviour is
    // the subject
    let what = behaviour(input);
    let (changing, toward) = match what {
        Some(b) => (format!("changing {b}"), format!("change {b}")),
        None => ("change".to_string(), "change".to_string()),
    };
    let stage_clause = what
        .and_then(|_| stage(&found))
        .map(|s| format!(", consistent with {} of change", s.name()))
        .unwrap_or_default();
    let mut sustain: Vec<&Found> = found.iter().filter(|f| f.talk == Talk::Sustain).collect();
    let mut change: Vec<&Found> = found.iter().filter(|f| f.talk != Talk::Sustain).collect();
    // whole clauses first; change talk strongest first, then the later (where a session
    // ends up)
    sustain.sort_by_key(|f| !f.whole);
    change.sort_by(|a, b| {
        b.whole
            .cmp(&a.whole)
            .then(vague(&a.quote).cmp(&vague(&b.quote)))
            .then(b.talk.cmp(&a.talk))
            .then(b.segment_id.cmp(&a.segment_id))
    });
    // one side said three times as often as the other is where the client stands
    let mostly_sustain = sustain.len() >= 3 * change.len().max(1);
    let (s1, c1) = (sustain.first().copied(), change.first().copied());
    let s2 = sustain.get(1).copied();
    let c2 = change
        .get(1)
        .copied()
        .filter(|c2| c1.is_some_and(|c| c2.segment_id != c.segment_id));
    // the sentence with up to two quotations a side of at most `words` words
    let render = |second: bool, words: usize| -> Option<(String, Vec<&Found>)> {
        let q = |f: &Found| format!("\u{201c}{}\u{201d}", shorten(&f.quote, words));
        let two = |a: &Found, b: Option<&Found>| match b.filter(|_| second) {
            Some(b) => format!("{}; {}", q(a), q(b)),
            None => q(a),
        };
        let (text, quoted): (String, Vec<Option<&Found>>) = match (s1, c1) {
            (None, None) => return None,
            (Some(s), Some(c)) if mostly_sustain => (
                format!(
                    "Client mostly argued against {changing} (sustain talk: {}), with little change talk ({}){stage_clause}.",
                    two(s, s2),
                    q(c)
                ),
                vec![Some(s), s2.filter(|_| second), Some(c)],
            ),
            (Some(s), Some(c)) => {
                let side = if c.talk == Talk::Commitment {
                    "commitment to change"
                } else {
                    "change talk"
                };
                (
                    format!(
                        "Client expressed ambivalence about {changing}: sustain talk ({}) alongside {side} ({}){stage_clause}.",
                        q(s),
                        q(c)
                    ),
                    vec![Some(s), Some(c)],
                )
            }
            (Some(s), None) => (
                format!(
                    "Client argued against {changing} (sustain talk: {}){stage_clause}.",
                    two(s, s2)
                ),
                vec![Some(s), s2.filter(|_| second)],
            ),
            (None, Some(c)) => {
                let lead = match c.talk {
                    Talk::Commitment => format!("Client voiced commitment to {toward}"),
                    Talk::Steps => format!("Client described steps already taken toward {changing}"),
                    Talk::Need => format!("Client voiced a need to {toward}"),
                    Talk::Ability => format!("Client voiced confidence in being able to {toward}"),
                    Talk::Reason => format!("Client named reasons to {toward}"),
                    Talk::Desire | Talk::Sustain => format!("Client voiced a wish to {toward}"),
                };
                (
                    format!("{lead} ({}){stage_clause}.", two(c, c2)),
                    vec![Some(c), c2.filter(|_| second)],
                )
            }
        };
        Some((text, quoted.into_iter().flatten().collect()))
    };
    // a note sentence, not a string of quotations: fewer and shorter quotations until the
    // sentence's own words are at least half of it
    let tries = [
        (true, QUOTE_WORDS),
        (false, QUOTE_WORDS),
        (false, 5),
        (false, 4),
    ];
    let mut chosen = None;
    for (second, words) in tries {
        let r = render(second, words)?;
        let ok = !super::style::mostly_quoted(&r.0);
        chosen = Some(r);
        if ok {
            break;
        }
    }
    let (text, quoted) = chosen?;
    // the quoted sentences first, then the others of either side
    let mut citations: Vec<u32> = Vec::new();
    for f in quoted.into_iter().chain(found.iter()) {
        if citations.len() < MAX_CITED && !citations.contains(&f.segment_id) {
            citations.push(f.segment_id);
        }
    }
    citations.sort_unstable();
    Some(Statement {
        text,
        citations,
        flags: vec![
            "change_talk: the client's stance toward change, found by rule in their own words; confirm the reading".into(),
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

    fn talk(s: &str) -> Option<Talk> {
        classify(s).map(|(t, _)| t)
    }

    #[test]
    fn sentences_lean_toward_or_against_change() {
        assert_eq!(
            talk("It's not really an issue for me."),
            Some(Talk::Sustain)
        );
        assert_eq!(
            talk("I have a few drinks like everybody else."),
            Some(Talk::Sustain)
        );
        assert_eq!(
            talk("I don't want to stop, it helps me unwind."),
            Some(Talk::Sustain)
        );
        assert_eq!(talk("It was just a few dollars."), Some(Talk::Sustain));
        assert_eq!(
            talk("I'm going to cut down to weekends."),
            Some(Talk::Commitment)
        );
        assert_eq!(talk("I really need to sort this out."), Some(Talk::Need));
        assert_eq!(
            talk("I'd like to get healthy for my kids."),
            Some(Talk::Desire)
        );
        assert_eq!(
            talk("I don't really want to drink anymore."),
            Some(Talk::Desire)
        );
        assert_eq!(talk("I've already cut back a lot."), Some(Talk::Steps));
        assert_eq!(
            talk("I think I could stop if I tried."),
            Some(Talk::Ability)
        );
        // doubt turns it round; questions and small talk lean nowhere
        assert_eq!(talk("I don't know if I'll stop."), Some(Talk::Sustain));
        assert_eq!(talk("Should I stop?"), None);
        assert_eq!(talk("I want to go to the mall on Saturday."), None);
        // a wish inside a negated frame is no wish
        assert_eq!(
            talk("But it's not something that's just constantly on my mind that I want to change about myself."),
            None
        );
        assert_eq!(talk("It's not what I want to change right now."), None);
        // doubt before a commitment is sustain talk, quoted from the doubt
        let s = "Honestly I don't know if I'll stop this year.";
        let (t, at) = classify(s).expect("doubt");
        assert_eq!(t, Talk::Sustain);
        assert!(
            quote_from(s, at).0.starts_with("don't know if"),
            "{}",
            quote_from(s, at).0
        );
        // someone else's view, reported, is not the client's talk
        assert_eq!(
            talk("She would tell me that she believes that I could do it."),
            None
        );
        assert_eq!(talk("My wife keeps saying I need to cut down."), None);
        assert_eq!(
            talk("She says I drink too much, but I think I could stop."),
            Some(Talk::Ability)
        );
        // a negation in an earlier clause leaves it
        assert_eq!(
            talk("It's not easy, but I want to change my drinking."),
            Some(Talk::Desire)
        );
        assert_eq!(talk("We had a lovely weekend."), None);
        assert_eq!(talk("I like to take the edge off after work."), None);
    }

    #[test]
    fn both_sides_read_as_ambivalence_with_short_quotes_from_the_client() {
        let input = session(&[
            (
                Speaker::Therapist,
                "Do you think you need to stop drinking?",
            ),
            (
                Speaker::Client,
                "Um, honestly, it's not an issue, I drink like everybody else my age.",
            ),
            (Speaker::Therapist, "And yet you came in today."),
            (
                Speaker::Client,
                "Yeah. I guess I'd like to cut down before the baby comes, you know.",
            ),
        ]);
        let st = statement(&input).expect("stance");
        assert!(
            st.text
                .starts_with("Client expressed ambivalence about changing their drinking: "),
            "{}",
            st.text
        );
        assert!(
            st.text.contains("\u{201c}It's not an issue\u{201d}"),
            "{}",
            st.text
        );
        assert!(
            st.text.contains("\u{201c}I'd like to cut down…\u{201d}"),
            "{}",
            st.text
        );
        assert_eq!(st.citations, vec![1, 3]);
        // the therapist's question is never the client's stance
        assert!(!st.citations.contains(&0));
        for quote in st.text.split('\u{201c}').skip(1) {
            let q = quote.split('\u{201d}').next().unwrap();
            assert!(q.split_whitespace().count() <= QUOTE_WORDS, "{q}");
        }
        assert!(st.flags.iter().any(|f| f.starts_with("change_talk")));
    }

    #[test]
    fn a_quotation_that_names_the_change_comes_first() {
        let input = session(&[
            (Speaker::Client, "I'm going to try that from now on."),
            (
                Speaker::Client,
                "I'm going to cut down to two drinks on weekends.",
            ),
        ]);
        let st = statement(&input).unwrap();
        assert!(st.text.contains("cut down to two"), "{}", st.text);
        assert!(vague("I think I can do that"));
        assert!(!vague("I'm going to cut down to two drinks"));
    }

    #[test]
    fn a_client_who_mostly_argues_against_change() {
        let input = session(&[
            (Speaker::Client, "It's just a bit of fun."),
            (Speaker::Client, "Honestly it's not a problem."),
            (Speaker::Client, "I didn't have a choice about coming."),
            (
                Speaker::Client,
                "Mum would be happier if I stopped, I suppose.",
            ),
        ]);
        let st = statement(&input).unwrap();
        assert!(
            st.text
                .starts_with("Client mostly argued against change (sustain talk: "),
            "{}",
            st.text
        );
        assert!(st.text.contains("little change talk"), "{}", st.text);
    }

    #[test]
    fn the_behaviour_and_its_stage_of_change_are_named_when_the_talk_is_about_one() {
        let stance = |lines: &[&str]| {
            let turns: Vec<(Speaker, &str)> = lines.iter().map(|l| (Speaker::Client, *l)).collect();
            statement(&session(&turns)).expect("stance").text
        };
        // both sides about drinking: ambivalence, contemplation
        let t = stance(&[
            "It's not an issue, I only drink at weekends.",
            "I'd like to cut down on the drinking before the baby comes.",
        ]);
        assert!(
            t.starts_with("Client expressed ambivalence about changing their drinking: "),
            "{t}"
        );
        assert!(
            t.ends_with(", consistent with the contemplation stage of change."),
            "{t}"
        );
        // a commitment: preparation
        let t = stance(&[
            "The cigarettes cost me a fortune.",
            "I'm going to stop smoking on my birthday.",
        ]);
        assert!(
            t.starts_with("Client voiced commitment to change their smoking"),
            "{t}"
        );
        assert!(t.contains("the preparation stage"), "{t}");
        // steps already taken: action
        let t = stance(&[
            "I've already cut back on the pokies.",
            "Gambling used to be every night.",
        ]);
        assert!(t.contains("toward changing their gambling"), "{t}");
        assert!(t.contains("the action stage"), "{t}");
        // only sustain talk: precontemplation
        let t = stance(&[
            "It's just a few beers.",
            "Drinking helps me relax after work.",
        ]);
        assert!(
            t.starts_with("Client argued against changing their drinking"),
            "{t}"
        );
        assert!(t.contains("the precontemplation stage"), "{t}");
        // "I think I can do that" agreeing to a plan just proposed is a commitment
        let input = session(&[
            (
                Speaker::Client,
                "I drink most weekends with my class friends.",
            ),
            (
                Speaker::Therapist,
                "So the plan is gonna be that you quit drinking this weekend.",
            ),
            (Speaker::Client, "Yeah. I think I can do that."),
        ]);
        let t = statement(&input).expect("stance").text;
        assert!(
            t.starts_with("Client voiced commitment to change their drinking"),
            "{t}"
        );
        assert!(t.contains("the preparation stage"), "{t}");
        // the same words after a question are confidence, not a commitment
        let input = session(&[
            (
                Speaker::Client,
                "I drink most weekends with my class friends.",
            ),
            (
                Speaker::Therapist,
                "How do you feel about drinking less this month?",
            ),
            (Speaker::Client, "Yeah. I think I can do that."),
        ]);
        let t = statement(&input).expect("stance").text;
        assert!(t.contains("the contemplation stage"), "{t}");
        // the topic the therapist names, which the client talks round, is the behaviour
        let input = session(&[
            (
                Speaker::Therapist,
                "How often are you on the pokies these days?",
            ),
            (
                Speaker::Client,
                "It's just a bit of cash, like everybody else my age.",
            ),
            (Speaker::Therapist, "And the gambling at the weekend?"),
            (
                Speaker::Client,
                "I don't gamble much, and I only drink on Fridays.",
            ),
        ]);
        let t = statement(&input).expect("stance").text;
        assert!(t.contains("changing their gambling"), "{t}");
        // no behaviour named twice: the stance alone, no stage
        let t = stance(&["I'd like to change how I handle my boss."]);
        assert!(t.starts_with("Client voiced a wish to change ("), "{t}");
        assert!(!t.contains("stage"), "{t}");
    }

    #[test]
    fn one_side_only_and_nothing_at_all() {
        let input = session(&[
            (Speaker::Therapist, "What will you do this week?"),
            (
                Speaker::Client,
                "I'm going to stop buying wine with the shopping.",
            ),
        ]);
        let st = statement(&input).unwrap();
        assert!(!crate::draft::style::mostly_quoted(&st.text), "{}", st.text);
        assert!(
            st.text.starts_with("Client voiced commitment to change"),
            "{}",
            st.text
        );
        // two long quotations would make the sentence mostly quotation: one stays
        let eager = session(&[
            (
                Speaker::Client,
                "I don't really want to drink anymore at all.",
            ),
            (
                Speaker::Client,
                "I really want to change things about myself this year.",
            ),
        ]);
        let st = statement(&eager).unwrap();
        assert!(!crate::draft::style::mostly_quoted(&st.text), "{}", st.text);
        assert_eq!(st.text.matches('\u{201c}').count(), 1, "{}", st.text);
        let quiet = session(&[
            (Speaker::Therapist, "How was the week?"),
            (Speaker::Client, "Busy. We painted the kitchen."),
        ]);
        assert!(statement(&quiet).is_none());
        // a dictation is the clinician's words, not the client's
        let mut d = input.clone();
        d.kind = InputKind::Dictation;
        assert!(statement(&d).is_none());
    }
}
