//! Why one chain could not answer a lookup.

/// One endpoint's failure; the lookup goes on with the other chains and says which failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// No connection, or it broke before an answer.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// No answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(std::time::Duration),
    /// The endpoint answered with an HTTP error status.
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String },
    /// A JSON-RPC error object.
    #[error("JSON-RPC error {code}: {message}")]
    Rpc { code: i64, message: String },
    /// An answer that is not what the API documents.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

impl ChainError {
    /// Whether asking again later may answer (no connection, no answer, a server error or
    /// throttling) rather than give the same refusal.
    pub fn is_transient(&self) -> bool {
        match self {
            ChainError::Unreachable(_) | ChainError::Timeout(_) => true,
            ChainError::Http { status, .. } => *status >= 500 || *status == 429,
            ChainError::Rpc { .. } | ChainError::Malformed(_) => false,
        }
    }

    /// An HTTP error status, with the start of what the endpoint said.
    pub(crate) fn http(status: u16, body: &str) -> ChainError {
        ChainError::Http { status, body: body.chars().take(200).collect::<String>().trim().to_owned() }
    }

    pub(crate) fn malformed(what: impl Into<String>) -> ChainError {
        ChainError::Malformed(what.into())
    }
}
