//! The clinician's decisions on a draft's plan updates and proposals: an accepted one changes
//! the treatment plan (a new plan version citing the note), all in the review's write
//! transaction with its audit row.

use crate::store::WriteTx;
use serde_json::json;

use super::drafts::{draft_in, ensure_editable, write_review_in};
use super::review::{Decided, Decision};
use super::{apply_plan_update, apply_proposal, AcceptEdit, NoteError, ReviewDoc};
use crate::audit::{self, Actor, Event};
use crate::chart::PlanDocument;
use crate::store::notes::session_date_in;
use crate::store::plans::{self, NotePlanVersion};
use crate::store::Store;

/// Which list a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionTarget {
    PlanUpdate,
    Proposal,
}

/// The client's current treatment plan and its version (0 and an empty plan before the first).
async fn current_plan_in(
    conn: &mut WriteTx,
    client_id: i64,
) -> Result<(i64, PlanDocument), NoteError> {
    match plans::current_plan_in(conn, client_id).await? {
        Some((v, doc)) => Ok((
            v,
            serde_json::from_str(&doc)
                .map_err(|e| NoteError::Corrupt(format!("treatment plan: {e}")))?,
        )),
        None => Ok((0, PlanDocument::default())),
    }
}

/// Inserts the next plan version (normalized and validated) citing `note_id`; returns the
/// version number.
#[allow(clippy::too_many_arguments)]
async fn insert_plan_version_in(
    conn: &mut WriteTx,
    actor: &Actor,
    client_id: i64,
    author_id: i64,
    base: i64,
    plan: PlanDocument,
    reason: &str,
    note_id: i64,
) -> Result<i64, NoteError> {
    let plan = plan.normalized();
    plan.validate().map_err(|inv| NoteError::Invalid {
        field: inv
            .0
            .first()
            .map(|f| f.field.clone())
            .unwrap_or_else(|| "plan".into()),
        reason: inv.to_string(),
    })?;
    let document = serde_json::to_string(&plan).map_err(|e| NoteError::Corrupt(e.to_string()))?;
    let version = base + 1;
    let v = NotePlanVersion {
        client_id,
        author_id,
        version,
        document: &document,
        reason,
        note_id,
    };
    plans::insert_note_plan_version_in(conn, actor, &v).await?;
    Ok(version)
}

/// Accepts or rejects plan update / proposal `n` of a draft. An accepted one writes a new
/// plan version whose `source_note_id` is the draft's note (same transaction). Returns the
/// new working copy and the plan version created, if any.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    store: &Store,
    actor: &Actor,
    draft_id: i64,
    target: DecisionTarget,
    n: usize,
    accept: bool,
    edit: &AcceptEdit,
    user_id: i64,
) -> Result<(ReviewDoc, Option<i64>), NoteError> {
    let mut tx = store.begin_write().await?;
    let row = draft_in(&mut tx, draft_id).await?;
    ensure_editable(&row)?;
    let mut doc = row.working()?;
    let note_id = row.note_id.ok_or(NoteError::NotFound("note"))?;
    let at = crate::store::now();
    let (_, session_date) = session_date_in(&mut tx, &row).await?;
    let date = session_date.unwrap_or_else(crate::store::today);
    let what = match target {
        DecisionTarget::PlanUpdate => "plan update",
        DecisionTarget::Proposal => "proposal",
    };
    let already = match target {
        DecisionTarget::PlanUpdate => doc.plan_updates.get(n).map(|u| u.decision),
        DecisionTarget::Proposal => doc.proposals.get(n).map(|p| p.decision),
    };
    match already {
        None => return Err(NoteError::NotFound(what)),
        Some(Some(d)) => {
            return Err(NoteError::Conflict(format!(
                "{what} {n} was already {}",
                if d == Decision::Accepted {
                    "accepted"
                } else {
                    "rejected"
                }
            )))
        }
        Some(None) => {}
    }
    let mut version = None;
    if accept {
        let (base, mut plan) = current_plan_in(&mut tx, row.client_id).await?;
        let reason = match target {
            DecisionTarget::PlanUpdate => {
                let u = &mut doc.plan_updates[n];
                if let Some(s) = &edit.status {
                    u.status = s.trim().to_string();
                }
                if let Some(e) = &edit.evidence {
                    u.evidence = e.trim().to_string();
                }
                if base == 0 {
                    return Err(NoteError::Conflict(
                        "the client has no treatment plan to update".into(),
                    ));
                }
                apply_plan_update(
                    &mut plan,
                    &u.goal_id,
                    &u.status,
                    &u.evidence,
                    note_id,
                    &date,
                )?
            }
            DecisionTarget::Proposal => {
                let p = &mut doc.proposals[n];
                if let Some(t) = edit.text.as_deref().filter(|t| !t.trim().is_empty()) {
                    p.text = t.trim().to_string();
                }
                apply_proposal(
                    &mut plan,
                    &p.kind,
                    &p.text,
                    edit.date.as_deref(),
                    note_id,
                    &date,
                )?
            }
        };
        version = Some(
            insert_plan_version_in(
                &mut tx,
                actor,
                row.client_id,
                user_id,
                base,
                plan,
                &reason,
                note_id,
            )
            .await?,
        );
    }
    let decided = Some(Decided { by: user_id, at });
    let decision = Some(if accept {
        Decision::Accepted
    } else {
        Decision::Rejected
    });
    match target {
        DecisionTarget::PlanUpdate => {
            let u = &mut doc.plan_updates[n];
            u.decision = decision;
            u.decided = decided;
            u.plan_version = version;
        }
        DecisionTarget::Proposal => {
            let p = &mut doc.proposals[n];
            p.decision = decision;
            p.decided = decided;
            p.plan_version = version;
        }
    }
    write_review_in(&mut tx, &row, &doc).await?;
    let action = match (target, accept) {
        (DecisionTarget::PlanUpdate, true) => "draft.plan_update.accept",
        (DecisionTarget::PlanUpdate, false) => "draft.plan_update.reject",
        (DecisionTarget::Proposal, true) => "draft.proposal.accept",
        (DecisionTarget::Proposal, false) => "draft.proposal.reject",
    };
    let ev = Event::new(action, "draft", draft_id)
        .client(row.client_id)
        .detail(json!({"index": n, "note_id": note_id, "plan_version": version}));
    audit::append(&mut tx, actor, &ev).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok((doc, version))
}
