//! The web-chat channel: customers talk to support from a browser.
//!
//! The "platform" here is our own HTTP API, so there is no SDK to wrap: `routes` is the inbound
//! side (a session token per visitor; messages in; messages out by polling), `channel` is the
//! outbound side (a delivered reply is one the visitor's next poll returns), `page` serves the
//! small customer page at `/chat`.

mod channel;
mod error;
mod page;
mod routes;
mod wire;

pub use channel::WebchatChannel;

use axum::Router;
use switchboard_core::Core;

/// `/webchat/v1/*` and `/chat`.
pub fn router(core: Core) -> Router {
    Router::new().merge(routes::router()).merge(page::router()).with_state(core)
}
