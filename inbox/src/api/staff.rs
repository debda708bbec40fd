//! `/api/v1/staff_handles`: the handles customers can check as real staff.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use crate::wire::{StaffHandleList, StaffHandleView};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use switchboard_core::model::ChannelKind;
use switchboard_core::store::agents::Role;

#[utoipa::path(get, path = "/api/v1/staff_handles", operation_id = "list_staff_handles", tag = "staff handles", responses((status = 200, body = StaffHandleList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<StaffHandleList>, ApiError> {
    let handles = state.core.store().staff_handles().await?;
    let staff_handles = handles
        .into_iter()
        .map(|(id, agent_id, h)| {
            Ok(StaffHandleView {
                id,
                agent_id,
                agent_name: Some(h.agent_name),
                channel: h.channel.parse::<switchboard_core::model::ChannelKind>()?,
                handle: h.handle,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(StaffHandleList { staff_handles }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewHandle {
    channel: String,
    handle: String,
    agent_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/staff_handles", operation_id = "add_staff_handle", tag = "staff handles", request_body = NewHandle,
    responses((status = 201, body = StaffHandleView)))]
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Result<Json<NewHandle>, JsonRejection>,
) -> Result<(StatusCode, Json<StaffHandleView>), ApiError> {
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
    let handle = new.handle.trim().to_owned();
    Ok((StatusCode::CREATED, Json(StaffHandleView { id, agent_id, agent_name: None, channel, handle })))
}

#[utoipa::path(delete, path = "/api/v1/staff_handles/{id}", operation_id = "remove_staff_handle", tag = "staff handles",
    params(("id" = i64, Path, description = "The handle")), responses((status = 204, description = "Removed")))]
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
