//! Bitcoin over the Esplora HTTP API (mempool.space, Blockstream, electrs): pure readings of
//! `GET /tx/:txid` and `GET /blocks/tip/height`, and the calls that fetch them.

use crate::endpoint::Endpoint;
use crate::error::ChainError;
use crate::report::{Seen, Status};
use serde_json::Value;

/// `GET /tx/:txid`'s JSON: where it stands, who paid, and what went to others.
pub fn parse_tx(tx: &Value) -> Result<Seen, ChainError> {
    let status = tx.get("status").ok_or_else(|| ChainError::malformed("a transaction without status"))?;
    let confirmed = status.get("confirmed").and_then(Value::as_bool).unwrap_or(false);
    let address = |io: &Value| io.get("scriptpubkey_address").and_then(Value::as_str).map(str::to_owned);
    let value = |io: &Value| io.get("value").and_then(Value::as_u64);
    let inputs: Vec<Option<String>> = tx
        .get("vin")
        .and_then(Value::as_array)
        .ok_or_else(|| ChainError::malformed("a transaction without vin"))?
        .iter()
        .map(|vin| vin.get("prevout").and_then(address))
        .collect();
    let outputs: Vec<(Option<String>, u64)> = tx
        .get("vout")
        .and_then(Value::as_array)
        .ok_or_else(|| ChainError::malformed("a transaction without vout"))?
        .iter()
        .map(|vout| Ok((address(vout), value(vout).ok_or_else(|| ChainError::malformed("an output without value"))?)))
        .collect::<Result<_, ChainError>>()?;
    // Change goes back to an input's address; what went elsewhere is what was sent.
    let sent: Vec<&(Option<String>, u64)> =
        outputs.iter().filter(|(to, _)| to.is_some() && !inputs.contains(to)).collect();
    let (to, amount) = match sent.first() {
        Some((to, _)) => (to.clone(), sent.iter().map(|(_, v)| v).sum::<u64>()),
        None => (outputs.first().and_then(|(to, _)| to.clone()), outputs.iter().map(|(_, v)| v).sum()),
    };
    Ok(Seen {
        status: Some(if confirmed { Status::Confirmed } else { Status::Pending }),
        block: if confirmed { status.get("block_height").and_then(Value::as_u64) } else { None },
        time: if confirmed { status.get("block_time").and_then(Value::as_i64) } else { None },
        from: inputs.into_iter().flatten().next(),
        to,
        amount_units: Some(amount.to_string()),
        ..Seen::default()
    })
}

/// Looks `txid` up; a hash the API does not know (404, or 400 for one that is not a txid)
/// is not found.
pub async fn look(endpoint: &Endpoint, txid: &str) -> Result<Seen, ChainError> {
    let txid = txid.trim_start_matches("0x").to_ascii_lowercase();
    let (status, body) = endpoint.get(&format!("/tx/{txid}")).await?;
    match status {
        200 => {}
        400 | 404 => return Ok(Seen::not_found()),
        status => return Err(ChainError::http(status, &body)),
    }
    let tx: Value = serde_json::from_str(&body).map_err(|_| ChainError::malformed("/tx: not JSON"))?;
    let mut seen = parse_tx(&tx)?;
    if let Some(block) = seen.block {
        let tip: u64 = endpoint
            .get_ok("/blocks/tip/height")
            .await?
            .trim()
            .parse()
            .map_err(|_| ChainError::malformed("/blocks/tip/height: not a number"))?;
        seen.confirmations = (tip + 1).saturating_sub(block);
    }
    Ok(seen)
}
