//! The recurrence of a bidirectional LSTM layer (PyTorch's gate order i, f, g, o), over input
//! projections computed beforehand for every step.
//!
//! Each step of each direction is one matrix product of the batch's hidden states by the
//! recurrent weights, added to that step's projection in place, then the gates in one pass
//! over the batch. The two directions (and, with more than two threads, slices of the batch)
//! run on candle's worker threads. Written out here rather than as candle operations: a step
//! is about ten small tensors, and their allocation and dispatch cost several times the
//! arithmetic.

use crate::conv::{for_rows, gemm_acc};
use crate::SharedOut;

/// The input projections of one direction and its recurrent weights.
#[derive(Debug, Clone, Copy)]
pub struct Direction<'a> {
    /// `t × b × 4h`, row-major: for each step (in frame order) and batch item, the input times
    /// the input weights plus both biases.
    pub proj: &'a [f32],
    /// The recurrent weights transposed, `h × 4h` row-major.
    pub w_hh_t: &'a [f32],
}

/// `e^x` for `x` in about ±87 (clamped), to within a few units in the last place: 2^(x·log2 e)
/// as a power of two times a polynomial of the fraction, branch-free so that loops over it
/// vectorize (libm's `expf` does not).
#[inline(always)]
fn exp(x: f32) -> f32 {
    // adding 1.5 · 2^23 rounds to an integer, which lands in the low bits of the sum
    const MAGIC: f32 = 12_582_912.0;
    let y = (x * std::f32::consts::LOG2_E).clamp(-126.0, 126.0);
    let r = y + MAGIC;
    let f = y - (r - MAGIC); // in [-0.5, 0.5]
                             // 2^f: Taylor terms of e^(f ln 2) to the 7th power (error under 1e-7 on the interval)
    let t = f * std::f32::consts::LN_2;
    let p = 1.0
        + t * (1.0
            + t * (0.5
                + t * (1.0 / 6.0
                    + t * (1.0 / 24.0 + t * (1.0 / 120.0 + t * (1.0 / 720.0 + t / 5040.0))))));
    let n = r.to_bits().wrapping_sub(MAGIC.to_bits());
    p * f32::from_bits(n.wrapping_add(127) << 23)
}

#[inline(always)]
fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

fn sigmoids(v: &mut [f32]) {
    for x in v.iter_mut() {
        *x = sigmoid(*x);
    }
}

#[inline(always)]
fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

/// Hidden states of a bidirectional layer, `t × b × 2h` row-major: for each frame and batch
/// item the forward state, then the backward one (which reads time from the end). Initial
/// hidden and cell states are zero.
pub fn bidirectional(dirs: [Direction; 2], t: usize, b: usize, h: usize) -> Vec<f32> {
    for d in &dirs {
        assert_eq!(d.proj.len(), t * b * 4 * h, "projection shape");
        assert_eq!(d.w_hh_t.len(), h * 4 * h, "recurrent weights shape");
    }
    let mut out = vec![0f32; t * b * 2 * h];
    if t == 0 || b == 0 {
        return out;
    }
    // one work item per direction and batch slice; a slice as large as the threads allow (the
    // recurrent weights are packed once per product, so more rows per product cost less each)
    let threads = candle_core::utils::get_num_threads().max(1);
    let slices = (threads / 2).clamp(1, b);
    let per = b.div_ceil(slices);
    let slices = b.div_ceil(per);
    let dst = SharedOut(out.as_mut_ptr());
    for_rows(2 * slices, |item| {
        let (dir, slice) = (item / slices, item % slices);
        let d = dirs[dir];
        let (b0, b1) = (slice * per, ((slice + 1) * per).min(b));
        let rows = b1 - b0;
        let mut hs = vec![0f32; rows * h];
        let mut cs = vec![0f32; rows * h];
        let mut gates = vec![0f32; rows * 4 * h];
        for k in 0..t {
            let frame = if dir == 0 { k } else { t - 1 - k };
            let at = (frame * b + b0) * 4 * h;
            gates.copy_from_slice(&d.proj[at..at + rows * 4 * h]);
            if k > 0 {
                // Safety: `gates` is rows × 4h, `hs` rows × h, the weights h × 4h (asserted).
                unsafe {
                    gemm_acc(
                        rows,
                        4 * h,
                        h,
                        gates.as_mut_ptr(),
                        hs.as_ptr(),
                        h,
                        d.w_hh_t.as_ptr(),
                    )
                }
            }
            for r in 0..rows {
                let g = &mut gates[r * 4 * h..(r + 1) * 4 * h];
                let (ifg, o) = g.split_at_mut(3 * h);
                let (i_f, gg) = ifg.split_at_mut(2 * h);
                sigmoids(i_f);
                sigmoids(o);
                for v in gg.iter_mut() {
                    *v = tanh(*v);
                }
                let (i, f) = i_f.split_at(h);
                let c = &mut cs[r * h..(r + 1) * h];
                for (((c, i), f), g) in c.iter_mut().zip(i).zip(f).zip(gg.iter()) {
                    *c = f * *c + i * g;
                }
                let hr = &mut hs[r * h..(r + 1) * h];
                for ((hv, o), c) in hr.iter_mut().zip(o.iter()).zip(c.iter()) {
                    *hv = o * tanh(*c);
                }
            }
            // Safety: this item writes only its direction's half of its own batch rows of
            // frame `frame`, inside `out` (t × b × 2h).
            unsafe {
                for r in 0..rows {
                    let o = ((frame * b + b0 + r) * 2 + dir) * h;
                    std::ptr::copy_nonoverlapping(hs.as_ptr().add(r * h), dst.ptr().add(o), h);
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conv::tests::values;

    /// The textbook recurrence, one value at a time.
    fn reference(dirs: [Direction; 2], t: usize, b: usize, h: usize) -> Vec<f32> {
        let mut out = vec![0f32; t * b * 2 * h];
        for (dir, d) in dirs.iter().enumerate() {
            for item in 0..b {
                let (mut hs, mut cs) = (vec![0f32; h], vec![0f32; h]);
                for k in 0..t {
                    let frame = if dir == 0 { k } else { t - 1 - k };
                    let p = &d.proj[(frame * b + item) * 4 * h..][..4 * h];
                    let gate = |q: usize, j: usize| {
                        p[q * h + j]
                            + (0..h)
                                .map(|m| hs[m] * d.w_hh_t[m * 4 * h + q * h + j])
                                .sum::<f32>()
                    };
                    let (mut nh, mut nc) = (vec![0f32; h], vec![0f32; h]);
                    let sigmoid = |x: f32| 1.0 / (1.0 + (-x).exp());
                    for j in 0..h {
                        let i = sigmoid(gate(0, j));
                        let f = sigmoid(gate(1, j));
                        let g = gate(2, j).tanh();
                        let o = sigmoid(gate(3, j));
                        nc[j] = f * cs[j] + i * g;
                        nh[j] = o * nc[j].tanh();
                    }
                    (hs, cs) = (nh, nc);
                    out[((frame * b + item) * 2 + dir) * h..][..h].copy_from_slice(&hs);
                }
            }
        }
        out
    }

    #[test]
    fn matches_the_textbook_recurrence() {
        let (t, b, h) = (7, 5, 6);
        let p = [values(t * b * 4 * h, 1), values(t * b * 4 * h, 2)];
        let w = [values(h * 4 * h, 3), values(h * 4 * h, 4)];
        let dirs = [
            Direction {
                proj: &p[0],
                w_hh_t: &w[0],
            },
            Direction {
                proj: &p[1],
                w_hh_t: &w[1],
            },
        ];
        let got = bidirectional(dirs, t, b, h);
        let want = reference(dirs, t, b, h);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-5, "{g} vs {w}");
        }
        // not vacuous: the states are far from zero
        assert!(got.iter().filter(|v| v.abs() > 0.01).count() > got.len() / 2);
    }

    #[test]
    fn exp_is_libm_exp_to_within_1e_5() {
        let mut worst = 0f32;
        for k in -8000..8000 {
            let x = k as f32 * 0.01;
            let (a, b) = (super::exp(x), x.exp());
            worst = worst.max(((a - b) / b).abs());
        }
        // (x · log2 e rounded to f32 costs a few ulp of 2^f at the ends of the range)
        assert!(worst < 1e-5, "{worst}");
        assert!((super::tanh(0.3) - 0.3f32.tanh()).abs() < 1e-6);
        assert!(super::sigmoid(200.0) == 1.0 && super::sigmoid(-200.0) < 1e-37);
    }
}
