//! Speed of the packed kernels: `cargo bench -p noted-kernels`. Prints, per weight type, the
//! matrix-vector product (generation) in GB/s of weights streamed from memory (eight copies of
//! the matrix in turn, more than a CPU cache holds, as a model's layers are) and the 64-column
//! product (a prompt batch) in GMAC/s, on a Qwen2.5-1.5B-sized FFN matrix (8960 × 1536).

use std::time::Instant;

use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use noted_kernels::{cpu_has_vnni, Packed};

fn main() {
    if !cpu_has_vnni() {
        println!("this CPU has no AVX-512 VNNI: the packed kernels are not used here");
        return;
    }
    let (rows, k) = (8960, 1536);
    let mut s = 1u64;
    let mut rnd = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    };
    let w: Vec<f32> = (0..rows * k).map(|_| rnd()).collect();
    let w = Tensor::from_vec(w, (rows, k), &Device::Cpu).unwrap();
    let x: Vec<f32> = (0..64 * k).map(|_| rnd()).collect();
    for dtype in [GgmlDType::Q8_0, GgmlDType::Q6K, GgmlDType::Q4K] {
        let q = QTensor::quantize(&w, dtype).unwrap();
        let copies: Vec<Packed> = (0..8).map(|_| Packed::from_qtensor(&q).unwrap()).collect();
        let p = &copies[0];
        // Best of five rounds: the machine's memory bandwidth varies from moment to moment.
        let reps = 200;
        let mut gemv = f64::MAX;
        for _ in 0..5 {
            let t0 = Instant::now();
            for r in 0..reps {
                std::hint::black_box(copies[r % copies.len()].matmul(&x[..k], 1));
            }
            gemv = gemv.min(t0.elapsed().as_secs_f64() / reps as f64);
        }
        let t0 = Instant::now();
        for _ in 0..10 {
            std::hint::black_box(p.matmul(&x, 64));
        }
        let gemm = t0.elapsed().as_secs_f64() / 10.0;
        println!(
            "{dtype:?}: {} MB packed; 1 column {:.0} µs ({:.1} GB/s); 64 columns {:.1} ms ({:.0} GMAC/s)",
            p.bytes() / 1_000_000,
            gemv * 1e6,
            p.bytes() as f64 / gemv / 1e9,
            gemm * 1e3,
            (rows * k * 64) as f64 / gemm / 1e9
        );
    }
}
