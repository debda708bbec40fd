//! Incidents and the conversations linked to them, as admins, the bot and the timers read and
//! change them (`crate::incidents` holds the rules).

use super::Store;
use crate::clock::rfc3339;
use crate::error::{CoreError, Result};
use crate::incidents::surge::Asked;
use crate::incidents::{Incident, IncidentChange, IncidentStatus};
use crate::model::{ConversationId, Millis};
use sqlx::Row;

const COLUMNS: &str = "id, title, status, keywords, messages, examples, requesters, version, created_at, updated_at, \
                       resolved_at";

/// Who linked a conversation to an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkedBy {
    /// The bot, having just told the customer the incident's current message.
    Bot,
    /// An agent: the customer is told the current message next.
    Agent,
}

/// A linked customer not yet told the incident's latest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Untold {
    pub incident_id: i64,
    pub conversation_id: ConversationId,
    pub version: i64,
}

/// What reports count of incidents in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentFigures {
    /// Suggested by a surge in the period (confirmed since or not).
    pub suggested: i64,
    /// Opened, or confirmed from a suggestion, in the period: every incident created in it that
    /// is not a mere suggestion now.
    pub opened: i64,
    /// Conversations linked to incidents in the period.
    pub linked: i64,
}

/// What a surge suggests.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub topic: String,
    pub title: String,
    pub keywords: Vec<String>,
    pub examples: Vec<String>,
    pub requesters: i64,
}

fn incident_of(row: &sqlx::any::AnyRow) -> Result<Incident> {
    let json = |i: usize| -> Result<String> { Ok(row.try_get::<String, _>(i)?) };
    let status: String = row.try_get(2)?;
    Ok(Incident {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        status: status.parse()?,
        keywords: serde_json::from_str(&json(3)?).unwrap_or_default(),
        message: serde_json::from_str(&json(4)?).unwrap_or_default(),
        examples: serde_json::from_str(&json(5)?).unwrap_or_default(),
        requesters: row.try_get(6)?,
        version: row.try_get(7)?,
        conversation_ids: Vec::new(),
        created_at: rfc3339(row.try_get(8)?),
        updated_at: rfc3339(row.try_get(9)?),
        resolved_at: row.try_get::<Option<Millis>, _>(10)?.map(rfc3339),
    })
}

impl Store {
    /// Incidents, the newest first, each with its linked conversations; `open_only`: only those
    /// the bot answers with (investigating, monitoring).
    pub async fn incidents(&self, open_only: bool) -> Result<Vec<Incident>> {
        let filter = if open_only { "WHERE status IN ('investigating', 'monitoring')" } else { "" };
        let sql = format!("SELECT {COLUMNS} FROM incidents {filter} ORDER BY id DESC LIMIT 500");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        let mut incidents = rows.iter().map(incident_of).collect::<Result<Vec<_>>>()?;
        if incidents.is_empty() {
            return Ok(incidents);
        }
        let ids: Vec<String> = incidents.iter().map(|i| i.id.to_string()).collect();
        let sql = format!(
            "SELECT incident_id, conversation_id FROM incident_links WHERE incident_id IN ({}) ORDER BY conversation_id",
            ids.join(", ")
        );
        let links = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        for row in links {
            let incident: i64 = row.try_get(0)?;
            if let Some(i) = incidents.iter_mut().find(|i| i.id == incident) {
                i.conversation_ids.push(row.try_get(1)?);
            }
        }
        Ok(incidents)
    }

    pub async fn incident(&self, id: i64) -> Result<Option<Incident>> {
        let sql = format!("SELECT {COLUMNS} FROM incidents WHERE id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let mut incident = incident_of(&row)?;
        incident.conversation_ids =
            sqlx::query("SELECT conversation_id FROM incident_links WHERE incident_id = $1 ORDER BY conversation_id")
                .bind(id)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
        Ok(Some(incident))
    }

    /// Opens an incident (investigating unless the change says otherwise); its title is required.
    pub async fn create_incident(&self, change: IncidentChange, now: Millis) -> Result<i64> {
        let change = change.checked()?;
        let Some(title) = &change.title else { return Err(CoreError::Invalid("title: required".into())) };
        let status = change.status.unwrap_or(IncidentStatus::Investigating);
        let row = sqlx::query(
            "INSERT INTO incidents (title, status, keywords, messages, version, created_at, updated_at, resolved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
        )
        .bind(title)
        .bind(status.as_str())
        .bind(serde_json::to_string(&change.keywords.unwrap_or_default()).expect("strings serialize"))
        .bind(serde_json::to_string(&change.message.unwrap_or_default()).expect("strings serialize"))
        .bind(i64::from(status != IncidentStatus::Suggested))
        .bind(now)
        .bind((status == IncidentStatus::Resolved).then_some(now))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Changes an incident. A change customers are told of — another status (but a
    /// suggestion), or another message while it is not a suggestion — raises its version, so
    /// every linked customer hears of it once.
    pub async fn change_incident(&self, id: i64, change: IncidentChange, now: Millis) -> Result<Incident> {
        let change = change.checked()?;
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT {COLUMNS} FROM incidents WHERE id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *tx).await? else {
            return Err(CoreError::NotFound(format!("incident {id}")));
        };
        let before = incident_of(&row)?;
        let status = change.status.unwrap_or(before.status);
        let message = change.message.clone().unwrap_or_else(|| before.message.clone());
        let told = status != IncidentStatus::Suggested && (status != before.status || message != before.message);
        let resolved_at = match (status, before.status) {
            (IncidentStatus::Resolved, IncidentStatus::Resolved) => "resolved_at",
            (IncidentStatus::Resolved, _) => "$7",
            _ => "NULL",
        };
        let sql = format!(
            "UPDATE incidents SET title = $1, status = $2, keywords = $3, messages = $4, version = version + $5, \
             updated_at = $7, resolved_at = {resolved_at} WHERE id = $6"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(change.title.unwrap_or(before.title))
            .bind(status.as_str())
            .bind(serde_json::to_string(&change.keywords.unwrap_or(before.keywords)).expect("strings serialize"))
            .bind(serde_json::to_string(&message).expect("strings serialize"))
            .bind(i64::from(told))
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.incident(id).await?.ok_or_else(|| CoreError::NotFound(format!("incident {id}")))
    }

    /// Links a conversation to an incident; `false` when it was linked already. Linked by the
    /// bot, the customer was just told its `version`; by an agent, they are told it next.
    pub async fn link_incident(
        &self,
        id: i64,
        conversation: ConversationId,
        by: LinkedBy,
        now: Millis,
    ) -> Result<bool> {
        let exists =
            sqlx::query("SELECT version FROM incidents WHERE id = $1").bind(id).fetch_optional(self.pool()).await?;
        let Some(exists) = exists else { return Err(CoreError::NotFound(format!("incident {id}"))) };
        let found =
            sqlx::query("SELECT id FROM conversations WHERE id = $1").bind(conversation).fetch_optional(self.pool());
        if found.await?.is_none() {
            return Err(CoreError::NotFound(format!("conversation {conversation}")));
        }
        let (by, told) = match by {
            LinkedBy::Bot => ("bot", exists.try_get::<i64, _>(0)?),
            LinkedBy::Agent => ("agent", 0),
        };
        let inserted = sqlx::query(
            "INSERT INTO incident_links (incident_id, conversation_id, linked_at, linked_by, told_version) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(conversation)
        .bind(now)
        .bind(by)
        .bind(told)
        .execute(self.pool())
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Linked customers not yet told their incident's latest change (suggestions tell nobody),
    /// a chunk at a time in a stable order.
    pub async fn untold_incident_links(&self, limit: i64) -> Result<Vec<Untold>> {
        let rows = sqlx::query(
            "SELECT l.incident_id, l.conversation_id, i.version FROM incident_links l \
             JOIN incidents i ON i.id = l.incident_id \
             WHERE l.told_version < i.version AND i.status <> 'suggested' \
             ORDER BY l.incident_id, l.conversation_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(Untold { incident_id: r.try_get(0)?, conversation_id: r.try_get(1)?, version: r.try_get(2)? }))
            .collect()
    }

    /// The customer of `untold` was told its version (or cannot be: their conversation is gone).
    pub async fn mark_incident_told(&self, untold: Untold) -> Result<()> {
        sqlx::query(
            "UPDATE incident_links SET told_version = $1 \
             WHERE incident_id = $2 AND conversation_id = $3 AND told_version < $1",
        )
        .bind(untold.version)
        .bind(untold.incident_id)
        .bind(untold.conversation_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Stores a surge's suggestion, unless its topic already has an incident that is not resolved
    /// or was suggested or opened since `since` (one surge, one suggestion). The new id, if any.
    pub async fn suggest_incident(&self, s: &Suggestion, since: Millis, now: Millis) -> Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let known =
            sqlx::query("SELECT id FROM incidents WHERE topic = $1 AND (status <> 'resolved' OR created_at >= $2)")
                .bind(&s.topic)
                .bind(since)
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_some() {
            return Ok(None);
        }
        let row = sqlx::query(
            "INSERT INTO incidents (title, status, keywords, topic, examples, requesters, created_at, updated_at) \
             VALUES ($1, 'suggested', $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&s.title)
        .bind(serde_json::to_string(&s.keywords).expect("strings serialize"))
        .bind(&s.topic)
        .bind(serde_json::to_string(&s.examples).expect("strings serialize"))
        .bind(s.requesters)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(row.try_get(0)?))
    }

    /// Incidents and their links in `[from, to)`.
    pub async fn incident_figures(&self, from: Millis, to: Millis) -> Result<IncidentFigures> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM incidents WHERE created_at >= $1 AND created_at < $2 AND topic IS NOT NULL), \
                    (SELECT COUNT(*) FROM incidents WHERE created_at >= $1 AND created_at < $2 AND status <> 'suggested'), \
                    (SELECT COUNT(*) FROM incident_links WHERE linked_at >= $1 AND linked_at < $2)",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?;
        Ok(IncidentFigures { suggested: row.try_get(0)?, opened: row.try_get(1)?, linked: row.try_get(2)? })
    }

    /// Customers' questions since `since` (the newest `limit`), with the bot's topic each reached.
    pub async fn questions_since(&self, since: Millis, limit: i64) -> Result<Vec<Asked>> {
        let rows = sqlx::query(
            "SELECT m.contact_id, m.created_at, m.body, a.topic, a.title FROM messages m \
             LEFT JOIN kb_hits h ON h.id = (SELECT MIN(id) FROM kb_hits WHERE message_id = m.id) \
             LEFT JOIN kb_articles a ON a.id = h.article_id \
             WHERE m.direction = 'inbound' AND m.created_at >= $1 AND m.author = 'contact' AND m.automated = 0 \
             AND m.body NOT LIKE '/%' \
             ORDER BY m.created_at DESC LIMIT $2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let topic: Option<String> = r.try_get(3)?;
                let title: Option<String> = r.try_get(4)?;
                Ok(Asked { contact_id: r.try_get(0)?, at: r.try_get(1)?, text: r.try_get(2)?, topic: topic.zip(title) })
            })
            .collect()
    }
}
