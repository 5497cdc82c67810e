//! Measurable goals: a SMART goal's baseline and target read from its text, the current value
//! read from the transcript, and the plan-update status that follows by arithmetic.
//!
//! "Reduce GAD-7 score from 15 to 9 or below" has a baseline (15), a target (≤ 9) and a
//! direction. When the session states the current value next to the baseline ("came out at
//! twelve, down from fifteen"), the status is arithmetic, not judgment: the target reached is
//! `met`, a value between baseline and target is `progressing`, no change or worse is
//! `not_met`. Small models get this wrong more often than right, so these goals are decided
//! here, with the numbers and the segments they came from as evidence; goals without a
//! stated baseline and target are left to the model.

use super::input::{DraftInput, Goal, Segment};
use super::text;
use super::{GoalStatus, PlanUpdate};

/// How the current value must compare with the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cmp {
    Below,
    AtMost,
    Above,
    AtLeast,
}

impl Cmp {
    fn holds(self, value: f64, target: f64) -> bool {
        match self {
            Cmp::Below => value < target,
            Cmp::AtMost => value <= target,
            Cmp::Above => value > target,
            Cmp::AtLeast => value >= target,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Cmp::Below => "below",
            Cmp::AtMost => "at most",
            Cmp::Above => "above",
            Cmp::AtLeast => "at least",
        }
    }
}

/// A goal's numbers: "from `baseline` to `cmp` `target`".
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub baseline: f64,
    pub target: f64,
    pub cmp: Cmp,
}

/// Reads "from X [unit words] to [below|under|above|over] Y [or below|or less|or fewer|or
/// above|or more]" from a goal. Without a qualifier the direction of X → Y decides (lower
/// target: at most; higher: at least). `None` when the goal states no baseline and target.
pub fn parse_goal(goal: &str) -> Option<Target> {
    let w = text::words(goal);
    let num = |i: usize| w.get(i).and_then(|s| s.parse::<f64>().ok());
    let from = w.iter().position(|x| x == "from")?;
    let baseline = num(from + 1)?;
    // Up to three unit words ("per week", "hours a night") before "to".
    let to = (from + 2..(from + 6).min(w.len())).find(|&i| w[i] == "to")?;
    let mut i = to + 1;
    let mut cmp = None;
    match w.get(i).map(String::as_str) {
        Some("below" | "under") => {
            cmp = Some(Cmp::Below);
            i += 1;
        }
        Some("above" | "over") => {
            cmp = Some(Cmp::Above);
            i += 1;
        }
        _ => {}
    }
    let target = num(i)?;
    // "9 or below", "zero per week or fewer": the qualifier may follow a unit word or two.
    let after: Vec<&str> = w[i + 1..(i + 5).min(w.len())]
        .iter()
        .map(String::as_str)
        .collect();
    if let Some(p) = after.iter().position(|x| *x == "or") {
        match after.get(p + 1).copied() {
            Some("below" | "less" | "fewer" | "lower" | "under") => cmp = Some(Cmp::AtMost),
            Some("above" | "more" | "higher" | "over") => cmp = Some(Cmp::AtLeast),
            _ => {}
        }
    }
    if target == baseline {
        return None;
    }
    let cmp = cmp.unwrap_or(if target < baseline {
        Cmp::AtMost
    } else {
        Cmp::AtLeast
    });
    Some(Target {
        baseline,
        target,
        cmp,
    })
}

/// Words that mark a comparison with an earlier value ("down from 15", "compared with 19 at
/// intake", "lower than the 75 we started with").
const COMPARISON: &[&str] = &[
    "from",
    "compared",
    "than",
    "started",
    "start",
    "intake",
    "baseline",
    "down",
    "up",
    "lower",
    "higher",
    "last",
    "before",
    "previous",
    "previously",
];

/// Longer names of standardized measures a goal may name by their short codes, so that a
/// session saying "your anxiety questionnaire" is recognised as speaking of a GAD-7 goal.
const MEASURE_NAMES: &[(&str, &str)] = &[
    ("phq-9", "patient health questionnaire depression"),
    ("phq9", "patient health questionnaire depression"),
    ("gad-7", "generalized anxiety questionnaire"),
    ("gad7", "generalized anxiety questionnaire"),
    ("cbi", "copenhagen burnout inventory questionnaire"),
    ("pcl-5", "ptsd checklist trauma questionnaire"),
];

fn goal_stems(goal: &str) -> std::collections::HashSet<String> {
    let mut s: std::collections::HashSet<String> = text::content_stems(goal).into_iter().collect();
    let lower = goal.to_lowercase();
    for (code, name) in MEASURE_NAMES {
        if lower.contains(code) {
            s.extend(text::content_stems(name));
        }
    }
    // Numbers and words every goal and session share say nothing about which goal is meant.
    s.retain(|w| w.parse::<f64>().is_err());
    for generic in [
        "score", "week", "reduce", "increase", "least", "within", "month", "below", "above",
    ] {
        s.remove(&text::stem(generic));
    }
    s
}

fn numbers_in(seg: &Segment) -> Vec<(usize, f64)> {
    text::words(&seg.text)
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.parse::<f64>().ok().map(|v| (i, v)))
        .collect()
}

/// The plan update for a measurable goal whose current value the session states next to its
/// baseline, or `None` (the goal is then left to the model).
pub fn measured_update(input: &DraftInput, goal: &Goal) -> Option<PlanUpdate> {
    let t = parse_goal(&goal.text)?;
    let stems = goal_stems(&goal.text);
    let related = |s: &Segment| {
        text::content_stems(&s.text)
            .iter()
            .any(|x| stems.contains(x))
    };
    let segs = &input.segments;
    for (k, seg) in segs.iter().enumerate() {
        let words = text::words(&seg.text);
        let Some(bpos) = words
            .iter()
            .position(|w| w.parse::<f64>().ok() == Some(t.baseline))
        else {
            continue;
        };
        let cue = words[bpos.saturating_sub(6)..bpos]
            .iter()
            .any(|w| COMPARISON.contains(&w.as_str()))
            || words[bpos + 1..(bpos + 4).min(words.len())]
                .iter()
                .any(|w| COMPARISON.contains(&w.as_str()));
        // The goal must be what this stretch of the session is about.
        let near = segs[k.saturating_sub(2)..(k + 2).min(segs.len())]
            .iter()
            .any(related);
        if !cue || !near {
            continue;
        }
        // The current value: a number before the baseline in this segment ("came out at 12,
        // down from 15"), else the first number of the segment before ("Just one." / "That's
        // down from two.").
        let here: Vec<f64> = numbers_in(seg)
            .into_iter()
            .filter(|(i, v)| *i < bpos && *v != t.baseline)
            .map(|(_, v)| v)
            .collect();
        let (current, cites) = if let Some(v) = here.last() {
            (*v, vec![seg.id])
        } else if let Some(prev) = k.checked_sub(1).map(|p| &segs[p]) {
            match numbers_in(prev).first() {
                Some((_, v)) if *v != t.baseline => (*v, vec![prev.id, seg.id]),
                _ => continue,
            }
        } else {
            continue;
        };
        let status = if t.cmp.holds(current, t.target) {
            GoalStatus::Met
        } else if (t.target < t.baseline && current < t.baseline)
            || (t.target > t.baseline && current > t.baseline)
        {
            GoalStatus::Progressing
        } else {
            GoalStatus::NotMet
        };
        return Some(PlanUpdate {
            goal_id: goal.id.clone(),
            goal: String::new(),
            status,
            evidence: format!(
                "{} now, {} at baseline; target {} {}",
                text::fmt_num(current),
                text::fmt_num(t.baseline),
                t.cmp.words(),
                text::fmt_num(t.target)
            ),
            citations: cites,
            flags: vec![
                "computed: status follows from the numbers in the cited segments and the goal's target"
                    .into(),
            ],
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::input::{ChartContext, InputKind, Speaker};

    fn input(lines: &[&str]) -> DraftInput {
        DraftInput {
            kind: InputKind::Session,
            segments: lines
                .iter()
                .enumerate()
                .map(|(i, t)| Segment {
                    id: i as u32,
                    start: i as f64,
                    end: i as f64 + 1.0,
                    speaker: if i % 2 == 0 {
                        Speaker::Therapist
                    } else {
                        Speaker::Client
                    },
                    text: t.to_string(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                })
                .collect(),
            client: ChartContext::default(),
        }
    }

    fn goal(text: &str) -> Goal {
        Goal {
            id: "g".into(),
            text: text.into(),
        }
    }

    #[test]
    fn reads_baselines_and_targets() {
        let t = parse_goal("Reduce PHQ-9 score from 21 to below 8 within ten weeks").unwrap();
        assert_eq!((t.baseline, t.target, t.cmp), (21.0, 8.0, Cmp::Below));
        let t = parse_goal("Lower the GAD-7 score from 16 to 6 or below by June").unwrap();
        assert_eq!((t.baseline, t.target, t.cmp), (16.0, 6.0, Cmp::AtMost));
        let t = parse_goal("Cut binge episodes from three per week to none").map(|t| t.target);
        assert_eq!(t, None, "'none' is not a number: left to the model");
        let t = parse_goal("Cut drinks from twelve per week to four per week").unwrap();
        assert_eq!((t.baseline, t.target, t.cmp), (12.0, 4.0, Cmp::AtMost));
        let t = parse_goal("Increase social outings from one a month to four a month").unwrap();
        assert_eq!((t.baseline, t.target, t.cmp), (1.0, 4.0, Cmp::AtLeast));
        assert!(parse_goal("Sleep at least seven hours on most nights").is_none());
        assert!(parse_goal("Move from the shelter to an apartment").is_none());
    }

    #[test]
    fn status_follows_from_the_numbers() {
        let g = goal("Reduce PHQ-9 score from 21 to below 8 within ten weeks");
        let cases = [
            (
                "Your PHQ-9 today is fourteen, down from twenty one.",
                GoalStatus::Progressing,
            ),
            (
                "Your PHQ-9 today is six, down from twenty one.",
                GoalStatus::Met,
            ),
            (
                "Your PHQ-9 today is twenty three, up from twenty one.",
                GoalStatus::NotMet,
            ),
        ];
        for (line, want) in cases {
            let i = input(&["How was the week?", "Long.", line]);
            let u = measured_update(&i, &g).expect(line);
            assert_eq!(u.status, want, "{line}");
            assert_eq!(u.citations, vec![2]);
            assert!(u.evidence.contains("21 at baseline"), "{}", u.evidence);
        }
    }

    #[test]
    fn current_value_may_come_from_the_answer_before() {
        let g = goal("Reduce binge episodes from four per week to one per week");
        let i = input(&[
            "How many binge episodes did you have this week?",
            "Two, both on the weekend.",
            "That is down from four.",
        ]);
        let u = measured_update(&i, &g).unwrap();
        assert_eq!(u.status, GoalStatus::Progressing);
        assert_eq!(u.citations, vec![1, 2]);
    }

    #[test]
    fn an_unrelated_number_or_no_comparison_decides_nothing() {
        let g = goal("Reduce PHQ-9 score from 21 to below 8 within ten weeks");
        // The baseline number without a comparison, and a comparison about something else.
        let i = input(&[
            "I turned 21 in March.",
            "My rent went up to 900, up from 21 hundred? No, from 800.",
        ]);
        assert!(measured_update(&i, &g).is_none());
        // A goal named by its code, discussed by its name.
        let g = goal("Reduce GAD-7 score from 15 to 9 or below within three months");
        let i = input(&["Your anxiety questionnaire came out at twelve, down from fifteen."]);
        let u = measured_update(&i, &g).unwrap();
        assert_eq!(u.status, GoalStatus::Progressing);
    }
}
