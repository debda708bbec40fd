//! Webhook mode: Telegram posts each update to our HTTPS endpoint. The bot token is never part
//! of the URL; every call must carry the secret in `X-Telegram-Bot-Api-Secret-Token`, and is
//! answered 200 only once its update is durable (any other answer makes Telegram retry).

use super::inbound::BotIdentity;
use super::{TelegramChannel, TelegramError, ingest_batch, item_of};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use std::sync::Arc;
use switchboard_core::Core;
use teloxide::payloads::SetWebhookSetters;
use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// What the webhook route needs.
#[derive(Clone)]
pub struct Webhook {
    channel: TelegramChannel,
    core: Core,
    me: BotIdentity,
    secret: Arc<str>,
}

/// Registers `url` with Telegram (`setWebhook` with the secret) and returns the route to mount
/// on the main HTTP server, at the URL's path.
pub async fn start_webhook(
    channel: TelegramChannel,
    core: Core,
    me: BotIdentity,
    url: &str,
    secret: &str,
) -> Result<(String, Router), TelegramError> {
    let parsed: url::Url = url.parse().map_err(|_| TelegramError::BadApiUrl(url.to_owned()))?;
    channel
        .bot
        .set_webhook(parsed.clone())
        .secret_token(secret.to_owned())
        .await
        .map_err(|e| TelegramError::Refused(channel.hide(&e.to_string())))?;
    channel.health.set(true);
    // Webhook mode runs until the process ends.
    channel.register_commands_in_background(core.localizer().clone(), CancellationToken::new());
    let path = if parsed.path().is_empty() { "/".to_owned() } else { parsed.path().to_owned() };
    let state = Webhook { channel, core, me, secret: Arc::from(secret) };
    Ok((path.clone(), Router::new().route(&path, post(receive)).with_state(state)))
}

/// Compares without stopping at the first difference, so timing does not reveal the secret.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn receive(State(hook): State<Webhook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let presented = headers.get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !same(presented, hook.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    // An update is answered 200 unless storing it may succeed later: one that cannot be read is
    // set aside (a stand-in for agents), not refused for Telegram to deliver again for ever.
    let update = match crate::updates::read_one(&body) {
        Ok(update) => update,
        Err(Some(unreadable)) => {
            return match crate::set_aside(&hook.core, unreadable).await {
                Ok(()) => StatusCode::OK,
                Err(_) => StatusCode::SERVICE_UNAVAILABLE,
            };
        }
        // Not an update at all (no JSON object with an id): a caller's mistake, told so.
        Err(None) => {
            tracing::warn!("a webhook call with the right secret held no update");
            return StatusCode::BAD_REQUEST;
        }
    };
    let Some(item) = item_of(&update, &hook.me) else { return StatusCode::OK };
    match ingest_batch(&hook.channel, &hook.core, vec![item]).await {
        Ok(()) => StatusCode::OK,
        Err(error) => {
            tracing::error!(%error, "update not stored; Telegram will deliver it again");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
