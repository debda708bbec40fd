//! `/api/v1/peak`: peak-load mode — where the queue stands, and the operators' switch (`auto`
//! follows the queue; `on` and `off` hold until switched back).

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::Deserialize;
use switchboard_core::clock::now_ms;
use switchboard_core::desk::peak::{PeakMode, PeakStatus};
use switchboard_core::events::Event;

/// The switch.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PeakSwitch {
    /// `auto`, `on` or `off`.
    pub mode: String,
}

#[utoipa::path(get, path = "/api/v1/peak", operation_id = "peak_status", tag = "desk",
    responses((status = 200, body = PeakStatus)))]
pub async fn status(State(state): State<AppState>) -> Result<Json<PeakStatus>, ApiError> {
    Ok(Json(state.core.peak_status(&state.desk, now_ms()).await?))
}

#[utoipa::path(put, path = "/api/v1/peak", operation_id = "switch_peak", tag = "desk", request_body = PeakSwitch,
    responses((status = 200, body = PeakStatus)))]
pub async fn switch(
    State(state): State<AppState>,
    body: Result<Json<PeakSwitch>, JsonRejection>,
) -> Result<Json<PeakStatus>, ApiError> {
    let Json(switch) = body?;
    let mode: PeakMode = switch
        .mode
        .parse()
        .map_err(|_| ApiError::Unprocessable(format!("mode: {:?} is not auto, on or off", switch.mode)))?;
    state.core.store().set_peak_mode(mode).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok(Json(state.core.peak_status(&state.desk, now_ms()).await?))
}
