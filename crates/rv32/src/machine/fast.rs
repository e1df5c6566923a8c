//! The fast path as threaded code: one small handler per operation, each
//! ending by dispatching the next slot's handler itself (a tail call, which
//! the optimizer turns into a jump), so every operation has its own
//! indirect jump for the branch predictor and its own register allocation.
//!
//! A chain of handlers runs whole basic blocks, each paid for on entry, and
//! returns to [`Machine::fast`] when an instruction needs the general path,
//! when a block cannot be paid for from the chain's gas, or, in builds with
//! debug assertions (where calls are not turned into jumps), after every
//! instruction. A chain is given at most [`CHUNK`] gas, so even calls that
//! are not turned into jumps would nest a bounded number of frames.

use super::{Cursor, Machine, Stop};
use crate::exec;
use crate::gas::Gas;
use crate::op::Op;
use crate::program::Slot;

/// The most gas one chain of handlers is given before it returns.
const CHUNK: Gas = 1 << 12;

/// Whether a handler goes on to the next one itself: not with debug
/// assertions, where every call nests a frame.
const CHAIN: bool = !cfg!(debug_assertions);

/// A handler: runs the slot `s`, at index `idx` of `slots`, with `left` gas
/// in the chain (its block already paid for).
type Handler = fn(&mut Machine, &[Slot], usize, &Slot, Gas) -> Stop;

impl Machine {
    /// The fast path: from `at` (with its block already paid for if `paid`)
    /// it runs the instructions that need neither the host, nor a fault,
    /// nor a page allocation, paying for each basic block on entry. It
    /// stops at the first instruction that needs the general path
    /// ([`Machine::step`]), prepaid ([`Stop::Slow`]), or at a block it
    /// cannot pay for in full ([`Stop::Unpaid`]).
    pub(super) fn fast(&mut self, slots: &[Slot], at: &mut Cursor, mut paid: bool) -> Stop {
        loop {
            let Some(s) = slots.get(at.idx) else {
                return Stop::Slow;
            };
            if !paid {
                let cost = s.cost as Gas;
                if cost > at.left {
                    return Stop::Unpaid;
                }
                at.left -= cost;
            }
            let chunk = at.left.min(CHUNK);
            let stop = HANDLERS[s.op as usize](self, slots, at.idx, s, chunk);
            at.idx = self.paused.idx;
            at.left -= chunk - self.paused.left;
            match stop {
                Stop::Pause => paid = true,
                Stop::Unpaid => paid = false,
                Stop::Slow => return Stop::Slow,
            }
        }
    }

    /// Ends a chain at slot `idx` with `left` of its gas.
    #[cold]
    fn pause(&mut self, idx: usize, left: Gas, why: Stop) -> Stop {
        self.paused = Cursor { idx, left };
        why
    }
}

/// On to slot `idx` in the same block.
#[inline(always)]
fn next(m: &mut Machine, slots: &[Slot], idx: usize, left: Gas) -> Stop {
    if !CHAIN {
        return m.pause(idx, left, Stop::Pause);
    }
    match slots.get(idx) {
        Some(s) => HANDLERS[s.op as usize](m, slots, idx, s, left),
        None => m.pause(idx, left, Stop::Slow),
    }
}

/// Into the block at slot `to`, paying for all of it, from the jump at
/// `from`; a jump to no slot takes the general path at `from`, which
/// faults.
#[inline(always)]
fn enter(m: &mut Machine, slots: &[Slot], from: usize, to: usize, left: Gas) -> Stop {
    let Some(s) = slots.get(to) else {
        return m.pause(from, left, Stop::Slow);
    };
    let cost = s.cost as Gas;
    if cost > left {
        return m.pause(to, left, Stop::Unpaid);
    }
    if !CHAIN {
        return m.pause(to, left - cost, Stop::Pause);
    }
    HANDLERS[s.op as usize](m, slots, to, s, left - cost)
}

/// The handler of the operations the fast path leaves to the general path.
fn slow(m: &mut Machine, _: &[Slot], idx: usize, _: &Slot, left: Gas) -> Stop {
    m.pause(idx, left, Stop::Slow)
}

/// Handlers of register-result operations: `exec::value` folds to the one
/// host operation in each.
macro_rules! values {
    ($($op:ident),* $(,)?) => {
        $(
            #[allow(non_snake_case)]
            fn $op(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
                let (a, b) = (m.regs[s.rs1 as usize], m.regs[s.rs2 as usize]);
                m.regs[s.rd as usize] = exec::value(Op::$op, a, b, s.imm).unwrap_or_default();
                next(m, slots, idx + 1, left)
            }
        )*
    };
}

values! {
    Lui, Auipc, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub, Sll, Slt, Sltu,
    Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
}

/// Handlers of loads that hit the memory's read cache.
macro_rules! loads {
    ($($op:ident = $n:literal as $extend:ty),* $(,)?) => {
        $(
            #[allow(non_snake_case)]
            fn $op(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
                let addr = m.regs[s.rs1 as usize].wrapping_add(s.imm);
                match m.mem.load_fast::<$n>(addr) {
                    Some(v) => {
                        m.regs[s.rd as usize] = v as $extend as u32;
                        next(m, slots, idx + 1, left)
                    }
                    None => m.pause(idx, left, Stop::Slow),
                }
            }
        )*
    };
}

loads! { Lb = 1 as i8, Lbu = 1 as u8, Lh = 2 as i16, Lhu = 2 as u16, Lw = 4 as u32 }

/// Handlers of stores that hit the memory's write cache.
macro_rules! stores {
    ($($op:ident = $n:literal),* $(,)?) => {
        $(
            #[allow(non_snake_case)]
            fn $op(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
                let addr = m.regs[s.rs1 as usize].wrapping_add(s.imm);
                if m.mem.store_fast::<$n>(addr, m.regs[s.rs2 as usize]) {
                    next(m, slots, idx + 1, left)
                } else {
                    m.pause(idx, left, Stop::Slow)
                }
            }
        )*
    };
}

stores! { Sb = 1, Sh = 2, Sw = 4 }

/// Handlers of conditional branches: into the target's block, or on into
/// the next one (past the code, the `NoCode` slot, which faults on the
/// general path).
macro_rules! branches {
    ($($op:ident),* $(,)?) => {
        $(
            #[allow(non_snake_case)]
            fn $op(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
                let (a, b) = (m.regs[s.rs1 as usize], m.regs[s.rs2 as usize]);
                let to = if exec::taken(Op::$op, a, b) == Some(true) {
                    s.target as usize
                } else {
                    idx + 1
                };
                enter(m, slots, idx, to, left)
            }
        )*
    };
}

branches! { Beq, Bne, Blt, Bge, Bltu, Bgeu }

/// The link value of a jump at slot `idx`: the pc after it.
#[inline(always)]
fn link(m: &Machine, idx: usize) -> u32 {
    m.base.wrapping_add((idx as u32) << 2).wrapping_add(4)
}

#[allow(non_snake_case)]
fn Jal(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    if slots.get(s.target as usize).is_none() {
        return m.pause(idx, left, Stop::Slow);
    }
    m.regs[s.rd as usize] = link(m, idx);
    enter(m, slots, idx, s.target as usize, left)
}

#[allow(non_snake_case)]
fn Jalr(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    let off = (m.regs[s.rs1 as usize].wrapping_add(s.imm) & !1).wrapping_sub(m.base);
    let to = if off & 3 == 0 {
        (off >> 2) as usize
    } else {
        usize::MAX
    };
    if slots.get(to).is_none() {
        return m.pause(idx, left, Stop::Slow);
    }
    m.regs[s.rd as usize] = link(m, idx);
    enter(m, slots, idx, to, left)
}

/// The handler of each operation, in [`Op`] order.
static HANDLERS: [Handler; Op::ALL.len()] = {
    let mut table: [Handler; Op::ALL.len()] = [slow; Op::ALL.len()];
    macro_rules! set {
        ($($op:ident),* $(,)?) => { $( table[Op::$op as usize] = $op; )* };
    }
    set! {
        Lui, Auipc, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub, Sll, Slt,
        Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
        Lb, Lbu, Lh, Lhu, Lw, Sb, Sh, Sw, Beq, Bne, Blt, Bge, Bltu, Bgeu, Jal, Jalr,
    }
    table
};
