//! The inbox API's contacts (docs/reference.md `/api/v1/contacts`), through the real binary:
//! the list and search, attributes and notes, merging and erasing, and where replies go after
//! a merge.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, all_messages, eventually, get_json, send, session, sign_in, staffed};

const PASSWORD: &str = support::STAFF_PASSWORD;

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
