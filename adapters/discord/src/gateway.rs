//! Receiving: serenity's gateway client and the event handler around `normalize`.
//!
//! serenity heartbeats, reconnects and resumes by itself (op 7, dropped sockets); when Discord
//! refuses a resume (op 9) it identifies afresh, and events of the gap are not replayed. So on
//! every session after the first, each channel seen so far is read back from its last seen
//! message: nothing is lost, and what was already stored is recognised by its id.

use crate::DiscordChannel;
use crate::inbound::{self, Media, Normalized, Scope};
use serenity::all::{
    Context, EventHandler, GatewayError, GatewayIntents, Interaction, Message, Ready, ResumedEvent,
    ShardStageUpdateEvent,
};
use serenity::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::channel::Health;
use switchboard_core::ingest::Inbound;
use switchboard_core::l10n::Localizer;
use switchboard_core::model::InboundAttachment;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a channel's messages are gathered before being handled in order.
const ORDER_WINDOW: Duration = Duration::from_millis(25);

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("SWITCHBOARD_DISCORD_TOKEN: Discord refused the token (close code 4004)")]
    Token,
    #[error(
        "SWITCHBOARD_DISCORD_TOKEN: Discord refused the Message Content intent (close code 4014); enable \"Message Content Intent\" for the bot in the Developer Portal"
    )]
    Intents,
    #[error("Discord gateway: {0}")]
    Gateway(String),
    #[error("Discord gateway: no READY within {0:?}")]
    Timeout(Duration),
}

/// Connects to the gateway and waits for the first READY (or the refusal that makes starting
/// pointless); then runs until `stop`.
pub async fn connect(
    channel: DiscordChannel,
    core: Core,
    stop: CancellationToken,
) -> Result<tokio::task::JoinHandle<()>, StartError> {
    let settings = &channel.inner.settings;
    let mut http = serenity::http::HttpBuilder::new(&settings.token).ratelimiter_disabled(true);
    if settings.api_url.trim_end_matches('/') != "https://discord.com" {
        http = http.proxy(settings.api_url.trim_end_matches('/'));
    }
    let intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT;
    let (ready_tx, ready_rx) = oneshot::channel();
    let handler = Handler {
        scope: Mutex::new(Scope { bot_id: 0, support_channels: settings.support_channels.clone() }),
        health: channel.inner.health.clone(),
        channel: channel.clone(),
        core,
        ready: Mutex::new(Some(ready_tx)),
        sessions: AtomicU32::new(0),
        last_seen: Mutex::new(HashMap::new()),
        queues: Mutex::new(HashMap::new()),
    };
    let mut client = serenity::client::ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(handler)
        .await
        .map_err(|e| StartError::Gateway(channel.inner.rest.hide(&e.to_string())))?;
    let shards = client.shard_manager.clone();
    let (failed_tx, failed_rx) = oneshot::channel();
    let hide = channel.inner.rest.clone();
    let task = tokio::spawn(async move {
        tokio::select! {
            result = client.start() => {
                if let Err(error) = &result {
                    tracing::error!(error = hide.hide(&error.to_string()), "Discord gateway stopped");
                }
                let _ = failed_tx.send(result);
            }
            () = stop.cancelled() => shards.shutdown_all().await,
        }
    });
    tokio::select! {
        ready = ready_rx => match ready {
            Ok(()) => Ok(task),
            Err(_) => Err(StartError::Gateway("the event handler went away".into())),
        },
        failed = failed_rx => Err(match failed {
            Ok(Err(serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents | GatewayError::InvalidGatewayIntents))) => StartError::Intents,
            Ok(Err(serenity::Error::Gateway(GatewayError::InvalidAuthentication))) => StartError::Token,
            Ok(Err(error)) => StartError::Gateway(channel.inner.rest.hide(&error.to_string())),
            Ok(Ok(())) | Err(_) => StartError::Gateway("stopped before READY".into()),
        }),
        () = tokio::time::sleep(READY_TIMEOUT) => Err(StartError::Timeout(READY_TIMEOUT)),
    }
}

struct Handler {
    channel: DiscordChannel,
    core: Core,
    scope: Mutex<Scope>,
    health: Health,
    ready: Mutex<Option<oneshot::Sender<()>>>,
    sessions: AtomicU32,
    /// Channel → the last message id handled there: where to catch up from after a gap.
    last_seen: Mutex<HashMap<u64, u64>>,
    /// Messages waiting to be handled in order, per channel.
    queues: Mutex<HashMap<u64, Queue>>,
}

#[derive(Default)]
struct Queue {
    pending: std::collections::BTreeMap<u64, Message>,
    draining: bool,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        self.scope.lock().expect("scope lock").bot_id = ready.user.id.get();
        *self.channel.inner.application_id.lock().expect("application lock") =
            Some(ready.application.id.get().to_string());
        self.health.set(true);
        let session = self.sessions.fetch_add(1, Ordering::SeqCst);
        tracing::info!(bot = ready.user.name, session, "Discord connected");
        if session == 0 {
            self.register_commands(&ready.application.id.get().to_string()).await;
            if let Some(ready) = self.ready.lock().expect("ready lock").take() {
                let _ = ready.send(());
            }
        } else {
            self.catch_up().await;
        }
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        self.health.set(true);
    }

    async fn shard_stage_update(&self, _: Context, event: ShardStageUpdateEvent) {
        use serenity::gateway::ConnectionStage;
        self.health.set(matches!(event.new, ConnectionStage::Connected));
    }

    async fn message(&self, _: Context, message: Message) {
        self.in_order(message).await;
    }

    async fn interaction_create(&self, _: Context, interaction: Interaction) {
        let rest = &self.channel.inner.rest;
        match interaction {
            Interaction::Command(command) => {
                let id = command.id.get().to_string();
                // Within Discord's three seconds, before anything slower.
                if let Err(error) = rest.defer(&id, &command.token).await {
                    tracing::warn!(%error, "interaction not acknowledged");
                }
                let inbound = inbound::command(&command);
                self.channel
                    .inner
                    .interactions
                    .lock()
                    .expect("interactions lock")
                    .insert(inbound.external_id.clone(), (command.token.clone(), std::time::Instant::now()));
                self.ingest(inbound).await;
            }
            Interaction::Component(component) => {
                if let Err(error) = rest.acknowledge_component(&component.id.get().to_string(), &component.token).await
                {
                    tracing::warn!(%error, "button press not acknowledged");
                }
                self.ingest(inbound::choice(&component)).await;
            }
            _ => {}
        }
    }
}

impl Handler {
    /// serenity runs each event in a task of its own, so two messages of one channel can reach
    /// the handler out of order. A channel's messages are gathered for `ORDER_WINDOW` and
    /// handled one by one in id order (ids grow with time), by whichever task came first.
    async fn in_order(&self, message: Message) {
        let channel = message.channel_id.get();
        {
            let mut queues = self.queues.lock().expect("queues lock");
            let queue = queues.entry(channel).or_default();
            queue.pending.insert(message.id.get(), message);
            if queue.draining {
                return;
            }
            queue.draining = true;
        }
        tokio::time::sleep(ORDER_WINDOW).await;
        loop {
            let batch = {
                let mut queues = self.queues.lock().expect("queues lock");
                let queue = queues.entry(channel).or_default();
                let batch = std::mem::take(&mut queue.pending);
                if batch.is_empty() {
                    queues.remove(&channel);
                    return;
                }
                batch
            };
            for message in batch.into_values() {
                self.handle(&message).await;
            }
        }
    }

    async fn handle(&self, message: &Message) {
        let scope = self.scope.lock().expect("scope lock").clone();
        let normalized = inbound::normalize(message, &scope);
        let (mut inbound, media) = match normalized {
            Normalized::Skip(reason) => {
                tracing::debug!(reason, "Discord message skipped");
                return;
            }
            Normalized::Direct(inbound, media) => (inbound, media),
            Normalized::Thread { thread, inbound, media } => {
                // Only threads we opened for a ticket.
                match self.core.store().cursor(&thread_owner_key(thread)).await {
                    Ok(Some(_)) => (inbound, media),
                    _ => return,
                }
            }
            Normalized::Support { channel, message: id, mut inbound, media } => {
                match self.ticket_thread(channel, id, &inbound.sender.external_id, &inbound.sender.display_name).await {
                    Some(thread) => inbound.chat = thread,
                    None => return,
                }
                (inbound, media)
            }
        };
        self.mark_seen(message.channel_id.get(), message.id.get());
        self.fetch(&mut inbound, media).await;
        self.ingest(*inbound).await;
    }

    /// The thread of a customer's ticket in a support channel: the one opened before, else a
    /// new one on their message. Kept in the store, so it survives restarts.
    async fn ticket_thread(&self, channel: u64, message: u64, user: &str, name: &str) -> Option<String> {
        let store = self.core.store();
        let key = format!("discord:ticket:{channel}:{user}");
        if let Ok(Some(thread)) = store.cursor(&key).await {
            return Some(thread);
        }
        let title: String = format!("{name} – support").chars().take(100).collect();
        match self.channel.inner.rest.start_thread(&channel.to_string(), &message.to_string(), &title).await {
            Ok(thread) => {
                let saved = async {
                    store.set_cursor(&thread_owner_key(thread.parse().unwrap_or(0)), user).await?;
                    store.set_cursor(&key, &thread).await
                };
                if let Err(error) = saved.await {
                    tracing::warn!(%error, "ticket thread not remembered");
                }
                Some(thread)
            }
            Err(error) => {
                tracing::warn!(%error, channel, "could not open a ticket thread");
                None
            }
        }
    }

    async fn ingest(&self, inbound: Inbound) -> Option<switchboard_core::ingest::Ingested> {
        match self.core.ingest(inbound).await {
            Ok(ingested) => Some(ingested),
            Err(error) => {
                tracing::warn!(%error, "Discord message not stored");
                None
            }
        }
    }

    fn mark_seen(&self, channel: u64, message: u64) {
        let mut seen = self.last_seen.lock().expect("last-seen lock");
        let last = seen.entry(channel).or_insert(0);
        *last = (*last).max(message);
    }

    /// After a fresh session: every message since the last one seen, in each channel.
    async fn catch_up(&self) {
        let channels: Vec<(u64, u64)> =
            self.last_seen.lock().expect("last-seen lock").iter().map(|(c, m)| (*c, *m)).collect();
        for (channel, after) in channels {
            match self.channel.inner.rest.messages_after(&channel.to_string(), &after.to_string()).await {
                Ok(messages) => {
                    for value in messages {
                        match crate::inbound::read_message(value) {
                            Ok(message) => self.handle(&message).await,
                            Err(error) => tracing::warn!(%error, channel, "unreadable message while catching up"),
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, channel, "could not catch up"),
            }
        }
    }

    /// Downloads a message's files within the size limit; those left out are named on the
    /// message (`too_large`).
    async fn fetch(&self, inbound: &mut Inbound, media: Vec<Media>) {
        let limit = self.channel.inner.settings.max_attachment_bytes;
        let mut too_large = Vec::new();
        for file in media {
            if file.size > limit {
                too_large.push(file.filename);
                continue;
            }
            let bytes = async { reqwest::get(&file.url).await?.error_for_status()?.bytes().await };
            match bytes.await {
                Ok(bytes) if bytes.len() as u64 <= limit => inbound.attachments.push(InboundAttachment {
                    filename: file.filename,
                    content_type: file.content_type,
                    bytes: bytes.to_vec(),
                }),
                Ok(_) => too_large.push(file.filename),
                Err(error) => tracing::warn!(%error, file = file.filename, "attachment not fetched"),
            }
        }
        inbound.too_large = switchboard_core::ingest::TooLarge { files: too_large, limit };
    }

    async fn register_commands(&self, application: &str) {
        let commands = commands(self.core.localizer());
        if let Err(error) = self.channel.inner.rest.register_commands(application, &commands).await {
            tracing::warn!(%error, "slash commands not registered");
        }
    }
}

fn thread_owner_key(thread: u64) -> String {
    format!("discord:thread:{thread}")
}

/// The slash commands, described in every locale (Discord's `zh-CN` and the fallback).
fn commands(localizer: &Localizer) -> serde_json::Value {
    let describe = |locale: &str, key: &str| -> String { localizer.text(locale, key, &[]).chars().take(100).collect() };
    let localized = |key: &str| {
        let mut map = serde_json::Map::new();
        for locale in localizer.available() {
            if locale != switchboard_core::l10n::FALLBACK {
                for discord in discord_locales(locale) {
                    map.insert(discord.to_owned(), describe(locale, key).into());
                }
            }
        }
        serde_json::Value::Object(map)
    };
    // Command names as Discord shows them in each language (it sends the default name back).
    let names = |name: &str| {
        let mut map = serde_json::Map::new();
        for locale in localizer.available() {
            let localized = localizer.text(locale, &format!("command-name-{name}"), &[]);
            if locale != switchboard_core::l10n::FALLBACK && localized != name {
                for discord in discord_locales(locale) {
                    map.insert(discord.to_owned(), localized.to_lowercase().into());
                }
            }
        }
        serde_json::Value::Object(map)
    };
    let list: Vec<serde_json::Value> = switchboard_core::commands::MENU
        .iter()
        .map(|listed| {
            let name = listed.name;
            let key = format!("command-{name}");
            let mut command = serde_json::json!({
                "name": name,
                "name_localizations": names(name),
                "type": 1,
                "description": describe(switchboard_core::l10n::FALLBACK, &key),
                "description_localizations": localized(&key),
                "dm_permission": true,
            });
            if let Some(argument) = listed.argument {
                let (option, required) = (argument.name, argument.required);
                let key = format!("command-option-{option}");
                command["options"] = serde_json::json!([{
                    "type": 3,
                    "name": option,
                    "description": describe(switchboard_core::l10n::FALLBACK, &key),
                    "description_localizations": localized(&key),
                    "required": required,
                }]);
            }
            command
        })
        .collect();
    serde_json::Value::Array(list)
}

/// Discord's locales a locale of ours serves (Discord knows `zh-CN`, `zh-TW`, `ja`, `ko`, `ru`,
/// `vi`, `tr`, `pt-BR`, and Spanish only as `es-ES` and `es-419`).
fn discord_locales(locale: &str) -> Vec<&str> {
    match locale {
        "zh-Hans" => vec!["zh-CN"],
        "zh-Hant" => vec!["zh-TW"],
        "es" => vec!["es-ES", "es-419"],
        other => vec![other],
    }
}
