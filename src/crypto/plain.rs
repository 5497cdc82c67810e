//! Plaintext views of sealed audio for code that reads a path (the decoders, ffmpeg, the file
//! server). A sealed file is opened into an anonymous in-memory file (Linux `memfd`), reachable
//! as `/proc/<pid>/fd/<n>` while the view lives and never written to disk; its memory is
//! freed when the view and every handle opened through that path are closed. A stream still
//! receiving (sealed record by record) is read up to its last whole record. Audio that is not
//! sealed (kept from before encryption was turned on) is read where it lies.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::key::DataKey;
use super::sealed::{self, segments, SealError, AUDIO_MAGIC};

/// Audio readable by path.
#[derive(Debug)]
pub enum PlainView {
    /// A file on disk that is not sealed.
    OnDisk(PathBuf),
    /// The plaintext of a sealed file, in memory.
    InMemory { _file: File, path: PathBuf },
}

impl PlainView {
    /// Opens the audio at `path`: sealed audio is checked whole (a tampered or truncated file
    /// is an error) and held in memory; other files are used as they are.
    pub fn open(path: &Path, key: &DataKey) -> Result<PlainView, SealError> {
        let whole = sealed::is_sealed(path, AUDIO_MAGIC)?;
        let records = !whole && sealed::is_sealed(path, segments::SEGMENTS_MAGIC)?;
        if !whole && !records {
            return Ok(PlainView::OnDisk(path.to_path_buf()));
        }
        let file = anonymous_file()?;
        {
            let mut out = std::io::BufWriter::new(&file);
            if whole {
                let input = std::io::BufReader::new(File::open(path)?);
                sealed::open_to(input, &mut out, &key.audio_key(), AUDIO_MAGIC, "audio")?;
            } else {
                // A stream still receiving: the records written so far.
                segments::copy_to(path, &key.audio_key(), 0, None, &mut out)?;
            }
        }
        let path = fd_path(&file);
        Ok(PlainView::InMemory { _file: file, path })
    }

    /// The path to read the plaintext from.
    pub fn path(&self) -> &Path {
        match self {
            PlainView::OnDisk(p) => p,
            PlainView::InMemory { path, .. } => path,
        }
    }
}

#[cfg(target_os = "linux")]
fn anonymous_file() -> std::io::Result<File> {
    let fd = rustix::fs::memfd_create("noted-audio", rustix::fs::MemfdFlags::CLOEXEC)?;
    Ok(File::from(fd))
}

/// A path that opens `file` (for readers that take a path): `/proc/<pid>/fd/<n>`.
#[cfg(target_os = "linux")]
pub(crate) fn fd_path(file: &File) -> PathBuf {
    use std::os::fd::AsRawFd;
    // Through the process id, not /proc/self, so that ffmpeg (a child) can open it too.
    PathBuf::from(format!(
        "/proc/{}/fd/{}",
        std::process::id(),
        file.as_raw_fd()
    ))
}

#[cfg(not(target_os = "linux"))]
fn anonymous_file() -> std::io::Result<File> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "reading encrypted audio needs Linux (memfd)",
    ))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn fd_path(_file: &File) -> PathBuf {
    PathBuf::new()
}

/// Seals the audio file at `path` in place (used by `noted encrypt` for audio kept from
/// before encryption); a file already sealed (whole, or record by record) is left alone. Returns whether it was sealed now.
pub fn seal_in_place(path: &Path, key: &DataKey) -> std::io::Result<bool> {
    if sealed::is_sealed(path, AUDIO_MAGIC)? || sealed::is_sealed(path, segments::SEGMENTS_MAGIC)? {
        return Ok(false);
    }
    sealed::seal_file(path, path, &key.audio_key(), AUDIO_MAGIC)?;
    Ok(true)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use crate::crypto::key::KeySource;

    #[test]
    fn sealed_audio_reads_back_through_its_view_and_plain_audio_stays_put() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::from_bytes([3; 32], KeySource::Env);
        let plain: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
        let p = dir.path().join("a.wav");
        std::fs::write(&p, &plain).unwrap();
        let v = PlainView::open(&p, &key).unwrap();
        assert_eq!(v.path(), p);
        drop(v);
        assert!(seal_in_place(&p, &key).unwrap());
        assert!(!seal_in_place(&p, &key).unwrap());
        let on_disk = std::fs::read(&p).unwrap();
        assert_ne!(on_disk[..64], plain[..64]);
        let v = PlainView::open(&p, &key).unwrap();
        assert_eq!(std::fs::read(v.path()).unwrap(), plain);
        let other = DataKey::from_bytes([4; 32], KeySource::Env);
        assert!(PlainView::open(&p, &other).is_err());
    }
}
