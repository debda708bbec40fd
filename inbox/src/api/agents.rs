//! `/api/v1/agents`: listing agents (with their availability), and admins creating them,
//! changing their role, deactivating them and resetting their passwords.

use crate::AppState;
use crate::auth;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_core::store::agents::{AgentChange, Role};

#[utoipa::path(get, path = "/api/v1/agents", operation_id = "list_agents", tag = "agents", responses((status = 200, body = crate::wire::AgentList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<crate::wire::AgentList>, ApiError> {
    Ok(Json(crate::wire::AgentList { agents: state.core.store().agents().await? }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewAgent {
    email: String,
    name: String,
    password: String,
    role: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/agents", operation_id = "create_agent", tag = "agents", request_body = NewAgent,
    responses((status = 201, body = switchboard_core::store::agents::Agent)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<NewAgent>, JsonRejection>,
) -> Result<(StatusCode, Json<switchboard_core::store::agents::Agent>), ApiError> {
    let Json(new) = body?;
    let role: Role = new.role.as_deref().unwrap_or("agent").parse()?;
    let hash = auth::hash_password(&new.password)?;
    let id = state.core.store().create_agent(&new.email, &new.name, role, &hash).await?;
    let agent = state.core.store().agent(id).await?.ok_or_else(|| ApiError::NotFound("agent".into()))?;
    Ok((StatusCode::CREATED, Json(agent)))
}

/// An admin's change to an agent; absent fields stay.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AgentUpdate {
    name: Option<String>,
    /// `admin` or `agent`.
    role: Option<String>,
    /// Deactivate (their sessions end at once) or reactivate.
    disabled: Option<bool>,
    /// A new password (at least 8 characters); their sessions end.
    password: Option<String>,
    /// Open conversations auto-assignment gives them at most; `null`: the installation's limit.
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<i64>)]
    capacity: Option<Option<i64>>,
}

/// A field that may be `null` (`Some(None)`) or left out (`None`, with `#[serde(default)]`).
fn some_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

#[utoipa::path(patch, path = "/api/v1/agents/{id}", operation_id = "update_agent", tag = "agents", request_body = AgentUpdate,
    params(("id" = i64, Path, description = "The agent")),
    responses((status = 200, body = switchboard_core::store::agents::Agent),
              (status = 422, description = "Refused: the last admin stays an active admin", body = crate::wire::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<AgentUpdate>, JsonRejection>,
) -> Result<Json<switchboard_core::store::agents::Agent>, ApiError> {
    let Json(update) = body?;
    let change = AgentChange {
        name: update.name,
        role: update.role.as_deref().map(str::parse).transpose()?,
        password_hash: update.password.as_deref().map(auth::hash_password).transpose()?,
        disabled: update.disabled,
        end_sessions: update.password.is_some(),
        capacity: update.capacity,
        ..AgentChange::default()
    };
    state.core.store().change_agent(id, &change).await?;
    state.core.events().publish(switchboard_core::events::Event::DeskChanged);
    let agents = state.core.store().all_agents().await?;
    let agent = agents.into_iter().find(|a| a.id == id).ok_or_else(|| ApiError::NotFound(format!("agent {id}")))?;
    Ok(Json(agent))
}
