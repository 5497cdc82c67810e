//! Checks against whisper's known failures: text invented over silence, repetition loops, and
//! speech dropped without a trace (a segment whose text is far shorter than its voiced audio).

use std::io::Write;

/// openai-whisper's threshold: text that gzip compresses better than this is probably a loop.
pub const COMPRESSION_RATIO_THRESHOLD: f64 = 2.4;
/// A segment is dropped when its no-speech probability is above this...
pub const NO_SPEECH_THRESHOLD: f32 = 0.6;
/// ...and its average token log-probability is below this (both, as in openai-whisper).
pub const LOGPROB_THRESHOLD: f32 = -1.0;

/// gzip compression ratio of the UTF-8 text (bytes in / bytes out).
pub fn compression_ratio(text: &str) -> f64 {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    let out = enc.finish().unwrap_or_default();
    bytes.len() as f64 / out.len().max(1) as f64
}

/// Words of the text, lower-cased, punctuation stripped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether some n-gram (n = 1..=6) repeats back to back at least `min_repeats` times (e.g. "I
/// don't know. I don't know. I don't know. I don't know."). Short natural repeats ("no, no")
/// stay below the bar.
pub fn has_repetition_loop(text: &str) -> bool {
    let w = words(text);
    for n in 1..=6usize {
        // Single words need more repeats to count ("very very very" is speech).
        let min_repeats = if n == 1 { 5 } else { 4 };
        if w.len() < n * min_repeats {
            continue;
        }
        let mut i = 0;
        while i + n <= w.len() {
            let mut reps = 1;
            while i + (reps + 1) * n <= w.len()
                && w[i + reps * n..i + (reps + 1) * n] == w[i..i + n]
            {
                reps += 1;
            }
            if reps >= min_repeats {
                return true;
            }
            i += 1;
        }
    }
    false
}

/// Whether the decoded text of a window looks like a loop and deserves a retry at a higher
/// temperature.
pub fn needs_retry(text: &str) -> bool {
    compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD || has_repetition_loop(text)
}

/// Whether a segment is most likely silence or noise decoded as words.
pub fn is_probably_silence(no_speech_prob: f32, avg_logprob: f32) -> bool {
    no_speech_prob > NO_SPEECH_THRESHOLD && avg_logprob < LOGPROB_THRESHOLD
}

/// Whether the text is only a non-speech annotation such as "[BLANK_AUDIO]", "(music)",
/// "[ Silence ]" or "*coughs*", or has no letters or digits at all.
pub fn is_non_speech(text: &str) -> bool {
    let t = text.trim();
    if !t.chars().any(|c| c.is_alphanumeric()) {
        return true;
    }
    let bracketed = |open: char, close: char| {
        t.starts_with(open) && t.ends_with(close) && t[1..t.len() - 1].find([open, close]).is_none()
    };
    bracketed('[', ']') || bracketed('(', ')') || bracketed('*', '*') || bracketed('♪', '♪')
}

/// Removes consecutive duplicate sentences inside one segment's text ("Okay. Okay. Okay." →
/// "Okay."), the last resort when no retry produced a loop-free decoding.
pub fn collapse_repeats(text: &str) -> String {
    let w: Vec<&str> = text.split_whitespace().collect();
    let norm: Vec<String> = w
        .iter()
        .map(|x| {
            x.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let mut keep: Vec<&str> = Vec::new();
    let mut kept_norm: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let mut skipped = false;
        for n in (1..=8usize).rev() {
            if kept_norm.len() >= n && i + n <= w.len() {
                let tail = &kept_norm[kept_norm.len() - n..];
                if norm[i..i + n]
                    .iter()
                    .map(String::as_str)
                    .eq(tail.iter().copied())
                {
                    i += n;
                    skipped = true;
                    break;
                }
            }
        }
        if !skipped {
            keep.push(w[i]);
            kept_norm.push(&norm[i]);
            i += 1;
        }
    }
    keep.join(" ")
}

/// The slowest plausible speech, in words per second of *voiced* audio (30 ms frames above the
/// VAD threshold; pauses between words do not count). Measured on the synthetic sessions and
/// the LibriVox clips with tiny.en: segments hold 2.5-4.5 words per voiced second.
pub const SLOW_WORDS_PER_VOICED_S: f64 = 1.0;
/// A brisk rate, used to place where a too-short text most likely stopped: erring early only
/// means a few words are decoded twice (and removed by [`overlap_words`]).
pub const BRISK_WORDS_PER_VOICED_S: f64 = 4.0;
/// Voiced seconds a stretch may hold beyond what its words explain at the slow rate before
/// it counts as dropped speech and is decoded again.
pub const MAX_UNEXPLAINED_VOICED_S: f64 = 3.0;
/// How many times one window's stretch is decoded again at most (each time from further on).
pub const MAX_REDECODES: usize = 4;

/// Words in a segment's text.
pub fn word_count(text: &str) -> usize {
    words(text).len()
}

/// Voiced seconds that `words` words cannot account for, even spoken slowly.
pub fn unexplained_voiced_s(words: usize, voiced_s: f64) -> f64 {
    voiced_s - words as f64 / SLOW_WORDS_PER_VOICED_S
}

/// Whether a stretch with `voiced_s` seconds of voiced audio but only `words` words of text
/// dropped speech (whisper ended the segment, or the window, early): it is decoded again from
/// where its text stopped, as whisper's own seek loop does. Used for whole-file windows and
/// incremental ones alike.
pub fn drops_speech(words: usize, voiced_s: f64) -> bool {
    unexplained_voiced_s(words, voiced_s) > MAX_UNEXPLAINED_VOICED_S
}

/// Voiced seconds that `words` words cover at a brisk rate (where to resume decoding).
pub fn voiced_covered_s(words: usize) -> f64 {
    words as f64 / BRISK_WORDS_PER_VOICED_S
}

/// How many leading words of `next` repeat the end of `prev` (a re-decoding that resumed a
/// little before the text had stopped). Matches at least two words (or one long word at the
/// start, after at most one garbled word), allowing up to three garbled words before a longer
/// match (the cut may split a word).
pub fn overlap_words(prev: &str, next: &str) -> usize {
    let p = words(prev);
    let n = words(next);
    for m in (1..=12usize.min(p.len()).min(n.len())).rev() {
        let tail = &p[p.len() - m..];
        for j in 0..=3usize {
            if j + m > n.len() {
                break;
            }
            let ok = m >= 2 || (j <= 1 && tail[0].chars().count() >= 4);
            if ok && n[j..j + m] == *tail {
                return j + m;
            }
        }
    }
    0
}

/// `text` without its first `k` words (whitespace-separated, punctuation kept with them).
pub fn drop_leading_words(text: &str, k: usize) -> String {
    let mut left = k;
    let mut out: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        // Count only tokens that are words (a lone "-" is not one).
        if left > 0 && w.chars().any(char::is_alphanumeric) {
            left -= 1;
            continue;
        }
        if left > 0 {
            continue;
        }
        out.push(w);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_detected() {
        let looped = "I don't know. ".repeat(12);
        assert!(compression_ratio(&looped) > COMPRESSION_RATIO_THRESHOLD);
        assert!(has_repetition_loop(&looped));
        assert!(needs_retry(&looped));
        let normal = "I have been sleeping better since we started the CBT worksheets, \
                      although work is still stressful and my PHQ-9 went up a little.";
        assert!(compression_ratio(normal) < COMPRESSION_RATIO_THRESHOLD);
        assert!(!has_repetition_loop(normal));
        assert!(!has_repetition_loop("no, no, I mean it"));
        assert!(!needs_retry(normal));
    }

    #[test]
    fn annotations_are_non_speech() {
        assert!(is_non_speech(" [BLANK_AUDIO]"));
        assert!(is_non_speech("(music)"));
        assert!(is_non_speech(" ... "));
        assert!(!is_non_speech("I went [to] the store"));
        assert!(!is_non_speech("Okay."));
    }

    #[test]
    fn silence_rule_needs_both_signals() {
        assert!(is_probably_silence(0.9, -1.5));
        assert!(!is_probably_silence(0.9, -0.3));
        assert!(!is_probably_silence(0.2, -1.5));
    }

    #[test]
    fn collapse_removes_back_to_back_repeats() {
        assert_eq!(collapse_repeats("Okay. Okay. Okay. Okay."), "Okay.");
        assert_eq!(
            collapse_repeats("I was tired. I was tired. I was tired. Then I slept."),
            "I was tired. Then I slept."
        );
        assert_eq!(collapse_repeats("a b c"), "a b c");
    }

    #[test]
    fn dropped_speech_is_flagged_by_words_per_voiced_second() {
        // The case: one sentence (12 words) over a segment of ~20 voiced seconds.
        assert!(drops_speech(12, 20.0));
        // Ordinary segments: 3 words/voiced s, and a short slow answer.
        assert!(!drops_speech(15, 5.0));
        assert!(!drops_speech(2, 4.0));
        assert!(drops_speech(0, 3.5));
        assert!((voiced_covered_s(12) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn overlap_of_a_resumed_decoding_is_found() {
        let prev = "I will refer you to the sleep clinic.";
        assert_eq!(overlap_words(prev, "the sleep clinic. And next week"), 3);
        assert_eq!(overlap_words(prev, "ep clinic. And next week"), 2);
        assert_eq!(overlap_words(prev, "And next week on Tuesday"), 0);
        assert_eq!(overlap_words(prev, "clinic and then"), 1);
        assert_eq!(
            overlap_words("I am", "am fine"),
            0,
            "one short word is no evidence"
        );
        assert_eq!(
            drop_leading_words("the sleep clinic. And next week", 3),
            "And next week"
        );
        assert_eq!(drop_leading_words("a - b c", 2), "c");
    }
}
