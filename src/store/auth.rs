//! Sign-in bookkeeping: server-side sessions, API tokens (hashes only) and sign-in attempts.

use super::{db, exec};
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
        exec!(self, sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, remote_addr)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(now)
        .bind(remote_addr))?;
        Ok(())
    }

    /// A session by token hash.
    pub async fn auth_session(&self, token_hash: &str) -> Result<Option<AuthSession>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, AuthSession>(
            "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at
             FROM auth_sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(x)
        .await)?)
    }

    /// Marks a session as used now (idle timeout restarts).
    pub async fn touch_auth_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
        )?;
        Ok(())
    }

    /// Deletes a session (sign-out or expiry).
    pub async fn delete_auth_session(&self, token_hash: &str) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1").bind(token_hash)
        )?;
        Ok(())
    }

    /// Deletes sessions idle since before `idle_before` or created before `created_before`.
    pub async fn delete_expired_auth_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, StoreError> {
        Ok(exec!(
            self,
            sqlx::query("DELETE FROM auth_sessions WHERE last_seen_at < $1 OR created_at < $2")
                .bind(idle_before)
                .bind(created_before)
        )?)
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
        let id = db!(&mut tx, |x| sqlx::query_scalar::<_, i64>(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(label)
        .bind(super::now())
        .bind(expires_at)
        .fetch_one(x)
        .await)?;
        let ev = Event::new("token.create", "api_token", id)
            .detail(serde_json::json!({"user_id": user_id, "expires_at": expires_at}));
        audit::append(&mut tx, actor, &ev).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The (enabled) user owning an unrevoked, unexpired API token, recording its use.
    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let now = super::now();
        let user = db!(self, |x| {
            sqlx::query_as::<_, User>(
            "SELECT u.id, u.email, u.display_name, u.role, u.supervisor_id, u.disabled, u.created_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
               AND u.disabled = FALSE",
        )
        .bind(token_hash)
        .bind(&now)
        .fetch_optional(x)
        .await
        })?;
        if user.is_some() {
            exec!(
                self,
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(&now)
                    .bind(token_hash)
            )?;
        }
        Ok(user)
    }

    /// A user's API tokens (hashes never leave the store), newest first.
    pub async fn list_api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(x)
        .await)?)
    }

    /// One API token by id.
    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>, StoreError> {
        Ok(db!(self, |x| sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(x)
        .await)?)
    }

    /// Revokes an API token (audited); revoking a revoked token changes nothing.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> Result<ApiToken, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = exec!(
            &mut tx,
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(super::now())
            .bind(id)
        )?;
        let token = db!(&mut tx, |x| sqlx::query_as::<_, ApiToken>(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at, expires_at
             FROM api_tokens WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(x)
        .await)?
        .ok_or(StoreError::NotFound("api token"))?;
        if n > 0 {
            let ev = Event::new("token.revoke", "api_token", id)
                .detail(serde_json::json!({"user_id": token.user_id}));
            audit::append(&mut tx, actor, &ev).await?;
        }
        tx.commit().await?;
        Ok(token)
    }

    /// Admits a sign-in attempt or refuses it, atomically: in one write transaction the
    /// limits are checked and, when admitted, the attempt is recorded as a failure before any
    /// password is hashed (see [`Store::mark_login_success`]), so concurrent attempts cannot all
    /// pass the same check.
    pub async fn admit_login_attempt(
        &self,
        email: &str,
        remote_addr: &str,
        now: i64,
        limits: &LoginLimits,
    ) -> Result<LoginGate, StoreError> {
        let email = email.trim();
        let mut tx = self.begin_write().await?;
        let per_account: i64 = db!(&mut tx, |x| sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts
             WHERE email = $1 AND success = FALSE AND at >= $2
               AND at >= COALESCE((SELECT MAX(at) FROM login_attempts
                                   WHERE email = $1 AND success = TRUE), 0)",
        )
        .bind(email)
        .bind(limits.since)
        .fetch_one(x)
        .await)?;
        let scope = if per_account >= limits.max_per_account {
            Some(LimitScope::Account)
        } else {
            let per_addr: i64 = db!(&mut tx, |x| sqlx::query_scalar(
                "SELECT COUNT(*) FROM login_attempts
                 WHERE remote_addr = $1 AND success = FALSE AND at >= $2",
            )
            .bind(remote_addr)
            .bind(limits.since)
            .fetch_one(x)
            .await)?;
            let known: bool = per_addr >= limits.max_per_addr
                && db!(&mut tx, |x| sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM login_attempts
                     WHERE email = $1 AND remote_addr = $2 AND success = TRUE AND at >= $3",
                )
                .bind(email)
                .bind(remote_addr)
                .bind(limits.known_since)
                .fetch_one(x)
                .await)?
                    > 0;
            (per_addr >= limits.max_per_addr && !known).then_some(LimitScope::Address)
        };
        if let Some(scope) = scope {
            let (column, value) = match scope {
                LimitScope::Account => ("email", email),
                LimitScope::Address => ("remote_addr", remote_addr),
            };
            // `column` is one of two fixed names
            let sql = format!(
                "SELECT MIN(at) FROM login_attempts WHERE {column} = $1 AND success = FALSE AND at >= $2"
            );
            let oldest: Option<i64> =
                db!(&mut tx, |x| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(value)
                    .bind(limits.since)
                    .fetch_one(x)
                    .await)?;
            tx.commit().await?;
            return Ok(LoginGate::Refused {
                scope,
                oldest: oldest.unwrap_or(now),
            });
        }
        let id = db!(&mut tx, |x| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO login_attempts (email, remote_addr, at, success) VALUES ($1, $2, $3, FALSE) RETURNING id",
        )
        .bind(email)
        .bind(remote_addr)
        .bind(now)
        .fetch_one(x)
        .await
        })?;
        tx.commit().await?;
        Ok(LoginGate::Admitted { attempt_id: id })
    }

    /// Turns an admitted attempt into a success (the password was right).
    pub async fn mark_login_success(&self, attempt_id: i64) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query("UPDATE login_attempts SET success = TRUE WHERE id = $1").bind(attempt_id)
        )?;
        Ok(())
    }

    /// Forgets an admitted attempt whose password was never checked (the server was busy).
    pub async fn cancel_login_attempt(&self, attempt_id: i64) -> Result<(), StoreError> {
        exec!(
            self,
            sqlx::query("DELETE FROM login_attempts WHERE id = $1").bind(attempt_id)
        )?;
        Ok(())
    }

    /// Counts a refused (rate-limited) sign-in for `scope_key` in the window starting at
    /// `window_start`, and audits it only when it is the first of that window: refused
    /// attempts add at most one audit row per account or address and window. Returns the
    /// window's count so far.
    pub async fn record_login_refusal(
        &self,
        actor: &Actor,
        scope_key: &str,
        window_start: i64,
        event: &Event,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let count: i64 = db!(&mut tx, |x| sqlx::query_scalar(
            "INSERT INTO login_refusals (scope_key, window_start, count) VALUES ($1, $2, 1)
             ON CONFLICT (scope_key, window_start) DO UPDATE SET count = login_refusals.count + 1
             RETURNING count",
        )
        .bind(scope_key)
        .bind(window_start)
        .fetch_one(x)
        .await)?;
        if count == 1 {
            audit::append(&mut tx, actor, event).await?;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Deletes sign-in bookkeeping (attempts with their emails and addresses, refusal counts)
    /// older than `before` (unix seconds). Returns the rows deleted.
    pub async fn purge_login_records(&self, before: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let a = exec!(
            &mut tx,
            sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(before)
        )?;
        let r = exec!(
            &mut tx,
            sqlx::query("DELETE FROM login_refusals WHERE window_start < $1").bind(before)
        )?;
        tx.commit().await?;
        Ok(a + r)
    }
}

/// The limits [`Store::admit_login_attempt`] applies.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Start of the failure window (unix seconds).
    pub since: i64,
    /// Failures an account may have in the window (since its last success).
    pub max_per_account: i64,
    /// Failures an address may have in the window before it is refused for accounts that
    /// have not signed in successfully from it since `known_since`.
    pub max_per_addr: i64,
    /// How far back a success from the same address makes the account known there.
    pub known_since: i64,
}

/// Which limit refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitScope {
    Account,
    Address,
}

/// What [`Store::admit_login_attempt`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Go on and check the password; the attempt is recorded as a failure until marked.
    Admitted { attempt_id: i64 },
    /// Over a limit; `oldest` is the oldest failure counted (to say when it lifts).
    Refused { scope: LimitScope, oldest: i64 },
}
