//! Persistence: a [`State`] kept in an [`avm_store::Store`] (a
//! [`RedbStore`] in a state directory, a [`MemStore`] in tests), one
//! [`Batch`] per save so a transaction's effects land whole or not at all.
//!
//! Three tables, written only with what changed since the last save:
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

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use avm_store::{Batch, MemStore, RedbStore, Store};

use super::abi::{MAX_KEY, MAX_VALUE};
use super::codec::{DecodeError, Reader, Writer};
use super::state::{Account, Address, State, MAX_CODE};

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

/// A [`State`] kept in a [`Store`]: opening loads it, [`StateStore::save`]
/// writes what changed since as one atomic batch.
///
/// ```
/// use avm_rv32::contract::store::StateStore;
/// use avm_rv32::contract::State;
///
/// let mut store = StateStore::in_memory();
/// let mut state = store.state().clone();
/// state.set_balance(&[7; 32], 1000);
/// store.save(&state)?;
/// let root = state.root();
/// let reopened = StateStore::open(store.into_inner(), "memory")?;
/// assert_eq!(reopened.state().root(), root);
/// # Ok::<(), avm_rv32::contract::store::StateStoreError>(())
/// ```
#[derive(Debug)]
pub struct StateStore<S> {
    store: S,
    name: String,
    /// The state as stored: what [`StateStore::save`] compares against.
    saved: State,
    /// Whether the store holds the format marker yet (written with the
    /// first save, so opening never writes).
    marked: bool,
}

impl StateStore<RedbStore> {
    /// Opens the state directory `dir` (its `store.redb`, created if
    /// missing) and loads the state.
    pub fn open_dir(dir: &Path) -> Result<Self, StateStoreError> {
        let store = RedbStore::open(dir)?;
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
            saved: State::new(),
            marked: false,
        }
    }
}

impl<S: Store> StateStore<S> {
    /// Loads the state held in `store` (empty if it holds none); `name`
    /// names it in errors (the file, say).
    pub fn open(store: S, name: impl Into<String>) -> Result<Self, StateStoreError> {
        let name = name.into();
        let marker = store.get(META, FORMAT_KEY)?;
        let foreign = |found: Option<Vec<u8>>| StateStoreError::Format {
            store: name.clone(),
            found: found.map(|m| String::from_utf8_lossy(&m).into_owned()),
        };
        if marker.as_ref().is_some_and(|m| m != FORMAT) {
            return Err(foreign(marker));
        }
        let saved = load(&store, &name)?;
        // Code and storage need an account, so no account means no entry.
        if marker.is_none() && !saved.accounts().is_empty() {
            return Err(foreign(None));
        }
        Ok(StateStore {
            store,
            marked: marker.is_some(),
            name,
            saved,
        })
    }

    /// The state as last loaded or saved.
    pub fn state(&self) -> &State {
        &self.saved
    }

    /// Writes `state` as one batch holding only what differs from the
    /// stored state: all of it is stored, or (on an error) none of it.
    pub fn save(&mut self, state: &State) -> Result<(), StateStoreError> {
        let mut batch = changes(&self.saved, state);
        if !self.marked {
            batch.put(META, FORMAT_KEY, FORMAT);
        }
        self.store.commit(batch)?;
        self.marked = true;
        self.saved = state.clone();
        self.saved.commit();
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
fn load(store: &impl Store, name: &str) -> Result<State, StateStoreError> {
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
    Ok(state)
}

/// Calls `each` with every key of `before` or `after` whose value differs
/// (absent on one side, or unequal), in key order.
fn diff<K: Ord, V: PartialEq>(
    before: &BTreeMap<K, V>,
    after: &BTreeMap<K, V>,
    mut each: impl FnMut(&K, Option<&V>, Option<&V>),
) {
    let (mut old, mut new) = (before.iter().peekable(), after.iter().peekable());
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => return,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((a, _)), Some((b, _))) => a.cmp(b),
        };
        match order {
            Ordering::Less => {
                let (k, v) = old.next().expect("peeked");
                each(k, Some(v), None);
            }
            Ordering::Greater => {
                let (k, v) = new.next().expect("peeked");
                each(k, None, Some(v));
            }
            Ordering::Equal => {
                let ((k, v), (_, w)) = (old.next().expect("peeked"), new.next().expect("peeked"));
                if v != w {
                    each(k, Some(v), Some(w));
                }
            }
        }
    }
}

/// The puts and deletes that turn the stored `before` into `after`.
fn changes(before: &State, after: &State) -> Batch {
    let mut batch = Batch::new();
    let empty = Account::default();
    diff(before.accounts(), after.accounts(), |addr, old, new| {
        match new {
            None => batch.delete(ACCOUNTS, *addr),
            Some(new) if old.map(header) != Some(header(new)) => {
                batch.put(ACCOUNTS, *addr, header(new))
            }
            Some(_) => &mut batch,
        };
        let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
        if old.code != new.code {
            match new.code.len() {
                0 => batch.delete(CODE, *addr),
                _ => batch.put(CODE, *addr, &*new.code),
            };
        }
        diff(&old.storage, &new.storage, |key, _, value| {
            let full = [&addr[..], key].concat();
            match value {
                Some(v) => batch.put(STORAGE, full, v.as_slice()),
                None => batch.delete(STORAGE, full),
            };
        });
    });
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
        let state = sample();
        StateStore::open_dir(dir.path())
            .unwrap()
            .save(&state)
            .unwrap();
        let loaded = StateStore::open_dir(dir.path()).unwrap();
        assert_eq!(loaded.state().accounts(), state.accounts());
        assert_eq!(loaded.state().root(), state.root());
    }

    #[test]
    fn a_save_writes_only_what_changed() {
        let before = sample();
        let mut after = before.clone();
        after.set_storage(&[3; 32], b"key", None);
        after.set_storage(&[3; 32], b"new", Some(b"1".to_vec()));
        after.set_balance(&[4; 32], 1);
        let ops: Vec<_> = changes(&before, &after)
            .into_iter()
            .map(|op| (op.table().to_owned(), op))
            .collect();
        let tables: Vec<&str> = ops.iter().map(|(t, _)| t.as_str()).collect();
        // Account 3: two storage entries; account 4: its header. Code untouched.
        assert_eq!(tables, [STORAGE, STORAGE, ACCOUNTS]);
        assert!(changes(&before, &before).is_empty());
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
        assert!(StateStore::open(other, "shared").is_ok());
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

    #[derive(Clone, Debug)]
    enum Step {
        Balance(u8, u128),
        Nonce(u8, u64),
        Store(u8, u8, Option<u8>),
        Code(u8, Option<u8>),
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
            Just(Step::Save),
        ]
    }

    proptest::proptest! {
        /// After any sequence of changes and saves, reopening gives back
        /// exactly the last state saved.
        #[test]
        fn a_reopen_gives_the_last_saved_state(
            steps in proptest::collection::vec(step(), 0..50)
        ) {
            let mut store = StateStore::in_memory();
            let mut state = State::new();
            let mut saved = State::new();
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
                    Step::Save => {
                        store.save(&state).unwrap();
                        saved = state.clone();
                    }
                }
            }
            let reopened = StateStore::open(store.into_inner(), "memory").unwrap();
            proptest::prop_assert_eq!(reopened.state().accounts(), saved.accounts());
            proptest::prop_assert_eq!(reopened.state().root(), saved.root());
        }
    }
}
