//! Random programs of the provable subset: the prover's execution agrees
//! with the interpreter (same verdict, same gas), every accepted statement
//! proves and verifies, and avm-vm's `ProofLaws` hold for `ProvableAlu`.

mod common;

use avm_alu::{AluValue, AluVm};
use avm_prove::trace::RunError;
use avm_prove::{ProvableAlu, Statement};
use avm_vm::conformance::ProofLaws;
use avm_vm::{DataValue, Isolated, Vm};
use common::program;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const P: u64 = 0xFFFF_FFFF_0000_0001;
const GAS: u64 = 300;

fn reg() -> impl Strategy<Value = String> {
    (0u8..6).prop_map(|i| format!("a64[{i}]"))
}

fn element() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..4, Just(P - 1), 0..P]
}

/// One instruction of the subset; `n` is the number of instructions (label
/// `l{n}` is the accepting ending).
fn instruction(n: usize) -> impl Strategy<Value = String> {
    let label = (0..=n).prop_map(|i| format!("l{i}"));
    prop_oneof![
        Just("nop".to_string()),
        Just("inv st0".to_string()),
        Just("test".to_string()),
        Just("stop".to_string()),
        Just("ret".to_string()),
        label.clone().prop_map(|l| format!("jmp {l}")),
        label.clone().prop_map(|l| format!("jif {l}")),
        label.prop_map(|l| format!("routine {l}")),
        (reg(), element()).prop_map(|(r, v)| format!("putgl {r}, {v}")),
        (reg(), reg()).prop_map(|(a, b)| format!("movgl {a}, {b}")),
        (reg(), reg()).prop_map(|(a, b)| format!("neggl {a}, {b}")),
        (reg(), reg()).prop_map(|(a, b)| format!("invgl {a}, {b}")),
        (reg(), reg()).prop_map(|(a, b)| format!("eqgl {a}, {b}")),
        (
            prop_oneof![Just("addgl"), Just("subgl"), Just("mulgl")],
            reg(),
            reg(),
            reg()
        )
            .prop_map(|(op, d, a, b)| format!("{op} {d}, {a}, {b}")),
    ]
}

/// A random program's source.
fn source() -> impl Strategy<Value = String> {
    (1usize..12)
        .prop_flat_map(|n| prop::collection::vec(instruction(n), n))
        .prop_map(|instrs| {
            let mut s = String::from(".entry main\nmain:\n");
            for (i, instr) in instrs.iter().enumerate() {
                s.push_str(&format!("l{i}:\n    {instr}\n"));
            }
            s.push_str(&format!(
                "l{}:\n    putgl a64[0], 1\n    stop\n",
                instrs.len()
            ));
            s
        })
}

/// The interpreter's verdict and gas.
fn interpret(src: &str, public: u64, private: u64) -> (bool, u64) {
    let f = AluValue::Program(program(src));
    let args = [
        AluValue::Data(DataValue::nat(public)),
        AluValue::Data(DataValue::nat(private)),
    ];
    let out = AluVm::new().evaluate(&f, &args, GAS, &mut Isolated);
    (
        out.result == Some(AluValue::Data(DataValue::nat(1u8))),
        out.gas_used,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_prover_runs_programs_as_the_interpreter_does(
        src in source(), public in element(), private in element()
    ) {
        let statement = Statement::new(&program(&src)).expect("in the subset");
        let (accepted, gas) = interpret(&src, public, private);
        match statement.run(public, private, GAS) {
            Ok(run) => {
                prop_assert!(accepted, "the prover accepts what the interpreter rejects");
                prop_assert_eq!(run.gas_used, gas);
            }
            // Deeper than the subset's call stack: refused, not a disagreement.
            Err(RunError::TooDeep(..)) => {}
            Err(e) => prop_assert!(!accepted, "the prover rejects ({}) what the interpreter accepts", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_accepted_statement_proves_and_verifies(
        src in source(), public in element(), private in element()
    ) {
        let statement = Statement::new(&program(&src)).expect("in the subset");
        if let Ok(run) = statement.run(public, private, GAS) {
            let proof = statement.prove_run(public, run).expect("proves");
            let public = DataValue::nat(public);
            prop_assert!(statement.verify(&public, &proof).is_ok());
        }
    }
}

#[test]
fn provable_alu_keeps_the_proof_laws() {
    let vm = ProvableAlu::new();
    let statements =
        (source(), element(), element(), element()).prop_map(|(src, private, public, other)| {
            let data = |x: u64| AluValue::Data(DataValue::nat(x));
            (
                AluValue::Program(program(&src)),
                data(private),
                data(public),
                data(other),
            )
        });
    ProofLaws::new(&vm, statements, GAS).cases(24).check();
}

#[test]
fn accepted_random_programs_are_common_enough_to_matter() {
    // The generator must produce accepting runs, or the laws above test little.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut accepted = 0;
    for _ in 0..200 {
        let src = source().new_tree(&mut runner).unwrap().current();
        accepted += usize::from(interpret(&src, 1, 2).0);
    }
    assert!(accepted >= 20, "{accepted} of 200");
}

#[test]
fn the_registry_lists_provable_alu() {
    let mut registry = avm_vm::Registry::new();
    registry.register_provable(ProvableAlu::new()).unwrap();
    assert_eq!(
        registry.provable_ids().collect::<Vec<_>>(),
        [avm_vm::VmId::ALU]
    );
    assert!(registry.contains(avm_vm::VmId::ALU));
    // It evaluates as Alu does.
    let f = program(common::SQRT).to_value();
    let args = [DataValue::nat(49u8), DataValue::nat(7u8)];
    let out = registry.multievaluate(&f, &args, 100).unwrap();
    assert_eq!(out.result, Some(DataValue::nat(1u8)));
}
