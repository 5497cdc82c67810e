//! The chart database: a [`Store`] over an SQLite pool (SQLCipher-encrypted under a key derived
//! from the data key, WAL, synchronous=FULL, foreign keys), embedded migrations, and the runtime-checked queries behind a small API so another database
//! (PostgreSQL) can be added later without touching the HTTP layer.
//!
//! The SQL is written to mean the same on PostgreSQL (issue 15; its schema is
//! `migrations/postgres/`) wherever that costs SQLite nothing: `$N` placeholders, `RETURNING id`
//! rather than the last row id, `ON CONFLICT ... DO NOTHING`, `IS [NOT] DISTINCT FROM`,
//! `TRUE`/`FALSE` for the 0/1 flags (BOOLEAN there), and timestamps computed in Rust ([`now`]).
//! What is still SQLite's own: `json_extract`/`json_each` on job payloads, `LIKE`'s case
//! folding in the client search, `BEGIN IMMEDIATE`, the PRAGMAs, and the job table's
//! database-clock lease times (`store::jobs::sql` makes its statements for each database).

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

pub mod auth;
pub mod clients;
pub mod drafts;
pub mod encrypt;
mod exit;
pub mod flags;
pub mod jobs;
pub mod measures;
pub mod notes;
pub mod plan_document;
pub mod plans;
pub mod recordings;
pub mod sessions;
pub mod streams;
pub mod transcripts;
pub mod users;
pub mod voices;

pub use clients::{Client, ClientSummary};
pub use drafts::{DraftRow, DraftSummary, NewDraft};
pub use flags::{NewFlag, SafetyFlag};
pub use measures::{Measure, NewMeasure};
pub use notes::{AddendumRow, NoteRow, SignatureRow, SignedVersion, TimelineRow};
pub use plans::{PlanChange, PlanVersion, PlanVersionSummary};
pub use recordings::{NewRecording, Recording, RecordingRow, SessionChoice};
pub use sessions::{SessionRow, TherapySession};
pub use transcripts::{SegmentRow, TranscriptRow};
pub use users::{Role, User, Viewer};

/// The SQLite migrations in `migrations/`, embedded at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// The same migrations for PostgreSQL (`migrations/postgres/`, embedded at build time): the
/// same versions, tables, columns and refusing triggers, translated (`tests/migrations.rs` keeps
/// the two in step).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// File name of the chart database inside the data directory.
pub const DB_FILE: &str = "noted.db";

/// A write transaction (`BEGIN IMMEDIATE`), so that read-then-write sequences such as the audit
/// hash chain and plan version numbers never race another writer.
pub type WriteTx = Transaction<'static, Sqlite>;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] crate::crypto::KeyError),
    #[error(
        "{path} is an unencrypted database from before encryption at rest: stop the server, \
         back up the data directory, and run `noted encrypt` to encrypt it (and its audio) \
         under the data key"
    )]
    Plaintext { path: PathBuf },
    #[error(
        "cannot open {path} with the data key from {key}: the key is wrong (or the file is not \
         a Noted database). The database can only be read with the key it was created with"
    )]
    WrongKey { path: PathBuf, key: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("stored {what} is not valid JSON: {source}")]
    Corrupt {
        what: &'static str,
        source: serde_json::Error,
    },
}

impl StoreError {
    /// True when the error is a unique-constraint violation (e.g. a duplicate email).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// Handle to the chart database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// The audit key and checkpoint file, kept next to the database file (not in it).
    audit: Option<std::sync::Arc<crate::audit::keyed::AuditSeal>>,
    /// The data key (database, audio and backups).
    key: std::sync::Arc<crate::crypto::DataKey>,
}

impl Store {
    /// Opens (creating if missing) the database at `path` and applies pending migrations. The
    /// data key is found as [`crate::crypto::DataKey::locate`] says (`NOTED_KEY_FILE` or
    /// `<dir>/data.key` for a key file), and created with a new database.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_key_file(path, None).await
    }

    /// [`Store::open`] with the key file named (`--key-file`).
    pub async fn open_with_key_file(
        path: &Path,
        key_file: Option<&Path>,
    ) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let key = if database_exists(path) {
            if is_plaintext_sqlite(path) {
                return Err(StoreError::Plaintext {
                    path: path.to_path_buf(),
                });
            }
            crate::crypto::DataKey::load_existing(dir, key_file)?
        } else {
            let (key, created) = crate::crypto::DataKey::load_or_create(dir, key_file)?;
            if created {
                tracing::warn!(
                    "created the data key: {}. Keep a copy away from this machine: without it \
                     the database, kept audio and backups cannot be read",
                    key.source()
                );
            }
            key
        };
        Store::open_keyed(path, key).await
    }

    /// Opens the database at `path` under `key`.
    pub async fn open_keyed(path: &Path, key: crate::crypto::DataKey) -> Result<Store, StoreError> {
        Store::open_inner(path, key, true).await
    }

    /// Opens an unencrypted database (SQLCipher with no key is plain SQLite), audio still
    /// sealed under `key`: only for measuring what database encryption costs
    /// (`tests/encryption_overhead.rs`). Noted itself never opens a database this way.
    #[doc(hidden)]
    pub async fn open_unencrypted_for_measurement(
        path: &Path,
        key: crate::crypto::DataKey,
    ) -> Result<Store, StoreError> {
        Store::open_inner(path, key, false).await
    }

    async fn open_inner(
        path: &Path,
        key: crate::crypto::DataKey,
        encrypted: bool,
    ) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        let options = if encrypted {
            connect_options(path, &key)
        } else {
            SqliteConnectOptions::new().filename(path)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // The audit key lives in a file beside the database; every connection holds it in a
        // temporary (in-memory, per-connection) table, so that audit rows are keyed wherever
        // they are written and the database file never contains it.
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let seal = crate::audit::keyed::AuditSeal::open_or_create(dir).map_err(|source| {
            StoreError::DataDir {
                path: dir.to_path_buf(),
                source,
            }
        })?;
        let key_hex = seal.key_hex();
        // the process's first keyed connection is made alone (see FIRST_KEYED_OPEN)
        let first = {
            let opened = FIRST_KEYED_OPEN.lock().await;
            (!*opened && encrypted).then_some(opened)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_connect(move |conn, _meta| {
                let key_hex = key_hex.clone();
                Box::pin(async move {
                    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS audit_key (k TEXT NOT NULL)")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("DELETE FROM temp.audit_key")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("INSERT INTO temp.audit_key (k) VALUES ($1)")
                        .bind(key_hex)
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await;
        if let (Some(mut opened), Ok(_)) = (first, &pool) {
            *opened = true;
        }
        // after the first connection: SQLCipher registers its own exit cleanup when SQLite is
        // first initialised, and this handler must run before it (handlers run last first)
        exit::wait_for_connections_at_exit();
        let pool = pool.map_err(|e| wrong_key_or(e, path, &key))?;
        MIGRATOR.run(&pool).await?;
        restrict_permissions(path);
        let store = Store {
            pool,
            audit: Some(std::sync::Arc::new(seal)),
            key: std::sync::Arc::new(key),
        };
        crate::audit::keyed::start_anchor(&store).await?;
        Ok(store)
    }

    /// Opens `<data_dir>/noted.db`, creating the directory (mode 0700) on first use.
    pub async fn open_in_dir(data_dir: &Path) -> Result<Store, StoreError> {
        Store::open_in_dir_with_key_file(data_dir, None).await
    }

    /// [`Store::open_in_dir`] with the key file named (`--key-file`).
    pub async fn open_in_dir_with_key_file(
        data_dir: &Path,
        key_file: Option<&Path>,
    ) -> Result<Store, StoreError> {
        create_private_dir(data_dir)?;
        Store::open_with_key_file(&data_dir.join(DB_FILE), key_file).await
    }

    /// The data key (audio is sealed under a key derived from it).
    pub fn data_key(&self) -> &crate::crypto::DataKey {
        &self.key
    }

    /// The underlying pool, for modules that add their own tables (jobs, notes, ...).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The audit key and checkpoint file of this database.
    pub fn audit_seal(&self) -> Option<&crate::audit::keyed::AuditSeal> {
        self.audit.as_deref()
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`).
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes the pool (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Whether a keyed (SQLCipher) connection has been opened in this process. SQLCipher sets up
/// its crypto provider (OpenSSL) on the first keyed connection; the test suite once saw a
/// fresh database fail `PRAGMA key` ("An error occurred with PRAGMA key or rekey ...", not
/// reproduced in four reruns) while another store of the same process opened at the same
/// moment. The first pool of a process therefore connects alone; later ones do not wait.
static FIRST_KEYED_OPEN: tokio::sync::Mutex<bool> = tokio::sync::Mutex::const_new(false);

/// Connection options for the database at `path` under `key` (SQLCipher's `PRAGMA key` runs
/// first on every connection).
pub fn connect_options(path: &Path, key: &crate::crypto::DataKey) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .pragma("key", key.sqlcipher_pragma())
}

/// The first bytes of an unencrypted SQLite database.
pub const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` holds a database (a file that is not empty).
pub fn database_exists(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// Whether the file at `path` is an unencrypted SQLite database.
pub fn is_plaintext_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == SQLITE_HEADER)
}

/// SQLite's "file is not a database" (26) on connecting means the key does not open it.
fn wrong_key_or(e: sqlx::Error, path: &Path, key: &crate::crypto::DataKey) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        if d.code().as_deref() == Some("26") {
            return StoreError::WrongKey {
                path: path.to_path_buf(),
                key: key.source().to_string(),
            };
        }
    }
    StoreError::Db(e)
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

fn restrict_permissions(_path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(_path, std::fs::Permissions::from_mode(0o600));
    }
}

/// The current time as stored in TEXT timestamp columns: `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn now() -> String {
    format_ts(time::OffsetDateTime::now_utc())
}

/// Parses a timestamp as the store keeps them ([`now`]).
pub fn parse_ts(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// Formats a timestamp the way the store keeps them.
pub fn format_ts(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Today's date in the machine's time zone as `YYYY-MM-DD` (the server uses the practice's
/// zone, [`crate::clock::PracticeZone`], where it has one).
pub fn today() -> String {
    crate::clock::PracticeZone::system().today()
}

/// Current unix time in seconds (sign-in bookkeeping columns).
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_the_stored_shape() {
        let t = time::macros::datetime!(2024-03-05 07:08:09.123 UTC);
        assert_eq!(format_ts(t), "2024-03-05T07:08:09Z");
        assert_eq!(now().len(), 20);
        assert_eq!(today().len(), 10);
    }
}
