//! What the API and the pages both show of conversations: the list's filters as a query
//! (`ListQuery`), a conversation and a message in their wire shapes.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use crate::wire::{WireConversation, WireMessage};
use serde::Deserialize;
use switchboard_core::model::{ChannelKind, ConversationId, Status};
use switchboard_core::store::conversations::{AssigneeFilter, ConversationFilter};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `open` (default), `pending`, `resolved` or `all`.
    pub status: Option<String>,
    /// `webchat`, `telegram`, `discord` or `email`.
    pub channel: Option<String>,
    /// `me`, `unassigned`, `anyone` (default) or an agent's id.
    pub assignee: Option<String>,
    /// Conversations with this tag.
    pub tag: Option<String>,
    /// A language or its prefix (`zh` finds `zh-CN`).
    pub language: Option<String>,
    /// Words to find: a reference (`#1042`), a message's words (Chinese too), the contact's
    /// name, handles, e-mail addresses or attributes, a tag. The most recent match first.
    pub q: Option<String>,
    /// `bot`: only conversations whose bot answer waits on the customer; `people`: only the
    /// others (the agents' queue); unset: both.
    pub stage: Option<String>,
    /// At most this many (1 to 100, default 50).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

impl ListQuery {
    /// The store filter this query asks for; `me` is the signed-in agent.
    pub fn filter(&self, me: i64) -> Result<ConversationFilter, ApiError> {
        let status = match self.status.as_deref().unwrap_or("open") {
            "all" => None,
            other => Some(other.parse::<Status>().map_err(|_| {
                ApiError::Unprocessable(format!("status {other:?}: expected open, pending, resolved or all"))
            })?),
        };
        let channel = match self.channel.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(c.parse::<ChannelKind>().map_err(|_| ApiError::Unprocessable(format!("channel {c:?}")))?),
        };
        let assignee = match self.assignee.as_deref().unwrap_or("anyone") {
            "anyone" | "" => AssigneeFilter::Anyone,
            "me" => AssigneeFilter::Agent(me),
            "unassigned" => AssigneeFilter::Unassigned,
            id => AssigneeFilter::Agent(id.parse().map_err(|_| {
                ApiError::Unprocessable(format!("assignee {id:?}: expected me, unassigned, anyone or an agent id"))
            })?),
        };
        let (bot_answered, low_rating) = match self.stage.as_deref().unwrap_or("") {
            "" => (None, false),
            "bot" => (Some(true), false),
            "people" => (Some(false), false),
            "low_rating" => (None, true),
            other => {
                return Err(ApiError::Unprocessable(format!("stage {other:?}: expected bot, people or low_rating")));
            }
        };
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        Ok(ConversationFilter {
            status,
            channel,
            assignee,
            tag: text(&self.tag),
            language: text(&self.language),
            search: text(&self.q),
            bot_answered,
            low_rating,
            limit: self.limit.unwrap_or(50).clamp(1, 100),
            offset: self.offset.unwrap_or(0).max(0),
        })
    }
}

/// A conversation in its wire shape, with its contact's name and how long it has waited.
pub async fn wire_conversation(state: &AppState, id: ConversationId) -> Result<WireConversation, ApiError> {
    let store = state.core.store();
    let conversation = store.conversation(id).await?.ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
    let contact = store.contact(conversation.contact_id).await?;
    let waiting = store.waiting_since(id).await?;
    Ok(WireConversation::new(&conversation, contact.map(|c| c.name).unwrap_or_default(), waiting, None))
}

/// `m` as the signed-in agent reads it (in their interface language).
pub fn wire_for(state: &AppState, session: &Session, m: &switchboard_core::model::Message) -> WireMessage {
    let locale = session.agent.locale.as_deref().unwrap_or_default();
    WireMessage::new(m, &state.explorers, state.core.localizer(), locale)
}
