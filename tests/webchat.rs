//! The web-chat customer API of the real binary (docs/reference.md `/webchat/v1/*`).

mod support;

use serde_json::json;
use std::time::Duration;
use support::{Server, all_messages, eventually, page, send, session, start};

#[tokio::test]
async fn a_visitor_chats_and_gets_a_localized_acknowledgement() {
    let (_dir, server, http) = start(&[]);
    let health = http.get(server.url("/healthz")).send().await.unwrap().text().await.unwrap();
    assert_eq!(health, r#"{"status":"ok"}"#);

    let token = session(&http, &server, json!({"name": "王小明", "locale": "zh-CN"})).await;
    let response = send(&http, &server, &token, json!({"body": "我的提币还没到账"})).await;
    assert_eq!(response.status(), 201);
    let sent: serde_json::Value = response.json().await.unwrap();
    assert_eq!((sent["direction"].as_str(), sent["author"].as_str()), (Some("inbound"), Some("contact")));
    assert_eq!(sent["body"], "我的提币还没到账");

    // Long poll: the acknowledgement arrives without a second request.
    let after = sent["id"].as_i64().unwrap();
    let replies = page(&http, &server, &token, &format!("?after={after}&wait=20")).await;
    assert_eq!(replies[0]["direction"], "outbound");
    let body = replies[0]["body"].as_str().unwrap();
    assert!(body.starts_with("我们已收到您的消息。您的工单号是 #"), "{body}");

    // /status answers in the same language.
    send(&http, &server, &token, json!({"body": "/status"})).await;
    eventually("status reply", Duration::from_secs(10), || async {
        let messages = all_messages(&http, &server, &token).await;
        messages.iter().any(|m| m["body"].as_str().unwrap().contains("正在处理中"))
    })
    .await;
}

#[tokio::test]
async fn the_customer_api_refuses_what_it_cannot_take_with_clear_errors() {
    let (_dir, server, http) = start(&[]);
    let anonymous = http.get(server.url("/webchat/v1/messages")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let forged = http.get(server.url("/webchat/v1/messages")).bearer_auth("forged").send().await.unwrap();
    assert_eq!(forged.status(), 401);

    let token = session(&http, &server, json!({})).await;
    for (body, status) in
        [(json!({"body": ""}), 422), (json!({"body": "x".repeat(8001)}), 422), (json!({"text": "hi"}), 400)]
    {
        let r = send(&http, &server, &token, body.clone()).await;
        assert_eq!(r.status(), status, "{body}");
        let error: serde_json::Value = r.json().await.unwrap();
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let bad_json = http
        .post(server.url("/webchat/v1/messages"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
}

#[tokio::test]
async fn a_retried_send_with_the_same_client_id_is_stored_once() {
    let (_dir, server, http) = start(&[]);
    let token = session(&http, &server, json!({})).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = send(&http, &server, &token, json!({"body": "hello", "client_id": "c-1"})).await;
        assert_eq!(r.status(), 201);
        ids.push(r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]));
    let messages = all_messages(&http, &server, &token).await;
    assert_eq!(messages.iter().filter(|m| m["direction"] == "inbound").count(), 1);
}

#[tokio::test]
async fn message_lists_are_oldest_first_and_paged_by_100() {
    let (_dir, server, http) = start(&[]);
    let token = session(&http, &server, json!({})).await;
    for i in 0..130 {
        assert_eq!(send(&http, &server, &token, json!({"body": format!("line {i}")})).await.status(), 201);
    }
    let first = page(&http, &server, &token, "").await;
    assert_eq!(first.len(), 100);
    let ids: Vec<i64> = first.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let all = all_messages(&http, &server, &token).await;
    let lines = all.iter().filter(|m| m["body"].as_str().unwrap().starts_with("line ")).count();
    assert_eq!(lines, 130);
}

#[tokio::test]
async fn sessions_survive_a_restart_and_sigterm_exits_cleanly() {
    let (dir, server, http) = start(&[]);
    let token = session(&http, &server, json!({"name": "Ann"})).await;
    assert_eq!(send(&http, &server, &token, json!({"body": "hi"})).await.status(), 201);
    let status = server.terminate();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");

    let server = Server::start(dir.path(), &[]);
    let messages = all_messages(&http, &server, &token).await;
    assert!(messages.iter().any(|m| m["body"] == "hi"));
}

#[tokio::test]
async fn the_chat_page_is_served_in_the_visitors_language_without_inline_script() {
    let (_dir, server, http) = start(&[]);
    let r = http.get(server.url("/chat")).header("accept-language", "zh-CN,zh;q=0.9,en;q=0.8").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<title>在线客服</title>"));
    assert!(!html.contains("{{"), "unfilled placeholder");
    assert!(!html.contains("<script>"), "inline script");
    let english = http.get(server.url("/chat?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(english.contains("<title>Support chat</title>"));
    let script = http.get(server.url("/chat/chat.js")).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("/webchat/v1/messages"));
}

#[tokio::test]
async fn metrics_count_messages_by_channel() {
    let (_dir, server, http) = start(&[]);
    let token = session(&http, &server, json!({})).await;
    send(&http, &server, &token, json!({"body": "hi"})).await;
    eventually("metrics", Duration::from_secs(10), || async {
        let text = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
        text.contains("switchboard_messages_in_total{channel=\"webchat\"} 1")
            && text.contains("switchboard_messages_out_total{channel=\"webchat\"} 1")
            && text.contains("switchboard_outbox_depth")
            && text.contains("switchboard_ingest_seconds_bucket")
            && text.lines().any(|l| l.strip_prefix("switchboard_runtime_tasks ").is_some_and(|n| n.trim() != "0"))
    })
    .await;
}

#[tokio::test]
async fn a_visitor_downloads_the_file_an_agent_sent_and_no_one_else_can() {
    let dir = tempfile::tempdir().unwrap();
    support::add_agent(dir.path(), "ann@example.com", "Ann", "agent", "correct horse battery");
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let token = session(&http, &server, json!({"name": "Ola"})).await;
    send(&http, &server, &token, json!({"body": "please send the invoice"})).await;
    let agent = support::sign_in(&http, &server, "ann@example.com", "correct horse battery").await;
    let list = support::get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let files: &[(&str, &str, &[u8])] = &[("invoice.pdf", "application/pdf", b"%PDF-1.7 invoice")];
    let response = support::post_files(&http, &server, &agent, id, "Here it is", files).await;
    assert_eq!(response.status(), 201);

    eventually("the reply delivered", Duration::from_secs(10), || async {
        all_messages(&http, &server, &token).await.iter().any(|m| m["body"] == "Here it is")
    })
    .await;
    let messages = all_messages(&http, &server, &token).await;
    let file = messages.iter().find(|m| m["body"] == "Here it is").unwrap()["attachments"][0].clone();
    assert_eq!(file["filename"], "invoice.pdf");
    let url = server.url(&format!("/webchat/v1/attachments/{}", file["id"]));
    let download = http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.7 invoice");

    let stranger = session(&http, &server, json!({})).await;
    send(&http, &server, &stranger, json!({"body": "hi"})).await;
    assert_eq!(http.get(&url).bearer_auth(&stranger).send().await.unwrap().status(), 404);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn sessions_and_messages_over_their_limits_get_429_with_retry_after_and_are_not_stored() {
    let (_dir, server, http) = start(&[
        ("SWITCHBOARD_WEBCHAT_SESSIONS_PER_ADDRESS", "2/min"),
        ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_SESSION", "3/min"),
        ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_ADDRESS", "5/min"),
    ]);
    let retry_after = |response: &reqwest::Response| -> u64 {
        response.headers()["retry-after"].to_str().unwrap().parse().expect("Retry-After in seconds")
    };
    // Behind a local reverse proxy the client is the forwarded address.
    let open = |client: &'static str| {
        http.post(server.url("/webchat/v1/sessions")).header("x-forwarded-for", client).json(&json!({})).send()
    };
    let first: serde_json::Value = open("203.0.113.5").await.unwrap().json().await.unwrap();
    let second: serde_json::Value = open("203.0.113.5").await.unwrap().json().await.unwrap();
    let refused = open("203.0.113.5").await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!((1..=30).contains(&retry_after(&refused)), "{:?}", refused.headers());
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("too many"), "{body}");
    assert_eq!(open("198.51.100.7").await.unwrap().status(), 200, "another address is not held back");

    // Per session: the fourth message within the minute is refused and not stored.
    let (a, b) = (first["session_token"].as_str().unwrap(), second["session_token"].as_str().unwrap());
    let post = |token: &str, body: String, client: &'static str| {
        http.post(server.url("/webchat/v1/messages"))
            .bearer_auth(token)
            .header("x-forwarded-for", client)
            .json(&json!({ "body": body }))
            .send()
    };
    for i in 0..3 {
        assert_eq!(post(a, format!("a{i}"), "203.0.113.5").await.unwrap().status(), 201);
    }
    let refused = post(a, "a3".into(), "203.0.113.5").await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!((1..=30).contains(&retry_after(&refused)));
    // Per address: session b, same address, has two left of the address's five.
    for i in 0..2 {
        assert_eq!(post(b, format!("b{i}"), "203.0.113.5").await.unwrap().status(), 201);
    }
    assert_eq!(post(b, "b2".into(), "203.0.113.5").await.unwrap().status(), 429, "the address's limit");
    assert_eq!(post(b, "b2".into(), "198.51.100.7").await.unwrap().status(), 201, "b from elsewhere");
    let stored: Vec<String> = all_messages(&http, &server, a)
        .await
        .iter()
        .filter(|m| m["direction"] == "inbound")
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(stored, ["a0", "a1", "a2"], "nothing refused was stored");
}

/// An agent's Markdown reaches the visitor as sanitized HTML beside its text; the visitor's own
/// words come without HTML.
#[tokio::test]
async fn a_reply_in_markdown_arrives_as_sanitized_html() {
    let dir = tempfile::tempdir().unwrap();
    support::add_agent(dir.path(), "ann@example.com", "Ann", "admin", "correct horse battery");
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let ann = support::sign_in(&http, &server, "ann@example.com", "correct horse battery").await;
    let token = session(&http, &server, json!({"name": "Vi"})).await;
    send(&http, &server, &token, json!({"body": "*how* do I <b>verify</b>?"})).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations", &ann).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let markdown = "**Two steps:**\n\n- open [KYC](https://help.example.com/kyc)\n- [not this](javascript:alert(1)) <script>x</script>";
    let reply = http.post(server.url(&format!("/api/v1/conversations/{id}/messages"))).bearer_auth(&ann);
    assert_eq!(reply.json(&json!({"body": markdown})).send().await.unwrap().status(), 201);
    // The reply reaches the visitor's list once the outbox has handed it to the web chat.
    let messages = support::poll("the reply", Duration::from_secs(20), || async {
        let messages = all_messages(&http, &server, &token).await;
        messages.iter().any(|m| m["body"] == markdown).then_some(messages)
    })
    .await;
    let mine = messages.iter().find(|m| m["direction"] == "inbound").unwrap();
    assert!(mine.get("html").is_none(), "the visitor's words are shown as typed");
    let answer = messages.iter().find(|m| m["body"] == markdown).expect("the reply");
    assert_eq!(
        answer["html"],
        "<p><strong>Two steps:</strong></p><ul><li>open <a href=\"https://help.example.com/kyc\" rel=\"noopener noreferrer nofollow\">KYC</a> (help.example.com)</li><li>not this &lt;script&gt;x&lt;/script&gt;</li></ul>"
    );
}
