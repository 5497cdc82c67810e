//! Speaker roles inferred from the words, for session transcripts that carry no speaker
//! labels (audio transcribed without diarization).
//!
//! A therapist asks, reflects, proposes and explains ("How have you been sleeping?", "It
//! sounds like ...", "Let's ...", "For this week ..."); a client reports in the first person
//! ("I couldn't sleep", "my boss"). Each segment gets a score from these cues, and the
//! scores of its neighbours count too: in a transcript of one turn per line the speakers
//! take turns, so a bare "Yeah." after a question is the client's answer. The roles are the
//! posterior of a two-state hidden Markov model over the segments (the cues as evidence,
//! turn-taking as the prior); confident posteriors set the role, unclear ones stay
//! [`Speaker::Unknown`] so that nothing is attributed on a guess. Drafting then never writes
//! a segment marked therapist as the client's report.

use super::input::{Segment, Speaker};
use super::style::words;

/// Phrases a therapist uses to reflect, structure or assign.
const THERAPIST_CUES: &[&str] = &[
    "it sounds like",
    "sounds like you",
    "what i'm hearing",
    "what i hear",
    "so you're saying",
    "so you feel",
    "you mentioned",
    "you said",
    "you've been",
    "let's",
    "let us",
    "i'd like you to",
    "i want you to",
    "i'd like to",
    "i'm wondering",
    "i wonder",
    "can you tell me",
    "tell me more",
    "how have you",
    "how are you",
    "how was your",
    "how did",
    "what would",
    "on a scale",
    "for this week",
    "for next week",
    "homework",
    "welcome",
    "good to see you",
    "our session",
    "last session",
    "next session",
    "we talked about",
    "we discussed",
    "your score",
    "the questionnaire",
    "that makes sense",
];

/// The role the words of one segment point to, with a score (positive: therapist).
pub fn role_score(text: &str) -> i32 {
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    let ws = words(&lower);
    let mut score = 0i32;
    if lower.trim_end().ends_with('?') {
        score += 2;
    } else if lower.contains('?') {
        score += 1;
    }
    let you = ws
        .iter()
        .filter(|w| {
            matches!(
                w.as_str(),
                "you" | "your" | "you're" | "you've" | "yourself"
            )
        })
        .count() as i32;
    score += you.min(3);
    score += 2 * THERAPIST_CUES
        .iter()
        .filter(|c| lower.contains(*c))
        .count()
        .min(2) as i32;
    let me = ws
        .iter()
        .filter(|w| {
            matches!(
                w.as_str(),
                "i" | "i'm" | "i've" | "i'd" | "i'll" | "me" | "my" | "myself" | "mine"
            )
        })
        .count() as i32;
    score -= me.min(4);
    score
}

/// Evidence of one point of [`role_score`], in nats (log-likelihood ratio of therapist to
/// client). Two points (a question, or a cue phrase) give odds of about 5 to 1.
const NATS_PER_POINT: f64 = 0.8;

/// Most evidence one segment gives, in points: a long turn full of "I" is no surer than a
/// short one.
const MAX_POINTS: i32 = 6;

/// Chance that the next segment is the other speaker's when each segment is a turn (a plain
/// transcript, one utterance per line: in real counselling transcripts fewer than 1 in 100
/// consecutive lines share a speaker).
const SWITCH_TURNS: f64 = 0.9;

/// Posterior a role needs to be set; below it the segment stays unknown.
const CONFIDENT: f64 = 0.9;

/// Points of [`role_score`] that set a role on a segment's own words, where the neighbours
/// say nothing (timed speech-to-text segments, which split turns at pauses as well as at
/// changes of speaker).
const OWN_WORDS: i32 = 2;

/// Labels unlabeled session segments by their words and their neighbours'. Returns true when
/// it labeled anything (the caller records that the roles were inferred). Segments that
/// already carry a speaker are left alone; so are segments whose role is unclear, and a
/// segment whose own words point to the therapist is never made the client's.
pub fn infer_roles(segments: &mut [Segment]) -> bool {
    if segments.iter().any(|s| s.speaker != Speaker::Unknown) {
        return false;
    }
    let scores: Vec<i32> = segments.iter().map(|s| role_score(&s.text)).collect();
    // plain lines carry no times: each is a turn, and the speakers take turns
    let turns = segments.iter().all(|s| s.start == 0.0 && s.end == 0.0);
    let p = turns.then(|| posterior(&scores, SWITCH_TURNS));
    let mut any = false;
    for (i, (s, &sc)) in segments.iter_mut().zip(&scores).enumerate() {
        // what the evidence says, then never against the segment's own clear words
        let (therapist, client) = match &p {
            Some(p) => (p[i] >= CONFIDENT, p[i] <= 1.0 - CONFIDENT),
            None => (sc >= OWN_WORDS, sc <= -OWN_WORDS),
        };
        s.speaker = if therapist && sc > -OWN_WORDS {
            Speaker::Therapist
        } else if client && sc < OWN_WORDS {
            Speaker::Client
        } else {
            Speaker::Unknown
        };
        any |= s.speaker != Speaker::Unknown;
    }
    any
}

/// The probability that each segment is the therapist's, by forward-backward over two states
/// (therapist, client) with the segment scores as evidence and `switch` as the chance of a
/// change of speaker between neighbours; equal priors.
fn posterior(scores: &[i32], switch: f64) -> Vec<f64> {
    let n = scores.len();
    // likelihoods of each segment's words under (therapist, client)
    let lik: Vec<[f64; 2]> = scores
        .iter()
        .map(|s| {
            let half = NATS_PER_POINT * f64::from((*s).clamp(-MAX_POINTS, MAX_POINTS)) / 2.0;
            [half.exp(), (-half).exp()]
        })
        .collect();
    let step = |p: [f64; 2]| {
        [
            p[0] * (1.0 - switch) + p[1] * switch,
            p[0] * switch + p[1] * (1.0 - switch),
        ]
    };
    let norm = |p: [f64; 2]| {
        let t = p[0] + p[1];
        [p[0] / t, p[1] / t]
    };
    let mut fwd = vec![[0.5, 0.5]; n];
    let mut prior = [0.5, 0.5];
    for i in 0..n {
        fwd[i] = norm([prior[0] * lik[i][0], prior[1] * lik[i][1]]);
        prior = step(fwd[i]);
    }
    let mut out = vec![0.5; n];
    let mut back = [1.0, 1.0];
    for i in (0..n).rev() {
        let p = norm([fwd[i][0] * back[0], fwd[i][1] * back[1]]);
        out[i] = p[0];
        // what segments i.. say about segment i-1's role
        let b = norm([lik[i][0] * back[0], lik[i][1] * back[1]]);
        back = step(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(id: u32, t: &str) -> Segment {
        Segment {
            id,
            start: 0.0,
            end: 0.0,
            speaker: Speaker::Unknown,
            text: t.into(),
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        }
    }

    /// Gives the segments times, as speech-to-text segments have.
    fn timed(segs: &mut [Segment]) {
        for (i, x) in segs.iter_mut().enumerate() {
            x.start = i as f64 * 3.0;
            x.end = x.start + 2.5;
        }
    }

    /// The roles inferred (some must be).
    fn roles_of(segs: &mut [Segment]) -> Vec<Speaker> {
        assert!(infer_roles(segs));
        segs.iter().map(|x| x.speaker).collect()
    }

    #[test]
    fn questions_and_reflections_are_the_therapist_self_report_is_the_client() {
        // timed segments: each read by its own words
        let mut s = vec![
            seg(0, "Welcome back, Alex. How have you been sleeping?"),
            seg(
                1,
                "I've been getting maybe five hours, my mind keeps racing.",
            ),
            seg(2, "It sounds like work has been following you home."),
            seg(3, "Yeah."),
            seg(4, "I couldn't stop thinking about my shifts."),
        ];
        timed(&mut s);
        let got = roles_of(&mut s);
        assert_eq!(
            got,
            vec![
                Speaker::Therapist,
                Speaker::Client,
                Speaker::Therapist,
                Speaker::Unknown,
                Speaker::Client
            ]
        );
    }

    const TURNS: [&str; 5] = [
        "How many nights this week did you sleep badly?",
        "Most of them.",
        "And what keeps you awake?",
        "Work, mostly. The rota changed.",
        "It sounds like the new rota has been hard on you.",
    ];

    #[test]
    fn in_a_transcript_of_turns_a_bare_answer_is_the_client_s() {
        let mut s: Vec<Segment> = (0u32..).zip(TURNS).map(|(i, t)| seg(i, t)).collect();
        let got = roles_of(&mut s);
        assert_eq!(
            got,
            vec![
                Speaker::Therapist,
                Speaker::Client,
                Speaker::Therapist,
                Speaker::Client,
                Speaker::Therapist
            ]
        );
    }

    #[test]
    fn timed_segments_keep_to_their_own_words() {
        // speech-to-text splits a turn at its pauses: a neighbour may be the same speaker
        let mut s: Vec<Segment> = (0u32..).zip(TURNS).map(|(i, t)| seg(i, t)).collect();
        timed(&mut s);
        let got = roles_of(&mut s);
        assert_eq!(
            got,
            vec![
                Speaker::Therapist,
                Speaker::Unknown,
                Speaker::Therapist,
                Speaker::Unknown,
                Speaker::Therapist
            ]
        );
    }

    #[test]
    fn words_that_point_to_the_therapist_are_never_made_the_client_s() {
        // the client's turn by alternation (posterior 0.06), but a question: no report
        let mut s =
            vec![
            seg(
                0,
                "Welcome back. How has your week been, and what would you like to focus on today?",
            ),
            seg(1, "Why would that matter?"),
            seg(2, "Can you tell me more about how you've been sleeping?"),
            seg(3, "I went back to work on Monday and my boss was angry with me."),
            seg(4, "It sounds like that was hard for you. How did you cope?"),
        ];
        infer_roles(&mut s);
        assert_eq!(s[1].speaker, Speaker::Unknown);
        assert_eq!(s[3].speaker, Speaker::Client);
    }

    #[test]
    fn labeled_transcripts_are_left_alone() {
        let mut s = vec![seg(0, "How are you?"), seg(1, "I am fine.")];
        s[1].speaker = Speaker::Client;
        assert!(!infer_roles(&mut s));
        assert_eq!(s[0].speaker, Speaker::Unknown);
    }
}
