//! EVM lookups against a real local chain (anvil): native and ERC-20 transfers read exactly,
//! confirmations counted as blocks are mined, a reverted call failed, a pending transaction,
//! the network a hash was really sent on, a dropped block, an endpoint that is down.

#[path = "../../tests/support/chain.rs"]
mod chain;

use chain::Anvil;
use switchboard_chains::{ChainSettings, Chains, Kind, Status, TxReport};

fn chains(list: &[(&str, &str)]) -> Chains {
    Chains::new(list.iter().map(|(name, url)| ChainSettings::new(name, Kind::Evm, url)).collect())
}

async fn on(chains: &Chains, chain: &str, hash: &str) -> TxReport {
    let lookup = chains.lookup(hash, true).await.unwrap();
    assert!(lookup.errors.is_empty(), "{:?}", lookup.errors);
    lookup.results.into_iter().find(|r| r.chain == chain).unwrap()
}

/// `on` for a transaction the node has mined: the node may answer for it a moment before it
/// indexes its block (then "pending", honestly), so it is asked again until it says more.
async fn mined(chains: &Chains, chain: &str, hash: &str) -> TxReport {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let report = on(chains, chain, hash).await;
        if report.status != Status::Pending || std::time::Instant::now() > deadline {
            return report;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn native_and_token_transfers_are_read_exactly_and_confirmations_counted() {
    let node = Anvil::start(1);
    let accounts = node.accounts().await;
    let token = node.deploy_token(&accounts[0], "Tether USD", "USDT", 6, 1_000_000_000_000).await;
    let usdt = node.transfer_token(&token, &accounts[0], &accounts[2], 12_500_000).await;
    let eth = node.send(&accounts[0], Some(&accounts[3]), 1_500_000_000_000_000_000, "0x").await;
    let chains = chains(&[("ethereum", &node.url)]);

    let report = mined(&chains, "ethereum", &usdt).await;
    assert_eq!(report.status, Status::Confirmed);
    assert_eq!((report.confirmations, report.required_confirmations, report.credited), (2, 12, false));
    assert_eq!(report.eta_seconds, Some(10 * 12));
    assert_eq!(report.to.as_deref(), Some(token.as_str()));
    assert_eq!(report.tokens.len(), 1);
    let moved = &report.tokens[0];
    assert_eq!((moved.symbol.as_deref(), moved.decimals, moved.amount.as_str()), (Some("USDT"), Some(6), "12.5"));
    assert_eq!((moved.from.as_deref(), moved.to.as_deref()), (Some(accounts[0].as_str()), Some(accounts[2].as_str())));
    assert!(report.time.is_some() && report.block.is_some());

    let report = mined(&chains, "ethereum", &eth).await;
    assert_eq!((report.amount.as_deref(), report.symbol.as_str()), (Some("1.5"), "ETH"));
    assert_eq!(report.to.as_deref(), Some(accounts[3].as_str()));
    assert!(report.tokens.is_empty());

    node.mine(11).await;
    let report = mined(&chains, "ethereum", &usdt).await;
    assert_eq!((report.confirmations, report.credited, report.eta_seconds), (13, true, None));
}

#[tokio::test]
async fn a_reverted_call_is_failed_and_never_credited() {
    let node = Anvil::start(1);
    let accounts = node.accounts().await;
    let token = node.deploy_token(&accounts[0], "Tether USD", "USDT", 6, 1_000_000).await;
    // Account 1 holds none of the token: its transfer reverts.
    let reverted = node.transfer_token(&token, &accounts[1], &accounts[2], 5).await;
    node.mine(20).await;
    let report = mined(&chains(&[("ethereum", &node.url)]), "ethereum", &reverted).await;
    assert_eq!(report.status, Status::Failed);
    assert!(!report.credited);
    assert!(report.tokens.is_empty());
    assert_eq!(report.eta_seconds, None);
}

#[tokio::test]
async fn a_transaction_in_the_mempool_is_pending_until_mined() {
    let node = Anvil::start(1);
    let accounts = node.accounts().await;
    node.pause_mining().await;
    let hash = node.send(&accounts[0], Some(&accounts[1]), 10, "0x").await;
    let chains = chains(&[("ethereum", &node.url)]);
    let report = on(&chains, "ethereum", &hash).await;
    assert_eq!((report.status, report.confirmations, report.block), (Status::Pending, 0, None));
    assert_eq!(report.eta_seconds, Some(12 * 12));
    node.mine(1).await;
    assert_eq!(mined(&chains, "ethereum", &hash).await.status, Status::Confirmed);
}

#[tokio::test]
async fn a_hash_is_found_on_the_network_it_was_sent_on_and_not_on_the_other() {
    let (ethereum, bsc) = (Anvil::start(1), Anvil::start(56));
    let accounts = bsc.accounts().await;
    let hash = bsc.send(&accounts[0], Some(&accounts[1]), 1_000_000_000_000_000_000, "0x").await;
    let chains = chains(&[("ethereum", &ethereum.url), ("bsc", &bsc.url)]);
    mined(&chains, "bsc", &hash).await;
    let lookup = chains.lookup(&hash, true).await.unwrap();
    let status = |chain: &str| lookup.results.iter().find(|r| r.chain == chain).unwrap().status;
    assert_eq!((status("ethereum"), status("bsc")), (Status::NotFound, Status::Confirmed));
    assert_eq!(lookup.found().next().unwrap().chain, "bsc");
    // Without 0x the hash fits the EVM chains as well.
    let bare = chains.lookup(hash.trim_start_matches("0x"), false).await.unwrap();
    assert_eq!(bare.found().next().unwrap().chain, "bsc");
}

#[tokio::test]
async fn a_block_the_chain_drops_is_told_and_the_transaction_no_longer_confirmed() {
    let node = Anvil::start(1);
    let accounts = node.accounts().await;
    let before = node.snapshot().await;
    let hash = node.send(&accounts[0], Some(&accounts[1]), 10, "0x").await;
    let chains = chains(&[("ethereum", &node.url)]);
    let confirmed = mined(&chains, "ethereum", &hash).await;
    assert_eq!(confirmed.status, Status::Confirmed);
    node.revert_to(before).await;
    node.mine(3).await;
    // Dropped with its block: back in the mempool, or gone.
    let gone = on(&chains, "ethereum", &hash).await;
    assert!(matches!(gone.status, Status::NotFound | Status::Pending), "{gone:?}");
    assert!(!gone.credited);
    assert_eq!(gone.reorganized_from_block, confirmed.block);
}

#[tokio::test]
async fn an_endpoint_that_is_down_is_named_while_the_others_answer() {
    let node = Anvil::start(1);
    let accounts = node.accounts().await;
    let hash = node.send(&accounts[0], Some(&accounts[1]), 10, "0x").await;
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let chains = chains(&[("ethereum", &node.url), ("polygon", &format!("http://{dead}"))]);
    let lookup = chains.lookup(&hash, false).await.unwrap();
    assert_eq!(lookup.results.len(), 1);
    assert_eq!(lookup.errors.len(), 1);
    assert_eq!(lookup.errors[0].chain, "polygon");
    assert!(lookup.errors[0].error.starts_with("unreachable"), "{}", lookup.errors[0].error);
    assert!(!lookup.all_failed());
}

#[tokio::test]
async fn an_address_shows_its_balance_and_what_it_sent_on_each_evm_chain() {
    let (ethereum, bsc) = (Anvil::start(1), Anvil::start(56));
    let accounts = ethereum.accounts().await;
    let fresh = "0x000000000000000000000000000000000000dEaD";
    ethereum.send(&accounts[0], Some(fresh), 1_250_000_000_000_000_000, "0x").await;
    let chains = chains(&[("ethereum", &ethereum.url), ("bsc", &bsc.url)]);
    let lookup = chains.address(fresh).await.unwrap();
    assert!(lookup.errors.is_empty(), "{:?}", lookup.errors);
    let on = |chain: &str| lookup.results.iter().find(|r| r.chain == chain).unwrap().clone();
    assert_eq!((on("ethereum").balance.as_str(), on("ethereum").used), ("1.25", true));
    assert_eq!(on("ethereum").transactions, Some(0));
    assert_eq!((on("bsc").balance.as_str(), on("bsc").used), ("0", false));
    let sender = chains.address(&accounts[0]).await.unwrap();
    assert_eq!(sender.results.iter().find(|r| r.chain == "ethereum").unwrap().transactions, Some(1));
}
