//! The front door for platform messages: what an adapter's `normalize` makes (`Inbound`), what
//! it hears back once the message is durable (`Ingested`), and `Core::ingest` itself.
//!
//! A message goes through the write path: `prepare` (no database: secrets redacted, language
//! and command read, files kept) → `plan` (in memory: dedupe, identity → contact →
//! conversation, replies) → `write` (one transaction per batch) → release (the caller hears
//! "durable", events are published, the outbox gets the new entries). A message refused for
//! good (not for being empty or too long) is kept as a stand-in (`stand_in`).

mod accept;
mod stand_in;

pub use stand_in::StandIn;

use crate::model::{ChannelKind, ConversationId, InboundAttachment, MessageId};
use crate::safety::{Entity, Finding};

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
    /// Files over the size limit, not kept: the customer is told so in the same commit.
    pub too_large: TooLarge,
    pub threading: Threading,
    /// Sent by a machine (an auto-reply, a bounce, a mailing list): stored, never answered
    /// automatically.
    pub automated: bool,
    /// A pressed button's id (its label is `body`), when the message is a press.
    pub choice: Option<String>,
}

/// Files a customer sent that were over the size limit (`limit`, in bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TooLarge {
    pub files: Vec<String>,
    pub limit: u64,
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

/// Longest message body the core accepts, in bytes (a channel splits or attaches beyond it).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
