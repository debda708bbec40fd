//! The ids of the rows the writer creates, handed out in memory.

use crate::error::Result;
use sqlx::{AnyConnection, Row};

/// Ids of the rows the writer creates. The writer is the only process inserting contacts,
/// identities, conversations, messages and outbox entries, so it hands ids out itself and
/// planning needs no `RETURNING` round trip. Reloaded from the tables at start and after any
/// failed batch.
#[derive(Default)]
pub(crate) struct Ids {
    next: Option<[i64; 5]>,
}

#[derive(Clone, Copy)]
pub(crate) enum Table {
    Contacts = 0,
    Identities = 1,
    Conversations = 2,
    Messages = 3,
    Outbox = 4,
}

impl Ids {
    pub async fn ensure_loaded(&mut self, conn: &mut AnyConnection) -> Result<()> {
        if self.next.is_none() {
            let row = sqlx::query(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM contacts), (SELECT COALESCE(MAX(id), 0) FROM identities), \
                 (SELECT COALESCE(MAX(id), 0) FROM conversations), (SELECT COALESCE(MAX(id), 0) FROM messages), \
                 (SELECT COALESCE(MAX(id), 0) FROM outbox)",
            )
            .fetch_one(&mut *conn)
            .await?;
            let mut next = [0; 5];
            for (i, slot) in next.iter_mut().enumerate() {
                *slot = row.try_get::<i64, _>(i)? + 1;
            }
            self.next = Some(next);
        }
        Ok(())
    }

    pub fn take(&mut self, table: Table) -> i64 {
        let next = self.next.as_mut().expect("ids loaded before planning");
        let id = next[table as usize];
        next[table as usize] += 1;
        id
    }

    /// After a failed batch the counters may be ahead of or behind the tables: reload.
    pub fn forget(&mut self) {
        self.next = None;
    }
}
