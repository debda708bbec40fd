//! SLA policies: targets for first response, next response and resolution, and the
//! conversations each applies to. A change makes the desk work every open clock out again.

use super::Store;
use crate::clock::now_ms;
use crate::desk::sla::Policy;
use crate::error::{CoreError, Result};
use crate::model::{ChannelKind, Priority};
use sqlx::Row;

/// A policy as created or changed; `None` leaves a field as it is (`Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct PolicyChange {
    pub name: Option<String>,
    pub first_response: Option<Option<i64>>,
    pub next_response: Option<Option<i64>>,
    pub resolution: Option<Option<i64>>,
    pub business_hours: Option<bool>,
    pub priority: Option<Option<Priority>>,
    pub team_id: Option<Option<i64>>,
    pub channel: Option<Option<ChannelKind>>,
}

const COLUMNS: &str = "id, name, first_response, next_response, resolution, business_hours, priority, team_id, channel";

impl Store {
    /// Every policy, the oldest first.
    pub async fn sla_policies(&self) -> Result<Vec<Policy>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM sla_policies ORDER BY id")))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Policy {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    first_response: r.try_get(2)?,
                    next_response: r.try_get(3)?,
                    resolution: r.try_get(4)?,
                    business_hours: r.try_get::<i64, _>(5)? != 0,
                    priority: r.try_get::<Option<String>, _>(6)?.map(|p| p.parse()).transpose()?,
                    team_id: r.try_get(7)?,
                    channel: r.try_get::<Option<String>, _>(8)?.map(|c| c.parse()).transpose()?,
                })
            })
            .collect()
    }

    pub async fn sla_policy(&self, id: i64) -> Result<Option<Policy>> {
        Ok(self.sla_policies().await?.into_iter().find(|p| p.id == id))
    }

    /// Creates a policy: a unique name and at least one target.
    pub async fn create_sla_policy(&self, change: &PolicyChange) -> Result<i64> {
        let Some(name) = change.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            return Err(CoreError::Invalid("name: a policy needs a name".into()));
        };
        let inserted = sqlx::query(
            "INSERT INTO sla_policies (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = inserted else { return Err(CoreError::Invalid(format!("a policy named {name:?} exists"))) };
        let id: i64 = row.try_get(0)?;
        if let Err(error) = self.change_sla_policy(id, change).await {
            sqlx::query("DELETE FROM sla_policies WHERE id = $1").bind(id).execute(self.pool()).await?;
            return Err(error);
        }
        Ok(id)
    }

    /// Changes a policy, in one transaction; every open conversation's clocks are worked out
    /// again.
    pub async fn change_sla_policy(&self, id: i64, change: &PolicyChange) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query("UPDATE sla_policies SET id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("SLA policy {id}")));
        }
        let text = |v: Option<Option<&'static str>>| v.map(|v| v.map(str::to_owned));
        let ints: [(&str, Option<Option<i64>>); 4] = [
            ("first_response", change.first_response),
            ("next_response", change.next_response),
            ("resolution", change.resolution),
            ("team_id", change.team_id),
        ];
        for (column, value) in ints {
            if let Some(value) = value {
                if value.is_some_and(|v| v <= 0) && column != "team_id" {
                    return Err(CoreError::Invalid(format!("{column}: a duration above zero")));
                }
                sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE sla_policies SET {column} = $1 WHERE id = $2")))
                    .bind(value)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let texts = [
            ("name", change.name.as_ref().map(|n| Some(n.trim().to_owned()))),
            ("priority", text(change.priority.map(|p| p.map(Priority::as_str)))),
            ("channel", text(change.channel.map(|c| c.map(ChannelKind::as_str)))),
        ];
        for (column, value) in texts {
            if let Some(value) = value {
                sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE sla_policies SET {column} = $1 WHERE id = $2")))
                    .bind(value)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some(business) = change.business_hours {
            sqlx::query("UPDATE sla_policies SET business_hours = $1 WHERE id = $2")
                .bind(i64::from(business))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let targets = sqlx::query(
            "SELECT COUNT(*) FROM sla_policies WHERE id = $1 AND \
             (first_response IS NOT NULL OR next_response IS NOT NULL OR resolution IS NOT NULL)",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get::<i64, _>(0)?;
        if targets == 0 {
            return Err(CoreError::Invalid("a policy needs at least one target".into()));
        }
        forget_clocks(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_sla_policy(&self, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query("DELETE FROM sla_policies WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("SLA policy {id}")));
        }
        forget_clocks(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Every clock is worked out again at the desk's next look (what was already told stays told).
async fn forget_clocks(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query("UPDATE desk_state SET updated_at = -1").execute(&mut **tx).await?;
    Ok(())
}
