//! The desk: teams, routing, auto-assignment, SLA clocks and automation rules — decisions
//! about who takes a conversation and by when, made by the instance that holds the timers'
//! role and written through the writer like any agent's change.

pub mod assign;
pub mod automation;
pub mod clocks;
pub mod notices;
pub mod peak;
pub mod route;
pub mod rules;
pub mod settings;
pub mod sla;
pub mod step;

pub use settings::DeskSettings;
pub use step::Looked;

use crate::hours::BusinessHours;

/// What the desk works with: its settings and the business hours SLA targets count in.
#[derive(Debug, Clone, Default)]
pub struct Desk {
    pub settings: DeskSettings,
    pub hours: Option<BusinessHours>,
}

/// How often the desk looks when nothing wakes it (a deadline is met within this).
const EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// The least time between two looks woken by events: a flood of messages makes a look every
/// quarter second, not one per message.
const PACE: std::time::Duration = std::time::Duration::from_millis(250);

/// The desk until `stop` (a timer: one instance runs it, see `Core::lead`): a look every
/// second, and at once when a conversation or the desk changes (another instance's changes
/// arrive as events too).
pub async fn run(core: crate::Core, desk: Desk, stop: tokio_util::sync::CancellationToken) {
    use crate::events::Event;
    let mut events = core.events().subscribe();
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {}
            event = events.recv() => match event {
                Ok(published) if matches!(published.event,
                    Event::HandedOff { .. } | Event::ConversationChanged { .. } | Event::DeskChanged
                    | Event::MessageCreated { .. } | Event::Resync) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                _ => continue,
            },
        }
        // One look answers every event that arrived meanwhile.
        while events.try_recv().is_ok() {}
        if let Err(error) = core.desk_step(&desk, crate::clock::now_ms()).await {
            tracing::warn!(%error, "the desk's look failed; it looks again within a second");
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(PACE) => {}
        }
    }
}
