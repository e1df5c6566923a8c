//! The C fixtures (tests/fixtures, rebuilt by its Makefile) run to the
//! checksum that the same C computes natively.

use std::sync::Arc;
use std::time::Instant;

use avm_rv32::{Config, ElfLimits, ExitOnly, FaultCause, Machine, Program};

fn expected() -> Vec<u32> {
    include_str!("fixtures/expected.txt")
        .lines()
        .map(|l| l.parse().unwrap())
        .collect()
}

fn machine(elf: &[u8]) -> Machine {
    let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
    Machine::new(program, &Config::default()).unwrap()
}

#[test]
fn checksum_matches_native() {
    let mut m = machine(include_bytes!("fixtures/checksum.elf"));
    let exit = m.run(&mut ExitOnly, u64::MAX).unwrap();
    assert_eq!(exit.code, expected()[0]);
    assert_eq!(exit.gas_used, m.gas_used());
}

#[test]
fn checksum_is_deterministic_and_gas_exact() {
    let elf = include_bytes!("fixtures/checksum.elf");
    let full = machine(elf).run(&mut ExitOnly, u64::MAX).unwrap().gas_used;
    assert_eq!(
        machine(elf).run(&mut ExitOnly, u64::MAX).unwrap().gas_used,
        full
    );
    // Exactly enough gas: runs; one less: out of gas, having used no more than allowed.
    assert!(machine(elf).run(&mut ExitOnly, full).is_ok());
    let mut m = machine(elf);
    let fault = m.run(&mut ExitOnly, full - 1).unwrap_err();
    assert_eq!(fault.cause, FaultCause::OutOfGas);
    assert!(m.gas_used() < full);
    // Every limit below the need stops cleanly, within the limit.
    for limit in (0..full).step_by(997) {
        let mut m = machine(elf);
        assert_eq!(
            m.run(&mut ExitOnly, limit).unwrap_err().cause,
            FaultCause::OutOfGas
        );
        assert!(m.gas_used() <= limit);
    }
}

#[test]
fn work_matches_native() {
    let mut m = machine(include_bytes!("fixtures/work.elf"));
    assert_eq!(m.run(&mut ExitOnly, u64::MAX).unwrap().code, expected()[1]);
}

#[test]
fn bench_matches_native() {
    // The benchmark workload (crates/bench, `--bench rv32`), ~10^8 instructions.
    let mut m = machine(include_bytes!("fixtures/bench.elf"));
    assert_eq!(m.run(&mut ExitOnly, u64::MAX).unwrap().code, expected()[2]);
}

/// Instructions `work.elf` executes: its inner loop is 26 instructions
/// (`riscv64-unknown-elf-objdump -d work.elf`, `work` from 0x1006c to the
/// `bgeu` at 0x100d0) run 2,500,000 times; the rest is a few thousand.
const WORK_INSTRUCTIONS: f64 = 65.0e6;

/// `cargo test --release -p avm-rv32 --test fixtures -- --ignored --nocapture`
#[test]
#[ignore]
fn speed() {
    let elf = include_bytes!("fixtures/work.elf");
    let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
    for _ in 0..5 {
        let mut m = Machine::new(program.clone(), &Config::default()).unwrap();
        let t = Instant::now();
        let exit = m.run(&mut ExitOnly, u64::MAX).unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "work.elf: {secs:.3} s, gas {}, ~{:.0} M instr/s",
            exit.gas_used,
            WORK_INSTRUCTIONS / secs / 1e6
        );
    }
}
