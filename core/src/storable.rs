//! Text made storable on both backends: PostgreSQL refuses U+0000 in text (and the batch it
//! is in), SQLite keeps it, nothing a person reads needs it. Every text from outside passes
//! here before the writer sees it, whichever channel or route it came by. A token or any other
//! customer-chosen key is stored as its hash (`hash`), never as itself.

use crate::ingest::Inbound;

/// The SHA-256 of `token`, in hex: what is stored of a token or any other customer-chosen key.
pub fn hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `text` without NUL characters.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\0') { text.replace('\0', "").into() } else { text.into() }
}

/// `clean`, in place.
pub fn clean_in_place(text: &mut String) {
    if text.contains('\0') {
        text.retain(|c| c != '\0');
    }
}

/// Every text of a platform message: body, ids, names, hints, files' names and types.
pub(crate) fn clean_inbound(inbound: &mut Inbound) {
    clean_in_place(&mut inbound.external_id);
    clean_in_place(&mut inbound.chat);
    if let Some(thread) = &mut inbound.thread {
        clean_in_place(thread);
    }
    clean_in_place(&mut inbound.sender.external_id);
    clean_in_place(&mut inbound.sender.display_name);
    if let Some(hint) = &mut inbound.sender.lang_hint {
        clean_in_place(hint);
    }
    clean_in_place(&mut inbound.body);
    for file in &mut inbound.attachments {
        clean_in_place(&mut file.filename);
        clean_in_place(&mut file.content_type);
    }
    if let crate::ingest::Threading::Explicit { references, .. } = &mut inbound.threading {
        references.iter_mut().for_each(clean_in_place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_removed_and_everything_else_kept() {
        assert_eq!(clean("a\0b\u{0}c 助记词 \u{1F600}"), "abc 助记词 \u{1F600}");
        assert!(matches!(clean("plain"), std::borrow::Cow::Borrowed(_)));
        let mut s = String::from("\0\0x\0");
        clean_in_place(&mut s);
        assert_eq!(s, "x");
    }
}
