//! The ids of the rows the writer creates: blocks reserved from the database, handed out in memory.

use std::collections::VecDeque;
use std::ops::Range;

/// The tables whose ids the writer hands out itself, so that planning needs no `RETURNING`
/// round trip. Their ids come from the database's own sequences (PostgreSQL's identity
/// sequences, SQLite's `sqlite_sequence`), reserved a block at a time (`write::ids`): never from
/// a counter seeded at start, so any number of writers, in one process or several, hand out
/// distinct ids. A block this process did not use is a gap, never a reuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Table {
    Contacts = 0,
    Identities = 1,
    Conversations = 2,
    Messages = 3,
    Outbox = 4,
}

impl Table {
    pub const ALL: [Table; 5] =
        [Table::Contacts, Table::Identities, Table::Conversations, Table::Messages, Table::Outbox];

    pub fn name(self) -> &'static str {
        match self {
            Table::Contacts => "contacts",
            Table::Identities => "identities",
            Table::Conversations => "conversations",
            Table::Messages => "messages",
            Table::Outbox => "outbox",
        }
    }

    /// How many ids to reserve at least when the pool runs short. Conversations' ids are their
    /// references (`#1042`), shown to customers: their blocks are small so that a restart, which
    /// drops what is left of a block, leaves short gaps.
    fn block(self) -> i64 {
        match self {
            Table::Conversations => 8,
            Table::Contacts | Table::Identities => 64,
            Table::Messages | Table::Outbox => 1024,
        }
    }
}

/// The most rows of each table one write may create. A customer's message: one contact, one
/// identity, one conversation; its message, a note about its threading, the automatic replies
/// (a warning, an acknowledgement, a command's answer, a "too large" notice), each with its
/// outbox row. Agents' writes and delivery reports create messages and outbox rows only.
const PER_INGEST: [i64; 5] = [1, 1, 1, 16, 16];
const PER_OTHER: [i64; 5] = [0, 0, 0, 16, 16];

/// Ids reserved for this writer and not yet used, per table.
#[derive(Default)]
pub(crate) struct Ids {
    pools: [VecDeque<Range<i64>>; 5],
}

impl Ids {
    /// How many more ids of each table a batch of `ingests` customer messages and `others`
    /// other writes may need beyond what the pools hold; zero where the pool suffices.
    pub fn shortfall(&self, ingests: usize, others: usize) -> [i64; 5] {
        let mut short = [0; 5];
        for table in Table::ALL {
            let i = table as usize;
            let need = Self::need(table, ingests, others);
            let have = self.available(table);
            if need > have {
                short[i] = (need - have).max(table.block());
            }
        }
        short
    }

    /// The most ids of `table` a batch of `ingests` customer messages and `others` other
    /// writes may take.
    pub fn need(table: Table, ingests: usize, others: usize) -> i64 {
        PER_INGEST[table as usize] * ingests as i64 + PER_OTHER[table as usize] * others as i64
    }

    /// Forgets the ids of `table` left from earlier batches.
    pub fn discard(&mut self, table: Table) {
        self.pools[table as usize].clear();
    }

    /// Adds ids the database reserved for this writer.
    pub fn add(&mut self, table: Table, ids: impl IntoIterator<Item = i64>) {
        let pool = &mut self.pools[table as usize];
        for id in ids {
            match pool.back_mut() {
                Some(last) if last.end == id => last.end += 1,
                _ => pool.push_back(id..id + 1),
            }
        }
    }

    pub fn available(&self, table: Table) -> i64 {
        self.pools[table as usize].iter().map(|r| r.end - r.start).sum()
    }

    /// The next reserved id. The writer reserves what a batch may need before planning it
    /// (`shortfall`), so running out is a bug in `PER_INGEST`: the batch fails, and each of its
    /// writes is retried alone.
    pub fn take(&mut self, table: Table) -> i64 {
        let pool = &mut self.pools[table as usize];
        let range = pool.front_mut().unwrap_or_else(|| panic!("no {} id reserved for this batch", table.name()));
        let id = range.start;
        range.start += 1;
        if range.is_empty() {
            pool.pop_front();
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_out_in_the_order_they_were_reserved_and_runs_merge() {
        let mut ids = Ids::default();
        ids.add(Table::Messages, [5, 6, 7, 20, 21]);
        assert_eq!(ids.pools[Table::Messages as usize], [5..8, 20..22]);
        let taken: Vec<i64> = (0..5).map(|_| ids.take(Table::Messages)).collect();
        assert_eq!(taken, [5, 6, 7, 20, 21]);
        assert_eq!(ids.available(Table::Messages), 0);
    }

    #[test]
    fn the_shortfall_covers_the_batch_in_blocks_and_small_ones_for_references() {
        let mut ids = Ids::default();
        assert_eq!(ids.shortfall(1, 0), [64, 64, 8, 1024, 1024]);
        assert_eq!(ids.shortfall(0, 3), [0, 0, 0, 1024, 1024]);
        // A flood of new customers needs more than a block: exactly what it lacks.
        assert_eq!(ids.shortfall(100, 0)[Table::Conversations as usize], 100);
        ids.add(Table::Conversations, 1..5);
        assert_eq!(ids.shortfall(100, 0)[Table::Conversations as usize], 96);
        ids.add(Table::Messages, 1..2000);
        assert_eq!(ids.shortfall(100, 0)[Table::Messages as usize], 0);
        assert_eq!(ids.shortfall(200, 0)[Table::Messages as usize], 3200 - 1999);
    }

    #[test]
    #[should_panic(expected = "no conversations id reserved")]
    fn running_out_is_a_bug_the_batch_reports() {
        Ids::default().take(Table::Conversations);
    }
}
