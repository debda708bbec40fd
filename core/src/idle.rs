//! Conversations whose bot answer has waited on a silent customer long enough are resolved by
//! the bot: no agent was needed, and the customer writing again reopens them as usual. The due
//! time is data (`bot_answered_at`); the sweep is idempotent and takes the time it runs at, so a
//! test runs it at any hour.

use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::{Millis, Status};
use crate::post::ConversationUpdate;
use sqlx::Row;
use std::time::Duration;

impl Core {
    /// Resolves, as the bot, every open conversation nobody took over whose bot answer has
    /// waited `idle` or longer at `now`. Returns how many it resolved.
    pub async fn resolve_quiet_bot_answers(&self, idle: Duration, now: Millis) -> Result<usize> {
        let cutoff = now - idle.as_millis() as i64;
        let due = sqlx::query(
            "SELECT id FROM conversations WHERE status = 'open' AND handoff_at IS NULL \
             AND bot_answered_at IS NOT NULL AND bot_answered_at <= $1 ORDER BY id LIMIT 1000",
        )
        .bind(cutoff)
        .fetch_all(self.store().pool())
        .await?;
        let mut resolved = 0;
        for row in due {
            let update = ConversationUpdate {
                id: row.try_get(0)?,
                status: Some(Status::Resolved),
                by_bot: true,
                // Checked again in the write: a customer who wrote meanwhile keeps it open.
                if_bot_answered_before: Some(cutoff),
                ..Default::default()
            };
            match self.update_conversation(update).await {
                Ok(()) => resolved += 1,
                Err(CoreError::Invalid(_)) => {}
                Err(error) => return Err(error),
            }
        }
        if resolved > 0 {
            tracing::info!(resolved, "conversations the bot answered resolved after the customer's silence");
            metrics::counter!("switchboard_bot_idle_resolutions_total").increment(resolved as u64);
        }
        Ok(resolved)
    }
}
