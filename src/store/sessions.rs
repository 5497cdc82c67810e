//! Therapy sessions, listed with the state of their note and their recordings, so unsigned
//! drafts are easy to find.

use serde::{Deserialize, Serialize};

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// A therapy session as entered (its rules are the chart's: `chart::SessionInput::validate`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// `YYYY-MM-DD`.
    pub session_date: String,
    /// `HH:MM`, optional.
    #[serde(default)]
    pub start_time: Option<String>,
    pub duration_minutes: i64,
    /// `in_person` | `video` | `phone` | `other`.
    pub modality: String,
    /// `scheduled` | `completed` (default) | `cancelled` | `no_show`.
    #[serde(default = "default_status")]
    pub status: String,
}

fn default_status() -> String {
    "completed".into()
}

/// A stored therapy session.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TherapySession {
    pub id: i64,
    pub client_id: i64,
    pub clinician_id: i64,
    pub session_date: String,
    pub start_time: Option<String>,
    pub duration_minutes: i64,
    pub modality: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

impl TherapySession {
    pub fn to_input(&self) -> SessionInput {
        SessionInput {
            session_date: self.session_date.clone(),
            start_time: self.start_time.clone(),
            duration_minutes: self.duration_minutes,
            modality: self.modality.clone(),
            status: self.status.clone(),
        }
    }
}

/// A session in the chart's timeline, with what later stages attached to it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub client_id: i64,
    pub clinician_id: i64,
    pub clinician_email: String,
    pub session_date: String,
    pub start_time: Option<String>,
    pub duration_minutes: i64,
    pub modality: String,
    pub status: String,
    /// State of the newest note for this session (draft, in_review, awaiting_cosign, signed,
    /// amended), if any.
    pub note_state: Option<crate::store::notes::NoteState>,
    pub note_id: Option<i64>,
    /// Newest draft for this session, if any, and its state.
    pub draft_id: Option<i64>,
    pub draft_state: Option<String>,
    pub recordings: i64,
}

impl Store {
    /// Creates a session (input validated by the caller).
    pub async fn create_session(
        &self,
        actor: &Actor,
        client_id: i64,
        clinician_id: i64,
        s: &SessionInput,
    ) -> Result<TherapySession, StoreError> {
        let now = super::now();
        let mut tx = self.begin_write().await?;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO therapy_sessions (client_id, clinician_id, session_date, start_time, duration_minutes,
                                           modality, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(client_id)
        .bind(clinician_id)
        .bind(&s.session_date)
        .bind(&s.start_time)
        .bind(s.duration_minutes)
        .bind(&s.modality)
        .bind(&s.status)
        .bind(&now)
        .bind(&now)
        .fetch_one(x)
        .await
        })?;
        audit::append(
            &mut tx,
            actor,
            &Event::new("session.create", "therapy_session", id).client(client_id),
        )
        .await?;
        tx.commit().await?;
        self.session(id)
            .await?
            .ok_or(StoreError::NotFound("session"))
    }

    /// Replaces a session's fields (validated by the caller).
    pub async fn update_session(
        &self,
        actor: &Actor,
        id: i64,
        s: &SessionInput,
    ) -> Result<TherapySession, StoreError> {
        let mut tx = self.begin_write().await?;
        let client_id: Option<i64> = db!(&mut tx, |x| sqlx::query_scalar(
            "SELECT client_id FROM therapy_sessions WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?;
        let client_id = client_id.ok_or(StoreError::NotFound("session"))?;
        exec!(&mut tx, sqlx::query(
            "UPDATE therapy_sessions SET session_date = $1, start_time = $2, duration_minutes = $3, modality = $4,
                status = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&s.session_date)
        .bind(&s.start_time)
        .bind(s.duration_minutes)
        .bind(&s.modality)
        .bind(&s.status)
        .bind(super::now())
        .bind(id))?;
        audit::append(
            &mut tx,
            actor,
            &Event::new("session.update", "therapy_session", id).client(client_id),
        )
        .await?;
        tx.commit().await?;
        self.session(id)
            .await?
            .ok_or(StoreError::NotFound("session"))
    }

    /// A session by id (no access check: callers check its client).
    pub async fn session(&self, id: i64) -> Result<Option<TherapySession>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, TherapySession>(
            "SELECT * FROM therapy_sessions WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A client's sessions, newest first, with note/draft state and recording count.
    pub async fn list_sessions(&self, client_id: i64) -> Result<Vec<SessionRow>, StoreError> {
        Ok(db!(self, |x| {
            sqlx::query_as::<_, SessionRow>(
            "SELECT s.id, s.client_id, s.clinician_id, u.email AS clinician_email, s.session_date, s.start_time,
                    s.duration_minutes, s.modality, s.status,
                    (SELECT n.state FROM notes n WHERE n.therapy_session_id = s.id ORDER BY n.id DESC LIMIT 1) AS note_state,
                    (SELECT n.id FROM notes n WHERE n.therapy_session_id = s.id ORDER BY n.id DESC LIMIT 1) AS note_id,
                    (SELECT d.id FROM drafts d WHERE d.therapy_session_id = s.id ORDER BY d.id DESC LIMIT 1) AS draft_id,
                    (SELECT d.state FROM drafts d WHERE d.therapy_session_id = s.id ORDER BY d.id DESC LIMIT 1) AS draft_state,
                    (SELECT COUNT(*) FROM recordings r WHERE r.therapy_session_id = s.id) AS recordings
             FROM therapy_sessions s JOIN users u ON u.id = s.clinician_id
             WHERE s.client_id = $1
             ORDER BY s.session_date DESC, s.start_time DESC, s.id DESC",
        )
        .bind(client_id)
        .fetch_all(x)
        .await
        })?)
    }
}
