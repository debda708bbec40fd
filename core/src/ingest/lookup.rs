//! What the store knows about a batch of inbound messages, in one statement: for each, whether
//! it was stored before (dedupe), and the sender's identity, contact locale and latest
//! conversation.

use crate::error::Result;
use crate::model::*;
use crate::store::Backend;
use serde::Deserialize;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

#[derive(Debug, Clone)]
pub(crate) struct KnownIdentity {
    pub id: IdentityId,
    pub contact_id: ContactId,
    pub lang_hint: Option<String>,
    pub display_name: String,
    pub contact_locale: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Latest {
    pub id: ConversationId,
    pub status: Status,
    pub resolved_at: Option<Millis>,
}

#[derive(Debug, Default)]
pub(crate) struct Found {
    pub duplicate: Option<(MessageId, Option<ConversationId>)>,
    pub identity: Option<KnownIdentity>,
    pub latest: Option<Latest>,
    /// For `Threading::Explicit`: the conversation the message names, if any.
    pub named: Option<Named>,
}

/// `(channel, message external id, sender external id)` of each inbound message.
pub(crate) type Key<'a> = (ChannelKind, &'a str, &'a str);

/// The lookup answers with one row holding a JSON array of one record per key. On SQLite
/// every row a statement returns is a hand-off from the connection's thread to the writer task
/// (and a conversion to a driver-neutral row): a hundred of them took 0.7 ms under a flood,
/// the one aggregated row 0.3 ms.
pub(crate) fn statement(backend: Backend) -> String {
    let (keys, aggregate) = match backend {
        Backend::Sqlite => (
            "SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS channel, \
             json_extract(value, '$[1]') AS external_id, json_extract(value, '$[2]') AS sender FROM jsonb_each($1)",
            "json_group_array(json_array",
        ),
        Backend::Postgres => (
            "SELECT ord - 1 AS i, value->>0 AS channel, value->>1 AS external_id, value->>2 AS sender \
             FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ord)",
            "json_agg(json_build_array",
        ),
    };
    let cast = if backend == Backend::Postgres { "::text" } else { "" };
    format!(
        "SELECT {aggregate}(q.i, l.message_id, lm.conversation_id, i.id, i.contact_id, i.lang_hint, i.display_name, \
         c.locale, v.id, v.status, v.resolved_at)){cast} \
         FROM ({keys}) AS q \
         LEFT JOIN message_links l ON l.channel = q.channel AND l.external_id = q.external_id \
         LEFT JOIN messages lm ON lm.id = l.message_id \
         LEFT JOIN identities i ON i.channel = q.channel AND i.external_id = q.sender \
         LEFT JOIN contacts c ON c.id = i.contact_id \
         LEFT JOIN conversations v ON v.id = (SELECT MAX(id) FROM conversations WHERE contact_id = i.contact_id)"
    )
}

/// One key's record. It arrives as a JSON array in the order `statement` lists its columns
/// (serde reads a struct from an array field by field).
#[derive(Deserialize)]
struct Record {
    i: usize,
    message_id: Option<MessageId>,
    message_conversation: Option<ConversationId>,
    identity: Option<IdentityId>,
    contact_id: Option<ContactId>,
    lang_hint: Option<String>,
    display_name: Option<String>,
    contact_locale: Option<String>,
    latest: Option<ConversationId>,
    latest_status: Option<String>,
    latest_resolved_at: Option<Millis>,
}

pub(crate) async fn find(conn: &mut AnyConnection, sql: &str, keys: &[Key<'_>]) -> Result<Vec<Found>> {
    let mut found: Vec<Found> = keys.iter().map(|_| Found::default()).collect();
    if keys.is_empty() {
        return Ok(found);
    }
    let json = serde_json::to_string(&keys.iter().map(|(c, m, s)| (c.as_str(), m, s)).collect::<Vec<_>>())
        .expect("keys serialize");
    // `fetch_all`: the statement may follow a BEGIN in the same query.
    let rows = sqlx::query(AssertSqlSafe(sql.to_owned())).bind(json).fetch_all(&mut *conn).await?;
    let records: Option<String> = match rows.first() {
        Some(row) => row.try_get(0)?,
        None => None,
    };
    let records: Vec<Record> = match records {
        Some(text) => serde_json::from_str(&text).map_err(|error| sqlx::Error::Decode(Box::new(error)))?,
        None => Vec::new(),
    };
    for record in records {
        let Some(slot) = found.get_mut(record.i) else {
            continue;
        };
        if let Some(message_id) = record.message_id {
            slot.duplicate = Some((message_id, record.message_conversation));
        }
        if let (Some(id), Some(contact_id)) = (record.identity, record.contact_id) {
            slot.identity = Some(KnownIdentity {
                id,
                contact_id,
                lang_hint: record.lang_hint,
                display_name: record.display_name.unwrap_or_default(),
                contact_locale: record.contact_locale,
            });
        }
        if let (Some(id), Some(status)) = (record.latest, record.latest_status) {
            slot.latest = Some(Latest { id, status: status.parse()?, resolved_at: record.latest_resolved_at });
        }
    }
    Ok(found)
}

/// The conversation a mail names, with the contact it belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named {
    pub conversation: Latest,
    pub contact_id: ContactId,
}

/// The conversation named by a message's references (the latest that matches one of our
/// stored platform ids on its channel) or else by its `[#REF]` tag.
pub(crate) async fn named(
    conn: &mut AnyConnection,
    channel: ChannelKind,
    references: &[String],
    tagged: Option<ConversationId>,
) -> Result<Option<Named>> {
    let named = |row: sqlx::any::AnyRow| -> Result<Named> {
        Ok(Named {
            conversation: Latest {
                id: row.try_get(0)?,
                status: row.try_get::<String, _>(1)?.parse()?,
                resolved_at: row.try_get(2)?,
            },
            contact_id: row.try_get(3)?,
        })
    };
    // The newest reference first: a reply names its parent last.
    for reference in references.iter().rev().take(MAX_REFERENCES) {
        let row = sqlx::query(
            "SELECT v.id, v.status, v.resolved_at, v.contact_id FROM message_links l \
             JOIN messages m ON m.id = l.message_id JOIN conversations v ON v.id = m.conversation_id \
             WHERE l.channel = $1 AND l.external_id = $2 ORDER BY m.id DESC LIMIT 1",
        )
        .bind(channel.as_str())
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            return named(row).map(Some);
        }
    }
    let Some(id) = tagged else { return Ok(None) };
    let row = sqlx::query("SELECT id, status, resolved_at, contact_id FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(named).transpose()
}

/// References looked up per message: long threads carry dozens; the newest decide.
const MAX_REFERENCES: usize = 20;
