//! The winterfell side: proof options, the prover and the verifier call.

use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, MerkleTree};
use winterfell::math::{fields::f64::BaseElement, FieldElement};
use winterfell::matrix::ColMatrix;
use winterfell::{
    AcceptableOptions, AuxRandElements, BatchingMethod, CompositionPoly, CompositionPolyTrace,
    ConstraintCompositionCoefficients, DefaultConstraintCommitment, DefaultConstraintEvaluator,
    DefaultTraceLde, FieldExtension, PartitionOptions, Proof, ProofOptions, Prover, StarkDomain,
    TraceInfo, TracePolyTable, TraceTable,
};

use crate::air::{AluAir, PublicInputs};

/// The hash of commitments and Fiat-Shamir.
pub type Hash = Blake3_256<BaseElement>;

/// FRI queries.
pub const QUERIES: usize = 27;
/// The low-degree extension's blowup factor.
pub const BLOWUP: usize = 8;
/// Proof-of-work bits before the queries are drawn.
pub const GRINDING_BITS: u32 = 16;

/// The one set of options proofs are made and accepted with: 27 queries,
/// blowup 8, 16 grinding bits, the quadratic extension of Goldilocks, FRI
/// folding 8 with remainders of degree up to 31, Blake3-256.
pub fn options() -> ProofOptions {
    ProofOptions::new(
        QUERIES,
        BLOWUP,
        GRINDING_BITS,
        FieldExtension::Quadratic,
        8,
        31,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    )
}

/// The winterfell prover of one statement.
pub struct AluProver {
    inputs: PublicInputs,
    options: ProofOptions,
}

impl AluProver {
    /// A prover of the statement `inputs`.
    pub fn new(inputs: PublicInputs) -> Self {
        AluProver {
            inputs,
            options: options(),
        }
    }
}

impl Prover for AluProver {
    type BaseField = BaseElement;
    type Air = AluAir;
    type Trace = TraceTable<BaseElement>;
    type HashFn = Hash;
    type VC = MerkleTree<Hash>;
    type RandomCoin = DefaultRandomCoin<Hash>;
    type TraceLde<E: FieldElement<BaseField = BaseElement>> = DefaultTraceLde<E, Hash, Self::VC>;
    type ConstraintCommitment<E: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintCommitment<E, Hash, Self::VC>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintEvaluator<'a, AluAir, E>;

    fn get_pub_inputs(&self, _trace: &Self::Trace) -> PublicInputs {
        self.inputs.clone()
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<E: FieldElement<BaseField = BaseElement>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<BaseElement>,
        domain: &StarkDomain<BaseElement>,
        partition_option: PartitionOptions,
    ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
        DefaultTraceLde::new(trace_info, main_trace, domain, partition_option)
    }

    fn build_constraint_commitment<E: FieldElement<BaseField = BaseElement>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<E>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<BaseElement>,
        partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
        DefaultConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
            partition_options,
        )
    }

    fn new_evaluator<'a, E: FieldElement<BaseField = BaseElement>>(
        &self,
        air: &'a AluAir,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
}

/// Verifies a STARK proof of the statement `inputs` made with [`options`].
pub fn verify(proof: Proof, inputs: PublicInputs) -> Result<(), String> {
    let acceptable = AcceptableOptions::OptionSet(vec![options()]);
    winterfell::verify::<AluAir, Hash, DefaultRandomCoin<Hash>, MerkleTree<Hash>>(
        proof,
        inputs,
        &acceptable,
    )
    .map_err(|e| e.to_string())
}
