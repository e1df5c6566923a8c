//! avm's instruction tests (tests/riscv-tests, assembly in the riscv-tests
//! `p` environment style, built by its Makefile) through the riscv-tests
//! runner: each must pass, and every way of not passing must be reported.

mod common;

use avm_rv32::riscv_tests::{run, Outcome, RiscvTestError};
use avm_rv32::FaultCause;

const GAS: u64 = 10_000_000;

macro_rules! passes {
    ($($name:ident => $file:literal,)*) => {$(
        #[test]
        fn $name() {
            let report = run(include_bytes!(concat!("riscv-tests/", $file)), GAS)
                .unwrap_or_else(|e| panic!("{}: {e}", $file));
            assert_eq!(report.outcome, Outcome::Pass, "{}", $file);
            assert!(report.gas_used > 0);
        }
    )*};
}

passes! {
    simple => "rv32ui-p-simple.elf",
    alu => "rv32ui-p-alu.elf",
    memory => "rv32ui-p-mem.elf",
    control => "rv32ui-p-control.elf",
    muldiv => "rv32um-p-muldiv.elf",
    atomics => "rv32ua-p-atomics.elf",
    // Linked like the standard environment: .tohost, .text and .data in one
    // RWX segment, split by the runner.
    rwx_segment => "rwx-segment.elf",
    // Linked like the current standard environment: one segment with flags
    // 0, laid out by the runner.
    flags0_segment => "flags0-segment.elf",
}

#[test]
fn code_changes_take_effect_at_fence_i() {
    // The test patches an instruction of its own .text (as the official
    // fence_i test does): the old one runs until fence.i, the new one after.
    let report = run(include_bytes!("riscv-tests/rwx-writes-code.elf"), GAS).unwrap();
    assert_eq!(report.outcome, Outcome::Pass);
}

/// `fence.i`.
const FENCE_I: u32 = 0x0000_100f;

#[test]
fn fence_i_pays_for_a_look_at_every_page_of_code() {
    use avm_rv32::gas::FENCE_I_PAGE;
    use avm_rv32::{ElfLimits, Program};
    let nop = common::addi(0, 0, 0);
    let with = |word: u32| {
        let mut code = vec![word, common::addi(common::A0, 0, 0)];
        code.extend(common::EXIT);
        env_test(&code)
    };
    let fenced = with(FENCE_I);
    // In the runner every segment is code: its pages are the image's.
    let segments = Program::from_elf(&fenced, &ElfLimits::default())
        .unwrap()
        .segments()
        .to_vec();
    let span = segments.last().unwrap().end() - segments[0].vaddr as u64;
    let pages = span.div_ceil(4096);
    let plain = run(&with(nop), GAS).unwrap().gas_used;
    let used = run(&fenced, GAS).unwrap().gas_used;
    assert_eq!(used, plain + pages * FENCE_I_PAGE);
    // One gas short of the fence.i (the exit after it costs 22): the test
    // stops at the fence.i.
    let short = used - 22 - 1;
    assert_eq!(
        run(&fenced, short).unwrap_err(),
        RiscvTestError::OutOfGas {
            limit: short,
            pc: common::TEXT
        }
    );
}

#[test]
fn a_failing_case_is_reported_by_number() {
    let report = run(include_bytes!("riscv-tests/fails-case-3.elf"), GAS).unwrap();
    assert_eq!(report.outcome, Outcome::Fail { test: 3 });
}

#[test]
fn tohost_carries_pass_and_fail() {
    let pass = run(include_bytes!("riscv-tests/tohost-pass.elf"), GAS).unwrap();
    assert_eq!(pass.outcome, Outcome::Pass);
    let fail = run(include_bytes!("riscv-tests/tohost-fail-case-5.elf"), GAS).unwrap();
    assert_eq!(fail.outcome, Outcome::Fail { test: 5 });
}

#[test]
fn not_an_elf_is_an_error() {
    assert!(matches!(run(&[], GAS), Err(RiscvTestError::Elf(_))));
}

/// The environment's words, hand-encoded, around a test body.
fn env_test(body: &[u32]) -> Vec<u8> {
    common::elf(body)
}

#[test]
fn spinning_without_a_signal_runs_out_of_gas() {
    // `j .`: a jump to itself, forever.
    let err = run(&env_test(&[common::jal(0, 0)]), 50_000).unwrap_err();
    assert_eq!(
        err,
        RiscvTestError::OutOfGas {
            limit: 50_000,
            pc: common::TEXT
        }
    );
}

#[test]
fn gas_left_below_the_next_instruction_cost_ends_the_test() {
    // `li a7, 93` (1 gas), then `ecall` (20): a limit of 10 leaves 9, less
    // than the ecall costs, so the runner must stop, not retry forever.
    let err = run(&env_test(&common::EXIT), 10).unwrap_err();
    assert_eq!(
        err,
        RiscvTestError::OutOfGas {
            limit: 10,
            pc: common::TEXT + 4
        }
    );
}

#[test]
fn a_fault_fails_the_test() {
    // A not-taken branch as the last instruction of the code: running off
    // the end of code is a fault at the first address past it.
    let code = [common::beq(common::ZERO, common::RA, 8)];
    let mut elf_code = common::li(common::RA, 1).to_vec();
    elf_code.extend(code);
    match run(&env_test(&elf_code), GAS).unwrap_err() {
        RiscvTestError::Fault(f) => {
            assert_eq!(f.cause, FaultCause::NoCode);
            assert_eq!(f.pc, common::TEXT + 12);
        }
        e => panic!("{e}"),
    }
}

#[test]
fn exit_codes_that_are_even_are_malformed() {
    let mut code = common::li(common::A0, 4).to_vec();
    code.extend(common::EXIT);
    assert_eq!(
        run(&env_test(&code), GAS).unwrap_err(),
        RiscvTestError::BadCode {
            code: 4,
            via: "ecall"
        }
    );
}

#[test]
fn csr_emulation() {
    use common::{add, li, ori, slli, A0, A1, A2, A3, EXIT, T0, T1, ZERO};
    // csrrw x0, mscratch(0x340), t0; csrrs a1, mscratch, x0; csrrwi x0, mscratch, 5;
    // csrrci a2, mscratch, 1; csrrs a3, mscratch, x0; exit(a1 == 7 ? ... )
    let csr = |f3: u32, rd: u8, src: u8, num: u32| {
        num << 20 | (src as u32) << 15 | f3 << 12 | (rd as u32) << 7 | 0x73
    };
    let mut code = li(T0, 7).to_vec();
    code.extend([
        csr(1, ZERO, T0, 0x340),
        csr(2, A1, ZERO, 0x340),
        csr(5, ZERO, 5, 0x340),
        csr(7, A2, 1, 0x340),
        csr(2, A3, ZERO, 0x340),
        csr(2, T1, ZERO, 0xf14), // mhartid reads 0
        // a0 = a1 + a2 * 16 + a3 * 256 + t1, checked as an odd "failing case"
        slli(A2, A2, 4),
        slli(A3, A3, 8),
        add(A0, A1, A2),
        add(A0, A0, A3),
        add(A0, A0, T1),
        slli(A0, A0, 1),
        ori(A0, A0, 1),
    ]);
    code.extend(EXIT);
    // a1 = 7, a2 = 5, a3 = 4: case 7 + 80 + 1024.
    assert_eq!(
        run(&env_test(&code), GAS).unwrap().outcome,
        Outcome::Fail {
            test: 7 + 5 * 16 + 4 * 256
        }
    );
    // A write to a read-only CSR (`unimp` is csrrw x0, cycle, x0) is illegal.
    let unimp = 0xc000_1073;
    assert_eq!(
        run(&env_test(&[unimp]), GAS).unwrap_err(),
        RiscvTestError::Fault(avm_rv32::Fault {
            pc: common::TEXT,
            cause: FaultCause::IllegalInstruction { word: unimp }
        })
    );
}
