//! Failed sign-ins, counted in the database: every instance sharing it refuses the same
//! guesses, so adding instances adds no attempts. Per key (an e-mail address, a client
//! address), within a sliding window.

use super::Store;
use crate::error::Result;
use crate::model::Millis;
use sqlx::Row;
use std::time::Duration;

impl Store {
    /// How long until every one of `keys` is under `limit` failures within `window` before
    /// `now`: zero when none is over.
    pub async fn login_wait(&self, keys: &[String], limit: usize, window: Duration, now: Millis) -> Result<Duration> {
        let since = now - window.as_millis() as i64;
        let mut wait = Duration::ZERO;
        for key in keys {
            // The `limit`-th newest failure leaves the window last among those over the limit.
            let row = sqlx::query(
                "SELECT at FROM login_failures WHERE subject = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
            )
            .bind(key)
            .bind(since)
            .bind(limit as i64 - 1)
            .fetch_optional(self.pool())
            .await?;
            if let Some(row) = row {
                let at: Millis = row.try_get(0)?;
                wait = wait.max(Duration::from_millis((at - since).max(1) as u64));
            }
        }
        Ok(wait)
    }

    /// Records a failed sign-in on each of `keys`, and forgets failures older than `window`.
    pub async fn record_login_failure(&self, keys: &[String], window: Duration, now: Millis) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(now - window.as_millis() as i64)
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (subject, at) VALUES ($1, $2)")
                .bind(key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A successful sign-in forgets the failures on `key`.
    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE subject = $1").bind(key).execute(self.pool()).await?;
        Ok(())
    }
}
