//! Persistence: a [`State`] saved in and loaded from a state directory
//! holding one redb database, `state.redb`. Everything persistence needs is
//! here, so another store can replace it without touching the rest.
//!
//! Tables: `meta` (`format` = [`FORMAT`]) and `accounts` (address to the
//! canonical [`Account`] encoding). Opening a damaged or foreign file, or a
//! database of another format, is an error naming the file.

use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::codec::{DecodeError, Reader, Writer};
use super::state::{Account, State};

/// The format tag stored in the `meta` table.
pub const FORMAT: &[u8] = b"avm-rv32-state 1";

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const ACCOUNTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("accounts");

/// Why a state directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The directory could not be created.
    #[error("state directory {path}: {source}")]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database could not be opened, read or written (damaged or not a
    /// redb file, or an I/O error).
    #[error("state database {path}: {message}")]
    Db {
        /// The database file.
        path: PathBuf,
        /// redb's description.
        message: String,
    },
    /// The database is not an avm-rv32 state.
    #[error("state database {path}: not an avm-rv32 state (format {found:?})")]
    Format {
        /// The database file.
        path: PathBuf,
        /// The format tag found, if any.
        found: Option<String>,
    },
    /// A stored account does not decode.
    #[error("state database {path}: account {address}: {source}")]
    Account {
        /// The database file.
        path: PathBuf,
        /// The account's address, hex.
        address: String,
        /// What is wrong with it.
        source: DecodeError,
    },
}

/// An open state directory.
pub struct Store {
    db: Database,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Opens the state in `dir`, creating the directory and an empty state
    /// if there is none.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join("state.redb");
        let db = Database::create(&path).map_err(|e| StoreError::Db {
            path: path.clone(),
            message: format!("cannot open as a redb database (damaged or foreign file): {e}"),
        })?;
        let store = Store { db, path };
        store.check_format()?;
        Ok(store)
    }

    fn db_error(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Db {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Tags a new database with [`FORMAT`]; refuses one tagged otherwise.
    fn check_format(&self) -> Result<(), StoreError> {
        let txn = self.db.begin_write().map_err(|e| self.db_error(e))?;
        {
            let mut meta = txn.open_table(META).map_err(|e| self.db_error(e))?;
            let found = meta
                .get("format")
                .map_err(|e| self.db_error(e))?
                .map(|v| v.value().to_vec());
            match found {
                Some(tag) if tag == FORMAT => {}
                Some(tag) => {
                    return Err(StoreError::Format {
                        path: self.path.clone(),
                        found: Some(String::from_utf8_lossy(&tag).into_owned()),
                    })
                }
                None => {
                    let accounts = txn.open_table(ACCOUNTS).map_err(|e| self.db_error(e))?;
                    if !accounts.is_empty().map_err(|e| self.db_error(e))? {
                        return Err(StoreError::Format {
                            path: self.path.clone(),
                            found: None,
                        });
                    }
                    meta.insert("format", FORMAT)
                        .map_err(|e| self.db_error(e))?;
                }
            }
        }
        txn.commit().map_err(|e| self.db_error(e))
    }

    /// The stored state (empty for a new directory).
    pub fn load(&self) -> Result<State, StoreError> {
        let txn = self.db.begin_read().map_err(|e| self.db_error(e))?;
        let table = txn.open_table(ACCOUNTS).map_err(|e| self.db_error(e))?;
        let mut state = State::new();
        for entry in table.iter().map_err(|e| self.db_error(e))? {
            let (k, v) = entry.map_err(|e| self.db_error(e))?;
            let bad = |source| StoreError::Account {
                path: self.path.clone(),
                address: hex(k.value()),
                source,
            };
            let address: [u8; 32] = k.value().try_into().map_err(|_| {
                bad(DecodeError {
                    what: "address",
                    offset: 0,
                    problem: format!("{} bytes; expected 32", k.value().len()),
                })
            })?;
            let mut r = Reader::new(v.value());
            let account = Account::decode(&mut r).map_err(bad)?;
            r.finish("account").map_err(bad)?;
            state.put(address, account);
        }
        Ok(state)
    }

    /// Replaces the stored state with `state`, atomically.
    pub fn save(&self, state: &State) -> Result<(), StoreError> {
        let txn = self.db.begin_write().map_err(|e| self.db_error(e))?;
        txn.delete_table(ACCOUNTS).map_err(|e| self.db_error(e))?;
        {
            let mut table = txn.open_table(ACCOUNTS).map_err(|e| self.db_error(e))?;
            let mut w = Writer::default();
            for (addr, account) in state.accounts() {
                w.bytes.clear();
                account.encode(&mut w);
                table
                    .insert(&addr[..], &w.bytes[..])
                    .map_err(|e| self.db_error(e))?;
            }
        }
        txn.commit().map_err(|e| self.db_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_reopen_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = State::new();
        state.set_balance(&[3; 32], 77);
        state.set_storage(&[3; 32], b"key", Some(b"value".to_vec()));
        state.commit();
        Store::open(dir.path()).unwrap().save(&state).unwrap();
        let loaded = Store::open(dir.path()).unwrap().load().unwrap();
        assert_eq!(loaded.accounts(), state.accounts());
        assert_eq!(loaded.root(), state.root());
    }

    #[test]
    fn another_format_or_a_bad_account_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        let db = Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META)
            .unwrap()
            .insert("format", &b"something else"[..])
            .unwrap();
        txn.commit().unwrap();
        drop(db);
        let e = Store::open(dir.path()).unwrap_err();
        assert!(e.to_string().contains("\"something else\""), "{e}");

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let txn = store.db.begin_write().unwrap();
        txn.open_table(ACCOUNTS)
            .unwrap()
            .insert(&[7u8; 32][..], &[1u8, 2, 3][..])
            .unwrap();
        txn.commit().unwrap();
        let e = store.load().unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("account {}", "07".repeat(32))),
            "{e}"
        );
        assert!(e.to_string().contains("account nonce at offset 0"), "{e}");
    }

    #[test]
    fn a_foreign_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("state.redb"), b"not a database at all").unwrap();
        let e = Store::open(dir.path()).unwrap_err();
        assert!(matches!(e, StoreError::Db { .. }), "{e}");
        assert!(e.to_string().contains("state.redb"), "{e}");
    }
}
