//! `avm_store::record::unseal` on any bytes: never panics, and whatever it accepts is what
//! `seal` would write for that table, key and value. The first byte splits the input into a
//! key and a stored record.
#![no_main]

use avm_store::record::{seal, unseal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&split, rest)) = input.split_first() else {
        return;
    };
    let (key, stored) = rest.split_at(usize::from(split).min(rest.len()));
    if let Ok(value) = unseal("t", key, stored) {
        assert_eq!(seal("t", key, value), stored);
    }
    let sealed = seal("t", key, stored);
    assert_eq!(unseal("t", key, &sealed), Ok(stored));
});
