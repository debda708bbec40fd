//! Token names and decimals, read from the chain once per contract and kept: they never change.
//! Lookups that meet a new token together ask about it once.

use crate::abi;
use crate::error::ChainError;
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

    /// What `contract` is: kept, or asked with `ask` (the ABI-encoded answer to a question,
    /// None when the contract gave none). The operator's name spares the symbol's question.
    /// An answer is kept once settled — the contract answered, even without a name — but not
    /// when the endpoint could not be reached. Lookups started meanwhile wait for that answer.
    pub async fn meta<F, Fut>(&self, contract: &str, ask: F) -> TokenMeta
    where
        F: Fn(Question) -> Fut,
        Fut: std::future::Future<Output = Result<Option<String>, ChainError>>,
    {
        if let Some(meta) = self.known(contract) {
            return meta;
        }
        let _asking = self.asking.lock().await;
        if let Some(meta) = self.known(contract) {
            return meta;
        }
        let symbol = match self.named(contract) {
            Some(named) => Ok(Some(named)),
            None => ask(Question::Symbol).await.map(|hex| hex.as_deref().and_then(abi::string)),
        };
        let decimals = ask(Question::Decimals).await.map(|hex| hex.as_deref().and_then(abi::small_uint));
        let settled = !symbol.as_ref().is_err_and(ChainError::is_transient)
            && !decimals.as_ref().is_err_and(ChainError::is_transient);
        let meta = TokenMeta { symbol: symbol.ok().flatten(), decimals: decimals.ok().flatten() };
        if settled {
            let mut read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            read.insert(contract.to_ascii_lowercase(), meta.clone());
        }
        meta
    }
}

/// What a token is asked: its `symbol()` and its `decimals()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Symbol,
    Decimals,
}

impl Question {
    /// The function's signature, as TRON's `triggerconstantcontract` takes it.
    pub fn signature(self) -> &'static str {
        match self {
            Question::Symbol => "symbol()",
            Question::Decimals => "decimals()",
        }
    }

    /// The function's selector, the call data of an `eth_call`.
    pub fn selector(self) -> &'static str {
        match self {
            Question::Symbol => "0x95d89b41",
            Question::Decimals => "0x313ce567",
        }
    }
}
