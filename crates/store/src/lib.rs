//! A small durable key-value layer: named tables of byte keys and byte values, read one key
//! or one key prefix at a time, written in atomic batches.
//!
//! It is shared by the object runtime and the RV32 contract state. Two stores
//! implement the one [`Store`] trait:
//!
//! - [`MemStore`]: sorted maps in memory, for tests and for runs that need no persistence;
//! - [`RedbStore`]: an embedded [redb](https://www.redb.org) database in a directory. A
//!   commit that returned is durable (fsync'd), a crash at any point leaves the last
//!   committed state, and opening a damaged or foreign file is an error, never a panic.
//!
//! Keys sort bytewise, so every scan is in a deterministic order.
//!
//! ```
//! use avm_store::{Batch, MemStore, Store};
//!
//! let mut store = MemStore::new();
//! let mut batch = Batch::new();
//! batch.put("objects", *b"o1", *b"counter").put("objects", *b"o2", *b"echo");
//! store.commit(batch)?;
//! assert_eq!(store.get("objects", b"o1")?, Some(b"counter".to_vec()));
//! assert_eq!(store.scan("objects", b"o")?.len(), 2);
//! # Ok::<(), avm_store::StoreError>(())
//! ```

mod batch;
#[cfg(feature = "crash-test")]
pub mod crash;
mod error;
mod mem;
pub mod record;
mod redb_header;
mod redb_store;
mod table;

pub use batch::{Batch, Op};
pub use error::StoreError;
pub use mem::MemStore;
pub use redb_store::RedbStore;
pub use table::{check_table_name, MAX_TABLE_NAME};

/// Every (key, value) pair a scan returns, ascending by key.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// A key-value store of named tables, written in atomic batches.
///
/// A table that was never written reads as empty. Table names are checked by
/// [`check_table_name`] on every call.
pub trait Store {
    /// The value under `key` in `table`, if there is one.
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every (key, value) pair in `table` whose key starts with `prefix`, ascending by key.
    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError>;

    /// Applies the batch's operations in order, all or nothing: when it returns `Ok`, all of
    /// them are visible (and, for a durable store, survive a crash); when it returns `Err`,
    /// none is.
    fn commit(&mut self, batch: Batch) -> Result<(), StoreError>;
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(table, key)
    }

    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        (**self).scan(table, prefix)
    }

    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        (**self).commit(batch)
    }
}

/// A store shared by several owners (say, the object runtime's state and a command's trace
/// log in one file): each call locks it for its duration. A panic while another owner held
/// the lock does not make it unusable, since every commit is all or nothing.
///
/// ```
/// use avm_store::{Batch, MemStore, Store};
/// use std::sync::{Arc, Mutex};
///
/// let shared = Arc::new(Mutex::new(MemStore::new()));
/// let mut writer = Arc::clone(&shared);
/// let mut batch = Batch::new();
/// batch.put("t", *b"k", *b"v");
/// writer.commit(batch)?;
/// assert_eq!(shared.get("t", b"k")?, Some(b"v".to_vec()));
/// # Ok::<(), avm_store::StoreError>(())
/// ```
impl<S: Store + ?Sized> Store for std::sync::Arc<std::sync::Mutex<S>> {
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(table, key)
    }

    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        self.lock()
            .unwrap_or_else(|e| e.into_inner())
            .scan(table, prefix)
    }

    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        self.lock().unwrap_or_else(|e| e.into_inner()).commit(batch)
    }
}

impl<S: Store + ?Sized> Store for &mut S {
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(table, key)
    }

    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        (**self).scan(table, prefix)
    }

    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        (**self).commit(batch)
    }
}
