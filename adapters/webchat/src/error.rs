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
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl IntoResponse for WebchatError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebchatError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebchatError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebchatError::Unprocessable(_) | WebchatError::Core(CoreError::Invalid(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
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
