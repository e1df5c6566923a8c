//! Every guest misbehaviour ends the run with a typed fault; nothing panics or hangs.

mod common;
use avm_rv32::{Config, ExitOnly, FaultCause, Host, Memory, SyscallOutcome};
use common::*;

#[test]
fn illegal_instructions() {
    for word in [
        0,
        0xffff_ffff,
        0x3000_2573,           /* csrr a0, mstatus */
        0x0000_4501,           /* c.li a0,0 */
        0x0000_0053,           /* fadd.s */
        0x0200_1013,           /* slli with imm[5] set */
        0x4000_0033 | 1 << 12, /* sll with funct7 0x20 */
        0x0000_2063,           /* branch f3=2 */
    ] {
        let f = fault(&[NOP, word]);
        assert_eq!(
            f.cause,
            FaultCause::IllegalInstruction { word },
            "{word:#x}"
        );
        assert_eq!(f.pc, TEXT + 4);
    }
}

#[test]
fn ebreak_faults() {
    assert_eq!(fault(&[EBREAK]).cause, FaultCause::Breakpoint);
}

#[test]
fn unknown_syscall() {
    let f = fault(&[addi(A7, ZERO, 1000), ECALL]);
    assert_eq!(
        (f.pc, f.cause),
        (TEXT + 4, FaultCause::UnknownSyscall { num: 1000 })
    );
}

#[test]
fn running_off_the_end_of_code() {
    let f = fault(&[NOP, NOP]);
    assert_eq!((f.pc, f.cause), (TEXT + 8, FaultCause::NoCode));
}

#[test]
fn jumping_into_data_or_nowhere() {
    for target in [DATA, RODATA, 0, 0xffff_fffc, avm_rv32::STACK_TOP - 4] {
        let mut code = li(T0, target).to_vec();
        code.push(jalr(RA, T0, 0));
        let f = fault(&code);
        assert_eq!((f.pc, f.cause), (target, FaultCause::NoCode), "{target:#x}");
    }
}

#[test]
fn jumping_to_the_end_of_code_or_just_past_it() {
    // The code is three words: `li` (two) and the `jalr`.
    for target in [TEXT + 12, TEXT + 16, TEXT + 20] {
        let mut code = li(T0, target).to_vec();
        code.push(jalr(RA, T0, 0));
        let f = fault(&code);
        assert_eq!((f.pc, f.cause), (target, FaultCause::NoCode), "{target:#x}");
    }
}

#[test]
fn misaligned_jumps_fault_at_the_jump() {
    let mut code = li(T0, TEXT + 2).to_vec();
    code.push(jalr(RA, T0, 0));
    let f = fault(&code);
    assert_eq!(
        (f.pc, f.cause),
        (TEXT + 8, FaultCause::MisalignedJump { target: TEXT + 2 })
    );
    // jal and taken branches to a 2-aligned target (C is not supported).
    assert_eq!(
        fault(&[jal(RA, 6)]).cause,
        FaultCause::MisalignedJump { target: TEXT + 6 }
    );
    assert_eq!(
        fault(&[beq(ZERO, ZERO, 6)]).cause,
        FaultCause::MisalignedJump { target: TEXT + 6 }
    );
    // Not taken: no fault.
    let m = run(&[bne(ZERO, ZERO, 6)]);
    assert_eq!(m.reg(0), 0);
}

#[test]
fn loads_and_stores_outside_permissions() {
    let access = |setup: u32, word: u32| {
        let mut code = li(T0, setup).to_vec();
        code.push(word);
        fault(&code)
    };
    assert_eq!(
        access(0, lw(A0, T0, 0)).cause,
        FaultCause::LoadAccess { addr: 0 }
    );
    assert_eq!(
        access(0x4000_0000, lb(A0, T0, 0)).cause,
        FaultCause::LoadAccess { addr: 0x4000_0000 }
    );
    assert_eq!(
        access(TEXT, sw(A0, T0, 0)).cause,
        FaultCause::StoreAccess { addr: TEXT },
        "code is not writable"
    );
    assert_eq!(
        access(RODATA, sb(A0, T0, 0)).cause,
        FaultCause::StoreAccess { addr: RODATA }
    );
    // A misaligned store straddling into a non-writable page writes nothing.
    let mut code = li(T0, DATA + 4096 - 2).to_vec(); // the data segment is one page
    code.push(sw(T0, T0, 0));
    let mut m = machine(&code);
    let f = m.run(&mut ExitOnly, 1000).unwrap_err();
    assert_eq!(f.cause, FaultCause::StoreAccess { addr: DATA + 4096 });
    let mut b = [9; 2];
    m.memory().read(DATA + 4094, &mut b).unwrap();
    assert_eq!(b, [0, 0]);
    // Code is readable (R-X).
    let mut code = li(T0, TEXT).to_vec();
    code.push(lw(A1, T0, 0));
    let m = run(&code);
    assert_eq!(m.reg(A1), code[0]);
}

#[test]
fn stack_overflow_faults() {
    let f = fault(&[lui(T0, 0x200), sub(SP, SP, T0), sw(A0, SP, 0)]);
    assert_eq!(
        f.cause,
        FaultCause::StoreAccess {
            addr: avm_rv32::STACK_TOP - 0x20_0000
        }
    );
}

#[test]
fn resident_memory_limit() {
    // Touch one new stack page per iteration until the limit.
    let code = [lui(T0, 1), sub(SP, SP, T0), sw(A0, SP, 0), jal(ZERO, -8)];
    let config = Config {
        max_resident_pages: 8,
        ..Config::default()
    };
    let mut m = machine_with(&code, &[], &config);
    let f = m.run(&mut ExitOnly, u64::MAX).unwrap_err();
    assert!(matches!(f.cause, FaultCause::MemoryLimit { .. }), "{f}");
    assert_eq!(m.memory().resident_pages(), 8);
}

#[test]
fn jump_to_self_runs_until_gas_is_gone() {
    for word in [jal(ZERO, 0), beq(ZERO, ZERO, 0)] {
        let (m, r) = run_gas(&[word], 1001);
        let f = r.unwrap_err();
        assert_eq!((f.pc, f.cause), (TEXT, FaultCause::OutOfGas));
        assert_eq!(m.gas_used(), 1000, "500 iterations at 2 gas");
    }
    let mut code = li(T0, TEXT + 8).to_vec();
    code.push(jalr(ZERO, T0, 0));
    let (_, r) = run_gas(&code, 10_000);
    assert_eq!(r.unwrap_err().pc, TEXT + 8);
}

struct Chatty;
impl Host for Chatty {
    fn gas(&self, num: u32, _: &[u32; 6]) -> u64 {
        if num == 7 {
            1000
        } else {
            0
        }
    }
    fn syscall(
        &mut self,
        num: u32,
        args: [u32; 6],
        mem: &mut Memory,
        _gas_left: u64,
    ) -> Result<SyscallOutcome, FaultCause> {
        match num {
            93 => Ok(SyscallOutcome::Halt(args[0])),
            1 => Ok(SyscallOutcome::Return2(args[0] + 1, args[1] + 2)),
            2 => {
                mem.write(args[0], b"hello")?;
                Ok(SyscallOutcome::Return(5))
            }
            7 => Ok(SyscallOutcome::Return(0)),
            _ => Err(FaultCause::UnknownSyscall { num }),
        }
    }
}

#[test]
fn host_returns_values_and_faults_on_bad_pointers() {
    let mut code = vec![
        addi(A0, ZERO, 10),
        addi(A1, ZERO, 20),
        addi(A7, ZERO, 1),
        ECALL,
        add(T1, A0, A1),
    ];
    code.extend(EXIT);
    let mut m = machine(&code);
    m.run(&mut Chatty, 10_000).unwrap();
    assert_eq!(m.reg(T1), 33);
    // Writing into code through the host is refused like a guest store.
    let mut code = li(A0, TEXT).to_vec();
    code.extend([addi(A7, ZERO, 2), ECALL]);
    let mut m = machine(&code);
    let f = m.run(&mut Chatty, 10_000).unwrap_err();
    assert_eq!(
        f.cause,
        FaultCause::SyscallMemory(avm_rv32::MemoryError::Denied { addr: TEXT })
    );
}

#[test]
fn exit_resumes_after_the_ecall() {
    let mut code = EXIT.to_vec();
    code.extend([addi(A0, ZERO, 4), ECALL]);
    let mut m = machine(&code);
    m.run(&mut ExitOnly, 1000).unwrap();
    assert_eq!(m.pc(), TEXT + 8);
    assert_eq!(m.run(&mut ExitOnly, 1000).unwrap().code, 4);
}
