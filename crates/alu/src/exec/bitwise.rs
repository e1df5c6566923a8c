//! Bitwise logic, shifts, rotations and bit reversal on A and R registers.

use crate::isa::shape::{AShift, RShift, A2, A3, R2, R3};
use crate::reg::RegA;
use crate::registers::{with_a, with_r, Registers, Slots};
use crate::word::Word;

/// The binary logic operations.
#[derive(Clone, Copy)]
pub(crate) enum Logic {
    And,
    Or,
    Xor,
}

/// The shift and rotate operations.
#[derive(Clone, Copy)]
pub(crate) enum Shift {
    Shl,
    Shr,
    Sar,
    Rol,
    Ror,
}

fn logic<T: Word>(op: Logic, x: T, y: T) -> T {
    match op {
        Logic::And => x.bit_and(y),
        Logic::Or => x.bit_or(y),
        Logic::Xor => x.bit_xor(y),
    }
}

fn shift<T: Word>(op: Shift, x: T, amt: u32) -> T {
    match op {
        Shift::Shl => x.shl_by(amt),
        Shift::Shr => x.shr_by(amt),
        Shift::Sar => x.sar_by(amt),
        Shift::Rol => x.rol_by(amt),
        Shift::Ror => x.ror_by(amt),
    }
}

fn binary<T: Word, B: Slots<T>>(bank: &mut B, dst: u8, a: u8, b: u8, op: Logic) {
    let r = bank.get(a).zip(bank.get(b)).map(|(x, y)| logic(op, x, y));
    bank.set(dst, r);
}

fn unary<T: Word, B: Slots<T>>(bank: &mut B, dst: u8, src: u8, f: impl Fn(T) -> T) {
    let r = bank.get(src).map(f);
    bank.set(dst, r);
}

/// The shift amount in an integer register, saturated to `u32`.
fn amount(regs: &mut Registers, r: RegA) -> Option<u32> {
    with_a!(regs, r.width, b => b.get(r.idx).map(|v| v.to_u64().map_or(u32::MAX, |n| n.min(u32::MAX as u64) as u32)))
}

#[inline]
pub(crate) fn logic_a(regs: &mut Registers, s: &A3, op: Logic) {
    with_a!(regs, s.width, b => binary(b, s.dst, s.a, s.b, op))
}

#[inline]
pub(crate) fn logic_r(regs: &mut Registers, s: &R3, op: Logic) {
    with_r!(regs, s.width, b => binary(b, s.dst, s.a, s.b, op))
}

#[inline]
pub(crate) fn not_a(regs: &mut Registers, s: &A2) {
    with_a!(regs, s.width, b => unary(b, s.dst, s.src, Word::bit_not))
}

#[inline]
pub(crate) fn not_r(regs: &mut Registers, s: &R2) {
    with_r!(regs, s.width, b => unary(b, s.dst, s.src, Word::bit_not))
}

#[inline]
pub(crate) fn rev_a(regs: &mut Registers, s: &A2) {
    with_a!(regs, s.width, b => unary(b, s.dst, s.src, Word::bit_rev))
}

#[inline]
pub(crate) fn rev_r(regs: &mut Registers, s: &R2) {
    with_r!(regs, s.width, b => unary(b, s.dst, s.src, Word::bit_rev))
}

#[inline]
pub(crate) fn shift_a(regs: &mut Registers, s: &AShift, op: Shift) {
    let amt = amount(
        regs,
        RegA {
            width: s.amt_width,
            idx: s.amt,
        },
    );
    with_a!(regs, s.width, b => {
        let r = b.get(s.src).zip(amt).map(|(x, n)| shift(op, x, n));
        b.set(s.dst, r);
    })
}

#[inline]
pub(crate) fn shift_r(regs: &mut Registers, s: &RShift, op: Shift) {
    let amt = amount(
        regs,
        RegA {
            width: s.amt_width,
            idx: s.amt,
        },
    );
    with_r!(regs, s.width, b => {
        let r = b.get(s.src).zip(amt).map(|(x, n)| shift(op, x, n));
        b.set(s.dst, r);
    })
}
