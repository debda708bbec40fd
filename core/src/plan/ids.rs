//! The ids of the rows the writer creates, handed out in memory.

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
    /// Whether the counters are known (they are not at start and after a failed batch).
    pub fn loaded(&self) -> bool {
        self.next.is_some()
    }

    /// The next id of each table, in `Table` order, as the writer read them.
    pub fn load(&mut self, next: [i64; 5]) {
        self.next = Some(next);
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
