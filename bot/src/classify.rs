//! A linear model of which topic a question is about, learned from the knowledge base's own
//! titles and example questions each time the knowledge base is built: multinomial logistic
//! regression over word, word-pair and character n-gram features (TF-IDF weighted). Lexical
//! similarity to the closest example cannot tell apart topics that share their words ("my top-up
//! is pending" and "my top-up failed"); a model that weighs every feature against every topic
//! at once can, and its probability is a calibrated confidence. Small: a knowledge base has
//! hundreds of topics and thousands of questions, so training takes well under a second.

use std::collections::HashMap;
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};

/// Passes over the training questions.
const EPOCHS: usize = 12;
const LEARNING_RATE: f32 = 0.5;
/// L2 penalty per step, which keeps the model from trusting rare features too far.
const DECAY: f32 = 1e-5;

pub struct Classifier {
    /// Feature → row in `weights`.
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
    /// `vocabulary.len() × classes`, row-major.
    weights: Vec<f32>,
    bias: Vec<f32>,
    classes: usize,
    words: TextAnalyzer,
    /// Each class's training questions as vectors (for the nearest one).
    examples: Vec<Vec<Vector>>,
}

/// Sparse, L2-normalised feature vector: (row, value), sorted by row.
type Vector = Vec<(u32, f32)>;

/// What the model makes of one question.
pub struct Prediction {
    /// The probability of each class.
    pub probabilities: Vec<f32>,
    /// How much of the question the model knows: the share of its words seen in training (a
    /// question in words no article uses is out of scope however the probabilities fall).
    pub known: f32,
    vector: Vector,
}

fn words() -> TextAnalyzer {
    // No stop-word filter: "not", "no" and "still" tell a failed payment from a pending one.
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The features of one text, with their counts.
fn features(analyzer: &mut TextAnalyzer, text: &str) -> HashMap<String, f32> {
    let mut out: HashMap<String, f32> = HashMap::new();
    let mut add = |f: String| *out.entry(f).or_default() += 1.0;
    let lower = text.to_lowercase();
    // Stemmed words and adjacent pairs (Latin script; CJK runs come out whole and are covered
    // by the character n-grams below).
    let mut stream = analyzer.token_stream(&lower);
    let mut previous: Option<String> = None;
    while let Some(token) = stream.next() {
        if !token.text.chars().any(char::is_alphanumeric) || token.text.chars().any(is_cjk) {
            previous = None;
            continue;
        }
        add(format!("w {}", token.text));
        if let Some(p) = previous.take() {
            add(format!("b {p} {}", token.text));
        }
        previous = Some(token.text.clone());
    }
    // Character n-grams inside each word (typos, inflections the stemmer misses, and Chinese,
    // where a "word" is a run of characters).
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let cjk = word.chars().any(is_cjk);
        let chars: Vec<char> = if cjk { word.chars().collect() } else { format!("<{word}>").chars().collect() };
        let sizes = if cjk { 1..=3 } else { 3..=5 };
        for n in sizes {
            for gram in chars.windows(n) {
                add(format!("c {}", gram.iter().collect::<String>()));
            }
        }
    }
    out
}

impl Classifier {
    /// Learns from `examples`: (text, class) with classes `0..classes`.
    pub fn train(examples: &[(String, usize)], classes: usize) -> Classifier {
        let mut analyzer = words();
        let counted: Vec<HashMap<String, f32>> = examples.iter().map(|(t, _)| features(&mut analyzer, t)).collect();
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<f32> = Vec::new();
        // Rows in a fixed order, so the same knowledge base always gives the same model.
        let mut ordered: Vec<&String> = Vec::new();
        for c in &counted {
            let mut keys: Vec<&String> = c.keys().collect();
            keys.sort_unstable();
            ordered.extend(keys);
        }
        for f in ordered {
            let next = vocabulary.len() as u32;
            let row = *vocabulary.entry(f.clone()).or_insert(next);
            if row as usize == df.len() {
                df.push(0.0);
            }
            df[row as usize] += 1.0;
        }
        let n = examples.len().max(1) as f32;
        let idf: Vec<f32> = df.iter().map(|d| (1.0 + n / d).ln()).collect();
        let mut model = Classifier {
            weights: vec![0.0; vocabulary.len() * classes],
            bias: vec![0.0; classes],
            vocabulary,
            idf,
            classes,
            words: analyzer,
            examples: vec![Vec::new(); classes],
        };
        if classes == 0 {
            return model;
        }
        let vectors: Vec<(Vector, usize)> =
            counted.iter().zip(examples).map(|(c, (_, class))| (model.vectorize(c), *class)).collect();
        for (x, class) in &vectors {
            model.examples[*class].push(x.clone());
        }
        // A fixed pseudo-random order (the same knowledge base always gives the same model).
        let mut order: Vec<usize> = (0..vectors.len()).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut step = 0usize;
        let total = (EPOCHS * vectors.len()).max(1) as f32;
        for _ in 0..EPOCHS {
            for i in (1..order.len()).rev() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (seed >> 33) as usize % (i + 1));
            }
            for &i in &order {
                let (x, y) = &vectors[i];
                let rate = LEARNING_RATE * (1.0 - step as f32 / total).max(0.05);
                step += 1;
                let p = model.probabilities(x);
                for (class, probability) in p.iter().enumerate() {
                    let gradient = probability - f32::from(u8::from(class == *y));
                    model.bias[class] -= rate * gradient;
                    for &(row, value) in x {
                        let w = &mut model.weights[row as usize * classes + class];
                        *w -= rate * (gradient * value + DECAY * *w);
                    }
                }
            }
        }
        model
    }

    fn vectorize(&self, counted: &HashMap<String, f32>) -> Vector {
        let mut x: Vector = counted
            .iter()
            .filter_map(|(f, tf)| {
                let row = *self.vocabulary.get(f)?;
                Some((row, (1.0 + tf.ln()) * self.idf[row as usize]))
            })
            .collect();
        let norm = x.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            x.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        x.sort_unstable_by_key(|(row, _)| *row);
        x
    }

    fn probabilities(&self, x: &Vector) -> Vec<f32> {
        let mut logits = self.bias.clone();
        for &(row, value) in x {
            let weights = &self.weights[row as usize * self.classes..(row as usize + 1) * self.classes];
            for (logit, w) in logits.iter_mut().zip(weights) {
                *logit += w * value;
            }
        }
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for l in logits.iter_mut() {
            *l = (*l - max).exp();
            sum += *l;
        }
        logits.iter_mut().for_each(|l| *l /= sum);
        logits
    }

    /// The cosine similarity of the question predicted to the closest training question of
    /// `class`.
    pub fn nearest(&self, prediction: &Prediction, class: usize) -> f32 {
        let x = &prediction.vector;
        self.examples.get(class).map_or(0.0, |examples| examples.iter().map(|e| dot(x, e)).fold(0.0, f32::max))
    }

    /// What the model makes of `text`.
    pub fn predict(&self, text: &str) -> Prediction {
        let mut analyzer = self.words.clone();
        let counted = features(&mut analyzer, text);
        // Words, and single Chinese characters: n-grams of an unknown word are partly known.
        let word = |f: &&String| f.starts_with("w ") || (f.starts_with("c ") && f.chars().count() == 3);
        let total = counted.keys().filter(word).count() as f32;
        let known = counted.keys().filter(word).filter(|f| self.vocabulary.contains_key(*f)).count() as f32;
        let vector = self.vectorize(&counted);
        let probabilities = if self.classes == 0 { Vec::new() } else { self.probabilities(&vector) };
        Prediction { probabilities, known: if total > 0.0 { known / total } else { 0.0 }, vector }
    }
}

/// Dot product of two vectors sorted by row.
fn dot(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_apart_topics_that_share_their_words() {
        let examples: Vec<(String, usize)> = [
            ("my top-up is still pending", 0),
            ("top up has been pending for hours", 0),
            ("why is my top up still processing", 0),
            ("my top-up failed", 1),
            ("top up did not go through and was declined", 1),
            ("the top up was rejected", 1),
        ]
        .iter()
        .map(|(t, c)| (t.to_string(), *c))
        .collect();
        let model = Classifier::train(&examples, 2);
        let pending = model.predict("top up pending since yesterday");
        let p = &pending.probabilities;
        assert!(p[0] > p[1], "{p:?}");
        assert!(pending.known > 0.5);
        let p = model.predict("my top up got declined").probabilities;
        assert!(p[1] > p[0], "{p:?}");
        // The closest example: the same question is at distance zero; a question from elsewhere
        // that shares one word is far, whatever the probabilities say.
        let nearest = |text: &str| model.nearest(&model.predict(text), 1);
        assert!((nearest("my top-up failed") - 1.0).abs() < 1e-4);
        let stranger = nearest("the ATM swallowed my card, top up please");
        assert!(stranger < 0.5, "{stranger}");
        assert!(nearest("top up did not go through") > stranger);
    }
}
