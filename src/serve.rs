//! `serve` and `migrate`: wire the store, the core, the channels and HTTP together.

use crate::config::Config;
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use switchboard_core::channel::Channels;
use switchboard_core::outbox::{DispatcherConfig, RetryPolicy};
use switchboard_core::store::{Store, redact_url};
use switchboard_core::{Core, CoreConfig};
use tokio_util::sync::CancellationToken;

/// How long in-flight requests (web-chat long polls) may run on after a shutdown starts.
const HTTP_GRACE: Duration = Duration::from_secs(3);

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let url = &config.database_url.0;
    let store = Store::open(url).await.with_context(|| format!("migrating {}", redact_url(url)))?;
    store.close().await;
    println!("switchboard: {} is up to date", redact_url(url));
    Ok(())
}

/// `switchboard backup FILE`: a consistent copy of the SQLite store, taken beside a running
/// `serve` (its writes wait at most a moment; none is lost).
pub async fn backup(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let url = &config.database_url.0;
    if Store::backend_of(url)? == switchboard_core::store::Backend::Postgres {
        anyhow::bail!("{}", switchboard_core::store::POSTGRES_ADVICE);
    }
    let store = Store::connect(url).await.with_context(|| format!("opening {}", redact_url(url)))?;
    let backup = store.backup_to(file).await;
    store.close().await;
    let backup = backup.with_context(|| format!("backing up {} to {}", redact_url(url), file.display()))?;
    println!(
        "switchboard: backed up {} to {} ({} bytes, {} conversations, {} messages, integrity ok)",
        redact_url(url),
        file.display(),
        backup.bytes,
        backup.conversations,
        backup.messages
    );
    Ok(())
}

/// Runs until `shutdown`, then drains: HTTP stops taking requests, sends in flight finish,
/// queued writes commit.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    // Before anything counts: every series then starts from its described zero.
    let metrics = crate::http::metrics_recorder()?;
    let url = &config.database_url.0;
    let store = Store::open(url).await.with_context(|| format!("opening {}", redact_url(url)))?;
    for key in config.pending_settings.keys() {
        tracing::warn!(setting = key, "set, but this build does not include what it configures yet; ignored");
    }

    let mut channels = Channels::new();
    channels.register(Arc::new(switchboard_webchat::WebchatChannel));
    let telegram = match &config.telegram {
        Some(settings) => {
            let channel = switchboard_telegram::TelegramChannel::new(&settings.token.0, &settings.api_url)
                .context("SWITCHBOARD_TELEGRAM_API_URL")?
                .with_max_attachment_bytes(config.attachment_max_bytes);
            let me = channel.identity().await.context("SWITCHBOARD_TELEGRAM_TOKEN: getMe failed")?;
            tracing::info!(bot = me.username.as_deref().unwrap_or_default(), "Telegram connected");
            channels.register(Arc::new(channel.clone()));
            Some((channel, me))
        }
        None => None,
    };
    let discord = config.discord.as_ref().map(|settings| {
        let channel = switchboard_discord::DiscordChannel::new(settings.clone());
        channels.register(Arc::new(channel.clone()));
        channel
    });
    let email = match &config.email {
        Some(settings) => {
            let channel = switchboard_email::EmailChannel::new(settings.clone(), &store)
                .await
                .context("preparing the email channel")?;
            channels.register(Arc::new(channel.clone()));
            Some(channel)
        }
        None => None,
    };
    let core_config = CoreConfig {
        reopen_window: config.reopen_window,
        response_time: config.response_time,
        data_dir: config.data_dir.clone(),
        dispatcher: DispatcherConfig {
            throttles: config.throttles.clone(),
            retry: RetryPolicy { max_attempts: config.retry_max_attempts, ..RetryPolicy::default() },
            ..DispatcherConfig::default()
        },
    };
    let running = Core::start(store.clone(), core_config, channels).await.context("starting the core")?;
    let mut explorers = switchboard_inbox::explorers::Explorers::default();
    for (chain, kind, template) in &config.explorers {
        explorers.set(chain, kind, template);
    }
    let mail_health =
        email.as_ref().map(|_| switchboard_core::channel::Health::new(switchboard_core::model::ChannelKind::Email));
    let health = crate::http::ChannelHealth {
        mail: mail_health.clone(),
        discord: discord.as_ref().map(switchboard_discord::DiscordChannel::health),
        telegram: telegram.as_ref().map(|(channel, _)| channel.health()),
    };
    let metrics_token = config.metrics_token.as_ref().map(|t| t.0.clone());
    let app = crate::http::router(running.core(), metrics, metrics_token, explorers, health, config.webchat_limits);

    let stop_adapters = CancellationToken::new();
    let mut adapters = tokio::task::JoinSet::new();
    let mut app = app;
    if let Some((channel, me)) = telegram {
        match config.telegram.as_ref().and_then(|t| t.webhook.as_ref()) {
            Some((url, secret)) => {
                let (path, route) = switchboard_telegram::start_webhook(channel, running.core(), me, url, &secret.0)
                    .await
                    .context("SWITCHBOARD_TELEGRAM_WEBHOOK_URL: setWebhook failed")?;
                tracing::info!(path, "Telegram webhook mode");
                app = app.merge(route);
            }
            None => {
                adapters.spawn(switchboard_telegram::poll(channel, running.core(), me, stop_adapters.clone()));
            }
        }
    }

    if let Some(channel) = discord {
        let gateway = switchboard_discord::connect(channel, running.core(), stop_adapters.clone()).await?;
        adapters.spawn(async move {
            let _ = gateway.await;
        });
    }
    if let (Some(channel), Some(health)) = (email, mail_health) {
        let rules = channel.rules(running.core().localizer());
        adapters.spawn(switchboard_email::receive(
            channel.settings().clone(),
            rules,
            running.core(),
            health,
            stop_adapters.clone(),
        ));
    }

    // The knowledge base: the folder's articles replace the store's when the folder exists.
    if let Some((articles, lexicon)) = crate::kb::live_knowledge(&config).await? {
        switchboard_bot::store_articles(&store, &articles, &lexicon)
            .await
            .with_context(|| format!("storing the knowledge base of {}", config.kb_dir.display()))?;
    }
    let knowledge = switchboard_bot::from_store(&store).await.context("loading the knowledge base")?;
    tracing::info!(articles = knowledge.articles.len(), "knowledge base loaded");
    let knowledge = Arc::new(tokio::sync::RwLock::new(Arc::new(knowledge)));
    let hours = config.business_hours.clone();
    adapters.spawn(switchboard_bot::live::run(
        running.core(),
        knowledge,
        switchboard_bot::live::Settings {
            hours,
            thresholds: config.bot_thresholds,
            resolve_after: Some(config.bot_resolve_after),
        },
        stop_adapters.clone(),
    ));

    if let Some(retention) = config.retention {
        tracing::info!(retention = %humantime::format_duration(retention), "messages past the retention period are deleted");
        adapters.spawn(switchboard_core::privacy::sweep(running.core(), retention, stop_adapters.clone()));
    }

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "listening");
    println!("switchboard listening on http://{address} (web chat at http://{address}/chat)");

    let server = crate::listen::serve(listener, app, shutdown.clone(), HTTP_GRACE);
    let mut died = None;
    tokio::select! {
        () = server => {}
        health = running.died() => died = Some(health),
    }
    if let Some(health) = died {
        // Without its writer or dispatcher the process only pretends to serve: end it with a
        // failure so that its supervisor starts a fresh one (nothing accepted is lost).
        stop_adapters.cancel();
        while adapters.join_next().await.is_some() {}
        running.shutdown().await;
        store.close().await;
        anyhow::bail!(
            "a core task stopped (writer running: {}, dispatcher running: {})",
            health.writer,
            health.dispatcher
        );
    }

    // Stop taking messages in before the core drains.
    stop_adapters.cancel();
    while adapters.join_next().await.is_some() {}
    running.shutdown().await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
