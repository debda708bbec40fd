//! Pure rendering: an outbound message → the message payloads to post. No I/O.

use serde_json::{Value, json};
use switchboard_core::channel::{OutboundAttachment, OutboundMessage, split_text};
use switchboard_core::markdown::{self, Format};

/// Discord refuses message content over 2,000 characters.
pub const MAX_LENGTH: usize = 2000;
/// Discord allows ten files on one message.
const MAX_FILES: usize = 10;
/// Five buttons to an action row, five rows to a message.
const BUTTONS_PER_ROW: usize = 5;

/// One message to post: its JSON payload and the files that go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub payload: Value,
    pub files: Vec<OutboundAttachment>,
}

/// The message's Markdown as Discord's (`core::markdown`: links only to http and https, shown
/// with their host), split at 2,000 characters; the first part answers the customer's message,
/// the last carries the buttons; files follow in messages of ten. Nobody is ever pinged:
/// customer text may contain `@everyone`.
pub fn render(message: &OutboundMessage) -> Vec<Part> {
    let mut parts: Vec<Part> = split_text(&markdown::render(&message.body, Format::Discord), MAX_LENGTH)
        .into_iter()
        .filter(|text| !text.is_empty())
        .map(|text| Part {
            payload: json!({ "content": text, "allowed_mentions": { "parse": [] } }),
            files: Vec::new(),
        })
        .collect();
    let reply_to =
        message.reply_to.as_deref().and_then(|r| r.rsplit(':').next()).filter(|id| id.parse::<u64>().is_ok());
    if let (Some(first), Some(id)) = (parts.first_mut(), reply_to) {
        first.payload["message_reference"] = json!({ "message_id": id, "fail_if_not_exists": false });
    }
    if !message.buttons.is_empty() {
        let rows: Vec<Value> = message
            .buttons
            .chunks(BUTTONS_PER_ROW)
            .take(5)
            .map(|row| {
                let buttons: Vec<Value> = row
                    .iter()
                    .map(|b| json!({ "type": 2, "style": 2, "label": truncate(&b.label, 80), "custom_id": b.id }))
                    .collect();
                json!({ "type": 1, "components": buttons })
            })
            .collect();
        if parts.is_empty() {
            parts.push(Part { payload: json!({ "allowed_mentions": { "parse": [] } }), files: Vec::new() });
        }
        parts.last_mut().expect("a part").payload["components"] = Value::Array(rows);
    }
    for files in message.attachments.chunks(MAX_FILES) {
        let attachments: Vec<Value> =
            files.iter().enumerate().map(|(i, f)| json!({ "id": i, "filename": f.filename })).collect();
        parts.push(Part {
            payload: json!({ "attachments": attachments, "allowed_mentions": { "parse": [] } }),
            files: files.to_vec(),
        });
    }
    parts
}

fn truncate(text: &str, limit: usize) -> String {
    text.chars().take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::channel::Destination;
    use switchboard_core::model::Button;

    fn outbound(body: &str) -> OutboundMessage {
        OutboundMessage {
            message_id: 1,
            idempotency_key: "sb-1".into(),
            destination: Destination { chat: "1234".into(), thread: None },
            body: body.into(),
            reply_to: Some("1234:5678".into()),
            buttons: Vec::new(),
            attachments: Vec::new(),
            reference: Some("#1001".into()),
            automatic: false,
            bulk: false,
        }
    }

    #[test]
    fn markdown_is_rendered_mentions_and_spoilers_stay_text_and_nobody_is_pinged() {
        let parts = render(&outbound(
            "**bold** @everyone <@123> `code` ~~x~~ ||spoiler|| [link](http://x.test/a) [bad](javascript:x)\n\n> a quote\n\n- one\n- two",
        ));
        assert_eq!(parts.len(), 1);
        let payload = &parts[0].payload;
        assert_eq!(
            payload["content"],
            "**bold** \\@everyone \\<\\@123> `code` ~~x~~ \\|\\|spoiler\\|\\| [link](<http://x.test/a>) (x.test) bad\n\n> a quote\n\n- one\n- two"
        );
        assert_eq!(payload["allowed_mentions"]["parse"], json!([]));
        assert_eq!(payload["message_reference"]["message_id"], "5678");
    }

    #[test]
    fn long_text_splits_at_2000_and_buttons_ride_on_the_last_part() {
        let mut message = outbound(&"Withdrawal pending. ".repeat(250));
        message.buttons = (0..7).map(|i| Button { id: format!("b{i}"), label: format!("Choice {i}") }).collect();
        let parts = render(&message);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.payload["content"].as_str().unwrap().chars().count() <= MAX_LENGTH));
        assert!(parts[1].payload.get("message_reference").is_none());
        let rows = parts[2].payload["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["components"].as_array().unwrap().len(), 5);
        assert_eq!(rows[1]["components"][1]["custom_id"], "b6");
    }

    #[test]
    fn files_follow_the_text() {
        let mut message = outbound("Your statement");
        message.attachments = vec![OutboundAttachment {
            filename: "statement.pdf".into(),
            content_type: "application/pdf".into(),
            path: "/tmp/x".into(),
        }];
        let parts = render(&message);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].payload["attachments"][0]["filename"], "statement.pdf");
        assert_eq!(parts[1].files.len(), 1);
    }
}
