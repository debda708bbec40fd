//! The support bot end to end through web chat, with the starter knowledge base.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Server, add_agent, all_messages, eventually, get_json, send, session, sign_in};

const PASSWORD: &str = "correct horse battery";

fn start(dir: &std::path::Path) -> Server {
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    Server::start(dir, &[("SWITCHBOARD_KB_DIR", kb)])
}

fn bot_messages(messages: &[Value]) -> Vec<Value> {
    messages.iter().filter(|m| m["author"] == "bot").cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_question_is_answered_in_chinese_and_no_hands_off_for_good() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let token = session(&http, &server, json!({"name": "Wei", "locale": "zh-CN"})).await;

    assert_eq!(send(&http, &server, &token, json!({"body": "充值还没到账"})).await.status(), 201);
    eventually("the bot's answer", Duration::from_secs(20), || async {
        !bot_messages(&all_messages(&http, &server, &token).await).is_empty()
    })
    .await;
    let answer = bot_messages(&all_messages(&http, &server, &token).await).remove(0);
    let body = answer["body"].as_str().unwrap();
    assert!(body.starts_with("充值未到账"), "{body}");
    assert!(body.contains("这解决了您的问题吗"), "{body}");
    let labels: Vec<&str> =
        answer["buttons"].as_array().unwrap().iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["是的，已解决", "没有，我需要人工客服"]);

    // "No": handed to people, told what happens next; agents see why.
    send(&http, &server, &token, json!({"body": "没有，我需要人工客服"})).await;
    eventually("the handoff", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("已将您的工单"))
    })
    .await;
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let id = list["conversations"][0]["id"].clone();
    let thread = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    assert!(
        thread["messages"].as_array().unwrap().iter().any(|m| m["direction"] == "note" && m["author"] == "bot"),
        "agents see the reason"
    );

    // After the handoff the bot says nothing: a question it could answer gets only the agent.
    send(&http, &server, &token, json!({"body": "充值还没到账"})).await;
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "我来帮您查一下"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    eventually("the agent's reply", Duration::from_secs(20), || async {
        all_messages(&http, &server, &token).await.iter().any(|m| m["body"] == "我来帮您查一下")
    })
    .await;
    let bot = bot_messages(&all_messages(&http, &server, &token).await);
    assert_eq!(bot.len(), 2, "the answer and the handoff, nothing after: {bot:?}");

    // An agent hands it back to the bot: it answers again.
    let back = http
        .patch(server.url(&format!("/api/v1/conversations/{id}")))
        .bearer_auth(&agent)
        .json(&json!({"handoff": false}))
        .send()
        .await
        .unwrap();
    assert!(back.status().is_success());
    send(&http, &server, &token, json!({"body": "怎么做身份认证"})).await;
    eventually("the bot again", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("身份认证"))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn human_hands_off_at_once_and_out_of_scope_goes_to_people() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let http = support::client();

    let token = session(&http, &server, json!({"name": "Ann", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "Can you recommend a good pizza place in Rome?"})).await;
    eventually("the handoff", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("I've passed your ticket"))
    })
    .await;

    let token = session(&http, &server, json!({"name": "Bo", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "/human"})).await;
    eventually("the handoff", Duration::from_secs(20), || async {
        all_messages(&http, &server, &token).await.iter().any(|m| m["direction"] == "outbound")
    })
    .await;
    // The bot stays out of a conversation handed to people from the first message. It acts on
    // messages in the order they are stored, so once it has answered the same question from
    // someone else, it has already passed over Bo's.
    send(&http, &server, &token, json!({"body": "how long does unstaking take"})).await;
    let fence = session(&http, &server, json!({"name": "Cy", "locale": "en-US"})).await;
    send(&http, &server, &fence, json!({"body": "how long does unstaking take"})).await;
    eventually("the bot's answer to someone else", Duration::from_secs(20), || async {
        !bot_messages(&all_messages(&http, &server, &fence).await).is_empty()
    })
    .await;
    let messages = all_messages(&http, &server, &token).await;
    assert!(bot_messages(&messages).is_empty(), "{messages:?}");

    // Agents see why each went to people, in the list and on the badge.
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let reason_of = |name: &str| {
        let c = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == name).unwrap();
        c["handoff_reason"].as_str().map(str::to_owned)
    };
    assert_eq!(reason_of("Ann").as_deref(), Some("not_sure"));
    assert_eq!(reason_of("Bo").as_deref(), Some("asked"));
    let page =
        http.get(server.url("/inbox?status=all")).bearer_auth(&agent).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("No confident answer") && page.contains("Asked for a person"), "{page}");
    let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|l| l == "switchboard_handoffs_total{reason=\"asked\"} 1"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "switchboard_handoffs_total{reason=\"not_sure\"} 1"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_hours_a_handoff_says_when_a_person_will_answer() {
    // Every day is a working day, but yesterday, today and tomorrow are holidays.
    let day_as = |offset: &str, format: &str| {
        let out = std::process::Command::new("date").args(["-u", "-d", offset, format]).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let day = |offset: &str| day_as(offset, "+%F");
    let holidays = [day("-1 day"), day("now"), day("+1 day")].join(",");
    let dir = tempfile::tempdir().unwrap();
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(
        dir.path(),
        &[
            ("SWITCHBOARD_KB_DIR", kb),
            ("SWITCHBOARD_BUSINESS_HOURS", "mon-sun 08:00-20:00"),
            ("SWITCHBOARD_BUSINESS_TIMEZONE", "UTC"),
            ("SWITCHBOARD_BUSINESS_HOLIDAYS", &holidays),
        ],
    );
    let http = support::client();
    // The reopening as each language writes a date: English words and clock, Japanese order.
    let english = format!("from {} at 8:00\u{202f}AM (UTC)", day_as("+2 days", "+%A, %B %-d, %Y"));
    let japanese = day_as("+2 days", "+%Y年%-m月%-d日");
    for (locale, asks, away, reopening) in [
        ("en-US", "I want to talk to a real person", "away right now", english.as_str()),
        ("ja", "担当者と話したいです", "営業時間外", japanese.as_str()),
    ] {
        let token = session(&http, &server, json!({"name": "Eve", "locale": locale})).await;
        send(&http, &server, &token, json!({"body": asks})).await;
        eventually("the off-hours handoff", Duration::from_secs(20), || async {
            bot_messages(&all_messages(&http, &server, &token).await)
                .iter()
                .any(|m| m["body"].as_str().unwrap().contains(away))
        })
        .await;
        let messages = all_messages(&http, &server, &token).await;
        let told = bot_messages(&messages).into_iter().find(|m| m["body"].as_str().unwrap().contains(away)).unwrap();
        let told = told["body"].as_str().unwrap();
        assert!(told.contains(reopening) && told.contains("8:00"), "{locale}: {told}");
        assert!(!told.contains(&day("+2 days")), "{locale}: {told}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_and_retire_articles_and_the_bot_follows() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "root@example.com", "Root", "admin", PASSWORD);
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let admin = sign_in(&http, &server, "root@example.com", PASSWORD).await;
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let article = json!({
        "topic": "hardware-wallet-firmware", "locale": "en-US", "title": "Updating hardware wallet firmware",
        "questions": ["how do I update the firmware of my hardware wallet", "ledger firmware update stuck"],
        "body": "Update the firmware only from the maker's own desktop app; it never asks for your recovery phrase."
    });
    let url = server.url("/api/v1/kb/articles/hardware-wallet-firmware.en");
    // Agents read the knowledge base; only admins change it.
    assert_eq!(http.put(&url).bearer_auth(&agent).json(&article).send().await.unwrap().status(), 403);
    assert_eq!(http.put(&url).bearer_auth(&admin).json(&article).send().await.unwrap().status(), 200);
    let list = get_json(&http, &server, "/api/v1/kb/articles", &agent).await;
    assert!(list["articles"].as_array().unwrap().iter().any(|a| a["id"] == "hardware-wallet-firmware.en"));
    // A topic kept for people keeps its mark.
    let kept = json!({
        "topic": "law-enforcement", "locale": "en-US", "title": "Requests from the police",
        "questions": ["I am a police officer requesting account records"], "handoff": true,
        "body": "Forward to the compliance team; confirm nothing to the requester."
    });
    let kept_url = server.url("/api/v1/kb/articles/law-enforcement.en");
    assert_eq!(http.put(&kept_url).bearer_auth(&admin).json(&kept).send().await.unwrap().status(), 200);
    let list = get_json(&http, &server, "/api/v1/kb/articles", &agent).await;
    let stored = list["articles"].as_array().unwrap().iter().find(|a| a["id"] == "law-enforcement.en").cloned();
    assert_eq!(stored.unwrap()["handoff"], true);

    let token = session(&http, &server, json!({"name": "Kai", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "how do I update the firmware of my hardware wallet"})).await;
    eventually("the new article's answer", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("Updating hardware wallet firmware"))
    })
    .await;

    // Retired: the same question from someone else is no longer answered with it.
    assert_eq!(http.delete(&url).bearer_auth(&admin).send().await.unwrap().status(), 204);
    let list = get_json(&http, &server, "/api/v1/kb/articles", &agent).await;
    let retired = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "hardware-wallet-firmware.en")
        .cloned()
        .unwrap();
    assert_eq!(retired["retired"], true);
    let token = session(&http, &server, json!({"name": "Lu", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "how do I update the firmware of my hardware wallet"})).await;
    eventually("the bot's decision", Duration::from_secs(20), || async {
        !bot_messages(&all_messages(&http, &server, &token).await).is_empty()
    })
    .await;
    let bot = bot_messages(&all_messages(&http, &server, &token).await);
    assert!(
        bot.iter().all(|m| !m["body"].as_str().unwrap().starts_with("Updating hardware wallet firmware")),
        "{bot:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_the_knowledge_base_editable_for_admins_only() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "root@example.com", "Root", "admin", PASSWORD);
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let page = |token: String| {
        let (http, url) = (http.clone(), server.url("/inbox/kb"));
        async move {
            let response = http.get(url).header("cookie", format!("switchboard_session={token}")).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    let admin = page(sign_in(&http, &server, "root@example.com", PASSWORD).await).await;
    assert!(
        admin.contains("My deposit has not arrived") && admin.contains("充值未到账"),
        "the starter articles are listed"
    );
    assert!(admin.contains("id=\"kb-new\"") && admin.contains("data-action=\"retire\""), "admins can add and retire");
    // Topics kept for people are marked, and admins can mark others; they have a filter.
    assert!(admin.contains("goes to a person"), "labelled in the list");
    let kept_for_people = {
        let token = sign_in(&http, &server, "root@example.com", PASSWORD).await;
        let url = server.url("/inbox/kb?status=handoff");
        let response = http.get(url).header("cookie", format!("switchboard_session={token}")).send().await.unwrap();
        response.text().await.unwrap()
    };
    assert!(kept_for_people.contains("name=\"handoff\" checked"), "the starter topics kept for people are ticked");
    let agent = page(sign_in(&http, &server, "ann@example.com", PASSWORD).await).await;
    assert!(agent.contains("My deposit has not arrived"));
    assert!(!agent.contains("id=\"kb-new\"") && !agent.contains("data-action=\"retire\""), "agents only read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_kept_for_people_hands_off_and_gives_the_agent_its_guidance() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let token = session(&http, &server, json!({"name": "Lin", "locale": "zh-CN"})).await;
    send(&http, &server, &token, json!({"body": "不想用了，帮我注销账号"})).await;
    eventually("the handoff", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("已将您的工单"))
    })
    .await;
    // The customer hears what happens next, never the agents' guidance.
    let guidance = "注销账户和删除数据属于法律请求";
    let told = all_messages(&http, &server, &token).await;
    assert!(told.iter().all(|m| !m["body"].as_str().unwrap().contains(guidance)), "{told:?}");
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let id = list["conversations"][0]["id"].clone();
    let thread = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
    let note = thread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["direction"] == "note" && m["author"] == "bot")
        .cloned()
        .unwrap_or_else(|| panic!("a note for the agents: {thread}"));
    let note = note["body"].as_str().unwrap();
    assert!(note.contains("注销账户或删除个人数据") && note.contains(guidance), "{note}");
    assert!(thread["handoff_at"].is_string(), "handed off: {thread}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yes_solved_resolves_as_the_bots_and_a_bot_answer_leaves_the_agents_queue() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let token = session(&http, &server, json!({"name": "Kim", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "how long does unstaking take"})).await;
    eventually("the bot's answer", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await).iter().any(|m| m["buttons"].is_array())
    })
    .await;
    // Answered by the bot and waiting on the customer: not in the agents' queue, in its own view.
    let queue = get_json(&http, &server, "/api/v1/conversations?status=open&stage=people", &agent).await;
    assert!(queue["conversations"].as_array().unwrap().is_empty(), "{queue}");
    assert_eq!((queue["counts"]["open"].as_i64(), queue["counts"]["bot"].as_i64()), (Some(0), Some(1)));
    let bot_view = get_json(&http, &server, "/api/v1/conversations?status=open&stage=bot", &agent).await;
    let id = bot_view["conversations"][0]["id"].as_i64().expect("in the bot's view");
    assert!(bot_view["conversations"][0]["waiting_since"].is_null());

    // The customer types the button's words: resolved, as the bot's, out of every queue.
    send(&http, &server, &token, json!({"body": "yes, solved!"})).await;
    eventually("resolved by the bot", Duration::from_secs(20), || async {
        let shown = get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &agent).await;
        shown["status"] == "resolved" && shown["resolved_by"] == "bot"
    })
    .await;
    let counts = get_json(&http, &server, "/api/v1/conversations?status=open", &agent).await["counts"].clone();
    assert_eq!(
        (counts["open"].as_i64(), counts["bot"].as_i64(), counts["unassigned"].as_i64()),
        (Some(0), Some(0), Some(0))
    );
    assert!(
        all_messages(&http, &server, &token).await.iter().any(|m| m["body"] == "Glad it helped! Write again any time.")
    );
    // Reports tell the bot's resolutions from agents'.
    let summary = get_json(&http, &server, "/api/v1/reports/summary", &agent).await;
    let resolved_by = &summary["resolved_by"];
    assert_eq!((resolved_by["bot"].as_u64(), resolved_by["agent"].as_u64()), (Some(1), Some(0)), "{summary}");
}

/// A button pressed in the web chat is sent by its id and stored as the label it showed, and
/// the bot takes it as it takes the words; an id never offered is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pressed_choice_is_sent_by_its_id_and_read_as_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let http = support::client();
    let token = session(&http, &server, json!({"name": "Kim", "locale": "en-US"})).await;
    send(&http, &server, &token, json!({"body": "how long does unstaking take"})).await;
    eventually("the bot's answer", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &token).await).iter().any(|m| m["buttons"].is_array())
    })
    .await;
    let answer =
        bot_messages(&all_messages(&http, &server, &token).await).into_iter().find(|m| m["buttons"].is_array());
    let buttons = answer.unwrap()["buttons"].as_array().unwrap().clone();
    let solved = buttons.iter().find(|b| b["id"] == "bot:solved").expect("a yes-solved button");

    let never = send(&http, &server, &token, json!({"choice": "csat:9"})).await;
    assert_eq!(never.status(), 422, "a choice never offered");
    let pressed = send(&http, &server, &token, json!({"choice": "bot:solved", "client_id": "press-1"})).await;
    assert_eq!(pressed.status(), 201);
    let pressed: Value = pressed.json().await.unwrap();
    assert_eq!(pressed["body"], solved["label"], "stored as the label it showed");
    eventually("the bot takes the press as the words", Duration::from_secs(20), || async {
        all_messages(&http, &server, &token).await.iter().any(|m| m["body"] == "Glad it helped! Write again any time.")
    })
    .await;
}

/// A scam in progress is answered at once with the knowledge base's warning, in the customer's
/// language, and goes to people at high priority; asking whether to share the phrase is answered
/// "never" by the bot alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scam_report_is_warned_at_once_and_raised_and_sharing_is_answered_never() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "agent", PASSWORD);
    let server = start(dir.path());
    let http = support::client();
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;

    let wei = session(&http, &server, json!({"name": "Wei", "locale": "zh-CN"})).await;
    send(&http, &server, &wei, json!({"body": "群里的管理员问我要助记词，说帮我解决提现问题，我该怎么办"})).await;
    eventually("the warning", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &wei).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("这是诈骗"))
    })
    .await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let conversation =
        list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Wei").unwrap();
    assert_eq!(conversation["priority"], "high");
    assert_eq!(conversation["handoff_reason"], "scam");

    let kim = session(&http, &server, json!({"name": "Kim", "locale": "en-US"})).await;
    send(&http, &server, &kim, json!({"body": "is it ok to share my recovery phrase with support?"})).await;
    eventually("the answer", Duration::from_secs(20), || async {
        bot_messages(&all_messages(&http, &server, &kim).await)
            .iter()
            .any(|m| m["body"].as_str().unwrap().starts_with("This is a scam"))
    })
    .await;
    let list = get_json(&http, &server, "/api/v1/conversations?status=all", &agent).await;
    let conversation =
        list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Kim").unwrap();
    assert!(conversation["handoff_at"].is_null(), "a question, not a report: the bot answers it alone");
}
