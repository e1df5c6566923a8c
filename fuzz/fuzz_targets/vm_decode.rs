//! `avm_vm::codec::decode` on any bytes: never panics, and what it accepts is
//! canonical (it re-encodes to the same bytes) and survives the text form.
#![no_main]

use avm_vm::{codec, text, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits {
        max_depth: 64,
        max_size: 1 << 16,
        max_values: 1 << 14,
    };
    let Ok(value) = codec::decode_with(bytes, &limits) else {
        return;
    };
    assert_eq!(codec::encode(&value), bytes);
    let printed = text::print(&value);
    assert_eq!(text::parse(&printed).as_ref(), Ok(&value));
});
