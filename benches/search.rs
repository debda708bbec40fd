//! How fast the inbox's search answers over 100,000 conversations and 1,000,000 messages, on
//! SQLite and on PostgreSQL.
//!
//! `cargo bench --bench search [-- N]` fills a fresh database with N conversations (default
//! 100,000) of ten messages each: sentences of the starter knowledge base's articles in English
//! and Chinese, as customers and agents would write them, with order numbers and transaction
//! hashes among them; contacts with names, e-mail addresses and Telegram ids; a tag on some.
//! The search indexes are built by the backfill (the same words the writer stores). Then it
//! runs a mix of searches — common and rare words, two words, Chinese runs of one to four
//! characters, a name, an e-mail address, a reference, a tag, a prefix, a word found nowhere —
//! each 20 times through `list_conversations` (a page of 50 with the hits marked, as the API
//! and the page ask), and prints p50, p95 and the slowest per search and over all of them, as a
//! Markdown table for BENCHMARKS.md.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};
use switchboard_core::store::Store;
use switchboard_core::store::conversations::ConversationFilter;

const FIRST: &[&str] =
    &["Ann", "Bo", "Carlos", "Dmitri", "Elif", "Fatima", "Hiro", "Ines", "Jae", "Lena", "Minh", "Priya"];
const LAST: &[&str] =
    &["Lee", "Silva", "Ivanov", "Kaya", "Khan", "Tanaka", "Garcia", "Park", "Nguyen", "Rossi", "Meyer"];
const CHINESE: &[&str] = &["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"];
const TAGS: &[&str] = &["vip", "kyc", "refund", "escalated", "bug"];

/// Sentences of the starter knowledge base, in both languages.
fn sentences() -> Vec<String> {
    let mut sentences = Vec::new();
    for locale in ["en-US", "zh-CN"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb").join(locale);
        for entry in std::fs::read_dir(dir).expect("the starter knowledge base") {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let cut = text.split(['.', '。', '?', '？', '!', '！', '\n']).map(str::trim);
            sentences
                .extend(cut.filter(|s| s.chars().count() >= 8 && !s.starts_with(['#', '-', '+'])).map(str::to_owned));
        }
    }
    sentences
}

/// JSON rows inserted into `table` with `columns` (`name type`), as each backend reads them.
async fn insert(store: &Store, table: &str, columns: &[(&str, &str)], rows: &[serde_json::Value]) {
    let sqlite = store.backend() == switchboard_core::store::Backend::Sqlite;
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let select = if sqlite {
        let fields: Vec<String> = columns.iter().map(|(c, _)| format!("json_extract(value, '$.{c}')")).collect();
        format!("SELECT {} FROM json_each($1) WHERE true", fields.join(", "))
    } else {
        let types: Vec<String> = columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
        format!("SELECT {} FROM json_to_recordset($1::json) AS r({})", names.join(", "), types.join(", "))
    };
    for chunk in rows.chunks(20_000) {
        let sql = format!("INSERT INTO {table} ({}) {select}", names.join(", "));
        let json = serde_json::Value::from(chunk.to_vec()).to_string();
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(json).execute(store.pool()).await.unwrap();
    }
}

async fn filled(url: &str, n: i64) -> Store {
    let store = Store::open(url).await.unwrap();
    let started = Instant::now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let sentences = sentences();
    let contacts = n / 2;
    let (mut people, mut identities) = (Vec::new(), Vec::new());
    for id in 1..=contacts {
        let name = if id % 4 == 0 {
            CHINESE[rng.random_range(0..CHINESE.len())].to_owned()
        } else {
            format!("{} {}", FIRST[rng.random_range(0..FIRST.len())], LAST[rng.random_range(0..LAST.len())])
        };
        let (channel, external) = if id % 2 == 0 {
            ("email", format!("{}{id}@example.com", name.to_lowercase().replace(' ', ".")))
        } else {
            ("telegram", (100_000_000 + id * 7).to_string())
        };
        people.push(serde_json::json!({"id": id, "name": name, "created_at": 0}));
        identities.push(serde_json::json!({"id": id, "contact_id": id, "channel": channel, "external_id": external,
            "display_name": name, "created_at": 0}));
    }
    insert(&store, "contacts", &[("id", "bigint"), ("name", "text"), ("created_at", "bigint")], &people).await;
    let identity_columns = [
        ("id", "bigint"),
        ("contact_id", "bigint"),
        ("channel", "text"),
        ("external_id", "text"),
        ("display_name", "text"),
        ("created_at", "bigint"),
    ];
    insert(&store, "identities", &identity_columns, &identities).await;
    let (mut conversations, mut messages) = (Vec::new(), Vec::new());
    for id in 1..=n {
        let at = 1_780_000_000_000 + id * 60_000;
        let tags = if id % 10 == 0 { format!("[\"{}\"]", TAGS[(id / 10) as usize % TAGS.len()]) } else { "[]".into() };
        conversations.push(serde_json::json!({"id": id, "reference": format!("#{}", 1000 + id), "contact_id": 1 + id % contacts,
            "status": "resolved", "channel": "telegram", "tags": tags, "created_at": at, "updated_at": at, "last_message_at": at + 9_000}));
        for k in 0..10 {
            let mut body = sentences[rng.random_range(0..sentences.len())].clone();
            if rng.random_range(0..4) == 0 {
                body.push_str(&format!(" order A{}", rng.random_range(1_000_000..10_000_000)));
            }
            if rng.random_range(0..20) == 0 {
                body.push_str(&format!(" tx 0x{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>()));
            }
            let (direction, author) = if k % 2 == 0 { ("inbound", "contact") } else { ("outbound", "agent") };
            messages.push(
                serde_json::json!({"id": (id - 1) * 10 + k + 1, "conversation_id": id, "contact_id": 1 + id % contacts,
                "direction": direction, "author": author, "body": body, "created_at": at + k * 1000}),
            );
        }
    }
    let conversation_columns = [
        ("id", "bigint"),
        ("reference", "text"),
        ("contact_id", "bigint"),
        ("status", "text"),
        ("channel", "text"),
        ("tags", "text"),
        ("created_at", "bigint"),
        ("updated_at", "bigint"),
        ("last_message_at", "bigint"),
    ];
    insert(&store, "conversations", &conversation_columns, &conversations).await;
    let message_columns = [
        ("id", "bigint"),
        ("conversation_id", "bigint"),
        ("contact_id", "bigint"),
        ("direction", "text"),
        ("author", "text"),
        ("body", "text"),
        ("created_at", "bigint"),
    ];
    insert(&store, "messages", &message_columns, &messages).await;
    let stored = started.elapsed();
    // Everything was stored before the indexes knew of it: the backfill indexes it.
    sqlx::query("DELETE FROM search_backfill").execute(store.pool()).await.unwrap();
    for source in ["messages", "contacts", "identities"] {
        sqlx::query("INSERT INTO search_backfill (source, below) VALUES ($1, $2)")
            .bind(source)
            .bind(i64::MAX)
            .execute(store.pool())
            .await
            .unwrap();
    }
    let started = Instant::now();
    while store.backfill_search().await.unwrap() > 0 {}
    if store.backend() == switchboard_core::store::Backend::Postgres {
        sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
    }
    eprintln!(
        "{url}: {n} conversations, {} messages stored in {:.1} s, indexed in {:.1} s",
        messages.len(),
        stored.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    store
}

/// The searches, by what they try.
fn searches() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a common word", "withdrawal"),
        ("a common word", "address"),
        ("two words", "seed phrase"),
        ("a rare word", "reorg"),
        ("Chinese, 2 characters", "充值"),
        ("Chinese, 4 characters", "助记词丢"),
        ("Chinese, 1 character", "币"),
        ("a name", "Priya"),
        ("a Chinese name", "李娜"),
        ("an e-mail address", "fatima.khan"),
        ("a reference", "#51234"),
        ("a tag", "escalated"),
        ("a prefix", "confi"),
        ("an order number", "A5123456"),
        ("found nowhere", "zzyzx"),
    ]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1]
}

async fn measure(name: &str, store: &Store) -> Vec<String> {
    let mut all = Vec::new();
    let mut rows = Vec::new();
    for (what, text) in searches() {
        let filter = ConversationFilter { search: Some(text.into()), limit: 50, ..Default::default() };
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..20 {
            let started = Instant::now();
            hits = store.list_conversations(&filter).await.unwrap().len();
            times.push(started.elapsed());
        }
        all.extend_from_slice(&times);
        times.sort_unstable();
        rows.push(format!(
            "| {name} | {what} (`{text}`) | {hits} | {} | {} | {} |",
            ms(quantile(&times, 0.5)),
            ms(quantile(&times, 0.95)),
            ms(*times.last().unwrap())
        ));
    }
    all.sort_unstable();
    rows.push(format!(
        "| {name} | **all searches** | | **{}** | **{}** | **{}** |",
        ms(quantile(&all, 0.5)),
        ms(quantile(&all, 0.95)),
        ms(*all.last().unwrap())
    ));
    rows
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut rows = vec![
        format!("{n} conversations, {} messages; times in ms over 20 runs each", n * 10),
        String::new(),
        "| backend | search | found (page of 50) | p50 | p95 | slowest |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    let sqlite = filled(&format!("sqlite://{}", dir.path().join("search.db").display()), n).await;
    rows.extend(measure("SQLite", &sqlite).await);
    sqlite.close().await;
    let pg = filled(&postgres::fresh_database_url(), n).await;
    rows.extend(measure("PostgreSQL", &pg).await);
    pg.close().await;
    println!("{}", rows.join("\n"));
}
