//! `noted serve`: runs the web service and job workers.

use crate::config::GlobalOpts;

/// Options of `noted serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub async fn run(_g: &GlobalOpts, _a: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`noted serve` is not built yet")
}
