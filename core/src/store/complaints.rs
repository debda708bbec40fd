//! Complaints as agents and reports read them (`crate::complaints` holds the rules; the rows
//! are written by the writer, with the change that opens or moves one).

use super::Store;
use crate::clock::rfc3339;
use crate::complaints::Complaint;
use crate::error::Result;
use crate::model::{ConversationId, Millis};
use serde::Serialize;
use sqlx::Row;

const COLUMNS: &str = "id, conversation_id, stage, owner_id, source, opened_at, due_at, closed_at";

/// What reports count of complaints opened in a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintFigures {
    /// Opened in the period.
    pub opened: i64,
    /// Of those, closed since.
    pub closed: i64,
    /// Of those, still open and past their due date now.
    pub overdue: i64,
    /// From opened to closed (the median and the 90th percentile of those closed).
    pub resolution_s: crate::figures::Percentiles,
}

fn complaint_of(row: &sqlx::any::AnyRow, now: Millis) -> Result<Complaint> {
    let due_at: Millis = row.try_get(6)?;
    let closed_at: Option<Millis> = row.try_get(7)?;
    Ok(Complaint {
        id: row.try_get(0)?,
        conversation_id: row.try_get(1)?,
        stage: row.try_get::<String, _>(2)?.parse()?,
        owner_id: row.try_get(3)?,
        source: row.try_get::<String, _>(4)?.parse()?,
        opened_at: rfc3339(row.try_get(5)?),
        due_at: rfc3339(due_at),
        closed_at: closed_at.map(rfc3339),
        overdue: closed_at.is_none() && due_at < now,
    })
}

impl Store {
    /// The conversation's latest complaint (open, or the last closed).
    pub async fn complaint(&self, conversation: ConversationId, now: Millis) -> Result<Option<Complaint>> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(conversation).fetch_optional(self.pool()).await?;
        row.map(|r| complaint_of(&r, now)).transpose()
    }

    /// Complaints, the soonest due first; `open_only`: those not closed.
    pub async fn complaints(&self, open_only: bool, now: Millis) -> Result<Vec<Complaint>> {
        let filter = if open_only { "WHERE closed_at IS NULL" } else { "" };
        let sql =
            format!("SELECT {COLUMNS} FROM complaints {filter} ORDER BY closed_at IS NOT NULL, due_at, id LIMIT 1000");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(|r| complaint_of(r, now)).collect()
    }

    /// Complaints opened in `[from, to)`: how many, how many closed, overdue, and how long
    /// closing took.
    pub async fn complaint_figures(&self, from: Millis, to: Millis, now: Millis) -> Result<ComplaintFigures> {
        let rows =
            sqlx::query("SELECT opened_at, due_at, closed_at FROM complaints WHERE opened_at >= $1 AND opened_at < $2")
                .bind(from)
                .bind(to)
                .fetch_all(self.pool())
                .await?;
        let mut figures = ComplaintFigures::default();
        let mut durations = Vec::new();
        for row in rows {
            let (opened, due, closed): (Millis, Millis, Option<Millis>) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            figures.opened += 1;
            match closed {
                Some(closed) => {
                    figures.closed += 1;
                    durations.push((closed - opened).max(0));
                }
                None if due < now => figures.overdue += 1,
                None => {}
            }
        }
        figures.resolution_s = crate::figures::Percentiles::of(durations);
        Ok(figures)
    }
}
