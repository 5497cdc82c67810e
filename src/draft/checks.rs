//! Checks run on every drafted statement: citations, support, numbers, names, mental-status
//! defaults and risk claims. Findings become flags shown to the reviewer.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::input::{DraftInput, InputKind, Speaker};
use super::risk::{self, Risk};
use super::{style, text};

/// Support score below which a statement is flagged `low_support`.
pub const MIN_SUPPORT: f64 = 0.5;
/// Cosine similarity (all-MiniLM-L6-v2) at which a paraphrase counts as supported by its
/// cited segments when it shares too few words with them.
pub const MIN_MEANING_SUPPORT: f64 = 0.6;

/// Where a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Written by the language model.
    Model,
    /// Restated from the cited segment by the rule-based extractor.
    Extractive,
    /// Written from a fixed template (the risk summary, the fallback when the model fails).
    Template,
}

/// One statement of a note section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub text: String,
    /// Segment ids the statement rests on.
    pub citations: Vec<u32>,
    /// Check findings, `code` or `code:detail` (see [`BLOCKING`]).
    pub flags: Vec<String>,
    /// Lexical support of the statement by its cited segments, 0..1.
    pub support: f64,
    pub origin: Origin,
    /// False when a blocking flag keeps the statement out of the section text; the reviewer
    /// still sees it (with its flags) and may accept it.
    pub included: bool,
}

/// Flag codes that keep a statement out of the section text until a reviewer accepts it.
pub const BLOCKING: &[&str] = &[
    "uncited",
    "low_support",
    "number_not_found",
    "number_misplaced",
    "name_not_found",
    "unobserved_default",
    "risk_unsupported",
    "duplicate",
    "verbatim",
    "first_person",
    "speaker_mismatch",
    "quoted",
    "negation_unsupported",
    "negation_lost",
    "period_changed",
    "glued",
    "asked",
    "therapist_words",
    "therapist_named",
    "vacuous",
    // set where a suggestion is made, not by a check: it stays through later checks
    "suggested",
];

/// Mental-status "normal defaults" a model likes to write; each with the words that must
/// occur in the transcript for it to be an observation rather than a default.
const MSE_DEFAULTS: &[(&str, &[&str])] = &[
    ("alert and oriented", &["oriented"]),
    ("oriented x", &["oriented"]),
    ("a&o", &["oriented"]),
    ("aox", &["oriented"]),
    ("euthymic", &["euthymic"]),
    ("well groomed", &["groom"]),
    ("well-groomed", &["groom"]),
    ("appropriately dressed", &["dress"]),
    ("good eye contact", &["eye contact"]),
    ("normal speech", &["speech"]),
    ("speech was normal", &["speech"]),
    ("normal rate", &["speech"]),
    ("linear", &["linear"]),
    ("goal-directed", &["goal-directed", "goal directed"]),
    ("goal directed", &["goal-directed", "goal directed"]),
    ("no acute distress", &["distress"]),
    ("insight and judgment", &["insight", "judgment"]),
    ("judgment intact", &["judgment"]),
    ("judgment is intact", &["judgment"]),
    ("insight intact", &["insight"]),
    ("cooperative", &["cooperat"]),
    ("full range", &["range"]),
    ("congruent", &["congruent"]),
    ("hallucinat", &["hallucinat"]),
    ("psychosis", &["psycho"]),
    ("psychotic", &["psycho"]),
    ("appropriate affect", &["affect"]),
    ("affect appropriate", &["affect"]),
    ("no si/hi", &["suicid", "kill", "homicid"]),
    ("no si", &["suicid", "kill"]),
    ("no hi", &["homicid", "hurt someone"]),
    ("denies si", &["suicid", "kill"]),
    ("denies hi", &["homicid", "hurt someone"]),
    ("memory intact", &["memory"]),
    ("within normal limits", &["normal limits"]),
    ("wnl", &["normal limits"]),
];

/// Inputs shared by the checks of one draft.
pub struct CheckContext<'a> {
    pub input: &'a DraftInput,
    /// Sentence embeddings for support by meaning (a paraphrase shares few words with what
    /// it restates); without it support is lexical only.
    pub encoder: Option<&'a crate::embed::SentenceEncoder>,
    pub risk: &'a Risk,
    transcript_lower: String,
    chart_lower: String,
    chart_numbers: HashSet<String>,
    verbatim: super::style::Verbatim,
}

impl<'a> CheckContext<'a> {
    pub fn new(input: &'a DraftInput, risk: &'a Risk) -> CheckContext<'a> {
        let transcript_lower = input
            .segments
            .iter()
            .map(|s| s.text.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        let chart = input.client.all_text();
        CheckContext {
            input,
            encoder: None,
            risk,
            transcript_lower,
            chart_lower: chart.to_lowercase(),
            chart_numbers: text::numbers(&chart).into_iter().collect(),
            verbatim: super::style::Verbatim::new(&input.segments),
        }
    }

    /// Runs every check on a statement, replacing its flags, support and `included`.
    /// Informational flags already present (e.g. `extractive`) are kept.
    pub fn check(&self, st: &mut Statement) {
        self.check_with(st, "");
    }

    /// [`Self::check`] for a composed sentence: `extra` is the text of the checked facts it
    /// was written from, which count as evidence alongside the cited segments.
    pub fn check_with(&self, st: &mut Statement, extra: &str) {
        st.flags.retain(|f| !is_check_flag(f));
        let mut flags = Vec::new();
        // 1. citations must exist
        let mut kept = Vec::new();
        for id in &st.citations {
            if self.input.segment(*id).is_some() {
                if !kept.contains(id) {
                    kept.push(*id);
                }
            } else {
                flags.push(format!("citation_dropped:{id}"));
            }
        }
        st.citations = kept;
        if st.citations.is_empty() {
            flags.push("uncited".to_string());
        }
        let mut cited: String = st
            .citations
            .iter()
            .filter_map(|id| self.input.segment(*id))
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if !extra.is_empty() {
            cited.push('\n');
            cited.push_str(extra);
        }
        let cited_lower = cited.to_lowercase();
        // 2. support
        st.support = if st.citations.is_empty() {
            0.0
        } else {
            text::support(&st.text, &cited)
        };
        if !st.citations.is_empty() && st.support < MIN_SUPPORT {
            // a paraphrase: support by meaning, against the cited text as a whole and each
            // cited segment
            if let Some(enc) = self.encoder {
                let mut texts: Vec<&str> = vec![st.text.as_str(), cited.as_str()];
                texts.extend(
                    st.citations
                        .iter()
                        .filter_map(|id| self.input.segment(*id))
                        .map(|s| s.text.as_str()),
                );
                // a composed sentence: each fact it combines, one by one
                texts.extend(extra.lines().map(str::trim).filter(|l| !l.is_empty()));
                if let Ok(v) = enc.encode(&texts) {
                    let best = v[1..]
                        .iter()
                        .map(|e| crate::embed::cosine(&v[0], e) as f64)
                        .fold(0.0, f64::max);
                    if best >= MIN_MEANING_SUPPORT {
                        st.support = st.support.max(best);
                    }
                }
            }
            if st.support < MIN_SUPPORT {
                flags.push("low_support".to_string());
            }
        }
        // 3. numbers
        for n in text::numbers_not_found(&st.text, &cited, &self.chart_numbers) {
            flags.push(format!("number_not_found:{n}"));
        }
        // a number beside the wrong thing ("nine at intake" where the intake score was 19)
        for n in text::misplaced_numbers(&st.text, &cited) {
            flags.push(format!("number_misplaced:{n}"));
        }
        // 4. names, dates, named measures
        for name in text::names_not_found(&st.text, &cited_lower, &self.chart_lower) {
            flags.push(format!("name_not_found:{name}"));
        }
        // 5. mental-status defaults never observed
        let lower = st.text.to_lowercase();
        for (phrase, evidence) in MSE_DEFAULTS {
            if contains_word(&lower, phrase)
                && !evidence.iter().any(|e| self.transcript_lower.contains(e))
            {
                flags.push(format!("unobserved_default:{phrase}"));
            }
        }
        // 6. risk claims must match the risk block
        if let Some(f) = risk::check_statement(&st.text, self.risk) {
            flags.push(f);
        }
        // 7. a negation the cited words do not make ("denied", "did not", "no ...")
        if has_negation(&st.text) && !has_negation(&cited) {
            flags.push(
                "negation_unsupported: the statement negates; the cited segments do not".into(),
            );
        }
        // 7b. ... and the denial the client made, turned into its opposite ("Client said they
        // took their medicine today" for "I didn't take my medication today")
        let lost = denial_reversed(self.input, &st.text, &st.citations);
        if !lost.is_empty() {
            flags.push(format!(
                "negation_lost: says what the client's words deny ({})",
                lost.join(", ")
            ));
        }
        // 7c. how often, by the question's period instead of the answer's ("a few times in the
        // last month" for "How many times in the last month?" / "A few times a week.")
        let changed = period_changed(self.input, &st.text, &st.citations);
        if !changed.is_empty() {
            flags.push(format!(
                "period_changed: says how often by another period than the client ({})",
                changed.join(", ")
            ));
        }
        // 8. the form of a note: written, not pasted; third person; the right speaker
        // (a dictation is the clinician's own note text: keeping its words is right)
        if self.input.kind == InputKind::Session && self.verbatim.copies(&st.text) {
            flags.push("verbatim: copies 8 or more consecutive words of the transcript".into());
        }
        if style::mostly_quoted(&st.text) {
            flags.push("quoted: mostly a quotation".into());
        }
        if style::first_person(&st.text) {
            flags.push("first_person: written in the first person".into());
        }
        if style::slashed(&st.text) {
            flags.push("glued: sentences run together with slashes".into());
        }
        let glued = style::glued_words(&st.text, &cited);
        if !glued.is_empty() {
            flags.push(format!("glued: words run together ({})", glued.join(", ")));
        }
        if style::client_report(&st.text) {
            let therapist_only = !st.citations.is_empty()
                && st.citations.iter().all(|c| {
                    self.input
                        .segment(*c)
                        .is_some_and(|s| s.speaker == Speaker::Therapist)
                });
            if therapist_only && self.input.kind == InputKind::Session {
                flags.push(
                    "speaker_mismatch: written as the client's report but cites only the therapist"
                        .into(),
                );
            }
            // "Client reported she would be happy if the client stopped gambling.": the client
            // named again inside their own report is someone else's view told as theirs
            if style::names_the_client_again(&st.text) {
                flags.push(
                    "speaker_mismatch: names the client again inside the client's own report (someone else's view?)"
                        .into(),
                );
            }
        }
        // 9. the client's report in the therapist's words, where the client said something
        // else ("Client is one of the guys who might bail out" for "Are you one of those guys
        // who bail out?" / "No, this is important to me")
        if therapist_words(self.input, self.encoder, &st.text, &st.citations) {
            flags.push(
                "therapist_words: written as the client's, in the words of the therapist's question; the client's answer says something else"
                    .into(),
            );
        }
        // 10. the therapist put into the client's story where the client spoke to no one
        // ("Client said they walked away a bit quicker than the therapist" for "they walk away
        // a bit quicker than me")
        if therapist_named(self.input, &st.text, &st.citations) {
            flags.push(
                "therapist_named: the client's report names the therapist, but the client's words address no one"
                    .into(),
            );
        }
        // 11. a question the client put is what they asked, not what they said of themselves
        // ("Client asked if the therapist had a real hat"); a request ("asked for a
        // referral", "asked to reschedule") is kept
        if style::reports_a_question(&st.text) {
            flags.push(
                "asked: reports a question the client asked, not a finding; keep it if it matters"
                    .into(),
            );
        }
        // 12. a sentence that says nothing a reviewer can use ("Client indicates typical
        // drinking amounts.", "Client reported being here for a reason.")
        if vacuous(&st.text) {
            flags.push(
                "vacuous: names no finding (a vague word and at most one specific one)".into(),
            );
        }
        flags.dedup();
        st.flags.extend(flags);
        st.included = !st.flags.iter().any(|f| is_blocking(f));
    }
}

/// Whether a session statement of the client's report names the therapist ("... quicker than
/// the therapist", "... what the therapist might say about gambling") while none of the
/// client's cited words speaks to anyone ("you", fillers like "you know" aside): the model
/// turned the client's "me" or a third person into the therapist. Agreements, plans, thanks,
/// suggestions and questions that name the therapist are left alone.
pub fn therapist_named(input: &DraftInput, statement: &str, ids: &[u32]) -> bool {
    const ABOUT_THE_SESSION: &[&str] = &[
        "agree",
        "meet",
        "session",
        "appointment",
        "thank",
        "suggest",
        "advice",
        "advis",
        "recommend",
        "ask",
        "plan",
        "discuss",
        "prais",
        "told",
        "tell",
    ];
    if input.kind != InputKind::Session || !style::about_the_client(statement) {
        return false;
    }
    let words = style::words(statement);
    if !words.iter().any(|w| w == "therapist" || w == "therapist's") {
        return false;
    }
    if words
        .iter()
        .any(|w| ABOUT_THE_SESSION.iter().any(|a| w.starts_with(a)))
    {
        return false;
    }
    let client: Vec<String> = ids
        .iter()
        .filter_map(|id| input.segment(*id))
        .filter(|s| s.speaker == Speaker::Client)
        .map(|s| super::facts::clean_speech(&s.text))
        .collect();
    let addressed = client.iter().any(|t| {
        style::words(t).iter().any(|w| {
            matches!(
                w.as_str(),
                "you" | "your" | "yours" | "you're" | "you've" | "you'll" | "you'd" | "ya"
            )
        })
    });
    !client.is_empty() && !addressed
}

/// Whether a session statement about the client takes its content from the therapist's words
/// among `ids` and none from the client's, when the client's words are more than a bare answer
/// (a "yes" or "no" to a closed question leaves the question's words to say what was
/// confirmed or denied) and do not mean what the statement says.
pub fn therapist_words(
    input: &DraftInput,
    encoder: Option<&crate::embed::SentenceEncoder>,
    statement: &str,
    ids: &[u32],
) -> bool {
    if input.kind != InputKind::Session || !style::about_the_client(statement) {
        return false;
    }
    let (mut client, mut therapist) = (String::new(), String::new());
    for s in ids.iter().filter_map(|id| input.segment(*id)) {
        match s.speaker {
            Speaker::Client => client.push_str(&s.text),
            Speaker::Therapist => therapist.push_str(&s.text),
            Speaker::Unknown => return false,
        }
        client.push(' ');
        therapist.push(' ');
    }
    // a clause joined to the client's own words takes the question's claim as well as a whole
    // statement does ("Client is confident in sorting out issues related to money and
    // gambling, and has a few drinks like everyone else." for "How confident are you that you
    // can sort out the issues ...?" / "I don't think there is much to sort. I have a few drinks
    // like everybody else my age.")
    let taken = if takes_therapist_words(statement, &client, &therapist) {
        statement
    } else {
        match joined_clauses(statement)
            .into_iter()
            .find(|c| takes_therapist_words(c, &client, &therapist))
        {
            Some(c) => c,
            None => return false,
        }
    };
    // a paraphrase of the client's answer shares its meaning, not its words
    match encoder.map(|e| e.encode(&[taken, client.as_str()])) {
        Some(Ok(v)) => (crate::embed::cosine(&v[0], &v[1]) as f64) < MIN_MEANING_SUPPORT,
        _ => true,
    }
}

/// The clauses of a written sentence joined by ", and", ", but", "; " or ", while" (the first
/// with its subject), when it has more than one.
fn joined_clauses(statement: &str) -> Vec<&str> {
    static JOINS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i),\s*(?:and|but|while|although|though)\s+|;\s*")
            .expect("clause joins")
    });
    let parts: Vec<&str> = JOINS
        .split(statement)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        parts
    } else {
        Vec::new()
    }
}

/// Words of a statement about the client that say nothing of what they said ("Client
/// reported knowing ...", "the thing"): left out when comparing its words to the speakers'.
const GENERIC: &[&str] = &[
    "client",
    "therapist",
    "report",
    "say",
    "said",
    "state",
    "describ",
    "express",
    "mention",
    "share",
    "agre",
    "know",
    "think",
    "thought",
    "feel",
    "felt",
    "thing",
    "want",
    "like",
    "tell",
    "told",
    "get",
    "go",
    "make",
    "way",
    "lot",
    "time",
    "realli",
    "just",
    "also",
    "acknowledg",
    "believ",
    "consid",
    "discuss",
    "talk",
    "explain",
    "note",
    "ask",
    "will",
    "plan",
];

/// [`GENERIC`] as [`text::stem`]s, built once for every statement checked.
static GENERIC_STEMS: std::sync::LazyLock<HashSet<String>> =
    std::sync::LazyLock::new(|| GENERIC.iter().map(|w| text::stem(w)).collect());

/// Words that stand in for a finding without naming it ([`text::stem`]s: five letters at
/// most).
const VAGUE: &[&str] = &[
    "typic", "certa", "vario", "amoun", "issu", "reaso", "situa", "aspec", "matte", "topic",
    "stuff", "indic", "area", "facto", "regar", "subje",
];

/// Whether a statement about the client names no finding: a vague word ("typical amounts",
/// "issues", "for a reason") and at most one specific word beside the reporting ones. "Client
/// feels anxious." names one (no vague word); "Client discussed issues at work." names none.
/// Thanks at a session's end are no finding either: a statement that thanks and names at most
/// two other things ("Client thanked the therapist for the suggestions.", "Client will be back
/// and thank suggestions.").
pub fn vacuous(statement: &str) -> bool {
    if !style::about_the_client(statement) {
        return false;
    }
    let generic = &*GENERIC_STEMS;
    let stems = text::content_stems(statement);
    let vague = |w: &String| VAGUE.iter().any(|v| w.starts_with(v));
    let thanks = |w: &String| w.starts_with("thank");
    let specific = stems
        .iter()
        .filter(|w| !generic.contains(*w) && !vague(w) && !thanks(w))
        .count();
    stems.iter().any(vague) && specific <= 1 || stems.iter().any(thanks) && specific <= 2
}

/// Words of an answer that only confirm, deny or hedge.
const ANSWER: &[&str] = &[
    "yes", "yeah", "yep", "ye", "ok", "okay", "sure", "right", "definit", "absolut", "exact",
    "alright", "fine", "good", "great", "true", "correct", "guess", "suppos", "mayb", "probabl",
    "realli", "just", "no", "nope", "nah", "never", "not", "don't", "well", "mm", "hmm", "mm-hmm",
    "uh-huh", "agre", "sound", "think",
];

/// Content words of their own from which a client's yes to a reflection is an answer of its
/// own, not a confirmation of the reflection's words.
const OWN_SAY: usize = 4;

/// Words that agree.
const ASSENT: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "ok",
    "okay",
    "sure",
    "alright",
    "definitely",
    "absolutely",
    "agree",
    "fine",
    "good",
    "great",
    "will",
    "can",
    "right",
];

/// Whether `statement` takes at least two content words from the therapist's words and none
/// from the client's, while the client's words hold more than a bare answer. A word the client
/// said only under a negation is theirs only where the statement negates it too ("Client is
/// confident in sorting out the issues" for "How confident are you that you can sort out the
/// issues?" / "I don't think there is much to sort." takes the question's claim).
pub fn takes_therapist_words(statement: &str, client: &str, therapist: &str) -> bool {
    let generic = &*GENERIC_STEMS;
    let answer: HashSet<String> = ANSWER.iter().map(|w| text::stem(w)).collect();
    let own: HashSet<String> = text::content_stems(statement)
        .into_iter()
        .filter(|w| !generic.contains(w))
        .collect();
    // an answer that opens with a yes takes up what was asked ("Yes, please. I didn't know
    // that existed." to an offer of the employee assistance program's information)
    // ("Yeah, but ..." takes it up only to set it aside); a yes to a reflection that goes on
    // to say something of its own ("You don't sound like you think that's gonna work." /
    // "Yeah. It's one thing to control my own drinking, and another when everyone around me
    // is drinking ...") is reported by what it goes on to say
    let answer_words = style::words(client);
    let opens_with_assent = answer_words.first().is_some_and(|w| {
        [
            "yes",
            "yeah",
            "yep",
            "yup",
            "ok",
            "okay",
            "sure",
            "alright",
            "absolutely",
            "definitely",
        ]
        .contains(&w.as_str())
    }) && answer_words.get(1).is_none_or(|w| w != "but");
    let c: HashSet<String> = text::content_stems(client).into_iter().collect();
    let own_say = c
        .iter()
        .filter(|w| !answer.contains(*w) && !generic.contains(*w))
        .count();
    if opens_with_assent && (therapist.contains('?') || own_say < OWN_SAY) {
        return false;
    }
    let t: HashSet<String> = text::content_stems(therapist).into_iter().collect();
    // "Client agreed ..." needs an assent ("I don't know, you tell me" is none)
    let agreed = style::words(statement)
        .iter()
        .any(|w| w.starts_with("agree"));
    let assent = style::words(client)
        .iter()
        .any(|w| ASSENT.contains(&w.as_str()));
    let said = c
        .iter()
        .any(|w| !answer.contains(w) && !generic.contains(w))
        || agreed && !assent;
    let (client_affirms, _) = polarity(client);
    let (_, statement_negates) = polarity(statement);
    let from_client = own
        .iter()
        .filter(|w| client_affirms.contains(*w) || statement_negates.contains(*w) && c.contains(*w))
        .count();
    let from_therapist = own
        .iter()
        .filter(|w| t.contains(*w) && !c.contains(*w))
        .count();
    said && from_client == 0 && from_therapist >= 2
}

/// The periods a session statement about the client names ("in the last month") when the
/// client's cited words say how often by other periods ("a few times a week") and the
/// statement names none of theirs: the question's window written as the answer's frequency.
pub fn period_changed(input: &DraftInput, statement: &str, ids: &[u32]) -> Vec<&'static str> {
    const PERIODS: &[&str] = &[
        "day",
        "days",
        "daily",
        "night",
        "nights",
        "week",
        "weeks",
        "weekly",
        "weekend",
        "weekends",
        "month",
        "months",
        "monthly",
        "fortnight",
        "year",
        "years",
    ];
    let Some((client, _)) = client_evidence(input, statement, ids) else {
        return Vec::new();
    };
    let said = text::frequency_periods(&client);
    let lower = statement.to_lowercase();
    if said.is_empty()
        || said
            .iter()
            .any(|p| text::period_forms(p).iter().any(|f| lower.contains(f)))
    {
        return Vec::new();
    }
    let words = style::words(statement);
    let mut named: Vec<&'static str> = PERIODS
        .iter()
        .copied()
        .filter(|p| words.iter().any(|w| w == p))
        .collect();
    named.dedup();
    named
}

/// [`negation_lost`] for a session statement about the client and the segments it cites:
/// the client's words among them against the therapist's. Empty for a dictation, for a
/// statement about someone else, and where the cited segments hold no client words.
pub fn denial_reversed(input: &DraftInput, statement: &str, ids: &[u32]) -> Vec<String> {
    match client_evidence(input, statement, ids) {
        Some((client, others)) => {
            let mut lost = negation_lost(statement, &client, &others);
            lost.extend(phrase_lost(statement, &client));
            lost
        }
        None => Vec::new(),
    }
}

/// A phrase of three words that the client said right after a negation and that a statement
/// without any negation says as theirs, person changed ("Client explained the medicine makes
/// them feel like they are all there" for "I don't really feel like I'm all there"): a denial
/// reversed in words [`negation_lost`] cannot see, since none of them carries content alone.
/// Negations in the client's questions are left out ("Why don't you come up with something
/// else?" denies nothing), and so is a phrase of function words only.
pub fn phrase_lost(statement: &str, client: &str) -> Vec<String> {
    let said = person_words(statement);
    if said
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") || w == "dislike")
        || said
            .iter()
            .any(|w| STOPPING.contains(&w.as_str()) || w == "less")
    {
        return Vec::new();
    }
    let mut lost = Vec::new();
    for sentence in super::input::split_sentences(client) {
        if sentence.trim_end().ends_with('?') {
            continue;
        }
        for clause in sentence.split([',', ';', '—', '–']) {
            let words = person_words(clause);
            for (i, w) in words.iter().enumerate() {
                if !(NEGATIONS.contains(&w.as_str()) || w.ends_with("n't")) {
                    continue;
                }
                // the negated words, a few past the negation
                let span: Vec<&String> = words[i + 1..].iter().take(PHRASE_REACH).collect();
                for g in span.windows(3) {
                    let content = g.iter().any(|w| !PHRASE_FUNCTION.contains(&w.as_str()));
                    let found = said
                        .windows(3)
                        .any(|s| s.iter().zip(g).all(|(a, b)| a == *b));
                    let phrase = g.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" ");
                    if content && found && !lost.contains(&phrase) {
                        lost.push(phrase);
                    }
                }
            }
        }
    }
    lost
}

/// How many words after a negation [`phrase_lost`] reads.
const PHRASE_REACH: usize = 6;

/// Words that say nothing alone, for [`phrase_lost`].
const PHRASE_FUNCTION: &[&str] = &[
    "the", "a", "an", "to", "and", "they", "are", "it", "is", "that", "be", "of", "in", "their",
    "them", "have", "were", "for", "on", "at", "with", "this", "there", "was",
];

/// Lower-case words of a text with the speaker as "they" ("I'm" → "they are", "my" → "their"),
/// fillers ("really", "just", "um", "like") and stutters ("I-I") left out.
fn person_words(t: &str) -> Vec<String> {
    const FILLERS: &[&str] = &["really", "just", "um", "uh", "kinda", "like", "even"];
    let lower = t.to_lowercase().replace('’', "'");
    let mut out: Vec<String> = Vec::new();
    for w in lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        let as_they: &[&str] = match w {
            "i" => &["they"],
            "i'm" | "im" => &["they", "are"],
            "i've" => &["they", "have"],
            "i'd" => &["they", "would"],
            "i'll" => &["they", "will"],
            "my" => &["their"],
            "me" => &["them"],
            "myself" => &["themselves"],
            "am" => &["are"],
            _ if FILLERS.contains(&w) => &[],
            _ => &[w],
        };
        for x in as_they {
            if out.last().map(String::as_str) != Some(*x) {
                out.push((*x).to_string());
            }
        }
    }
    out
}

/// What a session statement about the client rests on, for the checks that read the client's
/// words against everyone else's: the cited segments' client words and the others' words, a
/// segment a line. None for a dictation, for a statement about someone else, and where the
/// cited segments hold no client words.
fn client_evidence(input: &DraftInput, statement: &str, ids: &[u32]) -> Option<(String, String)> {
    if input.kind != InputKind::Session || !style::about_the_client(statement) {
        return None;
    }
    let (mut client, mut others) = (String::new(), String::new());
    for s in ids.iter().filter_map(|id| input.segment(*id)) {
        let to = if s.speaker == Speaker::Client {
            &mut client
        } else {
            &mut others
        };
        to.push_str(&s.text);
        to.push('\n');
    }
    (!client.is_empty()).then_some((client, others))
}

/// Content words a statement about the client says without a negation that the client's
/// words say only under one ("Client acknowledges thinking about alcoholism" for "I haven't
/// really thought about possible alcoholism"): a denial turned into its opposite. A word the
/// therapist's cited words say is left to the other checks (the question "How much do you
/// drink on the days you drink?" gives the drinking its answer's "we don't get drunk" does not
/// deny), and so is a negation in the client's question. Verbs that
/// carry a hedged negation ("I don't think it's a problem" says the problem is not) and the
/// words of a report ("said", "reported") are left out; "stopped", "quit" and "less" negate
/// what follows them in the statement ("Client plans to stop drinking" for "not have a drink").
pub fn negation_lost(statement: &str, client: &str, therapist: &str) -> Vec<String> {
    // a written sentence's negation reaches its clause's end ("not take medicine or be in
    // the neighbour's yard")
    let (said, _) = polarity_within(statement, CLAUSE_REACH);
    // a question denies nothing ("Why don't you guys come up with something else?")
    let told: Vec<String> = super::input::split_sentences(client)
        .into_iter()
        .filter(|s| !s.trim_end().ends_with('?'))
        .collect();
    let (affirmed, negated) = polarity(&told.join("\n"));
    let (asked, _) = polarity(therapist);
    let hedged: HashSet<String> = HEDGED.iter().map(|w| text::stem(w)).collect();
    let mut lost: Vec<String> = said
        .into_iter()
        .filter(|s| negated.contains(s) && !affirmed.contains(s) && !hedged.contains(s))
        .filter(|s| !asked.contains(s))
        .filter(|s| s.chars().all(char::is_alphabetic))
        .collect();
    lost.sort();
    lost
}

/// Words whose negation says nothing of themselves ("I don't think ...", "I don't know if
/// ...", "I don't really ..."), or that only report.
const HEDGED: &[&str] = &[
    "think",
    "thought",
    "believe",
    "suppose",
    "guess",
    "mean",
    "know",
    "sure",
    "really",
    "say",
    "said",
    "client",
    "therapist",
    "report",
    "state",
    "explain",
    "describe",
    "mention",
    "express",
    "share",
    "feel",
    "like",
    "want",
    "go",
    "get",
    "thing",
    "way",
];

/// The content stems a text says outside any negation's reach, and those it says within one
/// (see [`polarity_within`]).
fn polarity(t: &str) -> (HashSet<String>, HashSet<String>) {
    polarity_within(t, SPOKEN_REACH)
}

/// A negation that reaches to its clause's end.
const CLAUSE_REACH: usize = 1000;

/// How many words a spoken negation reaches.
const SPOKEN_REACH: usize = 6;

/// [`polarity`] with a negation reaching `reach` words at most. A negation reaches to the end
/// of its clause (a comma, a full stop, "but", "because") or over `reach` words, whichever
/// comes first; what follows a negated verb of wanting or expecting is neither ("I wouldn't
/// want my kids to see me" does not deny the kids), and it limits rather than negates before "much", "more" or "a
/// lot" ("I don't drink much", "not more than two drinks"). "Stop", "quit" and "avoid" negate
/// what follows them.
fn polarity_within(t: &str, reach_max: usize) -> (HashSet<String>, HashSet<String>) {
    const BREAKS: &[&str] = &["but", "because", "though", "although", "cause", "except"];
    const ENDS: &[&str] = &[
        "want",
        "wanted",
        "wants",
        "like",
        "liked",
        "need",
        "needed",
        "hope",
        "wish",
        "mind",
        "expect",
        "expected",
        "anticipate",
        "anticipated",
    ];
    // "not that bad", "not too", "not very", "not all": right after the negation; "don't
    // drink much", "not more than", "not a lot": within three words ("hadn't anticipated that
    // this ..." denies the anticipating)
    const LIMITS_NEXT: &[&str] = &["that", "too", "very", "all"];
    const LIMITS_NEAR: &[&str] = &["much", "more", "many", "lot"];
    const NEUTRAL: usize = usize::MAX;
    let (mut affirmed, mut negated) = (HashSet::new(), HashSet::new());
    for clause in t.split([',', '.', ';', ':', '!', '?', '\n']) {
        let words = text::words(clause);
        let mut reach = 0usize;
        for (i, w) in words.iter().enumerate() {
            let w = w.as_str();
            if BREAKS.contains(&w) {
                reach = 0;
            } else if NEGATIONS.contains(&w) || w.ends_with("n't") || STOPPING.contains(&w) {
                let next = words.get(i + 1).map(String::as_str);
                let limits = next.is_some_and(|n| LIMITS_NEXT.contains(&n))
                    || words
                        .iter()
                        .skip(i + 1)
                        .take(3)
                        .any(|n| LIMITS_NEAR.contains(&n.as_str()));
                reach = if limits { 0 } else { reach_max };
            } else {
                // the same stems as [`text::content_stems`]; what follows a negated wish
                // or expectation is neither said nor denied
                if reach == NEUTRAL {
                    continue;
                }
                let side = if reach > 0 {
                    &mut negated
                } else {
                    &mut affirmed
                };
                side.extend(text::content_stems(w));
                reach = if ENDS.contains(&w) && reach > 0 {
                    NEUTRAL
                } else {
                    reach.saturating_sub(1)
                };
            }
        }
    }
    (affirmed, negated)
}

/// Words that negate what follows them as a negation does ("stop drinking", "quit the job").
const STOPPING: &[&str] = &[
    "stop",
    "stopped",
    "stopping",
    "stops",
    "quit",
    "quitting",
    "avoid",
    "avoided",
    "avoiding",
    "lack",
    "lacks",
    "lacking",
    "refused",
    "declined",
    "skip",
    "skipped",
    "skipping",
    "missed",
    "forgot",
    "forgotten",
];

/// Negation words and contractions.
const NEGATIONS: &[&str] = &[
    "no",
    "not",
    "never",
    "none",
    "nothing",
    "nobody",
    "neither",
    "nor",
    "without",
    "denied",
    "denies",
    "deny",
    "denying",
    "cannot",
    "can't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "haven't",
    "hasn't",
    "hadn't",
    "couldn't",
    "shouldn't",
    "unable",
    "nope",
    "nah",
];

/// True when the text negates something.
pub fn has_negation(t: &str) -> bool {
    style::words(t)
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"))
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let b = hay.as_bytes();
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        let at = from + p;
        let before = at == 0 || !b[at - 1].is_ascii_alphanumeric();
        let end = at + needle.len();
        let stem = needle.ends_with("hallucinat") || needle.ends_with("psycho");
        let after = stem || end >= b.len() || !b[end].is_ascii_alphanumeric();
        if before && after {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The code of a flag (`number_not_found:12` → `number_not_found`).
pub fn code(flag: &str) -> &str {
    flag.split(':').next().unwrap_or(flag)
}

/// True for a flag that keeps a statement out of the section text.
pub fn is_blocking(flag: &str) -> bool {
    BLOCKING.contains(&code(flag))
}

fn is_check_flag(flag: &str) -> bool {
    matches!(
        code(flag),
        "uncited"
            | "citation_dropped"
            | "low_support"
            | "number_not_found"
            | "number_misplaced"
            | "name_not_found"
            | "unobserved_default"
            | "risk_unsupported"
            | "verbatim"
            | "quoted"
            | "first_person"
            | "speaker_mismatch"
            | "negation_unsupported"
            | "negation_lost"
            | "period_changed"
            | "glued"
            | "asked"
            | "therapist_words"
            | "therapist_named"
            | "vacuous"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::input::{ChartContext, InputKind, Segment, Speaker};

    #[test]
    fn a_sentence_that_names_no_finding_is_vacuous() {
        for s in [
            "Client indicates typical drinking amounts.",
            "Client reported being here for a reason.",
            "Client discussed issues at work.",
            "Client talked about various things.",
            "Client thanked the therapist for the suggestions.",
            "Client will be back and thank suggestions.",
        ] {
            assert!(vacuous(s), "{s}");
        }
        for s in [
            "Client feels anxious.",
            "Client reported drinking about three beers on most weekends.",
            "Client's reason for drinking is stress at work.",
            "Client described issues with sleep and appetite since the move.",
            "Therapist discussed various coping strategies.",
            "Client sometimes feels sad.",
            "Client thanked the therapist and agreed to call the debt advice line before Friday.",
        ] {
            assert!(!vacuous(s), "{s}");
        }
    }

    fn input() -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: vec![
                Segment {
                    id: 3,
                    start: 0.0,
                    end: 2.0,
                    speaker: Speaker::Client,
                    text: "I'm getting maybe five hours of sleep a night.".into(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                },
                Segment {
                    id: 4,
                    start: 2.0,
                    end: 4.0,
                    speaker: Speaker::Therapist,
                    text: "Your score came out at seventy one, down from seventy five.".into(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                },
            ],
            client: ChartContext {
                name: "Dana Whitfield".into(),
                ..Default::default()
            },
        }
    }

    fn st(text: &str, cites: &[u32]) -> Statement {
        Statement {
            text: text.into(),
            citations: cites.to_vec(),
            flags: vec![],
            support: 0.0,
            origin: Origin::Model,
            included: true,
        }
    }

    /// A statement checked in `cx`, and whether a flag of `kind` was raised on it.
    fn check_for(
        cx: &CheckContext<'_>,
        text: &str,
        cites: &[u32],
        kind: &str,
    ) -> (Statement, bool) {
        let mut s = st(text, cites);
        cx.check(&mut s);
        let raised = s.flags.iter().any(|f| f.starts_with(kind));
        (s, raised)
    }

    #[test]
    fn the_therapist_is_not_put_into_a_story_told_to_no_one() {
        let seg = |id: u32, speaker: Speaker, text: &str| {
            crate::draft::input::test_segment(id, speaker, text)
        };
        let input = DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(
                    0,
                    Speaker::Therapist,
                    "How do your friends compare, on the pokies?",
                ),
                seg(
                    1,
                    Speaker::Client,
                    "I don't know, you know. I suppose they walk away a bit quicker than me.",
                ),
                seg(2, Speaker::Therapist, "What would Sarah say?"),
                seg(
                    3,
                    Speaker::Client,
                    "You'd probably agree with her, she'd say I should stop.",
                ),
            ],
            client: ChartContext::default(),
        };
        // "me" became the therapist ("you know" is a filler, not an address)
        assert!(therapist_named(
            &input,
            "Client said their friends walk away a bit quicker than the therapist.",
            &[0, 1]
        ));
        assert!(!therapist_named(
            &input,
            "Client said their friends walk away from the pokies sooner than they do.",
            &[0, 1]
        ));
        // the client spoke to the therapist: naming them may be right
        assert!(!therapist_named(
            &input,
            "Client thinks the therapist would side with Sarah.",
            &[2, 3]
        ));
        // agreements and plans name the therapist as a matter of course
        assert!(!therapist_named(
            &input,
            "Client agreed to meet with the therapist in two weeks.",
            &[0, 1]
        ));
        let risk = Risk::default();
        let cx = CheckContext::new(&input, &risk);
        let (s, raised) = check_for(
            &cx,
            "Client said their friends walk away a bit quicker than the therapist.",
            &[0, 1],
            "therapist_named",
        );
        assert!(raised, "{:?}", s.flags);
        assert!(!s.included);
    }

    #[test]
    fn a_clause_in_the_therapists_words_is_caught_beside_the_clients_own() {
        let s = "Client is confident in sorting out issues related to money and gambling, and has a few drinks like everyone else.";
        let parts = joined_clauses(s);
        assert_eq!(parts.len(), 2);
        let q = "So how confident are you that you can sort out the issues related to taking the money from your employer? And there were some issues around gambling.";
        let a = "Um, I don't think there is much to sort. I have a few drinks like everybody else my age.";
        assert!(!takes_therapist_words(s, a, q));
        assert!(takes_therapist_words(parts[0], a, q));
        assert!(!takes_therapist_words(parts[1], a, q));
        // one sentence without joins has no clauses of its own
        assert!(joined_clauses("Client drinks a few times a week.").is_empty());
    }

    #[test]
    fn an_answer_that_opens_with_yes_takes_up_the_question() {
        let offer = "Your hospital has an employee assistance program with a peer support group. Would you be open to me sending you the information?";
        assert!(!takes_therapist_words(
            "Client agreed to receive employee assistance program information.",
            "Yes, please. I didn't know that existed.",
            offer
        ));
        assert!(takes_therapist_words(
            "Client agreed to receive employee assistance program information.",
            "Yeah, but I never read those leaflets anyway.",
            offer
        ));
        // a yes to a reflection that goes on to say something of its own is reported by it
        let reflection = "Okay. Um, you don't sound very much like you think that's gonna work.";
        let answer = "Yeah. It's, you know, it's one thing to control my own drinking, and it's another thing when everyone else around me is drinking and then there's like that pressure-";
        assert!(takes_therapist_words(
            "Client does not sound very much like they think that will work.",
            answer,
            reflection
        ));
        assert!(!takes_therapist_words(
            "Client described pressure to drink when everyone around them is drinking.",
            answer,
            reflection
        ));
        // ... while a bare yes confirms it
        assert!(!takes_therapist_words(
            "Client does not sound very much like they think that will work.",
            "Yeah. Exactly.",
            reflection
        ));
    }

    #[test]
    fn the_clients_report_in_the_therapists_words_is_caught_unless_the_answer_was_bare() {
        let q = "When the going gets tough a lot of guys bail out. Are you one of those guys?";
        // the client said something else: the statement reports the question as the answer
        assert!(takes_therapist_words(
            "Client is one of the guys who might bail out.",
            "No, this is important to me.",
            q
        ));
        assert!(takes_therapist_words(
            "Client agreed to put on a real hat and asked the therapist's opinion.",
            "I don't know, you tell me.",
            "Have you put on a kind of real hat? What's your hunch about that?"
        ));
        // a bare answer confirms or denies the question's words
        assert!(!takes_therapist_words(
            "Client denied thoughts of harming himself.",
            "No. Never.",
            "Have you had any thoughts of harming yourself?"
        ));
        assert!(!takes_therapist_words(
            "Client confirmed drinking more on weekends.",
            "Yeah, I guess.",
            "So the drinking has gone up on weekends?"
        ));
        // the client's own words are in it
        assert!(!takes_therapist_words(
            "Client said the program is important to him.",
            "No, this is important to me.",
            q
        ));
        // ... but only under a negation: the statement took the question's claim
        let confident = "So how confident are you that you can sort out the issues around gambling and alcohol?";
        let answer = "Um, I don't think there is much to sort. I have a few drinks like everybody else my age.";
        assert!(takes_therapist_words(
            "Client is confident in sorting out issues related to gambling and alcohol.",
            answer,
            confident
        ));
        assert!(!takes_therapist_words(
            "Client did not think there was much to sort out about gambling and alcohol.",
            answer,
            confident
        ));
    }

    #[test]
    fn supported_statement_passes() {
        let inp = input();
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let mut s = st("Dana reports sleeping about 5 hours a night.", &[3]);
        cx.check(&mut s);
        assert!(s.flags.is_empty(), "{:?}", s.flags);
        assert!(s.included);
    }

    #[test]
    fn number_absent_from_cited_segment_is_flagged() {
        let inp = input();
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let mut s = st("Client reports sleeping about 4 hours a night.", &[3]);
        cx.check(&mut s);
        assert!(
            s.flags.contains(&"number_not_found:4".to_string()),
            "{:?}",
            s.flags
        );
        assert!(!s.included);
        let mut s = st("Score was 71, down from 75.", &[4]);
        cx.check(&mut s);
        assert!(s.included, "{:?}", s.flags);
    }

    #[test]
    fn bad_citations_defaults_and_risk_claims() {
        let inp = input();
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let mut s = st("Client is alert and oriented, denies SI.", &[3, 99]);
        cx.check(&mut s);
        assert!(s.flags.iter().any(|f| f == "citation_dropped:99"));
        assert!(s
            .flags
            .iter()
            .any(|f| f == "unobserved_default:alert and oriented"));
        assert!(s.flags.iter().any(|f| f.starts_with("risk_unsupported")));
        assert_eq!(s.citations, vec![3]);
        let mut s = st("Client met with Dr. Patel about sleep.", &[]);
        cx.check(&mut s);
        assert!(s.flags.contains(&"uncited".to_string()));
        assert!(s.flags.iter().any(|f| f == "name_not_found:Patel"));
    }

    #[test]
    fn how_often_by_the_questions_window_is_held() {
        let inp = crate::draft::input::test_session(&[
            (
                Speaker::Therapist,
                "Thinking back over the last month, how many times would you have gone to the pokies?",
            ),
            (Speaker::Client, "I don't know. A few times a week."),
        ]);
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let (s, raised) = check_for(
            &cx,
            "Client has gone to the pokies a few times in the last month.",
            &[0, 1],
            "period_changed",
        );
        assert!(raised, "{:?}", s.flags);
        assert!(!s.included);
        for kept in [
            "Client estimated going to the pokies a few times a week over the last month.",
            "Client goes to the pokies a few times a week.",
            "Client goes to the pokies often.",
        ] {
            let (s, raised) = check_for(&cx, kept, &[0, 1], "period_changed");
            assert!(!raised, "{kept}: {:?}", s.flags);
        }
    }

    #[test]
    fn a_denial_written_as_its_opposite_is_held() {
        let inp = crate::draft::input::test_session(&[
            (Speaker::Therapist, "So you feel slow."),
            (
                Speaker::Client,
                "As you can tell, I didn't take my medication today, I'm really on my game today.",
            ),
            (Speaker::Therapist, "Uh-huh."),
            (
                Speaker::Client,
                "But I haven't really thought about possible alcoholism or anything.",
            ),
            (
                Speaker::Therapist,
                "How much are you drinking on the days that you drink?",
            ),
            (
                Speaker::Client,
                "We don't get blackout drunk or anything, and I don't drink much anyway.",
            ),
            (
                Speaker::Client,
                "I wouldn't want my kids to see me here, but I hope they would be proud of me.",
            ),
        ]);
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let lost = |t: &str, ids: &[u32]| check_for(&cx, t, ids, "negation_lost").1;
        assert!(lost(
            "Client said they took their medication today and are on their game.",
            &[0, 1]
        ));
        assert!(lost(
            "Client acknowledges thinking about alcoholism.",
            &[2, 3]
        ));
        let anticipated = crate::draft::input::test_session(&[(
            Speaker::Client,
            "I think it would have been bad either way, but I hadn't anticipated that this was gonna be this difficult.",
        )]);
        let cx2 = CheckContext::new(&anticipated, &r);
        let mut s = st(
            "Client anticipates difficulty with the new job offer.",
            &[0],
        );
        cx2.check(&mut s);
        assert!(
            s.flags.iter().any(|f| f.starts_with("negation_lost")),
            "{:?}",
            s.flags
        );
        // said with the denial, or not denied at all
        assert!(!lost(
            "Client said they skipped their medication today and feel sharper.",
            &[0, 1]
        ));
        assert!(!lost(
            "Client has not thought about possible alcoholism.",
            &[2, 3]
        ));
        // the question gives what the answer limits; "not much" limits, it does not deny
        assert!(!lost(
            "Client reported drinking a little on the days they drink.",
            &[4, 5]
        ));
        // a negated wish denies nothing of what follows it
        assert!(!lost(
            "Client hopes their kids would be proud of them.",
            &[6]
        ));
        assert_eq!(
            denial_reversed(&inp, "Client said they took their medication today.", &[]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_denial_reversed_in_small_words_is_held() {
        let said = "Well, I feel like it's taken part of my personality and just thrown it \
                    away. I don't really feel like I'm all there, right. Why don't you guys \
                    come up with something else?";
        let inp = crate::draft::input::test_session(&[
            (Speaker::Therapist, "How does it make you act?"),
            (Speaker::Client, said),
        ]);
        let r = Risk::default();
        let cx = CheckContext::new(&inp, &r);
        let lost = |t: &str| check_for(&cx, t, &[0, 1], "negation_lost").1;
        assert!(lost(
            "Client explained the medicine makes them feel like they are all there and spontaneous."
        ));
        // said with its negation, said otherwise, or the client's question
        assert!(!lost(
            "Client does not feel like they are all there on the medicine."
        ));
        assert!(!lost(
            "Client feels the medicine took away part of their personality."
        ));
        assert!(!lost(
            "Client asked whether the doctors could come up with something else."
        ));
        assert_eq!(
            phrase_lost(
                "Client feels they are all there.",
                "I don't feel like I'm all there."
            ),
            vec!["they are all".to_string(), "are all there".to_string()]
        );
    }
}
