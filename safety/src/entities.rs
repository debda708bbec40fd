//! Transaction hashes and addresses, validated by their checksums where the format has one.

use super::keys::hex_key_context;
use super::tokens::{Base58, Hex};
use serde::Serialize;
use sha3::{Digest, Keccak256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    TxHash,
    Address,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::TxHash => "tx_hash",
            EntityKind::Address => "address",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// `evm`, `bitcoin` (a bare 64-hex hash is also how TRON writes them), `tron`, `solana`.
    pub chain: &'static str,
    pub value: String,
}

pub(crate) fn find(text: &str, hexes: &[Hex], base58: &[Base58]) -> Vec<Entity> {
    let mut found = Vec::new();
    let mut push = |kind, chain, value: &str| {
        let entity = Entity { kind, chain, value: value.to_owned() };
        if !found.contains(&entity) {
            found.push(entity);
        }
    };
    for hex in hexes {
        let value = &text[hex.span.clone()];
        match (hex.prefixed, hex.digits) {
            (true, 64) if !hex_key_context(text, &hex.span) => push(EntityKind::TxHash, "evm", value),
            (false, 64) if !hex_key_context(text, &hex.span) => push(EntityKind::TxHash, "bitcoin", value),
            (true, 40) if eip55_valid(&value[2..]) => push(EntityKind::Address, "evm", value),
            _ => {}
        }
    }
    for token in base58 {
        let s = token.text.as_str();
        if let Some(chain) = base58check_address(s) {
            push(EntityKind::Address, chain, s);
        } else if (32..=44).contains(&s.len()) && bs58::decode(s).into_vec().is_ok_and(|b| b.len() == 32) && mixed(s) {
            push(EntityKind::Address, "solana", s);
        } else if (80..=90).contains(&s.len()) && bs58::decode(s).into_vec().is_ok_and(|b| b.len() == 64) {
            push(EntityKind::TxHash, "solana", s);
        }
    }
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let lowered = word.to_ascii_lowercase();
        if (lowered.starts_with("bc1") || lowered.starts_with("tb1")) && bech32::segwit::decode(word).is_ok() {
            push(EntityKind::Address, "bitcoin", word);
        }
    }
    found
}

/// Random base58 of this length has digits and both cases; words and names do not.
fn mixed(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes().any(|b| b.is_ascii_lowercase())
}

fn base58check_address(s: &str) -> Option<&'static str> {
    if !(26..=35).contains(&s.len()) {
        return None;
    }
    let payload = bs58::decode(s).with_check(None).into_vec().ok()?;
    if payload.len() != 21 {
        return None;
    }
    match payload[0] {
        0x00 | 0x05 | 0x6F | 0xC4 => Some("bitcoin"),
        0x41 => Some("tron"),
        _ => None,
    }
}

/// All one case carries no checksum and is accepted; mixed case must match EIP-55.
fn eip55_valid(hex: &str) -> bool {
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if !(has_upper && has_lower) {
        return true;
    }
    let hash = Keccak256::digest(hex.to_ascii_lowercase().as_bytes());
    hex.bytes().enumerate().all(|(i, c)| {
        let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0F;
        !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokens::scan;
    use super::*;

    fn entities(text: &str) -> Vec<(EntityKind, &'static str)> {
        let (hexes, base58) = scan(text);
        find(text, &hexes, &base58).into_iter().map(|e| (e.kind, e.chain)).collect()
    }

    #[test]
    fn addresses_are_validated_by_their_checksums() {
        assert_eq!(entities("send to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), [(EntityKind::Address, "evm")]);
        assert!(entities("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").is_empty(), "bad EIP-55");
        assert_eq!(entities("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), [(EntityKind::Address, "bitcoin")]);
        assert_eq!(entities("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), [(EntityKind::Address, "bitcoin")]);
        assert!(entities("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3").is_empty(), "bad base58check");
        assert_eq!(entities("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), [(EntityKind::Address, "bitcoin")]);
        assert_eq!(
            entities("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"),
            [(EntityKind::Address, "bitcoin")]
        );
        assert_eq!(entities("TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"), [(EntityKind::Address, "tron")]);
        assert_eq!(entities("wallet 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"), [(EntityKind::Address, "solana")]);
    }

    #[test]
    fn hashes_are_recognised() {
        let evm = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
        assert_eq!(entities(&format!("tx {evm}")), [(EntityKind::TxHash, "evm")]);
        assert_eq!(entities(&format!("txid {}", &evm[2..])), [(EntityKind::TxHash, "bitcoin")]);
        assert!(entities(&format!("my private key {}", &evm[2..])).is_empty(), "a key is not a hash");
    }
}
