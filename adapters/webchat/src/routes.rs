//! `/webchat/v1/*`: sessions, sending, and listing (with an optional long poll).

use crate::channel::MAX_LENGTH;
use crate::error::WebchatError;
use crate::limits::Limited;
use crate::wire::*;
use axum::Extension;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::Arc;
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::events::Event;
use switchboard_core::ingest::{Inbound, Sender};
use switchboard_core::model::ChannelKind;
use switchboard_core::safety;
use switchboard_core::storable;
use switchboard_core::store::tokens;

const TOKEN_KIND: &str = "webchat";
const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
const MAX_WAIT: u64 = 30;

pub fn router() -> Router<Core> {
    Router::new()
        .route("/webchat/v1/sessions", post(create_session))
        .route("/webchat/v1/messages", post(send_message).get(list_messages))
        .route("/webchat/v1/attachments/{id}", get(attachment))
}

/// The visitor behind a session token.
pub struct Visitor {
    session: String,
    /// The address the visitor's requests are limited by (`None`: a local client).
    client: Option<std::net::IpAddr>,
    name: Option<String>,
    locale: Option<String>,
}

impl FromRequestParts<Core> for Visitor {
    type Rejection = WebchatError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(WebchatError::Unauthorized)?;
        let grant = core.store().check_token(TOKEN_KIND, token).await?.ok_or(WebchatError::Unauthorized)?;
        let text = |key: &str| grant.data.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let client = crate::limits::client_address(parts);
        Ok(Visitor { name: text("name"), locale: text("locale"), session: grant.subject, client })
    }
}

/// The client address a request is limited by (`None`: a local client).
pub struct ClientAddress(Option<std::net::IpAddr>);

impl<S: Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(crate::limits::client_address(parts)))
    }
}

#[utoipa::path(post, path = "/webchat/v1/sessions", operation_id = "webchat_open_session", tag = "web chat", security(()),
    request_body(content = Option<NewSession>, description = "Both optional"),
    responses((status = 200, description = "A session, valid 30 days", body = SessionCreated),
              (status = 400, description = "Malformed", body = ErrorBody), (status = 413, description = "Too large", body = ErrorBody),
              (status = 422, description = "Refused", body = ErrorBody),
              (status = 429, description = "Too many sessions from this address; see Retry-After", body = ErrorBody),
              (status = 503, description = "Unavailable for now; see Retry-After", body = ErrorBody)))]
pub(crate) async fn create_session(
    State(core): State<Core>,
    Extension(limited): Extension<Arc<Limited>>,
    ClientAddress(client): ClientAddress,
    body: Option<Json<serde_json::Value>>,
) -> Result<Json<SessionCreated>, WebchatError> {
    limited.session_opened(client)?;
    let request: NewSession = match body {
        Some(Json(value)) => {
            serde_json::from_value(value).map_err(|e| WebchatError::Unprocessable(format!("session: {e}")))?
        }
        None => NewSession::default(),
    };
    // The name is the visitor's text like any message: cleaned and redacted before it is kept in
    // the session (a recovery phrase typed as a name is not stored anywhere).
    let name = request
        .name
        .map(|n| safety::redact(&storable::clean(n.trim())).text.chars().take(100).collect::<String>())
        .filter(|n| !n.is_empty());
    let locale =
        request.locale.map(|l| storable::clean(&l).into_owned()).filter(|l| !l.trim().is_empty() && l.len() <= 35);
    let session = random_id();
    let data = serde_json::json!({ "name": name, "locale": locale });
    let session_token = core.store().issue_token(TOKEN_KIND, &session, &data, SESSION_LIFETIME).await?;
    Ok(Json(SessionCreated { session_token }))
}

#[utoipa::path(post, path = "/webchat/v1/messages", operation_id = "webchat_send", tag = "web chat", security(("webchat" = [])), request_body = NewMessage,
    responses((status = 201, description = "Stored (once per client_id)", body = WireMessage),
              (status = 400, description = "Malformed", body = ErrorBody), (status = 401, description = "No or bad session", body = ErrorBody),
              (status = 413, description = "Too large", body = ErrorBody), (status = 422, description = "Refused", body = ErrorBody),
              (status = 429, description = "Too many messages from this session or address; see Retry-After", body = ErrorBody),
              (status = 503, description = "Unavailable for now, nothing stored; see Retry-After", body = ErrorBody)))]
pub(crate) async fn send_message(
    State(core): State<Core>,
    Extension(limited): Extension<Arc<Limited>>,
    visitor: Visitor,
    body: Result<Json<NewMessage>, JsonRejection>,
) -> Result<(StatusCode, Json<WireMessage>), WebchatError> {
    limited.message_sent(&visitor.session, visitor.client)?;
    let Json(request) = body.map_err(|e| WebchatError::BadRequest(e.body_text()))?;
    let text = match (&request.choice, request.body) {
        // A press reads as the words of the button it was, as on every channel.
        (Some(choice), _) => {
            let offered = core.store().offered_label(ChannelKind::Webchat, &visitor.session, choice).await?;
            offered.ok_or_else(|| WebchatError::Unprocessable(format!("no choice {choice:?} was offered")))?
        }
        (None, Some(body)) => body,
        (None, None) => return Err(WebchatError::BadRequest("missing field `body` (or `choice`)".into())),
    };
    if text.trim().is_empty() {
        return Err(WebchatError::Unprocessable("body is empty".into()));
    }
    let length = text.chars().count();
    if length > MAX_LENGTH {
        return Err(WebchatError::Unprocessable(format!("body is {length} characters; the limit is {MAX_LENGTH}")));
    }
    let message_key = match request.client_id.as_deref().map(str::trim) {
        // Only its hash is kept: the visitor's page chose it, and whatever it holds is theirs.
        Some(id) if !id.is_empty() && id.len() <= 100 => tokens::hash(id),
        Some(_) => {
            return Err(WebchatError::Unprocessable("client_id must be 1 to 100 characters".into()));
        }
        None => random_id(),
    };
    let display_name = visitor.name.clone().unwrap_or_else(|| format!("Visitor {}", &visitor.session[..6]));
    let ingested = core
        .ingest(Inbound {
            channel: ChannelKind::Webchat,
            external_id: format!("{}:{message_key}", visitor.session),
            chat: visitor.session.clone(),
            thread: None,
            sender: Sender { external_id: visitor.session.clone(), display_name, lang_hint: visitor.locale.clone() },
            body: text,
            attachments: Vec::new(),
            too_large: Default::default(),
            threading: Default::default(),
            automated: false,
            choice: request.choice,
        })
        .await?;
    let message = core
        .store()
        .message(ingested.message_id)
        .await?
        .ok_or_else(|| WebchatError::Core(switchboard_core::error::CoreError::NotFound("message".into())))?;
    let locale = core.store().reader_locale(ChannelKind::Webchat, &visitor.session).await?;
    Ok((StatusCode::CREATED, Json(WireMessage::for_reader(&message, core.localizer(), &locale))))
}

#[utoipa::path(get, path = "/webchat/v1/messages", operation_id = "webchat_list_messages", tag = "web chat", security(("webchat" = [])), params(ListQuery),
    responses((status = 200, description = "The visitor's messages and every reply meant for them, oldest first, 100 a page", body = MessageList),
              (status = 400, description = "Malformed", body = ErrorBody), (status = 401, description = "No or bad session", body = ErrorBody)))]
pub(crate) async fn list_messages(
    State(core): State<Core>,
    visitor: Visitor,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<MessageList>, WebchatError> {
    let Query(query) = query.map_err(|e| WebchatError::BadRequest(e.body_text()))?;
    // Subscribe before reading so that nothing delivered in between is missed.
    let mut events = core.events().subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(query.wait.min(MAX_WAIT));
    let mut identity = None;
    loop {
        if identity.is_none() {
            identity = core.store().identity(ChannelKind::Webchat, &visitor.session).await?.map(|i| i.id);
        }
        let messages = match identity {
            Some(id) => core.store().customer_messages(id, query.after).await?,
            None => Vec::new(),
        };
        if !messages.is_empty() || tokio::time::Instant::now() >= deadline {
            let (chosen, hint) = core.store().reader_locales(ChannelKind::Webchat, &visitor.session).await?;
            let reading = chosen.clone().or(hint).unwrap_or_default();
            let messages = messages.iter().map(|m| WireMessage::for_reader(m, core.localizer(), &reading)).collect();
            // The language the visitor chose with /lang, for the page to follow.
            let locale = chosen.as_deref().and_then(|c| core.localizer().negotiate(c)).map(str::to_owned);
            return Ok(Json(MessageList { messages, locale }));
        }
        // Wait for something that concerns this visitor, or the deadline. A visitor who has not
        // written yet has nothing to wait for: their first message comes from their own send.
        let Some(own) = identity else {
            tokio::time::sleep_until(deadline).await;
            continue;
        };
        loop {
            let event = match tokio::time::timeout_at(deadline, events.recv()).await {
                Err(_) | Ok(Err(_)) => break, // deadline, lagged or closed: look again
                Ok(Ok(published)) => published.event,
            };
            match event {
                Event::MessageCreated { identity_id, .. } | Event::DeliveryChanged { identity_id, .. }
                    if identity_id == Some(own) =>
                {
                    break;
                }
                // Other instances' events may have been missed: look again.
                Event::Resync => break,
                _ => {}
            }
        }
    }
}

fn random_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// A file of the visitor's own conversation: one they sent, or one delivered to them. Anything
/// else is "not found", so ids reveal nothing.
#[utoipa::path(get, path = "/webchat/v1/attachments/{id}", operation_id = "webchat_download_attachment", tag = "web chat", security(("webchat" = [])),
    params(("id" = i64, Path, description = "The file")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 400, description = "Malformed", body = ErrorBody), (status = 401, description = "No or bad session", body = ErrorBody),
              (status = 404, description = "Not the visitor's", body = ErrorBody)))]
pub(crate) async fn attachment(
    State(core): State<Core>,
    visitor: Visitor,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<axum::response::Response, WebchatError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    use switchboard_core::error::CoreError;
    use switchboard_core::model::{Delivery, Direction};
    let missing = || WebchatError::Core(CoreError::NotFound(format!("attachment {id}")));
    let identity = core.store().identity(ChannelKind::Webchat, &visitor.session).await?.ok_or_else(missing)?;
    let attachment = core.store().attachment(id).await?.ok_or_else(missing)?;
    let message = core.store().message(attachment.message_id).await?.ok_or_else(missing)?;
    let visible = message.identity_id == Some(identity.id)
        && (message.direction == Direction::Inbound
            || (message.direction == Direction::Outbound && message.delivery == Some(Delivery::Sent)));
    if !visible {
        return Err(missing());
    }
    let path = core.attachments().path_of(&attachment.storage_key).ok_or_else(missing)?;
    let file = tokio::fs::File::open(&path).await.map_err(|e| WebchatError::Core(CoreError::Storage(e)))?;
    let mut response = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    Ok(response)
}
