//! The 2-D convolutions of the CAM++ speaker network's head (3×3, zero padding 1, stride 1 or 2
//! along the frequency rows; 1×1 shortcuts), without an im2col copy.
//!
//! Images are channels-last and stored **padded**: `n` images of `(rows + 2) × (cols + 2) × c`
//! values with a zero border one pixel wide, so that a convolution reads its input in place and
//! writes an output the next one reads in place. For an output row, the three taps along a
//! column (`kt = 0, 1, 2`) and all input channels are one matrix of `cols` rows of `3·c` values
//! with a row stride of `c`: consecutive rows overlap, which the `gemm` crate reads as any other
//! strided matrix. So each output row is three matrix products (one per tap row `kf`),
//! accumulated into the output row, which starts as the bias (plus the residual, if any).
//! Output rows are shared among candle's worker threads.

/// A padded channels-last batch of images (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// `n × (rows + 2) × (cols + 2) × c` values, zero on the border.
    pub data: Vec<f32>,
    pub n: usize,
    pub rows: usize,
    pub cols: usize,
    pub c: usize,
}

impl Image {
    /// A zero image.
    pub fn zeros(n: usize, rows: usize, cols: usize, c: usize) -> Image {
        Image {
            data: vec![0.0; n * (rows + 2) * (cols + 2) * c],
            n,
            rows,
            cols,
            c,
        }
    }

    /// Single-channel images from `n` row-major `cols × rows` matrices (one row per column of
    /// the image: a spectrogram of `cols` frames of `rows` bins becomes an image of `rows`
    /// frequency rows and `cols` time columns).
    pub fn from_transposed(x: &[f32], n: usize, cols: usize, rows: usize) -> Image {
        assert_eq!(x.len(), n * cols * rows, "input size");
        let mut img = Image::zeros(n, rows, cols, 1);
        for b in 0..n {
            for t in 0..cols {
                for f in 0..rows {
                    let v = x[(b * cols + t) * rows + f];
                    let at = img.at(b, f, t);
                    img.data[at] = v;
                }
            }
        }
        img
    }

    /// Index of channel 0 of pixel (`row`, `col`) of image `b` (unpadded coordinates).
    pub fn at(&self, b: usize, row: usize, col: usize) -> usize {
        ((b * (self.rows + 2) + row + 1) * (self.cols + 2) + col + 1) * self.c
    }

    fn image_len(&self) -> usize {
        (self.rows + 2) * (self.cols + 2) * self.c
    }

    /// ReLU of every value, in place (the border stays zero).
    pub fn relu(&mut self) {
        for v in &mut self.data {
            *v = v.max(0.0);
        }
    }

    /// The unpadded values as `n × cols × (c · rows)`, channel-major within a column (index
    /// `ch · rows + row`, as PyTorch flattens (C, F)).
    pub fn to_columns(&self) -> Vec<f32> {
        let (rows, cols, c) = (self.rows, self.cols, self.c);
        let mut out = vec![0f32; self.n * cols * c * rows];
        for b in 0..self.n {
            for f in 0..rows {
                for t in 0..cols {
                    let src = &self.data[self.at(b, f, t)..][..c];
                    let dst = &mut out[(b * cols + t) * c * rows..][..c * rows];
                    for (ch, &v) in src.iter().enumerate() {
                        dst[ch * rows + f] = v;
                    }
                }
            }
        }
        out
    }
}

/// Convolution weights: `w` is the row-major `(taps · cin) × cout` matrix with rows ordered
/// (row tap, column tap, input channel), `bias` has `cout` values.
#[derive(Debug, Clone, Copy)]
pub struct Conv<'a> {
    pub w: &'a [f32],
    pub bias: &'a [f32],
    pub cin: usize,
    /// Stride along the rows (1 or 2); 1 along the columns.
    pub stride: usize,
}

impl Conv<'_> {
    fn cout(&self) -> usize {
        self.bias.len()
    }

    fn out_rows(&self, rows: usize) -> usize {
        rows.div_ceil(self.stride)
    }
}

use crate::SharedOut;

/// `dst` (`m × n`, row stride `n`) += `lhs` (`m × k`, row stride `lhs_rs`, column stride 1)
/// × `rhs` (`k × n` row-major).
///
/// # Safety
/// The pointers must cover those extents; `dst` must not overlap the inputs.
pub(crate) unsafe fn gemm_acc(
    m: usize,
    n: usize,
    k: usize,
    dst: *mut f32,
    lhs: *const f32,
    lhs_rs: usize,
    rhs: *const f32,
) {
    gemm_strided(m, n, k, dst, n, true, lhs, lhs_rs, rhs)
}

/// `dst` (`m × n`, row stride `dst_rs`) = (`acc` ? `dst` : 0) + `lhs` (`m × k`, row stride
/// `lhs_rs`, column stride 1) × `rhs` (`k × n` row-major), on the calling thread.
///
/// # Safety
/// The pointers must cover those extents; `dst` must not overlap the inputs.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm_strided(
    m: usize,
    n: usize,
    k: usize,
    dst: *mut f32,
    dst_rs: usize,
    acc: bool,
    lhs: *const f32,
    lhs_rs: usize,
    rhs: *const f32,
) {
    gemm::gemm(
        m,
        n,
        k,
        dst,
        1,
        dst_rs as isize,
        acc,
        lhs,
        1,
        lhs_rs as isize,
        rhs,
        1,
        n as isize,
        if acc { 1.0f32 } else { 0.0 },
        1.0f32,
        false,
        false,
        false,
        gemm::Parallelism::None,
    )
}

/// Runs `row(item)` for `items` items over candle's worker threads.
pub(crate) fn for_rows(items: usize, row: impl Fn(usize) + Sync) {
    let pool = candle_core::utils::barrier_pool();
    if pool.n_workers() == 0 || items < 2 {
        (0..items).for_each(row);
    } else {
        pool.execute_chunked(items, |r| r.for_each(&row));
    }
}

/// 3×3 convolution with zero padding 1 of `x`, stride `conv.stride` along the rows; `add`
/// (an image of the output's shape) is added before the optional ReLU.
pub fn conv3x3(x: &Image, conv: &Conv, add: Option<&Image>, relu: bool) -> Image {
    let (cin, cout) = (conv.cin, conv.cout());
    assert_eq!(x.c, cin, "input channels");
    assert_eq!(conv.w.len(), 9 * cin * cout, "weights");
    let mut out = Image::zeros(x.n, conv.out_rows(x.rows), x.cols, cout);
    if let Some(a) = add {
        assert_eq!(
            (a.n, a.rows, a.cols, a.c),
            (out.n, out.rows, out.cols, out.c),
            "residual shape"
        );
    }
    let t = x.cols;
    let dst = SharedOut(out.data.as_mut_ptr());
    let xlen = x.image_len();
    let orows = out.rows;
    let out_at = |b: usize, r: usize| ((b * (orows + 2) + r + 1) * (t + 2) + 1) * cout;
    for_rows(x.n * orows, |item| {
        let (b, r) = (item / orows, item % orows);
        let o = out_at(b, r);
        // Safety: each item writes only its own output row (`t × cout` values from `o`), inside
        // `out`; the reads stay inside `x`, `add` and the weights (sizes asserted above).
        unsafe {
            let row = std::slice::from_raw_parts_mut(dst.ptr().add(o), t * cout);
            for px in row.chunks_exact_mut(cout) {
                px.copy_from_slice(conv.bias);
            }
            if let Some(a) = add {
                for (v, &s) in row.iter_mut().zip(&a.data[o..o + t * cout]) {
                    *v += s;
                }
            }
            for kf in 0..3 {
                // Padded input row `stride · r + kf`, from its first (border) column.
                let src = b * xlen + (conv.stride * r + kf) * (t + 2) * cin;
                debug_assert!(src + (t + 2) * cin <= (b + 1) * xlen);
                gemm_acc(
                    t,
                    cout,
                    3 * cin,
                    row.as_mut_ptr(),
                    x.data.as_ptr().add(src),
                    cin,
                    conv.w.as_ptr().add(kf * 3 * cin * cout),
                )
            }
            if relu {
                for v in row.iter_mut() {
                    *v = v.max(0.0);
                }
            }
        }
    });
    out
}

/// 1×1 convolution of `x` with stride `conv.stride` along the rows (a residual shortcut).
pub fn conv1x1(x: &Image, conv: &Conv) -> Image {
    let (cin, cout) = (conv.cin, conv.cout());
    assert_eq!(x.c, cin, "input channels");
    assert_eq!(conv.w.len(), cin * cout, "weights");
    let mut out = Image::zeros(x.n, conv.out_rows(x.rows), x.cols, cout);
    let t = x.cols;
    let dst = SharedOut(out.data.as_mut_ptr());
    let orows = out.rows;
    for_rows(x.n * orows, |item| {
        let (b, r) = (item / orows, item % orows);
        let o = ((b * (orows + 2) + r + 1) * (t + 2) + 1) * cout;
        let src = x.at(b, conv.stride * r, 0);
        // Safety: as in `conv3x3`: one output row per item, reads inside `x` and `w`.
        unsafe {
            let row = std::slice::from_raw_parts_mut(dst.ptr().add(o), t * cout);
            for px in row.chunks_exact_mut(cout) {
                px.copy_from_slice(conv.bias);
            }
            gemm_acc(
                t,
                cout,
                cin,
                row.as_mut_ptr(),
                x.data.as_ptr().add(src),
                cin,
                conv.w.as_ptr(),
            )
        }
    });
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Direct convolution over unpadded coordinates, for comparison.
    fn reference(x: &Image, w: &[f32], bias: &[f32], k: usize, stride: usize) -> Vec<f32> {
        let cout = bias.len();
        let orows = x.rows.div_ceil(stride);
        let pad = (k / 2) as isize;
        let mut out = vec![0f32; x.n * orows * x.cols * cout];
        for b in 0..x.n {
            for r in 0..orows {
                for t in 0..x.cols {
                    for o in 0..cout {
                        let mut s = bias[o];
                        for kf in 0..k {
                            for kt in 0..k {
                                let f = (stride * r) as isize + kf as isize - pad;
                                let c = t as isize + kt as isize - pad;
                                if f < 0 || c < 0 || f >= x.rows as isize || c >= x.cols as isize {
                                    continue;
                                }
                                let at = x.at(b, f as usize, c as usize);
                                for i in 0..x.c {
                                    s += x.data[at + i] * w[((kf * k + kt) * x.c + i) * cout + o];
                                }
                            }
                        }
                        out[((b * orows + r) * x.cols + t) * cout + o] = s;
                    }
                }
            }
        }
        out
    }

    fn unpadded(img: &Image) -> Vec<f32> {
        let mut out = Vec::new();
        for b in 0..img.n {
            for r in 0..img.rows {
                for t in 0..img.cols {
                    out.extend_from_slice(&img.data[img.at(b, r, t)..][..img.c]);
                }
            }
        }
        out
    }

    /// Deterministic test values in [-0.5, 0.5).
    pub(crate) fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect()
    }

    fn image(n: usize, rows: usize, cols: usize, c: usize, seed: u32) -> Image {
        let mut img = Image::zeros(n, rows, cols, c);
        let v = values(n * rows * cols * c, seed);
        let mut i = 0;
        for b in 0..n {
            for r in 0..rows {
                for t in 0..cols {
                    let at = img.at(b, r, t);
                    img.data[at..at + c].copy_from_slice(&v[i..i + c]);
                    i += c;
                }
            }
        }
        img
    }

    fn close(a: &[f32], b: &[f32]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
    }

    #[test]
    fn conv3x3_matches_the_direct_convolution() {
        for (n, rows, cols, cin, cout, stride) in [
            (1, 8, 13, 1, 4, 1),
            (2, 7, 9, 5, 3, 2),
            (1, 10, 33, 8, 8, 2),
        ] {
            let x = image(n, rows, cols, cin, 1);
            let w = values(9 * cin * cout, 2);
            let bias = values(cout, 3);
            let conv = Conv {
                w: &w,
                bias: &bias,
                cin,
                stride,
            };
            let y = conv3x3(&x, &conv, None, false);
            close(&unpadded(&y), &reference(&x, &w, &bias, 3, stride));
            // The border stays zero, so the output is a valid padded input.
            let border: f32 = y.data.iter().map(|v| v.abs()).sum::<f32>()
                - unpadded(&y).iter().map(|v| v.abs()).sum::<f32>();
            assert!(border.abs() < 1e-3);
            let add = image(n, rows.div_ceil(stride), cols, cout, 4);
            let z = conv3x3(&x, &conv, Some(&add), true);
            let want: Vec<f32> = reference(&x, &w, &bias, 3, stride)
                .iter()
                .zip(unpadded(&add))
                .map(|(a, b)| (a + b).max(0.0))
                .collect();
            close(&unpadded(&z), &want);
        }
    }

    #[test]
    fn conv1x1_matches_the_direct_convolution() {
        let x = image(2, 9, 11, 6, 5);
        let w = values(6 * 4, 6);
        let bias = values(4, 7);
        for stride in [1, 2] {
            let conv = Conv {
                w: &w,
                bias: &bias,
                cin: 6,
                stride,
            };
            close(
                &unpadded(&conv1x1(&x, &conv)),
                &reference(&x, &w, &bias, 1, stride),
            );
        }
    }

    #[test]
    fn columns_flatten_channel_major() {
        let x = Image::from_transposed(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 1, 2, 3);
        assert_eq!((x.rows, x.cols, x.c), (3, 2, 1));
        assert_eq!(x.data[x.at(0, 2, 1)], 6.0);
        assert_eq!(x.to_columns(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let mut y = Image::zeros(1, 2, 1, 2);
        let at = y.at(0, 1, 0);
        y.data[at..at + 2].copy_from_slice(&[7.0, 8.0]);
        // Column 0: channel 0 rows 0, 1, then channel 1 rows 0, 1.
        assert_eq!(y.to_columns(), vec![0.0, 7.0, 0.0, 8.0]);
    }
}
