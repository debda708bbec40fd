//! Quality reviews: the rubric leads score against, the reviews they write of a resolved
//! conversation's cycle, and each agent's mean score for reports.

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::{AgentId, ConversationId, Millis, Status};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// A review as agents read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: i64,
    pub conversation_id: ConversationId,
    pub reference: String,
    /// The start of the cycle reviewed (its latest when the review was written).
    pub cycle_started_at: Millis,
    pub agent_id: AgentId,
    pub reviewer_id: AgentId,
    /// Each criterion's score, 1 to 5.
    pub scores: BTreeMap<String, i64>,
    /// Their mean on a 0–100 scale.
    pub score: f64,
    pub comment: String,
    pub created_at: Millis,
}

/// What a lead submits.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub conversation_id: ConversationId,
    /// The agent reviewed; `None`: whoever resolved the cycle, else its first agent.
    pub agent_id: Option<AgentId>,
    pub reviewer_id: AgentId,
    pub scores: BTreeMap<String, i64>,
    pub comment: String,
}

/// The mean of 1–5 scores on a 0–100 scale.
pub fn scaled(scores: &BTreeMap<String, i64>) -> f64 {
    let mean = scores.values().sum::<i64>() as f64 / scores.len().max(1) as f64;
    ((mean - 1.0) / 4.0 * 100.0).clamp(0.0, 100.0)
}

impl Store {
    /// The rubric's criteria.
    pub async fn rubric(&self) -> Result<Vec<String>> {
        let criteria: Option<String> =
            sqlx::query_scalar("SELECT criteria FROM review_rubrics WHERE team_id IS NULL ORDER BY id LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(criteria.and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default())
    }

    /// Replaces the rubric's criteria (1 to 10 distinct names).
    pub async fn set_rubric(&self, criteria: &[String], now: Millis) -> Result<()> {
        let mut names: Vec<String> = criteria.iter().map(|c| c.trim().to_owned()).collect();
        if names.iter().any(|n| n.is_empty() || n.chars().count() > 60) {
            return Err(CoreError::Invalid("a criterion is 1 to 60 characters".into()));
        }
        names.dedup();
        if names.is_empty() || names.len() > 10 || names.len() != criteria.len() {
            return Err(CoreError::Invalid("a rubric has 1 to 10 distinct criteria".into()));
        }
        let json = serde_json::to_string(&names).expect("names serialize");
        sqlx::query("UPDATE review_rubrics SET criteria = $1, updated_at = $2 WHERE team_id IS NULL")
            .bind(json)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records a review of the latest cycle of a resolved conversation, scored on every
    /// criterion of the rubric.
    pub async fn add_review(&self, review: NewReview, now: Millis) -> Result<Review> {
        let rubric = self.rubric().await?;
        let mut named: Vec<&String> = review.scores.keys().collect();
        named.sort();
        let mut wanted: Vec<&String> = rubric.iter().collect();
        wanted.sort();
        if named != wanted {
            return Err(CoreError::Invalid(format!("score every criterion of the rubric: {}", rubric.join(", "))));
        }
        if review.scores.values().any(|s| !(1..=5).contains(s)) {
            return Err(CoreError::Invalid("each score is 1 to 5".into()));
        }
        let conversation = self
            .conversation(review.conversation_id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("conversation {}", review.conversation_id)))?;
        if conversation.status != Status::Resolved {
            return Err(CoreError::Invalid("only a resolved conversation is reviewed".into()));
        }
        let cycle = sqlx::query(
            "SELECT started_at, resolver_id, first_agent_id FROM cycles WHERE conversation_id = $1 \
             ORDER BY started_at DESC LIMIT 1",
        )
        .bind(review.conversation_id)
        .fetch_optional(self.pool())
        .await?;
        let (started, resolver, first): (Millis, Option<AgentId>, Option<AgentId>) = match &cycle {
            Some(row) => (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?),
            None => (conversation.created_at, None, None),
        };
        let agent = review
            .agent_id
            .or(resolver)
            .or(first)
            .ok_or_else(|| CoreError::Invalid("no agent worked on it: name the agent reviewed".into()))?;
        self.agent(agent).await?.ok_or_else(|| CoreError::Invalid(format!("no agent {agent}")))?;
        let score = scaled(&review.scores);
        let scores = serde_json::to_string(&review.scores).expect("scores serialize");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reviews (conversation_id, cycle_started_at, agent_id, reviewer_id, scores, score, comment, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(review.conversation_id)
        .bind(started)
        .bind(agent)
        .bind(review.reviewer_id)
        .bind(scores)
        .bind(score)
        .bind(crate::storable::clean(&review.comment).into_owned())
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(Review {
            id,
            conversation_id: review.conversation_id,
            reference: conversation.reference.to_string(),
            cycle_started_at: started,
            agent_id: agent,
            reviewer_id: review.reviewer_id,
            scores: review.scores,
            score,
            comment: review.comment,
            created_at: now,
        })
    }

    /// Reviews, the newest first: of one agent's work or everyone's, of one conversation or
    /// all.
    pub async fn reviews(&self, agent: Option<AgentId>, conversation: Option<ConversationId>) -> Result<Vec<Review>> {
        let rows = sqlx::query(
            "SELECT r.id, r.conversation_id, v.reference, r.cycle_started_at, r.agent_id, r.reviewer_id, r.scores, \
             r.score, r.comment, r.created_at FROM reviews r JOIN conversations v ON v.id = r.conversation_id \
             WHERE ($1 IS NULL OR r.agent_id = $1) AND ($2 IS NULL OR r.conversation_id = $2) \
             ORDER BY r.id DESC LIMIT 500",
        )
        .bind(agent)
        .bind(conversation)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Review {
                    id: r.try_get(0)?,
                    conversation_id: r.try_get(1)?,
                    reference: r.try_get(2)?,
                    cycle_started_at: r.try_get(3)?,
                    agent_id: r.try_get(4)?,
                    reviewer_id: r.try_get(5)?,
                    scores: serde_json::from_str(&r.try_get::<String, _>(6)?).unwrap_or_default(),
                    score: r.try_get(7)?,
                    comment: r.try_get(8)?,
                    created_at: r.try_get(9)?,
                })
            })
            .collect()
    }

    /// Each reviewed agent's mean score and number of reviews written in `[from, to)`.
    pub async fn review_scores(&self, from: Millis, to: Millis) -> Result<HashMap<AgentId, (f64, u64)>> {
        let rows = sqlx::query(
            "SELECT agent_id, AVG(score), COUNT(*) FROM reviews WHERE created_at >= $1 AND created_at < $2 \
             GROUP BY agent_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, (r.try_get::<f64, _>(1)?, r.try_get::<i64, _>(2)? as u64)))).collect()
    }
}
