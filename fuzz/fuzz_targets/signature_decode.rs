//! `LibSignature::from_bytes` on any bytes: never panics, and what it
//! accepts is canonical (it re-encodes to the same bytes); checking it under
//! a trust policy never panics either. Inputs of 134 bytes that start with
//! `AVMS` 01 and a scheme byte of 1 or 2 reach the key and signature checks.
#![no_main]

use avm_alu::{LibSignature, Trust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(sig) = LibSignature::from_bytes(bytes) else {
        return;
    };
    assert_eq!(sig.to_bytes(), bytes);
    let mut trust = Trust::default();
    trust.keys.insert(sig.key);
    trust.signatures.push(sig);
    assert_eq!(trust.check(&sig.lib).is_ok(), sig.verify());
});
