//! The durable store: one redb database file in a directory.

// The closures run by `guarded` return redb's own (large) error, which is mapped to a
// `StoreError` as soon as they return; boxing it first would only add an allocation.
#![allow(clippy::result_large_err)]

use crate::record::{seal, unseal};
use crate::{Batch, Entries, Op, Store, StoreError};
use redb::{Database, TableDefinition, TableError};
use std::fs;
use std::io::Read;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The database file's name inside the store directory.
pub const FILE_NAME: &str = "store.redb";

/// The format marker this build writes into every store it creates, and requires in every
/// store it opens. Bump the number when the layout of the store's own tables changes.
/// Format 2 seals every value with a checksum (see [`crate::record`]) and marks the kind.
pub const FORMAT: &str = "avm-store 2";

/// Where the markers live: a reserved table (names starting `__` cannot be used).
const MARKER_TABLE: TableDefinition<&str, &str> = TableDefinition::new("__avm_store");
const FORMAT_KEY: &str = "format";
const KIND_KEY: &str = "kind";

/// How much of the file redb may cache in memory, in bytes.
const CACHE_BYTES: usize = 64 << 20;

/// A [`Store`] in an embedded [redb](https://www.redb.org) database, `store.redb` in a
/// directory, of one kind (what its contents are: `objects`, `rv32-state`, ...).
///
/// Every commit is one redb write transaction with immediate durability: when
/// [`commit`](Store::commit) returns `Ok`, the batch is on disk; a crash at any point
/// leaves the state of the last commit that returned (or a later one that was about to).
/// A file that is not a redb database, is damaged, is a redb database of another program,
/// or is an avm store of another kind is refused with an error naming the file. Every value
/// is stored sealed with a checksum of its table, key and bytes ([`crate::record`]), so a
/// damaged record is reported when read, never served.
///
/// ```
/// use avm_store::{Batch, RedbStore, Store};
///
/// let dir = tempfile::tempdir()?;
/// {
///     let mut store = RedbStore::open(dir.path(), "example")?;
///     let mut batch = Batch::new();
///     batch.put("objects", *b"o1", *b"state");
///     store.commit(batch)?;
/// }
/// let store = RedbStore::open(dir.path(), "example")?;
/// assert_eq!(store.get("objects", b"o1")?, Some(b"state".to_vec()));
/// assert!(RedbStore::open(dir.path(), "other").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RedbStore {
    /// Dropped by hand, under [`guarded`]: redb can panic while closing a damaged file.
    db: ManuallyDrop<Database>,
    path: PathBuf,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore")
            .field("path", &self.path)
            .finish()
    }
}

impl Drop for RedbStore {
    fn drop(&mut self) {
        // A panic in redb's own drop (a damaged file) is swallowed: the file stays as the last
        // commit left it, and a later open reports the damage.
        let db = &mut self.db;
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: `db` is not touched after this, `self` is being dropped.
            unsafe { ManuallyDrop::drop(db) }
        }));
    }
}

impl RedbStore {
    /// Opens the store of kind `kind` in `dir`, creating the directory and an empty store
    /// marked with `kind` if there is none. Creation is exclusive: when several processes
    /// create a store in one directory at once, exactly one store results, and every
    /// process opens that one (or gets [`StoreError::Locked`] while another has it open).
    ///
    /// Errors: [`StoreError::TableName`] if `kind` is not a valid table name,
    /// [`StoreError::Io`] if the directory or file cannot be made or read,
    /// [`StoreError::NotAStore`] for a file that is not an avm store (a dangling symbolic
    /// link included) or is damaged, [`StoreError::Version`] for one of another format
    /// version, [`StoreError::Kind`] for a store of another kind, [`StoreError::Locked`]
    /// if it is open elsewhere.
    pub fn open(dir: impl AsRef<Path>, kind: &str) -> Result<Self, StoreError> {
        crate::check_table_name(kind)?;
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join(FILE_NAME);
        // `symlink_metadata`, not `exists`: a dangling link is something, and is refused.
        match fs::symlink_metadata(&path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(dir, &path, kind)?,
            Err(e) => return Err(io(&path)(e)),
        }
        let store = open_existing(path, kind)?;
        remove_leftovers(dir);
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn io(p: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let p = p.to_owned();
    move |source| StoreError::Io { path: p, source }
}

/// The start of the name a store is created under ([`create`]) before it is linked into
/// place: `store.redb.new.PID.N`.
const FRESH_PREFIX: &str = "store.redb.new.";

/// Creates a marked, empty store at `path` unless one appears there first, without ever
/// leaving an unmarked file there: the database is made under a name of this process's
/// own and hard-linked into place once durable. A link never replaces an existing file, so
/// of several processes creating at once exactly one succeeds; the others find its store.
fn create(dir: &Path, path: &Path, kind: &str) -> Result<(), StoreError> {
    static ATTEMPT: AtomicU64 = AtomicU64::new(0);
    let attempt = ATTEMPT.fetch_add(1, Ordering::Relaxed);
    let fresh = dir.join(format!("{FRESH_PREFIX}{}.{attempt}", std::process::id()));
    // A leftover of this very name is from a crashed process that had our pid.
    if fs::symlink_metadata(&fresh).is_ok() {
        fs::remove_file(&fresh).map_err(io(&fresh))?;
    }
    let made = guarded(&fresh, || {
        let db = builder().create(&fresh)?;
        let tx = db.begin_write()?;
        {
            let mut markers = tx.open_table(MARKER_TABLE)?;
            markers.insert(FORMAT_KEY, FORMAT)?;
            markers.insert(KIND_KEY, kind)?;
        }
        Ok(tx.commit()?)
    })
    .and_then(|()| match fs::hard_link(&fresh, path) {
        // Linked, or another process's store got there first (and that process, holding it
        // open, may have removed our fresh file as a leftover): one store is there.
        Ok(()) => Ok(()),
        Err(_) if fs::symlink_metadata(path).is_ok() => Ok(()),
        Err(e) => Err(io(path)(e)),
    });
    let removed = match fs::remove_file(&fresh) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&fresh)(e)),
        _ => Ok(()),
    };
    made?;
    removed?;
    // The link is durable once the directory is.
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

/// Removes what creations left in `dir` (`store.redb.new.PID.N`, from a process killed while
/// creating the store, or one that lost the race to create it), once this process has the
/// store open. That is safe whoever made them: while `store.redb` exists, no creation can
/// link its fresh file into place any more, and a creator whose file is removed finds
/// `store.redb` and opens it ([`create`]); a name that is a link to the store itself is only
/// a name. Best effort: a leftover that cannot be removed holds no commit and stays ignored.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let leftover = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(FRESH_PREFIX))
            && entry.file_type().is_ok_and(|t| t.is_file());
        if leftover {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn open_existing(path: PathBuf, kind: &str) -> Result<RedbStore, StoreError> {
    let not_a_store = |path: &Path, reason: &str| StoreError::NotAStore {
        path: path.to_owned(),
        reason: reason.into(),
    };
    let meta = match fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(not_a_store(&path, "a symbolic link to nothing"));
        }
        meta => meta.map_err(io(&path))?,
    };
    if !meta.is_file() {
        return Err(not_a_store(&path, "it is not a regular file"));
    }
    if meta.len() == 0 {
        // redb would quietly make a new database in an empty file; we never write one.
        return Err(not_a_store(&path, "the file is empty"));
    }
    let mut header = Vec::with_capacity(crate::redb_header::HEADER_LEN);
    fs::File::open(&path)
        .and_then(|f| {
            f.take(crate::redb_header::HEADER_LEN as u64)
                .read_to_end(&mut header)
        })
        .map_err(io(&path))?;
    crate::redb_header::check(&header, meta.len()).map_err(|r| not_a_store(&path, &r))?;
    let db = guarded(&path, || builder().open(&path).map_err(redb::Error::from))?;
    let store = RedbStore {
        db: ManuallyDrop::new(db),
        path,
    };
    let (format, found_kind) = read_markers(&store)?;
    match format {
        Some(found) if found == FORMAT => {}
        Some(found) => {
            return Err(StoreError::Version {
                path: store.path.clone(),
                found,
                expected: FORMAT.into(),
            })
        }
        None => {
            return Err(not_a_store(
                &store.path,
                "a redb database without the avm store format marker",
            ))
        }
    }
    match found_kind {
        Some(found) if found == kind => Ok(store),
        found => Err(StoreError::Kind {
            path: store.path.clone(),
            found: found.unwrap_or_else(|| "no kind".into()),
            expected: kind.into(),
        }),
    }
}

/// The format and kind markers, where present.
fn read_markers(store: &RedbStore) -> Result<(Option<String>, Option<String>), StoreError> {
    guarded(&store.path, || {
        let tx = store.db.begin_read()?;
        let table = match tx.open_table(MARKER_TABLE) {
            Err(TableError::TableDoesNotExist(_) | TableError::TableTypeMismatch { .. }) => {
                return Ok((None, None))
            }
            table => table?,
        };
        let read = |key| -> Result<Option<String>, redb::Error> {
            Ok(table.get(key)?.map(|v| v.value().to_owned()))
        };
        Ok((read(FORMAT_KEY)?, read(KIND_KEY)?))
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

impl RedbStore {
    /// The value of a record read from `table` under `key`, or the damage named.
    fn unsealed(&self, table: &str, key: &[u8], stored: &[u8]) -> Result<Vec<u8>, StoreError> {
        unseal(table, key, stored)
            .map(<[u8]>::to_vec)
            .map_err(|damage| StoreError::Damaged {
                path: self.path.clone(),
                table: table.to_owned(),
                key: crate::error::hex_prefix(key),
                reason: damage.to_string(),
            })
    }
}

impl Store for RedbStore {
    fn get(&self, name: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        crate::check_table_name(name)?;
        let stored = guarded(&self.path, || {
            let tx = self.db.begin_read()?;
            let t = match tx.open_table(table(name)) {
                Err(TableError::TableDoesNotExist(_)) => return Ok(None),
                t => t?,
            };
            Ok(t.get(key)?.map(|v| v.value().to_vec()))
        })?;
        stored
            .map(|stored| self.unsealed(name, key, &stored))
            .transpose()
    }

    fn scan(&self, name: &str, prefix: &[u8]) -> Result<Entries, StoreError> {
        crate::check_table_name(name)?;
        let stored = guarded(&self.path, || {
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
        })?;
        stored
            .into_iter()
            .map(|(k, v)| {
                let value = self.unsealed(name, &k, &v)?;
                Ok((k, value))
            })
            .collect()
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
                        Op::Put { table, key, value } => {
                            t.insert(key.as_slice(), seal(&table, &key, &value).as_slice())?;
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
