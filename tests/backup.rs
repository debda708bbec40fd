//! `switchboard backup FILE` while web-chat messages are flowing: the copy passes SQLite's
//! integrity check, restores (a server started on it serves every session it holds), and is
//! one consistent moment — every message confirmed before the backup began is in it, none
//! confirmed after it ended, and each customer's messages in it are a prefix of what they sent.

mod support;

use serde_json::json;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Server, all_messages, client, eventually};

const CLIENTS: usize = 8;
const MESSAGES: usize = 150;

/// One confirmed message: its body, and whether it was confirmed before the backup began /
/// after it ended.
#[derive(Clone)]
struct Sent {
    body: String,
    before: bool,
    after: bool,
}

/// A customer's session token and what they sent.
type Customer = (String, Vec<Sent>);

fn backup(dir: &std::path::Path, db: &std::path::Path, file: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["backup", file.to_str().unwrap()])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SWITCHBOARD_DATABASE_URL", format!("sqlite://{}", db.display()))
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_mid_flood_is_one_consistent_moment_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = client();
    let (began, ended) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let total = Arc::new(AtomicUsize::new(0));
    let sent: Arc<Mutex<Vec<Customer>>> = Arc::default();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (http, base, sent, total) = (http.clone(), server.base.clone(), sent.clone(), total.clone());
        let (began, ended) = (began.clone(), ended.clone());
        tasks.push(tokio::spawn(async move {
            let token = support::session_at(&http, &base, json!({})).await;
            let mut mine = Vec::new();
            for i in 0..MESSAGES {
                let body = format!("client {c} message {i}");
                let before = !began.load(Ordering::SeqCst);
                let r = http
                    .post(format!("{base}/webchat/v1/messages"))
                    .bearer_auth(&token)
                    .json(&json!({"body": body}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "{body}");
                mine.push(Sent {
                    body,
                    before: before && !began.load(Ordering::SeqCst),
                    after: ended.load(Ordering::SeqCst),
                });
                total.fetch_add(1, Ordering::SeqCst);
            }
            sent.lock().unwrap().push((token, mine));
        }));
    }
    eventually("traffic before the backup", Duration::from_secs(60), || {
        let total = total.clone();
        async move { total.load(Ordering::SeqCst) >= CLIENTS * MESSAGES / 4 }
    })
    .await;
    let file = dir.path().join("backup.db");
    began.store(true, Ordering::SeqCst);
    let out = tokio::task::spawn_blocking({
        let (dir, file) = (dir.path().to_owned(), file.clone());
        move || backup(&dir, &dir.join("switchboard.db"), &file)
    })
    .await
    .unwrap();
    ended.store(true, Ordering::SeqCst);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("integrity ok"), "{stdout}");
    for task in tasks {
        task.await.unwrap();
    }
    // Nothing overwritten: a second backup to the same file is refused.
    let again = backup(dir.path(), &dir.path().join("switchboard.db"), &file);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    server.terminate();

    // Restored: the copy as a new store, served.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&file, restored.path().join("switchboard.db")).unwrap();
    let server = Server::start(restored.path(), &[]);
    let sent = sent.lock().unwrap().clone();
    let (mut kept, mut total_before) = (0, 0);
    for (token, mine) in &sent {
        // A session opened after the copy's moment is not in it.
        let probe = http.get(server.url("/webchat/v1/messages?after=0")).bearer_auth(token).send().await.unwrap();
        let in_copy = probe.status() == 200;
        assert!(in_copy || probe.status() == 401, "{}", probe.status());
        let messages = if in_copy { all_messages(&http, &server, token).await } else { Vec::new() };
        let seen: Vec<String> = messages
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        let bodies: Vec<&String> = mine.iter().map(|s| &s.body).collect();
        assert_eq!(seen.iter().collect::<Vec<_>>(), bodies[..seen.len()].to_vec(), "not a prefix of what was sent");
        for s in mine {
            let present = seen.contains(&s.body);
            assert!(!s.before || present, "{} was confirmed before the backup began but is missing", s.body);
            assert!(!s.after || !present, "{} was confirmed after the backup ended but is in it", s.body);
        }
        kept += seen.len();
        total_before += mine.iter().filter(|s| s.before).count();
    }
    assert!(kept >= total_before && total_before > 0, "kept {kept}, confirmed before {total_before}");
    let after: usize = sent.iter().map(|(_, mine)| mine.iter().filter(|s| s.after).count()).sum();
    eprintln!(
        "backup mid-flood: {total_before} confirmed before it began, {kept} in the copy, {after} confirmed after it ended"
    );
    server.terminate();
}

#[test]
fn a_postgres_store_is_pointed_to_its_own_tools() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["backup", "copy.db"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SWITCHBOARD_DATABASE_URL", "postgres://switchboard:secret@127.0.0.1:1/switchboard")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pg_dump") && stderr.contains("pg_basebackup"), "{stderr}");
    assert!(!stderr.contains("secret"));
}
