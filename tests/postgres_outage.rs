//! PostgreSQL stopped for 30 seconds in the middle of a web-chat flood, then started again:
//! while it is down the API answers 503 with `Retry-After` (never a 500, never a hang past the
//! client's patience), nothing it acknowledged is lost, a message sent again with its
//! `client_id` is stored once, and the pool reconnects by itself, without a restart.
//! This binary holds one test: it stops the PostgreSQL server its process shares.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
mod support;

use std::time::{Duration, Instant};
use support::flood::{Flood, assert_stored_exactly_as_confirmed};
use support::{Server, client, eventually};

const CLIENTS: usize = 4;
const OUTAGE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopped_mid_flood_answers_503_loses_nothing_and_recovers_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let server = Server::start(dir.path(), &[("SWITCHBOARD_DATABASE_URL", &url)]);
    let http = client();
    let flood = Flood::start(&http, &server, CLIENTS, 0).await;
    flood.until_confirmed("traffic before the outage", 100, Duration::from_secs(60)).await;

    postgres::server().stop();
    let stopped = Instant::now();
    let before_outage = flood.confirmed();
    flood.until_unavailable("503s while PostgreSQL is down", CLIENTS, Duration::from_secs(60)).await;
    // The outage lasts its full length; the clients keep trying meanwhile.
    eventually("the outage's end", OUTAGE + Duration::from_secs(30), || async { stopped.elapsed() >= OUTAGE }).await;
    let during = flood.confirmed() - before_outage;
    postgres::server().start_again();

    // No restart of switchboard: its pool reconnects and the flood goes on.
    let resumed_from = flood.confirmed();
    flood.until_confirmed("traffic after the outage", resumed_from + 100, Duration::from_secs(60)).await;
    let tally = flood.stop().await;
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // Every acknowledged message is stored once, in order; nothing else from the clients is.
    assert_stored_exactly_as_confirmed(&http, &server, &tally).await;
    eprintln!(
        "outage {} s: {} messages acknowledged before, {during} during, {} after; {} answers 503",
        OUTAGE.as_secs(),
        before_outage,
        tally.total.load(std::sync::atomic::Ordering::SeqCst) - resumed_from,
        tally.unavailable.load(std::sync::atomic::Ordering::SeqCst),
    );
}
