//! Batches: the ordered puts and deletes one commit applies atomically.

/// One write in a [`Batch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Set `key` in `table` to `value`, replacing any value it had.
    Put {
        /// The table.
        table: String,
        /// The key.
        key: Vec<u8>,
        /// The new value.
        value: Vec<u8>,
    },
    /// Remove `key` from `table`, if it is there.
    Delete {
        /// The table.
        table: String,
        /// The key.
        key: Vec<u8>,
    },
}

impl Op {
    /// The table this operation writes.
    pub fn table(&self) -> &str {
        match self {
            Op::Put { table, .. } | Op::Delete { table, .. } => table,
        }
    }
}

/// Puts and deletes to apply in order, all or nothing, by [`Store::commit`](crate::Store::commit).
///
/// When two operations touch the same key, the later one wins.
///
/// ```
/// use avm_store::{Batch, MemStore, Store};
///
/// let mut batch = Batch::new();
/// batch.put("t", *b"k", *b"first").delete("t", *b"k").put("t", *b"k", *b"last");
/// assert_eq!(batch.len(), 3);
/// let mut store = MemStore::new();
/// store.commit(batch)?;
/// assert_eq!(store.get("t", b"k")?, Some(b"last".to_vec()));
/// # Ok::<(), avm_store::StoreError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    ops: Vec<Op>,
}

impl Batch {
    /// An empty batch; committing it changes nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a put of `value` under `key` in `table`.
    pub fn put(
        &mut self,
        table: &str,
        key: impl Into<Vec<u8>>,
        value: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.ops.push(Op::Put {
            table: table.to_owned(),
            key: key.into(),
            value: value.into(),
        });
        self
    }

    /// Appends a delete of `key` in `table`.
    pub fn delete(&mut self, table: &str, key: impl Into<Vec<u8>>) -> &mut Self {
        self.ops.push(Op::Delete {
            table: table.to_owned(),
            key: key.into(),
        });
        self
    }

    /// The operations, in the order they will be applied.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// How many operations the batch holds.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Checks every table name (see [`check_table_name`](crate::check_table_name)), so a
    /// store can refuse the whole batch before writing any of it.
    pub(crate) fn check(&self) -> Result<(), crate::StoreError> {
        self.ops
            .iter()
            .try_for_each(|op| crate::check_table_name(op.table()))
    }
}

impl IntoIterator for Batch {
    type Item = Op;
    type IntoIter = std::vec::IntoIter<Op>;

    fn into_iter(self) -> Self::IntoIter {
        self.ops.into_iter()
    }
}
