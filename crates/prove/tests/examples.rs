//! Every example of examples/prove is proved and verified at a small size,
//! and its statement is checked against a native computation.

mod common;

use avm_alu::{AluValue, AluVm};
use avm_vm::{DataValue, Isolated, Vm};
use common::{example, program, statement};
use winterfell::math::{fields::f64::BaseElement, FieldElement};

fn nat(x: u64) -> DataValue {
    DataValue::nat(x)
}

/// The interpreter's verdict on `[public, private]`.
fn accepts(source: &str, public: u64, private: u64, gas: u64) -> bool {
    let vm = AluVm::new();
    let f = AluValue::Program(program(source));
    let args = [AluValue::Data(nat(public)), AluValue::Data(nat(private))];
    vm.evaluate(&f, &args, gas, &mut Isolated).result == Some(AluValue::Data(nat(1)))
}

fn mimc(x: u64) -> u64 {
    let mut x = BaseElement::new(x);
    for i in 0..64u64 {
        x = (x + BaseElement::new(i)).exp(7);
    }
    x.as_int()
}

fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (BaseElement::ZERO, BaseElement::ONE);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a.as_int()
}

fn proves(source: &str, public: u64, private: u64) {
    let s = statement(source);
    let proof = s
        .prove(&nat(public), &nat(private), 1_000_000)
        .expect("proves");
    s.verify(&nat(public), &proof).expect("verifies");
    assert!(s.verify(&nat(public ^ 1), &proof).is_err());
}

#[test]
fn preimage_under_mimc() {
    let src = example("preimage.alu");
    let h = mimc(12345);
    assert!(accepts(&src, h, 12345, 1_000_000));
    assert!(!accepts(&src, h, 12346, 1_000_000));
    proves(&src, h, 12345);
    assert!(statement(&src)
        .prove(&nat(h), &nat(12346), 1_000_000)
        .is_err());
}

#[test]
fn fibonacci_loop() {
    let src = example("fib.alu");
    // fib(100) = 354224848179261915075, reduced mod p.
    assert_eq!(fib(100), 3736710860384812976);
    assert!(accepts(&src, fib(100), 100, 1_000_000));
    proves(&src, fib(100), 100);
}

#[test]
fn range_check() {
    let src = example("range.alu");
    for x in [0, 200, 255] {
        assert!(accepts(&src, x, 0, 1_000_000), "{x}");
    }
    for x in [256, 1000, u64::MAX >> 1] {
        assert!(!accepts(&src, x, 0, 1_000_000), "{x}");
    }
    proves(&src, 200, 0);
    assert_eq!(
        statement(&src).prove(&nat(256), &nat(0), 1_000_000),
        Err(avm_vm::ProveError::Unsatisfied)
    );
}
