//! The contacts pages: the list (newest first, searched, paged) and a contact with their
//! identities, attributes, notes and whole history grouped by ticket.

use super::pages::{SignedIn, agent_json, page_error, strings, urlencode};
use crate::AppState;
use crate::error::ApiError;
use crate::wire::WireMessage;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use switchboard_core::clock::rfc3339;

/// How many contacts a page lists.
const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct ContactsQuery {
    q: Option<String>,
    before: Option<i64>,
}

pub async fn contacts(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<ContactsQuery>,
) -> Response {
    let SignedIn { session, locale } = signed_in;
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let listed = match state.core.store().list_contacts(search, query.before, PAGE).await {
        Ok(listed) => listed,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let next = (listed.len() as i64 == PAGE).then(|| listed.last().map(|c| c.id)).flatten().map(|before| {
        let q = search.map(|q| format!("q={}&", urlencode(q))).unwrap_or_default();
        format!("/inbox/contacts?{q}before={before}")
    });
    let rows: Vec<_> = listed
        .iter()
        .map(|c| {
            context! { id => c.id, name => c.name, locale => c.locale, handles => c.handles,
            conversations => c.conversations, last => c.last_message_at.map(rfc3339) }
        })
        .collect();
    state.ui.render(
        "contacts.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        contacts => rows, q => search, next => next },
    )
}

pub async fn contact(State(state): State<AppState>, signed_in: SignedIn, Path(id): Path<i64>) -> Response {
    let SignedIn { session, locale } = signed_in;
    let store = state.core.store();
    let contact = match store.contact(id).await {
        Ok(Some(contact)) => contact,
        Ok(None) => return page_error(&state, &locale, ApiError::NotFound(format!("contact {id}"))),
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let (details, messages, agents) = match tokio::try_join!(
        store.contact_details(contact.id),
        store.contact_messages(contact.id, 0),
        store.agents()
    ) {
        Ok(found) => found,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let author = |agent: Option<i64>| agents.iter().find(|a| Some(a.id) == agent).map(|a| a.name.clone());
    // The history by ticket, the newest ticket first, each ticket's messages in order.
    let tickets: Vec<_> = details
        .tickets
        .iter()
        .map(|ticket| {
            let messages: Vec<_> = messages
                .iter()
                .filter(|m| m.conversation_id == Some(ticket.id))
                .map(|m| {
                    let wire = WireMessage::new(m, &state.explorers, state.core.localizer(), &locale);
                    context! { message => wire, agent => author(m.agent_id) }
                })
                .collect();
            context! { ticket => ticket, opened => rfc3339(ticket.created_at), messages => messages }
        })
        .collect();
    let notes: Vec<_> = details
        .notes
        .iter()
        .map(|n| {
            let mine = n.agent_id == Some(session.agent.id) || session.require_admin().is_ok();
            context! { note => n, by => author(n.agent_id), at => rfc3339(n.created_at), removable => mine }
        })
        .collect();
    state.ui.render(
        "contact.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session),
        csrf => session.csrf, contact => contact, attributes => details.attributes, notes => notes, tickets => tickets },
    )
}
