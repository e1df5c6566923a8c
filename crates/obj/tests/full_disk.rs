//! A full disk: the call that does not fit fails with the disk's own error and changes
//! nothing, in memory or in the store. Runs on a small tmpfs, mounted for the test (it needs
//! root; elsewhere it says so and passes without running).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use avm_obj::native::native;
use avm_obj::persist::STORE_KIND;
use avm_obj::{AvmError, ObjectHost, ObjectId, Space};
use avm_store::RedbStore;
use avm_vm::DataValue;
use common::runtime;

/// A tmpfs of `size` at a fresh directory, unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
    /// Holds the mount point's parent until the tmpfs is unmounted.
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output()
            .ok()?;
        mounted
            .status
            .success()
            .then_some(Tmpfs { path, _parent: dir })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).output();
    }
}

#[test]
fn a_full_disk_fails_the_call_with_the_disk_error_and_changes_nothing() {
    let Some(disk) = Tmpfs::mount("8m") else {
        eprintln!("skipped: cannot mount a tmpfs here (not root?)");
        return;
    };
    let dir = disk.path().join("store");
    let echo = ObjectId(1);
    let accepted = {
        let store = RedbStore::open(&dir, STORE_KIND).expect("a store fits");
        let space = Space::open(store).unwrap().shared();
        let mut rt = runtime(&space);
        assert_eq!(rt.create_obj(native("echo"), None).unwrap(), echo);
        let input = DataValue::bytes(vec![7; 1 << 20]);
        let mut accepted = 0;
        let err = loop {
            match rt.call(echo, input.clone()) {
                Ok(_) => accepted += 1,
                Err(e) => break e,
            }
            assert!(accepted < 64, "an 8 MiB disk took 64 MiB");
        };
        let message = err.to_string();
        assert!(matches!(err, AvmError::Store(_)), "{message}");
        assert!(message.contains("No space left on device"), "{message}");
        assert!(!message.contains("Previous I/O error"), "{message}");
        // Memory shows what the store acknowledged, no more.
        assert_eq!(rt.history_of(echo).unwrap().len(), accepted);
        accepted
    };
    assert!(accepted > 0);
    // So does the store, once it can be opened again.
    match RedbStore::open(&dir, STORE_KIND) {
        Ok(store) => {
            let space = Space::open(store).unwrap();
            assert_eq!(space.object(echo).unwrap().history.len(), accepted);
        }
        Err(e) => assert!(e.to_string().contains("No space left"), "{e}"),
    }
}
