//! Gas: what each instruction class, page and syscall costs.
//!
//! Costs are roughly proportional to the host time the interpreter spends,
//! with an ALU operation as the unit. They are charged per basic block on
//! entry (exact, since only the last instruction of a block can leave it);
//! near the limit the block runs one instruction at a time, so a run stops
//! exactly before the instruction it cannot pay for. A faulting instruction
//! is charged; the instructions after it in its block are not.

/// An amount of gas (the same unit as `avm_vm::Gas`).
pub type Gas = u64;

/// The gas state of a run: what is left of its limit. Both interpreter
/// paths charge through one: the general path the run's own, the fast path
/// a meter lent a chunk of it ([`Meter::lend`]), which it pays back
/// ([`Meter::repay`]). A charge that cannot be paid takes nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(crate) struct Meter {
    left: Gas,
}

impl Meter {
    /// A meter with `limit` to spend.
    pub(crate) fn new(limit: Gas) -> Meter {
        Meter { left: limit }
    }

    /// What is left.
    #[inline(always)]
    pub(crate) fn left(self) -> Gas {
        self.left
    }

    /// Takes `cost`, if that much is left; false (taking nothing) if not.
    #[inline(always)]
    pub(crate) fn charge(&mut self, cost: Gas) -> bool {
        if cost > self.left {
            return false;
        }
        self.left -= cost;
        true
    }

    /// Gives back `gas` charged earlier.
    #[inline(always)]
    pub(crate) fn refund(&mut self, gas: Gas) {
        self.left += gas;
    }

    /// A meter holding at most `most` of what is left, taken from this one.
    #[inline(always)]
    pub(crate) fn lend(&mut self, most: Gas) -> Meter {
        let lent = self.left.min(most);
        self.left -= lent;
        Meter { left: lent }
    }

    /// Takes back what is left of a meter this one lent.
    #[inline(always)]
    pub(crate) fn repay(&mut self, lent: Meter) {
        self.left += lent.left;
    }
}

/// The cost classes of the opcode table ([`crate::Op::class`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Class {
    /// Integer arithmetic, logic, shifts, comparisons, `lui`/`auipc`, fences.
    Alu,
    /// `mul`, `mulh`, `mulhsu`, `mulhu`.
    Mul,
    /// `div`, `divu`, `rem`, `remu`.
    Div,
    /// Loads.
    Load,
    /// Stores.
    Store,
    /// Conditional branches (taken or not).
    Branch,
    /// `jal`, `jalr`.
    Jump,
    /// LR/SC and AMOs.
    Atomic,
    /// `ecall`: the base cost; the host adds its own ([`crate::Host::gas`]).
    Syscall,
    /// `ebreak`, illegal instructions, fetches outside code: they only fault.
    Trap,
}

impl Class {
    /// The cost of one instruction of this class.
    pub const fn cost(self) -> Gas {
        match self {
            Class::Alu => 1,
            Class::Mul => 3,
            Class::Div => 8,
            Class::Load => 2,
            Class::Store => 2,
            Class::Branch => 2,
            Class::Jump => 2,
            Class::Atomic => 4,
            Class::Syscall => SYSCALL,
            Class::Trap => 0,
        }
    }
}

/// Base cost of an `ecall`, before the host's own charge.
pub const SYSCALL: Gas = 20;

/// Cost of the first touch (read or write) of a 4 KiB page that the ELF file
/// does not back: stack, heap, `.bss`. File-backed pages are part of the
/// program and are not charged by a run.
pub const PAGE: Gas = 128;

/// In the riscv-tests runner's Zifencei mode only (never for contracts),
/// what `fence.i` costs per 4 KiB page of code on top of its class: it
/// looks at all of the code for changes and re-translates it if any.
pub const FENCE_I_PAGE: Gas = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meter_charges_only_what_is_left_and_lends_the_rest() {
        let mut m = Meter::new(10);
        assert!(!m.charge(11));
        assert_eq!(m.left(), 10);
        assert!(m.charge(4));
        let mut chunk = m.lend(100);
        assert_eq!((m.left(), chunk.left()), (0, 6));
        assert!(chunk.charge(5));
        m.repay(chunk);
        m.refund(2);
        assert_eq!(m.left(), 3);
    }
}
