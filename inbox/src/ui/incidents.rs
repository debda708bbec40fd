//! The incidents page: peak-load mode (where the queue stands, the operators' switch); every incident with its linked conversations' count (a surge's
//! suggestion with the questions that made it), admins open, confirm and update them;
//! announcements (a segment previewed, each channel's progress); and the open complaints, the
//! soonest due first.

use super::pages::{SignedIn, agent_json, page_error, strings};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use switchboard_core::incidents::IncidentStatus;

pub async fn page(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { session, locale } = signed_in;
    let store = state.core.store();
    let now = switchboard_core::clock::now_ms();
    let loaded = async {
        Ok::<_, switchboard_core::error::CoreError>((
            store.incidents(false).await?,
            store.complaints(true, now).await?,
            store.agents().await?,
            state.core.peak_status(&state.desk, now).await?,
            store.announcements().await?,
        ))
    };
    let (incidents, complaints, agents, peak, announcements) = match loaded.await {
        Ok(loaded) => loaded,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let statuses: Vec<&str> = IncidentStatus::ALL.iter().map(|s| s.as_str()).collect();
    state.ui.render(
        "incidents.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        admin => session.require_admin().is_ok(), peak => peak, incidents => incidents, announcements => announcements,
        channels => ["webchat", "telegram", "discord", "email"], complaints => complaints, statuses => statuses,
        locales => state.core.localizer().available(),
        agents => agents.iter().map(|a| serde_json::json!({"id": a.id, "name": a.name})).collect::<Vec<_>>() },
    )
}
