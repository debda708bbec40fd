//! The inbox API of the real binary (docs/reference.md `/api/v1`), as agents and their tools use it.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, all_messages, eventually, get_json, send, session, sign_in, staffed, start};

const PASSWORD: &str = support::STAFF_PASSWORD;

/// A route's path with every `{placeholder}` filled with 1.
fn path_for(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        path.push_str(&rest[..open]);
        path.push('1');
        rest = &rest[close..];
    }
    path + rest
}

#[tokio::test]
async fn every_api_route_refuses_anonymous_callers() {
    let (_dir, server, http) = start(&[]);
    let routes = switchboard_inbox::api::routes();
    assert!(routes.len() >= 20);
    for route in routes {
        let request = http.request(route.method.clone(), server.url(&path_for(route.path)));
        let request =
            if matches!(route.method.as_str(), "POST" | "PUT" | "PATCH") { request.json(&json!({})) } else { request };
        let status = request.send().await.unwrap().status();
        if route.access == switchboard_inbox::api::Access::Public {
            assert_ne!(status, 401, "{} {} is public", route.method, route.path);
        } else {
            assert_eq!(status, 401, "{} {} must refuse anonymous callers", route.method, route.path);
        }
        let forged = http.request(route.method.clone(), server.url(&path_for(route.path))).bearer_auth("forged").send();
        if route.access != switchboard_inbox::api::Access::Public {
            assert_eq!(forged.await.unwrap().status(), 401, "{} {} with a forged token", route.method, route.path);
        }
    }
}

#[tokio::test]
async fn admin_routes_refuse_agents_admins_reach_every_route_and_the_openapi_document_lists_them() {
    let (_dir, server, http, admin, agent) = staffed().await;
    for route in switchboard_inbox::api::routes() {
        if route.access != switchboard_inbox::api::Access::Admin {
            continue;
        }
        let request = http.request(route.method.clone(), server.url(&path_for(route.path))).bearer_auth(&agent);
        let request = if route.method != reqwest::Method::DELETE { request.json(&json!({})) } else { request };
        assert_eq!(request.send().await.unwrap().status(), 403, "{} {}", route.method, route.path);
    }
    // Admins reach every route (signing out last: it ends the session).
    let mut routes = switchboard_inbox::api::routes();
    routes.sort_by_key(|route| route.path == "/api/v1/logout");
    for route in routes {
        let request = http.request(route.method.clone(), server.url(&path_for(route.path))).bearer_auth(&admin);
        let request =
            if matches!(route.method.as_str(), "POST" | "PUT" | "PATCH") { request.json(&json!({})) } else { request };
        let status = request.send().await.unwrap().status();
        assert!(status != 401 && status != 403, "{} {} refused an admin: {status}", route.method, route.path);
    }
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let document: Value = get_json(&http, &server, "/api/v1/openapi.json", &admin).await;
    assert_eq!(document["openapi"], "3.1.0");
    for route in switchboard_inbox::api::routes() {
        let operation = &document["paths"][route.path][route.method.as_str().to_lowercase()];
        assert!(operation["summary"].is_string(), "{} {} is not documented", route.method, route.path);
    }
}

#[tokio::test]
async fn sign_in_is_checked_rate_limited_and_survives_restarts() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let login = |email: &'static str, password: &'static str| {
        let http = http.clone();
        let url = server.url("/api/v1/login");
        async move { http.post(url).json(&json!({"email": email, "password": password})).send().await.unwrap() }
    };
    assert_eq!(login("ann@example.com", "wrong password").await.status(), 401);
    assert_eq!(login("nobody@example.com", PASSWORD).await.status(), 401);
    let ok = login("ANN@example.com", PASSWORD).await;
    assert_eq!(ok.status(), 200);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let token = ok.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();

    for _ in 0..5 {
        login("ann@example.com", "guess").await;
    }
    let throttled = login("ann@example.com", PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));

    // The session outlives the process.
    assert!(server.terminate().success());
    let server = Server::start(dir.path(), &[]);
    let me: Value = get_json(&http, &server, "/api/v1/me", &token).await;
    assert_eq!(me["email"], "ann@example.com");
    assert_eq!(me["role"], "admin");
    let out = http.post(server.url("/api/v1/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(http.get(server.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_to_change_anything() {
    let (_dir, server, http, _admin, _agent) = staffed().await;
    let login: Value = http
        .post(server.url("/api/v1/login"))
        .json(&json!({"email": "bob@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cookie = format!("switchboard_session={}", login["token"].as_str().unwrap());
    let csrf = login["csrf_token"].as_str().unwrap();
    let read = http.get(server.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(read.status(), 200, "reading needs no CSRF token");
    let change = || http.patch(server.url("/api/v1/me")).header("cookie", &cookie).json(&json!({"locale": "zh-CN"}));
    assert_eq!(change().send().await.unwrap().status(), 403);
    assert_eq!(change().header("x-csrf-token", "guess").send().await.unwrap().status(), 403);
    assert_eq!(change().header("x-csrf-token", csrf).send().await.unwrap().status(), 204);
}

#[tokio::test]
async fn agents_work_a_conversation_end_to_end() {
    let (_dir, server, http, admin, agent) = staffed().await;
    let get = |path: String, token: &str| {
        let request = http.get(server.url(&path)).bearer_auth(token);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let customer = session(&http, &server, json!({"name": "Carol"})).await;
    send(&http, &server, &customer, json!({"body": "My USDT withdrawal is stuck"})).await;

    let list = get("/api/v1/conversations".into(), &agent).await;
    let item = &list["conversations"][0];
    for field in [
        "id",
        "reference",
        "status",
        "channel",
        "contact",
        "assignee_id",
        "category",
        "locale",
        "tags",
        "last_message_at",
    ] {
        assert!(item.get(field).is_some(), "list item lacks {field}: {item}");
    }
    assert_eq!(item["contact"]["name"], "Carol");
    assert!(item["reference"].as_str().unwrap().starts_with('#'));
    assert_eq!(list["counts"]["unassigned"], 1);
    let id = item["id"].as_i64().unwrap();

    // Reply, and a private note: the customer gets one, never the other.
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Checking the chain now", "private": false, "channel": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    assert_eq!(reply.json::<Value>().await.unwrap()["direction"], "outbound");
    let note = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "VIP customer, be quick", "private": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), 201);
    assert_eq!(note.json::<Value>().await.unwrap()["direction"], "note");
    eventually("the reply reaches the customer", Duration::from_secs(10), || async {
        all_messages(&http, &server, &customer).await.iter().any(|m| m["body"] == "Checking the chain now")
    })
    .await;
    assert!(!all_messages(&http, &server, &customer).await.iter().any(|m| m["body"] == "VIP customer, be quick"));

    let shown = get(format!("/api/v1/conversations/{id}"), &agent).await;
    let messages = shown["messages"].as_array().unwrap();
    assert!(messages.iter().any(|m| m["direction"] == "note" && m["author"] == "agent"));
    let delivered = messages.iter().find(|m| m["body"] == "Checking the chain now").unwrap();
    for field in ["id", "direction", "author", "channel", "body", "created_at", "delivery", "attachments"] {
        assert!(delivered.get(field).is_some(), "message lacks {field}");
    }
    eventually("the reply shows as sent", Duration::from_secs(10), || async {
        let shown = get(format!("/api/v1/conversations/{id}"), &agent).await;
        shown["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"] == "Checking the chain now" && m["delivery"] == "sent")
    })
    .await;

    // Assign, prioritise, tag, resolve.
    let agents = get("/api/v1/agents".into(), &agent).await;
    let bob = agents["agents"].as_array().unwrap().iter().find(|a| a["name"] == "Bob").unwrap()["id"].as_i64().unwrap();
    let patched = http
        .patch(server.url(&format!("/api/v1/conversations/{id}")))
        .bearer_auth(&agent)
        .json(&json!({"assignee_id": bob, "priority": "high", "tags": ["withdrawal", "usdt"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!((patched["assignee_id"].as_i64(), patched["priority"].as_str()), (Some(bob), Some("high")));
    let mine = get("/api/v1/conversations?assignee=me".into(), &agent).await;
    assert_eq!(mine["conversations"].as_array().unwrap().len(), 1);
    let tagged = get("/api/v1/conversations?tag=usdt&status=all".into(), &admin).await;
    assert_eq!(tagged["conversations"].as_array().unwrap().len(), 1);
    let found = get("/api/v1/conversations?q=withdrawal&status=all".into(), &admin).await;
    assert_eq!(found["conversations"].as_array().unwrap().len(), 1);
    for bad in
        [json!({"status": "closed"}), json!({"priority": 5}), json!({"assignee_id": 999}), json!({"colour": "red"})]
    {
        let r = http
            .patch(server.url(&format!("/api/v1/conversations/{id}")))
            .bearer_auth(&agent)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{bad}");
        assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    }
    let resolved = http
        .patch(server.url(&format!("/api/v1/conversations/{id}")))
        .bearer_auth(&agent)
        .json(&json!({"status": "resolved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resolved.status(), 200);
    assert_eq!(
        get("/api/v1/conversations?status=resolved".into(), &agent).await["conversations"].as_array().unwrap().len(),
        1
    );

    let report = get("/api/v1/reports/summary?from=2000-01-01".into(), &admin).await;
    assert_eq!(report["conversations"], 1);
    assert_eq!(report["resolution_rate"], 1.0);
    assert!(report["first_response_s"]["p50"].is_number());
    assert_eq!(report["by_channel"]["webchat"], 1);
    let missing = http.get(server.url("/api/v1/conversations/999999")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn several_conversations_change_at_once_and_each_failure_is_named() {
    let (_dir, server, http, _admin, agent) = staffed().await;
    for name in ["Ida", "Jon"] {
        let token = session(&http, &server, json!({"name": name})).await;
        send(&http, &server, &token, json!({"body": format!("help {name}")})).await;
    }
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let ids: Vec<i64> = list["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let bulk = |body: Value| http.post(server.url("/api/v1/conversations/bulk")).bearer_auth(&agent).json(&body).send();
    let missing = 999_999;
    let body = json!({"ids": [ids[0], ids[1], missing], "priority": "high", "assignee_id": null, "add_tags": ["vip"]});
    let result: Value = bulk(body).await.unwrap().json().await.unwrap();
    assert_eq!(result["updated"].as_array().unwrap().len(), 2);
    assert_eq!(result["failed"][0]["id"], missing);
    for id in &ids {
        let c: Value = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
        assert_eq!((c["priority"].clone(), c["tags"].clone()), (json!("high"), json!(["vip"])));
    }
    let removed: Value = bulk(json!({"ids": [ids[0]], "remove_tags": ["vip"]})).await.unwrap().json().await.unwrap();
    assert_eq!(removed["updated"], json!([ids[0]]));
    for refused in [
        json!({"ids": []}),
        json!({"ids": [ids[0]], "status": "closed"}),
        json!({"ids": [ids[0]], "add_tags": ["a\"b"]}),
    ] {
        assert_eq!(bulk(refused.clone()).await.unwrap().status(), 422, "{refused}");
    }
}

#[tokio::test]
async fn canned_responses_have_shortcuts_and_files_that_go_with_the_reply() {
    let (_dir, server, http, admin, agent) = staffed().await;
    let token = session(&http, &server, json!({"name": "Pia"})).await;
    send(&http, &server, &token, json!({"body": "how do I verify?"})).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let conversation = list["conversations"][0]["id"].as_i64().unwrap();
    let create = |body: Value| http.post(server.url("/api/v1/canned_responses")).bearer_auth(&admin).json(&body).send();
    let created: Value =
        create(json!({"title": "kyc", "locale": "en-US", "body": "Hi {name}, see the **guide**.", "shortcut": "/KYC"}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(created["shortcut"], "kyc");
    let id = created["id"].as_i64().unwrap();
    let taken = create(json!({"title": "other", "locale": "en-US", "body": "x", "shortcut": "kyc"})).await.unwrap();
    assert_eq!(taken.status(), 422, "a shortcut names one response");
    let bad = create(json!({"title": "third", "locale": "en-US", "body": "x", "shortcut": "no spaces"})).await.unwrap();
    assert_eq!(bad.status(), 422);
    let file = reqwest::multipart::Part::bytes(b"%PDF-1.4 guide".to_vec())
        .file_name("guide.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", file);
    let attach = http.post(server.url(&format!("/api/v1/canned_responses/{id}/attachments"))).bearer_auth(&admin);
    let with_file: Value = attach.multipart(form).send().await.unwrap().json().await.unwrap();
    assert_eq!(with_file["attachments"][0]["filename"], "guide.pdf");
    let refused = http.post(server.url(&format!("/api/v1/canned_responses/{id}/attachments"))).bearer_auth(&agent);
    assert_eq!(refused.send().await.unwrap().status(), 403, "admins manage canned responses");

    // Filled for the conversation, with its shortcut and files; the reply carries the files.
    let filled: Value =
        get_json(&http, &server, &format!("/api/v1/canned_responses?conversation_id={conversation}"), &agent).await;
    let kyc = filled["canned_responses"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!((kyc["body"].clone(), kyc["shortcut"].clone()), (json!("Hi Pia, see the **guide**."), json!("kyc")));
    let reply = http.post(server.url(&format!("/api/v1/conversations/{conversation}/messages"))).bearer_auth(&agent);
    let sent: Value =
        reply.json(&json!({"body": kyc["body"], "canned_id": id})).send().await.unwrap().json().await.unwrap();
    assert_eq!(sent["attachments"][0]["filename"], "guide.pdf");
    let file_id = with_file["attachments"][0]["id"].as_i64().unwrap();
    let removed =
        http.delete(server.url(&format!("/api/v1/canned_responses/{id}/attachments/{file_id}"))).bearer_auth(&admin);
    assert_eq!(removed.send().await.unwrap().status(), 204);
}

#[tokio::test]
async fn canned_responses_are_managed_by_admins_and_filled_per_conversation() {
    let (_dir, server, http, admin, agent) = staffed().await;
    for (locale, body) in [
        ("en-US", "Hi {name}, ticket {reference} is with {agent}."),
        ("zh-CN", "{name}您好，工单 {reference} 由 {agent} 处理。"),
    ] {
        let created = http
            .post(server.url("/api/v1/canned_responses"))
            .bearer_auth(&admin)
            .json(&json!({"title": "greeting", "locale": locale, "body": body}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }
    let duplicate = http
        .post(server.url("/api/v1/canned_responses"))
        .bearer_auth(&admin)
        .json(&json!({"title": "greeting", "locale": "en-US", "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 422);
    let customer = session(&http, &server, json!({"name": "王小明", "locale": "zh-CN"})).await;
    send(&http, &server, &customer, json!({"body": "我的充值没到账"})).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let id = list["conversations"][0]["id"].as_i64().unwrap();
    let reference = list["conversations"][0]["reference"].as_str().unwrap().to_owned();
    let canned: Value =
        get_json(&http, &server, &format!("/api/v1/canned_responses?conversation_id={id}"), &agent).await;
    let rendered = canned["canned_responses"].as_array().unwrap();
    assert_eq!(rendered.len(), 1);
    assert_eq!(rendered[0]["body"], format!("王小明您好，工单 {reference} 由 Bob 处理。"));
}

#[tokio::test]
async fn events_stream_new_messages_live() {
    let (_dir, server, http, _admin, agent) = staffed().await;
    let mut events = http.get(server.url("/api/v1/events")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let customer = session(&http, &server, json!({})).await;
    send(&http, &server, &customer, json!({"body": "anyone there?"})).await;
    let mut received = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !received.contains("event: message_created") {
        let chunk =
            tokio::time::timeout_at(deadline, events.chunk()).await.expect("an event in time").unwrap().unwrap();
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(received.contains("\"conversation_id\":"), "{received}");
    assert!(!received.contains("anyone there?"), "events carry ids, not message text");
}

#[tokio::test]
async fn admins_create_agents_and_manage_canned_responses() {
    let (_dir, server, http, admin, agent) = staffed().await;
    let created = http
        .post(server.url("/api/v1/agents"))
        .bearer_auth(&admin)
        .json(&json!({"email": "cy@example.com", "name": "Cy", "password": PASSWORD, "role": "agent"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert!(created.json::<Value>().await.unwrap().get("password_hash").is_none(), "hashes never leave the store");
    sign_in(&http, &server, "cy@example.com", PASSWORD).await;
    let weak = http
        .post(server.url("/api/v1/agents"))
        .bearer_auth(&admin)
        .json(&json!({"email": "dee@example.com", "name": "Dee", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 422);

    let created: Value = http
        .post(server.url("/api/v1/canned_responses"))
        .bearer_auth(&admin)
        .json(&json!({"title": "kyc", "locale": "en-US", "body": "Please verify your identity."}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let changed = http
        .put(server.url(&format!("/api/v1/canned_responses/{id}")))
        .bearer_auth(&admin)
        .json(&json!({"title": "kyc", "locale": "en-US", "body": "Please complete KYC."}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let list: Value = get_json(&http, &server, "/api/v1/canned_responses", &agent).await;
    assert_eq!(list["canned_responses"][0]["body"], "Please complete KYC.");
    let removed =
        http.delete(server.url(&format!("/api/v1/canned_responses/{id}"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let again =
        http.delete(server.url(&format!("/api/v1/canned_responses/{id}"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(again.status(), 404);
}
