//! Real Discord payloads from `../shared/fixtures/discord` (serenity's captures, the API
//! docs' examples), when that folder is beside the checkout: every message normalizes
//! without panicking, and a representative set has golden expectations.

use serde_json::Value;
use std::path::{Path, PathBuf};
use switchboard_discord::inbound::{Normalized, Scope, normalize};

fn root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/discord");
    if root.exists() {
        Some(root)
    } else {
        eprintln!("skipped: ../shared/fixtures/discord is not beside the checkout");
        None
    }
}

fn scope() -> Scope {
    Scope { bot_id: 272502210401665025, support_channels: [244567637332328449u64].into_iter().collect() }
}

/// The message inside a payload: a bare message, or a gateway dispatch carrying one.
fn message_of(value: &Value) -> Option<Value> {
    let looks_like_message =
        |v: &Value| v.get("channel_id").is_some() && v.get("author").is_some() && v.get("id").is_some();
    if looks_like_message(value) {
        return Some(value.clone());
    }
    let d = value.get("d")?;
    looks_like_message(d).then(|| d.clone())
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_message_payload_normalizes_without_panicking() {
    let Some(root) = root() else { return };
    let (mut messages, mut refused) = (0, Vec::new());
    for dir in ["serenity_event_data", "api_docs_examples"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let Some(message) = message_of(&load(&path)) else { continue };
            match serde_json::from_value::<serenity::model::channel::Message>(message) {
                Ok(message) => {
                    messages += 1;
                    let _ = normalize(&message, &scope());
                }
                // serenity itself refuses it (it drops such events with a warning).
                Err(error) => refused.push(format!("{}: {error}", path.display())),
            }
        }
    }
    eprintln!("{messages} message payloads normalized; serenity refused {}: {refused:#?}", refused.len());
    assert!(messages >= 6, "only {messages} message payloads");
}

#[test]
fn representative_messages_have_golden_results() {
    let Some(root) = root() else { return };
    let message = |name: &str| -> serenity::model::channel::Message {
        serde_json::from_value(message_of(&load(&root.join(name))).unwrap()).unwrap()
    };
    // A direct message (no guild): its own conversation's chat.
    let Normalized::Direct(inbound, media) = normalize(&message("serenity_event_data/message_create_1.json"), &scope())
    else {
        panic!("message_create_1 is a DM")
    };
    assert_eq!(inbound.external_id, "244567637332328449:302917639565475840");
    assert_eq!(inbound.chat, "244567637332328449");
    assert_eq!(inbound.body, "a");
    assert_eq!(inbound.sender.external_id, "114941315417899012");
    assert_eq!(inbound.sender.display_name, "zeyla");
    assert!(media.is_empty());
    // Written by a bot: never a customer's message (no echo loops).
    assert!(matches!(normalize(&message("serenity_event_data/message_create_2.json"), &scope()), Normalized::Skip(_)));
    // The API docs' example message, as a DM from its author.
    let Normalized::Direct(inbound, _) =
        normalize(&message("api_docs_examples/message__example_message.json"), &scope())
    else {
        panic!("the docs' example is a DM")
    };
    assert_eq!(inbound.body, "Supa Hot");
    assert_eq!(inbound.chat, "290926798999357250");
}
