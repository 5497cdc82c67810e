//! The clinical chart's domain types and their validation: client profiles, versioned
//! treatment plans, therapy sessions. Storage lives in `store`, HTTP in `http`.

use serde::Serialize;

pub mod client;
pub mod plan;
pub mod sample;
pub mod session;

pub use client::{ClientInput, ClientPatch};
pub use plan::{Goal, GoalStatus, GoalTerm, PlanDocument};
pub use session::SessionInput;

/// One invalid field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Validation failed: every invalid field with its reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

/// Collects field errors while validating.
#[derive(Debug, Default)]
pub struct Checker(Vec<FieldError>);

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    pub fn add(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError::new(field, reason));
    }

    /// Required, trimmed, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "is required");
        } else {
            self.max_len(field, value, max);
        }
    }

    /// At most `max` characters.
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }

    /// A calendar date `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, value: &str) -> Option<time::Date> {
        match parse_date(value) {
            Ok(d) => Some(d),
            Err(reason) => {
                self.add(field, reason);
                None
            }
        }
    }

    /// Optional date: empty is fine.
    pub fn optional_date(&mut self, field: &str, value: &Option<String>) {
        if let Some(v) = value {
            if !v.is_empty() {
                self.date(field, v);
            }
        }
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }
}

/// Parses `YYYY-MM-DD`, with a reason fit to show next to the field.
pub fn parse_date(value: &str) -> Result<time::Date, String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(value.trim(), &fmt).map_err(|_| {
        format!(
            "must be a date as YYYY-MM-DD (got `{}`)",
            truncate(value, 40)
        )
    })?;
    if d.year() < 1900 || d.year() > 2200 {
        return Err("must be a date between 1900 and 2200".into());
    }
    Ok(d)
}

/// Parses `HH:MM` (24-hour).
pub fn parse_time(value: &str) -> Result<time::Time, String> {
    let fmt = time::macros::format_description!("[hour]:[minute]");
    time::Time::parse(value.trim(), &fmt)
        .map_err(|_| format!("must be a time as HH:MM (got `{}`)", truncate(value, 20)))
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("12/01/2020").is_err());
        assert!(parse_date("1800-01-01").is_err());
        assert!(parse_time("09:30").is_ok());
        assert!(parse_time("25:00").is_err());
    }
}
