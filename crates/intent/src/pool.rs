//! The intent pool in a store (`avm intent submit|list|show|withdraw`):
//! table `intent-pool`, key the entry's id (blake3 of its record), value
//! the record `(party, controller?, library bytes)` in canonical encoding.
//! An entry enters only if its program extracts to a well-formed intent,
//! and each entry read back is checked again, naming a damaged one.
//! Entries list in key order, so a pool's order (and the index of each
//! intent in a solution) is the same in every process.

use avm_alu::Library;
use avm_obj::shape::{option, Fields};
use avm_obj::ControllerId;
use avm_store::{Batch, Store, StoreError};
use avm_vm::{codec, DataValue};

use crate::encode::IntentId;
use crate::extract::{ExtractError, Limits};
use crate::replay::Program;

/// The store table of the pool.
pub const TABLE: &str = "intent-pool";

/// One submitted intent.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its id in the pool.
    pub id: IntentId,
    /// Who submitted it.
    pub party: String,
    /// The controller of the party's holdings, if any.
    pub controller: Option<ControllerId>,
    /// The program and the intent extracted from it.
    pub program: Program,
}

/// Why the pool refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The program is not an intent.
    #[error("not an intent: {0}")]
    Malformed(#[from] ExtractError),
    /// The same record is in the pool already.
    #[error("intent {0} is in the pool already")]
    Duplicate(IntentId),
    /// No entry's id starts with the prefix, or several do.
    #[error("{0}")]
    NotFound(String),
    /// A stored entry does not decode.
    #[error("pool entry {id} is damaged: {reason}")]
    Damaged {
        /// The entry's key, in hex.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

fn record(party: &str, controller: Option<ControllerId>, library: &Library) -> Vec<u8> {
    codec::encode(&DataValue::tuple([
        DataValue::string(party),
        option(controller.map(ControllerId::to_value)),
        DataValue::bytes(library.to_bytes()),
    ]))
}

/// Extracts the intent of `library` and adds it to the pool; returns its
/// id. A program that does not extract never enters.
pub fn submit(
    store: &mut dyn Store,
    party: &str,
    controller: Option<ControllerId>,
    library: Library,
) -> Result<IntentId, PoolError> {
    if party.is_empty() {
        return Err(ExtractError::Library("the party has no name".into()).into());
    }
    Program::new(party, library.clone(), Limits::default())?;
    let bytes = record(party, controller, &library);
    let id = IntentId(*blake3::hash(&bytes).as_bytes());
    if store.get(TABLE, &id.0)?.is_some() {
        return Err(PoolError::Duplicate(id));
    }
    let mut batch = Batch::new();
    batch.put(TABLE, id.0.to_vec(), bytes);
    store.commit(batch)?;
    Ok(id)
}

fn decode(key: &[u8], bytes: &[u8]) -> Result<Entry, PoolError> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let damaged = |reason: String| PoolError::Damaged {
        id: hex.clone(),
        reason,
    };
    let id = IntentId(
        key.try_into()
            .map_err(|_| damaged("the key is not 32 bytes".into()))?,
    );
    if blake3::hash(bytes).as_bytes() != &id.0 {
        return Err(damaged("the record does not hash to its key".into()));
    }
    let value = codec::decode(bytes).map_err(|e| damaged(e.to_string()))?;
    let mut f = Fields::of(&value, 3, "the record").map_err(damaged)?;
    let party = f.text("party").map_err(damaged)?;
    let controller = f
        .option_u64("controller")
        .map_err(damaged)?
        .map(ControllerId);
    let library = Library::from_bytes(f.bytes("library").map_err(damaged)?)
        .map_err(|e| damaged(e.to_string()))?;
    let program =
        Program::new(&party, library, Limits::default()).map_err(|e| damaged(e.to_string()))?;
    Ok(Entry {
        id,
        party,
        controller,
        program,
    })
}

/// Every entry, in key order.
pub fn list(store: &dyn Store) -> Result<Vec<Entry>, PoolError> {
    store
        .scan(TABLE, &[])?
        .iter()
        .map(|(k, v)| decode(k, v))
        .collect()
}

/// The one entry whose id (in hex) starts with `prefix`.
pub fn find(store: &dyn Store, prefix: &str) -> Result<Entry, PoolError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut hits = store.scan(TABLE, &[])?.into_iter().filter(|(k, _)| {
        let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
        !prefix.is_empty() && hex.starts_with(&prefix)
    });
    match (hits.next(), hits.next()) {
        (Some((k, v)), None) => decode(&k, &v),
        (None, _) => Err(PoolError::NotFound(format!(
            "no intent in the pool has id {prefix}"
        ))),
        (Some(_), Some(_)) => Err(PoolError::NotFound(format!(
            "several intents have ids starting with {prefix}: give more digits"
        ))),
    }
}

/// Removes entries from the pool, in one store commit.
pub fn remove(store: &mut dyn Store, ids: &[IntentId]) -> Result<(), PoolError> {
    let mut batch = Batch::new();
    for id in ids {
        batch.delete(TABLE, id.0.to_vec());
    }
    store.commit(batch)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_store::MemStore;

    fn lib(src: &str) -> Library {
        avm_asm::assemble_with("t.alu", src, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
            .unwrap()
            .library
    }

    #[test]
    fn entries_enter_once_and_come_back() {
        let mut store = MemStore::new();
        let ok = lib(".isa OBJ\n.entry main\nmain:\n  put s[0], \"x\"\n  put a64[1], 1\n  oconsume s[0], a64[1]\n  stop\n");
        let id = submit(&mut store, "alice", Some(ControllerId(1)), ok.clone()).unwrap();
        assert!(matches!(
            submit(&mut store, "alice", Some(ControllerId(1)), ok),
            Err(PoolError::Duplicate(_))
        ));
        let bad = lib(".entry main\nmain:\n  fail\n");
        let e = submit(&mut store, "bob", None, bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not an intent: no path of the program succeeds: the intent can never hold"
        );
        let all = list(&store).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].party, "alice");
        assert_eq!(find(&store, &id.hex()[..6]).unwrap().id, id);
        assert!(find(&store, "zz").is_err());
        remove(&mut store, &[id]).unwrap();
        assert!(list(&store).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_entry_is_named() {
        let mut store = MemStore::new();
        let mut batch = Batch::new();
        batch.put(TABLE, vec![7u8; 32], vec![1, 2, 3]);
        store.commit(batch).unwrap();
        let e = list(&store).unwrap_err();
        assert!(e.to_string().starts_with("pool entry 0707"), "{e}");
    }
}
