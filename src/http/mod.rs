//! The web service: shared state, one router per resource (each module's `router()` holds its
//! JSON API under `/api/v1` and its HTML pages), one error type (`error.rs`), the auth/CSRF
//! middleware and typed extractors (`extract.rs`), embedded templates (`templates.rs`).
//!
//! To add a resource: create `src/http/<resource>.rs` with `pub fn router() -> Router<AppState>`,
//! take `CurrentUser` (JSON) or `WebUser` (pages) in handlers, load client-owned rows only
//! through `state.chart(&user)` (`access.rs`: it checks chart access), audit reads with `state.audit(&user, event)` (writes
//! audit inside their store transaction), and merge the router in [`app`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

pub mod access;
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
pub mod streams;
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
    /// A connection must send a request's headers within this long (slow-header clients are
    /// dropped).
    pub header_read_timeout: Duration,
    /// A request body that sends nothing for this long is abandoned (408).
    pub body_read_timeout: Duration,
    /// Uploads received at once; more are refused with 429 until one ends.
    pub max_concurrent_uploads: usize,
    /// Free space the data directory's disk must keep after an upload (507 otherwise).
    pub min_free_disk_bytes: u64,
    /// The zone sessions and measures are dated in (default: the machine's).
    pub time_zone: crate::clock::PracticeZone,
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
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(60),
            max_concurrent_uploads: 4,
            min_free_disk_bytes: 1024 * 1024 * 1024,
            time_zone: crate::clock::PracticeZone::system(),
        }
    }
}

/// State shared by every handler. Cheap to clone. Later stages add their handles here.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<HttpConfig>,
    /// The data directory (uploads are received and streams recorded under it).
    pub data_dir: PathBuf,
    /// Where recordings' audio is kept: the data directory, or the practice's object store.
    pub audio: crate::store::audio::AudioStore,
    /// The durable job queue over the same database (workers are started by `noted serve`).
    pub jobs: crate::jobs::JobQueue,
    /// The shared, lazily loaded inference engines (see [`AppState::with_engines`]).
    pub engines: Arc<crate::pipeline::engines::Engines>,
    /// One permit per upload being received ([`HttpConfig::max_concurrent_uploads`]).
    pub uploads: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(store: Store, config: HttpConfig, data_dir: PathBuf) -> AppState {
        let jobs = crate::jobs::JobQueue::new(store.pool().clone());
        let engines = Arc::new(crate::pipeline::engines::Engines::new(
            data_dir.join("models"),
            None,
        ));
        let uploads = Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_uploads));
        AppState {
            store,
            config: Arc::new(config),
            audio: crate::store::audio::AudioStore::local(&data_dir),
            data_dir,
            jobs,
            engines,
            uploads,
        }
    }

    /// Keeps audio in `audio` (`--audio-store`).
    pub fn with_audio(mut self, audio: crate::store::audio::AudioStore) -> AppState {
        self.audio = audio;
        self
    }

    /// Uses these engines (the models directory and threads of `noted serve`).
    pub fn with_engines(mut self, engines: Arc<crate::pipeline::engines::Engines>) -> AppState {
        self.engines = engines;
        self
    }

    /// Today's date in the practice's time zone (`YYYY-MM-DD`): the default date of new
    /// sessions and measures.
    pub fn today(&self) -> String {
        self.config.time_zone.today()
    }

    /// The client if `user` may see its chart; otherwise 404 (never 403, so ids leak nothing),
    /// audited as a refused access. Short for `self.chart(user).client(client_id)`.
    pub async fn client_for(&self, user: &CurrentUser, client_id: i64) -> Result<Client, Error> {
        self.chart(user).client(client_id).await
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
    let body_timeout = state.config.body_read_timeout;
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
        .merge(streams::router())
        .merge(jobs::router())
        .merge(transcripts::router())
        .merge(drafts::router())
        .merge(notes::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::authenticate,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
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
    serve_until(state, listener, shutdown_signal()).await
}

/// Serves the app on `listener` until `shutdown` completes, then lets open requests finish.
/// Each connection is HTTP/1.1 with a header read timeout ([`HttpConfig::header_read_timeout`]),
/// which `axum::serve` does not set; body reads time out in [`app`].
pub async fn serve_until(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let store = state.store.clone();
    let header_timeout = state.config.header_read_timeout;
    let sweeper = tokio::spawn(sweep_sessions(state.clone()));
    let router = app(state);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service =
            router
                .clone()
                .map_request(move |req: axum::http::Request<hyper::body::Incoming>| {
                    let mut req = req.map(axum::body::Body::new);
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    req
                });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        tracing::debug!("connection from {peer} ended: {e}");
                    }
                }
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(stop);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(stop_rx);
    // Every connection task holds a receiver: closed() waits for the last one to finish.
    stop_tx.closed().await;
    sweeper.abort();
    if let Err(e) = crate::audit::keyed::checkpoint(&store).await {
        tracing::warn!("audit checkpoint failed: {e}");
    }
    store.close().await;
    Ok(())
}

/// Every few minutes: deletes expired sign-in sessions and runs the retention rules
/// ([`crate::pipeline::retention`]).
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
        crate::pipeline::retention::sweep_at(
            &state.store,
            &state.audio,
            time::OffsetDateTime::now_utc(),
        )
        .await;
        if let Err(e) = crate::audit::keyed::checkpoint(&state.store).await {
            tracing::warn!("audit checkpoint failed: {e}");
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
