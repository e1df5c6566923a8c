//! Specialized handlers for the hottest instructions.
//!
//! At translation each instruction gets a handler. For integer arithmetic,
//! steps and comparisons on A registers the handler is monomorphized for the
//! register width and the flags, so the interpreter skips the width and flag
//! dispatch on every execution; every other instruction uses the generic
//! handler. The semantics stay in the family modules: these handlers only
//! call them with the width and flags fixed.

use super::arith::{self, IntOp};
use super::compare;
use crate::isa::{Instr, IntFlags, SignFlag};
use crate::program::Code;
use crate::program::Slot;
use crate::reg::AWidth;
use crate::registers::{Bank, LazyBank, Registers, Slots};
use crate::word::Word;
use bnum::types::{U1024, U128, U256, U512};
use core::cmp::Ordering;

/// Executes the instruction of a slot.
pub(crate) type Handler = fn(&mut Registers, &Slot, &Code);

/// An A-register width as a type, naming its bank.
pub(crate) trait AW {
    type T: Word;
    type B: Slots<Self::T>;
    fn bank(regs: &mut Registers) -> &mut Self::B;
}

macro_rules! aw {
    ($($name:ident $t:ty, $b:ty, $field:ident;)*) => {$(
        pub(crate) struct $name;
        impl AW for $name {
            type T = $t;
            type B = $b;
            #[inline(always)]
            fn bank(regs: &mut Registers) -> &mut $b {
                &mut regs.$field
            }
        }
    )*};
}

aw! {
    W8 u8, Bank<u8>, a8;
    W16 u16, Bank<u16>, a16;
    W32 u32, Bank<u32>, a32;
    W64 u64, Bank<u64>, a64;
    W128 U128, LazyBank<U128>, a128;
    W256 U256, LazyBank<U256>, a256;
    W512 U512, LazyBank<U512>, a512;
    W1024 U1024, LazyBank<U1024>, a1024;
}

/// Picks `$f::<W, ...>` for a runtime width.
macro_rules! by_width {
    ($w:expr, $f:ident :: <_ $(, $c:tt)*>) => {
        match $w {
            AWidth::A8 => $f::<W8 $(, $c)*> as Handler,
            AWidth::A16 => $f::<W16 $(, $c)*>,
            AWidth::A32 => $f::<W32 $(, $c)*>,
            AWidth::A64 => $f::<W64 $(, $c)*>,
            AWidth::A128 => $f::<W128 $(, $c)*>,
            AWidth::A256 => $f::<W256 $(, $c)*>,
            AWidth::A512 => $f::<W512 $(, $c)*>,
            AWidth::A1024 => $f::<W1024 $(, $c)*>,
        }
    };
}

const ADD: u8 = 0;
const SUB: u8 = 1;
const MUL: u8 = 2;
const DIV: u8 = 3;

fn int_op(op: u8) -> IntOp {
    match op {
        ADD => IntOp::Add,
        SUB => IntOp::Sub,
        MUL => IntOp::Mul,
        _ => IntOp::Div,
    }
}

fn int<W: AW, const OP: u8, const S: bool, const WR: bool>(
    regs: &mut Registers,
    slot: &Slot,
    _: &Code,
) {
    if let Instr::Add(s) | Instr::Sub(s) | Instr::Mul(s) | Instr::Div(s) = &slot.instr {
        let ok = arith::binary(W::bank(regs), s.dst, s.a, s.b, |x, y| {
            arith::apply(int_op(OP), x, y, S, WR)
        });
        regs.st0 &= ok;
    }
}

fn step<W: AW, const UP: bool, const S: bool, const WR: bool>(
    regs: &mut Registers,
    slot: &Slot,
    _: &Code,
) {
    if let Instr::Inc(s) | Instr::Dec(s) = &slot.instr {
        let n = u16::from(s.step) + 1;
        let ok = arith::unary(W::bank(regs), s.reg, s.reg, |x| x.step(n, UP, S, WR));
        regs.st0 &= ok;
    }
}

fn cmp<W: AW, const GT: bool, const S: bool>(regs: &mut Registers, slot: &Slot, _: &Code) {
    if let Instr::GtA(s) | Instr::LtA(s) = &slot.instr {
        let want = if GT {
            Ordering::Greater
        } else {
            Ordering::Less
        };
        regs.st0 = compare::order(W::bank(regs), s.a, s.b, S) == Some(want);
    }
}

pub(crate) fn generic(regs: &mut Registers, slot: &Slot, code: &Code) {
    let ext = match &slot.instr {
        Instr::Ext(e) => code.ext_for(e.opcode),
        _ => None,
    };
    super::data(&slot.instr, regs, &code.data, ext)
}

fn with_flags<const OP: u8>(w: AWidth, flag: IntFlags) -> Handler {
    match flag {
        IntFlags::UnsignedChecked => by_width!(w, int::<_, OP, false, false>),
        IntFlags::UnsignedWrapped => by_width!(w, int::<_, OP, false, true>),
        IntFlags::SignedChecked => by_width!(w, int::<_, OP, true, false>),
        IntFlags::SignedWrapped => by_width!(w, int::<_, OP, true, true>),
    }
}

fn step_flags<const UP: bool>(w: AWidth, flag: IntFlags) -> Handler {
    match flag {
        IntFlags::UnsignedChecked => by_width!(w, step::<_, UP, false, false>),
        IntFlags::UnsignedWrapped => by_width!(w, step::<_, UP, false, true>),
        IntFlags::SignedChecked => by_width!(w, step::<_, UP, true, false>),
        IntFlags::SignedWrapped => by_width!(w, step::<_, UP, true, true>),
    }
}

fn cmp_flags<const GT: bool>(w: AWidth, flag: SignFlag) -> Handler {
    match flag {
        SignFlag::Unsigned => by_width!(w, cmp::<_, GT, false>),
        SignFlag::Signed => by_width!(w, cmp::<_, GT, true>),
    }
}

/// The handler for an instruction.
pub(crate) fn handler(instr: &Instr) -> Handler {
    match instr {
        Instr::Add(s) => with_flags::<ADD>(s.width, s.flag),
        Instr::Sub(s) => with_flags::<SUB>(s.width, s.flag),
        Instr::Mul(s) => with_flags::<MUL>(s.width, s.flag),
        Instr::Div(s) => with_flags::<DIV>(s.width, s.flag),
        Instr::Inc(s) => step_flags::<true>(s.width, s.flag),
        Instr::Dec(s) => step_flags::<false>(s.width, s.flag),
        Instr::GtA(s) => cmp_flags::<true>(s.width, s.flag),
        Instr::LtA(s) => cmp_flags::<false>(s.width, s.flag),
        _ => generic,
    }
}
