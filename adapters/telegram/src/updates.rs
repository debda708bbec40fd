//! `getUpdates` answers read update by update: one update that cannot be read (a lone UTF-16
//! surrogate escape such as `"\ud800"`, a field of an unexpected shape) is repaired or set
//! aside alone and never fails the others. Nothing here logs an update's text: it carries
//! customers' messages, secrets included.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use teloxide::types::Update;

/// What a `getUpdates` call answered.
#[derive(Debug)]
pub enum Answer {
    Updates(Batch),
    /// 429: wait this many seconds.
    RetryAfter(u64),
    /// `ok: false`, or an answer that is not the Bot API's envelope.
    Failed(String),
}

/// The updates of one answer, in order.
#[derive(Debug, Default)]
pub struct Batch {
    pub updates: Vec<Update>,
    /// Updates that could not be read even after repair, with what could be learned of them.
    pub unreadable: Vec<Unreadable>,
    /// The highest `update_id` of the answer, readable or not: the next offset is past it.
    pub last_id: Option<i64>,
}

/// What is known of an update that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub update_id: i64,
    /// The chat and message, when the update is a message whose ids could still be read.
    pub chat: Option<i64>,
    pub message_id: Option<i64>,
    /// The sender's id and name, likewise.
    pub from: Option<(i64, String)>,
    /// Why it could not be read (the parser's words: a position and a kind, no text).
    pub reason: String,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    ok: bool,
    #[serde(borrow, default)]
    result: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
}

/// Reads a `getUpdates` answer's body.
pub fn read_answer(body: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(body);
    let text = repair_surrogates(&text);
    let envelope: Envelope = match serde_json::from_str(&text) {
        Ok(envelope) => envelope,
        Err(error) => return Answer::Failed(format!("not a Bot API answer ({error})")),
    };
    if !envelope.ok {
        if let Some(seconds) = envelope.parameters.and_then(|p| p.retry_after) {
            return Answer::RetryAfter(seconds);
        }
        let code = envelope.error_code.map(|c| c.to_string()).unwrap_or_default();
        return Answer::Failed(format!("{code} {}", envelope.description.unwrap_or_default()).trim().to_owned());
    }
    let mut batch = Batch::default();
    for raw in envelope.result.unwrap_or_default() {
        match read_update(raw.get()) {
            Ok(update) => {
                batch.last_id = batch.last_id.max(Some(i64::from(update.id.0)));
                batch.updates.push(update);
            }
            Err(Some(unreadable)) => {
                batch.last_id = batch.last_id.max(Some(unreadable.update_id));
                batch.unreadable.push(unreadable);
            }
            // Without even an id there is nothing to skip past or to tell.
            Err(None) => {}
        }
    }
    Answer::Updates(batch)
}

/// One update as a webhook receives it: read like each of a `getUpdates` answer's. `None`:
/// not an update at all.
pub fn read_one(body: &[u8]) -> Result<Update, Option<Unreadable>> {
    let text = String::from_utf8_lossy(body);
    read_update(&repair_surrogates(&text))
}

/// One update's text (already repaired) as an `Update`, or what can be learned of it.
fn read_update(text: &str) -> Result<Update, Option<Unreadable>> {
    // teloxide reads an update whose content it cannot parse as `UpdateKind::Error`.
    // teloxide panics on some shapes instead of refusing them (found by fuzzing: a
    // `message_reaction` with neither `user` nor `actor_chat`); such an update is unreadable
    // like any other, never the end of the polling task.
    let parsed = std::panic::catch_unwind(|| serde_json::from_str::<Update>(text));
    let reason = match parsed {
        Ok(Ok(update)) if !matches!(update.kind, teloxide::types::UpdateKind::Error(_)) => return Ok(update),
        Ok(Ok(_)) => "of a kind or shape this version does not read".to_owned(),
        Ok(Err(error)) => format!("{:?} at line {} column {}", error.classify(), error.line(), error.column()),
        Err(_) => "its reading failed inside the Bot API library".to_owned(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| None)?;
    let update_id = value["update_id"].as_i64().ok_or(None)?;
    let message = ["message", "edited_message", "channel_post", "business_message"]
        .iter()
        .map(|kind| &value[*kind])
        .find(|m| m.is_object());
    let int = |v: &serde_json::Value| v.as_i64();
    let (chat, message_id, from) = match message {
        Some(m) => {
            let from = int(&m["from"]["id"]).map(|id| {
                let names = [&m["from"]["first_name"], &m["from"]["last_name"]];
                let name: Vec<&str> = names.iter().filter_map(|n| n.as_str()).collect();
                (id, name.join(" "))
            });
            (int(&m["chat"]["id"]), int(&m["message_id"]), from)
        }
        None => (None, None, None),
    };
    Err(Some(Unreadable { update_id, chat, message_id, from, reason }))
}

/// JSON text with every lone UTF-16 surrogate escape inside a string (`\ud800` not followed by
/// a low surrogate, or a `\udc00` with no high one before it) replaced by `\ufffd`, the
/// replacement character: the rest of the text is kept as it is.
pub fn repair_surrogates(json: &str) -> Cow<'_, str> {
    let bytes = json.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let hex = bytes.get(i..i + 6)?;
        if hex[0] != b'\\' || (hex[1] != b'u' && hex[1] != b'U') {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => match escape_at(i) {
                Some(high @ 0xD800..=0xDBFF) if matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) => {
                    let _ = high;
                    i += 12;
                }
                Some(0xD800..=0xDFFF) => {
                    let out = out.get_or_insert_with(|| String::with_capacity(json.len()));
                    out.push_str(&json[copied..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    copied = i;
                }
                // Any other escape: two characters (`\"` must not end the string).
                _ => i += 2,
            },
            _ => i += 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&json[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i64, text: &str) -> String {
        format!(
            r#"{{"update_id":{id},"message":{{"message_id":{id},"date":1700000000,"text":"{text}",
            "from":{{"id":7,"is_bot":false,"first_name":"Ann"}},"chat":{{"id":7,"type":"private","first_name":"Ann"}}}}}}"#
        )
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        assert_eq!(repair_surrogates(r#"{"a":"x\ud800y"}"#), r#"{"a":"x\ufffdy"}"#);
        assert_eq!(repair_surrogates(r#"{"a":"\uDC00"}"#), r#"{"a":"\ufffd"}"#);
        assert_eq!(repair_surrogates(r#"{"a":"\ud83d\ude00"}"#), r#"{"a":"\ud83d\ude00"}"#);
        // A backslash written as text is not an escape; nor is anything outside strings.
        assert_eq!(repair_surrogates(r#"{"a":"\\ud800"}"#), r#"{"a":"\\ud800"}"#);
        assert_eq!(repair_surrogates(r#"{"a":"\"\ud800"}"#), r#"{"a":"\"\ufffd"}"#);
        assert!(matches!(repair_surrogates(r#"{"a":"助记词"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn a_lone_surrogate_in_one_update_is_repaired_and_its_neighbours_read() {
        let body = format!(
            r#"{{"ok":true,"result":[{},{},{}]}}"#,
            message(1, "before"),
            message(2, r"broken \ud800 text"),
            message(3, "after")
        );
        let Answer::Updates(batch) = read_answer(body.as_bytes()) else { panic!("not updates") };
        assert_eq!(batch.updates.len(), 3);
        assert!(batch.unreadable.is_empty());
        assert_eq!(batch.last_id, Some(3));
        let texts: Vec<_> = batch
            .updates
            .iter()
            .map(|u| match &u.kind {
                teloxide::types::UpdateKind::Message(m) => m.text().unwrap().to_owned(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["before", "broken \u{fffd} text", "after"]);
    }

    #[test]
    fn an_update_of_an_unexpected_shape_is_set_aside_with_its_ids() {
        let broken = r#"{"update_id":2,"message":{"message_id":"two","date":"x","chat":{"id":9,"type":"private"},
            "from":{"id":9,"is_bot":false,"first_name":"Bo","last_name":"Li"}}}"#;
        let body = format!(r#"{{"ok":true,"result":[{},{broken},{}]}}"#, message(1, "a"), message(3, "b"));
        let Answer::Updates(batch) = read_answer(body.as_bytes()) else { panic!("not updates") };
        assert_eq!(batch.updates.len(), 2);
        assert_eq!(batch.last_id, Some(3));
        let unreadable = &batch.unreadable[0];
        assert_eq!((unreadable.update_id, unreadable.chat, unreadable.message_id), (2, Some(9), None));
        assert_eq!(unreadable.from, Some((9, "Bo Li".to_owned())));
        assert!(!unreadable.reason.contains("two"), "no text of the update in the reason");
    }

    #[test]
    fn errors_and_retry_after_are_told_apart() {
        let limited =
            br#"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":3}}"#;
        assert!(matches!(read_answer(limited), Answer::RetryAfter(3)));
        let conflict = br#"{"ok":false,"error_code":409,"description":"Conflict"}"#;
        assert!(matches!(read_answer(conflict), Answer::Failed(reason) if reason == "409 Conflict"));
        assert!(matches!(read_answer(b"<html>bad gateway</html>"), Answer::Failed(_)));
    }
}
