//! switchboard-inbox: where agents work. The `/api/v1` JSON API (`api`), accounts and sessions
//! (`auth`), and the web UI (`ui`): server-rendered pages, a little plain JS, live updates over
//! Server-Sent Events.

pub mod api;
pub mod auth;
pub mod error;
pub mod explorers;
mod presence;
mod ui;
mod view;
mod wire;

use axum::Router;
use std::sync::Arc;
use switchboard_core::Core;

#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub explorers: Arc<explorers::Explorers>,
    /// The chains transactions are looked up on (none configured: lookups are refused).
    pub chains: Arc<switchboard_chains::Chains>,
    /// When people work: reports count business time with them, and days in their zone.
    pub hours: Arc<Option<switchboard_core::hours::BusinessHours>>,
    /// The desk's settings (peak-load mode reads the capacity and the wait it starts at).
    pub desk: Arc<switchboard_core::desk::Desk>,
    ui: Arc<ui::Ui>,
    /// The OpenAPI documents of other components served beside (web chat), merged into ours.
    extra_docs: Arc<Vec<utoipa::openapi::OpenApi>>,
    /// Agents' presence from their requests.
    presence: presence::Presence,
}

impl axum::extract::FromRef<AppState> for Core {
    fn from_ref(state: &AppState) -> Core {
        state.core.clone()
    }
}

/// `/api/v1/*`, `/login` and `/inbox/*`.
/// The inbox: API and pages. `extra_docs`: OpenAPI documents of routes served beside it, which
/// `GET /api/v1/openapi.json` includes.
pub fn router(
    core: Core,
    explorers: explorers::Explorers,
    chains: Arc<switchboard_chains::Chains>,
    desk: switchboard_core::desk::Desk,
    extra_docs: Vec<utoipa::openapi::OpenApi>,
) -> Router {
    let state = AppState {
        core,
        explorers: Arc::new(explorers),
        chains,
        hours: Arc::new(desk.hours.clone()),
        desk: Arc::new(desk),
        ui: Arc::new(ui::Ui::new()),
        extra_docs: Arc::new(extra_docs),
        presence: presence::Presence::default(),
    };
    Router::new().merge(api::router(state.clone())).merge(ui::router()).with_state(state)
}
