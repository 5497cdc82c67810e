//! The treatment plan document as stored (as JSON) in each plan version: presenting
//! problems, assessment summary, SMART goals with stable ids, interventions linked to goals,
//! progress entries and follow-up. Its rules (normalization, validation, goal lookup) are the
//! chart's (`chart::plan`), which re-exports these types.

use serde::{Deserialize, Serialize};

/// A whole treatment plan. Unknown fields are refused so typos never vanish silently.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    #[serde(default)]
    pub presenting_problems: Vec<String>,
    #[serde(default)]
    pub assessment_summary: String,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub interventions: Vec<Intervention>,
    #[serde(default)]
    pub progress: Vec<ProgressEntry>,
    #[serde(default)]
    pub follow_up: FollowUp,
}

/// A SMART goal. `id` is stable across versions (assigned on first save when empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    #[serde(default)]
    pub id: String,
    pub description: String,
    /// How progress is measured, in words (e.g. "PHQ-9 total").
    #[serde(default)]
    pub measure: String,
    /// The standardised score this goal targets, so entered measures link to it.
    #[serde(default)]
    pub instrument: Option<GoalInstrument>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub target_date: Option<String>,
    #[serde(default)]
    pub term: GoalTerm,
    #[serde(default)]
    pub status: GoalStatus,
}

/// Short- or long-term goal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalTerm {
    #[default]
    Short,
    Long,
}

/// Where a goal stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalStatus {
    #[default]
    Active,
    Met,
    Revised,
    Discontinued,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 4] = [
        GoalStatus::Active,
        GoalStatus::Met,
        GoalStatus::Revised,
        GoalStatus::Discontinued,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Active => "active",
            GoalStatus::Met => "met",
            GoalStatus::Revised => "revised",
            GoalStatus::Discontinued => "discontinued",
        }
    }
}

/// A score a goal can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalInstrument {
    Phq9,
    Gad7,
    CbiPersonal,
    CbiWork,
    CbiClient,
}

impl GoalInstrument {
    pub const ALL: [GoalInstrument; 5] = [
        GoalInstrument::Phq9,
        GoalInstrument::Gad7,
        GoalInstrument::CbiPersonal,
        GoalInstrument::CbiWork,
        GoalInstrument::CbiClient,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            GoalInstrument::Phq9 => "phq9",
            GoalInstrument::Gad7 => "gad7",
            GoalInstrument::CbiPersonal => "cbi_personal",
            GoalInstrument::CbiWork => "cbi_work",
            GoalInstrument::CbiClient => "cbi_client",
        }
    }
    /// The measure instrument (`phq9`, `gad7`, `cbi`) this score comes from.
    pub fn instrument(self) -> &'static str {
        match self {
            GoalInstrument::Phq9 => "phq9",
            GoalInstrument::Gad7 => "gad7",
            _ => "cbi",
        }
    }
    pub fn parse(s: &str) -> Option<GoalInstrument> {
        GoalInstrument::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// A treatment intervention (e.g. CBT, mindfulness) and the goals it serves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub goal_ids: Vec<String>,
}

/// A dated progress entry, optionally about one goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressEntry {
    pub date: String,
    #[serde(default)]
    pub goal_id: Option<String>,
    pub text: String,
}

/// Follow-up: review dates, scheduled sessions, referrals and resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    #[serde(default)]
    pub review_dates: Vec<String>,
    #[serde(default)]
    pub scheduled_sessions: Vec<ScheduledSession>,
    #[serde(default)]
    pub referrals: Vec<Referral>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledSession {
    pub date: String,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A referral or resource given to the client.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub name: String,
    /// e.g. "referral", "resource", "self-help".
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub detail: String,
}
