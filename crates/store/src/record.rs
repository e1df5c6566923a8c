//! Stored records: every value a [`RedbStore`](crate::RedbStore) writes carries a checksum of
//! where it lives and what it holds, so a damaged byte (in the value, or in the key or table it
//! sits under) is detected when it is read, not served.
//!
//! A record is the value followed by an 8-byte tag: the first 8 bytes of the BLAKE3 hash
//! (in key-derivation mode, context [`CONTEXT`]) of the table name's length and bytes, the
//! key's length and bytes, and the value.
//!
//! ```
//! use avm_store::record::{seal, unseal};
//!
//! let stored = seal("objects", b"o1", b"state");
//! assert_eq!(unseal("objects", b"o1", &stored), Ok(&b"state"[..]));
//! assert!(unseal("objects", b"o2", &stored).is_err()); // moved to another key
//! ```

/// The BLAKE3 key-derivation context of the tags: a tag of another format never matches.
pub const CONTEXT: &str = "avm-store 2 record checksum";

/// How many bytes the tag adds to every value.
pub const TAG_LEN: usize = 8;

/// Why a stored record is not one [`seal`] wrote for its table and key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordDamage {
    /// Shorter than a tag: it cannot be a sealed record.
    #[error("the record is {len} bytes, shorter than its {TAG_LEN}-byte checksum")]
    TooShort {
        /// Its length.
        len: usize,
    },
    /// The tag does not match the table, key and value.
    #[error("the record's checksum does not match its table, key and value")]
    Checksum,
}

fn tag(table: &str, key: &[u8], value: &[u8]) -> [u8; TAG_LEN] {
    let mut hasher = blake3::Hasher::new_derive_key(CONTEXT);
    hasher.update(&(table.len() as u64).to_le_bytes());
    hasher.update(table.as_bytes());
    hasher.update(&(key.len() as u64).to_le_bytes());
    hasher.update(key);
    hasher.update(value);
    let mut out = [0; TAG_LEN];
    out.copy_from_slice(&hasher.finalize().as_bytes()[..TAG_LEN]);
    out
}

/// The record to store for `value` under `key` in `table`.
pub fn seal(table: &str, key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut stored = Vec::with_capacity(value.len() + TAG_LEN);
    stored.extend_from_slice(value);
    stored.extend_from_slice(&tag(table, key, value));
    stored
}

/// The value of a record read under `key` in `table`, if its tag matches.
pub fn unseal<'a>(table: &str, key: &[u8], stored: &'a [u8]) -> Result<&'a [u8], RecordDamage> {
    let split = stored
        .len()
        .checked_sub(TAG_LEN)
        .ok_or(RecordDamage::TooShort { len: stored.len() })?;
    let (value, found) = stored.split_at(split);
    if found == tag(table, key, value) {
        Ok(value)
    } else {
        Err(RecordDamage::Checksum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sealed_records_unseal_to_their_value(
            table in "[a-z]{1,8}",
            key in proptest::collection::vec(any::<u8>(), 0..40),
            value in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let stored = seal(&table, &key, &value);
            prop_assert_eq!(stored.len(), value.len() + TAG_LEN);
            prop_assert_eq!(unseal(&table, &key, &stored), Ok(&value[..]));
        }

        #[test]
        fn any_flipped_bit_is_detected(
            key in proptest::collection::vec(any::<u8>(), 0..40),
            value in proptest::collection::vec(any::<u8>(), 0..200),
            at in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let mut stored = seal("t", &key, &value);
            let at = at.index(stored.len());
            stored[at] ^= 1 << bit;
            prop_assert_eq!(unseal("t", &key, &stored), Err(RecordDamage::Checksum));
        }
    }

    #[test]
    fn the_tag_binds_the_table_and_the_key_boundary() {
        let stored = seal("t", b"ab", b"c");
        assert_eq!(unseal("u", b"ab", &stored), Err(RecordDamage::Checksum));
        // The same bytes split differently between key and value are another record.
        let moved = [&b"bc"[..], &stored[1..]].concat();
        assert_eq!(unseal("t", b"a", &moved), Err(RecordDamage::Checksum));
    }

    #[test]
    fn a_record_shorter_than_a_tag_is_named() {
        assert_eq!(
            unseal("t", b"k", &[1, 2, 3]),
            Err(RecordDamage::TooShort { len: 3 })
        );
        assert_eq!(
            unseal("t", b"k", &[]),
            Err(RecordDamage::TooShort { len: 0 })
        );
    }
}
