//! Speed of the packed kernels: `cargo bench -p noted-kernels`. Prints, per weight type, the
//! matrix-vector product (generation) in GB/s of weights streamed from memory (eight copies of
//! the matrix in turn, more than a CPU cache holds, as a model's layers are) and the 64-column
//! product (a prompt batch) in GMAC/s, on a Qwen2.5-1.5B-sized FFN matrix (8960 × 1536); and
//! the same two products as the model runs them without these kernels (candle's quantized
//! matrix-vector product; a dequantized f32 copy times the batch).

use std::time::Instant;

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{Device, Module, Tensor};
use noted_kernels::{cpu_packs, Packed};

fn main() {
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
        candle(QTensor::quantize(&w, dtype).unwrap(), &x, k);
        let Some(isa) = cpu_packs(dtype) else {
            println!("{dtype:?}: no packed kernel on this CPU");
            continue;
        };
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
            "{dtype:?} packed ({}): {} MB; 1 column {:.0} µs ({:.1} GB/s); 64 columns {:.1} ms ({:.0} GMAC/s)",
            isa.name(),
            p.bytes() / 1_000_000,
            gemv * 1e6,
            p.bytes() as f64 / gemv / 1e9,
            gemm * 1e3,
            (rows * k * 64) as f64 / gemm / 1e9
        );
    }
}

/// The same products without the packed kernels: candle's quantized matrix-vector product, and
/// the dequantize-then-f32 product the model uses for prompt batches.
fn candle(q: QTensor, x: &[f32], k: usize) {
    let dtype = q.dtype();
    let (rows, _) = q.shape().dims2().unwrap();
    let wf0 = q.dequantize(&Device::Cpu).unwrap();
    let q = std::sync::Arc::new(q);
    let m = QMatMul::from_arc(q.clone()).unwrap();
    drop(wf0);
    let x1 = Tensor::from_slice(&x[..k], (1, k), &Device::Cpu).unwrap();
    let x64 = Tensor::from_slice(x, (64, k), &Device::Cpu).unwrap();
    let reps = 50;
    let mut gemv = f64::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(m.forward(&x1).unwrap());
        }
        gemv = gemv.min(t0.elapsed().as_secs_f64() / reps as f64);
    }
    let t0 = Instant::now();
    for _ in 0..5 {
        let wf = q.dequantize(&Device::Cpu).unwrap();
        std::hint::black_box(x64.matmul(&wf.t().unwrap()).unwrap());
    }
    let gemm = t0.elapsed().as_secs_f64() / 5.0;
    println!(
        "{dtype:?} candle: 1 column {:.0} µs; 64 columns (dequantized f32) {:.1} ms ({:.0} GMAC/s)",
        gemv * 1e6,
        gemm * 1e3,
        (rows * k * 64) as f64 / gemm / 1e9
    );
}
