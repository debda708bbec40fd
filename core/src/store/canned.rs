//! Canned responses: the team's saved replies.

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
}

impl Store {
    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query("SELECT id, title, locale, body FROM canned_responses ORDER BY title, locale")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CannedResponse {
                    id: r.try_get(0)?,
                    title: r.try_get(1)?,
                    locale: r.try_get(2)?,
                    body: r.try_get(3)?,
                })
            })
            .collect()
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
        let done = sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id).execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("canned response {id}")));
        }
        Ok(())
    }
}
