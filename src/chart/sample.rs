//! A sample client with a full burnout treatment plan, for `noted demo` and tests.
//! Entirely fictional.

use super::client::ClientInput;
use super::plan::*;

/// A fictional client profile.
pub fn sample_client() -> ClientInput {
    ClientInput {
        full_name: "Alex Demo".into(),
        date_of_birth: "1988-04-12".into(),
        phone: "555-0100".into(),
        email: "alex.demo@example.org".into(),
        address: "1 Example Street, Springfield".into(),
        insurance_provider: "Example Health".into(),
        insurance_member_id: "EX-000123".into(),
        emergency_contact_name: "Sam Demo".into(),
        emergency_contact_relationship: "partner".into(),
        emergency_contact_phone: "555-0101".into(),
        medical_history: "Mild hypertension (no medication). Sleep difficulties for 6 months. No prior psychiatric treatment.".into(),
        clinician_id: None,
    }
}

/// A full burnout treatment plan: SMART goals tied to the CBI, PHQ-9 and GAD-7, interventions
/// (CBT, mindfulness, assertiveness training, time management) linked to goals, follow-up.
pub fn burnout_plan() -> PlanDocument {
    PlanDocument {
        presenting_problems: vec![
            "Work-related exhaustion and cynicism over the past 8 months".into(),
            "Difficulty sleeping (early waking)".into(),
            "Low mood and irritability at home".into(),
        ],
        assessment_summary: "Presentation consistent with occupational burnout with moderate depressive symptoms and mild anxiety; no current risk indicators. Strengths: supportive partner, motivated for change.".into(),
        goals: vec![
            Goal {
                id: "g-burnout".into(),
                description: "Reduce work-related burnout to the moderate range within 12 weeks".into(),
                measure: "CBI work-related subscale".into(),
                instrument: Some(GoalInstrument::CbiWork),
                baseline: Some(78.6),
                target: Some(60.0),
                target_date: Some("2026-03-01".into()),
                term: GoalTerm::Short,
                status: GoalStatus::Active,
            },
            Goal {
                id: "g-mood".into(),
                description: "Reduce depressive symptoms to the mild range".into(),
                measure: "PHQ-9 total".into(),
                instrument: Some(GoalInstrument::Phq9),
                baseline: Some(14.0),
                target: Some(9.0),
                target_date: Some("2026-03-01".into()),
                term: GoalTerm::Short,
                status: GoalStatus::Active,
            },
            Goal {
                id: "g-boundaries".into(),
                description: "Leave work by 18:00 on at least 4 days a week and keep weekends work-free".into(),
                measure: "Self-monitoring log, days per week".into(),
                instrument: None,
                baseline: Some(1.0),
                target: Some(4.0),
                target_date: Some("2026-06-01".into()),
                term: GoalTerm::Long,
                status: GoalStatus::Active,
            },
        ],
        interventions: vec![
            Intervention {
                id: "i-cbt".into(),
                name: "Cognitive behavioural therapy".into(),
                description: "Identify and restructure perfectionistic and over-responsible beliefs about work.".into(),
                frequency: "weekly".into(),
                goal_ids: vec!["g-mood".into(), "g-burnout".into()],
            },
            Intervention {
                id: "i-mindfulness".into(),
                name: "Mindfulness".into(),
                description: "10-minute daily breathing practice; body scan before sleep.".into(),
                frequency: "daily home practice".into(),
                goal_ids: vec!["g-burnout".into()],
            },
            Intervention {
                id: "i-assertiveness".into(),
                name: "Assertiveness training".into(),
                description: "Role-play declining extra assignments and negotiating deadlines.".into(),
                frequency: "sessions 3-6".into(),
                goal_ids: vec!["g-boundaries".into()],
            },
            Intervention {
                id: "i-time".into(),
                name: "Time management".into(),
                description: "Weekly planning, prioritisation and protected breaks.".into(),
                frequency: "weekly review".into(),
                goal_ids: vec!["g-boundaries".into(), "g-burnout".into()],
            },
        ],
        progress: vec![ProgressEntry {
            date: "2025-12-01".into(),
            goal_id: Some("g-boundaries".into()),
            text: "Left work on time on 2 days this week.".into(),
        }],
        follow_up: FollowUp {
            review_dates: vec!["2026-01-15".into(), "2026-03-01".into()],
            scheduled_sessions: vec![ScheduledSession {
                date: "2025-12-08".into(),
                time: Some("10:00".into()),
                note: "Weekly session".into(),
            }],
            referrals: vec![
                Referral {
                    name: "GP review of sleep and blood pressure".into(),
                    kind: "referral".into(),
                    detail: String::new(),
                },
                Referral {
                    name: "Workbook: Mind Over Mood, chapters 1-4".into(),
                    kind: "resource".into(),
                    detail: String::new(),
                },
            ],
        },
    }
}
