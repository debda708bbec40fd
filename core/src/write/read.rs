//! What the writer reads before a batch is planned. For inbound messages, in one statement: for
//! each, whether it was stored before (dedupe), and the sender's identity, contact locale and
//! latest conversation. For agents' changes: the conversation, route, contacts or message they
//! act on.

use crate::error::Result;
use crate::model::*;
use crate::plan::known::{
    ConversationAt, Edited, Found, KnownIdentity, Latest, LinkAt, MergeAt, Named, PostAt, Route, SurveyAt, SurveyState,
};
use crate::post::{Post, PostKind};
use crate::prepare::Edit;
use crate::store::Backend;
use serde::Deserialize;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

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
         c.locale, v.id, v.status, v.resolved_at, {SURVEY_COLUMNS}, {COMPLAINT_COLUMN})){cast} \
         FROM ({keys}) AS q \
         LEFT JOIN message_links l ON l.channel = q.channel AND l.external_id = q.external_id \
         LEFT JOIN messages lm ON lm.id = l.message_id \
         LEFT JOIN identities i ON i.channel = q.channel AND i.external_id = q.sender \
         LEFT JOIN contacts c ON c.id = i.contact_id \
         LEFT JOIN conversations v ON v.id = (SELECT MAX(id) FROM conversations WHERE contact_id = i.contact_id) \
         {SURVEY_JOIN}"
    )
}

/// The latest survey of conversation `v`, as `s`.
const SURVEY_JOIN: &str = "LEFT JOIN surveys s ON s.id = (SELECT MAX(id) FROM surveys WHERE conversation_id = v.id)";
/// What `survey_at` reads of `s`.
const SURVEY_COLUMNS: &str = "s.id, s.state, s.rated_at, CASE WHEN s.comment IS NULL THEN 0 ELSE 1 END";

/// The stage of conversation `v`'s latest complaint.
const COMPLAINT_COLUMN: &str =
    "(SELECT k.stage FROM complaints k WHERE k.conversation_id = v.id ORDER BY k.id DESC LIMIT 1)";

/// A survey as `SURVEY_COLUMNS` read it (no id: the conversation has none).
fn survey_at(id: Option<i64>, state: Option<String>, rated_at: Option<Millis>, commented: i64) -> Option<SurveyAt> {
    Some(SurveyAt { id: id?, state: SurveyState::parse(state.as_deref()?)?, rated_at, commented: commented != 0 })
}

/// The survey read by `SURVEY_COLUMNS` from column `first` of `row` on.
fn survey_of(row: &sqlx::any::AnyRow, first: usize) -> Result<Option<SurveyAt>> {
    Ok(survey_at(row.try_get(first)?, row.try_get(first + 1)?, row.try_get(first + 2)?, row.try_get(first + 3)?))
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
    survey: Option<i64>,
    survey_state: Option<String>,
    survey_rated_at: Option<Millis>,
    survey_commented: i64,
    complaint_stage: Option<String>,
}

/// PostgreSQL, before the lookup: waits until no other writer's transaction (another
/// instance's) can still create these senders' identities or store their messages, so that
/// the lookup then sees what it committed. Two batches with the same new customer open one
/// conversation; the same platform message delivered to two instances is stored once, and the
/// later batch reads it as a duplicate with the first one's ids. The locks are advisory and
/// transaction-scoped (released at commit or rollback, nothing held by the session, so this
/// works behind PgBouncer in transaction mode), taken in one order by every writer, so that two
/// batches never wait on each other in a cycle.
pub(crate) async fn lock_senders(conn: &mut AnyConnection, keys: &[Key<'_>]) -> Result<()> {
    let senders: Vec<String> =
        keys.iter().map(|(channel, _, sender)| format!("{}:{sender}", channel.as_str())).collect();
    let json = serde_json::to_string(&senders).expect("senders serialize");
    // `OFFSET 0` keeps the ordered subquery whole: the locks are taken in its order.
    sqlx::query(
        "SELECT COUNT(pg_advisory_xact_lock(k)) FROM \
         (SELECT DISTINCT hashtextextended(value, 0) AS k FROM json_array_elements_text($1::json) ORDER BY 1 OFFSET 0) \
         AS senders",
    )
    .bind(json)
    .execute(&mut *conn)
    .await?;
    Ok(())
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
            let survey = survey_at(record.survey, record.survey_state, record.survey_rated_at, record.survey_commented);
            let complaint = record.complaint_stage.and_then(|s| s.parse().ok());
            let resolved_at = record.latest_resolved_at;
            slot.latest = Some(Latest { id, status: status.parse()?, resolved_at, survey, complaint });
        }
    }
    Ok(found)
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
                survey: survey_of(&row, 4)?,
                complaint: None,
            },
            contact_id: row.try_get(3)?,
        })
    };
    // The newest reference first: a reply names its parent last.
    for reference in references.iter().rev().take(MAX_REFERENCES) {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT v.id, v.status, v.resolved_at, v.contact_id, {SURVEY_COLUMNS} FROM message_links l \
             JOIN messages m ON m.id = l.message_id JOIN conversations v ON v.id = m.conversation_id {SURVEY_JOIN} \
             WHERE l.channel = $1 AND l.external_id = $2 ORDER BY m.id DESC LIMIT 1"
        )))
        .bind(channel.as_str())
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            return named(row).map(Some);
        }
    }
    let Some(id) = tagged else { return Ok(None) };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT v.id, v.status, v.resolved_at, v.contact_id, {SURVEY_COLUMNS} FROM conversations v {SURVEY_JOIN} \
         WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(named).transpose()
}

/// References looked up per message: long threads carry dozens; the newest decide.
const MAX_REFERENCES: usize = 20;

/// A conversation as a post or an update finds it.
pub(crate) async fn conversation(conn: &mut AnyConnection, id: ConversationId) -> Result<Option<ConversationAt>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT v.contact_id, v.channel, v.status, v.handoff_at, v.bot_answered_at, \
         (SELECT automated FROM messages WHERE conversation_id = v.id AND direction = 'inbound' \
          ORDER BY id DESC LIMIT 1), {SURVEY_COLUMNS}, v.assignee_id, \
         CASE WHEN v.routed_cycle = COALESCE(v.cycle_started_at, v.created_at) THEN 1 ELSE 0 END AS routed \
         FROM conversations v {SURVEY_JOIN} WHERE v.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| -> Result<ConversationAt> {
        Ok(ConversationAt {
            contact_id: row.try_get(0)?,
            channel: row.try_get::<String, _>(1)?.parse()?,
            status: row.try_get::<String, _>(2)?.parse()?,
            handed_off: row.try_get::<Option<i64>, _>(3)?.is_some(),
            bot_answered_at: row.try_get(4)?,
            automated: row.try_get::<Option<i64>, _>(5)?.unwrap_or(0) != 0,
            survey: survey_of(&row, 6)?,
            assignee_id: row.try_get("assignee_id")?,
            routed: row.try_get::<i64, _>("routed")? != 0,
        })
    })
    .transpose()
}

/// A post's conversation and, for a reply, where the customer last wrote from: in this
/// conversation first (after a merge the contact has several chats, and this conversation's is
/// the one that asked), else anywhere on the channel; or the identity the agent picked.
pub(crate) async fn post(conn: &mut AnyConnection, post: &Post) -> Result<PostAt> {
    let Some(conversation) = self::conversation(conn, post.conversation_id).await? else {
        return Ok(PostAt::default());
    };
    let PostKind::Reply { channel } = post.kind else {
        return Ok(PostAt { conversation: Some(conversation), route: None });
    };
    let channel = crate::plan::reply_channel(channel, post.identity_id, conversation.channel);
    let route = sqlx::query(
        "SELECT m.identity_id, l.external_chat, l.thread, m.channel FROM messages m \
         JOIN message_links l ON l.message_id = m.id \
         WHERE m.contact_id = $1 AND m.direction = 'inbound' AND ($2 IS NULL OR m.channel = $2) \
           AND ($3 IS NULL OR m.identity_id = $3) \
         ORDER BY CASE WHEN m.conversation_id = $4 THEN 0 ELSE 1 END, m.id DESC LIMIT 1",
    )
    .bind(conversation.contact_id)
    .bind(channel.map(ChannelKind::as_str))
    .bind(post.identity_id)
    .bind(post.conversation_id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| -> Result<Route> {
        Ok(Route {
            identity_id: row.try_get(0)?,
            chat: row.try_get(1)?,
            thread: row.try_get(2)?,
            channel: row.try_get::<String, _>(3)?.parse()?,
        })
    })
    .transpose()?;
    Ok(PostAt { conversation: Some(conversation), route })
}

/// Two contacts about to be joined (`merged` may be one the batch has not stored yet).
pub(crate) async fn merge(conn: &mut AnyConnection, survivor: ContactId, merged: ContactId) -> Result<MergeAt> {
    let rows = sqlx::query("SELECT id, locale FROM contacts WHERE id IN ($1, $2) AND merged_into IS NULL")
        .bind(survivor)
        .bind(merged)
        .fetch_all(&mut *conn)
        .await?;
    let alive = rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_>>()?;
    let latest = sqlx::query(AssertSqlSafe(format!(
        "SELECT v.id, v.status, v.resolved_at, {SURVEY_COLUMNS} FROM conversations v {SURVEY_JOIN} \
         WHERE v.contact_id IN ($1, $2) ORDER BY v.id DESC LIMIT 1"
    )))
    .bind(survivor)
    .bind(merged)
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| -> Result<Latest> {
        Ok(Latest {
            id: row.try_get(0)?,
            status: row.try_get::<String, _>(1)?.parse()?,
            resolved_at: row.try_get(2)?,
            survey: survey_of(&row, 3)?,
            complaint: None,
        })
    })
    .transpose()?;
    Ok(MergeAt { alive, latest })
}

/// `/link CODE` from a sender whose contact is `sender` (none: first heard from in this batch).
pub(crate) async fn link(
    conn: &mut AnyConnection,
    code: &str,
    sender: Option<ContactId>,
    now: Millis,
) -> Result<LinkAt> {
    let row = sqlx::query("SELECT subject FROM auth_tokens WHERE token_hash = $1 AND kind = $2 AND expires_at > $3")
        .bind(crate::plan::link_hash(code))
        .bind(crate::plan::LINK_TOKEN)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(target) = row.and_then(|r| r.try_get::<String, _>(0).ok()?.parse::<ContactId>().ok()) else {
        return Ok(LinkAt::default());
    };
    // A sender first heard from in this batch has no stored contact yet: only the target is read.
    let merge = merge(conn, target, sender.unwrap_or(target)).await?;
    Ok(LinkAt { target: Some(target), merge })
}

/// The stored inbound message a customer edited.
pub(crate) async fn edited(conn: &mut AnyConnection, edit: &Edit) -> Result<Option<Edited>> {
    let row = sqlx::query(
        "SELECT m.id, m.conversation_id, m.identity_id, m.body FROM message_links l \
         JOIN messages m ON m.id = l.message_id WHERE l.channel = $1 AND l.external_id = $2 AND m.direction = 'inbound'",
    )
    .bind(edit.channel.as_str())
    .bind(&edit.external_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| -> Result<Edited> {
        Ok(Edited {
            id: row.try_get(0)?,
            conversation_id: row.try_get(1)?,
            identity_id: row.try_get(2)?,
            body: row.try_get(3)?,
        })
    })
    .transpose()
}
