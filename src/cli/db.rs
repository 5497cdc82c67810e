//! `noted db copy`: moves a practice between SQLite and PostgreSQL and verifies the copy (see
//! [`crate::store::copy`]).

use std::path::Path;

use crate::config::GlobalOpts;
use crate::store::copy::{self, CopyReport};
use crate::store::{Location, Store};

/// `noted db` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DbCommand {
    /// Copy every table of one database into another, empty one (SQLite to PostgreSQL or
    /// back), then verify the copy: row counts, signed-note hashes, the audit chain and the
    /// signatures. Stop the server first. Both use the data directory's keys.
    Copy(CopyArgs),
}

/// `noted db copy` arguments.
#[derive(Debug, clap::Args)]
pub struct CopyArgs {
    /// The database to copy: `sqlite://` (the data directory's noted.db), `sqlite://PATH`
    /// or `postgres://...`.
    #[arg(long)]
    pub from: String,
    /// The empty database to copy into.
    #[arg(long)]
    pub to: String,
}

pub async fn run(g: &GlobalOpts, cmd: DbCommand) -> anyhow::Result<()> {
    let DbCommand::Copy(a) = cmd;
    let data_dir = g.data_dir();
    let from = Location::parse(&a.from)?;
    let to = Location::parse(&a.to)?;
    for l in [&from, &to] {
        if let Location::Sqlite(Some(path)) = l {
            if !in_dir(path, &data_dir) {
                anyhow::bail!(
                    "{l} is not in the data directory {}: both databases are opened with the \
                     data directory's keys (data.key, audit.key, audit.anchor), so name the \
                     directory that holds the SQLite file with --data-dir",
                    data_dir.display()
                );
            }
        }
    }
    let key_file = g.key_file.as_deref();
    let source = Store::open_at(&from, &data_dir, key_file).await?;
    let target = Store::open_at(&to, &data_dir, key_file).await?;
    let result = copy::copy(&source, &target).await;
    source.close().await;
    target.close().await;
    let report = result?;
    print!("{}", describe(&report, &from, &to, &data_dir));
    Ok(())
}

/// Whether `file` lies directly in `dir`.
fn in_dir(file: &Path, dir: &Path) -> bool {
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (parent.canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => parent == dir,
    }
}

/// The report `noted db copy` prints.
fn describe(r: &CopyReport, from: &Location, to: &Location, data_dir: &Path) -> String {
    let mut out = format!(
        "copied {} rows in {} tables from {from} to {to}\n",
        r.rows(),
        r.tables.len()
    );
    for (table, rows, _) in &r.tables {
        out.push_str(&format!("  {table:<26} {rows:>9}\n"));
    }
    out.push_str(&format!(
        "verified on the target: the row count of every table; {} signed notes hash to their \
         signed hashes; audit log intact ({} rows, keyed, with audit.anchor's checkpoints); {} \
         signatures' MACs\n",
        r.signed_notes, r.audit_rows, r.signatures
    ));
    out.push_str(&format!(
        "the copy uses the keys and audio of {}: move data.key, audit.key, audit.anchor and \
         audio/ with it\n",
        data_dir.display()
    ));
    out
}
