//! What can go wrong in a store.

use std::path::PathBuf;

/// An error from a [`Store`](crate::Store): what went wrong, and with which table or file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A table name outside the allowed alphabet or length (see
    /// [`check_table_name`](crate::check_table_name)).
    #[error(
        "invalid table name {name:?}: use 1 to 64 of a-z, 0-9, '_', '.', '-', not starting with \"__\""
    )]
    TableName {
        /// The name given (at most 65 characters of it).
        name: String,
    },
    /// The file system refused an operation on the store's directory or file.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not an avm store: garbage, truncated, damaged, or another program's
    /// database.
    #[error("{path} is not an avm store: {reason}")]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The file is an avm store of a format version this build cannot read.
    #[error("{path} is an avm store of format {found:?}, but this build reads only {expected:?}")]
    Version {
        /// The file.
        path: PathBuf,
        /// The format marker found in the file.
        found: String,
        /// The format marker this build writes and reads.
        expected: String,
    },
    /// The store is of another kind than the one asked for (an RV32 state given where an
    /// object store was expected, say).
    #[error(
        "{path} is a store of kind {found:?}, not {expected:?}: give a store of the right kind"
    )]
    Kind {
        /// The file.
        path: PathBuf,
        /// The kind marked in the file ("no kind" if none).
        found: String,
        /// The kind asked for.
        expected: String,
    },
    /// A stored record failed its checksum: the file was damaged after it was written.
    #[error("{path} is damaged: table {table}, key {key}: {reason}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// The table.
        table: String,
        /// The key, hex (at most 32 bytes of it).
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// Another process (or another handle in this one) has the store open.
    #[error("{path} is open in another process (or another handle): close it first")]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The database failed in a way none of the variants above describes.
    #[error("{path}: database error: {message}")]
    Backend {
        /// The file.
        path: PathBuf,
        /// What the database reported.
        message: String,
    },
}

/// `bytes` in hex, at most 32 of them (`...` marks a cut), for naming a key in an error.
pub(crate) fn hex_prefix(bytes: &[u8]) -> String {
    let mut text: String = bytes.iter().take(32).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > 32 {
        text.push_str("...");
    }
    if text.is_empty() {
        text.push_str("(empty)");
    }
    text
}
