//! The statements of a complaint's steps (`ComplaintWrite`): opened unless one is open on the
//! conversation (the unique index of open complaints decides), and the open one changed.

use crate::error::Result;
use crate::plan::rows::ComplaintWrite;
use sqlx::AnyConnection;

pub(super) async fn write(conn: &mut AnyConnection, complaint: ComplaintWrite) -> Result<()> {
    let query = match complaint {
        ComplaintWrite::Open { conversation_id, at, due_at, source } => sqlx::query(
            "INSERT INTO complaints (conversation_id, stage, due_at, opened_at, source) \
             VALUES ($1, 'received', $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(conversation_id)
        .bind(due_at)
        .bind(at)
        .bind(source),
        ComplaintWrite::Change { conversation_id, at, stage, set_owner, owner, due_at } => sqlx::query(
            "UPDATE complaints SET stage = COALESCE($2, stage), \
                 owner_id = CASE WHEN $3 = 1 THEN $4 ELSE owner_id END, due_at = COALESCE($5, due_at), \
                 closed_at = CASE WHEN $2 = 'closed' THEN $6 ELSE closed_at END \
                 WHERE conversation_id = $1 AND closed_at IS NULL",
        )
        .bind(conversation_id)
        .bind(stage)
        .bind(i64::from(set_owner))
        .bind(owner)
        .bind(due_at)
        .bind(at),
    };
    query.execute(&mut *conn).await?;
    Ok(())
}
