//! How the bot cuts text: the English and Chinese analysers (stemmed, without stop and
//! function words), a message's sentences worth reading alone, an article body's sentences,
//! Chinese folded to simplified script and the lexicon's words read as one.

use crate::lexicon::Lexicon;
use std::collections::HashSet;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, Tokenizer,
};

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

pub(crate) fn english() -> TextAnalyzer {
    words_of(SimpleTokenizer::default())
}

/// Chinese words as jieba segments them; Latin words inside Chinese text (and the lexicon's
/// canonical words) as the English analyser reads them, so that both meet on one token.
pub(crate) fn chinese() -> TextAnalyzer {
    words_of(tantivy_jieba::JiebaTokenizer::new())
}

/// The words `tokenizer` cuts, lowercased, without stop and function words, stemmed as English.
fn words_of<T: Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("English stop words"))
        .filter(StopWordFilter::remove(FUNCTION_WORDS.iter().map(|w| w.to_string())))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The sentences of a customer's message worth reading alone: split at sentence ends, each
/// with at least three words (or six Chinese characters); questions first, at most
/// `MAX_SENTENCES` (a long e-mail costs a few searches, not one per line).
pub(crate) fn sentences(message: &str) -> Vec<&str> {
    let mut found: Vec<(bool, &str)> = message
        .split_inclusive(['.', '!', '?', ';', '。', '！', '？', '；', '\n'])
        .map(|s| {
            (
                s.trim_end().ends_with(['?', '？']),
                s.trim().trim_end_matches(['.', '!', '?', ';', '。', '！', '？', '；']),
            )
        })
        .filter(|(_, s)| {
            let words = s.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
            let chinese = s.chars().filter(|c| matches!(*c as u32, 0x3400..=0x9FFF)).count();
            words >= 3 || chinese >= 6
        })
        .collect();
    // Stable: questions first, each group in the message's order.
    found.sort_by_key(|(question, _)| !*question);
    found.into_iter().take(MAX_SENTENCES).map(|(_, s)| s).collect()
}

/// The most sentences of one message read alone.
const MAX_SENTENCES: usize = 8;

/// The sentences of an article's body that can stand for its topic: Markdown marks and links
/// removed, split at sentence ends, lines and list items; very short ones left out.
pub(crate) fn body_sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut in_link_target, mut previous) = (false, ' ');
    for c in body.chars() {
        let after_bracket = std::mem::replace(&mut previous, c) == ']';
        match c {
            '(' if after_bracket => in_link_target = true,
            ')' if in_link_target => in_link_target = false,
            _ if in_link_target => {}
            '.' | '!' | '?' | ';' | '。' | '！' | '？' | '；' | '\n' | '：' | ':' => {
                out.push(std::mem::take(&mut current));
            }
            '*' | '_' | '`' | '#' | '[' | ']' | '>' => {}
            _ => current.push(c),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().trim_start_matches(['-', '+']).trim().to_owned())
        .filter(|s| s.chars().filter(|c| c.is_alphanumeric()).count() >= 6)
        .collect()
}

/// `text` as the bot reads it: Chinese in simplified script (Taiwan and Hong Kong customers find
/// articles written in simplified, and the other way round), the lexicon's words as one.
pub(crate) fn simplified(lexicon: &Lexicon, text: &str) -> String {
    lexicon.canonical(&folded(text))
}

/// Chinese characters (and Japanese kanji) in simplified script; other text as it is.
pub(crate) fn folded(text: &str) -> String {
    if text.chars().any(|c| matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)) {
        fast2s::convert(text)
    } else {
        text.to_owned()
    }
}

/// Whether `phrase`, found at byte `at` of `text`, stands there: as whole words when it is
/// ASCII (so "he" is not found in "the"), anywhere otherwise (Chinese, and stems of the
/// languages that inflect: "пароль" in "пароля").
pub(crate) fn stands_at(text: &str, at: usize, phrase: &str) -> bool {
    !phrase.is_ascii()
        || (text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
            && text[at + phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// Where `phrase` first stands in `text` (`stands_at`).
pub(crate) fn phrase_at(text: &str, phrase: &str) -> Option<usize> {
    text.match_indices(phrase).map(|(at, _)| at).find(|&at| stands_at(text, at, phrase))
}

/// The share of `text`'s letters that are lexicon words (0–1).
pub(crate) fn share_read(lexicon: &Lexicon, text: &str) -> f32 {
    lexicon.share_read(&folded(text))
}

/// The lexicon's words in `text`, in its order, and nothing else: how a question is read in a
/// language no article is written in ("Olvidé mi contraseña" → "lost password").
pub(crate) fn concepts(lexicon: &Lexicon, text: &str) -> String {
    let read = simplified(lexicon, text);
    read.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .filter(|word| lexicon.is_canonical_word(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The distinct words `analyzer` reads in `text`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> HashSet<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = HashSet::new();
    while let Some(token) = stream.next() {
        if token.text.chars().any(char::is_alphanumeric) {
            out.insert(token.text.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_messages_questions_are_read_first_and_a_long_one_costs_a_bounded_number_of_searches() {
        let message = "Hi team, hope you are well. My deposit from yesterday is missing. Can you check it? \
                       我的充值一直没有到账怎么办？ ok";
        assert_eq!(
            sentences(message),
            [
                "Can you check it",
                "我的充值一直没有到账怎么办",
                "Hi team, hope you are well",
                "My deposit from yesterday is missing"
            ]
        );
        let long = "This is line number one.\n".repeat(40);
        assert_eq!(sentences(&long).len(), MAX_SENTENCES);
    }
}
