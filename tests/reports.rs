//! Reports end to end with the real binary: two web-chat customers served, resolved and rated,
//! then the summary, the agents' figures (with a lead's quality review), and the CSV export
//! parsed back, Chinese and quotes intact.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, eventually, get_json, poll, sign_in};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(20);

/// A customer writes, `agent` answers and resolves, the customer rates and comments.
async fn served(http: &reqwest::Client, server: &Server, agent: &str, rating: u8, comment: &str) -> i64 {
    let visitor = support::session(http, server, json!({"name": "Lu", "locale": "zh-CN"})).await;
    assert_eq!(support::send(http, server, &visitor, json!({"body": "我的提币还没到"})).await.status(), 201);
    // Customers are served one after another: theirs is the one open conversation.
    let id = poll("a conversation", WAIT, || async {
        get_json(http, server, "/api/v1/conversations?status=open", agent).await["conversations"][0]["id"].as_i64()
    })
    .await;
    let path = format!("/api/v1/conversations/{id}");
    let posted = http.post(server.url(&format!("{path}/messages"))).bearer_auth(agent).json(&json!({"body": "已处理"}));
    assert_eq!(posted.send().await.unwrap().status(), 201);
    let resolved = http.patch(server.url(&path)).bearer_auth(agent).json(&json!({"status": "resolved"}));
    assert!(resolved.send().await.unwrap().status().is_success());
    eventually("the survey", WAIT, || async {
        let messages = support::all_messages(http, server, &visitor).await;
        messages.iter().any(|m| m["buttons"].as_array().is_some_and(|b| b.len() == 5))
    })
    .await;
    let press = support::send(http, server, &visitor, json!({"choice": format!("csat:{rating}")})).await;
    assert_eq!(press.status(), 201);
    assert_eq!(support::send(http, server, &visitor, json!({"body": comment})).await.status(), 201);
    eventually("the comment", WAIT, || async {
        get_json(http, server, &path, agent).await["surveys"][0]["comment"] == comment
    })
    .await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_the_agents_and_the_export_agree_on_one_period() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    add_agent(dir.path(), "bo@example.com", "Bo", "agent", PASSWORD);
    add_agent(dir.path(), "lead@example.com", "Lead", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[("SWITCHBOARD_CSAT_DELAY", "1s")]);
    let http = support::client();
    let ann = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let bo = sign_in(&http, &server, "bo@example.com", PASSWORD).await;
    let lead = sign_in(&http, &server, "lead@example.com", PASSWORD).await;
    let first = served(&http, &server, &ann, 4, "客服很好, \"很快\"").await;
    let second = served(&http, &server, &bo, 1, "=太慢了").await;

    let summary = get_json(&http, &server, "/api/v1/reports/summary", &ann).await;
    assert_eq!(summary["conversations"], 2);
    assert_eq!(summary["csat"]["avg"], 2.5);
    assert_eq!(summary["csat"]["count"], 2);
    assert_eq!(summary["csat"]["distribution"], json!({"1": 1, "2": 0, "3": 0, "4": 1, "5": 0}));
    assert_eq!(summary["csat"]["response_rate"], 1.0);
    assert_eq!(summary["bot"], json!({"answered": 0, "resolved": 0, "handed_off": 0, "containment_rate": null}));
    assert_eq!(summary["resolved_by"]["agent"], 2);
    assert!(summary["first_response_s"]["p50"].as_f64().is_some());
    let only_telegram = get_json(&http, &server, "/api/v1/reports/summary?channel=telegram", &ann).await;
    assert_eq!(only_telegram["conversations"], 0);

    // Bo's conversation, rated 1, waits in the low-rating view for a follow-up.
    let low = get_json(&http, &server, "/api/v1/conversations?status=all&stage=low_rating", &ann).await;
    let low: Vec<i64> = low["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(low, [second]);
    let counts = get_json(&http, &server, "/api/v1/conversations?status=all", &ann).await;
    assert_eq!(counts["counts"]["low_rating"], 1, "{counts}");

    // The lead reviews Ann's conversation; Ann sees it; the score joins her figures.
    let rubric = get_json(&http, &server, "/api/v1/reviews/rubric", &ann).await;
    let scores: serde_json::Map<String, Value> =
        rubric["criteria"].as_array().unwrap().iter().map(|c| (c.as_str().unwrap().to_owned(), json!(4))).collect();
    let review = json!({"scores": scores, "comment": "Clear and kind."});
    let path = format!("/api/v1/conversations/{first}/reviews");
    let refused = http.post(server.url(&path)).bearer_auth(&ann).json(&review).send().await.unwrap();
    assert_eq!(refused.status(), 403, "agents do not review");
    let written = http.post(server.url(&path)).bearer_auth(&lead).json(&review).send().await.unwrap();
    assert_eq!(written.status(), 201);
    let mine = get_json(&http, &server, "/api/v1/reviews", &ann).await;
    assert_eq!(mine["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(mine["reviews"][0]["score"], 75.0);
    assert!(get_json(&http, &server, "/api/v1/reviews", &bo).await["reviews"].as_array().unwrap().is_empty());

    let agents = get_json(&http, &server, "/api/v1/reports/agents", &ann).await;
    let row = |name: &str| agents["agents"].as_array().unwrap().iter().find(|a| a["name"] == name).cloned().unwrap();
    assert_eq!((row("Ann")["conversations"].clone(), row("Ann")["csat"]["avg"].clone()), (json!(1), json!(4.0)));
    assert_eq!(row("Ann")["review_score"], 75.0);
    assert_eq!((row("Bo")["resolved"].clone(), row("Bo")["csat"]["avg"].clone()), (json!(1), json!(1.0)));

    // The export, parsed back: one row per cycle, quotes, commas and Chinese intact.
    let response = http.get(server.url("/api/v1/reports/export.csv")).bearer_auth(&ann).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "reference",
            "channel",
            "language",
            "category",
            "agent",
            "opened",
            "first_response",
            "resolved",
            "resolved_by",
            "rating",
            "comment"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let reference = |shown: Value| shown["reference"].as_str().unwrap().to_owned();
    let first_reference = reference(get_json(&http, &server, &format!("/api/v1/conversations/{first}"), &ann).await);
    let second_reference = reference(get_json(&http, &server, &format!("/api/v1/conversations/{second}"), &ann).await);
    let ann_row = rows.iter().find(|r| r[0] == first_reference).unwrap();
    assert_eq!((&ann_row[1], &ann_row[2], &ann_row[4]), ("webchat", "zh-CN", "Ann"));
    assert_eq!((&ann_row[8], &ann_row[9], &ann_row[10]), ("agent", "4", "客服很好, \"很快\""));
    let bo_row = rows.iter().find(|r| r[0] == second_reference).unwrap();
    assert_eq!(&bo_row[10], "'=太慢了", "a formula is never run by a spreadsheet");
    assert!(bo_row[5].ends_with('Z') && !bo_row[6].is_empty() && !bo_row[7].is_empty());
}
