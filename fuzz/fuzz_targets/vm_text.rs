//! `avm_vm::text::parse` on any UTF-8 text: never panics, and what it accepts
//! prints and parses back to itself and round-trips through the binary codec.
#![no_main]

use avm_vm::{codec, text, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    let limits = Limits {
        max_depth: 64,
        max_size: 1 << 16,
        max_values: 1 << 14,
    };
    let Ok(value) = text::parse_with(source, &limits) else {
        return;
    };
    assert_eq!(text::parse(&text::print(&value)).as_ref(), Ok(&value));
    assert_eq!(codec::decode(&codec::encode(&value)).as_ref(), Ok(&value));
});
