//! Treatment plans: the rules of the typed document stored (as JSON) in each plan version
//! (its shape is the store's, `store::plan_document`, re-exported here) — normalization (ids
//! for new goals), validation and goal lookup.

use std::collections::HashSet;

use super::{Checker, Invalid};

pub use crate::store::plan_document::{
    FollowUp, Goal, GoalInstrument, GoalStatus, GoalTerm, Intervention, PlanDocument,
    ProgressEntry, Referral, ScheduledSession,
};

fn new_id(prefix: &str) -> String {
    use rand::RngCore;
    let mut b = [0u8; 4];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{prefix}-{}", hex::encode(b))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl PlanDocument {
    /// Trims text, drops empty list entries and gives new goals and interventions stable ids.
    pub fn normalized(mut self) -> PlanDocument {
        self.presenting_problems = self
            .presenting_problems
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        self.assessment_summary = self.assessment_summary.trim().to_string();
        for g in &mut self.goals {
            g.id = g.id.trim().to_string();
            if g.id.is_empty() {
                g.id = new_id("g");
            }
            g.description = g.description.trim().to_string();
            g.measure = g.measure.trim().to_string();
            if g.target_date
                .as_deref()
                .is_some_and(|d| d.trim().is_empty())
            {
                g.target_date = None;
            }
        }
        for i in &mut self.interventions {
            i.id = i.id.trim().to_string();
            if i.id.is_empty() {
                i.id = new_id("i");
            }
            i.name = i.name.trim().to_string();
        }
        for p in &mut self.progress {
            if p.goal_id.as_deref().is_some_and(|g| g.trim().is_empty()) {
                p.goal_id = None;
            }
        }
        self
    }

    /// Checks the whole document (after `normalized`); field paths look like `goals[1].target_date`.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        if self.presenting_problems.len() > 50 {
            c.add("presenting_problems", "at most 50 entries");
        }
        for (i, p) in self.presenting_problems.iter().enumerate() {
            c.max_len(&format!("presenting_problems[{i}]"), p, 1000);
        }
        c.max_len("assessment_summary", &self.assessment_summary, 20_000);
        if self.goals.len() > 100 {
            c.add("goals", "at most 100 goals");
        }
        let mut goal_ids = HashSet::new();
        for (i, g) in self.goals.iter().enumerate() {
            let f = |name: &str| format!("goals[{i}].{name}");
            if !valid_id(&g.id) {
                c.add(f("id"), "must be 1-40 letters, digits, '-' or '_'");
            } else if !goal_ids.insert(g.id.as_str()) {
                c.add(f("id"), format!("duplicate goal id `{}`", g.id));
            }
            c.required(&f("description"), &g.description, 2000);
            c.max_len(&f("measure"), &g.measure, 500);
            for (name, v) in [("baseline", g.baseline), ("target", g.target)] {
                if v.is_some_and(|x| !x.is_finite()) {
                    c.add(f(name), "must be a number");
                }
            }
            c.optional_date(&f("target_date"), &g.target_date);
        }
        let mut int_ids = HashSet::new();
        for (i, iv) in self.interventions.iter().enumerate() {
            let f = |name: &str| format!("interventions[{i}].{name}");
            if !valid_id(&iv.id) {
                c.add(f("id"), "must be 1-40 letters, digits, '-' or '_'");
            } else if !int_ids.insert(iv.id.as_str()) {
                c.add(f("id"), format!("duplicate intervention id `{}`", iv.id));
            }
            c.required(&f("name"), &iv.name, 200);
            c.max_len(&f("description"), &iv.description, 5000);
            c.max_len(&f("frequency"), &iv.frequency, 200);
            for g in &iv.goal_ids {
                if !goal_ids.contains(g.as_str()) {
                    c.add(f("goal_ids"), format!("no goal with id `{g}` in this plan"));
                }
            }
        }
        for (i, p) in self.progress.iter().enumerate() {
            let f = |name: &str| format!("progress[{i}].{name}");
            if p.date.trim().is_empty() {
                c.add(f("date"), "is required");
            } else {
                c.date(&f("date"), &p.date);
            }
            c.required(&f("text"), &p.text, 10_000);
            if let Some(g) = &p.goal_id {
                if !goal_ids.contains(g.as_str()) {
                    c.add(f("goal_id"), format!("no goal with id `{g}` in this plan"));
                }
            }
        }
        for (i, d) in self.follow_up.review_dates.iter().enumerate() {
            c.date(&format!("follow_up.review_dates[{i}]"), d);
        }
        for (i, s) in self.follow_up.scheduled_sessions.iter().enumerate() {
            c.date(&format!("follow_up.scheduled_sessions[{i}].date"), &s.date);
            if let Some(t) = s.time.as_deref().filter(|t| !t.is_empty()) {
                if let Err(r) = super::parse_time(t) {
                    c.add(format!("follow_up.scheduled_sessions[{i}].time"), r);
                }
            }
            c.max_len(
                &format!("follow_up.scheduled_sessions[{i}].note"),
                &s.note,
                1000,
            );
        }
        for (i, r) in self.follow_up.referrals.iter().enumerate() {
            c.required(&format!("follow_up.referrals[{i}].name"), &r.name, 300);
            c.max_len(&format!("follow_up.referrals[{i}].kind"), &r.kind, 100);
            c.max_len(&format!("follow_up.referrals[{i}].detail"), &r.detail, 2000);
        }
        c.finish()
    }

    /// A goal by id.
    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// The first active goal targeting a score of `instrument` (`phq9`, `gad7`, `cbi`).
    pub fn active_goal_for(&self, instrument: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| {
            g.status == GoalStatus::Active
                && g.instrument.is_some_and(|i| i.instrument() == instrument)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_goals_get_ids_and_links_are_checked() {
        let doc: PlanDocument = serde_json::from_value(serde_json::json!({
            "goals": [{"description": "Sleep 7 hours", "term": "short"}],
            "interventions": [{"name": "CBT-I", "goal_ids": ["nope"]}]
        }))
        .unwrap();
        let doc = doc.normalized();
        assert!(doc.goals[0].id.starts_with("g-"));
        let err = doc.validate().unwrap_err();
        assert_eq!(err.0[0].field, "interventions[0].goal_ids");
    }

    #[test]
    fn unknown_fields_and_bad_status_are_refused() {
        assert!(serde_json::from_str::<PlanDocument>(r#"{"goal":[]}"#).is_err());
        assert!(serde_json::from_str::<PlanDocument>(
            r#"{"goals":[{"description":"x","status":"done"}]}"#
        )
        .is_err());
    }

    #[test]
    fn the_sample_plan_is_valid() {
        let doc = crate::chart::sample::burnout_plan().normalized();
        doc.validate().unwrap();
    }
}
