//! Byte-string operations.
//!
//! Offsets and lengths come from a16 registers and single bytes from a8
//! registers. Every out-of-range case is defined: the destination becomes
//! undefined and st0 is cleared. An undefined operand makes the destination
//! undefined and leaves st0 alone. No string ever exceeds [`S_MAX_LEN`].
//!
//! Each function returns the number of bytes it touched, from which the
//! interpreter charges the dynamic part of the complexity.

use crate::isa::shape::{SAt, SCount, SDel, SFill, SFind, SLen, SRange, SSplit, S2, S3, S4};
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
fn finish(regs: &mut Registers, dst: u8, result: Result<Option<Vec<u8>>, ()>) -> usize {
    let (value, ok) = match result {
        Ok(Some(v)) if v.len() <= S_MAX_LEN => (Some(v), true),
        Ok(Some(_)) | Err(()) => (None, false),
        Ok(None) => (None, true),
    };
    let touched = value.as_ref().map_or(0, Vec::len);
    regs.s[dst as usize & 15] = value;
    regs.st0 &= ok;
    touched
}

pub(crate) fn fill(regs: &mut Registers, i: &SFill) -> usize {
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

pub(crate) fn len(regs: &mut Registers, i: &SLen) -> usize {
    let l = s(regs, i.src).map(|v| v.len() as u16);
    regs.a16.set(i.dst, l);
    0
}

pub(crate) fn cnt(regs: &mut Registers, i: &SCount) -> usize {
    let (src, byte) = (s(regs, i.src), a8(regs, i.byte));
    let touched = src.map_or(0, Vec::len);
    let n = src
        .zip(byte)
        .map(|(v, b)| v.iter().filter(|x| **x == b).count() as u16);
    regs.a16.set(i.dst, n);
    touched
}

pub(crate) fn cat(regs: &mut Registers, i: &S3) -> usize {
    let result = Ok(s(regs, i.a)
        .zip(s(regs, i.b))
        .map(|(a, b)| [a.as_slice(), b].concat()));
    finish(regs, i.dst, result)
}

pub(crate) fn join(regs: &mut Registers, i: &S4) -> usize {
    let parts = (s(regs, i.a), s(regs, i.sep), s(regs, i.b));
    let result = match parts {
        (Some(a), Some(sep), Some(b)) => Ok(Some([a.as_slice(), sep, b].concat())),
        _ => Ok(None),
    };
    finish(regs, i.dst, result)
}

pub(crate) fn find(regs: &mut Registers, i: &SFind) -> usize {
    let (hay, needle) = (s(regs, i.hay), s(regs, i.needle));
    let touched = hay.map_or(0, Vec::len);
    let (value, ok) = match (hay, needle) {
        (Some(_), Some(n)) if n.is_empty() => (Some(0), true),
        (Some(h), Some(n)) => match h.windows(n.len()).position(|w| w == n.as_slice()) {
            Some(p) => (Some(p as u16), true),
            None => (None, false),
        },
        _ => (None, true),
    };
    regs.a16.set(i.dst, value);
    regs.st0 &= ok;
    touched
}

pub(crate) fn extr(regs: &mut Registers, i: &SRange) -> usize {
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
pub(crate) fn put_at(regs: &mut Registers, i: &SAt, insert: bool) -> usize {
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

pub(crate) fn splt(regs: &mut Registers, i: &SSplit) -> usize {
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
    finish(regs, i.head, head) + finish(regs, i.tail, tail)
}

pub(crate) fn del(regs: &mut Registers, i: &SDel) -> usize {
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

pub(crate) fn rev(regs: &mut Registers, i: &S2) -> usize {
    let result = Ok(s(regs, i.src).map(|v| v.iter().rev().copied().collect()));
    finish(regs, i.dst, result)
}
