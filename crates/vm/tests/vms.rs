//! Small VMs that join the conformance suite, and the registry's dispatch,
//! nesting and gas rules.

use avm_vm::conformance::{any_value, check_proof, Laws, ProofLaws};
use avm_vm::{
    BigUint, DataValue, Env, Evaluation, Gas, Isolated, ProvableVm, ProveError, Registry,
    RegistryError, Vm, VmId,
};
use proptest::prelude::*;

/// A stack machine over naturals. Code bytes: `0 k` push argument k, `1 b`
/// push the byte b, `2` add, `3` multiply, `4` subtract (saturating at 0),
/// `5` duplicate, `6` replace n by 0 + 1 + ... + (n-1), one gas per step.
/// Each instruction costs 1 gas; the result is the top of the stack.
struct Arith;

#[derive(Clone, Debug, PartialEq)]
enum ArithRepr {
    Program(Vec<u8>),
    Data(DataValue),
}

impl Vm for Arith {
    const ID: VmId = VmId(0x3f_ff01);
    type Repr = ArithRepr;

    fn decode(&self, value: &DataValue) -> Option<ArithRepr> {
        Some(match value {
            DataValue::Function { vm, code } if *vm == Self::ID => ArithRepr::Program(code.clone()),
            // Everything else, functions of other VMs included, stays data.
            other => ArithRepr::Data(other.clone()),
        })
    }

    fn encode(&self, repr: &ArithRepr) -> DataValue {
        match repr {
            ArithRepr::Program(code) => DataValue::function(Self::ID, code.clone()),
            ArithRepr::Data(v) => v.clone(),
        }
    }

    fn evaluate(
        &self,
        f: &ArithRepr,
        args: &[ArithRepr],
        limit: Gas,
        _: &mut dyn Env,
    ) -> Evaluation<ArithRepr> {
        let ArithRepr::Program(code) = f else {
            return Evaluation::failed(0);
        };
        let mut used: Gas = 0;
        let mut stack: Vec<BigUint> = Vec::new();
        let mut pc = 0;
        macro_rules! charge {
            ($n:expr) => {{
                if used + $n > limit {
                    return Evaluation::failed(used);
                }
                used += $n;
            }};
        }
        while pc < code.len() {
            charge!(1);
            let op = code[pc];
            pc += 1;
            match op {
                0 | 1 => {
                    let Some(&k) = code.get(pc) else {
                        return Evaluation::failed(used);
                    };
                    pc += 1;
                    if op == 1 {
                        stack.push(BigUint::from(k));
                    } else {
                        match args.get(usize::from(k)) {
                            Some(ArithRepr::Data(DataValue::Nat(n))) => stack.push(n.clone()),
                            _ => return Evaluation::failed(used),
                        }
                    }
                }
                2..=4 => {
                    let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                        return Evaluation::failed(used);
                    };
                    stack.push(match op {
                        2 => a + b,
                        3 => a * b,
                        _ => {
                            if a > b {
                                a - b
                            } else {
                                BigUint::ZERO
                            }
                        }
                    });
                }
                5 => {
                    let Some(top) = stack.last().cloned() else {
                        return Evaluation::failed(used);
                    };
                    stack.push(top);
                }
                6 => {
                    let Some(n) = stack.pop().and_then(|n| u64::try_from(n).ok()) else {
                        return Evaluation::failed(used);
                    };
                    let mut sum = BigUint::ZERO;
                    for i in 0..n {
                        charge!(1);
                        sum += i;
                    }
                    stack.push(sum);
                }
                _ => return Evaluation::failed(used),
            }
        }
        match stack.pop() {
            Some(n) => Evaluation::done(ArithRepr::Data(DataValue::Nat(n)), used),
            None => Evaluation::failed(used),
        }
    }
}

/// Calls its first argument (a function of any VM) on the other arguments
/// through the registry, for 1 gas plus what the nested call used.
struct Call;

impl Vm for Call {
    const ID: VmId = VmId(0x3f_ff02);
    type Repr = DataValue;
    fn decode(&self, value: &DataValue) -> Option<DataValue> {
        Some(value.clone())
    }
    fn encode(&self, repr: &DataValue) -> DataValue {
        repr.clone()
    }
    fn evaluate(
        &self,
        _f: &DataValue,
        args: &[DataValue],
        limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<DataValue> {
        if limit < 1 {
            return Evaluation::failed(0);
        }
        let Some((callee, rest)) = args.split_first() else {
            return Evaluation::failed(1);
        };
        match env.multievaluate(callee, rest, limit - 1) {
            Ok(nested) => Evaluation {
                result: nested.result,
                gas_used: 1 + nested.gas_used,
            },
            Err(_) => Evaluation::failed(1),
        }
    }
}

fn arith(code: &[u8]) -> DataValue {
    DataValue::function(Arith::ID, code.to_vec())
}

fn call() -> DataValue {
    DataValue::function(Call::ID, [])
}

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register(Arith).unwrap().register(Call).unwrap();
    r
}

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

#[test]
fn multievaluate_dispatches_on_the_vm_number() {
    let r = registry();
    // (a0 + a1) * 3
    let f = arith(&[0, 0, 0, 1, 2, 1, 3, 3]);
    let e = r.multievaluate(&f, &[nat(4), nat(5)], 100).unwrap();
    assert_eq!(e, Evaluation::done(nat(27), 5));
    // Out of gas: no result, and never more gas than the limit.
    let e = r.multievaluate(&f, &[nat(4), nat(5)], 4).unwrap();
    assert_eq!(e, Evaluation::failed(4));
}

#[test]
fn clear_errors_not_panics() {
    let r = registry();
    assert_eq!(
        r.multievaluate(&nat(1), &[], 10),
        Err(RegistryError::NotAFunction)
    );
    let f = DataValue::function(VmId::CAIRO, []);
    assert_eq!(
        r.multievaluate(&f, &[], 10),
        Err(RegistryError::UnknownVm(VmId::CAIRO))
    );
    assert_eq!(
        RegistryError::UnknownVm(VmId::CAIRO).to_string(),
        "no VM with number 0x3 is registered"
    );
    let mut again = registry();
    assert_eq!(
        again.register(Arith).unwrap_err(),
        RegistryError::AlreadyRegistered(Arith::ID)
    );
}

#[test]
fn nested_gas_is_summed_and_bounded_by_the_outer_limit() {
    let r = registry();
    let square = arith(&[0, 0, 5, 3]); // a0 * a0: 3 gas
    let e = r
        .multievaluate(&call(), &[square.clone(), nat(7)], 100)
        .unwrap();
    assert_eq!(e, Evaluation::done(nat(49), 1 + 3));
    // Call -> Call -> Arith: 1 + 1 + 3.
    let e = r
        .multievaluate(&call(), &[call(), square.clone(), nat(7)], 100)
        .unwrap();
    assert_eq!(e, Evaluation::done(nat(49), 5));
    // With 4 gas the innermost call gets 2 and runs out; the total stays in 4.
    let e = r
        .multievaluate(&call(), &[call(), square, nat(7)], 4)
        .unwrap();
    assert_eq!(e.result, None);
    assert!(e.gas_used <= 4);
}

#[test]
fn nesting_depth_is_bounded() {
    let r = registry().with_max_depth(3);
    let mut args = vec![call(); 10];
    args.push(arith(&[1, 9]));
    let e = r.multievaluate(&call(), &args, 1000).unwrap();
    // Depths 0..=3 run, the call from depth 3 is refused.
    assert_eq!(e, Evaluation::failed(4));
    let shallow = [call(), call(), arith(&[1, 9])];
    assert_eq!(
        r.multievaluate(&call(), &shallow, 1000).unwrap(),
        Evaluation::done(nat(9), 4)
    );
    // A function that calls itself forever stops at the depth bound too.
    let r = registry();
    let e = r
        .multievaluate(&call(), &vec![call(); 1000], u64::MAX)
        .unwrap();
    assert_eq!(
        e,
        Evaluation::failed(Registry::new().max_depth() as u64 + 1)
    );
}

#[test]
fn foreign_functions_stay_data() {
    let foreign = DataValue::function(VmId::NOCKMA, [1, 2, 3]);
    assert_eq!(
        Arith.decode(&foreign),
        Some(ArithRepr::Data(foreign.clone()))
    );
    // Arith cannot run a Nockma function: passing one as data is fine, and
    // Call forwards it to the registry, which does not know Nockma.
    let r = registry();
    assert_eq!(
        r.multievaluate(&call(), &[foreign], 10).unwrap(),
        Evaluation::failed(1)
    );
}

/// Reports one gas more than its limit.
struct Overrun;
impl Vm for Overrun {
    const ID: VmId = VmId(0x3f_ff03);
    type Repr = DataValue;
    fn decode(&self, v: &DataValue) -> Option<DataValue> {
        Some(v.clone())
    }
    fn encode(&self, r: &DataValue) -> DataValue {
        r.clone()
    }
    fn evaluate(
        &self,
        _: &DataValue,
        _: &[DataValue],
        limit: Gas,
        _: &mut dyn Env,
    ) -> Evaluation<DataValue> {
        Evaluation::failed(limit + 1)
    }
}

/// Forgets to count the gas of its nested call.
struct Forgetful;
impl Vm for Forgetful {
    const ID: VmId = VmId(0x3f_ff04);
    type Repr = DataValue;
    fn decode(&self, v: &DataValue) -> Option<DataValue> {
        Some(v.clone())
    }
    fn encode(&self, r: &DataValue) -> DataValue {
        r.clone()
    }
    fn evaluate(
        &self,
        _: &DataValue,
        args: &[DataValue],
        limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<DataValue> {
        let nested = env.multievaluate(&args[0], &args[1..], limit).unwrap();
        Evaluation {
            result: nested.result,
            gas_used: 1,
        }
    }
}

/// Asks for more nested gas than it has; the registry clamps the request.
struct Greedy;
impl Vm for Greedy {
    const ID: VmId = VmId(0x3f_ff05);
    type Repr = DataValue;
    fn decode(&self, v: &DataValue) -> Option<DataValue> {
        Some(v.clone())
    }
    fn encode(&self, r: &DataValue) -> DataValue {
        r.clone()
    }
    fn evaluate(
        &self,
        _: &DataValue,
        args: &[DataValue],
        _limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<DataValue> {
        let nested = env.multievaluate(&args[0], &args[1..], Gas::MAX).unwrap();
        Evaluation {
            result: nested.result,
            gas_used: nested.gas_used,
        }
    }
}

#[test]
fn the_registry_catches_broken_gas_accounting() {
    let mut r = registry();
    r.register(Overrun)
        .unwrap()
        .register(Forgetful)
        .unwrap()
        .register(Greedy)
        .unwrap();
    let f = DataValue::function(Overrun::ID, []);
    assert_eq!(
        r.multievaluate(&f, &[], 10),
        Err(RegistryError::GasOverrun {
            vm: Overrun::ID,
            used: 11,
            limit: 10
        })
    );
    let f = DataValue::function(Forgetful::ID, []);
    let sum = arith(&[1, 100, 6]); // 2 + 100 gas
    assert_eq!(
        r.multievaluate(&f, std::slice::from_ref(&sum), 1000),
        Err(RegistryError::GasUnderReported {
            vm: Forgetful::ID,
            used: 1,
            nested: 102
        })
    );
    let f = DataValue::function(Greedy::ID, []);
    assert_eq!(
        r.multievaluate(&f, std::slice::from_ref(&sum), 50).unwrap(),
        Evaluation::failed(50)
    );
    assert_eq!(
        r.multievaluate(&f, &[sum], 102).unwrap().result,
        Some(nat(4950))
    );
}

#[test]
fn isolated_evaluation_refuses_nesting() {
    let e = Call.evaluate(&call(), &[arith(&[1, 1])], 10, &mut Isolated);
    assert_eq!(e, Evaluation::failed(1));
}

fn arith_code() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            (0u8..2, 0u8..4).prop_map(|(op, k)| vec![op, k]),
            (0u8..40).prop_map(|n| vec![1, n]),
            (2u8..=6).prop_map(|op| vec![op]),
            any::<u8>().prop_map(|b| vec![b]),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn arith_args() -> impl Strategy<Value = Vec<ArithRepr>> {
    prop::collection::vec(
        prop_oneof![
            4 => (0u64..50).prop_map(|n| ArithRepr::Data(nat(n))),
            1 => any_value().prop_map(ArithRepr::Data),
            1 => arith_code().prop_map(ArithRepr::Program),
        ],
        0..4,
    )
}

#[test]
fn arith_conforms() {
    Laws::new(
        &Arith,
        arith_code().prop_map(ArithRepr::Program),
        arith_args(),
    )
    .gas(200)
    .check();
}

#[test]
fn call_conforms_with_nesting() {
    let r = registry();
    let callee = prop_oneof![
        arith_code().prop_map(|c| arith(&c)),
        Just(call()),
        any_value(),
    ];
    let args = prop::collection::vec(callee, 0..5);
    Laws::new(&Call, Just(call()), args)
        .registry(&r)
        .gas(200)
        .check();
}

/// A transparent proof system, for testing the law checks only: the proof
/// is the private input and verifying runs the program again. Complete and
/// sound, not zero-knowledge. Programs are Arith programs that must return 1.
struct Transparent {
    gas: Gas,
}

impl Vm for Transparent {
    const ID: VmId = VmId(0x3f_ff06);
    type Repr = ArithRepr;
    fn decode(&self, v: &DataValue) -> Option<ArithRepr> {
        Arith.decode(v)
    }
    fn encode(&self, r: &ArithRepr) -> DataValue {
        Arith.encode(r)
    }
    fn evaluate(
        &self,
        f: &ArithRepr,
        args: &[ArithRepr],
        limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<ArithRepr> {
        Arith.evaluate(f, args, limit, env)
    }
}

impl ProvableVm for Transparent {
    type Proof = ArithRepr;
    const ZERO_KNOWLEDGE: bool = false;
    fn prove(
        &self,
        program: &ArithRepr,
        private: &ArithRepr,
        public: &ArithRepr,
        gas: Gas,
    ) -> Result<ArithRepr, ProveError> {
        let e = self.evaluate(
            program,
            &[public.clone(), private.clone()],
            gas,
            &mut Isolated,
        );
        match e.result {
            Some(r) if self.encode(&r) == nat(1) => Ok(private.clone()),
            Some(_) => Err(ProveError::Unsatisfied),
            None if e.gas_used == gas => Err(ProveError::OutOfGas),
            None => Err(ProveError::Unsatisfied),
        }
    }
    fn verify(&self, program: &ArithRepr, public: &ArithRepr, proof: &ArithRepr) -> bool {
        let e = self.evaluate(
            program,
            &[public.clone(), proof.clone()],
            self.gas,
            &mut Isolated,
        );
        e.result.is_some_and(|r| self.encode(&r) == nat(1))
    }
}

/// Accepts every proof: unsound, and the check must say so.
struct Gullible;
impl Vm for Gullible {
    const ID: VmId = VmId(0x3f_ff07);
    type Repr = ArithRepr;
    fn decode(&self, v: &DataValue) -> Option<ArithRepr> {
        Arith.decode(v)
    }
    fn encode(&self, r: &ArithRepr) -> DataValue {
        Arith.encode(r)
    }
    fn evaluate(
        &self,
        f: &ArithRepr,
        args: &[ArithRepr],
        limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<ArithRepr> {
        Arith.evaluate(f, args, limit, env)
    }
}
impl ProvableVm for Gullible {
    type Proof = ();
    const ZERO_KNOWLEDGE: bool = true;
    fn prove(&self, _: &ArithRepr, _: &ArithRepr, _: &ArithRepr, _: Gas) -> Result<(), ProveError> {
        Ok(())
    }
    fn verify(&self, _: &ArithRepr, _: &ArithRepr, _: &()) -> bool {
        true
    }
}

/// "public = private * private", as an Arith predicate: 1 when it holds.
fn is_square_root() -> ArithRepr {
    // a1*a1 - a0 + a0 - a1*a1 == 0  <=>  equal; return 1 - (|x-y| saturating both ways)
    ArithRepr::Program(vec![
        1, 1, 0, 1, 0, 1, 3, 0, 0, 4, 0, 0, 0, 1, 0, 1, 3, 4, 2, 4,
    ])
}

#[test]
fn provable_laws() {
    let p = is_square_root();
    let d = |n: u64| ArithRepr::Data(nat(n));
    assert_eq!(
        Arith
            .evaluate(&p, &[d(49), d(7)], 100, &mut Isolated)
            .result,
        Some(d(1))
    );
    assert_eq!(
        Arith
            .evaluate(&p, &[d(48), d(7)], 100, &mut Isolated)
            .result,
        Some(d(0))
    );
    let vm = Transparent { gas: 100 };
    check_proof(&vm, &p, &d(7), &d(49), &d(50), 100).unwrap();
    check_proof(&vm, &p, &d(7), &d(48), &d(49), 100).unwrap();
    let statements = (0u64..20, 0u64..400, 0u64..400).prop_map(move |(x, public, other)| {
        (
            is_square_root(),
            d(x),
            d(public.max(x * x * (public % 2))),
            d(other),
        )
    });
    ProofLaws::new(&vm, statements, 100).check();
    let err = check_proof(&Gullible, &p, &d(7), &d(48), &d(49), 100).unwrap_err();
    assert!(err.starts_with("soundness"), "{err}");
}

/// Asks the host about its first argument, for 1 gas plus the host's.
struct Ask;

impl Vm for Ask {
    const ID: VmId = VmId(0x3f_ff05);
    type Repr = DataValue;
    fn decode(&self, value: &DataValue) -> Option<DataValue> {
        Some(value.clone())
    }
    fn encode(&self, repr: &DataValue) -> DataValue {
        repr.clone()
    }
    fn evaluate(
        &self,
        _f: &DataValue,
        args: &[DataValue],
        limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<DataValue> {
        match (args.first(), limit >= 1) {
            (Some(q), true) => match env.host_call(q, limit - 1) {
                Ok(a) => Evaluation {
                    result: a.result,
                    gas_used: 1 + a.gas_used,
                },
                Err(_) => Evaluation::failed(1),
            },
            _ => Evaluation::failed(limit.min(1)),
        }
    }
}

/// Answers every request with how many it has seen, for `cost` gas each
/// (reporting `cost` even over the limit, to test the registry's check).
struct Counting {
    seen: u64,
    cost: Gas,
}

impl avm_vm::Host for Counting {
    fn host_call(&mut self, _request: &DataValue, gas_limit: Gas) -> Evaluation<DataValue> {
        self.seen += 1;
        if self.cost > gas_limit && self.cost != 99 {
            return Evaluation::failed(gas_limit);
        }
        Evaluation::done(nat(self.seen), self.cost)
    }
}

#[test]
fn host_calls_reach_the_host_through_nesting_and_count_as_nested_gas() {
    let mut r = registry();
    r.register(Ask).unwrap();
    let ask = DataValue::function(Ask::ID, []);
    let mut host = Counting { seen: 0, cost: 3 };
    // Call -> Ask -> host: 1 + 1 + 3 gas, and the host saw one request.
    let e = r
        .multievaluate_in(&call(), &[ask.clone(), nat(0)], 100, &mut host)
        .unwrap();
    assert_eq!(e, Evaluation::done(nat(1), 5));
    // The outer limit bounds the host too.
    let e = r
        .multievaluate_in(&call(), &[ask.clone(), nat(0)], 4, &mut host)
        .unwrap();
    assert_eq!(e.result, None);
    // Without a host, or from an isolated evaluation, the request is refused.
    assert_eq!(r.multievaluate(&ask, &[nat(0)], 10).unwrap().result, None);
    assert_eq!(Isolated.host_call(&nat(0), 10), Err(RegistryError::NoHost));
    // A host that reports more than its limit is caught.
    let mut greedy = Counting { seen: 0, cost: 99 };
    assert_eq!(
        r.multievaluate_in(&ask, &[nat(0)], 10, &mut greedy),
        Ok(Evaluation::failed(1))
    );
}
