//! How long a transaction lookup takes on a real local EVM chain (anvil), asked afresh and from
//! the cache, on one chain and on two (found on one, not found on the other), one at a time
//! and fifty at once under an endpoint's rate limit.
//!
//! `cargo bench --bench chains [-- N]` deploys the test token, makes N (default 200) USDT
//! transfers, then looks each up and prints a Markdown table for BENCHMARKS.md. A lookup of a
//! mined token transfer is four calls (transaction, receipt, tip, block time), and two more the
//! first time a token is met (its `symbol()` and `decimals()`, then kept).

#[path = "../tests/support/chain.rs"]
mod chain;

use std::time::{Duration, Instant};
use switchboard_chains::{ChainSettings, Chains, Kind};

fn chains(list: &[(&str, &str)], rate: u32) -> Chains {
    let settings = list
        .iter()
        .map(|(name, url)| {
            let mut chain = ChainSettings::new(name, Kind::Evm, url);
            chain.rate = rate;
            chain
        })
        .collect();
    Chains::new(settings)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

/// Each hash looked up in turn; p50, p95 and max in ms.
async fn one_by_one(chains: &Chains, hashes: &[String], fresh: bool) -> (f64, f64, f64) {
    let mut times = Vec::with_capacity(hashes.len());
    for hash in hashes {
        let started = Instant::now();
        let lookup = chains.lookup(hash, fresh).await.unwrap();
        times.push(started.elapsed());
        assert!(lookup.errors.is_empty() && lookup.found().next().is_some(), "{lookup:?}");
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), percentile(&times, 1.0))
}

/// All hashes looked up at once; the wall time in ms.
async fn at_once(chains: &Chains, hashes: &[String]) -> f64 {
    let started = Instant::now();
    let lookups = futures_util::future::join_all(hashes.iter().map(|h| chains.lookup(h, true))).await;
    assert!(lookups.iter().all(|l| l.as_ref().is_ok_and(|l| l.errors.is_empty())));
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200);
    let (ethereum, bsc) = (chain::Anvil::start(1), chain::Anvil::start(56));
    let accounts = ethereum.accounts().await;
    let token = ethereum.deploy_token(&accounts[0], "Tether USD", "USDT", 6, u128::from(u64::MAX)).await;
    let mut hashes = Vec::with_capacity(n);
    for i in 0..n {
        hashes.push(ethereum.transfer_token(&token, &accounts[0], &accounts[1 + i % 9], 12_500_000).await);
    }
    let one = chains(&[("ethereum", &ethereum.url)], 10_000);
    let two = chains(&[("ethereum", &ethereum.url), ("bsc", &bsc.url)], 10_000);
    let mut rows = vec!["| lookup | p50 ms | p95 ms | max ms |".to_owned(), "|---|---|---|---|".to_owned()];
    for (what, chains, fresh) in [
        ("afresh, one chain", &one, true),
        ("afresh, two chains (found on one)", &two, true),
        ("from the cache, two chains", &two, false),
    ] {
        let (p50, p95, max) = one_by_one(chains, &hashes, fresh).await;
        rows.push(format!("| {what} | {p50:.2} | {p95:.2} | {max:.2} |"));
    }
    let fifty = &hashes[..50.min(n)];
    rows.push(String::new());
    rows.push("| 50 lookups at once, one chain | wall ms |".to_owned());
    rows.push("|---|---|".to_owned());
    for rate in [10_000, 100, 25] {
        let chains = chains(&[("ethereum", &ethereum.url)], rate);
        rows.push(format!("| rate limit {rate} calls/s | {:.0} |", at_once(&chains, fifty).await));
    }
    println!("{}", rows.join("\n"));
}
