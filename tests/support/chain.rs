//! A real local EVM chain for tests: an anvil node (npm `@foundry-rs/anvil`) on 127.0.0.1 with
//! its funded, unlocked accounts, the test token deployed from committed bytecode, transfers,
//! reverts, mined blocks and reorganizations.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The creation bytecode of `chain/Token.sol`.
const TOKEN_BIN: &str = include_str!("chain/Token.bin");

pub struct Anvil {
    child: Child,
    pub url: String,
    http: reqwest::Client,
    /// Whether blocks are mined only on `mine`.
    paused: std::sync::atomic::AtomicBool,
}

/// The anvil binary: `SWITCHBOARD_TEST_ANVIL`, the one `scripts/test.sh` installs under
/// `.tools/`, or `anvil` on the PATH.
fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("SWITCHBOARD_TEST_ANVIL") {
        return PathBuf::from(path);
    }
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/node_modules/@foundry-rs");
    let root_tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/node_modules/@foundry-rs");
    for dir in [tools, root_tools] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let candidate = entry.path().join("bin/anvil");
                if entry.file_name().to_string_lossy().starts_with("anvil-") && candidate.exists() {
                    return candidate;
                }
            }
        }
    }
    PathBuf::from("anvil")
}

impl Anvil {
    /// A fresh chain with this id, mining each transaction into its own block.
    pub fn start(chain_id: u64) -> Anvil {
        let mut child = Command::new(binary())
            .args(["--host", "127.0.0.1", "--port", "0", "--chain-id", &chain_id.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil runs (scripts/test.sh installs it under .tools/)");
        let stdout = child.stdout.take().expect("anvil's output");
        let mut lines = BufReader::new(stdout).lines();
        let address = loop {
            let line = lines.next().expect("anvil says where it listens").expect("anvil's output is text");
            if let Some(address) = line.strip_prefix("Listening on ") {
                break address.trim().to_owned();
            }
        };
        // The rest of its output is drained so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Anvil { child, url: format!("http://{address}"), http: reqwest::Client::new(), paused: Default::default() }
    }

    pub async fn rpc(&self, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let answer: Value = self.http.post(&self.url).json(&body).send().await.unwrap().json().await.unwrap();
        assert!(answer.get("error").is_none(), "{method}: {answer}");
        answer["result"].clone()
    }

    /// Anvil's funded, unlocked accounts.
    pub async fn accounts(&self) -> Vec<String> {
        let accounts = self.rpc("eth_accounts", json!([])).await;
        accounts.as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_ascii_lowercase()).collect()
    }

    /// Sends a transaction from an unlocked account; its hash, once it is mined (unless mining
    /// is paused). The gas is set, so a call that reverts is mined as failed, not refused.
    pub async fn send(&self, from: &str, to: Option<&str>, value_wei: u128, data: &str) -> String {
        let mut tx = json!({"from": from, "value": format!("0x{value_wei:x}"), "data": data, "gas": "0x2dc6c0"});
        if let Some(to) = to {
            tx["to"] = json!(to);
        }
        let hash = self.rpc("eth_sendTransaction", json!([tx])).await.as_str().unwrap().to_owned();
        if !self.paused.load(std::sync::atomic::Ordering::SeqCst) {
            self.receipt(&hash).await;
        }
        hash
    }

    /// The transaction's receipt, once it has one (the node mines on its own time).
    pub async fn receipt(&self, hash: &str) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let receipt = self.rpc("eth_getTransactionReceipt", json!([hash])).await;
            if !receipt.is_null() {
                return receipt;
            }
            assert!(std::time::Instant::now() < deadline, "{hash} was not mined within 30 s");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Deploys the test token with its whole supply to `from`; the token's address.
    pub async fn deploy_token(&self, from: &str, name: &str, symbol: &str, decimals: u8, supply: u128) -> String {
        let data = format!("0x{}{}", TOKEN_BIN.trim(), constructor_args(name, symbol, decimals, supply));
        let hash = self.send(from, None, 0, &data).await;
        let receipt = self.receipt(&hash).await;
        receipt["contractAddress"]
            .as_str()
            .unwrap_or_else(|| panic!("the token did not deploy: {receipt}"))
            .to_ascii_lowercase()
    }

    /// `transfer(to, units)` on a token; the transaction's hash.
    pub async fn transfer_token(&self, token: &str, from: &str, to: &str, units: u128) -> String {
        let data = format!("0xa9059cbb{}{units:064x}", word_of_address(to));
        self.send(from, Some(token), 0, &data).await
    }

    /// Mines `n` empty blocks.
    pub async fn mine(&self, n: u64) {
        self.rpc("anvil_mine", json!([format!("0x{n:x}")])).await;
    }

    /// Stops mining on its own: transactions wait in the mempool until `mine`.
    pub async fn pause_mining(&self) {
        self.rpc("evm_setAutomine", json!([false])).await;
        self.paused.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub async fn snapshot(&self) -> Value {
        self.rpc("evm_snapshot", json!([])).await
    }

    /// Back to `snapshot`: every block since is gone, as in a reorganization.
    pub async fn revert_to(&self, snapshot: Value) {
        self.rpc("evm_revert", json!([snapshot])).await;
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn word_of_address(address: &str) -> String {
    format!("{:0>64}", address.trim_start_matches("0x"))
}

/// ABI encoding of `(string, string, uint8, uint256)`.
fn constructor_args(name: &str, symbol: &str, decimals: u8, supply: u128) -> String {
    let string = |s: &str| {
        let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
        let padded = format!("{hex:0<width$}", width = hex.len().div_ceil(64).max(1) * 64);
        format!("{:064x}{padded}", s.len())
    };
    let (name, symbol) = (string(name), string(symbol));
    let head = 4 * 32;
    format!("{head:064x}{:064x}{decimals:064x}{supply:064x}{name}{symbol}", head + name.len() / 2)
}
