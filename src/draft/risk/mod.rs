//! Risk: the cue scan and the three-state risk fields, set only from cited client words.
//!
//! The language model never writes a risk conclusion. This module:
//! - **finds risk cues** however they are phrased: phrase rules that state constructions
//!   rather than fixed phrases ([`rules`]), judged in context ([`context`]: a therapist's
//!   screening question is not a cue, a negation ends at its clause, a quoted third party is a
//!   cue *about someone else*, hyperbole and fiction are not cues), and an optional second net
//!   of sentence embeddings against a bank of risk expressions ([`net`]). Each cue has a
//!   [`RiskCategory`], the words, the segment, a strength and why it was raised; every cue
//!   becomes a `risk_cue` flag the clinician must acknowledge, strongest first.
//! - **sets the fields** suicidal ideation, plan, intent and homicidal ideation to
//!   `endorsed`, `denied` or `not_assessed` ([`fields`]): from answers to screening questions
//!   and from what the client says, each citing the client's words. Passive ideation ("easier
//!   not to wake up") is ideation endorsed even next to "I don't want to kill myself"; a field
//!   is `denied` only when every vote denies it; anything ambiguous stays `not_assessed` with
//!   a `risk_unclear` flag. A cue by itself sets nothing.
//!
//! Dictations and typed summaries ([`InputKind::Dictation`]) go through the same scan: there
//! the clinician's words describe the client ("client disclosed passive SI last week").
//!
//! Entry points: [`assess`] (rules only), [`assess_with`] (rules and the embedding net over a
//! `SentenceEncoder`), [`assess_with_net`] (a prepared net over any [`Embedder`]).

mod context;
mod fields;
pub mod head;
mod lex;
pub mod net;
mod rules;

use serde::{Deserialize, Serialize};

use super::input::{DraftInput, InputKind, Segment, Speaker};
use context::{Polarity, Role};
use fields::Field;

pub use net::{Embedder, EmbeddingNet, NetError, NetScore, Thresholds};

/// Three-state risk finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Endorsed,
    Denied,
    #[default]
    NotAssessed,
}

/// One risk item with the segments that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RiskItem {
    pub status: RiskStatus,
    pub citations: Vec<u32>,
}

/// What a cue is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    /// A wish to be dead, not to wake up, to disappear for good.
    PassiveSi,
    /// Thoughts of killing oneself, of a method.
    ActiveSi,
    /// A plan: method, place, time, research.
    Plan,
    /// Access to or a stock of means (pills saved, a firearm thought about).
    Means,
    /// Preparatory acts: a note, giving things away, goodbyes, rehearsal.
    Preparatory,
    /// A suicide attempt (past or present), or a death by suicide.
    Attempt,
    /// Non-suicidal self-harm.
    SelfHarm,
    Hopelessness,
    /// Feeling a burden, others better off without one.
    Burdensomeness,
    /// Thoughts, threats or acts of harm to others.
    HarmToOthers,
    /// Abuse, violence at home, the safety of children or vulnerable adults.
    Abuse,
}

impl RiskCategory {
    /// Every category.
    pub const ALL: [RiskCategory; 11] = [
        RiskCategory::PassiveSi,
        RiskCategory::ActiveSi,
        RiskCategory::Plan,
        RiskCategory::Means,
        RiskCategory::Preparatory,
        RiskCategory::Attempt,
        RiskCategory::SelfHarm,
        RiskCategory::Hopelessness,
        RiskCategory::Burdensomeness,
        RiskCategory::HarmToOthers,
        RiskCategory::Abuse,
    ];

    /// The snake_case name (as serialized).
    pub fn key(self) -> &'static str {
        match self {
            RiskCategory::PassiveSi => "passive_si",
            RiskCategory::ActiveSi => "active_si",
            RiskCategory::Plan => "plan",
            RiskCategory::Means => "means",
            RiskCategory::Preparatory => "preparatory",
            RiskCategory::Attempt => "attempt",
            RiskCategory::SelfHarm => "self_harm",
            RiskCategory::Hopelessness => "hopelessness",
            RiskCategory::Burdensomeness => "burdensomeness",
            RiskCategory::HarmToOthers => "harm_to_others",
            RiskCategory::Abuse => "abuse",
        }
    }

    /// Talk of the client's own death by suicide: a wish, thoughts, a plan, means,
    /// preparations or an attempt (not hopelessness, self-harm or harm to others).
    pub fn speaks_of_suicide(self) -> bool {
        matches!(
            self,
            RiskCategory::PassiveSi
                | RiskCategory::ActiveSi
                | RiskCategory::Plan
                | RiskCategory::Means
                | RiskCategory::Preparatory
                | RiskCategory::Attempt
        )
    }

    /// Parses the snake_case name.
    pub fn from_key(s: &str) -> Option<RiskCategory> {
        RiskCategory::ALL.into_iter().find(|c| c.key() == s)
    }

    /// The coarse topic cues had before categories (`suicidal_ideation`, `plan`, `means`,
    /// `self_harm`, `homicidal_ideation`, `abuse`).
    pub fn topic(self) -> &'static str {
        match self {
            RiskCategory::PassiveSi
            | RiskCategory::ActiveSi
            | RiskCategory::Attempt
            | RiskCategory::Hopelessness
            | RiskCategory::Burdensomeness => "suicidal_ideation",
            RiskCategory::Plan | RiskCategory::Preparatory => "plan",
            RiskCategory::Means => "means",
            RiskCategory::SelfHarm => "self_harm",
            RiskCategory::HarmToOthers => "homicidal_ideation",
            RiskCategory::Abuse => "abuse",
        }
    }

    fn from_topic(topic: &str) -> RiskCategory {
        match topic {
            "homicidal_ideation" => RiskCategory::HarmToOthers,
            "self_harm" => RiskCategory::SelfHarm,
            "means" => RiskCategory::Means,
            "plan" => RiskCategory::Plan,
            "abuse" => RiskCategory::Abuse,
            _ => RiskCategory::ActiveSi,
        }
    }
}

/// Whom a cue is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum About {
    /// The client's own thoughts or acts, or harm done to the client.
    #[default]
    Client,
    /// Someone else's ("my brother said he wanted to die").
    SomeoneElse,
}

/// How strong a cue is; flags come strongest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Low,
    #[default]
    Medium,
    High,
}

impl Strength {
    fn of(score: f32) -> Strength {
        if score >= 0.75 {
            Strength::High
        } else if score >= 0.5 {
            Strength::Medium
        } else {
            Strength::Low
        }
    }
}

/// Which net raised a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CueSource {
    /// A phrase rule.
    #[default]
    Rule,
    /// Sentence-embedding similarity to the bank of risk expressions.
    Embedding,
}

/// Whose words a cue was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    #[default]
    Client,
    /// A transcript without speaker labels (questions that read as screening are skipped).
    Unlabeled,
    /// The clinician's dictation or typed summary about the client.
    Dictation,
    /// The therapist's reflection of what the client disclosed ("You told me the thoughts of
    /// killing yourself are coming more often"): the client's own words may be elsewhere or
    /// unrecorded.
    Reflection,
}

/// A risk cue found in the transcript (shown to the clinician as a flag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CueRecord")]
pub struct RiskCue {
    pub segment_id: u32,
    /// The coarse topic ([`RiskCategory::topic`]), kept for readers of older drafts.
    pub topic: String,
    /// The words matched (normalized), or the bank expression for an embedding cue.
    pub cue: String,
    pub category: RiskCategory,
    pub about: About,
    pub strength: Strength,
    /// 0..1; orders cues within a strength.
    pub score: f32,
    pub source: CueSource,
    pub voice: Voice,
    /// The sentence as said.
    pub words: String,
    /// Why it was raised.
    pub why: String,
    /// Told of the remote past ("years ago I ...").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub past: bool,
    /// The sentence holds a negation the rules could not place (embedding cues only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
}

/// A cue as stored: drafts written before categories have only `segment_id`, `topic`, `cue`.
#[derive(Deserialize)]
struct CueRecord {
    segment_id: u32,
    topic: String,
    cue: String,
    #[serde(default)]
    category: Option<RiskCategory>,
    #[serde(default)]
    about: About,
    #[serde(default)]
    strength: Strength,
    #[serde(default)]
    score: f32,
    #[serde(default)]
    source: CueSource,
    #[serde(default)]
    voice: Voice,
    #[serde(default)]
    words: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    past: bool,
    #[serde(default)]
    negated: bool,
}

impl From<CueRecord> for RiskCue {
    fn from(r: CueRecord) -> RiskCue {
        RiskCue {
            segment_id: r.segment_id,
            category: r
                .category
                .unwrap_or_else(|| RiskCategory::from_topic(&r.topic)),
            topic: r.topic,
            cue: r.cue,
            about: r.about,
            strength: r.strength,
            score: r.score,
            source: r.source,
            voice: r.voice,
            words: r.words,
            why: r.why,
            past: r.past,
            negated: r.negated,
        }
    }
}

impl RiskCue {
    /// The draft flag for this cue (`risk_cue:<category>: ...`).
    pub fn flag(&self) -> String {
        let about = match self.about {
            About::Client => "",
            About::SomeoneElse => ", about someone else",
        };
        let voice = match self.voice {
            Voice::Client => "client",
            Voice::Unlabeled => "unlabeled speaker",
            Voice::Dictation => "dictation",
            Voice::Reflection => "therapist's reflection",
        };
        let strength = match self.strength {
            Strength::High => "strong",
            Strength::Medium => "medium",
            Strength::Low => "weak",
        };
        format!(
            "risk_cue:{}: segment {} ({voice}, {strength}{about}): \"{}\" — {}; review",
            self.category.key(),
            self.segment_id,
            clip(&self.words, 200),
            self.why
        )
    }
}

fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// The risk block of a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Risk {
    pub suicidal_ideation: RiskItem,
    pub plan: RiskItem,
    pub intent: RiskItem,
    pub homicidal_ideation: RiskItem,
    /// Every risk cue found by the scan, strongest first.
    pub cues: Vec<RiskCue>,
    /// Problems found by the checks (e.g. a discussion whose outcome is unclear) and one
    /// `risk_cue` flag per cue.
    pub flags: Vec<String>,
    /// Whether the embedding net ran (false: rules only).
    #[serde(default)]
    pub embedding_net: bool,
}

impl Risk {
    fn item_mut(&mut self, f: Field) -> &mut RiskItem {
        match f {
            Field::Si => &mut self.suicidal_ideation,
            Field::Plan => &mut self.plan,
            Field::Intent => &mut self.intent,
            Field::Hi => &mut self.homicidal_ideation,
        }
    }
}

/// A rule hit judged in its context.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    pub hit: rules::Hit,
    pub polarity: Polarity,
    pub about: About,
    pub past: bool,
    pub suppressed: Option<&'static str>,
    pub score: f32,
}

/// A sentence with its judged hits.
#[derive(Debug, Clone)]
pub(crate) struct SentView {
    pub s: lex::Sentence,
    /// A screening question (or its lead-in): risk words here are not cues.
    pub screening: bool,
    pub hits: Vec<Judged>,
}

/// A segment, analysed.
#[derive(Debug, Clone)]
pub(crate) struct SegView<'a> {
    pub seg: &'a Segment,
    pub role: Role,
    pub sents: Vec<SentView>,
}

impl SegView<'_> {
    /// The normalized text of the whole segment.
    pub fn text_lower(&self) -> String {
        self.sents
            .iter()
            .map(|s| s.s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn role_of(seg: &Segment, kind: InputKind) -> Role {
    match (kind, seg.speaker) {
        (InputKind::Dictation, _) => Role::Dictation,
        (_, Speaker::Therapist) => Role::Therapist,
        (_, Speaker::Client) => Role::Client,
        (_, Speaker::Unknown) => Role::Unknown,
    }
}

/// Analyses one segment: sentences, rule hits, and each hit's context.
pub(crate) fn view(seg: &Segment, kind: InputKind) -> SegView<'_> {
    view_of(seg, kind, false)
}

/// [`view`] of a segment; `confirmed`: the client's next words confirm what a therapist's
/// segment ends with, so its last sentence, if it tells back something about the client
/// ([`context::told_back`]), is read as the client's, as a reflection is (the client's yes
/// answers the last thing said, not what came before a question).
fn view_of(seg: &Segment, kind: InputKind, confirmed: bool) -> SegView<'_> {
    let role = role_of(seg, kind);
    let lexed = lex::sentences(&seg.text);
    let last = lexed.len().saturating_sub(1);
    let mut sents: Vec<SentView> = lexed
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            // a therapist's reflection of a disclosure is read as the client's words, in the
            // first person; the therapist's other sentences are questions and talk, never cues
            let reflection = role == Role::Therapist && context::reflects_disclosure(&s);
            // what the client confirmed, if it tells of risk (not a denial told back)
            if role == Role::Therapist && confirmed && k == last && !reflection {
                if let Some(stated) = context::told_back(&s) {
                    let sv = judge(context::as_first_person(&stated), Role::Client);
                    if sv.hits.iter().any(|j| {
                        j.suppressed.is_none()
                            && matches!(j.polarity, Polarity::Affirmed | Polarity::Hedged)
                    }) {
                        return sv;
                    }
                }
            }
            if reflection {
                judge(context::as_first_person(&s), Role::Client)
            } else {
                judge(s, role)
            }
        })
        .collect();
    // an unlabeled screening question's lead-in ("Many people feel ... Has that happened to
    // you?") is part of the question
    if role == Role::Unknown && sents.iter().any(|s| s.screening) {
        for s in sents.iter_mut() {
            if !s.screening
                && s.s.has_any(&["you", "your", "yourself"])
                && !s.s.has_any(&["i", "me", "my"])
            {
                s.screening = true;
            }
        }
    }
    SegView { seg, role, sents }
}

/// One sentence read in `role`: whether it screens, and its rule hits in context.
fn judge(s: lex::Sentence, role: Role) -> SentView {
    let screening = match role {
        Role::Therapist => true,
        Role::Unknown => context::screening_question(&s),
        _ => false,
    };
    let past = context::remote_past(&s);
    let hits = rules::scan(&s)
        .into_iter()
        .map(|mut hit| {
            // "I wish he'd just die": a death wish toward someone else
            if context::wish_for_other(&s, &hit, role) {
                hit.category = RiskCategory::HarmToOthers;
                hit.why = "wishes someone else dead";
            }
            let mut polarity =
                context::gap_polarity(&hit).unwrap_or_else(|| context::polarity(&s, hit.start));
            if role == Role::Dictation && polarity == Polarity::Affirmed {
                polarity = context::listed_status(&s, &hit).unwrap_or(polarity);
            }
            let about = if hit.category == RiskCategory::HarmToOthers && hit.rule == "passive_wish"
            {
                About::Client
            } else {
                context::about(&s, &hit, role)
            };
            let suppressed = context::suppressed(&s, &hit, about);
            let mut score = hit.weight;
            if about == About::SomeoneElse && hit.category != RiskCategory::Abuse {
                score *= 0.8;
            }
            if past {
                score *= 0.85;
            }
            if polarity == Polarity::Hedged {
                score *= 0.75;
            }
            Judged {
                hit,
                polarity,
                about,
                past,
                suppressed,
                score,
            }
        })
        .collect();
    SentView { s, screening, hits }
}

pub(crate) fn views(input: &DraftInput) -> Vec<SegView<'_>> {
    let mut out: Vec<SegView> = input.segments.iter().map(|s| view(s, input.kind)).collect();
    // what the therapist told back and the client confirmed ("So the thoughts of killing
    // yourself are there most days." / "Most days, yeah."): the client's words too
    for i in 0..out.len().saturating_sub(1) {
        if out[i].role == Role::Therapist
            && out[i + 1].role == Role::Client
            && context::confirms_told_back(
                &out[i + 1].sents.iter().map(|s| &s.s).collect::<Vec<_>>(),
            )
        {
            out[i] = view_of(&input.segments[i], input.kind, true);
        }
    }
    out
}

/// The rule cues of analysed segments: affirmed or hedged hits in the client's (or the
/// dictation's) words, not idioms, one per segment, category and person (the strongest).
fn rule_cues(views: &[SegView]) -> Vec<RiskCue> {
    let mut out: Vec<RiskCue> = Vec::new();
    for v in views {
        let voice = match v.role {
            // only its reflections are left unscreened (`view`)
            Role::Therapist => Voice::Reflection,
            Role::Client => Voice::Client,
            Role::Unknown => Voice::Unlabeled,
            Role::Dictation => Voice::Dictation,
        };
        for sv in &v.sents {
            if sv.screening {
                continue;
            }
            for j in &sv.hits {
                if !matches!(j.polarity, Polarity::Affirmed | Polarity::Hedged)
                    || j.suppressed.is_some()
                {
                    continue;
                }
                let mut why = format!("{} (rule {})", j.hit.why, j.hit.rule);
                if j.about == About::SomeoneElse {
                    why.push_str("; about someone else");
                }
                if j.past {
                    why.push_str("; in the past");
                }
                if j.polarity == Polarity::Hedged {
                    why.push_str("; hedged");
                }
                let cue = RiskCue {
                    segment_id: v.seg.id,
                    topic: j.hit.category.topic().to_string(),
                    cue: j.hit.words.clone(),
                    category: j.hit.category,
                    about: j.about,
                    strength: Strength::of(j.score),
                    score: j.score,
                    source: CueSource::Rule,
                    voice,
                    words: sv.s.original.clone(),
                    why,
                    past: j.past,
                    negated: false,
                };
                push_cue(&mut out, cue);
            }
        }
    }
    out
}

/// Adds a cue unless the same segment already has a stronger one of its category and person.
fn push_cue(out: &mut Vec<RiskCue>, cue: RiskCue) {
    if let Some(c) = out.iter_mut().find(|c| {
        c.segment_id == cue.segment_id && c.category == cue.category && c.about == cue.about
    }) {
        if cue.score > c.score {
            *c = cue;
        }
        return;
    }
    out.push(cue);
}

fn rank(cues: &mut [RiskCue]) {
    cues.sort_by(|a, b| {
        b.strength
            .cmp(&a.strength)
            .then(b.score.total_cmp(&a.score))
            .then(a.segment_id.cmp(&b.segment_id))
    });
}

/// Decides the four risk items from the input (see the module doc) and lists every cue,
/// with the phrase rules only.
pub fn assess(input: &DraftInput) -> Risk {
    assess_with_net(input, None)
}

/// [`assess`] with the embedding net (all-MiniLM-L6-v2) as a second net for cues when an
/// encoder is given; the fields never depend on it. If the net cannot run, the result says so
/// in a `risk_scan_incomplete` flag and holds the rule cues.
pub fn assess_with(input: &DraftInput, encoder: Option<&crate::embed::SentenceEncoder>) -> Risk {
    let Some(enc) = encoder else {
        return assess(input);
    };
    match EmbeddingNet::new(enc) {
        Ok(net) => assess_with_net(input, Some(&net)),
        Err(e) => {
            let mut r = assess(input);
            r.flags.insert(
                0,
                format!("risk_scan_incomplete:embedding: the embedding net could not start ({e}); only the phrase rules ran"),
            );
            r
        }
    }
}

/// Segments from which a conversation gives the context to read "a plan": a session this long
/// that never speaks of suicide (no rule cue of it, no question about it) uses "plan",
/// "follow through" and "in case" of other things ("if you make a good plan, I'd be able to
/// follow through with it", in a session about drinking).
const CONTEXT_SEGMENTS: usize = 20;

/// Whether a long conversation holds no suicide talk at all, so that an embedding cue of a
/// plan, means or preparation (a near sentence, no risk word) is read as other planning. A
/// short input (one utterance, a dictation, an exchange) keeps such cues: it gives no context.
fn plan_talk_without_suicide_talk(vs: &[SegView], rule_cues: &[RiskCue]) -> bool {
    vs.len() >= CONTEXT_SEGMENTS
        && !rule_cues.iter().any(|c| c.category.speaks_of_suicide())
        && !vs.iter().any(|v| {
            v.sents
                .iter()
                .any(|s| s.screening && fields::topics(&s.s.text).si)
        })
}

/// [`assess`] with a prepared [`EmbeddingNet`] (over any [`Embedder`]), or the rules alone.
pub fn assess_with_net(input: &DraftInput, net: Option<&EmbeddingNet<'_>>) -> Risk {
    let vs = views(input);
    let mut cues = rule_cues(&vs);
    let mut flags = Vec::new();
    let mut embedding_net = false;
    if let Some(net) = net {
        match net.cues(&vs) {
            Ok(extra) => {
                embedding_net = true;
                let out_of_context = plan_talk_without_suicide_talk(&vs, &cues);
                for c in extra {
                    if out_of_context
                        && matches!(
                            c.category,
                            RiskCategory::Plan | RiskCategory::Means | RiskCategory::Preparatory
                        )
                    {
                        continue;
                    }
                    push_cue(&mut cues, c);
                }
            }
            // never silently lose the second net: say so (a flag to acknowledge)
            Err(e) => flags.push(format!(
                "risk_scan_incomplete:embedding: the embedding net failed ({e}); only the phrase rules ran"
            )),
        }
    }
    rank(&mut cues);
    let (mut items, mut field_flags) = fields::decide(&vs);
    field_flags.extend(fields::unsettle_denials(&mut items, &cues));
    field_flags.extend(fields::unsettle_retracted(&mut items, &vs));
    let mut risk = Risk {
        cues,
        embedding_net,
        ..Risk::default()
    };
    for (f, item) in items {
        *risk.item_mut(f) = item;
    }
    risk.flags = field_flags;
    risk.flags.extend(flags);
    let cue_flags: Vec<String> = risk.cues.iter().map(RiskCue::flag).collect();
    risk.flags.extend(cue_flags);
    post_check(&mut risk, input);
    risk
}

/// Scans segments for risk cues (rules only; the segments are read as a session).
pub fn scan_cues(segments: &[Segment]) -> Vec<RiskCue> {
    let vs: Vec<SegView> = segments
        .iter()
        .map(|s| view(s, InputKind::Session))
        .collect();
    let mut cues = rule_cues(&vs);
    rank(&mut cues);
    cues
}

/// Whether a segment talks about risk at all: a cue, a denial, or a screening question
/// (for placing it in a note's risk section; a screening question is not a cue).
pub fn discusses_risk(seg: &Segment, kind: InputKind) -> bool {
    let v = view(seg, kind);
    v.sents.iter().any(|s| {
        s.hits
            .iter()
            .any(|j| j.polarity != Polarity::Meta && j.suppressed.is_none())
    }) || (v.sents.iter().any(|s| s.s.question) && fields::topics(&v.text_lower()).any())
}

/// True when the text contains denial language.
pub fn has_denial(text: &str) -> bool {
    const NEG: &[&str] = &[
        "no", "not", "never", "without", "denies", "denied", "deny", "nor", "none", "zero", "nope",
        "nah", "nothing",
    ];
    lex::sentences(text)
        .iter()
        .any(|s| s.words.iter().any(|w| NEG.contains(&w.as_str())))
}

/// Post-check: an item citing a segment that does not exist loses that citation; an item
/// left with no citation, a session item citing only the therapist, or a `denied` item whose
/// cited segments contain no denial language, is reset to `not_assessed` with a flag.
pub fn post_check(risk: &mut Risk, input: &DraftInput) {
    let mut flags = Vec::new();
    for (name, item) in [
        ("suicidal_ideation", &mut risk.suicidal_ideation),
        ("plan", &mut risk.plan),
        ("intent", &mut risk.intent),
        ("homicidal_ideation", &mut risk.homicidal_ideation),
    ] {
        item.citations.retain(|id| input.segment(*id).is_some());
        if item.status == RiskStatus::NotAssessed {
            continue;
        }
        if item.citations.is_empty() {
            flags.push(format!("risk_uncited:{name}: reset to not_assessed"));
            *item = RiskItem::default();
            continue;
        }
        let cited = || item.citations.iter().filter_map(|id| input.segment(*id));
        if input.kind == InputKind::Session && cited().all(|s| s.speaker == Speaker::Therapist) {
            flags.push(format!(
                "risk_uncited:{name}: cites only the therapist's words; reset to not_assessed"
            ));
            *item = RiskItem::default();
            continue;
        }
        if item.status == RiskStatus::Denied && !cited().any(|s| has_denial(&s.text)) {
            flags.push(format!(
                "risk_unsupported_denial:{name}: cited segments contain no denial; reset to not_assessed"
            ));
            *item = RiskItem::default();
        }
    }
    risk.flags.extend(flags);
}

/// What a note statement claims about risk, if anything: (item, status) pairs, read the way
/// a dictation is read ("Client denies SI/HI" → both denied).
pub fn statement_claims(text: &str) -> Vec<(&'static str, RiskStatus)> {
    let seg = Segment {
        id: 0,
        start: 0.0,
        end: 0.0,
        speaker: Speaker::Unknown,
        text: text.to_string(),
        avg_logprob: 0.0,
        no_speech_prob: 0.0,
    };
    let v = [view(&seg, InputKind::Dictation)];
    let (items, _) = fields::decide(&v);
    [Field::Si, Field::Hi]
        .into_iter()
        .filter_map(|f| {
            let st = items.get(&f).map(|i| i.status).unwrap_or_default();
            (st != RiskStatus::NotAssessed).then_some((f.key(), st))
        })
        .collect()
}

/// Checks a note statement against the risk block: a statement asserting a risk status the
/// risk block does not hold (e.g. "denies SI" when SI was not assessed) gets a flag.
pub fn check_statement(text: &str, risk: &Risk) -> Option<String> {
    for (name, st) in statement_claims(text) {
        let item = match name {
            "suicidal_ideation" => &risk.suicidal_ideation,
            _ => &risk.homicidal_ideation,
        };
        if item.status != st {
            return Some(format!(
                "risk_unsupported: statement implies {name} {st:?} but the transcript supports {:?}",
                item.status
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(lines: &[(&str, Speaker)]) -> DraftInput {
        let lines: Vec<(Speaker, &str)> = lines.iter().map(|(t, sp)| (*sp, *t)).collect();
        crate::draft::input::test_session(&lines)
    }

    fn dictation(text: &str) -> DraftInput {
        let mut inp = session(&[(text, Speaker::Therapist)]);
        inp.kind = InputKind::Dictation;
        inp
    }

    #[test]
    fn set_19_field_classes() {
        use Speaker::{Client as C, Therapist as T};
        let si = |lines: &[(&str, Speaker)]| assess(&session(lines)).suicidal_ideation.status;
        // a yes to the therapist's telling back of a disclosure endorses it; a no is unclear
        assert_eq!(
            si(&[
                (
                    "You told me last week you've wanted to die since the fire.",
                    T
                ),
                ("I have. Most days.", C),
            ]),
            RiskStatus::Endorsed
        );
        assert_eq!(
            si(&[
                (
                    "You told me last week you've wanted to die since the fire.",
                    T
                ),
                ("No, I said I wanted to get away from it all.", C),
            ]),
            RiskStatus::NotAssessed
        );
        // a no with a vocative or a laugh after it is a no; a wish said after the no is not
        assert_eq!(
            si(&[
                ("Any thoughts of suicide lately?", T),
                ("No, love. I'm busy with the garden.", C)
            ]),
            RiskStatus::Denied
        );
        assert_ne!(
            si(&[
                ("Have you thought of ending your life yourself?", T),
                (
                    "No, dear, never. I'd just like it to be over in my sleep.",
                    C
                ),
            ]),
            RiskStatus::Denied
        );
        // the question asked back, a qualified yes
        assert_eq!(
            si(&[
                ("And you, any thoughts of wanting to be dead?", T),
                ("Me? Now and then, yes.", C)
            ]),
            RiskStatus::Endorsed
        );
        assert_eq!(
            si(&[("Do you wish you were dead?", T), ("Sort of, yeah.", C)]),
            RiskStatus::Endorsed
        );
        // a yes to two things at once says neither
        let r = assess(&session(&[
            ("Any thoughts of killing yourself or of hurting him?", T),
            ("yeah", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
        // a method named in answer to "how", its negation later on about something else
        let r = assess(&session(&[
            ("Have you had thoughts of killing yourself?", T),
            ("Yes.", C),
            ("Did you think how?", T),
            ("Tablets. Somewhere my wife wouldn't find me.", C),
        ]));
        assert_eq!(r.plan.status, RiskStatus::Endorsed);
        // a word asked back, then a negation: no plan described
        let r = assess(&session(&[
            ("Have you made plans to end your life?", T),
            ("Plans? I can't even plan the shopping.", C),
        ]));
        assert_ne!(r.plan.status, RiskStatus::Endorsed);
    }

    #[test]
    fn set_24_field_classes() {
        use Speaker::{Client as C, Therapist as T};
        // told back in the perfect ("You've told me ..."): a bare "No plan." endorses the
        // thoughts it tells back and denies the plan
        let r = assess(&session(&[
            (
                "You've told me you think about ending your life. Do you have a plan?",
                T,
            ),
            ("No plan.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        // "It's crossed my mind" is a yes
        let r = assess(&session(&[
            ("Any thoughts of suicide since we last met?", T),
            ("It's crossed my mind. Once or twice. This week.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.suicidal_ideation.citations, vec![0, 1]);
    }

    #[test]
    fn set_22_field_classes() {
        use Speaker::{Client as C, Therapist as T};
        // a question that tells back the client's own thoughts: an answer that does not
        // dispute them endorses them, whatever it says of the plan
        let r = assess(&session(&[
            (
                "When the thoughts of ending it come, have you thought about how?",
                T,
            ),
            ("The tablets. I've thought about a Sunday.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert!(r.suicidal_ideation.citations.len() >= 2);
        let r = assess(&session(&[
            (
                "You said you've been thinking of ending your life. Have you thought about how?",
                T,
            ),
            ("I'd rather not say.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_ne!(r.plan.status, RiskStatus::Denied);
        let r = assess(&session(&[
            (
                "When you say you want to kill yourself, have you worked out how?",
                T,
            ),
            ("No, I haven't thought about how.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        // nothing told back when the premise is a denial, or when the answer disputes it
        let r = assess(&session(&[
            (
                "You said you haven't had thoughts of suicide. Any thoughts of hurting others?",
                T,
            ),
            ("No.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        let r = assess(&session(&[
            (
                "You said you'd been thinking about suicide. Is that still the case?",
                T,
            ),
            ("Not any more, they've gone.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // a question of what was meant tells nothing back
        let r = assess(&session(&[
            (
                "When you say you want it all to stop, do you mean your life?",
                T,
            ),
            ("I don't know what I mean. Just... stop.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
    }

    #[test]
    fn set_23_field_classes() {
        use Speaker::{Client as C, Therapist as T};
        // a yes to a summary confirms what it tells back, denials included
        let r = assess(&session(&[
            (
                "Let me check I've got this: you've been wishing you were dead, but there's no plan and no intention to act on it. Is that right?",
                T,
            ),
            ("Yes, that's right.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_eq!(r.intent.status, RiskStatus::Denied);
        let r = assess(&session(&[
            (
                "So to sum up: no thoughts of suicide, no plans, nothing you'd act on. Fair?",
                T,
            ),
            ("Yeah, fair.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_ne!(r.intent.status, RiskStatus::Endorsed);
        // a no to such a summary is for the clinician, never a denial
        let r = assess(&session(&[
            (
                "Just to check: no thoughts of ending your life at the moment?",
                T,
            ),
            ("No, that's not it. I do think about it.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied);
        // "No to all of those." / "No and no." to a question about several things
        let r = assess(&session(&[
            (
                "Any suicidal thoughts, plans, intentions, or thoughts of hurting anyone else?",
                T,
            ),
            ("No to all of those.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        let r = assess(&session(&[
            ("Any thoughts of hurting someone else?", T),
            ("No, nobody.", C),
        ]));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        // a no owned up to as untrue, then a yes
        let r = assess(&session(&[
            ("Any thoughts of suicide this week?", T),
            (
                "No. Well, to be honest, that's not true. On Monday I did.",
                C,
            ),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        let r = assess(&session(&[
            ("Any thoughts of suicide this week?", T),
            ("No. Actually, I have been fine.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // someone else's belief is not the client's endorsement
        let r = assess(&session(&[("My husband thinks I'm suicidal.", C)]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        let r = assess(&session(&[(
            "My husband thinks I want to die, and I do.",
            C,
        )]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
    }

    #[test]
    fn set_20_field_classes() {
        use Speaker::{Client as C, Therapist as T};
        // a yes set in its time or condition; "rather be dead" asked
        let r = assess(&session(&[
            ("Do you ever feel you'd rather be dead?", T),
            ("When the pain is bad, yes.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // "Do you?" puts the question just asked to the client
        let r = assess(&session(&[
            ("Do you ever think about killing yourself?", T),
            ("everyone does", C),
            ("Do you?", T),
            ("sometimes yeah", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // a person named before the answer
        let r = assess(&session(&[
            ("Any thoughts of hurting anyone?", T),
            ("My landlord. I think about it every day.", C),
        ]));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Endorsed);
        // a premise told back is not what the question asks: "no" denies the plan only
        let r = assess(&session(&[
            (
                "When you say you would be better off dead, have you figured out how?",
                T,
            ),
            ("No, I haven't got that far.", C),
        ]));
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied);
        // a no to "so no thoughts ...?", then corrected, or taken back with "so I suppose yes"
        let r = assess(&session(&[
            ("So no thoughts of suicide since we last met?", T),
            ("No, that's not right. I had them on Sunday.", C),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied);
        let r = assess(&session(&[
            ("You said you think about ending it. Do you have a plan?", T),
            ("No. Well, I've looked at the cliffs. So I suppose yes.", C),
        ]));
        assert_ne!(r.plan.status, RiskStatus::Denied);
        // a yes to "a plan, or any intention?" says neither
        let r = assess(&session(&[
            ("You said the thoughts are stronger. Do you have a plan, or any intention of acting on them?", T),
            ("Yeah.", C),
        ]));
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        assert_eq!(r.intent.status, RiskStatus::NotAssessed);
    }

    #[test]
    fn denials_that_are_not_denials_of_the_ideation() {
        use Speaker::{Client as C, Therapist as T};
        // "suicidal plan or intent" denies the plan and the intent, not the ideation
        let r = assess(&dictation(
            "Client tearful about her mother's death. Denies suicidal plan or intent.",
        ));
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_eq!(r.intent.status, RiskStatus::Denied);
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied);
        // death welcomed in a dictation is passive ideation, whatever else is denied
        let r = assess(&dictation(
            "States she would welcome death. Denies suicidal plan or intent.",
        ));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // a denial that ends unsure
        let r = assess(&session(&[
            (
                "Have you thought about acting on the thoughts of suicide?",
                T,
            ),
            ("I wouldn't do it, I don't think.", C),
        ]));
        assert_ne!(r.intent.status, RiskStatus::Denied);
        // a no to suicide, then a yes to the wish asked more widely
        let r = assess(&session(&[
            ("Any thoughts of suicide?", T),
            ("No.", C),
            (
                "Any times you've wished you could just go to sleep and not be alive?",
                T,
            ),
            ("Well, yes, that. Most days.", C),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
    }

    #[test]
    fn a_dictations_he_is_the_client_not_the_family_named_before() {
        let r = assess(&dictation(
            "States her children would be better off without her and that she wishes she could just not be here. No plan. Denies intent.",
        ));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_ne!(r.homicidal_ideation.status, RiskStatus::Denied);
        assert!(r
            .cues
            .iter()
            .any(|c| c.category == RiskCategory::Burdensomeness && c.about == About::Client));
    }

    #[test]
    fn no_risk_talk_is_not_assessed() {
        let r = assess(&session(&[
            ("How was work?", Speaker::Therapist),
            ("Busy, but I slept better.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r.cues.is_empty() && r.flags.is_empty());
    }

    #[test]
    fn an_answer_that_takes_up_one_option_endorses_it_unless_it_denies_the_other() {
        let r = assess(&session(&[
            (
                "Does that mean you've thought about dying, or killing yourself?",
                Speaker::Therapist,
            ),
            ("Dying, yeah. I've thought about it.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // the word taken up is the part that is no risk, and the risk is denied
        let r = assess(&session(&[
            (
                "Do you ever feel lonely, or that you'd be better off dead?",
                Speaker::Therapist,
            ),
            ("Lonely, yes. Dead, no.", Speaker::Client),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // of "yourself or anyone else", the client names themself and denies the others
        let r = assess(&session(&[
            (
                "Have you had thoughts of killing yourself or anyone else?",
                Speaker::Therapist,
            ),
            ("Myself. Not anyone else. Just me.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.citations, vec![0, 1]);
    }

    #[test]
    fn commanding_voices_are_not_ideation_and_intent_is_of_the_ideation_discussed() {
        // what the voices tell the client is not the client's own ideation: the no denies the
        // commands; the later no to suicide is the denial
        let r = assess(&session(&[
            (
                "Are the voices telling you to hurt yourself or anyone else?",
                Speaker::Therapist,
            ),
            (
                "No. They just comment. It's annoying, not scary.",
                Speaker::Client,
            ),
            (
                "And have you had any thoughts of ending your life?",
                Speaker::Therapist,
            ),
            ("No.", Speaker::Client),
        ]));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.suicidal_ideation.citations, vec![2, 3]);
        // "I'd not do anything" in talk of harming someone else denies acting on that ideation
        // (intent is the intent to act on the ideation discussed)
        let r = assess(&session(&[
            ("Any thoughts of harming anyone else?", Speaker::Therapist),
            (
                "If my ex turns up at the school gate again I swear I'll kill her.",
                Speaker::Client,
            ),
            ("Do you mean that?", Speaker::Therapist),
            (
                "No. No, I don't mean it like that. I'd ring the police, not do anything.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(r.intent.status, RiskStatus::Denied);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
    }

    #[test]
    fn explicit_denial_is_denied_with_citation_and_the_question_is_no_cue() {
        let r = assess(&session(&[
            (
                "Have you had thoughts of killing yourself?",
                Speaker::Therapist,
            ),
            ("No, never.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.suicidal_ideation.citations, vec![0, 1]);
        assert_eq!(r.intent.status, RiskStatus::NotAssessed);
        assert!(r.cues.is_empty(), "{:?}", r.cues);
    }

    #[test]
    fn passive_ideation_next_to_a_denial_is_endorsed() {
        let r = assess(&session(&[
            ("Do you ever think about killing yourself?", Speaker::Therapist),
            (
                "It's not like... I don't want to kill myself. It's more like, sometimes I think it would be easier not to wake up. Like if I just went to sleep and that was it.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert!(r.suicidal_ideation.citations.contains(&1));
        assert_eq!(r.cues.len(), 1, "{:?}", r.cues);
        assert_eq!(r.cues[0].segment_id, 1);
        assert_eq!(r.cues[0].category, RiskCategory::PassiveSi);
    }

    #[test]
    fn a_no_then_a_but_is_not_a_denial() {
        let r = assess(&session(&[
            (
                "Have you been having any thoughts of suicide?",
                Speaker::Therapist,
            ),
            (
                "Not suicide, no. But some days I'd be glad if a lorry ran me over.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        // a wish judged "fine if" (with a "not" inside the condition) is no reassurance
        let r = assess(&session(&[
            ("Any thoughts of suicide lately?", Speaker::Therapist),
            (
                "No, not suicide, but on the drive to work I think it'd be fine if I never got there, if the car just didn't stop.",
                Speaker::Client,
            ),
        ]));
        assert_ne!(
            r.suicidal_ideation.status,
            RiskStatus::Denied,
            "{:?}",
            r.flags
        );
        let r = assess(&session(&[
            ("Any thoughts of suicide lately?", Speaker::Therapist),
            ("No, not suicide, but I'm fine, honestly.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        // a "but..." that trails off and goes on in the next sentence
        let r = assess(&session(&[
            ("Have you had any thoughts of suicide lately?", Speaker::Therapist),
            (
                "no, not suicide, but... sometimes when I'm walking the dog I think it'd be fine if I just didn't come back, like if something happened to me on the way",
                Speaker::Client,
            ),
            (
                "have you thought about doing anything to bring that about?",
                Speaker::Therapist,
            ),
            ("no, I couldn't, my son needs me.", Speaker::Client),
        ]));
        assert_ne!(
            r.suicidal_ideation.status,
            RiskStatus::Denied,
            "{:?}",
            r.flags
        );
        // another risk after the "but" leaves the denial of this one
        let r = assess(&session(&[
            ("Any thoughts of killing yourself?", Speaker::Therapist),
            ("No, but I've been cutting again.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        let r = assess(&session(&[
            ("Any thoughts of killing yourself?", Speaker::Therapist),
            (
                "No. But something happened at work I want to talk about.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r
            .flags
            .iter()
            .any(|f| f.starts_with("risk_unclear:suicidal_ideation")));
    }

    #[test]
    fn a_later_disclosure_outweighs_the_first_no() {
        let r = assess(&session(&[
            ("Any thoughts of ending your life?", Speaker::Therapist),
            ("No.", Speaker::Client),
            (
                "What was happening on Friday when you weren't answering your phone?",
                Speaker::Therapist,
            ),
            (
                "Okay. I was at the cliffs. I'd decided that's where I'd do it. I just sat there for hours.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(
            r.suicidal_ideation.status,
            RiskStatus::Endorsed,
            "{:?}",
            r.flags
        );
        assert_eq!(r.plan.status, RiskStatus::Endorsed);
    }

    #[test]
    fn declining_a_label_is_not_denying_the_thought() {
        let r = assess(&session(&[
            ("Any thoughts of suicide?", Speaker::Therapist),
            (
                "No, not really. I mean, I sometimes think everyone would be better off if I died, but I wouldn't call that suicidal.",
                Speaker::Client,
            ),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.intent.status, RiskStatus::NotAssessed);
    }

    #[test]
    fn a_no_taken_back_doubted_or_partial_is_not_a_denial() {
        for answer in [
            // taken back
            "No. Well, actually, last weekend after the court letter I did think about it.",
            "Nah, not really. Well, yes, it comes into my head now and then.",
            // the no itself owned up to as untrue
            "No. Hmm, no, that's not true. I did, on Sunday night, after the funeral.",
            "Nope. Scratch that, it was there on Friday.",
            // doubted
            "No? I don't know, sort of, it comes and goes.",
            // a verbless "not" names one thing, then another is said
            "Not ending it myself. I'd just be glad to go to sleep and stay asleep.",
            // "not X, but, like, Y"
            "Not, like, doing anything to myself, but, like, if the plane went down I wouldn't mind.",
        ] {
            let r = assess(&session(&[
                ("Have you had thoughts of suicide lately?", Speaker::Therapist),
                (answer, Speaker::Client),
            ]));
            assert_ne!(
                r.suicidal_ideation.status,
                RiskStatus::Denied,
                "{answer}: {:?}",
                r.flags
            );
        }
        // a plain denial stays one
        for answer in [
            "No, not at all. I'm looking forward to the summer.",
            "No. To be fair, things have been calm since the move.",
        ] {
            let r = assess(&session(&[
                (
                    "Have you had thoughts of suicide lately?",
                    Speaker::Therapist,
                ),
                (answer, Speaker::Client),
            ]));
            assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied, "{answer}");
        }
    }

    #[test]
    fn someone_elses_cannot_is_not_the_clients_denial_of_intent() {
        let r = assess(&session(&[
            (
                "Are you having thoughts of ending your life?",
                Speaker::Therapist,
            ),
            ("Yes.", Speaker::Client),
            ("And of harming anyone else?", Speaker::Therapist),
            (
                "I picture hurting him before myself, so he can't do it to my sister.",
                Speaker::Client,
            ),
        ]));
        assert_ne!(r.intent.status, RiskStatus::Denied, "{:?}", r.flags);
        // "I wouldn't say" declines a label, like "I wouldn't call it"
        let r = assess(&session(&[
            ("Any suicidal thoughts?", Speaker::Therapist),
            (
                "I wouldn't say suicidal, no, but I keep wishing I could vanish.",
                Speaker::Client,
            ),
        ]));
        assert_ne!(r.intent.status, RiskStatus::Denied, "{:?}", r.flags);
    }

    #[test]
    fn a_dictated_field_list_reads_each_status() {
        let r = assess(&dictation("SI: endorsed passive; HI: denied."));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        let r = assess(&dictation("Endorses passive SI, denies plan and intent."));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
    }

    #[test]
    fn an_unlabelled_bare_topic_is_a_question() {
        let r = assess(&session(&[
            ("and thoughts of hurting others", Speaker::Unknown),
            ("no not at all", Speaker::Unknown),
        ]));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        assert!(r.cues.is_empty(), "{:?}", r.cues);
        // told, not asked
        let r = assess(&session(&[(
            "thoughts of killing myself keep coming back",
            Speaker::Unknown,
        )]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
    }

    #[test]
    fn a_present_cue_keeps_a_denial_from_standing() {
        let cue = |cat, past| RiskCue {
            segment_id: 3,
            topic: String::new(),
            cue: String::new(),
            category: cat,
            about: About::Client,
            strength: Strength::Medium,
            score: 0.5,
            source: CueSource::Embedding,
            voice: Voice::Client,
            words: "I've told the cat sitter she can keep Milo for good after Friday.".into(),
            why: String::new(),
            past,
            negated: false,
        };
        let denied = || {
            let mut m = std::collections::BTreeMap::new();
            for f in Field::ALL {
                m.insert(
                    f,
                    RiskItem {
                        status: RiskStatus::Denied,
                        citations: vec![0, 1],
                    },
                );
            }
            m
        };
        let mut items = denied();
        let flags = fields::unsettle_denials(&mut items, &[cue(RiskCategory::Preparatory, false)]);
        assert_eq!(items[&Field::Si].status, RiskStatus::NotAssessed);
        assert_eq!(items[&Field::Plan].status, RiskStatus::NotAssessed);
        // "has a plan, denies intent" stands; homicidal ideation is another matter
        assert_eq!(items[&Field::Intent].status, RiskStatus::Denied);
        assert_eq!(items[&Field::Hi].status, RiskStatus::Denied);
        assert_eq!(flags.len(), 2);
        assert!(
            flags[0].contains("segment 3") && flags[0].contains("Milo"),
            "{flags:?}"
        );
        // the remote past does not unsettle a denial about now
        let mut items = denied();
        assert!(
            fields::unsettle_denials(&mut items, &[cue(RiskCategory::PassiveSi, true)]).is_empty()
        );
        assert_eq!(items[&Field::Si].status, RiskStatus::Denied);
    }

    #[test]
    fn a_denial_taken_back_later_is_left_for_the_clinician() {
        let denied_then = |later: &str| {
            assess(&session(&[
                (
                    "Have you had thoughts of suicide this month?",
                    Speaker::Therapist,
                ),
                ("No, nothing like that.", Speaker::Client),
                ("How has the new job been?", Speaker::Therapist),
                (later, Speaker::Client),
            ]))
        };
        let r = denied_then("I lied before. I've been thinking about it most nights.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(
            r.flags
                .iter()
                .any(|f| f.starts_with("risk_unclear:suicidal_ideation")
                    && f.contains("takes an answer back")),
            "{:?}",
            r.flags
        );
        let r = denied_then("When you asked earlier I said no, but that's not the whole story.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        // coming back to the question, or owning up, without "no" said again
        for later in [
            "Actually, about the plan. I did go and look at the bridge.",
            "I haven't been completely honest with you about that.",
            "Going back to what you asked, there have been some nights.",
            "Okay, yes. Sometimes I think about it. Just not doing it.",
            "Yeah, sometimes I think about it.",
        ] {
            let r = denied_then(later);
            assert_eq!(
                r.suicidal_ideation.status,
                RiskStatus::NotAssessed,
                "{later}"
            );
        }
        // talk that takes nothing back leaves the denial standing
        let r = denied_then("Honestly it's been fine, I like the people.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        let r = denied_then("When you asked about the job I thought of my dad.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        let r = denied_then("Actually, I'd like to move next week's session to Friday.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        let r = denied_then("Yes, it's good. I think about it on the weekends, the new team.");
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
    }

    #[test]
    fn a_no_that_names_when_it_began_is_no_denial() {
        for answer in [
            "Never, not once. Not till this year.",
            "No, never, not until the diagnosis.",
            "Never, not once in fifty years. Not until the letter from the receiver.",
        ] {
            let r = assess(&session(&[
                (
                    "Did you ever have thoughts of suicide before?",
                    Speaker::Therapist,
                ),
                (answer, Speaker::Client),
            ]));
            assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied, "{answer}");
        }
        // a plain never is still a denial
        let r = assess(&session(&[
            ("Have you had thoughts of suicide?", Speaker::Therapist),
            ("Never, not once.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
    }

    #[test]
    fn death_from_an_illness_accepted_is_no_denial() {
        for (before, answer) in [
            (
                "I want it over. I'm not doing the next chemo. If it takes me, let it.",
                "No, I wouldn't do anything. I just don't want to fight it anymore.",
            ),
            (
                "Every flare-up I think maybe this is the one that takes me, and I'm fine with that.",
                "No. I don't have to. The illness will do it.",
            ),
        ] {
            let r = assess(&session(&[
                ("How are you coping with the news?", Speaker::Therapist),
                (before, Speaker::Client),
                (
                    "Have you thought of ending your life yourself?",
                    Speaker::Therapist,
                ),
                (answer, Speaker::Client),
            ]));
            assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed, "{before}");
        }
        // a task that takes time, accepted, is no wish
        let r = assess(&session(&[
            ("How's the new job?", Speaker::Therapist),
            (
                "If it takes me an hour to get there, fine by me. When it takes me longer I don't mind.",
                Speaker::Client,
            ),
        ]));
        assert!(r.cues.is_empty(), "{:?}", r.cues);
    }

    #[test]
    fn the_reason_given_for_denying_suicidal_thoughts_is_no_answer_on_intent() {
        let r = assess(&dictation(
            "After his wife stepped out, pt endorsed thoughts of hurting her brother. Pt denies suicidal ideation: \"I'd never do that to my kids.\"",
        ));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_ne!(r.intent.status, RiskStatus::Denied);
        // asked on its own, "I'd never do that" still denies the intent
        let r = assess(&session(&[
            (
                "Are you having thoughts of killing yourself?",
                Speaker::Therapist,
            ),
            ("Sometimes, yes.", Speaker::Client),
            ("Would you act on them?", Speaker::Therapist),
            ("No. I'd never do that to my kids.", Speaker::Client),
        ]));
        assert_eq!(r.intent.status, RiskStatus::Denied);
    }

    #[test]
    fn a_no_that_leaves_another_kind_of_thought_open_is_unclear() {
        let r = assess(&session(&[
            ("Any thoughts of suicide?", Speaker::Therapist),
            ("No... not really. I mean, not like that.", Speaker::Client),
            ("Not like what?", Speaker::Therapist),
            ("I don't know. Forget it.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        // a plain "nothing like that" denies
        let r = assess(&session(&[
            ("Any thoughts of suicide?", Speaker::Therapist),
            ("No, nothing like that.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
    }

    #[test]
    fn what_the_client_confirms_of_a_tell_back_is_the_clients() {
        let (t, c) = (Speaker::Therapist, Speaker::Client);
        for (told, reply) in [
            (
                "So the thoughts of killing yourself are there most days.",
                "Most days, yeah.",
            ),
            (
                "You've been wishing you could just not wake up.",
                "Pretty much.",
            ),
            ("Sounds like part of you wants to die.", "Yeah. A big part."),
        ] {
            let r = assess(&session(&[(told, t), (reply, c)]));
            assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed, "{told}");
            assert!(r.suicidal_ideation.citations.contains(&1), "{told}");
            assert!(!r.cues.is_empty(), "{told}");
        }
        // not confirmed, or the yes answers a question asked after it: nothing endorsed
        for (told, reply) in [
            (
                "You've been wishing you could just not wake up.",
                "No, not really.",
            ),
            ("You've been wishing you could just not wake up.", "Mm."),
            (
                "You've been wishing you could just not wake up. How's your sleep been?",
                "Yeah, fine.",
            ),
        ] {
            let r = assess(&session(&[(told, t), (reply, c)]));
            assert_ne!(
                r.suicidal_ideation.status,
                RiskStatus::Endorsed,
                "{told} / {reply}"
            );
        }
        // a denial told back and confirmed stays a denial
        let r = assess(&session(&[
            (
                "So no thoughts of suicide, no self-harm, nobody you want to hurt, is that right?",
                t,
            ),
            ("That's right.", c),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        // a reflection confirmed is the client's account, all of it: the thoughts endorsed,
        // the acting on them denied ("Right." said no yes or no to a question)
        let r = assess(&session(&[
            (
                "So you've thought about ending it, but you'd never act on it.",
                t,
            ),
            ("Right.", c),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.intent.status, RiskStatus::Denied);
        assert!(r.intent.citations.contains(&1));
        // not confirmed: the thoughts are the clinician's to set, the intent too
        let r = assess(&session(&[
            (
                "So you've thought about ending it, but you'd never act on it.",
                t,
            ),
            ("Mm. Not sure.", c),
        ]));
        assert_ne!(r.intent.status, RiskStatus::Denied);
        // a checking question that restates a disclosure without "you"
        let r = assess(&session(&[
            (
                "So the plan is to jump off the bridge on Friday, is that right?",
                t,
            ),
            ("Yeah.", c),
        ]));
        assert!(
            r.cues.iter().any(|q| q.category == RiskCategory::Plan),
            "{:?}",
            r.cues
        );
    }

    #[test]
    fn an_answer_that_says_how_often_or_yes_after_an_opening_endorses_the_thoughts() {
        let q = "Have you had any thoughts of ending your life?";
        for answer in [
            "Most evenings, yeah.",
            "Hard to say, I suppose. Yeah, now and then.",
            "I don't know. Sometimes, yes.",
            "Not sure. Once or twice.",
            "Oh. Every couple of days.",
        ] {
            let r = assess(&session(&[
                (q, Speaker::Therapist),
                (answer, Speaker::Client),
            ]));
            assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed, "{answer}");
            assert!(r.suicidal_ideation.citations.contains(&1), "{answer}");
        }
        // a frequency that goes on about something else, a joke, a no first, or a question
        // about two things: not a yes to these thoughts
        for answer in [
            "Most nights I sleep right through, to be fair.",
            "Ha, only when the printer jams.",
            "Haha, most Fridays at five.",
            "Hard to say. Most weeks, maybe.",
            "No. Most days I'm fine.",
            "I don't know. I'm just tired.",
            "Back in the army, yes. Lots of times. Not now.",
        ] {
            let r = assess(&session(&[
                (q, Speaker::Therapist),
                (answer, Speaker::Client),
            ]));
            assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed, "{answer}");
        }
        let r = assess(&session(&[
            (
                "Any thoughts of killing yourself, or of hurting someone else?",
                Speaker::Therapist,
            ),
            ("Most days, yeah.", Speaker::Client),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_ne!(r.homicidal_ideation.status, RiskStatus::Endorsed);
    }

    #[test]
    fn not_got_as_far_as_a_plan_denies_the_plan_only() {
        for answer in [
            "Not got that far.",
            "Not really, I haven't got that far. It's just the thoughts.",
        ] {
            let r = assess(&session(&[
                ("Are you having thoughts of suicide?", Speaker::Therapist),
                ("Yes, most days.", Speaker::Client),
                (
                    "Have you thought about how you'd do it?",
                    Speaker::Therapist,
                ),
                (answer, Speaker::Client),
            ]));
            assert_eq!(r.plan.status, RiskStatus::Denied, "{answer}");
            assert_eq!(r.plan.citations, vec![2, 3], "{answer}");
            assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed, "{answer}");
        }
        // "not yet" looks ahead; and to a question about the thoughts it denies nothing
        let r = assess(&session(&[
            ("Are you having thoughts of suicide?", Speaker::Therapist),
            ("Yes, most days.", Speaker::Client),
            (
                "Have you thought about how you'd do it?",
                Speaker::Therapist,
            ),
            ("Not got that far yet.", Speaker::Client),
        ]));
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        let r = assess(&session(&[
            (
                "Are you having thoughts of ending your life?",
                Speaker::Therapist,
            ),
            ("I haven't got that far.", Speaker::Client),
        ]));
        assert_ne!(r.suicidal_ideation.status, RiskStatus::Denied);
    }

    #[test]
    fn client_statement_endorses_and_flags() {
        let r = assess(&session(&[
            (
                "Sometimes I think everyone would be better off without me.",
                Speaker::Client,
            ),
            ("Do you have a plan?", Speaker::Therapist),
            ("No. I would not do that.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert!(r
            .flags
            .iter()
            .any(|f| f.starts_with("risk_cue:burdensomeness")));
    }

    #[test]
    fn third_party_is_a_cue_about_someone_else_and_sets_nothing() {
        let r = assess(&session(&[(
            "My brother said he wanted to die.",
            Speaker::Client,
        )]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert_eq!(r.cues[0].about, About::SomeoneElse);
        assert!(r.flags[0].contains("about someone else"));
    }

    #[test]
    fn dictation_passive_si_without_plan_or_intent() {
        let mut inp = session(&[
            ("On item nine she endorsed thoughts that she would be better off dead.", Speaker::Therapist),
            ("She described passive death wishes without a plan or intent, and no access to firearms.", Speaker::Therapist),
        ]);
        inp.kind = InputKind::Dictation;
        let r = assess(&inp);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::Denied);
        assert_eq!(r.intent.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r.cues.iter().all(|c| c.voice == Voice::Dictation));

        // "intent to harm others" is the homicidal ideation's intent, not the suicidal one's
        let r = assess(&dictation(
            "Client clearly denied suicidal thoughts. She denied any thoughts or intent to harm others, including her ex-partner.",
        ));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.intent.status, RiskStatus::NotAssessed);
        // ... but intent to harm oneself is
        let r = assess(&dictation("She denied any intent to harm herself."));
        assert_eq!(r.intent.status, RiskStatus::Denied);
        // a plan named with homicidal ideation is that ideation's plan
        let r = assess(&dictation(
            "Client denied suicidal ideation. Endorsed homicidal ideation toward ex-partner's new partner, no plan described.",
        ));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Endorsed);
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        let r = assess(&dictation(
            "Client reported thoughts of hurting her manager but no plan to do so.",
        ));
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        // ... also when the plan comes in a short sentence of its own after it
        let r = assess(&dictation(
            "Client denies suicidal ideation. Reports thoughts of harming the former leader of the group; no plan described.",
        ));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.plan.status, RiskStatus::NotAssessed);
        let r = assess(&dictation("Denies suicidal ideation. No plan."));
        assert_eq!(r.plan.status, RiskStatus::Denied);
        // a sentence about both is about suicide too
        for d in [
            "Denies SI/HI. No plan or intent.",
            "Denies SI/HI, no plan or intent.",
        ] {
            let r = assess(&dictation(d));
            assert_eq!(r.plan.status, RiskStatus::Denied, "{d}");
            assert_eq!(r.intent.status, RiskStatus::Denied, "{d}");
        }
        let r = assess(&dictation("Passive death wish, no plan."));
        assert_eq!(r.plan.status, RiskStatus::Denied);
    }

    #[test]
    fn sets_51_and_52_wrong_denials_are_classes() {
        use Speaker::{Client as C, Therapist as T};
        // a denial probed ("Not even fleeting ones?") and taken up with a yes is endorsed;
        // agreeing with the probe ("Yeah, not even those.") keeps the denial
        let probed = |last: &str| {
            assess(&session(&[
                ("Any thoughts of suicide since we last met?", T),
                ("No.", C),
                ("Not even fleeting ones?", T),
                (last, C),
            ]))
            .suicidal_ideation
        };
        let got = probed("Well. Fleeting, yeah. Last night.");
        assert_eq!(got.status, RiskStatus::Endorsed);
        assert!(got.citations.contains(&3));
        assert_eq!(probed("Yeah, not even those.").status, RiskStatus::Denied);
        assert_ne!(probed("Maybe once, yeah.").status, RiskStatus::Denied);
        // a plan to harm someone denied is no denial of the thoughts; thoughts of hitting a
        // partner, dictated, are thoughts of harming someone
        let r = assess(&dictation(
            "Client attends DV perpetrator programme. Disclosed thoughts of hitting partner when she \"disrespects\" him; reports pushing her last week. Denies plan to harm her. Denies SI.",
        ));
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Endorsed);
        for said in [
            "Denies plan to harm her.",
            "Denies plan or intent to harm her.",
        ] {
            assert_eq!(
                assess(&dictation(said)).homicidal_ideation.status,
                RiskStatus::NotAssessed,
                "{said}"
            );
        }
        // ... but denied thoughts "or intent" to harm others are denied
        assert_eq!(
            assess(&dictation(
                "She denied any thoughts or intent to harm others, including her ex-partner."
            ))
            .homicidal_ideation
            .status,
            RiskStatus::Denied
        );
    }

    #[test]
    fn a_death_wish_answer_is_not_denied_by_a_later_no_to_acting_on_it() {
        let r = assess(&session(&[
            (
                "Some people tell me they wish their life would just end. Do you ever feel that?",
                Speaker::Therapist,
            ),
            (
                "Some days I pray He takes me in my sleep, honestly.",
                Speaker::Client,
            ),
            (
                "And any thoughts of taking your own life?",
                Speaker::Therapist,
            ),
            ("No, that's not for me to do.", Speaker::Client),
        ]));
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Endorsed);
        assert!(r.suicidal_ideation.citations.contains(&1));
        assert_eq!(r.cues[0].category, RiskCategory::PassiveSi);
    }

    #[test]
    fn a_screening_question_transcribed_without_its_question_mark_is_no_cue() {
        let r = assess(&session(&[
            (
                "any thoughts of killing yourself or ending your life",
                Speaker::Unknown,
            ),
            ("no none", Speaker::Unknown),
            ("and any thoughts of hurting other people", Speaker::Unknown),
            ("no no nothing like that", Speaker::Unknown),
        ]));
        assert!(r.cues.is_empty(), "{:?}", r.cues);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::Denied);
        assert_eq!(r.homicidal_ideation.status, RiskStatus::Denied);
    }

    #[test]
    fn a_dictated_item_not_assessed_or_not_answered_is_not_endorsed() {
        for text in [
            "SI not assessed this session.",
            "Suicide risk assessment deferred to next session due to time.",
            "When asked about SI, client was vague and declined to answer directly.",
        ] {
            let mut inp = session(&[(text, Speaker::Therapist)]);
            inp.kind = InputKind::Dictation;
            let r = assess(&inp);
            assert_eq!(
                r.suicidal_ideation.status,
                RiskStatus::NotAssessed,
                "{text}"
            );
        }
    }

    #[test]
    fn unsupported_denial_is_reset() {
        let inp = session(&[("We talked about work.", Speaker::Client)]);
        let mut r = Risk {
            suicidal_ideation: RiskItem {
                status: RiskStatus::Denied,
                citations: vec![0],
            },
            ..Default::default()
        };
        post_check(&mut r, &inp);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
        assert!(r.flags[0].starts_with("risk_unsupported_denial"));
    }

    #[test]
    fn therapist_only_citation_is_reset() {
        let inp = session(&[("Do you want to die?", Speaker::Therapist)]);
        let mut r = Risk {
            suicidal_ideation: RiskItem {
                status: RiskStatus::Endorsed,
                citations: vec![0],
            },
            ..Default::default()
        };
        post_check(&mut r, &inp);
        assert_eq!(r.suicidal_ideation.status, RiskStatus::NotAssessed);
    }

    #[test]
    fn statements_claiming_denial_are_caught() {
        let r = Risk::default();
        assert!(check_statement("Client denies SI/HI.", &r).is_some());
        assert!(check_statement("Client denies suicidal ideation.", &r).is_some());
        assert!(check_statement("Client slept five hours.", &r).is_none());
        assert_eq!(
            statement_claims("Client endorsed passive SI."),
            vec![("suicidal_ideation", RiskStatus::Endorsed)]
        );
    }

    #[test]
    fn a_negation_stays_in_its_own_clause_of_unpunctuated_speech() {
        let cued = |t: &str| !assess(&session(&[(t, Speaker::Client)])).cues.is_empty();
        // the negation belongs to the clause before the new subject
        assert!(cued(
            "when the baby won't stop crying I get these pictures of throwing her against the wall"
        ));
        assert!(cued("so I- I just keep thinking about killing my self"));
        assert!(cued("Like, I fantasise about just... not being."));
        // but reaches through a verb of thinking or saying
        assert!(!cued(
            "I never told anyone because I never thought I wanted to die"
        ));
        assert!(!cued("I never said I wanted to kill myself"));
    }

    #[test]
    fn behaviour_change_talk_sets_nothing_and_flags_nothing() {
        // plans, "what stops you", "other people", "you don't want to be here" (in therapy)
        let r = assess(&session(&[
            ("Other people I've worked with say the rush takes over. You don't want to be here, I know. So what's your plan?", Speaker::Therapist),
            ("I don't know, I suppose, maybe cut back a bit.", Speaker::Client),
            ("What stops you from quitting? How would you go about it?", Speaker::Therapist),
            ("Um, I don't know. Having somebody to listen, I guess.", Speaker::Client),
            ("On a scale of 1 to 10, how ready are you?", Speaker::Therapist),
            ("Maybe an 8. That's my hope anyway.", Speaker::Client),
        ]));
        assert_eq!(r, Risk::default(), "{r:?}");
    }

    #[test]
    fn old_cues_still_read() {
        let c: RiskCue = serde_json::from_str(
            r#"{"segment_id": 2, "topic": "homicidal_ideation", "cue": "hurt someone"}"#,
        )
        .unwrap();
        assert_eq!(c.category, RiskCategory::HarmToOthers);
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["category"], "harm_to_others");
        assert_eq!(j["about"], "client");
    }
}
