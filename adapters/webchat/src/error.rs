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
        // Over a limit, or the store unreachable for now: the client is told when to come back,
        // and nothing it sent was accepted.
        let retry_after = match &self {
            WebchatError::TooMany(wait) => Some(wait.as_secs().max(1)),
            WebchatError::Core(error) if error.is_transient() => Some(RETRY_AFTER_UNAVAILABLE),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            let (status, message) = match &self {
                WebchatError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, self.to_string()),
                other => {
                    tracing::warn!(error = %other, "web chat unavailable for now");
                    (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable; nothing was stored".to_owned())
                }
            };
            let mut response = (status, Json(serde_json::json!({ "error": message }))).into_response();
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
            return response;
        }
        let status = match &self {
            WebchatError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebchatError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebchatError::Unprocessable(_) | WebchatError::Core(CoreError::Invalid(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WebchatError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            WebchatError::Core(CoreError::ShuttingDown) => StatusCode::SERVICE_UNAVAILABLE,
            WebchatError::Core(CoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            WebchatError::Core(error) => {
                tracing::error!(%error, "web chat request failed");
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({"error": "internal error"})))
                    .into_response();
            }
        };
        let message = match &self {
            WebchatError::Core(CoreError::Invalid(reason)) => reason.clone(),
            other => other.to_string(),
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}
