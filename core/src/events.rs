//! Change events for live views (inbox SSE, web-chat long polls).
//!
//! In-process broadcast today. Events carry ids, never message bodies, so a PostgreSQL
//! `LISTEN/NOTIFY` fan-out between instances can carry the same payload.

use crate::model::{ContactId, ConversationId, IdentityId, MessageId};
use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    MessageCreated {
        message_id: MessageId,
        conversation_id: Option<ConversationId>,
        contact_id: ContactId,
        identity_id: Option<IdentityId>,
    },
    DeliveryChanged {
        message_id: MessageId,
        conversation_id: Option<ConversationId>,
        identity_id: Option<IdentityId>,
        delivery: crate::model::Delivery,
    },
    ConversationChanged {
        conversation_id: ConversationId,
    },
    /// The customer edited a message on their platform.
    MessageEdited {
        message_id: MessageId,
        conversation_id: Option<ConversationId>,
        identity_id: Option<IdentityId>,
    },
    /// The conversation went to people (`/human`, the bot's hand-off, an agent), and why.
    HandedOff {
        conversation_id: ConversationId,
        reason: crate::model::HandoffReason,
    },
    ContactsMerged {
        survivor: ContactId,
        merged: ContactId,
    },
    /// Conversations deleted for good (a contact's erasure, the retention period).
    ConversationsErased {
        ids: Vec<ConversationId>,
    },
    /// An admin changed the knowledge base: the bot re-reads it.
    KnowledgeChanged,
}

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl EventBus {
    pub fn new() -> Self {
        EventBus { sender: broadcast::channel(4096).0 }
    }

    pub fn publish(&self, event: Event) {
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}
