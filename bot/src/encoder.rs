//! The sentence encoder: a small English transformer (all-MiniLM-L6-v2, Apache-2.0, weights
//! in 8 bits) built into the binary, which maps a sentence to a vector whose cosine with
//! another's measures how alike their meanings are — "why is my acc suspended" is near "my
//! account is frozen" with no word in common. No network, no files at run time.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tokenizers::Tokenizer;

static WEIGHTS: &[u8] = include_bytes!("../model/encoder.safetensors");
static TOKENIZER: &[u8] = include_bytes!("../model/tokenizer.json");
const CONFIG: &str = include_str!("../model/config.json");

/// Tokens of one text read at most: a customer's sentence rarely has more, and the cost grows
/// with the square of the length.
const MAX_TOKENS: usize = 128;

/// Texts encoded together: one matrix product instead of many small ones.
const BATCH: usize = 32;

/// The length of every vector.
pub const DIMENSIONS: usize = 384;

pub struct Encoder {
    model: BertModel,
    tokenizer: Tokenizer,
    /// Knowledge-base texts' vectors, by text: a knowledge base rebuilt after one article
    /// changed encodes only that article's texts again. Customers' questions are not kept.
    known: Mutex<HashMap<String, Vec<f32>>>,
}

/// Texts whose vectors are kept (about 1.5 KB each); past this the cache starts over.
const KEPT: usize = 50_000;

/// Why the built-in encoder could not be loaded (a corrupt build, not a run-time condition).
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("the encoder's model: {0}")]
    Model(#[from] candle_core::Error),
    #[error("the encoder's tokenizer: {0}")]
    Tokenizer(String),
    #[error("the encoder's configuration: {0}")]
    Config(#[from] serde_json::Error),
}

/// The process's encoder, loaded on first use; `None` (with an error logged once) if the
/// built-in model cannot be read, and the bot then reads by words alone.
pub fn shared() -> Option<&'static Encoder> {
    static SHARED: OnceLock<Option<Encoder>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            Encoder::load()
                .map_err(|e| tracing::error!(error = %e, "the sentence encoder is unavailable; the bot reads by words alone"))
                .ok()
        })
        .as_ref()
}

impl Encoder {
    fn load() -> Result<Encoder, EncoderError> {
        let device = Device::Cpu;
        let stored = candle_core::safetensors::load_buffer(WEIGHTS, &device)?;
        // Matrices are stored as u8 (offset 128) with one f32 scale per row.
        let mut weights: HashMap<String, Tensor> = HashMap::new();
        for (name, tensor) in &stored {
            if name.ends_with(".scale") {
                continue;
            }
            let value = match stored.get(&format!("{name}.scale")) {
                Some(scale) => (tensor.to_dtype(DType::F32)? - 128.0)?.broadcast_mul(scale)?,
                None => tensor.to_dtype(DType::F32)?,
            };
            weights.insert(name.clone(), value);
        }
        let config: Config = serde_json::from_str(CONFIG)?;
        let model = BertModel::load(VarBuilder::from_tensors(weights, DType::F32, &device), &config)?;
        let mut tokenizer = Tokenizer::from_bytes(TOKENIZER).map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))
            .map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(Some(tokenizers::PaddingParams::default()));
        Ok(Encoder { model, tokenizer, known: Mutex::new(HashMap::new()) })
    }

    /// One unit vector per text, in order (the mean of the tokens' last states; empty for a
    /// text that could not be encoded). For texts read once, such as a customer's question.
    pub fn encode(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        self.encode_with(texts, false)
    }

    /// `encode`, keeping the vectors by text: for a knowledge base's texts, which the next
    /// build (after one article changed) then finds already encoded.
    pub fn encode_kept(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        self.encode_with(texts, true)
    }

    fn encode_with(&self, texts: &[&str], keep: bool) -> Vec<Vec<f32>> {
        let mut found: HashMap<&str, Vec<f32>> = HashMap::new();
        if keep {
            let known = self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for text in texts {
                if let Some(v) = known.get(*text) {
                    found.insert(text, v.clone());
                }
            }
        }
        let mut missing: Vec<&str> = texts.iter().copied().filter(|t| !found.contains_key(t)).collect();
        // Texts of like length together: padding costs as much as words.
        missing.sort_by_key(|t| (t.len(), *t));
        missing.dedup();
        for batch in missing.chunks(BATCH) {
            match self.encode_batch(batch) {
                Ok(vectors) => {
                    if keep {
                        let mut known = self.known.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        if known.len() + vectors.len() > KEPT {
                            known.clear();
                        }
                        known.extend(batch.iter().zip(&vectors).map(|(text, v)| ((*text).to_owned(), v.clone())));
                    }
                    found.extend(batch.iter().copied().zip(vectors));
                }
                Err(e) => tracing::warn!(error = %e, "a batch of sentences could not be encoded"),
            }
        }
        texts.iter().map(|t| found.get(t).cloned().unwrap_or_default()).collect()
    }

    fn encode_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        let encodings =
            self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| EncoderError::Tokenizer(e.to_string()))?;
        let device = Device::Cpu;
        let row = |values: &[u32]| Tensor::new(values, &device);
        let ids = Tensor::stack(&encodings.iter().map(|e| row(e.get_ids())).collect::<Result<Vec<_>, _>>()?, 0)?;
        let mask =
            Tensor::stack(&encodings.iter().map(|e| row(e.get_attention_mask())).collect::<Result<Vec<_>, _>>()?, 0)?;
        let states = self.model.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let mean = states.broadcast_mul(&mask)?.sum(1)?.broadcast_div(&mask.sum(1)?)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-6, f64::MAX)?;
        Ok(mean.broadcast_div(&norm)?.to_vec2::<f32>()?)
    }
}

/// The cosine of two unit vectors (0 when either is missing).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Whether the encoder can read `text`: it learned English, so a text mostly in Latin letters.
pub fn reads(text: &str) -> bool {
    let (mut latin, mut other) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if c.is_ascii_alphabetic() || matches!(c as u32, 0xC0..=0x24F) {
            latin += 1;
        } else {
            other += 1;
        }
    }
    latin > 0 && latin >= 3 * other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrases_without_shared_words_are_nearer_than_other_topics() {
        let encoder = shared().expect("the built-in encoder");
        let v = encoder.encode(&["my account is frozen", "why is my acc suspended", "how do I pay network fees"]);
        assert_eq!(v[0].len(), DIMENSIONS);
        let (near, far) = (cosine(&v[0], &v[1]), cosine(&v[0], &v[2]));
        assert!(near > far + 0.2, "near {near}, far {far}");
    }

    #[test]
    fn a_batch_gives_what_one_by_one_gives() {
        let encoder = shared().expect("the built-in encoder");
        let texts = ["short", "a somewhat longer sentence about withdrawals", "mid length text"];
        let together = encoder.encode(&texts);
        for (text, v) in texts.iter().zip(&together) {
            let alone = &encoder.encode(&[text])[0];
            assert!(cosine(v, alone) > 0.999, "{text}");
        }
    }

    #[test]
    fn chinese_is_left_to_the_word_readers() {
        assert!(reads("why is my acc frozen"));
        assert!(reads("my USDT 充值 hasn't arrived yet, please check"));
        assert!(!reads("我的账号被冻结了"));
        assert!(!reads("我的USDT充值没到账"));
        assert!(!reads("12345 ???"));
    }
}
