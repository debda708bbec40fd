//! Satisfaction surveys as agents and reports read them: each resolution cycle's survey, its
//! state, rating and comment.

use super::Store;
use crate::error::Result;
use crate::model::{ConversationId, Millis};
use serde::Serialize;
use sqlx::Row;

/// One cycle's survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    pub id: i64,
    pub conversation_id: ConversationId,
    /// `due`, `asked`, `rated`, `cancelled` (the customer wrote first) or `skipped` (they could
    /// not be reached).
    pub state: String,
    pub cycle_started_at: Millis,
    pub resolved_at: Millis,
    pub due_at: Millis,
    pub asked_at: Option<Millis>,
    pub channel: Option<String>,
    /// 1 (poor) to 5 (excellent).
    pub rating: Option<i64>,
    pub rated_at: Option<Millis>,
    pub comment: Option<String>,
}

impl Store {
    /// The surveys of a conversation's cycles, the first first.
    pub async fn surveys(&self, conversation: ConversationId) -> Result<Vec<Survey>> {
        let rows = sqlx::query(
            "SELECT id, conversation_id, state, cycle_started_at, resolved_at, due_at, asked_at, channel, rating, \
             rated_at, comment FROM surveys WHERE conversation_id = $1 ORDER BY id",
        )
        .bind(conversation)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Survey {
                    id: row.try_get(0)?,
                    conversation_id: row.try_get(1)?,
                    state: row.try_get(2)?,
                    cycle_started_at: row.try_get(3)?,
                    resolved_at: row.try_get(4)?,
                    due_at: row.try_get(5)?,
                    asked_at: row.try_get(6)?,
                    channel: row.try_get(7)?,
                    rating: row.try_get(8)?,
                    rated_at: row.try_get(9)?,
                    comment: row.try_get(10)?,
                })
            })
            .collect()
    }
}
