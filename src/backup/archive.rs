//! The plaintext inside a backup: a sequence of files, each as a record (`F`, the name's
//! length as u16, the name, the length as u64, the bytes; big-endian), ended by `E` and the
//! number of files as u64, so that a cut archive never reads as complete. Names are relative
//! paths of plain components (no `..`, no absolute paths), checked again when read.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Errors reading an archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the backup's contents are malformed: {0}")]
    Malformed(String),
}

/// Writes records.
pub struct ArchiveWriter<W: Write> {
    out: W,
    files: u64,
}

impl<W: Write> ArchiveWriter<W> {
    pub fn new(out: W) -> ArchiveWriter<W> {
        ArchiveWriter { out, files: 0 }
    }

    /// Adds a file of `len` bytes read from `data` (exactly `len` are written: a file that
    /// shrank while it was read is an error rather than a short record).
    pub fn add(&mut self, name: &str, len: u64, data: impl Read) -> std::io::Result<()> {
        check_name(name).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let name_len = u16::try_from(name.len())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "name too long"))?;
        self.out.write_all(b"F")?;
        self.out.write_all(&name_len.to_be_bytes())?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&len.to_be_bytes())?;
        let copied = std::io::copy(&mut data.take(len), &mut self.out)?;
        if copied != len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("{name} changed size while it was backed up"),
            ));
        }
        self.files += 1;
        Ok(())
    }

    /// Ends the archive; returns the inner writer and the number of files.
    pub fn finish(mut self) -> std::io::Result<(W, u64)> {
        self.out.write_all(b"E")?;
        self.out.write_all(&self.files.to_be_bytes())?;
        Ok((self.out, self.files))
    }
}

/// A name is a relative path of plain components.
fn check_name(name: &str) -> Result<(), String> {
    let p = Path::new(name);
    if name.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!("unsafe file name in backup: {name:?}"));
    }
    Ok(())
}

/// Reads every record, writing each file under `dir` (created 0600 inside directories made
/// as needed); returns the names written.
pub fn extract(mut input: impl Read, dir: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut names = Vec::new();
    loop {
        let mut kind = [0u8; 1];
        input.read_exact(&mut kind)?;
        match &kind {
            b"F" => {
                let mut n = [0u8; 2];
                input.read_exact(&mut n)?;
                let mut name = vec![0u8; u16::from_be_bytes(n) as usize];
                input.read_exact(&mut name)?;
                let name = String::from_utf8(name)
                    .map_err(|_| ArchiveError::Malformed("a file name is not UTF-8".into()))?;
                check_name(&name).map_err(ArchiveError::Malformed)?;
                let mut len = [0u8; 8];
                input.read_exact(&mut len)?;
                let len = u64::from_be_bytes(len);
                let to = dir.join(&name);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut f = crate::crypto::sealed::create_private(&to)?;
                let copied = std::io::copy(&mut (&mut input).take(len), &mut f)?;
                if copied != len {
                    return Err(ArchiveError::Malformed(format!("{name} is cut short")));
                }
                f.sync_all()?;
                names.push(PathBuf::from(name));
            }
            b"E" => {
                let mut n = [0u8; 8];
                input.read_exact(&mut n)?;
                if u64::from_be_bytes(n) != names.len() as u64 {
                    return Err(ArchiveError::Malformed(
                        "the file count at the end does not match".into(),
                    ));
                }
                return Ok(names);
            }
            _ => return Err(ArchiveError::Malformed("unknown record".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_unsafe_names_are_refused() {
        let mut w = ArchiveWriter::new(Vec::new());
        w.add("noted.db", 3, &b"abc"[..]).unwrap();
        w.add("audio/rec-1.wav", 2, &b"xy"[..]).unwrap();
        assert!(w.add("../evil", 1, &b"z"[..]).is_err());
        assert!(w.add("/etc/passwd", 1, &b"z"[..]).is_err());
        assert!(w.add("short", 5, &b"abc"[..]).is_err());
        let (bytes, n) = ArchiveWriter::new(Vec::new()).finish().unwrap();
        assert_eq!(n, 0);
        assert_eq!(bytes.len(), 9);
        let mut w = ArchiveWriter::new(Vec::new());
        w.add("noted.db", 3, &b"abc"[..]).unwrap();
        w.add("audio/rec-1.wav", 2, &b"xy"[..]).unwrap();
        let (bytes, _) = w.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let names = extract(&bytes[..], dir.path()).unwrap();
        assert_eq!(names.len(), 2);
        assert_eq!(
            std::fs::read(dir.path().join("audio/rec-1.wav")).unwrap(),
            b"xy"
        );
        let other = tempfile::tempdir().unwrap();
        assert!(extract(&bytes[..bytes.len() - 1], other.path()).is_err());
    }
}
