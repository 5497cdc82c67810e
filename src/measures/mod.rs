//! Standardised measures: PHQ-9, GAD-7 and the Copenhagen Burnout Inventory (CBI) — their items,
//! scoring by the published rules, severity bands (CBI bands configurable) and safety flags.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A supported questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Instrument {
    Phq9,
    Gad7,
    Cbi,
}

impl Instrument {
    pub const ALL: [Instrument; 3] = [Instrument::Phq9, Instrument::Gad7, Instrument::Cbi];

    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::Phq9 => "phq9",
            Instrument::Gad7 => "gad7",
            Instrument::Cbi => "cbi",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Gad7 => "GAD-7",
            Instrument::Cbi => "Copenhagen Burnout Inventory",
        }
    }

    pub fn parse(s: &str) -> Option<Instrument> {
        Instrument::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// The questions, in order.
    pub fn items(self) -> Vec<Item> {
        match self {
            Instrument::Phq9 => PHQ9_ITEMS
                .iter()
                .map(|t| Item::new(t, None, Scale::Frequency4, false))
                .collect(),
            Instrument::Gad7 => GAD7_ITEMS
                .iter()
                .map(|t| Item::new(t, None, Scale::Frequency4, false))
                .collect(),
            Instrument::Cbi => CBI_ITEMS
                .iter()
                .map(|(sub, text, scale, reverse)| Item::new(text, Some(*sub), *scale, *reverse))
                .collect(),
        }
    }

    /// The question stem shown above the items.
    pub fn stem(self) -> &'static str {
        match self {
            Instrument::Phq9 | Instrument::Gad7 => {
                "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
            }
            Instrument::Cbi => "Please answer each question about how you have felt recently.",
        }
    }
}

/// The answer options of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// PHQ/GAD: 0 not at all, 1 several days, 2 more than half the days, 3 nearly every day.
    Frequency4,
    /// CBI frequency: 0 never/almost never, 1 seldom, 2 sometimes, 3 often, 4 always.
    Frequency5,
    /// CBI intensity: 0 to a very low degree ... 4 to a very high degree.
    Intensity5,
}

impl Scale {
    /// Option labels, indexed by answer value.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Scale::Frequency4 => &[
                "Not at all",
                "Several days",
                "More than half the days",
                "Nearly every day",
            ],
            Scale::Frequency5 => &[
                "Never / almost never",
                "Seldom",
                "Sometimes",
                "Often",
                "Always",
            ],
            Scale::Intensity5 => &[
                "To a very low degree",
                "To a low degree",
                "Somewhat",
                "To a high degree",
                "To a very high degree",
            ],
        }
    }

    pub fn max(self) -> i64 {
        self.options().len() as i64 - 1
    }
}

/// One question.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub text: &'static str,
    /// CBI subscale (`personal`, `work`, `client`).
    pub subscale: Option<&'static str>,
    pub scale: Scale,
    pub reverse: bool,
}

impl Item {
    fn new(
        text: &'static str,
        subscale: Option<&'static str>,
        scale: Scale,
        reverse: bool,
    ) -> Item {
        Item {
            text,
            subscale,
            scale,
            reverse,
        }
    }
}

const PHQ9_ITEMS: [&str; 9] = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
];

const GAD7_ITEMS: [&str; 7] = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
];

/// The reverse-scored CBI item (work-related item 4).
pub const CBI_REVERSE_ITEM: &str =
    "Do you have enough energy for family and friends during leisure time?";

const CBI_ITEMS: [(&str, &str, Scale, bool); 19] = [
    (
        "personal",
        "How often do you feel tired?",
        Scale::Frequency5,
        false,
    ),
    (
        "personal",
        "How often are you physically exhausted?",
        Scale::Frequency5,
        false,
    ),
    (
        "personal",
        "How often are you emotionally exhausted?",
        Scale::Frequency5,
        false,
    ),
    (
        "personal",
        "How often do you think: \"I can't take it anymore\"?",
        Scale::Frequency5,
        false,
    ),
    (
        "personal",
        "How often do you feel worn out?",
        Scale::Frequency5,
        false,
    ),
    (
        "personal",
        "How often do you feel weak and susceptible to illness?",
        Scale::Frequency5,
        false,
    ),
    (
        "work",
        "Do you feel worn out at the end of the working day?",
        Scale::Frequency5,
        false,
    ),
    (
        "work",
        "Are you exhausted in the morning at the thought of another day at work?",
        Scale::Frequency5,
        false,
    ),
    (
        "work",
        "Do you feel that every working hour is tiring for you?",
        Scale::Frequency5,
        false,
    ),
    ("work", CBI_REVERSE_ITEM, Scale::Frequency5, true),
    (
        "work",
        "Is your work emotionally exhausting?",
        Scale::Intensity5,
        false,
    ),
    (
        "work",
        "Does your work frustrate you?",
        Scale::Intensity5,
        false,
    ),
    (
        "work",
        "Do you feel burnt out because of your work?",
        Scale::Intensity5,
        false,
    ),
    (
        "client",
        "Do you find it hard to work with clients?",
        Scale::Intensity5,
        false,
    ),
    (
        "client",
        "Do you find it frustrating to work with clients?",
        Scale::Intensity5,
        false,
    ),
    (
        "client",
        "Does it drain your energy to work with clients?",
        Scale::Intensity5,
        false,
    ),
    (
        "client",
        "Do you feel that you give more than you get back when you work with clients?",
        Scale::Intensity5,
        false,
    ),
    (
        "client",
        "Are you tired of working with clients?",
        Scale::Frequency5,
        false,
    ),
    (
        "client",
        "Do you sometimes wonder how long you will be able to continue working with clients?",
        Scale::Frequency5,
        false,
    ),
];

/// CBI subscales in display order, with their titles.
pub const CBI_SUBSCALES: [(&str, &str); 3] = [
    ("personal", "Personal burnout"),
    ("work", "Work-related burnout"),
    ("client", "Client-related burnout"),
];

/// Lower bounds of the CBI bands (scores 0-100); below `moderate` is "low".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CbiBands {
    pub moderate: f64,
    pub high: f64,
    pub severe: f64,
}

impl Default for CbiBands {
    /// 0-49 low, 50-74 moderate, 75-99 high, 100 severe.
    fn default() -> CbiBands {
        CbiBands {
            moderate: 50.0,
            high: 75.0,
            severe: 100.0,
        }
    }
}

impl std::str::FromStr for CbiBands {
    type Err = String;
    /// `"50,75,100"`: the lower bounds of moderate, high and severe.
    fn from_str(s: &str) -> Result<CbiBands, String> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("CBI bands `{s}`: expected three numbers like 50,75,100"))?;
        match v.as_slice() {
            [m, h, sev] if 0.0 < *m && m < h && h <= sev && *sev <= 100.0 => Ok(CbiBands {
                moderate: *m,
                high: *h,
                severe: *sev,
            }),
            _ => Err(format!(
                "CBI bands `{s}`: expected three increasing numbers in (0, 100], e.g. 50,75,100"
            )),
        }
    }
}

impl CbiBands {
    pub fn band(&self, score: f64) -> &'static str {
        if score >= self.severe {
            "severe"
        } else if score >= self.high {
            "high"
        } else if score >= self.moderate {
            "moderate"
        } else {
            "low"
        }
    }
}

pub use crate::store::measures::SubscaleScore;

/// The scored result of one administration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub instrument: Instrument,
    /// Sum of items (PHQ-9, GAD-7); `None` for the CBI.
    pub total: Option<f64>,
    /// Severity band (PHQ-9, GAD-7); `None` for the CBI.
    pub band: Option<String>,
    /// CBI subscales keyed `personal`, `work`, `client`; empty otherwise.
    pub subscales: BTreeMap<String, SubscaleScore>,
    /// Safety flags raised, e.g. `phq9_item9`.
    pub flags: Vec<String>,
}

impl Scored {
    /// The measure to store: its scores, and a safety flag with the reviewer's explanation
    /// for each flag it raised.
    pub fn to_store<'a>(
        &'a self,
        client_id: i64,
        answers: &'a [i64],
        measured_on: &'a str,
        goal_id: Option<&'a str>,
        entered_by: i64,
    ) -> crate::store::NewMeasure<'a> {
        crate::store::NewMeasure {
            client_id,
            instrument: self.instrument.as_str(),
            answers,
            total: self.total,
            band: self.band.as_deref(),
            subscales: &self.subscales,
            flags: self
                .flags
                .iter()
                .map(|k| (k.clone(), flag_detail(k).to_string()))
                .collect(),
            measured_on,
            goal_id,
            entered_by,
        }
    }
}

/// What a safety flag raised by a measure asks the clinician to review.
pub fn flag_detail(kind: &str) -> &'static str {
    match kind {
        "phq9_item9" => "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above 0: review safety.",
        _ => "Safety review needed.",
    }
}

/// Why answers could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeasureError {
    #[error("{instrument} needs {expected} answers, got {got}")]
    Count {
        instrument: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("answer {index} is {value}: {instrument} answers must be between 0 and {max}")]
    Range {
        instrument: &'static str,
        index: usize,
        value: i64,
        max: i64,
    },
}

/// PHQ-9 band: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe.
pub fn phq9_band(total: i64) -> &'static str {
    match total {
        t if t >= 20 => "severe",
        t if t >= 15 => "moderately severe",
        t if t >= 10 => "moderate",
        t if t >= 5 => "mild",
        _ => "minimal",
    }
}

/// GAD-7 band: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
pub fn gad7_band(total: i64) -> &'static str {
    match total {
        t if t >= 15 => "severe",
        t if t >= 10 => "moderate",
        t if t >= 5 => "mild",
        _ => "minimal",
    }
}

/// CBI item score: 100/75/50/25/0 from the top option down; the reverse item the other way.
pub fn cbi_item_score(answer: i64, reverse: bool) -> f64 {
    let a = if reverse { 4 - answer } else { answer };
    (a * 25) as f64
}

/// Scores one administration. Answers are option indices: 0-3 for PHQ-9/GAD-7 items; 0-4 for
/// CBI items (0 = never/almost never or to a very low degree, 4 = always or to a very high degree).
pub fn score(
    instrument: Instrument,
    answers: &[i64],
    bands: &CbiBands,
) -> Result<Scored, MeasureError> {
    let items = instrument.items();
    if answers.len() != items.len() {
        return Err(MeasureError::Count {
            instrument: instrument.as_str(),
            expected: items.len(),
            got: answers.len(),
        });
    }
    for (i, (a, item)) in answers.iter().zip(&items).enumerate() {
        if *a < 0 || *a > item.scale.max() {
            return Err(MeasureError::Range {
                instrument: instrument.as_str(),
                index: i,
                value: *a,
                max: item.scale.max(),
            });
        }
    }
    let mut out = Scored {
        instrument,
        total: None,
        band: None,
        subscales: BTreeMap::new(),
        flags: Vec::new(),
    };
    match instrument {
        Instrument::Phq9 => {
            let total: i64 = answers.iter().sum();
            out.total = Some(total as f64);
            out.band = Some(phq9_band(total).to_string());
            if answers[8] > 0 {
                out.flags.push("phq9_item9".into());
            }
        }
        Instrument::Gad7 => {
            let total: i64 = answers.iter().sum();
            out.total = Some(total as f64);
            out.band = Some(gad7_band(total).to_string());
        }
        Instrument::Cbi => {
            for (key, _) in CBI_SUBSCALES {
                let scores: Vec<f64> = answers
                    .iter()
                    .zip(&items)
                    .filter(|(_, it)| it.subscale == Some(key))
                    .map(|(a, it)| cbi_item_score(*a, it.reverse))
                    .collect();
                let mean = scores.iter().sum::<f64>() / scores.len() as f64;
                let mean = (mean * 100.0).round() / 100.0;
                out.subscales.insert(
                    key.to_string(),
                    SubscaleScore {
                        score: mean,
                        band: bands.band(mean).to_string(),
                    },
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phq9_bands_follow_the_published_cutoffs() {
        for (t, b) in [
            (4, "minimal"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (15, "moderately severe"),
            (20, "severe"),
            (27, "severe"),
        ] {
            assert_eq!(phq9_band(t), b, "total {t}");
        }
        let s = score(
            Instrument::Phq9,
            &[3, 3, 3, 3, 3, 0, 0, 0, 0],
            &CbiBands::default(),
        )
        .unwrap();
        assert_eq!(s.total, Some(15.0));
        assert_eq!(s.band.as_deref(), Some("moderately severe"));
        assert!(s.flags.is_empty());
        let s = score(
            Instrument::Phq9,
            &[0, 0, 0, 0, 0, 0, 0, 0, 1],
            &CbiBands::default(),
        )
        .unwrap();
        assert_eq!(s.flags, ["phq9_item9"]);
    }

    #[test]
    fn gad7_bands() {
        for (t, b) in [
            (0, "minimal"),
            (5, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "severe"),
            (21, "severe"),
        ] {
            assert_eq!(gad7_band(t), b);
        }
    }

    #[test]
    fn cbi_uses_100_75_50_25_0_with_the_reverse_item() {
        let items = Instrument::Cbi.items();
        assert_eq!(items.len(), 19);
        assert_eq!(
            items
                .iter()
                .filter(|i| i.subscale == Some("personal"))
                .count(),
            6
        );
        assert_eq!(
            items.iter().filter(|i| i.subscale == Some("work")).count(),
            7
        );
        assert_eq!(
            items
                .iter()
                .filter(|i| i.subscale == Some("client"))
                .count(),
            6
        );
        let rev: Vec<_> = items.iter().filter(|i| i.reverse).collect();
        assert_eq!(rev.len(), 1);
        assert_eq!(rev[0].text, CBI_REVERSE_ITEM);
        // Everything "always" (4): personal 100, client 100; work: 6 x 100 + reverse 0 => 85.71.
        let s = score(Instrument::Cbi, &[4; 19], &CbiBands::default()).unwrap();
        assert_eq!(s.subscales["personal"].score, 100.0);
        assert_eq!(s.subscales["personal"].band, "severe");
        assert_eq!(s.subscales["work"].score, 85.71);
        assert_eq!(s.subscales["work"].band, "high");
        assert!(s.total.is_none());
        assert_eq!(cbi_item_score(4, false), 100.0);
        assert_eq!(cbi_item_score(3, false), 75.0);
        assert_eq!(cbi_item_score(0, false), 0.0);
        assert_eq!(cbi_item_score(0, true), 100.0);
        assert_eq!(cbi_item_score(1, true), 75.0);
    }

    #[test]
    fn out_of_range_and_wrong_counts_are_refused() {
        let b = CbiBands::default();
        assert!(matches!(
            score(Instrument::Gad7, &[0; 6], &b),
            Err(MeasureError::Count { .. })
        ));
        assert!(matches!(
            score(Instrument::Gad7, &[0, 0, 0, 4, 0, 0, 0], &b),
            Err(MeasureError::Range { index: 3, .. })
        ));
        assert!(matches!(
            score(Instrument::Cbi, &[5; 19], &b),
            Err(MeasureError::Range { .. })
        ));
        assert!(matches!(
            score(Instrument::Phq9, &[-1, 0, 0, 0, 0, 0, 0, 0, 0], &b),
            Err(MeasureError::Range { .. })
        ));
    }

    #[test]
    fn cbi_bands_parse_and_apply() {
        let b: CbiBands = "40,60,90".parse().unwrap();
        assert_eq!(b.band(39.9), "low");
        assert_eq!(b.band(60.0), "high");
        assert_eq!(b.band(95.0), "severe");
        assert!("75,50,100".parse::<CbiBands>().is_err());
        let d = CbiBands::default();
        assert_eq!(
            (
                d.band(49.0),
                d.band(50.0),
                d.band(74.9),
                d.band(75.0),
                d.band(99.0),
                d.band(100.0)
            ),
            ("low", "moderate", "moderate", "high", "high", "severe")
        );
    }
}
