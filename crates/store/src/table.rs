//! Table names: which are allowed, and why.

use crate::StoreError;

/// The longest table name, in bytes.
pub const MAX_TABLE_NAME: usize = 64;

/// Checks that `name` may name a table: 1 to [`MAX_TABLE_NAME`] bytes of `a-z`, `0-9`,
/// `_`, `.` and `-`, not starting with `__` (reserved for the store's own bookkeeping).
///
/// A small alphabet keeps names printable in errors and identical across stores.
///
/// ```
/// assert!(avm_store::check_table_name("objects").is_ok());
/// assert!(avm_store::check_table_name("Objects").is_err());
/// assert!(avm_store::check_table_name("__format").is_err());
/// ```
pub fn check_table_name(name: &str) -> Result<(), StoreError> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b);
    if name.is_empty()
        || name.len() > MAX_TABLE_NAME
        || name.starts_with("__")
        || !name.bytes().all(allowed)
    {
        return Err(StoreError::TableName {
            name: name.chars().take(MAX_TABLE_NAME + 1).collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_alphabet_up_to_the_limit() {
        for name in [
            "a",
            "objects",
            "trace.v1",
            "rv32-state_2",
            &"x".repeat(MAX_TABLE_NAME),
        ] {
            assert!(check_table_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_empty_long_reserved_and_foreign_names() {
        let long = "x".repeat(MAX_TABLE_NAME + 1);
        for name in ["", &long, "__meta", "Upper", "a b", "é", "a/b", "a\0"] {
            assert!(
                matches!(check_table_name(name), Err(StoreError::TableName { .. })),
                "{name:?}"
            );
        }
    }

    #[test]
    fn error_names_the_table_without_echoing_unbounded_input() {
        let err = check_table_name(&"Z".repeat(10_000)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("ZZZ"), "{text}");
        assert!(text.len() < 300, "{text}");
    }
}
