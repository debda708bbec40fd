//! The lease rows of the roles one instance at a time may hold (`crate::lease` runs them), and
//! the writes fenced by a lease's epoch.
//!
//! On PostgreSQL every time is the database's clock, so instances whose clocks disagree still
//! agree on when a lease lapses. On SQLite one process serves the file (`instance::claim`), so
//! taking a role never waits for a lease its predecessor left behind.

use super::{Backend, Store};
use crate::error::Result;
use sqlx::{AssertSqlSafe, Row};
use std::time::Duration;

/// A role held: by which instance, under which epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub role: String,
    pub holder: String,
    pub epoch: i64,
}

impl Store {
    /// The database's clock in milliseconds, as SQL.
    fn now_sql(&self) -> &'static str {
        match self.backend() {
            Backend::Postgres => "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT",
            Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
        }
    }

    /// Takes `role` for `holder` for `ttl` if nobody holds it (or its lease lapsed, or it is
    /// `holder`'s own from before a restart): its new epoch, or `None` while another holds it.
    pub async fn take_lease(&self, role: &str, holder: &str, ttl: Duration) -> Result<Option<i64>> {
        let now = self.now_sql();
        let only_if_free = match self.backend() {
            Backend::Postgres => format!(" WHERE leases.expires_at < {now} OR leases.holder = excluded.holder"),
            Backend::Sqlite => String::new(),
        };
        let sql = format!(
            "INSERT INTO leases (role, holder, epoch, expires_at) VALUES ($1, $2, 1, {now} + $3) \
             ON CONFLICT (role) DO UPDATE SET holder = excluded.holder, epoch = leases.epoch + 1, \
             expires_at = excluded.expires_at{only_if_free} RETURNING epoch"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(role)
            .bind(holder)
            .bind(ttl.as_millis() as i64)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Extends a lease still held: false when it was taken over (or released) meanwhile.
    pub async fn renew_lease(&self, lease: &Lease, ttl: Duration) -> Result<bool> {
        let sql = format!(
            "UPDATE leases SET expires_at = {} + $1 WHERE role = $2 AND holder = $3 AND epoch = $4",
            self.now_sql()
        );
        let done = sqlx::query(AssertSqlSafe(sql))
            .bind(ttl.as_millis() as i64)
            .bind(&lease.role)
            .bind(&lease.holder)
            .bind(lease.epoch)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a lease up at once, so that another instance takes the role without waiting for
    /// it to lapse.
    pub async fn release_lease(&self, lease: &Lease) -> Result<()> {
        sqlx::query("UPDATE leases SET expires_at = 0 WHERE role = $1 AND holder = $2 AND epoch = $3")
            .bind(&lease.role)
            .bind(&lease.holder)
            .bind(lease.epoch)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Who holds each role whose lease has not lapsed.
    pub async fn leases(&self) -> Result<Vec<Lease>> {
        let sql =
            format!("SELECT role, holder, epoch FROM leases WHERE expires_at >= {} ORDER BY role", self.now_sql());
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.into_iter()
            .map(|r| Ok(Lease { role: r.try_get(0)?, holder: r.try_get(1)?, epoch: r.try_get(2)? }))
            .collect()
    }

    /// Records where a channel stands, under `lease`: false, and nothing written, when the
    /// lease was taken over meanwhile (a deposed leader cannot move its successor's cursor).
    pub async fn set_cursor_fenced(&self, name: &str, value: &str, lease: &Lease) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO channel_cursors (name, value) SELECT $1, $2 WHERE EXISTS \
             (SELECT 1 FROM leases WHERE role = $3 AND holder = $4 AND epoch = $5) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .bind(&lease.role)
        .bind(&lease.holder)
        .bind(lease.epoch)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
