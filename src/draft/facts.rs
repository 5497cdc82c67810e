//! Facts: the salient exchanges of a session, chosen by rule and rewritten one sentence each.
//!
//! A small model asked to "find the findings" in a long window loops, repeats itself and
//! cites at random. Asked to rewrite one short exchange as one note sentence, it does well.
//! So the transcript is cut into exchanges ([`groups`]): a client's report with the
//! question it answers, or a therapist's intervention, plan or measure with the client's
//! reply. Each gets a salience score (content, numbers, plan/measure/intervention cues, risk
//! cues); the best ones, as many as the note's length allows ([`select`]), are rewritten in
//! batches under the sentence grammar. A fact cites exactly its exchange's segments and is
//! filed by the rule-based classifier, so citations and speakers are right by construction.

use super::extract;
use super::format::NoteFormat;
use super::input::{DraftInput, InputKind, Segment, Speaker};
use super::text;

/// One exchange to rewrite as a fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Segment ids, in transcript order.
    pub ids: Vec<u32>,
    /// Who the fact is about: the client's report or the therapist's action.
    pub lead: Speaker,
    /// A therapist-led group that holds the client's reply too.
    pub replied: bool,
    /// The section key the fact goes to.
    pub section: String,
    /// The classifier's category (`client_report`, `plan`, ...).
    pub category: &'static str,
    /// A dictated plan item that is the client's own step ("She agreed to walk ..."), not
    /// the clinician's (referrals, session frequency, measures to repeat).
    pub client_step: bool,
    /// The client's assent ("Yeah.", "Mm-hmm, exactly.") to a therapist's reflection of
    /// their situation: the reflection's words are the client's report, confirmed.
    pub confirmed: bool,
    /// A dictated passage, or a session's plan, of several sentences and 25 words or more
    /// ("Plan, increase sessions to weekly, refer ..., repeat the PHQ-9. Next appointment
    /// Tuesday at ten."): its fact may run longer, as one sentence cannot hold it in 34 words.
    pub long: bool,
    pub score: f64,
    /// Position of the first segment (for transcript order).
    pub pos: usize,
}

/// Words of a segment that carry content.
fn content(seg: &Segment) -> usize {
    text::content_stems(&seg.text).len()
}

fn is_question(seg: &Segment) -> bool {
    seg.text.trim_end().ends_with('?')
}

/// Whether a segment that ends in a question ends by checking in on what it has just said
/// ("... leave that with you to think about. How does that sound to you?"): the reply
/// answers the check-in, so it takes up or turns down what came before it.
fn checks_in(seg: &Segment) -> bool {
    const CHECKS: &[&str] = &[
        "how does that sound",
        "how does this sound",
        "does that sound",
        "does this sound",
        "what do you think",
        "what do you reckon",
        "how do you feel about that",
        "how do you feel about this",
        "how would that be",
        "would that be okay",
        "would that be ok",
        "would that be alright",
        "is that okay",
        "is that ok",
        "is that alright",
        "does that work",
        "would that work",
        "would that help",
        "does that make sense",
    ];
    // the last sentence, and a statement before it
    let sentences = super::input::split_sentences(&seg.text);
    let Some((last, before)) = sentences.split_last() else {
        return false;
    };
    let last = last.trim_end().to_lowercase().replace('’', "'");
    last.ends_with('?')
        && CHECKS.iter().any(|c| last.contains(c))
        && before.iter().any(|s| s.trim_end().ends_with('.'))
}

/// Whether a therapist's question proposes a next step ("Could you aim for four nights?",
/// "Would it help to book an appointment?") rather than asks about what happened.
fn proposes(seg: &Segment) -> bool {
    const CUES: &[&str] = &[
        "could you",
        "would you",
        "can you",
        "will you",
        "let's",
        "let us",
        "how about",
        "what if you",
        "would it help",
        "are you willing",
        "shall we",
        "why don't you",
        "why don't we",
    ];
    mentions(seg, CUES)
}

/// Whether a segment's text, lower-cased with straight apostrophes, holds any of `cues`.
fn mentions(seg: &Segment, cues: &[&str]) -> bool {
    let t = seg.text.to_lowercase().replace('’', "'");
    cues.iter().any(|c| t.contains(c))
}

/// Whether a segment commits to a next step in the speaker's own words ("I'll be back and we
/// can discuss it further", "I'll do some checking around for you"). Counted as a plan only
/// near the end of a session, where such words close it; earlier they are mostly narrative.
fn commits(seg: &Segment) -> bool {
    const CUES: &[&str] = &[
        "i'll ",
        "i will ",
        "i'm going to ",
        "i am going to ",
        "i'm gonna ",
        "we'll ",
        "we will ",
        "we can ",
        "let's ",
        "next time",
        "next week",
        "next session",
        "come back",
        "be back",
    ];
    const NOT: &[&str] = &[
        "i'll be honest",
        "i'll tell you",
        "i'll say",
        "i will say",
        "i'll admit",
    ];
    let t = format!(" {} ", seg.text.to_lowercase().replace('’', "'"));
    !is_question(seg)
        && CUES.iter().any(|c| t.contains(c))
        && !NOT.iter().any(|c| t.contains(c))
        && content(seg) >= 2
}

/// Whether a therapist's statement suggests a step for the client, or for both, to take ("you
/// could check out the blogs", "we could try some other medications", "I can see if I can
/// track him down"): not a question (see [`proposes`]) and not a reflection of what the client
/// could do ("you feel like you could make some adjustments", "you could've stopped").
fn suggests(seg: &Segment) -> bool {
    const CUES: &[&str] = &[
        " you could ",
        " we could ",
        " if you wanted to ",
        " if you want to ",
        " you might want to ",
        " you might try ",
        " i'd suggest ",
        " i suggest ",
        " i'd recommend ",
        " i recommend ",
        " i'd like you to ",
        " i want you to ",
        " i can see if ",
        " i'd be happy if you ",
        // something to think over before the next session
        " leave that with you ",
        " leave it with you ",
        " leave this with you ",
        " for next time ",
        " before next time ",
        " before we meet again ",
    ];
    const NOT: &[&str] = &[
        "feel like you could",
        "feel you could",
        "confident that you could",
        "confident you could",
        "sure you could",
        "could've",
        "could have",
        "if you wanted to maybe even",
    ];
    // words only, one space between them: "So-so maybe you- if you- if you wanted to"
    let lower = seg.text.to_lowercase().replace('’', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let t = format!(" {} ", words.join(" "));
    seg.speaker != Speaker::Client
        && (!is_question(seg) || checks_in(seg))
        && CUES.iter().any(|c| t.contains(c))
        && !NOT.iter().any(|c| t.contains(&format!(" {c} ")))
        && content(seg) >= 4
}

/// Whether a client's reply takes up what was suggested: it opens, after a "well" or an
/// "um", with a yes ("Yeah.", "Okay, sure.", "Well. Yeah. Well, yeah, I'd like to.", "I
/// suppose.", "Sounds good."), not with a no or a doubt ("Mm.", "Maybe.", "I don't know.").
fn accepts(reply: &Segment) -> bool {
    const YES: &[&str] = &[
        "yes",
        "yeah",
        "yep",
        "yup",
        "okay",
        "ok",
        "sure",
        "alright",
        "definitely",
        "absolutely",
    ];
    const YES_PHRASES: &[&str] = &[
        "all right",
        "i'd like to",
        "i would like to",
        "i can do that",
        "i could do that",
        "i will",
        "i'll try",
        "i suppose",
        "sounds good",
        "that sounds good",
        "that would be",
        "that'd be",
        "let's",
    ];
    const OPENERS: &[&str] = &["well", "um", "uh", "oh", "mm-hmm", "hmm"];
    if reply.speaker != Speaker::Client {
        return false;
    }
    let lower = reply.text.to_lowercase().replace('’', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .skip_while(|w| OPENERS.contains(w))
        .collect();
    let rest = words.join(" ");
    words.first().is_some_and(|w| YES.contains(w))
        || YES_PHRASES
            .iter()
            .any(|p| rest == *p || rest.starts_with(&format!("{p} ")))
}

/// Whether a segment asks what a change would bring ("What might be some benefits of following
/// through?", "How would things be different?"): the answer imagines an outcome ("I'll have
/// all my senses there"), it commits to nothing.
fn asks_what_would_follow(seg: &Segment) -> bool {
    const CUES: &[&str] = &[
        "benefit",
        "good things",
        "what would",
        "what might",
        "what could",
        "how would",
        "how might",
        "imagine",
        "different",
        "why ",
    ];
    // ("Why don't we meet next week?" proposes a step)
    seg.speaker != Speaker::Client && is_question(seg) && !proposes(seg) && mentions(seg, CUES)
}

/// The exchanges of a transcript with their scores (unselected).
pub fn groups(input: &DraftInput, format: &NoteFormat) -> Vec<Group> {
    let segs = &input.segments;
    let mut out = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let seg = &segs[i];
        let prev = i.checked_sub(1).map(|j| &segs[j]);
        let therapist = input.kind == InputKind::Session && seg.speaker == Speaker::Therapist;
        // the closing fifth of a session: a commitment there is the session's plan
        let closing = input.kind == InputKind::Session
            && i * 5 >= segs.len() * 4
            && commits(seg)
            && !prev.is_some_and(asks_what_would_follow);
        // a step the therapist suggested and the client took up ("we could try some other
        // medications" / "Well, yeah, I'd like to."), after the session's opening fifth
        // (where "you might want to talk about ..." sets the agenda)
        let suggested = input.kind == InputKind::Session
            && i * 5 >= segs.len()
            && suggests(seg)
            && segs.get(i + 1).is_some_and(accepts);
        let planned = closing || suggested;
        if !planned && !extract::salient(seg, input.kind) {
            // a reflection the client confirmed is the client's report
            if let Some(g) = confirmed_reflection(input, format, i) {
                out.push(g);
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        let mut place = extract::classify(seg, prev, input.kind, format);
        if planned && place.category != "risk" && place.heading_section.is_none() {
            place.category = "plan";
        }
        // a question with no intervention, measure or plan in it ("How has the week been?")
        // is context for the client's answer, not a fact of its own
        // nor is a question that only mentions a plan's words ("How many did you have this
        // week?"): a plan asked as a question proposes ("Could you ...", "Let's ...")
        if therapist
            && is_question(seg)
            && !suggested
            && (place.category == "assessment" || place.category == "plan" && !proposes(seg))
        {
            i += 1;
            continue;
        }
        let mut ids = Vec::new();
        let mut words = 0;
        let lead;
        let mut j = i;
        if therapist {
            // the therapist's action, with the client's reply when there is one
            lead = Speaker::Therapist;
            ids.push(seg.id);
            // a brief reply belongs to the action ("Yes, three times."); a longer one is the
            // client's own report (a plan's reply is its agreement, kept with it)
            let brief = if place.category == "plan" { 12 } else { 6 };
            if let Some(n) = segs.get(i + 1) {
                if n.speaker != Speaker::Therapist && content(n) <= brief {
                    ids.push(n.id);
                    j = i + 1;
                }
            }
            // a rating asked for and given a few turns on ("It's hard, because ..." /
            // "Right." / "I'd be 100%."): the exchange runs to the figure
            if j == i && place.category == "measure" && is_question(seg) {
                if let Some(k) = rating_given(segs, i) {
                    ids.extend(segs[i + 1..=k].iter().map(|s| s.id));
                    j = k;
                }
            }
        } else {
            lead = Speaker::Client;
            // the question it answers, for context
            if let Some(p) = prev {
                if input.kind == InputKind::Session
                    && p.speaker == Speaker::Therapist
                    && (is_question(p) || content(p) <= 8)
                {
                    ids.push(p.id);
                }
            }
            // the client's consecutive segments, up to about 70 words
            while j < segs.len() {
                let s = &segs[j];
                if j > i
                    && (s.speaker == Speaker::Therapist && input.kind == InputKind::Session
                        || input.kind == InputKind::Dictation)
                {
                    break;
                }
                let w = s.text.split_whitespace().count();
                if j > i && words + w > 70 {
                    break;
                }
                words += w;
                ids.push(s.id);
                j += 1;
            }
            j = j.saturating_sub(1).max(i);
        }
        let members: Vec<&Segment> = ids
            .iter()
            .filter_map(|id| segs.iter().find(|s| s.id == *id))
            .collect();
        let own: Vec<&Segment> = members
            .iter()
            .copied()
            .filter(|s| input.kind == InputKind::Dictation || s.speaker == seg.speaker)
            .collect();
        let stems: usize = own.iter().map(|s| content(s)).sum();
        let said = own
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // "a few times a week", "a couple of grand": how much or how often, said in words
        let numbers = !text::numbers(&said).is_empty() || quantity(&said);
        let risk = !super::risk::scan_cues(segs.get(i..=j).unwrap_or(&[])).is_empty();
        let mut score = (stems.min(14)) as f64;
        if numbers {
            score += 3.0;
        }
        // "I don't know, you tell me.": the question stays unanswered, no fact
        if input.kind == InputKind::Session && lead == Speaker::Client && non_answer(&said) {
            score -= NON_ANSWER_PENALTY;
        }
        score += match place.category {
            "plan" | "measure" => 6.0,
            "intervention" | "response" => 4.0,
            "risk" => 10.0,
            _ => 0.0,
        };
        if risk {
            score += 10.0;
        }
        let section = place
            .heading_section
            .clone()
            .unwrap_or_else(|| format.section_for(place.category).key.clone());
        let replied = lead == Speaker::Therapist && ids.len() > 1;
        let client_step = own.iter().any(|s| client_step(&s.text));
        // so is a therapist's list of agreed steps in a session ("So this week, ask one
        // question in seminar, and fill out a thought record before and after. Also keep
        // doing the breathing practice twice a day."): in 34 words the steps fall out
        let long = (input.kind == InputKind::Dictation || place.category == "plan")
            && own.iter().any(|s| {
                super::input::split_sentences(&s.text).len() >= 2
                    && s.text.split_whitespace().count() >= 25
            });
        out.push(Group {
            ids,
            lead,
            replied,
            section,
            category: place.category,
            client_step,
            confirmed: false,
            long,
            score,
            pos: i,
        });
        i = j + 1;
    }
    out
}

/// Where the client gives the figure a rating question at `i` asks for: the first client
/// segment with a number within [`RATING_REACH`] segments, unless the therapist moves on
/// first (more than a brief acknowledgement).
fn rating_given(segs: &[Segment], i: usize) -> Option<usize> {
    for (k, s) in segs.iter().enumerate().skip(i + 1).take(RATING_REACH) {
        match s.speaker {
            Speaker::Therapist if content(s) > 3 => return None,
            Speaker::Therapist => {}
            _ if !text::numbers(&s.text).is_empty() => return Some(k),
            _ => {}
        }
    }
    None
}

/// How many segments after a rating question its answer may come.
const RATING_REACH: usize = 4;

/// Share of a confirmed reflection's content words that count towards its score: the
/// client's own words say more than their assent to the therapist's.
const CONFIRMED_WEIGHT: f64 = 0.7;

/// Whether a client's reply only agrees ("Yeah.", "Mm-hmm, exactly.", "That's right."), with
/// no "but" and no "no". A bare "Mm." is a pause as often as a yes: not counted.
fn assent_only(reply: &str) -> bool {
    const YES: &[&str] = &[
        "yes",
        "yeah",
        "yep",
        "yup",
        "mm-hmm",
        "mhm",
        "uh-huh",
        "right",
        "exactly",
        "true",
        "definitely",
        "absolutely",
        "correct",
    ];
    let lower = reply.to_lowercase().replace('’', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first().is_some_and(|w| YES.contains(w))
        || words.first() == Some(&"that's")
            && words
                .get(1)
                .is_some_and(|w| matches!(*w, "right" | "true" | "correct" | "exactly"));
    first
        && words.len() <= 4
        && !words
            .iter()
            .any(|w| matches!(*w, "but" | "no" | "not" | "don't" | "nah" | "though"))
}

/// The therapist's reflection at `i` with the client's assent after it, as a client-report
/// group: a statement (no question) about the client ("you", "your") of some content and at
/// most 60 words (longer is explanation), answered by [`assent_only`].
fn confirmed_reflection(input: &DraftInput, format: &NoteFormat, i: usize) -> Option<Group> {
    let segs = &input.segments;
    let seg = segs.get(i)?;
    let reply = segs.get(i + 1)?;
    if input.kind != InputKind::Session
        || seg.speaker != Speaker::Therapist
        || reply.speaker != Speaker::Client
        || seg.text.contains('?')
        || !assent_only(&reply.text)
    {
        return None;
    }
    // fillers out first: "you know" is about no one
    let words = super::style::words(&clean_speech(&seg.text));
    let about_client = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "you" | "your" | "you're" | "you've" | "you'd" | "you'll"
        )
    });
    // the therapist speaking of themselves, or acting out what people say ("this is why I
    // don't wanna change"), is explaining, not reflecting
    let own_voice = words
        .iter()
        .any(|w| super::style::FIRST_PERSON.contains(&w.as_str()));
    let stems = content(seg);
    if !about_client || own_voice || stems < 5 || words.len() > 60 {
        return None;
    }
    let mut score = CONFIRMED_WEIGHT * stems.min(14) as f64;
    if !text::numbers(&seg.text).is_empty() || quantity(&seg.text) {
        score += 3.0;
    }
    Some(Group {
        ids: vec![seg.id, reply.id],
        lead: Speaker::Client,
        replied: false,
        section: format.section_for("client_report").key.clone(),
        category: "client_report",
        client_step: false,
        confirmed: true,
        long: false,
        score,
        pos: i,
    })
}

/// Score taken off an answer that answers nothing ([`non_answer`]).
const NON_ANSWER_PENALTY: f64 = 8.0;

/// Whether a client's words say how much or how often without a figure ("a few times a
/// week", "a couple of grand", "every night", "twice").
fn quantity(said: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:a )?(?:few|couple|several|handful)(?: of)? (?:times|days|nights|weeks|months|years|drinks|beers|hours|grand|hundred|thousand|bucks|dollars)|every (?:day|night|morning|evening|week|weekend|month)|twice|once a|half the time|most (?:days|nights|weekends))\b",
        )
        .expect("pattern")
    });
    RE.is_match(said)
}

/// Whether an answer answers nothing: once hedges ("I don't know", "I suppose", "maybe",
/// "you tell me") are taken out, fewer than two content words and no figure remain.
fn non_answer(said: &str) -> bool {
    static HEDGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:i )?(?:don'?t|do not|dunno) know\b|\bi (?:suppose|guess|mean|think)\b|\bmaybe\b|\bprobably\b|\byou tell me\b|\b(?:i'?m )?not sure\b|\bkind of\b|\bsort of\b|\bi don'?t really\b",
        )
        .expect("pattern")
    });
    let said = said.replace('’', "'");
    let rest = HEDGE.replace_all(&said, " ");
    text::content_stems(&rest).len() < 2 && text::numbers(&rest).is_empty() && !quantity(&rest)
}

/// The text of a dictated group that is already a note sentence (the clinician's own words,
/// third person, starting with "Client"/"Therapist", no question, no first person): it needs
/// no rewriting.
pub fn already_note_sentence(input: &DraftInput, g: &Group) -> Option<String> {
    if input.kind != InputKind::Dictation || g.ids.len() != 1 {
        return None;
    }
    let s = input.segment(g.ids[0])?;
    let t = s.text.trim();
    let starts = ["Client ", "Client's ", "Therapist ", "Clinician "]
        .iter()
        .any(|p| t.starts_with(p));
    (starts && !t.contains('?') && !super::style::first_person(t) && t.ends_with('.'))
        .then(|| t.to_string())
}

/// How many facts a note of `budget_words` words can use: the report, observation and plan
/// sections are the facts themselves (about 14 words each) and take three quarters of the
/// budget, the synthesis the rest; never fewer than ten (a short session still has its report,
/// what was done and the plan), never more than 22 (past that a note reads as a list).
pub fn fact_count(budget_words: usize) -> usize {
    (budget_words * 3 / 4 / 14).clamp(10, 22)
}

/// Raises the score of the exchanges that are about what the session is about and lowers
/// that of small talk ("I started playing saxophone four years ago" in a session about
/// drinking and driving): each group's own words are embedded and compared with the session's
/// topic, the mean of every segment's embedding plus the chart's presenting problems and goals
/// when there are any (centroid summarization). The bonus is the similarity's z-score over the
/// groups times [`CENTRAL_WEIGHT`], within ±[`CENTRAL_MAX`]. Each group is also compared with
/// the domains a clinician writes up ([`CLINICAL_DOMAINS`]: use of substances, mood, sleep,
/// relationships, the law, health, motivation ...): the best match's z-score times
/// [`CLINICAL_WEIGHT`], within the same bounds, so that rapport talk about a hobby gives way to
/// how much the client drinks even where the hobby is what most of the session is about (such
/// an exchange is not lowered for being far from the centre). Plan and risk exchanges are
/// never lowered. Without an encoder, or when it fails, the scores stay as they are.
pub fn weigh_by_topic(
    groups: &mut [Group],
    input: &DraftInput,
    encoder: &crate::embed::SentenceEncoder,
) {
    if groups.len() < 3 {
        return;
    }
    let seg_texts: Vec<String> = input
        .segments
        .iter()
        .map(|s| clean_speech(&s.text))
        .collect();
    let group_texts: Vec<String> = groups
        .iter()
        .map(|g| {
            g.ids
                .iter()
                .filter_map(|id| input.segment(*id))
                .filter(|s| reported(input, g, s))
                .map(|s| clean_speech(&s.text))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let chart: Vec<String> = input
        .client
        .presenting_problems
        .iter()
        .cloned()
        .chain(input.client.goals.iter().map(|g| g.text.clone()))
        .collect();
    // a short answer's domain is often in its question ("How often do you drink?" / "Every
    // other weekend."): the clinical match reads the whole exchange
    let exchange_texts: Vec<String> = groups
        .iter()
        .map(|g| {
            g.ids
                .iter()
                .filter_map(|id| input.segment(*id))
                .map(|s| clean_speech(&s.text))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut texts: Vec<&str> = seg_texts.iter().map(String::as_str).collect();
    texts.extend(group_texts.iter().map(String::as_str));
    texts.extend(exchange_texts.iter().map(String::as_str));
    texts.extend(CLINICAL_DOMAINS);
    let chart_text = chart.join("; ");
    if !chart.is_empty() {
        texts.push(&chart_text);
    }
    let Ok(v) = encoder.encode(&texts) else {
        return;
    };
    let n = seg_texts.len();
    let exchange_vecs = &v[n + groups.len()..n + 2 * groups.len()];
    let domains = &v[n + 2 * groups.len()..n + 2 * groups.len() + CLINICAL_DOMAINS.len()];
    let dim = v.first().map_or(0, Vec::len);
    let unit = |x: &[f32]| -> Vec<f32> {
        let norm = x.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-6);
        x.iter().map(|a| a / norm).collect()
    };
    let mut topic = vec![0f32; dim];
    for e in &v[..n] {
        for (t, x) in topic.iter_mut().zip(unit(e)) {
            *t += x;
        }
    }
    let mut topic = unit(&topic);
    if !chart.is_empty() {
        let c = unit(&v[v.len() - 1]);
        topic = unit(&topic.iter().zip(&c).map(|(a, b)| a + b).collect::<Vec<_>>());
    }
    let group_vecs = &v[n..n + groups.len()];
    let central: Vec<f64> = group_vecs
        .iter()
        .map(|e| crate::embed::cosine(e, &topic) as f64)
        .collect();
    let clinical: Vec<f64> = exchange_vecs
        .iter()
        .map(|e| {
            domains
                .iter()
                .map(|d| crate::embed::cosine(e, d) as f64)
                .fold(f64::MIN, f64::max)
        })
        .collect();
    let bonuses: Vec<f64> = z_scores(&central)
        .iter()
        .zip(z_scores(&clinical))
        .map(|(c, k)| {
            // off the session's centre but on a clinical domain is no small talk
            let c = if k >= CLINICAL_Z { c.max(0.0) } else { *c };
            (CENTRAL_WEIGHT * c).clamp(-CENTRAL_MAX, CENTRAL_MAX)
                + (CLINICAL_WEIGHT * k).clamp(-CENTRAL_MAX, CENTRAL_MAX)
        })
        .collect();
    for (g, bonus) in groups.iter_mut().zip(bonuses) {
        if bonus < 0.0 && matches!(g.category, "plan" | "risk") {
            continue;
        }
        g.score += bonus;
    }
}

/// Each value's distance from the mean in standard deviations (all 0 when they are equal).
fn z_scores(x: &[f64]) -> Vec<f64> {
    let mean = x.iter().sum::<f64>() / x.len().max(1) as f64;
    let sd = (x.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt();
    x.iter()
        .map(|s| if sd < 1e-6 { 0.0 } else { (s - mean) / sd })
        .collect()
}

/// What a clinician writes up from a session, one domain a line, in the words clients use:
/// an exchange close to one of them is worth a sentence of the note more than rapport talk.
const CLINICAL_DOMAINS: &[&str] = &[
    "how often and how much I drink alcohol, getting drunk",
    "using drugs, smoking weed, pills, getting high",
    "gambling, betting, losing money on the machines",
    "feeling depressed, sad, down, crying, hopeless",
    "feeling anxious, worried, nervous, panic attacks",
    "feeling numb, detached, burned out, going through the motions",
    "anger, losing my temper, getting into fights",
    "trouble sleeping, exhausted, tired all the time",
    "eating, appetite, weight, body image",
    "wanting to die, hurting myself, suicidal thoughts",
    "stress at work, losing my job, money problems and debt",
    "arguments with my partner, my marriage, breaking up",
    "my children, my kids, custody, being a parent",
    "my family, my parents, my mother and father, support at home",
    "arrested, police, court, probation, criminal record, prison",
    "my medication, side effects, taking my pills, the doctor",
    "my illness, diagnosis, health problems, pain",
    "trauma, abuse, violence, what happened to me",
    "lonely, isolated, nobody to trust or talk to",
    "guilt, shame, feeling worthless, I'm a bad person",
    "what went wrong because of it, consequences, accidents, getting in trouble",
    "wanting to change, reasons to stop, my goals, what I want for my life",
    "how confident I am that I can change, what I will try",
    "what helps me cope, what makes it better",
    "something I managed to do differently this week, a step I took, what went better",
    "saying no, setting limits, standing up for myself",
    "school, grades, concentrating, keeping up with work",
];

/// Score points per standard deviation of likeness to a clinical domain.
const CLINICAL_WEIGHT: f64 = 2.5;
/// Likeness to a clinical domain (in standard deviations over the session's exchanges) from
/// which an exchange far from the session's centre is not lowered for it.
const CLINICAL_Z: f64 = 0.5;

/// Score points per standard deviation of topic similarity (a content-rich exchange scores
/// up to 14, a number 3, a plan 6).
const CENTRAL_WEIGHT: f64 = 3.0;
/// The most the topic moves a score either way.
const CENTRAL_MAX: f64 = 6.0;

/// Whether a written fact only tells of a greeting or of the therapist asking how things
/// were ("Therapist welcomes back Alex and asks how the week has been."), or only of thanks
/// ("Client thanks the therapist for their advice."): no note sentence.
pub fn greeting(fact: &str) -> bool {
    const THANKS_ONLY: &[&str] = &[
        "client",
        "therapist",
        "thank",
        "thanked",
        "grateful",
        "gratitude",
        "appreciation",
        "appreciated",
        "advice",
        "help",
        "helpful",
        "suggestions",
        "insights",
        "time",
        "session",
        "today",
        "listening",
        "support",
        "expressed",
    ];
    let lower = fact.to_lowercase();
    let thanks =
        lower.contains("thank") || lower.contains("grateful") || lower.contains("apprecia");
    if thanks
        && text::content_stems(fact)
            .iter()
            .all(|w| THANKS_ONLY.iter().any(|t| text::stem(t) == *w))
    {
        return true;
    }
    const SMALL_TALK: &[&str] = &[
        "welcome",
        "greet",
        "said hello",
        "says hello",
        "asks how",
        "asked how",
        "checks in",
        "checked in",
    ];
    lower.starts_with("therapist")
        && text::numbers(fact).is_empty()
        && SMALL_TALK.iter().any(|p| lower.contains(p))
        && !lower.contains(" and assigned")
        && !lower.contains(" and taught")
}

/// Whether a fact tells that a rating was given without giving it ("Client reported a number
/// on a scale of 1 to 10."): the scale's own bounds are no value, and nothing else is.
pub fn empty_rating(fact: &str) -> bool {
    static RATING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:a number|a rating|a score|rated|rates|rating|on a scale)\b")
            .expect("pattern")
    });
    static RANGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:scale of|from) \S+ (?:to|-) \S+|\bout of \S+|\b\d+ ?- ?\d+ scale",
        )
        .expect("pattern")
    });
    static VALUE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:as|at) (?:a |an )?(?:very |fairly |quite |moderately |relatively )?(?:high|low|moderate|medium|strong|weak|good|poor|important|confident|middling|average)\b")
            .expect("pattern")
    });
    RATING.is_match(fact)
        && !VALUE.is_match(fact)
        && text::numbers(&RANGE.replace_all(fact, " ")).is_empty()
}

/// The `n` best groups, back in transcript order. The best plan items, up to
/// [`PLAN_KEPT`], are taken first, whatever the others score: a note without its plan is
/// not a note (a short session's closing "Let's meet again in two weeks" lost to the
/// client's story otherwise).
pub fn select(mut groups: Vec<Group>, n: usize) -> Vec<Group> {
    groups.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.pos.cmp(&b.pos))
    });
    let (mut chosen, mut rest): (Vec<Group>, Vec<Group>) =
        groups.into_iter().partition(|g| g.category == "plan");
    rest.extend(chosen.split_off(PLAN_KEPT.min(chosen.len())));
    chosen.truncate(n);
    rest.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.pos.cmp(&b.pos))
    });
    chosen.extend(rest.into_iter().take(n.saturating_sub(chosen.len())));
    chosen.sort_by_key(|g| g.pos);
    chosen
}

/// Plan items selected before any other exchange.
const PLAN_KEPT: usize = 5;

/// Whether a dictated sentence gives the client a step of their own: a third-person subject
/// that agrees to or will do something ("She agreed to walk three mornings", "Client will
/// call her sister"). "Refer to her primary care physician" is the clinician's.
fn client_step(text: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b([Ss]he|[Hh]e|[Tt]hey|[Cc]lient|[A-Z][a-z]+) (?:has |have )?(?:agreed|agrees|will|plans|is going to|are going to|committed|commits|chose|decided)\b",
        )
        .expect("pattern")
    });
    const CLINICIAN: &[&str] = &["We", "I", "Therapist", "Clinician", "Plan", "Writer"];
    RE.captures_iter(text).any(|c| !CLINICIAN.contains(&&c[1]))
}

/// Speech without its disfluencies, for the model to read: bracketed non-speech
/// ("[laughter]"), fillers ("um", "uh", "you know", "I mean"), stutters ("I-I", "the-the")
/// and broken-off dashes are removed. The words the note may cite stay in the transcript.
pub fn clean_speech(t: &str) -> String {
    // bracketed non-speech
    let mut s = String::new();
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let s = s
        .replace(['\u{2014}', '\u{2013}'], " ")
        .replace("--", " ")
        .replace("\u{2019}", "'");
    const FILLERS: &[&str] = &[
        "um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm", "mm-hmm", "mhm", "uh-huh",
    ];
    const PHRASES: &[&str] = &["you know,", "you know", "i mean,", "kind of", "sort of"];
    let mut out: Vec<String> = Vec::new();
    for raw in s.split_whitespace() {
        // stutters: "I-I" -> "I", "the-the" -> "the", trailing "-" of a broken word
        let mut w = raw.to_string();
        if let Some((a, b)) = w.split_once('-') {
            let strip = |x: &str| {
                x.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            };
            if strip(a) == strip(b)
                || b.is_empty()
                || strip(b).starts_with(&strip(a)) && !a.is_empty() && a.len() <= 3
            {
                w = if b.is_empty() {
                    a.to_string()
                } else {
                    b.to_string()
                };
            }
        }
        let w = w.trim_start_matches('-').to_string();
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_lowercase();
        if FILLERS.contains(&bare.as_str()) {
            // keep the punctuation that followed the filler
            if w.ends_with(['.', '?', '!']) {
                if let Some(last) = out.last_mut() {
                    if !last.ends_with(['.', '?', '!']) {
                        last.push('.');
                    }
                }
            }
            continue;
        }
        if w.is_empty() {
            continue;
        }
        out.push(w);
    }
    let mut joined = out.join(" ");
    for p in PHRASES {
        loop {
            let lower = joined.to_lowercase();
            let Some(at) = lower.find(p) else { break };
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            let end = at + p.len();
            let after_ok = end >= lower.len() || !lower.as_bytes()[end].is_ascii_alphanumeric();
            if !(before_ok && after_ok) {
                break;
            }
            joined.replace_range(at..end, "");
            joined = joined.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    let joined = joined
        .replace(" ,", ",")
        .replace(",,", ",")
        .replace(" .", ".")
        .trim_start_matches([',', '.', ' '])
        .trim()
        .to_string();
    without_opening_dont_know(&joined)
}

/// An answer without the "I don't know." it opens with, where an answer follows ("I don't
/// know. A few times a week."): said to soften the answer, it made the model write "Client
/// does not know how often ..." and lose the answer. "I don't know what to do" (the not
/// knowing is the content) and a bare "I don't know." stay.
fn without_opening_dont_know(s: &str) -> String {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)^(?:(?:well|so|and|yeah|oh|honestly),? )?i (?:really |just )?(?:don't|do not|dunno|don't really) know(?:,? really)?[.,!;]+ +(\S+ \S+.*)$",
        )
        .expect("pattern")
    });
    match RE.captures(s) {
        Some(c) => {
            let rest = &c[1];
            let mut chars = rest.chars();
            match chars.next() {
                Some(f) => f.to_uppercase().chain(chars).collect(),
                None => s.to_string(),
            }
        }
        None => s.to_string(),
    }
}

/// Whether a segment of a group holds what the group reports: a dictation's every sentence,
/// the lead speaker's words, and a confirmed reflection's therapist words.
fn reported(input: &DraftInput, g: &Group, s: &Segment) -> bool {
    input.kind == InputKind::Dictation
        || s.speaker == g.lead
        || g.confirmed && s.speaker == Speaker::Therapist
}

/// The prompt line of a group: its segments with speaker labels. A confirmed reflection's
/// reply reads "Client, agreeing: Yeah." (said in the line, not in the prompt's rules: a new
/// rule there changed what the model wrote for every other excerpt, and cost dev facts).
pub fn prompt_line(input: &DraftInput, g: &Group) -> String {
    let step = input.kind == InputKind::Session
        && g.category == "plan"
        && g.lead == Speaker::Therapist
        && g.replied;
    g.ids
        .iter()
        .filter_map(|id| input.segment(*id))
        .map(|s| {
            let who = match (input.kind, s.speaker) {
                (InputKind::Dictation, _) => "Clinician's note",
                (_, Speaker::Therapist) => "Therapist",
                (_, Speaker::Client) if g.confirmed => "Client, agreeing",
                (_, Speaker::Client) => "Client",
                (_, Speaker::Unknown) => "Speaker",
            };
            let mut said = clean_speech(&s.text);
            // the client's answer to a step the therapist proposed: its yes, without a
            // question that follows it ("Well, yeah, I'd like to. Can you drink with them?"
            // asks about something else; the model had written it as the step)
            if step && s.speaker == Speaker::Client && s.id != g.ids[0] {
                said = before_question(&said);
            }
            // "Mm-hmm." is all filler once cleaned: the assent it was
            if said.is_empty() && g.confirmed && s.speaker == Speaker::Client {
                return format!("{who}: Yes.");
            }
            format!("{who}: {said}")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A reply's sentences up to its first question; all of it when it opens with one.
fn before_question(said: &str) -> String {
    let sentences = super::input::split_sentences(said);
    let kept: Vec<&str> = sentences
        .iter()
        .map(|s| s.trim())
        .take_while(|s| !s.ends_with('?'))
        .collect();
    if kept.is_empty() {
        said.to_string()
    } else {
        kept.join(" ")
    }
}

/// The subjects a group's sentence may start with.
pub fn subjects(g: &Group, kind: InputKind) -> &'static [&'static str] {
    if kind == InputKind::Session && g.category == "plan" {
        // a next step is agreed or assigned, not reported
        &[
            "Client agreed",
            "Client will",
            "Client plans",
            "Therapist",
            "Homework",
            "Next session",
            "Follow-up",
        ]
    } else if kind == InputKind::Dictation && g.category == "plan" && !g.client_step {
        // the clinician's own plan: what they will do (refer, increase sessions, repeat a
        // measure) is theirs, not something the client "plans" or "will" do
        &[
            "Therapist will",
            "Therapist",
            "Sessions",
            "Referral",
            "Next session",
            "Next appointment",
            "Follow-up",
        ]
    } else if kind == InputKind::Dictation && g.category == "plan" {
        &[
            "Client agreed",
            "Client will",
            "Therapist will",
            "Therapist",
            "Sessions",
            "Homework",
            "Referral",
            "Next session",
            "Next appointment",
            "Follow-up",
        ]
    } else if kind == InputKind::Session && g.lead == Speaker::Therapist && g.replied {
        &["Therapist", "Client"]
    } else if kind == InputKind::Session && g.lead == Speaker::Therapist {
        // the therapist's words alone: nothing in them is the client's report
        &[
            "Therapist",
            "Client completed",
            "Client scored",
            "Client agreed",
            "Client and therapist",
            "Client's",
            "Next session",
            "Homework",
        ]
    } else if kind == InputKind::Dictation && g.category == "intervention" {
        &["Therapist", "Client"]
    } else {
        &["Client", "Client's"]
    }
}

/// Widens a rewritten fact's citations to the nearby segments it also rests on: the model
/// reads a batch of excerpts and often joins a neighbour's detail into a fact ("low mood,
/// three out of ten, sleeps ten to eleven hours" from two dictated sentences). A candidate
/// (the batch's segments and the group's neighbours) is added while it raises the fact's
/// support by at least [`WIDEN_MIN_WORDS`] of its content words or holds a number the cited
/// text lacks, up to
/// [`WIDEN_MAX`] more segments; the checks then judge the fact against all it rests on.
pub fn widen_citations(input: &DraftInput, fact: &str, cited: &mut Vec<u32>, candidates: &[u32]) {
    let text_of = |ids: &[u32]| {
        ids.iter()
            .filter_map(|id| input.segment(*id))
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let fact_numbers = text::numbers(fact);
    // gains counted in content words of the fact: one shared word is not evidence
    let stems = text::content_stems(fact).len().max(1) as f64;
    for _ in 0..WIDEN_MAX {
        let base_text = text_of(cited);
        let base = text::support(fact, &base_text);
        let have = text::numbers(&base_text);
        let missing: Vec<&String> = fact_numbers.iter().filter(|n| !have.contains(n)).collect();
        let mut best: Option<(u32, f64)> = None;
        for &c in candidates {
            if cited.contains(&c) {
                continue;
            }
            let Some(seg) = input.segment(c) else {
                continue;
            };
            let with = text::support(fact, &format!("{base_text}\n{}", seg.text));
            let mut gain = (with - base) * stems;
            let nums = text::numbers(&seg.text);
            if missing.iter().any(|n| nums.contains(n)) {
                gain += WIDEN_MIN_WORDS;
            }
            if gain >= WIDEN_MIN_WORDS - 1e-9 && best.is_none_or(|b| gain > b.1) {
                best = Some((c, gain));
            }
        }
        match best {
            Some((c, _)) => cited.push(c),
            None => break,
        }
    }
}

/// The group of a batch that a written fact rests on: the model answers excerpt by excerpt
/// but sometimes writes one excerpt's content under another's number. The fact stays with
/// the group it was asked for (`asked`) unless another group of the batch supports it
/// better by at least [`ANCHOR_MARGIN`].
pub fn anchor(input: &DraftInput, fact: &str, batch: &[Group], asked: usize) -> usize {
    let support = |g: &Group| group_support(input, fact, g);
    let own = batch.get(asked).map_or(0.0, support);
    let mut best = (asked, own + ANCHOR_MARGIN);
    for (i, g) in batch.iter().enumerate() {
        let sc = support(g);
        if i != asked && sc >= best.1 {
            best = (i, sc);
        }
    }
    best.0
}

/// How much of a fact's content a group's segments hold.
pub fn group_support(input: &DraftInput, fact: &str, g: &Group) -> f64 {
    let t: Vec<&str> = g
        .ids
        .iter()
        .filter_map(|id| input.segment(*id))
        .map(|s| s.text.as_str())
        .collect();
    text::support(fact, &t.join("\n"))
}

/// Least support for a fact to count as the group's (below it the group is asked again: the
/// model wrote from elsewhere, e.g. the chart's presenting problems).
pub const MIN_COVER: f64 = 0.34;

/// How much better another group must support a fact to take it.
pub const ANCHOR_MARGIN: f64 = 0.2;

/// Most segments [`widen_citations`] adds to one fact.
pub const WIDEN_MAX: usize = 3;
/// Least number of the fact's content words a segment must add to be cited.
pub const WIDEN_MIN_WORDS: f64 = 2.0;

/// The segments a fact of group `g` may widen to: those of its batch and the neighbours of
/// its own.
pub fn widen_candidates(input: &DraftInput, batch: &[Group], g: &Group) -> Vec<u32> {
    let mut out: Vec<u32> = batch.iter().flat_map(|b| b.ids.iter().copied()).collect();
    for id in &g.ids {
        if let Some(i) = input.segments.iter().position(|s| s.id == *id) {
            if i > 0 {
                out.push(input.segments[i - 1].id);
            }
            if let Some(next) = input.segments.get(i + 1) {
                out.push(next.id);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Plan sentences' openings: an agreed or assigned next step.
const PLAN_OPENINGS: &[&str] = &[
    "Client agreed",
    "Client agrees",
    "Client will",
    "Client plans",
    "Therapist will",
    "Homework",
    "Next session",
    "Next appointment",
    "Follow-up",
    "Referral",
];

/// Report sentences' openings: what the client said of themselves.
const REPORT_OPENINGS: &[&str] = &[
    "Client reports",
    "Client reported",
    "Client describes",
    "Client described",
    "Client states",
    "Client stated",
    "Client endorses",
    "Client endorsed",
    "Client denies",
    "Client denied",
    "Client notes",
    "Client noted",
    "Client feels",
    "Client felt",
    "Client is ",
    "Client was ",
    "Client has ",
];

/// Whether a written fact keeps the numbers of its exchange: when the lead speaker's words
/// hold a number other than one (a score, hours, a count, a date) and the fact holds none, or
/// they name a weekday the fact leaves out, the fact lost its point ("Therapist provided the
/// burnout score", a next appointment without its day) and is asked for again. (A fact that
/// says how often by another period than the client is held by [`super::checks::period_changed`];
/// asking again for one that names no period, as for a lost number, cost the dev set three
/// plan facts.)
pub fn keeps_numbers(input: &DraftInput, fact: &str, g: &Group) -> bool {
    let lead: Vec<&Segment> = g
        .ids
        .iter()
        .filter_map(|id| input.segment(*id))
        .filter(|s| reported(input, g, s))
        .collect();
    let has = lead
        .iter()
        .flat_map(|s| text::numbers(&s.text))
        .any(|n| n != "1");
    // a day named for an appointment or a step ("Next appointment Tuesday at ten") is a
    // detail the clinician needs as much as a number
    let fact_lower = fact.to_lowercase();
    let days_kept = lead.iter().all(|s| {
        let t = s.text.to_lowercase();
        text::WEEKDAYS
            .iter()
            .all(|d| !t.contains(d) || fact_lower.contains(d))
    });
    (!has || !text::numbers(fact).is_empty()) && days_kept
}

/// The section a written fact belongs to, by how it opens: a next step goes to the plan
/// section (unless it is a "Client ..." sentence of an exchange filed as the client's report),
/// a client's report filed under the plan goes to the report section; anything else stays
/// where its group was filed.
pub fn section_by_opening(format: &NoteFormat, filed: &str, fact: &str) -> String {
    let plan = &format.section_for("plan").key;
    let report = &format.section_for("client_report").key;
    // the client's own report written as an agreement ("Client agreed to count the attacks,
    // one on Monday" for "Just one, on Monday") is the model's framing, not an agreed step: the
    // exchange was filed as a report because nothing in it is a plan
    let report_framed_as_plan = filed == report && fact.starts_with("Client");
    if PLAN_OPENINGS.iter().any(|o| fact.starts_with(o)) && !report_framed_as_plan {
        return plan.clone();
    }
    if filed == plan && REPORT_OPENINGS.iter().any(|o| fact.starts_with(o)) {
        return report.clone();
    }
    // the client's views and feelings filed elsewhere (an observation or intervention section:
    // "Client believes that luck matters in getting a job") are the client's report; a
    // report with a number in it ("Client reported a PHQ-9 of 14") stays where it was filed
    if filed != report
        && filed != plan
        && VIEW_OPENINGS.iter().any(|o| fact.starts_with(o))
        && text::numbers(fact).is_empty()
    {
        return report.clone();
    }
    filed.to_string()
}

/// Openings of the client's views and feelings: report, whatever the exchange was filed as.
const VIEW_OPENINGS: &[&str] = &[
    "Client believes",
    "Client thinks",
    "Client feels",
    "Client felt",
    "Client expressed",
    "Client expresses",
    "Client mentioned",
    "Client mentions",
    "Client wants",
    "Client hopes",
    "Client worries",
    "Client is concerned",
    "Client is worried",
    "Client reports",
    "Client reported",
    "Client described",
    "Client describes",
    // what the client said is their report, not an observation ("Client said that they did
    // not know if it was a smoke screen" is no finding of the clinician's)
    "Client said",
    "Client says",
    "Client stated",
    "Client states",
    "Client shared",
    "Client explained",
    "Client noted",
    "Client acknowledged",
    "Client admitted",
    "Client recalled",
    "Client did not know",
    "Client does not know",
    "Client was unsure",
    "Client is unsure",
    "Client doesn't know",
    "Client didn't know",
    "Client isn't sure",
    "Client wasn't sure",
];

/// The schema of one rewrite batch: an object with keys "1".."n", each one sentence under
/// the grammar with the group's subjects.
pub fn batch_schema(groups: &[&Group], kind: InputKind) -> serde_json::Value {
    // a session's talk leaves the client's gender to guess; a dictation says it
    let pattern = match kind {
        InputKind::Session => super::grammar::session_sentence_pattern,
        InputKind::Dictation => super::grammar::sentence_pattern,
    };
    let mut props = serde_json::Map::new();
    let mut req = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let k = (i + 1).to_string();
        props.insert(
            k.clone(),
            serde_json::json!({
                "type": "string",
                "pattern": pattern(subjects(g, kind), if g.long { 52 } else { 34 })
            }),
        );
        req.push(k);
    }
    serde_json::json!({
        "type": "object",
        "properties": props,
        "required": req,
        "additionalProperties": false,
        "x-guidance": {"whitespace_flexible": false}
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::format::FormatLibrary;

    fn seg(id: u32, sp: Speaker, t: &str) -> Segment {
        crate::draft::input::test_segment(id, sp, t)
    }

    #[test]
    fn a_reflection_the_client_confirms_is_the_clients_report() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let mk = |reflection: &str, reply: &str| DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(0, Speaker::Therapist, reflection),
                seg(1, Speaker::Client, reply),
            ],
            client: Default::default(),
        };
        let reflection = "So the money you took from your employer added up to a couple of grand before you noticed.";
        let gs = groups(&mk(reflection, "Mm-hmm, yeah."), &f);
        assert_eq!(gs.len(), 1, "{gs:?}");
        let g = &gs[0];
        assert!(g.confirmed);
        assert_eq!(g.lead, Speaker::Client);
        assert_eq!(g.ids, vec![0, 1]);
        assert_eq!(g.section, "subjective");
        // the model is told the reply agrees, in the excerpt itself
        let line = prompt_line(&mk(reflection, "Mm-hmm, yeah."), g);
        assert!(line.ends_with("| Client, agreeing: yeah."), "{line}");
        let bare = mk(reflection, "Mm-hmm.");
        let line = prompt_line(&bare, &groups(&bare, &f)[0]);
        assert!(line.ends_with("| Client, agreeing: Yes."), "{line}");
        // what it reports is the reflection's words: a sentence that loses their number lost
        // its point
        let counted =
            "So you've been going to the pokies three times a week since you lost your job.";
        let input = mk(counted, "Yeah.");
        let g = &groups(&input, &f)[0];
        assert!(!keeps_numbers(
            &input,
            "Client agreed that they go to the pokies.",
            g
        ));
        assert!(keeps_numbers(
            &input,
            "Client agreed that they go to the pokies three times a week.",
            g
        ));
        // "yeah, but", a question or a bare acknowledgement of small talk confirm nothing
        assert!(
            groups(&mk(reflection, "Yeah, but it wasn't like that."), &f)
                .iter()
                .all(|g| !g.confirmed)
        );
        assert!(groups(
            &mk(
                "So the money you took added up to a couple of grand?",
                "Yeah."
            ),
            &f
        )
        .iter()
        .all(|g| !g.confirmed));
        assert!(groups(&mk("Okay, let me just grab my notes here.", "Yeah."), &f).is_empty());
        // "you know" is a filler, and acting out what people say is explaining
        assert!(groups(
            &mk(
                "Anyway, it's when people are just saying, you know, this is why I don't wanna change, God made that stuff.",
                "Yeah, okay."
            ),
            &f
        )
        .iter()
        .all(|g| !g.confirmed));
    }

    #[test]
    fn answers_that_say_nothing_and_answers_that_say_how_often() {
        assert!(non_answer("I don't know, you tell me."));
        assert!(non_answer("Um, I don't know. Maybe."));
        assert!(!non_answer("I don't know. A few times a week."));
        assert!(!non_answer(
            "I suppose I didn't expect the money would add up."
        ));
        assert!(quantity("I don't know. A few times a week."));
        assert!(quantity("It's a couple of grand or something."));
        assert!(!quantity("A few of my friends came along."));
    }

    #[test]
    fn a_count_in_words_scores_as_a_number_and_a_non_answer_drops_back() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let mk = |answer: &str| {
            DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(
                    0,
                    Speaker::Therapist,
                    "Thinking back over the last four weeks, how many times would you have gone down to the pokies at the pub?",
                ),
                seg(1, Speaker::Client, answer),
            ],
            client: Default::default(),
        }
        };
        let score = |answer: &str| {
            let i = mk(answer);
            groups(&i, &f)
                .into_iter()
                .find(|g| g.lead == Speaker::Client)
                .map(|g| g.score)
                .unwrap_or(f64::NEG_INFINITY)
        };
        let told = score("I don't know. A few times a week.");
        let vague = score("I don't know. Some weeks.");
        let dodged = score("I don't know, you tell me, I don't know.");
        assert!(
            told >= vague + 3.0,
            "how often, in words: {told} against {vague}"
        );
        assert!(dodged < 0.0, "no answer: {dodged}");
    }

    fn input() -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: vec![
                seg(0, Speaker::Therapist, "Hi, good to see you."),
                seg(1, Speaker::Client, "Hi."),
                seg(2, Speaker::Therapist, "How has your sleep been this week?"),
                seg(
                    3,
                    Speaker::Client,
                    "Bad. About four hours a night, I wake at 3 worrying about work.",
                ),
                seg(
                    4,
                    Speaker::Client,
                    "My manager keeps adding night shifts to my schedule.",
                ),
                seg(
                    5,
                    Speaker::Therapist,
                    "For this week, keep a sleep log every night. Let's meet again next Tuesday.",
                ),
                seg(6, Speaker::Client, "Okay, I will."),
            ],
            client: Default::default(),
        }
    }

    #[test]
    fn a_dictated_step_is_the_clients_only_with_the_client_as_subject() {
        assert!(client_step(
            "She agreed to walk for fifteen minutes on three mornings."
        ));
        assert!(client_step(
            "Elena will call her choir friend before Sunday."
        ));
        assert!(!client_step(
            "Plan, increase sessions to weekly and refer to her physician."
        ));
        assert!(!client_step("We will repeat the PHQ-9 next session."));
    }

    #[test]
    fn commitments_that_close_a_session_are_its_plan_and_earlier_ones_are_not() {
        let format = FormatLibrary::builtin().get("soap").unwrap();
        let (c, t) = (Speaker::Client, Speaker::Therapist);
        let slow = "Work has been slow and the money is tight.";
        let inp = crate::draft::input::test_session(&[
            (
                c,
                "I'll be honest, I will go back to drinking when the job ends.",
            ),
            (c, slow),
            (t, "Mm-hmm."),
            (c, slow),
            (t, "Mm-hmm."),
            (c, slow),
            (t, "Mm-hmm."),
            (c, slow),
            (t, "Mm-hmm."),
            (c, "I'll be back next week and we can discuss it further."),
            (t, "I'll do some checking around for you."),
        ]);
        let gs = groups(&inp, &format);
        let cat = |id: u32| gs.iter().find(|g| g.ids.contains(&id)).map(|g| g.category);
        assert_eq!(cat(9), Some("plan"));
        assert_eq!(cat(10), Some("plan"));
        assert_ne!(cat(0), Some("plan"));
        // an answer to what a change would bring imagines an outcome: no commitment
        for (question, plan) in [
            (
                "What might be some benefits of following through with that?",
                false,
            ),
            ("Okay, so what's next?", true),
            ("Why don't we try that for a week?", true),
        ] {
            let mut lines = vec![(c, slow), (t, "Mm-hmm.")];
            lines = lines.repeat(5);
            lines.push((t, question));
            lines.push((
                c,
                "I'll have all my senses there and I'll be aware of everything.",
            ));
            let inp = crate::draft::input::test_session(&lines);
            let gs = groups(&inp, &format);
            let is_plan = gs
                .iter()
                .any(|g| g.ids.contains(&11) && g.category == "plan");
            assert_eq!(is_plan, plan, "after {question:?}");
        }
    }

    #[test]
    fn a_step_the_therapist_suggests_is_a_plan_once_the_client_takes_it_up() {
        let format = FormatLibrary::builtin().get("soap").unwrap();
        let (c, t) = (Speaker::Client, Speaker::Therapist);
        let slow = "Work has been slow and the money is tight.";
        let suggestion = "We could try some other medications and see how you do on them, \
                          perhaps without these side effects.";
        // (the suggestion, the reply, whether it is a plan) in the middle of a session
        for (said, reply, plan) in [
            (suggestion, "Well. Yeah. Well, yeah, I'd like to.", true),
            (suggestion, "Okay, sure.", true),
            (suggestion, "I suppose.", true),
            (suggestion, "I don't know. They all do that to me.", false),
            (suggestion, "No, I've tried enough of them.", false),
            (suggestion, "Mm.", false),
            // something to think over before the next session
            (
                "So I just want to leave that with you to think about next time we come \
                 together, who else can support you.",
                "Yeah, let's give it some thought.",
                true,
            ),
            // a suggestion that ends by checking in on it, taken up
            (
                "I just want to leave that with you to think about next time we come \
                 together. So your mother and your partner, how might that happen? How does \
                 that sound to you?",
                "Yeah, let's give it some thought.",
                true,
            ),
            // a suggestion followed by a question about something else: the reply answers
            // the question
            (
                "We could try some other medications. How has your sleep been?",
                "Yeah, fine.",
                false,
            ),
            // a reflection of what the client could do is no suggestion
            (
                "So you feel like you could make some adjustments to your drinking.",
                "Yeah, definitely.",
                false,
            ),
            (
                "So you sensed that you could've stopped much earlier that night.",
                "Yeah.",
                false,
            ),
        ] {
            let mut lines = [(c, slow), (t, "Mm-hmm.")].repeat(2);
            lines.extend([(t, said), (c, reply)]);
            lines.extend([(c, slow), (t, "Mm-hmm.")].repeat(4));
            let inp = crate::draft::input::test_session(&lines);
            let gs = groups(&inp, &format);
            let is_plan = gs
                .iter()
                .any(|g| g.ids.contains(&4) && g.category == "plan");
            assert_eq!(is_plan, plan, "{said:?} / {reply:?}");
        }
        // the model reads the yes, not a question the client goes on to ask
        let mut lines = [(c, slow), (t, "Mm-hmm.")].repeat(2);
        lines.extend([
            (t, suggestion),
            (
                c,
                "Well. Yeah. Well, yeah, I'd like to. I don't know, can you drink with them, \
                 some of these other ones?",
            ),
        ]);
        lines.extend([(c, slow), (t, "Mm-hmm.")].repeat(4));
        let inp = crate::draft::input::test_session(&lines);
        let gs = groups(&inp, &format);
        let g = gs
            .iter()
            .find(|g| g.ids.contains(&4))
            .expect("the suggestion");
        assert_eq!(g.ids, vec![4, 5]);
        let line = prompt_line(&inp, g);
        assert!(
            line.ends_with("| Client: Well. Yeah. Well, yeah, I'd like to."),
            "{line}"
        );
        // the opening fifth sets the agenda ("you might want to talk about ..."): no plan
        let agenda = "I'm just gonna get to know you a bit, and you might want to talk about \
                      some of your goals today.";
        let mut lines = vec![(t, agenda), (c, "Okay.")];
        lines.extend([(c, slow), (t, "Mm-hmm.")].repeat(5));
        lines.extend([
            (
                t,
                "So maybe if you wanted to, and this is up to you, you could check out the \
                 blogs, and I can see if I can track down the society's number.",
            ),
            (c, "Yeah. I want to come back and talk it over."),
        ]);
        let inp = crate::draft::input::test_session(&lines);
        let gs = groups(&inp, &format);
        let cat = |id: u32| gs.iter().find(|g| g.ids.contains(&id)).map(|g| g.category);
        assert_ne!(cat(0), Some("plan"));
        assert_eq!(cat(12), Some("plan"));
    }

    #[test]
    fn a_fact_cites_the_neighbour_it_took_a_detail_from() {
        let inp = input();
        // written from segment 3 with segment 4's night shifts joined in
        let fact =
            "Client reported about four hours of sleep a night, the manager adding night shifts.";
        let mut cited = vec![3];
        widen_citations(&inp, fact, &mut cited, &[2, 3, 4, 5, 6]);
        assert_eq!(cited, vec![3, 4]);
        // a number only a candidate holds brings it in
        let mut cited = vec![2];
        widen_citations(&inp, "Client wakes at 3.", &mut cited, &[3, 5]);
        assert_eq!(cited, vec![2, 3]);
        // nothing is added that the fact does not rest on
        let mut cited = vec![3];
        widen_citations(
            &inp,
            "Client sleeps about four hours a night.",
            &mut cited,
            &[0, 1, 5, 6],
        );
        assert_eq!(cited, vec![3]);
    }

    #[test]
    fn a_fact_written_under_the_wrong_number_goes_to_its_group() {
        let inp = input();
        let g = |ids: Vec<u32>| Group {
            ids,
            lead: Speaker::Client,
            replied: false,
            section: "subjective".into(),
            category: "client_report",
            client_step: false,
            confirmed: false,
            long: false,
            score: 1.0,
            pos: 0,
        };
        let batch = vec![g(vec![2, 3]), g(vec![4]), g(vec![5, 6])];
        let fact = "Client agreed to keep a sleep log every night and meet next Tuesday.";
        assert_eq!(anchor(&inp, fact, &batch, 0), 2);
        // a fact its own group supports stays
        let fact = "Client reported about four hours of sleep, waking at 3 worrying about work.";
        assert_eq!(anchor(&inp, fact, &batch, 0), 0);
    }

    #[test]
    fn candidates_are_the_batch_and_the_neighbours() {
        let inp = input();
        let g = |ids: Vec<u32>| Group {
            ids,
            lead: Speaker::Client,
            replied: false,
            section: "subjective".into(),
            category: "client_report",
            client_step: false,
            confirmed: false,
            long: false,
            score: 1.0,
            pos: 0,
        };
        let batch = vec![g(vec![3]), g(vec![6])];
        assert_eq!(widen_candidates(&inp, &batch, &batch[0]), vec![2, 3, 4, 6]);
    }

    #[test]
    fn a_fact_is_filed_by_how_it_opens() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        assert_eq!(
            section_by_opening(&f, "subjective", "Homework: a sleep log."),
            "plan"
        );
        assert_eq!(
            section_by_opening(&f, "objective", "Client agreed to keep a sleep log."),
            "plan"
        );
        assert_eq!(
            section_by_opening(&f, "plan", "Client reports low mood most days."),
            "subjective"
        );
        // the client's report and views belong to the report, whatever the exchange was filed
        // as; a reported score stays with the measures
        assert_eq!(
            section_by_opening(&f, "objective", "Client reports low mood most days."),
            "subjective"
        );
        assert_eq!(
            section_by_opening(
                &f,
                "objective",
                "Client believes luck matters in a job search."
            ),
            "subjective"
        );
        assert_eq!(
            section_by_opening(
                &f,
                "objective",
                "Client said they did not know if it was a smoke screen."
            ),
            "subjective"
        );
        assert_eq!(
            section_by_opening(
                &f,
                "objective",
                "Client doesn't know many people who could support her."
            ),
            "subjective"
        );
        assert_eq!(
            section_by_opening(&f, "objective", "Client reported a PHQ-9 score of 14."),
            "objective"
        );
        assert_eq!(
            section_by_opening(&f, "objective", "Client rated confidence at 7 out of 10."),
            "objective"
        );
        assert_eq!(
            section_by_opening(&f, "plan", "Therapist assigned a log."),
            "plan"
        );
        // a report the model framed as an agreement stays a report
        assert_eq!(
            section_by_opening(
                &f,
                "subjective",
                "Client agreed to count attacks, one on Monday."
            ),
            "subjective"
        );
        assert_eq!(
            section_by_opening(&f, "subjective", "Homework: a sleep log."),
            "plan"
        );
    }

    #[test]
    fn speech_is_cleaned_of_disfluencies() {
        assert_eq!(
            clean_speech(
                "Um, yeah, I-I guess it kind of started- like five, six years ago. [laughs]"
            ),
            "yeah, I guess it started like five, six years ago."
        );
        assert_eq!(
            clean_speech("the-the doctor, uh, said no"),
            "the doctor, said no"
        );
        // a softening "I don't know." before the answer goes; the not knowing, said alone
        // or as the content, stays
        assert_eq!(
            clean_speech("I don't know. A few times a week."),
            "A few times a week."
        );
        assert_eq!(
            clean_speech("Um, I don't know, maybe three or four cups."),
            "Maybe three or four cups."
        );
        assert_eq!(
            clean_speech("I don't know what to do about it."),
            "I don't know what to do about it."
        );
        assert_eq!(clean_speech("I don't know."), "I don't know.");
        assert_eq!(
            clean_speech("I don't know. Really."),
            "I don't know. Really."
        );
    }

    #[test]
    fn exchanges_carry_their_question_and_reply() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let g = groups(&input(), &f);
        let ids: Vec<Vec<u32>> = g.iter().map(|g| g.ids.clone()).collect();
        assert_eq!(ids, vec![vec![2, 3, 4], vec![5, 6]], "{g:?}");
        assert_eq!(g[0].lead, Speaker::Client);
        assert_eq!(g[0].section, "subjective");
        assert_eq!(g[1].lead, Speaker::Therapist);
        assert_eq!(g[1].section, "plan");
        assert!(prompt_line(&input(), &g[0]).starts_with("Therapist: How has your sleep"));
    }

    #[test]
    fn a_rating_given_a_few_turns_on_joins_its_question() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let session = |lines: &[(Speaker, &str)]| crate::draft::input::test_session(lines);
        let asked = "On a scale of 1 to 100, how important is the program to you?";
        let given = session(&[
            (Speaker::Therapist, asked),
            (
                Speaker::Client,
                "It's hard to say, because I'm not a bad person, I've just done some stupid things in the past.",
            ),
            (Speaker::Therapist, "Right."),
            (Speaker::Client, "For my kids, I'd be 100 percent."),
        ]);
        let g = groups(&given, &f);
        assert_eq!(g[0].ids, vec![0, 1, 2, 3], "{g:?}");
        assert_eq!(g[0].category, "measure");
        // the therapist moved on before any figure: the question stays alone
        let moved_on = session(&[
            (Speaker::Therapist, asked),
            (
                Speaker::Client,
                "It's hard to say, because I'm not a bad person, I've just done some stupid things in the past.",
            ),
            (Speaker::Therapist, "Tell me more about what happened with your brother back then."),
            (Speaker::Client, "He was 19 when he left home."),
        ]);
        assert_eq!(
            groups(&moved_on, &f)[0].ids,
            vec![0],
            "{:?}",
            groups(&moved_on, &f)
        );
    }

    #[test]
    fn a_plan_is_written_as_agreed_never_as_reported() {
        let g = Group {
            ids: vec![8, 9],
            lead: Speaker::Therapist,
            replied: true,
            section: "plan".into(),
            category: "plan",
            client_step: false,
            confirmed: false,
            long: false,
            score: 10.0,
            pos: 8,
        };
        let schema = batch_schema(&[&g], InputKind::Session);
        let re = regex::Regex::new(schema["properties"]["1"]["pattern"].as_str().unwrap()).unwrap();
        assert!(re.is_match("Client agreed to leave work by five on Monday and Wednesday."));
        assert!(!re.is_match("Client reported leaving work by five on Monday and Wednesday."));
    }

    #[test]
    fn a_dictated_plan_of_several_sentences_may_run_longer_and_is_the_clinicians() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let input = DraftInput {
            kind: InputKind::Dictation,
            segments: vec![crate::draft::input::test_segment(
                0,
                Speaker::Therapist,
                "Plan, increase sessions to weekly for the next month, refer to her primary care physician for a medication evaluation, and repeat the PHQ-9 next session. Next appointment Tuesday at ten.",
            )],
            client: Default::default(),
        };
        let g = groups(&input, &f);
        assert_eq!(g.len(), 1, "{g:?}");
        assert!(g[0].long && !g[0].client_step, "{g:?}");
        let schema = batch_schema(&[&g[0]], InputKind::Dictation);
        let re = regex::Regex::new(schema["properties"]["1"]["pattern"].as_str().unwrap()).unwrap();
        let both = "Therapist will increase sessions to weekly for the next month, refer her to her primary care physician for a medication evaluation and repeat the PHQ-9 next session, with the next appointment on Tuesday at ten.";
        assert!(both.split_whitespace().count() > 34);
        assert!(re.is_match(both));
        assert!(!re.is_match("Client will increase sessions to weekly."));
    }

    #[test]
    fn selection_keeps_the_best_in_transcript_order() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let g = groups(&input(), &f);
        let s = select(g.clone(), 1);
        assert_eq!(s.len(), 1);
        let by_score = |a: &&Group, b: &&Group| a.score.partial_cmp(&b.score).unwrap();
        // a plan item first, whatever the others score
        let best = g
            .iter()
            .filter(|x| x.category == "plan")
            .max_by(by_score)
            .or_else(|| g.iter().max_by(by_score))
            .unwrap();
        assert_eq!(s[0], *best);
        let all = select(g, 10);
        assert!(all.windows(2).all(|w| w[0].pos < w[1].pos));
    }

    #[test]
    fn a_rating_without_its_value_is_no_fact() {
        assert!(empty_rating(
            "Client reported a number on a scale of 1 to 10."
        ));
        assert!(empty_rating(
            "Client rated their confidence on a scale of one to ten."
        ));
        assert!(!empty_rating(
            "Client rates the importance of making adjustments as 5 or 6."
        ));
        assert!(!empty_rating(
            "Client rated confidence as high on a scale of 1 to 10."
        ));
        assert!(!empty_rating(
            "Client reported sleeping five hours a night."
        ));
    }

    #[test]
    fn greetings_are_no_note_sentences() {
        assert!(greeting(
            "Therapist welcomes back Alex and asks how the week has been."
        ));
        assert!(greeting("Therapist asked how the client's week went."));
        assert!(!greeting(
            "Therapist taught paced breathing, in for four and out for six."
        ));
        assert!(!greeting(
            "Client reported a rough week with two extra shifts."
        ));
        assert!(!greeting(
            "Therapist checked in on the sleep log: 5 of 7 nights were logged."
        ));
        assert!(greeting("Client thanks the therapist for their advice."));
        assert!(greeting(
            "Client expressed appreciation for the therapist's suggestions."
        ));
        assert!(!greeting(
            "Client thanked the therapist and agreed to call the housing office on Monday."
        ));
    }

    #[test]
    fn plan_items_are_selected_before_higher_scoring_report() {
        let group = |pos: usize, category: &'static str, score: f64| Group {
            ids: vec![pos as u32],
            lead: Speaker::Client,
            replied: false,
            section: "subjective".into(),
            category,
            client_step: false,
            confirmed: false,
            long: false,
            score,
            pos,
        };
        let mut g: Vec<Group> = (0..8).map(|i| group(i, "client_report", 20.0)).collect();
        g.extend((8..15).map(|i| group(i, "plan", 5.0 + i as f64)));
        let s = select(g, 8);
        let plans: Vec<usize> = s
            .iter()
            .filter(|x| x.category == "plan")
            .map(|x| x.pos)
            .collect();
        // the five best plan items, then the best of the rest
        assert_eq!(plans, vec![10, 11, 12, 13, 14]);
        assert_eq!(s.len(), 8);
        assert!(s.windows(2).all(|w| w[0].pos < w[1].pos));
    }

    #[test]
    fn schema_has_one_pattern_per_group() {
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let g = groups(&input(), &f);
        let refs: Vec<&Group> = g.iter().collect();
        let s = batch_schema(&refs, InputKind::Session);
        assert_eq!(s["required"], serde_json::json!(["1", "2"]));
        let p1 = s["properties"]["1"]["pattern"].as_str().unwrap();
        assert!(p1.contains("Client") && !p1.starts_with("^(?:Therapist"));
    }

    #[test]
    fn a_fact_without_its_exchanges_number_is_not_kept_as_is() {
        let input = input();
        let g = Group {
            ids: vec![2, 3],
            lead: Speaker::Client,
            replied: false,
            section: "subjective".into(),
            category: "client_report",
            client_step: false,
            confirmed: false,
            long: false,
            score: 1.0,
            pos: 3,
        };
        assert!(!keeps_numbers(
            &input,
            "Client reported poor sleep and worry about work.",
            &g
        ));
        assert!(keeps_numbers(
            &input,
            "Client reported sleeping about four hours a night.",
            &g
        ));
        assert!(keeps_numbers(
            &input,
            "Client reported waking at 3 with worry.",
            &g
        ));
    }

    #[test]
    fn how_often_is_read_by_its_period() {
        assert_eq!(
            text::frequency_periods("every other weekend, once a fortnight"),
            ["weekend", "fortnight"]
        );
        assert_eq!(
            text::frequency_periods("three nights a week, most days"),
            ["week", "day"]
        );
        assert!(text::frequency_periods("about five hours a night").is_empty());
        assert!(text::period_forms("day")
            .iter()
            .any(|p| "drinks daily".contains(p)));
    }

    #[test]
    fn a_question_about_the_week_is_context_for_the_answer_not_a_plan() {
        let inp = DraftInput {
            segments: vec![
                seg(
                    0,
                    Speaker::Therapist,
                    "How many panic attacks did you have this week?",
                ),
                seg(1, Speaker::Client, "Just one, on Monday, on the train."),
                seg(
                    2,
                    Speaker::Therapist,
                    "Could you keep the sleep log every night this week?",
                ),
                seg(3, Speaker::Client, "Yes, I can do that."),
            ],
            ..input()
        };
        let f = FormatLibrary::builtin().get("soap").unwrap();
        let g = groups(&inp, &f);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(
            (g[0].lead, g[0].section.as_str()),
            (Speaker::Client, "subjective")
        );
        assert_eq!(g[0].ids, vec![0, 1]);
        assert_eq!(
            (g[1].lead, g[1].section.as_str()),
            (Speaker::Therapist, "plan")
        );
    }
}
