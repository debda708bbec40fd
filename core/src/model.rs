//! The conversation model: the vocabulary every other module speaks.

use serde::Serialize;
use std::fmt;

pub type ContactId = i64;
pub type ConversationId = i64;
pub type MessageId = i64;
pub type IdentityId = i64;
pub type AgentId = i64;

/// Milliseconds since the Unix epoch. Stored as a 64-bit integer so that the same SQL
/// runs on SQLite and PostgreSQL (see ARCHITECTURE.md, "store").
pub type Millis = i64;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::CoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::error::CoreError::Invalid(format!(
                        concat!("unknown ", stringify!($name), " {:?}"), other
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// The platforms a customer can write on.
    ChannelKind { Webchat = "webchat", Telegram = "telegram", Discord = "discord", Email = "email" }
);
string_enum!(Direction { Inbound = "inbound", Outbound = "outbound", Note = "note", System = "system" });
string_enum!(Author { Contact = "contact", Agent = "agent", Bot = "bot", System = "system" });
string_enum!(
    /// Why a conversation went to people.
    HandoffReason {
        Asked = "asked",
        Upset = "upset",
        Account = "account",
        Secret = "secret",
        NotSure = "not_sure",
        Topic = "topic",
        Scam = "scam",
        Transaction = "transaction",
        Complaint = "complaint",
        Compromised = "compromised",
        Impersonation = "impersonation",
        Agent = "agent"
    }
);
string_enum!(Status { Open = "open", Pending = "pending", Resolved = "resolved" });
string_enum!(Delivery { Queued = "queued", Sent = "sent", Failed = "failed" });
string_enum!(Priority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" });
string_enum!(
    /// What an SLA policy measures.
    SlaTarget { FirstResponse = "first_response", NextResponse = "next_response", Resolution = "resolution" }
);

impl HandoffReason {
    /// The priority lane: danger to the customer's funds goes ahead of the queue — a leaked
    /// recovery phrase or key, a scam or phishing in progress, a compromised account, an
    /// impersonator reported through `/verify`.
    pub fn is_danger(self) -> bool {
        matches!(
            self,
            HandoffReason::Secret | HandoffReason::Scam | HandoffReason::Compromised | HandoffReason::Impersonation
        )
    }
}

impl Priority {
    /// One step more urgent (urgent stays urgent).
    pub fn raised(self) -> Priority {
        match self {
            Priority::Low => Priority::Normal,
            Priority::Normal => Priority::High,
            Priority::High | Priority::Urgent => Priority::Urgent,
        }
    }

    /// Low 0 … urgent 3: the queue takes the highest first.
    pub fn rank(self) -> u8 {
        match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
            Priority::Urgent => 3,
        }
    }
}

/// A conversation's customer-facing reference, e.g. `#1042`.
///
/// Derived from the row id with an offset so that the first ticket does not read `#1`,
/// and parsed back for email subjects (`[#1042]`) and `/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference(pub ConversationId);

impl Reference {
    const OFFSET: i64 = 1000;

    pub fn parse(text: &str) -> Option<Reference> {
        let digits = text.trim().trim_start_matches('#');
        let n: i64 = digits.parse().ok()?;
        (n > Self::OFFSET).then_some(Reference(n - Self::OFFSET))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0 + Self::OFFSET)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: String,
    pub locale: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub id: IdentityId,
    pub contact_id: ContactId,
    pub channel: ChannelKind,
    pub external_id: String,
    pub display_name: String,
    pub lang_hint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub reference: String,
    pub contact_id: ContactId,
    pub status: Status,
    pub channel: ChannelKind,
    pub assignee_id: Option<AgentId>,
    pub priority: Priority,
    pub category: Option<String>,
    pub locale: Option<String>,
    pub tags: Vec<String>,
    pub created_at: Millis,
    pub last_message_at: Millis,
    pub resolved_at: Option<Millis>,
    pub handoff_at: Option<Millis>,
    /// Who resolved it (`Agent` or `Bot`), while it is resolved.
    pub resolved_by: Option<Author>,
    /// Since when the bot's answer waits on the customer (no agent is needed unless they write).
    pub bot_answered_at: Option<Millis>,
    /// Why it went to people, while it is with them; and whether that was outside business hours.
    pub handoff_reason: Option<HandoffReason>,
    pub handoff_off_hours: bool,
    /// The team it belongs to, if any.
    pub team_id: Option<i64>,
    /// Its SLA clocks as the desk last kept them, when a policy holds it.
    pub sla: Option<crate::desk::sla::Clocks>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub message_id: MessageId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: Option<ConversationId>,
    pub contact_id: ContactId,
    pub identity_id: Option<IdentityId>,
    pub direction: Direction,
    pub author: Author,
    pub agent_id: Option<AgentId>,
    pub channel: Option<ChannelKind>,
    pub body: String,
    pub created_at: Millis,
    /// When the customer last edited it on their platform (earlier texts are kept).
    pub edited_at: Option<Millis>,
    pub delivery: Option<Delivery>,
    pub delivery_error: Option<String>,
    /// How many secrets the ingest pipeline removed from this message (never what they were).
    pub redactions: i64,
    pub attachments: Vec<Attachment>,
    /// Transaction hashes and addresses recognised in the body.
    pub entities: Vec<crate::safety::Entity>,
    /// Choices offered with an outbound message.
    pub buttons: Vec<Button>,
    /// Sent by a machine (an auto-reply, a bounce, a mailing list): never answered.
    pub automated: bool,
}

/// A choice offered with a message (an inline keyboard button); pressing it sends `label` back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Button {
    pub id: String,
    pub label: String,
}

/// A file a customer sent, as its platform handed it over (an agent's upload too).
#[derive(Debug, Clone)]
pub struct InboundAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}
