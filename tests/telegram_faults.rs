//! Telegram updates that once stopped the channel: a lone UTF-16 surrogate escape in a text or a
//! name, an update of a shape nothing reads, a NUL character on PostgreSQL. Each is handled alone
//! — repaired, or kept as a stand-in agents see — while the updates around it are ingested, in
//! long polling and in webhook mode; and no update's text ever reaches the log.

mod support;

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

use serde_json::{Value, json};
use std::time::Duration;
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent_to, eventually, get_json, sign_in};

const PASSWORD: &str = "correct horse battery";
const PHRASE: &str = "robot prevent bonus brass syrup rain river object lend vibrant stomach idle";

fn raw_message(chat: i64, message_id: i64, text: &str, first_name: &str) -> String {
    format!(
        r#"{{"message":{{"message_id":{message_id},"date":1700000000,"text":"{text}",
        "from":{{"id":{chat},"is_bot":false,"first_name":"{first_name}","language_code":"en"}},
        "chat":{{"id":{chat},"type":"private","first_name":"{first_name}"}}}}}}"#
    )
}

struct Setup {
    _dir: tempfile::TempDir,
    server: Server,
    http: reqwest::Client,
    agent: String,
}

async fn setup(fake: &FakeTelegram, url: Option<String>, extra: &[(&str, &str)]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let url = url.unwrap_or_else(|| format!("sqlite://{}", dir.path().join("switchboard.db").display()));
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    let mut env = vec![
        ("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN),
        ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str()),
        ("SWITCHBOARD_DATABASE_URL", url.as_str()),
        ("SWITCHBOARD_LOG", "debug"),
    ];
    env.extend_from_slice(extra);
    let server = Server::start_logged(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    Setup { _dir: dir, server, http, agent }
}

/// Every message body agents can see, over every conversation.
async fn bodies(s: &Setup) -> Vec<String> {
    let list = get_json(&s.http, &s.server, "/api/v1/conversations?status=all", &s.agent).await;
    let mut bodies = Vec::new();
    for conversation in list["conversations"].as_array().unwrap() {
        let shown =
            get_json(&s.http, &s.server, &format!("/api/v1/conversations/{}", conversation["id"]), &s.agent).await;
        for m in shown["messages"].as_array().unwrap() {
            bodies.push(m["body"].as_str().unwrap().to_owned());
        }
    }
    bodies
}

fn log_of(s: &Setup) -> String {
    std::fs::read_to_string(s.server.dir.join("server.log")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_update_is_handled_alone_and_polling_goes_on() {
    let fake = FakeTelegram::start().await;
    let s = setup(&fake, None, &[]).await;
    // A batch: a secret, a lone surrogate in a text, one in a name, an update of a shape nothing
    // reads, and an ordinary question after them.
    fake.push(text_update(501, 501, 1, &format!("my words are {PHRASE}"), "en"));
    fake.push_raw(&raw_message(502, 2, r"where is my deposit \ud800 please", "Li"));
    fake.push_raw(&raw_message(503, 3, "hello", r"Zed\udc00"));
    // Unreadable, and its sender's name is a recovery phrase: the stand-in keeps neither.
    fake.push_raw(&format!(
        r#"{{"message":{{"message_id":"four","date":"soon","text":"x",
        "from":{{"id":504,"is_bot":false,"first_name":"{PHRASE}"}},"chat":{{"id":504,"type":"private"}}}}}}"#
    ));
    let last = fake.push(text_update(505, 505, 5, "is anyone there", "en"));

    eventually("every update confirmed", Duration::from_secs(20), || async { fake.confirmed() > last }).await;
    eventually("every customer acknowledged", Duration::from_secs(20), || async {
        let chats: std::collections::HashSet<i64> = fake.sent().iter().filter_map(|m| m["chat_id"].as_i64()).collect();
        [501, 502, 503, 505].iter().all(|c| chats.contains(c))
    })
    .await;
    let bodies = bodies(&s).await;
    assert!(bodies.iter().any(|b| b == "where is my deposit \u{fffd} please"), "{bodies:?}");
    assert!(bodies.iter().any(|b| b.contains("could not be read or stored")), "a stand-in for agents: {bodies:?}");
    assert!(bodies.iter().any(|b| b == "is anyone there"));
    let list = get_json(&s.http, &s.server, "/api/v1/conversations?status=all", &s.agent).await;
    assert!(!list.to_string().contains("syrup rain"), "a phrase as a name reached the store: {list}");
    let log = log_of(&s);
    assert!(!log.contains("syrup rain") && !log.contains("where is my deposit"), "an update's text in the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_in_an_update_on_postgres_is_stored_cleaned_and_nothing_stalls() {
    let fake = FakeTelegram::start().await;
    let s = setup(&fake, Some(postgres::fresh_database_url()), &[]).await;
    fake.push(text_update(601, 601, 1, "before", "en"));
    fake.push(json!({"message": {
        "message_id": 2, "date": 1_700_000_000, "text": "nul \u{0} inside", "caption": null,
        "from": {"id": 602, "is_bot": false, "first_name": "N\u{0}ul", "language_code": "en"},
        "chat": {"id": 602, "type": "private", "first_name": "N\u{0}ul"}
    }}));
    let last = fake.push(text_update(603, 603, 3, "after", "en"));
    eventually("every update confirmed", Duration::from_secs(20), || async { fake.confirmed() > last }).await;
    let bodies = bodies(&s).await;
    for expected in ["before", "nul  inside", "after"] {
        assert!(bodies.iter().any(|b| b == expected), "{expected} in {bodies:?}");
    }
    let health: Value = s.http.get(s.server.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_webhook_mode_a_malformed_update_is_taken_and_set_aside() {
    let fake = FakeTelegram::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let hook = format!("http://127.0.0.1:{port}/telegram/hook");
    let (secret, listen) = ("a-secret-of-twenty-chars", format!("127.0.0.1:{port}"));
    let extra = [
        ("SWITCHBOARD_LISTEN", listen.as_str()),
        ("SWITCHBOARD_TELEGRAM_WEBHOOK_URL", hook.as_str()),
        ("SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET", secret),
    ];
    let s = setup(&fake, Some(postgres::fresh_database_url()), &extra).await;
    let post = |body: String| {
        s.http
            .post(&hook)
            .header("content-type", "application/json")
            .header("X-Telegram-Bot-Api-Secret-Token", secret)
            .body(body)
            .send()
    };
    let surrogate = raw_message(701, 1, r"lost \ud800 funds", r"Ha\ud800n").replacen('{', r#"{"update_id":1,"#, 1);
    assert_eq!(post(surrogate).await.unwrap().status(), 200);
    let shapeless = r#"{"update_id":2,"message":{"message_id":[],"date":"x","text":"y",
        "from":{"id":702,"is_bot":false,"first_name":"Mo"},"chat":{"id":702,"type":"private"}}}"#;
    assert_eq!(post(shapeless.to_owned()).await.unwrap().status(), 200);
    let nul = raw_message(703, 3, r"a\u0000b", "Nu");
    assert_eq!(post(nul.replacen('{', r#"{"update_id":3,"#, 1)).await.unwrap().status(), 200);
    let bodies = bodies(&s).await;
    assert!(bodies.iter().any(|b| b == "lost \u{fffd} funds"), "{bodies:?}");
    assert!(bodies.iter().any(|b| b.contains("could not be read or stored")), "{bodies:?}");
    assert!(bodies.iter().any(|b| b == "ab"), "{bodies:?}");
    assert!(!log_of(&s).contains("lost"), "an update's text in the log");
}

/// A document's file name is the customer's text: a recovery phrase typed as one is redacted
/// before anything is stored, whether the file is kept or refused as too large.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phrase_as_a_documents_file_name_never_reaches_the_database() {
    let fake = FakeTelegram::start().await;
    fake.add_file("kept-doc", b"statement".to_vec());
    fake.add_file("huge-doc", vec![1; 10]);
    let s = setup(&fake, None, &[("SWITCHBOARD_ATTACHMENT_MAX_MB", "1")]).await;
    let from = json!({"id": 801, "is_bot": false, "first_name": "Pat", "language_code": "en"});
    let chat = json!({"id": 801, "type": "private", "first_name": "Pat"});
    fake.push(json!({"message": {
        "message_id": 1, "date": 1_700_000_000, "from": from, "chat": chat,
        "document": {"file_id": "kept-doc", "file_unique_id": "k", "file_name": format!("{PHRASE}.txt"),
                     "mime_type": "text/plain", "file_size": 9}
    }}));
    let last = fake.push(json!({"message": {
        "message_id": 2, "date": 1_700_000_000, "from": from, "chat": chat,
        "document": {"file_id": "huge-doc", "file_unique_id": "h", "file_name": format!("{PHRASE} backup.pdf"),
                     "mime_type": "application/pdf", "file_size": 5_000_000}
    }}));
    eventually("both updates confirmed", Duration::from_secs(20), || async { fake.confirmed() > last }).await;
    eventually("the size notice", Duration::from_secs(20), || async {
        fake.sent().iter().any(|m| m["text"].as_str().unwrap_or_default().contains("1 MB"))
    })
    .await;
    let bodies = bodies(&s).await;
    assert!(bodies.iter().all(|b| !b.contains("syrup rain")), "{bodies:?}");
    let Setup { server, _dir, .. } = s;
    let dir = server.dir.clone();
    assert!(server.terminate().success());
    assert!(!postgres::files_contain(&dir, b"syrup rain"), "the phrase reached {}", dir.display());
}
