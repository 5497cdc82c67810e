//! `noted audit`: audit-log checks.

use crate::config::GlobalOpts;

/// `noted audit` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand { Verify }

pub async fn run(_g: &GlobalOpts, _a: AuditCommand) -> anyhow::Result<()> {
    anyhow::bail!("`noted audit` is not built yet")
}
