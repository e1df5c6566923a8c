//! Any bytes as RV32 code: the machine must never panic, always stop within
//! its gas, and run the same way twice.
//!
//! Input: the first byte picks the gas limit (16 * (byte + 1)); the rest is
//! the code segment (R-X at 0x10000, entry at its start), and also the
//! initial contents of a read-write data page at 0x20000.
#![no_main]

use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, ExitOnly, Machine, Program};
use libfuzzer_sys::fuzz_target;

const CODE: u32 = 0x10000;
const DATA: u32 = 0x20000;

/// An ELF32 RISC-V executable with `code` (R-X) and `data` (RW-, one page).
fn elf(code: &[u8], data: &[u8]) -> Vec<u8> {
    let header: [(usize, &[u8]); 10] = [
        (0, b"\x7fELF\x01\x01\x01"),
        (16, &2u16.to_le_bytes()),   // ET_EXEC
        (18, &243u16.to_le_bytes()), // EM_RISCV
        (20, &1u32.to_le_bytes()),   // EV_CURRENT
        (24, &CODE.to_le_bytes()),   // e_entry
        (28, &52u32.to_le_bytes()),  // e_phoff
        (40, &52u16.to_le_bytes()),  // e_ehsize
        (42, &32u16.to_le_bytes()),  // e_phentsize
        (44, &2u16.to_le_bytes()),   // e_phnum
        (52 + 64, &[]),
    ];
    let mut out = vec![0u8; 52 + 64];
    for (at, bytes) in header {
        out[at..at + bytes.len()].copy_from_slice(bytes);
    }
    let code_at = out.len() as u32;
    out.extend_from_slice(code);
    out.resize(out.len().next_multiple_of(4), 0);
    let data_at = out.len() as u32;
    out.extend_from_slice(data);
    // (p_offset, p_vaddr, p_filesz, p_memsz, p_flags = PF_R|PF_X or PF_R|PF_W)
    let segments = [
        (code_at, CODE, code.len() as u32, code.len() as u32, 5u32),
        (data_at, DATA, data.len() as u32, 4096, 6),
    ];
    for (k, (offset, vaddr, filesz, memsz, flags)) in segments.into_iter().enumerate() {
        let fields = [1, offset, vaddr, vaddr, filesz, memsz, flags, 4];
        for (f, v) in fields.into_iter().enumerate() {
            let at = 52 + 32 * k + 4 * f;
            out[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    out
}

fuzz_target!(|input: &[u8]| {
    let Some((&gas, code)) = input.split_first() else {
        return;
    };
    let code = &code[..code.len() / 4 * 4];
    if code.is_empty() {
        return;
    }
    let gas = 16 * (gas as u64 + 1);
    let data = &code[..code.len().min(4096)];
    let program = Arc::new(
        Program::from_elf(&elf(code, data), &ElfLimits::default()).expect("a well-formed ELF"),
    );
    let run = || {
        let mut machine = Machine::new(program.clone(), &Config::default()).expect("fits");
        let outcome = machine.run(&mut ExitOnly, gas);
        assert!(machine.gas_used() <= gas);
        let regs: Vec<u32> = (0..32).map(|r| machine.reg(r)).collect();
        (outcome, machine.pc(), machine.gas_used(), regs)
    };
    assert_eq!(run(), run(), "two runs of the same code differ");
});
