//! What an operator watches: logs a file or a shipper can take, and `/metrics` with every
//! series present from the first scrape.

mod support;

use serde_json::{Value, json};
use support::{Server, send, session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_to_a_file_have_no_colour_codes_and_json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_logged(dir.path(), &[("SWITCHBOARD_LOG", "info")]);
    let http = support::client();
    let token = session(&http, &server, json!({"name": "Lee"})).await;
    send(&http, &server, &token, json!({"body": "hello"})).await;
    assert!(server.terminate().success());
    let text = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(text.contains("listening"), "{text}");
    assert!(!text.contains('\u{1b}'), "colour codes in a log file: {text:?}");

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_logged(dir.path(), &[("SWITCHBOARD_LOG", "info"), ("SWITCHBOARD_LOG_FORMAT", "json")]);
    let token = session(&http, &server, json!({"name": "Lee"})).await;
    send(&http, &server, &token, json!({"body": "hello"})).await;
    assert!(server.terminate().success());
    let text = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2, "{text}");
    for line in lines {
        let object: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(object["timestamp"].is_string() && object["level"].is_string(), "{line}");
    }
}

#[test]
fn a_bad_log_format_is_refused_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("SWITCHBOARD_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SWITCHBOARD_LOG_FORMAT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_serve_on_one_sqlite_file_exits_with_a_clear_error_and_starts_once_the_first_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path(), &[]);
    let http = support::client();
    let token = session(&http, &first, json!({"name": "Lee"})).await;
    send(&http, &first, &token, json!({"body": "hello"})).await;

    let second = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
        .env("SWITCHBOARD_DATABASE_URL", format!("sqlite://{}", dir.path().join("switchboard.db").display()))
        .env("SWITCHBOARD_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("already served by another switchboard process"), "{said}");
    assert!(said.contains("PostgreSQL"), "{said}");
    assert!(second.stdout.is_empty(), "the second instance must not have listened: {:?}", second.stdout);

    // The lock is the operating system's: a killed first instance leaves the file free.
    first.kill9();
    let again = Server::start(dir.path(), &[]);
    let token = session(&http, &again, json!({"name": "Kim"})).await;
    send(&http, &again, &token, json!({"body": "hello again"})).await;
    assert!(again.terminate().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_series_is_on_the_first_scrape_with_help_and_the_store_figures_follow() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let scrape = || async { http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap() };
    let first = scrape().await;
    for series in [
        "switchboard_messages_in_total{channel=\"telegram\"} 0",
        "switchboard_messages_out_total{channel=\"email\"} 0",
        "switchboard_handoffs_total{reason=\"asked\"} 0",
        "switchboard_handoffs_total{reason=\"not_sure\"} 0",
        "switchboard_bot_decisions_total{action=\"answer\"} 0",
        "switchboard_bot_decisions_total{action=\"handoff\"} 0",
        "switchboard_conversations{status=\"open\"} 0",
        "switchboard_conversations_waiting 0",
        "switchboard_conversations_waiting_oldest_seconds 0",
        "switchboard_outbox_pending{channel=\"webchat\"} 0",
        "switchboard_outbox_oldest_pending_seconds{channel=\"discord\"} 0",
        "switchboard_channel_connected{channel=\"webchat\"} 1",
        "switchboard_write_batches_failed_total 0",
    ] {
        assert!(first.lines().any(|l| l == series), "{series} missing from the first scrape:\n{first}");
    }
    // Every series says what it is.
    let names: std::collections::BTreeSet<&str> = first
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            l.split(['{', ' '])
                .next()
                .unwrap()
                .trim_end_matches("_bucket")
                .trim_end_matches("_sum")
                .trim_end_matches("_count")
        })
        .collect();
    for name in names {
        assert!(first.contains(&format!("# HELP {name} ")), "no HELP for {name}");
    }

    let token = session(&http, &server, json!({"name": "Ola"})).await;
    send(&http, &server, &token, json!({"body": "my withdrawal is stuck"})).await;
    let after = scrape().await;
    assert!(after.lines().any(|l| l == "switchboard_conversations{status=\"open\"} 1"), "{after}");
    assert!(after.lines().any(|l| l == "switchboard_conversations_waiting 1"), "{after}");
    assert!(after.lines().any(|l| l == "switchboard_messages_in_total{channel=\"webchat\"} 1"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_ask_for_a_bearer_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("SWITCHBOARD_METRICS_TOKEN", "scrape-secret")]);
    let http = support::client();
    assert_eq!(http.get(server.url("/metrics")).send().await.unwrap().status(), 401);
    let wrong = http.get(server.url("/metrics")).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let right = http.get(server.url("/metrics")).bearer_auth("scrape-secret").send().await.unwrap();
    assert_eq!(right.status(), 200);
    assert!(right.text().await.unwrap().contains("# HELP switchboard_conversations "));
}
