//! Attachment download, driven through the router with a real core on SQLite (web chat cannot
//! upload files, so the attachment arrives through `Core::ingest` as a channel would bring it).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::sync::Arc;
use switchboard_core::channel::Channels;
use switchboard_core::ingest::{Inbound, Sender};
use switchboard_core::model::ChannelKind;
use switchboard_core::model::InboundAttachment;
use switchboard_core::store::Store;
use switchboard_core::store::agents::Role;
use switchboard_core::stub::StubChannel;
use switchboard_core::{Core, CoreConfig};
use tower::ServiceExt;

#[tokio::test]
async fn attachments_download_for_agents_only_and_never_inline() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("sb.db").display())).await.unwrap();
    let mut channels = Channels::new();
    channels.register(Arc::new(StubChannel::new(ChannelKind::Telegram)));
    let config = CoreConfig { data_dir: dir.path().join("data"), ..CoreConfig::default() };
    let running = Core::start(store.clone(), config, channels).await.unwrap();
    let core = running.core();
    let hash = switchboard_inbox::auth::hash_password("correct horse battery").unwrap();
    store.create_agent("ann@example.com", "Ann", Role::Agent, &hash).await.unwrap();
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let ingested = core
        .ingest(Inbound {
            channel: ChannelKind::Telegram,
            external_id: "42:1".into(),
            chat: "42".into(),
            thread: None,
            sender: Sender { external_id: "42".into(), display_name: "Tom".into(), lang_hint: None },
            body: "screenshot of the error".into(),
            attachments: vec![InboundAttachment {
                filename: "error page.html".into(),
                content_type: "text/html".into(),
                bytes: html.clone(),
            }],
            too_large: Default::default(),
            threading: Default::default(),
            automated: false,
            choice: None,
        })
        .await
        .unwrap();
    let attachment = store.message(ingested.message_id).await.unwrap().unwrap().attachments[0].id;
    let app = switchboard_inbox::router(
        core.clone(),
        switchboard_inbox::explorers::Explorers::default(),
        std::sync::Arc::new(switchboard_chains::Chains::new(Vec::new())),
        switchboard_core::desk::Desk::default(),
        Vec::new(),
    );

    let anonymous = Request::get(format!("/api/v1/attachments/{attachment}")).body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(anonymous).await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let login = Request::post("/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email":"ann@example.com","password":"correct horse battery"}"#))
        .unwrap();
    let login = app.clone().oneshot(login).await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let body = axum::body::to_bytes(login.into_body(), 1 << 20).await.unwrap();
    let token = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["token"].as_str().unwrap().to_owned();

    let download = Request::get(format!("/api/v1/attachments/{attachment}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(download).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream", "customer files are never rendered");
    assert_eq!(headers[header::CONTENT_DISPOSITION], "attachment; filename=\"error_page.html\"");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap().to_vec(), html);

    let missing = Request::get("/api/v1/attachments/999")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.oneshot(missing).await.unwrap().status(), StatusCode::NOT_FOUND);
    running.shutdown().await;
}
