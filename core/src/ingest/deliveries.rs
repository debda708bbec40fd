//! Recording what the dispatcher learned: successful deliveries in bulk, retries and failures
//! one by one (they are rare).

use super::bulk;
use super::ids::Table;
use super::plan::{Planner, delivery_event};
use crate::error::Result;
use crate::events::Event;
use crate::model::*;
use crate::outbox::{DeliveryReport, OutboxEntry};
use sqlx::AnyConnection;

impl Planner<'_> {
    /// A send that will not be retried: the outbox says why, and agents get a system note.
    pub async fn failed(&mut self, conn: &mut AnyConnection, report: &DeliveryReport) -> Result<()> {
        let cx = self.cx;
        match report {
            DeliveryReport::Retry { entry, error } => {
                sqlx::query("UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4")
                    .bind(entry.attempts as i64)
                    .bind(entry.next_attempt_at)
                    .bind(error)
                    .bind(entry.id)
                    .execute(&mut *conn)
                    .await?;
            }
            DeliveryReport::Failed { entry, error, gone } => {
                if let (true, Some(identity)) = (*gone, entry.identity_id) {
                    sqlx::query("UPDATE identities SET unreachable_at = $1 WHERE id = $2")
                        .bind(cx.now)
                        .bind(identity)
                        .execute(&mut *conn)
                        .await?;
                }
                sqlx::query("UPDATE outbox SET state = 'failed', attempts = $1, last_error = $2 WHERE id = $3")
                    .bind(entry.attempts as i64)
                    .bind(error)
                    .bind(entry.id)
                    .execute(&mut *conn)
                    .await?;
                let note = cx.localizer.text(
                    crate::l10n::FALLBACK,
                    "system-delivery-failed",
                    &[("channel", entry.channel.as_str()), ("reason", error)],
                );
                let note_id = self.ids.take(Table::Messages);
                self.rows.messages.push(bulk::MessageRow {
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
        Ok(())
    }

    /// Records a batch's successful deliveries (written with the batch's other rows).
    pub fn sent(&mut self, sent: &[(&OutboxEntry, Option<&str>)]) {
        let now = self.cx.now;
        for (entry, external_id) in sent {
            self.rows.sent.push(bulk::SentRow { id: entry.id, sent_at: now });
            if let Some(external_id) = external_id {
                self.rows.delivery_links.push(bulk::LinkRow {
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
