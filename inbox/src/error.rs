//! `ApiError` and its JSON answer; transient store errors become 503 with `Retry-After`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use switchboard_core::error::CoreError;

/// Errors of the inbox API, answered as `{"error": "…"}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first")]
    Unauthorized,
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("admins only")]
    Forbidden,
    #[error("missing or wrong X-CSRF-Token header")]
    Csrf,
    #[error("too many failed sign-ins; try again in {} s", .0.as_secs().max(1))]
    TooManyAttempts(Duration),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("internal error")]
    Internal(String),
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Unauthorized | ApiError::WrongCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable(_) | ApiError::Core(CoreError::Invalid(_) | CoreError::Refused(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::NotFound(_) | ApiError::Core(CoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            ApiError::Core(error) if error.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) | ApiError::Core(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &self {
            ApiError::Core(CoreError::Invalid(reason) | CoreError::Refused(reason)) => reason.clone(),
            ApiError::Core(CoreError::NotFound(what)) => format!("{what} not found"),
            ApiError::Core(CoreError::ShuttingDown) => "shutting down".into(),
            ApiError::Core(error) if error.is_transient() => {
                tracing::warn!(%error, "inbox request failed: the database or the disk is out of reach for now");
                "temporarily unavailable; nothing was changed".into()
            }
            ApiError::Internal(detail) => {
                tracing::error!(detail, "inbox request failed");
                "internal error".into()
            }
            ApiError::Core(error) => {
                tracing::error!(%error, "inbox request failed");
                "internal error".into()
            }
            other => other.to_string(),
        };
        // A code for the errors an interface words itself, in its user's language.
        let code = match &self {
            ApiError::Core(CoreError::Refused(_)) => Some("refused_secret_request"),
            ApiError::Forbidden => Some("admins_only"),
            _ => None,
        };
        let mut body = serde_json::json!({ "error": message });
        if let Some(code) = code {
            body["code"] = code.into();
        }
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if let ApiError::TooManyAttempts(wait) = self
            && let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

impl From<axum::extract::multipart::MultipartRejection> for ApiError {
    fn from(rejection: axum::extract::multipart::MultipartRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

/// A form that breaks off or exceeds the upload limit.
impl From<axum::extract::multipart::MultipartError> for ApiError {
    fn from(error: axum::extract::multipart::MultipartError) -> Self {
        ApiError::BadRequest(error.body_text())
    }
}
