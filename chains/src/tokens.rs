//! Token names and decimals, read from the chain once per contract and kept: they never change.
//! Lookups that meet a new token together ask about it once.

use std::collections::HashMap;
use std::sync::Mutex;

/// A token's `symbol()` and `decimals()`, None where the contract does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenMeta {
    pub symbol: Option<String>,
    pub decimals: Option<u32>,
}

/// The tokens one chain has met, with the operator's names first.
#[derive(Debug, Default)]
pub struct TokenBook {
    named: HashMap<String, String>,
    read: Mutex<HashMap<String, TokenMeta>>,
    /// Held while a token is asked about, so that lookups started together ask once.
    asking: tokio::sync::Mutex<()>,
}

impl TokenBook {
    pub fn new(named: HashMap<String, String>) -> TokenBook {
        let named = named.into_iter().map(|(contract, symbol)| (contract.to_ascii_lowercase(), symbol)).collect();
        TokenBook { named, read: Mutex::default(), asking: tokio::sync::Mutex::default() }
    }

    /// The operator's name for `contract`, when given.
    pub fn named(&self, contract: &str) -> Option<String> {
        self.named.get(&contract.to_ascii_lowercase()).cloned()
    }

    pub fn known(&self, contract: &str) -> Option<TokenMeta> {
        let read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        read.get(&contract.to_ascii_lowercase()).cloned()
    }

    /// What `contract` is, asked with `ask` unless known. `ask` also says whether its answer is
    /// settled (a contract that answered, even without a name) or is to be asked again (the
    /// endpoint could not be reached). Lookups started meanwhile wait for that answer.
    pub async fn meta<F, Fut>(&self, contract: &str, ask: F) -> TokenMeta
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = (TokenMeta, bool)>,
    {
        if let Some(meta) = self.known(contract) {
            return meta;
        }
        let _asking = self.asking.lock().await;
        if let Some(meta) = self.known(contract) {
            return meta;
        }
        let (meta, settled) = ask().await;
        if settled {
            let mut read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            read.insert(contract.to_ascii_lowercase(), meta.clone());
        }
        meta
    }
}
