//! Review, signature, lock and addenda of progress notes: the review working copy and its
//! operations ([`review`]), the word diff and edit measure ([`diff`]), canonical JSON and its
//! SHA-256 ([`canonical`]), note states, the signed content, and how accepted plan updates and
//! proposals change the treatment plan. The operations on a stored note, each one write
//! transaction: changing a draft's working copy (`drafts`), deciding its plan updates and
//! proposals (`decide`), signing, co-signing, returning, addenda and process notes (`sign`).
//! Their rows are written by `store::{drafts, notes, plans}` from the values decided here;
//! HTTP is `http::{drafts, notes}`.
//!
//! # States
//! A draft row is `pending`/`drafting` while the job runs, `ready` when drafted, `in_review`
//! after the first clinician change and `signed` once signed. Its note row (created with the
//! draft, or on first review action) goes `draft` → `in_review` → `signed` (or
//! `awaiting_cosign` for a supervisee, then `signed` on co-signature or back to `in_review`
//! when returned) → `amended` once an addendum is appended. A signed note is immutable (the
//! database triggers refuse UPDATE and DELETE); changes after signing are addenda.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Canonical JSON and its hash (a leaf utility the audit log also uses).
pub use crate::crypto::canonical;
mod decide;
pub mod diff;
mod drafts;
pub mod review;
mod sign;

pub use decide::{decide, DecisionTarget};
pub use drafts::{draft_in, ensure_editable, insert_draft_in, update_review, write_review_in};
pub use review::{ReviewDoc, StatementEdit};
pub use sign::{add_addendum, cosign_note, return_note, set_process_note, sign_draft};

use crate::chart::plan::{
    GoalStatus as PlanGoalStatus, Intervention, ProgressEntry, Referral, ScheduledSession,
};
use crate::chart::{Goal, PlanDocument};

/// What the clinician attests to when signing.
pub const ATTESTATION: &str = "I have reviewed this note and it accurately reflects the session";
/// What the signer of an addendum attests to.
pub const ADDENDUM_ATTESTATION: &str = "I am the author of this addendum to a signed note";
/// What a supervisor attests to when co-signing.
pub const COSIGN_ATTESTATION: &str = "I have reviewed this note as the supervising clinician";
/// Version of the signed-content schema (in the content itself).
pub const CONTENT_SCHEMA: &str = "noted.note/1";
/// Longest addendum (characters).
pub const MAX_ADDENDUM_CHARS: usize = 20_000;
/// Longest process note (characters).
pub const MAX_PROCESS_NOTE_CHARS: usize = 50_000;

/// Errors of note review and signature.
#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("stored note data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

pub use crate::store::notes::NoteState;

/// Everything about a note besides the review copy that goes into its signed content.
#[derive(Debug, Clone, Serialize)]
pub struct SignContext {
    pub note_id: i64,
    pub client_id: i64,
    pub therapy_session_id: Option<i64>,
    pub session_date: Option<String>,
    pub draft_id: i64,
    pub transcript_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub signed_at: String,
    pub format_name: String,
    /// The source segments citations can point at (transcript segments as corrected at
    /// signature, or a typed summary's sentences), by id; those cited are frozen into the
    /// signed content.
    pub sources: std::collections::BTreeMap<u32, CitedSource>,
}

/// A cited segment as it read when the note was signed (read by the store).
pub use crate::store::notes::CitedSource;

/// Checks that a review copy may be signed: no unacknowledged risk flag, every risk item set
/// explicitly, at least one section with text.
pub fn check_signable(doc: &ReviewDoc) -> Result<(), NoteError> {
    let flags = doc.unacknowledged_risk_flags();
    if !flags.is_empty() {
        return Err(NoteError::Conflict(format!(
            "cannot sign: {} risk flag(s) not acknowledged (flags {}); acknowledge each with POST /api/v1/drafts/{{id}}/flags/{{n}}/acknowledge",
            flags.len(),
            flags.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
        )));
    }
    let unset = doc.unconfirmed_risk();
    if !unset.is_empty() {
        return Err(NoteError::Conflict(format!(
            "cannot sign: set the risk fields explicitly first ({}: endorsed, denied or not_assessed)",
            unset.join(", ")
        )));
    }
    if doc.sections.values().all(|s| s.text.trim().is_empty()) {
        return Err(NoteError::Conflict("cannot sign an empty note".into()));
    }
    Ok(())
}

/// The content that is signed (and hashed): the reviewed note without drafting internals,
/// review decisions, the edit measure and where the draft came from. Process notes are never
/// part of it.
pub fn signed_content(doc: &ReviewDoc, original: &ReviewDoc, ctx: &SignContext) -> Value {
    let sections: serde_json::Map<String, Value> = doc
        .ordered_keys()
        .into_iter()
        .map(|k| {
            let s = &doc.sections[&k];
            let statements: Vec<Value> = s
                .statements
                .iter()
                .filter(|st| st.included && st.decision != Some(review::StatementDecision::Delete))
                .map(|st| json!({"text": st.text, "citations": st.citations}))
                .collect();
            (
                k,
                json!({"title": s.title, "text": s.text, "statements": statements}),
            )
        })
        .collect();
    let risk: serde_json::Map<String, Value> = review::RISK_ITEMS
        .iter()
        .map(|n| {
            let i = doc.risk.item(n).cloned().unwrap_or_default();
            (
                n.to_string(),
                json!({"status": i.status, "citations": i.citations}),
            )
        })
        .collect();
    let plan_updates: Vec<Value> = doc
        .plan_updates
        .iter()
        .filter(|u| u.decision.is_some())
        .map(|u| json!({"goal_id": u.goal_id, "goal": u.goal, "status": u.status, "evidence": u.evidence, "citations": u.citations,
                        "decision": u.decision, "plan_version": u.plan_version}))
        .collect();
    let proposals: Vec<Value> = doc
        .proposals
        .iter()
        .filter(|p| p.decision.is_some())
        .map(|p| json!({"kind": p.kind, "text": p.text, "citations": p.citations, "decision": p.decision, "plan_version": p.plan_version}))
        .collect();
    let acks: Vec<Value> = doc
        .flag_acks
        .iter()
        .filter_map(|(i, a)| {
            doc.flags.get(*i).map(|f| {
                let mut j = json!({"flag": f, "by": a.by, "at": a.at});
                if a.not_a_risk {
                    j["not_a_risk"] = json!(true);
                    j["reason"] = json!(a.reason);
                }
                j
            })
        })
        .collect();
    // The text every citation points at, frozen: later transcript corrections cannot change
    // what the signature covers.
    let mut cited_ids = std::collections::BTreeSet::new();
    let mut collect = |v: &Value| {
        if let Some(ids) = v.get("citations").and_then(Value::as_array) {
            cited_ids.extend(ids.iter().filter_map(Value::as_u64));
        }
    };
    for sec in sections.values() {
        sec["statements"]
            .as_array()
            .into_iter()
            .flatten()
            .for_each(&mut collect);
    }
    risk.values().for_each(&mut collect);
    plan_updates.iter().for_each(&mut collect);
    proposals.iter().for_each(&mut collect);
    let cited: serde_json::Map<String, Value> = cited_ids
        .into_iter()
        .filter_map(|id| {
            let src = ctx.sources.get(&u32::try_from(id).ok()?)?;
            Some((id.to_string(), json!(src)))
        })
        .collect();
    let p = &doc.provenance;
    let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    json!({
        "schema": CONTENT_SCHEMA,
        "cited": cited,
        "note_id": ctx.note_id,
        "client_id": ctx.client_id,
        "therapy_session_id": ctx.therapy_session_id,
        "session_date": ctx.session_date,
        "draft_id": ctx.draft_id,
        "transcript_id": ctx.transcript_id,
        "format": doc.format,
        "format_name": ctx.format_name,
        "section_order": doc.ordered_keys(),
        "sections": sections,
        "risk": risk,
        "plan_updates": plan_updates,
        "proposals": proposals,
        "flags_acknowledged": acks,
        "edit_measure": doc.edit_measure(original),
        "ai": {
            "model": s("model"),
            "model_sha256": s("model_sha256"),
            "prompt_version": s("prompt_version"),
            "format_version": s("format_version"),
            "drafted_at": s("created_at"),
            "redrafted_sections": doc.redrafts.iter().map(|r| r.section.clone()).collect::<Vec<_>>(),
        },
        "author": {"id": ctx.author_id, "name": ctx.author_name},
        "signed_at": ctx.signed_at,
        "attestation": ATTESTATION,
    })
}

/// What the clinician may change when accepting a plan update.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptEdit {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    /// Proposals: edited text.
    #[serde(default)]
    pub text: Option<String>,
    /// Proposals of kind `next_session`: the date (`YYYY-MM-DD`) to schedule.
    #[serde(default)]
    pub date: Option<String>,
}

/// Goal statuses a plan update can carry.
pub const UPDATE_STATUSES: [&str; 4] = ["met", "progressing", "not_met", "not_addressed"];

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Applies an accepted plan update to `plan`: a progress entry for the goal citing the note,
/// and status `met` when the update says so. Returns the reason of the new version.
pub fn apply_plan_update(
    plan: &mut PlanDocument,
    goal_id: &str,
    status: &str,
    evidence: &str,
    note_id: i64,
    date: &str,
) -> Result<String, NoteError> {
    if !UPDATE_STATUSES.contains(&status) {
        return Err(NoteError::Invalid {
            field: "status".into(),
            reason: format!("`{status}` is not one of {}", UPDATE_STATUSES.join(", ")),
        });
    }
    let goal = plan
        .goals
        .iter_mut()
        .find(|g| g.id == goal_id)
        .ok_or_else(|| {
            NoteError::Conflict(format!(
                "the treatment plan has no goal `{goal_id}` any more"
            ))
        })?;
    if status == "met" {
        goal.status = PlanGoalStatus::Met;
    }
    let label = status.replace('_', " ");
    let text = if evidence.trim().is_empty() {
        format!("{label} (from note {note_id})")
    } else {
        format!(
            "{label}: {} (from note {note_id})",
            first_chars(evidence.trim(), 9000)
        )
    };
    plan.progress.push(ProgressEntry {
        date: date.to_string(),
        goal_id: Some(goal_id.to_string()),
        text,
    });
    Ok(format!("from note {note_id}: goal {goal_id} {label}"))
}

/// Applies an accepted proposal to `plan`. Returns the reason of the new version.
pub fn apply_proposal(
    plan: &mut PlanDocument,
    kind: &str,
    text: &str,
    date: Option<&str>,
    note_id: i64,
    today: &str,
) -> Result<String, NoteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NoteError::Invalid {
            field: "text".into(),
            reason: "is required".into(),
        });
    }
    match kind {
        "next_session" => match date.filter(|d| !d.trim().is_empty()) {
            Some(d) => {
                crate::chart::parse_date(d).map_err(|reason| NoteError::Invalid {
                    field: "date".into(),
                    reason,
                })?;
                plan.follow_up.scheduled_sessions.push(ScheduledSession {
                    date: d.trim().to_string(),
                    time: None,
                    note: first_chars(&format!("{text} (from note {note_id})"), 1000),
                });
            }
            None => plan.progress.push(ProgressEntry {
                date: today.to_string(),
                goal_id: None,
                text: format!(
                    "Next session: {} (from note {note_id})",
                    first_chars(text, 9000)
                ),
            }),
        },
        "homework" => plan.progress.push(ProgressEntry {
            date: today.to_string(),
            goal_id: None,
            text: format!(
                "Homework: {} (from note {note_id})",
                first_chars(text, 9000)
            ),
        }),
        "referral" => plan.follow_up.referrals.push(Referral {
            name: first_chars(text, 300),
            kind: "referral".into(),
            detail: format!("from note {note_id}"),
        }),
        "intervention" => plan.interventions.push(Intervention {
            id: String::new(),
            name: first_chars(text, 200),
            description: format!("from note {note_id}"),
            frequency: String::new(),
            goal_ids: Vec::new(),
        }),
        "new_goal" => plan.goals.push(Goal {
            description: first_chars(text, 2000),
            measure: String::new(),
            ..Default::default()
        }),
        other => {
            return Err(NoteError::Invalid {
                field: "kind".into(),
                reason: format!("unknown proposal kind `{other}`"),
            })
        }
    }
    Ok(format!(
        "from note {note_id}: {} accepted",
        kind.replace('_', " ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_updates_and_proposals_change_the_plan() {
        let mut plan = PlanDocument {
            goals: vec![Goal {
                id: "g-1".into(),
                description: "Sleep 7 hours".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let r = apply_plan_update(
            &mut plan,
            "g-1",
            "met",
            "Client sleeps 7 hours now.",
            5,
            "2026-01-02",
        )
        .unwrap();
        assert!(r.contains("from note 5"));
        assert_eq!(plan.goals[0].status, PlanGoalStatus::Met);
        assert_eq!(plan.progress[0].goal_id.as_deref(), Some("g-1"));
        assert!(apply_plan_update(&mut plan, "g-9", "met", "", 5, "2026-01-02").is_err());
        assert!(apply_plan_update(&mut plan, "g-1", "done", "", 5, "2026-01-02").is_err());
        apply_proposal(
            &mut plan,
            "next_session",
            "Meet again next week",
            Some("2026-01-09"),
            5,
            "2026-01-02",
        )
        .unwrap();
        apply_proposal(&mut plan, "referral", "Sleep clinic", None, 5, "2026-01-02").unwrap();
        apply_proposal(&mut plan, "new_goal", "Walk daily", None, 5, "2026-01-02").unwrap();
        assert_eq!(plan.follow_up.scheduled_sessions[0].date, "2026-01-09");
        let plan = plan.normalized();
        plan.validate().unwrap();
        assert!(apply_proposal(
            &mut plan.clone(),
            "next_session",
            "x",
            Some("soon"),
            5,
            "2026-01-02"
        )
        .is_err());
    }

    #[test]
    fn states_round_trip() {
        // as_str (bound in SQL) and the serde/sqlx names are the stored values
        for (state, s) in NoteState::ALL.into_iter().zip([
            "draft",
            "in_review",
            "awaiting_cosign",
            "signed",
            "amended",
        ]) {
            assert_eq!(state.as_str(), s);
            assert_eq!(serde_json::to_value(state).unwrap(), s);
        }
        assert!(NoteState::Signed.is_locked() && !NoteState::InReview.is_locked());
    }
}
