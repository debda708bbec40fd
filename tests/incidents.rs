//! Incidents end to end with the real binary: an admin opens one; the bot answers matching
//! questions with its message in each customer's language and links them, on Telegram (the
//! fake Bot API), Discord (the fake gateway), e-mail (real Dovecot) and the web chat; every
//! update reaches each linked customer once; resolving it resolves them without a survey. A
//! surge of distinct web-chat customers becomes one suggestion; one customer's flood none.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, eventually, get_json, poll, sign_in};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(30);
const ENGLISH: &str = "Withdrawals of ETH are delayed while the network is congested. Your funds are safe.";
const CHINESE: &str = "由于网络拥堵，ETH 提币出现延迟。您的资金是安全的。";
const FIX_EN: &str = "A fix is live; delayed ETH withdrawals are being sent now.";
const DONE_EN: &str = "Every delayed ETH withdrawal has been sent.";

async fn incident(http: &reqwest::Client, server: &Server, admin: &str, id: i64) -> Value {
    get_json(http, server, &format!("/api/v1/incidents/{id}"), admin).await
}

async fn patch_incident(http: &reqwest::Client, server: &Server, admin: &str, id: i64, body: Value) -> Value {
    let answer = http.patch(server.url(&format!("/api/v1/incidents/{id}"))).bearer_auth(admin).json(&body).send().await;
    let answer = answer.unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// How many of `texts` contain `needle`.
fn count(texts: &[String], needle: &str) -> usize {
    texts.iter().filter(|t| t.contains(needle)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_incident_answers_in_each_language_and_every_update_reaches_each_linked_customer_once() {
    use support::discord::{FakeDiscord, start_switchboard};
    use support::mail::{CUSTOMER, MailPeer, text};
    use support::telegram::{FakeTelegram, TOKEN, text_update};
    let (telegram, discord, mail) = (FakeTelegram::start().await, FakeDiscord::start().await, MailPeer::start());
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let mut env: Vec<(&str, String)> = mail.gateway_env();
    env.push(("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN.into()));
    env.push(("SWITCHBOARD_TELEGRAM_API_URL", telegram.url.clone()));
    // A survey would be asked a second after a resolution: none may follow the incident's.
    env.push(("SWITCHBOARD_CSAT_DELAY", "1s".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = start_switchboard(dir.path(), &discord, &env);
    let http = support::client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    let opened = http
        .post(server.url("/api/v1/incidents"))
        .bearer_auth(&admin)
        .json(&json!({"title": "ETH withdrawals delayed", "keywords": ["withdrawal", "提币"],
                      "message": {"en-US": ENGLISH, "zh-CN": CHINESE}}))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 201);
    let opened: Value = opened.json().await.unwrap();
    assert_eq!((opened["status"].as_str(), opened["conversation_ids"].clone()), (Some("investigating"), json!([])));
    let id = opened["id"].as_i64().unwrap();

    // Four customers ask, each on their own channel; one asks about something else.
    telegram.push(text_update(321, 321, 1, "Is my withdrawal stuck?", "en"));
    let dm = 6100;
    discord.customer_message(dm, None, 7100, "Ana", "withdrawals not arriving today");
    mail.deliver(&format!(
        "From: Customer <{CUSTOMER}>\nTo: Support <support@support.test>\nSubject: Withdrawal missing\n\
         Message-ID: <w1@customer.test>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n\
         Content-Type: text/plain; charset=utf-8\n\nMy withdrawal from yesterday has not arrived.\n"
    ))
    .await;
    let lu = support::session(&http, &server, json!({"name": "Lu", "locale": "zh-CN"})).await;
    assert_eq!(support::send(&http, &server, &lu, json!({"body": "我的提币还没到账"})).await.status(), 201);
    let kim = support::session(&http, &server, json!({"name": "Kim", "locale": "en-US"})).await;
    assert_eq!(support::send(&http, &server, &kim, json!({"body": "How do I change my e-mail?"})).await.status(), 201);

    let telegram_texts =
        || telegram.sent().iter().map(|m| m["text"].as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>();
    let discord_texts = || {
        discord
            .sent()
            .into_iter()
            .filter(|(c, _)| *c == dm.to_string())
            .map(|(_, p)| p["content"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let chat_texts = |token: String| {
        let (http, server) = (http.clone(), &server);
        async move {
            support::all_messages(&http, server, &token)
                .await
                .iter()
                .filter(|m| m["direction"] != "inbound")
                .map(|m| m["body"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let mails = |n: usize| {
        let mail = &mail;
        async move { mail.wait_for_mail(CUSTOMER, n).await.iter().map(|m| text(m)).collect::<Vec<_>>() }
    };

    // The bot answers with the incident's message in each customer's language, and links them.
    let linked = poll("four linked conversations", WAIT, || async {
        let found = incident(&http, &server, &admin, id).await;
        (found["conversation_ids"].as_array()?.len() == 4).then_some(found)
    })
    .await;
    eventually("Telegram told", WAIT, || async { count(&telegram_texts(), "Withdrawals of ETH are delayed") == 1 })
        .await;
    eventually("Discord told", WAIT, || async { count(&discord_texts(), "Withdrawals of ETH are delayed") == 1 }).await;
    eventually("web chat told in Chinese", WAIT, || async { count(&chat_texts(lu.clone()).await, CHINESE) == 1 }).await;
    let mail_texts = poll("mail told", WAIT, || async {
        let texts = mails(1).await;
        (count(&texts, "Withdrawals of ETH are delayed") == 1).then_some(texts)
    })
    .await;
    assert!(mail_texts.iter().any(|t| t.contains("linked")), "{mail_texts:?}");
    assert!(chat_texts(kim.clone()).await.iter().all(|t| !t.contains("ETH")), "an unrelated question is not linked");

    // An agent links Kim's conversation by hand: Kim is told the current message.
    let conversations = support::conversations(&http, &server, &admin).await;
    let kims = conversations.iter().find(|c| c["contact"]["name"] == "Kim").unwrap()["id"].as_i64().unwrap();
    assert!(!linked["conversation_ids"].as_array().unwrap().contains(&json!(kims)));
    let link = http.post(server.url(&format!("/api/v1/incidents/{id}/conversations"))).bearer_auth(&admin);
    let link = link.json(&json!({"id": kims})).send().await.unwrap();
    assert_eq!(link.status(), 200);
    assert_eq!(link.json::<Value>().await.unwrap()["conversation_ids"].as_array().unwrap().len(), 5);
    eventually("Kim told", WAIT, || async { count(&chat_texts(kim.clone()).await, ENGLISH) == 1 }).await;

    // An update: every linked customer hears it once, on their own channel.
    let updated =
        patch_incident(&http, &server, &admin, id, json!({"status": "monitoring", "message": {"en-US": FIX_EN}})).await;
    assert_eq!(updated["status"], "monitoring");
    eventually("Telegram updated", WAIT, || async { count(&telegram_texts(), FIX_EN) == 1 }).await;
    eventually("Discord updated", WAIT, || async { count(&discord_texts(), FIX_EN) == 1 }).await;
    eventually("Lu updated", WAIT, || async { count(&chat_texts(lu.clone()).await, FIX_EN) == 1 }).await;
    eventually("Kim updated", WAIT, || async { count(&chat_texts(kim.clone()).await, FIX_EN) == 1 }).await;
    assert_eq!(count(&mails(3).await, FIX_EN), 1);

    // Resolved: told once more, and every linked conversation resolved, with no survey.
    patch_incident(&http, &server, &admin, id, json!({"status": "resolved", "message": {"en-US": DONE_EN}})).await;
    eventually("Telegram resolved", WAIT, || async { count(&telegram_texts(), DONE_EN) == 1 }).await;
    eventually("Discord resolved", WAIT, || async { count(&discord_texts(), DONE_EN) == 1 }).await;
    eventually("Kim resolved", WAIT, || async { count(&chat_texts(kim.clone()).await, DONE_EN) == 1 }).await;
    assert_eq!(count(&mails(4).await, DONE_EN), 1);
    for conversation in incident(&http, &server, &admin, id).await["conversation_ids"].as_array().unwrap() {
        let path = format!("/api/v1/conversations/{conversation}");
        let shown = poll("resolved", WAIT, || async {
            let shown = get_json(&http, &server, &path, &admin).await;
            (shown["status"] == "resolved").then_some(shown)
        })
        .await;
        assert_eq!(shown["surveys"], json!([]), "no survey after an incident's resolution: {shown}");
    }
    // Each update once: nothing was told twice.
    assert_eq!(count(&telegram_texts(), FIX_EN), 1);
    assert_eq!(count(&chat_texts(lu.clone()).await, "ETH"), 3, "the answer, the update, the resolution");
}

/// Waits until surges were looked for twice more (so at least one look saw everything stored
/// before the call).
async fn two_more_looks(http: &reqwest::Client, server: &Server) {
    let looks = || async {
        let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
        let line = metrics.lines().find(|l| l.starts_with("switchboard_surge_looks_total")).map(str::to_owned);
        line.and_then(|l| l.split_whitespace().last()?.parse::<u64>().ok()).unwrap_or(0)
    };
    let before = looks().await;
    eventually("two more looks", WAIT, || async { looks().await >= before + 2 }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_surge_of_distinct_web_chat_customers_is_one_suggestion_and_one_customers_flood_is_none() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let env = [
        ("SWITCHBOARD_SURGE_EVERY", "1s"),
        ("SWITCHBOARD_WEBCHAT_SESSIONS_PER_ADDRESS", "off"),
        ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_SESSION", "off"),
        ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_ADDRESS", "off"),
    ];
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let suggestions = || async {
        let all: Value = get_json(&http, &server, "/api/v1/incidents", &admin).await;
        all["incidents"].as_array().unwrap().iter().filter(|i| i["status"] == "suggested").cloned().collect::<Vec<_>>()
    };

    // One angry customer writes thirty times: no surge.
    let angry = support::session(&http, &server, json!({"name": "Angry"})).await;
    for n in 0..30 {
        let body = json!({"body": format!("withdrawal stuck pending again ({n})")});
        assert_eq!(support::send(&http, &server, &angry, body).await.status(), 201);
    }
    // A distinct customer's question, to know the looks have seen the flood.
    let control = support::session(&http, &server, json!({"name": "Calm"})).await;
    assert_eq!(support::send(&http, &server, &control, json!({"body": "how to enable 2FA"})).await.status(), 201);
    let (http, server, admin) = (&http, &server, &admin);
    let seen = |n: usize| async move { support::conversations(http, server, admin).await.len() >= n };
    eventually("both conversations", WAIT, move || seen(2)).await;
    two_more_looks(http, server).await;
    assert!(suggestions().await.is_empty(), "one customer is not a surge");

    // Eight distinct customers on one topic, in their own words: one suggestion.
    let phrasings = ["My withdrawal is stuck", "withdrawal pending for an hour", "is withdrawal stuck for everyone?"];
    for n in 0..8 {
        let visitor = support::session(http, server, json!({"name": format!("Customer {n}")})).await;
        let body = json!({"body": phrasings[n % 3]});
        assert_eq!(support::send(http, server, &visitor, body).await.status(), 201);
    }
    let suggested = poll("a suggestion", WAIT, || async { suggestions().await.into_iter().next() }).await;
    assert!(suggested["keywords"].as_array().unwrap().contains(&json!("withdrawal")), "{suggested}");
    assert!(suggested["requesters"].as_i64().unwrap() >= 8, "{suggested}");
    assert!(!suggested["examples"].as_array().unwrap().is_empty());
    // More of the same surge, and later looks, suggest nothing more.
    for n in 8..12 {
        let visitor = support::session(http, server, json!({"name": format!("Customer {n}")})).await;
        assert_eq!(support::send(http, server, &visitor, json!({"body": "withdrawal stuck"})).await.status(), 201);
    }
    eventually("all stored", WAIT, move || seen(14)).await;
    two_more_looks(http, server).await;
    assert_eq!(suggestions().await.len(), 1, "one surge, one suggestion");

    // The admin confirms it: now the bot answers it.
    let id = suggested["id"].as_i64().unwrap();
    let confirmed = patch_incident(
        http,
        server,
        admin,
        id,
        json!({"status": "investigating",
        "title": "Withdrawals delayed", "message": {"en-US": ENGLISH}}),
    )
    .await;
    assert_eq!(confirmed["status"], "investigating");
}
