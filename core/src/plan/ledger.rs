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
    /// Given to a team (detail: the team's id).
    Team,
    /// Set to pending (waits on the customer: SLA clocks pause).
    Pending,
    /// Back to open from pending by an agent (a customer's message does it too).
    Resumed,
    /// An SLA target's warning or breach (detail: the target), and the policy a cycle is held
    /// to (detail: its id).
    SlaWarning,
    SlaBreach,
    SlaPolicy,
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
            Happened::Team => "team",
            Happened::Pending => "pending",
            Happened::Resumed => "resumed",
            Happened::SlaWarning => "sla_warning",
            Happened::SlaBreach => "sla_breach",
            Happened::SlaPolicy => "sla_policy",
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
