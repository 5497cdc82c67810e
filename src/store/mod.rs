//! The chart database: a [`Store`] over SQLite (SQLCipher-encrypted under a key derived from
//! the data key, WAL, synchronous=FULL, foreign keys) or PostgreSQL ([`Location`]), embedded
//! migrations for each, and the runtime-checked queries behind a small API.
//!
//! Each statement is written once and runs on either database ([`backend`]'s `db!`): `$N`
//! placeholders, `RETURNING id` rather than the last row id, `ON CONFLICT ... DO NOTHING`,
//! `IS [NOT] DISTINCT FROM`, `TRUE`/`FALSE` for the 0/1 flags (BOOLEAN there), and timestamps
//! computed in Rust ([`now`]). Written per database ([`Dialect`]): JSON on job payloads, the
//! job table's database-clock lease times (`store::jobs::sql`), how a write transaction
//! serialises ([`Pool::begin_write`]), and the PRAGMAs. SQLite only: backups and `noted
//! encrypt` ([`StoreError::SqliteOnly`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub mod audio;
pub mod auth;
pub mod backend;
pub mod clients;
pub mod copy;
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

pub(crate) use backend::{db, exec};
pub use backend::{Backend, Dialect, Pool, WriteTx};
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
    #[error("{0}")]
    DatabaseUrl(String),
    #[error("{what} works on SQLite only; on PostgreSQL {instead}")]
    SqliteOnly {
        what: &'static str,
        instead: &'static str,
    },
    #[error(
        "{database} already holds a keyed audit log, but {dir} has no {file}: copy {file} (and \
         data.key, audit.anchor) from the data directory of the first server, so that every \
         process writes the audit chain under the same key"
    )]
    MissingAuditKey {
        database: String,
        dir: PathBuf,
        file: &'static str,
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
    /// The pool, with the audit key and checkpoint file (kept in the data directory, never in
    /// the database).
    pool: Pool,
    /// The data key (database, audio and backups).
    key: std::sync::Arc<crate::crypto::DataKey>,
}

/// Where the chart database is (`--database-url` / `NOTED_DATABASE_URL`): `sqlite://` (or no
/// URL) for the data directory's `noted.db`, `sqlite://PATH` for another SQLite file (its
/// keys beside it), `postgres://...` for PostgreSQL (the keys, audit anchor and audio stay in
/// the data directory). Shown with any password replaced by `***`.
#[derive(Clone)]
pub enum Location {
    /// The SQLite file, or `None` for the data directory's `noted.db`.
    Sqlite(Option<PathBuf>),
    /// A PostgreSQL connection URL (it may hold a password: never shown as is).
    Postgres(String),
}

impl Location {
    /// Reads a database URL: `sqlite:`/`sqlite://` (optionally followed by a path) or
    /// `postgres://`/`postgresql://`.
    pub fn parse(url: &str) -> Result<Location, StoreError> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let path = rest.split('?').next().unwrap_or("");
            return Ok(Location::Sqlite(
                (!path.is_empty()).then(|| PathBuf::from(path)),
            ));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            postgres_options(url)?;
            return Ok(Location::Postgres(url.to_string()));
        }
        Err(StoreError::DatabaseUrl(format!(
            "the database URL {} is neither sqlite://... nor postgres://...",
            redact(url)
        )))
    }

    /// Refuses `what` (an operation only SQLite has) on PostgreSQL, saying what to do
    /// `instead`.
    pub fn require_sqlite(
        &self,
        what: &'static str,
        instead: &'static str,
    ) -> Result<(), StoreError> {
        match self {
            Location::Sqlite(_) => Ok(()),
            Location::Postgres(_) => Err(StoreError::SqliteOnly { what, instead }),
        }
    }

    /// `url` read by [`Location::parse`], or the data directory's SQLite file when `None`.
    pub fn from_option(url: Option<&str>) -> Result<Location, StoreError> {
        url.filter(|u| !u.trim().is_empty())
            .map_or(Ok(Location::Sqlite(None)), Location::parse)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(None) => f.write_str("sqlite://"),
            Location::Sqlite(Some(p)) => write!(f, "sqlite://{}", p.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({self})")
    }
}

/// `text` with the password of any URL in it (`user:PASSWORD@`, `?password=...`) replaced by
/// `***`.
pub fn redact(text: &str) -> String {
    text.split(' ')
        .map(|word| match url::Url::parse(word) {
            Ok(mut u) if u.has_host() => {
                if u.password().is_some() {
                    let _ = u.set_password(Some("***"));
                }
                if u.query_pairs().any(|(k, _)| k == "password") {
                    let pairs: Vec<(String, String)> = u
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if k == "password" {
                                "***".into()
                            } else {
                                v.into_owned()
                            };
                            (k.into_owned(), v)
                        })
                        .collect();
                    u.query_pairs_mut().clear().extend_pairs(pairs);
                }
                u.to_string()
            }
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
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
        let exists = database_exists(path);
        if exists && is_plaintext_sqlite(path) {
            return Err(StoreError::Plaintext {
                path: path.to_path_buf(),
            });
        }
        let key = data_key(dir, key_file, exists)?;
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
        // The audit key lives in a file beside the database, never in it; the pool's
        // transactions carry it (`backend::WriteTx`), so audit rows are keyed wherever they
        // are written.
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let seal = open_seal(dir)?;
        // the process's first keyed connection is made alone (see FIRST_KEYED_OPEN)
        let first = {
            let opened = FIRST_KEYED_OPEN.lock().await;
            (!*opened && encrypted).then_some(opened)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
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
        Store::assemble(Backend::Sqlite(pool), seal, key).await
    }

    /// The store over an opened, migrated `backend`, its audit anchor started.
    async fn assemble(
        backend: Backend,
        seal: crate::audit::keyed::AuditSeal,
        key: crate::crypto::DataKey,
    ) -> Result<Store, StoreError> {
        let store = Store {
            pool: Pool::new(backend, Some(std::sync::Arc::new(seal))),
            key: std::sync::Arc::new(key),
        };
        crate::audit::keyed::start_anchor(&store).await?;
        Ok(store)
    }

    /// Opens the PostgreSQL database at `url` (migrating it with [`POSTGRES_MIGRATOR`]), with
    /// the data key, audit key and anchor of `data_dir`. The data key is created with a new
    /// database only; a database that already holds a keyed audit log needs the audit key it
    /// was written with ([`StoreError::MissingAuditKey`]).
    pub async fn open_postgres(
        url: &str,
        data_dir: &Path,
        key_file: Option<&Path>,
    ) -> Result<Store, StoreError> {
        create_private_dir(data_dir)?;
        let shown = redact(url);
        let options = postgres_options(url)?;
        // one connection first, so that a wrong address or password says so at once (a pool
        // retries until its timeout and then only says that it timed out)
        use sqlx::Connection as _;
        let probe = sqlx::postgres::PgConnection::connect_with(&options).await?;
        probe.close().await?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        let migrated: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&pool)
                .await?;
        let key = data_key(data_dir, key_file, migrated)?;
        POSTGRES_MIGRATOR.run(&pool).await?;
        let keyed_rows: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM audit_log WHERE hash LIKE 'hmac:%')")
                .fetch_one(&pool)
                .await?;
        let key_file_path = data_dir.join(crate::audit::keyed::KEY_FILE);
        if keyed_rows && !key_file_path.exists() {
            return Err(StoreError::MissingAuditKey {
                database: shown,
                dir: data_dir.to_path_buf(),
                file: crate::audit::keyed::KEY_FILE,
            });
        }
        Store::assemble(Backend::Postgres(pool), open_seal(data_dir)?, key).await
    }

    /// Opens the database at `location`, with `data_dir`'s keys (a SQLite file named by path
    /// has its keys beside it).
    pub async fn open_at(
        location: &Location,
        data_dir: &Path,
        key_file: Option<&Path>,
    ) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(None) => Store::open_in_dir_with_key_file(data_dir, key_file).await,
            Location::Sqlite(Some(path)) => Store::open_with_key_file(path, key_file).await,
            Location::Postgres(url) => Store::open_postgres(url, data_dir, key_file).await,
        }
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
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The SQLite pool, for SQLite-only tools and tests.
    ///
    /// # Panics
    ///
    /// On a PostgreSQL store (a caller that runs on both databases uses [`Store::pool`]).
    #[doc(hidden)]
    pub fn sqlite_pool(&self) -> &sqlx::SqlitePool {
        self.pool
            .sqlite()
            .expect("a SQLite-only check was run on a PostgreSQL store")
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        self.pool.dialect()
    }

    /// The audit key and checkpoint file of this database.
    pub fn audit_seal(&self) -> Option<&crate::audit::keyed::AuditSeal> {
        self.pool.audit_seal()
    }

    /// Starts a write transaction ([`Pool::begin_write`]), so that read-then-write sequences
    /// such as the audit hash chain and plan version numbers never race another writer.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        Ok(self.pool.begin_write().await?)
    }

    /// Starts a read-only transaction (rolled back when dropped).
    pub async fn begin_read(&self) -> Result<WriteTx, StoreError> {
        Ok(self.pool.begin_read().await?)
    }

    /// Whether the database answers (the health check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        db!(self, |x| sqlx::query_scalar::<_, i64>(
            "SELECT CAST(1 AS BIGINT)"
        )
        .fetch_one(x)
        .await)?;
        Ok(())
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

/// The data key of `dir` (as [`crate::crypto::DataKey::locate`] finds it): the existing one
/// for an `existing` database, else created when missing.
fn data_key(
    dir: &Path,
    key_file: Option<&Path>,
    existing: bool,
) -> Result<crate::crypto::DataKey, StoreError> {
    if existing {
        return Ok(crate::crypto::DataKey::load_existing(dir, key_file)?);
    }
    let (key, created) = crate::crypto::DataKey::load_or_create(dir, key_file)?;
    if created {
        tracing::warn!(
            "created the data key: {}. Keep a copy away from this machine: without it the \
             database, kept audio and backups cannot be read",
            key.source()
        );
    }
    Ok(key)
}

/// The connection options of a PostgreSQL URL (an error shows the URL without its password).
fn postgres_options(url: &str) -> Result<sqlx::postgres::PgConnectOptions, StoreError> {
    url.parse().map_err(|e: sqlx::Error| {
        StoreError::DatabaseUrl(format!(
            "the database URL {} is not valid: {}",
            redact(url),
            redact(&e.to_string())
        ))
    })
}

/// The audit key (created on first use) and anchor of the data directory `dir`.
fn open_seal(dir: &Path) -> Result<crate::audit::keyed::AuditSeal, StoreError> {
    crate::audit::keyed::AuditSeal::open_or_create(dir).map_err(|source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    })
}

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
    fn database_urls_are_read_and_shown_without_their_password() {
        assert!(matches!(
            Location::parse("sqlite://"),
            Ok(Location::Sqlite(None))
        ));
        assert!(matches!(
            Location::from_option(Some(" ")),
            Ok(Location::Sqlite(None))
        ));
        match Location::parse("sqlite:///srv/noted/noted.db") {
            Ok(Location::Sqlite(Some(p))) => assert_eq!(p, Path::new("/srv/noted/noted.db")),
            other => panic!("{other:?}"),
        }
        let pg = Location::parse("postgres://noted:s3cret@db.example:5432/noted").unwrap();
        assert_eq!(pg.to_string(), "postgres://noted:***@db.example:5432/noted");
        assert!(format!("{pg:?}").contains("***") && !format!("{pg:?}").contains("s3cret"));
        let q = redact("at postgres://db.example/noted?user=n&password=s3cret&sslmode=require");
        assert!(
            !q.contains("s3cret") && q.contains("sslmode=require"),
            "{q}"
        );
        let bad = Location::parse("mysql://u:s3cret@h/x")
            .unwrap_err()
            .to_string();
        assert!(!bad.contains("s3cret") && bad.contains("***"), "{bad}");
        assert!(pg.require_sqlite("noted backup", "use pg_dump").is_err());
    }

    #[test]
    fn timestamps_have_the_stored_shape() {
        let t = time::macros::datetime!(2024-03-05 07:08:09.123 UTC);
        assert_eq!(format_ts(t), "2024-03-05T07:08:09Z");
        assert_eq!(now().len(), 20);
        assert_eq!(today().len(), 10);
    }
}
