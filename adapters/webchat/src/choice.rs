//! `/choice/{token}`: where a signed link from a channel without buttons (mail) lands. The GET
//! only shows what the press would send, with one button to confirm: mail scanners and link
//! previews follow links, and must never answer for the customer. The POST ingests the press
//! as the customer's message on their channel, once per offer (a second press is answered
//! "already recorded").

use crate::page::escape;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use switchboard_core::Core;
use switchboard_core::ingest::{Inbound, Sender, Threading};
use switchboard_core::links::{ChoiceLinks, PATH};
use switchboard_core::model::{Button, ChannelKind};
use switchboard_core::store::Offer;

const TEMPLATE: &str = include_str!("../assets/choice.html");
const CSP: &str = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The state of the page: the core, and the links it checks.
#[derive(Clone)]
struct Pages {
    core: Core,
    links: ChoiceLinks,
}

pub fn router(core: Core, links: ChoiceLinks) -> Router {
    Router::new().route(&format!("{PATH}/{{token}}"), get(show).post(confirm)).with_state(Pages { core, links })
}

/// What a token names, read from the store: the offer and the button pressed.
async fn pressed(pages: &Pages, token: &str) -> Result<(i64, Offer, Button), Response> {
    let invalid =
        || page(&pages.core, "", StatusCode::NOT_FOUND, "choice-page-title", "choice-page-invalid", &[], None);
    let Some((message, index)) = pages.links.verify(token) else { return Err(invalid()) };
    let offer = match pages.core.store().offer(message).await {
        Ok(Some(offer)) => offer,
        Ok(None) => return Err(invalid()),
        Err(error) => return Err(unavailable(&pages.core, &error)),
    };
    let Some(button) = offer.buttons.get(index).cloned() else { return Err(invalid()) };
    Ok((message, offer, button))
}

/// The press's platform id: one per offer, whichever button.
fn press_id(message: i64) -> String {
    format!("press:{message}")
}

async fn show(State(pages): State<Pages>, Path(token): Path<String>) -> Response {
    let (message, offer, button) = match pressed(&pages, &token).await {
        Ok(pressed) => pressed,
        Err(response) => return response,
    };
    let locale = offer.locale.clone().unwrap_or_default();
    let (title, question) = wording(&button);
    match pages.core.store().linked_message(offer.channel, &press_id(message)).await {
        Ok(Some(_)) => page(&pages.core, &locale, StatusCode::OK, title, "choice-page-already", &[], None),
        Ok(None) => {
            let reference = offer.reference.clone().unwrap_or_default();
            let args = [("reference", reference.as_str()), ("label", button.label.as_str())];
            page(&pages.core, &locale, StatusCode::OK, title, question, &args, Some(&button))
        }
        Err(error) => unavailable(&pages.core, &error),
    }
}

async fn confirm(State(pages): State<Pages>, Path(token): Path<String>) -> Response {
    let (message, offer, button) = match pressed(&pages, &token).await {
        Ok(pressed) => pressed,
        Err(response) => return response,
    };
    let locale = offer.locale.clone().unwrap_or_default();
    let (title, _) = wording(&button);
    match pages.core.ingest(press(message, offer, button)).await {
        Ok(ingested) if ingested.duplicate => {
            page(&pages.core, &locale, StatusCode::OK, title, "choice-page-already", &[], None)
        }
        Ok(_) => page(&pages.core, &locale, StatusCode::OK, title, "choice-page-done", &[], None),
        Err(error) => unavailable(&pages.core, &error),
    }
}

/// The press as the customer's message: the button's label, from them, on their channel; on
/// mail it names its conversation, as their replies do.
fn press(message: i64, offer: Offer, button: Button) -> Inbound {
    let threading = match offer.channel {
        ChannelKind::Email => Threading::Explicit { references: Vec::new(), tagged: offer.conversation_id },
        _ => Threading::Latest,
    };
    Inbound {
        channel: offer.channel,
        external_id: press_id(message),
        chat: offer.chat,
        thread: offer.thread,
        // No name: the identity keeps the one it has.
        sender: Sender { external_id: offer.sender, display_name: String::new(), lang_hint: None },
        body: button.label,
        attachments: Vec::new(),
        too_large: Default::default(),
        threading,
        automated: false,
        choice: Some(button.id),
    }
}

/// The page's title and question: the survey's own words for its buttons.
fn wording(button: &Button) -> (&'static str, &'static str) {
    if button.id.starts_with(switchboard_core::surveys::CHOICE_PREFIX) {
        ("csat-page-title", "csat-page-question")
    } else {
        ("choice-page-title", "choice-page-question")
    }
}

fn page(
    core: &Core,
    locale: &str,
    status: StatusCode,
    title: &str,
    message: &str,
    args: &[(&str, &str)],
    confirm: Option<&Button>,
) -> Response {
    let localizer = core.localizer();
    let locale = localizer.negotiate(locale).unwrap_or(switchboard_core::l10n::FALLBACK);
    let form = confirm.map_or(String::new(), |button| {
        let label = localizer.text(locale, "choice-page-confirm", &[("label", &button.label)]);
        format!("<form method=\"post\"><button type=\"submit\">{}</button></form>", escape(&label))
    });
    let html = TEMPLATE
        .replace("{{locale}}", &escape(locale))
        .replace("{{title}}", &escape(&localizer.text(locale, title, &[])))
        .replace("{{message}}", &escape(&localizer.text(locale, message, args)))
        .replace("{{form}}", &form);
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn unavailable(core: &Core, error: &switchboard_core::error::CoreError) -> Response {
    tracing::warn!(%error, "a choice could not be read or recorded");
    page(core, "", StatusCode::SERVICE_UNAVAILABLE, "choice-page-title", "choice-page-unavailable", &[], None)
}
