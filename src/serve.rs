//! `serve` and `migrate`: wire the store, the core, the channels and HTTP together.

use crate::config::Config;
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::channel::Channels;
use switchboard_core::store::{Store, redact_url};
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
    let url = &config.database_url.0;
    let several = Store::backend_of(url)? == switchboard_core::store::Backend::Postgres;
    // Before anything counts: every series then starts from its described zero.
    let metrics = crate::http::metrics_recorder(several.then_some(config.core.instance.as_str()))?;
    // Held until `run` returns: a second `serve` on this SQLite file is refused meanwhile.
    let _instance = switchboard_core::store::instance::claim(url)?;
    let store = Store::open(url).await.with_context(|| format!("opening {}", redact_url(url)))?;

    // Bound before anything starts, so that links can name the port the system gave.
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{address}"));
    let links = switchboard_core::links::ChoiceLinks::load(&config.core.data_dir, &public_url)
        .with_context(|| format!("the key of choice links under {}", config.core.data_dir.display()))?;
    let adapters = crate::adapters::configured(&config, &store, &links).await?;
    let mut channels = Channels::new();
    for adapter in &adapters {
        channels.register(adapter.channel());
    }
    let running = Core::start(store.clone(), config.core.clone(), channels).await.context("starting the core")?;
    let chains = std::sync::Arc::new(switchboard_chains::Chains::new(config.chains.clone()));
    let mut app = crate::http::router(running.core(), &config, metrics, std::sync::Arc::clone(&chains), links);

    let stop_adapters = CancellationToken::new();
    let mut tasks = tokio::task::JoinSet::new();
    for adapter in adapters {
        let started = adapter.start(running.core(), stop_adapters.clone()).await?;
        started.tasks.into_iter().for_each(|task| drop(tasks.spawn(task)));
        if let Some(routes) = started.routes {
            app = app.merge(routes);
        }
    }
    let knowledge = knowledge(&config, &store).await?;
    tasks.spawn(switchboard_bot::live::run(
        running.core(),
        knowledge,
        config.bot.clone(),
        std::sync::Arc::clone(&chains),
        stop_adapters.clone(),
    ));
    if let Some(retention) = config.retention {
        tracing::info!(retention = %humantime::format_duration(retention), "messages past the retention period are deleted");
    }
    let sweeps = Timers {
        retention: config.retention,
        resolve_after: config.bot.resolve_after,
        csat_delay: config.core.csat_delay,
        hours: config.bot.hours.clone(),
        desk: switchboard_core::desk::Desk { settings: config.desk.clone(), hours: config.bot.hours.clone() },
    };
    tasks.spawn(timers(running.core(), sweeps, stop_adapters.clone()));

    tracing::info!(%address, "listening");
    println!("switchboard listening on http://{address} (web chat at http://{address}/chat)");

    let server = crate::listen::serve(listener, app, shutdown.clone(), HTTP_GRACE);
    let died = tokio::select! {
        () = server => None,
        health = running.died() => Some(health),
    };
    // Stop taking messages in before the core drains.
    stop_adapters.cancel();
    while tasks.join_next().await.is_some() {}
    running.shutdown().await;
    store.close().await;
    if let Some(health) = died {
        // Without its writer or dispatcher the process only pretends to serve: end it with a
        // failure so that its supervisor starts a fresh one (nothing accepted is lost).
        anyhow::bail!(
            "a core task stopped (writer running: {}, dispatcher running: {})",
            health.writer,
            health.dispatcher
        );
    }
    tracing::info!("stopped");
    Ok(())
}

/// The role of the one instance that runs the timers.
const TIMERS_ROLE: &str = "timers";

/// The timers — the bot's quiet answers resolved, the satisfaction surveys asked, the
/// retention sweep, the desk — on whichever instance holds their role (each sweep is idempotent, but
/// running it on every instance only multiplies the work and its races).
async fn timers(core: Core, config: Timers, stop: CancellationToken) {
    core.lead(TIMERS_ROLE, stop, |held| {
        let core = core.clone();
        let config = config.clone();
        async move {
            let mut sweeps = tokio::task::JoinSet::new();
            if let Some(retention) = config.retention {
                sweeps.spawn(switchboard_core::privacy::sweep(core.clone(), retention, held.lost.clone()));
            }
            if let Some(idle) = config.resolve_after {
                sweeps.spawn(switchboard_bot::live::resolve_quiet_answers(core.clone(), idle, held.lost.clone()));
            }
            if let Some(delay) = config.csat_delay {
                sweeps.spawn(switchboard_core::surveys::sweep(core.clone(), delay, held.lost.clone()));
            }
            sweeps.spawn(keep_report_days(core.clone(), config.hours.clone(), held.lost.clone()));
            sweeps.spawn(backfill_search(core.clone(), held.lost.clone()));
            let (surges, every) = (config.desk.settings.surge, config.desk.settings.surge_every);
            sweeps.spawn(switchboard_core::announcements::run(core.clone(), held.lost.clone()));
            sweeps.spawn(switchboard_core::incidents::watch::run(core.clone(), surges, every, held.lost.clone()));
            sweeps.spawn(switchboard_core::desk::run(core.clone(), config.desk.clone(), held.lost.clone()));
            sweeps.join_all().await;
        }
    })
    .await;
}

/// What the timers do: each `None` is off.
#[derive(Clone)]
struct Timers {
    retention: Option<Duration>,
    resolve_after: Option<Duration>,
    csat_delay: Option<Duration>,
    /// The business hours reports count in (their zone is the reports' days).
    hours: Option<switchboard_core::hours::BusinessHours>,
    /// Routing, assignment and SLA clocks.
    desk: switchboard_core::desk::Desk,
}

/// Keeps the reports' day rollups worked out as the ledger changes their days, so that the
/// reports page and API read every day but today's from its kept facts.
async fn keep_report_days(core: Core, hours: Option<switchboard_core::hours::BusinessHours>, stop: CancellationToken) {
    const EVERY: Duration = Duration::from_secs(60);
    let zone = hours.as_ref().map(|h| h.zone().clone()).unwrap_or(jiff::tz::TimeZone::UTC);
    switchboard_core::clock::every(EVERY, stop, "the reports' days were not kept this time", || async {
        let now = switchboard_core::clock::now_ms();
        let worked = core.store().keep_report_days(now, hours.as_ref(), &zone).await?;
        if worked > 0 {
            tracing::debug!(days = worked, "report days worked out");
        }
        Ok::<(), switchboard_core::error::CoreError>(())
    })
    .await;
}

/// Indexes for search what was stored before the search indexes existed, a chunk at a time,
/// then checks again now and then (a restore from an older backup brings some back).
async fn backfill_search(core: Core, stop: CancellationToken) {
    const EVERY: Duration = Duration::from_secs(60);
    let stopping = stop.clone();
    switchboard_core::clock::every(EVERY, stop, "search was not backfilled this time", || async {
        let mut indexed = 0;
        while !stopping.is_cancelled() {
            let chunk = core.store().backfill_search().await?;
            if chunk == 0 {
                break;
            }
            indexed += chunk;
        }
        if indexed > 0 {
            tracing::info!(indexed, "stored rows indexed for search");
        }
        Ok::<(), switchboard_core::error::CoreError>(())
    })
    .await;
}

/// The knowledge base the bot answers from: the folder's articles replace the store's when the
/// folder exists.
async fn knowledge(config: &Config, store: &Store) -> anyhow::Result<switchboard_bot::live::SharedKnowledge> {
    if let Some((articles, lexicon)) = crate::kb::live_knowledge(config).await? {
        switchboard_bot::store_articles(store, &articles, &lexicon)
            .await
            .with_context(|| format!("storing the knowledge base of {}", config.kb_dir.display()))?;
    }
    let knowledge = switchboard_bot::from_store(store).await.context("loading the knowledge base")?;
    tracing::info!(articles = knowledge.articles.len(), "knowledge base loaded");
    Ok(Arc::new(tokio::sync::RwLock::new(Arc::new(knowledge))))
}
