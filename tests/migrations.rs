//! The two migration folders kept in step (issue 15): `migrations/` for SQLite and
//! `migrations/postgres/` for PostgreSQL hold the same versions under the same names, and, both
//! migrated from empty, give the same tables, views, columns (types mapped, nullability),
//! indexes and triggers; the triggers that lock signed notes, keep the audit log append-only and
//! guard the state transitions refuse the same writes on both (each state machine's every
//! `from -> to` allowed exactly as its `may_become` says). The job table's PostgreSQL
//! statements (`store::jobs::sql::postgres`) run a job through its life on the migrated schema.
//!
//! The PostgreSQL half needs a server: `NOTED_TEST_POSTGRES_URL` (for example
//! `postgres://noted@127.0.0.1:5433/noted_test`; `.ci/run` starts one). Each run migrates its own
//! fresh schema and drops it afterwards. Without the URL that half is skipped with a message,
//! unless `NOTED_REQUIRE_POSTGRES=1` (CI), when it fails.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;

use noted::store::{MIGRATOR, POSTGRES_MIGRATOR};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::Row;

/// One column as both databases are compared: name, type (PostgreSQL's name for it), NOT NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    /// `None` for a view's column (SQLite gives views' columns no dependable type).
    ty: Option<String>,
    not_null: Option<bool>,
}

/// What a migrated schema holds, in a form both databases produce.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// Table or view name -> ("table" | "view", columns in order).
    relations: BTreeMap<String, (&'static str, Vec<Column>)>,
    /// (table, index) for the indexes the migrations create by name.
    indexes: Vec<(String, String)>,
    /// (table, trigger).
    triggers: Vec<(String, String)>,
}

#[test]
fn both_folders_hold_the_same_versions() {
    let sqlite: Vec<(i64, String)> = MIGRATOR
        .iter()
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    let postgres: Vec<(i64, String)> = POSTGRES_MIGRATOR
        .iter()
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    assert!(!sqlite.is_empty(), "no SQLite migrations embedded");
    assert_eq!(
        sqlite, postgres,
        "migrations/ (SQLite) and migrations/postgres/ must hold the same versions and names: \
         a migration added to one needs its translation in the other"
    );
    // The embedded lists are what the folders hold (the SQLite folder's subfolder is skipped
    // by sqlx, and nothing else may hide there).
    let files = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {dir}: {e}"))
            .map(|e| e.expect("directory entry"))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let sqlite_files = files(&format!("{root}/migrations"));
    let postgres_files = files(&format!("{root}/migrations/postgres"));
    assert_eq!(sqlite_files, postgres_files);
    assert_eq!(sqlite_files.len(), sqlite.len(), "{sqlite_files:?}");
    for f in &sqlite_files {
        assert!(
            f.ends_with(".sql"),
            "{f}: only migrations belong in migrations/"
        );
    }
    let subfolders: Vec<String> = std::fs::read_dir(format!("{root}/migrations"))
        .expect("read migrations/")
        .map(|e| e.expect("directory entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(subfolders, ["postgres"]);
}

/// A fresh SQLite database (in memory) with every migration applied.
async fn sqlite_migrated() -> SqlitePool {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")
        .expect("in-memory SQLite URL")
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open an in-memory SQLite database");
    MIGRATOR.run(&pool).await.expect("SQLite migrations");
    pool
}

/// SQLite's declared type of a column as PostgreSQL names the translated type. `flag`: an
/// INTEGER checked `IN (0, 1)`, a BOOLEAN on PostgreSQL.
fn postgres_type(declared: &str, flag: bool) -> String {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" if flag => "boolean",
        "INTEGER" => "bigint",
        "TEXT" => "text",
        "REAL" => "double precision",
        "BLOB" => "bytea",
        other => panic!("no PostgreSQL type for SQLite's {other}: add it to postgres_type"),
    }
    .to_string()
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let relations = sqlx::query(
        "SELECT name, type, sql FROM sqlite_master
          WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
            AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("list SQLite tables");
    for r in relations {
        let name: String = r.get("name");
        let kind: String = r.get("type");
        let sql: String = r.get("sql");
        let is_view = kind == "view";
        let columns = sqlx::query(
            "SELECT name, type, \"notnull\" AS not_null, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("SQLite columns");
        let columns = columns
            .iter()
            .map(|c| {
                let col: String = c.get("name");
                let declared: String = c.get("type");
                let not_null: i64 = c.get("not_null");
                let pk: i64 = c.get("pk");
                let flag = sql.contains(&format!("CHECK ({col} IN (0, 1))"));
                Column {
                    ty: (!is_view).then(|| postgres_type(&declared, flag)),
                    not_null: (!is_view).then_some(not_null != 0 || pk != 0),
                    name: col,
                }
            })
            .collect();
        schema
            .relations
            .insert(name, (if is_view { "view" } else { "table" }, columns));
    }
    let pairs = |sql: &'static str| async move {
        let mut v: Vec<(String, String)> = sqlx::query_as(sql)
            .fetch_all(pool)
            .await
            .expect("SQLite schema query");
        v.sort();
        v
    };
    // Named indexes only: SQLite's automatic ones (UNIQUE, PRIMARY KEY) have no SQL.
    schema.indexes = pairs(
        "SELECT tbl_name, name FROM sqlite_master
          WHERE type = 'index' AND sql IS NOT NULL AND tbl_name <> '_sqlx_migrations'",
    )
    .await;
    schema.triggers =
        pairs("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'").await;
    schema
}

async fn postgres_schema(pool: &PgPool, ns: &str) -> Schema {
    let mut schema = Schema::default();
    let relations: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, table_type::text FROM information_schema.tables
          WHERE table_schema = $1 AND table_name <> '_sqlx_migrations' ORDER BY table_name",
    )
    .bind(ns)
    .fetch_all(pool)
    .await
    .expect("list PostgreSQL tables");
    for (name, kind) in relations {
        let is_view = kind == "VIEW";
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text
               FROM information_schema.columns
              WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
        )
        .bind(ns)
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("PostgreSQL columns");
        let columns = columns
            .into_iter()
            .map(|(col, ty, nullable)| Column {
                name: col,
                ty: (!is_view).then_some(ty),
                not_null: (!is_view).then_some(nullable == "NO"),
            })
            .collect();
        schema
            .relations
            .insert(name, (if is_view { "view" } else { "table" }, columns));
    }
    // Indexes made by name, not those behind a PRIMARY KEY or UNIQUE constraint.
    let mut indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT tablename::text, indexname::text FROM pg_indexes
          WHERE schemaname = $1 AND tablename <> '_sqlx_migrations'
            AND indexname NOT IN (SELECT c.conname FROM pg_constraint c
                                    JOIN pg_namespace n ON n.oid = c.connamespace
                                   WHERE n.nspname = $1)",
    )
    .bind(ns)
    .fetch_all(pool)
    .await
    .expect("PostgreSQL indexes");
    indexes.sort();
    schema.indexes = indexes;
    let mut triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND NOT t.tgisinternal",
    )
    .bind(ns)
    .fetch_all(pool)
    .await
    .expect("PostgreSQL triggers");
    triggers.sort();
    schema.triggers = triggers;
    schema
}

/// The PostgreSQL server to test against, if any (skips or fails as the module doc says).
fn postgres_url() -> Option<String> {
    let url = std::env::var("NOTED_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    common::present(
        url.is_some(),
        common::env_is_1("NOTED_REQUIRE_POSTGRES"),
        "NOTED_TEST_POSTGRES_URL is not set: the PostgreSQL migrations were not applied \
         (set it to a server's URL, e.g. postgres://noted@127.0.0.1:5433/noted_test)",
    )
    .then_some(url)
    .flatten()
}

/// A fresh schema on the server at `url` with every PostgreSQL migration applied: the pool's
/// connections have it as their search path. Drop it with [`drop_schema`].
async fn postgres_migrated(url: &str) -> (PgPool, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .subsec_nanos();
    let ns = format!("noted_migrations_{}_{nanos}", std::process::id());
    let options = PgConnectOptions::from_str(url).expect("NOTED_TEST_POSTGRES_URL parses");
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap_or_else(|e| panic!("connect to NOTED_TEST_POSTGRES_URL: {e}"));
    // `ns` is made above from digits and a fixed prefix.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {ns}")))
        .execute(&admin)
        .await
        .expect("create a fresh schema");
    admin.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options.options([("search_path", ns.as_str())]))
        .await
        .expect("connect with the fresh schema as search path");
    POSTGRES_MIGRATOR
        .run(&pool)
        .await
        .expect("PostgreSQL migrations");
    (pool, ns)
}

async fn drop_schema(pool: PgPool, ns: &str) {
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {ns} CASCADE")))
        .execute(&pool)
        .await
        .expect("drop the test schema");
    pool.close().await;
}

/// Writes the migrations' triggers and checks must refuse on both databases (the same SQL, `$N`
/// placeholders, on either pool), and the one change a signed note allows.
macro_rules! check_refusals {
    ($pool:expr) => {{
        let pool = $pool;
        let refused = |what: &str, result: Result<_, sqlx::Error>, says: &str| match result {
            Ok(_) => panic!("{what} was allowed"),
            Err(e) => assert!(e.to_string().contains(says), "{what}: {e}"),
        };
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, role, password_hash, created_at)
             VALUES ($1, 'clinician', 'x', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind("Clinician@Example.org")
        .fetch_one(pool)
        .await
        .expect("insert a user");
        let twin = sqlx::query(
            "INSERT INTO users (email, role, password_hash, created_at)
             VALUES ($1, 'clinician', 'x', '2026-01-01T00:00:00Z')",
        )
        .bind("clinician@example.ORG")
        .execute(pool)
        .await;
        match twin {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {}
            other => panic!("an email differing only in case was not refused: {other:?}"),
        }
        let client: i64 = sqlx::query_scalar(
            "INSERT INTO clients (clinician_id, full_name, date_of_birth, created_at, updated_at)
             VALUES ($1, 'A Client', '1990-01-01', '2026-01-01T00:00:00Z',
                     '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(user)
        .fetch_one(pool)
        .await
        .expect("insert a client");
        let note = |state: &'static str| async move {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO notes (client_id, author_id, format, state, content, content_sha256,
                                    created_at, updated_at, signed_at)
                 VALUES ($1, $2, 'soap', $3, '{\"s\":\"said\"}', 'abc', '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id",
            )
            .bind(client)
            .bind(user)
            .bind(state)
            .fetch_one(pool)
            .await
            .expect("insert a note")
        };
        let signed = note("signed").await;
        refused(
            "changing a signed note's content",
            sqlx::query("UPDATE notes SET content = '{\"s\":\"changed\"}' WHERE id = $1")
                .bind(signed)
                .execute(pool)
                .await,
            "signed notes are immutable",
        );
        refused(
            "deleting a signed note",
            sqlx::query("DELETE FROM notes WHERE id = $1")
                .bind(signed)
                .execute(pool)
                .await,
            "signed notes are immutable",
        );
        let content: String = sqlx::query_scalar("SELECT content FROM notes WHERE id = $1")
            .bind(signed)
            .fetch_one(pool)
            .await
            .expect("read the note");
        assert_eq!(content, "{\"s\":\"said\"}");
        sqlx::query("UPDATE notes SET state = 'amended' WHERE id = $1")
            .bind(signed)
            .execute(pool)
            .await
            .expect("signed -> amended is the change a signed note allows");
        let cosign = note("awaiting_cosign").await;
        refused(
            "editing a note awaiting co-signature",
            sqlx::query("UPDATE notes SET signed_at = '2026-02-01T00:00:00Z' WHERE id = $1")
                .bind(cosign)
                .execute(pool)
                .await,
            "awaiting co-signature is locked",
        );
        let draft = note("draft").await;
        refused(
            "a note from draft straight to amended",
            sqlx::query("UPDATE notes SET state = 'amended' WHERE id = $1")
                .bind(draft)
                .execute(pool)
                .await,
            "state is not allowed",
        );
        // The append-only tables: a row goes in, and can be neither changed nor deleted.
        let append_only: [(&str, &str, &str); 4] = [
            (
                "plan_versions",
                "INSERT INTO plan_versions (client_id, version, document, author_id, created_at)
                 VALUES ($1, 1, '{}', $2, '2026-01-01T00:00:00Z') RETURNING id",
                "plan versions are immutable",
            ),
            (
                "signatures",
                "INSERT INTO signatures (note_id, signer_id, kind, signed_at, content_sha256)
                 VALUES ($3, $2, 'sign', '2026-01-01T00:00:00Z', 'abc') RETURNING id",
                "signatures are immutable",
            ),
            (
                "addenda",
                "INSERT INTO addenda (note_id, author_id, text, created_at, signed_at,
                                      content_sha256)
                 VALUES ($3, $2, 'later', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z',
                         'def') RETURNING id",
                "addenda are immutable",
            ),
            (
                "signed_versions",
                "INSERT INTO signed_versions (note_id, content, content_sha256, signed_at)
                 VALUES ($3, '{}', 'abc', '2026-01-01T00:00:00Z') RETURNING id",
                "signed versions are immutable",
            ),
        ];
        for (table, insert, says) in append_only {
            let id: i64 = sqlx::query_scalar(insert)
                .bind(client)
                .bind(user)
                .bind(signed)
                .fetch_one(pool)
                .await
                .unwrap_or_else(|e| panic!("insert into {table}: {e}"));
            // `table` is one of the four names above.
            refused(
                &format!("changing a row of {table}"),
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {table} SET id = id WHERE id = $1"
                )))
                .bind(id)
                .execute(pool)
                .await,
                says,
            );
            refused(
                &format!("deleting a row of {table}"),
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE id = $1"
                )))
                .bind(id)
                .execute(pool)
                .await,
                says,
            );
        }
        // A transcript segment keeps its words, speaker and times; its scores may be updated.
        let transcript: i64 = sqlx::query_scalar(
            "INSERT INTO transcripts (client_id, model, created_at)
             VALUES ($1, 'whisper-tiny.en', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(client)
        .fetch_one(pool)
        .await
        .expect("insert a transcript");
        let segment: i64 = sqlx::query_scalar(
            "INSERT INTO transcript_segments (transcript_id, seg_index, start_s, end_s, text)
             VALUES ($1, 0, 0.0, 1.5, 'I slept badly') RETURNING id",
        )
        .bind(transcript)
        .fetch_one(pool)
        .await
        .expect("insert a segment");
        for set in ["text = 'I slept well'", "speaker = 'client'", "end_s = 2.0"] {
            refused(
                &format!("a segment's {set}"),
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE transcript_segments SET {set} WHERE id = $1"
                )))
                .bind(segment)
                .execute(pool)
                .await,
                "transcript segments keep the original",
            );
        }
        sqlx::query("UPDATE transcript_segments SET avg_logprob = -0.5 WHERE id = $1")
            .bind(segment)
            .execute(pool)
            .await
            .expect("a segment's score may change");
        let audit: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, action, resource_type, prev_hash, hash)
             VALUES ('2026-01-01T00:00:00Z', 'note.view', 'note', 'p0', 'h0') RETURNING id",
        )
        .fetch_one(pool)
        .await
        .expect("append an audit row");
        refused(
            "changing an audit row",
            sqlx::query("UPDATE audit_log SET action = 'nothing' WHERE id = $1")
                .bind(audit)
                .execute(pool)
                .await,
            "audit_log is append-only",
        );
        refused(
            "deleting an audit row",
            sqlx::query("DELETE FROM audit_log WHERE id = $1")
                .bind(audit)
                .execute(pool)
                .await,
            "audit_log is append-only",
        );
        refused(
            "an audit row whose detail is not JSON",
            sqlx::query(
                "INSERT INTO audit_log (at, action, resource_type, detail, prev_hash, hash)
                 VALUES ('2026-01-01T00:00:00Z', 'x', 'y', 'not json', 'p1', 'h1')",
            )
            .execute(pool)
            .await,
            "",
        );
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(pool)
            .await
            .expect("count audit rows");
        assert_eq!(rows, 1);
    }};
}

/// Every change of state the four state machines' triggers (migrations 0012 and 0013) see:
/// each `from -> to` of `ALL` is tried on a fresh row, and the database must allow exactly what
/// `may_become` allows. Returns what it got wrong.
macro_rules! transitions_against_the_rule {
    ($pool:expr, $ty:ty, $table:literal, $column:literal, $insert:literal, $client:expr,
     $user:expr) => {{
        let mut wrong = Vec::new();
        for from in <$ty>::ALL {
            for to in <$ty>::ALL {
                if from == to {
                    continue;
                }
                let id: i64 = sqlx::query_scalar($insert)
                    .bind(from.as_str())
                    .bind($client)
                    .bind($user)
                    .fetch_one($pool)
                    .await
                    .unwrap_or_else(|e| panic!("insert a {} row: {e}", $table));
                let allowed = sqlx::query(concat!(
                    "UPDATE ",
                    $table,
                    " SET ",
                    $column,
                    " = $1 WHERE id = $2"
                ))
                .bind(to.as_str())
                .bind(id)
                .execute($pool)
                .await
                .is_ok();
                if allowed != from.may_become(to) {
                    wrong.push(format!(
                        "{}: {from:?} -> {to:?} {}",
                        $table,
                        if allowed { "allowed" } else { "refused" }
                    ));
                }
            }
        }
        wrong
    }};
}

/// [`transitions_against_the_rule`] for notes, drafts, recordings and jobs.
macro_rules! check_transitions {
    ($pool:expr) => {{
        use noted::store::drafts::DraftState;
        use noted::store::jobs::JobState;
        use noted::store::notes::NoteState;
        use noted::store::recordings::RecordingStatus;
        let pool = $pool;
        let user: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, role, password_hash, created_at)
             VALUES ('transitions@example.org', 'clinician', 'x', '2026-01-01T00:00:00Z')
             RETURNING id",
        )
        .fetch_one(pool)
        .await
        .expect("insert a user");
        let client: i64 = sqlx::query_scalar(
            "INSERT INTO clients (clinician_id, full_name, date_of_birth, created_at, updated_at)
             VALUES ($1, 'B Client', '1990-01-01', '2026-01-01T00:00:00Z',
                     '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(user)
        .fetch_one(pool)
        .await
        .expect("insert a client");
        let mut wrong = transitions_against_the_rule!(
            pool,
            NoteState,
            "notes",
            "state",
            "INSERT INTO notes (state, client_id, author_id, format, created_at, updated_at)
             VALUES ($1, $2, $3, 'soap', '2026-12-04', '2026-12-04') RETURNING id",
            client,
            user
        );
        wrong.extend(transitions_against_the_rule!(
            pool,
            DraftState,
            "drafts",
            "state",
            "INSERT INTO drafts (state, client_id, created_by, format, created_at, updated_at)
             VALUES ($1, $2, $3, 'soap', '2026-12-04', '2026-12-04') RETURNING id",
            client,
            user
        ));
        wrong.extend(transitions_against_the_rule!(
            pool,
            RecordingStatus,
            "recordings",
            "status",
            "INSERT INTO recordings (status, client_id, uploaded_by, kind, path, created_at)
             VALUES ($1, $2, $3, 'session', 'audio/x.wav', '2026-12-04') RETURNING id",
            client,
            user
        ));
        wrong.extend(transitions_against_the_rule!(
            pool,
            JobState,
            "jobs",
            "state",
            "INSERT INTO jobs (state, client_id, created_by, kind)
             VALUES ($1, $2, $3, 'transcribe') RETURNING id",
            client,
            user
        ));
        assert!(
            wrong.is_empty(),
            "the state triggers disagree with may_become:\n{}",
            wrong.join("\n")
        );
    }};
}

#[tokio::test]
async fn sqlite_triggers_refuse_what_they_must() {
    let pool = sqlite_migrated().await;
    check_refusals!(&pool);
    check_transitions!(&pool);
    pool.close().await;
}

#[tokio::test]
async fn postgres_schema_matches_sqlite_and_refuses_the_same_writes() {
    let Some(url) = postgres_url() else {
        return;
    };
    let sqlite = sqlite_migrated().await;
    let expected = sqlite_schema(&sqlite).await;
    sqlite.close().await;
    let (pool, ns) = postgres_migrated(&url).await;
    let mut found = postgres_schema(&pool, &ns).await;

    // PostgreSQL's TRUNCATE skips row triggers; the append-only tables refuse it with a
    // statement trigger SQLite has no use for. Those are the only extra triggers.
    found.triggers.retain(|(table, trigger)| {
        let extra = trigger == &format!("{table}_no_truncate");
        if extra {
            assert!(
                expected
                    .triggers
                    .iter()
                    .any(|(t, name)| t == table && name.ends_with("_no_delete")),
                "{trigger}: a TRUNCATE refusal on a table whose rows may be deleted"
            );
        }
        !extra
    });
    let names = |s: &Schema| s.relations.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&found), names(&expected), "tables and views");
    let mut differ = Vec::new();
    for (name, (kind, want)) in &expected.relations {
        let (found_kind, got) = &found.relations[name];
        if found_kind != kind {
            differ.push(format!(
                "{name}: a {kind} on SQLite, a {found_kind} on PostgreSQL"
            ));
        }
        let want_names: Vec<&str> = want.iter().map(|c| c.name.as_str()).collect();
        let got_names: Vec<&str> = got.iter().map(|c| c.name.as_str()).collect();
        if want_names != got_names {
            differ.push(format!("{name}: columns {want_names:?} vs {got_names:?}"));
            continue;
        }
        for (w, g) in want.iter().zip(got) {
            if w != g {
                differ.push(format!(
                    "{name}.{}: SQLite's translates to {:?} (NOT NULL {:?}), PostgreSQL has {:?} \
                     (NOT NULL {:?})",
                    w.name, w.ty, w.not_null, g.ty, g.not_null
                ));
            }
        }
    }
    assert!(differ.is_empty(), "columns differ:\n{}", differ.join("\n"));
    assert_eq!(found.indexes, expected.indexes, "indexes");
    assert_eq!(found.triggers, expected.triggers, "triggers");

    check_refusals!(&pool);
    check_transitions!(&pool);
    let truncate = sqlx::query("TRUNCATE audit_log").execute(&pool).await;
    assert!(
        truncate
            .as_ref()
            .is_err_and(|e| e.to_string().contains("append-only")),
        "TRUNCATE audit_log: {truncate:?}"
    );
    // Migrating again finds nothing to do.
    POSTGRES_MIGRATOR
        .run(&pool)
        .await
        .expect("the migrations run again");
    drop_schema(pool, &ns).await;
}

/// The job table's PostgreSQL statements (`store::jobs::sql::postgres`, the same set the SQLite
/// queue runs, in PostgreSQL's dialect) against the migrated schema: two claimers in open
/// transactions take different jobs without waiting (`SKIP LOCKED`), a worker claims only its
/// kinds, and a job goes through heartbeat, progress, cancel, retry, failure with backoff, an
/// expired lease, release and completion, with the state trigger refusing a done job's requeue.
#[tokio::test]
async fn postgres_job_statements_run_a_job_through_its_life() {
    use noted::store::jobs::sql::postgres as sql;
    use sqlx::postgres::PgRow;

    let Some(url) = postgres_url() else {
        return;
    };
    let (pool, ns) = postgres_migrated(&url).await;
    let enqueue = |kind: &'static str, priority: i64| {
        let pool = &pool;
        async move {
            sqlx::query_scalar::<_, i64>(sql::ENQUEUE)
                .bind(kind)
                .bind("{\"recording_id\": 1}")
                .bind(priority)
                .bind(2_i64)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .fetch_one(pool)
                .await
                .expect("enqueue")
        }
    };
    let state = |row: &PgRow| -> (i64, String, i64, bool) {
        (
            row.get("id"),
            row.get("state"),
            row.get("attempts"),
            row.get("cancel_requested"),
        )
    };
    const ALL: &str = "[\"transcribe\", \"draft\"]";
    const LEASE_MS: i64 = 60_000;
    let transcribe = enqueue("transcribe", 0).await;
    let draft = enqueue("draft", 5).await;

    // Two workers claim at once, each in its own open transaction: the second skips the row the
    // first holds instead of waiting for it.
    let mut first = pool.begin().await.expect("begin");
    let a = sqlx::query(sql::CLAIM)
        .bind("w1")
        .bind(LEASE_MS)
        .bind(ALL)
        .fetch_optional(&mut *first)
        .await
        .expect("claim")
        .expect("a job for the first worker");
    assert_eq!(
        state(&a),
        (draft, "running".into(), 1, false),
        "priority first"
    );
    let mut second = pool.begin().await.expect("begin");
    let b = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        sqlx::query(sql::CLAIM)
            .bind("w2")
            .bind(LEASE_MS)
            .bind(ALL)
            .fetch_optional(&mut *second),
    )
    .await
    .expect("the second claim waited for the first worker's row")
    .expect("claim")
    .expect("a job for the second worker");
    assert_eq!(state(&b), (transcribe, "running".into(), 1, false));
    first.commit().await.expect("commit");
    second.commit().await.expect("commit");
    let started: String = a.get("started_at");
    assert!(
        started.len() == 24 && started.ends_with('Z') && started.as_bytes()[10] == b'T',
        "text times as on SQLite (UTC, milliseconds): {started}"
    );

    // A worker claims only the kinds it runs.
    let other = enqueue("embed", 9).await;
    let none = sqlx::query(sql::CLAIM)
        .bind("w3")
        .bind(LEASE_MS)
        .bind("[\"transcribe\"]")
        .fetch_optional(&pool)
        .await
        .expect("claim");
    assert!(none.is_none(), "claimed a kind it does not run");

    // Heartbeat, cancel request seen by the heartbeat, the handler stops, retried.
    let heartbeat = |owner: &'static str| {
        let pool = &pool;
        async move {
            sqlx::query_scalar::<_, bool>(sql::HEARTBEAT)
                .bind(draft)
                .bind(owner)
                .bind(LEASE_MS)
                .fetch_optional(pool)
                .await
                .expect("heartbeat")
        }
    };
    assert_eq!(heartbeat("w1").await, Some(false));
    assert_eq!(heartbeat("w2").await, None, "another worker's lease");
    let cancelled = sqlx::query(sql::CANCEL)
        .bind(draft)
        .fetch_one(&pool)
        .await
        .expect("cancel");
    assert_eq!(state(&cancelled), (draft, "running".into(), 1, true));
    assert_eq!(heartbeat("w1").await, Some(true));
    let row = sqlx::query(sql::MARK_CANCELLED)
        .bind(draft)
        .bind("w1")
        .fetch_one(&pool)
        .await
        .expect("mark cancelled");
    assert_eq!(state(&row).1, "cancelled");
    let row = sqlx::query(sql::RETRY)
        .bind(draft)
        .fetch_one(&pool)
        .await
        .expect("retry");
    assert_eq!(state(&row), (draft, "queued".into(), 0, false));

    // Progress, then a retryable failure: queued again, but not before its backoff.
    let row = sqlx::query(sql::SET_PROGRESS)
        .bind(transcribe)
        .bind("w2")
        .bind("decode")
        .bind(0.5_f64)
        .fetch_one(&pool)
        .await
        .expect("progress");
    assert_eq!(row.get::<f64, _>("progress"), 0.5);
    let row = sqlx::query(sql::FAIL)
        .bind(transcribe)
        .bind("w2")
        .bind(true)
        .bind("decoder crashed")
        .bind(60_000_i64)
        .bind(600_000_i64)
        .fetch_one(&pool)
        .await
        .expect("fail");
    assert_eq!(state(&row), (transcribe, "queued".into(), 1, false));
    let backoff = sqlx::query(sql::CLAIM)
        .bind("w2")
        .bind(LEASE_MS)
        .bind("[\"transcribe\"]")
        .fetch_optional(&pool)
        .await
        .expect("claim");
    assert!(backoff.is_none(), "claimed during its backoff");

    // A lease that ran out (the worker died) is requeued by the reaper; a live one is not.
    let claim = |owner: &'static str, lease_ms: i64| {
        let pool = &pool;
        async move {
            sqlx::query(sql::CLAIM)
                .bind(owner)
                .bind(lease_ms)
                .bind("[\"draft\"]")
                .fetch_one(pool)
                .await
                .expect("claim the draft job")
        }
    };
    claim("w4", -1).await;
    let reaped = sqlx::query(sql::REQUEUE_EXPIRED)
        .bind(false)
        .fetch_all(&pool)
        .await
        .expect("requeue expired");
    assert_eq!(reaped.len(), 1);
    assert_eq!(state(&reaped[0]), (draft, "queued".into(), 1, false));
    assert!(reaped[0]
        .get::<String, _>("error")
        .contains("lease expired"));

    // Released on shutdown without counting the attempt; then completed.
    claim("w5", LEASE_MS).await;
    let row = sqlx::query(sql::RELEASE)
        .bind(draft)
        .bind("w5")
        .fetch_one(&pool)
        .await
        .expect("release");
    assert_eq!(state(&row), (draft, "queued".into(), 1, false));
    claim("w6", LEASE_MS).await;
    let wrong_owner = sqlx::query(sql::COMPLETE)
        .bind(draft)
        .bind("w5")
        .bind("{}")
        .fetch_optional(&pool)
        .await
        .expect("complete");
    assert!(wrong_owner.is_none(), "completed under a lease it lost");
    let done = sqlx::query(sql::COMPLETE)
        .bind(draft)
        .bind("w6")
        .bind("{\"transcript_id\": 7}")
        .fetch_one(&pool)
        .await
        .expect("complete");
    assert_eq!(state(&done).1, "done");
    assert_eq!(done.get::<f64, _>("progress"), 1.0);
    let requeue = sqlx::query("UPDATE jobs SET state = 'queued' WHERE id = $1")
        .bind(draft)
        .execute(&pool)
        .await;
    assert!(
        requeue
            .as_ref()
            .is_err_and(|e| e.to_string().contains("job's state is not allowed")),
        "a done job requeued: {requeue:?}"
    );

    // The reads.
    let row = sqlx::query(sql::GET)
        .bind(draft)
        .fetch_one(&pool)
        .await
        .expect("get");
    assert_eq!(row.get::<String, _>("result"), "{\"transcript_id\": 7}");
    let listed = sqlx::query(sql::LIST_RECENT)
        .bind(10_i64)
        .fetch_all(&pool)
        .await
        .expect("list recent");
    let order: Vec<i64> = listed.iter().map(|r| r.get("id")).collect();
    assert_eq!(
        order,
        [transcribe, other, draft],
        "unfinished first, in run order"
    );
    let for_client = sqlx::query(sql::LIST_FOR_CLIENT)
        .bind(1_i64)
        .bind(10_i64)
        .fetch_all(&pool)
        .await
        .expect("list for a client");
    assert!(for_client.is_empty());
    drop_schema(pool, &ns).await;
}
