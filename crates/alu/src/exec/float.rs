//! Float instructions: F registers in, F (or A, or st0) out, with the
//! semantics of [`crate::float`].
//!
//! An undefined operand makes the destination undefined and leaves st0 (a
//! comparison: st0 := false). An impossible operation (IEEE's invalid
//! operation: 0/0, inf - inf, 0 * inf, sqrt of a negative, rem by 0, or an
//! operand whose bits are a NaN), an overflow in any rounding direction
//! (AluVM's rule: not IEEE's infinity or largest finite value) and an
//! integer result that does not fit make the destination undefined and
//! clear st0. No NaN is ever written; `x / 0` for `x != 0` is an infinity.
//!
//! Complexity (`FLOAT_*` in `isa/opcode.rs`) follows measurements of the
//! core (docs/floats.md): per limb for sums, per squared limb for products,
//! quotients and roots, at or above the measured time.

use crate::float::{self, Bits, Rounded};
use crate::isa::shape::{F2Cmp, F2Eq, F2Round, F3Round, F4Round, AF, F2, F3, FA, FF};
use crate::isa::FloatEqFlag;
use crate::reg::{AWidth, FFormat};
use crate::registers::{with_a, with_f, Registers, Slots};
use crate::word::Word;
use bnum::types::U1024;
use core::cmp::Ordering;

/// Reads a float register as its bits.
fn get(regs: &mut Registers, format: FFormat, idx: u8) -> Option<Bits> {
    with_f!(regs, format, b => b.get(idx).map(|v| {
        let mut buf = [0u8; 32];
        v.write_le(&mut buf);
        Bits::from_le_slice(&buf).unwrap_or_default()
    }))
}

/// Writes a float register from its bits (`None`: undefined).
fn set(regs: &mut Registers, format: FFormat, idx: u8, value: Option<Bits>) {
    let bytes = value.map(|v| v.to_le_bytes());
    with_f!(regs, format, b => b.set(idx, bytes.map(|x| Word::from_le(&x))))
}

/// Writes an operation's outcome: `None` (impossible) or an overflow make
/// the destination undefined and clear st0.
fn finish(regs: &mut Registers, format: FFormat, dst: u8, out: Option<Rounded>) {
    let bits = out.filter(|r| !r.overflow).map(|r| r.bits);
    regs.st0 &= bits.is_some();
    set(regs, format, dst, bits);
}

/// The binary rounded operations.
#[derive(Clone, Copy)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

pub(crate) fn binary(regs: &mut Registers, i: &F3Round, op: BinOp) {
    let (Some(a), Some(b)) = (get(regs, i.format, i.a), get(regs, i.format, i.b)) else {
        return set(regs, i.format, i.dst, None);
    };
    let r = i.flag.rounding();
    let out = match op {
        BinOp::Add => float::add(i.format, a, b, r),
        BinOp::Sub => float::sub(i.format, a, b, r),
        BinOp::Mul => float::mul(i.format, a, b, r),
        BinOp::Div => float::div(i.format, a, b, r),
    };
    finish(regs, i.format, i.dst, out);
}

pub(crate) fn fma(regs: &mut Registers, i: &F4Round) {
    let f = i.format;
    let (Some(a), Some(b), Some(c)) = (get(regs, f, i.a), get(regs, f, i.b), get(regs, f, i.c))
    else {
        return set(regs, f, i.dst, None);
    };
    let out = float::fma(f, a, b, c, i.flag.rounding());
    finish(regs, f, i.dst, out);
}

/// The exact binary operations.
#[derive(Clone, Copy)]
pub(crate) enum ExactOp {
    Rem,
    Min,
    Max,
}

pub(crate) fn exact(regs: &mut Registers, i: &F3, op: ExactOp) {
    let (Some(a), Some(b)) = (get(regs, i.format, i.a), get(regs, i.format, i.b)) else {
        return set(regs, i.format, i.dst, None);
    };
    let out = match op {
        ExactOp::Rem => float::rem(i.format, a, b).map(|r| r.bits),
        ExactOp::Min => float::min(i.format, a, b),
        ExactOp::Max => float::max(i.format, a, b),
    };
    regs.st0 &= out.is_some();
    set(regs, i.format, i.dst, out);
}

/// The unary rounded operations.
#[derive(Clone, Copy)]
pub(crate) enum RoundOp {
    Sqrt,
    Integral,
}

pub(crate) fn unary(regs: &mut Registers, i: &F2Round, op: RoundOp) {
    let Some(a) = get(regs, i.format, i.src) else {
        return set(regs, i.format, i.dst, None);
    };
    let r = i.flag.rounding();
    let out = match op {
        RoundOp::Sqrt => float::sqrt(i.format, a, r),
        RoundOp::Integral => float::round_integral(i.format, a, r),
    };
    finish(regs, i.format, i.dst, out);
}

pub(crate) fn sign(regs: &mut Registers, i: &F2, negate: bool) {
    let Some(a) = get(regs, i.format, i.src) else {
        return set(regs, i.format, i.dst, None);
    };
    let out = if negate {
        float::neg(i.format, a)
    } else {
        float::abs(i.format, a)
    };
    regs.st0 &= out.is_some();
    set(regs, i.format, i.dst, out);
}

pub(crate) fn cmp(regs: &mut Registers, i: &F2Cmp, want: Ordering) {
    let ord = match (get(regs, i.format, i.a), get(regs, i.format, i.b)) {
        (Some(a), Some(b)) => float::compare(i.format, a, b),
        _ => None,
    };
    regs.st0 = ord == Some(want);
}

pub(crate) fn eq(regs: &mut Registers, i: &F2Eq) {
    let eq = match (get(regs, i.format, i.a), get(regs, i.format, i.b)) {
        (Some(a), Some(b)) => match i.flag {
            FloatEqFlag::Exact => float::compare(i.format, a, b).map(|o| o == Ordering::Equal),
            FloatEqFlag::Ulp => float::within_ulp(i.format, a, b),
        },
        _ => None,
    };
    regs.st0 = eq == Some(true);
}

pub(crate) fn convert(regs: &mut Registers, i: &FF) {
    let Some(a) = get(regs, i.src_format, i.src) else {
        return set(regs, i.dst_format, i.dst, None);
    };
    let out = float::convert(i.src_format, i.dst_format, a, i.flag.rounding());
    finish(regs, i.dst_format, i.dst, out);
}

/// An integer register as 1024 bits (zero-extended).
fn get_int(regs: &mut Registers, width: AWidth, idx: u8) -> Option<U1024> {
    with_a!(regs, width, b => b.get(idx).map(|v| {
        let mut buf = [0u8; 128];
        v.write_le(&mut buf);
        U1024::from_le_slice(&buf).unwrap_or_default()
    }))
}

pub(crate) fn from_int(regs: &mut Registers, i: &FA, signed: bool) {
    let Some(v) = get_int(regs, i.src_width, i.src) else {
        return set(regs, i.format, i.dst, None);
    };
    let bits = u32::from(i.src_width.bits());
    let out = float::from_int(i.format, v, bits, signed, i.flag.rounding());
    finish(regs, i.format, i.dst, Some(out));
}

pub(crate) fn to_int(regs: &mut Registers, i: &AF, signed: bool) {
    let out = match get(regs, i.src_format, i.src) {
        None => None,
        Some(a) => {
            let bits = u32::from(i.width.bits());
            let v = float::to_int(i.src_format, a, i.flag.rounding(), bits, signed);
            regs.st0 &= v.is_some();
            v
        }
    };
    let bytes = out.map(|v| v.to_le_bytes());
    with_a!(regs, i.width, b => b.set(i.dst, bytes.map(|x| Word::from_le(&x))));
}
