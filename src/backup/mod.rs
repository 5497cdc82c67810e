//! Backups. `noted backup FILE` writes a consistent copy of a data directory while the server
//! runs: the audit key and anchor as they are, then the database as of one moment after them
//! (SQLite's `VACUUM INTO`, which SQLCipher writes under the same key), then kept audio (sealed
//! already) and the practice's other files, as one file sealed under the backup key (derived
//! from the data key, which is never in the backup). `noted restore FILE` unpacks a backup into
//! an empty data directory and checks it; `noted backup --verify FILE` does the same in a
//! scratch directory that is removed afterwards. The check: every chunk authenticates, SQLite's
//! integrity check passes, the keyed audit chain and its anchor verify, every signature's MAC
//! and every signed note's content hash verify, and every sealed audio file opens.

pub mod archive;

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use crate::audit::{self, keyed, Verification};
use crate::crypto::sealed::{self, SealError, SealedWriter, AUDIO_MAGIC, BACKUP_MAGIC};
use crate::crypto::{DataKey, KeyError};
use crate::store::{Store, StoreError, DB_FILE};

/// The first line of a backup file, before the sealed stream: format and the key's public id.
const HEADER_PREFIX: &str = "NOTED-BACKUP 1 key ";

/// Errors making, checking or restoring a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("the backup does not open: {0}")]
    Seal(#[from] SealError),
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
    #[error("there is no database in {0}: nothing to back up")]
    NoDatabase(PathBuf),
    #[error(
        "{0} is not empty: restore only into an empty data directory (it may hold the key file)"
    )]
    NotEmpty(PathBuf),
    #[error("{0} is not a Noted backup")]
    NotABackup(PathBuf),
    #[error(
        "the backup was made under another data key (key id {backup}, this key's id is {ours}): \
         restore it with the key of the data directory it came from"
    )]
    OtherKey { backup: String, ours: String },
    #[error(
        "no data key: {0} does not exist. A backup opens only with the data key of the data \
         directory it was made from: copy that key file there, or name it with --key-file / \
         NOTED_KEY_FILE, or set NOTED_DATA_KEY"
    )]
    NoKey(String),
    #[error("the restored data does not check out: {0}")]
    Check(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

/// What a backup holds, as checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files in the backup (database, audit key and anchor, audio, formats).
    pub files: u64,
    /// Audit rows, chain verified.
    pub audit_rows: i64,
    /// Signatures, MACs and signed content verified.
    pub signatures: i64,
    /// Signed (or amended) notes whose signed content hash verified.
    pub signed_notes: i64,
    /// Sealed audio files that opened.
    pub audio_files: u64,
}

/// Top-level names in a data directory that a backup leaves out: the live database (its
/// snapshot goes in instead), the unencrypted database `noted encrypt` keeps, the data key
/// (the audit key and anchor are added first, separately), models and caches.
const SKIPPED: &[&str] = &[
    "noted.db",
    "noted.db-wal",
    "noted.db-shm",
    "noted.db-journal",
    crate::store::encrypt::KEPT_PLAINTEXT,
    "noted.db.encrypting",
    crate::crypto::key::KEY_FILE,
    keyed::KEY_FILE,
    keyed::ANCHOR_FILE,
    "models",
    "cache",
];

/// Writes a backup of `data_dir` to `out` (through `out.partial`, renamed when complete).
pub async fn create(
    data_dir: &Path,
    key_file: Option<&Path>,
    out: &Path,
) -> Result<u64, BackupError> {
    let db = data_dir.join(DB_FILE);
    if !crate::store::database_exists(&db) {
        return Err(BackupError::NoDatabase(data_dir.to_path_buf()));
    }
    let store = Store::open_in_dir_with_key_file(data_dir, key_file).await?;
    let key = store.data_key().clone();
    // The anchor first: every checkpoint it holds names a row the later snapshot holds too.
    let audit_key =
        std::fs::read(data_dir.join(keyed::KEY_FILE)).map_err(io("reading audit.key"))?;
    let anchor = match std::fs::read(data_dir.join(keyed::ANCHOR_FILE)) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io("reading audit.anchor")(e)),
    };
    let snapshot =
        Scratch(data_dir.join(format!(".backup-{}.db", crate::auth::token::random_token())));
    let snap_path = snapshot.0.to_string_lossy().into_owned();
    let vacuum = sqlx::query("VACUUM INTO $1")
        .bind(&snap_path)
        .execute(sqlite(&store)?)
        .await;
    store.close().await;
    vacuum.map_err(StoreError::Db)?;
    let partial = Scratch(out.with_file_name(format!(
        "{}.partial",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into())
    )));
    let data_dir = data_dir.to_path_buf();
    let out = out.to_path_buf();
    let skip_key = match DataKey::locate(&data_dir, key_file) {
        crate::crypto::KeySource::File(p) => Some(p),
        _ => None,
    };
    tokio::task::spawn_blocking(move || -> Result<u64, BackupError> {
        let file = sealed::create_private(&partial.0)
            .map_err(io(format!("creating {}", partial.0.display())))?;
        let mut file = std::io::BufWriter::new(file);
        let w = |e| io(format!("writing {}", partial.0.display()))(e);
        writeln!(file, "{HEADER_PREFIX}{}", key.id()).map_err(w)?;
        let sealed = SealedWriter::new(file, &key.backup_key(), BACKUP_MAGIC).map_err(w)?;
        let mut ar = archive::ArchiveWriter::new(sealed);
        let snap = std::fs::File::open(&snapshot.0).map_err(io("reading the snapshot"))?;
        let len = snap.metadata().map_err(io("reading the snapshot"))?.len();
        ar.add(DB_FILE, len, std::io::BufReader::new(snap))
            .map_err(w)?;
        ar.add(keyed::KEY_FILE, audit_key.len() as u64, &audit_key[..])
            .map_err(w)?;
        if let Some(a) = &anchor {
            ar.add(keyed::ANCHOR_FILE, a.len() as u64, &a[..])
                .map_err(w)?;
        }
        for (name, path) in other_files(&data_dir, skip_key.as_deref()).map_err(w)? {
            let f = match std::fs::File::open(&path) {
                Ok(f) => f,
                // Deleted since it was listed (audio past its retention): not in the backup.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(w(e)),
            };
            let len = f.metadata().map_err(w)?.len();
            ar.add(&name, len, std::io::BufReader::new(f)).map_err(w)?;
        }
        let (sealed, files) = ar.finish().map_err(w)?;
        let file = sealed.finish().map_err(w)?;
        let file = file.into_inner().map_err(|e| w(e.into_error()))?;
        file.sync_all().map_err(w)?;
        std::fs::rename(&partial.0, &out).map_err(io(format!("writing {}", out.display())))?;
        Ok(files)
    })
    .await
    .map_err(|e| io("the backup task")(std::io::Error::other(e)))?
}

/// Files under `dir` other than [`SKIPPED`] ones and hidden (temporary) ones, as
/// (archive name, path), sorted.
fn other_files(dir: &Path, skip: Option<&Path>) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), dir.to_path_buf())];
    while let Some((prefix, d)) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || (prefix.is_empty() && SKIPPED.contains(&name.as_str())) {
                continue;
            }
            if skip.is_some_and(|s| s == e.path()) {
                continue;
            }
            let t = e.file_type()?;
            let rel = format!("{prefix}{name}");
            if t.is_dir() {
                stack.push((format!("{rel}/"), e.path()));
            } else if t.is_file() {
                out.push((rel, e.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A file or directory removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// Unpacks the backup `file` into `dir` under `key`: the key id is compared first, then the
/// whole stream is authenticated (into a scratch file in `dir`) before anything is extracted.
fn unpack(file: &Path, dir: &Path, key: &DataKey) -> Result<u64, BackupError> {
    let f = std::fs::File::open(file).map_err(io(format!("opening {}", file.display())))?;
    let mut input = std::io::BufReader::new(f);
    let mut line = Vec::new();
    (&mut input)
        .take(200)
        .read_until(b'\n', &mut line)
        .map_err(io(format!("reading {}", file.display())))?;
    let line = String::from_utf8_lossy(&line);
    let Some(id) = line.trim_end().strip_prefix(HEADER_PREFIX) else {
        return Err(BackupError::NotABackup(file.to_path_buf()));
    };
    if id != key.id() {
        return Err(BackupError::OtherKey {
            backup: id.to_string(),
            ours: key.id(),
        });
    }
    let scratch = Scratch(dir.join(format!(".restore-{}", crate::auth::token::random_token())));
    {
        let out = sealed::create_private(&scratch.0).map_err(io("writing a scratch file"))?;
        let mut out = std::io::BufWriter::new(out);
        sealed::open_to(input, &mut out, &key.backup_key(), BACKUP_MAGIC, "backup")?;
    }
    let plain = std::fs::File::open(&scratch.0).map_err(io("reading a scratch file"))?;
    let names = archive::extract(std::io::BufReader::new(plain), dir)?;
    if !names.iter().any(|n| n == Path::new(DB_FILE)) {
        return Err(BackupError::Check("the backup holds no database".into()));
    }
    Ok(names.len() as u64)
}

/// What to do instead of `noted backup` and `noted restore` on PostgreSQL.
pub const ON_POSTGRES: &str = "back up the database with pg_dump (and restore it with \
    pg_restore), and the data directory (data.key, audit.key, audit.anchor, audio/) beside it";

/// The SQLite pool of a store opened from a data directory's `noted.db` (backups are
/// SQLite's: on PostgreSQL, `pg_dump`).
fn sqlite(store: &Store) -> Result<&sqlx::SqlitePool, StoreError> {
    store.pool().sqlite().ok_or(StoreError::SqliteOnly {
        what: "noted backup",
        instead: ON_POSTGRES,
    })
}

/// Checks a restored data directory (see the module documentation).
async fn check(dir: &Path, key: DataKey, files: u64) -> Result<Summary, BackupError> {
    let store = Store::open_keyed(&dir.join(DB_FILE), key.clone()).await?;
    let result = check_store(&store, dir, &key, files).await;
    store.close().await;
    result
}

async fn check_store(
    store: &Store,
    dir: &Path,
    key: &DataKey,
    files: u64,
) -> Result<Summary, BackupError> {
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(sqlite(store)?)
        .await
        .map_err(StoreError::Db)?;
    if integrity != "ok" {
        return Err(BackupError::Check(format!(
            "database integrity: {integrity}"
        )));
    }
    let audit_rows = match audit::verify(store).await? {
        Verification::Intact { rows } => rows,
        Verification::Broken { row_id, reason } => {
            return Err(BackupError::Check(format!(
                "audit log broken at row {row_id}: {reason}"
            )))
        }
    };
    let signatures = match keyed::verify_signatures(store).await? {
        Verification::Intact { rows } => rows,
        Verification::Broken { row_id, reason } => {
            return Err(BackupError::Check(format!("signature {row_id}: {reason}")))
        }
    };
    let signed_notes = match store.verify_signed_notes().await? {
        Verification::Intact { rows } => rows,
        Verification::Broken { reason, .. } => return Err(BackupError::Check(reason)),
    };
    let mut audio_files = 0;
    if let Ok(entries) = std::fs::read_dir(dir.join(crate::audio::AUDIO_DIR)) {
        for e in entries.flatten() {
            let p = e.path();
            if sealed::is_sealed(&p, AUDIO_MAGIC).unwrap_or(false) {
                let f = std::fs::File::open(&p).map_err(io(format!("reading {}", p.display())))?;
                sealed::open_to(
                    std::io::BufReader::new(f),
                    &mut std::io::sink(),
                    &key.audio_key(),
                    AUDIO_MAGIC,
                    "audio",
                )
                .map_err(|e| BackupError::Check(format!("audio {}: {e}", p.display())))?;
                audio_files += 1;
            }
        }
    }
    Ok(Summary {
        files,
        audit_rows,
        signatures,
        signed_notes,
        audio_files,
    })
}

/// The data key a restore or verify uses: the key of `data_dir` as usual, with a message for
/// a restore that has none.
fn key_for(data_dir: &Path, key_file: Option<&Path>) -> Result<DataKey, BackupError> {
    DataKey::load(data_dir, key_file)?
        .ok_or_else(|| BackupError::NoKey(DataKey::locate(data_dir, key_file).to_string()))
}

/// Checks the backup `file` by restoring it into a scratch directory (removed afterwards).
pub async fn verify(
    file: &Path,
    data_dir: &Path,
    key_file: Option<&Path>,
) -> Result<Summary, BackupError> {
    let key = key_for(data_dir, key_file)?;
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "noted-verify-{}",
        crate::auth::token::random_token()
    )));
    create_private_dir(&scratch.0)?;
    let files = {
        let (f, d, k) = (file.to_path_buf(), scratch.0.clone(), key.clone());
        tokio::task::spawn_blocking(move || unpack(&f, &d, &k))
            .await
            .map_err(|e| io("the verify task")(std::io::Error::other(e)))??
    };
    check(&scratch.0, key, files).await
}

/// Restores the backup `file` into `data_dir`, which must be empty but for the key file.
pub async fn restore(
    file: &Path,
    data_dir: &Path,
    key_file: Option<&Path>,
) -> Result<Summary, BackupError> {
    if data_dir.exists() {
        let key_path = match DataKey::locate(data_dir, key_file) {
            crate::crypto::KeySource::File(p) => Some(p),
            _ => None,
        };
        let entries =
            std::fs::read_dir(data_dir).map_err(io(format!("reading {}", data_dir.display())))?;
        for e in entries {
            let e = e.map_err(io(format!("reading {}", data_dir.display())))?;
            if key_path.as_deref() != Some(e.path().as_path()) {
                return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
            }
        }
    }
    let key = key_for(data_dir, key_file)?;
    create_private_dir(data_dir)?;
    let files = {
        let (f, d, k) = (file.to_path_buf(), data_dir.to_path_buf(), key.clone());
        tokio::task::spawn_blocking(move || unpack(&f, &d, &k))
            .await
            .map_err(|e| io("the restore task")(std::io::Error::other(e)))??
    };
    check(data_dir, key, files).await
}

fn create_private_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(io(format!("creating {}", dir.display())))?;
    }
    Ok(())
}
