//! Events between instances on one PostgreSQL: this instance's go out by `NOTIFY`, the others'
//! come in by `LISTEN` and are published here as theirs.
//!
//! Notifications wake live views; they are not the record. PostgreSQL drops them for a listener
//! whose connection is down, so after the listening connection comes back a `Resync` tells every
//! view to read the store again, which is the truth. Events go out after their commit, from a
//! task of their own: the writer never waits on them.

use crate::events::{Event, EventBus};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const CHANNEL: &str = "switchboard_events";
/// PostgreSQL refuses a payload of 8,000 bytes or more.
const MAX_PAYLOAD: usize = 7_800;
/// How long to wait before connecting again after the listening connection failed.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// One notification: events of one instance, as many as fit.
#[derive(Serialize, Deserialize)]
struct Notice {
    from: String,
    events: Vec<Event>,
}

/// The payloads carrying `events` of `instance`, each under PostgreSQL's limit.
fn payloads(instance: &str, events: Vec<Event>) -> Vec<String> {
    let mut payloads = Vec::new();
    let mut notice = Notice { from: instance.to_owned(), events: Vec::new() };
    for event in events {
        notice.events.push(event);
        let text = serde_json::to_string(&notice).expect("events serialize");
        if text.len() > MAX_PAYLOAD && notice.events.len() > 1 {
            let last = notice.events.pop().expect("just pushed");
            payloads.push(serde_json::to_string(&notice).expect("events serialize"));
            notice.events = vec![last];
        }
    }
    if !notice.events.is_empty() {
        payloads.push(serde_json::to_string(&notice).expect("events serialize"));
    }
    // One event too large on its own (an erasure of thousands of conversations): the others
    // reload instead.
    let reload = Notice { from: instance.to_owned(), events: vec![Event::Resync] };
    for payload in payloads.iter_mut().filter(|p| p.len() > MAX_PAYLOAD) {
        *payload = serde_json::to_string(&reload).expect("events serialize");
    }
    payloads
}

/// The exchange of events with the other instances, on PostgreSQL (a SQLite file has one
/// instance): this instance's events relayed out, theirs heard, until `stop`.
pub(crate) async fn start(
    store: &Store,
    instance: &str,
    events: &EventBus,
    stop: &CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    if store.backend() != crate::store::Backend::Postgres {
        return Vec::new();
    }
    let (relay_tx, relay_rx) = mpsc::unbounded_channel();
    events.relay_to(relay_tx);
    let relay = tokio::spawn(relay(store.clone(), instance.to_owned(), relay_rx, stop.clone()));
    let listening = match subscribe(store.url()).await {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::warn!(%error, "cannot listen for other instances' events yet; trying again");
            None
        }
    };
    let listen = tokio::spawn(listen(store.clone(), instance.to_owned(), events.clone(), listening, stop.clone()));
    vec![relay, listen]
}

/// Sends this instance's events to the others until `stop`, everything queued at once.
pub(crate) async fn relay(
    store: Store,
    instance: String,
    mut outgoing: mpsc::UnboundedReceiver<Event>,
    stop: CancellationToken,
) {
    loop {
        // Events first: those of the writer's last commits go out before a stop.
        let first = tokio::select! {
            biased;
            event = outgoing.recv() => event,
            () = stop.cancelled() => None,
        };
        let Some(first) = first else { return };
        let mut events = vec![first];
        while let Ok(event) = outgoing.try_recv() {
            events.push(event);
        }
        let payloads = serde_json::to_string(&payloads(&instance, events)).expect("payloads serialize");
        let sent = sqlx::query("SELECT pg_notify($1, value) FROM json_array_elements_text($2::json)")
            .bind(CHANNEL)
            .bind(payloads)
            .execute(store.pool())
            .await;
        if let Err(error) = sent {
            // Other instances' views reload when their listening connection comes back; an
            // unreachable database is felt everywhere else first.
            tracing::warn!(%error, "events were not sent to the other instances");
            metrics::counter!("switchboard_events_unrelayed_total").increment(1);
        }
    }
}

/// Publishes here the events other instances send, until `stop`, on `listening` (connected
/// at start, so that an instance hears the others from the moment it serves) and then on new
/// connections whenever one is lost.
pub(crate) async fn listen(
    store: Store,
    instance: String,
    events: EventBus,
    mut listening: Option<PgListener>,
    stop: CancellationToken,
) {
    // Whether events may have been missed before the connection now made: after a loss, or
    // when there was none at start.
    let mut missed = listening.is_none();
    loop {
        let listener = match listening.take() {
            Some(listener) => Ok(listener),
            None => tokio::select! {
                listener = subscribe(store.url()) => listener,
                () = stop.cancelled() => return,
            },
        };
        let mut listener = match listener {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for other instances' events; trying again");
                tokio::select! {
                    () = tokio::time::sleep(RECONNECT_AFTER) => continue,
                    () = stop.cancelled() => return,
                }
            }
        };
        if missed {
            tracing::info!("listening for other instances' events again; live views reload");
            events.publish_from_elsewhere(Event::Resync);
        }
        missed = true;
        loop {
            let received = tokio::select! {
                received = listener.try_recv() => received,
                () = stop.cancelled() => return,
            };
            match received {
                Ok(Some(notification)) => match serde_json::from_str::<Notice>(notification.payload()) {
                    Ok(notice) if notice.from != instance => {
                        notice.events.into_iter().for_each(|event| events.publish_from_elsewhere(event));
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "an unreadable notification was ignored"),
                },
                // The connection was lost: whatever was sent meanwhile is gone.
                Ok(None) | Err(_) => break,
            }
        }
    }
}

/// A connection listening for other instances' events.
pub(crate) async fn subscribe(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_events_are_split_into_payloads_postgres_accepts_and_none_is_lost() {
        let events: Vec<Event> =
            (0..500).map(|conversation_id| Event::ConversationChanged { conversation_id }).collect();
        let payloads = payloads("a1", events.clone());
        assert!(payloads.len() > 1);
        let mut back = Vec::new();
        for payload in &payloads {
            assert!(payload.len() <= MAX_PAYLOAD, "{}", payload.len());
            let notice: Notice = serde_json::from_str(payload).unwrap();
            assert_eq!(notice.from, "a1");
            back.extend(notice.events);
        }
        assert_eq!(back, events);
    }

    #[test]
    fn an_event_too_large_alone_becomes_a_resync() {
        let huge = Event::ConversationsErased { ids: (0..5_000).collect() };
        let payloads = payloads("a1", vec![Event::KnowledgeChanged, huge]);
        let events: Vec<Event> =
            payloads.iter().flat_map(|p| serde_json::from_str::<Notice>(p).unwrap().events).collect();
        assert_eq!(events, [Event::KnowledgeChanged, Event::Resync]);
    }
}
