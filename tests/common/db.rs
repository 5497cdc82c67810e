//! The databases a test runs on: SQLite always, and PostgreSQL when `NOTED_TEST_POSTGRES_URL`
//! names a server (for example `postgres://noted@127.0.0.1:5433/noted_test`), each test in a
//! fresh schema of its own ([`TestDb::drop`] removes it). Without the URL the PostgreSQL half
//! is skipped with a message, unless `NOTED_REQUIRE_POSTGRES=1` (CI), when it fails; the same
//! convention as `tests/migrations.rs`.
#![allow(dead_code)] // each test crate uses its own subset

use noted::store::Location;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

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
