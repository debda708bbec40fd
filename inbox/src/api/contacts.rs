//! `/api/v1/contacts`: the contacts list and search, a contact with their attributes, notes and
//! tickets, their history across tickets, changing, merging, erasing.

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
use switchboard_core::store::contact_details::{ContactDetails, ContactListed, ContactNote};
use switchboard_core::store::contacts::ContactView;

/// A contact with everything agents keep of them.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContactPage {
    #[serde(flatten)]
    pub contact: ContactView,
    #[serde(flatten)]
    pub details: ContactDetails,
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", operation_id = "get_contact", tag = "contacts", params(("id" = i64, Path, description = "The contact")),
    responses((status = 200, body = ContactPage)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<ContactId>) -> Result<Json<ContactPage>, ApiError> {
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let details = state.core.store().contact_details(contact.id).await?;
    Ok(Json(ContactPage { contact, details }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    /// Words of a name, a handle, an e-mail address, a phone number, an external id or an
    /// attribute's value.
    q: Option<String>,
    /// Contacts older than this id (the previous page's `next_before`).
    before: Option<ContactId>,
    /// At most this many (1–100, default 50).
    limit: Option<i64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContactList {
    pub contacts: Vec<ContactListed>,
    /// Where the next page begins, when there may be one.
    pub next_before: Option<ContactId>,
}

#[utoipa::path(get, path = "/api/v1/contacts", operation_id = "list_contacts", tag = "contacts", params(ContactQuery),
    responses((status = 200, body = ContactList)))]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ContactQuery>, QueryRejection>,
) -> Result<Json<ContactList>, ApiError> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(50).clamp(1, 100);
    let contacts = state.core.store().list_contacts(query.q.as_deref(), query.before, limit).await?;
    let next_before = (contacts.len() as i64 == limit).then(|| contacts.last().map(|c| c.id)).flatten();
    Ok(Json(ContactList { contacts, next_before }))
}

/// A change to a contact: a new name, attributes set (a text) or removed (`null`).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ContactChange {
    name: Option<String>,
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, Option<String>>)]
    attributes: std::collections::BTreeMap<String, Option<String>>,
}

#[utoipa::path(patch, path = "/api/v1/contacts/{id}", operation_id = "change_contact", tag = "contacts", request_body = ContactChange,
    params(("id" = i64, Path, description = "The contact")), responses((status = 200, body = ContactPage)))]
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<ContactId>,
    body: Result<Json<ContactChange>, JsonRejection>,
) -> Result<Json<ContactPage>, ApiError> {
    let Json(change) = body?;
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let now = switchboard_core::clock::now_ms();
    state.core.store().change_contact(contact.id, change.name.as_deref(), &change.attributes, now).await?;
    show(State(state), Path(contact.id)).await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewContactNote {
    body: String,
}

#[utoipa::path(post, path = "/api/v1/contacts/{id}/notes", operation_id = "add_contact_note", tag = "contacts", request_body = NewContactNote,
    params(("id" = i64, Path, description = "The contact")), responses((status = 201, body = ContactNote)))]
pub async fn add_note(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<crate::auth::Session>,
    Path(id): Path<ContactId>,
    body: Result<Json<NewContactNote>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<ContactNote>), ApiError> {
    let Json(note) = body?;
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let now = switchboard_core::clock::now_ms();
    let note = state.core.store().add_contact_note(contact.id, session.agent.id, &note.body, now).await?;
    Ok((axum::http::StatusCode::CREATED, Json(note)))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}/notes/{note}", operation_id = "delete_contact_note", tag = "contacts",
    params(("id" = i64, Path, description = "The contact"), ("note" = i64, Path, description = "The note: the signed-in agent's own, or any for an admin")),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_note(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<crate::auth::Session>,
    Path((id, note)): Path<(ContactId, i64)>,
) -> Result<axum::http::StatusCode, ApiError> {
    let contact = state.core.store().contact(id).await?.ok_or_else(|| ApiError::NotFound(format!("contact {id}")))?;
    let author = session.require_admin().is_err().then_some(session.agent.id);
    if state.core.store().delete_contact_note(contact.id, note, author).await? {
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!("note {note} of yours")))
    }
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
    params(("id" = i64, Path, description = "The contact that stays")), responses((status = 200, body = ContactPage)))]
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<ContactId>,
    body: Result<Json<Merge>, JsonRejection>,
) -> Result<Json<ContactPage>, ApiError> {
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
