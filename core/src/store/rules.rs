//! Automation rules as admins keep them, and each rule's runs on conversations (one per
//! occurrence, so a timer fires once across restarts and instances).

use super::Store;
use crate::clock::now_ms;
use crate::desk::rules::Rule;
use crate::error::{CoreError, Result};
use crate::model::{ConversationId, Millis};
use serde::Serialize;
use sqlx::Row;

/// One run of a rule on a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleRun {
    pub rule_id: i64,
    pub conversation_id: ConversationId,
    /// What fired it (`ledger:<event id>`, `idle:<last message time>`).
    pub occurrence: String,
    pub at: Millis,
    /// What it did, or why it was stopped.
    pub outcome: String,
}

fn rule_of(row: &sqlx::any::AnyRow) -> Result<Rule> {
    let json = |i: usize| -> Result<serde_json::Value> {
        Ok(serde_json::from_str(&row.try_get::<String, _>(i)?).unwrap_or(serde_json::Value::Array(Vec::new())))
    };
    let idle: Option<i64> = row.try_get(3)?;
    Ok(Rule {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        event: serde_json::from_value(serde_json::Value::String(row.try_get(2)?))
            .map_err(|e| CoreError::Invalid(format!("a stored rule's event: {e}")))?,
        idle_for: idle.map(|ms| humantime::format_duration(std::time::Duration::from_millis(ms as u64)).to_string()),
        conditions: serde_json::from_value(json(4)?).unwrap_or_default(),
        actions: serde_json::from_value(json(5)?).unwrap_or_default(),
        enabled: row.try_get::<i64, _>(6)? != 0,
    })
}

impl Store {
    /// Every rule, the oldest first (the order they run in).
    pub async fn rules(&self) -> Result<Vec<Rule>> {
        let rows = sqlx::query(
            "SELECT id, name, event, idle_ms, conditions, actions, enabled FROM automation_rules ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(rule_of).collect()
    }

    pub async fn rule(&self, id: i64) -> Result<Option<Rule>> {
        Ok(self.rules().await?.into_iter().find(|r| r.id == id))
    }

    /// Keeps a rule (`id` 0: a new one); returns its id.
    pub async fn save_rule(&self, rule: Rule) -> Result<i64> {
        let rule = rule.checked().map_err(CoreError::Invalid)?;
        let conditions = serde_json::to_string(&rule.conditions).expect("conditions serialize");
        let actions = serde_json::to_string(&rule.actions).expect("actions serialize");
        let mut tx = self.begin_write().await?;
        let id = match rule.id {
            0 => sqlx::query("INSERT INTO automation_rules (name, event, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(&rule.name)
                .bind(rule.event.as_str())
                .bind(now_ms())
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?,
            id => id,
        };
        let done = sqlx::query(
            "UPDATE automation_rules SET name = $1, event = $2, idle_ms = $3, conditions = $4, actions = $5, \
             enabled = $6 WHERE id = $7",
        )
        .bind(&rule.name)
        .bind(rule.event.as_str())
        .bind(rule.idle_ms())
        .bind(conditions)
        .bind(actions)
        .bind(i64::from(rule.enabled))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("rule {id}")));
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete_rule(&self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM automation_rules WHERE id = $1").bind(id).execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("rule {id}")));
        }
        Ok(())
    }

    /// Records a run unless this occurrence already ran: whether it is new.
    pub async fn record_rule_run(&self, run: &RuleRun) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO rule_runs (rule_id, conversation_id, occurrence, at, outcome) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(run.rule_id)
        .bind(run.conversation_id)
        .bind(&run.occurrence)
        .bind(run.at)
        .bind(&run.outcome)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a recorded run's outcome (what it did, once done).
    pub async fn set_rule_outcome(&self, run: &RuleRun) -> Result<()> {
        sqlx::query(
            "UPDATE rule_runs SET outcome = $1 WHERE rule_id = $2 AND conversation_id = $3 AND occurrence = $4",
        )
        .bind(&run.outcome)
        .bind(run.rule_id)
        .bind(run.conversation_id)
        .bind(&run.occurrence)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// How many times a rule ran on a conversation since `since`.
    pub async fn rule_runs_since(&self, rule: i64, conversation: ConversationId, since: Millis) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM rule_runs WHERE rule_id = $1 AND conversation_id = $2 AND at >= $3 AND outcome <> ''",
        )
        .bind(rule)
        .bind(conversation)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// A conversation's rule runs, the newest first.
    pub async fn rule_runs(&self, conversation: ConversationId) -> Result<Vec<RuleRun>> {
        let rows = sqlx::query(
            "SELECT rule_id, conversation_id, occurrence, at, outcome FROM rule_runs WHERE conversation_id = $1 \
             AND outcome <> '' ORDER BY id DESC LIMIT 200",
        )
        .bind(conversation)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RuleRun {
                    rule_id: r.try_get(0)?,
                    conversation_id: r.try_get(1)?,
                    occurrence: r.try_get(2)?,
                    at: r.try_get(3)?,
                    outcome: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Open conversations quiet since `quiet_since` (no message) that `rule` has not run on for
    /// this quiet spell, the longest quiet first.
    pub async fn idle_for_rule(&self, rule: i64, quiet_since: Millis) -> Result<Vec<(ConversationId, Millis)>> {
        let rows = sqlx::query(
            "SELECT c.id, c.last_message_at FROM conversations c WHERE c.status = 'open' AND c.last_message_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM rule_runs r WHERE r.rule_id = $2 AND r.conversation_id = c.id \
                             AND r.occurrence = 'idle:' || c.last_message_at) \
             ORDER BY c.last_message_at LIMIT 500",
        )
        .bind(quiet_since)
        .bind(rule)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The latest conversations (a dry run's sample), the newest first.
    pub async fn latest_conversation_ids(&self, limit: i64) -> Result<Vec<ConversationId>> {
        let rows = sqlx::query("SELECT id FROM conversations ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}
