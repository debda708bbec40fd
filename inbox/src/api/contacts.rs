//! `/api/v1/contacts`: a contact, their history across tickets, merging two, erasing one.

use super::conversations::PageQuery;
use crate::AppState;
use crate::error::ApiError;
use crate::wire::MessagePage;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use switchboard_core::model::ContactId;
use switchboard_core::store::contacts::ContactView;

#[utoipa::path(get, path = "/api/v1/contacts/{id}", operation_id = "get_contact", tag = "contacts", params(("id" = i64, Path, description = "The contact")),
    responses((status = 200, body = ContactView)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<ContactId>) -> Result<Json<ContactView>, ApiError> {
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    Ok(Json(contact))
}

/// What an erasure removed: counts only, like the audit entry it leaves.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContactErased {
    pub contacts: i64,
    pub identities: i64,
    pub conversations: i64,
    pub messages: i64,
    pub attachments: i64,
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", operation_id = "erase_contact", tag = "contacts",
    params(("id" = i64, Path, description = "The contact (a contact merged into another is erased with it)")),
    responses((status = 200, description = "Erased; an audit entry records the counts and the admin, not the person", body = ContactErased),
              (status = 404, description = "No such contact", body = crate::wire::ErrorBody)))]
pub async fn erase(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<crate::auth::Session>,
    Path(id): Path<ContactId>,
) -> Result<Json<ContactErased>, ApiError> {
    let erased = state
        .core
        .erase_contact(id, Some(session.agent.id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    Ok(Json(ContactErased {
        contacts: erased.contacts,
        identities: erased.identities,
        conversations: erased.conversations,
        messages: erased.messages,
        attachments: erased.attachments,
    }))
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}/messages", operation_id = "list_contact_messages", tag = "contacts",
    params(("id" = i64, Path, description = "The contact"), PageQuery), responses((status = 200, body = MessagePage)))]
pub async fn messages(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<crate::auth::Session>,
    Path(id): Path<ContactId>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<MessagePage>, ApiError> {
    let Query(page) = query?;
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let messages = state.core.store().contact_messages(contact.id, page.after).await?;
    let messages = messages.iter().map(|m| crate::view::wire_for(&state, &session, m)).collect();
    Ok(Json(MessagePage { messages }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Merge {
    other_id: ContactId,
}

#[utoipa::path(post, path = "/api/v1/contacts/{id}/merge", operation_id = "merge_contacts", tag = "contacts", request_body = Merge,
    params(("id" = i64, Path, description = "The contact that stays")), responses((status = 200, body = ContactView)))]
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<ContactId>,
    body: Result<Json<Merge>, JsonRejection>,
) -> Result<Json<ContactView>, ApiError> {
    let Json(merge) = body?;
    state.core.merge_contacts(id, merge.other_id).await?;
    show(State(state), Path(id)).await
}

/// Streams a stored attachment as a download (never rendered inline: it is customer content).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", operation_id = "download_attachment", tag = "contacts", params(("id" = i64, Path, description = "The attachment")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>)))]
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
