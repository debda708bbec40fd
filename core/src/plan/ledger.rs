//! The reporting ledger in the planner: each decision that reports count appends its event
//! (written with the batch, in its transaction; see `write::ledger`).

use super::Planner;
use super::rows::LedgerRow;
use crate::model::*;

/// What happened, as the ledger names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Happened {
    Opened,
    Reopened,
    CustomerMessage,
    BotReply,
    AgentReply,
    Assigned,
    HandedOff,
    Resolved,
    Rated,
}

impl Happened {
    fn as_str(self) -> &'static str {
        match self {
            Happened::Opened => "opened",
            Happened::Reopened => "reopened",
            Happened::CustomerMessage => "customer_message",
            Happened::BotReply => "bot_reply",
            Happened::AgentReply => "agent_reply",
            Happened::Assigned => "assigned",
            Happened::HandedOff => "handed_off",
            Happened::Resolved => "resolved",
            Happened::Rated => "rated",
        }
    }
}

/// One event: who (an agent), on which channel, and what more (a reason, a resolver, a rating).
#[derive(Debug, Default)]
pub(crate) struct Detail {
    pub agent_id: Option<AgentId>,
    pub channel: Option<ChannelKind>,
    pub detail: Option<String>,
}

impl Planner<'_> {
    /// Appends `what` happened to `conversation` now.
    pub(super) fn record(&mut self, conversation: ConversationId, what: Happened, detail: Detail) {
        self.rows.ledger.push(LedgerRow {
            conversation_id: conversation,
            kind: what.as_str(),
            at: self.cx.now,
            agent_id: detail.agent_id,
            channel: detail.channel.map(ChannelKind::as_str),
            detail: detail.detail,
        });
    }
}
