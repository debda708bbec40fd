//! The OpenAPI document against the running server: every route of the API and of web chat is
//! described with its parameters, request and answer schemas and a real operation id, and
//! schemathesis (PyPI; `scripts/test.sh` installs it) finds no 5xx and no answer that departs
//! from the document, signed in as an admin and as a web-chat visitor.

mod support;

use serde_json::{Value, json};
use std::process::Command;
use support::{Server, add_agent, get_json, session, sign_in};

const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_describes_every_route_and_schemathesis_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let admin = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let doc = get_json(&http, &server, "/api/v1/openapi.json", &admin).await;

    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && !id.contains(' ') && operation_ids.insert(id.to_owned()),
                "{method} {path}: {id:?}"
            );
            assert!(
                operation["responses"].as_object().is_some_and(|r| r.keys().any(|c| c.starts_with('2'))),
                "{method} {path}"
            );
            if ["post", "put", "patch"].contains(&method.as_str()) && path != "/api/v1/logout" {
                assert!(operation["requestBody"]["content"].is_object(), "{method} {path} has no request body schema");
            }
        }
    }
    for route in [
        "/api/v1/login",
        "/api/v1/conversations",
        "/api/v1/conversations/{id}",
        "/api/v1/conversations/{id}/messages",
        "/api/v1/contacts/{id}/merge",
        "/api/v1/reports/summary",
        "/api/v1/kb/articles/{id}",
        "/webchat/v1/sessions",
        "/webchat/v1/messages",
    ] {
        assert!(doc["paths"][route].is_object(), "{route} is not described");
    }
    let parameters: Vec<&str> = doc["paths"]["/api/v1/conversations"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["status", "assignee", "channel", "tag", "language", "q", "stage", "limit", "offset"] {
        assert!(parameters.contains(&name), "GET /api/v1/conversations lacks ?{name}");
    }
    let list =
        &doc["paths"]["/api/v1/conversations"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(list["$ref"], "#/components/schemas/ConversationList");
    assert!(doc["components"]["schemas"]["WireConversation"]["properties"]["handoff_reason"].is_object());

    // Something to find: a conversation, a canned response, an article.
    let visitor = session(&http, &server, json!({"name": "Sam"})).await;
    support::send(&http, &server, &visitor, json!({"body": "where is my deposit"})).await;
    // The document from a file: loading it needs the agent's token, the web-chat run another.
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let schemathesis = |token: &str, scope: &str| {
        Command::new("python3")
            .args(["-m", "schemathesis.cli", "run", file.to_str().unwrap(), "--url", &server.url("")])
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .args(["--include-path-regex", scope])
            // Signing out would end the run's session; the event stream never ends; the web-chat
            // list long-polls up to 30 s for any `after` beyond the last message (its answers are
            // the same `ChatMessage`s the fuzzed send returns).
            .args(["--exclude-path", "/api/v1/logout", "--exclude-path", "/api/v1/events"])
            .args(["--exclude-operation-id", "webchat_list_messages"])
            // The coverage phase trips an interpreter bug of some CPython builds (an AST recursion
            // check); examples, fuzzing and stateful runs cover every operation.
            .args(["--phases", "examples,fuzzing,stateful"])
            .args([
                "--checks",
                "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            ])
            .args(["--max-examples", "25", "--workers", "2", "--generation-deterministic"])
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
    };
    for (token, scope) in [(admin.as_str(), "^/api/"), (visitor.as_str(), "^/webchat/")] {
        let out = schemathesis(token, scope).expect("python3 is needed for this test");
        let report = String::from_utf8_lossy(&out.stdout);
        let errors = String::from_utf8_lossy(&out.stderr);
        assert!(!errors.contains("No module named schemathesis"), "pip install schemathesis (scripts/test.sh does)");
        assert!(out.status.success(), "schemathesis on {scope}:\n{report}\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let health: Value = http.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
}
