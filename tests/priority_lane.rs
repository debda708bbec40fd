//! The priority lane end to end with the real binary and the starter knowledge base: an
//! impersonator reported through `/verify`, a wallet broken into and a pasted recovery phrase
//! go ahead of a customer who waited longer; they are marked urgent and `danger`, and the team's
//! lead is told on the live stream.

mod support;

use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Server, add_agent, eventually, get_json, poll, sign_in};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn danger_goes_ahead_of_the_queue_marked_and_the_lead_is_told() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", PASSWORD);
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let env = [
        ("SWITCHBOARD_KB_DIR", kb),
        ("SWITCHBOARD_ASSIGNMENT", "round_robin"),
        ("SWITCHBOARD_ASSIGNMENT_CAPACITY", "1"),
    ];
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let ann = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let bob = sign_in(&http, &server, "bob@example.com", PASSWORD).await;
    let me: Value = get_json(&http, &server, "/api/v1/me", &ann).await;
    let (ann_id, bob_id) =
        (me["id"].as_i64().unwrap(), get_json(&http, &server, "/api/v1/me", &bob).await["id"].as_i64().unwrap());
    let team = json!({"name": "Support", "member_ids": [bob_id], "lead_id": ann_id});
    assert_eq!(
        http.post(server.url("/api/v1/teams")).bearer_auth(&ann).json(&team).send().await.unwrap().status(),
        201
    );
    let handle = json!({"channel": "telegram", "handle": "@BobSupport"});
    let added = http.post(server.url("/api/v1/staff_handles")).bearer_auth(&bob).json(&handle).send().await.unwrap();
    assert_eq!(added.status(), 201);

    // Ann's live stream, kept while the test runs.
    let heard = Arc::new(Mutex::new(String::new()));
    let stream = http.get(server.url("/api/v1/events")).bearer_auth(&ann).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let listening = Arc::clone(&heard);
    tokio::spawn(async move {
        let mut body = stream.bytes_stream();
        while let Some(Ok(chunk)) = body.next().await {
            listening.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk));
        }
    });

    // The first customer asks for a person and waits longest; then three in danger.
    let say = |name: &'static str, body: &'static str| {
        let (http, server) = (http.clone(), &server);
        async move {
            let visitor = support::session(&http, server, json!({"name": name, "locale": "en-US"})).await;
            assert_eq!(support::send(&http, server, &visitor, json!({"body": body})).await.status(), 201);
        }
    };
    say("Waiting", "/human").await;
    say("Reporter", "/verify @B0bSupport").await;
    say("Drained", "my wallet was drained, someone stole my crypto").await;
    say("Leaked", "is this ok: legal winner thank year wave sausage worth useful legal winner thank yellow").await;

    let by_name = |list: &[Value], name: &str| list.iter().find(|c| c["contact"]["name"] == name).cloned();
    let dangers = ["Reporter", "Drained", "Leaked"];
    let list = poll("the three in the priority lane", WAIT, || async {
        let list = support::conversations(&http, &server, &ann).await;
        let marked = dangers.iter().all(|n| {
            by_name(&list, n)
                .is_some_and(|c| c["priority"] == "urgent" && c["tags"].as_array().unwrap().contains(&json!("danger")))
        });
        (marked && by_name(&list, "Waiting").is_some()).then_some(list)
    })
    .await;
    let waiting = by_name(&list, "Waiting").unwrap();
    assert_eq!(waiting["priority"], "normal", "asking for a person is no danger");
    for name in dangers {
        let id = by_name(&list, name).unwrap()["id"].as_i64().unwrap();
        let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &ann).await;
        let notes: Vec<&str> = shown["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["direction"] == "note")
            .filter_map(|m| m["body"].as_str())
            .collect();
        assert!(notes.iter().any(|n| n.contains("Priority lane")), "{name}: {notes:?}");
    }
    let reasons: Vec<Value> = dangers.iter().map(|n| by_name(&list, n).unwrap()["handoff_reason"].clone()).collect();
    assert_eq!(reasons, [json!("impersonation"), json!("compromised"), json!("secret")]);
    // The lead was told of each.
    eventually("the lead told", WAIT, || async { heard.lock().unwrap().matches("event: danger").count() >= 3 }).await;
    assert!(heard.lock().unwrap().contains(&format!("\"agents\":[{ann_id}]")), "the lead, not the team");

    // Bob comes online with room for one: he gets one in danger, not the longest waiting.
    let online = http.patch(server.url("/api/v1/me")).bearer_auth(&bob).json(&json!({"availability": "online"}));
    assert!(online.send().await.unwrap().status().is_success());
    let assigned = poll("one assigned", WAIT, || async {
        let list = support::conversations(&http, &server, &bob).await;
        list.into_iter().find(|c| c["assignee_id"] == json!(bob_id))
    })
    .await;
    assert!(dangers.contains(&assigned["contact"]["name"].as_str().unwrap()), "{assigned}");

    // Three still wait for Bob, who has no room: peak-load mode tells them their place.
    let peak = poll("peak-load mode", WAIT, || async {
        let peak: Value = get_json(&http, &server, "/api/v1/peak", &bob).await;
        (peak["active"] == true && peak["queued"] == 3).then_some(peak)
    })
    .await;
    assert_eq!(
        (peak["mode"].clone(), peak["free"].clone(), peak["present"].clone()),
        (json!("auto"), json!(0), json!(1))
    );
    let waiting_id = waiting["id"].as_i64().unwrap();
    eventually("the longest waiting told their place", WAIT, || async {
        let shown: Value = get_json(&http, &server, &format!("/api/v1/conversations/{waiting_id}"), &ann).await;
        shown["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"].as_str().unwrap().contains("number 3 in the queue"))
    })
    .await;
    // An operator switches it off; an agent may not.
    let off = json!({"mode": "off"});
    assert_eq!(http.put(server.url("/api/v1/peak")).bearer_auth(&bob).json(&off).send().await.unwrap().status(), 403);
    let switched = http.put(server.url("/api/v1/peak")).bearer_auth(&ann).json(&off).send().await.unwrap();
    assert_eq!(switched.json::<Value>().await.unwrap()["active"], false);
    let wrong = http.put(server.url("/api/v1/peak")).bearer_auth(&ann).json(&json!({"mode": "maybe"})).send().await;
    assert_eq!(wrong.unwrap().status(), 422);
}
