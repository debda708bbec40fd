//! Web-chat clients sending messages as fast as they are answered — the load of the outage
//! tests. A message answered 503 is sent again with the same `client_id` until it is stored;
//! any answer other than 201 and 503 is recorded as a failure of the test. Spread over several
//! instances, each message goes to the next one, and one that cannot be reached (killed) is
//! skipped for the next with the same `client_id`, as a load balancer retries.

use super::{Server, all_messages, eventually, session_at};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
pub struct Tally {
    /// Per session: the texts answered 201, in order.
    pub confirmed: Mutex<BTreeMap<String, Vec<String>>>,
    pub total: AtomicUsize,
    pub unavailable: AtomicUsize,
    /// Answers other than 201 and 503 (and transport errors).
    pub other: Mutex<Vec<String>>,
}

pub struct Flood {
    pub tally: Arc<Tally>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Flood {
    /// `clients` sessions, each sending "client C message I" followed by `padding` characters.
    pub async fn start(http: &reqwest::Client, server: &Server, clients: usize, padding: usize) -> Flood {
        Self::across(http, std::slice::from_ref(&server.base), clients, padding).await
    }

    /// `start` over several instances of one deployment: each session is opened on the first
    /// and used on all.
    pub async fn across(http: &reqwest::Client, bases: &[String], clients: usize, padding: usize) -> Flood {
        let tally = Arc::new(Tally::default());
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for c in 0..clients {
            let token = session_at(http, &bases[0], json!({ "name": format!("Client {c}") })).await;
            let (http, bases, tally, stop) = (http.clone(), bases.to_vec(), tally.clone(), stop.clone());
            let pad = "·".repeat(padding);
            tasks.push(tokio::spawn(async move {
                let (mut i, mut turn) = (0, c);
                while !stop.load(Ordering::SeqCst) {
                    let text = format!("client {c} message {i}{pad}");
                    let base = &bases[turn % bases.len()];
                    turn += 1;
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
                            if !wait.is_some_and(|s| (1..=60).contains(&s)) {
                                tally.other.lock().unwrap().push("503 without Retry-After".into());
                            }
                            tally.unavailable.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(answer) => {
                            let what = format!("{} {}", answer.status(), answer.text().await.unwrap_or_default());
                            tally.other.lock().unwrap().push(what);
                        }
                        // An instance gone: the same message goes to the next one.
                        Err(error) if bases.len() > 1 && (error.is_connect() || error.is_request()) => {}
                        Err(error) => tally.other.lock().unwrap().push(error.to_string()),
                    }
                }
            }));
        }
        Flood { tally, stop, tasks }
    }

    pub fn confirmed(&self) -> usize {
        self.tally.total.load(Ordering::SeqCst)
    }

    pub fn unavailable(&self) -> usize {
        self.tally.unavailable.load(Ordering::SeqCst)
    }

    /// Waits until `n` messages in all have been answered 201.
    pub async fn until_confirmed(&self, what: &str, n: usize, deadline: Duration) {
        eventually(what, deadline, || async { self.confirmed() >= n }).await;
    }

    /// Waits until `n` answers in all have been 503.
    pub async fn until_unavailable(&self, what: &str, n: usize, deadline: Duration) {
        eventually(what, deadline, || async { self.unavailable() >= n }).await;
    }

    /// Stops the clients (each finishes the request it is in) and checks that every answer was
    /// 201 or 503.
    pub async fn stop(self) -> Arc<Tally> {
        self.stop.store(true, Ordering::SeqCst);
        for task in self.tasks {
            task.await.unwrap();
        }
        let other = self.tally.other.lock().unwrap().clone();
        assert!(other.is_empty(), "answers other than 201 and 503: {other:?}");
        self.tally
    }
}

/// Every message the clients saw acknowledged is stored once, in order, and nothing else of
/// theirs is.
pub async fn assert_stored_exactly_as_confirmed(http: &reqwest::Client, server: &Server, tally: &Tally) {
    let confirmed = tally.confirmed.lock().unwrap().clone();
    for (token, texts) in &confirmed {
        let stored: Vec<String> = all_messages(http, server, token)
            .await
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(&stored, texts, "a client's stored messages are exactly those acknowledged");
    }
}
