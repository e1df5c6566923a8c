//! Accounts and the journal: every change made while a call frame runs is
//! recorded with what it replaced, so a frame that reverts or faults is
//! undone exactly, its callees' changes included. Separately, the state
//! remembers which accounts, code and storage entries were touched since it
//! was last saved ([`Changes`]), so saving costs what changed, not the
//! whole state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::abi::{MAX_KEY, MAX_VALUE};
use super::codec::{DecodeError, Reader, Writer};

/// A 32-byte account address.
pub type Address = [u8; 32];

/// Largest contract code stored in an account, in bytes.
pub const MAX_CODE: usize = 8 << 20;
/// Most storage entries an encoded account may hold.
pub const MAX_ENTRIES: usize = 1 << 24;

/// One account: code (an ELF, empty for a plain account), a native-token
/// balance, a nonce and the contract's own storage.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Account {
    /// The contract's ELF; empty for an account without code.
    pub code: Arc<[u8]>,
    /// Native-token balance.
    pub balance: u128,
    /// Transactions sent (and so the next nonce expected).
    pub nonce: u64,
    /// Byte keys to byte values, sorted.
    pub storage: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl Account {
    /// The canonical encoding: nonce u64, balance u128, code, then the
    /// storage entries in key order.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.nonce);
        w.u128(self.balance);
        w.bytes(&self.code);
        w.u32(self.storage.len() as u32);
        for (k, v) in &self.storage {
            w.bytes(k);
            w.bytes(v);
        }
    }

    /// Reads an [`Account::encode`] encoding strictly (keys strictly
    /// increasing, lengths within the ABI's limits).
    pub fn decode(r: &mut Reader) -> Result<Account, DecodeError> {
        let nonce = r.u64("account nonce")?;
        let balance = r.u128("account balance")?;
        let code: Arc<[u8]> = r.bytes("account code", MAX_CODE)?.into();
        let n = r.len("storage entry count", MAX_ENTRIES)?;
        let mut storage = BTreeMap::new();
        let mut last: Option<Vec<u8>> = None;
        for _ in 0..n {
            let key = r.bytes("storage key", MAX_KEY as usize)?;
            if last.as_ref().is_some_and(|l| *l >= key) {
                return Err(r.error("storage key", "keys not strictly increasing"));
            }
            let value = r.bytes("storage value", MAX_VALUE as usize)?;
            last = Some(key.clone());
            storage.insert(key, value);
        }
        Ok(Account {
            code,
            balance,
            nonce,
            storage,
        })
    }
}

/// A change the journal can undo.
#[derive(Clone, Debug)]
enum Undo {
    Created(Address),
    Balance(Address, u128),
    Storage(Address, Vec<u8>, Option<Vec<u8>>),
}

/// A point in the journal to roll back to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Checkpoint(usize);

/// What may differ from the state as last saved: every account, code and
/// storage entry written (or undone) since the last [`State::take_changes`].
/// A write that was later reverted stays listed; saving it again is harmless.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Accounts whose existence, nonce or balance may have changed.
    pub accounts: BTreeSet<Address>,
    /// Accounts whose code may have changed.
    pub code: BTreeSet<Address>,
    /// Storage entries that may have changed: (account, key).
    pub storage: BTreeSet<(Address, Vec<u8>)>,
}

impl Changes {
    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.code.is_empty() && self.storage.is_empty()
    }

    /// Lists the whole account: existence, code and every storage key.
    fn account(&mut self, addr: &Address, account: Option<&Account>) {
        self.accounts.insert(*addr);
        self.code.insert(*addr);
        for key in account.into_iter().flat_map(|a| a.storage.keys()) {
            self.storage.insert((*addr, key.clone()));
        }
    }
}

/// All accounts, sorted by address, with the journal of changes since the
/// last [`State::commit`] and the [`Changes`] since the last save.
#[derive(Clone, Debug, Default)]
pub struct State {
    accounts: BTreeMap<Address, Account>,
    journal: Vec<Undo>,
    changes: Changes,
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State::default()
    }

    /// The accounts, sorted by address.
    pub fn accounts(&self) -> &BTreeMap<Address, Account> {
        &self.accounts
    }

    /// The account at `addr`, if it exists.
    pub fn account(&self, addr: &Address) -> Option<&Account> {
        self.accounts.get(addr)
    }

    /// The balance at `addr` (0 for no account).
    pub fn balance(&self, addr: &Address) -> u128 {
        self.account(addr).map_or(0, |a| a.balance)
    }

    /// The value stored under `key` by the contract at `addr`.
    pub fn storage(&self, addr: &Address, key: &[u8]) -> Option<&[u8]> {
        self.account(addr)?.storage.get(key).map(Vec::as_slice)
    }

    /// The account at `addr`, created (journaled) if missing.
    fn entry(&mut self, addr: &Address) -> &mut Account {
        if !self.accounts.contains_key(addr) {
            self.journal.push(Undo::Created(*addr));
            self.changes.accounts.insert(*addr);
        }
        self.accounts.entry(*addr).or_default()
    }

    /// Sets the balance at `addr`, journaled.
    pub fn set_balance(&mut self, addr: &Address, balance: u128) {
        let account = self.entry(addr);
        let old = std::mem::replace(&mut account.balance, balance);
        self.journal.push(Undo::Balance(*addr, old));
        self.changes.accounts.insert(*addr);
    }

    /// Moves `value` from `from` to `to`, journaled; false (and nothing
    /// changed) if `from` has less, or `to` would overflow.
    pub fn transfer(&mut self, from: &Address, to: &Address, value: u128) -> bool {
        if value == 0 {
            return true;
        }
        let Some(left) = self.balance(from).checked_sub(value) else {
            return false;
        };
        if from != to {
            let Some(sum) = self.balance(to).checked_add(value) else {
                return false;
            };
            self.set_balance(from, left);
            self.set_balance(to, sum);
        }
        true
    }

    /// Stores (`Some`) or deletes (`None`) `key` for the contract at
    /// `addr`, journaled; returns the old value.
    pub fn set_storage(
        &mut self,
        addr: &Address,
        key: &[u8],
        value: Option<Vec<u8>>,
    ) -> Option<Vec<u8>> {
        let storage = &mut self.entry(addr).storage;
        let old = match value {
            Some(v) => storage.insert(key.to_vec(), v),
            None => storage.remove(key),
        };
        self.journal
            .push(Undo::Storage(*addr, key.to_vec(), old.clone()));
        self.changes.storage.insert((*addr, key.to_vec()));
        old
    }

    /// Installs an account outright (deploy, nonce bumps, genesis), not
    /// journaled: only between frames.
    pub fn put(&mut self, addr: Address, account: Account) {
        self.changes.account(&addr, Some(&account));
        let old = self.accounts.insert(addr, account);
        self.changes.account(&addr, old.as_ref());
    }

    /// Sets the nonce at `addr` (creating the account), not journaled:
    /// only between frames.
    pub fn set_nonce(&mut self, addr: &Address, nonce: u64) {
        self.accounts.entry(*addr).or_default().nonce = nonce;
        self.changes.accounts.insert(*addr);
    }

    /// The current point of the journal.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.journal.len())
    }

    /// Undoes every change since `cp`, newest first.
    pub fn revert_to(&mut self, cp: Checkpoint) {
        while self.journal.len() > cp.0 {
            match self.journal.pop() {
                // Undoing is a change too: the state may have been saved since.
                Some(Undo::Created(addr)) => {
                    let gone = self.accounts.remove(&addr);
                    self.changes.account(&addr, gone.as_ref());
                }
                Some(Undo::Balance(addr, old)) => {
                    if let Some(a) = self.accounts.get_mut(&addr) {
                        a.balance = old;
                    }
                    self.changes.accounts.insert(addr);
                }
                Some(Undo::Storage(addr, key, old)) => {
                    self.changes.storage.insert((addr, key.clone()));
                    if let Some(a) = self.accounts.get_mut(&addr) {
                        match old {
                            Some(v) => a.storage.insert(key, v),
                            None => a.storage.remove(&key),
                        };
                    }
                }
                None => break,
            }
        }
    }

    /// Forgets the journal: the changes so far are final.
    pub fn commit(&mut self) {
        self.journal.clear();
    }

    /// What was touched since the last [`State::take_changes`] (or since
    /// the state was made).
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// Hands over what was touched and starts a new record: the caller has
    /// saved it (see [`StateStore::save`](super::store::StateStore::save)).
    pub fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }

    /// The state root: blake3 over every account's address and
    /// [`Account::encode`] encoding, in address order.
    pub fn root(&self) -> [u8; 32] {
        let mut hasher = blake3::Hasher::new();
        let mut w = Writer::default();
        for (addr, account) in &self.accounts {
            w.bytes.clear();
            w.fixed(addr);
            account.encode(&mut w);
            hasher.update(&w.bytes);
        }
        *hasher.finalize().as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revert_undoes_exactly_the_changes_after_the_checkpoint() {
        let (a, b) = ([1; 32], [2; 32]);
        let mut s = State::new();
        s.set_balance(&a, 100);
        s.set_storage(&a, b"k", Some(b"v1".to_vec()));
        s.commit();
        let root = s.root();
        let outer = s.checkpoint();
        assert!(s.transfer(&a, &b, 40));
        let inner = s.checkpoint();
        s.set_storage(&a, b"k", Some(b"v2".to_vec()));
        s.set_storage(&b, b"new", Some(vec![]));
        s.revert_to(inner);
        assert_eq!(s.storage(&a, b"k"), Some(&b"v1"[..]));
        assert_eq!(s.storage(&b, b"new"), None);
        assert_eq!(s.balance(&b), 40);
        s.revert_to(outer);
        assert!(s.account(&b).is_none());
        assert_eq!(s.root(), root);
    }

    #[derive(Clone, Debug)]
    enum Step {
        Balance(u8, u128),
        Store(u8, u8, Option<u8>),
        Transfer(u8, u8, u128),
        Enter,
        Leave { revert: bool },
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            (0u8..4, 0u128..100).prop_map(|(a, v)| Step::Balance(a, v)),
            (0u8..4, 0u8..4, proptest::option::of(any::<u8>()))
                .prop_map(|(a, k, v)| Step::Store(a, k, v)),
            (0u8..4, 0u8..4, 0u128..60).prop_map(|(a, b, v)| Step::Transfer(a, b, v)),
            Just(Step::Enter),
            any::<bool>().prop_map(|revert| Step::Leave { revert }),
        ]
    }

    proptest::proptest! {
        /// Nested frames against a model that snapshots the whole state
        /// at every checkpoint: reverting restores exactly the snapshot.
        #[test]
        fn the_journal_restores_exactly_what_each_frame_changed(
            steps in proptest::collection::vec(step(), 0..60)
        ) {
            let mut s = State::new();
            let mut frames: Vec<(Checkpoint, BTreeMap<Address, Account>)> = Vec::new();
            for st in steps {
                match st {
                    Step::Balance(a, v) => s.set_balance(&[a; 32], v),
                    Step::Store(a, k, v) => {
                        s.set_storage(&[a; 32], &[k], v.map(|v| vec![v]));
                    }
                    Step::Transfer(a, b, v) => {
                        let before = (s.balance(&[a; 32]), s.balance(&[b; 32]));
                        let ok = s.transfer(&[a; 32], &[b; 32], v);
                        proptest::prop_assert_eq!(ok, before.0 >= v);
                    }
                    Step::Enter => frames.push((s.checkpoint(), s.accounts().clone())),
                    Step::Leave { revert } => {
                        if let Some((cp, snapshot)) = frames.pop() {
                            if revert {
                                s.revert_to(cp);
                                proptest::prop_assert_eq!(s.accounts(), &snapshot);
                            }
                        }
                    }
                }
            }
            while let Some((cp, snapshot)) = frames.pop() {
                s.revert_to(cp);
                proptest::prop_assert_eq!(s.accounts(), &snapshot);
            }
        }
    }

    #[test]
    fn transfer_refuses_overdraft_and_overflow() {
        let (a, b) = ([1; 32], [2; 32]);
        let mut s = State::new();
        s.set_balance(&a, 10);
        s.set_balance(&b, u128::MAX);
        assert!(!s.transfer(&a, &b, 11));
        assert!(!s.transfer(&a, &b, 1));
        assert!(s.transfer(&a, &a, 10));
        assert_eq!(s.balance(&a), 10);
    }

    #[test]
    fn account_encoding_is_strict() {
        let mut acc = Account {
            balance: 5,
            nonce: 2,
            ..Account::default()
        };
        acc.storage.insert(b"a".to_vec(), b"1".to_vec());
        acc.storage.insert(b"b".to_vec(), b"2".to_vec());
        let mut w = Writer::default();
        acc.encode(&mut w);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(Account::decode(&mut r), Ok(acc));
        // Swap the two keys: no longer sorted.
        let mut bad = w.bytes.clone();
        let first = bad.iter().position(|&c| c == b'a').unwrap();
        let second = bad.iter().position(|&c| c == b'b').unwrap();
        bad.swap(first, second);
        let e = Account::decode(&mut Reader::new(&bad)).unwrap_err();
        assert_eq!(e.problem, "keys not strictly increasing");
    }
}
