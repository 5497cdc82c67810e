//! Speaker roles inferred from the words, for session transcripts that carry no speaker
//! labels (audio transcribed without diarization).
//!
//! A therapist asks, reflects, proposes and explains ("How have you been sleeping?", "It
//! sounds like ...", "Let's ...", "For this week ..."); a client reports in the first person
//! ("I couldn't sleep", "my boss"). Each segment gets a score from these cues; clear scores
//! set the role, unclear ones stay [`Speaker::Unknown`] so that nothing is attributed on a
//! guess. Drafting then never writes a segment marked therapist as the client's report.

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

/// Labels unlabeled session segments by their words. Returns true when it labeled anything
/// (the caller records that the roles were inferred). Segments that already carry a speaker
/// are left alone; so are segments whose words do not clearly point to one role.
pub fn infer_roles(segments: &mut [Segment]) -> bool {
    if segments.iter().any(|s| s.speaker != Speaker::Unknown) {
        return false;
    }
    let mut any = false;
    for s in segments.iter_mut() {
        let sc = role_score(&s.text);
        s.speaker = if sc >= 2 {
            Speaker::Therapist
        } else if sc <= -2 {
            Speaker::Client
        } else {
            Speaker::Unknown
        };
        any |= s.speaker != Speaker::Unknown;
    }
    any
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

    #[test]
    fn questions_and_reflections_are_the_therapist_self_report_is_the_client() {
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
        assert!(infer_roles(&mut s));
        let got: Vec<Speaker> = s.iter().map(|x| x.speaker).collect();
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

    #[test]
    fn labeled_transcripts_are_left_alone() {
        let mut s = vec![seg(0, "How are you?"), seg(1, "I am fine.")];
        s[1].speaker = Speaker::Client;
        assert!(!infer_roles(&mut s));
        assert_eq!(s[0].speaker, Speaker::Unknown);
    }
}
