//! Words for full-text search, the same way for what is stored and what is asked: text is cut
//! into lower-case words of letters and digits, and runs of Chinese, Japanese or Korean (written
//! without spaces) into overlapping character pairs, their last character alone as well. A
//! phrase of pairs finds a run of any length, and a prefix finds a single character. The words
//! are kept as an SQLite FTS5 text or a PostgreSQL `tsvector` literal, so that neither
//! database's own word-splitting (which depends on its locale) decides what matches.

use crate::store::Backend;

/// How a database's index keeps words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// SQLite FTS5: words apart by spaces, which its tokenizer reads back as the same words.
    Fts5,
    /// PostgreSQL: a `tsvector` literal with positions.
    TsVector,
}

impl From<Backend> for Form {
    fn from(backend: Backend) -> Form {
        match backend {
            Backend::Sqlite => Form::Fts5,
            Backend::Postgres => Form::TsVector,
        }
    }
}

/// At most this many words of one text are indexed (PostgreSQL keeps positions up to 16,383).
const MOST_WORDS: usize = 10_000;

/// Characters of scripts written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF // Han
        | 0x3040..=0x30FF | 0x31F0..=0x31FF // kana
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF // Hangul
    )
}

/// One piece of text as search sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A word of letters and digits, lower-case.
    Word(String),
    /// A run of characters written without spaces.
    Run(Vec<char>),
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut word = String::new();
    let mut run = Vec::new();
    let flush = |word: &mut String, run: &mut Vec<char>, pieces: &mut Vec<Piece>| {
        if !word.is_empty() {
            pieces.push(Piece::Word(std::mem::take(word)));
        }
        if !run.is_empty() {
            pieces.push(Piece::Run(std::mem::take(run)));
        }
    };
    for c in text.chars() {
        if unspaced(c) {
            if !word.is_empty() {
                flush(&mut word, &mut Vec::new(), &mut pieces);
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            if !run.is_empty() {
                flush(&mut String::new(), &mut run, &mut pieces);
            }
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut run, &mut pieces);
        }
    }
    flush(&mut word, &mut run, &mut pieces);
    pieces
}

/// The pairs of a run, then its last character alone.
fn pairs(run: &[char]) -> impl Iterator<Item = String> + '_ {
    let pairs = run.windows(2).map(|w| w.iter().collect::<String>());
    pairs.chain(run.last().map(|c| c.to_string()))
}

/// The words a text is found by, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Word(word) => words.push(word),
            Piece::Run(run) => words.extend(pairs(&run)),
        }
        if words.len() >= MOST_WORDS {
            words.truncate(MOST_WORDS);
            break;
        }
    }
    words
}

/// A text's words as the backend's index keeps them: FTS5 text (words apart by spaces, which
/// its tokenizer reads back as the same words) or a `tsvector` literal with positions. Words
/// hold only letters and digits, so neither form needs quoting inside.
pub fn stored(text: &str, form: Form) -> String {
    let words = words(text);
    match form {
        Form::Fts5 => words.join(" "),
        Form::TsVector => {
            let positioned: Vec<String> =
                words.iter().enumerate().map(|(i, word)| format!("'{word}':{}", i + 1)).collect();
            positioned.join(" ")
        }
    }
}

/// What is asked: every part must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Words in a row (a run's pairs).
    Phrase(Vec<String>),
    /// A word or a single character a stored word begins with.
    Prefix(String),
}

impl Query {
    /// The query of a search box's text; `None` when it holds no word.
    pub fn parse(text: &str) -> Option<Query> {
        let parts: Vec<Part> = pieces(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Word(word) => Part::Prefix(word),
                Piece::Run(run) if run.len() == 1 => Part::Prefix(run[0].to_string()),
                Piece::Run(run) => Part::Phrase(run.windows(2).map(|w| w.iter().collect()).collect()),
            })
            .collect();
        (!parts.is_empty()).then_some(Query { parts })
    }

    /// The query in the backend's syntax: an FTS5 `MATCH` expression or a `tsquery` literal.
    pub fn expression(&self, form: Form) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|part| match (part, form) {
                (Part::Phrase(words), Form::Fts5) => format!("\"{}\"", words.join(" ")),
                (Part::Prefix(word), Form::Fts5) => format!("\"{word}\"*"),
                (Part::Phrase(words), Form::TsVector) => {
                    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
                    format!("({})", quoted.join(" <-> "))
                }
                (Part::Prefix(word), Form::TsVector) => format!("'{word}':*"),
            })
            .collect();
        parts.join(if form == Form::Fts5 { " " } else { " & " })
    }

    /// Where in `text` the query's parts are found: byte ranges, in order, not overlapping.
    pub fn hits(&self, text: &str) -> Vec<(usize, usize)> {
        let lower: Vec<(usize, char)> = text.char_indices().collect();
        let folded: String = lower.iter().map(|(_, c)| c.to_lowercase().next().unwrap_or(*c)).collect();
        let folded: Vec<char> = folded.chars().collect();
        let mut hits = Vec::new();
        for part in &self.parts {
            let needle: Vec<char> = match part {
                Part::Prefix(word) => word.chars().collect(),
                Part::Phrase(words) => {
                    let mut chars: Vec<char> = words.first().map(|w| w.chars().collect()).unwrap_or_default();
                    chars.extend(words.iter().skip(1).filter_map(|w| w.chars().last()));
                    chars
                }
            };
            if needle.is_empty() || needle.len() > folded.len() {
                continue;
            }
            let starts_word = |i: usize| i == 0 || !folded[i - 1].is_alphanumeric() || unspaced(folded[i]);
            for i in 0..=folded.len() - needle.len() {
                if folded[i..i + needle.len()] == needle[..] && (matches!(part, Part::Phrase(_)) || starts_word(i)) {
                    let end = lower.get(i + needle.len()).map_or(text.len(), |(at, _)| *at);
                    hits.push((lower[i].0, end));
                }
            }
        }
        hits.sort_unstable();
        hits.dedup_by(|next, kept| {
            next.0 < kept.1 && {
                kept.1 = kept.1.max(next.1);
                true
            }
        });
        hits
    }
}

/// A stretch of text, marked where the search found it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// `text` around its first hit, at most about `width` characters, cut into segments.
pub fn excerpt(text: &str, hits: &[(usize, usize)], width: usize) -> Vec<Segment> {
    let first = hits.first().map_or(0, |h| h.0);
    let before: Vec<(usize, char)> = text[..first].char_indices().collect();
    let start = if before.len() > width / 3 { before[before.len() - width / 3].0 } else { 0 };
    let end = text[start..].char_indices().nth(width).map_or(text.len(), |(at, _)| start + at);
    let mut segments = Vec::new();
    let mut at = start;
    let mut push = |text: &str, hit: bool| {
        if !text.is_empty() {
            segments.push(Segment { text: text.to_owned(), hit });
        }
    };
    if start > 0 {
        push("…", false);
    }
    for &(from, to) in hits.iter().filter(|h| h.0 >= start && h.0 < end) {
        let to = to.min(end);
        push(&text[at..from], false);
        push(&text[from..to], true);
        at = to;
    }
    push(&text[at..end], false);
    if end < text.len() {
        push("…", false);
    }
    segments
}

#[cfg(test)]
mod tests;
