//! Fitting the confidence's weights (`switchboard_bot::confidence`): a weighted, L2-regularised
//! logistic regression by gradient descent on standardised features, over candidates labelled
//! right or wrong, and the rows it is fitted on. Run by `cargo bench -p switchboard-bot --bench bot
//! -- fit`, which prints the constants to paste into `bot/src/confidence.rs`.

use crate::small_kb::Expect;
use switchboard_bot::confidence::{self, FEATURES, Features, features};
use switchboard_bot::index::Hit;
use switchboard_bot::{Knowledge, Reading, read};

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
pub fn constants(name: &str, bias: f64, weights: &[f64; FEATURES]) -> String {
    let list: Vec<String> = weights.iter().map(|w| format!("{w:.4}")).collect();
    format!(
        "#[rustfmt::skip]\nconst {name}: Model = Model {{\n    bias: {bias:.4},\n    weights: [{}],\n}};\n",
        list.join(", ")
    )
}

/// `cargo bench … -- fit`: the rows of the small knowledge base's development split (its
/// paraphrases and its out-of-scope questions) and of `sets` (weight, questions read by `kb`
/// with the article that answers them), each set weighted as a whole; prints the constants.
pub fn run(kb: &Knowledge, sets: &[(f64, &crate::Read)]) {
    let small = Knowledge::build(crate::small_kb::articles());
    let (mut paraphrases, mut out_of_scope) = (Vec::new(), Vec::new());
    for q in crate::small_kb::questions().iter().filter(|q| q.dev) {
        let topic = match &q.expect {
            Expect::Topic { topic, .. } => Some(topic.as_str()),
            Expect::OutOfScope => None,
            _ => continue,
        };
        if let Reading::Ranked(hits) = read(&small, &q.text) {
            if topic.is_some() { &mut paraphrases } else { &mut out_of_scope }.push(candidates(&small, &hits, topic));
        }
    }
    let mut weighted: Vec<(f64, Vec<Query>)> = vec![(1.0, paraphrases), (0.6, out_of_scope)];
    for (weight, set) in sets {
        let queries = set
            .iter()
            .filter_map(|(reading, id)| match reading {
                Reading::Ranked(hits) => Some(candidates(kb, hits, id.as_deref())),
                _ => None,
            })
            .collect();
        weighted.push((*weight, queries));
    }
    // Two models: one for questions the encoder reads, fitted on those alone, and one by words
    // alone, fitted on every question with the encoder's measures left out.
    let (mut words, mut meaning): (Vec<Row>, Vec<Row>) = (Vec::new(), Vec::new());
    for (weight, queries) in weighted {
        let n = queries.len().max(1) as f64;
        let sensed = queries.iter().filter(|(sensed, _)| *sensed).count().max(1) as f64;
        for (read, rows) in queries {
            for (x, y, _) in rows {
                if read {
                    meaning.push((x, y, weight / sensed));
                }
                words.push((confidence::words_only(&x), y, weight / n));
            }
        }
    }
    let (bias, weights) = fit(&words);
    println!("{}", constants("WORDS", bias, &weights));
    let (bias, weights) = fit(&meaning);
    println!("{}", constants("MEANING", bias, &weights));
}

/// Whether the sentence encoder read a question, and its candidates as rows.
type Query = (bool, Vec<Row>);

/// Each candidate of a question as a row: right when its topic is `expected`.
fn candidates(kb: &Knowledge, hits: &[Hit], expected: Option<&str>) -> Query {
    let rows = features(hits)
        .into_iter()
        .zip(hits)
        .map(|(x, h)| (x, Some(kb.articles[h.article].topic.as_str()) == expected, 1.0))
        .collect();
    (hits.first().is_some_and(|h| h.sensed), rows)
}
