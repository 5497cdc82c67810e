//! Sign-in bookkeeping: server-side sessions, API tokens (hashes only) and sign-in attempts.

use super::{Store, StoreError, User};
use crate::audit::{self, Actor, Event};

/// A stored sign-in session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// A stored API token (its hash only).
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Refused from this time on.
    pub expires_at: Option<String>,
}

impl ApiToken {
    /// Whether the token is still accepted at `now` (a store timestamp).
    pub fn is_active(&self, now: &str) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_deref().is_some_and(|e| e > now)
    }
}

impl Store {
    /// Stores a new sign-in session.
    pub async fn create_auth_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: i64,
        remote_addr: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, remote_addr)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(now)
        .bind(remote_addr)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A session by token hash.
    pub async fn auth_session(&self, token_hash: &str) -> Result<Option<AuthSession>, StoreError> {
        Ok(sqlx::query_as::<_, AuthSession>(
            "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at
             FROM auth_sessions WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Marks a session as used now (idle timeout restarts).
    pub async fn touch_auth_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE auth_sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(now)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes a session (sign-out or expiry).
    pub async fn delete_auth_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes sessions idle since before `idle_before` or created before `created_before`.
    pub async fn delete_expired_auth_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM auth_sessions WHERE last_seen_at < ? OR created_at < ?")
                .bind(idle_before)
                .bind(created_before)
                .execute(self.pool())
                .await?
                .rows_affected(),
        )
    }

    /// Stores a new API token hash for a user, valid until `expires_at` (a store timestamp);
    /// returns the token row id.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: i64,
        token_hash: &str,
        label: &str,
        expires_at: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = sqlx::query(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(label)
        .bind(super::now())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        let ev = Event::new("token.create", "api_token", id)
            .detail(serde_json::json!({"user_id": user_id, "expires_at": expires_at}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The (enabled) user owning an unrevoked, unexpired API token, recording its use.
    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let now = super::now();
        let user = sqlx::query_as::<_, User>(
            "SELECT u.id, u.email, u.display_name, u.role, u.supervisor_id, u.disabled, u.created_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?
               AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(&now)
        .fetch_optional(self.pool())
        .await?;
        if user.is_some() {
            sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?")
                .bind(&now)
                .bind(token_hash)
                .execute(self.pool())
                .await?;
        }
        Ok(user)
    }

    /// A user's API tokens (hashes never leave the store), newest first.
    pub async fn list_api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        Ok(sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// One API token by id.
    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>, StoreError> {
        Ok(sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Revokes an API token (audited); revoking a revoked token changes nothing.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> Result<ApiToken, StoreError> {
        let mut tx = self.begin_write().await?;
        let n =
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(super::now())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let token = sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("api token"))?;
        if n > 0 {
            let ev = Event::new("token.revoke", "api_token", id)
                .detail(serde_json::json!({"user_id": token.user_id}));
            audit::append(&mut tx, actor, &ev).await?;
        }
        tx.commit().await?;
        Ok(token)
    }

    /// Records a sign-in attempt.
    pub async fn record_login_attempt(
        &self,
        email: &str,
        remote_addr: &str,
        success: bool,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_attempts (email, remote_addr, at, success) VALUES (?, ?, ?, ?)",
        )
        .bind(email.trim())
        .bind(remote_addr)
        .bind(at)
        .bind(success)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Failed attempts for an account since `since`, not counting those before its last success.
    pub async fn recent_failures_for_email(
        &self,
        email: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM login_attempts
             WHERE email = ?1 AND success = 0 AND at >= ?2
               AND at >= COALESCE((SELECT MAX(at) FROM login_attempts WHERE email = ?1 AND success = 1), 0)",
        )
        .bind(email.trim())
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// Failed attempts from an address since `since`.
    pub async fn recent_failures_for_addr(
        &self,
        remote_addr: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM login_attempts WHERE remote_addr = ? AND success = 0 AND at >= ?",
        )
        .bind(remote_addr)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    /// The oldest failure counted in the window (to say when the limit lifts).
    pub async fn oldest_failure_since(
        &self,
        email: &str,
        remote_addr: &str,
        since: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MIN(at) FROM login_attempts
             WHERE success = 0 AND at >= ? AND (email = ? OR remote_addr = ?)",
        )
        .bind(since)
        .bind(email.trim())
        .bind(remote_addr)
        .fetch_one(self.pool())
        .await?)
    }
}
