//! Recovery phrases (BIP39) in all ten wordlist languages.
//!
//! Word languages (English, Spanish, French, Italian, Czech, Portuguese, Japanese, Korean): a run
//! of at least 12 wordlist words, of which at most two are misspelt (one edit away from a
//! wordlist word), with nothing but separators and list numbering between them. Prose breaks
//! such runs within a few words: its function words are not in the lists.
//!
//! Chinese (simplified and traditional lists of 2048 single characters): the lists are the most
//! common characters, so an ordinary sentence is mostly wordlist characters. A run of 12 or more
//! is a phrase when its characters are separated (spaces, commas, numbering). Characters written
//! together are weighed as evidence, a log-likelihood ratio of "drawn at random from the list"
//! against "written Chinese": how frequent each character is, whether neighbours form a common
//! word, talk of a recovery phrase just before, a valid checksum (see BENCHMARKS.md for the
//! measured rates).

mod chinese;

use super::text::{fold, is_han, within_one_edit};
use bip39::Language;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

const MIN_WORDS: usize = 12;
const MAX_TYPOS: usize = 2;
const PHRASE_LENGTHS: [usize; 5] = [12, 15, 18, 21, 24];
/// How far before a phrase its context is looked for (about 10 Chinese characters or 30 letters).
const CONTEXT_BYTES: usize = 40;

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
    "导入钱包",
    "導入錢包",
    "恢复钱包",
    "恢復錢包",
    "seed phrase",
    "seed words",
    "mnemonic",
    "recovery phrase",
    "secret phrase",
    "backup phrase",
    "import wallet",
    "restore wallet",
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

/// The two Chinese lists, aligned: position i is the same word in both.
struct ChineseLists {
    /// Position of each character in either list (the lists are ordered by frequency of use).
    index: HashMap<char, u16>,
    simplified_only: HashSet<char>,
    traditional_only: HashSet<char>,
    /// The simplified form of each listed character.
    simplified: HashMap<char, char>,
}

struct Lists {
    words: Vec<WordList>,
    chinese: ChineseLists,
    /// Common two-character words over the simplified wordlist characters.
    zh_words: HashSet<(char, char)>,
    /// How often each English wordlist word occurs in support text, and that text's length.
    en_counts: HashMap<&'static str, u32>,
    en_total: u32,
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
        let first = |w: &str| w.chars().next().expect("one character");
        let simplified_list = Language::SimplifiedChinese.word_list();
        let traditional_list = Language::TraditionalChinese.word_list();
        let mut chinese = ChineseLists {
            index: HashMap::new(),
            simplified_only: HashSet::new(),
            traditional_only: HashSet::new(),
            simplified: HashMap::new(),
        };
        for (i, (s, t)) in simplified_list.iter().zip(traditional_list.iter()).enumerate() {
            let (s, t) = (first(s), first(t));
            chinese.index.insert(s, i as u16);
            chinese.index.insert(t, i as u16);
            chinese.simplified.insert(s, s);
            chinese.simplified.insert(t, s);
            if s != t {
                chinese.simplified_only.insert(s);
                chinese.traditional_only.insert(t);
            }
        }
        let zh_words = include_str!("data/zh_words.txt")
            .lines()
            .filter_map(|w| {
                let mut chars = w.chars();
                Some((chars.next()?, chars.next()?))
            })
            .collect();
        let mut en_total = 1;
        let mut en_counts = HashMap::new();
        for line in include_str!("data/en_support_counts.txt").lines() {
            let Some((word, count)) = line.split_once('\t') else { continue };
            let count = count.parse().unwrap_or(0);
            match word {
                "# total" => en_total = count,
                word => {
                    en_counts.insert(word, count);
                }
            }
        }
        Lists { words, chinese, zh_words, en_counts, en_total }
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
        find_words(lists, list, text, &tokens, &mut found);
    }
    chinese::find_chinese(lists, text, &tokens, &mut found);
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

/// Whether the text just before `at` speaks of a recovery phrase.
fn context_before(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].to_lowercase();
    PHRASE_CONTEXT.iter().any(|w| before.contains(w))
}

/// Log-likelihood ratio (drawn at random from the list : written in a support message) of one
/// English wordlist word: a phrase draws all 2048 alike, while customers use "please", "check",
/// "account" or "again" hundreds of times more often than "gadget" or "pulp". Counts of support
/// text (`data/en_support_counts.txt`), smoothed for words it never used.
fn english_evidence(lists: &Lists, word: &str) -> f32 {
    const SMOOTHING: f32 = 0.5;
    let count = lists.en_counts.get(word).copied().unwrap_or(0) as f32;
    let written = (count + SMOOTHING) / (lists.en_total as f32 + SMOOTHING * 2048.0);
    (1.0 / 2048.0f32).ln() - written.ln()
}

/// English runs of twelve or more wordlist words occur in terse support messages ("hello can you
/// check that deposit again please, still wrong balance today, need help"): such a run is a
/// phrase only if some twelve of its words read as drawn at random — their summed evidence at
/// least this many nats. Twelve random words score 11 at the least in 200,000 draws (45 at the
/// median); the most random-looking twelve of 2,200 terse support messages score −1.4.
const ENGLISH_RANDOM_NATS: f32 = 4.0;

/// Whether some window of `MIN_WORDS` tokens of an English run (typos counted as neutral, at most
/// `MAX_TYPOS` of them) reads as drawn at random.
fn reads_as_drawn(lists: &Lists, tokens: &[Token], classes: &[Class]) -> bool {
    let evidence: Vec<f32> = tokens
        .iter()
        .zip(classes)
        .map(|(token, class)| match (token, class) {
            (Token::Word { folded, .. }, Class::Exact) => english_evidence(lists, folded),
            _ => 0.0,
        })
        .collect();
    (0..=tokens.len().saturating_sub(MIN_WORDS)).any(|start| {
        let window = start..start + MIN_WORDS;
        let typos = classes[window.clone()].iter().filter(|c| **c == Class::Typo).count();
        typos <= MAX_TYPOS && evidence[window].iter().sum::<f32>() >= ENGLISH_RANDOM_NATS
    })
}

fn find_words(lists: &Lists, list: &WordList, text: &str, tokens: &[Token], found: &mut Vec<Phrase>) {
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
        // Korean and Japanese words are often two syllables; Latin words that short are noise.
        let shortest = if folded.chars().next().is_some_and(|c| c as u32 >= 0x3040) { 2 } else { 3 };
        if classes[i] == Class::Exact || folded.chars().count() < shortest {
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
    // A phrase is a window of at least 12 words with at most two typos inside a sequence of
    // wordlist-or-nearly words; the whole sequence is redacted, so that a misspelt first or
    // last word cannot leak (a neighbour that merely looks misspelt goes with it, harmlessly).
    let mut i = 0;
    while i < classes.len() {
        if classes[i] == Class::No {
            i += 1;
            continue;
        }
        let start = i;
        while i < classes.len() && classes[i] != Class::No {
            i += 1;
        }
        let (mut left, mut typos, mut longest) = (start, 0, 0);
        for right in start..i {
            typos += usize::from(classes[right] == Class::Typo);
            while typos > MAX_TYPOS {
                typos -= usize::from(classes[left] == Class::Typo);
                left += 1;
            }
            longest = longest.max(right + 1 - left);
        }
        let span = span_of(&tokens[start]).start..span_of(&tokens[i - 1]).end;
        let drawn = || {
            list.code != "en"
                || context_before(text, span.start)
                || reads_as_drawn(lists, &tokens[start..i], &classes[start..i])
        };
        if longest >= MIN_WORDS && drawn() {
            found.push(Phrase { span, lang: list.code });
        }
    }
}

fn span_of(token: &Token) -> Range<usize> {
    match token {
        Token::Word { span, .. } | Token::Han { span, .. } => span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::chinese::checksum_holds;
    use super::*;

    const ENGLISH: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";

    #[test]
    fn the_checksum_agrees_with_the_bip39_crate() {
        for seed in 0u8..40 {
            let entropy: Vec<u8> =
                (0..16 + (seed as usize % 5) * 4).map(|i| seed.wrapping_mul(31).wrapping_add(i as u8 * 7)).collect();
            let mnemonic = bip39::Mnemonic::from_entropy_in(Language::SimplifiedChinese, &entropy).unwrap();
            let list = Language::SimplifiedChinese.word_list();
            let mut indices: Vec<u16> =
                mnemonic.words().map(|w| list.iter().position(|x| *x == w).unwrap() as u16).collect();
            assert!(checksum_holds(&indices));
            let last = indices.len() - 1;
            indices[last] ^= 1 << 3;
            let valid = bip39::Mnemonic::parse_in_normalized(
                Language::SimplifiedChinese,
                &indices.iter().map(|&i| list[i as usize]).collect::<Vec<_>>().join(" "),
            )
            .is_ok();
            assert_eq!(checksum_holds(&indices), valid);
        }
    }

    #[test]
    fn an_english_phrase_is_found_in_a_sentence() {
        let text = format!("hi, my wallet words are {ENGLISH}, so what now");
        let found = find(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        // "words" and "are" are one letter from wordlist words ("word", "area"): redacted too.
        assert_eq!(&text[found[0].span.clone()], format!("words are {ENGLISH}"));
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
    fn traditional_prose_with_rare_characters_is_left_alone() {
        for text in [
            "在行動上使用 Bitcoin，你只要兩個步驟：掃描和支付，就可以輕鬆付款。不需要登入、刷卡、輸入密碼或者簽署任何單據。為接受 Bitcoin 付款，你所需要做的只是顯示QR code",
            "這款錢包會洩露資訊給網路上的同仁們。",
            "Bitcoin 交易用軍用等級的密碼學來保障，沒有人可以冒充您來支付款項。",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn an_unspaced_phrase_is_redacted_up_to_its_common_first_characters() {
        // "们", "容", "里" are frequent characters: taken with the rare ones after them.
        let phrase = "们容里韩漫洛本便委炼器然备整瓷";
        let text = format!("我刚才导入钱包用的是{phrase}，然后余额就没了");
        let found = find(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(text[found[0].span.clone()].contains(phrase), "{}", &text[found[0].span.clone()]);
        assert!(text[found[0].span.end..].starts_with('，'));
    }

    #[test]
    fn chinese_phrases_are_found_separated_or_not() {
        let phrase = "也 少 米 饰 拥 倒 者 坑 研 违 奉 罪";
        assert_eq!(find(phrase).len(), 1);
        assert_eq!(find(&format!("请帮我看看 {phrase} 这是什么")).len(), 1);
        assert_eq!(find(&phrase.replace(' ', "")).len(), 1);
        assert_eq!(find(&format!("助记词：{}", phrase.replace(' ', ""))).len(), 1);
    }
}
