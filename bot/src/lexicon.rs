//! The domain lexicon: words customers use for one thing ("12 words", "seed phrase", "助记词")
//! read as one, in articles and questions alike, so that an article with three example
//! questions is found in the words of a fourth, and across languages. The product ships one
//! (`data/lexicon.txt`); operators extend it with a `lexicon.txt` in the knowledge-base folder,
//! in the same format: one group per line, `|` between its words, the first the form the others
//! are read as; `#` starts a comment.

use std::sync::{Arc, OnceLock};

/// The file an operator's groups are read from, in the knowledge-base folder.
pub const FILE: &str = "lexicon.txt";

#[derive(Clone)]
pub struct Lexicon {
    /// `(member, canonical)`, longest members first (so "seed phrase" is taken before "seed").
    entries: Arc<Vec<(String, String)>>,
    /// Every word of every group's first ("recovery", "phrase", "two-factor"…).
    canonical_words: Arc<std::collections::HashSet<String>>,
}

/// The groups of a lexicon text: each line's words, lowercased; blank lines and comments left
/// out. A line with one word says nothing and is an error (a missing `|`).
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut groups = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = line.split('|').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
        if words.len() < 2 {
            return Err(format!("line {}: a group needs two words or more, separated by |", n + 1));
        }
        groups.push(words);
    }
    Ok(groups)
}

/// The shipped lexicon's groups (`data/lexicon.txt`), parsed once.
fn shipped_groups() -> &'static [Vec<String>] {
    static GROUPS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    GROUPS.get_or_init(|| parse(include_str!("../data/lexicon.txt")).expect("the shipped lexicon parses"))
}

impl Lexicon {
    /// The lexicon that ships with the product.
    pub fn shipped() -> Lexicon {
        static SHIPPED: OnceLock<Lexicon> = OnceLock::new();
        SHIPPED.get_or_init(|| Lexicon::of(&[])).clone()
    }

    /// The shipped lexicon with an operator's groups (lines of `lexicon.txt`; lines that do not
    /// parse were refused when the knowledge base was loaded and are skipped here). A word in
    /// an operator's group is read as that group's first, whatever the shipped lexicon says.
    pub fn extended(operator: &[String]) -> Lexicon {
        if operator.is_empty() {
            return Lexicon::shipped();
        }
        let operator: Vec<Vec<String>> = operator.iter().filter_map(|line| parse(line).ok()).flatten().collect();
        Lexicon::of(&operator)
    }

    fn of(operator: &[Vec<String>]) -> Lexicon {
        let mut seen = std::collections::HashSet::new();
        let mut entries: Vec<(String, String)> = Vec::new();
        // The first group a word is in wins: the operator's come first.
        // Questions are read with Chinese characters in simplified script (Japanese kanji too),
        // so members are matched in that script.
        for group in operator.iter().chain(shipped_groups()) {
            for member in group[1..].iter().map(|m| crate::text::folded(m)).filter(|m| seen.insert(m.clone())) {
                entries.push((member, group[0].clone()));
            }
        }
        entries.sort_by_key(|(member, _)| std::cmp::Reverse(member.chars().count()));
        let canonical_words =
            entries.iter().flat_map(|(_, canonical)| canonical.split_whitespace()).map(str::to_owned).collect();
        Lexicon { entries: Arc::new(entries), canonical_words: Arc::new(canonical_words) }
    }

    /// The share of `text`'s letters and digits that lie in lexicon words (0–1). Hiragana do
    /// not count: in Japanese they are mostly grammar (particles, endings), its meaning in kanji
    /// and katakana.
    pub fn share_read(&self, text: &str) -> f32 {
        let mut rest = text.to_lowercase();
        let letters =
            |t: &str| t.chars().filter(|c| c.is_alphanumeric() && !matches!(*c as u32, 0x3040..=0x309F)).count();
        let total = letters(&rest);
        if total == 0 {
            return 0.0;
        }
        let mut read = 0;
        for (member, _) in self.entries.iter() {
            while let Some(at) = crate::text::phrase_at(&rest, member) {
                read += letters(member);
                // Blanked, so that a shorter member inside it is not counted again.
                rest.replace_range(at..at + member.len(), &" ".repeat(member.len()));
            }
        }
        read as f32 / total as f32
    }

    /// Whether `word` (lowercase) is a word of some group's first form.
    pub fn is_canonical_word(&self, word: &str) -> bool {
        self.canonical_words.contains(word)
    }

    /// `text` with every lexicon word replaced by its group's first (whole words for Latin
    /// script, anywhere for Chinese); lowercased where it changed.
    pub fn canonical(&self, text: &str) -> String {
        let mut lower = text.to_lowercase();
        let mut changed = false;
        for (member, canonical) in self.entries.iter() {
            if !lower.contains(member.as_str()) {
                continue;
            }
            let mut out = String::with_capacity(lower.len());
            let mut rest = lower.as_str();
            while let Some(at) = rest.find(member.as_str()) {
                let end = at + member.len();
                out.push_str(&rest[..at]);
                if crate::text::stands_at(rest, at, member) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_translations_read_as_one() {
        let lexicon = Lexicon::shipped();
        assert_eq!(
            lexicon.canonical("I lost my 12 words").split_whitespace().collect::<Vec<_>>(),
            ["i", "lost", "my", "recovery", "phrase"]
        );
        assert!(lexicon.canonical("如何备份助记词").contains("recovery phrase"));
        assert!(lexicon.canonical("提币一直没到").contains("withdrawal"));
        assert!(lexicon.canonical("my Google Authenticator is gone").contains("two-factor authentication"));
        // Whole words only in Latin script; text without a lexicon word is left as written.
        assert_eq!(lexicon.canonical("gasoline prices"), "gasoline prices");
        assert_eq!(lexicon.canonical("Why does that take so long?"), "Why does that take so long?");
    }

    #[test]
    fn the_other_customer_languages_read_as_the_same_words() {
        let lexicon = Lexicon::shipped();
        assert!(lexicon.canonical("Забыл пароль").contains("password"));
        assert!(lexicon.canonical("olvidé mi contraseña").contains("password"));
        assert!(lexicon.canonical("şifremi unuttum").contains("password"));
        // Kanji are read in simplified script, as questions are.
        assert!(lexicon.canonical(&fast2s::convert("本人確認が却下")).contains("identity verification"));
        // Half of "забыл пароль, помогите" is read; none of "помогите".
        let share = lexicon.share_read("забыл пароль, помогите");
        assert!((0.55..0.65).contains(&share), "{share}");
        assert_eq!(lexicon.share_read("помогите"), 0.0);
    }

    #[test]
    fn an_operators_groups_extend_and_override_the_shipped_ones() {
        let lexicon = Lexicon::extended(&["moonbag | 月亮包".to_owned(), "launchpad | ido | mod".to_owned()]);
        assert!(lexicon.canonical("where is my 月亮包").contains("moonbag"));
        assert!(lexicon.canonical("when is the next IDO").contains("launchpad"));
        // "mod" is staff in the shipped lexicon; this operator reads it otherwise.
        assert!(lexicon.canonical("ask a mod").contains("launchpad"));
        assert!(lexicon.canonical("I lost my 12 words").contains("recovery phrase"));
    }

    #[test]
    fn a_group_of_one_word_is_refused_with_its_line() {
        assert_eq!(
            parse("# comment\n\nseed | mnemonic\nlonely\n").unwrap_err(),
            "line 4: a group needs two words or more, separated by |"
        );
        assert_eq!(parse("a | b # why\n").unwrap(), vec![vec!["a".to_owned(), "b".to_owned()]]);
    }
}
