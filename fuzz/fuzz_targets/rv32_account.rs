#![no_main]
//! `Account::decode` never panics; what it accepts re-encodes to the bytes
//! it read.

use avm_rv32::contract::codec::{Reader, Writer};
use avm_rv32::contract::Account;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    if let Ok(account) = Account::decode(&mut r) {
        if r.finish("account").is_ok() {
            let mut w = Writer::default();
            account.encode(&mut w);
            assert_eq!(w.bytes, data);
        }
    }
});
