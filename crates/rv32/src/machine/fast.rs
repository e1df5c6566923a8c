//! The fast path as threaded code: every slot carries the handler that runs
//! it, and every handler ends by calling the next slot's handler itself (a
//! tail call, which the optimizer turns into a jump). Each operation thus
//! has its own indirect jump for the branch predictor and its own register
//! allocation.
//!
//! A register-result operation or load followed by a conditional branch is
//! fused into one handler (the branch slot keeps its own handler for jumps
//! into it), which reads the result it just computed from a host register
//! when the branch tests it.
//!
//! A chain of handlers runs whole basic blocks, each paid for on entry, and
//! returns to [`Machine::fast`] when an instruction needs the general path,
//! when a block cannot be paid for from the chain's gas, or, in builds with
//! debug assertions (where calls are not turned into jumps), after every
//! instruction. A chain is given at most [`CHUNK`] gas, so even calls that
//! were not turned into jumps would nest a bounded number of frames.

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
pub(crate) type Handler = fn(&mut Machine, &[Slot], usize, &Slot, Gas) -> Stop;

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
            let stop = (s.run)(self, slots, at.idx, s, chunk);
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

/// The handler of a slot running `op`, followed in the code by `next` (if
/// it is code): a fused one for a result or load followed by a branch.
pub(crate) fn handler(op: Op, rd: u8, next: Option<&Slot>) -> Handler {
    let fused = next.and_then(|b| {
        let first = FUSABLE.iter().position(|&f| f == op)?;
        let branch = BRANCHES.iter().position(|&f| f == b.op)?;
        let forward = if b.rs1 == rd {
            1
        } else if b.rs2 == rd {
            2
        } else {
            0
        };
        Some(FUSED[first][branch][forward])
    });
    fused.unwrap_or(PLAIN[op as usize])
}

/// On to slot `idx` in the same block.
#[inline(always)]
fn next(m: &mut Machine, slots: &[Slot], idx: usize, left: Gas) -> Stop {
    if !CHAIN {
        return m.pause(idx, left, Stop::Pause);
    }
    match slots.get(idx) {
        Some(s) => (s.run)(m, slots, idx, s, left),
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
    (s.run)(m, slots, to, s, left - cost)
}

/// Operation number `N` ([`Op::ALL`] order), as a constant the handlers
/// generic over it fold their semantics with.
struct Code<const N: u8>;

impl<const N: u8> Code<N> {
    const OP: Op = Op::ALL[N as usize];
}

/// The handler of the operations the fast path leaves to the general path.
pub(crate) const SLOW: Handler = slow;

fn slow(m: &mut Machine, _: &[Slot], idx: usize, _: &Slot, left: Gas) -> Stop {
    m.pause(idx, left, Stop::Slow)
}

/// The result of register-result operation or load `op` in slot `s`, or
/// `None` for a load that misses the read cache.
#[inline(always)]
fn result(op: Op, m: &Machine, s: &Slot) -> Option<u32> {
    let a = m.regs[s.rs1 as usize];
    let addr = a.wrapping_add(s.imm);
    match op {
        Op::Lb => m.mem.load_fast::<1>(addr).map(|v| v as i8 as u32),
        Op::Lbu => m.mem.load_fast::<1>(addr),
        Op::Lh => m.mem.load_fast::<2>(addr).map(|v| v as i16 as u32),
        Op::Lhu => m.mem.load_fast::<2>(addr),
        Op::Lw => m.mem.load_fast::<4>(addr),
        _ => exec::value(op, a, m.regs[s.rs2 as usize], s.imm),
    }
}

/// A register-result operation or a load.
fn compute<const N: u8>(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    let Some(v) = result(Code::<N>::OP, m, s) else {
        return m.pause(idx, left, Stop::Slow);
    };
    m.regs[s.rd as usize] = v;
    next(m, slots, idx + 1, left)
}

/// A store that hits the write cache.
fn store<const N: u8>(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    let addr = m.regs[s.rs1 as usize].wrapping_add(s.imm);
    let v = m.regs[s.rs2 as usize];
    let stored = match Code::<N>::OP {
        Op::Sb => m.mem.store_fast::<1>(addr, v),
        Op::Sh => m.mem.store_fast::<2>(addr, v),
        _ => m.mem.store_fast::<4>(addr, v),
    };
    if stored {
        next(m, slots, idx + 1, left)
    } else {
        m.pause(idx, left, Stop::Slow)
    }
}

/// A conditional branch.
fn branch<const N: u8>(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    let (a, b) = (m.regs[s.rs1 as usize], m.regs[s.rs2 as usize]);
    let to = if exec::taken(Code::<N>::OP, a, b) == Some(true) {
        s.target as usize
    } else {
        idx + 1
    };
    enter(m, slots, idx, to, left)
}

/// A register-result operation or load `A` fused with the conditional
/// branch `B` in the next slot, which tests the result as its first source
/// if `F` is 1, as its second if `F` is 2.
fn fused<const A: u8, const B: u8, const F: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    left: Gas,
) -> Stop {
    let Some(v) = result(Code::<A>::OP, m, s) else {
        return m.pause(idx, left, Stop::Slow);
    };
    m.regs[s.rd as usize] = v;
    let Some(b) = slots.get(idx + 1) else {
        return m.pause(idx + 1, left, Stop::Slow);
    };
    let x = if F == 1 { v } else { m.regs[b.rs1 as usize] };
    let y = if F == 2 { v } else { m.regs[b.rs2 as usize] };
    let to = if exec::taken(Code::<B>::OP, x, y) == Some(true) {
        b.target as usize
    } else {
        idx + 2
    };
    enter(m, slots, idx + 1, to, left)
}

/// The link value of a jump at slot `idx`: the pc after it.
#[inline(always)]
fn link(m: &Machine, idx: usize) -> u32 {
    m.base.wrapping_add((idx as u32) << 2).wrapping_add(4)
}

/// `jal` to a valid target.
fn jal(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
    if slots.get(s.target as usize).is_none() {
        return m.pause(idx, left, Stop::Slow);
    }
    m.regs[s.rd as usize] = link(m, idx);
    enter(m, slots, idx, s.target as usize, left)
}

/// `jalr` to a valid target.
fn jalr(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, left: Gas) -> Stop {
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

/// The handler of each operation on its own, in [`Op`] order.
static PLAIN: [Handler; Op::ALL.len()] = {
    let mut table: [Handler; Op::ALL.len()] = [slow; Op::ALL.len()];
    macro_rules! set {
        ($handler:ident: $($op:ident),*) => {
            $( table[Op::$op as usize] = $handler::<{ Op::$op as u8 }>; )*
        };
    }
    set!(compute: Lui, Auipc, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub);
    set!(compute: Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu);
    set!(compute: Div, Divu, Rem, Remu, Lb, Lbu, Lh, Lhu, Lw);
    set!(store: Sb, Sh, Sw);
    set!(branch: Beq, Bne, Blt, Bge, Bltu, Bgeu);
    table[Op::Jal as usize] = jal;
    table[Op::Jalr as usize] = jalr;
    table
};

/// The handlers of operation `A` fused with each branch, in [`BRANCHES`]
/// order, by which branch source is the result (none, first, second).
const fn fused_row<const A: u8>() -> [[Handler; 3]; 6] {
    macro_rules! with {
        ($($b:ident),*) => {
            [$([
                fused::<A, { Op::$b as u8 }, 0>,
                fused::<A, { Op::$b as u8 }, 1>,
                fused::<A, { Op::$b as u8 }, 2>,
            ]),*]
        };
    }
    with!(Beq, Bne, Blt, Bge, Bltu, Bgeu)
}

/// The conditional branches, in the order of [`fused_row`].
const BRANCHES: [Op; 6] = [Op::Beq, Op::Bne, Op::Blt, Op::Bge, Op::Bltu, Op::Bgeu];

/// Declares the operations fused with a branch after them ([`FUSABLE`])
/// and their handlers ([`FUSED`]).
macro_rules! fusable {
    ($($a:ident),*) => {
        /// The operations fused with a branch after them: those that most
        /// often come right before one in compiled loops.
        const FUSABLE: &[Op] = &[$(Op::$a),*];

        /// The fused handlers, by [`FUSABLE`] operation (see [`fused_row`]).
        static FUSED: [[[Handler; 3]; 6]; FUSABLE.len()] = [$(fused_row::<{ Op::$a as u8 }>()),*];
    };
}

fusable!(Addi, Add, Sub, And, Andi, Or, Xor, Slli, Srli, Sltu, Lw, Lbu);
