//! Secret redaction, run by the ingest pipeline before anything is written.
//!
//! The detector here recognises a hex private key that the text marks as a key; the full
//! detector (recovery phrases in every BIP39 language, WIF, extended keys) plugs into the same
//! `redact` entry point.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    SeedPhrase,
    PrivateKey,
}

impl SecretKind {
    pub fn marker(self) -> &'static str {
        match self {
            SecretKind::SeedPhrase => "[redacted: recovery phrase]",
            SecretKind::PrivateKey => "[redacted: private key]",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: SecretKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub findings: Vec<Finding>,
}

/// Words that, shortly before a 64-hex value, mark it as a key rather than a transaction hash.
const KEY_CONTEXT: &[&str] = &["private key", "privatekey", "priv key", "私钥", "secret", "pk:", "pk "];
const CONTEXT_WINDOW: usize = 48;

pub fn redact(text: &str) -> Redacted {
    let mut out = String::with_capacity(text.len());
    let mut findings = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !boundary || !bytes[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let start = i;
        let prefixed = bytes[i] == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X'));
        let digits = if prefixed { i + 2 } else { i };
        let end = digits + bytes[digits..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let bounded = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if end - digits == 64 && bounded && has_key_context(text, start) {
            out.push_str(&text[copied..start]);
            out.push_str(SecretKind::PrivateKey.marker());
            findings.push(Finding { kind: SecretKind::PrivateKey });
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    Redacted { text: out, findings }
}

fn has_key_context(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(CONTEXT_WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_lowercase();
    KEY_CONTEXT.iter().any(|word| before.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    #[test]
    fn a_marked_hex_key_is_replaced_by_a_marker() {
        let r = redact(&format!("my private key is {KEY}, help"));
        assert_eq!(r.text, "my private key is [redacted: private key], help");
        assert_eq!(r.findings, vec![Finding { kind: SecretKind::PrivateKey }]);
        let r = redact(&format!("私钥：0x{KEY}"));
        assert_eq!(r.text, "私钥：[redacted: private key]");
    }

    #[test]
    fn an_unmarked_hex_value_is_a_transaction_hash_and_stays() {
        let text = format!("my deposit 0x{KEY} has not arrived");
        assert_eq!(redact(&text).text, text);
        assert!(redact(&text).findings.is_empty());
    }
}
