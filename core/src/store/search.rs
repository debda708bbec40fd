//! Full-text search over the indexes the writer keeps (`search::stored` words of messages,
//! contacts and identities): which conversations and contacts a search box's text finds, the
//! most recent first, and the backfill of what was stored before the indexes existed.

use super::{Backend, Store};
use crate::error::Result;
use crate::model::*;
use crate::search::Query;
use sqlx::{AssertSqlSafe, Row};

/// How many hits of one index a search reads: enough to fill pages of results after the
/// inbox's other filters, few enough to stay fast however common the word.
const MOST_HITS: i64 = 500;

/// A conversation a search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub conversation_id: ConversationId,
    /// The newest message of it whose words matched, if one did (else its reference, its
    /// contact or its tags did).
    pub message_id: Option<MessageId>,
}

impl Store {
    /// The ids in `index` whose words match `query`, the highest first.
    async fn hits(&self, index: &str, query: &Query, limit: i64) -> Result<Vec<i64>> {
        let expression = query.expression(self.backend().into());
        let sql = match self.backend() {
            Backend::Sqlite => {
                format!("SELECT rowid FROM {index} WHERE {index} MATCH $1 ORDER BY rowid DESC LIMIT {limit}")
            }
            Backend::Postgres => {
                format!("SELECT rowid FROM {index} WHERE terms @@ $1::tsquery ORDER BY rowid DESC LIMIT {limit}")
            }
        };
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(expression).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The contacts whose name, attributes, or an identity's name or handle match `query`
    /// (merged contacts as the one they were merged into), the newest first.
    pub async fn search_contacts(&self, query: &Query, limit: i64) -> Result<Vec<ContactId>> {
        let mut ids = self.hits("contact_search", query, limit).await?;
        let identities = self.hits("identity_search", query, limit).await?;
        if !identities.is_empty() {
            let sql = format!("SELECT contact_id FROM identities WHERE id IN ({})", id_list(&identities));
            for row in sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await? {
                ids.push(row.try_get(0)?);
            }
        }
        if ids.is_empty() {
            return Ok(ids);
        }
        let sql = format!(
            "SELECT DISTINCT COALESCE(merged_into, id) AS contact FROM contacts WHERE id IN ({}) ORDER BY contact DESC LIMIT {limit}",
            id_list(&ids)
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The conversations `text` finds: by reference (`#1042`), by a message's words, by the
    /// contact's name, handles or attributes, by a tag. The most recent match first: an exact
    /// reference, then by when the matching message was written or the conversation last moved.
    pub async fn search_conversations(&self, text: &str) -> Result<Vec<Found>> {
        let Some(query) = Query::parse(text) else { return Ok(Vec::new()) };
        // (conversation, message, when): when ranks them.
        let mut found: Vec<(ConversationId, Option<MessageId>, Millis)> = Vec::new();
        let digits = text.trim().trim_start_matches('#');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let row = sqlx::query("SELECT id FROM conversations WHERE reference = $1")
                .bind(format!("#{digits}"))
                .fetch_optional(self.pool())
                .await?;
            if let Some(row) = row {
                found.push((row.try_get(0)?, None, Millis::MAX));
            }
        }
        let messages = self.hits("message_search", &query, MOST_HITS).await?;
        if !messages.is_empty() {
            let sql = format!(
                "SELECT conversation_id, id, created_at FROM messages WHERE id IN ({}) AND conversation_id IS NOT NULL",
                id_list(&messages)
            );
            for row in sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await? {
                found.push((row.try_get(0)?, Some(row.try_get(1)?), row.try_get(2)?));
            }
        }
        let contacts = self.search_contacts(&query, MOST_HITS).await?;
        let mut others = Vec::new();
        if !contacts.is_empty() {
            others.push(format!("contact_id IN ({})", id_list(&contacts)));
        }
        // Tags are few words in a short column: read where a single word could be one.
        if !text.trim().contains(char::is_whitespace) {
            others.push("LOWER(tags) LIKE $1 ESCAPE '\\'".to_owned());
        }
        for clause in others {
            let sql = format!(
                "SELECT id, last_message_at FROM conversations WHERE {clause} ORDER BY last_message_at DESC LIMIT {MOST_HITS}"
            );
            let query = sqlx::query(AssertSqlSafe(sql));
            let query = if clause.contains("$1") {
                query.bind(super::conversations::like(&text.trim().to_lowercase()))
            } else {
                query
            };
            for row in query.fetch_all(self.pool()).await? {
                found.push((row.try_get(0)?, None, row.try_get(1)?));
            }
        }
        // The most recent first; a conversation once, with its newest matching message.
        found.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.is_some().cmp(&a.1.is_some())));
        let mut seen = std::collections::HashSet::new();
        Ok(found
            .into_iter()
            .filter(|(conversation, _, _)| seen.insert(*conversation))
            .map(|(conversation_id, message_id, _)| Found { conversation_id, message_id })
            .collect())
    }
}

impl Store {
    /// A page of found conversations in the search's order, each with where it was found
    /// marked.
    pub(crate) async fn found_page(
        &self,
        mut page: Vec<super::conversations::ConversationSummary>,
        found: &[Found],
        text: &str,
    ) -> Result<Vec<super::conversations::ConversationSummary>> {
        let rank: std::collections::HashMap<ConversationId, (usize, Option<MessageId>)> =
            found.iter().enumerate().map(|(i, f)| (f.conversation_id, (i, f.message_id))).collect();
        page.sort_by_key(|s| rank.get(&s.conversation.id).map_or(usize::MAX, |r| r.0));
        let messages: Vec<i64> = page.iter().filter_map(|s| rank.get(&s.conversation.id)?.1).collect();
        let mut bodies = std::collections::HashMap::new();
        if !messages.is_empty() {
            let sql = format!("SELECT id, body FROM messages WHERE id IN ({})", id_list(&messages));
            for row in sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await? {
                bodies.insert(row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?);
            }
        }
        let Some(query) = Query::parse(text) else { return Ok(page) };
        Ok(page
            .into_iter()
            .map(|mut summary| {
                let message = rank.get(&summary.conversation.id).and_then(|r| r.1).and_then(|id| bodies.get(&id));
                let tags = summary.conversation.tags.join(" ");
                let candidates =
                    [message, Some(&summary.contact_name), Some(&summary.conversation.reference), Some(&tags)];
                let shown = candidates.into_iter().flatten().find(|t| !query.hits(t).is_empty());
                let shown = shown.or(summary.last_body.as_ref()).cloned().unwrap_or_default();
                summary.found = Some(crate::search::excerpt(&shown, &query.hits(&shown), 140));
                summary
            })
            .collect())
    }
}

/// The statement giving `index` the words of JSON rows `{"rowid", "terms"}` in `param`,
/// replacing what it held for the same ids.
pub(crate) fn index_statement(backend: Backend, index: &str, param: &str) -> String {
    match backend {
        Backend::Sqlite => format!(
            "INSERT OR REPLACE INTO {index} (rowid, terms) SELECT json_extract(value, '$.rowid'), \
             json_extract(value, '$.terms') FROM jsonb_each({param}) WHERE true"
        ),
        Backend::Postgres => format!(
            "INSERT INTO {index} (rowid, terms) SELECT rowid, terms FROM json_to_recordset({param}::json) \
             AS r(rowid bigint, terms tsvector) ON CONFLICT (rowid) DO UPDATE SET terms = excluded.terms"
        ),
    }
}

/// Ids as an SQL list: numbers only, so they are written into the statement as they are.
fn id_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    ids.join(", ")
}

/// What the backfill reads at a time.
const BACKFILL_CHUNK: i64 = 2_000;

impl Store {
    /// Indexes one chunk of what was stored before the search indexes existed (messages,
    /// contacts, identities; the newest first). Returns how many rows it indexed: 0 when done.
    pub async fn backfill_search(&self) -> Result<usize> {
        let sources = [
            (
                "messages",
                "message_search",
                "SELECT id, body FROM messages WHERE id < $1 AND author NOT IN ('bot', 'system')",
            ),
            ("contacts", "contact_search", "SELECT id, name FROM contacts WHERE id < $1"),
            (
                "identities",
                "identity_search",
                "SELECT id, display_name || ' ' || external_id FROM identities WHERE id < $1",
            ),
        ];
        for (source, index, select) in sources {
            let Some(row) = sqlx::query("SELECT below FROM search_backfill WHERE source = $1")
                .bind(source)
                .fetch_optional(self.pool())
                .await?
            else {
                continue;
            };
            let below: i64 = row.try_get(0)?;
            let sql = format!("{select} ORDER BY id DESC LIMIT {BACKFILL_CHUNK}");
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(below).fetch_all(self.pool()).await?;
            let mut tx = self.begin_write().await?;
            let Some(last) = rows.last() else {
                sqlx::query("DELETE FROM search_backfill WHERE source = $1").bind(source).execute(&mut *tx).await?;
                tx.commit().await?;
                continue;
            };
            let lowest: i64 = last.try_get(0)?;
            let mut searched = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: i64 = row.try_get(0)?;
                let text: Option<String> = row.try_get(1)?;
                searched.push(serde_json::json!({"rowid": id, "terms": crate::search::stored(&text.unwrap_or_default(), self.backend().into())}));
            }
            let write = index_statement(self.backend(), index, "$1");
            sqlx::query(AssertSqlSafe(write))
                .bind(serde_json::Value::from(searched).to_string())
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE search_backfill SET below = $1 WHERE source = $2")
                .bind(lowest)
                .bind(source)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            // What was erased while this chunk was read must not stay findable.
            let table = source;
            let orphans = format!(
                "DELETE FROM {index} WHERE rowid >= $1 AND rowid < $2 AND rowid NOT IN (SELECT id FROM {table} WHERE id >= $1 AND id < $2)"
            );
            sqlx::query(AssertSqlSafe(orphans)).bind(lowest).bind(below).execute(self.pool()).await?;
            return Ok(rows.len());
        }
        Ok(0)
    }
}
