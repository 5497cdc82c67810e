//! The synthetic sessions `noted bench draft` drafts: a therapy conversation of any length,
//! with goals, so that every stage of drafting runs.

use super::input::{ChartContext, DraftInput, Goal, InputKind, Segment, Speaker};

const LINES: &[(&str, &str)] = &[
    ("therapist", "How has the week been since we last met?"),
    ("client", "Busy. Work was stressful and I only slept about six hours most nights."),
    ("therapist", "What was the hardest moment this week?"),
    ("client", "On Wednesday my manager criticized my report in front of the team and I felt my chest tighten."),
    ("therapist", "What went through your mind right then?"),
    ("client", "That I am going to lose this job and everyone thinks I am incompetent."),
    ("therapist", "Let's look at the evidence for and against that thought on a thought record."),
    ("client", "Well, last month I got good feedback on the budget project, so maybe it is not that bad."),
    ("therapist", "That is a good example of balancing the thought. How strong is the belief now, from zero to one hundred?"),
    ("client", "Maybe forty, down from about eighty."),
    ("therapist", "Your anxiety questionnaire today came out at eleven, compared with fourteen last month."),
    ("client", "That matches. I have been using the breathing exercise in the car before work."),
    ("therapist", "Let's practice the breathing together now, in for four and out for six."),
    ("client", "That helps. My shoulders feel looser."),
    ("therapist", "For this week, could you do the breathing twice a day and write one thought record?"),
    ("client", "Yes, I can do that. I will put a reminder on my phone."),
];

/// A synthetic session of about `minutes` minutes (about 150 spoken words a minute).
pub fn synthetic_session(minutes: u32) -> DraftInput {
    let target_words = minutes as usize * 150;
    let mut segments = Vec::new();
    let mut words = 0;
    let mut t = 0.0;
    while words < target_words {
        let (sp, text) = LINES[segments.len() % LINES.len()];
        let n = text.split_whitespace().count();
        let dur = n as f64 / 2.5;
        segments.push(Segment {
            id: segments.len() as u32,
            start: t,
            end: t + dur,
            speaker: if sp == "therapist" {
                Speaker::Therapist
            } else {
                Speaker::Client
            },
            text: text.to_string(),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
        });
        t += dur + 0.5;
        words += n;
    }
    DraftInput {
        kind: InputKind::Session,
        segments,
        client: ChartContext {
            name: "Test Client".into(),
            presenting_problems: vec!["Work stress".into(), "Anxiety".into()],
            goals: vec![
                Goal {
                    id: "g1".into(),
                    text: "Reduce GAD-7 anxiety score from 14 to below 8".into(),
                },
                Goal {
                    id: "g2".into(),
                    text: "Sleep at least seven hours on most nights".into(),
                },
            ],
            ..Default::default()
        },
    }
}
