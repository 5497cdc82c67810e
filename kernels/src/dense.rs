//! The densely connected blocks of the CAM++ speaker network (D-TDNN layers with
//! context-aware masking, and the transitions between blocks), over one item's frames.
//!
//! A block's input grows by 32 channels per layer (each layer's output is concatenated to its
//! input). Here the frames live in one row-major buffer of `t` rows and a fixed row stride wide
//! enough for the whole block, and each layer writes its 32 new channels into the next free
//! columns: nothing is copied to concatenate. A layer is
//!
//! 1. `h = relu(relu(x · s + b) · W1 + b1)` (batch norm and ReLU on the input, a 1×1
//!    convolution to the bottleneck with the next batch norm folded in), rows shared among
//!    candle's worker threads, the normalised input in a scratch buffer;
//! 2. the gate: the mean of `h` over all frames plus its mean over each 100-frame segment,
//!    through two small dense layers and a sigmoid (one gate per segment);
//! 3. `y = conv(h)` (3 taps, dilation `d`, zero padding, no bias) as three matrix products on
//!    shifted rows, multiplied by its segment's gate and written into the new columns.
//!
//! A transition is batch norm, ReLU and a 1×1 convolution without bias.

use crate::conv::{for_rows, gemm_strided as gemm};
use crate::SharedOut;

/// Frames per context segment of a masking layer.
pub const SEG_LEN: usize = 100;
/// Rows per work item shared among threads.
const ROWS: usize = 64;

/// A per-channel affine map (a batch norm at inference).
#[derive(Debug, Clone)]
pub struct Affine {
    pub scale: Vec<f32>,
    pub shift: Vec<f32>,
}

/// A dense layer: `w` is (k × n) row-major, `bias` has n values (or none).
#[derive(Debug, Clone)]
pub struct Linear {
    pub w: Vec<f32>,
    pub bias: Option<Vec<f32>>,
    pub k: usize,
    pub n: usize,
}

impl Linear {
    /// Checks the sizes agree.
    pub fn new(w: Vec<f32>, bias: Option<Vec<f32>>, k: usize, n: usize) -> Linear {
        assert_eq!(w.len(), k * n, "weights");
        if let Some(b) = &bias {
            assert_eq!(b.len(), n, "bias");
        }
        Linear { w, bias, k, n }
    }
}

/// One context-aware masking layer.
#[derive(Debug, Clone)]
pub struct CamLayer {
    /// The input's batch norm (then ReLU).
    pub bn: Affine,
    /// 1×1 convolution to the bottleneck, the next batch norm folded in (then ReLU).
    pub linear1: Linear,
    /// The local convolution: 3 taps of (bottleneck × growth), tap-major, no bias.
    pub local: Linear,
    /// Context: bottleneck → bottleneck/2 (then ReLU), → growth (then sigmoid).
    pub ctx1: Linear,
    pub ctx2: Linear,
    pub dilation: usize,
}

/// A transition: batch norm, ReLU, 1×1 convolution without bias.
#[derive(Debug, Clone)]
pub struct Transit {
    pub bn: Affine,
    pub linear: Linear,
}

/// Frames of one item: `t` rows of `stride` values, the first `c` columns in use.
#[derive(Debug, Clone)]
pub struct Frames {
    pub data: Vec<f32>,
    pub t: usize,
    pub stride: usize,
    pub c: usize,
}

impl Frames {
    /// `t` rows of `c` values (row-major) in rows `stride` wide.
    pub fn new(x: &[f32], t: usize, c: usize, stride: usize) -> Frames {
        assert_eq!(x.len(), t * c, "input size");
        assert!(stride >= c, "stride");
        let mut data = vec![0f32; t * stride];
        for (dst, src) in data.chunks_exact_mut(stride).zip(x.chunks_exact(c)) {
            dst[..c].copy_from_slice(src);
        }
        Frames { data, t, stride, c }
    }

    /// The used columns as `t × c` row-major values.
    pub fn to_vec(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.t * self.c);
        for row in self.data.chunks_exact(self.stride) {
            out.extend_from_slice(&row[..self.c]);
        }
        out
    }
}

/// For rows `r0..r1` of `x` (row stride `x_rs`, `lin.k` columns used): the normalised input
/// `relu(x · s + b)` into `a` (row stride `lin.k`, same rows), then `dst` rows (row stride
/// `dst_rs`) = a · W (+ bias), with a ReLU after when `relu`.
///
/// # Safety
/// `x` and `a` must hold `r1` rows of their strides, `dst` `r1` rows of `dst_rs`; no other
/// thread may write these rows of `a` or `dst`, and `dst` must not overlap `x` or `a`.
#[allow(clippy::too_many_arguments)]
unsafe fn norm_matmul_rows(
    x: *const f32,
    x_rs: usize,
    bn: &Affine,
    lin: &Linear,
    a: *mut f32,
    dst: *mut f32,
    dst_rs: usize,
    (r0, r1): (usize, usize),
    relu: bool,
) {
    let (k, n) = (lin.k, lin.n);
    for r in r0..r1 {
        let src = std::slice::from_raw_parts(x.add(r * x_rs), k);
        let out = std::slice::from_raw_parts_mut(a.add(r * k), k);
        for (((o, &v), &s), &b) in out.iter_mut().zip(src).zip(&bn.scale).zip(&bn.shift) {
            *o = (v * s + b).max(0.0);
        }
    }
    let d = dst.add(r0 * dst_rs);
    match &lin.bias {
        Some(bias) => {
            for r in 0..r1 - r0 {
                std::slice::from_raw_parts_mut(d.add(r * dst_rs), n).copy_from_slice(bias);
            }
            gemm(
                r1 - r0,
                n,
                k,
                d,
                dst_rs,
                true,
                a.add(r0 * k),
                k,
                lin.w.as_ptr(),
            );
        }
        None => gemm(
            r1 - r0,
            n,
            k,
            d,
            dst_rs,
            false,
            a.add(r0 * k),
            k,
            lin.w.as_ptr(),
        ),
    }
    if relu {
        for r in 0..r1 - r0 {
            for v in std::slice::from_raw_parts_mut(d.add(r * dst_rs), n) {
                *v = v.max(0.0);
            }
        }
    }
}

fn row_items(t: usize) -> usize {
    t.div_ceil(ROWS)
}

fn item_rows(item: usize, t: usize) -> (usize, usize) {
    (item * ROWS, ((item + 1) * ROWS).min(t))
}

/// Scratch buffers reused by every layer of one item.
#[derive(Debug, Default)]
pub struct Scratch {
    a: Vec<f32>,
    h: Vec<f32>,
}

impl CamLayer {
    /// Appends this layer's output channels to `x` (whose row stride must leave room).
    pub fn forward(&self, x: &mut Frames, scratch: &mut Scratch) {
        let (t, cin) = (x.t, x.c);
        let (bott, growth) = (self.linear1.n, self.local.n);
        assert_eq!(self.linear1.k, cin, "layer input channels");
        assert_eq!(self.bn.scale.len(), cin, "batch norm channels");
        assert_eq!(self.local.k, 3 * bott, "local convolution");
        assert_eq!(
            (self.ctx1.k, self.ctx2.k),
            (bott, self.ctx1.n),
            "context layers"
        );
        assert_eq!(self.ctx2.n, growth, "gate width");
        assert!(x.stride >= cin + growth, "row stride");
        scratch.a.resize(t * cin, 0.0);
        scratch.h.resize(t * bott, 0.0);
        let (xp, xs) = (SharedOut(x.data.as_mut_ptr()), x.stride);
        let ap = SharedOut(scratch.a.as_mut_ptr());
        let hp = SharedOut(scratch.h.as_mut_ptr());
        // 1. the bottleneck
        for_rows(row_items(t), |item| {
            // Safety: each item reads its own rows of x and writes its own rows of a and h.
            unsafe {
                norm_matmul_rows(
                    xp.ptr(),
                    xs,
                    &self.bn,
                    &self.linear1,
                    ap.ptr(),
                    hp.ptr(),
                    bott,
                    item_rows(item, t),
                    true,
                )
            }
        });
        // 2. the gates, one per segment
        let gates = self.gates(&scratch.h, t);
        // 3. the local convolution, gated, into the new columns
        let d = self.dilation;
        let h = &scratch.h;
        for_rows(row_items(t), |item| {
            let (r0, r1) = item_rows(item, t);
            // Safety: each item writes only rows r0..r1 of the new columns of x (not read by
            // anything here); it reads h and the weights, inside their sizes.
            unsafe {
                let dst = xp.ptr().add(r0 * xs + cin);
                let w = |tap: usize| self.local.w.as_ptr().add(tap * bott * growth);
                // the centre tap covers every row; the others those whose source is inside
                gemm(
                    r1 - r0,
                    growth,
                    bott,
                    dst,
                    xs,
                    false,
                    h.as_ptr().add(r0 * bott),
                    bott,
                    w(1),
                );
                // tap 0 reads row r - d: rows from d on
                let lo = r0.max(d);
                if lo < r1 {
                    gemm(
                        r1 - lo,
                        growth,
                        bott,
                        xp.ptr().add(lo * xs + cin),
                        xs,
                        true,
                        h.as_ptr().add((lo - d) * bott),
                        bott,
                        w(0),
                    );
                }
                // tap 2 reads row r + d: rows up to t - d
                let hi = r1.min(t.saturating_sub(d));
                if r0 < hi {
                    gemm(
                        hi - r0,
                        growth,
                        bott,
                        dst,
                        xs,
                        true,
                        h.as_ptr().add((r0 + d) * bott),
                        bott,
                        w(2),
                    );
                }
                for r in r0..r1 {
                    let g = &gates[(r / SEG_LEN) * growth..][..growth];
                    let row = std::slice::from_raw_parts_mut(xp.ptr().add(r * xs + cin), growth);
                    for (v, &g) in row.iter_mut().zip(g) {
                        *v *= g;
                    }
                }
            }
        });
        x.c = cin + growth;
    }

    /// The gate of each 100-frame segment: sigmoid(ctx2(relu(ctx1(mean + segment mean)))).
    fn gates(&self, h: &[f32], t: usize) -> Vec<f32> {
        let bott = self.linear1.n;
        let nseg = t.div_ceil(SEG_LEN);
        let mut all = vec![0f32; bott];
        let mut segs = vec![0f32; nseg * bott];
        for (r, row) in h.chunks_exact(bott).take(t).enumerate() {
            let s = &mut segs[(r / SEG_LEN) * bott..][..bott];
            for (a, &v) in s.iter_mut().zip(row) {
                *a += v;
            }
        }
        for (s, seg) in segs.chunks_exact_mut(bott).enumerate() {
            for (a, &v) in all.iter_mut().zip(seg.iter()) {
                *a += v;
            }
            let len = ((s + 1) * SEG_LEN).min(t) - s * SEG_LEN;
            for v in seg.iter_mut() {
                *v /= len as f32;
            }
        }
        for seg in segs.chunks_exact_mut(bott) {
            for (v, &a) in seg.iter_mut().zip(&all) {
                *v += a / t as f32;
            }
        }
        let mid = dense(&segs, nseg, &self.ctx1, |v| v.max(0.0));
        dense(&mid, nseg, &self.ctx2, |v| 1.0 / (1.0 + (-v).exp()))
    }
}

/// `rows` rows of `x` through `lin`, then `f` on each value (small products: plain loops).
fn dense(x: &[f32], rows: usize, lin: &Linear, f: impl Fn(f32) -> f32) -> Vec<f32> {
    let (k, n) = (lin.k, lin.n);
    let mut out = vec![0f32; rows * n];
    for (o, xr) in out.chunks_exact_mut(n).zip(x.chunks_exact(k)) {
        if let Some(b) = &lin.bias {
            o.copy_from_slice(b);
        }
        for (&v, w) in xr.iter().zip(lin.w.chunks_exact(n)) {
            for (a, &w) in o.iter_mut().zip(w) {
                *a += v * w;
            }
        }
        for a in o.iter_mut() {
            *a = f(*a);
        }
    }
    out
}

impl Transit {
    /// `x` through the transition, into frames of row stride `stride`.
    pub fn forward(&self, x: &Frames, stride: usize, scratch: &mut Scratch) -> Frames {
        let (t, cin, n) = (x.t, x.c, self.linear.n);
        assert_eq!(self.linear.k, cin, "transition input channels");
        assert!(stride >= n, "row stride");
        let mut out = Frames {
            data: vec![0f32; t * stride],
            t,
            stride,
            c: n,
        };
        scratch.a.resize(t * cin, 0.0);
        let ap = SharedOut(scratch.a.as_mut_ptr());
        let op = SharedOut(out.data.as_mut_ptr());
        for_rows(row_items(t), |item| {
            // Safety: each item reads its rows of x and writes its own rows of a and out.
            unsafe {
                norm_matmul_rows(
                    x.data.as_ptr(),
                    x.stride,
                    &self.bn,
                    &self.linear,
                    ap.ptr(),
                    op.ptr(),
                    stride,
                    item_rows(item, t),
                    false,
                )
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32) - 0.5
            })
            .collect()
    }

    fn linear(k: usize, n: usize, bias: bool, seed: u64) -> Linear {
        Linear::new(noise(k * n, seed), bias.then(|| noise(n, seed + 1)), k, n)
    }

    fn affine(c: usize, seed: u64) -> Affine {
        Affine {
            scale: noise(c, seed).iter().map(|v| v + 1.0).collect(),
            shift: noise(c, seed + 7),
        }
    }

    /// The layer written out directly from its definition.
    fn reference(l: &CamLayer, x: &[f32], t: usize, cin: usize) -> Vec<f32> {
        let (bott, g) = (l.linear1.n, l.local.n);
        let mut h = vec![0f32; t * bott];
        for r in 0..t {
            for o in 0..bott {
                let mut acc = l.linear1.bias.as_ref().map_or(0.0, |b| b[o]);
                for c in 0..cin {
                    let a = (x[r * cin + c] * l.bn.scale[c] + l.bn.shift[c]).max(0.0);
                    acc += a * l.linear1.w[c * bott + o];
                }
                h[r * bott + o] = acc.max(0.0);
            }
        }
        let mean = |a: usize, e: usize, o: usize| {
            (a..e).map(|r| h[r * bott + o]).sum::<f32>() / (e - a) as f32
        };
        let mut out = vec![0f32; t * g];
        for r in 0..t {
            let s = r / SEG_LEN;
            let ctx: Vec<f32> = (0..bott)
                .map(|o| mean(0, t, o) + mean(s * SEG_LEN, ((s + 1) * SEG_LEN).min(t), o))
                .collect();
            let mid = dense(&ctx, 1, &l.ctx1, |v| v.max(0.0));
            let gate = dense(&mid, 1, &l.ctx2, |v| 1.0 / (1.0 + (-v).exp()));
            for o in 0..g {
                let mut acc = 0.0;
                for tap in 0..3 {
                    let src = r as isize + (tap as isize - 1) * l.dilation as isize;
                    if src < 0 || src >= t as isize {
                        continue;
                    }
                    for c in 0..bott {
                        acc += h[src as usize * bott + c] * l.local.w[(tap * bott + c) * g + o];
                    }
                }
                out[r * g + o] = acc * gate[o];
            }
        }
        out
    }

    #[test]
    fn a_layer_appends_its_definition() {
        // 230 frames: three segments (the last short) and four row items (the last short)
        for (t, dilation) in [(230, 2), (37, 1), (2, 2)] {
            let (cin, bott, g) = (40, 16, 8);
            let l = CamLayer {
                bn: affine(cin, 1),
                linear1: linear(cin, bott, true, 2),
                local: linear(3 * bott, g, false, 3),
                ctx1: linear(bott, bott / 2, true, 4),
                ctx2: linear(bott / 2, g, true, 5),
                dilation,
            };
            let x = noise(t * cin, 9);
            let mut f = Frames::new(&x, t, cin, cin + g + 3);
            l.forward(&mut f, &mut Scratch::default());
            assert_eq!(f.c, cin + g);
            let want = reference(&l, &x, t, cin);
            let got = f.to_vec();
            for r in 0..t {
                assert_eq!(
                    &got[r * (cin + g)..][..cin],
                    &x[r * cin..][..cin],
                    "input kept"
                );
                for o in 0..g {
                    let (a, b) = (got[r * (cin + g) + cin + o], want[r * g + o]);
                    assert!((a - b).abs() < 1e-4, "t {t} row {r} ch {o}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn a_transition_is_norm_relu_product() {
        let (t, cin, n) = (70, 24, 12);
        let tr = Transit {
            bn: affine(cin, 3),
            linear: linear(cin, n, false, 4),
        };
        let x = noise(t * cin, 5);
        let out = tr.forward(
            &Frames::new(&x, t, cin, cin + 5),
            n + 2,
            &mut Scratch::default(),
        );
        let got = out.to_vec();
        for r in 0..t {
            for o in 0..n {
                let want: f32 = (0..cin)
                    .map(|c| {
                        (x[r * cin + c] * tr.bn.scale[c] + tr.bn.shift[c]).max(0.0)
                            * tr.linear.w[c * n + o]
                    })
                    .sum();
                assert!((got[r * n + o] - want).abs() < 1e-4);
            }
        }
    }
}
