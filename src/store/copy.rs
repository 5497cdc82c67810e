//! `noted db copy`: moves a practice between SQLite and PostgreSQL (a laptop's chart to a
//! server, or back). Every table is copied in dependency order (a table after the tables it
//! references; a column referencing its own table filled in a second pass), row ids kept, into
//! a target that must be empty, in one transaction; PostgreSQL's identity sequences are then set
//! past the copied ids. [`verify`] then compares the two: row counts per table, every signed
//! note's content against its hash, the audit chain (keyed, with its anchor) and the
//! signatures' MACs on the target. Both stores use the same data directory's keys, so the
//! target's chain is checked under the key it was written with.

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};

use super::{db, exec, Dialect, Store, StoreError, WriteTx};
use crate::audit::{self, Verification};

/// Rows bound into one multi-row INSERT at most (fewer for wide tables).
const BATCH_VALUES: usize = 2000;

/// Why a copy was refused, failed, or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "both databases are {0:?}: copy between SQLite and PostgreSQL (a SQLite data directory \
         is copied with noted backup and noted restore, a PostgreSQL database with pg_dump)"
    )]
    SameDatabase(Dialect),
    #[error("the target is not empty: {table} holds {rows} rows (copy only into a new database)")]
    NotEmpty { table: String, rows: i64 },
    #[error("the tables differ: the source has {source_tables}, the target {target_tables}")]
    Schema {
        source_tables: String,
        target_tables: String,
    },
    #[error("the tables reference each other in a cycle ({0}): no order to copy them in")]
    Cycle(String),
    #[error("the copy does not verify: {0}")]
    Verify(String),
}

impl From<sqlx::Error> for CopyError {
    fn from(e: sqlx::Error) -> CopyError {
        CopyError::Store(e.into())
    }
}

/// What [`verify`] found: rows per table on both sides and the checks that passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Table, rows in the source, rows in the target, in the order they were copied.
    pub tables: Vec<(String, i64, i64)>,
    /// Signed notes whose content hashes to the signed hash.
    pub signed_notes: i64,
    /// Rows of the audit chain, verified.
    pub audit_rows: i64,
    /// Signatures whose MACs verify.
    pub signatures: i64,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n, _)| n).sum()
    }
}

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Blob,
    Bool,
}

impl Kind {
    /// The kind of a declared (SQLite) or catalogued (PostgreSQL) column type.
    fn of(declared: &str) -> Kind {
        let t = declared.to_ascii_lowercase();
        if t == "boolean" {
            Kind::Bool
        } else if t.contains("int") {
            Kind::Int
        } else if t.contains("real") || t.contains("double") || t.contains("floa") {
            Kind::Real
        } else if t.contains("blob") || t.contains("bytea") {
            Kind::Blob
        } else {
            Kind::Text
        }
    }
}

/// One value on its way from the source to the target.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
    Bool(Option<bool>),
}

impl Value {
    /// The value as the target's column `kind` holds it (SQLite keeps flags as 0/1 integers,
    /// PostgreSQL as booleans).
    fn into_kind(self, kind: Kind) -> Value {
        match (self, kind) {
            (Value::Int(i), Kind::Bool) => Value::Bool(i.map(|i| i != 0)),
            (Value::Bool(b), Kind::Int) => Value::Int(b.map(i64::from)),
            (Value::Int(i), Kind::Real) => Value::Real(i.map(|i| i as f64)),
            (v, _) => v,
        }
    }

    fn is_null(&self) -> bool {
        matches!(
            self,
            Value::Int(None)
                | Value::Real(None)
                | Value::Text(None)
                | Value::Blob(None)
                | Value::Bool(None)
        )
    }
}

/// Binds one value (typed even when NULL) to a query on either database.
macro_rules! bind {
    ($q:expr, $v:expr) => {
        match $v {
            Value::Int(v) => $q.bind(v),
            Value::Real(v) => $q.bind(v),
            Value::Text(v) => $q.bind(v),
            Value::Blob(v) => $q.bind(v),
            Value::Bool(v) => $q.bind(v),
        }
    };
}

/// A table's columns (name, kind) and the columns that reference the table itself.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    self_refs: Vec<String>,
}

/// The catalogue queries of each database (`$1` a table name).
struct Catalogue {
    tables: &'static str,
    columns: &'static str,
    /// Referenced table and referencing column of each foreign key.
    references: &'static str,
}

fn catalogue(dialect: Dialect) -> Catalogue {
    match dialect {
        Dialect::Sqlite => Catalogue {
            tables: "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            columns: "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            references: "SELECT \"table\", \"from\" FROM pragma_foreign_key_list($1)",
        },
        Dialect::Postgres => Catalogue {
            tables: "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                     AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            columns: "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) \
                      FROM information_schema.columns \
                      WHERE table_schema = current_schema() AND table_name = $1 \
                      ORDER BY ordinal_position",
            references: "SELECT CAST(r.relname AS TEXT), CAST(a.attname AS TEXT) \
                         FROM pg_constraint c \
                         JOIN pg_class t ON t.oid = c.conrelid \
                         JOIN pg_class r ON r.oid = c.confrelid \
                         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
                         WHERE c.contype = 'f' AND t.relname = $1 \
                           AND t.relnamespace = CAST(current_schema() AS regnamespace)",
        },
    }
}

/// The tables of `store` in an order that copies every table after those it references.
async fn tables_in_order(store: &Store) -> Result<Vec<Table>, CopyError> {
    let cat = catalogue(store.dialect());
    let names: Vec<String> = db!(store, |x| sqlx::query_scalar(cat.tables).fetch_all(x).await)?;
    let mut pending = Vec::new();
    for name in &names {
        let columns: Vec<(String, String)> = db!(store, |x| sqlx::query_as(cat.columns)
            .bind(name)
            .fetch_all(x)
            .await)?;
        let refs: Vec<(String, String)> = db!(store, |x| sqlx::query_as(cat.references)
            .bind(name)
            .fetch_all(x)
            .await)?;
        let self_refs = refs
            .iter()
            .filter(|(t, _)| t == name)
            .map(|(_, c)| c.clone())
            .collect();
        let needs: Vec<String> = refs
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| t != name)
            .collect();
        let table = Table {
            name: name.clone(),
            columns: columns
                .into_iter()
                .map(|(c, t)| (c, Kind::of(&t)))
                .collect(),
            self_refs,
        };
        pending.push((table, needs));
    }
    let mut ordered: Vec<Table> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, needs)| needs.iter().all(|n| ordered.iter().any(|t| &t.name == n)));
        let Some(i) = ready else {
            let left: Vec<&str> = pending.iter().map(|(t, _)| t.name.as_str()).collect();
            return Err(CopyError::Cycle(left.join(", ")));
        };
        ordered.push(pending.remove(i).0);
    }
    Ok(ordered)
}

/// Rows of `table` (a name from the catalogue, quoted).
async fn count(store: &Store, table: &str) -> Result<i64, CopyError> {
    let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
    Ok(db!(store, |x| sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(x)
        .await)?)
}

/// Copies every table of `source` into the empty `target` (one SQLite, the other PostgreSQL),
/// then [`verify`]s the copy.
pub async fn copy(source: &Store, target: &Store) -> Result<CopyReport, CopyError> {
    if source.dialect() == target.dialect() {
        return Err(CopyError::SameDatabase(source.dialect()));
    }
    let tables = tables_in_order(source).await?;
    let target_tables = tables_in_order(target).await?;
    let names = |t: &[Table]| {
        let mut n: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        n.sort_unstable();
        n.join(", ")
    };
    if names(&tables) != names(&target_tables) {
        return Err(CopyError::Schema {
            source_tables: names(&tables),
            target_tables: names(&target_tables),
        });
    }
    for t in &target_tables {
        let rows = count(target, &t.name).await?;
        if rows > 0 {
            return Err(CopyError::NotEmpty {
                table: t.name.clone(),
                rows,
            });
        }
    }
    let mut from = source.begin_read().await?;
    let mut to = target.begin_write().await?;
    for table in &tables {
        let Some(target_table) = target_tables.iter().find(|t| t.name == table.name) else {
            continue;
        };
        copy_table(&mut from, &mut to, table, target_table).await?;
    }
    if to.dialect() == Dialect::Postgres {
        reset_identities(&mut to).await?;
    }
    to.commit().await?;
    drop(from);
    verify(source, target).await
}

/// Streams `table`'s rows from `from` into `to`, in multi-row INSERTs; self-references are
/// written NULL first and set once every row of the table is in.
async fn copy_table(
    from: &mut WriteTx,
    to: &mut WriteTx,
    table: &Table,
    target: &Table,
) -> Result<(), CopyError> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| c.as_str()).collect();
    let kinds: Vec<Kind> = table.columns.iter().map(|(_, k)| *k).collect();
    let target_kinds: Vec<Kind> = columns
        .iter()
        .map(|c| {
            target
                .columns
                .iter()
                .find(|(t, _)| t == c)
                .map_or(Kind::Text, |(_, k)| *k)
        })
        .collect();
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let select = format!("SELECT {list} FROM \"{}\"", table.name);
    let per_batch = (BATCH_VALUES / columns.len().max(1)).max(1);
    let self_ref: Vec<usize> = table
        .self_refs
        .iter()
        .filter_map(|c| columns.iter().position(|x| x == c))
        .collect();
    let id = columns.iter().position(|c| *c == "id");
    let mut later: Vec<(usize, i64, Value)> = Vec::new();
    let mut batch: Vec<Vec<Value>> = Vec::new();
    db!(&mut *from, |x| {
        let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(x);
        while let Some(row) = rows.try_next().await? {
            let mut values = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                let v = match kind {
                    Kind::Int => Value::Int(row.try_get(i)?),
                    Kind::Real => Value::Real(row.try_get(i)?),
                    Kind::Text => Value::Text(row.try_get(i)?),
                    Kind::Blob => Value::Blob(row.try_get(i)?),
                    Kind::Bool => Value::Bool(row.try_get(i)?),
                };
                values.push(v.into_kind(target_kinds[i]));
            }
            for &c in &self_ref {
                if let (Some(Value::Int(Some(row_id))), false) =
                    (id.map(|i| &values[i]), values[c].is_null())
                {
                    let row_id = *row_id;
                    let null = Value::Int(None).into_kind(target_kinds[c]);
                    later.push((c, row_id, std::mem::replace(&mut values[c], null)));
                }
            }
            batch.push(values);
            if batch.len() >= per_batch {
                insert(to, &table.name, &list, &batch).await?;
                batch.clear();
            }
        }
        Ok::<(), CopyError>(())
    })?;
    if !batch.is_empty() {
        insert(to, &table.name, &list, &batch).await?;
    }
    for (c, row_id, value) in later {
        let sql = format!(
            "UPDATE \"{}\" SET \"{}\" = $1 WHERE id = $2",
            table.name, columns[c]
        );
        exec!(
            &mut *to,
            bind!(sqlx::query(AssertSqlSafe(sql)), value).bind(row_id)
        )?;
    }
    Ok(())
}

/// One INSERT of `rows` into `table` (`list`: its quoted columns).
async fn insert(
    to: &mut WriteTx,
    table: &str,
    list: &str,
    rows: &[Vec<Value>],
) -> Result<(), CopyError> {
    let width = rows.first().map_or(0, Vec::len);
    let tuples = (0..rows.len())
        .map(|r| {
            let marks = (1..=width)
                .map(|c| format!("${}", r * width + c))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({marks})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("INSERT INTO \"{table}\" ({list}) VALUES {tuples}");
    db!(&mut *to, |x| {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in rows.iter().flatten().cloned() {
            q = bind!(q, v);
        }
        q.execute(x).await.map(|_| ())
    })?;
    Ok(())
}

/// Sets every identity column's sequence (PostgreSQL) past the largest copied id.
async fn reset_identities(to: &mut WriteTx) -> Result<(), CopyError> {
    let identities: Vec<(String, String)> = db!(&mut *to, |x| {
        sqlx::query_as(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(x)
    .await
    })?;
    for (table, column) in identities {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),
                           COALESCE(MAX(\"{column}\"), 0) + 1, false) FROM \"{table}\""
        );
        exec!(&mut *to, sqlx::query(AssertSqlSafe(sql)))?;
    }
    Ok(())
}

/// Compares `target` with `source` (see the module docs): the report, or the first difference.
pub async fn verify(source: &Store, target: &Store) -> Result<CopyReport, CopyError> {
    let mut report = CopyReport {
        tables: Vec::new(),
        signed_notes: 0,
        audit_rows: 0,
        signatures: 0,
    };
    for table in tables_in_order(source).await? {
        let (from, to) = (
            count(source, &table.name).await?,
            count(target, &table.name).await?,
        );
        if from != to {
            return Err(CopyError::Verify(format!(
                "{}: {from} rows in the source, {to} in the target",
                table.name
            )));
        }
        report.tables.push((table.name, from, to));
    }
    let checks = [
        (
            "signed notes",
            source.verify_signed_notes().await?,
            target.verify_signed_notes().await?,
        ),
        (
            "audit log",
            audit::verify(source).await?,
            audit::verify(target).await?,
        ),
        (
            "signatures",
            audit::keyed::verify_signatures(source).await?,
            audit::keyed::verify_signatures(target).await?,
        ),
    ];
    let mut verified = Vec::new();
    for (what, at_source, at_target) in checks {
        match (at_source, at_target) {
            (_, Verification::Broken { row_id, reason }) => {
                return Err(CopyError::Verify(format!(
                    "{what} of the target, at {row_id}: {reason}"
                )))
            }
            (Verification::Intact { rows: s }, Verification::Intact { rows: t }) if s != t => {
                return Err(CopyError::Verify(format!(
                    "{what}: {s} verified in the source, {t} in the target"
                )))
            }
            (_, Verification::Intact { rows }) => verified.push(rows),
        }
    }
    report.signed_notes = verified[0];
    report.audit_rows = verified[1];
    report.signatures = verified[2];
    Ok(report)
}
