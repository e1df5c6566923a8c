//! Alu behind the multiformat interface: the conformance laws over
//! generated programs, and real programs through `Registry::multievaluate`.

use avm_alu::binding::{self, AluValue, AluVm, CodeError, MAX_ARGS};
use avm_alu::isa::{self, Instr, Operand};
use avm_alu::reg::{AWidth, RegA, RegS};
use avm_alu::{Library, ProgramError};
use avm_vm::conformance::{any_value, Laws};
use avm_vm::{codec, BigUint, DataValue, Evaluation, Gas, Registry, Vm, VmId};
use proptest::prelude::*;

// ---- a small builder: instructions with jumps to instruction indices ----

#[derive(Clone, Debug)]
enum Step {
    I(Instr),
    /// `jif` to the step with this index (clamped to the end).
    Jif(usize),
    /// `jmp` to the step with this index (clamped to the end).
    Jmp(usize),
}

fn ins(mnemonic: &str, flag: Option<&str>, ops: &[Operand]) -> Instr {
    Instr::from_parts(mnemonic, flag, ops).unwrap_or_else(|e| panic!("{mnemonic}: {}", e.0))
}

fn a(bits: u16, idx: u8) -> Operand {
    Operand::A(RegA {
        width: AWidth::with_bits(bits).unwrap(),
        idx,
    })
}

fn s(idx: u8) -> Operand {
    Operand::S(RegS(idx))
}

fn i(mnemonic: &str, flag: Option<&str>, ops: &[Operand]) -> Step {
    Step::I(ins(mnemonic, flag, ops))
}

/// The code of `steps`, jump targets resolved to byte offsets.
fn code(steps: &[Step]) -> Vec<u8> {
    code_at(steps, 0)
}

/// The code of `steps` placed at byte offset `at` of a code segment.
fn code_at(steps: &[Step], at: u16) -> Vec<u8> {
    let len = |s: &Step| match s {
        Step::I(x) => x.len() as u16,
        Step::Jif(_) | Step::Jmp(_) => 3,
    };
    let mut offsets = vec![at];
    for s in steps {
        offsets.push(offsets.last().unwrap() + len(s));
    }
    let target = |t: usize| offsets[t.min(steps.len())];
    let instrs: Vec<Instr> = steps
        .iter()
        .map(|s| match s {
            Step::I(x) => *x,
            Step::Jif(t) => ins("jif", None, &[Operand::Pos(target(*t))]),
            Step::Jmp(t) => ins("jmp", None, &[Operand::Pos(target(*t))]),
        })
        .collect();
    isa::assemble(&instrs)
}

fn library(steps: &[Step], data: &[u8]) -> Library {
    Library::new(vec![], vec![], code(steps), data.to_vec()).unwrap()
}

fn registry() -> Registry {
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    registry
}

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

fn eval(f: &DataValue, args: &[DataValue], gas: Gas) -> Evaluation<DataValue> {
    registry().multievaluate(f, args, gas).unwrap()
}

// ---- real programs ----

/// sum(n) = 1 + 2 + ... + n in a64; data: 0 then 1 as 8-byte words.
fn sum() -> DataValue {
    let steps = [
        i("put", None, &[a(64, 1), Operand::Data(0)]), // sum := 0
        i("put", None, &[a(64, 2), Operand::Data(8)]), // i := 1
        i("gt", Some("u"), &[a(64, 2), a(64, 0)]),     // 2: st0 := i > n
        Step::Jif(7),
        i("add", Some("uc"), &[a(64, 1), a(64, 1), a(64, 2)]),
        i("inc", Some("uc"), &[a(64, 2), Operand::Imm(1)]),
        Step::Jmp(2),
        i("mov", None, &[a(64, 0), a(64, 1)]), // 7: the result in a64[0]
        i("stop", None, &[]),
    ];
    let mut data = vec![0u8; 8];
    data.extend(1u64.to_le_bytes());
    binding::function(&library(&steps, &data), []).unwrap()
}

/// n! in a1024 for n in a64[0]; an overflow fails.
fn factorial() -> DataValue {
    let steps = [
        i("put", None, &[a(1024, 0), Operand::Data(0)]), // product := 1
        i("cpy", None, &[a(1024, 1), a(64, 0)]),         // k := n
        i("ifz", None, &[a(1024, 1)]),                   // 2: st0 := k == 0
        Step::Jif(9),
        i("inv", None, &[Operand::St0]), // st0 := true (k != 0)
        i("mul", Some("uc"), &[a(1024, 0), a(1024, 0), a(1024, 1)]),
        i("test", None, &[]), // fail on overflow
        i("dec", Some("uc"), &[a(1024, 1), Operand::Imm(1)]),
        Step::Jmp(2),
        i("stop", None, &[]), // 9
    ];
    let mut one = vec![0u8; 128];
    one[0] = 1;
    binding::function(&library(&steps, &one), []).unwrap()
}

/// s[0] ++ ", " ++ s[1].
fn join() -> DataValue {
    let steps = [
        i("put", None, &[s(2), Operand::DataRange { off: 0, len: 2 }]),
        i("join", None, &[s(0), s(0), s(1), s(2)]),
        i("stop", None, &[]),
    ];
    binding::function(&library(&steps, b", "), []).unwrap()
}

fn big_factorial(n: u32) -> BigUint {
    (1..=n).map(BigUint::from).product()
}

#[test]
fn sum_runs_through_the_registry() {
    let e = eval(&sum(), &[nat(100)], 100_000);
    assert_eq!(e.result, Some(nat(5050)));
    // 2 puts (2 each) + 101 loop heads (gt 1 + jif 2) + 100 bodies
    // (add 1, inc 1, jmp 2) + mov 1 + stop 1.
    assert_eq!(e.gas_used, 4 + 101 * 3 + 100 * 4 + 2);
    assert_eq!(eval(&sum(), &[nat(0)], 1000).result, Some(nat(0)));
}

#[test]
fn running_out_of_gas_gives_no_result_and_uses_at_most_the_limit() {
    let full = eval(&sum(), &[nat(100)], 100_000).gas_used;
    for limit in [0, 1, 5, full / 2, full - 1] {
        let e = eval(&sum(), &[nat(100)], limit);
        assert_eq!(e.result, None, "limit {limit}");
        assert!(e.gas_used <= limit);
    }
    assert_eq!(eval(&sum(), &[nat(100)], full).result, Some(nat(5050)));
    // No argument: the loop never ends (undefined n) and the gas runs out,
    // not the jumps: the jump limit is the gas limit.
    let e = eval(&sum(), &[], 200_000);
    assert_eq!(e.result, None);
    assert!(e.gas_used > 199_990, "{}", e.gas_used);
}

#[test]
fn factorial_returns_a_wide_natural() {
    let e = eval(&factorial(), &[nat(100)], 1_000_000);
    assert_eq!(e.result, Some(DataValue::Nat(big_factorial(100))));
    assert_eq!(eval(&factorial(), &[nat(0)], 1000).result, Some(nat(1)));
    // 171! needs more than 1024 bits: the checked multiplication fails.
    assert_eq!(eval(&factorial(), &[nat(171)], 10_000_000).result, None);
    assert_eq!(
        eval(&factorial(), &[nat(170)], 10_000_000).result,
        Some(DataValue::Nat(big_factorial(170)))
    );
}

#[test]
fn byte_strings_go_in_and_come_out() {
    let args = [DataValue::string("hello"), DataValue::string("world")];
    let e = eval(&join(), &args, 100);
    assert_eq!(e.result, Some(DataValue::string("hello, world")));
    // join 2, put 2, stop 1.
    assert_eq!(e.gas_used, 5);
    // A missing argument: the join is undefined, so is the result register;
    // the convention then returns the unit value.
    let e = eval(&join(), &args[..1], 100);
    assert_eq!(e.result, Some(DataValue::unit()));
}

#[test]
fn structured_arguments_land_as_their_encoding() {
    // a16[0] := len s[0]; a64[0] := a16[0]; clr s[0]
    let steps = [
        i("len", None, &[a(16, 0), s(0)]),
        i("cpy", None, &[a(64, 0), a(16, 0)]),
        i("stop", None, &[]),
    ];
    let f = binding::function(&library(&steps, &[]), []).unwrap();
    for arg in [
        DataValue::tuple([nat(1), DataValue::string("ab")]),
        DataValue::option(3, DataValue::unit()),
        DataValue::function(VmId::RV32, [1, 2, 3]),
        sum(),
    ] {
        let n = codec::encode(&arg).len() as u64;
        assert_eq!(eval(&f, &[arg], 100).result, Some(nat(n)));
    }
    assert_eq!(
        eval(&f, &[DataValue::bytes([7; 300])], 100).result,
        Some(nat(300))
    );
}

#[test]
fn a_returned_argument_comes_back_by_shape() {
    let id = binding::function(&library(&[i("stop", None, &[])], &[]), []).unwrap();
    let big = DataValue::Nat(BigUint::from(1u8) << 1000);
    for v in [
        nat(0),
        nat(u64::MAX),
        big,
        DataValue::bytes([]),
        DataValue::string("x"),
    ] {
        assert_eq!(eval(&id, std::slice::from_ref(&v), 10).result, Some(v));
    }
    assert_eq!(eval(&id, &[], 10).result, Some(DataValue::unit()));
    // a1024[0] wins over a64[0], which wins over s[0].
    let args = [DataValue::string("s"), nat(2)];
    let swap = binding::function(
        &library(
            &[i("dup", None, &[a(64, 0), a(64, 1)]), i("stop", None, &[])],
            &[],
        ),
        [],
    )
    .unwrap();
    assert_eq!(eval(&swap, &args, 10).result, Some(nat(2)));
}

#[test]
fn arguments_that_do_not_fit_give_no_result() {
    let id = binding::function(&library(&[i("stop", None, &[])], &[]), []).unwrap();
    let too_wide = DataValue::Nat(BigUint::from(1u8) << 1024);
    let too_long = DataValue::bytes(vec![0; 65536]);
    let too_many = vec![nat(1); MAX_ARGS + 1];
    for args in [vec![too_wide], vec![too_long], too_many] {
        assert_eq!(eval(&id, &args, 10), Evaluation::failed(0));
    }
    assert!(eval(&id, &vec![nat(1); MAX_ARGS], 10).result.is_some());
}

#[test]
fn st0_false_gives_no_result() {
    let f = binding::function(&library(&[i("fail", None, &[])], &[]), []).unwrap();
    assert_eq!(eval(&f, &[], 10), Evaluation::failed(1));
    // Stopping with st0 false is no result either.
    let f = binding::function(
        &library(
            &[i("inv", None, &[Operand::St0]), i("stop", None, &[])],
            &[],
        ),
        [],
    )
    .unwrap();
    assert_eq!(eval(&f, &[], 10), Evaluation::failed(2));
}

/// A library exporting `square` (a64[0] := a64[0]^2; ret) and one whose
/// `main`, after a `fail` at offset 0, calls it.
fn with_import() -> (Library, Library) {
    let square = library(
        &[
            i("mul", Some("uc"), &[a(64, 0), a(64, 0), a(64, 0)]),
            i("ret", None, &[]),
        ],
        &[],
    );
    let code = isa::assemble(&[
        ins("fail", None, &[]),
        ins("call", None, &[Operand::Site { pos: 0, lib: 0 }]),
        ins("stop", None, &[]),
    ]);
    let mut main = Library::new(vec![], vec![square.id()], code, vec![]).unwrap();
    main.entries = vec![("main".into(), 1)];
    main.check().unwrap();
    (main, square)
}

#[test]
fn imports_travel_in_a_bundle_and_main_is_the_entry() {
    let (main, square) = with_import();
    let unrelated = library(&[i("nop", None, &[])], &[]);
    let f = binding::function(&main, [unrelated, square.clone()]).unwrap();
    let DataValue::Function { code, .. } = &f else {
        panic!()
    };
    // The bundle holds exactly the entry library and what it reaches.
    assert_eq!(
        codec::decode(code).unwrap(),
        DataValue::tuple([
            DataValue::bytes(main.to_bytes()),
            DataValue::bytes(square.to_bytes())
        ])
    );
    let e = eval(&f, &[nat(12)], 100);
    // call 4 + 1 for its frame, mul 2, ret 2, stop 1.
    assert_eq!(e, Evaluation::done(nat(144), 10));
    // Without the import: no function value, and its container alone is no
    // program (it decodes as data, which evaluates to nothing).
    assert!(matches!(
        binding::function(&main, []),
        Err(ProgramError::MissingLibrary { .. })
    ));
    let alone = DataValue::function(VmId::ALU, main.to_bytes());
    assert!(matches!(
        AluVm::new().program(&main.to_bytes()),
        Err(CodeError::Program(ProgramError::MissingLibrary { .. }))
    ));
    assert_eq!(
        AluVm::new().decode(&alone),
        Some(AluValue::Data(alone.clone()))
    );
    assert_eq!(eval(&alone, &[nat(12)], 100), Evaluation::failed(0));
}

#[test]
fn bundles_are_canonical() {
    let (main, square) = with_import();
    let vm = AluVm::new();
    let bundle = |items: Vec<Vec<u8>>| {
        codec::encode(&DataValue::Tuple(
            items.into_iter().map(DataValue::Bytes).collect(),
        ))
    };
    assert!(vm
        .program(&bundle(vec![main.to_bytes(), square.to_bytes()]))
        .is_ok());
    let extra = library(&[i("nop", None, &[])], &[]);
    for bad in [
        bundle(vec![main.to_bytes()]),
        bundle(vec![square.to_bytes(), main.to_bytes()]),
        bundle(vec![main.to_bytes(), square.to_bytes(), extra.to_bytes()]),
        bundle(vec![main.to_bytes(), square.to_bytes(), square.to_bytes()]),
        bundle(vec![main.to_bytes(), vec![1, 2, 3]]),
        codec::encode(&nat(1)),
        vec![],
        b"AVML".to_vec(),
    ] {
        assert!(vm.program(&bad).is_err(), "{bad:?}");
        let v = DataValue::function(VmId::ALU, bad);
        assert_eq!(vm.decode(&v), Some(AluValue::Data(v.clone())));
    }
}

#[test]
fn other_vms_functions_are_data() {
    let vm = AluVm::new();
    let f = DataValue::function(VmId::RV32, sum_code());
    assert_eq!(vm.decode(&f), Some(AluValue::Data(f.clone())));
    assert!(matches!(vm.decode(&sum()), Some(AluValue::Program(_))));
    assert_eq!(
        registry().multievaluate(&f, &[], 10),
        Err(avm_vm::RegistryError::UnknownVm(VmId::RV32))
    );
}

fn sum_code() -> Vec<u8> {
    match sum() {
        DataValue::Function { code, .. } => code,
        _ => unreachable!(),
    }
}

// ---- conformance over generated programs ----

/// One generated step over a64[0..4], a1024[0..2] and s[0..3]; jumps may go
/// backwards (loops that may run out of gas).
fn any_step(len: usize) -> impl Strategy<Value = Step> {
    let r64 = || 0u8..4;
    let flag = prop_oneof![Just("uc"), Just("uw")];
    prop_oneof![
        (
            prop_oneof![Just("add"), Just("sub"), Just("mul")],
            flag.clone(),
            r64(),
            r64(),
            r64()
        )
            .prop_map(|(m, f, d, x, y)| i(m, Some(f), &[a(64, d), a(64, x), a(64, y)])),
        (prop_oneof![Just("inc"), Just("dec")], flag, r64(), 1u16..4).prop_map(|(m, f, d, k)| i(
            m,
            Some(f),
            &[a(64, d), Operand::Imm(k)]
        )),
        (0u8..2, 0u8..2).prop_map(|(d, x)| i(
            "mul",
            Some("uw"),
            &[a(1024, d), a(1024, d), a(1024, x)]
        )),
        (0u8..2, r64()).prop_map(|(d, x)| i("cpy", None, &[a(1024, d), a(64, x)])),
        (0u8..3, 0u8..3, 0u8..3).prop_map(|(d, x, y)| i("cat", None, &[s(d), s(x), s(y)])),
        (prop_oneof![Just("gt"), Just("lt")], r64(), r64()).prop_map(|(m, x, y)| i(
            m,
            Some("u"),
            &[a(64, x), a(64, y)]
        )),
        r64().prop_map(|x| i("ifz", None, &[a(64, x)])),
        r64().prop_map(|x| i("clr", None, &[a(64, x)])),
        (0u8..2).prop_map(|x| i("clr", None, &[a(1024, x)])),
        Just(i("inv", None, &[Operand::St0])),
        (0..=len).prop_map(Step::Jif),
        (0..=len).prop_map(Step::Jmp),
    ]
}

/// A generated program: steps, then `stop`, `test; stop` or `fail`;
/// sometimes with an entry `main` after a `fail`, sometimes calling a
/// routine in an imported library.
fn any_program() -> impl Strategy<Value = DataValue> {
    (1usize..12)
        .prop_flat_map(|len| {
            (
                prop::collection::vec(any_step(len), len),
                0u8..3,
                any::<bool>(),
                any::<bool>(),
            )
        })
        .prop_map(|(mut steps, end, entry, import)| {
            match end {
                0 => steps.push(i("stop", None, &[])),
                1 => steps.extend([i("test", None, &[]), i("stop", None, &[])]),
                _ => steps.push(i("fail", None, &[])),
            }
            let mut code = Vec::new();
            if entry {
                code.extend(isa::assemble(&[ins("fail", None, &[])]));
            }
            let mut deps = vec![];
            if import {
                let (_, square) = with_import();
                code.extend(isa::assemble(&[ins(
                    "call",
                    None,
                    &[Operand::Site { pos: 0, lib: 0 }],
                )]));
                deps.push(square);
            }
            // Jump targets are relative to the steps: shift them.
            let shift = code.len();
            let body = code_at(&steps, shift as u16);
            code.extend(body);
            let mut lib =
                Library::new(vec![], deps.iter().map(Library::id).collect(), code, vec![]).unwrap();
            if entry {
                lib.entries = vec![("main".into(), 1)];
            }
            binding::function(&lib, deps).unwrap()
        })
}

fn any_argument() -> impl Strategy<Value = DataValue> {
    prop_oneof![
        4 => (0u64..20).prop_map(DataValue::nat),
        2 => any::<u64>().prop_map(DataValue::nat),
        1 => prop::collection::vec(any::<u8>(), 0..140)
            .prop_map(|b| DataValue::Nat(BigUint::from_bytes_le(&b))),
        2 => prop::collection::vec(any::<u8>(), 0..200).prop_map(DataValue::Bytes),
        1 => any_value(),
    ]
}

#[test]
fn alu_obeys_the_vm_laws() {
    let vm = AluVm::new();
    let registry = registry();
    let decode = |v: DataValue| AluVm::new().decode(&v).expect("decoding is total");
    let functions = prop_oneof![
        6 => any_program().prop_map(decode),
        1 => any_value().prop_map(decode),
    ];
    let args = prop::collection::vec(any_argument().prop_map(decode), 0..5);
    Laws::new(&vm, functions, args).registry(&registry).check();
}

#[test]
fn generated_programs_decode_as_programs() {
    let vm = AluVm::new();
    proptest!(|(f in any_program())| {
        prop_assert!(matches!(vm.decode(&f), Some(AluValue::Program(_))));
    });
}

#[test]
fn evaluating_values_matches_the_round_trip_through_alu_values() {
    // AluVm's `evaluate_values` skips decoding its arguments and keeps decoded programs:
    // the same results and gas as `Vm::evaluate` between `decode` and `encode`.
    let vm = AluVm::new();
    let functions = prop_oneof![6 => any_program(), 1 => any_value()];
    let args = prop::collection::vec(any_argument(), 0..MAX_ARGS + 2);
    proptest!(|(f in functions, args in args, gas in 0u64..300)| {
        let direct = Vm::evaluate_values(&vm, &f, &args, gas, &mut avm_vm::Isolated).unwrap();
        let decoded: Vec<AluValue> = args.iter().map(|a| vm.decode(a).unwrap()).collect();
        let round_trip = vm
            .evaluate(&vm.decode(&f).unwrap(), &decoded, gas, &mut avm_vm::Isolated)
            .map(|r| vm.encode(&r));
        prop_assert_eq!(direct, round_trip);
    });
}
