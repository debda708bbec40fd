//! Roles one instance at a time may hold, on one PostgreSQL database shared by several cores:
//! never two holders at once, a dead holder's role taken over once its lease lapses, a deposed
//! holder's checkpoint and deliveries refused by the epoch, and each channel's outbox sent by
//! its one owner whichever instance stored the reply.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{Harness, TestDb, eventually, inbound};
use switchboard_core::model::ChannelKind;
use switchboard_core::store::leases::Lease;
use switchboard_core::stub::StubChannel;
use tokio_util::sync::CancellationToken;

/// A lease short enough that a test sees it lapse in a moment.
const TTL: Duration = Duration::from_millis(600);

async fn instance(db: &TestDb, name: &str) -> Harness {
    let mut config = db.config();
    config.instance = name.into();
    config.lease_ttl = TTL;
    Harness::start_with(db, config, Arc::new(StubChannel::new(ChannelKind::Webchat))).await
}

/// Counts the holders of a role while they hold it.
struct Holding(Arc<AtomicUsize>);

impl Holding {
    fn new(count: &Arc<AtomicUsize>) -> Holding {
        let before = count.fetch_add(1, Ordering::SeqCst);
        assert_eq!(before, 0, "two holders of one role at once");
        Holding(count.clone())
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_has_one_holder_at_a_time_and_moves_when_its_holder_dies() {
    let db = TestDb::new(support::Backend::Postgres);
    let (one, two) = (instance(&db, "one").await, instance(&db, "two").await);
    let holding = Arc::new(AtomicUsize::new(0));
    let stop = CancellationToken::new();
    let mut leads = Vec::new();
    for h in [&one, &two] {
        let (core, holding, stop) = (h.core(), holding.clone(), stop.clone());
        leads.push(tokio::spawn(async move {
            let me = core.instance().to_owned();
            core.lead("watch", stop, |held| {
                let holding = holding.clone();
                let me = me.clone();
                async move {
                    let _holding = Holding::new(&holding);
                    assert_eq!(held.lease.holder, me);
                    held.lost.cancelled().await;
                }
            })
            .await
        }));
    }
    let holder = |h: &Harness| h.core().roles().contains(&"watch".to_owned());
    eventually("one instance holds the role", || async { holder(&one) || holder(&two) }).await;
    assert!(!(holder(&one) && holder(&two)));
    let (dead, survivor) = if holder(&one) { (0, &two) } else { (1, &one) };
    let watch = |leases: Vec<Lease>| leases.into_iter().find(|l| l.role == "watch");
    let epoch = watch(survivor.store.leases().await.unwrap()).expect("held").epoch;

    // Its holder dies without giving the role up: the other takes it once the lease lapses.
    leads.remove(dead).abort();
    eventually("the survivor holds the role", || async { holder(survivor) }).await;
    let lease = watch(survivor.store.leases().await.unwrap()).expect("held");
    assert_eq!(lease.holder, survivor.core().instance());
    assert!(lease.epoch > epoch, "taking a role raises its epoch");

    // Stopped, it gives the role up at once.
    stop.cancel();
    for lead in leads {
        lead.await.unwrap();
    }
    assert_eq!(watch(survivor.store.leases().await.unwrap()), None, "given up");
    one.running.shutdown().await;
    two.running.shutdown().await;
}

#[tokio::test]
async fn a_deposed_holder_moves_no_checkpoint() {
    let db = TestDb::new(support::Backend::Postgres);
    let store = switchboard_core::store::Store::open(&db.url).await.unwrap();
    let short = Duration::from_millis(50);
    let epoch = store.take_lease("imap:support", "one", short).await.unwrap().expect("free");
    let one = Lease { role: "imap:support".into(), holder: "one".into(), epoch };
    assert!(store.set_cursor_fenced("imap:support", "7:100", &one).await.unwrap());
    assert_eq!(store.take_lease("imap:support", "two", short).await.unwrap(), None, "held");

    // Polled until the lease lapses and two takes it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let taken = loop {
        if let Some(epoch) = store.take_lease("imap:support", "two", Duration::from_secs(60)).await.unwrap() {
            break epoch;
        }
        assert!(tokio::time::Instant::now() < deadline, "the lease never lapsed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let two = Lease { role: "imap:support".into(), holder: "two".into(), epoch: taken };
    assert!(two.epoch > one.epoch);
    assert!(store.set_cursor_fenced("imap:support", "7:150", &two).await.unwrap());
    assert!(!store.set_cursor_fenced("imap:support", "7:120", &one).await.unwrap(), "deposed");
    assert!(!store.renew_lease(&one, short).await.unwrap());
    assert_eq!(store.cursor("imap:support").await.unwrap().as_deref(), Some("7:150"));
}

/// Every reply stored on either instance goes out once, through the channel's one owner; when
/// that owner dies, the other takes the outbox over and sends what the dead one left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reply_goes_out_once_through_the_channels_one_owner_and_moves_when_it_dies() {
    let db = TestDb::new(support::Backend::Postgres);
    let (one, two) = (instance(&db, "one").await, instance(&db, "two").await);
    let owns = |h: &Harness| h.core().roles().contains(&"outbox:webchat".to_owned());
    eventually("one instance sends web chat", || async { owns(&one) || owns(&two) }).await;
    let (owner, other) = if owns(&one) { (one, two) } else { (two, one) };
    for n in 0..20 {
        let h = if n % 2 == 0 { &owner } else { &other };
        h.core().ingest(inbound(&format!("c{n}"), &format!("m-{n}"), "hello")).await.unwrap();
    }
    let replies = owner.store.outbox_counts().await.unwrap();
    let total = replies.0 + replies.1 + replies.2;
    assert!(total >= 20, "every message answered: {replies:?}");
    let sent = owner.stub.wait_for(total as usize, Duration::from_secs(10)).await;
    let keys: HashSet<_> = sent.iter().map(|s| s.message.idempotency_key.clone()).collect();
    assert_eq!((sent.len(), keys.len()), (total as usize, total as usize), "each once");
    assert!(other.stub.sent().is_empty(), "only the owner sends");

    // The owner dies with a send unanswered: the other takes over and sends it.
    owner.stub.hold(true);
    other.core().ingest(inbound("late", "m-late", "hello")).await.unwrap();
    eventually("the owner tries it", || async { owner.stub.attempts().len() > sent.len() }).await;
    owner.running.abort();
    eventually("the other owns web chat", || async { owns(&other) }).await;
    let resent = other.stub.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(resent.len(), 1);
    let store = other.store.clone();
    eventually("all recorded sent", || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap() == (0, total + 1, 0) }
    })
    .await;
    other.running.shutdown().await;
}

/// An owner that stalls mid-send loses its role to the other instance, which sends the entry
/// again (at least once); when the stalled send finally succeeds, its report is refused by the
/// epoch: the delivery is recorded once, by the entry's current owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_owners_late_delivery_is_not_recorded_over_its_successors() {
    let db = TestDb::new(support::Backend::Postgres);
    let (one, two) = (instance(&db, "one").await, instance(&db, "two").await);
    let owns = |h: &Harness| h.core().roles().contains(&"outbox:webchat".to_owned());
    eventually("one instance sends web chat", || async { owns(&one) || owns(&two) }).await;
    let (owner, other) = if owns(&one) { (one, two) } else { (two, one) };
    owner.stub.hold(true);
    owner.core().ingest(inbound("ann", "ann-1", "hello")).await.unwrap();
    eventually("the owner tries it", || async { !owner.stub.attempts().is_empty() }).await;

    // As if the owner were paused past its lease: the other takes the role and sends it.
    sqlx::query("UPDATE leases SET expires_at = 0 WHERE role = 'outbox:webchat'")
        .execute(other.store.pool())
        .await
        .unwrap();
    assert_eq!(other.stub.wait_for(1, Duration::from_secs(10)).await.len(), 1);
    eventually("the owner knows it lost the role", || async { !owns(&owner) }).await;
    let store = other.store.clone();
    eventually("recorded sent", || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap() == (0, 1, 0) }
    })
    .await;

    owner.stub.hold(false);
    owner.stub.wait_for(1, Duration::from_secs(10)).await;
    // Its report reaches its writer; the row keeps its successor's record.
    owner.running.shutdown().await;
    let (attempts, claim): (i64, i64) =
        sqlx::query_as("SELECT attempts, claim FROM outbox").fetch_one(other.store.pool()).await.unwrap();
    let epoch = other.store.leases().await.unwrap().into_iter().find(|l| l.role == "outbox:webchat").unwrap().epoch;
    assert_eq!((attempts, claim), (1, epoch), "recorded once, under the current claim");
    other.running.shutdown().await;
}

/// Replies to one customer stored one after another, alternately on the channel's owner and on
/// the other instance, leave in the order they were stored, whichever instance stored them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destinations_replies_leave_in_the_order_stored_whichever_instance_stored_them() {
    use switchboard_core::model::Author;
    use switchboard_core::post::{Post, PostKind};
    let db = TestDb::new(support::Backend::Postgres);
    let (one, two) = (instance(&db, "one").await, instance(&db, "two").await);
    let owns = |h: &Harness| h.core().roles().contains(&"outbox:webchat".to_owned());
    eventually("one instance sends web chat", || async { owns(&one) || owns(&two) }).await;
    let (owner, other) = if owns(&one) { (one, two) } else { (two, one) };
    let id = owner.core().ingest(inbound("kim", "kim-1", "hello")).await.unwrap().conversation_id.unwrap();
    let before = owner.stub.wait_for(1, Duration::from_secs(10)).await.len();
    for n in 0..30 {
        // The other instance's replies reach the owner through the table, its own in memory.
        let h = if n % 2 == 0 { &other } else { &owner };
        let reply = Post::new(id, Author::Agent, None, format!("reply {n}"), PostKind::Reply { channel: None });
        h.core().post(reply).await.unwrap();
    }
    let sent = owner.stub.wait_for(before + 30, Duration::from_secs(10)).await;
    let bodies: Vec<&str> = sent[before..].iter().map(|s| s.message.body.as_str()).collect();
    let expected: Vec<String> = (0..30).map(|n| format!("reply {n}")).collect();
    assert_eq!(bodies, expected, "in the order stored, each once");
    assert!(other.stub.sent().is_empty());
    owner.running.shutdown().await;
    other.running.shutdown().await;
}
