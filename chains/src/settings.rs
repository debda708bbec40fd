//! The chains an operator configures: `[chains.<name>]` with `kind`, `rpc_url`,
//! `confirmations`, `symbol`, `label`, `block_time`, `timeout`, `rate`, `tokens` and `api_key`
//! (`SWITCHBOARD_CHAINS_<NAME>_KIND` and so on in the environment). Lookups go to these
//! endpoints and nowhere else.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;
use switchboard_core::settings::{SettingError, Settings};

/// The API a chain's endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Ethereum JSON-RPC (any EVM chain: Ethereum, BSC, Polygon, Arbitrum, …).
    Evm,
    /// The Esplora HTTP API (mempool.space, Blockstream, a self-hosted electrs).
    Bitcoin,
    /// The java-tron / TronGrid HTTP API.
    Tron,
    /// Solana JSON-RPC.
    Solana,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Evm => "evm",
            Kind::Bitcoin => "bitcoin",
            Kind::Tron => "tron",
            Kind::Solana => "solana",
        }
    }

    pub(crate) fn parse(value: &str) -> Result<Kind, String> {
        match value.to_ascii_lowercase().as_str() {
            "evm" => Ok(Kind::Evm),
            "bitcoin" => Ok(Kind::Bitcoin),
            "tron" => Ok(Kind::Tron),
            "solana" => Ok(Kind::Solana),
            other => Err(format!("{other:?} is not evm, bitcoin, tron or solana")),
        }
    }

    /// Confirmations most exchanges wait for before crediting a deposit.
    pub fn default_confirmations(self) -> u64 {
        match self {
            Kind::Evm => 12,
            Kind::Bitcoin => 3,
            // A TRON block is irreversible once 19 of the 27 super representatives built on it.
            Kind::Tron => 19,
            // Solana's `finalized` commitment: 31 blocks built on top.
            Kind::Solana => 32,
        }
    }

    pub fn default_symbol(self) -> &'static str {
        match self {
            Kind::Evm => "ETH",
            Kind::Bitcoin => "BTC",
            Kind::Tron => "TRX",
            Kind::Solana => "SOL",
        }
    }

    /// The usual time between blocks, for "about 3 minutes".
    pub fn default_block_time(self) -> Duration {
        match self {
            Kind::Evm => Duration::from_secs(12),
            Kind::Bitcoin => Duration::from_secs(600),
            Kind::Tron => Duration::from_secs(3),
            Kind::Solana => Duration::from_millis(400),
        }
    }

    /// The native coin's decimals: wei, satoshi, sun, lamports.
    pub fn native_decimals(self) -> u32 {
        match self {
            Kind::Evm => 18,
            Kind::Bitcoin => 8,
            Kind::Tron => 6,
            Kind::Solana => 9,
        }
    }
}

/// One configured chain.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainSettings {
    /// The table's name, lower case (`ethereum`, `bsc`).
    pub name: String,
    pub kind: Kind,
    /// The endpoint: a JSON-RPC URL, or the Esplora / TRON API's base URL.
    pub rpc_url: String,
    pub confirmations: u64,
    pub symbol: String,
    /// How customers and agents call the network; the name when unset.
    pub label: String,
    pub block_time: Duration,
    /// Longest wait for one call to the endpoint.
    pub timeout: Duration,
    /// Most calls per second to the endpoint (public endpoints throttle hard).
    pub rate: u32,
    /// Names for tokens the chain does not name itself (Solana mints): contract → symbol.
    pub tokens: HashMap<String, String>,
    /// A key the provider wants in a header (TronGrid's `TRON-PRO-API-KEY`); never printed.
    pub api_key: Option<ApiKey>,
}

/// A provider's key: sent with each call, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(pub String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl ChainSettings {
    /// A chain with its kind's defaults.
    pub fn new(name: &str, kind: Kind, rpc_url: &str) -> ChainSettings {
        ChainSettings {
            name: name.to_owned(),
            kind,
            rpc_url: rpc_url.trim_end_matches('/').to_owned(),
            confirmations: kind.default_confirmations(),
            symbol: kind.default_symbol().to_owned(),
            label: name.to_owned(),
            block_time: kind.default_block_time(),
            timeout: Duration::from_secs(5),
            rate: 10,
            tokens: HashMap::new(),
            api_key: None,
        }
    }
}

const FIELDS: &[&str] =
    &["kind", "rpc_url", "confirmations", "symbol", "label", "block_time", "timeout", "rate", "tokens", "api_key"];

/// Whether `key` (`chains_bsc_rpc_url`) is a chain setting.
pub fn is_key(key: &str) -> bool {
    split_key(key).is_some()
}

fn split_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("chains_")?;
    FIELDS.iter().find_map(|field| {
        let name = rest.strip_suffix(field)?.strip_suffix('_')?;
        (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
            .then_some((name, *field))
    })
}

/// The chain names among setting keys (the file's, and the environment's lower-cased).
pub fn names<'k>(keys: impl IntoIterator<Item = &'k str>) -> BTreeSet<String> {
    keys.into_iter().filter_map(split_key).map(|(name, _)| name.to_ascii_lowercase()).collect()
}

/// Each named chain's settings; a chain needs its kind and endpoint.
pub fn read(settings: &Settings<'_>, names: &BTreeSet<String>) -> Result<Vec<ChainSettings>, SettingError> {
    names.iter().map(|name| read_one(settings, name)).collect()
}

fn read_one(settings: &Settings<'_>, name: &str) -> Result<ChainSettings, SettingError> {
    let key = |field: &str| format!("chains_{name}_{field}");
    let kind = match settings.value(&key("kind")) {
        Some(_) => settings.parse(&key("kind"), Kind::Evm, Kind::parse)?,
        None => return Err(settings.invalid(&key("kind"), "is needed: evm, bitcoin, tron or solana")),
    };
    let rpc_url = settings.base_url(&key("rpc_url"), "")?;
    if rpc_url.is_empty() {
        return Err(settings.invalid(&key("rpc_url"), "is needed: the chain's endpoint, like http://127.0.0.1:8545"));
    }
    let positive = |what: &'static str| {
        move |v: &str| v.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| format!("{v:?} is not {what}"))
    };
    Ok(ChainSettings {
        name: name.to_owned(),
        kind,
        rpc_url,
        confirmations: settings.parse(
            &key("confirmations"),
            kind.default_confirmations(),
            positive("a count from 1"),
        )?,
        symbol: settings
            .value(&key("symbol"))
            .map_or_else(|| kind.default_symbol().to_owned(), |s| s.trim().to_owned()),
        label: settings.value(&key("label")).map_or_else(|| name.to_owned(), |s| s.trim().to_owned()),
        block_time: settings.duration(&key("block_time"), kind.default_block_time(), "12s")?,
        timeout: settings.duration(&key("timeout"), Duration::from_secs(5), "5s")?,
        rate: settings.parse(&key("rate"), 10, |v| {
            v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| format!("{v:?} is not a number of calls per second"))
        })?,
        tokens: settings.parse(&key("tokens"), HashMap::new(), |v| {
            v.split(',')
                .filter(|pair| !pair.trim().is_empty())
                .map(|pair| match pair.split_once('=') {
                    Some((contract, symbol)) if !contract.trim().is_empty() && !symbol.trim().is_empty() => {
                        Ok((contract.trim().to_owned(), symbol.trim().to_owned()))
                    }
                    _ => Err(format!("{pair:?} is not CONTRACT=SYMBOL")),
                })
                .collect()
        })?,
        api_key: settings.value(&key("api_key")).map(|k| ApiKey(k.trim().to_owned())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::settings::Source;

    struct Map(HashMap<String, String>);
    impl Source for Map {
        fn get(&self, key: &str) -> Option<(String, String)> {
            self.0.get(key).map(|v| (v.clone(), switchboard_core::settings::env_name(key)))
        }
    }

    fn settings(pairs: &[(&str, &str)]) -> Map {
        Map(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn names_come_from_keys_of_any_known_field() {
        let keys = ["chains_bsc_kind", "chains_eth_main_rpc_url", "chains_x_unknown", "listen", "chains_tron_tokens"];
        let names: Vec<String> = names(keys).into_iter().collect();
        assert_eq!(names, ["bsc", "eth_main", "tron"]);
    }

    #[test]
    fn defaults_follow_the_kind() {
        let map = settings(&[("chains_btc_kind", "bitcoin"), ("chains_btc_rpc_url", "https://mempool.space/api/")]);
        let chains = read(&Settings::new(&map), &names(map.0.keys().map(String::as_str))).unwrap();
        assert_eq!(chains[0].kind, Kind::Bitcoin);
        assert_eq!(chains[0].confirmations, 3);
        assert_eq!(chains[0].symbol, "BTC");
        assert_eq!(chains[0].rpc_url, "https://mempool.space/api");
        assert_eq!(chains[0].label, "btc");
    }

    #[test]
    fn a_chain_without_kind_or_endpoint_names_the_setting() {
        let map = settings(&[("chains_bsc_rpc_url", "http://127.0.0.1:1")]);
        let error = read(&Settings::new(&map), &names(map.0.keys().map(String::as_str))).unwrap_err();
        assert_eq!(error.setting, "SWITCHBOARD_CHAINS_BSC_KIND");
        let map = settings(&[
            ("chains_bsc_kind", "evm"),
            ("chains_bsc_rpc_url", "http://127.0.0.1:1"),
            ("chains_bsc_confirmations", "0"),
        ]);
        let error = read(&Settings::new(&map), &names(map.0.keys().map(String::as_str))).unwrap_err();
        assert_eq!(error.setting, "SWITCHBOARD_CHAINS_BSC_CONFIRMATIONS");
        let map = settings(&[("chains_bsc_kind", "cosmos"), ("chains_bsc_rpc_url", "http://127.0.0.1:1")]);
        let error = read(&Settings::new(&map), &names(map.0.keys().map(String::as_str))).unwrap_err();
        assert!(error.reason.contains("cosmos"), "{error}");
    }
}
