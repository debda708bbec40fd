use super::conversations::PageQuery;
use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::model::ContactId;

pub async fn show(State(state): State<AppState>, Path(id): Path<ContactId>) -> Result<Json<Value>, ApiError> {
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    Ok(Json(serde_json::to_value(contact).expect("serializes")))
}

pub async fn messages(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<crate::auth::Session>,
    Path(id): Path<ContactId>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(page) = query?;
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let messages = state.core.store().contact_messages(contact.id, page.after).await?;
    Ok(Json(
        serde_json::json!({ "messages": messages.iter().map(|m| super::conversations::wire_for(&state, &session, m)).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
pub struct Merge {
    other_id: ContactId,
}

pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<ContactId>,
    body: Result<Json<Merge>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(merge) = body?;
    state.core.merge_contacts(id, merge.other_id).await?;
    show(State(state), Path(id)).await
}

/// Streams a stored attachment as a download (never rendered inline: it is customer content).
pub async fn attachment(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let attachment =
        state.core.store().attachment(id).await?.ok_or_else(|| ApiError::NotFound(format!("attachment {id}")))?;
    let path = state
        .core
        .attachments()
        .path_of(&attachment.storage_key)
        .ok_or_else(|| ApiError::Internal(format!("attachment {id} has an invalid storage key")))?;
    let file =
        tokio::fs::File::open(&path).await.map_err(|e| ApiError::Internal(format!("{}: {e}", path.display())))?;
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    let name: String = attachment
        .filename
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}
