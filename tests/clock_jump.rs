//! The wall clock jumps under the running binary — an hour back, then two hours forward, as an
//! NTP step or a resumed virtual machine moves it (libfaketime; the monotonic clock goes on):
//! a retry due in seconds still goes out in seconds, sessions stay valid, threads keep their
//! order.

mod support;

use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent, eventually, get_json, session, sign_in};

const PASSWORD: &str = "correct horse battery";
const HOUR: Duration = Duration::from_secs(3600);

/// The server's wall clock, moved by libfaketime through a file it reads again every second.
struct Clock {
    file: PathBuf,
    library: String,
}

impl Clock {
    fn new(dir: &std::path::Path) -> Clock {
        let library = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]
            .iter()
            .map(|lib| format!("{lib}/faketime/libfaketime.so.1"))
            .find(|path| std::path::Path::new(path).exists())
            .expect("libfaketime is not installed: run scripts/test.sh, which installs it");
        let clock = Clock { file: dir.join("faketime"), library };
        clock.set("+0");
        clock
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LD_PRELOAD", self.library.clone()),
            ("FAKETIME_TIMESTAMP_FILE", self.file.display().to_string()),
            ("FAKETIME_CACHE_DURATION", "1".into()),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1".into()),
        ]
    }

    /// An offset from the real time, in libfaketime's notation ("-1h", "+1h").
    fn set(&self, offset: &str) {
        std::fs::write(&self.file, offset).unwrap();
    }
}

/// The server's idea of now — the time it gives a web-chat message — minus the real now. (Not
/// the `Date` header: hyper keeps the one it has until its clock passes the next second, which
/// after a jump back is an hour away.)
async fn offset_of(http: &reqwest::Client, server: &Server, visitor: &str) -> f64 {
    let answer = support::send(http, server, visitor, json!({"body": "clock probe"})).await;
    assert_eq!(answer.status(), 201);
    let message: Value = answer.json().await.unwrap();
    let theirs = humantime::parse_rfc3339(message["created_at"].as_str().unwrap()).unwrap();
    let ours = SystemTime::now();
    match theirs.duration_since(ours) {
        Ok(ahead) => ahead.as_secs_f64(),
        Err(behind) => -behind.duration().as_secs_f64(),
    }
}

async fn jump(clock: &Clock, http: &reqwest::Client, server: &Server, visitor: &str, offset: &str, hours: f64) {
    clock.set(offset);
    eventually(&format!("the server's clock at {offset}"), Duration::from_secs(30), || async {
        (offset_of(http, server, visitor).await - hours * HOUR.as_secs_f64()).abs() < 120.0
    })
    .await;
}

fn bodies(thread: &Value) -> Vec<String> {
    thread["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wall_clock_jumping_an_hour_back_and_forth_delays_and_reorders_nothing() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let clock = Clock::new(dir.path());
    let mut env = clock.env();
    env.push(("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN.into()));
    env.push(("SWITCHBOARD_TELEGRAM_API_URL", fake.url.clone()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let visitor = session(&http, &server, json!({"name": "Web visitor"})).await;
    assert!(offset_of(&http, &server, &visitor).await.abs() < 120.0, "libfaketime at +0");
    fake.push(text_update(4200, 4200, 1, "message 1", "en"));
    eventually("the acknowledgement", Duration::from_secs(20), || async { fake.sent_count() == 1 }).await;
    let list = get_json(&http, &server, "/api/v1/conversations?channel=telegram", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let reply = |body: &'static str| {
        let (http, url, agent) = (http.clone(), server.url(&format!("/api/v1/conversations/{id}/messages")), &agent);
        async move {
            let answer = http.post(url).bearer_auth(agent).json(&json!({ "body": body })).send().await.unwrap();
            assert_eq!(answer.status(), 201, "{body}");
        }
    };

    // A reply told to retry after 5 s; then the clock goes back an hour before it is due.
    fake.outage(Duration::from_secs(2));
    reply("reply 1").await;
    eventually("the reply deferred", Duration::from_secs(20), || async { fake.outage_refused().0 >= 1 }).await;
    jump(&clock, &http, &server, &visitor, "-1h", -1.0).await;
    eventually("the reply sent in seconds, not in an hour", Duration::from_secs(60), || async {
        fake.sent().iter().any(|s| s["text"] == "reply 1")
    })
    .await;
    fake.push(text_update(4200, 4200, 2, "message 2", "en"));
    let web = support::send(&http, &server, &visitor, json!({"body": "web message after the jump back"})).await;
    assert_eq!(web.status(), 201, "the web-chat session outlived the jump");

    // Two hours forward: sessions and the agent's sign-in hold, replies go out.
    jump(&clock, &http, &server, &visitor, "+1h", 1.0).await;
    reply("reply 2").await;
    fake.push(text_update(4200, 4200, 3, "message 3", "en"));
    eventually("reply 2 sent", Duration::from_secs(30), || async {
        fake.sent().iter().any(|s| s["text"] == "reply 2")
    })
    .await;
    let web = support::send(&http, &server, &visitor, json!({"body": "web message after the jump forward"})).await;
    assert_eq!(web.status(), 201);

    let path = format!("/api/v1/conversations/{id}");
    eventually("message 3 stored", Duration::from_secs(30), || async {
        bodies(&get_json(&http, &server, &path, &agent).await).contains(&"message 3".to_owned())
    })
    .await;
    let thread = bodies(&get_json(&http, &server, &path, &agent).await);
    let order: Vec<&str> =
        thread.iter().map(String::as_str).filter(|b| b.starts_with("message ") || b.starts_with("reply ")).collect();
    assert_eq!(order, ["message 1", "reply 1", "message 2", "reply 2", "message 3"], "arrival order: {thread:?}");
    let replies: Vec<Value> =
        fake.sent().into_iter().filter(|s| s["text"].as_str().unwrap().starts_with("reply")).collect();
    assert_eq!(replies.len(), 2, "each reply once");
    let web_thread = support::all_messages(&http, &server, &visitor).await;
    let web_bodies: Vec<&str> = web_thread.iter().filter_map(|m| m["body"].as_str()).collect();
    assert_eq!(
        web_bodies.iter().filter(|b| b.starts_with("web message")).copied().collect::<Vec<_>>(),
        ["web message after the jump back", "web message after the jump forward"]
    );
}
