//! Complaints end to end with the real binary: a web-chat customer's `/complaint` opens one and
//! hands the conversation to people; each stage an agent sets is told to the customer in their
//! language; `/status` shows the stage; reports count complaints and how long closing took.
//! `/stop` is acknowledged and marks the customer.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, eventually, get_json, poll};

const WAIT: Duration = Duration::from_secs(20);

/// The replies meant for the visitor, oldest first.
async fn replies(http: &reqwest::Client, server: &Server, visitor: &str) -> Vec<String> {
    let messages = support::all_messages(http, server, visitor).await;
    messages.iter().filter(|m| m["direction"] != "inbound").map(|m| m["body"].as_str().unwrap().to_owned()).collect()
}

async fn change(http: &reqwest::Client, server: &Server, agent: &str, id: i64, body: Value) -> reqwest::Response {
    let path = format!("/api/v1/conversations/{id}/complaint");
    http.patch(server.url(&path)).bearer_auth(agent).json(&body).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_is_opened_by_the_customer_and_each_stage_is_told_in_their_language() {
    let (_dir, server, http, admin, agent) = support::staffed().await;
    let me: Value = get_json(&http, &server, "/api/v1/me", &agent).await;
    let visitor = support::session(&http, &server, json!({"name": "Lu", "locale": "zh-CN"})).await;
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "提币三天还没到账"})).await.status(), 201);
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "/complaint"})).await.status(), 201);

    let received = poll("the complaint's acknowledgement", WAIT, || async {
        replies(&http, &server, &visitor).await.into_iter().find(|r| r.contains("投诉"))
    })
    .await;
    let id = support::conversations(&http, &server, &agent).await[0]["id"].as_i64().unwrap();
    let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    let reference = shown["reference"].as_str().unwrap();
    assert!(received.contains(reference) && received.contains("5 天"), "{received}");
    assert_eq!(shown["complaint"]["stage"], "received");
    assert_eq!(shown["complaint"]["source"], "command");
    assert_eq!(shown["handoff_reason"], "complaint", "handed to people: {shown}");

    // An agent takes it on and investigates: the customer is told, in Chinese.
    let answer = change(&http, &server, &agent, id, json!({"stage": "investigating", "owner_id": me["id"]})).await;
    assert_eq!(answer.status(), 200);
    let complaint: Value = answer.json().await.unwrap();
    assert_eq!((complaint["stage"].clone(), complaint["owner_id"].clone()), (json!("investigating"), me["id"].clone()));
    eventually("told: investigating", WAIT, || async {
        replies(&http, &server, &visitor).await.iter().any(|r| r.contains("正在调查"))
    })
    .await;
    // /status shows the stage.
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "/status"})).await.status(), 201);
    eventually("the stage in /status", WAIT, || async {
        replies(&http, &server, &visitor).await.iter().any(|r| r.contains(reference) && r.contains("调查中"))
    })
    .await;

    // Refusals name the problem; nothing changes.
    assert_eq!(change(&http, &server, &agent, id, json!({"stage": "investigating"})).await.status(), 422);
    assert_eq!(change(&http, &server, &agent, id, json!({"stage": "escalated"})).await.status(), 422);
    assert_eq!(change(&http, &server, &agent, id, json!({"owner_id": 999})).await.status(), 422);

    for (stage, words) in [("resolution_proposed", "解决方案"), ("closed", "已结案")] {
        assert_eq!(change(&http, &server, &agent, id, json!({"stage": stage})).await.status(), 200);
        eventually(stage, WAIT, || async { replies(&http, &server, &visitor).await.iter().any(|r| r.contains(words)) })
            .await;
    }
    // Closed: it cannot move any more.
    assert_eq!(change(&http, &server, &agent, id, json!({"stage": "investigating"})).await.status(), 404);
    let all: Value = get_json(&http, &server, "/api/v1/complaints?state=all", &agent).await;
    assert_eq!(all["complaints"][0]["closed_at"].as_str().map(|_| ()), Some(()));
    assert_eq!(get_json(&http, &server, "/api/v1/complaints", &agent).await["complaints"], json!([]));

    // Reports count it, with the time it took.
    let summary: Value = get_json(&http, &server, "/api/v1/reports/summary", &admin).await;
    assert_eq!(
        (summary["complaints"]["opened"].clone(), summary["complaints"]["closed"].clone()),
        (json!(1), json!(1))
    );
    assert!(summary["complaints"]["resolution_s"]["p50"].as_f64().is_some(), "{summary}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_opens_a_complaint_and_stop_ends_announcements() {
    let (_dir, server, http, _admin, agent) = support::staffed().await;
    let visitor = support::session(&http, &server, json!({"name": "Sam", "locale": "en-US"})).await;
    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "You froze my account!"})).await.status(), 201);
    let id = poll("the conversation", WAIT, || async {
        support::conversations(&http, &server, &agent).await.first().and_then(|c| c["id"].as_i64())
    })
    .await;
    let opened = http.post(server.url(&format!("/api/v1/conversations/{id}/complaint"))).bearer_auth(&agent);
    let opened = opened.send().await.unwrap();
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.json::<Value>().await.unwrap()["source"], "agent");
    eventually("told in English", WAIT, || async {
        replies(&http, &server, &visitor).await.iter().any(|r| r.contains("registered your complaint"))
    })
    .await;
    let again = http.post(server.url(&format!("/api/v1/conversations/{id}/complaint"))).bearer_auth(&agent);
    assert_eq!(again.send().await.unwrap().status(), 422, "one open complaint per conversation");

    assert_eq!(support::send(&http, &server, &visitor, json!({"body": "/stop"})).await.status(), 201);
    eventually("/stop acknowledged", WAIT, || async {
        replies(&http, &server, &visitor).await.iter().any(|r| r.contains("no more announcements"))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_hearing_a_legal_threat_opens_a_complaint_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    support::add_agent(dir.path(), "ann@example.com", "Ann", "agent", support::STAFF_PASSWORD);
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(dir.path(), &[("SWITCHBOARD_KB_DIR", kb)]);
    let http = support::client();
    let agent = support::sign_in(&http, &server, "ann@example.com", support::STAFF_PASSWORD).await;
    let visitor = support::session(&http, &server, json!({"name": "Rui", "locale": "en-US"})).await;
    let body = json!({"body": "my deposit is missing for a week, I will call my lawyer"});
    assert_eq!(support::send(&http, &server, &visitor, body).await.status(), 201);
    eventually("told it is a complaint", WAIT, || async {
        replies(&http, &server, &visitor).await.iter().any(|r| r.contains("registered your complaint"))
    })
    .await;
    let id = support::conversations(&http, &server, &agent).await[0]["id"].as_i64().unwrap();
    let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    assert_eq!(
        (shown["complaint"]["source"].clone(), shown["handoff_reason"].clone()),
        (json!("detected"), json!("upset"))
    );
}
