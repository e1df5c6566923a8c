//! Comparisons: they write st0 and change no other register.

use crate::isa::shape::{A2Eq, A2Sign, R2Eq, S2Eq, A1, F1, R1, R2, S1};
use crate::isa::{NoneEqFlag, SignFlag};
use crate::registers::{with_a, with_f, with_r, Registers, Slots};
use crate::word::Word;
use core::cmp::Ordering;

#[inline(always)]
pub(crate) fn order<T: Word, B: Slots<T>>(
    bank: &B,
    a: u8,
    b: u8,
    signed: bool,
) -> Option<Ordering> {
    let (x, y) = (bank.get(a)?, bank.get(b)?);
    Some(if signed { x.cmp_signed(y) } else { x.cmp(&y) })
}

fn equal<T: PartialEq>(x: Option<T>, y: Option<T>, flag: NoneEqFlag) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => x == y,
        (None, None) => flag == NoneEqFlag::Equal,
        _ => false,
    }
}

#[inline]
pub(crate) fn cmp_a(regs: &mut Registers, s: &A2Sign, want: Ordering) {
    let signed = s.flag == SignFlag::Signed;
    regs.st0 = with_a!(regs, s.width, b => order(b, s.a, s.b, signed)) == Some(want);
}

#[inline]
pub(crate) fn cmp_r(regs: &mut Registers, s: &R2, want: Ordering) {
    regs.st0 = with_r!(regs, s.width, b => order(b, s.dst, s.src, false)) == Some(want);
}

#[inline]
pub(crate) fn eq_a(regs: &mut Registers, s: &A2Eq) {
    regs.st0 = with_a!(regs, s.width, b => equal(b.get(s.a), b.get(s.b), s.flag));
}

#[inline]
pub(crate) fn eq_r(regs: &mut Registers, s: &R2Eq) {
    regs.st0 = with_r!(regs, s.width, b => equal(b.get(s.a), b.get(s.b), s.flag));
}

#[inline]
pub(crate) fn eq_s(regs: &mut Registers, s: &S2Eq) {
    let (a, b) = (&regs.s[s.a as usize & 15], &regs.s[s.b as usize & 15]);
    regs.st0 = equal(a.as_ref(), b.as_ref(), s.flag);
}

#[inline]
pub(crate) fn ifz_a(regs: &mut Registers, s: &A1) {
    regs.st0 = with_a!(regs, s.width, b => b.get(s.reg).is_some_and(Word::is_zero));
}

#[inline]
pub(crate) fn ifz_r(regs: &mut Registers, s: &R1) {
    regs.st0 = with_r!(regs, s.width, b => b.get(s.reg).is_some_and(Word::is_zero));
}

#[inline]
pub(crate) fn ifn_a(regs: &mut Registers, s: &A1) {
    regs.st0 = with_a!(regs, s.width, b => b.get(s.reg).is_none());
}

#[inline]
pub(crate) fn ifn_f(regs: &mut Registers, s: &F1) {
    regs.st0 = with_f!(regs, s.format, b => b.get(s.reg).is_none());
}

#[inline]
pub(crate) fn ifn_r(regs: &mut Registers, s: &R1) {
    regs.st0 = with_r!(regs, s.width, b => b.get(s.reg).is_none());
}

#[inline]
pub(crate) fn ifn_s(regs: &mut Registers, s: &S1) {
    regs.st0 = regs.s[s.reg as usize & 15].is_none();
}
