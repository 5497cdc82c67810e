//! Encryption at rest: the data key and where it comes from ([`key`]), sealed files (one
//! XChaCha20-Poly1305 STREAM per file, [`sealed`]) for kept audio and backups, and plaintext
//! views held in memory for the decoders that read a path ([`plain`]). The database itself is
//! encrypted by SQLCipher under a key derived from the same data key (see `Store::open`).

pub mod canonical;
pub mod key;
pub mod plain;

pub use key::{DataKey, KeyError, KeySource};
pub use noted_sealed as sealed;
pub use sealed::SealError;

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
