//! Sealed files: one authenticated XChaCha20-Poly1305 stream per file (the STREAM construction,
//! big-endian 32-bit chunk counter with a last-chunk flag, from the `chacha20poly1305` crate).
//! Layout: an 8-byte magic naming the kind of file, a 19-byte random nonce prefix, then chunks
//! of 64 KiB of plaintext plus a 16-byte tag each; the last chunk is flagged, so a truncated,
//! reordered or edited file fails to open instead of yielding part of the audio. The header is
//! the associated data of every chunk.
//!
//! A crate of its own because the cipher's generic code is compiled in the crate that uses it:
//! inside Noted's (unoptimized) dev builds it ran at 7 MB/s.

pub mod segments;

use std::io::{Read, Write};
use std::path::Path;

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
/// Authentication tag bytes per chunk.
const TAG: usize = 16;
/// Random nonce prefix bytes (24-byte XChaCha nonce less STREAM's 5-byte counter and flag).
const NONCE_PREFIX: usize = 19;
/// Header bytes: magic and nonce prefix.
pub const HEADER: usize = 8 + NONCE_PREFIX;

/// Magic of a sealed audio file.
pub const AUDIO_MAGIC: &[u8; 8] = b"NOTEDAE1";
/// Magic of a sealed backup.
pub const BACKUP_MAGIC: &[u8; 8] = b"NOTEDBK1";

/// Errors sealing or opening a sealed file.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a sealed {kind} file (its header is missing or unknown)")]
    NotSealed { kind: &'static str },
    #[error(
        "the sealed file does not authenticate at chunk {chunk}: it was altered or truncated, \
         or it was sealed under another key"
    )]
    Tampered { chunk: u64 },
    #[error("the sealed file is larger than 2^32 chunks")]
    TooLarge,
}

/// Whether the file at `path` starts with `magic`.
pub fn is_sealed(path: &Path, magic: &[u8; 8]) -> std::io::Result<bool> {
    let mut head = [0u8; 8];
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            m => n += m,
        }
    }
    Ok(n == head.len() && &head == magic)
}

/// Writes a sealed stream: plaintext in, chunks out. Call [`SealedWriter::finish`] at the end;
/// a writer dropped without it leaves a file that does not open (no last chunk).
pub struct SealedWriter<W: Write> {
    out: W,
    enc: Option<EncryptorBE32<XChaCha20Poly1305>>,
    header: [u8; HEADER],
    buf: Vec<u8>,
}

impl<W: Write> SealedWriter<W> {
    /// Starts a sealed stream with a fresh random nonce and writes its header.
    pub fn new(mut out: W, key: &[u8; 32], magic: &[u8; 8]) -> std::io::Result<SealedWriter<W>> {
        let mut header = [0u8; HEADER];
        header[..8].copy_from_slice(magic);
        rand::Rng::fill(&mut rand::rngs::OsRng, &mut header[8..]);
        out.write_all(&header)?;
        let aead = XChaCha20Poly1305::new(key.into());
        let enc = EncryptorBE32::from_aead(aead, header[8..].into());
        Ok(SealedWriter {
            out,
            enc: Some(enc),
            header,
            buf: Vec::with_capacity(CHUNK + TAG),
        })
    }

    fn seal_full_chunks(&mut self) -> std::io::Result<()> {
        // A chunk is sealed as "not last" only once more plaintext follows it.
        while self.buf.len() > CHUNK {
            let enc = self.enc.as_mut().expect("encryptor present until finish");
            let ct = seal_next(enc, &self.buf[..CHUNK], &self.header)?;
            self.out.write_all(&ct)?;
            self.buf.drain(..CHUNK);
        }
        Ok(())
    }

    /// Seals the last chunk and returns the inner writer (flushed, not synced).
    pub fn finish(mut self) -> std::io::Result<W> {
        self.seal_full_chunks()?;
        let enc = self.enc.take().expect("finish runs once");
        let ct = seal_last(enc, &self.buf, &self.header)?;
        self.out.write_all(&ct)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for SealedWriter<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        self.seal_full_chunks()?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

// The cipher steps are plain functions, never inlined: generic code is compiled in the crate
// that instantiates it, and these must be compiled here, optimized.
type Enc = EncryptorBE32<XChaCha20Poly1305>;
type Dec = DecryptorBE32<XChaCha20Poly1305>;

#[inline(never)]
fn seal_next(enc: &mut Enc, msg: &[u8], aad: &[u8]) -> std::io::Result<Vec<u8>> {
    enc.encrypt_next(Payload { msg, aad })
        .map_err(|_| std::io::Error::other(SealError::TooLarge))
}

#[inline(never)]
fn seal_last(enc: Enc, msg: &[u8], aad: &[u8]) -> std::io::Result<Vec<u8>> {
    enc.encrypt_last(Payload { msg, aad })
        .map_err(|_| std::io::Error::other(SealError::TooLarge))
}

#[inline(never)]
fn open_next(dec: &mut Dec, msg: &[u8], aad: &[u8], chunk: u64) -> Result<Vec<u8>, SealError> {
    dec.decrypt_next(Payload { msg, aad })
        .map_err(|_| SealError::Tampered { chunk })
}

#[inline(never)]
fn open_last(dec: Dec, msg: &[u8], aad: &[u8], chunk: u64) -> Result<Vec<u8>, SealError> {
    dec.decrypt_last(Payload { msg, aad })
        .map_err(|_| SealError::Tampered { chunk })
}

/// Reads `buf.len()` bytes unless the input ends first; returns how many were read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(m) => n += m,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Opens a sealed stream from `input`, writing the plaintext to `out` chunk by chunk. Nothing
/// written to `out` is to be trusted unless this returns `Ok` (a later chunk may fail); returns
/// the plaintext length.
pub fn open_to(
    mut input: impl Read,
    out: &mut impl Write,
    key: &[u8; 32],
    magic: &[u8; 8],
    kind: &'static str,
) -> Result<u64, SealError> {
    let mut header = [0u8; HEADER];
    if read_full(&mut input, &mut header)? < HEADER || &header[..8] != magic {
        return Err(SealError::NotSealed { kind });
    }
    let aead = XChaCha20Poly1305::new(key.into());
    let mut dec = DecryptorBE32::from_aead(aead, header[8..].into());
    let mut cur = vec![0u8; CHUNK + TAG];
    let mut next = vec![0u8; CHUNK + TAG];
    let mut n = read_full(&mut input, &mut cur)?;
    let mut chunk = 0u64;
    let mut total = 0u64;
    loop {
        if n == cur.len() {
            // A full chunk is the last one only when nothing follows it.
            let m = read_full(&mut input, &mut next)?;
            if m > 0 {
                let pt = open_next(&mut dec, &cur[..n], &header, chunk)?;
                out.write_all(&pt)?;
                total += pt.len() as u64;
                chunk += 1;
                std::mem::swap(&mut cur, &mut next);
                n = m;
                continue;
            }
        }
        let pt = open_last(dec, &cur[..n], &header, chunk)?;
        out.write_all(&pt)?;
        total += pt.len() as u64;
        out.flush()?;
        return Ok(total);
    }
}

/// Seals `data` whole (tests and small files).
pub fn seal_bytes(data: &[u8], key: &[u8; 32], magic: &[u8; 8]) -> Vec<u8> {
    let mut w = SealedWriter::new(Vec::new(), key, magic).expect("writing to memory");
    w.write_all(data).expect("writing to memory");
    w.finish().expect("writing to memory")
}

/// Opens sealed bytes whole.
pub fn open_bytes(
    data: &[u8],
    key: &[u8; 32],
    magic: &[u8; 8],
    kind: &'static str,
) -> Result<Vec<u8>, SealError> {
    let mut out = Vec::new();
    open_to(data, &mut out, key, magic, kind)?;
    Ok(out)
}

/// Seals the file `from` into a new file `to` (mode 0600, synced), written under a temporary
/// name beside it and renamed into place, so that `to` is never half-written.
pub fn seal_file(from: &Path, to: &Path, key: &[u8; 32], magic: &[u8; 8]) -> std::io::Result<()> {
    let tmp = to.with_file_name(format!(
        ".sealing-{}",
        to.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let result = (|| {
        let mut input = std::io::BufReader::new(std::fs::File::open(from)?);
        let mut w = SealedWriter::new(create_private(&tmp)?, key, magic)?;
        std::io::copy(&mut input, &mut w)?;
        w.finish()?.sync_all()?;
        std::fs::rename(&tmp, to)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates a new file readable by its owner only.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [9; 32];

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            let data = sample(len);
            let sealed = seal_bytes(&data, &KEY, AUDIO_MAGIC);
            let chunks = len.div_ceil(CHUNK).max(1);
            assert_eq!(sealed.len(), HEADER + len + chunks * TAG, "len {len}");
            assert_eq!(
                open_bytes(&sealed, &KEY, AUDIO_MAGIC, "audio").unwrap(),
                data
            );
        }
    }

    #[test]
    fn truncation_tampering_and_other_keys_are_refused() {
        let data = sample(3 * CHUNK + 5);
        let sealed = seal_bytes(&data, &KEY, AUDIO_MAGIC);
        // Cut at a chunk boundary: what is left is a valid prefix but lacks its last chunk.
        let cut = &sealed[..HEADER + 2 * (CHUNK + TAG)];
        assert!(matches!(
            open_bytes(cut, &KEY, AUDIO_MAGIC, "audio"),
            Err(SealError::Tampered { .. })
        ));
        for at in [HEADER - 1, HEADER + 10, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[at] ^= 1;
            assert!(
                open_bytes(&bad, &KEY, AUDIO_MAGIC, "audio").is_err(),
                "{at}"
            );
        }
        assert!(matches!(
            open_bytes(&sealed, &[8; 32], AUDIO_MAGIC, "audio"),
            Err(SealError::Tampered { chunk: 0 })
        ));
        assert!(matches!(
            open_bytes(&sealed, &KEY, BACKUP_MAGIC, "backup"),
            Err(SealError::NotSealed { .. })
        ));
        assert!(matches!(
            open_bytes(b"RIFF....WAVE", &KEY, AUDIO_MAGIC, "audio"),
            Err(SealError::NotSealed { .. })
        ));
    }
}
