//! A linear model of which topic a question is about, learned from the knowledge base's own
//! titles and example questions each time the knowledge base is built: multinomial logistic
//! regression over word, word-pair and character n-gram features (TF-IDF weighted). Lexical
//! similarity to the closest example cannot tell apart topics that share their words ("my top-up
//! is pending" and "my top-up failed"); a model that weighs every feature against every topic
//! at once can, and its probability is a calibrated confidence. Small: a knowledge base has
//! hundreds of topics and thousands of questions, so training takes about a second at most.
//!
//! A softmax over the known topics alone must put all its probability on them, so a question
//! about something else that shares most of its words with one topic ("why was I charged a fee
//! for my *card* payment" against the transfer-fee topic) gets that topic's probability in
//! full. So the model also learns one more class, "none of these", from near misses made out of
//! the knowledge base itself: an example question with one of its words swapped for a word of
//! another topic's question. Its probability is left out of the topics', so a question that
//! mixes one topic's wording with another's leaves each of them less sure.

use std::collections::HashMap;
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};

/// Passes over the training questions.
const EPOCHS: usize = 12;
const LEARNING_RATE: f32 = 0.5;
/// L2 penalty per step, which keeps the model from trusting rare features too far.
const DECAY: f32 = 1e-5;
/// Near misses made per example question, learned as the "none of these" class.
const NEAR_MISSES: usize = 1;

pub struct Classifier {
    /// Feature → row in `weights`.
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
    /// `vocabulary.len() × classes`, row-major.
    weights: Vec<f32>,
    bias: Vec<f32>,
    /// The topics, and the "none of these" class after them when there are two topics or more.
    classes: usize,
    topics: usize,
    words: TextAnalyzer,
    /// Each topic's training questions as vectors (for the nearest one).
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
    /// Learns from `examples`: (text, topic) with topics `0..topics`.
    pub fn train(examples: &[(String, usize)], topics: usize) -> Classifier {
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
        let none = topics;
        let classes = if topics >= 2 { topics + 1 } else { topics };
        let mut model = Classifier {
            weights: vec![0.0; vocabulary.len() * classes],
            bias: vec![0.0; classes],
            vocabulary,
            idf,
            classes,
            topics,
            words: analyzer,
            examples: vec![Vec::new(); topics],
        };
        if classes == 0 {
            return model;
        }
        let mut vectors: Vec<(Vector, usize)> =
            counted.iter().zip(examples).map(|(c, (_, class))| (model.vectorize(c), *class)).collect();
        for (x, class) in &vectors {
            model.examples[*class].push(x.clone());
        }
        // Pseudo-random, from a fixed seed: the same knowledge base always gives the same model.
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        if classes > topics {
            let mut analyzer = model.words.clone();
            for text in near_misses(examples, &mut random) {
                let x = model.vectorize(&features(&mut analyzer, &text));
                vectors.push((x, none));
            }
        }
        let mut order: Vec<usize> = (0..vectors.len()).collect();
        let mut step = 0usize;
        let total = (EPOCHS * vectors.len()).max(1) as f32;
        for _ in 0..EPOCHS {
            for i in (1..order.len()).rev() {
                order.swap(i, random.below(i + 1));
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
        let mut probabilities = if self.classes == 0 { Vec::new() } else { self.probabilities(&vector) };
        // "None of these" is not a topic: its share only leaves the topics less sure.
        probabilities.truncate(self.topics);
        Prediction { probabilities, known: if total > 0.0 { known / total } else { 0.0 }, vector }
    }
}

/// A linear congruential generator: enough to shuffle and to pick near misses, and the same
/// sequence on every machine.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n.max(1)
    }
}

/// Questions that are almost an example of one topic: an example with one of its words (a
/// Latin word of four letters or more, or two Chinese characters) replaced by one from an
/// example of another topic.
fn near_misses(examples: &[(String, usize)], random: &mut Random) -> Vec<String> {
    let split: Vec<Vec<String>> = examples.iter().map(|(text, _)| units(text)).collect();
    // Per example, where its swappable words are.
    let swappable: Vec<Vec<usize>> = split
        .iter()
        .map(|units| {
            (0..units.len()).filter(|&i| units[i].chars().any(is_cjk) || units[i].chars().count() >= 4).collect()
        })
        .collect();
    let wanted = NEAR_MISSES * examples.len();
    let mut out = Vec::with_capacity(wanted);
    // Bounded: a knowledge base whose examples have no word to swap makes none.
    for _ in 0..wanted * 4 {
        if out.len() == wanted {
            break;
        }
        let (a, b) = (random.below(examples.len()), random.below(examples.len()));
        if examples[a].1 == examples[b].1 {
            continue;
        }
        let (slots, donors) = (&swappable[a], &swappable[b]);
        if slots.is_empty() || donors.is_empty() {
            continue;
        }
        let mut units = split[a].clone();
        units[slots[random.below(slots.len())]] = split[b][donors[random.below(donors.len())]].clone();
        out.push(joined(&units));
    }
    out
}

/// Units back into a text: Chinese pairs run on, as written.
fn joined(units: &[String]) -> String {
    let mut text = String::new();
    let mut previous_cjk = false;
    for unit in units {
        let cjk = unit.chars().any(is_cjk);
        let runs_on = text.is_empty() || (cjk && previous_cjk);
        if !runs_on {
            text.push(' ');
        }
        text.push_str(unit);
        previous_cjk = cjk;
    }
    text
}

/// A text's words: Latin words whole, Chinese runs in pairs of characters.
fn units(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if word.chars().any(is_cjk) {
            let chars: Vec<char> = word.chars().collect();
            out.extend(chars.chunks(2).map(|pair| pair.iter().collect::<String>()));
        } else {
            out.push(word.to_owned());
        }
    }
    out
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

    fn labelled(pairs: &[(&str, usize)]) -> Vec<(String, usize)> {
        pairs.iter().map(|(text, topic)| (text.to_string(), *topic)).collect()
    }

    #[test]
    fn tells_apart_topics_that_share_their_words() {
        let examples = labelled(&[
            ("my top-up is still pending", 0),
            ("top up has been pending for hours", 0),
            ("why is my top up still processing", 0),
            ("my top-up failed", 1),
            ("top up did not go through and was declined", 1),
            ("the top up was rejected", 1),
        ]);
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

    #[test]
    fn a_question_mixing_two_topics_wording_leaves_the_topics_less_sure() {
        let examples = labelled(&[
            ("why was I charged a fee for my transfer", 0),
            ("is there a fee for sending money", 0),
            ("how much does a transfer cost", 0),
            ("my transfer cost more than expected", 0),
            ("my card has not arrived yet", 1),
            ("when will my new card be delivered", 1),
            ("how long does card delivery take", 1),
            ("I am still waiting for my card", 1),
            ("my transfer is still pending", 2),
            ("why is the transfer not complete yet", 2),
            ("the money I sent is pending", 2),
            ("how long until my transfer goes through", 2),
        ]);
        let model = Classifier::train(&examples, 3);
        let sure = |text: &str| model.predict(text).probabilities.iter().sum::<f32>();
        let own = sure("why was I charged a fee for my transfer");
        let mixed = sure("why was I charged a fee for my card");
        // The rest of the probability is "none of these", which is not a topic.
        assert!(own < 1.0 && mixed < own, "own {own}, mixed {mixed}");
        let fee = model.predict("why was I charged a fee for my card").probabilities;
        assert_eq!(fee.len(), 3);
    }

    #[test]
    fn near_misses_swap_one_word_and_keep_chinese_runs_together() {
        let examples = labelled(&[("充值一直没有到账", 0), ("withdrawal still pending", 1)]);
        let made = near_misses(&examples, &mut Random(7));
        assert_eq!(made.len(), 2);
        for text in &made {
            let from_chinese = text.chars().filter(|c| is_cjk(*c)).count() >= 6;
            if from_chinese {
                // Three of the four pairs kept, one replaced by an English word, no space inside a run.
                assert!(!text.contains("充值 一直") && !text.contains("没有 到账"), "{text}");
            } else {
                assert_eq!(text.split(' ').count(), 3, "{text}");
            }
            assert!(!examples.iter().any(|(e, _)| e == text), "{text}");
        }
    }
}
