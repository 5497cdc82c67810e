//! User accounts: clinicians, supervisors and admins, and supervisor-of links.

use serde::{Deserialize, Serialize};

use super::{db, exec};
use super::{Store, StoreError};
use crate::audit::{self, Actor, Event};

/// What a user may do. Clinicians see their own clients, supervisors also their supervisees',
/// admins manage users and see charts only of clients assigned to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
pub enum Role {
    Clinician,
    Supervisor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "clinician" => Ok(Role::Clinician),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            _ => Err(format!(
                "unknown role `{s}`: expected clinician, supervisor or admin"
            )),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user account (without its password hash).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub supervisor_id: Option<i64>,
    pub disabled: bool,
    pub created_at: String,
}

impl User {
    /// The name shown in the UI: the display name, else the email.
    pub fn label(&self) -> &str {
        if self.display_name.is_empty() {
            &self.email
        } else {
            &self.display_name
        }
    }

    /// The identity used by authorization queries.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            user_id: self.id,
            role: self.role,
        }
    }
}

/// Who is looking: every chart query is scoped by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub role: Role,
}

/// A new account. `password_hash` is an argon2id PHC string from `auth::password`.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub supervisor_id: Option<i64>,
    pub password_hash: String,
}

/// What disabling an account ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AccessChange {
    pub sessions_ended: u64,
    pub tokens_revoked: u64,
}

impl Store {
    /// Creates a user. A duplicate email is a `Conflict`.
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let res = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, display_name, role, supervisor_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.email.trim())
        .bind(&new.display_name)
        .bind(new.role)
        .bind(new.supervisor_id)
        .bind(&new.password_hash)
        .bind(super::now())
        .fetch_one(x)
        .await
        });
        let id = match res {
            Ok(id) => id,
            Err(e) => {
                let e = StoreError::from(e);
                if e.is_unique_violation() {
                    return Err(StoreError::Conflict(format!(
                        "a user with email {} already exists",
                        new.email.trim()
                    )));
                }
                return Err(e);
            }
        };
        let event = Event::new("user.create", "user", id)
            .detail(serde_json::json!({"role": new.role, "supervisor_id": new.supervisor_id}));
        audit::append(&mut tx, actor, &event).await?;
        tx.commit().await?;
        self.user(id).await?.ok_or(StoreError::NotFound("user"))
    }

    /// A user by id.
    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, role, supervisor_id, disabled, created_at
             FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// A user by email (case-insensitive).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, role, supervisor_id, disabled, created_at
             FROM users WHERE email = $1",
        )
        .bind(email.trim())
        .fetch_optional(x)
        .await)?)
    }

    /// The stored password hash of a user.
    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        Ok(db!(self, |x| sqlx::query_scalar::<_, String>(
            "SELECT password_hash FROM users WHERE id = $1"
        )
        .bind(user_id)
        .fetch_optional(x)
        .await)?)
    }

    /// Replaces a user's password hash and ends their sign-in sessions, except `keep` (the
    /// token hash of the session that made the change, if any). Returns the sessions ended.
    pub async fn set_password_hash(
        &self,
        actor: &Actor,
        user_id: i64,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = exec!(
            &mut tx,
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(user_id)
        )?;
        if n == 0 {
            return Err(StoreError::NotFound("user"));
        }
        let ended =
            exec!(&mut tx, sqlx::query(
            "DELETE FROM auth_sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2",
        )
        .bind(user_id)
        .bind(keep))?;
        audit::append(
            &mut tx,
            actor,
            &Event::new("user.password", "user", user_id)
                .detail(serde_json::json!({"sessions_ended": ended})),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Disables or enables an account. Disabling ends every sign-in session of the user and
    /// revokes every API token in the same transaction (enabling again revives neither).
    pub async fn set_user_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
    ) -> Result<AccessChange, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = exec!(
            &mut tx,
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(user_id)
        )?;
        if n == 0 {
            return Err(StoreError::NotFound("user"));
        }
        let mut change = AccessChange::default();
        if disabled {
            change.sessions_ended = exec!(
                &mut tx,
                sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1").bind(user_id)
            )?;
            change.tokens_revoked = exec!(&mut tx, sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(super::now())
            .bind(user_id))?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        audit::append(
            &mut tx,
            actor,
            &Event::new(action, "user", user_id).detail(serde_json::json!({
                "sessions_ended": change.sessions_ended,
                "tokens_revoked": change.tokens_revoked,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(change)
    }

    /// Marks an account as made by `noted demo` (a published password).
    pub async fn mark_demo_user(&self, user_id: i64) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query("UPDATE users SET demo = TRUE WHERE id = $1").bind(user_id)
        )?;
        Ok(())
    }

    /// Emails of the enabled accounts `noted demo` created (their password is published).
    pub async fn enabled_demo_accounts(&self) -> Result<Vec<String>, StoreError> {
        Ok(db!(self, |x| sqlx::query_scalar(
            "SELECT email FROM users WHERE demo = TRUE AND disabled = FALSE ORDER BY id",
        )
        .fetch_all(x)
        .await)?)
    }

    /// Every user, by email.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, role, supervisor_id, disabled, created_at
             FROM users ORDER BY email",
        )
        .fetch_all(x)
        .await)?)
    }

    /// The users whose supervisor is `supervisor_id`.
    pub async fn supervisees(&self, supervisor_id: i64) -> Result<Vec<User>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, role, supervisor_id, disabled, created_at
             FROM users WHERE supervisor_id = $1 ORDER BY email",
        )
        .bind(supervisor_id)
        .fetch_all(x)
        .await)?)
    }
}
