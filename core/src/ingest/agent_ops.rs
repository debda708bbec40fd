//! What agents do to conversations and contacts, planned in the same batches as inbound
//! messages so that neither can act on a state the other just changed.

use super::PreparedPost;
use super::bulk;
use super::bulk::Finish;
use super::ids::Table;
use super::lookup::Latest;
use super::plan::{Enclosures, Planner, ReplyTarget};
use crate::channel::Destination;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::model::*;
use crate::post::{ConversationUpdate, PostKind};
use sqlx::{AnyConnection, Row};

impl Planner<'_> {
    /// An agent's (or the bot's) reply or note. Reads the store, so what the batch planned so
    /// far is written first.
    pub async fn post(&mut self, conn: &mut AnyConnection, prepared: &PreparedPost) -> Result<Message> {
        let (cx, post) = (self.cx, &prepared.post);
        self.rows.flush(conn, cx.statements, Finish::MIDWAY).await?;
        let row = sqlx::query("SELECT contact_id, channel, handoff_at FROM conversations WHERE id = $1")
            .bind(post.conversation_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("conversation {}", post.conversation_id)))?;
        let contact_id: ContactId = row.try_get(0)?;
        let last_channel: ChannelKind = row.try_get::<String, _>(1)?.parse()?;
        let handed_off = row.try_get::<Option<i64>, _>(2)?.is_some();

        let mut message = Message {
            id: 0,
            conversation_id: Some(post.conversation_id),
            contact_id,
            identity_id: None,
            direction: Direction::Note,
            author: post.author,
            agent_id: post.agent_id,
            channel: None,
            body: post.body.clone(),
            created_at: cx.now,
            edited_at: None,
            delivery: None,
            delivery_error: None,
            redactions: 0,
            attachments: Vec::new(),
            entities: Vec::new(),
            buttons: post.buttons.clone(),
            automated: false,
        };
        match post.kind {
            PostKind::Note => {
                message.id = self.ids.take(Table::Messages);
                self.rows.messages.push(bulk::MessageRow {
                    id: message.id,
                    conversation_id: Some(post.conversation_id),
                    contact_id,
                    identity_id: None,
                    direction: Direction::Note.as_str(),
                    author: post.author.as_str(),
                    agent_id: post.agent_id,
                    channel: None,
                    body: post.body.clone(),
                    created_at: cx.now,
                    redactions: 0,
                    automated: 0,
                });
                self.effects.events.push(Event::MessageCreated {
                    message_id: message.id,
                    conversation_id: Some(post.conversation_id),
                    contact_id,
                    identity_id: None,
                });
                self.patch_conversation(post.conversation_id, |_| {});
            }
            PostKind::Reply { channel } => {
                // Where the customer last wrote from: in this conversation first (after a merge
                // the contact has several chats, and this conversation's is the one that asked),
                // else anywhere on the channel; or the identity the agent picked.
                let channel = match post.identity_id {
                    Some(_) => channel,
                    None => Some(channel.unwrap_or(last_channel)),
                };
                let dest = sqlx::query(
                    "SELECT m.identity_id, l.external_chat, l.thread, m.channel FROM messages m \
                     JOIN message_links l ON l.message_id = m.id \
                     WHERE m.contact_id = $1 AND m.direction = 'inbound' AND ($2 IS NULL OR m.channel = $2) \
                       AND ($3 IS NULL OR m.identity_id = $3) \
                     ORDER BY CASE WHEN m.conversation_id = $4 THEN 0 ELSE 1 END, m.id DESC LIMIT 1",
                )
                .bind(contact_id)
                .bind(channel.map(ChannelKind::as_str))
                .bind(post.identity_id)
                .bind(post.conversation_id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| match (post.identity_id, channel) {
                    (Some(id), _) => {
                        CoreError::Invalid(format!("identity {id} is not this customer's, or never wrote"))
                    }
                    (None, channel) => CoreError::Invalid(format!(
                        "the customer has not written on {}",
                        channel.map_or("any channel", ChannelKind::as_str)
                    )),
                })?;
                let channel: ChannelKind = dest.try_get::<String, _>(3)?.parse()?;
                let target = ReplyTarget {
                    conversation_id: Some(post.conversation_id),
                    contact_id,
                    identity_id: dest.try_get(0)?,
                    channel,
                    destination: Destination { chat: dest.try_get(1)?, thread: dest.try_get(2)? },
                    reply_to: None,
                };
                message.id = self.queue_reply(
                    &target,
                    post.author,
                    post.agent_id,
                    post.body.clone(),
                    Enclosures { attachments: prepared.outbound.clone(), buttons: post.buttons.clone() },
                );
                message.direction = Direction::Outbound;
                message.identity_id = Some(target.identity_id);
                message.channel = Some(channel);
                message.delivery = Some(Delivery::Queued);
                let by_agent = post.author == Author::Agent;
                // The bot's answer where no person has taken over: the conversation now waits on
                // the customer. Its words after a hand-off ("a person will answer") do not.
                let by_bot = post.author == Author::Bot && !handed_off;
                self.patch_conversation(post.conversation_id, |patch| {
                    patch.last_message_at = Some(cx.now);
                    patch.first_response_at = by_agent.then_some(cx.now);
                    patch.answered = i64::from(by_agent);
                    patch.bot_answered = i64::from(by_bot);
                });
            }
        }
        self.attach(message.id, &prepared.attachments);
        Ok(message)
    }

    /// Status, assignee, priority, tags. Resolving stamps `resolved_at` and ends the wait.
    pub async fn update(&mut self, conn: &mut AnyConnection, update: &ConversationUpdate) -> Result<()> {
        let cx = self.cx;
        self.rows.flush(conn, cx.statements, Finish::MIDWAY).await?;
        let status = update.status.map(Status::as_str);
        let tags = update.tags.as_ref().map(|t| serde_json::to_string(t).expect("tags serialize"));
        let result = sqlx::query(
            "UPDATE conversations SET updated_at = $1, status = COALESCE($2, status), \
             resolved_at = CASE WHEN $2 = 'resolved' THEN COALESCE(resolved_at, $1) \
                                WHEN $2 IS NULL THEN resolved_at ELSE NULL END, \
             waiting_since = CASE WHEN $2 = 'resolved' THEN NULL ELSE waiting_since END, \
             assignee_id = CASE WHEN $3 = 1 THEN $4 ELSE assignee_id END, \
             priority = COALESCE($5, priority), tags = COALESCE($6, tags), \
             handoff_at = CASE WHEN $2 = 'resolved' THEN NULL WHEN $8 = 1 THEN COALESCE(handoff_at, $1) \
                               WHEN $8 = 0 THEN NULL ELSE handoff_at END, \
             resolved_by = CASE WHEN $2 = 'resolved' THEN CASE WHEN status = 'resolved' THEN resolved_by ELSE $9 END \
                                WHEN $2 IS NULL THEN resolved_by ELSE NULL END, \
             handoff_reason = CASE WHEN $2 = 'resolved' OR $8 = 0 THEN NULL \
                                   WHEN $8 = 1 AND handoff_at IS NULL THEN $11 ELSE handoff_reason END, \
             handoff_off_hours = CASE WHEN $2 = 'resolved' OR $8 = 0 THEN 0 \
                                      WHEN $8 = 1 AND handoff_at IS NULL THEN $12 ELSE handoff_off_hours END \
             WHERE id = $7 AND ($10 IS NULL OR (status = 'open' AND handoff_at IS NULL \
                                                AND bot_answered_at IS NOT NULL AND bot_answered_at <= $10))",
        )
        .bind(cx.now)
        .bind(status)
        .bind(i64::from(update.assignee.is_some()))
        .bind(update.assignee.flatten())
        .bind(update.priority.map(Priority::as_str))
        .bind(tags)
        .bind(update.id)
        .bind(update.handoff.map(i64::from))
        .bind(if update.by_bot { Author::Bot } else { Author::Agent }.as_str())
        .bind(update.if_bot_answered_before)
        .bind(update.handoff_reason.unwrap_or(HandoffReason::Agent).as_str())
        .bind(i64::from(update.handoff_off_hours))
        .execute(&mut *conn)
        .await?;
        if result.rows_affected() == 0 {
            return Err(match update.if_bot_answered_before {
                Some(_) => {
                    CoreError::Invalid(format!("conversation {} no longer waits on the bot's answer", update.id))
                }
                None => CoreError::NotFound(format!("conversation {}", update.id)),
            });
        }
        if let Some(status) = update.status {
            let resolved_at = (status == Status::Resolved).then_some(cx.now);
            for latest in self.latest.values_mut().flatten().filter(|l| l.id == update.id) {
                *latest = Latest { status, resolved_at, ..*latest };
            }
        }
        self.effects.events.push(Event::ConversationChanged { conversation_id: update.id });
        if update.handoff == Some(true) {
            let reason = update.handoff_reason.unwrap_or(HandoffReason::Agent);
            self.effects.events.push(Event::HandedOff { conversation_id: update.id, reason });
        }
        Ok(())
    }

    /// Joins `merged` into `survivor`: its identities, conversations and messages move over.
    pub async fn merge(&mut self, conn: &mut AnyConnection, survivor: ContactId, merged: ContactId) -> Result<()> {
        let cx = self.cx;
        if survivor == merged {
            return Err(CoreError::Invalid("a contact cannot be merged into itself".into()));
        }
        self.rows.flush(conn, cx.statements, Finish::MIDWAY).await?;
        let alive = sqlx::query("SELECT id, locale FROM contacts WHERE id IN ($1, $2) AND merged_into IS NULL")
            .bind(survivor)
            .bind(merged)
            .fetch_all(&mut *conn)
            .await?;
        let locale_of = |id: ContactId| alive.iter().find(|r| r.try_get::<i64, _>(0).ok() == Some(id));
        let Some(survivor_row) = locale_of(survivor) else {
            return Err(CoreError::NotFound(format!("contact {survivor}")));
        };
        if locale_of(merged).is_none() {
            return Err(CoreError::NotFound(format!("contact {merged}")));
        }
        let survivor_locale: Option<String> = survivor_row.try_get(1)?;
        self.rows.contact_merges.push(bulk::ContactMerge { survivor, merged });
        self.rows.flush(conn, cx.statements, Finish::MIDWAY).await?;

        // What later writes of this batch must see: the identities now belong to the survivor,
        // whose latest conversation is the newest of both.
        for known in self.identities.values_mut().filter(|k| k.contact_id == merged || k.contact_id == survivor) {
            known.contact_id = survivor;
            known.contact_locale = survivor_locale.clone();
        }
        let latest = sqlx::query(
            "SELECT id, status, resolved_at FROM conversations WHERE contact_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(survivor)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| -> Result<Latest> {
            Ok(Latest {
                id: row.try_get(0)?,
                status: row.try_get::<String, _>(1)?.parse()?,
                resolved_at: row.try_get(2)?,
            })
        })
        .transpose()?;
        self.latest.remove(&merged);
        self.latest.insert(survivor, latest);
        self.effects.events.push(Event::ContactsMerged { survivor, merged });
        Ok(())
    }

    /// A customer's edit of a message already stored: the new text replaces the old, which is
    /// kept in `message_edits`. Unknown messages (never stored, or from before) are ignored.
    pub async fn edit(&mut self, conn: &mut AnyConnection, edit: &Edit) -> Result<Option<MessageId>> {
        let cx = self.cx;
        self.rows.flush(conn, cx.statements, Finish::MIDWAY).await?;
        let Some(row) = sqlx::query(
            "SELECT m.id, m.conversation_id, m.identity_id, m.body FROM message_links l \
             JOIN messages m ON m.id = l.message_id WHERE l.channel = $1 AND l.external_id = $2 AND m.direction = 'inbound'",
        )
        .bind(edit.channel.as_str())
        .bind(&edit.external_id)
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Ok(None);
        };
        let id: MessageId = row.try_get(0)?;
        let old: String = row.try_get(3)?;
        if old == edit.body {
            return Ok(Some(id));
        }
        sqlx::query("INSERT INTO message_edits (message_id, body, replaced_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&old)
            .bind(cx.now)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE messages SET body = $1, edited_at = $2, redactions = redactions + $3 WHERE id = $4")
            .bind(&edit.body)
            .bind(cx.now)
            .bind(edit.redactions)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        self.effects.events.push(Event::MessageEdited {
            message_id: id,
            conversation_id: row.try_get(1)?,
            identity_id: row.try_get(2)?,
        });
        Ok(Some(id))
    }
}

/// A customer's edit, already redacted.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub channel: ChannelKind,
    pub external_id: String,
    pub body: String,
    pub redactions: i64,
}
