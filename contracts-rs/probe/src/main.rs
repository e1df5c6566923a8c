//! A test contract for the SDK's runtime: calls across languages, rollback,
//! panics, the context and the hashes (crates/rv32/tests/rust_interop.rs).
//!
//!   1 relay(target, revert_after: bool) then raw calldata for the target:
//!        calls target with it (all remaining gas but 100,000), stores
//!        status + 1 (u32; 0 ok, 1 reverted, 2 faulted, 3 out of gas) under
//!        "status", then panics with "reverting after the call" if
//!        revert_after, else returns status, return data length
//!   2 boom()           panics with the message "boom"
//!   3 index(i)         reads element i of a 3-element array: past the end
//!                      it is a bounds-check panic, which reverts with "panic"
//!   4 context() -> caller, origin, height, timestamp, chain id, call value,
//!                  own balance, gas left (each one word)
//!   5 balance_in(token, owner) -> ok, balance
//!        a typed call of the token's balance_of (selector 5) with 200,000
//!        gas: ok = false (and 0) if it failed or did not return one u256
//!   6 hashes() then raw bytes -> sha256 || keccak256 || blake3 of the bytes
//!        (at most 512)
#![no_std]
#![no_main]

use avm_sdk::call::call;
use avm_sdk::crypto::{blake3, keccak256, sha256};
use avm_sdk::env::{input_copy, input_size};
use avm_sdk::{balance, block, call_value, caller, gas_left, self_address, Address, Value, U256};

const STATUS: Value<u32> = Value::new(b"status");

avm_sdk::interface! {
    /// The part of an ERC-20 token the probe reads.
    pub struct Token {
        #[selector(5)]
        /// The tokens `owner` holds.
        fn balance_of(owner: Address) -> U256;
    }
}

/// The probe.
pub struct Probe;

avm_sdk::contract! {
    impl Probe {
        #[selector(1)]
        /// Relays the raw calldata after the two arguments to `target`.
        fn relay(target: Address, revert_after: bool) -> (u32, u32) {
            let mut buf = [0u8; 512];
            let n = input_size().saturating_sub(68).min(buf.len());
            input_copy(&mut buf[..n], 68);
            let gas = gas_left().saturating_sub(100_000);
            let (status, ret) = call(&target, &buf[..n], 0, gas);
            let code = match status {
                Ok(()) => 0,
                Err(e) => e as u32 + 1,
            };
            STATUS.set(&(code + 1));
            if revert_after {
                panic!("reverting after the call");
            }
            (code, ret.len as u32)
        }

        #[selector(2)]
        /// Panics with a message.
        fn boom() {
            panic!("boom");
        }

        #[selector(3)]
        /// Element `i` of [10, 20, 30].
        fn index(i: u32) -> u32 {
            let a = [10u32, 20, 30];
            a[i as usize]
        }

        #[selector(4)]
        /// What the environment answers.
        fn context() -> ((Address, Address), ((u64, u64), ((u64, u128), (u128, u64)))) {
            let b = block();
            let me = self_address();
            (
                (caller(), b.origin),
                ((b.height, b.timestamp), ((b.chain_id, call_value()), (balance(&me), gas_left()))),
            )
        }

        #[selector(6)]
        /// The three hashes of the raw calldata after the selector.
        fn hashes() -> ((U256, U256), U256) {
            let mut buf = [0u8; 512];
            let n = input_copy(&mut buf, 4);
            let word = |h: [u8; 32]| U256::from_le_bytes(h);
            let data = &buf[..n];
            ((word(sha256(data)), word(keccak256(data))), word(blake3(data)))
        }

        #[selector(5)]
        /// `owner`'s balance in `token`, by a typed call.
        fn balance_in(token: Address, owner: Address) -> (bool, U256) {
            match Token::at(token).with_gas(200_000).balance_of(&owner) {
                Ok(b) => (true, b),
                Err(_) => (false, U256::ZERO),
            }
        }
    }
}
