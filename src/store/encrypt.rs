//! `noted encrypt`: turns a data directory from before encryption at rest into an encrypted
//! one. The database is copied into a new SQLCipher file (`sqlcipher_export`), the copy's row
//! counts are compared with the original's table by table, and only then is it moved into
//! place; the unencrypted file is kept beside it (`noted.db.unencrypted`) for the operator to
//! delete once satisfied. Kept audio is sealed in place, each file replaced atomically.

use std::path::{Path, PathBuf};

use sqlx::{Connection, SqliteConnection};

use super::DB_FILE;
use crate::crypto::key::DataKey;

/// What to do instead of `noted encrypt` on PostgreSQL (SQLCipher is SQLite's).
pub const ON_POSTGRES: &str = "keep the database encrypted at rest on an encrypted disk or \
    volume (PostgreSQL has no SQLCipher); kept audio is sealed under the data key on both";

/// Where the unencrypted database is kept after `noted encrypt`.
pub const KEPT_PLAINTEXT: &str = "noted.db.unencrypted";

/// Errors encrypting a data directory.
#[derive(Debug, thiserror::Error)]
pub enum EncryptError {
    #[error("there is no database in {0}")]
    NoDatabase(PathBuf),
    #[error("{0} is already encrypted")]
    AlreadyEncrypted(PathBuf),
    #[error("{0} exists from an earlier run: move it away first")]
    LeftOver(PathBuf),
    #[error(transparent)]
    Key(#[from] crate::crypto::KeyError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("the encrypted copy differs from the original ({0}); nothing was changed")]
    Mismatch(String),
}

/// What `noted encrypt` did.
#[derive(Debug)]
pub struct Encrypted {
    /// Tables copied (and compared).
    pub tables: usize,
    /// Rows copied.
    pub rows: i64,
    /// Audio files sealed.
    pub audio_sealed: usize,
    /// Where the unencrypted database now is.
    pub kept: PathBuf,
    /// Whether the key was created now.
    pub key_created: bool,
    /// The key used.
    pub key: DataKey,
}

/// Row counts of every table, by name.
async fn counts(
    conn: &mut SqliteConnection,
    schema: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    // `schema` is one of two fixed names; table names are quoted.
    let names: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for n in names {
        let c: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {schema}.\"{}\"",
            n.replace('"', "\"\"")
        )))
        .fetch_one(&mut *conn)
        .await?;
        out.push((n, c));
    }
    Ok(out)
}

/// Encrypts the database of `data_dir` and seals its kept audio (see the module docs). Stop
/// the server first.
pub async fn encrypt_data_dir(
    data_dir: &Path,
    key_file: Option<&Path>,
) -> Result<Encrypted, EncryptError> {
    let db = data_dir.join(DB_FILE);
    if !super::database_exists(&db) {
        return Err(EncryptError::NoDatabase(data_dir.to_path_buf()));
    }
    if !super::is_plaintext_sqlite(&db) {
        return Err(EncryptError::AlreadyEncrypted(db));
    }
    let tmp = data_dir.join("noted.db.encrypting");
    let kept = data_dir.join(KEPT_PLAINTEXT);
    for p in [&tmp, &kept] {
        if p.exists() {
            return Err(EncryptError::LeftOver(p.clone()));
        }
    }
    let (key, key_created) = DataKey::load_or_create(data_dir, key_file)?;
    // ATTACH opens with the main connection's flags: "create" lets it make the copy.
    let plain_opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true);
    let mut plain = SqliteConnection::connect_with(&plain_opts).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut plain)
        .await?;
    let tmp_sql = tmp.to_string_lossy().replace('\'', "''");
    // The path is quoted; the key is hex digits.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE '{tmp_sql}' AS encrypted KEY {}",
        key.sqlcipher_pragma()
    )))
    .execute(&mut plain)
    .await?;
    let copied = async {
        sqlx::query("SELECT sqlcipher_export('encrypted')")
            .execute(&mut plain)
            .await?;
        let want = counts(&mut plain, "main").await?;
        let got = counts(&mut plain, "encrypted").await?;
        sqlx::query("DETACH DATABASE encrypted")
            .execute(&mut plain)
            .await?;
        Ok::<_, sqlx::Error>((want, got))
    }
    .await;
    plain.close().await?;
    let (want, got) = match copied {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
    };
    // Read the copy back through a fresh connection under the key, as the server will.
    let check = async {
        let mut enc = SqliteConnection::connect_with(&super::connect_options(&tmp, &key)).await?;
        let reread = counts(&mut enc, "main").await?;
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut enc)
            .await?;
        enc.close().await?;
        Ok::<_, sqlx::Error>((reread, ok))
    }
    .await;
    let (reread, ok) = match check {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
    };
    if want != got || want != reread || ok != "ok" || !super::database_exists(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(EncryptError::Mismatch(format!(
            "{} tables in the original, {} in the copy, integrity {ok}",
            want.len(),
            reread.len()
        )));
    }
    let io = |what: String| move |source| EncryptError::Io { what, source };
    std::fs::rename(&db, &kept).map_err(io(format!("moving {}", db.display())))?;
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("{DB_FILE}{ext}")));
    }
    std::fs::rename(&tmp, &db).map_err(io(format!("moving {}", tmp.display())))?;
    let receiving = receiving_streams(&db, &key).await;
    let audio_sealed =
        seal_audio(data_dir, &key, &receiving).map_err(io("sealing audio".into()))?;
    Ok(Encrypted {
        tables: want.len(),
        rows: want.iter().map(|(_, c)| c).sum(),
        audio_sealed,
        kept,
        key_created,
        key,
    })
}

/// Files of streamed recordings still receiving chunks (appended to in place, so not sealed
/// until they are finished); none when the database predates streams.
async fn receiving_streams(db: &Path, key: &DataKey) -> Vec<String> {
    let rows = async {
        let mut c = SqliteConnection::connect_with(&super::connect_options(db, key)).await?;
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT r.path FROM recordings r JOIN recording_streams s ON s.recording_id = r.id
             WHERE s.state = 'receiving'",
        )
        .fetch_all(&mut c)
        .await?;
        c.close().await?;
        Ok::<_, sqlx::Error>(rows)
    }
    .await;
    rows.unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            Path::new(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .collect()
}

/// Seals every unsealed audio file in `<data dir>/audio` but those named in `skip` (streams
/// still receiving).
pub fn seal_audio(data_dir: &Path, key: &DataKey, skip: &[String]) -> std::io::Result<usize> {
    let dir = data_dir.join(crate::audio::AUDIO_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let mut n = 0;
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || skip.contains(&name) || !e.file_type()?.is_file() {
            continue;
        }
        if crate::crypto::plain::seal_in_place(&e.path(), key)? {
            n += 1;
        }
    }
    Ok(n)
}
