//! PostgreSQL stopped for 30 seconds in the middle of a web-chat flood, then started again:
//! while it is down the API answers 503 with `Retry-After` (never a 500, never a hang past the
//! client's patience), nothing it acknowledged is lost, a message sent again with its
//! `client_id` is stored once, and the pool reconnects by itself, without a restart.
//! This binary holds one test: it stops the PostgreSQL server its process shares.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
mod support;

use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Server, all_messages, client, eventually, session_at};

const CLIENTS: usize = 4;
const OUTAGE: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Tally {
    /// Per session: the texts answered 201, in order.
    confirmed: Mutex<BTreeMap<String, Vec<String>>>,
    total: AtomicUsize,
    unavailable: AtomicUsize,
    other: Mutex<Vec<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopped_mid_flood_answers_503_loses_nothing_and_recovers_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let server = Server::start(dir.path(), &[("SWITCHBOARD_DATABASE_URL", &url)]);
    let http = client();
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let token = session_at(&http, &server.base, json!({ "name": format!("Client {c}") })).await;
        let (http, base, tally, stop) = (http.clone(), server.base.clone(), tally.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                // A client that is told 503 sends the same message again (same client_id).
                let text = format!("client {c} message {i}");
                let answer = http
                    .post(format!("{base}/webchat/v1/messages"))
                    .bearer_auth(&token)
                    .json(&json!({ "body": text, "client_id": format!("{c}-{i}") }))
                    .send()
                    .await;
                match answer {
                    Ok(answer) if answer.status() == 201 => {
                        tally.confirmed.lock().unwrap().entry(token.clone()).or_default().push(text);
                        tally.total.fetch_add(1, Ordering::SeqCst);
                        i += 1;
                    }
                    Ok(answer) if answer.status() == 503 => {
                        let wait =
                            answer.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                        assert!(wait.is_some_and(|s| (1..=60).contains(&s)), "503 without Retry-After");
                        tally.unavailable.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(answer) => {
                        let what = format!("{} {}", answer.status(), answer.text().await.unwrap_or_default());
                        tally.other.lock().unwrap().push(what);
                    }
                    Err(error) => tally.other.lock().unwrap().push(error.to_string()),
                }
            }
        }));
    }
    let confirmed_at = |n: usize| {
        let tally = tally.clone();
        move || {
            let tally = tally.clone();
            async move { tally.total.load(Ordering::SeqCst) >= n }
        }
    };
    eventually("traffic before the outage", Duration::from_secs(60), confirmed_at(100)).await;

    postgres::server().stop();
    let stopped = Instant::now();
    let before_outage = tally.total.load(Ordering::SeqCst);
    eventually("503s while PostgreSQL is down", Duration::from_secs(60), || {
        let tally = tally.clone();
        async move { tally.unavailable.load(Ordering::SeqCst) >= CLIENTS }
    })
    .await;
    // The outage lasts its full length; the clients keep trying meanwhile.
    eventually("the outage's end", OUTAGE + Duration::from_secs(30), || async { stopped.elapsed() >= OUTAGE }).await;
    let during = tally.total.load(Ordering::SeqCst) - before_outage;
    postgres::server().start_again();

    // No restart of switchboard: its pool reconnects and the flood goes on.
    let resumed_from = tally.total.load(Ordering::SeqCst);
    eventually("traffic after the outage", Duration::from_secs(60), confirmed_at(resumed_from + 100)).await;
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        task.await.unwrap();
    }
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        tally.other.lock().unwrap().is_empty(),
        "answers other than 201 and 503: {:?}",
        tally.other.lock().unwrap()
    );

    // Every acknowledged message is stored once, in order; nothing else from the clients is.
    let confirmed = tally.confirmed.lock().unwrap().clone();
    for (token, texts) in &confirmed {
        let stored: Vec<String> = all_messages(&http, &server, token)
            .await
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(&stored, texts, "a client's stored messages are exactly those acknowledged");
    }
    eprintln!(
        "outage {} s: {} messages acknowledged before, {during} during, {} after; {} answers 503",
        OUTAGE.as_secs(),
        before_outage,
        tally.total.load(Ordering::SeqCst) - resumed_from,
        tally.unavailable.load(Ordering::SeqCst),
    );
}
