//! Agents and roles through the real binary's API: admins change roles, deactivate (sessions
//! end at once) and reset passwords; every agent sets their name, password, language and
//! availability, which the team sees; the last admin stays one.

mod support;

use serde_json::{Value, json};
use support::{Server, get_json, sign_in};

const PASSWORD: &str = support::STAFF_PASSWORD;

async fn patch(http: &reqwest::Client, server: &Server, path: &str, token: &str, body: Value) -> reqwest::StatusCode {
    http.patch(server.url(path)).bearer_auth(token).json(&body).send().await.unwrap().status()
}

async fn me(http: &reqwest::Client, server: &Server, token: &str) -> reqwest::StatusCode {
    http.get(server.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().status()
}

#[tokio::test]
async fn admins_manage_agents_and_agents_manage_themselves() {
    let (_dir, server, http, admin, bob) = support::staffed().await;
    let agents: Value = get_json(&http, &server, "/api/v1/agents", &bob).await;
    let bob_id =
        agents["agents"].as_array().unwrap().iter().find(|a| a["name"] == "Bob").unwrap()["id"].as_i64().unwrap();
    let ann_id =
        agents["agents"].as_array().unwrap().iter().find(|a| a["name"] == "Ann").unwrap()["id"].as_i64().unwrap();
    let bob_path = format!("/api/v1/agents/{bob_id}");

    // Bob sets himself up; the team sees it.
    let status = patch(
        &http,
        &server,
        "/api/v1/me",
        &bob,
        json!({"name": "Bob B.", "availability": "online", "locale": "zh-CN"}),
    );
    assert_eq!(status.await, 204);
    let agents: Value = get_json(&http, &server, "/api/v1/agents", &admin).await;
    let listed = agents["agents"].as_array().unwrap().iter().find(|a| a["id"] == bob_id).unwrap().clone();
    assert_eq!(
        (listed["name"].clone(), listed["availability"].clone(), listed["locale"].clone()),
        (json!("Bob B."), json!("online"), json!("zh-CN"))
    );
    assert_eq!(patch(&http, &server, "/api/v1/me", &bob, json!({"availability": "asleep"})).await, 422);
    let wrong = json!({"password": "a new long password", "current_password": "not it"});
    assert_eq!(patch(&http, &server, "/api/v1/me", &bob, wrong).await, 422, "the current password is asked");
    let right = json!({"password": "a new long password", "current_password": PASSWORD});
    assert_eq!(patch(&http, &server, "/api/v1/me", &bob, right).await, 204);
    let bob = sign_in(&http, &server, "bob@example.com", "a new long password").await;

    // Only admins manage others.
    assert_eq!(patch(&http, &server, &format!("/api/v1/agents/{ann_id}"), &bob, json!({"role": "agent"})).await, 403);
    assert_eq!(patch(&http, &server, &bob_path, &admin, json!({"role": "admin"})).await, 200);
    let promoted: Value = get_json(&http, &server, "/api/v1/me", &bob).await;
    assert_eq!(promoted["role"], "admin");
    assert_eq!(patch(&http, &server, &bob_path, &admin, json!({"role": "agent"})).await, 200);

    // A reset password ends the agent's sessions; the new one signs in.
    assert_eq!(patch(&http, &server, &bob_path, &admin, json!({"password": "reset by the admin"})).await, 200);
    assert_eq!(me(&http, &server, &bob).await, 401, "the old session ended");
    let bob = sign_in(&http, &server, "bob@example.com", "reset by the admin").await;
    // Deactivation ends the session at once and refuses signing in; reactivation lets him back.
    assert_eq!(patch(&http, &server, &bob_path, &admin, json!({"disabled": true})).await, 200);
    assert_eq!(me(&http, &server, &bob).await, 401);
    let refused = http
        .post(server.url("/api/v1/login"))
        .json(&json!({"email": "bob@example.com", "password": "reset by the admin"}));
    assert_eq!(refused.send().await.unwrap().status(), 401);
    let agents: Value = get_json(&http, &server, "/api/v1/agents", &admin).await;
    assert!(agents["agents"].as_array().unwrap().iter().all(|a| a["id"] != bob_id), "the active team only");
    assert_eq!(patch(&http, &server, &bob_path, &admin, json!({"disabled": false})).await, 200);
    sign_in(&http, &server, "bob@example.com", "reset by the admin").await;

    // The last admin stays an active admin.
    let ann_path = format!("/api/v1/agents/{ann_id}");
    assert_eq!(patch(&http, &server, &ann_path, &admin, json!({"role": "agent"})).await, 422);
    assert_eq!(patch(&http, &server, &ann_path, &admin, json!({"disabled": true})).await, 422);
    assert_eq!(me(&http, &server, &admin).await, 200);
}
