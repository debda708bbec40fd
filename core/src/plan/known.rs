//! What the store knew when a write was planned: the writer reads it,
//! the planner decides on it and on what the batch did before.

use crate::model::*;

#[derive(Debug, Clone)]
pub(crate) struct KnownIdentity {
    pub id: IdentityId,
    pub contact_id: ContactId,
    pub lang_hint: Option<String>,
    pub display_name: String,
    pub contact_locale: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Latest {
    pub id: ConversationId,
    pub status: Status,
    pub resolved_at: Option<Millis>,
    /// The satisfaction survey of its latest resolution, if one was planned.
    pub survey: Option<SurveyAt>,
    /// The stage of its latest complaint, if it has one.
    pub complaint: Option<crate::complaints::ComplaintStage>,
}

/// Where a conversation's latest satisfaction survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SurveyAt {
    /// 0 for a survey this batch planned (not stored yet).
    pub id: i64,
    pub state: SurveyState,
    pub rated_at: Option<Millis>,
    pub commented: bool,
}

/// The steps of a survey (`surveys.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SurveyState {
    /// Waiting for its time; the customer writing first cancels it.
    Due,
    /// The question went out; a rating is expected.
    Asked,
    Rated,
    Cancelled,
    /// The customer could not be reached where they wrote.
    Skipped,
}

impl SurveyState {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyState::Due => "due",
            SurveyState::Asked => "asked",
            SurveyState::Rated => "rated",
            SurveyState::Cancelled => "cancelled",
            SurveyState::Skipped => "skipped",
        }
    }

    pub fn parse(value: &str) -> Option<SurveyState> {
        [SurveyState::Due, SurveyState::Asked, SurveyState::Rated, SurveyState::Cancelled, SurveyState::Skipped]
            .into_iter()
            .find(|state| state.as_str() == value)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Found {
    pub duplicate: Option<(MessageId, Option<ConversationId>)>,
    pub identity: Option<KnownIdentity>,
    pub latest: Option<Latest>,
    /// For `Threading::Explicit`: the conversation the message names, if any.
    pub named: Option<Named>,
}

/// The conversation a mail names, with the contact it belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named {
    pub conversation: Latest,
    pub contact_id: ContactId,
}

/// A conversation as a post or an update finds it.
#[derive(Debug, Clone)]
pub(crate) struct ConversationAt {
    pub contact_id: ContactId,
    /// The channel the customer last wrote on.
    pub channel: ChannelKind,
    pub status: Status,
    pub handed_off: bool,
    pub bot_answered_at: Option<Millis>,
    /// The customer's latest message in it was sent by a machine (an auto-reply, a bounce):
    /// no survey.
    pub automated: bool,
    /// Its latest survey.
    pub survey: Option<SurveyAt>,
    pub assignee_id: Option<AgentId>,
    /// Its current cycle was routed (to a team, or to none) already.
    pub routed: bool,
}

/// Where a reply goes: the chat of the customer's latest message that fits.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub identity_id: IdentityId,
    pub channel: ChannelKind,
    pub chat: String,
    pub thread: Option<String>,
}

/// What a post found: its conversation (none: no such conversation) and, for a reply, where
/// it can go (none: the customer never wrote where it was asked to go).
#[derive(Debug, Default)]
pub(crate) struct PostAt {
    pub conversation: Option<ConversationAt>,
    pub route: Option<Route>,
}

/// Two contacts about to be joined: which of them are still contacts of their own (with their
/// locales), and the newest conversation of either.
#[derive(Debug, Default, Clone)]
pub(crate) struct MergeAt {
    pub alive: Vec<(ContactId, Option<String>)>,
    pub latest: Option<Latest>,
}

/// A `/link CODE`: the contact that asked for the code (none: no such code, or expired), and
/// what a merge into it finds.
#[derive(Debug, Default)]
pub(crate) struct LinkAt {
    pub target: Option<ContactId>,
    pub merge: MergeAt,
}

/// The stored inbound message a customer edited.
#[derive(Debug, Clone)]
pub(crate) struct Edited {
    pub id: MessageId,
    pub conversation_id: Option<ConversationId>,
    pub identity_id: Option<IdentityId>,
    pub body: String,
}
