//! Stored measures (PHQ-9, GAD-7, CBI) with their computed scores; PHQ-9 item 9 raises a
//! safety flag in the same transaction.

use std::collections::BTreeMap;

use serde::Serialize;

use serde::Deserialize;

use super::db;
use super::{SafetyFlag, Store, StoreError};
use crate::audit::{self, Actor, Event};

/// A subscale's score (mean of its items, 0-100) and band, as stored with its measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscaleScore {
    pub score: f64,
    pub band: String,
}

/// A stored measure.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: i64,
    pub client_id: i64,
    pub instrument: String,
    pub answers: Vec<i64>,
    pub total: Option<f64>,
    pub band: Option<String>,
    pub subscales: BTreeMap<String, SubscaleScore>,
    pub measured_on: String,
    pub goal_id: Option<String>,
    pub entered_by: i64,
    pub created_at: String,
    /// Safety flags raised by this measure (e.g. `phq9_item9`).
    pub flags: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    client_id: i64,
    instrument: String,
    answers: String,
    total: Option<f64>,
    band: Option<String>,
    subscales: String,
    measured_on: String,
    goal_id: Option<String>,
    entered_by: i64,
    created_at: String,
    flags: Option<String>,
}

impl Row {
    fn into_measure(self) -> Result<Measure, StoreError> {
        let corrupt = |source| StoreError::Corrupt {
            what: "measure",
            source,
        };
        Ok(Measure {
            id: self.id,
            client_id: self.client_id,
            instrument: self.instrument,
            answers: serde_json::from_str(&self.answers).map_err(corrupt)?,
            total: self.total,
            band: self.band,
            subscales: serde_json::from_str(&self.subscales).map_err(corrupt)?,
            measured_on: self.measured_on,
            goal_id: self.goal_id,
            entered_by: self.entered_by,
            created_at: self.created_at,
            flags: self
                .flags
                .map(|f| f.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }
}

/// A new measure to store, as scored (`measures::Scored::to_store`).
#[derive(Debug, Clone)]
pub struct NewMeasure<'a> {
    pub client_id: i64,
    /// The instrument's key (`phq9`, `gad7`, `cbi`).
    pub instrument: &'a str,
    pub answers: &'a [i64],
    pub total: Option<f64>,
    pub band: Option<&'a str>,
    pub subscales: &'a BTreeMap<String, SubscaleScore>,
    /// Safety flags to raise with it: (kind, what the clinician should review).
    pub flags: Vec<(String, String)>,
    pub measured_on: &'a str,
    pub goal_id: Option<&'a str>,
    pub entered_by: i64,
}

impl Store {
    /// Stores a scored measure, raising a safety flag for each of its flags, and audits both.
    pub async fn create_measure(
        &self,
        actor: &Actor,
        m: &NewMeasure<'_>,
    ) -> Result<(Measure, Vec<SafetyFlag>), StoreError> {
        let now = super::now();
        let mut tx = self.begin_write().await?;
        let answers = serde_json::to_string(m.answers).unwrap_or_else(|_| "[]".into());
        let subscales = serde_json::to_string(m.subscales).unwrap_or_else(|_| "{}".into());
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO measures (client_id, instrument, answers, total, band, subscales, measured_on,
                                   goal_id, entered_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(m.client_id)
        .bind(m.instrument)
        .bind(answers)
        .bind(m.total)
        .bind(m.band)
        .bind(subscales)
        .bind(m.measured_on)
        .bind(m.goal_id)
        .bind(m.entered_by)
        .bind(&now)
        .fetch_one(x)
        .await
        })?;
        let ev = Event::new("measure.create", "measure", id)
            .client(m.client_id)
            .detail(serde_json::json!({"instrument": m.instrument, "goal_id": m.goal_id}));
        audit::append(&mut tx, actor, &ev).await?;
        let mut flag_ids = Vec::new();
        for (kind, detail) in &m.flags {
            let fid = db!(&mut tx, |x| {
                sqlx::query_scalar::<_, i64>(
                "INSERT INTO safety_flags (client_id, kind, measure_id, detail, raised_at, raised_by)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(m.client_id)
            .bind(kind)
            .bind(id)
            .bind(detail)
            .bind(&now)
            .bind(m.entered_by)
            .fetch_one(x)
            .await
            })?;
            let ev = Event::new("flag.raise", "safety_flag", fid)
                .client(m.client_id)
                .detail(serde_json::json!({"kind": kind, "measure_id": id}));
            audit::append(&mut tx, actor, &ev).await?;
            flag_ids.push(fid);
        }
        tx.commit().await?;
        let measure = self
            .measure(id)
            .await?
            .ok_or(StoreError::NotFound("measure"))?;
        let mut flags = Vec::new();
        for fid in flag_ids {
            flags.extend(self.safety_flag(fid).await?);
        }
        Ok((measure, flags))
    }

    /// A measure by id (no access check: callers check the client).
    pub async fn measure(&self, id: i64) -> Result<Option<Measure>, StoreError> {
        const Q: &str =
            "SELECT m.id, m.client_id, m.instrument, m.answers, m.total, m.band, m.subscales,
        m.measured_on, m.goal_id, m.entered_by, m.created_at,
        (SELECT string_agg(f.kind, ',') FROM safety_flags f WHERE f.measure_id = m.id) AS flags
     FROM measures m WHERE m.id = $1";
        db!(self, |x| sqlx::query_as::<_, Row>(Q)
            .bind(id)
            .fetch_optional(x)
            .await)?
        .map(Row::into_measure)
        .transpose()
    }

    /// A client's measures, oldest first, optionally for one instrument.
    pub async fn list_measures(
        &self,
        client_id: i64,
        instrument: Option<&str>,
    ) -> Result<Vec<Measure>, StoreError> {
        const Q: &str =
            "SELECT m.id, m.client_id, m.instrument, m.answers, m.total, m.band, m.subscales,
        m.measured_on, m.goal_id, m.entered_by, m.created_at,
        (SELECT string_agg(f.kind, ',') FROM safety_flags f WHERE f.measure_id = m.id) AS flags
     FROM measures m WHERE m.client_id = $1 AND ($2 IS NULL OR m.instrument = $2)
     ORDER BY m.measured_on, m.id";
        db!(self, |x| sqlx::query_as::<_, Row>(Q)
            .bind(client_id)
            .bind(instrument)
            .fetch_all(x)
            .await)?
        .into_iter()
        .map(Row::into_measure)
        .collect()
    }
}
