//! Soak: the real binary under mixed traffic for a while — web-chat visitors, Telegram and
//! Discord customers (the suite's fakes), mail through a real Dovecot, and agents replying
//! through the API — at about `SOAK_RATE` customer messages per second for `SOAK_SECONDS`
//! (default 50/s for 300 s; `SOAK_SECONDS=3600` is the hour-long run). Every 30 s it samples the
//! process's resident memory, open file descriptors, threads, live runtime tasks and the p99 of
//! web-chat sends; the report compares the first and the last minute and gives each figure's
//! slope per hour.
//!
//! `cargo bench --bench soak` prints the report and writes it to `target/bench-soak.md`.

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::json;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::discord::FakeDiscord;
use support::mail::MailPeer;
use support::telegram::{FakeTelegram, TOKEN, text_update};

const SAMPLE_EVERY: Duration = Duration::from_secs(30);

struct Sample {
    at: f64,
    rss_kb: u64,
    fds: usize,
    threads: u64,
    tasks: u64,
    p99_ms: f64,
    sent: usize,
}

fn main() {
    let seconds: u64 = std::env::var("SOAK_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let rate: u64 = std::env::var("SOAK_RATE").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let report = runtime.block_on(run(Duration::from_secs(seconds), rate));
    println!("{report}");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-soak.md");
    std::fs::write(target, report).unwrap();
}

/// `/proc/<pid>/status`'s `key` (kB for memory).
fn status(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.trim_start_matches(':').split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The server's live runtime tasks, from its `/metrics`.
async fn runtime_tasks(http: &reqwest::Client, server: &support::Server) -> u64 {
    let Ok(answer) = http.get(server.url("/metrics")).send().await else { return 0 };
    let text = answer.text().await.unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix("switchboard_runtime_tasks "))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map_or(0, |tasks| tasks as u64)
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map(|d| d.count()).unwrap_or(0)
}

async fn run(length: Duration, rate: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    support::add_agent(dir.path(), "ann@example.com", "Ann", "admin", "correct horse battery");
    let telegram = FakeTelegram::start().await;
    let discord = FakeDiscord::start().await;
    let mail = MailPeer::start();
    let mut env: Vec<(&str, String)> = vec![
        ("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN.to_owned()),
        ("SWITCHBOARD_TELEGRAM_API_URL", telegram.url.clone()),
        ("SWITCHBOARD_DISCORD_TOKEN", support::discord::TOKEN.to_owned()),
        ("SWITCHBOARD_DISCORD_API_URL", discord.url.clone()),
        ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_SESSION", "off".to_owned()),
    ];
    env.extend(mail.gateway_env());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = support::Server::start(dir.path(), &env);
    let pid = server.child.id();
    let http = support::client();
    let agent = support::sign_in(&http, &server, "ann@example.com", "correct horse battery").await;

    let stop = Arc::new(AtomicBool::new(false));
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let sent = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    // Customers: one message every 1/rate s, taking turns across the channels (web chat half of
    // them, then Telegram, Discord and mail).
    {
        let (http, base, stop, latencies, sent, failures) =
            (http.clone(), server.base.clone(), stop.clone(), latencies.clone(), sent.clone(), failures.clone());
        let (telegram, discord, mail) = (Arc::new(telegram), Arc::new(discord), Arc::new(mail));
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
            // One web-chat session per web customer, opened at their first message.
            let mut sessions: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
            let mut n: u64 = 0;
            while !stop.load(Ordering::SeqCst) {
                tick.tick().await;
                n += 1;
                let customer = n % 200;
                match n % 8 {
                    0..=3 => {
                        let token = match sessions.get(&customer) {
                            Some(token) => token.clone(),
                            None => {
                                let token = support::session_at(&http, &base, json!({})).await;
                                sessions.insert(customer, token.clone());
                                token
                            }
                        };
                        let (http, base, latencies, sent, failures) =
                            (http.clone(), base.clone(), latencies.clone(), sent.clone(), failures.clone());
                        tokio::spawn(async move {
                            let started = Instant::now();
                            let answer = http
                                .post(format!("{base}/webchat/v1/messages"))
                                .bearer_auth(&token)
                                .json(&json!({ "body": format!("where is my deposit {n}") }))
                                .send()
                                .await;
                            if answer.is_ok_and(|a| a.status() == 201) {
                                latencies.lock().unwrap().push(started.elapsed().as_secs_f64() * 1000.0);
                                sent.fetch_add(1, Ordering::SeqCst);
                            } else {
                                failures.fetch_add(1, Ordering::SeqCst);
                            }
                        });
                    }
                    4 | 5 => {
                        let chat = 10_000 + customer as i64;
                        telegram.push(text_update(chat, chat, n as i64, &format!("withdrawal pending {n}"), "en"));
                        sent.fetch_add(1, Ordering::SeqCst);
                    }
                    6 => {
                        discord.customer_message(7_000 + customer, None, 8_000 + customer, "Kim", &format!("help {n}"));
                        sent.fetch_add(1, Ordering::SeqCst);
                    }
                    _ => {
                        let mail = mail.clone();
                        tokio::spawn(async move {
                            let raw = format!(
                                "From: Customer {customer} <c{customer}@example.test>\nTo: support@support.test\n\
                                 Subject: deposit {n}\nMessage-ID: <soak-{n}@example.test>\n\nMy deposit {n} is late.\n"
                            );
                            mail.deliver(&raw).await;
                        });
                        sent.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }));
    }
    // Agents: every second, answer the longest-waiting open conversation.
    {
        let (http, base, stop, agent) = (http.clone(), server.base.clone(), stop.clone(), agent.clone());
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            while !stop.load(Ordering::SeqCst) {
                tick.tick().await;
                let Ok(list) = http.get(format!("{base}/api/v1/conversations")).bearer_auth(&agent).send().await else {
                    continue;
                };
                let Ok(list) = list.json::<serde_json::Value>().await else { continue };
                if let Some(id) = list["conversations"][0]["id"].as_i64() {
                    let _ = http
                        .post(format!("{base}/api/v1/conversations/{id}/messages"))
                        .bearer_auth(&agent)
                        .json(&json!({ "body": "We are checking it now." }))
                        .send()
                        .await;
                    let _ = http
                        .patch(format!("{base}/api/v1/conversations/{id}"))
                        .bearer_auth(&agent)
                        .json(&json!({ "status": "resolved" }))
                        .send()
                        .await;
                }
            }
        }));
    }

    let started = Instant::now();
    let mut samples = Vec::new();
    while started.elapsed() < length {
        tokio::time::sleep(SAMPLE_EVERY.min(length.saturating_sub(started.elapsed()))).await;
        let mut window = std::mem::take(&mut *latencies.lock().unwrap());
        window.sort_by(f64::total_cmp);
        let p99 = window.get(window.len().saturating_sub(1).min(window.len() * 99 / 100)).copied().unwrap_or(0.0);
        samples.push(Sample {
            at: started.elapsed().as_secs_f64(),
            rss_kb: status(pid, "VmRSS"),
            fds: open_fds(pid),
            threads: status(pid, "Threads"),
            tasks: runtime_tasks(&http, &server).await,
            p99_ms: p99,
            sent: sent.load(Ordering::SeqCst),
        });
    }
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        let _ = task.await;
    }
    let health = http.get(server.url("/healthz")).send().await.map(|r| r.status().as_u16()).unwrap_or(0);

    let mut report = format!(
        "Soak: {} s at {rate} customer messages/s (web chat, Telegram, Discord, mail), agents replying; \
         {} messages sent, {} web-chat sends refused, /healthz {health}.\n\n",
        length.as_secs(),
        sent.load(Ordering::SeqCst),
        failures.load(Ordering::SeqCst),
    );
    report.push_str(
        "| at (s) | RSS (MB) | open fds | threads | tasks | web-chat send p99 (ms) | messages sent |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for s in &samples {
        let _ = writeln!(
            report,
            "| {:.0} | {:.1} | {} | {} | {} | {:.1} | {} |",
            s.at,
            s.rss_kb as f64 / 1024.0,
            s.fds,
            s.threads,
            s.tasks,
            s.p99_ms,
            s.sent
        );
    }
    if let (Some(first), Some(last)) = (samples.first(), samples.last())
        && last.at > first.at
    {
        let hours = (last.at - first.at) / 3600.0;
        let _ = writeln!(
            report,
            "\nSlope from the first to the last sample: RSS {:+.1} MB/h, fds {:+.0}/h, threads {:+.0}/h, \
             tasks {:+.0}/h.",
            (last.rss_kb as f64 - first.rss_kb as f64) / 1024.0 / hours,
            (last.fds as f64 - first.fds as f64) / hours,
            (last.threads as f64 - first.threads as f64) / hours,
            (last.tasks as f64 - first.tasks as f64) / hours,
        );
    }
    report
}
