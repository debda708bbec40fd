//! Announcements: a segment's recipients (one identity per customer: where they last wrote),
//! the announcement and its sends, what is left to post, and each channel's progress.

use super::Store;
use crate::clock::rfc3339;
use crate::error::{CoreError, Result};
use crate::model::{AgentId, ChannelKind, ContactId, IdentityId, Millis};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// Who an announcement goes to; `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Customers whose latest message (within `within_days`) came on this channel.
    pub channel: Option<ChannelKind>,
    /// A language (`zh`: every Chinese locale) or a locale (`zh-TW`).
    pub language: Option<String>,
    /// Wrote within the last so many days.
    pub within_days: Option<i64>,
}

/// A send left to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSend {
    pub announcement_id: i64,
    pub identity_id: IdentityId,
    pub contact_id: ContactId,
    pub body: String,
    /// The customer's latest conversation, where their copy is kept (none: erased meanwhile).
    pub conversation_id: Option<i64>,
    /// The customer's language, for the way to stop announcements.
    pub locale: Option<String>,
}

/// One channel's progress: recipients, and how many are waiting, sent or failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelProgress {
    pub recipients: i64,
    /// Not yet handed to the outbox.
    pub preparing: i64,
    /// In the outbox, within the platform's limits.
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

/// An announcement as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: i64,
    pub body: String,
    pub channel: Option<String>,
    pub language: Option<String>,
    pub within_days: Option<i64>,
    pub agent_id: Option<AgentId>,
    pub created_at: String,
    pub recipients: i64,
    /// Per channel.
    pub progress: BTreeMap<String, ChannelProgress>,
}

/// The segment's recipients: for each customer who did not `/stop`, is still reachable and
/// wrote within the days asked, the identity of their latest message — on Telegram only a
/// private chat (someone who started the bot), never a group. `$1` is the earliest time.
fn recipients_sql(segment: &Segment) -> String {
    let mut filters = vec!["m.created_at >= $1".to_owned()];
    if let Some(channel) = segment.channel {
        filters.push(format!("m.channel = '{}'", channel.as_str()));
    }
    let mut outer = vec![
        "c.announcements_stopped_at IS NULL".to_owned(),
        "c.merged_into IS NULL".to_owned(),
        "i.unreachable_at IS NULL".to_owned(),
        "(m.channel <> 'telegram' OR k.external_chat = i.external_id)".to_owned(),
    ];
    if segment.language.is_some() {
        outer.push(
            "(LOWER(COALESCE(c.locale, v.locale, i.lang_hint, '')) = $2 \
             OR LOWER(COALESCE(c.locale, v.locale, i.lang_hint, '')) LIKE $3)"
                .to_owned(),
        );
    }
    format!(
        "SELECT l.contact_id, m.identity_id, m.channel FROM \
         (SELECT m.contact_id, MAX(m.id) AS message_id FROM messages m \
          WHERE m.direction = 'inbound' AND m.author = 'contact' AND m.identity_id IS NOT NULL AND {} \
          GROUP BY m.contact_id) AS l \
         JOIN messages m ON m.id = l.message_id JOIN contacts c ON c.id = l.contact_id \
         JOIN identities i ON i.id = m.identity_id JOIN message_links k ON k.message_id = m.id \
         LEFT JOIN conversations v ON v.id = m.conversation_id WHERE {}",
        filters.join(" AND "),
        outer.join(" AND ")
    )
}

fn bind_segment<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    segment: &Segment,
    now: Millis,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let since = segment.within_days.map_or(0, |days| now - days * 86_400_000);
    let query = query.bind(since);
    match &segment.language {
        Some(language) => {
            let language = language.to_lowercase();
            query.bind(language.clone()).bind(format!("{language}-%"))
        }
        None => query,
    }
}

impl Store {
    /// How many the segment reaches, per channel.
    pub async fn segment_size(&self, segment: &Segment, now: Millis) -> Result<BTreeMap<String, i64>> {
        let sql = format!("SELECT r.channel, COUNT(*) FROM ({}) AS r GROUP BY r.channel", recipients_sql(segment));
        let rows = bind_segment(sqlx::query(sqlx::AssertSqlSafe(sql)), segment, now).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Stores an announcement and one send per recipient, in one transaction; its id.
    pub async fn create_announcement(
        &self,
        body: &str,
        segment: &Segment,
        agent: Option<AgentId>,
        now: Millis,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO announcements (body, channel, language, within_days, agent_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(body)
        .bind(segment.channel.map(ChannelKind::as_str))
        .bind(segment.language.clone())
        .bind(segment.within_days)
        .bind(agent)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        // The segment's parameters come first ($1…$3); the announcement's id after them.
        let next = if segment.language.is_some() { 4 } else { 2 };
        let insert = format!(
            "INSERT INTO announcement_sends (announcement_id, identity_id, contact_id, channel) \
             SELECT ${next}, r.identity_id, r.contact_id, r.channel FROM ({}) AS r",
            recipients_sql(segment)
        );
        let query = bind_segment(sqlx::query(sqlx::AssertSqlSafe(insert)), segment, now).bind(id);
        let inserted = query.execute(&mut *tx).await?.rows_affected();
        sqlx::query("UPDATE announcements SET recipients = $1 WHERE id = $2")
            .bind(inserted as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sends not yet posted, the oldest announcement first; a customer who `/stop`ped since is
    /// left out (their send is dropped).
    pub async fn pending_sends(&self, limit: i64) -> Result<Vec<PendingSend>> {
        sqlx::query(
            "DELETE FROM announcement_sends WHERE message_id IS NULL AND contact_id IN \
             (SELECT id FROM contacts WHERE announcements_stopped_at IS NOT NULL)",
        )
        .execute(self.pool())
        .await?;
        let rows = sqlx::query(
            "SELECT s.announcement_id, s.identity_id, s.contact_id, a.body, \
             (SELECT MAX(v.id) FROM conversations v WHERE v.contact_id = s.contact_id), \
             COALESCE(c.locale, (SELECT v.locale FROM conversations v WHERE v.contact_id = s.contact_id \
                                 ORDER BY v.id DESC LIMIT 1)) \
             FROM announcement_sends s JOIN announcements a ON a.id = s.announcement_id \
             LEFT JOIN contacts c ON c.id = s.contact_id WHERE s.message_id IS NULL \
             ORDER BY s.announcement_id, s.identity_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingSend {
                    announcement_id: r.try_get(0)?,
                    identity_id: r.try_get(1)?,
                    contact_id: r.try_get(2)?,
                    body: r.try_get(3)?,
                    conversation_id: r.try_get(4)?,
                    locale: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The send was posted as `message` (0: it could not be, and is not tried again).
    pub async fn mark_send(&self, send: &PendingSend, message: i64) -> Result<()> {
        sqlx::query(
            "UPDATE announcement_sends SET message_id = $1 \
             WHERE announcement_id = $2 AND identity_id = $3 AND message_id IS NULL",
        )
        .bind(message)
        .bind(send.announcement_id)
        .bind(send.identity_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Announcements, the newest first, with each channel's progress.
    pub async fn announcements(&self) -> Result<Vec<Announcement>> {
        self.announcements_where("1 = 1 ORDER BY id DESC LIMIT 100", None).await
    }

    /// One announcement, however old, with only its own progress read.
    pub async fn announcement(&self, id: i64) -> Result<Announcement> {
        let found = self.announcements_where("id = $1", Some(id)).await?.pop();
        found.ok_or_else(|| CoreError::NotFound(format!("announcement {id}")))
    }

    /// The announcements `filter` (SQL after `WHERE`, `$1` bound to `id`) selects, each with its
    /// progress per channel.
    async fn announcements_where(&self, filter: &str, id: Option<i64>) -> Result<Vec<Announcement>> {
        let sql = format!(
            "SELECT id, body, channel, language, within_days, agent_id, created_at, recipients FROM announcements \
             WHERE {filter}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(id) = id {
            query = query.bind(id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let mut list = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get(0)?;
            list.push(Announcement {
                id,
                body: r.try_get(1)?,
                channel: r.try_get(2)?,
                language: r.try_get(3)?,
                within_days: r.try_get(4)?,
                agent_id: r.try_get(5)?,
                created_at: rfc3339(r.try_get(6)?),
                recipients: r.try_get(7)?,
                progress: self.announcement_progress(id).await?,
            });
        }
        Ok(list)
    }

    async fn announcement_progress(&self, id: i64) -> Result<BTreeMap<String, ChannelProgress>> {
        let rows = sqlx::query(
            "SELECT s.channel, CASE WHEN s.message_id IS NULL THEN 'preparing' WHEN s.message_id = 0 THEN 'failed' \
             ELSE COALESCE(o.state, 'failed') END AS state, COUNT(*) FROM announcement_sends s \
             LEFT JOIN outbox o ON o.message_id = s.message_id WHERE s.announcement_id = $1 GROUP BY 1, 2",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut progress: BTreeMap<String, ChannelProgress> = BTreeMap::new();
        for r in rows {
            let (channel, state, n): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let p = progress.entry(channel).or_default();
            p.recipients += n;
            match state.as_str() {
                "preparing" => p.preparing += n,
                "pending" => p.queued += n,
                "sent" => p.sent += n,
                _ => p.failed += n,
            }
        }
        Ok(progress)
    }
}
