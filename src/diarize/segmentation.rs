//! Overlapped speech: pyannote segmentation-3.0 (`PyanNet`) on the CPU, used to mark where two
//! people speak at once.
//!
//! Read from the Lightning checkpoint (`pytorch_model.bin`, the weights under `state_dict`).
//! The network, on 16 kHz audio in chunks of [`CHUNK_S`] seconds around each speaker change:
//!
//! * SincNet: instance norm of the waveform; 80 parametrised band-pass filters of 251 taps
//!   (asteroid's `ParamSincFB`: 40 cosine and 40 sine filters from learned low and band
//!   frequencies) every 10 samples, absolute value; then two convolutions of 60 channels and
//!   5 taps; each stage max-pooled by 3, instance-normed and leaky-ReLU'd;
//! * four bidirectional LSTM layers of 128 units;
//! * two dense layers of 128 with leaky ReLU and a classifier of 7 powerset classes (nobody,
//!   each of 3 local speakers alone, each pair of them) as log-probabilities, one frame every
//!   270 samples (about 17 ms).
//!
//! A frame is overlapped speech when the pair classes are at least [`PAIR_P`] probable.
//! SincNet runs in [`noted_kernels::sincnet`] (each convolution one strided matrix product,
//! channels last). The LSTM runs on batches of chunks, with the input projections of every
//! step computed before the recurrence ([`noted_kernels::lstm`]: one matrix product per step
//! and direction for the batch, the gates in one pass); the dense layers in candle.

use std::path::Path;

use candle_core::{DType, Device, Tensor, D};
use noted_kernels::{lstm, sincnet};

type Result<T> = candle_core::Result<T>;

/// Seconds of audio looked at around each speaker change (half before, half after). On the
/// real clips of `tests/diarize.rs` (4.8 s of reference overlap): 4 s found 1.4 s of it in
/// 1.9 s marked; 5 s 1.7 in 2.4; 6 s 2.0 in 2.6 (what 10-s chunks end to end over every
/// stretch of two voices found, 2.0 in 2.5); 8 s 2.5 in 3.2; 10 s 2.0 in 2.9.
pub const CHUNK_S: f64 = 6.0;
/// A change this close to the inside of the last chunk (seconds from its edges) is looked at
/// in that chunk.
const MARGIN_S: f64 = 1.0;
/// Samples per second the model reads.
const RATE: usize = 16_000;
/// Samples between output frames (stride 10, then three max-pools of 3, with the valid
/// convolutions' edges: 589 frames for 160,000 samples).
pub const FRAME_STEP: usize = 270;
/// Samples of receptive field of one frame.
pub const FRAME_SPAN: usize = 991;
const HIDDEN: usize = 128;
const LAYERS: usize = 4;
const SLOPE: f64 = 0.01;
const MIN_LOW_HZ: f64 = 50.0;
const MIN_BAND_HZ: f64 = 50.0;

/// Chunks run through the LSTM at once.
const LSTM_BATCH: usize = 32;
/// Powerset classes that hold two speakers.
const PAIRS: [usize; 3] = [4, 5, 6];
/// Probability of the pair classes from which a frame is overlapped speech. On the real
/// clips of `tests/diarize.rs` (4.8 s of reference overlap in 120 s), every 10-s chunk run: 0.5
/// (the most probable class a pair) found 1.7 s in 2.0 s marked; 0.4 2.0 s in 2.6 s; 0.3
/// 2.4 s in 3.6 s.
const PAIR_P: f32 = 0.4;

/// One bidirectional LSTM layer: per direction (forward, backward) the input weights, the two
/// biases summed and the recurrent weights transposed, (128, 512) row-major. PyTorch's gate
/// order: i, f, g, o.
struct Layer {
    w_ih_t: [Vec<f32>; 2],
    bias: [Vec<f32>; 2],
    w_hh_t: [Vec<f32>; 2],
}

/// pyannote segmentation-3.0.
pub struct Segmentation {
    wav_norm: (f32, f32),
    /// The 80 sinc filters as `251 × 80` (tap-major), for [`sincnet::Conv1d`].
    sinc: Vec<f32>,
    /// The two convolutions after it, weights as `(5 · cin) × 60`, and biases.
    convs: [(Vec<f32>, Vec<f32>); 2],
    /// The instance norms' affine maps after each stage.
    norms: [(Vec<f32>, Vec<f32>); 3],
    lstm: Vec<Layer>,
    linear: [(Tensor, Tensor); 2],
    classifier: (Tensor, Tensor),
}

impl std::fmt::Debug for Segmentation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmentation").finish_non_exhaustive()
    }
}

impl Segmentation {
    /// Loads the checkpoint. Fails (never panics) on a missing, truncated or foreign file.
    pub fn load(path: &Path) -> Result<Segmentation> {
        let pth = candle_core::pickle::PthTensors::new(path, Some("state_dict"))?;
        let get = |name: &str, shape: &[usize]| -> Result<Tensor> {
            let t = match pth.get(name)? {
                Some(t) => t.to_dtype(DType::F32)?,
                None => candle_core::bail!("tensor `{name}` is missing from the checkpoint"),
            };
            if t.dims() != shape {
                candle_core::bail!(
                    "tensor `{name}` has shape {:?}, expected {shape:?}",
                    t.dims()
                );
            }
            Ok(t)
        };
        let scalar =
            |name: &str| -> Result<f32> { get(name, &[1])?.to_vec1::<f32>().map(|v| v[0]) };
        let sinc = sinc_filters(
            &get("sincnet.conv1d.0.filterbank.low_hz_", &[40, 1])?,
            &get("sincnet.conv1d.0.filterbank.band_hz_", &[40, 1])?,
            &get("sincnet.conv1d.0.filterbank.window_", &[125])?,
            &get("sincnet.conv1d.0.filterbank.n_", &[1, 125])?,
        )?;
        // (cout, cin, taps) as PyTorch keeps them → (taps · cin) × cout
        let tap_major = |w: &Tensor| -> Result<Vec<f32>> {
            let (cout, cin, taps) = w.dims3()?;
            w.permute((2, 1, 0))?
                .contiguous()?
                .reshape(taps * cin * cout)?
                .to_vec1::<f32>()
        };
        let sinc = tap_major(&sinc)?;
        let conv = |i: usize, cin: usize| -> Result<(Vec<f32>, Vec<f32>)> {
            Ok((
                tap_major(&get(&format!("sincnet.conv1d.{i}.weight"), &[60, cin, 5])?)?,
                get(&format!("sincnet.conv1d.{i}.bias"), &[60])?.to_vec1::<f32>()?,
            ))
        };
        let norm = |i: usize, c: usize| -> Result<(Vec<f32>, Vec<f32>)> {
            Ok((
                get(&format!("sincnet.norm1d.{i}.weight"), &[c])?.to_vec1::<f32>()?,
                get(&format!("sincnet.norm1d.{i}.bias"), &[c])?.to_vec1::<f32>()?,
            ))
        };
        let mut lstm = Vec::with_capacity(LAYERS);
        for l in 0..LAYERS {
            let input = if l == 0 { 60 } else { 2 * HIDDEN };
            let dir = |suffix: &str| -> Result<(Vec<f32>, Vec<f32>, Vec<f32>)> {
                let w_ih = get(
                    &format!("lstm.weight_ih_l{l}{suffix}"),
                    &[4 * HIDDEN, input],
                )?;
                let w_hh = get(
                    &format!("lstm.weight_hh_l{l}{suffix}"),
                    &[4 * HIDDEN, HIDDEN],
                )?;
                let b = (get(&format!("lstm.bias_ih_l{l}{suffix}"), &[4 * HIDDEN])?
                    + get(&format!("lstm.bias_hh_l{l}{suffix}"), &[4 * HIDDEN])?)?;
                let flat_t = |w: &Tensor| w.t()?.contiguous()?.flatten_all()?.to_vec1::<f32>();
                Ok((flat_t(&w_ih)?, flat_t(&w_hh)?, b.to_vec1::<f32>()?))
            };
            let (f, b) = (dir("")?, dir("_reverse")?);
            lstm.push(Layer {
                w_hh_t: [f.1, b.1],
                w_ih_t: [f.0, b.0],
                bias: [f.2, b.2],
            });
        }
        let dense = |name: &str, out: usize, inp: usize| -> Result<(Tensor, Tensor)> {
            Ok((
                get(&format!("{name}.weight"), &[out, inp])?
                    .t()?
                    .contiguous()?,
                get(&format!("{name}.bias"), &[out])?,
            ))
        };
        Ok(Segmentation {
            wav_norm: (
                scalar("sincnet.wav_norm1d.weight")?,
                scalar("sincnet.wav_norm1d.bias")?,
            ),
            sinc,
            convs: [conv(1, 80)?, conv(2, 60)?],
            norms: [norm(0, 80)?, norm(1, 60)?, norm(2, 60)?],
            lstm,
            linear: [
                dense("linear.0", HIDDEN, 2 * HIDDEN)?,
                dense("linear.1", HIDDEN, HIDDEN)?,
            ],
            classifier: dense("classifier", 7, HIDDEN)?,
        })
    }

    /// Log-probabilities of the 7 powerset classes, (chunks, frames, 7), for a batch of chunks
    /// of equal length (at least [`FRAME_SPAN`] samples each).
    pub fn forward(&self, chunks: &[&[f32]]) -> Result<Tensor> {
        self.classify(&self.features(chunks)?)
    }

    /// SincNet's output for a batch of chunks of equal length: (chunks, frames, 60).
    fn features(&self, chunks: &[&[f32]]) -> Result<Tensor> {
        let len = chunks.first().map_or(0, |c| c.len());
        if len < FRAME_SPAN || chunks.iter().any(|c| c.len() != len) {
            candle_core::bail!("chunks must be of one length of at least {FRAME_SPAN} samples");
        }
        let sinc = sincnet::Conv1d {
            w: &self.sinc,
            bias: None,
            taps: 251,
            stride: 10,
            cin: 1,
            cout: 80,
        };
        let mut all = Vec::new();
        let mut frames = 0;
        for chunk in chunks {
            let mut x = chunk.to_vec();
            sincnet::normalize_waveform(&mut x, self.wav_norm.0, self.wav_norm.1);
            let n = sinc.out_frames(len);
            let (w, b) = &self.norms[0];
            let mut x = sincnet::pool_norm_leaky(&sinc.apply(&x, len), n, 80, true, w, b);
            frames = n / 3;
            for (i, (w, b)) in self.convs.iter().enumerate() {
                let conv = sincnet::Conv1d {
                    w,
                    bias: Some(b),
                    taps: 5,
                    stride: 1,
                    cin: if i == 0 { 80 } else { 60 },
                    cout: 60,
                };
                let n = conv.out_frames(frames);
                let (nw, nb) = &self.norms[i + 1];
                x = sincnet::pool_norm_leaky(&conv.apply(&x, frames), n, 60, false, nw, nb);
                frames = n / 3;
            }
            all.extend(x);
        }
        // (batch, frames, features)
        Tensor::from_vec(all, (chunks.len(), frames, 60), &Device::Cpu)
    }

    /// The LSTM, dense layers and classifier over SincNet's features: log-probabilities of
    /// the 7 classes, (chunks, frames, 7).
    fn classify(&self, features: &Tensor) -> Result<Tensor> {
        // time-major through the LSTM
        let mut x = features.transpose(0, 1)?.contiguous()?;
        for layer in &self.lstm {
            x = run_layer(&x, layer)?;
        }
        let mut x = x.transpose(0, 1)?.contiguous()?;
        for (w, b) in &self.linear {
            x = leaky(&x.broadcast_matmul(w)?.broadcast_add(b)?)?;
        }
        let logits = x
            .broadcast_matmul(&self.classifier.0)?
            .broadcast_add(&self.classifier.1)?;
        candle_nn::ops::log_softmax(&logits, D::Minus1)
    }

    /// The stretches of a recording where two people speak at once, (start, end) in seconds:
    /// frames where the pair classes are at least [`PAIR_P`] probable, joined where they
    /// touch. Looked for in chunks of [`CHUNK_S`] centred on the times in `around` (the
    /// speaker changes, in time order; a change well inside the last chunk is not looked at
    /// again). A recording too short for one frame has none.
    pub fn overlaps(&self, samples: &[f32], around: &[f64]) -> Result<Vec<(f64, f64)>> {
        let chunk = (CHUNK_S * RATE as f64) as usize;
        if samples.len() < FRAME_SPAN {
            return Ok(Vec::new());
        }
        let width = chunk.min(samples.len());
        let margin = (MARGIN_S * RATE as f64) as usize;
        let mut starts: Vec<usize> = Vec::new();
        for &t in around {
            let at = (t.max(0.0) * RATE as f64) as usize;
            if starts
                .last()
                .is_some_and(|&s| at >= s + margin && at + margin <= s + width)
            {
                continue;
            }
            let s = at.saturating_sub(width / 2).min(samples.len() - width);
            if starts.last() != Some(&s) {
                starts.push(s);
            }
        }
        // probability of two speakers at once, per frame of each chunk (the LSTM, a matrix
        // product per step, is cheaper per chunk the more chunks it runs at once)
        let mut pair: Vec<Vec<f32>> = Vec::with_capacity(starts.len());
        for group in starts.chunks(LSTM_BATCH) {
            let refs: Vec<&[f32]> = group.iter().map(|&s| &samples[s..s + width]).collect();
            pair.extend(
                self.classify(&self.features(&refs)?)?
                    .exp()?
                    .narrow(D::Minus1, PAIRS[0], PAIRS.len())?
                    .sum(D::Minus1)?
                    .to_vec2::<f32>()?,
            );
        }
        // the overlapped frames on the recording's own frame grid (a frame of any chunk that
        // covers it)
        let mut overlapped = vec![false; frames_for(samples.len()).max(1)];
        for (&s, row) in starts.iter().zip(&pair) {
            for (k, p) in row.iter().enumerate() {
                let g = ((s + k * FRAME_STEP) as f64 / FRAME_STEP as f64).round() as usize;
                if let Some(o) = overlapped.get_mut(g) {
                    *o |= *p >= PAIR_P;
                }
            }
        }
        let step = FRAME_STEP as f64 / RATE as f64;
        let mut spans: Vec<(f64, f64)> = Vec::new();
        for (g, _) in overlapped.iter().enumerate().filter(|(_, o)| **o) {
            // a frame stands for the step around its centre
            let centre = (g * FRAME_STEP + FRAME_SPAN / 2) as f64 / RATE as f64;
            let (start, end) = (centre - step / 2.0, centre + step / 2.0);
            match spans.last_mut() {
                Some(last) if start <= last.1 + 1e-6 => last.1 = end,
                _ => spans.push((start, end)),
            }
        }
        Ok(spans)
    }
}

/// Output frames for `len` samples (the valid convolutions and pools of SincNet).
pub fn frames_for(len: usize) -> usize {
    if len < 251 {
        return 0;
    }
    let a = (len - 251) / 10 + 1;
    let p1 = a / 3;
    let p2 = p1.saturating_sub(4) / 3;
    p2.saturating_sub(4) / 3
}

/// The 80 SincNet filters (40 cosine, then 40 sine), (80, 1, 251), as asteroid's
/// `ParamSincFB.filters()` computes them from the learned frequencies.
fn sinc_filters(low_hz: &Tensor, band_hz: &Tensor, window: &Tensor, n: &Tensor) -> Result<Tensor> {
    let low_hz = low_hz.flatten_all()?.to_vec1::<f32>()?;
    let band_hz = band_hz.flatten_all()?.to_vec1::<f32>()?;
    let window = window.to_vec1::<f32>()?;
    let n = n.flatten_all()?.to_vec1::<f32>()?;
    let half = n.len();
    let kernel = 2 * half + 1;
    let mut cos_rows = Vec::with_capacity(low_hz.len() * kernel);
    let mut sin_rows = Vec::with_capacity(low_hz.len() * kernel);
    for (l, b) in low_hz.iter().zip(&band_hz) {
        let low = MIN_LOW_HZ + l.abs() as f64;
        let high = (low + MIN_BAND_HZ + b.abs() as f64).clamp(MIN_LOW_HZ, RATE as f64 / 2.0);
        let band = high - low;
        let left_cos: Vec<f64> = (0..half)
            .map(|k| {
                let nk = n[k] as f64;
                ((nk * high).sin() - (nk * low).sin()) / (nk / 2.0) * window[k] as f64
            })
            .collect();
        let left_sin: Vec<f64> = (0..half)
            .map(|k| {
                let nk = n[k] as f64;
                ((nk * low).cos() - (nk * high).cos()) / (nk / 2.0) * window[k] as f64
            })
            .collect();
        let scale = 2.0 * band;
        cos_rows.extend(left_cos.iter().map(|v| (v / scale) as f32));
        cos_rows.push((2.0 * band / scale) as f32);
        cos_rows.extend(left_cos.iter().rev().map(|v| (v / scale) as f32));
        sin_rows.extend(left_sin.iter().map(|v| (v / scale) as f32));
        sin_rows.push(0.0);
        sin_rows.extend(left_sin.iter().rev().map(|v| (-v / scale) as f32));
    }
    cos_rows.extend(sin_rows);
    Tensor::from_vec(cos_rows, (2 * low_hz.len(), 1, kernel), &Device::Cpu)
}

fn leaky(x: &Tensor) -> Result<Tensor> {
    // max(x, 0.01 x) is leaky ReLU for a slope under 1
    x.maximum(&(x * SLOPE)?)
}

/// One bidirectional LSTM layer over time-major input (frames, batch, features): the hidden
/// states of both directions, (frames, batch, 256), the backward one reading time from the end.
fn run_layer(x: &Tensor, l: &Layer) -> Result<Tensor> {
    let (t, b, n) = x.dims3()?;
    // every step's input projection at once (one product over all frames, a convolution of
    // one tap), (frames, batch, 512) per direction
    let flat = x.flatten_all()?.to_vec1::<f32>()?;
    let project = |d: usize| {
        sincnet::Conv1d {
            w: &l.w_ih_t[d],
            bias: Some(&l.bias[d]),
            taps: 1,
            stride: 1,
            cin: n,
            cout: 4 * HIDDEN,
        }
        .apply(&flat, t * b)
    };
    let (fwd, bwd) = (project(0), project(1));
    let dirs = [
        lstm::Direction {
            proj: &fwd,
            w_hh_t: &l.w_hh_t[0],
        },
        lstm::Direction {
            proj: &bwd,
            w_hh_t: &l.w_hh_t[1],
        },
    ];
    let out = lstm::bidirectional(dirs, t, b, HIDDEN);
    Tensor::from_vec(out, (t, b, 2 * HIDDEN), &Device::Cpu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_foreign_checkpoint_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nothing.bin");
        assert!(Segmentation::load(&missing).is_err());
        let junk = dir.path().join("junk.bin");
        std::fs::write(&junk, b"not a checkpoint").unwrap();
        assert!(Segmentation::load(&junk).is_err());
    }

    #[test]
    fn frames_follow_the_receptive_field() {
        // 160,000 samples give pyannote's 589 frames; one frame needs FRAME_SPAN samples
        assert_eq!(frames_for(160_000), 589);
        assert_eq!(frames_for(FRAME_SPAN), 1);
        assert_eq!(frames_for(FRAME_SPAN - 1), 0);
    }
}
