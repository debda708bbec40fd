//! The agents page: one's own name, password, interface language and availability; the team
//! with each one's availability; for admins, creating agents, changing roles, deactivating and
//! resetting passwords.

use super::pages::{SignedIn, agent_json, page_error, strings};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;

pub async fn page(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { session, locale } = signed_in;
    let admin = session.require_admin().is_ok();
    let agents = match state.core.store().all_agents().await {
        // Agents see the active team; admins also those deactivated, to reactivate them.
        Ok(agents) => agents.into_iter().filter(|a| admin || !a.disabled).collect::<Vec<_>>(),
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let me = &session.agent;
    state.ui.render(
        "agents.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        agents => agents, admin => admin, my_locale => me.locale.clone().unwrap_or_else(|| locale.clone()),
        locales => state.core.localizer().having(super::pages::INBOX_FILE), availabilities => ["online", "away", "offline"] },
    )
}
