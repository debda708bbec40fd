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
async fn contacts_show_identities_and_merge() {
    let (_dir, server, http, _admin, agent) = staffed().await;
    for name in ["Dan", "Dan again"] {
        let token = session(&http, &server, json!({"name": name})).await;
        send(&http, &server, &token, json!({"body": format!("hello from {name}")})).await;
    }
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let mut contacts: Vec<i64> =
        list["conversations"].as_array().unwrap().iter().map(|c| c["contact"]["id"].as_i64().unwrap()).collect();
    contacts.sort();
    let merged = http
        .post(server.url(&format!("/api/v1/contacts/{}/merge", contacts[0])))
        .bearer_auth(&agent)
        .json(&json!({"other_id": contacts[1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(merged.status(), 200);
    let contact: Value = merged.json().await.unwrap();
    assert_eq!(contact["identities"].as_array().unwrap().len(), 2);
    for identity in contact["identities"].as_array().unwrap() {
        assert_eq!(identity["channel"], "webchat");
        assert!(identity["external_id"].is_string() && identity["display_name"].is_string());
    }
    let history: Value = get_json(&http, &server, &format!("/api/v1/contacts/{}/messages", contacts[0]), &agent).await;
    let bodies: Vec<&str> =
        history["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert!(bodies.contains(&"hello from Dan") && bodies.contains(&"hello from Dan again"));
    let again = http
        .post(server.url(&format!("/api/v1/contacts/{}/merge", contacts[0])))
        .bearer_auth(&agent)
        .json(&json!({"other_id": contacts[0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422);
}

#[tokio::test]
async fn contacts_are_listed_searched_annotated_and_their_tickets_shown() {
    let (_dir, server, http, admin, agent) = staffed().await;
    for name in ["Mei Chen", "Omar Haddad"] {
        let token = session(&http, &server, json!({"name": name})).await;
        send(&http, &server, &token, json!({"body": format!("deposit question from {name}")})).await;
    }
    let all: Value = get_json(&http, &server, "/api/v1/contacts", &agent).await;
    let names: Vec<&str> = all["contacts"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Omar Haddad", "Mei Chen"], "the newest first");
    let page: Value = get_json(&http, &server, "/api/v1/contacts?limit=1", &agent).await;
    let before = page["next_before"].as_i64().expect("a next page");
    let next: Value = get_json(&http, &server, &format!("/api/v1/contacts?limit=1&before={before}"), &agent).await;
    assert_eq!(next["contacts"][0]["name"], "Mei Chen");
    let found: Value = get_json(&http, &server, "/api/v1/contacts?q=haddad", &agent).await;
    let omar = found["contacts"][0]["id"].as_i64().unwrap();
    assert_eq!(found["contacts"].as_array().unwrap().len(), 1);

    let path = format!("/api/v1/contacts/{omar}");
    let changed = http.patch(server.url(&path)).bearer_auth(&agent);
    let changed = changed.json(&json!({"attributes": {"UID": "55012", "VIP": "yes"}})).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    let refused = http.patch(server.url(&path)).bearer_auth(&agent).json(&json!({"attributes": {"": "x"}}));
    assert_eq!(refused.send().await.unwrap().status(), 422);
    let note = http.post(server.url(&format!("{path}/notes"))).bearer_auth(&agent);
    let note = note.json(&json!({"body": "Prefers e-mail"})).send().await.unwrap();
    assert_eq!(note.status(), 201);
    let note: Value = note.json().await.unwrap();
    let contact: Value = get_json(&http, &server, &path, &agent).await;
    assert_eq!(contact["attributes"], json!({"UID": "55012", "VIP": "yes"}));
    assert_eq!(contact["notes"][0]["body"], "Prefers e-mail");
    assert_eq!(contact["tickets"].as_array().unwrap().len(), 1);
    assert!(contact["identities"].as_array().unwrap().len() == 1, "the contract's fields stay");
    let by_uid: Value = get_json(&http, &server, "/api/v1/conversations?status=all&q=55012", &agent).await;
    assert_eq!(by_uid["conversations"][0]["contact"]["id"], omar, "conversations are found by an attribute");
    let by_words: Value =
        get_json(&http, &server, "/api/v1/conversations?status=all&q=deposit%20question%20from%20mei", &agent).await;
    let segments = by_words["conversations"][0]["found"].as_array().expect("where it was found");
    let hits: Vec<&str> = segments.iter().filter(|s| s["hit"] == true).map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(hits, ["deposit", "question", "from", "Mei"]);

    // Only its author, or an admin, deletes a note.
    let note_path = format!("{path}/notes/{}", note["id"]);
    let bob = add_agent_token(&http, &server, &admin, "cy@example.com").await;
    assert_eq!(http.delete(server.url(&note_path)).bearer_auth(&bob).send().await.unwrap().status(), 404);
    assert_eq!(http.delete(server.url(&note_path)).bearer_auth(&admin).send().await.unwrap().status(), 204);
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

/// Another agent, created by the admin, signed in.
async fn add_agent_token(http: &reqwest::Client, server: &Server, admin: &str, email: &str) -> String {
    let created = http.post(server.url("/api/v1/agents")).bearer_auth(admin);
    let created = created.json(&json!({"email": email, "name": "Cy", "role": "agent", "password": PASSWORD}));
    assert!(created.send().await.unwrap().status().is_success());
    sign_in(http, server, email, PASSWORD).await
}

#[tokio::test]
async fn an_admin_erases_a_contact_with_their_history_and_session() {
    let (_dir, server, http, admin, agent) = staffed().await;
    let erased_visitor = session(&http, &server, json!({"name": "Eve"})).await;
    send(&http, &server, &erased_visitor, json!({"body": "my account is 4471, please delete my data"})).await;
    let kept_visitor = session(&http, &server, json!({"name": "Kim"})).await;
    send(&http, &server, &kept_visitor, json!({"body": "where is my deposit"})).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let contact_of = |name: &str| {
        list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == name).unwrap()["contact"]["id"]
            .as_i64()
            .unwrap()
    };
    let (eve, kim) = (contact_of("Eve"), contact_of("Kim"));
    let erase =
        |token: &str, id: i64| http.delete(server.url(&format!("/api/v1/contacts/{id}"))).bearer_auth(token).send();
    assert_eq!(erase(&agent, eve).await.unwrap().status(), 403, "only admins erase");
    let answer = erase(&admin, eve).await.unwrap();
    assert_eq!(answer.status(), 200);
    let counts: Value = answer.json().await.unwrap();
    assert_eq!((counts["contacts"].as_i64(), counts["conversations"].as_i64()), (Some(1), Some(1)), "{counts}");
    assert!(counts["messages"].as_i64().unwrap() >= 1);
    assert_eq!(erase(&admin, eve).await.unwrap().status(), 404, "gone");
    let missing = http.get(server.url(&format!("/api/v1/contacts/{eve}"))).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let names: Vec<&str> =
        list["conversations"].as_array().unwrap().iter().map(|c| c["contact"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Kim"]);
    let found: Value = get_json(&http, &server, "/api/v1/conversations?q=4471&status=all", &agent).await;
    assert!(found["conversations"].as_array().unwrap().is_empty(), "nothing of hers is searchable: {found}");
    // Her web-chat session ended with her; Kim's goes on.
    let old_session = http.get(server.url("/webchat/v1/messages")).bearer_auth(&erased_visitor).send().await.unwrap();
    assert_eq!(old_session.status(), 401);
    assert_eq!(all_messages(&http, &server, &kept_visitor).await[0]["body"], "where is my deposit");
    let kim_view: Value = get_json(&http, &server, &format!("/api/v1/contacts/{kim}"), &agent).await;
    assert_eq!(kim_view["name"], "Kim");
}

#[tokio::test]
async fn after_a_merge_a_reply_reaches_the_visitor_who_asked_unless_the_agent_picks_another() {
    let (_dir, server, http, _admin, agent) = staffed().await;
    let second = session(&http, &server, json!({"name": "Second visitor"})).await;
    send(&http, &server, &second, json!({"body": "second asks first"})).await;
    let first = session(&http, &server, json!({"name": "First visitor"})).await;
    send(&http, &server, &first, json!({"body": "first asks last"})).await;
    let list: Value = get_json(&http, &server, "/api/v1/conversations", &agent).await;
    let find = |name: &str| {
        let c = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == name).unwrap();
        (c["id"].as_i64().unwrap(), c["contact"]["id"].as_i64().unwrap())
    };
    let ((_, first_contact), (second_conversation, second_contact)) = (find("First visitor"), find("Second visitor"));
    let merge = format!("/api/v1/contacts/{first_contact}/merge");
    let merged = http.post(server.url(&merge)).bearer_auth(&agent).json(&json!({"other_id": second_contact}));
    assert_eq!(merged.send().await.unwrap().status(), 200);

    let path = format!("/api/v1/conversations/{second_conversation}/messages");
    let reply =
        http.post(server.url(&path)).bearer_auth(&agent).json(&json!({"body": "for the second", "private": false}));
    assert_eq!(reply.send().await.unwrap().status(), 201);
    eventually("the reply in the chat that asked", Duration::from_secs(10), || async {
        all_messages(&http, &server, &second).await.iter().any(|m| m["body"] == "for the second")
    })
    .await;
    assert!(!all_messages(&http, &server, &first).await.iter().any(|m| m["body"] == "for the second"));

    // The composer offers each identity by channel and name; picking one sends there.
    let page = http.get(server.url(&format!("/inbox?c={second_conversation}"))).bearer_auth(&agent).send().await;
    let page = page.unwrap().text().await.unwrap();
    assert!(page.contains("webchat · First visitor") && page.contains("webchat · Second visitor"), "{page}");
    let contact: Value = get_json(&http, &server, &format!("/api/v1/contacts/{first_contact}"), &agent).await;
    let identities = contact["identities"].as_array().unwrap();
    let first_identity = identities.iter().find(|i| i["display_name"] == "First visitor").unwrap()["id"].clone();
    let picked = json!({"body": "for the first, on purpose", "private": false, "identity_id": first_identity});
    let reply = http.post(server.url(&path)).bearer_auth(&agent).json(&picked);
    assert_eq!(reply.send().await.unwrap().status(), 201);
    eventually("the reply in the chat the agent picked", Duration::from_secs(10), || async {
        all_messages(&http, &server, &first).await.iter().any(|m| m["body"] == "for the first, on purpose")
    })
    .await;
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
