//! Stand-ins: a platform message that could not be read or stored for good (a database's
//! refusal, a bug) is not dropped in silence, nor retried for ever in front of everyone else's.
//! What is known of it — sender, chat, platform id — is stored with a note in place of its
//! text, so agents see that the customer wrote and can ask again; its platform id makes a
//! redelivery a duplicate, so a poll loop moves on.

use super::{Inbound, Ingested, Sender, Threading};
use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::ChannelKind;
use crate::prepare::Prepared;
use crate::write::WriteOp;
use tokio::sync::oneshot;

/// What identifies a platform message besides its content.
#[derive(Debug, Clone)]
pub struct StandIn {
    pub channel: ChannelKind,
    pub external_id: String,
    pub chat: String,
    pub thread: Option<String>,
    pub sender: Sender,
    pub threading: Threading,
}

impl StandIn {
    /// `inbound` without its content (its sender's name is made storable and redacted only if
    /// the stand-in is ever stored: this is kept for every message of a batch).
    pub fn of(inbound: &Inbound) -> StandIn {
        StandIn {
            channel: inbound.channel,
            external_id: inbound.external_id.clone(),
            chat: inbound.chat.clone(),
            thread: inbound.thread.clone(),
            sender: inbound.sender.clone(),
            threading: inbound.threading.clone(),
        }
    }
}

/// Whether `error` refused a message for good in a way agents should hear of (not a customer's
/// empty or oversized message, which is refused to them directly).
pub(crate) fn stands_in_for(error: &CoreError) -> bool {
    match error {
        CoreError::Internal(_) => true,
        CoreError::Database(_) => !error.is_transient(),
        _ => false,
    }
}

impl Core {
    /// Stores a stand-in for a message that could not be read or stored: from its sender, in
    /// its chat, with a note instead of its text, never answered automatically. `reason` is
    /// logged (it names no content), not stored.
    pub async fn ingest_stand_in(&self, stand_in: StandIn, reason: &str) -> Result<Ingested> {
        let StandIn { channel, external_id, chat, thread, mut sender, threading } = stand_in;
        tracing::warn!(%channel, reason, "a message could not be read or stored; keeping a stand-in for agents");
        metrics::counter!("switchboard_messages_stood_in_total", "channel" => channel.as_str()).increment(1);
        // However the stand-in was made (from a message, or from what an unreadable update
        // showed), its sender's name is redacted like any text; `clean_inbound` below makes it
        // storable.
        sender.display_name = crate::safety::redact(&sender.display_name).text;
        let locale = sender.lang_hint.clone().unwrap_or_default();
        let body = self.localizer().text(&locale, "message-unreadable", &[]);
        let mut inbound = Inbound {
            channel,
            external_id,
            chat,
            thread,
            sender,
            body,
            attachments: Vec::new(),
            too_large: Default::default(),
            threading,
            automated: true,
            choice: None,
        };
        crate::storable::clean_inbound(&mut inbound);
        let prepared = Prepared {
            inbound,
            findings: Vec::new(),
            entities: Vec::new(),
            detected_language: None,
            command: None,
            attachments: Vec::new(),
        };
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Ingest(Box::new(prepared), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }
}
