//! Rollback: a frame that faults, runs out of gas or reverts leaves no
//! trace, its callees' effects included; the caller survives a failed
//! callee. Uses contracts/faulty.c.

mod chain;

use avm_rv32::contract::{abi::MAX_DEPTH, Status, TxKind};
use chain::*;

const FAULT: u32 = 1;
const SPIN: u32 = 2;
const PROBE: u32 = 3;
const RECURSE: u32 = 4;

/// A selector as a 32-byte argument.
fn word(x: u64) -> [u8; 32] {
    u256(x as u128)
}

/// The root after `sender` spends a nonce on a transaction that does
/// nothing: what a failed transaction must leave.
fn root_after_noop(mut env: Env, sender: [u8; 32]) -> [u8; 32] {
    let r = env.call(sender, addr(0xee), vec![]);
    assert_eq!(r.status, Status::Success);
    env.chain.state().root()
}

#[test]
fn a_fault_mid_call_rolls_back_storage_events_and_value() {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 1000);
    let faulty = env.deploy(addr(1), FAULTY);
    let expected = root_after_noop(
        Env {
            chain: env.chain.clone(),
        },
        addr(1),
    );
    let r = env.send(
        addr(1),
        500,
        TxKind::Call {
            to: faulty,
            input: input(FAULT, &[]),
        },
    );
    let Status::Faulted { pc, cause } = &r.status else {
        panic!("{r:?}")
    };
    assert!(
        *pc >= 0x10000 && cause.contains("load from 0x4"),
        "{pc:#x} {cause}"
    );
    assert!(r.events.is_empty());
    assert!(r.gas_used > 0);
    assert_eq!(env.chain.state().balance(&addr(1)), 1000);
    assert_eq!(env.chain.state().storage(&faulty, b"x"), None);
    assert_eq!(env.chain.state().root(), expected);
}

#[test]
fn running_out_of_gas_uses_all_gas_and_rolls_back() {
    let mut env = Env::new();
    let faulty = env.deploy(addr(1), FAULTY);
    let expected = root_after_noop(
        Env {
            chain: env.chain.clone(),
        },
        addr(1),
    );
    let r = env.call(addr(1), faulty, input(SPIN, &[]));
    assert_eq!(r.status, Status::OutOfGas);
    assert_eq!(r.gas_used, GAS);
    assert_eq!(env.chain.state().root(), expected);
}

#[test]
fn a_caller_survives_its_callees_failure_and_keeps_its_own_writes() {
    let mut env = Env::new();
    let outer = env.deploy(addr(1), FAULTY);
    let inner = env.deploy(addr(1), FAULTY);
    for (selector, status) in [(FAULT, 2u32), (SPIN, 3), (99, 1)] {
        let r = env.ok(
            addr(1),
            outer,
            input(PROBE, &[inner, word(selector as u64), word(1_000_000)]),
        );
        assert_eq!(r.return_data, status.to_le_bytes(), "selector {selector}");
        assert_eq!(
            env.chain.state().storage(&outer, b"status"),
            Some(&status.to_le_bytes()[..])
        );
        assert_eq!(env.chain.state().storage(&outer, b"before"), Some(&[1][..]));
        assert_eq!(env.chain.state().storage(&inner, b"x"), None);
    }
    // The unused budget of a failed callee is refunded; an out-of-gas one
    // used all of its budget.
    let faulted = env.ok(
        addr(1),
        outer,
        input(PROBE, &[inner, word(FAULT as u64), word(1_000_000)]),
    );
    let spun = env.ok(
        addr(1),
        outer,
        input(PROBE, &[inner, word(SPIN as u64), word(1_000_000)]),
    );
    assert!(faulted.gas_used < spun.gas_used);
    assert!(spun.gas_used > 1_000_000);
}

#[test]
fn an_unaffordable_budget_is_out_of_gas_for_the_caller() {
    let mut env = Env::new();
    let outer = env.deploy(addr(1), FAULTY);
    let r = env.call(addr(1), outer, input(PROBE, &[outer, word(5), word(GAS)]));
    assert_eq!(r.status, Status::OutOfGas);
    assert_eq!(env.chain.state().storage(&outer, b"before"), None);
}

#[test]
fn call_depth_is_bounded() {
    let mut env = Env::new();
    let faulty = env.deploy(addr(1), FAULTY);
    env.ok(
        addr(1),
        faulty,
        input(RECURSE, &[word(0), word(GAS - 1_000_000)]),
    );
    let status = |level: u32| {
        let key = [b'L', level as u8, (level >> 8) as u8];
        env.chain
            .state()
            .storage(&faulty, &key)
            .map(|v| u32::from_le_bytes(v.try_into().unwrap()))
    };
    for level in 0..MAX_DEPTH {
        assert_eq!(status(level), Some(0), "level {level}");
    }
    assert_eq!(status(MAX_DEPTH), Some(2), "the call past the limit fails");
    assert_eq!(status(MAX_DEPTH + 1), None);
}

#[test]
fn bad_syscall_arguments_fault_at_the_ecall_naming_the_cause() {
    use avm_rv32::{ElfLimits, Op, Program};
    let program = Program::from_elf(FAULTY, &ElfLimits::default()).unwrap();
    let mut env = Env::new();
    let faulty = env.deploy(addr(1), FAULTY);
    let cases = [
        (0, "syscall memory access: no access to address 0x4"),
        (1, "invalid arguments to syscall 256"),
        (2, "unknown syscall 2457"),
        (3, "invalid arguments to syscall 272"),
        (4, "syscall memory access: no access to address 0x11"),
    ];
    for (kind, expected) in cases {
        let r = env.call(addr(1), faulty, input(5, &[word(kind)]));
        let Status::Faulted { pc, cause } = &r.status else {
            panic!("kind {kind}: {r:?}")
        };
        assert!(cause.starts_with(expected), "kind {kind}: {cause}");
        assert_eq!(
            program.instr_at(*pc).map(|i| i.op),
            Some(Op::Ecall),
            "kind {kind}"
        );
    }
}
