//! Personal data deleted for good: a contact's erasure takes everything of theirs and nothing of
//! anyone else's, leaves an audit entry naming no one, and files shared with another customer's
//! message stay; the retention sweep deletes old messages and keeps contacts. On SQLite and
//! PostgreSQL.

mod support;

use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;
use support::{Harness, TestDb, eventually, inbound};
use switchboard_core::channel::SendError;
use switchboard_core::clock::now_ms;
use switchboard_core::model::InboundAttachment;
use switchboard_core::model::{Author, ChannelKind};
use switchboard_core::post::{Post, PostKind};
use switchboard_core::store::agents::Role;

on_both_backends!(
    erasing_a_contact_removes_everything_of_theirs_and_nothing_of_others,
    the_retention_sweep_deletes_old_messages_and_keeps_contacts,
    a_reply_still_waiting_to_go_to_an_erased_contact_is_never_sent,
);

fn with_file(mut inbound: switchboard_core::ingest::Inbound, bytes: &[u8]) -> switchboard_core::ingest::Inbound {
    inbound.attachments.push(InboundAttachment {
        filename: "statement.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: bytes.to_vec(),
    });
    inbound
}

async fn count(h: &Harness, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(h.store.pool()).await.unwrap().get::<i64, _>(0)
}

async fn erasing_a_contact_removes_everything_of_theirs_and_nothing_of_others(db: &TestDb) {
    let h = Harness::start(db).await;
    let admin = h.store.create_agent("root@example.test", "Root", Role::Admin, "hash").await.unwrap();
    let core = h.core();
    // Alice: two messages, one with her own file and one with a file Carol sends too, an
    // agent's reply, a note, an edit, a pending link code; Bob's contact merged into hers.
    let first = core.ingest(with_file(inbound("alice", "a-1", "my deposit is missing"), b"alice-only")).await.unwrap();
    let alice_conversation = first.conversation_id.unwrap();
    core.ingest(with_file(inbound("alice", "a-2", "here is the receipt"), b"shared-receipt")).await.unwrap();
    core.ingest(inbound("alice", "a-3", "/link")).await.unwrap();
    core.edit(first_channel(), "a-1", "my deposit of 5 ETH is missing").await.unwrap();
    let reply =
        Post::new(alice_conversation, Author::Agent, Some(admin), "We are looking", PostKind::Reply { channel: None });
    core.post(reply).await.unwrap();
    let note = Post::new(alice_conversation, Author::Agent, Some(admin), "VIP customer", PostKind::Note);
    core.post(note).await.unwrap();
    let bob = core.ingest(inbound("bob", "b-1", "hello from my other account")).await.unwrap();
    let alice = h.store.message(first.message_id).await.unwrap().unwrap().contact_id;
    let bob = h.store.message(bob.message_id).await.unwrap().unwrap().contact_id;
    core.merge_contacts(alice, bob).await.unwrap();
    // Carol, who stays.
    let carol = core.ingest(with_file(inbound("carol", "c-1", "same receipt"), b"shared-receipt")).await.unwrap();
    let carol_conversation = carol.conversation_id.unwrap();
    let carol_contact = h.store.message(carol.message_id).await.unwrap().unwrap().contact_id;
    let files = db.dir.path().join("data/attachments");
    let files_before = walk(&files);
    assert_eq!(files_before.len(), 2, "two distinct files kept");

    let erased = core.erase_contact(alice, Some(admin)).await.unwrap().expect("alice exists");
    assert_eq!((erased.contacts, erased.identities), (2, 2), "alice and bob merged into her: {erased:?}");
    assert_eq!(erased.conversations, 2, "{erased:?}");
    assert!(erased.messages >= 6, "{erased:?}");
    assert_eq!(erased.attachments, 2, "{erased:?}");

    assert!(h.store.contact(alice).await.unwrap().is_none());
    assert!(h.store.contact(bob).await.unwrap().is_none());
    assert!(h.store.conversation(alice_conversation).await.unwrap().is_none());
    for (table, column) in [("messages", "contact_id"), ("identities", "contact_id"), ("conversations", "contact_id")] {
        let left = count(&h, &format!("SELECT COUNT(*) FROM {table} WHERE {column} IN ({alice}, {bob})")).await;
        assert_eq!(left, 0, "{table} keeps rows of the erased contact");
    }
    for table in ["message_links", "attachments", "message_edits", "entities", "outbox"] {
        let orphans = count(
            &h,
            &format!(
                "SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = t.message_id)"
            ),
        )
        .await;
        assert_eq!(orphans, 0, "{table} keeps rows of erased messages");
    }
    assert_eq!(count(&h, "SELECT COUNT(*) FROM auth_tokens WHERE kind = 'link'").await, 0, "the link code is gone");
    let text = count(&h, "SELECT COUNT(*) FROM messages WHERE body LIKE '%deposit%' OR body LIKE '%VIP%'").await;
    assert_eq!(text, 0);

    // Carol's message, attachment and the file she shares with Alice are untouched.
    let carol_messages = h.store.conversation_messages(carol_conversation, 0).await.unwrap();
    assert!(carol_messages.iter().any(|m| m.id == carol.message_id && m.body == "same receipt"));
    assert_eq!(h.store.contact(carol_contact).await.unwrap().unwrap().id, carol_contact);
    let files_after = walk(&files);
    assert_eq!(files_after.len(), 1, "only the file nobody else sent is removed: {files_after:?}");
    assert_eq!(std::fs::read(&files_after[0]).unwrap(), b"shared-receipt");

    // The audit entry: what, when, who did it — not whose data it was.
    let audit = sqlx::query("SELECT kind, agent_id, contacts, conversations, messages, attachments FROM erasures")
        .fetch_all(h.store.pool())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].get::<String, _>(0), "contact");
    assert_eq!(audit[0].get::<Option<i64>, _>(1), Some(admin));
    assert_eq!(audit[0].get::<i64, _>(3), 2);

    // Erasing again finds nothing; Alice writing again is a new customer.
    assert!(core.erase_contact(alice, Some(admin)).await.unwrap().is_none());
    let again = core.ingest(inbound("alice", "a-4", "hello again")).await.unwrap();
    assert!(!again.duplicate);
    let new_contact = h.store.message(again.message_id).await.unwrap().unwrap().contact_id;
    assert_ne!(new_contact, alice);
    let history = h.store.conversation_messages(again.conversation_id.unwrap(), 0).await.unwrap();
    assert!(history.iter().all(|m| m.contact_id == new_contact && !m.body.contains("deposit")), "{history:?}");
}

async fn the_retention_sweep_deletes_old_messages_and_keeps_contacts(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let old = core.ingest(with_file(inbound("dave", "d-1", "an old question"), b"old-file")).await.unwrap();
    let dave = h.store.message(old.message_id).await.unwrap().unwrap().contact_id;
    let reply = Post::new(
        old.conversation_id.unwrap(),
        Author::Agent,
        None,
        "an old answer",
        PostKind::Reply { channel: None },
    );
    core.post(reply).await.unwrap();
    h.stub.wait_for(1, Duration::from_secs(10)).await;
    let stored = count(&h, "SELECT COUNT(*) FROM messages").await;
    let now = now_ms();
    let day = Duration::from_secs(86_400);

    let nothing = core.delete_past_retention(day, now).await.unwrap();
    assert_eq!((nothing.messages, nothing.conversations), (0, 0), "nothing is a day old yet");
    assert_eq!(count(&h, "SELECT COUNT(*) FROM erasures").await, 0, "an empty sweep leaves no entry");

    // A reply still waiting to be sent is kept, whatever its age.
    h.stub.hold(true);
    let pending = Post::new(
        old.conversation_id.unwrap(),
        Author::Agent,
        None,
        "still to send",
        PostKind::Reply { channel: None },
    );
    core.post(pending).await.unwrap();

    let swept = core.delete_past_retention(day, now + 2 * day.as_millis() as i64).await.unwrap();
    assert_eq!(swept.messages, stored, "every message but the pending reply: {swept:?}");
    assert_eq!(swept.attachments, 1);
    assert_eq!(swept.conversations, 0, "the conversation still holds the pending reply");
    assert_eq!(count(&h, "SELECT COUNT(*) FROM messages").await, 1);
    assert!(walk(&db.dir.path().join("data/attachments")).is_empty(), "the old file is removed");
    h.stub.hold(false);
    h.stub.wait_for(2, Duration::from_secs(10)).await;

    // Once sent, the next sweep takes the rest and the empty conversation; the contact stays.
    let later = now + 4 * day.as_millis() as i64;
    support::eventually("the reply is recorded as sent", || async {
        count(&h, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'").await == 0
    })
    .await;
    let rest = core.delete_past_retention(day, later).await.unwrap();
    assert_eq!((rest.messages, rest.conversations), (1, 1), "{rest:?}");
    assert_eq!(h.store.contact(dave).await.unwrap().unwrap().id, dave);
    assert_eq!(count(&h, "SELECT COUNT(*) FROM erasures WHERE kind = 'retention' AND agent_id IS NULL").await, 2);
    let back = core.ingest(inbound("dave", "d-2", "me again")).await.unwrap();
    assert_eq!(h.store.message(back.message_id).await.unwrap().unwrap().contact_id, dave, "recognized");
}

fn first_channel() -> switchboard_core::model::ChannelKind {
    switchboard_core::model::ChannelKind::Webchat
}

/// Every file under `dir` (none when it does not exist).
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return files };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

async fn a_reply_still_waiting_to_go_to_an_erased_contact_is_never_sent(db: &TestDb) {
    let stub = Arc::new(switchboard_core::stub::StubChannel::new(ChannelKind::Webchat));
    // The acknowledgement goes; the agent's reply is told to wait a second.
    stub.script([Ok(()), Err(SendError::RetryAfter(Duration::from_secs(1)))]);
    let h = Harness::start_with(db, db.config(), stub.clone()).await;
    let core = h.core();
    let first = core.ingest(inbound("zoe", "z-1", "please delete my data")).await.unwrap();
    stub.wait_for(1, Duration::from_secs(10)).await;
    let reply = Post::new(
        first.conversation_id.unwrap(),
        Author::Agent,
        None,
        "your statement",
        PostKind::Reply { channel: None },
    );
    core.post(reply).await.unwrap();
    eventually("the reply told to wait", || async { stub.attempts().len() == 2 }).await;
    let zoe = h.store.message(first.message_id).await.unwrap().unwrap().contact_id;
    core.erase_contact(zoe, None).await.unwrap().expect("zoe exists");

    // Zoe writes again from the same chat, as a new contact: the new acknowledgement queues for
    // the same destination, behind where the reply was. Once it is sent, the reply would have been.
    core.ingest(inbound("zoe", "z-2", "hello again")).await.unwrap();
    let sent = stub.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 2, "the two acknowledgements");
    let tries_of_reply = stub.attempts().iter().filter(|a| a.message.body == "your statement").count();
    assert_eq!(tries_of_reply, 1, "the erased contact's reply was tried again");
    h.running.shutdown().await;
}
