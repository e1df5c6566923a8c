//! Creating a store is exclusive: processes racing to create one in the same new directory
//! end with one store, and every commit any of them acknowledged is in it.

use avm_store::{Batch, RedbStore, Store, StoreError};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "AVM_CREATE_CHILD";
const PROCESSES: usize = 3;
const ROUNDS: usize = 5;

/// A child: opens (creating) the store in the directory it is given, waiting while another
/// process has it open, commits its own key, and says so.
#[test]
fn create_child() {
    let Some(spec) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let spec = spec.into_string().unwrap();
    let (dir, me) = spec.rsplit_once('#').unwrap();
    let mut store = loop {
        match RedbStore::open(dir, "test") {
            Err(StoreError::Locked { .. }) => std::thread::sleep(Duration::from_millis(5)),
            other => break other.expect("open or create"),
        }
    };
    let mut batch = Batch::new();
    batch.put("who", me.as_bytes().to_vec(), *b"here");
    store.commit(batch).expect("commit");
    println!("committed {me}");
}

fn start(dir: &Path, me: usize) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["create_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{}#{me}", dir.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn racing_creators_make_one_store_and_lose_nothing() {
    for round in 0..ROUNDS {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("new");
        let children: Vec<_> = (0..PROCESSES).map(|me| start(&dir, me)).collect();
        for (me, child) in children.into_iter().enumerate() {
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && stdout.contains(&format!("committed {me}")),
                "round {round}, process {me}: {}\n{stdout}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let store = RedbStore::open(&dir, "test").unwrap();
        let who: Vec<_> = store.scan("who", b"").unwrap();
        assert_eq!(who.len(), PROCESSES, "round {round}: {who:?}");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "store.redb")
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}
