use crate::AppState;
use crate::auth;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_core::store::inbox::Role;

pub async fn list(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let agents = state.core.store().agents().await?;
    Ok(Json(serde_json::json!({ "agents": agents })))
}

#[derive(Deserialize)]
pub struct NewAgent {
    email: String,
    name: String,
    password: String,
    role: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<NewAgent>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let Json(new) = body?;
    let role: Role = new.role.as_deref().unwrap_or("agent").parse()?;
    let hash = auth::hash_password(&new.password)?;
    let id = state.core.store().create_agent(&new.email, &new.name, role, &hash).await?;
    let agent = state.core.store().agent(id).await?.ok_or_else(|| ApiError::NotFound("agent".into()))?;
    Ok((StatusCode::CREATED, Json(serde_json::to_value(agent).expect("agent serializes"))))
}
