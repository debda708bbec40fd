//! Transaction lookups on the chains the operator configured, and only there (a customer's
//! hash is never sent anywhere else): each chain kind has a client with pure readings of its
//! API's answers and a thin I/O shell; a lookup asks every chain the value's format fits at
//! once, caches the answers (briefly while they can change, long once final) and remembers
//! confirmations so that a block the chain drops is reported, never a stale "credited".
//! Addresses are looked up too: the native balance each fitting chain holds for them.

pub mod abi;
pub mod address;
pub mod endpoint;
pub mod error;
pub mod esplora;
pub mod evm;
pub mod memory;
pub mod networks;
pub mod report;
pub mod settings;
pub mod solana;
pub mod tokens;
pub mod tron;
pub mod units;

pub use address::{AddressLookup, AddressReport};
use endpoint::Endpoint;
pub use error::ChainError;
use memory::Memory;
pub use report::{ChainFailure, Lookup, Seen, Status, TokenTransfer, TxReport};
pub use settings::{ChainSettings, Kind};
use tokens::TokenBook;

/// Why a value could not be looked up at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("no chain is configured: set [chains.<name>] kind and rpc_url")]
    NoChains,
    #[error("{0:?} is not a transaction hash of any configured chain")]
    NotAHash(String),
    #[error("{0:?} is not an address of any configured chain")]
    NotAnAddress(String),
}

/// What a chain's lookup came to, as the metrics count it.
const OUTCOMES: &[&str] = &["found", "not_found", "error", "cached"];

/// One configured chain with its endpoint and the tokens it has met.
struct Chain {
    settings: ChainSettings,
    endpoint: Endpoint,
    tokens: TokenBook,
}

/// The configured chains; cheap to share behind an `Arc`.
pub struct Chains {
    chains: Vec<Chain>,
    memory: Memory,
}

/// Asks every chain of `asked` at once: the answers, and the chains that failed, named.
async fn ask_each<'c, T, F, Fut>(asked: Vec<&'c Chain>, ask: F) -> (Vec<T>, Vec<ChainFailure>)
where
    F: Fn(&'c Chain) -> Fut,
    Fut: std::future::Future<Output = Result<T, ChainError>>,
{
    let answers = futures_util::future::join_all(asked.iter().map(|chain| ask(chain))).await;
    let (mut answered, mut failed) = (Vec::new(), Vec::new());
    for (chain, answer) in asked.into_iter().zip(answers) {
        match answer {
            Ok(answer) => answered.push(answer),
            Err(error) => {
                tracing::warn!(chain = %chain.settings.name, %error, "a chain lookup failed");
                failed.push(ChainFailure {
                    chain: chain.settings.name.clone(),
                    network: chain.settings.label.clone(),
                    error: error.to_string(),
                });
            }
        }
    }
    (answered, failed)
}

/// The formats a value can be a transaction id in.
pub fn kinds_for(value: &str) -> Vec<Kind> {
    let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(digits) = value.strip_prefix("0x") {
        return if hex(digits) { vec![Kind::Evm] } else { Vec::new() };
    }
    if hex(value) {
        // Bitcoin and TRON write ids without `0x`; people also strip it from EVM hashes.
        return vec![Kind::Bitcoin, Kind::Tron, Kind::Evm];
    }
    let signature = (80..=90).contains(&value.len()) && bs58::decode(value).into_vec().is_ok_and(|b| b.len() == 64);
    if signature { vec![Kind::Solana] } else { Vec::new() }
}

impl Chains {
    pub fn new(settings: Vec<ChainSettings>) -> Chains {
        let client = reqwest::Client::builder()
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            // A lookup is for the endpoint configured, not wherever it redirects.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        let chains = settings
            .into_iter()
            .map(|settings| Chain {
                endpoint: Endpoint::new(client.clone(), &settings),
                tokens: TokenBook::new(settings.tokens.clone()),
                settings,
            })
            .collect();
        let chains = Chains { chains, memory: Memory::default() };
        chains.register_metrics();
        chains
    }

    /// Describes the lookups' series and starts each configured chain's at zero, so that they
    /// are present from the first scrape.
    fn register_metrics(&self) {
        metrics::describe_counter!(
            "switchboard_chain_lookups_total",
            "Transaction lookups by chain and outcome: found, not_found, error, cached"
        );
        metrics::describe_histogram!("switchboard_chain_lookup_seconds", "Time one chain took to answer a lookup");
        for chain in &self.chains {
            for outcome in OUTCOMES {
                let name = chain.settings.name.clone();
                metrics::counter!("switchboard_chain_lookups_total", "chain" => name, "outcome" => *outcome)
                    .absolute(0);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.chains.is_empty()
    }

    /// The configured chains' settings.
    pub fn settings(&self) -> impl Iterator<Item = &ChainSettings> {
        self.chains.iter().map(|c| &c.settings)
    }

    /// Looks `value` up on every configured chain its format fits, all at once; `fresh` skips
    /// the cache (an agent's refresh).
    pub async fn lookup(&self, value: &str, fresh: bool) -> Result<Lookup, LookupError> {
        let value = value.trim();
        let kinds = kinds_for(value);
        let asked = self.fitting(|kind| kinds.contains(&kind), || LookupError::NotAHash(value.to_owned()))?;
        let (results, errors) = ask_each(asked, |chain| self.look(chain, value, fresh)).await;
        Ok(Lookup { value: value.to_owned(), results, errors })
    }

    /// The native balance `address` holds on every configured chain of its kind, all at once.
    pub async fn address(&self, address: &str) -> Result<AddressLookup, LookupError> {
        let address = address.trim();
        let kind = address::kind_of(address);
        let asked = self.fitting(|k| Some(k) == kind, || LookupError::NotAnAddress(address.to_owned()))?;
        let (results, errors) = ask_each(asked, |chain| async move {
            let holding = address::look(&chain.endpoint, chain.settings.kind, address).await?;
            Ok(AddressReport::new(&chain.settings, holding))
        })
        .await;
        Ok(AddressLookup { value: address.to_owned(), results, errors })
    }

    /// The chains of the kinds `fits` takes; `none` when no configured chain is one of them.
    fn fitting(
        &self,
        fits: impl Fn(Kind) -> bool,
        none: impl FnOnce() -> LookupError,
    ) -> Result<Vec<&Chain>, LookupError> {
        if self.chains.is_empty() {
            return Err(LookupError::NoChains);
        }
        let asked: Vec<&Chain> = self.chains.iter().filter(|c| fits(c.settings.kind)).collect();
        if asked.is_empty() { Err(none()) } else { Ok(asked) }
    }

    async fn look(&self, chain: &Chain, value: &str, fresh: bool) -> Result<TxReport, ChainError> {
        let name = &chain.settings.name;
        // Hex ids are the same id in either case; base58 signatures are not.
        let key = if chain.settings.kind == Kind::Solana { value.to_owned() } else { value.to_ascii_lowercase() };
        let count = |outcome: &'static str| {
            metrics::counter!("switchboard_chain_lookups_total", "chain" => name.clone(), "outcome" => outcome)
                .increment(1);
        };
        if !fresh && let Some(report) = self.memory.cached(name, &key) {
            count("cached");
            return Ok(report);
        }
        let started = std::time::Instant::now();
        let seen = match chain.settings.kind {
            Kind::Evm => evm::look(&chain.endpoint, &chain.tokens, value).await,
            Kind::Bitcoin => esplora::look(&chain.endpoint, value).await,
            Kind::Tron => tron::look(&chain.endpoint, &chain.tokens, value).await,
            Kind::Solana => solana::look(&chain.endpoint, &chain.tokens, value).await,
        };
        metrics::histogram!("switchboard_chain_lookup_seconds", "chain" => name.clone()).record(started.elapsed());
        let seen = seen.inspect_err(|_| count("error"))?;
        let mut report = report::report(&chain.settings, seen);
        count(if report.status == Status::NotFound { "not_found" } else { "found" });
        self.memory.remember(name, &key, &mut report);
        Ok(report)
    }
}
