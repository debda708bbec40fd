//! Recording what the dispatcher learned: successful deliveries in bulk, retries and failures
//! as single writes (they are rare).

use super::ids::Table;
use super::rows::{self, Single};
use super::{Planner, delivery_event};
use crate::events::Event;
use crate::model::*;
use crate::outbox::{DeliveryReport, OutboxEntry};

impl Planner<'_> {
    /// A send that will not be retried: the outbox says why, and agents get a system note.
    pub fn failed(&mut self, report: &DeliveryReport) {
        let cx = self.cx;
        match report {
            DeliveryReport::Retry { entry, error } => {
                self.rows.singles.push(Single::Retry {
                    outbox_id: entry.id,
                    claim: entry.claim,
                    attempts: entry.attempts as i64,
                    next_attempt_at: entry.next_attempt_at,
                    error: error.clone(),
                });
            }
            DeliveryReport::Failed { entry, error, gone } => {
                if let (true, Some(identity)) = (*gone, entry.identity_id) {
                    self.rows.singles.push(Single::Unreachable { identity_id: identity, at: cx.now });
                }
                self.rows.singles.push(Single::Failed {
                    outbox_id: entry.id,
                    claim: entry.claim,
                    attempts: entry.attempts as i64,
                    error: error.clone(),
                });
                let note = cx.localizer.text(
                    crate::l10n::FALLBACK,
                    "system-delivery-failed",
                    &[("channel", entry.channel.as_str()), ("reason", error)],
                );
                let note_id = self.ids.take(Table::Messages);
                self.rows.messages.push(rows::MessageRow {
                    id: note_id,
                    conversation_id: entry.conversation_id,
                    contact_id: entry.contact_id,
                    identity_id: None,
                    direction: Direction::System.as_str(),
                    author: Author::System.as_str(),
                    agent_id: None,
                    channel: Some(entry.channel.as_str()),
                    body: note,
                    created_at: cx.now,
                    redactions: 0,
                    automated: 0,
                });
                self.effects.events.push(delivery_event(entry, Delivery::Failed));
                self.effects.events.push(Event::MessageCreated {
                    message_id: note_id,
                    conversation_id: entry.conversation_id,
                    contact_id: entry.contact_id,
                    identity_id: None,
                });
            }
            DeliveryReport::Sent { .. } => {
                unreachable!("successful deliveries are recorded in bulk")
            }
        }
    }

    /// Records a batch's successful deliveries (written with the batch's other rows).
    pub fn sent(&mut self, sent: &[(&OutboxEntry, Option<&str>)]) {
        let now = self.cx.now;
        for (entry, external_id) in sent {
            self.rows.sent.push(rows::SentRow { id: entry.id, sent_at: now, claim: entry.claim });
            if let Some(external_id) = external_id {
                self.rows.delivery_links.push(rows::LinkRow {
                    message_id: entry.message.message_id,
                    channel: entry.channel.as_str(),
                    external_id: (*external_id).to_owned(),
                    external_chat: entry.message.destination.chat.clone(),
                    thread: entry.message.destination.thread.clone(),
                });
            }
            self.effects.events.push(delivery_event(entry, Delivery::Sent));
        }
    }
}
