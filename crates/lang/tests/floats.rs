//! Floats: arithmetic in every rounding direction, overflow failing the run, no NaN,
//! conversions, formats; compiled and run through the registry.

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};

fn eval(body: &str) -> Option<DataValue> {
    let source = format!("(define (main) {body})");
    let compiled = avm_lang::compile("floats.alma", &source)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, &source)));
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    registry
        .multievaluate(&compiled.function, &[], 1_000_000)
        .unwrap()
        .result
}

fn nat(n: u64) -> Option<DataValue> {
    Some(DataValue::nat(n))
}

#[test]
fn arithmetic_and_conversions() {
    assert_eq!(eval("(as u64 (* 1.5 2.0))"), nat(3));
    assert_eq!(eval("(as u64 (sqrt 16.0))"), nat(4));
    assert_eq!(eval("(let ((n 41)) (as u64 (+ (as f64 n) 1.0)))"), nat(42));
    // -2 as an i64 result is its bits.
    assert_eq!(eval("(as i64 (floor -1.5))"), nat(u64::MAX - 1));
    assert_eq!(eval("(as i64 (ceil -1.5))"), nat(u64::MAX));
    assert_eq!(eval("(as u64 (max 2.0 (min 7.0 3.0)))"), nat(3));
    // Converting rounds to nearest unless told: 2.5 -> 2 (ties to even), .u -> 3.
    assert_eq!(eval("(as u64 2.5)"), nat(2));
    assert_eq!(eval("(as.u u64 2.5)"), nat(3));
}

#[test]
fn rounding_directions_differ() {
    assert_eq!(eval("(if (> (/.u 1.0 3.0) (/.d 1.0 3.0)) 1 0)"), nat(1));
    assert_eq!(eval("(if (= (/.z 1.0 3.0) (/.d 1.0 3.0)) 1 0)"), nat(1));
    // f32 has 24 bits: 2^24 + 1 rounds to 2^24.
    assert_eq!(eval("(as u64 (* 16777217.0f32 1.0f32))"), nat(16_777_216));
    assert_eq!(
        eval("(as u64 (as f64 (+.u 16777216.0f32 1.0f32)))"),
        nat(16_777_218)
    );
}

#[test]
fn overflow_and_nan_fail_the_run() {
    // An overflow fails the run in every direction (AluVM's rule); the
    // checked spellings are aliases.
    for op in ["*", "*.z", "*.d", "*.u", "*.nc"] {
        assert_eq!(
            eval(&format!("(begin ({op} 1.0e300 1.0e300) 0)")),
            None,
            "{op}"
        );
    }
    // x / 0 for x != 0 is an infinity, and infinity is no integer.
    assert_eq!(eval("(if (> (/ 1.0 0.0) 1.0) 1 0)"), nat(1));
    assert_eq!(eval("(as u64 (/ 1.0 0.0))"), None);
    // inf - inf has no value: NaN is never a result.
    assert_eq!(eval("(let ((i (/ 1.0 0.0))) (begin (- i i) 0))"), None);
    assert_eq!(eval("(begin (sqrt -1.0) 0)"), None);
}

#[test]
fn float_mistakes_are_type_errors() {
    for (src, needle) in [
        ("(define (main (x f64)) 1)", "cross as naturals"),
        ("(define (main) (+% 1.0 2.0))", "does not work on floats"),
        ("(define (main) (+.z 1 2))", "rounds floats"),
        ("(define (main) (+ 1.0 1))", "different types, f64 and u64"),
    ] {
        let errors = avm_lang::compile("e.alma", src).unwrap_err();
        assert!(
            errors[0].message.contains(needle),
            "{src}: {}",
            errors[0].message
        );
    }
}
