//! A wallet that pays out native tokens on a signed order: contracts/wallet.c
//! in Rust. Its calldata is raw bytes, not 32-byte words, so it dispatches
//! by hand (the plain pattern: match on `selector()`) instead of with
//! `contract!`.
//!
//!   (empty)                                   receive: accept the value
//!   1 init(kind u8, key)                      once; kind 0: ed25519 (32-byte
//!                                             key), kind 1: secp256k1
//!                                             (33-byte compressed SEC1 key)
//!   2 pay(to [32], amount u128 LE, sig [64])  if sig signs
//!        h = sha256(self || nonce u64 LE || to || amount)
//!        pays amount to `to` and bumps the nonce
//!   3 nonce() -> u64 LE
#![no_std]
#![no_main]

use avm_sdk::crypto::{ed25519_verify, secp256k1_verify, sha256};
use avm_sdk::env::{input_copy, input_size, return_bytes};
use avm_sdk::storage::{get_raw, set_raw};
use avm_sdk::{revert, selector, self_address, transfer, Address, Value};

const NONCE: Value<u64> = Value::new(b"n");
/// The key: its kind byte, then the key.
const KEY: &[u8] = b"k";

/// Stores the key, once.
fn init(n: usize) {
    let mut key = [0u8; 34];
    if get_raw(KEY, &mut key).is_some() {
        revert("already initialized");
    }
    if n > 4 + key.len() {
        revert("bad key");
    }
    let len = input_copy(&mut key, 4);
    if !(key[0] == 0 && len == 33 || key[0] == 1 && len == 34) {
        revert("bad key");
    }
    set_raw(KEY, &key[..len]);
}

/// Pays a signed order.
fn pay(n: usize) {
    if n != 4 + 32 + 16 + 64 {
        revert("bad order");
    }
    // The signed message: self || nonce || to || amount.
    let mut order = [0u8; 32 + 8 + 32 + 16];
    let mut sig = [0u8; 64];
    let nonce = NONCE.get();
    order[..32].copy_from_slice(&self_address().0);
    order[32..40].copy_from_slice(&nonce.to_le_bytes());
    input_copy(&mut order[40..], 4);
    input_copy(&mut sig, 52);
    let h = sha256(&order);
    let mut key = [0u8; 34];
    if get_raw(KEY, &mut key).is_none() {
        revert("bad key");
    }
    let ok = match key[0] {
        0 => {
            let mut k = [0; 32];
            k.copy_from_slice(&key[1..33]);
            ed25519_verify(&h, &sig, &k)
        }
        _ => secp256k1_verify(&h, &sig, &key[1..34]),
    };
    if !ok {
        revert("bad signature");
    }
    NONCE.set(&(nonce + 1));
    let mut to = [0; 32];
    to.copy_from_slice(&order[40..72]);
    let mut amount = [0; 16];
    amount.copy_from_slice(&order[72..]);
    if transfer(&Address(to), u128::from_le_bytes(amount)).is_err() {
        revert("insufficient funds");
    }
}

/// The call's entry, called by the SDK's `_start`.
#[no_mangle]
pub extern "C" fn __avm_call() -> u32 {
    let n = input_size();
    if n == 0 {
        return 0;
    }
    match selector() {
        1 => init(n),
        2 => pay(n),
        3 => return_bytes(&NONCE.get().to_le_bytes()),
        _ => revert("unknown selector"),
    }
    0
}

/// No constructor: deploying runs nothing.
#[no_mangle]
pub extern "C" fn __avm_deploy() -> u32 {
    0
}
