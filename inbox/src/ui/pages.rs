//! The inbox's server-rendered pages: sign-in, the list and thread, canned-response and
//! staff-handle pages.

use crate::AppState;
use crate::auth::{Session, session_of};
use crate::error::ApiError;
use crate::view::{ListQuery, wire_conversation};
use crate::wire::{WireConversation, WireMessage};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use switchboard_core::l10n::FALLBACK;
use switchboard_core::model::ConversationId;
use switchboard_core::store::agents::Role;

/// The signed-in agent of a page request and the language to show; without a session, the
/// way to the login page.
pub struct SignedIn {
    pub(super) session: Session,
    pub(super) locale: String,
}

impl axum::extract::FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Response> {
        match session_of(&state.core, &parts.headers).await {
            Ok(Some(session)) => {
                let locale = locale_of(state, Some(&session), &parts.headers);
                Ok(SignedIn { session, locale })
            }
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// A page that could not be shown, as a page in the agent's language (never raw JSON): what
/// went wrong, and the way back. Its status is the API's for the same error.
pub(super) fn page_error(state: &AppState, locale: &str, error: ApiError) -> Response {
    let status = error.into_response().status();
    let t = strings(state, locale);
    let key = match status {
        axum::http::StatusCode::FORBIDDEN => "page-admins-only",
        axum::http::StatusCode::NOT_FOUND => "page-not-found",
        _ => "page-failed",
    };
    let mut page = state.ui.render("error.html", context! { t => t, locale => locale, message_key => key });
    *page.status_mut() = status;
    page
}

/// The file of the inbox's words: its languages are the locales that ship it.
pub(crate) const INBOX_FILE: &str = "inbox.ftl";

/// The agent's own language, else the browser's, else English.
fn locale_of(state: &AppState, session: Option<&Session>, headers: &HeaderMap) -> String {
    let localizer = state.core.localizer();
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    session
        .and_then(|s| s.agent.locale.as_deref())
        .into_iter()
        .chain(accept.split(',').map(|part| part.split(';').next().unwrap_or("").trim()))
        .find_map(|tag| localizer.negotiate_having(tag, INBOX_FILE))
        .unwrap_or(FALLBACK)
        .to_owned()
}

pub(super) fn strings(state: &AppState, locale: &str) -> BTreeMap<String, String> {
    state.core.localizer().with_prefix(locale, "inbox-")
}

#[derive(Deserialize)]
pub struct LoginQuery {
    lang: Option<String>,
}

pub async fn login(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<LoginQuery>) -> Response {
    if let Ok(Some(_)) = session_of(&state.core, &headers).await {
        return Redirect::to("/inbox").into_response();
    }
    let mut locale = locale_of(&state, None, &headers);
    if let Some(chosen) = query.lang.as_deref().and_then(|l| state.core.localizer().negotiate_having(l, INBOX_FILE)) {
        locale = chosen.to_owned();
    }
    state.ui.render("login.html", context! { t => strings(&state, &locale), locale => locale })
}

#[derive(Serialize)]
struct View {
    label: String,
    href: String,
    count: Option<i64>,
    active: bool,
    /// Its count's name in the list API's `counts`, for live updates.
    count_key: String,
}

/// The query string of a view, keeping the other filters.
fn view_href(query: &ListQuery, status: &str, assignee: &str, stage: &str) -> String {
    let mut parts = vec![format!("status={status}"), format!("assignee={assignee}")];
    if !stage.is_empty() {
        parts.push(format!("stage={stage}"));
    }
    for (name, value) in
        [("channel", &query.channel), ("tag", &query.tag), ("language", &query.language), ("q", &query.q)]
    {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", urlencode(value)));
        }
    }
    format!("/inbox?{}", parts.join("&"))
}

pub(super) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct InboxQuery {
    #[serde(flatten)]
    list: ListQuery,
    c: Option<ConversationId>,
}

async fn list_context(state: &AppState, session: &Session, query: &ListQuery) -> Result<minijinja::Value, ApiError> {
    let filter = query.filter(session.agent.id)?;
    let conversations = state.core.store().list_conversations(&filter).await?;
    let list: Vec<WireConversation> = conversations.iter().map(WireConversation::from).collect();
    Ok(minijinja::Value::from_serialize(list))
}

pub async fn inbox(State(state): State<AppState>, signed_in: SignedIn, Query(query): Query<InboxQuery>) -> Response {
    let SignedIn { session, locale } = signed_in;
    let t = strings(&state, &locale);
    let counts = match state.core.store().view_counts(session.agent.id).await {
        Ok(counts) => counts,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let status = query.list.status.clone().unwrap_or_else(|| "open".into());
    let assignee = query.list.assignee.clone().unwrap_or_else(|| "anyone".into());
    let stage = query.list.stage.clone().unwrap_or_default();
    let view = |key: &str, s: &str, a: &str, st: &str, count: Option<i64>| View {
        label: t.get(key).cloned().unwrap_or_default(),
        href: view_href(&query.list, s, a, st),
        count,
        active: status == s && assignee == a && stage == st,
        count_key: key.strip_prefix("view-").unwrap_or(key).replace('-', "_"),
    };
    // The agents' queue leaves out what the bot answered and waits on the customer: that has a
    // view of its own.
    let views = vec![
        view("view-open", "open", "anyone", "people", Some(counts.open)),
        view("view-mine", "open", "me", "people", Some(counts.mine)),
        view("view-unassigned", "open", "unassigned", "people", Some(counts.unassigned)),
        view("view-bot", "open", "anyone", "bot", Some(counts.bot)),
        view("view-pending", "pending", "anyone", "", Some(counts.pending)),
        view("view-resolved", "resolved", "anyone", "", Some(counts.resolved)),
        view("view-low-rating", "all", "anyone", "low_rating", Some(counts.low_rating)),
        view("view-all", "all", "anyone", "", None),
    ];
    let list = match list_context(&state, &session, &query.list).await {
        Ok(list) => list,
        Err(error) => return page_error(&state, &locale, error),
    };
    let (selected, thread) = match query.c {
        Some(id) => match (conversation_context(&state, &session, id).await, thread_context(&state, id, &locale).await)
        {
            (Ok(pane), Ok(thread)) => (Some(pane), thread),
            (Err(error), _) | (_, Err(error)) => return page_error(&state, &locale, error),
        },
        None => (None, Vec::new()),
    };
    let list_query = headers_free_query(&query.list);
    state.ui.render(
        "inbox.html",
        context! {
            t => t, locale => locale, me => agent_json(&session), csrf => session.csrf,
            views => views, list => list, list_query => list_query, filters => filters_json(&query.list),
            selected_id => query.c, pane => selected, thread => thread, lookups => !state.chains.is_empty(),
            locales => state.core.localizer().having(INBOX_FILE),
        },
    )
}

pub(super) fn agent_json(session: &Session) -> serde_json::Value {
    serde_json::json!({ "id": session.agent.id, "name": session.agent.name, "admin": session.agent.role == Role::Admin,
        "availability": session.agent.availability.as_str(), "notify": session.agent.notify,
        "notify_json": serde_json::to_string(&session.agent.notify).expect("switches serialize") })
}

fn filters_json(query: &ListQuery) -> serde_json::Value {
    serde_json::json!({
        "status": query.status.clone().unwrap_or_else(|| "open".into()),
        "assignee": query.assignee.clone().unwrap_or_else(|| "anyone".into()),
        "channel": query.channel, "tag": query.tag, "language": query.language, "q": query.q,
    })
}

/// The list's query string, for the fragment the page reloads live.
fn headers_free_query(query: &ListQuery) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("status", &query.status),
        ("assignee", &query.assignee),
        ("channel", &query.channel),
        ("tag", &query.tag),
        ("language", &query.language),
        ("q", &query.q),
        ("stage", &query.stage),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", urlencode(value)));
        }
    }
    parts.join("&")
}

#[derive(Serialize)]
struct ThreadMessage {
    #[serde(flatten)]
    message: WireMessage,
    other_conversation: Option<String>,
    /// The agent who wrote it, by name.
    agent: Option<String>,
}

async fn conversation_context(
    state: &AppState,
    session: &Session,
    id: ConversationId,
) -> Result<minijinja::Value, ApiError> {
    let store = state.core.store();
    let conversation = wire_conversation(state, id).await?;
    let contact = store.contact(conversation.contact.id).await?.ok_or_else(|| ApiError::NotFound("contact".into()))?;
    let mut channels: Vec<&'static str> = contact.identities.iter().map(|i| i.channel.as_str()).collect();
    channels.sort();
    channels.dedup();
    let agents = store.agents().await?;
    let incidents: Vec<_> = store
        .incidents(false)
        .await?
        .into_iter()
        .filter(|i| {
            i.status != switchboard_core::incidents::IncidentStatus::Resolved || i.conversation_ids.contains(&id)
        })
        .collect();
    let stages: Vec<&str> = switchboard_core::complaints::ComplaintStage::ALL.iter().map(|s| s.as_str()).collect();
    Ok(context! {
        complaint => store.complaint(id, switchboard_core::clock::now_ms()).await?,
        complaint_stages => stages,
        language => conversation.locale.as_deref().map(switchboard_core::l10n::language_name),
        incidents => incidents,
        conversation => conversation,
        contact => contact,
        channels => channels,
        surveys => store.surveys(id).await?.into_iter().filter(|s| s.rating.is_some()).collect::<Vec<_>>(),
        rubric => store.rubric().await?,
        reviews => store.reviews(None, Some(id)).await?,
        agents => agents.iter().map(|a| serde_json::json!({"id": a.id, "name": a.name})).collect::<Vec<_>>(),
        teams => store.teams().await?.iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
        me => agent_json(session),
    })
}

async fn thread_context(state: &AppState, id: ConversationId, locale: &str) -> Result<Vec<ThreadMessage>, ApiError> {
    let store = state.core.store();
    let conversation = store.conversation(id).await?.ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
    // The contact's whole history, across channels and tickets, newest page last.
    let mut messages = Vec::new();
    let mut after = 0;
    loop {
        let page = store.contact_messages(conversation.contact_id, after).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        messages.extend(page);
        if messages.len() >= 1000 {
            messages.drain(..messages.len() - 500);
        }
    }
    let agents = store.all_agents().await?;
    let agent = |id: Option<i64>| agents.iter().find(|a| Some(a.id) == id).map(|a| a.name.clone());
    Ok(messages
        .iter()
        .map(|m| ThreadMessage {
            agent: agent(m.agent_id),
            message: WireMessage::new(m, &state.explorers, state.core.localizer(), locale),
            other_conversation: m
                .conversation_id
                .filter(|c| *c != id)
                .map(|c| switchboard_core::model::Reference(c).to_string()),
        })
        .collect())
}

pub async fn list_fragment(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<InboxQuery>,
) -> Response {
    let SignedIn { session, locale } = signed_in;
    match list_context(&state, &session, &query.list).await {
        Ok(list) => state.ui.render(
            "list.html",
            context! { t => strings(&state, &locale), list => list, selected_id => query.c,
            list_query => headers_free_query(&query.list) },
        ),
        Err(error) => page_error(&state, &locale, error),
    }
}

pub async fn meta_fragment(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<ConversationId>,
) -> Response {
    let SignedIn { session, locale } = signed_in;
    match conversation_context(&state, &session, id).await {
        Ok(pane) => state.ui.render("meta.html", context! { t => strings(&state, &locale), pane => pane }),
        Err(error) => page_error(&state, &locale, error),
    }
}

pub async fn thread_fragment(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<ConversationId>,
) -> Response {
    let SignedIn { locale, .. } = signed_in;
    match thread_context(&state, id, &locale).await {
        Ok(thread) => state.ui.render(
            "thread.html",
            context! { t => strings(&state, &locale), thread => thread, lookups => !state.chains.is_empty() },
        ),
        Err(error) => page_error(&state, &locale, error),
    }
}

pub async fn canned(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { session, locale } = signed_in;
    if let Err(error) = session.require_admin() {
        return page_error(&state, &locale, error);
    }
    match state.core.store().canned_responses().await {
        Ok(canned) => state.ui.render(
            "canned.html",
            context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session),
            csrf => session.csrf, canned => canned, locales => state.core.localizer().available() },
        ),
        Err(error) => page_error(&state, &locale, error.into()),
    }
}

pub async fn staff(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    let SignedIn { session, locale } = signed_in;
    let handles = match state.core.store().staff_handles().await {
        Ok(handles) => handles,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let handles: Vec<serde_json::Value> = handles
        .iter()
        .map(|(id, agent_id, h)| {
            let mine = *agent_id == session.agent.id || session.agent.role == Role::Admin;
            serde_json::json!({ "id": id, "agent": h.agent_name, "channel": h.channel, "handle": h.handle, "removable": mine })
        })
        .collect();
    state.ui.render(
        "staff.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        handles => handles, channels => ["telegram", "discord", "email", "webchat"] },
    )
}
