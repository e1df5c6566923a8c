//! Modular arithmetic on wide unsigned integers and the two prime fields,
//! compiled and run through the registry, against num-bigint.

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use num_bigint::BigUint;

fn eval(source: &str, args: &[DataValue]) -> Option<DataValue> {
    let compiled = avm_lang::compile("mod.alma", source)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, source)));
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    registry
        .multievaluate(&compiled.function, args, 10_000_000)
        .unwrap()
        .result
}

fn big(n: &BigUint) -> DataValue {
    DataValue::Nat(n.clone())
}

#[test]
fn modular_operations_are_exact() {
    let src = "(define (main (a u256) (b u256) (m u256))
                 (+ (mulmod a b m) (addmod a b m) (submod a b m) (powmod a b m)))";
    let m = (BigUint::from(1u8) << 255u32) - 19u32;
    let a = (BigUint::from(1u8) << 250u32) + 12345u32;
    let b = (BigUint::from(3u8) << 200u32) + 777u32;
    let expected =
        (&a * &b % &m) + ((&a + &b) % &m) + ((&a + &m - &b % &m) % &m) + a.modpow(&b, &m);
    assert_eq!(
        eval(src, &[big(&a), big(&b), big(&m)]),
        Some(big(&expected))
    );
    // A zero modulus fails the run.
    assert_eq!(eval(src, &[big(&a), big(&b), DataValue::nat(0u8)]), None);
    let inv = "(define (main (a u128) (m u128)) (invmod a m))";
    assert_eq!(
        eval(inv, &[DataValue::nat(3u8), DataValue::nat(7u8)]),
        Some(DataValue::nat(5u8))
    );
    // No inverse: fails.
    assert_eq!(eval(inv, &[DataValue::nat(4u8), DataValue::nat(8u8)]), None);
}

#[test]
fn prime_fields() {
    let p: u64 = 0xFFFF_FFFF_0000_0001;
    let gl = "(define (main (a u64)) (gl-mul a (gl-inv a)))";
    assert_eq!(
        eval(gl, &[DataValue::nat(12345u16)]),
        Some(DataValue::nat(1u8))
    );
    // 0 has no inverse; a value at or above p is no element.
    assert_eq!(eval(gl, &[DataValue::nat(0u8)]), None);
    assert_eq!(eval(gl, &[DataValue::nat(p)]), None);
    let neg = "(define (main (a u64)) (gl-add a (gl-neg a)))";
    assert_eq!(
        eval(neg, &[DataValue::nat(p - 1)]),
        Some(DataValue::nat(0u8))
    );
    let f = "(define (main (a u256)) (f25519-mul a (f25519-inv a)))";
    assert_eq!(
        eval(f, &[DataValue::nat(987_654_321u32)]),
        Some(DataValue::nat(1u8))
    );
}

#[test]
fn field_forms_check_their_types() {
    let errors = avm_lang::compile("e.alma", "(define (main (a u64)) (mulmod a a a))").unwrap_err();
    assert!(
        errors[0].message.contains("u128, u256, u512, u1024"),
        "{}",
        errors[0].message
    );
    let errors = avm_lang::compile("e.alma", "(define (main (a u256)) (gl-add a a))").unwrap_err();
    assert!(
        errors[0].message.contains("works on u64"),
        "{}",
        errors[0].message
    );
}
