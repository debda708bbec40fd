//! What the desk reads to decide (the people's queue, who is there to take it, what changed
//! since it last looked, a cycle's history) and keeps of its own (`desk_state`, presence).

use super::Store;
use crate::desk::sla::{Clocks, Step};
use crate::error::Result;
use crate::model::*;
use sqlx::Row;

/// A conversation in the people's queue, or one the desk looks at.
#[derive(Debug, Clone)]
pub struct Queued {
    pub id: ConversationId,
    pub team_id: Option<i64>,
    pub assignee_id: Option<AgentId>,
    pub priority: Priority,
    pub channel: ChannelKind,
    pub locale: Option<String>,
    pub category: Option<String>,
    /// Since when the customer waits (else when it reached people).
    pub waiting_since: Millis,
    pub handoff_reason: Option<HandoffReason>,
    pub tags: Vec<String>,
    /// When its current cycle began.
    pub cycle: Millis,
}

/// An active agent as assignment sees them.
#[derive(Debug, Clone)]
pub struct Staffed {
    pub id: AgentId,
    pub name: String,
    pub availability: super::agents::Availability,
    /// Online, with the inbox seen within the grace period.
    pub present: bool,
    pub capacity: Option<u32>,
    /// Open conversations assigned to them, per channel.
    pub open: Vec<(ChannelKind, u32)>,
}

/// What the desk last made of a conversation.
#[derive(Debug, Clone, Default)]
pub struct DeskState {
    pub seen: i64,
    pub cycle: Option<Millis>,
    pub policy_id: Option<i64>,
    pub breached: Vec<SlaTarget>,
    pub warned: Vec<SlaTarget>,
}

/// What the desk made of one conversation, to keep.
#[derive(Debug, Clone)]
pub struct KeptState {
    pub id: ConversationId,
    /// The conversation's `updated_at` this accounts for.
    pub updated_at: Millis,
    pub state: DeskState,
    pub clocks: Clocks,
}

/// One ledger event: its id, kind, time and cycle.
#[derive(Debug, Clone)]
pub struct LedgerEvent {
    pub id: i64,
    pub kind: String,
    pub at: Millis,
    pub cycle: Millis,
}

const QUEUED: &str = "c.id, c.team_id, c.assignee_id, c.priority, c.channel, c.locale, c.category, \
     COALESCE(c.waiting_since, c.handoff_at, c.last_message_at), c.handoff_reason, c.tags, \
     COALESCE(c.cycle_started_at, c.created_at)";

fn queued(row: &sqlx::any::AnyRow) -> Result<Queued> {
    Ok(Queued {
        id: row.try_get(0)?,
        team_id: row.try_get(1)?,
        assignee_id: row.try_get(2)?,
        priority: row.try_get::<String, _>(3)?.parse()?,
        channel: row.try_get::<String, _>(4)?.parse()?,
        locale: row.try_get(5)?,
        category: row.try_get(6)?,
        waiting_since: row.try_get(7)?,
        handoff_reason: row.try_get::<Option<String>, _>(8)?.and_then(|r| r.parse().ok()),
        tags: serde_json::from_str(&row.try_get::<String, _>(9)?).unwrap_or_default(),
        cycle: row.try_get(10)?,
    })
}

/// How many unrouted conversations are read at once.
pub const UNROUTED_PAGE: usize = 500;

/// Open and handed to people.
const WITH_PEOPLE: &str = "c.status = 'open' AND c.handoff_at IS NOT NULL";

impl Store {
    /// Handed to people and not routed in this cycle yet, `UNROUTED_PAGE` at most.
    pub async fn desk_unrouted(&self) -> Result<Vec<Queued>> {
        let sql = format!(
            "SELECT {QUEUED} FROM conversations c WHERE {WITH_PEOPLE} \
             AND (c.routed_cycle IS NULL OR c.routed_cycle <> COALESCE(c.cycle_started_at, c.created_at)) \
             ORDER BY c.id LIMIT {UNROUTED_PAGE}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(queued).collect()
    }

    /// The people's queue nobody has: the most urgent first, then the longest waiting.
    pub async fn desk_backlog(&self) -> Result<Vec<Queued>> {
        let sql = format!(
            "SELECT {QUEUED} FROM conversations c WHERE {WITH_PEOPLE} AND c.assignee_id IS NULL \
             ORDER BY CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, 8, c.id \
             LIMIT 1000"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(queued).collect()
    }

    /// Open conversations whose assignee went offline (or was deactivated), and, with `after`,
    /// those whose assignee has not answered the waiting customer within it.
    pub async fn desk_to_reassign(&self, now: Millis, after: Option<i64>) -> Result<Vec<Queued>> {
        let sql = format!(
            "SELECT {QUEUED} FROM conversations c JOIN agents a ON a.id = c.assignee_id WHERE {WITH_PEOPLE} \
             AND (a.availability = 'offline' OR a.disabled = 1 OR ($1 >= 0 AND c.waiting_since IS NOT NULL \
                  AND c.assigned_at IS NOT NULL AND c.assigned_at <= $2 AND c.waiting_since <= $2 \
                  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id \
                                  AND m.author = 'agent' AND m.created_at >= c.assigned_at))) \
             ORDER BY c.id LIMIT 500"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after.unwrap_or(-1))
            .bind(now - after.unwrap_or(0))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(queued).collect()
    }

    /// Every active agent with their presence and open load; `fresh`: the inbox seen since.
    pub async fn desk_staff(&self, fresh: Millis) -> Result<Vec<Staffed>> {
        let rows =
            sqlx::query("SELECT id, name, availability, seen_at, capacity FROM agents WHERE disabled = 0 ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        let mut staff = rows
            .iter()
            .map(|r| {
                let availability: super::agents::Availability = r.try_get::<String, _>(2)?.parse()?;
                let seen: Option<Millis> = r.try_get(3)?;
                Ok(Staffed {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    availability,
                    present: availability == super::agents::Availability::Online && seen.is_some_and(|s| s >= fresh),
                    capacity: r.try_get::<Option<i64>, _>(4)?.map(|c| c.clamp(0, u32::MAX as i64) as u32),
                    open: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let loads = sqlx::query(
            "SELECT assignee_id, channel, COUNT(*) FROM conversations \
             WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id, channel",
        )
        .fetch_all(self.pool())
        .await?;
        for row in loads {
            let agent: AgentId = row.try_get(0)?;
            if let Some(s) = staff.iter_mut().find(|s| s.id == agent) {
                s.open.push((row.try_get::<String, _>(1)?.parse()?, row.try_get::<i64, _>(2)? as u32));
            }
        }
        Ok(staff)
    }

    /// Online agents whose inbox has not been open since `before` become away.
    pub async fn lapse_availability(&self, before: Millis, now: Millis) -> Result<u64> {
        // Looked for first: most looks find nobody, and a read takes no write lock.
        let lapsing = sqlx::query(
            "SELECT COUNT(*) FROM agents WHERE availability = 'online' AND COALESCE(seen_at, availability_at, 0) < $1",
        )
        .bind(before)
        .fetch_one(self.pool())
        .await?
        .try_get::<i64, _>(0)?;
        if lapsing == 0 {
            return Ok(0);
        }
        let done = sqlx::query(
            "UPDATE agents SET availability = 'away', availability_at = $2 \
             WHERE availability = 'online' AND COALESCE(seen_at, availability_at, 0) < $1",
        )
        .bind(before)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// The agent's inbox is open now (its live stream beats).
    pub async fn agent_seen(&self, agent: AgentId, now: Millis) -> Result<()> {
        sqlx::query("UPDATE agents SET seen_at = $1 WHERE id = $2").bind(now).bind(agent).execute(self.pool()).await?;
        Ok(())
    }

    /// Round robin's place in a team (or, with no team, the installation's: team 0).
    pub async fn rotation(&self, team: Option<i64>) -> Result<Option<AgentId>> {
        let row = match team {
            Some(team) => sqlx::query("SELECT rotation FROM teams WHERE id = $1").bind(team),
            None => sqlx::query("SELECT agent_id FROM desk_rotation WHERE id = 0"),
        }
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.try_get::<Option<i64>, _>(0)).transpose()?.flatten())
    }

    pub async fn set_rotation(&self, team: Option<i64>, agent: AgentId) -> Result<()> {
        match team {
            Some(team) => {
                sqlx::query("UPDATE teams SET rotation = $1 WHERE id = $2")
                    .bind(agent)
                    .bind(team)
                    .execute(self.pool())
                    .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO desk_rotation (id, agent_id) VALUES (0, $1) \
                     ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id",
                )
                .bind(agent)
                .execute(self.pool())
                .await?;
            }
        }
        Ok(())
    }

    /// Conversations changed since the desk last looked: open or pending ones, and others
    /// changed since `recent` (a resolution's rules).
    pub async fn desk_changed(&self, recent: Millis) -> Result<Vec<ConversationId>> {
        let rows = sqlx::query(
            "SELECT c.id FROM conversations c LEFT JOIN desk_state d ON d.conversation_id = c.id \
             WHERE (c.status IN ('open', 'pending') OR c.updated_at >= $1) \
             AND (d.conversation_id IS NULL OR d.updated_at <> c.updated_at) ORDER BY c.id LIMIT 2000",
        )
        .bind(recent)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Conversations whose SLA clocks need a look at `now`.
    pub async fn desk_due(&self, now: Millis) -> Result<Vec<ConversationId>> {
        let rows =
            sqlx::query("SELECT conversation_id FROM desk_state WHERE check_at <= $1 ORDER BY check_at LIMIT 2000")
                .bind(now)
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// What the desk made of a conversation last time, and the conversation's `updated_at` now.
    pub async fn desk_state(&self, id: ConversationId) -> Result<(Option<DeskState>, Option<Millis>)> {
        let row = sqlx::query(
            "SELECT d.seen, d.cycle, d.policy_id, d.breached, d.warned, c.updated_at FROM conversations c \
             LEFT JOIN desk_state d ON d.conversation_id = c.id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok((None, None)) };
        let targets = |i: usize| -> Result<Vec<SlaTarget>> {
            let text: Option<String> = row.try_get(i)?;
            Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
        };
        let state = match row.try_get::<Option<i64>, _>(0)? {
            Some(seen) => Some(DeskState {
                seen,
                cycle: row.try_get(1)?,
                policy_id: row.try_get(2)?,
                breached: targets(3)?,
                warned: targets(4)?,
            }),
            None => None,
        };
        Ok((state, row.try_get(5)?))
    }

    /// Keeps what the desk made of conversations, each as of its `updated_at`, in one commit.
    pub async fn put_desk_states(&self, kept: &[KeptState]) -> Result<()> {
        if kept.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for one in kept {
            put_desk_state(&mut tx, one).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Keeps what the desk made of one conversation.
async fn put_desk_state(tx: &mut sqlx::Transaction<'_, sqlx::Any>, one: &KeptState) -> Result<()> {
    let (state, clocks) = (&one.state, &one.clocks);
    let json = |t: &[SlaTarget]| serde_json::to_string(t).expect("targets serialize");
    sqlx::query(
            "INSERT INTO desk_state (conversation_id, updated_at, seen, cycle, policy_id, first_response_due_at, \
             next_response_due_at, resolution_due_at, breached, warned, paused, check_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (conversation_id) DO UPDATE SET \
             updated_at = excluded.updated_at, seen = excluded.seen, cycle = excluded.cycle, \
             policy_id = excluded.policy_id, first_response_due_at = excluded.first_response_due_at, \
             next_response_due_at = excluded.next_response_due_at, resolution_due_at = excluded.resolution_due_at, \
             breached = excluded.breached, warned = excluded.warned, paused = excluded.paused, check_at = excluded.check_at",
        )
        .bind(one.id)
        .bind(one.updated_at)
        .bind(state.seen)
        .bind(state.cycle)
        .bind(state.policy_id)
        .bind(clocks.first_response_due_at)
        .bind(clocks.next_response_due_at)
        .bind(clocks.resolution_due_at)
        .bind(json(&state.breached))
        .bind(json(&state.warned))
        .bind(i64::from(clocks.paused))
        .bind(clocks.check_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The customer's latest words in a conversation (a command such as `/human` is not).
    pub async fn latest_customer_text(&self, id: ConversationId) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT body FROM messages WHERE conversation_id = $1 AND direction = 'inbound' AND body NOT LIKE '/%' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// A conversation's ledger from its `skip`-th event on, in order.
    pub async fn ledger_of(&self, id: ConversationId, skip: i64) -> Result<Vec<LedgerEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, at, cycle FROM ledger WHERE conversation_id = $1 ORDER BY id LIMIT 100000 OFFSET $2",
        )
        .bind(id)
        .bind(skip)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LedgerEvent { id: r.try_get(0)?, kind: r.try_get(1)?, at: r.try_get(2)?, cycle: r.try_get(3)? })
            })
            .collect()
    }
}

/// The steps of a cycle's history the SLA clocks read.
pub fn steps(events: &[LedgerEvent], cycle: Millis) -> Vec<(Step, Millis)> {
    events
        .iter()
        .filter(|e| e.cycle == cycle)
        .filter_map(|e| {
            let step = match e.kind.as_str() {
                "handed_off" => Step::Reached,
                "customer_message" => Step::Customer,
                "agent_reply" => Step::Agent,
                "pending" => Step::Pending,
                "resumed" => Step::Resumed,
                "resolved" => Step::Resolved,
                _ => return None,
            };
            Some((step, e.at))
        })
        .collect()
}
