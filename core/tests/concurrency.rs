//! Concurrent writes to one conversation: agents replying and noting in parallel, replies racing
//! the customer's messages, a burst from one customer. Every write is stored once, in a
//! conversation that stays whole, and the core stays healthy. On SQLite and PostgreSQL.

mod support;

use std::collections::HashSet;
use std::time::Duration;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::{Author, Direction};
use switchboard_core::post::{Post, PostKind};

on_both_backends!(
    parallel_agent_replies_and_notes_to_one_conversation_are_all_stored,
    a_burst_from_one_customer_while_agents_answer_lands_in_one_conversation,
);

async fn parallel_agent_replies_and_notes_to_one_conversation_are_all_stored(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let id = core.ingest(inbound("a", "m-0", "help")).await.unwrap().conversation_id.unwrap();
    for round in 0..20 {
        let mut posts = Vec::new();
        for agent in 0..3 {
            let core = core.clone();
            let kind = if agent == 2 { PostKind::Note } else { PostKind::Reply { channel: None } };
            let body = format!("r{round} a{agent}");
            posts.push(tokio::spawn(async move { core.post(Post::new(id, Author::Agent, None, body, kind)).await }));
        }
        for post in posts {
            post.await.unwrap().expect("every parallel reply and note is stored");
        }
    }
    let messages = all_messages(&h, id).await;
    assert_eq!(messages.iter().filter(|m| m.direction == Direction::Note).count(), 20);
    assert_eq!(messages.iter().filter(|m| m.author == Author::Agent && m.direction == Direction::Outbound).count(), 40);
    // The acknowledgement and 40 replies reach the customer, each once.
    h.stub.wait_for(41, Duration::from_secs(10)).await;
    let health = core.health();
    assert!(health.ok() && health.failed_batches == 0, "{health:?}");
    h.running.shutdown().await;
}

async fn a_burst_from_one_customer_while_agents_answer_lands_in_one_conversation(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let id = core.ingest(inbound("a", "m-0", "help")).await.unwrap().conversation_id.unwrap();
    let mut tasks = Vec::new();
    for n in 1..=60 {
        let customer = core.clone();
        tasks.push(tokio::spawn(async move {
            let text = if n % 10 == 0 { "/status".to_owned() } else { format!("line {n}") };
            customer.ingest(inbound("a", &format!("m-{n}"), &text)).await.map(|i| i.conversation_id)
        }));
        if n % 3 == 0 {
            let core = core.clone();
            let (author, kind) = match n % 2 {
                0 => (Author::Agent, PostKind::Reply { channel: None }),
                _ => (Author::Bot, PostKind::Reply { channel: None }),
            };
            tasks.push(tokio::spawn(async move {
                core.post(Post::new(id, author, None, format!("answer {n}"), kind)).await.map(|m| m.conversation_id)
            }));
        }
    }
    let mut conversations = HashSet::new();
    for task in tasks {
        conversations.insert(task.await.unwrap().expect("every write of the burst is stored"));
    }
    assert_eq!(conversations, HashSet::from([Some(id)]), "one conversation throughout");
    let messages = all_messages(&h, id).await;
    let inbound: Vec<_> = messages.iter().filter(|m| m.direction == Direction::Inbound).collect();
    assert_eq!(inbound.len(), 61);
    let ids: HashSet<_> = messages.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), messages.len(), "no message stored twice");
    let health = core.health();
    assert!(health.ok() && health.failed_batches == 0, "{health:?}");
    h.running.shutdown().await;
}

async fn all_messages(h: &Harness, id: i64) -> Vec<switchboard_core::model::Message> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |m: &switchboard_core::model::Message| m.id);
        let page = h.store.conversation_messages(id, after).await.unwrap();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}
