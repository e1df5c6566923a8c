//! Modular arithmetic on R registers: `addmod`, `submod`, `mulmod`,
//! `powmod`, `invmod` (semantics in [`crate::modular`]).

use crate::isa::shape::{RInv, RMod};
use crate::modular::{self, Modular};
use crate::registers::{with_r, Registers, Slots};

/// The operations of the [`RMod`] shape.
#[derive(Clone, Copy)]
pub(crate) enum ModOp {
    Add,
    Sub,
    Mul,
    Pow,
}

fn ternary<T: Modular, B: Slots<T>>(bank: &mut B, s: &RMod, op: ModOp) -> bool {
    let f = match op {
        ModOp::Add => modular::add_mod::<T>,
        ModOp::Sub => modular::sub_mod::<T>,
        ModOp::Mul => modular::mul_mod::<T>,
        ModOp::Pow => modular::pow_mod::<T>,
    };
    match (bank.get(s.a), bank.get(s.b), bank.get(s.m)) {
        (Some(a), Some(b), Some(m)) => {
            let r = f(a, b, m);
            bank.set(s.dst, r);
            r.is_some()
        }
        _ => {
            bank.set(s.dst, None);
            true
        }
    }
}

fn inverse<T: Modular, B: Slots<T>>(bank: &mut B, s: &RInv) -> bool {
    match (bank.get(s.src), bank.get(s.m)) {
        (Some(a), Some(m)) => {
            let r = modular::inv_mod(a, m);
            bank.set(s.dst, r);
            r.is_some()
        }
        _ => {
            bank.set(s.dst, None);
            true
        }
    }
}

#[inline]
pub(crate) fn op(regs: &mut Registers, s: &RMod, op: ModOp) {
    let ok = with_r!(regs, s.width, b => ternary(b, s, op));
    regs.st0 &= ok;
}

#[inline]
pub(crate) fn inv(regs: &mut Registers, s: &RInv) {
    let ok = with_r!(regs, s.width, b => inverse(b, s));
    regs.st0 &= ok;
}
