//! The runtime's state through avm-store: what a commit wrote is there
//! after reopening, an aborted or conflicting transaction left nothing, and
//! a damaged entry is a clear error.

mod common;

use avm_obj::native::native;
use avm_obj::{AvmError, ControllerId, ObjectHost, ObjectId, Space};
use avm_store::{Batch, MemStore, RedbStore, Store};
use avm_vm::DataValue;
use common::{alu, op, runtime};

const C1: ControllerId = ControllerId(1);

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

#[test]
fn committed_state_survives_reopening_and_aborted_state_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, counter);
    {
        let mut space =
            Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap())
                .unwrap();
        space.add_controller(C1).unwrap();
        let space = space.shared();
        let mut rt = runtime(&space);
        a = rt.create_obj(native("account"), Some(C1)).unwrap();
        b = rt.create_obj(native("account"), Some(C1)).unwrap();
        counter = rt
            .create_obj(
                alu(include_str!("../../../examples/objects/counter.alu")),
                None,
            )
            .unwrap();
        rt.call(a, op(1, 100)).unwrap();
        rt.call(counter, DataValue::unit()).unwrap();
        let tx = rt.begin_tx(Some(C1)).unwrap();
        rt.call(a, op(2, 40)).unwrap();
        rt.call(b, op(1, 40)).unwrap();
        rt.commit_tx(tx).unwrap();
        let tx = rt.begin_tx(Some(C1)).unwrap();
        rt.call(a, op(2, 10)).unwrap();
        rt.abort_tx(tx).unwrap();
    }
    let space = Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap())
        .unwrap()
        .shared();
    let mut rt = runtime(&space);
    assert_eq!(rt.state_of(a).unwrap(), vec![nat(60)]);
    assert_eq!(rt.state_of(b).unwrap(), vec![nat(40)]);
    assert_eq!(rt.history_of(a).unwrap(), vec![op(1, 100), op(2, 40)]);
    assert_eq!(rt.call(counter, DataValue::unit()).unwrap(), Some(nat(2)));
    // Controllers and id counters carry over.
    let tx = rt.begin_tx(Some(C1)).unwrap();
    let fresh = rt.create_obj(native("echo"), None).unwrap();
    rt.commit_tx(tx).unwrap();
    assert_eq!(fresh, ObjectId(counter.0 + 1));
}

#[test]
fn a_memory_store_and_no_store_agree() {
    let run = |space: avm_obj::SpaceHandle| {
        let mut rt = runtime(&space);
        let c = rt.create_obj(native("counter"), None).unwrap();
        let e = rt.create_obj(native("echo"), None).unwrap();
        for i in 0..5 {
            rt.call(c, nat(i)).unwrap();
            rt.call(e, nat(i)).unwrap();
        }
        (
            rt.take_trace().hash(),
            rt.state_of(c).unwrap(),
            rt.history_of(e).unwrap(),
        )
    };
    let plain = run(Space::new().shared());
    let stored = run(Space::open(MemStore::new()).unwrap().shared());
    assert_eq!(plain, stored);
}

#[test]
fn destroyed_objects_leave_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut space =
            Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap())
                .unwrap();
        space.add_controller(C1).unwrap();
        let space = space.shared();
        let mut rt = runtime(&space);
        let o = rt.create_obj(native("echo"), Some(C1)).unwrap();
        rt.call(o, nat(1)).unwrap();
        rt.destroy_obj(o).unwrap();
    }
    let store = RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap();
    assert!(store.scan("objects", b"").unwrap().is_empty());
    assert!(store.scan("history", b"").unwrap().is_empty());
}

#[test]
fn damaged_entries_are_named() {
    let mut store = MemStore::new();
    let mut batch = Batch::new();
    batch.put("objects", 7u64.to_be_bytes(), *b"\xff garbage");
    store.commit(batch).unwrap();
    let err = Space::open(store).unwrap_err();
    assert!(matches!(err, AvmError::Store(_)), "{err}");
    assert!(
        err.to_string()
            .contains("the record of object obj7 is damaged"),
        "{err}"
    );

    let mut store = MemStore::new();
    let mut batch = Batch::new();
    batch.put(
        "objects",
        *b"short",
        avm_vm::codec::encode(&DataValue::unit()),
    );
    store.commit(batch).unwrap();
    let err = Space::open(store).unwrap_err();
    assert!(
        err.to_string().contains("a key of 5 bytes, expected 8"),
        "{err}"
    );

    let mut store = MemStore::new();
    let mut batch = Batch::new();
    batch.put(
        "objects",
        3u64.to_be_bytes(),
        avm_vm::codec::encode(&DataValue::unit()),
    );
    store.commit(batch).unwrap();
    let err = Space::open(store).unwrap_err();
    assert!(err.to_string().contains("obj3"), "{err}");
    assert!(err.to_string().contains("0 fields, expected 7"), "{err}");
}

#[test]
fn exhausted_object_ids_are_an_error_not_a_wrap() {
    let mut store = MemStore::new();
    let mut batch = Batch::new();
    let counters = DataValue::tuple([nat(u64::MAX), nat(1), nat(0)]);
    batch.put("meta", *b"counters", avm_vm::codec::encode(&counters));
    store.commit(batch).unwrap();
    let space = Space::open(store).unwrap().shared();
    let mut rt = runtime(&space);
    assert_eq!(
        rt.create_obj(native("echo"), None).unwrap_err(),
        AvmError::Obj(avm_obj::ObjError::AlreadyExists(ObjectId(u64::MAX)))
    );
}

/// A scratch directory in memory where there is one (the sweep below writes hundreds of
/// store files).
fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}

/// Every page redb wrote in a small object store, zeroed in turn: loading the space is
/// refused with an error, or gives exactly the objects that were stored; never a panic, an
/// abort, or different objects.
#[test]
fn every_damaged_page_of_an_object_store_is_refused_or_loads_right() {
    let dir = scratch_dir();
    {
        let space = Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap())
            .unwrap()
            .shared();
        let mut rt = runtime(&space);
        let counter = alu(include_str!("../../../examples/objects/counter.alu"));
        let c = rt.create_obj(counter, None).unwrap();
        let e = rt.create_obj(native("echo"), None).unwrap();
        for i in 0..3u64 {
            rt.call(c, DataValue::unit()).unwrap();
            rt.call(e, DataValue::bytes(vec![i as u8; 500])).unwrap();
        }
    }
    let file = std::fs::read(dir.path().join("store.redb")).unwrap();
    let healthy =
        Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).unwrap()).unwrap();
    let expected: Vec<_> = healthy.objects().map(|(id, r)| (id, r.clone())).collect();
    drop(healthy);
    let (mut refused, mut swept) = (0, 0);
    for page in 0..file.len() / 4096 {
        let range = page * 4096..(page + 1) * 4096;
        if file[range.clone()].iter().all(|&b| b == 0) {
            continue;
        }
        swept += 1;
        let mut damaged = file.clone();
        damaged[range].fill(0);
        let dir = scratch_dir();
        std::fs::write(dir.path().join("store.redb"), &damaged).unwrap();
        let loaded = RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND)
            .map_err(|e| e.to_string())
            .and_then(|store| Space::open(store).map_err(|e| e.to_string()));
        match loaded {
            Ok(space) => {
                let got: Vec<_> = space.objects().map(|(id, r)| (id, r.clone())).collect();
                assert_eq!(got, expected, "page {page}");
            }
            Err(e) => {
                assert!(
                    e.contains("store.redb") || e.contains("damaged"),
                    "page {page}: {e}"
                );
                refused += 1;
            }
        }
    }
    assert!(refused > 0 && swept > refused, "{refused} of {swept}");
}
