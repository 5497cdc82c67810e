//! Scoring drafts against evaluation session files (facts, fabrications, plan updates, risk).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::input::{ChartContext, DraftInput, InputKind, Segment, Speaker};
use super::{Draft, NoteFormat};

/// One spoken turn of an evaluation session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
}

/// A fact a good note contains.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fact {
    pub what: String,
    pub section: String,
    pub any_of: Vec<Vec<String>>,
}

/// Something a note must not contain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Absent {
    #[serde(default)]
    pub why: String,
    pub any_of: Vec<Vec<String>>,
}

/// An expected goal status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpectedUpdate {
    pub goal: String,
    pub status: String,
    #[serde(default)]
    pub evidence: String,
}

/// What the session's note should contain.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Expect {
    #[serde(default)]
    pub facts: Vec<Fact>,
    #[serde(default)]
    pub absent: Vec<Absent>,
    #[serde(default)]
    pub plan_updates: Vec<ExpectedUpdate>,
    #[serde(default)]
    pub risk: BTreeMap<String, String>,
}

/// One evaluation session file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalCase {
    pub id: String,
    pub kind: String,
    pub note_format: String,
    #[serde(default)]
    pub client: ChartContext,
    pub turns: Vec<Turn>,
    #[serde(default)]
    pub expect: Expect,
}

impl EvalCase {
    /// A form-only case from a plain transcript (one utterance per line, optional
    /// `Therapist:` / `Client:` prefixes): no expectations, so only the note's form is scored.
    pub fn from_plain_transcript(id: &str, text: &str, note_format: &str) -> EvalCase {
        let turns = super::input::parse_plain_lines(text)
            .into_iter()
            .map(|s| Turn {
                speaker: s.speaker,
                text: s.text,
            })
            .collect();
        EvalCase {
            id: id.to_string(),
            kind: "session".into(),
            note_format: note_format.to_string(),
            client: ChartContext::default(),
            turns,
            expect: Expect::default(),
        }
    }

    /// True when the case lists expectations (facts, absences, plan updates or risk).
    pub fn has_expectations(&self) -> bool {
        let e = &self.expect;
        !(e.facts.is_empty()
            && e.absent.is_empty()
            && e.plan_updates.is_empty()
            && e.risk.is_empty())
    }

    /// The drafting input from the written turns (ids 0..n).
    pub fn input(&self) -> DraftInput {
        DraftInput {
            kind: if self.kind == "dictation" {
                InputKind::Dictation
            } else {
                InputKind::Session
            },
            segments: self
                .turns
                .iter()
                .enumerate()
                .map(|(i, t)| Segment {
                    id: i as u32,
                    start: 0.0,
                    end: 0.0,
                    speaker: t.speaker,
                    text: t.text.clone(),
                    avg_logprob: 0.0,
                    no_speech_prob: 0.0,
                })
                .collect(),
            client: self.client.clone(),
        }
    }

    /// The words spoken, one turn a line (reference for word error rate).
    pub fn reference_text(&self) -> String {
        self.turns
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Scores of one case.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseScore {
    pub id: String,
    /// section → (facts present, facts listed).
    pub recall: BTreeMap<String, (usize, usize)>,
    pub facts_missing: Vec<String>,
    pub fabrications: Vec<String>,
    pub plan_correct: usize,
    pub plan_total: usize,
    pub plan_wrong: Vec<String>,
    pub risk_correct: usize,
    pub risk_total: usize,
    pub statements: usize,
    pub statements_uncited: usize,
    pub statements_extractive: usize,
    pub statements_held_back: usize,
    pub complete: bool,
}

fn matches(any_of: &[Vec<String>], text: &str) -> bool {
    let t = text.to_lowercase();
    any_of
        .iter()
        .any(|alt| !alt.is_empty() && alt.iter().all(|term| t.contains(&term.to_lowercase())))
}

/// Scores a draft against a case.
pub fn score(case: &EvalCase, draft: &Draft, format: &NoteFormat) -> CaseScore {
    let whole = draft.note_text();
    let mut s = CaseScore {
        id: case.id.clone(),
        complete: draft.complete,
        ..Default::default()
    };
    for f in &case.expect.facts {
        let key = if f.section == "plan" {
            format.plan_section().key.clone()
        } else {
            f.section.clone()
        };
        let text = if f.section == "any" {
            whole.clone()
        } else {
            draft
                .sections
                .get(&key)
                .map(|x| x.text.clone())
                .unwrap_or_default()
        };
        let e = s.recall.entry(f.section.clone()).or_default();
        e.1 += 1;
        if matches(&f.any_of, &text) {
            e.0 += 1;
        } else {
            s.facts_missing.push(format!("[{}] {}", f.section, f.what));
        }
    }
    for a in &case.expect.absent {
        if matches(&a.any_of, &whole) {
            s.fabrications.push(a.why.clone());
        }
    }
    for u in &case.expect.plan_updates {
        s.plan_total += 1;
        let got = draft
            .plan_updates
            .iter()
            .find(|p| p.goal_id == u.goal)
            .map(|p| p.status.as_str())
            .unwrap_or("missing");
        if got == u.status {
            s.plan_correct += 1;
        } else {
            s.plan_wrong
                .push(format!("{}: expected {}, got {got}", u.goal, u.status));
        }
    }
    for (item, want) in &case.expect.risk {
        s.risk_total += 1;
        let got = serde_json::to_value(&draft.risk).ok().and_then(|v| {
            v.get(item)
                .and_then(|i| i["status"].as_str().map(str::to_string))
        });
        if got.as_deref() == Some(want.as_str()) {
            s.risk_correct += 1;
        }
    }
    for st in draft.sections.values().flat_map(|x| &x.statements) {
        if !st.included {
            s.statements_held_back += 1;
            continue;
        }
        s.statements += 1;
        if st.citations.is_empty() {
            s.statements_uncited += 1;
        }
        if st.origin == super::Origin::Extractive {
            s.statements_extractive += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_of_matching() {
        let alt = vec![
            vec!["five".to_string(), "shift".to_string()],
            vec!["5 hours".to_string()],
        ];
        assert!(matches(&alt, "Worked FIVE twelve-hour shifts"));
        assert!(!matches(&alt, "worked five days"));
        assert!(matches(&alt, "slept 5 hours"));
    }
}
