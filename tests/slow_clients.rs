//! Clients that are slow or greedy on purpose cannot hold the server: headers trickled forever
//! are cut off, a header block past the limit is refused, a body that stalls is abandoned, and
//! the server answers everyone else meanwhile.

mod support;

use std::time::Duration;
use support::{Server, client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn connect(server: &Server) -> TcpStream {
    TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap()
}

/// Everything the server sends until it closes the connection, within `deadline`.
async fn until_closed(stream: &mut TcpStream, deadline: Duration) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(deadline, stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open past {deadline:?}");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_trickling_headers_is_cut_off_and_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let mut slow = connect(&server).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();
    let health = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "served while the slow client waits");
    // The header timeout is 10 s; the client never finishes its headers.
    until_closed(&mut slow, Duration::from_secs(40)).await;
}

#[tokio::test]
async fn a_header_block_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let mut greedy = connect(&server).await;
    let huge = "a".repeat(200 * 1024);
    let request = format!("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: {huge}\r\n\r\n");
    // The server may close before reading it all.
    let _ = greedy.write_all(request.as_bytes()).await;
    let answer = until_closed(&mut greedy, Duration::from_secs(40)).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 431"), "{answer}");
}

#[tokio::test]
async fn a_body_that_stalls_is_abandoned_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = client();
    let token = support::session(&http, &server, serde_json::json!({})).await;
    let mut stalling = connect(&server).await;
    let head = format!(
        "POST /webchat/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"body\": \"half"
    );
    stalling.write_all(head.as_bytes()).await.unwrap();
    // The body's idle timeout is 30 s.
    let answer = until_closed(&mut stalling, Duration::from_secs(70)).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(support::all_messages(&http, &server, &token).await.is_empty(), "nothing stored");
}
