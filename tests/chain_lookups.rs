//! Transaction lookups end to end with the real binary on real local EVM chains (anvil): a
//! web-chat customer pastes a hash and hears where it stands in English and Chinese; failed,
//! wrong-network and unreachable lookups go to people with the lookup attached; the API and
//! `switchboard tx lookup` answer the same JSON.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::chain::Anvil;
use support::{Server, add_agent, all_messages, get_json, send, session, sign_in};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(30);

/// Ethereum and BNB Smart Chain, each a local anvil node.
struct Chains {
    ethereum: Anvil,
    bsc: Anvil,
}

impl Chains {
    fn start() -> Chains {
        Chains { ethereum: Anvil::start(1), bsc: Anvil::start(56) }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SWITCHBOARD_CHAINS_ETHEREUM_KIND", "evm".into()),
            ("SWITCHBOARD_CHAINS_ETHEREUM_RPC_URL", self.ethereum.url.clone()),
            ("SWITCHBOARD_CHAINS_BSC_KIND", "evm".into()),
            ("SWITCHBOARD_CHAINS_BSC_RPC_URL", self.bsc.url.clone()),
            ("SWITCHBOARD_CHAINS_BSC_LABEL", "BNB Smart Chain".into()),
            ("SWITCHBOARD_CHAINS_BSC_SYMBOL", "BNB".into()),
            ("SWITCHBOARD_CHAINS_BSC_CONFIRMATIONS", "15".into()),
        ]
    }
}

fn serve(dir: &std::path::Path, env: &[(&'static str, String)]) -> Server {
    add_agent(dir, "ann@example.com", "Ann", "admin", PASSWORD);
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.push(("SWITCHBOARD_KB_DIR", kb));
    Server::start(dir, &env)
}

/// The bot's words to the customer holding `token`, once there are `n`.
async fn bot_says(http: &reqwest::Client, server: &Server, token: &str, n: usize) -> Vec<String> {
    support::poll("the bot's answers", WAIT, || async {
        let said: Vec<String> = all_messages(http, server, token)
            .await
            .iter()
            .filter(|m| m["author"] == "bot")
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        (said.len() >= n).then_some(said)
    })
    .await
}

async fn conversation_of(http: &reqwest::Client, server: &Server, agent: &str, name: &str) -> Value {
    let list = get_json(http, server, "/api/v1/conversations?status=all", agent).await;
    let found = list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == name).cloned();
    let id = found.unwrap_or_else(|| panic!("{name}'s conversation in {list}"))["id"].clone();
    get_json(http, server, &format!("/api/v1/conversations/{id}"), agent).await
}

fn notes(conversation: &Value) -> Vec<String> {
    let messages = conversation["messages"].as_array().unwrap();
    messages.iter().filter(|m| m["direction"] == "note").map(|m| m["body"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_hash_is_answered_with_its_confirmations_in_english_and_chinese_and_the_api_agrees() {
    let chains = Chains::start();
    let accounts = chains.ethereum.accounts().await;
    let token = chains.ethereum.deploy_token(&accounts[0], "Tether USD", "USDT", 6, 1_000_000_000_000).await;
    let usdt = chains.ethereum.transfer_token(&token, &accounts[0], &accounts[2], 12_500_000).await;
    let bnb = chains.bsc.send(&accounts[0], Some(&accounts[1]), 3_000_000_000_000_000_000, "0x").await;
    chains.bsc.mine(20).await;
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &chains.env());
    let http = support::client();

    let omar = session(&http, &server, json!({"name": "Omar", "locale": "en-US"})).await;
    assert_eq!(
        send(&http, &server, &omar, json!({"body": format!("Is this confirmed yet? {usdt}")})).await.status(),
        201
    );
    let said = bot_says(&http, &server, &omar, 1).await;
    assert!(said[0].contains("confirmed on ethereum"), "{said:?}");
    assert!(said[0].contains("1 of the 12 confirmations"), "{said:?}");
    assert!(said[0].contains(&format!("12.5 USDT to {}", &accounts[2][..10])), "{said:?}");

    let wei = session(&http, &server, json!({"name": "Wei", "locale": "zh-CN"})).await;
    send(&http, &server, &wei, json!({"body": format!("请帮我看看这笔转账 {bnb}")})).await;
    let said = bot_says(&http, &server, &wei, 1).await;
    assert!(said[0].contains("已在 BNB Smart Chain 上完成"), "{said:?}");
    assert!(said[0].contains("3 BNB"), "{said:?}");

    // Neither needed a person.
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    for name in ["Omar", "Wei"] {
        assert!(conversation_of(&http, &server, &agent, name).await["handoff_at"].is_null(), "{name}");
    }
    // The API answers what the bot saw, on both chains.
    let lookup = get_json(&http, &server, &format!("/api/v1/tx/{usdt}"), &agent).await;
    let results = lookup["results"].as_array().unwrap();
    let on = |chain: &str| results.iter().find(|r| r["chain"] == chain).unwrap().clone();
    assert_eq!(on("ethereum")["status"], "confirmed");
    assert_eq!(on("ethereum")["tokens"][0]["symbol"], "USDT");
    assert_eq!(on("ethereum")["tokens"][0]["amount"], "12.5");
    assert_eq!(on("bsc")["status"], "not_found");
    chains.ethereum.mine(11).await;
    let fresh = get_json(&http, &server, &format!("/api/v1/tx/{usdt}?fresh=true"), &agent).await;
    let ethereum = fresh["results"].as_array().unwrap().iter().find(|r| r["chain"] == "ethereum").unwrap().clone();
    assert_eq!((ethereum["confirmations"].clone(), ethereum["credited"].clone()), (json!(12), json!(true)));
    let refused = http.get(server.url("/api/v1/tx/not-a-hash")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(refused.status(), 400);

    // Operators see the lookups per chain.
    let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for series in
        [r#"chain="ethereum",outcome="found""#, r#"chain="bsc",outcome="not_found""#, r#"chain="bsc",outcome="error""#]
    {
        assert!(
            metrics.lines().any(|l| l.starts_with("switchboard_chain_lookups_total{") && l.contains(series)),
            "{series}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_wrong_network_and_not_credited_transactions_go_to_people_with_the_lookup() {
    let chains = Chains::start();
    let accounts = chains.ethereum.accounts().await;
    let token = chains.ethereum.deploy_token(&accounts[0], "Tether USD", "USDT", 6, 1_000_000).await;
    let reverted = chains.ethereum.transfer_token(&token, &accounts[1], &accounts[2], 5).await;
    let on_bsc = chains.bsc.send(&accounts[0], Some(&accounts[1]), 1_000_000_000_000_000, "0x").await;
    let final_eth = chains.ethereum.send(&accounts[0], Some(&accounts[3]), 2_000_000_000_000_000_000, "0x").await;
    chains.ethereum.mine(15).await;
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &chains.env());
    let http = support::client();

    let cases = [
        ("Ana", format!("My withdrawal {reverted}"), "failed on ethereum"),
        ("Ben", format!("I sent it over ERC20 on Ethereum: {on_bsc}"), "was sent on BNB Smart Chain, not on Ethereum"),
        ("Cem", format!("My deposit has not arrived {final_eth}"), "as complete on ethereum"),
        ("Dan", format!("where is it? 0x{}", "ab".repeat(32)), "could not find the transaction"),
    ];
    for (name, text, expected) in &cases {
        let token = session(&http, &server, json!({"name": name, "locale": "en-US"})).await;
        send(&http, &server, &token, json!({"body": text})).await;
        let said = bot_says(&http, &server, &token, 2).await;
        assert!(said[0].contains(expected), "{name}: {said:?}");
        assert!(said[1].starts_with("I've passed your ticket"), "{name}: {said:?}");
    }
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    for (name, _, _) in &cases {
        let conversation = conversation_of(&http, &server, &agent, name).await;
        assert_eq!(conversation["handoff_reason"], "transaction", "{name}");
        let notes = notes(&conversation);
        assert!(notes.iter().any(|n| n.contains("Lookup of 0x") && n.contains("ethereum:")), "{name}: {notes:?}");
    }

    // Once people have it, the bot stays silent, hash or not; the agent's reply arrives.
    let eve = session(&http, &server, json!({"name": "Eve", "locale": "en-US"})).await;
    send(&http, &server, &eve, json!({"body": format!("My withdrawal {reverted}")})).await;
    bot_says(&http, &server, &eve, 2).await;
    send(&http, &server, &eve, json!({"body": format!("and this one? {final_eth}")})).await;
    let id = conversation_of(&http, &server, &agent, "Eve").await["id"].clone();
    let reply = http
        .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Checking both for you now."}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    support::eventually("the agent's reply", WAIT, || async {
        all_messages(&http, &server, &eve).await.iter().any(|m| m["body"] == "Checking both for you now.")
    })
    .await;
    let said = bot_says(&http, &server, &eve, 2).await;
    assert_eq!(said.len(), 2, "nothing from the bot after the hand-off: {said:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_is_down_gives_a_note_and_a_hand_off_never_a_guess() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let env = vec![
        ("SWITCHBOARD_CHAINS_ETHEREUM_KIND", "evm".to_owned()),
        ("SWITCHBOARD_CHAINS_ETHEREUM_RPC_URL", format!("http://{dead}")),
    ];
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &env);
    let http = support::client();
    let hash = format!("0x{}", "cd".repeat(32));
    let token = session(&http, &server, json!({"name": "Eve", "locale": "zh-CN"})).await;
    send(&http, &server, &token, json!({"body": format!("我的充值 {hash} 到了吗")})).await;
    let said = bot_says(&http, &server, &token, 2).await;
    assert!(said[0].contains("现在无法在链上查询交易"), "{said:?}");
    let agent = sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let conversation = conversation_of(&http, &server, &agent, "Eve").await;
    assert_eq!(conversation["handoff_reason"], "transaction");
    let notes = notes(&conversation);
    assert!(notes.iter().any(|n| n.contains("ethereum: could not be asked (unreachable")), "{notes:?}");
    let lookup = get_json(&http, &server, &format!("/api/v1/tx/{hash}"), &agent).await;
    assert_eq!(lookup["results"], json!([]));
    assert_eq!(lookup["errors"][0]["chain"], "ethereum");
}

fn tx_lookup(env: &[(&str, String)], value: &str) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["tx", "lookup", value])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (output.status.code().unwrap(), text(output.stdout), text(output.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tx_lookup_prints_one_json_line_and_exits_by_what_it_could_ask() {
    let chains = Chains::start();
    let accounts = chains.bsc.accounts().await;
    let hash = chains.bsc.send(&accounts[0], Some(&accounts[1]), 1_500_000_000_000_000_000, "0x").await;

    let (code, out, _) = tx_lookup(&chains.env(), &hash);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1);
    let lookup: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lookup["value"], hash);
    let bsc = lookup["results"].as_array().unwrap().iter().find(|r| r["chain"] == "bsc").unwrap().clone();
    assert_eq!(bsc["status"], "confirmed");
    assert_eq!((bsc["confirmations"].clone(), bsc["required_confirmations"].clone()), (json!(1), json!(15)));
    assert_eq!((bsc["amount"].clone(), bsc["symbol"].clone()), (json!("1.5"), json!("BNB")));
    assert_eq!(bsc["from"], accounts[0]);
    assert_eq!(bsc["to"], accounts[1]);
    assert_eq!(bsc["tokens"], json!([]));

    // Not found is an answer.
    let (code, out, _) = tx_lookup(&chains.env(), &format!("0x{}", "ef".repeat(32)));
    assert_eq!(code, 0);
    assert!(
        serde_json::from_str::<Value>(&out).unwrap()["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "not_found")
    );

    let (code, _, err) = tx_lookup(&chains.env(), "hello");
    assert_eq!(code, 2);
    assert!(err.contains("not a transaction hash"), "{err}");

    let (code, _, err) = tx_lookup(&[], &hash);
    assert_eq!(code, 1);
    assert!(err.contains("no chain is configured"), "{err}");
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let down = [
        ("SWITCHBOARD_CHAINS_POLYGON_KIND", "evm".to_owned()),
        ("SWITCHBOARD_CHAINS_POLYGON_RPC_URL", format!("http://{dead}")),
    ];
    let (code, out, err) = tx_lookup(&down, &hash);
    assert_eq!(code, 1);
    assert!(err.contains("every chain failed: polygon"), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["errors"][0]["chain"], "polygon");
}
