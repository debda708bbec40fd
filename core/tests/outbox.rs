//! The outbox, end to end inside the core: retry-after, backoff, permanent failures, crash
//! recovery, throttles and shutdown. On SQLite and PostgreSQL.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::{Harness, TestDb, eventually, inbound};
use switchboard_core::channel::SendError;
use switchboard_core::model::{Author, ChannelKind, Delivery, Direction};
use switchboard_core::outbox::{RetryPolicy, Throttle};
use switchboard_core::post::{Post, PostKind};
use switchboard_core::stub::StubChannel;

on_both_backends!(
    retry_after_is_honoured_and_holds_back_the_destination,
    transient_failures_back_off_then_deliver,
    permanent_failure_marks_failed_and_tells_agents,
    pending_outbox_resumes_after_a_crash,
    throttles_pace_a_destination_without_holding_back_others,
    shutdown_leaves_unanswered_sends_queued_for_the_next_start,
    groups_have_their_own_pace,
    a_platforms_retry_after_never_brings_a_message_nearer_to_being_given_up,
    after_an_outage_the_first_success_ends_every_backoff_of_that_channel,
    one_failing_destination_among_working_ones_keeps_its_backoff,
    a_platform_that_is_down_is_probed_and_found_back_without_waiting_out_backoffs,
);

async fn retry_after_is_honoured_and_holds_back_the_destination(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script([Err(SendError::RetryAfter(Duration::from_secs(2)))]);
    let h = Harness::start_with(db, db.config(), stub.clone()).await;
    let core = h.core();
    let opened = core.ingest(inbound("hal", "m-1", "first question")).await.unwrap();
    let id = opened.conversation_id.unwrap();
    // Two agent replies to the same customer queue behind the rate-limited acknowledgement.
    for body in ["reply one", "reply two"] {
        core.post(Post::new(id, Author::Agent, None, body, PostKind::Reply { channel: None })).await.unwrap();
    }
    // Another customer is not held back. (Written once hal's acknowledgement has been tried:
    // committed together, the two first sends race for the stub's scripted refusal.)
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while stub.attempts().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "hal's acknowledgement was never tried");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    core.ingest(inbound("ivy", "m-2", "other customer")).await.unwrap();

    let sent = stub.wait_for(4, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 4);
    let attempts = stub.attempts();
    let refused_at = attempts[0].at;
    let to_hal: Vec<_> = sent.iter().filter(|s| s.message.destination.chat == "hal").collect();
    assert_eq!(to_hal.len(), 3, "each message delivered once");
    assert!(to_hal[0].message.body.starts_with("We received"));
    assert_eq!(to_hal[1].message.body, "reply one");
    assert_eq!(to_hal[2].message.body, "reply two");
    for s in &to_hal {
        assert!(s.at.duration_since(refused_at) >= Duration::from_secs(2), "sent before retry_after elapsed");
    }
    let to_ivy = sent.iter().find(|s| s.message.destination.chat == "ivy").unwrap();
    assert!(to_ivy.at < to_hal[0].at, "another destination waited for hal's retry_after");
    let keys: std::collections::HashSet<_> = sent.iter().map(|s| s.message.idempotency_key.clone()).collect();
    assert_eq!(keys.len(), 4);
    h.running.shutdown().await;
}

async fn transient_failures_back_off_then_deliver(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script([Err(SendError::Transient("502".into())), Err(SendError::Transient("timeout".into()))]);
    let mut config = db.config();
    config.dispatcher.retry =
        RetryPolicy { base: Duration::from_millis(50), max: Duration::from_millis(200), max_attempts: 5 };
    let h = Harness::start_with(db, config, stub.clone()).await;
    h.core().ingest(inbound("jo", "m-1", "hello")).await.unwrap();
    let sent = stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(stub.attempts().len(), 3);
    let store = h.store.clone();
    eventually("outbox entry sent", || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap() == (0, 1, 0) }
    })
    .await;
    h.running.shutdown().await;
}

async fn permanent_failure_marks_failed_and_tells_agents(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script([Err(SendError::Permanent("bot was blocked by the user".into()))]);
    let h = Harness::start_with(db, db.config(), stub.clone()).await;
    let opened = h.core().ingest(inbound("kim", "m-1", "hello")).await.unwrap();
    let id = opened.conversation_id.unwrap();
    let store = h.store.clone();
    eventually("failure recorded", || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap() == (0, 0, 1) }
    })
    .await;
    let messages = h.store.conversation_messages(id, 0).await.unwrap();
    let ack = messages.iter().find(|m| m.direction == Direction::Outbound).unwrap();
    assert_eq!(ack.delivery, Some(Delivery::Failed));
    assert!(ack.delivery_error.as_deref().unwrap().contains("blocked"));
    let note = messages.iter().find(|m| m.direction == Direction::System).expect("a system note for agents");
    assert!(note.body.contains("blocked by the user"), "{}", note.body);
    assert!(stub.sent().is_empty());
    h.running.shutdown().await;
}

async fn pending_outbox_resumes_after_a_crash(db: &TestDb) {
    // The channel never answers: entries stay pending, and the process "dies" without draining.
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.hold(true);
    // Restarted under its own name, an instance takes its roles back at once; another one
    // would wait for the dead one's leases to lapse.
    let mut config = db.config();
    config.instance = "restarted".into();
    let h = Harness::start_with(db, config.clone(), stub.clone()).await;
    for i in 0..5 {
        h.core().ingest(inbound(&format!("c{i}"), &format!("m-{i}"), "hello")).await.unwrap();
    }
    let store = h.store.clone();
    eventually("all five attempted", || {
        let stub = stub.clone();
        async move { stub.attempts().len() >= 5 }
    })
    .await;
    drop(h); // no shutdown: the tasks are simply abandoned, as after kill -9
    assert_eq!(store.outbox_counts().await.unwrap().0, 5);

    let fresh = Arc::new(StubChannel::new(ChannelKind::Webchat));
    let h = Harness::start_with(db, config, fresh.clone()).await;
    let sent = fresh.wait_for(5, Duration::from_secs(5)).await;
    let keys: std::collections::HashSet<_> = sent.iter().map(|s| s.message.idempotency_key.clone()).collect();
    assert_eq!((sent.len(), keys.len()), (5, 5));
    let store = h.store.clone();
    eventually("all marked sent", || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap() == (0, 5, 0) }
    })
    .await;
    h.running.shutdown().await;
    assert_eq!(fresh.sent().len(), 5, "nothing sent twice");
}

async fn throttles_pace_a_destination_without_holding_back_others(db: &TestDb) {
    let mut config = db.config();
    config.dispatcher.throttles.insert(
        ChannelKind::Webchat,
        Throttle { per_destination: Some("2/s".parse().unwrap()), per_group: None, global: None },
    );
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    let h = Harness::start_with(db, config, stub.clone()).await;
    let opened = h.core().ingest(inbound("olga", "m-1", "hello")).await.unwrap();
    for i in 0..4 {
        h.core()
            .post(Post::new(
                opened.conversation_id.unwrap(),
                Author::Agent,
                None,
                format!("reply {i}"),
                PostKind::Reply { channel: None },
            ))
            .await
            .unwrap();
    }
    h.core().ingest(inbound("pia", "m-2", "hello")).await.unwrap();
    let sent = stub.wait_for(6, Duration::from_secs(10)).await;
    let to_olga: Vec<_> = sent.iter().filter(|s| s.message.destination.chat == "olga").collect();
    assert_eq!(to_olga.len(), 5);
    // A burst of two, then one every 500 ms: the fifth cannot leave before 1.5 s.
    assert!(to_olga[4].at.duration_since(to_olga[0].at) >= Duration::from_millis(1400));
    let bodies: Vec<_> = to_olga[1..].iter().map(|s| s.message.body.as_str()).collect();
    assert_eq!(bodies, ["reply 0", "reply 1", "reply 2", "reply 3"]);
    let to_pia = sent.iter().find(|s| s.message.destination.chat == "pia").unwrap();
    assert!(to_pia.at < to_olga[4].at, "another destination waited for olga's throttle");
    h.running.shutdown().await;
}

async fn shutdown_leaves_unanswered_sends_queued_for_the_next_start(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.hold(true);
    let mut config = db.config();
    config.dispatcher.drain_limit = Duration::from_millis(200);
    let h = Harness::start_with(db, config, stub.clone()).await;
    h.core().ingest(inbound("rai", "m-1", "hello")).await.unwrap();
    eventually("the send is in flight", || {
        let stub = stub.clone();
        async move { stub.attempts().len() == 1 }
    })
    .await;
    let store = h.store.clone();
    // Returns although the platform never answers; the entry stays pending.
    h.running.shutdown().await;
    assert_eq!(store.outbox_counts().await.unwrap(), (1, 0, 0));

    let fresh = Arc::new(StubChannel::new(ChannelKind::Webchat));
    let h = Harness::start_with(db, db.config(), fresh.clone()).await;
    assert_eq!(fresh.wait_for(1, Duration::from_secs(5)).await.len(), 1);
    h.running.shutdown().await;
}

async fn groups_have_their_own_pace(db: &TestDb) {
    let mut config = db.config();
    config.dispatcher.throttles.insert(
        ChannelKind::Webchat,
        Throttle {
            per_destination: Some("100/s".parse().unwrap()),
            per_group: Some("2/s".parse().unwrap()),
            global: None,
        },
    );
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    let h = Harness::start_with(db, config, stub.clone()).await;
    for (who, id) in [("group-1", "g"), ("person", "p")] {
        for i in 0..4 {
            h.core().ingest(inbound(who, &format!("{id}-{i}"), "/status")).await.unwrap();
        }
    }
    let sent = stub.wait_for(8, Duration::from_secs(10)).await;
    let times =
        |chat: &str| sent.iter().filter(|s| s.message.destination.chat == chat).map(|s| s.at).collect::<Vec<_>>();
    let (group, person) = (times("group-1"), times("person"));
    // Two at once, then one every 500 ms: the fourth in a group not before 1 s.
    assert!(group[3].duration_since(group[0]) >= Duration::from_millis(900), "{:?}", group[3].duration_since(group[0]));
    assert!(person[3] < group[3], "a private chat is not held to the group pace");
    h.running.shutdown().await;
}

/// Outbox entries whose last try failed and which wait to be tried again.
async fn backing_off(h: &Harness) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts > 0")
        .fetch_one(h.store.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

async fn a_platforms_retry_after_never_brings_a_message_nearer_to_being_given_up(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script((0..8).map(|_| Err(SendError::RetryAfter(Duration::from_millis(20)))));
    let mut config = db.config();
    config.dispatcher.retry =
        RetryPolicy { base: Duration::from_millis(20), max: Duration::from_millis(50), max_attempts: 3 };
    let h = Harness::start_with(db, config, stub.clone()).await;
    h.core().ingest(inbound("lee", "m-1", "hello")).await.unwrap();
    let sent = stub.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 1, "eight retry-afters, more than max_attempts, and still delivered");
    assert_eq!(stub.attempts().len(), 9);
    h.running.shutdown().await;
}

async fn after_an_outage_the_first_success_ends_every_backoff_of_that_channel(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script((0..3).map(|_| Err(SendError::Transient("502 Bad Gateway".into()))));
    let mut config = db.config();
    // A backoff far longer than the test: only the recovery can bring these messages out.
    config.dispatcher.retry =
        RetryPolicy { base: Duration::from_secs(3600), max: Duration::from_secs(3600), max_attempts: 5 };
    let h = Harness::start_with(db, config, stub.clone()).await;
    for customer in ["ada", "bob", "cy"] {
        h.core().ingest(inbound(customer, &format!("{customer}-1"), "hello")).await.unwrap();
    }
    eventually("three sends failed and backing off", || async { backing_off(&h).await == 3 }).await;
    // The platform is back: the next message goes through, and the three with it.
    h.core().ingest(inbound("dee", "dee-1", "hello")).await.unwrap();
    let sent = stub.wait_for(4, Duration::from_secs(20)).await;
    let mut to: Vec<&str> = sent.iter().map(|s| s.message.destination.chat.as_str()).collect();
    to.sort();
    assert_eq!(to, ["ada", "bob", "cy", "dee"]);
    h.running.shutdown().await;
}

async fn one_failing_destination_among_working_ones_keeps_its_backoff(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    stub.script([Err(SendError::Transient("502 Bad Gateway".into()))]);
    let mut config = db.config();
    config.dispatcher.retry =
        RetryPolicy { base: Duration::from_secs(3600), max: Duration::from_secs(3600), max_attempts: 5 };
    let h = Harness::start_with(db, config, stub.clone()).await;
    h.core().ingest(inbound("eve", "eve-1", "hello")).await.unwrap();
    eventually("one send failed and backing off", || async { backing_off(&h).await == 1 }).await;
    for customer in ["fay", "gus", "hal", "ian"] {
        h.core().ingest(inbound(customer, &format!("{customer}-1"), "hello")).await.unwrap();
    }
    let sent = stub.wait_for(4, Duration::from_secs(20)).await;
    assert!(sent.iter().all(|s| s.message.destination.chat != "eve"), "a lone failure was retried early");
    assert_eq!(stub.attempts().len(), 5, "eve's message waits out its backoff");
    h.running.shutdown().await;
}

async fn a_platform_that_is_down_is_probed_and_found_back_without_waiting_out_backoffs(db: &TestDb) {
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    // Three first tries fail, then two probes: five failures, more than max_attempts.
    stub.script((0..5).map(|_| Err(SendError::Transient("503 Service Unavailable".into()))));
    let mut config = db.config();
    config.dispatcher.retry =
        RetryPolicy { base: Duration::from_secs(3600), max: Duration::from_secs(3600), max_attempts: 3 };
    let h = Harness::start_with(db, config, stub.clone()).await;
    for customer in ["kai", "lou", "max"] {
        h.core().ingest(inbound(customer, &format!("{customer}-1"), "hello")).await.unwrap();
    }
    // No new message comes: only the probe can find the platform back.
    let sent = stub.wait_for(3, Duration::from_secs(60)).await;
    let mut to: Vec<&str> = sent.iter().map(|s| s.message.destination.chat.as_str()).collect();
    to.sort();
    assert_eq!(to, ["kai", "lou", "max"]);
    assert_eq!(stub.attempts().len(), 8);
    // Nothing given up: all three recorded sent.
    eventually("three sent", || async { h.store.outbox_counts().await.unwrap() == (0, 3, 0) }).await;
    h.running.shutdown().await;
}
