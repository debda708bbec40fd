//! The web-chat channel: customers talk to support from a browser.
//!
//! The "platform" here is our own HTTP API, so there is no SDK to wrap: `routes` is the inbound
//! side (a session token per visitor; messages in; messages out by polling), `channel` is the
//! outbound side (a delivered reply is one the visitor's next poll returns), `page` serves the
//! small customer page at `/chat`.

mod channel;
mod choice;
mod error;
mod limits;
mod page;
mod routes;
pub mod wire;

pub use channel::WebchatChannel;
pub use limits::{KEYS, Limits};

use axum::Router;
use switchboard_core::Core;

/// `/webchat/v1/*` and `/chat`.
pub fn router(core: Core, limits: Limits, links: switchboard_core::links::ChoiceLinks) -> Router {
    let limited = std::sync::Arc::new(limits::Limited::new(limits));
    Router::new()
        .merge(routes::router())
        .merge(page::router())
        .with_state(core.clone())
        .layer(axum::Extension(limited))
        .merge(choice::router(core, links))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(routes::create_session, routes::send_message, routes::list_messages, routes::attachment),
    modifiers(&SessionToken)
)]
struct Api;

/// The session token a visitor sends as `Authorization: Bearer <session_token>`.
struct SessionToken;

impl utoipa::Modify for SessionToken {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme("webchat", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI description of `/webchat/v1/*`, for the document the inbox serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    Api::openapi()
}
