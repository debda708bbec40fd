//! What peak-load mode reads and keeps: its switch, the recent handling rate, and the place
//! each waiting customer was last told.

use super::Store;
use crate::desk::peak::{PeakMode, Place};
use crate::error::Result;
use crate::model::{ConversationId, Millis};
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// How peak-load mode is switched (`auto` unless an operator chose).
    pub async fn peak_mode(&self) -> Result<PeakMode> {
        let row =
            sqlx::query("SELECT value FROM desk_switches WHERE name = 'peak'").fetch_optional(self.pool()).await?;
        Ok(match row {
            Some(row) => row.try_get::<String, _>(0)?.parse()?,
            None => PeakMode::Auto,
        })
    }

    pub async fn set_peak_mode(&self, mode: PeakMode) -> Result<()> {
        sqlx::query(
            "INSERT INTO desk_switches (name, value) VALUES ('peak', $1) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(mode.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Conversations agents answered since `since` (the ledger's `agent_reply`, by its index):
    /// the recent handling rate.
    pub async fn answered_since(&self, since: Millis) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(DISTINCT conversation_id) FROM ledger WHERE kind = 'agent_reply' AND at >= $1")
                .bind(since)
                .fetch_one(self.pool())
                .await?;
        Ok(row.try_get(0)?)
    }

    /// The place each conversation's customer was last told: its cycle, the place, when.
    pub async fn queue_notices(&self) -> Result<HashMap<ConversationId, (Millis, Place, Millis)>> {
        let rows = sqlx::query(
            "SELECT n.conversation_id, n.cycle, n.position, n.wait_s, n.told_at FROM queue_notices n \
             JOIN conversations c ON c.id = n.conversation_id WHERE c.status = 'open' AND c.assignee_id IS NULL",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let wait: i64 = r.try_get(3)?;
                let place = Place { position: r.try_get(2)?, wait_s: (wait >= 0).then_some(wait) };
                Ok((r.try_get(0)?, (r.try_get(1)?, place, r.try_get(4)?)))
            })
            .collect()
    }

    /// Keeps what a conversation's customer was told (a wait of -1: no estimate).
    pub async fn keep_queue_notice(&self, id: ConversationId, cycle: Millis, place: Place, at: Millis) -> Result<()> {
        sqlx::query(
            "INSERT INTO queue_notices (conversation_id, cycle, position, wait_s, told_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (conversation_id) DO UPDATE SET cycle = excluded.cycle, position = excluded.position, \
             wait_s = excluded.wait_s, told_at = excluded.told_at",
        )
        .bind(id)
        .bind(cycle)
        .bind(place.position)
        .bind(place.wait_s.unwrap_or(-1))
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
