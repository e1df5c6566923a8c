//! Rust and C contracts calling each other, rollback across them, and
//! panics in Rust contracts as reverts with their message
//! (contracts-rs/probe, contracts/probe.c, the ERC-20s).

mod chain;
mod rust_common;

use avm_rv32::contract::{Address, Status, TxKind};
use chain::*;
use rust_common::*;

const TRANSFER: u32 = 2;
const BALANCE_OF: u32 = 5;

/// contracts-rs/probe's relay(target, revert_after) with raw calldata.
fn rust_relay(target: Address, revert_after: bool, raw: &[u8]) -> Vec<u8> {
    let mut v = input(1, &[target, u256(revert_after as u128)]);
    v.extend_from_slice(raw);
    v
}

/// contracts/probe.c's relay(target, window 0..32) with raw calldata.
fn c_relay(target: Address, raw: &[u8]) -> Vec<u8> {
    let mut window = [0; 32];
    window[4] = 32;
    let mut v = input(3, &[target, window]);
    v.extend_from_slice(raw);
    v
}

fn balance(env: &mut Env, token: Address, who: Address) -> u128 {
    let r = env
        .ok(addr(9), token, input(BALANCE_OF, &[who]))
        .return_data;
    u128::from_le_bytes(r[..16].try_into().unwrap())
}

#[test]
fn rust_calls_c_which_calls_rust_and_a_revert_at_the_top_undoes_all() {
    let mut env = Env::new();
    let token = env.deploy_with(addr(1), RUST_ERC20, u256(1000).to_vec());
    let c_probe = env.deploy(addr(1), PROBE);
    let rust_probe = env.deploy(addr(1), RUST_PROBE);
    env.ok(addr(1), token, input(TRANSFER, &[c_probe, u256(100)]));

    // Rust probe -> C probe -> Rust token: the C probe pays 40 to addr(7).
    let pay = input(TRANSFER, &[addr(7), u256(40)]);
    let inner = c_relay(token, &pay);
    let r = env.ok(addr(1), rust_probe, rust_relay(c_probe, false, &inner));
    // status 0 (ok), and the C probe returned 8 bytes of header + 0 copied.
    assert_eq!(r.return_data[..4], 0u32.to_le_bytes());
    assert_eq!(r.return_data[32..36], 8u32.to_le_bytes());
    assert_eq!(r.events.len(), 1, "the token's Transfer");
    assert_eq!(r.events[0].address, token);
    assert_eq!(balance(&mut env, token, addr(7)), 40);
    assert_eq!(balance(&mut env, token, c_probe), 60);
    assert_eq!(
        env.chain.state().storage(&rust_probe, b"status"),
        Some(&1u32.to_le_bytes()[..])
    );

    // The same, but the Rust probe panics after the nested calls returned:
    // its own write and every callee's effect (the token transfer two
    // frames down) are rolled back; the panic's message is the receipt's.
    let root = env.chain.state().root();
    let r = env.call(addr(1), rust_probe, rust_relay(c_probe, true, &inner));
    assert_eq!(reason(&r), "reverting after the call");
    assert!(r.events.is_empty());
    assert_eq!(balance(&mut env, token, addr(7)), 40);
    assert_eq!(balance(&mut env, token, c_probe), 60);
    assert_eq!(
        env.chain.state().storage(&rust_probe, b"status"),
        Some(&1u32.to_le_bytes()[..])
    );
    assert_ne!(env.chain.state().root(), root, "only nonces moved");
}

#[test]
fn a_reverting_callee_is_rolled_back_and_the_rust_caller_goes_on() {
    let mut env = Env::new();
    let token = env.deploy_with(addr(1), ERC20, u256(1000).to_vec());
    let rust_probe = env.deploy(addr(1), RUST_PROBE);
    // The C token reverts: the Rust probe holds no tokens.
    let pay = input(TRANSFER, &[addr(7), u256(1)]);
    let r = env.ok(addr(1), rust_probe, rust_relay(token, false, &pay));
    assert_eq!(r.return_data[..4], 1u32.to_le_bytes(), "reverted");
    let len = "insufficient balance".len() as u32;
    assert_eq!(r.return_data[32..36], len.to_le_bytes());
    assert_eq!(
        env.chain.state().storage(&rust_probe, b"status"),
        Some(&2u32.to_le_bytes()[..])
    );
    // A Rust callee that panics: reverted (1) with its message's length.
    let other = env.deploy(addr(1), RUST_PROBE);
    let r = env.ok(
        addr(1),
        rust_probe,
        rust_relay(other, false, &input(2, &[])),
    );
    assert_eq!(r.return_data[..4], 1u32.to_le_bytes());
    assert_eq!(r.return_data[32..36], 4u32.to_le_bytes(), "\"boom\"");
}

#[test]
fn typed_calls_decode_the_return_data_or_say_it_is_not_the_type() {
    let mut env = Env::new();
    let token = env.deploy_with(addr(1), ERC20, u256(1000).to_vec());
    let c_probe = env.deploy(addr(1), PROBE);
    let rust_probe = env.deploy(addr(1), RUST_PROBE);
    // The C token's balance_of answers one u256.
    let r = env.ok(addr(2), rust_probe, input(5, &[token, addr(1)]));
    assert_eq!(r.return_data, [u256(1), u256(1000)].concat());
    // The C probe's selector 5 answers 8 bytes: not a u256.
    let r = env.ok(addr(2), rust_probe, input(5, &[c_probe, addr(1)]));
    assert_eq!(r.return_data, [u256(0), u256(0)].concat());
    // No contract there: the call succeeds with no return data, not a u256.
    let r = env.ok(addr(2), rust_probe, input(5, &[addr(0x77), addr(1)]));
    assert_eq!(r.return_data, [u256(0), u256(0)].concat());
}

#[test]
fn the_hash_precompiles_answer_a_rust_contract() {
    use avm_rv32::contract::precompile::{blake3, keccak256, sha256};
    let mut env = Env::new();
    let probe = env.deploy(addr(1), RUST_PROBE);
    for data in [&b""[..], b"abc", &[7; 300]] {
        let mut calldata = input(6, &[]);
        calldata.extend_from_slice(data);
        let r = env.ok(addr(2), probe, calldata);
        let expected = [sha256(data), keccak256(data), blake3(data)].concat();
        assert_eq!(r.return_data, expected);
    }
}

#[test]
fn panics_revert_with_their_message() {
    let mut env = Env::new();
    let probe = env.deploy(addr(1), RUST_PROBE);
    assert_eq!(reason(&env.call(addr(1), probe, input(2, &[]))), "boom");
    // A bounds check's panic carries a formatted message: without the SDK's
    // fmt-panic feature it is "panic".
    assert_eq!(
        env.ok(addr(1), probe, input(3, &[u256(1)])).return_data,
        u256(20)
    );
    assert_eq!(
        reason(&env.call(addr(1), probe, input(3, &[u256(3)]))),
        "panic"
    );
    // Bad arguments: a bool that is not 0 or 1, a u32 with high bytes set.
    let r = env.call(addr(1), probe, input(1, &[addr(2), u256(2)]));
    assert_eq!(reason(&r), "bad argument");
    let r = env.call(addr(1), probe, input(3, &[u256(1 << 40)]));
    assert_eq!(reason(&r), "bad argument");
    assert_eq!(
        reason(&env.call(addr(1), probe, input(9, &[]))),
        "unknown selector"
    );
}

#[test]
fn with_fmt_panic_formatted_messages_are_the_reverts() {
    let mut env = Env::new();
    let c = env.deploy(addr(1), RUST_PANICS);
    let r = env.call(addr(1), c, input(1, &[]));
    assert_eq!(reason(&r), "a literal message");
    let r = env.call(addr(1), c, input(2, &[u256(42)]));
    assert_eq!(reason(&r), "x is 42");
    let r = env.call(addr(1), c, input(3, &[u256(0)]));
    assert_eq!(reason(&r), "no value");
    assert_eq!(
        env.ok(addr(1), c, input(3, &[u256(9)])).return_data,
        u256(9)
    );
    // A message past 256 bytes is cut there.
    let r = env.call(addr(1), c, input(4, &[]));
    assert_eq!(reason(&r), format!("{:0>256}", ""));
}

#[test]
fn the_context_reaches_a_rust_contract() {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 1000);
    let probe = env.deploy(addr(1), RUST_PROBE);
    let r = env.send(
        addr(1),
        300,
        TxKind::Call {
            to: probe,
            input: input(4, &[]),
        },
    );
    assert_eq!(r.status, Status::Success, "{r:?}");
    let w = |i: usize| &r.return_data[32 * i..32 * i + 32];
    let num = |i: usize| u128::from_le_bytes(w(i)[..16].try_into().unwrap());
    assert_eq!(w(0), addr(1), "caller");
    assert_eq!(w(1), addr(1), "origin");
    assert_eq!(num(5), 300, "call value");
    assert_eq!(num(6), 300, "own balance, the value included");
    let gas_left = num(7) as u64;
    assert!(gas_left > 0 && gas_left < GAS);
    assert_eq!(r.return_data.len(), 8 * 32);
}
