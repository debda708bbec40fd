//! The outbox as the dispatcher resumes it at start: every entry still pending, with its files.

use super::Store;
use crate::attachments::AttachmentStore;
use crate::channel::{Destination, OutboundAttachment, OutboundMessage};
use crate::error::Result;
use crate::model::MessageId;
use crate::outbox::OutboxEntry;
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// Everything still pending in the store, oldest first: what a restarted dispatcher resumes.
    pub async fn pending_outbox(&self, files: &AttachmentStore) -> Result<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT o.id, o.channel, o.dest_chat, o.dest_thread, o.reply_to, o.idempotency_key, o.attempts, \
             o.next_attempt_at, m.id, m.conversation_id, m.contact_id, m.identity_id, m.body, o.buttons, m.author \
             FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.state = 'pending' ORDER BY o.id",
        )
        .fetch_all(self.pool())
        .await?;
        let attached = sqlx::query(
            "SELECT a.message_id, a.filename, a.content_type, a.storage_key FROM attachments a \
             JOIN outbox o ON o.message_id = a.message_id WHERE o.state = 'pending' ORDER BY a.id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut attachments: HashMap<MessageId, Vec<OutboundAttachment>> = HashMap::new();
        for row in attached {
            let key: String = row.try_get(3)?;
            let Some(path) = files.path_of(&key) else { continue };
            attachments.entry(row.try_get(0)?).or_default().push(OutboundAttachment {
                filename: row.try_get(1)?,
                content_type: row.try_get(2)?,
                path,
            });
        }
        rows.into_iter()
            .map(|row| {
                let message_id: MessageId = row.try_get(8)?;
                Ok(OutboxEntry {
                    id: row.try_get(0)?,
                    channel: row.try_get::<String, _>(1)?.parse()?,
                    attempts: row.try_get::<i64, _>(6)? as u32,
                    next_attempt_at: row.try_get(7)?,
                    conversation_id: row.try_get(9)?,
                    contact_id: row.try_get(10)?,
                    identity_id: row.try_get(11)?,
                    message: OutboundMessage {
                        message_id,
                        idempotency_key: row.try_get(5)?,
                        destination: Destination { chat: row.try_get(2)?, thread: row.try_get(3)? },
                        reply_to: row.try_get(4)?,
                        body: row.try_get(12)?,
                        buttons: match row.try_get::<Option<String>, _>(13)? {
                            Some(json) => serde_json::from_str(&json).unwrap_or_else(|error| {
                                tracing::warn!(%error, message_id, "stored buttons are unreadable; sending without them");
                                Vec::new()
                            }),
                            None => Vec::new(),
                        },
                        attachments: attachments.remove(&message_id).unwrap_or_default(),
                        reference: row
                            .try_get::<Option<crate::model::ConversationId>, _>(9)?
                            .map(|id| crate::model::Reference(id).to_string()),
                        automatic: row.try_get::<String, _>(14)? != crate::model::Author::Agent.as_str(),
                    },
                })
            })
            .collect()
    }
}
