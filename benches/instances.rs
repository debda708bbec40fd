//! Several instances: web-chat throughput with 1, 2 and 3 real `switchboard serve` processes on
//! one PostgreSQL database (`synchronous_commit` on, the server's default), a flood of
//! `INSTANCES_CLIENTS` web-chat visitors (default 24) spread over the instances for
//! `INSTANCES_SECONDS` (default 20) per run. For each run: messages stored per second, the CPU
//! time each instance and the database server spent per message (from `/proc`), and the
//! database's commits per message (`pg_stat_database`).
//!
//! `cargo bench --bench instances` prints the report and writes it to
//! `target/bench-instances.md`.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};
use support::flood::Flood;
use support::{Server, client};

/// Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, 100 on Linux).
const TICKS: f64 = 100.0;

fn main() {
    let seconds: u64 = std::env::var("INSTANCES_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let clients: usize = std::env::var("INSTANCES_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut report = String::from(
        "| instances | messages/s | CPU per message, each instance (µs) | CPU per message, all instances (µs) | database CPU per message (µs) | commits per message |\n|---|---|---|---|---|---|\n",
    );
    for n in 1..=3 {
        let line = runtime.block_on(run(n, clients, Duration::from_secs(seconds)));
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    }
    println!("{report}");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-instances.md");
    std::fs::write(target, report).unwrap();
}

/// User + system CPU seconds of `pid` (with its reaped children's when `children`).
fn cpu(pid: u32, children: bool) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command's closing parenthesis: state is 3rd, utime the 14th.
    let rest = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<f64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0.0);
    let own = field(14) + field(15);
    let reaped = if children { field(16) + field(17) } else { 0.0 };
    (own + reaped) / TICKS
}

/// The database server's CPU seconds: the postmaster, its live backends and those gone.
fn database_cpu() -> f64 {
    let pidfile = std::fs::read_to_string(postgres::server().data.join("postmaster.pid")).unwrap();
    let postmaster: u32 = pidfile.lines().next().unwrap().trim().parse().unwrap();
    let mut total = cpu(postmaster, true);
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let rest = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
        if rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(postmaster) {
            total += cpu(pid, false);
        }
    }
    total
}

/// Transactions committed in `url`'s database so far.
fn commits(url: &str) -> f64 {
    let database = url.rsplit('/').next().unwrap();
    let port = postgres::server().port.to_string();
    let out = Command::new(postgres::bin("psql").unwrap_or_else(|| "psql".into()))
        .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", "postgres", "-tAc"])
        .arg(format!("SELECT xact_commit FROM pg_stat_database WHERE datname = '{database}'"))
        .output()
        .expect("psql");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0.0)
}

async fn run(n: usize, clients: usize, length: Duration) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let servers: Vec<Server> = (0..n)
        .map(|i| {
            let name = format!("bench-{i}");
            Server::start(
                dir.path(),
                &[
                    ("SWITCHBOARD_DATABASE_URL", &url),
                    ("SWITCHBOARD_INSTANCE", &name),
                    ("SWITCHBOARD_LOG", "warn"),
                    ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_SESSION", "off"),
                    ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_ADDRESS", "off"),
                    ("SWITCHBOARD_WEBCHAT_SESSIONS_PER_ADDRESS", "off"),
                ],
            )
        })
        .collect();
    let http = client();
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let flood = Flood::across(&http, &bases, clients, 0).await;
    // A few seconds to warm up (connections, caches), then the measured window.
    flood.until_confirmed("warm-up", 500, Duration::from_secs(60)).await;
    let (sent0, commits0, database0) = (flood.confirmed(), commits(&url), database_cpu());
    let instances0: Vec<f64> = servers.iter().map(|s| cpu(s.child.id(), false)).collect();
    let started = Instant::now();
    tokio::time::sleep(length).await;
    let elapsed = started.elapsed().as_secs_f64();
    let sent = (flood.confirmed() - sent0) as f64;
    let instances: Vec<f64> =
        servers.iter().zip(&instances0).map(|(s, before)| cpu(s.child.id(), false) - before).collect();
    let (commits, database) = (commits(&url) - commits0, database_cpu() - database0);
    flood.stop().await;
    let per_message = |seconds: f64| seconds / sent * 1e6;
    let mut each = String::new();
    for (i, seconds) in instances.iter().enumerate() {
        let _ = write!(each, "{}{:.0}", if i > 0 { " / " } else { "" }, per_message(*seconds));
    }
    format!(
        "| {n} | {:.0} | {each} | {:.0} | {:.0} | {:.2} |",
        sent / elapsed,
        per_message(instances.iter().sum()),
        per_message(database),
        commits / sent
    )
}
