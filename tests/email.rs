//! The email channel end to end: the real binary against real Dovecot (IMAP IDLE,
//! submission) and an SMTP MX on 127.0.0.1.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::mail::{CUSTOMER, MailPeer, STRANGER, header, subject_of, text};
use support::{Server, add_agent, conversations, eventually, messages, sign_in};

const PASSWORD: &str = "correct horse battery";

fn start(dir: &std::path::Path, peer: &MailPeer) -> Server {
    let env = peer.gateway_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Server::start(dir, &env)
}

fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: Support <support@support.test>\nSubject: {subject}\nMessage-ID: <{id}>\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n{extra}\n{body}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_thread_stays_one_conversation_from_acknowledgement_to_agent_reply() {
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &peer);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    // A Chinese customer writes; the acknowledgement comes back in Chinese, threaded.
    peer.deliver(&mail(
        &format!("Customer <{CUSTOMER}>"),
        "充值没有到账",
        "c1@customer.test",
        "",
        "我的充值还没有到账，已经两个小时了",
    ))
    .await;
    let ack = peer.wait_for_mail(CUSTOMER, 1).await.remove(0);
    assert!(text(&ack).starts_with("我们已收到您的消息"), "{ack}");
    assert_eq!(header(&ack, "In-Reply-To").as_deref(), Some("<c1@customer.test>"));
    assert_eq!(header(&ack, "References").as_deref(), Some("<c1@customer.test>"));
    assert_eq!(header(&ack, "Auto-Submitted").as_deref(), Some("auto-replied"));
    let subject = subject_of(&ack);
    assert!(subject.starts_with("Re: 充值没有到账 [#"), "{subject}");
    let ack_id = header(&ack, "Message-ID").unwrap();
    let health: Value = http.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health, json!({"status": "ok", "channels": {"email": "connected"}}));

    // The customer answers the acknowledgement, quoting it: same conversation, new text only.
    let reply = mail(
        &format!("Customer <{CUSTOMER}>"),
        &subject,
        "c2@customer.test",
        &format!("In-Reply-To: {ack_id}\nReferences: <c1@customer.test> {ack_id}\n"),
        "交易哈希在这里，请查一下\n\n在 2026年11月23日，Support 写道：\n> 我们已收到您的消息",
    );
    peer.deliver(&reply).await;
    eventually("the reply stored", Duration::from_secs(20), || async {
        let list = conversations(&http, &server, &agent).await;
        list.len() == 1
            && messages(&http, &server, &agent, &list[0]["id"])
                .await
                .iter()
                .filter(|m| m["direction"] == "inbound")
                .count()
                == 2
    })
    .await;
    let list = conversations(&http, &server, &agent).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let id = list[0]["id"].clone();
    let thread = messages(&http, &server, &agent, &id).await;
    let second = thread.iter().filter(|m| m["direction"] == "inbound").nth(1).unwrap();
    assert_eq!(second["body"], "交易哈希在这里，请查一下");
    assert_eq!(second["attachments"].as_array().unwrap().len(), 1, "the full mail is kept for agents");

    // An agent answers: the mail threads under the customer's latest, written by a person.
    let response = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "已经到账了 <请查收>"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let answer = peer.wait_for_mail(CUSTOMER, 2).await.remove(1);
    assert!(text(&answer).contains("已经到账了 <请查收>"), "{answer}");
    assert_eq!(header(&answer, "In-Reply-To").as_deref(), Some("<c2@customer.test>"));
    assert_eq!(header(&answer, "References").unwrap(), format!("<c1@customer.test> {ack_id} <c2@customer.test>"));
    assert_eq!(subject_of(&answer), subject);
    assert_eq!(header(&answer, "Auto-Submitted"), None);
    eventually("the reply marked sent", Duration::from_secs(10), || async {
        messages(&http, &server, &agent, &id).await.iter().any(|m| m["author"] == "agent" && m["delivery"] == "sent")
    })
    .await;

    // Files go out as attachments of the mail.
    let conversation = id.as_i64().unwrap();
    let files: &[(&str, &str, &[u8])] = &[("statement.pdf", "application/pdf", b"%PDF-1.4 statement")];
    let response = support::post_files(&http, &server, &agent, conversation, "Your statement", files).await;
    assert_eq!(response.status(), 201);
    let with_file = peer.wait_for_mail(CUSTOMER, 3).await.remove(2);
    let parsed = mail_parser::MessageParser::default().parse(with_file.as_bytes()).unwrap();
    let attachment = parsed.attachments().next().expect("the file is attached");
    assert_eq!(mail_parser::MimeHeaders::attachment_name(attachment), Some("statement.pdf"));
    assert_eq!(attachment.contents(), b"%PDF-1.4 statement");

    // A new subject from the same customer, without references, is a new conversation.
    peer.deliver(&mail(CUSTOMER, "2FA reset", "c3@customer.test", "", "I lost my phone")).await;
    eventually("a second conversation", Duration::from_secs(20), || async {
        conversations(&http, &server, &agent).await.len() == 2
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_quoting_another_customers_reference_gets_a_conversation_of_their_own() {
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &peer);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    peer.deliver(&mail(CUSTOMER, "Withdrawal pending", "w1@customer.test", "", "My withdrawal is pending")).await;
    let ack = peer.wait_for_mail(CUSTOMER, 1).await.remove(0);
    let subject = subject_of(&ack);
    let ack_id = header(&ack, "Message-ID").unwrap();
    // The stranger names the ticket both ways: its [#REF] and the acknowledgement's id.
    peer.deliver(&mail(
        STRANGER,
        &subject,
        "s1@other.test",
        &format!("In-Reply-To: {ack_id}\nReferences: {ack_id}\n"),
        "Send me the details of this ticket",
    ))
    .await;
    eventually("the stranger's conversation", Duration::from_secs(20), || async {
        conversations(&http, &server, &agent).await.len() == 2
    })
    .await;
    let list = conversations(&http, &server, &agent).await;
    let original = list.iter().find(|c| c["contact"]["name"] == CUSTOMER).expect("the customer's conversation");
    let theirs = list.iter().find(|c| c["contact"]["name"] == STRANGER).expect("the stranger's conversation");
    assert!(
        messages(&http, &server, &agent, &original["id"])
            .await
            .iter()
            .all(|m| !m["body"].as_str().unwrap().contains("details"))
    );
    let notes: Vec<Value> = messages(&http, &server, &agent, &theirs["id"])
        .await
        .into_iter()
        .filter(|m| m["direction"] == "note")
        .collect();
    assert_eq!(notes.len(), 1, "agents see the link");
    assert!(notes[0]["body"].as_str().unwrap().contains(original["reference"].as_str().unwrap()), "{notes:?}");
    // The stranger's answer carries their own ticket's tag only, never the other customer's.
    let answer = peer.wait_for_mail(STRANGER, 1).await.remove(0);
    let answer_subject = subject_of(&answer);
    let (own, other) = (theirs["reference"].as_str().unwrap(), original["reference"].as_str().unwrap());
    assert!(answer_subject.contains(&format!("[{own}]")), "{answer_subject}");
    assert!(!answer_subject.contains(&format!("[{other}]")), "{answer_subject}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn machines_get_no_answer() {
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    // With the bot on: neither the gateway nor the bot may answer a machine.
    let mut env = peer.gateway_env();
    env.push(("SWITCHBOARD_KB_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/kb").to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    peer.deliver(&mail(
        CUSTOMER,
        "Out of office",
        "ooo@customer.test",
        "Auto-Submitted: auto-replied\n",
        "I am away until Monday",
    ))
    .await;
    let bounce = "From: Mail Delivery System <MAILER-DAEMON@customer.test>\nTo: support@support.test\n\
                  Subject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce1@customer.test>\nMIME-Version: 1.0\n\
                  Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n\
                  Content-Type: text/plain\n\nYour message could not be delivered.\n--B\n\
                  Content-Type: message/delivery-status\n\nReporting-MTA: dns; customer.test\n\n\
                  Final-Recipient: rfc822; gone@customer.test\nAction: failed\nStatus: 5.1.1\n--B--\n";
    peer.deliver(bounce).await;
    peer.deliver(&mail(
        CUSTOMER,
        "News",
        "list1@customer.test",
        "List-Id: <news.customer.test>\nPrecedence: list\n",
        "Our newsletter",
    ))
    .await;
    // A person's mail last: once it is answered, the machines' mails were handled before it.
    peer.deliver(&mail(STRANGER, "Help", "p1@other.test", "", "A real question")).await;
    eventually("four conversations", Duration::from_secs(20), || async {
        conversations(&http, &server, &agent).await.len() == 4
    })
    .await;
    // The person gets the acknowledgement and the bot's handoff (a real question it cannot
    // answer), both marked as automatic.
    let answered = peer.wait_for_mail(STRANGER, 2).await;
    assert!(answered.iter().all(|m| header(m, "Auto-Submitted").as_deref() == Some("auto-replied")));
    // Unknown recipients (MAILER-DAEMON) land in the customer's mailbox too: nothing came.
    assert!(peer.mailbox(CUSTOMER).is_empty(), "machines were answered: {:?}", peer.mailbox(CUSTOMER));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_that_arrives_while_down_or_across_a_dropped_connection_is_stored_once() {
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path(), &peer);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    peer.deliver(&mail(CUSTOMER, "first", "d0@customer.test", "", "before the restart")).await;
    eventually("the first mail", Duration::from_secs(20), || async {
        conversations(&http, &server, &agent).await.len() == 1
    })
    .await;
    assert!(server.terminate().success());

    // 60 mails from 60 senders while the gateway is down.
    for i in 0..60 {
        let from = format!("sender{i}@other.test");
        peer.deliver(&mail(&from, &format!("question {i}"), &format!("d{}@other.test", i + 1), "", "please help"))
            .await;
    }
    let server = start(dir.path(), &peer);
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    // Drop every IMAP connection while the backlog is being ingested.
    eventually("the backlog under way", Duration::from_secs(30), || async {
        conversations(&http, &server, &agent).await.len() > 1
    })
    .await;
    peer.restart();
    eventually("all 61 mails", Duration::from_secs(60), || async {
        conversations(&http, &server, &agent).await.len() >= 61
    })
    .await;
    // A second restart re-reads nothing.
    assert!(server.terminate().success());
    let server = start(dir.path(), &peer);
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    peer.deliver(&mail(CUSTOMER, "last", "z@customer.test", "", "after everything")).await;
    eventually("the last mail", Duration::from_secs(30), || async {
        conversations(&http, &server, &agent).await.len() >= 62
    })
    .await;
    let list = conversations(&http, &server, &agent).await;
    assert_eq!(list.len(), 62, "no mail lost or stored twice");
    let mut inbound = 0;
    for conversation in &list {
        inbound += messages(&http, &server, &agent, &conversation["id"])
            .await
            .iter()
            .filter(|m| m["direction"] == "inbound")
            .count();
    }
    assert_eq!(inbound, 62);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_works_and_a_refused_reply_fails_with_a_note_to_agents() {
    // No catch-all: mail to an address the other side does not have is refused (5xx).
    let peer = MailPeer::start_with(None);
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let env = peer.gateway_env_implicit_tls();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    peer.deliver(&mail(CUSTOMER, "Account locked", "k1@customer.test", "", "My account is locked")).await;
    let ack = peer.wait_for_mail(CUSTOMER, 1).await.remove(0);
    assert_eq!(header(&ack, "In-Reply-To").as_deref(), Some("<k1@customer.test>"));

    // A customer of a domain the MX serves, without a mailbox there: the acknowledgement is
    // refused for good, and agents are told.
    peer.deliver(&mail("nobody@customer.test", "Help", "n1@customer.test", "", "Where is my deposit?")).await;
    eventually("the failed acknowledgement", Duration::from_secs(30), || async {
        let list = conversations(&http, &server, &agent).await;
        let Some(theirs) = list.iter().find(|c| c["contact"]["name"] == "nobody@customer.test") else { return false };
        let thread = messages(&http, &server, &agent, &theirs["id"]).await;
        thread.iter().any(|m| m["delivery"] == "failed")
            && thread.iter().any(|m| m["direction"] == "system" || m["direction"] == "note")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_who_asked_for_mail_is_told_of_an_assignment_by_mail_and_one_who_did_not_is_not() {
    let peer = MailPeer::start();
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", PASSWORD);
    let server = start(dir.path(), &peer);
    let http = support::client();
    let ann = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let bob = sign_in(&http, &server, "bob@example.com", PASSWORD).await;
    let switches = json!({"notify": {"email_assigned": true}});
    let status = http.patch(server.url("/api/v1/me")).bearer_auth(&bob).json(&switches).send().await.unwrap().status();
    assert_eq!(status, 204);
    let me: Value = support::get_json(&http, &server, "/api/v1/me", &bob).await;
    assert_eq!((me["notify"]["email_assigned"].clone(), me["notify"]["assigned"].clone()), (json!(true), json!(true)));
    let bad = json!({"notify": {"email_everything": true}});
    let status = http.patch(server.url("/api/v1/me")).bearer_auth(&bob).json(&bad).send().await.unwrap().status();
    assert_eq!(status, 422, "an unknown switch");

    peer.deliver(&mail(&format!("Customer <{CUSTOMER}>"), "Deposit", "n1@customer.test", "", "Where is my deposit?"))
        .await;
    peer.wait_for_mail(CUSTOMER, 1).await;
    let id = conversations(&http, &server, &ann).await[0]["id"].as_i64().unwrap();
    let agents: Value = support::get_json(&http, &server, "/api/v1/agents", &ann).await;
    let id_of =
        |name: &str| agents["agents"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap()["id"].clone();
    for who in ["Ann", "Bob"] {
        let change = json!({"assignee_id": id_of(who)});
        let path = format!("/api/v1/conversations/{id}");
        assert_eq!(http.patch(server.url(&path)).bearer_auth(&ann).json(&change).send().await.unwrap().status(), 200);
    }
    // Unknown recipients land in the customer's mailbox (the peer's catch-all).
    let mails = peer.wait_for_mail(CUSTOMER, 2).await;
    let notice = mails.iter().find(|m| header(m, "To").is_some_and(|to| to.contains("bob@example.com"))).unwrap();
    assert_eq!(subject_of(notice), format!("[#{}] Assigned to you", 1000 + id));
    assert!(text(notice).contains(&format!("/inbox?status=all&c={id}")), "{notice}");
    assert!(!mails.iter().any(|m| header(m, "To").is_some_and(|to| to.contains("ann@example.com"))), "Ann did not ask");
}
