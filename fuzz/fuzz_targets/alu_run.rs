//! Any bytes are a program: build a library from the input (code and data),
//! run it, and check the VM's invariants. It must never panic and always end.
#![no_main]

use avm_alu::reg::{AWidth, RegA, RegS};
use avm_alu::{Host, Library, Limits, Program, Reg, Registers, Site, StopReason};
use libfuzzer_sys::fuzz_target;

/// Small enough that every input runs in well under a millisecond.
const COMPLEXITY: u64 = 10_000;

fuzz_target!(|input: &[u8]| {
    let Some((&split, rest)) = input.split_first() else {
        return;
    };
    // The first byte's low bit picks a small jump limit (else the default);
    // its other bits say how much of the rest is code (in 1/128ths).
    let at = rest.len() * usize::from(split >> 1) / 128;
    let (code, data) = rest.split_at(at);
    // Every built-in extension is listed, so their opcodes run rather than fail.
    let mut isa: Vec<String> = avm_alu::isa::BUILTIN_ISA.iter().map(|b| b.id.to_string()).collect();
    isa.sort();
    let Ok(lib) = Library::new(isa, vec![], code.to_vec(), data.to_vec()) else {
        return;
    };
    let program = Program::new(
        [lib.clone()],
        Site {
            lib: lib.id(),
            pos: 0,
        },
        &Host::new(),
    )
    .expect("a library of built-in extensions without imports always starts");
    let limits = Limits {
        complexity: COMPLEXITY,
        jumps: if split & 1 == 1 {
            16
        } else {
            Limits::default().jumps
        },
        ..Limits::default()
    };
    let setup = || {
        let mut regs = Registers::new();
        let mut word = [0u8; 8];
        let n = data.len().min(8);
        word[..n].copy_from_slice(&data[..n]);
        for (i, width) in [AWidth::A8, AWidth::A16, AWidth::A64, AWidth::A1024]
            .into_iter()
            .enumerate()
        {
            regs.set_a_u64(
                RegA {
                    width,
                    idx: i as u8,
                },
                u64::from_le_bytes(word),
            );
        }
        regs.set(Reg::S(RegS(0)), Some(data));
        regs
    };
    let mut regs = setup();
    let out = program.run(&mut regs, &limits);
    assert!(out.ca0 <= limits.complexity, "{out:?}");
    assert!(out.cy0 <= limits.jumps, "{out:?}");
    assert_eq!(out.st0, regs.st0);
    if out.reason != StopReason::Stopped {
        assert!(!out.st0, "{out:?}");
    }
    // Runs are deterministic.
    let mut again = setup();
    assert_eq!(program.run(&mut again, &limits), out);
    assert_eq!(again, regs);
});
