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
const BASE: usize = 21;
pub const FEATURES: usize = 2 * BASE;

/// The model's trust in the knowledge bases the confidence is fitted on: the small one
/// (about 16 texts per topic) and Banking77's (about 108).
const MEASURED_TRUST: (f32, f32) = (0.45, 0.85);

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
    let sense = column(|h| h.sense);
    hits.iter()
        .enumerate()
        .map(|(i, h)| {
            // Measured between the small knowledge base's trust and Banking77's: a thinner or
            // richer knowledge base is read as the nearest one measured, not extrapolated to.
            let trust = h.trust.clamp(MEASURED_TRUST.0, MEASURED_TRUST.1);
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
                h.sense,
                ahead(&sense, i),
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

/// Where the sentence encoder's measures sit among the base features.
const MEANING_FEATURES: std::ops::Range<usize> = 19..21;

/// `features` with the sentence encoder's measures left out (how the model by words alone is
/// fitted).
pub fn words_only(features: &Features) -> Features {
    let mut out = *features;
    for k in MEANING_FEATURES.chain(MEANING_FEATURES.start + BASE..MEANING_FEATURES.end + BASE) {
        out[k] = 0.0;
    }
    out
}

/// A logistic model's constants.
struct Model {
    bias: f32,
    weights: [f32; FEATURES],
}

/// The probability that the candidate with `features` is the right answer: by the model for
/// questions the sentence encoder read (`sensed`), by words alone for the others (the two kinds
/// of question are measured apart, so that neither's calibration bends the other's).
pub fn confidence(features: &Features, sensed: bool) -> f32 {
    let model = if sensed { &MEANING } else { &WORDS };
    let z = model.bias + model.weights.iter().zip(features).map(|(w, x)| w * x).sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}

// Fitted by `cargo bench -p switchboard-bot --bench bot -- fit`.
#[rustfmt::skip]
const WORDS: Model = Model {
    bias: -7.6390,
    weights: [-2.5192, 0.1570, 3.5906, 6.0261, 1.4934, 0.9155, -1.7278, -0.0518, -0.1129, 2.4296, -0.5227, 2.8922, 2.5298, 0.5830, 3.4846, 2.5134, 0.0314, 1.1229, 0.4282, 0.0000, 0.0000, 0.3121, 1.8368, -2.0752, -0.0518, -0.1129, 0.1830, -1.3333, -6.5274, -1.4530, 0.2594, 0.0303, -0.3263, -1.0038, -1.2540, 1.1748, 0.1358, -0.5112, 0.4282, -0.7473, 0.0000, 0.0000],
};

#[rustfmt::skip]
const MEANING: Model = Model {
    bias: -7.2226,
    weights: [0.3984, -3.4176, -0.1468, 13.4733, -2.2246, 0.1664, -1.8610, -0.7139, 0.0275, 2.4278, 1.0536, 1.5607, 1.7612, -1.4674, 3.2904, 1.5891, -1.6407, 2.5337, 0.2698, 6.3397, 1.9579, 0.7022, -0.7808, -0.3966, -0.7139, 0.0275, -1.1554, -1.4361, -14.5133, 1.6258, -1.0193, -0.1114, -0.3423, -0.3799, 2.0883, -0.0251, 0.6029, 1.5699, 0.2698, -3.0008, 2.9959, 3.8406],
};
