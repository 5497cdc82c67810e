//! Appendable sealed files, for a streamed recording's audio while its chunks arrive. A header
//! (an 8-byte magic and a random 16-byte file id) is followed by records, each the plaintext
//! length (u32, big-endian), a random 24-byte nonce, and the XChaCha20-Poly1305 ciphertext and
//! tag, sealed under the file id and the record's offset in the plaintext, so that a record
//! cannot be edited, swapped or moved. Appending first cuts the file back to the plaintext
//! length the caller has committed (what a crash may have left after it). Unlike a sealed
//! stream, records missing from the end are not noticed here: readers take the length from
//! the caller's own bookkeeping, and a finished stream is rewritten as a sealed stream.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::{create_private, SealError};

/// Magic of an appendable sealed file.
pub const SEGMENTS_MAGIC: &[u8; 8] = b"NOTEDAS1";
const ID: usize = 16;
const FILE_HEADER: usize = 8 + ID;
const NONCE: usize = 24;
const RECORD_HEADER: usize = 4 + NONCE;
const TAG: usize = 16;

/// One record's place: where it starts in the file and in the plaintext, and its length.
#[derive(Debug, Clone, Copy)]
struct Record {
    at: u64,
    offset: u64,
    len: u32,
}

/// The records of a file, up to `upto` bytes of plaintext when given; a record cut short (a
/// crash while it was written) ends the list.
struct Scan {
    id: [u8; ID],
    records: Vec<Record>,
    /// File offset after the last whole record.
    end: u64,
    /// Plaintext bytes in the records.
    len: u64,
}

fn scan(f: &mut File, upto: Option<u64>) -> std::io::Result<Scan> {
    let file_len = f.metadata()?.len();
    let mut head = [0u8; FILE_HEADER];
    f.seek(SeekFrom::Start(0))?;
    f.read_exact(&mut head)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "no segment header"))?;
    if &head[..8] != SEGMENTS_MAGIC {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not an appendable sealed file",
        ));
    }
    let mut id = [0u8; ID];
    id.copy_from_slice(&head[8..]);
    let (mut at, mut len) = (FILE_HEADER as u64, 0u64);
    let mut records = Vec::new();
    while upto.is_none_or(|u| len < u) && at + (RECORD_HEADER as u64) <= file_len {
        let mut n = [0u8; 4];
        f.seek(SeekFrom::Start(at))?;
        f.read_exact(&mut n)?;
        let n = u32::from_be_bytes(n);
        let next = at + (RECORD_HEADER + TAG) as u64 + n as u64;
        if next > file_len {
            break;
        }
        records.push(Record {
            at,
            offset: len,
            len: n,
        });
        at = next;
        len += n as u64;
    }
    Ok(Scan {
        id,
        records,
        end: at,
        len,
    })
}

fn aad(id: &[u8; ID], offset: u64) -> [u8; 8 + ID + 8] {
    let mut a = [0u8; 8 + ID + 8];
    a[..8].copy_from_slice(SEGMENTS_MAGIC);
    a[8..8 + ID].copy_from_slice(id);
    a[8 + ID..].copy_from_slice(&offset.to_be_bytes());
    a
}

/// A record: length, nonce, ciphertext. Not inlined, so that it is compiled here, optimized.
#[inline(never)]
fn seal_record(
    key: &[u8; 32],
    id: &[u8; ID],
    offset: u64,
    data: &[u8],
) -> std::io::Result<Vec<u8>> {
    let len = u32::try_from(data.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "record too large"))?;
    let mut nonce = [0u8; NONCE];
    rand::Rng::fill(&mut rand::rngs::OsRng, &mut nonce[..]);
    let ct = XChaCha20Poly1305::new(key.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: data,
                aad: &aad(id, offset),
            },
        )
        .map_err(|_| std::io::Error::other("sealing a record failed"))?;
    let mut out = Vec::with_capacity(RECORD_HEADER + ct.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

#[inline(never)]
fn open_record(
    f: &mut File,
    key: &[u8; 32],
    id: &[u8; ID],
    r: Record,
    index: u64,
) -> Result<Vec<u8>, SealError> {
    let mut buf = vec![0u8; RECORD_HEADER + TAG + r.len as usize];
    f.seek(SeekFrom::Start(r.at))?;
    f.read_exact(&mut buf)?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(&buf[4..RECORD_HEADER]),
            Payload {
                msg: &buf[RECORD_HEADER..],
                aad: &aad(id, r.offset),
            },
        )
        .map_err(|_| SealError::Tampered { chunk: index })
}

/// Creates the file (mode 0600, synced) with `first` as its first record, if not empty.
pub fn create(path: &Path, key: &[u8; 32], first: &[u8]) -> std::io::Result<()> {
    let mut f = create_private(path)?;
    let mut head = [0u8; FILE_HEADER];
    head[..8].copy_from_slice(SEGMENTS_MAGIC);
    rand::Rng::fill(&mut rand::rngs::OsRng, &mut head[8..]);
    f.write_all(&head)?;
    if !first.is_empty() {
        let mut id = [0u8; ID];
        id.copy_from_slice(&head[8..]);
        f.write_all(&seal_record(key, &id, 0, first)?)?;
    }
    f.sync_all()
}

/// Cuts the file back to `len` bytes of plaintext, appends each of `parts` as a record and
/// syncs. `len` must be where a record ends (what earlier appends committed).
pub fn append(path: &Path, key: &[u8; 32], len: u64, parts: &[Vec<u8>]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?;
    let s = scan(&mut f, Some(len))?;
    if s.len != len {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the stream file holds {} bytes where {len} were committed",
                s.len
            ),
        ));
    }
    f.set_len(s.end)?;
    f.seek(SeekFrom::Start(s.end))?;
    let mut offset = len;
    for p in parts {
        f.write_all(&seal_record(key, &s.id, offset, p)?)?;
        offset += p.len() as u64;
    }
    f.sync_all()
}

/// Plaintext bytes in the file's whole records (record lengths are not secret).
pub fn stored_len(path: &Path) -> std::io::Result<u64> {
    Ok(scan(&mut File::open(path)?, None)?.len)
}

/// The plaintext bytes `[from, to)`.
pub fn read_range(path: &Path, key: &[u8; 32], from: u64, to: u64) -> Result<Vec<u8>, SealError> {
    let mut f = File::open(path)?;
    let s = scan(&mut f, Some(to))?;
    if s.len < to {
        return Err(SealError::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("the stream file holds {} bytes, {to} asked for", s.len),
        )));
    }
    let mut out = Vec::with_capacity(to.saturating_sub(from) as usize);
    for (i, r) in s.records.iter().enumerate() {
        let end = r.offset + r.len as u64;
        if end <= from || r.offset >= to {
            continue;
        }
        let pt = open_record(&mut f, key, &s.id, *r, i as u64)?;
        let a = from.saturating_sub(r.offset) as usize;
        let b = (to.min(end) - r.offset) as usize;
        out.extend_from_slice(&pt[a..b]);
    }
    Ok(out)
}

/// Writes the plaintext from byte `skip` to byte `len` (all whole records when `None`) to
/// `out`, each record authenticated; returns the bytes written.
pub fn copy_to(
    path: &Path,
    key: &[u8; 32],
    skip: u64,
    len: Option<u64>,
    out: &mut impl Write,
) -> Result<u64, SealError> {
    let mut f = File::open(path)?;
    let s = scan(&mut f, len)?;
    let len = len.unwrap_or(s.len);
    if s.len < len {
        return Err(SealError::Io(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("the stream file holds {} bytes, {len} expected", s.len),
        )));
    }
    let mut written = 0;
    for (i, r) in s.records.iter().enumerate() {
        let end = (r.offset + r.len as u64).min(len);
        if end <= skip {
            continue;
        }
        let pt = open_record(&mut f, key, &s.id, *r, i as u64)?;
        let a = skip.saturating_sub(r.offset) as usize;
        let b = (end - r.offset) as usize;
        out.write_all(&pt[a..b])?;
        written += (b - a) as u64;
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [4; 32];

    #[test]
    fn appends_read_back_cut_back_and_refuse_tampering() {
        let dir = std::env::temp_dir().join(format!("noted-segments-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("s.wav");
        let _ = std::fs::remove_file(&p);
        create(&p, &KEY, b"HEADER").unwrap();
        append(&p, &KEY, 6, &[b"abcdef".to_vec(), b"ghij".to_vec()]).unwrap();
        assert_eq!(stored_len(&p).unwrap(), 16);
        let raw = std::fs::read(&p).unwrap();
        assert!(!raw.windows(4).any(|w| w == b"abcd" || w == b"HEAD"));
        assert_eq!(read_range(&p, &KEY, 4, 12).unwrap(), b"ERabcdef");
        let mut all = Vec::new();
        copy_to(&p, &KEY, 6, None, &mut all).unwrap();
        assert_eq!(all, b"abcdefghij");
        // A crash after writing a record that was never committed: cut back, then appended.
        append(&p, &KEY, 12, &[b"XY".to_vec()]).unwrap();
        assert_eq!(stored_len(&p).unwrap(), 14);
        assert_eq!(read_range(&p, &KEY, 0, 14).unwrap(), b"HEADERabcdefXY");
        // Not at a record end: refused, nothing changed.
        assert!(append(&p, &KEY, 9, &[b"Z".to_vec()]).is_err());
        // A partly written record at the end is ignored.
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(&[0, 0, 0, 9, 1, 2, 3]).unwrap();
        drop(f);
        assert_eq!(stored_len(&p).unwrap(), 14);
        // A flipped byte or another key: an error.
        let mut bad = std::fs::read(&p).unwrap();
        let n = bad.len();
        bad[n - 12] ^= 1;
        std::fs::write(&p, &bad).unwrap();
        assert!(read_range(&p, &KEY, 0, 14).is_err());
        assert!(read_range(&p, &KEY, 0, 6).is_ok());
        assert!(read_range(&p, &[5; 32], 0, 6).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
