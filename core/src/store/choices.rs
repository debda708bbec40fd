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
