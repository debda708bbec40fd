//! Telling a mail's new text from the quoted previous message and the signature. Mail
//! programs mark them in a handful of ways; what is cut is kept whole for agents.

/// Lines that begin the quoted previous message, whatever follows them.
const QUOTE_HEADERS: &[&str] = &[
    "-----original message-----",
    "----- original message -----",
    "-----邮件原件-----",
    "-----原始邮件-----",
    "________________________________",
];

/// The new text and whether anything (a quote, a signature) was cut from it.
pub fn split(text: &str) -> (String, bool) {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        let attribution = is_attribution(trimmed, lines.get(i + 1).map(|l| l.trim()));
        let quote_block = trimmed.starts_with('>')
            && lines[i..].iter().all(|l| l.trim().is_empty() || l.trim_start().starts_with('>'));
        // "-- " is the standard signature separator (RFC 3676).
        let signature = *line == "-- " || *line == "--";
        if attribution || quote_block || signature || QUOTE_HEADERS.iter().any(|h| lower.starts_with(h)) {
            end = i;
            break;
        }
    }
    let new: Vec<&str> = lines[..end].to_vec();
    let cut = end < lines.len();
    (new.join("\n").trim().to_owned(), cut)
}

/// "On Mon, 23 Nov 2026 at 10:00, Alice <a@b> wrote:" (possibly wrapped over two lines),
/// "在 2026年11月23日，Alice 写道：", "Le … a écrit :", "Am … schrieb …:".
fn is_attribution(line: &str, next: Option<&str>) -> bool {
    let ends = |l: &str| {
        let l = l.to_lowercase();
        l.ends_with("wrote:")
            || l.ends_with("写道：")
            || l.ends_with("写道:")
            || l.ends_with("寫道：")
            || l.ends_with("a écrit :")
            || l.ends_with("a écrit:")
            || l.ends_with("schrieb:")
    };
    let starts = |l: &str| {
        let l = l.to_lowercase();
        l.starts_with("on ") || l.starts_with("在") || l.starts_with("le ") || l.starts_with("am ")
    };
    (starts(line) && ends(line)) || (starts(line) && next.is_some_and(|n| ends(n) && !n.is_empty()))
}

/// The From address of a mail too broken to parse, if a From line can still be read.
pub fn header_address(text: &str) -> Option<String> {
    let line = text.lines().take_while(|l| !l.is_empty()).find(|l| l.to_ascii_lowercase().starts_with("from:"))?;
    let value = &line[5..];
    let address = match (value.find('<'), value.find('>')) {
        (Some(a), Some(b)) if a < b => &value[a + 1..b],
        _ => value,
    };
    let address = address.trim().to_lowercase();
    address.contains('@').then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_signatures_are_cut() {
        let (new, cut) =
            split("Thanks, it worked.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@x> wrote:\n> Try again\n");
        assert_eq!((new.as_str(), cut), ("Thanks, it worked.", true));
        let (new, _) = split("Still stuck\n-- \nAlice\nCEO");
        assert_eq!(new, "Still stuck");
        let (new, _) = split("还是没到账\n\n在 2026年11月23日 10:00，客服 <s@x> 写道：\n> 请稍候\n");
        assert_eq!(new, "还是没到账");
        let (new, _) = split("see below\n-----Original Message-----\nFrom: x");
        assert_eq!(new, "see below");
        let (new, _) = split("On the 5th I sent 2 ETH\n> quoted\nand this is my answer inline");
        assert_eq!(new, "On the 5th I sent 2 ETH\n> quoted\nand this is my answer inline", "inline answers stay");
        let (new, cut) = split("plain");
        assert_eq!((new.as_str(), cut), ("plain", false));
    }

    #[test]
    fn a_from_line_is_read_from_broken_mail() {
        assert_eq!(header_address("From: Bob <Bob@X.test>\nbroken"), Some("bob@x.test".into()));
        assert_eq!(header_address("garbage"), None);
    }
}
