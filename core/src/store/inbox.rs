//! What the agents' inbox reads: conversation lists, counts, contacts, agents, canned
//! responses, reports. (Writes that change conversations go through `Core`.)

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
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
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            other => Err(CoreError::Invalid(format!("role {other:?}: expected admin or agent"))),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    pub locale: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: ContactId,
    pub name: String,
    pub locale: Option<String>,
    pub created_at: Millis,
    pub identities: Vec<IdentityView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityView {
    pub id: IdentityId,
    pub channel: ChannelKind,
    pub external_id: String,
    pub display_name: String,
    /// The platform said this recipient cannot be reached (blocked us, left); cleared when
    /// they write again.
    pub unreachable: bool,
}

/// A conversation the bot answered, that waits on the customer rather than on an agent.
const WAITS_ON_BOT: &str = "c.status = 'open' AND c.handoff_at IS NULL AND c.bot_answered_at IS NOT NULL";

const SUMMARY_COLUMNS: &str = "c.id, c.reference, c.contact_id, c.status, c.channel, c.assignee_id, c.priority, \
     c.category, c.locale, c.tags, c.created_at, c.last_message_at, c.resolved_at, c.handoff_at, \
     k.name, c.waiting_since, c.resolved_by, c.bot_answered_at, c.handoff_reason, c.handoff_off_hours, \
     (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.direction IN ('inbound', 'outbound') \
      ORDER BY m.id DESC LIMIT 1)";

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
    })
}

/// `%text%` for LIKE, with LIKE's own characters escaped (`ESCAPE '\'`).
fn like(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A tag is stored inside a JSON array; these characters would change its spelling there.
pub fn valid_tag(tag: &str) -> bool {
    let tag = tag.trim();
    !tag.is_empty() && tag.chars().count() <= 50 && !tag.chars().any(|c| c == '"' || c == '\\' || c.is_control())
}

impl Store {
    /// Conversations of a view, longest-waiting first, then most recent.
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
        if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let pattern = bind(Bind::Text(like(&search.to_lowercase())));
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND LOWER(m.body) LIKE {pattern} ESCAPE '\\')"
            ));
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations c JOIN contacts k ON k.id = c.contact_id {filter_sql} \
             ORDER BY CASE WHEN c.waiting_since IS NULL THEN 1 ELSE 0 END, c.waiting_since, c.last_message_at DESC \
             LIMIT {} OFFSET {}",
            filter.limit.clamp(1, 100),
            filter.offset.max(0)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in binds {
            query = match value {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(ConversationSummary {
                    conversation: conversation_row(row)?,
                    contact_name: row.try_get(14)?,
                    waiting_since: row.try_get(15)?,
                    last_body: row.try_get(20)?,
                })
            })
            .collect()
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
        })
    }

    /// A contact with its identities; a merged contact answers as the one it was merged into.
    pub async fn contact(&self, id: ContactId) -> Result<Option<ContactView>> {
        let mut id = id;
        for _ in 0..16 {
            let Some(row) = sqlx::query("SELECT id, name, locale, created_at, merged_into FROM contacts WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?
            else {
                return Ok(None);
            };
            if let Some(survivor) = row.try_get::<Option<i64>, _>(4)? {
                id = survivor;
                continue;
            }
            let identities = sqlx::query(
                "SELECT channel, external_id, display_name, unreachable_at, id FROM identities WHERE contact_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(IdentityView {
                    id: r.try_get(4)?,
                    channel: r.try_get::<String, _>(0)?.parse()?,
                    external_id: r.try_get(1)?,
                    display_name: r.try_get(2)?,
                    unreachable: r.try_get::<Option<i64>, _>(3)?.is_some(),
                })
            })
            .collect::<Result<_>>()?;
            return Ok(Some(ContactView {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                locale: row.try_get(2)?,
                created_at: row.try_get(3)?,
                identities,
            }));
        }
        Err(CoreError::Invalid(format!("contact {id}: merge chain too long")))
    }

    /// Every message of a contact across channels and conversations, oldest first.
    pub async fn contact_messages(&self, contact_id: ContactId, after: MessageId) -> Result<Vec<Message>> {
        self.messages_where("m.contact_id = $1 AND m.id > $2", contact_id, after).await
    }

    pub async fn create_agent(&self, email: &str, name: &str, role: Role, password_hash: &str) -> Result<AgentId> {
        let email = email.trim().to_lowercase();
        if !email.contains('@') || name.trim().is_empty() {
            return Err(CoreError::Invalid("an agent needs an email address and a name".into()));
        }
        let exists =
            sqlx::query("SELECT id FROM agents WHERE email = $1").bind(&email).fetch_optional(self.pool()).await?;
        if exists.is_some() {
            return Err(CoreError::Invalid(format!("an agent with email {email} exists")));
        }
        let row = sqlx::query(
            "INSERT INTO agents (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&email)
        .bind(name.trim())
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn agent_by_email(&self, email: &str) -> Result<Option<Agent>> {
        let row = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE email = $1 AND disabled = 0",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        let row = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE id = $1 AND disabled = 0",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agents(&self) -> Result<Vec<Agent>> {
        let rows = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE disabled = 0 ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(agent_row).collect()
    }

    pub async fn set_agent_locale(&self, id: AgentId, locale: &str) -> Result<()> {
        sqlx::query("UPDATE agents SET locale = $1 WHERE id = $2").bind(locale).bind(id).execute(self.pool()).await?;
        Ok(())
    }

    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query("SELECT id, title, locale, body FROM canned_responses ORDER BY title, locale")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CannedResponse {
                    id: r.try_get(0)?,
                    title: r.try_get(1)?,
                    locale: r.try_get(2)?,
                    body: r.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn save_canned_response(&self, id: Option<i64>, title: &str, locale: &str, body: &str) -> Result<i64> {
        if title.trim().is_empty() || body.trim().is_empty() || locale.trim().is_empty() {
            return Err(CoreError::Invalid("a canned response needs a title, a locale and a body".into()));
        }
        let taken = sqlx::query("SELECT id FROM canned_responses WHERE title = $1 AND locale = $2")
            .bind(title.trim())
            .bind(locale.trim())
            .fetch_optional(self.pool())
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?;
        if taken.is_some() && taken != id {
            return Err(CoreError::Invalid(format!("a canned response {title:?} exists for {locale}")));
        }
        match id {
            Some(id) => {
                let done = sqlx::query("UPDATE canned_responses SET title = $1, locale = $2, body = $3 WHERE id = $4")
                    .bind(title.trim())
                    .bind(locale.trim())
                    .bind(body)
                    .bind(id)
                    .execute(self.pool())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(CoreError::NotFound(format!("canned response {id}")));
                }
                Ok(id)
            }
            None => Ok(sqlx::query(
                "INSERT INTO canned_responses (title, locale, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(title.trim())
            .bind(locale.trim())
            .bind(body)
            .bind(now_ms())
            .fetch_one(self.pool())
            .await?
            .try_get(0)?),
        }
    }

    pub async fn delete_canned_response(&self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id).execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("canned response {id}")));
        }
        Ok(())
    }

    /// One attachment's metadata (for download).
    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let row = sqlx::query(
            "SELECT id, message_id, filename, content_type, size, storage_key FROM attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Attachment {
                id: r.try_get(0)?,
                message_id: r.try_get(1)?,
                filename: r.try_get(2)?,
                content_type: r.try_get(3)?,
                size: r.try_get(4)?,
                storage_key: r.try_get(5)?,
            })
        })
        .transpose()
    }

    /// Conversations created in `[from, to)`, for reports: created, first response, resolved,
    /// channel, category, locale.
    pub async fn report_rows(&self, from: Millis, to: Millis) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(
            "SELECT created_at, first_response_at, resolved_at, channel, category, locale, resolved_by FROM conversations \
             WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReportRow {
                    created_at: r.try_get(0)?,
                    first_response_at: r.try_get(1)?,
                    resolved_at: r.try_get(2)?,
                    channel: r.try_get(3)?,
                    category: r.try_get(4)?,
                    locale: r.try_get(5)?,
                    resolved_by: r.try_get::<Option<String>, _>(6)?.map(|a| a.parse()).transpose()?,
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct ReportRow {
    pub created_at: Millis,
    pub first_response_at: Option<Millis>,
    pub resolved_at: Option<Millis>,
    pub channel: String,
    pub category: Option<String>,
    pub locale: Option<String>,
    /// Who resolved it, while resolved.
    pub resolved_by: Option<Author>,
}

enum Bind {
    Text(String),
    Int(i64),
}

fn agent_row(row: &AnyRow) -> Result<Agent> {
    Ok(Agent {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        role: row.try_get::<String, _>(3)?.parse()?,
        locale: row.try_get(4)?,
        password_hash: row.try_get(5)?,
    })
}
