//! `noted user`: user accounts and API tokens.

use crate::config::GlobalOpts;

/// `noted user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand { List }

pub async fn run(_g: &GlobalOpts, _a: UserCommand) -> anyhow::Result<()> {
    anyhow::bail!("`noted user` is not built yet")
}
