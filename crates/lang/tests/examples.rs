//! Every example in examples/lang compiles and gives its expected result
//! through the VM registry, by the calling convention of docs/alu-vm.md.

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use num_bigint::BigUint;

fn run(file: &str, args: &[DataValue], gas: u64) -> (Option<DataValue>, u64) {
    let path = format!("{}/../../examples/lang/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).unwrap();
    let compiled = avm_lang::compile(file, &source)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, &source)));
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    let e = registry
        .multievaluate(&compiled.function, args, gas)
        .unwrap();
    (e.result, e.gas_used)
}

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

#[test]
fn sum() {
    assert_eq!(run("sum.alma", &[nat(100)], 10_000).0, Some(nat(5050)));
    assert_eq!(run("sum.alma", &[nat(0)], 10_000).0, Some(nat(0)));
}

#[test]
fn factorial_of_100() {
    let expected: BigUint = (1u32..=100).map(BigUint::from).product();
    let (result, _) = run("factorial.alma", &[nat(100)], 100_000);
    assert_eq!(result, Some(DataValue::Nat(expected)));
    // 171! does not fit 1024 bits: the checked multiplication fails the run.
    assert_eq!(run("factorial.alma", &[nat(171)], 1_000_000).0, None);
}

#[test]
fn gcd() {
    assert_eq!(
        run("gcd.alma", &[nat(1071), nat(462)], 10_000).0,
        Some(nat(21))
    );
    assert_eq!(run("gcd.alma", &[nat(7), nat(0)], 10_000).0, Some(nat(7)));
}

/// The hand-written assembly of an example, as a function value.
fn hand_written(file: &str) -> DataValue {
    let path = format!("{}/../../examples/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(path).unwrap();
    let lib = avm_asm::assemble(file, &source, &avm_asm::NoLibs)
        .unwrap()
        .library;
    avm_alu::binding::function(&lib, []).unwrap()
}

#[test]
fn compiled_gas_is_within_1_5x_of_hand_written() {
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    let cases = [
        ("sum.alma", "sum.alu", vec![nat(100)]),
        ("factorial.alma", "factorial.alu", vec![nat(100)]),
        ("gcd.alma", "gcd.alu", vec![nat(1071), nat(462)]),
    ];
    for (alma, alu, args) in cases {
        let (result, compiled) = run(alma, &args, 1_000_000);
        let hand = registry
            .multievaluate(&hand_written(alu), &args, 1_000_000)
            .unwrap();
        assert_eq!(result, hand.result, "{alma} and {alu} disagree");
        let ratio = compiled as f64 / hand.gas_used as f64;
        assert!(
            ratio <= 1.5,
            "{alma}: gas {compiled} vs {} by hand ({ratio:.2}x)",
            hand.gas_used
        );
    }
}

#[test]
fn interest_matches_the_hand_written_example() {
    // examples/interest.alu leaves 446774 cents in a64[0..4] for 360 months.
    for mode in 0..4u8 {
        let (result, _) = run(
            "interest.alma",
            &[nat(360), DataValue::nat(mode)],
            1_000_000,
        );
        assert_eq!(result, Some(nat(446_774)), "mode {mode}");
    }
    assert_eq!(
        run("interest.alma", &[nat(12), nat(0)], 1_000_000).0,
        Some(nat(105_116))
    );
}
