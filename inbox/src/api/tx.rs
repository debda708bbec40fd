//! `/api/v1/tx/{value}`: a transaction looked up on the configured chains, as
//! `switchboard tx lookup` prints it.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use switchboard_chains::{Lookup, LookupError};

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
    match state.chains.lookup(&value, query.fresh).await {
        Ok(lookup) => Ok(Json(lookup)),
        Err(error @ LookupError::NoChains) => Err(ApiError::Unprocessable(error.to_string())),
        Err(error @ LookupError::NotAHash(_)) => Err(ApiError::BadRequest(error.to_string())),
    }
}
