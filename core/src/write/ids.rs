//! Reserves blocks of row ids from the database's sequences for the writer's pool (`plan::ids`).
//!
//! PostgreSQL: `nextval` of each table's identity sequence, as many times as needed in one
//! statement. `nextval` is never rolled back and takes no lock that waits for a transaction, so
//! writers of several instances reserve side by side; values may interleave between them, and
//! each keeps the ones it drew. SQLite: `sqlite_sequence`, the table behind `AUTOINCREMENT`,
//! moved forward by the block in a transaction of its own (one process serves a SQLite file,
//! `store::instance`). Either way an id is the database's, and no row inserted later, by the
//! writer or by any other statement, can take it.
//!
//! Messages and conversations are the exception on PostgreSQL: readers page through messages
//! by id (a web-chat page asks for what came after the last message it has, the inbox replays
//! from the last it saw), and a customer's latest conversation is their highest id, so these
//! ids must rise in the order they become visible, whichever instance wrote them. A batch
//! draws them inside its own transaction, under a transaction-scoped lock that the next batch
//! to draw, on any instance, waits for until this one has committed.

use crate::error::Result;
use crate::plan::ids::{Ids, Table};
use crate::store::Backend;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// Reserves at least `short[table]` more ids of each table into `ids`.
pub(crate) async fn reserve(conn: &mut AnyConnection, backend: Backend, ids: &mut Ids, short: [i64; 5]) -> Result<()> {
    for table in Table::ALL {
        let count = short[table as usize];
        if count == 0 {
            continue;
        }
        match backend {
            Backend::Postgres => {
                // The table's name is one of `Table`'s, never input.
                let drawn: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
                    "SELECT nextval(pg_get_serial_sequence('{0}', 'id')) FROM generate_series(1, $1)",
                    table.name()
                )))
                .bind(count)
                .fetch_all(&mut *conn)
                .await?;
                ids.add(table, drawn);
            }
            Backend::Sqlite => {
                let last = sqlite_block(conn, table, count).await?;
                ids.add(table, last - count + 1..=last);
            }
        }
    }
    Ok(())
}

/// The one lock under which ordered ids are drawn, held until the drawing batch commits (the
/// two-key form: a space apart from the per-sender locks of `read::lock_senders`).
const COMMIT_ORDER_LOCK: (i32, i32) = (0x5342, 1);

/// The tables whose ids rise in commit order on PostgreSQL.
pub(crate) const IN_COMMIT_ORDER: [Table; 2] = [Table::Conversations, Table::Messages];

/// PostgreSQL, inside the batch's transaction: replaces the pool's ids of each table of
/// `IN_COMMIT_ORDER` with `counts[i]` fresh ones drawn in commit order (see above).
pub(crate) async fn draw_in_commit_order(conn: &mut AnyConnection, ids: &mut Ids, counts: [i64; 2]) -> Result<()> {
    for table in IN_COMMIT_ORDER {
        ids.discard(table);
    }
    if counts.iter().all(|&count| count == 0) {
        return Ok(());
    }
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(COMMIT_ORDER_LOCK.0)
        .bind(COMMIT_ORDER_LOCK.1)
        .execute(&mut *conn)
        .await?;
    for (table, count) in IN_COMMIT_ORDER.into_iter().zip(counts) {
        if count == 0 {
            continue;
        }
        // The table's name is one of `Table`'s, never input.
        let drawn: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT nextval(pg_get_serial_sequence('{}', 'id')) FROM generate_series(1, $1)",
            table.name()
        )))
        .bind(count)
        .fetch_all(&mut *conn)
        .await?;
        ids.add(table, drawn);
    }
    Ok(())
}

/// Moves `table`'s row of `sqlite_sequence` forward by `count`; the last id of the block. The
/// row exists once the table has had a row; before, the block starts after the table's rows.
async fn sqlite_block(conn: &mut AnyConnection, table: Table, count: i64) -> Result<i64> {
    let moved = sqlx::query("UPDATE sqlite_sequence SET seq = seq + $1 WHERE name = $2 RETURNING seq")
        .bind(count)
        .bind(table.name())
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = moved {
        return Ok(row.try_get(0)?);
    }
    let row = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO sqlite_sequence (name, seq) SELECT $1, COALESCE(MAX(id), 0) + $2 FROM {} RETURNING seq",
        table.name()
    )))
    .bind(table.name())
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}
