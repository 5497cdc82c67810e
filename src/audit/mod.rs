//! The audit log: an append-only, hash-chained record of who viewed or changed what, when and
//! from where. Rows hold ids only, never PHI. Writes happen inside the caller's transaction so
//! a change and its audit row commit together. The chain is keyed and anchored outside the
//! database ([`keyed`]).

pub mod keyed;

use crate::store::{db, exec, Store, StoreError, WriteTx};
use serde::Serialize;
use sha2::{Digest, Sha256};

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

/// The canonical text of a row: the JSON array of its fields and `prev_hash`.
#[allow(clippy::too_many_arguments)]
fn canonical(
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
    serde_json::json!([
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
    ])
    .to_string()
}

/// The unkeyed hash of a row (rows written before the chain was keyed): SHA-256 (hex) over
/// the canonical JSON array of its fields and `prev_hash`.
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
    let c = canonical(
        id,
        at,
        actor_id,
        action,
        resource_type,
        resource_id,
        client_id,
        remote_addr,
        detail,
        prev_hash,
    );
    hex::encode(Sha256::digest(c.as_bytes()))
}

fn canonical_of(r: &AuditRow) -> String {
    canonical(
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
    )
}

/// Appends a row inside the caller's write transaction. Returns the new row id.
pub async fn append(conn: &mut WriteTx, actor: &Actor, event: &Event) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> = db!(&mut *conn, |x| sqlx::query_as(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    .fetch_optional(x)
    .await)?;
    let (id, prev_hash) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = crate::store::now();
    let detail = event.detail.to_string();
    let text = canonical(
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
    // Keyed with the store's audit key, which the transaction carries (never in the database).
    let hash = match conn.audit_seal() {
        Some(seal) => seal.keyed_hash(&text),
        None => hex::encode(Sha256::digest(text.as_bytes())),
    };
    exec!(&mut *conn, sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, resource_type, resource_id, client_id,
                                remote_addr, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
    .bind(&hash))?;
    Ok(id)
}

/// Appends a row in its own transaction (for views and other read-only events).
pub async fn record(store: &Store, actor: &Actor, event: &Event) -> Result<i64, StoreError> {
    let mut tx = store.begin_write().await?;
    let id = append(&mut tx, actor, event).await?;
    tx.commit().await?;
    if id % keyed::CHECKPOINT_EVERY == 0 {
        if let Err(e) = keyed::checkpoint(store).await {
            tracing::warn!("audit checkpoint failed: {e}");
        }
    }
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
    let found: Option<i64> = db!(store, |x| {
        sqlx::query_scalar(
        "SELECT id FROM audit_log
         WHERE client_id IS NOT DISTINCT FROM $1 AND actor_id IS NOT DISTINCT FROM $2 AND action = $3 AND resource_type = $4
           AND resource_id = $5 AND at >= $6
         LIMIT 1",
    )
    .bind(event.client_id)
    .bind(actor.user_id)
    .bind(&event.action)
    .bind(&event.resource_type)
    .bind(&event.resource_id)
    .bind(since)
    .fetch_optional(x)
    .await
    })?;
    Ok(found.is_some())
}

/// The newest rows, optionally for one client (for an audit view).
pub async fn recent(
    store: &Store,
    client_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let rows = match client_id {
        Some(c) => db!(store, |x| sqlx::query_as::<_, AuditRow>(
            "SELECT * FROM audit_log WHERE client_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(c)
        .bind(limit)
        .fetch_all(x)
        .await)?,
        None => db!(store, |x| sqlx::query_as::<_, AuditRow>(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(x)
        .await)?,
    };
    Ok(rows)
}

/// One row of a client's access log, with the actor's email.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AccessEntry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub remote_addr: String,
}

/// A client's access log, newest first, at most `limit` rows.
pub async fn client_access_log(
    store: &Store,
    client_id: i64,
    limit: i64,
) -> Result<Vec<AccessEntry>, StoreError> {
    Ok(db!(store, |x| {
        sqlx::query_as::<_, AccessEntry>(
        "SELECT a.id, a.at, a.actor_id, u.email AS actor, a.action, a.resource_type, a.resource_id, a.remote_addr
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.client_id = $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(client_id)
    .bind(limit)
    .fetch_all(x)
    .await
    })?)
}

/// Rows [`verify`] reads at a time.
const VERIFY_PAGE: i64 = 5000;

/// Result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verification {
    /// Every row links to its predecessor and hashes to its stored hash.
    Intact { rows: i64 },
    /// The first row that does not check out, and why.
    Broken { row_id: i64, reason: String },
}

/// Walks the whole log in id order and reports the first broken row: a row that does not link
/// to the one before, whose contents do not match its hash (keyed rows need the key), an
/// unkeyed row where the anchor says rows are keyed, a row that differs from its checkpoint,
/// or rows missing from the end (the anchor's last checkpoint names a row that is gone).
pub async fn verify(store: &Store) -> Result<Verification, StoreError> {
    use keyed::AnchorLine;
    let seal = store.audit_seal();
    let anchor = match seal.map(|s| s.read_anchor()) {
        Some(Ok(lines)) => lines,
        Some(Err((line, why))) => {
            return Ok(Verification::Broken {
                row_id: 0,
                reason: format!("audit anchor line {line}: {why}"),
            })
        }
        None => None,
    };
    let mut keyed_from = i64::MAX;
    let mut checkpoints = std::collections::BTreeMap::new();
    for l in anchor.iter().flatten() {
        match l {
            AnchorLine::Start { keyed_from: k, .. } => keyed_from = *k,
            AnchorLine::Checkpoint { row, hash, .. } => {
                checkpoints.insert(*row, hash.clone());
            }
        }
    }
    let mut expected_prev = GENESIS.to_string();
    let mut expected_id = 1i64;
    let mut count = 0i64;
    let mut seen_keyed = false;
    let broken = |row_id: i64, reason: &str| {
        Ok(Verification::Broken {
            row_id,
            reason: reason.to_string(),
        })
    };
    // read in pages by id, so a long log is never held in memory at once
    let mut after = i64::MIN;
    loop {
        let page: Vec<AuditRow> = db!(store, |x| sqlx::query_as(
            "SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2"
        )
        .bind(after)
        .bind(VERIFY_PAGE)
        .fetch_all(x)
        .await)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in page {
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
                return broken(r.id, "prev_hash does not match the previous row's hash");
            }
            let text = canonical_of(&r);
            let h = if r.hash.starts_with("hmac:") {
                seen_keyed = true;
                match seal.map(|s| s.keyed_hash(&text)) {
                    Some(h) => h,
                    None => return broken(r.id, "the row is keyed but the audit key is missing"),
                }
            } else if seen_keyed || r.id >= keyed_from {
                return broken(
                    r.id,
                    "the row is not keyed where the chain is (rewritten without the key)",
                );
            } else {
                hex::encode(Sha256::digest(text.as_bytes()))
            };
            if h != r.hash {
                return broken(
                    r.id,
                    "row contents do not match its hash (edited after writing)",
                );
            }
            if checkpoints.get(&r.id).is_some_and(|c| *c != r.hash) {
                return broken(
                    r.id,
                    "the row differs from its checkpoint in the anchor file (the chain was rewritten)",
                );
            }
            expected_prev = r.hash;
            expected_id += 1;
            count += 1;
        }
    }
    if let Some((&last, _)) = checkpoints.iter().next_back() {
        if last > count {
            return Ok(Verification::Broken {
                row_id: last,
                reason: format!(
                    "rows were removed from the end: the anchor file checkpointed row {last}, \
                     the log ends at row {count}"
                ),
            });
        }
    }
    if seen_keyed && anchor.is_none() {
        return broken(count, "the audit anchor file is missing");
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
