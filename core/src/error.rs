//! `CoreError`, and which errors a retry may cure (`is_transient`).

use thiserror::Error;

/// Errors of the conversation core.
#[derive(Debug, Error)]
pub enum CoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: expected sqlite://… or postgres://…")]
    UnsupportedDatabase(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("attachment storage: {0}")]
    Storage(#[from] std::io::Error),
    /// Refused on purpose (a reply asking for a secret).
    #[error("refused: {0}")]
    Refused(String),
    /// A bug met while handling this write: it failed alone, the service goes on.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("the core is shutting down")]
    ShuttingDown,
    /// The store was out of reach for a batch this write was part of: nothing of it was stored.
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// Another `serve` holds this SQLite database.
    #[error(
        "{0} is already served by another switchboard process: SQLite allows one instance; \
         run several instances on one PostgreSQL database"
    )]
    AlreadyServed(String),
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    /// Whether the same write may succeed later (the database or the disk was unreachable or
    /// busy, the core was stopping), as opposed to a refusal of this input for good: a poll
    /// loop fetches a batch again only for a transient error, and moves past anything else.
    pub fn is_transient(&self) -> bool {
        match self {
            CoreError::Database(sqlx::Error::Database(refused)) => {
                let code = refused.code().unwrap_or_default();
                match code.parse::<u32>() {
                    // SQLite: busy, locked, I/O error, disk full, cannot open (extended codes
                    // keep the primary code in their low byte).
                    Ok(sqlite) => matches!(sqlite & 0xff, 5 | 6 | 10 | 13 | 14),
                    // PostgreSQL's SQLSTATE classes: connection exception, transaction rollback
                    // (serialization, deadlock), insufficient resources, operator intervention,
                    // system error.
                    Err(_) => ["08", "40", "53", "57", "58"].iter().any(|class| code.starts_with(class)),
                }
            }
            CoreError::Database(
                sqlx::Error::Decode(_)
                | sqlx::Error::ColumnDecode { .. }
                | sqlx::Error::ColumnNotFound(_)
                | sqlx::Error::ColumnIndexOutOfBounds { .. }
                | sqlx::Error::TypeNotFound { .. }
                | sqlx::Error::Encode(_),
            ) => false,
            CoreError::Database(_) | CoreError::Storage(_) | CoreError::ShuttingDown | CoreError::Unavailable(_) => {
                true
            }
            _ => false,
        }
    }
}

/// What a caught panic said (its message when it is text).
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
