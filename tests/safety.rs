//! Crypto safety through the real binary: web chat, the inbox API and `switchboard safety scan`.

mod support;

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{Server, add_agent, all_messages, eventually, get_json, send, session, sign_in};

const PASSWORD: &str = "correct horse battery";
const PHRASE: &str = "bunker trophy lawsuit adjust gown visit matrix trash ripple stumble wheat shell";

fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(files(&path)) } else { out.push(path) }
    }
    out
}

#[tokio::test]
async fn a_recovery_phrase_sent_on_web_chat_leaves_no_trace_and_agents_see_only_the_marker() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let customer = session(&http, &server, json!({"name": "小王", "locale": "zh-CN"})).await;
    let text = format!(
        "我的助记词是 {PHRASE}，转账 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 没到账"
    );
    let answer: Value = send(&http, &server, &customer, json!({"body": text})).await.json().await.unwrap();
    let echoed = answer["body"].as_str().unwrap();
    // The customer reads the marker in their own language.
    assert!(echoed.contains("[已屏蔽：助记词]") && !echoed.contains("bunker"), "{echoed}");

    eventually("the warning in Chinese", Duration::from_secs(10), || async {
        all_messages(&http, &server, &customer)
            .await
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("请勿向任何人（包括我们）透露您的助记词"))
    })
    .await;

    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    let message = &shown["messages"][0];
    assert_eq!(message["redactions"], 1);
    assert!(!message["body"].as_str().unwrap().contains("bunker"));
    // The agent reads it in their interface language, whatever the customer's.
    assert!(message["body"].as_str().unwrap().contains("[redacted: recovery phrase]"), "{message}");
    let to_chinese = http.patch(server.url("/api/v1/me")).bearer_auth(&agent).json(&json!({"locale": "zh-CN"}));
    assert!(to_chinese.send().await.unwrap().status().is_success());
    let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    assert!(shown["messages"][0]["body"].as_str().unwrap().contains("[已屏蔽：助记词]"), "{shown}");
    let page = http.get(server.url(&format!("/inbox?c={id}"))).bearer_auth(&agent).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("[已屏蔽：助记词]"));
    let entity = &message["entities"][0];
    assert_eq!((entity["kind"].as_str(), entity["chain"].as_str()), (Some("tx_hash"), Some("evm")));
    assert!(entity["links"][0]["url"].as_str().unwrap().starts_with("https://etherscan.io/tx/0x5c504ed4"));

    // Nothing of the phrase anywhere in the database files (WAL included) or the data dir.
    assert!(server.terminate().success());
    for file in files(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        for word in ["bunker", "lawsuit", "stumble", "ripple"] {
            assert!(!bytes.windows(word.len()).any(|w| w == word.as_bytes()), "{word} in {}", file.display());
        }
    }
}

#[tokio::test]
async fn staff_handles_are_kept_by_their_agents_and_customers_can_verify_them() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let bob = sign_in(&http, &server, "bob@example.com", PASSWORD).await;
    let ann = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let added = http
        .post(server.url("/api/v1/staff_handles"))
        .bearer_auth(&bob)
        .json(&json!({"channel": "telegram", "handle": "@BobSupport"}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let id = added.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let for_someone_else = http
        .post(server.url("/api/v1/staff_handles"))
        .bearer_auth(&bob)
        .json(&json!({"channel": "telegram", "handle": "@AnnSupport", "agent_id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(for_someone_else.status(), 403);

    let customer = session(&http, &server, json!({})).await;
    send(&http, &server, &customer, json!({"body": "/verify @B0bSupport"})).await;
    eventually("the impostor warning", Duration::from_secs(10), || async {
        all_messages(&http, &server, &customer)
            .await
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("WARNING: @B0bSupport is NOT our staff"))
    })
    .await;
    let removed =
        http.delete(server.url(&format!("/api/v1/staff_handles/{id}"))).bearer_auth(&ann).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let list: Value = get_json(&http, &server, "/api/v1/staff_handles", &bob).await;
    assert!(list["staff_handles"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_reply_asking_for_the_recovery_phrase_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let customer = session(&http, &server, json!({})).await;
    send(&http, &server, &customer, json!({"body": "my withdrawal is stuck"})).await;
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let refused = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Please share your seed phrase so we can check the wallet"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("recovery phrase"));
    tokio::time::sleep(Duration::from_millis(1)).await;
    let seen = all_messages(&http, &server, &customer).await;
    assert!(!seen.iter().any(|m| m["body"].as_str().unwrap().contains("seed phrase")));
}

fn scan(input: &[u8]) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["safety", "scan"])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn safety_scan_prints_one_json_line_as_the_contract_says() {
    let result = scan(format!("助记词：{PHRASE}。地址 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").as_bytes());
    assert_eq!(
        result["redacted"],
        "助记词：[redacted: recovery phrase]。地址 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    );
    assert_eq!(result["findings"], json!([{"kind": "seed_phrase", "lang": "en"}]));
    assert_eq!(
        result["entities"],
        json!([{"kind": "address", "chain": "bitcoin", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}])
    );

    let clean = scan("我的充值还没有到账".as_bytes());
    assert_eq!(clean, json!({"redacted": "我的充值还没有到账", "findings": [], "entities": []}));
    // Invalid UTF-8 is scanned, not refused.
    let broken = scan(b"\xff\xfe my private key 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    assert_eq!(broken["findings"][0]["kind"], "private_key");
}
