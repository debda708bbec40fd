//! Telegram and Discord out of service for a minute, and a Discord gateway that keeps closing:
//! the real binary against the fakes. What customers wrote meanwhile is stored once each, what
//! agents answered meanwhile is delivered once each, in order, after the outage — never lost,
//! never sent twice.

mod support;

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use support::discord::{FakeDiscord, start_switchboard};
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent, conversations, eventually, messages, sign_in};

const PASSWORD: &str = "correct horse battery";
const OUTAGE: Duration = Duration::from_secs(60);

async fn reply(http: &reqwest::Client, server: &Server, agent: &str, conversation: &Value, body: &str) {
    let answer = http
        .post(server.url(&format!("/api/v1/conversations/{}/messages", conversation["id"])))
        .bearer_auth(agent)
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201, "{body}");
}

/// Every conversation shows `inbound` customer messages and `replies` agent replies marked sent.
async fn settled(http: &reqwest::Client, server: &Server, agent: &str, inbound: usize, replies: usize) -> bool {
    for conversation in conversations(http, server, agent).await {
        let messages = messages(http, server, agent, &conversation["id"]).await;
        let customers = messages.iter().filter(|m| m["direction"] == "inbound").count();
        let sent = messages.iter().filter(|m| m["author"] == "agent" && m["delivery"] == "sent").count();
        if customers != inbound || sent != replies {
            return false;
        }
    }
    true
}

/// Per destination, the numbers of the "reply N" texts in the order they arrived.
fn replies_in_arrival_order(sent: impl Iterator<Item = (String, String)>) -> HashMap<String, Vec<u32>> {
    let mut order: HashMap<String, Vec<u32>> = HashMap::new();
    for (destination, text) in sent {
        if let Some(n) = text.strip_prefix("reply ").and_then(|n| n.parse().ok()) {
            order.entry(destination).or_default().push(n);
        }
    }
    order
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_refusing_every_call_for_a_minute_loses_nothing_and_sends_nothing_twice() {
    const CHATS: i64 = 8;
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = Server::start(
        dir.path(),
        &[("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN), ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str())],
    );
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    for chat in 0..CHATS {
        fake.push(text_update(3000 + chat, 3000 + chat, 1, "Hello, I have a question", "en"));
    }
    eventually("every chat acknowledged", Duration::from_secs(30), || async {
        fake.sent_count() >= CHATS as usize && conversations(&http, &server, &agent).await.len() == CHATS as usize
    })
    .await;

    // Telegram answers nothing but 429 and 502 for a minute. Agents answer every conversation
    // three times and every customer writes twice more, all during the outage.
    fake.outage(OUTAGE);
    let outage_ends = Instant::now() + OUTAGE;
    let mut last_update = 0;
    for conversation in conversations(&http, &server, &agent).await {
        for n in 1..=3 {
            reply(&http, &server, &agent, &conversation, &format!("reply {n}")).await;
        }
    }
    for chat in 0..CHATS {
        for n in 2..=3 {
            last_update = fake.push(text_update(3000 + chat, 3000 + chat, n, &format!("follow-up {n}"), "en"));
        }
    }

    eventually("everything through after the outage", OUTAGE + Duration::from_secs(150), || async {
        settled(&http, &server, &agent, 3, 3).await
    })
    .await;
    let settled_after = Instant::now().saturating_duration_since(outage_ends);
    let sent = fake.sent();
    let order = replies_in_arrival_order(
        sent.iter().map(|s| (s["chat_id"].to_string(), s["text"].as_str().unwrap_or_default().to_owned())),
    );
    assert_eq!(order.len(), CHATS as usize, "{order:?}");
    for (chat, numbers) in &order {
        assert_eq!(numbers, &[1, 2, 3], "chat {chat}: each reply once, in order");
    }
    let replies_at: Vec<Instant> = fake
        .arrivals()
        .into_iter()
        .zip(&sent)
        .filter(|(_, s)| s["text"].as_str().is_some_and(|t| t.starts_with("reply ")))
        .map(|((_, _, at), _)| at)
        .collect();
    assert!(replies_at.iter().all(|at| *at >= outage_ends), "a reply got through the outage");
    assert!(fake.confirmed() > last_update, "every update confirmed");
    let (throttled, failed) = fake.outage_refused();
    assert!(throttled > 0 && failed > 0, "the outage was felt: {throttled} 429s, {failed} 502s");
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    eprintln!(
        "telegram outage: {throttled} calls answered 429 and {failed} answered 502 in {OUTAGE:?}; {} replies and {} \
         updates queued meanwhile all through {settled_after:?} after it ended",
        CHATS * 3,
        CHATS * 2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_refusing_every_call_for_a_minute_loses_nothing_and_sends_nothing_twice() {
    const DMS: u64 = 6;
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start_switchboard(dir.path(), &fake, &[]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    for dm in 0..DMS {
        fake.customer_message(6200 + dm, None, 7200 + dm, &format!("Kim{dm}"), "Hello, I have a question");
    }
    eventually("every DM acknowledged", Duration::from_secs(30), || async {
        fake.sent().len() >= DMS as usize && conversations(&http, &server, &agent).await.len() == DMS as usize
    })
    .await;

    fake.outage(OUTAGE);
    let outage_ends = Instant::now() + OUTAGE;
    for conversation in conversations(&http, &server, &agent).await {
        for n in 1..=3 {
            reply(&http, &server, &agent, &conversation, &format!("reply {n}")).await;
        }
    }
    for dm in 0..DMS {
        for n in 2..=3 {
            fake.customer_message(6200 + dm, None, 7200 + dm, &format!("Kim{dm}"), &format!("follow-up {n}"));
        }
    }

    eventually("everything through after the outage", OUTAGE + Duration::from_secs(150), || async {
        settled(&http, &server, &agent, 3, 3).await
    })
    .await;
    let settled_after = Instant::now().saturating_duration_since(outage_ends);
    assert!(Instant::now() >= outage_ends, "replies were recorded sent during the outage");
    let order = replies_in_arrival_order(
        fake.sent().into_iter().map(|(channel, p)| (channel, p["content"].as_str().unwrap_or_default().to_owned())),
    );
    assert_eq!(order.len(), DMS as usize, "{order:?}");
    for (channel, numbers) in &order {
        assert_eq!(numbers, &[1, 2, 3], "channel {channel}: each reply once, in order");
    }
    let (throttled, failed) = fake.outage_refused();
    assert!(throttled > 0 && failed > 0, "the outage was felt: {throttled} 429s, {failed} 502s");
    eprintln!(
        "discord outage: {throttled} calls answered 429 and {failed} answered 502 in {OUTAGE:?}; {} replies queued \
         meanwhile all through {settled_after:?} after it ended",
        DMS * 3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_gateway_that_keeps_closing_loses_and_repeats_no_message() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start_switchboard(dir.path(), &fake, &[]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let dm = 6300;
    fake.customer_message(dm, None, 7300, "Noa", "message 0");
    eventually("the first message", Duration::from_secs(20), || async {
        conversations(&http, &server, &agent).await.len() == 1
    })
    .await;

    // Unknown error, rate limited, session timed out (not resumable), invalid sequence (not
    // resumable), going away, a dropped socket: twice over, a message sent right after each.
    let closes = [4000, 4008, 4009, 1001, 4007, 0];
    let mut sent = 0;
    for round in 0..2 {
        for code in closes {
            let connections = fake.identifies() + fake.resumes();
            if code == 0 {
                fake.drop_connection();
            } else {
                fake.close_with(code);
            }
            sent += 1;
            fake.customer_message(dm, None, 7300, "Noa", &format!("message {sent}"));
            eventually(&format!("round {round}: back after {code}"), Duration::from_secs(60), || async {
                fake.identifies() + fake.resumes() > connections
            })
            .await;
        }
    }
    let expected: Vec<String> = (0..=sent).map(|i| format!("message {i}")).collect();
    eventually("every message once, in order", Duration::from_secs(60), || async {
        let list = conversations(&http, &server, &agent).await;
        let [conversation] = list.as_slice() else { return false };
        let bodies: Vec<String> = messages(&http, &server, &agent, &conversation["id"])
            .await
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        assert!(bodies.len() <= expected.len(), "a message stored twice: {bodies:?}");
        bodies == expected
    })
    .await;
    let unique: HashSet<&String> = expected.iter().collect();
    assert_eq!(unique.len(), sent + 1);
    eprintln!(
        "discord gateway closed {} times: {} identifies, {} resumes, {} messages stored once each",
        closes.len() * 2,
        fake.identifies(),
        fake.resumes(),
        sent + 1
    );
}
