//! Scoring speaker attribution against reference turns: the diarization error rate (DER,
//! with a collar around each reference boundary) and the share of transcript words attributed
//! to the right role.

use serde::{Deserialize, Serialize};

use super::Turn;
use crate::transcribe::{Speaker, Transcript};

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

/// DER of hypothesis turns (cluster indices) against reference turns, scored on a 10 ms grid
/// outside `collar` seconds either side of every reference boundary, with the cluster-to-
/// speaker mapping that maximises agreement (every mapping tried: at most 4 clusters).
pub fn der(reference: &[RefTurn], hyp: &[Turn], collar: f64) -> Der {
    let end = reference
        .iter()
        .map(|t| t.end)
        .chain(hyp.iter().map(|t| t.end))
        .fold(0.0, f64::max);
    let n = (end / STEP).ceil() as usize + 1;
    // Reference speaker per frame (-1 none, -2 excluded by the collar); no overlap in the
    // references scored here, so the later turn wins a tie.
    let roles = [Speaker::Therapist, Speaker::Client, Speaker::Unknown];
    let mut r = vec![-1i32; n];
    for t in reference {
        let id = roles.iter().position(|&s| s == t.speaker).unwrap_or(2) as i32;
        for v in r
            .iter_mut()
            .take(((t.end / STEP) as usize).min(n))
            .skip((t.start / STEP) as usize)
        {
            *v = id;
        }
    }
    for t in reference {
        for b in [t.start, t.end] {
            let a = ((b - collar).max(0.0) / STEP) as usize;
            let z = (((b + collar) / STEP) as usize).min(n);
            for v in r.iter_mut().take(z).skip(a) {
                *v = -2;
            }
        }
    }
    let mut h = vec![-1i32; n];
    for t in hyp {
        for v in h
            .iter_mut()
            .take(((t.end / STEP) as usize).min(n))
            .skip((t.start / STEP) as usize)
        {
            *v = t.speaker as i32;
        }
    }
    let k = hyp.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let (mut missed, mut fa, mut speech) = (0.0, 0.0, 0.0);
    // counts[cluster][ref] of frames where both speak.
    let mut counts = vec![[0usize; 3]; k];
    for (&rv, &hv) in r.iter().zip(&h) {
        if rv == -2 {
            continue;
        }
        if rv >= 0 {
            speech += STEP;
        }
        match (rv >= 0, hv >= 0) {
            (true, false) => missed += STEP,
            (false, true) => fa += STEP,
            (true, true) => counts[hv as usize][rv as usize] += 1,
            _ => {}
        }
    }
    let both: usize = counts.iter().map(|c| c.iter().sum::<usize>()).sum();
    let best = best_mapping(&counts);
    let confusion = (both - best) as f64 * STEP;
    Der {
        der: if speech > 0.0 {
            (missed + fa + confusion) / speech
        } else {
            0.0
        },
        reference_speech: speech,
        missed,
        false_alarm: fa,
        confusion,
    }
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

/// Share of the transcript's words whose segment role matches the reference speaker at the
/// word's time (words spread evenly over their segment; a word outside every reference turn
/// takes the nearest turn). Returns (share, words).
pub fn role_accuracy(reference: &[RefTurn], transcript: &Transcript) -> (f64, usize) {
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
}
