//! JSON shapes of the customer API (docs/reference.md).

use serde::{Deserialize, Serialize};
use switchboard_core::clock::rfc3339;
use switchboard_core::model::{Attachment, Message};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = ChatSessionRequest)]
pub struct NewSession {
    pub name: Option<String>,
    pub locale: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ChatSession)]
pub struct SessionCreated {
    pub session_token: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ChatMessageRequest)]
pub struct NewMessage {
    /// The text; may be left out when `choice` is given.
    pub body: Option<String>,
    /// The id of a choice (button) offered to this visitor, pressed: stored as the label it
    /// showed (`csat:1` … `csat:5` are the satisfaction survey's).
    pub choice: Option<String>,
    /// Lets the page retry a send without creating a second message.
    pub client_id: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The next page: messages after this id.
    #[serde(default)]
    pub after: i64,
    /// Long poll: wait up to this many seconds (at most 30) for something new.
    #[serde(default)]
    #[param(maximum = 30)]
    pub wait: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ChatMessage)]
pub struct WireMessage {
    pub id: i64,
    pub direction: &'static str,
    pub author: &'static str,
    pub body: String,
    /// A reply's Markdown as sanitized HTML (lists, links to http and https with their host,
    /// bold, code); absent on the visitor's own messages, which are shown as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    pub created_at: String,
    pub attachments: Vec<WireAttachment>,
    /// Choices offered with a reply: the page shows them as buttons, and a press sends the
    /// label as the customer's message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<switchboard_core::model::Button>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ChatAttachment)]
pub struct WireAttachment {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ChatMessageList)]
pub struct MessageList {
    pub messages: Vec<WireMessage>,
    /// The language the visitor chose (`/lang`), when they did: the page follows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl WireMessage {
    /// `m` as the visitor reads it: where a secret was removed, the marker in their language.
    pub fn for_reader(m: &Message, localizer: &switchboard_core::l10n::Localizer, locale: &str) -> Self {
        let body = localizer.for_reader(locale, &m.body).into_owned();
        let reply = m.direction == switchboard_core::model::Direction::Outbound;
        WireMessage {
            id: m.id,
            direction: m.direction.as_str(),
            author: m.author.as_str(),
            html: reply.then(|| switchboard_core::markdown::render(&body, switchboard_core::markdown::Format::Html)),
            body,
            created_at: rfc3339(m.created_at),
            attachments: m.attachments.iter().map(WireAttachment::from).collect(),
            buttons: m.buttons.clone(),
        }
    }
}

impl From<&Attachment> for WireAttachment {
    fn from(a: &Attachment) -> Self {
        WireAttachment { id: a.id, filename: a.filename.clone(), content_type: a.content_type.clone(), size: a.size }
    }
}

/// What every refusal answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
}
