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
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
