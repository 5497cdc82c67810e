//! The products of [`Packed`] on CPUs with AVX2 but no AVX-512 VNNI (most AMD EPYC before Zen 4,
//! Intel client cores). The packed tiles are the same: each 64-byte line (16 rows × one 4-byte
//! chunk) is read as two 256-bit halves, rows 0–7 and 8–15, and VNNI's `vpdpbusd` becomes
//! `vpmaddubsw` (adjacent u8 × i8 pairs summed into i16) then `vpmaddwd` by ones (into i32).
//!
//! Only Q4_K and Q6_K weights: their packed bytes are below 64, so a pair sum is at most
//! 2 · 63 · 127 = 16,002 and `vpmaddubsw` cannot saturate (Q4's eight pair sums of at most
//! 3,810 are even added in i16 before widening). Q8_0's packed bytes (`q + 128`) could saturate,
//! so Q8_0 weights stay with candle on these CPUs ([`super::cpu_packs`]).

use super::{Activations, Kind, Packed, BLOCK, ROWS};
use std::arch::x86_64::*;
use std::ops::Range;

/// Columns one register tile holds: two f32 accumulators per column (16 rows), so that four
/// columns with their integer sums fit the 16 ymm registers.
const COLS: usize = 4;

/// Kernel variants by weight kind.
const Q4: u8 = 1;
const Q6: u8 = 2;

/// Row groups `groups` of `w` times every column of `a`, into `out` (`t` × `w.rows`).
/// Safety: the CPU has AVX2, FMA and F16C; `w` is Q4 or Q6; `out` holds `t × w.rows` values.
#[target_feature(enable = "avx2,fma,f16c")]
pub(super) unsafe fn gemm(w: &Packed, a: &Activations, groups: Range<usize>, out: *mut f32) {
    super::for_tiles(w, a, groups, COLS, |g, c, n| match w.kind {
        Kind::Q4 => columns::<Q4>(w, a, g, c, n, out),
        Kind::Q6 => columns::<Q6>(w, a, g, c, n, out),
        Kind::Q8 => unreachable!("Q8_0 is never packed for AVX2"),
    });
}

/// `n` (1..=4) columns from `c` for group `g`, in register tiles of 4, 2 and 1.
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn columns<const KIND: u8>(
    w: &Packed,
    a: &Activations,
    g: usize,
    c: usize,
    n: usize,
    out: *mut f32,
) {
    match n {
        4 => tile::<4, KIND>(w, a, g, c, out),
        2 | 3 => {
            tile::<2, KIND>(w, a, g, c, out);
            if n == 3 {
                tile::<1, KIND>(w, a, g, c + 2, out);
            }
        }
        _ => tile::<1, KIND>(w, a, g, c, out),
    }
}

/// 8 f16 values as f32.
#[inline(always)]
unsafe fn f16x8(p: *const u16) -> __m256 {
    _mm256_cvtph_ps(_mm_loadu_si128(p as *const __m128i))
}

/// 8 bytes as f32.
#[inline(always)]
unsafe fn u8x8(p: *const u8) -> __m256 {
    _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(p as *const __m128i)))
}

/// 16 rows (group `g`) × `N` columns from `c`, weights of kind `KIND` ([`Q4`], [`Q6`]).
// `h` (the half of the rows) indexes pointers and accumulators alike
#[allow(clippy::needless_range_loop)]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn tile<const N: usize, const KIND: u8>(
    w: &Packed,
    a: &Activations,
    g: usize,
    c: usize,
    out: *mut f32,
) {
    let nb = w.k / BLOCK;
    let k = a.k;
    let tb = w.tile_bytes();
    let wq = (w.qs.as_ptr() as *const u8).add(g * nb * tb);
    let ws = w.scales.as_ptr().add(if KIND == Q4 {
        g * (nb / 8) * 2 * ROWS
    } else {
        g * nb * ROWS
    });
    let wa = w
        .aux
        .as_ptr()
        .add(if KIND == Q6 { g * nb * ROWS } else { 0 });
    let wsm = w
        .small
        .as_ptr()
        .add(if KIND == Q4 { g * nb * 2 * ROWS } else { 0 });
    let xq = a.q.as_ptr().add(c * k) as *const i32;
    let xd = a.d.as_ptr().add(c * nb);
    let xs = a.dsum.as_ptr().add(c * nb);
    let xs16 = a.dsum16.as_ptr().add(c * nb * 2);
    let low = _mm256_set1_epi8(0x0F);
    let bits45 = _mm256_set1_epi8(0x30);
    let ones = _mm256_set1_epi16(1);
    let thirty_two = _mm256_set1_ps(32.0);
    // acc[i][h]: column i, rows 8h..8h+8.
    let mut acc = [[_mm256_setzero_ps(); 2]; N];
    for b in 0..nb {
        let wt = wq.add(b * tb);
        for h in 0..2 {
            let r = 8 * h;
            let (s, q4_min) = if KIND == Q4 {
                let dd = ws.add((b / 8) * 2 * ROWS);
                let sm = wsm.add(b * 2 * ROWS);
                (
                    _mm256_mul_ps(f16x8(dd.add(r)), u8x8(sm.add(r))),
                    _mm256_mul_ps(f16x8(dd.add(ROWS + r)), u8x8(sm.add(ROWS + r))),
                )
            } else {
                (f16x8(ws.add(b * ROWS + r)), _mm256_setzero_ps())
            };
            let (h0, h1) = if KIND == Q6 {
                (
                    _mm256_load_si256(wt.add(4 * 64 + 32 * h) as *const __m256i),
                    _mm256_load_si256(wt.add(5 * 64 + 32 * h) as *const __m256i),
                )
            } else {
                (_mm256_setzero_si256(), _mm256_setzero_si256())
            };
            // Q4: i16 pair sums of the whole block; Q6: i32 sums of each half block.
            let mut p16 = [_mm256_setzero_si256(); N];
            let mut isum = [_mm256_setzero_si256(); N];
            let mut isum2 = [_mm256_setzero_si256(); N];
            for j in 0..4 {
                let v = _mm256_load_si256(wt.add(j * 64 + 32 * h) as *const __m256i);
                let mut lo = _mm256_and_si256(v, low);
                let mut hi = _mm256_and_si256(_mm256_srli_epi16::<4>(v), low);
                if KIND == Q6 {
                    // The two high bits of chunk j sit at bit Q6_HIGH_AT[j] of each byte: one
                    // shift (none for j = 0) brings them to bits 4-5.
                    let at45 = |x: __m256i| match j {
                        0 => x,
                        1 => _mm256_srli_epi16::<2>(x),
                        2 => _mm256_slli_epi16::<4>(x),
                        _ => _mm256_slli_epi16::<2>(x),
                    };
                    lo = _mm256_or_si256(lo, _mm256_and_si256(at45(h0), bits45));
                    hi = _mm256_or_si256(hi, _mm256_and_si256(at45(h1), bits45));
                }
                for i in 0..N {
                    let x = xq.add((i * k + b * BLOCK) / 4);
                    let plo = _mm256_maddubs_epi16(lo, _mm256_set1_epi32(*x.add(j)));
                    let phi = _mm256_maddubs_epi16(hi, _mm256_set1_epi32(*x.add(j + 4)));
                    if KIND == Q4 {
                        p16[i] = _mm256_add_epi16(p16[i], _mm256_add_epi16(plo, phi));
                    } else {
                        isum[i] = _mm256_add_epi32(isum[i], _mm256_madd_epi16(plo, ones));
                        isum2[i] = _mm256_add_epi32(isum2[i], _mm256_madd_epi16(phi, ones));
                    }
                }
            }
            if KIND == Q6 {
                let s2 = f16x8(wa.add(b * ROWS + r));
                let m1 = _mm256_mul_ps(s, thirty_two);
                let m2 = _mm256_mul_ps(s2, thirty_two);
                for i in 0..N {
                    let da = _mm256_set1_ps(*xd.add(i * nb + b));
                    let mut v = acc[i][h];
                    v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[i]), _mm256_mul_ps(s, da), v);
                    v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum2[i]), _mm256_mul_ps(s2, da), v);
                    // − 32·s·Σx over each half.
                    v = _mm256_fnmadd_ps(m1, _mm256_set1_ps(*xs16.add((i * nb + b) * 2)), v);
                    v = _mm256_fnmadd_ps(m2, _mm256_set1_ps(*xs16.add((i * nb + b) * 2 + 1)), v);
                    acc[i][h] = v;
                }
            } else {
                for i in 0..N {
                    let sum = _mm256_madd_epi16(p16[i], ones);
                    let sd = _mm256_mul_ps(s, _mm256_set1_ps(*xd.add(i * nb + b)));
                    let v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), sd, acc[i][h]);
                    acc[i][h] = _mm256_fnmadd_ps(q4_min, _mm256_set1_ps(*xs.add(i * nb + b)), v);
                }
            }
        }
    }
    let r0 = g * ROWS;
    let live = (w.rows - r0).min(ROWS);
    for (i, halves) in acc.iter().enumerate() {
        let dst = out.add((c + i) * w.rows + r0);
        if live == ROWS {
            _mm256_storeu_ps(dst, halves[0]);
            _mm256_storeu_ps(dst.add(8), halves[1]);
        } else {
            let mut tmp = [0f32; ROWS];
            _mm256_storeu_ps(tmp.as_mut_ptr(), halves[0]);
            _mm256_storeu_ps(tmp.as_mut_ptr().add(8), halves[1]);
            std::ptr::copy_nonoverlapping(tmp.as_ptr(), dst, live);
        }
    }
}
