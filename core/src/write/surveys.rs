//! The statements of a satisfaction survey's steps (`SurveyWrite`), each guarded by the state
//! it moves from, so that a step planned on a stale reading changes nothing.

use crate::error::Result;
use crate::plan::rows::SurveyWrite;
use sqlx::{AnyConnection, AssertSqlSafe};

pub(super) async fn write(conn: &mut AnyConnection, survey: SurveyWrite) -> Result<()> {
    // A survey asked, rated or commented changes its cycle's day in reports.
    if let SurveyWrite::Asked { survey_id, .. }
    | SurveyWrite::Rated { survey_id, .. }
    | SurveyWrite::Commented { survey_id, .. } = &survey
    {
        let days = crate::store::reports::raise_versions("SELECT cycle_started_at AS start FROM surveys WHERE id = $1");
        sqlx::query(AssertSqlSafe(days)).bind(*survey_id).execute(&mut *conn).await?;
    }
    let query = match survey {
        // A resolution ends the cycle that began at `cycle_started_at`; an earlier survey of
        // the conversation still due is replaced by this one.
        SurveyWrite::Due { conversation_id, resolved_at, due_at } => {
            cancel_due(conn, conversation_id).await?;
            sqlx::query(
                "INSERT INTO surveys (conversation_id, state, cycle_started_at, resolved_at, due_at) \
                 SELECT id, 'due', COALESCE(cycle_started_at, created_at), $2, $3 FROM conversations WHERE id = $1",
            )
            .bind(conversation_id)
            .bind(resolved_at)
            .bind(due_at)
        }
        SurveyWrite::CancelDue { conversation_id } => return cancel_due(conn, conversation_id).await,
        SurveyWrite::Asked { survey_id, at, message_id, channel } => sqlx::query(
            "UPDATE surveys SET state = 'asked', asked_at = $2, ask_message_id = $3, channel = $4 \
             WHERE id = $1 AND state = 'due'",
        )
        .bind(survey_id)
        .bind(at)
        .bind(message_id)
        .bind(channel),
        SurveyWrite::Rated { survey_id, rating, at } => sqlx::query(
            "UPDATE surveys SET state = 'rated', rating = $2, rated_at = $3 WHERE id = $1 AND state = 'asked'",
        )
        .bind(survey_id)
        .bind(rating)
        .bind(at),
        SurveyWrite::Commented { survey_id, comment, at } => sqlx::query(
            "UPDATE surveys SET comment = $2, commented_at = $3 WHERE id = $1 AND state = 'rated' AND comment IS NULL",
        )
        .bind(survey_id)
        .bind(comment)
        .bind(at),
    };
    query.execute(&mut *conn).await?;
    Ok(())
}

async fn cancel_due(conn: &mut AnyConnection, conversation_id: i64) -> Result<()> {
    sqlx::query("UPDATE surveys SET state = 'cancelled' WHERE conversation_id = $1 AND state = 'due'")
        .bind(conversation_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
