//! The ingest pipeline, end to end inside the core (the outbox: `outbox.rs`), on SQLite and
//! PostgreSQL.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::{Harness, TestDb, eventually, inbound};
use switchboard_core::CoreConfig;
use switchboard_core::ingest::{Opened, Sender};
use switchboard_core::model::{Author, ChannelKind, Delivery, Direction, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::stub::StubChannel;

on_both_backends!(
    redelivered_inbound_is_stored_once,
    a_new_conversation_is_acknowledged_with_its_reference,
    acknowledgement_follows_the_platform_language_hint,
    lang_command_changes_the_contact_locale,
    status_command_reports_the_latest_ticket_without_opening_one,
    later_messages_join_the_open_conversation,
    a_sender_with_quotes_and_emoji_in_their_ids_is_found_again,
    a_recently_resolved_conversation_reopens_and_an_old_one_does_not,
    agent_reply_goes_to_the_customers_last_channel_and_notes_stay_inside,
    secrets_are_redacted_before_the_first_write,
    attachments_are_stored_on_disk_and_linked,
    concurrent_messages_are_all_durable,
    a_batch_is_stored_in_its_order_and_a_refused_message_fails_alone,
    a_write_the_database_refuses_fails_alone_and_the_writer_goes_on,
    concurrent_redeliveries_store_one_message,
    files_over_the_limit_are_told_in_the_same_commit,
);

async fn redelivered_inbound_is_stored_once(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let first = core.ingest(inbound("alice", "m-1", "my deposit is missing")).await.unwrap();
    let again = core.ingest(inbound("alice", "m-1", "my deposit is missing")).await.unwrap();
    assert!(!first.duplicate);
    assert!(again.duplicate);
    assert_eq!(again.message_id, first.message_id);
    let messages = h.store.conversation_messages(first.conversation_id.unwrap(), 0).await.unwrap();
    let inbound: Vec<_> = messages.iter().filter(|m| m.direction == Direction::Inbound).collect();
    assert_eq!(inbound.len(), 1);
    // The acknowledgement went out once too.
    h.stub.wait_for(1, Duration::from_secs(5)).await;
    let (pending, sent, failed) = h.store.outbox_counts().await.unwrap();
    assert_eq!((pending + sent + failed), 1);
    h.running.shutdown().await;
}

async fn a_new_conversation_is_acknowledged_with_its_reference(db: &TestDb) {
    let h = Harness::start(db).await;
    let ingested = h.core().ingest(inbound("bob", "m-1", "Where is my withdrawal?")).await.unwrap();
    assert_eq!(ingested.opened, Opened::New);
    let conversation = h.store.conversation(ingested.conversation_id.unwrap()).await.unwrap().unwrap();
    assert!(conversation.reference.starts_with('#'));
    assert!(conversation.reference[1..].chars().all(|c| c.is_ascii_digit()));
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(
        sent[0].message.body,
        format!(
            "We received your message. Your ticket is {}; an agent will reply here. Our staff never message you first and never ask for your recovery phrase or private key.",
            conversation.reference
        )
    );
    assert_eq!(sent[0].message.destination.chat, "bob");
    let id = ingested.conversation_id.unwrap();
    let store = h.store.clone();
    eventually("ack marked sent", || {
        let store = store.clone();
        async move {
            store.conversation_messages(id, 0).await.unwrap().iter().any(|m| {
                m.direction == Direction::Outbound && m.author == Author::System && m.delivery == Some(Delivery::Sent)
            })
        }
    })
    .await;
    // The platform's id for the delivered reply is kept, for replies, edits and threading.
    let messages = h.store.conversation_messages(id, 0).await.unwrap();
    let ack = messages.iter().find(|m| m.direction == Direction::Outbound).unwrap();
    let links = h.store.message_links(ack.id).await.unwrap();
    assert_eq!(links, vec![(ChannelKind::Webchat, "stub-1".to_owned(), "bob".to_owned())]);
    h.running.shutdown().await;
}

async fn acknowledgement_follows_the_platform_language_hint(db: &TestDb) {
    let h = Harness::start(db).await;
    let mut message = inbound("chen", "m-1", "hello");
    message.sender.lang_hint = Some("zh-hans".into());
    let ingested = h.core().ingest(message).await.unwrap();
    let conversation = h.store.conversation(ingested.conversation_id.unwrap()).await.unwrap().unwrap();
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(
        sent[0].message.body,
        format!(
            "我们已收到您的消息。您的工单号是 {}，客服人员会在这里回复您。我们的工作人员绝不会主动私信您，也绝不会索要您的助记词或私钥。",
            conversation.reference
        )
    );
    // Detected from the text when the platform gives no hint.
    h.core().ingest(inbound("li", "m-2", "我的充值还没有到账，请帮我查一下")).await.unwrap();
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    assert!(sent[1].message.body.starts_with("我们已收到您的消息"), "{}", sent[1].message.body);
    h.running.shutdown().await;
}

async fn lang_command_changes_the_contact_locale(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    core.ingest(inbound("dana", "m-1", "/lang zh-CN")).await.unwrap();
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(sent[0].message.body, "从现在起我会用中文回复您。");
    core.ingest(inbound("dana", "m-2", "I cannot log in")).await.unwrap();
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    assert!(sent[1].message.body.starts_with("我们已收到您的消息"), "{}", sent[1].message.body);
    core.ingest(inbound("dana", "m-3", "/lang klingon")).await.unwrap();
    let sent = h.stub.wait_for(3, Duration::from_secs(5)).await;
    assert!(sent[2].message.body.contains("klingon") && sent[2].message.body.contains("en-US"));
    h.running.shutdown().await;
}

async fn status_command_reports_the_latest_ticket_without_opening_one(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let ingested = core.ingest(inbound("erin", "m-1", "/status")).await.unwrap();
    assert_eq!(ingested.conversation_id, None, "a command alone opens no ticket");
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(sent[0].message.body, "You have no ticket with us yet. Just write your question and we will open one.");

    let opened = core.ingest(inbound("erin", "m-2", "withdrawal stuck")).await.unwrap();
    let reference = h.store.conversation(opened.conversation_id.unwrap()).await.unwrap().unwrap().reference;
    core.ingest(inbound("erin", "m-3", "/status")).await.unwrap();
    let sent = h.stub.wait_for(3, Duration::from_secs(5)).await;
    assert_eq!(sent[2].message.body, format!("Your ticket {reference} is open; an agent will reply here."));
    h.running.shutdown().await;
}

async fn later_messages_join_the_open_conversation(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let a = core.ingest(inbound("fay", "m-1", "first")).await.unwrap();
    let b = core.ingest(inbound("fay", "m-2", "second")).await.unwrap();
    assert_eq!(b.opened, Opened::Existing);
    assert_eq!(a.conversation_id, b.conversation_id);
    // Only the first opened a ticket, so only one acknowledgement.
    h.stub.wait_for(1, Duration::from_secs(5)).await;
    let (pending, sent, failed) = h.store.outbox_counts().await.unwrap();
    assert_eq!(pending + sent + failed, 1);
    h.running.shutdown().await;
}

/// The batch lookup carries keys and answers as JSON: whatever characters a platform puts in
/// its ids and names must come back as they went in.
async fn a_sender_with_quotes_and_emoji_in_their_ids_is_found_again(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let who = "o'brien \"x\\y\" 🚀 张三\n";
    let message = |id: &str, body: &str| {
        let mut message = inbound(who, id, body);
        message.sender.display_name = "Zoë \"the\" 🐋\tΩ".to_owned();
        message
    };
    let first = core.ingest(message("m-\"1\"\\", "first")).await.unwrap();
    let second = core.ingest(message("m-2 ✓", "second")).await.unwrap();
    let again = core.ingest(message("m-\"1\"\\", "first")).await.unwrap();
    assert_eq!(first.opened, Opened::New);
    assert_eq!(second.opened, Opened::Existing);
    assert_eq!(second.conversation_id, first.conversation_id);
    assert!(again.duplicate);
    assert_eq!(again.message_id, first.message_id);
    let conversation = h.store.conversation(first.conversation_id.unwrap()).await.unwrap().unwrap();
    let contact = h.store.contact(conversation.contact_id).await.unwrap().unwrap();
    assert_eq!(contact.identities.len(), 1);
    assert_eq!(contact.identities[0].external_id, who);
    assert_eq!(contact.identities[0].display_name, "Zoë \"the\" 🐋\tΩ");
    h.running.shutdown().await;
}

async fn a_recently_resolved_conversation_reopens_and_an_old_one_does_not(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let first = core.ingest(inbound("gus", "m-1", "help")).await.unwrap();
    let id = first.conversation_id.unwrap();
    resolve(&h, id).await;
    let again = core.ingest(inbound("gus", "m-2", "still broken")).await.unwrap();
    assert_eq!(again.opened, Opened::Reopened);
    assert_eq!(again.conversation_id, Some(id));
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().status, Status::Open);
    h.running.shutdown().await;

    // With a zero reopen window, a resolved ticket stays closed and a new one opens.
    let config = CoreConfig { reopen_window: Duration::ZERO, ..db.config() };
    let h = Harness::start_with(db, config, Arc::new(StubChannel::new(ChannelKind::Webchat))).await;
    resolve(&h, id).await;
    tokio::time::sleep(Duration::from_millis(5)).await; // let the clock pass the resolution instant
    let later = h.core().ingest(inbound("gus", "m-3", "new problem")).await.unwrap();
    assert_eq!(later.opened, Opened::New);
    assert_ne!(later.conversation_id, Some(id));
    h.running.shutdown().await;
}

async fn agent_reply_goes_to_the_customers_last_channel_and_notes_stay_inside(db: &TestDb) {
    let h = Harness::start(db).await;
    let opened = h.core().ingest(inbound("lee", "m-1", "hi")).await.unwrap();
    let id = opened.conversation_id.unwrap();
    h.stub.wait_for(1, Duration::from_secs(5)).await;
    let note = h.core().post(Post::new(id, Author::Agent, None, "VIP", PostKind::Note)).await.unwrap();
    assert_eq!(note.direction, Direction::Note);
    let reply = h
        .core()
        .post(Post::new(id, Author::Agent, None, "Checking now", PostKind::Reply { channel: None }))
        .await
        .unwrap();
    assert_eq!(reply.channel, Some(ChannelKind::Webchat));
    assert_eq!(reply.delivery, Some(Delivery::Queued));
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].message.body, "Checking now");
    assert_eq!(sent[1].message.destination.chat, "lee");
    // A channel the customer never used is refused with a clear error.
    let err = h
        .core()
        .post(Post::new(id, Author::Agent, None, "x", PostKind::Reply { channel: Some(ChannelKind::Telegram) }))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("telegram"), "{err}");
    h.running.shutdown().await;
}

async fn secrets_are_redacted_before_the_first_write(db: &TestDb) {
    let key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    let h = Harness::start(db).await;
    let ingested = h.core().ingest(inbound("max", "m-1", &format!("my private key: {key}"))).await.unwrap();
    assert_eq!(ingested.findings.len(), 1);
    let messages = h.store.conversation_messages(ingested.conversation_id.unwrap(), 0).await.unwrap();
    assert_eq!(messages[0].body, "my private key: [redacted: private key]");
    assert_eq!(messages[0].redactions, 1);
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    assert!(sent[0].message.body.contains("scammer"), "warning first: {}", sent[0].message.body);
    h.running.shutdown().await;
    if db.url.starts_with("sqlite") {
        for entry in std::fs::read_dir(db.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()), "key found in {}", path.display());
            }
        }
    }
}

async fn attachments_are_stored_on_disk_and_linked(db: &TestDb) {
    let h = Harness::start(db).await;
    let mut message = inbound("ned", "m-1", "");
    message.attachments.push(switchboard_core::model::InboundAttachment {
        filename: "../receipt.png".into(),
        content_type: "image/png".into(),
        bytes: vec![0x89, b'P', b'N', b'G'],
    });
    let ingested = h.core().ingest(message).await.unwrap();
    let stored = h.store.message(ingested.message_id).await.unwrap().unwrap();
    assert_eq!(stored.attachments.len(), 1);
    let attachment = &stored.attachments[0];
    assert_eq!((attachment.filename.as_str(), attachment.size), ("receipt.png", 4));
    let path = h.core().attachments().path_of(&attachment.storage_key).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), vec![0x89, b'P', b'N', b'G']);
    h.running.shutdown().await;
}

async fn concurrent_messages_are_all_durable(db: &TestDb) {
    let h = Harness::start(db).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let core = h.core();
        tasks.push(tokio::spawn(async move {
            let mut m = inbound(&format!("p{}", i % 20), &format!("m-{i}"), "price crash, help");
            m.sender = Sender { external_id: format!("p{}", i % 20), display_name: "P".into(), lang_hint: None };
            core.ingest(m).await.unwrap()
        }));
    }
    let mut conversations = std::collections::HashSet::new();
    for t in tasks {
        conversations.insert(t.await.unwrap().conversation_id.unwrap());
    }
    assert_eq!(conversations.len(), 20, "one conversation per customer");
    let mut total = 0;
    for id in conversations {
        total += h
            .store
            .conversation_messages(id, 0)
            .await
            .unwrap()
            .iter()
            .filter(|m| m.direction == Direction::Inbound)
            .count();
    }
    assert_eq!(total, 200);
    // However the messages fell into batches, each customer got one contact, one ticket and
    // one acknowledgement.
    let sent = h.stub.wait_for(20, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 20);
    let destinations: std::collections::HashSet<_> = sent.iter().map(|s| s.message.destination.chat.clone()).collect();
    assert_eq!(destinations.len(), 20);
    let (pending, delivered, failed) = h.store.outbox_counts().await.unwrap();
    assert_eq!(pending + delivered + failed, 20);
    h.running.shutdown().await;
}

async fn a_batch_is_stored_in_its_order_and_a_refused_message_fails_alone(db: &TestDb) {
    let h = Harness::start(db).await;
    let mut batch: Vec<_> =
        (0..30).map(|i| inbound(&format!("q{}", i % 3), &format!("b-{i}"), &format!("line {i}"))).collect();
    batch[7].body = "   ".into();
    let results = h.core().ingest_all(batch).await;
    assert_eq!(results.len(), 30);
    assert!(matches!(results[7], Err(switchboard_core::error::CoreError::Invalid(_))), "{:?}", results[7]);
    let ids: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).map(|i| i.message_id).collect();
    assert_eq!(ids.len(), 29);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "stored in the batch's order: {ids:?}");
    // The same batch again: every message is recognised as stored.
    let again: Vec<_> =
        (0..30).map(|i| inbound(&format!("q{}", i % 3), &format!("b-{i}"), &format!("line {i}"))).collect();
    let results = h.core().ingest_all(again).await;
    assert_eq!(results.iter().filter(|r| r.as_ref().is_ok_and(|i| i.duplicate)).count(), 29);
    h.running.shutdown().await;
}

/// The database itself refuses one message of a batch (here a trigger; in life a constraint or
/// an encoding): the batch's transaction is rolled back, its writes are redone one by one, and
/// only that message is set aside, as a stand-in. The writer's next batches still commit.
async fn a_write_the_database_refuses_fails_alone_and_the_writer_goes_on(db: &TestDb) {
    let h = Harness::start(db).await;
    let triggers: &[&'static str] = match h.store.backend() {
        switchboard_core::store::Backend::Sqlite => {
            &["CREATE TRIGGER refuse_poison BEFORE INSERT ON messages WHEN NEW.body = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poison refused'); END"]
        }
        switchboard_core::store::Backend::Postgres => &[
            "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.body = 'poison' THEN RAISE EXCEPTION 'poison refused'; END IF; RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
        ],
    };
    for trigger in triggers {
        sqlx::query(*trigger).execute(h.store.pool()).await.unwrap();
    }
    let mut batch: Vec<_> =
        (0..10).map(|i| inbound(&format!("r{i}"), &format!("p-{i}"), &format!("line {i}"))).collect();
    batch[4].body = "poison".into();
    let results = h.core().ingest_all(batch).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10, "{results:?}");
    // What could be kept of the refused one is: its sender and place, with a note for agents
    // instead of its text, so that its platform can move on.
    let stand_in = h.store.message(results[4].as_ref().unwrap().message_id).await.unwrap().unwrap();
    assert!(stand_in.body.contains("could not be read or stored"), "{}", stand_in.body);
    assert!(stand_in.automated, "never answered automatically");
    let again = h.core().ingest(inbound("r4", "p-4", "poison")).await.unwrap();
    assert!(again.duplicate, "a redelivery is recognised");
    // The writer is not left inside a failed transaction: later writes, batched or alone, commit.
    let later =
        h.core().ingest_all(vec![inbound("r0", "p-10", "one more"), inbound("r9", "p-11", "and another")]).await;
    assert!(later.iter().all(|r| r.as_ref().is_ok_and(|i| !i.duplicate)), "{later:?}");
    h.core().ingest(inbound("r1", "p-12", "and alone")).await.unwrap();
    h.running.shutdown().await;
}

async fn concurrent_redeliveries_store_one_message(db: &TestDb) {
    let h = Harness::start(db).await;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let core = h.core();
            tokio::spawn(async move { core.ingest(inbound("quinn", "m-1", "where are my coins")).await.unwrap() })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let ids: std::collections::HashSet<_> = results.iter().map(|r| r.message_id).collect();
    assert_eq!(ids.len(), 1, "one stored message");
    assert_eq!(results.iter().filter(|r| !r.duplicate).count(), 1, "one original, the rest duplicates");
    let id = results[0].conversation_id.unwrap();
    let inbound = h
        .store
        .conversation_messages(id, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.direction == Direction::Inbound)
        .count();
    assert_eq!(inbound, 1);
    h.stub.wait_for(1, Duration::from_secs(5)).await;
    let (pending, sent, failed) = h.store.outbox_counts().await.unwrap();
    assert_eq!(pending + sent + failed, 1, "one acknowledgement");
    h.running.shutdown().await;
}

async fn resolve(h: &Harness, id: i64) {
    let update = ConversationUpdate { id, status: Some(Status::Resolved), ..Default::default() };
    h.core().update_conversation(update).await.unwrap();
}

async fn files_over_the_limit_are_told_in_the_same_commit(db: &TestDb) {
    let h = Harness::start(db).await;
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    let mut message = inbound("ona", "m-1", "my statement");
    message.too_large = switchboard_core::ingest::TooLarge {
        files: vec!["statement.pdf".into(), format!("{phrase}.txt")],
        limit: 5 * 1024 * 1024,
    };
    let ingested = h.core().ingest(message.clone()).await.unwrap();
    // Durable means told: the notice was committed with the message, nothing follows it.
    let messages = h.store.conversation_messages(ingested.conversation_id.unwrap(), 0).await.unwrap();
    let notices: Vec<_> = messages.iter().filter(|m| m.body.contains("statement.pdf")).collect();
    assert_eq!(notices.len(), 1, "{messages:#?}");
    assert!(notices[0].body.contains("5 MB"), "{}", notices[0].body);
    assert!(!notices[0].body.contains("abandon"), "a file's name is redacted like any text: {}", notices[0].body);
    // A redelivery is a duplicate: no second notice.
    assert!(h.core().ingest(message).await.unwrap().duplicate);
    let messages = h.store.conversation_messages(ingested.conversation_id.unwrap(), 0).await.unwrap();
    assert_eq!(messages.iter().filter(|m| m.body.contains("statement.pdf")).count(), 1);
    h.running.shutdown().await;
}
