//! `/api/v1/reviews`: quality reviews. A lead scores a resolved conversation against the rubric
//! (editable by admins); agents read the reviews of their own work; review scores join the
//! agents' report.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use switchboard_core::clock::now_ms;
use switchboard_core::model::ConversationId;
use switchboard_core::store::agents::Role;
use switchboard_core::store::reviews::{NewReview, Review};

/// The rubric's criteria, each scored 1 to 5.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rubric {
    pub criteria: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/reviews/rubric", operation_id = "review_rubric", tag = "reviews", responses((status = 200, body = Rubric)))]
pub async fn rubric(State(state): State<AppState>) -> Result<Json<Rubric>, ApiError> {
    Ok(Json(Rubric { criteria: state.core.store().rubric().await? }))
}

#[utoipa::path(put, path = "/api/v1/reviews/rubric", operation_id = "set_review_rubric", tag = "reviews", request_body = Rubric, responses((status = 200, body = Rubric)))]
pub async fn set_rubric(
    State(state): State<AppState>,
    body: Result<Json<Rubric>, JsonRejection>,
) -> Result<Json<Rubric>, ApiError> {
    let Json(rubric) = body?;
    state.core.store().set_rubric(&rubric.criteria, now_ms()).await?;
    Ok(Json(Rubric { criteria: state.core.store().rubric().await? }))
}

/// A lead's review of a resolved conversation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewRequest {
    /// Every criterion of the rubric, 1 (poor) to 5 (excellent).
    pub scores: BTreeMap<String, i64>,
    #[serde(default)]
    pub comment: String,
    /// The agent reviewed; default: whoever resolved it, else who answered first.
    pub agent_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/conversations/{id}/reviews", operation_id = "review_conversation", tag = "reviews",
    params(("id" = i64, Path, description = "A resolved conversation")), request_body = ReviewRequest,
    responses((status = 201, body = Review)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    body: Result<Json<ReviewRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let Json(request) = body?;
    if request.comment.chars().count() > 4000 {
        return Err(ApiError::Unprocessable("comment: at most 4000 characters".into()));
    }
    let review = NewReview {
        conversation_id: id,
        agent_id: request.agent_id,
        reviewer_id: session.agent.id,
        scores: request.scores,
        comment: request.comment,
    };
    Ok((StatusCode::CREATED, Json(state.core.store().add_review(review, now_ms()).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Admins: only this agent's reviews.
    pub agent: Option<i64>,
}

/// `GET /api/v1/reviews`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewList {
    pub reviews: Vec<Review>,
}

#[utoipa::path(get, path = "/api/v1/reviews", operation_id = "list_reviews", tag = "reviews", params(ReviewQuery), responses((status = 200, body = ReviewList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    query: Result<Query<ReviewQuery>, QueryRejection>,
) -> Result<Json<ReviewList>, ApiError> {
    let Query(query) = query?;
    // An agent sees the reviews of their own work only.
    let agent = match session.agent.role {
        Role::Admin => query.agent,
        Role::Agent => Some(session.agent.id),
    };
    Ok(Json(ReviewList { reviews: state.core.store().reviews(agent, None).await? }))
}
