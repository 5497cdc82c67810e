//! Sign-in and identity: argon2id passwords, server-side sessions with idle and absolute
//! timeouts, hashed API tokens, per-account and per-address rate limits on failed sign-ins.
//! Authorization of chart access is in `Store::accessible_client`.

use std::sync::OnceLock;

pub mod password;
pub mod token;

pub use crate::store::{Role, User, Viewer};
pub use password::PasswordParams;

use crate::audit::{self, Actor, Event};
use crate::store::{unix_now, Store, StoreError};

/// Days an API token lasts unless its creator says otherwise (`noted user token --days`,
/// `NOTED_TOKEN_DAYS`).
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Sign-in policy.
#[derive(Debug, Clone, Copy)]
pub struct AuthConfig {
    pub password: PasswordParams,
    /// A session unused this long (seconds) is over. Default 30 minutes.
    pub idle_timeout: i64,
    /// A session older than this (seconds) is over however active. Default 12 hours.
    pub absolute_timeout: i64,
    /// Failed sign-ins allowed per account and per address within `failure_window`.
    pub max_failures: i64,
    /// Seconds. Default 15 minutes.
    pub failure_window: i64,
}

impl Default for AuthConfig {
    fn default() -> AuthConfig {
        AuthConfig {
            password: PasswordParams::default(),
            idle_timeout: 30 * 60,
            absolute_timeout: 12 * 60 * 60,
            max_failures: 10,
            failure_window: 15 * 60,
        }
    }
}

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("email or password is incorrect")]
    BadCredentials,
    #[error("too many failed sign-ins {scope}; try again in {} minute(s)", (.retry_after_secs + 59) / 60)]
    RateLimited {
        scope: &'static str,
        retry_after_secs: i64,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a request was authenticated.
#[derive(Debug, Clone)]
pub enum AuthVia {
    /// Browser session cookie: state-changing requests need the CSRF token.
    Session {
        token_hash: String,
        csrf_token: String,
    },
    /// `Authorization: Bearer` API token: no CSRF needed (not sent automatically by browsers).
    ApiToken,
}

/// An authenticated user and how they authenticated.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: User,
    pub via: AuthVia,
}

/// A session just created by signing in.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value (only its hash is stored).
    pub token: String,
    pub csrf_token: String,
    pub user: User,
}

fn dummy_hash(params: PasswordParams) -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        password::hash_blocking(params, "dummy password for timing").unwrap_or_default()
    })
}

/// Checks credentials (rate limited per account and per address), records the attempt, audits
/// it, and creates a server-side session.
pub async fn sign_in(
    store: &Store,
    cfg: &AuthConfig,
    email: &str,
    password: &str,
    remote_addr: &str,
) -> Result<NewSession, AuthError> {
    let now = unix_now();
    let since = now - cfg.failure_window;
    let email = email.trim();
    let per_account = store.recent_failures_for_email(email, since).await?;
    let per_addr = store.recent_failures_for_addr(remote_addr, since).await?;
    if per_account >= cfg.max_failures || per_addr >= cfg.max_failures {
        let oldest = store
            .oldest_failure_since(email, remote_addr, since)
            .await?
            .unwrap_or(now);
        let scope = if per_account >= cfg.max_failures {
            "for this account"
        } else {
            "from this address"
        };
        let ev = Event::new("auth.login_refused", "auth", "")
            .detail(serde_json::json!({"reason": "rate_limited"}));
        audit::record(
            store,
            &Actor {
                user_id: None,
                remote_addr: remote_addr.into(),
            },
            &ev,
        )
        .await?;
        return Err(AuthError::RateLimited {
            scope,
            retry_after_secs: (oldest + cfg.failure_window - now).max(1),
        });
    }
    let user = store.user_by_email(email).await?;
    let hash = match &user {
        Some(u) if !u.disabled => store.password_hash(u.id).await?,
        _ => None,
    };
    let ok = match hash {
        Some(h) => password::verify(h, password.to_string()).await,
        None => {
            // Same work for unknown accounts, so timing does not reveal which emails exist.
            let (params, pw) = (cfg.password, password.to_string());
            let _ = tokio::task::spawn_blocking(move || {
                password::verify_blocking(dummy_hash(params), &pw)
            })
            .await;
            false
        }
    };
    store
        .record_login_attempt(email, remote_addr, ok, now)
        .await?;
    let user = match (ok, user) {
        (true, Some(u)) => u,
        (_, u) => {
            let ev = Event::new("auth.login_failed", "auth", "")
                .detail(serde_json::json!({"user_id": u.map(|u| u.id)}));
            audit::record(
                store,
                &Actor {
                    user_id: None,
                    remote_addr: remote_addr.into(),
                },
                &ev,
            )
            .await?;
            return Err(AuthError::BadCredentials);
        }
    };
    let token = token::random_token();
    let csrf_token = token::random_token();
    store
        .create_auth_session(
            &token::hash_token(&token),
            user.id,
            &csrf_token,
            now,
            remote_addr,
        )
        .await?;
    audit::record(
        store,
        &Actor::user(user.id, remote_addr),
        &Event::new("auth.login", "user", user.id),
    )
    .await?;
    Ok(NewSession {
        token,
        csrf_token,
        user,
    })
}

/// Re-checks a signed-in user's password before a signature (sign, co-sign, addendum). It is
/// limited like sign-in: a wrong password counts as a failed sign-in of the account and of the
/// address, and once the account has `max_failures` within `failure_window` every check is
/// refused until the window passes, before any password is hashed.
pub async fn recheck_password(
    store: &Store,
    cfg: &AuthConfig,
    user: &User,
    password: &str,
    remote_addr: &str,
) -> Result<(), AuthError> {
    let now = unix_now();
    let since = now - cfg.failure_window;
    if store.recent_failures_for_email(&user.email, since).await? >= cfg.max_failures {
        let oldest = store
            .oldest_failure_since(&user.email, remote_addr, since)
            .await?
            .unwrap_or(now);
        return Err(AuthError::RateLimited {
            scope: "for this account",
            retry_after_secs: (oldest + cfg.failure_window - now).max(1),
        });
    }
    let hash = store.password_hash(user.id).await?.unwrap_or_default();
    let ok = !password.is_empty() && password::verify(hash, password.to_string()).await;
    store
        .record_login_attempt(&user.email, remote_addr, ok, now)
        .await?;
    if ok {
        Ok(())
    } else {
        Err(AuthError::BadCredentials)
    }
}

/// The identity behind a session cookie, if the session exists, is within both timeouts and the
/// user is enabled. Expired sessions are deleted; live ones are touched (idle timer restarts).
pub async fn resolve_session(
    store: &Store,
    cfg: &AuthConfig,
    cookie_token: &str,
) -> Result<Option<Identity>, StoreError> {
    let token_hash = token::hash_token(cookie_token);
    let Some(s) = store.auth_session(&token_hash).await? else {
        return Ok(None);
    };
    let now = unix_now();
    if now - s.last_seen_at > cfg.idle_timeout || now - s.created_at > cfg.absolute_timeout {
        store.delete_auth_session(&token_hash).await?;
        return Ok(None);
    }
    let Some(user) = store.user(s.user_id).await?.filter(|u| !u.disabled) else {
        store.delete_auth_session(&token_hash).await?;
        return Ok(None);
    };
    if now != s.last_seen_at {
        store.touch_auth_session(&token_hash, now).await?;
    }
    Ok(Some(Identity {
        user,
        via: AuthVia::Session {
            token_hash,
            csrf_token: s.csrf_token,
        },
    }))
}

/// The identity behind an API token.
pub async fn resolve_bearer(store: &Store, bearer: &str) -> Result<Option<Identity>, StoreError> {
    Ok(store
        .user_by_api_token(&token::hash_token(bearer))
        .await?
        .map(|user| Identity {
            user,
            via: AuthVia::ApiToken,
        }))
}

/// Deletes a session server-side and audits the sign-out.
pub async fn sign_out(
    store: &Store,
    identity: &Identity,
    remote_addr: &str,
) -> Result<(), StoreError> {
    if let AuthVia::Session { token_hash, .. } = &identity.via {
        store.delete_auth_session(token_hash).await?;
    }
    audit::record(
        store,
        &Actor::user(identity.user.id, remote_addr),
        &Event::new("auth.logout", "user", identity.user.id),
    )
    .await?;
    Ok(())
}

/// Creates an API token for a user, valid for [`DEFAULT_TOKEN_DAYS`], and returns it (shown
/// once; only its hash is kept).
pub async fn create_api_token(
    store: &Store,
    actor: &Actor,
    user_id: i64,
    label: &str,
) -> Result<String, StoreError> {
    create_api_token_for_days(store, actor, user_id, label, DEFAULT_TOKEN_DAYS).await
}

/// Creates an API token valid for `days` days (at least one) and returns it.
pub async fn create_api_token_for_days(
    store: &Store,
    actor: &Actor,
    user_id: i64,
    label: &str,
    days: i64,
) -> Result<String, StoreError> {
    let token = token::new_api_token();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(days.max(1));
    store
        .create_api_token(
            actor,
            user_id,
            &token::hash_token(&token),
            label,
            &crate::store::format_ts(expires),
        )
        .await?;
    Ok(token)
}

/// Changes a signed-in user's own password: the current one is re-checked (rate limited like
/// sign-in), the new one must meet the policy, and every other session of the user ends.
pub async fn change_password(
    store: &Store,
    cfg: &AuthConfig,
    identity: &Identity,
    current: &str,
    new: &str,
    remote_addr: &str,
) -> Result<(), ChangePasswordError> {
    password::check_policy(new).map_err(|e| ChangePasswordError::Policy(e.to_string()))?;
    recheck_password(store, cfg, &identity.user, current, remote_addr).await?;
    let hash = password::hash(cfg.password, new.to_string())
        .await
        .map_err(|e| ChangePasswordError::Hash(e.to_string()))?;
    let keep = match &identity.via {
        AuthVia::Session { token_hash, .. } => Some(token_hash.as_str()),
        AuthVia::ApiToken => None,
    };
    store
        .set_password_hash(
            &Actor::user(identity.user.id, remote_addr),
            identity.user.id,
            &hash,
            keep,
        )
        .await
        .map_err(AuthError::from)?;
    Ok(())
}

/// Why a password change failed.
#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    /// The current password was wrong, or too many were.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The new password does not meet the policy.
    #[error("{0}")]
    Policy(String),
    /// Hashing failed (a bug or the environment).
    #[error("hashing the password: {0}")]
    Hash(String),
}
