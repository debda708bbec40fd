//! Candidate tokens for keys and entities: hex runs and base58 runs, with their spans.

use std::ops::Range;

#[derive(Debug, Clone)]
pub(crate) struct Hex {
    /// Including a `0x` prefix when there is one.
    pub span: Range<usize>,
    pub prefixed: bool,
    pub digits: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Base58 {
    pub span: Range<usize>,
    pub text: String,
}

fn is_base58(c: u8) -> bool {
    c.is_ascii_alphanumeric() && !matches!(c, b'0' | b'O' | b'I' | b'l')
}

/// Maximal runs of ASCII letters and digits, bounded by anything else.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        Some(start..i)
    })
}

pub(crate) fn scan(text: &str) -> (Vec<Hex>, Vec<Base58>) {
    let bytes = text.as_bytes();
    let mut hexes = Vec::new();
    let mut base58 = Vec::new();
    for span in words(text) {
        let word = &bytes[span.clone()];
        let prefixed = word.len() > 2 && (word.starts_with(b"0x") || word.starts_with(b"0X"));
        let digits = if prefixed { &word[2..] } else { word };
        if digits.iter().all(u8::is_ascii_hexdigit) {
            hexes.push(Hex { span: span.clone(), prefixed, digits: digits.len() });
        }
        if word.len() >= 25 && word.iter().all(|c| is_base58(*c)) {
            base58.push(Base58 { span: span.clone(), text: text[span].to_owned() });
        }
    }
    (hexes, base58)
}
