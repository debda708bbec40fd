//! Bitcoin (Esplora), TRON and Solana lookups against fakes that answer as those APIs document
//! (fixtures/SOURCES.md), and every way an endpoint can fail: an HTTP error, a JSON-RPC error,
//! a malformed answer, no answer at all.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use switchboard_chains::{ChainSettings, Chains, Kind, Status, TxReport};

const BTC_TX: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
const BTC_MEMPOOL: &str = "9b0fc92260312ce44e74ef369f5c66bbb85848f2eddd5a7a1cde251e54ccfdd5";
const TRON_USDT: &str = "c5d1e3a2b7f40f6a2f3d8e1c9b0a7d6e5f4c3b2a1908f7e6d5c4b3a2918e7d6c";
const TRON_TRX: &str = "3f9d2c5b8e1a7f4c6d0b9a8e7f6c5d4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
const TRON_REVERT: &str = "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b";
const SOL_USDC: &str = "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW";
const SOL_NATIVE: &str = "4eNL6NPpWrKyTpsFzTy5WnasJ1v9rrPSr1dp3aPHBrHq4PaQ4jC3eWxAa1BMhQxR2kqJRDwVWZtaQBAaTs5vzFDA";
const USDC_MINT: &str = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A chain API on 127.0.0.1: answers by request key (`GET /tx/…`, `POST /wallet/… <value>`,
/// `rpc <method> <first param>`), else the fallback; or, when told to, never.
#[derive(Clone)]
struct Fake {
    routes: Arc<Mutex<HashMap<String, (u16, String)>>>,
    fallback: (u16, String),
    hang: Arc<std::sync::atomic::AtomicBool>,
    /// The API key every call must carry, when set.
    key: Option<String>,
    /// Calls by request key.
    calls: Arc<Mutex<HashMap<String, usize>>>,
}

impl Fake {
    fn new(fallback: (u16, &str)) -> Fake {
        Fake {
            routes: Arc::default(),
            fallback: (fallback.0, fallback.1.to_owned()),
            hang: Arc::default(),
            key: None,
            calls: Arc::default(),
        }
    }

    fn on(self, key: &str, status: u16, body: String) -> Fake {
        self.routes.lock().unwrap().insert(key.to_owned(), (status, body));
        self
    }

    async fn serve(self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(answer).with_state(self);
        tokio::spawn(async move { axum::serve(listener, app).await });
        url
    }
}

fn key(method: &Method, uri: &Uri, body: &[u8]) -> String {
    if method == Method::GET {
        return format!("GET {}", uri.path());
    }
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if let Some(rpc) = body.get("method").and_then(Value::as_str) {
        let first = &body["params"][0];
        let first = first.as_str().or_else(|| first[0].as_str()).unwrap_or_default();
        return format!("rpc {rpc} {first}");
    }
    let detail =
        ["value", "function_selector"].iter().find_map(|f| body.get(*f)).and_then(Value::as_str).unwrap_or_default();
    format!("POST {} {detail}", uri.path()).trim_end().to_owned()
}

async fn answer(
    State(fake): State<Fake>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    if fake.hang.load(std::sync::atomic::Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
    // TronGrid's key, when a test set one, must come with every call.
    if let Some(key) = &fake.key
        && headers.get("TRON-PRO-API-KEY").and_then(|v| v.to_str().ok()) != Some(key.as_str())
    {
        return (StatusCode::UNAUTHORIZED, r#"{"Error":"ApiKey not exists"}"#.into());
    }
    let key = key(&method, &uri, &body);
    *fake.calls.lock().unwrap().entry(key.clone()).or_default() += 1;
    let (status, body) = fake.routes.lock().unwrap().get(&key).cloned().unwrap_or_else(|| fake.fallback.clone());
    (StatusCode::from_u16(status).unwrap(), body)
}

fn esplora() -> Fake {
    Fake::new((404, "Transaction not found"))
        .on(&format!("GET /tx/{BTC_TX}"), 200, fixture("esplora/tx_confirmed.json"))
        .on(&format!("GET /tx/{BTC_MEMPOOL}"), 200, fixture("esplora/tx_mempool.json"))
        .on("GET /blocks/tip/height", 200, fixture("esplora/tip_height.txt"))
        .on("GET /address/bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 200, fixture("esplora/address.json"))
}

fn tron() -> Fake {
    let revert_tx = fixture("tron/usdt_tx.json").replace(TRON_USDT, TRON_REVERT);
    Fake::new((200, "{}"))
        .on(&format!("POST /wallet/gettransactionbyid {TRON_USDT}"), 200, fixture("tron/usdt_tx.json"))
        .on(&format!("POST /wallet/gettransactioninfobyid {TRON_USDT}"), 200, fixture("tron/usdt_info.json"))
        .on(&format!("POST /wallet/gettransactionbyid {TRON_TRX}"), 200, fixture("tron/trx_tx.json"))
        .on(&format!("POST /wallet/gettransactionbyid {TRON_REVERT}"), 200, revert_tx)
        .on(&format!("POST /wallet/gettransactioninfobyid {TRON_REVERT}"), 200, fixture("tron/revert_info.json"))
        .on("POST /wallet/getnowblock", 200, fixture("tron/nowblock.json"))
        .on("POST /wallet/triggerconstantcontract symbol()", 200, fixture("tron/symbol.json"))
        .on("POST /wallet/triggerconstantcontract decimals()", 200, fixture("tron/decimals.json"))
        .on("POST /wallet/getaccount", 200, fixture("tron/account.json"))
}

fn solana() -> Fake {
    Fake::new((200, &fixture("solana/status_unknown.json")))
        .on(&format!("rpc getSignatureStatuses {SOL_USDC}"), 200, fixture("solana/status_finalized.json"))
        .on(&format!("rpc getTransaction {SOL_USDC}"), 200, fixture("solana/tx_usdc.json"))
        .on(&format!("rpc getSignatureStatuses {SOL_NATIVE}"), 200, fixture("solana/status_confirmed.json"))
        .on(&format!("rpc getTransaction {SOL_NATIVE}"), 200, fixture("solana/tx_sol.json"))
        .on("rpc getBalance 4fYNw3dojWmQ4dXtSGE9epjRGy9pFSx62YypT7avPYvA", 200, fixture("solana/balance.json"))
}

async fn one(kind: Kind, url: &str, value: &str) -> TxReport {
    let mut settings = ChainSettings::new(kind.as_str(), kind, url);
    settings.tokens.insert(USDC_MINT.into(), "USDC".into());
    let lookup = Chains::new(vec![settings]).lookup(value, false).await.unwrap();
    assert!(lookup.errors.is_empty(), "{:?}", lookup.errors);
    lookup.results.into_iter().next().unwrap()
}

#[tokio::test]
async fn bitcoin_payment_reads_sender_recipient_and_amount_without_the_change() {
    let url = esplora().serve().await;
    let paid = one(Kind::Bitcoin, &url, BTC_TX).await;
    assert_eq!(paid.status, Status::Confirmed);
    assert_eq!((paid.confirmations, paid.required_confirmations, paid.credited), (3, 3, true));
    assert_eq!(paid.from.as_deref(), Some("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
    assert_eq!(paid.to.as_deref(), Some("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
    assert_eq!((paid.amount.as_deref(), paid.symbol.as_str()), (Some("0.001"), "BTC"));
    assert_eq!((paid.block, paid.time.as_deref()), (Some(870000), Some("2024-11-07T00:00:00Z")));

    let waiting = one(Kind::Bitcoin, &url, BTC_MEMPOOL).await;
    assert_eq!((waiting.status, waiting.block, waiting.eta_seconds), (Status::Pending, None, Some(1800)));
    let unknown = one(Kind::Bitcoin, &url, &"ab".repeat(32)).await;
    assert_eq!(unknown.status, Status::NotFound);
}

#[tokio::test]
async fn tron_usdt_transfer_is_named_from_the_contract_and_a_revert_is_failed() {
    let url = tron().serve().await;
    let usdt = one(Kind::Tron, &url, TRON_USDT).await;
    assert_eq!(usdt.status, Status::Confirmed);
    assert_eq!((usdt.confirmations, usdt.credited), (19, true));
    assert_eq!(usdt.to.as_deref(), Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"));
    let moved = &usdt.tokens[0];
    assert_eq!((moved.symbol.as_deref(), moved.decimals, moved.amount.as_str()), (Some("USDT"), Some(6), "12.5"));
    assert_eq!(moved.contract, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    assert_eq!(moved.from, usdt.from);
    assert!(moved.to.as_deref().is_some_and(|to| to.starts_with('T')), "{moved:?}");

    // Not in a block yet: gettransactioninfobyid answers {}.
    let trx = one(Kind::Tron, &url, TRON_TRX).await;
    assert_eq!((trx.status, trx.amount.as_deref(), trx.symbol.as_str()), (Status::Pending, Some("25"), "TRX"));
    let reverted = one(Kind::Tron, &url, TRON_REVERT).await;
    assert_eq!((reverted.status, reverted.credited), (Status::Failed, false));
    assert_eq!(one(Kind::Tron, &url, &"cd".repeat(32)).await.status, Status::NotFound);
}

#[tokio::test]
async fn a_tron_api_key_goes_with_every_call() {
    let mut fake = tron();
    fake.key = Some("a-key".into());
    let url = fake.serve().await;
    let mut settings = ChainSettings::new("tron", Kind::Tron, &url);
    let refused = Chains::new(vec![settings.clone()]).lookup(TRON_USDT, false).await.unwrap();
    assert!(refused.errors[0].error.starts_with("HTTP 401"), "{refused:?}");
    settings.api_key = Some(switchboard_chains::settings::ApiKey("a-key".into()));
    assert!(format!("{settings:?}").contains("ApiKey(***)"));
    let lookup = Chains::new(vec![settings]).lookup(TRON_USDT, false).await.unwrap();
    assert_eq!(lookup.results[0].tokens[0].symbol.as_deref(), Some("USDT"));
}

#[tokio::test]
async fn lookups_started_together_ask_about_a_new_token_once() {
    let fake = tron();
    let calls = Arc::clone(&fake.calls);
    let chains = Chains::new(vec![ChainSettings::new("tron", Kind::Tron, &fake.serve().await)]);
    let lookups = futures_util::future::join_all((0..10).map(|_| chains.lookup(TRON_USDT, true))).await;
    assert!(lookups.iter().all(|l| l.as_ref().unwrap().results[0].tokens[0].symbol.as_deref() == Some("USDT")));
    let calls = calls.lock().unwrap();
    assert_eq!(calls["POST /wallet/triggerconstantcontract symbol()"], 1);
    assert_eq!(calls["POST /wallet/triggerconstantcontract decimals()"], 1);
    assert_eq!(calls[&format!("POST /wallet/gettransactionbyid {TRON_USDT}")], 10);
}

#[tokio::test]
async fn solana_token_and_lamport_movements_come_from_balances_before_and_after() {
    let url = solana().serve().await;
    let usdc = one(Kind::Solana, &url, SOL_USDC).await;
    assert_eq!((usdc.status, usdc.credited, usdc.confirmations), (Status::Confirmed, true, 32));
    let moved = &usdc.tokens[0];
    assert_eq!((moved.symbol.as_deref(), moved.decimals, moved.amount.as_str()), (Some("USDC"), Some(6), "12.5"));
    assert_eq!(moved.from.as_deref(), Some("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"));
    assert_eq!(moved.to.as_deref(), Some("4fYNw3dojWmQ4dXtSGE9epjRGy9pFSx62YypT7avPYvA"));

    let sol = one(Kind::Solana, &url, SOL_NATIVE).await;
    assert_eq!((sol.status, sol.confirmations, sol.credited), (Status::Confirmed, 10, false));
    assert_eq!(
        (sol.amount.as_deref(), sol.to.as_deref()),
        (Some("2.5"), Some("4fYNw3dojWmQ4dXtSGE9epjRGy9pFSx62YypT7avPYvA"))
    );
    let unknown = "3".repeat(87) + "1";
    assert_eq!(one(Kind::Solana, &url, &unknown).await.status, Status::NotFound);
}

async fn failure(fake: Fake, kind: Kind, value: &str) -> String {
    let mut settings = ChainSettings::new("x", kind, &fake.serve().await);
    settings.timeout = Duration::from_secs(2);
    let lookup = Chains::new(vec![settings]).lookup(value, false).await.unwrap();
    assert!(lookup.all_failed(), "{lookup:?}");
    lookup.errors[0].error.clone()
}

#[tokio::test]
async fn an_http_error_a_json_rpc_error_and_a_malformed_answer_are_told_apart() {
    let error = failure(Fake::new((503, "upstream down")), Kind::Bitcoin, BTC_TX).await;
    assert_eq!(error, "HTTP 503: upstream down");
    let rpc = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limit exceeded"}}"#;
    let error = failure(Fake::new((200, rpc)), Kind::Solana, SOL_USDC).await;
    assert_eq!(error, "JSON-RPC error -32005: rate limit exceeded");
    let error = failure(Fake::new((200, "<html>captcha</html>")), Kind::Tron, TRON_USDT).await;
    assert!(error.starts_with("malformed answer"), "{error}");
    let odd = r#"{"jsonrpc":"2.0","id":1,"result":{"blockNumber":"12","value":"0x1"}}"#;
    let error = failure(Fake::new((200, odd)), Kind::Evm, &format!("0x{BTC_TX}")).await;
    assert!(error.contains("lacks 0x"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn an_endpoint_that_never_answers_times_out() {
    let fake = Fake::new((200, "{}"));
    fake.hang.store(true, std::sync::atomic::Ordering::SeqCst);
    let error = failure(fake, Kind::Tron, TRON_USDT).await;
    assert_eq!(error, "no answer within 2s");
}

#[tokio::test]
async fn an_address_shows_its_balance_on_bitcoin_tron_and_solana() {
    let (bitcoin, tron, solana) = (esplora().serve().await, tron().serve().await, solana().serve().await);
    let chains = Chains::new(vec![
        ChainSettings::new("bitcoin", Kind::Bitcoin, &bitcoin),
        ChainSettings::new("tron", Kind::Tron, &tron),
        ChainSettings::new("solana", Kind::Solana, &solana),
    ]);
    let held = |lookup: switchboard_chains::AddressLookup| {
        assert!(lookup.errors.is_empty(), "{:?}", lookup.errors);
        let [one] = lookup.results.as_slice() else { panic!("one chain: {lookup:?}") };
        (one.chain.clone(), one.balance.clone(), one.symbol.clone(), one.transactions, one.used)
    };
    let btc = chains.address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").await.unwrap();
    assert_eq!(held(btc), ("bitcoin".into(), "0.0022".into(), "BTC".into(), Some(4), true));
    let trx = chains.address("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7").await.unwrap();
    assert_eq!(held(trx), ("tron".into(), "125.5".into(), "TRX".into(), None, true));
    let sol = chains.address("4fYNw3dojWmQ4dXtSGE9epjRGy9pFSx62YypT7avPYvA").await.unwrap();
    assert_eq!(held(sol), ("solana".into(), "2.5".into(), "SOL".into(), None, true));
    let refused = chains.address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").await.unwrap_err();
    assert_eq!(
        refused,
        switchboard_chains::LookupError::NotAnAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into())
    );
}
