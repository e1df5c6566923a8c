//! The contract platform: the syscall ABI, accounts and storage with a
//! journal, call frames, transactions, receipts and persistence.
//!
//! - [`abi`]: syscall numbers, limits and gas;
//! - [`state`]: accounts, the journal and the state root;
//! - [`frame`]: one isolated machine per call, and the syscalls;
//! - [`chain`]: transactions (deploy, call) and receipts;
//! - [`receipt`]: receipts and events, canonically encoded;
//! - [`codec`]: the canonical encoding and its strict reader;
//! - [`precompile`]: hashes and signature checks;
//! - [`store`]: persistence on avm-store (a state directory, or memory).
//!
//! The ABI is documented in `docs/rv32-abi.md`.

pub mod abi;
pub mod chain;
pub mod codec;
pub mod frame;
pub mod precompile;
pub mod receipt;
pub mod state;
pub mod store;

pub use chain::{deploy_address, Chain, Transaction, TxError, TxKind};
pub use frame::BlockContext;
pub use receipt::{Event, Receipt, Status};
pub use state::{Account, Address, State};
