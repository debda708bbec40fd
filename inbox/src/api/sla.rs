//! `/api/v1/sla_policies`: response and resolution targets, and the conversations each holds.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};
use switchboard_core::desk::sla::Policy;
use switchboard_core::events::Event;
use switchboard_core::store::sla_policies::PolicyChange;

/// A policy as the API shows it: targets as durations (`"15m"`, `"1h 30m"`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct WirePolicy {
    pub id: i64,
    pub name: String,
    pub first_response: Option<String>,
    pub next_response: Option<String>,
    pub resolution: Option<String>,
    pub business_hours: bool,
    pub priority: Option<&'static str>,
    pub team_id: Option<i64>,
    pub channel: Option<&'static str>,
}

impl From<Policy> for WirePolicy {
    fn from(p: Policy) -> Self {
        let duration = |ms: Option<i64>| {
            ms.map(|ms| humantime::format_duration(std::time::Duration::from_millis(ms.max(0) as u64)).to_string())
        };
        WirePolicy {
            id: p.id,
            name: p.name,
            first_response: duration(p.first_response),
            next_response: duration(p.next_response),
            resolution: duration(p.resolution),
            business_hours: p.business_hours,
            priority: p.priority.map(|p| p.as_str()),
            team_id: p.team_id,
            channel: p.channel.map(|c| c.as_str()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PolicyList {
    pub sla_policies: Vec<WirePolicy>,
}

/// A policy as created or changed; in a PATCH a field left out stays as it is, `null` clears it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read field by field from the JSON object (to tell `null` from absent)
pub struct PolicyBody {
    /// Unique.
    name: Option<String>,
    /// Durations like `"15m"`, `"4h"`, `"2d"`; `null`: not measured.
    first_response: Option<String>,
    next_response: Option<String>,
    resolution: Option<String>,
    /// Counted in business hours (schedule, time zone, holidays); else on the clock.
    business_hours: Option<bool>,
    /// Applies only to this priority (`low`, `normal`, `high`, `urgent`), team or channel; the
    /// most specific policy that fits a conversation holds it.
    priority: Option<String>,
    team_id: Option<i64>,
    channel: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sla_policies", operation_id = "list_sla_policies", tag = "sla",
    responses((status = 200, body = PolicyList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<PolicyList>, ApiError> {
    let policies = state.core.store().sla_policies().await?;
    Ok(Json(PolicyList { sla_policies: policies.into_iter().map(WirePolicy::from).collect() }))
}

#[utoipa::path(post, path = "/api/v1/sla_policies", operation_id = "create_sla_policy", tag = "sla", request_body = PolicyBody,
    responses((status = 201, body = WirePolicy)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<(StatusCode, Json<WirePolicy>), ApiError> {
    let Json(fields) = body?;
    let change = change_of(&state, &fields).await?;
    let id = state.core.store().create_sla_policy(&change).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok((StatusCode::CREATED, Json(stored(&state, id).await?)))
}

#[utoipa::path(patch, path = "/api/v1/sla_policies/{id}", operation_id = "update_sla_policy", tag = "sla", request_body = PolicyBody,
    params(("id" = i64, Path, description = "The policy")), responses((status = 200, body = WirePolicy)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<WirePolicy>, ApiError> {
    let Json(fields) = body?;
    let change = change_of(&state, &fields).await?;
    state.core.store().change_sla_policy(id, &change).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok(Json(stored(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/sla_policies/{id}", operation_id = "delete_sla_policy", tag = "sla",
    params(("id" = i64, Path, description = "The policy")), responses((status = 204)))]
pub async fn remove(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    state.core.store().delete_sla_policy(id).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok(StatusCode::NO_CONTENT)
}

async fn stored(state: &AppState, id: i64) -> Result<WirePolicy, ApiError> {
    let policy = state.core.store().sla_policy(id).await?;
    policy.map(WirePolicy::from).ok_or_else(|| ApiError::NotFound(format!("SLA policy {id}")))
}

/// The change a JSON object asks for, checked field by field.
async fn change_of(state: &AppState, fields: &Map<String, Value>) -> Result<PolicyChange, ApiError> {
    let mut change = PolicyChange::default();
    for (key, value) in fields {
        let invalid = |what: &str| ApiError::Unprocessable(format!("{key}: {what}"));
        let text = || value.as_str().map(str::trim).ok_or_else(|| invalid("expected a string or null"));
        let duration = || -> Result<Option<i64>, ApiError> {
            match value {
                Value::Null => Ok(None),
                _ => humantime::parse_duration(text()?)
                    .ok()
                    .filter(|d| !d.is_zero() && d.as_secs() <= 365 * 24 * 3600)
                    .map(|d| Some(d.as_millis() as i64))
                    .ok_or_else(|| invalid("expected a duration like 15m, 4h or 2d")),
            }
        };
        match key.as_str() {
            "name" => change.name = Some(text()?.to_owned()),
            "first_response" => change.first_response = Some(duration()?),
            "next_response" => change.next_response = Some(duration()?),
            "resolution" => change.resolution = Some(duration()?),
            "business_hours" => {
                change.business_hours = Some(value.as_bool().ok_or_else(|| invalid("expected true or false"))?)
            }
            "priority" => {
                change.priority = Some(match value {
                    Value::Null => None,
                    _ => Some(text()?.parse().map_err(|_| invalid("expected low, normal, high, urgent or null"))?),
                });
            }
            "channel" => {
                change.channel = Some(match value {
                    Value::Null => None,
                    _ => Some(
                        text()?.parse().map_err(|_| invalid("expected webchat, telegram, discord, email or null"))?,
                    ),
                });
            }
            "team_id" => {
                change.team_id = Some(match value {
                    Value::Null => None,
                    other => {
                        let team = other.as_i64().ok_or_else(|| invalid("expected a team id or null"))?;
                        state.core.store().team(team).await?.ok_or_else(|| invalid("no such team"))?;
                        Some(team)
                    }
                });
            }
            "id" => {}
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field of an SLA policy"))),
        }
    }
    Ok(change)
}
