//! The inbox's conversation lists: views and their filters (status, channel, assignee, tag,
//! language, text), the counts of each view, how long a conversation has waited.

use super::Store;
use crate::error::Result;
use crate::model::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// Which conversations an inbox view shows.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    /// `None`: every status.
    pub status: Option<Status>,
    pub channel: Option<ChannelKind>,
    pub assignee: AssigneeFilter,
    pub tag: Option<String>,
    /// A language tag or its prefix (`zh` matches `zh-CN`).
    pub language: Option<String>,
    /// Words to find in the conversation's messages.
    pub search: Option<String>,
    /// `Some(true)`: only conversations whose bot answer waits on the customer (open, no person
    /// on them); `Some(false)`: only the others, the agents' queue.
    pub bot_answered: Option<bool>,
    /// Only conversations whose latest satisfaction rating is low (1 or 2): the team follows
    /// them up.
    pub low_rating: bool,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Unassigned,
    Agent(AgentId),
}

/// A conversation as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ConversationSummary {
    #[serde(flatten)]
    pub conversation: Conversation,
    pub contact_name: String,
    pub waiting_since: Option<Millis>,
    pub last_body: Option<String>,
    /// Under a search: where it found the conversation (the matching message's words, else
    /// the contact's name, the reference or a tag), its hits marked.
    pub found: Option<Vec<crate::search::Segment>>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewCounts {
    /// Open and waiting on people (not on the customer after a bot answer).
    pub open: i64,
    pub pending: i64,
    pub resolved: i64,
    pub mine: i64,
    pub unassigned: i64,
    /// Answered by the bot, waiting on the customer.
    pub bot: i64,
    /// Rated low by the customer (their latest rating), to follow up.
    pub low_rating: i64,
}

/// A conversation the bot answered, that waits on the customer rather than on an agent.
/// Conversation `c`'s latest survey was rated low.
const RATED_LOW: &str = "EXISTS (SELECT 1 FROM surveys s WHERE s.id = \
     (SELECT MAX(id) FROM surveys WHERE conversation_id = c.id AND rating IS NOT NULL) AND s.rating <= 2)";

const WAITS_ON_BOT: &str = "c.status = 'open' AND c.handoff_at IS NULL AND c.bot_answered_at IS NOT NULL";

/// A conversation's SLA clocks, from `desk_state d` joined to `conversations c`.
macro_rules! sla_columns {
    () => {
        "d.policy_id AS sla_policy, d.first_response_due_at AS sla_first, \
         d.next_response_due_at AS sla_next, d.resolution_due_at AS sla_resolution, d.breached AS sla_breached, \
         d.paused AS sla_paused"
    };
}
pub(crate) const SLA_COLUMNS: &str = sla_columns!();
pub(crate) const SLA_JOIN: &str = "LEFT JOIN desk_state d ON d.conversation_id = c.id";

const SUMMARY_COLUMNS: &str = concat!(
    "c.id, c.reference, c.contact_id, c.status, c.channel, c.assignee_id, c.priority, \
     c.category, c.locale, c.tags, c.created_at, c.last_message_at, c.resolved_at, c.handoff_at, \
     k.name, c.waiting_since, c.resolved_by, c.bot_answered_at, c.handoff_reason, c.handoff_off_hours, c.team_id, \
     ",
    sla_columns!(),
    ", (SELECT m.body FROM messages m WHERE m.conversation_id = c.id \
      AND m.direction IN ('inbound', 'outbound') ORDER BY m.id DESC LIMIT 1) AS last_body"
);

pub(crate) fn conversation_row(row: &AnyRow) -> Result<Conversation> {
    Ok(Conversation {
        id: row.try_get(0)?,
        reference: row.try_get(1)?,
        contact_id: row.try_get(2)?,
        status: row.try_get::<String, _>(3)?.parse()?,
        channel: row.try_get::<String, _>(4)?.parse()?,
        assignee_id: row.try_get(5)?,
        priority: row.try_get::<String, _>(6)?.parse()?,
        category: row.try_get(7)?,
        locale: row.try_get(8)?,
        tags: serde_json::from_str(&row.try_get::<String, _>(9)?).unwrap_or_default(),
        created_at: row.try_get(10)?,
        last_message_at: row.try_get(11)?,
        resolved_at: row.try_get(12)?,
        handoff_at: row.try_get(13)?,
        resolved_by: row.try_get::<Option<String>, _>("resolved_by")?.map(|a| a.parse()).transpose()?,
        bot_answered_at: row.try_get("bot_answered_at")?,
        handoff_reason: row.try_get::<Option<String>, _>("handoff_reason")?.map(|r| r.parse()).transpose()?,
        handoff_off_hours: row.try_get::<i64, _>("handoff_off_hours")? != 0,
        team_id: row.try_get("team_id")?,
        sla: sla_of(row)?,
    })
}

/// The SLA clocks of a row read with `SLA_COLUMNS` (none unless a policy holds it).
fn sla_of(row: &AnyRow) -> Result<Option<crate::desk::sla::Clocks>> {
    if row.try_get::<Option<i64>, _>("sla_policy")?.is_none() {
        return Ok(None);
    }
    let breached: Option<String> = row.try_get("sla_breached")?;
    Ok(Some(crate::desk::sla::Clocks {
        first_response_due_at: row.try_get("sla_first")?,
        next_response_due_at: row.try_get("sla_next")?,
        resolution_due_at: row.try_get("sla_resolution")?,
        breached: breached.and_then(|b| serde_json::from_str(&b).ok()).unwrap_or_default(),
        paused: row.try_get::<Option<i64>, _>("sla_paused")?.unwrap_or(0) != 0,
        ..Default::default()
    }))
}

/// `%text%` for LIKE, with LIKE's own characters escaped (`ESCAPE '\'`).
pub(crate) fn like(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A tag is stored inside a JSON array; these characters would change its spelling there.
pub fn valid_tag(tag: &str) -> bool {
    let tag = tag.trim();
    !tag.is_empty() && tag.chars().count() <= 50 && !tag.chars().any(|c| c == '"' || c == '\\' || c.is_control())
}

enum Bind {
    Text(String),
    Int(i64),
}

/// `sql` with its parameters bound in order.
fn bound<'q>(sql: &'q str, binds: &'q [Bind]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in binds {
        query = match value {
            Bind::Text(text) => query.bind(text.as_str()),
            Bind::Int(int) => query.bind(*int),
        };
    }
    query
}

impl Store {
    /// Conversations of a view, longest-waiting first, then most recent; under a search, the
    /// most recent match first.
    pub async fn list_conversations(&self, filter: &ConversationFilter) -> Result<Vec<ConversationSummary>> {
        let mut clauses = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        let mut bind = |value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(status) = filter.status {
            clauses.push(format!("c.status = {}", bind(Bind::Text(status.as_str().into()))));
        }
        if let Some(channel) = filter.channel {
            clauses.push(format!("c.channel = {}", bind(Bind::Text(channel.as_str().into()))));
        }
        match filter.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Unassigned => clauses.push("c.assignee_id IS NULL".into()),
            AssigneeFilter::Agent(id) => clauses.push(format!("c.assignee_id = {}", bind(Bind::Int(id)))),
        }
        if let Some(tag) = &filter.tag {
            clauses.push(format!("c.tags LIKE {} ESCAPE '\\'", bind(Bind::Text(like(&format!("\"{tag}\""))))));
        }
        if let Some(language) = &filter.language {
            let exact = bind(Bind::Text(language.clone()));
            let prefix = bind(Bind::Text(format!("{}-%", language.replace('%', ""))));
            clauses.push(format!("(c.locale = {exact} OR c.locale LIKE {prefix})"));
        }
        match filter.bot_answered {
            Some(true) => clauses.push(format!("({WAITS_ON_BOT})")),
            Some(false) => clauses.push(format!("NOT ({WAITS_ON_BOT})")),
            None => {}
        }
        if filter.low_rating {
            clauses.push(RATED_LOW.into());
        }
        let search = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let found = match search {
            Some(text) => Some(self.search_conversations(text).await?),
            None => None,
        };
        let mut page = format!("LIMIT {} OFFSET {}", filter.limit.clamp(1, 100), filter.offset.max(0));
        if let Some(found) = &found {
            if found.is_empty() {
                return Ok(Vec::new());
            }
            // The found conversations the other filters keep, in the search's order, paged;
            // only the page's are then read whole.
            let ids: Vec<String> = found.iter().map(|f| f.conversation_id.to_string()).collect();
            clauses.push(format!("c.id IN ({})", ids.join(", ")));
            let sql = format!("SELECT c.id FROM conversations c WHERE {}", clauses.join(" AND "));
            let kept: std::collections::HashSet<ConversationId> = bound(&sql, &binds)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            let on_page: Vec<String> = found
                .iter()
                .filter(|f| kept.contains(&f.conversation_id))
                .skip(filter.offset.max(0) as usize)
                .take(filter.limit.clamp(1, 100) as usize)
                .map(|f| f.conversation_id.to_string())
                .collect();
            if on_page.is_empty() {
                return Ok(Vec::new());
            }
            clauses = vec![format!("c.id IN ({})", on_page.join(", "))];
            binds.clear();
            page.clear();
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations c JOIN contacts k ON k.id = c.contact_id {SLA_JOIN} {filter_sql} \
             ORDER BY CASE WHEN c.waiting_since IS NULL THEN 1 ELSE 0 END, c.waiting_since, c.last_message_at DESC {page}"
        );
        let rows = bound(&sql, &binds).fetch_all(self.pool()).await?;
        let summaries = rows
            .iter()
            .map(|row| {
                Ok(ConversationSummary {
                    conversation: conversation_row(row)?,
                    contact_name: row.try_get(14)?,
                    waiting_since: row.try_get(15)?,
                    last_body: row.try_get("last_body")?,
                    found: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        match (found, search) {
            (Some(found), Some(text)) => self.found_page(summaries, &found, text).await,
            _ => Ok(summaries),
        }
    }

    /// Since when the customer has been waiting for an answer, if they are.
    pub async fn waiting_since(&self, id: ConversationId) -> Result<Option<Millis>> {
        let row = sqlx::query("SELECT waiting_since FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?.flatten())
    }

    pub async fn view_counts(&self, me: AgentId) -> Result<ViewCounts> {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN status = 'open' AND NOT bot THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status <> 'resolved' AND NOT bot AND assignee_id = $1 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN status <> 'resolved' AND NOT bot AND assignee_id IS NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN bot THEN 1 ELSE 0 END), 0) \
             FROM (SELECT status, assignee_id, \
                          (status = 'open' AND handoff_at IS NULL AND bot_answered_at IS NOT NULL) AS bot \
                   FROM conversations) c",
        )
        .bind(me)
        .fetch_one(self.pool())
        .await?;
        Ok(ViewCounts {
            open: row.try_get(0)?,
            pending: row.try_get(1)?,
            resolved: row.try_get(2)?,
            mine: row.try_get(3)?,
            unassigned: row.try_get(4)?,
            bot: row.try_get(5)?,
            low_rating: sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM conversations c WHERE {RATED_LOW}"
            )))
            .fetch_one(self.pool())
            .await?,
        })
    }
}
