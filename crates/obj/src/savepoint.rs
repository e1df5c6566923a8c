//! Which replaced states an undo log with savepoints must keep.
//!
//! The space's unit and the transaction's overlay each keep an undo log, and every call
//! takes a savepoint in it (a position to roll back to). A state write saves the state it
//! replaces, so a rollback can put it back; but once an object's state is saved after the
//! innermost open savepoint, rolling back to that savepoint (or to any outer one) restores
//! the older saved state anyway, so later writes of that object need not save theirs. So a
//! loop of state writes keeps one saved state per object and savepoint, not one per write.

use std::collections::BTreeMap;

use crate::ids::ObjectId;

/// Tracks, for one undo log, where each object's newest saved state is (see the module
/// docs).
#[derive(Clone, Debug, Default)]
pub(crate) struct StateSaves {
    /// At least the position of the innermost open savepoint: the last one taken, or the
    /// one last rolled back to.
    floor: usize,
    /// Per object, the position of its newest saved state (entries the log has since
    /// rolled back are told apart by the caller's check).
    newest: BTreeMap<ObjectId, usize>,
}

impl StateSaves {
    /// Notes a savepoint at position `len`, and returns it.
    pub fn savepoint(&mut self, len: usize) -> usize {
        self.floor = len;
        len
    }

    /// Notes a rollback to position `to`.
    pub fn rolled_back(&mut self, to: usize) {
        self.floor = to;
    }

    /// Whether a write of `id`'s state, at position `len` of the log, must save the state it
    /// replaces; `saved_at(i)` says whether the log's entry at `i` is still a saved state of
    /// `id`. If it must, the save is noted at `len`.
    pub fn must_save(
        &mut self,
        id: ObjectId,
        len: usize,
        saved_at: impl Fn(usize) -> bool,
    ) -> bool {
        if let Some(&i) = self.newest.get(&id) {
            if i >= self.floor && i < len && saved_at(i) {
                return false;
            }
        }
        self.newest.insert(id, len);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_save_per_object_and_savepoint() {
        let log: std::cell::RefCell<Vec<ObjectId>> = Default::default();
        let mut saves = StateSaves::default();
        let write = |saves: &mut StateSaves, id: ObjectId| {
            let len = log.borrow().len();
            let save = saves.must_save(id, len, |i| log.borrow().get(i) == Some(&id));
            if save {
                log.borrow_mut().push(id);
            }
            save
        };
        let (a, b) = (ObjectId(1), ObjectId(2));
        assert!(write(&mut saves, a));
        assert!(!write(&mut saves, a), "saved since the last savepoint");
        assert!(write(&mut saves, b));
        let mark = saves.savepoint(log.borrow().len());
        assert!(write(&mut saves, a), "a new savepoint needs a new save");
        assert!(!write(&mut saves, a));
        log.borrow_mut().truncate(mark);
        saves.rolled_back(mark);
        // The floor stays at the savepoint rolled back to (at least the innermost open
        // one), so b is saved again: more than needed, never less.
        assert!(write(&mut saves, b));
        assert!(
            write(&mut saves, a),
            "a's save was rolled back (b's took its place)"
        );
        assert!(!write(&mut saves, a));
    }
}
