//! The in-memory store.

use crate::{Batch, Entries, Op, Store, StoreError};
use std::collections::BTreeMap;

/// A [`Store`] in memory: one sorted map per table. Nothing survives the process; a clone
/// is an independent copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemStore {
    tables: BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemStore {
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        crate::check_table_name(table)?;
        Ok(self.tables.get(table).and_then(|t| t.get(key)).cloned())
    }

    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        crate::check_table_name(table)?;
        let Some(t) = self.tables.get(table) else {
            return Ok(Vec::new());
        };
        Ok(t.range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        // Checked first so that a refused batch leaves nothing behind.
        batch.check()?;
        for op in batch {
            match op {
                Op::Put { table, key, value } => {
                    self.tables.entry(table).or_default().insert(key, value);
                }
                Op::Delete { table, key } => {
                    if let Some(t) = self.tables.get_mut(&table) {
                        t.remove(&key);
                        if t.is_empty() {
                            self.tables.remove(&table);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
