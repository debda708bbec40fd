//! The contacts page's reads and an agent's changes to a contact: the list (newest first,
//! searched by name, handle, e-mail address, phone-like ids, external id or attribute), a
//! contact's attributes, notes and tickets; renaming, setting attributes, adding notes. Every
//! change keeps the contact's words in the search index.

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::search::Query;
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// A contact as the contacts list shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactListed {
    pub id: ContactId,
    pub name: String,
    pub locale: Option<String>,
    pub created_at: Millis,
    /// `channel:external id` of each identity.
    pub handles: Vec<String>,
    pub conversations: i64,
    pub last_message_at: Option<Millis>,
}

/// A note about a contact (not about one conversation).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactNote {
    pub id: i64,
    pub agent_id: Option<AgentId>,
    pub body: String,
    pub created_at: Millis,
}

/// One ticket of a contact's history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: ConversationId,
    pub reference: String,
    pub status: String,
    pub channel: String,
    pub created_at: Millis,
    pub last_message_at: Millis,
}

/// What agents add to a contact.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactDetails {
    pub attributes: BTreeMap<String, String>,
    pub notes: Vec<ContactNote>,
    /// Newest first.
    pub tickets: Vec<Ticket>,
}

/// At most this many attributes per contact, and these lengths: a contact is not a database.
pub const MOST_ATTRIBUTES: usize = 50;
pub const LONGEST_KEY: usize = 40;
pub const LONGEST_VALUE: usize = 500;

/// The digits of a phone-like text (`+1 (555) 010-2000`), when it is one.
fn phone_digits(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (phone_like && digits.len() >= 5 && digits.len() != text.trim().len()).then_some(digits)
}

impl Store {
    /// Contacts, the newest first, `before` an id (paging), those `search` finds if given.
    pub async fn list_contacts(
        &self,
        search: Option<&str>,
        before: Option<ContactId>,
        limit: i64,
    ) -> Result<Vec<ContactListed>> {
        let limit = limit.clamp(1, 100);
        let mut clauses = vec!["k.merged_into IS NULL".to_owned()];
        if let Some(before) = before {
            clauses.push(format!("k.id < {before}"));
        }
        if let Some(text) = search.map(str::trim).filter(|t| !t.is_empty()) {
            let mut ids = Vec::new();
            for text in std::iter::once(text.to_owned()).chain(phone_digits(text)) {
                if let Some(query) = Query::parse(&text) {
                    ids.extend(self.search_contacts(&query, 1000).await?);
                }
            }
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            clauses.push(format!("k.id IN ({})", ids.join(", ")));
        }
        let sql = format!(
            "SELECT k.id, k.name, k.locale, k.created_at, \
             (SELECT COUNT(*) FROM conversations c WHERE c.contact_id = k.id), \
             (SELECT MAX(c.last_message_at) FROM conversations c WHERE c.contact_id = k.id) \
             FROM contacts k WHERE {} ORDER BY k.id DESC LIMIT {limit}",
            clauses.join(" AND ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        let mut contacts = Vec::with_capacity(rows.len());
        for r in &rows {
            contacts.push(ContactListed {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                locale: r.try_get(2)?,
                created_at: r.try_get(3)?,
                handles: Vec::new(),
                conversations: r.try_get(4)?,
                last_message_at: r.try_get(5)?,
            });
        }
        if !contacts.is_empty() {
            let ids: Vec<String> = contacts.iter().map(|c| c.id.to_string()).collect();
            let sql = format!(
                "SELECT contact_id, channel, external_id FROM identities WHERE contact_id IN ({}) ORDER BY id",
                ids.join(", ")
            );
            for r in sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await? {
                let contact: ContactId = r.try_get(0)?;
                let handle = format!("{}:{}", r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?);
                if let Some(c) = contacts.iter_mut().find(|c| c.id == contact) {
                    c.handles.push(handle);
                }
            }
        }
        Ok(contacts)
    }

    /// A contact's attributes, notes (oldest first) and tickets (newest first).
    /// A contact's attributes (UID, VIP, KYC level…), by name.
    pub async fn contact_attributes(&self, id: ContactId) -> Result<BTreeMap<String, String>> {
        let rows = sqlx::query("SELECT key, value FROM contact_attributes WHERE contact_id = $1 ORDER BY key")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    pub async fn contact_details(&self, id: ContactId) -> Result<ContactDetails> {
        let mut details = ContactDetails { attributes: self.contact_attributes(id).await?, ..Default::default() };
        let notes =
            sqlx::query("SELECT id, agent_id, body, created_at FROM contact_notes WHERE contact_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(self.pool())
                .await?;
        for r in notes {
            details.notes.push(ContactNote {
                id: r.try_get(0)?,
                agent_id: r.try_get(1)?,
                body: r.try_get(2)?,
                created_at: r.try_get(3)?,
            });
        }
        let tickets = sqlx::query(
            "SELECT id, reference, status, channel, created_at, last_message_at FROM conversations \
             WHERE contact_id = $1 ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        for r in tickets {
            details.tickets.push(Ticket {
                id: r.try_get(0)?,
                reference: r.try_get(1)?,
                status: r.try_get(2)?,
                channel: r.try_get(3)?,
                created_at: r.try_get(4)?,
                last_message_at: r.try_get(5)?,
            });
        }
        Ok(details)
    }

    /// Renames a contact and sets (`Some`) or removes (`None`) attributes, then indexes the
    /// contact's words again. Refuses what breaks the limits.
    pub async fn change_contact(
        &self,
        id: ContactId,
        name: Option<&str>,
        attributes: &BTreeMap<String, Option<String>>,
        now: Millis,
    ) -> Result<()> {
        for (key, value) in attributes {
            let key_ok = !key.trim().is_empty() && key.chars().count() <= LONGEST_KEY;
            if !key_ok || value.as_ref().is_some_and(|v| v.chars().count() > LONGEST_VALUE) {
                return Err(CoreError::Invalid(format!(
                    "attribute {key:?}: keys are 1 to {LONGEST_KEY} characters, values at most {LONGEST_VALUE}"
                )));
            }
        }
        if name.is_some_and(|n| n.trim().is_empty() || n.chars().count() > 200) {
            return Err(CoreError::Invalid("name: 1 to 200 characters".into()));
        }
        let mut tx = self.begin_write().await?;
        // Gone meanwhile (erased, merged into another): nothing to change.
        let found = sqlx::query("UPDATE contacts SET id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("contact {id}")));
        }
        if let Some(name) = name {
            sqlx::query("UPDATE contacts SET name = $1 WHERE id = $2")
                .bind(name.trim())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for (key, value) in attributes {
            let key = key.trim();
            sqlx::query("DELETE FROM contact_attributes WHERE contact_id = $1 AND key = $2")
                .bind(id)
                .bind(key)
                .execute(&mut *tx)
                .await?;
            if let Some(value) = value {
                sqlx::query(
                    "INSERT INTO contact_attributes (contact_id, key, value, updated_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(key)
                .bind(value.trim())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM contact_attributes WHERE contact_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if count as usize > MOST_ATTRIBUTES {
            return Err(CoreError::Invalid(format!("at most {MOST_ATTRIBUTES} attributes per contact")));
        }
        let name: String =
            sqlx::query("SELECT name FROM contacts WHERE id = $1").bind(id).fetch_one(&mut *tx).await?.try_get(0)?;
        let values = sqlx::query("SELECT value FROM contact_attributes WHERE contact_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let words = crate::search::stored(&format!("{name} {}", values.join(" ")), self.backend().into());
        let index = super::search::index_statement(self.backend(), "contact_search", "$1");
        let row = serde_json::json!([{"rowid": id, "terms": words}]).to_string();
        sqlx::query(AssertSqlSafe(index)).bind(row).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a note about a contact.
    pub async fn add_contact_note(
        &self,
        id: ContactId,
        agent: AgentId,
        body: &str,
        now: Millis,
    ) -> Result<ContactNote> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 10_000 {
            return Err(CoreError::Invalid("a note is 1 to 10,000 characters".into()));
        }
        let row = sqlx::query(
            "INSERT INTO contact_notes (contact_id, agent_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(agent)
        .bind(body)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(ContactNote { id: row.try_get(0)?, agent_id: Some(agent), body: body.to_owned(), created_at: now })
    }

    /// Deletes a note about a contact: its author's, or anyone's for an admin (`author: None`).
    /// Returns whether one was deleted.
    pub async fn delete_contact_note(&self, id: ContactId, note: i64, author: Option<AgentId>) -> Result<bool> {
        let deleted = sqlx::query(
            "DELETE FROM contact_notes WHERE id = $1 AND contact_id = $2 AND ($3 IS NULL OR agent_id = $3)",
        )
        .bind(note)
        .bind(id)
        .bind(author)
        .execute(self.pool())
        .await?;
        Ok(deleted.rows_affected() > 0)
    }
}
