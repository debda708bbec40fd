//! `/api/v1`: one table of routes from which the router, the access checks and the OpenAPI
//! document are all built, so none of them can forget a route.

mod agents;
mod announcements;
mod canned;
mod complaints;
mod contacts;
pub(crate) mod conversations;
mod events;
mod incidents;
mod kb;
pub mod openapi;
mod peak;
pub(crate) mod reports;
mod reviews;
mod rules;
mod session;
pub(crate) mod sla;
mod staff;
mod teams;
mod tx;

/// The JSON bodies the API accepts, as types (for clients written in Rust and the fuzz targets).
pub mod requests {
    pub use super::agents::{AgentUpdate, NewAgent};
    pub use super::canned::Canned;
    pub use super::contacts::Merge;
    pub use super::conversations::NewMessage;
    pub use super::kb::ArticleBody;
    pub use super::session::{Login, MeUpdate};
    pub use super::staff::NewHandle;
}

use crate::AppState;
use crate::auth::{CSRF_HEADER, Session, session_of};
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (signing in).
    Public,
    /// Any signed-in agent.
    Agent,
    /// Signed-in admins.
    Admin,
}

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    pub handler: MethodRouter<AppState>,
}

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    summary: &'static str,
    handler: MethodRouter<AppState>,
) -> Route {
    Route { method, path, access, summary, handler }
}

pub fn routes() -> Vec<Route> {
    use Access::*;
    vec![
        route(
            Method::POST,
            "/api/v1/login",
            Public,
            "Sign in: a bearer token, and the session cookie",
            post(session::login),
        ),
        route(Method::POST, "/api/v1/logout", Agent, "Sign out (ends this session)", post(session::logout)),
        route(Method::GET, "/api/v1/me", Agent, "The signed-in agent", get(session::me)),
        route(
            Method::PATCH,
            "/api/v1/me",
            Agent,
            "Change one's name, password, interface language or availability",
            patch(session::update_me),
        ),
        route(Method::GET, "/api/v1/teams", Agent, "Every team with its members", get(teams::list)),
        route(Method::POST, "/api/v1/teams", Admin, "Create a team", post(teams::create)),
        route(
            Method::PATCH,
            "/api/v1/teams/{id}",
            Admin,
            "Change a team's name, members, lead, languages or categories",
            patch(teams::update),
        ),
        route(Method::DELETE, "/api/v1/teams/{id}", Admin, "Delete a team", delete(teams::remove)),
        route(Method::GET, "/api/v1/incidents", Agent, "Incidents, the newest first", get(incidents::list)),
        route(Method::POST, "/api/v1/incidents", Admin, "Open an incident", post(incidents::create)),
        route(
            Method::GET,
            "/api/v1/incidents/{id}",
            Agent,
            "An incident with its linked conversations",
            get(incidents::show),
        ),
        route(
            Method::PATCH,
            "/api/v1/incidents/{id}",
            Admin,
            "Change an incident (a new status or message is told to every linked customer)",
            patch(incidents::update),
        ),
        route(
            Method::POST,
            "/api/v1/incidents/{id}/conversations",
            Agent,
            "Link a conversation to an incident",
            post(incidents::link),
        ),
        route(Method::GET, "/api/v1/complaints", Agent, "Complaints, the soonest due first", get(complaints::list)),
        route(
            Method::POST,
            "/api/v1/conversations/{id}/complaint",
            Agent,
            "Open a complaint on a conversation (the customer is told)",
            post(complaints::open),
        ),
        route(
            Method::PATCH,
            "/api/v1/conversations/{id}/complaint",
            Agent,
            "Move a complaint on: stage (told to the customer), owner, due date",
            patch(complaints::change),
        ),
        route(
            Method::GET,
            "/api/v1/peak",
            Agent,
            "Peak-load mode: the queue, the agents free, the wait",
            get(peak::status),
        ),
        route(Method::PUT, "/api/v1/peak", Admin, "Switch peak-load mode: auto, on or off", put(peak::switch)),
        route(
            Method::POST,
            "/api/v1/announcements/preview",
            Admin,
            "How many customers a segment reaches, per channel",
            post(announcements::preview),
        ),
        route(
            Method::POST,
            "/api/v1/announcements",
            Admin,
            "Send an announcement to a segment (through the outbox and each platform's limits)",
            post(announcements::create),
        ),
        route(
            Method::GET,
            "/api/v1/announcements",
            Admin,
            "Announcements with their progress",
            get(announcements::list),
        ),
        route(
            Method::GET,
            "/api/v1/announcements/{id}",
            Admin,
            "An announcement's progress per channel",
            get(announcements::show),
        ),
        route(Method::GET, "/api/v1/sla_policies", Agent, "Every SLA policy", get(sla::list)),
        route(Method::POST, "/api/v1/sla_policies", Admin, "Create an SLA policy", post(sla::create)),
        route(
            Method::PATCH,
            "/api/v1/sla_policies/{id}",
            Admin,
            "Change an SLA policy (open conversations' deadlines follow)",
            patch(sla::update),
        ),
        route(Method::DELETE, "/api/v1/sla_policies/{id}", Admin, "Delete an SLA policy", delete(sla::remove)),
        route(Method::GET, "/api/v1/automation_rules", Agent, "Every automation rule", get(rules::list)),
        route(Method::POST, "/api/v1/automation_rules", Admin, "Create an automation rule", post(rules::create)),
        route(
            Method::POST,
            "/api/v1/automation_rules/dry_run",
            Admin,
            "Try a rule on the latest 100 conversations without acting",
            post(rules::dry_run),
        ),
        route(Method::PATCH, "/api/v1/automation_rules/{id}", Admin, "Change an automation rule", patch(rules::update)),
        route(
            Method::DELETE,
            "/api/v1/automation_rules/{id}",
            Admin,
            "Delete an automation rule",
            delete(rules::remove),
        ),
        route(
            Method::GET,
            "/api/v1/conversations/{id}/rule_runs",
            Agent,
            "What automation rules did on a conversation",
            get(rules::runs),
        ),
        route(
            Method::GET,
            "/api/v1/tx/{value}",
            Agent,
            "A transaction looked up on the configured chains",
            get(tx::lookup),
        ),
        route(
            Method::GET,
            "/api/v1/addresses/{value}",
            Agent,
            "What an address holds on the configured chains",
            get(tx::address),
        ),
        route(Method::GET, "/api/v1/agents", Agent, "Every agent (for assignment)", get(agents::list)),
        route(Method::POST, "/api/v1/agents", Admin, "Create an agent", post(agents::create)),
        route(
            Method::PATCH,
            "/api/v1/agents/{id}",
            Admin,
            "Rename an agent, change their role, deactivate or reactivate them, reset their password",
            patch(agents::update),
        ),
        route(
            Method::GET,
            "/api/v1/conversations",
            Agent,
            "Conversations of a view, longest waiting first",
            get(conversations::list),
        ),
        route(
            Method::POST,
            "/api/v1/conversations/bulk",
            Agent,
            "Change several conversations at once: status, assignee, priority, tags added or removed",
            post(conversations::bulk),
        ),
        route(
            Method::GET,
            "/api/v1/conversations/{id}",
            Agent,
            "A conversation with its messages",
            get(conversations::show),
        ),
        route(
            Method::PATCH,
            "/api/v1/conversations/{id}",
            Agent,
            "Change status, assignee, team, priority, tags",
            patch(conversations::update),
        ),
        route(
            Method::POST,
            "/api/v1/conversations/{id}/messages",
            Agent,
            "Reply to the customer, or add a private note",
            post(conversations::post_message)
                .layer(axum::extract::DefaultBodyLimit::max(conversations::MAX_UPLOAD_BYTES)),
        ),
        route(
            Method::GET,
            "/api/v1/contacts",
            Agent,
            "Contacts, the newest first, or those a search finds",
            get(contacts::list),
        ),
        route(
            Method::GET,
            "/api/v1/contacts/{id}",
            Agent,
            "A contact with its identities on every channel, attributes, notes and tickets",
            get(contacts::show),
        ),
        route(
            Method::PATCH,
            "/api/v1/contacts/{id}",
            Agent,
            "Rename a contact, set or remove its attributes",
            patch(contacts::change),
        ),
        route(
            Method::POST,
            "/api/v1/contacts/{id}/notes",
            Agent,
            "Add a note about a contact",
            post(contacts::add_note),
        ),
        route(
            Method::DELETE,
            "/api/v1/contacts/{id}/notes/{note}",
            Agent,
            "Delete a note about a contact (one's own; an admin's: any)",
            delete(contacts::delete_note),
        ),
        route(
            Method::DELETE,
            "/api/v1/contacts/{id}",
            Admin,
            "Erase a contact for good: conversations, messages, attachments, identities (a privacy request)",
            delete(contacts::erase),
        ),
        route(
            Method::GET,
            "/api/v1/contacts/{id}/messages",
            Agent,
            "A contact's whole history across channels",
            get(contacts::messages),
        ),
        route(
            Method::POST,
            "/api/v1/contacts/{id}/merge",
            Agent,
            "Merge another contact into this one",
            post(contacts::merge),
        ),
        route(Method::GET, "/api/v1/attachments/{id}", Agent, "Download an attachment", get(contacts::attachment)),
        route(
            Method::GET,
            "/api/v1/canned_responses",
            Agent,
            "Canned responses (rendered for a conversation with ?conversation_id)",
            get(canned::list),
        ),
        route(
            Method::GET,
            "/api/v1/kb/articles",
            Agent,
            "The knowledge base, retired articles included",
            get(kb::list),
        ),
        route(
            Method::GET,
            "/api/v1/kb/articles/{id}/questions",
            Agent,
            "The last questions an article answered or was offered for",
            get(kb::questions),
        ),
        route(Method::POST, "/api/v1/kb/preview", Agent, "Markdown rendered as customers see it", post(kb::preview)),
        route(Method::PUT, "/api/v1/kb/articles/{id}", Admin, "Add or change a knowledge-base article", put(kb::put)),
        route(Method::DELETE, "/api/v1/kb/articles/{id}", Admin, "Retire a knowledge-base article", delete(kb::retire)),
        route(Method::POST, "/api/v1/canned_responses", Admin, "Create a canned response", post(canned::create)),
        route(
            Method::POST,
            "/api/v1/canned_responses/{id}/attachments",
            Admin,
            "Add files sent with a canned response",
            post(canned::add_files).layer(axum::extract::DefaultBodyLimit::max(conversations::MAX_UPLOAD_BYTES)),
        ),
        route(
            Method::DELETE,
            "/api/v1/canned_responses/{id}/attachments/{file}",
            Admin,
            "Remove a file from a canned response",
            delete(canned::delete_file),
        ),
        route(Method::PUT, "/api/v1/canned_responses/{id}", Admin, "Change a canned response", put(canned::update)),
        route(
            Method::DELETE,
            "/api/v1/canned_responses/{id}",
            Admin,
            "Delete a canned response",
            delete(canned::remove),
        ),
        route(
            Method::GET,
            "/api/v1/staff_handles",
            Agent,
            "Agents' public handles, which customers check with /verify",
            get(staff::list),
        ),
        route(
            Method::POST,
            "/api/v1/staff_handles",
            Agent,
            "Record a public handle (your own; admins: anyone's)",
            post(staff::add),
        ),
        route(
            Method::DELETE,
            "/api/v1/staff_handles/{id}",
            Agent,
            "Remove a handle (your own; admins: anyone's)",
            delete(staff::remove),
        ),
        route(
            Method::GET,
            "/api/v1/reports/summary",
            Agent,
            "How the team is doing over a period",
            get(reports::summary),
        ),
        route(Method::GET, "/api/v1/reports/agents", Agent, "Each agent's figures over a period", get(reports::agents)),
        route(
            Method::GET,
            "/api/v1/reports/export.csv",
            Agent,
            "One row per conversation cycle of a period, as CSV",
            get(reports::export),
        ),
        route(
            Method::GET,
            "/api/v1/reports/gaps",
            Agent,
            "What customers asked that the bot could not answer, in clusters",
            get(reports::gaps),
        ),
        route(Method::GET, "/api/v1/reviews/rubric", Agent, "The quality review's criteria", get(reviews::rubric)),
        route(
            Method::PUT,
            "/api/v1/reviews/rubric",
            Admin,
            "Change the quality review's criteria",
            put(reviews::set_rubric),
        ),
        route(
            Method::GET,
            "/api/v1/reviews",
            Agent,
            "Quality reviews (agents: of their own work; admins: anyone's, or ?agent=)",
            get(reviews::list),
        ),
        route(
            Method::POST,
            "/api/v1/conversations/{id}/reviews",
            Admin,
            "Score a resolved conversation against the rubric",
            post(reviews::create),
        ),
        route(
            Method::GET,
            "/api/v1/events",
            Agent,
            "Server-Sent Events: new messages and conversation changes",
            get(events::stream),
        ),
        route(Method::GET, "/api/v1/openapi.json", Agent, "This document", get(openapi::document)),
    ]
}

pub fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for route in routes() {
        let handler = match route.access {
            Access::Public => route.handler,
            access => route.handler.route_layer(middleware::from_fn_with_state((state.clone(), access), guard)),
        };
        router = router.route(route.path, handler);
    }
    router
}

/// Signs the request in (bearer token or cookie), enforces CSRF for cookie requests that change
/// state, and the admin role where the route asks for it. Handlers then read `Extension<Session>`.
async fn guard(State((state, access)): State<(AppState, Access)>, mut request: Request, next: Next) -> Response {
    let session = match session_of(&state.core, request.headers()).await {
        Ok(Some(session)) => session,
        Ok(None) => return ApiError::Unauthorized.into_response(),
        Err(error) => return error.into_response(),
    };
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if session.by_cookie && changes_state {
        let sent = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if sent.is_empty() || sent != session.csrf {
            return ApiError::Csrf.into_response();
        }
    }
    if access == Access::Admin
        && let Err(error) = session.require_admin()
    {
        return error.into_response();
    }
    state.presence.seen(state.core.store(), session.agent.id);
    request.extensions_mut().insert::<Session>(session);
    next.run(request).await
}
