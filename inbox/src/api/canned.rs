use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::Value;
use switchboard_core::l10n::FALLBACK;
use switchboard_core::model::Reference;
use switchboard_core::store::inbox::CannedResponse;

#[derive(Deserialize)]
pub struct ListQuery {
    conversation_id: Option<i64>,
}

/// Without `conversation_id`: every canned response, as stored. With it: one per title, in the
/// conversation's language where one exists (else en-US), with `{name}`, `{reference}` and
/// `{agent}` filled in.
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(query) = query?;
    let all = state.core.store().canned_responses().await?;
    let Some(id) = query.conversation_id else {
        return Ok(Json(serde_json::json!({ "canned_responses": all })));
    };
    let store = state.core.store();
    let conversation = store.conversation(id).await?.ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
    let name = store.contact(conversation.contact_id).await?.map(|c| c.name).unwrap_or_default();
    let locale = conversation.locale.as_deref().and_then(|l| state.core.localizer().negotiate(l)).unwrap_or(FALLBACK);
    Ok(Json(serde_json::json!({ "canned_responses": for_conversation(&all, locale, &[
        ("{name}", &name),
        ("{reference}", &Reference(id).to_string()),
        ("{agent}", &session.agent.name),
    ]) })))
}

fn for_conversation(all: &[CannedResponse], locale: &str, variables: &[(&str, &str)]) -> Vec<CannedResponse> {
    let mut chosen: Vec<CannedResponse> = Vec::new();
    for response in all {
        let rank = |r: &CannedResponse| {
            if r.locale == locale {
                0
            } else if r.locale == FALLBACK {
                1
            } else {
                2
            }
        };
        match chosen.iter_mut().find(|c| c.title == response.title) {
            Some(existing) if rank(response) < rank(existing) => *existing = response.clone(),
            Some(_) => {}
            None => chosen.push(response.clone()),
        }
    }
    for response in &mut chosen {
        for (name, value) in variables {
            response.body = response.body.replace(name, value);
        }
    }
    chosen
}

#[derive(Deserialize)]
pub struct Canned {
    title: String,
    locale: String,
    body: String,
}

pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Canned>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(canned) = body?;
    let id = state.core.store().save_canned_response(None, &canned.title, &canned.locale, &canned.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "title": canned.title, "locale": canned.locale, "body": canned.body })),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<Canned>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(canned) = body?;
    state.core.store().save_canned_response(Some(id), &canned.title, &canned.locale, &canned.body).await?;
    Ok(Json(serde_json::json!({ "id": id, "title": canned.title, "locale": canned.locale, "body": canned.body })))
}

pub async fn remove(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    state.core.store().delete_canned_response(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canned(title: &str, locale: &str, body: &str) -> CannedResponse {
        CannedResponse { id: 0, title: title.into(), locale: locale.into(), body: body.into() }
    }

    #[test]
    fn the_conversations_language_wins_and_variables_are_filled() {
        let all = [
            canned("greet", "en-US", "Hi {name}, about {reference}"),
            canned("greet", "zh-CN", "{name}您好，关于 {reference}"),
            canned("bye", "en-US", "Bye from {agent}"),
        ];
        let chosen = for_conversation(&all, "zh-CN", &[("{name}", "王"), ("{reference}", "#1001"), ("{agent}", "Ann")]);
        assert_eq!(chosen.len(), 2);
        assert_eq!(chosen[0].body, "王您好，关于 #1001");
        assert_eq!(chosen[1].body, "Bye from Ann");
    }
}
