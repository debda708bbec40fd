//! What reports are computed from: the conversation cycles that began in a period (the
//! `cycles` rollup the ledger keeps, with each cycle's category, reference and survey), and
//! which agents replied in each.

use super::Store;
use crate::error::Result;
use crate::model::*;
use sqlx::Row;
use std::collections::HashMap;

/// One conversation cycle: from its opening (or a reopening) to its resolution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CycleRow {
    pub conversation_id: ConversationId,
    pub reference: String,
    pub started_at: Millis,
    /// Began with a reopening rather than the conversation's opening.
    pub reopened: bool,
    /// When the conversation opened (its first cycle's start).
    pub opened_at: Millis,
    pub channel: String,
    pub locale: Option<String>,
    pub category: Option<String>,
    /// When people were reached: a hand-off, or the cycle's start where no bot answered.
    pub reached_at: Option<Millis>,
    /// The first reply of an agent.
    pub first_human_at: Option<Millis>,
    pub first_agent_id: Option<AgentId>,
    pub assignee_id: Option<AgentId>,
    pub handoff_reason: Option<String>,
    pub customer_messages: i64,
    pub bot_replies: i64,
    pub agent_replies: i64,
    pub resolved_at: Option<Millis>,
    /// `agent`, `bot` (the customer said it was solved) or `idle` (the bot's answer met silence).
    pub resolved_by: Option<String>,
    pub resolver_id: Option<AgentId>,
    /// The cycle's survey: `due`, `asked`, `rated`, `cancelled`, `skipped`.
    pub survey: Option<String>,
    pub rating: Option<i64>,
    pub comment: Option<String>,
    /// Replies per agent in this cycle (who is credited with it).
    pub agents: Vec<(AgentId, i64)>,
    /// Its team, the SLA policy it was held to, and how many of its targets it missed.
    pub team_id: Option<i64>,
    pub sla_policy_id: Option<i64>,
    pub sla_breaches: i64,
}

impl Store {
    /// The cycles that began in `[from, to)`, the earliest first, with the agents who replied in
    /// each.
    pub async fn report_cycles(&self, from: Millis, to: Millis) -> Result<Vec<CycleRow>> {
        let rows = sqlx::query(
            "SELECT c.conversation_id, v.reference, c.started_at, c.reopened, c.channel, c.locale, v.category, \
             c.reached_at, c.first_human_at, c.first_agent_id, c.assignee_id, c.handoff_reason, c.customer_messages, \
             c.bot_replies, c.agent_replies, c.resolved_at, c.resolved_by, c.resolver_id, s.state, s.rating, s.comment, \
             v.created_at, c.team_id, c.sla_policy_id, c.sla_breaches \
             FROM cycles c JOIN conversations v ON v.id = c.conversation_id \
             LEFT JOIN surveys s ON s.conversation_id = c.conversation_id AND s.cycle_started_at = c.started_at \
             WHERE c.started_at >= $1 AND c.started_at < $2 ORDER BY c.started_at, c.conversation_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut cycles = rows.iter().map(cycle_of).collect::<Result<Vec<_>>>()?;
        let mut credits: HashMap<(ConversationId, Millis), Vec<(AgentId, i64)>> = HashMap::new();
        let replies = sqlx::query(
            "SELECT conversation_id, cycle, agent_id, COUNT(*) FROM ledger \
             WHERE kind = 'agent_reply' AND agent_id IS NOT NULL AND cycle >= $1 AND cycle < $2 \
             GROUP BY conversation_id, cycle, agent_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        for row in replies {
            let key = (row.try_get(0)?, row.try_get(1)?);
            credits.entry(key).or_default().push((row.try_get(2)?, row.try_get(3)?));
        }
        for cycle in &mut cycles {
            if let Some(mut agents) = credits.remove(&(cycle.conversation_id, cycle.started_at)) {
                agents.sort_unstable();
                cycle.agents = agents;
            }
        }
        Ok(cycles)
    }
}

fn cycle_of(r: &sqlx::any::AnyRow) -> Result<CycleRow> {
    Ok(CycleRow {
        conversation_id: r.try_get(0)?,
        reference: r.try_get(1)?,
        started_at: r.try_get(2)?,
        reopened: r.try_get::<i64, _>(3)? != 0,
        channel: r.try_get(4)?,
        locale: r.try_get(5)?,
        category: r.try_get(6)?,
        reached_at: r.try_get(7)?,
        first_human_at: r.try_get(8)?,
        first_agent_id: r.try_get(9)?,
        assignee_id: r.try_get(10)?,
        handoff_reason: r.try_get(11)?,
        customer_messages: r.try_get(12)?,
        bot_replies: r.try_get(13)?,
        agent_replies: r.try_get(14)?,
        resolved_at: r.try_get(15)?,
        resolved_by: r.try_get(16)?,
        resolver_id: r.try_get(17)?,
        survey: r.try_get(18)?,
        rating: r.try_get(19)?,
        comment: r.try_get(20)?,
        opened_at: r.try_get(21)?,
        agents: Vec::new(),
        team_id: r.try_get(22)?,
        sla_policy_id: r.try_get(23)?,
        sla_breaches: r.try_get(24)?,
    })
}

impl Store {
    /// What customers asked that the bot had no confident answer to, in the cycles that began
    /// in `[from, to)`: the last message before each such hand-off, with the cycle's language.
    pub async fn unanswered_questions(&self, from: Millis, to: Millis) -> Result<Vec<(String, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT (SELECT m.body FROM messages m WHERE m.conversation_id = c.conversation_id \
                     AND m.direction = 'inbound' AND m.author = 'contact' AND m.created_at >= c.started_at \
                     AND m.created_at <= c.reached_at ORDER BY m.id DESC LIMIT 1), c.locale \
             FROM cycles c WHERE c.started_at >= $1 AND c.started_at < $2 AND c.handoff_reason = 'not_sure' \
             ORDER BY c.started_at LIMIT 20000",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut questions = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(body) = row.try_get::<Option<String>, _>(0)? {
                questions.push((body, row.try_get(1)?));
            }
        }
        Ok(questions)
    }
}

/// A day of the report versions (UTC).
pub(crate) const VERSION_DAY: Millis = 86_400_000;

/// The statement raising the version of each day (UTC) in which a cycle `starts` selects began
/// (`SELECT <a cycle's start> AS start …`): a day tally of it kept before no longer holds.
pub(crate) fn raise_versions(starts: &str) -> String {
    format!(
        "INSERT INTO report_versions (day, version) SELECT DISTINCT start / {VERSION_DAY}, 1 FROM ({starts}) AS s \
         WHERE true ON CONFLICT (day) DO UPDATE SET version = report_versions.version + 1"
    )
}
