//! What reports are computed from: each conversation's times, channel, category and resolver.

use super::Store;
use crate::error::Result;
use crate::model::*;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct ReportRow {
    pub created_at: Millis,
    pub first_response_at: Option<Millis>,
    pub resolved_at: Option<Millis>,
    pub channel: String,
    pub category: Option<String>,
    pub locale: Option<String>,
    /// Who resolved it, while resolved.
    pub resolved_by: Option<Author>,
}

impl Store {
    /// Conversations created in `[from, to)`, for reports: created, first response, resolved,
    /// channel, category, locale.
    pub async fn report_rows(&self, from: Millis, to: Millis) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(
            "SELECT created_at, first_response_at, resolved_at, channel, category, locale, resolved_by FROM conversations \
             WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReportRow {
                    created_at: r.try_get(0)?,
                    first_response_at: r.try_get(1)?,
                    resolved_at: r.try_get(2)?,
                    channel: r.try_get(3)?,
                    category: r.try_get(4)?,
                    locale: r.try_get(5)?,
                    resolved_by: r.try_get::<Option<String>, _>(6)?.map(|a| a.parse()).transpose()?,
                })
            })
            .collect()
    }
}
