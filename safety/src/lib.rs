//! Crypto safety, with no platform code: secrets are found and removed before anything is
//! stored (`scan`, run by the ingest pipeline), transaction hashes and addresses are recognised
//! (`Entity`), agents' replies that ask for a secret are refused (`guard`), and customers can
//! check whether a handle is our staff (`staff`).

mod entities;
pub mod guard;
mod keys;
mod seed;
pub mod staff;
mod text;
mod tokens;

pub use entities::{Entity, EntityKind};

use serde::Serialize;
use std::ops::Range;

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
    /// The wordlist language of a recovery phrase (`en`, `zh-Hans`, `ja`, …).
    pub lang: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub findings: Vec<Finding>,
}

/// What a scan learned: the text with every secret replaced by a marker, what was removed (its
/// kind, never its value), and the entities of what remains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scan {
    pub redacted: String,
    pub findings: Vec<Finding>,
    pub entities: Vec<Entity>,
}

pub fn scan(text: &str) -> Scan {
    let Redacted { text: redacted, findings } = redact(text);
    let (hexes, base58) = tokens::scan(&redacted);
    let entities = entities::find(&redacted, &hexes, &base58);
    Scan { redacted, findings, entities }
}

/// Replaces every recovery phrase and private key by a marker.
pub fn redact(text: &str) -> Redacted {
    let mut redacted = redact_once(text);
    // A redaction can leave a secret that the first look did not take as one (words around a
    // phrase read as part of its span, their remainder a phrase of its own): look again at what
    // is left until nothing is found. A marker is shorter than the secret it replaces, so the
    // text shrinks with every round that finds something, and this ends.
    while !redacted.findings.is_empty() {
        let again = redact_once(&redacted.text);
        if again.findings.is_empty() || again.text.len() >= redacted.text.len() {
            break;
        }
        redacted.text = again.text;
        redacted.findings.extend(again.findings);
    }
    redacted
}

fn redact_once(text: &str) -> Redacted {
    let mut secrets: Vec<(Range<usize>, Finding)> = Vec::new();
    for phrase in seed::find(text) {
        secrets.push((phrase.span, Finding { kind: SecretKind::SeedPhrase, lang: Some(phrase.lang) }));
    }
    let (hexes, base58) = tokens::scan(text);
    for span in keys::find(text, &hexes, &base58) {
        secrets.push((span, Finding { kind: SecretKind::PrivateKey, lang: None }));
    }
    if secrets.is_empty() {
        return Redacted { text: text.to_owned(), findings: Vec::new() };
    }
    // Overlapping detections (one phrase seen by two wordlists) become one redaction.
    secrets.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    let mut merged: Vec<(Range<usize>, Finding)> = Vec::new();
    for (span, finding) in secrets {
        match merged.last_mut() {
            Some((last, _)) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push((span, finding)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, finding) in &merged {
        out.push_str(&text[copied..span.start]);
        out.push_str(finding.kind.marker());
        copied = span.end;
    }
    out.push_str(&text[copied..]);
    Redacted { text: out, findings: merged.into_iter().map(|(_, f)| f).collect() }
}

/// Loads the wordlists and tables now, so that the first message does not pay for them.
pub fn warm_up() {
    seed::warm_up();
}

#[cfg(test)]
mod tests {
    use super::keys::samples;
    use super::*;

    const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    #[test]
    fn what_a_redaction_leaves_holds_no_secret_found_by_a_second_look() {
        // Found by fuzzing (fuzz/corpus/safety_scan): two runs of Simplified Chinese wordlist
        // words around broken bytes; the first redaction left the second run readable.
        let found = b"bc\x8a\xa9\xe8\xae\xb0\x7f\xaf\x8d\xae\xb0\x7f\xaf\x8d\xe6\x98\xaf \xe7\x9a\x84 \xe4\xb8\x80 \xe6\x98\xaf \xe5\xb8\x8d \xe4\xba\x86 \xe6\x9c\x89 \xe5\x92\x8c \xe4\xba\xba \xe8\x98\xaf \xe5\xbf\x99 \xe4\xb8\xad \xe5\xa4\x89 \xa7\xe6\x98\xaf \xe7\x9a\x84 \xe4\xb8\x80 \xe6\x98\xaf \xe5\xb8\x8d \xe4\xba\x86 \xe6\x9c\x89 \xe5\x92\x8c \xe4\xba\xba \xe8\xbf\x99 \xe4\xb8\xad \xe5\xa4\xa7";
        let text = String::from_utf8_lossy(found);
        let first = scan(&text);
        assert!(!first.findings.is_empty());
        assert!(scan(&first.redacted).findings.is_empty(), "{}", first.redacted);
    }

    #[test]
    fn a_text_needing_more_than_eight_looks_is_redacted_to_the_end() {
        // Found by fuzzing (fuzz/corpus/safety_scan/regression-nine-zh-phrases-…): runs of
        // Chinese wordlist words between broken bytes, each look uncovering the next phrase; a
        // bound of eight rounds left the ninth readable.
        let found =
            include_bytes!("../../fuzz/corpus/safety_scan/regression-nine-zh-phrases-need-more-than-eight-looks");
        let text = String::from_utf8_lossy(found);
        let first = scan(&text);
        assert!(first.findings.len() > 8);
        assert!(scan(&first.redacted).findings.is_empty(), "{}", first.redacted);
    }

    #[test]
    fn a_marked_hex_key_is_replaced_by_a_marker() {
        let r = redact(&format!("my private key is {KEY}, help"));
        assert_eq!(r.text, "my private key is [redacted: private key], help");
        assert_eq!(r.findings, vec![Finding { kind: SecretKind::PrivateKey, lang: None }]);
        assert_eq!(redact(&format!("私钥：0x{KEY}")).text, "私钥：[redacted: private key]");
        assert_eq!(redact(&format!("{KEY} is the secret")).text, "[redacted: private key] is the secret");
    }

    #[test]
    fn an_unmarked_hex_value_is_a_transaction_hash_and_stays() {
        let text = format!("my deposit 0x{KEY} has not arrived");
        let s = scan(&text);
        assert_eq!(s.redacted, text);
        assert!(s.findings.is_empty());
        assert_eq!(s.entities[0].kind, EntityKind::TxHash);
    }

    #[test]
    fn keys_of_every_kind_are_found() {
        let secret = [0x2A; 32];
        let mut texts = vec![
            samples::wif(secret, false, true),
            samples::wif(secret, false, false),
            samples::wif(secret, true, true),
            samples::wif(secret, true, false),
            bs58::encode(samples::solana(secret)).into_string(),
            format!("{:?}", samples::solana(secret)).replace(' ', ""),
        ];
        for version in
            [[0x04, 0x88, 0xAD, 0xE4], [0x04, 0x35, 0x83, 0x94], [0x04, 0x9D, 0x78, 0x78], [0x04, 0xB2, 0x43, 0x0C]]
        {
            texts.push(samples::extended(version, secret));
        }
        for key in texts {
            let r = redact(&format!("here: {key} thanks"));
            assert_eq!(r.text, "here: [redacted: private key] thanks", "{key}");
        }
    }

    #[test]
    fn a_solana_signature_is_not_a_key() {
        let signature = bs58::encode([9u8; 64]).into_string();
        let s = scan(&format!("tx {signature}"));
        assert!(s.findings.is_empty());
        assert_eq!(s.entities[0].chain, "solana");
    }
}
