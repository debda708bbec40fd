//! Input the product must take without failing anyone else: NUL characters in every text a
//! customer or an agent controls, oversized bodies, and recovery phrases typed where no message
//! body is (a web-chat name, a client id, a file's name). On SQLite and PostgreSQL.

mod support;

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent_to, all_messages, get_json, post_files, session, sign_in};

const PASSWORD: &str = "correct horse battery";

struct Desk {
    _dir: tempfile::TempDir,
    server: Server,
    http: reqwest::Client,
    admin: String,
}

fn sqlite() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    (dir, url)
}

async fn desk((dir, url): (tempfile::TempDir, String)) -> Desk {
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[("SWITCHBOARD_DATABASE_URL", &url)]);
    let http = support::client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    Desk { _dir: dir, server, http, admin }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_are_taken_everywhere_on_sqlite() {
    nul_characters_are_taken_everywhere(desk(sqlite()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_are_taken_everywhere_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    nul_characters_are_taken_everywhere(desk((dir, postgres::fresh_database_url())).await).await;
}

async fn nul_characters_are_taken_everywhere(d: Desk) {
    let (http, server) = (&d.http, &d.server);
    // A customer whose name and message hold NULs, sending at the same moment as others: every
    // message is stored, the NULs gone.
    let nul = session(http, server, json!({"name": "Nu\u{0}ll", "locale": "en\u{0}-US"})).await;
    let others: Vec<String> = {
        let mut tokens = Vec::new();
        for n in 0..5 {
            tokens.push(session(http, server, json!({"name": format!("Other {n}")})).await);
        }
        tokens
    };
    let mut sends = vec![tokio::spawn(send_owned(http.clone(), server.url(""), nul.clone(), "a\u{0}b \u{0}c"))];
    for token in &others {
        sends.push(tokio::spawn(send_owned(http.clone(), server.url(""), token.clone(), "hello")));
    }
    for sent in sends {
        assert_eq!(sent.await.unwrap(), 201);
    }
    let mine = all_messages(http, server, &nul).await;
    assert_eq!(mine[0]["body"], "ab c");

    let list = get_json(http, server, "/api/v1/conversations?status=all", &d.admin).await;
    let conversation = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Null");
    let id = conversation.expect("the contact's name without its NUL")["id"].as_i64().unwrap();

    // Agents' texts, search parameters and sign-in: never a 5xx.
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&d.admin)
        .json(&json!({"body": "on \u{0}it", "private": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    assert_eq!(reply.json::<Value>().await.unwrap()["body"], "on it");
    let files = post_files(http, server, &d.admin, id, "see \u{0}file", &[("receipt.txt", "text/plain", b"x")]).await;
    assert_eq!(files.status(), 201, "{:?}", files.text().await);
    // A raw NUL in a part's headers is malformed multipart: refused alone, with a reason.
    let malformed = post_files(http, server, &d.admin, id, "x", &[("re\u{0}ceipt.txt", "text/plain", b"x")]).await;
    assert_eq!(malformed.status(), 400);
    assert!(malformed.json::<Value>().await.unwrap()["error"].is_string());
    for query in ["q=a%00b", "tag=vi%00p", "language=e%00n", "status=op%00en", "q=%00"] {
        let found =
            http.get(server.url(&format!("/api/v1/conversations?{query}"))).bearer_auth(&d.admin).send().await.unwrap();
        assert!(found.status().is_success(), "{query}: {}", found.status());
    }
    let canned = http
        .post(server.url("/api/v1/canned_responses"))
        .bearer_auth(&d.admin)
        .json(&json!({"title": "gre\u{0}et", "locale": "en-US", "body": "Hi \u{0}there"}))
        .send()
        .await
        .unwrap();
    assert!(canned.status().is_success(), "{}", canned.status());
    let handle = http
        .post(server.url("/api/v1/staff_handles"))
        .bearer_auth(&d.admin)
        .json(&json!({"channel": "telegram", "handle": "@Ann\u{0}Support"}))
        .send()
        .await
        .unwrap();
    assert_eq!(handle.status(), 201);
    let article = json!({
        "topic": "nul", "locale": "en-US", "title": "Ti\u{0}tle", "questions": ["what\u{0} is it"],
        "body": "Bo\u{0}dy"
    });
    let put = http.put(server.url("/api/v1/kb/articles/nul.en")).bearer_auth(&d.admin).json(&article).send().await;
    assert_eq!(put.unwrap().status(), 200);
    let login = http
        .post(server.url("/api/v1/login"))
        .json(&json!({"email": "ann@example.com\u{0}", "password": "x\u{0}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 401);

    // 20 MB to web chat: a clear 413, not a reset connection.
    let huge = json!({"body": "x".repeat(20 * 1024 * 1024)});
    let refused = http.post(server.url("/webchat/v1/messages")).bearer_auth(&nul).json(&huge).send().await.unwrap();
    assert_eq!(refused.status(), 413);
    assert!(refused.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("larger than"));

    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

async fn send_owned(http: reqwest::Client, base: String, token: String, body: &'static str) -> u16 {
    let url = format!("{base}/webchat/v1/messages");
    http.post(url).bearer_auth(token).json(&json!({"body": body})).send().await.unwrap().status().as_u16()
}

const NAME_PHRASE: &str = "doctor protect trend nominee wild number better spare feature erase ready crystal";
const ID_PHRASE: &str = "abstract depart catch include burger region birth fringe shop display food steel";
const FILE_PHRASE: &str = "robot prevent bonus brass syrup rain river object lend vibrant stomach idle";
/// Two neighbouring words of each phrase: found together only if the phrase was stored.
const NEEDLES: [&str; 3] = ["trend nominee", "burger region", "syrup rain"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_in_names_ids_and_file_names_never_reach_the_database_on_sqlite() {
    let (dir, url) = sqlite();
    let path = dir.path().to_owned();
    let d = desk((dir, url)).await;
    phrases_outside_bodies(&d).await;
    let Desk { server, _dir, .. } = d;
    assert!(server.terminate().success());
    for needle in NEEDLES {
        assert!(!postgres::files_contain(&path, needle.as_bytes()), "{needle} is in {}", path.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_in_names_ids_and_file_names_never_reach_the_database_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let d = desk((dir, postgres::fresh_database_url())).await;
    phrases_outside_bodies(&d).await;
    for needle in NEEDLES {
        assert!(!postgres::cluster_files_contain(needle.as_bytes()), "{needle} is in the cluster's files");
        assert!(!postgres::files_contain(&path, needle.as_bytes()), "{needle} is in {}", path.display());
    }
}

async fn phrases_outside_bodies(d: &Desk) {
    let (http, server) = (&d.http, &d.server);
    let token = session(http, server, json!({"name": NAME_PHRASE})).await;
    let send_with_phrase_as_client_id = || {
        let request = http.post(server.url("/webchat/v1/messages")).bearer_auth(&token);
        request.json(&json!({"body": "my withdrawal is stuck", "client_id": ID_PHRASE})).send()
    };
    assert_eq!(send_with_phrase_as_client_id().await.unwrap().status(), 201);
    let list = get_json(http, server, "/api/v1/conversations?status=all", &d.admin).await;
    let conversation = &list["conversations"][0];
    let name = conversation["contact"]["name"].as_str().unwrap();
    assert!(!name.contains("nominee"), "{name}");
    let id = conversation["id"].as_i64().unwrap();
    let file = format!("{FILE_PHRASE}.txt");
    let posted = post_files(http, server, &d.admin, id, "your statement", &[(&file, "text/plain", b"statement")]).await;
    assert_eq!(posted.status(), 201);
    let shown = posted.json::<Value>().await.unwrap();
    assert!(!shown["attachments"][0]["filename"].as_str().unwrap().contains("syrup"), "{shown}");
    // The retried send with the same client id is still recognised as the same message.
    assert_eq!(send_with_phrase_as_client_id().await.unwrap().status(), 201);
    support::eventually("the reply's file is delivered", Duration::from_secs(10), || async {
        all_messages(http, server, &token).await.iter().any(|m| m["body"] == "your statement")
    })
    .await;
    let mine = all_messages(http, server, &token).await;
    assert_eq!(mine.iter().filter(|m| m["author"] == "contact").count(), 1);
}
