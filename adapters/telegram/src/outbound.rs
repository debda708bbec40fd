//! `render`: an outbound message as Telegram `sendMessage` requests, and `render_files` its
//! attachments as `sendPhoto`/`sendDocument` requests. Pure.

use std::path::PathBuf;
use switchboard_core::channel::OutboundMessage;
use switchboard_core::channel::split_text;
use switchboard_core::markdown::{self, Format};

/// Telegram's limit on a message's text, in characters after entity parsing.
pub const MAX_LENGTH: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendText {
    pub chat_id: i64,
    pub thread_id: Option<i32>,
    /// HTML parse mode: the message's Markdown as Telegram's HTML (`core::markdown`).
    pub html: String,
    /// The same text without markup, for a resend when Telegram rejects the entities.
    pub plain: String,
    pub reply_to: Option<i32>,
    /// Inline keyboard rows of `(label, callback data)`, on the last part only.
    pub buttons: Vec<Vec<(String, String)>>,
}

/// One file: a photo when Telegram shows that kind inline, else a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFile {
    pub chat_id: i64,
    pub thread_id: Option<i32>,
    pub photo: bool,
    pub path: PathBuf,
    pub filename: String,
    /// Set when the message has no text to carry the reply.
    pub reply_to: Option<i32>,
}

/// Buttons per keyboard row.
const BUTTONS_PER_ROW: usize = 3;

/// One or more requests: the text split at paragraph, line, sentence or word boundaries below
/// the limit; only the first answers the customer's message.
pub fn render(message: &OutboundMessage) -> Result<Vec<SendText>, String> {
    let (chat_id, thread_id, reply_to) = address(message)?;
    if message.body.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parts = split_text(&message.body, MAX_LENGTH);
    let last = parts.len().saturating_sub(1);
    let keyboard: Vec<Vec<(String, String)>> = message
        .buttons
        .chunks(BUTTONS_PER_ROW)
        .map(|row| row.iter().map(|b| (b.label.clone(), b.id.clone())).collect())
        .collect();
    Ok(parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| SendText {
            chat_id,
            thread_id,
            html: markdown::render(&part, Format::Telegram),
            plain: markdown::render(&part, Format::Plain),
            reply_to: if i == 0 { reply_to } else { None },
            buttons: if i == last { keyboard.clone() } else { Vec::new() },
        })
        .collect())
}

/// The message's attachments, after its text; the first answers the customer's message when
/// there is no text.
pub fn render_files(message: &OutboundMessage) -> Result<Vec<SendFile>, String> {
    let (chat_id, thread_id, reply_to) = address(message)?;
    let textless = message.body.trim().is_empty();
    Ok(message
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| SendFile {
            chat_id,
            thread_id,
            // What `sendPhoto` accepts; anything else (GIF, SVG, PDF…) keeps its bytes as a document.
            photo: matches!(a.content_type.as_str(), "image/jpeg" | "image/png" | "image/webp"),
            path: a.path.clone(),
            filename: a.filename.clone(),
            reply_to: if textless && i == 0 { reply_to } else { None },
        })
        .collect())
}

/// Chat, topic and the customer's message being answered.
fn address(message: &OutboundMessage) -> Result<(i64, Option<i32>, Option<i32>), String> {
    let chat_id: i64 = message
        .destination
        .chat
        .parse()
        .map_err(|_| format!("chat {:?} is not a Telegram chat id", message.destination.chat))?;
    let thread_id = message.destination.thread.as_deref().and_then(|t| t.parse().ok());
    let reply_to = message.reply_to.as_deref().and_then(|r| r.rsplit(':').next()).and_then(|m| m.parse().ok());
    Ok((chat_id, thread_id, reply_to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::channel::Destination;

    fn outbound(body: &str) -> OutboundMessage {
        OutboundMessage {
            message_id: 1,
            idempotency_key: "sb-1".into(),
            destination: Destination { chat: "-100123".into(), thread: Some("7".into()) },
            body: body.into(),
            reply_to: Some("-100123:55".into()),
            buttons: Vec::new(),
            attachments: Vec::new(),
            reference: Some("#1001".into()),
            automatic: false,
            bulk: false,
        }
    }

    #[test]
    fn raw_html_is_escaped_and_the_reply_answers_the_customer_in_the_topic() {
        let sent = render(&outbound("1 < 2 & <b>not bold</b>")).unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].html, "1 &lt; 2 &amp; &lt;b&gt;not bold&lt;/b&gt;");
        assert_eq!((sent[0].chat_id, sent[0].thread_id, sent[0].reply_to), (-100123, Some(7), Some(55)));
    }

    #[test]
    fn markdown_becomes_telegram_html_with_bullets_and_a_plain_fallback() {
        let sent = render(&outbound("**Check:**\n\n- the [network](https://x.test/n)\n- the `memo`")).unwrap();
        assert_eq!(
            sent[0].html,
            "<b>Check:</b>\n\n• the <a href=\"https://x.test/n\">network</a> (x.test)\n• the <code>memo</code>"
        );
        assert_eq!(sent[0].plain, "Check:\n\n• the network <https://x.test/n>\n• the memo");
    }

    #[test]
    fn files_follow_the_text_and_only_jpeg_png_webp_go_as_photos() {
        let file = |name: &str, content_type: &str| switchboard_core::channel::OutboundAttachment {
            filename: name.into(),
            content_type: content_type.into(),
            path: PathBuf::from(format!("/data/{name}")),
        };
        let mut message = outbound("see attached");
        message.attachments =
            vec![file("a.png", "image/png"), file("b.gif", "image/gif"), file("c.pdf", "application/pdf")];
        let files = render_files(&message).unwrap();
        assert_eq!(files.iter().map(|f| f.photo).collect::<Vec<_>>(), [true, false, false]);
        assert!(files.iter().all(|f| f.reply_to.is_none() && f.thread_id == Some(7) && f.chat_id == -100123));

        message.body = "  ".into();
        assert!(render(&message).unwrap().is_empty());
        assert_eq!(render_files(&message).unwrap()[0].reply_to, Some(55), "the first file answers instead");
    }

    #[test]
    fn buttons_ride_on_the_last_part_in_rows_of_three() {
        let mut message = outbound(&"x ".repeat(3000));
        message.buttons = (1..=5)
            .map(|n| switchboard_core::model::Button { id: format!("csat:{n}"), label: "★".repeat(n) })
            .collect();
        let sent = render(&message).unwrap();
        assert_eq!(sent.len(), 2);
        assert!(sent[0].buttons.is_empty());
        assert_eq!(sent[1].buttons.len(), 2);
        assert_eq!(sent[1].buttons[0][2], ("★★★".to_owned(), "csat:3".to_owned()));
    }

    #[test]
    fn long_text_is_split_at_paragraphs_then_sentences() {
        let paragraph = "word ".repeat(700); // 3,500 characters
        let text = format!("{}\n\n{}", paragraph.trim(), paragraph.trim());
        let parts = split_text(&text, MAX_LENGTH);
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_LENGTH));
        let chinese = "这是一个句子。".repeat(1000);
        let parts = split_text(&chinese, MAX_LENGTH);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_LENGTH && p.ends_with('。')));
        assert_eq!(parts.concat(), chinese);
        let sent = render(&outbound(&text)).unwrap();
        assert_eq!((sent[0].reply_to, sent[1].reply_to), (Some(55), None));
    }
}
