//! Gas: per-class costs, exact stops, page and syscall charges.

mod common;
use avm_rv32::gas::{self, Class};
use avm_rv32::{ExitOnly, FaultCause, Host, Memory, SyscallOutcome};
use common::*;

const EXIT_COST: u64 = 1 + gas::SYSCALL; // li a7, 93; ecall

#[test]
fn straight_line_costs_add_up() {
    let mut code = vec![
        addi(A0, ZERO, 1),
        mul(A1, A0, A0),
        divu(A1, A0, A0),
        lw(A2, SP, -4),
        sw(A2, SP, -4),
    ];
    code.extend(EXIT);
    // The stack page is touched by the store; the load of an untouched page is free.
    let want = 1 + 3 + 8 + 2 + 2 + EXIT_COST + gas::PAGE;
    assert_eq!(Class::Mul.cost() + Class::Div.cost(), 11);
    let (m, r) = run_gas(&code, u64::MAX);
    assert_eq!(r.unwrap().gas_used, want);
    assert_eq!(m.gas_used(), want);
}

#[test]
fn stops_exactly_before_the_instruction_it_cannot_pay_for() {
    let mut code = vec![addi(A0, ZERO, 1); 10];
    code.extend(EXIT);
    let need = 10 + EXIT_COST;
    assert!(run_gas(&code, need).1.is_ok());
    for limit in 0..need {
        let (m, r) = run_gas(&code, limit);
        let f = r.unwrap_err();
        assert_eq!(f.cause, FaultCause::OutOfGas);
        let paid = limit.min(11);
        assert_eq!(m.gas_used(), paid, "limit {limit}");
        assert_eq!(f.pc, TEXT + 4 * paid as u32, "limit {limit}");
        assert_eq!(m.reg(A7), if limit >= 11 { 93 } else { 0 });
    }
}

#[test]
fn a_fault_mid_block_charges_up_to_the_faulting_instruction() {
    let (m, r) = run_gas(
        &[
            addi(A0, ZERO, 1),
            lw(A0, ZERO, 0),
            addi(A0, ZERO, 1),
            addi(A0, ZERO, 1),
        ],
        1000,
    );
    assert_eq!(r.unwrap_err().cause, FaultCause::LoadAccess { addr: 0 });
    assert_eq!(m.gas_used(), 3);
}

#[test]
fn pages_are_charged_once_on_first_write() {
    let code = [
        sw(A0, SP, -4),
        sw(A0, SP, -8),
        lui(T0, 1),
        sub(T0, SP, T0),
        sw(A0, T0, -4),
        addi(A7, ZERO, 93),
        ECALL,
    ];
    let want = 3 * 2 + 2 + 2 * gas::PAGE + EXIT_COST;
    let (m, r) = run_gas(&code, u64::MAX);
    assert_eq!(r.unwrap().gas_used, want);
    assert_eq!(
        m.memory().resident_pages(),
        2 + 1 /* text */ + 1 /* rodata */
    );
    // One gas short: the second page cannot be paid for. Neither the store
    // nor its page is charged, so resumed with more gas the store pays once.
    let (mut m, r) = run_gas(&code, want - EXIT_COST - 1);
    let f = r.unwrap_err();
    assert_eq!((f.pc, f.cause), (TEXT + 16, FaultCause::OutOfGas));
    assert_eq!(m.gas_used(), 2 * 2 + 2 + gas::PAGE);
    let before = m.gas_used();
    m.run(&mut ExitOnly, u64::MAX).unwrap();
    assert_eq!(before + m.gas_used(), want);
}

struct Priced(u64);
impl Host for Priced {
    fn gas(&self, _: u32, _: &[u32; 6]) -> u64 {
        self.0
    }
    fn syscall(
        &mut self,
        num: u32,
        args: [u32; 6],
        mem: &mut Memory,
        _gas_left: u64,
    ) -> Result<SyscallOutcome, FaultCause> {
        if num == 93 {
            return Ok(SyscallOutcome::Halt(args[0]));
        }
        mem.write(args[0], &[1])?;
        Ok(SyscallOutcome::Return(0))
    }
}

/// Syscall 1 answers the gas left (lo, hi), at a price of 50.
struct Meter;
impl Host for Meter {
    fn gas(&self, num: u32, _: &[u32; 6]) -> u64 {
        if num == 1 {
            50
        } else {
            0
        }
    }
    fn syscall(
        &mut self,
        num: u32,
        args: [u32; 6],
        _: &mut Memory,
        gas_left: u64,
    ) -> Result<SyscallOutcome, FaultCause> {
        match num {
            1 => Ok(SyscallOutcome::Return2(
                gas_left as u32,
                (gas_left >> 32) as u32,
            )),
            _ => Ok(SyscallOutcome::Halt(args[0])),
        }
    }
}

#[test]
fn the_host_sees_the_gas_left_after_the_ecall_and_its_price() {
    let mut code = vec![addi(A0, ZERO, 7), addi(A7, ZERO, 1), ECALL];
    code.extend(EXIT);
    let before = 1 + 1 + gas::SYSCALL + 50;
    for limit in [before + EXIT_COST, 1_000, (5 << 32) + 1_000, u64::MAX] {
        let mut m = machine(&code);
        let exit = m.run(&mut Meter, limit).unwrap();
        let left = limit - before;
        assert_eq!(exit.code, left as u32, "limit {limit}");
        assert_eq!(m.reg(A1), (left >> 32) as u32, "limit {limit}");
        assert_eq!(exit.gas_used, before + EXIT_COST);
    }
}

#[test]
fn syscalls_pay_base_host_and_page_costs() {
    let mut code = li(A0, avm_rv32::STACK_TOP - 4).to_vec();
    code.extend([addi(A7, ZERO, 1), ECALL]);
    code.extend(EXIT);
    let want = 2 + 1 + gas::SYSCALL + 50 + gas::PAGE + EXIT_COST + 50;
    let mut m = machine(&code);
    assert_eq!(m.run(&mut Priced(50), u64::MAX).unwrap().gas_used, want);
    // Not enough for the host's price: the syscall does not run.
    let mut m = machine(&code);
    let f = m
        .run(&mut Priced(50), 2 + 1 + gas::SYSCALL + 49)
        .unwrap_err();
    assert_eq!((f.pc, f.cause), (TEXT + 12, FaultCause::OutOfGas));
    assert_eq!(m.memory().resident_pages(), 2);
}

#[test]
fn gas_used_never_exceeds_the_limit_in_a_loop() {
    let code = [
        addi(A0, A0, 1),
        mul(A1, A0, A0),
        sw(A1, SP, -4),
        bne(A0, ZERO, -12),
    ];
    for limit in [0, 1, 2, 5, 130, 131, 132, 1_000, 12_345] {
        let mut m = machine(&code);
        assert_eq!(
            m.run(&mut ExitOnly, limit).unwrap_err().cause,
            FaultCause::OutOfGas
        );
        assert!(m.gas_used() <= limit);
        assert!(
            m.gas_used() + 8 > limit || limit < gas::PAGE + 8,
            "stopped early at {limit}: {}",
            m.gas_used()
        );
    }
}
