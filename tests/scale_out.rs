//! Several real `switchboard serve` processes on one PostgreSQL database, as a deployment runs
//! them behind a load balancer: a web-chat flood spread over three instances loses nothing and
//! stores nothing twice when one instance and then the leader are killed with SIGKILL; two
//! instances on one Telegram token never poll at once (the fake Bot API ends a second
//! `getUpdates` with 409, as Telegram does), the survivor takes the poller over within 15 s,
//! and their replies together keep within Telegram's limits; the same webhook update delivered
//! to two instances at the same instant is stored once; an agent's live stream on one instance
//! hears what another stores, and after its database connections are cut it says `resync`.

#[path = "../core/tests/support/postgres.rs"]
mod postgres;
mod support;

use serde_json::{Value, json};
use std::process::Command;
use std::time::{Duration, Instant};
use support::flood::{Flood, assert_stored_exactly_as_confirmed};
use support::telegram::{FakeTelegram, TOKEN, text_update};
use support::{Server, add_agent_to, client, eventually, get_json, send, session_at, sign_in};

const PASSWORD: &str = "correct horse battery";

/// An instance's `/healthz`: its name and the roles it holds.
async fn health(http: &reqwest::Client, server: &Server) -> Value {
    http.get(server.url("/healthz")).send().await.unwrap().json().await.unwrap()
}

async fn holds(http: &reqwest::Client, server: &Server, role: &str) -> bool {
    health(http, server).await["roles"].as_array().is_some_and(|roles| roles.iter().any(|r| r == role))
}

/// The instance of `servers` holding `role`, once one does.
async fn holder(http: &reqwest::Client, servers: &[&Server], role: &str, deadline: Duration) -> usize {
    let until = Instant::now() + deadline;
    loop {
        for (i, server) in servers.iter().enumerate() {
            if holds(http, server, role).await {
                return i;
            }
        }
        assert!(Instant::now() < until, "no instance took {role}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn env<'a>(url: &'a str, fake: &'a FakeTelegram, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("SWITCHBOARD_DATABASE_URL", url),
        ("SWITCHBOARD_TELEGRAM_TOKEN", TOKEN),
        ("SWITCHBOARD_TELEGRAM_API_URL", &fake.url),
        ("SWITCHBOARD_INSTANCE", name),
    ]
}

/// Telegram conversations and, per conversation, its inbound messages' bodies.
async fn telegram_threads(http: &reqwest::Client, server: &Server, agent: &str) -> Vec<(Value, Vec<String>)> {
    let list = get_json(http, server, "/api/v1/conversations?channel=telegram&status=all&limit=100", agent).await;
    let mut threads = Vec::new();
    for conversation in list["conversations"].as_array().unwrap() {
        let thread = get_json(http, server, &format!("/api/v1/conversations/{}", conversation["id"]), agent).await;
        let inbound = thread["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "inbound");
        threads.push((conversation.clone(), inbound.map(|m| m["body"].as_str().unwrap().to_owned()).collect()));
    }
    threads
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_over_three_instances_loses_nothing_when_one_and_then_the_leader_are_killed() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let fake = FakeTelegram::start_apart();
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    // A load test, not an abuse test: the web chat's per-visitor limits are lifted.
    let start = |name: &str| {
        let mut env = env(&url, &fake, name);
        env.extend([
            ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_SESSION", "off"),
            ("SWITCHBOARD_WEBCHAT_MESSAGES_PER_ADDRESS", "off"),
        ]);
        Some(Server::start(dir.path(), &env))
    };
    let mut servers: Vec<Option<Server>> = ["one", "two", "three"].iter().map(|name| start(name)).collect();
    let http = client();
    let alive = |servers: &[Option<Server>]| servers.iter().flatten().map(|s| s.base.clone()).collect::<Vec<_>>();
    let leader = {
        let all: Vec<&Server> = servers.iter().flatten().collect();
        holder(&http, &all, "telegram:poll", Duration::from_secs(30)).await
    };
    let flood = Flood::across(&http, &alive(&servers), 6, 0).await;
    let mut pushed = 0;
    let mut push = |n: usize| {
        for _ in 0..n {
            pushed += 1;
            let chat = 7000 + (pushed % 12) as i64;
            fake.push(text_update(chat, chat, pushed as i64, &format!("update {pushed}"), "en"));
        }
    };
    push(20);
    flood.until_confirmed("traffic on three instances", 300, Duration::from_secs(60)).await;

    // A follower dies mid-flood.
    let follower = (leader + 1) % 3;
    servers[follower].take().unwrap().kill9();
    push(20);
    let before = flood.confirmed();
    flood.until_confirmed("traffic after a follower died", before + 300, Duration::from_secs(60)).await;

    // Then the leader (the Telegram poller): the last one takes its roles over.
    servers[leader].take().unwrap().kill9();
    push(20);
    let survivor = servers.iter().flatten().next().unwrap();
    eventually("the survivor polls Telegram", Duration::from_secs(15), || async {
        holds(&http, survivor, "telegram:poll").await
    })
    .await;
    let before = flood.confirmed();
    flood.until_confirmed("traffic after the leader died", before + 300, Duration::from_secs(60)).await;
    let tally = flood.stop().await;

    // Every message answered 201 is stored once, in order, whichever instance took it.
    assert_stored_exactly_as_confirmed(&http, survivor, &tally).await;
    // Every Telegram update is stored once.
    let agent = sign_in(&http, survivor, "ann@example.com", PASSWORD).await;
    eventually("every update stored", Duration::from_secs(60), || async {
        telegram_threads(&http, survivor, &agent).await.iter().map(|(_, bodies)| bodies.len()).sum::<usize>() >= 60
    })
    .await;
    let mut bodies: Vec<String> =
        telegram_threads(&http, survivor, &agent).await.into_iter().flat_map(|(_, bodies)| bodies).collect();
    bodies.sort();
    let mut expected: Vec<String> = (1..=60).map(|n| format!("update {n}")).collect();
    expected.sort();
    assert_eq!(bodies, expected, "each update stored exactly once");

    // Every reply leaves once the survivor sends web chat and Telegram: none stays queued.
    let survivor_health = health(&http, survivor).await;
    assert_eq!(survivor_health["status"], "ok");
    eventually("the outbox drained", Duration::from_secs(60), || async {
        let threads = telegram_threads(&http, survivor, &agent).await;
        let mut queued = 0;
        for (conversation, _) in threads {
            let thread =
                get_json(&http, survivor, &format!("/api/v1/conversations/{}", conversation["id"]), &agent).await;
            queued += thread["messages"].as_array().unwrap().iter().filter(|m| m["delivery"] == "queued").count();
        }
        queued == 0
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_telegram_token_poll_one_at_a_time_and_reply_within_its_limits() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let fake = FakeTelegram::start_apart();
    fake.enforce_limits();
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    let mut servers: Vec<Server> =
        ["one", "two"].iter().map(|name| Server::start(dir.path(), &env(&url, &fake, name))).collect();
    let http = client();
    let poller = holder(&http, &[&servers[0], &servers[1]], "telegram:poll", Duration::from_secs(30)).await;
    let at_other = servers.remove(1 - poller);
    let at_poller = servers.pop().unwrap();
    let agent = sign_in(&http, &at_other, "ann@example.com", PASSWORD).await;
    for chat in 1..=40 {
        fake.push(text_update(8000 + chat, 8000 + chat, 1, &format!("question {chat}"), "en"));
    }
    let at_other = &at_other;
    eventually("40 conversations", Duration::from_secs(60), || async {
        telegram_threads(&http, at_other, &agent).await.len() == 40
    })
    .await;

    // Agents answer every conversation at once, half through each instance: the channel's one
    // outbox owner paces them all (1/s per chat, 30/s overall), so Telegram never says 429.
    let threads = telegram_threads(&http, at_other, &agent).await;
    // Each conversation's two answers one after the other, the first through one instance and
    // the second through the other; the conversations all at once.
    let mut tokens = Vec::new();
    for server in [&at_poller, at_other] {
        tokens.push(sign_in(&http, server, "ann@example.com", PASSWORD).await);
    }
    let replies = threads.iter().enumerate().map(|(n, (conversation, _))| {
        let (http, tokens) = (&http, &tokens);
        let servers = [&at_poller, at_other];
        async move {
            for part in 1..=2 {
                let i = (n + part) % 2;
                let path = format!("/api/v1/conversations/{}/messages", conversation["id"]);
                let body = json!({ "body": format!("answer {n}.{part}") });
                let reply = http.post(servers[i].url(&path)).bearer_auth(&tokens[i]).json(&body).send().await;
                assert_eq!(reply.unwrap().status(), 201);
            }
        }
    });
    futures_util::future::join_all(replies).await;
    let answers = || -> Vec<String> {
        let sent = fake.sent();
        sent.iter().filter_map(|m| m["text"].as_str().filter(|t| t.starts_with("answer ")).map(str::to_owned)).collect()
    };
    eventually("every answer sent", Duration::from_secs(60), || async { answers().len() >= 80 }).await;
    assert_eq!(fake.too_many(), 0, "two instances together kept within Telegram's limits");
    let answers = answers();
    assert_eq!(answers.len(), 80, "each answer sent once");
    for n in 0..40 {
        let first = answers.iter().position(|a| *a == format!("answer {n}.1")).unwrap();
        let second = answers.iter().position(|a| *a == format!("answer {n}.2")).unwrap();
        assert!(first < second, "a chat's answers leave in order");
    }
    assert_eq!(fake.conflicts(), 0, "never two pollers at once");
    let standing_by = health(&http, at_other).await;
    assert_eq!(standing_by["channels"]["telegram"], "standby", "{standing_by}");
    assert_eq!(health(&http, &at_poller).await["channels"]["telegram"], "connected");

    // The poller dies: the other takes over within 15 s, and no update is lost or doubled.
    at_poller.kill9();
    let killed = Instant::now();
    for chat in 1..=10 {
        fake.push(text_update(8000 + chat, 8000 + chat, 2, &format!("follow-up {chat}"), "en"));
    }
    eventually("the other polls", Duration::from_secs(15), || async { holds(&http, at_other, "telegram:poll").await })
        .await;
    eprintln!("the poller's role moved {:?} after the kill", killed.elapsed());
    eventually("the other connected", Duration::from_secs(15), || async {
        health(&http, at_other).await["channels"]["telegram"] == "connected"
    })
    .await;
    eventually("the follow-ups stored", Duration::from_secs(30), || async {
        telegram_threads(&http, at_other, &agent).await.iter().map(|(_, b)| b.len()).sum::<usize>() == 50
    })
    .await;
    for (_, bodies) in telegram_threads(&http, at_other, &agent).await {
        let mut unique = bodies.clone();
        unique.dedup();
        assert_eq!(unique, bodies, "no update stored twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_webhook_update_delivered_to_two_instances_at_once_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let fake = FakeTelegram::start().await;
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    let secret = "a-secret-of-twenty-chars";
    let hook = "https://support.example.com/telegram/hook";
    let start = |name: &str| {
        let mut env = env(&url, &fake, name);
        env.extend([("SWITCHBOARD_TELEGRAM_WEBHOOK_URL", hook), ("SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET", secret)]);
        Server::start(dir.path(), &env)
    };
    let (one, two) = (start("one"), start("two"));
    let http = client();
    let update = json!({"update_id": 1, "message": {
        "message_id": 7, "date": 1_700_000_000, "text": "sent once, delivered twice",
        "from": {"id": 91, "is_bot": false, "first_name": "Wu", "language_code": "en"},
        "chat": {"id": 91, "type": "private", "first_name": "Wu"}
    }});
    let post = |server: &Server| {
        http.post(server.url("/telegram/hook")).header("X-Telegram-Bot-Api-Secret-Token", secret).json(&update).send()
    };
    for _ in 0..5 {
        let (a, b) = tokio::join!(post(&one), post(&two));
        assert_eq!((a.unwrap().status().as_u16(), b.unwrap().status().as_u16()), (200, 200));
    }
    let agent = sign_in(&http, &two, "ann@example.com", PASSWORD).await;
    let threads = telegram_threads(&http, &one, &agent).await;
    assert_eq!(threads.len(), 1, "one conversation");
    assert_eq!(threads[0].1, vec!["sent once, delivered twice".to_owned()], "one message");
    for server in [&one, &two] {
        assert_eq!(health(&http, server).await["status"], "ok");
    }
}

/// Reads `stream` until `found` holds for what it has received.
async fn read_until(stream: &mut reqwest::Response, received: &mut String, found: impl Fn(&str) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !found(received) {
        let chunk =
            tokio::time::timeout_at(deadline, stream.chunk()).await.expect("an event in time").unwrap().unwrap();
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agents_live_stream_on_one_instance_hears_what_another_stores_even_across_a_cut() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    add_agent_to(dir.path(), &url, "ann@example.com", "Ann", "agent", PASSWORD);
    let start = |name: &str| {
        Server::start(dir.path(), &[("SWITCHBOARD_DATABASE_URL", url.as_str()), ("SWITCHBOARD_INSTANCE", name)])
    };
    let (one, two) = (start("one"), start("two"));
    let http = client();
    let agent = sign_in(&http, &two, "ann@example.com", PASSWORD).await;
    let mut stream = http.get(two.url("/api/v1/events")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let customer = session_at(&http, &one.base, json!({ "name": "Ivy" })).await;

    let sent = Instant::now();
    let first: Value =
        send(&http, &one, &customer, json!({ "body": "is my deposit lost?" })).await.json().await.unwrap();
    let mut received = String::new();
    let first_id = format!("\"message_id\":{}", first["id"]);
    read_until(&mut stream, &mut received, |r| r.contains(&first_id)).await;
    eprintln!("heard on the other instance {:?} after the send", sent.elapsed());

    // Every listening connection cut: what is stored meanwhile is heard, or a resync says to
    // reload, and the reload has it.
    let port = postgres::server().port.to_string();
    let cut = Command::new(postgres::bin("psql").unwrap_or_else(|| "psql".into()))
        .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-d", "postgres", "-tAc"])
        .arg("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&cut.stdout).trim().parse::<u32>().unwrap() >= 2, "both instances listened");
    let second: Value = send(&http, &one, &customer, json!({ "body": "still waiting" })).await.json().await.unwrap();
    let second_id = format!("\"message_id\":{}", second["id"]);
    read_until(&mut stream, &mut received, |r| r.contains(&second_id) || r.contains("event: resync")).await;
    let list = get_json(&http, &two, "/api/v1/conversations?status=all", &agent).await;
    let id = &list["conversations"][0]["id"];
    let thread = get_json(&http, &two, &format!("/api/v1/conversations/{id}"), &agent).await;
    let bodies: Vec<&str> = thread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == "inbound")
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["is my deposit lost?", "still waiting"]);
    for server in [&one, &two] {
        assert_eq!(health(&http, server).await["status"], "ok");
    }
}

/// Instances of a deployment start together (a Compose file, a rolling restart): on a fresh
/// database one of them migrates while the others wait, each stores the knowledge base, and
/// all come up healthy.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_started_at_once_on_a_fresh_database_all_come_up() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    // A few articles in both languages: what matters is that three instances store a folder at
    // once, not how long the bot takes to learn a large one on a busy machine.
    let kb = dir.path().join("kb");
    for (language, article) in
        [("en-US", "account-locked.md"), ("en-US", "address-format.md"), ("zh-CN", "account-locked.md")]
    {
        std::fs::create_dir_all(kb.join(language)).unwrap();
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb").join(language).join(article);
        std::fs::copy(source, kb.join(language).join(article)).unwrap();
    }
    let starting: Vec<_> = ["one", "two", "three"]
        .into_iter()
        .map(|name| {
            let (dir, url, kb) = (dir.path().to_owned(), url.clone(), kb.display().to_string());
            std::thread::spawn(move || {
                // Each loads the knowledge base folder into the store at start, too.
                let env = [
                    ("SWITCHBOARD_DATABASE_URL", url.as_str()),
                    ("SWITCHBOARD_INSTANCE", name),
                    ("SWITCHBOARD_KB_DIR", kb.as_str()),
                ];
                Server::start(&dir, &env)
            })
        })
        .collect();
    let servers: Vec<Server> = starting.into_iter().map(|s| s.join().expect("started")).collect();
    let http = client();
    for server in &servers {
        assert_eq!(health(&http, server).await["status"], "ok");
    }
    let all: Vec<&Server> = servers.iter().collect();
    holder(&http, &all, "outbox:webchat", Duration::from_secs(30)).await;
}
