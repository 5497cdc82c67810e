//! The clinician's working copy of a draft (`drafts.edited`): the draft JSON as the model made
//! it plus review decisions (statement keep/fix/delete, risk fields set explicitly, plan-update
//! and proposal decisions, flag acknowledgements), and the operations on it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::diff::{self, SectionEdit};
use super::NoteError;

/// Risk items of the risk block, in display order.
pub const RISK_ITEMS: [&str; 4] = ["suicidal_ideation", "plan", "intent", "homicidal_ideation"];
/// The three states a risk item can take.
pub const RISK_STATES: [&str; 3] = ["endorsed", "denied", "not_assessed"];

/// Longest section text accepted (characters).
pub const MAX_SECTION_CHARS: usize = 20_000;

/// A decision on a flagged or drafted statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatementDecision {
    /// Kept as drafted despite its flags.
    Keep,
    /// Text replaced by the clinician.
    Fixed,
    /// Removed from the note.
    Delete,
}

/// A clinician decision on a plan update or proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accepted,
    Rejected,
}

/// Who decided and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    pub by: i64,
    pub at: String,
}

/// An acknowledgement of a draft flag: who and when, and for a risk cue whether the
/// clinician judged it not a risk (with the reason, which the audit log keeps too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagAck {
    pub by: i64,
    pub at: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_a_risk: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A statement of a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewStatement {
    pub text: String,
    #[serde(default)]
    pub citations: Vec<u32>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub support: f64,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default = "yes")]
    pub included: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<StatementDecision>,
    /// The model's text, kept when the clinician fixed the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_text: Option<String>,
}

fn yes() -> bool {
    true
}

/// A section of the note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewSection {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub statements: Vec<ReviewStatement>,
}

/// One line of a section as the review page shows it. `statement` is the index of the
/// statement the line still is: a line whose text matches a statement's, whitespace aside (the
/// rule `keep`, `fix` and `delete` use to find a statement's line), keeps that statement's
/// citations and flags; a line the clinician wrote or changed is their own prose
/// (`statement: None`). Statements that are not in the text (held back by the checks, or
/// deleted) follow the statement before them with `in_text: false`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProseLine {
    pub text: String,
    pub statement: Option<usize>,
    pub in_text: bool,
}

impl ReviewSection {
    /// The section's text line by line, each tied to the statement it still matches, with the
    /// held-back and deleted statements placed after the statement before them.
    pub fn prose(&self) -> Vec<ProseLine> {
        let mut used = vec![false; self.statements.len()];
        let mut lines: Vec<ProseLine> = self
            .text
            .lines()
            .map(|line| {
                let l = norm(line);
                let statement = (!l.is_empty())
                    .then(|| {
                        self.statements.iter().enumerate().position(|(i, st)| {
                            !used[i]
                                && st.decision != Some(StatementDecision::Delete)
                                && norm(&st.text) == l
                        })
                    })
                    .flatten();
                if let Some(i) = statement {
                    used[i] = true;
                }
                ProseLine {
                    text: line.trim_end().to_string(),
                    statement,
                    in_text: true,
                }
            })
            .collect();
        for (i, st) in self.statements.iter().enumerate() {
            let aside = st.decision == Some(StatementDecision::Delete)
                || (!st.included && st.decision.is_none());
            if used[i] || !aside {
                continue;
            }
            let at = lines
                .iter()
                .rposition(|p| p.statement.is_some_and(|s| s < i))
                .map_or(0, |p| p + 1);
            lines.insert(
                at,
                ProseLine {
                    text: st.text.clone(),
                    statement: Some(i),
                    in_text: false,
                },
            );
        }
        lines
    }
}

/// A plan-update proposal for one goal, with the clinician's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPlanUpdate {
    pub goal_id: String,
    /// The goal's text when the draft was made (absent in older drafts).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goal: String,
    pub status: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub citations: Vec<u32>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<Decided>,
    /// The plan version an accepted update created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_version: Option<i64>,
}

/// A proposed plan item (next session, homework, referral, intervention, new goal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewProposal {
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub citations: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<Decided>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_version: Option<i64>,
}

/// One three-state risk item. `confirmed` is set when the clinician chose the status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRiskItem {
    #[serde(default = "not_assessed")]
    pub status: String,
    #[serde(default)]
    pub citations: Vec<u32>,
    #[serde(default)]
    pub confirmed: bool,
    /// What the draft suggested, kept when the clinician changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<String>,
}

impl Default for ReviewRiskItem {
    fn default() -> Self {
        ReviewRiskItem {
            status: not_assessed(),
            citations: Vec::new(),
            confirmed: false,
            suggested: None,
        }
    }
}

fn not_assessed() -> String {
    "not_assessed".into()
}

/// The risk block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewRisk {
    #[serde(default)]
    pub suicidal_ideation: ReviewRiskItem,
    #[serde(default)]
    pub plan: ReviewRiskItem,
    #[serde(default)]
    pub intent: ReviewRiskItem,
    #[serde(default)]
    pub homicidal_ideation: ReviewRiskItem,
    #[serde(default)]
    pub cues: Vec<Value>,
    #[serde(default)]
    pub flags: Vec<String>,
}

impl ReviewRisk {
    pub fn item(&self, name: &str) -> Option<&ReviewRiskItem> {
        match name {
            "suicidal_ideation" => Some(&self.suicidal_ideation),
            "plan" => Some(&self.plan),
            "intent" => Some(&self.intent),
            "homicidal_ideation" => Some(&self.homicidal_ideation),
            _ => None,
        }
    }
    fn item_mut(&mut self, name: &str) -> Option<&mut ReviewRiskItem> {
        match name {
            "suicidal_ideation" => Some(&mut self.suicidal_ideation),
            "plan" => Some(&mut self.plan),
            "intent" => Some(&mut self.intent),
            "homicidal_ideation" => Some(&mut self.homicidal_ideation),
            _ => None,
        }
    }
}

/// A redraft applied to a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedraftRecord {
    pub section: String,
    #[serde(default)]
    pub instruction: Option<String>,
    pub at: String,
    #[serde(default)]
    pub job_id: Option<i64>,
}

/// The working copy: a superset of the draft JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewDoc {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub section_order: Vec<String>,
    #[serde(default)]
    pub sections: BTreeMap<String, ReviewSection>,
    #[serde(default)]
    pub plan_updates: Vec<ReviewPlanUpdate>,
    #[serde(default)]
    pub proposals: Vec<ReviewProposal>,
    #[serde(default)]
    pub risk: ReviewRisk,
    /// Draft-level flags (`code:detail: message`).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Acknowledgements of `flags`, by index.
    #[serde(default)]
    pub flag_acks: BTreeMap<usize, FlagAck>,
    #[serde(default)]
    pub provenance: Value,
    #[serde(default = "yes")]
    pub complete: bool,
    #[serde(default)]
    pub redrafts: Vec<RedraftRecord>,
    /// A typed summary's sentences (the citable segments of a draft made from a summary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary_segments: Vec<Value>,
}

/// A change to one statement (`PATCH` body `statements`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementEdit {
    pub section: String,
    /// Index in the section's `statements`, from 0.
    pub index: usize,
    /// `keep`, `delete` or `fix` (with `text`).
    pub action: String,
    #[serde(default)]
    pub text: Option<String>,
}

impl ReviewDoc {
    /// Parses the stored draft (or working copy) JSON.
    pub fn parse(json: &str) -> Result<ReviewDoc, NoteError> {
        let mut doc: ReviewDoc = serde_json::from_str(json)
            .map_err(|e| NoteError::Corrupt(format!("draft JSON: {e}")))?;
        if doc.section_order.is_empty() {
            doc.section_order = doc.sections.keys().cloned().collect();
        }
        Ok(doc)
    }

    /// The sections in the format's order (then any others).
    pub fn ordered_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .section_order
            .iter()
            .filter(|k| self.sections.contains_key(*k))
            .cloned()
            .collect();
        for k in self.sections.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        keys
    }

    fn section_mut(&mut self, key: &str) -> Result<&mut ReviewSection, NoteError> {
        let keys: Vec<String> = self.ordered_keys();
        self.sections
            .get_mut(key)
            .ok_or_else(|| NoteError::Invalid {
                field: format!("sections.{key}"),
                reason: format!("no such section; this note has {}", keys.join(", ")),
            })
    }

    /// Replaces a section's text.
    pub fn set_section_text(&mut self, key: &str, text: &str) -> Result<(), NoteError> {
        if text.chars().count() > MAX_SECTION_CHARS {
            return Err(NoteError::Invalid {
                field: format!("sections.{key}.text"),
                reason: format!("must be at most {MAX_SECTION_CHARS} characters"),
            });
        }
        let text = text.replace("\r\n", "\n");
        self.section_mut(key)?.text = text.trim_end().to_string();
        Ok(())
    }

    /// Applies a statement decision, keeping the section text in step: `keep` adds a held-back
    /// statement's line, `delete` removes its line, `fix` replaces it.
    pub fn edit_statement(&mut self, e: &StatementEdit) -> Result<(), NoteError> {
        let field = || format!("statements[{}:{}]", e.section, e.index);
        let sec = self.section_mut(&e.section)?;
        let n = sec.statements.len();
        let st = sec
            .statements
            .get_mut(e.index)
            .ok_or_else(|| NoteError::Invalid {
                field: field(),
                reason: format!("no statement {} (the section has {n})", e.index),
            })?;
        let old = st.text.clone();
        match e.action.as_str() {
            "keep" => {
                st.decision = Some(StatementDecision::Keep);
                st.included = true;
                if !has_line(&sec.text, &old) {
                    push_line(&mut sec.text, &old);
                }
            }
            "delete" => {
                st.decision = Some(StatementDecision::Delete);
                st.included = false;
                sec.text = remove_line(&sec.text, &old);
            }
            "fix" => {
                let new = e
                    .text
                    .as_deref()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| NoteError::Invalid {
                        field: field(),
                        reason: "`fix` needs the corrected `text`".into(),
                    })?;
                if new.chars().count() > 5000 {
                    return Err(NoteError::Invalid {
                        field: field(),
                        reason: "must be at most 5000 characters".into(),
                    });
                }
                if st.original_text.is_none() {
                    st.original_text = Some(old.clone());
                }
                st.text = new.clone();
                st.decision = Some(StatementDecision::Fixed);
                st.included = true;
                if has_line(&sec.text, &old) {
                    sec.text = replace_line(&sec.text, &old, &new);
                } else {
                    push_line(&mut sec.text, &new);
                }
            }
            other => {
                return Err(NoteError::Invalid {
                    field: field(),
                    reason: format!("unknown action `{other}`: expected keep, delete or fix"),
                })
            }
        }
        Ok(())
    }

    /// Sets a risk item explicitly (the clinician's choice).
    pub fn set_risk(&mut self, name: &str, status: &str) -> Result<(), NoteError> {
        if !RISK_STATES.contains(&status) {
            return Err(NoteError::Invalid {
                field: format!("risk.{name}"),
                reason: format!("`{status}` is not one of endorsed, denied, not_assessed"),
            });
        }
        let item = self.risk.item_mut(name).ok_or_else(|| NoteError::Invalid {
            field: format!("risk.{name}"),
            reason: format!(
                "unknown risk item; expected one of {}",
                RISK_ITEMS.join(", ")
            ),
        })?;
        if item.status != status && item.suggested.is_none() {
            item.suggested = Some(item.status.clone());
        }
        item.status = status.to_string();
        item.confirmed = true;
        Ok(())
    }

    /// Risk items the clinician has not set yet.
    pub fn unconfirmed_risk(&self) -> Vec<&'static str> {
        RISK_ITEMS
            .into_iter()
            .filter(|n| !self.risk.item(n).is_some_and(|i| i.confirmed))
            .collect()
    }

    /// Indexes of risk flags (`risk_*`) not yet acknowledged.
    pub fn unacknowledged_risk_flags(&self) -> Vec<usize> {
        self.flags
            .iter()
            .enumerate()
            .filter(|(i, f)| is_risk_flag(f) && !self.flag_acks.contains_key(i))
            .map(|(i, _)| i)
            .collect()
    }

    /// Acknowledges flag `n`.
    pub fn acknowledge_flag(&mut self, n: usize, by: i64, at: &str) -> Result<(), NoteError> {
        self.acknowledge_flag_with(n, by, at, None)
    }

    /// Acknowledges flag `n`; with `not_a_risk_reason`, marks a risk cue (`risk_cue:...`) as
    /// not a risk, for that reason (required, at most 500 characters). An acknowledged cue can
    /// still be marked so later; the first acknowledgement's time is kept.
    pub fn acknowledge_flag_with(
        &mut self,
        n: usize,
        by: i64,
        at: &str,
        not_a_risk_reason: Option<&str>,
    ) -> Result<(), NoteError> {
        let Some(flag) = self.flags.get(n) else {
            return Err(NoteError::NotFound("flag"));
        };
        let reason = match not_a_risk_reason.map(str::trim) {
            None => None,
            Some("") => return Err(invalid_reason("required to mark a cue not a risk")),
            Some(r) if r.chars().count() > 500 => {
                return Err(invalid_reason("longer than 500 characters"))
            }
            Some(_) if !flag.starts_with("risk_cue:") => {
                return Err(invalid_reason("only a risk cue can be marked not a risk"))
            }
            Some(r) => Some(r.to_string()),
        };
        let ack = self.flag_acks.entry(n).or_insert(FlagAck {
            by,
            at: at.to_string(),
            not_a_risk: false,
            reason: None,
        });
        if let Some(r) = reason {
            ack.not_a_risk = true;
            ack.reason = Some(r);
        }
        Ok(())
    }

    /// Replaces one section with a redraft (the statements and text the model wrote again).
    pub fn apply_redraft(
        &mut self,
        key: &str,
        section: ReviewSection,
        rec: RedraftRecord,
    ) -> Result<(), NoteError> {
        let sec = self.section_mut(key)?;
        let title = sec.title.clone();
        *sec = section;
        if sec.title.is_empty() {
            sec.title = title;
        }
        self.redrafts.push(rec);
        Ok(())
    }

    /// The edit measure per section against the model's original `original`.
    pub fn edit_measure(&self, original: &ReviewDoc) -> BTreeMap<String, SectionEdit> {
        self.ordered_keys()
            .into_iter()
            .map(|k| {
                let cur = self.sections.get(&k).map(|s| s.text.as_str()).unwrap_or("");
                let orig = original
                    .sections
                    .get(&k)
                    .map(|s| s.text.as_str())
                    .unwrap_or("");
                let e = diff::section_edit(orig, cur);
                (k, e)
            })
            .collect()
    }

    /// The diff of every section against the original, for the review page.
    pub fn diffs(&self, original: &ReviewDoc) -> BTreeMap<String, Vec<diff::Chunk>> {
        self.ordered_keys()
            .into_iter()
            .map(|k| {
                let cur = self.sections.get(&k).map(|s| s.text.as_str()).unwrap_or("");
                let orig = original
                    .sections
                    .get(&k)
                    .map(|s| s.text.as_str())
                    .unwrap_or("");
                (k.clone(), diff::diff(orig, cur))
            })
            .collect()
    }

    /// Plain-text body of the note (sections in order).
    pub fn note_text(&self) -> String {
        let mut s = String::new();
        for k in self.ordered_keys() {
            let sec = &self.sections[&k];
            s.push_str(&sec.title);
            s.push_str(":\n");
            s.push_str(&sec.text);
            s.push_str("\n\n");
        }
        s
    }
}

fn invalid_reason(why: &str) -> NoteError {
    NoteError::Invalid {
        field: "reason".into(),
        reason: why.into(),
    }
}

/// True for a draft-level flag about risk (must be acknowledged before signing).
pub fn is_risk_flag(flag: &str) -> bool {
    flag.starts_with("risk_")
}

/// Human explanation of a statement flag code.
pub fn explain_flag(flag: &str) -> String {
    let (code, detail) = flag.split_once(':').unwrap_or((flag, ""));
    let detail = detail.trim();
    match code {
        "uncited" => "no transcript segment supports this statement".into(),
        "citation_dropped" => format!("cited segment {detail} does not exist"),
        "low_support" => "unsupported: the cited segments say little of this".into(),
        "number_not_found" => {
            format!("number not found: {detail} is not in the cited segments or the chart")
        }
        "name_not_found" => {
            format!("name not found: {detail} is not in the cited segments or the chart")
        }
        "unobserved_default" => format!("a normal finding that was not observed: {detail}"),
        "risk_unsupported" => "risk claim the transcript does not support".into(),
        "duplicate" => "repeats another statement".into(),
        "extractive" => "restated from the transcript (no model summary)".into(),
        "risk_cue" => format!("risk cue in the transcript: {detail}"),
        c if c.starts_with("risk_") => format!("risk: {detail}"),
        "statements_held_back" => {
            let (n, _) = detail.split_once(':').unwrap_or((detail, ""));
            format!("{n} statement(s) held back by the checks: they are marked in their sections; fix, keep or delete each")
        }
        "empty_section" => {
            let (section, _) = detail.split_once(':').unwrap_or((detail, ""));
            format!("the {section} section has no supported statement: write it or redraft it")
        }
        // Draft-level flags carry their own explanation after the code.
        _ if !detail.is_empty() => detail.to_string(),
        _ => flag.to_string(),
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_line(text: &str, line: &str) -> bool {
    let l = norm(line);
    text.lines().any(|x| norm(x) == l)
}

fn push_line(text: &mut String, line: &str) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(line.trim());
}

fn remove_line(text: &str, line: &str) -> String {
    let l = norm(line);
    let mut removed = false;
    text.lines()
        .filter(|x| {
            if !removed && norm(x) == l {
                removed = true;
                false
            } else {
                true
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn replace_line(text: &str, old: &str, new: &str) -> String {
    let l = norm(old);
    let mut done = false;
    text.lines()
        .map(|x| {
            if !done && norm(x) == l {
                done = true;
                new.to_string()
            } else {
                x.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ReviewDoc {
        ReviewDoc::parse(
            &serde_json::json!({
                "format": "soap",
                "section_order": ["subjective", "plan"],
                "sections": {
                    "subjective": {"title": "Subjective", "text": "Client reports poor sleep.",
                        "statements": [
                            {"text": "Client reports poor sleep.", "citations": [1], "flags": [], "support": 0.9, "origin": "model", "included": true},
                            {"text": "Client sleeps 9 hours.", "citations": [2], "flags": ["number_not_found:9"], "support": 0.4, "origin": "model", "included": false}
                        ]},
                    "plan": {"title": "Plan", "text": "", "statements": []}
                },
                "plan_updates": [], "proposals": [],
                "risk": {"suicidal_ideation": {"status": "not_assessed", "citations": []},
                         "plan": {"status": "not_assessed", "citations": []},
                         "intent": {"status": "not_assessed", "citations": []},
                         "homicidal_ideation": {"status": "denied", "citations": [4]},
                         "cues": [], "flags": []},
                "flags": ["risk_cue:suicidal_ideation: segment 3 mentions \"better off dead\"; review", "empty_section:plan: x"],
                "provenance": {"model": "m"}, "complete": true
            })
            .to_string(),
        )
        .unwrap()
    }

    #[test]
    fn statement_decisions_keep_the_text_in_step() {
        let mut d = doc();
        d.edit_statement(&StatementEdit {
            section: "subjective".into(),
            index: 1,
            action: "keep".into(),
            text: None,
        })
        .unwrap();
        assert!(d.sections["subjective"].text.contains("9 hours"));
        d.edit_statement(&StatementEdit {
            section: "subjective".into(),
            index: 1,
            action: "fix".into(),
            text: Some("Client sleeps 5 hours.".into()),
        })
        .unwrap();
        assert!(
            d.sections["subjective"].text.contains("5 hours")
                && !d.sections["subjective"].text.contains("9 hours")
        );
        assert_eq!(
            d.sections["subjective"].statements[1]
                .original_text
                .as_deref(),
            Some("Client sleeps 9 hours.")
        );
        d.edit_statement(&StatementEdit {
            section: "subjective".into(),
            index: 0,
            action: "delete".into(),
            text: None,
        })
        .unwrap();
        assert_eq!(d.sections["subjective"].text, "Client sleeps 5 hours.");
        assert!(d
            .edit_statement(&StatementEdit {
                section: "nope".into(),
                index: 0,
                action: "keep".into(),
                text: None
            })
            .is_err());
        assert!(d
            .edit_statement(&StatementEdit {
                section: "plan".into(),
                index: 0,
                action: "keep".into(),
                text: None
            })
            .is_err());
    }

    #[test]
    fn prose_ties_lines_to_the_statements_they_still_match() {
        let mut d = doc();
        let sec = &d.sections["subjective"];
        let p = sec.prose();
        // the included statement is its line; the held-back one follows it, outside the text
        assert_eq!(
            p.iter()
                .map(|l| (l.statement, l.in_text))
                .collect::<Vec<_>>(),
            vec![(Some(0), true), (Some(1), false)]
        );
        // a line changed by hand is the clinician's prose: no statement, so no citations;
        // whitespace alone does not break the match
        d.set_section_text(
            "subjective",
            "  Client   reports poor sleep.\nClient naps in the afternoon.",
        )
        .unwrap();
        let p = d.sections["subjective"].prose();
        assert_eq!(p[0].statement, Some(0));
        assert_eq!(p[2].statement, None);
        assert_eq!(p[2].text, "Client naps in the afternoon.");
        // a fixed statement is its new line; a deleted one stays beside the text, marked
        d.edit_statement(&StatementEdit {
            section: "subjective".into(),
            index: 1,
            action: "fix".into(),
            text: Some("Client sleeps 5 hours.".into()),
        })
        .unwrap();
        d.edit_statement(&StatementEdit {
            section: "subjective".into(),
            index: 0,
            action: "delete".into(),
            text: None,
        })
        .unwrap();
        let p = d.sections["subjective"].prose();
        let tied: Vec<_> = p
            .iter()
            .map(|l| (l.text.as_str(), l.statement, l.in_text))
            .collect();
        assert_eq!(
            tied,
            vec![
                ("Client reports poor sleep.", Some(0), false),
                ("Client naps in the afternoon.", None, true),
                ("Client sleeps 5 hours.", Some(1), true),
            ]
        );
    }

    #[test]
    fn risk_must_be_set_and_flags_acknowledged() {
        let mut d = doc();
        assert_eq!(d.unconfirmed_risk().len(), 4);
        assert_eq!(d.unacknowledged_risk_flags(), vec![0]);
        d.set_risk("suicidal_ideation", "denied").unwrap();
        assert!(d.set_risk("suicidal_ideation", "maybe").is_err());
        assert!(d.set_risk("mood", "denied").is_err());
        assert_eq!(
            d.risk.suicidal_ideation.suggested.as_deref(),
            Some("not_assessed")
        );
        d.acknowledge_flag(0, 1, "2026-01-01T00:00:00Z").unwrap();
        assert!(d.unacknowledged_risk_flags().is_empty());
        assert!(d.acknowledge_flag(9, 1, "x").is_err());
        // a cue marked not a risk keeps the reason; a reason is required, and only for cues
        assert!(d.acknowledge_flag_with(0, 1, "y", Some("  ")).is_err());
        assert!(d.acknowledge_flag_with(1, 1, "y", Some("no")).is_err());
        d.acknowledge_flag_with(0, 1, "y", Some("idiom: a video game"))
            .unwrap();
        assert!(d.flag_acks[&0].not_a_risk);
        assert_eq!(d.flag_acks[&0].at, "2026-01-01T00:00:00Z");
        assert_eq!(
            d.flag_acks[&0].reason.as_deref(),
            Some("idiom: a video game")
        );
    }

    #[test]
    fn edit_measure_counts_changed_characters() {
        let orig = doc();
        let mut d = doc();
        d.set_section_text("subjective", "Client reports poor sleep and stress.")
            .unwrap();
        let m = d.edit_measure(&orig);
        // "sleep." (6) removed, "sleep and stress." (17) added.
        assert_eq!(m["subjective"].chars_changed, 23);
        assert_eq!(m["plan"].chars_changed, 0);
    }
}
