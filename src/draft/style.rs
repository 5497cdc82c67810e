//! The form of a drafted note: what makes a draft read like a transcript instead of a note.
//!
//! [`measure`] counts, over every statement of a draft (included or held back), the same
//! figures as the shared `note-style` reader: words, verbatim copies (8+ consecutive words of
//! one transcript utterance), mostly-quoted statements, first person outside quotes, client
//! reports that cite only therapist segments, near-duplicates (word Jaccard ≥ 0.8, or one statement's words all in another), empty
//! sections and compression (note words / transcript words). The per-statement predicates are
//! also used by the drafting checks, so a draft is held to the measure it is scored by.

use std::collections::HashSet;

use serde::Serialize;

use super::input::{Segment, Speaker};
use super::Draft;

/// Words of a text as the form measures count them: lowercase runs of `[a-z0-9']`.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_ascii_alphanumeric() || c == '\'' {
            cur.push(c.to_ascii_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Word n-grams of a text.
fn ngrams(ws: &[String], n: usize) -> HashSet<Vec<String>> {
    if ws.len() < n {
        return HashSet::new();
    }
    ws.windows(n).map(|w| w.to_vec()).collect()
}

/// The text with quoted passages removed.
pub fn outside_quotes(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '"' => inside = !inside,
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Characters inside quotation marks.
fn quoted_chars(s: &str) -> usize {
    let mut n = 0;
    let mut inside = false;
    for c in s.chars() {
        match c {
            '"' => inside = !inside,
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            _ if inside => n += 1,
            _ => {}
        }
    }
    n
}

/// First-person words (the clinician writes about the client in the third person).
pub const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "we're", "our", "us",
];

/// True when the statement uses the first person outside quotation marks.
pub fn first_person(statement: &str) -> bool {
    words(&outside_quotes(statement))
        .iter()
        .any(|w| FIRST_PERSON.contains(&w.as_str()))
}

/// Pronouns a model glues to the next word to slip copied speech past the sentence grammar.
const GLUE_PRONOUNS: &[&str] = &["i", "we", "my", "me", "you", "your", "our", "us"];
/// Real words that such a split would take for glued ones.
const NOT_GLUED: &[&str] = &[
    "mean",
    "meant",
    "means",
    "meantime",
    "meanwhile",
    "menu",
    "wear",
    "wears",
    "weary",
    "mend",
    "meat",
    "meet",
    "meets",
    "usual",
    "usually",
    "useful",
    "youth",
    "meal",
    "meals",
    "weed",
    "wean",
    "weave",
    "yours",
    "ours",
    "items",
    "iron",
    "ideal",
    "idle",
    "mere",
    "merely",
    "meth",
    "wept",
    "west",
    "wedge",
    "myth",
    "myths",
    "together",
    "altogether",
    "nevertheless",
    "furthermore",
    "therefore",
    "whatever",
    "whenever",
    "wherever",
    "forthcoming",
    "notwithstanding",
    "thereafter",
    "intonation",
];

/// Short function words a model runs into its neighbours when its sentence grammar has no
/// room left for a space ("downfrom70", "onMonday", "forthisweek").
const GLUE_FUNCTION: &[&str] = &[
    "a", "an", "and", "the", "to", "of", "on", "in", "for", "from", "with", "at", "by", "this",
    "that", "or", "but", "as", "is", "was",
];

/// Words of the statement that are words run together ("westarted", "IWorked", "mysister",
/// "downfrom70", "forthisweekandputting"): a word absent from `evidence` that splits into
/// pieces (words of the evidence, pronouns, short function words, digit runs) where a pronoun
/// (or, in a word of 8 letters or more, a function word) is one of them, or there are three or
/// more.
///
/// A word of the evidence counts in its plain and plural forms ("friend's" gives "friend" and
/// "friends": "usfriends"). A word with a capital inside it after a known word or a pronoun
/// ("youSession", "thankYou") is glued too (a name is written with a capital first: "YouTube"), unless the evidence has it.
pub fn glued_words(statement: &str, evidence: &str) -> Vec<String> {
    let plain: HashSet<String> = words(evidence).into_iter().collect();
    let mut known: HashSet<String> = HashSet::with_capacity(plain.len() * 3);
    for w in &plain {
        let base = w.strip_suffix("'s").unwrap_or(w);
        known.insert(w.clone());
        known.insert(base.to_string());
        known.insert(format!("{base}s"));
        if let Some(b) = base.strip_suffix('s') {
            known.insert(b.to_string());
        }
    }
    let mut out = Vec::new();
    for tok in statement.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}') {
        let chars: Vec<char> = tok.chars().collect();
        // (a name starts with its capital: "YouTube", "McDonald's")
        let lower_first = chars.first().is_some_and(|c| c.is_lowercase());
        let inner_capital = (2..chars.len().saturating_sub(2))
            .filter(|_| lower_first)
            .find(|&i| {
                chars[i].is_uppercase()
                    && chars[i - 1].is_lowercase()
                    && chars[i + 1..].iter().all(|c| c.is_lowercase())
            });
        if let Some(i) = inner_capital {
            let lower = tok.to_lowercase();
            let left: String = chars[..i].iter().collect::<String>().to_lowercase();
            if !plain.contains(&lower)
                && (GLUE_PRONOUNS.contains(&left.as_str())
                    || GLUE_FUNCTION.contains(&left.as_str())
                    || known.contains(&left))
            {
                out.push(lower);
            }
        }
    }
    for w in words(statement) {
        if w.len() < 4
            || plain.contains(&w)
            || out.contains(&w)
            || w.contains('\'')
            || NOT_GLUED.contains(&w.as_str())
        {
            continue;
        }
        let b = w.as_bytes();
        let n = b.len();
        // reach[i][marked][pieces]: position i reached with `pieces` (capped at 3) pieces, a
        // pronoun or function word among them when `marked`
        let mut reach = vec![[[false; 4]; 2]; n + 1];
        reach[0][0][0] = true;
        for i in 0..n {
            for marked in 0..2 {
                for pieces in 0..4 {
                    if !reach[i][marked][pieces] {
                        continue;
                    }
                    for j in i + 1..=n {
                        if i == 0 && j == n {
                            continue;
                        }
                        let Ok(p) = std::str::from_utf8(&b[i..j]) else {
                            continue;
                        };
                        // short real words ("within", "into", "income") split into two
                        // function words too: a function word counts in longer words only
                        let marker =
                            GLUE_PRONOUNS.contains(&p) || (GLUE_FUNCTION.contains(&p) && n >= 8);
                        let digits = p.bytes().all(|c| c.is_ascii_digit());
                        if marker || digits || (known.contains(p) && p.len() >= 2) {
                            let m = (marked == 1 || marker) as usize;
                            reach[j][m][(pieces + 1).min(3)] = true;
                        }
                    }
                }
            }
        }
        let end = &reach[n];
        if end[1][2] || end[1][3] || end[0][3] {
            out.push(w);
        }
    }
    out
}

/// True when more than half of the statement is quotation.
pub fn mostly_quoted(statement: &str) -> bool {
    quoted_chars(statement) * 2 > statement.chars().count().max(1)
}

/// True when the statement reports a question the client asked ("Client asked if ...",
/// "Client asks about ..."), not a request ("asked for", "asked to").
pub fn reports_a_question(statement: &str) -> bool {
    let w = words(statement);
    let i = usize::from(w.first().is_some_and(|x| x == "the"));
    w.get(i)
        .is_some_and(|x| matches!(x.as_str(), "client" | "patient" | "pt"))
        && w.get(i + 1).is_some_and(|x| {
            matches!(
                x.as_str(),
                "asked" | "asks" | "wondered" | "wonders" | "inquired" | "inquires"
            )
        })
        && !w
            .get(i + 2)
            .is_some_and(|x| matches!(x.as_str(), "for" | "to" | "that"))
}

/// True when a statement that opens with the client names "the client" again later ("Client
/// reported she would be happy if the client stopped gambling."): the model mixed two people.
pub fn names_the_client_again(statement: &str) -> bool {
    let w = words(statement);
    let first = usize::from(w.first().is_some_and(|x| x == "the"));
    w.get(first)
        .is_some_and(|x| matches!(x.as_str(), "client" | "client's"))
        && w[first + 1..]
            .windows(2)
            .any(|p| p[0] == "the" && matches!(p[1].as_str(), "client" | "client's"))
}

/// True when the statement is written as the client's report ("Client reports ...", "The
/// client stated ...").
pub fn client_report(statement: &str) -> bool {
    let w = words(statement);
    let i = usize::from(w.first().is_some_and(|x| x == "the"));
    if !about_the_client(statement) {
        return false;
    }
    // the reporting verb within the next few words (the note-style reader looks 20 chars on)
    const VERBS: &[&str] = &[
        "report", "state", "said", "say", "describ", "endors", "deni", "note", "express", "share",
        "disclos",
    ];
    w.iter()
        .skip(i + 1)
        .take(4)
        .any(|x| VERBS.iter().any(|v| x.starts_with(v)))
}

/// Whether sentences or clauses are strung together with slashes ("... family and
/// ours/Therapist reassures client .../Client expresses ..."): a slash between a word and a
/// capital ("his/her", "alcohol/cannabis" and "3/10" stay).
pub fn slashed(statement: &str) -> bool {
    let b = statement.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'/' && b[i - 1].is_ascii_lowercase() && b[i + 1].is_ascii_uppercase())
}

/// Whether a statement's subject is the client ("Client ...", "The client's ...").
pub fn about_the_client(statement: &str) -> bool {
    let w = words(statement);
    let i = usize::from(w.first().is_some_and(|x| x == "the"));
    w.get(i)
        .is_some_and(|x| matches!(x.as_str(), "client" | "patient" | "pt" | "client's"))
}

/// Whether a statement's subject is the therapist ("Therapist asks ...", "The clinician
/// used ..."): the twin of [`about_the_client`].
pub fn about_the_therapist(statement: &str) -> bool {
    let w = words(statement);
    let i = usize::from(w.first().is_some_and(|x| x == "the"));
    w.get(i).is_some_and(|x| {
        matches!(
            x.as_str(),
            "therapist" | "clinician" | "counselor" | "counsellor"
        )
    })
}

/// The transcript's 8-grams, per utterance, for verbatim detection.
pub struct Verbatim {
    grams: HashSet<Vec<String>>,
}

impl Verbatim {
    pub fn new(segments: &[Segment]) -> Verbatim {
        let mut grams = HashSet::new();
        for s in segments {
            grams.extend(ngrams(&words(&s.text), 8));
        }
        Verbatim { grams }
    }

    /// True when the statement copies 8+ consecutive words of one utterance.
    pub fn copies(&self, statement: &str) -> bool {
        ngrams(&words(statement), 8)
            .iter()
            .any(|g| self.grams.contains(g))
    }
}

/// Word Jaccard similarity at or above which two statements are near-copies: the duplicate
/// measure here and in the shared `note-style` reader.
pub const NEAR_COPY: f64 = 0.8;

/// Whether two statements are near-copies ([`NEAR_COPY`]).
pub fn near_copy(a: &str, b: &str) -> bool {
    word_jaccard(a, b) >= NEAR_COPY
}

/// Whether every word of the shorter statement (five words or more) is in the longer one: the
/// longer only adds to it ("Client expresses hope kids would be proud of them." and the same
/// "... if therapist said program was 100% important.").
pub fn contained(a: &str, b: &str) -> bool {
    let a: HashSet<String> = words(a).into_iter().collect();
    let b: HashSet<String> = words(b).into_iter().collect();
    sets_contained(&a, &b)
}

/// [`contained`] over the statements' word sets.
fn sets_contained(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.len() >= 5 && small.is_subset(large)
}

/// Word Jaccard similarity (the duplicate measure).
pub fn word_jaccard(a: &str, b: &str) -> f64 {
    let a: HashSet<String> = words(a).into_iter().collect();
    let b: HashSet<String> = words(b).into_iter().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

/// The form figures of one draft.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct StyleReport {
    pub words: usize,
    pub statements: usize,
    pub verbatim: usize,
    pub quoted: usize,
    pub first_person: usize,
    pub therapist_as_client: usize,
    pub duplicates: usize,
    pub empty_sections: Vec<String>,
    pub transcript_words: usize,
    /// Note words / transcript words.
    pub compression: f64,
    /// Examples of each problem, for reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
}

impl StyleReport {
    /// Verbatim statements / statements.
    pub fn verbatim_share(&self) -> f64 {
        self.verbatim as f64 / self.statements.max(1) as f64
    }
}

/// Measures a draft's form against the transcript it was drafted from.
pub fn measure(draft: &Draft, segments: &[Segment]) -> StyleReport {
    let verbatim = Verbatim::new(segments);
    let speaker = |id: u32| segments.iter().find(|s| s.id == id).map(|s| s.speaker);
    let mut r = StyleReport {
        transcript_words: segments.iter().map(|s| words(&s.text).len()).sum(),
        ..Default::default()
    };
    let monologue = segments.iter().all(|s| s.speaker == Speaker::Therapist);
    let mut seen: Vec<HashSet<String>> = Vec::new();
    for key in &draft.section_order {
        let Some(sec) = draft.sections.get(key) else {
            continue;
        };
        if sec.statements.is_empty() {
            r.empty_sections.push(key.clone());
        }
        for st in &sec.statements {
            let t = &st.text;
            r.statements += 1;
            r.words += words(t).len();
            if verbatim.copies(t) {
                r.verbatim += 1;
                r.examples.push(format!("verbatim: {t}"));
            }
            if mostly_quoted(t) {
                r.quoted += 1;
            }
            if first_person(t) {
                r.first_person += 1;
                r.examples.push(format!("first person: {t}"));
            }
            // a dictation (every segment the clinician's) relays the client's report: its
            // "Client reports" is not the therapist's words misattributed
            if client_report(t) && !monologue {
                let sps: Vec<Option<Speaker>> = st.citations.iter().map(|c| speaker(*c)).collect();
                if !sps.is_empty() && sps.iter().all(|s| *s == Some(Speaker::Therapist)) {
                    r.therapist_as_client += 1;
                    r.examples.push(format!("therapist as client: {t}"));
                }
            }
            let w: HashSet<String> = words(t).into_iter().collect();
            if !w.is_empty()
                && seen.iter().any(|o| {
                    w.intersection(o).count() as f64 / w.union(o).count() as f64 >= NEAR_COPY
                        || sets_contained(&w, o)
                })
            {
                r.duplicates += 1;
                r.examples.push(format!("duplicate: {t}"));
            }
            seen.push(w);
        }
    }
    r.compression = if r.transcript_words > 0 {
        r.words as f64 / r.transcript_words as f64
    } else {
        0.0
    };
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_about_the_therapist_is_told_apart() {
        assert!(about_the_therapist(
            "Therapist asks about the client's experience with prevention services, which aligns with their goals."
        ));
        assert!(about_the_therapist(
            "The therapist used reflective listening."
        ));
        assert!(!about_the_therapist(
            "Client appears motivated to reduce drinking, with ambivalence about friends."
        ));
        assert!(!about_the_therapist("Therapeutic alliance appears strong."));
    }

    #[test]
    fn clauses_strung_with_slashes_are_caught_but_a_pair_or_a_score_is_not() {
        assert!(slashed(
            "Client's confidence is higher with support from family and ours/Therapist reassures client/Client expresses confidence."
        ));
        assert!(!slashed(
            "Client uses alcohol/cannabis/cocaine at weekends."
        ));
        assert!(!slashed("Client rated his/her mood 3/10."));
        assert!(!slashed("Client described the 9/11 anniversary as hard."));
    }

    #[test]
    fn a_reported_question_is_not_a_request() {
        assert!(reports_a_question(
            "Client asked if the therapist had a real hat."
        ));
        assert!(reports_a_question("The client asks about band drinking."));
        assert!(!reports_a_question(
            "Client asked for a referral to a psychiatrist."
        ));
        assert!(!reports_a_question("Client asked to reschedule to Friday."));
        assert!(!reports_a_question("Client reports asking about the hat."));
    }

    #[test]
    fn predicates() {
        assert!(first_person("Client said my sleep is bad."));
        assert!(!first_person("Client said \"my sleep is bad\"."));
        assert!(!first_person("Client reported improved sleep."));
        assert!(mostly_quoted(
            "Reported: \"I guess it kind of started five years ago.\""
        ));
        assert!(!mostly_quoted("Client reported poor sleep (\"awful\")."));
        assert!(client_report("The client reported poor sleep."));
        assert!(client_report("Client stated that work was stressful."));
        assert!(!client_report("Therapist reviewed the sleep diary."));
    }

    #[test]
    fn the_client_named_twice_is_two_people_mixed() {
        assert!(names_the_client_again(
            "Client reported she would be happy if the client stopped gambling."
        ));
        assert!(!names_the_client_again(
            "Client reported her partner would be happy if she stopped gambling."
        ));
        assert!(!names_the_client_again(
            "Therapist asked the client to keep a sleep diary."
        ));
    }

    #[test]
    fn glued_words_are_found() {
        let ev = "I worked five shifts, we started with seventy five, nothing more we could do, my sister";
        assert_eq!(
            glued_words("Client IWorked five shifts; westarted at seventy five; mysister; nothingmorewecoulddo.", ev),
            vec!["iworked", "westarted", "mysister", "nothingmorewecoulddo"]
        );
        assert!(glued_words(
            "Client started at seventy five; the meaning of the meeting.",
            ev
        )
        .is_empty());
        // out of room for spaces, a model runs the rest of its sentence together
        let ev =
            "down from seventy, leave by five on Monday and Wednesday, put the grading on a timer";
        assert_eq!(
            glued_words(
                "Client leaves onMonday, score downfrom70, gradingontimer.",
                ev
            ),
            vec!["onmonday", "downfrom70", "gradingontimer"]
        );
        // a pronoun run into a plural of the evidence's word; a capital inside a word
        let ev = "Mostly just with us, but sometimes I'll go to a close friend's house. Thank you.";
        assert_eq!(
            glued_words(
                "Client hangs out with usfriends and said thank youSession.",
                ev
            ),
            vec!["yousession", "usfriends"]
        );
        assert!(glued_words("Client watches YouTube with friends; McDonald's.", ev).is_empty());
        // compounds and words of the evidence are not glued
        assert!(glued_words(
            "Client put the grading on a timer within the weekend, together and into the income.",
            ev
        )
        .is_empty());
    }

    #[test]
    fn verbatim_needs_eight_consecutive_words() {
        let seg = Segment {
            id: 1,
            start: 0.0,
            end: 0.0,
            speaker: Speaker::Client,
            text: "Um, yeah, I guess it kind of started like five, six years ago.".into(),
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        };
        let v = Verbatim::new(&[seg]);
        assert!(v.copies("Client reported: I guess it kind of started like five years."));
        assert!(!v.copies("Client reported the difficulties began five to six years ago."));
    }
}
