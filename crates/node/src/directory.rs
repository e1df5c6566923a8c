//! The directory: which machine holds each object, where each machine
//! listens, and the cluster's object-id counter. The seed node hosts it in
//! its own store, so it survives restarts.
//!
//! | table | key | value |
//! |---|---|---|
//! | `dir_objects` | object id, 8 bytes big-endian | its machine (a natural) |
//! | `dir_machines` | machine id, 8 bytes big-endian | its address (a string) |
//! | `dir_meta` | `next_object` | the next object id (a natural) |
//!
//! Ids are given in order from 1 by [`Directory::allocate`], so a run
//! that creates the same objects in the same order gives them the same
//! ids on one node as on many.

use std::sync::Mutex;

use avm_obj::{MachineId, ObjectId};
use avm_store::{Batch, Store};
use avm_vm::{codec, DataValue};

/// The table of object locations.
pub const OBJECTS: &str = "dir_objects";
/// The table of machine addresses.
pub const MACHINES: &str = "dir_machines";
/// The table of the id counter.
pub const META: &str = "dir_meta";
const NEXT_OBJECT: &[u8] = b"next_object";

/// The directory over a store (see the module docs). Its lock orders
/// allocations; lookups read the store.
pub struct Directory {
    store: Mutex<Box<dyn Store + Send>>,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory").finish_non_exhaustive()
    }
}

fn damaged(what: impl std::fmt::Display, reason: impl std::fmt::Display) -> String {
    format!("the directory's {what} is damaged: {reason}")
}

fn nat(what: &str, bytes: &[u8]) -> Result<u64, String> {
    codec::decode(bytes)
        .map_err(|e| damaged(what, e))?
        .as_u64()
        .ok_or_else(|| damaged(what, "not a natural below 2^64"))
}

impl Directory {
    /// The directory kept in `store`.
    pub fn new(store: impl Store + Send + 'static) -> Directory {
        Directory {
            store: Mutex::new(Box::new(store)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Box<dyn Store + Send>> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records that `machine` listens at `addr`.
    pub fn register(&self, machine: MachineId, addr: &str) -> Result<(), String> {
        let mut batch = Batch::new();
        batch.put(
            MACHINES,
            machine.0.to_be_bytes(),
            codec::encode(&DataValue::string(addr)),
        );
        self.lock().commit(batch).map_err(|e| e.to_string())
    }

    /// Where `machine` listens, if it registered.
    pub fn address(&self, machine: MachineId) -> Result<Option<String>, String> {
        let Some(bytes) = self
            .lock()
            .get(MACHINES, &machine.0.to_be_bytes())
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let value = codec::decode(&bytes).map_err(|e| damaged(machine, e))?;
        match value {
            DataValue::Bytes(b) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| damaged(machine, "the address is not UTF-8")),
            _ => Err(damaged(machine, "the address is not a string")),
        }
    }

    /// A fresh object id, recorded as held by `machine`.
    pub fn allocate(&self, machine: MachineId) -> Result<ObjectId, String> {
        let mut store = self.lock();
        let next = match store.get(META, NEXT_OBJECT).map_err(|e| e.to_string())? {
            Some(bytes) => nat("object counter", &bytes)?,
            None => 1,
        };
        let after = next
            .checked_add(1)
            .ok_or_else(|| "the cluster's object ids are exhausted".to_string())?;
        let mut batch = Batch::new();
        batch.put(
            META,
            NEXT_OBJECT.to_vec(),
            codec::encode(&DataValue::nat(after)),
        );
        batch.put(
            OBJECTS,
            next.to_be_bytes(),
            codec::encode(&machine.to_value()),
        );
        store.commit(batch).map_err(|e| e.to_string())?;
        Ok(ObjectId(next))
    }

    /// The machine that holds `object`, if the directory knows it.
    pub fn locate(&self, object: ObjectId) -> Result<Option<MachineId>, String> {
        let found = self
            .lock()
            .get(OBJECTS, &object.0.to_be_bytes())
            .map_err(|e| e.to_string())?;
        found
            .map(|bytes| nat(&format!("entry for {object}"), &bytes).map(MachineId))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_store::MemStore;
    use std::sync::{Arc, Mutex};

    #[test]
    fn ids_count_from_one_and_entries_survive_reopening() {
        let store = Arc::new(Mutex::new(MemStore::new()));
        let dir = Directory::new(Arc::clone(&store));
        assert_eq!(dir.allocate(MachineId(2)), Ok(ObjectId(1)));
        assert_eq!(dir.allocate(MachineId(1)), Ok(ObjectId(2)));
        dir.register(MachineId(2), "127.0.0.1:7").unwrap();
        drop(dir);

        let again = Directory::new(store);
        assert_eq!(again.locate(ObjectId(1)), Ok(Some(MachineId(2))));
        assert_eq!(again.locate(ObjectId(9)), Ok(None));
        assert_eq!(
            again.address(MachineId(2)),
            Ok(Some("127.0.0.1:7".to_string()))
        );
        assert_eq!(again.address(MachineId(5)), Ok(None));
        assert_eq!(again.allocate(MachineId(1)), Ok(ObjectId(3)));
    }
}
