//! Announcements end to end with the real binary: 5,000 Telegram customers (and a few who must
//! not be reached) are stored beforehand; an admin previews the segment, announces, and the
//! outbox sends every copy within Telegram's 30 messages a second — the fake answers 429 to
//! anything faster, and answers none. `/stop` takes a customer out of the next segment.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, eventually, get_json, poll, sign_in};

const PASSWORD: &str = "correct horse battery";
const CUSTOMERS: i64 = 5_000;
const FIRST_USER: i64 = 700_000;

/// Stores `CUSTOMERS` English-speaking Telegram customers who wrote an hour ago in private
/// chats, then four who must not be reached (a group member who never started the bot, one who
/// sent /stop, one who wrote a month ago) or only in Chinese.
async fn seed(db: &std::path::Path) {
    let pool = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let n = CUSTOMERS + 4;
    let series = format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})");
    for sql in [
        format!(
            "{series} INSERT INTO contacts (id, name, locale, created_at, announcements_stopped_at) \
             SELECT i, 'Customer ' || i, CASE WHEN i = {zh} THEN 'zh-CN' ELSE 'en-US' END, $1, \
             CASE WHEN i = {stopped} THEN $1 END FROM n",
            zh = CUSTOMERS + 4,
            stopped = CUSTOMERS + 2
        ),
        format!(
            "{series} INSERT INTO identities (id, contact_id, channel, external_id, display_name, created_at) \
             SELECT i, i, 'telegram', CAST({FIRST_USER} + i AS TEXT), 'Customer ' || i, $1 FROM n"
        ),
        format!(
            "{series} INSERT INTO conversations (id, contact_id, status, channel, locale, created_at, updated_at, \
             last_message_at, resolved_at) SELECT i, i, 'resolved', 'telegram', \
             CASE WHEN i = {zh} THEN 'zh-CN' ELSE 'en-US' END, $1, $1, $1, $1 FROM n",
            zh = CUSTOMERS + 4
        ),
        format!(
            "{series} INSERT INTO messages (id, conversation_id, contact_id, identity_id, direction, author, channel, \
             body, created_at) SELECT i, i, i, i, 'inbound', 'contact', 'telegram', 'hello', \
             CASE WHEN i = {old} THEN $1 - 30 * 86400000 ELSE $1 - 3600000 END FROM n",
            old = CUSTOMERS + 3
        ),
        format!(
            "{series} INSERT INTO message_links (message_id, channel, external_id, external_chat) \
             SELECT i, 'telegram', CAST({FIRST_USER} + i AS TEXT) || ':1', \
             CASE WHEN i = {group} THEN '-1001234' ELSE CAST({FIRST_USER} + i AS TEXT) END FROM n",
            group = CUSTOMERS + 1
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcement_to_5000_telegram_customers_keeps_to_30_a_second_without_a_429() {
    use support::telegram::{FakeTelegram, TOKEN, text_update};
    let fake = FakeTelegram::start().await;
    fake.enforce_limits();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", PASSWORD);
    seed(&dir.path().join("switchboard.db")).await;
    let env = [("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN), ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str())];
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let agent = sign_in(&http, &server, "bob@example.com", PASSWORD).await;

    let segment = json!({"channel": "telegram", "language": "en", "within_days": 7});
    let preview = http.post(server.url("/api/v1/announcements/preview")).bearer_auth(&admin).json(&segment);
    let preview: Value = preview.send().await.unwrap().json().await.unwrap();
    assert_eq!(preview, json!({"recipients": CUSTOMERS, "by_channel": {"telegram": CUSTOMERS}}));
    let refused = http.post(server.url("/api/v1/announcements/preview")).bearer_auth(&agent).json(&segment);
    assert_eq!(refused.send().await.unwrap().status(), 403, "admins only");
    let bad = json!({"channel": "fax"});
    let bad = http.post(server.url("/api/v1/announcements/preview")).bearer_auth(&admin).json(&bad);
    assert_eq!(bad.send().await.unwrap().status(), 422);

    let mut announcement = segment.clone();
    announcement["body"] = json!("Scheduled maintenance: withdrawals pause on Sunday 02:00–03:00 UTC.");
    let made = http.post(server.url("/api/v1/announcements")).bearer_auth(&admin).json(&announcement);
    let made = made.send().await.unwrap();
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    assert_eq!(made["recipients"], CUSTOMERS);
    let id = made["id"].as_i64().unwrap();

    // At 30 a second 5,000 take about three minutes; the progress view follows them.
    let done = poll("every copy sent", Duration::from_secs(420), || async {
        let shown: Value = get_json(&http, &server, &format!("/api/v1/announcements/{id}"), &admin).await;
        (shown["progress"]["telegram"]["sent"] == CUSTOMERS).then_some(shown)
    })
    .await;
    assert_eq!(done["progress"]["telegram"]["failed"], 0, "{done}");
    assert_eq!(fake.too_many(), 0, "never faster than Telegram allows");
    let sent = fake.sent();
    let announced: Vec<&Value> =
        sent.iter().filter(|m| m["text"].as_str().unwrap_or("").contains("Scheduled maintenance")).collect();
    assert_eq!(announced.len(), CUSTOMERS as usize, "each once");
    let mut chats: Vec<i64> = announced.iter().map(|m| m["chat_id"].as_i64().unwrap()).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len(), CUSTOMERS as usize);
    assert!(chats.iter().all(|c| (FIRST_USER + 1..=FIRST_USER + CUSTOMERS).contains(c)), "nobody outside the segment");
    assert!(announced[0]["text"].as_str().unwrap().contains("/stop"), "the way to stop them");

    // The Chinese-speaking customer stops them: the next segment leaves them out.
    let zh = json!({"language": "zh"});
    let count = |body: Value| {
        let (http, server, admin) = (http.clone(), &server, admin.clone());
        async move {
            let preview = http.post(server.url("/api/v1/announcements/preview")).bearer_auth(&admin).json(&body);
            preview.send().await.unwrap().json::<Value>().await.unwrap()["recipients"].clone()
        }
    };
    assert_eq!(count(zh.clone()).await, 1);
    let user = FIRST_USER + CUSTOMERS + 4;
    fake.push(text_update(user, user, 2, "/stop", "zh"));
    eventually("stopped", Duration::from_secs(30), || async { count(zh.clone()).await == 0 }).await;
}
