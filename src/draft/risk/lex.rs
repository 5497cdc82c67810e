//! Text layer of the risk scan: normalization (case, quotes, stutters, fillers, contractions,
//! the clinical abbreviations SI/HI), sentences, words and the clause barriers that bound the
//! scope of a negation.
//!
//! Rules match against [`Sentence::text`]: lowercase words joined by single spaces, with
//! contractions expanded (`don't` → `do not`, `I'd` → `i would`, `it's` → `it is`) and no
//! punctuation, so a pattern never has to spell a contraction twice.

use std::sync::LazyLock;

use regex::Regex;

/// One sentence of a segment, normalized.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// The sentence as written (trimmed), for showing to the clinician.
    pub original: String,
    /// Normalized words joined by single spaces.
    pub text: String,
    /// The words of `text`.
    pub words: Vec<String>,
    /// Byte offset in `text` where each word starts.
    pub starts: Vec<usize>,
    /// `barrier[i]`: a clause boundary lies just before word `i` (a negation before it does not
    /// reach past it).
    pub barrier: Vec<bool>,
    /// The sentence ends with a question mark.
    pub question: bool,
}

impl Sentence {
    /// Index of the word that contains byte offset `at` of `text`.
    pub fn word_at(&self, at: usize) -> usize {
        match self.starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Index one past the last word that starts before byte offset `end`.
    pub fn word_end(&self, end: usize) -> usize {
        self.starts.partition_point(|&s| s < end)
    }

    /// First word index of the clause that holds word `i`.
    pub fn clause_start(&self, i: usize) -> usize {
        (0..=i.min(self.words.len().saturating_sub(1)))
            .rev()
            .find(|&j| self.barrier[j])
            .unwrap_or(0)
    }

    /// One past the last word index of the clause that holds word `i`.
    pub fn clause_end(&self, i: usize) -> usize {
        (i + 1..self.words.len())
            .find(|&j| self.barrier[j])
            .unwrap_or(self.words.len())
    }

    /// Whether any of `words` occurs in the sentence.
    pub fn has_any(&self, words: &[&str]) -> bool {
        self.words.iter().any(|w| words.contains(&w.as_str()))
    }
}

/// Words that open a new clause after a comma (a subject or a discourse marker).
const CLAUSE_OPENERS: &[&str] = &[
    "i",
    "it",
    "that",
    "this",
    "he",
    "she",
    "they",
    "we",
    "you",
    "there",
    "and",
    "so",
    "or",
    "like",
    "maybe",
    "sometimes",
    "well",
    "honestly",
    "actually",
    "then",
    "now",
    "my",
    "what",
    "everything",
    "nothing",
    "life",
    "which",
    "who",
    "more",
    "no",
    "yes",
    "yeah",
    "not",
];
/// Subject words: ", and" before one of these opens a clause.
const SUBJECTS: &[&str] = &[
    "i",
    "it",
    "that",
    "this",
    "he",
    "she",
    "they",
    "we",
    "you",
    "there",
    "sometimes",
    "then",
];
/// Words that always open a new clause.
const CONJUNCTION_BARRIERS: &[&str] = &[
    "but", "though", "although", "however", "except", "whereas", "if", "whether", "because",
    "unless", "until", "since", "when", "while", "just", "only", "instead", "rather",
];

static STUTTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b([a-z']{1,12})(?:-+\s?([a-z']{1,12})\b)").unwrap());
static FILLER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:u+m+|u+h+|e+r+m+|h+m+|m+h*m+|uh-huh)\b,?").unwrap());
/// Spoken fillers set off by commas ("I've been thinking about, like, killing myself", "it's,
/// you know, too much"): dropped so the words around them meet.
/// Dialect "me" for "my" before a relative or a body part ("me mum", "me head").
static ME_POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bme (mum|mam|mom|dad|da|nan|nana|gran|brother|sister|husband|wife|missus|kids|son|daughter|ex|fella|partner|boyfriend|girlfriend|mates?|family|boss|head|arms?|legs?|wrists?|own)\b").unwrap()
});
static SPLIT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(my|your|him|her|them|our|it) (self|selves)\b|\b(over) (dose|doses|dosed|dosing)\b",
    )
    .unwrap()
});
static SPOKEN_FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s*(?:like|you know|i mean|kind of|sort of|basically|literally|honestly|actually|right|okay|so)\s*,|^(?:like|you know|so|okay|well|yeah so|i mean)\s*,\s*|\b(?:you know|i mean)\s*,\s*").unwrap()
});
static ABBREV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(S\.?I\.?)|(H\.?I\.?)|(NSSI|SIB)|(SH))(?:\b|$)|\b(?:S\.I\.|H\.I\.)").unwrap()
});
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[.!?;]+["')\]]*(?:\s+|$)|\n+"#).unwrap());

/// Expands the clinical abbreviations a dictation uses (only in capitals, so "Hi" stays a
/// greeting): SI, HI, NSSI/SIB, SH.
pub fn expand_abbreviations(text: &str) -> String {
    ABBREV
        .replace_all(text, |c: &regex::Captures| {
            let m = c.get(0).unwrap().as_str();
            let letters: String = m.chars().filter(|c| c.is_ascii_alphabetic()).collect();
            let word = match letters.as_str() {
                "SI" => "suicidal ideation",
                "HI" => "homicidal ideation",
                "NSSI" | "SIB" => "self-harm",
                "SH" => "self-harm",
                _ => return m.to_string(),
            };
            // "SI." at the end of a sentence keeps its period ("S.I." is all abbreviation)
            let end_dot = m.ends_with('.') && m.matches('.').count() == 1;
            format!("{word}{}", if end_dot { "." } else { "" })
        })
        .into_owned()
}

/// Lowercases and expands contractions; removes fillers and stutters; returns the normalized
/// text with punctuation kept (commas matter for clause barriers).
pub fn normalize(text: &str) -> String {
    let t = expand_abbreviations(text);
    let mut t = t
        .replace(['\u{2019}', '\u{2018}', '`'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2014}', '\u{2013}'], ", ")
        .replace("--", ", ")
        .replace('\u{2026}', ", ")
        .replace("...", ", ")
        .replace('/', ", ")
        .to_lowercase();
    t = FILLER.replace_all(&t, " ").into_owned();
    t = ME_POSSESSIVE.replace_all(&t, "my $1").into_owned();
    // words whisper writes apart ("killing my self", "an over dose")
    t = SPLIT_WORDS
        .replace_all(&t, |c: &regex::Captures| {
            let part = |a: usize, b: usize| c.get(a).or(c.get(b)).map_or("", |m| m.as_str());
            format!("{}{}", part(1, 3), part(2, 4))
        })
        .into_owned();
    // stutters: "i-i-i", "th- the", "f-f-for": drop the first part when the second starts the
    // same way (repeated: each pass joins one pair)
    for _ in 0..4 {
        let next = STUTTER
            .replace_all(&t, |c: &regex::Captures| {
                let a = &c[1];
                let b = &c[2];
                if b.starts_with(a) || a.starts_with(b) {
                    b.to_string()
                } else {
                    c[0].to_string()
                }
            })
            .into_owned();
        if next == t {
            break;
        }
        t = next;
    }
    // repeated words ("i i", "the the")
    let mut words: Vec<&str> = Vec::new();
    for w in t.split(' ') {
        if !w.is_empty()
            && words
                .last()
                .is_some_and(|l| *l == w && w.chars().all(char::is_alphabetic))
        {
            continue;
        }
        words.push(w);
    }
    t = words.join(" ");
    for _ in 0..2 {
        t = SPOKEN_FILLER.replace_all(&t, " ").into_owned();
    }
    expand_contractions(&t)
}

fn expand_contractions(t: &str) -> String {
    const FIXED: &[(&str, &str)] = &[
        ("won't", "will not"),
        ("can't", "can not"),
        ("cannot", "can not"),
        ("shan't", "shall not"),
        ("ain't", "is not"),
        ("let's", "let us"),
        ("gonna", "going to"),
        ("wanna", "want to"),
        ("gotta", "got to"),
        ("kinda", "kind of"),
        ("sorta", "sort of"),
        ("'cause", "because"),
        ("y'all", "you all"),
        // typed or transcribed without the apostrophe (unambiguous ones only: not "its",
        // "ill", "were", "well", "id", "hed", "shed", "lets")
        ("dont", "do not"),
        ("didnt", "did not"),
        ("doesnt", "does not"),
        ("isnt", "is not"),
        ("wasnt", "was not"),
        ("arent", "are not"),
        ("werent", "were not"),
        ("havent", "have not"),
        ("hasnt", "has not"),
        ("hadnt", "had not"),
        ("wouldnt", "would not"),
        ("couldnt", "could not"),
        ("shouldnt", "should not"),
        ("mustnt", "must not"),
        ("cant", "can not"),
        ("wont", "will not"),
        ("aint", "is not"),
        ("ive", "i have"),
        ("youve", "you have"),
        ("weve", "we have"),
        ("theyve", "they have"),
        ("im", "i am"),
        ("youre", "you are"),
        ("theyre", "they are"),
        ("theres", "there is"),
        ("thats", "that is"),
        ("whats", "what is"),
        ("hes", "he is"),
        ("shes", "she is"),
        ("youll", "you will"),
        ("theyll", "they will"),
        ("cos", "because"),
        ("coz", "because"),
        ("cuz", "because"),
    ];
    const IS_BEFORE: &[&str] = &[
        "it",
        "that",
        "what",
        "there",
        "here",
        "he",
        "she",
        "who",
        "where",
        "how",
        "everything",
        "nothing",
        "life",
        "this",
        "something",
        "everyone",
        "somebody",
        "someone",
        "nobody",
    ];
    let mut out = String::with_capacity(t.len() + 16);
    for (i, raw) in t.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // split leading/trailing punctuation off the word
        let lead_len = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let core_end = raw
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .len();
        if lead_len >= core_end {
            out.push_str(raw);
            continue;
        }
        let (lead, core, tail) = (&raw[..lead_len], &raw[lead_len..core_end], &raw[core_end..]);
        let core = core.trim_end_matches('\'');
        out.push_str(lead);
        if let Some((_, e)) = FIXED.iter().find(|(k, _)| *k == core) {
            out.push_str(e);
        } else if let Some(stem) = core.strip_suffix("n't") {
            out.push_str(stem);
            out.push_str(" not");
        } else if let Some(stem) = core.strip_suffix("'m") {
            out.push_str(stem);
            out.push_str(" am");
        } else if let Some(stem) = core.strip_suffix("'re") {
            out.push_str(stem);
            out.push_str(" are");
        } else if let Some(stem) = core.strip_suffix("'ve") {
            out.push_str(stem);
            out.push_str(" have");
        } else if let Some(stem) = core.strip_suffix("'ll") {
            out.push_str(stem);
            out.push_str(" will");
        } else if let Some(stem) = core.strip_suffix("'d") {
            out.push_str(stem);
            out.push_str(" would");
        } else if let Some(stem) = core.strip_suffix("'s") {
            out.push_str(stem);
            if IS_BEFORE.contains(&stem) {
                out.push_str(" is");
            }
        } else {
            out.push_str(core);
        }
        out.push_str(tail);
    }
    out
}

/// Answers that stand as sentences of their own however short ("no. i want to.", "him. her
/// new fella.").
const ANSWER_WORDS: &[&str] = &[
    "no", "yes", "yeah", "yep", "yup", "nah", "nope", "okay", "ok", "sure", "right", "never",
    "maybe", "not", "really", "correct", "exactly", "mm", "mhm", "him", "her", "them", "me",
    "myself", "you", "us", "both",
];

/// A period that is a pause in transcribed speech, not a sentence end: written speech in lower
/// case broken into fragments of a few words ("it'd be easier if i just. wasn't. around.",
/// "i did try. once. with the pills."). The period is a pause when the text goes on in lower
/// case and the fragment before it, or the one after it, has at most three words, neither
/// being a bare answer ("no.", "yeah.").
fn fragment_pause(before: &str, end: &str, rest: &str) -> bool {
    if end.trim_end() != "." || !rest.starts_with(|c: char| c.is_lowercase()) {
        return false;
    }
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let next_end = SENTENCE_END.find(rest).map_or(rest.len(), |m| m.start());
    let (a, b) = (words(before), words(&rest[..next_end]));
    let bare_answer = |ws: &[String]| ws.iter().all(|w| ANSWER_WORDS.contains(&w.as_str()));
    if a.is_empty() || b.is_empty() || bare_answer(&a) || bare_answer(&b) {
        return false;
    }
    // the fragment before ends lower case too (a capitalised sentence is a sentence)
    !before.trim_start().starts_with(|c: char| c.is_uppercase()) && (a.len() <= 3 || b.len() <= 3)
}

/// Splits raw segment text into sentences and normalizes each.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut last_end = 0;
    let mut push = |piece: &str| {
        let original = piece.trim();
        if original.is_empty() {
            return;
        }
        let question = original
            .trim_end_matches(['"', '\'', ')', ']', ' '])
            .ends_with('?');
        if let Some(s) = sentence(original, question) {
            out.push(s);
        }
    };
    for m in SENTENCE_END.find_iter(text) {
        // a period inside an abbreviation or a number ("Dr.", "2.5") is not an end
        let piece = &text[from..m.end()];
        let last_word = text[from..m.start()]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let abbrev = m.as_str().starts_with('.')
            && matches!(
                last_word.to_lowercase().as_str(),
                "dr" | "mr"
                    | "mrs"
                    | "ms"
                    | "pt"
                    | "st"
                    | "vs"
                    | "e.g"
                    | "i.e"
                    | "approx"
                    | "s.i"
                    | "h.i"
            );
        let decimal = m.as_str() == "."
            && text[..m.start()].ends_with(|c: char| c.is_ascii_digit())
            && text[m.end()..].starts_with(|c: char| c.is_ascii_digit());
        // a pause within a sentence ("I fantasise about just... not being"): a trailing-off
        // before a word in lower case goes on
        let pause = m.as_str().starts_with("...")
            && text[m.end()..].starts_with(|c: char| c.is_lowercase());
        let fragment = fragment_pause(&text[last_end..m.start()], m.as_str(), &text[m.end()..]);
        last_end = m.end();
        if abbrev || decimal || pause || fragment {
            continue;
        }
        push(piece);
        from = m.end();
    }
    push(&text[from..]);
    out
}

/// Builds one normalized sentence.
pub fn sentence(original: &str, question: bool) -> Option<Sentence> {
    let norm = normalize(original);
    let mut words: Vec<String> = Vec::new();
    let mut barrier: Vec<bool> = Vec::new();
    let mut pending_comma = false;
    for raw in norm.split_whitespace() {
        let lead_comma = raw.starts_with([',', ':', '(', '"']);
        let trail_comma = raw.ends_with([',', ':', ')', '"']);
        let w: String = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '\'' | '-'))
            .collect();
        let w = w.trim_matches('\'').to_string();
        if w.is_empty() {
            pending_comma |= lead_comma || trail_comma || raw.contains(',');
            continue;
        }
        let after_comma = pending_comma || lead_comma;
        let b = words.is_empty()
            || CONJUNCTION_BARRIERS.contains(&w.as_str())
            || (after_comma && CLAUSE_OPENERS.contains(&w.as_str()));
        barrier.push(b);
        words.push(w);
        // ", and"/", or" open a clause only before a subject ("..., and I wish"), not in a
        // list ("denies SI, plan, or intent")
        let n = words.len();
        if n >= 2 && barrier[n - 2] && matches!(words[n - 2].as_str(), "and" | "or") && n - 2 > 0 {
            barrier[n - 2] = SUBJECTS.contains(&words[n - 1].as_str());
        }
        pending_comma = trail_comma;
    }
    if words.is_empty() {
        return None;
    }
    let mut text = String::new();
    let mut starts = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(w);
    }
    Some(Sentence {
        original: original.to_string(),
        text,
        words,
        starts,
        barrier,
        question,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn speech_broken_into_fragments_is_one_sentence() {
        let texts = |t: &str| -> Vec<String> {
            super::sentences(t)
                .into_iter()
                .map(|s| s.text.trim_end_matches(['.', '?']).to_string())
                .collect()
        };
        assert_eq!(
            texts("like uh. it'd be easier if i just. wasn't. around. you know?").len(),
            1
        );
        assert_eq!(
            texts("i did try. once. with the pills. nobody knows that").len(),
            1
        );
        // a bare answer stands alone; capitalised sentences stay apart
        assert_eq!(texts("no. i want to go home.").len(), 2);
        assert_eq!(texts("Yeah. I slept badly. Work was long.").len(), 3);
        assert_eq!(
            texts("i went to the shop and bought bread. then i walked home along the river.").len(),
            2
        );
    }

    use super::*;

    #[test]
    fn contractions_stutters_and_fillers() {
        let words = |s: &str| {
            normalize(s)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            words("I-I don't, um, want to be here. It'd be easier; I'm done."),
            "i do not, want to be here. it would be easier; i am done."
        );
        assert_eq!(
            words("I-I-I been thinking about, like, killing myself, you know, f-f-for real."),
            "i been thinking about killing myself for real."
        );
        assert_eq!(
            words("I won't. She's gone. My mom's car. Denies SI/HI."),
            "i will not. she is gone. my mom car. denies suicidal ideation, homicidal ideation."
        );
    }

    #[test]
    fn abbreviations_only_in_capitals() {
        assert_eq!(
            expand_abbreviations("Denies SI/HI. Hi there."),
            "Denies suicidal ideation/homicidal ideation. Hi there."
        );
    }

    #[test]
    fn sentences_and_barriers() {
        let s = sentences("I don't want to kill myself, but sometimes it'd be easier. Do you?");
        assert_eq!(s.len(), 2);
        assert!(s[1].question && !s[0].question);
        let first = &s[0];
        assert_eq!(
            first.text,
            "i do not want to kill myself but sometimes it would be easier"
        );
        let but = first.words.iter().position(|w| w == "but").unwrap();
        assert!(first.barrier[but]);
        assert_eq!(first.clause_start(but + 2), but);
        assert_eq!(first.clause_end(1), but);
        // "never, ever" is one clause
        let s = &sentences("I would never, ever hurt myself.")[0];
        assert!(!s.barrier[4]);
    }
}
