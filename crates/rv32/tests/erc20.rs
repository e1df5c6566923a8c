//! The ERC-20 example end to end, in C (contracts/erc20.c) and in Rust
//! (contracts-rs/erc20): the same behaviour, receipts and state, checked on
//! both.

mod chain;
mod rust_common;

use avm_rv32::contract::{Event, Status, TxKind};
use chain::*;
use rust_common::*;

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

fn setup(code: &[u8], supply: [u8; 32]) -> (Env, [u8; 32]) {
    let mut env = Env::new();
    let token = env.deploy_with(addr(1), code, supply.to_vec());
    (env, token)
}

fn balance(env: &mut Env, token: [u8; 32], who: [u8; 32]) -> Vec<u8> {
    env.ok(addr(9), token, input(BALANCE_OF, &[who]))
        .return_data
}

#[test]
fn the_constructor_mints_the_supply_to_the_deployer() {
    for (lang, code) in ERC20S {
        let mut env = Env::new();
        let deploy = TxKind::Deploy {
            code: code.to_vec(),
            input: u256(500).to_vec(),
        };
        let r = env.send(addr(3), 0, deploy);
        assert_eq!(r.status, Status::Success, "{lang}");
        let token: [u8; 32] = r.return_data.try_into().unwrap();
        assert_eq!(
            r.events,
            vec![Event {
                address: token,
                topics: vec![topic("Transfer"), [0; 32], addr(3)],
                data: u256(500).to_vec(),
            }],
            "{lang}"
        );
        assert_eq!(balance(&mut env, token, addr(3)), u256(500), "{lang}");
        let supply = env.ok(addr(9), token, input(TOTAL_SUPPLY, &[])).return_data;
        assert_eq!(supply, u256(500), "{lang}");
        env.ok(addr(3), token, input(MINT, &[addr(4), u256(1)]));
        assert_eq!(balance(&mut env, token, addr(4)), u256(1), "{lang}");
        let deploy = TxKind::Deploy {
            code: code.to_vec(),
            input: vec![1, 2, 3],
        };
        let r = env.send(addr(3), 0, deploy);
        assert_eq!(reason(&r), "missing argument", "{lang}");
        let missing = avm_rv32::contract::deploy_address(&addr(3), 2);
        assert_eq!(env.chain.state().account(&missing), None, "{lang}");
    }
}

#[test]
fn transfer_moves_256_bit_amounts_and_emits_an_event() {
    for (lang, code) in ERC20S {
        let big = [0xab; 32];
        let (mut env, token) = setup(code, big);
        let r = env.ok(addr(1), token, input(TRANSFER, &[addr(2), u256(1 << 100)]));
        assert_eq!(
            r.events,
            vec![Event {
                address: token,
                topics: vec![topic("Transfer"), addr(1), addr(2)],
                data: u256(1 << 100).to_vec(),
            }],
            "{lang}"
        );
        assert_eq!(balance(&mut env, token, addr(2)), u256(1 << 100), "{lang}");
        let mut left = big;
        left[12] -= 0x10;
        assert_eq!(balance(&mut env, token, addr(1)), left, "{lang}");
        // A transfer to oneself changes nothing but still logs.
        let r = env.ok(addr(2), token, input(TRANSFER, &[addr(2), u256(5)]));
        assert_eq!(r.events.len(), 1, "{lang}");
        assert_eq!(balance(&mut env, token, addr(2)), u256(1 << 100), "{lang}");
    }
}

#[test]
fn errors_revert_with_the_c_messages_and_change_nothing() {
    for (lang, code) in ERC20S {
        let (mut env, token) = setup(code, u256(100));
        let r = env.call(addr(2), token, input(TRANSFER, &[addr(3), u256(1)]));
        assert_eq!(reason(&r), "insufficient balance", "{lang}");
        assert!(r.events.is_empty());
        assert_eq!(env.chain.state().account(&token).unwrap().storage.len(), 3);
        let r = env.call(addr(2), token, input(MINT, &[addr(2), u256(1)]));
        assert_eq!(reason(&r), "not the owner", "{lang}");
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
    for (lang, code) in ERC20S {
        let (mut env, token) = setup(code, U256_MAX);
        let r = env.call(addr(1), token, input(MINT, &[addr(2), u256(1)]));
        assert_eq!(reason(&r), "overflow", "{lang}");
        // Selector 1 (the old `init`) is gone: the constructor mints.
        let r = env.call(addr(1), token, input(1, &[u256(1)]));
        assert_eq!(reason(&r), "unknown selector", "{lang}");
    }
}

#[test]
fn approve_and_transfer_from_spend_the_allowance() {
    for (lang, code) in ERC20S {
        let (mut env, token) = setup(code, u256(1000));
        let r = env.ok(addr(1), token, input(APPROVE, &[addr(2), u256(300)]));
        assert_eq!(
            r.events[0].topics,
            vec![topic("Approval"), addr(1), addr(2)],
            "{lang}"
        );
        env.ok(
            addr(2),
            token,
            input(TRANSFER_FROM, &[addr(1), addr(3), u256(200)]),
        );
        assert_eq!(balance(&mut env, token, addr(3)), u256(200), "{lang}");
        let left = env.ok(addr(9), token, input(ALLOWANCE, &[addr(1), addr(2)]));
        assert_eq!(left.return_data, u256(100), "{lang}");
        let r = env.call(
            addr(2),
            token,
            input(TRANSFER_FROM, &[addr(1), addr(3), u256(101)]),
        );
        assert_eq!(reason(&r), "insufficient allowance", "{lang}");
    }
}

#[test]
fn two_runs_reproduce_the_state_root_and_receipts() {
    for (lang, code) in ERC20S {
        let run = || {
            let (mut env, token) = setup(code, u256(1 << 120));
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
        assert_eq!(a, b, "{lang}");
        assert_eq!(
            avm_rv32::contract::Receipt::decode(&a.1[4]).unwrap().status,
            Status::Reverted,
            "{lang}"
        );
    }
}

/// One scripted session: every receipt and the final state, with the
/// contract's own address and code hash taken out.
fn session(code: &[u8]) -> Vec<(Status, Vec<u8>, Vec<Event>)> {
    let (mut env, token) = setup(code, u256(1 << 120));
    let mut calls = vec![
        input(APPROVE, &[addr(5), u256(50)]),
        input(TRANSFER_FROM, &[addr(1), addr(6), u256(60)]),
        input(BALANCE_OF, &[addr(1)]),
    ];
    for i in 2..6u8 {
        calls.push(input(TRANSFER, &[addr(i), u256(i as u128)]));
    }
    calls.push(input(TRANSFER, &[addr(1), u256(1)]));
    let mut out = Vec::new();
    for (i, c) in calls.into_iter().enumerate() {
        let from = if i == 1 { addr(5) } else { addr(1) };
        let r = env.call(from, token, c);
        let events = r
            .events
            .iter()
            .map(|e| Event {
                address: [0; 32],
                ..e.clone()
            })
            .collect();
        out.push((r.status, r.return_data, events));
    }
    let storage = env.chain.state().account(&token).unwrap().storage.clone();
    out.push((Status::Success, format!("{storage:?}").into_bytes(), vec![]));
    out
}

#[test]
fn both_languages_give_the_same_receipts_and_storage() {
    assert_eq!(session(ERC20), session(RUST_ERC20));
}

#[test]
fn rust_transfer_gas_and_elf_size_stay_near_c() {
    let transfer_gas = |code: &[u8]| {
        let (mut env, token) = setup(code, u256(1000));
        env.ok(addr(1), token, input(TRANSFER, &[addr(2), u256(1)]));
        env.ok(addr(1), token, input(TRANSFER, &[addr(2), u256(1)]))
            .gas_used
    };
    let (c, rust) = (transfer_gas(ERC20), transfer_gas(RUST_ERC20));
    println!("erc20 transfer gas: c {c}, rust {rust}");
    for (lang, code) in ERC20S {
        let r = Env::new().send(
            addr(1),
            0,
            TxKind::Deploy {
                code: code.to_vec(),
                input: u256(1000).to_vec(),
            },
        );
        println!(
            "{lang} erc20: {} bytes, deploy {} gas",
            code.len(),
            r.gas_used
        );
    }
    assert!(rust * 2 <= c * 3, "rust {rust} > 1.5 x c {c}");
    assert!(RUST_ERC20.len() <= 2 * ERC20.len());
}
