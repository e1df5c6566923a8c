//! The fast path as threaded code: every slot carries the handlers that
//! run it, and every handler ends by calling the next slot's handler itself
//! (a tail call, which the optimizer turns into a jump). Each operation
//! thus has its own indirect jump for the branch predictor and its own
//! register allocation.
//!
//! Two things keep guest values in host registers between instructions,
//! both chosen once, when the program is decoded ([`handlers`]):
//! - Each handler passes its result to the next. A slot has a second
//!   handler for falling through from the instruction before, which reads
//!   that result in place of the registers it wrote instead of reloading
//!   them from the register file (a store-to-load round trip, the longest
//!   step of a chain of dependent instructions).
//! - A register-result operation or load followed by a conditional branch
//!   is one fused handler, which saves a dispatch per loop iteration.
//!
//! A chain of handlers runs whole basic blocks, each paid for on entry, and
//! returns to [`Machine::fast`] when an instruction needs the general path,
//! when a block cannot be paid for from the chain's gas, or, in builds with
//! debug assertions (where calls are not turned into jumps), after every
//! instruction. A chain is given at most [`CHUNK`] gas, so even if calls
//! were not turned into jumps it would nest a bounded number of frames.

use super::{Cursor, Machine, Stop};
use crate::exec;
use crate::gas::{Class, Gas, Meter};
use crate::op::Op;
use crate::program::Slot;

/// The most gas one chain of handlers is given before it returns.
const CHUNK: Gas = 1 << 12;

/// Whether a handler goes on to the next one itself: not with debug
/// assertions, where every call nests a frame.
const CHAIN: bool = !cfg!(debug_assertions);

/// A handler: runs the slot `s`, at index `idx` of `slots`, its block
/// already paid for from the chain's gas ([`Chain::fuel`]). `v` is the
/// result of the instruction before, when the chain fell through from it:
/// the handler chosen for the slot reads it in place of the sources that
/// instruction wrote ([`handlers`]).
pub(crate) type Handler = fn(&mut Machine, &[Slot], usize, &Slot, u32) -> Stop;

/// A chain of handlers' state outside host registers.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Chain {
    /// The gas lent to the chain.
    fuel: Meter,
    /// Where the chain stopped.
    idx: usize,
    /// The result it carried on, for [`Stop::Next`].
    value: u32,
}

impl Machine {
    /// The fast path: from `at` (with its block already paid for if `paid`)
    /// it runs the instructions that need neither the host, nor a fault,
    /// nor a page allocation, paying for each basic block on entry. It
    /// stops at the first instruction that needs the general path
    /// ([`Machine::step`]), prepaid ([`Stop::Slow`]), or at a block it
    /// cannot pay for in full ([`Stop::Unpaid`]).
    pub(super) fn fast(&mut self, slots: &[Slot], at: &mut Cursor, paid: bool) -> Stop {
        let mut how = if paid { Stop::Pause } else { Stop::Unpaid };
        loop {
            let Some(s) = slots.get(at.idx) else {
                return Stop::Slow;
            };
            if how == Stop::Unpaid && !at.meter.charge(s.cost as Gas) {
                return Stop::Unpaid;
            }
            self.chain.fuel = at.meter.lend(CHUNK);
            how = if how == Stop::Next {
                (s.run)(self, slots, at.idx, s, self.chain.value)
            } else {
                (s.entry)(self, slots, at.idx, s, 0)
            };
            at.idx = self.chain.idx;
            at.meter.repay(self.chain.fuel);
            if how == Stop::Slow {
                return Stop::Slow;
            }
        }
    }

    /// Ends a chain at slot `idx`.
    #[cold]
    fn pause(&mut self, idx: usize, why: Stop) -> Stop {
        self.chain.idx = idx;
        why
    }
}

/// The handlers of slot `s`, after `prev` and before `next` in the code
/// (where they are code): on entering it, and on falling through into it
/// from `prev` (which reads the result of `prev` from the chain in place of
/// the sources it wrote). A result or load followed by a conditional
/// branch is one fused handler.
pub(crate) fn handlers(prev: Option<&Slot>, s: &Slot, next: Option<&Slot>) -> (Handler, Handler) {
    let fused = next.and_then(|b| {
        let first = FUSABLE.iter().position(|&f| f == s.op)?;
        let branch = BRANCHES.iter().position(|&f| f == b.op)?;
        Some(FUSED[first][branch][sources(s.rd, b)])
    });
    if let Some(fused) = fused {
        return (fused, fused);
    }
    let table = &PLAIN[s.op as usize];
    let carried = prev
        .filter(|p| carries_result(p.op))
        .map_or(0, |p| sources(p.rd, s));
    (table[0], table[carried])
}

/// Whether the handlers of `op` pass on a result: register-result
/// operations and loads do.
fn carries_result(op: Op) -> bool {
    exec::value(op, 0, 0, 0).is_some() || op.class() == Class::Load
}

/// Which sources of `s` are register `rd`: bit 0 the first, bit 1 the
/// second (never for x0, which no result is written to).
fn sources(rd: u8, s: &Slot) -> usize {
    (s.rs1 == rd) as usize | ((s.rs2 == rd) as usize) << 1
}

/// On to slot `idx` in the same block, carrying result `v`.
#[inline(always)]
fn next(m: &mut Machine, slots: &[Slot], idx: usize, v: u32) -> Stop {
    if !CHAIN {
        m.chain.value = v;
        return m.pause(idx, Stop::Next);
    }
    match slots.get(idx) {
        Some(s) => (s.run)(m, slots, idx, s, v),
        None => m.pause(idx, Stop::Slow),
    }
}

/// Into the block at slot `to`, paying for all of it, from the jump at
/// `from`; a jump to no slot takes the general path at `from`, which
/// faults.
#[inline(always)]
fn enter(m: &mut Machine, slots: &[Slot], from: usize, to: usize) -> Stop {
    match slots.get(to) {
        Some(s) => enter_slot(m, slots, to, s),
        None => m.pause(from, Stop::Slow),
    }
}

/// Into the block at slot `to` (`s`), paying for all of it.
#[inline(always)]
fn enter_slot(m: &mut Machine, slots: &[Slot], to: usize, s: &Slot) -> Stop {
    if !m.chain.fuel.charge(s.cost as Gas) {
        return m.pause(to, Stop::Unpaid);
    }
    if !CHAIN {
        return m.pause(to, Stop::Pause);
    }
    (s.entry)(m, slots, to, s, 0)
}

/// Operation number `N` ([`Op::ALL`] order), as a constant the handlers
/// generic over it fold their semantics with.
struct Code<const N: u8>;

impl<const N: u8> Code<N> {
    const OP: Op = Op::ALL[N as usize];
}

/// The handler of the operations the fast path leaves to the general path.
pub(crate) const SLOW: Handler = slow;

fn slow(m: &mut Machine, _: &[Slot], idx: usize, _: &Slot, _: u32) -> Stop {
    m.pause(idx, Stop::Slow)
}

/// The sources of slot `s`, `v` in place of those that `F` marks
/// ([`sources`]).
#[inline(always)]
fn operands<const F: u8>(m: &Machine, s: &Slot, v: u32) -> (u32, u32) {
    let a = if F & 1 != 0 {
        v
    } else {
        m.regs[s.rs1 as usize]
    };
    let b = if F & 2 != 0 {
        v
    } else {
        m.regs[s.rs2 as usize]
    };
    (a, b)
}

/// The result of register-result operation or load `op` with sources `a`
/// and `b`, or `None` for a load that misses the read cache.
#[inline(always)]
fn result(op: Op, m: &Machine, s: &Slot, a: u32, b: u32) -> Option<u32> {
    let addr = a.wrapping_add(s.imm);
    match op {
        Op::Lb => m.mem.load_fast::<1>(addr).map(|v| v as i8 as u32),
        Op::Lbu => m.mem.load_fast::<1>(addr),
        Op::Lh => m.mem.load_fast::<2>(addr).map(|v| v as i16 as u32),
        Op::Lhu => m.mem.load_fast::<2>(addr),
        Op::Lw => m.mem.load_fast::<4>(addr),
        _ => exec::value(op, a, b, s.imm),
    }
}

/// A register-result operation or a load.
fn compute<const N: u8, const F: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    v: u32,
) -> Stop {
    let (a, b) = operands::<F>(m, s, v);
    let Some(r) = result(Code::<N>::OP, m, s, a, b) else {
        return m.pause(idx, Stop::Slow);
    };
    m.regs[s.rd as usize] = r;
    next(m, slots, idx + 1, r)
}

/// A store that hits the write cache.
fn store<const N: u8, const F: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    v: u32,
) -> Stop {
    let (base, value) = operands::<F>(m, s, v);
    let addr = base.wrapping_add(s.imm);
    let stored = match Code::<N>::OP {
        Op::Sb => m.mem.store_fast::<1>(addr, value),
        Op::Sh => m.mem.store_fast::<2>(addr, value),
        _ => m.mem.store_fast::<4>(addr, value),
    };
    if stored {
        next(m, slots, idx + 1, 0)
    } else {
        m.pause(idx, Stop::Slow)
    }
}

/// A conditional branch.
fn branch<const N: u8, const F: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    v: u32,
) -> Stop {
    let (a, b) = operands::<F>(m, s, v);
    decide::<N>(m, slots, idx, s, a, b)
}

/// Conditional branch `N` at slot `idx` (`s`) with sources `a` and `b`: into
/// the target's block, or on into the next one (past the code, the `NoCode`
/// slot, which faults on the general path).
#[inline(always)]
fn decide<const N: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    a: u32,
    b: u32,
) -> Stop {
    // Two calls, not one call on a selected slot: a select (a conditional
    // move) would make the next block's address, and the gas chain through
    // it, wait for the comparison; a branch is predicted and runs ahead.
    // Measured: bench 157 ms with the select, 100 ms without.
    if exec::taken(Code::<N>::OP, a, b) == Some(true) {
        enter(m, slots, idx, s.target as usize)
    } else {
        enter(m, slots, idx, idx + 1)
    }
}

/// A register-result operation or load `A` fused with the conditional
/// branch `B` in the next slot, which tests the result in place of the
/// sources that `F` marks ([`sources`]).
fn fused<const A: u8, const B: u8, const F: u8>(
    m: &mut Machine,
    slots: &[Slot],
    idx: usize,
    s: &Slot,
    _: u32,
) -> Stop {
    let (a, b) = operands::<0>(m, s, 0);
    let Some(v) = result(Code::<A>::OP, m, s, a, b) else {
        return m.pause(idx, Stop::Slow);
    };
    m.regs[s.rd as usize] = v;
    let Some(branch) = slots.get(idx + 1) else {
        return m.pause(idx + 1, Stop::Slow);
    };
    let (x, y) = operands::<F>(m, branch, v);
    decide::<B>(m, slots, idx + 1, branch, x, y)
}

/// The link value of a jump at slot `idx`: the pc after it.
#[inline(always)]
fn link(m: &Machine, idx: usize) -> u32 {
    m.base.wrapping_add((idx as u32) << 2).wrapping_add(4)
}

/// `jal` to a valid target.
fn jal(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, _: u32) -> Stop {
    jump(m, slots, idx, s, s.target as usize)
}

/// `jalr` to a valid target.
fn jalr<const F: u8>(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, v: u32) -> Stop {
    let (base, _) = operands::<F>(m, s, v);
    let off = (base.wrapping_add(s.imm) & !1).wrapping_sub(m.base);
    let to = if off & 3 == 0 {
        (off >> 2) as usize
    } else {
        usize::MAX
    };
    jump(m, slots, idx, s, to)
}

/// The jump in slot `idx` (`s`) to slot `to`: writes the link register and
/// enters the target's block; a jump to no slot takes the general path,
/// which faults, before writing anything.
#[inline(always)]
fn jump(m: &mut Machine, slots: &[Slot], idx: usize, s: &Slot, to: usize) -> Stop {
    let Some(target) = slots.get(to) else {
        return m.pause(idx, Stop::Slow);
    };
    m.regs[s.rd as usize] = link(m, idx);
    enter_slot(m, slots, to, target)
}

/// The handlers of each operation on its own, in [`Op`] order, by which
/// sources the result carried from the instruction before replaces
/// ([`sources`]).
static PLAIN: [[Handler; 4]; Op::ALL.len()] = {
    let mut table: [[Handler; 4]; Op::ALL.len()] = [[slow; 4]; Op::ALL.len()];
    macro_rules! set {
        ($handler:ident: $($op:ident),*) => {
            $(
                table[Op::$op as usize] = [
                    $handler::<{ Op::$op as u8 }, 0>,
                    $handler::<{ Op::$op as u8 }, 1>,
                    $handler::<{ Op::$op as u8 }, 2>,
                    $handler::<{ Op::$op as u8 }, 3>,
                ];
            )*
        };
    }
    set!(compute: Lui, Auipc, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai, Add, Sub);
    set!(compute: Sll, Slt, Sltu, Xor, Srl, Sra, Or, And, Mul, Mulh, Mulhsu, Mulhu);
    set!(compute: Div, Divu, Rem, Remu, Lb, Lbu, Lh, Lhu, Lw);
    set!(store: Sb, Sh, Sw);
    set!(branch: Beq, Bne, Blt, Bge, Bltu, Bgeu);
    table[Op::Jal as usize] = [jal; 4];
    table[Op::Jalr as usize] = [jalr::<0>, jalr::<1>, jalr::<2>, jalr::<3>];
    table
};

/// The handlers of operation `A` fused with each branch, in [`BRANCHES`]
/// order, by which branch sources the result replaces ([`sources`]).
const fn fused_row<const A: u8>() -> [[Handler; 4]; 6] {
    macro_rules! with {
        ($($b:ident),*) => {
            [$([
                fused::<A, { Op::$b as u8 }, 0>,
                fused::<A, { Op::$b as u8 }, 1>,
                fused::<A, { Op::$b as u8 }, 2>,
                fused::<A, { Op::$b as u8 }, 3>,
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
        static FUSED: [[[Handler; 4]; 6]; FUSABLE.len()] = [$(fused_row::<{ Op::$a as u8 }>()),*];
    };
}

fusable!(Addi, Add, Sub, And, Andi, Or, Xor, Slli, Srli, Sltu, Lw, Lbu);
