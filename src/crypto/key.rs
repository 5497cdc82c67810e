//! The data key: 32 random bytes from which the database key (SQLCipher), the audio key and
//! the backup key are derived (HMAC-SHA256 of a label), so that one secret is kept and each use
//! has its own key. It is read, in this order, from `NOTED_DATA_KEY` (64 hex digits), from a
//! systemd credential named `noted-data-key` (`$CREDENTIALS_DIRECTORY`), or from a key file
//! (`--key-file` / `NOTED_KEY_FILE`, default `<data dir>/data.key`, mode 0600), which is
//! created on first start (or by `noted init`) when none of them exists and the data directory
//! holds no database yet. Without the key the data cannot be read by anyone, Noted included.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{KeyInit, Mac};

/// The key file's default name in the data directory.
pub const KEY_FILE: &str = "data.key";
/// Environment variable holding the key itself (64 hex digits).
pub const KEY_ENV: &str = "NOTED_DATA_KEY";
/// Environment variable naming the key file.
pub const KEY_FILE_ENV: &str = "NOTED_KEY_FILE";
/// Name of the systemd credential (`LoadCredential=` / `LoadCredentialEncrypted=`).
pub const CREDENTIAL_NAME: &str = "noted-data-key";

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// Where the key was, or will be, read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `NOTED_DATA_KEY`.
    Env,
    /// A systemd credential file.
    Credential(PathBuf),
    /// A key file.
    File(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Env => write!(f, "the environment variable {KEY_ENV}"),
            KeySource::Credential(p) => write!(f, "the systemd credential {}", p.display()),
            KeySource::File(p) => write!(f, "the key file {}", p.display()),
        }
    }
}

/// Errors finding, reading or creating the data key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{source_name} does not hold a data key (64 hex digits expected)")]
    Malformed { source_name: String },
    #[error("cannot read {source_name}: {source}")]
    Read {
        source_name: String,
        source: std::io::Error,
    },
    #[error("cannot create the key file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no data key: {path} does not exist and neither {KEY_ENV} nor a systemd credential \
         `{CREDENTIAL_NAME}` is set, but this data directory already holds encrypted data. \
         Without its key the data cannot be read: put the key file back (from the copy made \
         at `noted init`), or name it with --key-file / {KEY_FILE_ENV}"
    )]
    Missing { path: PathBuf },
    #[error(
        "the key file {path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`"
    )]
    TooOpen { path: PathBuf, mode: u32 },
}

/// The data key. Its bytes never appear in `Debug` output or logs.
#[derive(Clone)]
pub struct DataKey {
    bytes: [u8; 32],
    source: KeySource,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey")
            .field("source", &self.source)
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl DataKey {
    /// A key from its bytes (tests, and restores that name the key).
    pub fn from_bytes(bytes: [u8; 32], source: KeySource) -> DataKey {
        DataKey { bytes, source }
    }

    /// Where the key of `data_dir` is looked for: `NOTED_DATA_KEY`, the systemd credential,
    /// else `key_file` (or `NOTED_KEY_FILE`, or `<data dir>/data.key`).
    pub fn locate(data_dir: &Path, key_file: Option<&Path>) -> KeySource {
        if std::env::var_os(KEY_ENV).is_some_and(|v| !v.is_empty()) {
            return KeySource::Env;
        }
        if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
            let p = PathBuf::from(dir).join(CREDENTIAL_NAME);
            if p.is_file() {
                return KeySource::Credential(p);
            }
        }
        let file = key_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os(KEY_FILE_ENV).map(PathBuf::from))
            .unwrap_or_else(|| data_dir.join(KEY_FILE));
        KeySource::File(file)
    }

    /// Reads the key of `data_dir`; `Ok(None)` when it is to come from a key file that does
    /// not exist.
    pub fn load(data_dir: &Path, key_file: Option<&Path>) -> Result<Option<DataKey>, KeyError> {
        let source = Self::locate(data_dir, key_file);
        let text = match &source {
            KeySource::Env => std::env::var(KEY_ENV).map_err(|_| KeyError::Malformed {
                source_name: source.to_string(),
            })?,
            KeySource::Credential(p) => std::fs::read_to_string(p).map_err(|e| KeyError::Read {
                source_name: source.to_string(),
                source: e,
            })?,
            KeySource::File(p) => match std::fs::read_to_string(p) {
                Ok(t) => {
                    check_private(p)?;
                    t
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => {
                    return Err(KeyError::Read {
                        source_name: source.to_string(),
                        source: e,
                    })
                }
            },
        };
        let bytes = parse_hex_key(&text).ok_or_else(|| KeyError::Malformed {
            source_name: source.to_string(),
        })?;
        Ok(Some(DataKey { bytes, source }))
    }

    /// Reads the key, or fails with [`KeyError::Missing`] naming where it was looked for.
    pub fn load_existing(data_dir: &Path, key_file: Option<&Path>) -> Result<DataKey, KeyError> {
        match Self::load(data_dir, key_file)? {
            Some(k) => Ok(k),
            None => Err(KeyError::Missing {
                path: match Self::locate(data_dir, key_file) {
                    KeySource::File(p) => p,
                    _ => data_dir.join(KEY_FILE),
                },
            }),
        }
    }

    /// Reads the key, creating the key file (32 random bytes as hex, mode 0600) when it is to
    /// come from a file that does not exist. Returns whether it was created.
    pub fn load_or_create(
        data_dir: &Path,
        key_file: Option<&Path>,
    ) -> Result<(DataKey, bool), KeyError> {
        if let Some(k) = Self::load(data_dir, key_file)? {
            return Ok((k, false));
        }
        let KeySource::File(path) = Self::locate(data_dir, key_file) else {
            // `load` only answers None for a key file.
            return Err(KeyError::Missing {
                path: data_dir.join(KEY_FILE),
            });
        };
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rngs::OsRng, &mut bytes[..]);
        write_key_file(&path, &bytes).map_err(|source| KeyError::Create {
            path: path.clone(),
            source,
        })?;
        Ok((
            DataKey {
                bytes,
                source: KeySource::File(path),
            },
            true,
        ))
    }

    /// Where this key came from.
    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// A short public name of the key (not secret: a MAC of a fixed label), so that a backup
    /// can say that it was made under another key rather than that it is corrupt.
    pub fn id(&self) -> String {
        hex::encode(&self.derive(b"noted key id v1")[..8])
    }

    /// The key as 64 hex digits (what the key file holds).
    pub fn to_hex(&self) -> String {
        hex::encode(self.bytes)
    }

    /// The value of SQLCipher's `PRAGMA key`: a raw 256-bit key (no passphrase derivation).
    pub fn sqlcipher_pragma(&self) -> String {
        format!("\"x'{}'\"", hex::encode(self.derive(b"noted sqlcipher v1")))
    }

    /// The key sealing audio files.
    pub fn audio_key(&self) -> [u8; 32] {
        self.derive(b"noted audio v1")
    }

    /// The key sealing backups.
    pub fn backup_key(&self) -> [u8; 32] {
        self.derive(b"noted backup v1")
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(&self.bytes)
            .expect("HMAC accepts keys of any length");
        m.update(label);
        m.finalize().into_bytes().into()
    }
}

/// 32 bytes from 64 hex digits (surrounding white space allowed).
fn parse_hex_key(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// Refuses a key file that group or others can read.
fn check_private(_path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(_path)
            .map_err(|source| KeyError::Read {
                source_name: _path.display().to_string(),
                source,
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                path: _path.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

/// Writes a new key file, mode 0600, refusing to replace one.
pub fn write_key_file(path: &Path, bytes: &[u8; 32]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    writeln!(f, "{}", hex::encode(bytes))?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_differ_and_are_stable() {
        let k = DataKey::from_bytes([7; 32], KeySource::Env);
        assert_ne!(k.audio_key(), k.backup_key());
        assert_eq!(k.audio_key(), k.clone().audio_key());
        assert!(k.sqlcipher_pragma().starts_with("\"x'"));
        assert_eq!(k.sqlcipher_pragma().len(), 64 + 5);
        assert!(!format!("{k:?}").contains(&k.to_hex()));
    }

    #[test]
    fn a_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        let (k, created) = DataKey::load_or_create(dir.path(), Some(&file)).unwrap();
        assert!(created);
        let (again, created) = DataKey::load_or_create(dir.path(), Some(&file)).unwrap();
        assert!(!created);
        assert_eq!(k.to_hex(), again.to_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = DataKey::load(dir.path(), Some(&file)).unwrap_err();
            assert!(e.to_string().contains("chmod 600"), "{e}");
        }
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert!(parse_hex_key("abcd").is_none());
        assert!(parse_hex_key(&"zz".repeat(32)).is_none());
        assert!(parse_hex_key(&format!("{}\n", "ab".repeat(32))).is_some());
    }
}
