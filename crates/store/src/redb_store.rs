//! The durable store: one redb database file in a directory.

// The closures run by `guarded` return redb's own (large) error, which is mapped to a
// `StoreError` as soon as they return; boxing it first would only add an allocation.
#![allow(clippy::result_large_err)]

use crate::{Batch, Entries, Op, Store, StoreError};
use redb::{Database, TableDefinition, TableError};
use std::fs;
use std::path::{Path, PathBuf};

/// The database file's name inside the store directory.
pub const FILE_NAME: &str = "store.redb";

/// The format marker this build writes into every store it creates, and requires in every
/// store it opens. Bump the number when the layout of the store's own tables changes.
pub const FORMAT: &str = "avm-store 1";

/// Where the format marker lives: a reserved table (names starting `__` cannot be used).
const FORMAT_TABLE: TableDefinition<&str, &str> = TableDefinition::new("__avm_store");
const FORMAT_KEY: &str = "format";

/// How much of the file redb may cache in memory, in bytes.
const CACHE_BYTES: usize = 64 << 20;

/// A [`Store`] in an embedded [redb](https://www.redb.org) database, `store.redb` in a
/// directory.
///
/// Every commit is one redb write transaction with immediate durability: when
/// [`commit`](Store::commit) returns `Ok`, the batch is on disk; a crash at any point
/// leaves the state of the last commit that returned (or a later one that was about to).
/// A file that is not a redb database, is damaged, or is a redb database of another
/// program is refused with an error naming the file.
///
/// ```
/// use avm_store::{Batch, RedbStore, Store};
///
/// let dir = tempfile::tempdir()?;
/// {
///     let mut store = RedbStore::open(dir.path())?;
///     let mut batch = Batch::new();
///     batch.put("objects", *b"o1", *b"state");
///     store.commit(batch)?;
/// }
/// let store = RedbStore::open(dir.path())?;
/// assert_eq!(store.get("objects", b"o1")?, Some(b"state".to_vec()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RedbStore {
    db: Database,
    path: PathBuf,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore")
            .field("path", &self.path)
            .finish()
    }
}

impl RedbStore {
    /// Opens the store in `dir`, creating the directory and an empty store if there is none.
    ///
    /// Errors: [`StoreError::Io`] if the directory or file cannot be made or read,
    /// [`StoreError::NotAStore`] for a file that is not an avm store,
    /// [`StoreError::Version`] for one of another format version, [`StoreError::Locked`]
    /// if it is open elsewhere.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            create(dir, &path)?;
        }
        open_existing(path)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Creates a marked, empty store at `path` without ever leaving an unmarked file there: the
/// database is made under a temporary name and renamed into place once durable.
fn create(dir: &Path, path: &Path) -> Result<(), StoreError> {
    let fresh = dir.join(format!("{FILE_NAME}.new"));
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| StoreError::Io { path: p, source }
    };
    // A leftover from a crash during an earlier creation holds nothing anyone committed.
    if fresh.exists() {
        fs::remove_file(&fresh).map_err(io(&fresh))?;
    }
    guarded(&fresh, || {
        let db = builder().create(&fresh)?;
        let tx = db.begin_write()?;
        tx.open_table(FORMAT_TABLE)?.insert(FORMAT_KEY, FORMAT)?;
        Ok(tx.commit()?)
    })?;
    fs::rename(&fresh, path).map_err(io(path))?;
    // The rename is durable once the directory is.
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

fn open_existing(path: PathBuf) -> Result<RedbStore, StoreError> {
    let meta = fs::metadata(&path).map_err(|source| StoreError::Io {
        path: path.clone(),
        source,
    })?;
    if !meta.is_file() {
        return Err(StoreError::NotAStore {
            path,
            reason: "it is not a regular file".into(),
        });
    }
    if meta.len() == 0 {
        // redb would quietly make a new database in an empty file; we never write one.
        return Err(StoreError::NotAStore {
            path,
            reason: "the file is empty".into(),
        });
    }
    let db = guarded(&path, || builder().open(&path).map_err(redb::Error::from))?;
    let store = RedbStore { db, path };
    let found = read_format(&store)?;
    match found {
        Some(found) if found == FORMAT => Ok(store),
        Some(found) => Err(StoreError::Version {
            path: store.path,
            found,
            expected: FORMAT.into(),
        }),
        None => Err(StoreError::NotAStore {
            path: store.path,
            reason: "a redb database without the avm store format marker".into(),
        }),
    }
}

fn read_format(store: &RedbStore) -> Result<Option<String>, StoreError> {
    guarded(&store.path, || {
        let tx = store.db.begin_read()?;
        let table = match tx.open_table(FORMAT_TABLE) {
            Err(TableError::TableDoesNotExist(_) | TableError::TableTypeMismatch { .. }) => {
                return Ok(None)
            }
            table => table?,
        };
        Ok(table.get(FORMAT_KEY)?.map(|v| v.value().to_owned()))
    })
}

fn builder() -> redb::Builder {
    let mut builder = Database::builder();
    builder.set_cache_size(CACHE_BYTES);
    builder
}

/// Runs a redb operation on a file that may be damaged.
///
/// redb 2 checks some header fields of a file with `assert!` (a file cut short, for one), so
/// a damaged file can panic inside it; the panic becomes [`StoreError::NotAStore`] here. The
/// process's panic hook still runs (by default it prints the assertion to stderr).
fn guarded<T>(path: &Path, op: impl FnOnce() -> Result<T, redb::Error>) -> Result<T, StoreError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(op)) {
        Ok(result) => result.map_err(|e| error(path, e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(StoreError::NotAStore {
                path: path.to_owned(),
                reason: format!("damaged: the database failed an internal check ({what})"),
            })
        }
    }
}

/// Names what redb reported in the store's own terms.
fn error(path: &Path, e: redb::Error) -> StoreError {
    let path = path.to_owned();
    match e {
        redb::Error::DatabaseAlreadyOpen => StoreError::Locked { path },
        // redb's word for a file that does not start with its magic number.
        redb::Error::Io(source) if source.kind() == std::io::ErrorKind::InvalidData => {
            StoreError::NotAStore {
                path,
                reason: "not a redb database (no redb header)".into(),
            }
        }
        redb::Error::Io(source) => StoreError::Io { path, source },
        redb::Error::Corrupted(reason) => StoreError::NotAStore {
            path,
            reason: format!("damaged: {reason}"),
        },
        redb::Error::UpgradeRequired(version) => StoreError::NotAStore {
            path,
            reason: format!("a redb database in old file format {version}"),
        },
        other => StoreError::Backend {
            path,
            message: other.to_string(),
        },
    }
}

/// An open table of a write transaction.
type BytesTable<'tx> = redb::Table<'tx, &'static [u8], &'static [u8]>;

fn table(name: &str) -> TableDefinition<'_, &'static [u8], &'static [u8]> {
    TableDefinition::new(name)
}

impl Store for RedbStore {
    fn get(&self, name: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        crate::check_table_name(name)?;
        guarded(&self.path, || {
            let tx = self.db.begin_read()?;
            let t = match tx.open_table(table(name)) {
                Err(TableError::TableDoesNotExist(_)) => return Ok(None),
                t => t?,
            };
            Ok(t.get(key)?.map(|v| v.value().to_vec()))
        })
    }

    fn scan(&self, name: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        crate::check_table_name(name)?;
        guarded(&self.path, || {
            let tx = self.db.begin_read()?;
            let t = match tx.open_table(table(name)) {
                Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                t => t?,
            };
            let mut entries = Vec::new();
            for item in t.range(prefix..)? {
                let (k, v) = item?;
                if !k.value().starts_with(prefix) {
                    break;
                }
                entries.push((k.value().to_vec(), v.value().to_vec()));
            }
            Ok(entries)
        })
    }

    fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        batch.check()?;
        if batch.is_empty() {
            return Ok(());
        }
        guarded(&self.path, || {
            let tx = self.db.begin_write()?;
            // Dropping `tx` without committing aborts it, so an error anywhere below leaves
            // nothing of the batch behind.
            {
                // Consecutive operations on one table share one open table.
                let mut open: Option<(String, BytesTable)> = None;
                for op in batch {
                    let t = match open.take() {
                        Some((name, t)) if name == op.table() => &mut open.insert((name, t)).1,
                        _ => {
                            let t = tx.open_table(table(op.table()))?;
                            &mut open.insert((op.table().to_owned(), t)).1
                        }
                    };
                    match op {
                        Op::Put { key, value, .. } => {
                            t.insert(key.as_slice(), value.as_slice())?;
                        }
                        Op::Delete { key, .. } => {
                            t.remove(key.as_slice())?;
                        }
                    }
                }
            }
            Ok(tx.commit()?)
        })
    }
}
