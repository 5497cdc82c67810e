//! Kaldi-style log mel filterbank features, as CAM++ was trained on (`torchaudio.compliance.
//! kaldi.fbank` defaults): 25 ms frames every 10 ms (`snip_edges`), DC offset removed,
//! pre-emphasis 0.97, Povey window, 512-point FFT power spectrum, 80 triangular mel bins from
//! 20 Hz to the Nyquist frequency, natural log floored at `f32::EPSILON`, no dither. Samples
//! are in [-1, 1]. [`Fbank::compute`] also subtracts the per-utterance mean of each bin.
//!
//! The FFT runs in `realfft` and the mel projection as one matrix product in candle, so the
//! per-sample loops here stay short (the main crate builds unoptimized in debug builds).

use std::sync::Arc;

use candle_core::{Device, Tensor};
use realfft::{RealFftPlanner, RealToComplex};

use crate::audio::SAMPLE_RATE;

/// Mel bins per frame.
pub const NUM_BINS: usize = 80;
/// Samples per frame (25 ms).
pub const FRAME_LEN: usize = 400;
/// Samples between frames (10 ms).
pub const FRAME_SHIFT: usize = 160;
const FFT_LEN: usize = 512;
const PREEMPH: f32 = 0.97;
const LOW_FREQ: f64 = 20.0;

/// Frames Kaldi makes of `samples` samples (`snip_edges`: only whole frames).
pub fn num_frames(samples: usize) -> usize {
    if samples < FRAME_LEN {
        0
    } else {
        1 + (samples - FRAME_LEN) / FRAME_SHIFT
    }
}

/// A reusable feature extractor (FFT plan, window and mel matrix).
pub struct Fbank {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// (FFT_LEN / 2 + 1, NUM_BINS): the mel filters, one column per bin.
    mel: Tensor,
}

impl std::fmt::Debug for Fbank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fbank").finish_non_exhaustive()
    }
}

fn mel_scale(hz: f64) -> f64 {
    1127.0 * (1.0 + hz / 700.0).ln()
}

/// Kaldi's triangular mel filters over the FFT bins (the Nyquist bin gets no weight), as a
/// row-major (FFT_LEN / 2 + 1) × NUM_BINS matrix.
fn mel_matrix() -> Vec<f32> {
    let bins = FFT_LEN / 2 + 1;
    let mut m = vec![0f32; bins * NUM_BINS];
    let nyquist = SAMPLE_RATE as f64 / 2.0;
    let bin_hz = SAMPLE_RATE as f64 / FFT_LEN as f64;
    let (lo, hi) = (mel_scale(LOW_FREQ), mel_scale(nyquist));
    let delta = (hi - lo) / (NUM_BINS + 1) as f64;
    for b in 0..NUM_BINS {
        let left = lo + b as f64 * delta;
        let center = left + delta;
        let right = center + delta;
        for i in 0..FFT_LEN / 2 {
            let mel = mel_scale(i as f64 * bin_hz);
            if mel > left && mel < right {
                let w = if mel <= center {
                    (mel - left) / (center - left)
                } else {
                    (right - mel) / (right - center)
                };
                m[i * NUM_BINS + b] = w as f32;
            }
        }
    }
    m
}

impl Fbank {
    /// A new extractor.
    pub fn new() -> Fbank {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FFT_LEN);
        let a = 2.0 * std::f64::consts::PI / (FRAME_LEN - 1) as f64;
        let window = (0..FRAME_LEN)
            .map(|i| (0.5 - 0.5 * (a * i as f64).cos()).powf(0.85) as f32)
            .collect();
        let mel = Tensor::from_vec(mel_matrix(), (FFT_LEN / 2 + 1, NUM_BINS), &Device::Cpu)
            .expect("the mel matrix has the shape it is given");
        Fbank { fft, window, mel }
    }

    /// Power spectra of every frame of `samples`, row-major (frames × 257).
    fn power_spectra(&self, samples: &[f32]) -> Vec<f32> {
        let n = num_frames(samples.len());
        let bins = FFT_LEN / 2 + 1;
        let mut out = vec![0f32; n * bins];
        let mut input = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        for (f, row) in out.chunks_exact_mut(bins).enumerate() {
            let frame = &samples[f * FRAME_SHIFT..f * FRAME_SHIFT + FRAME_LEN];
            let mean = frame.iter().sum::<f32>() / FRAME_LEN as f32;
            // DC removal, pre-emphasis (first sample against itself) and window in one pass.
            let mut prev = frame[0] - mean;
            for (i, (&x, &w)) in frame.iter().zip(&self.window).enumerate() {
                let cur = x - mean;
                input[i] = (cur - PREEMPH * prev) * w;
                prev = cur;
            }
            input[FRAME_LEN..].fill(0.0);
            if self
                .fft
                .process_with_scratch(&mut input, &mut spectrum, &mut scratch)
                .is_err()
            {
                // Only possible with wrong buffer lengths, which the plan made itself.
                continue;
            }
            for (o, c) in row.iter_mut().zip(&spectrum) {
                *o = c.re * c.re + c.im * c.im;
            }
        }
        out
    }

    /// Log mel features of `samples` (16 kHz, [-1, 1]) as a (frames, 80) tensor, each bin's
    /// mean over the frames subtracted. `None` when the audio is shorter than one frame.
    pub fn compute(&self, samples: &[f32]) -> candle_core::Result<Option<Tensor>> {
        let n = num_frames(samples.len());
        if n == 0 {
            return Ok(None);
        }
        let power = Tensor::from_vec(
            self.power_spectra(samples),
            (n, FFT_LEN / 2 + 1),
            &Device::Cpu,
        )?;
        let logmel = power
            .matmul(&self.mel)?
            .maximum(f32::EPSILON as f64)?
            .log()?;
        let mean = logmel.mean_keepdim(0)?;
        Ok(Some(logmel.broadcast_sub(&mean)?))
    }
}

impl Default for Fbank {
    fn default() -> Self {
        Fbank::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_count_snips_edges() {
        assert_eq!(num_frames(0), 0);
        assert_eq!(num_frames(399), 0);
        assert_eq!(num_frames(400), 1);
        assert_eq!(num_frames(559), 1);
        assert_eq!(num_frames(560), 2);
        assert_eq!(num_frames(16000), 98);
    }

    #[test]
    fn mel_filters_cover_the_band() {
        let m = mel_matrix();
        for b in 0..NUM_BINS {
            let sum: f32 = (0..FFT_LEN / 2 + 1).map(|i| m[i * NUM_BINS + b]).sum();
            assert!(sum > 0.0, "bin {b} is empty");
        }
        // Nothing below 20 Hz (bin 0 = DC) and nothing at Nyquist.
        assert!((0..NUM_BINS).all(|b| m[b] == 0.0));
        assert!((0..NUM_BINS).all(|b| m[(FFT_LEN / 2) * NUM_BINS + b] == 0.0));
    }

    #[test]
    fn a_tone_peaks_in_its_bin() {
        let fb = Fbank::new();
        let tone = |hz: f32| -> Vec<f32> {
            (0..16000)
                .map(|i| 0.5 * (2.0 * std::f32::consts::PI * hz * i as f32 / 16000.0).sin())
                .collect()
        };
        let peak = |hz: f32| -> usize {
            // Without the mean subtraction: the raw log energies.
            let p = fb.power_spectra(&tone(hz));
            let power = Tensor::from_vec(p, (98, 257), &Device::Cpu).unwrap();
            let e = power.matmul(&fb.mel).unwrap().mean(0).unwrap();
            let v: Vec<f32> = e.to_vec1().unwrap();
            (0..NUM_BINS)
                .max_by(|&a, &b| v[a].total_cmp(&v[b]))
                .unwrap()
        };
        let (low, high) = (peak(300.0), peak(3000.0));
        assert!(low < high, "300 Hz in bin {low}, 3 kHz in bin {high}");
        let f = fb.compute(&tone(1000.0)).unwrap().unwrap();
        assert_eq!(f.dims(), &[98, NUM_BINS]);
        let mean: f32 = f.mean_all().unwrap().to_scalar().unwrap();
        assert!(mean.abs() < 1e-3, "features are mean-normalised: {mean}");
        assert!(fb.compute(&[0.0; 300]).unwrap().is_none());
    }
}
