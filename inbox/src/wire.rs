//! JSON shapes of `/api/v1` (docs/reference.md).

use crate::explorers::{ExplorerLink, Explorers};
use serde::Serialize;
use switchboard_core::clock::rfc3339;
use switchboard_core::l10n::Localizer;
use switchboard_core::model::{Attachment, Conversation, Message};
use switchboard_core::store::conversations::ConversationSummary;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContactRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WireConversation {
    pub id: i64,
    pub reference: String,
    pub status: &'static str,
    pub channel: &'static str,
    pub contact: ContactRef,
    pub assignee_id: Option<i64>,
    pub priority: &'static str,
    pub category: Option<String>,
    pub locale: Option<String>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub last_message_at: String,
    pub waiting_since: Option<String>,
    pub resolved_at: Option<String>,
    pub handoff_at: Option<String>,
    /// Why it went to people (`asked`, `upset`, `account`, `secret`, `not_sure`, `topic`, `transaction`,
    /// `agent`), while it is with them; and whether that was outside business hours.
    pub handoff_reason: Option<&'static str>,
    pub handoff_off_hours: bool,
    /// `agent` or `bot`, while resolved.
    pub resolved_by: Option<&'static str>,
    /// Since when the bot's answer waits on the customer (not on an agent).
    pub bot_answered_at: Option<String>,
    /// The team it belongs to, if any.
    pub team_id: Option<i64>,
    /// Its SLA clocks, when a policy holds it.
    pub sla: Option<WireSla>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// Under a search (`q`): where it found the conversation — the matching message's words,
    /// else the contact's name, the reference or a tag — cut into segments, the hits marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Vec<switchboard_core::search::Segment>>,
}

impl WireConversation {
    pub fn new(c: &Conversation, contact_name: String, waiting_since: Option<i64>, last: Option<String>) -> Self {
        WireConversation {
            id: c.id,
            reference: c.reference.clone(),
            status: c.status.as_str(),
            channel: c.channel.as_str(),
            contact: ContactRef { id: c.contact_id, name: contact_name },
            assignee_id: c.assignee_id,
            priority: c.priority.as_str(),
            category: c.category.clone(),
            locale: c.locale.clone(),
            tags: c.tags.clone(),
            created_at: rfc3339(c.created_at),
            last_message_at: rfc3339(c.last_message_at),
            waiting_since: waiting_since.map(rfc3339),
            resolved_at: c.resolved_at.map(rfc3339),
            handoff_at: c.handoff_at.map(rfc3339),
            handoff_reason: c.handoff_reason.map(|r| r.as_str()),
            handoff_off_hours: c.handoff_off_hours,
            resolved_by: c.resolved_by.map(|a| a.as_str()),
            bot_answered_at: c.bot_answered_at.map(rfc3339),
            team_id: c.team_id,
            sla: c.sla.as_ref().map(WireSla::from),
            last_message: last,
            found: None,
        }
    }
}

/// A conversation's SLA clocks: each running target's deadline (none once met), the targets
/// missed in this cycle, and whether the clocks are paused (waiting on the customer).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WireSla {
    pub first_response_due_at: Option<String>,
    pub next_response_due_at: Option<String>,
    pub resolution_due_at: Option<String>,
    /// `first_response`, `next_response`, `resolution`.
    pub breached: Vec<&'static str>,
    pub paused: bool,
}

impl From<&switchboard_core::desk::sla::Clocks> for WireSla {
    fn from(c: &switchboard_core::desk::sla::Clocks) -> Self {
        WireSla {
            first_response_due_at: c.first_response_due_at.map(rfc3339),
            next_response_due_at: c.next_response_due_at.map(rfc3339),
            resolution_due_at: c.resolution_due_at.map(rfc3339),
            breached: c.breached.iter().map(|t| t.as_str()).collect(),
            paused: c.paused,
        }
    }
}

impl From<&ConversationSummary> for WireConversation {
    fn from(s: &ConversationSummary) -> Self {
        let wire = WireConversation::new(&s.conversation, s.contact_name.clone(), s.waiting_since, s.last_body.clone());
        WireConversation { found: s.found.clone(), ..wire }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WireMessage {
    pub id: i64,
    pub conversation_id: Option<i64>,
    pub direction: &'static str,
    pub author: &'static str,
    pub agent_id: Option<i64>,
    pub channel: Option<&'static str>,
    pub body: String,
    pub created_at: String,
    /// When the customer last edited it (its earlier text is kept).
    pub edited_at: Option<String>,
    pub delivery: Option<&'static str>,
    pub delivery_error: Option<String>,
    /// How many secrets were removed from this message before it was stored.
    pub redactions: i64,
    pub attachments: Vec<WireAttachment>,
    /// Transaction hashes and addresses, with block-explorer links.
    pub entities: Vec<WireEntity>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WireEntity {
    pub kind: &'static str,
    pub chain: &'static str,
    pub value: String,
    pub links: Vec<ExplorerLink>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WireAttachment {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
}

impl WireMessage {
    /// `m` as an agent reading in `locale` sees it (redaction markers in their language), with
    /// explorer links for its hashes and addresses.
    pub fn new(m: &Message, explorers: &Explorers, localizer: &Localizer, locale: &str) -> Self {
        let mut wire = WireMessage::from(m);
        wire.body = localizer.for_reader(locale, &m.body).into_owned();
        wire.entities = m
            .entities
            .iter()
            .map(|e| WireEntity {
                kind: e.kind.as_str(),
                chain: e.chain,
                value: e.value.clone(),
                links: explorers.links(e),
            })
            .collect();
        wire
    }
}

impl From<&Message> for WireMessage {
    fn from(m: &Message) -> Self {
        WireMessage {
            id: m.id,
            conversation_id: m.conversation_id,
            direction: m.direction.as_str(),
            author: m.author.as_str(),
            agent_id: m.agent_id,
            channel: m.channel.map(|c| c.as_str()),
            body: m.body.clone(),
            created_at: rfc3339(m.created_at),
            edited_at: m.edited_at.map(rfc3339),
            delivery: m.delivery.map(|d| d.as_str()),
            delivery_error: m.delivery_error.clone(),
            redactions: m.redactions,
            attachments: m.attachments.iter().map(WireAttachment::from).collect(),
            entities: Vec::new(),
        }
    }
}

impl From<&Attachment> for WireAttachment {
    fn from(a: &Attachment) -> Self {
        WireAttachment {
            id: a.id,
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            url: format!("/api/v1/attachments/{}", a.id),
        }
    }
}

/// `GET /api/v1/conversations`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationList {
    pub conversations: Vec<WireConversation>,
    pub counts: switchboard_core::store::conversations::ViewCounts,
}

/// `GET /api/v1/conversations/{id}`: the conversation and a page of its messages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConversationDetail {
    #[serde(flatten)]
    pub conversation: WireConversation,
    pub messages: Vec<WireMessage>,
    /// The satisfaction survey of each resolution cycle an agent ended, the first first.
    pub surveys: Vec<switchboard_core::store::Survey>,
    /// Its latest complaint (open, or the last closed), if it has one.
    pub complaint: Option<switchboard_core::complaints::Complaint>,
}

/// A page of messages, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MessagePage {
    pub messages: Vec<WireMessage>,
}

/// `POST /api/v1/login`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// With the session cookie: send as `X-CSRF-Token` on every change.
    pub csrf_token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentList {
    pub agents: Vec<switchboard_core::store::agents::Agent>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CannedList {
    pub canned_responses: Vec<switchboard_core::store::canned::CannedResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleList {
    pub articles: Vec<switchboard_core::store::kb::KbArticle>,
}

/// An agent's public handle on a channel.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffHandleView {
    pub id: i64,
    pub agent_id: i64,
    pub agent_name: Option<String>,
    pub channel: switchboard_core::model::ChannelKind,
    pub handle: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffHandleList {
    pub staff_handles: Vec<StaffHandleView>,
}

/// What every refusal answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What is wrong, in words.
    pub error: String,
    /// For the refusals an interface words itself: `refused_secret_request`, `admins_only`.
    pub code: Option<String>,
}
