//! Client profiles and who may see them.

use serde::{Deserialize, Serialize};

use super::{db, exec};
use super::{Role, Store, StoreError, Viewer};
use crate::audit::{self, Actor, Event};

/// A full client profile as entered (create, or the merged result of a patch); its rules are
/// the chart's (`chart::ClientInput::validate`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub insurance_provider: String,
    #[serde(default)]
    pub insurance_member_id: String,
    #[serde(default)]
    pub emergency_contact_name: String,
    #[serde(default)]
    pub emergency_contact_relationship: String,
    #[serde(default)]
    pub emergency_contact_phone: String,
    #[serde(default)]
    pub medical_history: String,
    /// The assigned clinician; defaults to the creator.
    #[serde(default)]
    pub clinician_id: Option<i64>,
}

/// A client's stored profile.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Client {
    pub id: i64,
    pub clinician_id: i64,
    pub full_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub insurance_provider: String,
    pub insurance_member_id: String,
    pub emergency_contact_name: String,
    pub emergency_contact_relationship: String,
    pub emergency_contact_phone: String,
    pub medical_history: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Client {
    /// The profile as an editable input.
    pub fn to_input(&self) -> ClientInput {
        ClientInput {
            full_name: self.full_name.clone(),
            date_of_birth: self.date_of_birth.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            insurance_provider: self.insurance_provider.clone(),
            insurance_member_id: self.insurance_member_id.clone(),
            emergency_contact_name: self.emergency_contact_name.clone(),
            emergency_contact_relationship: self.emergency_contact_relationship.clone(),
            emergency_contact_phone: self.emergency_contact_phone.clone(),
            medical_history: self.medical_history.clone(),
            clinician_id: Some(self.clinician_id),
        }
    }
}

/// A row of the client list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ClientSummary {
    pub id: i64,
    pub full_name: String,
    pub date_of_birth: String,
    pub clinician_id: i64,
    pub clinician_email: String,
    pub open_flags: i64,
    pub last_session: Option<String>,
}

impl Store {
    /// A client the viewer may see, else `None` (callers answer 404 either way). The rule: the
    /// viewer is the assigned clinician, or a supervisor of the assigned clinician; admins see a
    /// chart only when assigned to it.
    pub async fn accessible_client(
        &self,
        viewer: Viewer,
        id: i64,
    ) -> Result<Option<Client>, StoreError> {
        const Q: &str = "SELECT c.* FROM clients c JOIN users u ON u.id = c.clinician_id
             WHERE (c.clinician_id = $1 OR ($2 = 'supervisor' AND u.supervisor_id = $1)) AND c.id = $3";
        Ok(db!(self, |x| sqlx::query_as::<_, Client>(Q)
            .bind(viewer.user_id)
            .bind(viewer.role)
            .bind(id)
            .fetch_optional(x)
            .await)?)
    }

    /// A client by id, without an access check (CLI and internal jobs only).
    pub async fn client_unchecked(&self, id: i64) -> Result<Option<Client>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, Client>(
            "SELECT * FROM clients WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// The clients a viewer may see, optionally filtered by a name search: the names that
    /// contain the search, case folded in Rust (Unicode), so that it means the same on both
    /// databases (SQLite's `LIKE` folds ASCII only, PostgreSQL's not at all).
    pub async fn list_clients(
        &self,
        viewer: Viewer,
        search: Option<&str>,
    ) -> Result<Vec<ClientSummary>, StoreError> {
        const Q: &str = "SELECT c.id, c.full_name, c.date_of_birth, c.clinician_id, u.email AS clinician_email,
                (SELECT COUNT(*) FROM safety_flags f WHERE f.client_id = c.id AND f.acknowledged_at IS NULL) AS open_flags,
                (SELECT MAX(s.session_date) FROM therapy_sessions s WHERE s.client_id = c.id) AS last_session
             FROM clients c JOIN users u ON u.id = c.clinician_id
             WHERE (c.clinician_id = $1 OR ($2 = 'supervisor' AND u.supervisor_id = $1))
             ORDER BY c.full_name COLLATE NOCASE, c.id";
        let mut rows = db!(self, |x| sqlx::query_as::<_, ClientSummary>(Q)
            .bind(viewer.user_id)
            .bind(viewer.role)
            .fetch_all(x)
            .await)?;
        let needle = search.unwrap_or("").trim().to_lowercase();
        if !needle.is_empty() {
            rows.retain(|c| c.full_name.to_lowercase().contains(&needle));
        }
        Ok(rows)
    }

    /// May `viewer` assign a client to `clinician_id`? Self always; a supervisor also their
    /// supervisees; an admin any clinician or supervisor.
    pub async fn may_assign(&self, viewer: Viewer, clinician_id: i64) -> Result<bool, StoreError> {
        if clinician_id == viewer.user_id {
            return Ok(true);
        }
        let Some(target) = self.user(clinician_id).await? else {
            return Ok(false);
        };
        if target.disabled || target.role == Role::Admin {
            return Ok(false);
        }
        Ok(match viewer.role {
            Role::Admin => true,
            Role::Supervisor => target.supervisor_id == Some(viewer.user_id),
            Role::Clinician => false,
        })
    }

    /// Creates a client (input already validated) assigned to `clinician_id`.
    pub async fn create_client(
        &self,
        actor: &Actor,
        clinician_id: i64,
        c: &ClientInput,
    ) -> Result<Client, StoreError> {
        let now = super::now();
        let mut tx = self.begin_write().await?;
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO clients (clinician_id, full_name, date_of_birth, phone, email, address,
                insurance_provider, insurance_member_id, emergency_contact_name,
                emergency_contact_relationship, emergency_contact_phone, medical_history,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(clinician_id)
        .bind(&c.full_name)
        .bind(&c.date_of_birth)
        .bind(&c.phone)
        .bind(&c.email)
        .bind(&c.address)
        .bind(&c.insurance_provider)
        .bind(&c.insurance_member_id)
        .bind(&c.emergency_contact_name)
        .bind(&c.emergency_contact_relationship)
        .bind(&c.emergency_contact_phone)
        .bind(&c.medical_history)
        .bind(&now)
        .bind(&now)
        .fetch_one(x)
        .await
        })?;
        let ev = Event::new("client.create", "client", id)
            .client(id)
            .detail(serde_json::json!({"clinician_id": clinician_id}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.client_unchecked(id)
            .await?
            .ok_or(StoreError::NotFound("client"))
    }

    /// Replaces a client's profile (input already validated).
    pub async fn update_client(
        &self,
        actor: &Actor,
        id: i64,
        clinician_id: i64,
        c: &ClientInput,
    ) -> Result<Client, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = exec!(&mut tx, sqlx::query(
            "UPDATE clients SET clinician_id = $1, full_name = $2, date_of_birth = $3, phone = $4, email = $5,
                address = $6, insurance_provider = $7, insurance_member_id = $8, emergency_contact_name = $9,
                emergency_contact_relationship = $10, emergency_contact_phone = $11, medical_history = $12,
                updated_at = $13
             WHERE id = $14",
        )
        .bind(clinician_id)
        .bind(&c.full_name)
        .bind(&c.date_of_birth)
        .bind(&c.phone)
        .bind(&c.email)
        .bind(&c.address)
        .bind(&c.insurance_provider)
        .bind(&c.insurance_member_id)
        .bind(&c.emergency_contact_name)
        .bind(&c.emergency_contact_relationship)
        .bind(&c.emergency_contact_phone)
        .bind(&c.medical_history)
        .bind(super::now())
        .bind(id))?;
        if n == 0 {
            return Err(StoreError::NotFound("client"));
        }
        let ev = Event::new("client.update", "client", id)
            .client(id)
            .detail(serde_json::json!({"clinician_id": clinician_id}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        self.client_unchecked(id)
            .await?
            .ok_or(StoreError::NotFound("client"))
    }
}
