//! The outbox entries an instance claims for sending (`outbox::claims`): unclaimed ones, and
//! those of an earlier owner, loaded with their files.

use super::leases::Lease;
use super::{Backend, Store};
use crate::attachments::AttachmentStore;
use crate::channel::{Destination, OutboundAttachment, OutboundMessage};
use crate::error::Result;
use crate::model::{ChannelKind, MessageId};
use crate::outbox::OutboxEntry;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// Entries claimed at once; the rest at the next claim.
const CLAIM_AT_ONCE: i64 = 2000;

impl Store {
    /// Claims `channel`'s pending entries that no holder of `lease`'s epoch has claimed yet
    /// (never claimed, or claimed under an earlier epoch), oldest first, and returns them. Only
    /// while `lease` holds: a deposed owner claims nothing. On PostgreSQL, rows another
    /// transaction has locked (a delivery being recorded) are skipped, not waited for.
    pub async fn claim_outbox(
        &self,
        files: &AttachmentStore,
        channel: ChannelKind,
        lease: &Lease,
    ) -> Result<Vec<OutboxEntry>> {
        let skip_locked = if self.backend() == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE outbox SET claim = $2 WHERE id IN (SELECT id FROM outbox \
             WHERE channel = $1 AND state = 'pending' AND (claim IS NULL OR claim < $2) \
             ORDER BY message_id LIMIT {CLAIM_AT_ONCE}{skip_locked}) \
             AND EXISTS (SELECT 1 FROM leases WHERE role = $3 AND holder = $4 AND epoch = $2) RETURNING id"
        );
        let claimed = sqlx::query(AssertSqlSafe(sql))
            .bind(channel.as_str())
            .bind(lease.epoch)
            .bind(&lease.role)
            .bind(&lease.holder)
            .fetch_all(self.pool())
            .await?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let ids =
            claimed.iter().map(|r| r.try_get::<i64, _>(0).map(|id| id.to_string())).collect::<Result<Vec<_>, _>>()?;
        self.outbox_entries(files, &format!("o.id IN ({})", ids.join(","))).await
    }

    /// The entries `filter` (SQL over the outbox `o`) selects, in the order their messages were
    /// stored (message ids rise in commit order), with their files.
    async fn outbox_entries(&self, files: &AttachmentStore, filter: &str) -> Result<Vec<OutboxEntry>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT o.id, o.channel, o.dest_chat, o.dest_thread, o.reply_to, o.idempotency_key, o.attempts, \
             o.next_attempt_at, m.id, m.conversation_id, m.contact_id, m.identity_id, m.body, o.buttons, m.author, \
             o.claim, CASE WHEN EXISTS (SELECT 1 FROM announcement_sends s WHERE s.message_id = m.id) THEN 1 ELSE 0 END \
             FROM outbox o JOIN messages m ON m.id = o.message_id WHERE {filter} ORDER BY o.message_id"
        )))
        .fetch_all(self.pool())
        .await?;
        let attached = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.message_id, a.filename, a.content_type, a.storage_key FROM attachments a \
             JOIN outbox o ON o.message_id = a.message_id WHERE {filter} ORDER BY a.id"
        )))
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
                    claim: row.try_get(15)?,
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
                        bulk: row.try_get::<i64, _>(16)? != 0,
                    },
                })
            })
            .collect()
    }
}
