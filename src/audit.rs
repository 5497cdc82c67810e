//! The audit log: an append-only, hash-chained record of who viewed or changed what, when and
//! from where. Rows hold ids only, never PHI. Writes happen inside the caller's transaction so
//! a change and its audit row commit together.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::store::{Store, StoreError};

/// `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it, and from where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    /// The signed-in user, `None` for the system or an unidentified caller (failed sign-in).
    pub user_id: Option<i64>,
    /// Remote address of the request, or `cli` / `system`.
    pub remote_addr: String,
}

impl Actor {
    /// A signed-in user acting from an address.
    pub fn user(user_id: i64, remote_addr: impl Into<String>) -> Actor {
        Actor {
            user_id: Some(user_id),
            remote_addr: remote_addr.into(),
        }
    }

    /// The command line (e.g. `noted user add`), acting as nobody in particular.
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            remote_addr: "cli".into(),
        }
    }
}

/// What happened. `detail` carries ids and enumerations only.
#[derive(Debug, Clone)]
pub struct Event {
    /// e.g. `client.view`, `plan.update`, `measure.create`, `auth.login_failed`, `note.export`.
    pub action: String,
    /// e.g. `client`, `plan`, `measure`, `user`, `note`.
    pub resource_type: String,
    pub resource_id: String,
    pub client_id: Option<i64>,
    pub detail: serde_json::Value,
}

impl Event {
    /// An event about a resource.
    pub fn new(action: &str, resource_type: &str, resource_id: impl ToString) -> Event {
        Event {
            action: action.to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
            client_id: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    /// Sets the client whose chart this touches.
    pub fn client(mut self, client_id: i64) -> Event {
        self.client_id = Some(client_id);
        self
    }

    /// Attaches non-PHI detail (ids, states, counts).
    pub fn detail(mut self, detail: serde_json::Value) -> Event {
        self.detail = detail;
        self
    }
}

/// One stored audit row.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub client_id: Option<i64>,
    pub remote_addr: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a row: SHA-256 (hex) over the canonical JSON array of its fields and `prev_hash`.
#[allow(clippy::too_many_arguments)]
pub fn row_hash(
    id: i64,
    at: &str,
    actor_id: Option<i64>,
    action: &str,
    resource_type: &str,
    resource_id: &str,
    client_id: Option<i64>,
    remote_addr: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::json!([
        id,
        at,
        actor_id,
        action,
        resource_type,
        resource_id,
        client_id,
        remote_addr,
        detail,
        prev_hash
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends a row inside the caller's write transaction. Returns the new row id.
pub async fn append(
    conn: &mut SqliteConnection,
    actor: &Actor,
    event: &Event,
) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (id, prev_hash) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = crate::store::now();
    let detail = event.detail.to_string();
    let hash = row_hash(
        id,
        &at,
        actor.user_id,
        &event.action,
        &event.resource_type,
        &event.resource_id,
        event.client_id,
        &actor.remote_addr,
        &detail,
        &prev_hash,
    );
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, resource_type, resource_id, client_id,
                                remote_addr, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&at)
    .bind(actor.user_id)
    .bind(&event.action)
    .bind(&event.resource_type)
    .bind(&event.resource_id)
    .bind(event.client_id)
    .bind(&actor.remote_addr)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Appends a row in its own transaction (for views and other read-only events).
pub async fn record(store: &Store, actor: &Actor, event: &Event) -> Result<i64, StoreError> {
    let mut tx = store.begin_write().await?;
    let id = append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether a row for the same actor, action and resource was written at or after `since`
/// (a timestamp as the store writes them).
pub async fn recorded_since(
    store: &Store,
    actor: &Actor,
    event: &Event,
    since: &str,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM audit_log
         WHERE client_id IS ? AND actor_id IS ? AND action = ? AND resource_type = ?
           AND resource_id = ? AND at >= ?
         LIMIT 1",
    )
    .bind(event.client_id)
    .bind(actor.user_id)
    .bind(&event.action)
    .bind(&event.resource_type)
    .bind(&event.resource_id)
    .bind(since)
    .fetch_optional(store.pool())
    .await?;
    Ok(found.is_some())
}

/// The newest rows, optionally for one client (for an audit view).
pub async fn recent(
    store: &Store,
    client_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let rows = match client_id {
        Some(c) => {
            sqlx::query_as::<_, AuditRow>(
                "SELECT * FROM audit_log WHERE client_id = ? ORDER BY id DESC LIMIT ?",
            )
            .bind(c)
            .bind(limit)
            .fetch_all(store.pool())
            .await?
        }
        None => {
            sqlx::query_as::<_, AuditRow>("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?")
                .bind(limit)
                .fetch_all(store.pool())
                .await?
        }
    };
    Ok(rows)
}

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verification {
    /// Every row links to its predecessor and hashes to its stored hash.
    Intact { rows: i64 },
    /// The first row that does not check out, and why.
    Broken { row_id: i64, reason: String },
}

/// Walks the whole log in id order and reports the first broken row.
pub async fn verify(store: &Store) -> Result<Verification, StoreError> {
    use futures_util::TryStreamExt;
    let mut rows =
        sqlx::query_as::<_, AuditRow>("SELECT * FROM audit_log ORDER BY id").fetch(store.pool());
    let mut expected_prev = GENESIS.to_string();
    let mut expected_id = 1i64;
    let mut count = 0i64;
    while let Some(r) = rows.try_next().await? {
        if r.id != expected_id {
            return Ok(Verification::Broken {
                row_id: r.id,
                reason: format!(
                    "row id {} follows {}: rows are missing",
                    r.id,
                    expected_id - 1
                ),
            });
        }
        if r.prev_hash != expected_prev {
            return Ok(Verification::Broken {
                row_id: r.id,
                reason: "prev_hash does not match the previous row's hash".into(),
            });
        }
        let h = row_hash(
            r.id,
            &r.at,
            r.actor_id,
            &r.action,
            &r.resource_type,
            &r.resource_id,
            r.client_id,
            &r.remote_addr,
            &r.detail,
            &r.prev_hash,
        );
        if h != r.hash {
            return Ok(Verification::Broken {
                row_id: r.id,
                reason: "row contents do not match its hash (edited after writing)".into(),
            });
        }
        expected_prev = r.hash;
        expected_id += 1;
        count += 1;
    }
    Ok(Verification::Intact { rows: count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_field() {
        let base = row_hash(1, "t", Some(2), "a", "r", "3", Some(4), "ip", "{}", GENESIS);
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            row_hash(1, "t", Some(2), "a", "r", "3", Some(5), "ip", "{}", GENESIS)
        );
        assert_ne!(
            base,
            row_hash(1, "t", None, "a", "r", "3", Some(4), "ip", "{}", GENESIS)
        );
        assert_ne!(
            base,
            row_hash(2, "t", Some(2), "a", "r", "3", Some(4), "ip", "{}", GENESIS)
        );
    }
}
