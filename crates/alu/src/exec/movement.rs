//! Movement: constants, copies, conversions between widths, st0 merging.

use crate::isa::shape::{
    AData, FData, RData, SData, StMerge, A1, A2, AA, AR, F1, F2, R1, R2, RA, RR, RS, S1, S2, SR,
};
use crate::isa::MergeFlag;
use crate::reg::{RegA, RegR};
use crate::registers::{with_a, with_f, with_r, Registers, Slots, MAX_REG_BYTES};
use crate::word::Word;

fn load<T: Word>(data: &[u8], off: u16) -> Option<T> {
    let start = off as usize;
    data.get(start..start + T::BYTES).map(T::from_le)
}

/// `put`/`putif` into a bank; returns false if the data ran out.
fn put<T: Word, B: Slots<T>>(
    bank: &mut B,
    reg: u8,
    data: &[u8],
    off: u16,
    only_if_undefined: bool,
) -> bool {
    if only_if_undefined && bank.get(reg).is_some() {
        return true;
    }
    let v = load::<T>(data, off);
    bank.set(reg, v);
    v.is_some()
}

fn mov<T: Word, B: Slots<T>>(bank: &mut B, dst: u8, src: u8) {
    let v = bank.get(src);
    bank.set(src, None);
    bank.set(dst, v);
}

fn dup<T: Word, B: Slots<T>>(bank: &mut B, dst: u8, src: u8) {
    let v = bank.get(src);
    bank.set(dst, v);
}

fn swp<T: Word, B: Slots<T>>(bank: &mut B, x: u8, y: u8) {
    let (vx, vy) = (bank.get(x), bank.get(y));
    bank.set(x, vy);
    bank.set(y, vx);
}

#[inline]
pub(crate) fn clr_a(regs: &mut Registers, s: &A1) {
    with_a!(regs, s.width, b => b.set(s.reg, None))
}

#[inline]
pub(crate) fn clr_f(regs: &mut Registers, s: &F1) {
    with_f!(regs, s.format, b => b.set(s.reg, None))
}

#[inline]
pub(crate) fn clr_r(regs: &mut Registers, s: &R1) {
    with_r!(regs, s.width, b => b.set(s.reg, None))
}

#[inline]
pub(crate) fn clr_s(regs: &mut Registers, s: &S1) {
    regs.s[s.reg as usize & 15] = None;
}

#[inline]
pub(crate) fn put_a(regs: &mut Registers, s: &AData, data: &[u8], only_if_undefined: bool) {
    let ok = with_a!(regs, s.width, b => put(b, s.reg, data, s.off, only_if_undefined));
    regs.st0 &= ok;
}

/// `put`/`putif` of a float: bits that are not a number (a NaN, or an x87
/// encoding that is none) load as undefined and clear st0, so no register
/// ever holds a NaN.
#[inline]
pub(crate) fn put_f(regs: &mut Registers, s: &FData, data: &[u8], only_if_undefined: bool) {
    if only_if_undefined && with_f!(regs, s.format, b => b.get(s.reg).is_some()) {
        return;
    }
    let start = s.off as usize;
    let number = data
        .get(start..start + s.format.bytes())
        .is_none_or(|bytes| crate::float::is_number(s.format, bytes));
    let ok = number && with_f!(regs, s.format, b => put(b, s.reg, data, s.off, false));
    if !ok {
        with_f!(regs, s.format, b => b.set(s.reg, None));
    }
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn put_r(regs: &mut Registers, s: &RData, data: &[u8], only_if_undefined: bool) {
    let ok = with_r!(regs, s.width, b => put(b, s.reg, data, s.off, only_if_undefined));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn put_s(regs: &mut Registers, s: &SData, data: &[u8]) {
    let start = s.off as usize;
    let v = data.get(start..start + s.len as usize).map(<[u8]>::to_vec);
    regs.st0 &= v.is_some();
    regs.s[s.reg as usize & 15] = v;
}

/// The kind of register-to-register movement.
#[derive(Clone, Copy)]
pub(crate) enum Move {
    Mov,
    Dup,
    Swp,
}

#[inline]
pub(crate) fn move_a(regs: &mut Registers, s: &A2, kind: Move) {
    with_a!(regs, s.width, b => match kind {
        Move::Mov => mov(b, s.dst, s.src),
        Move::Dup => dup(b, s.dst, s.src),
        Move::Swp => swp(b, s.dst, s.src),
    })
}

#[inline]
pub(crate) fn move_f(regs: &mut Registers, s: &F2, kind: Move) {
    with_f!(regs, s.format, b => match kind {
        Move::Mov => mov(b, s.dst, s.src),
        Move::Dup => dup(b, s.dst, s.src),
        Move::Swp => swp(b, s.dst, s.src),
    })
}

#[inline]
pub(crate) fn move_r(regs: &mut Registers, s: &R2, kind: Move) {
    with_r!(regs, s.width, b => match kind {
        Move::Mov => mov(b, s.dst, s.src),
        Move::Dup => dup(b, s.dst, s.src),
        Move::Swp => swp(b, s.dst, s.src),
    })
}

/// `cpy s, r`: the register's value as big-endian bytes of its width.
pub(crate) fn cpy_sr(regs: &mut Registers, s: &SR) {
    let mut buf = [0u8; MAX_REG_BYTES];
    let src = Int::R(RegR {
        width: s.width,
        idx: s.src,
    });
    let value = src.read(regs, &mut buf).then(|| {
        let mut be = buf[..src.bytes()].to_vec();
        be.reverse();
        be
    });
    regs.s[s.dst as usize & 15] = value;
}

/// `cpy r, s`: the byte string read as a big-endian number, zero-extended;
/// longer than the register is impossible.
pub(crate) fn cpy_rs(regs: &mut Registers, s: &RS) {
    let dst = Int::R(RegR {
        width: s.width,
        idx: s.dst,
    });
    let Some(bytes) = regs.s[s.src as usize & 15].clone() else {
        dst.write(regs, None);
        return;
    };
    if bytes.len() > dst.bytes() {
        dst.write(regs, None);
        regs.st0 = false;
        return;
    }
    let mut le = vec![0u8; dst.bytes()];
    for (i, b) in bytes.iter().rev().enumerate() {
        le[i] = *b;
    }
    dst.write(regs, Some(&le));
}

#[inline]
pub(crate) fn move_s(regs: &mut Registers, s: &S2, kind: Move) {
    let (dst, src) = (s.dst as usize & 15, s.src as usize & 15);
    match kind {
        Move::Mov => {
            let v = regs.s[src].take();
            regs.s[dst] = v;
        }
        Move::Dup => regs.s[dst] = regs.s[src].clone(),
        Move::Swp => regs.s.swap(dst, src),
    }
}

/// Little-endian bytes of a register value, sized to the largest register.
type Buf = [u8; MAX_REG_BYTES];

/// An integer or wide register: the two files `cpy` and `cnv` move between.
#[derive(Clone, Copy)]
enum Int {
    A(RegA),
    R(RegR),
}

impl Int {
    fn bytes(self) -> usize {
        match self {
            Int::A(r) => r.width.bytes(),
            Int::R(r) => r.width.bytes(),
        }
    }

    fn read(self, regs: &mut Registers, buf: &mut Buf) -> bool {
        match self {
            Int::A(r) => {
                with_a!(regs, r.width, b => b.get(r.idx).map(|v| v.write_le(buf)).is_some())
            }
            Int::R(r) => {
                with_r!(regs, r.width, b => b.get(r.idx).map(|v| v.write_le(buf)).is_some())
            }
        }
    }

    fn write(self, regs: &mut Registers, v: Option<&[u8]>) {
        match self {
            Int::A(r) => with_a!(regs, r.width, b => b.set(r.idx, v.map(Word::from_le))),
            Int::R(r) => with_r!(regs, r.width, b => b.set(r.idx, v.map(Word::from_le))),
        }
    }
}

/// Resizes the `from`-byte value in `buf` to `to` bytes in place, extending
/// with zeros or the sign; `false` if significant bits would be lost.
fn resize(buf: &mut Buf, from: usize, to: usize, signed: bool) -> bool {
    let negative = signed && buf[from - 1] & 0x80 != 0;
    let fill = if negative { 0xFF } else { 0 };
    if to >= from {
        buf[from..to].fill(fill);
        true
    } else {
        let keep_fill = if signed && buf[to - 1] & 0x80 != 0 {
            0xFF
        } else {
            0
        };
        buf[to..from].iter().all(|b| *b == keep_fill) && (!signed || keep_fill == fill)
    }
}

/// Reads the source, resizes it and writes the destination; undefined in,
/// undefined out; a value that does not fit clears st0.
fn convert(regs: &mut Registers, dst: Int, src: Int, signed: bool) {
    let mut buf = [0u8; MAX_REG_BYTES];
    let (from, to) = (src.bytes(), dst.bytes());
    if !src.read(regs, &mut buf) {
        dst.write(regs, None);
    } else if resize(&mut buf, from, to, signed) {
        dst.write(regs, Some(&buf[..to]));
    } else {
        dst.write(regs, None);
        regs.st0 = false;
    }
}

#[inline]
pub(crate) fn cpy_a(regs: &mut Registers, s: &AA, signed: bool) {
    let dst = Int::A(RegA {
        width: s.dst_width,
        idx: s.dst,
    });
    let src = Int::A(RegA {
        width: s.src_width,
        idx: s.src,
    });
    convert(regs, dst, src, signed);
}

#[inline]
pub(crate) fn cpy_r(regs: &mut Registers, s: &RR) {
    let dst = Int::R(RegR {
        width: s.dst_width,
        idx: s.dst,
    });
    let src = Int::R(RegR {
        width: s.src_width,
        idx: s.src,
    });
    convert(regs, dst, src, false);
}

#[inline]
pub(crate) fn cpy_ra(regs: &mut Registers, s: &RA) {
    let dst = Int::R(RegR {
        width: s.dst_width,
        idx: s.dst,
    });
    let src = Int::A(RegA {
        width: s.src_width,
        idx: s.src,
    });
    convert(regs, dst, src, false);
}

#[inline]
pub(crate) fn cpy_ar(regs: &mut Registers, s: &AR) {
    let dst = Int::A(RegA {
        width: s.dst_width,
        idx: s.dst,
    });
    let src = Int::R(RegR {
        width: s.src_width,
        idx: s.src,
    });
    convert(regs, dst, src, false);
}
#[inline]
pub(crate) fn st(regs: &mut Registers, s: &StMerge) {
    let st0 = regs.st0;
    with_a!(regs, s.width, b => {
        let cur = b.get(s.reg);
        let truthy = cur.is_some_and(|v| !v.is_zero());
        let bit = |on: bool| if on { Word::one() } else { Word::ZERO };
        let v = match s.flag {
            MergeFlag::Set => bit(st0),
            MergeFlag::Add => Word::int_add(cur.unwrap_or(Word::ZERO), bit(st0), false, true).unwrap_or(Word::ZERO),
            MergeFlag::And => bit(truthy && st0),
            MergeFlag::Or => bit(truthy || st0),
        };
        b.set(s.reg, Some(v));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_zero_and_sign_extends_and_detects_loss() {
        let mut buf = [0u8; MAX_REG_BYTES];
        buf[0] = 0xFF;
        assert!(resize(&mut buf, 1, 4, true));
        assert_eq!(&buf[..4], &[0xFF; 4]);
        buf[..4].copy_from_slice(&[0x80, 0, 0, 0]);
        assert!(resize(&mut buf, 4, 1, false));
        buf[..4].copy_from_slice(&[0x80, 0, 0, 0]);
        assert!(!resize(&mut buf, 4, 1, true), "128 is not an i8");
        buf[..4].copy_from_slice(&[0x80, 0xFF, 0xFF, 0xFF]);
        assert!(resize(&mut buf, 4, 1, true), "-128 is an i8");
        buf[..2].copy_from_slice(&[0, 1]);
        assert!(!resize(&mut buf, 2, 1, false));
    }
}
