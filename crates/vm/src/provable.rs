//! Provable VMs: [`ProvableVm`] proves that a program accepts a public and a
//! private input, and verifies such proofs without the private input.
//!
//! A program `f` of a provable VM is a predicate: evaluated on the arguments
//! `[public, private]` it returns `true` (the natural 1, see
//! [`crate::convention`]) when the statement holds.
//!
//! **Completeness.** If `evaluate(f, [public, private], g)` gives `true` for
//! a gas limit `g`, then `prove(f, private, public, g)` gives a proof `π`
//! and `verify(f, public, π)` is `true`.
//!
//! **Soundness.** If `verify(f, public, π)` is `true`, then `π` came from
//! `prove(f, private', public', g)` with `public' == public` and
//! `evaluate(f, [public', private'], g)` giving `true` (for a
//! computationally bounded prover, except with negligible probability). In
//! particular a proof never verifies against another public input, and
//! `prove` refuses (or yields a proof that does not verify) when the
//! statement is false.
//!
//! **Zero knowledge** (where [`ProvableVm::ZERO_KNOWLEDGE`] says so): a
//! proof reveals nothing about `private` beyond the statement's truth.
//!
//! The conformance suite checks what can be checked by running:
//! `avm_vm::conformance::ProofLaws` (feature `conformance`). No backend ships
//! in this crate: avm-prove's `ProvableAlu` proves Alu programs (STARKs).
//! A registry lists the VMs registered with
//! [`Registry::register_provable`](crate::Registry::register_provable).

use thiserror::Error;

use crate::vm::{Gas, Vm};

/// Why no proof was made.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProveError {
    /// The program does not accept the inputs: there is nothing to prove.
    #[error("the program does not accept these inputs")]
    Unsatisfied,
    /// The program ran out of gas before it accepted.
    #[error("out of gas")]
    OutOfGas,
    /// The proving backend failed.
    #[error("proving backend: {0}")]
    Backend(String),
}

/// A VM that proves evaluations (the specification's provable VM).
///
/// `prove` takes a gas limit where the specification has none: a prover
/// must run the program, and every run in avm is bounded.
pub trait ProvableVm: Vm {
    /// A proof.
    type Proof: Clone + std::fmt::Debug;

    /// Whether proofs reveal nothing about the private input.
    const ZERO_KNOWLEDGE: bool;

    /// A proof that `program` accepts `[public, private]` within `gas_limit`.
    fn prove(
        &self,
        program: &Self::Repr,
        private: &Self::Repr,
        public: &Self::Repr,
        gas_limit: Gas,
    ) -> Result<Self::Proof, ProveError>;

    /// Whether `proof` shows that `program` accepts `public` with some
    /// private input.
    fn verify(&self, program: &Self::Repr, public: &Self::Repr, proof: &Self::Proof) -> bool;
}
