//! The stages of SincNet (pyannote's segmentation front end) on one chunk of audio, channels
//! last: 1-D convolutions as one strided matrix product each (no im2col copy), then absolute
//! value, max-pool by 3, instance norm with an affine map and leaky ReLU in one pass.
//!
//! Channels-last, the `taps` input frames a convolution output reads are consecutive in
//! memory: output frame `t` reads `taps · cin` values from `t · stride · cin`, so the
//! convolution is a product of a matrix whose rows overlap (row stride `stride · cin`) by the
//! weights as `(taps · cin) × cout`, which the `gemm` crate reads as any strided matrix.

use crate::conv::{for_rows, gemm_acc};
use crate::SharedOut;

/// Output frames per work item of a convolution.
const ROWS_PER_ITEM: usize = 512;

/// A 1-D convolution without padding: weights as `(taps · cin) × cout` row-major (tap-major,
/// then input channel), an optional bias per output channel.
#[derive(Debug, Clone, Copy)]
pub struct Conv1d<'a> {
    pub w: &'a [f32],
    pub bias: Option<&'a [f32]>,
    pub taps: usize,
    pub stride: usize,
    pub cin: usize,
    pub cout: usize,
}

impl Conv1d<'_> {
    /// Output frames for `frames` input frames.
    pub fn out_frames(&self, frames: usize) -> usize {
        if frames < self.taps {
            0
        } else {
            (frames - self.taps) / self.stride + 1
        }
    }

    /// The convolution of `x` (`frames × cin`, channels last): `out_frames × cout`.
    pub fn apply(&self, x: &[f32], frames: usize) -> Vec<f32> {
        assert_eq!(x.len(), frames * self.cin, "input shape");
        assert_eq!(self.w.len(), self.taps * self.cin * self.cout, "weights");
        let n = self.out_frames(frames);
        let cout = self.cout;
        let mut out = vec![0f32; n * cout];
        if let Some(b) = self.bias {
            assert_eq!(b.len(), cout, "bias");
            for row in out.chunks_exact_mut(cout) {
                row.copy_from_slice(b);
            }
        }
        let dst = SharedOut(out.as_mut_ptr());
        for_rows(n.div_ceil(ROWS_PER_ITEM), |item| {
            let r0 = item * ROWS_PER_ITEM;
            let rows = ROWS_PER_ITEM.min(n - r0);
            // Safety: the item writes output rows r0..r0 + rows only; it reads input frames
            // r0 · stride .. (r0 + rows - 1) · stride + taps, inside `x` (n is the count of
            // output frames whose taps fit), and the whole weights (sizes asserted above).
            unsafe {
                gemm_acc(
                    rows,
                    cout,
                    self.taps * self.cin,
                    dst.ptr().add(r0 * cout),
                    x.as_ptr().add(r0 * self.stride * self.cin),
                    self.stride * self.cin,
                    self.w.as_ptr(),
                )
            }
        });
        out
    }
}

/// Instance norm of a waveform (over all its samples), then `· w + b`.
pub fn normalize_waveform(x: &mut [f32], w: f32, b: f32) {
    let n = x.len().max(1) as f64;
    let mean = x.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
    let scale = (1.0 / (var + EPS).sqrt()) as f32;
    let mean = mean as f32;
    for v in x.iter_mut() {
        *v = (*v - mean) * scale * w + b;
    }
}

const EPS: f64 = 1e-5;
const SLOPE: f32 = 0.01;

/// Optionally the absolute value, then max-pool by 3 over time (the remainder dropped),
/// instance norm per channel over time with the affine map `norm_w`, `norm_b`, and leaky ReLU
/// (slope 0.01), of `x` (`frames × c`, channels last): `frames / 3 × c`.
pub fn pool_norm_leaky(
    x: &[f32],
    frames: usize,
    c: usize,
    abs: bool,
    norm_w: &[f32],
    norm_b: &[f32],
) -> Vec<f32> {
    assert_eq!(x.len(), frames * c, "input shape");
    assert!(norm_w.len() == c && norm_b.len() == c, "norm shape");
    let t = frames / 3;
    let mut out = vec![0f32; t * c];
    let f = |v: f32| if abs { v.abs() } else { v };
    for (k, o) in out.chunks_exact_mut(c).enumerate() {
        let (a, b, d) = (
            &x[3 * k * c..][..c],
            &x[(3 * k + 1) * c..][..c],
            &x[(3 * k + 2) * c..][..c],
        );
        for j in 0..c {
            o[j] = f(a[j]).max(f(b[j])).max(f(d[j]));
        }
    }
    let mut sum = vec![0f64; c];
    let mut sq = vec![0f64; c];
    for row in out.chunks_exact(c) {
        for j in 0..c {
            sum[j] += row[j] as f64;
        }
    }
    let n = t.max(1) as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
    for row in out.chunks_exact(c) {
        for j in 0..c {
            sq[j] += (row[j] as f64 - mean[j]).powi(2);
        }
    }
    let scale: Vec<f32> = (0..c)
        .map(|j| (norm_w[j] as f64 / (sq[j] / n + EPS).sqrt()) as f32)
        .collect();
    let shift: Vec<f32> = (0..c)
        .map(|j| norm_b[j] - mean[j] as f32 * scale[j])
        .collect();
    for row in out.chunks_exact_mut(c) {
        for j in 0..c {
            let v = row[j] * scale[j] + shift[j];
            row[j] = v.max(v * SLOPE);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strided_convolution_is_the_sum_over_its_taps() {
        let (frames, cin, cout, taps, stride) = (23, 3, 4, 5, 2);
        let x: Vec<f32> = (0..frames * cin).map(|i| (i % 7) as f32 - 3.0).collect();
        let w: Vec<f32> = (0..taps * cin * cout)
            .map(|i| (i % 5) as f32 * 0.5 - 1.0)
            .collect();
        let bias = [0.5, -1.0, 2.0, 0.0];
        let conv = Conv1d {
            w: &w,
            bias: Some(&bias),
            taps,
            stride,
            cin,
            cout,
        };
        let got = conv.apply(&x, frames);
        let n = conv.out_frames(frames);
        assert_eq!(n, 10);
        for t in 0..n {
            for o in 0..cout {
                let mut want = bias[o];
                for k in 0..taps {
                    for ci in 0..cin {
                        want += x[(t * stride + k) * cin + ci] * w[(k * cin + ci) * cout + o];
                    }
                }
                assert!((got[t * cout + o] - want).abs() < 1e-4, "{t} {o}");
            }
        }
    }

    #[test]
    fn pooling_then_norm_then_leaky_relu() {
        // one channel: |x| pooled by 3 gives 3, 6; normed: -1, 1; then w = 2, b = 0.5
        let x = [1.0, -3.0, 2.0, 4.0, 5.0, -6.0, 9.0];
        let y = pool_norm_leaky(&x, 7, 1, true, &[2.0], &[0.5]);
        assert_eq!(y.len(), 2);
        let s = 1.0 / (1.0f64 + EPS).sqrt();
        assert!(
            (y[0] as f64 - ((-2.0 * s + 0.5) * 0.01)).abs() < 1e-5,
            "{y:?}"
        );
        assert!((y[1] as f64 - (2.0 * s + 0.5)).abs() < 1e-5, "{y:?}");
    }
}
