//! Word-level diff between the model's original text and the clinician's, and the edit
//! measure built on it (characters inserted + deleted per section).

use serde::Serialize;

/// One piece of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    /// `same`, `added` or `removed`.
    pub op: &'static str,
    pub text: String,
}

/// Splits text into words and the whitespace between them (both kept, so joining gives the
/// text back).
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_ws: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let ws = c.is_whitespace();
        if let Some(p) = prev_ws {
            if p != ws {
                out.push(&s[start..i]);
                start = i;
            }
        }
        prev_ws = Some(ws);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Token budget above which the diff falls back to "all removed, all added" (keeps the LCS
/// table small for pathological inputs).
const MAX_TOKENS: usize = 4000;

/// Diff of `old` → `new`, adjacent chunks of the same kind merged.
pub fn diff(old: &str, new: &str) -> Vec<Chunk> {
    let a = tokens(old);
    let b = tokens(new);
    let mut raw: Vec<(&'static str, &str)> = Vec::new();
    // Common prefix and suffix first: most edits are local.
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    for t in &a[..pre] {
        raw.push(("same", t));
    }
    if am.len() * bm.len() > MAX_TOKENS * MAX_TOKENS / 4
        || am.len() > MAX_TOKENS
        || bm.len() > MAX_TOKENS
    {
        raw.extend(am.iter().map(|t| ("removed", *t)));
        raw.extend(bm.iter().map(|t| ("added", *t)));
    } else {
        // LCS table over the middle.
        let (n, m) = (am.len(), bm.len());
        let mut l = vec![0u32; (n + 1) * (m + 1)];
        let idx = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                l[idx(i, j)] = if am[i] == bm[j] {
                    l[idx(i + 1, j + 1)] + 1
                } else {
                    l[idx(i + 1, j)].max(l[idx(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if am[i] == bm[j] {
                raw.push(("same", am[i]));
                i += 1;
                j += 1;
            } else if l[idx(i + 1, j)] >= l[idx(i, j + 1)] {
                raw.push(("removed", am[i]));
                i += 1;
            } else {
                raw.push(("added", bm[j]));
                j += 1;
            }
        }
        raw.extend(am[i..].iter().map(|t| ("removed", *t)));
        raw.extend(bm[j..].iter().map(|t| ("added", *t)));
    }
    for t in &a[a.len() - suf..] {
        raw.push(("same", t));
    }
    let mut out: Vec<Chunk> = Vec::new();
    for (op, t) in raw {
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(t),
            _ => out.push(Chunk {
                op,
                text: t.to_string(),
            }),
        }
    }
    out
}

/// How much the clinician changed one section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct SectionEdit {
    /// Characters of the model's text.
    pub original_chars: usize,
    /// Characters of the current text.
    pub final_chars: usize,
    /// Characters inserted plus characters deleted (word-level diff).
    pub chars_changed: usize,
    /// `chars_changed / max(original_chars, 1)`, rounded to 3 decimals.
    pub ratio: f64,
}

/// The edit measure of one section.
pub fn section_edit(original: &str, current: &str) -> SectionEdit {
    let changed: usize = diff(original, current)
        .iter()
        .filter(|c| c.op != "same")
        .map(|c| c.text.chars().count())
        .sum();
    let original_chars = original.chars().count();
    SectionEdit {
        original_chars,
        final_chars: current.chars().count(),
        chars_changed: changed,
        ratio: ((changed as f64 / original_chars.max(1) as f64) * 1000.0).round() / 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_reassembles_both_sides_and_counts_changes() {
        let old = "Client reports poor sleep, 5 hours a night.";
        let new = "Client reports poor sleep, about 5 hours a night since March.";
        let d = diff(old, new);
        let back_old: String = d
            .iter()
            .filter(|c| c.op != "added")
            .map(|c| c.text.as_str())
            .collect();
        let back_new: String = d
            .iter()
            .filter(|c| c.op != "removed")
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(back_old, old);
        assert_eq!(back_new, new);
        assert!(d
            .iter()
            .any(|c| c.op == "added" && c.text.contains("about")));
        let e = section_edit(old, new);
        assert!(e.chars_changed > 0 && e.chars_changed < new.len());
        assert_eq!(section_edit(old, old).chars_changed, 0);
        assert_eq!(section_edit("", "abc").chars_changed, 3);
    }
}
