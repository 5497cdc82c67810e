//! The databases a test runs on: SQLite always, and PostgreSQL when `NOTED_TEST_POSTGRES_URL`
//! names a server (for example `postgres://noted@127.0.0.1:5433/noted_test`), each test in a
//! fresh schema of its own ([`TestDb::drop`] removes it). Without the URL the PostgreSQL half
//! is skipped with a message, unless `NOTED_REQUIRE_POSTGRES=1` (CI), when it fails; the same
//! convention as `tests/migrations.rs`.
#![allow(dead_code)] // each test crate uses its own subset
#![allow(unused_macros)] // likewise: a crate that includes this with `#[macro_use]` may use one

use noted::store::{Location, Store};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Runs `$test(&TestDb)` on each database of the run (SQLite, then PostgreSQL when
/// `NOTED_TEST_POSTGRES_URL` names a server), dropping the database after it and naming the
/// database in any failure. Include this file with `#[macro_use]` to use it.
macro_rules! on_each_db {
    ($test:expr) => {
        for db in TestDb::each().await {
            let on = db.name();
            let run =
                futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe($test(&db)))
                    .await;
            db.drop().await;
            if let Err(panic) = run {
                let why = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(a panic without a message)");
                panic!("on {on}: {why}");
            }
        }
    };
}

/// `$run` with `$p` bound to the store's pool, whichever database it is (the same code is
/// compiled for each): `on_pool!(store, |p| sqlx::query_scalar(SQL).fetch_one(p).await)`.
/// SQL run this way uses `$1, $2` placeholders, which both databases accept.
macro_rules! on_pool {
    ($store:expr, |$p:ident| $run:expr) => {{
        let pool = $store.pool();
        match (pool.sqlite(), pool.postgres()) {
            (Some($p), _) => $run,
            (None, Some($p)) => $run,
            (None, None) => unreachable!("a pool is SQLite or PostgreSQL"),
        }
    }};
}

/// Runs `test` on each database of the run given its location (SQLite, then PostgreSQL when
/// the run has a server), dropping the database after it and naming it in any failure: the
/// function form of [`on_each_db!`], for tests that take a [`Location`].
pub async fn each_db<Fut: std::future::Future<Output = ()>>(test: impl Fn(Location) -> Fut) {
    for db in TestDb::each().await {
        let name = db.name();
        let run = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(test(
            db.location.clone(),
        )))
        .await;
        db.drop().await;
        if let Err(e) = run {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(a panic without a message)");
            panic!("on {name}: {msg}");
        }
    }
}

/// Whether `store` is on PostgreSQL (for the few queries whose text must differ).
pub fn is_postgres(store: &Store) -> bool {
    store.pool().postgres().is_some()
}

/// A second, fresh database of the same kind as `at` (PostgreSQL: another schema, dropped by
/// the caller through the returned [`TestDb`]).
pub async fn another_like(at: &Location) -> (Location, Option<TestDb>) {
    match at {
        Location::Sqlite(_) => (Location::Sqlite(None), None),
        Location::Postgres(_) => {
            let url = TestDb::postgres_url().expect("a PostgreSQL run has a server");
            let db = TestDb::postgres(&url).await;
            (db.location.clone(), Some(db))
        }
    }
}

/// Whether `store` is on SQLite (for the few statements whose SQL differs).
pub fn is_sqlite(store: &Store) -> bool {
    store.pool().sqlite().is_some()
}

/// A database for one test.
pub struct TestDb {
    /// Where the store opens it (`sqlite://` is the data directory's `noted.db`).
    pub location: Location,
    /// PostgreSQL only: the server's URL (without the schema) and the test's schema.
    schema: Option<(String, String)>,
}

impl TestDb {
    /// The data directory's SQLite file.
    pub fn sqlite() -> TestDb {
        TestDb {
            location: Location::Sqlite(None),
            schema: None,
        }
    }

    /// A fresh, empty schema on the PostgreSQL server at `url`; the location's connections
    /// have it as their search path.
    pub async fn postgres(url: &str) -> TestDb {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        let ns = format!("noted_test_{}_{nanos}", std::process::id());
        let admin = admin(url).await;
        // `ns` is made above from digits and a fixed prefix.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {ns}")))
            .execute(&admin)
            .await
            .expect("create a fresh schema");
        admin.close().await;
        let sep = if url.contains('?') { '&' } else { '?' };
        TestDb {
            location: Location::parse(&format!("{url}{sep}options=-c%20search_path%3D{ns}"))
                .expect("the test URL parses"),
            schema: Some((url.to_string(), ns)),
        }
    }

    /// The PostgreSQL server of this run, if any (skips or fails as the module doc says).
    pub fn postgres_url() -> Option<String> {
        let url = std::env::var("NOTED_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let require = std::env::var("NOTED_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        if url.is_none() {
            assert!(
                !require,
                "NOTED_TEST_POSTGRES_URL is not set: the store was not tested on PostgreSQL"
            );
            eprintln!(
                "skipped: the PostgreSQL half (NOTED_TEST_POSTGRES_URL is not set; set it to a \
                 server's URL, e.g. postgres://noted@127.0.0.1:5433/noted_test)"
            );
        }
        url
    }

    /// SQLite, then PostgreSQL when the run has a server.
    pub async fn each() -> Vec<TestDb> {
        let mut out = vec![TestDb::sqlite()];
        if let Some(url) = TestDb::postgres_url() {
            out.push(TestDb::postgres(&url).await);
        }
        out
    }

    /// `sqlite` or `postgres`, for messages.
    pub fn name(&self) -> &'static str {
        match self.location {
            Location::Sqlite(_) => "sqlite",
            Location::Postgres(_) => "postgres",
        }
    }

    /// The URL to hand `noted --database-url`.
    pub fn url(&self) -> String {
        match &self.location {
            Location::Postgres(url) => url.clone(),
            Location::Sqlite(_) => "sqlite://".into(),
        }
    }

    /// Drops the test's schema (PostgreSQL); nothing to do for SQLite (its temporary data
    /// directory goes with the test).
    pub async fn drop(self) {
        if let Some((url, ns)) = self.schema {
            let admin = admin(&url).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {ns} CASCADE")))
                .execute(&admin)
                .await
                .expect("drop the test schema");
            admin.close().await;
        }
    }
}

async fn admin(url: &str) -> sqlx::PgPool {
    let options: PgConnectOptions = url.parse().expect("NOTED_TEST_POSTGRES_URL parses");
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap_or_else(|e| panic!("connect to NOTED_TEST_POSTGRES_URL: {e}"))
}
