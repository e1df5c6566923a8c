//! Proofs of false statements do not verify: a tampered trace, a wrong
//! public input, another program, damaged and truncated proofs.

mod common;

use avm_prove::air::Layout;
use avm_prove::{AluProof, ProofDecodeError, VerifyError};
use avm_vm::DataValue;
use common::{statement, SQRT};
use winterfell::math::{fields::f64::BaseElement, FieldElement};
use winterfell::Trace;

fn nat(x: u64) -> DataValue {
    DataValue::nat(x)
}

fn sqrt_proof() -> AluProof {
    statement(SQRT)
        .prove(&nat(49), &nat(7), 100)
        .expect("proves")
}

#[test]
fn a_tampered_trace_gives_a_proof_that_does_not_verify() {
    let s = statement(SQRT);
    let layout = Layout::of(s.circuit());
    // Each tamper breaks one kind of constraint: a register's value, st0,
    // the gas, the pc, a selector.
    let cells = [
        (layout.value(2), 1),
        (Layout::ST0, 2),
        (Layout::GAS, 1),
        (Layout::PC, 1),
        (layout.selector(1), 1),
    ];
    for (col, row) in cells {
        let mut run = s.run(49, 7, 100).expect("accepts");
        let old = run.trace.main_segment().get(col, row);
        run.trace.set(col, row, old + BaseElement::ONE);
        // The prover may refuse, or make a proof that does not verify.
        if let Ok(proof) = s.prove_run(49, run) {
            assert!(
                s.verify(&nat(49), &proof).is_err(),
                "column {col} row {row}"
            );
        }
    }
}

#[test]
fn a_false_claim_in_the_trace_does_not_verify() {
    // 48 has no square root 7: the run fails. Forge an accepting-looking
    // ending by hand: st0 and a64[0] = 1 in the last rows.
    let s = statement(SQRT);
    let layout = Layout::of(s.circuit());
    let mut run = s.run(49, 7, 100).expect("accepts");
    run.trace.set(layout.value(0), 0, BaseElement::new(48));
    if let Ok(proof) = s.prove_run(48, run) {
        assert!(s.verify(&nat(48), &proof).is_err());
    }
}

#[test]
fn a_proof_is_bound_to_its_public_input() {
    let s = statement(SQRT);
    let proof = sqrt_proof();
    s.verify(&nat(49), &proof).expect("verifies");
    for other in [0, 48, 50, 7] {
        assert!(s.verify(&nat(other), &proof).is_err(), "{other}");
    }
    // Not a field element.
    assert_eq!(
        s.verify(&nat(u64::MAX), &proof),
        Err(VerifyError::PublicInput)
    );
    assert_eq!(
        s.verify(&DataValue::unit(), &proof),
        Err(VerifyError::PublicInput)
    );
}

#[test]
fn a_proof_is_bound_to_its_program() {
    let proof = sqrt_proof();
    // Same shape and width, another program: cubes instead of squares.
    let cube = SQRT.replace(
        "mulgl a64[2], a64[1], a64[1]",
        "mulgl a64[2], a64[1], a64[0]",
    );
    let other = statement(&cube);
    assert_eq!(other.width(), statement(SQRT).width());
    assert!(matches!(
        other.verify(&nat(49), &proof),
        Err(VerifyError::Stark(_))
    ));
    // Another width.
    let wider = SQRT
        .replace("a64[2]", "a64[3]")
        .replace("    test\n", "    movgl a64[4], a64[3]\n    test\n");
    assert!(statement(&wider).verify(&nat(49), &proof).is_err());
}

#[test]
fn the_claimed_gas_is_checked() {
    let s = statement(SQRT);
    let mut proof = sqrt_proof();
    proof.gas_used += 1;
    assert!(s.verify(&nat(49), &proof).is_err());
    proof.gas_used -= 2;
    assert!(s.verify(&nat(49), &proof).is_err());
}

#[test]
fn a_bit_flip_anywhere_in_a_proof_is_refused() {
    let s = statement(SQRT);
    let bytes = sqrt_proof().to_bytes();
    // Every byte, with the flipped bit rotating through the eight.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 1 << (i % 8);
        let verified = AluProof::from_bytes(&b).is_ok_and(|p| s.verify(&nat(49), &p).is_ok());
        assert!(
            !verified,
            "a proof with bit {} of byte {i} flipped verifies",
            i % 8
        );
    }
}

#[test]
fn a_truncated_or_extended_proof_is_refused() {
    let bytes = sqrt_proof().to_bytes();
    for len in 0..bytes.len() {
        assert!(AluProof::from_bytes(&bytes[..len]).is_err(), "{len}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        AluProof::from_bytes(&longer),
        Err(ProofDecodeError::Stark(_) | ProofDecodeError::NotCanonical)
    ));
    assert!(AluProof::from_bytes(&bytes).is_ok());
}
