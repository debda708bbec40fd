//! Addresses looked up like transactions: the native balance each fitting chain holds for it
//! and how many transactions it has, from each API's documented answer (pure readings) and the
//! calls that fetch them.

use crate::endpoint::Endpoint;
use crate::error::ChainError;
use crate::evm::quantity;
use crate::settings::Kind;
use crate::units;
use serde::Serialize;
use serde_json::{Value, json};
use switchboard_core::safety::EntityKind;

/// One chain's answer about an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressReport {
    pub chain: String,
    pub network: String,
    pub kind: &'static str,
    /// The native coin held, in whole coins.
    pub balance: String,
    pub symbol: String,
    /// Transactions the chain counts for it, where its API says (EVM: sent; Bitcoin: all).
    pub transactions: Option<u64>,
    /// Whether the chain has ever seen it (a balance, a transaction, an activated account).
    pub used: bool,
}

impl AddressReport {
    /// What `settings`' chain holds for the address, in whole coins.
    pub fn new(settings: &crate::ChainSettings, holding: Holding) -> AddressReport {
        AddressReport {
            chain: settings.name.clone(),
            network: settings.label.clone(),
            kind: settings.kind.as_str(),
            balance: units::with_decimals(&holding.units, settings.kind.native_decimals()),
            symbol: settings.symbol.clone(),
            transactions: holding.transactions,
            used: holding.known,
        }
    }
}

/// Everything known about one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressLookup {
    pub value: String,
    pub results: Vec<AddressReport>,
    pub errors: Vec<crate::ChainFailure>,
}

/// What an address holds: base units and transaction count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub units: String,
    pub transactions: Option<u64>,
    /// Known to the chain even with nothing held (TRON's activated accounts).
    pub known: bool,
}

/// The chain kind an address belongs to, by its validated format.
pub fn kind_of(value: &str) -> Option<Kind> {
    let scan = switchboard_core::safety::scan(value);
    let entity = scan.entities.into_iter().find(|e| e.value == value && e.kind == EntityKind::Address)?;
    Kind::parse(entity.chain).ok()
}

/// Esplora's `GET /address/:address`: funded minus spent, confirmed and in the mempool.
pub fn parse_esplora(answer: &Value) -> Result<Holding, ChainError> {
    let stats = |which: &str, field: &str| answer.pointer(&format!("/{which}/{field}")).and_then(Value::as_u64);
    let funded = stats("chain_stats", "funded_txo_sum").ok_or_else(|| ChainError::malformed("no chain_stats"))?;
    let spent = stats("chain_stats", "spent_txo_sum").unwrap_or(0);
    let mempool = stats("mempool_stats", "funded_txo_sum").unwrap_or(0) as i128
        - stats("mempool_stats", "spent_txo_sum").unwrap_or(0) as i128;
    let balance = (funded as i128 - spent as i128 + mempool).max(0);
    let transactions = stats("chain_stats", "tx_count").unwrap_or(0) + stats("mempool_stats", "tx_count").unwrap_or(0);
    Ok(Holding { units: balance.to_string(), transactions: Some(transactions), known: transactions > 0 })
}

/// java-tron's `getaccount`: `{}` for an account never activated.
pub fn parse_tron(answer: &Value) -> Result<Holding, ChainError> {
    let object = answer.as_object().ok_or_else(|| ChainError::malformed("getaccount: not an object"))?;
    let balance = object.get("balance").and_then(Value::as_u64).unwrap_or(0);
    Ok(Holding { units: balance.to_string(), transactions: None, known: !object.is_empty() })
}

/// Solana's `getBalance`: `{context, value}` in lamports.
pub fn parse_solana(answer: &Value) -> Result<Holding, ChainError> {
    let lamports =
        answer.get("value").and_then(Value::as_u64).ok_or_else(|| ChainError::malformed("getBalance without value"))?;
    Ok(Holding { units: lamports.to_string(), transactions: None, known: lamports > 0 })
}

pub async fn look(endpoint: &Endpoint, kind: Kind, address: &str) -> Result<Holding, ChainError> {
    match kind {
        Kind::Evm => {
            let balance = endpoint.call("eth_getBalance", json!([address, "latest"])).await?;
            let units = balance
                .as_str()
                .and_then(units::hex_to_decimal)
                .ok_or_else(|| ChainError::malformed("eth_getBalance: not a quantity"))?;
            let sent = quantity(&endpoint.call("eth_getTransactionCount", json!([address, "latest"])).await?)?;
            Ok(Holding { known: sent > 0 || units != "0", units, transactions: Some(sent) })
        }
        Kind::Bitcoin => {
            let body = endpoint.get_ok(&format!("/address/{address}")).await?;
            parse_esplora(&serde_json::from_str(&body).map_err(|_| ChainError::malformed("/address: not JSON"))?)
        }
        Kind::Tron => {
            parse_tron(&endpoint.post("/wallet/getaccount", &json!({"address": address, "visible": true})).await?)
        }
        Kind::Solana => parse_solana(&endpoint.call("getBalance", json!([address])).await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_belongs_to_the_chain_its_checksum_says() {
        assert_eq!(kind_of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), Some(Kind::Evm));
        assert_eq!(kind_of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), Some(Kind::Bitcoin));
        assert_eq!(kind_of("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"), Some(Kind::Tron));
        assert_eq!(kind_of("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"), Some(Kind::Solana));
        assert_eq!(kind_of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), None);
        assert_eq!(kind_of("hello"), None);
    }

    #[test]
    fn balances_read_from_each_api() {
        let esplora = json!({"address": "bc1q…", "chain_stats": {"funded_txo_sum": 250000, "spent_txo_sum": 100000, "tx_count": 3},
                             "mempool_stats": {"funded_txo_sum": 0, "spent_txo_sum": 50000, "tx_count": 1}});
        assert_eq!(
            parse_esplora(&esplora).unwrap(),
            Holding { units: "100000".into(), transactions: Some(4), known: true }
        );
        assert_eq!(parse_tron(&json!({})).unwrap(), Holding { units: "0".into(), transactions: None, known: false });
        assert_eq!(parse_tron(&json!({"balance": 25000000, "address": "41…"})).unwrap().units, "25000000");
        assert_eq!(parse_solana(&json!({"context": {"slot": 1}, "value": 2500000000u64})).unwrap().units, "2500000000");
        assert!(parse_solana(&json!({"value": null})).is_err());
    }
}
