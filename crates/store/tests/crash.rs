//! Crash safety, tested: a child process commits batches and is killed with SIGKILL at
//! pseudo-random points; after every kill the store must hold every acknowledged commit
//! and no part of any other.

use avm_store::{crash, Batch, RedbStore, Store};
use std::path::Path;

/// Each batch writes this many items ...
const ITEMS: u64 = 4;
/// ... of this many bytes (more than a page, so one commit spans several) ...
const ITEM_BYTES: usize = 5000;
/// ... and deletes the items of the batch this many before it, so the store stays small.
const KEEP: u64 = 10;

fn item_key(n: u64, i: u64) -> Vec<u8> {
    [n.to_be_bytes(), i.to_be_bytes()].concat()
}

fn item_value(n: u64, i: u64) -> Vec<u8> {
    let seed = n.wrapping_mul(31).wrapping_add(i) as u8;
    (0..ITEM_BYTES)
        .map(|j| seed.wrapping_add(j as u8))
        .collect()
}

fn last_commit(store: &RedbStore) -> u64 {
    store
        .get("meta", b"last")
        .unwrap()
        .map_or(0, |v| u64::from_be_bytes(v.try_into().expect("8 bytes")))
}

/// The child's workload: commit batch after batch, from where the last child stopped.
#[test]
fn crash_child() {
    let Some(dir) = crash::child_dir() else {
        return;
    };
    let mut store = RedbStore::open(&dir, "test").expect("reopen after a crash");
    let start = last_commit(&store) + 1;
    for n in start..start + 100_000 {
        let mut batch = Batch::new();
        for i in 0..ITEMS {
            batch.put("items", item_key(n, i), item_value(n, i));
            if n > KEEP {
                batch.delete("items", item_key(n - KEEP, i));
            }
        }
        batch.put("meta", *b"last", n.to_be_bytes());
        store.commit(batch).expect("commit");
        crash::ack(n);
    }
}

/// After a kill: the last commit is at least the last acknowledged one, and the items are
/// exactly those of the last `KEEP` commits, whole.
fn check(dir: &Path, acked: &[u64]) -> Result<(), String> {
    let store = RedbStore::open(dir, "test").map_err(|e| format!("reopen: {e}"))?;
    let last = last_commit(&store);
    if let Some(&acked) = acked.last() {
        if last < acked {
            return Err(format!(
                "commit {acked} was acknowledged, the store ends at {last}"
            ));
        }
    }
    let items = store.scan("items", b"").map_err(|e| e.to_string())?;
    let expected: Vec<_> = (last.saturating_sub(KEEP - 1).max(1)..=last)
        .flat_map(|n| (0..ITEMS).map(move |i| (item_key(n, i), item_value(n, i))))
        .collect();
    if items != expected {
        let keys: Vec<_> = items.iter().map(|(k, _)| k.clone()).collect();
        return Err(format!(
            "store ends at commit {last} but holds {} items (expected {}): {keys:?}",
            items.len(),
            expected.len()
        ));
    }
    Ok(())
}

#[test]
fn every_acknowledged_commit_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let plan = crash::Plan::default();
    let report = crash::run(&plan, "crash_child", dir.path(), check);
    eprintln!("{report:?}");
    assert_eq!(report.kills, plan.runs);
    // The kills must land both before and among commits for the test to mean anything.
    assert!(report.acks > plan.runs as u64, "{report:?}");
    assert!(report.killed_before_first_ack > 0, "{report:?}");
    assert!(report.killed_before_first_ack < plan.runs, "{report:?}");
}
