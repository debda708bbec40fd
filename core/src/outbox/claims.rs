//! Which channels' outboxes this instance sends, across instances: one owner per channel at a
//! time, through the lease `outbox:<channel>`. Every entry to send is claimed first — stamped
//! with the owner's epoch, in the writer's own insert when this instance owns the channel, or
//! by the owner's claim of unclaimed rows (other instances' entries, and those of an earlier
//! owner) — and its delivery is recorded only under that claim. One owner per channel keeps
//! each destination's order and makes the channel's throttles (Telegram's 30/s overall and
//! 1/s per chat, Discord's buckets, SMTP's pace) hold for all instances together.

use super::Dispatch;
use super::OutboxEntry;
use crate::Core;
use crate::events::Published;
use crate::lease::Held;
use crate::model::ChannelKind;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;
use tokio::sync::mpsc;

/// The epoch each owned channel's entries are claimed under, as the dispatcher last accepted
/// it: the writer stamps new entries with it.
#[derive(Clone, Default)]
pub(crate) struct Claims(Arc<RwLock<HashMap<ChannelKind, i64>>>);

impl Claims {
    pub fn snapshot(&self) -> HashMap<ChannelKind, i64> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn get(&self, channel: ChannelKind) -> Option<i64> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).get(&channel).copied()
    }

    pub(super) fn set(&self, channel: ChannelKind, epoch: Option<i64>) {
        let mut claims = self.0.write().unwrap_or_else(PoisonError::into_inner);
        match epoch {
            Some(epoch) => claims.insert(channel, epoch),
            None => claims.remove(&channel),
        };
    }
}

/// PostgreSQL: the writer's word to each channel's claim loop that it stored new entries.
/// Nothing is handed over in memory there: the owner claims every entry from the table, so a
/// destination's replies leave in the order they were committed (message ids rise in commit
/// order), whichever instance stored them.
#[derive(Default)]
pub(crate) struct Wakes(HashMap<ChannelKind, Arc<tokio::sync::Notify>>);

impl Wakes {
    pub fn new(channels: impl Iterator<Item = ChannelKind>) -> Wakes {
        Wakes(channels.map(|channel| (channel, Arc::default())).collect())
    }

    pub fn of(&self, channel: ChannelKind) -> Option<Arc<tokio::sync::Notify>> {
        self.0.get(&channel).cloned()
    }

    /// Wakes the loops of the channels `entries` go to (a wake while the loop is busy is kept
    /// for its next turn).
    pub fn wake(&self, entries: &[OutboxEntry]) {
        for (channel, wake) in &self.0 {
            if entries.iter().any(|e| e.channel == *channel) {
                wake.notify_one();
            }
        }
    }
}

/// The role that sends `channel`'s outbox.
pub fn role(channel: ChannelKind) -> String {
    format!("outbox:{channel}")
}

/// How often an owner looks for entries it has not claimed yet, when nothing wakes it sooner.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// While `held`: claims `channel`'s unclaimed entries and hands them to the dispatcher — at
/// once, then whenever this instance (`stored`, on PostgreSQL) or another one stores something
/// and at least every `LOOK_EVERY`; when the role is lost, the dispatcher drops what it has not
/// begun to send.
pub(crate) async fn keep_claiming(
    core: Core,
    channel: ChannelKind,
    held: Held,
    dispatch: mpsc::UnboundedSender<Dispatch>,
    stored: Option<Arc<tokio::sync::Notify>>,
) {
    let epoch = held.lease.epoch;
    let mut events = core.events().subscribe();
    let mut first = true;
    loop {
        match core.store().claim_outbox(core.attachments(), channel, &held.lease).await {
            Ok(entries) if first || !entries.is_empty() => {
                first = false;
                if dispatch.send(Dispatch::Claimed { channel, epoch, entries }).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%channel, %error, "claiming outbox entries failed; trying again"),
        }
        // Another instance's new messages may be replies to send here; a flood is looked at
        // in one claim per pause, not one per message.
        let woken = async {
            loop {
                match events.recv().await {
                    Ok(Published { here: false, .. }) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        };
        let stored_here = async {
            match &stored {
                Some(stored) => stored.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = stored_here => {}
            () = woken => tokio::time::sleep(Duration::from_millis(20)).await,
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = held.lost.cancelled() => break,
        }
    }
    let _ = dispatch.send(Dispatch::Disown { channel, epoch });
}
