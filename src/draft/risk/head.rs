//! The risk head: a small two-layer network over sentence embeddings that says how much a
//! sentence reads as risk talk, trained in the process on the net's banks (risk expressions
//! against contrast sentences) with candle's autograd and AdamW.
//!
//! The nearest-neighbour net ([`super::net`]) finds a sentence close to one it holds; the head
//! learns the directions that separate risk talk from everyday talk over the whole bank, and
//! so reaches phrasings no bank entry is close to ("my mind keeps going to the pills in the
//! drawer"). It is trained once per bank per process (about a second on two cores) from a
//! fixed seed, so the same bank always gives the same head; nothing is stored on disk.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::{Rng, SeedableRng};

/// Hidden units.
const HIDDEN: usize = 128;
/// Full-batch training steps.
const STEPS: usize = 300;
/// AdamW's step size and decoupled weight decay.
const LEARNING_RATE: f64 = 0.05;
const WEIGHT_DECAY: f64 = 1e-4;
/// Bound of the uniform initial weights (a standard deviation of about 0.1).
const INIT: f32 = 0.17;
const SEED: u64 = 17;

/// A trained head: `sigmoid(w2 · relu(W1ᵀ x + b1) + b2)`.
#[derive(Debug, Clone)]
pub struct Head {
    dims: usize,
    /// `dims × HIDDEN`, row-major.
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: f32,
}

impl Head {
    /// Trains a head on unit vectors labelled risk (`true`) or not. `None` when there is
    /// nothing to learn from (no vectors, or only one label).
    pub fn train(vectors: &[&[f32]], labels: &[bool]) -> Result<Option<Head>, candle_core::Error> {
        let n = vectors.len().min(labels.len());
        let Some(dims) = vectors.first().map(|v| v.len()) else {
            return Ok(None);
        };
        if n == 0 || labels[..n].iter().all(|&l| l) || labels[..n].iter().all(|&l| !l) {
            return Ok(None);
        }
        let dev = Device::Cpu;
        let flat: Vec<f32> = vectors[..n]
            .iter()
            .flat_map(|v| v.iter().copied())
            .collect();
        if flat.len() != n * dims {
            return Err(candle_core::Error::Msg(
                "risk head: vectors of different lengths".into(),
            ));
        }
        let x = Tensor::from_vec(flat, (n, dims), &dev)?;
        let y = Tensor::from_vec(
            labels[..n]
                .iter()
                .map(|&l| if l { 1f32 } else { 0.0 })
                .collect::<Vec<_>>(),
            (n, 1),
            &dev,
        )?;
        let mut rng = rand::rngs::StdRng::seed_from_u64(SEED);
        let mut uniform =
            |len: usize| -> Vec<f32> { (0..len).map(|_| rng.gen_range(-INIT..INIT)).collect() };
        let w1 = Var::from_vec(uniform(dims * HIDDEN), (dims, HIDDEN), &dev)?;
        let b1 = Var::zeros(HIDDEN, DType::F32, &dev)?;
        let w2 = Var::from_vec(uniform(HIDDEN), (HIDDEN, 1), &dev)?;
        let b2 = Var::zeros(1, DType::F32, &dev)?;
        let mut opt = AdamW::new(
            vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()],
            ParamsAdamW {
                lr: LEARNING_RATE,
                weight_decay: WEIGHT_DECAY,
                ..ParamsAdamW::default()
            },
        )?;
        for _ in 0..STEPS {
            let hidden = x
                .matmul(w1.as_tensor())?
                .broadcast_add(b1.as_tensor())?
                .relu()?;
            let z = hidden
                .matmul(w2.as_tensor())?
                .broadcast_add(b2.as_tensor())?;
            // binary cross-entropy on logits, in the stable form softplus(z) - y z
            let softplus = (z.relu()? + (z.abs()?.neg()?.exp()? + 1.0)?.log()?)?;
            let loss = (softplus - (&y * &z)?)?.mean_all()?;
            opt.backward_step(&loss)?;
        }
        Ok(Some(Head {
            dims,
            w1: w1.as_tensor().flatten_all()?.to_vec1()?,
            b1: b1.as_tensor().to_vec1()?,
            w2: w2.as_tensor().flatten_all()?.to_vec1()?,
            b2: b2.as_tensor().to_vec1::<f32>()?[0],
        }))
    }

    /// How much a vector reads as risk talk, 0 to 1 (0 for a vector of another length).
    pub fn score(&self, v: &[f32]) -> f32 {
        if v.len() != self.dims {
            return 0.0;
        }
        let mut hidden = self.b1.clone();
        for (x, row) in v.iter().zip(self.w1.chunks_exact(HIDDEN)) {
            for (h, w) in hidden.iter_mut().zip(row) {
                *h += x * w;
            }
        }
        let z = self.b2
            + hidden
                .iter()
                .zip(&self.w2)
                .map(|(h, w)| h.max(0.0) * w)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: Vec<f32>) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn learns_a_direction_and_is_the_same_each_time() {
        // risk vectors lean on the first axis, the others on the second, with noise
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut vs = Vec::new();
        let mut labels = Vec::new();
        for i in 0..200 {
            let risk = i % 2 == 0;
            let mut v: Vec<f32> = (0..16).map(|_| rng.gen_range(-0.3..0.3)).collect();
            v[if risk { 0 } else { 1 }] += 1.0;
            vs.push(unit(v));
            labels.push(risk);
        }
        let refs: Vec<&[f32]> = vs.iter().map(Vec::as_slice).collect();
        let head = Head::train(&refs, &labels).unwrap().unwrap();
        let mut a = vec![0f32; 16];
        a[0] = 1.0;
        let mut b = vec![0f32; 16];
        b[1] = 1.0;
        assert!(head.score(&a) > 0.9, "{}", head.score(&a));
        assert!(head.score(&b) < 0.1, "{}", head.score(&b));
        assert_eq!(head.score(&[1.0, 0.0]), 0.0, "a vector of another length");
        let again = Head::train(&refs, &labels).unwrap().unwrap();
        assert_eq!(again.score(&a), head.score(&a), "trained from a fixed seed");
    }

    #[test]
    fn nothing_to_learn_is_no_head() {
        let v = [1.0f32, 0.0];
        assert!(Head::train(&[&v, &v], &[true, true]).unwrap().is_none());
        assert!(Head::train(&[], &[]).unwrap().is_none());
    }
}
