//! The statements of one write, run inside the writer's batch transaction. Nothing here
//! commits: the writer commits the whole batch, then releases the effects collected here.

use super::{Ingested, Opened, Prepared};
use crate::channel::Destination;
use crate::commands::Command;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::l10n::{Localizer, choose_locale};
use crate::model::*;
use crate::outbox::{DeliveryReport, OutboxEntry};
use crate::post::{Post, PostKind};
use crate::store::Backend;
use sqlx::{AnyConnection, Row};

/// What a committed batch releases: events to publish and outbox entries to dispatch.
#[derive(Default)]
pub(crate) struct Effects {
    pub events: Vec<Event>,
    pub outbox: Vec<OutboxEntry>,
}

pub(crate) struct Context<'a> {
    pub backend: Backend,
    pub localizer: &'a Localizer,
    pub reopen_window_ms: i64,
    pub now: Millis,
}

struct IdentityRow {
    id: IdentityId,
    contact_id: ContactId,
    lang_hint: Option<String>,
    contact_locale: Option<String>,
}

struct ConversationRow {
    id: ConversationId,
    status: Status,
    resolved_at: Option<Millis>,
}

pub(crate) async fn ingest(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    p: &Prepared,
    fx: &mut Effects,
) -> Result<Ingested> {
    let inbound = &p.inbound;
    let channel = inbound.channel.as_str();

    let found = lookup(conn, inbound).await?;
    if let Some((message_id, conversation_id)) = found.duplicate {
        return Ok(Ingested {
            message_id,
            conversation_id,
            duplicate: true,
            opened: Opened::Existing,
            findings: p.findings.clone(),
        });
    }
    let (identity, latest) = match found.identity {
        Some(known) => (
            update_identity(conn, known, &inbound.sender).await?,
            found.latest,
        ),
        None => (
            create_identity(conn, cx, inbound.channel, &inbound.sender).await?,
            None,
        ),
    };
    let wants_conversation = p.command.as_ref().is_none_or(Command::opens_conversation);
    let detected = p.detected_language.as_deref();
    let reply_locale = choose_locale(
        cx.localizer,
        identity.contact_locale.as_deref(),
        identity.lang_hint.as_deref(),
        detected,
    );

    let (conversation_id, opened) = match (&latest, wants_conversation) {
        (Some(c), _) if c.status != Status::Resolved => (Some(c.id), Opened::Existing),
        (Some(c), true)
            if c.resolved_at
                .is_some_and(|at| cx.now - at <= cx.reopen_window_ms) =>
        {
            sqlx::query(
                "UPDATE conversations SET status = 'open', resolved_at = NULL, updated_at = $1 WHERE id = $2",
            )
            .bind(cx.now)
            .bind(c.id)
            .execute(&mut *conn)
            .await?;
            (Some(c.id), Opened::Reopened)
        }
        (_, true) => {
            let locale = detected
                .map(str::to_owned)
                .unwrap_or_else(|| reply_locale.clone());
            let id =
                create_conversation(conn, cx.now, identity.contact_id, inbound.channel, &locale)
                    .await?;
            (Some(id), Opened::New)
        }
        (_, false) => (None, Opened::Existing),
    };

    let message_id: MessageId = sqlx::query(
        "INSERT INTO messages (conversation_id, contact_id, identity_id, direction, author, channel, \
         body, created_at, redactions) VALUES ($1, $2, $3, 'inbound', 'contact', $4, $5, $6, $7) RETURNING id",
    )
    .bind(conversation_id)
    .bind(identity.contact_id)
    .bind(identity.id)
    .bind(channel)
    .bind(&inbound.body)
    .bind(cx.now)
    .bind(p.findings.len() as i64)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;

    sqlx::query(
        "INSERT INTO message_links (message_id, channel, external_id, external_chat, thread) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(message_id)
    .bind(channel)
    .bind(&inbound.external_id)
    .bind(&inbound.chat)
    .bind(inbound.thread.as_deref())
    .execute(&mut *conn)
    .await?;

    for a in &p.attachments {
        sqlx::query(
            "INSERT INTO attachments (message_id, filename, content_type, size, storage_key, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(message_id)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(a.size)
        .bind(&a.storage_key)
        .bind(cx.now)
        .execute(&mut *conn)
        .await?;
    }

    if let Some(id) = conversation_id {
        sqlx::query(
            "UPDATE conversations SET last_message_at = $1, updated_at = $1, channel = $2, \
             status = CASE WHEN status = 'pending' THEN 'open' ELSE status END WHERE id = $3",
        )
        .bind(cx.now)
        .bind(channel)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        if opened != Opened::Existing {
            fx.events.push(Event::ConversationChanged {
                conversation_id: id,
            });
        }
    }
    fx.events.push(Event::MessageCreated {
        message_id,
        conversation_id,
        contact_id: identity.contact_id,
        identity_id: Some(identity.id),
    });

    // Replies to the customer, each durable in this same transaction.
    let target = ReplyTarget {
        conversation_id,
        contact_id: identity.contact_id,
        identity_id: identity.id,
        channel: inbound.channel,
        destination: Destination {
            chat: inbound.chat.clone(),
            thread: inbound.thread.clone(),
        },
        reply_to: Some(inbound.external_id.clone()),
    };
    let mut replies: Vec<String> = Vec::new();
    let text =
        |locale: &str, key: &str, args: &[(&str, &str)]| cx.localizer.text(locale, key, args);
    if !p.findings.is_empty() {
        replies.push(text(&reply_locale, "secret-redacted", &[]));
    }
    match &p.command {
        None if opened == Opened::New => {
            let reference = Reference(conversation_id.expect("a new conversation")).to_string();
            replies.push(text(
                &reply_locale,
                "ack-new-conversation",
                &[("reference", &reference)],
            ));
        }
        None => {}
        Some(Command::Start) => replies.push(text(&reply_locale, "welcome", &[])),
        Some(Command::Help) => replies.push(text(&reply_locale, "help", &[])),
        Some(Command::Status) => {
            let (key, reference) = match &latest {
                None => ("status-none", String::new()),
                Some(c) => (
                    match c.status {
                        Status::Open => "status-open",
                        Status::Pending => "status-pending",
                        Status::Resolved => "status-resolved",
                    },
                    Reference(c.id).to_string(),
                ),
            };
            replies.push(text(&reply_locale, key, &[("reference", &reference)]));
        }
        Some(Command::Lang(code)) => {
            match code.as_deref().and_then(|c| cx.localizer.negotiate(c)) {
                Some(locale) => {
                    sqlx::query("UPDATE contacts SET locale = $1 WHERE id = $2")
                        .bind(locale)
                        .bind(identity.contact_id)
                        .execute(&mut *conn)
                        .await?;
                    if let Some(id) = conversation_id {
                        sqlx::query("UPDATE conversations SET locale = $1 WHERE id = $2")
                            .bind(locale)
                            .bind(id)
                            .execute(&mut *conn)
                            .await?;
                    }
                    replies.push(text(locale, "lang-changed", &[]));
                }
                None => {
                    let available = cx.localizer.available().join(", ");
                    let code = code.as_deref().unwrap_or("");
                    replies.push(text(
                        &reply_locale,
                        "lang-unknown",
                        &[("code", code), ("available", &available)],
                    ));
                }
            }
        }
        Some(Command::Human) => {
            let id = conversation_id.expect("/human opens a conversation");
            sqlx::query("UPDATE conversations SET handoff_at = $1, updated_at = $1 WHERE id = $2")
                .bind(cx.now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            fx.events.push(Event::ConversationChanged {
                conversation_id: id,
            });
            replies.push(text(
                &reply_locale,
                "handoff",
                &[("reference", &Reference(id).to_string())],
            ));
        }
    }
    for body in replies {
        queue_reply(conn, cx.now, &target, Author::System, None, &body, fx).await?;
    }

    Ok(Ingested {
        message_id,
        conversation_id,
        duplicate: false,
        opened,
        findings: p.findings.clone(),
    })
}

/// What one statement knows before a message is written: whether it was stored before, and
/// the sender's identity, contact locale and latest conversation. This runs for every inbound
/// message, so it is a single round trip.
struct Lookup {
    duplicate: Option<(MessageId, Option<ConversationId>)>,
    identity: Option<(IdentityRow, String)>,
    latest: Option<ConversationRow>,
}

async fn lookup(conn: &mut AnyConnection, inbound: &super::Inbound) -> Result<Lookup> {
    let row = sqlx::query(
        "SELECT l.message_id, lm.conversation_id, i.id, i.contact_id, i.lang_hint, c.locale, \
         i.display_name, v.id, v.status, v.resolved_at \
         FROM (SELECT 1 AS one) q \
         LEFT JOIN message_links l ON l.channel = $1 AND l.external_id = $2 \
         LEFT JOIN messages lm ON lm.id = l.message_id \
         LEFT JOIN identities i ON i.channel = $1 AND i.external_id = $3 \
         LEFT JOIN contacts c ON c.id = i.contact_id \
         LEFT JOIN conversations v \
           ON v.id = (SELECT MAX(id) FROM conversations WHERE contact_id = i.contact_id)",
    )
    .bind(inbound.channel.as_str())
    .bind(&inbound.external_id)
    .bind(&inbound.sender.external_id)
    .fetch_one(&mut *conn)
    .await?;
    let duplicate = match row.try_get::<Option<MessageId>, _>(0)? {
        Some(id) => Some((id, row.try_get(1)?)),
        None => None,
    };
    let identity = match row.try_get::<Option<IdentityId>, _>(2)? {
        Some(id) => Some((
            IdentityRow {
                id,
                contact_id: row.try_get(3)?,
                lang_hint: row.try_get(4)?,
                contact_locale: row.try_get(5)?,
            },
            row.try_get(6)?,
        )),
        None => None,
    };
    let latest = match row.try_get::<Option<ConversationId>, _>(7)? {
        Some(id) => Some(ConversationRow {
            id,
            status: row.try_get::<String, _>(8)?.parse()?,
            resolved_at: row.try_get(9)?,
        }),
        None => None,
    };
    Ok(Lookup {
        duplicate,
        identity,
        latest,
    })
}

/// Keeps the display name and the platform's language hint current.
async fn update_identity(
    conn: &mut AnyConnection,
    (mut identity, display_name): (IdentityRow, String),
    sender: &super::Sender,
) -> Result<IdentityRow> {
    let hint_changed = sender.lang_hint.is_some() && sender.lang_hint != identity.lang_hint;
    let name_changed = display_name != sender.display_name && !sender.display_name.is_empty();
    if hint_changed || name_changed {
        if hint_changed {
            identity.lang_hint = sender.lang_hint.clone();
        }
        sqlx::query("UPDATE identities SET display_name = $1, lang_hint = $2 WHERE id = $3")
            .bind(if name_changed {
                &sender.display_name
            } else {
                &display_name
            })
            .bind(identity.lang_hint.as_deref())
            .bind(identity.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(identity)
}

/// A first message from someone: a new contact with this one identity.
async fn create_identity(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    channel: ChannelKind,
    sender: &super::Sender,
) -> Result<IdentityRow> {
    let contact_id: ContactId =
        sqlx::query("INSERT INTO contacts (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(&sender.display_name)
            .bind(cx.now)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    let id: IdentityId = sqlx::query(
        "INSERT INTO identities (contact_id, channel, external_id, display_name, lang_hint, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(contact_id)
    .bind(channel.as_str())
    .bind(&sender.external_id)
    .bind(&sender.display_name)
    .bind(sender.lang_hint.as_deref())
    .bind(cx.now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    Ok(IdentityRow {
        id,
        contact_id,
        lang_hint: sender.lang_hint.clone(),
        contact_locale: None,
    })
}

async fn create_conversation(
    conn: &mut AnyConnection,
    now: Millis,
    contact_id: ContactId,
    channel: ChannelKind,
    locale: &str,
) -> Result<ConversationId> {
    let id: ConversationId = sqlx::query(
        "INSERT INTO conversations (contact_id, status, channel, locale, created_at, updated_at, \
         last_message_at) VALUES ($1, 'open', $2, $3, $4, $4, $4) RETURNING id",
    )
    .bind(contact_id)
    .bind(channel.as_str())
    .bind(locale)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE conversations SET reference = $1 WHERE id = $2")
        .bind(Reference(id).to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Where and to whom a reply goes.
struct ReplyTarget {
    conversation_id: Option<ConversationId>,
    contact_id: ContactId,
    identity_id: IdentityId,
    channel: ChannelKind,
    destination: Destination,
    reply_to: Option<String>,
}

/// Stores an outbound message and its outbox row; the dispatcher gets it after the commit.
async fn queue_reply(
    conn: &mut AnyConnection,
    now: Millis,
    target: &ReplyTarget,
    author: Author,
    agent_id: Option<AgentId>,
    body: &str,
    fx: &mut Effects,
) -> Result<MessageId> {
    let message_id: MessageId = sqlx::query(
        "INSERT INTO messages (conversation_id, contact_id, identity_id, direction, author, agent_id, \
         channel, body, created_at) VALUES ($1, $2, $3, 'outbound', $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(target.conversation_id)
    .bind(target.contact_id)
    .bind(target.identity_id)
    .bind(author.as_str())
    .bind(agent_id)
    .bind(target.channel.as_str())
    .bind(body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    let idempotency_key = format!("sb-{message_id}");
    let outbox_id: i64 = sqlx::query(
        "INSERT INTO outbox (message_id, channel, dest_chat, dest_thread, reply_to, idempotency_key, \
         state, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7) RETURNING id",
    )
    .bind(message_id)
    .bind(target.channel.as_str())
    .bind(&target.destination.chat)
    .bind(target.destination.thread.as_deref())
    .bind(target.reply_to.as_deref())
    .bind(&idempotency_key)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    fx.events.push(Event::MessageCreated {
        message_id,
        conversation_id: target.conversation_id,
        contact_id: target.contact_id,
        identity_id: Some(target.identity_id),
    });
    fx.outbox.push(OutboxEntry {
        id: outbox_id,
        channel: target.channel,
        conversation_id: target.conversation_id,
        contact_id: target.contact_id,
        identity_id: Some(target.identity_id),
        attempts: 0,
        next_attempt_at: now,
        message: crate::channel::OutboundMessage {
            message_id,
            idempotency_key,
            destination: target.destination.clone(),
            body: body.to_owned(),
            reply_to: target.reply_to.clone(),
            buttons: Vec::new(),
        },
    });
    Ok(message_id)
}

/// An agent's (or the bot's) reply or note on a conversation.
pub(crate) async fn post(
    conn: &mut AnyConnection,
    now: Millis,
    post: &Post,
    fx: &mut Effects,
) -> Result<Message> {
    let row = sqlx::query(
        "SELECT contact_id, channel, first_response_at FROM conversations WHERE id = $1",
    )
    .bind(post.conversation_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| CoreError::NotFound(format!("conversation {}", post.conversation_id)))?;
    let contact_id: ContactId = row.try_get(0)?;
    let last_channel: ChannelKind = row.try_get::<String, _>(1)?.parse()?;
    let first_response_at: Option<Millis> = row.try_get(2)?;

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
        created_at: now,
        delivery: None,
        delivery_error: None,
        redactions: 0,
        attachments: Vec::new(),
    };
    match post.kind {
        PostKind::Note => {
            message.id = sqlx::query(
                "INSERT INTO messages (conversation_id, contact_id, direction, author, agent_id, body, created_at) \
                 VALUES ($1, $2, 'note', $3, $4, $5, $6) RETURNING id",
            )
            .bind(post.conversation_id)
            .bind(contact_id)
            .bind(post.author.as_str())
            .bind(post.agent_id)
            .bind(&post.body)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
            fx.events.push(Event::MessageCreated {
                message_id: message.id,
                conversation_id: Some(post.conversation_id),
                contact_id,
                identity_id: None,
            });
        }
        PostKind::Reply { channel } => {
            let channel = channel.unwrap_or(last_channel);
            let dest = sqlx::query(
                "SELECT m.identity_id, l.external_chat, l.thread FROM messages m \
                 JOIN message_links l ON l.message_id = m.id \
                 WHERE m.contact_id = $1 AND m.channel = $2 AND m.direction = 'inbound' \
                 ORDER BY m.id DESC LIMIT 1",
            )
            .bind(contact_id)
            .bind(channel.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                CoreError::Invalid(format!("the customer has not written on {channel}"))
            })?;
            let target = ReplyTarget {
                conversation_id: Some(post.conversation_id),
                contact_id,
                identity_id: dest.try_get(0)?,
                channel,
                destination: Destination {
                    chat: dest.try_get(1)?,
                    thread: dest.try_get(2)?,
                },
                reply_to: None,
            };
            message.id = queue_reply(
                conn,
                now,
                &target,
                post.author,
                post.agent_id,
                &post.body,
                fx,
            )
            .await?;
            message.direction = Direction::Outbound;
            message.identity_id = Some(target.identity_id);
            message.channel = Some(channel);
            message.delivery = Some(Delivery::Queued);
            if post.author == Author::Agent && first_response_at.is_none() {
                sqlx::query("UPDATE conversations SET first_response_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(post.conversation_id)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    sqlx::query("UPDATE conversations SET updated_at = $1, last_message_at = $1 WHERE id = $2")
        .bind(now)
        .bind(post.conversation_id)
        .execute(&mut *conn)
        .await?;
    Ok(message)
}

/// Records a batch of successful deliveries in two statements, whatever its size: the hot path
/// of the outbox. Ids travel as one JSON parameter so the statement text never varies.
pub(crate) async fn deliveries_sent(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    sent: &[(&OutboxEntry, Option<&str>)],
    fx: &mut Effects,
) -> Result<()> {
    let ids = serde_json::to_string(&sent.iter().map(|(e, _)| e.id).collect::<Vec<_>>())
        .expect("ids serialize");
    let (update, insert_links) = match cx.backend {
        Backend::Sqlite => (
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = $1 \
             WHERE id IN (SELECT value FROM json_each($2))",
            "INSERT INTO message_links (message_id, channel, external_id, external_chat, thread) \
             SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
             json_extract(value, '$[3]'), json_extract(value, '$[4]') FROM json_each($1) WHERE true \
             ON CONFLICT DO NOTHING",
        ),
        Backend::Postgres => (
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = $1 \
             WHERE id IN (SELECT value::bigint FROM json_array_elements_text($2::json))",
            "INSERT INTO message_links (message_id, channel, external_id, external_chat, thread) \
             SELECT (e->>0)::bigint, e->>1, e->>2, e->>3, e->>4 FROM json_array_elements($1::json) AS e \
             ON CONFLICT DO NOTHING",
        ),
    };
    sqlx::query(update)
        .bind(cx.now)
        .bind(ids)
        .execute(&mut *conn)
        .await?;
    let links: Vec<serde_json::Value> = sent
        .iter()
        .filter_map(|(entry, external_id)| {
            Some(serde_json::json!([
                entry.message.message_id,
                entry.channel.as_str(),
                (*external_id)?,
                entry.message.destination.chat,
                entry.message.destination.thread,
            ]))
        })
        .collect();
    if !links.is_empty() {
        let links = serde_json::Value::Array(links).to_string();
        sqlx::query(insert_links)
            .bind(links)
            .execute(&mut *conn)
            .await?;
    }
    for (entry, _) in sent {
        fx.events.push(delivery_event(entry, Delivery::Sent));
    }
    Ok(())
}

/// Records what the dispatcher learned from a channel.
pub(crate) async fn delivery(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    report: &DeliveryReport,
    fx: &mut Effects,
) -> Result<()> {
    match report {
        DeliveryReport::Sent { entry, external_id } => {
            deliveries_sent(conn, cx, &[(entry, external_id.as_deref())], fx).await?;
        }
        DeliveryReport::Retry { entry, error } => {
            sqlx::query("UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4")
                .bind(entry.attempts as i64)
                .bind(entry.next_attempt_at)
                .bind(error)
                .bind(entry.id)
                .execute(&mut *conn)
                .await?;
        }
        DeliveryReport::Failed { entry, error } => {
            sqlx::query(
                "UPDATE outbox SET state = 'failed', attempts = $1, last_error = $2 WHERE id = $3",
            )
            .bind(entry.attempts as i64)
            .bind(error)
            .bind(entry.id)
            .execute(&mut *conn)
            .await?;
            let note = cx.localizer.text(
                crate::l10n::FALLBACK,
                "system-delivery-failed",
                &[("channel", entry.channel.as_str()), ("reason", error)],
            );
            let note_id: MessageId = sqlx::query(
                "INSERT INTO messages (conversation_id, contact_id, direction, author, channel, body, created_at) \
                 VALUES ($1, $2, 'system', 'system', $3, $4, $5) RETURNING id",
            )
            .bind(entry.conversation_id)
            .bind(entry.contact_id)
            .bind(entry.channel.as_str())
            .bind(&note)
            .bind(cx.now)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
            fx.events.push(delivery_event(entry, Delivery::Failed));
            fx.events.push(Event::MessageCreated {
                message_id: note_id,
                conversation_id: entry.conversation_id,
                contact_id: entry.contact_id,
                identity_id: None,
            });
        }
    }
    Ok(())
}

fn delivery_event(entry: &OutboxEntry, delivery: Delivery) -> Event {
    Event::DeliveryChanged {
        message_id: entry.message.message_id,
        conversation_id: entry.conversation_id,
        identity_id: entry.identity_id,
        delivery,
    }
}
