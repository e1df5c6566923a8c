//! Integer arithmetic at every A width.
//!
//! An undefined source gives an undefined destination and leaves st0 alone;
//! an impossible operation (overflow when checked, division by zero) gives
//! an undefined destination and clears st0.

use crate::isa::shape::{A2Wrap, A3Int, A3Sign, AStep};
use crate::isa::{SignFlag, WrapFlag};
use crate::registers::{with_a, Registers, Slots};
use crate::word::Word;

/// The binary operations of [`A3Int`].
#[derive(Clone, Copy)]
pub(crate) enum IntOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Applies `f` to two registers of a bank; returns false if `f` found the operation impossible.
#[inline(always)]
pub(crate) fn binary<T: Word, B: Slots<T>>(
    bank: &mut B,
    dst: u8,
    a: u8,
    b: u8,
    f: impl Fn(T, T) -> Option<T>,
) -> bool {
    match (bank.get(a), bank.get(b)) {
        (Some(x), Some(y)) => {
            let r = f(x, y);
            bank.set(dst, r);
            r.is_some()
        }
        _ => {
            bank.set(dst, None);
            true
        }
    }
}

#[inline(always)]
pub(crate) fn unary<T: Word, B: Slots<T>>(
    bank: &mut B,
    dst: u8,
    src: u8,
    f: impl Fn(T) -> Option<T>,
) -> bool {
    match bank.get(src) {
        Some(x) => {
            let r = f(x);
            bank.set(dst, r);
            r.is_some()
        }
        None => {
            bank.set(dst, None);
            true
        }
    }
}

/// Applies an [`IntOp`].
#[inline(always)]
pub(crate) fn apply<T: Word>(op: IntOp, x: T, y: T, signed: bool, wrap: bool) -> Option<T> {
    match op {
        IntOp::Add => x.int_add(y, signed, wrap),
        IntOp::Sub => x.int_sub(y, signed, wrap),
        IntOp::Mul => x.int_mul(y, signed, wrap),
        IntOp::Div => x.int_div(y, signed, wrap),
    }
}

#[inline(always)]
pub(crate) fn int(regs: &mut Registers, s: &A3Int, op: IntOp) {
    let (signed, wrap) = (s.flag.signed(), s.flag.wrapped());
    let ok = with_a!(regs, s.width, b => binary(b, s.dst, s.a, s.b, |x, y| apply(op, x, y, signed, wrap)));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn rem(regs: &mut Registers, s: &A3Sign) {
    let signed = s.flag == SignFlag::Signed;
    let ok = with_a!(regs, s.width, b => binary(b, s.dst, s.a, s.b, |x, y| x.int_rem(y, signed)));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn neg(regs: &mut Registers, s: &A2Wrap) {
    let wrap = s.flag == WrapFlag::Wrapped;
    let ok = with_a!(regs, s.width, b => unary(b, s.dst, s.src, |x| x.int_neg(wrap)));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn abs(regs: &mut Registers, s: &A2Wrap) {
    let wrap = s.flag == WrapFlag::Wrapped;
    let ok = with_a!(regs, s.width, b => unary(b, s.dst, s.src, |x| x.int_abs(wrap)));
    regs.st0 &= ok;
}

#[inline(always)]
pub(crate) fn step(regs: &mut Registers, s: &AStep, up: bool) {
    let (signed, wrap) = (s.flag.signed(), s.flag.wrapped());
    let step = u16::from(s.step) + 1;
    let ok =
        with_a!(regs, s.width, b => unary(b, s.reg, s.reg, |x| x.step(step, up, signed, wrap)));
    regs.st0 &= ok;
}
