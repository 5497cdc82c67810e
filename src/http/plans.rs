//! Treatment plans: `GET/PUT /api/v1/clients/{id}/plan` (each PUT is a new version),
//! `GET /api/v1/clients/{id}/plan/versions[/{version}]`, and the plan editor and history pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::extract::FormData;
use super::templates::render;
use super::{page_base, ApiJson, AppState, CurrentUser, Error, PageError, WebUser};
use crate::audit::Event;
use crate::chart::plan::{
    FollowUp, GoalInstrument, GoalStatus, GoalTerm, Intervention, ProgressEntry, Referral,
    ScheduledSession,
};
use crate::chart::{FieldError, Goal, PlanDocument};
use crate::store::{Client, PlanChange, PlanVersion};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients/{id}/plan", get(api_get).put(api_put))
        .route("/api/v1/clients/{id}/plan/versions", get(api_versions))
        .route(
            "/api/v1/clients/{id}/plan/versions/{version}",
            get(api_version),
        )
        .route("/clients/{id}/plan/edit", get(edit_page))
        .route("/clients/{id}/plan", axum::routing::post(edit_submit))
        .route("/clients/{id}/plan/versions/{version}", get(version_page))
}

/// Body of `PUT /api/v1/clients/{id}/plan`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanPut {
    /// Why the plan changed (shown in the history).
    #[serde(default)]
    pub reason: String,
    /// The version this edit started from; a stale one answers 409.
    #[serde(default)]
    pub base_version: Option<i64>,
    /// The note this change came from (provenance), if any.
    #[serde(default)]
    pub source_note_id: Option<i64>,
    pub plan: PlanDocument,
}

/// Validates and saves a new plan version for `client` (from [`AppState::client_for`]: one
/// `user` may see).
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    plan: PlanDocument,
    change: PlanChange,
) -> Result<PlanVersion, Error> {
    let client_id = client.id;
    let plan = plan.normalized();
    plan.validate()?;
    if change.reason.chars().count() > 1000 {
        return Err(Error::field("reason", "must be at most 1000 characters"));
    }
    if let Some(note_id) = change.source_note_id {
        if state.within(client).note(note_id).await?.is_none() {
            return Err(Error::field(
                "source_note_id",
                "no such note for this client",
            ));
        }
    }
    Ok(state
        .store
        .save_plan(&user.actor(), client_id, user.id(), &plan, &change)
        .await?)
}

async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<PlanVersion>, Error> {
    let client = state.client_for(&user, id).await?;
    let plan = state
        .within(&client)
        .current_plan()
        .await?
        .ok_or(Error::NotFound("treatment plan"))?;
    state
        .audit(
            &user,
            Event::new("plan.view", "plan_version", plan.id)
                .client(id)
                .detail(serde_json::json!({"version": plan.version})),
        )
        .await?;
    Ok(Json(plan))
}

async fn api_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PlanPut>,
) -> Result<Response, Error> {
    let client = state.client_for(&user, id).await?;
    let change = PlanChange {
        reason: body.reason,
        source_note_id: body.source_note_id,
        base_version: body.base_version,
    };
    let v = save(&state, &user, &client, body.plan, change).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn api_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Error> {
    let client = state.client_for(&user, id).await?;
    let versions = state.within(&client).plan_versions().await?;
    state
        .audit(&user, Event::new("plan.history", "client", id).client(id))
        .await?;
    Ok(Json(serde_json::json!({ "versions": versions })))
}

async fn api_version(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Json<PlanVersion>, Error> {
    let client = state.client_for(&user, id).await?;
    let v = state
        .within(&client)
        .plan_version(version)
        .await?
        .ok_or(Error::NotFound("plan version"))?;
    state
        .audit(
            &user,
            Event::new("plan.view", "plan_version", v.id)
                .client(id)
                .detail(serde_json::json!({"version": version})),
        )
        .await?;
    Ok(Json(v))
}

// ----- Pages ----------------------------------------------------------------------------------

/// Blank rows offered after the existing ones in the editor.
const BLANK_ROWS: usize = 2;

async fn edit_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let current = state.within(&client).current_plan().await?;
    state
        .audit(&user, Event::new("plan.view", "client", id).client(id))
        .await?;
    let base = current.as_ref().map(|p| p.version).unwrap_or(0);
    let plan = current.map(|p| p.plan).unwrap_or_default();
    Ok(plan_form(
        &user,
        &client.full_name,
        id,
        base,
        &plan,
        "",
        &[],
        StatusCode::OK,
    )?)
}

#[allow(clippy::too_many_arguments)]
fn plan_form(
    user: &CurrentUser,
    client_name: &str,
    client_id: i64,
    base_version: i64,
    plan: &PlanDocument,
    reason: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, Error> {
    let mut goals = plan.goals.clone();
    goals.extend((0..BLANK_ROWS).map(|_| Goal::default()));
    let mut interventions = plan.interventions.clone();
    interventions.extend((0..BLANK_ROWS).map(|_| Intervention::default()));
    let mut progress = plan.progress.clone();
    progress.extend((0..BLANK_ROWS).map(|_| ProgressEntry::default()));
    let mut sched = plan.follow_up.scheduled_sessions.clone();
    sched.extend((0..BLANK_ROWS).map(|_| ScheduledSession::default()));
    let mut referrals = plan.follow_up.referrals.clone();
    referrals.extend((0..BLANK_ROWS).map(|_| Referral::default()));
    let errors = super::templates::errors_by_field(errors);
    let html = render(
        "plan_form.html",
        minijinja::context! {
            title => format!("Treatment plan: {client_name}"),
            client_id => client_id,
            client_name => client_name,
            base_version => base_version,
            presenting_problems => plan.presenting_problems.join("\n"),
            assessment_summary => &plan.assessment_summary,
            goals => goals,
            interventions => interventions,
            progress => progress,
            review_dates => plan.follow_up.review_dates.join("\n"),
            scheduled_sessions => sched,
            referrals => referrals,
            reason => reason,
            errors => errors,
            instruments => GoalInstrument::ALL.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
            statuses => GoalStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ..page_base(user)
        },
    )?;
    Ok((status, html).into_response())
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn number(f: &FormData, name: &str, field: String, errors: &mut Vec<FieldError>) -> Option<f64> {
    let v = f.get(name);
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            errors.push(FieldError::new(field, "must be a number"));
            None
        }
    }
}

fn opt(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// Builds a plan from the editor's fields (`goal_{i}_description`, ...). Rows left blank are
/// skipped. Errors are for fields that cannot even be parsed (numbers, enumerations).
pub fn plan_from_form(f: &FormData) -> (PlanDocument, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut doc = PlanDocument {
        presenting_problems: lines(&f.text("presenting_problems")),
        assessment_summary: f.text("assessment_summary").trim().to_string(),
        ..Default::default()
    };
    let mut i = 0;
    while f.has(&format!("goal_{i}_description")) {
        let g = |n: &str| f.get(&format!("goal_{i}_{n}"));
        let (id, description) = (g("id"), g("description"));
        if !(id.is_empty() && description.is_empty()) {
            let n = doc.goals.len();
            let field = |name: &str| format!("goals[{n}].{name}");
            let instrument = match g("instrument").as_str() {
                "" => None,
                s => GoalInstrument::parse(s).or_else(|| {
                    errors.push(FieldError::new(field("instrument"), "unknown instrument"));
                    None
                }),
            };
            let term = if g("term") == "long" {
                GoalTerm::Long
            } else {
                GoalTerm::Short
            };
            let status = match GoalStatus::ALL.iter().find(|s| s.as_str() == g("status")) {
                Some(s) => *s,
                None => GoalStatus::Active,
            };
            doc.goals.push(Goal {
                id,
                description,
                measure: g("measure"),
                instrument,
                baseline: number(
                    f,
                    &format!("goal_{i}_baseline"),
                    field("baseline"),
                    &mut errors,
                ),
                target: number(f, &format!("goal_{i}_target"), field("target"), &mut errors),
                target_date: opt(g("target_date")),
                term,
                status,
            });
        }
        i += 1;
    }
    let mut i = 0;
    while f.has(&format!("int_{i}_name")) {
        let g = |n: &str| f.get(&format!("int_{i}_{n}"));
        if !(g("id").is_empty() && g("name").is_empty()) {
            doc.interventions.push(Intervention {
                id: g("id"),
                name: g("name"),
                description: f.text(&format!("int_{i}_description")).trim().to_string(),
                frequency: g("frequency"),
                goal_ids: f
                    .all(&format!("int_{i}_goals"))
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect(),
            });
        }
        i += 1;
    }
    let mut i = 0;
    while f.has(&format!("prog_{i}_text")) {
        let g = |n: &str| f.get(&format!("prog_{i}_{n}"));
        if !(g("text").is_empty() && g("date").is_empty()) {
            doc.progress.push(ProgressEntry {
                date: g("date"),
                goal_id: opt(g("goal")),
                text: g("text"),
            });
        }
        i += 1;
    }
    let mut fu = FollowUp {
        review_dates: lines(&f.text("review_dates")),
        ..Default::default()
    };
    let mut i = 0;
    while f.has(&format!("sched_{i}_date")) {
        let g = |n: &str| f.get(&format!("sched_{i}_{n}"));
        if !(g("date").is_empty() && g("note").is_empty()) {
            fu.scheduled_sessions.push(ScheduledSession {
                date: g("date"),
                time: opt(g("time")),
                note: g("note"),
            });
        }
        i += 1;
    }
    let mut i = 0;
    while f.has(&format!("ref_{i}_name")) {
        let g = |n: &str| f.get(&format!("ref_{i}_{n}"));
        if !(g("name").is_empty() && g("detail").is_empty()) {
            fu.referrals.push(Referral {
                name: g("name"),
                kind: g("kind"),
                detail: g("detail"),
            });
        }
        i += 1;
    }
    doc.follow_up = fu;
    (doc, errors)
}

async fn edit_submit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    let client = state.client_for(&user, id).await?;
    let (plan, mut errors) = plan_from_form(&form);
    let base_version = form.get("base_version").parse::<i64>().ok();
    let reason = form.get("reason");
    let plan = plan.normalized();
    if let Err(inv) = plan.validate() {
        errors.extend(inv.0);
    }
    if errors.is_empty() {
        let change = PlanChange {
            reason: reason.clone(),
            source_note_id: None,
            base_version,
        };
        match save(&state, &user, &client, plan.clone(), change).await {
            Ok(_) => return Ok(Redirect::to(&format!("/clients/{id}#plan")).into_response()),
            Err(Error::Validation(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(plan_form(
        &user,
        &client.full_name,
        id,
        base_version.unwrap_or(0),
        &plan,
        &reason,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )?)
}

async fn version_page(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Html<String>, PageError> {
    let client = state.client_for(&user, id).await?;
    let chart = state.within(&client);
    let v = chart
        .plan_version(version)
        .await?
        .ok_or(Error::NotFound("plan version"))?;
    let previous = if version > 1 {
        chart.plan_version(version - 1).await?
    } else {
        None
    };
    state
        .audit(
            &user,
            Event::new("plan.view", "plan_version", v.id)
                .client(id)
                .detail(serde_json::json!({"version": version})),
        )
        .await?;
    let changes = previous
        .as_ref()
        .map(|p| goal_changes(&p.plan, &v.plan))
        .unwrap_or_default();
    Ok(render(
        "plan_version.html",
        minijinja::context! {
            title => format!("Plan version {version}"),
            client => &client,
            v => &v,
            changes => changes, ..page_base(&user)
        },
    )?)
}

/// Human-readable goal changes between two versions (status changes, added, removed).
pub fn goal_changes(old: &PlanDocument, new: &PlanDocument) -> Vec<String> {
    let mut out = Vec::new();
    for g in &new.goals {
        match old.goal(&g.id) {
            None => out.push(format!("Goal added: {}", g.description)),
            Some(o) if o.status != g.status => out.push(format!(
                "Goal \"{}\": {} → {}",
                g.description,
                o.status.as_str(),
                g.status.as_str()
            )),
            Some(o) if o != g => out.push(format!("Goal edited: {}", g.description)),
            _ => {}
        }
    }
    for o in &old.goals {
        if new.goal(&o.id).is_none() {
            out.push(format!("Goal removed: {}", o.description));
        }
    }
    if old.interventions != new.interventions {
        out.push("Interventions changed".into());
    }
    if old.follow_up != new.follow_up {
        out.push("Follow-up changed".into());
    }
    if old.progress != new.progress {
        out.push("Progress entries changed".into());
    }
    if old.presenting_problems != new.presenting_problems
        || old.assessment_summary != new.assessment_summary
    {
        out.push("Presenting problems or assessment changed".into());
    }
    out
}
