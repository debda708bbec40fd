//! `/api/v1/announcements`: admins' messages to a segment of customers — a preview of how many
//! each channel reaches, the announcement, and each channel's progress as the outbox sends it
//! within the platforms' limits.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use switchboard_core::clock::now_ms;
use switchboard_core::store::announcements::{Announcement, Segment};

/// Who an announcement goes to; a field left out is any.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    /// `webchat`, `telegram`, `discord` or `email`: customers who last wrote there.
    pub channel: Option<String>,
    /// A language (`zh`: every Chinese locale) or a locale (`zh-TW`).
    pub language: Option<String>,
    /// Customers who wrote within the last so many days (1 to 3650).
    pub within_days: Option<i64>,
}

/// An announcement to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementBody {
    /// 1 to 4,000 characters (Markdown, as agents write); the way to stop follows it.
    pub body: String,
    pub channel: Option<String>,
    pub language: Option<String>,
    pub within_days: Option<i64>,
}

/// How many a segment reaches.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SegmentPreview {
    pub recipients: i64,
    pub by_channel: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnnouncementList {
    pub announcements: Vec<Announcement>,
}

fn segment_of(
    channel: Option<String>,
    language: Option<String>,
    within_days: Option<i64>,
) -> Result<Segment, ApiError> {
    let channel = channel
        .map(|c| c.parse().map_err(|_| ApiError::Unprocessable(format!("channel: {c:?} is not a channel"))))
        .transpose()?;
    let language = language.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    if language.as_ref().is_some_and(|l| l.len() > 35 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) {
        return Err(ApiError::Unprocessable("language: a language tag such as zh or en-US".into()));
    }
    if within_days.is_some_and(|d| !(1..=3650).contains(&d)) {
        return Err(ApiError::Unprocessable("within_days: 1 to 3650".into()));
    }
    Ok(Segment { channel, language, within_days })
}

#[utoipa::path(post, path = "/api/v1/announcements/preview", operation_id = "preview_announcement",
    tag = "announcements", request_body = SegmentBody, responses((status = 200, body = SegmentPreview)))]
pub async fn preview(
    State(state): State<AppState>,
    body: Result<Json<SegmentBody>, JsonRejection>,
) -> Result<Json<SegmentPreview>, ApiError> {
    let Json(body) = body?;
    let segment = segment_of(body.channel, body.language, body.within_days)?;
    let by_channel = state.core.store().segment_size(&segment, now_ms()).await?;
    Ok(Json(SegmentPreview { recipients: by_channel.values().sum(), by_channel }))
}

#[utoipa::path(post, path = "/api/v1/announcements", operation_id = "create_announcement", tag = "announcements",
    request_body = AnnouncementBody, responses((status = 201, body = Announcement)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Result<Json<AnnouncementBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Announcement>), ApiError> {
    let Json(body) = body?;
    let segment = segment_of(body.channel, body.language, body.within_days)?;
    let id = state.core.announce(&body.body, &segment, Some(session.agent.id), now_ms()).await?;
    Ok((StatusCode::CREATED, Json(state.core.store().announcement(id).await?)))
}

#[utoipa::path(get, path = "/api/v1/announcements", operation_id = "list_announcements", tag = "announcements",
    responses((status = 200, body = AnnouncementList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<AnnouncementList>, ApiError> {
    Ok(Json(AnnouncementList { announcements: state.core.store().announcements().await? }))
}

#[utoipa::path(get, path = "/api/v1/announcements/{id}", operation_id = "show_announcement", tag = "announcements",
    params(("id" = i64, Path, description = "The announcement")), responses((status = 200, body = Announcement)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Announcement>, ApiError> {
    Ok(Json(state.core.store().announcement(id).await?))
}
