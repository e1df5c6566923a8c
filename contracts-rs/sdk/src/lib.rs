//! avm-sdk: write avm RV32 contracts in Rust.
//!
//! `no_std`, no allocator needed (an optional [`BumpAllocator`] serves
//! `alloc`). The SDK speaks the same syscall ABI (docs/rv32-abi.md),
//! selectors and argument encoding as the C runtime (contracts/include/avm.h),
//! so Rust and C contracts call each other. What it gives a contract:
//!
//! - the entry point and dispatch by selector: [`contract!`];
//! - typed storage: [`Value`] and [`Map`] over [`Stored`] types;
//! - events: [`emit`] with [`topic`]s;
//! - typed calls to other contracts: [`interface!`], or [`call::call`] raw;
//! - the context: [`caller`], [`call_value`], [`block`], [`gas_left`],
//!   [`self_address`]; native tokens: [`balance`], [`transfer`];
//! - hashes and signature checks as precompiles: [`crypto`];
//! - [`U256`], checked 256-bit arithmetic;
//! - `panic!` as a revert with the panic's message ([`revert`] directly).
//!
//! Builds with Debian's rustc 1.63 for `riscv32im-unknown-none-elf` (see
//! contracts-rs/Makefile); `address`, `codec`, `u256` and `bump` are plain
//! `core` code, tested on the host by crates/rv32/tests/rust_sdk.rs.
#![no_std]
#![feature(panic_info_message)]
#![warn(missing_docs)]

pub mod address;
pub mod bump;
pub mod call;
pub mod codec;
pub mod crypto;
pub mod env;
pub mod event;
mod macros;
mod rt;
pub mod storage;
pub mod sys;
pub mod u256;

pub use address::{topic, Address};
pub use bump::BumpAllocator;
pub use call::{CallError, Calldata};
pub use codec::{Abi, Stored};
pub use env::{
    balance, block, call_value, caller, gas_left, revert, selector, self_address, transfer, Args,
    Block, OrRevert,
};
pub use event::emit;
pub use storage::{Map, Value};
pub use u256::U256;

/// Ends a call with `result`: a `()` result exits successfully with no
/// return data (as the C examples' `return 0`), any other is returned ABI
/// encoded. Used by [`contract!`].
pub fn finish<T: Abi>(result: T) -> u32 {
    if T::WORDS == 0 {
        0
    } else {
        env::return_value(&result)
    }
}
