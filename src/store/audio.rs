//! Where recordings' audio lives between upload and transcription (issue 15): the data
//! directory by default, or an object store shared by the practice's machines through the
//! `object_store` crate: any S3-compatible store (`s3://bucket/prefix`; Garage, SeaweedFS,
//! Ceph, AWS) or a shared mount (`file:///srv/noted-audio`).
//!
//! Audio is sealed under the data key before it is stored, so objects are ciphertext. A
//! recording's `path` (`audio/rec-….wav`) is its key in either place. The web server writes
//! an upload into the data directory and [`AudioStore::keep`] moves it into the object store;
//! a worker on any machine [`AudioStore::fetch`]es it into local scratch: an unnamed file in
//! `<data dir>/scratch` that the kernel frees when the worker closes it or dies (a `kill -9`
//! leaves nothing behind), read through `/proc/<pid>/fd/<n>`. A stream still being recorded
//! stays in the receiving server's data directory until it is finished.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

/// Sub-directory of the data directory for audio fetched from an object store.
pub const SCRATCH_DIR: &str = "scratch";

/// Upload part size: S3 wants at least 5 MiB per part but the last.
const PART_BYTES: usize = 8 * 1024 * 1024;

/// What went wrong storing or fetching audio.
#[derive(Debug, thiserror::Error)]
pub enum AudioStoreError {
    /// The `--audio-store` URL cannot be used.
    #[error("audio store {url}: {why}")]
    Config { url: String, why: String },
    /// The object is not there (deleted, or never stored).
    #[error("the recording's audio is missing from {place} ({key})")]
    Missing { place: String, key: String },
    /// What was fetched is not what was stored for the recording (another recording's audio
    /// put in its place, or a damaged copy).
    #[error(
        "the audio stored as {key} is not the recording's (SHA-256 {found}, expected {expected})"
    )]
    Mismatch {
        key: String,
        expected: String,
        found: String,
    },
    /// The object store refused or failed.
    #[error("audio store {place}: {source}")]
    Object {
        place: String,
        #[source]
        source: object_store::Error,
    },
    #[error("audio file: {0}")]
    Io(#[from] std::io::Error),
}

/// The practice's audio storage: the data directory, or an object store.
#[derive(Clone)]
pub struct AudioStore {
    data_dir: PathBuf,
    remote: Option<Remote>,
}

#[derive(Clone)]
struct Remote {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    /// The URL as given (no credentials: those come from the environment).
    shown: String,
}

impl std::fmt::Debug for AudioStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AudioStore({})", self.place())
    }
}

impl AudioStore {
    /// Audio in `<data_dir>/audio` (one machine, or a data directory every machine mounts).
    pub fn local(data_dir: &Path) -> AudioStore {
        AudioStore {
            data_dir: data_dir.to_path_buf(),
            remote: None,
        }
    }

    /// The store `url` names (`--audio-store`), with `data_dir` for uploads being received and
    /// for scratch; `None` for the data directory. `s3://bucket[/prefix]` reads its endpoint,
    /// region and credentials from the environment (`AWS_ENDPOINT_URL`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP=true` for a plain-HTTP
    /// endpoint); `file:///DIR` is a directory shared between machines.
    pub fn open(url: Option<&str>, data_dir: &Path) -> Result<AudioStore, AudioStoreError> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(AudioStore::local(data_dir));
        };
        let config = |why: String| AudioStoreError::Config {
            url: url.to_string(),
            why,
        };
        let parsed = url::Url::parse(url).map_err(|e| config(e.to_string()))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(config(
                "credentials belong in the environment (AWS_ACCESS_KEY_ID, \
                 AWS_SECRET_ACCESS_KEY), not in the URL"
                    .into(),
            ));
        }
        let (store, prefix): (Arc<dyn ObjectStore>, ObjectPath) = match parsed.scheme() {
            "s3" => {
                // ring, as for the model downloads; a provider already installed is kept
                let _ = rustls::crypto::ring::default_provider().install_default();
                let bucket = parsed
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| config("no bucket: write s3://BUCKET/PREFIX".into()))?;
                let store = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| config(e.to_string()))?;
                let prefix = ObjectPath::parse(parsed.path().trim_matches('/'))
                    .map_err(|e| config(e.to_string()))?;
                (Arc::new(store), prefix)
            }
            "file" => {
                let dir = parsed
                    .to_file_path()
                    .map_err(|()| config("not a local path".into()))?;
                std::fs::create_dir_all(&dir).map_err(|e| config(e.to_string()))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)
                    .map_err(|e| config(e.to_string()))?;
                (Arc::new(store), ObjectPath::default())
            }
            other => {
                return Err(config(format!(
                    "'{other}' is not a known store: use s3://BUCKET/PREFIX or file:///DIR"
                )))
            }
        };
        Ok(AudioStore {
            data_dir: data_dir.to_path_buf(),
            remote: Some(Remote {
                store,
                prefix,
                shown: url.to_string(),
            }),
        })
    }

    /// The data directory (uploads being received, streams being recorded, scratch).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether audio leaves the data directory for an object store.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Where audio is kept, for messages and logs.
    pub fn place(&self) -> String {
        match &self.remote {
            Some(r) => r.shown.clone(),
            None => format!("the data directory ({})", self.data_dir.display()),
        }
    }

    fn object(&self, r: &Remote, key: &str) -> ObjectPath {
        key.split('/')
            .filter(|p| !p.is_empty())
            .fold(r.prefix.clone(), |p, part| p.clone().join(part))
    }

    fn object_error(&self, key: &str, e: object_store::Error) -> AudioStoreError {
        match e {
            object_store::Error::NotFound { .. } => AudioStoreError::Missing {
                place: self.place(),
                key: key.to_string(),
            },
            source => AudioStoreError::Object {
                place: self.place(),
                source,
            },
        }
    }

    /// Makes the file at `<data dir>/key` (sealed, fully written) the recording's stored
    /// audio: nothing to do in the data directory; uploaded, then removed locally, for an
    /// object store. Storing the same key again replaces it. Returns the SHA-256 (hex) of what
    /// was stored, for the job to check what it fetches against ([`AudioStore::fetch`]): the
    /// sealing authenticates the bytes, the hash binds them to this recording.
    pub async fn keep(&self, key: &str) -> Result<String, AudioStoreError> {
        use sha2::Digest;
        let local = self.data_dir.join(key);
        let Some(r) = &self.remote else {
            return Ok(hash_file(&local).await?);
        };
        let mut sha = sha2::Sha256::new();
        let upload = r
            .store
            .put_multipart(&self.object(r, key))
            .await
            .map_err(|e| self.object_error(key, e))?;
        let mut w = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut f = tokio::fs::File::open(&local).await?;
        let mut buf = vec![0u8; PART_BYTES];
        loop {
            use tokio::io::AsyncReadExt;
            let n = f.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            w.wait_for_capacity(2)
                .await
                .map_err(|e| self.object_error(key, e))?;
            sha.update(&buf[..n]);
            w.write(&buf[..n]);
        }
        w.finish().await.map_err(|e| self.object_error(key, e))?;
        tokio::fs::remove_file(&local).await?;
        Ok(hex::encode(sha.finalize()))
    }

    /// The audio stored under `key`, readable by path while the result lives: the file in the
    /// data directory, or a scratch copy of the object (gone when dropped). With `expect`
    /// (the SHA-256 [`AudioStore::keep`] returned), anything else is refused.
    pub async fn fetch(&self, key: &str, expect: Option<&str>) -> Result<Fetched, AudioStoreError> {
        use sha2::Digest;
        let check = |found: String| match expect {
            Some(e) if !e.eq_ignore_ascii_case(&found) => Err(AudioStoreError::Mismatch {
                key: key.to_string(),
                expected: e.to_string(),
                found,
            }),
            _ => Ok(()),
        };
        let Some(r) = &self.remote else {
            let path = self.data_dir.join(key);
            if !path.is_file() {
                return Err(AudioStoreError::Missing {
                    place: self.place(),
                    key: key.to_string(),
                });
            }
            if expect.is_some() {
                check(hash_file(&path).await?)?;
            }
            return Ok(Fetched { path, _file: None });
        };
        let got = r
            .store
            .get(&self.object(r, key))
            .await
            .map_err(|e| self.object_error(key, e))?;
        let file = self.scratch_file()?;
        let mut out = tokio::fs::File::from_std(file.try_clone()?);
        let mut body = got.into_stream();
        let mut sha = sha2::Sha256::new();
        while let Some(chunk) = body.next().await {
            use tokio::io::AsyncWriteExt;
            let chunk = chunk.map_err(|e| self.object_error(key, e))?;
            sha.update(&chunk);
            out.write_all(&chunk).await?;
        }
        {
            use tokio::io::AsyncWriteExt;
            out.flush().await?;
        }
        check(hex::encode(sha.finalize()))?;
        Ok(Fetched {
            path: crate::crypto::plain::fd_path(&file),
            _file: Some(file),
        })
    }

    /// An unnamed file in `<data dir>/scratch` (mode 0700): removed from the directory at once,
    /// freed when closed.
    fn scratch_file(&self) -> std::io::Result<std::fs::File> {
        let dir = self.data_dir.join(SCRATCH_DIR);
        std::fs::create_dir_all(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        tempfile::tempfile_in(&dir)
    }

    /// Whether audio is stored under `key`.
    pub async fn has(&self, key: &str) -> Result<bool, AudioStoreError> {
        let Some(r) = &self.remote else {
            return Ok(self.data_dir.join(key).is_file());
        };
        match r.store.head(&self.object(r, key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.object_error(key, e)),
        }
    }

    /// Deletes the audio under `key` (already gone is fine), and any local copy of it.
    pub async fn delete(&self, key: &str) -> Result<(), AudioStoreError> {
        match tokio::fs::remove_file(self.data_dir.join(key)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        if let Some(r) = &self.remote {
            match r.store.delete(&self.object(r, key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(self.object_error(key, e)),
            }
        }
        Ok(())
    }
}

/// The SHA-256 (hex) of the file at `path`, read in 1 MiB pieces.
async fn hash_file(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    use tokio::io::AsyncReadExt;
    let mut f = tokio::fs::File::open(path).await?;
    let mut sha = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).await?;
        if n == 0 {
            return Ok(hex::encode(sha.finalize()));
        }
        sha.update(&buf[..n]);
    }
}

/// Audio readable by path (see [`AudioStore::fetch`]).
#[derive(Debug)]
pub struct Fetched {
    path: PathBuf,
    /// The scratch copy, closed (and so freed) with this.
    _file: Option<std::fs::File>,
}

impl Fetched {
    /// The path to read the stored (sealed) audio from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Through object_store's local-filesystem store (a shared mount): kept, fetched into an
    /// unnamed scratch file, found, deleted.
    #[tokio::test]
    async fn audio_moves_through_a_shared_directory_and_scratch_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(data.join("audio")).unwrap();
        let url = url::Url::from_directory_path(&shared).unwrap().to_string();
        let store = AudioStore::open(Some(&url), &data).unwrap();
        assert!(store.is_remote());
        let bytes: Vec<u8> = (0..(PART_BYTES + 12_345))
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(data.join("audio/rec-a.wav"), &bytes).unwrap();
        let sha = store.keep("audio/rec-a.wav").await.unwrap();
        assert_eq!(
            sha,
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
        );
        assert!(
            !data.join("audio/rec-a.wav").exists(),
            "the local copy is gone"
        );
        assert!(shared.join("audio/rec-a.wav").is_file());
        assert!(store.has("audio/rec-a.wav").await.unwrap());
        {
            let f = store.fetch("audio/rec-a.wav", Some(&sha)).await.unwrap();
            assert_eq!(std::fs::read(f.path()).unwrap(), bytes);
            assert_eq!(
                std::fs::read_dir(data.join(SCRATCH_DIR)).unwrap().count(),
                0,
                "the scratch copy has no name"
            );
        }
        // another recording's audio in this one's place is refused
        std::fs::write(data.join("audio/rec-b.wav"), b"other sealed audio").unwrap();
        let other = store.keep("audio/rec-b.wav").await.unwrap();
        std::fs::copy(
            shared.join("audio/rec-b.wav"),
            shared.join("audio/rec-a.wav"),
        )
        .unwrap();
        assert!(matches!(
            store.fetch("audio/rec-a.wav", Some(&sha)).await,
            Err(AudioStoreError::Mismatch { .. })
        ));
        assert!(store.fetch("audio/rec-a.wav", Some(&other)).await.is_ok());
        store.delete("audio/rec-a.wav").await.unwrap();
        store.delete("audio/rec-a.wav").await.unwrap();
        assert!(!store.has("audio/rec-a.wav").await.unwrap());
        assert!(matches!(
            store.fetch("audio/rec-a.wav", None).await,
            Err(AudioStoreError::Missing { .. })
        ));
    }

    #[test]
    fn urls_are_checked() {
        let d = Path::new("/tmp/none");
        assert!(!AudioStore::open(None, d).unwrap().is_remote());
        assert!(!AudioStore::open(Some(" "), d).unwrap().is_remote());
        for bad in [
            "ftp://x/y",
            "s3://",
            "s3://key:secret@bucket/p",
            "not a url",
        ] {
            assert!(
                matches!(
                    AudioStore::open(Some(bad), d),
                    Err(AudioStoreError::Config { .. })
                ),
                "{bad}"
            );
        }
    }
}
