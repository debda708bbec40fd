//! The domain lexicon (`data/lexicon.txt`): words customers use for one thing ("12 words",
//! "seed phrase", "助记词") read as one, in articles and questions alike, so that an article with
//! three example questions is found in the words of a fourth, and across languages.

use std::sync::OnceLock;

/// `(member, canonical)`, longest members first (so "seed phrase" is taken before "seed").
fn entries() -> &'static [(String, String)] {
    static ENTRIES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries = Vec::new();
        for line in include_str!("../data/lexicon.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<String> =
                line.split('|').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
            let Some(canonical) = words.first().cloned() else { continue };
            entries.extend(words.into_iter().skip(1).map(|w| (w, canonical.clone())));
        }
        entries.sort_by_key(|(member, _)| std::cmp::Reverse(member.chars().count()));
        entries
    })
}

/// `text` with every lexicon word replaced by its group's first (whole words for Latin script,
/// anywhere for Chinese); lowercased where it changed.
pub fn canonical(text: &str) -> String {
    let mut lower = text.to_lowercase();
    let mut changed = false;
    for (member, canonical) in entries() {
        if !lower.contains(member.as_str()) {
            continue;
        }
        let mut out = String::with_capacity(lower.len());
        let mut rest = lower.as_str();
        while let Some(at) = rest.find(member.as_str()) {
            let end = at + member.len();
            let whole = !member.is_ascii()
                || (rest[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
                    && rest[end..].chars().next().is_none_or(|c| !c.is_alphanumeric()));
            out.push_str(&rest[..at]);
            if whole {
                // Spaced, so that Chinese segmentation reads it as the words it is.
                out.push(' ');
                out.push_str(canonical);
                out.push(' ');
                changed = true;
            } else {
                out.push_str(member);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        lower = out;
    }
    if changed { lower } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_translations_read_as_one() {
        assert_eq!(
            canonical("I lost my 12 words").split_whitespace().collect::<Vec<_>>(),
            ["i", "lost", "my", "recovery", "phrase"]
        );
        assert!(canonical("如何备份助记词").contains("recovery phrase"));
        assert!(canonical("提币一直没到").contains("withdrawal"));
        assert!(canonical("my Google Authenticator is gone").contains("two-factor authentication"));
        // Whole words only in Latin script; text without a lexicon word is left as written.
        assert_eq!(canonical("gasoline prices"), "gasoline prices");
        assert_eq!(canonical("How long does unstaking take?"), "How long does unstaking take?");
    }
}
