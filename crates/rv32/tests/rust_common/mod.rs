//! The Rust contracts (contracts-rs/, built by `make -C contracts-rs`) beside
//! their C twins, for the tests that run both.
#![allow(dead_code)] // each test file uses a different part

use crate::chain::{AMM, ERC20, WALLET};

pub const RUST_ERC20: &[u8] = include_bytes!("../../../../contracts-rs/erc20.elf");
pub const RUST_AMM: &[u8] = include_bytes!("../../../../contracts-rs/amm.elf");
pub const RUST_WALLET: &[u8] = include_bytes!("../../../../contracts-rs/wallet.elf");
pub const RUST_PROBE: &[u8] = include_bytes!("../../../../contracts-rs/probe.elf");
pub const RUST_PANICS: &[u8] = include_bytes!("../../../../contracts-rs/panics.elf");

/// The ERC-20 in C and in Rust, named.
pub const ERC20S: [(&str, &[u8]); 2] = [("c", ERC20), ("rust", RUST_ERC20)];
/// The AMM in C and in Rust, named.
pub const AMMS: [(&str, &[u8]); 2] = [("c", AMM), ("rust", RUST_AMM)];
/// The wallet in C and in Rust, named.
pub const WALLETS: [(&str, &[u8]); 2] = [("c", WALLET), ("rust", RUST_WALLET)];
