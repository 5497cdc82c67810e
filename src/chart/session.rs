//! Therapy sessions: date, time, duration, modality and status, with validation.

use serde::Deserialize;

use super::{Checker, Invalid};

pub use crate::store::sessions::SessionInput;

/// Partial update of a session.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionPatch {
    pub session_date: Option<String>,
    pub start_time: Option<Option<String>>,
    pub duration_minutes: Option<i64>,
    pub modality: Option<String>,
    pub status: Option<String>,
}

impl SessionPatch {
    pub fn apply(self, mut s: SessionInput) -> SessionInput {
        if let Some(v) = self.session_date {
            s.session_date = v;
        }
        if let Some(v) = self.start_time {
            s.start_time = v;
        }
        if let Some(v) = self.duration_minutes {
            s.duration_minutes = v;
        }
        if let Some(v) = self.modality {
            s.modality = v;
        }
        if let Some(v) = self.status {
            s.status = v;
        }
        s
    }
}

pub const MODALITIES: [&str; 4] = ["in_person", "video", "phone", "other"];
pub const STATUSES: [&str; 4] = ["scheduled", "completed", "cancelled", "no_show"];

impl SessionInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.date("session_date", &self.session_date);
        if let Some(t) = self.start_time.as_deref().filter(|t| !t.is_empty()) {
            if let Err(r) = super::parse_time(t) {
                c.add("start_time", r);
            }
        }
        if !(1..=600).contains(&self.duration_minutes) {
            c.add("duration_minutes", "must be between 1 and 600 minutes");
        }
        if !MODALITIES.contains(&self.modality.as_str()) {
            c.add("modality", "must be one of in_person, video, phone, other");
        }
        if !STATUSES.contains(&self.status.as_str()) {
            c.add(
                "status",
                "must be one of scheduled, completed, cancelled, no_show",
            );
        }
        c.finish()
    }

    pub fn normalized(mut self) -> SessionInput {
        if self
            .start_time
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            self.start_time = None;
        }
        self
    }
}
