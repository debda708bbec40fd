//! `/chat`: the customer page. Server-rendered in the visitor's language; the script and style
//! are separate, embedded files so a strict Content-Security-Policy can forbid inline script.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use switchboard_core::Core;
use switchboard_core::l10n::FALLBACK;

const TEMPLATE: &str = include_str!("../assets/chat.html");
const SCRIPT: &str = include_str!("../assets/chat.js");
const STYLE: &str = include_str!("../assets/chat.css");
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'self'";

pub fn router() -> Router<Core> {
    Router::new()
        .route("/chat", get(page))
        .route("/chat/chat.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/chat/chat.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
}

#[derive(Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

async fn page(State(core): State<Core>, Query(query): Query<PageQuery>, headers: HeaderMap) -> Response {
    let localizer = core.localizer();
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let locale = query
        .lang
        .iter()
        .map(String::as_str)
        .chain(accept.split(',').map(|part| part.split(';').next().unwrap_or("").trim()))
        .find_map(|tag| localizer.negotiate(tag))
        .unwrap_or(FALLBACK)
        .to_owned();
    let mut html = TEMPLATE.replace("{{locale}}", &escape(&locale));
    for key in [
        "webchat-title",
        "webchat-intro",
        "webchat-name-label",
        "webchat-start",
        "webchat-placeholder",
        "webchat-send",
        "webchat-you",
        "webchat-agent",
        "webchat-error",
    ] {
        let within = core.response_time(&locale);
        html = html.replace(&format!("{{{{{key}}}}}"), &escape(&localizer.text(&locale, key, &[("within", &within)])));
    }
    let mut response = Html(html).into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response()
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_placeholder_is_a_localized_key() {
        let placeholders: Vec<&str> =
            super::TEMPLATE.split("{{").skip(1).filter_map(|s| s.split("}}").next()).collect();
        let localizer = switchboard_core::l10n::Localizer::embedded();
        for key in placeholders.iter().filter(|k| **k != "locale") {
            assert_ne!(localizer.text("en-US", key, &[]), *key, "{key} is not in locales/en-US");
        }
    }
}
