//! What agents (and the bot) add to a conversation: replies that go out through the outbox, and
//! private notes that never leave the inbox.

use crate::model::{AgentId, Author, ChannelKind, ConversationId};

#[derive(Debug, Clone)]
pub struct Post {
    pub conversation_id: ConversationId,
    pub author: Author,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub kind: PostKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// To the customer, on `channel` or (when `None`) the channel of their last message.
    Reply { channel: Option<ChannelKind> },
    /// A private note for agents.
    Note,
}
