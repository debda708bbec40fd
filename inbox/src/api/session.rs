//! `/api/v1/login`, `/logout` and `/me`: signing in (throttled), out, and the agent's own settings.

use crate::AppState;
use crate::auth::{self, COOKIE, SESSION_LIFETIME, Session};
use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Login {
    email: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/login", operation_id = "sign_in", tag = "session", request_body = Login,
    responses((status = 200, description = "Signed in (also sets the session cookie)", body = crate::wire::SignedIn)))]
pub async fn login(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Result<Json<Login>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(login) = body?;
    let ip = connection.map(|Extension(ConnectInfo(address))| address.ip());
    let store = state.core.store();
    auth::throttle::check(store, &login.email, ip).await?.map_err(ApiError::TooManyAttempts)?;
    let agent = store.agent_by_email(&login.email).await?;
    let hash = agent.as_ref().map_or(auth::decoy_hash(), |a| a.password_hash.as_str());
    let password = login.password.clone();
    let hash_owned = hash.to_owned();
    // argon2 is deliberately slow: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash_owned))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(agent) = agent.filter(|_| verified) else {
        auth::throttle::failed(store, &login.email, ip).await?;
        return Err(ApiError::WrongCredentials);
    };
    auth::throttle::succeeded(store, &login.email).await?;
    let (token, csrf) = auth::open_session(&state.core, &agent).await?;
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", SESSION_LIFETIME.as_secs());
    let mut response = Json(crate::wire::SignedIn { token, csrf_token: csrf }).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| ApiError::Internal(e.to_string()))?);
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/logout", operation_id = "sign_out", tag = "session", responses((status = 204, description = "Signed out")))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some((token, _)) = auth::presented_token(&headers) {
        auth::close_session(&state.core, &token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("switchboard_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "session",
    responses((status = 200, description = "The signed-in agent", body = switchboard_core::store::agents::Agent)))]
pub async fn me(Extension(session): Extension<Session>) -> Json<switchboard_core::store::agents::Agent> {
    Json(session.agent)
}

/// The signed-in agent's own settings; absent fields stay.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MeUpdate {
    /// The interface language.
    locale: Option<String>,
    /// `online`, `away` or `offline`: shown to the team.
    availability: Option<String>,
    /// The name the team and the customers see.
    name: Option<String>,
    /// A new password (at least 8 characters), with `current_password`.
    password: Option<String>,
    current_password: Option<String>,
    /// Notification switches to change (`assigned`, `sla`, `mentions`, `rules` in the inbox;
    /// `email_assigned`, `email_sla`, `email_mentions` by e-mail); the others stay.
    #[schema(value_type = Option<Object>)]
    notify: Option<serde_json::Map<String, serde_json::Value>>,
}

#[utoipa::path(patch, path = "/api/v1/me", operation_id = "update_me", tag = "session", request_body = MeUpdate,
    responses((status = 204, description = "Changed")))]
pub async fn update_me(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Result<Json<MeUpdate>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(update) = body?;
    let locale = match &update.locale {
        Some(asked) => Some(
            state
                .core
                .localizer()
                .negotiate_having(asked, crate::ui::INBOX_FILE)
                .ok_or_else(|| ApiError::Unprocessable(format!("locale {asked:?} is not a language of the inbox")))?
                .to_owned(),
        ),
        None => None,
    };
    let password_hash = match &update.password {
        Some(password) => {
            let current = update.current_password.as_deref().unwrap_or_default();
            if !crate::auth::verify_password(current, &session.agent.password_hash) {
                return Err(ApiError::Unprocessable("current_password: not the agent's password".into()));
            }
            Some(crate::auth::hash_password(password)?)
        }
        None => None,
    };
    let notify = match update.notify {
        Some(switches) => {
            let mut json = serde_json::to_value(session.agent.notify).expect("switches serialize");
            if let serde_json::Value::Object(current) = &mut json {
                current.extend(switches);
            }
            Some(serde_json::from_value(json).map_err(|e| ApiError::Unprocessable(format!("notify: {e}")))?)
        }
        None => None,
    };
    let change = switchboard_core::store::agents::AgentChange {
        name: update.name,
        notify,
        locale,
        availability: update.availability.as_deref().map(str::parse).transpose()?,
        password_hash,
        ..Default::default()
    };
    state.core.store().change_agent(session.agent.id, &change).await?;
    if change.availability.is_some() {
        state.core.events().publish(switchboard_core::events::Event::DeskChanged);
    }
    Ok(StatusCode::NO_CONTENT)
}
