//! Observing a run instruction by instruction ([`Machine::run_traced`],
//! `avm rv32 run --trace`), as Alu's tracer does.
//!
//! A traced run takes the general path for every instruction, paying for
//! each on its own, so it ends exactly where and how an untraced run with
//! the same gas does, with the same gas used.
//!
//! [`Machine::run_traced`]: crate::Machine::run_traced

use crate::decode::Instr;
use crate::gas::Gas;

/// Observes a run step by step. The default methods do nothing.
///
/// ```
/// use std::sync::Arc;
/// use avm_rv32::{Config, ElfLimits, ExitOnly, Gas, Instr, Machine, Program, Tracer};
/// /// Counts the instructions that ran.
/// struct Count(u64);
/// impl Tracer for Count {
///     fn after(&mut self, _regs: &[u32; 32], _gas_used: Gas) {
///         self.0 += 1;
///     }
/// }
/// let elf = include_bytes!("../tests/fixtures/checksum.elf");
/// let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
/// let mut traced = Machine::new(program.clone(), &Config::default()).unwrap();
/// let mut count = Count(0);
/// let exit = traced.run_traced(&mut ExitOnly, 100_000, &mut count).unwrap_err();
/// let mut plain = Machine::new(program, &Config::default()).unwrap();
/// assert_eq!(plain.run(&mut ExitOnly, 100_000).unwrap_err(), exit);
/// assert_eq!((traced.gas_used(), traced.pc()), (plain.gas_used(), plain.pc()));
/// assert!(count.0 > 10_000);
/// ```
pub trait Tracer {
    /// Whether the tracer observes anything; `false` lets the run take its
    /// fast path and skip the calls.
    const ACTIVE: bool = true;

    /// Called before each instruction, with its address, the instruction
    /// and the registers x0..x31.
    fn before(&mut self, _pc: u32, _instr: &Instr, _regs: &[u32; 32]) {}

    /// Called after each instruction the run paid for, the one that ended
    /// it (an `exit`, a fault) included, with the registers and the gas
    /// used so far; not for an instruction the run stopped before for lack
    /// of gas.
    fn after(&mut self, _regs: &[u32; 32], _gas_used: Gas) {}
}

/// A tracer that observes nothing: [`crate::Machine::run`].
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTrace;

impl Tracer for NoTrace {
    const ACTIVE: bool = false;
}
