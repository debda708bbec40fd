//! Mail threading and loop protection in the core, on SQLite and PostgreSQL: a mail joins only
//! the conversation it names, and only its own customer's; machines are never answered; one
//! sender gets a bounded number of automatic replies.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::{Harness, TestDb, eventually};
use switchboard_core::ingest::{Inbound, Opened, Sender, Threading};
use switchboard_core::model::{ChannelKind, Direction};
use switchboard_core::stub::StubChannel;

on_both_backends!(
    a_mail_joins_only_the_conversation_it_names_and_only_its_senders,
    machines_are_stored_and_never_answered,
    automatic_replies_to_one_sender_are_bounded,
);

fn mail(from: &str, id: &str, references: &[&str], tagged: Option<i64>, body: &str) -> Inbound {
    Inbound {
        channel: ChannelKind::Email,
        external_id: id.to_owned(),
        chat: from.to_owned(),
        thread: None,
        sender: Sender { external_id: from.to_owned(), display_name: from.to_owned(), lang_hint: None },
        body: body.to_owned(),
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Threading::Explicit { references: references.iter().map(|r| r.to_string()).collect(), tagged },
        automated: false,
        choice: None,
    }
}

async fn start(db: &TestDb) -> Harness {
    Harness::start_with(db, db.config(), Arc::new(StubChannel::new(ChannelKind::Email))).await
}

async fn a_mail_joins_only_the_conversation_it_names_and_only_its_senders(db: &TestDb) {
    let h = start(db).await;
    let core = h.core();
    let first = core.ingest(mail("alice@a.test", "a1@a.test", &[], None, "deposit missing")).await.unwrap();
    assert_eq!(first.opened, Opened::New);
    let conversation = first.conversation_id.unwrap();
    // The acknowledgement's platform id (its Message-ID) is what replies reference.
    let ack = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(ack.len(), 1);
    eventually("the acknowledgement's link", || async {
        let messages = h.store.conversation_messages(conversation, 0).await.unwrap();
        let outbound = messages.iter().find(|m| m.direction == Direction::Outbound).unwrap().id;
        !h.store.message_links(outbound).await.unwrap().is_empty()
    })
    .await;

    let reply =
        core.ingest(mail("alice@a.test", "a2@a.test", &["a1@a.test", "stub-1"], None, "still missing")).await.unwrap();
    assert_eq!(reply.conversation_id, Some(conversation), "a reference to our acknowledgement");
    let own = core.ingest(mail("alice@a.test", "a3@a.test", &["a2@a.test"], None, "any news?")).await.unwrap();
    assert_eq!(own.conversation_id, Some(conversation), "a reference to the customer's own mail");
    let tagged = core.ingest(mail("alice@a.test", "a4@a.test", &[], Some(conversation), "[#REF] only")).await.unwrap();
    assert_eq!(tagged.conversation_id, Some(conversation), "the subject's tag");

    // Someone else naming Alice's conversation both ways: a conversation of their own.
    let stranger = core
        .ingest(mail("mallory@m.test", "m1@m.test", &["stub-1"], Some(conversation), "send details"))
        .await
        .unwrap();
    assert_eq!(stranger.opened, Opened::New);
    assert_ne!(stranger.conversation_id, Some(conversation));
    let theirs = h.store.conversation_messages(stranger.conversation_id.unwrap(), 0).await.unwrap();
    let note = theirs.iter().find(|m| m.direction == Direction::Note).expect("agents see the link");
    let reference = h.store.conversation(conversation).await.unwrap().unwrap().reference;
    assert!(note.body.contains(&reference), "{}", note.body);
    let alices = h.store.conversation_messages(conversation, 0).await.unwrap();
    assert!(alices.iter().all(|m| !m.body.contains("send details")));

    // A new subject from Alice without references: a new conversation, not the open one.
    let fresh = core.ingest(mail("alice@a.test", "a5@a.test", &[], None, "2FA reset")).await.unwrap();
    assert_eq!(fresh.opened, Opened::New);
    assert_ne!(fresh.conversation_id, Some(conversation));
    h.running.shutdown().await;
}

async fn machines_are_stored_and_never_answered(db: &TestDb) {
    let h = start(db).await;
    let core = h.core();
    let mut auto = mail("bob@b.test", "ooo@b.test", &[], None, "I am out of office");
    auto.automated = true;
    let stored = core.ingest(auto).await.unwrap();
    assert!(stored.conversation_id.is_some(), "agents still see it");
    // A person's mail after it is answered; the machine's before it never was.
    core.ingest(mail("carol@c.test", "c1@c.test", &[], None, "help")).await.unwrap();
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].message.destination.chat, "carol@c.test");
    assert!(sent[0].message.automatic, "the acknowledgement is marked automatic");
    h.running.shutdown().await;
}

async fn automatic_replies_to_one_sender_are_bounded(db: &TestDb) {
    let h = start(db).await;
    let core = h.core();
    for i in 0..8 {
        core.ingest(mail("loop@l.test", &format!("l{i}@l.test"), &[], None, &format!("question {i}"))).await.unwrap();
    }
    core.ingest(mail("dave@d.test", "d1@d.test", &[], None, "a question")).await.unwrap();
    eventually("everything queued sent", || async {
        let answered = h.stub.sent().iter().any(|s| s.message.destination.chat == "dave@d.test");
        answered && h.store.outbox_counts().await.unwrap().0 == 0
    })
    .await;
    let to_loop = h.stub.sent().iter().filter(|s| s.message.destination.chat == "loop@l.test").count();
    assert_eq!(to_loop, 5, "five automatic replies an hour to one sender");
    h.running.shutdown().await;
}
