//! STARK proofs of Alu programs (docs/provable.md).
//!
//! - [`subset`] compiles a program to the provable subset, or names the
//!   instruction that is outside it;
//! - [`trace`] runs it, recording the execution trace;
//! - [`air`] holds the AIR: the columns and the constraints, built from the
//!   program (over the monomials of [`poly`]);
//! - [`engine`] is winterfell: proof options, prover, verifier;
//! - [`statement`] ties them: prove and verify one program's statement;
//! - [`proof`] is the proof and its canonical binary encoding;
//! - [`binding`] is [`ProvableAlu`], the Alu VM behind [`avm_vm::ProvableVm`].
//!
//! Proofs are transparent, not hiding: winterfell has no zero knowledge.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod air;
pub mod binding;
pub mod engine;
pub mod poly;
pub mod proof;
pub mod statement;
pub mod subset;
pub mod trace;

pub use binding::ProvableAlu;
pub use proof::{AluProof, ProofDecodeError};
pub use statement::{Statement, VerifyError};
pub use subset::SubsetError;
