//! A damaged RV32 state store: every page redb wrote in a small state directory, zeroed in
//! turn, makes opening or loading the state fail with an error, or gives exactly the state
//! that was saved (same root); never a panic, an abort, or a different state.

use avm_rv32::contract::store::StateStore;

/// A scratch directory in memory where there is one (the sweep writes hundreds of files).
fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}

#[test]
fn every_damaged_page_of_a_state_is_refused_or_loads_right() {
    let dir = scratch_dir();
    let root = {
        let mut store = StateStore::open_dir(dir.path()).unwrap();
        let mut state = store.load().unwrap();
        for i in 0..4u8 {
            state.set_balance(&[i; 32], 1000 + u128::from(i));
            state.set_storage(&[i; 32], &[i; 8], Some(vec![i; 300]));
            store.save(&mut state).unwrap();
        }
        state.root()
    };
    let file = std::fs::read(dir.path().join("store.redb")).unwrap();
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
        let loaded = StateStore::open_dir(dir.path())
            .and_then(|store| store.load())
            .map(|state| state.root());
        match loaded {
            Ok(got) => assert_eq!(got, root, "page {page}: a different state root"),
            Err(e) => {
                assert!(e.to_string().contains("store.redb"), "page {page}: {e}");
                refused += 1;
            }
        }
    }
    assert!(refused > 0 && swept > refused, "{refused} of {swept}");
}
