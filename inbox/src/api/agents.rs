//! `/api/v1/agents`: listing agents and creating them (admins).

use crate::AppState;
use crate::auth;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_core::store::agents::Role;

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
