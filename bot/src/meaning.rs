//! What the knowledge base's texts mean, by the sentence encoder: per topic, the vectors of
//! its texts in a language the encoder reads, and a question's nearness to each topic.

use crate::article::Article;
use crate::encoder::{cosine, reads, shared};
use crate::text::body_sentences;

/// How much a body sentence's meaning counts against an example question's.
const BODY_MEANING: f32 = 0.9;

/// Per topic: the vectors of its titles, example questions and body sentences the encoder reads,
/// with their weights (none when the encoder is unavailable).
pub(crate) struct Meanings {
    per_topic: Vec<Vec<(Vec<f32>, f32)>>,
}

impl Meanings {
    /// The meanings of `articles`, each of topic `topic_of[i]` among `topics`.
    pub(crate) fn of(articles: &[Article], topic_of: &[usize], topics: usize) -> Meanings {
        let mut texts: Vec<(usize, String, f32)> = Vec::new();
        for (a, &topic) in articles.iter().zip(topic_of) {
            let asked = std::iter::once(&a.title).chain(&a.questions).map(|t| (t.clone(), 1.0));
            let told = body_sentences(&a.body).into_iter().map(|t| (t, BODY_MEANING));
            texts.extend(asked.chain(told).filter(|(t, _)| reads(t)).map(|(t, w)| (topic, t, w)));
        }
        let mut per_topic: Vec<Vec<(Vec<f32>, f32)>> = vec![Vec::new(); topics];
        if let Some(encoder) = shared().filter(|_| !texts.is_empty()) {
            // Kept: the next build (one article changed) encodes only what changed.
            let vectors = encoder.encode_kept(&texts.iter().map(|(_, t, _)| t.as_str()).collect::<Vec<_>>());
            for ((topic, _, weight), vector) in texts.into_iter().zip(vectors) {
                if !vector.is_empty() {
                    per_topic[topic].push((vector, weight));
                }
            }
        }
        Meanings { per_topic }
    }

    /// Per topic, how near `question` is in meaning to the topic's closest text; `None` where
    /// the encoder does not read the question or no topic has a text it reads.
    pub(crate) fn sense(&self, question: &str) -> Option<Vec<f32>> {
        if !reads(question) || self.per_topic.iter().all(Vec::is_empty) {
            return None;
        }
        let asked = shared()?.encode(&[question]).pop().filter(|v| !v.is_empty())?;
        let closest =
            |texts: &Vec<(Vec<f32>, f32)>| texts.iter().map(|(v, w)| w * cosine(&asked, v)).fold(0.0, f32::max);
        Some(self.per_topic.iter().map(closest).collect())
    }
}
