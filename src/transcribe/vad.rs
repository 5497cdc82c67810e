//! Energy-based voice activity detection and the plan of windows whisper decodes.
//!
//! Frames of 30 ms whose RMS level is above an adaptive threshold (noise floor + margin, kept
//! within fixed bounds) count as voiced. Voiced frames become regions (padded, short gaps
//! bridged, blips dropped); regions are packed into windows of at most [`MAX_WINDOW_S`] seconds.
//! Silence longer than [`VadOptions::max_kept_gap_s`] inside a window is cut out and replaced
//! by a short pause, so whisper neither spends its 30 s encoder on silence nor invents text
//! over it. Each window keeps a map back to the original timeline.

use crate::audio::SAMPLE_RATE;

/// Longest window handed to whisper at once (whisper's receptive field is 30 s).
pub const MAX_WINDOW_S: f64 = 29.5;

const FRAME: usize = 480; // 30 ms at 16 kHz

/// VAD tuning.
#[derive(Debug, Clone)]
pub struct VadOptions {
    /// Turn VAD off: the whole audio is decoded (still in windows).
    pub enabled: bool,
    /// dB above the estimated noise floor a frame must reach to count as voiced.
    pub margin_db: f32,
    /// The threshold never goes below this level (dBFS): digital silence and hiss stay silent.
    pub min_threshold_db: f32,
    /// The threshold never goes above this level (dBFS): noisy rooms still pass speech.
    pub max_threshold_db: f32,
    /// Padding kept around voiced regions, seconds.
    pub pad_s: f64,
    /// Gaps shorter than this are bridged into one region, seconds.
    pub bridge_gap_s: f64,
    /// Regions with less voiced time than this are dropped (clicks, coughs), seconds.
    pub min_voiced_s: f64,
    /// Silence longer than this inside a window is shortened to `kept_gap_s`.
    pub max_kept_gap_s: f64,
    /// Pause left in place of a cut silence, seconds.
    pub kept_gap_s: f64,
}

impl Default for VadOptions {
    fn default() -> Self {
        VadOptions {
            enabled: true,
            margin_db: 12.0,
            min_threshold_db: -55.0,
            max_threshold_db: -32.0,
            pad_s: 0.25,
            bridge_gap_s: 0.6,
            min_voiced_s: 0.15,
            max_kept_gap_s: 1.5,
            kept_gap_s: 0.5,
        }
    }
}

/// A stretch of the original audio, in samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One piece of a window: original samples `orig`, placed at `window_start` in the window.
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    pub orig: Span,
    pub window_start: usize,
}

/// What whisper decodes in one call: pieces of the original audio joined by short pauses.
#[derive(Debug, Clone)]
pub struct Window {
    pub pieces: Vec<Piece>,
    /// Length of the assembled window, samples.
    pub len: usize,
}

impl Window {
    /// The window's samples (pieces joined by zeros).
    pub fn assemble(&self, audio: &[f32]) -> Vec<f32> {
        let mut out = vec![0.0; self.len];
        for p in &self.pieces {
            let n = p.orig.end - p.orig.start;
            out[p.window_start..p.window_start + n]
                .copy_from_slice(&audio[p.orig.start..p.orig.end]);
        }
        out
    }

    /// Maps a time in the window (seconds) to the original timeline. Times in an inserted
    /// pause snap to the end of the piece before it (`is_end`) or the start of the next one.
    pub fn to_original(&self, t: f64, is_end: bool) -> f64 {
        let s = (t.max(0.0) * SAMPLE_RATE as f64) as usize;
        let mut best = self.pieces[0];
        for (i, p) in self.pieces.iter().enumerate() {
            let n = p.orig.end - p.orig.start;
            if s < p.window_start {
                // In the pause before piece i.
                let prev = if i > 0 { self.pieces[i - 1] } else { *p };
                let chosen = if is_end { prev } else { *p };
                let at = if is_end && i > 0 {
                    chosen.orig.end
                } else {
                    chosen.orig.start
                };
                return at as f64 / SAMPLE_RATE as f64;
            }
            best = *p;
            if s <= p.window_start + n {
                return (p.orig.start + (s - p.window_start)) as f64 / SAMPLE_RATE as f64;
            }
        }
        best.orig.end as f64 / SAMPLE_RATE as f64
    }

    /// Original seconds covered by this window's pieces.
    pub fn original_seconds(&self) -> f64 {
        self.pieces
            .iter()
            .map(|p| (p.orig.end - p.orig.start) as f64)
            .sum::<f64>()
            / SAMPLE_RATE as f64
    }
}

/// RMS level of each 30 ms frame, dBFS.
pub fn frame_levels(audio: &[f32]) -> Vec<f32> {
    audio
        .chunks(FRAME)
        .map(|f| {
            let e = f.iter().map(|x| x * x).sum::<f32>() / f.len().max(1) as f32;
            10.0 * (e.max(1e-12)).log10()
        })
        .collect()
}

/// The level (dBFS) a frame must reach to count as voiced: the noise floor (10th percentile
/// of the frame levels) plus the margin, kept within the options' bounds.
fn threshold_of(levels: &[f32], o: &VadOptions) -> f32 {
    let mut sorted = levels.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let floor = sorted.get(sorted.len() / 10).copied().unwrap_or(-120.0);
    (floor + o.margin_db).clamp(o.min_threshold_db, o.max_threshold_db)
}

/// The voiced threshold (dBFS) of a whole recording, for [`VoiceMap::new`] on its windows.
pub fn voiced_threshold(audio: &[f32], o: &VadOptions) -> f32 {
    threshold_of(&frame_levels(audio), o)
}

/// Which 30 ms frames of a window's samples are voiced (level at or above a threshold), to
/// measure how much speech a stretch of it holds (the dropped-speech guard,
/// [`super::guard::drops_speech`]).
#[derive(Debug, Clone)]
pub struct VoiceMap {
    voiced: Vec<bool>,
}

impl VoiceMap {
    /// Frames of `samples` at or above `threshold_db` (see [`voiced_threshold`]).
    pub fn new(samples: &[f32], threshold_db: f32) -> VoiceMap {
        VoiceMap {
            voiced: frame_levels(samples)
                .into_iter()
                .map(|l| l >= threshold_db)
                .collect(),
        }
    }

    fn frame_at(t: f64) -> usize {
        (t.max(0.0) * SAMPLE_RATE as f64 / FRAME as f64).floor() as usize
    }

    fn frame_s() -> f64 {
        FRAME as f64 / SAMPLE_RATE as f64
    }

    /// Voiced seconds between `t0` and `t1` (seconds from the start of the samples).
    pub fn voiced_seconds(&self, t0: f64, t1: f64) -> f64 {
        let (a, b) = (
            Self::frame_at(t0),
            Self::frame_at(t1).min(self.voiced.len()),
        );
        if a >= b {
            return 0.0;
        }
        self.voiced[a..b].iter().filter(|&&v| v).count() as f64 * Self::frame_s()
    }

    /// The time after `t0` by which `voiced_s` seconds of voiced audio have passed (the end
    /// of the samples if they hold less).
    pub fn after_voiced(&self, t0: f64, voiced_s: f64) -> f64 {
        let need = (voiced_s / Self::frame_s()).ceil() as usize;
        let mut seen = 0;
        for i in Self::frame_at(t0)..self.voiced.len() {
            if seen >= need {
                return i as f64 * Self::frame_s();
            }
            seen += self.voiced[i] as usize;
        }
        self.duration()
    }

    /// Length of the samples, seconds.
    pub fn duration(&self) -> f64 {
        self.voiced.len() as f64 * Self::frame_s()
    }
}

/// Voiced regions of the audio, in samples, sorted and non-overlapping.
pub fn voiced_regions(audio: &[f32], o: &VadOptions) -> Vec<Span> {
    if audio.is_empty() {
        return Vec::new();
    }
    if !o.enabled {
        return vec![Span {
            start: 0,
            end: audio.len(),
        }];
    }
    let levels = frame_levels(audio);
    let threshold = threshold_of(&levels, o);

    let sec = |s: f64| (s * SAMPLE_RATE as f64 / FRAME as f64).round() as usize;
    let bridge = sec(o.bridge_gap_s);
    let min_voiced = sec(o.min_voiced_s).max(1);
    let pad = (o.pad_s * SAMPLE_RATE as f64) as usize;

    // Frame runs above threshold, bridging short gaps; count voiced frames per run.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (first, last+1, voiced)
    for (i, &l) in levels.iter().enumerate() {
        if l < threshold {
            continue;
        }
        match runs.last_mut() {
            Some(r) if i - r.1 <= bridge => {
                r.1 = i + 1;
                r.2 += 1;
            }
            _ => runs.push((i, i + 1, 1)),
        }
    }
    let mut out: Vec<Span> = Vec::new();
    for (first, last, voiced) in runs {
        if voiced < min_voiced {
            continue;
        }
        let start = (first * FRAME).saturating_sub(pad);
        let end = (last * FRAME + pad).min(audio.len());
        match out.last_mut() {
            Some(prev) if start <= prev.end => prev.end = prev.end.max(end),
            _ => out.push(Span { start, end }),
        }
    }
    out
}

/// Packs voiced regions into windows of at most [`MAX_WINDOW_S`], splitting over-long regions
/// at their quietest frame.
pub fn plan_windows(audio: &[f32], regions: &[Span], o: &VadOptions) -> Vec<Window> {
    let max = (MAX_WINDOW_S * SAMPLE_RATE as f64) as usize;
    let kept_gap = (o.kept_gap_s * SAMPLE_RATE as f64) as usize;
    let max_kept_gap = (o.max_kept_gap_s * SAMPLE_RATE as f64) as usize;

    // Split regions longer than a window at low-energy points.
    let mut pieces: Vec<Span> = Vec::new();
    for r in regions {
        let mut start = r.start;
        while r.end - start > max {
            let cut = quietest_point(audio, start + max / 2, start + max - FRAME);
            pieces.push(Span { start, end: cut });
            start = cut;
        }
        pieces.push(Span { start, end: r.end });
    }

    let mut windows: Vec<Window> = Vec::new();
    let mut cur: Option<Window> = None;
    let mut last_end = 0usize;
    for p in pieces {
        let n = p.end - p.start;
        if let Some(w) = cur.as_mut() {
            let gap = p.start - last_end;
            let (gap_len, joined) = if gap <= max_kept_gap {
                (gap, true)
            } else {
                (kept_gap, false)
            };
            if w.len + gap_len + n <= max {
                if joined {
                    // Keep the real (short) silence: extend the last piece.
                    let lp = w.pieces.last_mut().expect("non-empty window");
                    lp.orig.end = p.end;
                    w.len += gap + n;
                } else {
                    w.pieces.push(Piece {
                        orig: p,
                        window_start: w.len + gap_len,
                    });
                    w.len += gap_len + n;
                }
                last_end = p.end;
                continue;
            }
            windows.push(cur.take().expect("checked"));
        }
        cur = Some(Window {
            pieces: vec![Piece {
                orig: p,
                window_start: 0,
            }],
            len: n,
        });
        last_end = p.end;
    }
    windows.extend(cur);
    windows
}

/// Sample index of the quietest 30 ms frame in [from, to) (where to cut speech with the least
/// risk of splitting a word).
pub fn quietest_point(audio: &[f32], from: usize, to: usize) -> usize {
    let mut best = (f32::MAX, to);
    let mut s = from;
    while s + FRAME <= to.min(audio.len()) {
        let e: f32 = audio[s..s + FRAME].iter().map(|x| x * x).sum();
        if e < best.0 {
            best = (e, s + FRAME / 2);
        }
        s += FRAME / 2;
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f64, amp: f32) -> Vec<f32> {
        let n = (seconds * 16_000.0) as usize;
        (0..n)
            .map(|i| (i as f32 * 0.07).sin() * amp * (1.0 + 0.3 * (i as f32 * 0.001).sin()))
            .collect()
    }

    #[test]
    fn silence_has_no_regions() {
        let o = VadOptions::default();
        assert!(voiced_regions(&vec![0.0; 16_000 * 5], &o).is_empty());
        // Faint hiss (-70 dBFS) is silence too.
        let hiss: Vec<f32> = (0..80_000)
            .map(|i| ((i * 7919) % 200) as f32 * 1e-6 - 1e-4)
            .collect();
        assert!(voiced_regions(&hiss, &o).is_empty());
    }

    #[test]
    fn finds_speech_and_cuts_long_silence() {
        let mut a = vec![0.0; 16_000 * 3];
        a.extend(tone(2.0, 0.3));
        a.extend(vec![0.0; 16_000 * 10]);
        a.extend(tone(1.0, 0.3));
        let o = VadOptions::default();
        let r = voiced_regions(&a, &o);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!((r[0].start as f64 / 16_000.0 - 2.75).abs() < 0.05);
        let w = plan_windows(&a, &r, &o);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].pieces.len(), 2);
        // 2.5 s + 0.5 s pause + 1.25 s (the last pad is clipped at the end of the audio)
        assert!(
            (w[0].len as f64 / 16_000.0 - 4.25).abs() < 0.05,
            "{}",
            w[0].len
        );
        // A time in the second piece maps back past the 10 s silence.
        let t = w[0].to_original(3.5, false);
        assert!((t - 15.25).abs() < 0.05, "{t}");
        // A time inside the pause snaps to the neighbouring piece.
        assert!((w[0].to_original(2.7, true) - 5.25).abs() < 0.05);
        assert!((w[0].to_original(2.7, false) - 14.75).abs() < 0.05);
    }

    #[test]
    fn voice_map_measures_voiced_time() {
        let mut a = tone(2.0, 0.3);
        a.extend(vec![0.0; 16_000 * 3]);
        a.extend(tone(1.0, 0.3));
        let m = VoiceMap::new(&a, voiced_threshold(&a, &VadOptions::default()));
        assert!((m.voiced_seconds(0.0, 6.0) - 3.0).abs() < 0.1);
        assert!(m.voiced_seconds(2.1, 4.9) < 0.05);
        // One voiced second after t=1.5 is 0.5 s of the first tone, the silence, then 0.5 s.
        assert!((m.after_voiced(1.5, 1.0) - 5.5).abs() < 0.1);
        assert!((m.after_voiced(0.0, 10.0) - m.duration()).abs() < 1e-9);
    }

    #[test]
    fn long_speech_is_split_into_windows() {
        let a = tone(75.0, 0.3);
        let o = VadOptions::default();
        let r = voiced_regions(&a, &o);
        let w = plan_windows(&a, &r, &o);
        assert!(w.len() >= 3);
        for win in &w {
            assert!(win.len as f64 / 16_000.0 <= MAX_WINDOW_S + 1e-9);
        }
        let covered: f64 = w.iter().map(|w| w.original_seconds()).sum();
        assert!((covered - 75.0).abs() < 0.1);
    }
}
