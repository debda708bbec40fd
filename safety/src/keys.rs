//! Private keys: hex keys the text calls a key, WIF, BIP32 extended private keys (validated by
//! base58check), Solana secret keys (base58 or a JSON byte array; the second half must be the
//! public key of the first, which no transaction signature satisfies).

use super::tokens::{Base58, Hex};
use std::ops::Range;

/// Words that, near a 64-hex value, make it a key rather than a transaction hash.
const KEY_CONTEXT: &[&str] = &[
    "private key",
    "privatekey",
    "private_key",
    "priv key",
    "privkey",
    "secret key",
    "secret",
    "私钥",
    "私鑰",
    "密钥",
    "密鑰",
    "pk:",
    "pk ",
    "pk=",
    "pk是",
    "pk：",
];
const CONTEXT_WINDOW: usize = 48;

pub(crate) fn hex_key_context(text: &str, span: &Range<usize>) -> bool {
    let mut from = span.start.saturating_sub(CONTEXT_WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (span.end + CONTEXT_WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = text[from..to].to_lowercase();
    KEY_CONTEXT.iter().any(|w| window.contains(w))
}

/// Spans of private keys.
pub(crate) fn find(text: &str, hexes: &[Hex], base58: &[Base58]) -> Vec<Range<usize>> {
    let mut keys: Vec<Range<usize>> =
        hexes.iter().filter(|h| h.digits == 64 && hex_key_context(text, &h.span)).map(|h| h.span.clone()).collect();
    for token in base58 {
        if is_wif(&token.text) || is_extended_private(&token.text) || is_solana_secret_base58(&token.text) {
            keys.push(token.span.clone());
        }
    }
    keys.extend(solana_json_keys(text));
    keys
}

fn is_wif(s: &str) -> bool {
    if !(s.len() == 51 || s.len() == 52) || !s.starts_with(['5', 'K', 'L', '9', 'c']) {
        return false;
    }
    match bs58::decode(s).with_check(None).into_vec() {
        Ok(payload) => {
            matches!(payload.first(), Some(0x80 | 0xEF))
                && (payload.len() == 33 || (payload.len() == 34 && payload[33] == 0x01))
        }
        Err(_) => false,
    }
}

fn is_extended_private(s: &str) -> bool {
    const PREFIXES: &[&str] = &["xprv", "tprv", "yprv", "zprv", "uprv", "vprv", "Yprv", "Zprv", "Uprv", "Vprv"];
    PREFIXES.iter().any(|p| s.starts_with(p))
        && bs58::decode(s).with_check(None).into_vec().is_ok_and(|payload| payload.len() == 78)
}

fn is_solana_secret_base58(s: &str) -> bool {
    (80..=90).contains(&s.len()) && bs58::decode(s).into_vec().is_ok_and(|bytes| is_ed25519_keypair(&bytes))
}

/// 32 bytes of secret seed followed by their public key.
fn is_ed25519_keypair(bytes: &[u8]) -> bool {
    let Ok(pair) = <[u8; 64]>::try_from(bytes) else { return false };
    let secret: [u8; 32] = pair[..32].try_into().expect("32 bytes");
    ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key().to_bytes() == pair[32..]
}

/// `[12,34,…]` with 64 numbers 0–255 forming an ed25519 keypair (Solana CLI key files).
fn solana_json_keys(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| i + from) {
        let Some(close) = text[open..].find(']').map(|i| i + open) else { break };
        let inner = &text[open + 1..close];
        let numbers: Option<Vec<u8>> = inner.split(',').map(|n| n.trim().parse::<u8>().ok()).collect();
        if let Some(bytes) = numbers.filter(|b| b.len() == 64)
            && is_ed25519_keypair(&bytes)
        {
            found.push(open..close + 1);
        }
        from = open + 1;
    }
    found
}

#[cfg(test)]
pub(crate) mod samples {
    //! Keys built the way wallets build them, for tests.

    pub fn wif(secret: [u8; 32], testnet: bool, compressed: bool) -> String {
        let mut payload = vec![if testnet { 0xEF } else { 0x80 }];
        payload.extend_from_slice(&secret);
        if compressed {
            payload.push(0x01);
        }
        bs58::encode(payload).with_check().into_string()
    }

    pub fn extended(version: [u8; 4], secret: [u8; 32]) -> String {
        let mut payload = version.to_vec();
        payload.extend_from_slice(&[0u8; 9]); // depth, parent fingerprint, child number
        payload.extend_from_slice(&[7u8; 32]); // chain code
        payload.push(0);
        payload.extend_from_slice(&secret);
        bs58::encode(payload).with_check().into_string()
    }

    pub fn solana(secret: [u8; 32]) -> Vec<u8> {
        let public = ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key().to_bytes();
        [secret.as_slice(), public.as_slice()].concat()
    }
}
