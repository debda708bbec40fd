//! Pure rendering: an outbound message → the mail to submit. No I/O (files come loaded).

use crate::thread::MailThread;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use switchboard_core::channel::{OutboundMessage, SendError};
use switchboard_core::links::ChoiceLinks;
use switchboard_core::markdown::{self, Format};

/// A file to send, read by the caller.
pub struct File {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The Message-ID of an outbound message: stable across retries (the idempotency key), so a
/// retried submission cannot thread as a different mail; recognisably ours (our domain); and
/// unique beyond this database through the installation's `instance` token, so that a fresh
/// database never reuses an id customers' mail programs already hold.
pub fn message_id(message: &OutboundMessage, instance: &str, domain: &str) -> String {
    format!("{}.{instance}@{domain}", message.idempotency_key)
}

/// Renders one reply: threaded under the customer's mail (In-Reply-To, References, `Re:` and
/// the `[#REF]` tag), text and HTML alternatives, files attached, and marked
/// `Auto-Submitted: auto-replied` when the gateway wrote it. Offered choices are listed,
/// each with its signed link when `links` are given.
pub fn render(
    message: &OutboundMessage,
    from: &Mailbox,
    instance: &str,
    links: Option<&ChoiceLinks>,
    files: Vec<File>,
) -> Result<lettre::Message, SendError> {
    let domain = from.email.domain();
    let to: Mailbox = message
        .destination
        .chat
        .parse()
        .map_err(|e| SendError::Permanent(format!("not a mail address: {}: {e}", message.destination.chat)))?;
    let thread = message.destination.thread.as_deref().map(MailThread::decode).unwrap_or_default();
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject(&thread.subject, message.reference.as_deref()))
        .message_id(Some(format!("<{}>", message_id(message, instance, domain))));
    if let Some(parent) = thread.references.last() {
        builder = builder.in_reply_to(format!("<{parent}>"));
        let chain: Vec<String> = thread.references.iter().map(|r| format!("<{r}>")).collect();
        builder = builder.references(chain.join(" "));
    }
    if message.bulk {
        // An announcement: one reply with `/stop` ends them (RFC 2369); robots answer nothing.
        builder = builder.header(ListUnsubscribe(format!("<mailto:{}?subject=unsubscribe&body=%2Fstop>", from.email)));
        builder = builder.header(AutoSubmitted("auto-generated"));
    } else if message.automatic {
        builder = builder.header(AutoSubmitted("auto-replied"));
    }
    let choices = choices_of(message, links);
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text_of(&message.body, &choices)))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html_of(&message.body, &choices)));
    let body = if files.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for file in files {
            let content_type = ContentType::parse(&file.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").expect("a valid type"));
            mixed = mixed.singlepart(Attachment::new(file.filename).body(file.bytes, content_type));
        }
        mixed
    };
    builder.multipart(body).map_err(|e| SendError::Permanent(format!("mail not built: {e}")))
}

/// `Re: <subject> [#REF]`, without stacking `Re:`, and with the conversation's own tag only: a
/// tag the customer's subject carried for another ticket (someone else's, quoted) is dropped,
/// so it is neither disclosed back nor lets mail clients thread two tickets together.
fn subject(original: &str, reference: Option<&str>) -> String {
    let untagged = without_reference_tags(original);
    let mut base = untagged.trim();
    loop {
        let lower = base.to_ascii_lowercase();
        let stripped = ["re:", "aw:", "sv:", "回复:", "回复：", "答复:", "答复："]
            .iter()
            .find(|p| lower.starts_with(&p.to_ascii_lowercase()))
            .map(|p| base[p.len()..].trim_start());
        match stripped {
            Some(rest) => base = rest,
            None => break,
        }
    }
    let mut subject = if base.is_empty() { String::new() } else { format!("Re: {base}") };
    if let Some(reference) = reference {
        if !subject.is_empty() {
            subject.push(' ');
        }
        subject.push_str(&format!("[{reference}]"));
    }
    subject
}

/// `text` without `[#REF]` tags (`#` and letters or digits in brackets), spaces tidied.
fn without_reference_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[#") {
        let tail = &rest[at + 2..];
        let end = tail.find(']');
        match end {
            Some(end) if end > 0 && tail[..end].chars().all(|c| c.is_alphanumeric()) => {
                out.push_str(&rest[..at]);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An offered choice as mail shows it: its label, and the link that confirms it, if any.
struct Choice {
    label: String,
    url: Option<String>,
}

fn choices_of(message: &OutboundMessage, links: Option<&ChoiceLinks>) -> Vec<Choice> {
    let url = |i: usize| links.map(|links| links.url(message.message_id, i));
    message.buttons.iter().enumerate().map(|(i, b)| Choice { label: b.label.clone(), url: url(i) }).collect()
}

/// The text, with offered choices as a numbered list (mail has no buttons: the customer
/// follows a choice's link, or answers with the number or the words).
/// The text part: the message's Markdown as plain text (bullets, links with their address).
fn text_of(body: &str, choices: &[Choice]) -> String {
    let mut text = markdown::render(body, Format::Plain);
    for (i, choice) in choices.iter().enumerate() {
        text.push_str(&format!("\n{}. {}", i + 1, choice.label));
        if let Some(url) = &choice.url {
            text.push_str(&format!("  {url}"));
        }
    }
    text
}

/// The HTML part: the message's Markdown as sanitized HTML, the choices as a list of links.
fn html_of(body: &str, choices: &[Choice]) -> String {
    let escape =
        |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut paragraphs = vec![markdown::render(body, Format::Html)];
    if !choices.is_empty() {
        let items: Vec<String> = choices
            .iter()
            .map(|choice| match &choice.url {
                Some(url) => format!("<li><a href=\"{}\">{}</a></li>", escape(url), escape(&choice.label)),
                None => format!("<li>{}</li>", escape(&choice.label)),
            })
            .collect();
        paragraphs.push(format!("<ol>\n{}\n</ol>", items.join("\n")));
    }
    format!("<!DOCTYPE html>\n<html><body>\n{}\n</body></html>\n", paragraphs.join("\n"))
}

/// `Auto-Submitted: auto-replied` (or `auto-generated`, for an announcement) (RFC 3834): other
/// robots must not answer it.
#[derive(Clone)]
struct AutoSubmitted(&'static str);

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted("auto-replied"))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.into())
    }
}

/// `List-Unsubscribe` (RFC 2369): how a customer stops announcements from their mail client.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(value.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::channel::Destination;
    use switchboard_core::model::Button;

    fn outbound(automatic: bool) -> OutboundMessage {
        OutboundMessage {
            message_id: 7,
            idempotency_key: "sb-7".into(),
            destination: Destination {
                chat: "alice@customer.test".into(),
                thread: Some(
                    MailThread {
                        subject: "Re: Deposit <missing>".into(),
                        references: vec!["a0@c.test".into(), "a1@c.test".into()],
                    }
                    .encode(),
                ),
            },
            body: "1 < 2 & your deposit\n\narrived".into(),
            reply_to: None,
            buttons: vec![Button { id: "a".into(), label: "Yes".into() }],
            attachments: Vec::new(),
            reference: Some("#1042".into()),
            automatic,
            bulk: false,
        }
    }

    fn rendered(message: &OutboundMessage) -> String {
        let from: Mailbox = "Support <support@support.test>".parse().unwrap();
        String::from_utf8(render(message, &from, "k3x9", None, Vec::new()).unwrap().formatted()).unwrap()
    }

    #[test]
    fn a_reply_threads_under_the_customers_mail() {
        let mail = rendered(&outbound(false));
        assert!(mail.contains("Subject: Re: Deposit <missing> [#1042]"), "{mail}");
        assert!(mail.contains("Message-ID: <sb-7.k3x9@support.test>"), "{mail}");
        assert!(mail.contains("In-Reply-To: <a1@c.test>"), "{mail}");
        assert!(mail.contains("References: <a0@c.test> <a1@c.test>"), "{mail}");
        assert!(!mail.contains("Auto-Submitted"), "{mail}");
        assert!(mail.contains("text/html"), "{mail}");
        assert!(mail.contains("1 &lt; 2 &amp; your deposit"), "{mail}");
        assert!(mail.contains("1. Yes"), "{mail}");
    }

    #[test]
    fn offered_choices_become_signed_links_in_both_parts() {
        let links = ChoiceLinks::new([1; 32], "https://help.example.com");
        let from: Mailbox = "Support <support@support.test>".parse().unwrap();
        let mail = render(&outbound(false), &from, "k3x9", Some(&links), Vec::new()).unwrap();
        let mail = String::from_utf8(mail.formatted()).unwrap();
        let token = links.token(7, 0);
        assert!(links.verify(&token) == Some((7, 0)));
        // Quoted-printable may wrap long lines: compare without soft breaks.
        let flat = mail.replace("=\r\n", "").replace("=3D", "=");
        assert!(flat.contains(&format!("1. Yes  https://help.example.com/choice/{token}")), "{flat}");
        assert!(
            flat.contains(&format!("<li><a href=\"https://help.example.com/choice/{token}\">Yes</a></li>")),
            "{flat}"
        );
    }

    #[test]
    fn an_announcement_offers_to_unsubscribe_with_a_stop() {
        let mail = rendered(&OutboundMessage { bulk: true, ..outbound(true) });
        assert!(mail.contains("List-Unsubscribe: <mailto:"), "{mail}");
        assert!(mail.contains("?subject=unsubscribe&body=%2Fstop>"), "{mail}");
        assert!(mail.contains("Auto-Submitted: auto-generated"), "{mail}");
        assert!(!rendered(&outbound(true)).contains("List-Unsubscribe"));
    }

    #[test]
    fn the_gateways_own_mail_is_marked_automatic() {
        assert!(rendered(&outbound(true)).contains("Auto-Submitted: auto-replied"));
    }

    #[test]
    fn a_reply_carries_only_its_own_conversations_tag() {
        assert_eq!(subject("Re: Deposit missing [#1001]", Some("#1005")), "Re: Deposit missing [#1005]");
        assert_eq!(subject("[#1001] help [#1002] now", Some("#1005")), "Re: help now [#1005]");
        assert_eq!(subject("Re: Deposit [#1005]", Some("#1005")), "Re: Deposit [#1005]");
        assert_eq!(subject("price [#not a tag] [#] ok", None), "Re: price [#not a tag] [#] ok");
    }

    #[test]
    fn subjects_do_not_stack() {
        assert_eq!(subject("RE: Re: help [#1042]", Some("#1042")), "Re: help [#1042]");
        assert_eq!(subject("", Some("#1042")), "[#1042]");
        assert_eq!(subject("回复：充值", None), "Re: 充值");
    }
}
