//! The AMM, in C (contracts/amm.c) and in Rust (contracts-rs/amm), each
//! trading tokens in both languages: the four pairings behave the same,
//! so Rust and C contracts call each other in both directions. Also the
//! reentrancy guard against contracts/reenter.c (Rust -> C -> Rust).

mod chain;
mod rust_common;

use avm_rv32::contract::Address;
use chain::*;
use rust_common::*;

const TRANSFER: u32 = 2;
const APPROVE: u32 = 3;
const BALANCE_OF: u32 = 5;

const INIT: u32 = 1;
const ADD: u32 = 2;
const REMOVE: u32 = 3;
const SWAP: u32 = 4;
const RESERVES: u32 = 5;
const SHARES_OF: u32 = 6;

const LP: u8 = 1;
const TRADER: u8 = 2;

struct Pool {
    env: Env,
    t0: Address,
    t1: Address,
    amm: Address,
}

fn num(bytes: &[u8]) -> u128 {
    assert!(bytes[16..32].iter().all(|&b| b == 0));
    u128::from_le_bytes(bytes[..16].try_into().unwrap())
}

impl Pool {
    fn new(amm: &[u8], token: &[u8]) -> Pool {
        let mut env = Env::new();
        let t0 = env.deploy_with(addr(LP), token, u256(1_000_000_000).to_vec());
        let t1 = env.deploy_with(addr(LP), token, u256(1_000_000_000).to_vec());
        let amm = env.deploy(addr(LP), amm);
        for t in [t0, t1] {
            env.ok(
                addr(LP),
                t,
                input(TRANSFER, &[addr(TRADER), u256(1_000_000)]),
            );
            for who in [LP, TRADER] {
                env.ok(addr(who), t, input(APPROVE, &[amm, u256(u128::MAX)]));
            }
        }
        env.ok(addr(LP), amm, input(INIT, &[t0, t1]));
        Pool { env, t0, t1, amm }
    }

    fn balance(&mut self, token: Address, who: Address) -> u128 {
        num(&self
            .env
            .ok(addr(9), token, input(BALANCE_OF, &[who]))
            .return_data)
    }

    fn reserves(&mut self) -> (u128, u128) {
        let r = self
            .env
            .ok(addr(9), self.amm, input(RESERVES, &[]))
            .return_data;
        (num(&r[..32]), num(&r[32..]))
    }
}

/// Every (AMM, token) pairing, named.
fn pairings() -> Vec<(String, &'static [u8], &'static [u8])> {
    let mut out = Vec::new();
    for (a, amm) in AMMS {
        for (t, token) in ERC20S {
            out.push((format!("{a} amm, {t} tokens"), amm, token));
        }
    }
    out
}

#[test]
fn liquidity_goes_in_and_out_through_the_tokens() {
    for (name, amm, token) in pairings() {
        let mut p = Pool::new(amm, token);
        let r = p
            .env
            .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(400_000)]));
        assert_eq!(num(&r.return_data), 100_000, "{name}");
        assert_eq!(
            r.events.iter().map(|e| e.address).collect::<Vec<_>>(),
            vec![p.t0, p.t1],
            "{name}"
        );
        assert_eq!(p.reserves(), (100_000, 400_000), "{name}");
        assert_eq!(p.balance(p.t0, p.amm), 100_000, "{name}");
        let r = p.env.ok(addr(LP), p.amm, input(REMOVE, &[u256(25_000)]));
        assert_eq!(
            (num(&r.return_data[..32]), num(&r.return_data[32..])),
            (25_000, 100_000),
            "{name}"
        );
        assert_eq!(p.reserves(), (75_000, 300_000), "{name}");
        let left = p.env.ok(addr(9), p.amm, input(SHARES_OF, &[addr(LP)]));
        assert_eq!(num(&left.return_data), 75_000, "{name}");
        let r = p.env.call(addr(TRADER), p.amm, input(REMOVE, &[u256(1)]));
        assert_eq!(reason(&r), "insufficient shares", "{name}");
        let r = p.env.call(addr(LP), p.amm, input(INIT, &[p.t0, p.t1]));
        assert_eq!(reason(&r), "already initialized", "{name}");
    }
}

#[test]
fn swap_pays_the_constant_product_price_within_the_slippage_bound() {
    for (name, amm, token) in pairings() {
        let mut p = Pool::new(amm, token);
        p.env
            .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(100_000)]));
        let expected = 1000 * 997 * 100_000 / (100_000 * 1000 + 1000 * 997);
        let r = p.env.call(
            addr(TRADER),
            p.amm,
            input(SWAP, &[u256(0), u256(1000), u256(expected + 1)]),
        );
        assert_eq!(reason(&r), "slippage", "{name}");
        assert_eq!(p.balance(p.t0, addr(TRADER)), 1_000_000, "{name}");
        let r = p.env.ok(
            addr(TRADER),
            p.amm,
            input(SWAP, &[u256(0), u256(1000), u256(expected)]),
        );
        assert_eq!(num(&r.return_data), expected, "{name}");
        assert_eq!(p.balance(p.t0, addr(TRADER)), 1_000_000 - 1000, "{name}");
        assert_eq!(
            p.balance(p.t1, addr(TRADER)),
            1_000_000 + expected,
            "{name}"
        );
        assert_eq!(p.reserves(), (101_000, 100_000 - expected), "{name}");
        p.env.ok(
            addr(TRADER),
            p.amm,
            input(SWAP, &[u256(1), u256(500), u256(1)]),
        );
        assert_eq!(
            p.balance(p.t1, addr(TRADER)),
            1_000_000 + expected - 500,
            "{name}"
        );
    }
}

#[test]
fn a_failed_token_pull_reverts_the_whole_swap() {
    for (name, amm, token) in pairings() {
        let mut p = Pool::new(amm, token);
        p.env
            .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(100_000)]));
        let root = p.env.chain.state().account(&p.amm).unwrap().storage.clone();
        let r = p
            .env
            .call(addr(7), p.amm, input(SWAP, &[u256(0), u256(10), u256(1)]));
        assert_eq!(reason(&r), "token call failed", "{name}");
        assert_eq!(p.reserves(), (100_000, 100_000), "{name}");
        // The lock taken before the token call is rolled back too.
        assert_eq!(
            p.env.chain.state().account(&p.amm).unwrap().storage,
            root,
            "{name}"
        );
        let r = p.env.call(
            addr(TRADER),
            p.amm,
            input(SWAP, &[u256(0), u256(0), u256(0)]),
        );
        assert_eq!(reason(&r), "zero amount", "{name}");
    }
}

#[test]
fn reentering_the_exchange_from_a_token_is_blocked() {
    for (name, amm, token) in pairings() {
        let mut env = Env::new();
        let evil = env.deploy(addr(LP), REENTER);
        let t1 = env.deploy_with(addr(LP), token, u256(1_000_000).to_vec());
        let amm = env.deploy(addr(LP), amm);
        env.ok(addr(LP), t1, input(APPROVE, &[amm, u256(1_000_000)]));
        env.ok(addr(LP), evil, input(100, &[amm]));
        env.ok(addr(LP), amm, input(INIT, &[evil, t1]));
        // Adding liquidity calls evil.transfer_from (C), which calls back
        // into the exchange's swap: that inner call reverts, the rest holds.
        env.ok(addr(LP), amm, input(ADD, &[u256(1000), u256(1000)]));
        let status = env.chain.state().storage(&evil, b"r").unwrap();
        assert_eq!(
            status,
            1u32.to_le_bytes(),
            "{name}: the reentrant swap reverted"
        );
        let r = env.ok(addr(9), amm, input(RESERVES, &[])).return_data;
        assert_eq!((num(&r[..32]), num(&r[32..])), (1000, 1000), "{name}");
    }
}

#[test]
fn gas_side_by_side() {
    let mut gas = Vec::new();
    for (name, amm, token) in pairings() {
        let mut p = Pool::new(amm, token);
        p.env.ok(
            addr(LP),
            p.amm,
            input(ADD, &[u256(100_000_000), u256(100_000_000)]),
        );
        p.env.ok(
            addr(TRADER),
            p.amm,
            input(SWAP, &[u256(0), u256(1000), u256(1)]),
        );
        let swap = p
            .env
            .ok(
                addr(TRADER),
                p.amm,
                input(SWAP, &[u256(1), u256(1000), u256(1)]),
            )
            .gas_used;
        println!("{name}: swap {swap} gas");
        gas.push(swap);
    }
    // The Rust exchange with Rust tokens against the C one with C tokens.
    let (c, rust) = (gas[0], gas[3]);
    assert!(rust * 2 <= c * 3, "rust swap {rust} > 1.5 x c {c}");
}
