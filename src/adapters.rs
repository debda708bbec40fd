//! The channel adapters as `serve` composes them, each through one shape (`Adapter`): built
//! from its settings, its channel registered before the core starts, then started — tasks that
//! run until the adapters stop, and routes (a webhook) — once the core runs.

use crate::config::Config;
use anyhow::Context;
use async_trait::async_trait;
use axum::Router;
use std::sync::Arc;
use switchboard_core::Core;
use switchboard_core::channel::Channel;
use switchboard_core::store::Store;
use tokio_util::sync::CancellationToken;

/// A task an adapter runs until its `stop`.
pub type Task = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// A started adapter: what runs until `stop`, and what it serves.
#[derive(Default)]
pub struct Started {
    pub tasks: Vec<Task>,
    pub routes: Option<Router>,
}

#[async_trait]
pub trait Adapter: Send {
    /// The channel the outbox sends through.
    fn channel(&self) -> Arc<dyn Channel>;
    /// Starts receiving from the platform into `core`.
    async fn start(self: Box<Self>, core: Core, stop: CancellationToken) -> anyhow::Result<Started>;
}

/// The adapters `config` turns on (the web chat always), connected where they check at start.
pub async fn configured(
    config: &Config,
    store: &Store,
    links: &switchboard_core::links::ChoiceLinks,
) -> anyhow::Result<Vec<Box<dyn Adapter>>> {
    let mut adapters: Vec<Box<dyn Adapter>> = vec![Box::new(Webchat)];
    if let Some(settings) = &config.telegram {
        let channel = switchboard_telegram::TelegramChannel::new(&settings.token, &settings.api_url)
            .context("SWITCHBOARD_TELEGRAM_API_URL")?
            .with_max_attachment_bytes(config.attachment_max_bytes);
        let me = channel.identity().await.context("SWITCHBOARD_TELEGRAM_TOKEN: getMe failed")?;
        tracing::info!(bot = me.username.as_deref().unwrap_or_default(), "Telegram connected");
        adapters.push(Box::new(Telegram { channel, me, webhook: settings.webhook.clone() }));
    }
    if let Some(settings) = &config.discord {
        adapters.push(Box::new(switchboard_discord::DiscordChannel::new(settings.clone())));
    }
    if let Some(settings) = &config.email {
        let channel = switchboard_email::EmailChannel::new(settings.clone(), store)
            .await
            .context("preparing the email channel")?
            .with_links(links.clone());
        adapters.push(Box::new(channel));
    }
    Ok(adapters)
}

struct Webchat;

#[async_trait]
impl Adapter for Webchat {
    fn channel(&self) -> Arc<dyn Channel> {
        Arc::new(switchboard_webchat::WebchatChannel)
    }

    /// Its routes are part of the public HTTP surface (`crate::http`).
    async fn start(self: Box<Self>, _: Core, _: CancellationToken) -> anyhow::Result<Started> {
        Ok(Started::default())
    }
}

struct Telegram {
    channel: switchboard_telegram::TelegramChannel,
    me: switchboard_telegram::inbound::BotIdentity,
    webhook: Option<(String, String)>,
}

#[async_trait]
impl Adapter for Telegram {
    fn channel(&self) -> Arc<dyn Channel> {
        Arc::new(self.channel.clone())
    }

    /// Webhook mode when its URL is set, long polling otherwise.
    async fn start(self: Box<Self>, core: Core, stop: CancellationToken) -> anyhow::Result<Started> {
        let Telegram { channel, me, webhook } = *self;
        match webhook {
            Some((url, secret)) => {
                let (path, route) = switchboard_telegram::start_webhook(channel, core, me, &url, &secret)
                    .await
                    .context("SWITCHBOARD_TELEGRAM_WEBHOOK_URL: setWebhook failed")?;
                tracing::info!(path, "Telegram webhook mode");
                Ok(Started { tasks: Vec::new(), routes: Some(route) })
            }
            None => {
                let poll = switchboard_telegram::poll(channel, core, me, stop);
                Ok(Started { tasks: vec![Box::pin(poll)], routes: None })
            }
        }
    }
}

#[async_trait]
impl Adapter for switchboard_discord::DiscordChannel {
    fn channel(&self) -> Arc<dyn Channel> {
        Arc::new(self.clone())
    }

    async fn start(self: Box<Self>, core: Core, stop: CancellationToken) -> anyhow::Result<Started> {
        let gateway = switchboard_discord::run(*self, core, stop).await?;
        let task = async move {
            let _ = gateway.await;
        };
        Ok(Started { tasks: vec![Box::pin(task)], routes: None })
    }
}

#[async_trait]
impl Adapter for switchboard_email::EmailChannel {
    fn channel(&self) -> Arc<dyn Channel> {
        Arc::new(self.clone())
    }

    async fn start(self: Box<Self>, core: Core, stop: CancellationToken) -> anyhow::Result<Started> {
        let notices = Box::pin(self.clone().notify_agents(core.clone(), stop.clone()));
        Ok(Started { tasks: vec![Box::pin(self.receive(core, stop)), notices], routes: None })
    }
}
