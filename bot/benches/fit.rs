//! Fitting the confidence's weights (`switchboard_bot::confidence`): a weighted, L2-regularised
//! logistic regression by gradient descent on standardised features, over candidates labelled
//! right or wrong. Run by `cargo bench -p switchboard-bot --bench bot -- fit`, which prints the
//! constants to paste into `bot/src/confidence.rs`.

use switchboard_bot::confidence::{FEATURES, Features};

/// One candidate: its features, whether it is the right answer, and its weight.
pub type Row = (Features, bool, f64);

const STEPS: usize = 6000;
const RATE: f64 = 0.5;
const L2: f64 = 1e-4;

/// Bias and weights on the features as they are (not standardised).
pub fn fit(rows: &[Row]) -> (f64, [f64; FEATURES]) {
    let total: f64 = rows.iter().map(|r| r.2).sum();
    let mut mean = [0.0f64; FEATURES];
    let mut spread = [0.0f64; FEATURES];
    for (x, _, w) in rows {
        for k in 0..FEATURES {
            mean[k] += w * f64::from(x[k]) / total;
        }
    }
    for (x, _, w) in rows {
        for k in 0..FEATURES {
            spread[k] += w * (f64::from(x[k]) - mean[k]).powi(2) / total;
        }
    }
    let spread: Vec<f64> = spread.iter().map(|v| v.sqrt().max(1e-6)).collect();
    let standard: Vec<([f64; FEATURES], f64, f64)> = rows
        .iter()
        .map(|(x, y, w)| {
            let mut z = [0.0; FEATURES];
            for k in 0..FEATURES {
                z[k] = (f64::from(x[k]) - mean[k]) / spread[k];
            }
            (z, f64::from(u8::from(*y)), *w / total)
        })
        .collect();
    let (mut bias, mut weights) = (0.0f64, [0.0f64; FEATURES]);
    for _ in 0..STEPS {
        let (mut g_bias, mut g) = (0.0, [0.0; FEATURES]);
        for (z, y, w) in &standard {
            let logit = bias + weights.iter().zip(z).map(|(a, b)| a * b).sum::<f64>();
            let error = w * (1.0 / (1.0 + (-logit).exp()) - y);
            g_bias += error;
            for k in 0..FEATURES {
                g[k] += error * z[k];
            }
        }
        bias -= RATE * g_bias;
        for k in 0..FEATURES {
            weights[k] -= RATE * (g[k] + L2 * weights[k]);
        }
    }
    let mut raw = [0.0; FEATURES];
    let mut raw_bias = bias;
    for k in 0..FEATURES {
        raw[k] = weights[k] / spread[k];
        raw_bias -= weights[k] * mean[k] / spread[k];
    }
    (raw_bias, raw)
}

/// The constants as Rust.
pub fn constants(bias: f64, weights: &[f64; FEATURES]) -> String {
    let list: Vec<String> = weights.iter().map(|w| format!("{w:.4}")).collect();
    format!("const BIAS: f32 = {bias:.4};\nconst WEIGHTS: [f32; FEATURES] = [{}];\n", list.join(", "))
}
