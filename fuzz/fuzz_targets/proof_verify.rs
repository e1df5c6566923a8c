//! avm-prove's proof decoding and verification on damaged proofs: never a
//! panic, and never "verified" for bytes other than the honest proof.
//!
//! The input is either raw bytes (first byte even) or a list of edits to an
//! honest proof of a small statement (first byte odd): 3-byte records
//! (offset u16, xor mask), then a truncation if one byte is left over.
#![no_main]

use std::sync::OnceLock;

use avm_alu::AluVm;
use avm_prove::{AluProof, Statement};
use avm_vm::DataValue;
use libfuzzer_sys::fuzz_target;

const SQRT: &str = "main:\n    mulgl a64[2], a64[1], a64[1]\n    eqgl a64[2], a64[0]\n    test\n    putgl a64[0], 1\n    stop\n";

fn honest() -> &'static (Statement, Vec<u8>) {
    static HONEST: OnceLock<(Statement, Vec<u8>)> = OnceLock::new();
    HONEST.get_or_init(|| {
        let lib = avm_asm::assemble("sqrt.alu", SQRT, &avm_asm::NoLibs)
            .expect("assembles")
            .library;
        let program = AluVm::new().program(&lib.to_bytes()).expect("a program");
        let statement = Statement::new(&program).expect("provable");
        let proof = statement
            .prove(&DataValue::nat(49u8), &DataValue::nat(7u8), 100)
            .expect("proves");
        (statement, proof.to_bytes())
    })
}

fuzz_target!(|data: &[u8]| {
    let (statement, good) = honest();
    let bytes = match data.split_first() {
        Some((first, edits)) if first % 2 == 1 => {
            let mut b = good.clone();
            let mut records = edits.chunks_exact(3);
            for r in &mut records {
                let at = usize::from(u16::from_le_bytes([r[0], r[1]])) % b.len();
                b[at] ^= r[2];
            }
            if let [cut] = records.remainder() {
                b.truncate(b.len() * usize::from(*cut) / 256);
            }
            b
        }
        _ => data.to_vec(),
    };
    let Ok(proof) = AluProof::from_bytes(&bytes) else {
        return;
    };
    assert_eq!(proof.to_bytes(), bytes, "decoding is canonical");
    let verified = statement.verify(&DataValue::nat(49u8), &proof).is_ok();
    assert_eq!(verified, bytes == *good, "only the honest proof verifies");
});
