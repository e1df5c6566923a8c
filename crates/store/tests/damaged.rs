//! Opening what is not a healthy avm store: always an error naming the file, never a panic.

use avm_store::{Batch, RedbStore, Store, StoreError};
use proptest::prelude::*;
use std::fs;
use std::sync::OnceLock;

/// Writes `bytes` as the store file of a fresh directory and opens it.
fn open_with(bytes: &[u8]) -> Result<RedbStore, StoreError> {
    // In memory where there is a tmpfs: the sweeps below write hundreds of store files.
    let dir = tempfile::Builder::new()
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap();
    fs::write(dir.path().join("store.redb"), bytes).unwrap();
    RedbStore::open(dir.path(), "test")
}

/// A healthy store file holding a few commits (made once).
fn healthy_file() -> Vec<u8> {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(make_healthy_file).clone()
}

fn make_healthy_file() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = RedbStore::open(dir.path(), "test").unwrap();
        for i in 0u8..8 {
            let mut b = Batch::new();
            b.put("t", [i], vec![i; 300]);
            s.commit(b).unwrap();
        }
    }
    fs::read(dir.path().join("store.redb")).unwrap()
}

fn assert_refused(result: Result<RedbStore, StoreError>, what: &str) -> StoreError {
    let err = result.expect_err(what);
    assert!(err.to_string().contains("store.redb"), "{what}: {err}");
    err
}

#[test]
fn an_empty_file_is_not_a_store() {
    let err = assert_refused(open_with(b""), "empty");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("empty"), "{err}");
}

#[test]
fn text_and_garbage_are_not_stores() {
    for bytes in [
        &b"hello, this is a text file\n"[..],
        &[0u8; 4096][..],
        &[0xffu8; 10_000][..],
        b"SQLite format 3\0",
    ] {
        let err = assert_refused(open_with(bytes), "garbage");
        assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    }
}

#[test]
fn a_foreign_redb_database_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let tx = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("accounts");
            tx.open_table(def).unwrap().insert("alice", 5).unwrap();
        }
        tx.commit().unwrap();
    }
    let err = assert_refused(RedbStore::open(dir.path(), "test"), "foreign");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("format marker"), "{err}");
}

#[test]
fn another_format_version_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.redb");
    {
        let db = redb::Database::create(&path).unwrap();
        let tx = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, &str> = redb::TableDefinition::new("__avm_store");
            tx.open_table(def)
                .unwrap()
                .insert("format", "avm-store 99")
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let err = assert_refused(RedbStore::open(dir.path(), "test"), "version");
    assert!(
        matches!(err, StoreError::Version { ref found, .. } if found == "avm-store 99"),
        "{err}"
    );
}

#[test]
fn a_directory_where_the_file_belongs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("store.redb")).unwrap();
    let err = assert_refused(RedbStore::open(dir.path(), "test"), "directory");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
}

#[test]
fn a_file_where_the_directory_belongs_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain");
    fs::write(&file, b"x").unwrap();
    let err = RedbStore::open(&file, "test").unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    assert!(err.to_string().contains("plain"), "{err}");
}

/// The names in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_leftover_half_made_store_does_not_stop_creation_and_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    // What a process killed while creating leaves: its private file, never linked.
    fs::write(dir.path().join("store.redb.new.1.0"), b"half made").unwrap();
    let s = RedbStore::open(dir.path(), "test").unwrap();
    assert_eq!(s.get("t", b"k").unwrap(), None);
    assert_eq!(names(dir.path()), ["store.redb"]);
}

/// Leftovers of creations next to an existing store: a complete, marked database that was
/// never linked (killed between its commit and the link), garbage, and a second name of the
/// store itself (killed between the link and the removal). The next open serves the store's
/// own data, and removes them all; what is not a regular file is not touched.
#[test]
fn leftovers_beside_a_store_are_ignored_then_removed() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    {
        let mut s = RedbStore::open(dir.path(), "test").unwrap();
        let mut b = Batch::new();
        b.put("t", *b"k", *b"kept");
        s.commit(b).unwrap();
        let mut unlinked = RedbStore::open(other.path(), "test").unwrap();
        let mut b = Batch::new();
        b.put("t", *b"k", *b"never linked");
        unlinked.commit(b).unwrap();
    }
    let path = dir.path().join("store.redb");
    fs::copy(
        other.path().join("store.redb"),
        dir.path().join("store.redb.new.77.0"),
    )
    .unwrap();
    fs::write(dir.path().join("store.redb.new.78.3"), b"").unwrap();
    fs::hard_link(&path, dir.path().join("store.redb.new.79.0")).unwrap();
    fs::create_dir(dir.path().join("store.redb.new.dir")).unwrap();
    let s = RedbStore::open(dir.path(), "test").unwrap();
    assert_eq!(s.get("t", b"k").unwrap(), Some(b"kept".to_vec()));
    assert_eq!(names(dir.path()), ["store.redb", "store.redb.new.dir"]);
    drop(s);
    let s = RedbStore::open(dir.path(), "test").unwrap();
    assert_eq!(s.get("t", b"k").unwrap(), Some(b"kept".to_vec()));
}

#[test]
fn a_dangling_symbolic_link_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("store.redb");
    std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
    let err = assert_refused(RedbStore::open(dir.path(), "test"), "dangling link");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!dir.path().join("gone").exists());
}

#[test]
fn a_store_of_another_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(RedbStore::open(dir.path(), "objects").unwrap());
    let err = assert_refused(RedbStore::open(dir.path(), "rv32-state"), "kind");
    assert!(matches!(err, StoreError::Kind { .. }), "{err}");
    assert!(err.to_string().contains("\"objects\""), "{err}");
    RedbStore::open(dir.path(), "objects").unwrap();
}

#[test]
fn a_damaged_record_is_reported_not_served() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = RedbStore::open(dir.path(), "test").unwrap();
        let mut b = Batch::new();
        b.put("t", *b"k", b"a recognisable value".to_vec());
        s.commit(b).unwrap();
    }
    let path = dir.path().join("store.redb");
    let mut bytes = fs::read(&path).unwrap();
    let at = bytes
        .windows(20)
        .position(|w| w == b"a recognisable value")
        .expect("the value is in the file");
    bytes[at + 2] ^= 0x20;
    fs::write(&path, bytes).unwrap();
    let s = RedbStore::open(dir.path(), "test").unwrap();
    for err in [s.get("t", b"k").unwrap_err(), s.scan("t", b"").unwrap_err()] {
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("table t, key 6b"), "{err}");
    }
}

/// Each damaged page (zeroed, or all ones) of every page redb wrote in a small store: every read gives the right answer or an error, and
/// nothing panics past the store or aborts (an abort would end this test process).
#[test]
fn every_damaged_page_is_refused_or_read_right() {
    let file = healthy_file();
    let expected: Vec<_> = (0u8..8).map(|i| (vec![i], vec![i; 300])).collect();
    let mut refused = 0;
    for page in 0..file.len() / 4096 {
        for fill in [0x00, 0xff] {
            let range = page * 4096..(page + 1) * 4096;
            if file[range.clone()].iter().all(|&b| b == 0) {
                continue; // space redb never wrote: it reads none of it
            }
            let mut damaged = file.clone();
            damaged[range].fill(fill);
            let Ok(s) = open_with(&damaged) else {
                refused += 1;
                continue;
            };
            match s.scan("t", b"") {
                Ok(entries) => assert_eq!(entries, expected, "page {page} filled {fill:#x}"),
                Err(_) => refused += 1,
            }
        }
    }
    assert!(
        refused > 0,
        "no damage was noticed: the sweep missed the data"
    );
}

#[test]
fn every_truncation_of_a_store_is_refused_or_opens() {
    let file = healthy_file();
    // 64 cuts spread over the file plus some odd ones: each must give an error or a store
    // that answers reads (redb may recover from a cut in its free space).
    let cuts = (1..file.len())
        .step_by(file.len() / 64)
        .chain([1, 7, 100, 4095, 4097]);
    for cut in cuts.filter(|&c| c < file.len()) {
        if let Ok(s) = open_with(&file[..cut]) {
            let _ = s.scan("t", b"");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Flipping bytes of a healthy store never panics: the open fails, or reads answer
    /// (with data or an error).
    #[test]
    fn corrupted_stores_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..16)) {
        let mut file = healthy_file();
        for (at, mask) in flips {
            let i = at.index(file.len());
            file[i] ^= mask;
        }
        if let Ok(s) = open_with(&file) {
            let _ = s.scan("t", b"");
            let _ = s.get("t", &[3]);
        }
    }

    /// Random bytes are never an avm store.
    #[test]
    fn random_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 1..8192)) {
        prop_assert!(open_with(&bytes).is_err());
    }
}
