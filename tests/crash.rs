//! kill -9 while web-chat messages are flowing, then restart: every message answered 201 is
//! stored exactly once, and every queued reply is delivered after the restart, once.

mod support;

use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Server, all_messages, client, eventually};
use switchboard_core::store::Store;

const CLIENTS: usize = 8;
const KILL_AFTER: usize = 300;

/// Per session token: the (message id, body) of each message the server confirmed with 201.
type Confirmed = Arc<Mutex<HashMap<String, Vec<(i64, String)>>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_flood_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A slow outbox, so that replies are still queued when the process dies.
    let server = Server::start(dir.path(), &[("SWITCHBOARD_THROTTLE_WEBCHAT_GLOBAL", "20/s")]);
    let http = client();

    // Each client opens a new session (a new customer, a new ticket, a new acknowledgement)
    // every five messages, and records what the server confirmed with 201.
    let confirmed: Confirmed = Arc::default();
    let total = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (http, confirmed, total) = (http.clone(), confirmed.clone(), total.clone());
        let base = server.base.clone();
        tasks.push(tokio::spawn(async move {
            let mut token = String::new();
            for i in 0.. {
                if i % 5 == 0 {
                    let r = http.post(format!("{base}/webchat/v1/sessions")).json(&json!({})).send().await;
                    let Ok(r) = r else { return };
                    let Ok(body) = r.json::<serde_json::Value>().await else {
                        return;
                    };
                    token = body["session_token"].as_str().unwrap().to_owned();
                }
                let text = format!("client {c} message {i}");
                let r = http
                    .post(format!("{base}/webchat/v1/messages"))
                    .bearer_auth(&token)
                    .json(&json!({"body": text}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 201 => {
                        let Ok(body) = r.json::<serde_json::Value>().await else {
                            return;
                        };
                        let id = body["id"].as_i64().unwrap();
                        confirmed.lock().unwrap().entry(token.clone()).or_default().push((id, text));
                        total.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    _ => return, // the server is gone
                }
            }
        }));
    }
    eventually("enough traffic before the kill", Duration::from_secs(60), || {
        let total = total.clone();
        async move { total.load(std::sync::atomic::Ordering::SeqCst) >= KILL_AFTER }
    })
    .await;
    server.kill9();
    for task in tasks {
        task.await.unwrap();
    }

    let db = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    let store = Store::connect(&db).await.unwrap();
    let (pending, _, _) = store.outbox_counts().await.unwrap();
    assert!(pending > 0, "the kill should leave replies queued (pending = {pending})");

    let server = Server::start(dir.path(), &[]);
    let confirmed = confirmed.lock().unwrap().clone();
    let sessions = confirmed.len();
    eventually("every queued reply delivered", Duration::from_secs(30), || {
        let store = store.clone();
        async move { store.outbox_counts().await.unwrap().0 == 0 }
    })
    .await;

    for (token, sent) in &confirmed {
        let seen = all_messages(&http, &server, token).await;
        let inbound: Vec<(i64, String)> = seen
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| (m["id"].as_i64().unwrap(), m["body"].as_str().unwrap().to_owned()))
            .collect();
        let bodies: HashSet<&String> = inbound.iter().map(|(_, b)| b).collect();
        assert_eq!(bodies.len(), inbound.len(), "a message stored twice");
        for message in sent {
            assert!(inbound.contains(message), "confirmed {message:?} is missing");
        }
        let acks = seen.iter().filter(|m| m["direction"] == "outbound").count();
        assert_eq!(acks, 1, "each new ticket is acknowledged exactly once");
    }
    assert!(sessions >= KILL_AFTER / 5);
}
