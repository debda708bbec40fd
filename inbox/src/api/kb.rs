//! The knowledge base, for agents to read and admins to edit; the bot follows every change.

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_core::events::Event;
use switchboard_core::store::kb::KbArticle;

#[utoipa::path(get, path = "/api/v1/kb/articles", operation_id = "list_articles", tag = "knowledge base", responses((status = 200, body = crate::wire::ArticleList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<crate::wire::ArticleList>, ApiError> {
    Ok(Json(crate::wire::ArticleList { articles: state.core.store().kb_articles().await? }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ArticleBody {
    topic: String,
    locale: String,
    title: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    questions: Vec<String>,
    body: String,
    #[serde(default)]
    retired: bool,
    #[serde(default)]
    handoff: bool,
}

/// Adds or changes the article `id`.
#[utoipa::path(put, path = "/api/v1/kb/articles/{id}", operation_id = "put_article", tag = "knowledge base", request_body = ArticleBody,
    params(("id" = String, Path, description = "The article, e.g. `deposit-missing.en`")), responses((status = 200, body = KbArticle)))]
pub async fn put(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<ArticleBody>, JsonRejection>,
) -> Result<Json<KbArticle>, ApiError> {
    let Json(a) = body?;
    let invalid = |what: &str| ApiError::Unprocessable(what.to_owned());
    if id.trim().is_empty() || id.len() > 200 {
        return Err(invalid("id: 1 to 200 characters"));
    }
    if a.topic.trim().is_empty() || a.title.trim().is_empty() || a.body.trim().is_empty() {
        return Err(invalid("topic, title and body must not be empty"));
    }
    let locale = state
        .core
        .localizer()
        .negotiate(&a.locale)
        .map(str::to_owned)
        .ok_or_else(|| invalid(&format!("locale: {:?} is not a language of this installation", a.locale)))?;
    let article = KbArticle {
        id,
        topic: a.topic.trim().to_owned(),
        locale,
        title: a.title.trim().to_owned(),
        tags: a.tags,
        questions: a.questions.into_iter().map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()).collect(),
        body: a.body.trim().to_owned(),
        retired: a.retired,
        handoff: a.handoff,
    };
    state.core.store().upsert_kb_article(&article).await?;
    state.core.events().publish(Event::KnowledgeChanged);
    Ok(Json(article))
}

/// Retires the article: kept for the record, never answered with again.
#[utoipa::path(delete, path = "/api/v1/kb/articles/{id}", operation_id = "retire_article", tag = "knowledge base",
    params(("id" = String, Path, description = "The article")), responses((status = 204, description = "Retired")))]
pub async fn retire(State(state): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    if !state.core.store().retire_kb_article(&id).await? {
        return Err(ApiError::NotFound(format!("article {id}")));
    }
    state.core.events().publish(Event::KnowledgeChanged);
    Ok(StatusCode::NO_CONTENT)
}

/// The questions that reached an article.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ArticleQuestions {
    /// The last 50, the newest first: what customers asked when the bot answered with this
    /// article (`answered`) or offered it (`offered`).
    pub questions: Vec<switchboard_core::store::kb::KbQuestion>,
}

#[utoipa::path(get, path = "/api/v1/kb/articles/{id}/questions", operation_id = "article_questions", tag = "knowledge base",
    params(("id" = String, Path, description = "The article")), responses((status = 200, body = ArticleQuestions)))]
pub async fn questions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ArticleQuestions>, ApiError> {
    Ok(Json(ArticleQuestions { questions: state.core.store().kb_questions(&id, 50).await? }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PreviewBody {
    /// An article's (or a reply's) Markdown.
    body: String,
}

/// Markdown as the web chat and e-mail show it (sanitized HTML).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub html: String,
}

#[utoipa::path(post, path = "/api/v1/kb/preview", operation_id = "preview_markdown", tag = "knowledge base", request_body = PreviewBody,
    responses((status = 200, body = Preview)))]
pub async fn preview(body: Result<Json<PreviewBody>, JsonRejection>) -> Result<Json<Preview>, ApiError> {
    let Json(body) = body?;
    Ok(Json(Preview { html: switchboard_core::markdown::render(&body.body, switchboard_core::markdown::Format::Html) }))
}
