//! Throughput of whole contract transactions (frames, syscalls, journal), the
//! C contracts beside their Rust twins:
//! `cargo test --release -p avm-rv32 --test contract_speed -- --ignored --nocapture`

mod chain;
mod rust_common;

use std::time::Instant;

use chain::*;
use rust_common::*;

/// Runs `n` transactions made by `tx`; prints transactions per second and
/// gas per transaction.
fn measure(name: &str, env: &mut Env, n: u32, mut tx: impl FnMut(&mut Env, u32) -> u64) {
    let t = Instant::now();
    let mut gas = 0;
    for i in 0..n {
        gas += tx(env, i);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{name}: {:.0} tx/s, {:.1} us/tx, {} gas/tx",
        n as f64 / secs,
        secs * 1e6 / n as f64,
        gas / n as u64
    );
}

#[test]
#[ignore]
fn throughput() {
    for ((lang, token), (_, amm)) in ERC20S.into_iter().zip(AMMS) {
        let mut env = Env::new();
        let t0 = env.deploy_with(addr(1), token, U256_MAX.to_vec());
        let t1 = env.deploy_with(addr(1), token, U256_MAX.to_vec());
        let amm = env.deploy(addr(1), amm);
        for t in [t0, t1] {
            env.ok(addr(1), t, input(3, &[amm, U256_MAX]));
        }
        env.ok(addr(1), amm, input(1, &[t0, t1]));
        env.ok(addr(1), amm, input(2, &[u256(1 << 100), u256(1 << 100)]));
        measure(
            &format!("{lang} erc20 transfer"),
            &mut env,
            20_000,
            |env, i| {
                let to = addr(2 + (i % 200) as u8);
                env.ok(addr(1), t0, input(2, &[to, u256(1)])).gas_used
            },
        );
        measure(&format!("{lang} amm swap"), &mut env, 5_000, |env, i| {
            let dir = u256((i % 2) as u128);
            env.ok(addr(1), amm, input(4, &[dir, u256(1000), u256(1)]))
                .gas_used
        });
        let root = Instant::now();
        let r = env.chain.state().root();
        println!(
            "{lang}: state root over {} accounts: {:.2} ms ({:02x}{:02x}..)",
            env.chain.state().accounts().len(),
            root.elapsed().as_secs_f64() * 1e3,
            r[0],
            r[1]
        );
    }
}
