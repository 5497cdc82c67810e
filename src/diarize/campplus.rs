//! The CAM++ speaker embedding network (3D-Speaker's `CAMPPlus`, `feat_dim=80`,
//! `embedding_size=192`) in candle, for inference on the CPU.
//!
//! Read from the PyTorch zip checkpoint (`campplus_cn_en_common.pt`, a plain state dict of 937
//! tensors). Batch norms are folded into the convolution before them where there is one and
//! applied as a per-channel affine map otherwise. The head's 2-D convolutions (most of the
//! network's arithmetic) run in [`noted_kernels::conv`]: strided matrix products over padded
//! channels-last images, without an im2col copy. The densely connected blocks run in
//! [`noted_kernels::dense`]: each layer appends its channels to one buffer in place (no
//! concatenation copies), its batch norm, products and gate fused over shared rows. The first
//! 1-D convolution (`tdnn`) is one candle matrix product over shifted copies. The network:
//!
//! * `head` (FCM): a 2-D conv net over (frequency, time), 32 channels, two residual stages
//!   that halve the frequency axis (80 → 10), flattened to 320 channels per frame;
//! * `xvector.tdnn`: conv k=5, stride 2 (half the frame rate), 128 channels;
//! * three densely connected blocks (12, 24, 16 layers, growth 32, dilation 1, 2, 2) of
//!   context-aware masking layers (a local conv gated by the mean over the window and over
//!   100-frame segments), each followed by a transition halving the channels;
//! * batch norm + ReLU, mean and (unbiased) standard deviation over time, a dense layer to
//!   192 values and a batch norm without affine parameters (3D-Speaker's `batchnorm_`).

use std::path::Path;

use candle_core::{DType, IndexOp, Tensor, D};
use noted_kernels::{conv, dense};

/// Values per speaker embedding.
pub const EMBEDDING_DIM: usize = 192;
const BN_EPS: f64 = 1e-5;
/// Channels each masking layer adds.
const GROWTH: usize = 32;

type Result<T> = candle_core::Result<T>;

/// The checkpoint's tensors, read on demand.
struct Weights {
    pth: candle_core::pickle::PthTensors,
}

impl Weights {
    fn get(&self, name: &str) -> Result<Tensor> {
        match self.pth.get(name)? {
            Some(t) => t.to_dtype(DType::F32),
            None => candle_core::bail!("tensor `{name}` is missing from the checkpoint"),
        }
    }

    fn get_shaped(&self, name: &str, shape: &[usize]) -> Result<Tensor> {
        let t = self.get(name)?;
        if t.dims() != shape {
            candle_core::bail!(
                "tensor `{name}` has shape {:?}, expected {shape:?}",
                t.dims()
            );
        }
        Ok(t)
    }

    /// Batch norm `prefix` in eval mode as (scale, shift), per channel.
    fn batch_norm(&self, prefix: &str, channels: usize, affine: bool) -> Result<Affine> {
        let mean = self.get_shaped(&format!("{prefix}.running_mean"), &[channels])?;
        let var = self.get_shaped(&format!("{prefix}.running_var"), &[channels])?;
        let inv = (var + BN_EPS)?.sqrt()?.recip()?;
        let (scale, shift) = if affine {
            let gamma = self.get_shaped(&format!("{prefix}.weight"), &[channels])?;
            let beta = self.get_shaped(&format!("{prefix}.bias"), &[channels])?;
            let scale = (gamma * inv)?;
            let shift = (beta - (&mean * &scale)?)?;
            (scale, shift)
        } else {
            let shift = (mean.neg()? * &inv)?;
            (inv, shift)
        };
        Ok(Affine { scale, shift })
    }
}

/// A per-channel affine map over the last dimension (a batch norm in eval mode).
#[derive(Debug, Clone)]
struct Affine {
    scale: Tensor,
    shift: Tensor,
}

/// A convolution as a matrix: `w` is (taps × in, out), rows ordered tap-major; `b` per out.
#[derive(Debug, Clone)]
struct Matrix {
    w: Tensor,
    b: Option<Tensor>,
}

impl Matrix {
    /// From a PyTorch conv weight (out, in, taps...) with optional bias: the taps become the
    /// outer row index, input channels the inner one.
    fn from_conv(w: &Tensor, b: Option<Tensor>) -> Result<Matrix> {
        let dims = w.dims().to_vec();
        let (out, inp) = (dims[0], dims[1]);
        let taps: usize = dims[2..].iter().product();
        let w = match dims.len() {
            3 => w.permute((2, 1, 0))?,
            4 => w.permute((2, 3, 1, 0))?,
            n => candle_core::bail!("conv weight of rank {n}"),
        };
        let w = w.contiguous()?.reshape((taps * inp, out))?;
        Ok(Matrix { w, b })
    }

    /// Folds the batch norm that follows into the weights.
    fn fold(self, bn: &Affine) -> Result<Matrix> {
        let w = self.w.broadcast_mul(&bn.scale)?;
        let b = match self.b {
            Some(b) => ((b * &bn.scale)? + &bn.shift)?,
            None => bn.shift.clone(),
        };
        Ok(Matrix { w, b: Some(b) })
    }

    /// `x` (..., taps × in) → (..., out).
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let dims = x.dims().to_vec();
        let k = dims[dims.len() - 1];
        let rows = x.elem_count() / k;
        let y = x.reshape((rows, k))?.matmul(&self.w)?;
        let y = match &self.b {
            Some(b) => y.broadcast_add(b)?,
            None => y,
        };
        let mut out = dims;
        let last = out.len() - 1;
        out[last] = self.w.dim(1)?;
        y.reshape(out)
    }
}

/// Every other entry along `dim` (starting with the first): a stride of 2.
fn every_other(x: &Tensor, dim: usize) -> Result<Tensor> {
    let n = x.dim(dim)?;
    let x = if n % 2 == 1 {
        x.pad_with_zeros(dim, 0, 1)?
    } else {
        x.clone()
    };
    let mut shape = x.dims().to_vec();
    shape[dim] = n.div_ceil(2);
    shape.insert(dim + 1, 2);
    x.contiguous()?
        .reshape(shape)?
        .narrow(dim + 1, 0, 1)?
        .squeeze(dim + 1)
}

/// 1-D conv over x (B, T, C): kernel `k`, dilation `d`, "same" padding, stride 1 or 2.
fn conv_time(x: &Tensor, m: &Matrix, k: usize, d: usize, stride: usize) -> Result<Tensor> {
    if k == 1 {
        let x = if stride == 2 {
            every_other(x, 1)?.contiguous()?
        } else {
            x.clone()
        };
        return m.apply(&x);
    }
    let t = x.dim(1)?;
    let pad = (k - 1) / 2 * d;
    let p = x.pad_with_zeros(1, pad, pad)?;
    let cols = (0..k)
        .map(|j| {
            let s = p.narrow(1, j * d, t)?;
            if stride == 2 {
                every_other(&s, 1)?.contiguous()
            } else {
                s.contiguous()
            }
        })
        .collect::<Result<Vec<_>>>()?;
    m.apply(&Tensor::cat(&cols, 2)?)
}

/// A convolution of the head as plain weights for [`noted_kernels::conv`]: the rows of its
/// [`Matrix`] (tap-major) and its bias.
struct HeadConv {
    w: Vec<f32>,
    bias: Vec<f32>,
    cin: usize,
    stride: usize,
}

impl HeadConv {
    /// From a convolution `m` of `taps` taps (9 or 1) and its row stride.
    fn new(m: &Matrix, taps: usize, stride: usize) -> Result<HeadConv> {
        let Some(b) = &m.b else {
            candle_core::bail!("a head convolution without a bias (its batch norm is folded in)")
        };
        let bias = b.to_vec1::<f32>()?;
        let w = m.w.flatten_all()?.to_vec1::<f32>()?;
        Ok(HeadConv {
            cin: m.w.dim(0)? / taps,
            w,
            bias,
            stride,
        })
    }

    fn conv(&self) -> conv::Conv<'_> {
        conv::Conv {
            w: &self.w,
            bias: &self.bias,
            cin: self.cin,
            stride: self.stride,
        }
    }
}

/// A residual block of the head.
struct ResBlock {
    conv1: HeadConv,
    conv2: HeadConv,
    shortcut: Option<HeadConv>,
}

impl ResBlock {
    fn load(w: &Weights, p: &str, stride: usize) -> Result<ResBlock> {
        let conv = |name: &str, bn: &str, stride: usize| -> Result<HeadConv> {
            let c = w.get(&format!("{p}.{name}.weight"))?;
            let out = c.dim(0)?;
            let taps = c.dims()[2..].iter().product();
            let m = Matrix::from_conv(&c, None)?.fold(&w.batch_norm(
                &format!("{p}.{bn}"),
                out,
                true,
            )?)?;
            HeadConv::new(&m, taps, stride)
        };
        let shortcut = if w
            .pth
            .tensor_infos()
            .contains_key(&format!("{p}.shortcut.0.weight"))
        {
            Some(conv("shortcut.0", "shortcut.1", stride)?)
        } else {
            None
        };
        Ok(ResBlock {
            conv1: conv("conv1", "bn1", stride)?,
            conv2: conv("conv2", "bn2", 1)?,
            shortcut,
        })
    }

    fn forward(&self, x: &conv::Image) -> conv::Image {
        let out = conv::conv3x3(x, &self.conv1.conv(), None, true);
        match &self.shortcut {
            Some(s) => {
                let short = conv::conv1x1(x, &s.conv());
                conv::conv3x3(&out, &self.conv2.conv(), Some(&short), true)
            }
            None => conv::conv3x3(&out, &self.conv2.conv(), Some(x), true),
        }
    }
}

/// The 2-D head (FCM): a 3×3 conv, four residual blocks, a 3×3 conv with stride 2.
struct Head {
    conv1: HeadConv,
    layers: Vec<ResBlock>,
    conv2: HeadConv,
}

impl Head {
    /// The 2-D head (FCM) over features (B, T, 80): (B, T, 320), channel `c * 10 + f` as
    /// PyTorch flattens (C, F).
    fn forward(&self, feats: &Tensor) -> Result<Tensor> {
        let (b, t, f) = feats.dims3()?;
        let v = feats.flatten_all()?.to_vec1::<f32>()?;
        let x = conv::Image::from_transposed(&v, b, t, f);
        let mut x = conv::conv3x3(&x, &self.conv1.conv(), None, true);
        for layer in &self.layers {
            x = layer.forward(&x);
        }
        let x = conv::conv3x3(&x, &self.conv2.conv(), None, true); // 10 rows, 32 channels
        let c = x.c * x.rows;
        Tensor::from_vec(x.to_columns(), (b, t, c), feats.device())
    }
}

/// A loaded matrix as the kernels' dense layer.
fn linear(m: &Matrix) -> Result<dense::Linear> {
    let (k, n) = m.w.dims2()?;
    let bias = m.b.as_ref().map(|b| b.to_vec1::<f32>()).transpose()?;
    Ok(dense::Linear::new(
        m.w.flatten_all()?.to_vec1::<f32>()?,
        bias,
        k,
        n,
    ))
}

fn affine(a: &Affine) -> Result<dense::Affine> {
    Ok(dense::Affine {
        scale: a.scale.to_vec1::<f32>()?,
        shift: a.shift.to_vec1::<f32>()?,
    })
}

/// One context-aware masking layer of a dense block, `inp` channels in.
fn cam_layer(w: &Weights, p: &str, inp: usize, dilation: usize) -> Result<dense::CamLayer> {
    let bn = w.batch_norm(&format!("{p}.nonlinear1.batchnorm"), inp, true)?;
    let l1 = w.get(&format!("{p}.linear1.weight"))?;
    let bn_ch = l1.dim(0)?;
    let linear1 = Matrix::from_conv(&l1, None)?.fold(&w.batch_norm(
        &format!("{p}.nonlinear2.batchnorm"),
        bn_ch,
        true,
    )?)?;
    let local = Matrix::from_conv(&w.get(&format!("{p}.cam_layer.linear_local.weight"))?, None)?;
    let ctx = |name: &str| -> Result<dense::Linear> {
        linear(&Matrix::from_conv(
            &w.get(&format!("{p}.cam_layer.{name}.weight"))?,
            Some(w.get(&format!("{p}.cam_layer.{name}.bias"))?),
        )?)
    };
    let layer = dense::CamLayer {
        bn: affine(&bn)?,
        linear1: linear(&linear1)?,
        local: linear(&local)?,
        ctx1: ctx("linear1")?,
        ctx2: ctx("linear2")?,
        dilation,
    };
    let (bott, growth) = (layer.linear1.n, layer.local.n);
    if layer.linear1.k != inp
        || layer.local.k != 3 * bott
        || layer.ctx1.k != bott
        || layer.ctx2.k != layer.ctx1.n
        || layer.ctx2.n != growth
        || growth != GROWTH
    {
        candle_core::bail!("masking layer `{p}` has unexpected shapes");
    }
    Ok(layer)
}

/// A transition between blocks: BN + ReLU + 1×1 conv without bias.
fn transit(w: &Weights, p: &str, inp: usize) -> Result<dense::Transit> {
    let t = dense::Transit {
        bn: affine(&w.batch_norm(&format!("{p}.nonlinear.batchnorm"), inp, true)?)?,
        linear: linear(&Matrix::from_conv(
            &w.get(&format!("{p}.linear.weight"))?,
            None,
        )?)?,
    };
    if t.linear.k != inp {
        candle_core::bail!("transition `{p}` has unexpected shapes");
    }
    Ok(t)
}

/// The loaded network.
pub struct CamPlusPlus {
    head: Head,
    tdnn: Matrix,
    blocks: Vec<(Vec<dense::CamLayer>, dense::Transit)>,
    /// The row stride of the blocks' frames: the widest block's channels.
    width: usize,
    out_bn: dense::Affine,
    dense: Matrix,
}

impl std::fmt::Debug for CamPlusPlus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CamPlusPlus").finish_non_exhaustive()
    }
}

impl CamPlusPlus {
    /// Loads the checkpoint. Fails (never panics) on a missing, truncated or foreign file.
    pub fn load(path: &Path) -> Result<CamPlusPlus> {
        let w = Weights {
            pth: candle_core::pickle::PthTensors::new(path, None)?,
        };
        let head_conv = |name: &str, bn: &str, stride: usize| -> Result<HeadConv> {
            let c = w.get(&format!("head.{name}.weight"))?;
            let out = c.dim(0)?;
            let m = Matrix::from_conv(&c, None)?.fold(&w.batch_norm(
                &format!("head.{bn}"),
                out,
                true,
            )?)?;
            HeadConv::new(&m, 9, stride)
        };
        let conv1 = head_conv("conv1", "bn1", 1)?;
        let layers = vec![
            ResBlock::load(&w, "head.layer1.0", 2)?,
            ResBlock::load(&w, "head.layer1.1", 1)?,
            ResBlock::load(&w, "head.layer2.0", 2)?,
            ResBlock::load(&w, "head.layer2.1", 1)?,
        ];
        let conv2 = head_conv("conv2", "bn2", 2)?;
        let tdnn = Matrix::from_conv(
            &w.get_shaped("xvector.tdnn.linear.weight", &[128, 320, 5])?,
            None,
        )?
        .fold(&w.batch_norm("xvector.tdnn.nonlinear.batchnorm", 128, true)?)?;
        let mut blocks = Vec::new();
        let (mut channels, mut width) = (128, 0);
        for (i, (n, dilation)) in [(12, 1), (24, 2), (16, 2)].into_iter().enumerate() {
            let mut cams = Vec::with_capacity(n);
            for j in 0..n {
                cams.push(cam_layer(
                    &w,
                    &format!("xvector.block{}.tdnnd{}", i + 1, j + 1),
                    channels + j * GROWTH,
                    dilation,
                )?);
            }
            channels += n * GROWTH;
            width = width.max(channels);
            let transit = transit(&w, &format!("xvector.transit{}", i + 1), channels)?;
            channels /= 2;
            blocks.push((cams, transit));
        }
        let out_bn = affine(&w.batch_norm("xvector.out_nonlinear.batchnorm", channels, true)?)?;
        let dense = Matrix::from_conv(
            &w.get_shaped(
                "xvector.dense.linear.weight",
                &[EMBEDDING_DIM, channels * 2, 1],
            )?,
            None,
        )?
        .fold(&w.batch_norm(
            "xvector.dense.nonlinear.batchnorm",
            EMBEDDING_DIM,
            false,
        )?)?;
        Ok(CamPlusPlus {
            head: Head {
                conv1,
                layers,
                conv2,
            },
            tdnn,
            blocks,
            width,
            out_bn,
            dense,
        })
    }

    /// Frame-level output of the network before pooling: features `feats` (B, T, 80) →
    /// (B, ceil(T / 2), 512), one row per 20 ms. T must be at least 2 frames.
    pub fn frames(&self, feats: &Tensor) -> Result<Tensor> {
        let (_, t, f) = feats.dims3()?;
        if f != super::fbank::NUM_BINS || t < 2 {
            candle_core::bail!(
                "features must be (batch, frames >= 2, 80), got {:?}",
                feats.dims()
            );
        }
        let x = self.head.forward(feats)?; // (B, T, 320)
        let x = conv_time(&x, &self.tdnn, 5, 1, 2)?.relu()?;
        let (b, t, c) = x.dims3()?;
        let v = x.flatten_all()?.to_vec1::<f32>()?;
        let out_c = self.out_bn.scale.len();
        let mut out = Vec::with_capacity(b * t * out_c);
        let mut scratch = dense::Scratch::default();
        for item in v.chunks_exact(t * c) {
            let mut f = dense::Frames::new(item, t, c, self.width);
            for (cams, transit) in &self.blocks {
                for cam in cams {
                    cam.forward(&mut f, &mut scratch);
                }
                f = transit.forward(&f, self.width, &mut scratch);
            }
            for row in f.data.chunks_exact(f.stride) {
                let bn = &self.out_bn;
                out.extend(
                    row[..f.c]
                        .iter()
                        .zip(&bn.scale)
                        .zip(&bn.shift)
                        .map(|((&v, &s), &b)| (v * s + b).max(0.0)),
                );
            }
        }
        Tensor::from_vec(out, (b, t, out_c), x.device())
    }

    /// Embeddings pooled over frame ranges of one item's frame-level output `frames`
    /// (T', 512) from [`CamPlusPlus::frames`]: mean and standard deviation over each range,
    /// then the dense layer → (ranges, 192). Ranges must be non-empty and inside T'.
    pub fn pool(&self, frames: &Tensor, ranges: &[(usize, usize)]) -> Result<Tensor> {
        let stats = ranges
            .iter()
            .map(|&(a, b)| {
                let x = frames.narrow(0, a, b - a)?;
                let mean = x.mean(0)?;
                let std = if b - a > 1 {
                    x.var(0)?.sqrt()?
                } else {
                    (mean.zeros_like()? + 1e-2)?
                };
                Tensor::cat(&[&mean, &std], 0)
            })
            .collect::<Result<Vec<_>>>()?;
        self.dense.apply(&Tensor::stack(&stats, 0)?)
    }

    /// Embeddings of a batch of equal-length feature windows `feats` (B, T, 80) → (B, 192).
    pub fn embed(&self, feats: &Tensor) -> Result<Tensor> {
        let x = self.frames(feats)?;
        let mean = x.mean(1)?;
        let std = if x.dim(1)? > 1 {
            x.var(1)?.sqrt()?
        } else {
            (mean.zeros_like()? + 1e-2)?
        };
        let stats = Tensor::cat(&[&mean, &std], D::Minus1)?;
        self.dense.apply(&stats)
    }

    /// The embedding of one feature window (T, 80) as a vector.
    pub fn embed_one(&self, feats: &Tensor) -> Result<Vec<f32>> {
        self.embed(&feats.unsqueeze(0)?)?.i(0)?.to_vec1()
    }
}

/// Checks that a file is a CAM++ checkpoint this code can run, without building the network.
pub fn check_checkpoint(path: &Path) -> Result<usize> {
    let pth = candle_core::pickle::PthTensors::new(path, None)?;
    let infos = pth.tensor_infos();
    for name in ["head.conv1.weight", "xvector.dense.linear.weight"] {
        if !infos.contains_key(name) {
            candle_core::bail!("not a CAM++ checkpoint: no tensor `{name}`");
        }
    }
    Ok(infos.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;
    use noted_kernels::dense::SEG_LEN;

    /// The head as it ran before [`noted_kernels::conv`]: im2col by shifted copies in candle
    /// over (B, F, T, C), one matrix product per convolution.
    fn matrix(h: &HeadConv) -> Matrix {
        let cout = h.bias.len();
        Matrix {
            w: Tensor::from_slice(&h.w, (h.w.len() / cout, cout), &Device::Cpu).unwrap(),
            b: Some(Tensor::from_slice(&h.bias, cout, &Device::Cpu).unwrap()),
        }
    }

    fn conv3x3_candle(x: &Tensor, m: &Matrix, sf: usize) -> Result<Tensor> {
        let (_, f, t, _) = x.dims4()?;
        let p = x.pad_with_zeros(1, 1, 1)?.pad_with_zeros(2, 1, 1)?;
        let mut cols = Vec::with_capacity(9);
        for kf in 0..3 {
            for kt in 0..3 {
                let s = p.narrow(1, kf, f)?.narrow(2, kt, t)?;
                let s = if sf == 2 { every_other(&s, 1)? } else { s };
                cols.push(s.contiguous()?);
            }
        }
        m.apply(&Tensor::cat(&cols, 3)?)
    }

    fn head_candle(h: &Head, feats: &Tensor) -> Result<Tensor> {
        let (b, t, _) = feats.dims3()?;
        let x = feats.transpose(1, 2)?.contiguous()?.unsqueeze(3)?;
        let mut x = conv3x3_candle(&x, &matrix(&h.conv1), 1)?.relu()?;
        for l in &h.layers {
            let stride = l.conv1.stride;
            let out = conv3x3_candle(&x, &matrix(&l.conv1), stride)?.relu()?;
            let out = conv3x3_candle(&out, &matrix(&l.conv2), 1)?;
            let short = match &l.shortcut {
                Some(s) => {
                    let x = if stride == 2 {
                        every_other(&x, 1)?.contiguous()?
                    } else {
                        x.clone()
                    };
                    matrix(s).apply(&x)?
                }
                None => x.clone(),
            };
            x = (out + short)?.relu()?;
        }
        let x = conv3x3_candle(&x, &matrix(&h.conv2), 2)?.relu()?;
        let (_, fr, _, c) = x.dims4()?;
        x.permute((0, 2, 3, 1))?
            .contiguous()?
            .reshape((b, t, c * fr))
    }

    /// Asserts `new` is within 1e-5 of `old`'s largest magnitude of it; returns that scale.
    fn assert_matches_reference(new: &Tensor, old: &Tensor) -> f32 {
        let scale = old
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        let diff = max_abs_diff(new, old);
        assert!(
            diff <= 1e-5 * scale,
            "max |new - old| = {diff}, scale {scale}"
        );
        scale
    }

    fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
        (a - b)
            .unwrap()
            .abs()
            .unwrap()
            .flatten_all()
            .unwrap()
            .max(0)
            .unwrap()
            .to_scalar()
            .unwrap()
    }

    fn random_conv(cin: usize, taps: usize, stride: usize, seed: u64) -> HeadConv {
        let t = |shape: &[usize], s: u64| {
            let n: usize = shape.iter().product();
            Tensor::arange(s as f32, (s as usize + n) as f32, &Device::Cpu)
                .unwrap()
                .affine(0.7548776662, 0.0)
                .unwrap()
                .sin()
                .unwrap()
                .affine(0.2, 0.0)
                .unwrap()
                .reshape(shape)
                .unwrap()
        };
        let m = Matrix {
            w: t(&[taps * cin, 32], seed),
            b: Some(t(&[32], seed + 9_999)),
        };
        HeadConv::new(&m, taps, stride).unwrap()
    }

    #[test]
    fn head_kernels_match_the_candle_im2col_head() {
        let head = Head {
            conv1: random_conv(1, 9, 1, 1),
            layers: vec![
                ResBlock {
                    conv1: random_conv(32, 9, 2, 2),
                    conv2: random_conv(32, 9, 1, 3),
                    shortcut: Some(random_conv(32, 1, 2, 4)),
                },
                ResBlock {
                    conv1: random_conv(32, 9, 1, 5),
                    conv2: random_conv(32, 9, 1, 6),
                    shortcut: None,
                },
                ResBlock {
                    conv1: random_conv(32, 9, 2, 7),
                    conv2: random_conv(32, 9, 1, 8),
                    shortcut: Some(random_conv(32, 1, 2, 9)),
                },
                ResBlock {
                    conv1: random_conv(32, 9, 1, 10),
                    conv2: random_conv(32, 9, 1, 11),
                    shortcut: None,
                },
            ],
            conv2: random_conv(32, 9, 2, 12),
        };
        // Two items of 37 frames of 80 bins, the layout of the real head (80 → 40 → 20 → 10
        // rows over the three strided convs).
        let feats = Tensor::arange(0f32, (2 * 37 * 80) as f32, &Device::Cpu)
            .unwrap()
            .affine(0.013, 0.0)
            .unwrap()
            .cos()
            .unwrap()
            .reshape((2, 37, 80))
            .unwrap();
        let new = head.forward(&feats).unwrap();
        let old = head_candle(&head, &feats).unwrap();
        assert_eq!(new.dims(), &[2, 37, 320]);
        assert_eq!(new.dims(), old.dims());
        let scale = assert_matches_reference(&new, &old);
        assert!(scale > 0.1);
    }

    fn tensor(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_slice(v, shape, &Device::Cpu).unwrap()
    }

    fn matrix_of(l: &dense::Linear) -> Matrix {
        Matrix {
            w: tensor(&l.w, &[l.k, l.n]),
            b: l.bias.as_ref().map(|b| tensor(b, &[l.n])),
        }
    }

    fn norm_relu(a: &dense::Affine, x: &Tensor) -> Result<Tensor> {
        let n = a.scale.len();
        x.broadcast_mul(&tensor(&a.scale, &[n]))?
            .broadcast_add(&tensor(&a.shift, &[n]))?
            .relu()
    }

    /// The weights that average (B, T, C) frames into the context of a masking layer, (nseg,
    /// T): row `s` takes the mean of 100-frame segment `s` (the last one may be shorter) plus
    /// the mean of all T frames.
    fn context_pool(t: usize, device: &Device) -> Result<Tensor> {
        let nseg = t.div_ceil(SEG_LEN);
        let mut w = vec![1.0 / t as f32; nseg * t];
        for s in 0..nseg {
            let (a, e) = (s * SEG_LEN, (s * SEG_LEN + SEG_LEN).min(t));
            for v in &mut w[s * t + a..s * t + e] {
                *v += 1.0 / (e - a) as f32;
            }
        }
        Tensor::from_vec(w, (nseg, t), device)
    }

    /// A masking layer as it ran before [`noted_kernels::dense`]: candle operations, the
    /// local convolution by shifted copies. x (B, T, C_in) → (B, T, 32).
    fn cam_layer_candle(l: &dense::CamLayer, x: &Tensor, pool: &Tensor) -> Result<Tensor> {
        let h = matrix_of(&l.linear1).apply(&norm_relu(&l.bn, x)?)?.relu()?;
        let y = conv_time(&h, &matrix_of(&l.local), 3, l.dilation, 1)?;
        let (b, t, _) = h.dims3()?;
        let nseg = pool.dim(0)?;
        let context = pool.broadcast_left(b)?.contiguous()?.matmul(&h)?;
        let gate = candle_nn::ops::sigmoid(
            &matrix_of(&l.ctx2).apply(&matrix_of(&l.ctx1).apply(&context)?.relu()?)?,
        )?;
        if nseg == 1 {
            return y.broadcast_mul(&gate);
        }
        let c = gate.dim(2)?;
        let gate = gate
            .unsqueeze(2)?
            .broadcast_as((b, nseg, SEG_LEN, c))?
            .contiguous()?
            .reshape((b, nseg * SEG_LEN, c))?
            .narrow(1, 0, t)?;
        y * gate
    }

    /// The frame-level output as it was computed before [`noted_kernels::dense`].
    fn frames_candle(net: &CamPlusPlus, feats: &Tensor) -> Result<Tensor> {
        let x = net.head.forward(feats)?;
        let mut x = conv_time(&x, &net.tdnn, 5, 1, 2)?.relu()?;
        let pool = context_pool(x.dim(1)?, x.device())?;
        for (cams, transit) in &net.blocks {
            for cam in cams {
                let y = cam_layer_candle(cam, &x, &pool)?;
                x = Tensor::cat(&[&x, &y], 2)?;
            }
            x = matrix_of(&transit.linear).apply(&norm_relu(&transit.bn, &x)?)?;
        }
        norm_relu(&net.out_bn, &x)
    }

    #[test]
    fn context_pool_is_segment_mean_plus_window_mean() {
        // 250 frames: segments of 100, 100 and 50 frames.
        let h = Tensor::arange(0f32, (250 * 3) as f32, &Device::Cpu)
            .unwrap()
            .affine(0.37, 0.0)
            .unwrap()
            .sin()
            .unwrap()
            .reshape((1, 250, 3))
            .unwrap();
        let pool = context_pool(250, &Device::Cpu).unwrap();
        let got = pool.broadcast_left(1).unwrap().matmul(&h).unwrap();
        let global = h.mean_keepdim(1).unwrap();
        let want = Tensor::cat(
            &[(0, 100), (100, 100), (200, 50)]
                .map(|(a, n)| h.narrow(1, a, n).unwrap().mean_keepdim(1).unwrap()),
            1,
        )
        .unwrap()
        .broadcast_add(&global)
        .unwrap();
        assert_eq!(got.dims(), &[1, 3, 3]);
        assert!(max_abs_diff(&got, &want) < 1e-5);
    }

    /// The installed checkpoint, where the tests' models are (as in `tests/common`).
    fn checkpoint() -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("NOTED_TEST_MODELS")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(|h| std::path::Path::new(&h).join(".cache/noted/models"))
            })?;
        let p = dir.join("campplus-sv-zh-en/campplus_cn_en_common.pt");
        if p.is_file() {
            Some(p)
        } else if std::env::var("NOTED_REQUIRE_MODELS").as_deref() == Ok("1") {
            panic!("{} is missing (NOTED_REQUIRE_MODELS=1)", p.display())
        } else {
            eprintln!("skipped: {} is not installed", p.display());
            None
        }
    }

    /// `n` samples of `signal(t)` (t in seconds) with a little deterministic noise, as a
    /// batch of one item of fbank features.
    fn features(n: usize, signal: impl Fn(f32) -> f32) -> Tensor {
        let sr = crate::audio::SAMPLE_RATE as f32;
        let samples: Vec<f32> = (0..n)
            .map(|i| signal(i as f32 / sr) + 0.01 * ((i * 7919 % 1000) as f32 / 500.0 - 1.0))
            .collect();
        super::super::fbank::Fbank::new()
            .compute(&samples)
            .unwrap()
            .unwrap()
            .unsqueeze(0)
            .unwrap()
    }

    #[test]
    fn one_chunk_through_the_real_head_matches_the_candle_head() {
        let Some(path) = checkpoint() else { return };
        let net = CamPlusPlus::load(&path).unwrap();
        // Three seconds of a gliding tone with a little deterministic noise.
        let feats = features(48_000, |t| {
            0.3 * (2.0 * std::f32::consts::PI * (150.0 + 80.0 * t) * t).sin()
        });
        let new = net.head.forward(&feats).unwrap();
        let old = head_candle(&net.head, &feats).unwrap();
        assert_matches_reference(&new, &old);
    }

    #[test]
    fn the_real_dense_blocks_match_the_candle_blocks() {
        let Some(path) = checkpoint() else { return };
        let net = CamPlusPlus::load(&path).unwrap();
        // 4.3 s of two tones: 215 frames after the stride, three context segments, the last
        // short
        let feats = features(68_800, |t| {
            0.2 * (2.0 * std::f32::consts::PI * 210.0 * t).sin()
                + 0.1 * (2.0 * std::f32::consts::PI * (400.0 + 50.0 * t) * t).sin()
        });
        let new = net.frames(&feats).unwrap();
        let old = frames_candle(&net, &feats).unwrap();
        assert_eq!(new.dims(), old.dims());
        assert_eq!(new.dim(2).unwrap(), 512);
        assert!(new.dim(1).unwrap() > 2 * SEG_LEN);
        let scale = assert_matches_reference(&new, &old);
        assert!(scale > 0.1);
    }
}
