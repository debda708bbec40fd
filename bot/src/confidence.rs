//! The confidence of an answer: the probability, measured, that a topic retrieval found is the
//! right answer to the question. Retrieval measures each candidate (similarity to its closest
//! texts, the topic model's probability, the share of the question's words the topic has…);
//! what these measures mean depends on the knowledge base — a similarity of 0.4 is a clear
//! match among thirty topics with three examples each and a weak one among sixty topics with a
//! hundred — and on the other candidates: a topic far ahead of the next is safer than one just
//! ahead. So the confidence is a logistic model over each candidate's measures, the same
//! measures relative to the best other candidate, and each of these weighed by how far the
//! knowledge base's examples let the topic model be trusted.
//!
//! The weights are fitted by the bot benchmark (`cargo bench -p switchboard-bot --bench bot --
//! fit`) on development data only: the small knowledge base's development split and its
//! out-of-scope questions, held-out Banking77 train questions, the train questions of the
//! Banking77 intents outside the knowledge base, and CLINC150's `oos_val`. The figures on the
//! test splits are in BENCHMARKS.md.

use crate::index::Hit;

/// Measures per candidate, before they are weighed by trust.
const BASE: usize = 19;
pub const FEATURES: usize = 2 * BASE;

/// One candidate's features.
pub type Features = [f32; FEATURES];

/// The features of each candidate, in the order of `hits`.
pub fn features(hits: &[Hit]) -> Vec<Features> {
    let column = |f: fn(&Hit) -> f32| -> Vec<f32> { hits.iter().map(f).collect() };
    let learned_known = column(|h| h.learned * h.known);
    let (closest, support, lexical, nearest, cover) = (
        column(|h| h.closest),
        column(|h| h.support),
        column(|h| h.lexical),
        column(|h| h.nearest),
        column(|h| h.cover),
    );
    hits.iter()
        .enumerate()
        .map(|(i, h)| {
            let trust = h.trust;
            let base: [f32; BASE] = [
                h.closest,
                h.support,
                h.lexical,
                learned_known[i],
                h.nearest,
                h.known,
                trust,
                learned_known[i] * trust,
                h.nearest * trust,
                ahead(&closest, i),
                ahead(&support, i),
                ahead(&learned_known, i),
                ahead(&nearest, i),
                ahead(&lexical, i),
                h.blend.max(0.0).cbrt(),
                h.cover,
                ahead(&cover, i),
                h.ratio,
                h.ratio * trust,
            ];
            let mut out = [0.0; FEATURES];
            out[..BASE].copy_from_slice(&base);
            for (weighed, value) in out[BASE..].iter_mut().zip(base) {
                *weighed = value * trust;
            }
            out
        })
        .collect()
}

/// How far candidate `i`'s value is ahead of the best other candidate's (negative: behind).
fn ahead(values: &[f32], i: usize) -> f32 {
    let best_other = values.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, v)| *v).fold(0.0, f32::max);
    values[i] - best_other
}

/// The probability that the candidate with `features` is the right answer.
pub fn confidence(features: &Features) -> f32 {
    let z = BIAS + WEIGHTS.iter().zip(features).map(|(w, x)| w * x).sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}

/// Fitted by `cargo bench -p switchboard-bot --bench bot -- fit`.
const BIAS: f32 = -9.5546;
#[rustfmt::skip]
const WEIGHTS: [f32; FEATURES] = [-3.1150, -0.2822, 5.8777, 5.4858, -0.0566, 0.5641, -1.7203, -0.2918, -0.2039, 2.7012, -1.8710, 3.0961, 2.5338, 1.9615, 6.1322, 2.2095, 0.6709, 1.2042, 0.3747, 0.4507, 2.6111, -3.6472, -0.2918, -0.2039, -0.0836, -1.3276, -6.3485, -0.2915, 1.0737, -0.3160, -0.3779, -0.6656, -2.9427, 2.8035, 0.1296, -1.4010, 0.3747, -0.9851];
