#![no_main]
//! `Receipt::decode` never panics; what it accepts re-encodes to the same bytes.

use avm_rv32::contract::Receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(receipt) = Receipt::decode(data) {
        assert_eq!(receipt.encode(), data);
    }
});
