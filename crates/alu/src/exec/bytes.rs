//! Byte-string operations.
//!
//! Offsets and lengths come from a16 registers and single bytes from a8
//! registers. Every out-of-range case is defined: the destination becomes
//! undefined and st0 is cleared. An undefined operand makes the destination
//! undefined and leaves st0 alone. No string ever exceeds [`S_MAX_LEN`].
//!
//! [`input_bytes`] gives the bytes an instruction will read, from which the
//! interpreter charges the dynamic part of the complexity before running it.

use crate::isa::shape::{SAt, SCount, SDel, SFill, SFind, SLen, SRange, SSplit, S2, S3, S4};
use crate::isa::Instr;
use crate::registers::{Registers, Slots, S_MAX_LEN};

fn a16(regs: &Registers, idx: u8) -> Option<usize> {
    regs.a16.get(idx).map(usize::from)
}

fn a8(regs: &Registers, idx: u8) -> Option<u8> {
    regs.a8.get(idx)
}

fn s(regs: &Registers, idx: u8) -> Option<&Vec<u8>> {
    regs.s[idx as usize & 15].as_ref()
}

/// Writes a result: `Ok(Some)` a value, `Ok(None)` undefined because an input
/// was, `Err(())` undefined because the operation was impossible.
fn finish(regs: &mut Registers, dst: u8, result: Result<Option<Vec<u8>>, ()>) {
    let (value, ok) = match result {
        Ok(Some(v)) if v.len() <= S_MAX_LEN => (Some(v), true),
        Ok(Some(_)) | Err(()) => (None, false),
        Ok(None) => (None, true),
    };
    regs.s[dst as usize & 15] = value;
    regs.st0 &= ok;
}

pub(crate) fn fill(regs: &mut Registers, i: &SFill) {
    let inputs = (a16(regs, i.off), a16(regs, i.len), a8(regs, i.byte));
    let cur = s(regs, i.dst).cloned().unwrap_or_default();
    let result = match inputs {
        (Some(off), Some(len), Some(byte)) => {
            if off > cur.len() || off + len > S_MAX_LEN {
                Err(())
            } else {
                let mut v = cur;
                if v.len() < off + len {
                    v.resize(off + len, 0);
                }
                v[off..off + len].fill(byte);
                Ok(Some(v))
            }
        }
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

pub(crate) fn len(regs: &mut Registers, i: &SLen) {
    let l = s(regs, i.src).map(|v| v.len() as u16);
    regs.a16.set(i.dst, l);
}

pub(crate) fn cnt(regs: &mut Registers, i: &SCount) {
    let (src, byte) = (s(regs, i.src), a8(regs, i.byte));
    let n = src
        .zip(byte)
        .map(|(v, b)| v.iter().filter(|x| **x == b).count() as u16);
    regs.a16.set(i.dst, n);
}

pub(crate) fn cat(regs: &mut Registers, i: &S3) {
    let result = Ok(s(regs, i.a)
        .zip(s(regs, i.b))
        .map(|(a, b)| [a.as_slice(), b].concat()));
    finish(regs, i.dst, result)
}

pub(crate) fn join(regs: &mut Registers, i: &S4) {
    let parts = (s(regs, i.a), s(regs, i.sep), s(regs, i.b));
    let result = match parts {
        (Some(a), Some(sep), Some(b)) => Ok(Some([a.as_slice(), sep, b].concat())),
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

pub(crate) fn find(regs: &mut Registers, i: &SFind) {
    let (hay, needle) = (s(regs, i.hay), s(regs, i.needle));
    // Two-way search: linear in the haystack whatever the needle, so the
    // complexity charged (by length) bounds the work.
    let (value, ok) = match (hay, needle) {
        (Some(h), Some(n)) => match memchr::memmem::find(h, n) {
            Some(p) => (Some(p as u16), true),
            None => (None, false),
        },
        _ => (None, true),
    };
    regs.a16.set(i.dst, value);
    regs.st0 &= ok;
}

pub(crate) fn extr(regs: &mut Registers, i: &SRange) {
    let result = match (s(regs, i.src), a16(regs, i.off), a16(regs, i.len)) {
        (Some(v), Some(off), Some(len)) => v
            .get(off..off + len)
            .map(<[u8]>::to_vec)
            .map(Some)
            .ok_or(()),
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

/// `inj` (overwrite) and `ins` (insert) of `src` into `dst` at an offset.
pub(crate) fn put_at(regs: &mut Registers, i: &SAt, insert: bool) {
    let result = match (s(regs, i.dst), s(regs, i.src), a16(regs, i.off)) {
        (Some(d), Some(src), Some(off)) if off <= d.len() => {
            let mut v = d.clone();
            if insert {
                v.splice(off..off, src.iter().copied());
            } else {
                let end = off + src.len();
                if v.len() < end {
                    v.resize(end, 0);
                }
                v[off..end].copy_from_slice(src);
            }
            Ok(Some(v))
        }
        (Some(_), Some(_), Some(_)) => Err(()),
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

pub(crate) fn splt(regs: &mut Registers, i: &SSplit) {
    let parts = match (s(regs, i.src), a16(regs, i.off)) {
        (Some(v), Some(off)) if off <= v.len() => Ok(Some((v[..off].to_vec(), v[off..].to_vec()))),
        (Some(_), Some(_)) => Err(()),
        _ => Ok(None),
    };
    let (head, tail) = match parts {
        Ok(Some((h, t))) => (Ok(Some(h)), Ok(Some(t))),
        Ok(None) => (Ok(None), Ok(None)),
        Err(()) => (Err(()), Err(())),
    };
    finish(regs, i.head, head);
    finish(regs, i.tail, tail);
}

pub(crate) fn del(regs: &mut Registers, i: &SDel) {
    let result = match (s(regs, i.dst), a16(regs, i.off), a16(regs, i.len)) {
        (Some(v), Some(off), Some(len)) if off + len <= v.len() => {
            let mut v = v.clone();
            v.drain(off..off + len);
            Ok(Some(v))
        }
        (Some(_), Some(_), Some(_)) => Err(()),
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

pub(crate) fn rev(regs: &mut Registers, i: &S2) {
    let result = Ok(s(regs, i.src).map(|v| v.iter().rev().copied().collect()));
    finish(regs, i.dst, result)
}

/// The bytes an instruction with a [`Cost::Bytes`](crate::isa::Cost) rule
/// will read or write, known before it runs: the dynamic part of its
/// complexity is one unit per 64 of them.
pub(crate) fn input_bytes(instr: &Instr, regs: &Registers) -> usize {
    let len = |idx: u8| s(regs, idx).map_or(0, Vec::len);
    let num = |idx: u8| a16(regs, idx).unwrap_or(0);
    match instr {
        Instr::PutS(i) => i.len as usize,
        Instr::DupS(i) | Instr::RevS(i) => len(i.src),
        Instr::EqS(i) => len(i.a) + len(i.b),
        Instr::Fill(i) => len(i.dst) + num(i.len),
        Instr::Cnt(i) => len(i.src),
        Instr::Cat(i) => len(i.a) + len(i.b),
        Instr::Find(i) => len(i.hay) + len(i.needle),
        Instr::Extr(i) => num(i.len),
        Instr::Inj(i) | Instr::Ins(i) => len(i.dst) + len(i.src),
        Instr::Join(i) => len(i.a) + len(i.b) + len(i.sep),
        Instr::Splt(i) => len(i.src),
        Instr::Del(i) => len(i.dst),
        Instr::Sha256(i) | Instr::Blake3(i) | Instr::Keccak256(i) => len(i.src),
        Instr::Sha512(i) => len(i.src),
        Instr::Ripemd160(i) => len(i.src),
        Instr::Ecdsa(i) | Instr::Schnorr(i) | Instr::Ed25519(i) => {
            len(i.msg) + len(i.sig) + len(i.key)
        }
        _ => 0,
    }
}
