//! Satisfaction surveys that fell due are asked: the question in the customer's language with
//! the buttons `csat:1` … `csat:5`, where they last wrote. The due time is data
//! (`surveys.due_at`); the sweep takes the time it runs at, so a test runs it at any hour.

use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::{Author, Millis};
use crate::post::{Post, PostKind};
use sqlx::Row;

pub use crate::plan::surveys::{CHOICE_PREFIX, COMMENT_WINDOW_MS, LOW_RATING, buttons};

impl Core {
    /// Asks every survey due at `now`. A survey whose customer cannot be reached where they
    /// wrote is skipped; one the customer or an agent overtook (cancelled) is left alone.
    /// Returns how many were asked.
    pub async fn ask_due_surveys(&self, now: Millis) -> Result<usize> {
        let due = sqlx::query(
            "SELECT s.id, s.conversation_id, v.reference, v.locale FROM surveys s \
             JOIN conversations v ON v.id = s.conversation_id \
             WHERE s.state = 'due' AND s.due_at <= $1 ORDER BY s.id LIMIT 1000",
        )
        .bind(now)
        .fetch_all(self.store().pool())
        .await?;
        let mut asked = 0;
        for row in due {
            let survey: i64 = row.try_get(0)?;
            let locale: String = row.try_get::<Option<String>, _>(3)?.unwrap_or_default();
            let reference: String = row.try_get(2)?;
            let body = self.localizer().text(&locale, "csat-ask", &[("reference", reference.as_str())]);
            let mut post = Post::new(row.try_get(1)?, Author::System, None, body, PostKind::Reply { channel: None });
            post.buttons = buttons(self.localizer(), &locale);
            post.survey = Some(survey);
            match self.post(post).await {
                Ok(_) => asked += 1,
                Err(CoreError::Invalid(reason) | CoreError::NotFound(reason)) => {
                    tracing::info!(survey, %reason, "satisfaction survey skipped");
                    sqlx::query("UPDATE surveys SET state = 'skipped' WHERE id = $1 AND state = 'due'")
                        .bind(survey)
                        .execute(self.store().pool())
                        .await?;
                }
                Err(error) => return Err(error),
            }
        }
        if asked > 0 {
            metrics::counter!("switchboard_surveys_asked_total").increment(asked as u64);
        }
        Ok(asked)
    }
}

/// How often due surveys are looked for: a tenth of the delay, between a second and half a
/// minute, so a survey goes out close to its time.
fn sweep_period(delay: std::time::Duration) -> std::time::Duration {
    (delay / 10).clamp(std::time::Duration::from_secs(1), std::time::Duration::from_secs(30))
}

/// Asks the surveys as they fall due until `stop` (a timer: run by one instance, see
/// `Core::lead`).
pub async fn sweep(core: Core, delay: std::time::Duration, stop: tokio_util::sync::CancellationToken) {
    let failed = "due satisfaction surveys were not asked this time";
    crate::clock::every(sweep_period(delay), stop, failed, || async {
        core.ask_due_surveys(crate::clock::now_ms()).await.map(drop)
    })
    .await;
}
