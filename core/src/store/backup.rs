//! Online backups of a SQLite store: a consistent copy taken while the store is in use.

use super::{Backend, Store};
use crate::error::{CoreError, Result};
use std::path::Path;

/// How to back up a PostgreSQL store, which the database's own tools do better than a copy
/// through one connection.
pub const POSTGRES_ADVICE: &str = "a PostgreSQL store is backed up with PostgreSQL's own tools: \
`pg_dump --format=custom --file=switchboard.dump DATABASE_URL` for a consistent logical copy \
while switchboard runs (restore with `pg_restore --clean --dbname=DATABASE_URL switchboard.dump`), \
or continuous archiving with `pg_basebackup` and WAL archiving for point-in-time recovery";

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub bytes: u64,
    pub conversations: i64,
    pub messages: i64,
}

impl Store {
    /// Writes a consistent copy of a SQLite store to `target` (which must not exist) while
    /// writes go on: one read transaction is copied (`VACUUM INTO`), so the copy holds every
    /// commit made before it began and nothing of one made after. The copy is then checked
    /// (`PRAGMA integrity_check`) before it is reported.
    pub async fn backup_to(&self, target: &Path) -> Result<Backup> {
        if self.backend != Backend::Sqlite {
            return Err(CoreError::Invalid(POSTGRES_ADVICE.to_owned()));
        }
        if target.exists() {
            return Err(CoreError::Invalid(format!("{} exists; a backup never overwrites a file", target.display())));
        }
        let path = target.to_str().ok_or_else(|| CoreError::Invalid("the backup path is not UTF-8".to_owned()))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.pool).await?;
        let copy = Store::connect(&format!("sqlite://{path}")).await?;
        let checked = copy.check_and_count().await;
        copy.close().await;
        let (conversations, messages) = checked?;
        Ok(Backup { bytes: std::fs::metadata(target)?.len(), conversations, messages })
    }

    /// SQLite's verdict on its own file (`PRAGMA integrity_check`): "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String> {
        if self.backend != Backend::Sqlite {
            return Err(CoreError::Invalid("integrity_check is SQLite's".to_owned()));
        }
        Ok(sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await?)
    }

    /// `PRAGMA integrity_check` and the conversations and messages a store holds.
    async fn check_and_count(&self) -> Result<(i64, i64)> {
        let verdict = self.integrity_check().await?;
        if verdict != "ok" {
            return Err(CoreError::Invalid(format!("the backup failed its integrity check: {verdict}")));
        }
        let conversations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conversations").fetch_one(&self.pool).await?;
        let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages").fetch_one(&self.pool).await?;
        Ok((conversations, messages))
    }
}
