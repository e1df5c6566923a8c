//! The ERC-20 example (contracts/erc20.c) end to end.

mod chain;

use avm_rv32::contract::{Event, Status, TxKind};
use chain::*;

const TRANSFER: u32 = 2;
const APPROVE: u32 = 3;
const TRANSFER_FROM: u32 = 4;
const BALANCE_OF: u32 = 5;
const ALLOWANCE: u32 = 6;
const TOTAL_SUPPLY: u32 = 7;
const MINT: u32 = 8;

fn topic(name: &str) -> [u8; 32] {
    let mut t = [0; 32];
    t[..name.len()].copy_from_slice(name.as_bytes());
    t
}

fn setup(supply: [u8; 32]) -> (Env, [u8; 32]) {
    let mut env = Env::new();
    let token = env.deploy_token(addr(1), supply);
    (env, token)
}

fn balance(env: &mut Env, token: [u8; 32], who: [u8; 32]) -> Vec<u8> {
    env.ok(addr(9), token, input(BALANCE_OF, &[who]))
        .return_data
}

#[test]
fn the_constructor_mints_the_supply_to_the_deployer() {
    let mut env = Env::new();
    let deploy = TxKind::Deploy {
        code: ERC20.to_vec(),
        input: u256(500).to_vec(),
    };
    let r = env.send(addr(3), 0, deploy);
    assert_eq!(r.status, Status::Success);
    let token: [u8; 32] = r.return_data.try_into().unwrap();
    assert_eq!(
        r.events,
        vec![Event {
            address: token,
            topics: vec![topic("Transfer"), [0; 32], addr(3)],
            data: u256(500).to_vec(),
        }]
    );
    assert_eq!(balance(&mut env, token, addr(3)), u256(500));
    let supply = env.ok(addr(9), token, input(TOTAL_SUPPLY, &[])).return_data;
    assert_eq!(supply, u256(500));
    // The deployer is the owner.
    env.ok(addr(3), token, input(MINT, &[addr(4), u256(1)]));
    assert_eq!(balance(&mut env, token, addr(4)), u256(1));
    // Without the supply the deploy fails, and no token exists.
    let deploy = TxKind::Deploy {
        code: ERC20.to_vec(),
        input: vec![1, 2, 3],
    };
    let r = env.send(addr(3), 0, deploy);
    assert_eq!(reason(&r), "missing argument");
    let missing = avm_rv32::contract::deploy_address(&addr(3), 2);
    assert_eq!(env.chain.state().account(&missing), None);
}

#[test]
fn transfer_moves_256_bit_amounts_and_emits_an_event() {
    let big = [0xab; 32]; // far beyond 128 bits
    let (mut env, token) = setup(big);
    assert_eq!(balance(&mut env, token, addr(1)), big);
    let r = env.ok(addr(1), token, input(TRANSFER, &[addr(2), u256(1 << 100)]));
    assert_eq!(
        r.events,
        vec![Event {
            address: token,
            topics: vec![topic("Transfer"), addr(1), addr(2)],
            data: u256(1 << 100).to_vec(),
        }]
    );
    assert_eq!(balance(&mut env, token, addr(2)), u256(1 << 100));
    let mut left = big;
    left[12] -= 0x10; // 0xab.. minus 2^100 (bit 4 of byte 12)
    assert_eq!(balance(&mut env, token, addr(1)), left);
    let supply = env.ok(addr(9), token, input(TOTAL_SUPPLY, &[])).return_data;
    assert_eq!(supply, big);
}

#[test]
fn overdraft_reverts_and_changes_nothing() {
    let (mut env, token) = setup(u256(100));
    let root = env.chain.state().root();
    let r = env.call(addr(2), token, input(TRANSFER, &[addr(3), u256(1)]));
    assert_eq!(reason(&r), "insufficient balance");
    assert!(r.events.is_empty());
    assert_eq!(balance(&mut env, token, addr(1)), u256(100));
    // Only the senders' nonces moved.
    assert_ne!(env.chain.state().root(), root);
    assert_eq!(env.chain.state().account(&token).unwrap().storage.len(), 3);
}

#[test]
fn approve_and_transfer_from_spend_the_allowance() {
    let (mut env, token) = setup(u256(1000));
    let r = env.ok(addr(1), token, input(APPROVE, &[addr(2), u256(300)]));
    assert_eq!(
        r.events[0].topics,
        vec![topic("Approval"), addr(1), addr(2)]
    );
    env.ok(
        addr(2),
        token,
        input(TRANSFER_FROM, &[addr(1), addr(3), u256(200)]),
    );
    assert_eq!(balance(&mut env, token, addr(3)), u256(200));
    let left = env.ok(addr(9), token, input(ALLOWANCE, &[addr(1), addr(2)]));
    assert_eq!(left.return_data, u256(100));
    let r = env.call(
        addr(2),
        token,
        input(TRANSFER_FROM, &[addr(1), addr(3), u256(101)]),
    );
    assert_eq!(reason(&r), "insufficient allowance");
    let r = env.call(
        addr(4),
        token,
        input(TRANSFER_FROM, &[addr(1), addr(4), u256(1)]),
    );
    assert_eq!(reason(&r), "insufficient allowance");
}

#[test]
fn minting_past_2_256_overflows() {
    let (mut env, token) = setup(U256_MAX);
    let r = env.call(addr(1), token, input(MINT, &[addr(2), u256(1)]));
    assert_eq!(reason(&r), "overflow");
    let r = env.call(addr(2), token, input(MINT, &[addr(2), u256(1)]));
    assert_eq!(reason(&r), "not the owner");
    // Selector 1 (the old `init`) is gone: the constructor mints.
    let r = env.call(addr(1), token, input(1, &[u256(1)]));
    assert_eq!(reason(&r), "unknown selector");
}

#[test]
fn bad_calldata_reverts() {
    let (mut env, token) = setup(u256(1));
    assert_eq!(reason(&env.call(addr(1), token, vec![])), "no selector");
    assert_eq!(
        reason(&env.call(addr(1), token, input(99, &[]))),
        "unknown selector"
    );
    assert_eq!(
        reason(&env.call(addr(1), token, input(TRANSFER, &[addr(2)]))),
        "missing argument"
    );
}

#[test]
fn two_runs_reproduce_the_state_root_and_receipts() {
    let run = || {
        let (mut env, token) = setup(u256(1 << 120));
        let mut receipts = Vec::new();
        for i in 2..6u8 {
            receipts.push(
                env.call(addr(1), token, input(TRANSFER, &[addr(i), u256(i as u128)]))
                    .encode(),
            );
        }
        receipts.push(
            env.call(addr(7), token, input(TRANSFER, &[addr(1), u256(1)]))
                .encode(),
        );
        (env.chain.state().root(), receipts)
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(
        avm_rv32::contract::Receipt::decode(&a.1[4]).unwrap().status,
        Status::Reverted
    );
}
