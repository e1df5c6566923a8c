//! `avm_intent::encode::from_bytes` on any bytes: never panics; what it
//! accepts is a well-formed intent whose canonical encoding is the input,
//! and whose text form prints.
#![no_main]

use avm_intent::encode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(intent) = encode::from_bytes(bytes) {
        assert_eq!(encode::to_bytes(&intent), bytes);
        assert!(intent.validate().is_ok());
        let _ = intent.to_string();
    }
});
