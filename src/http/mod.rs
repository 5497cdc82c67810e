//! The web service: shared state, one router per resource (each module's `router()` holds its
//! JSON API under `/api/v1` and its HTML pages), one error type (`error.rs`), the auth/CSRF
//! middleware and typed extractors (`extract.rs`), embedded templates (`templates.rs`).
//!
//! To add a resource: create `src/http/<resource>.rs` with `pub fn router() -> Router<AppState>`,
//! take `CurrentUser` (JSON) or `WebUser` (pages) in handlers, check chart access with
//! `state.client_for(&user, client_id)`, audit reads with `state.audit(&user, event)` (writes
//! audit inside their store transaction), and merge the router in [`app`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub mod access_log;
pub mod assets;
pub mod clients;
pub mod drafts;
pub mod error;
pub mod extract;
pub mod flags;
pub mod health;
pub mod jobs;
pub mod measures;
pub mod notes;
pub mod plans;
pub mod proxy;
pub mod recordings;
pub mod redirect;
pub mod sessions;
pub mod signin;
pub mod templates;
pub mod transcripts;
pub mod users;

pub use error::{Error, PageError};
pub use extract::{ApiJson, CurrentUser, RemoteAddr, WebUser};

use crate::audit::{self, Event};
use crate::auth::AuthConfig;
use crate::measures::CbiBands;
use crate::store::{Client, Store};

/// Settings of the web service.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub auth: AuthConfig,
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    pub cbi_bands: CbiBands,
    /// Largest request body accepted by default (uploads set their own limit on their route).
    pub max_body_bytes: usize,
    /// Largest audio upload, in bytes (413 past it).
    pub max_upload_bytes: u64,
    /// Longest audio accepted, in seconds (413 past it).
    pub max_audio_seconds: f64,
    /// Keep uploaded audio after transcription unless the upload says otherwise.
    pub keep_audio_default: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` headers name the client.
    pub trusted_proxies: proxy::TrustedProxies,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            auth: AuthConfig::default(),
            secure_cookies: false,
            cbi_bands: CbiBands::default(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 1024 * 1024 * 1024,
            max_audio_seconds: 4.0 * 3600.0,
            keep_audio_default: false,
            trusted_proxies: proxy::TrustedProxies::default(),
        }
    }
}

/// State shared by every handler. Cheap to clone. Later stages add their handles here.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<HttpConfig>,
    /// The data directory (audio awaiting transcription lives under it).
    pub data_dir: PathBuf,
    /// The durable job queue over the same database (workers are started by `noted serve`).
    pub jobs: crate::jobs::JobQueue,
    /// The shared, lazily loaded inference engines (see [`AppState::with_engines`]).
    pub engines: Arc<crate::pipeline::engines::Engines>,
}

impl AppState {
    pub fn new(store: Store, config: HttpConfig, data_dir: PathBuf) -> AppState {
        let jobs = crate::jobs::JobQueue::new(store.pool().clone());
        let engines = Arc::new(crate::pipeline::engines::Engines::new(
            data_dir.join("models"),
            None,
        ));
        AppState {
            store,
            config: Arc::new(config),
            data_dir,
            jobs,
            engines,
        }
    }

    /// Uses these engines (the models directory and threads of `noted serve`).
    pub fn with_engines(mut self, engines: Arc<crate::pipeline::engines::Engines>) -> AppState {
        self.engines = engines;
        self
    }

    /// The client if `user` may see its chart; otherwise 404 (never 403, so ids leak nothing),
    /// audited as a refused access.
    pub async fn client_for(&self, user: &CurrentUser, client_id: i64) -> Result<Client, Error> {
        self.chart_client(user, client_id, "client", client_id)
            .await
    }

    /// The client whose chart holds `kind` `id` (a note, a recording...) if `user` may see the
    /// chart; otherwise a 404 naming `kind`, with an `access.refused` audit row. The one way
    /// handlers check chart access.
    pub async fn chart_client(
        &self,
        user: &CurrentUser,
        client_id: i64,
        kind: &'static str,
        id: i64,
    ) -> Result<Client, Error> {
        match self
            .store
            .accessible_client(user.viewer(), client_id)
            .await?
        {
            Some(c) => Ok(c),
            None => {
                let ev = Event::new("access.refused", kind, id)
                    .client(client_id)
                    .detail(serde_json::json!({"status": 404}));
                self.audit(user, ev).await?;
                Err(Error::NotFound(kind))
            }
        }
    }

    /// Writes an audit row for something `user` did (views, exports). Changes should instead
    /// audit inside their own store transaction.
    pub async fn audit(&self, user: &CurrentUser, event: Event) -> Result<(), Error> {
        audit::record(&self.store, &user.actor(), &event).await?;
        Ok(())
    }
}

/// The whole application router.
pub fn app(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .merge(health::router())
        .merge(assets::router())
        .merge(signin::router())
        .merge(clients::router())
        .merge(plans::router())
        .merge(measures::router())
        .merge(sessions::router())
        .merge(flags::router())
        .merge(users::router())
        .merge(access_log::router())
        .merge(recordings::router())
        .merge(jobs::router())
        .merge(transcripts::router())
        .merge(drafts::router())
        .merge(notes::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::authenticate,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; \
                 style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .with_state(state)
}

/// Logs method, path (never the query: it can hold a searched name), status and latency.
async fn log_request(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let start = std::time::Instant::now();
    let resp = next.run(req).await;
    tracing::info!(
        %method,
        path,
        status = resp.status().as_u16(),
        ms = start.elapsed().as_millis() as u64,
        "request"
    );
    resp
}

/// Serves the app on `listener` until Ctrl-C / SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let store = state.store.clone();
    let sweeper = tokio::spawn(sweep_sessions(state.clone()));
    let result = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    sweeper.abort();
    store.close().await;
    result
}

/// Deletes expired sign-in sessions every few minutes, and sign-in bookkeeping (the emails and
/// addresses of attempts) older than [`crate::auth::KNOWN_ADDRESS_SECS`].
async fn sweep_sessions(state: AppState) {
    let cfg = state.config.auth.clone();
    loop {
        let now = crate::store::unix_now();
        if let Err(e) = state
            .store
            .delete_expired_auth_sessions(now - cfg.idle_timeout, now - cfg.absolute_timeout)
            .await
        {
            tracing::warn!("session sweep failed: {e}");
        }
        if let Err(e) = state
            .store
            .purge_login_records(now - crate::auth::KNOWN_ADDRESS_SECS)
            .await
        {
            tracing::warn!("sign-in record purge failed: {e}");
        }
        tokio::time::sleep(Duration::from_secs(300)).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Template variables every signed-in page needs: `me` (the user) and `csrf` (the form token).
pub fn page_base(user: &CurrentUser) -> minijinja::Value {
    minijinja::context! {
        me => minijinja::context! {
            id => user.user.id,
            email => &user.user.email,
            label => user.user.label(),
            role => user.user.role.as_str(),
        },
        csrf => user.csrf_token(),
    }
}
