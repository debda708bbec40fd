//! How much one visitor may ask of the public web-chat API: sessions opened per client address,
//! messages per session and per address. Over a limit the answer is 429 with `Retry-After`.
//!
//! The client address is the connection's peer, except behind a reverse proxy on the same host:
//! a loopback peer's `X-Forwarded-For` (its last entry, the address the proxy saw) names the
//! client. A loopback peer without one is a local tool, limited per session only.

use crate::error::WebchatError;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};
use switchboard_core::limits::Limiter;
use switchboard_core::outbox::Rate;

/// The configured rates (`None`: unlimited).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub sessions_per_address: Option<Rate>,
    pub messages_per_session: Option<Rate>,
    pub messages_per_address: Option<Rate>,
}

impl Default for Limits {
    /// Bursts as large as a long conversation, refilled at a pace no person types at: a visitor
    /// never meets these, a script flooding the API soon does.
    fn default() -> Self {
        let rate = |count: u32, minutes: u64| Some(Rate { count, per: std::time::Duration::from_secs(minutes * 60) });
        Limits {
            sessions_per_address: rate(60, 10),
            messages_per_session: rate(600, 10),
            messages_per_address: rate(3000, 10),
        }
    }
}

/// The keys the web chat reads.
pub const KEYS: &[&str] =
    &["webchat_sessions_per_address", "webchat_messages_per_session", "webchat_messages_per_address"];

impl Limits {
    /// Each rate as set (`30/min`, or `off`), else its default.
    pub fn read(
        settings: &switchboard_core::settings::Settings<'_>,
    ) -> Result<Limits, switchboard_core::settings::SettingError> {
        let defaults = Limits::default();
        let rate = |v: &str| match v {
            "off" => Ok(None),
            v => v.parse::<Rate>().map(Some).map_err(|e| e.to_string()),
        };
        Ok(Limits {
            sessions_per_address: settings.parse(KEYS[0], defaults.sessions_per_address, rate)?,
            messages_per_session: settings.parse(KEYS[1], defaults.messages_per_session, rate)?,
            messages_per_address: settings.parse(KEYS[2], defaults.messages_per_address, rate)?,
        })
    }
}

/// The limiters, shared by the routes.
pub(crate) struct Limited {
    sessions_per_address: Limiter,
    messages_per_session: Limiter,
    messages_per_address: Limiter,
}

impl Limited {
    pub fn new(limits: Limits) -> Limited {
        Limited {
            sessions_per_address: Limiter::new(limits.sessions_per_address),
            messages_per_session: Limiter::new(limits.messages_per_session),
            messages_per_address: Limiter::new(limits.messages_per_address),
        }
    }

    pub fn session_opened(&self, client: Option<IpAddr>) -> Result<(), WebchatError> {
        match client {
            Some(address) => self.sessions_per_address.check(&address.to_string()).map_err(WebchatError::TooMany),
            None => Ok(()),
        }
    }

    pub fn message_sent(&self, session: &str, client: Option<IpAddr>) -> Result<(), WebchatError> {
        let address = client.map(|a| a.to_string());
        let mut limits = vec![(&self.messages_per_session, session)];
        if let Some(address) = &address {
            limits.push((&self.messages_per_address, address.as_str()));
        }
        Limiter::check_all(&limits).map_err(WebchatError::TooMany)
    }
}

/// The address a request is limited by (see the module's notes); `None` for a local client.
pub(crate) fn client_address(parts: &Parts) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = Request::builder();
        if let Some(value) = forwarded {
            request = request.header("x-forwarded-for", value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        parts
    }

    #[test]
    fn the_client_is_the_peer_or_what_a_local_proxy_forwards() {
        assert_eq!(client_address(&parts("203.0.113.7:5000", Some("10.0.0.1"))), Some([203, 0, 113, 7].into()));
        let forwarded = parts("127.0.0.1:5000", Some("198.51.100.2, 203.0.113.9"));
        assert_eq!(client_address(&forwarded), Some([203, 0, 113, 9].into()), "the proxy's own view wins");
        assert_eq!(client_address(&parts("127.0.0.1:5000", None)), None);
        assert_eq!(client_address(&parts("[::1]:5000", Some("garbage"))), None);
    }
}
