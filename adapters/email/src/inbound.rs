//! Pure normalization: raw RFC 5322 bytes → the core's `Inbound`. No I/O.
//!
//! What a support desk needs from a mail: who wrote (Reply-To before From), what is new in it
//! (the quoted previous message and the signature cut off, the full text kept as an
//! attachment for agents), its files, how it threads (Message-ID, In-Reply-To, References,
//! the `[#REF]` tag), and whether a machine sent it (RFC 3834), so that it is never answered.

use crate::thread::MailThread;
use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders, PartType};
use switchboard_core::ingest::{Inbound, Sender, Threading, TooLarge};
use switchboard_core::model::InboundAttachment;
use switchboard_core::model::{ChannelKind, Reference};

/// Who a mail without a usable From address is filed under.
const UNKNOWN_SENDER: &str = "unknown-sender@invalid";

/// What one raw mail becomes.
#[derive(Debug)]
pub struct Normalized {
    pub inbound: Inbound,
}

/// Limits and names the pure step needs from configuration.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Our own address: mail from it is a loop, never answered.
    pub own_address: String,
    pub max_attachment_bytes: u64,
    /// File name of the full original text kept for agents (localized by the caller).
    pub original_name: String,
    /// Body shown to agents for a mail that cannot be parsed at all.
    pub unreadable_body: String,
}

/// Parses and normalizes one mail. A mail that cannot be parsed at all still becomes a
/// message: its raw bytes attached, a notice as its body, so it never blocks the mailbox.
pub fn normalize(raw: &[u8], rules: &Rules) -> Normalized {
    // The parser is lenient: anything with a header is read as a mail. What yields neither
    // text nor files is kept raw instead, so that nothing a customer sent is lost.
    match MessageParser::default().parse(raw) {
        Some(message) if !message.headers().is_empty() => {
            let normalized = normalize_parsed(&message, raw, rules);
            let empty = normalized.inbound.body.trim().is_empty() && normalized.inbound.attachments.is_empty();
            if empty { unreadable(raw, rules) } else { normalized }
        }
        _ => unreadable(raw, rules),
    }
}

fn normalize_parsed(message: &mail_parser::Message<'_>, raw: &[u8], rules: &Rules) -> Normalized {
    let from = message.from().and_then(Address::first);
    let reply_to = message.reply_to().and_then(Address::first).and_then(|a| a.address());
    let sender_address = from.and_then(|a| a.address()).map(|a| a.trim().to_lowercase()).filter(|a| a.contains('@'));
    // No sender to answer: kept for agents under a placeholder, never answered.
    let anonymous = sender_address.is_none();
    let sender_address = sender_address.unwrap_or_else(|| UNKNOWN_SENDER.to_owned());
    let address =
        reply_to.map(|a| a.trim().to_lowercase()).filter(|a| a.contains('@')).unwrap_or_else(|| sender_address.clone());
    let display_name = from.and_then(|a| a.name()).map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&address);

    let subject = message.subject().unwrap_or_default().trim().to_owned();
    let subject = repair_mislabeled(&subject).unwrap_or(subject);
    let message_id = message.message_id().map(str::to_owned).unwrap_or_else(|| synthetic_id(raw));
    let mut references: Vec<String> = ids_of(message.references());
    for id in ids_of(message.in_reply_to()) {
        if !references.contains(&id) {
            references.push(id);
        }
    }
    let tagged = tag_of(&subject);

    let full_text = body_text(message);
    let (new_text, trimmed) = crate::quote::split(&full_text);
    let mut attachments = Vec::new();
    let mut too_large = Vec::new();
    for part in message.attachments() {
        let bytes: &[u8] = match &part.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => b,
            PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
            PartType::Message(m) => m.raw_message(),
            PartType::Multipart(_) => continue,
        };
        let filename = part.attachment_name().map(str::to_owned).unwrap_or_else(|| "attachment".into());
        if bytes.len() as u64 > rules.max_attachment_bytes {
            too_large.push(filename);
            continue;
        }
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{}", c.ctype(), sub),
                None => c.ctype().to_owned(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        attachments.push(InboundAttachment { filename, content_type, bytes: bytes.to_vec() });
    }
    if trimmed {
        // Agents keep the whole mail; secrets in it are redacted like the body's.
        let original = switchboard_core::safety::redact(&full_text).text;
        attachments.push(InboundAttachment {
            filename: rules.original_name.clone(),
            content_type: "text/plain; charset=utf-8".into(),
            bytes: original.into_bytes(),
        });
    }
    let body = if new_text.trim().is_empty() && attachments.is_empty() { subject.clone() } else { new_text };

    // Replies thread on everything this mail knows of, ending with the mail itself.
    let mut chain = references.clone();
    chain.push(message_id.clone());
    let thread = MailThread { subject: subject.clone(), references: chain }.encode();

    let automated = anonymous || is_automated(message, &sender_address, &rules.own_address);
    // The language the mail says it is written in (RFC 3282), its first one: a hint, as a
    // browser's or Telegram's.
    let lang_hint = message
        .header_raw("Content-Language")
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 35 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    Normalized {
        inbound: Inbound {
            channel: ChannelKind::Email,
            external_id: message_id,
            chat: address.clone(),
            thread: Some(thread),
            sender: Sender { external_id: address.clone(), display_name: display_name.to_owned(), lang_hint },
            body,
            attachments,
            too_large: TooLarge { files: too_large, limit: rules.max_attachment_bytes },
            threading: Threading::Explicit { references, tagged },
            automated,
            choice: None,
        },
    }
}

/// A mail that cannot be parsed: kept raw (lossily decoded, secrets redacted) for agents.
fn unreadable(raw: &[u8], rules: &Rules) -> Normalized {
    let text = String::from_utf8_lossy(raw);
    let sender = crate::quote::header_address(&text).unwrap_or_else(|| UNKNOWN_SENDER.into());
    let original = switchboard_core::safety::redact(&text).text;
    Normalized {
        inbound: Inbound {
            channel: ChannelKind::Email,
            external_id: synthetic_id(raw),
            chat: sender.clone(),
            thread: Some(MailThread::default().encode()),
            sender: Sender { external_id: sender.clone(), display_name: sender, lang_hint: None },
            body: rules.unreadable_body.clone(),
            attachments: vec![InboundAttachment {
                filename: "original.eml.txt".into(),
                content_type: "text/plain; charset=utf-8".into(),
                bytes: original.into_bytes(),
            }],
            too_large: Default::default(),
            threading: Threading::Explicit { references: Vec::new(), tagged: None },
            // Nothing can be known of who sent it: no automatic answer.
            automated: true,
            choice: None,
        },
    }
}

/// The new text of a mail: text/plain when there is one, else its HTML made readable.
fn body_text(message: &mail_parser::Message<'_>) -> String {
    let text = message.text_bodies().find_map(|p| match &p.body {
        PartType::Text(text) => Some(text.replace("\r\n", "\n")),
        _ => None,
    });
    let html = || {
        message.html_bodies().find_map(|p| match &p.body {
            PartType::Html(html) => Some(html_to_text(html)),
            _ => None,
        })
    };
    let body = text.or_else(html).unwrap_or_default();
    repair_mislabeled(&body).unwrap_or(body)
}

/// Mail programs label UTF-8 text as ISO-8859-1 or windows-1252 often enough that customers
/// see "Ã©" for "é" and "å……" for "充". Decoded that way, the text maps back to bytes
/// exactly; when those bytes are valid UTF-8 beyond ASCII, the label lied.
pub(crate) fn repair_mislabeled(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    String::from_utf8(bytes.into_owned()).ok()
}

pub(crate) fn html_to_text(html: &str) -> String {
    html2text::config::plain()
        .string_from_read(html.as_bytes(), 100)
        .unwrap_or_else(|_| html.to_owned())
        .trim()
        .to_owned()
}

/// Message ids in a header, without angle brackets.
fn ids_of(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The conversation a subject's `[#REF]` tag names.
fn tag_of(subject: &str) -> Option<i64> {
    let mut rest = subject;
    while let Some(at) = rest.find("[#") {
        let after = &rest[at + 2..];
        if let Some(reference) = after.find(']').and_then(|end| Reference::parse(&after[..end])) {
            return Some(reference.0);
        }
        rest = after;
    }
    None
}

/// RFC 3834 and the usual signs of machine-sent mail: never answered automatically.
fn is_automated(message: &mail_parser::Message<'_>, sender: &str, own: &str) -> bool {
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    let auto_submitted = header("Auto-Submitted").is_some_and(|v| !v.starts_with("no"));
    let precedence = header("Precedence").is_some_and(|v| ["bulk", "list", "junk"].iter().any(|p| v.starts_with(p)));
    let list = message.header_raw("List-Id").is_some() || message.header_raw("List-Unsubscribe").is_some();
    let auto_reply_headers = ["X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"]
        .iter()
        .any(|h| header(h).is_some_and(|v| !v.is_empty() && v != "no" && v != "none"));
    let report = message.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart") && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let local = sender.split('@').next().unwrap_or_default();
    let daemon = ["mailer-daemon", "postmaster"].contains(&local);
    let null_sender = header("Return-Path").is_some_and(|v| v == "<>");
    let own = !own.is_empty() && sender.eq_ignore_ascii_case(own);
    auto_submitted || precedence || list || auto_reply_headers || report || daemon || null_sender || own
}

/// An id for a mail without Message-ID: the same bytes always get the same id (dedupe).
fn synthetic_id(raw: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(raw);
    let hex: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}@no-message-id.invalid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            own_address: "support@support.test".into(),
            max_attachment_bytes: 1024,
            original_name: "original message.txt".into(),
            unreadable_body: "[unreadable]".into(),
        }
    }

    #[test]
    fn content_language_is_the_senders_language_hint() {
        let raw = "From: Rui <rui@customer.test>\r\nTo: support@support.test\r\nSubject: Depósito\r\n\
                   Message-ID: <p1@customer.test>\r\nContent-Language: pt-BR, en\r\n\r\nMeu depósito não caiu.\r\n";
        assert_eq!(normalize(raw.as_bytes(), &rules()).inbound.sender.lang_hint.as_deref(), Some("pt-BR"));
        let none = raw.replace("Content-Language: pt-BR, en\r\n", "");
        assert_eq!(normalize(none.as_bytes(), &rules()).inbound.sender.lang_hint, None);
    }

    #[test]
    fn a_reply_threads_on_its_references_and_tag_and_keeps_only_the_new_text() {
        let raw = "From: Alice <Alice@Customer.test>\r\nTo: support@support.test\r\nSubject: Re: Deposit missing [#1042]\r\n\
                   Message-ID: <r1@customer.test>\r\nIn-Reply-To: <sb-7.7@support.test>\r\nReferences: <a0@customer.test> <sb-7.7@support.test>\r\n\
                   \r\nStill not there.\r\n\r\nOn Mon, 23 Nov 2026, Support wrote:\r\n> We received your message.\r\n";
        let n = normalize(raw.as_bytes(), &rules());
        let i = n.inbound;
        assert_eq!(i.external_id, "r1@customer.test");
        assert_eq!(i.chat, "alice@customer.test");
        assert_eq!(i.sender.display_name, "Alice");
        assert_eq!(i.body, "Still not there.");
        assert_eq!(
            i.threading,
            Threading::Explicit {
                references: vec!["a0@customer.test".into(), "sb-7.7@support.test".into()],
                tagged: Some(42)
            }
        );
        assert!(!i.automated);
        assert_eq!(i.attachments.len(), 1, "the full original is kept for agents");
        let thread = MailThread::decode(i.thread.as_deref().unwrap());
        assert_eq!(thread.subject, "Re: Deposit missing [#1042]");
        assert_eq!(thread.references.last().unwrap(), "r1@customer.test");
    }

    #[test]
    fn machines_are_recognised() {
        for extra in [
            "Auto-Submitted: auto-replied\r\n",
            "Precedence: bulk\r\n",
            "List-Id: <news.example.com>\r\n",
            "X-Autoreply: yes\r\n",
        ] {
            let raw =
                format!("From: a@b.test\r\nSubject: Out of office\r\nMessage-ID: <x@b.test>\r\n{extra}\r\nAway.\r\n");
            assert!(normalize(raw.as_bytes(), &rules()).inbound.automated, "{extra}");
        }
        let bounce = "From: MAILER-DAEMON@b.test\r\nSubject: Undelivered\r\nMessage-ID: <y@b.test>\r\n\r\nfailed\r\n";
        assert!(normalize(bounce.as_bytes(), &rules()).inbound.automated);
        let own = "From: support@support.test\r\nSubject: x\r\nMessage-ID: <z@b.test>\r\n\r\nloop\r\n";
        assert!(normalize(own.as_bytes(), &rules()).inbound.automated);
        let person = "From: a@b.test\r\nSubject: Help\r\nAuto-Submitted: no\r\nMessage-ID: <p@b.test>\r\n\r\nhelp\r\n";
        assert!(!normalize(person.as_bytes(), &rules()).inbound.automated);
    }

    #[test]
    fn html_only_mail_becomes_readable_text() {
        let raw = "From: a@b.test\r\nSubject: Help\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>My <b>withdrawal</b> &amp; deposit</p><p>are stuck</p>\r\n";
        let body = normalize(raw.as_bytes(), &rules()).inbound.body;
        assert!(body.contains("My withdrawal & deposit"), "{body}");
        assert!(body.contains("are stuck"), "{body}");
        assert!(!body.contains('<'), "{body}");
    }

    #[test]
    fn a_charset_label_that_lies_is_seen_through() {
        let mut raw = b"From: a@b.test\r\nSubject: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n".to_vec();
        raw.extend_from_slice("充值没有到账 – dépôt".as_bytes());
        assert_eq!(normalize(&raw, &rules()).inbound.body, "充值没有到账 – dépôt");
        // Real Latin-1 stays as it is.
        let mut raw = b"From: a@b.test\r\nSubject: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n".to_vec();
        raw.extend_from_slice(b"d\xe9p\xf4t non cr\xe9dit\xe9");
        assert_eq!(normalize(&raw, &rules()).inbound.body, "dépôt non crédité");
    }

    #[test]
    fn garbage_is_kept_raw_and_never_answered() {
        let n = normalize(b"\xff\xfe not a mail at all", &rules());
        assert_eq!(n.inbound.body, "[unreadable]");
        assert!(n.inbound.automated);
        assert_eq!(n.inbound.attachments.len(), 1);
        // The same bytes get the same id: fetched twice, stored once.
        assert_eq!(n.inbound.external_id, normalize(b"\xff\xfe not a mail at all", &rules()).inbound.external_id);
    }

    #[test]
    fn oversized_attachments_are_named_not_stored() {
        let big = "A".repeat(4000);
        let raw = format!(
            "From: a@b.test\r\nSubject: files\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
             --XX\r\nContent-Type: text/plain\r\n\r\nsee files\r\n--XX\r\nContent-Type: application/pdf\r\n\
             Content-Disposition: attachment; filename=big.pdf\r\n\r\n{big}\r\n--XX\r\nContent-Type: image/png\r\n\
             Content-Disposition: attachment; filename=small.png\r\n\r\nPNG\r\n--XX--\r\n"
        );
        let n = normalize(raw.as_bytes(), &rules());
        assert_eq!(n.inbound.too_large.files, vec!["big.pdf".to_owned()]);
        assert_eq!(n.inbound.attachments.len(), 1);
        assert_eq!(n.inbound.attachments[0].filename, "small.png");
        assert_eq!(n.inbound.attachments[0].content_type, "image/png");
    }
}
