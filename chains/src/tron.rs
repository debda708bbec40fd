//! TRON over the java-tron / TronGrid HTTP API: pure readings of `/wallet/gettransactionbyid`,
//! `/wallet/gettransactioninfobyid` (with its TRC-20 `Transfer` logs) and `/wallet/getnowblock`,
//! and the calls that fetch them.

use crate::endpoint::Endpoint;
use crate::error::ChainError;
use crate::evm::{RawTransfer, name_each, transfer_in};
use crate::report::{Seen, Status};
use crate::tokens::{TokenBook, TokenMeta};
use serde_json::{Value, json};

/// A TRON address as people write it (`T…`, base58check) from its hex form (`41…`, or the
/// 20 bytes a log carries).
pub fn address(hex: &str) -> Option<String> {
    // Asked with `"visible": true`, an API answers base58 already.
    if hex.len() == 34 && hex.starts_with('T') && bs58::decode(hex).with_check(None).into_vec().is_ok() {
        return Some(hex.to_owned());
    }
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    let hex = if hex.len() == 40 { format!("41{hex}") } else { hex.to_owned() };
    if hex.len() != 42 || !hex.starts_with("41") {
        return None;
    }
    let bytes: Vec<u8> = (0..21).map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok()).collect::<Option<_>>()?;
    Some(bs58::encode(bytes).with_check().into_string())
}

/// `gettransactionbyid`: who sent what to whom, and the contract's own verdict. `{}` is an
/// unknown transaction.
pub fn parse_tx(tx: &Value) -> Result<Option<Seen>, ChainError> {
    if tx.as_object().is_some_and(serde_json::Map::is_empty) {
        return Ok(None);
    }
    let contract = tx
        .pointer("/raw_data/contract/0")
        .ok_or_else(|| ChainError::malformed("a transaction without raw_data.contract"))?;
    let value = contract.pointer("/parameter/value").unwrap_or(&Value::Null);
    let field = |name: &str| value.get(name).and_then(Value::as_str).and_then(address);
    let mut seen = Seen { status: Some(Status::Pending), from: field("owner_address"), ..Seen::default() };
    match contract.get("type").and_then(Value::as_str) {
        Some("TransferContract") => {
            seen.to = field("to_address");
            seen.amount_units = Some(value.get("amount").and_then(Value::as_u64).unwrap_or(0).to_string());
        }
        Some("TriggerSmartContract") => {
            seen.to = field("contract_address");
            seen.amount_units = Some(value.get("call_value").and_then(Value::as_u64).unwrap_or(0).to_string());
        }
        _ => seen.to = field("to_address").or_else(|| field("contract_address")),
    }
    Ok(Some(seen))
}

/// What `gettransactioninfobyid` adds once the transaction is in a block: the block, its time,
/// success, and the TRC-20 transfers. `{}` means not in a block yet.
pub struct Info {
    pub block: u64,
    /// Unix seconds.
    pub time: Option<i64>,
    pub success: bool,
    pub transfers: Vec<RawTransfer>,
}

pub fn parse_info(info: &Value) -> Result<Option<Info>, ChainError> {
    if info.as_object().is_some_and(serde_json::Map::is_empty) {
        return Ok(None);
    }
    let block =
        info.get("blockNumber").and_then(Value::as_u64).ok_or_else(|| ChainError::malformed("no blockNumber"))?;
    // `result` is only present when the transaction failed ("FAILED"); the receipt's result
    // says how a contract call ended ("SUCCESS", "REVERT", "OUT_OF_ENERGY", …).
    let failed = info.get("result").and_then(Value::as_str) == Some("FAILED")
        || info.pointer("/receipt/result").and_then(Value::as_str).is_some_and(|r| r != "SUCCESS");
    let logs = info.get("log").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let transfers = logs.iter().filter_map(|log| transfer_in(log, address)).collect();
    let time = info.get("blockTimeStamp").and_then(Value::as_i64).map(|ms| ms / 1000);
    Ok(Some(Info { block, time, success: !failed, transfers }))
}

/// `getnowblock`: the newest block's number.
pub fn parse_tip(block: &Value) -> Result<u64, ChainError> {
    block
        .pointer("/block_header/raw_data/number")
        .and_then(Value::as_u64)
        .ok_or_else(|| ChainError::malformed("no block number"))
}

pub async fn look(endpoint: &Endpoint, tokens: &TokenBook, txid: &str) -> Result<Seen, ChainError> {
    let txid = txid.trim_start_matches("0x").to_ascii_lowercase();
    let Some(mut seen) = parse_tx(&endpoint.post("/wallet/gettransactionbyid", &json!({"value": txid})).await?)? else {
        return Ok(Seen::not_found());
    };
    let Some(info) = parse_info(&endpoint.post("/wallet/gettransactioninfobyid", &json!({"value": txid})).await?)?
    else {
        return Ok(seen);
    };
    let tip = parse_tip(&endpoint.post("/wallet/getnowblock", &json!({})).await?)?;
    seen.status = Some(if info.success { Status::Confirmed } else { Status::Failed });
    seen.block = Some(info.block);
    seen.time = info.time;
    seen.confirmations = (tip + 1).saturating_sub(info.block);
    seen.tokens =
        name_each(info.transfers, |contract| async move { token_meta(endpoint, tokens, &contract).await }).await;
    Ok(seen)
}

/// A TRC-20's `symbol()` and `decimals()` through `triggerconstantcontract`, asked once.
async fn token_meta(endpoint: &Endpoint, tokens: &TokenBook, contract: &str) -> TokenMeta {
    tokens
        .meta(contract, |question| async move {
            let call = json!({
                "owner_address": contract, "contract_address": contract,
                "function_selector": question.signature(), "parameter": "", "visible": true,
            });
            let answer = endpoint.post("/wallet/triggerconstantcontract", &call).await?;
            Ok(answer.pointer("/constant_result/0").and_then(Value::as_str).map(str::to_owned))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_in_hex_log_and_base58_forms() {
        let usdt = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
        assert_eq!(address("41a614f803b6fd780986a42c78ec9c7f77e6ded13c").as_deref(), Some(usdt));
        assert_eq!(address("a614f803b6fd780986a42c78ec9c7f77e6ded13c").as_deref(), Some(usdt));
        assert_eq!(address(usdt).as_deref(), Some(usdt));
        assert_eq!(address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"), None);
        assert_eq!(address("42a614f803b6fd780986a42c78ec9c7f77e6ded13c"), None);
    }
}
