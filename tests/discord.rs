//! The Discord channel end to end: the real binary against a fake Discord (REST + gateway).

mod support;

use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use support::discord::{FakeDiscord, GUILD_ID, SUPPORT_CHANNEL, TOKEN, start_switchboard as start};
use support::{add_agent, eventually, get_json, sign_in};

const PASSWORD: &str = "correct horse battery";

fn sent_to(fake: &FakeDiscord, channel: u64) -> Vec<Value> {
    fake.sent().into_iter().filter(|(c, _)| *c == channel.to_string()).map(|(_, p)| p).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_is_acknowledged_in_the_customers_language_and_slash_commands_answer_privately() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let _server = start(dir.path(), &fake, &[]);
    // Slash commands registered, described in Chinese too.
    let commands = fake.commands().expect("commands registered before the gateway reports ready");
    let verify = commands.as_array().unwrap().iter().find(|c| c["name"] == "verify").expect("/verify");
    assert_eq!(verify["options"][0]["name"], "handle");
    assert!(!verify["description_localizations"]["zh-CN"].as_str().unwrap().is_empty(), "{verify}");
    assert_eq!(verify["name_localizations"]["zh-CN"], "核实");
    let names: Vec<&str> = commands.as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["start", "help", "status", "human", "lang", "verify", "link", "complaint", "stop"]);

    let dm = 6001;
    let message = fake.customer_message(dm, None, 7001, "Lin", "我的充值还没有到账 **急**");
    eventually("the acknowledgement", Duration::from_secs(20), || async { !sent_to(&fake, dm).is_empty() }).await;
    let ack = &sent_to(&fake, dm)[0];
    assert!(ack["content"].as_str().unwrap().starts_with("我们已收到您的消息"), "{ack}");
    assert_eq!(ack["message_reference"]["message_id"], message.to_string());
    assert_eq!(ack["allowed_mentions"]["parse"], json!([]));

    // /verify from the same DM: deferred at once, answered only to the person who asked.
    let interaction = fake.slash_command(dm, 7001, "verify", &[("handle", "@support_team")], "zh-CN");
    eventually("the private answer", Duration::from_secs(20), || async { !fake.followups().is_empty() }).await;
    let callbacks = fake.callbacks();
    assert_eq!(callbacks[0].0, interaction.to_string());
    assert_eq!(callbacks[0].1["type"], 5);
    let (token, answer) = &fake.followups()[0];
    assert_eq!(token, &format!("interaction-token-{interaction}"));
    assert_eq!(answer["flags"], 64);
    assert!(answer["content"].as_str().unwrap().contains("support"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_support_channel_message_opens_a_thread_and_the_agents_reply_lands_in_it() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    let first = fake.customer_message(SUPPORT_CHANNEL, Some(GUILD_ID), 7002, "Sam", "withdrawal stuck since yesterday");
    eventually("a ticket thread", Duration::from_secs(20), || async { !fake.threads().is_empty() }).await;
    let (parent, on, thread) = fake.threads()[0].clone();
    assert_eq!((parent, on), (SUPPORT_CHANNEL.to_string(), first.to_string()));
    let thread: u64 = thread.parse().unwrap();
    eventually("the acknowledgement in the thread", Duration::from_secs(20), || async {
        !sent_to(&fake, thread).is_empty()
    })
    .await;
    assert!(sent_to(&fake, SUPPORT_CHANNEL).is_empty(), "nothing is answered in the public channel");

    // The customer writes again in the channel and in the thread: the same ticket, one thread.
    fake.customer_message(SUPPORT_CHANNEL, Some(GUILD_ID), 7002, "Sam", "tx hash is 0xabc");
    fake.customer_message(thread, Some(GUILD_ID), 7002, "Sam", "any update?");
    let list = loop {
        let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
        let conversations = list["conversations"].as_array().unwrap().clone();
        if let Some(c) = conversations.first() {
            let messages = get_json(&http, &server, &format!("/api/v1/conversations/{}", c["id"]), &agent).await;
            if messages["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "inbound").count() == 3 {
                break conversations;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(list.len(), 1);
    assert_eq!(fake.threads().len(), 1);

    let id = &list[0]["id"];
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Found it: sent to *your* wallet @everyone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    eventually("the agent's reply in the thread", Duration::from_secs(20), || async {
        sent_to(&fake, thread).iter().any(|p| p["content"].as_str().unwrap_or("").starts_with("Found it"))
    })
    .await;
    let answer =
        sent_to(&fake, thread).into_iter().find(|p| p["content"].as_str().unwrap().starts_with("Found it")).unwrap();
    // The agent's Markdown as Discord's; the mention stays text.
    assert_eq!(answer["content"], "Found it: sent to *your* wallet \\@everyone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_and_a_fresh_session_lose_no_message() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let dm = 6100;
    fake.customer_message(dm, None, 7100, "Kim", "message 1");
    eventually("the acknowledgement", Duration::from_secs(20), || async { !sent_to(&fake, dm).is_empty() }).await;

    // Op 7: reconnect and resume; a message sent meanwhile is replayed.
    fake.force_reconnect();
    fake.customer_message(dm, None, 7100, "Kim", "message 2");
    eventually("a resume", Duration::from_secs(20), || async { fake.resumes() >= 1 }).await;

    // Op 9 with a gap: the messages of the gap are never dispatched; the next session reads
    // them back from the channel.
    fake.mute(true);
    fake.customer_message(dm, None, 7100, "Kim", "message 3");
    fake.customer_message(dm, None, 7100, "Kim", "message 4");
    fake.invalidate_session();
    eventually("a fresh session", Duration::from_secs(30), || async { fake.identifies() >= 2 }).await;
    fake.mute(false);
    fake.customer_message(dm, None, 7100, "Kim", "message 5");
    eventually("message 5 stored", Duration::from_secs(30), || async {
        let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
        let Some(c) = list["conversations"].as_array().unwrap().first().cloned() else { return false };
        let thread = get_json(&http, &server, &format!("/api/v1/conversations/{}", c["id"]), &agent).await;
        thread["messages"].as_array().unwrap().iter().any(|m| m["body"] == "message 5")
    })
    .await;

    // A socket dropped without a word: serenity reconnects and resumes; the message sent
    // meanwhile is replayed.
    let before = fake.resumes() + fake.identifies();
    fake.drop_connection();
    fake.customer_message(dm, None, 7100, "Kim", "message 6");
    eventually("a new connection", Duration::from_secs(30), || async { fake.resumes() + fake.identifies() > before })
        .await;

    eventually("all six messages", Duration::from_secs(30), || async {
        let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
        let Some(c) = list["conversations"].as_array().unwrap().first().cloned() else { return false };
        let thread = get_json(&http, &server, &format!("/api/v1/conversations/{}", c["id"]), &agent).await;
        let bodies: Vec<String> = thread["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        bodies == (1..=6).map(|i| format!("message {i}")).collect::<Vec<_>>()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_against_the_limits_is_delivered_completely_in_order_once() {
    let fake = FakeDiscord::start().await;
    // Stricter than the gateway's own pacing, and without the headers that would have warned:
    // the fake answers 429 and the outbox must wait.
    fake.limit_silently(3, Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &fake, &[("SWITCHBOARD_THROTTLE_DISCORD_PER_DESTINATION", "100/s")]);
    let mut asked: HashMap<u64, Vec<u64>> = HashMap::new();
    for round in 0..8 {
        for chat in 0..10u64 {
            let dm = 6200 + chat;
            let id = fake.customer_message(dm, None, 7200 + chat, "Flood", &format!("/status {round}"));
            asked.entry(dm).or_default().push(id);
        }
    }
    eventually("every answer", Duration::from_secs(60), || async { fake.sent().len() >= 80 }).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.sent().len(), 80, "each answered once");
    assert!(fake.too_many() > 0, "the fake's limit was hit");
    for (dm, ids) in asked {
        let answered: Vec<String> = sent_to(&fake, dm)
            .iter()
            .map(|p| p["message_reference"]["message_id"].as_str().unwrap().to_owned())
            .collect();
        let expected: Vec<String> = ids.iter().map(u64::to_string).collect();
        assert_eq!(answered, expected, "answers in order in {dm}");
    }
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_content_intent_stops_the_start_with_a_clear_reason() {
    let fake = FakeDiscord::start().await;
    fake.refuse_message_content();
    let dir = tempfile::tempdir().unwrap();
    let output = tokio::task::spawn_blocking({
        let (url, dir) = (fake.url.clone(), dir.path().to_owned());
        move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
                .arg("serve")
                .current_dir(&dir)
                .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
                .env("SWITCHBOARD_DATABASE_URL", format!("sqlite://{}", dir.join("db.sqlite").display()))
                .env("SWITCHBOARD_DATA_DIR", dir.join("data"))
                .env("SWITCHBOARD_DISCORD_TOKEN", TOKEN)
                .env("SWITCHBOARD_DISCORD_API_URL", url)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("4014") && stderr.contains("Message Content"), "{stderr}");
    assert!(!stderr.contains(TOKEN), "the token is never printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_buttons_and_closed_dms() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let health: Value = http.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["channels"]["discord"], "connected");

    // A customer's screenshot is fetched and kept.
    let dm = 6300;
    fake.customer_message(dm, None, 7300, "Ana", "here is the error");
    fake.customer_file(dm, 7300, "error.png", "image/png", b"\x89PNG fake");
    let id = loop {
        let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
        if let Some(c) = list["conversations"].as_array().unwrap().first() {
            let thread = get_json(&http, &server, &format!("/api/v1/conversations/{}", c["id"]), &agent).await;
            let files = thread["messages"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|m| m["attachments"].as_array().cloned().unwrap_or_default())
                .count();
            if files == 1 {
                break c["id"].as_i64().unwrap();
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    // An agent's reply with choices and a file.
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Which network did you use?", "buttons": [{"id": "net-eth", "label": "Ethereum"}, {"id": "net-tron", "label": "TRON"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let files: &[(&str, &str, &[u8])] = &[("guide.pdf", "application/pdf", b"%PDF guide")];
    assert_eq!(support::post_files(&http, &server, &agent, id, "The guide", files).await.status(), 201);
    eventually("the buttons and the file", Duration::from_secs(20), || async {
        let sent = sent_to(&fake, dm);
        sent.iter().any(|p| p["components"].is_array()) && sent.iter().any(|p| p["uploaded"] == json!(["guide.pdf"]))
    })
    .await;

    // The customer presses "TRON": stored as their answer, the press acknowledged.
    let press = fake.press_button(dm, 7300, "net-tron");
    eventually("the choice stored", Duration::from_secs(20), || async {
        let thread = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
        thread["messages"].as_array().unwrap().iter().any(|m| m["direction"] == "inbound" && m["body"] == "TRON")
    })
    .await;
    assert!(fake.callbacks().iter().any(|(i, body)| *i == press.to_string() && body["type"] == 6));

    // The customer closes their DMs: the reply fails for good and agents are told.
    fake.forbid(dm);
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Are you still there?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    eventually("the failure shown to agents", Duration::from_secs(20), || async {
        let thread = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
        let messages = thread["messages"].as_array().unwrap();
        messages.iter().any(|m| m["body"] == "Are you still there?" && m["delivery"] == "failed")
            && messages.iter().any(|m| m["direction"] == "system" || m["direction"] == "note")
    })
    .await;
}

/// Discord's buckets are fixed windows from their first request, and Discord says in every
/// answer what is left of the window: a burst of replies follows those headers and provokes no
/// 429, even where the outbox's own pace (a refilling bucket) would have run ahead of the window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_fifty_replies_follows_discords_headers_without_a_429() {
    let fake = FakeDiscord::start().await;
    fake.limit(5, Duration::from_secs(1));
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[("SWITCHBOARD_THROTTLE_DISCORD_PER_DESTINATION", "5/s")]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let dm = 6900;
    fake.customer_message(dm, None, 7900, "Burst", "my withdrawal is stuck");
    eventually("the acknowledgement", Duration::from_secs(20), || async { !sent_to(&fake, dm).is_empty() }).await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let id = list["conversations"][0]["id"].clone();
    for n in 0..50 {
        let reply = http
            .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
            .bearer_auth(&agent)
            .json(&json!({"body": format!("reply {n}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 201);
    }
    eventually("every reply", Duration::from_secs(60), || async { sent_to(&fake, dm).len() >= 51 }).await;
    let replies: Vec<String> =
        sent_to(&fake, dm).iter().skip(1).map(|p| p["content"].as_str().unwrap().to_owned()).collect();
    let expected: Vec<String> = (0..50).map(|n| format!("reply {n}")).collect();
    assert_eq!(replies, expected, "each once, in order");
    assert_eq!(fake.too_many(), 0, "no 429 provoked");
    drop(server);
}
