//! What a lookup reports, in the JSON `switchboard tx lookup` prints and `/api/v1/tx/{value}`
//! answers: one result per chain the value was looked up on, and the chains that failed.

use serde::Serialize;

/// Where a transaction stands on one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Seen by the node, not yet in a block.
    Pending,
    /// In a block and successful (`confirmations` says how deep).
    Confirmed,
    /// In a block, but reverted or failed: nothing moved but the fee.
    Failed,
    /// Unknown to this chain.
    NotFound,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Confirmed => "confirmed",
            Status::Failed => "failed",
            Status::NotFound => "not_found",
        }
    }
}

/// A token moved by the transaction (ERC-20 / TRC-20 `Transfer`, an SPL balance change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenTransfer {
    /// The token's contract (EVM, TRON) or mint (Solana).
    pub contract: String,
    /// As the token's own `symbol()` says, or the operator's name for it; None when neither.
    pub symbol: Option<String>,
    pub decimals: Option<u32>,
    /// In whole tokens (with `decimals` applied); base units when the decimals are unknown.
    pub amount: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One chain's answer about a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TxReport {
    /// The operator's name for the chain (`ethereum`, `bsc`).
    pub chain: String,
    /// How people call it (`BNB Smart Chain`), the name when none was set.
    pub network: String,
    /// `evm`, `bitcoin`, `tron` or `solana`.
    pub kind: &'static str,
    pub status: Status,
    pub confirmations: u64,
    /// Confirmations the operator counts as final ("credited").
    pub required_confirmations: u64,
    /// Whether it has reached `required_confirmations` successfully.
    pub credited: bool,
    /// About how long until it is credited, from the chain's block time; None once it is (or
    /// when it never will be).
    pub eta_seconds: Option<u64>,
    pub block: Option<u64>,
    /// The block's time, RFC 3339.
    pub time: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The native coin moved, in whole coins.
    pub amount: Option<String>,
    /// The native coin's symbol.
    pub symbol: String,
    pub tokens: Vec<TokenTransfer>,
    /// When the chain dropped a block this transaction was confirmed in: that block.
    pub reorganized_from_block: Option<u64>,
}

/// A chain whose endpoint could not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainFailure {
    pub chain: String,
    pub network: String,
    pub error: String,
}

/// Everything known about one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lookup {
    pub value: String,
    /// One per chain the value's format fits and whose endpoint answered.
    pub results: Vec<TxReport>,
    /// The chains that could not be asked.
    pub errors: Vec<ChainFailure>,
}

impl Lookup {
    /// Where the transaction exists, best first: credited, confirmed, pending, failed.
    pub fn found(&self) -> impl Iterator<Item = &TxReport> {
        let rank = |r: &TxReport| match (r.status, r.credited) {
            (Status::Confirmed, true) => 0,
            (Status::Confirmed, false) => 1,
            (Status::Pending, _) => 2,
            (Status::Failed, _) => 3,
            (Status::NotFound, _) => 4,
        };
        let mut found: Vec<&TxReport> = self.results.iter().filter(|r| r.status != Status::NotFound).collect();
        found.sort_by_key(|r| rank(r));
        found.into_iter()
    }

    /// Whether every chain that was asked failed to answer.
    pub fn all_failed(&self) -> bool {
        self.results.is_empty() && !self.errors.is_empty()
    }
}

/// What a chain's parsed answers say, before the chain's settings (name, confirmations
/// required, block time) make a `TxReport` of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub status: Option<Status>,
    pub confirmations: u64,
    /// The chain says it is final whatever the count (Solana's `finalized`).
    pub finalized: bool,
    pub block: Option<u64>,
    /// Unix seconds.
    pub time: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// In base units.
    pub amount_units: Option<String>,
    pub tokens: Vec<TokenTransfer>,
}

impl Seen {
    pub fn not_found() -> Seen {
        Seen { status: Some(Status::NotFound), ..Seen::default() }
    }
}

/// A chain's reading as reported, with its settings: the confirmations that count, the
/// native coin's decimals and symbol, the time left.
pub fn report(settings: &crate::ChainSettings, seen: Seen) -> TxReport {
    let status = seen.status.unwrap_or(Status::NotFound);
    let required = settings.confirmations;
    let confirmations = if seen.finalized { seen.confirmations.max(required) } else { seen.confirmations };
    let credited = status == Status::Confirmed && confirmations >= required;
    let blocks_left = match status {
        Status::Confirmed if !credited => Some(required - confirmations),
        Status::Pending => Some(required),
        _ => None,
    };
    let decimals = settings.kind.native_decimals();
    TxReport {
        chain: settings.name.clone(),
        network: settings.label.clone(),
        kind: settings.kind.as_str(),
        status,
        confirmations,
        required_confirmations: required,
        credited,
        eta_seconds: blocks_left.map(|n| (settings.block_time * n as u32).as_secs().max(1)),
        block: seen.block,
        time: seen.time.and_then(|t| jiff::Timestamp::from_second(t).ok()).map(|t| t.to_string()),
        from: seen.from,
        to: seen.to,
        amount: seen.amount_units.map(|units| crate::units::with_decimals(&units, decimals)),
        symbol: settings.symbol.clone(),
        tokens: seen.tokens,
        reorganized_from_block: None,
    }
}
