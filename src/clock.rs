//! The practice's calendar: sessions and measures are dated in the practice's time zone (an
//! IANA name such as `Europe/Berlin`, `--time-zone` / `NOTED_TIME_ZONE`), by default the
//! machine's, never in UTC. Timestamps stay UTC.

use std::str::FromStr;

/// The time zone a practice dates things in.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeZone(jiff::tz::TimeZone);

impl PracticeZone {
    /// The machine's time zone (`TZ`, else `/etc/localtime`); UTC when it cannot be found.
    pub fn system() -> PracticeZone {
        PracticeZone(jiff::tz::TimeZone::system())
    }

    /// The zone's name (`Europe/Berlin`), when it has one.
    pub fn name(&self) -> Option<&str> {
        self.0.iana_name()
    }

    /// The date at `at` in this zone, as `YYYY-MM-DD`.
    pub fn date_at(&self, at: jiff::Timestamp) -> String {
        at.to_zoned(self.0.clone()).date().to_string()
    }

    /// Today's date in this zone, as `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        self.date_at(jiff::Timestamp::now())
    }
}

impl Default for PracticeZone {
    fn default() -> PracticeZone {
        PracticeZone::system()
    }
}

/// A time zone name the system database does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone `{0}` (use an IANA name such as Europe/Berlin or America/New_York)")]
pub struct UnknownZone(String);

impl FromStr for PracticeZone {
    type Err = UnknownZone;
    /// An IANA name; the empty string is the machine's zone.
    fn from_str(s: &str) -> Result<PracticeZone, UnknownZone> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(PracticeZone::system());
        }
        jiff::tz::TimeZone::get(s)
            .map(PracticeZone)
            .map_err(|_| UnknownZone(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_zone() {
        let at: jiff::Timestamp = "2026-12-03T22:30:00Z".parse().unwrap();
        let utc: PracticeZone = "UTC".parse().unwrap();
        assert_eq!(utc.date_at(at), "2026-12-03");
        // 22:30 UTC is already the next morning in Auckland, still the same day in New York.
        let akl: PracticeZone = "Pacific/Auckland".parse().unwrap();
        assert_eq!(akl.date_at(at), "2026-12-04");
        let nyc: PracticeZone = "America/New_York".parse().unwrap();
        assert_eq!(nyc.date_at(at), "2026-12-03");
        assert_eq!(akl.name(), Some("Pacific/Auckland"));
        assert!("Mars/Olympus_Mons".parse::<PracticeZone>().is_err());
        assert!("".parse::<PracticeZone>().is_ok());
    }
}
