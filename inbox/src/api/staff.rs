use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_core::model::ChannelKind;
use switchboard_core::store::inbox::Role;

pub async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let handles = state.core.store().staff_handles().await?;
    let list: Vec<Value> = handles
        .iter()
        .map(|(id, agent_id, h)| {
            json!({ "id": id, "agent_id": agent_id, "agent_name": h.agent_name, "channel": h.channel, "handle": h.handle })
        })
        .collect();
    Ok(Json(json!({ "staff_handles": list })))
}

#[derive(Deserialize)]
pub struct NewHandle {
    channel: String,
    handle: String,
    agent_id: Option<i64>,
}

pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Result<Json<NewHandle>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let Json(new) = body?;
    let agent_id = new.agent_id.unwrap_or(session.agent.id);
    if agent_id != session.agent.id {
        session.require_admin()?;
        state
            .core
            .store()
            .agent(agent_id)
            .await?
            .ok_or_else(|| ApiError::Unprocessable("agent_id: no such agent".into()))?;
    }
    let channel: ChannelKind =
        new.channel.parse().map_err(|_| ApiError::Unprocessable(format!("channel {:?}", new.channel)))?;
    let id = state.core.add_staff_handle(agent_id, channel, &new.handle).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "agent_id": agent_id, "channel": channel, "handle": new.handle.trim() })),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let handles = state.core.store().staff_handles().await?;
    let (_, owner, _) =
        handles.iter().find(|(h, _, _)| *h == id).ok_or_else(|| ApiError::NotFound(format!("staff handle {id}")))?;
    if *owner != session.agent.id && session.agent.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    state.core.remove_staff_handle(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
