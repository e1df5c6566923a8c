//! `avm_store::RedbStore::open` on a damaged store file: never panics out of the store's
//! API. The input damages a healthy store (made once): its first two bytes say where to
//! cut the file (0 = keep it whole), then each 3-byte group flips the bits of one byte
//! (two bytes of offset, one of mask). A store that opens must answer reads and commits,
//! with data or an error.
#![no_main]

use avm_store::{Batch, RedbStore, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::{Once, OnceLock};

/// A store file with a few commits in two tables.
fn healthy() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut store = RedbStore::open(dir.path(), "fuzz").unwrap();
            for i in 0u8..6 {
                let mut batch = Batch::new();
                batch.put("t", [i], vec![i; 700]).put("u", [i, i], [i]);
                store.commit(batch).unwrap();
            }
        }
        std::fs::read(dir.path().join("store.redb")).unwrap()
    })
}

fuzz_target!(|input: &[u8]| {
    // redb asserts on some damaged headers; the store catches those panics and returns
    // NotAStore, but libFuzzer's panic hook would abort at the panic itself. A panic that
    // escapes the store still fails the run: libfuzzer-sys aborts on it after the hook.
    static QUIET: Once = Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));

    let mut file = healthy().to_vec();
    let (cut, flips) = match input {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, input),
    };
    for flip in flips.chunks_exact(3) {
        let at = usize::from(u16::from_le_bytes([flip[0], flip[1]])) % file.len();
        file[at] ^= flip[2];
    }
    if cut > 0 {
        file.truncate(cut % file.len());
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("store.redb"), &file).unwrap();
    if let Ok(mut store) = RedbStore::open(dir.path(), "fuzz") {
        let _ = store.scan("t", b"");
        let _ = store.get("u", &[3, 3]);
        let mut batch = Batch::new();
        batch.put("t", *b"new", *b"value").delete("u", [1, 1]);
        let _ = store.commit(batch);
    }
});
