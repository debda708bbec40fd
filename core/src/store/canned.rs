//! Canned responses: the team's saved replies, each with a shortcut and files sent with it.

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    pub locale: String,
    pub body: String,
    /// Typed as `/shortcut` in the composer to insert this response.
    pub shortcut: Option<String>,
    pub attachments: Vec<CannedFile>,
}

/// A file sent with a canned response.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedFile {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub storage_key: String,
}

/// A shortcut: 1 to 32 lower-case letters, digits, `-` or `_`.
pub fn valid_shortcut(shortcut: &str) -> bool {
    (1..=32).contains(&shortcut.len())
        && shortcut.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// One response per title, in `locale` where one is written in it, else in en-US, else the
/// first; each body with its `variables` (`{name}`, `{reference}`, `{agent}`) filled in.
pub fn in_language(all: &[CannedResponse], locale: &str, variables: &[(&str, &str)]) -> Vec<CannedResponse> {
    let rank = |r: &CannedResponse| match r.locale.as_str() {
        l if l == locale => 0,
        crate::l10n::FALLBACK => 1,
        _ => 2,
    };
    let mut chosen: Vec<CannedResponse> = Vec::new();
    for response in all {
        match chosen.iter_mut().find(|c| c.title == response.title) {
            Some(existing) if rank(response) < rank(existing) => *existing = response.clone(),
            Some(_) => {}
            None => chosen.push(response.clone()),
        }
    }
    for response in &mut chosen {
        for (name, value) in variables {
            response.body = response.body.replace(name, value);
        }
    }
    chosen
}

impl Store {
    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query("SELECT id, title, locale, body, shortcut FROM canned_responses ORDER BY title, locale")
            .fetch_all(self.pool())
            .await?;
        let mut responses = rows
            .iter()
            .map(|r| {
                Ok(CannedResponse {
                    id: r.try_get(0)?,
                    title: r.try_get(1)?,
                    locale: r.try_get(2)?,
                    body: r.try_get(3)?,
                    shortcut: r.try_get(4)?,
                    attachments: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let files = sqlx::query(
            "SELECT canned_id, id, filename, content_type, size, storage_key FROM canned_attachments ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        for r in files {
            let canned: i64 = r.try_get(0)?;
            if let Some(response) = responses.iter_mut().find(|c| c.id == canned) {
                response.attachments.push(CannedFile {
                    id: r.try_get(1)?,
                    filename: r.try_get(2)?,
                    content_type: r.try_get(3)?,
                    size: r.try_get(4)?,
                    storage_key: r.try_get(5)?,
                });
            }
        }
        Ok(responses)
    }

    /// One canned response, with its files.
    pub async fn canned_response(&self, id: i64) -> Result<Option<CannedResponse>> {
        Ok(self.canned_responses().await?.into_iter().find(|c| c.id == id))
    }

    /// Sets a canned response's shortcut (`None` removes it). Refused when another title has it
    /// (the same title's other languages share theirs).
    pub async fn set_canned_shortcut(&self, id: i64, shortcut: Option<&str>) -> Result<()> {
        if let Some(shortcut) = shortcut {
            if !valid_shortcut(shortcut) {
                return Err(CoreError::Invalid(format!(
                    "shortcut {shortcut:?}: 1 to 32 lower-case letters, digits, - or _"
                )));
            }
            let other = sqlx::query(
                "SELECT 1 FROM canned_responses WHERE shortcut = $1 AND title <> (SELECT title FROM canned_responses WHERE id = $2)",
            )
            .bind(shortcut)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
            if other.is_some() {
                return Err(CoreError::Invalid(format!("shortcut {shortcut:?} belongs to another canned response")));
            }
        }
        sqlx::query("UPDATE canned_responses SET shortcut = $1 WHERE id = $2")
            .bind(shortcut)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Keeps a file (already in the attachment store) with a canned response.
    pub async fn add_canned_file(&self, canned: i64, file: &crate::attachments::Stored) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO canned_attachments (canned_id, filename, content_type, size, storage_key, created_at) \
             SELECT id, $2, $3, $4, $5, $6 FROM canned_responses WHERE id = $1 RETURNING id",
        )
        .bind(canned)
        .bind(&file.filename)
        .bind(&file.content_type)
        .bind(file.size)
        .bind(&file.storage_key)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        let row = row.ok_or_else(|| CoreError::NotFound(format!("canned response {canned}")))?;
        Ok(row.try_get(0)?)
    }

    /// Removes a file from a canned response; returns its storage key (its bytes may go when
    /// nothing else uses them).
    pub async fn delete_canned_file(&self, canned: i64, file: i64) -> Result<String> {
        let row = sqlx::query("DELETE FROM canned_attachments WHERE id = $1 AND canned_id = $2 RETURNING storage_key")
            .bind(file)
            .bind(canned)
            .fetch_optional(self.pool())
            .await?;
        let row = row.ok_or_else(|| CoreError::NotFound(format!("file {file} of canned response {canned}")))?;
        Ok(row.try_get(0)?)
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
        sqlx::query("DELETE FROM canned_attachments WHERE canned_id = $1").bind(id).execute(self.pool()).await?;
        let done = sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id).execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("canned response {id}")));
        }
        Ok(())
    }
}
