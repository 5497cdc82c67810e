//! `noted backup`, `noted restore`: encrypted, consistent backups of a data directory (see
//! [`crate::backup`]).

use std::path::PathBuf;

use crate::backup::{self, Summary};
use crate::config::GlobalOpts;

/// `noted backup` arguments.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (or, with --verify, to check).
    pub file: PathBuf,
    /// Check an existing backup instead of writing one: it must open under this data
    /// directory's key, and restore to data whose integrity, audit chain, signatures and audio
    /// all verify (restored into a scratch directory that is removed).
    #[arg(long)]
    pub verify: bool,
}

/// `noted restore` arguments.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file to restore into the (empty) data directory.
    pub file: PathBuf,
}

fn describe(s: &Summary) -> String {
    format!(
        "{} files; audit log intact ({} rows); {} signatures and {} signed notes verified; {} \
         audio files open",
        s.files, s.audit_rows, s.signatures, s.signed_notes, s.audio_files
    )
}

pub async fn run_backup(g: &GlobalOpts, a: BackupArgs) -> anyhow::Result<()> {
    super::database(g)?.require_sqlite("noted backup", backup::ON_POSTGRES)?;
    let key_file = g.key_file.as_deref();
    if a.verify {
        let s = backup::verify(&a.file, &g.data_dir(), key_file).await?;
        println!("backup {} verified: {}", a.file.display(), describe(&s));
    } else {
        let files = backup::create(&g.data_dir(), key_file, &a.file).await?;
        println!(
            "backup written to {} ({files} files, encrypted under the data key)",
            a.file.display()
        );
    }
    Ok(())
}

pub async fn run_restore(g: &GlobalOpts, a: RestoreArgs) -> anyhow::Result<()> {
    super::database(g)?.require_sqlite("noted restore", backup::ON_POSTGRES)?;
    let dir = g.data_dir();
    let s = backup::restore(&a.file, &dir, g.key_file.as_deref()).await?;
    println!("restored into {}: {}", dir.display(), describe(&s));
    Ok(())
}
