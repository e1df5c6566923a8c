//! Byte strings, digests and signature checks, compiled and run through the
//! registry, against known answers.

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use num_bigint::BigUint;

fn eval(source: &str, args: &[DataValue]) -> Option<DataValue> {
    let compiled = avm_lang::compile("bytes.alma", source)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, source)));
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    registry
        .multievaluate(&compiled.function, args, 1_000_000)
        .unwrap()
        .result
}

fn hex_nat(hex: &str) -> Option<DataValue> {
    Some(DataValue::Nat(
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap(),
    ))
}

#[test]
fn digests_are_numbers_read_big_endian() {
    assert_eq!(
        eval("(define (main) (sha256 \"abc\"))", &[]),
        hex_nat("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(
        eval("(define (main) (keccak256 \"\"))", &[]),
        hex_nat("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    );
    assert_eq!(
        eval("(define (main) (ripemd160 \"abc\"))", &[]),
        hex_nat("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
    );
    // A digest is an integer like any other: here, its low byte.
    assert_eq!(
        eval(
            "(define (main) (as u8 (bit-and (sha256 \"abc\") 0xff)))",
            &[]
        ),
        Some(DataValue::nat(0xadu8))
    );
}

#[test]
fn byte_strings_cross_the_boundary_and_combine() {
    let src = "(define (main (b bytes)) (concat b \"!\"))";
    assert_eq!(
        eval(src, &[DataValue::bytes(b"hi".to_vec())]),
        Some(DataValue::bytes(b"hi!".to_vec()))
    );
    // A missing argument fails the run.
    assert_eq!(eval(src, &[]), None);
    let src = "(define (main (b bytes)) (bytes-len (slice b 1 2)))";
    assert_eq!(
        eval(src, &[DataValue::bytes(b"abcd".to_vec())]),
        Some(DataValue::nat(2u8))
    );
    // A slice past the end fails.
    assert_eq!(eval(src, &[DataValue::bytes(b"ab".to_vec())]), None);
    let src = "(define (main (b bytes)) (if (= b x\"6869\") 1 0))";
    assert_eq!(
        eval(src, &[DataValue::bytes(b"hi".to_vec())]),
        Some(DataValue::nat(1u8))
    );
    assert_eq!(
        eval(src, &[DataValue::bytes(b"ho".to_vec())]),
        Some(DataValue::nat(0u8))
    );
}

/// RFC 8032, section 7.1, test 3 (as in examples/sigcheck.alu).
const ED25519: &str = "
(define (check (msg bytes))
  (ed25519-verify msg
    x\"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a\"
    x\"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025\"))
(define (main (msg bytes))
  (if (check msg) 1 0))
";

#[test]
fn ed25519_signatures_are_checked() {
    assert_eq!(
        eval(ED25519, &[DataValue::bytes(vec![0xaf, 0x82])]),
        Some(DataValue::nat(1u8))
    );
    assert_eq!(
        eval(ED25519, &[DataValue::bytes(vec![0xaf, 0x83])]),
        Some(DataValue::nat(0u8))
    );
}

#[test]
fn byte_string_errors_name_the_expression() {
    let errors =
        avm_lang::compile("e.alma", "(define (main) (< \"a\" \"b\") (sha256 1))").unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("does not compare values of type bytes"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[1].message.contains("bytes is expected"),
        "{}",
        errors[1].message
    );
}
