//! The single-step tracer: a traced run ends where, how and with the gas
//! an untraced one does, and reports every instruction it paid for.

use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, ExitOnly, FaultCause, Gas, Instr, Machine, Op, Program, Tracer};

/// Records what the tracer is told.
#[derive(Default)]
struct Log {
    before: Vec<(u32, Op)>,
    after: Vec<Gas>,
    /// x10 before the last instruction and after it.
    a0: (u32, u32),
}

impl Tracer for Log {
    fn before(&mut self, pc: u32, instr: &Instr, regs: &[u32; 32]) {
        self.before.push((pc, instr.op));
        self.a0.0 = regs[10];
    }
    fn after(&mut self, regs: &[u32; 32], gas_used: Gas) {
        self.after.push(gas_used);
        self.a0.1 = regs[10];
    }
}

fn program() -> Arc<Program> {
    let elf = include_bytes!("fixtures/checksum.elf");
    Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap())
}

#[test]
fn a_traced_run_ends_as_the_plain_one_at_any_gas() {
    let program = program();
    // Around the first page allocations (128 gas each) and well past them.
    for gas in (0..600).chain([5_000, 77_777, 1_000_000]) {
        let mut plain = Machine::new(program.clone(), &Config::default()).unwrap();
        let mut traced = plain.clone();
        let mut log = Log::default();
        let a = plain.run(&mut ExitOnly, gas);
        let b = traced.run_traced(&mut ExitOnly, gas, &mut log);
        assert_eq!(a, b, "gas {gas}");
        assert_eq!(
            (plain.pc(), plain.gas_used()),
            (traced.pc(), traced.gas_used()),
            "gas {gas}"
        );
        // Every instruction paid for is reported once, in order, with the
        // gas used so far; the one stopped for gas is announced only.
        assert!(log.after.windows(2).all(|w| w[0] <= w[1]), "gas {gas}");
        assert_eq!(log.after.last().copied().unwrap_or(0), traced.gas_used());
        let stopped = matches!(b, Err(f) if f.cause == FaultCause::OutOfGas);
        assert_eq!(
            log.before.len(),
            log.after.len() + stopped as usize,
            "gas {gas}"
        );
        if let Some(&(pc, _)) = log.before.first() {
            assert_eq!(pc, program.entry());
        }
    }
}

#[test]
fn a_run_traced_to_its_exit_sees_the_ecall_last() {
    let mut machine = Machine::new(program(), &Config::default()).unwrap();
    let mut log = Log::default();
    let exit = machine
        .run_traced(&mut ExitOnly, 100_000_000, &mut log)
        .unwrap();
    assert_eq!(log.before.last().map(|b| b.1), Some(Op::Ecall));
    assert_eq!(log.after.last(), Some(&exit.gas_used));
    assert_eq!(log.a0.1, exit.code);
}
