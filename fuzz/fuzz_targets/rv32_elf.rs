//! Any bytes as an ELF file: the strict loader must never panic, and what it
//! accepts must lay out and run within its gas. The riscv-tests runner's
//! own loading (segments laid out by their sections, writable code) must
//! not panic either.
#![no_main]

use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, ExitOnly, Machine, Program};
use libfuzzer_sys::fuzz_target;

const GAS: u64 = 10_000;

fuzz_target!(|input: &[u8]| {
    if let Ok(report) = avm_rv32::riscv_tests::run(input, GAS) {
        assert!(report.gas_used <= GAS);
    }
    let Ok(program) = Program::from_elf(input, &ElfLimits::default()) else {
        return;
    };
    let (start, end) = program.code_range();
    assert!(start as u64 <= program.entry() as u64 && (program.entry() as u64) < end);
    assert_eq!(program.entry() % 4, 0);
    for pair in program.segments().windows(2) {
        assert!(pair[0].end() <= pair[1].vaddr as u64, "segments overlap or are unsorted");
    }
    let Ok(mut machine) = Machine::new(Arc::new(program), &Config::default()) else {
        return;
    };
    let _ = machine.run(&mut ExitOnly, GAS);
    assert!(machine.gas_used() <= GAS);
});
