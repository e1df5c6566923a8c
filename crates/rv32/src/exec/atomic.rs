//! RV32A: the value an AMO stores, from the old memory word and rs2.
//! LR/SC live in the machine, which holds the reservation.

use crate::op::Op;

/// The new memory value of AMO `op`; the old one goes to rd.
#[inline(always)]
pub fn amo(op: Op, old: u32, src: u32) -> u32 {
    match op {
        Op::AmoswapW => src,
        Op::AmoaddW => old.wrapping_add(src),
        Op::AmoxorW => old ^ src,
        Op::AmoandW => old & src,
        Op::AmoorW => old | src,
        Op::AmominW => (old as i32).min(src as i32) as u32,
        Op::AmomaxW => (old as i32).max(src as i32) as u32,
        Op::AmominuW => old.min(src),
        Op::AmomaxuW => old.max(src),
        _ => old,
    }
}
