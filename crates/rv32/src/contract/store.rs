//! Persistence: a [`State`] kept in an [`avm_store::Store`] (a
//! [`RedbStore`] in a state directory, a [`MemStore`] in tests), one
//! [`Batch`] per save so a transaction's effects land whole or not at all.
//!
//! Four tables; a save writes only the entries the state's [`Changes`]
//! list, so it costs what the transaction touched, not the whole state:
//!
//! | table | key | value |
//! |---|---|---|
//! | `rv32.meta` | `format` | [`FORMAT`] |
//! | `rv32.accounts` | address (32 bytes) | nonce u64 LE ‖ balance u128 LE |
//! | `rv32.code` | address (32 bytes) | the ELF (only for accounts with code) |
//! | `rv32.storage` | address (32 bytes) ‖ storage key | the value |
//!
//! Loading reads every entry strictly: a marker of another format, entries
//! without the marker, a key or value of the wrong size, code or storage of
//! an account that does not exist are errors naming the store's file, the
//! table and the key.

use std::collections::BTreeMap;
use std::path::Path;

use avm_store::{Batch, MemStore, RedbStore, Store};

use super::abi::{MAX_KEY, MAX_VALUE};
use super::codec::{DecodeError, Reader, Writer};
use super::state::{Account, Address, Changes, State, MAX_CODE};

/// The format marker, under `format` in the `rv32.meta` table.
pub const FORMAT: &[u8] = b"avm-rv32-state 2";

/// The marker's table.
pub const META: &str = "rv32.meta";
/// Nonce and balance of every account.
pub const ACCOUNTS: &str = "rv32.accounts";
/// The code of every account that has some.
pub const CODE: &str = "rv32.code";
/// Every storage entry, keyed by address then storage key.
pub const STORAGE: &str = "rv32.storage";

const FORMAT_KEY: &[u8] = b"format";

/// The kind a state directory's store is marked with at creation (see
/// [`RedbStore::open`]), so a store of another kind (an object store) is
/// refused rather than read as an empty state.
pub const KIND: &str = "rv32-state";

/// Why a stored state could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateStoreError {
    /// The store itself failed: cannot be opened (damaged, foreign, another
    /// version, locked), read or written. The message names the file.
    #[error(transparent)]
    Store(#[from] avm_store::StoreError),
    /// The store holds another format's marker, or RV32 entries without one.
    #[error("{store}: not an avm-rv32 state: {}", match found {
        Some(found) => format!("format {found:?}; expected {:?}", String::from_utf8_lossy(FORMAT)),
        None => "RV32 entries without a format marker".into(),
    })]
    Format {
        /// The store (its file, or a name given for one in memory).
        store: String,
        /// The marker found, if any.
        found: Option<String>,
    },
    /// A stored entry that is not what the layout says.
    #[error("{store}: table {table}, key {key}: {problem}")]
    Entry {
        /// The store (its file, or a name given for one in memory).
        store: String,
        /// The table.
        table: &'static str,
        /// The key, hex (at most 80 bytes of it).
        key: String,
        /// What is wrong with the entry.
        problem: String,
    },
}

/// A [`State`] kept in a [`Store`]: [`StateStore::load`] reads it,
/// [`StateStore::save`] writes what changed since as one atomic batch.
///
/// ```
/// use avm_rv32::contract::store::StateStore;
///
/// let mut store = StateStore::in_memory();
/// let mut state = store.load()?;
/// state.set_balance(&[7; 32], 1000);
/// store.save(&mut state)?;
/// assert!(state.changes().is_empty());
/// assert_eq!(store.load()?.root(), state.root());
/// # Ok::<(), avm_rv32::contract::store::StateStoreError>(())
/// ```
#[derive(Debug)]
pub struct StateStore<S> {
    store: S,
    name: String,
    /// Whether the store holds the format marker yet (written with the
    /// first save, so opening and loading never write).
    marked: bool,
}

/// The state file of the format before avm-store, which this version does
/// not read.
const OLD_FILE: &str = "state.redb";

impl StateStore<RedbStore> {
    /// Opens the state directory `dir` (its `store.redb`, created if
    /// missing). A directory that holds only the state file of the format
    /// before avm-store (`state.redb`) is refused rather than read as a new,
    /// empty state.
    pub fn open_dir(dir: &Path) -> Result<Self, StateStoreError> {
        let old = dir.join(OLD_FILE);
        if old.exists() && !dir.join("store.redb").exists() {
            return Err(StateStoreError::Format {
                store: old.display().to_string(),
                found: Some("avm-rv32 state 1 (before avm-store)".into()),
            });
        }
        let store = RedbStore::open(dir, KIND)?;
        let name = store.path().display().to_string();
        StateStore::open(store, name)
    }
}

impl StateStore<MemStore> {
    /// An empty state in memory.
    pub fn in_memory() -> Self {
        StateStore {
            store: MemStore::new(),
            name: "memory".into(),
            marked: false,
        }
    }
}

impl<S: Store> StateStore<S> {
    /// Opens the state held in `store` (none yet is fine); `name` names it
    /// in errors (the file, say). A store marked with another format is
    /// refused.
    pub fn open(store: S, name: impl Into<String>) -> Result<Self, StateStoreError> {
        let name = name.into();
        let marker = store.get(META, FORMAT_KEY)?;
        if let Some(found) = marker.as_ref().filter(|m| *m != FORMAT) {
            return Err(StateStoreError::Format {
                store: name,
                found: Some(String::from_utf8_lossy(found).into_owned()),
            });
        }
        Ok(StateStore {
            store,
            name,
            marked: marker.is_some(),
        })
    }

    /// The stored state (empty if there is none), with no changes recorded.
    pub fn load(&self) -> Result<State, StateStoreError> {
        let state = read(&self.store, &self.name)?;
        // Code and storage need an account, so no account means no entry.
        if !self.marked && !state.accounts().is_empty() {
            return Err(StateStoreError::Format {
                store: self.name.clone(),
                found: None,
            });
        }
        Ok(state)
    }

    /// Writes the entries `state` lists as changed ([`State::changes`]) as
    /// one batch, then clears that list. All of them are stored, or (on an
    /// error) none, and the list is kept for another try.
    ///
    /// `state` must be one this store loaded (or an empty one for an empty
    /// store), changed only since: what it does not list is not written.
    pub fn save(&mut self, state: &mut State) -> Result<(), StateStoreError> {
        let mut batch = batch(state, state.changes());
        if !self.marked {
            batch.put(META, FORMAT_KEY, FORMAT);
        }
        self.store.commit(batch)?;
        self.marked = true;
        state.take_changes();
        Ok(())
    }

    /// The name errors give the store.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The store, closed as a state.
    pub fn into_inner(self) -> S {
        self.store
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().take(80).map(|b| format!("{b:02x}")).collect()
}

/// The nonce and balance, as `rv32.accounts` holds them.
fn header(account: &Account) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(account.nonce);
    w.u128(account.balance);
    w.bytes
}

/// Reads a [`header`].
fn decode_header(value: &[u8]) -> Result<Account, DecodeError> {
    let mut r = Reader::new(value);
    let nonce = r.u64("nonce")?;
    let balance = r.u128("balance")?;
    r.finish("account")?;
    Ok(Account {
        nonce,
        balance,
        ..Account::default()
    })
}

/// Reads every table into a state, strictly.
fn read(store: &impl Store, name: &str) -> Result<State, StateStoreError> {
    let bad = |table, key: &[u8], problem: String| StateStoreError::Entry {
        store: name.to_owned(),
        table,
        key: hex(key),
        problem,
    };
    let address = |table, key: &[u8]| -> Result<Address, StateStoreError> {
        key.get(..32)
            .and_then(|a| a.try_into().ok())
            .ok_or_else(|| {
                bad(
                    table,
                    key,
                    format!("{} bytes; expected an address", key.len()),
                )
            })
    };
    let mut accounts = BTreeMap::new();
    for (key, value) in store.scan(ACCOUNTS, b"")? {
        let addr: Address = key
            .as_slice()
            .try_into()
            .map_err(|_| bad(ACCOUNTS, &key, format!("{} bytes; expected 32", key.len())))?;
        let account = decode_header(&value).map_err(|e| bad(ACCOUNTS, &key, e.to_string()))?;
        accounts.insert(addr, account);
    }
    // Code and storage belong to an account stored in the first table.
    let owner = |accounts: &BTreeMap<_, _>, table, key: &[u8]| {
        let addr = address(table, key)?;
        match accounts.contains_key(&addr) {
            true => Ok(addr),
            false => Err(bad(table, key, "no such account".into())),
        }
    };
    for (key, code) in store.scan(CODE, b"")? {
        if key.len() != 32 || code.is_empty() || code.len() > MAX_CODE {
            let problem = format!(
                "{}-byte key and {}-byte code; expected 32 and 1 to {MAX_CODE}",
                key.len(),
                code.len()
            );
            return Err(bad(CODE, &key, problem));
        }
        let addr = owner(&accounts, CODE, &key)?;
        accounts.entry(addr).or_default().code = code.into();
    }
    for (key, value) in store.scan(STORAGE, b"")? {
        let storage_key = key.get(32..).unwrap_or_default();
        if storage_key.len() > MAX_KEY as usize || value.len() > MAX_VALUE as usize {
            let problem = format!(
                "{}-byte storage key and {}-byte value; the limits are {MAX_KEY} and {MAX_VALUE}",
                storage_key.len(),
                value.len()
            );
            return Err(bad(STORAGE, &key, problem));
        }
        let addr = owner(&accounts, STORAGE, &key)?;
        let account = accounts.entry(addr).or_default();
        account.storage.insert(storage_key.to_vec(), value);
    }
    let mut state = State::new();
    for (addr, account) in accounts {
        state.put(addr, account);
    }
    // As stored: nothing to save.
    state.take_changes();
    Ok(state)
}

/// The puts and deletes that store what `changes` lists, as `state` has it now.
fn batch(state: &State, changes: &Changes) -> Batch {
    let mut batch = Batch::new();
    for addr in &changes.accounts {
        match state.account(addr) {
            Some(account) => batch.put(ACCOUNTS, *addr, header(account)),
            None => batch.delete(ACCOUNTS, *addr),
        };
    }
    for addr in &changes.code {
        match state
            .account(addr)
            .map(|a| &a.code)
            .filter(|c| !c.is_empty())
        {
            Some(code) => batch.put(CODE, *addr, &**code),
            None => batch.delete(CODE, *addr),
        };
    }
    for (addr, key) in &changes.storage {
        let full = [&addr[..], key].concat();
        match state.storage(addr, key) {
            Some(value) => batch.put(STORAGE, full, value),
            None => batch.delete(STORAGE, full),
        };
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> State {
        let mut state = State::new();
        state.set_balance(&[3; 32], 77);
        state.set_storage(&[3; 32], b"key", Some(b"value".to_vec()));
        state.set_storage(&[3; 32], b"", Some(vec![]));
        state.set_nonce(&[4; 32], 9);
        state.put(
            [5; 32],
            Account {
                code: (*b"\x7fELF code").into(),
                ..Account::default()
            },
        );
        state.commit();
        state
    }

    #[test]
    fn state_survives_a_reopen_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = sample();
        StateStore::open_dir(dir.path())
            .unwrap()
            .save(&mut state)
            .unwrap();
        let loaded = StateStore::open_dir(dir.path()).unwrap().load().unwrap();
        assert_eq!(loaded.accounts(), state.accounts());
        assert_eq!(loaded.root(), state.root());
        assert!(loaded.changes().is_empty());
    }

    #[test]
    fn a_save_writes_only_what_changed() {
        let mut store = StateStore::in_memory();
        let mut state = sample();
        store.save(&mut state).unwrap();
        state.set_storage(&[3; 32], b"key", None);
        state.set_storage(&[3; 32], b"new", Some(b"1".to_vec()));
        state.set_balance(&[4; 32], 1);
        let batch = batch(&state, state.changes());
        let ops: Vec<_> = batch.ops().iter().map(|op| op.table()).collect();
        // Account 4's header, then two storage entries of account 3; no code.
        assert_eq!(ops, [ACCOUNTS, STORAGE, STORAGE]);
        store.save(&mut state).unwrap();
        assert!(state.changes().is_empty());
        assert_eq!(store.load().unwrap().root(), state.root());
    }

    /// A store with `entries` written raw, as damage or another program
    /// would leave them.
    fn raw(entries: &[(&str, &[u8], &[u8])]) -> MemStore {
        let mut store = MemStore::new();
        let mut batch = Batch::new();
        for (table, key, value) in entries {
            batch.put(table, *key, *value);
        }
        store.commit(batch).unwrap();
        store
    }

    fn refused(entries: &[(&str, &[u8], &[u8])]) -> String {
        StateStore::open(raw(entries), "test.redb")
            .and_then(|s| s.load())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn another_format_or_unmarked_entries_are_refused() {
        let e = refused(&[(META, FORMAT_KEY, b"something else")]);
        assert!(e.contains("test.redb: not an avm-rv32 state"), "{e}");
        assert!(e.contains("\"something else\""), "{e}");
        let e = refused(&[(ACCOUNTS, &[1; 32], &[0; 24])]);
        assert!(e.contains("RV32 entries without a format marker"), "{e}");
        // Tables of other owners (the object runtime, say) are no concern.
        let other = raw(&[("objects", b"o1", b"x")]);
        let state = StateStore::open(other, "shared").unwrap().load().unwrap();
        assert!(state.accounts().is_empty());
    }

    #[test]
    fn damaged_entries_name_table_and_key() {
        let m = (META, FORMAT_KEY, FORMAT);
        let key = |n: usize| vec![7u8; n];
        let cases: [(&str, Vec<u8>, Vec<u8>, &str); 6] = [
            (ACCOUNTS, key(31), vec![0; 24], "31 bytes; expected 32"),
            (ACCOUNTS, key(32), vec![0; 23], "balance at offset 8"),
            (ACCOUNTS, key(32), vec![0; 25], "1 trailing bytes"),
            (CODE, key(32), b"elf".to_vec(), "no such account"),
            (STORAGE, key(32 + 257), vec![], "257-byte storage key"),
            (STORAGE, key(3), vec![], "3 bytes; expected an address"),
        ];
        for (table, k, v, problem) in cases {
            let e = refused(&[m, (table, &k, &v)]);
            let expected = format!("test.redb: table {table}, key {}", hex(&k));
            assert!(e.starts_with(&expected), "{e}");
            assert!(e.contains(problem), "{e}");
        }
    }

    #[test]
    fn garbage_and_foreign_files_are_errors_naming_the_file() {
        for bytes in [&b"not a database at all"[..], &[0u8; 8192][..]] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("store.redb"), bytes).unwrap();
            let e = StateStore::open_dir(dir.path()).unwrap_err();
            assert!(matches!(e, StateStoreError::Store(_)), "{e}");
            assert!(e.to_string().contains("store.redb"), "{e}");
        }
    }

    #[test]
    fn a_directory_of_the_old_format_is_refused_not_emptied() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(OLD_FILE), b"old state").unwrap();
        let e = StateStore::open_dir(dir.path()).unwrap_err();
        assert!(matches!(e, StateStoreError::Format { .. }), "{e}");
        assert!(e.to_string().contains("state.redb"), "{e}");
        assert!(!dir.path().join("store.redb").exists());
    }

    #[derive(Clone, Debug)]
    enum Step {
        Balance(u8, u128),
        Nonce(u8, u64),
        Store(u8, u8, Option<u8>),
        Code(u8, Option<u8>),
        Reset(u8),
        Enter,
        Revert,
        Save,
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            (0u8..4, 0u128..3).prop_map(|(a, v)| Step::Balance(a, v)),
            (0u8..4, 0u64..3).prop_map(|(a, n)| Step::Nonce(a, n)),
            (0u8..4, 0u8..4, proptest::option::of(0u8..3))
                .prop_map(|(a, k, v)| Step::Store(a, k, v)),
            (0u8..4, proptest::option::of(0u8..3)).prop_map(|(a, c)| Step::Code(a, c)),
            (0u8..4).prop_map(Step::Reset),
            Just(Step::Enter),
            Just(Step::Revert),
            Just(Step::Save),
        ]
    }

    proptest::proptest! {
        /// After any sequence of changes, reverts (also past a save) and
        /// saves, loading gives back exactly the last state saved.
        #[test]
        fn a_load_gives_the_last_saved_state(
            steps in proptest::collection::vec(step(), 0..60)
        ) {
            let mut store = StateStore::in_memory();
            let mut state = store.load().unwrap();
            let mut saved = BTreeMap::new();
            let mut checkpoints = Vec::new();
            for st in steps {
                match st {
                    Step::Balance(a, v) => state.set_balance(&[a; 32], v),
                    Step::Nonce(a, n) => state.set_nonce(&[a; 32], n),
                    Step::Store(a, k, v) => {
                        state.set_storage(&[a; 32], &[k], v.map(|v| vec![v; v as usize]));
                    }
                    Step::Code(a, c) => {
                        let mut account = state.account(&[a; 32]).cloned().unwrap_or_default();
                        account.code = c.map_or(Vec::new(), |c| vec![c; 1 + c as usize]).into();
                        state.put([a; 32], account);
                    }
                    Step::Reset(a) => state.put([a; 32], Account::default()),
                    Step::Enter => checkpoints.push(state.checkpoint()),
                    Step::Revert => {
                        if let Some(cp) = checkpoints.pop() {
                            state.revert_to(cp);
                        }
                    }
                    Step::Save => {
                        store.save(&mut state).unwrap();
                        saved = state.accounts().clone();
                    }
                }
            }
            let reopened = StateStore::open(store.into_inner(), "memory").unwrap();
            let loaded = reopened.load().unwrap();
            proptest::prop_assert_eq!(loaded.accounts(), &saved);
        }
    }
}
