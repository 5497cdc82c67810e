//! The audit chain's key and its anchor outside the database. Rows are hashed with
//! HMAC-SHA256 under a random key kept in `audit.key` (mode 0600) beside the database, so that
//! whoever can write the database file but not read the key cannot rewrite rows and recompute
//! the chain. The head of the chain is checkpointed, appended to `audit.anchor` (each line
//! MAC'd and linked to the one before), so that `noted audit verify` also notices rows removed
//! from the end. Copy the anchor file off the machine (or to the system log) for protection
//! against someone who holds the key too.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};

use crate::store::db;
use crate::store::{Store, StoreError};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "audit.key";
/// The checkpoint file's name in the data directory.
pub const ANCHOR_FILE: &str = "audit.anchor";
/// A checkpoint is appended whenever the row id reaches a multiple of this (and on every
/// periodic sweep when the head moved).
pub const CHECKPOINT_EVERY: i64 = 100;

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// The key and anchor of one database.
pub struct AuditSeal {
    key: [u8; 32],
    anchor: PathBuf,
    /// Serializes appends to the anchor file within this process.
    lock: std::sync::Mutex<()>,
}

impl std::fmt::Debug for AuditSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSeal")
            .field("anchor", &self.anchor)
            .finish_non_exhaustive()
    }
}

/// One line of the anchor file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnchorLine {
    /// The first line: rows from `keyed_from` on are keyed (older ones predate the key), and
    /// signatures from `signatures_keyed_from` on carry a MAC.
    Start {
        keyed_from: i64,
        #[serde(default)]
        signatures_keyed_from: i64,
        mac: String,
    },
    /// The chain's head at a point in time.
    Checkpoint {
        row: i64,
        hash: String,
        at: String,
        mac: String,
    },
}

impl AnchorLine {
    fn mac(&self) -> &str {
        match self {
            AnchorLine::Start { mac, .. } | AnchorLine::Checkpoint { mac, .. } => mac,
        }
    }

    /// What the line's MAC covers: the previous line's MAC and this line's fields.
    fn signed_text(&self, prev_mac: &str) -> String {
        match self {
            AnchorLine::Start {
                keyed_from,
                signatures_keyed_from,
                ..
            } => format!("{prev_mac}|start|{keyed_from}|{signatures_keyed_from}"),
            AnchorLine::Checkpoint { row, hash, at, .. } => {
                format!("{prev_mac}|checkpoint|{row}|{hash}|{at}")
            }
        }
    }
}

impl AuditSeal {
    /// Reads the key in `dir`, creating it (32 random bytes, mode 0600) on first use.
    pub fn open_or_create(dir: &Path) -> std::io::Result<AuditSeal> {
        let path = dir.join(KEY_FILE);
        let key = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).ok().filter(|b| b.len() == 32);
                let Some(bytes) = bytes else {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} is not a 32-byte hex key", path.display()),
                    ));
                };
                let mut key = [0u8; 32];
                key.copy_from_slice(&bytes);
                key
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::Rng::fill(&mut rand::rngs::OsRng, &mut key[..]);
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let mut f = opts.open(&path)?;
                f.write_all(hex::encode(key).as_bytes())?;
                f.sync_all()?;
                key
            }
            Err(e) => return Err(e),
        };
        Ok(AuditSeal {
            key,
            anchor: dir.join(ANCHOR_FILE),
            lock: std::sync::Mutex::new(()),
        })
    }

    /// The keyed hash of an audit row's canonical text (`hmac:` and 64 hex digits).
    pub fn keyed_hash(&self, canonical: &str) -> String {
        format!("hmac:{}", self.mac(canonical.as_bytes()))
    }

    /// HMAC-SHA256 of `data` under the key, hex.
    pub fn mac(&self, data: &[u8]) -> String {
        mac_with(&self.key, data)
    }

    /// The anchor file's path.
    pub fn anchor_path(&self) -> &Path {
        &self.anchor
    }

    /// The anchor's lines, each MAC checked against the key and the line before. `Ok(None)`
    /// when there is no anchor file; `Err(line number, reason)` when a line does not check out.
    pub fn read_anchor(&self) -> Result<Option<Vec<AnchorLine>>, (usize, String)> {
        let text = match std::fs::read_to_string(&self.anchor) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err((0, format!("cannot read the anchor file: {e}"))),
        };
        let mut prev = String::new();
        let mut out = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let parsed: AnchorLine = serde_json::from_str(line)
                .map_err(|e| (i + 1, format!("unreadable anchor line: {e}")))?;
            let want = self.mac(parsed.signed_text(&prev).as_bytes());
            if !crate::crypto::constant_time_eq(&want, parsed.mac()) {
                return Err((i + 1, "anchor line altered (its MAC does not match)".into()));
            }
            if matches!(parsed, AnchorLine::Start { .. }) != (i == 0) {
                return Err((i + 1, "the anchor must start with one start line".into()));
            }
            prev = parsed.mac().to_string();
            out.push(parsed);
        }
        Ok(Some(out))
    }

    fn append_line(&self, line: impl FnOnce(&str) -> AnchorLine) -> std::io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let prev = match self.read_anchor() {
            Ok(Some(lines)) => lines
                .last()
                .map(|l| l.mac().to_string())
                .unwrap_or_default(),
            Ok(None) => String::new(),
            Err((n, why)) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} line {n}: {why}", self.anchor.display()),
                ))
            }
        };
        let line = line(&prev);
        let mut opts = std::fs::OpenOptions::new();
        opts.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&self.anchor)?;
        let text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
        writeln!(f, "{text}")?;
        f.sync_all()
    }
}

fn mac_with(key: &[u8], data: &[u8]) -> String {
    let mut m =
        <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    m.update(data);
    hex::encode(m.finalize().into_bytes())
}

async fn head(store: &Store) -> Result<Option<(i64, String)>, StoreError> {
    Ok(db!(store, |x| sqlx::query_as(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
    )
    .fetch_optional(x)
    .await)?)
}

fn io_err(store_dir: &Path, e: std::io::Error) -> StoreError {
    StoreError::DataDir {
        path: store_dir.to_path_buf(),
        source: e,
    }
}

/// Writes the anchor's start line when the database has none yet: rows after the current head
/// are keyed from now on.
pub async fn start_anchor(store: &Store) -> Result<(), StoreError> {
    let Some(seal) = store.audit_seal() else {
        return Ok(());
    };
    if seal.anchor.exists() {
        return Ok(());
    }
    let keyed_from = head(store).await?.map_or(1, |(id, _)| id + 1);
    let signatures_keyed_from: i64 = db!(store, |x| sqlx::query_scalar(
        "SELECT COALESCE(MAX(id), 0) + 1 FROM signatures"
    )
    .fetch_one(x)
    .await)?;
    seal.append_line(|prev| {
        let mut l = AnchorLine::Start {
            keyed_from,
            signatures_keyed_from,
            mac: String::new(),
        };
        let m = seal.mac(l.signed_text(prev).as_bytes());
        if let AnchorLine::Start { mac, .. } = &mut l {
            *mac = m;
        }
        l
    })
    .map_err(|e| io_err(&seal.anchor, e))
}

/// Appends the chain's head to the anchor when it moved since the last checkpoint. Returns the
/// row checkpointed, if any.
pub async fn checkpoint(store: &Store) -> Result<Option<i64>, StoreError> {
    let Some(seal) = store.audit_seal() else {
        return Ok(None);
    };
    let Some((row, hash)) = head(store).await? else {
        return Ok(None);
    };
    let last = match seal.read_anchor() {
        Ok(Some(lines)) => lines.iter().rev().find_map(|l| match l {
            AnchorLine::Checkpoint { row, .. } => Some(*row),
            AnchorLine::Start { .. } => None,
        }),
        Ok(None) => None,
        Err((n, why)) => {
            tracing::warn!("audit anchor line {n}: {why}; not checkpointing");
            return Ok(None);
        }
    };
    if last.is_some_and(|l| l >= row) {
        return Ok(None);
    }
    let at = crate::store::now();
    seal.append_line(|prev| {
        let mut l = AnchorLine::Checkpoint {
            row,
            hash,
            at,
            mac: String::new(),
        };
        let m = seal.mac(l.signed_text(prev).as_bytes());
        if let AnchorLine::Checkpoint { mac, .. } = &mut l {
            *mac = m;
        }
        l
    })
    .map_err(|e| io_err(&seal.anchor, e))?;
    Ok(Some(row))
}

/// The MAC (`hmac:` and hex) of `text` under the audit key `tx` carries (the store's), or
/// `None` for a store without one.
pub(crate) fn transaction_mac(tx: &crate::store::WriteTx, text: &str) -> Option<String> {
    tx.audit_seal().map(|s| s.keyed_hash(text))
}

/// What a signature's MAC covers.
pub fn signature_text(
    note_id: i64,
    signer_id: i64,
    kind: &str,
    signed_at: &str,
    sha: &str,
) -> String {
    format!("signature|{note_id}|{signer_id}|{kind}|{signed_at}|{sha}")
}

/// A signature row as read for verification: id, note, signer, kind, signed at, content hash, MAC.
type SignatureRow = (i64, i64, i64, String, String, String, Option<String>);

/// Checks every signature: those from the anchor's `signatures_keyed_from` on must carry a MAC
/// that matches (so a signature cannot be forged or re-pointed without the key), and each keyed
/// signature's content must still exist, exactly as signed, among the note's signed versions.
pub async fn verify_signatures(store: &Store) -> Result<super::Verification, StoreError> {
    use super::Verification;
    let Some(seal) = store.audit_seal() else {
        return Ok(Verification::Intact { rows: 0 });
    };
    let from = match seal.read_anchor() {
        Ok(Some(lines)) => lines
            .iter()
            .find_map(|l| match l {
                AnchorLine::Start {
                    signatures_keyed_from,
                    ..
                } => Some(*signatures_keyed_from),
                AnchorLine::Checkpoint { .. } => None,
            })
            .unwrap_or(i64::MAX),
        Ok(None) => i64::MAX,
        Err((line, why)) => {
            return Ok(Verification::Broken {
                row_id: 0,
                reason: format!("audit anchor line {line}: {why}"),
            })
        }
    };
    let rows: Vec<SignatureRow> = db!(store, |x| sqlx::query_as(
        "SELECT id, note_id, signer_id, kind, signed_at, content_sha256, mac FROM signatures
         ORDER BY id",
    )
    .fetch_all(x)
    .await)?;
    let count = rows.len() as i64;
    for (id, note_id, signer_id, kind, signed_at, sha, mac) in rows {
        let broken = |reason: &str| {
            Ok(Verification::Broken {
                row_id: id,
                reason: format!("signature {id} of note {note_id}: {reason}"),
            })
        };
        let want = seal.mac(signature_text(note_id, signer_id, &kind, &signed_at, &sha).as_bytes());
        match mac {
            Some(m) if m.strip_prefix("hmac:") == Some(want.as_str()) => {}
            Some(_) => return broken("its MAC does not match (altered without the key)"),
            None if id >= from => return broken("it carries no MAC (added without the key)"),
            None => continue,
        }
        let content: Option<String> = db!(store, |x| sqlx::query_scalar(
            "SELECT content FROM signed_versions WHERE note_id = $1 AND content_sha256 = $2",
        )
        .bind(note_id)
        .bind(&sha)
        .fetch_optional(x)
        .await)?;
        match content {
            Some(c) if crate::crypto::canonical::verify(&c, &sha) => {}
            Some(_) => return broken("the signed content no longer hashes to the signed hash"),
            None => return broken("the content it signed is missing"),
        }
    }
    Ok(Verification::Intact { rows: count })
}
