//! PostgreSQL stopped for 30 seconds in the middle of a web-chat flood, then started again:
//! while it is down the API answers 503 with `Retry-After` (never a 500, never a hang past the
//! client's patience), nothing it acknowledged is lost, a message sent again with its
//! `client_id` is stored once, and the pool reconnects by itself, without a restart. Telegram
//! updates that arrive meanwhile are not confirmed until they are stored.
//! This binary holds one test: it stops the PostgreSQL server its process shares.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
mod support;

use std::time::{Duration, Instant};
use support::flood::{Flood, assert_stored_exactly_as_confirmed};
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent_to, client, eventually, get_json, sign_in};

const PASSWORD: &str = "correct horse battery";
const CHATS: i64 = 10;

const CLIENTS: usize = 4;
const OUTAGE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopped_mid_flood_answers_503_loses_nothing_and_recovers_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let fake = FakeTelegram::start().await;
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    let server = Server::start(
        dir.path(),
        &[
            ("SWITCHBOARD_DATABASE_URL", &url),
            ("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN),
            ("SWITCHBOARD_TELEGRAM_API_URL", &fake.url),
        ],
    );
    let http = client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let flood = Flood::start(&http, &server, CLIENTS, 0).await;
    flood.until_confirmed("traffic before the outage", 100, Duration::from_secs(60)).await;

    postgres::server().stop();
    let stopped = Instant::now();
    let before_outage = flood.confirmed();
    flood.until_unavailable("503s while PostgreSQL is down", CLIENTS, Duration::from_secs(60)).await;
    // Telegram customers write meanwhile: their updates are fetched, not stored, not confirmed.
    let first_update = fake.push(text_update(5000, 5000, 1, "written during the outage", "en"));
    for chat in 1..CHATS {
        fake.push(text_update(5000 + chat, 5000 + chat, 1, "written during the outage", "en"));
    }
    // The outage lasts its full length; the clients keep trying meanwhile.
    eventually("the outage's end", OUTAGE + Duration::from_secs(30), || async { stopped.elapsed() >= OUTAGE }).await;
    let during = flood.confirmed() - before_outage;
    assert!(fake.confirmed() <= first_update, "updates confirmed while the database was down");
    postgres::server().start_again();

    // No restart of switchboard: its pool reconnects and the flood goes on.
    let resumed_from = flood.confirmed();
    flood.until_confirmed("traffic after the outage", resumed_from + 100, Duration::from_secs(60)).await;
    let tally = flood.stop().await;
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    // On PostgreSQL, where several instances may serve, each says which one it is.
    let health: serde_json::Value = health.json().await.unwrap();
    let instance = health["instance"].as_str().expect("the instance in /healthz").to_owned();
    let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(&format!("instance=\"{instance}\"")), "no instance label: {metrics}");

    // Every acknowledged message is stored once, in order; nothing else from the clients is.
    assert_stored_exactly_as_confirmed(&http, &server, &tally).await;
    // Every Telegram update is stored once, and confirmed.
    eventually("the updates stored", Duration::from_secs(60), || async {
        let list = get_json(&http, &server, "/api/v1/conversations?channel=telegram&status=all", &agent).await;
        list["conversations"].as_array().is_some_and(|c| c.len() == CHATS as usize)
    })
    .await;
    let list = get_json(&http, &server, "/api/v1/conversations?channel=telegram&status=all", &agent).await;
    for conversation in list["conversations"].as_array().unwrap() {
        let thread = get_json(&http, &server, &format!("/api/v1/conversations/{}", conversation["id"]), &agent).await;
        let inbound = thread["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "inbound").count();
        assert_eq!(inbound, 1, "an update stored once");
    }
    eventually("the updates confirmed", Duration::from_secs(30), || async {
        fake.confirmed() > first_update + CHATS - 1
    })
    .await;
    eprintln!(
        "outage {} s: {} messages acknowledged before, {during} during, {} after; {} answers 503",
        OUTAGE.as_secs(),
        before_outage,
        tally.total.load(std::sync::atomic::Ordering::SeqCst) - resumed_from,
        tally.unavailable.load(std::sync::atomic::Ordering::SeqCst),
    );
}
