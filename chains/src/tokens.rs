//! Token names and decimals, read from the chain once per contract and kept: they never change.

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
}

impl TokenBook {
    pub fn new(named: HashMap<String, String>) -> TokenBook {
        let named = named.into_iter().map(|(contract, symbol)| (contract.to_ascii_lowercase(), symbol)).collect();
        TokenBook { named, read: Mutex::default() }
    }

    /// The operator's name for `contract`, when given.
    pub fn named(&self, contract: &str) -> Option<String> {
        self.named.get(&contract.to_ascii_lowercase()).cloned()
    }

    pub fn known(&self, contract: &str) -> Option<TokenMeta> {
        let read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        read.get(&contract.to_ascii_lowercase()).cloned()
    }

    /// Keeps what the chain said; a contract that did not answer is asked again next time.
    pub fn keep(&self, contract: &str, meta: TokenMeta) {
        if meta.symbol.is_some() || meta.decimals.is_some() {
            let mut read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            read.insert(contract.to_ascii_lowercase(), meta);
        }
    }
}
