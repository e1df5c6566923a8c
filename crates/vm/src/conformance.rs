//! The laws of [`Vm`] and [`ProvableVm`] as reusable property tests
//! (feature `conformance`).
//!
//! A VM joins with one line in its tests, given proptest strategies for its
//! functions and for argument lists:
//!
//! ```
//! # use avm_vm::{DataValue, Env, Evaluation, Gas, Vm, VmId};
//! # use proptest::prelude::*;
//! # struct Constant;
//! # impl Vm for Constant {
//! #     const ID: VmId = VmId(0x3f_ff20);
//! #     type Repr = DataValue;
//! #     fn decode(&self, v: &DataValue) -> Option<DataValue> { Some(v.clone()) }
//! #     fn encode(&self, r: &DataValue) -> DataValue { r.clone() }
//! #     fn evaluate(&self, f: &DataValue, _: &[DataValue], gas: Gas, _: &mut dyn Env)
//! #         -> Evaluation<DataValue> {
//! #         if gas == 0 { Evaluation::failed(0) } else { Evaluation::done(f.clone(), 1) }
//! #     }
//! # }
//! use avm_vm::conformance::{any_value, Laws};
//! Laws::new(&Constant, any_value(), prop::collection::vec(any_value(), 0..3)).cases(32).check();
//! ```
//!
//! The laws:
//! 1. `decode(encode(x)) == Some(x)` for every generated function and
//!    argument;
//! 2. `encode(decode(v)) == v` whenever `decode(v)` succeeds, for arbitrary
//!    values (functions of other VMs among them) and encoded ones;
//! 3. evaluating twice gives the same result and the same gas;
//! 4. `gas_used <= gas_limit`, and nested gas is counted (the
//!    [`Registry`] checks both);
//! 5. a tighter gas limit never gives a different successful result.

use std::fmt::Debug;

use num_bigint::BigUint;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::provable::ProvableVm;
use crate::registry::Registry;
use crate::value::{DataValue, VmId};
use crate::vm::{Gas, Isolated, Vm};

/// VM numbers for generated functions: the published ones, avm's, the test
/// range, and any other.
pub fn any_vm_id() -> impl Strategy<Value = VmId> {
    prop_oneof![
        (0u64..=4).prop_map(VmId),
        Just(VmId::ALU),
        Just(VmId::RV32),
        (0u64..=0xff).prop_map(|n| VmId(VmId::TEST_FIRST.0 + n)),
        any::<u64>().prop_map(VmId),
    ]
}

/// A natural: mostly small, sometimes of several hundred bits.
pub fn any_nat() -> impl Strategy<Value = BigUint> {
    prop_oneof![
        3 => any::<u64>().prop_map(BigUint::from),
        1 => prop::collection::vec(any::<u8>(), 0..48).prop_map(|b| BigUint::from_bytes_le(&b)),
    ]
}

/// Any value, up to a few levels deep.
pub fn any_value() -> impl Strategy<Value = DataValue> {
    let leaf = prop_oneof![
        any_nat().prop_map(DataValue::Nat),
        (any_vm_id(), prop::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(vm, code)| DataValue::Function { vm, code }),
        prop::collection::vec(any::<u8>(), 0..16).prop_map(DataValue::Bytes),
        "\\PC{0,8}".prop_map(|s: String| DataValue::string(&s)),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(DataValue::Tuple),
            (prop_oneof![0u64..4, any::<u64>()], inner)
                .prop_map(|(index, value)| DataValue::option(index, value)),
        ]
    })
}

/// The [`Vm`] laws for one VM, run with proptest.
pub struct Laws<'a, V, F, A> {
    vm: &'a V,
    functions: F,
    args: A,
    registry: Option<&'a Registry>,
    max_gas: Gas,
    cases: u32,
}

impl<'a, V, F, A> Laws<'a, V, F, A>
where
    V: Vm,
    V::Repr: Clone + PartialEq + Debug,
    F: Strategy<Value = V::Repr>,
    A: Strategy<Value = Vec<V::Repr>>,
{
    /// The laws for `vm`, drawing functions from `functions` and argument
    /// lists from `args`; gas limits from `0..=10_000`; 256 cases per law;
    /// nested evaluations refused unless a [`Laws::registry`] is given.
    pub fn new(vm: &'a V, functions: F, args: A) -> Self {
        Laws {
            vm,
            functions,
            args,
            registry: None,
            max_gas: 10_000,
            cases: 256,
        }
    }

    /// Evaluate with `registry` behind the [`crate::Env`].
    pub fn registry(mut self, registry: &'a Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Draw gas limits from `0..=max_gas`.
    pub fn gas(mut self, max_gas: Gas) -> Self {
        self.max_gas = max_gas;
        self
    }

    /// Run `cases` cases per law.
    pub fn cases(mut self, cases: u32) -> Self {
        self.cases = cases;
        self
    }

    /// Checks every law; panics naming the law and a minimal counterexample.
    pub fn check(&self) {
        self.check_codec();
        self.check_evaluation();
    }

    fn runner(&self) -> TestRunner {
        TestRunner::new(Config {
            cases: self.cases,
            failure_persistence: None,
            ..Config::default()
        })
    }

    /// Laws 1 and 2: `decode` and `encode` are mutual inverses.
    pub fn check_codec(&self) {
        let vm = self.vm;
        let reprs = (&self.functions, &self.args);
        let result = self.runner().run(&reprs, |(f, args)| {
            for x in std::iter::once(&f).chain(&args) {
                let v = vm.encode(x);
                prop_assert_eq!(vm.decode(&v), Some(x.clone()), "decode(encode(x)) != x");
            }
            Ok(())
        });
        report(result, "decode(encode(x)) == Some(x)");
        let result = self.runner().run(&any_value(), |v| {
            if let Some(x) = vm.decode(&v) {
                prop_assert_eq!(vm.encode(&x), v, "encode(decode(v)) != v");
            }
            Ok(())
        });
        report(result, "encode(decode(v)) == v");
    }

    /// Laws 3, 4 and 5: determinism, the gas bound, tighter limits.
    pub fn check_evaluation(&self) {
        let empty = Registry::new();
        let registry = self.registry.unwrap_or(&empty);
        let vm = self.vm;
        let cases = (
            &self.functions,
            &self.args,
            0..=self.max_gas,
            0..=self.max_gas,
        );
        let result = self.runner().run(&cases, |(f, args, a, b)| {
            let (loose, tight) = (a.max(b), a.min(b));
            let eval = |gas| {
                registry
                    .evaluate(vm, &f, &args, gas)
                    .map_err(|e| TestCaseError::fail(format!("gas accounting at limit {gas}: {e}")))
            };
            let first = eval(loose)?;
            let second = eval(loose)?;
            prop_assert_eq!(&first, &second, "evaluation is not deterministic");
            prop_assert!(
                first.gas_used <= loose,
                "gas_used {} over the limit {}",
                first.gas_used,
                loose
            );
            let tighter = eval(tight)?;
            prop_assert!(tighter.gas_used <= tight);
            if let (Some(r1), Some(r2)) = (&first.result, &tighter.result) {
                prop_assert_eq!(
                    r1,
                    r2,
                    "limit {} and tighter limit {} give different results",
                    loose,
                    tight
                );
            }
            Ok(())
        });
        report(result, "deterministic, gas-bounded evaluation");
    }
}

fn report<T: Debug>(result: Result<(), proptest::test_runner::TestError<T>>, law: &str) {
    if let Err(e) = result {
        panic!("VM law broken: {law}: {e}");
    }
}

/// Checks the [`ProvableVm`] laws on one statement: `program` on
/// `[public, private]` within `gas_limit`, and `other_public` (which must
/// encode differently from `public`) to test that proofs are bound to their
/// public input.
///
/// Completeness: an accepted statement gets a proof that verifies.
/// Soundness, as far as running can tell: a rejected statement gets no
/// proof that verifies, and no proof verifies for `other_public`.
pub fn check_proof<V>(
    vm: &V,
    program: &V::Repr,
    private: &V::Repr,
    public: &V::Repr,
    other_public: &V::Repr,
    gas_limit: Gas,
) -> Result<(), String>
where
    V: ProvableVm,
    V::Repr: Clone,
{
    let args = [public.clone(), private.clone()];
    let evaluation = vm.evaluate(program, &args, gas_limit, &mut Isolated);
    let accepted = evaluation
        .result
        .is_some_and(|r| vm.encode(&r) == DataValue::nat(1u8));
    let distinct = vm.encode(public) != vm.encode(other_public);
    match vm.prove(program, private, public, gas_limit) {
        Ok(proof) => {
            let verified = vm.verify(program, public, &proof);
            if accepted && !verified {
                return Err(
                    "completeness: the proof of an accepted statement does not verify".into(),
                );
            }
            if !accepted && verified {
                return Err("soundness: a proof of a rejected statement verifies".into());
            }
            if distinct && vm.verify(program, other_public, &proof) {
                return Err("soundness: a proof verifies for another public input".into());
            }
            Ok(())
        }
        Err(e) if accepted => Err(format!(
            "completeness: no proof for an accepted statement: {e}"
        )),
        Err(_) => Ok(()),
    }
}

/// The [`ProvableVm`] laws as a property test over generated statements
/// `(program, private, public, other_public)`.
pub struct ProofLaws<'a, V, S> {
    vm: &'a V,
    statements: S,
    gas_limit: Gas,
    cases: u32,
}

impl<'a, V, S> ProofLaws<'a, V, S>
where
    V: ProvableVm,
    S: Strategy<Value = (V::Repr, V::Repr, V::Repr, V::Repr)>,
    V::Repr: Clone + Debug,
{
    /// The laws for `vm` over `statements`, each run with `gas_limit`, 64
    /// cases (proving is slow).
    pub fn new(vm: &'a V, statements: S, gas_limit: Gas) -> Self {
        ProofLaws {
            vm,
            statements,
            gas_limit,
            cases: 64,
        }
    }

    /// Run `cases` cases.
    pub fn cases(mut self, cases: u32) -> Self {
        self.cases = cases;
        self
    }

    /// Checks the laws; panics naming the broken one and a counterexample.
    pub fn check(&self) {
        let mut runner = TestRunner::new(Config {
            cases: self.cases,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&self.statements, |(program, private, public, other)| {
            check_proof(self.vm, &program, &private, &public, &other, self.gas_limit)
                .map_err(TestCaseError::fail)
        });
        report(result, "provable VM");
    }
}
