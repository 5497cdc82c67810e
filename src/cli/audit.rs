//! `noted audit`: audit-log checks.

use crate::audit::{self, Verification};
use crate::config::GlobalOpts;

/// `noted audit` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exits non-zero and names the first broken row if it is broken.
    Verify,
}

pub async fn run(g: &GlobalOpts, cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify => {
            let store = super::open_store(g).await?;
            let result = audit::verify(&store).await?;
            let signatures = audit::keyed::verify_signatures(&store).await?;
            store.close().await;
            if let Verification::Broken { row_id, reason } = signatures {
                anyhow::bail!("signature {row_id} does not verify: {reason}");
            }
            match result {
                Verification::Intact { rows } => {
                    println!(
                        "audit log intact: {rows} rows, keyed hash chain and its checkpoints \
                         in audit.anchor verified"
                    );
                    Ok(())
                }
                Verification::Broken { row_id, reason } => {
                    anyhow::bail!("audit log broken at row {row_id}: {reason}")
                }
            }
        }
    }
}
