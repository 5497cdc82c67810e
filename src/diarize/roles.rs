//! Which speaker is the therapist: the cluster nearest an enrolled voice, or, without an
//! enrolment, the one whose words sound like the clinician's (greeting, questions,
//! reflections, explanations, plans) rather than self-report.

use serde::{Deserialize, Serialize};

use super::cluster::cosine;

/// Below this cosine similarity to the enrolled voice no cluster is taken for the therapist
/// and roles are inferred from the words instead. CAM++ on the synthetic two-voice sessions:
/// same voice 0.6–0.9, another voice 0.0–0.3.
pub const ENROLLED_MIN_SIMILARITY: f32 = 0.4;

/// Where a segment's role came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerSource {
    /// The cluster nearest the clinician's enrolled voice.
    Enrolled,
    /// Inferred from what each speaker said (no enrolment, or no cluster near it).
    #[default]
    Inferred,
    /// Set by the clinician.
    Edited,
}

/// Phrases typical of the clinician's side of a session (matched on lower-case words with
/// spaces around them).
const THERAPIST_CUES: &[&str] = &[
    " hi ",
    " hello ",
    " welcome ",
    " good to see you",
    " how are you",
    " how have you been",
    " how was your week",
    " how has your week",
    " what brings you",
    " it sounds like",
    " sounds like",
    " what i'm hearing",
    " what i hear",
    " it seems like",
    " that makes sense",
    " thank you for sharing",
    " can you tell me",
    " could you tell me",
    " tell me more",
    " tell me about",
    " how did that",
    " how does that",
    " what do you",
    " what did you",
    " what would",
    " how do you",
    " how would you",
    " would you be willing",
    " would you like",
    " i wonder",
    " i'd like you",
    " i'd like to",
    " let's ",
    " we can ",
    " we could ",
    " we'll ",
    " next session",
    " next week",
    " for homework",
    " this week, try",
    " on a scale",
    " scale of",
    " notice ",
    " you mentioned",
    " you said",
    " you've been",
    " you're ",
    " your ",
    " you ",
];

/// Phrases typical of the client's side: first-person report.
const CLIENT_CUES: &[&str] = &[
    " i feel",
    " i felt",
    " i've been",
    " i was ",
    " i am ",
    " i'm ",
    " i just",
    " i don't",
    " i can't",
    " i couldn't",
    " i didn't",
    " i keep",
    " i get ",
    " i got ",
    " i had ",
    " my ",
    " me ",
    " myself",
    " i guess",
    " i think",
    " honestly",
    " yeah",
];

/// How clinician-like a text is: (therapist cues − client cues) per word, questions counting
/// as therapist cues. Positive = more like the therapist.
pub fn therapist_score(texts: &[&str]) -> (f32, usize) {
    let mut words = 0usize;
    let mut score = 0f32;
    for t in texts {
        let lower = format!(
            " {} ",
            t.to_lowercase().replace(['.', ',', '!', ';', ':'], " ")
        );
        words += lower.split_whitespace().count();
        score += lower.matches('?').count() as f32 * 1.5;
        for cue in THERAPIST_CUES {
            score += lower.matches(cue).count() as f32;
        }
        for cue in CLIENT_CUES {
            score -= lower.matches(cue).count() as f32;
        }
    }
    (score / words.max(1) as f32, words)
}

/// The therapist's cluster chosen from the words said by each cluster (`texts[c]`); the
/// cluster that spoke first breaks near-ties (the clinician usually opens). Returns the
/// cluster and the margin of its score over the next best (0 = a guess).
pub fn infer_therapist(texts: &[Vec<&str>], first_speaker: Option<usize>) -> (usize, f32) {
    let mut scores: Vec<(usize, f32, usize)> = texts
        .iter()
        .enumerate()
        .map(|(c, t)| {
            let (s, w) = therapist_score(t);
            let bonus = if Some(c) == first_speaker { 0.01 } else { 0.0 };
            (c, s + bonus, w)
        })
        .filter(|&(_, _, w)| w > 0)
        .collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    match scores.as_slice() {
        [] => (first_speaker.unwrap_or(0), 0.0),
        [only] => (only.0, 0.0),
        [a, b, ..] => (a.0, a.1 - b.1),
    }
}

/// The cluster nearest the enrolled voice, with its similarity, when it is near enough.
pub fn enrolled_therapist(centroids: &[Vec<f32>], voice: &[f32]) -> Option<(usize, f32)> {
    centroids
        .iter()
        .enumerate()
        .map(|(c, v)| (c, cosine(v, voice)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|&(_, s)| s >= ENROLLED_MIN_SIMILARITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_and_reflections_beat_self_report() {
        let therapist = vec![
            "Hi, welcome back. How was your week?",
            "It sounds like work has been really heavy. Can you tell me more about the nights?",
            "Let's try a breathing exercise this week.",
        ];
        let client = vec![
            "Honestly, it was rough. I've been exhausted.",
            "I just can't switch off after my shifts, and I feel guilty all the time.",
        ];
        let (t, _) = therapist_score(&therapist);
        let (c, _) = therapist_score(&client);
        assert!(t > c, "{t} vs {c}");
        assert_eq!(
            infer_therapist(&[client.clone(), therapist.clone()], None).0,
            1
        );
        assert_eq!(infer_therapist(&[therapist, client], Some(1)).0, 0);
        assert_eq!(infer_therapist(&[vec![], vec![]], Some(1)), (1, 0.0));
    }

    #[test]
    fn enrolment_needs_a_near_cluster() {
        let c = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
        assert_eq!(enrolled_therapist(&c, &[0.1, 0.9]).map(|x| x.0), Some(1));
        assert_eq!(enrolled_therapist(&c, &[-1.0, -1.0]), None);
    }
}
