//! The few ABI shapes a lookup reads: an address in a 32-byte word, a uint, and the string a
//! token's `symbol()` returns (ABI `string`, or `bytes32` in older tokens).

/// The 32-byte words of a hex payload (`0x` optional).
fn words(hex: &str) -> Option<Vec<&str>> {
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    if !hex.len().is_multiple_of(64) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((0..hex.len() / 64).map(|i| &hex[i * 64..(i + 1) * 64]).collect())
}

/// The address in the low 20 bytes of a word, `0x`-prefixed and lower case.
pub fn word_address(word: &str) -> Option<String> {
    let word = word.strip_prefix("0x").unwrap_or(word);
    (word.len() == 64 && word.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("0x{}", word[24..].to_ascii_lowercase()))
}

/// A `uint8`-sized answer (`decimals()`).
pub fn small_uint(hex: &str) -> Option<u32> {
    let word = *words(hex)?.first()?;
    u32::from_str_radix(word.trim_start_matches('0'), 16).ok().or_else(|| word.bytes().all(|b| b == b'0').then_some(0))
}

/// A `string` answer, or a `bytes32` one with its zero padding cut.
pub fn string(hex: &str) -> Option<String> {
    let words = words(hex)?;
    let bytes = |hex: &str| -> Option<Vec<u8>> {
        (0..hex.len() / 2).map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok()).collect()
    };
    let text = if words.is_empty() {
        return None;
    } else if words.len() == 1 {
        let raw = bytes(words[0])?;
        String::from_utf8(raw.into_iter().take_while(|b| *b != 0).collect()).ok()?
    } else {
        let offset = usize::from_str_radix(words[0].trim_start_matches('0'), 16).ok()? / 32;
        let length = usize::from_str_radix(words.get(offset)?.trim_start_matches('0'), 16).unwrap_or(0);
        let data: String = words.get(offset + 1..)?.concat();
        String::from_utf8(bytes(data.get(..length * 2)?)?).ok()?
    };
    let text = text.trim().to_owned();
    (!text.is_empty() && !text.chars().any(char::is_control)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_decode_as_string_and_as_bytes32() {
        let usdt = "0x0000000000000000000000000000000000000000000000000000000000000020\
                    0000000000000000000000000000000000000000000000000000000000000004\
                    5553445400000000000000000000000000000000000000000000000000000000";
        assert_eq!(string(usdt).as_deref(), Some("USDT"));
        let mkr = "0x4d4b520000000000000000000000000000000000000000000000000000000000";
        assert_eq!(string(mkr).as_deref(), Some("MKR"));
        assert_eq!(string("0x"), None);
        assert_eq!(string("0x1234"), None);
    }

    #[test]
    fn decimals_and_addresses_read_from_words() {
        assert_eq!(small_uint("0x0000000000000000000000000000000000000000000000000000000000000006"), Some(6));
        assert_eq!(small_uint("0x0000000000000000000000000000000000000000000000000000000000000000"), Some(0));
        assert_eq!(small_uint("0x"), None);
        assert_eq!(
            word_address("0x000000000000000000000000f39Fd6e51aad88F6F4ce6aB8827279cffFb92266").as_deref(),
            Some("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")
        );
    }
}
