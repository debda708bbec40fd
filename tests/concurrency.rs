//! The real binary under concurrent writes to one conversation, with the bot on: agents
//! replying and noting in parallel while the customer types fast. Nothing is refused, every
//! reply reaches the customer, and the server stays healthy. On SQLite and PostgreSQL.

mod support;

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent_to, all_messages, eventually, get_json, send, session, sign_in};

const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_agents_and_a_fast_typing_customer_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    agents_and_customer_at_once(dir.path(), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_agents_and_a_fast_typing_customer_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    agents_and_customer_at_once(dir.path(), &postgres::fresh_database_url()).await;
}

async fn agents_and_customer_at_once(dir: &std::path::Path, url: &str) {
    for n in 0..3 {
        add_agent_to(dir, url, &format!("agent{n}@example.com"), &format!("Agent {n}"), "agent", PASSWORD);
    }
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(dir, &[("SWITCHBOARD_DATABASE_URL", url), ("SWITCHBOARD_KB_DIR", kb)]);
    let http = support::client();
    let mut agents = Vec::new();
    for n in 0..3 {
        agents.push(sign_in(&http, &server, &format!("agent{n}@example.com"), PASSWORD).await);
    }
    let customer = session(&http, &server, json!({"name": "Dana"})).await;
    assert_eq!(send(&http, &server, &customer, json!({"body": "my deposit has not arrived"})).await.status(), 201);
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agents[0]).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();

    let mut requests = Vec::new();
    for round in 0..10 {
        for (n, agent) in agents.iter().enumerate() {
            let body = json!({"body": format!("agent {n} round {round}"), "private": n == 2});
            let request = http.post(server.url(&format!("/api/v1/conversations/{id}/messages"))).bearer_auth(agent);
            requests.push(tokio::spawn(request.json(&body).send()));
        }
        // The customer types line after line while the bot and the agents answer.
        let line = json!({"body": format!("also, deposit line {round}")});
        let request = http.post(server.url("/webchat/v1/messages")).bearer_auth(&customer);
        requests.push(tokio::spawn(request.json(&line).send()));
    }
    for request in requests {
        let response = request.await.unwrap().unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }

    eventually("every public reply reaches the customer", Duration::from_secs(20), || async {
        let seen = all_messages(&http, &server, &customer).await;
        let replies = seen.iter().filter(|m| m["author"] == "agent").count();
        replies == 20
    })
    .await;
    let seen = all_messages(&http, &server, &customer).await;
    assert!(!seen.iter().any(|m| m["body"].as_str().unwrap().starts_with("agent 2 ")), "notes stay inside");
    assert_eq!(seen.iter().filter(|m| m["author"] == "contact").count(), 11);

    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
    // Still taking new customers.
    let newcomer = session(&http, &server, json!({"name": "Eve"})).await;
    assert_eq!(send(&http, &server, &newcomer, json!({"body": "hello"})).await.status(), 201);
}
