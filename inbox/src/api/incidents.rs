//! `/api/v1/incidents`: incidents — suggested by a surge, opened and updated by admins, with
//! the conversations linked to them. A change customers are told of goes to every linked one.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_core::clock::now_ms;
use switchboard_core::events::Event;
use switchboard_core::incidents::{Incident, IncidentChange, IncidentStatus};
use switchboard_core::store::incidents::LinkedBy;

#[derive(Serialize, utoipa::ToSchema)]
pub struct IncidentList {
    pub incidents: Vec<Incident>,
}

/// An incident as created or changed; in a PATCH a field left out stays as it is. The fields
/// an incident is read with besides these (`id`, `conversation_ids`, …) may be sent back and
/// are ignored.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read field by field from the JSON object
pub struct IncidentBody {
    /// 1 to 200 characters; required to create one.
    title: Option<String>,
    /// `suggested`, `investigating` (a new incident's default), `monitoring` or `resolved`.
    status: Option<String>,
    /// Words and phrases a customer's question must contain to be about it.
    keywords: Option<Vec<String>>,
    /// The public message per language tag, e.g. `{"en-US": "…", "zh-CN": "…"}`.
    message: Option<std::collections::BTreeMap<String, String>>,
}

/// The conversation to link.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkBody {
    pub id: i64,
}

#[utoipa::path(get, path = "/api/v1/incidents", operation_id = "list_incidents", tag = "incidents",
    responses((status = 200, body = IncidentList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<IncidentList>, ApiError> {
    Ok(Json(IncidentList { incidents: state.core.store().incidents(false).await? }))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", operation_id = "show_incident", tag = "incidents",
    params(("id" = i64, Path, description = "The incident")), responses((status = 200, body = Incident)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Incident>, ApiError> {
    Ok(Json(stored(&state, id).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents", operation_id = "create_incident", tag = "incidents",
    request_body = IncidentBody, responses((status = 201, body = Incident)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<(StatusCode, Json<Incident>), ApiError> {
    let Json(fields) = body?;
    let id = state.core.store().create_incident(change_of(&fields)?, now_ms()).await?;
    state.core.events().publish(Event::IncidentChanged { incident_id: id });
    Ok((StatusCode::CREATED, Json(stored(&state, id).await?)))
}

#[utoipa::path(patch, path = "/api/v1/incidents/{id}", operation_id = "update_incident", tag = "incidents",
    request_body = IncidentBody, params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, body = Incident)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<Incident>, ApiError> {
    let Json(fields) = body?;
    let incident = state.core.store().change_incident(id, change_of(&fields)?, now_ms()).await?;
    state.core.events().publish(Event::IncidentChanged { incident_id: id });
    Ok(Json(incident))
}

/// Links a conversation: its customer is told the incident's current message (unless it is a
/// suggestion) and every change after it.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/conversations", operation_id = "link_incident",
    tag = "incidents", request_body = LinkBody, params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, body = Incident)))]
pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<LinkBody>, JsonRejection>,
) -> Result<Json<Incident>, ApiError> {
    let Json(LinkBody { id: conversation }) = body?;
    state.core.store().link_incident(id, conversation, LinkedBy::Agent, now_ms()).await?;
    state.core.events().publish(Event::IncidentChanged { incident_id: id });
    state.core.events().publish(Event::ConversationChanged { conversation_id: conversation });
    Ok(Json(stored(&state, id).await?))
}

async fn stored(state: &AppState, id: i64) -> Result<Incident, ApiError> {
    state.core.store().incident(id).await?.ok_or_else(|| ApiError::NotFound(format!("incident {id}")))
}

/// What an incident is read with besides its fields: harmless to send back.
const READ_ONLY: &[&str] =
    &["id", "conversation_ids", "examples", "requesters", "version", "created_at", "updated_at", "resolved_at"];

/// The change a JSON object asks for, checked field by field.
fn change_of(fields: &Map<String, Value>) -> Result<IncidentChange, ApiError> {
    let mut change = IncidentChange::default();
    for (key, value) in fields {
        let invalid = |what: &str| ApiError::Unprocessable(format!("{key}: {what}"));
        match key.as_str() {
            "title" => change.title = Some(value.as_str().ok_or_else(|| invalid("expected a string"))?.to_owned()),
            "status" => {
                let all: Vec<&str> = IncidentStatus::ALL.iter().map(|s| s.as_str()).collect();
                let status = value.as_str().and_then(|s| s.parse().ok());
                change.status = Some(status.ok_or_else(|| invalid(&format!("one of {}", all.join(", "))))?);
            }
            "keywords" => {
                change.keywords =
                    Some(serde_json::from_value(value.clone()).map_err(|_| invalid("expected a list of strings"))?);
            }
            "message" => {
                change.message = Some(
                    serde_json::from_value(value.clone())
                        .map_err(|_| invalid("expected an object of language tag to text, e.g. {\"en-US\": \"…\"}"))?,
                );
            }
            read_only if READ_ONLY.contains(&read_only) => {}
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field of an incident"))),
        }
    }
    Ok(change)
}
