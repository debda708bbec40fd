//! The pool, the migrations and every query off the hot path.
//!
//! One set of portable SQL runs on SQLite and PostgreSQL through `sqlx::Any` (placeholders `$1`,
//! `RETURNING`, integers and text only; times as Unix milliseconds). SQL runs in two places
//! only: here (the pool, migrations, the read-side queries of the HTTP layers, admin writes such
//! as agents and articles, backups, erasure, the outbox resumed at start) and in
//! `crate::write` (the writer: every write of the hot path, and the reads it plans on).

mod backup;
pub use backup::{Backup, POSTGRES_ADVICE};
pub(crate) mod erasure;
pub use erasure::Erased;
pub mod agents;
pub mod announcements;
pub mod canned;
mod choices;
pub mod complaints;
pub mod desk;
pub mod incidents;
pub mod reviews;
pub mod rules;
pub mod search;
pub use choices::Offer;
mod surveys;
pub use surveys::Survey;
pub mod contact_details;
pub mod contacts;
pub mod conversations;
pub mod instance;
pub mod kb;
pub mod leases;
mod logins;
mod migrations;
mod outbox;
mod peaks;
pub mod queries;
pub mod report_days;
pub mod reports;
pub mod sla_policies;
mod staff;
pub mod teams;
pub mod tokens;

use crate::error::{CoreError, Result};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Where the pool connects, for the one connection outside it (`crate::fanout`'s `LISTEN`).
    url: std::sync::Arc<str>,
}

impl Store {
    /// Checks a database URL without connecting: `sqlite://relative.db`, `sqlite:///abs.db`,
    /// `sqlite::memory:` or `postgres://…`.
    pub fn backend_of(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            if path.is_empty() || path.split('?').next().unwrap_or("").is_empty() {
                return Err(CoreError::UnsupportedDatabase(url.to_owned()));
            }
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(CoreError::UnsupportedDatabase(url.to_owned()))
        }
    }

    /// Opens (creating a SQLite file when missing) and migrates the database.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Self::backend_of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains('?') && !url.contains(":memory:") => {
                if let Some(parent) =
                    std::path::Path::new(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:")).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)?;
                }
                format!("{url}?mode=rwc")
            }
            _ => url.to_owned(),
        };
        let stored_url: std::sync::Arc<str> = url.as_str().into();
        let options =
            AnyConnectOptions::from_str(&url).map_err(|_| CoreError::UnsupportedDatabase(redact_url(&url)))?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(if url.contains(":memory:") { 1 } else { 4 })
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the single writer; synchronous=FULL
                            // makes every commit durable (group commit keeps that cheap).
                            conn.execute(
                                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                                 PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Store { pool, backend, url: stored_url })
    }

    pub async fn migrate(&self) -> Result<()> {
        migrations::migrator(self.backend).run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that writes: on SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), waiting for it as long as the busy timeout allows, so that it never fails
    /// because another connection wrote between its first read and its first write.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Hides the password of a database URL for error messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &creds[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_classified() {
        assert_eq!(Store::backend_of("sqlite://switchboard.db").unwrap(), Backend::Sqlite);
        assert_eq!(Store::backend_of("sqlite:///var/lib/sb.db").unwrap(), Backend::Sqlite);
        assert_eq!(Store::backend_of("postgres://u:p@h/db").unwrap(), Backend::Postgres);
        assert!(Store::backend_of("mysql://x").is_err());
        assert!(Store::backend_of("sqlite://").is_err());
    }

    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(redact_url("postgres://sb:hunter2@db:5432/sb"), "postgres://sb:***@db:5432/sb");
        assert_eq!(redact_url("sqlite://a.db"), "sqlite://a.db");
    }
}
