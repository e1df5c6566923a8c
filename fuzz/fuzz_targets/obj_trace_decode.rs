//! `avm_obj::Trace::decode` on any bytes: never panics, and what it accepts
//! is canonical (it re-encodes to the same bytes).
#![no_main]

use avm_obj::Trace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(trace) = Trace::decode(bytes) {
        assert_eq!(trace.encode(), bytes);
        assert_eq!(Trace::decode(&trace.encode()).unwrap().hash(), trace.hash());
    }
});
