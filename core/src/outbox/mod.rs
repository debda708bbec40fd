//! The durable outbox and its dispatcher.
//!
//! Every outbound message is written to the `outbox` table in the same transaction as its
//! message row (planned by `plan`, written by `write`). One instance at a time sends each
//! channel's outbox (`claims`): it claims the pending entries when it takes the role (a crash
//! or a failover loses nothing), the writer hands it its own new entries in memory after the
//! commit, and it claims other instances' from the table. Delivery is at least once, each
//! message carrying a stable idempotency key.
//!
//! Order is kept per destination (a "lane": channel + chat): a lane sends one message at a time
//! and a message that must wait (platform `retry_after`, transient failure backoff) holds back
//! the ones behind it, while other lanes proceed. Throttles (token buckets per destination and
//! per channel) pace sends before the platform has to say 429.

mod backoff;
pub mod claims;
mod dispatcher;
mod outage;
mod settings;
mod throttle;

pub use backoff::RetryPolicy;
pub(crate) use dispatcher::Dispatcher;
pub use dispatcher::DispatcherConfig;
pub use settings::{KEYS, is_throttle_key};
pub use throttle::{Bucket, Rate, Throttle, Window};

use crate::channel::OutboundMessage;
use crate::model::{ChannelKind, ContactId, ConversationId, IdentityId, Millis};

/// One pending delivery, as the dispatcher holds it.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub id: i64,
    pub channel: ChannelKind,
    pub conversation_id: Option<ConversationId>,
    pub contact_id: ContactId,
    pub identity_id: Option<IdentityId>,
    /// The outbox epoch it is sent under (see `claims`); `None` until an owner claims it.
    pub claim: Option<i64>,
    pub attempts: u32,
    pub next_attempt_at: Millis,
    pub message: OutboundMessage,
}

/// What the writer hands the dispatcher after a commit.
#[derive(Debug)]
pub(crate) enum Dispatch {
    /// New entries, sent if claimed under this instance's current epoch for their channel
    /// (else another owner, or this one's next claim, takes them from the table).
    Send(Vec<OutboxEntry>),
    /// This instance holds `channel`'s outbox under `epoch`, and claimed `entries`.
    Claimed { channel: ChannelKind, epoch: i64, entries: Vec<OutboxEntry> },
    /// The role `epoch` of `channel` is lost: what was not begun is dropped (its next owner
    /// claims it).
    Disown { channel: ChannelKind, epoch: i64 },
    /// Entries (outbox ids) deleted before they were sent — a contact erased: never to be sent.
    /// One already on its way cannot be called back.
    Withdraw(Vec<i64>),
}

/// The writer's way to the dispatcher: what to send, and the epochs to claim new entries under.
#[derive(Clone)]
pub(crate) struct Handoff {
    pub send: tokio::sync::mpsc::UnboundedSender<Dispatch>,
    pub claims: claims::Claims,
    /// PostgreSQL (several instances may store replies): new entries are left in the table
    /// for their channel's owner to claim, and its claim loop is woken (`claims::Wakes`).
    pub wakes: Option<std::sync::Arc<claims::Wakes>>,
}

impl Handoff {
    /// Hands `dispatch` over; a dispatcher gone (at shutdown) leaves the entries in the table.
    pub fn hand(&self, dispatch: Dispatch) {
        match (dispatch, &self.wakes) {
            (Dispatch::Send(entries), Some(wakes)) => wakes.wake(&entries),
            (dispatch, _) => drop(self.send.send(dispatch)),
        }
    }

    /// The epochs new entries are claimed under in the writer's own insert: this instance's
    /// channels on SQLite (one instance serves the file); none on PostgreSQL.
    pub fn stamps(&self) -> std::collections::HashMap<ChannelKind, i64> {
        match self.wakes {
            Some(_) => Default::default(),
            None => self.claims.snapshot(),
        }
    }
}

/// What the dispatcher tells the writer after a send attempt.
#[derive(Debug)]
pub(crate) enum DeliveryReport {
    Sent {
        entry: OutboxEntry,
        external_id: Option<String>,
    },
    Retry {
        entry: OutboxEntry,
        error: String,
    },
    /// `gone`: the recipient cannot be reached any more (their identity is marked).
    Failed {
        entry: OutboxEntry,
        error: String,
        gone: bool,
    },
}

impl DeliveryReport {
    pub fn entry(&self) -> &OutboxEntry {
        match self {
            DeliveryReport::Sent { entry, .. }
            | DeliveryReport::Retry { entry, .. }
            | DeliveryReport::Failed { entry, .. } => entry,
        }
    }
}
