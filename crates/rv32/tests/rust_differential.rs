//! Random sessions against the C and the Rust ERC-20, AMM and wallet side by side:
//! every receipt (status, return data, events) and the contracts' storage
//! must be the same. Gas may differ.

mod chain;
mod rust_common;

use std::collections::BTreeMap;

use avm_rv32::contract::{Address, Event, Status};
use chain::*;
use proptest::prelude::*;
use rust_common::*;

/// A receipt without its gas.
type Outcome = (Status, Vec<u8>, Vec<Event>);

/// Amounts biased toward edges: zero, small, near 2^128, all ones.
fn amount() -> impl Strategy<Value = [u8; 32]> {
    prop_oneof![
        Just(u256(0)),
        (1u128..2000).prop_map(u256),
        any::<u128>().prop_map(u256),
        Just(U256_MAX),
    ]
}

/// One ERC-20 call: sender, then calldata over addresses 1..=4.
fn token_call() -> impl Strategy<Value = (u8, Vec<u8>)> {
    let who = 1u8..=4;
    prop_oneof![
        (who.clone(), who.clone(), amount()).prop_map(|(s, to, x)| (s, input(2, &[addr(to), x]))),
        (who.clone(), who.clone(), amount()).prop_map(|(s, sp, x)| (s, input(3, &[addr(sp), x]))),
        (who.clone(), who.clone(), who.clone(), amount())
            .prop_map(|(s, f, t, x)| (s, input(4, &[addr(f), addr(t), x]))),
        (who.clone(), who.clone(), amount()).prop_map(|(s, to, x)| (s, input(8, &[addr(to), x]))),
        (who.clone(), who.clone()).prop_map(|(s, o)| (s, input(5, &[addr(o)]))),
        (who.clone(), who.clone(), who.clone())
            .prop_map(|(s, o, sp)| (s, input(6, &[addr(o), addr(sp)]))),
        who.clone().prop_map(|s| (s, input(7, &[]))),
        (
            who,
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(s, sel, rest)| {
                let mut v = (sel % 10).to_le_bytes().to_vec();
                v.extend(rest);
                (s, v)
            }),
    ]
}

/// Runs `calls` from the deploy of `code`: the outcomes and the storage.
fn token_session(
    code: &[u8],
    supply: [u8; 32],
    calls: &[(u8, Vec<u8>)],
) -> (Vec<Outcome>, BTreeMap<Vec<u8>, Vec<u8>>) {
    let mut env = Env::new();
    let token = env.deploy_with(addr(1), code, supply.to_vec());
    let outcomes = calls
        .iter()
        .map(|(s, c)| {
            let r = env.call(addr(*s), token, c.clone());
            (r.status, r.return_data, r.events)
        })
        .collect();
    let storage = env.chain.state().account(&token).unwrap().storage.clone();
    (outcomes, storage)
}

/// One AMM call from the LP (1) or the trader (2).
fn amm_call() -> impl Strategy<Value = (u8, Vec<u8>)> {
    let small = || (0u128..5000).prop_map(u256);
    prop_oneof![
        (1u8..=2, small(), small()).prop_map(|(s, a, b)| (s, input(2, &[a, b]))),
        (1u8..=2, small()).prop_map(|(s, x)| (s, input(3, &[x]))),
        (1u8..=2, 0u128..2, small(), 0u128..1000)
            .prop_map(|(s, d, x, m)| (s, input(4, &[u256(d), x, u256(m)]))),
        (1u8..=2).prop_map(|s| (s, input(5, &[]))),
        (1u8..=2, 1u8..=3).prop_map(|(s, o)| (s, input(6, &[addr(o)]))),
    ]
}

/// An exchange in `amm` over two tokens in `token`, then `calls`.
fn amm_session(amm: &[u8], token: &[u8], calls: &[(u8, Vec<u8>)]) -> (Vec<Outcome>, Vec<u8>) {
    let mut env = Env::new();
    let t0 = env.deploy_with(addr(1), token, u256(1 << 40).to_vec());
    let t1 = env.deploy_with(addr(1), token, u256(1 << 40).to_vec());
    let amm = env.deploy(addr(1), amm);
    for t in [t0, t1] {
        env.ok(addr(1), t, input(2, &[addr(2), u256(1 << 20)]));
        for who in [1, 2] {
            env.ok(addr(who), t, input(3, &[amm, U256_MAX]));
        }
    }
    env.ok(addr(1), amm, input(1, &[t0, t1]));
    let outcomes = calls
        .iter()
        .map(|(s, c)| {
            let r = env.call(addr(*s), amm, c.clone());
            (r.status, r.return_data, r.events)
        })
        .collect();
    let storage = |a: &Address| format!("{:?}", env.chain.state().account(a).unwrap().storage);
    let all = [storage(&amm), storage(&t0), storage(&t1)].concat();
    (outcomes, all.into_bytes())
}

/// Raw calldata for the wallet: a selector 0..=4 and up to 140 bytes.
fn wallet_call() -> impl Strategy<Value = Vec<u8>> {
    (0u32..5, proptest::collection::vec(any::<u8>(), 0..140)).prop_map(|(sel, rest)| {
        let mut v = sel.to_le_bytes().to_vec();
        v.extend(rest);
        v
    })
}

/// A wallet in `code` funded with 1000, then `calls` (raw calldata).
fn wallet_session(code: &[u8], calls: &[Vec<u8>]) -> (Vec<Outcome>, Vec<u8>) {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 1000);
    let w = env.deploy(addr(1), code);
    let outcomes = calls
        .iter()
        .map(|c| {
            let r = env.call(addr(1), w, c.clone());
            (r.status, r.return_data, r.events)
        })
        .collect();
    let storage = format!("{:?}", env.chain.state().account(&w).unwrap().storage);
    (outcomes, storage.into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_rust_erc20_answers_as_the_c_one(
        supply in amount(),
        calls in proptest::collection::vec(token_call(), 1..16),
    ) {
        prop_assert_eq!(
            token_session(ERC20, supply, &calls),
            token_session(RUST_ERC20, supply, &calls)
        );
    }

    #[test]
    fn the_rust_amm_answers_as_the_c_one(calls in proptest::collection::vec(amm_call(), 1..12)) {
        let c = amm_session(AMM, ERC20, &calls);
        prop_assert_eq!(&c, &amm_session(RUST_AMM, RUST_ERC20, &calls));
        prop_assert_eq!(&c, &amm_session(RUST_AMM, ERC20, &calls));
    }

    #[test]
    fn the_rust_wallet_answers_as_the_c_one(calls in proptest::collection::vec(wallet_call(), 1..8)) {
        prop_assert_eq!(wallet_session(WALLET, &calls), wallet_session(RUST_WALLET, &calls));
    }
}
