//! `noted bench draft`: speed measurement.

use crate::config::GlobalOpts;

/// Options of `noted bench draft`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {}

pub async fn run(_g: &GlobalOpts, _a: BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("`noted bench draft` is not built yet")
}
