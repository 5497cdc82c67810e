//! `noted serve`: opens (creating and migrating) the chart database in the data directory and
//! runs the web service.

use anyhow::Context;

use crate::config::GlobalOpts;
use crate::http::{self, AppState, HttpConfig};
use crate::measures::CbiBands;
use crate::store::Store;

/// Options of `noted serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NOTED_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Mark cookies Secure (serve over HTTPS, directly or behind a TLS proxy).
    #[arg(long, env = "NOTED_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// CBI band lower bounds for moderate, high and severe (scores 0-100).
    #[arg(long, env = "NOTED_CBI_BANDS", default_value = "50,75,100")]
    pub cbi_bands: CbiBands,
    /// Largest accepted request body in bytes for forms and JSON (uploads have their own limit).
    #[arg(long, env = "NOTED_MAX_BODY", default_value_t = 1024 * 1024)]
    pub max_body: usize,
}

/// The HTTP settings these options describe.
pub fn http_config(a: &ServeArgs) -> HttpConfig {
    HttpConfig {
        secure_cookies: a.secure_cookies,
        cbi_bands: a.cbi_bands,
        max_body_bytes: a.max_body,
        ..HttpConfig::default()
    }
}

/// Opens the store in the data directory and builds the application state.
pub async fn open_state(g: &GlobalOpts, a: &ServeArgs) -> anyhow::Result<AppState> {
    let data_dir = g.data_dir();
    let store = Store::open_in_dir(&data_dir)
        .await
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))?;
    Ok(AppState::new(store, http_config(a), data_dir))
}

/// Binds, prints the URL and serves until interrupted.
pub async fn serve_state(state: AppState, bind: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Noted is running at http://{addr}/ (data in {})", state.data_dir.display());
    tracing::info!(%addr, "listening");
    http::serve(state, listener).await.context("server failed")?;
    Ok(())
}

pub async fn run(g: &GlobalOpts, a: ServeArgs) -> anyhow::Result<()> {
    let state = open_state(g, &a).await?;
    serve_state(state, &a.bind).await
}
