//! The two databases under one store: a [`Pool`] over SQLite (SQLCipher) or PostgreSQL, the
//! [`WriteTx`] taken from it, and the [`db!`] and [`exec!`] macros that run one statement,
//! written once, on whichever database a pool or transaction holds. Only where the dialects
//! differ is SQL written twice ([`Dialect`]).
//!
//! sqlx's `Any` driver was the other way to one pool type; it was not chosen because it opens
//! SQLite only from a URL (no `PRAGMA key` before SQLite reads the file, so SQLCipher cannot
//! open the database) and decodes only a few plain types. See `ARCHITECTURE.md`, "Databases".
//!
//! Both the pool and its transactions carry the audit key ([`crate::audit::keyed::AuditSeal`]),
//! so an audit row is keyed in Rust wherever it is written and the key is never stored in
//! either database.

use std::sync::Arc;

use sqlx::postgres::{PgConnection, PgPool, Postgres};
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool};
use sqlx::Transaction;

use crate::audit::keyed::AuditSeal;

/// Which SQL a database reads where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The integer at `key` of the JSON object held as text in `column` (`key` and `column`
    /// are the caller's fixed names, never input).
    pub fn json_int(self, column: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{key}')"),
            Dialect::Postgres => format!("CAST(CAST({column} AS jsonb) ->> '{key}' AS BIGINT)"),
        }
    }

    /// Whether the JSON object held as text in `column` has `key` (even as `null`).
    pub fn json_has(self, column: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_type({column}, '$.{key}') IS NOT NULL"),
            Dialect::Postgres => format!("(CAST({column} AS jsonb) -> '{key}') IS NOT NULL"),
        }
    }

    /// The JSON object held as text in `column` without `key`, as text.
    pub fn json_without(self, column: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_remove({column}, '$.{key}')"),
            Dialect::Postgres => format!("CAST(CAST({column} AS jsonb) - '{key}' AS TEXT)"),
        }
    }
}

/// The advisory lock every store write transaction takes first on PostgreSQL: writes that
/// read before they write (the audit chain's next id and hash, plan version numbers, sign-in
/// limits) are serialised as SQLite's `BEGIN IMMEDIATE` serialises them. ("noted" in ASCII.)
const WRITE_LOCK: i64 = 0x006e_6f74_6564;

/// A connection pool on one of the two databases. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Pool {
    backend: Backend,
    audit: Option<Arc<AuditSeal>>,
}

/// The pool itself.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// A pool whose transactions key audit rows with `audit` (none: unkeyed rows).
    pub fn new(backend: Backend, audit: Option<Arc<AuditSeal>>) -> Pool {
        Pool { backend, audit }
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite pool, when this is SQLite.
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match &self.backend {
            Backend::Sqlite(p) => Some(p),
            Backend::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, when this is PostgreSQL.
    pub fn postgres(&self) -> Option<&PgPool> {
        match &self.backend {
            Backend::Postgres(p) => Some(p),
            Backend::Sqlite(_) => None,
        }
    }

    /// The audit key and anchor of this database.
    pub fn audit_seal(&self) -> Option<&AuditSeal> {
        self.audit.as_deref()
    }

    /// Starts a store write transaction: on SQLite `BEGIN IMMEDIATE` (the write lock from the
    /// start), on PostgreSQL a transaction that first takes the store's write lock
    /// ([`WRITE_LOCK`]), so read-then-write sequences never race another writer.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let mut tx = self.begin_job().await?;
        if let Tx::Postgres(t) = &mut tx.tx {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut **t)
                .await?;
        }
        Ok(tx)
    }

    /// Starts a job queue transaction: each of its statements is atomic on its own (guarded
    /// by state and lease), so on PostgreSQL it takes no lock beyond its rows; on SQLite it is
    /// `BEGIN IMMEDIATE`, so that `busy_timeout` applies.
    pub async fn begin_job(&self) -> Result<WriteTx, sqlx::Error> {
        let tx = match &self.backend {
            Backend::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        Ok(self.wrap(tx))
    }

    /// Starts a read transaction (no write lock; rolled back when dropped).
    pub async fn begin_read(&self) -> Result<WriteTx, sqlx::Error> {
        let tx = match &self.backend {
            Backend::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Backend::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        Ok(self.wrap(tx))
    }

    fn wrap(&self, tx: Tx) -> WriteTx {
        WriteTx {
            tx,
            audit: self.audit.clone(),
        }
    }

    /// Closes the pool (on SQLite, checkpointing the WAL).
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }
}

/// A transaction on either database, carrying the audit key of its pool. Dropped without
/// [`WriteTx::commit`], it rolls back.
#[derive(Debug)]
pub struct WriteTx {
    tx: Tx,
    audit: Option<Arc<AuditSeal>>,
}

#[derive(Debug)]
enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl WriteTx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.tx {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        match self.tx {
            Tx::Sqlite(_) => Dialect::Sqlite,
            Tx::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, when this is SQLite (for SQLite-only tools and tests).
    pub fn sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match &mut self.tx {
            Tx::Sqlite(t) => Some(&mut **t),
            Tx::Postgres(_) => None,
        }
    }

    /// The PostgreSQL connection, when this is PostgreSQL.
    pub fn postgres(&mut self) -> Option<&mut PgConnection> {
        match &mut self.tx {
            Tx::Postgres(t) => Some(&mut **t),
            Tx::Sqlite(_) => None,
        }
    }

    /// The audit key of the pool this transaction came from.
    pub fn audit_seal(&self) -> Option<&AuditSeal> {
        self.audit.as_deref()
    }
}

/// One of two values, by database: what [`OnDb::on_db`] hands the arms of [`db!`].
pub enum On<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// Something statements run on: a pool (or the store holding one), or a transaction.
pub trait OnDb {
    /// The SQLite executor (`&SqlitePool`, `&mut SqliteConnection`).
    type Sqlite;
    /// The PostgreSQL executor.
    type Postgres;
    fn on_db(self) -> On<Self::Sqlite, Self::Postgres>;
}

impl<'a> OnDb for &'a Pool {
    type Sqlite = &'a SqlitePool;
    type Postgres = &'a PgPool;
    fn on_db(self) -> On<Self::Sqlite, Self::Postgres> {
        match &self.backend {
            Backend::Sqlite(p) => On::Sqlite(p),
            Backend::Postgres(p) => On::Postgres(p),
        }
    }
}

impl<'a> OnDb for &'a super::Store {
    type Sqlite = &'a SqlitePool;
    type Postgres = &'a PgPool;
    fn on_db(self) -> On<Self::Sqlite, Self::Postgres> {
        self.pool().on_db()
    }
}

impl<'a> OnDb for &'a mut WriteTx {
    type Sqlite = &'a mut SqliteConnection;
    type Postgres = &'a mut PgConnection;
    fn on_db(self) -> On<Self::Sqlite, Self::Postgres> {
        match &mut self.tx {
            Tx::Sqlite(t) => On::Sqlite(&mut **t),
            Tx::Postgres(t) => On::Postgres(&mut **t),
        }
    }
}

/// Runs `body` with `x` bound to the executor of `on` (a `&Store`, `&Pool` or `&mut WriteTx`):
/// the body is compiled once per database, so one statement serves both.
///
/// ```ignore
/// let name: Option<String> = db!(store, |x| sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
///     .bind(id)
///     .fetch_optional(x)
///     .await)?;
/// ```
macro_rules! db {
    ($on:expr, |$x:ident| $body:expr) => {
        match $crate::store::backend::OnDb::on_db($on) {
            $crate::store::backend::On::Sqlite($x) => $body,
            $crate::store::backend::On::Postgres($x) => $body,
        }
    };
}

/// Executes `query` (a `sqlx::query(...)` with its binds) on `on` (see [`db!`]); the number
/// of rows it changed.
macro_rules! exec {
    ($on:expr, $query:expr) => {
        $crate::store::backend::db!($on, |x| $query.execute(x).await.map(|r| r.rows_affected()))
    };
}

pub(crate) use {db, exec};
