//! Word error rate between a reference and a hypothesis transcript.
//!
//! Both sides are normalised first: lower case, punctuation removed (apostrophes inside words
//! kept), hyphens split, simple numbers written as words ("10" → "ten", "25" → "twenty five",
//! "1,200" → "one thousand two hundred"), and a few spelling variants unified ("ok" → "okay").
//! Numbers beyond the simple cases (dates, ordinals, decimals, "nineteen eighty four" vs "1984")
//! are a known gap.

/// Edit-distance counts behind a word error rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct WerCounts {
    pub substitutions: usize,
    pub deletions: usize,
    pub insertions: usize,
    /// Words in the normalised reference.
    pub reference_words: usize,
}

impl WerCounts {
    /// (S + D + I) / N; 0 when both sides are empty, 1 per inserted word when only the reference is.
    pub fn wer(&self) -> f64 {
        let errors = (self.substitutions + self.deletions + self.insertions) as f64;
        if self.reference_words == 0 {
            errors
        } else {
            errors / self.reference_words as f64
        }
    }

    /// Adds the counts of another utterance (for corpus-level WER).
    pub fn add(&mut self, other: WerCounts) {
        self.substitutions += other.substitutions;
        self.deletions += other.deletions;
        self.insertions += other.insertions;
        self.reference_words += other.reference_words;
    }
}

/// Word error rate of `hypothesis` against `reference`, after normalisation.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    wer_counts(reference, hypothesis).wer()
}

/// Substitution, deletion and insertion counts, after normalisation.
pub fn wer_counts(reference: &str, hypothesis: &str) -> WerCounts {
    let r = normalize(reference);
    let h = normalize(hypothesis);
    let (s, d, i) = align(&r, &h);
    WerCounts {
        substitutions: s,
        deletions: d,
        insertions: i,
        reference_words: r.len(),
    }
}

/// Levenshtein alignment over words: (substitutions, deletions, insertions).
fn align(r: &[String], h: &[String]) -> (usize, usize, usize) {
    // dp[j] = (cost, s, d, i) for r[..i] vs h[..j]
    let mut prev: Vec<(usize, usize, usize, usize)> = (0..=h.len()).map(|j| (j, 0, 0, j)).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = Vec::with_capacity(h.len() + 1);
        cur.push((i + 1, 0, i + 1, 0));
        for (j, hw) in h.iter().enumerate() {
            let sub = {
                let p = prev[j];
                if rw == hw {
                    p
                } else {
                    (p.0 + 1, p.1 + 1, p.2, p.3)
                }
            };
            let del = {
                let p = prev[j + 1];
                (p.0 + 1, p.1, p.2 + 1, p.3)
            };
            let ins = {
                let p: (usize, usize, usize, usize) = cur[j];
                (p.0 + 1, p.1, p.2, p.3 + 1)
            };
            let best = [sub, del, ins]
                .into_iter()
                .min_by_key(|c| c.0)
                .expect("three");
            cur.push(best);
        }
        prev = cur;
    }
    let last = prev[h.len()];
    (last.1, last.2, last.3)
}

/// The longest run of consecutive reference words missing from the hypothesis (deleted in a
/// minimal word alignment), as `(first word, length)` over [`normalize`]d reference words:
/// where a transcript dropped speech without a trace.
pub fn longest_deleted_run(reference: &[String], hypothesis: &[String]) -> (usize, usize) {
    let (r, h) = (reference, hypothesis);
    let w = h.len() + 1;
    // Full cost matrix, then a walk back from the end preferring matches.
    let mut d = vec![0usize; (r.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=r.len() {
        d[i * w] = i;
        for j in 1..=h.len() {
            let sub = d[(i - 1) * w + j - 1] + usize::from(r[i - 1] != h[j - 1]);
            let del = d[(i - 1) * w + j] + 1;
            let ins = d[i * w + j - 1] + 1;
            d[i * w + j] = sub.min(del).min(ins);
        }
    }
    let (mut i, mut j) = (r.len(), h.len());
    let (mut best, mut run_end, mut run) = ((0usize, 0usize), 0usize, 0usize);
    while i > 0 || j > 0 {
        let here = d[i * w + j];
        if i > 0 && j > 0 && here == d[(i - 1) * w + j - 1] + usize::from(r[i - 1] != h[j - 1]) {
            i -= 1;
            j -= 1;
            run = 0;
        } else if i > 0 && here == d[(i - 1) * w + j] + 1 {
            if run == 0 {
                run_end = i;
            }
            run += 1;
            i -= 1;
            if run > best.1 {
                best = (run_end - run, run);
            }
        } else {
            j -= 1;
            run = 0;
        }
    }
    best
}

/// Normalised words: lower case, no punctuation, simple numbers as words.
pub fn normalize(text: &str) -> Vec<String> {
    let lowered = text.to_lowercase();
    let mut cleaned = String::with_capacity(lowered.len());
    let chars: Vec<char> = lowered.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let prev_is_alnum = i > 0 && chars[i - 1].is_alphanumeric();
        if c.is_alphanumeric() {
            cleaned.push(c);
        } else if (c == '\'' || c == '’') && prev_is_alnum && next_is_alnum {
            cleaned.push('\'');
        } else if (c == ',' || c == '.') && prev_is_digit(&chars, i) && next_is_digit(&chars, i) {
            // 1,200 stays one number; 2.5 keeps its point.
            if c == '.' {
                cleaned.push('.');
            }
        } else if c == '%' {
            cleaned.push_str(" percent ");
        } else {
            cleaned.push(' ');
        }
    }
    let mut out = Vec::new();
    for w in cleaned.split_whitespace() {
        if let Ok(n) = w.parse::<u64>() {
            out.extend(number_words(n));
            continue;
        }
        let w = match w {
            "ok" => "okay",
            "mr" => "mister",
            "mrs" => "missus",
            "dr" => "doctor",
            other => other,
        };
        out.push(w.to_string());
    }
    out
}

fn prev_is_digit(chars: &[char], i: usize) -> bool {
    i > 0 && chars[i - 1].is_ascii_digit()
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// English words for a whole number below a trillion ("twenty five", no hyphens, no "and").
pub fn number_words(n: u64) -> Vec<String> {
    fn below_thousand(n: u64, out: &mut Vec<String>) {
        let (h, rest) = (n / 100, n % 100);
        if h > 0 {
            out.push(ONES[h as usize].into());
            out.push("hundred".into());
        }
        if rest >= 20 {
            out.push(TENS[(rest / 10) as usize].into());
            if rest % 10 > 0 {
                out.push(ONES[(rest % 10) as usize].into());
            }
        } else if rest > 0 || h == 0 {
            out.push(ONES[rest as usize].into());
        }
    }
    if n >= 1_000_000_000_000 {
        return vec![n.to_string()];
    }
    let mut out = Vec::new();
    if n == 0 {
        out.push("zero".into());
        return out;
    }
    for (scale, name) in [
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1000, "thousand"),
    ] {
        if !(n / scale).is_multiple_of(1000) {
            below_thousand(n / scale % 1000, &mut out);
            out.push(name.into());
        }
    }
    if !n.is_multiple_of(1000) {
        below_thousand(n % 1000, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_after_normalisation_is_zero() {
        assert_eq!(wer("Go forward, ten meters.", "go forward 10 meters"), 0.0);
        assert_eq!(wer("It's OK!", "it's okay"), 0.0);
        assert_eq!(wer("PHQ-9 score", "phq 9 score"), 0.0);
    }

    #[test]
    fn counts_each_error_kind() {
        let c = wer_counts("the cat sat on the mat", "the cat sat on mat today");
        assert_eq!(c.reference_words, 6);
        assert_eq!(c.deletions + c.substitutions + c.insertions, 2);
        assert!((c.wer() - 2.0 / 6.0).abs() < 1e-9);
        let c = wer_counts("a b c", "x b c");
        assert_eq!((c.substitutions, c.deletions, c.insertions), (1, 0, 0));
        assert_eq!(wer("a b", ""), 1.0);
        assert_eq!(wer("", ""), 0.0);
    }

    #[test]
    fn numbers_become_words() {
        assert_eq!(number_words(25).join(" "), "twenty five");
        assert_eq!(number_words(1200).join(" "), "one thousand two hundred");
        assert_eq!(
            normalize("1,200 people").join(" "),
            "one thousand two hundred people"
        );
        assert_eq!(number_words(7).join(" "), "seven");
    }

    #[test]
    fn longest_deleted_run_finds_the_dropped_passage() {
        let r = normalize("one two three four five six seven eight");
        let h = normalize("one two three eight");
        assert_eq!(longest_deleted_run(&r, &h), (3, 4));
        assert_eq!(longest_deleted_run(&r, &r), (0, 0));
        let h = normalize("one too three four five six seven");
        assert_eq!(longest_deleted_run(&r, &h), (7, 1));
    }
}
