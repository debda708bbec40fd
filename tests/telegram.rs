//! The Telegram channel end to end: the real binary against a fake Bot API.

mod support;

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent, eventually, sign_in};

const PASSWORD: &str = "correct horse battery";

fn start(dir: &std::path::Path, fake: &FakeTelegram, extra: &[(&str, &str)]) -> Server {
    let mut env = vec![("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN), ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str())];
    env.extend_from_slice(extra);
    Server::start(dir, &env)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_is_acknowledged_in_their_language_and_an_agent_reply_reaches_the_topic() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);

    let update = fake.push(text_update(777, 777, 31, "我的充值还没有到账 <b>急</b>", "zh-hans"));
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    let ack = &fake.sent()[0];
    assert_eq!(ack["chat_id"], 777);
    assert_eq!(ack["parse_mode"], "HTML");
    assert_eq!(ack["reply_parameters"]["message_id"], 31);
    assert!(ack["text"].as_str().unwrap().starts_with("我们已收到您的消息"), "{ack}");
    eventually("the update confirmed", Duration::from_secs(15), || async { fake.confirmed() > update }).await;
    // The customer corrects the message: agents see the new text (the earlier one is kept).
    fake.push(json!({"edited_message": {
        "message_id": 31, "date": 1_700_000_000, "edit_date": 1_700_000_100, "text": "我的充值还没有到账，金额 500 USDT",
        "from": {"id": 777, "is_bot": false, "first_name": "Customer", "language_code": "zh-hans"},
        "chat": {"id": 777, "type": "private", "first_name": "Customer"}
    }}));
    // The command menu, in English and in Chinese.
    eventually("the command menus", Duration::from_secs(15), || async { fake.commands().len() >= 2 }).await;
    let commands = fake.commands();
    let zh = commands.iter().find(|(language, _)| language.as_deref() == Some("zh")).expect("Chinese commands");
    assert!(zh.1.as_array().unwrap().iter().any(|c| c["command"] == "human" && c["description"] == "转人工客服"));
    assert!(commands.iter().any(|(language, list)| language.is_none() && list.as_array().unwrap().len() == 9));

    // A forum topic in a group, addressed to the bot: the reply goes back into the topic.
    fake.push(json!({
        "message": {
            "message_id": 90, "date": 1_700_000_000, "text": "@support_bot withdrawal stuck", "message_thread_id": 9,
            "is_topic_message": true, "from": {"id": 555, "is_bot": false, "first_name": "Lee", "language_code": "en"},
            "chat": {"id": -1009, "type": "supergroup", "title": "Help", "is_forum": true}
        }
    }));
    eventually("the group acknowledgement", Duration::from_secs(15), || async { fake.sent().len() >= 2 }).await;
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list: Value = support::get_json(&http, &server, "/api/v1/conversations?channel=telegram", &agent).await;
    let topic = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Lee").unwrap();
    let private = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] != "Lee").unwrap();
    let path = format!("/api/v1/conversations/{}", private["id"]);
    eventually("the edit", Duration::from_secs(15), || async {
        let shown = support::get_json(&http, &server, &path, &agent).await;
        shown["messages"][0]["body"] == "我的充值还没有到账，金额 500 USDT"
            && shown["messages"][0]["edited_at"].is_string()
    })
    .await;
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{}/messages", topic["id"])))
        .bearer_auth(&agent)
        .json(&json!({"body": "Looking at it <now> & soon"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    eventually("the agent's reply", Duration::from_secs(15), || async { fake.sent().len() >= 3 }).await;
    let sent = &fake.sent()[2];
    assert_eq!((sent["chat_id"].as_i64(), sent["message_thread_id"].as_i64()), (Some(-1009), Some(9)));
    assert_eq!(sent["text"], "Looking at it &lt;now&gt; &amp; soon");
}

/// Registering the command menu is not in the way of customers: while `setMyCommands` hangs,
/// messages are answered; once it answers, the menu is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_answered_while_the_command_menu_waits_on_telegram() {
    let fake = FakeTelegram::start().await;
    fake.hold_commands();
    let dir = tempfile::tempdir().unwrap();
    let _server = start(dir.path(), &fake, &[]);
    fake.push(text_update(778, 778, 1, "where is my deposit", "en"));
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    assert!(fake.commands().is_empty());
    fake.answer_commands();
    eventually("the command menus", Duration::from_secs(15), || async { fake.commands().len() >= 2 }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_with_429s_and_5xx_is_delivered_once_each_in_order_per_chat() {
    let fake = FakeTelegram::start().await;
    fake.throttle_every(7);
    // teloxide waits 10 s after a 5xx before reporting it, so a few are enough.
    fake.fail_every(29);
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &fake, &[("SWITCHBOARD_THROTTLE_TELEGRAM_PER_DESTINATION", "100/s")]);
    // 20 chats × 10 commands; each /status is answered.
    for round in 0..10 {
        for chat in 0..20 {
            fake.push(text_update(1000 + chat, 1000 + chat, 100 + round, "/status", "en"));
        }
    }
    eventually("200 answers", Duration::from_secs(120), || async { fake.sent().len() >= 200 }).await;
    let sent = fake.sent();
    assert_eq!(sent.len(), 200, "nothing twice");
    let answered: HashSet<(i64, i64)> = sent
        .iter()
        .map(|s| (s["chat_id"].as_i64().unwrap(), s["reply_parameters"]["message_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(answered.len(), 200, "every message answered once");
    let mut per_chat: HashMap<i64, Vec<i64>> = HashMap::new();
    for s in &sent {
        per_chat
            .entry(s["chat_id"].as_i64().unwrap())
            .or_default()
            .push(s["reply_parameters"]["message_id"].as_i64().unwrap());
    }
    for (chat, order) in per_chat {
        assert!(order.windows(2).all(|w| w[0] < w[1]), "chat {chat} out of order: {order:?}");
    }
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_stops_the_start_with_a_clear_error_and_no_token_in_it() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
        .env("SWITCHBOARD_TELEGRAM_TOKEN", "999:wrong-secret-token")
        .env("SWITCHBOARD_TELEGRAM_API_URL", &fake.url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_TELEGRAM_TOKEN"), "{stderr}");
    assert!(!stderr.contains("wrong-secret-token"), "the token leaked: {stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_is_kept_as_an_attachment_and_an_oversized_file_is_refused_in_the_customers_language() {
    let fake = FakeTelegram::start().await;
    let photo: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    fake.add_file("photo-big", photo.clone());
    fake.add_file("huge-doc", vec![1; 10]);
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[("SWITCHBOARD_ATTACHMENT_MAX_MB", "1")]);
    let from = json!({"id": 321, "is_bot": false, "first_name": "Mia", "language_code": "zh"});
    let chat = json!({"id": 321, "type": "private", "first_name": "Mia"});
    fake.push(json!({"message": {
        "message_id": 1, "date": 1_700_000_000, "from": from, "chat": chat,
        "photo": [
            {"file_id": "photo-small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 900},
            {"file_id": "photo-big", "file_unique_id": "b", "width": 800, "height": 800, "file_size": 50000}
        ]
    }}));
    fake.push(json!({"message": {
        "message_id": 2, "date": 1_700_000_000, "from": from, "chat": chat, "caption": "the contract",
        "document": {"file_id": "huge-doc", "file_unique_id": "h", "file_name": "contract.pdf", "mime_type": "application/pdf", "file_size": 5_000_000}
    }}));
    eventually("the size notice", Duration::from_secs(15), || async {
        fake.sent()
            .iter()
            .any(|m| m["text"].as_str().unwrap_or_default().starts_with("我们无法保存 contract.pdf：文件最大为 1 MB"))
    })
    .await;
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let shown = support::get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    let first = &shown["messages"][0];
    assert_eq!(first["body"], "[photo]");
    let attachment = &first["attachments"][0];
    assert_eq!((attachment["content_type"].as_str(), attachment["size"].as_i64()), (Some("image/jpeg"), Some(50_000)));
    let bytes = support::download(&http, &server, &agent, attachment["url"].as_str().unwrap()).await;
    assert_eq!(bytes, photo, "the largest size, byte for byte");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_checks_the_secret_and_answers_only_when_the_update_is_stored() {
    let fake = FakeTelegram::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let hook = format!("http://127.0.0.1:{port}/telegram/hook");
    let secret = "a-secret-of-twenty-chars";
    let listen = format!("127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        dir.path(),
        &fake,
        &[
            ("SWITCHBOARD_LISTEN", &listen),
            ("SWITCHBOARD_TELEGRAM_WEBHOOK_URL", &hook),
            ("SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET", secret),
        ],
    );
    assert_eq!(fake.webhook(), Some((hook.clone(), secret.to_owned())));
    let http = support::client();
    let update = json!({"update_id": 1, "message": {
        "message_id": 7, "date": 1_700_000_000, "text": "hello from the webhook",
        "from": {"id": 88, "is_bot": false, "first_name": "Wu", "language_code": "en"},
        "chat": {"id": 88, "type": "private", "first_name": "Wu"}
    }});
    let post = |secret: Option<&str>, body: String| {
        let mut request = http.post(&hook).header("content-type", "application/json").body(body);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request.send()
    };
    assert_eq!(post(None, update.to_string()).await.unwrap().status(), 401);
    assert_eq!(post(Some("a-wrong-secret-of-twenty"), update.to_string()).await.unwrap().status(), 401);
    assert!(fake.sent().is_empty(), "nothing taken without the secret");
    assert_eq!(post(Some(secret), "{not json".into()).await.unwrap().status(), 400);
    assert_eq!(post(Some(secret), update.to_string()).await.unwrap().status(), 200);
    // Telegram redelivers when unsure: stored once, answered once.
    assert_eq!(post(Some(secret), update.to_string()).await.unwrap().status(), 200);
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    assert_eq!(fake.sent()[0]["chat_id"], 88);
    let _ = server.url("/");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.sent().len(), 1, "a redelivered update is not answered twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configured_pace_keeps_within_telegrams_limits() {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits();
    let dir = tempfile::tempdir().unwrap();
    let _server = start(dir.path(), &fake, &[]);
    for round in 0..3 {
        for chat in 0..20 {
            fake.push(text_update(3000 + chat, 3000 + chat, 10 + round, "/status", "en"));
        }
    }
    eventually("60 answers", Duration::from_secs(30), || async { fake.sent().len() >= 60 }).await;
    assert_eq!(fake.too_many(), 0, "the outbox paced itself below the limits");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_blocked_the_bot_is_marked_unreachable_until_they_write_again() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    fake.push(text_update(901, 901, 1, "hello", "en"));
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    fake.block(901);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let (id, contact) =
        (list["conversations"][0]["id"].as_i64().unwrap(), list["conversations"][0]["contact"]["id"].as_i64().unwrap());
    http.post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "are you there?"}))
        .send()
        .await
        .unwrap();
    let path = format!("/api/v1/conversations/{id}");
    eventually("the failure with its reason", Duration::from_secs(15), || async {
        let shown = support::get_json(&http, &server, &path, &agent).await;
        shown["messages"].as_array().unwrap().iter().any(|m| {
            m["body"] == "are you there?"
                && m["delivery"] == "failed"
                && m["delivery_error"].as_str().unwrap_or_default().contains("blocked")
        })
    })
    .await;
    let contact_path = format!("/api/v1/contacts/{contact}");
    let shown = support::get_json(&http, &server, &contact_path, &agent).await;
    assert_eq!(shown["identities"][0]["unreachable"], true);
    assert!(!serde_json::to_string(&shown).unwrap().contains(TOKEN), "no token in what agents see");

    fake.push(text_update(901, 901, 2, "sorry, I unblocked you", "en"));
    eventually("reachable again", Duration::from_secs(15), || async {
        support::get_json(&http, &server, &contact_path, &agent).await["identities"][0]["unreachable"] == false
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pressed_button_reaches_agents_as_its_label_and_the_press_is_answered() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    let from = json!({"id": 321, "is_bot": false, "first_name": "Mei", "language_code": "en"});
    let chat = json!({"id": 321, "type": "private", "first_name": "Mei"});
    fake.push(json!({"callback_query": {
        "id": "4382bfdwdsb323b2d9", "from": from, "chat_instance": "-1234", "data": "csat:5",
        "message": {
            "message_id": 12, "date": 1_700_000_000, "text": "How did we do?", "chat": chat,
            "from": {"id": support::telegram::BOT_ID, "is_bot": true, "first_name": "Support", "username": "support_bot"},
            "reply_markup": {"inline_keyboard": [[
                {"text": "Poor", "callback_data": "csat:1"}, {"text": "Great", "callback_data": "csat:5"}
            ]]}
        }
    }}));
    eventually("the press answered", Duration::from_secs(15), || async { fake.answered() == ["4382bfdwdsb323b2d9"] })
        .await;
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations?channel=telegram", &agent).await;
    let conversation = &list["conversations"][0];
    assert_eq!(conversation["contact"]["name"], "Mei");
    let shown =
        support::get_json(&http, &server, &format!("/api/v1/conversations/{}", conversation["id"]), &agent).await;
    assert_eq!(shown["messages"][0]["body"], "Great");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_flood_loses_nothing_and_stores_nothing_twice() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    // Telegram's real pace (1/s per chat): answers are still queued when the process dies.
    let server = start(dir.path(), &fake, &[]);
    const CHATS: i64 = 20;
    for round in 0..10 {
        for chat in 0..CHATS {
            fake.push(text_update(2000 + chat, 2000 + chat, 100 + round, &format!("/status {round}"), "en"));
        }
    }
    eventually("traffic before the kill", Duration::from_secs(60), || async { fake.sent_count() >= 40 }).await;
    server.kill9();
    let before_restart = fake.sent_count();
    assert!(before_restart < 200, "the kill came too late to prove anything");

    let server = start(dir.path(), &fake, &[]);
    let answered = || {
        fake.sent()
            .iter()
            .map(|s| (s["chat_id"].as_i64().unwrap(), s["reply_parameters"]["message_id"].as_i64().unwrap()))
            .collect::<Vec<_>>()
    };
    eventually("every update answered", Duration::from_secs(90), || async {
        answered().into_iter().collect::<HashSet<_>>().len() == 200
    })
    .await;
    let all = answered();
    // Telegram has no idempotency key: a send that reached it in the instant before the kill,
    // whose success was not yet recorded, is sent again. Each chat has at most one send in flight.
    assert!(all.len() - 200 <= CHATS as usize, "{} repeated answers", all.len() - 200);

    let db = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    let store = switchboard_core::store::Store::connect(&db).await.unwrap();
    let mut inbound = Vec::new();
    for contact in 1..=CHATS * 2 {
        let messages = store.contact_messages(contact, 0).await.unwrap();
        inbound.extend(
            messages
                .into_iter()
                .filter(|m| m.direction == switchboard_core::model::Direction::Inbound)
                .map(|m| (m.contact_id, m.body)),
        );
    }
    assert_eq!(inbound.len(), 200, "every update stored once");
    assert_eq!(inbound.iter().collect::<HashSet<_>>().len(), 200);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_files_reach_the_chat_as_a_photo_and_a_document() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    fake.push(text_update(654, 654, 3, "where is my statement?", "en"));
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations?channel=telegram", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();

    // The photo is refused once: the retry sends it, not the text again.
    fake.refuse_next_file();
    let png = b"\x89PNG\r\n\x1a\n-not-really-pixels".to_vec();
    let files: &[(&str, &str, &[u8])] =
        &[("receipt.png", "image/png", &png), ("statement.pdf", "application/pdf", b"%PDF-1.7")];
    let response = support::post_files(&http, &server, &agent, id, "Here is your statement", files).await;
    assert_eq!(response.status(), 201);
    let posted: Value = response.json().await.unwrap();
    let attachments = posted["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2, "{posted}");
    let download =
        http.get(server.url(attachments[0]["url"].as_str().unwrap())).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(download.bytes().await.unwrap().to_vec(), png, "agents can open what they sent");

    eventually("the files", Duration::from_secs(15), || async { fake.files_sent().len() == 2 }).await;
    let files = fake.files_sent();
    assert_eq!(files[0].0, "sendphoto");
    assert_eq!((files[0].1["chat_id"].as_i64(), &files[0].1["photo"]["filename"]), (Some(654), &json!("receipt.png")));
    assert_eq!(files[1].0, "senddocument");
    assert_eq!(files[1].1["document"]["filename"], "statement.pdf");
    assert_eq!(fake.sent().iter().filter(|m| m["text"] == "Here is your statement").count(), 1, "the text, once");

    // A file without a body is a reply on its own.
    let response =
        support::post_files(&http, &server, &agent, id, "", &[("export.csv", "text/csv", b"a,b\n1,2\n")]).await;
    assert_eq!(response.status(), 201);
    eventually("the third file", Duration::from_secs(15), || async { fake.files_sent().len() == 3 }).await;
    assert_eq!(fake.files_sent()[2].1["document"]["filename"], "export.csv");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offered_buttons_survive_a_restart_and_arrive_as_an_inline_keyboard() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &fake, &[]);
    fake.push(text_update(808, 808, 4, "done, thanks", "en"));
    eventually("the acknowledgement", Duration::from_secs(15), || async { !fake.sent().is_empty() }).await;
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations?channel=telegram", &agent).await;
    let path = format!("/api/v1/conversations/{}/messages", list["conversations"][0]["id"]);
    let buttons = json!([{"id": "csat:1", "label": "Poor"}, {"id": "csat:5", "label": "Great"}]);

    let note = json!({"body": "internal", "private": true, "buttons": buttons});
    let refused = http.post(server.url(&path)).bearer_auth(&agent).json(&note).send().await.unwrap();
    assert_eq!(refused.status(), 422);

    // Telegram refuses every send for now: the reply waits in the outbox when the process dies.
    fake.throttle_every(1);
    let reply = json!({"body": "How did we do?", "buttons": buttons});
    let posted = http.post(server.url(&path)).bearer_auth(&agent).json(&reply).send().await.unwrap();
    assert_eq!(posted.status(), 201);
    eventually("the refused attempt", Duration::from_secs(15), || async { fake.too_many() >= 1 }).await;
    server.kill9();
    fake.throttle_every(usize::MAX);

    let _server = start(dir.path(), &fake, &[]);
    eventually("the reply after the restart", Duration::from_secs(15), || async {
        fake.sent().iter().any(|m| m["text"] == "How did we do?")
    })
    .await;
    let sent = fake.sent().into_iter().find(|m| m["text"] == "How did we do?").unwrap();
    assert_eq!(
        sent["reply_markup"]["inline_keyboard"],
        json!([[{"text": "Poor", "callback_data": "csat:1"}, {"text": "Great", "callback_data": "csat:5"}]])
    );
}
