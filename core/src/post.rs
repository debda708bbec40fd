//! What agents (and the bot) add to a conversation: replies that go out through the outbox, and
//! private notes that never leave the inbox.

use crate::model::{AgentId, Author, ChannelKind, ConversationId, Priority, Status};

#[derive(Debug, Clone)]
pub struct Post {
    pub conversation_id: ConversationId,
    pub author: Author,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub kind: PostKind,
    /// Files an agent attaches: kept with the message, and sent with a reply.
    pub attachments: Vec<crate::model::InboundAttachment>,
    /// Choices offered with a reply, on channels that show buttons.
    pub buttons: Vec<crate::model::Button>,
    /// For a reply: the contact's identity (chat, session, mail thread) to send it to. `None`:
    /// the one the customer wrote from in this conversation, on the reply's channel.
    pub identity_id: Option<crate::model::IdentityId>,
    /// The satisfaction survey this reply asks: sent only while that survey is still due.
    pub survey: Option<i64>,
    /// Agents @-mentioned in a note (the caller resolves the names): they are notified.
    pub mentions: Vec<crate::model::AgentId>,
    /// An announcement to many customers (mail offers to unsubscribe).
    pub bulk: bool,
}

impl Post {
    /// Text only; set `attachments` or `buttons` on the result to add them.
    pub fn new(
        conversation_id: ConversationId,
        author: Author,
        agent_id: Option<AgentId>,
        body: impl Into<String>,
        kind: PostKind,
    ) -> Post {
        Post {
            conversation_id,
            author,
            agent_id,
            body: body.into(),
            kind,
            attachments: Vec::new(),
            buttons: Vec::new(),
            identity_id: None,
            survey: None,
            mentions: Vec::new(),
            bulk: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// To the customer, on `channel` or (when `None`) the channel of their last message.
    Reply { channel: Option<ChannelKind> },
    /// A private note for agents.
    Note,
}

/// What an agent changes on a conversation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ConversationUpdate {
    pub id: ConversationId,
    pub status: Option<Status>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<AgentId>>,
    pub priority: Option<Priority>,
    pub tags: Option<Vec<String>>,
    /// `Some(true)` hands the conversation to people (the bot falls silent), `Some(false)`
    /// hands it back to the bot. Resolving a conversation ends a handoff too.
    pub handoff: Option<bool>,
    /// With `handoff: Some(true)`: why (kept while handed off; the first reason stays), and
    /// whether it happens outside business hours.
    pub handoff_reason: Option<crate::model::HandoffReason>,
    pub handoff_off_hours: bool,
    /// The bot makes this change (a resolution is then the bot's, told apart in reports).
    pub by_bot: bool,
    /// A resolution that asks no satisfaction survey (an incident's, resolved for everyone).
    pub no_survey: bool,
    /// The priority lane: the danger this change puts the conversation ahead of the queue for;
    /// `notify` are told.
    pub danger: Option<crate::model::HandoffReason>,
    /// Opens the conversation's complaint or moves it on (written with the change).
    pub complaint: Option<crate::complaints::ComplaintStep>,
    /// Only if the conversation is open, with no person on it, and the bot's answer has waited
    /// on the customer since before this time (Unix ms): the idle resolution, which must not
    /// race a customer writing again.
    pub if_bot_answered_before: Option<crate::model::Millis>,
    /// The agent making the change, if an agent does (the ledger credits their resolutions).
    pub agent_id: Option<AgentId>,
    /// `Some(None)` takes it out of its team.
    pub team: Option<Option<i64>>,
    /// The desk's guards, against a change made meanwhile: only if the assignee is still this
    /// one (`Some(None)`: still no one) …
    pub if_assignee: Option<Option<AgentId>>,
    /// … and, for routing, only if this cycle was not routed yet (the change marks it routed).
    pub route: bool,
    /// SLA events the desk records with the change (the ledger's; reports count them).
    pub sla: Vec<SlaMark>,
    /// A system note written with the change, only if it is made (why the desk made it).
    pub note: Option<String>,
    /// Agents told of the change's SLA warnings and breaches (the assignee, the team's lead).
    pub notify: Vec<AgentId>,
}

/// An SLA event on a conversation's current cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaMark {
    /// The cycle is held to this policy from now on.
    Policy(i64),
    Warning(crate::model::SlaTarget),
    Breach(crate::model::SlaTarget),
}
