//! `/api/v1/events`: the live stream (server-sent events) the inbox pages listen to.

use crate::AppState;
use crate::auth::Session;
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// How often an open stream records its agent's presence.
const BEAT: Duration = Duration::from_secs(30);

struct Beat {
    presence: crate::presence::Presence,
    store: switchboard_core::store::Store,
    agent: switchboard_core::model::AgentId,
    tick: tokio::time::Interval,
}

/// Every change as it happens, on this instance or another sharing its database:
/// `message_created`, `delivery_changed`, `conversation_changed`, `handed_off`, `assigned`
/// (`assignee`), `mentioned` (the `agents` a note @-mentions), `contacts_merged`,
/// `conversations_erased`, `sla` (a `target` close to its deadline or `breached`, the `agents`
/// to tell); and `resync` when this client (or this instance,
/// for other instances' changes) fell behind and should reload what it shows.
#[utoipa::path(get, path = "/api/v1/events", operation_id = "stream_events", tag = "events",
    responses((status = 200, description = "`message_created`, `delivery_changed`, `conversation_changed`, `handed_off`, `assigned`, `mentioned`, `contacts_merged`, `conversations_erased` (ids only)", content_type = "text/event-stream", body = String)))]
pub async fn stream(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = state.core.events().subscribe();
    // While the stream is open the agent's inbox is open: their presence beats (availability
    // lapses to away some time after the last beat; see the desk's settings).
    let beat = Beat {
        presence: state.presence.clone(),
        store: state.core.store().clone(),
        agent: session.agent.id,
        tick: tokio::time::interval(BEAT),
    };
    let events = futures_util::stream::unfold((receiver, beat), |(mut receiver, mut beat)| async move {
        loop {
            tokio::select! {
                _ = beat.tick.tick() => beat.presence.seen(&beat.store, beat.agent),
                received = receiver.recv() => {
                    let event = match received {
                        Ok(published) => {
                            let json = serde_json::to_value(&published.event).expect("events serialize");
                            let name = json["type"].as_str().unwrap_or("event").to_owned();
                            SseEvent::default().event(name).data(json.to_string())
                        }
                        Err(RecvError::Lagged(missed)) => SseEvent::default().event("resync").data(missed.to_string()),
                        Err(RecvError::Closed) => return None,
                    };
                    return Some((Ok(event), (receiver, beat)));
                }
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
