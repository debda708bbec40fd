//! Deleting personal data for good: a contact erased on request (with every conversation,
//! message, attachment, identity and session that was theirs), and messages past the retention
//! period. Run by the writer, each alone in its own transaction, so no batch can write about a
//! row while it disappears. Files are removed by the caller after the commit.

use crate::error::Result;
use crate::model::{AgentId, ContactId, ConversationId, Millis};
use crate::store::Store;
use sqlx::{AnyConnection, Row};

/// What an erasure or a retention sweep removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub contacts: i64,
    pub identities: i64,
    pub conversations: i64,
    pub messages: i64,
    pub attachments: i64,
    /// Conversations that no longer exist (live views drop them).
    #[serde(skip)]
    pub conversation_ids: Vec<ConversationId>,
    /// The attachments' files, to delete once the rows are gone for good.
    #[serde(skip)]
    pub storage_keys: Vec<String>,
    /// Outbox entries deleted while still pending: the dispatcher must not send them.
    #[serde(skip)]
    pub withdrawn: Vec<i64>,
}

/// Which messages a deletion covers, as SQL over `messages m` taking `$1`.
const OF_CONTACT: &str = "SELECT m.id FROM messages m WHERE m.contact_id = $1 \
     OR m.conversation_id IN (SELECT c.id FROM conversations c WHERE c.contact_id = $1)";
const OLDER_THAN: &str = "SELECT m.id FROM messages m WHERE m.created_at < $1 \
     AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id AND o.state = 'pending')";

/// Erases `contact` and every contact merged into it; records an audit entry naming no one.
/// `Ok(None)`: no such contact.
pub(crate) async fn erase_contact(
    conn: &mut AnyConnection,
    contact: ContactId,
    by: Option<AgentId>,
    now: Millis,
) -> Result<Option<Erased>> {
    let exists = sqlx::query("SELECT id FROM contacts WHERE id = $1 AND merged_into IS NULL")
        .bind(contact)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut erased = delete_messages(conn, OF_CONTACT, contact).await?;
    let conversations: Vec<ConversationId> =
        first_column(conn, "SELECT id FROM conversations WHERE contact_id = $1", contact).await?;
    erased.conversations =
        delete_conversations(conn, "SELECT id FROM conversations WHERE contact_id = $1", contact).await?;
    erased.conversation_ids.extend(conversations);
    // A web-chat visitor's session and a pending link code would let the erased person's
    // history be asked for again; they go with the identities.
    sqlx::query(
        "DELETE FROM auth_tokens WHERE (kind = 'webchat' AND subject IN \
         (SELECT external_id FROM identities WHERE contact_id = $1 AND channel = 'webchat')) \
         OR (kind = 'link' AND subject = $2)",
    )
    .bind(contact)
    .bind(contact.to_string())
    .execute(&mut *conn)
    .await?;
    // Their words leave the search indexes with them, and what agents noted of them goes too.
    for unsearched in [
        "DELETE FROM identity_search WHERE rowid IN (SELECT id FROM identities WHERE contact_id = $1)",
        "DELETE FROM contact_search WHERE rowid IN (SELECT id FROM contacts WHERE id = $1 OR merged_into = $1)",
        "DELETE FROM contact_attributes WHERE contact_id IN (SELECT id FROM contacts WHERE id = $1 OR merged_into = $1)",
        "DELETE FROM contact_notes WHERE contact_id IN (SELECT id FROM contacts WHERE id = $1 OR merged_into = $1)",
        "DELETE FROM announcement_sends WHERE contact_id IN (SELECT id FROM contacts WHERE id = $1 OR merged_into = $1)",
    ] {
        sqlx::query(unsearched).bind(contact).execute(&mut *conn).await?;
    }
    erased.identities = sqlx::query("DELETE FROM identities WHERE contact_id = $1")
        .bind(contact)
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64;
    let merged = sqlx::query("DELETE FROM contacts WHERE merged_into = $1").bind(contact).execute(&mut *conn).await?;
    let own = sqlx::query("DELETE FROM contacts WHERE id = $1").bind(contact).execute(&mut *conn).await?;
    erased.contacts = (merged.rows_affected() + own.rows_affected()) as i64;
    audit(conn, "contact", by, now, &erased).await?;
    Ok(Some(erased))
}

/// What hangs on a conversation besides its messages, deleted before it: entities, its
/// surveys (their comments are the customer's words), quality reviews, its reporting ledger
/// and cycles, its incident links, complaints and the queue places it was told.
const CONVERSATION_TABLES: [&str; 8] =
    ["entities", "surveys", "reviews", "ledger", "cycles", "incident_links", "complaints", "queue_notices"];

/// Deletes the conversations `which` selects (with `$1` bound to `parameter`) and what hangs on
/// them; the reports' days their cycles began in are counted again without them. Returns how
/// many conversations went.
async fn delete_conversations(conn: &mut AnyConnection, which: &str, parameter: i64) -> Result<i64> {
    let days = crate::store::reports::raise_versions(&format!(
        "SELECT started_at AS start FROM cycles WHERE conversation_id IN ({which})"
    ));
    sqlx::query(sqlx::AssertSqlSafe(days)).bind(parameter).execute(&mut *conn).await?;
    for table in CONVERSATION_TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE conversation_id IN ({which})")))
            .bind(parameter)
            .execute(&mut *conn)
            .await?;
    }
    let gone = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM conversations WHERE id IN ({which})")))
        .bind(parameter)
        .execute(&mut *conn)
        .await?;
    Ok(gone.rows_affected() as i64)
}

/// Deletes messages created before `cutoff` (and their attachments, links and edits), except
/// replies still waiting to be sent, then conversations left with no message and no activity
/// since. Contacts and identities stay: a returning customer is still recognized.
pub(crate) async fn delete_older_than(conn: &mut AnyConnection, cutoff: Millis, now: Millis) -> Result<Erased> {
    let mut erased = delete_messages(conn, OLDER_THAN, cutoff).await?;
    let empty = "SELECT c.id FROM conversations c WHERE c.last_message_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)";
    let conversations: Vec<ConversationId> = first_column(conn, empty, cutoff).await?;
    // The same set, selected again inside the same transaction, so no id list is spelled out.
    erased.conversations = delete_conversations(conn, empty, cutoff).await?;
    erased.conversation_ids = conversations;
    if erased.messages > 0 || erased.conversations > 0 {
        audit(conn, "retention", None, now, &erased).await?;
    }
    Ok(erased)
}

/// Deletes the messages `which` selects (with `$1` bound to `parameter`) and everything that
/// hangs on them, children first.
async fn delete_messages(conn: &mut AnyConnection, which: &str, parameter: i64) -> Result<Erased> {
    let storage_keys: Vec<String> =
        first_column(conn, &format!("SELECT storage_key FROM attachments WHERE message_id IN ({which})"), parameter)
            .await?;
    let pending = format!("SELECT id FROM outbox WHERE state = 'pending' AND message_id IN ({which})");
    let withdrawn: Vec<i64> = first_column(conn, &pending, parameter).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM message_search WHERE rowid IN ({which})")))
        .bind(parameter)
        .execute(&mut *conn)
        .await?;
    for table in ["entities", "message_edits", "attachments", "outbox", "message_links", "kb_hits"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE message_id IN ({which})")))
            .bind(parameter)
            .execute(&mut *conn)
            .await?;
    }
    let messages = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM messages WHERE id IN ({which})")))
        .bind(parameter)
        .execute(&mut *conn)
        .await?
        .rows_affected() as i64;
    Ok(Erased { messages, attachments: storage_keys.len() as i64, storage_keys, withdrawn, ..Erased::default() })
}

/// The first column of every row `sql` (taking `$1`) returns.
async fn first_column<T>(conn: &mut AnyConnection, sql: &str, parameter: i64) -> Result<Vec<T>>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).bind(parameter).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// The audit trail keeps what was done, when and by whom, never whose data it was.
async fn audit(conn: &mut AnyConnection, kind: &str, by: Option<AgentId>, now: Millis, erased: &Erased) -> Result<()> {
    sqlx::query(
        "INSERT INTO erasures (kind, agent_id, erased_at, contacts, identities, conversations, messages, attachments) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(kind)
    .bind(by)
    .bind(now)
    .bind(erased.contacts)
    .bind(erased.identities)
    .bind(erased.conversations)
    .bind(erased.messages)
    .bind(erased.attachments)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Whether a stored attachment still refers to these bytes (files are kept once per content).
    pub async fn attachment_in_use(&self, storage_key: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 FROM attachments WHERE storage_key = $1 UNION ALL SELECT 1 FROM canned_attachments WHERE storage_key = $1",
        )
            .bind(storage_key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }
}
