//! The disk fails under the real binary: SQLite's filesystem fills up mid-flood (a small tmpfs,
//! so mounting needs root, as the suite has in CI), and the attachment folder cannot be
//! written. Requests are answered 503 with `Retry-After`, never 500; nothing acknowledged is
//! lost or stored twice; the store passes `PRAGMA integrity_check`; and everything resumes by
//! itself when the disk does.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Duration;
use support::flood::{Flood, assert_stored_exactly_as_confirmed};
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent, client, eventually, get_json, post_files, sign_in};

const PASSWORD: &str = "correct horse battery";

/// A tmpfs of a given size, unmounted when dropped (declare it before the server using it).
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .status()
            .expect("run mount");
        assert!(status.success(), "mounting a tmpfs needs root: run the suite as root (scripts/test.sh does in CI)");
        Tmpfs { path: path.to_owned() }
    }

    /// Grows (or shrinks) the filesystem in place: the space returns without a remount.
    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.path)
            .status()
            .expect("run mount");
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_on_a_full_disk_answers_503_stays_intact_and_resumes_when_space_returns() {
    let dir = tempfile::tempdir().unwrap();
    let disk = Tmpfs::mount(&dir.path().join("disk"), "3m");
    let database = format!("sqlite://{}", disk.path.join("switchboard.db").display());
    let data = disk.path.join("data").display().to_string();
    let env = [("SWITCHBOARD_DATABASE_URL", database.as_str()), ("SWITCHBOARD_DATA_DIR", data.as_str())];
    let server = Server::start_logged(dir.path(), &env);
    let http = client();

    // Four clients, each message ~1 KB: three megabytes fill within seconds.
    let flood = Flood::start(&http, &server, 4, 1000).await;
    flood.until_unavailable("503s on the full disk", 40, Duration::from_secs(120)).await;
    let full_at = flood.confirmed();
    // The disk stays full for a while; the clients keep trying, each answered 503.
    flood.until_unavailable("more 503s", 400, Duration::from_secs(60)).await;
    let during = flood.confirmed() - full_at;

    disk.resize("64m");
    flood.until_confirmed("traffic after the space returned", flood.confirmed() + 200, Duration::from_secs(60)).await;
    let tally = flood.stop().await;
    assert_stored_exactly_as_confirmed(&http, &server, &tally).await;
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
    assert!(log.contains("database or disk is full"), "the log says why writes failed");
    assert!(server.terminate().success());

    let store = switchboard_core::store::Store::connect(&database).await.unwrap();
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    store.close().await;
    eprintln!(
        "full disk: {full_at} messages acknowledged before it filled, {during} while full, {} answers 503; {} in all, \
         stored once each, integrity ok",
        tally.unavailable.load(Ordering::SeqCst),
        tally.total.load(Ordering::SeqCst)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_attachment_folder_refuses_files_with_503_and_loses_none() {
    let fake = FakeTelegram::start().await;
    let photo: Vec<u8> = (0..20_000u32).map(|i| (i % 249) as u8).collect();
    fake.add_file("photo-1", photo.clone());
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = Server::start_logged(
        dir.path(),
        &[("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN), ("SWITCHBOARD_TELEGRAM_API_URL", fake.url.as_str())],
    );
    let http = client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    fake.push(text_update(4100, 4100, 1, "hello", "en"));
    eventually("the conversation", Duration::from_secs(20), || async {
        get_json(&http, &server, "/api/v1/conversations", &agent).await["conversations"]
            .as_array()
            .is_some_and(|list| list.len() == 1)
    })
    .await;
    let list = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();

    // Where the attachment folder was, a file: nothing can be created under it, even by root
    // (who permissions would not stop).
    let folder = dir.path().join("data").join("attachments");
    let away = dir.path().join("attachments-away");
    if folder.exists() {
        std::fs::rename(&folder, &away).unwrap();
    }
    std::fs::create_dir_all(folder.parent().unwrap()).unwrap();
    std::fs::write(&folder, b"not a folder").unwrap();

    // An agent's file is refused with 503 and nothing of that reply is stored; a text reply goes.
    let files: &[(&str, &str, &[u8])] = &[("receipt.txt", "text/plain", b"tx 0xabc")];
    let refused = post_files(&http, &server, &agent, id, "Here is the receipt", files).await;
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let text = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Looking into it"}))
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 201);

    // A customer's photo cannot be kept: the update stays unconfirmed, to be read again.
    let from = json!({"id": 4100, "is_bot": false, "first_name": "Customer", "language_code": "en"});
    let chat = json!({"id": 4100, "type": "private", "first_name": "Customer"});
    let photo_update = fake.push(json!({"message": {
        "message_id": 2, "date": 1_700_000_000, "from": from, "chat": chat,
        "photo": [{"file_id": "photo-1", "file_unique_id": "p1", "width": 100, "height": 100, "file_size": 20000}]
    }}));
    let log = dir.path().join("server.log");
    eventually("the failed photo in the log", Duration::from_secs(30), || async {
        std::fs::read_to_string(&log).unwrap_or_default().contains("attachment storage")
    })
    .await;
    assert!(fake.confirmed() <= photo_update, "an update whose photo was not kept was confirmed");

    // The folder is back: the agent sends again, the photo is read again; each is stored once.
    std::fs::remove_file(&folder).unwrap();
    if away.exists() {
        std::fs::rename(&away, &folder).unwrap();
    }
    let sent = post_files(&http, &server, &agent, id, "Here is the receipt", files).await;
    assert_eq!(sent.status(), 201);
    eventually("the photo stored", Duration::from_secs(60), || async { fake.confirmed() > photo_update }).await;
    let thread = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    let messages: &Vec<Value> = thread["messages"].as_array().unwrap();
    let photos: Vec<&Value> = messages.iter().filter(|m| m["body"] == "[photo]").collect();
    assert_eq!(photos.len(), 1, "the photo stored once");
    assert_eq!(photos[0]["attachments"][0]["size"], 20_000);
    let receipts = messages.iter().filter(|m| m["body"] == "Here is the receipt").count();
    assert_eq!(receipts, 1, "the refused reply left nothing behind");
    let url = photos[0]["attachments"][0]["url"].as_str().unwrap();
    assert_eq!(support::download(&http, &server, &agent, url).await, photo);
}
