//! Judging a rule hit in its context: who speaks (a therapist's screening question is not a
//! cue), whether the words are negated or hedged, whom they are about (the client, or a quoted
//! third party), whether they describe the remote past, and whether they are an idiom or
//! hyperbole ("I was so embarrassed I wanted to die") or fiction ("in the book she kills
//! herself").

use std::sync::LazyLock;

use regex::Regex;

use super::lex::Sentence;
use super::rules::Hit;
use super::{About, RiskCategory};

/// Who the words of a segment belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Client,
    Therapist,
    /// A session transcribed without speaker labels.
    Unknown,
    /// The clinician's dictation or typed summary: the words describe the client.
    Dictation,
}

/// The polarity of a hit in its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    Affirmed,
    /// "I'd never hurt myself", "denies SI". `modal`: the negation is of an act ("would
    /// never", "not going to"), a denial of intent rather than of the thoughts.
    Negated {
        modal: bool,
    },
    /// "I don't think", "not sure", "maybe": neither endorsed nor denied.
    Hedged,
    /// "was not asked about SI": says nothing either way.
    Meta,
}

const NEGATORS: &[&str] = &[
    "not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without", "denies",
    "denied", "deny", "denying", "negative", "hardly",
];
const META: &[&str] = &[
    "asked",
    "assessed",
    "screened",
    "discussed",
    "addressed",
    "evaluated",
    "explored",
    "queried",
    "reviewed",
    "covered",
];
/// Verbs of answering: negated, the question went unanswered ("did not answer", "would not say").
const NON_ANSWER: &[&str] = &[
    "answer",
    "answered",
    "answering",
    "respond",
    "responded",
    "reply",
    "replied",
    "say",
    "saying",
    "disclose",
    "elaborate",
    "specify",
    "engage",
    "talk",
    "discuss",
];
const MODALS: &[&str] = &[
    "would", "will", "could", "going", "gonna", "ever", "actually", "really", "can", "might",
];
const HEDGES: &[&str] = &["maybe", "perhaps", "possibly", "unsure", "probably"];

/// Polarity of the words `start..` in the sentence: a negator earlier in the same clause (up
/// to eight words back) negates; "not sure", "don't think", "maybe" hedge; "not asked about"
/// says nothing.
/// Verbs of naming: a negation of one declines a label, not the thing.
const LABELLING: &[&str] = &[
    "call",
    "calling",
    "describe",
    "describing",
    "label",
    "labelling",
    "labeling",
    "classify",
    "consider",
    "count",
    "say",
    "saying",
];

/// Words after which a clause still lies under a negation before them ("not think i ...",
/// "never said i ...", "not that i ...").
const RAISING: &[&str] = &[
    "think", "thought", "believe", "believed", "say", "said", "saying", "mean", "meant", "reckon",
    "guess", "suppose", "feel", "felt", "that", "if", "whether", "like", "sure", "wish", "want",
    "wanted", "expect", "imagine", "know", "knew", "tell", "told",
];

pub fn polarity(s: &Sentence, start: usize) -> Polarity {
    let cs = s.clause_start(start);
    let lo = start.saturating_sub(8).max(cs);
    let w = |i: usize| s.words.get(i).map(String::as_str).unwrap_or("");
    // someone else's belief about the client ("My wife thinks I'm suicidal because I've been
    // quiet", "my mum worries I want to die"): a cue to look at, but neither endorsed nor
    // denied by the client, unless the client agrees ("... and she's right")
    const BELIEF: &[&str] = &[
        "thinks",
        "thought",
        "worries",
        "worried",
        "believes",
        "assumes",
        "assumed",
        "reckons",
        "suspects",
        "fears",
        "convinced",
        "imagines",
    ];
    let belief = (start.saturating_sub(6).max(cs)..start).any(|k| {
        BELIEF.contains(&w(k))
            && k >= 1
            && !matches!(w(k - 1), "i" | "we" | "and" | "always" | "sometimes")
            && !NEGATORS.contains(&w(k - 1))
            && !(cs..k).any(|j| w(j) == "i")
            && matches!(w(k + 1), "i" | "that")
    });
    if belief
        && !s.has_any(&["right", "correct", "true"])
        && !(start..s.words.len()).any(|k| w(k) == "and" && w(k + 1) == "i")
    {
        return Polarity::Hedged;
    }
    for i in (lo..start).rev() {
        let word = w(i);
        if HEDGES.contains(&word) {
            return Polarity::Hedged;
        }
        if !NEGATORS.contains(&word) {
            continue;
        }
        // the match opens a clause of time of its own ("so my wife will not have to deal with
        // the bills once i am not here"): the negation stays in the main clause
        if start >= i + 2 && matches!(w(start), "once" | "when" | "after" | "before" | "until") {
            break;
        }
        // a new clause between the negator and the match, unpunctuated as speech is written
        // ("when the baby will not stop crying i get these pictures of ...", "if i do not send
        // him the money he will send the pictures"): the negation stays in its own clause, but
        // reaches through a verb of thinking or saying ("i do not think i would ...")
        if (i + 2..start).any(|k| {
            matches!(w(k), "i" | "he" | "she" | "they" | "we") && !RAISING.contains(&w(k - 1))
        }) {
            break;
        }
        // a new clause joined by "and"/"but"/"so" with a subject of its own, the match
        // opening it: "the thesis is never getting done and nothing i do changes anything"
        if start >= i + 2
            && matches!(w(start - 1), "and" | "but" | "so")
            && matches!(
                w(start),
                "nothing" | "everything" | "everyone" | "nobody" | "it"
            )
        {
            break;
        }
        let next = w(i + 1);
        let next2 = w(i + 2);
        if META.contains(&next)
            || (matches!(next, "been" | "yet" | "formally") && META.contains(&next2))
        {
            return Polarity::Meta;
        }
        // "Did not answer the question about a plan", "would not say whether she has one",
        // "didn't want to talk about it": asked, but not answered; nothing is denied
        if NON_ANSWER.contains(&next)
            || (matches!(next, "want" | "wish" | "care") && next2 == "to")
                && NON_ANSWER.contains(&w(i + 3))
        {
            return Polarity::Hedged;
        }
        // "I wouldn't call that suicidal", "I'd not describe it as wanting to die": the
        // label is declined, not the thought; a minimising answer is for the clinician
        if (i + 1..start).any(|k| LABELLING.contains(&w(k))) {
            return Polarity::Hedged;
        }
        // "I won't lie to you, suicide is on my mind", "not gonna lie": a promise to be
        // frank, not a denial of what follows
        if (i + 1..(i + 4).min(start)).any(|k| {
            matches!(w(k), "lie" | "pretend" | "kid" | "sugarcoat" | "sugar-coat")
                && !matches!(w(k + 1), "down" | "there" | "in")
        }) {
            continue;
        }
        match (word, next) {
            ("not", "only" | "just" | "even") | ("no", "doubt" | "matter") => continue,
            ("not", "sure" | "certain" | "think" | "know" | "believe") => return Polarity::Hedged,
            _ => {}
        }
        // "I'm not going to", "I would never", "I won't"
        let before = w(i.wrapping_sub(1));
        let modal = MODALS.contains(&before)
            || MODALS.contains(&next)
            || (before == "am" && next == "going")
            || matches!(next, "do" | "act" | "try");
        return Polarity::Negated { modal };
    }
    // "unsure whether she would act on it", "don't know if I want to live"
    if cs > 0
        && matches!(w(cs), "if" | "whether")
        && matches!(
            w(cs - 1),
            "sure" | "unsure" | "know" | "certain" | "decided"
        )
    {
        return Polarity::Hedged;
    }
    // a note that the item was not covered, the negation after it: "SI not assessed this
    // session", "suicide risk assessment deferred to next session"
    // (a clinician's third-person wording only: "I want to die, I haven't discussed it with
    // anyone" stays a cue)
    let after = start..(start + 8).min(s.words.len());
    let first_person = s.has_any(&["i", "me", "my", "myself"]);
    if !first_person
        && (after
            .clone()
            .any(|i| NEGATORS.contains(&w(i)) && META.contains(&w(i + 1)))
            || s.has_any(&["deferred", "unassessed"]))
    {
        return Polarity::Meta;
    }
    // asked, but no answer to write down: "when asked about SI, client was vague and declined
    // to answer"
    const NO_ANSWER: &[&str] = &[
        "declined to answer",
        "declined to discuss",
        "declined to say",
        "refused to answer",
        "refused to discuss",
        "would not answer",
        "did not answer",
        "was vague",
        "were vague",
        "unable to assess",
    ];
    if !first_person
        && s.has_any(&[
            "asked",
            "assessed",
            "screened",
            "question",
            "questions",
            "about",
        ])
        && NO_ANSWER.iter().any(|p| s.text.contains(p))
    {
        return Polarity::Hedged;
    }
    Polarity::Affirmed
}

/// Person nouns: a subject that is someone other than the client.
const PEOPLE: &[&str] = &[
    "brother",
    "sister",
    "mother",
    "mom",
    "mum",
    "father",
    "dad",
    "son",
    "daughter",
    "friend",
    "husband",
    "wife",
    "partner",
    "boyfriend",
    "girlfriend",
    "roommate",
    "cousin",
    "aunt",
    "uncle",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "kid",
    "kids",
    "child",
    "children",
    "teenager",
    "teen",
    "neighbour",
    "neighbor",
    "coworker",
    "colleague",
    "boss",
    "ex",
    "stepdad",
    "stepfather",
    "stepmom",
    "stepmother",
    "niece",
    "nephew",
    "baby",
    "student",
    "patient's",
    "people",
    "someone",
    "somebody",
    "everyone",
    "guy",
    "man",
    "woman",
    "girl",
    "boy",
    "parents",
    "family",
    "sibling",
    "classmate",
    "teacher",
    "wife's",
    "husband's",
];
const CLIENT_NOUNS: &[&str] = &["client", "pt", "patient", "clt", "ct"];

fn is_person(w: &str) -> bool {
    PEOPLE.contains(&w) || w.ends_with("-in-law")
}

enum Ref {
    Client,
    Third,
    Other,
}

/// The nearest subject before word `i` (pronoun or person noun), skipping possessives and
/// objects ("my brother told me he ..." → he).
fn subject_before(s: &Sentence, i: usize, nouns: bool) -> Option<Ref> {
    for j in (0..i).rev() {
        let w = s.words[j].as_str();
        match w {
            "i" | "we" | "myself" => return Some(Ref::Client),
            "you" | "yourself" => return Some(Ref::Client),
            "he" | "she" | "they" | "himself" | "herself" | "themselves" => {
                return Some(Ref::Third)
            }
            _ if CLIENT_NOUNS.contains(&w) => return Some(Ref::Client),
            _ if nouns && is_person(w) => return Some(Ref::Other),
            _ => {}
        }
    }
    None
}

/// In a dictation, "she"/"her" is the client unless a person noun came before it.
fn resolve_third(s: &Sentence, i: usize, role: Role) -> About {
    resolve_third_for(s, i, role, false)
}

/// People in the plural: never the "he" or "she" of a dictation ("States his family would be
/// better off without him and that he wishes he could just not be here": the client).
const GROUPS: &[&str] = &[
    "family",
    "kids",
    "children",
    "parents",
    "friends",
    "relatives",
    "colleagues",
    "siblings",
    "grandchildren",
    "team",
    "sons",
    "daughters",
    "brothers",
    "sisters",
    "people",
];

/// [`resolve_third`] for a singular pronoun ("he", "him", "she", "her"): a group named before
/// it is not its referent.
fn resolve_third_for(s: &Sentence, i: usize, role: Role, singular: bool) -> About {
    if role != Role::Dictation {
        return About::SomeoneElse;
    }
    for j in (0..i).rev() {
        let w = s.words[j].as_str();
        if CLIENT_NOUNS.contains(&w) {
            return About::Client;
        }
        if singular && GROUPS.contains(&w) {
            continue;
        }
        if is_person(w) {
            return About::SomeoneElse;
        }
    }
    About::Client
}

/// Whether words hold a singular third-person pronoun and no plural one.
fn singular_third(ws: &[&str]) -> bool {
    ws.iter()
        .any(|w| matches!(*w, "he" | "him" | "she" | "her" | "himself" | "herself"))
        && !ws
            .iter()
            .any(|w| matches!(*w, "they" | "them" | "themselves"))
}

fn person_after_my(s: &Sentence, from: usize, to: usize) -> bool {
    (from..to).any(|j| {
        matches!(s.words[j].as_str(), "my" | "our")
            && (j + 1..(j + 3).min(s.words.len())).any(|k| is_person(&s.words[k]))
    })
}

/// Whom a hit is about.
pub fn about(s: &Sentence, h: &Hit, role: Role) -> About {
    let mut span = &s.words[h.start..h.end];
    let mut h = h.clone();
    // abuse words without a person in them ("with a belt"): the whole sentence says who
    if h.category == RiskCategory::Abuse
        && !span.iter().any(|w| {
            is_person(w)
                || matches!(
                    w.as_str(),
                    "i" | "me"
                        | "my"
                        | "us"
                        | "our"
                        | "him"
                        | "her"
                        | "them"
                        | "his"
                        | "their"
                        | "he"
                        | "she"
                        | "they"
                )
        })
    {
        span = &s.words[..];
        h.start = 0;
        h.end = s.words.len();
    }
    let h = &h;
    let has = |ws: &[&str]| span.iter().any(|w| ws.contains(&w.as_str()));
    // rules whose words imply the speaker: "she leaves marks", "I'm not allowed to leave
    // without him" (the client is the one hurt or held), "he'll regret it" (the client
    // threatens), "she deserves someone who's going to be around" (the client will not be)
    if matches!(
        h.rule,
        "abuse_veiled"
            | "hi_veiled_threat"
            | "prep_someone_who_will_be_around"
            | "prep_nothing_left_to_sort"
            | "prep_guardian_just_in_case"
            | "burden_used_up_their_life"
            | "passive_be_with_the_dead"
            | "hi_what_i_would_do_to"
    ) && !s.has_any(&["said", "says", "told", "texted", "wrote", "tells"])
        && !(h.start..h.end).any(|j| {
            is_person(&s.words[j]) && s.words.get(j.wrapping_sub(1)).is_some_and(|p| p == "my")
        })
    {
        return About::Client;
    }
    match h.category {
        // "he controls every penny, I have to show him the receipts": the speaker is controlled
        RiskCategory::Abuse if h.rule == "abuse_coercive_money" && s.has_any(&["i", "me"]) => {
            About::Client
        }
        RiskCategory::Abuse => {
            // the victim decides: the client ("hits me", "checks my phone", "I smack my kids":
            // the client's household) or another person ("beats my little brother")
            if has(&["me", "us", "myself"]) || span.first().is_some_and(|w| w == "i") {
                return About::Client;
            }
            if person_after_my(s, h.start, h.end) {
                return About::SomeoneElse;
            }
            let client_named = s.words.iter().any(|w| CLIENT_NOUNS.contains(&w.as_str()));
            let n = span.len();
            let last = span[n - 1].as_str();
            let pair = (n >= 2).then(|| (span[n - 2].as_str(), last));
            if matches!(last, "him" | "her" | "them") {
                return if role == Role::Dictation && client_named {
                    About::Client
                } else {
                    About::SomeoneElse
                };
            }
            match pair {
                Some(("my" | "our", x)) if !is_person(x) => About::Client,
                Some(("his" | "her" | "their", x)) if is_person(x) => About::SomeoneElse,
                Some(("his" | "her" | "their", _)) => {
                    if role == Role::Dictation && client_named {
                        About::Client
                    } else {
                        About::SomeoneElse
                    }
                }
                _ if is_person(last) || matches!(last, "kids" | "children" | "baby" | "child") => {
                    About::SomeoneElse
                }
                _ => {
                    if has(&["my", "our"]) {
                        About::Client
                    } else if has(&["him", "her", "them", "his", "their"]) {
                        About::SomeoneElse
                    } else {
                        About::Client
                    }
                }
            }
        }
        RiskCategory::HarmToOthers => {
            // the actor decides: the subject before the frame, or a pronoun opening it
            match span.first().map(String::as_str) {
                Some("i") => return About::Client,
                Some("he" | "she" | "they") => return resolve_third(s, h.start, role),
                _ => {}
            }
            match subject_before(s, h.start, true) {
                Some(Ref::Client) | None => About::Client,
                Some(Ref::Third) => resolve_third(s, h.start, role),
                Some(Ref::Other) => {
                    if role == Role::Dictation {
                        resolve_third(s, h.start, role)
                    } else {
                        About::SomeoneElse
                    }
                }
            }
        }
        RiskCategory::Means => {
            // "my grandpa's gun": whose means it is does not matter, who dwells on it does
            if has(&["i", "me", "my", "myself"]) {
                return About::Client;
            }
            match subject_before(s, h.start, false) {
                Some(Ref::Third) => resolve_third(s, h.start, role),
                _ => About::Client,
            }
        }
        RiskCategory::Burdensomeness => {
            if has(&["me", "i", "myself", "my"]) {
                return About::Client;
            }
            // a dictation's "Client states her children would be better off without her": the
            // one others would be better off without is the client named before
            let without_pronoun = span
                .windows(2)
                .any(|p| p[0] == "without" && matches!(p[1].as_str(), "her" | "him" | "them"));
            if role == Role::Dictation
                && without_pronoun
                && s.words[..h.start]
                    .iter()
                    .any(|w| CLIENT_NOUNS.contains(&w.as_str()))
            {
                return About::Client;
            }
            if has(&["him", "her", "them", "himself", "herself"]) {
                let span_words: Vec<&str> = span.iter().map(String::as_str).collect();
                return resolve_third_for(s, h.start, role, singular_third(&span_words));
            }
            match subject_before(s, h.start, false) {
                Some(Ref::Third) => resolve_third(s, h.start, role),
                _ => About::Client,
            }
        }
        _ => {
            if has(&["myself", "me", "my", "i", "mine"]) {
                return About::Client;
            }
            if has(&["himself", "herself", "themselves", "his", "their"]) {
                return resolve_third(s, h.start, role);
            }
            if has(&["her", "him"]) && h.category != RiskCategory::HarmToOthers {
                return resolve_third(s, h.start, role);
            }
            match subject_before(s, h.start, true) {
                Some(Ref::Client) | None => About::Client,
                Some(Ref::Third) => resolve_third(s, h.start, role),
                Some(Ref::Other) => {
                    if role == Role::Dictation {
                        resolve_third(s, h.start, role)
                    } else {
                        About::SomeoneElse
                    }
                }
            }
        }
    }
}

/// Whom a whole sentence is about: its first subject (for cues without a rule match).
pub fn sentence_about(s: &Sentence, role: Role) -> About {
    for (j, w) in s.words.iter().enumerate() {
        let w = w.as_str();
        match w {
            "i" | "we" | "me" | "myself" => return About::Client,
            "he" | "she" | "they" => return resolve_third(s, j, role),
            _ if CLIENT_NOUNS.contains(&w) => return About::Client,
            _ if is_person(w) => {
                return if role == Role::Dictation {
                    resolve_third(s, j, role)
                } else {
                    About::SomeoneElse
                }
            }
            _ => {}
        }
    }
    About::Client
}

static REMOTE_PAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:used to|when i was (?:a |an |in |little|young|younger|small|\d+|[a-z]+teen|eight|nine|ten|eleven|twelve|twenty)|years ago|as a (?:kid|child|teen|teenager|young \S+|boy|girl)|in (?:high school|college|university|school|my teens|my twenties|my thirties)|back (?:then|in)|a long time ago|long ago|in (?:19|20)\d\d|history of|hx of|in the past|previously|prior to|growing up|before i (?:met|had|started|got))\b").unwrap()
});

static RECENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:last night|yesterday|today|this morning|this week|last week|few days ago|tonight|this weekend|last weekend|days ago|right now)\b").unwrap()
});

/// The sentence places what it says in the remote past ("used to", "when I was 16",
/// "in 2019"): a cue still, but no finding about now.
pub fn remote_past(s: &Sentence) -> bool {
    REMOTE_PAST.is_match(&s.text)
}

/// The sentence says it happened in the last days.
pub fn recent(s: &Sentence) -> bool {
    RECENT.is_match(&s.text)
}

static HYPERBOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:embarrass\w*|mortif\w*|humiliat\w*|cringe\w*|laugh\w*|bored|boring|so funny|hilarious|jealous|starving|hungry)\b").unwrap()
});
static DEATH_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:die|died|dying|dead|death|kill\w*|murder\w*|disappear\w*|vanish\w*)\b")
        .unwrap()
});
static FICTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:book|novel|movie|film|(?:the|a|tv|that|this) show|series|tv|(?:the|a|school|that|this) play|story|documentary|podcast|video game|(?:the|a|that|this|computer) game|episode|character|characters|song|lyrics|news|article|romeo|juliet|we read|in class|the plot)\b").unwrap()
});
/// A real person's game, not a story: "hitting himself when he loses at the game".
static REAL_PLAYER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:when|if|after|every time|whenever) (?:he|she|they) (?:loses|lost|lose|plays|played|play|is losing|is playing) (?:at |on )?(?:the|a|his|her|their|that|this) game\b").unwrap()
});
static GENERIC_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:a lot of|many|some|most|lots of)? ?(?:people|folks|patients|clients)\b")
        .unwrap()
});

/// A therapist's sentence that tells back what the client disclosed: "You mentioned last week
/// that some days you wish you were dead", "You showed me the fresh marks on your wrist",
/// "You've said a few times today that you feel hopeless".
static REFLECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:so |and |okay |now |earlier |last (?:week|time|session) )?(?:you (?:have |had |just |also )?(?:mentioned|said|told me|told us|showed me|described|disclosed|shared|reported|admitted|talked about|spoke about|were saying|brought up|wrote)|you have been (?:thinking|having thoughts|having|planning|feeling|cutting|hurting|burning|scratching|hitting|saving|stockpiling|writing|looking|researching|giving away)|you have already\b|(?:there are|there have been) (?:times|days|nights|moments|mornings) (?:when |where )?you|you (?:keep|still|sometimes|often) (?:\S+ )?(?:wish|wishing|want|wanting|feel|feeling|think|thinking|picture|picturing)|you have (?:chosen|picked|decided on|planned|bought|written|been stockpiling|been saving)|(?:(?:it )?sounds|seems) like (?:\S+ ){0,4}you (?:can not|cannot|do not|have|are|feel|want|wish)|(?:what )?i am hearing (?:is )?(?:that )?(?:\S+ ){0,8}you|(?:what )?you are (?:saying|telling me) is (?:that )?(?:\S+ ){0,3}you|you are (?:saying|telling me) (?:that )?(?:\S+ ){0,3}you|(?:the|a|that) (?:plan|thoughts?|note|pills|tablets|method|rope|gun) (?:that )?you (?:described|mentioned|told me about|talked about|shared|wrote)|(?:the|those|that) (?:pills|tablets|meds|note|rope|stash) (?:that )?you (?:have been|had been|have|had) (?:collecting|saving|keeping|hiding|stockpiling|writing)|you (?:feel|felt|believe|believed) (?:like |that )?(?:the |your |they |everyone |everybody |people |he |she |things |nobody |no one ))\b|^(?:so )?(?:it )?(?:sounds|seems) like (?:\S+ ){0,8}you (?:reach|turn|go|use|believe|believed|thought|think|have|had|has been|has|are|were|was|feel|felt|keep|kept|would|do|did|can not|could not|still)\b|^(?:so |and )?part of you (?:has been|has|had|was|would|wanted|wished)\b|^so (?:in your (?:mind|head|eyes|view) |the short version is (?:that )?|(?:when|whenever|every time|each time) (?:\S+ ){0,10}|(?:the|that|those|these|this) (?:\S+ ){1,6}(?:is|are|was|were)(?: not)? (?:an accident |ones? |the ones? |something |what |the thing )(?:that )?)you\b|^so your (?:\S+ ){1,2}(?:has been|have been|has|keeps|still)\b|^your (?:\S+ ){1,2}(?:has |have |had )?(?:just |also )?(?:told me|told us|mentioned|says|said|reports|reported|is worried|was worried|wrote|rang) (?:\S+ ){0,25}(?:and you (?:have )?(?:said|told me|agreed|admitted|confirmed)|that (?:he|she|they) (?:only |just |sometimes |still )?\S+ you (?:when|if|because|whenever))\b|^(?:what )?you are describing\b|^what you (?:have )?described\b|^(?:let me (?:check|make sure) (?:that )?i (?:have )?(?:understood|understand|got (?:this|that|it) right)|if i (?:have )?(?:got|understood) (?:this|that|you|it) right|to sum up|to summari[sz]e|in summary|summing up)\b|^you have (?:been )?(?:honest|open|frank|upfront)(?: with me)? (?:that|about) (?:the )?(?:thoughts?|urges?|images?|voices?|you)\b|^you (?:have |keep )?(?:come|coming|came) back to (?:this|that|the) (?:idea|thought|feeling|belief)\b|^(?:in|at|during) (?:\S+ ){1,3}you (?:have )?(?:said|told|mentioned|shared|wrote|described|admitted)\b|^you (?:have )?told (?:the group|the nurse|the doctor|her|him|them|your \S+)\b").unwrap()
});
/// A question set on a disclosure ("Since your suicide attempt in August, how have things
/// been?"): its premise is the client's.
static PREMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:so |and |okay )?(?:since|after) your (?:suicide attempt|attempt|overdose)\b")
        .unwrap()
});

/// Whether a therapist's sentence reflects a disclosure (not a question about one).
pub fn reflects_disclosure(s: &Sentence) -> bool {
    !s.question && (REFLECTION.is_match(&s.text) || SO_YOU.is_match(&s.text))
        || PREMISE.is_match(&s.text)
}

/// "So you wish you could just disappear.": what the client said, told back with "so".
static SO_YOU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:okay|right|yeah|mm),? )?so (?:\S+ ){0,2}you (?:wish|wished|want|wanted|feel|felt|think|thought|would|keep|kept|see|saw|believe|can not|do not|are|were|have|had|has been|have been)\b").unwrap()
});

/// What a therapist's sentence tells back about the client, to be read as the client's words
/// once the client confirms it: a statement about "you" ("You've been wishing you could just
/// not wake up.", "So the thoughts of killing yourself are there most days.") or one asked
/// back with a tag ("So you've picked the bridge, is that right?", "So the plan is the
/// railway line on Friday, is that right?"), without the tag. Not a question of its own and
/// nothing of the therapist's own ("I wonder if you ...").
pub fn told_back(s: &Sentence) -> Option<Sentence> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[,;]?\s*(?:is that (?:right|correct|true|it|fair)|am i right|have i got that right|right|yeah|yes|correct|true|no)\s*\?\s*$").unwrap()
    });
    let stated = if s.question {
        let m = TAG.find(&s.original)?;
        let mut t = s.original[..m.start()].trim_end().to_string();
        t.push('.');
        super::lex::sentences(&t).into_iter().next()?
    } else {
        s.clone()
    };
    let about_you = stated.has_any(&["you", "your", "yourself", "yours"]);
    // a checking question that restates without "you" ("So the plan is the railway line on
    // Friday, is that right?")
    let checks_back = s.question && stated.words.first().is_some_and(|w| w == "so");
    let own = stated.has_any(&["i", "me", "my", "we", "us", "our"]);
    ((about_you || checks_back) && !own && stated.words.len() >= 4 && !stated.question)
        .then_some(stated)
}

/// Whether a client's words confirm what was just told back: they open with a yes ("Yeah.",
/// "Yes, most days.", "Right.", "Exactly.", "That's right.", "Pretty much."), or a first
/// sentence of a few words ends with one ("Most days, yeah."); never with a no in it.
pub fn confirms_told_back(sents: &[&Sentence]) -> bool {
    const YES: &[&str] = &[
        "yes", "yeah", "yep", "yup", "yea", "aye", "right", "exactly", "correct", "true", "mhm",
    ];
    const PHRASES: &[&str] = &[
        "that is right",
        "that is it",
        "that is true",
        "that is correct",
        "pretty much",
        "more or less",
        "mm hmm",
        "uh huh",
    ];
    let Some(first) = sents.first() else {
        return false;
    };
    let w: Vec<&str> = first.words.iter().map(String::as_str).collect();
    let no = w.iter().any(|x| {
        matches!(
            *x,
            "no" | "not" | "never" | "nah" | "nope" | "nothing" | "but"
        )
    });
    let opens = w.first().is_some_and(|x| YES.contains(x))
        || PHRASES.iter().any(|p| first.text.starts_with(p));
    let ends = w.len() <= 4 && w.last().is_some_and(|x| YES.contains(x));
    !no && (opens || ends)
}

/// The sentence with the client as "I": "you wish you were dead" → "I wish I were dead" (the
/// shown words stay the therapist's).
pub fn as_first_person(s: &Sentence) -> Sentence {
    static SECOND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(you've|you're|you'd|you'll|yourself|yours|your|you)\b").unwrap()
    });
    // "you" after a verb in the past or a preposition is the object: "strangled you",
    // "better off without you" → "me"
    let original = &s.original;
    let text = SECOND.replace_all(original, |c: &regex::Captures| {
        let start = c.get(1).map_or(0, |m| m.start());
        let before = original[..start]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        // (not a verb that reports what follows: "You mentioned you wish ...")
        let reports = matches!(
            before.as_str(),
            "mentioned"
                | "described"
                | "shared"
                | "reported"
                | "admitted"
                | "disclosed"
                | "indicated"
                | "suggested"
                | "explained"
                | "noted"
                | "stated"
                | "decided"
                | "realised"
                | "realized"
                | "worried"
                | "wondered"
                | "feared"
                | "hoped"
                | "believed"
                | "agreed"
                | "answered"
                | "added"
                | "confirmed"
                | "denied"
                | "expressed"
                | "showed"
                | "imagined"
                | "pictured"
                | "warned"
                | "promised"
        );
        let object = before.ends_with("ed") && !reports
            || matches!(
                before.as_str(),
                "to" | "at"
                    | "with"
                    | "without"
                    | "for"
                    | "on"
                    | "about"
                    | "from"
                    | "by"
                    | "against"
                    | "hit"
                    | "hits"
                    | "hurt"
                    | "hurts"
                    | "beat"
                    | "beats"
            );
        match c[1].to_lowercase().as_str() {
            "you" if object => "me",
            "you've" => "I've",
            "you're" => "I'm",
            "you'd" => "I'd",
            "you'll" => "I'll",
            "yourself" => "myself",
            "yours" => "mine",
            "your" => "my",
            _ => "I",
        }
        .to_string()
    });
    let mut out = super::lex::sentences(&text)
        .into_iter()
        .next()
        .unwrap_or_else(|| s.clone());
    out.original = s.original.clone();
    out
}

/// A line taken back as a joke ("I'll top myself, ha, not really"), or a frame of
/// exaggeration ("that film was so bad I wanted to shoot myself").
static JOKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:ha|haha|hah|lol),? not really\b|\b(?:only|just) (?:joking|kidding)\b|\bso (?:bad|boring|awful|dull|long|terrible|tedious|embarrassing|cringey|cringe) (?:that )?i (?:\S+ ){0,2}(?:wanted|could have|was ready|nearly|almost)\b").unwrap()
});

/// An idiom, hyperbole or fiction rather than risk talk.
pub fn suppressed(s: &Sentence, h: &Hit, about: About) -> Option<&'static str> {
    if JOKE.is_match(&s.text)
        && matches!(h.category, RiskCategory::ActiveSi | RiskCategory::PassiveSi)
    {
        return Some("a joke or exaggeration, taken back");
    }
    if HYPERBOLE.is_match(&s.text)
        && DEATH_WORDS.is_match(&h.words)
        && !matches!(h.category, RiskCategory::Abuse | RiskCategory::SelfHarm)
    {
        return Some("hyperbole");
    }
    if about == About::SomeoneElse && FICTION.is_match(&s.text) && !REAL_PLAYER.is_match(&s.text) {
        return Some("fiction or news");
    }
    if GENERIC_SUBJECT.is_match(&s.text) && about == About::SomeoneElse {
        return Some("about people in general");
    }
    None
}

static WORRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:worry\w*|anxious|anxiety|scared|afraid|fear\w*|getting sick|panic\w*)\b")
        .unwrap()
});
static EGO_DYSTONIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:scary|intrusive|pops? into my head|popped into my head|i hate (?:it|them|that|those)|terrif\w*|horrible thoughts|unwanted|disgust\w*)\b").unwrap()
});

/// Thoughts of death that are fear of dying, not a wish.
pub fn death_anxiety(s: &Sentence) -> bool {
    WORRY.is_match(&s.text)
}

/// Unwanted intrusive thoughts (frightening to the client): left for the clinician.
pub fn ego_dystonic(s: &Sentence) -> bool {
    EGO_DYSTONIC.is_match(&s.text)
}

/// A question a screener asks (second person, or a clipped "Any thoughts of ...?", and no
/// "I"), for transcripts without speakers.
pub fn screening_question(s: &Sentence) -> bool {
    let clipped = matches!(
        s.words.first().map(String::as_str),
        Some("any" | "and" | "so" | "thoughts" | "how" | "what" | "or" | "ever" | "okay")
    );
    (s.question || reads_as_question(s))
        && (clipped || s.has_any(&["you", "your", "yourself", "anyone", "anybody"]))
        && !s.has_any(&["i", "me", "my", "myself"])
}

/// A question transcribed without its question mark ("any thoughts of ending your life",
/// "have you had thoughts of hurting anyone"): speech recognition often drops it. It opens as
/// a question does.
pub fn reads_as_question(s: &Sentence) -> bool {
    let mut w = s.words.iter().map(String::as_str);
    let first = match w.next() {
        Some("and" | "so" | "okay" | "ok" | "now" | "um" | "uh") => w.next(),
        f => f,
    };
    // a bare topic, asked: "and thoughts of hurting others", "what about plans" (short, and
    // about no one in the first person: "thoughts of ending it keep coming" is told)
    let bare_topic = matches!(first, Some("thoughts" | "plans" | "intentions" | "urges"))
        || (matches!(first, Some("what" | "how")) && w.next() == Some("about"));
    if bare_topic && s.words.len() <= 8 && !s.has_any(&["i", "me", "my", "myself", "keep", "keeps"])
    {
        return true;
    }
    // a follow-up that adds to the last question ("or of hurting anyone else", "okay and
    // anything about hurting other people", "and anybody else you've thought about hurting")
    let lead = s
        .words
        .iter()
        .take_while(|w| {
            matches!(
                w.as_str(),
                "and" | "or" | "so" | "okay" | "ok" | "now" | "um" | "uh"
            )
        })
        .count();
    let follow_up = lead > 0
        && s.words.len() <= 10
        && matches!(
            s.words.get(lead).map(String::as_str),
            Some("of" | "anything" | "anybody" | "anyone" | "hurting" | "harming" | "about")
        )
        && s.has_any(&[
            "hurting", "harming", "hurt", "harm", "killing", "dying", "suicide",
        ])
        && !s.has_any(&["i", "me", "my", "myself"]);
    if follow_up {
        return true;
    }
    matches!(
        first,
        Some(
            "any"
                | "anything"
                | "have"
                | "has"
                | "do"
                | "does"
                | "did"
                | "are"
                | "is"
                | "were"
                | "would"
                | "could"
                | "ever"
        )
    )
}

/// A clinician's field list, the status after the item: "SI: denied", "HI - negative",
/// "suicidal ideation none": the item opens its clause (no "endorses", "reports" before it)
/// and one of the three words after it (the first may follow a colon or dash) denies it.
pub fn listed_status(s: &Sentence, hit: &Hit) -> Option<Polarity> {
    const DENIED: &[&str] = &[
        "denied", "denies", "negative", "neg", "none", "no", "nil", "absent", "not", "never",
    ];
    const LEAD: &[&str] = &["and", "current", "currently", "active", "passive", "any"];
    if !(s.clause_start(hit.start)..hit.start).all(|k| LEAD.contains(&s.words[k].as_str())) {
        return None;
    }
    let end = (hit.end + 3).min(s.words.len());
    for k in hit.end..end {
        if k > hit.end && s.barrier[k] {
            break;
        }
        if DENIED.contains(&s.words[k].as_str()) {
            return Some(Polarity::Negated { modal: false });
        }
    }
    None
}

/// A negator in the words a rule's gap took ("I would *never* hurt my kids").
pub fn gap_polarity(h: &Hit) -> Option<Polarity> {
    for g in &h.gaps {
        let ws: Vec<&str> = g.split(' ').collect();
        for (i, w) in ws.iter().enumerate() {
            if NEGATORS.contains(w) {
                let before = if i > 0 {
                    ws[i - 1]
                } else {
                    h.words.split(' ').next().unwrap_or("")
                };
                let frame_modal = h
                    .words
                    .split(' ')
                    .any(|x| matches!(x, "would" | "will" | "could" | "going"));
                return Some(Polarity::Negated {
                    modal: MODALS.contains(&before) || frame_modal,
                });
            }
        }
    }
    None
}

/// A wish for someone else's death ("I wish he'd just die"): the gap names another person.
pub fn wish_for_other(s: &Sentence, h: &Hit, role: Role) -> bool {
    h.rule == "passive_wish"
        && h.gaps.iter().any(|g| {
            let ws: Vec<&str> = g.split(' ').collect();
            let third = ws
                .iter()
                .any(|w| matches!(*w, "he" | "she" | "they" | "him" | "her" | "them"));
            let other = ws.iter().any(|w| is_person(w))
                || (third
                    && resolve_third_for(s, h.start, role, singular_third(&ws))
                        == About::SomeoneElse);
            other && !ws.contains(&"i")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::risk::lex::sentences;
    use crate::draft::risk::rules::scan;

    #[test]
    fn a_reflection_told_in_the_first_person_keeps_objects_as_me() {
        let first = |t: &str| as_first_person(&sentences(t)[0]).text;
        assert_eq!(
            first("You told me your partner strangled you last month."),
            "i told me my partner strangled me last month"
        );
        assert_eq!(
            first("You mentioned you wish you were dead."),
            "i mentioned i wish i were dead"
        );
        assert!(
            first("I'm hearing you say your family would be better off without you.")
                .ends_with("better off without me")
        );
        assert!(reflects_disclosure(
            &sentences("So the plan you described is to take all the pills.")[0]
        ));
        assert!(reflects_disclosure(
            &sentences("Since your suicide attempt in August, how have things been at home?")[0]
        ));
        assert!(!reflects_disclosure(
            &sentences("How have things been at home?")[0]
        ));
        // told back in other ways (sets 35 and 36)
        for t in [
            "So there are times you wish your life would just stop.",
            "You've been feeling like you're nothing but a burden.",
            "You've already written the note saying goodbye.",
            "So you wish you could just disappear.",
            "So part of you has been hoping you won't wake up in the morning.",
            "So the pills you've been collecting are still in your bedside drawer.",
        ] {
            assert!(reflects_disclosure(&sentences(t)[0]), "{t}");
        }
        for t in [
            "So you wish you could just disappear?",
            "So, how was the week?",
            "You have to be kind to yourself this week.",
        ] {
            assert!(!reflects_disclosure(&sentences(t)[0]), "{t}");
        }
    }

    fn judge(text: &str, role: Role) -> Vec<(RiskCategory, Polarity, About)> {
        sentences(text)
            .iter()
            .flat_map(|s| {
                scan(s)
                    .into_iter()
                    .map(|h| (h.category, polarity(s, h.start), about(s, &h, role)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn negation_scope_ends_at_the_clause() {
        let j = judge(
            "I don't want to kill myself, but sometimes it'd be easier not to wake up.",
            Role::Client,
        );
        assert!(j.iter().any(|(c, p, _)| *c == RiskCategory::ActiveSi
            && matches!(p, Polarity::Negated { modal: false })));
        assert!(j
            .iter()
            .any(|(c, p, _)| *c == RiskCategory::PassiveSi && *p == Polarity::Affirmed));
        let j = judge("I would never, ever hurt myself.", Role::Client);
        assert!(matches!(j[0].1, Polarity::Negated { modal: true }));
        let j = judge("Client was not asked about SI today.", Role::Dictation);
        assert_eq!(j[0].1, Polarity::Meta);
    }

    #[test]
    fn third_parties() {
        let j = judge("My brother told me he wanted to die.", Role::Client);
        assert_eq!(j[0].2, About::SomeoneElse);
        let j = judge(
            "Her mother reports that the client said she wanted to die.",
            Role::Dictation,
        );
        assert_eq!(j[0].2, About::Client);
        let j = judge("My husband hits me when he's drunk.", Role::Client);
        assert_eq!(j[0].2, About::Client);
        let j = judge("My dad beats my little brother with a belt.", Role::Client);
        assert!(j.iter().all(|x| x.2 == About::SomeoneElse));
    }
}
