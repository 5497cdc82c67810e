//! The Slaney-scale mel filter bank whisper uses (librosa `filters.mel(sr, n_fft, n_mels)` with
//! `htk=False, norm="slaney"`), computed in f64 in the same order of operations as librosa/numpy
//! so the f32 result matches openai-whisper's `mel_filters.npz` bit for bit.

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;

fn logstep() -> f64 {
    6.4f64.ln() / 27.0
}

/// Hz to mel on the Slaney scale (linear below 1 kHz, logarithmic above).
pub fn hz_to_mel(f: f64) -> f64 {
    let min_log_mel = MIN_LOG_HZ / F_SP;
    if f >= MIN_LOG_HZ {
        min_log_mel + (f.max(1e-10) / MIN_LOG_HZ).ln() / logstep()
    } else {
        f / F_SP
    }
}

/// Mel to Hz on the Slaney scale.
pub fn mel_to_hz(m: f64) -> f64 {
    let min_log_mel = MIN_LOG_HZ / F_SP;
    if m >= min_log_mel {
        MIN_LOG_HZ * (logstep() * (m - min_log_mel)).exp()
    } else {
        F_SP * m
    }
}

/// The filter bank, row-major `n_mels × (n_fft/2 + 1)` (80 × 201 for whisper).
pub fn mel_filters(sr: u32, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let n_bins = n_fft / 2 + 1;
    // numpy.fft.rfftfreq(n, d=1/sr): k * (1 / (n * d))
    let d = 1.0 / sr as f64;
    let val = 1.0 / (n_fft as f64 * d);
    let fftfreqs: Vec<f64> = (0..n_bins).map(|k| k as f64 * val).collect();
    // numpy.linspace(lo, hi, n_mels + 2): i * step + lo, last element exactly hi
    let lo = hz_to_mel(0.0);
    let hi = hz_to_mel(sr as f64 / 2.0);
    let num = n_mels + 2;
    let step = (hi - lo) / (num - 1) as f64;
    let mut mels: Vec<f64> = (0..num).map(|i| i as f64 * step + lo).collect();
    mels[num - 1] = hi;
    let mel_f: Vec<f64> = mels.into_iter().map(mel_to_hz).collect();
    let fdiff: Vec<f64> = mel_f.windows(2).map(|w| w[1] - w[0]).collect();
    let mut out = vec![0f32; n_mels * n_bins];
    for i in 0..n_mels {
        let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for (k, &f) in fftfreqs.iter().enumerate() {
            let lower = -(mel_f[i] - f) / fdiff[i];
            let upper = (mel_f[i + 2] - f) / fdiff[i + 1];
            // numpy's SIMD minimum/maximum return the second operand on ties, so
            // maximum(0, -0.0) is -0.0 (as in the reference bank at [0, 0]).
            let m = if lower < upper { lower } else { upper };
            let w = if 0.0 > m { 0.0 } else { m };
            out[i * n_bins + k] = (w * enorm) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    // Expected values printed once by the numpy reference (`mel_filters()` in
    // /work/shared/tools/ct2_whisper_to_ggml.py, which follows librosa): a few entries as f32
    // bit patterns, row sums (f64 sums of the f32 entries) and the sha256 of the whole bank as
    // little-endian f32 bytes.
    const ENTRIES: &[(usize, usize, u32)] = &[
        (0, 1, 1019980964),   // 0.024862595
        (1, 1, 990017651),    // 0.001990822
        (1, 2, 1018912149),   // 0.022871772
        (5, 6, 1014252215),   // 0.014908484
        (10, 11, 1000495184), // 0.0049543753
        (30, 29, 1015145606), // 0.015856039
        (40, 43, 1014066545), // 0.0147355655
        (60, 91, 996247060),  // 0.0034412192
        (79, 186, 968902460), // 0.00036674167
        (79, 187, 979001954), // 0.00083307
    ];
    const ROW_SUMS: &[(usize, f64)] = &[
        (0, 0.02486259490251541),
        (1, 0.024862593738362193),
        (10, 0.02486259490251541),
        (40, 0.026664860546588898),
        (79, 0.024925339414039627),
    ];
    const BANK_SHA256: &str = "2150c30cbbeb6029f52002ffa666c1c72d83dbf53f463cb8462052055806e891";

    #[test]
    fn matches_the_reference_filter_bank() {
        let m = mel_filters(16000, 400, 80);
        assert_eq!(m.len(), 80 * 201);
        let at = |r: usize, c: usize| m[r * 201 + c];
        assert_eq!(at(0, 0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(at(79, 200), 0.0);
        assert!(m.iter().all(|&x| x >= 0.0));
        for &(r, c, bits) in ENTRIES {
            assert_eq!(at(r, c).to_bits(), bits, "mel[{r},{c}] = {}", at(r, c));
        }
        for &(r, want) in ROW_SUMS {
            let sum: f64 = (0..201).map(|c| at(r, c) as f64).sum();
            assert!((sum - want).abs() < 1e-9, "row {r}: {sum} vs {want}");
        }
        let bytes: Vec<u8> = m.iter().flat_map(|x| x.to_le_bytes()).collect();
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), BANK_SHA256);
    }

    #[test]
    fn slaney_scale_is_linear_below_1khz() {
        assert!((hz_to_mel(500.0) - 7.5).abs() < 1e-12);
        assert!((mel_to_hz(hz_to_mel(3000.0)) - 3000.0).abs() < 1e-9);
    }
}
