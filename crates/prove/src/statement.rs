//! The statement a proof is about, and proving and verifying it.
//!
//! A [`Statement`] is a program compiled to the provable subset. Its
//! public and private arguments are field elements (naturals below p): by
//! the calling convention they land in `a64[0]` and `a64[1]`. A proof says
//! the program, run on `[public, private]` for some private argument,
//! stopped with st0 true and returned `true` (`a64[0] = 1`) using the gas the
//! proof states.

use std::sync::Arc;

use avm_alu::AluProgram;
use avm_vm::{DataValue, Gas, ProveError};

use crate::air::{Layout, PublicInputs};
use crate::engine::{self, AluProver};
use crate::proof::AluProof;
use crate::subset::{self, Circuit, SubsetError, P};
use crate::trace::{self, Run, RunError, MAX_TRACE_ROWS};
use winterfell::Prover;

/// A program compiled for proving and verifying.
#[derive(Clone, Debug)]
pub struct Statement {
    circuit: Arc<Circuit>,
}

/// Why a proof does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The public argument is not a field element.
    #[error("the public argument is not a natural below p = 2^64 - 2^32 + 1")]
    PublicInput,
    /// The proof's trace is not this program's.
    #[error("the proof's trace has {got} columns; this program's has {want}")]
    Width {
        /// Columns in the proof.
        got: usize,
        /// Columns of this program.
        want: usize,
    },
    /// The proof's trace is longer than any prover makes.
    #[error("the proof's trace has {0} rows, more than {MAX_TRACE_ROWS}")]
    Length(usize),
    /// The STARK verifier refused it.
    #[error("the STARK does not verify: {0}")]
    Stark(String),
}

/// A field element argument, or `None`.
pub fn element(value: &DataValue) -> Option<u64> {
    match value {
        DataValue::Nat(n) if n.bits() <= 64 => {
            let v = n.iter_u64_digits().next().unwrap_or(0);
            (v < P).then_some(v)
        }
        _ => None,
    }
}

impl Statement {
    /// Compiles `program`, refusing one outside the provable subset.
    pub fn new(program: &AluProgram) -> Result<Statement, SubsetError> {
        Ok(Statement {
            circuit: Arc::new(subset::compile(program)?),
        })
    }

    /// The compiled program.
    pub fn circuit(&self) -> &Circuit {
        &self.circuit
    }

    /// The number of trace columns.
    pub fn width(&self) -> usize {
        Layout::of(&self.circuit).width()
    }

    /// Runs the program on `[public, private]` within `gas_limit`,
    /// recording the trace of an accepting run.
    pub fn run(&self, public: u64, private: u64, gas_limit: Gas) -> Result<Run, RunError> {
        trace::run(&self.circuit, public, private, gas_limit)
    }

    /// Proves an accepting run of [`Statement::run`] with public argument `public`.
    pub fn prove_run(&self, public: u64, run: Run) -> Result<AluProof, ProveError> {
        let prover = AluProver::new(self.inputs(public, run.gas_used));
        let stark = prover
            .prove(run.trace)
            .map_err(|e| ProveError::Backend(e.to_string()))?;
        Ok(AluProof {
            gas_used: run.gas_used,
            stark,
        })
    }

    /// Runs and proves: the proof that the program accepts `[public, private]`.
    pub fn prove(
        &self,
        public: &DataValue,
        private: &DataValue,
        gas_limit: Gas,
    ) -> Result<AluProof, ProveError> {
        let (Some(p), Some(q)) = (element(public), element(private)) else {
            return Err(ProveError::Backend(
                "the provable subset takes arguments that are naturals below p = 2^64 - 2^32 + 1"
                    .into(),
            ));
        };
        let run = self.run(p, q, gas_limit).map_err(|e| match e {
            RunError::Unsatisfied => ProveError::Unsatisfied,
            RunError::OutOfGas => ProveError::OutOfGas,
            other => ProveError::Backend(other.to_string()),
        })?;
        self.prove_run(p, run)
    }

    /// Checks that `proof` shows the program accepts `public` with some
    /// private argument.
    pub fn verify(&self, public: &DataValue, proof: &AluProof) -> Result<(), VerifyError> {
        let public = element(public).ok_or(VerifyError::PublicInput)?;
        let info = proof.stark.trace_info();
        if info.width() != self.width() || info.aux_segment_width() != 0 {
            return Err(VerifyError::Width {
                got: info.width() + info.aux_segment_width(),
                want: self.width(),
            });
        }
        if info.length() > MAX_TRACE_ROWS {
            return Err(VerifyError::Length(info.length()));
        }
        engine::verify(proof.stark.clone(), self.inputs(public, proof.gas_used))
            .map_err(VerifyError::Stark)
    }

    fn inputs(&self, public: u64, gas_used: u64) -> PublicInputs {
        PublicInputs {
            circuit: self.circuit.clone(),
            public,
            gas_used,
        }
    }
}
