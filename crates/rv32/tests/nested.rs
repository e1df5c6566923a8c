//! Nested evaluation across VMs: RV32 code evaluates a function of any
//! registered VM through the `evaluate` syscall (0x180), with gas from its
//! own budget, and Alu code calls an RV32 function; `contracts/apply.c`
//! (`apply(f, x...)` evaluates `f` on `x...`) is the RV32 side.

mod common;

use std::rc::Rc;

use avm_obj::{Config, ObjectHost, Runtime, Space};
use avm_rv32::binding::Rv32Vm;
use avm_rv32::contract::{Chain, Status, Transaction, TxKind};
use avm_rv32::{ElfLimits, FaultCause, Program};
use avm_vm::{codec, DataValue, Env, Evaluation, Gas, Registry, RegistryError, VmId};

const APPLY: &[u8] = include_bytes!("../../../contracts/apply.elf");
const GAS: Gas = 10_000_000;

fn apply() -> DataValue {
    DataValue::function(VmId::RV32, APPLY)
}

/// An Alu function from assembly source (with the OBJ extension).
fn alu(source: &str) -> DataValue {
    let lib = avm_asm::assemble_with("f.alu", source, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .library;
    avm_alu::binding::function(&lib, []).unwrap()
}

/// `a64[0] + a64[1]`.
fn add() -> DataValue {
    alu(".entry main\nmain:\n    add.uc a64[0], a64[0], a64[1]\n    stop\n")
}

/// Counts a64[1] up to a64[0] (n rounds, about 4 gas each) and answers n.
fn count() -> DataValue {
    alu(".entry main
main:
    put a64[1], 0
loop:
    inc.uc a64[1], 1
    gt.u a64[1], a64[0]
    inv st0
    jif loop
    inv st0
    stop
")
}

/// Alu (with OBJ) and RV32.
fn registry() -> Registry {
    let mut registry = avm_obj::alu::registry();
    registry.register(Rv32Vm).unwrap();
    registry
}

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

/// What `apply` answers for a result `v`: its canonical encoding, as bytes.
fn applied(v: DataValue) -> DataValue {
    DataValue::bytes(codec::encode(&v))
}

#[test]
fn rv32_evaluates_an_alu_function_with_gas_from_its_budget() {
    let registry = registry();
    let e = registry
        .multievaluate(&apply(), &[add(), nat(40), nat(2)], GAS)
        .unwrap();
    assert_eq!(e.result, Some(applied(nat(42))));
    // The nested gas is the RV32 evaluation's own (the registry checks it
    // is at least what the nested evaluations used): a count ten times as
    // long costs apply exactly what it costs the Alu function.
    let direct = |n| registry.multievaluate(&count(), &[nat(n)], GAS).unwrap();
    let nested = |n| {
        registry
            .multievaluate(&apply(), &[count(), nat(n)], GAS)
            .unwrap()
    };
    let (short, long) = (nested(10), nested(100));
    assert_eq!(long.result, Some(applied(nat(100))));
    assert_eq!(
        long.gas_used - short.gas_used,
        direct(100).gas_used - direct(10).gas_used
    );
    assert!(direct(100).gas_used > direct(10).gas_used);
    // Too little gas for the count: the nested evaluation uses up its
    // budget, apply reverts with what it kept for itself, and there is no
    // result.
    let starved = registry
        .multievaluate(&apply(), &[count(), nat(100_000)], 300_000)
        .unwrap();
    assert_eq!(starved.result, None);
    assert!(starved.gas_used > 300_000 - 2 * (64 << 10) - 2_000);
    assert!(starved.gas_used < 300_000);
}

#[test]
fn nesting_stops_at_the_registry_depth() {
    let args = |applies: usize| {
        let mut args = vec![apply(); applies];
        args.extend([add(), nat(40), nat(2)]);
        args
    };
    let registry = registry().with_max_depth(3);
    // apply(apply, apply, add, 40, 2): three RV32 levels, then Alu at depth 3.
    let e = registry.multievaluate(&apply(), &args(2), GAS).unwrap();
    let twice = |v| applied(applied(v));
    assert_eq!(e.result, Some(applied(twice(nat(42)))));
    // One level more is refused at the depth limit: apply reverts.
    let e = registry.multievaluate(&apply(), &args(3), GAS).unwrap();
    assert_eq!(e.result, None);
    assert!(e.gas_used < GAS);
}

/// The registry as an [`Env`], to run transactions with it and read their
/// receipts.
struct Evaluator(Registry);

impl Env for Evaluator {
    fn multievaluate(
        &mut self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        self.0.multievaluate(function, args, gas_limit)
    }
}

/// Calls `apply` with raw `input` in a chain whose `evaluate` reaches `env`
/// (none: a chain's own, which has no registry).
fn call_apply(input: Vec<u8>, env: Option<&mut dyn Env>) -> avm_rv32::contract::Receipt {
    let to = [7; 32];
    let mut chain = Chain::default();
    let program = Program::from_elf(APPLY, &ElfLimits::default()).unwrap();
    chain.install(to, APPLY.into(), program.into());
    let tx = Transaction {
        sender: [1; 32],
        nonce: 0,
        value: 0,
        gas_limit: GAS,
        kind: TxKind::Call { to, input },
    };
    match env {
        Some(env) => chain.execute_in(&tx, env),
        None => chain.execute(&tx),
    }
    .unwrap()
}

#[test]
fn every_way_of_not_evaluating_is_a_status_or_a_fault() {
    let call = |items: Vec<DataValue>| codec::encode(&DataValue::tuple(items));
    let mut env = Evaluator(registry());
    let ok = call_apply(call(vec![add(), nat(1), nat(2)]), Some(&mut env));
    assert_eq!(ok.status, Status::Success);
    assert_eq!(ok.return_data, codec::encode(&nat(3)));
    let reverted = |input, env: Option<&mut dyn Env>| {
        let r = call_apply(input, env);
        assert_eq!(r.status, Status::Reverted);
        String::from_utf8(r.return_data).unwrap()
    };
    // A chain has no registry.
    assert_eq!(reverted(call(vec![add(), nat(1), nat(2)]), None), "refused");
    // Not a function; a VM nobody registered.
    let unknown = DataValue::function(VmId(0x3f_ff42), []);
    for items in [vec![nat(5)], vec![unknown]] {
        assert_eq!(reverted(call(items), Some(&mut env)), "refused");
    }
    // The function fails: adding past 2^64 with a checked add.
    let max = nat(u64::MAX);
    let failed = reverted(call(vec![add(), max, nat(1)]), Some(&mut env));
    assert_eq!(failed, "no result");
    // Bytes that are not the encoding of a non-empty tuple fault the call.
    for input in [b"hello".to_vec(), call(vec![]), codec::encode(&nat(1))] {
        let r = call_apply(input, Some(&mut env));
        let expected = FaultCause::InvalidSyscall { num: 0x180 }.to_string();
        assert!(
            matches!(&r.status, Status::Faulted { cause, .. } if *cause == expected),
            "{:?}",
            r.status
        );
    }
}

#[test]
fn an_alu_object_calls_an_rv32_function_that_calls_alu() {
    let config = Config {
        allow_unsafe: true,
        ..Config::default()
    };
    let mut rt = Runtime::with_config(Space::new().shared(), Rc::new(registry()), config);
    rt.set_gas(GAS);
    assert!(rt.register_pure("apply", apply()).unwrap());
    // The behaviour: callPure("apply", (add, 40, 2)) into s[0].
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let args = codec::encode(&DataValue::tuple([add(), nat(40), nat(2)]));
    let behaviour = alu(&format!(
        ".isa OBJ
.data n x\"{}\"
.data a x\"{}\"
.entry main
main:
    put s[1], n
    put s[3], a
    ext 0xD7, x\"000103\"  ; opcall s[0], s[1], s[3]
    stop
",
        hex(b"apply"),
        hex(&args)
    ));
    let object = rt.create_obj(behaviour, None).unwrap();
    let out = rt.call(object, DataValue::unit()).unwrap();
    // s[0] holds apply's result as it is: the bytes of add's encoding.
    let Some(DataValue::Bytes(encoded)) = out else {
        panic!("{out:?}")
    };
    assert_eq!(codec::decode(&encoded).unwrap(), nat(42));
}

/// `apply` by hand: a few dozen instructions in a minimal ELF (a few
/// hundred bytes, where apply.elf has 13 KB), so that a call can carry one
/// for each of 64 levels of nesting. It copies its input to the heap,
/// evaluates it with all its gas but 20,000 + the input's length, and
/// returns the result's encoding (reverts without one).
fn small_apply() -> DataValue {
    use common::{addi, bne, li, sub, A0, A1, A2, A3, A7, ECALL, T0, ZERO};
    const S0: u8 = 8;
    const S1: u8 = 9;
    let sys = |num: u32| {
        let mut words = li(A7, num).to_vec();
        words.push(ECALL);
        words
    };
    let mut code = vec![addi(S0, A0, 0)];
    code.extend(sys(0x133)); // input_size
    code.push(addi(S1, A0, 0));
    code.extend([addi(A0, S0, 0), addi(A1, ZERO, 0), addi(A2, S1, 0)]);
    code.extend(sys(0x134)); // input_copy(heap, 0, n)
    code.extend(sys(0x136)); // gas_left (below 2^32 here)
    code.extend(li(T0, 20_000));
    code.extend([sub(A2, A0, T0), sub(A2, A2, S1), addi(A3, ZERO, 0)]);
    code.extend([addi(A0, S0, 0), addi(A1, S1, 0)]);
    code.extend(sys(0x180)); // evaluate(heap, n, budget)
    let revert_at = code.len() + 1 + 4 + 2 + 3 + 3;
    code.push(bne(A0, ZERO, 4 * (revert_at - code.len()) as i32));
    code.extend([
        addi(S1, A1, 0),
        addi(A0, S0, 0),
        addi(A1, ZERO, 0),
        addi(A2, S1, 0),
    ]);
    code.extend(sys(0x121)); // return_data_copy(heap, 0, len)
    code.extend([addi(A0, S0, 0), addi(A1, S1, 0)]);
    code.extend(sys(0x140)); // return(heap, len)
    assert_eq!(code.len(), revert_at);
    code.extend([addi(A0, S0, 0), addi(A1, ZERO, 0)]);
    code.extend(sys(0x141)); // revert
    DataValue::function(VmId::RV32, common::elf(&code))
}

#[test]
fn nesting_to_the_registry_default_depth_stays_on_the_host_stack() {
    let registry = registry();
    let apply = small_apply();
    let nested = |levels: usize| {
        let mut args = vec![apply.clone(); levels - 1];
        args.extend([add(), nat(40), nat(2)]);
        registry.multievaluate(&apply, &args, 100_000_000).unwrap()
    };
    // 64 RV32 levels (depths 0 to 63), then Alu at depth 64, the limit.
    let deepest = nested(64);
    let mut expected = nat(42);
    for _ in 0..64 {
        expected = applied(expected);
    }
    assert_eq!(deepest.result, Some(expected));
    // One more is refused, and every level reverts.
    assert_eq!(nested(65).result, None);
}
