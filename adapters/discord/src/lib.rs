//! The Discord channel: serenity's gateway in, REST out.
//!
//! Shaped like every adapter: pure `inbound::normalize` (events → `Inbound`) and pure
//! `outbound::render` (`OutboundMessage` → message payloads) with thin I/O around them:
//! `gateway` (serenity's client and event handler: DMs, support channels with a thread per
//! ticket, slash commands, buttons, catching up after a fresh session), `session` (that one
//! instance of a deployment runs it) and `DiscordChannel` (the `Channel` the outbox sends
//! through, over `rest`).

mod gateway;
pub mod inbound;
mod limits;
pub mod outbound;
mod rest;
mod session;
pub mod settings;

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_core::channel::{Capabilities, Channel, Delivered, Formatting, Health, OutboundMessage, SendError};
use switchboard_core::model::ChannelKind;
use switchboard_core::resume::SendProgress;

pub use gateway::{StartError, connect};
pub use session::{GATEWAY_ROLE, run};
pub use settings::Settings;

/// Interaction tokens answer follow-ups for 15 minutes; later, answers go to the channel.
const INTERACTION_LIFETIME: Duration = Duration::from_secs(14 * 60);

/// Sends through Discord's REST API; shared with the gateway, which records interactions.
#[derive(Clone)]
pub struct DiscordChannel {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    rest: rest::Rest,
    /// Learnt from READY.
    application_id: Mutex<Option<String>>,
    /// `interaction:<id>` → (token, when it came): where a slash command's answer goes.
    interactions: Mutex<HashMap<String, (String, Instant)>>,
    /// Parts of a multi-part message already posted, by idempotency key: a retry after a 429
    /// resumes where it stopped instead of posting the first parts again.
    progress: SendProgress<String>,
    health: Health,
}

impl DiscordChannel {
    pub fn new(settings: Settings) -> DiscordChannel {
        let rest = rest::Rest::new(&settings.api_url, &settings.token);
        DiscordChannel {
            inner: Arc::new(Inner {
                settings,
                rest,
                application_id: Mutex::new(None),
                interactions: Mutex::new(HashMap::new()),
                progress: SendProgress::default(),
                health: Health::new(ChannelKind::Discord),
            }),
        }
    }

    fn interaction_token(&self, reply_to: Option<&str>) -> Option<(String, String)> {
        let key = reply_to?;
        let mut interactions = self.inner.interactions.lock().expect("interactions lock");
        interactions.retain(|_, (_, at)| at.elapsed() < INTERACTION_LIFETIME);
        let (token, _) = interactions.get(key)?;
        let application = self.inner.application_id.lock().expect("application lock").clone()?;
        Some((application, token.clone()))
    }
}

#[async_trait]
impl Channel for DiscordChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Discord
    }

    fn health(&self) -> Option<Health> {
        Some(self.inner.health.clone())
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_length: outbound::MAX_LENGTH,
            formatting: Formatting::Markdown,
            threads: true,
            edits: false,
            deletes: false,
            buttons: true,
        }
    }

    async fn send(&self, message: &OutboundMessage) -> Result<Delivered, SendError> {
        let parts = outbound::render(message);
        let follow_up = self.interaction_token(message.reply_to.as_deref());
        let follow_up = &follow_up;
        let first = self
            .inner
            .progress
            .send_parts(&message.idempotency_key, &parts, |part| async move {
                match follow_up {
                    // A slash command's answer: only the person who asked sees it.
                    Some((application, token)) => {
                        let mut part = part.clone();
                        part.payload["flags"] = serde_json::json!(64);
                        part.payload.as_object_mut().map(|p| p.remove("message_reference"));
                        self.inner.rest.follow_up(application, token, &part).await
                    }
                    None => self.inner.rest.create_message(&message.destination.chat, part).await,
                }
            })
            .await?;
        Ok(Delivered { external_id: Some(format!("{}:{first}", message.destination.chat)) })
    }
}
