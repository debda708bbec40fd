//! `/api/v1/automation_rules`: when + conditions → actions, a dry run against the latest
//! conversations, and what rules did on a conversation.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use switchboard_core::desk::automation::Tried;
use switchboard_core::desk::rules::Rule;
use switchboard_core::events::Event;
use switchboard_core::store::rules::RuleRun;

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleList {
    pub automation_rules: Vec<Rule>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DryRun {
    /// How many of the latest conversations were tried.
    pub checked: usize,
    /// Those the rule's conditions hold on, the newest first.
    pub matched: Vec<Tried>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RunList {
    pub runs: Vec<RuleRun>,
}

#[utoipa::path(get, path = "/api/v1/automation_rules", operation_id = "list_automation_rules", tag = "automation",
    responses((status = 200, body = RuleList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<RuleList>, ApiError> {
    Ok(Json(RuleList { automation_rules: state.core.store().rules().await? }))
}

/// `{"name","event","idle_for","conditions":[{"field","operator","value","name"}],"actions":[{"type",…}],"enabled"}`.
#[utoipa::path(post, path = "/api/v1/automation_rules", operation_id = "create_automation_rule", tag = "automation",
    request_body = Rule, responses((status = 201, body = Rule)))]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Rule>), ApiError> {
    let Json(json) = body?;
    let rule = Rule { id: 0, ..read(json)? };
    let id = state.core.store().save_rule(rule).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok((StatusCode::CREATED, Json(stored(&state, id).await?)))
}

/// A change: the fields sent replace the rule's.
#[utoipa::path(patch, path = "/api/v1/automation_rules/{id}", operation_id = "update_automation_rule", tag = "automation",
    request_body = Rule, params(("id" = i64, Path, description = "The rule")), responses((status = 200, body = Rule)))]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Rule>, ApiError> {
    let Json(change) = body?;
    let Value::Object(change) = change else { return Err(ApiError::Unprocessable("expected a JSON object".into())) };
    let mut json = serde_json::to_value(stored(&state, id).await?).expect("rules serialize");
    if let Value::Object(fields) = &mut json {
        fields.extend(change);
    }
    let rule = Rule { id, ..read(json)? };
    state.core.store().save_rule(rule).await?;
    state.core.events().publish(Event::DeskChanged);
    Ok(Json(stored(&state, id).await?))
}

#[utoipa::path(delete, path = "/api/v1/automation_rules/{id}", operation_id = "delete_automation_rule", tag = "automation",
    params(("id" = i64, Path, description = "The rule")), responses((status = 204)))]
pub async fn remove(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    state.core.store().delete_rule(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tries a rule (as it would be saved) on the latest 100 conversations, changing nothing.
#[utoipa::path(post, path = "/api/v1/automation_rules/dry_run", operation_id = "dry_run_automation_rule", tag = "automation",
    request_body = Rule, responses((status = 200, body = DryRun)))]
pub async fn dry_run(
    State(state): State<AppState>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<DryRun>, ApiError> {
    let Json(json) = body?;
    let rule = read(json)?.checked().map_err(ApiError::Unprocessable)?;
    let tried = state.core.try_rule(&rule).await?;
    let checked = tried.len();
    Ok(Json(DryRun { checked, matched: tried.into_iter().filter(|t| t.matches).collect() }))
}

/// What rules did on a conversation, the newest first.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/rule_runs", operation_id = "conversation_rule_runs", tag = "automation",
    params(("id" = i64, Path, description = "The conversation")), responses((status = 200, body = RunList)))]
pub async fn runs(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<RunList>, ApiError> {
    Ok(Json(RunList { runs: state.core.store().rule_runs(id).await? }))
}

async fn stored(state: &AppState, id: i64) -> Result<Rule, ApiError> {
    state.core.store().rule(id).await?.ok_or_else(|| ApiError::NotFound(format!("rule {id}")))
}

/// A rule from its JSON, with what is wrong said plainly.
fn read(json: Value) -> Result<Rule, ApiError> {
    serde_json::from_value(json).map_err(|e| ApiError::Unprocessable(format!("not a rule: {e}")))
}
