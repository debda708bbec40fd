//! `/api/v1/tx/{value}`: a transaction looked up on the configured chains, as
//! `switchboard tx lookup` prints it; `/api/v1/addresses/{value}`: what an address holds there.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use switchboard_chains::{AddressLookup, Lookup, LookupError};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// Ask the chains again rather than answer from the recent lookups (a card's refresh).
    #[serde(default)]
    fresh: bool,
}

/// Every configured chain the value's format fits is asked; chains whose endpoint failed are
/// listed in `errors`. 422 when no chain is configured, 400 when the value is no transaction
/// id of a configured chain.
#[utoipa::path(get, path = "/api/v1/tx/{value}", operation_id = "lookup_transaction", tag = "chains",
    params(("value" = String, Path, description = "A transaction hash or signature"), LookupQuery),
    responses((status = 200, body = Lookup)))]
pub async fn lookup(
    State(state): State<AppState>,
    Path(value): Path<String>,
    query: Result<Query<LookupQuery>, QueryRejection>,
) -> Result<Json<Lookup>, ApiError> {
    let Query(query) = query?;
    state.chains.lookup(&value, query.fresh).await.map(Json).map_err(refused)
}

/// The native balance the address holds on every configured chain of its kind (always asked
/// afresh). 422 when no chain is configured, 400 when the value is no address of one.
#[utoipa::path(get, path = "/api/v1/addresses/{value}", operation_id = "lookup_address", tag = "chains",
    params(("value" = String, Path, description = "An EVM, Bitcoin, TRON or Solana address")),
    responses((status = 200, body = AddressLookup)))]
pub async fn address(
    State(state): State<AppState>,
    Path(value): Path<String>,
) -> Result<Json<AddressLookup>, ApiError> {
    state.chains.address(&value).await.map(Json).map_err(refused)
}

fn refused(error: LookupError) -> ApiError {
    match error {
        LookupError::NoChains => ApiError::Unprocessable(error.to_string()),
        LookupError::NotAHash(_) | LookupError::NotAnAddress(_) => ApiError::BadRequest(error.to_string()),
    }
}
