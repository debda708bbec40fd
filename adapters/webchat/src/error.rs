//! Web-chat errors and the HTTP answer each becomes (status, message, `Retry-After`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_core::error::CoreError;

/// Errors of the customer API, answered as `{"error": "…"}`.
#[derive(Debug, thiserror::Error)]
pub enum WebchatError {
    #[error("missing or invalid session token")]
    Unauthorized,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("too many requests; try again in {} s", .0.as_secs().max(1))]
    TooMany(std::time::Duration),
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Seconds a client is asked to wait while the store cannot be reached.
const RETRY_AFTER_UNAVAILABLE: u64 = 5;

impl IntoResponse for WebchatError {
    fn into_response(self) -> Response {
        // Over a limit, or the store unreachable for now (which includes shutting down): the
        // client is told when to come back, and nothing it sent was accepted.
        let (status, message, retry_after) = match &self {
            WebchatError::Unauthorized => (StatusCode::UNAUTHORIZED, self.to_string(), None),
            WebchatError::BadRequest(_) => (StatusCode::BAD_REQUEST, self.to_string(), None),
            WebchatError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, self.to_string(), None),
            WebchatError::TooMany(wait) => {
                (StatusCode::TOO_MANY_REQUESTS, self.to_string(), Some(wait.as_secs().max(1)))
            }
            WebchatError::Core(CoreError::Invalid(reason)) => (StatusCode::UNPROCESSABLE_ENTITY, reason.clone(), None),
            WebchatError::Core(CoreError::NotFound(_)) => (StatusCode::NOT_FOUND, self.to_string(), None),
            WebchatError::Core(error) if error.is_transient() => {
                tracing::warn!(%error, "web chat unavailable for now");
                let message = "temporarily unavailable; nothing was stored".to_owned();
                (StatusCode::SERVICE_UNAVAILABLE, message, Some(RETRY_AFTER_UNAVAILABLE))
            }
            WebchatError::Core(error) => {
                tracing::error!(%error, "web chat request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned(), None)
            }
        };
        let mut response = (status, Json(serde_json::json!({ "error": message }))).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
