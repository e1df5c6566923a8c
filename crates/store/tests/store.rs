//! The behaviour both stores share, and what only the durable one promises.

use avm_store::{Batch, MemStore, RedbStore, Store, StoreError};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Runs `f` on a fresh store of each kind.
fn each_store(f: impl Fn(&mut dyn Store)) {
    f(&mut MemStore::new());
    let dir = tempfile::tempdir().unwrap();
    f(&mut RedbStore::open(dir.path(), "test").unwrap());
}

#[test]
fn missing_tables_and_keys_read_as_empty() {
    each_store(|s| {
        assert_eq!(s.get("nothing", b"k").unwrap(), None);
        assert_eq!(s.scan("nothing", b"").unwrap(), vec![]);
        let mut b = Batch::new();
        b.put("t", *b"k", *b"v");
        s.commit(b).unwrap();
        assert_eq!(s.get("t", b"other").unwrap(), None);
    });
}

#[test]
fn scan_returns_the_prefix_in_key_order() {
    each_store(|s| {
        let mut b = Batch::new();
        for key in ["b2", "a", "b1", "b", "c", "b\u{ff}"] {
            b.put("t", key.as_bytes(), key.to_uppercase().into_bytes());
        }
        b.put("other", *b"b0", *b"not here");
        s.commit(b).unwrap();
        let keys: Vec<_> = s
            .scan("t", b"b")
            .unwrap()
            .into_iter()
            .map(|(k, _)| String::from_utf8(k).unwrap())
            .collect();
        assert_eq!(keys, ["b", "b1", "b2", "b\u{ff}"]);
        assert_eq!(s.scan("t", b"").unwrap().len(), 6);
        assert_eq!(
            s.scan("t", b"b1").unwrap(),
            vec![(b"b1".to_vec(), b"B1".to_vec())]
        );
        assert_eq!(s.scan("t", b"d").unwrap(), vec![]);
    });
}

#[test]
fn later_operations_on_a_key_win() {
    each_store(|s| {
        let mut b = Batch::new();
        b.put("t", *b"k", *b"1")
            .put("u", *b"k", *b"other table")
            .put("t", *b"k", *b"2")
            .delete("t", *b"gone")
            .put("t", *b"gone", *b"x")
            .delete("t", *b"gone");
        s.commit(b).unwrap();
        assert_eq!(s.get("t", b"k").unwrap(), Some(b"2".to_vec()));
        assert_eq!(s.get("t", b"gone").unwrap(), None);
        assert_eq!(s.get("u", b"k").unwrap(), Some(b"other table".to_vec()));
    });
}

#[test]
fn a_batch_with_a_bad_table_name_writes_nothing() {
    each_store(|s| {
        let mut b = Batch::new();
        b.put("good", *b"k", *b"v").put("Bad", *b"k", *b"v");
        let err = s.commit(b).unwrap_err();
        assert!(
            matches!(err, StoreError::TableName { ref name } if name == "Bad"),
            "{err}"
        );
        assert_eq!(s.get("good", b"k").unwrap(), None);
        assert!(s.get("__avm_store", b"format").is_err());
        assert!(s.scan("", b"").is_err());
    });
}

#[test]
fn empty_keys_values_and_batches_work() {
    each_store(|s| {
        s.commit(Batch::new()).unwrap();
        let mut b = Batch::new();
        b.put("t", Vec::new(), Vec::new());
        s.commit(b).unwrap();
        assert_eq!(s.get("t", b"").unwrap(), Some(vec![]));
    });
}

#[test]
fn large_values_round_trip() {
    each_store(|s| {
        let value: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let mut b = Batch::new();
        b.put("big", *b"v", value.clone());
        s.commit(b).unwrap();
        assert_eq!(s.get("big", b"v").unwrap(), Some(value));
    });
}

#[test]
fn redb_commits_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = RedbStore::open(dir.path(), "test").unwrap();
        for i in 0u32..20 {
            let mut b = Batch::new();
            b.put("n", i.to_be_bytes(), (i * i).to_be_bytes());
            s.commit(b).unwrap();
        }
        let mut b = Batch::new();
        b.delete("n", 3u32.to_be_bytes());
        s.commit(b).unwrap();
    }
    let s = RedbStore::open(dir.path(), "test").unwrap();
    let all = s.scan("n", b"").unwrap();
    assert_eq!(all.len(), 19);
    assert_eq!(
        s.get("n", &4u32.to_be_bytes()).unwrap(),
        Some(16u32.to_be_bytes().to_vec())
    );
    assert_eq!(s.get("n", &3u32.to_be_bytes()).unwrap(), None);
}

#[test]
fn redb_creates_missing_directories() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    let s = RedbStore::open(&nested, "test").unwrap();
    assert_eq!(s.path(), nested.join("store.redb"));
    assert!(nested.join("store.redb").is_file());
    assert!(!nested.join("store.redb.new").exists());
}

#[test]
fn a_second_handle_on_an_open_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = RedbStore::open(dir.path(), "test").unwrap();
    let err = RedbStore::open(dir.path(), "test").unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("store.redb"), "{err}");
}

#[test]
fn stores_work_behind_a_box() {
    let mut boxed: Box<dyn Store> = Box::new(MemStore::new());
    let mut b = Batch::new();
    b.put("t", *b"k", *b"v");
    boxed.commit(b).unwrap();
    let by_ref: &mut dyn Store = &mut boxed;
    assert_eq!(by_ref.get("t", b"k").unwrap(), Some(b"v".to_vec()));
}

/// One random write.
#[derive(Clone, Debug)]
enum Write {
    Put(u8, Vec<u8>, Vec<u8>),
    Delete(u8, Vec<u8>),
}

fn write() -> impl Strategy<Value = Write> {
    let key = prop::collection::vec(0u8..4, 0..4);
    prop_oneof![
        (
            0u8..3,
            key.clone(),
            prop::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(|(t, k, v)| Write::Put(t, k, v)),
        (0u8..3, key).prop_map(|(t, k)| Write::Delete(t, k)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Both stores agree with a plain model of ordered maps, through any batches, on every
    /// get and every prefix scan; the durable one also after reopening.
    #[test]
    fn stores_agree_with_a_model(
        batches in prop::collection::vec(prop::collection::vec(write(), 0..8), 0..6),
        prefix in prop::collection::vec(0u8..4, 0..3),
    ) {
        let names = ["t0", "t1", "t2"];
        let mut model: BTreeMap<(&str, Vec<u8>), Vec<u8>> = BTreeMap::new();
        let mut mem = MemStore::new();
        let dir = tempfile::tempdir().unwrap();
        let mut redb = RedbStore::open(dir.path(), "test").unwrap();
        for writes in &batches {
            let mut batch = Batch::new();
            for w in writes {
                match w {
                    Write::Put(t, k, v) => {
                        batch.put(names[*t as usize], k.clone(), v.clone());
                        model.insert((names[*t as usize], k.clone()), v.clone());
                    }
                    Write::Delete(t, k) => {
                        batch.delete(names[*t as usize], k.clone());
                        model.remove(&(names[*t as usize], k.clone()));
                    }
                }
            }
            mem.commit(batch.clone()).unwrap();
            redb.commit(batch).unwrap();
        }
        drop(redb);
        let redb = RedbStore::open(dir.path(), "test").unwrap();
        for name in names {
            let expected: Vec<_> = model
                .iter()
                .filter(|((t, k), _)| *t == name && k.starts_with(&prefix))
                .map(|((_, k), v)| (k.clone(), v.clone()))
                .collect();
            prop_assert_eq!(&mem.scan(name, &prefix).unwrap(), &expected);
            prop_assert_eq!(&redb.scan(name, &prefix).unwrap(), &expected);
            for (k, v) in &expected {
                prop_assert_eq!(redb.get(name, k).unwrap(), Some(v.clone()));
            }
        }
    }
}
