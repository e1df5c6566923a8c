//! Helpers for the contract tests: a chain with funded accounts, nonces
//! tracked, and calldata in the examples' convention (u32 LE selector, then
//! 32-byte arguments).
#![allow(dead_code)] // each test file uses a different part

use avm_rv32::contract::{Address, Chain, Receipt, Status, Transaction, TxKind};

pub const ERC20: &[u8] = include_bytes!("../../../../contracts/erc20.elf");
pub const AMM: &[u8] = include_bytes!("../../../../contracts/amm.elf");
pub const WALLET: &[u8] = include_bytes!("../../../../contracts/wallet.elf");
pub const FAULTY: &[u8] = include_bytes!("../../../../contracts/faulty.elf");
pub const REENTER: &[u8] = include_bytes!("../../../../contracts/reenter.elf");
pub const PROBE: &[u8] = include_bytes!("../../../../contracts/probe.elf");

/// Gas for every test transaction.
pub const GAS: u64 = 50_000_000;

/// Test address `n`.
pub fn addr(n: u8) -> Address {
    [n; 32]
}

/// A 256-bit little-endian number.
pub fn u256(x: u128) -> [u8; 32] {
    let mut out = [0; 32];
    out[..16].copy_from_slice(&x.to_le_bytes());
    out
}

/// The largest 256-bit number.
pub const U256_MAX: [u8; 32] = [0xff; 32];

/// Calldata: selector then arguments.
pub fn input(selector: u32, args: &[[u8; 32]]) -> Vec<u8> {
    let mut v = selector.to_le_bytes().to_vec();
    for a in args {
        v.extend_from_slice(a);
    }
    v
}

/// The text a revert returned.
pub fn reason(r: &Receipt) -> String {
    assert_eq!(r.status, Status::Reverted, "{r:?}");
    String::from_utf8_lossy(&r.return_data).into_owned()
}

/// A chain and the next nonce of each sender.
#[derive(Default)]
pub struct Env {
    pub chain: Chain,
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    fn nonce(&self, from: &Address) -> u64 {
        self.chain.state().account(from).map_or(0, |a| a.nonce)
    }

    pub fn send(&mut self, from: Address, value: u128, kind: TxKind) -> Receipt {
        self.send_with_gas(from, value, GAS, kind)
    }

    pub fn send_with_gas(
        &mut self,
        from: Address,
        value: u128,
        gas_limit: u64,
        kind: TxKind,
    ) -> Receipt {
        let tx = Transaction {
            sender: from,
            nonce: self.nonce(&from),
            value,
            gas_limit,
            kind,
        };
        self.chain.execute(&tx).expect("transaction accepted")
    }

    /// Deploys `code` with an empty constructor input; expects success.
    pub fn deploy(&mut self, from: Address, code: &[u8]) -> Address {
        self.deploy_with(from, code, Vec::new())
    }

    /// Deploys `code` with `input` for its constructor; expects success.
    pub fn deploy_with(&mut self, from: Address, code: &[u8], input: Vec<u8>) -> Address {
        let code = code.to_vec();
        let r = self.send(from, 0, TxKind::Deploy { code, input });
        assert_eq!(r.status, Status::Success, "{r:?}");
        r.return_data.try_into().unwrap()
    }

    /// Deploys the ERC-20 example; its constructor mints `supply` to `from`.
    pub fn deploy_token(&mut self, from: Address, supply: [u8; 32]) -> Address {
        self.deploy_with(from, ERC20, supply.to_vec())
    }

    pub fn call(&mut self, from: Address, to: Address, input: Vec<u8>) -> Receipt {
        self.send(from, 0, TxKind::Call { to, input })
    }

    /// Calls and expects success.
    pub fn ok(&mut self, from: Address, to: Address, input: Vec<u8>) -> Receipt {
        let r = self.call(from, to, input);
        assert_eq!(
            r.status,
            Status::Success,
            "{:?}",
            String::from_utf8_lossy(&r.return_data)
        );
        r
    }
}
