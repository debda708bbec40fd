//! Solana over JSON-RPC: pure readings of `getSignatureStatuses` (where a signature stands) and
//! `getTransaction` in `jsonParsed` encoding (the lamports and SPL tokens it moved, from the
//! balances before and after), and the calls that fetch them.

use crate::endpoint::Endpoint;
use crate::error::ChainError;
use crate::report::{Seen, Status, TokenTransfer};
use crate::tokens::TokenBook;
use crate::units;
use serde_json::{Value, json};

/// Where a signature stands: `getSignatureStatuses`'s one value. None: unknown.
pub fn parse_status(result: &Value) -> Result<Option<Seen>, ChainError> {
    let value = result
        .get("value")
        .and_then(Value::as_array)
        .and_then(|values| values.first())
        .ok_or_else(|| ChainError::malformed("getSignatureStatuses without value[0]"))?;
    if value.is_null() {
        return Ok(None);
    }
    let level = value.get("confirmationStatus").and_then(Value::as_str).unwrap_or("processed");
    let failed = value.get("err").is_some_and(|e| !e.is_null());
    let status = match (failed, level) {
        (true, _) => Status::Failed,
        // Seen by one validator only: it may still be dropped.
        (false, "processed") => Status::Pending,
        (false, _) => Status::Confirmed,
    };
    Ok(Some(Seen {
        status: Some(status),
        // `confirmations` is null once the block is rooted (finalized).
        confirmations: value.get("confirmations").and_then(Value::as_u64).unwrap_or(0),
        finalized: level == "finalized",
        block: value.get("slot").and_then(Value::as_u64),
        ..Seen::default()
    }))
}

/// Adds what `getTransaction` (jsonParsed) shows: the time, the fee payer, the largest
/// lamport credit, and each SPL token's movement from its owners that lost to those that
/// gained.
pub fn add_transaction(seen: &mut Seen, tx: &Value, tokens: &TokenBook) -> Result<(), ChainError> {
    if tx.is_null() {
        return Ok(());
    }
    let keys: Vec<String> = tx
        .pointer("/transaction/message/accountKeys")
        .and_then(Value::as_array)
        .ok_or_else(|| ChainError::malformed("getTransaction without accountKeys"))?
        .iter()
        .map(|key| key.get("pubkey").or(Some(key)).and_then(Value::as_str).unwrap_or_default().to_owned())
        .collect();
    let meta = tx.get("meta").ok_or_else(|| ChainError::malformed("getTransaction without meta"))?;
    let balances = |field: &str| -> Vec<u64> {
        meta.get(field)
            .and_then(Value::as_array)
            .map(|b| b.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default()
    };
    let (pre, post) = (balances("preBalances"), balances("postBalances"));
    seen.time = tx.get("blockTime").and_then(Value::as_i64);
    seen.from = keys.first().cloned();
    let credit = (1..keys.len())
        .filter_map(|i| Some((i, post.get(i)?.checked_sub(*pre.get(i)?)?)))
        .filter(|(_, gained)| *gained > 0)
        .max_by_key(|(_, gained)| *gained);
    seen.to = credit.map(|(i, _)| keys[i].clone());
    seen.amount_units = Some(credit.map_or(0, |(_, gained)| gained).to_string());
    seen.tokens = token_moves(meta, tokens);
    Ok(())
}

/// One owner's balance of one mint, before or after.
struct Holding {
    index: u64,
    mint: String,
    owner: Option<String>,
    units: u128,
    decimals: Option<u32>,
}

fn holdings(meta: &Value, field: &str) -> Vec<Holding> {
    let list = meta.get(field).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .filter_map(|b| {
            Some(Holding {
                index: b.get("accountIndex")?.as_u64()?,
                mint: b.get("mint")?.as_str()?.to_owned(),
                owner: b.get("owner").and_then(Value::as_str).map(str::to_owned),
                units: b.pointer("/uiTokenAmount/amount")?.as_str()?.parse().ok()?,
                decimals: b.pointer("/uiTokenAmount/decimals").and_then(Value::as_u64).map(|d| d as u32),
            })
        })
        .collect()
}

fn token_moves(meta: &Value, tokens: &TokenBook) -> Vec<TokenTransfer> {
    let (pre, post) = (holdings(meta, "preTokenBalances"), holdings(meta, "postTokenBalances"));
    let before = |h: &Holding| pre.iter().find(|p| p.index == h.index && p.mint == h.mint).map_or(0, |p| p.units);
    let mut moves = Vec::new();
    for gained in post.iter().filter(|h| h.units > before(h)) {
        // Whoever of the same mint lost the most paid.
        let payer = pre
            .iter()
            .filter(|p| p.mint == gained.mint)
            .filter_map(|p| {
                let after = post.iter().find(|h| h.index == p.index && h.mint == p.mint).map_or(0, |h| h.units);
                p.units.checked_sub(after).filter(|lost| *lost > 0).map(|lost| (lost, p))
            })
            .max_by_key(|(lost, _)| *lost)
            .and_then(|(_, p)| p.owner.clone());
        let units = (gained.units - before(gained)).to_string();
        moves.push(TokenTransfer {
            contract: gained.mint.clone(),
            symbol: tokens.named(&gained.mint),
            decimals: gained.decimals,
            amount: gained.decimals.map_or_else(|| units.clone(), |d| units::with_decimals(&units, d)),
            from: payer,
            to: gained.owner.clone(),
        });
    }
    moves
}

pub async fn look(endpoint: &Endpoint, tokens: &TokenBook, signature: &str) -> Result<Seen, ChainError> {
    let statuses =
        endpoint.call("getSignatureStatuses", json!([[signature], {"searchTransactionHistory": true}])).await?;
    let Some(mut seen) = parse_status(&statuses)? else {
        return Ok(Seen::not_found());
    };
    if seen.status != Some(Status::Pending) {
        let config = json!({"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0, "commitment": "confirmed"});
        let tx = endpoint.call("getTransaction", json!([signature, config])).await?;
        add_transaction(&mut seen, &tx, tokens)?;
    }
    Ok(seen)
}
