//! The environment syscalls (context, call value, balance, caller,
//! keccak256, return data windows, storage delete) through
//! contracts/probe.c.

mod chain;

use avm_rv32::contract::{precompile, Address, BlockContext, Status, TxKind};
use chain::*;

#[test]
fn context_value_balance_and_caller_are_reported() {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 100);
    let probe = env.deploy(addr(1), PROBE);
    env.chain.set_block(BlockContext {
        height: 7,
        timestamp: 1_700_000_000,
        chain_id: 42,
    });
    let r = env.send(
        addr(1),
        5,
        TxKind::Call {
            to: probe,
            input: input(1, &[]),
        },
    );
    assert_eq!(r.status, Status::Success);
    let d = r.return_data;
    assert_eq!(d.len(), 120);
    assert_eq!(&d[..8], 7u64.to_le_bytes());
    assert_eq!(&d[8..16], 1_700_000_000u64.to_le_bytes());
    assert_eq!(&d[16..24], 42u64.to_le_bytes());
    assert_eq!(&d[24..56], addr(1), "the origin");
    assert_eq!(&d[56..72], 5u128.to_le_bytes(), "the call value");
    assert_eq!(
        &d[72..88],
        5u128.to_le_bytes(),
        "the balance, value included"
    );
    assert_eq!(&d[88..120], addr(1), "the caller");
    assert_eq!(env.chain.state().balance(&addr(1)), 95);
}

#[test]
fn keccak256_matches_the_precompile() {
    let mut env = Env::new();
    let probe = env.deploy(addr(1), PROBE);
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(b"abc");
    let r = env.ok(addr(1), probe, data);
    assert_eq!(r.return_data, precompile::keccak256(b"abc"));
}

/// Calldata for the probe's `relay`: call `target` with `inner`, then copy
/// `len` bytes of its return data from `offset`.
fn relay(target: Address, offset: u32, len: u32, inner: Vec<u8>) -> Vec<u8> {
    let mut window = [0u8; 32];
    window[..4].copy_from_slice(&offset.to_le_bytes());
    window[4..8].copy_from_slice(&len.to_le_bytes());
    let mut v = input(3, &[target, window]);
    v.extend_from_slice(&inner);
    v
}

#[test]
fn return_data_is_copied_through_a_clipped_window() {
    let mut env = Env::new();
    let probe = env.deploy(addr(1), PROBE);
    let token = env.deploy_token(addr(1), u256(0x0102_0304));
    let relay = |offset, len, inner| relay(token, offset, len, inner);
    // balance_of(addr 1) returns 32 bytes; ask for 8 from offset 1.
    let r = env.ok(addr(1), probe, relay(1, 8, input(5, &[addr(1)])));
    assert_eq!(&r.return_data[..8], [0, 0, 0, 0, 8, 0, 0, 0]);
    assert_eq!(&r.return_data[8..], [3, 2, 1, 0, 0, 0, 0, 0]);
    // From offset 30: two bytes are left; past the end: none.
    let r = env.ok(addr(1), probe, relay(30, 8, input(5, &[addr(1)])));
    assert_eq!(&r.return_data[4..8], 2u32.to_le_bytes());
    let r = env.ok(addr(1), probe, relay(99, 8, input(5, &[addr(1)])));
    assert_eq!(&r.return_data[4..8], 0u32.to_le_bytes());
    // A reverting callee: status 1, its reason is the return data.
    let r = env.ok(addr(1), probe, relay(0, 64, input(99, &[])));
    assert_eq!(&r.return_data[..4], 1u32.to_le_bytes());
    assert_eq!(&r.return_data[8..], b"unknown selector");
}

#[test]
fn delete_reports_whether_the_key_existed() {
    let mut env = Env::new();
    let probe = env.deploy(addr(1), PROBE);
    let mut data = 4u32.to_le_bytes().to_vec();
    data.extend_from_slice(b"some key");
    let r = env.ok(addr(1), probe, data);
    assert_eq!(r.return_data, [1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(env.chain.state().storage(&probe, b"some key"), None);
}

#[test]
fn gas_left_is_the_frame_budget_less_what_it_used_so_far() {
    let mut env = Env::new();
    let probe = env.deploy(addr(1), PROBE);
    let gas_left = |data: &[u8]| u64::from_le_bytes(data.try_into().unwrap());
    // The same code path to the question, so the same gas used before it,
    // whatever the limit (also past 2^32: the high word is answered).
    let mut used_before = Vec::new();
    for limit in [100_000, GAS, (3 << 32) + 17] {
        let call = TxKind::Call {
            to: probe,
            input: input(5, &[]),
        };
        let r = env.send_with_gas(addr(1), 0, limit, call);
        assert_eq!(r.status, Status::Success);
        let left = gas_left(&r.return_data);
        assert!(left < limit && r.gas_used < limit);
        // What was used before the answer, plus what returning it costs.
        assert!(limit - left < r.gas_used, "limit {limit}");
        used_before.push(limit - left);
    }
    assert!(used_before.iter().all(|&u| u == used_before[0]));
    assert!(
        used_before[0] >= avm_rv32::gas::SYSCALL + 10,
        "the question is paid"
    );
    // Asked in a callee, it is the callee's budget (1,000,000) that counts.
    let r = env.ok(addr(1), probe, relay(probe, 0, 8, input(5, &[])));
    assert_eq!(&r.return_data[..8], [0, 0, 0, 0, 8, 0, 0, 0]);
    assert_eq!(gas_left(&r.return_data[8..]), 1_000_000 - used_before[0]);
}
