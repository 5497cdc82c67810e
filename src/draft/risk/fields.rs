//! The three-state risk fields (suicidal ideation, plan, intent, homicidal ideation), set only
//! from the client's words (or the clinician's dictation) and each citing them.
//!
//! Votes come from:
//! - **answers** to screening questions: the question's topics (a therapist question, or an
//!   unlabeled one that reads as screening) and the answer's opening ("No.", "Sometimes,
//!   yeah.", "Not really."), for each topic asked;
//! - **what the client says** anywhere: an endorsed wish to be dead is suicidal ideation
//!   *endorsed* even in the same breath as "I don't want to kill myself"; a negated thought
//!   ("I'm not suicidal") denies ideation, a negated act ("I'd never do that") denies intent,
//!   "no plan" denies the plan only.
//!
//! How an answer opens is read past exclamations and laughs ("God, no.", "Ha, no."), an
//! interpreter's "She says", dialect ("Aye", "ya kinda") and a misheard question ("Sorry, I
//! thought you said fed up. No."); "Not now. Years ago, yes." denies the present unless the
//! answer looks ahead ("Not now. Later, maybe."). A question put as a denial ("No plans?",
//! "So you haven't thought about how?") is agreed with by a no or "Correct."; a bare yes to it
//! is unclear. A no to a question whose ideation is only what the plan or intent would act on
//! ("Would you act on those thoughts?", "Do you intend to hurt him?") denies the plan or intent,
//! not the thoughts.
//!
//! A field is `endorsed` when anything endorses it (a conflicting denial becomes a flag),
//! `not_assessed` with a flag when any vote is unclear (a hedge, an unanswered question, a
//! qualified or frightening answer), and `denied` only when every vote denies it. A cue by
//! itself sets nothing: third-party talk, idioms, the remote past and hopelessness give no
//! vote, and the embedding net never votes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::context::{self, Polarity, Role};
use super::lex::Sentence;
use super::{About, RiskCategory, RiskItem, RiskStatus, SegView};

/// A three-state field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Si,
    Plan,
    Intent,
    Hi,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Si, Field::Plan, Field::Intent, Field::Hi];

    pub fn key(self) -> &'static str {
        match self {
            Field::Si => "suicidal_ideation",
            Field::Plan => "plan",
            Field::Intent => "intent",
            Field::Hi => "homicidal_ideation",
        }
    }
}

/// What a screening question asks about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Topics {
    pub si: bool,
    pub plan: bool,
    pub intent: bool,
    pub hi: bool,
    /// Self-harm, means or safety at home: risk talk that sets no field.
    pub other: bool,
}

impl Topics {
    pub fn any_field(&self) -> bool {
        self.si || self.plan || self.intent || self.hi
    }
    pub fn any(&self) -> bool {
        self.any_field() || self.other
    }
    fn has(&self, f: Field) -> bool {
        match f {
            Field::Si => self.si,
            Field::Plan => self.plan,
            Field::Intent => self.intent,
            Field::Hi => self.hi,
        }
    }
    fn fields(&self) -> Vec<Field> {
        let mut v = Vec::new();
        if self.si {
            v.push(Field::Si);
        }
        if self.plan {
            v.push(Field::Plan);
        }
        if self.intent {
            v.push(Field::Intent);
        }
        if self.hi {
            v.push(Field::Hi);
        }
        v
    }
}

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("risk field pattern {p}: {e}"))
}

static SI_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:suicid\w*|kill(?:ing)? (?:yourself|myself|herself|himself|themselves)|(?:end|ending|take|taking) (?:your|my|her|his|their) (?:own )?life|better off dead|(?:wish|wished|wishing) (?:\S+ ){0,6}(?:dead|die|not (?:be )?(?:here|around|alive))|want(?:ed|ing)? to (?:die|be dead)|being dead|rather (?:be dead|die|not be (?:here|alive|around)|not exist|not wake up)|not (?:be|being) alive|(?:thoughts?|thinking|think|thought) (?:\S+ ){0,2}(?:of|about) (?:death|dying|suicide|ending (?:it|things|your life|my life)|killing (?:yourself|myself)|not (?:being here|waking up))|(?:not|never) (?:to )?wake up|worth living|(?:end|ending) it all|death wish\w*|item (?:nine|9)|feel like (?:dying|ending (?:it|things))|(?:not|n't) want to (?:live|be alive)|not wanting to (?:live|be (?:here|around|alive))|life (?:\S+ ){0,2}not worth|(?:wish|wished|wishing|want|wanted|wanting) (?:\S+ ){0,3}(?:life|lives|it all|everything) (?:would |could |to |will )?(?:just )?(?:end|be over|stop)|(?:not|n't) (?:being|be) (?:here|around|alive) any ?more|(?:yourself|myself),? or (?:of )?(?:dying|death|wanting to die|being dead|not being here)|(?:better|easier) (?:to be|being|if you were|if i was|if i were) (?:dead|gone)|(?:better|easier) (?:to die|if you died|if i died|not to (?:be here|be alive|wake up|exist))|(?:thoughts?|thinking|think|thought) (?:\S+ ){0,2}(?:of|about) (?:doing|do) (?:anything|something) to (?:yourself|myself))\b",
    )
});
static PLAN_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:a plan|any plan|any plans|no plans?|(?:thoughts|ideation),? (?:or |and )?plans?|plans?,? (?:or |and )?(?:intent\w*|intend\w*)|plan to|specific plan|planned|planning|how (?:you|i) would (?:do it|end|kill|die)|how would you do it|thought about how|(?:think|thought|thinking) (?:of |about )?how|how you would|how would you|(?:worked|figured|thought|planned|decided|know) (?:out )?how|method|preparations?|prepare|prepared|written a note|write a note|(?:any|a|some) (?:way|ways|means) (?:of|to) (?:doing|do) it|how to do it|giving (?:things|stuff|your things) away|picked|when you would|where you would)\b",
    )
});
static INTENT_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:intent|intention|intentions|intend|intending|act on|acting on|go through with|would you do it|do you think you would|what stops you|stop you from|keeps you from|plan to do it|going to do it|would you act|(?:do|doing) (?:anything|something) to bring (?:it|that|this) about|bring (?:it|that|this) about|(?:do|doing) (?:anything|something) to yourself|think to do something|take (?:it|matters|things) into your own hands|(?:would|will|could) you (?:ever )?(?:actually )?do (?:anything|something) (?:to|about)|do you mean to|something you would do (?:anything|something) about|(?:do|doing) (?:anything|something) to (?:get there sooner|hurry (?:it|that|this|things) along|speed (?:it|that|things) up|help it along))\b",
    )
});
/// Thoughts of doing something to oneself ("Thoughts of doing something to yourself?") ask
/// about the thoughts, and "how you might do something to yourself" about a plan: neither asks
/// about intent, which "Would you do something to yourself?" does.
static THOUGHT_OF_ACT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:thoughts?|thinking|think|thought)(?: \S+){0,2} (?:of|about) (?:how (?:you |i )?(?:might |would |could |will )?)?(?:doing|do) (?:anything|something) to (?:yourself|myself)\b",
    )
});
static HI_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:homicid\w*|(?:hurt|hurting|harm|harming|kill|killing) (?:yourself (?:or|and) )?(?:anyone|someone|somebody|anybody|others|other people|another person|your \S+|him|her|them|the baby|people)|violent thoughts|thoughts of violence)\b",
    )
});
static OTHER_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?:hurt|hurting|harm|harming|cut|cutting|burn|burning) yourself|self-harm\w*|cutting|guns?|firearms?|weapons?|access to|safe at home|hurting you|hurt you|hit you|abus\w*|feel safe|are you safe)\b",
    )
});
static NOT_A_RISK_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:safety|treatment|care|crisis|discharge|session|lesson|meal|business|payment|birth|exercise|diet|action|game) plans?\b|\bplan of care\b|\bplan (?:for|to) (?:the |this |next |my |a )?(?:weekend|week|holiday|vacation|trip|dinner|move|job|day|future|work|school|study)\b",
    )
});
/// An intent question about thoughts spoken of before ("would you act on them?", "If those
/// dark moments came, would you act on them?").
static ACTS_ON_THOUGHTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:those|these|the|such|your|dark) (?:\S+ )?(?:thoughts|moments|feelings|urges)\b.*\bact(?:ing)? on (?:them|it|those|these)\b",
    )
});
static ANAPHOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:like that|like this|those thoughts|these thoughts|that thought|that happened|those feelings|that way|such thoughts|thoughts like)\b",
    )
});
/// What voices or someone else tell the client to do ("Are the voices telling you to hurt
/// yourself or anyone else?"), to the end of its clause: the content of a command, not the
/// client's own thoughts. A no to it denies the commands, not ideation; risk talk all the same.
static COMMANDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:voices?|they|someone|anyone|anybody|somebody|something)\s+(?:\S+\s+){0,2}(?:tell|tells|telling|told|order|orders|ordering|ordered|command|commands|commanding|commanded|ask|asks|asking|asked|want|wants|wanting|urge|urges|urging|push|pushes|pushing)\s+you\s+to\b[^,;?.!]*",
    )
});
/// A short question that puts what was just asked to the client ("Do you?", "And you?").
static ASKED_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:and |but |so )?(?:(?:do|have|are|did|would|could) )?you(?: though| yourself| personally| too)?$",
    )
});
static HISTORICAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:ever (?:tried|attempted|made an attempt)|history|previous(?:ly)?|any attempts|past attempts|in your life|lifetime)\b",
    )
});
static INTENT_AFFIRM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:i (?:am going to|will|plan to|intend to|might|think i might|think i will|probably will)(?: \S+){0,1} (?:do it|do that|act on (?:it|them|these thoughts)|go through with it)|i think i might|i might|i will|i am going to|probably)\b",
    )
});
static TIMEFRAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:tonight|tomorrow|this weekend|next week|soon|this week|friday|saturday|sunday|monday|tuesday|wednesday|thursday|when (?:she|he|they|everyone) (?:is|are) (?:away|gone|out)|after (?:the|my) \S+)\b",
    )
});

/// A therapist's summary put to the client to confirm ("So, to sum up: ... Is that fair?").
static SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:okay|ok|right|and) )?so you\b|\b(?:to sum up|sum up|summari[sz]\w*|just to check|let me check|if i have (?:got )?(?:this|that|it) right|is that (?:fair|right|correct|accurate)|have i got (?:that|this|it) right|did i get (?:that|this|it) right|so you are saying|what i am hearing)\b|\b(?:right|correct)\?\s*$",
    )
});

/// The fields a summary put as a question tells back as denied ("no thoughts of suicide or
/// of being dead, no plans, nothing you'd act on"): a yes to it confirms the denials, not the
/// thoughts. A field is denied when every mention of it follows a negation within six words,
/// with no "but" or "and" between.
fn denied_in_summary(text: &str) -> Topics {
    if !SUMMARY.is_match(text) || NEGATED_QUESTION.is_match(text) {
        return Topics::default();
    }
    negated_mentions(text)
}

/// A question put as a denial ("No plans?", "So you don't have a plan?", "You're not having
/// thoughts of ending your life, are you?"): a no agrees with it, "Correct." too; a bare yes
/// is unclear, and "Yes, I am." endorses.
static NEGATED_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:okay|ok|right|and|but),? )?(?:so,? )?(?:no (?:plans?|thoughts|intent\w*|intentions?|ideas?)\b|you(?:['’]re| are) not\b|you (?:do|have|would|will|did|are|had|could|were)(?:n['’]?t| not)\b|you(?:['’]ve| have| had) (?:no|not|never)\b|you never\b|there(?:['’]s| is) no\b|nothing (?:like that|else)\b)",
    )
});

/// The fields a question put as a denial denies ([`NEGATED_QUESTION`]).
fn negated_in_question(text: &str) -> Topics {
    if !NEGATED_QUESTION.is_match(text) {
        return Topics::default();
    }
    negated_mentions(text)
}

/// The fields whose every mention in `text` follows a negation within six words, with no
/// "but" or "and" between.
fn negated_mentions(text: &str) -> Topics {
    fields_where(text, |re: &Regex, t: &str| -> bool {
        let ms: Vec<regex::Match> = re.find_iter(t).collect();
        !ms.is_empty()
            && ms.iter().all(|m| {
                if m.as_str().starts_with("no ") {
                    return true;
                }
                for w in t[..m.start()].split_whitespace().rev().take(6) {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
                    if matches!(w, "but" | "and" | "though" | "although" | "except" | "yet") {
                        return false;
                    }
                    if matches!(w, "no" | "not" | "nothing" | "never" | "none" | "without")
                        || w.ends_with("n't")
                        || w.ends_with("n\u{2019}t")
                    {
                        return true;
                    }
                }
                false
            })
    })
}

/// The ideation a question names only as what a plan or intent would act on ("Do you think
/// you'd act on those thoughts about dying?", "Do you intend to hurt him?"): a no to it denies
/// the plan or the intent, not the thoughts. The ideation is an object when the question's
/// plan or intent words come before it ("Any thoughts of suicide, or a plan?" asks both).
fn ideation_as_object(text: &str) -> Topics {
    let text = &*COMMANDED.replace_all(text, " ");
    let text = &*NOT_A_RISK_PLAN.replace_all(text, " ");
    let intent_text =
        THOUGHT_OF_ACT.replace_all(text, |c: &regex::Captures| " ".repeat(c[0].len()));
    let first_act = [INTENT_TOPIC.find(&intent_text), PLAN_TOPIC.find(text)]
        .into_iter()
        .flatten()
        .min_by_key(|m| m.start());
    let Some(act) = first_act else {
        return Topics::default();
    };
    // the ideation right after the plan or intent words, nothing listed between ("act on those
    // thoughts about dying", "intend to hurt him"; not "plans, intentions, or thoughts of
    // hurting anybody else")
    let after = |re: &Regex| {
        re.find_iter(text).any(|m| {
            m.start() >= act.end() && {
                let between = &text[act.end()..m.start()];
                between.split_whitespace().count() <= 6
                    && !between.contains(',')
                    && !between.split_whitespace().any(|w| w == "or" || w == "and")
            }
        })
    };
    Topics {
        si: after(&SI_TOPIC),
        hi: after(&HI_TOPIC),
        ..Topics::default()
    }
}

/// What a piece of text asks or speaks about (question topics).
pub fn topics(text: &str) -> Topics {
    Topics {
        other: OTHER_TOPIC.is_match(text) || COMMANDED.is_match(text),
        ..fields_where(text, |re, t| re.is_match(t))
    }
}

/// The four fields' topics for which `hit` holds of their pattern and `text` (a plan's pattern
/// read with plans that are no risk, "a safety plan", taken out).
fn fields_where(text: &str, hit: impl Fn(&Regex, &str) -> bool) -> Topics {
    let text = &*COMMANDED.replace_all(text, " ");
    let plan_text = NOT_A_RISK_PLAN.replace_all(text, " ");
    Topics {
        si: hit(&SI_TOPIC, text),
        plan: hit(&PLAN_TOPIC, &plan_text),
        intent: hit(&INTENT_TOPIC, &THOUGHT_OF_ACT.replace_all(text, " ")),
        hi: hit(&HI_TOPIC, text),
        other: false,
    }
}

/// How an answer opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Particle {
    Yes,
    No,
    Hedge,
}

const DISCOURSE: &[&str] = &[
    "well",
    "honestly",
    "so",
    "um",
    "like",
    "okay",
    "ok",
    "oh",
    "actually",
    "uh",
    "look",
    "truthfully",
    "frankly",
];
/// A shrug that opens an answer without answering ("Whatever. Yeah.").
const SHRUG: &[&str] = &[
    "whatever", "hmm", "mm", "hm", "right", "god", "jeez", "gosh", "wow",
];
/// An exclamation or a laugh before the answer ("God, no.", "Ha, no.", "lol no", "Ah no"):
/// passed over to reach the answer's opening.
const INTERJECTION: &[&str] = &[
    "god", "gosh", "jeez", "heavens", "lord", "christ", "goodness", "ha", "haha", "hah", "lol",
    "lmao", "ah", "ahh", "aw", "er", "erm", "umm", "hmm", "mm", "oh", "och", "ach", "wow",
];
/// The second word of a two-word exclamation ("Good heavens", "Oh my god", "Dear God").
const INTERJECTION_TAIL: &[&str] = &[
    "heavens", "lord", "god", "goodness", "gosh", "grief", "gracious", "me",
];
/// "Not now. Years ago, yes.", "Not for a long time.", "Not since the hospital.": a denial of
/// the present, about the past; a no, unless the answer looks ahead ("Not now. Later, maybe.")
/// or keeps it open ("Not right now", "Not today": hedges).
static NOT_NOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^not (?:now|any ?more|these days|in years|in ages|in a long time|in (?:the )?(?:last|past) (?:\S+ )?(?:week|weeks|month|months|year|years)|for (?:years|ages|a long time|a good while|a long while|(?:about |over |more than )?(?:a|two|three|four|five|six|several|many|a few|a couple of) (?:\S+ )?(?:years|months|year|month))|since (?:then|\S+))\b",
    )
});
/// A denial that says when it stopped being one ("Not till this year.", "Never, not until
/// the diagnosis").
static ONSET: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|\b(?:never|no|not once)\b.*)\bnot (?:until|till|til)\b|\b(?:never|not once)\b.*\b(?:until|till) (?:this|last|recently|lately|the|my|now|after)\b",
    )
});
static LOOKS_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:if|later|yet|maybe|might|unless|until|who knows|depends|soon|tomorrow|tonight|today|right now|at the moment|not sure|do not know|dunno|could|would|will|going to|still)\b",
    )
});
const HEDGE_PREFIXES: &[&str] = &[
    "not really",
    "not sure",
    "not exactly",
    "not right now",
    "not at the moment",
    "not anymore",
    "not any more",
    "not lately",
    "not recently",
    "not since",
    "not these days",
    "not today",
    "not much",
    "not as much",
    "not that much",
    "not seriously",
    "not in that way",
    "not that i know",
    "i do not know",
    "i do not think so",
    "i am not sure",
    "i am not really sure",
    "i am not certain",
    "maybe",
    "kind of",
    "sort of",
    "i guess",
    "a little",
    "hard to say",
    "possibly",
    "probably not",
    "i would rather not",
    "rather not",
    "i do not want to talk",
    "it depends",
    "i suppose",
    "i can not say",
    "i do not remember",
    "depends",
    "perhaps",
];
const NO_PREFIXES: &[&str] = &[
    "not at all",
    "absolutely not",
    "definitely not",
    "of course not",
    "certainly not",
    "god no",
    "hell no",
    "no way",
    "not once",
    "nothing like that",
    "not ever",
    "never",
    "nope",
    "nah",
    "none",
    "negative",
    "neither",
    "nobody",
    "no one",
    "nothing at all",
    "nothing of the sort",
    "course not",
    // to a question about several things: "No to all of those.", "No and no."
    "no to all",
    "no to both",
    "no to any",
    "no to either",
    "no to everything",
    "no and no",
    "no on all",
    "no for all",
];
const YES_PREFIXES: &[&str] = &[
    "yes",
    "yeah",
    // in dialect and other languages: "Aye.", "ya kinda", "Haan, sometimes."
    "aye",
    "ya",
    "ye",
    "yah",
    "yeh",
    "haan",
    // a summary confirmed ("That's right.", "Fair.", "Yeah, exactly.")
    "that is right",
    "that is correct",
    "that is true",
    "that is accurate",
    "that is about right",
    "correct",
    "exactly",
    "fair",
    "fair enough",
    "yep",
    "yup",
    "yea",
    "sure",
    "definitely",
    "absolutely",
    "unfortunately",
    "afraid so",
    "sometimes",
    "often",
    "occasionally",
    "constantly",
    "all the time",
    "most days",
    "every day",
    "every night",
    "pretty much",
    "a lot",
    "some days",
    "at times",
    "now and then",
    "once or twice",
    "every now and then",
    "most of the time",
    "quite a lot",
    "quite often",
    "i have",
    "i do",
    "i did",
    "i am",
    "i think about it",
    "i have thought about it",
    "i thought about it",
    "i think so",
    "lately",
    "a bit",
    "once",
    "twice",
    "it has crossed my mind",
    "it is crossed my mind",
    "it crossed my mind",
    "they have crossed my mind",
];
/// Words that may follow a yes-opening without turning it into a statement of its own.
const YES_FILL: &[&str] = &[
    // a vocative after the yes ("Yes, madam.")
    "madam",
    "sir",
    "miss",
    "love",
    "dear",
    "doc",
    "doctor",
    "mate",
    "yeah",
    "yes",
    "i",
    "have",
    "had",
    "do",
    "did",
    "think",
    "thought",
    "about",
    "it",
    "that",
    "them",
    "lately",
    "recently",
    "a",
    "lot",
    "sometimes",
    "really",
    "when",
    "is",
    "bad",
    // a summary confirmed ("Yeah, fair.", "Yes, that's right.")
    "fair",
    "right",
    "correct",
    "accurate",
    "the",
    "time",
    "most",
    "days",
    "honestly",
    "probably",
    "though",
    "too",
    "again",
    "more",
    "often",
    "now",
    "every",
    "night",
    "day",
    "of",
    "course",
    "sure",
    "yep",
    "some",
    "am",
    "afraid",
    "so",
    "pretty",
    "much",
    "unfortunately",
    "quite",
    "week",
    "this",
    "past",
    "month",
    "on",
    "off",
    "and",
    "at",
    "times",
    "night",
    "nights",
    "mornings",
    // how often, how much: "yeah a few times", "ya kinda", "yes, lots"
    "few",
    "couple",
    "times",
    "lots",
    "loads",
    "kind",
    "kinda",
    "sort",
    "sorta",
    "basically",
    "bit",
    "little",
    "mostly",
    "last",
    "weeks",
    "months",
    "ig",
    "tbh",
    "all",
    "whole",
    "odd",
    "single",
    "still",
    "exactly",
    "absolutely",
    "definitely",
    "aye",
    "ya",
    "ye",
    "yah",
    "true",
    "enough",
];
/// Where a yes goes on to say when or why ("yeah a few times since the exams", "yes, mostly
/// after I have been drinking"): the yes stands, as long as nothing in its clause is negated
/// (an answer about the past is told apart by the caller).
const YES_THEN: &[&str] = &[
    "since",
    "when",
    "whenever",
    "after",
    "especially",
    "usually",
    "during",
    "before",
    "if",
    "like",
    "mostly",
    "in",
    "at",
    "on",
];

fn starts_with_words(words: &[String], prefix: &str) -> bool {
    let p: Vec<&str> = prefix.split(' ').collect();
    words.len() >= p.len() && p.iter().zip(words).all(|(a, b)| *a == b.as_str())
}

/// The opening of an answer: its first sentence's first clause, after discourse words.
fn particle(sents: &[Sentence]) -> Option<Particle> {
    // a first sentence of fillers or a shrug only ("Whatever. Yeah. Sometimes.") opens the
    // answer; the next one answers
    // the same for a question echoed back ("Me? Some nights, yes.") and for a person named
    // before the answer ("My stepdad. I think about it every day.")
    const ECHO: &[&str] = &[
        "me", "who", "myself", "what", "sorry", "huh", "pardon", "really",
    ];
    let names_a_person = |s: &Sentence| {
        s.words.len() <= 3
            && matches!(
                s.words.first().map(String::as_str),
                Some("my" | "him" | "her" | "them" | "that")
            )
            && !s
                .words
                .iter()
                .any(|w| matches!(w.as_str(), "no" | "not" | "never" | "nobody" | "none"))
    };
    let skip = sents
        .iter()
        .take_while(|s| {
            !s.words.is_empty()
                && (s.words.iter().all(|w| {
                    DISCOURSE.contains(&w.as_str())
                        || SHRUG.contains(&w.as_str())
                        || INTERJECTION.contains(&w.as_str())
                }) || s.question && s.words.iter().all(|w| ECHO.contains(&w.as_str()))
                    || names_a_person(s) && sents.len() > 1)
        })
        .count();
    let sents = sents.get(skip..).filter(|s| !s.is_empty()).unwrap_or(sents);
    let first = sents.first()?;
    // "Never, not once. Not till this year.": a no that names when it began is no denial;
    // the clinician reads the answer
    if sents.iter().any(|s| ONSET.is_match(&s.text)) {
        return None;
    }
    // "Some days with the pain, yes.": a bare yes closing the first sentence, no "no" in it
    // ("In the camp, yes." answers about then, not now: only a frequency or time opening counts)
    let closing_yes = first.words.len() >= 2
        && YES_PREFIXES
            .iter()
            .any(|p| p.contains(' ') && starts_with_words(&first.words, p))
        && first
            .words
            .last()
            .is_some_and(|w| matches!(w.as_str(), "yes" | "yeah" | "yep"))
        && first
            .barrier
            .get(first.words.len() - 1)
            .copied()
            .unwrap_or(false)
        && !first
            .words
            .iter()
            .any(|w| matches!(w.as_str(), "no" | "not" | "never" | "nope"));
    // "Dying, yeah." "Daily, yes.": one word, then a bare yes closing the first sentence,
    // takes up what was asked (one option of "dying, or killing yourself?"); not a hedge or a
    // negation ("Maybe, yeah." "No, yeah."), and not when the answer denies something after
    // it: the word taken up may be the part of the question that is no risk ("Lonely, yes.
    // Dead, no."; "Angry, yeah. Hurt him? No.")
    let echo_yes = first.words.len() == 2
        && !sents.iter().any(|s| {
            s.words
                .iter()
                .any(|w| matches!(w.as_str(), "no" | "nope" | "nah" | "never"))
        })
        && matches!(first.words[1].as_str(), "yes" | "yeah" | "yep")
        && first.barrier.get(1).copied().unwrap_or(false)
        && !matches!(
            first.words[0].as_str(),
            "no" | "not" | "never" | "nope" | "nah" | "maybe" | "possibly" | "perhaps" | "probably"
        )
        && !HEDGE_PREFIXES.iter().any(|p| *p == first.words[0]);
    // "When my lungs are bad, yes.", "Since the birth, yes, sometimes.": a yes set in its
    // time or condition (not a place or a past: "In the camp, yes.")
    let conditioned_yes = matches!(
        first.words.first().map(String::as_str),
        Some("when" | "whenever" | "since" | "if" | "after" | "at" | "most" | "every" | "lately")
    ) && first.words.len() <= 10
        && first.words.iter().enumerate().skip(1).any(|(i, w)| {
            matches!(w.as_str(), "yes" | "yeah")
                && first.barrier[i]
                && (i + 1 >= first.words.len() || first.barrier[i + 1])
        })
        && !first.words.iter().any(|w| {
            matches!(
                w.as_str(),
                "no" | "not" | "never" | "nope" | "was" | "were" | "used"
            )
        });
    if closing_yes || echo_yes || conditioned_yes {
        return Some(Particle::Yes);
    }
    let mut k = 0;
    while k < first.words.len() {
        let w = first.words[k].as_str();
        let tail = first.words.get(k + 1).map(String::as_str);
        if DISCOURSE.contains(&w) || INTERJECTION.contains(&w) {
            k += 1;
        } else if w == "i" && tail == Some("mean") {
            k += 2;
        } else if matches!(w, "he" | "she")
            && matches!(tail, Some("says" | "said"))
            && first.words.len() > k + 2
        {
            // an interpreter relaying the client's answer: "He says no, never."
            k += 2;
        } else if matches!(w, "good" | "my" | "dear" | "oh")
            && tail.is_some_and(|t| INTERJECTION_TAIL.contains(&t))
        {
            k += 2;
        } else {
            break;
        }
    }
    let end = first.clause_end(k);
    let clause = &first.words[k.min(end)..end];
    if clause.is_empty() {
        return None;
    }
    let all_words = || {
        sents
            .iter()
            .flat_map(|s| s.words.iter().enumerate().map(move |(i, w)| (s, i, w)))
    };
    let rest_of = |from: usize| -> String {
        std::iter::once(first.words[from..].join(" "))
            .chain(sents[1..].iter().map(|s| s.words.join(" ")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if NOT_NOW.is_match(&first.words[k..].join(" ")) && !LOOKS_AHEAD.is_match(&rest_of(k)) {
        return Some(Particle::No);
    }
    // "Not how, no.": a short "not" answer closed by a bare no (a longer one may deny only
    // what it names: "Not of hurting anyone else, no.")
    let n = first.words.len();
    if first.words.get(k).is_some_and(|w| w == "not")
        && n - k <= 3
        && first.words[n - 1] == "no"
        && !LOOKS_AHEAD.is_match(&first.words[k..].join(" "))
    {
        return Some(Particle::No);
    }
    if HEDGE_PREFIXES.iter().any(|p| starts_with_words(clause, p)) {
        // "Not really, no." is a denial
        let bare_no = all_words().skip(1).any(|(s, i, w)| {
            w == "no" && (i + 1 >= s.words.len() || s.barrier[i + 1]) && (i == 0 || s.barrier[i])
        });
        // "Kind of, yes.": a qualified yes is a yes (not "maybe, yeah" or "I don't know, yeah")
        let qualified_yes = ["kind of", "sort of", "a little", "i guess", "i suppose"]
            .iter()
            .any(|p| starts_with_words(clause, p))
            && first.words.iter().enumerate().any(|(i, w)| {
                matches!(w.as_str(), "yes" | "yeah")
                    && (i + 1 >= first.words.len() || first.barrier[i + 1])
                    && first.barrier[i]
            })
            && !bare_no;
        return Some(if bare_no {
            Particle::No
        } else if qualified_yes {
            Particle::Yes
        } else {
            Particle::Hedge
        });
    }
    if NO_PREFIXES.iter().any(|p| starts_with_words(clause, p)) {
        return Some(Particle::No);
    }
    if clause[0] == "no" {
        let next = clause.get(1).map(String::as_str);
        if matches!(
            next,
            None | Some(
                "no" | "never" | "not" | "god" | "way" | "nothing" | "none" | "thank" | "thanks"
                    // a vocative or a laugh after the no: "No, love.", "no lol im fine"
                    | "love" | "dear" | "darling" | "pet" | "mate" | "sir" | "miss" | "doc"
                    | "lol" | "haha" | "ha" | "definitely" | "absolutely" | "certainly"
                    | "nobody" | "neither" | "nor"
                    // a vocative or an assurance: "No, ma'am.", "No, seriously, no."
                    | "maam" | "ma'am" | "man" | "doctor" | "dr" | "nurse" | "hun" | "bro" | "son"
                    | "seriously" | "honestly" | "course" | "nope" | "nah" | "sorry"
            )
        ) {
            return Some(Particle::No);
        }
        // "no I wouldn't", "no I haven't, no": a no, then the same denial in words (not "no I
        // don't think so", "no I can't say", "no I mean yeah")
        if next == Some("i")
            && clause[2..clause.len().min(5)]
                .iter()
                .any(|w| matches!(w.as_str(), "not" | "never"))
            && !clause.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "mean"
                        | "think"
                        | "know"
                        | "say"
                        | "remember"
                        | "promise"
                        | "sure"
                        | "want"
                        | "like"
                        | "but"
                        | "if"
                        | "really"
                )
            })
        {
            return Some(Particle::No);
        }
    }
    for p in YES_PREFIXES {
        if starts_with_words(clause, p) {
            let n = p.split(' ').count();
            let filled = clause[n..]
                .iter()
                .take_while(|w| YES_FILL.contains(&w.as_str()))
                .count();
            let then = clause.get(n + filled).map(String::as_str);
            let negated = clause.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "not" | "no" | "never" | "nothing" | "none" | "nobody" | "but" | "fine"
                )
            });
            if n + filled == clause.len() || then.is_some_and(|t| YES_THEN.contains(&t)) && !negated
            {
                return Some(Particle::Yes);
            }
        }
    }
    // "Only my printer, ha. No, seriously, no.", "She worries too much. No.": a first
    // sentence that is a joke or about someone else, then a plain no
    let opens = first.words.get(k).map(String::as_str);
    let aside = matches!(opens, Some("only" | "she" | "he" | "they"))
        || first
            .words
            .iter()
            .any(|w| matches!(w.as_str(), "ha" | "haha" | "lol" | "joking" | "kidding"));
    if aside {
        for s in sents.iter().skip(1).take(2) {
            match particle(std::slice::from_ref(s)) {
                Some(Particle::No) => return Some(Particle::No),
                Some(_) => break,
                None => {}
            }
        }
    }
    None
}

/// What an answer names as none ("No plan, no.", "No thoughts, no plans."), when its first
/// sentence says only that: the fields it denies, each by name.
fn named_nones(sents: &[Sentence]) -> Topics {
    let mut t = Topics::default();
    let Some(first) = sents.first() else {
        return t;
    };
    const ONLY: &[&str] = &[
        "no",
        "none",
        "nothing",
        "at",
        "all",
        "of",
        "that",
        "sort",
        "kind",
        "like",
        "and",
        "or",
        "either",
        "plan",
        "plans",
        "thoughts",
        "thought",
        "intent",
        "intention",
        "intentions",
    ];
    if first.words.first().is_none_or(|w| w != "no")
        || !first.words.iter().all(|w| ONLY.contains(&w.as_str()))
    {
        return t;
    }
    for w in first.words.windows(2) {
        if w[0] != "no" {
            continue;
        }
        match w[1].as_str() {
            "plan" | "plans" => t.plan = true,
            "thoughts" | "thought" => {
                t.si = true;
                t.hi = true;
            }
            "intent" | "intention" | "intentions" => t.intent = true,
            _ => {}
        }
    }
    t
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Endorsed,
    Denied,
    Unclear,
}

#[derive(Debug, Clone)]
struct Vote {
    kind: Kind,
    cites: Vec<u32>,
    /// The words the vote rests on (shown in flags).
    words: String,
    why: &'static str,
}

#[derive(Default)]
struct Local {
    votes: BTreeMap<Field, Vec<Vote>>,
}

impl Local {
    fn add(&mut self, f: Field, kind: Kind, cites: &[u32], words: &str, why: &'static str) {
        self.votes.entry(f).or_default().push(Vote {
            kind,
            cites: cites.to_vec(),
            words: words.to_string(),
            why,
        });
    }
}

/// The words of a plan or an intent: ideation named as their object ("denies plan to harm
/// her") is not itself denied.
const PLAN_WORDS: &[&str] = &["plan", "plans", "intent", "intention", "intentions"];

/// "denies plan to harm her", "no intention of hurting anyone": between the denial and
/// the end of the hit at `start..end`, a plan or an intent is named and no thoughts are (not
/// "denied any thoughts or intent to harm others").
fn only_planned(words: &[String], start: usize, end: usize) -> bool {
    let end = end.min(words.len());
    let Some(neg) = (start.saturating_sub(6)..start).rev().find(|&k| {
        matches!(
            words[k].as_str(),
            "denies" | "denied" | "deny" | "denying" | "no" | "not" | "never" | "without"
        )
    }) else {
        return false;
    };
    let span = &words[neg..end];
    span.iter().any(|w| PLAN_WORDS.contains(&w.as_str()))
        && !span.iter().any(|w| {
            matches!(
                w.as_str(),
                "thoughts" | "thought" | "ideation" | "urges" | "urge"
            )
        })
}

/// A screening question awaiting its answers.
#[derive(Debug, Clone, Copy)]
struct Asked {
    /// The question's segment.
    id: u32,
    topics: Topics,
    /// About history ("Have you ever tried?"), not now.
    historical: bool,
    /// The fields a summary told back as denied ([`denied_in_summary`]).
    denied: Topics,
    /// Whether it told back the client's own suicidal thoughts ([`tells_back_ideation`]).
    tells_back: bool,
    /// The ideation it names only as what a plan or intent is about ([`ideation_as_object`]).
    objects: Topics,
    /// The fields it puts as a denial ([`negated_in_question`]).
    negated: Topics,
    /// Whether it probes a denial just given ("Not even fleeting ones?", "Not once?").
    probe: bool,
}

/// A short question that probes the denial just given ("Not even fleeting ones?", "Never?",
/// "Not even once?"): about what was last asked, put as a denial.
static PROBED_DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:and |so |but )?(?:not even|not once|not ever|never|not at all|none at all|nothing at all|not a single|not one)\b(?: \S+){0,5}$",
    )
});

/// "Fleeting, yeah.", "Once, yeah.", "A couple, yes.": an answer to a probe of a denial that
/// takes up what the probe named with a yes, and says no no anywhere (not "Yeah, not even
/// those.", nor a hedge: "Maybe once, yeah.").
fn took_up_probe(sents: &[Sentence]) -> bool {
    if sents.iter().any(|s| {
        s.has_any(&[
            "no", "not", "never", "nothing", "none", "nope", "nah", "maybe", "perhaps",
        ])
    }) {
        return false;
    }
    sents
        .iter()
        .find(|s| {
            !s.words
                .iter()
                .all(|w| DISCOURSE.contains(&w.as_str()) || INTERJECTION.contains(&w.as_str()))
        })
        .is_some_and(|s| {
            let n = s.words.len();
            (2..=4).contains(&n)
                && YES_WORDS.contains(&s.words[n - 1].as_str())
                && !YES_WORDS.contains(&s.words[0].as_str())
        })
}

/// Decides the four fields; returns them with the flags for unclear and conflicting ones.
pub fn decide(views: &[SegView]) -> (BTreeMap<Field, RiskItem>, Vec<String>) {
    let mut all: BTreeMap<Field, Vec<Vote>> = BTreeMap::new();
    // the open screening question, and how many answers it has had
    let mut open: Option<(Asked, usize)> = None;
    // a therapist's reflection of a disclosure, awaiting the client's reply: (its view, topics)
    let mut reflection: Option<(&SegView, Topics)> = None;
    let mut recent_topics = Topics::default();
    let mut recent_age = 99usize;
    // segments since suicide or harm to others was last asked about or spoken of: a question
    // about "a plan" or "what stops you" is a risk question only in such talk
    let mut risk_age = 99usize;
    // the client's last answer to a screening question
    let mut last_answer: Option<u32> = None;
    for v in views {
        recent_age += 1;
        risk_age += 1;
        let asks = question_topics(v);
        // a therapist's reflection of a disclosure ("You said you want to kill yourself since
        // the amputation."): the client's yes to it ("I do.") endorses what it tells back; a no
        // is left unclear (it may correct the wording, not deny the thoughts)
        if asks.is_none() && v.role == Role::Therapist {
            if let Some(t) = reflected_topics(v) {
                reflection = Some((v, t));
                open = None;
                continue;
            }
        }
        if let Some((mut t, historical)) = asks {
            reflection = None;
            // a premise told back before the question is risk talk too ("When you say you
            // want to kill yourself, have you worked out how?")
            let text = v.text_lower();
            let whole = topics(&text);
            if whole.si || whole.hi {
                risk_age = 0;
            }
            let probe = !t.any() && PROBED_DENIAL.is_match(text.trim()) && recent_age <= 4;
            if !t.any()
                && (ANAPHOR.is_match(&text) || ASKED_BACK.is_match(&text) || probe)
                && recent_age <= 4
            {
                t = recent_topics;
            }
            // (unless it points back to thoughts: "If those thoughts come back, would you act
            // on them?")
            if (t.plan || t.intent)
                && !(t.si || t.hi || t.other)
                && risk_age > 6
                && !ACTS_ON_THOUGHTS.is_match(&text)
            {
                t.plan = false;
                t.intent = false;
            }
            if t.si || t.hi {
                risk_age = 0;
            }
            if t.any() {
                let asked = Asked {
                    id: v.seg.id,
                    topics: t,
                    historical,
                    denied: denied_in_summary(&text),
                    tells_back: tells_back_ideation(v),
                    objects: ideation_as_object(&text),
                    negated: if probe { t } else { negated_in_question(&text) },
                    probe,
                };
                open = Some((asked, 0));
                recent_topics = t;
                recent_age = 0;
            } else {
                open = None;
            }
            continue;
        }
        if v.role == Role::Therapist {
            continue;
        }
        // the last answer was to a misheard question: its votes go; or walked back as a way
        // of talking: its endorsements are left for the clinician
        if let Some(prev) = last_answer {
            let lower = v.text_lower();
            let denies_now = particle(&lex_sents(v)) == Some(Particle::No);
            if MISHEARD.is_match(&lower) || WALKED_BACK.is_match(&lower) && denies_now {
                for votes in all.values_mut() {
                    votes.retain(|x| !x.cites.contains(&prev));
                }
            } else if WALKED_BACK.is_match(&lower) {
                for x in all.values_mut().flatten() {
                    if x.kind == Kind::Endorsed && x.cites.contains(&prev) {
                        x.kind = Kind::Unclear;
                        x.why = "an answer walked back as a way of talking";
                    }
                }
            }
        }
        let mut local = Local::default();
        // a vague "I wouldn't do that" after ideation was endorsed, intent not asked: left
        // for the clinician (it may answer the thoughts, not the intent)
        let vague_do_denies = open.is_some_and(|(q, _)| q.topics.intent)
            || !all
                .get(&Field::Si)
                .is_some_and(|vs| vs.iter().any(|x| x.kind == Kind::Endorsed));
        statement_votes(v, &mut local, risk_age <= 6, vague_do_denies);
        if let Some((r, t)) = reflection.take() {
            let reply: Vec<&Sentence> = v.sents.iter().map(|s| &s.s).collect();
            if context::confirms_told_back(&reply) {
                // "So you've thought about ending it, but you'd never act on it." / "Right.":
                // the reflection confirmed is the client's account, all of it, the thoughts
                // and the intent denied alike
                let mut confirmed = Local::default();
                statement_votes(r, &mut confirmed, true, vague_do_denies);
                for (f, votes) in confirmed.votes {
                    for mut x in votes {
                        x.cites.push(v.seg.id);
                        local.votes.entry(f).or_default().push(x);
                    }
                }
            } else {
                let mut told_back = Local::default();
                let asked = Asked {
                    id: r.seg.id,
                    topics: t,
                    historical: false,
                    denied: Topics::default(),
                    tells_back: false,
                    objects: Topics::default(),
                    negated: Topics::default(),
                    probe: false,
                };
                answer_votes(v, &asked, true, &mut told_back);
                for (f, votes) in told_back.votes {
                    for mut x in votes {
                        if x.kind == Kind::Denied {
                            x.kind = Kind::Unclear;
                            x.why = "a no to the therapist's telling back of a disclosure";
                        }
                        local.votes.entry(f).or_default().push(x);
                    }
                }
            }
            risk_age = 0;
        }
        if let Some((q, seen)) = open.as_mut() {
            if *seen < 3 {
                answer_votes(v, q, *seen == 0, &mut local);
                *seen += 1;
                last_answer = Some(v.seg.id);
            }
        }
        // the topics this segment talked about keep the context for "like that"
        let said = segment_topics(v);
        if said.any() {
            recent_topics = said;
            recent_age = 0;
        }
        // risk talk in the client's words that the rules found ("I ask the Lord to take me,
        // every night.") keeps a question about a plan or intent a risk question too
        let risk_cue = v.sents.iter().any(|s| {
            s.hits.iter().any(|j| {
                j.about == About::Client
                    && j.suppressed.is_none()
                    && matches!(j.polarity, Polarity::Affirmed | Polarity::Hedged)
                    && (j.hit.category.speaks_of_suicide()
                        || j.hit.category == RiskCategory::HarmToOthers)
            })
        });
        if said.si || said.hi || risk_cue {
            risk_age = 0;
        }
        // within one segment: an endorsement wins over a denial; an unclear vote blocks one
        for (f, votes) in local.votes {
            let e: Vec<Vote> = votes
                .iter()
                .filter(|x| x.kind == Kind::Endorsed)
                .cloned()
                .collect();
            let u: Vec<Vote> = votes
                .iter()
                .filter(|x| x.kind == Kind::Unclear)
                .cloned()
                .collect();
            let keep = if !e.is_empty() {
                e
            } else if !u.is_empty() {
                u
            } else {
                votes
            };
            all.entry(f).or_default().extend(keep);
        }
    }
    // a question nobody answered
    if let Some((q, 0)) = open {
        if !q.historical {
            for f in q.topics.fields() {
                all.entry(f).or_default().push(Vote {
                    kind: Kind::Unclear,
                    cites: vec![q.id],
                    words: String::new(),
                    why: "asked, but no answer follows",
                });
            }
        }
    }
    let mut flags = Vec::new();
    let mut out = BTreeMap::new();
    for f in Field::ALL {
        let votes = all.remove(&f).unwrap_or_default();
        let of = |k: Kind| votes.iter().filter(move |v| v.kind == k);
        let cites = |k: Kind| {
            let mut c: Vec<u32> = of(k).flat_map(|v| v.cites.iter().copied()).collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        let item = if of(Kind::Endorsed).next().is_some() {
            if of(Kind::Denied).next().is_some() {
                flags.push(format!(
                    "risk_conflicting:{}: endorsed in segments {:?} but denied in {:?}; review and set",
                    f.key(),
                    cites(Kind::Endorsed),
                    cites(Kind::Denied)
                ));
            }
            RiskItem {
                status: RiskStatus::Endorsed,
                citations: cites(Kind::Endorsed),
            }
        } else if let Some(u) = of(Kind::Unclear).next() {
            let words = if u.words.is_empty() {
                String::new()
            } else {
                format!(" (\"{}\")", clip(&u.words, 160))
            };
            flags.push(format!(
                "risk_unclear:{}: segments {:?}{words}: {}; the field is left for you to set",
                f.key(),
                cites(Kind::Unclear),
                u.why
            ));
            RiskItem::default()
        } else if of(Kind::Denied).next().is_some() {
            RiskItem {
                status: RiskStatus::Denied,
                citations: cites(Kind::Denied),
            }
        } else {
            RiskItem::default()
        };
        out.insert(f, item);
    }
    (out, flags)
}

/// The cue categories that speak against a denial of a field: a present wish to die, a
/// plan, means or preparations against "no suicidal thoughts"; a plan, means or preparations
/// against "no plan" (never against "no intent"); thoughts of harming someone against "no homicidal
/// ideation".
fn contradicts(f: Field, c: RiskCategory) -> bool {
    use RiskCategory as C;
    match f {
        Field::Si => matches!(
            c,
            C::PassiveSi | C::ActiveSi | C::Plan | C::Means | C::Preparatory
        ),
        Field::Plan => matches!(c, C::Plan | C::Means | C::Preparatory),
        // "has a plan, denies intent" is a common and coherent answer
        Field::Intent => false,
        Field::Hi => c == C::HarmToOthers,
    }
}

/// A denial never stands beside the client's own words saying otherwise: a field decided
/// "denied" while a cue about the client (present, not negated, from either net) contradicts
/// it is left for the clinician, with a flag naming both. A cue still sets nothing itself.
pub fn unsettle_denials(
    items: &mut BTreeMap<Field, RiskItem>,
    cues: &[super::RiskCue],
) -> Vec<String> {
    let mut flags = Vec::new();
    for (f, item) in items.iter_mut() {
        if item.status != RiskStatus::Denied {
            continue;
        }
        let Some(c) = cues.iter().find(|c| {
            c.about == About::Client && !c.past && !c.negated && contradicts(*f, c.category)
        }) else {
            continue;
        };
        flags.push(format!(
            "risk_unclear:{}: denied in segments {:?}, but segment {} says \"{}\" ({}); the field is left for you to set",
            f.key(),
            item.citations,
            c.segment_id,
            clip(&c.words, 160),
            c.category.topic()
        ));
        *item = RiskItem::default();
    }
    flags
}

/// The client's words taking back an earlier answer ("When you asked I said no, but I have
/// been thinking about it", "I lied before").
static RETRACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:i lied|i (?:wasn't|was not|haven't been|have not been|haven't|have not) (?:being |been )?(?:(?:completely|totally|entirely|fully|quite|really|100%?) )?(?:honest|truthful|straight|upfront)|(?:^|[.!?,] )actually,? (?:about|going back to|on|re) (?:the|that|what|your|my)\b|(?:going|coming|to go) back to (?:the plan|what you asked|your question|that question|what i said|earlier)|i (?:should|need to|have to|want to|ought to) (?:tell you|say|admit|be honest|correct)\b.*\b(?:earlier|before|actually|honest|when you asked|the truth)\b|(?:now that|come to) think(?:ing)? (?:about|of) it\b.*\bi (?:did|have|do)\b|(?:that|what i said) (?:wasn't|was not|isn't|is not) (?:true|the truth)|i didn't tell you the truth|(?:i said no|i told you no|when you asked)\b.*\b(?:but|actually)\b)",
    )
});

/// A later answer conceding the thoughts after all ("Okay, yes. Sometimes I think about it.",
/// after a "No." to "Any thoughts of ending your life?" and a question that came back to it).
static CONCEDED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[.!?] )(?:(?:okay|ok|alright|all right|fine|well),? (?:yes|yeah)\b[ ,.]*(?:sometimes,? )?|(?:yes|yeah),? sometimes,? )i (?:do |did |have |'ve |still )?(?:think|thought|thinking|been thinking) about (?:it|that)\b",
    )
});

/// An answer given to a misheard question ("Sorry, I thought you said fed up."): what it said
/// answered something else.
static MISHEARD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:i thought you said|thought you meant|i misheard|misheard|i did not hear you (?:right|properly)|did not catch (?:that|what you said))\b",
    )
});
/// An answer walked back as a way of talking ("that's just how I talk", "a figure of
/// speech", "I was joking"): what it endorsed is left for the clinician.
static WALKED_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:just how i talk|just (?:a|an) (?:saying|expression)|figure of speech|not literally|did not mean (?:it|that) literally|only joking|just joking|i was joking|(?:it was|it is|that was|that is) (?:just )?a joke)\b",
    )
});

/// The sentences of an answer after the last one that says the question was misheard ("Yeah,
/// loads. Sorry, I thought you said quitting. No. Never."): those answer it.
fn after_misheard(sents: &[Sentence]) -> &[Sentence] {
    match sents.iter().rposition(|s| MISHEARD.is_match(&s.text)) {
        Some(i) if i + 1 < sents.len() => &sents[i + 1..],
        _ => sents,
    }
}

/// A denial the client later takes back does not stand: each field decided "denied" on
/// segments before a client segment that retracts an earlier answer is left for the
/// clinician, with a flag naming both (the retraction may not say what it takes back).
pub fn unsettle_retracted(items: &mut BTreeMap<Field, RiskItem>, views: &[SegView]) -> Vec<String> {
    let mut flags = Vec::new();
    let position = |id: u32| views.iter().position(|v| v.seg.id == id);
    for (at, v) in views.iter().enumerate() {
        let t = v.text_lower();
        if v.role == Role::Therapist || !(RETRACTION.is_match(&t) || CONCEDED.is_match(&t)) {
            continue;
        }
        for (f, item) in items.iter_mut() {
            let before = !item.citations.is_empty()
                && item
                    .citations
                    .iter()
                    .all(|c| position(*c).is_some_and(|p| p < at));
            if item.status != RiskStatus::Denied || !before {
                continue;
            }
            flags.push(format!(
                "risk_unclear:{}: denied in segments {:?}, but segment {} takes an answer back: \"{}\"; the field is left for you to set",
                f.key(),
                item.citations,
                v.seg.id,
                clip(v.seg.text.trim(), 160),
            ));
            *item = RiskItem::default();
        }
    }
    flags
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n).collect();
        format!("{t}…")
    }
}

/// The topics of a screening question in this segment (a therapist's question, or an
/// unlabeled one that reads as screening), and whether it asks about the past.
fn question_topics(v: &SegView) -> Option<(Topics, bool)> {
    // without speakers, a screening sentence may have lost its question mark in transcription
    let asks = |s: &&super::SentView| s.s.question || v.role == Role::Unknown && s.screening;
    let screening = v.sents.iter().any(|s| s.screening && asks(&s));
    let therapist_question = v.role == Role::Therapist && v.sents.iter().any(|s| s.s.question);
    if !(screening || therapist_question) {
        return None;
    }
    // the question's own words; its lead-in only when the question points back to it ("Some
    // people feel they'd be better off dead. Has that been true for you?")
    let asked: Vec<&str> = v
        .sents
        .iter()
        .filter(asks)
        .map(|s| s.s.text.as_str())
        .collect();
    let asked = asked.join(" ");
    let mut t = topics(&asked);
    // a premise told back before the question ("When you say you want to kill yourself, have
    // you worked out how?"): the question asks what follows it
    if let Some(rest) = v
        .sents
        .iter()
        .filter(asks)
        .find_map(|s| asked_after_premise(&s.s.original))
    {
        let after = topics(&rest);
        if after.any() {
            t = after;
        }
    }
    if !t.any() {
        t = topics(&v.text_lower());
    }
    let historical = HISTORICAL.is_match(&asked);
    Some((t, historical))
}

/// What a therapist's reflection of a disclosure tells back (its sentences read as the
/// client's, [`super::view`]): the topics of its affirmed cues, if any.
fn reflected_topics(v: &SegView) -> Option<Topics> {
    let mut t = Topics::default();
    for s in v.sents.iter().filter(|s| !s.screening) {
        for j in s.hits.iter().filter(|j| {
            j.suppressed.is_none() && j.about == About::Client && j.polarity == Polarity::Affirmed
        }) {
            match j.hit.category {
                RiskCategory::PassiveSi | RiskCategory::ActiveSi => t.si = true,
                RiskCategory::Plan => {
                    t.si = true;
                    t.plan = true
                }
                RiskCategory::HarmToOthers => t.hi = true,
                _ => {}
            }
        }
    }
    t.any().then_some(t)
}

/// The question after a premise the therapist tells back ("When you say you want to kill
/// yourself, have you worked out how?" → "have you worked out how?"), lowercased.
fn asked_after_premise(question: &str) -> Option<String> {
    static PREMISE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:so,? |and,? )?(?:when|since|if|where) you (?:say|said|mention|mentioned|told me|talk about|talked about|describe|described)\b[^,]*,\s*(.+)$",
        )
    });
    PREMISE
        .captures(question.trim())
        .map(|c| c[1].to_lowercase())
}

/// A statement or premise that tells back the client's own suicidal thoughts: "You said you've
/// been thinking of ending your life.", "When you say you want to kill yourself, ...", "When
/// the thoughts of ending it come, ...", "You said the thoughts of suicide have been stronger"
/// (a reflection's sentence is read in the first person: "I said ...").
static TELLS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:so,? |and,? |okay,? )?(?:(?:you|i) (?:have )?(?:said|mentioned|told me|told you|been|described|talked about)|when you (?:say|said|mention|mentioned|talk about|described)|when (?:the|those|these|your) (?:thoughts|urges|feelings))\b",
    )
});
/// A question that asks what the client meant.
static CLARIFYING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:do you mean|did you mean|are you saying|does that mean|is that what you mean|what do you mean)\b",
    )
});
/// An answer that disputes what was told back.
static DISPUTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:not what i (?:said|meant)|i (?:did not|never) (?:say|said|mean|meant)|i do not have (?:those|them|any)|not any ?more|(?:they|those) (?:have )?(?:gone|stopped)|(?:that is|it is|that was) not (?:right|true|it)|not really)\b",
    )
});

/// Whether a therapist's question segment tells back the client's suicidal thoughts, not
/// negated, in a statement before the question or a premise in it.
fn tells_back_ideation(v: &SegView) -> bool {
    v.role != Role::Client
        && v.sents.iter().any(|s| {
            let t = &s.s.text;
            TELLS_BACK.is_match(t)
                && SI_TOPIC.is_match(t)
                // a question of what was meant tells nothing back ("When you say you want it
                // all to stop, do you mean your life?")
                && !CLARIFYING.is_match(t)
                && !s
                    .s
                    .words
                    .iter()
                    .any(|w| matches!(w.as_str(), "not" | "no" | "never" | "nothing" | "if" | "whether"))
        })
}

/// What a client segment talked about (for "thoughts like that" later).
fn segment_topics(v: &SegView) -> Topics {
    let mut t = Topics::default();
    for s in &v.sents {
        for j in s.hits.iter().filter(|j| j.suppressed.is_none()) {
            match j.hit.category {
                RiskCategory::HarmToOthers => t.hi = true,
                RiskCategory::Abuse | RiskCategory::Means | RiskCategory::SelfHarm => {
                    t.other = true
                }
                _ => t.si = true,
            }
        }
    }
    t
}

/// Votes from what the segment says, wherever it is.
fn statement_votes(v: &SegView, local: &mut Local, in_risk_talk: bool, vague_do_denies: bool) {
    let id = v.seg.id;
    let risk_words = v.sents.iter().any(|s| !s.hits.is_empty());
    for (n, sv) in v.sents.iter().enumerate() {
        if sv.screening {
            continue;
        }
        let s = &sv.s;
        if v.role == Role::Dictation {
            let lower = s.original.to_lowercase();
            for (f, why) in dictated_endorsements(&lower) {
                local.add(f, Kind::Endorsed, &[id], &s.original, why);
            }
            for (f, why) in dictated_denials(&lower) {
                local.add(f, Kind::Denied, &[id], &s.original, why);
            }
        }
        // "Reports thoughts of harming the former leader of the group; no plan described.": a
        // short sentence that names no suicide of its own goes on from the one before
        let goes_on_from_harm = n > 0
            && s.words.len() <= 6
            && !names_suicide(&s.words)
            && about_harming_someone_else(&v.sents[n - 1].s.words);
        for j in &sv.hits {
            if j.about != About::Client || j.suppressed.is_some() {
                continue;
            }
            let cat = j.hit.category;
            let words = &s.original;
            match j.polarity {
                Polarity::Meta => {}
                Polarity::Affirmed => {
                    if j.past {
                        continue;
                    }
                    match cat {
                        RiskCategory::PassiveSi | RiskCategory::ActiveSi => {
                            if j.hit.rule == "passive_thoughts_of_death"
                                && context::death_anxiety(s)
                            {
                                local.add(
                                    Field::Si,
                                    Kind::Unclear,
                                    &[id],
                                    words,
                                    "thoughts of death told as a fear of dying",
                                );
                            } else {
                                local.add(Field::Si, Kind::Endorsed, &[id], words, j.hit.why);
                            }
                        }
                        RiskCategory::Plan | RiskCategory::Preparatory => {
                            local.add(Field::Plan, Kind::Endorsed, &[id], words, j.hit.why);
                            local.add(Field::Si, Kind::Endorsed, &[id], words, j.hit.why);
                        }
                        RiskCategory::Attempt if context::recent(s) => {
                            local.add(Field::Si, Kind::Endorsed, &[id], words, j.hit.why);
                        }
                        RiskCategory::Burdensomeness => {
                            if matches!(
                                j.hit.rule,
                                "burden_without_me" | "burden_without_me_mid" | "burden_not_missed"
                            ) {
                                local.add(Field::Si, Kind::Endorsed, &[id], words, j.hit.why);
                            }
                        }
                        RiskCategory::HarmToOthers => {
                            if context::ego_dystonic(s) {
                                local.add(
                                    Field::Hi,
                                    Kind::Unclear,
                                    &[id],
                                    words,
                                    "unwanted, frightening thoughts of harm",
                                );
                            } else {
                                local.add(Field::Hi, Kind::Endorsed, &[id], words, j.hit.why);
                            }
                        }
                        _ => {}
                    }
                }
                Polarity::Hedged => {
                    let f = match cat {
                        RiskCategory::PassiveSi | RiskCategory::ActiveSi => Some(Field::Si),
                        RiskCategory::Plan | RiskCategory::Preparatory => Some(Field::Plan),
                        RiskCategory::HarmToOthers => Some(Field::Hi),
                        _ => None,
                    };
                    if let Some(f) = f {
                        local.add(
                            f,
                            Kind::Unclear,
                            &[id],
                            words,
                            "hedged (\"I don't think\", \"not sure\", \"maybe\")",
                        );
                    }
                }
                Polarity::Negated { modal } => match cat {
                    // "Denies suicidal plan or intent", "Denies plan to harm her", "no
                    // intention of hurting anyone": the plan and intent are denied (below),
                    // not the ideation
                    RiskCategory::PassiveSi
                    | RiskCategory::ActiveSi
                    | RiskCategory::HarmToOthers
                        if s.words
                            .get(j.hit.end)
                            .is_some_and(|w| PLAN_WORDS.contains(&w.as_str()))
                            || only_planned(&s.words, j.hit.start, j.hit.end) => {}
                    RiskCategory::PassiveSi | RiskCategory::ActiveSi if trailing_hedge(s) => {
                        local.add(
                            Field::Si,
                            Kind::Unclear,
                            &[id],
                            words,
                            "a denial, then \"I don't think\"",
                        );
                    }
                    RiskCategory::PassiveSi | RiskCategory::ActiveSi => {
                        if modal {
                            local.add(
                                Field::Intent,
                                Kind::Denied,
                                &[id],
                                words,
                                "denies acting on it",
                            );
                        } else if partial_denial(s, j.hit.start) {
                            local.add(
                                Field::Si,
                                Kind::Unclear,
                                &[id],
                                words,
                                "only active ideation denied; passive not asked",
                            );
                        } else {
                            local.add(Field::Si, Kind::Denied, &[id], words, "denies the thoughts");
                        }
                    }
                    RiskCategory::Plan => {
                        local.add(Field::Plan, Kind::Denied, &[id], words, "denies a plan");
                    }
                    // "They're just thoughts. I'm not going to hurt anyone.": the thoughts owned,
                    // the acting denied
                    RiskCategory::HarmToOthers
                        if modal && JUST_THOUGHTS.is_match(&v.text_lower()) =>
                    {
                        local.add(
                            Field::Intent,
                            Kind::Denied,
                            &[id],
                            words,
                            "owns the thoughts, denies acting on them",
                        );
                    }
                    RiskCategory::HarmToOthers => {
                        local.add(
                            Field::Hi,
                            Kind::Denied,
                            &[id],
                            words,
                            "denies thoughts of harming others",
                        );
                    }
                    _ => {}
                },
            }
        }
        // plan and intent named without a rule hit ("no plan", "I'd never do that")
        if !(in_risk_talk || risk_words || v.role == Role::Dictation && dictation_risk(s)) {
            continue;
        }
        let plain =
            NOT_A_RISK_PLAN.replace_all(&s.text, |c: &regex::Captures| "x".repeat(c[0].len()));
        for (i, w) in s.words.iter().enumerate() {
            let at = s.starts[i];
            let is_plan = matches!(w.as_str(), "plan" | "plans")
                && plain.get(at..at + w.len()).is_some_and(|x| x == w);
            let is_intent = matches!(
                w.as_str(),
                "intent" | "intention" | "intentions" | "intend" | "intending"
            ) || (w == "act" && s.words.get(i + 1).is_some_and(|n| n == "on"))
                || (w == "go" && s.words.get(i + 1).is_some_and(|n| n == "through"));
            let is_do = w == "do"
                && s.words.get(i + 1).is_some_and(|n| {
                    matches!(
                        n.as_str(),
                        "it" | "that" | "anything" | "something" | "this"
                    )
                });
            if !(is_plan || is_intent || is_do) {
                continue;
            }
            // "denied any thoughts or intent to harm others": the intent of the homicidal
            // ideation, not of the suicidal one
            if is_intent && harms_someone_else(&s.words[i + 1..]) {
                continue;
            }
            // "Endorsed homicidal ideation toward her ex-partner's new partner, no plan
            // described": that ideation's plan, not a suicidal one
            if (is_plan || is_intent) && (about_harming_someone_else(&s.words) || goes_on_from_harm)
            {
                continue;
            }
            // "Pt denies suicidal ideation: 'I'd never do that to my kids.'": the reason given
            // for the denial of the thoughts, not a separate answer on intent (which, beside
            // thoughts of harming someone else, would read as no intent to harm them)
            if is_do && DENIES_IDEATION.is_match(&s.text) {
                continue;
            }
            // "I can't do this anymore" gives up on coping, and "I didn't do it" (the note
            // written, the pills counted) tells that the act did not happen: neither answers
            // on intent
            if is_do && (gives_up(&s.words, i) || told_undone(&s.words, i)) {
                continue;
            }
            let p = context::polarity(s, i);
            let f = if is_plan { Field::Plan } else { Field::Intent };
            match p {
                Polarity::Negated { modal } => {
                    // (a dictation's "she" is the client)
                    if (is_do && !modal)
                        || (is_do && !vague_do_denies && v.role != Role::Dictation)
                        || (v.role != Role::Dictation && third_person_subject(s, i))
                    {
                        continue;
                    }
                    // "I wouldn't do it myself, I don't think."
                    if trailing_hedge(s) {
                        local.add(
                            f,
                            Kind::Unclear,
                            &[id],
                            &s.original,
                            "a denial, then unsure",
                        );
                        continue;
                    }
                    local.add(
                        f,
                        Kind::Denied,
                        &[id],
                        &s.original,
                        if is_plan { "no plan" } else { "denies intent" },
                    );
                }
                Polarity::Hedged => {
                    local.add(f, Kind::Unclear, &[id], &s.original, "unsure");
                }
                _ => {}
            }
        }
    }
}

/// "can not do this anymore", "can not do it any longer": the words from a "do" at `i` give
/// up on coping.
fn gives_up(words: &[String], i: usize) -> bool {
    let w = |k: usize| words.get(k).map(String::as_str).unwrap_or("");
    i >= 2
        && w(i - 1) == "not"
        && w(i - 2) == "can"
        && (w(i + 2) == "anymore" || w(i + 2) == "any" && matches!(w(i + 3), "more" | "longer"))
}

/// "i did not do it": the act told as not done, in the past, at the "do" at `i`.
fn told_undone(words: &[String], i: usize) -> bool {
    i >= 2 && words[i - 1] == "not" && words[i - 2] == "did"
}

/// A denial of suicidal thoughts in so many words ("denies suicidal ideation", "not
/// suicidal", "no thoughts of suicide").
static DENIES_IDEATION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:denies|denied|deny|denying|no|not|never)\b (?:\S+ ){0,3}(?:suicidal|suicide)\b")
});

/// Thoughts owned as only thoughts ("They're just thoughts.", "it's only a thought").
static JUST_THOUGHTS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:just|only|merely) (?:a )?thoughts?\b"));

/// A sentence that ends unsure of what it said ("I wouldn't do it myself, I don't think.",
/// "..., I guess", "..., probably").
fn trailing_hedge(s: &Sentence) -> bool {
    const TAILS: &[&[&str]] = &[
        &["i", "do", "not", "think"],
        &["i", "do", "not", "think", "so"],
        &["i", "guess"],
        &["i", "suppose"],
        &["probably"],
        &["maybe"],
        &["i", "am", "not", "sure"],
        &["not", "sure"],
        &["i", "do", "not", "know"],
    ];
    TAILS.iter().any(|t| {
        s.words.len() > t.len()
            && s.words[s.words.len() - t.len()..]
                .iter()
                .zip(t.iter())
                .all(|(a, b)| a == b)
    })
}

/// The words by which harm is done to oneself ("to hurt herself").
const SELF: &[&str] = &[
    "myself",
    "herself",
    "himself",
    "themselves",
    "themself",
    "self",
];

/// Whether the words after an intent word tell of harming someone else ("to harm others",
/// "to hurt her ex-partner"), not oneself.
fn harms_someone_else(after: &[String]) -> bool {
    const HARM: &[&str] = &["harm", "hurt", "kill", "attack", "injure", "assault"];
    after
        .iter()
        .take(4)
        .position(|w| HARM.contains(&w.as_str()))
        .is_some_and(|k| {
            after
                .get(k + 1)
                .is_some_and(|o| !SELF.contains(&o.as_str()))
        })
}

/// Whether words name suicide or dying ("SI", "suicidal", "kill myself", "end my life").
fn names_suicide(words: &[String]) -> bool {
    words.iter().any(|w| {
        w.starts_with("suicid")
            || matches!(
                w.as_str(),
                "si" | "die" | "dying" | "dead" | "death" | "myself" | "life"
            )
    })
}

/// Whether a sentence tells of thoughts of harming someone else ("homicidal ideation toward
/// ...", "thoughts of hurting him") and not of suicide ("Denies SI/HI, no plan" is about
/// both), so that a plan or intent it names is that ideation's.
fn about_harming_someone_else(words: &[String]) -> bool {
    if names_suicide(words) {
        return false;
    }
    const HARMING: &[&str] = &["harm", "hurt", "kill", "attack", "injur", "assault", "stab"];
    words
        .iter()
        .any(|w| matches!(w.as_str(), "homicidal" | "hi"))
        || words.windows(3).any(|w| {
            matches!(w[0].as_str(), "of" | "to" | "about")
                && HARMING.iter().any(|h| w[1].starts_with(h))
                && !SELF.contains(&w[2].as_str())
        })
}

/// The first word from `from` on that is not a discourse word ("well", "like", "um", ...).
fn past_discourse(words: &[String], from: usize) -> usize {
    (from..words.len())
        .find(|&k| !DISCOURSE.contains(&words[k].as_str()))
        .unwrap_or(words.len().max(from))
}

/// A denial followed by a "but" and something that is not itself a denial or a reassurance
/// ("Not suicide, no. But some days I'd be glad if ..."): only part was denied. A "but" that
/// tells of another risk ("No, but I've been cutting again") leaves the denial of this one.
fn no_but(v: &SegView, f: Field) -> bool {
    const NEGATORS: &[&str] = &["not", "no", "never", "nothing", "none", "nobody", "nor"];
    const REASSURED: &[&str] = &[
        "fine", "okay", "ok", "alright", "good", "safe", "thanks", "thank", "better", "great",
    ];
    v.sents.iter().enumerate().any(|(n, sv)| {
        sv.s.words.iter().enumerate().any(|(i, w)| {
            if w != "but" {
                return false;
            }
            // "but, like, if a lorry hit me ...": the clause after the fillers; a "but ..."
            // that ends its sentence goes on in the next one
            let (sv, after) = if past_discourse(&sv.s.words, i + 1) < sv.s.words.len() {
                (sv, i + 1)
            } else if let Some(next) = v.sents.get(n + 1) {
                (next, 0)
            } else {
                return false;
            };
            let s = &sv.s;
            let from = past_discourse(&s.words, after);
            let end = s.clause_end(from).max(from).min(s.words.len());
            let clause = &s.words[from.min(end)..end];
            let other_risk = sv.hits.iter().any(|j| {
                j.hit.start >= after && j.hit.start < end && !contradicts(f, j.hit.category)
            });
            // what follows an "if" is a condition, not a denial or a reassurance, and "fine
            // if ..." judges the condition ("it would be fine if I just did not come home")
            let cond = clause
                .iter()
                .position(|w| w == "if")
                .unwrap_or(clause.len());
            let start = from.min(end);
            let reassured = clause[..cond].iter().enumerate().any(|(k, w)| {
                REASSURED.contains(&w.as_str())
                    && s.words.get(start + k + 1).is_none_or(|x| x != "if")
            });
            // "but my mate ... wants to end it": someone else's, not a no taken back; "but I
            // want to be here", "but that's it": a reassurance
            let someone_else = clause.first().is_some_and(|w| {
                matches!(w.as_str(), "my" | "he" | "she" | "they" | "his" | "her")
            });
            let text = clause.join(" ");
            let reassured = reassured
                || [
                    "want to be here",
                    "want to live",
                    "want to be around",
                    "want to wake up",
                    "want to see",
                    "that is it",
                    "that is all",
                    "love",
                ]
                .iter()
                .any(|p| text.contains(p));
            // after a no to intent, thoughts still there are no intent
            let thoughts_only = f == Field::Intent
                && clause.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "think" | "thinking" | "thought" | "thoughts" | "there" | "mind" | "head"
                    )
                })
                && !clause.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "going" | "will" | "plan" | "planned" | "when" | "how"
                    )
                });
            // "but sometimes when I'm ...": a first clause of one word still says more
            !someone_else
                && !thoughts_only
                && s.words.len().saturating_sub(from) >= 3
                && !other_risk
                && !reassured
                && !clause[..cond]
                    .iter()
                    .any(|w| NEGATORS.contains(&w.as_str()))
        })
    })
}

const TAKEN_BACK_WHY: &str = "a no, then taken back";

/// After an answer's first sentence, an owning-up ("that's not true", "not right", "actually",
/// "to be honest", "I lied") followed by a plain yes ("I did", "I have", "yes"), not negated.
fn owned_up_yes(sents: &[Sentence]) -> bool {
    const OWNED: &[&[&str]] = &[
        &["not", "true"],
        &["not", "right"],
        &["not", "quite"],
        &["i", "lied"],
        &["a", "lie"],
        &["to", "be", "honest"],
        &["truth", "is"],
        &["actually"],
    ];
    const YES: &[&[&str]] = &[
        &["yes"],
        &["yeah"],
        &["i", "did"],
        &["i", "have"],
        &["i", "do"],
        &["i", "had"],
        &["i", "was"],
    ];
    let words: Vec<&str> = sents
        .iter()
        .skip(1)
        .flat_map(|s| s.words.iter().map(String::as_str))
        .collect();
    let find = |pats: &[&[&str]], from: usize| -> Option<usize> {
        (from..words.len()).find_map(|i| {
            pats.iter()
                .find(|p| words[i..].starts_with(p))
                .map(|p| i + p.len())
        })
    };
    let Some(after) = find(OWNED, 0) else {
        return false;
    };
    match find(YES, after) {
        // "I have been fine" is no yes
        Some(end) => !matches!(
            words.get(end).copied(),
            Some(
                "not"
                    | "never"
                    | "no"
                    | "nothing"
                    | "been"
                    | "got"
                    | "to"
                    | "fine"
                    | "okay"
                    | "alright"
                    | "good"
                    | "better"
                    | "no one"
                    | "nobody"
            )
        ),
        None => false,
    }
}

/// A "no" that the same answer takes back or doubts ("No. Well, actually, Tuesday I did think
/// about it", "No, not really. Well, yeah, the thought's there", "Like, no? I don't know. Kind
/// of?"), or that denies only one thing before saying another ("Not killing myself. I just
/// think it would be a relief if it was all over."): why, or `None`. Read from the words as
/// spoken (the normalized sentences drop "well", "actually" and "kind of" as fillers).
fn no_undone(spoken: &str, sents: &[Sentence], f: Field) -> Option<&'static str> {
    // thoughts owned up to after a no to intent ("No. I think about it, but I'm not going
    // to.") take back no intent (after a no to a plan they may be the plan: "No. ... Okay,
    // the car. I've thought about the car.")
    const THOUGHTS: &[&str] = &[
        " i did think ",
        " i have thought ",
        " i've thought ",
        " i think about it ",
        " thought about it ",
        " it's there ",
    ];
    // "actually" that corrects the no ("Actually, yes, on Tuesday"), not one that stresses
    // ("I don't actually want to", "I'm actually doing better")
    static ACTUALLY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:^|[^t] )actually (?:yes|yeah|i did|i have|i've|i do|i was|sometimes|i think|i thought|that's not|that is not|no wait|wait|about|there|once|last|on|when|maybe)\b",
        )
    });
    const TAKEN_BACK: &[&str] = &[
        " now that i think ",
        " well yeah ",
        " well yes ",
        " but yeah ",
        " i mean yeah ",
        " i mean yes ",
        " yeah sometimes ",
        " yes sometimes ",
        " well sometimes ",
        " i guess yeah ",
        " okay yeah ",
        " ok yeah ",
        " i did think ",
        " i have thought ",
        " i've thought ",
        " i think about it ",
        " thought about it ",
        " it's there ",
        // the no itself owned up to as untrue ("No. Well... no, that's not true. Yes.")
        " that's not true ",
        " that is not true ",
        " suppose yes ",
        " suppose yeah ",
        " guess yes ",
        " so yes ",
        " so yeah ",
        " that's not right ",
        " that is not right ",
        " that's wrong ",
        " not quite ",
        " that's a lie ",
        " i lied ",
        " i'm lying ",
        " scratch that ",
        " take that back ",
        " to be honest ",
        " if i'm honest ",
        " truth is ",
    ];
    const UNSURE: &[&str] = &[
        // "No... not really. I mean, not like that.": another kind of thought left open
        " i mean not like that ",
        " not like that though ",
        " not in that way ",
        " not exactly ",
        " i do not know ",
        " i don't know ",
        " i dunno ",
        " kind of ",
        " sort of ",
        " not sure ",
        " maybe ",
    ];
    let lower = spoken.to_lowercase().replace('\u{2019}', "'");
    // what follows the opening: after its first punctuation mark
    // (unpunctuated, as typed or transcribed: after its first word, "no i dont i mean yeah")
    let cut = lower
        .find([',', '.', '?', '!', ';', '\u{2014}'])
        .or_else(|| {
            lower
                .trim_start()
                .find(' ')
                .map(|i| i + lower.len() - lower.trim_start().len())
        })?;
    let rest: String = lower[cut + 1..]
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let rest = format!(
        " {} ",
        rest.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let act_field = f == Field::Intent;
    if TAKEN_BACK
        .iter()
        .any(|m| rest.contains(m) && !(act_field && THOUGHTS.contains(m)))
        || ACTUALLY.is_match(&rest)
    {
        return Some(TAKEN_BACK_WHY);
    }
    if UNSURE.iter().any(|m| rest.contains(m)) {
        return Some("a no, then unsure");
    }
    // "Oh no, dear, I'd never. I'd just like it to come on its own.": the no answers what was
    // asked (acting), the wish said after it is another thing
    static WISH_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\bjust (?:\S+ ){0,2}(?:like|want|wish|welcome|hope|pray|praying|waiting|rather) (?:it to|for it|death|the end|to go|to die|to sleep|to not|not to|to be gone|it would|it could|that it|god|him to take|the lord)\b|\bjust (?:\S+ ){0,1}(?:not (?:waking|wake|to wake) up|never (?:waking|wake) up|not (?:be|being) (?:here|around|alive)|(?:be|being) gone|(?:fall|falling|go|going) to sleep and not)\b|\b(?:i'd|i would) (?:just |quite |really |honestly )?(?:welcome it|welcome death|welcome the end|like it to come|be glad to go|be happy to go|not mind (?:it|if it|going|dying))\b",
        )
    });
    if WISH_AFTER.is_match(&rest) {
        return Some("a no, then a wish said after it");
    }
    // "Not killing myself. I just think ...": a verbless "not" denies only what it names
    let first = sents.first()?;
    let k = past_discourse(&first.words, 0);
    let opens_not = first.words.get(k).is_some_and(|w| w == "not")
        && !first.words.get(k + 1).is_some_and(|w| {
            matches!(
                w.as_str(),
                "really" | "at" | "sure" | "that" | "now" | "anymore" | "lately"
            )
        });
    let more: usize = sents[1..].iter().map(|s| s.words.len()).sum();
    let reassured = sents[1..].iter().any(|s| {
        s.has_any(&[
            "fine", "okay", "ok", "alright", "good", "safe", "better", "great",
        ]) || s
            .words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "no" | "not" | "never"))
    });
    if opens_not && more >= 4 && !reassured {
        return Some("denies only what it names, then says more");
    }
    None
}

/// Whether the subject of the clause before word `i` is someone else ("so he can't do it to
/// anyone else"): the nearest pronoun before it, within its clause.
fn third_person_subject(s: &Sentence, i: usize) -> bool {
    const FIRST: &[&str] = &["i", "me", "myself", "i'd", "i'm", "i'll"];
    const OTHERS: &[&str] = &[
        "he", "she", "they", "him", "her", "them", "we", "you", "someone", "somebody", "nobody",
        "people",
    ];
    let cs = s.clause_start(i);
    for k in (cs..i).rev() {
        let w = s.words[k].as_str();
        if FIRST.contains(&w) {
            return false;
        }
        if OTHERS.contains(&w) {
            return true;
        }
    }
    false
}

/// "denies active SI": only the active kind.
fn partial_denial(s: &Sentence, start: usize) -> bool {
    start > 0
        && s.words[start.saturating_sub(2)..start]
            .iter()
            .any(|w| w == "active")
}

static DICTATION_RISK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:suicid\w*|homicid\w*|ideation|death|dying|die|self-harm|harm\w*|hurt\w*|kill\w*|safety|risk|plan|intent|overdose|attempt\w*)\b",
    )
});

fn dictation_risk(s: &Sentence) -> bool {
    DICTATION_RISK.is_match(&s.text)
}

/// What a clinician's dictated sentence records as present in its own words ("States intent to
/// act after the funeral.", "with a plan to hang himself", "reports intrusive thoughts of
/// harming a consultant"): not after a denial in the same clause ("Denies intent to act").
static DICTATED_INTENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:states?|stated|reports?|reported|endorses?|endorsed|expresses?|expressed|voices?|voiced|admits?|admitted|acknowledges?|acknowledged|confirms?|confirmed|with|has) (?:a |an |clear |some |stated |current |high )?(?:intent|intention|intends)\b|\bintends to (?:carry it out|act|do it|go through|follow through|end|kill)",
    )
});
static DICTATED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:with|has|have|endorses?|endorsed|reports?|reported|describes?|described|states?|stated|disclosed|discloses) (?:a |an )?(?:specific |clear |detailed |formed |concrete |definite )?plan (?:to|of|involving|for) (?:\S+ )?(?:kill|end|hang|hanging|overdose|overdosing|take|taking|jump|jumping|shoot|shooting|cut|drown|die|dying|harm|harming|hurt|hurting|suicide|poison|crash|step)",
    )
});
static DICTATED_HI: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:thoughts?|ideation|urges?|fantasies|images) (?:of|about) (?:harming|hurting|killing|attacking|stabbing|strangling|poisoning|hitting|beating|punching|choking|shooting|smothering|slapping) (?:a |an |the |his |her |their )?(?:former |ex-? ?)?(?:\S+ )?(?:partner|consultant|colleague|co-worker|coworker|boss|manager|supervisor|neighbou?r|wife|husband|father|mother|brother|sister|son|daughter|child|baby|teacher|landlord|ex|stepfather|stepmother|friend|man|woman|person|people|others|someone|him|her|them)\b",
    )
});
static DICTATED_DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:denies|denied|deny|no|not|without|never|nor|negative|absent|none)\b")
});

/// A dictated plan or intent recorded as absent ("no plan, no intent", "-plan, -intent",
/// "Denied any plan to harm her and denied intent."); not "plan and intent not explored".
static DICTATED_NO_INTENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\bno|\bdenies|\bdenied|\bdenying|\bwithout|(?:^|[\s,(])-)\s?(?:any |current |active |suicidal |clear )?(?:intent|intention|intentions)\b",
    )
});
static DICTATED_NO_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\bno|\bdenies|\bdenied|\bdenying|\bwithout|(?:^|[\s,(])-)\s?(?:any |current |specific |suicidal |clear )?plans?\b",
    )
});

/// The suicidal ideation a dictated "no plan, no intent" belongs to, named in the same sentence.
static DICTATED_IDEATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:si|suicid\w*|passive|death|dying|die|dead|self-harm|(?:kill|harm|hurt)\w* (?:him|her|them)sel(?:f|ves)|end\w* (?:his|her|their) (?:own )?life)\b",
    )
});
/// Harming someone else: a plan or intent named beside it is that ideation's, which the
/// plan and intent fields (the suicide plan and intent) leave alone.
static DICTATED_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:hi|homicid\w*|(?:harm|hurt|kill)\w* (?:others|someone|anyone|him|her|them|his|the|a)\b)",
    )
});

fn dictated_denials(text: &str) -> Vec<(Field, &'static str)> {
    let mut out = Vec::new();
    if !DICTATED_IDEATION.is_match(text) || DICTATED_OTHERS.is_match(text) {
        return out;
    }
    // "no plan described": not told, which is not denied
    static NOT_TOLD: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:plans?|intent|intention) (?:was |were |is )?(?:not )?(?:described|reported|discussed|elicited|mentioned|identified|stated|disclosed|noted|given|asked|explored|assessed|volunteered)\b",
        )
    });
    if NOT_TOLD.is_match(text) {
        return out;
    }
    if DICTATED_NO_INTENT.is_match(text) {
        out.push((Field::Intent, "the dictation records no intent"));
    }
    if DICTATED_NO_PLAN.is_match(text) {
        out.push((Field::Plan, "the dictation records no plan"));
    }
    out
}

fn dictated_endorsements(text: &str) -> Vec<(Field, &'static str)> {
    let mut out = Vec::new();
    for (re, f, why) in [
        (
            &*DICTATED_INTENT,
            Field::Intent,
            "the dictation records intent",
        ),
        (&*DICTATED_PLAN, Field::Plan, "the dictation records a plan"),
        (
            &*DICTATED_HI,
            Field::Hi,
            "the dictation records thoughts of harming someone",
        ),
    ] {
        let Some(m) = re.find(text) else {
            continue;
        };
        // the clause before it: from the last comma or semicolon
        let before = &text[..m.start()];
        let clause = before.rsplit([',', ';', ':']).next().unwrap_or(before);
        if !DICTATED_DENIAL.is_match(clause) && !DICTATED_DENIAL.is_match(m.as_str()) {
            out.push((f, why));
        }
    }
    out
}

/// A segment's sentences, as lexed.
fn lex_sents(v: &SegView) -> Vec<Sentence> {
    v.sents.iter().map(|s| s.s.clone()).collect()
}

/// An answer that agrees with what was put to it ("Correct.", "That's right.", "Exactly.",
/// "Yeah. No suicide stuff.").
fn confirms(sents: &[Sentence]) -> bool {
    let yes_then_no = sents.len() >= 2
        && sents[0].words.len() <= 2
        && sents[0]
            .words
            .iter()
            .all(|w| matches!(w.as_str(), "yes" | "yeah" | "yep" | "yup" | "aye" | "ya"))
        && sents[1]
            .words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "no" | "not" | "never" | "nothing" | "none"));
    // "Yeah, not even those.", "Yes, never.": agreement, then the denial, in one breath (not
    // "Yeah, not that I'd act on it")
    let yes_no_at_once = sents.first().is_some_and(|s| {
        s.words.len() >= 2
            && matches!(s.words[0].as_str(), "yes" | "yeah" | "yep" | "yup" | "aye")
            && (matches!(
                s.words[1].as_str(),
                "no" | "never" | "nothing" | "none" | "nope"
            ) || s.words[1] == "not"
                && s.words
                    .get(2)
                    .is_some_and(|w| matches!(w.as_str(), "even" | "once" | "ever" | "at")))
            && !sents
                .iter()
                .any(|s| s.has_any(&["but", "though", "except"]))
    });
    yes_then_no
        || yes_no_at_once
        || sents.first().is_some_and(|s| {
            let k = past_discourse(&s.words, 0);
            [
                "correct",
                "that is right",
                "that is correct",
                "that is true",
                "exactly",
                "fair",
                "right",
                "true",
            ]
            .iter()
            .any(|p| starts_with_words(&s.words[k..], p))
        })
}

/// An answer that says the thing is so for them: "I am", "I do", "I have", not negated.
fn owns_it(sents: &[Sentence]) -> bool {
    sents.iter().any(|s| {
        s.words.windows(3).any(|w| {
            w[0] == "i"
                && matches!(w[1].as_str(), "am" | "do" | "have" | "did" | "was")
                && !matches!(w[2].as_str(), "not" | "never" | "no")
        }) || s.words.len() >= 2
            && s.words[s.words.len() - 2] == "i"
            && matches!(
                s.words[s.words.len() - 1].as_str(),
                "am" | "do" | "have" | "did"
            )
    })
}

/// Whether a yes or a frequency later in an answer may endorse field `f`: thoughts (of
/// suicide, of harming someone), asked alone (not "yourself or anyone else?": which one is
/// not said), about now, and not asked as a denial to agree with.
fn yes_later(f: Field, q: &Asked, past: bool) -> bool {
    if past || !matches!(f, Field::Si | Field::Hi) {
        return false;
    }
    let two_asked = q.topics.si && q.topics.hi;
    let put_as_denial = q.negated.has(f) || q.denied.has(f);
    !(two_asked || put_as_denial)
}

/// "Not got that far.", "I haven't thought it that far.": no plan, in the words of one who
/// has the thoughts; not "not yet" (that looks ahead).
static NOT_THAT_FAR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:no |nah |nope |well |um |not really )?(?:i |it |we )?(?:have not|has not|did not|had not|not|never|not even)(?: really| quite| even)? (?:got|gotten|get|gone|went|thought)(?: it)? (?:that far|as far as that)\b",
    )
});

/// Whether one of an answer's first two sentences says it has not got as far as a plan.
fn not_that_far(sents: &[Sentence]) -> bool {
    sents
        .iter()
        .take(2)
        .any(|s| NOT_THAT_FAR.is_match(&s.text) && !s.has_any(&["yet"]))
}

/// The words of a plain yes.
const YES_WORDS: &[&str] = &["yes", "yeah", "yep", "yup", "yea", "aye", "ya", "yah", "si"];

/// An opening clause that only says how often ("Most nights.", "Every couple of days,
/// love.", "Some.", "Here and there.", "Once or twice."): to a question about thoughts, a
/// yes. Not a clause that goes on ("Most nights I sleep fine"), and not a hedge ("maybe").
static SAID_HOW_OFTEN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:(?:yes|yeah|yep|aye|ya|yea|si|mm)\s+)*(?:(?:only|just|still|even)\s+)?",
        r"(?:(?:most|some|many|several|certain|other|bad|the odd|a few|a couple of|a lot of|lots of|every|every other|every few|every couple of|each|on bad|on the bad|on some)\s+",
        r"(?:\w+\s+)?(?:days?|nights?|mornings?|afternoons?|evenings?|weeks?|weekends?|months?|times?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)",
        r"|sometimes|some|often|(?:fairly|quite|pretty|very|too) often|always|constantly|daily|nightly|weekly|regularly|occasionally|frequently",
        r"|all the time|most of the time|a lot of the time|(?:every )?now and (?:then|again)|every so often|here and there|on and off|off and on",
        r"|once or twice|a few times|a couple of times|twice|(?:once|twice) a (?:day|week|month|fortnight)|a bit|a lot|a little|loads|plenty",
        r"|more than (?:i should|i would like|before|ever))",
        r"(?:\s+(?:yes|yeah|yep|aye|really|honestly|love|dear|mate|now|lately|recently))*$",
    ))
});

/// A yes or a frequency opening one of the first three sentences of an answer, before any
/// no, hedge or negation ("Bit of both, I suppose. Yeah, sometimes.", "idk. sometimes.",
/// "Most nights."); a question asked back is passed over ("Doesn't everyone? Yeah, kind
/// of."). Never in an answer that says no anywhere ("Lonely, yes. Dead, no.") or laughs.
fn later_yes(sents: &[Sentence]) -> bool {
    // "In the camp, yes. Many times. Not now.": about then; "Ha, only every Monday
    // morning.": a joke, the clinician's to read
    if sents.iter().any(|s| {
        s.has_any(&["no", "nope", "nah", "never"])
            || s.has_any(&[
                "ha", "haha", "hah", "hehe", "lol", "lmao", "joking", "kidding",
            ])
            || NOT_NOW.is_match(&s.text)
    }) {
        return false;
    }
    for s in sents.iter().take(3) {
        if s.question {
            continue;
        }
        match particle(std::slice::from_ref(s)) {
            // a yes in words ("Yeah, I am."; not "I'm just tired.", which opens as "I am")
            Some(Particle::Yes) if s.has_any(YES_WORDS) => return true,
            Some(Particle::Yes) => {}
            Some(_) => return false,
            None => {}
        }
        let k = s
            .words
            .iter()
            .take_while(|w| DISCOURSE.contains(&w.as_str()) || INTERJECTION.contains(&w.as_str()))
            .count();
        if k < s.words.len() {
            let clause = s.words[k..s.clause_end(k)].join(" ");
            // (not "Some days, maybe.")
            if SAID_HOW_OFTEN.is_match(&clause)
                && !s.has_any(&["maybe", "perhaps", "possibly", "probably", "might"])
            {
                return true;
            }
        }
        if s.has_any(&["no", "not", "never", "nothing", "none", "nope", "nah"]) {
            return false;
        }
    }
    false
}

/// Words that take an earlier answer back ("actually", "thinking about it", "to be honest").
static TAKE_BACK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:actually|thinking about it|now (?:that )?i think about it|to be honest|if i am honest|truth is)\b")
        .expect("take-back pattern")
});

/// "Myself." "Just me.": an answer whose first sentence only names the speaker.
fn names_only_self(sents: &[Sentence]) -> bool {
    let Some(s) = sents.first() else {
        return false;
    };
    let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["myself"]
            | ["me"]
            | ["just", "me"]
            | ["just", "myself"]
            | ["only", "me"]
            | ["only", "myself"]
            | ["me", "only"]
            | ["me", "not", "others"]
            | ["myself", "not", "others"]
    )
}

/// Others denied beside a self named ("Not anyone else.", "No one else.").
static OTHERS_DENIED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:not (?:anyone|anybody|someone|somebody|other people|others)(?: else)?|no(?:t| ?one| ?body) else|never (?:anyone|anybody|others)(?: else)?|nobody else|no one else)\b",
    )
});

/// An answer to a question about killing oneself that turns it on others ("Not me. Other
/// people, sometimes."): thoughts of killing someone else, owned.
static NOT_ME_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\W*(?:no[,.!]? )?not me\b[.,!;]*\s+(?:but )?(?:other people|others|someone else|somebody else|people|the ones|them|him|her)\b",
    )
});

/// Votes of an answer to a screening question.
fn answer_votes(v: &SegView, q: &Asked, first: bool, local: &mut Local) {
    let (qid, t, denied, historical) = (q.id, q.topics, q.denied, q.historical);
    let id = v.seg.id;
    let cites = [qid, id];
    let all_sents = lex_sents(v);
    let sents = after_misheard(&all_sents).to_vec();
    let misheard = sents.len() < all_sents.len();
    let words = v.seg.text.trim().to_string();
    let past = sents.iter().any(context::remote_past);
    let content_si = v.sents.iter().any(|s| {
        s.hits
            .iter()
            .any(|j| j.about == About::Client && j.suppressed.is_none())
    });
    // a later answer that takes the first back ("No." ... "Well. Actually, yeah, Wednesday.")
    // answers the question too
    let p = if first {
        particle(&sents)
    } else {
        particle(&sents).filter(|p| *p == Particle::Yes && TAKE_BACK.is_match(&v.text_lower()))
    };
    if historical {
        // "Have you ever tried?": history, not now; a recent act still counts
        if p == Some(Particle::Yes) && sents.iter().any(context::recent) {
            local.add(
                Field::Si,
                Kind::Endorsed,
                &cites,
                &words,
                "a recent attempt",
            );
        }
        return;
    }
    // the question told back the client's own thoughts of suicide ("When the thoughts of
    // ending it come, have you thought about how?"): a first answer that does not dispute them
    // is theirs (its vote comes first, so the opening adds none for it)
    if first && q.tells_back {
        let disputed = DISPUTED.is_match(&v.text_lower()) || p == Some(Particle::Hedge);
        local.add(
            Field::Si,
            if disputed {
                Kind::Unclear
            } else {
                Kind::Endorsed
            },
            &cites,
            &words,
            if disputed {
                "disputes or is unsure of the thoughts the therapist told back"
            } else {
                "answers a question that told back their thoughts of suicide"
            },
        );
    }
    // "Thoughts of killing yourself or anyone else?" - "Myself. Not anyone else.": the answer
    // names which of the two (its votes come first, so the opening adds none for them)
    if first && p.is_none() && t.si && t.hi && names_only_self(&sents) {
        local.add(
            Field::Si,
            Kind::Endorsed,
            &cites,
            &words,
            "named themself of the two asked",
        );
        if OTHERS_DENIED.is_match(&v.text_lower()) {
            local.add(
                Field::Hi,
                Kind::Denied,
                &cites,
                &words,
                "named themself, and not anyone else",
            );
        }
    }
    if first && t.si && !t.hi {
        let lower = v.text_lower();
        if let Some(m) = NOT_ME_OTHERS.find(&lower) {
            let rest = &lower[m.end()..];
            if !rest
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .any(|w| matches!(w, "not" | "never" | "no" | "nobody" | "don't" | "wouldn't"))
            {
                local.add(
                    Field::Hi,
                    Kind::Endorsed,
                    &cites,
                    &words,
                    "turned the question on others: thoughts of killing someone else",
                );
            }
        }
    }
    // an answer to a misheard question that then says nothing plain: no vote ("Sorry, I
    // thought you said my husband's life. He's the one who says that.")
    if misheard && p.is_none() {
        return;
    }
    let frightening = sents.iter().any(context::ego_dystonic);
    for f in t.fields() {
        // what the words themselves said about this field decides over the opening
        let said = local.votes.get(&f).is_some_and(|v| !v.is_empty());
        // "Not even fleeting ones?" - "Fleeting, yeah. Last night.": the denial taken back
        if q.probe && !said && !past && took_up_probe(&sents) {
            local.add(
                f,
                Kind::Endorsed,
                &cites,
                &words,
                "took up the probe of a denial with a yes",
            );
            continue;
        }
        match p {
            // a question put as a denial: "Correct." agrees with it, "Yes, I am." does not, a
            // bare yes may mean either
            Some(Particle::Yes) if q.negated.has(f) && !past => {
                let (kind, why) = if confirms(&sents) {
                    (Kind::Denied, "agreed with a question put as a denial")
                } else if owns_it(&sents) {
                    (
                        Kind::Endorsed,
                        "a yes to a question put as a denial, then \"I am\"",
                    )
                } else {
                    (Kind::Unclear, "a yes to a question put as a denial")
                };
                local.add(f, kind, &cites, &words, why);
            }
            // a summary that told the field back as denied: a yes confirms the denial, a no
            // to it is for the clinician
            Some(Particle::Yes) if denied.has(f) && !past => local.add(
                f,
                Kind::Denied,
                &cites,
                &words,
                "confirmed a summary that denies it",
            ),
            Some(Particle::No) if denied.has(f) => local.add(
                f,
                Kind::Unclear,
                &cites,
                &words,
                "a no to a summary that denies it",
            ),
            // "Do you think you'd act on those thoughts?" - "No, I wouldn't.": the thoughts
            // are not what was denied
            Some(Particle::No) if q.objects.has(f) => {}
            Some(Particle::No) if no_but(v, f) => {
                local.add(f, Kind::Unclear, &cites, &words, "a no, then a \"but\"")
            }
            Some(Particle::No) => local.add(f, Kind::Denied, &cites, &words, "answered no"),
            Some(Particle::Yes) => {
                if past {
                    local.add(f, Kind::Unclear, &cites, &words, "yes, but about the past");
                } else if !said
                    && (t.si && t.hi && matches!(f, Field::Si | Field::Hi)
                        || t.plan && t.intent && matches!(f, Field::Plan | Field::Intent))
                {
                    // "Any thoughts of killing yourself or of hurting your ex?", "Do you have a
                    // plan, or any intention of acting on them?" - "yeah": which of the two is
                    // not said
                    local.add(
                        f,
                        Kind::Unclear,
                        &cites,
                        &words,
                        "a yes to a question about two things",
                    );
                } else {
                    local.add(f, Kind::Endorsed, &cites, &words, "answered yes");
                }
            }
            // "Not got that far.", "Not really, I haven't got that far.": no plan (not "not
            // yet")
            Some(Particle::Hedge) | None if f == Field::Plan && not_that_far(&sents) => local.add(
                f,
                Kind::Denied,
                &cites,
                &words,
                "has not got as far as a plan",
            ),
            // "I don't know. Sometimes, yes.", "Not much. Once or twice.": a hedge, then a yes
            // or how often, to a question about thoughts
            Some(Particle::Hedge)
                if first && yes_later(f, q, past) && later_yes(sents.get(1..).unwrap_or(&[])) =>
            {
                local.add(
                    f,
                    Kind::Endorsed,
                    &cites,
                    &words,
                    "a hedge, then a yes or how often",
                )
            }
            Some(Particle::Hedge) => local.add(f, Kind::Unclear, &cites, &words, "a hedged answer"),
            None if named_nones(&sents).any_field() => {
                if named_nones(&sents).has(f) {
                    local.add(f, Kind::Denied, &cites, &words, "named it as none");
                }
            }
            None => {
                let substantive = sents.iter().map(|s| s.words.len()).sum::<usize>() >= 2;
                // a negation in the answer's first sentence ("Not really.", "Pills, but I
                // wouldn't."; after a word asked back: "Plans? I can't even plan dinner."); one
                // later on describes the method ("The rifle. Where the boys wouldn't find me.")
                let opening = sents.iter().find(|s| !(s.question && s.words.len() <= 2));
                let negated = opening.is_some_and(|s| {
                    s.words
                        .iter()
                        .any(|w| matches!(w.as_str(), "not" | "no" | "never" | "nothing" | "none"))
                });
                match f {
                    Field::Plan | Field::Intent
                        if substantive && !negated && !frightening && !said =>
                    {
                        if f == Field::Intent
                            && !INTENT_AFFIRM.is_match(&v.text_lower())
                            && !TIMEFRAME.is_match(&v.text_lower())
                        {
                            local.add(
                                f,
                                Kind::Unclear,
                                &cites,
                                &words,
                                "an answer that does not say",
                            );
                        } else {
                            local.add(f, Kind::Endorsed, &cites, &words, "describes it");
                        }
                    }
                    _ if said => {}
                    _ => {
                        if frightening {
                            local.add(
                                f,
                                Kind::Unclear,
                                &cites,
                                &words,
                                "unwanted, frightening thoughts",
                            );
                        } else if !content_si {
                            // "Most nights.", "Bit of both, I suppose. Yeah, sometimes.", "I- I-
                            // yeah. Yeah, I am.": how often, or a yes after an opening that
                            // said neither
                            if first && yes_later(f, q, past) && later_yes(&sents) {
                                local.add(
                                    f,
                                    Kind::Endorsed,
                                    &cites,
                                    &words,
                                    "said how often, or yes after an opening that did not answer",
                                );
                            } else {
                                local.add(
                                    f,
                                    Kind::Unclear,
                                    &cites,
                                    &words,
                                    "an answer that does not say yes or no",
                                );
                            }
                        }
                    }
                }
            }
        }
        // a no taken back or doubted in the same answer; a denial in the words ("not like
        // killing myself") followed by a "but" that says more: neither is a denial
        if p == Some(Particle::No) || (p.is_none() && said) {
            if let Some(why) = no_undone(&v.seg.text, &sents, f) {
                // "No. Well, actually, that's not true. On Tuesday I did.": the no owned up to
                // as untrue, then a yes
                if why == TAKEN_BACK_WHY && owned_up_yes(&sents) {
                    local.add(
                        f,
                        Kind::Endorsed,
                        &cites,
                        &words,
                        "a no owned up to as untrue, then a yes",
                    );
                } else {
                    local.add(f, Kind::Unclear, &cites, &words, why);
                }
            } else if p.is_none() && said && no_but(v, f) {
                local.add(f, Kind::Unclear, &cites, &words, "a denial, then a \"but\"");
            }
        }
        // "No, but ...": risk talk in the same answer that is not itself denied means the
        // answer is not a denial (an endorsement from the words, if any, still wins)
        // (thoughts said beside a no to a plan or intent are no plan or intent: "Nah, no
        // plan. I just think about not being around.")
        let related = |c: RiskCategory| {
            use RiskCategory as C;
            match f {
                // ("I don't want to die, I just want the pain to stop." stays unclear)
                Field::Si => !matches!(c, C::SelfHarm | C::HarmToOthers | C::Abuse),
                Field::Plan => matches!(c, C::Plan | C::Means | C::Preparatory),
                Field::Intent => matches!(c, C::Plan | C::Means | C::Preparatory | C::Attempt),
                Field::Hi => c == C::HarmToOthers,
            }
        };
        let undenied = v.sents.iter().any(|s| {
            !s.screening
                && s.hits.iter().any(|j| {
                    j.about == About::Client
                        && j.suppressed.is_none()
                        && matches!(j.polarity, Polarity::Affirmed | Polarity::Hedged)
                        && related(j.hit.category)
                })
        });
        if undenied {
            local.add(
                f,
                Kind::Unclear,
                &cites,
                &words,
                "the answer also speaks of risk it does not deny",
            );
        }
        if f == Field::Intent
            && TIMEFRAME.is_match(&v.text_lower())
            && INTENT_AFFIRM.is_match(&v.text_lower())
        {
            local.add(f, Kind::Endorsed, &cites, &words, "says when");
        }
    }
    // a question about the plan answered by a named method
    if t.plan && p.is_none() {
        for s in &v.sents {
            if s.hits.iter().any(|j| {
                j.about == About::Client
                    && j.polarity == Polarity::Affirmed
                    && matches!(
                        j.hit.category,
                        RiskCategory::ActiveSi
                            | RiskCategory::Means
                            | RiskCategory::Plan
                            | RiskCategory::Preparatory
                    )
            }) {
                local.add(
                    Field::Plan,
                    Kind::Endorsed,
                    &cites,
                    &s.s.original,
                    "names a method",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::risk::lex::sentences;

    fn p(t: &str) -> Option<Particle> {
        particle(&sentences(t))
    }

    #[test]
    fn answer_openings() {
        assert_eq!(p("No, never."), Some(Particle::No));
        assert_eq!(p("Nope."), Some(Particle::No));
        assert_eq!(p("No plan, I just think about it."), None);
        assert_eq!(p("Not really."), Some(Particle::Hedge));
        assert_eq!(p("Not really, no."), Some(Particle::No));
        assert_eq!(p("Sometimes, yeah."), Some(Particle::Yes));
        assert_eq!(p("Honestly, yes."), Some(Particle::Yes));
        assert_eq!(
            p("I mean, I've thought about it but I wouldn't do it."),
            Some(Particle::Yes)
        );
        assert_eq!(p("Sometimes these scary thoughts pop into my head."), None);
    }

    #[test]
    fn answer_openings_past_an_exclamation_or_in_dialect() {
        assert_eq!(p("God, no."), Some(Particle::No));
        assert_eq!(
            p("Good heavens, no. I've never thought about how."),
            Some(Particle::No)
        );
        assert_eq!(p("Ha, no. Not at all."), Some(Particle::No));
        assert_eq!(
            p("No, honestly, I'm not in that place."),
            Some(Particle::No)
        );
        assert_eq!(p("no i wouldnt, no"), Some(Particle::No));
        assert_eq!(p("Negative."), Some(Particle::No));
        // "no i mean yeah" and "no I don't think so" are not plain denials
        assert_ne!(p("no i mean yeah i do think about it"), Some(Particle::No));
        assert_ne!(p("no I don't think so"), Some(Particle::No));
        assert_eq!(p("yeah a few times since the exams"), Some(Particle::Yes));
        assert_eq!(p("Aye, kinda."), Some(Particle::Yes));
        assert_eq!(p("Aye, some days."), Some(Particle::Yes));
    }

    #[test]
    fn not_now_about_the_past_is_a_no_unless_it_looks_ahead() {
        assert_eq!(
            p("Not now. Years ago, yes, but not for a long time."),
            Some(Particle::No)
        );
        assert_eq!(p("Not for about two years."), Some(Particle::No));
        assert_ne!(p("Not now. Later, maybe."), Some(Particle::No));
        assert_ne!(
            p("Not now. But if it gets worse, who knows."),
            Some(Particle::No)
        );
        assert_ne!(p("Not today."), Some(Particle::No));
        assert_ne!(p("Not right now."), Some(Particle::No));
        assert_eq!(p("not how no"), Some(Particle::No));
        assert_ne!(p("Not of hurting anyone else, no."), Some(Particle::No));
        // a joke or someone else first, then a plain no
        assert_eq!(
            p("Only my printer, ha. No, seriously, no."),
            Some(Particle::No)
        );
        assert_eq!(p("She worries too much. No."), Some(Particle::No));
        // a statement of one's own first is not passed over
        assert_ne!(
            p("I think about it every day. No. I would not."),
            Some(Particle::No)
        );
        assert!(named_nones(&sentences("No plan, no.")).plan);
        let t = named_nones(&sentences("No thoughts, no plans."));
        assert!(t.si && t.plan && !t.intent);
        assert!(!named_nones(&sentences("No plan, I just think about it.")).any_field());
    }

    #[test]
    fn ideation_named_as_what_a_plan_or_intent_acts_on() {
        assert!(ideation_as_object("do you think you'd act on those thoughts about dying").si);
        // as the lexer writes it, contractions expanded
        assert!(ideation_as_object("do you think you would act on those thoughts about dying").si);
        assert!(ideation_as_object("do you intend to hurt him?").hi);
        assert!(ideation_as_object("have you made any plans to kill yourself?").si);
        // asked as items of their own
        let t = ideation_as_object(
            "any suicidal thoughts, plans, intentions, or thoughts of hurting anybody else?",
        );
        assert!(!t.si && !t.hi);
        assert!(!ideation_as_object("have you had thoughts of killing yourself?").si);
    }

    #[test]
    fn questions_put_as_denials() {
        assert!(negated_in_question("so you haven't thought about how you'd do it?").plan);
        assert!(negated_in_question("no plans?").plan);
        assert!(negated_in_question("you're not having thoughts of ending your life, are you?").si);
        assert!(!negated_in_question("have you thought about how?").plan);
        // the summary that asks "is that right?" is told apart
        assert!(!denied_in_summary("so you don't have a plan?").plan);
        assert!(denied_in_summary("to sum up: no plan, is that right?").plan);
        assert!(confirms(&sentences("Correct. I do not have a plan.")));
        assert!(confirms(&sentences("Yeah. No suicide stuff. Just that.")));
        assert!(!confirms(&sentences("Yeah, I am.")));
        assert!(owns_it(&sentences("Actually, yes, I am.")));
    }

    #[test]
    fn a_no_is_taken_back_by_a_correction_not_by_a_stressing_actually() {
        let undone = |t: &str, f: Field| no_undone(t, &sentences(t), f);
        assert!(undone("No. Well, actually, yes, on Tuesday I did.", Field::Si).is_some());
        assert!(undone("No. Actually I think about it most nights.", Field::Si).is_some());
        assert!(undone("No, none at all. I've been alright, actually.", Field::Si).is_none());
        assert!(undone(
            "no. i don't actually want to. i just think about it",
            Field::Intent
        )
        .is_none());
        // thoughts owned up to undo a no to thoughts or to a plan, not to intent
        assert!(undone("No. I think about it, but I'm not going to.", Field::Intent).is_none());
        assert!(undone("No. I think about it, but I'm not going to.", Field::Si).is_some());
        assert!(undone(
            "No. Okay, the car. I've thought about the car.",
            Field::Plan
        )
        .is_some());
    }

    #[test]
    fn a_dictation_records_intent_a_plan_or_thoughts_of_harm_in_its_own_words() {
        let d = |t: &str| dictated_endorsements(&t.to_lowercase());
        assert_eq!(
            d("States intent to act \"after the funeral on Thursday.\""),
            vec![(Field::Intent, "the dictation records intent")]
        );
        assert_eq!(
            d("Endorses suicidal ideation with a plan to hang himself.")[0].0,
            Field::Plan
        );
        assert_eq!(
            d("Reports intrusive thoughts of harming consultant after bullying.")[0].0,
            Field::Hi
        );
        assert!(d("Denies intent to act.").is_empty());
        assert!(d("Passive SI, no plan to act, denies intent.").is_empty());
        assert!(d("Safety plan reviewed; has a plan for the weekend with her sister.").is_empty());
        let no = |t: &str| dictated_denials(&t.to_lowercase());
        assert_eq!(no("Passive SI, no plan, no intent.").len(), 2);
        // a plan beside thoughts of harming someone else is that ideation's
        assert!(no("Reports HI toward neighbour, no plan, no intent.").is_empty());
        assert!(no("Reported thoughts of hurting her manager but no plan to do so.").is_empty());
        assert_eq!(no("+passive SI, -plan, -intent.").len(), 2);
        assert_eq!(
            no("Death wishes; denied any plan to harm herself and denied intent.").len(),
            2
        );
        assert!(no("Plan and intent not explored this session.").is_empty());
        assert!(no("Safety plan reviewed with no changes.").is_empty());
        assert!(no("Endorsed homicidal ideation toward her ex, no plan described.").is_empty());
        assert!(no("No plan for discharge yet; no intent to return to work.").is_empty());
    }

    #[test]
    fn an_answer_to_a_misheard_question_is_read_after_it() {
        let s = sentences("Yeah, loads. Sorry, I thought you said quitting. No. Never.");
        assert_eq!(particle(after_misheard(&s)), Some(Particle::No));
    }

    #[test]
    fn question_topics() {
        let t = topics("have you thought about hurting yourself or anyone else?");
        assert!(t.hi && !t.si && t.other);
        let t = topics("do you have a safety plan?");
        assert!(!t.plan);
        assert!(topics("do you think you would act on them?").intent);
    }
}
