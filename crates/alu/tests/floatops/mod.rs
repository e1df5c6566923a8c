//! The float operations under differential test, and the core's answer to
//! each: shared by the APFloat and SoftFloat reference tests.
#![allow(dead_code)]

use crate::floatgen::{cases, Gen};
use avm_alu::float::{self, Bits, Rounding};
use avm_alu::reg::FFormat;
use bnum::types::U1024;

/// The operations under test, by name.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Fma,
    Rem,
    Sqrt,
    Rnd,
}

/// Every operation, in a fixed order.
pub const OPS: [Op; 8] = [
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::Fma,
    Op::Rem,
    Op::Sqrt,
    Op::Rnd,
];

/// The core's result of `op` on `a, b, c` (operands it does not take are ignored).
pub fn ours(f: FFormat, op: Op, [a, b, c]: [Bits; 3], r: Rounding) -> Option<float::Rounded> {
    match op {
        Op::Add => float::add(f, a, b, r),
        Op::Sub => float::sub(f, a, b, r),
        Op::Mul => float::mul(f, a, b, r),
        Op::Div => float::div(f, a, b, r),
        Op::Fma => float::fma(f, a, b, c, r),
        Op::Rem => float::rem(f, a, b),
        Op::Sqrt => float::sqrt(f, a, r),
        Op::Rnd => float::round_integral(f, a, r),
    }
}

/// Calls `check` on operand triples of format `f`, `cases()` of them for every
/// operation and rounding direction, each pair from its own fixed seed;
/// `check` returns false to skip the rest of an operation (one the reference lacks).
pub fn each_op_case(f: FFormat, seed: u64, mut check: impl FnMut(Op, Rounding, [u128; 3]) -> bool) {
    for op in OPS {
        for r in Rounding::ALL {
            let mut g = Gen::new(seed ^ (op as u64) << 8 ^ (r as u64) << 16);
            for _ in 0..cases() {
                let x = [g.operand(f), g.operand(f), g.operand(f)];
                if !check(op, r, x) {
                    break;
                }
            }
        }
    }
}

/// Calls `check` on operands of format `f`, `cases()` of them for every
/// rounding direction, with the generator for any further random input.
pub fn each_conversion_case(
    f: FFormat,
    seed: u64,
    mut check: impl FnMut(Rounding, u128, &mut Gen),
) {
    for r in Rounding::ALL {
        let mut g = Gen::new(seed ^ (r as u64) << 16);
        for _ in 0..cases() {
            let x = g.operand(f);
            check(r, x, &mut g);
        }
    }
}

/// The low 256 bits of a 1024-bit integer.
pub fn widen_low(v: U1024) -> Bits {
    Bits::from_le_slice(&v.to_le_bytes()[..32]).unwrap_or_default()
}

/// A 64-bit integer as the core's 1024-bit integer operand.
pub fn int1024(v: u64) -> U1024 {
    let mut bytes = [0u8; 128];
    bytes[..8].copy_from_slice(&v.to_le_bytes());
    U1024::from_le_slice(&bytes).unwrap_or_default()
}

/// The integer conversion shapes under test: (width in bits, signed).
pub const INT_SHAPES: [(u32, bool); 4] = [(32, false), (32, true), (64, false), (64, true)];
