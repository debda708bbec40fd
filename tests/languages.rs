//! Customers' languages end to end through the web chat: detected from the text (Japanese by its
//! kana, Traditional Chinese by its script), reached from the browser's hint (`zh-HK` → zh-TW,
//! `pt` → pt-BR), and chosen by a language's own name with `/lang`.

mod support;

use serde_json::json;
use std::time::Duration;
use support::{Server, eventually};

const WAIT: Duration = Duration::from_secs(20);

/// Whether a reply to the visitor contains `words`.
async fn told(http: &reqwest::Client, server: &Server, visitor: &str, words: &str) -> bool {
    let messages = support::all_messages(http, server, visitor).await;
    messages.iter().any(|m| m["direction"] != "inbound" && m["body"].as_str().unwrap_or("").contains(words))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_answered_in_their_language_by_text_hint_or_choice() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let cases = [
        (json!({"name": "Aiko"}), "入金がまだ反映されていません", "メッセージを受け付けました"),
        (json!({"name": "Wen"}), "我的儲值還沒到帳，請幫我查一下", "我們已收到您的訊息"),
        (json!({"name": "Ka", "locale": "zh-HK"}), "hello", "我們已收到您的訊息"),
        (json!({"name": "Rui", "locale": "pt"}), "hello", "Recebemos sua mensagem"),
        (json!({"name": "Lola", "locale": "es-419"}), "hello", "Recibimos su mensaje"),
    ];
    for (session, question, answer) in cases {
        let visitor = support::session(&http, &server, session).await;
        assert_eq!(support::send(&http, &server, &visitor, json!({"body": question})).await.status(), 201);
        eventually(answer, WAIT, || told(&http, &server, &visitor, answer)).await;
    }
    let visitor = support::session(&http, &server, json!({"name": "Minh"})).await;
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "/lang Tiếng Việt"})).await.status(), 201);
    eventually("in Vietnamese", WAIT, || told(&http, &server, &visitor, "bằng tiếng Việt")).await;
}
