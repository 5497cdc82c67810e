//! Sign-in and identity: argon2id passwords, server-side sessions with idle and absolute
//! timeouts, hashed API tokens, per-account and per-address rate limits on failed sign-ins.
//! Authorization of chart access is in `Store::accessible_client`.

use std::sync::OnceLock;

pub mod password;
pub mod token;

pub use crate::store::{Role, User, Viewer};
pub use password::PasswordParams;

use crate::audit::{self, Actor, Event};
use crate::store::auth::{LimitScope, LoginGate, LoginLimits};
use crate::store::{unix_now, Store, StoreError};

/// Days an API token lasts unless its creator says otherwise (`noted user token --days`,
/// `NOTED_TOKEN_DAYS`).
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Sign-in policy.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub password: PasswordParams,
    /// A session unused this long (seconds) is over. Default 30 minutes.
    pub idle_timeout: i64,
    /// A session older than this (seconds) is over however active. Default 12 hours.
    pub absolute_timeout: i64,
    /// Failed sign-ins allowed per account within `failure_window` (the main guard).
    pub max_failures: i64,
    /// Failed sign-ins allowed per address within `failure_window`; past it the address is
    /// refused only for accounts that have not signed in from it within
    /// [`KNOWN_ADDRESS_SECS`], so one actor behind a shared address cannot lock everyone out.
    pub max_failures_per_addr: i64,
    /// Seconds. Default 15 minutes.
    pub failure_window: i64,
    /// Caps the password hashes computed at once (argon2 takes 19 MiB each).
    pub hashing: HashGate,
}

impl Default for AuthConfig {
    fn default() -> AuthConfig {
        AuthConfig {
            password: PasswordParams::default(),
            idle_timeout: 30 * 60,
            absolute_timeout: 12 * 60 * 60,
            max_failures: 10,
            max_failures_per_addr: 50,
            failure_window: 15 * 60,
            hashing: HashGate::default(),
        }
    }
}

/// How long a success from an address keeps the account known there (30 days); also how long
/// sign-in bookkeeping (emails, addresses) is kept before it is purged.
pub const KNOWN_ADDRESS_SECS: i64 = 30 * 24 * 3600;

/// A bound on concurrent password hashing: at most `permits` hashes run at once, and a request
/// waits at most `wait` for a turn before it is refused as busy (429).
#[derive(Debug, Clone)]
pub struct HashGate {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl HashGate {
    pub fn new(permits: usize, wait: std::time::Duration) -> HashGate {
        HashGate {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(permits.max(1))),
            wait,
        }
    }

    /// Runs `f` on the blocking pool once a permit is free; `Err(Busy)` past the wait.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AuthError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AuthError::Busy)?
            .map_err(|_| AuthError::Busy)?;
        let out = tokio::task::spawn_blocking(move || {
            let out = f();
            drop(permit);
            out
        })
        .await
        .map_err(|_| AuthError::Busy)?;
        Ok(out)
    }

    /// Permits free now (for tests and diagnostics).
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    /// Takes every permit until the returned guard drops (tests: a server saturated).
    pub async fn saturate(&self) -> tokio::sync::OwnedSemaphorePermit {
        let n = self.available() as u32;
        self.permits
            .clone()
            .acquire_many_owned(n)
            .await
            .expect("the gate's semaphore is never closed")
    }
}

impl Default for HashGate {
    /// Two hashes at once per four cores (at least two), each request waiting up to 5 s.
    fn default() -> HashGate {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashGate::new((cores / 2).max(2), std::time::Duration::from_secs(5))
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
    /// Every password-hashing slot stayed taken: try again shortly.
    #[error("the server is busy checking other sign-ins; try again in a few seconds")]
    Busy,
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

fn limits(cfg: &AuthConfig, now: i64, per_addr: bool) -> LoginLimits {
    LoginLimits {
        since: now - cfg.failure_window,
        max_per_account: cfg.max_failures,
        max_per_addr: if per_addr {
            cfg.max_failures_per_addr
        } else {
            i64::MAX
        },
        known_since: now - KNOWN_ADDRESS_SECS,
    }
}

/// Audits a refused attempt, at most once per account or address and failure window (the
/// count of the rest is kept in `login_refusals`), and builds the error.
#[allow(clippy::too_many_arguments)]
async fn refuse(
    store: &Store,
    cfg: &AuthConfig,
    email: &str,
    user_id: Option<i64>,
    remote_addr: &str,
    scope: LimitScope,
    oldest: i64,
    now: i64,
) -> Result<AuthError, StoreError> {
    let window = cfg.failure_window.max(1);
    let window_start = now - now.rem_euclid(window);
    let (key, scope_name, scope_text) = match scope {
        LimitScope::Account => (
            format!("account:{}", email.trim().to_lowercase()),
            "account",
            "for this account",
        ),
        LimitScope::Address => (
            format!("address:{remote_addr}"),
            "address",
            "from this address",
        ),
    };
    let ev = Event::new("auth.login_refused", "auth", "").detail(serde_json::json!({
        "reason": "rate_limited",
        "scope": scope_name,
        "user_id": user_id,
        "window_start": window_start,
    }));
    let actor = Actor {
        user_id: None,
        remote_addr: remote_addr.into(),
    };
    store
        .record_login_refusal(&actor, &key, window_start, &ev)
        .await?;
    Ok(AuthError::RateLimited {
        scope: scope_text,
        retry_after_secs: (oldest + cfg.failure_window - now).max(1),
    })
}

/// Checks credentials and creates a server-side session. The attempt is admitted (per-account
/// and per-address limits) and counted as a failure atomically before any hashing, the hash runs
/// behind [`AuthConfig::hashing`], and a success then clears the failure mark.
pub async fn sign_in(
    store: &Store,
    cfg: &AuthConfig,
    email: &str,
    password: &str,
    remote_addr: &str,
) -> Result<NewSession, AuthError> {
    let now = unix_now();
    let email = email.trim();
    let user = store.user_by_email(email).await?;
    let attempt_id = match store
        .admit_login_attempt(email, remote_addr, now, &limits(cfg, now, true))
        .await?
    {
        LoginGate::Admitted { attempt_id } => attempt_id,
        LoginGate::Refused { scope, oldest } => {
            let uid = user.as_ref().map(|u| u.id);
            return Err(refuse(store, cfg, email, uid, remote_addr, scope, oldest, now).await?);
        }
    };
    let hash = match &user {
        Some(u) if !u.disabled => store.password_hash(u.id).await?,
        _ => None,
    };
    let pw = password.to_string();
    let params = cfg.password;
    let checked = cfg
        .hashing
        .run(move || match hash {
            Some(h) => password::verify_blocking(&h, &pw),
            None => {
                // Same work for unknown accounts, so timing does not reveal which emails exist.
                let _ = password::verify_blocking(dummy_hash(params), &pw);
                false
            }
        })
        .await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(e) => {
            store.cancel_login_attempt(attempt_id).await?;
            return Err(e);
        }
    };
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
    store.mark_login_success(attempt_id).await?;
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
    let attempt_id = match store
        .admit_login_attempt(&user.email, remote_addr, now, &limits(cfg, now, false))
        .await?
    {
        LoginGate::Admitted { attempt_id } => attempt_id,
        LoginGate::Refused { oldest, .. } => {
            return Err(AuthError::RateLimited {
                scope: "for this account",
                retry_after_secs: (oldest + cfg.failure_window - now).max(1),
            });
        }
    };
    let hash = store.password_hash(user.id).await?.unwrap_or_default();
    let pw = password.to_string();
    let ok = match cfg
        .hashing
        .run(move || !pw.is_empty() && password::verify_blocking(&hash, &pw))
        .await
    {
        Ok(ok) => ok,
        Err(e) => {
            store.cancel_login_attempt(attempt_id).await?;
            return Err(e);
        }
    };
    if ok {
        store.mark_login_success(attempt_id).await?;
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
    let (params, new_pw) = (cfg.password, new.to_string());
    let hash = cfg
        .hashing
        .run(move || password::hash_blocking(params, &new_pw))
        .await?
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
