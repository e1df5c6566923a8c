//! Symbolic extraction of the example programs (examples/intents), their
//! composition, and concrete replay of every solution.

use avm_alu::Library;
use avm_intent::extract::{extract, ExtractError, Limits};
use avm_intent::replay::{solve_programs, Program};
use avm_intent::{Mode, Options, Outcome};

fn library(name: &str, src: &str) -> Library {
    avm_asm::assemble_with(name, src, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        .library
}

fn example(name: &str) -> Program {
    let path = format!(
        "{}/../../examples/intents/{name}.alu",
        env!("CARGO_MANIFEST_DIR")
    );
    let src = std::fs::read_to_string(&path).unwrap();
    Program::new(name, library(name, &src), Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn all() -> Options {
    Options {
        mode: Mode::All,
        timeout: None,
    }
}

fn parts(out: &Outcome) -> Vec<usize> {
    match out {
        Outcome::Solved(s) => s.parts.iter().map(|p| p.intent).collect(),
        other => panic!("expected a solution, got {other:?}"),
    }
}

#[test]
fn the_exact_swap_extracts_and_replays() {
    let pool = [example("swap-alice"), example("swap-bob")];
    assert_eq!(
        pool[0].extracted.intent.to_string(),
        "intent swap-alice\n  consume 3 apple (swap-alice)\n  create 2 banana (swap-alice)\n"
    );
    assert_eq!(parts(&solve_programs(&pool, all()).unwrap()), vec![0, 1]);
}

#[test]
fn the_range_swap_chooses_within_both_ranges() {
    let pool = [example("range-alice"), example("range-bob")];
    assert_eq!(
        pool[0].extracted.intent.to_string(),
        "intent range-alice\n  var c0 in 0..=100\n  require not(c0 < 4)\n  \
         consume 4 apple (range-alice)\n  create c0 banana (range-alice)\n"
    );
    let Outcome::Solved(s) = solve_programs(&pool, all()).unwrap() else {
        panic!()
    };
    let bananas = s.parts[0].values[0];
    assert!((4..=5).contains(&bananas));
    assert_eq!(s.parts[1].values, vec![bananas, 4]);
}

#[test]
fn the_market_forks_on_the_asset_and_balances() {
    let pool = [
        example("market-alice"),
        example("market-bob"),
        example("market-charlie"),
    ];
    let charlie = &pool[2].extracted;
    assert_eq!(charlie.paths.len(), 2, "one path per asset");
    assert!(charlie.path_var.is_some());
    let Outcome::Solved(s) = solve_programs(&pool, all()).unwrap() else {
        panic!()
    };
    assert_eq!(
        s.parts[0].values[0], 2,
        "Bob's two tickets are sold for ETH"
    );
}

#[test]
fn only_the_barter_ring_balances() {
    let ring = [example("ring-a"), example("ring-b"), example("ring-c")];
    assert_eq!(
        parts(&solve_programs(&ring, Options::default()).unwrap()),
        vec![0, 1, 2]
    );
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let pair = [ring[a].clone(), ring[b].clone()];
        assert_eq!(
            solve_programs(&pair, Options::default()).unwrap(),
            Outcome::Unsatisfiable { conflict: vec![] }
        );
    }
}

#[test]
fn four_queens_through_the_finite_domain_family() {
    let q = example("queens4");
    let Outcome::Solved(s) = solve_programs(&[q], all()).unwrap() else {
        panic!()
    };
    let rows = &s.parts[0].values;
    assert!(rows == &[1, 3, 0, 2] || rows == &[2, 0, 3, 1], "{rows:?}");
}

#[test]
fn an_unsatisfiable_pool_names_the_conflict() {
    let pool = [example("greedy-carol"), example("swap-bob")];
    match solve_programs(&pool, all()).unwrap() {
        Outcome::Unsatisfiable { conflict } => assert_eq!(conflict.len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_replay_with_other_values_is_refused() {
    let alice = example("range-alice");
    let registry = avm_obj::alu::registry();
    assert!(alice.replay(&registry, &[7]).is_ok_and(|gas| gas > 0));
    let e = alice.replay(&registry, &[2]).unwrap_err();
    assert!(e.contains("require does not hold"), "{e}");
}

fn extract_src(src: &str) -> Result<avm_intent::extract::Extracted, ExtractError> {
    extract("p", &library("p.alu", src), Limits::default())
}

#[test]
fn outside_the_subset_is_an_error_naming_instruction_and_offset() {
    let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 9\n  \
               ochoose a64[0], a64[1], a64[2]\n  mul.sc a64[3], a64[0], a64[0]\n  stop\n";
    let e = extract_src(src).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`mul` at offset 0x000c: a product of two symbolic values is not linear"
    );
    let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 9\n  \
               ochoose a64[0], a64[1], a64[2]\n  and a64[3], a64[0], a64[0]\n  stop\n";
    let e = extract_src(src).unwrap_err();
    assert!(e.to_string().starts_with("`and` at offset 0x000c"), "{e}");
    let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 9\n  \
               ochoose a64[0], a64[1], a64[2]\n  add.uc a64[3], a64[0], a64[1]\n  \
               jmp main\n";
    let e = extract_src(src).unwrap_err();
    assert!(e.to_string().contains("more than 1024 variables"), "{e}");
}

#[test]
fn clearing_another_width_is_harmless_and_using_one_is_refused() {
    // Compiled Alma clears a1024[0] before it stops (the calling convention).
    let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 9\n  \
               ochoose a64[0], a64[1], a64[2]\n  clr a1024[0]\n  clr a8[3]\n  stop\n";
    assert_eq!(extract_src(src).unwrap().intent.vars.len(), 1);
    let src = ".isa OBJ\n.entry main\nmain:\n  clr a8[0]\n  ifz a8[0]\n  stop\n";
    let e = extract_src(src).unwrap_err();
    assert!(e.to_string().contains("only a64 registers"), "{e}");
}

#[test]
fn forks_are_bounded() {
    // Each branch on a fresh choice doubles the paths: 7 branches make 128.
    let mut src = String::from(".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 1\n");
    for k in 0..7 {
        src.push_str(&format!(
            "  ochoose a64[0], a64[1], a64[2]\n  ifz a64[0]\n  jif l{k}\nl{k}:\n"
        ));
    }
    src.push_str("  stop\n");
    let e = extract_src(&src).unwrap_err();
    assert!(e.to_string().contains("more than 64 paths"), "{e}");
}

#[test]
fn a_program_that_never_succeeds_is_refused() {
    let src = ".isa OBJ\n.entry main\nmain:\n  fail\n";
    assert_eq!(extract_src(src).unwrap_err(), ExtractError::NeverSucceeds);
}

#[test]
fn the_runtime_refuses_the_intent_opcodes() {
    use avm_obj::{ObjectHost, Runtime, Space};
    use std::rc::Rc;
    let lib = library(
        "a.alu",
        &std::fs::read_to_string(format!(
            "{}/../../examples/intents/range-alice.alu",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    );
    let f = avm_alu::binding::function(&lib, []).unwrap();
    let mut rt = Runtime::new(Space::new().shared(), Rc::new(avm_obj::alu::registry()));
    rt.set_gas(10_000);
    let o = rt.create_obj(f, None).unwrap();
    let e = rt.call(o, avm_vm::DataValue::unit()).unwrap_err();
    assert!(
        e.to_string().contains("runs only under an intent host"),
        "{e}"
    );
}

#[test]
fn symbolic_arithmetic_that_may_overflow_is_refused() {
    // x - 1 where x ranges from i64::MIN: the subtraction may overflow.
    let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 5\n  \
               ochoose a64[0], a64[1], a64[2]\n  put a64[3], 0x8000000000000000\n  \
               add.sc a64[0], a64[0], a64[3]\n  put a64[4], 1\n  sub.sc a64[0], a64[0], a64[4]\n  stop\n";
    let e = extract_src(src).unwrap_err();
    assert!(
        e.to_string()
            .contains("`sub` at offset 0x0018: the symbolic term overflows"),
        "{e}"
    );
}

mod random_programs {
    use super::*;
    use proptest::prelude::*;

    /// One instruction (or a few) of a random intent program over
    /// a64[0..=3], which start defined.
    #[derive(Clone, Debug)]
    enum Op {
        Choose(u8, i8, u8),
        Arith(&'static str, u8, u8, u8),
        Scale(u8, i8),
        Compare(&'static str, u8, u8),
        Require,
        SkipNext,
        Flow(bool, u8, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        let r = || 0u8..4;
        prop_oneof![
            (r(), -3i8..3, 0u8..5).prop_map(|(d, lo, w)| Op::Choose(d, lo, w)),
            (prop::sample::select(vec!["add", "sub"]), r(), r(), r())
                .prop_map(|(m, d, a, b)| Op::Arith(m, d, a, b)),
            (r(), -3i8..4).prop_map(|(d, k)| Op::Scale(d, k)),
            (prop::sample::select(vec!["gt.s", "lt.s", "eq.e"]), r(), r())
                .prop_map(|(m, a, b)| Op::Compare(m, a, b)),
            Just(Op::Require),
            Just(Op::SkipNext),
            (any::<bool>(), 0u8..2, r()).prop_map(|(c, k, q)| Op::Flow(c, k, q)),
        ]
    }

    fn source(ops: &[Op]) -> String {
        let mut s = String::from(".isa OBJ\n.entry main\nmain:\n");
        for r in 0..4 {
            s.push_str(&format!("  put a64[{r}], {r}\n"));
        }
        for (k, o) in ops.iter().enumerate() {
            match o {
                Op::Choose(d, lo, w) => s.push_str(&format!(
                    "  put a64[10], {lo}\n  put a64[11], {}\n  ochoose a64[{d}], a64[10], a64[11]\n",
                    i16::from(*lo) + i16::from(*w)
                )),
                Op::Arith(m, d, a, b) => {
                    s.push_str(&format!("  {m}.sc a64[{d}], a64[{a}], a64[{b}]\n"))
                }
                Op::Scale(d, c) => {
                    s.push_str(&format!("  put a64[12], {c}\n  mul.sc a64[{d}], a64[{d}], a64[12]\n"))
                }
                Op::Compare(m, a, b) => s.push_str(&format!("  {m} a64[{a}], a64[{b}]\n")),
                Op::Require => s.push_str("  orequire\n"),
                Op::SkipNext => s.push_str(&format!("  jif skip{k}\n")),
                Op::Flow(create, kind, q) => s.push_str(&format!(
                    "  put s[0], \"kind{kind}\"\n  {} s[0], a64[{q}]\n",
                    if *create { "oproduce" } else { "oconsume" }
                )),
            }
            if k > 0 && matches!(ops[k - 1], Op::SkipNext) {
                s.push_str(&format!("skip{}:\n", k - 1));
            }
        }
        if matches!(ops.last(), Some(Op::SkipNext)) {
            s.push_str(&format!("skip{}:\n", ops.len() - 1));
        }
        s.push_str("  stop\n");
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the solver returns replays on the real Alu: extraction
        /// and execution agree on every program that extracts.
        #[test]
        fn every_solution_replays(progs in prop::collection::vec(prop::collection::vec(op(), 1..12), 1..4)) {
            let mut pool = Vec::new();
            for (k, ops) in progs.iter().enumerate() {
                let name = format!("p{k}");
                let lib = library(&name, &source(ops));
                if let Ok(p) = Program::new(&name, lib, Limits::default()) {
                    pool.push(p);
                }
            }
            prop_assume!(!pool.is_empty());
            for mode in [Mode::Pool, Mode::All] {
                let out = solve_programs(&pool, Options { mode, timeout: None });
                prop_assert!(out.is_ok(), "{:?}", out);
            }
        }
    }
}
