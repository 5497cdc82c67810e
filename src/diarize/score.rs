//! Scoring speaker attribution against reference turns: the diarization error rate (DER,
//! with a collar around each reference boundary) and the share of transcript words attributed
//! to the right role.

use serde::{Deserialize, Serialize};

use super::{DiarizeError, DiarizeOptions, SpeakerModel, SpeakerSource, Turn};
use crate::transcribe::{wer, Speaker, Transcript};

/// A reference turn (the `--turns` file of `tools/synth-session`: speaker, start, end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefTurn {
    pub speaker: Speaker,
    pub start: f64,
    pub end: f64,
    #[serde(default)]
    pub text: String,
}

/// The parts of a diarization error rate, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Der {
    /// (missed + false alarm + confusion) / reference speech.
    pub der: f64,
    pub reference_speech: f64,
    pub missed: f64,
    pub false_alarm: f64,
    pub confusion: f64,
}

const STEP: f64 = 0.01;

/// Overlapped speech found against the reference's, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OverlapScore {
    /// Time the reference has two or more turns at once.
    pub reference: f64,
    /// Time marked as overlapped speech.
    pub found: f64,
    /// Time both.
    pub hit: f64,
}

/// Scores overlapped speech found (`found`: sorted, disjoint spans) against the time two or
/// more reference turns cover at once, in steps of 10 ms.
pub fn overlap_score(reference: &[RefTurn], found: &[(f64, f64)]) -> OverlapScore {
    let end = reference
        .iter()
        .map(|t| t.end)
        .chain(found.iter().map(|s| s.1))
        .fold(0.0, f64::max);
    let steps = (end / STEP).ceil() as usize;
    let mut s = OverlapScore {
        reference: 0.0,
        found: 0.0,
        hit: 0.0,
    };
    for i in 0..steps {
        let t = (i as f64 + 0.5) * STEP;
        let active = reference
            .iter()
            .filter(|r| r.start <= t && t < r.end)
            .count();
        let is_ref = active >= 2;
        let is_found = found.iter().any(|(a, b)| *a <= t && t < *b);
        s.reference += if is_ref { STEP } else { 0.0 };
        s.found += if is_found { STEP } else { 0.0 };
        s.hit += if is_ref && is_found { STEP } else { 0.0 };
    }
    s
}

/// How well a recording's speakers were told apart ([`diarize_and_score`]).
#[derive(Debug, Clone, Serialize)]
pub struct AttributionScore {
    /// DER with a 0.25 s collar.
    pub der: Der,
    /// Share of the transcript's words given the right role ([`role_accuracy`]).
    pub role_accuracy: f64,
    pub words: usize,
    pub source: SpeakerSource,
    /// Wall time of diarizing and attributing, seconds.
    pub seconds: f64,
}

/// Diarizes a recording as the transcription job does (two speakers by default, no
/// enrolment: roles from the words), attributes the transcript's segments, and scores both
/// against the reference turns.
pub fn diarize_and_score(
    model: &SpeakerModel,
    samples: &[f32],
    transcript: &mut Transcript,
    reference: &[RefTurn],
) -> Result<AttributionScore, DiarizeError> {
    let started = std::time::Instant::now();
    let d = model.diarize(samples, &DiarizeOptions::default(), &|_| true)?;
    let a = super::attribute(transcript, &d, None, model.name());
    let seconds = started.elapsed().as_secs_f64();
    let (role_accuracy, words) = role_accuracy(reference, transcript);
    Ok(AttributionScore {
        der: der(reference, &d.turns(), 0.25),
        role_accuracy,
        words,
        source: a.source,
        seconds,
    })
}

/// Reference labels a frame can hold (therapist, client, unknown): one bit each.
const ROLES: [Speaker; 3] = [Speaker::Therapist, Speaker::Client, Speaker::Unknown];

/// DER of hypothesis turns (cluster indices) against reference turns, scored on a 10 ms grid
/// outside `collar` seconds either side of every reference boundary, with the cluster-to-
/// speaker mapping that maximises agreement (every mapping tried: at most 4 clusters).
///
/// Overlapping speech is scored as NIST's md-eval does: a frame with `R` reference and `H`
/// hypothesis speakers counts `R` seconds of speech, `max(0, R - H)` missed, `max(0, H - R)`
/// false alarm and `min(R, H)` minus the mapped matches confused.
pub fn der(reference: &[RefTurn], hyp: &[Turn], collar: f64) -> Der {
    let end = reference
        .iter()
        .map(|t| t.end)
        .chain(hyp.iter().map(|t| t.end))
        .fold(0.0, f64::max);
    let n = (end / STEP).ceil() as usize + 1;
    let frames = |t0: f64, t1: f64| ((t0 / STEP) as usize).min(n)..((t1 / STEP) as usize).min(n);
    // Reference speakers per frame as bits; frames inside a collar are excluded.
    let mut r = vec![0u8; n];
    let mut excluded = vec![false; n];
    for t in reference {
        let id = ROLES.iter().position(|&s| s == t.speaker).unwrap_or(2);
        for v in &mut r[frames(t.start, t.end)] {
            *v |= 1 << id;
        }
        for b in [t.start, t.end] {
            for v in &mut excluded[frames((b - collar).max(0.0), b + collar)] {
                *v = true;
            }
        }
    }
    let k = hyp.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let mut h = vec![0u32; n];
    for t in hyp {
        for v in &mut h[frames(t.start, t.end)] {
            *v |= 1 << t.speaker.min(31);
        }
    }
    let (mut missed, mut fa, mut speech, mut paired) = (0usize, 0usize, 0usize, 0usize);
    // counts[cluster][ref] of frames where both speak.
    let mut counts = vec![[0usize; 3]; k];
    for i in (0..n).filter(|&i| !excluded[i]) {
        let (nr, nh) = (r[i].count_ones() as usize, h[i].count_ones() as usize);
        speech += nr;
        missed += nr.saturating_sub(nh);
        fa += nh.saturating_sub(nr);
        paired += nr.min(nh);
        for (c, row) in counts.iter_mut().enumerate() {
            if h[i] & (1 << c) != 0 {
                for (id, cell) in row.iter_mut().enumerate() {
                    if r[i] & (1 << id) != 0 {
                        *cell += 1;
                    }
                }
            }
        }
    }
    let confusion = paired.saturating_sub(best_mapping(&counts));
    let secs = |f: usize| f as f64 * STEP;
    Der {
        der: if speech > 0 {
            (missed + fa + confusion) as f64 / speech as f64
        } else {
            0.0
        },
        reference_speech: secs(speech),
        missed: secs(missed),
        false_alarm: secs(fa),
        confusion: secs(confusion),
    }
}

/// Reads reference turns from NIST RTTM (`SPEAKER file 1 start duration <NA> <NA> name ...`):
/// the first speaker named is the therapist, the second the client, any other unknown.
/// Lines of other types are skipped; a malformed `SPEAKER` line is an error naming it.
pub fn turns_from_rttm(text: &str) -> Result<Vec<RefTurn>, String> {
    let mut names: Vec<String> = Vec::new();
    let mut turns = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.first() != Some(&"SPEAKER") {
            continue;
        }
        let num = |j: usize| f.get(j).and_then(|v| v.parse::<f64>().ok());
        let (Some(start), Some(dur), Some(name)) = (num(3), num(4), f.get(7)) else {
            return Err(format!("line {}: not an RTTM SPEAKER line", i + 1));
        };
        let id = match names.iter().position(|n| n == name) {
            Some(id) => id,
            None => {
                names.push(name.to_string());
                names.len() - 1
            }
        };
        turns.push(RefTurn {
            speaker: ROLES[id.min(2)],
            start,
            end: start + dur,
            text: String::new(),
        });
    }
    turns.sort_by(|a, b| a.start.total_cmp(&b.start));
    Ok(turns)
}

/// Most frames matched by a one-to-one mapping of clusters to reference speakers.
fn best_mapping(counts: &[[usize; 3]]) -> usize {
    fn go(counts: &[[usize; 3]], i: usize, used: [bool; 3]) -> usize {
        if i == counts.len() {
            return 0;
        }
        // Cluster i unmapped (all its frames are confusion), or mapped to a free speaker.
        let mut best = go(counts, i + 1, used);
        for r in 0..3 {
            if !used[r] {
                let mut u = used;
                u[r] = true;
                best = best.max(counts[i][r] + go(counts, i + 1, u));
            }
        }
        best
    }
    go(counts, 0, [false; 3])
}

/// Share of the transcript's words whose segment role matches the reference speaker of that
/// word. Returns (share, words).
///
/// When every reference turn has its text (`tools/synth-session --turns`), the transcript's
/// words are aligned to the reference words ([`align_words`]) and each takes the speaker of
/// the reference word it stands for: whisper's segment times run ahead of the speech by up to
/// a second, so spreading a segment's words over its times (the fallback, for references
/// without text such as RTTM) charges the first words of a rightly attributed turn to the
/// previous speaker.
pub fn role_accuracy(reference: &[RefTurn], transcript: &Transcript) -> (f64, usize) {
    if !reference.is_empty() && reference.iter().all(|t| !t.text.trim().is_empty()) {
        return role_accuracy_by_words(reference, transcript);
    }
    role_accuracy_by_time(reference, transcript)
}

/// [`role_accuracy`] by aligning words: a transcript word the reference lacks (an insertion)
/// takes the speaker of the word aligned before it.
fn role_accuracy_by_words(reference: &[RefTurn], transcript: &Transcript) -> (f64, usize) {
    let (mut rw, mut rs) = (Vec::new(), Vec::new());
    for t in reference {
        for w in wer::normalize(&t.text) {
            rw.push(w);
            rs.push(t.speaker);
        }
    }
    let (mut hw, mut hs) = (Vec::new(), Vec::new());
    for s in &transcript.segments {
        for w in wer::normalize(&s.text) {
            hw.push(w);
            hs.push(s.speaker);
        }
    }
    if hw.is_empty() {
        return (0.0, 0);
    }
    let pairs = align_words(&rw, &hw);
    let mut truth: Option<Speaker> = rs.first().copied();
    let mut right = 0usize;
    for (j, spoken) in hs.iter().enumerate() {
        if let Some(i) = pairs[j] {
            truth = Some(rs[i]);
        }
        if truth == Some(*spoken) {
            right += 1;
        }
    }
    (right as f64 / hw.len() as f64, hw.len())
}

/// Half-width of the band around the diagonal that [`align_words`] searches, words.
const BAND: usize = 200;

/// A minimal-edit alignment of hypothesis words to reference words, within a band around
/// the diagonal (memory grows with the words times the band, not their square): for each
/// hypothesis word, the reference word it matches or substitutes, or `None` (inserted).
pub fn align_words(r: &[String], h: &[String]) -> Vec<Option<usize>> {
    let (n, m) = (r.len(), h.len());
    let width = 2 * BAND + 1;
    // Column j of row i is stored at j + BAND - centre(i), when inside the band.
    let centre = |i: usize| (i * m).checked_div(n).unwrap_or(0);
    let idx = |i: usize, j: usize| -> Option<usize> {
        let k = j as isize + BAND as isize - centre(i) as isize;
        (0..width as isize)
            .contains(&k)
            .then(|| i * width + k as usize)
    };
    const FAR: u32 = u32::MAX / 2;
    let mut d = vec![FAR; (n + 1) * width];
    let get = |d: &Vec<u32>, i: usize, j: usize| idx(i, j).map_or(FAR, |k| d[k]);
    for i in 0..=n {
        let lo = centre(i).saturating_sub(BAND);
        let hi = (centre(i) + BAND).min(m);
        for j in lo..=hi {
            let Some(k) = idx(i, j) else { continue };
            d[k] = if i == 0 {
                j as u32
            } else if j == 0 {
                i as u32
            } else {
                let sub = get(&d, i - 1, j - 1) + u32::from(r[i - 1] != h[j - 1]);
                let del = get(&d, i - 1, j) + 1;
                let ins = get(&d, i, j - 1) + 1;
                sub.min(del).min(ins)
            };
        }
    }
    let mut out = vec![None; m];
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let here = get(&d, i, j);
        if here == get(&d, i - 1, j - 1) + u32::from(r[i - 1] != h[j - 1]) {
            out[j - 1] = Some(i - 1);
            i -= 1;
            j -= 1;
        } else if here == get(&d, i - 1, j) + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out
}

/// [`role_accuracy`] by time: words spread evenly over their segment; a word outside every
/// reference turn takes the nearest turn.
fn role_accuracy_by_time(reference: &[RefTurn], transcript: &Transcript) -> (f64, usize) {
    let mut right = 0usize;
    let mut total = 0usize;
    for s in &transcript.segments {
        let words = s.text.split_whitespace().count();
        for i in 0..words {
            let t = s.start + (s.end - s.start) * (i as f64 + 0.5) / words as f64;
            let truth = reference
                .iter()
                .min_by(|a, b| gap(a, t).total_cmp(&gap(b, t)))
                .map(|r| r.speaker);
            total += 1;
            if truth == Some(s.speaker) {
                right += 1;
            }
        }
    }
    (right as f64 / total.max(1) as f64, total)
}

fn gap(r: &RefTurn, t: f64) -> f64 {
    if t < r.start {
        r.start - t
    } else if t > r.end {
        t - r.end
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(speaker: Speaker, start: f64, end: f64) -> RefTurn {
        RefTurn {
            speaker,
            start,
            end,
            text: String::new(),
        }
    }

    #[test]
    fn der_counts_errors_outside_the_collar() {
        let r = vec![
            rt(Speaker::Therapist, 0.0, 10.0),
            rt(Speaker::Client, 10.0, 20.0),
        ];
        // Perfect up to a label swap: DER 0.
        let h = vec![
            Turn {
                start: 0.0,
                end: 10.0,
                speaker: 1,
            },
            Turn {
                start: 10.0,
                end: 20.0,
                speaker: 0,
            },
        ];
        assert!(der(&r, &h, 0.25).der < 1e-9);
        // The boundary 0.2 s late: inside the collar.
        let h = vec![
            Turn {
                start: 0.0,
                end: 10.2,
                speaker: 0,
            },
            Turn {
                start: 10.2,
                end: 20.0,
                speaker: 1,
            },
        ];
        assert!(der(&r, &h, 0.25).der < 1e-9);
        // Everything one cluster: half the speech confused.
        let h = vec![Turn {
            start: 0.0,
            end: 20.0,
            speaker: 0,
        }];
        let d = der(&r, &h, 0.25);
        assert!((d.der - 0.5).abs() < 0.02, "{d:?}");
        // Nothing found: all missed.
        assert!((der(&r, &[], 0.0).der - 1.0).abs() < 1e-6);
    }

    #[test]
    fn overlapping_reference_speech_counts_each_speaker() {
        // Both speak from 5 to 10 s; the hypothesis has one speaker at a time.
        let r = vec![
            rt(Speaker::Therapist, 0.0, 10.0),
            rt(Speaker::Client, 5.0, 15.0),
        ];
        let h = vec![
            Turn {
                start: 0.0,
                end: 10.0,
                speaker: 0,
            },
            Turn {
                start: 10.0,
                end: 15.0,
                speaker: 1,
            },
        ];
        let d = der(&r, &h, 0.0);
        // 20 s of reference speech, the client's 5 s under the therapist's missed.
        assert!((d.reference_speech - 20.0).abs() < 0.05, "{d:?}");
        assert!((d.missed - 5.0).abs() < 0.05, "{d:?}");
        assert!(d.confusion < 0.05 && d.false_alarm < 0.05, "{d:?}");
        assert!((d.der - 0.25).abs() < 0.01, "{d:?}");
    }

    #[test]
    fn roles_are_scored_by_the_words_when_the_reference_has_text() {
        use crate::transcribe::Segment;
        let turn = |speaker, start, end, text: &str| RefTurn {
            speaker,
            start,
            end,
            text: text.into(),
        };
        let r = vec![
            turn(Speaker::Therapist, 0.0, 3.0, "How was the week?"),
            turn(
                Speaker::Client,
                4.0,
                8.0,
                "Rough. I slept four hours a night.",
            ),
        ];
        // The client's segment starts a second early, inside the therapist's turn's time,
        // with one word misheard and one added.
        let seg = |id, start, end, speaker, text: &str| Segment {
            id,
            start,
            end,
            speaker,
            text: text.into(),
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        };
        let mut t = Transcript {
            model: String::new(),
            audio_seconds: 8.0,
            elapsed_seconds: 0.0,
            segments: vec![
                seg(0, 0.0, 2.0, Speaker::Therapist, "How was the week?"),
                seg(
                    1,
                    2.0,
                    8.0,
                    Speaker::Client,
                    "Rough. I slipped for hours a night, yeah.",
                ),
            ],
            text: String::new(),
            speakers: None,
        };
        let (acc, words) = role_accuracy(&r, &t);
        assert_eq!(words, 12);
        assert!((acc - 1.0).abs() < 1e-9, "{acc}");
        // By time, the client's first words would fall in the therapist's turn.
        assert!(role_accuracy_by_time(&r, &t).0 < 1.0);
        // The therapist's question given to the client: four of 12 words wrong.
        t.segments[0].speaker = Speaker::Client;
        let (acc, _) = role_accuracy(&r, &t);
        assert!((acc - 8.0 / 12.0).abs() < 1e-9, "{acc}");
    }

    #[test]
    fn word_alignment_follows_the_edits() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let a = align_words(&w("a b c d"), &w("a x c d e"));
        assert_eq!(a, vec![Some(0), Some(1), Some(2), Some(3), None]);
        let a = align_words(&w("a b c d"), &w("a d"));
        assert_eq!(a, vec![Some(0), Some(3)]);
        assert!(align_words(&[], &w("a")).iter().all(Option::is_none));
    }

    #[test]
    fn rttm_names_become_roles_in_order_of_appearance() {
        let t = turns_from_rttm(
            "SPEAKER s 1 7.55 0.80 <NA> <NA> b <NA> <NA>\n\
             SPEAKER s 1 6.69 0.43 <NA> <NA> a <NA> <NA>\n\
             SPKR-INFO s 1 <NA> <NA> <NA> unknown c <NA> <NA>\n",
        )
        .expect("valid rttm");
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].speaker, t[0].start), (Speaker::Client, 6.69));
        assert!((t[1].end - 8.35).abs() < 1e-9 && t[1].speaker == Speaker::Therapist);
        assert!(turns_from_rttm("SPEAKER s 1 x 0.4 <NA> <NA> a").is_err());
    }
}
