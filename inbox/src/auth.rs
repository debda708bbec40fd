//! Agents' accounts and sessions.
//!
//! Passwords are argon2id hashes. A session is an opaque bearer token (only its hash is
//! stored, so it survives restarts and a database copy grants nothing); the browser holds it
//! in an HttpOnly, SameSite cookie. Requests that authenticate by cookie and change state must
//! carry the session's CSRF token in `X-CSRF-Token`; bearer requests need not (a browser never
//! adds a bearer header on its own).

use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::store::agents::{Agent, Role};

pub const COOKIE: &str = "switchboard_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
const TOKEN_KIND: &str = "agent";
pub const SESSION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    if password.chars().count() < 8 {
        return Err(ApiError::Unprocessable("password: at least 8 characters".into()));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing a password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the email is unknown, so that a wrong email costs the same
/// time as a wrong password and does not reveal which agents exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-matches").expect("hash"))
}

/// A signed-in agent, and how the request proved it.
#[derive(Debug, Clone)]
pub struct Session {
    pub agent: Agent,
    pub csrf: String,
    pub by_cookie: bool,
}

impl Session {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.agent.role == Role::Admin { Ok(()) } else { Err(ApiError::Forbidden) }
    }
}

/// Issues a session token for an agent; returns `(token, csrf)`.
pub async fn open_session(core: &Core, agent: &Agent) -> Result<(String, String), ApiError> {
    let csrf = format!("{:032x}", rand::random::<u128>());
    let data = serde_json::json!({ "csrf": csrf });
    let token = core.store().issue_token(TOKEN_KIND, &agent.id.to_string(), &data, SESSION_LIFETIME).await?;
    Ok((token, csrf))
}

pub async fn close_session(core: &Core, token: &str) -> Result<(), ApiError> {
    core.store().revoke_token(TOKEN_KIND, token).await?;
    Ok(())
}

/// The session token of a request: the bearer header, else the cookie.
pub fn presented_token(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return Some((bearer.to_owned(), false));
    }
    cookie(headers, COOKIE).map(|t| (t, true))
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

pub async fn session_of(core: &Core, headers: &HeaderMap) -> Result<Option<Session>, ApiError> {
    let Some((token, by_cookie)) = presented_token(headers) else { return Ok(None) };
    let Some(grant) = core.store().check_token(TOKEN_KIND, &token).await? else { return Ok(None) };
    let Ok(agent_id) = grant.subject.parse() else { return Ok(None) };
    let Some(agent) = core.store().agent(agent_id).await? else { return Ok(None) };
    let csrf = grant.data.get("csrf").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    Ok(Some(Session { agent, csrf, by_cookie }))
}

/// Extracts the session; `401` without one, `403` for a cookie request that changes state
/// without the session's CSRF token.
impl FromRequestParts<Core> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        let session = session_of(core, &parts.headers).await?.ok_or(ApiError::Unauthorized)?;
        let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if session.by_cookie && changes_state {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if sent.is_empty() || sent != session.csrf {
                return Err(ApiError::Csrf);
            }
        }
        Ok(session)
    }
}

/// Failed logins per email and per client address, counted in the store (shared by every
/// instance): after `LIMIT` failures within `WINDOW`, further attempts are refused until the
/// window has passed.
pub mod throttle {
    use std::net::IpAddr;
    use std::time::Duration;
    use switchboard_core::clock::now_ms;
    use switchboard_core::error::CoreError;
    use switchboard_core::store::Store;

    const LIMIT: usize = 5;
    const WINDOW: Duration = Duration::from_secs(15 * 60);

    fn keys(email: &str, ip: Option<IpAddr>) -> [String; 2] {
        [
            format!("email:{}", email.trim().to_lowercase()),
            format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
        ]
    }

    /// `Ok(Err(wait))` while either key is over its limit.
    pub async fn check(store: &Store, email: &str, ip: Option<IpAddr>) -> Result<Result<(), Duration>, CoreError> {
        let wait = store.login_wait(&keys(email, ip), LIMIT, WINDOW, now_ms()).await?;
        Ok(if wait.is_zero() { Ok(()) } else { Err(wait) })
    }

    pub async fn failed(store: &Store, email: &str, ip: Option<IpAddr>) -> Result<(), CoreError> {
        store.record_login_failure(&keys(email, ip), WINDOW, now_ms()).await
    }

    pub async fn succeeded(store: &Store, email: &str) -> Result<(), CoreError> {
        store.clear_login_failures(&keys(email, None)[0]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "a=1; switchboard_session=tok".parse().unwrap());
        assert_eq!(cookie(&headers, COOKIE).as_deref(), Some("tok"));
        assert_eq!(presented_token(&headers), Some(("tok".into(), true)));
        headers.insert(header::AUTHORIZATION, "Bearer b".parse().unwrap());
        assert_eq!(presented_token(&headers), Some(("b".into(), false)));
    }
}
