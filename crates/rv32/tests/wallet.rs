//! The signature-checking wallet, in C (contracts/wallet.c) and in Rust
//! (contracts-rs/wallet), with ed25519 and secp256k1 keys.

mod chain;
mod rust_common;

use avm_rv32::contract::{precompile::sha256, Address, Status, TxKind};
use chain::*;
use rust_common::*;

fn order(wallet: &Address, nonce: u64, to: &Address, amount: u128) -> [u8; 32] {
    let mut msg = wallet.to_vec();
    msg.extend_from_slice(&nonce.to_le_bytes());
    msg.extend_from_slice(to);
    msg.extend_from_slice(&amount.to_le_bytes());
    sha256(&msg)
}

fn pay(to: &Address, amount: u128, sig: &[u8; 64]) -> Vec<u8> {
    let mut v = 2u32.to_le_bytes().to_vec();
    v.extend_from_slice(to);
    v.extend_from_slice(&amount.to_le_bytes());
    v.extend_from_slice(sig);
    v
}

fn init(kind: u8, key: &[u8]) -> Vec<u8> {
    let mut v = 1u32.to_le_bytes().to_vec();
    v.push(kind);
    v.extend_from_slice(key);
    v
}

/// A wallet running `code`, funded with 1000 and holding `key`.
fn wallet(code: &[u8], kind: u8, key: &[u8]) -> (Env, Address) {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 1000);
    let w = env.deploy(addr(1), code);
    env.ok(addr(1), w, init(kind, key));
    let r = env.send(
        addr(1),
        1000,
        TxKind::Call {
            to: w,
            input: vec![],
        },
    );
    assert_eq!(r.status, Status::Success);
    (env, w)
}

#[test]
fn ed25519_orders_pay_once_and_forgeries_do_not() {
    use ed25519_dalek::Signer as _;
    let sk = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    for (lang, code) in WALLETS {
        let (mut env, w) = wallet(code, 0, &sk.verifying_key().to_bytes());
        let sig = sk.sign(&order(&w, 0, &addr(3), 300)).to_bytes();
        env.ok(addr(8), w, pay(&addr(3), 300, &sig));
        assert_eq!(env.chain.state().balance(&addr(3)), 300, "{lang}");
        assert_eq!(env.chain.state().balance(&w), 700, "{lang}");
        assert_eq!(
            reason(&env.call(addr(8), w, pay(&addr(3), 300, &sig))),
            "bad signature",
            "{lang}"
        );
        let sig = sk.sign(&order(&w, 1, &addr(3), 10)).to_bytes();
        assert_eq!(
            reason(&env.call(addr(8), w, pay(&addr(3), 11, &sig))),
            "bad signature",
            "{lang}"
        );
        assert_eq!(
            reason(&env.call(addr(8), w, pay(&addr(4), 10, &sig))),
            "bad signature",
            "{lang}"
        );
        let sig = sk.sign(&order(&w, 1, &addr(3), 701)).to_bytes();
        assert_eq!(
            reason(&env.call(addr(8), w, pay(&addr(3), 701, &sig))),
            "insufficient funds",
            "{lang}"
        );
        let mut short = pay(&addr(3), 1, &sig);
        short.pop();
        assert_eq!(reason(&env.call(addr(8), w, short)), "bad order", "{lang}");
        let nonce = env.ok(addr(8), w, 3u32.to_le_bytes().to_vec()).return_data;
        assert_eq!(nonce, 1u64.to_le_bytes(), "{lang}");
        assert_eq!(
            reason(&env.call(addr(8), w, 9u32.to_le_bytes().to_vec())),
            "unknown selector",
            "{lang}"
        );
    }
}

#[test]
fn rust_pay_gas_stays_near_c() {
    use ed25519_dalek::Signer as _;
    let sk = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let mut gas = Vec::new();
    for (lang, code) in WALLETS {
        let (mut env, w) = wallet(code, 0, &sk.verifying_key().to_bytes());
        let sig = sk.sign(&order(&w, 0, &addr(3), 300)).to_bytes();
        let used = env.ok(addr(8), w, pay(&addr(3), 300, &sig)).gas_used;
        println!("{lang} wallet pay (ed25519): {used} gas");
        gas.push(used);
    }
    assert!(
        gas[1] * 2 <= gas[0] * 3,
        "rust {} > 1.5 x c {}",
        gas[1],
        gas[0]
    );
}

#[test]
fn secp256k1_orders_pay() {
    use k256::ecdsa::{signature::hazmat::PrehashSigner, Signature, SigningKey};
    let sk = SigningKey::from_slice(&[6; 32]).unwrap();
    let key = sk.verifying_key().to_encoded_point(true);
    for (lang, code) in WALLETS {
        let (mut env, w) = wallet(code, 1, key.as_bytes());
        let sig: Signature = sk.sign_prehash(&order(&w, 0, &addr(3), 5)).unwrap();
        let sig: [u8; 64] = sig.to_bytes().into();
        env.ok(addr(8), w, pay(&addr(3), 5, &sig));
        assert_eq!(env.chain.state().balance(&addr(3)), 5, "{lang}");
        assert_eq!(
            reason(&env.call(addr(8), w, pay(&addr(3), 5, &sig))),
            "bad signature",
            "{lang}"
        );
    }
}

#[test]
fn keys_are_checked_at_init() {
    for (lang, code) in WALLETS {
        let mut env = Env::new();
        let w = env.deploy(addr(1), code);
        assert_eq!(
            reason(&env.call(addr(1), w, init(0, &[1; 33]))),
            "bad key",
            "{lang}"
        );
        assert_eq!(
            reason(&env.call(addr(1), w, init(2, &[1; 32]))),
            "bad key",
            "{lang}"
        );
        assert_eq!(
            reason(&env.call(addr(1), w, init(1, &[1; 40]))),
            "bad key",
            "{lang}"
        );
        env.ok(addr(1), w, init(0, &[1; 32]));
        assert_eq!(
            reason(&env.call(addr(1), w, init(0, &[1; 32]))),
            "already initialized",
            "{lang}"
        );
        let storage = env.chain.state().account(&w).unwrap().storage.clone();
        assert_eq!(storage.len(), 1, "{lang}: only the key is stored");
    }
}
