//! Random secrets (session cookies, CSRF tokens, API tokens) and their stored hashes.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh 256-bit random token, URL-safe base64 without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token: a recognisable prefix plus 256 random bits.
pub fn new_api_token() -> String {
    format!("noted_{}", random_token())
}

/// What the database stores for a token: SHA-256 hex.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub use crate::crypto::constant_time_eq;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_256_bit() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(hash_token("x").len(), 64);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(new_api_token().starts_with("noted_"));
    }
}
