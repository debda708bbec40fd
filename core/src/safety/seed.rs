//! Recovery phrases (BIP39) in all ten wordlist languages.
//!
//! Word languages (English, Spanish, French, Italian, Czech, Portuguese, Japanese, Korean): a run
//! of at least 12 wordlist words, of which at most two are misspelt (one edit away from a
//! wordlist word), with nothing but separators and list numbering between them. Prose breaks
//! such runs within a few words: its function words are not in the lists.
//!
//! Chinese (simplified and traditional lists of 2048 single characters): the lists are the most
//! common characters, so an ordinary sentence is mostly wordlist characters. A run of 12 or more
//! is a phrase when its characters are separated (spaces, commas, numbering), or when it passes
//! the checksum, or when the message speaks of a recovery phrase, or when it does not read as
//! Chinese: natural text is made of common two-character words and common characters, a random
//! phrase of neither (see BENCHMARKS.md for the measured rates).

use super::text::{fold, is_han, within_one_edit};
use bip39::Language;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

const MIN_WORDS: usize = 12;
const MAX_TYPOS: usize = 2;
const PHRASE_LENGTHS: [usize; 5] = [12, 15, 18, 21, 24];

/// Words that mark a nearby run as a recovery phrase.
const PHRASE_CONTEXT: &[&str] = &[
    "助记词",
    "助記詞",
    "记忆词",
    "恢复短语",
    "恢復短語",
    "种子短语",
    "種子短語",
    "种子词",
    "備份短語",
    "备份短语",
    "seed phrase",
    "seed words",
    "mnemonic",
    "recovery phrase",
    "secret phrase",
    "backup phrase",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub span: Range<usize>,
    pub lang: &'static str,
}

struct WordList {
    code: &'static str,
    exact: HashSet<String>,
    /// Folded words by length in characters, for typo matching.
    by_len: HashMap<usize, Vec<Vec<char>>>,
}

struct CharList {
    code: &'static str,
    language: Language,
    /// Position in the list, which is ordered by frequency of use.
    index: HashMap<char, u16>,
    /// The same position's character in the simplified list (the lists are aligned).
    simplified: HashMap<char, char>,
}

struct Lists {
    words: Vec<WordList>,
    chars: Vec<CharList>,
    /// Common two-character words over the simplified wordlist characters.
    zh_words: HashSet<(char, char)>,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let word_languages = [
            (Language::English, "en"),
            (Language::Spanish, "es"),
            (Language::French, "fr"),
            (Language::Italian, "it"),
            (Language::Czech, "cs"),
            (Language::Portuguese, "pt"),
            (Language::Japanese, "ja"),
            (Language::Korean, "ko"),
        ];
        let words = word_languages
            .into_iter()
            .map(|(language, code)| {
                let folded: Vec<String> = language.word_list().iter().map(|w| fold(w)).collect();
                let mut by_len: HashMap<usize, Vec<Vec<char>>> = HashMap::new();
                for word in &folded {
                    let chars: Vec<char> = word.chars().collect();
                    by_len.entry(chars.len()).or_default().push(chars);
                }
                WordList { code, exact: folded.into_iter().collect(), by_len }
            })
            .collect();
        let simplified = Language::SimplifiedChinese.word_list();
        let chars = [(Language::SimplifiedChinese, "zh-Hans"), (Language::TraditionalChinese, "zh-Hant")]
            .into_iter()
            .map(|(language, code)| {
                let list = language.word_list();
                let first = |w: &str| w.chars().next().expect("one character");
                CharList {
                    code,
                    language,
                    index: list.iter().enumerate().map(|(i, w)| (first(w), i as u16)).collect(),
                    simplified: list.iter().zip(simplified.iter()).map(|(t, s)| (first(t), first(s))).collect(),
                }
            })
            .collect();
        let zh_words = include_str!("data/zh_words.txt")
            .lines()
            .filter_map(|w| {
                let mut chars = w.chars();
                Some((chars.next()?, chars.next()?))
            })
            .collect();
        Lists { words, chars, zh_words }
    })
}

/// Loads the wordlists now rather than on the first message.
pub(crate) fn warm_up() {
    lists();
}

#[derive(Debug)]
enum Token {
    /// A run of letters (not Han), folded.
    Word { span: Range<usize>, folded: String },
    /// One Han character; `separated` when something stood between it and the previous one.
    Han { span: Range<usize>, ch: char, separated: bool },
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut gap = true;
    let flush = |tokens: &mut Vec<Token>, start: &mut Option<usize>, end: usize| {
        if let Some(s) = start.take() {
            tokens.push(Token::Word { span: s..end, folded: fold(&text[s..end]) });
        }
    };
    for (i, c) in text.char_indices() {
        if is_han(c) {
            flush(&mut tokens, &mut word_start, i);
            tokens.push(Token::Han { span: i..i + c.len_utf8(), ch: c, separated: gap });
            gap = false;
        } else if c.is_alphabetic() || (word_start.is_some() && is_word_mark(c)) {
            word_start.get_or_insert(i);
            gap = true;
        } else {
            flush(&mut tokens, &mut word_start, i);
            gap = true;
        }
    }
    flush(&mut tokens, &mut word_start, text.len());
    tokens
}

/// Combining marks that belong inside a word (kana voicing marks typed separately, accents).
fn is_word_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x3099..=0x309C)
}

pub(crate) fn find(text: &str) -> Vec<Phrase> {
    let lists = lists();
    let tokens = tokenize(text);
    let mut found = Vec::new();
    for list in &lists.words {
        find_words(list, &tokens, &mut found);
    }
    let lower = text.to_lowercase();
    let context = PHRASE_CONTEXT.iter().any(|w| lower.contains(w));
    for list in &lists.chars {
        find_chars(list, lists, &tokens, context, &mut found);
    }
    // Lists share words (and the two Chinese lists most characters): keep one phrase per span.
    found.sort_by_key(|p| (p.span.start, std::cmp::Reverse(p.span.end)));
    let mut kept: Vec<Phrase> = Vec::new();
    for phrase in found {
        match kept.last_mut() {
            Some(last) if phrase.span.start < last.span.end => last.span.end = last.span.end.max(phrase.span.end),
            _ => kept.push(phrase),
        }
    }
    kept
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Exact,
    Typo,
    No,
}

fn find_words(list: &WordList, tokens: &[Token], found: &mut Vec<Phrase>) {
    // Exact matches first; typo matching only where a phrase could be (it costs more).
    let mut classes: Vec<Class> = tokens
        .iter()
        .map(|t| match t {
            Token::Word { folded, .. } if list.exact.contains(folded) => Class::Exact,
            _ => Class::No,
        })
        .collect();
    for i in 0..tokens.len() {
        let Token::Word { folded, .. } = &tokens[i] else { continue };
        if classes[i] == Class::Exact || folded.chars().count() < 3 {
            continue;
        }
        let around =
            classes[i.saturating_sub(8)..(i + 9).min(tokens.len())].iter().filter(|c| **c == Class::Exact).count();
        if around < 6 {
            continue;
        }
        let chars: Vec<char> = folded.chars().collect();
        let near = (chars.len().saturating_sub(1)..=chars.len() + 1)
            .filter_map(|len| list.by_len.get(&len))
            .flatten()
            .any(|word| within_one_edit(&chars, word));
        if near {
            classes[i] = Class::Typo;
        }
    }
    let mut run: Vec<usize> = Vec::new();
    let close = |run: &mut Vec<usize>, found: &mut Vec<Phrase>| {
        // Misspelt-looking neighbours ("words are …") are not part of the phrase, unless the
        // phrase needs them to be long enough (its own first or last word misspelt).
        // Same for a misspelt-looking word among the last or first few ("… please help").
        while let Some(p) =
            run.iter().rposition(|&i| classes[i] == Class::Typo).filter(|&p| p >= MIN_WORDS && run.len() - p <= 3)
        {
            run.truncate(p);
        }
        while let Some(p) =
            run.iter().position(|&i| classes[i] == Class::Typo).filter(|&p| p < 3 && run.len() - p - 1 >= MIN_WORDS)
        {
            run.drain(..=p);
        }
        let typos = run.iter().filter(|&&i| classes[i] == Class::Typo).count();
        if run.len() >= MIN_WORDS && typos <= MAX_TYPOS {
            let span = span_of(&tokens[run[0]]).start..span_of(&tokens[*run.last().unwrap()]).end;
            found.push(Phrase { span, lang: list.code });
        }
        run.clear();
    };
    for (i, class) in classes.iter().enumerate() {
        match class {
            Class::Exact => run.push(i),
            Class::Typo => {
                if run.iter().filter(|&&j| classes[j] == Class::Typo).count() == MAX_TYPOS {
                    // A third typo: what came before may still be a phrase; start over after
                    // the first typo of this run.
                    let first_typo = run.iter().position(|&j| classes[j] == Class::Typo).unwrap();
                    let rest = run.split_off(first_typo + 1);
                    close(&mut run, found);
                    run = rest;
                }
                run.push(i);
            }
            Class::No => close(&mut run, found),
        }
    }
    close(&mut run, found);
}

fn span_of(token: &Token) -> Range<usize> {
    match token {
        Token::Word { span, .. } | Token::Han { span, .. } => span.clone(),
    }
}

fn find_chars(list: &CharList, lists: &Lists, tokens: &[Token], context: bool, found: &mut Vec<Phrase>) {
    let mut run: Vec<(usize, char, bool, bool)> = Vec::new(); // (token, char, in list, separated)
    let close = |run: &mut Vec<(usize, char, bool, bool)>, found: &mut Vec<Phrase>| {
        // Trailing typos are just the text that follows.
        while run.last().is_some_and(|r| !r.2) {
            run.pop();
        }
        while run.first().is_some_and(|r| !r.2) {
            run.remove(0);
        }
        let typos = run.iter().filter(|r| !r.2).count();
        if run.len() >= MIN_WORDS && typos <= MAX_TYPOS && is_phrase(list, lists, run, context) {
            let span = span_of(&tokens[run[0].0]).start..span_of(&tokens[run.last().unwrap().0]).end;
            found.push(Phrase { span, lang: list.code });
        }
        run.clear();
    };
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Han { ch, separated, .. } => {
                let known = list.index.contains_key(ch);
                if !known && run.iter().filter(|r| !r.2).count() == MAX_TYPOS {
                    close(&mut run, found);
                }
                run.push((i, *ch, known, *separated));
            }
            Token::Word { .. } => close(&mut run, found),
        }
    }
    close(&mut run, found);
}

fn is_phrase(list: &CharList, lists: &Lists, run: &[(usize, char, bool, bool)], context: bool) -> bool {
    let separated = run[1..].iter().filter(|r| r.3).count();
    if separated * 5 >= (run.len() - 1) * 4 {
        return true;
    }
    if context {
        return true;
    }
    let typos = run.iter().filter(|r| !r.2).count();
    if typos == 0 && PHRASE_LENGTHS.contains(&run.len()) {
        let phrase: Vec<String> = run.iter().map(|r| r.1.to_string()).collect();
        if bip39::Mnemonic::parse_in_normalized(list.language, &phrase.join(" ")).is_ok() {
            return true;
        }
    }
    // Does it read as Chinese? Count common two-character words and the typical rank.
    let simplified: Vec<char> = run.iter().map(|r| list.simplified.get(&r.1).copied().unwrap_or(r.1)).collect();
    let words = simplified.windows(2).filter(|w| lists.zh_words.contains(&(w[0], w[1]))).count();
    let mut ranks: Vec<u16> = run.iter().filter_map(|r| list.index.get(&r.1).copied()).collect();
    ranks.sort_unstable();
    let median = ranks[ranks.len() / 2];
    words < 2 && median >= 200
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLISH: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

    #[test]
    fn an_english_phrase_is_found_in_a_sentence() {
        let text = format!("hi, my wallet words are {ENGLISH}, thanks");
        let found = find(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].span.clone()], ENGLISH);
        assert_eq!(found[0].lang, "en");
        // Wordlist words next to the phrase ("please", "help" are BIP39 words) go with it.
        let text = format!("{ENGLISH} please help");
        assert_eq!(find(&text)[0].span, 0..text.len());
    }

    #[test]
    fn numbered_capitalised_and_misspelt_phrases_are_found() {
        let numbered: String =
            ENGLISH.split(' ').enumerate().map(|(i, w)| format!("{}. {}\n", i + 1, w.to_uppercase())).collect();
        assert_eq!(find(&numbered).len(), 1);
        let typos = ENGLISH.replacen("winner", "winer", 1).replacen("sausage", "sausgae", 1);
        assert_eq!(find(&typos).len(), 1);
        let three = typos.replacen("useful", "usefull", 1).replacen("yellow", "yelow", 1);
        assert!(find(&three).iter().all(|p| p.span.len() < three.len()), "three typos in a row of twelve");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "I would like to know about my account balance and why the transfer is still pending after two days",
            "Please help, I sent USDT to the wrong network and the exchange says it will take a few days to recover",
            "我的充值还没有到账，已经过了两个小时了，请帮我查一下是什么原因",
            "请问提币为什么一直显示处理中我已经等了很久了",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn chinese_phrases_are_found_separated_or_not() {
        let phrase = "的 一 是 在 不 了 有 和 人 这 中 大";
        assert_eq!(find(phrase).len(), 1);
        assert_eq!(find(&format!("助记词：{}", phrase.replace(' ', ""))).len(), 1);
    }
}
