//! RV32M: multiplication and division, with the spec's edge cases.

mod common;
use common::*;

fn rr(op: fn(u8, u8, u8) -> u32, a: u32, b: u32) -> u32 {
    let mut code = li(T0, a).to_vec();
    code.extend(li(T1, b));
    code.push(op(A1, T0, T1));
    run(&code).reg(A1)
}

const MIN: u32 = 0x8000_0000;
const M1: u32 = 0xffff_ffff;

#[test]
fn multiplication() {
    assert_eq!(rr(mul, 7, 6), 42);
    assert_eq!(rr(mul, M1, M1), 1);
    assert_eq!(
        rr(mul, 0x1234_5678, 0x9abc_def0),
        0x1234_5678u32.wrapping_mul(0x9abc_def0)
    );
    assert_eq!(rr(mulh, M1, M1), 0); // (-1)(-1) = 1
    assert_eq!(rr(mulh, MIN, MIN), 0x4000_0000);
    assert_eq!(rr(mulh, MIN, 1), M1);
    assert_eq!(rr(mulhu, M1, M1), 0xffff_fffe);
    assert_eq!(rr(mulhu, MIN, 2), 1);
    assert_eq!(rr(mulhsu, M1, M1), M1); // -1 * (2^32 - 1) = -(2^32 - 1)
    assert_eq!(rr(mulhsu, MIN, M1), 0x8000_0000);
    assert_eq!(rr(mulhsu, 1, M1), 0);
}

#[test]
fn division() {
    assert_eq!(rr(div, 7u32.wrapping_neg(), 2), 3u32.wrapping_neg()); // toward zero
    assert_eq!(rr(rem, 7u32.wrapping_neg(), 2), M1); // sign of the dividend
    assert_eq!(rr(rem, 7, 2u32.wrapping_neg()), 1);
    assert_eq!(rr(divu, M1, 2), 0x7fff_ffff);
    assert_eq!(rr(remu, M1, 10), 5);
}

#[test]
fn division_by_zero() {
    assert_eq!(rr(div, 42, 0), M1);
    assert_eq!(rr(div, MIN, 0), M1);
    assert_eq!(rr(divu, 42, 0), M1);
    assert_eq!(rr(rem, 42, 0), 42);
    assert_eq!(rr(rem, MIN, 0), MIN);
    assert_eq!(rr(remu, 42, 0), 42);
}

#[test]
fn signed_overflow() {
    assert_eq!(rr(div, MIN, M1), MIN);
    assert_eq!(rr(rem, MIN, M1), 0);
    assert_eq!(rr(divu, MIN, M1), 0);
    assert_eq!(rr(remu, MIN, M1), MIN);
}
