//! Clustering speaker embeddings into a given number of speakers: spherical k-means (cosine
//! similarity to L2-normalised centroids) seeded by k-means++ from several deterministic
//! starts, the best total similarity kept. Memory is the embeddings plus `k` centroids: no
//! pairwise matrix, so long sessions cost linear memory.

/// L2-normalises `v` in place (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// Cosine similarity of two vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut ab, mut aa, mut bb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        0.0
    } else {
        ab / (aa.sqrt() * bb.sqrt())
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A small deterministic generator (xorshift64*), so clustering is reproducible.
struct Rng(u64);

impl Rng {
    fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (v >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// The result of clustering: a label per point and the normalised centroids.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub labels: Vec<usize>,
    pub centroids: Vec<Vec<f32>>,
    /// Mean cosine similarity of the points to their centroid.
    pub cohesion: f32,
}

/// Clusters `points` (L2-normalised, equal length) into `k` groups (fewer when there are fewer
/// points). Each point's `weight` counts in the centroids (e.g. its duration).
pub fn kmeans(points: &[Vec<f32>], weights: &[f32], k: usize) -> Clusters {
    let n = points.len();
    let k = k.clamp(1, n.max(1));
    if n == 0 {
        return Clusters {
            labels: Vec::new(),
            centroids: Vec::new(),
            cohesion: 0.0,
        };
    }
    let mut best: Option<(f32, Clusters)> = None;
    for seed in 0..8u64 {
        let c = run(points, weights, k, seed);
        let score: f32 = c
            .labels
            .iter()
            .enumerate()
            .map(|(i, &l)| weights[i] * dot(&points[i], &c.centroids[l]))
            .sum();
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c).expect("at least one start")
}

fn run(points: &[Vec<f32>], weights: &[f32], k: usize, seed: u64) -> Clusters {
    let n = points.len();
    let mut rng =
        Rng(0x9e37_79b9_7f4a_7c15 ^ (seed.wrapping_add(1)).wrapping_mul(0xbf58_476d_1ce4_e5b9));
    // k-means++: the first centre at random, each next one with probability ∝ distance².
    let mut centroids: Vec<Vec<f32>> =
        vec![points[(rng.next_f32() * n as f32) as usize % n].clone()];
    while centroids.len() < k {
        let d: Vec<f32> = points
            .iter()
            .map(|p| {
                let s = centroids.iter().map(|c| dot(p, c)).fold(f32::MIN, f32::max);
                (1.0 - s).max(0.0).powi(2)
            })
            .collect();
        let total: f32 = d.iter().sum();
        let pick = if total <= 0.0 {
            centroids.len() % n
        } else {
            let mut r = rng.next_f32() * total;
            let mut j = 0;
            while j + 1 < n && r >= d[j] {
                r -= d[j];
                j += 1;
            }
            j
        };
        centroids.push(points[pick].clone());
    }
    let dim = points[0].len();
    let mut labels = vec![0usize; n];
    for _ in 0..50 {
        let mut changed = false;
        for (i, p) in points.iter().enumerate() {
            let l = (0..k)
                .max_by(|&a, &b| dot(p, &centroids[a]).total_cmp(&dot(p, &centroids[b])))
                .unwrap_or(0);
            if l != labels[i] {
                labels[i] = l;
                changed = true;
            }
        }
        let mut sums = vec![vec![0f32; dim]; k];
        for (i, p) in points.iter().enumerate() {
            for (s, x) in sums[labels[i]].iter_mut().zip(p) {
                *s += weights[i] * x;
            }
        }
        for (c, mut s) in centroids.iter_mut().zip(sums) {
            if s.iter().any(|&x| x != 0.0) {
                normalize(&mut s);
                *c = s;
            }
        }
        if !changed {
            break;
        }
    }
    let cohesion = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| dot(&points[i], &centroids[l]))
        .sum::<f32>()
        / n as f32;
    Clusters {
        labels,
        centroids,
        cohesion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(angle: f32) -> Vec<f32> {
        vec![angle.cos(), angle.sin(), 0.0]
    }

    #[test]
    fn two_groups_are_found() {
        let mut pts = Vec::new();
        for i in 0..20 {
            pts.push(point(0.05 * (i % 5) as f32));
            pts.push(point(1.5 + 0.05 * (i % 5) as f32));
        }
        let w = vec![1.0; pts.len()];
        let c = kmeans(&pts, &w, 2);
        for i in (0..pts.len()).step_by(2) {
            assert_eq!(c.labels[i], c.labels[0]);
            assert_ne!(c.labels[i + 1], c.labels[0]);
        }
        assert!(c.cohesion > 0.99);
    }

    #[test]
    fn degenerate_inputs() {
        let c = kmeans(&[], &[], 2);
        assert!(c.labels.is_empty());
        let c = kmeans(&[point(0.3)], &[1.0], 3);
        assert_eq!(c.labels, vec![0]);
        assert_eq!(c.centroids.len(), 1);
        assert!((cosine(&[1.0, 0.0], &[0.0, 1.0])).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[0.0, 1.0]), 0.0);
    }
}
