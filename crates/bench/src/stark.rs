//! STARK workloads: the Fibonacci example of avm-prove at a chosen trace
//! length, and winterfell's own minimal AIR of the same length (the
//! engine's floor: two columns, one degree-1 constraint pair), proved with
//! the same options.

use avm_prove::engine::{self, Hash};
use avm_prove::trace::Run;
use avm_prove::Statement;
use winterfell::crypto::{DefaultRandomCoin, MerkleTree};
use winterfell::math::{fields::f64::BaseElement, FieldElement, ToElements};
use winterfell::matrix::ColMatrix;
use winterfell::{
    AcceptableOptions, Air, AirContext, Assertion, AuxRandElements, CompositionPoly,
    CompositionPolyTrace, ConstraintCompositionCoefficients, DefaultConstraintCommitment,
    DefaultConstraintEvaluator, DefaultTraceLde, EvaluationFrame, PartitionOptions, Proof,
    ProofOptions, Prover, StarkDomain, TraceInfo, TracePolyTable, TraceTable,
    TransitionConstraintDegree,
};

/// examples/prove/fib.alu.
pub const FIB_ALU: &str = include_str!("../../../examples/prove/fib.alu");

/// The Fibonacci statement and the `n` whose run fills a trace of
/// `2^log_rows` rows (7n + 10 steps, one row left for the stop).
pub fn fib(log_rows: u32) -> (Statement, u64) {
    let lib = avm_asm::assemble("fib.alu", FIB_ALU, &avm_asm::NoLibs)
        .expect("fib.alu assembles")
        .library;
    let program = avm_alu::AluVm::new()
        .program(&lib.to_bytes())
        .expect("a program");
    let statement = Statement::new(&program).expect("in the provable subset");
    ((statement), ((1u64 << log_rows) - 11) / 7)
}

/// fib(n) mod p, the public argument.
pub fn fib_value(n: u64) -> u64 {
    let (mut a, mut b) = (BaseElement::ZERO, BaseElement::ONE);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a.as_int()
}

/// The run of fib.alu on `n`.
pub fn fib_run(statement: &Statement, n: u64) -> Run {
    statement
        .run(fib_value(n), n, u64::MAX)
        .expect("fib.alu accepts")
}

/// The minimal AIR's public input: the last value of column 1.
#[derive(Clone, Copy)]
pub struct FloorInputs(BaseElement);

impl ToElements<BaseElement> for FloorInputs {
    fn to_elements(&self) -> Vec<BaseElement> {
        vec![self.0]
    }
}

/// winterfell's minimal AIR: (a, b) -> (b, a + b), starting at (0, 1).
pub struct FloorAir {
    context: AirContext<BaseElement>,
    result: BaseElement,
}

impl Air for FloorAir {
    type BaseField = BaseElement;
    type PublicInputs = FloorInputs;

    fn new(trace_info: TraceInfo, inputs: FloorInputs, options: ProofOptions) -> Self {
        let degrees = vec![TransitionConstraintDegree::new(1); 2];
        FloorAir {
            context: AirContext::new(trace_info, degrees, 3, options),
            result: inputs.0,
        }
    }

    fn evaluate_transition<E: FieldElement + From<BaseElement>>(
        &self,
        frame: &EvaluationFrame<E>,
        _periodic_values: &[E],
        result: &mut [E],
    ) {
        let (c, n) = (frame.current(), frame.next());
        result[0] = n[0] - c[1];
        result[1] = n[1] - (c[0] + c[1]);
    }

    fn get_assertions(&self) -> Vec<Assertion<BaseElement>> {
        let last = self.trace_length() - 1;
        vec![
            Assertion::single(0, 0, BaseElement::ZERO),
            Assertion::single(1, 0, BaseElement::ONE),
            Assertion::single(1, last, self.result),
        ]
    }

    fn context(&self) -> &AirContext<BaseElement> {
        &self.context
    }
}

/// The minimal AIR's trace of `rows` rows.
pub fn floor_trace(rows: usize) -> TraceTable<BaseElement> {
    let mut trace = TraceTable::new(2, rows);
    trace.fill(
        |s| {
            s[0] = BaseElement::ZERO;
            s[1] = BaseElement::ONE;
        },
        |_, s| {
            let next = s[0] + s[1];
            s[0] = s[1];
            s[1] = next;
        },
    );
    trace
}

/// The minimal AIR's prover, with avm-prove's options.
pub struct FloorProver {
    options: ProofOptions,
}

impl Default for FloorProver {
    fn default() -> Self {
        FloorProver {
            options: engine::options(),
        }
    }
}

impl Prover for FloorProver {
    type BaseField = BaseElement;
    type Air = FloorAir;
    type Trace = TraceTable<BaseElement>;
    type HashFn = Hash;
    type VC = MerkleTree<Hash>;
    type RandomCoin = DefaultRandomCoin<Hash>;
    type TraceLde<E: FieldElement<BaseField = BaseElement>> = DefaultTraceLde<E, Hash, Self::VC>;
    type ConstraintCommitment<E: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintCommitment<E, Hash, Self::VC>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintEvaluator<'a, FloorAir, E>;

    fn get_pub_inputs(&self, trace: &Self::Trace) -> FloorInputs {
        FloorInputs(
            winterfell::Trace::main_segment(trace).get(1, winterfell::Trace::length(trace) - 1),
        )
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
        air: &'a FloorAir,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
}

/// Proves the minimal AIR's trace; returns the proof and its public input.
pub fn floor_prove(trace: TraceTable<BaseElement>) -> (Proof, FloorInputs) {
    let prover = FloorProver::default();
    let inputs = prover.get_pub_inputs(&trace);
    (prover.prove(trace).expect("the floor proves"), inputs)
}

/// Verifies a minimal-AIR proof.
pub fn floor_verify(proof: Proof, inputs: FloorInputs) -> bool {
    let acceptable = AcceptableOptions::OptionSet(vec![engine::options()]);
    winterfell::verify::<FloorAir, Hash, DefaultRandomCoin<Hash>, MerkleTree<Hash>>(
        proof,
        inputs,
        &acceptable,
    )
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_workloads_prove_and_verify_at_the_length_asked() {
        let (statement, n) = fib(6);
        let run = fib_run(&statement, n);
        assert_eq!(run.trace_rows(), 64);
        let proof = statement.prove_run(fib_value(n), run).unwrap();
        let public = avm_vm::DataValue::nat(fib_value(n));
        assert!(statement.verify(&public, &proof).is_ok());
        let (proof, inputs) = floor_prove(floor_trace(64));
        assert!(floor_verify(proof.clone(), inputs));
        assert!(!floor_verify(
            proof,
            FloorInputs(inputs.0 + BaseElement::ONE)
        ));
    }
}
