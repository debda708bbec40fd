//! Every Telegram payload of `../shared/fixtures/telegram` (real updates and messages from
//! teloxide's and aiogram's test suites) normalizes without panicking; representative ones are
//! checked field by field. Skipped, with a message, when `../shared` is not beside the checkout.

use switchboard_telegram::inbound::{BotIdentity, Normalized, normalize};
use teloxide::types::Update;

fn me() -> BotIdentity {
    BotIdentity { id: 42, username: Some("support_bot".into()) }
}

fn fixtures() -> Option<Vec<(String, serde_json::Value)>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/telegram");
    if !root.exists() {
        eprintln!("skipped: {} is not there", root.display());
        return None;
    }
    let mut all = Vec::new();
    for dir in ["teloxide", "aiogram"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // Bare Message objects are wrapped the way the Bot API delivers them.
            let json = if json.get("update_id").is_some() {
                json
            } else {
                serde_json::json!({ "update_id": 1, "message": json })
            };
            all.push((format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()), json));
        }
    }
    Some(all)
}

#[test]
fn every_fixture_normalizes_without_panicking() {
    let Some(fixtures) = fixtures() else { return };
    let (mut messages, mut skipped, mut unparsed) = (0, 0, Vec::new());
    for (name, json) in &fixtures {
        match serde_json::from_str::<Update>(&json.to_string()) {
            Ok(update) => match normalize(&update, &me()) {
                Normalized::Message(_) => messages += 1,
                Normalized::Skip(_) => skipped += 1,
            },
            Err(error) => unparsed.push(format!("{name}: {error}")),
        }
    }
    eprintln!("{} fixtures: {messages} messages, {skipped} skipped, {} not updates", fixtures.len(), unparsed.len());
    // 17 of the 70 are customer messages; the rest are boosts, reactions, service messages.
    assert!(messages >= 15, "customer messages normalize ({messages})");
    // Fixtures that are not Update objects at all (inline/shipping queries wrapped as messages)
    // are the fixture's shape, not ours to accept.
    assert!(unparsed.len() * 5 < fixtures.len(), "{unparsed:#?}");
}

/// As the Bot API client parses them: from text (teloxide's `Update` does not read from a
/// `serde_json::Value`).
fn parse(json: &serde_json::Value) -> Update {
    serde_json::from_str(&json.to_string()).unwrap()
}

fn normalized(name: &str) -> switchboard_core::ingest::Inbound {
    let fixtures = fixtures().expect("fixtures");
    let json = fixtures.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name}")).1.clone();
    match normalize(&parse(&json), &me()) {
        Normalized::Message(inbound) => *inbound,
        Normalized::Skip(reason) => panic!("{name} skipped: {reason}"),
    }
}

#[test]
fn a_private_text_message_becomes_an_inbound_message() {
    if fixtures().is_none() {
        return;
    }
    let inbound = normalized("aiogram/message.json");
    assert_eq!(inbound.external_id, "12345678:11223");
    assert_eq!(inbound.chat, "12345678");
    assert_eq!(inbound.thread, None);
    assert_eq!(inbound.sender.external_id, "12345678");
    assert_eq!(inbound.sender.display_name, "FirstName LastName");
    assert_eq!(inbound.sender.lang_hint.as_deref(), Some("ru"));
    assert_eq!(inbound.body, "Hi, world!");
}

#[test]
fn a_picture_without_a_caption_is_kept() {
    if fixtures().is_none() {
        return;
    }
    let inbound = normalized("teloxide/message_de_image.json");
    assert!(!inbound.body.trim().is_empty(), "a photo is stored, with its caption or a marker");
}

#[test]
fn unknown_update_kinds_are_skipped() {
    if fixtures().is_none() {
        return;
    }
    let fixtures = fixtures().unwrap();
    let json = fixtures.iter().find(|(n, _)| n == "teloxide/new_update_kind_error.json").unwrap().1.clone();
    assert!(matches!(normalize(&parse(&json), &me()), Normalized::Skip(_)));
}

#[test]
fn groups_take_only_what_is_addressed_to_the_bot_and_topics_keep_their_thread() {
    let group = |text: &str, topic: bool| -> Update {
        parse(&serde_json::json!({
            "update_id": 5,
            "message": {
                "message_id": 77, "date": 1, "text": text,
                "message_thread_id": 9, "is_topic_message": topic,
                "from": {"id": 7, "is_bot": false, "first_name": "Ann"},
                "chat": {"id": -1001, "type": "supergroup", "title": "Support", "is_forum": true}
            }
        }))
    };
    assert!(matches!(normalize(&group("hello everyone", true), &me()), Normalized::Skip(_)));
    match normalize(&group("@Support_Bot my deposit is missing", true), &me()) {
        Normalized::Message(inbound) => {
            assert_eq!(inbound.body, "my deposit is missing");
            assert_eq!((inbound.chat.as_str(), inbound.thread.as_deref()), ("-1001", Some("9")));
        }
        Normalized::Skip(reason) => panic!("{reason}"),
    }
    assert!(matches!(normalize(&group("/status@support_bot", false), &me()), Normalized::Message(_)));
    let from_bot: Update = parse(&serde_json::json!({
        "update_id": 6,
        "message": {"message_id": 1, "date": 1, "text": "hi", "from": {"id": 42, "is_bot": true, "first_name": "Me"},
                    "chat": {"id": 7, "type": "private", "first_name": "Ann"}}
    }));
    assert!(matches!(normalize(&from_bot, &me()), Normalized::Skip(_)));
}
