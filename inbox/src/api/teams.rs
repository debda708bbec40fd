//! `/api/v1/teams`: the desk's teams — members, a lead, the languages and categories each takes.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};
use switchboard_core::store::teams::{Team, TeamChange, TeamId};

#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamList {
    pub teams: Vec<Team>,
}

/// A team as created or changed; in a PATCH a field left out stays as it is.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read field by field from the JSON object (to tell `null` from absent)
pub struct TeamBody {
    /// 1 to 100 characters, unique.
    name: Option<String>,
    /// The agents who take its conversations.
    member_ids: Option<Vec<i64>>,
    /// Told of its SLA warnings and breaches; `null`: none.
    lead_id: Option<i64>,
    /// Customer languages it takes: `zh` takes every Chinese locale, `zh-TW` only that one.
    languages: Option<Vec<String>>,
    /// The bot's categories it takes.
    categories: Option<Vec<String>>,
}

#[utoipa::path(get, path = "/api/v1/teams", operation_id = "list_teams", tag = "teams",
    responses((status = 200, body = TeamList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<TeamList>, ApiError> {
    Ok(Json(TeamList { teams: state.core.store().teams().await? }))
}

#[utoipa::path(post, path = "/api/v1/teams", operation_id = "create_team", tag = "teams", request_body = TeamBody,
    responses((status = 201, body = Team)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<(StatusCode, Json<Team>), ApiError> {
    let Json(fields) = body?;
    let id = state.core.store().create_team(change_of(&fields)?).await?;
    state.core.events().publish(switchboard_core::events::Event::DeskChanged);
    Ok((StatusCode::CREATED, Json(stored(&state, id).await?)))
}

#[utoipa::path(patch, path = "/api/v1/teams/{id}", operation_id = "update_team", tag = "teams", request_body = TeamBody,
    params(("id" = i64, Path, description = "The team")), responses((status = 200, body = Team)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<TeamId>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<Team>, ApiError> {
    let Json(fields) = body?;
    state.core.store().change_team(id, change_of(&fields)?).await?;
    state.core.events().publish(switchboard_core::events::Event::DeskChanged);
    Ok(Json(stored(&state, id).await?))
}

/// Deletes a team: its conversations keep their agents and lose the team.
#[utoipa::path(delete, path = "/api/v1/teams/{id}", operation_id = "delete_team", tag = "teams",
    params(("id" = i64, Path, description = "The team")), responses((status = 204)))]
pub async fn remove(State(state): State<AppState>, Path(id): Path<TeamId>) -> Result<StatusCode, ApiError> {
    state.core.store().delete_team(id).await?;
    state.core.events().publish(switchboard_core::events::Event::DeskChanged);
    Ok(StatusCode::NO_CONTENT)
}

async fn stored(state: &AppState, id: TeamId) -> Result<Team, ApiError> {
    state.core.store().team(id).await?.ok_or_else(|| ApiError::NotFound(format!("team {id}")))
}

/// The change a JSON object asks for, checked field by field.
fn change_of(fields: &Map<String, Value>) -> Result<TeamChange, ApiError> {
    let mut change = TeamChange::default();
    for (key, value) in fields {
        let invalid = |what: &str| ApiError::Unprocessable(format!("{key}: {what}"));
        let strings = || -> Result<Vec<String>, ApiError> {
            serde_json::from_value(value.clone()).map_err(|_| invalid("expected a list of strings"))
        };
        match key.as_str() {
            "name" => change.name = Some(value.as_str().ok_or_else(|| invalid("expected a string"))?.to_owned()),
            "member_ids" => {
                change.member_ids =
                    Some(serde_json::from_value(value.clone()).map_err(|_| invalid("expected a list of agent ids"))?);
            }
            "lead_id" => {
                change.lead_id = Some(match value {
                    Value::Null => None,
                    other => Some(other.as_i64().ok_or_else(|| invalid("expected an agent id or null"))?),
                });
            }
            "languages" => change.languages = Some(strings()?),
            "categories" => change.categories = Some(strings()?),
            // What the team is when read back: harmless to send again.
            "id" => {}
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field of a team"))),
        }
    }
    Ok(change)
}
