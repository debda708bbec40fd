//! Pipeline benchmark: ingest → persist → outbox → StubChannel delivery, on SQLite with full
//! durability (WAL, synchronous=FULL) and on PostgreSQL (fsync on).
//!
//! `cargo bench -p switchboard-core --bench pipeline` prints a Markdown report and writes it to
//! `target/bench-pipeline.md`. Set `BENCH_BACKENDS=sqlite` to skip PostgreSQL.
//!
//! Workload: every inbound message is a customer command (`/status`) on an open conversation,
//! so each one takes the whole path: dedupe, identity, conversation, message + platform link,
//! a reply message + its outbox row in the same commit, delivery through the channel, and the
//! delivery record.

#[path = "../tests/support/postgres.rs"]
mod postgres;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_core::channel::Channels;
use switchboard_core::ingest::{Inbound, Sender};
use switchboard_core::model::ChannelKind;
use switchboard_core::store::Store;
use switchboard_core::stub::StubChannel;
use switchboard_core::{Core, CoreConfig, Running};

const CONVERSATIONS: usize = 500;
const PER_CONVERSATION: usize = 40;
const FIXED_RATE: u64 = 200;
const FIXED_SECONDS: u64 = 15;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let mut report = String::new();
    let _ = writeln!(report, "| backend | scenario | result |\n|---|---|---|");
    for backend in backends.split(',') {
        let results = runtime.block_on(run_backend(backend.trim()));
        for (scenario, result) in results {
            let _ = writeln!(report, "| {backend} | {scenario} | {result} |");
        }
    }
    let _ = writeln!(report, "\npeak RSS of the whole benchmark process: {:.1} MiB", peak_rss_mib());
    println!("{report}");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-pipeline.md");
    std::fs::write(target, &report).unwrap();
}

async fn run_backend(backend: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        "sqlite" => format!("sqlite://{}", dir.path().join("bench.db").display()),
        "postgres" => {
            // SAFETY: set before any thread reads the environment for the server start.
            unsafe { std::env::set_var("SWITCHBOARD_PG_DURABLE", "1") };
            postgres::fresh_database_url()
        }
        other => panic!("unknown backend {other}"),
    };
    let mut results = Vec::new();

    let (running, stub) = start(&url, dir.path()).await;
    let core = running.core();
    open_conversations(&core, &stub, CONVERSATIONS).await;
    results.extend(fixed_rate(&core, &stub).await);
    results.push(throughput(&core, &stub).await);
    running.shutdown().await;
    results
}

async fn start(url: &str, dir: &std::path::Path) -> (Running, Arc<StubChannel>) {
    let store = Store::open(url).await.unwrap();
    let stub = Arc::new(StubChannel::new(ChannelKind::Webchat));
    let mut channels = Channels::new();
    channels.register(stub.clone());
    let config = CoreConfig { data_dir: dir.join("data"), ..CoreConfig::default() };
    (Core::start(store, config, channels).await.unwrap(), stub)
}

fn message(customer: usize, id: String) -> Inbound {
    Inbound {
        channel: ChannelKind::Webchat,
        external_id: id,
        chat: format!("customer-{customer}"),
        thread: None,
        sender: Sender { external_id: format!("customer-{customer}"), display_name: "Bench".into(), lang_hint: None },
        body: "/status".into(),
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Default::default(),
        automated: false,
        choice: None,
    }
}

async fn open_conversations(core: &Core, stub: &StubChannel, n: usize) {
    let mut tasks = Vec::new();
    for customer in 0..n {
        let core = core.clone();
        tasks.push(tokio::spawn(async move {
            let mut first = message(customer, format!("open-{customer}"));
            first.body = "My withdrawal has not arrived".into();
            core.ingest(first).await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    stub.wait_for(n, Duration::from_secs(120)).await;
}

/// 500 conversations, each sending its next message as soon as the previous one is durable.
async fn throughput(core: &Core, stub: &StubChannel) -> (String, String) {
    let before = stub.sent().len();
    let total = CONVERSATIONS * PER_CONVERSATION;
    let cpu = cpu_seconds();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for customer in 0..CONVERSATIONS {
        let core = core.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..PER_CONVERSATION {
                core.ingest(message(customer, format!("t-{customer}-{i}"))).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let durable = started.elapsed();
    let delivered = stub.wait_for(before + total, Duration::from_secs(300)).await.len() - before;
    let elapsed = started.elapsed();
    let cpu = cpu_seconds() - cpu;
    assert_eq!(delivered, total, "every reply delivered");
    (
        format!("throughput, {CONVERSATIONS} concurrent conversations, {total} messages"),
        format!(
            "{:.0} messages/s durable; {:.0} messages/s with replies delivered; {:.0} µs CPU per message",
            total as f64 / durable.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64(),
            cpu / total as f64 * 1e6
        ),
    )
}

/// An open-loop arrival of 200 messages/s over 100 conversations: latency to durable (the
/// moment the platform may be acknowledged) and to the reply's delivery.
async fn fixed_rate(core: &Core, stub: &StubChannel) -> Vec<(String, String)> {
    let total = (FIXED_RATE * FIXED_SECONDS) as usize;
    let interval = Duration::from_secs(1) / FIXED_RATE as u32;
    let before = stub.sent().len();
    let cpu = cpu_seconds();
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    let mut sent_at = HashMap::with_capacity(total);
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    for i in 0..total {
        ticker.tick().await;
        let core = core.clone();
        let id = format!("r-{i}");
        sent_at.insert(id.clone(), Instant::now());
        tasks.push(tokio::spawn(async move {
            let begun = Instant::now();
            core.ingest(message(i % 100, id)).await.unwrap();
            begun.elapsed()
        }));
    }
    let mut durable = Vec::with_capacity(total);
    for t in tasks {
        durable.push(t.await.unwrap());
    }
    let sent = stub.wait_for(before + total, Duration::from_secs(120)).await;
    let cpu = cpu_seconds() - cpu;
    let wall = started.elapsed();
    let mut delivered: Vec<Duration> = sent[before..]
        .iter()
        .filter_map(|s| {
            let key = s.message.reply_to.as_ref()?;
            Some(s.at.duration_since(*sent_at.get(key)?))
        })
        .collect();
    assert_eq!(delivered.len(), total);
    let label = format!("fixed rate {FIXED_RATE} messages/s for {FIXED_SECONDS} s");
    vec![
        (format!("{label}: ingest → durable"), percentiles(&mut durable)),
        (format!("{label}: ingest → reply delivered"), percentiles(&mut delivered)),
        (
            format!("{label}: CPU"),
            format!(
                "{:.0} µs per message ({:.1}% of one core)",
                cpu / total as f64 * 1e6,
                cpu / wall.as_secs_f64() * 100.0
            ),
        ),
    ]
}

fn percentiles(samples: &mut [Duration]) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    )
}

/// User + system CPU time of this process, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of stat(5), counted after the command name; clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
