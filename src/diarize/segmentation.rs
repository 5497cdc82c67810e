//! Overlapped speech: pyannote segmentation-3.0 (`PyanNet`) in candle, for inference on the
//! CPU, used to mark where two people speak at once.
//!
//! Read from the Lightning checkpoint (`pytorch_model.bin`, the weights under `state_dict`).
//! The network, on 16 kHz audio in chunks of up to [`CHUNK_S`] seconds:
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
//! A frame is overlapped speech when the pair classes are at least [`PAIR_P`] probable. The
//! LSTM runs on batches of chunks (one matrix product per step for the batch and both
//! directions), with the input projections of every step computed before the recurrence.

use std::path::Path;

use candle_core::{DType, Device, IndexOp, Tensor, D};

type Result<T> = candle_core::Result<T>;

/// Longest chunk the model was trained on, seconds.
pub const CHUNK_S: f64 = 10.0;
/// Samples per second the model reads.
const RATE: usize = 16_000;
/// Samples between output frames (stride 10, then three max-pools of 3, with the valid
/// convolutions' edges: 589 frames for 160,000 samples).
pub const FRAME_STEP: usize = 270;
/// Samples of receptive field of one frame.
pub const FRAME_SPAN: usize = 991;
const HIDDEN: usize = 128;
const LAYERS: usize = 4;
const EPS: f64 = 1e-5;
const SLOPE: f64 = 0.01;
const MIN_LOW_HZ: f64 = 50.0;
const MIN_BAND_HZ: f64 = 50.0;

/// Chunks run through SincNet at once, and through the LSTM.
const SINC_BATCH: usize = 4;
const LSTM_BATCH: usize = 32;
/// Powerset classes that hold two speakers.
const PAIRS: [usize; 3] = [4, 5, 6];
/// Probability of the pair classes from which a frame is overlapped speech. On the real
/// clips of `tests/diarize.rs` (4.8 s of reference overlap in 120 s), every chunk run: 0.5
/// (the most probable class a pair) found 1.7 s in 2.0 s marked; 0.4 2.0 s in 2.6 s; 0.3
/// 2.4 s in 3.6 s.
const PAIR_P: f32 = 0.4;

/// One bidirectional LSTM layer: per direction (forward, backward) the input weights and the
/// two biases summed; the recurrent weights of both stacked, (2, 128, 512). PyTorch's gate
/// order: i, f, g, o.
struct Layer {
    w_ih_t: [Tensor; 2],
    bias: [Tensor; 2],
    w_hh_t: Tensor,
}

/// pyannote segmentation-3.0.
pub struct Segmentation {
    wav_norm: (f32, f32),
    sinc: Tensor,
    convs: [(Tensor, Tensor); 2],
    norms: [(Tensor, Tensor); 3],
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
        let conv = |i: usize, cin: usize| -> Result<(Tensor, Tensor)> {
            Ok((
                get(&format!("sincnet.conv1d.{i}.weight"), &[60, cin, 5])?,
                get(&format!("sincnet.conv1d.{i}.bias"), &[60])?,
            ))
        };
        let norm = |i: usize, c: usize| -> Result<(Tensor, Tensor)> {
            Ok((
                get(&format!("sincnet.norm1d.{i}.weight"), &[c])?,
                get(&format!("sincnet.norm1d.{i}.bias"), &[c])?,
            ))
        };
        let mut lstm = Vec::with_capacity(LAYERS);
        for l in 0..LAYERS {
            let input = if l == 0 { 60 } else { 2 * HIDDEN };
            let dir = |suffix: &str| -> Result<(Tensor, Tensor, Tensor)> {
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
                Ok((w_ih.t()?.contiguous()?, w_hh.t()?.contiguous()?, b))
            };
            let (f, b) = (dir("")?, dir("_reverse")?);
            lstm.push(Layer {
                w_hh_t: Tensor::stack(&[f.1, b.1], 0)?,
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
        let flat: Vec<f32> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        let x = Tensor::from_vec(flat, (chunks.len(), 1, len), &Device::Cpu)?;
        // SincNet
        let x = instance_norm(&x, None)?;
        let x = ((x * self.wav_norm.0 as f64)? + self.wav_norm.1 as f64)?;
        let x = x.conv1d(&self.sinc, 0, 10, 1, 1)?.abs()?;
        let mut x = leaky(&instance_norm(&max_pool3(&x)?, Some(&self.norms[0]))?)?;
        for (i, (w, b)) in self.convs.iter().enumerate() {
            let y = x
                .conv1d(w, 0, 1, 1, 1)?
                .broadcast_add(&b.reshape((1, 60, 1))?)?;
            x = leaky(&instance_norm(&max_pool3(&y)?, Some(&self.norms[i + 1]))?)?;
        }
        // (batch, frames, features)
        x.transpose(1, 2)?.contiguous()
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
    /// touch. The recording is cut into chunks of [`CHUNK_S`] (the last padded with
    /// silence); only the chunks `wanted(start_s, end_s)` accepts are run. A recording too
    /// short for one frame has none.
    pub fn overlaps(
        &self,
        samples: &[f32],
        wanted: &dyn Fn(f64, f64) -> bool,
    ) -> Result<Vec<(f64, f64)>> {
        let chunk = (CHUNK_S * RATE as f64) as usize;
        if samples.len() < FRAME_SPAN {
            return Ok(Vec::new());
        }
        // chunks end to end (chunks overlapping by half, averaged, found no more on the real
        // clips of tests/diarize.rs at twice the cost), the last one reaching the end
        let mut starts = vec![0usize];
        while starts[starts.len() - 1] + chunk < samples.len() {
            starts.push(starts[starts.len() - 1] + chunk);
        }
        starts.retain(|&s| {
            let end = (s + chunk).min(samples.len());
            wanted(s as f64 / RATE as f64, end as f64 / RATE as f64)
        });
        let width = chunk.min(samples.len());
        // probability of two speakers at once, per frame of each chunk (SincNet's first
        // convolution gives 5 MB a chunk: a few chunks at a time; the LSTM, a matrix product
        // per step, is cheaper per chunk the more chunks it runs at once)
        let mut pair: Vec<Vec<f32>> = Vec::with_capacity(starts.len());
        for group in starts.chunks(LSTM_BATCH) {
            let mut feats = Vec::with_capacity(group.len());
            for batch in group.chunks(SINC_BATCH) {
                let padded: Vec<Vec<f32>> = batch
                    .iter()
                    .map(|&s| {
                        let mut c = samples[s..(s + chunk).min(samples.len())].to_vec();
                        c.resize(width, 0.0);
                        c
                    })
                    .collect();
                let refs: Vec<&[f32]> = padded.iter().map(Vec::as_slice).collect();
                feats.push(self.features(&refs)?);
            }
            pair.extend(
                self.classify(&Tensor::cat(&feats, 0)?)?
                    .exp()?
                    .narrow(D::Minus1, PAIRS[0], PAIRS.len())?
                    .sum(D::Minus1)?
                    .to_vec2::<f32>()?,
            );
        }
        // the overlapped frames on the recording's own frame grid (chunks end to end: one
        // chunk frame at most for each)
        let mut overlapped = vec![false; frames_for(samples.len()).max(1)];
        for (&s, row) in starts.iter().zip(&pair) {
            // a chunk's frames over its own samples only: the last one's padding is cut
            let keep = frames_for((samples.len() - s).min(chunk)).min(row.len());
            for (k, p) in row[..keep].iter().enumerate() {
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

/// Instance norm over time per (item, channel), with an optional per-channel affine map.
fn instance_norm(x: &Tensor, affine: Option<&(Tensor, Tensor)>) -> Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let centred = x.broadcast_sub(&mean)?;
    let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
    let y = centred.broadcast_div(&(var + EPS)?.sqrt()?)?;
    match affine {
        Some((w, b)) => {
            let c = w.dim(0)?;
            y.broadcast_mul(&w.reshape((1, c, 1))?)?
                .broadcast_add(&b.reshape((1, c, 1))?)
        }
        None => Ok(y),
    }
}

/// Max-pool by 3 with stride 3 over time (the remainder dropped).
fn max_pool3(x: &Tensor) -> Result<Tensor> {
    let (b, c, t) = x.dims3()?;
    let t3 = t / 3;
    x.narrow(2, 0, t3 * 3)?
        .reshape((b, c, t3, 3))?
        .max(D::Minus1)
}

fn leaky(x: &Tensor) -> Result<Tensor> {
    // max(x, 0.01 x) is leaky ReLU for a slope under 1
    x.maximum(&(x * SLOPE)?)
}

/// One bidirectional LSTM layer over time-major input (frames, batch, features): the hidden
/// states of both directions, (frames, batch, 256). The two directions step together: their
/// recurrent products are one batched product per step, the backward one reading time from
/// the end.
fn run_layer(x: &Tensor, l: &Layer) -> Result<Tensor> {
    let (t, b, n) = x.dims3()?;
    // every step's input projection at once (one product over all frames), (frames, batch,
    // 512) per direction
    let flat = x.reshape((t * b, n))?;
    let project = |d: usize| -> Result<Tensor> {
        flat.matmul(&l.w_ih_t[d])?
            .broadcast_add(&l.bias[d])?
            .reshape((t, b, 4 * HIDDEN))
    };
    let (fwd, bwd) = (project(0)?, project(1)?);
    let mut h = Tensor::zeros((2, b, HIDDEN), DType::F32, &Device::Cpu)?;
    let mut c = h.clone();
    let mut out: Vec<Tensor> = Vec::with_capacity(t);
    for k in 0..t {
        let xk = Tensor::stack(&[fwd.i(k)?, bwd.i(t - 1 - k)?], 0)?;
        let gates = (xk + h.matmul(&l.w_hh_t)?)?;
        let sig = candle_nn::ops::sigmoid(&gates)?;
        let i = sig.narrow(2, 0, HIDDEN)?;
        let f = sig.narrow(2, HIDDEN, HIDDEN)?;
        let o = sig.narrow(2, 3 * HIDDEN, HIDDEN)?;
        let g = gates.narrow(2, 2 * HIDDEN, HIDDEN)?.tanh()?;
        c = ((f * &c)? + (i * g)?)?;
        h = (o * c.tanh()?)?;
        out.push(h.clone());
    }
    // (frames, 2, batch, 128): the backward direction's step k is frame t - 1 - k
    let hs = Tensor::stack(&out, 0)?;
    let rev: Vec<u32> = (0..t as u32).rev().collect();
    let rev = Tensor::from_vec(rev, t, &Device::Cpu)?;
    let fwd = hs.i((.., 0))?;
    let bwd = hs.i((.., 1))?.contiguous()?.index_select(&rev, 0)?;
    Tensor::cat(&[fwd, bwd], 2)
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
