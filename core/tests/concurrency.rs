//! Concurrent writes to one conversation: agents replying and noting in parallel, replies racing
//! the customer's messages, a burst from one customer. Every write is stored once, in a
//! conversation that stays whole, and the core stays healthy. On SQLite and PostgreSQL. Then
//! several cores on one PostgreSQL, as several instances: their ids, their races over one
//! customer, and their live events.

mod support;

use std::collections::HashSet;
use std::time::Duration;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::{Author, Direction};
use switchboard_core::post::{Post, PostKind};

on_both_backends!(
    parallel_agent_replies_and_notes_to_one_conversation_are_all_stored,
    a_burst_from_one_customer_while_agents_answer_lands_in_one_conversation,
    an_erased_newest_conversation_never_lends_its_reference_to_the_next_customer,
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

/// Two cores on one fresh PostgreSQL database, as two instances of one deployment.
async fn two_instances() -> (TestDb, Harness, Harness) {
    let db = TestDb::new(support::Backend::Postgres);
    let one = Harness::start(&db).await;
    let two = Harness::start(&db).await;
    (db, one, two)
}

/// Neither instance failed a batch; both drain.
async fn healthy_then_stopped(one: Harness, two: Harness) {
    for h in [&one, &two] {
        let health = h.core().health();
        assert!(health.ok() && health.failed_batches == 0, "{health:?}");
    }
    one.running.shutdown().await;
    two.running.shutdown().await;
}

/// Readers page through messages by id (a web-chat page asks for what came after the last
/// message it has): on several instances, ids still rise in the order messages are stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_stored_one_after_another_on_two_instances_have_rising_ids() {
    let (_db, one, two) = two_instances().await;
    let mut last = 0;
    for n in 0..40 {
        let core = if n % 2 == 0 { one.core() } else { two.core() };
        let stored = core.ingest(inbound("zoe", &format!("zoe-{n}"), &format!("message {n}"))).await.unwrap();
        assert!(stored.message_id > last, "message {n} got id {} after {last}", stored.message_id);
        last = stored.message_id;
    }
    healthy_then_stopped(one, two).await;
}

/// A customer's latest conversation is the one opened last, whichever instance opened it: a
/// message joins it rather than opening yet another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_latest_conversation_is_the_last_opened_whichever_instance_opened_it() {
    use switchboard_core::model::Status;
    use switchboard_core::post::ConversationUpdate;
    let db = TestDb::new(support::Backend::Postgres);
    // No reopening: a message after a resolution opens a new conversation.
    let mut config = db.config();
    config.reopen_window = Duration::ZERO;
    let stub =
        || std::sync::Arc::new(switchboard_core::stub::StubChannel::new(switchboard_core::model::ChannelKind::Webchat));
    let one = Harness::start_with(&db, config.clone(), stub()).await;
    let two = Harness::start_with(&db, config, stub()).await;
    let resolve = |id| ConversationUpdate { id, status: Some(Status::Resolved), ..Default::default() };
    let first = one.core().ingest(inbound("lou", "lou-1", "first question")).await.unwrap().conversation_id.unwrap();
    one.core().update_conversation(resolve(first)).await.unwrap();
    let second = two.core().ingest(inbound("lou", "lou-2", "second question")).await.unwrap().conversation_id.unwrap();
    two.core().update_conversation(resolve(second)).await.unwrap();
    let third = one.core().ingest(inbound("lou", "lou-3", "third question")).await.unwrap().conversation_id.unwrap();
    assert!(first != second && second != third && first != third);
    let more = one.core().ingest(inbound("lou", "lou-4", "and more about it")).await.unwrap().conversation_id;
    assert_eq!(more, Some(third), "joins the conversation opened last");
    healthy_then_stopped(one, two).await;
}

/// Two cores on one PostgreSQL database: two writers, as with two instances (a SQLite file has
/// one). Their ids come from the database's sequences, so neither hands out an id the other has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_on_one_postgres_database_hand_out_distinct_ids() {
    let (_db, one, two) = two_instances().await;
    let mut tasks = Vec::new();
    for n in 0..40 {
        let core = if n % 2 == 0 { one.core() } else { two.core() };
        tasks.push(tokio::spawn(async move {
            let who = format!("c{n}");
            let first = core.ingest(inbound(&who, &format!("{who}-1"), "my withdrawal is stuck")).await?;
            core.ingest(inbound(&who, &format!("{who}-2"), "/status")).await?;
            Ok::<_, switchboard_core::error::CoreError>(first.conversation_id)
        }));
    }
    let mut conversations = HashSet::new();
    for task in tasks {
        let id = task.await.unwrap().expect("every message is stored").expect("a conversation");
        assert!(conversations.insert(id), "conversation {id:?} handed out twice");
    }
    assert_eq!(conversations.len(), 40);
    let pool = one.store.pool();
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'").fetch_one(pool).await.unwrap();
    assert_eq!(stored, 80);
    let contacts: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT id) FROM contacts").fetch_one(pool).await.unwrap();
    assert_eq!(contacts, 40);
    healthy_then_stopped(one, two).await;
}

/// A reference is the customer's handle on their ticket: once given, it is never given again,
/// not even when the conversation was erased and the core restarted.
async fn an_erased_newest_conversation_never_lends_its_reference_to_the_next_customer(db: &TestDb) {
    let h = Harness::start(db).await;
    let first = h.core().ingest(inbound("ana", "ana-1", "hello")).await.unwrap();
    let contact: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = $1")
        .bind(first.conversation_id.unwrap())
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    h.core().erase_contact(contact, None).await.unwrap().expect("ana exists");
    h.running.shutdown().await;

    let h = Harness::start(db).await;
    let next = h.core().ingest(inbound("ben", "ben-1", "hello")).await.unwrap();
    assert!(
        next.conversation_id.unwrap() > first.conversation_id.unwrap(),
        "{:?} after {:?}",
        next.conversation_id,
        first.conversation_id
    );
    h.running.shutdown().await;
}

/// One new customer's messages reach two instances at once, each message twice (a platform
/// delivering it to both): one contact, one conversation, every message stored once, and the
/// later delivery of each learns the first one's ids. The database settles it; no batch fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_new_customer_on_two_writers_at_once_gets_one_conversation_and_each_message_once() {
    let (_db, one, two) = two_instances().await;
    let mut tasks = Vec::new();
    for n in 0..30 {
        for core in [one.core(), two.core()] {
            tasks.push(tokio::spawn(async move {
                core.ingest(inbound("newcomer", &format!("m-{n}"), &format!("line {n}"))).await.map(|i| (n, i))
            }));
        }
    }
    let mut by_message: std::collections::HashMap<i32, Vec<_>> = Default::default();
    for task in tasks {
        let (n, ingested) = task.await.unwrap().expect("every delivery is answered");
        by_message.entry(n).or_default().push(ingested);
    }
    let conversations: HashSet<_> = by_message.values().flatten().map(|i| i.conversation_id).collect();
    assert_eq!(conversations.len(), 1, "{conversations:?}");
    for (n, both) in &by_message {
        assert_eq!(both[0].message_id, both[1].message_id, "m-{n} stored under two ids");
        assert_eq!(both.iter().filter(|i| i.duplicate).count(), 1, "m-{n}: one delivery stores, the other learns");
    }
    let pool = one.store.pool();
    for (table, expected) in [("contacts", 1), ("identities", 1), ("conversations", 1)] {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(count, expected, "{table}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'").fetch_one(pool).await.unwrap();
    assert_eq!(stored, 30);
    healthy_then_stopped(one, two).await;
}

/// Waits for the first event `wanted` accepts, skipping the others.
async fn heard(
    receiver: &mut tokio::sync::broadcast::Receiver<switchboard_core::events::Published>,
    mut wanted: impl FnMut(&switchboard_core::events::Published) -> bool,
) -> switchboard_core::events::Published {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let published = tokio::time::timeout_at(deadline, receiver.recv())
            .await
            .expect("heard before the deadline")
            .expect("the bus is open");
        if wanted(&published) {
            return published;
        }
    }
}

/// Live views across instances: what one instance stores reaches the other's subscribers
/// (LISTEN/NOTIFY), marked as not its own, so the bot there leaves it alone; when the listening
/// connection is cut, a `resync` follows once it is back, since notifications sent meanwhile are
/// gone and the store is the truth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_instance_stores_reaches_the_others_live_views_and_a_cut_connection_ends_in_a_resync() {
    use switchboard_core::events::Event;
    let (_db, one, two) = two_instances().await;
    let mut on_one = one.core().events().subscribe();
    let mut on_two = two.core().events().subscribe();

    let stored = one.core().ingest(inbound("ivy", "ivy-1", "is my deposit lost?")).await.unwrap();
    let created = |p: &switchboard_core::events::Published| matches!(p.event, Event::MessageCreated { message_id, .. } if message_id == stored.message_id);
    assert!(heard(&mut on_one, created).await.here);
    assert!(!heard(&mut on_two, created).await.here);

    // Cut every listening connection; each instance connects again and says resync.
    let cut: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
    )
    .fetch_one(one.store.pool())
    .await
    .unwrap();
    assert_eq!(cut, 2, "one listening connection per instance");
    let resync = heard(&mut on_two, |p| p.event == Event::Resync).await;
    assert!(!resync.here);

    let again = one.core().ingest(inbound("ivy", "ivy-2", "still waiting")).await.unwrap();
    heard(
        &mut on_two,
        |p| matches!(p.event, Event::MessageCreated { message_id, .. } if message_id == again.message_id),
    )
    .await;
    healthy_then_stopped(one, two).await;
}
