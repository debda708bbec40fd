//! Retrieval over the knowledge base: tantivy (BM25) with English stemming and stop words
//! and Chinese segmentation (jieba), over title, example questions and body, plus the likeliest
//! topics of a model learned from the example questions (`classify`); the candidates are then
//! scored by how closely the question matches one of an article's example questions (or its
//! title) and by the model's probability, which is what makes the score usable as a confidence.

use crate::article::Article;
use crate::classify::Classifier;
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, TantivyDocument, doc};

const EN: &str = "en_sb";
const ZH: &str = "zh_sb";
/// Candidates BM25 hands to the reranker.
const CANDIDATES: usize = 10;

/// One article as retrieval found it.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Position in `Knowledge::articles`.
    pub article: usize,
    /// 0–1: the confidence the decision thresholds apply to.
    pub score: f32,
    /// Lexical similarity to the article's closest examples (0–1).
    pub similar: f32,
    /// The learned model's probability of the article's topic.
    pub learned: f32,
    /// The share of the question's features the model has seen.
    pub known: f32,
    /// Cosine similarity, in the model's features, to the topic's closest example question.
    pub nearest: f32,
    /// Rarity-weighted word overlap with the article's closest example question (or title).
    pub closest: f32,
}

pub struct Knowledge {
    pub articles: Vec<Article>,
    reader: IndexReader,
    parser: QueryParser,
    id: Field,
    en: TextAnalyzer,
    zh: TextAnalyzer,
    /// Per article: the token sets of its title and each example question.
    variants: Vec<Vec<HashSet<String>>>,
    /// Inverse document frequency of each token over all titles and questions: "what" and
    /// "my" weigh little, "unstaking" and "助记词" much.
    idf: std::collections::HashMap<String, f32>,
    /// The weight of a token no title or question has.
    unseen: f32,
    /// Per article: its topic's class in `model`.
    topic_of: Vec<usize>,
    model: Classifier,
    /// How far the confidence follows the model rather than lexical similarity (0–1): a model
    /// learned from a handful of questions per topic spreads its probability thinly and is
    /// trusted little; one learned from a hundred per topic is trusted most.
    trust: f32,
}

/// Examples per topic at which the model and lexical similarity weigh the same.
const EVEN_AT: f32 = 20.0;

/// Words that say nothing about what a question is about, on top of Lucene's English stop
/// words: the pronouns, auxiliaries and question words every customer question has. In a small
/// knowledge base "what" or "my" occurs in one example and so weighs as much as "unstaking", and
/// "what is the capital of France" looked like "what is the withdrawal fee". Words that do tell
/// topics apart ("up" in top-up, "out", "before", "after", "when", "how") are kept, and the
/// topic model sees every word anyway.
const FUNCTION_WORDS: &[&str] = &[
    "i", "me", "my", "mine", "myself", "we", "our", "us", "you", "your", "yours", "he", "him", "his", "she", "her",
    "its", "them", "what", "which", "who", "whom", "am", "were", "been", "being", "have", "has", "had", "having", "do",
    "does", "did", "doing", "can", "could", "would", "should", "shall", "may", "might", "must", "so", "any", "some",
    "here", "im", "ive", "dont", "t", "s", "m", "ve", "re", "ll", "d", "don", "didn", "doesn", "isn", "wasn", "aren",
    "weren", "haven", "hasn", "hadn", "couldn", "wouldn", "shouldn",
];

fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("English stop words"))
        .filter(StopWordFilter::remove(FUNCTION_WORDS.iter().map(|w| w.to_string())))
        .filter(Stemmer::new(Language::English))
        .build()
}

fn chinese() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new()).filter(LowerCaser).build()
}

impl Knowledge {
    /// Indexes the articles that are not retired (in memory: a knowledge base is small).
    pub fn build(articles: Vec<Article>) -> Knowledge {
        let articles: Vec<Article> = articles.into_iter().filter(|a| !a.retired).collect();
        // Indexed and learned in simplified script; shown as written.
        let shown = articles;
        let articles: Vec<Article> = shown
            .iter()
            .map(|a| Article {
                title: simplified(&a.title),
                questions: a.questions.iter().map(|q| simplified(q)).collect(),
                body: simplified(&a.body),
                ..a.clone()
            })
            .collect();
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let fields: Vec<(Field, &str, f32)> = [("title", 1.5), ("questions", 2.0), ("body", 0.4)]
            .iter()
            .flat_map(|(name, boost)| {
                [(EN, "en"), (ZH, "zh")].map(|(tokenizer, suffix)| {
                    (schema.add_text_field(&format!("{name}_{suffix}"), text(tokenizer)), tokenizer, *boost)
                })
            })
            .collect();
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(EN, english());
        index.tokenizers().register(ZH, chinese());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).expect("an index writer");
        for (i, article) in articles.iter().enumerate() {
            let mut document = doc!(id => i.to_string());
            for (field, tokenizer, _) in &fields {
                let name = index.schema().get_field_name(*field).to_owned();
                // Each language's text goes to the fields analysed for it; both analysers see
                // every query.
                let language_matches = (*tokenizer == ZH) == (article.language() == "zh");
                if !language_matches {
                    continue;
                }
                let value = if name.starts_with("title") {
                    article.title.clone()
                } else if name.starts_with("questions") {
                    article.questions.join("\n")
                } else {
                    article.body.clone()
                };
                document.add_text(*field, value);
            }
            writer.add_document(document).expect("indexing");
        }
        writer.commit().expect("index commit");
        let reader = index.reader().expect("an index reader");
        let mut parser = QueryParser::for_index(&index, fields.iter().map(|(f, _, _)| *f).collect());
        for (field, _, boost) in &fields {
            parser.set_field_boost(*field, *boost);
        }
        let (mut en, mut zh) = (english(), chinese());
        let variants: Vec<Vec<HashSet<String>>> = articles
            .iter()
            .map(|a| {
                std::iter::once(&a.title)
                    .chain(a.questions.iter())
                    .map(|text| tokens(if a.language() == "zh" { &mut zh } else { &mut en }, text))
                    .collect()
            })
            .collect();
        let mut df: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let total: usize = variants.iter().map(Vec::len).sum();
        for set in variants.iter().flatten() {
            for token in set {
                *df.entry(token.clone()).or_default() += 1;
            }
        }
        let idf = df.into_iter().map(|(t, n)| (t, (1.0f32 + total as f32 / n as f32).ln())).collect();
        let unseen = (1.0f32 + total.max(1) as f32).ln();
        let mut topics: Vec<&str> = Vec::new();
        let topic_of: Vec<usize> = articles
            .iter()
            .map(|a| match topics.iter().position(|t| *t == a.topic) {
                Some(i) => i,
                None => {
                    topics.push(&a.topic);
                    topics.len() - 1
                }
            })
            .collect();
        let examples: Vec<(String, usize)> = articles
            .iter()
            .zip(&topic_of)
            .flat_map(|(a, &t)| std::iter::once(&a.title).chain(&a.questions).map(move |q| (q.clone(), t)))
            .collect();
        let model = Classifier::train(&examples, topics.len());
        let per_topic = examples.len() as f32 / topics.len().max(1) as f32;
        let trust = per_topic / (per_topic + EVEN_AT);
        Knowledge {
            articles: shown,
            reader,
            parser,
            id,
            en: english(),
            zh: chinese(),
            variants,
            idf,
            unseen,
            topic_of,
            model,
            trust,
        }
    }

    /// The best articles for a question, best first, with their confidence.
    pub fn search(&self, question: &str) -> Vec<Hit> {
        let question = simplified(question);
        let cleaned: String =
            question.chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect();
        if cleaned.trim().is_empty() {
            return Vec::new();
        }
        // One term per word: a run of Chinese characters must not become a phrase query.
        let mut words = self.zh.clone();
        let mut stream = words.token_stream(&cleaned);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            if token.text.chars().any(char::is_alphanumeric) {
                terms.push(token.text.clone());
            }
        }
        let (query, _) = self.parser.parse_query_lenient(&terms.join(" "));
        let searcher = self.reader.searcher();
        let Ok(top) = searcher.search(&query, &TopDocs::with_limit(CANDIDATES).order_by_score()) else {
            return Vec::new();
        };
        let mut candidates: Vec<(usize, f32)> = top
            .into_iter()
            .filter_map(|(bm25, address)| {
                let document: TantivyDocument = searcher.doc(address).ok()?;
                Some((document.get_first(self.id)?.as_str()?.parse().ok()?, bm25))
            })
            .collect();
        let prediction = self.model.predict(&cleaned);
        let (learned, known) = (&prediction.probabilities, prediction.known);
        // The model's likeliest topics are candidates too, even sharing no word with the
        // question (a typo, another inflection).
        let mut likeliest: Vec<usize> = (0..learned.len()).collect();
        likeliest.sort_by(|a, b| learned[*b].total_cmp(&learned[*a]));
        for topic in likeliest.into_iter().take(3) {
            for article in (0..self.articles.len()).filter(|&a| self.topic_of[a] == topic) {
                if !candidates.iter().any(|(c, _)| *c == article) {
                    candidates.push((article, 0.0));
                }
            }
        }
        let (mut en, mut zh) = (self.en.clone(), self.zh.clone());
        let asked_en = tokens(&mut en, &cleaned);
        let asked_zh = tokens(&mut zh, &cleaned);
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|(article, bm25)| {
                let asked = if self.articles[article].language() == "zh" { &asked_zh } else { &asked_en };
                // The closest example question decides most; the next closest ones confirm it
                // (an article many of whose questions resemble the message is a safer answer).
                let mut sims: Vec<f32> = self.variants[article].iter().map(|v| self.similarity(asked, v)).collect();
                sims.sort_by(|a, b| b.total_cmp(a));
                let closest = sims.first().copied().unwrap_or(0.0);
                let support = sims.iter().take(3).sum::<f32>() / 3.0;
                let lexical = bm25 / (bm25 + 8.0);
                let similar = 0.5 * closest + 0.25 * support + 0.25 * lexical;
                let p = learned.get(self.topic_of[article]).copied().unwrap_or(0.0);
                // The model's probability counts as far as the question is in words it knows.
                let likely = self.trust * p * known + (1.0 - self.trust) * similar;
                // A question unlike every example the article has — in its words and in its
                // character n-grams — is one the knowledge base has not seen, however the
                // probabilities fall between the topics it knows: the confidence falls with
                // the distance to the closest example (the cube root keeps it on a 0–1 scale).
                let nearest = self.model.nearest(&prediction, self.topic_of[article]);
                let score = (likely * closest * nearest).cbrt();
                Hit { article, score, similar, learned: p, known, nearest, closest }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.articles.iter().position(|a| a.id == id)
    }
}

/// Chinese in traditional script (Taiwan, Hong Kong) folded to simplified, so that either
/// finds articles written in the other.
/// `text` as the bot reads it: Chinese in simplified script, the lexicon's words as one.
fn simplified(text: &str) -> String {
    let simplified = if text.chars().any(|c| matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F))
    {
        fast2s::convert(text)
    } else {
        text.to_owned()
    };
    crate::lexicon::canonical(&simplified)
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> HashSet<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = HashSet::new();
    while let Some(token) = stream.next() {
        if token.text.chars().any(char::is_alphanumeric) {
            out.insert(token.text.clone());
        }
    }
    out
}

impl Knowledge {
    /// Cosine similarity of two token sets, each token weighted by its rarity.
    fn similarity(&self, a: &HashSet<String>, b: &HashSet<String>) -> f32 {
        let weight = |t: &String| self.idf.get(t).copied().unwrap_or(self.unseen).powi(2);
        let norm = |s: &HashSet<String>| s.iter().map(weight).sum::<f32>().sqrt();
        let (na, nb) = (norm(a), norm(b));
        if na == 0.0 || nb == 0.0 {
            return 0.0;
        }
        a.intersection(b).map(weight).sum::<f32>() / (na * nb)
    }
}
