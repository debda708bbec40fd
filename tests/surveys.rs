//! The satisfaction survey end to end, on every channel, with the real binary: asked a moment
//! after an agent resolves (`SWITCHBOARD_CSAT_DELAY=1s`), as an inline keyboard on Telegram
//! (the fake Bot API), buttons on Discord (the fake gateway), buttons in the web chat, and
//! signed links in mail (real Dovecot), where opening a link records nothing and only the
//! confirmation page's button does.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, eventually, get_json, poll, sign_in};

const PASSWORD: &str = "correct horse battery";
const QUICK: (&str, &str) = ("SWITCHBOARD_CSAT_DELAY", "1s");
const WAIT: Duration = Duration::from_secs(20);

async fn reply_and_resolve(http: &reqwest::Client, server: &Server, agent: &str, id: i64) {
    let path = format!("/api/v1/conversations/{id}");
    let reply = json!({"body": "Your deposit arrived: it needed 12 confirmations."});
    let posted = http.post(server.url(&format!("{path}/messages"))).bearer_auth(agent).json(&reply).send().await;
    assert_eq!(posted.unwrap().status(), 201);
    let resolved = http.patch(server.url(&path)).bearer_auth(agent).json(&json!({"status": "resolved"})).send().await;
    assert!(resolved.unwrap().status().is_success());
}

async fn conversation(http: &reqwest::Client, server: &Server, agent: &str, id: i64) -> Value {
    get_json(http, server, &format!("/api/v1/conversations/{id}"), agent).await
}

/// The first conversation's id, once there is one.
async fn first_conversation(http: &reqwest::Client, server: &Server, agent: &str) -> i64 {
    poll("a conversation", WAIT, || async {
        get_json(http, server, "/api/v1/conversations?status=all", agent).await["conversations"][0]["id"].as_i64()
    })
    .await
}

/// Waits until the `n`-th survey of conversation `id` (from 0) is in `state`.
async fn survey_state(http: &reqwest::Client, server: &Server, agent: &str, id: i64, n: usize, state: &str) -> Value {
    poll(&format!("survey {n} {state}"), WAIT, || async {
        Some(conversation(http, server, agent, id).await["surveys"][n].clone()).filter(|s| s["state"] == state)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telegram_asks_with_an_inline_keyboard_keeps_the_press_and_comment_and_asks_again_after_a_reopening() {
    use support::telegram::{BOT_ID, FakeTelegram, TOKEN, text_update};
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let env = [("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN), ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str()), QUICK];
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    fake.push(text_update(321, 321, 1, "my deposit is late", "en"));
    let id = first_conversation(&http, &server, &agent).await;

    let press = |n: usize, data: &str| {
        let sent = fake.sent();
        let asked = sent.iter().filter(|m| m["reply_markup"]["inline_keyboard"].is_array()).nth(n).cloned().unwrap();
        let chat = json!({"id": 321, "type": "private", "first_name": "Mei"});
        json!({"callback_query": {
            "id": format!("press-{n}"), "chat_instance": "-1",
            "from": {"id": 321, "is_bot": false, "first_name": "Mei", "language_code": "en"}, "data": data,
            "message": {
                "message_id": 900 + n, "date": 1_700_000_000, "text": asked["text"], "chat": chat,
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Support", "username": "support_bot"},
                "reply_markup": asked["reply_markup"]
            }
        }})
    };
    let keyboards = || fake.sent().iter().filter(|m| m["reply_markup"]["inline_keyboard"].is_array()).count();

    reply_and_resolve(&http, &server, &agent, id).await;
    eventually("the survey's keyboard", WAIT, || async { keyboards() == 1 }).await;
    let asked = fake.sent().into_iter().find(|m| m["reply_markup"]["inline_keyboard"].is_array()).unwrap();
    let data: Vec<&str> = asked["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|b| b["callback_data"].as_str().unwrap())
        .collect();
    assert_eq!(data, ["csat:1", "csat:2", "csat:3", "csat:4", "csat:5"]);
    let reference = conversation(&http, &server, &agent, id).await["reference"].as_str().unwrap().to_owned();
    assert!(asked["text"].as_str().unwrap().contains(&reference), "{asked}");

    fake.push(press(0, "csat:4"));
    let rated = survey_state(&http, &server, &agent, id, 0, "rated").await;
    assert_eq!(rated["rating"], 4);
    assert!(fake.answered().contains(&"press-0".to_owned()), "the press is answered");
    fake.push(text_update(321, 321, 2, "quick and kind, thank you", "en"));
    eventually("the comment", WAIT, || async {
        conversation(&http, &server, &agent, id).await["surveys"][0]["comment"] == "quick and kind, thank you"
    })
    .await;
    assert_eq!(conversation(&http, &server, &agent, id).await["status"], "resolved");

    // A new question reopens it: a new cycle, asked again when resolved again.
    fake.push(text_update(321, 321, 3, "and how do I withdraw to my Ledger?", "en"));
    eventually("reopened", WAIT, || async { conversation(&http, &server, &agent, id).await["status"] == "open" }).await;
    reply_and_resolve(&http, &server, &agent, id).await;
    eventually("the second survey", WAIT, || async { keyboards() == 2 }).await;
    fake.push(press(1, "csat:2"));
    let rated = survey_state(&http, &server, &agent, id, 1, "rated").await;
    assert_eq!(rated["rating"], 2);
    // A low rating is raised to the team as a note.
    let shown = conversation(&http, &server, &agent, id).await;
    let notes: Vec<&Value> =
        shown["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "note").collect();
    assert!(notes.iter().any(|m| m["author"] == "system" && m["body"].as_str().unwrap().contains('2')), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_asks_with_buttons_and_a_customer_writing_first_cancels_the_survey() {
    use support::discord::{FakeDiscord, start_switchboard};
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    // Time enough for the customer to write before the survey is asked.
    let server = start_switchboard(dir.path(), &fake, &[("SWITCHBOARD_CSAT_DELAY", "5s")]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let dm = 6100;
    fake.customer_message(dm, None, 7100, "Ana", "my withdrawal is stuck");
    let id = first_conversation(&http, &server, &agent).await;
    let surveys_sent = || {
        fake.sent()
            .into_iter()
            .filter(|(c, p)| *c == dm.to_string() && p["components"][0]["components"][4]["custom_id"] == "csat:5")
            .count()
    };

    reply_and_resolve(&http, &server, &agent, id).await;
    eventually("the survey's buttons", WAIT, || async { surveys_sent() == 1 }).await;
    fake.press_button(dm, 7100, "csat:5");
    let rated = survey_state(&http, &server, &agent, id, 0, "rated").await;
    assert_eq!(rated["rating"], 5);
    assert_eq!(rated["channel"], "discord");

    // Their next message is the rating's comment; the one after, a new question, reopens it.
    // Resolved again, the customer writes before the survey's time: it is cancelled, never sent.
    fake.customer_message(dm, None, 7100, "Ana", "thanks, that was fast");
    survey_state(&http, &server, &agent, id, 0, "rated").await;
    poll("the comment", WAIT, || async {
        let survey = conversation(&http, &server, &agent, id).await["surveys"][0].clone();
        (survey["comment"] == "thanks, that was fast").then_some(())
    })
    .await;
    fake.customer_message(dm, None, 7100, "Ana", "one more thing: the fee?");
    eventually("reopened", WAIT, || async { conversation(&http, &server, &agent, id).await["status"] == "open" }).await;
    let path = format!("/api/v1/conversations/{id}");
    let resolved = http.patch(server.url(&path)).bearer_auth(&agent).json(&json!({"status": "resolved"})).send().await;
    assert!(resolved.unwrap().status().is_success());
    fake.customer_message(dm, None, 7100, "Ana", "wait, the fee was 2 USDT?");
    let cancelled = survey_state(&http, &server, &agent, id, 1, "cancelled").await;
    assert_eq!(cancelled["rating"], Value::Null);
    assert_eq!(surveys_sent(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_carries_signed_links_that_record_a_rating_only_when_confirmed_and_only_once() {
    use support::mail::{CUSTOMER, MailPeer, text};
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let mut env = peer.gateway_env();
    env.push((QUICK.0, QUICK.1.to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    peer.deliver(&format!(
        "From: Customer <{CUSTOMER}>\nTo: Support <support@support.test>\nSubject: Deposit missing\n\
         Message-ID: <s1@customer.test>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\n\nMy USDT deposit has not arrived.\n"
    ))
    .await;
    let id = first_conversation(&http, &server, &agent).await;
    reply_and_resolve(&http, &server, &agent, id).await;
    // The acknowledgement, the agent's reply, then the survey.
    let mails = peer.wait_for_mail(CUSTOMER, 3).await;
    let survey = text(mails.iter().find(|m| text(m).contains("/choice/")).expect("the survey's mail"));
    let link = |n: usize| -> String {
        let line = survey.lines().find(|l| l.starts_with(&format!("{n}. "))).unwrap_or_else(|| panic!("{survey}"));
        line.split_whitespace().find(|w| w.starts_with("http")).unwrap().to_owned()
    };
    assert!(link(4).starts_with(&server.url("/choice/")), "{survey}");

    // A mail scanner opens every link: nothing is recorded.
    for n in 1..=5 {
        let page = http.get(link(n)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("<form method=\"post\">"));
    }
    assert_eq!(conversation(&http, &server, &agent, id).await["surveys"][0]["state"], "asked");
    // A link altered or made up leads nowhere.
    let forged = link(4).replace("/choice/", "/choice/9").replacen(".3.", ".4.", 1);
    assert_eq!(http.post(&forged).send().await.unwrap().status(), 404);

    // The customer confirms four stars: recorded once; a second confirmation changes nothing.
    let done = http.post(link(4)).send().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("recorded"));
    let rated = survey_state(&http, &server, &agent, id, 0, "rated").await;
    assert_eq!((rated["rating"].clone(), rated["channel"].clone()), (json!(4), json!("email")));
    let again = http.post(link(1)).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("already"), "{again}");
    assert!(http.get(link(2)).send().await.unwrap().text().await.unwrap().contains("already"));
    assert_eq!(conversation(&http, &server, &agent, id).await["surveys"][0]["rating"], 4);
    assert_eq!(conversation(&http, &server, &agent, id).await["status"], "resolved");
    // Thanked by mail, in the ticket's thread.
    let thanks = peer.wait_for_mail(CUSTOMER, 4).await.pop().unwrap();
    let reference = conversation(&http, &server, &agent, id).await["reference"].as_str().unwrap().to_owned();
    assert!(support::mail::subject_of(&thanks).contains(&format!("[{reference}]")), "{thanks}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_chat_shows_the_surveys_buttons_and_a_press_by_id_rates_the_conversation() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[QUICK]);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let visitor = support::session(&http, &server, json!({"name": "Lu", "locale": "zh-CN"})).await;
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "我的提币还没到"})).await.status(), 201);
    let id = first_conversation(&http, &server, &agent).await;
    reply_and_resolve(&http, &server, &agent, id).await;
    let asked = poll("the survey in the chat", WAIT, || async {
        let messages = support::all_messages(&http, &server, &visitor).await;
        messages.into_iter().find(|m| m["buttons"].as_array().is_some_and(|b| b.len() == 5))
    })
    .await;
    assert!(asked["body"].as_str().unwrap().contains("已解决"), "in the customer's language: {asked}");
    assert_eq!(asked["buttons"][2]["id"], "csat:3");
    assert_eq!(support::send(&http, &server, &visitor, json!({"choice": "csat:3"})).await.status(), 201);
    let rated = survey_state(&http, &server, &agent, id, 0, "rated").await;
    assert_eq!(rated["rating"], 3);
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "客服很耐心"})).await.status(), 201);
    eventually("the comment", WAIT, || async {
        conversation(&http, &server, &agent, id).await["surveys"][0]["comment"] == "客服很耐心"
    })
    .await;
}
