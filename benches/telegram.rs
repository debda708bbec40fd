//! Telegram benchmark: the whole gateway (long polling, ingest with full durability, outbox,
//! sends) against a bare teloxide echo bot, both talking to the same fake Bot API.
//!
//! `cargo bench --bench telegram` prints a Markdown report and writes it to
//! `target/bench-telegram.md`. Every update is a customer command (`/status`), so the gateway
//! answers each one, as the echo bot does. The gateway's throttles are lifted: the fake does not
//! enforce Telegram's limits here, and the point is the gateway's own cost.

#[path = "../tests/support/telegram.rs"]
mod telegram;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_core::channel::Channels;
use switchboard_core::outbox::{DispatcherConfig, Throttle};
use switchboard_core::store::Store;
use switchboard_core::{Core, CoreConfig};
use telegram::{FakeTelegram, TOKEN, text_update};
use tokio_util::sync::CancellationToken;

const CHATS: i64 = 500;
const PER_CHAT: i64 = 10;
/// Floods each of the echo bot and the gateway, taking turns.
const ROUNDS: usize = 15;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// "min–max %" of the rounds' ratios.
fn spread(values: Vec<f64>) -> String {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(0.0, f64::max);
    format!("{min:.0}–{max:.0}%")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let report = runtime.block_on(run());
    println!("{report}");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-telegram.md");
    std::fs::write(target, report).unwrap();
}

async fn run() -> String {
    let mut report = String::from("| measurement | result |\n|---|---|\n");
    let ceiling = fake_ceiling().await;
    let _ = writeln!(report, "| fake Bot API ceiling (sendMessage, 64 concurrent clients) | {ceiling:.0} requests/s |");
    // The machine's speed drifts from one second to the next (a shared VM): the two take turns,
    // several rounds, and the medians are compared.
    let (mut echo, mut gateway, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let e = echo_bot().await;
        let g = gateway_flood().await;
        echo.push(e);
        gateway.push(g);
        ratios.push(100.0 * g / e);
    }
    let (echo, gateway, ratios) = (median(echo), median(gateway), spread(ratios));
    let _ = writeln!(
        report,
        "| teloxide echo bot, {} updates from {CHATS} chats (median of {ROUNDS}) | {echo:.0} updates/s |",
        CHATS * PER_CHAT
    );
    let _ = writeln!(
        report,
        "| switchboard, {} updates from {CHATS} chats, SQLite synchronous=FULL (median of {ROUNDS}) | {gateway:.0} updates/s ({:.0}% of the echo bot; round by round {ratios}) |",
        CHATS * PER_CHAT,
        100.0 * gateway / echo
    );
    let (p50, p99) = gateway_latency().await;
    let _ = writeln!(
        report,
        "| switchboard at 200 updates/s: update → answer received by the fake | p50 {p50:.2} ms, p99 {p99:.2} ms |"
    );
    report
}

fn preload(fake: &FakeTelegram) {
    for round in 0..PER_CHAT {
        for chat in 0..CHATS {
            fake.push(text_update(10_000 + chat, 10_000 + chat, 1 + round, "/status", "en"));
        }
    }
}

async fn wait_for(fake: &FakeTelegram, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while fake.sent_count() < n {
        assert!(Instant::now() < deadline, "only {} of {n} answers", fake.sent_count());
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn fake_ceiling() -> f64 {
    let fake = FakeTelegram::start_apart();
    let http = reqwest::Client::new();
    let url = format!("{}/bot{TOKEN}/sendMessage", fake.url);
    let total = 20_000;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..64 {
        let (http, url) = (http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..total / 64 {
                let body = serde_json::json!({"chat_id": worker, "text": format!("m{i}")});
                http.post(&url).json(&body).send().await.unwrap().bytes().await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let rate = (total / 64 * 64) as f64 / started.elapsed().as_secs_f64();
    fake.stop();
    rate
}

async fn echo_bot() -> f64 {
    use teloxide::prelude::*;
    let fake = FakeTelegram::start_apart();
    preload(&fake);
    let bot = teloxide::Bot::new(TOKEN).set_api_url(fake.url.parse().unwrap());
    let started = Instant::now();
    let handle = tokio::spawn(teloxide::repl(bot, |bot: teloxide::Bot, message: Message| async move {
        bot.send_message(message.chat.id, message.text().unwrap_or_default()).await?;
        Ok(())
    }));
    wait_for(&fake, (CHATS * PER_CHAT) as usize).await;
    let rate = (CHATS * PER_CHAT) as f64 / started.elapsed().as_secs_f64();
    handle.abort();
    fake.stop();
    rate
}

/// The gateway as `serve` wires it, on a fresh SQLite database; polling starts when the
/// returned future is spawned.
async fn gateway(
    fake: &FakeTelegram,
    dir: &std::path::Path,
) -> (switchboard_core::Running, CancellationToken, impl Future<Output = ()> + use<>) {
    let store = Store::open(&format!("sqlite://{}", dir.join("bench.db").display())).await.unwrap();
    let channel = switchboard_telegram::TelegramChannel::new(TOKEN, &fake.url).unwrap();
    let me = channel.identity().await.unwrap();
    let mut channels = Channels::new();
    channels.register(Arc::new(channel.clone()));
    let mut throttles = HashMap::new();
    throttles.insert(switchboard_core::model::ChannelKind::Telegram, Throttle::default());
    let config = CoreConfig {
        data_dir: dir.join("data"),
        dispatcher: DispatcherConfig { throttles, ..DispatcherConfig::default() },
        ..CoreConfig::default()
    };
    let running = Core::start(store, config, channels).await.unwrap();
    let stop = CancellationToken::new();
    let polling = switchboard_telegram::poll(channel, running.core(), me, stop.clone());
    (running, stop, polling)
}

async fn gateway_flood() -> f64 {
    let fake = FakeTelegram::start_apart();
    preload(&fake);
    let dir = tempfile::tempdir().unwrap();
    let (running, stop, polling) = gateway(&fake, dir.path()).await;
    // Timed from the first poll, as the echo bot is: creating the database is set-up.
    let started = Instant::now();
    tokio::spawn(polling);
    wait_for(&fake, (CHATS * PER_CHAT) as usize).await;
    let rate = (CHATS * PER_CHAT) as f64 / started.elapsed().as_secs_f64();
    stop.cancel();
    running.shutdown().await;
    fake.stop();
    rate
}

async fn gateway_latency() -> (f64, f64) {
    let fake = FakeTelegram::start_apart();
    let dir = tempfile::tempdir().unwrap();
    let (running, stop, polling) = gateway(&fake, dir.path()).await;
    tokio::spawn(polling);
    let total = 2_000i64;
    let mut pushed = HashMap::new();
    let mut ticker = tokio::time::interval(Duration::from_millis(5));
    for i in 0..total {
        ticker.tick().await;
        let (chat, message) = (20_000 + i % 200, 1 + i / 200);
        pushed.insert((chat, message), Instant::now());
        fake.push(text_update(chat, chat, message, "/status", "en"));
    }
    wait_for(&fake, total as usize).await;
    let mut latencies: Vec<f64> = fake
        .arrivals()
        .iter()
        .filter_map(|(chat, message, at)| Some(at.duration_since(*pushed.get(&(*chat, *message))?).as_secs_f64() * 1e3))
        .collect();
    latencies.sort_by(|a, b| a.total_cmp(b));
    stop.cancel();
    running.shutdown().await;
    fake.stop();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    (at(0.5), at(0.99))
}
