//! All or nothing: a transaction belongs to the call that began it, a call that leaves one
//! open has it aborted, and every top-level instruction outside a transaction is one atomic
//! change, so a failed call (or a store that refuses the write) leaves nothing behind.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use avm_obj::error::TxError;
use avm_obj::native::native;
use avm_obj::{AvmError, Event, ObjError, ObjectHost, ObjectId, Runtime, Space, TxId};
use avm_store::{Batch, Entries, MemStore, Store, StoreError};
use avm_vm::DataValue;
use common::runtime;

/// A runtime with natives that misuse transactions or fail after writing.
fn misbehaving(space: &avm_obj::SpaceHandle) -> Runtime {
    let mut rt = runtime(space);
    // Ends the transaction whose id is its input: commit for (0, tx), abort for (1, tx).
    rt.register_native("ender", |host| {
        let input = host.input()?;
        let DataValue::Tuple(items) = &input else {
            return Ok(None);
        };
        let tx = TxId(items[1].as_u64().unwrap());
        match items[0].as_u64() {
            Some(0) => host
                .commit_tx(tx)
                .map(|c| Some(DataValue::nat(u64::from(c)))),
            _ => host.abort_tx(tx).map(|()| Some(DataValue::unit())),
        }
    });
    // Begins a transaction, writes its state in it, and returns.
    rt.register_native("opener", |host| {
        host.begin_tx(None)?;
        host.set_state(vec![DataValue::nat(1u8)])?;
        Ok(Some(DataValue::unit()))
    });
    // Sets its state, creates an object, then fails.
    rt.register_native("writer_then_fails", |host| {
        host.set_state(vec![DataValue::nat(7u8)])?;
        host.create_obj(native("echo"), None)?;
        let me = host.self_id()?;
        Err(ObjError::RejectedCall {
            object: me,
            reason: "it changed its mind".into(),
        }
        .into())
    });
    rt
}

#[test]
fn a_nested_call_cannot_end_a_transaction_it_did_not_begin() {
    let space = Space::new().shared();
    let mut rt = misbehaving(&space);
    let ender = rt.create_obj(native("ender"), None).unwrap();
    let counter = rt.create_obj(native("counter"), None).unwrap();
    for op in [0u8, 1] {
        let tx = rt.begin_tx(None).unwrap();
        rt.call(counter, DataValue::unit()).unwrap();
        let input = DataValue::tuple([DataValue::nat(op), DataValue::nat(tx.0)]);
        let err = rt.call(ender, input).unwrap_err();
        assert!(
            matches!(err, AvmError::Tx(TxError::NotOwner { tx: t, began_by: None }) if t == tx),
            "{err}"
        );
        // The transaction is still the caller's: it commits (or aborts) whole.
        assert_eq!(rt.open_tx(), Some(tx));
        if op == 0 {
            assert!(rt.commit_tx(tx).unwrap());
        } else {
            rt.abort_tx(tx).unwrap();
        }
    }
    assert_eq!(rt.state_of(counter).unwrap(), vec![DataValue::nat(1u8)]);
}

#[test]
fn a_transaction_left_open_by_a_call_is_aborted_with_an_event_and_an_error() {
    let space = Space::new().shared();
    let mut rt = misbehaving(&space);
    let opener = rt.create_obj(native("opener"), None).unwrap();
    rt.take_trace();
    let err = rt.call(opener, DataValue::unit()).unwrap_err();
    assert!(
        matches!(err, AvmError::Tx(TxError::LeftOpen { object, .. }) if object == opener),
        "{err}"
    );
    assert_eq!(rt.open_tx(), None);
    assert!(rt.state_of(opener).unwrap().is_empty());
    assert!(rt.history_of(opener).unwrap().is_empty());
    let events: Vec<_> = rt.trace().entries().iter().map(|e| &e.event).collect();
    assert!(
        events.iter().any(|e| matches!(e, Event::TxAborted { .. })),
        "{events:?}"
    );
    assert!(
        matches!(events.last(), Some(Event::Error { message, .. }) if message.contains("without committing")),
        "{events:?}"
    );
}

#[test]
fn a_failed_call_outside_a_transaction_leaves_nothing() {
    let space = Space::new().shared();
    let mut rt = misbehaving(&space);
    let writer = rt.create_obj(native("writer_then_fails"), None).unwrap();
    let before = space.lock().objects().count();
    rt.call(writer, DataValue::unit()).unwrap_err();
    assert!(rt.state_of(writer).unwrap().is_empty());
    assert!(rt.history_of(writer).unwrap().is_empty());
    assert_eq!(space.lock().objects().count(), before);
    // The id the failed call took is given again: nothing of the call remains.
    let next = rt.create_obj(native("echo"), None).unwrap();
    assert_eq!(next, ObjectId(writer.0 + 1));
}

/// A store whose commits fail while `full` is set, as a full disk's would.
#[derive(Clone)]
struct FillingStore {
    inner: Arc<std::sync::Mutex<MemStore>>,
    full: Arc<AtomicBool>,
}

impl Store for FillingStore {
    fn get(&self, table: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.lock().unwrap().get(table, key)
    }
    fn scan(&self, table: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        self.inner.lock().unwrap().scan(table, prefix)
    }
    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        if self.full.load(Ordering::SeqCst) {
            return Err(StoreError::Io {
                path: "store.redb".into(),
                source: std::io::Error::other("No space left on device"),
            });
        }
        self.inner.lock().unwrap().commit(batch)
    }
}

#[test]
fn a_refused_write_reports_the_store_error_and_changes_nothing() {
    let store = FillingStore {
        inner: Arc::default(),
        full: Arc::default(),
    };
    let space = Space::open(store.clone()).unwrap().shared();
    let mut rt = misbehaving(&space);
    let counter = rt.create_obj(native("counter"), None).unwrap();
    rt.call(counter, DataValue::unit()).unwrap();
    store.full.store(true, Ordering::SeqCst);
    for _ in 0..3 {
        let err = rt.call(counter, DataValue::unit()).unwrap_err();
        assert!(
            matches!(&err, AvmError::Store(m) if m.contains("No space left")),
            "{err}"
        );
        assert_eq!(rt.state_of(counter).unwrap(), vec![DataValue::nat(1u8)]);
        assert_eq!(rt.history_of(counter).unwrap().len(), 1);
    }
    store.full.store(false, Ordering::SeqCst);
    assert_eq!(
        rt.call(counter, DataValue::unit()).unwrap(),
        Some(DataValue::nat(2u8))
    );
    // What memory shows is what the store holds.
    let reloaded = Space::open(store.clone()).unwrap();
    let record = reloaded.object(counter).unwrap();
    assert_eq!(record.state, vec![DataValue::nat(2u8)]);
    assert_eq!(record.history.len(), 2);
}
