//! The knowledge base's rows, and the questions each article answered or was offered for. The bot
//! owns what they mean; the store keeps them.

use super::Store;
use crate::clock::now_ms;
use crate::error::Result;
use crate::model::{ConversationId, MessageId, Millis};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KbArticle {
    pub id: String,
    pub topic: String,
    pub locale: String,
    pub title: String,
    pub tags: Vec<String>,
    pub questions: Vec<String>,
    pub body: String,
    pub retired: bool,
    /// A topic that goes to a person: recognised, never answered; the body guides the agent.
    #[serde(default)]
    pub handoff: bool,
}

impl Store {
    /// Replaces the knowledge base with `articles` in one transaction: new and changed ones are
    /// written, those no longer present are retired (kept for the record, never answered).
    /// The operator's lexicon (`lexicon`: the lines of its groups) is replaced with them.
    pub async fn replace_kb(&self, articles: &[KbArticle], lexicon: &[String]) -> Result<()> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE kb_articles SET retired = 1, updated_at = $1").bind(now).execute(&mut *tx).await?;
        for a in articles {
            upsert(&mut tx, a, now).await?;
        }
        sqlx::query("DELETE FROM kb_lexicon").execute(&mut *tx).await?;
        for (position, line) in lexicon.iter().enumerate() {
            sqlx::query("INSERT INTO kb_lexicon (position, line) VALUES ($1, $2)")
                .bind(position as i64)
                .bind(line)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The operator's lexicon lines, in file order.
    pub async fn kb_lexicon(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT line FROM kb_lexicon ORDER BY position").fetch_all(self.pool()).await?;
        rows.into_iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Adds or changes one article.
    pub async fn upsert_kb_article(&self, a: &KbArticle) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        upsert(&mut conn, a, now_ms()).await
    }

    /// Retires an article; false when there is none with that id.
    pub async fn retire_kb_article(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE kb_articles SET retired = 1, updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Every article, retired ones included, by id.
    pub async fn kb_articles(&self) -> Result<Vec<KbArticle>> {
        let rows = sqlx::query(
            "SELECT id, topic, locale, title, tags, questions, body, retired, handoff FROM kb_articles ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(KbArticle {
                    id: r.try_get(0)?,
                    topic: r.try_get(1)?,
                    locale: r.try_get(2)?,
                    title: r.try_get(3)?,
                    tags: serde_json::from_str(&r.try_get::<String, _>(4)?).unwrap_or_default(),
                    questions: serde_json::from_str(&r.try_get::<String, _>(5)?).unwrap_or_default(),
                    body: r.try_get(6)?,
                    retired: r.try_get::<i64, _>(7)? != 0,
                    handoff: r.try_get::<i64, _>(8)? != 0,
                })
            })
            .collect()
    }
}

async fn upsert(conn: &mut sqlx::AnyConnection, a: &KbArticle, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO kb_articles (id, topic, locale, title, tags, questions, body, retired, handoff, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET topic = excluded.topic, \
         locale = excluded.locale, title = excluded.title, tags = excluded.tags, questions = excluded.questions, \
         body = excluded.body, retired = excluded.retired, handoff = excluded.handoff, \
         updated_at = excluded.updated_at",
    )
    .bind(&a.id)
    .bind(&a.topic)
    .bind(&a.locale)
    .bind(&a.title)
    .bind(serde_json::to_string(&a.tags).expect("tags serialize"))
    .bind(serde_json::to_string(&a.questions).expect("questions serialize"))
    .bind(&a.body)
    .bind(i64::from(a.retired))
    .bind(i64::from(a.handoff))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A customer question an article answered or was offered for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KbQuestion {
    pub body: String,
    /// `answered` or `offered`.
    pub kind: String,
    pub at: Millis,
    pub conversation_id: Option<ConversationId>,
}

impl Store {
    /// Records that the bot answered (`answered`) or offered (`offered`) `articles` for the
    /// customer's message `question`.
    pub async fn record_kb_hits(&self, question: MessageId, articles: &[&str], kind: &str, now: Millis) -> Result<()> {
        for article in articles {
            sqlx::query("INSERT INTO kb_hits (article_id, message_id, kind, at) VALUES ($1, $2, $3, $4)")
                .bind(*article)
                .bind(question)
                .bind(kind)
                .bind(now)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// The last `limit` questions that reached article `id`, the newest first.
    pub async fn kb_questions(&self, id: &str, limit: i64) -> Result<Vec<KbQuestion>> {
        let rows = sqlx::query(
            "SELECT m.body, h.kind, h.at, m.conversation_id FROM kb_hits h JOIN messages m ON m.id = h.message_id \
             WHERE h.article_id = $1 ORDER BY h.id DESC LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KbQuestion {
                    body: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    at: r.try_get(2)?,
                    conversation_id: r.try_get(3)?,
                })
            })
            .collect()
    }
}
