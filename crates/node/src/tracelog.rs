//! The trace log of a store: the events of every command, in order (a store
//! directory's for a local command line, a node's for commands sent to it).
//!
//! Table `trace`: key = the entry's position over all commands (u64, big-endian), value =
//! the canonical encoding of [`Entry::to_value`]. Table `trace_runs`: key = the command's
//! number (u64, big-endian), value = the position of its first entry. Reading renumbers
//! the entries 0, 1, 2, ... as one trace.

use avm_obj::trace::Entry;
use avm_obj::Trace;
use avm_store::{Batch, Store, StoreError};
use avm_vm::codec;

const ENTRIES: &str = "trace";
const RUNS: &str = "trace_runs";

/// Why the log cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored entry does not decode.
    #[error("trace entry {index} in the store is damaged: {reason}")]
    Damaged {
        /// Its position.
        index: u64,
        /// What is wrong.
        reason: String,
    },
}

fn key(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

fn number(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// The number of the last entry of a table plus one (0 for an empty one).
fn next(store: &dyn Store, table: &str) -> Result<u64, StoreError> {
    // Keys are fixed-width big-endian numbers, so the last key is the largest.
    Ok(store
        .scan(table, b"")?
        .last()
        .and_then(|(k, _)| number(k))
        .map_or(0, |n| n + 1))
}

/// Appends one command's trace, as one batch.
pub fn append(store: &mut dyn Store, trace: &Trace) -> Result<(), StoreError> {
    if trace.is_empty() {
        return Ok(());
    }
    let first = next(store, ENTRIES)?;
    let run = next(store, RUNS)?;
    let mut batch = Batch::new();
    batch.put(RUNS, key(run), key(first));
    for (i, entry) in trace.entries().iter().enumerate() {
        batch.put(
            ENTRIES,
            key(first + i as u64),
            codec::encode(&entry.to_value()),
        );
    }
    store.commit(batch)
}

/// The trace of every command, or of the last `last` commands.
pub fn read(store: &dyn Store, last: Option<usize>) -> Result<Trace, LogError> {
    let runs = store.scan(RUNS, b"")?;
    let from = match last {
        Some(0) => return Ok(Trace::default()),
        Some(n) if n < runs.len() => number(&runs[runs.len() - n].1).unwrap_or(0),
        Some(_) | None => 0,
    };
    let mut trace = Trace::default();
    for (k, v) in store.scan(ENTRIES, b"")? {
        let index = number(&k).ok_or_else(|| LogError::Damaged {
            index: 0,
            reason: format!("a key of {} bytes, not 8", k.len()),
        })?;
        if index < from {
            continue;
        }
        let damaged = |reason: String| LogError::Damaged { index, reason };
        let value = codec::decode(&v).map_err(|e| damaged(e.to_string()))?;
        let entry = Entry::from_value(&value).map_err(damaged)?;
        trace.push(entry.controller, entry.event);
    }
    Ok(trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_obj::trace::Event;
    use avm_obj::ObjectId;
    use avm_store::MemStore;
    use avm_vm::DataValue;

    /// A call and its return.
    fn ping_pong() -> Trace {
        let mut t = Trace::default();
        t.push(
            None,
            Event::ObjectCalled {
                sender: None,
                callee: ObjectId(1),
                input: DataValue::nat(2u8),
            },
        );
        t.push(
            None,
            Event::ObjectReturned {
                callee: ObjectId(1),
                sender: None,
                output: None,
            },
        );
        t
    }

    #[test]
    fn commands_append_and_read_back_as_one_trace() {
        let mut store = MemStore::new();
        assert!(read(&store, None).unwrap().is_empty());
        let first = ping_pong();
        append(&mut store, &first).unwrap();
        append(&mut store, &Trace::default()).unwrap();
        let mut second = Trace::default();
        second.push(
            None,
            Event::ObjectDestroyed {
                object: ObjectId(2),
            },
        );
        append(&mut store, &second).unwrap();

        let all = read(&store, None).unwrap();
        assert_eq!(all.len(), first.len() + 1);
        assert_eq!(all.entries()[..first.len()], *first.entries());
        assert_eq!(all.entries().last().unwrap().seq, first.len() as u64);

        let last = read(&store, Some(1)).unwrap();
        assert_eq!(last.len(), 1);
        assert_eq!(last.entries()[0].seq, 0);
        assert_eq!(read(&store, Some(9)).unwrap(), all);
        assert!(read(&store, Some(0)).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_entry_is_named() {
        let mut store = MemStore::new();
        append(&mut store, &ping_pong()).unwrap();
        let mut batch = Batch::new();
        batch.put(ENTRIES, key(1), *b"junk");
        store.commit(batch).unwrap();
        let err = read(&store, None).unwrap_err();
        assert!(err.to_string().contains("trace entry 1"), "{err}");
    }
}
