//! # avm-intent: intents as constraint problems, composed and solved
//!
//! A party states what it wants as a problem over integer variables
//! ([`ir::Intent`]): what it chooses, what must hold, what resources it
//! consumes and creates. Intents are unbalanced transactions; a pool of
//! them composes into one problem whose solution is a balanced
//! transaction, found by a real constraint solver and re-checked
//! concretely before it is reported.
//!
//! - [`ir`] holds the IR: [`ir::Domain`], [`ir::Linear`],
//!   [`ir::Constraint`], [`ir::Flow`], [`ir::Intent`];
//! - [`encode`] its canonical [`avm_vm::DataValue`] encoding and hash;
//! - `text` its printable form (`Display` for [`ir::Intent`]);
//! - [`extract`] runs a party's Alu program symbolically into an intent;
//! - [`replay`] re-runs a program concretely with a solution's values;
//! - [`solve`] composes a pool and solves it with pumpkin; [`check`]
//!   re-checks every solution concretely;
//! - [`pool`] keeps submitted programs in a store;
//! - [`commit`] turns a solution into one transaction of the object
//!   runtime, over holdings (the resource view).
//!
//! docs/intents.md is the guide.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod commit;
pub mod encode;
pub mod extract;
pub mod ir;
pub mod pool;
pub mod replay;
pub mod solve;
mod text;

pub use encode::IntentId;
pub use ir::{Cmp, Constraint, Domain, Flow, Intent, Invalid, Linear, Side, Var, VarId};
pub use solve::{Mode, Options, Outcome, Solution, SolveError};
