//! Bitwise logic, shifts, rotations and bit reversal on A and R registers.

use crate::isa::shape::{AShift, RShift, A2, A3, R2, R3};
use crate::reg::RegA;
use crate::registers::{with_a, with_r, Registers, Slots, MAX_REG_BYTES};
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

/// The amount in an integer register: for rotations reduced modulo the
/// width, for shifts saturated to `u32` (any amount of the width or more
/// shifts everything out).
fn amount(regs: &mut Registers, r: RegA, op: Shift, width: u32) -> Option<u32> {
    let mut buf = [0u8; MAX_REG_BYTES];
    let len = r.width.bytes();
    with_a!(regs, r.width, b => b.get(r.idx).map(|v| v.write_le(&mut buf)))?;
    let le = &buf[..len];
    Some(match op {
        Shift::Rol | Shift::Ror => {
            let m = u64::from(width);
            le.iter()
                .rev()
                .fold(0u64, |acc, byte| (acc * 256 + u64::from(*byte)) % m) as u32
        }
        _ if le.iter().skip(4).any(|b| *b != 0) => u32::MAX,
        _ => le
            .iter()
            .take(4)
            .rev()
            .fold(0u32, |acc, byte| (acc << 8) | u32::from(*byte)),
    })
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
    let amt_reg = RegA {
        width: s.amt_width,
        idx: s.amt,
    };
    let amt = amount(regs, amt_reg, op, u32::from(s.width.bits()));
    with_a!(regs, s.width, b => {
        let r = b.get(s.src).zip(amt).map(|(x, n)| shift(op, x, n));
        b.set(s.dst, r);
    })
}

#[inline]
pub(crate) fn shift_r(regs: &mut Registers, s: &RShift, op: Shift) {
    let amt_reg = RegA {
        width: s.amt_width,
        idx: s.amt,
    };
    let amt = amount(regs, amt_reg, op, u32::from(s.width.bits()));
    with_r!(regs, s.width, b => {
        let r = b.get(s.src).zip(amt).map(|(x, n)| shift(op, x, n));
        b.set(s.dst, r);
    })
}
