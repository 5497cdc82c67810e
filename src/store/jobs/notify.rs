//! Job changes between processes on PostgreSQL (issue 15): `pg_notify` on one channel per
//! schema, and a listener on it (sqlx's `PgListener`). NOTIFY channels belong to the database,
//! not to a schema, so the channel is named after the schema the pool works in: two practices
//! (or two tests) in one database do not hear each other. Delivery is at most once: a listener
//! whose connection drops misses what was sent meanwhile, so readers keep polling the job row
//! as well (`jobs::sse`).

use sqlx::postgres::{PgListener, PgPool};

/// The largest payload sent; PostgreSQL refuses 8000 bytes and more.
pub const MAX_PAYLOAD: usize = 7_900;

/// The channel of the pool's schema (`noted_jobs_<schema>`, cut to PostgreSQL's 63-byte names).
pub async fn channel(pool: &PgPool) -> Result<String, sqlx::Error> {
    let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(pool)
        .await?;
    let mut name = format!("noted_jobs_{schema}");
    name.truncate(63);
    Ok(name)
}

/// Sends `payload` (at most [`MAX_PAYLOAD`] bytes) to the listeners of `channel`.
pub async fn send(pool: &PgPool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await?;
    Ok(())
}

/// A listener on `channel`, on a connection of its own.
pub async fn listen(pool: &PgPool, channel: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(channel).await?;
    Ok(listener)
}
