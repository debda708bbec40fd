//! Change events for live views (inbox SSE, web-chat long polls) and the bot.
//!
//! An in-process broadcast. Events carry ids, never message bodies; on PostgreSQL the same
//! payload also travels between instances (`crate::fanout`), and each event says whether this
//! instance published it (`Published::here`): live views show every instance's, while work that
//! must be done once (the bot answering a message) is done where the event was published.

use crate::model::{ContactId, ConversationId, IdentityId, MessageId};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use tokio::sync::{broadcast, mpsc};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// A conversation was given to an agent.
    Assigned {
        conversation_id: ConversationId,
        assignee: crate::model::AgentId,
    },
    /// An SLA target of the conversation is close to its deadline (`breached`: past it); the
    /// agents to tell.
    Sla {
        conversation_id: ConversationId,
        target: crate::model::SlaTarget,
        breached: bool,
        agents: Vec<crate::model::AgentId>,
    },
    /// The conversation went ahead of the queue for a danger to the customer's funds; the
    /// agents to tell (its team's lead, else the admins).
    Danger {
        conversation_id: ConversationId,
        reason: crate::model::HandoffReason,
        agents: Vec<crate::model::AgentId>,
    },
    /// An automation rule asks these agents to look at the conversation.
    Notified {
        conversation_id: ConversationId,
        rule_id: i64,
        agents: Vec<crate::model::AgentId>,
    },
    /// Agents were @-mentioned in a private note.
    Mentioned {
        conversation_id: ConversationId,
        message_id: MessageId,
        agents: Vec<crate::model::AgentId>,
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
    /// An incident was suggested, opened, changed or linked: the bot re-reads the open ones,
    /// linked customers are told, the inbox shows it.
    IncidentChanged {
        incident_id: i64,
    },
    /// An admin made an announcement: its sends begin.
    AnnouncementCreated {
        announcement_id: i64,
    },
    /// A surge made a suggestion: admins are told at once.
    IncidentSuggested {
        incident_id: i64,
    },
    /// Teams, SLA policies, rules or an agent's availability changed: the desk looks again.
    DeskChanged,
    /// Events of other instances may have been missed (the connection that brings them was
    /// lost and is back): reload what is shown from the store, which is the truth.
    Resync,
}

/// An event as subscribers receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub event: Event,
    /// Published by this instance (its writer committed it), not relayed from another.
    pub here: bool,
}

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Published>,
    /// Where this instance's events go out to the others, once that is set up.
    relay: Arc<OnceLock<mpsc::UnboundedSender<Event>>>,
}

impl EventBus {
    pub fn new() -> Self {
        EventBus { sender: broadcast::channel(4096).0, relay: Arc::default() }
    }

    /// Publishes an event of this instance, here and to the other instances.
    pub fn publish(&self, event: Event) {
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(event.clone());
        }
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender.send(Published { event, here: true });
    }

    /// Publishes here an event another instance published.
    pub(crate) fn publish_from_elsewhere(&self, event: Event) {
        let _ = self.sender.send(Published { event, here: false });
    }

    /// From now on this instance's events also go to `relay`.
    pub(crate) fn relay_to(&self, relay: mpsc::UnboundedSender<Event>) {
        let _ = self.relay.set(relay);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}
