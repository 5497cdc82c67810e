//! The one check for where a redirect may go: `?next=` after sign-in, the `next` field of
//! job forms, the sign-in redirect of pages. Only paths on this server pass; anything a
//! browser could read as another origin (`//evil`, `/\evil`, `/<tab>/evil`, `https:`...) is
//! refused.

use url::Url;

/// A base only used to resolve candidates the way a browser would (WHATWG URL rules).
const BASE: &str = "http://noted.invalid/";

/// `next` when it is a path on this server (absolute path, no scheme, no authority, no
/// control characters, whitespace or backslashes); otherwise `None`.
pub fn local_path(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/') | Some('\\')) {
        return None;
    }
    // Browsers drop tabs and newlines and read `\` as `/` before resolving: refuse them all.
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let resolved = base.join(next).ok()?;
    (resolved.origin() == base.origin()).then_some(next)
}

/// `next` when it is a local path, else `fallback`.
pub fn local_or<'a>(next: &'a str, fallback: &'a str) -> &'a str {
    local_path(next).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_server_pass() {
        for ok in ["/clients", "/clients/3?tab=plan", "/recordings/7#x", "/"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "clients",
            "//evil.com",
            "/\\evil.com",
            "/\t/evil.com",
            "/\n/evil.com",
            "/\r\n/evil.com",
            "/%09/evil.com/../x\\",
            "/ /evil.com",
            "/x\u{0}",
            "https://evil.com",
            "javascript:alert(1)",
            "\\\\evil.com",
            " /clients",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
        assert_eq!(local_or("//evil", "/clients"), "/clients");
    }
}
