//! Complaints: the list (soonest due first), an agent opening one on a conversation, and
//! moving one through its stages with an owner and a due date. Each stage is told to the
//! customer in their language, in the same commit as the change.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_core::clock::now_ms;
use switchboard_core::complaints::{Complaint, ComplaintSource, ComplaintStage, ComplaintStep, may_move, told};
use switchboard_core::l10n::duration_words;
use switchboard_core::model::{Author, ConversationId, Millis, Reference};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::{Change, Changed};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ComplaintList {
    pub complaints: Vec<Complaint>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `open` (default) or `all`.
    state: Option<String>,
}

/// A complaint's change; a field left out stays as it is.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read field by field from the JSON object (to tell `null` from absent)
pub struct ComplaintChange {
    /// `received`, `investigating`, `resolution_proposed` or `closed`: told to the customer.
    stage: Option<String>,
    /// The agent who owns it; `null`: nobody.
    owner_id: Option<i64>,
    /// RFC 3339.
    due_at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/complaints", operation_id = "list_complaints", tag = "complaints",
    params(ListQuery), responses((status = 200, body = ComplaintList)))]
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<ComplaintList>, ApiError> {
    let Query(query) = query?;
    let open_only = match query.state.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(other) => return Err(ApiError::BadRequest(format!("state: {other:?} is not open or all"))),
    };
    Ok(Json(ComplaintList { complaints: state.core.store().complaints(open_only, now_ms()).await? }))
}

/// A complaint's change: its stage, its owner (`Some(None)`: nobody), its due date.
type Asked = (Option<ComplaintStage>, Option<Option<i64>>, Option<Millis>);

/// A complaint an agent opens; without a body (or a due date) it is due after
/// `SWITCHBOARD_COMPLAINT_DUE`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenComplaint {
    /// RFC 3339, in the future.
    pub due_at: Option<String>,
}

/// Opens a complaint on the conversation for the customer (it goes to people); they are told.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/complaint", operation_id = "open_complaint",
    tag = "complaints", request_body = OpenComplaint, params(("id" = i64, Path, description = "The conversation")),
    responses((status = 200, body = Complaint)))]
pub async fn open(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    body: Result<Json<OpenComplaint>, JsonRejection>,
) -> Result<Json<Complaint>, ApiError> {
    let now = now_ms();
    let asked = match body {
        Ok(Json(asked)) => asked,
        // No body at all: the installation's due date.
        Err(JsonRejection::MissingJsonContentType(_)) => OpenComplaint::default(),
        Err(rejection) => return Err(rejection.into()),
    };
    let due_at = match asked.due_at.as_deref() {
        Some(text) => Some(
            parse_time(text)
                .filter(|t| *t > now)
                .ok_or_else(|| ApiError::Unprocessable("due_at: a future time like 2026-12-24T12:00:00Z".into()))?,
        ),
        None => None,
    };
    let store = state.core.store();
    if store.conversation(id).await?.is_none() {
        return Err(ApiError::NotFound(format!("conversation {id}")));
    }
    if store.complaint(id, now).await?.is_some_and(|c| c.closed_at.is_none()) {
        return Err(ApiError::Unprocessable("the conversation has an open complaint".into()));
    }
    let due_in = due_at.map_or(state.core.complaint_due().as_millis() as Millis, |at| at - now);
    let step = ComplaintStep::Open { source: ComplaintSource::Agent, due_in };
    let update = ConversationUpdate {
        id,
        handoff: Some(true),
        handoff_reason: Some(switchboard_core::model::HandoffReason::Complaint),
        agent_id: Some(session.agent.id),
        complaint: Some(step),
        ..Default::default()
    };
    tell(&state, id, update, ComplaintStage::Received, now + due_in).await
}

/// Moves the conversation's open complaint on: a new stage is told to the customer.
#[utoipa::path(patch, path = "/api/v1/conversations/{id}/complaint", operation_id = "change_complaint",
    tag = "complaints", request_body = ComplaintChange, params(("id" = i64, Path, description = "The conversation")),
    responses((status = 200, body = Complaint)))]
pub async fn change(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<Complaint>, ApiError> {
    let Json(fields) = body?;
    let now = now_ms();
    let store = state.core.store();
    let Some(current) = store.complaint(id, now).await?.filter(|c| c.closed_at.is_none()) else {
        return Err(ApiError::NotFound(format!("an open complaint on conversation {id}")));
    };
    let (stage, owner, due_at) = change_of(&fields)?;
    let step = ComplaintStep::Change { stage, owner, due_at };
    if let Some(stage) = stage {
        may_move(current.stage, stage)?;
    }
    if let Some(Some(owner)) = owner
        && store.agent(owner).await?.is_none_or(|a| a.disabled)
    {
        return Err(ApiError::Unprocessable(format!("owner_id: agent {owner} does not exist or is deactivated")));
    }
    let update =
        ConversationUpdate { id, agent_id: Some(session.agent.id), complaint: Some(step), ..Default::default() };
    let due = due_at.unwrap_or_else(|| parse_time(&current.due_at).unwrap_or(now));
    match stage {
        Some(stage) => tell(&state, id, update, stage, due).await,
        None => {
            state.core.update_conversation(update).await?;
            stored(&state, id).await
        }
    }
}

/// The change and the customer's notice of `stage`, in one commit.
async fn tell(
    state: &AppState,
    id: ConversationId,
    update: ConversationUpdate,
    stage: ComplaintStage,
    due_at: Millis,
) -> Result<Json<Complaint>, ApiError> {
    let conversation = state.core.store().conversation(id).await?;
    let conversation = conversation.ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
    let locale = conversation.locale.clone().unwrap_or_default();
    let l10n = state.core.localizer();
    let left = std::time::Duration::from_millis((due_at - now_ms()).max(60_000) as u64);
    let body = told(l10n, &locale, stage, &Reference(id).to_string(), &duration_words(l10n, &locale, left));
    let notice = Post::new(id, Author::System, None, body, PostKind::Reply { channel: None });
    let mut results = state.core.apply_together(vec![Change::Update(update), Change::Post(notice)]).await.into_iter();
    match results.next() {
        Some(Ok(Changed::Updated)) => {}
        Some(Err(error)) => return Err(error.into()),
        _ => return Err(ApiError::Internal("the complaint's change was not answered".into())),
    }
    if let Some(Err(error)) = results.next() {
        // The change is made; only the notice could not go (no channel to reach the customer).
        tracing::warn!(%error, conversation = id, "a complaint's stage could not be told to the customer");
    }
    stored(state, id).await
}

async fn stored(state: &AppState, id: ConversationId) -> Result<Json<Complaint>, ApiError> {
    let found = state.core.store().complaint(id, now_ms()).await?;
    found.map(Json).ok_or_else(|| ApiError::NotFound(format!("a complaint on conversation {id}")))
}

fn parse_time(text: &str) -> Option<Millis> {
    text.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

/// What a JSON object changes — stage, owner, due date — checked field by field.
fn change_of(fields: &Map<String, Value>) -> Result<Asked, ApiError> {
    let (mut stage, mut owner, mut due_at) = (None, None, None);
    for (key, value) in fields {
        let invalid = |what: &str| ApiError::Unprocessable(format!("{key}: {what}"));
        match key.as_str() {
            "stage" => {
                let all: Vec<&str> = ComplaintStage::ALL.iter().map(|s| s.as_str()).collect();
                let parsed = value.as_str().and_then(|s| s.parse::<ComplaintStage>().ok());
                stage = Some(parsed.ok_or_else(|| invalid(&format!("one of {}", all.join(", "))))?);
            }
            "owner_id" => {
                owner = Some(match value {
                    Value::Null => None,
                    other => Some(other.as_i64().ok_or_else(|| invalid("expected an agent id or null"))?),
                });
            }
            "due_at" => {
                let parsed = value.as_str().and_then(parse_time);
                due_at = Some(parsed.ok_or_else(|| invalid("expected a time like 2026-12-24T12:00:00Z"))?);
            }
            "id" | "conversation_id" | "source" | "opened_at" | "closed_at" | "overdue" => {}
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field of a complaint"))),
        }
    }
    if stage.is_none() && owner.is_none() && due_at.is_none() {
        return Err(ApiError::Unprocessable("name a stage, an owner_id or a due_at".into()));
    }
    Ok((stage, owner, due_at))
}
