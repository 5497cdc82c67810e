//! The shape of a note sentence, enforced while the model writes it.
//!
//! Drafted statements are decoded under a regular expression (a JSON-schema `pattern`) that
//! only admits a clinical sentence: it starts with an allowed subject ("Client", "Therapist",
//! ...), contains no first- or second-person words, no speech fillers ("um", "yeah",
//! "gonna"), no quotation marks and no question marks, has a bounded number of words and ends
//! with a full stop. A small model then cannot paste the transcript's "I guess it kind of ..."
//! or the therapist's question into the note: the words it would need are not allowed.

use std::collections::BTreeMap;

/// Words a note sentence may not contain (case-insensitive): first and second person, and
/// the fillers and contractions of speech.
/// Apostrophes are not word characters (a note writes "did not", not "didn't"; only the
/// possessive "'s" is allowed at the end of a word), so contractions such as "I'm" or "we'll"
/// cannot be written at all and are not listed.
pub const BANNED_WORDS: &[&str] = &[
    "i",
    "im",
    "ive",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "us",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "um",
    "umm",
    "uh",
    "uhm",
    "hmm",
    "mm",
    "mmhmm",
    "mhm",
    "yeah",
    "yep",
    "ya",
    "gonna",
    "wanna",
    "kinda",
    "sorta",
    "gotta",
    "okay",
    "ok",
    "oh",
    "huh",
    "dunno",
];

/// Pronouns that give a person's gender. In a session's sentences they are banned too: the
/// chart records no pronouns and the model guesses them from the talk (a father written as
/// "she", a husband as "her"), so the client is "they", and anyone else is named by role
/// ("Client's mother").
pub const GENDERED: &[&str] = &[
    "he", "him", "his", "himself", "she", "her", "hers", "herself",
];

/// Characters of a word part (letters, digits and the few symbols numbers need). Parts are
/// joined by hyphens ("12-hour", "boundary-setting"); each part must not be a banned word.
const WORD_CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%/$+";

#[derive(Default)]
struct Trie {
    end: bool,
    next: BTreeMap<char, Trie>,
}

fn escape_char(c: char) -> String {
    match c {
        '\\' | '-' | '[' | ']' | '^' | '$' | '.' | '|' | '?' | '*' | '+' | '(' | ')' | '{'
        | '}' | '/' => format!("\\{c}"),
        '\u{2019}' => "\u{2019}".to_string(),
        _ => c.to_string(),
    }
}

/// A character class listing `chars`.
fn class(chars: &[char]) -> String {
    let mut s = String::from("[");
    for c in chars {
        s.push_str(&escape_char(*c));
    }
    s.push(']');
    s
}

/// The characters a banned-word trie edge stands for (both cases; `'` also as `’`).
fn variants(c: char) -> Vec<char> {
    if c == '\'' {
        vec!['\'', '\u{2019}']
    } else if c.is_ascii_alphabetic() {
        vec![c.to_ascii_lowercase(), c.to_ascii_uppercase()]
    } else {
        vec![c]
    }
}

fn prefix_regex(prefix: &[char]) -> String {
    prefix.iter().map(|c| class(&variants(*c))).collect()
}

/// Regex of one word: parts joined by hyphens, none of them a banned word (compared
/// case-insensitively), an optional possessive "'s", then an optional comma, semicolon or
/// colon.
pub fn word_regex() -> String {
    word_regex_banning(&[])
}

/// [`word_regex`] with `more` words banned besides [`BANNED_WORDS`].
fn word_regex_banning(more: &[&str]) -> String {
    format!("{}[,;:]?", bare_word_regex(more))
}

/// [`word_regex_banning`] without the trailing punctuation (the last word before the full
/// stop).
fn bare_word_regex(more: &[&str]) -> String {
    let p = part_regex(more);
    format!("{p}(?:-{p})*(?:['\u{2019}]s|n['\u{2019}]t)?")
}

/// Regex of one word part: a non-empty run of word characters that is not a banned word
/// ([`BANNED_WORDS`] and `more`).
fn part_regex(more: &[&str]) -> String {
    let mut root = Trie::default();
    for w in BANNED_WORDS.iter().chain(more) {
        let mut n = &mut root;
        for c in w.chars() {
            n = n.next.entry(c).or_default();
        }
        n.end = true;
    }
    let all: Vec<char> = WORD_CHARS.chars().collect();
    let any = class(&all);
    let mut alts = Vec::new();
    fn walk(n: &Trie, prefix: &mut Vec<char>, all: &[char], any: &str, alts: &mut Vec<String>) {
        // the word leaves the trie here: a character that no banned word continues with
        let taken: Vec<char> = n.next.keys().flat_map(|c| variants(*c)).collect();
        let rest: Vec<char> = all.iter().copied().filter(|c| !taken.contains(c)).collect();
        if !rest.is_empty() {
            alts.push(format!("{}{}{any}*", prefix_regex(prefix), class(&rest)));
        }
        // the word ends inside the trie, on a prefix that is not itself banned
        if !prefix.is_empty() && !n.end {
            alts.push(prefix_regex(prefix));
        }
        for (c, child) in &n.next {
            prefix.push(*c);
            walk(child, prefix, all, any, alts);
            prefix.pop();
        }
    }
    walk(&root, &mut Vec::new(), &all, &any, &mut alts);
    format!("(?:{})", alts.join("|"))
}

/// The pattern of a whole sentence: one of `subjects`, then 1..`max_words` more words
/// separated by single spaces, ending with a full stop.
pub fn sentence_pattern(subjects: &[&str], max_words: usize) -> String {
    pattern_banning(subjects, max_words, &[])
}

/// [`sentence_pattern`] for a sentence drafted from a session's talk: no [`GENDERED`]
/// pronoun either.
pub fn session_sentence_pattern(subjects: &[&str], max_words: usize) -> String {
    pattern_banning(subjects, max_words, GENDERED)
}

fn pattern_banning(subjects: &[&str], max_words: usize, more: &[&str]) -> String {
    let subj: Vec<String> = subjects
        .iter()
        .map(|s| s.chars().map(escape_char).collect::<String>())
        .collect();
    let w = word_regex_banning(more);
    let last = bare_word_regex(more);
    format!(
        "^(?:{})(?: {w}){{0,{}}} {last}\\.$",
        subj.join("|"),
        max_words.saturating_sub(2).max(1)
    )
}

/// Letters from which a sentence's last word is taken for a run of words: a model that reaches
/// the pattern's word limit mid-thought keeps writing without spaces ("…, and sleeping about
/// sixhoursmostnightsandgetting.").
const RUNAWAY_LETTERS: usize = 19;

/// A sentence whose last word ran on past the word limit (a very long word, or words of
/// `evidence` run together: "ittobelower"), cut back to its last complete clause (the last
/// comma or semicolon before that word) and closed with a full stop. Sentences that did not run
/// on, or have no clause to fall back to, are returned as they are (the glued-words check then
/// holds them back).
pub fn trim_runaway(text: &str, evidence: &str) -> String {
    let body = text.trim_end_matches('.');
    let Some(at) = body.rfind(' ') else {
        return text.to_string();
    };
    let last = &body[at + 1..];
    let long = last.chars().filter(|c| c.is_alphanumeric()).count() >= RUNAWAY_LETTERS;
    if !long && super::style::glued_words(last, evidence).is_empty() {
        return text.to_string();
    }
    let Some(cut) = body[..at].rfind([',', ';']) else {
        return text.to_string();
    };
    let mut kept = body[..cut].trim_end().to_string();
    // a clause that ended on a conjunction ("…, and") is not finished either
    for tail in [" and", " or", " but", " with"] {
        if let Some(k) = kept.strip_suffix(tail) {
            kept = k.trim_end_matches([',', ' ']).to_string();
        }
    }
    if kept.split_whitespace().count() < 4 {
        return text.to_string();
    }
    kept.push('.');
    kept
}

/// "we"/"our" run into the next word to slip past the grammar's ban on first person
/// ("the seventy five westarted with", "ourplan"), written in the third person instead ("they
/// started", "their plan") when the rest is a word of `evidence`. Other glued words are left
/// for the glued-words check to hold.
pub fn unglue_pronouns(text: &str, evidence: &str) -> String {
    let known: std::collections::HashSet<String> =
        super::style::words(evidence).into_iter().collect();
    let glued = super::style::glued_words(text, evidence);
    text.split(' ')
        .map(|tok| {
            let core = tok.trim_end_matches(|c: char| !c.is_alphanumeric());
            let tail = &tok[core.len()..];
            let lower = core.to_lowercase();
            // pronouns joined by a slash, one word to the grammar ("her/his thoughts"): a
            // word that is nothing else is written as "they"/"their"
            let parts: Vec<&str> = lower.split('/').collect();
            if parts.len() > 1 && parts.iter().all(|p| GENDERED.contains(p)) {
                let possessive = parts.iter().any(|p| matches!(*p, "her" | "his" | "hers"));
                return format!("{}{tail}", if possessive { "their" } else { "they" });
            }
            // a gendered pronoun run into a word to slip past a session's ban on it
            // ("if shewere to make this journey", "hisjob")
            if core.is_ascii() && !known.contains(&lower) && !GENDERED.contains(&lower.as_str()) {
                if let Some((p, rest)) = gendered_glue(&lower, &known) {
                    let rest = &core[core.len() - rest.len()..];
                    return match p {
                        "her" | "his" => format!("their {rest}{tail}"),
                        _ => format!("they {}{tail}", plural_verb(rest)),
                    };
                }
            }
            if !glued.contains(&lower) {
                return tok.to_string();
            }
            for (p, third) in [("our", "their"), ("we", "they")] {
                if let Some(rest) = lower.strip_prefix(p) {
                    if rest.len() >= 2 && known.contains(rest) {
                        return format!("{third} {}{tail}", &core[p.len()..]);
                    }
                }
            }
            tok.to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A gendered pronoun at the start of a word that is not a word of the evidence, run into a
/// word of `known` ("shewere" → ("she", "were")): "she", "her" and "his" before a word of
/// three letters or more, "he" before one of four or more ("heart" is no "he art").
fn gendered_glue<'a>(
    lower: &'a str,
    known: &std::collections::HashSet<String>,
) -> Option<(&'static str, &'a str)> {
    for p in ["she", "her", "his", "he"] {
        if let Some(rest) = lower.strip_prefix(p) {
            let min = if p == "he" { 4 } else { 3 };
            // a subject pronoun before a common verb, whether or not the evidence says it
            // ("shehad side effects"); no English word is "she"/"he" and one of these
            let verb = matches!(p, "she" | "he") && SUBJECT_VERBS.contains(&rest);
            if verb || (rest.len() >= min && known.contains(rest)) {
                return Some((p, rest));
            }
        }
    }
    None
}

/// Verbs that follow a subject pronoun; a pronoun run into one of them is a glued pronoun.
const SUBJECT_VERBS: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "does",
    "did",
    "would",
    "will",
    "could",
    "can",
    "should",
    "might",
    "may",
    "must",
    "felt",
    "feels",
    "said",
    "says",
    "wants",
    "wanted",
    "thinks",
    "thought",
    "needs",
    "needed",
    "went",
    "goes",
    "got",
    "gets",
    "became",
    "tried",
    "tries",
    "likes",
    "liked",
    "knows",
    "knew",
    "isn't",
    "wasn't",
    "hasn't",
    "doesn't",
    "didn't",
    "won't",
    "can't",
    "couldn't",
    "wouldn't",
    "describes",
    "described",
    "reports",
    "reported",
    "started",
    "stopped",
    "takes",
    "took",
    "uses",
    "used",
    "drinks",
    "drank",
    "lives",
    "lived",
];

/// The verb of "he"/"she" as "they" take it: "was" → "were", "has" → "have", "wants" →
/// "want", "tries" → "try".
fn plural_verb(v: &str) -> String {
    let lower = v.to_lowercase();
    let fixed = match lower.as_str() {
        "is" => "are",
        "was" => "were",
        "has" => "have",
        "does" => "do",
        "isn't" => "aren't",
        "wasn't" => "weren't",
        "hasn't" => "haven't",
        "doesn't" => "don't",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    if let Some(stem) = v.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["oes", "shes", "ches", "sses", "xes"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        v[..v.len() - 2].to_string()
    } else if lower.ends_with('s') && !["ss", "us", "is"].iter().any(|e| lower.ends_with(e)) {
        v[..v.len() - 1].to_string()
    } else {
        v.to_string()
    }
}

/// Subjects every note sentence may start with.
pub const SUBJECTS: &[&str] = &["Client", "Client's", "Therapist"];

/// Subjects of a plan sentence (next steps are often written without a subject).
pub const PLAN_SUBJECTS: &[&str] = &[
    "Client",
    "Client's",
    "Therapist",
    "Next session",
    "Homework",
    "Continue",
    "Follow-up",
    "Referral",
    "Plan",
];

#[cfg(test)]
mod tests {
    #[test]
    fn a_session_sentence_guesses_no_gender() {
        let session = full(&session_sentence_pattern(SUBJECTS, 16));
        let dictated = full(&sentence_pattern(SUBJECTS, 16));
        for bad in [
            "Client thinks family would support her on this journey.",
            "Client said he had stopped the medication.",
            "Client's mother would tell them she loves them.",
            "Client reported His sister helps.",
        ] {
            assert!(!session.is_match(bad), "{bad}");
            assert!(dictated.is_match(bad), "{bad}");
        }
        // words that only begin like a pronoun
        assert!(session.is_match(
            "Client's mother helps here, and their brothers and sisters herd the sheep in Shetland."
        ));
        // ... and the pronoun run into a word to slip past the ban
        let ev = "If you were to make this journey, your job and your brothers would help. He \
                  wants it and she tries.";
        assert_eq!(
            unglue_pronouns(
                "Client thinks family would help if shewere to make this journey.",
                ev
            ),
            "Client thinks family would help if they were to make this journey."
        );
        assert_eq!(
            unglue_pronouns(
                "Client said hisjob and herbrothers help, and hewants it.",
                ev
            ),
            "Client said their job and their brothers help, and they want it."
        );
        assert_eq!(
            unglue_pronouns("Client's heart says shetries.", ev),
            "Client's heart says they try."
        );
        // before a common verb the evidence need not hold it
        assert_eq!(
            unglue_pronouns(
                "Client's wife worried when shehad side effects and hewas ill.",
                ev
            ),
            "Client's wife worried when they had side effects and they were ill."
        );
        // a word that only begins like a pronoun before a verb is left alone
        assert_eq!(
            unglue_pronouns("Client sheds tears; hedges, helps, shelters.", ev),
            "Client sheds tears; hedges, helps, shelters."
        );
        assert_eq!(
            unglue_pronouns(
                "Therapist asked about her/his thoughts, and he/she agreed.",
                ev
            ),
            "Therapist asked about their thoughts, and they agreed."
        );
    }

    #[test]
    fn glued_we_and_our_become_third_person() {
        let ev = "Your score came out at seventy one, lower than the seventy five we started with. Our plan stays.";
        assert_eq!(
            unglue_pronouns(
                "Client's score was seventy one, lower than the seventy five westarted with.",
                ev
            ),
            "Client's score was seventy one, lower than the seventy five they started with."
        );
        assert_eq!(
            unglue_pronouns("Therapist reviewed ourplan.", ev),
            "Therapist reviewed their plan."
        );
        // real words and words the evidence does not hold stay as they are
        assert_eq!(
            unglue_pronouns("Client went west.", ev),
            "Client went west."
        );
        assert_eq!(
            unglue_pronouns("Client weirdly wept.", ev),
            "Client weirdly wept."
        );
    }

    use super::*;

    fn full(p: &str) -> regex::Regex {
        regex::Regex::new(p).expect("the pattern compiles")
    }

    #[test]
    fn a_sentence_that_ran_past_its_word_limit_is_cut_back_to_its_last_clause() {
        assert_eq!(
            trim_runaway("Client tried the exercise three times, left by five on Monday, and sleeping about sixhoursmostnightsandgetting.", ""),
            "Client tried the exercise three times, left by five on Monday."
        );
        // a short run of the evidence's words is found with the evidence
        assert_eq!(
            trim_runaway(
                "Client scored seventy one on the burnout scale, down from seventy five, and did not expect ittobelower.",
                "I didn't expect it to be lower, seventy one"
            ),
            "Client scored seventy one on the burnout scale, down from seventy five."
        );
        // a long real word, or no clause to fall back to: unchanged
        let ok = "Client described the intervention as counterproductive.";
        assert_eq!(trim_runaway(ok, ""), ok);
        let none = "Client reported sleepingaboutsixhoursmostnights.";
        assert_eq!(trim_runaway(none, ""), none);
    }

    #[test]
    fn words_exclude_first_person_and_fillers_only() {
        let re = full(&format!("^{}$", word_regex()));
        for ok in [
            "Client",
            "Client's",
            "it",
            "in",
            "Iris",
            "mother",
            "use-based",
            "meditation",
            "12-hour",
            "75%",
            "okayed",
            "Monday,",
            "sleep;",
            "boundary-setting",
            "mindset",
            "didn't",
            "wasn't",
        ] {
            assert!(re.is_match(ok), "{ok} should be allowed");
        }
        for bad in [
            "I",
            "i",
            "I'm",
            "I\u{2019}m",
            "I've-worked",
            "my-sister",
            "we'llsee",
            "I'd",
            "my",
            "My",
            "MY",
            "we",
            "our",
            "you",
            "Your",
            "um",
            "yeah",
            "Yeah,",
            "gonna",
            "mm-hmm",
            "work-my",
            "-",
            "a--b",
        ] {
            assert!(!re.is_match(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn sentences_start_with_a_subject_and_end_with_a_stop() {
        let re = full(&sentence_pattern(SUBJECTS, 12));
        assert!(re.is_match("Client reported sleeping about five hours on most nights."));
        assert!(
            re.is_match("Therapist introduced a boundary-setting script, practiced in role-play.")
        );
        assert!(!re.is_match("Reported: \"Welcome back, Alex.\""));
        assert!(!re.is_match("Client said I guess it started six years ago."));
        assert!(!re.is_match("Client asked what was, do you mean hide behind it?"));
        assert!(!re.is_match("Client reported poor sleep"));
        assert!(!re.is_match("Client reported poor sleep,."));
        assert!(!re.is_match(
            "Client reported that work and sleep and family and money and health were all hard lately."
        ));
    }
}
