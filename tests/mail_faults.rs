//! Mail servers failing under the real binary: submission refusing connections, answering
//! `421`, or dropped in the middle of DATA; IMAP dropped in the middle of a FETCH. A proxy in
//! front of the real Dovecot spoils the connections. Every reply reaches the customer once, in
//! order; every mail is stored once.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::fault_proxy::{Fault, FaultProxy};
use support::mail::{CUSTOMER, MailPeer, text};
use support::{Server, add_agent, conversations, eventually, messages, post_files, sign_in};

const PASSWORD: &str = "correct horse battery";
const BUSY: &str = "421 4.3.2 Service not available, closing transmission channel\r\n";

fn start(dir: &std::path::Path, peer: &MailPeer, imap: u16, submission: u16) -> Server {
    let env = peer.gateway_env_via(imap, submission);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Server::start(dir, &env)
}

/// Printable, incompressible-looking bytes: a file that takes room on the wire.
fn statement(size: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..size)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            if i % 80 == 79 { b'\n' } else { b'a' + (state % 26) as u8 }
        })
        .collect()
}

/// A mail with a text part and, when `file` is given, an attachment (`history.csv`).
fn mail(from: &str, id: &str, body: &str, file: Option<&[u8]>) -> String {
    use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
    let builder = lettre::Message::builder()
        .from(from.parse().unwrap())
        .to("Support <support@support.test>".parse().unwrap())
        .subject(format!("Deposit {id}"))
        .message_id(Some(format!("<{id}@customer.test>")));
    let message = match file {
        None => builder.body(body.to_owned()),
        Some(file) => builder.multipart(MultiPart::mixed().singlepart(SinglePart::plain(body.to_owned())).singlepart(
            Attachment::new("history.csv".into()).body(file.to_vec(), ContentType::parse("text/csv").unwrap()),
        )),
    };
    String::from_utf8(message.unwrap().formatted()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submission_refusing_busy_or_dropped_mid_data_delivers_each_reply_once_in_order() {
    let peer = MailPeer::start();
    let smtp = FaultProxy::start(peer.submission_port()).await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &peer, peer.imap_port(), smtp.port);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    peer.deliver(&mail(CUSTOMER, "s1", "My withdrawal is missing", None)).await;
    peer.wait_for_mail(CUSTOMER, 1).await;
    let id = conversations(&http, &server, &agent).await[0]["id"].as_i64().unwrap();

    // Two connections hung up at once, two answered 421, two cut 64 KB into the upload — in
    // the middle of DATA, since the reply carries a 300 KB file. Then the server is itself.
    smtp.fail_next([Fault::Hangup, Fault::Hangup, Fault::Greet(BUSY), Fault::Greet(BUSY)]);
    smtp.fail_next([Fault::CutUp(64 * 1024), Fault::CutUp(64 * 1024)]);
    let file = statement(300 * 1024);
    let files: &[(&str, &str, &[u8])] = &[("statement.csv", "text/csv", &file)];
    let first = post_files(&http, &server, &agent, id, "reply 1: your statement is attached", files).await;
    assert_eq!(first.status(), 201);
    for n in 2..=3 {
        let answer = http
            .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
            .bearer_auth(&agent)
            .json(&json!({ "body": format!("reply {n}") }))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }

    eventually("every reply sent", Duration::from_secs(240), || async {
        let thread = messages(&http, &server, &agent, &json!(id)).await;
        thread.iter().filter(|m| m["author"] == "agent" && m["delivery"] == "sent").count() == 3
    })
    .await;
    assert_eq!(smtp.faults_left(), 0, "every fault was met");
    assert_eq!(smtp.cuts(), 2, "both uploads were cut");
    let mails = peer.wait_for_mail(CUSTOMER, 4).await;
    assert_eq!(mails.len(), 4, "the acknowledgement and three replies, none twice");
    let bodies: Vec<String> = mails[1..].iter().map(|m| text(m)).collect();
    assert!(bodies[0].starts_with("reply 1"), "{bodies:?}");
    assert!(bodies[1].starts_with("reply 2") && bodies[2].starts_with("reply 3"), "in order: {bodies:?}");
    let parsed = mail_parser::MessageParser::default().parse(mails[1].as_bytes()).unwrap();
    let attachment = parsed.attachments().next().expect("the statement");
    assert_eq!(attachment.contents(), &file[..], "the file whole");
    eprintln!("submission: {} connections for 4 mails, 6 spoiled (2 cut mid-DATA)", smtp.connections());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imap_dropped_mid_fetch_misses_no_mail_and_stores_none_twice() {
    let peer = MailPeer::start();
    let imap = FaultProxy::start(peer.imap_port()).await;
    // The first two connections are cut 120 KB into what the server sends: in the middle of
    // the 300 KB mail's FETCH.
    imap.fail_next([Fault::CutDown(120 * 1024), Fault::CutDown(120 * 1024)]);
    let file = statement(300 * 1024);
    peer.deliver(&mail("ann@one.test", "i1", "First, small", None)).await;
    peer.deliver(&mail("bo@two.test", "i2", "My transaction history is attached", Some(&file))).await;
    peer.deliver(&mail("cy@three.test", "i3", "Third, small", None)).await;

    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &peer, imap.port, peer.submission_port());
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    eventually("the three mails", Duration::from_secs(120), || async {
        conversations(&http, &server, &agent).await.len() >= 3
    })
    .await;
    assert_eq!(imap.cuts(), 2, "both fetches were cut");
    peer.deliver(&mail("dee@four.test", "i4", "Fourth, after the cuts", None)).await;
    eventually("the fourth mail", Duration::from_secs(60), || async {
        conversations(&http, &server, &agent).await.len() >= 4
    })
    .await;

    let mut bodies = Vec::new();
    for conversation in conversations(&http, &server, &agent).await {
        let inbound: Vec<Value> = messages(&http, &server, &agent, &conversation["id"])
            .await
            .into_iter()
            .filter(|m| m["direction"] == "inbound")
            .collect();
        assert_eq!(inbound.len(), 1, "one mail, stored once: {inbound:?}");
        if let Some(attachment) = inbound[0]["attachments"].as_array().and_then(|a| a.first()) {
            assert_eq!(attachment["size"], 300 * 1024, "the attachment whole");
        }
        bodies.push(inbound[0]["body"].as_str().unwrap().to_owned());
    }
    bodies.sort();
    assert_eq!(
        bodies,
        ["First, small", "Fourth, after the cuts", "My transaction history is attached", "Third, small"],
        "every mail, once"
    );
    eprintln!("imap: {} connections, 2 cut mid-FETCH; 4 mails stored once each", imap.connections());
}
