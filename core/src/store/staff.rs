//! Agents' public handles per channel, which customers can check with `/verify`.

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use crate::model::{AgentId, ChannelKind};
use crate::safety::staff::{StaffHandle, canonical};
use sqlx::Row;

impl Store {
    /// Every recorded handle: `(id, agent id, handle)`.
    pub async fn staff_handles(&self) -> Result<Vec<(i64, AgentId, StaffHandle)>> {
        let rows = sqlx::query(
            "SELECT s.id, a.name, s.channel, s.handle, s.agent_id FROM staff_handles s \
             JOIN agents a ON a.id = s.agent_id WHERE a.disabled = 0 ORDER BY s.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(4)?,
                    StaffHandle {
                        agent_name: r.try_get(1)?,
                        // A channel this build knows: checked here, kept as its name.
                        channel: r.try_get::<String, _>(2)?.parse::<ChannelKind>()?.as_str().to_owned(),
                        handle: r.try_get(3)?,
                    },
                ))
            })
            .collect()
    }

    pub(crate) async fn add_staff_handle(&self, agent_id: AgentId, channel: ChannelKind, handle: &str) -> Result<i64> {
        let taken = self
            .staff_handles()
            .await?
            .into_iter()
            .any(|(_, _, h)| h.channel == channel.as_str() && canonical(&h.handle) == canonical(handle));
        if taken {
            return Err(CoreError::Invalid(format!("{handle} is already recorded on {channel}")));
        }
        let row = sqlx::query(
            "INSERT INTO staff_handles (agent_id, channel, handle, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(agent_id)
        .bind(channel.as_str())
        .bind(handle)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub(crate) async fn remove_staff_handle(&self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM staff_handles WHERE id = $1").bind(id).execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("staff handle {id}")));
        }
        Ok(())
    }
}
