//! Read-side queries for the HTTP layers and tests. Writes go through the writer.

use super::Store;
use crate::error::Result;
use crate::model::*;
use crate::safety::{Entity, EntityKind};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Longest page of messages any list returns.
pub const PAGE: i64 = 100;

/// A message and, for outbound ones, its delivery state from the outbox.
const MESSAGE_COLUMNS: &str = "m.id, m.conversation_id, m.contact_id, m.identity_id, m.direction, m.author, \
     m.agent_id, m.channel, m.body, m.created_at, o.state, \
     CASE WHEN o.state <> 'sent' THEN o.last_error END, m.redactions, m.edited_at, o.buttons, m.automated \
     FROM messages m LEFT JOIN outbox o ON o.message_id = m.id";

fn message(row: &AnyRow) -> Result<Message> {
    Ok(Message {
        id: row.try_get(0)?,
        conversation_id: row.try_get(1)?,
        contact_id: row.try_get(2)?,
        identity_id: row.try_get(3)?,
        direction: row.try_get::<String, _>(4)?.parse()?,
        author: row.try_get::<String, _>(5)?.parse()?,
        agent_id: row.try_get(6)?,
        channel: row.try_get::<Option<String>, _>(7)?.map(|c| c.parse()).transpose()?,
        body: row.try_get(8)?,
        created_at: row.try_get(9)?,
        delivery: row.try_get::<Option<String>, _>(10)?.map(|state| delivery_of(&state)),
        delivery_error: row.try_get(11)?,
        redactions: row.try_get(12)?,
        edited_at: row.try_get(13)?,
        attachments: Vec::new(),
        entities: Vec::new(),
        buttons: row
            .try_get::<Option<String>, _>(14)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
        automated: row.try_get::<i64, _>(15)? != 0,
    })
}

fn delivery_of(outbox_state: &str) -> Delivery {
    match outbox_state {
        "sent" => Delivery::Sent,
        "failed" => Delivery::Failed,
        _ => Delivery::Queued,
    }
}

impl Store {
    /// The language a customer reads in: their contact's chosen locale (`/lang`), else their
    /// platform's hint; empty when neither is known (the fallback applies).
    pub async fn reader_locale(&self, channel: ChannelKind, external_id: &str) -> Result<String> {
        let (chosen, hint) = self.reader_locales(channel, external_id).await?;
        Ok(chosen.or(hint).unwrap_or_default())
    }

    /// A customer's chosen locale (`/lang`) and their platform's hint, each if known.
    pub async fn reader_locales(
        &self,
        channel: ChannelKind,
        external_id: &str,
    ) -> Result<(Option<String>, Option<String>)> {
        let row = sqlx::query(
            "SELECT k.locale, i.lang_hint FROM identities i JOIN contacts k ON k.id = i.contact_id \
             WHERE i.channel = $1 AND i.external_id = $2",
        )
        .bind(channel.as_str())
        .bind(external_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok((None, None)) };
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    pub async fn identity(&self, channel: ChannelKind, external_id: &str) -> Result<Option<Identity>> {
        let row = sqlx::query(
            "SELECT id, contact_id, display_name, lang_hint FROM identities WHERE channel = $1 AND external_id = $2",
        )
        .bind(channel.as_str())
        .bind(external_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(Identity {
                id: row.try_get(0)?,
                contact_id: row.try_get(1)?,
                channel,
                external_id: external_id.to_owned(),
                display_name: row.try_get(2)?,
                lang_hint: row.try_get(3)?,
            })
        })
        .transpose()
    }

    /// What a customer sees on one identity: their own messages and every reply delivered to it,
    /// oldest first, after `after`.
    pub async fn customer_messages(&self, identity_id: IdentityId, after: MessageId) -> Result<Vec<Message>> {
        self.messages_where(
            "m.identity_id = $1 AND m.id > $2 \
             AND (m.direction = 'inbound' OR (m.direction = 'outbound' AND o.state = 'sent'))",
            identity_id,
            after,
        )
        .await
    }

    /// Every message of a conversation (notes and system notes too), oldest first.
    pub async fn conversation_messages(&self, id: ConversationId, after: MessageId) -> Result<Vec<Message>> {
        self.messages_where("m.conversation_id = $1 AND m.id > $2", id, after).await
    }

    /// A page of messages matching `condition` (binding `$1` = `key`, `$2` = `after`), oldest first.
    pub(crate) async fn messages_where(&self, condition: &str, key: i64, after: MessageId) -> Result<Vec<Message>> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} WHERE {condition} ORDER BY m.id LIMIT {PAGE}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key).bind(after).fetch_all(self.pool()).await?;
        self.with_attachments(rows.iter().map(message).collect::<Result<_>>()?).await
    }

    pub async fn message(&self, id: MessageId) -> Result<Option<Message>> {
        let sql = format!("SELECT {MESSAGE_COLUMNS} WHERE m.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        match row {
            Some(row) => Ok(self.with_attachments(vec![message(&row)?]).await?.pop()),
            None => Ok(None),
        }
    }

    async fn with_attachments(&self, mut messages: Vec<Message>) -> Result<Vec<Message>> {
        let (Some(first), Some(last)) = (messages.first(), messages.last()) else {
            return Ok(messages);
        };
        let (first_id, last_id) = (first.id, last.id);
        let rows = sqlx::query(
            "SELECT id, message_id, filename, content_type, size, storage_key FROM attachments \
             WHERE message_id >= $1 AND message_id <= $2 ORDER BY id",
        )
        .bind(first_id)
        .bind(last_id)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let attachment = Attachment {
                id: row.try_get(0)?,
                message_id: row.try_get(1)?,
                filename: row.try_get(2)?,
                content_type: row.try_get(3)?,
                size: row.try_get(4)?,
                storage_key: row.try_get(5)?,
            };
            if let Some(m) = messages.iter_mut().find(|m| m.id == attachment.message_id) {
                m.attachments.push(attachment);
            }
        }
        let rows = sqlx::query(
            "SELECT message_id, kind, chain, value FROM entities WHERE message_id >= $1 AND message_id <= $2 ORDER BY id",
        )
        .bind(first_id)
        .bind(last_id)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let message_id: MessageId = row.try_get(0)?;
            let kind = match row.try_get::<String, _>(1)?.as_str() {
                "tx_hash" => EntityKind::TxHash,
                _ => EntityKind::Address,
            };
            let chain = match row.try_get::<String, _>(2)?.as_str() {
                "evm" => "evm",
                "bitcoin" => "bitcoin",
                "tron" => "tron",
                "solana" => "solana",
                _ => continue,
            };
            if let Some(m) = messages.iter_mut().find(|m| m.id == message_id) {
                m.entities.push(Entity { kind, chain, value: row.try_get(3)? });
            }
        }
        Ok(messages)
    }

    pub async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>> {
        use super::conversations::{SLA_COLUMNS, SLA_JOIN};
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.reference, c.contact_id, c.status, c.channel, c.assignee_id, c.priority, c.category, \
             c.locale, c.tags, c.created_at, c.last_message_at, c.resolved_at, c.handoff_at, c.resolved_by, \
             c.bot_answered_at, c.handoff_reason, c.handoff_off_hours, c.team_id, {SLA_COLUMNS} \
             FROM conversations c {SLA_JOIN} WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(super::conversations::conversation_row).transpose()
    }

    /// A message's earlier texts, oldest first: `(text, when it was replaced)`.
    pub async fn message_edits(&self, id: MessageId) -> Result<Vec<(String, Millis)>> {
        let rows = sqlx::query("SELECT body, replaced_at FROM message_edits WHERE message_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The platform ids of a stored message: `(channel, external id, chat)`.
    pub async fn message_links(&self, id: MessageId) -> Result<Vec<(ChannelKind, String, String)>> {
        let rows = sqlx::query(
            "SELECT channel, external_id, external_chat FROM message_links WHERE message_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((row.try_get::<String, _>(0)?.parse()?, row.try_get(1)?, row.try_get(2)?))).collect()
    }

    /// Outbox entries by state: `(pending, sent, failed)`.
    pub async fn outbox_counts(&self) -> Result<(i64, i64, i64)> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN state = 'sent' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) FROM outbox",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }
}

impl Store {
    /// Where a channel stands in its source (see `channel_cursors`).
    pub async fn cursor(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM channel_cursors WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// The cursor `name`, set to `value` if it had none (whoever sets it first wins).
    pub async fn cursor_or_insert(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query("INSERT INTO channel_cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(value)
            .execute(self.pool())
            .await?;
        Ok(self.cursor(name).await?.unwrap_or_else(|| value.to_owned()))
    }

    /// Records where a channel stands; call it only once what came before is durable.
    pub async fn set_cursor(&self, name: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO channel_cursors (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
