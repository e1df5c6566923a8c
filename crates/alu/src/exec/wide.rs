//! Unsigned integer arithmetic on R registers, with the same semantics as
//! the unsigned A-register instructions (see [`super::arith`]).

use super::arith::{apply, binary, unary, IntOp};
use crate::isa::shape::{R3Int, RStep, R2, R3};
use crate::registers::{with_r, Registers};
use crate::word::Word;

#[inline]
pub(crate) fn int(regs: &mut Registers, s: &R3Int, op: IntOp) {
    let wrap = s.flag.wrapped();
    let ok = with_r!(regs, s.width, b => binary(b, s.dst, s.a, s.b, |x, y| apply(op, x, y, false, wrap)));
    regs.st0 &= ok;
}

/// `div` (or `rem` when `rem`): unsigned, impossible only for a zero divisor.
#[inline]
pub(crate) fn div(regs: &mut Registers, s: &R3, rem: bool) {
    let ok = with_r!(regs, s.width, b => binary(b, s.dst, s.a, s.b, |x, y| if rem {
        x.int_rem(y, false)
    } else {
        x.int_div(y, false, true)
    }));
    regs.st0 &= ok;
}

/// `neg`: wrapping, so it never fails.
#[inline]
pub(crate) fn neg(regs: &mut Registers, s: &R2) {
    let ok = with_r!(regs, s.width, b => unary(b, s.dst, s.src, |x| x.int_neg(true)));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn step(regs: &mut Registers, s: &RStep, up: bool) {
    let wrap = s.flag.wrapped();
    let step = u16::from(s.step) + 1;
    let ok = with_r!(regs, s.width, b => unary(b, s.reg, s.reg, |x| x.step(step, up, false, wrap)));
    regs.st0 &= ok;
}
