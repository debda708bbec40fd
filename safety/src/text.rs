//! Text helpers shared by the detectors.

use unicode_normalization::UnicodeNormalization;

/// How the detectors compare words: compatibility-normalized, lower case, without Latin
/// diacritics (`Académie` → `academie`); Hangul and kana keep their marks.
pub(crate) fn fold(word: &str) -> String {
    let lower: String = word.nfkc().flat_map(char::to_lowercase).collect();
    lower.nfd().filter(|c| !('\u{0300}'..='\u{036F}').contains(c)).nfc().collect()
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// Characters that render as nothing: used to disguise handles and split secrets.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// Damerau–Levenshtein distance of at most one (one substitution, insertion, deletion or
/// transposition of neighbours).
pub(crate) fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diffs.as_slice() {
                [] | [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let skip = (0..short.len()).find(|&i| short[i] != long[i]).unwrap_or(short.len());
            short[skip..] == long[skip + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_latin_accents_only() {
        assert_eq!(fold("Académie"), "academie");
        assert_eq!(fold("ÁBACO"), "abaco");
        assert_eq!(fold("가격"), "가격");
        assert_eq!(fold("がっこう"), "がっこう");
        assert_eq!(fold("ｗｏｒｄ"), "word");
    }

    #[test]
    fn one_edit_is_recognised() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("abandon"), &c("abandon")));
        assert!(within_one_edit(&c("abandn"), &c("abandon")));
        assert!(within_one_edit(&c("abadnon"), &c("abandon")));
        assert!(within_one_edit(&c("abamdon"), &c("abandon")));
        assert!(!within_one_edit(&c("abmadon"), &c("abandon")));
        assert!(!within_one_edit(&c("ability"), &c("abandon")));
    }
}
