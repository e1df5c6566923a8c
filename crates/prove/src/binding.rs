//! [`ProvableAlu`]: the Alu VM with proofs, behind avm-vm's [`ProvableVm`].

use avm_alu::{AluValue, AluVm};
use avm_vm::{DataValue, Env, Evaluation, Gas, ProvableVm, ProveError, Vm, VmId};

use crate::proof::AluProof;
use crate::statement::Statement;

/// The Alu VM (the same VM number, decoding and evaluation as [`AluVm`])
/// that also proves runs of programs in the provable subset.
#[derive(Clone, Default)]
pub struct ProvableAlu {
    alu: AluVm,
}

impl ProvableAlu {
    /// The Alu VM with the core instruction set, and proofs.
    pub fn new() -> Self {
        Self::default()
    }

    fn statement(&self, program: &AluValue) -> Result<Statement, ProveError> {
        match program {
            AluValue::Program(p) => {
                Statement::new(p).map_err(|e| ProveError::Backend(e.to_string()))
            }
            AluValue::Data(_) => Err(ProveError::Backend(
                "the function is not an Alu program".into(),
            )),
        }
    }
}

impl Vm for ProvableAlu {
    const ID: VmId = VmId::ALU;
    type Repr = AluValue;

    fn decode(&self, value: &DataValue) -> Option<AluValue> {
        self.alu.decode(value)
    }

    fn encode(&self, repr: &AluValue) -> DataValue {
        self.alu.encode(repr)
    }

    fn evaluate(
        &self,
        function: &AluValue,
        args: &[AluValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<AluValue> {
        self.alu.evaluate(function, args, gas_limit, env)
    }
}

impl ProvableVm for ProvableAlu {
    type Proof = AluProof;

    /// winterfell has no zero-knowledge option: proofs are transparent.
    const ZERO_KNOWLEDGE: bool = false;

    fn prove(
        &self,
        program: &AluValue,
        private: &AluValue,
        public: &AluValue,
        gas_limit: Gas,
    ) -> Result<AluProof, ProveError> {
        self.statement(program)?
            .prove(&self.encode(public), &self.encode(private), gas_limit)
    }

    fn verify(&self, program: &AluValue, public: &AluValue, proof: &AluProof) -> bool {
        self.statement(program)
            .is_ok_and(|s| s.verify(&self.encode(public), proof).is_ok())
    }
}
