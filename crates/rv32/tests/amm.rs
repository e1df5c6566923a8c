//! The AMM example (contracts/amm.c) trading two ERC-20 tokens
//! (contracts/erc20.c) end to end, and a reentrancy attempt
//! (contracts/reenter.c).

mod chain;

use avm_rv32::contract::Address;
use chain::*;

const TRANSFER: u32 = 2;
const APPROVE: u32 = 3;
const BALANCE_OF: u32 = 5;

const INIT: u32 = 1;
const ADD: u32 = 2;
const REMOVE: u32 = 3;
const SWAP: u32 = 4;
const RESERVES: u32 = 5;
const SHARES_OF: u32 = 6;

struct Pool {
    env: Env,
    t0: Address,
    t1: Address,
    amm: Address,
}

const LP: u8 = 1;
const TRADER: u8 = 2;

fn num(bytes: &[u8]) -> u128 {
    assert!(bytes[16..32].iter().all(|&b| b == 0));
    u128::from_le_bytes(bytes[..16].try_into().unwrap())
}

impl Pool {
    fn new() -> Pool {
        let mut env = Env::new();
        let t0 = env.deploy_token(addr(LP), u256(1_000_000_000));
        let t1 = env.deploy_token(addr(LP), u256(1_000_000_000));
        let amm = env.deploy(addr(LP), AMM);
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

#[test]
fn liquidity_goes_in_and_out_through_the_tokens() {
    let mut p = Pool::new();
    let r = p
        .env
        .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(400_000)]));
    assert_eq!(num(&r.return_data), 100_000);
    // The deposit emitted two token Transfer events, from the tokens.
    assert_eq!(
        r.events.iter().map(|e| e.address).collect::<Vec<_>>(),
        vec![p.t0, p.t1]
    );
    assert_eq!(p.reserves(), (100_000, 400_000));
    assert_eq!(p.balance(p.t0, p.amm), 100_000);
    let r = p.env.ok(addr(LP), p.amm, input(REMOVE, &[u256(25_000)]));
    assert_eq!(
        (num(&r.return_data[..32]), num(&r.return_data[32..])),
        (25_000, 100_000)
    );
    assert_eq!(p.reserves(), (75_000, 300_000));
    let left = p.env.ok(addr(9), p.amm, input(SHARES_OF, &[addr(LP)]));
    assert_eq!(num(&left.return_data), 75_000);
    let r = p.env.call(addr(TRADER), p.amm, input(REMOVE, &[u256(1)]));
    assert_eq!(reason(&r), "insufficient shares");
}

#[test]
fn swap_pays_the_constant_product_price_within_the_slippage_bound() {
    let mut p = Pool::new();
    p.env
        .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(100_000)]));
    let expected = 1000 * 997 * 100_000 / (100_000 * 1000 + 1000 * 997); // 987
                                                                         // Asking for one more than the price gives: slippage, nothing moves.
    let r = p.env.call(
        addr(TRADER),
        p.amm,
        input(SWAP, &[u256(0), u256(1000), u256(expected + 1)]),
    );
    assert_eq!(reason(&r), "slippage");
    assert_eq!(p.balance(p.t0, addr(TRADER)), 1_000_000);
    let r = p.env.ok(
        addr(TRADER),
        p.amm,
        input(SWAP, &[u256(0), u256(1000), u256(expected)]),
    );
    assert_eq!(num(&r.return_data), expected);
    assert_eq!(p.balance(p.t0, addr(TRADER)), 1_000_000 - 1000);
    assert_eq!(p.balance(p.t1, addr(TRADER)), 1_000_000 + expected);
    assert_eq!(p.reserves(), (101_000, 100_000 - expected));
    // And back the other way.
    p.env.ok(
        addr(TRADER),
        p.amm,
        input(SWAP, &[u256(1), u256(500), u256(1)]),
    );
    assert_eq!(p.balance(p.t1, addr(TRADER)), 1_000_000 + expected - 500);
}

#[test]
fn a_failed_token_pull_reverts_the_whole_swap() {
    let mut p = Pool::new();
    p.env
        .ok(addr(LP), p.amm, input(ADD, &[u256(100_000), u256(100_000)]));
    // A trader with no tokens and no allowance.
    let r = p
        .env
        .call(addr(7), p.amm, input(SWAP, &[u256(0), u256(10), u256(1)]));
    assert_eq!(reason(&r), "token call failed");
    assert_eq!(p.reserves(), (100_000, 100_000));
}

#[test]
fn reentering_the_exchange_from_a_token_is_blocked() {
    let mut env = Env::new();
    let evil = env.deploy(addr(LP), REENTER);
    let t1 = env.deploy_token(addr(LP), u256(1_000_000));
    let amm = env.deploy(addr(LP), AMM);
    env.ok(addr(LP), t1, input(APPROVE, &[amm, u256(1_000_000)]));
    env.ok(addr(LP), evil, input(100, &[amm]));
    env.ok(addr(LP), amm, input(INIT, &[evil, t1]));
    // Adding liquidity calls evil.transfer_from, which tries to swap.
    env.ok(addr(LP), amm, input(ADD, &[u256(1000), u256(1000)]));
    let status = env.chain.state().storage(&evil, b"r").unwrap();
    assert_eq!(status, 1u32.to_le_bytes(), "the reentrant swap reverted");
    let r = env.ok(addr(9), amm, input(RESERVES, &[])).return_data;
    assert_eq!((num(&r[..32]), num(&r[32..])), (1000, 1000));
}
