//! The desk page: teams (members, lead, languages, categories), SLA policies and automation
//! rules — every agent reads them, admins change them (a rule is tried on the latest
//! conversations before it is saved).

use super::pages::{SignedIn, agent_json, page_error, strings};
use crate::AppState;
use crate::api::sla::WirePolicy;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;

pub async fn page(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { session, locale } = signed_in;
    let store = state.core.store();
    let loaded = async {
        Ok::<_, switchboard_core::error::CoreError>((
            store.teams().await?,
            store.sla_policies().await?,
            store.rules().await?,
            store.agents().await?,
        ))
    };
    let (teams, policies, rules, agents) = match loaded.await {
        Ok(loaded) => loaded,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let mut json = serde_json::to_value(r).expect("rules serialize");
            json["conditions_json"] = serde_json::to_string_pretty(&r.conditions).expect("json").into();
            json["actions_json"] = serde_json::to_string_pretty(&r.actions).expect("json").into();
            json
        })
        .collect();
    let policies: Vec<WirePolicy> = policies.into_iter().map(WirePolicy::from).collect();
    state.ui.render(
        "desk.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        admin => session.require_admin().is_ok(), teams => teams, policies => policies, rules => rules,
        agents => agents.iter().map(|a| serde_json::json!({"id": a.id, "name": a.name})).collect::<Vec<_>>(),
        events => ["message_received", "conversation_opened", "handed_off", "resolved", "sla_warning", "sla_breach", "idle"],
        priorities => ["low", "normal", "high", "urgent"], channels => ["webchat", "telegram", "discord", "email"] },
    )
}
