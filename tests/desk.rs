//! The desk through the real binary: teams, SLA policies and automation rules kept through the
//! API (bad input refused plainly); a customer who asks for a person routed to a team by a
//! rule, assigned to the online member, their conversation showing its team and SLA clocks; and
//! on PostgreSQL two instances whose desk warns and breaches each conversation once, the leader
//! killed with SIGKILL between.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent_to, client, get_json, poll, send, session, sign_in};

const PASSWORD: &str = support::STAFF_PASSWORD;

async fn call(
    http: &reqwest::Client,
    server: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = http.request(method, server.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A web-chat customer who asks for a person; their conversation's id once it exists.
async fn asks_for_a_person(http: &reqwest::Client, server: &Server, agent: &str, name: &str, text: &str) -> i64 {
    let token = session(http, server, json!({"name": name})).await;
    send(http, server, &token, json!({"body": text})).await;
    send(http, server, &token, json!({"body": "/human"})).await;
    poll(&format!("{name}'s conversation"), Duration::from_secs(20), || async {
        let list = get_json(http, server, "/api/v1/conversations?status=all&limit=100", agent).await;
        let found = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == name).cloned();
        found.filter(|c| !c["handoff_at"].is_null()).map(|c| c["id"].as_i64().unwrap())
    })
    .await
}

async fn system_notes(http: &reqwest::Client, server: &Server, agent: &str, id: i64) -> Vec<String> {
    let thread = get_json(http, server, &format!("/api/v1/conversations/{id}"), agent).await;
    let notes = thread["messages"].as_array().unwrap().iter().filter(|m| m["author"] == "system");
    notes.map(|m| m["body"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_rule_routes_to_a_team_whose_online_member_takes_it_with_its_sla() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent_to(dir.path(), &url, "bob@example.com", "Bob", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[("SWITCHBOARD_ASSIGNMENT", "balanced")]);
    let http = client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let bob = sign_in(&http, &server, "bob@example.com", PASSWORD).await;
    let me = get_json(&http, &server, "/api/v1/me", &bob).await;
    let bob_id = me["id"].as_i64().unwrap();

    // Teams.
    let (status, _) = call(&http, &server, "POST", "/api/v1/teams", &bob, json!({"name": "Nope"})).await;
    assert_eq!(status, 403, "admins keep the teams");
    let team = json!({"name": "Transactions", "member_ids": [bob_id], "lead_id": null, "languages": ["en", "zh"],
                      "categories": ["deposits"]});
    let (status, created) = call(&http, &server, "POST", "/api/v1/teams", &admin, team.clone()).await;
    assert_eq!(status, 201, "{created}");
    let team_id = created["id"].as_i64().unwrap();
    assert_eq!((created["member_ids"].clone(), created["lead_id"].clone()), (json!([bob_id]), Value::Null));
    let (status, refused) = call(&http, &server, "POST", "/api/v1/teams", &admin, team).await;
    assert_eq!((status, refused["error"].as_str().unwrap().contains("exists")), (422, true));
    let (status, _) =
        call(&http, &server, "POST", "/api/v1/teams", &admin, json!({"name": "X", "member_ids": [999]})).await;
    assert_eq!(status, 422, "no such agent");
    let path = format!("/api/v1/teams/{team_id}");
    let (status, changed) = call(&http, &server, "PATCH", &path, &admin, json!({"lead_id": bob_id})).await;
    assert_eq!((status, changed["lead_id"].as_i64()), (200, Some(bob_id)));
    let spare = call(&http, &server, "POST", "/api/v1/teams", &admin, json!({"name": "Spare"})).await.1;
    let (status, _) =
        call(&http, &server, "DELETE", &format!("/api/v1/teams/{}", spare["id"]), &admin, json!({})).await;
    assert_eq!(status, 204);
    let teams = get_json(&http, &server, "/api/v1/teams", &bob).await;
    assert_eq!(teams["teams"].as_array().unwrap().len(), 1);

    // An SLA policy, and one that cannot be.
    let policy = json!({"name": "Standard", "first_response": "15m", "next_response": "1h", "resolution": "1d",
                        "business_hours": false, "priority": null, "team_id": team_id, "channel": null});
    let (status, created) = call(&http, &server, "POST", "/api/v1/sla_policies", &admin, policy).await;
    assert_eq!((status, created["first_response"].as_str()), (201, Some("15m")), "{created}");
    let bad = json!({"name": "Soon", "first_response": "soon"});
    let (status, refused) = call(&http, &server, "POST", "/api/v1/sla_policies", &admin, bad).await;
    assert_eq!(status, 422);
    assert!(refused["error"].as_str().unwrap().contains("first_response"), "{refused}");
    let (status, _) = call(&http, &server, "POST", "/api/v1/sla_policies", &admin, json!({"name": "Empty"})).await;
    assert_eq!(status, 422, "a policy without a target");

    // A rule: withdrawals go to Transactions, urgent.
    let rule = json!({"name": "Withdrawals", "event": "handed_off",
        "conditions": [{"field": "text", "operator": "contains", "value": ["withdraw", "提币"]}],
        "actions": [{"type": "assign_team", "team_id": team_id}, {"type": "set_priority", "priority": "high"}]});
    let (status, dry) = call(&http, &server, "POST", "/api/v1/automation_rules/dry_run", &admin, rule.clone()).await;
    assert_eq!((status, dry["checked"].as_i64()), (200, Some(0)), "{dry}");
    let (status, created) = call(&http, &server, "POST", "/api/v1/automation_rules", &admin, rule).await;
    assert_eq!(status, 201, "{created}");
    let bad = json!({"name": "?", "event": "sometimes", "actions": []});
    assert_eq!(call(&http, &server, "POST", "/api/v1/automation_rules", &admin, bad).await.0, 422);

    // Bob comes online; a customer asks about a withdrawal and for a person.
    let (status, _) = call(&http, &server, "PATCH", "/api/v1/me", &bob, json!({"availability": "online"})).await;
    assert_eq!(status, 204);
    let id = asks_for_a_person(&http, &server, &bob, "Wei", "my withdrawal is stuck").await;
    let conversation = poll("the conversation assigned", Duration::from_secs(20), || async {
        let c = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &bob).await;
        (c["assignee_id"].as_i64() == Some(bob_id) && !c["sla"].is_null()).then_some(c)
    })
    .await;
    assert_eq!((conversation["team_id"].as_i64(), conversation["priority"].as_str()), (Some(team_id), Some("high")));
    assert!(conversation["sla"]["first_response_due_at"].is_string(), "{}", conversation["sla"]);
    assert_eq!(conversation["sla"]["breached"], json!([]));
    let notes = system_notes(&http, &server, &bob, id).await;
    assert!(notes.iter().any(|n| n.contains("Withdrawals")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("Assigned to Bob (balanced")), "{notes:?}");
    let runs = get_json(&http, &server, &format!("/api/v1/conversations/{id}/rule_runs"), &bob).await;
    assert_eq!(runs["runs"].as_array().unwrap().len(), 1);
    let listed = get_json(&http, &server, "/api/v1/conversations?status=open", &bob).await;
    assert!(listed["conversations"][0]["sla"]["first_response_due_at"].is_string(), "the list shows the clocks");
    let (_, dry) = call(
        &http,
        &server,
        "POST",
        "/api/v1/automation_rules/dry_run",
        &admin,
        json!({"name": "t", "event": "handed_off", "conditions": [{"field": "text", "operator": "contains",
               "value": "withdrawal"}], "actions": [{"type": "add_tag", "tag": "w"}]}),
    )
    .await;
    assert_eq!(dry["matched"][0]["conversation_id"].as_i64(), Some(id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_warn_and_breach_once_with_the_leader_killed_between() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "admin", PASSWORD);
    let start = |name: &str| {
        let env = [
            ("SWITCHBOARD_DATABASE_URL", url.as_str()),
            ("SWITCHBOARD_INSTANCE", name),
            ("SWITCHBOARD_LEASE_TTL", "2s"),
        ];
        Server::start(dir.path(), &env)
    };
    let mut servers = vec![start("desk-a"), start("desk-b")];
    let http = client();
    let admin = sign_in(&http, &servers[0], "ann@example.com", PASSWORD).await;
    let policy = json!({"name": "Fast", "first_response": "4s"});
    assert_eq!(call(&http, &servers[0], "POST", "/api/v1/sla_policies", &admin, policy).await.0, 201);
    let early = asks_for_a_person(&http, &servers[0], &admin, "Early", "hello?").await;
    poll("the early warning", Duration::from_secs(20), || async {
        let notes = system_notes(&http, &servers[0], &admin, early).await;
        notes.iter().any(|n| n.starts_with("SLA warning")).then_some(())
    })
    .await;
    // The instance running the timers is killed; the other takes the desk over.
    let leader = poll("the timers' holder", Duration::from_secs(20), || async {
        for (i, server) in servers.iter().enumerate() {
            let health: Value = http.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap();
            if health["roles"].as_array().is_some_and(|roles| roles.iter().any(|r| r == "timers")) {
                return Some(i);
            }
        }
        None
    })
    .await;
    servers.remove(leader).kill9();
    let second = &servers[0];
    let late = asks_for_a_person(&http, second, &admin, "Late", "still there?").await;
    for id in [early, late] {
        poll("a breach", Duration::from_secs(30), || async {
            let c = get_json(&http, second, &format!("/api/v1/conversations/{id}"), &admin).await;
            (c["sla"]["breached"] == json!(["first_response"])).then_some(())
        })
        .await;
    }
    // The late breach came after the early one's: by then the early conversation was looked at
    // again and again, by both instances' desks in turn.
    let notes = system_notes(&http, second, &admin, early).await;
    let count = |prefix: &str| notes.iter().filter(|n| n.starts_with(prefix)).count();
    assert_eq!((count("SLA warning"), count("SLA breached")), (1, 1), "{notes:?}");
    let c = get_json(&http, second, &format!("/api/v1/conversations/{early}"), &admin).await;
    assert_eq!(c["priority"], "urgent");
}
