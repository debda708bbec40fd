//! The knowledge base's gaps: the questions the bot had no confident answer to, grouped into
//! clusters of similar questions (most asked first) with examples, so that frequent ones become
//! articles. Pure: questions in, clusters out.
//!
//! Similarity is the overlap of the questions' content words (Latin words without the usual
//! function words; Chinese as character pairs, since it is written without spaces), so that
//! "my deposit has not arrived" and "deposit not credited yet" meet, and 充值没到账 meets
//! 充值还没有到账.

use serde::Serialize;
use std::collections::BTreeSet;

/// A cluster of similar questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gap {
    /// How many questions it holds.
    pub count: usize,
    /// Up to `EXAMPLES` of them, the first asked first.
    pub examples: Vec<String>,
    /// The languages they were asked in, the most frequent first.
    pub languages: Vec<String>,
    /// The words they share most, to name the cluster.
    pub words: Vec<String>,
}

/// Examples kept per cluster.
pub const EXAMPLES: usize = 5;
/// How close a question must be to a cluster to join it (Jaccard similarity of content words).
pub(crate) const JOIN_AT: f64 = 0.3;

const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "am", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from",
    "get", "got", "has", "have", "hello", "hi", "how", "i", "i'm", "if", "in", "is", "it", "its", "me", "my", "not",
    "of", "on", "or", "please", "so", "still", "that", "the", "there", "this", "to", "was", "we", "what", "when",
    "where", "why", "will", "with", "would", "you", "your", "yet", "any", "just", "thanks", "thank", "hey",
];
const CHINESE_FILLERS: &[char] =
    &['的', '了', '吗', '呢', '吧', '啊', '我', '你', '是', '在', '有', '还', '没', '么', '怎', '请', '问'];

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// A question's content words: Latin words (a final "s" dropped) and Chinese character pairs.
pub fn words(text: &str) -> BTreeSet<String> {
    let lower = text.to_lowercase();
    let mut words = BTreeSet::new();
    let mut latin = String::new();
    let mut chinese: Vec<char> = Vec::new();
    let flush_latin = |latin: &mut String, words: &mut BTreeSet<String>| {
        let word = latin.trim_end_matches('s');
        if word.chars().count() > 1 && !FUNCTION_WORDS.contains(&latin.as_str()) {
            words.insert(word.to_owned());
        }
        latin.clear();
    };
    let flush_chinese = |chinese: &mut Vec<char>, words: &mut BTreeSet<String>| {
        let kept: Vec<char> = chinese.iter().copied().filter(|c| !CHINESE_FILLERS.contains(c)).collect();
        for pair in kept.windows(2) {
            words.insert(pair.iter().collect());
        }
        if kept.len() == 1 {
            words.insert(kept[0].to_string());
        }
        chinese.clear();
    };
    for c in lower.chars() {
        if is_chinese(c) {
            flush_latin(&mut latin, &mut words);
            chinese.push(c);
        } else if c.is_alphanumeric() || c == '\'' {
            flush_chinese(&mut chinese, &mut words);
            latin.push(c);
        } else {
            flush_latin(&mut latin, &mut words);
            flush_chinese(&mut chinese, &mut words);
        }
    }
    flush_latin(&mut latin, &mut words);
    flush_chinese(&mut chinese, &mut words);
    words
}

pub(crate) fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.len() + b.len() - shared;
    if all == 0 { 0.0 } else { shared as f64 / all as f64 }
}

struct Forming {
    /// The words of its first questions, what a newcomer is compared with.
    words: BTreeSet<String>,
    members: Vec<(String, Option<String>, BTreeSet<String>)>,
}

/// Clusters `questions` (text and language, in the order asked), the largest first; questions
/// without content words are left out.
pub fn cluster(questions: &[(String, Option<String>)]) -> Vec<Gap> {
    let mut clusters: Vec<Forming> = Vec::new();
    for (text, language) in questions {
        let own = words(text);
        if own.is_empty() {
            continue;
        }
        let best = clusters
            .iter()
            .enumerate()
            .map(|(i, c)| (i, jaccard(&own, &c.words)))
            .filter(|(_, similarity)| *similarity >= JOIN_AT)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => {
                let cluster = &mut clusters[i];
                // The first few questions define the cluster; later ones do not drift it.
                if cluster.members.len() < 3 {
                    cluster.words.extend(own.iter().cloned());
                }
                cluster.members.push((text.trim().to_owned(), language.clone(), own));
            }
            None => clusters
                .push(Forming { words: own.clone(), members: vec![(text.trim().to_owned(), language.clone(), own)] }),
        }
    }
    let mut gaps: Vec<Gap> = clusters.into_iter().map(gap).collect();
    gaps.sort_by_key(|g| std::cmp::Reverse(g.count));
    gaps
}

fn gap(cluster: Forming) -> Gap {
    let mut languages: Vec<(String, usize)> = Vec::new();
    let mut counts: std::collections::BTreeMap<&String, usize> = Default::default();
    for (_, language, own) in &cluster.members {
        let language = language.clone().unwrap_or_else(|| "unknown".into());
        match languages.iter_mut().find(|(l, _)| *l == language) {
            Some((_, n)) => *n += 1,
            None => languages.push((language, 1)),
        }
        for word in own {
            *counts.entry(word).or_default() += 1;
        }
    }
    languages.sort_by_key(|l| std::cmp::Reverse(l.1));
    let mut shared: Vec<(&String, usize)> = counts.into_iter().collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut examples: Vec<String> = Vec::new();
    for (text, _, _) in &cluster.members {
        if examples.len() < EXAMPLES && !examples.contains(text) {
            examples.push(text.clone());
        }
    }
    Gap {
        count: cluster.members.len(),
        examples,
        languages: languages.into_iter().map(|(l, _)| l).collect(),
        words: shared.into_iter().take(3).map(|(w, _)| w.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(texts: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        texts.iter().map(|(t, l)| (t.to_string(), Some(l.to_string()))).collect()
    }

    #[test]
    fn similar_questions_cluster_the_most_asked_first_in_either_language() {
        let questions = asked(&[
            ("How do I change my 2FA device?", "en-US"),
            ("my deposit has not arrived", "en-US"),
            ("充值还没有到账", "zh-CN"),
            ("deposit not arrived after 2 hours", "en-US"),
            ("充值没到账怎么办", "zh-CN"),
            ("Deposit still not arrived!", "en-US"),
            ("change 2FA device please", "en-US"),
            ("hi", "en-US"),
            ("怎么修改谷歌验证器", "zh-CN"),
        ]);
        let gaps = cluster(&questions);
        assert_eq!(gaps[0].count, 3, "{gaps:#?}");
        assert!(gaps[0].examples.iter().all(|e| e.to_lowercase().contains("deposit")), "{gaps:#?}");
        assert!(gaps[0].words.contains(&"deposit".to_owned()));
        let chinese = gaps.iter().find(|g| g.examples.contains(&"充值还没有到账".to_owned())).unwrap();
        assert_eq!(chinese.count, 2);
        assert_eq!(chinese.languages, ["zh-CN"]);
        let tfa = gaps.iter().find(|g| g.examples[0].contains("2FA")).unwrap();
        assert_eq!(tfa.count, 2);
        assert_eq!(gaps.iter().map(|g| g.count).sum::<usize>(), 8, "a bare greeting is no question");
    }

    #[test]
    fn content_words_leave_out_function_words_and_pair_chinese_characters() {
        assert_eq!(words("How do I withdraw my USDT?"), ["usdt", "withdraw"].map(String::from).into());
        assert_eq!(words("提币到账"), ["到账", "币到", "提币"].map(String::from).into());
    }
}
