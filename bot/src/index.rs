//! Retrieval over the knowledge base: tantivy (BM25) with English stemming and stop words
//! and Chinese segmentation (jieba), over title, example questions and body, plus the likeliest
//! topics of a model learned from the examples (`classify`). Each candidate topic — one answer
//! in every language it is written in — is measured against all its texts (title, examples,
//! tags, body sentences, every language): closeness to its nearest texts, the share of the
//! question's words it has, the model's probability and distance; `confidence` turns these
//! into the probability that it is the right answer.

use crate::article::Article;
use crate::classify::Classifier;
use crate::lexicon::Lexicon;
use crate::meaning::Meanings;
use crate::text::{body_sentences, chinese, english, sentences, simplified, tokens};
use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::TextAnalyzer;
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
    /// 0–1: the measured probability that this article answers the question (`confidence`),
    /// which the decision thresholds apply to.
    pub score: f32,
    /// The older blend of the measures below, one of the confidence's features.
    pub blend: f32,
    /// The learned model's probability of the article's topic.
    pub learned: f32,
    /// The share of the question's features the model has seen.
    pub known: f32,
    /// Cosine similarity, in the model's features, to the topic's closest example question.
    pub nearest: f32,
    /// Rarity-weighted word overlap with the article's closest example question (or title).
    pub closest: f32,
    /// The mean overlap with the topic's three closest texts.
    pub support: f32,
    /// BM25 over title, questions and body, squashed to 0–1.
    pub lexical: f32,
    /// How far the model is trusted (examples per topic).
    pub trust: f32,
    /// The rarity-weighted share of the question's words found anywhere in the topic's texts.
    pub cover: f32,
    /// The model's probability of the topic over that of its likeliest topic.
    pub ratio: f32,
    /// Meaning: the sentence encoder's cosine between the question and the topic's closest
    /// text (0 where the encoder does not read the question).
    pub sense: f32,
    /// Whether the encoder read the question (a question mostly in Latin letters).
    pub sensed: bool,
}

pub struct Knowledge {
    pub articles: Vec<Article>,
    reader: IndexReader,
    parser: QueryParser,
    id: Field,
    en: TextAnalyzer,
    zh: TextAnalyzer,
    lexicon: Lexicon,
    /// Per topic (the class in `model`): its articles' titles, example questions and body
    /// sentences, in every language the topic is written in.
    variants: Vec<Vec<Variant>>,
    /// Per topic: every token of its texts, per script of the analyser (Latin, Chinese).
    vocabulary: Vec<[HashSet<String>; 2]>,
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
    /// Per topic: the meaning of its texts the sentence encoder reads.
    meanings: Meanings,
    /// The languages articles are written in (`en`, `zh`): a question in another is read by its
    /// lexicon words alone.
    languages: HashSet<String>,
}

/// Example questions per article below which the bodies' sentences are learned from too.
const FEW_EXAMPLES: usize = 10;

/// Examples per topic at which the model and lexical similarity weigh the same.
const EVEN_AT: f32 = 20.0;

/// How much a sentence of an article's body counts against an example question or the title:
/// it is written as an answer, not as a question, but it is in the topic's words.
const BODY_WEIGHT: f32 = 0.8;

/// One text a question is compared with: the title, an example question, or a sentence of the
/// body, as tokens of its article's language.
struct Variant {
    tokens: HashSet<String>,
    chinese: bool,
    weight: f32,
}

impl Knowledge {
    /// Indexes the articles that are not retired (in memory: a knowledge base is small), read
    /// through the shipped lexicon.
    pub fn build(articles: Vec<Article>) -> Knowledge {
        Knowledge::build_with(articles, Lexicon::shipped())
    }

    /// The same, read through `lexicon` (the shipped one with an operator's groups).
    pub fn build_with(articles: Vec<Article>, lexicon: Lexicon) -> Knowledge {
        let articles: Vec<Article> = articles.into_iter().filter(|a| !a.retired).collect();
        // Indexed and learned in simplified script; shown as written.
        let shown = articles;
        let articles: Vec<Article> = shown
            .iter()
            .map(|a| Article {
                title: simplified(&lexicon, &a.title),
                questions: a.questions.iter().map(|q| simplified(&lexicon, q)).collect(),
                body: simplified(&lexicon, &a.body),
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
        let told: Vec<Vec<String>> = articles.iter().map(|a| body_sentences(&a.body)).collect();
        let (mut en, mut zh) = (english(), chinese());
        let mut variants: Vec<Vec<Variant>> = (0..topics.len()).map(|_| Vec::new()).collect();
        for ((a, &topic), told) in articles.iter().zip(&topic_of).zip(&told) {
            let chinese = a.language() == "zh";
            let analyzer = if chinese { &mut zh } else { &mut en };
            let asked = std::iter::once(&a.title).chain(&a.questions).map(|t| (t.clone(), 1.0));
            let told = told.iter().map(|t| (t.clone(), BODY_WEIGHT));
            // The tags, as one more short text in the topic's words ("withdrawal limits").
            let tagged = (!a.tags.is_empty()).then(|| (a.tags.join(" ").replace(['-', '_'], " "), BODY_WEIGHT));
            for (text, weight) in asked.chain(told).chain(tagged) {
                let tokens = tokens(analyzer, &text);
                if !tokens.is_empty() {
                    variants[topic].push(Variant { tokens, chinese, weight });
                }
            }
        }
        let vocabulary: Vec<[HashSet<String>; 2]> = variants
            .iter()
            .map(|texts| {
                let mut both: [HashSet<String>; 2] = Default::default();
                for v in texts {
                    both[usize::from(v.chinese)].extend(v.tokens.iter().cloned());
                }
                both
            })
            .collect();
        let mut df: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        // Rarity across topics: a word every withdrawal topic has still tells withdrawals from
        // deposits, and weighs by how many topics have it, not by how many of their texts.
        let total: usize = variants.len();
        for topic in &vocabulary {
            for token in topic[0].union(&topic[1]) {
                *df.entry(token.clone()).or_default() += 1;
            }
        }
        let idf = df.into_iter().map(|(t, n)| (t, (1.0f32 + total as f32 / n as f32).ln())).collect();
        let unseen = (1.0f32 + total.max(1) as f32).ln();
        // The model learns from the titles and example questions, and from the bodies' sentences
        // where examples are few: with three examples a topic's words are mostly in its body.
        let few = articles.iter().map(|a| a.questions.len()).sum::<usize>() < FEW_EXAMPLES * articles.len().max(1);
        let examples: Vec<(String, usize)> = articles
            .iter()
            .zip(&topic_of)
            .zip(&told)
            .flat_map(|((a, &t), told)| {
                let told = told.iter().filter(|_| few).cloned();
                std::iter::once(a.title.clone()).chain(a.questions.iter().cloned()).chain(told).map(move |q| (q, t))
            })
            .collect();
        let model = Classifier::train(&examples, topics.len());
        let meanings = Meanings::of(&shown, &topic_of, topics.len());
        let per_topic = examples.len() as f32 / topics.len().max(1) as f32;
        let trust = per_topic / (per_topic + EVEN_AT);
        let languages = shown.iter().map(|a| crate::article::language_of(&a.locale)).collect();
        Knowledge {
            languages,
            articles: shown,
            reader,
            parser,
            id,
            en: english(),
            zh: chinese(),
            lexicon,
            variants,
            vocabulary,
            idf,
            unseen,
            topic_of,
            model,
            trust,
            meanings,
        }
    }

    /// The best articles for a question, best first, with their confidence.
    pub fn search(&self, question: &str) -> Vec<Hit> {
        self.search_in(question, None)
    }

    /// The same for a customer whose locale is `locale`: the language the question is read in
    /// when its text is too short to tell.
    pub fn search_in(&self, question: &str, locale: Option<&str>) -> Vec<Hit> {
        let whole = self.search_text(question, locale);
        // A long message tells a story around its question: the sentence that carries it is
        // read on its own too, and the surer reading is taken.
        let sentences = sentences(question);
        if sentences.len() < 2 {
            return whole;
        }
        let best = |hits: &[Hit]| hits.first().map_or(0.0, |h| h.score);
        sentences
            .iter()
            .map(|s| self.search_text(s, locale))
            .fold(whole, |surest, hits| if best(&hits) > best(&surest) { hits } else { surest })
    }

    fn search_text(&self, question: &str, locale: Option<&str>) -> Vec<Hit> {
        // A question in one of the lexicon's other languages that no article is written in
        // ("¿cómo restablezco mi contraseña?") shares nothing with the articles but the words the
        // lexicon reads; its other words would only blur the meaning the encoder reads. Such a
        // reading is only as sure as the share of the question it read: "cambiar mi cuenta a
        // empresa" is read as "account" and no more. English and Chinese are read in full
        // whatever the articles' languages (the analysers and the encoder read them, and topics
        // match across the two through their texts); a language the lexicon does not know would
        // be read as nothing.
        let language = switchboard_core::l10n::detect_language(question).or_else(|| locale.map(str::to_owned));
        let by_lexicon = |language: &str| LEXICON_LANGUAGES.contains(&language) && !self.languages.contains(language);
        match language.map(|tag| crate::article::language_of(&tag)) {
            Some(language) if by_lexicon(&language) => {
                let sure = (crate::text::share_read(&self.lexicon, question) * 2.0).min(1.0);
                let mut hits = self.search_read(&crate::text::concepts(&self.lexicon, question));
                for hit in &mut hits {
                    hit.score *= sure;
                }
                hits
            }
            _ => self.search_read(question),
        }
    }

    fn search_read(&self, question: &str) -> Vec<Hit> {
        let sense = self.meanings.sense(question);
        let question = simplified(&self.lexicon, question);
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
        // question (a typo, another inflection); so are the topics nearest in meaning.
        self.add_best_topics(&mut candidates, learned);
        if let Some(sense) = &sense {
            self.add_best_topics(&mut candidates, sense);
        }
        let top_p = learned.iter().copied().fold(f32::MIN_POSITIVE, f32::max);
        let (mut en, mut zh) = (self.en.clone(), self.zh.clone());
        let asked_en = tokens(&mut en, &cleaned);
        let asked_zh = tokens(&mut zh, &cleaned);
        // One hit per topic: its articles in other languages are the same answer.
        let mut topics_seen: Vec<usize> = Vec::new();
        candidates.retain(|(article, _)| {
            let topic = self.topic_of[*article];
            let first = !topics_seen.contains(&topic);
            topics_seen.push(topic);
            first
        });
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|(article, bm25)| {
                let topic = self.topic_of[article];
                // The closest text of the topic decides most; the next closest ones confirm it
                // (a topic many of whose texts resemble the message is a safer answer).
                let mut sims: Vec<f32> = self.variants[topic]
                    .iter()
                    .map(|v| v.weight * self.similarity(if v.chinese { &asked_zh } else { &asked_en }, &v.tokens))
                    .collect();
                sims.sort_by(|a, b| b.total_cmp(a));
                let closest = sims.first().copied().unwrap_or(0.0);
                let support = sims.iter().take(3).sum::<f32>() / 3.0;
                let lexical = bm25 / (bm25 + 8.0);
                let similar = 0.5 * closest + 0.25 * support + 0.25 * lexical;
                let p = learned.get(topic).copied().unwrap_or(0.0);
                let cover = [&asked_en, &asked_zh]
                    .iter()
                    .zip(&self.vocabulary[topic])
                    .map(|(asked, words)| self.share_found(asked, words))
                    .fold(0.0, f32::max);
                // The model's probability counts as far as the question is in words it knows.
                let likely = self.trust * p * known + (1.0 - self.trust) * similar;
                // A question unlike every example the topic has — in its words and in its
                // character n-grams — is one the knowledge base has not seen, however the
                // probabilities fall between the topics it knows: the confidence falls with
                // the distance to the closest example (the cube root keeps it on a 0–1 scale).
                let nearest = self.model.nearest(&prediction, topic);
                let blend = (likely * closest * nearest).cbrt();
                Hit {
                    article,
                    score: 0.0,
                    blend,
                    learned: p,
                    known,
                    nearest,
                    closest,
                    support,
                    lexical,
                    trust: self.trust,
                    cover,
                    ratio: p / top_p,
                    sense: sense.as_ref().map_or(0.0, |s| s[topic]),
                    sensed: sense.is_some(),
                }
            })
            .collect();
        let features = crate::confidence::features(&hits);
        for (hit, features) in hits.iter_mut().zip(features) {
            hit.score = crate::confidence::confidence(&features, hit.sensed);
        }
        // At most one topic is the answer: probabilities measured one candidate at a time that
        // add up to more than one overstate each (two close topics both at 0.95 are a coin
        // toss between them), so they are scaled to add up to one.
        let total: f32 = hits.iter().map(|h| h.score).sum();
        if total > 1.0 {
            for hit in &mut hits {
                hit.score /= total;
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits
    }

    /// The articles of the three topics with the highest `per_topic` values, as candidates
    /// (without a BM25 score) where they are not already.
    fn add_best_topics(&self, candidates: &mut Vec<(usize, f32)>, per_topic: &[f32]) {
        let mut best: Vec<usize> = (0..per_topic.len()).collect();
        best.sort_by(|a, b| per_topic[*b].total_cmp(&per_topic[*a]));
        for topic in best.into_iter().take(3) {
            for article in (0..self.articles.len()).filter(|&a| self.topic_of[a] == topic) {
                if !candidates.iter().any(|(c, _)| *c == article) {
                    candidates.push((article, 0.0));
                }
            }
        }
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.articles.iter().position(|a| a.id == id)
    }
}

impl Knowledge {
    /// The rarity-weighted share of `asked` found in `words`.
    fn share_found(&self, asked: &HashSet<String>, words: &HashSet<String>) -> f32 {
        let weight = |t: &String| self.idf.get(t).copied().unwrap_or(self.unseen);
        let total: f32 = asked.iter().map(weight).sum();
        if total == 0.0 {
            return 0.0;
        }
        asked.iter().filter(|t| words.contains(*t)).map(weight).sum::<f32>() / total
    }

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

/// The languages besides English and Chinese whose support words the shipped lexicon reads.
const LEXICON_LANGUAGES: &[&str] = &["ja", "ko", "ru", "es", "pt", "tr", "vi"];
