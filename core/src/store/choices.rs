//! The choices (buttons) a customer was offered, so that a press sent back by its id — the web
//! chat's `choice` — is read as the label it showed, as a press is on every other channel.

use super::Store;
use crate::error::Result;
use crate::model::{Button, ChannelKind};
use sqlx::Row;

/// How many of the latest offers a press may answer.
const RECENT_OFFERS: i64 = 20;

impl Store {
    /// The label of choice `id` among the latest offers to the customer `external_id` on
    /// `channel`, the newest first; `None` when none of them offered it.
    pub async fn offered_label(&self, channel: ChannelKind, external_id: &str, id: &str) -> Result<Option<String>> {
        let rows = sqlx::query(
            "SELECT o.buttons FROM outbox o JOIN messages m ON m.id = o.message_id \
             JOIN identities i ON i.id = m.identity_id \
             WHERE i.channel = $1 AND i.external_id = $2 AND o.buttons IS NOT NULL ORDER BY m.id DESC LIMIT $3",
        )
        .bind(channel.as_str())
        .bind(external_id)
        .bind(RECENT_OFFERS)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let buttons: Vec<Button> = serde_json::from_str(&row.try_get::<String, _>(0)?).unwrap_or_default();
            if let Some(button) = buttons.into_iter().find(|b| b.id == id) {
                return Ok(Some(button.label));
            }
        }
        Ok(None)
    }
}

/// The choices a reply offered, and to whom: what a press on them (a confirmed link) is
/// ingested as.
#[derive(Debug, Clone)]
pub struct Offer {
    pub conversation_id: Option<crate::model::ConversationId>,
    pub reference: Option<String>,
    /// The conversation's language.
    pub locale: Option<String>,
    pub channel: ChannelKind,
    /// The customer's identity on that channel (their platform id).
    pub sender: String,
    /// Where the reply went, and where a press is answered.
    pub chat: String,
    pub thread: Option<String>,
    pub buttons: Vec<Button>,
}

impl Store {
    /// The offer reply `message` made, if it offered any choices.
    pub async fn offer(&self, message: crate::model::MessageId) -> Result<Option<Offer>> {
        let row = sqlx::query(
            "SELECT m.conversation_id, v.reference, v.locale, o.channel, i.external_id, o.dest_chat, o.dest_thread, \
             o.buttons FROM outbox o JOIN messages m ON m.id = o.message_id \
             JOIN identities i ON i.id = m.identity_id LEFT JOIN conversations v ON v.id = m.conversation_id \
             WHERE o.message_id = $1 AND o.buttons IS NOT NULL",
        )
        .bind(message)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Offer {
            conversation_id: row.try_get(0)?,
            reference: row.try_get(1)?,
            locale: row.try_get(2)?,
            channel: row.try_get::<String, _>(3)?.parse()?,
            sender: row.try_get(4)?,
            chat: row.try_get(5)?,
            thread: row.try_get(6)?,
            buttons: serde_json::from_str(&row.try_get::<String, _>(7)?).unwrap_or_default(),
        }))
    }
}

impl Store {
    /// The message stored under platform id `external_id` on `channel`, if any.
    pub async fn linked_message(
        &self,
        channel: ChannelKind,
        external_id: &str,
    ) -> Result<Option<crate::model::MessageId>> {
        Ok(sqlx::query_scalar("SELECT message_id FROM message_links WHERE channel = $1 AND external_id = $2")
            .bind(channel.as_str())
            .bind(external_id)
            .fetch_optional(self.pool())
            .await?)
    }
}
