//! Canonical JSON (object keys sorted, no insignificant whitespace) and its SHA-256, so the
//! hash of a signed note can be recomputed later from the stored text.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical text of a JSON value: objects with keys sorted by their UTF-8 bytes, arrays in
/// order, no whitespace, strings and numbers as serde_json writes them.
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write(&map[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The canonical text of `v` and its SHA-256.
pub fn canonical_with_hash(v: &Value) -> (String, String) {
    let s = to_string(v);
    let h = sha256_hex(&s);
    (s, h)
}

/// True when `stored` is canonical JSON whose SHA-256 is `expected` (and re-canonicalizing it
/// gives the same text, so nothing was reformatted).
pub fn verify(stored: &str, expected: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(stored) else {
        return false;
    };
    to_string(&v) == stored && sha256_hex(stored) == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_level_and_hash_is_stable() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"z":[1,{"y":2,"x":"é"}],"c":null}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"c":null,"z":[1,{"x":"é","y":2}]},"b":1}"#).unwrap();
        assert_eq!(
            to_string(&a),
            r#"{"a":{"c":null,"z":[1,{"x":"é","y":2}]},"b":1}"#
        );
        assert_eq!(to_string(&a), to_string(&b));
        let (s, h) = canonical_with_hash(&a);
        assert!(verify(&s, &h));
        assert!(!verify(&s.replace("null", "0"), &h));
        assert!(!verify(" {}", &sha256_hex(" {}")));
        assert_eq!(h.len(), 64);
    }
}
