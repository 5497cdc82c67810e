//! The second net: sentence embeddings of the client's sentences against a bank of risk
//! expressions and a contrast bank of everyday sentences that share their words (idioms,
//! illness and grief, tiredness, denials), as a nearest-neighbour classifier.
//!
//! The banks are the expressions written here ([`BANK`], [`CONTRAST`]) plus the *tuning* part
//! of the project's evaluation set (`tests/fixtures/risk/utterances.txt` and the held-out sets
//! read item by item to fix the rules, so no longer unseen: their risk utterances join the
//! risk bank, their non-risk ones the contrast bank), and ordinary session talk written for it
//! (`everyday.txt`); the unseen sets and the held-out ordinary talk are never in them.
//! A sentence becomes a cue when its best cosine similarity to a risk expression reaches
//! [`Thresholds::min_risk`] and beats its best similarity to the contrast bank by
//! [`Thresholds::margin`] (tuned leaving each tuning utterance out of the bank in turn), or
//! when the risk head trained on the same banks ([`super::head`]) reads a sentence with a
//! word near risk talk as risk talk ([`Thresholds::head`]), or reads another sentence so
//! where its nearest risk expression agrees ([`Thresholds::plain_head_min_risk`]). Every
//! client (or unlabelled, or dictated) sentence the rules did not already judge is embedded
//! (no rule hit: no cue, denial or idiom already found; no screening question; at least three
//! content words): skipping those without a word near risk talk lost a tenth of the new
//! writers' risk sentences ("I'd do it up at the cabin, no one would find me until spring");
//! such sentences need a closer match instead ([`Thresholds::plain_min_risk`]), as ordinary
//! talk is mostly made of them. The net never sets a field; its cues can keep a denial from
//! standing ([`super::fields::unsettle_denials`]).

//! The encoder is anything that implements [`Embedder`] (`noted::embed::SentenceEncoder`,
//! all-MiniLM-L6-v2, in the application). The banks' vectors for all-MiniLM-L6-v2 ship with
//! the source (`bank.vec`, int8, made by `cargo test --test risk write_bank_vectors --
//! --ignored`; a test checks they are current); another encoder gets them computed once per
//! process.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

use super::context::{self, Polarity, Role};
use super::head::Head;
use super::{About, CueSource, RiskCategory, RiskCue, SegView, Strength, Voice};

/// Errors of the embedding net.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("sentence encoder: {0}")]
    Encoder(String),
    #[error("the sentence encoder returned {got} vectors for {want} texts")]
    Count { want: usize, got: usize },
}

/// A sentence encoder: unit-length vectors, one per text.
pub trait Embedder: Send + Sync {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, NetError>;
}

impl Embedder for crate::embed::SentenceEncoder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, NetError> {
        self.encode(texts)
            .map_err(|e| NetError::Encoder(e.to_string()))
    }
}

/// Words near risk talk: a sentence without one needs a closer match to be a cue
/// ([`Thresholds::plain_min_risk`]).
static NEAR_RISK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:die|dies|died|dying|dead|death|deadly|kill\w*|suicid\w*|alive|live|living|lives|life|exist\w*|wake|waking|woke|asleep|gone|disappear\w*|vanish\w*|delete me|erase me|out of the picture|end|ending|over|anymore|any more|point|pointless|hope\w*|burden\w*|without me|better off|worth|pain\w*|hurt\w*|harm\w*|cut|cuts|cutting|bleed\w*|bled|blood\w*|burn\w*|pills?|tablets|meds|medication|paracetamol|painkillers|insulin|codeine|overdos\w*|guns?|rifle|pistol|rope|noose|knife|knives|blades?|razors?|bridge|roof|ledge|jump\w*|tracks|crash\w*|drown\w*|hang\w*|goodbye\w*|funeral|grave|heaven|give up|giving up|gave up|trapped|escape|way out|worthless|useless|miss me|hit|hits|hitting|beat\w*|punch\w*|slap\w*|kick\w*|chok\w*|strangl\w*|threat\w*|afraid|scared|terrified|abus\w*|touch\w*|molest\w*|unsafe|weapons?|shoot\w*|stab\w*|poison\w*|revenge|suffer\w*|forever|permanent\w*|for good|let go|go on|keep going|carry on|no one|nobody)\b").unwrap()
});

const STOPWORDS: &[&str] = &[
    "i", "me", "my", "myself", "we", "you", "your", "he", "she", "it", "they", "them", "his",
    "her", "their", "a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "at",
    "for", "with", "is", "am", "are", "was", "were", "be", "been", "do", "does", "did", "have",
    "has", "had", "that", "this", "what", "just", "like", "well", "yeah", "yes", "oh", "okay",
    "really", "very", "would", "will", "can", "could", "know", "mean", "kind", "sort", "there",
    "then", "if", "about", "up", "out", "all", "some", "get", "got", "go", "going",
];

/// Words that carry content (a sentence of fewer than three is too short for its meaning to
/// be judged by similarity: "That's my hope.").
fn content_words(s: &super::lex::Sentence) -> usize {
    s.words
        .iter()
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .count()
}

/// Whether a sentence holds a word near risk talk (see [`NEAR_RISK`]).
pub fn near_risk(normalized: &str) -> bool {
    NEAR_RISK.is_match(normalized)
}

/// When a sentence is a cue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Lowest cosine similarity to a risk expression.
    pub min_risk: f32,
    /// How much the risk similarity must beat the best contrast similarity.
    pub margin: f32,
    /// The same two for a sentence with no word near risk talk ("I've told the cat sitter
    /// she can keep Milo for good"): ordinary talk is mostly such sentences.
    pub plain_min_risk: f32,
    pub plain_margin: f32,
    /// The risk head's score that makes a cue on its own ([`NetScore::head`]), and the same
    /// for a sentence with no word near risk talk (above 1: the head never decides there).
    pub head: f32,
    pub plain_head: f32,
    /// Where the head decides for a sentence with no word near risk talk, the nearest risk
    /// expression must still be this close, and beat the contrast bank by this much.
    pub plain_head_min_risk: f32,
    pub plain_head_margin: f32,
}

impl Thresholds {
    /// Whether a score is a cue: by its nearest expression or by the risk head.
    pub fn pass(&self, s: &NetScore) -> bool {
        self.pass_nearest(s) || self.pass_head(s)
    }

    /// Whether the nearest risk expression makes the sentence a cue.
    pub fn pass_nearest(&self, s: &NetScore) -> bool {
        let (min, margin) = if s.near {
            (self.min_risk, self.margin)
        } else {
            (self.plain_min_risk, self.plain_margin)
        };
        s.nearest_within(min, margin)
    }

    /// Whether the risk head alone makes the sentence a cue.
    pub fn pass_head(&self, s: &NetScore) -> bool {
        if s.near {
            s.head >= self.head
        } else {
            s.head >= self.plain_head
                && s.nearest_within(self.plain_head_min_risk, self.plain_head_margin)
        }
    }
}

/// Tuned with all-MiniLM-L6-v2 on the tuning part of the evaluation set (1,373 utterances,
/// deliberately word-sharing: 673 risk, 700 not), each utterance left out of the bank in turn
/// (`cargo test --test risk tune -- --ignored --nocapture`): with the rules, 60 misses (91 %
/// recall) and 52 false flags (7.4 %). Sentences with no word near risk talk need 0.60 and
/// 0.15: at the looser thresholds of the others they found 4 more of the tuning set's risk
/// sentences but raised 1-4 cues of ordinary talk in each real counselling transcript
/// ("I suppose I'm here for a reason"); at 0.60 / 0.15, 0-1.
///
/// The risk head ([`super::head`]) was tuned on the tuning files, each measured with its
/// entries out of the bank and a head trained without it (`cargo test --test risk
/// tune_risk_head -- --ignored --nocapture`). Its scores are near 0 or 1, so the threshold
/// matters little; what matters is where it may decide: on sentences with no word near risk
/// talk it raised cues on everyday talk outside the contrast bank ("My sister took an
/// overnight train at the weekend", "I've got nothing left in the fridge": 12 % false flags
/// on the first tuning file); on the others it took the unseen set 13 from 67 % recall to
/// 76 % at 7 % false flags. With ordinary session talk in the bank (`everyday.txt`), letting
/// it decide alone there too took set 14 from 86.5 % to 91 %, but raised 3-13 cues of
/// ordinary talk in each real counselling transcript ("Probably get booted out right away",
/// scored 1.00): its scores on spoken talk unlike anything it learned from are not to be
/// trusted. So on such a sentence it decides only where the nearest risk expression is also
/// close (0.55) and beats the contrast bank (by 0.05): set 14 88.5 %, the held-out everyday
/// talk 0.7 % false flags, the real-dev transcripts 0-2 cues each.
pub const DEFAULT_THRESHOLDS: Thresholds = Thresholds {
    min_risk: 0.45,
    margin: 0.12,
    plain_min_risk: 0.60,
    plain_margin: 0.15,
    head: 0.98,
    plain_head: 0.98,
    plain_head_min_risk: 0.55,
    plain_head_margin: 0.05,
};

/// Risk expressions per category (first person, as a client might say them).
pub const BANK: &[(RiskCategory, &str)] = &[
    (RiskCategory::PassiveSi, "I wish I were dead"),
    (
        RiskCategory::PassiveSi,
        "I wish I could go to sleep and not wake up",
    ),
    (RiskCategory::PassiveSi, "I would be relieved if I died"),
    (RiskCategory::PassiveSi, "I don't want to be alive anymore"),
    (RiskCategory::PassiveSi, "I don't want to live anymore"),
    (RiskCategory::PassiveSi, "I wish my life would just end"),
    (
        RiskCategory::PassiveSi,
        "Being dead would be easier than this",
    ),
    (RiskCategory::PassiveSi, "I hope something kills me"),
    (RiskCategory::PassiveSi, "I wouldn't care if I died tonight"),
    (RiskCategory::PassiveSi, "I want to stop existing"),
    (RiskCategory::PassiveSi, "I want to die"),
    (RiskCategory::PassiveSi, "Death would be a release for me"),
    (RiskCategory::PassiveSi, "I think about being dead a lot"),
    (RiskCategory::PassiveSi, "My life isn't worth living"),
    (
        RiskCategory::PassiveSi,
        "I'd be happy to never wake up again",
    ),
    (RiskCategory::PassiveSi, "I want to be gone from this world"),
    (RiskCategory::PassiveSi, "I'm ready for my life to be over"),
    (RiskCategory::ActiveSi, "I want to kill myself"),
    (RiskCategory::ActiveSi, "I've been thinking about suicide"),
    (
        RiskCategory::ActiveSi,
        "I keep thinking about ending my life",
    ),
    (
        RiskCategory::ActiveSi,
        "I have thoughts of taking my own life",
    ),
    (RiskCategory::ActiveSi, "I think about ways to end it"),
    (RiskCategory::ActiveSi, "I feel like committing suicide"),
    (RiskCategory::ActiveSi, "I have urges to end my life"),
    (RiskCategory::ActiveSi, "I think about hanging myself"),
    (
        RiskCategory::ActiveSi,
        "I think about throwing myself off something high",
    ),
    (
        RiskCategory::ActiveSi,
        "I imagine crashing my car on purpose",
    ),
    (RiskCategory::ActiveSi, "I want to end it all"),
    (RiskCategory::Plan, "I have a plan to kill myself"),
    (RiskCategory::Plan, "I know how and when I would do it"),
    (RiskCategory::Plan, "I've researched how to die"),
    (
        RiskCategory::Plan,
        "I've picked the place where I'll end my life",
    ),
    (RiskCategory::Plan, "I'm going to overdose on my medication"),
    (
        RiskCategory::Plan,
        "I've worked out the method I would use to die",
    ),
    (RiskCategory::Means, "I have a gun I could use on myself"),
    (
        RiskCategory::Means,
        "I've been collecting pills to take all at once",
    ),
    (
        RiskCategory::Means,
        "I keep a stash of medication to overdose",
    ),
    (RiskCategory::Preparatory, "I wrote a suicide note"),
    (
        RiskCategory::Preparatory,
        "I've been giving my belongings away before I die",
    ),
    (
        RiskCategory::Preparatory,
        "I said goodbye to my family for the last time",
    ),
    (
        RiskCategory::Preparatory,
        "I've made arrangements for when I'm dead",
    ),
    (
        RiskCategory::Preparatory,
        "I bought what I need to kill myself",
    ),
    (RiskCategory::Attempt, "I tried to kill myself"),
    (RiskCategory::Attempt, "I attempted suicide before"),
    (RiskCategory::Attempt, "I took an overdose to die"),
    (
        RiskCategory::Attempt,
        "I almost went through with killing myself",
    ),
    (RiskCategory::SelfHarm, "I cut myself"),
    (RiskCategory::SelfHarm, "I hurt myself on purpose"),
    (RiskCategory::SelfHarm, "I burn my skin when I'm upset"),
    (RiskCategory::SelfHarm, "I hit myself to feel pain"),
    (RiskCategory::SelfHarm, "I injure my body to cope"),
    (RiskCategory::SelfHarm, "I make myself bleed"),
    (RiskCategory::Hopelessness, "I have no hope left"),
    (RiskCategory::Hopelessness, "My future is hopeless"),
    (
        RiskCategory::Hopelessness,
        "Things will never get better for me",
    ),
    (RiskCategory::Hopelessness, "There is no point to my life"),
    (RiskCategory::Hopelessness, "I can't go on like this"),
    (
        RiskCategory::Hopelessness,
        "I see no way out of my suffering",
    ),
    (RiskCategory::Hopelessness, "I've given up on life"),
    (RiskCategory::Burdensomeness, "I am a burden to my family"),
    (
        RiskCategory::Burdensomeness,
        "Everyone would be better off if I were dead",
    ),
    (
        RiskCategory::Burdensomeness,
        "My family would be happier without me",
    ),
    (
        RiskCategory::Burdensomeness,
        "Nobody would miss me if I died",
    ),
    (
        RiskCategory::Burdensomeness,
        "I only make life worse for the people around me",
    ),
    (
        RiskCategory::Burdensomeness,
        "I'm worthless and a burden on everyone",
    ),
    (RiskCategory::HarmToOthers, "I want to kill him"),
    (
        RiskCategory::HarmToOthers,
        "I have thoughts of hurting other people",
    ),
    (
        RiskCategory::HarmToOthers,
        "I think about murdering someone",
    ),
    (
        RiskCategory::HarmToOthers,
        "I want to make someone suffer and bleed",
    ),
    (
        RiskCategory::HarmToOthers,
        "I've thought about attacking my partner",
    ),
    (RiskCategory::HarmToOthers, "I'm going to hurt them badly"),
    (RiskCategory::HarmToOthers, "I feel like shooting people"),
    (RiskCategory::Abuse, "My partner beats me"),
    (RiskCategory::Abuse, "He hurts me when he gets angry"),
    (RiskCategory::Abuse, "I was sexually abused as a child"),
    (RiskCategory::Abuse, "Someone at home hits the children"),
    (RiskCategory::Abuse, "I'm afraid my partner will kill me"),
    (
        RiskCategory::Abuse,
        "The kids are neglected and left without food",
    ),
    (
        RiskCategory::Abuse,
        "My elderly mother is being mistreated by her carer",
    ),
];

/// Everyday sentences that share words with risk talk.
pub const CONTRAST: &[&str] = &[
    "This traffic is killing me",
    "My legs are killing me after the run",
    "I'm dying to try that restaurant",
    "I'm so tired I could sleep for a week",
    "I'd die of shame if they saw that",
    "I could kill for a cup of tea",
    "We nailed the presentation, we killed it",
    "My battery died",
    "The deadline is next Friday",
    "It's a dead-end road",
    "I nearly died laughing",
    "My mother will kill me for being late",
    "I'm worn out and exhausted after work",
    "I'm sick and tired of the rain",
    "I'm bored to tears",
    "My grandfather died last year",
    "My dog passed away",
    "I miss my mum since she died",
    "We went to the funeral on Monday",
    "The doctor said the illness can be fatal",
    "I'm afraid of dying in surgery",
    "My aunt is in hospice care",
    "I take my medication every day",
    "I cut my finger while cooking",
    "I hurt my back lifting boxes",
    "She hurt my feelings",
    "I have a plan for the holidays",
    "I'm planning to change jobs",
    "I want to get away on holiday",
    "I wish the week would be over",
    "I'm fed up with my boss",
    "There's no point arguing with him",
    "I gave up on fixing the car",
    "I'm hopeless at maths",
    "I would never hurt myself",
    "I don't want to die",
    "I'm not suicidal",
    "I have never thought about killing myself",
    "I would never hurt anyone",
    "Things are getting better",
    "I'm hopeful about the future",
    "I have a lot to live for",
    "I watched a murder mystery on TV",
    "We played a shooting video game",
    "The news reported a stabbing downtown",
    "The kids argued about the television",
    "I got a new job",
    "I slept badly last night",
    "Work has been stressful",
    "I feel anxious about the exam",
    // the ordinary talk of therapy about change: hopes, goals, habits, treatment, work, family
    "That's what I'm hoping for",
    "My hope is that things work out",
    // a dictated note's plan: the treatment plan, not a plan to die
    "Plan: continue weekly sessions and liaise with the GP about his medication",
    "Plan is to see her fortnightly, review the antidepressant dose with the prescriber and repeat the GAD-7",
    "Plan, refer to psychiatry for a medication review and book the next appointment in two weeks",
    // school and career hopes, and "shoot for" meaning "aim for"
    "Hopefully I'll get good enough grades to go to college",
    "I want to graduate and get a good job one day",
    "Everyone's shooting for the top universities",
    "I'm going to shoot for a promotion this year",
    "I hope my kids will be proud of me",
    "I don't want to drink anymore",
    "I want to cut down on my drinking",
    "I'm thinking about quitting smoking",
    "I don't want to give up on finding a job",
    "I'm not going to give up on this",
    "I wish I didn't have to take medication every day",
    "I'd like to be normal and not need pills",
    "I don't want to end up in hospital again",
    "I'm trying to stay out of trouble",
    "I don't want to go back to jail",
    "I want my family to support me",
    "I don't have many people I can trust",
    "I don't know where to start",
    "It's been hard since the divorce",
    "Nothing really changed this week",
    "I feel stuck in a rut",
    "I can't keep up with all the bills",
    "I'm not sure I can do this program",
    "Maybe an eight out of ten",
    "I'm worried about my health",
    "I get angry at my kids sometimes and then feel bad",
    "I want to be a better father",
    "I let everyone down last time",
    "I made a lot of mistakes",
    "I feel guilty about what I did",
    "It's just a lot of pressure right now",
    "I'm exhausted from looking after everyone",
    "I need a break from everything",
    "Sometimes I just want to be left alone",
    "I wish I could start over somewhere new",
    "I don't see the point of that meeting",
    "I'm losing hope that the landlord will fix it",
    "I'm not a bad person",
    "I feel like a failure at work",
    "I have been through a rough patch",
    "The pain in my back gets worse at night",
    "I'm scared of the operation next week",
    "I'm afraid of losing my job",
    "I count my pills so I have enough until the refill",
    "I keep my medication in the kitchen cupboard",
    "I want him off the team",
    "I wish my coworker would just leave",
    "I want that guy out of my life",
    "It would be so peaceful to live in the countryside",
    "I dream of a quiet life by the sea",
];

/// Contrast sentences for the nearest-expression comparison only, not the risk head's
/// training: relapse talk in substance-use and offending work (the old life, not a wish to
/// die). Added to the contrast bank in full they moved the head (trained from the same
/// banks) enough to raise a weak cue elsewhere in a real session ("it's not a big part of my
/// life"); here they only answer the nearest risk expressions that "going back to crime or
/// using, just destructive behaviour" came close to.
pub const NEAREST_CONTRAST: &[&str] = &[
    "I don't want to go back to my old lifestyle, the crime and the using",
    "I'm scared of slipping back into destructive behaviour",
    "If I can't get work I might go back to what I know, dealing and stealing",
    "When I relapse I get reckless and self-destructive with money",
    "Drinking again would wreck everything I've built",
    "I could end up back in jail if I fall in with the old crowd",
];

/// The source of [`NEAREST_CONTRAST`]'s entries (after the tuning files').
const NEAREST_CONTRAST_SOURCE: usize = TUNING.len() + 1;

/// The tuning part of the evaluation set (category | about | speaker | text): the tuning
/// file and the held-out sets whose items were read to fix the rules (so no longer unseen).
const TUNING: [(&str, &str); 31] = [
    (
        "utterances.txt",
        include_str!("../../../tests/fixtures/risk/utterances.txt"),
    ),
    (
        "utterances-heldout4.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout4.txt"),
    ),
    (
        "utterances-heldout5.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout5.txt"),
    ),
    (
        "utterances-heldout6.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout6.txt"),
    ),
    (
        "utterances-heldout8.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout8.txt"),
    ),
    (
        "utterances-heldout9.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout9.txt"),
    ),
    (
        "utterances-heldout10.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout10.txt"),
    ),
    (
        "utterances-heldout11.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout11.txt"),
    ),
    (
        "utterances-heldout12.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout12.txt"),
    ),
    (
        "utterances-heldout13.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout13.txt"),
    ),
    (
        "utterances-heldout14.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout14.txt"),
    ),
    (
        "utterances-heldout15.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout15.txt"),
    ),
    (
        "utterances-heldout16.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout16.txt"),
    ),
    (
        "utterances-heldout17.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout17.txt"),
    ),
    (
        "utterances-heldout18.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout18.txt"),
    ),
    (
        "utterances-heldout19.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout19.txt"),
    ),
    (
        "utterances-heldout20.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout20.txt"),
    ),
    (
        "utterances-heldout21.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout21.txt"),
    ),
    (
        "utterances-heldout22.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout22.txt"),
    ),
    (
        "utterances-heldout23.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout23.txt"),
    ),
    (
        "utterances-heldout24.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout24.txt"),
    ),
    (
        "utterances-heldout25.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout25.txt"),
    ),
    (
        "utterances-heldout26.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout26.txt"),
    ),
    (
        "utterances-heldout27.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout27.txt"),
    ),
    (
        "utterances-heldout28.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout28.txt"),
    ),
    (
        "utterances-heldout29.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout29.txt"),
    ),
    (
        "utterances-heldout30.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout30.txt"),
    ),
    (
        "utterances-heldout31.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout31.txt"),
    ),
    (
        "utterances-heldout33.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout33.txt"),
    ),
    (
        "utterances-heldout34.txt",
        include_str!("../../../tests/fixtures/risk/utterances-heldout34.txt"),
    ),
    // ordinary session talk, none of it risk: what most client sentences are like
    (
        "everyday.txt",
        include_str!("../../../tests/fixtures/risk/everyday.txt"),
    ),
];

/// Tuning files whose utterances are nearest expressions only, not the risk head's training:
/// in the bank, sets 14-17 took the unseen set 18 from 82.9 % to 86.2 % recall; in the head's
/// training as well, to 86.7 %, but the head then doubled its cues on the real counselling
/// transcripts (6 to 12, "So at some point, I would imagine that maybe I strike up
/// conversation ...").
const NEAREST_ONLY: [&str; 20] = [
    "utterances-heldout14.txt",
    "utterances-heldout15.txt",
    "utterances-heldout16.txt",
    "utterances-heldout17.txt",
    "utterances-heldout18.txt",
    "utterances-heldout19.txt",
    "utterances-heldout20.txt",
    "utterances-heldout21.txt",
    "utterances-heldout22.txt",
    "utterances-heldout23.txt",
    "utterances-heldout24.txt",
    "utterances-heldout25.txt",
    "utterances-heldout26.txt",
    "utterances-heldout27.txt",
    "utterances-heldout28.txt",
    "utterances-heldout29.txt",
    "utterances-heldout30.txt",
    "utterances-heldout31.txt",
    "utterances-heldout33.txt",
    "utterances-heldout34.txt",
];

/// Whether bank entries of `source` ([`tuning_source`]; 0 for the expressions written here)
/// train the risk head.
fn trains_head(source: usize) -> bool {
    source == 0
        || (source != NEAREST_CONTRAST_SOURCE
            && !NEAREST_ONLY
                .iter()
                .any(|f| tuning_source(f) == Some(source)))
}

/// The source of a bank entry from a tuning file ([`Entry::source`]): 1 for the first file,
/// by its name (`utterances-heldout12.txt`); `None` for a file that is not in the bank.
pub fn tuning_source(file: &str) -> Option<usize> {
    TUNING
        .iter()
        .position(|(name, _)| *name == file)
        .map(|i| i + 1)
}

/// One bank entry: a risk expression (with its category) or a contrast sentence (None).
#[derive(Debug, Clone)]
pub struct Entry {
    pub category: Option<RiskCategory>,
    /// 0 for the expressions written here, else the tuning file it came from
    /// ([`tuning_source`]).
    pub source: usize,
    pub text: String,
    /// The form that is embedded ([`embed_form`]).
    pub form: String,
}

/// What is embedded of a text: its normalized sentences (lowercase, fillers and stutters
/// dropped, contractions expanded), so that speech and the written banks meet.
pub fn embed_form(text: &str) -> String {
    super::lex::sentences(text)
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The normalized sentences of a text, each as the net embeds it.
pub fn embed_sentences(text: &str) -> Vec<String> {
    super::lex::sentences(text)
        .into_iter()
        .map(|s| s.text)
        .collect()
}

/// Every bank entry, risk and contrast, in a fixed order (the order of `bank.vec`).
pub fn entries() -> &'static [Entry] {
    static ENTRIES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
        let mut v: Vec<Entry> = BANK
            .iter()
            .map(|(c, t)| Entry {
                category: Some(*c),
                source: 0,
                text: t.to_string(),
                form: embed_form(t),
            })
            .collect();
        let contrast = CONTRAST.iter().map(|t| (0, t)).chain(
            NEAREST_CONTRAST
                .iter()
                .map(|t| (NEAREST_CONTRAST_SOURCE, t)),
        );
        v.extend(contrast.map(|(source, t)| Entry {
            category: None,
            source,
            text: t.to_string(),
            form: embed_form(t),
        }));
        let lines = TUNING
            .iter()
            .enumerate()
            .flat_map(|(i, (_, f))| f.lines().map(move |l| (i + 1, l.trim())));
        for (source, line) in lines {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.splitn(4, '|').map(str::trim).collect();
            // therapist questions never reach the net
            if parts.len() != 4 || parts[2] == "T" {
                continue;
            }
            v.push(Entry {
                category: RiskCategory::from_key(parts[0]),
                source,
                text: parts[3].to_string(),
                form: embed_form(parts[3]),
            });
        }
        v
    });
    &ENTRIES
}

/// A digest of the bank's texts (stored with the vectors: stale vectors are not used).
fn texts_digest() -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for e in entries() {
        h.update(e.category.map(|c| c.key()).unwrap_or("none").as_bytes());
        h.update(b"\t");
        h.update(e.form.as_bytes());
        h.update(b"\n");
    }
    h.finalize().into()
}

struct Bank {
    probe: Vec<f32>,
    /// One vector per [`entries`] entry.
    vectors: Vec<Vec<f32>>,
    /// The same vectors as one `entries × dims` matrix, compared with a batch of sentences
    /// in one product.
    matrix: candle_core::Tensor,
    /// Risk heads trained on these vectors, by the tuning source left out (`None`: all).
    heads: Mutex<HashMap<Option<usize>, Option<Arc<Head>>>>,
}

impl Bank {
    /// The head trained on every entry but those of `leave_out`, trained on first use.
    fn head(&self, leave_out: Option<usize>) -> Result<Option<Arc<Head>>, NetError> {
        let mut heads = self.heads.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = heads.get(&leave_out) {
            return Ok(h.clone());
        }
        let (vs, labels): (Vec<&[f32]>, Vec<bool>) = entries()
            .iter()
            .zip(&self.vectors)
            .filter(|(e, _)| Some(e.source) != leave_out && trains_head(e.source))
            .map(|(e, v)| (v.as_slice(), e.category.is_some()))
            .unzip();
        let head = Head::train(&vs, &labels)
            .map_err(|e| NetError::Encoder(format!("training the risk head: {e}")))?
            .map(Arc::new);
        heads.insert(leave_out, head.clone());
        Ok(head)
    }
}

/// The vectors shipped for all-MiniLM-L6-v2 (see the module doc).
static STORED: &[u8] = include_bytes!("bank.vec");
const MAGIC: &[u8; 8] = b"NOTEDRB2";

/// Encodes vectors as `bank.vec`: magic, digest, dims (u32), count (u32), then the probe and
/// each vector as a scale (f32) and int8 values.
fn encode_vectors(probe: &[f32], vectors: &[Vec<f32>]) -> Vec<u8> {
    let dims = probe.len();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&texts_digest());
    out.extend_from_slice(&(dims as u32).to_le_bytes());
    out.extend_from_slice(&(vectors.len() as u32).to_le_bytes());
    for v in std::iter::once(probe).chain(vectors.iter().map(Vec::as_slice)) {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-12);
        let scale = max / 127.0;
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend(v.iter().map(|x| ((x / scale).round() as i8) as u8));
    }
    out
}

/// Decodes `bank.vec` if it holds vectors for the current bank texts.
fn decode_vectors(bytes: &[u8]) -> Option<(Vec<f32>, Vec<Vec<f32>>)> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (digest, rest) = rest.split_at_checked(32)?;
    if digest != texts_digest() {
        return None;
    }
    let dims = u32::from_le_bytes(rest.get(0..4)?.try_into().ok()?) as usize;
    let count = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?) as usize;
    let mut rest = &rest[8..];
    let mut read = || -> Option<Vec<f32>> {
        let scale = f32::from_le_bytes(rest.get(0..4)?.try_into().ok()?);
        let vals = rest.get(4..4 + dims)?;
        let v: Vec<f32> = vals.iter().map(|b| (*b as i8) as f32 * scale).collect();
        rest = &rest[4 + dims..];
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        Some(v.into_iter().map(|x| x / norm).collect())
    };
    let probe = read()?;
    let vectors: Option<Vec<Vec<f32>>> = (0..count).map(|_| read()).collect();
    let vectors = vectors?;
    (vectors.len() == entries().len()).then_some((probe, vectors))
}

/// Computes the bank's vectors with an encoder and writes them in `bank.vec`'s format.
pub fn write_bank_vectors(enc: &dyn Embedder, path: &std::path::Path) -> Result<(), NetError> {
    let probe = embed_checked(enc, &[PROBE])?.remove(0);
    let texts: Vec<&str> = entries().iter().map(|e| e.form.as_str()).collect();
    let vectors = embed_checked(enc, &texts)?;
    std::fs::write(path, encode_vectors(&probe, &vectors))
        .map_err(|e| NetError::Encoder(format!("writing {}: {e}", path.display())))
}

/// Whether the shipped vectors are current for this encoder: the bank texts unchanged, and
/// every stored vector within 0.02 cosine of what the encoder computes now.
pub fn stored_vectors_current(enc: &dyn Embedder) -> Result<bool, NetError> {
    let Some((probe, stored)) = decode_vectors(STORED) else {
        return Ok(false);
    };
    let now_probe = embed_checked(enc, &[PROBE])?.remove(0);
    if dot(&probe, &now_probe) < 0.98 {
        return Ok(false);
    }
    let texts: Vec<&str> = entries().iter().map(|e| e.form.as_str()).collect();
    let now = embed_checked(enc, &texts)?;
    Ok(now.iter().zip(&stored).all(|(a, b)| dot(a, b) > 0.98))
}

const PROBE: &str = "noted risk bank probe sentence";

/// Bank vectors per encoder, keyed by the encoder's vector for a probe sentence.
static CACHE: LazyLock<Mutex<Vec<Arc<Bank>>>> = LazyLock::new(|| Mutex::new(Vec::new()));

fn embed_checked(enc: &dyn Embedder, texts: &[&str]) -> Result<Vec<Vec<f32>>, NetError> {
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    let v = enc.embed(texts)?;
    if v.len() != texts.len() {
        return Err(NetError::Count {
            want: texts.len(),
            got: v.len(),
        });
    }
    Ok(v)
}

/// Vectors of one length as a `rows × dims` matrix (an empty list: `0 × 0`).
fn matrix_of(vs: &[Vec<f32>]) -> Result<candle_core::Tensor, NetError> {
    let dims = vs.first().map_or(0, Vec::len);
    if vs.iter().any(|v| v.len() != dims) {
        return Err(NetError::Encoder("vectors of different lengths".into()));
    }
    candle_core::Tensor::from_vec(vs.concat(), (vs.len(), dims), &candle_core::Device::Cpu)
        .map_err(candle_error)
}

fn candle_error(e: candle_core::Error) -> NetError {
    NetError::Encoder(format!("comparing with the bank: {e}"))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The embedding net over an encoder.
pub struct EmbeddingNet<'a> {
    enc: &'a dyn Embedder,
    bank: Arc<Bank>,
    thresholds: Thresholds,
    /// Vectors of sentences already embedded (a redraft scans the same transcript again).
    memo: Mutex<HashMap<String, Vec<f32>>>,
    leave_one_out: bool,
    /// The tuning source whose entries are not compared with ([`Self::leave_source_out`]).
    leave_out: Option<usize>,
    head: Option<Arc<Head>>,
}

/// Sentences remembered per net before the memo starts over.
const MEMO_MAX: usize = 20_000;

/// How a sentence scores against the banks.
#[derive(Debug, Clone, PartialEq)]
pub struct NetScore {
    /// Best similarity to a risk expression.
    pub risk: f32,
    pub category: RiskCategory,
    /// The closest risk expression.
    pub expression: String,
    /// Best similarity to the contrast bank.
    pub contrast: f32,
    /// The sentence holds a word near risk talk ([`near_risk`]).
    pub near: bool,
    /// How much the sentence reads as risk talk to the risk head, 0 to 1 (0 without one).
    pub head: f32,
}

impl NetScore {
    /// Whether the nearest risk expression is at least `min` close and beats the contrast
    /// bank by at least `margin`.
    fn nearest_within(&self, min: f32, margin: f32) -> bool {
        self.risk >= min && self.risk - self.contrast >= margin
    }
}

impl<'a> EmbeddingNet<'a> {
    /// Prepares the net: the shipped vectors when the encoder is all-MiniLM-L6-v2 (checked on a
    /// probe sentence), else the banks embedded once per encoder per process.
    pub fn new(enc: &'a dyn Embedder) -> Result<EmbeddingNet<'a>, NetError> {
        let probe = embed_checked(enc, &[PROBE])?.remove(0);
        let cached = CACHE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|b| b.probe.len() == probe.len() && dot(&b.probe, &probe) > 0.98)
            .cloned();
        let bank = match cached {
            Some(b) => b,
            None => {
                let vectors = match decode_vectors(STORED) {
                    Some((p, v)) if p.len() == probe.len() && dot(&p, &probe) > 0.98 => v,
                    _ => {
                        let texts: Vec<&str> = entries().iter().map(|e| e.form.as_str()).collect();
                        embed_checked(enc, &texts)?
                    }
                };
                let matrix = matrix_of(&vectors)?;
                let b = Arc::new(Bank {
                    probe,
                    vectors,
                    matrix,
                    heads: Mutex::new(HashMap::new()),
                });
                CACHE
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(b.clone());
                b
            }
        };
        let head = bank.head(None)?;
        Ok(EmbeddingNet {
            enc,
            bank,
            head,
            thresholds: DEFAULT_THRESHOLDS,
            memo: Mutex::new(HashMap::new()),
            leave_one_out: false,
            leave_out: None,
        })
    }

    /// For measuring on a tuning file: its entries are out of the bank and the head is trained
    /// without them (`source` from [`tuning_source`]).
    pub fn leave_source_out(mut self, source: usize) -> Result<EmbeddingNet<'a>, NetError> {
        self.leave_out = Some(source);
        self.head_without(source)
    }

    /// The risk head trained without a tuning file's entries (the bank keeps them).
    pub fn head_without(mut self, source: usize) -> Result<EmbeddingNet<'a>, NetError> {
        self.head = self.bank.head(Some(source))?;
        Ok(self)
    }

    /// For measuring on the tuning set: a sentence is not compared with a bank entry of the
    /// same text (it is there).
    pub fn leave_one_out(mut self, on: bool) -> EmbeddingNet<'a> {
        self.leave_one_out = on;
        self
    }

    /// The same net with other thresholds (for tuning).
    pub fn with_thresholds(mut self, t: Thresholds) -> EmbeddingNet<'a> {
        self.thresholds = t;
        self
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Embeds texts, reusing vectors of texts seen before.
    fn vectors(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, NetError> {
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let mut todo: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !memo.contains_key(*t))
            .collect();
        todo.sort_unstable();
        todo.dedup();
        if !todo.is_empty() {
            let vs = embed_checked(self.enc, &todo)?;
            if memo.len() + todo.len() > MEMO_MAX {
                memo.clear();
            }
            for (t, v) in todo.iter().zip(vs) {
                memo.insert(t.to_string(), v);
            }
        }
        Ok(texts.iter().map(|t| memo[*t].clone()).collect())
    }

    /// Scores texts against the banks.
    pub fn score(&self, texts: &[&str]) -> Result<Vec<NetScore>, NetError> {
        let forms: Vec<String> = texts.iter().map(|t| embed_form(t)).collect();
        let form_refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let vs = self.vectors(&form_refs)?;
        if vs.is_empty() {
            return Ok(Vec::new());
        }
        let ents = entries();
        // every sentence against every entry in one product (the vectors are unit length)
        let sims = matrix_of(&vs)?
            .matmul(&self.bank.matrix.t().map_err(candle_error)?)
            .and_then(|m| m.to_vec2::<f32>())
            .map_err(candle_error)?;
        Ok(vs
            .iter()
            .zip(&forms)
            .zip(&sims)
            .map(|((v, text), row)| {
                let mut best = (usize::MAX, f32::MIN);
                let mut contrast = f32::MIN;
                for (i, (e, &d)) in ents.iter().zip(row).enumerate() {
                    if self.leave_one_out && e.form == *text || Some(e.source) == self.leave_out {
                        continue;
                    }
                    match e.category {
                        Some(_) if d > best.1 => best = (i, d),
                        None if d > contrast => contrast = d,
                        _ => {}
                    }
                }
                let e = &ents[best.0];
                NetScore {
                    risk: best.1,
                    category: e.category.unwrap_or(RiskCategory::PassiveSi),
                    expression: e.text.clone(),
                    contrast,
                    near: near_risk(text),
                    head: self.head.as_ref().map_or(0.0, |h| h.score(v)),
                }
            })
            .collect())
    }

    /// Whether a score is a cue under the thresholds.
    pub fn is_cue(&self, s: &NetScore) -> bool {
        self.thresholds.pass(s)
    }

    /// The sentences the rules left undecided, as (segment index, sentence index).
    fn candidates(views: &[SegView]) -> Vec<(usize, usize)> {
        let mut cand = Vec::new();
        for (vi, v) in views.iter().enumerate() {
            if v.role == Role::Therapist {
                continue;
            }
            for (si, sv) in v.sents.iter().enumerate() {
                // a screening question, or the rules already decided (a cue, a denial, an
                // idiom), or too short to judge
                if sv.screening || content_words(&sv.s) < 3 || !sv.hits.is_empty() {
                    continue;
                }
                cand.push((vi, si));
            }
        }
        cand
    }

    /// The scores of the sentences the net would embed in an input: (segment id, sentence,
    /// score), for measuring and tuning.
    pub fn sentence_scores(
        &self,
        input: &crate::draft::DraftInput,
    ) -> Result<Vec<(u32, String, NetScore)>, NetError> {
        let views = super::views(input);
        let cand = Self::candidates(&views);
        let texts: Vec<&str> = cand
            .iter()
            .map(|&(vi, si)| views[vi].sents[si].s.original.as_str())
            .collect();
        let scores = self.score(&texts)?;
        Ok(cand
            .iter()
            .zip(scores)
            .map(|(&(vi, si), sc)| (views[vi].seg.id, views[vi].sents[si].s.original.clone(), sc))
            .collect())
    }

    /// Cues for the sentences the rules left undecided, and for two such sentences read
    /// together where neither is a cue alone ("Been thinking of checking out. Permanently, I
    /// mean."; "Pills and whisky. Didn't work, obviously."): the second often only finishes
    /// what the first began.
    pub(crate) fn cues(&self, views: &[SegView]) -> Result<Vec<RiskCue>, NetError> {
        let cand = Self::candidates(views);
        let texts: Vec<&str> = cand
            .iter()
            .map(|&(vi, si)| views[vi].sents[si].s.original.as_str())
            .collect();
        let scores = self.score(&texts)?;
        let mut out = Vec::new();
        let mut passed = std::collections::HashSet::new();
        for (&(vi, si), sc) in cand.iter().zip(&scores) {
            if !self.is_cue(sc) {
                continue;
            }
            passed.insert((vi, si));
            let v = &views[vi];
            out.push(self.cue(v, &v.sents[si].s, &v.sents[si].s.original, sc));
        }
        let pairs = Self::pairs(views, &passed);
        let texts: Vec<String> = pairs
            .iter()
            .map(|&(vi, si)| {
                let s = &views[vi].sents;
                format!("{} {}", s[si].s.original, s[si + 1].s.original)
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let scores = self.score(&refs)?;
        for ((&(vi, si), text), sc) in pairs.iter().zip(&texts).zip(&scores) {
            if self.thresholds.pass_nearest(sc) {
                let v = &views[vi];
                out.push(self.cue(v, &v.sents[si].s, text, sc));
            }
        }
        Ok(out)
    }

    /// Two consecutive sentences of one segment, both left undecided by the rules (the second
    /// may be short) and neither a cue alone, as (segment index, first sentence index).
    fn pairs(
        views: &[SegView],
        passed: &std::collections::HashSet<(usize, usize)>,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (vi, v) in views.iter().enumerate() {
            if v.role == Role::Therapist {
                continue;
            }
            for si in 0..v.sents.len().saturating_sub(1) {
                let (a, b) = (&v.sents[si], &v.sents[si + 1]);
                let open = |x: &super::SentView| !x.screening && x.hits.is_empty();
                if open(a)
                    && open(b)
                    && content_words(&a.s) >= 2
                    && content_words(&a.s) + content_words(&b.s) >= 4
                    && !passed.contains(&(vi, si))
                    && !passed.contains(&(vi, si + 1))
                {
                    out.push((vi, si));
                }
            }
        }
        out
    }

    /// The cue a sentence (or two read together, `words`) raises, with its strength and why.
    fn cue(&self, v: &SegView, s: &super::lex::Sentence, words: &str, sc: &NetScore) -> RiskCue {
        let about = context::sentence_about(s, v.role);
        let voice = match v.role {
            Role::Client => Voice::Client,
            Role::Unknown => Voice::Unlabeled,
            _ => Voice::Dictation,
        };
        // a negated sentence the rules did not catch is still a weaker cue
        let negated =
            (0..s.words.len()).any(|i| matches!(context::polarity(s, i), Polarity::Negated { .. }));
        let by_head = !self.thresholds.pass_nearest(sc);
        let mut score = 0.45
            + (sc.risk - self.thresholds.min_risk)
                .max(sc.head - self.thresholds.head)
                .max(0.0);
        if negated {
            score *= 0.8;
        }
        if about == About::SomeoneElse {
            score *= 0.8;
        }
        let score = score.min(0.74);
        RiskCue {
            segment_id: v.seg.id,
            topic: sc.category.topic().to_string(),
            cue: sc.expression.clone(),
            category: sc.category,
            about,
            strength: Strength::of(score),
            score,
            source: CueSource::Embedding,
            voice,
            words: words.to_string(),
            why: if by_head {
                format!(
                    "reads as risk talk to the risk head ({:.2}); nearest expression \"{}\" (similarity {:.2}){}",
                    sc.head,
                    sc.expression,
                    sc.risk,
                    if about == About::SomeoneElse { "; about someone else" } else { "" }
                )
            } else {
                format!(
                    "close in meaning to \"{}\" (similarity {:.2}, everyday sentences {:.2}; embedding net){}",
                    sc.expression,
                    sc.risk,
                    sc.contrast,
                    if about == About::SomeoneElse { "; about someone else" } else { "" }
                )
            },
            past: context::remote_past(s),
            negated,
        }
    }
}
