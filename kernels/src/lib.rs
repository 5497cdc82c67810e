//! Quantized weights (Q8_0, Q4_K, Q6_K) repacked for int8 dot products on AVX-512 VNNI (or, for
//! Q4_K and Q6_K, AVX2: [`avx2`]), and the matrix products that use them (one token:
//! matrix-vector; a prompt batch: a register-tiled matrix-matrix kernel).
//!
//! candle's own int8 VNNI kernels only take inner dimensions that are multiples of 256; the
//! small models Noted runs have 576, 896 and 4864. These kernels take any multiple of 32
//! (256 for the K-quants).
//!
//! Layout: output rows are grouped by 16. For each group and each 32-wide block of the inner
//! dimension, a tile holds, for each 4-byte chunk `j` of the block, that chunk of all 16 rows
//! (`[j][row][4]`), so that one `vpdpbusd` multiplies a chunk of 16 rows by 4 broadcast
//! activation bytes. Activations are quantized per 32-block to signed bytes with an f32 scale.
//!
//! - Q8_0: 512 bytes, unsigned `q + 128`, and the 16 rows' f16 scales in a separate array; the
//!   `+128` is removed by starting each block's integer sum at `-128 * sum(activations)`. The
//!   packed copy is the size of the Q8_0 data it replaces.
//! - Q4_K: 256 bytes, chunk `j` in the low nibbles and chunk `j + 4` in the high nibbles;
//!   Q4_K's 6-bit scale and minimum of each (row, 32-block) kept as bytes and its f16
//!   `d`/`dmin` per (row, 256 values), so the weight is exactly Q4_K's `d·sc·q − dmin·m`, at
//!   4.6 bits per weight. The minimum is applied with the activations' block sums.
//! - Q6_K: the low 4 bits as in Q4 tiles, the high 2 in a 128-byte plane (line `j / 4`, bits
//!   [`Q6_HIGH_AT`]`[j mod 4]` for chunk `j`), and Q6_K's scale of each 16 values (f16 `d·sc`);
//!   the weight is `s·(q − 32)`.
//!
//! Also here: the other per-token loops of the forward pass (generation attention, rotary
//! embedding). This is a crate of its own so that debug builds of Noted (tests, the demo)
//! compile these loops optimized; see the workspace `Cargo.toml`.

use candle_core::quantized::{GgmlDType, QTensor};

#[cfg(target_arch = "x86_64")]
mod avx2;
pub mod conv;
pub mod dense;
pub mod lstm;
pub mod sincnet;

/// Rows per packed group: one 512-bit register of i32/f32 lanes.
const ROWS: usize = 16;
/// Values per quantization block (Q8_0's block).
const BLOCK: usize = 32;
/// Bytes of one packed (group, block) tile.
const TILE: usize = ROWS * BLOCK;
/// Activation columns (tokens) one kernel call keeps in registers.
const COLS: usize = 8;

/// One cache line, so that the packed weights are 64-byte aligned.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([u8; 64]);

/// Whether this CPU has AVX-512 with VNNI (checked once).
pub fn cpu_has_vnni() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::OnceLock;
        static OK: OnceLock<bool> = OnceLock::new();
        *OK.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vnni")
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether this CPU has AVX2 with FMA and F16C (checked once).
pub fn cpu_has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::OnceLock;
        static OK: OnceLock<bool> = OnceLock::new();
        *OK.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
                && std::arch::is_x86_feature_detected!("f16c")
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The instruction set a product runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// AVX-512 with VNNI: every packed kind.
    Avx512Vnni,
    /// AVX2 with FMA and F16C: Q4_K and Q6_K ([`avx2`]).
    Avx2,
}

impl Isa {
    /// The best instruction set this CPU has for weights of `kind`, if any.
    fn for_kind(kind: Kind) -> Option<Isa> {
        if cpu_has_vnni() {
            Some(Isa::Avx512Vnni)
        } else if cpu_has_avx2() && kind != Kind::Q8 {
            Some(Isa::Avx2)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512Vnni => "avx512vnni",
            Isa::Avx2 => "avx2",
        }
    }
}

/// The instruction set these kernels run weights of `dtype` on, on this CPU: `None` when they
/// do not take that type here (the weight then stays with candle).
pub fn cpu_packs(dtype: GgmlDType) -> Option<Isa> {
    let kind = match dtype {
        GgmlDType::Q8_0 => Kind::Q8,
        GgmlDType::Q4K => Kind::Q4,
        GgmlDType::Q6K => Kind::Q6,
        _ => return None,
    };
    Isa::for_kind(kind)
}

/// Bit position, in a Q6 tile's high plane, of the two high bits of chunk `j mod 4` (chosen so
/// that the kernel needs at most one shift to bring them to bits 4-5).
const Q6_HIGH_AT: [u32; 4] = [4, 6, 0, 2];

/// How a packed matrix stores its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Bytes `q + 128`, weight `s·q`.
    Q8,
    /// Nibbles `q`, weight `s·q − m`.
    Q4,
    /// 6-bit `q` (nibble + 2-bit plane), weight `s·(q − 32)`, `s` per 16 values.
    Q6,
}

/// A quantized matrix (rows = output features, k = inner dimension) in the packed layout.
pub struct Packed {
    kind: Kind,
    rows: usize,
    k: usize,
    groups: usize,
    /// `[group][block]` tiles (512 bytes for Q8, 256 for Q4).
    qs: Vec<Line>,
    /// f16 bits. Q8/Q6: `[group][block][row]` scales. Q4: `[group][256-value block][d | dmin]
    /// [row]`.
    scales: Vec<u16>,
    /// Q6 only: `[group][block][row]` f16 scales of the block's second 16 values (`scales` has
    /// those of the first 16).
    aux: Vec<u16>,
    /// Q4 only: `[group][block][sc | m][row]`, Q4_K's 6-bit sub-block scales and minimums.
    small: Vec<u8>,
}

/// Q4_K's 6-bit scale and minimum of sub-block `j` (0..8) from its 12 packed bytes.
fn q4k_scale_min(j: usize, q: &[u8]) -> (u8, u8) {
    if j < 4 {
        (q[j] & 63, q[j + 4] & 63)
    } else {
        (
            (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4),
            (q[j + 4] >> 4) | ((q[j] >> 6) << 4),
        )
    }
}

impl Packed {
    /// Packs a 2-D Q8_0 tensor. `None` when the tensor is of another type or shape.
    pub fn from_qtensor(t: &QTensor) -> Option<Packed> {
        let (rows, k) = t.shape().dims2().ok()?;
        if k % BLOCK != 0 || rows == 0 {
            return None;
        }
        match t.dtype() {
            GgmlDType::Q8_0 => Some(Self::from_q8_0_bytes(&t.data().ok()?, rows, k)),
            GgmlDType::Q4K if k % 256 == 0 => Some(Self::from_q4k_bytes(&t.data().ok()?, rows, k)),
            GgmlDType::Q6K if k % 256 == 0 => Some(Self::from_q6k_bytes(&t.data().ok()?, rows, k)),
            _ => None,
        }
    }

    /// An empty matrix of `kind`, every tile zero.
    fn zeroed(kind: Kind, rows: usize, k: usize) -> Packed {
        let nb = k / BLOCK;
        let groups = rows.div_ceil(ROWS);
        let fill = if kind == Kind::Q8 { 128 } else { 0 };
        let tile = Self::tile_bytes_of(kind);
        Packed {
            kind,
            rows,
            k,
            groups,
            qs: vec![Line([fill; 64]); groups * nb * tile / 64],
            scales: if kind == Kind::Q4 {
                vec![0u16; groups * (nb / 8) * 2 * ROWS]
            } else {
                vec![0u16; groups * nb * ROWS]
            },
            small: if kind == Kind::Q4 {
                vec![0u8; groups * nb * 2 * ROWS]
            } else {
                Vec::new()
            },
            aux: if kind == Kind::Q6 {
                vec![0u16; groups * nb * ROWS]
            } else {
                Vec::new()
            },
        }
    }

    /// Bytes of one (group, block) tile.
    fn tile_bytes(&self) -> usize {
        Self::tile_bytes_of(self.kind)
    }

    fn tile_bytes_of(kind: Kind) -> usize {
        match kind {
            Kind::Q8 => TILE,
            Kind::Q4 => TILE / 2,
            Kind::Q6 => TILE / 2 + TILE / 4,
        }
    }

    /// Packs raw Q6_K super-blocks (210 bytes per 256 values: 128 bytes of low nibbles, 64 of
    /// 2-bit highs, 16 signed 8-bit scales, f16 `d`), `rows` × `k`.
    pub fn from_q6k_bytes(data: &[u8], rows: usize, k: usize) -> Packed {
        const SB: usize = 210;
        let nsb = k / 256;
        let nb = k / BLOCK;
        assert_eq!(data.len(), rows * nsb * SB, "Q6_K data size");
        let mut p = Self::zeroed(Kind::Q6, rows, k);
        let tile = p.tile_bytes();
        for r in 0..rows {
            let (g, lane) = (r / ROWS, r % ROWS);
            for sb in 0..nsb {
                let src = &data[(r * nsb + sb) * SB..(r * nsb + sb + 1) * SB];
                let (ql, qh, sc) = (&src[..128], &src[128..192], &src[192..208]);
                let d = half::f16::from_le_bytes([src[208], src[209]]).to_f32();
                for sub in 0..8 {
                    let b = sb * 8 + sub;
                    let (hf, quarter) = (sub / 4, sub % 4);
                    let at = (g * nb + b) * ROWS + lane;
                    let s = |i: usize| half::f16::from_f32(d * sc[i] as i8 as f32).to_bits();
                    p.scales[at] = s(hf * 8 + quarter * 2);
                    p.aux[at] = s(hf * 8 + quarter * 2 + 1);
                    let bytes = p.bytes_mut();
                    let t = &mut bytes[(g * nb + b) * tile..(g * nb + b + 1) * tile];
                    for l in 0..32 {
                        // ggml's Q6_K order: quarter 0..4 of each 128-value half.
                        let (lo_byte, lo_shift, hi_shift) = match quarter {
                            0 => (ql[64 * hf + l], 0, 0),
                            1 => (ql[64 * hf + l + 32], 0, 2),
                            2 => (ql[64 * hf + l], 4, 4),
                            _ => (ql[64 * hf + l + 32], 4, 6),
                        };
                        let q = ((lo_byte >> lo_shift) & 0xF)
                            | (((qh[32 * hf + l] >> hi_shift) & 3) << 4);
                        let (j, i) = (l / 4, l % 4);
                        let at = (j % 4) * ROWS * 4 + lane * 4 + i;
                        t[at] |= if j < 4 { q & 0xF } else { (q & 0xF) << 4 };
                        t[TILE / 2 + (j / 4) * ROWS * 4 + lane * 4 + i] |=
                            (q >> 4) << Q6_HIGH_AT[j % 4];
                    }
                }
            }
        }
        p
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        let n = self.qs.len() * 64;
        // Safety: `Line` is 64 plain bytes, so the vector is `n` contiguous bytes.
        unsafe { std::slice::from_raw_parts_mut(self.qs.as_mut_ptr() as *mut u8, n) }
    }

    /// Packs raw Q4_K super-blocks (144 bytes per 256 values: f16 `d`, f16 `dmin`, 12 bytes of
    /// 6-bit sub-block scales and minimums, 128 bytes of nibbles), `rows` × `k`.
    pub fn from_q4k_bytes(data: &[u8], rows: usize, k: usize) -> Packed {
        const SB: usize = 144;
        let nsb = k / 256;
        let nb = k / BLOCK;
        assert_eq!(data.len(), rows * nsb * SB, "Q4_K data size");
        let mut p = Self::zeroed(Kind::Q4, rows, k);
        let tile = p.tile_bytes();
        for r in 0..rows {
            let (g, lane) = (r / ROWS, r % ROWS);
            for sb in 0..nsb {
                let src = &data[(r * nsb + sb) * SB..(r * nsb + sb + 1) * SB];
                let dd = (g * nsb + sb) * 2 * ROWS + lane;
                p.scales[dd] = u16::from_le_bytes([src[0], src[1]]);
                p.scales[dd + ROWS] = u16::from_le_bytes([src[2], src[3]]);
                let (sc, qs) = (&src[4..16], &src[16..]);
                for sub in 0..8 {
                    let b = sb * 8 + sub;
                    let (s, m) = q4k_scale_min(sub, sc);
                    let at = (g * nb + b) * 2 * ROWS + lane;
                    p.small[at] = s;
                    p.small[at + ROWS] = m;
                    let src_q = &qs[32 * (sub / 2)..32 * (sub / 2) + 32];
                    let bytes = p.bytes_mut();
                    let t = &mut bytes[(g * nb + b) * tile..(g * nb + b + 1) * tile];
                    for (l, &v) in src_q.iter().enumerate() {
                        let q = if sub % 2 == 0 { v & 0xF } else { v >> 4 };
                        let (j, i) = (l / 4, l % 4);
                        let at = (j % 4) * ROWS * 4 + lane * 4 + i;
                        t[at] |= if j < 4 { q } else { q << 4 };
                    }
                }
            }
        }
        p
    }

    /// Packs raw Q8_0 blocks (34 bytes each: f16 scale, 32 signed bytes), `rows` × `k`.
    pub fn from_q8_0_bytes(data: &[u8], rows: usize, k: usize) -> Packed {
        const QB: usize = 2 + BLOCK;
        let nb = k / BLOCK;
        assert_eq!(data.len(), rows * nb * QB, "Q8_0 data size");
        let mut p = Self::zeroed(Kind::Q8, rows, k);
        for r in 0..rows {
            let (g, lane) = (r / ROWS, r % ROWS);
            for b in 0..nb {
                let src = &data[(r * nb + b) * QB..(r * nb + b + 1) * QB];
                p.scales[(g * nb + b) * ROWS + lane] = u16::from_le_bytes([src[0], src[1]]);
                let tile = &mut p.bytes_mut()[(g * nb + b) * TILE..(g * nb + b + 1) * TILE];
                for j in 0..BLOCK / 4 {
                    for i in 0..4 {
                        tile[j * ROWS * 4 + lane * 4 + i] =
                            (src[2 + j * 4 + i] as i8 as i16 + 128) as u8;
                    }
                }
            }
        }
        p
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn k(&self) -> usize {
        self.k
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.qs.len() * 64 + (self.scales.len() + self.aux.len()) * 2 + self.small.len()
    }

    /// Row `r` dequantized (an embedding lookup).
    pub fn row(&self, r: usize) -> Vec<f32> {
        let nb = self.k / BLOCK;
        let (g, lane) = (r / ROWS, r % ROWS);
        let bytes = self.bytes_of_group(g);
        let tb = self.tile_bytes();
        let mut out = Vec::with_capacity(self.k);
        for b in 0..nb {
            let at = (g * nb + b) * ROWS + lane;
            let f16 = |v: u16| half::f16::from_bits(v).to_f32();
            let d = if self.kind == Kind::Q4 {
                0.0
            } else {
                f16(self.scales[at])
            };
            let tile = &bytes[b * tb..(b + 1) * tb];
            for j in 0..BLOCK / 4 {
                for i in 0..4 {
                    out.push(match self.kind {
                        Kind::Q8 => d * (tile[j * ROWS * 4 + lane * 4 + i] as i16 - 128) as f32,
                        Kind::Q4 => {
                            let v = tile[(j % 4) * ROWS * 4 + lane * 4 + i];
                            let q = if j < 4 { v & 0xF } else { v >> 4 };
                            let dd = (g * (nb / 8) + b / 8) * 2 * ROWS + lane;
                            let sm = (g * nb + b) * 2 * ROWS + lane;
                            let (sd, md) = (f16(self.scales[dd]), f16(self.scales[dd + ROWS]));
                            let (sc, m) = (self.small[sm] as f32, self.small[sm + ROWS] as f32);
                            (sd * sc) * q as f32 - md * m
                        }
                        Kind::Q6 => {
                            let v = tile[(j % 4) * ROWS * 4 + lane * 4 + i];
                            let lo = if j < 4 { v & 0xF } else { v >> 4 };
                            let h = tile[TILE / 2 + (j / 4) * ROWS * 4 + lane * 4 + i];
                            let q = lo | (((h >> Q6_HIGH_AT[j % 4]) & 3) << 4);
                            let s = if j < 4 {
                                d
                            } else {
                                half::f16::from_bits(self.aux[at]).to_f32()
                            };
                            s * (q as f32 - 32.0)
                        }
                    });
                }
            }
        }
        out
    }

    fn bytes_of_group(&self, g: usize) -> &[u8] {
        let nb = self.k / BLOCK;
        let per = nb * self.tile_bytes() / 64;
        let lines = &self.qs[g * per..(g + 1) * per];
        // Safety: `Line` is 64 plain bytes.
        unsafe { std::slice::from_raw_parts(lines.as_ptr() as *const u8, lines.len() * 64) }
    }

    /// `x` (`t` rows of `k`) times this matrix transposed: `t` rows of `rows` outputs.
    /// Panics if the CPU has no kernel for this kind (a bug: weights are only packed where
    /// [`cpu_packs`] says so).
    pub fn matmul(&self, x: &[f32], t: usize) -> Vec<f32> {
        let isa = Isa::for_kind(self.kind).expect("int8 kernels used on a CPU without them");
        self.matmul_on(isa, x, t)
    }

    /// [`Packed::matmul`] on a chosen instruction set (tests run both where the CPU has both).
    fn matmul_on(&self, isa: Isa, x: &[f32], t: usize) -> Vec<f32> {
        match isa {
            Isa::Avx512Vnni => assert!(cpu_has_vnni(), "no AVX-512 VNNI on this CPU"),
            Isa::Avx2 => assert!(
                cpu_has_avx2() && self.kind != Kind::Q8,
                "no AVX2 kernel for this CPU or kind"
            ),
        }
        assert_eq!(x.len(), t * self.k, "activation size");
        let act = Activations::quantize(x, t, self.k);
        let mut y = vec![0f32; t * self.rows];
        let pool = candle_core::utils::barrier_pool();
        let threads = pool.n_workers() + 1;
        let out = SharedOut(y.as_mut_ptr());
        // Each thread takes a contiguous range of row groups, for every column.
        let per = self.groups.div_ceil(threads);
        let run = |tid: usize| {
            let g0 = (tid * per).min(self.groups);
            let g1 = ((tid + 1) * per).min(self.groups);
            // Safety: CPU features checked above; every thread writes only its own row groups.
            #[cfg(target_arch = "x86_64")]
            unsafe {
                match isa {
                    Isa::Avx512Vnni => x86::gemm(self, &act, g0..g1, out.ptr()),
                    Isa::Avx2 => avx2::gemm(self, &act, g0..g1, out.ptr()),
                }
            };
        };
        if threads == 1 || (t == 1 && self.groups * self.k < 64 * 1024) {
            run_all(&run, threads);
        } else {
            pool.execute(run);
        }
        y
    }
}

/// Runs every thread's share on the calling thread (products too small to share).
fn run_all(run: &(dyn Fn(usize) + Sync), threads: usize) {
    for tid in 0..threads {
        run(tid);
    }
}

/// The order both instruction sets run a thread's share in: row groups in chunks of about
/// 256 KiB of weights (kept in cache), and over each chunk every tile of at most `cols` columns;
/// `tile(g, c, n)` runs group `g` against columns `c..c + n`.
fn for_tiles(
    w: &Packed,
    a: &Activations,
    groups: std::ops::Range<usize>,
    cols: usize,
    mut tile: impl FnMut(usize, usize, usize),
) {
    let t = a.d.len() / (a.k / BLOCK);
    let nb = w.k / BLOCK;
    let chunk = (256 * 1024 / (nb * w.tile_bytes())).max(1);
    let mut g0 = groups.start;
    while g0 < groups.end {
        let g1 = (g0 + chunk).min(groups.end);
        let mut c = 0;
        while c < t {
            let n = (t - c).min(cols);
            for g in g0..g1 {
                tile(g, c, n);
            }
            c += n;
        }
        g0 = g1;
    }
}

/// Output pointer shared by the threads (each writes disjoint elements); `conv` uses it too.
#[derive(Clone, Copy)]
pub(crate) struct SharedOut(*mut f32);
unsafe impl Send for SharedOut {}
unsafe impl Sync for SharedOut {}

impl SharedOut {
    fn ptr(self) -> *mut f32 {
        self.0
    }
}

/// Activations quantized per 32-block: signed bytes, their scale, `-128 * sum(bytes)` (for Q8
/// weights) and `scale * sum(bytes)` (for Q4 minimums).
struct Activations {
    k: usize,
    q: Vec<i8>,
    d: Vec<f32>,
    corr: Vec<i32>,
    dsum: Vec<f32>,
    /// `scale * sum` of each block's two halves of 16 (for Q6's per-16 scales).
    dsum16: Vec<f32>,
}

impl Activations {
    fn quantize(x: &[f32], t: usize, k: usize) -> Activations {
        let nb = k / BLOCK;
        let mut q = vec![0i8; t * k];
        let mut d = vec![0f32; t * nb];
        let mut corr = vec![0i32; t * nb];
        let mut dsum = vec![0f32; t * nb];
        let mut dsum16 = vec![0f32; t * nb * 2];
        for ((((xb, qb), (db, cb)), sb), s16) in x
            .chunks_exact(BLOCK)
            .zip(q.chunks_exact_mut(BLOCK))
            .zip(d.iter_mut().zip(corr.iter_mut()))
            .zip(dsum.iter_mut())
            .zip(dsum16.chunks_exact_mut(2))
        {
            let amax = xb.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = amax / 127.0;
            let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
            let mut sum = 0i32;
            for (o, v) in qb.iter_mut().zip(xb) {
                let r = (v * inv).round() as i32;
                *o = r as i8;
                sum += r;
            }
            *db = scale;
            *cb = -128 * sum;
            *sb = scale * sum as f32;
            let first: i32 = qb[..16].iter().map(|&v| v as i32).sum();
            s16[0] = scale * first as f32;
            s16[1] = scale * (sum - first) as f32;
        }
        Activations {
            k,
            q,
            d,
            corr,
            dsum,
            dsum16,
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{softmax, Activations, Kind, Packed, BLOCK, COLS, ROWS};
    use std::arch::x86_64::*;

    /// [`super::attend_portable`] with AVX-512: each key and value row is loaded once for the
    /// `g` query heads; the exponentials are computed 16 at a time.
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn attend(
        q: &[f32],
        kv: &[f32],
        kv_len: usize,
        row: usize,
        off: usize,
        d: usize,
        scale: f32,
        scores: &mut [f32],
        o: &mut [f32],
    ) {
        let g = q.len() / d;
        let chunks = d / 16;
        let base = kv.as_ptr().add(off);
        let full = kv_len / 16 * 16;
        let vscale = _mm512_set1_ps(scale);
        for i in 0..g {
            let qh = q.as_ptr().add(i * d);
            let sc = scores.as_mut_ptr().add(i * kv_len);
            // 16 positions at a time: 16 dot products summed across lanes together.
            for p0 in (0..full).step_by(16) {
                let mut accs = [_mm512_setzero_ps(); 16];
                for (pp, acc) in accs.iter_mut().enumerate() {
                    let k = base.add((p0 + pp) * row);
                    for c in 0..chunks {
                        *acc = _mm512_fmadd_ps(
                            _mm512_loadu_ps(qh.add(c * 16)),
                            _mm512_loadu_ps(k.add(c * 16)),
                            *acc,
                        );
                    }
                }
                _mm512_storeu_ps(sc.add(p0), _mm512_mul_ps(hsum16(&accs), vscale));
            }
            for p in full..kv_len {
                let k = base.add(p * row);
                let mut acc = _mm512_setzero_ps();
                for c in 0..chunks {
                    acc = _mm512_fmadd_ps(
                        _mm512_loadu_ps(qh.add(c * 16)),
                        _mm512_loadu_ps(k.add(c * 16)),
                        acc,
                    );
                }
                *sc.add(p) = _mm512_reduce_add_ps(acc) * scale;
            }
        }
        for i in 0..g {
            softmax(&mut scores[i * kv_len..(i + 1) * kv_len]);
        }
        o.fill(0.0);
        for i in 0..g {
            let sc = scores.as_ptr().add(i * kv_len);
            let oh = o.as_mut_ptr().add(i * d);
            // Eight 16-lane accumulators cover d ≤ 128 in one pass over the values; larger d
            // loops in chunks of 8.
            let mut c0 = 0;
            while c0 < chunks {
                let n = (chunks - c0).min(8);
                let mut acc = [_mm512_setzero_ps(); 8];
                for p in 0..kv_len {
                    let w = _mm512_set1_ps(*sc.add(p));
                    let v = base.add(p * row + d + c0 * 16);
                    for (c, a) in acc.iter_mut().enumerate().take(n) {
                        *a = _mm512_fmadd_ps(w, _mm512_loadu_ps(v.add(c * 16)), *a);
                    }
                }
                for (c, a) in acc.iter().enumerate().take(n) {
                    _mm512_storeu_ps(oh.add((c0 + c) * 16), *a);
                }
                c0 += n;
            }
        }
    }

    /// Lane `i` of the result is the sum of the lanes of `v[i]`: pairwise sums of two vectors
    /// packed into one, four times over (15 merges instead of 16 full reductions).
    #[target_feature(enable = "avx512f")]
    unsafe fn hsum16(v: &[__m512; 16]) -> __m512 {
        let even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        let odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        let merge = |a: __m512, b: __m512| {
            _mm512_add_ps(
                _mm512_permutex2var_ps(a, even, b),
                _mm512_permutex2var_ps(a, odd, b),
            )
        };
        let mut l = [_mm512_setzero_ps(); 8];
        for i in 0..8 {
            l[i] = merge(v[2 * i], v[2 * i + 1]);
        }
        for i in 0..4 {
            l[i] = merge(l[2 * i], l[2 * i + 1]);
        }
        for i in 0..2 {
            l[i] = merge(l[2 * i], l[2 * i + 1]);
        }
        merge(l[0], l[1])
    }

    /// Row groups `groups` of `w` times every column of `a`, into `out` (`t` × `w.rows`).
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) unsafe fn gemm(
        w: &Packed,
        a: &Activations,
        groups: std::ops::Range<usize>,
        out: *mut f32,
    ) {
        super::for_tiles(w, a, groups, COLS, |g, c, n| match w.kind {
            Kind::Q8 => columns::<Q8>(w, a, g, c, n, out),
            Kind::Q4 => columns::<Q4>(w, a, g, c, n, out),
            Kind::Q6 => columns::<Q6>(w, a, g, c, n, out),
        });
    }

    /// Kernel variants by weight kind.
    const Q8: u8 = 0;
    const Q4: u8 = 1;
    const Q6: u8 = 2;

    /// `n` (1..=8) columns from `c` for group `g`, in register tiles of 8, 4, 2 and 1.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn columns<const KIND: u8>(
        w: &Packed,
        a: &Activations,
        g: usize,
        c: usize,
        n: usize,
        out: *mut f32,
    ) {
        match n {
            8 => tile::<8, KIND>(w, a, g, c, out),
            4..=7 => {
                tile::<4, KIND>(w, a, g, c, out);
                for i in 4..n {
                    tile::<1, KIND>(w, a, g, c + i, out);
                }
            }
            2 | 3 => {
                tile::<2, KIND>(w, a, g, c, out);
                if n == 3 {
                    tile::<1, KIND>(w, a, g, c + 2, out);
                }
            }
            _ => tile::<1, KIND>(w, a, g, c, out),
        }
    }

    /// 16 rows (group `g`) × `N` columns from `c`, weights of kind `KIND` ([`Q8`], [`Q4`],
    /// [`Q6`]).
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    unsafe fn tile<const N: usize, const KIND: u8>(
        w: &Packed,
        a: &Activations,
        g: usize,
        c: usize,
        out: *mut f32,
    ) {
        let nb = w.k / BLOCK;
        let k = a.k;
        let lines = w.tile_bytes() / 64;
        let wq = w.qs.as_ptr().add(g * nb * lines) as *const __m512i;
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
        let xc = a.corr.as_ptr().add(c * nb);
        let xs = a.dsum.as_ptr().add(c * nb);
        let xs16 = a.dsum16.as_ptr().add(c * nb * 2);
        let low = _mm512_set1_epi8(0x0F);
        let bits45 = _mm512_set1_epi8(0x30);
        let mut acc = [_mm512_setzero_ps(); N];
        for b in 0..nb {
            let wt = wq.add(b * lines);
            let f16x16 = |p: *const u16| _mm512_cvtph_ps(_mm256_loadu_si256(p as *const __m256i));
            let u8x16 = |p: *const u8| {
                _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128(p as *const __m128i)))
            };
            // Q4: d·sc and dmin·m from the 256-value block's d/dmin and the bytes sc, m.
            let (s, q4_min) = if KIND == Q4 {
                let dd = ws.add((b / 8) * 2 * ROWS);
                let sm = wsm.add(b * 2 * ROWS);
                (
                    _mm512_mul_ps(f16x16(dd), u8x16(sm)),
                    _mm512_mul_ps(f16x16(dd.add(ROWS)), u8x16(sm.add(ROWS))),
                )
            } else {
                (f16x16(ws.add(b * ROWS)), _mm512_setzero_ps())
            };
            // Q8/Q4: one integer sum per column; Q6: one per half block (`isum2` the second).
            let mut isum = [_mm512_setzero_si512(); N];
            let mut isum2 = [_mm512_setzero_si512(); N];
            if KIND == Q8 {
                for (i, v) in isum.iter_mut().enumerate() {
                    *v = _mm512_set1_epi32(*xc.add(i * nb + b));
                }
                for j in 0..8 {
                    let wv = _mm512_load_si512(wt.add(j));
                    for (i, v) in isum.iter_mut().enumerate() {
                        let xv = _mm512_set1_epi32(*xq.add((i * k + b * BLOCK) / 4 + j));
                        *v = _mm512_dpbusd_epi32(*v, wv, xv);
                    }
                }
            } else {
                let (h0, h1) = if KIND == Q6 {
                    (_mm512_load_si512(wt.add(4)), _mm512_load_si512(wt.add(5)))
                } else {
                    (_mm512_setzero_si512(), _mm512_setzero_si512())
                };
                for j in 0..4 {
                    let v = _mm512_load_si512(wt.add(j));
                    let mut lo = _mm512_and_si512(v, low);
                    let mut hi = _mm512_and_si512(_mm512_srli_epi16::<4>(v), low);
                    if KIND == Q6 {
                        // The two high bits of chunk j sit at bit Q6_HIGH_AT[j] of each byte:
                        // one shift (none for j = 0) brings them to bits 4-5.
                        let at45 = |h: __m512i| match j {
                            0 => h,
                            1 => _mm512_srli_epi16::<2>(h),
                            2 => _mm512_slli_epi16::<4>(h),
                            _ => _mm512_slli_epi16::<2>(h),
                        };
                        lo = _mm512_or_si512(lo, _mm512_and_si512(at45(h0), bits45));
                        hi = _mm512_or_si512(hi, _mm512_and_si512(at45(h1), bits45));
                    }
                    for i in 0..N {
                        let x = xq.add((i * k + b * BLOCK) / 4);
                        isum[i] = _mm512_dpbusd_epi32(isum[i], lo, _mm512_set1_epi32(*x.add(j)));
                        let second = if KIND == Q6 {
                            &mut isum2[i]
                        } else {
                            &mut isum[i]
                        };
                        *second =
                            _mm512_dpbusd_epi32(*second, hi, _mm512_set1_epi32(*x.add(j + 4)));
                    }
                }
            }
            if KIND == Q6 {
                let s2 = _mm512_cvtph_ps(_mm256_loadu_si256(wa.add(b * ROWS) as *const __m256i));
                let thirty_two = _mm512_set1_ps(32.0);
                for i in 0..N {
                    let da = _mm512_set1_ps(*xd.add(i * nb + b));
                    acc[i] =
                        _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i]), _mm512_mul_ps(s, da), acc[i]);
                    acc[i] = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(isum2[i]),
                        _mm512_mul_ps(s2, da),
                        acc[i],
                    );
                    // − 32·s·Σx over each half.
                    let m1 = _mm512_mul_ps(s, thirty_two);
                    let m2 = _mm512_mul_ps(s2, thirty_two);
                    acc[i] =
                        _mm512_fnmadd_ps(m1, _mm512_set1_ps(*xs16.add((i * nb + b) * 2)), acc[i]);
                    acc[i] = _mm512_fnmadd_ps(
                        m2,
                        _mm512_set1_ps(*xs16.add((i * nb + b) * 2 + 1)),
                        acc[i],
                    );
                }
            } else {
                for i in 0..N {
                    let sd = _mm512_mul_ps(s, _mm512_set1_ps(*xd.add(i * nb + b)));
                    acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[i]), sd, acc[i]);
                }
                if KIND == Q4 {
                    for (i, a) in acc.iter_mut().enumerate() {
                        let sum = _mm512_set1_ps(*xs.add(i * nb + b));
                        *a = _mm512_fnmadd_ps(q4_min, sum, *a);
                    }
                }
            }
        }
        let r0 = g * ROWS;
        let live = (w.rows - r0).min(ROWS);
        let mask: __mmask16 = if live == ROWS {
            0xffff
        } else {
            (1u16 << live) - 1
        };
        for (i, v) in acc.iter().enumerate() {
            _mm512_mask_storeu_ps(out.add((c + i) * w.rows + r0), mask, *v);
        }
    }
}

/// Attention of one new position (generation): for each query head `i` of `q` (`h × d`),
/// softmax(q·kᵀ · scale) · v over the cache `kv` (`[pos][kv_head][k(d) | v(d)]`, `kv_len`
/// positions), key/value head `i / (h / hk)`. Returns `h × d` values.
pub fn decode_attention(
    q: &[f32],
    kv: &[f32],
    kv_len: usize,
    (h, hk, d): (usize, usize, usize),
    scale: f32,
) -> Vec<f32> {
    assert_eq!(q.len(), h * d, "query size");
    assert!(kv.len() >= kv_len * hk * 2 * d, "cache size");
    let mut out = vec![0f32; h * d];
    let g = h / hk;
    let row = hk * 2 * d;
    let pool = candle_core::utils::barrier_pool();
    let threads = pool.n_workers() + 1;
    // One task per key/value head (its `g` query heads share every key and value load).
    let task = |j: usize, o: &mut [f32], scores: &mut Vec<f32>| {
        scores.clear();
        scores.resize(g * kv_len, 0.0);
        #[cfg(target_arch = "x86_64")]
        if d % 16 == 0 && cpu_has_vnni() {
            // Safety: AVX-512F checked; slices sized above.
            unsafe {
                x86::attend(
                    &q[j * g * d..(j + 1) * g * d],
                    kv,
                    kv_len,
                    row,
                    j * 2 * d,
                    d,
                    scale,
                    scores,
                    o,
                )
            };
            return;
        }
        attend_portable(
            &q[j * g * d..(j + 1) * g * d],
            kv,
            kv_len,
            row,
            j * 2 * d,
            d,
            scale,
            scores,
            o,
        );
    };
    // Below about 64k multiply-adds a thread hand-off costs more than it saves.
    if threads == 1 || hk == 1 || kv_len * h * d < 64 * 1024 {
        let mut scores = Vec::new();
        for (j, o) in out.chunks_exact_mut(g * d).enumerate() {
            task(j, o, &mut scores);
        }
    } else {
        let ptr = SharedOut(out.as_mut_ptr());
        pool.execute(|tid| {
            let mut scores = Vec::new();
            let mut j = tid;
            while j < hk {
                // Safety: the outputs of key/value head `j` are written by one thread only.
                let o = unsafe { std::slice::from_raw_parts_mut(ptr.ptr().add(j * g * d), g * d) };
                task(j, o, &mut scores);
                j += threads;
            }
        });
    }
    out
}

/// Attention of the `g` query heads in `q` (`g × d`) sharing the key/value head at offset `off`
/// of each cache row (`row` floats per position): scores in `scores` (`g × kv_len`), output
/// in `o` (`g × d`).
#[allow(clippy::too_many_arguments)]
fn attend_portable(
    q: &[f32],
    kv: &[f32],
    kv_len: usize,
    row: usize,
    off: usize,
    d: usize,
    scale: f32,
    scores: &mut [f32],
    o: &mut [f32],
) {
    let g = q.len() / d;
    for (i, sc) in scores.chunks_exact_mut(kv_len).enumerate() {
        let qh = &q[i * d..(i + 1) * d];
        for (p, s) in sc.iter_mut().enumerate() {
            *s = dot(qh, &kv[p * row + off..p * row + off + d]) * scale;
        }
        softmax(sc);
    }
    o.fill(0.0);
    for i in 0..g {
        let oh = &mut o[i * d..(i + 1) * d];
        for (p, w) in scores[i * kv_len..(i + 1) * kv_len].iter().enumerate() {
            let v = &kv[p * row + off + d..p * row + off + 2 * d];
            for (a, b) in oh.iter_mut().zip(v) {
                *a += w * b;
            }
        }
    }
}

/// In-place softmax.
fn softmax(x: &mut [f32]) {
    let max = x.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut z = 0f32;
    for s in x.iter_mut() {
        *s = (*s - max).exp();
        z += *s;
    }
    let inv = 1.0 / z;
    for s in x.iter_mut() {
        *s *= inv;
    }
}

/// Rotary position embedding, in place, of `x` (`[t][head][head_dim]`) at positions `pos0..`:
/// the first `rope_dim` values of each head rotated by the tables `cos`/`sin`
/// (`[pos][rope_dim / 2]`), as halves (`neox`) or as interleaved pairs.
pub fn rope(
    x: &mut [f32],
    (n_heads, d, rd): (usize, usize, usize),
    pos0: usize,
    (cos, sin): (&[f32], &[f32]),
    neox: bool,
) {
    let half = rd / 2;
    for (t, xt) in x.chunks_exact_mut(n_heads * d).enumerate() {
        let base = (pos0 + t) * half;
        let (cos, sin) = (&cos[base..base + half], &sin[base..base + half]);
        for v in xt.chunks_exact_mut(d) {
            let v = &mut v[..rd];
            if neox {
                let (a, b) = v.split_at_mut(half);
                for i in 0..half {
                    let (x0, x1) = (a[i], b[i]);
                    a[i] = x0 * cos[i] - x1 * sin[i];
                    b[i] = x0 * sin[i] + x1 * cos[i];
                }
            } else {
                for i in 0..half {
                    let (x0, x1) = (v[2 * i], v[2 * i + 1]);
                    v[2 * i] = x0 * cos[i] - x1 * sin[i];
                    v[2 * i + 1] = x0 * sin[i] + x1 * cos[i];
                }
            }
        }
    }
}

/// Dot product in 16 independent lanes (vectorizes; a plain sum would not).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let (ac, ar) = a.split_at(a.len() / 16 * 16);
    let (bc, br) = b.split_at(ac.len());
    for (x, y) in ac.chunks_exact(16).zip(bc.chunks_exact(16)) {
        for i in 0..16 {
            acc[i] += x[i] * y[i];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ar.iter().zip(br) {
        s += x * y;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Tensor};

    fn lcg(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    /// Reference: the same quantized weights and activations multiplied in f64.
    fn reference(w: &Packed, x: &[f32], t: usize) -> Vec<f32> {
        let act = Activations::quantize(x, t, w.k);
        let nb = w.k / BLOCK;
        let mut y = vec![0f32; t * w.rows];
        for c in 0..t {
            for r in 0..w.rows {
                let row = w.row(r);
                let mut s = 0f64;
                for b in 0..nb {
                    for i in 0..BLOCK {
                        let xv = act.q[c * w.k + b * BLOCK + i] as f64 * act.d[c * nb + b] as f64;
                        s += row[b * BLOCK + i] as f64 * xv;
                    }
                }
                y[c * w.rows + r] = s as f32;
            }
        }
        y
    }

    fn random(dtype: GgmlDType, rows: usize, k: usize, t: usize, seed: u64) -> (QTensor, Vec<f32>) {
        let mut s = seed;
        // Rows of different magnitudes, some blocks all positive (a Q4_K minimum of zero).
        let wf: Vec<f32> = (0..rows * k)
            .map(|i| {
                let v = lcg(&mut s) * (1 + i / k % 5) as f32;
                if i / 32 % 7 == 3 {
                    v.abs()
                } else {
                    v
                }
            })
            .collect();
        let x: Vec<f32> = (0..t * k).map(|_| lcg(&mut s) * 3.0).collect();
        let wt = Tensor::from_vec(wf, (rows, k), &Device::Cpu).unwrap();
        (QTensor::quantize(&wt, dtype).unwrap(), x)
    }

    #[test]
    fn packing_keeps_every_weight() {
        // Q8_0 exactly; Q4_K up to the f16 rounding of its sub-block scale and minimum.
        for (dtype, k, tol) in [
            (GgmlDType::Q8_0, 96, 0.0),
            (GgmlDType::Q4K, 512, 1e-6),
            (GgmlDType::Q6K, 512, 2e-3),
        ] {
            let (q, _) = random(dtype, 37, k, 1, 1);
            let p = Packed::from_qtensor(&q).unwrap();
            let deq = q
                .dequantize(&Device::Cpu)
                .unwrap()
                .to_vec2::<f32>()
                .unwrap();
            let scale = deq.iter().flatten().fold(0f32, |m, v| m.max(v.abs()));
            for (r, want) in deq.iter().enumerate() {
                for (i, (g, w)) in p.row(r).iter().zip(want).enumerate() {
                    assert!(
                        (g - w).abs() <= tol * scale,
                        "{dtype:?} row {r} [{i}]: {g} vs {w}"
                    );
                }
            }
        }
    }

    /// Every instruction set this CPU runs weights of `dtype` on.
    fn isas(dtype: GgmlDType) -> Vec<Isa> {
        let mut v = Vec::new();
        if cpu_has_vnni() {
            v.push(Isa::Avx512Vnni);
        }
        if cpu_has_avx2() && dtype != GgmlDType::Q8_0 {
            v.push(Isa::Avx2);
        }
        if v.is_empty() {
            eprintln!("skipped {dtype:?}: no int8 kernel for it on this CPU");
        }
        v
    }

    #[test]
    fn products_match_the_reference_for_odd_shapes() {
        // Rows not a multiple of 16, inner dimension not a multiple of 256, every column
        // tail (1..=8 and beyond).
        for &(dtype, rows, k, t) in &[
            (GgmlDType::Q8_0, 37, 96, 1),
            (GgmlDType::Q8_0, 16, 32, 3),
            (GgmlDType::Q8_0, 50, 576, 13),
            (GgmlDType::Q8_0, 96, 896, 8),
            (GgmlDType::Q8_0, 33, 64, 21),
            (GgmlDType::Q4K, 37, 256, 1),
            (GgmlDType::Q4K, 50, 512, 13),
            (GgmlDType::Q4K, 96, 768, 8),
            (GgmlDType::Q6K, 37, 256, 1),
            (GgmlDType::Q6K, 50, 512, 13),
            (GgmlDType::Q6K, 96, 768, 8),
            (GgmlDType::Q4K, 20, 256, 3),
            (GgmlDType::Q6K, 16, 256, 6),
        ] {
            let (q, x) = random(dtype, rows, k, t, (rows * k + t) as u64);
            let p = Packed::from_qtensor(&q).unwrap();
            let want = reference(&p, &x, t);
            for isa in isas(dtype) {
                let got = p.matmul_on(isa, &x, t);
                for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert!(
                        (g - w).abs() <= 1e-3 * w.abs().max(1.0),
                        "{isa:?} {dtype:?} {rows}x{k} t={t} [{i}]: {g} vs {w}"
                    );
                }
            }
        }
    }

    #[test]
    fn products_are_close_to_the_f32_product() {
        for (dtype, k) in [
            (GgmlDType::Q8_0, 896),
            (GgmlDType::Q4K, 1024),
            (GgmlDType::Q6K, 1024),
        ] {
            let (rows, t) = (64, 5);
            let (q, x) = random(dtype, rows, k, t, 7);
            let p = Packed::from_qtensor(&q).unwrap();
            let wf = q.dequantize(&Device::Cpu).unwrap();
            let xt = Tensor::from_vec(x.clone(), (t, k), &Device::Cpu).unwrap();
            let want = xt
                .matmul(&wf.t().unwrap())
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            let norm: f32 = want.iter().map(|v| v * v).sum::<f32>().sqrt();
            for isa in isas(dtype) {
                let got = p.matmul_on(isa, &x, t);
                let err: f32 = got
                    .iter()
                    .zip(&want)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f32>()
                    .sqrt();
                assert!(
                    err / norm < 0.01,
                    "{isa:?} {dtype:?}: relative error {}",
                    err / norm
                );
            }
        }
    }

    #[test]
    fn decode_attention_matches_a_plain_softmax() {
        // d = 64, 128, 160 take the AVX-512 path where the CPU has it (160: two passes over
        // the values), d = 20 the portable one.
        for (h, hk, d, kv_len) in [
            (6, 2, 20, 1),
            (6, 2, 20, 7),
            (6, 2, 20, 900),
            (14, 2, 64, 1),
            (9, 3, 64, 700),
            (12, 2, 128, 300),
            (4, 2, 160, 40),
        ] {
            let mut s = kv_len as u64;
            let q: Vec<f32> = (0..h * d).map(|_| lcg(&mut s)).collect();
            let kv: Vec<f32> = (0..kv_len * hk * 2 * d).map(|_| lcg(&mut s)).collect();
            let got = decode_attention(&q, &kv, kv_len, (h, hk, d), 0.3);
            for i in 0..h {
                let j = i / (h / hk);
                let sc: Vec<f64> = (0..kv_len)
                    .map(|p| {
                        (0..d)
                            .map(|e| q[i * d + e] as f64 * kv[(p * hk + j) * 2 * d + e] as f64)
                            .sum::<f64>()
                            * 0.3
                    })
                    .collect();
                let m = sc.iter().cloned().fold(f64::MIN, f64::max);
                let z: f64 = sc.iter().map(|v| (v - m).exp()).sum();
                for e in 0..d {
                    let want: f64 = (0..kv_len)
                        .map(|p| (sc[p] - m).exp() / z * kv[(p * hk + j) * 2 * d + d + e] as f64)
                        .sum();
                    let g = got[i * d + e] as f64;
                    assert!(
                        (g - want).abs() < 1e-4,
                        "kv_len {kv_len} head {i} [{e}]: {g} vs {want}"
                    );
                }
            }
        }
    }
}
