//! `core::ingest`: from a normalized platform message to a durable, routed conversation message.
//!
//! The flow (see DESIGN.md): prepare off the database (redact secrets, detect language, parse
//! commands, store attachment bytes) → hand to the group-commit writer, which in one transaction
//! per batch dedupes, resolves identity → contact → conversation, persists the message and its
//! platform link, and queues replies in the outbox → after the commit, the caller hears
//! "durable", events are published and the dispatcher gets the new outbox entries. A message
//! refused for good (not for being empty or too long) is kept as a stand-in (`stand_in`).

pub(crate) mod agent_ops;
mod attachments;
mod bulk;
mod deliveries;
mod ids;
mod keyed;
mod linking;
mod lookup;
mod plan;
pub(crate) mod prepare;
mod stand_in;
mod threading;
pub(crate) mod writer;

pub use stand_in::StandIn;
pub(crate) use stand_in::stands_in_for;

use crate::commands::Command;
use crate::model::{ChannelKind, ConversationId, MessageId};
use crate::safety::{Entity, Finding};

pub use attachments::AttachmentStore;

/// A platform message after an adapter's pure `normalize`.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub channel: ChannelKind,
    /// Unique within the channel (adapters qualify per-chat ids, e.g. Telegram `chat:message`).
    pub external_id: String,
    /// Where replies go: the chat, channel, mailbox or session the message came from.
    pub chat: String,
    pub thread: Option<String>,
    pub sender: Sender,
    pub body: String,
    pub attachments: Vec<InboundAttachment>,
    pub threading: Threading,
    /// Sent by a machine (an auto-reply, a bounce, a mailing list): stored, never answered
    /// automatically.
    pub automated: bool,
}

/// How a message finds its conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Threading {
    /// Chats: the contact's open (or recently resolved) conversation continues.
    #[default]
    Latest,
    /// Mail: only the conversation its references (platform ids of earlier messages, ours or the
    /// customer's) or its `[#REF]` tag name, and only when that conversation is the sender's
    /// contact's; anything else opens a new conversation.
    Explicit { references: Vec<String>, tagged: Option<ConversationId> },
}

#[derive(Debug, Clone)]
pub struct Sender {
    /// The platform's stable id for the person (Telegram user id, Discord user id, address).
    pub external_id: String,
    pub display_name: String,
    /// The language the platform says the person uses (Telegram `language_code`, browser).
    pub lang_hint: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InboundAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the caller learns once the message is durable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub message_id: MessageId,
    pub conversation_id: Option<ConversationId>,
    /// The same (channel, external id) was stored before: nothing new was written.
    pub duplicate: bool,
    pub opened: Opened,
    /// Secrets removed before storage (their kinds, never their values).
    pub findings: Vec<Finding>,
    /// Transaction hashes and addresses in the message.
    pub entities: Vec<Entity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// Added to the contact's open conversation (or to none, for a command).
    Existing,
    /// A recently resolved conversation was reopened.
    Reopened,
    /// A new conversation was created.
    New,
}

/// An inbound message after the work that needs no database.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub inbound: Inbound,
    pub findings: Vec<Finding>,
    pub entities: Vec<Entity>,
    pub detected_language: Option<String>,
    pub command: Option<Command>,
    pub attachments: Vec<attachments::Stored>,
}

/// An agent's (or the bot's) post with its files already on disk.
#[derive(Debug)]
pub(crate) struct PreparedPost {
    pub post: crate::post::Post,
    pub attachments: Vec<attachments::Stored>,
    /// The same files as a channel sends them.
    pub outbound: Vec<crate::channel::OutboundAttachment>,
}

/// Longest message body the core accepts, in bytes (a channel splits or attaches beyond it).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
