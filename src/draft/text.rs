//! Text helpers for the checks: words, light stemming, numbers and lexical support scores.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Words that carry no content for support scoring (function words and note boilerplate).
const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "it's",
    "that's",
    "don't",
    "didn't",
    "can't",
    "won't",
    "isn't",
    "wasn't",
    "let's",
    "you're",
    "you've",
    "we'll",
    "we're",
    "there's",
    "he's",
    "she's",
    "really",
    "maybe",
    "kind",
    "like",
    "well",
    "okay",
    "ok",
    "yes",
    "yeah",
    "um",
    "uh",
    "honestly",
    "actually",
    "guess",
    "think",
    "thing",
    "things",
    "lot",
    "get",
    "got",
    "getting",
    "go",
    "going",
    "gone",
    "went",
    "make",
    "made",
    "still",
    "even",
    "much",
    "many",
    "way",
    // note boilerplate: allowed in a statement without support from the transcript
    "client",
    "clients",
    "client's",
    "patient",
    "therapist",
    "clinician",
    "counselor",
    "session",
    "sessions",
    "today",
    "reports",
    "reported",
    "report",
    "reporting",
    "states",
    "stated",
    "said",
    "says",
    "describes",
    "described",
    "describing",
    "discussed",
    "discuss",
    "discussing",
    "noted",
    "notes",
    "indicated",
    "indicates",
    "expressed",
    "expresses",
    "mentioned",
    "mentions",
    "shared",
    "shares",
    "explored",
    "feel",
    "feels",
    "feeling",
    "felt",
    "experiencing",
    "experienced",
    "experiences",
    "currently",
    "recent",
    "recently",
    "since",
    "last",
    "week",
    "per",
    "agreed",
    "agrees",
    "plan",
    "will",
    "continue",
    "continues",
];

/// The periods a text says how often something happens by ("a few times a week" → week,
/// "every other weekend" → weekend, "three nights a week" → week, "most days" → day, "once a
/// fortnight" → fortnight); amounts per period ("five hours a night") are not how often.
pub fn frequency_periods(t: &str) -> Vec<&'static str> {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:times|once|twice) (?:a|per|each|every)|every(?: other)?|(?:days|nights|evenings|mornings|weekends) (?:a|per|each)|most) (day|night|morning|evening|week|weekend|month|fortnight|year)s?\b",
        )
        .expect("pattern")
    });
    const PERIODS: &[&str] = &[
        "day",
        "night",
        "morning",
        "evening",
        "week",
        "weekend",
        "month",
        "fortnight",
        "year",
    ];
    RE.captures_iter(t)
        .filter_map(|c| {
            let p = c[1].to_lowercase();
            PERIODS.iter().copied().find(|q| *q == p)
        })
        .collect()
}

/// How a note may name a period ("daily" for every day, "every two weeks" for a fortnight).
pub fn period_forms(period: &str) -> &'static [&'static str] {
    match period {
        "day" => &["day", "daily"],
        "night" => &["night"],
        "morning" => &["morning"],
        "evening" => &["evening"],
        "week" => &["week"],
        "weekend" => &["weekend"],
        "month" => &["month"],
        "fortnight" => &["fortnight", "two weeks", "other week", "biweekly"],
        _ => &["year", "annual"],
    }
}

/// The days of the week, lowercase.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// True for a stop word or note boilerplate.
pub fn is_stop(w: &str) -> bool {
    STOP.contains(&w)
}

/// Lowercased word tokens (letters, digits, inner `'` `-` `.` `/` kept inside tokens like
/// `phq-9`, `5.5`, `3/10`), with spelled-out numbers turned into digits
/// (`seventy one` → `71`, `ten` → `10`).
pub fn words(text: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = matches!(c, '\'' | '’' | '-' | '.' | '/')
            && !cur.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            cur.extend(if c == '’' { '\'' } else { c }.to_lowercase());
        } else if !cur.is_empty() {
            raw.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        raw.push(cur);
    }
    merge_number_words(raw)
}

fn unit_value(w: &str) -> Option<u64> {
    const UNITS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    UNITS.iter().position(|u| *u == w).map(|p| p as u64)
}

fn tens_value(w: &str) -> Option<u64> {
    const TENS: &[&str] = &[
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    TENS.iter()
        .position(|u| *u == w)
        .map(|p| 20 + 10 * p as u64)
}

fn merge_number_words(raw: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i].as_str();
        // hyphenated: seventy-one
        if let Some((a, b)) = w.split_once('-') {
            if let (Some(t), Some(u)) = (tens_value(a), unit_value(b)) {
                if u < 10 {
                    out.push((t + u).to_string());
                    i += 1;
                    continue;
                }
            }
        }
        if let Some(t) = tens_value(w) {
            let mut v = t;
            let mut j = i + 1;
            if let Some(u) = raw.get(j).and_then(|n| unit_value(n)) {
                if (1..10).contains(&u) {
                    v += u;
                    j += 1;
                }
            }
            out.push(v.to_string());
            i = j;
            continue;
        }
        if let Some(u) = unit_value(w) {
            if raw.get(i + 1).is_some_and(|n| n == "hundred") {
                out.push((u * 100).to_string());
                i += 2;
                continue;
            }
            out.push(u.to_string());
            i += 1;
            continue;
        }
        if w == "hundred" {
            out.push("100".into());
            i += 1;
            continue;
        }
        out.push(raw[i].clone());
        i += 1;
    }
    out
}

/// A light stem: the Snowball (Porter 2) English stem, then at most 5 characters
/// (`sleeping`/`sleep`, `declined`/`declining`, `exhausted`/`exhaustion`, `times`/`time`,
/// `writing`/`write` match).
pub fn stem(w: &str) -> String {
    static ENGLISH: LazyLock<rust_stemmers::Stemmer> =
        LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
    let w = w.trim_end_matches("'s");
    if w.chars().any(|c| c.is_ascii_digit()) {
        return w.to_string();
    }
    ENGLISH.stem(&w.to_lowercase()).chars().take(5).collect()
}

/// Content stems of a text (stop words and boilerplate removed).
pub fn content_stems(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stop(w))
        .flat_map(|w| {
            // split compounds like "12-hour" or "3/10" into their parts as well
            let parts: Vec<String> = w
                .split(['-', '/'])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            if parts.len() > 1 {
                parts
            } else {
                vec![w]
            }
        })
        .filter(|w| !is_stop(w))
        .map(|w| stem(&w))
        .collect()
}

/// Fraction of the statement's content stems found in the evidence (1.0 for a statement
/// without content words).
pub fn support(statement: &str, evidence: &str) -> f64 {
    let st = content_stems(statement);
    if st.is_empty() {
        return 1.0;
    }
    let ev: HashSet<String> = content_stems(evidence).into_iter().collect();
    let hit = st.iter().filter(|s| ev.contains(*s)).count();
    hit as f64 / st.len() as f64
}

/// Jaccard similarity of content stems (for de-duplication).
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: HashSet<String> = content_stems(a).into_iter().collect();
    let b: HashSet<String> = content_stems(b).into_iter().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

/// Numbers mentioned in a text, normalized (digits; spelled-out numbers converted; parts of
/// ranges and ratios split: `3/10` → 3, 10; `10-11` → 10, 11). Numbers that are part of a
/// measure's name (`phq-9`, `gad-7`) are not counted.
pub fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        let parts: Vec<&str> = w.split(['-', '/']).collect();
        let is_name = parts.len() > 1
            && parts[0].chars().any(|c| c.is_ascii_alphabetic())
            && parts[1..]
                .iter()
                .all(|p| p.chars().all(|c| c.is_ascii_digit()));
        if is_name {
            continue;
        }
        out.extend(parts.into_iter().filter_map(number_in_word).map(fmt_num));
    }
    out
}

/// The number a word token holds, letters run into it aside ("7", "be100" as transcribed,
/// "3rd").
pub fn number_in_word(w: &str) -> Option<f64> {
    let p = w.trim_matches(|c: char| c.is_ascii_alphabetic());
    if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.') {
        p.parse().ok()
    } else {
        None
    }
}

/// The share of the evidence's content stems that a statement holds (how much of what was
/// said it says); 0 for evidence without content words.
pub fn coverage(statement: &str, evidence: &str) -> f64 {
    let said: HashSet<String> = content_stems(evidence).into_iter().collect();
    if said.is_empty() {
        return 0.0;
    }
    let written: HashSet<String> = content_stems(statement).into_iter().collect();
    said.intersection(&written).count() as f64 / said.len() as f64
}

/// Whether two numbers are easily confused as spoken words: a teen and its unit ("nineteen",
/// "nine"), a multiple of ten and its unit ("sixty", "six").
fn confusable(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
        return false;
    };
    let one_way = |x: u32, y: u32| {
        (13..=19).contains(&y) && y % 10 == x || (2..=9).contains(&x) && y == x * 10
    };
    a != b && (one_way(a, b) || one_way(b, a))
}

/// Whether a word token is a number in digits (`words` turns spoken numbers into digits).
fn is_num(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Numbers of `statement` that neither `evidence` nor the chart's numbers give (the same
/// check for a fact as it is written and for the note's statements).
pub fn numbers_not_found(
    statement: &str,
    evidence: &str,
    chart_numbers: &HashSet<String>,
) -> Vec<String> {
    let said: HashSet<String> = numbers(evidence).into_iter().collect();
    numbers(statement)
        .into_iter()
        .filter(|n| !said.contains(n) && !chart_numbers.contains(n))
        .collect()
}

/// Proper names, days and named measures of `statement` that neither `evidence_lower` nor
/// `chart_lower` (both lowercased) contains.
pub fn names_not_found(statement: &str, evidence_lower: &str, chart_lower: &str) -> Vec<String> {
    proper_names(statement)
        .into_iter()
        .filter(|n| {
            let l = n.to_lowercase();
            !evidence_lower.contains(&l) && !chart_lower.contains(&l)
        })
        .collect()
}

/// Numbers of a statement attached to the wrong thing: a number whose neighbouring content
/// word (within three words of the same sentence, four letters or more, not a stop word)
/// stands in the evidence only beside other numbers, one of them easily confused with it
/// ("PHQ-9 seventeen, nine at intake" against "seventeen, compared with nineteen at intake":
/// "intake" goes with 19, not 9). A number with no such word, found beside the word somewhere
/// in the evidence, or only beside unrelated numbers ("ninety in the moment" against "in the
/// moment, from zero to one hundred? Ninety.") is not judged.
pub fn misplaced_numbers(statement: &str, evidence: &str) -> Vec<String> {
    const NEAR: usize = 3;
    let key = |w: &str| (w.len() >= 4 && !is_stop(w) && !is_num(w)).then(|| stem(w));
    // words of each sentence (a neighbour across a full stop is another matter)
    let clauses = |t: &str| -> Vec<Vec<String>> {
        static END: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"[.!?;](?:\s|$)").expect("pattern"));
        END.split(t).map(words).filter(|w| !w.is_empty()).collect()
    };
    // numbers beside each content stem in the evidence
    let mut beside: std::collections::HashMap<String, HashSet<String>> =
        std::collections::HashMap::new();
    for ew in clauses(evidence) {
        for (i, w) in ew.iter().enumerate() {
            let Some(k) = key(w) else { continue };
            let lo = i.saturating_sub(NEAR);
            let hi = (i + NEAR + 1).min(ew.len());
            let nums = beside.entry(k).or_default();
            for n in ew[lo..hi].iter().filter(|x| is_num(x)) {
                nums.insert(n.clone());
            }
        }
    }
    let mut out = wrong_units(statement, evidence);
    for sw in clauses(statement) {
        for (i, n) in sw.iter().enumerate() {
            if !is_num(n) || out.contains(n) {
                continue;
            }
            let lo = i.saturating_sub(NEAR);
            let hi = (i + NEAR + 1).min(sw.len());
            // the nearest words the evidence gives numbers to: "nine at intake, endorsed" is
            // about the intake, whatever "endorsed" stood beside
            let contexts: Vec<(usize, &HashSet<String>)> = (lo..hi)
                .filter_map(|j| Some((j.abs_diff(i), beside.get(&key(&sw[j])?)?)))
                .filter(|(_, nums)| !nums.is_empty())
                .collect();
            let nearest = contexts.iter().map(|(d, _)| *d).min().unwrap_or(0);
            let judged: Vec<&HashSet<String>> = contexts
                .iter()
                .filter(|(d, _)| *d == nearest)
                .map(|(_, nums)| *nums)
                .collect();
            if !judged.is_empty()
                && judged.iter().all(|nums| !nums.contains(n))
                && judged
                    .iter()
                    .any(|nums| nums.iter().any(|m| confusable(n, m)))
            {
                out.push(n.clone());
            }
        }
    }
    out
}

/// Units a count or a span is given in: a number said with one of them in the evidence and
/// written with another is a different fact ("five hours of sleep" is not "five nights").
const MEASURE_UNITS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "night",
    "morning",
    "evening",
    "afternoon",
    "day",
    "week",
    "month",
    "year",
    "time",
    "shift",
    "session",
    "drink",
    "beer",
    "glass",
    "cigarette",
    "attack",
    "pound",
    "kilo",
    "mile",
    "dollar",
    "point",
    "page",
    "step",
    "cup",
    "pill",
];

/// Words that may stand between a number and its unit ("five consecutive nights").
const UNIT_FILLERS: &[&str] = &[
    "consecutive",
    "extra",
    "more",
    "straight",
    "full",
    "whole",
    "long",
    "short",
    "separate",
    "different",
    "other",
    "additional",
    "or",
    "so",
    "fewer",
    "less",
];

/// The unit right after the number at `i` in `w` (plural or not), if any: a number followed
/// by another number ("five twelve hour shifts") has none.
fn unit_after(w: &[String], i: usize) -> Option<&'static str> {
    let mut j = i + 1;
    while w.get(j).is_some_and(|x| UNIT_FILLERS.contains(&x.as_str())) {
        j += 1;
    }
    let next = w.get(j)?;
    MEASURE_UNITS
        .iter()
        .find(|u| next == *u || next.strip_suffix('s') == Some(**u))
        .copied()
}

/// Numbers written with a unit the evidence never gives them, where the evidence does give
/// them a unit ("five consecutive nights of poor sleep" against "Five in a row. ... maybe five
/// hours of sleep a night"). A number the evidence says only without a unit is not judged.
fn wrong_units(statement: &str, evidence: &str) -> Vec<String> {
    let ew = words(evidence);
    let mut said: std::collections::HashMap<&str, HashSet<&'static str>> =
        std::collections::HashMap::new();
    for (i, n) in ew.iter().enumerate() {
        if !is_num(n) {
            continue;
        }
        if let Some(u) = unit_after(&ew, i) {
            said.entry(n.as_str()).or_default().insert(u);
        }
    }
    let sw = words(statement);
    let mut out = Vec::new();
    for (i, n) in sw.iter().enumerate() {
        if !is_num(n) || out.contains(n) {
            continue;
        }
        let (Some(u), Some(units)) = (unit_after(&sw, i), said.get(n.as_str())) else {
            continue;
        };
        if !units.contains(u) {
            out.push(n.clone());
        }
    }
    out
}

/// A number as digits: no trailing `.0` for whole numbers.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Capitalized words inside a sentence that look like names, dates or named measures
/// (not sentence-initial, not common words).
pub fn proper_names(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "i",
        "client",
        "therapist",
        "clinician",
        "patient",
        "the",
        "a",
        "an",
        "she",
        "he",
        "they",
        "we",
        "it",
        "plan",
        "assessment",
        "subjective",
        "objective",
        "data",
        "behavior",
        "intervention",
        "response",
        "goal",
        "no",
        "yes",
        "ok",
        "okay",
    ];
    let mut out = Vec::new();
    let mut sentence_start = true;
    for tok in text.split_whitespace() {
        let clean: String = tok
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_string();
        let starts_upper = clean.chars().next().is_some_and(|c| c.is_uppercase());
        if !clean.is_empty()
            && starts_upper
            && !sentence_start
            && !COMMON.contains(&clean.to_lowercase().as_str())
        {
            out.push(clean.clone());
        }
        let abbrev = matches!(clean.as_str(), "Dr" | "Mr" | "Mrs" | "Ms" | "St");
        sentence_start =
            (tok.ends_with(['.', '!', '?', ':', ';', '"']) && !abbrev) || tok.starts_with('"');
        if tok.starts_with('"') && clean.is_empty() {
            sentence_start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_the_share_of_what_was_said() {
        let said = "Plan, increase sessions to weekly, refer to her physician. Next appointment Tuesday at ten.";
        let all = coverage(
            "Therapist will increase sessions to weekly, refer to her physician; next appointment Tuesday at ten.",
            said,
        );
        let day = coverage("Next appointment scheduled for Tuesday at ten.", said);
        assert!(all > 0.8 && day <= 0.5 && all > day + 0.2, "{all} {day}");
        assert_eq!(coverage("Anything.", ""), 0.0);
    }

    #[test]
    fn a_number_beside_the_wrong_thing_is_found() {
        let evidence = "PHQ-9 today is seventeen, compared with nineteen at intake. On item nine she endorsed several days of thoughts.";
        assert_eq!(
            misplaced_numbers("Client rates PHQ-9 at seventeen, nine at intake.", evidence),
            vec!["9".to_string()]
        );
        assert!(misplaced_numbers("PHQ-9 was 17, down from 19 at intake.", evidence).is_empty());
        assert!(misplaced_numbers(
            "Client sleeps six hours on weeknights and eight on weekends.",
            "About six hours during the week, and on weekends maybe eight."
        )
        .is_empty());
        assert!(misplaced_numbers(
            "Client's burnout score of seventy one is lower than the seventy five they started with.",
            "Your score came out at seventy one today, compared with seventy five when we started."
        )
        .is_empty());
        // a number with nothing to judge it by is left alone
        assert!(
            misplaced_numbers("Client reported 3 panic attacks.", "Three, I think.").is_empty()
        );
        // a number in another unit than the one it was said in
        let sleep = "Not well. I'm getting maybe five hours of sleep a night. I lie awake replaying things.";
        assert_eq!(
            misplaced_numbers(
                "Client reported five consecutive nights of poor sleep.",
                sleep
            ),
            vec!["5".to_string()]
        );
        assert!(
            misplaced_numbers("Client reported sleeping five hours a night.", sleep).is_empty()
        );
        // a number said without a unit, or followed by another number, is not judged
        assert!(misplaced_numbers(
            "Client worked five shifts in a row.",
            "I worked five twelve hour shifts in a row."
        )
        .is_empty());
        assert!(misplaced_numbers("Client had two attacks.", "Two, on the train.").is_empty());
        assert_eq!(
            misplaced_numbers(
                "Client reported five consecutive nights of poor sleep.",
                &format!("Five in a row. How did your sleep hold up? {sleep}")
            ),
            vec!["5".to_string()]
        );
        let plan = "We did behavioral activation planning. She agreed to walk for fifteen minutes on three mornings and to call her choir friend Ana before Sunday.";
        assert_eq!(
            misplaced_numbers("Next session scheduled in three weeks.", plan),
            vec!["3".to_string()]
        );
        let both = "PHQ-9 today is seventeen, compared with nineteen at intake. On item nine she endorsed several days of thoughts that she would be better off dead. On direct assessment she described passive death wishes without a plan or intent, and she named her two daughters as strong reasons for living. No access to firearms.";
        assert_eq!(
            misplaced_numbers(
                "Client rates PHQ-9 at seventeen, nine at intake, endorsed thoughts of death.",
                both
            ),
            vec!["9".to_string()]
        );
    }

    #[test]
    fn number_words_become_digits() {
        assert_eq!(
            numbers("score of seventy one, down from seventy-five"),
            vec!["71", "75"]
        );
        assert_eq!(
            numbers("ten to eleven hours, mood 3/10"),
            vec!["10", "11", "3", "10"]
        );
        assert_eq!(numbers("PHQ-9 today is seventeen"), vec!["17"]);
        assert_eq!(
            numbers("five 12-hour shifts and 5.5 hrs"),
            vec!["5", "12", "5.5"]
        );
        assert!(numbers("one hundred").contains(&"100".to_string()));
    }

    #[test]
    fn support_uses_stems_and_ignores_boilerplate() {
        let seg = "I'm getting maybe five hours of sleep a night.";
        assert!(support("Client reports sleeping about 5 hours per night.", seg) > 0.7);
        assert!(support("Client denies suicidal ideation.", seg) < 0.3);
        assert_eq!(stem("declined"), stem("declining"));
        // inflections whose suffix is not a plain cut ("times" once stemmed to "tim" and so
        // escaped the generic "time": the client's "a few times" counted as the client's own
        // content in "Client has walked away with money in pocket after 12 times", the
        // therapist's question written as the answer)
        for (a, b) in [
            ("times", "time"),
            ("liked", "like"),
            ("writing", "write"),
            ("used", "use"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
        assert_ne!(stem("money"), stem("month"));
    }

    #[test]
    fn names_skip_sentence_starts() {
        let n = proper_names("Client met Dr. Smith on Tuesday. She said PHQ-9 was high.");
        assert_eq!(n, vec!["Dr", "Smith", "Tuesday", "PHQ-9"]);
        // a list joined by semicolons starts each item with a capital
        let n =
            proper_names("Client reports exhaustion; Difficulty sleeping; Treatment goals met.");
        assert!(n.is_empty(), "{n:?}");
    }
}
