//! Rows of one kind kept one per id while a batch is planned (`Keyed`), and what `flush` needs of
//! any kind of rows (`Pending`).

use serde::Serialize;

/// Rows of one kind kept one per id, so that later changes of a batch to the same row merge into
/// it. The index lives with the rows: writing them midway empties both together, and a change
/// after that starts a new row instead of reaching for one already written.
pub(crate) struct Keyed<T> {
    rows: Vec<T>,
    index: std::collections::HashMap<i64, usize>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed { rows: Vec::new(), index: Default::default() }
    }
}

impl<T> Keyed<T> {
    /// The pending row for `id`, if this batch has one not yet written.
    pub fn get_mut(&mut self, id: i64) -> Option<&mut T> {
        self.index.get(&id).map(|&i| &mut self.rows[i])
    }

    /// The pending rows, in the order first put.
    pub fn rows(&self) -> &[T] {
        &self.rows
    }

    /// Sets the pending row for `id`, replacing any.
    pub fn put(&mut self, id: i64, row: T) {
        match self.get_mut(id) {
            Some(existing) => *existing = row,
            None => {
                self.index.insert(id, self.rows.len());
                self.rows.push(row);
            }
        }
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.rows.serialize(serializer)
    }
}

/// A kind of row `flush` writes and then empties.
pub(crate) trait Pending: Serialize {
    fn is_empty(&self) -> bool;
    fn clear(&mut self);
}

impl<T: Serialize> Pending for Vec<T> {
    fn is_empty(&self) -> bool {
        <[T]>::is_empty(self)
    }
    fn clear(&mut self) {
        Vec::clear(self)
    }
}

impl<T: Serialize> Pending for Keyed<T> {
    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    fn clear(&mut self) {
        self.rows.clear();
        self.index.clear();
    }
}
