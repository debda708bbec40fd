//! How fast reports answer over a million conversations, on SQLite and on PostgreSQL.
//!
//! `cargo bench --bench reports [-- N]` fills a fresh database with N conversations (default
//! 1,000,000) spread over 90 days: every one a resolved cycle in the `cycles` rollup, a third
//! of them rated, one agent reply each in the ledger, one in fifty handed off by an unsure bot.
//! Then it times: the timers working out every day once (what an upgrade over a full store
//! costs), and over the whole 90 days, as the API and the page read them from the kept days,
//! the summary, the agents' figures, the days and the heatmap, and filters by channel, by agent
//! and by language and category together (the first run and the best of three; no report is
//! cached), a summary right after a day changed, the knowledge base's gaps and the CSV export
//! (every cycle read). It prints a Markdown table for BENCHMARKS.md.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

use std::time::{Duration, Instant};
use switchboard_core::figures::Filter;
use switchboard_core::store::Store;

const DAY: i64 = 86_400_000;
/// Monday 2026-08-31 00:00 UTC: the period's start.
const START: i64 = 1_788_134_400_000;

/// The statements that fill the database, `{n}` conversations, with `numbers` the SQL of a
/// table `seq(n)` holding 1..=n.
fn fill(numbers: &str, n: i64, concat: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    let step = 90 * DAY / n;
    let at = format!("({START} + n * {step})");
    vec![
        "INSERT INTO agents (email, name, role, password_hash, created_at) \
         SELECT 'agent' || n || '@x.test', 'Agent ' || n, 'agent', 'x', 0 FROM (SELECT 1 AS n UNION ALL SELECT 2 \
         UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 \
         UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10) AS a"
            .to_owned(),
        format!(
            "{numbers} INSERT INTO contacts (id, name, created_at) SELECT n, 'Customer', 0 FROM seq WHERE n <= 10000"
        ),
        format!(
            "{numbers} INSERT INTO conversations (id, reference, contact_id, status, channel, locale, category, tags, \
             created_at, updated_at, last_message_at, resolved_at, resolved_by, cycle_started_at) \
             SELECT n, {reference}, 1 + n % 10000, 'resolved', \
             CASE n % 4 WHEN 0 THEN 'telegram' WHEN 1 THEN 'webchat' WHEN 2 THEN 'email' ELSE 'discord' END, \
             CASE n % 3 WHEN 0 THEN 'zh-CN' ELSE 'en-US' END, CASE n % 5 WHEN 0 THEN 'deposit' ELSE NULL END, '[]', \
             {at}, {at}, {at}, {at} + 3600000, 'agent', {at} FROM seq",
            reference = concat("'#'", "n"),
        ),
        format!(
            "{numbers} INSERT INTO cycles (conversation_id, started_at, channel, locale, reached_at, first_human_at, \
             first_agent_id, handoff_reason, customer_messages, bot_replies, agent_replies, resolved_at, resolved_by, \
             resolver_id) \
             SELECT n, {at}, CASE n % 4 WHEN 0 THEN 'telegram' WHEN 1 THEN 'webchat' WHEN 2 THEN 'email' ELSE 'discord' END, \
             CASE n % 3 WHEN 0 THEN 'zh-CN' ELSE 'en-US' END, {at} + (n % 7) * 60000, {at} + (n % 7) * 60000 + (n % 97) * 30000, \
             1 + n % 10, CASE WHEN n % 50 = 0 THEN 'not_sure' ELSE NULL END, 2, n % 2, 1, {at} + 3600000 + (n % 89) * 60000, \
             'agent', 1 + n % 10 FROM seq"
        ),
        format!(
            "{numbers} INSERT INTO surveys (conversation_id, state, cycle_started_at, resolved_at, due_at, asked_at, \
             rating, rated_at) SELECT n, 'rated', {at}, {at} + 3600000, {at} + 3900000, {at} + 3900000, 1 + n % 5, \
             {at} + 4000000 FROM seq WHERE n % 3 = 0"
        ),
        format!(
            "{numbers} INSERT INTO ledger (conversation_id, cycle, kind, at, agent_id) \
             SELECT n, {at}, 'agent_reply', {at} + 60000, 1 + n % 10 FROM seq"
        ),
        format!(
            "{numbers} INSERT INTO messages (conversation_id, contact_id, direction, author, channel, body, created_at) \
             SELECT n, 1 + n % 10000, 'inbound', 'contact', 'webchat', \
             CASE n % 200 WHEN 0 THEN 'my deposit has not arrived' WHEN 50 THEN 'how do I change my 2FA device' \
             WHEN 100 THEN '充值还没有到账' ELSE 'withdrawal fee question' END, {at} FROM seq WHERE n % 50 = 0"
        ),
    ]
}

/// The best of three runs of `run`, and what it returned.
async fn best<T, F: AsyncFnMut() -> T>(mut run: F) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let started = Instant::now();
        let value = run().await;
        best = best.min(started.elapsed());
        out = Some(value);
    }
    (best, out.unwrap())
}

/// Times one report over the period from the kept days: the first run and the best of three.
async fn report<T>(run: impl AsyncFn() -> T) -> (Duration, Duration, T) {
    let started = Instant::now();
    run().await;
    let first = started.elapsed();
    let (best, out) = best(run).await;
    (first, best, out)
}

async fn measure(name: &str, store: &Store, n: i64) -> String {
    let (from, to) = (START, START + 91 * DAY);
    let hours = switchboard_core::hours::BusinessHours::parse("mon-fri 09:00-18:00", "UTC", "").unwrap();
    let zone = jiff::tz::TimeZone::UTC;
    // What the timers do once after an upgrade over a store never kept: every day worked out.
    let started = Instant::now();
    let worked = store.keep_report_days(to, Some(&hours), &zone).await.unwrap();
    let keep = started.elapsed();
    assert!(worked >= 90);
    let tally = async |filter: Filter| store.report_tally((from, to), &filter, Some(&hours), &zone).await.unwrap();
    let all = Filter::default();
    let (summary_first, summary, s) = report(async || tally(all.clone()).await.summary()).await;
    assert_eq!(s.cycles as i64, n);
    let (_, agents, a) = report(async || tally(all.clone()).await.agents(None)).await;
    assert_eq!(a.len(), 10);
    let (_, days, d) = report(async || {
        let t = tally(all.clone()).await;
        (t.days(), t.heatmap())
    })
    .await;
    assert!(d.0.len() >= 90);
    let channel = Filter { channel: Some("telegram".into()), ..Default::default() };
    let (channel_first, channel, _) = report(async || tally(channel.clone()).await.summary()).await;
    let agent = Filter { agent: Some(3), ..Default::default() };
    let (agent_first, agent, _) = report(async || tally(agent.clone()).await.summary()).await;
    let both = Filter { language: Some("zh-CN".into()), category: Some("deposit".into()), ..Default::default() };
    let (both_first, both, _) = report(async || tally(both.clone()).await.summary()).await;
    // The last day changed: it is worked out from its cycles in the report that reads it.
    let changed = "INSERT INTO report_versions (day, version) VALUES ($1, 1000) \
                   ON CONFLICT (day) DO UPDATE SET version = report_versions.version + 1";
    sqlx::query(changed).bind((to - DAY) / DAY).execute(store.pool()).await.unwrap();
    let started = Instant::now();
    tally(all.clone()).await;
    let stale = started.elapsed();
    let (gaps, g) =
        best(async || switchboard_core::gaps::cluster(&store.unanswered_questions(from, to).await.unwrap())).await;
    assert!(!g.is_empty());
    let (export_day, export) = export_times(store, from, to).await;
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1000.0);
    let pair = |first: Duration, then: Duration| format!("{} / {}", ms(first), ms(then));
    format!(
        "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
        ms(keep),
        pair(summary_first, summary),
        ms(agents),
        ms(days),
        pair(channel_first, channel),
        pair(agent_first, agent),
        pair(both_first, both),
        ms(stale),
        ms(gaps),
        ms(export_day),
        ms(export),
    )
}

/// The CSV export's cycles: the first day (when its rows can leave) and the whole period.
async fn export_times(store: &Store, from: i64, to: i64) -> (Duration, Duration) {
    let started = Instant::now();
    let mut first = None;
    let mut bytes = 0;
    let mut start = from;
    while start < to {
        let cycles = store.report_cycles(start, (start + DAY).min(to)).await.unwrap();
        for c in &cycles {
            bytes += format!(
                "{},{},{:?},{:?},{},{:?},{:?},{:?}\r\n",
                c.reference, c.channel, c.locale, c.category, c.started_at, c.first_human_at, c.resolved_at, c.rating
            )
            .len();
        }
        first.get_or_insert(started.elapsed());
        start += DAY;
    }
    assert!(bytes > 0);
    (first.unwrap_or_default(), started.elapsed())
}

async fn filled(url: &str, n: i64) -> Store {
    let store = Store::open(url).await.unwrap();
    let sqlite = url.starts_with("sqlite");
    let numbers = if sqlite {
        format!("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n})")
    } else {
        format!("WITH seq(n) AS (SELECT generate_series(1, {n})::bigint)")
    };
    let concat = |a: &str, b: &str| if sqlite { format!("{a} || {b}") } else { format!("{a} || {b}::text") };
    let started = Instant::now();
    for statement in fill(&numbers, n, &concat) {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(store.pool()).await.unwrap();
    }
    if !sqlite {
        sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
    }
    eprintln!("{url}: {n} conversations stored in {:.1} s", started.elapsed().as_secs_f64());
    store
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let mut rows = vec![
        format!("{n} conversations over 90 days; times in ms, best of three"),
        String::new(),
        "| backend | days worked out (once, after an upgrade) | summary: first / best | agents | days + heatmap | channel filter: first / best | agent filter | language + category | summary after a day changed | gaps | CSV export: first day / all |".to_owned(),
        "|---|---|---|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    let sqlite = filled(&format!("sqlite://{}", dir.path().join("reports.db").display()), n).await;
    rows.push(measure("SQLite", &sqlite, n).await);
    sqlite.close().await;
    let pg = filled(&postgres::fresh_database_url(), n).await;
    rows.push(measure("PostgreSQL", &pg, n).await);
    pg.close().await;
    println!("{}", rows.join("\n"));
}
