//! EVM chains over JSON-RPC: pure readings of `eth_getTransactionByHash`,
//! `eth_getTransactionReceipt` and the `Transfer` logs in it, and the calls that fetch them.

use crate::abi;
use crate::endpoint::Endpoint;
use crate::error::ChainError;
use crate::report::{Seen, Status, TokenTransfer};
use crate::tokens::{TokenBook, TokenMeta};
use crate::units;
use serde_json::{Value, json};

/// keccak256("Transfer(address,address,uint256)"): ERC-20's (and TRC-20's) transfer event.
pub const TRANSFER_TOPIC: &str = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// A transaction as `eth_getTransactionByHash` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tx {
    /// None while it waits in the mempool.
    pub block: Option<u64>,
    pub from: Option<String>,
    /// None for a contract creation.
    pub to: Option<String>,
    /// Wei, in decimal digits.
    pub value: String,
}

/// A token transfer from a log, in base units, before the token is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTransfer {
    pub contract: String,
    pub from: String,
    pub to: String,
    pub units: String,
}

/// What a receipt says: success and the token transfers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub success: bool,
    pub block: u64,
    pub transfers: Vec<RawTransfer>,
}

/// A hex quantity (`"0x1b4"`).
pub fn quantity(value: &Value) -> Result<u64, ChainError> {
    let text = value.as_str().ok_or_else(|| ChainError::malformed(format!("{value} is not a hex quantity")))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| ChainError::malformed(format!("{text:?} lacks 0x")))?;
    u64::from_str_radix(digits, 16).map_err(|_| ChainError::malformed(format!("{text:?} is not a hex quantity")))
}

fn text(value: &Value, field: &str) -> Option<String> {
    value.get(field).and_then(Value::as_str).map(str::to_ascii_lowercase)
}

/// `eth_getTransactionByHash`'s result: None when the node does not know it.
pub fn parse_tx(result: &Value) -> Result<Option<Tx>, ChainError> {
    if result.is_null() {
        return Ok(None);
    }
    if !result.is_object() {
        return Err(ChainError::malformed("a transaction that is not an object"));
    }
    let block = match result.get("blockNumber") {
        None | Some(Value::Null) => None,
        Some(number) => Some(quantity(number)?),
    };
    let value = result
        .get("value")
        .and_then(Value::as_str)
        .and_then(units::hex_to_decimal)
        .ok_or_else(|| ChainError::malformed("a transaction without a hex value"))?;
    Ok(Some(Tx { block, from: text(result, "from"), to: text(result, "to"), value }))
}

/// `eth_getTransactionReceipt`'s result: None while there is none (pending, or dropped).
pub fn parse_receipt(result: &Value) -> Result<Option<Receipt>, ChainError> {
    if result.is_null() {
        return Ok(None);
    }
    let block = quantity(result.get("blockNumber").unwrap_or(&Value::Null))?;
    // Before Byzantium receipts had a state root instead of a status; those all succeeded
    // unless they used all their gas, which cannot be told from the receipt alone.
    let success = match result.get("status") {
        None | Some(Value::Null) => true,
        Some(status) => quantity(status)? == 1,
    };
    let logs = result.get("logs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let transfers = logs.iter().filter_map(|log| transfer_in(log, |a| Some(a.to_ascii_lowercase()))).collect();
    Ok(Some(Receipt { success, block, transfers }))
}

/// A fungible `Transfer(from, to, value)` log (ERC-20, TRC-20); an ERC-721 one (the id indexed
/// too) is not. `address` writes a 20-byte hex address as the chain's people read it.
pub fn transfer_in(log: &Value, address: impl Fn(&str) -> Option<String>) -> Option<RawTransfer> {
    let topics: Vec<&str> = log.get("topics")?.as_array()?.iter().filter_map(Value::as_str).collect();
    if topics.len() != 3 || !topics[0].trim_start_matches("0x").eq_ignore_ascii_case(TRANSFER_TOPIC) {
        return None;
    }
    Some(RawTransfer {
        contract: address(log.get("address")?.as_str()?)?,
        from: address(&abi::word_address(topics[1])?)?,
        to: address(&abi::word_address(topics[2])?)?,
        units: units::hex_to_decimal(log.get("data")?.as_str()?)?,
    })
}

/// Looks `hash` up: the transaction, then (once mined) its receipt, the tip and the block's
/// time, and the tokens it moved.
pub async fn look(endpoint: &Endpoint, tokens: &TokenBook, hash: &str) -> Result<Seen, ChainError> {
    let hash =
        if hash.starts_with("0x") { hash.to_ascii_lowercase() } else { format!("0x{}", hash.to_ascii_lowercase()) };
    let Some(tx) = parse_tx(&endpoint.call("eth_getTransactionByHash", json!([hash])).await?)? else {
        return Ok(Seen::not_found());
    };
    let mut seen = Seen { from: tx.from, to: tx.to, amount_units: Some(tx.value), ..Seen::default() };
    if tx.block.is_none() {
        seen.status = Some(Status::Pending);
        return Ok(seen);
    }
    let Some(receipt) = parse_receipt(&endpoint.call("eth_getTransactionReceipt", json!([hash])).await?)? else {
        // A block number but no receipt yet: a node still indexing that block.
        seen.status = Some(Status::Pending);
        return Ok(seen);
    };
    let tip = quantity(&endpoint.call("eth_blockNumber", json!([])).await?)?;
    let block = endpoint.call("eth_getBlockByNumber", json!([format!("0x{:x}", receipt.block), false])).await?;
    seen.time = block.get("timestamp").map(quantity).transpose()?.map(|t| t as i64);
    seen.block = Some(receipt.block);
    seen.confirmations = (tip + 1).saturating_sub(receipt.block);
    seen.status = Some(if receipt.success { Status::Confirmed } else { Status::Failed });
    seen.tokens =
        name_each(receipt.transfers, |contract| async move { token_meta(endpoint, tokens, &contract).await }).await;
    Ok(seen)
}

/// Names transfers with their tokens' symbols and decimals, in whole tokens, asking `meta`
/// once per token contract among them.
pub async fn name_each<F, Fut>(transfers: Vec<RawTransfer>, meta: F) -> Vec<TokenTransfer>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = TokenMeta>,
{
    let mut metas: Vec<(String, TokenMeta)> = Vec::new();
    for contract in transfers.iter().map(|t| t.contract.clone()) {
        if !metas.iter().any(|(c, _)| *c == contract) {
            let found = meta(contract.clone()).await;
            metas.push((contract, found));
        }
    }
    transfers
        .into_iter()
        .map(|t| {
            let meta = metas.iter().find(|(c, _)| *c == t.contract).map(|(_, m)| m.clone()).unwrap_or_default();
            let amount = match meta.decimals {
                Some(decimals) => units::with_decimals(&t.units, decimals),
                None => t.units,
            };
            TokenTransfer {
                contract: t.contract,
                symbol: meta.symbol,
                decimals: meta.decimals,
                amount,
                from: Some(t.from),
                to: Some(t.to),
            }
        })
        .collect()
}

/// The token's symbol and decimals through `eth_call`, asked once; a contract that does not
/// answer is shown by its address and base units.
async fn token_meta(endpoint: &Endpoint, tokens: &TokenBook, contract: &str) -> TokenMeta {
    tokens
        .meta(contract, |question| async move {
            let call = json!([{"to": contract, "data": question.selector()}, "latest"]);
            Ok(endpoint.call("eth_call", call).await?.as_str().map(str::to_owned))
        })
        .await
}
