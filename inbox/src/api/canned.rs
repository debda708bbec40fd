//! `/api/v1/canned_responses`: the team's saved replies, with variables filled in per conversation.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use crate::wire::CannedList;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use switchboard_core::l10n::FALLBACK;
use switchboard_core::model::Reference;
use switchboard_core::store::canned::{CannedResponse, in_language};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Rendered for this conversation: its language, `{name}`, `{reference}`, `{agent}`.
    conversation_id: Option<i64>,
}

/// Without `conversation_id`: every canned response, as stored. With it: one per title, in the
/// conversation's language where one exists (else en-US), with `{name}`, `{reference}` and
/// `{agent}` filled in.
#[utoipa::path(get, path = "/api/v1/canned_responses", operation_id = "list_canned_responses", tag = "canned responses", params(ListQuery),
    responses((status = 200, body = CannedList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<CannedList>, ApiError> {
    let Query(query) = query?;
    let all = state.core.store().canned_responses().await?;
    let Some(id) = query.conversation_id else {
        return Ok(Json(CannedList { canned_responses: all }));
    };
    let store = state.core.store();
    let conversation = store.conversation(id).await?.ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
    let name = store.contact(conversation.contact_id).await?.map(|c| c.name).unwrap_or_default();
    let locale = conversation.locale.as_deref().and_then(|l| state.core.localizer().negotiate(l)).unwrap_or(FALLBACK);
    let variables =
        [("{name}", name.as_str()), ("{reference}", &Reference(id).to_string()), ("{agent}", &session.agent.name)];
    Ok(Json(CannedList { canned_responses: in_language(&all, locale, &variables) }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Canned {
    title: String,
    locale: String,
    body: String,
    /// Typed as `/shortcut` in the composer: 1 to 32 lower-case letters, digits, `-` or `_`.
    #[serde(default)]
    shortcut: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/canned_responses", operation_id = "create_canned_response", tag = "canned responses", request_body = Canned,
    responses((status = 201, body = CannedResponse)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Canned>, JsonRejection>,
) -> Result<(StatusCode, Json<CannedResponse>), ApiError> {
    let Json(canned) = body?;
    let id = state.core.store().save_canned_response(None, &canned.title, &canned.locale, &canned.body).await?;
    state.core.store().set_canned_shortcut(id, shortcut_of(&canned).as_deref()).await?;
    Ok((StatusCode::CREATED, Json(stored(&state, id).await?)))
}

/// The shortcut asked for, without its `/`, lower-case; `None` when blank.
fn shortcut_of(canned: &Canned) -> Option<String> {
    canned.shortcut.as_deref().map(|s| s.trim().trim_start_matches('/').to_lowercase()).filter(|s| !s.is_empty())
}

/// A canned response as stored, with its files.
async fn stored(state: &AppState, id: i64) -> Result<CannedResponse, ApiError> {
    state.core.store().canned_response(id).await?.ok_or_else(|| ApiError::NotFound(format!("canned response {id}")))
}

#[utoipa::path(put, path = "/api/v1/canned_responses/{id}", operation_id = "update_canned_response", tag = "canned responses", request_body = Canned,
    params(("id" = i64, Path, description = "The canned response")), responses((status = 200, body = CannedResponse)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<Canned>, JsonRejection>,
) -> Result<Json<CannedResponse>, ApiError> {
    let Json(canned) = body?;
    state.core.store().save_canned_response(Some(id), &canned.title, &canned.locale, &canned.body).await?;
    state.core.store().set_canned_shortcut(id, shortcut_of(&canned).as_deref()).await?;
    Ok(Json(stored(&state, id).await?))
}

/// Files sent with a canned response: `multipart/form-data` with `file` parts.
#[utoipa::path(post, path = "/api/v1/canned_responses/{id}/attachments", operation_id = "add_canned_files", tag = "canned responses",
    request_body(content_type = "multipart/form-data", description = "`file` parts"),
    params(("id" = i64, Path, description = "The canned response")), responses((status = 200, body = CannedResponse)))]
pub async fn add_files(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    mut form: axum::extract::Multipart,
) -> Result<Json<CannedResponse>, ApiError> {
    stored(&state, id).await?;
    let mut added = 0;
    while let Some(field) = form.next_field().await? {
        if !matches!(field.name(), Some("file" | "files" | "attachment")) {
            continue;
        }
        let filename = field.file_name().unwrap_or("file").to_owned();
        let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
        let bytes = field.bytes().await?;
        if bytes.is_empty() {
            continue;
        }
        let file = state.core.attachments().put(&filename, &content_type, &bytes).await?;
        state.core.store().add_canned_file(id, &file).await?;
        added += 1;
    }
    if added == 0 {
        return Err(ApiError::Unprocessable("no file: send `file` parts".into()));
    }
    Ok(Json(stored(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/canned_responses/{id}/attachments/{file}", operation_id = "delete_canned_file", tag = "canned responses",
    params(("id" = i64, Path, description = "The canned response"), ("file" = i64, Path, description = "The file")),
    responses((status = 204, description = "Removed")))]
pub async fn delete_file(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.core.store().delete_canned_file(id, file).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/canned_responses/{id}", operation_id = "delete_canned_response", tag = "canned responses",
    params(("id" = i64, Path, description = "The canned response")), responses((status = 204, description = "Deleted")))]
pub async fn remove(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    state.core.store().delete_canned_response(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canned(title: &str, locale: &str, body: &str) -> CannedResponse {
        CannedResponse {
            id: 0,
            title: title.into(),
            locale: locale.into(),
            body: body.into(),
            shortcut: None,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_conversations_language_wins_and_variables_are_filled() {
        let all = [
            canned("greet", "en-US", "Hi {name}, about {reference}"),
            canned("greet", "zh-CN", "{name}您好，关于 {reference}"),
            canned("bye", "en-US", "Bye from {agent}"),
        ];
        let chosen = in_language(&all, "zh-CN", &[("{name}", "王"), ("{reference}", "#1001"), ("{agent}", "Ann")]);
        assert_eq!(chosen.len(), 2);
        assert_eq!(chosen[0].body, "王您好，关于 #1001");
        assert_eq!(chosen[1].body, "Bye from Ann");
    }
}
