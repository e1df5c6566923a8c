//! The intents of examples/intents written in Alma: each compiles, extracts
//! to the same intent as its hand-written assembly, and solves to the same
//! solution; and random intent programs extract and replay as their source
//! says.

use avm_intent::extract::{ExtractError, Limits};
use avm_intent::replay::{solve_programs, Program};
use avm_intent::{Mode, Options, Outcome};

const EXAMPLES: [&str; 12] = [
    "swap-alice",
    "swap-bob",
    "greedy-carol",
    "range-alice",
    "range-bob",
    "market-alice",
    "market-bob",
    "market-charlie",
    "ring-a",
    "ring-b",
    "ring-c",
    "queens4",
];

fn source(file: &str) -> String {
    let path = format!(
        "{}/../../examples/intents/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The Alma version of an example, compiled and extracted.
fn alma(name: &str) -> Program {
    let file = format!("{name}.alma");
    let src = source(&file);
    let compiled = avm_lang::compile(&file, &src)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, &src)));
    Program::new(name, compiled.library, Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The hand-written version, assembled and extracted.
fn hand_written(name: &str) -> Program {
    let file = format!("{name}.alu");
    let lib = avm_asm::assemble_with(
        &file,
        &source(&file),
        &avm_asm::NoLibs,
        &[&avm_obj::alu::ObjIsa],
    )
    .unwrap()
    .library;
    Program::new(name, lib, Limits::default()).unwrap()
}

#[test]
fn every_example_extracts_to_the_hand_written_intent() {
    for name in EXAMPLES {
        let (a, h) = (alma(name), hand_written(name));
        assert_eq!(
            a.extracted.intent.to_string(),
            h.extracted.intent.to_string(),
            "{name}"
        );
        assert_eq!(a.extracted.intent, h.extracted.intent, "{name}");
    }
}

#[test]
fn every_pool_solves_as_the_hand_written_one() {
    let pools: [(&[&str], Mode); 6] = [
        (&["swap-alice", "swap-bob"], Mode::All),
        (&["range-alice", "range-bob"], Mode::All),
        (&["market-alice", "market-bob", "market-charlie"], Mode::All),
        (&["ring-a", "ring-b", "ring-c"], Mode::Pool),
        (&["queens4"], Mode::All),
        (&["greedy-carol", "swap-bob"], Mode::All),
    ];
    for (names, mode) in pools {
        let options = || Options {
            mode,
            timeout: None,
        };
        let a: Vec<Program> = names.iter().map(|n| alma(n)).collect();
        let h: Vec<Program> = names.iter().map(|n| hand_written(n)).collect();
        let (sa, sh) = (
            solve_programs(&a, options()).unwrap(),
            solve_programs(&h, options()).unwrap(),
        );
        assert_eq!(sa, sh, "{names:?}");
        let Outcome::Solved(s) = sa else {
            assert_eq!(names[0], "greedy-carol", "{sa:?}");
            continue;
        };
        // Each party's program replays with the solution's values; the
        // compiled code costs at most 1.5 times what the hand-written one
        // does, plus the calling convention's fixed part (the result's three
        // clears and a `test`); docs/intents.md lists both.
        let registry = avm_obj::alu::registry();
        for p in &s.parts {
            let ga = a[p.intent].replay(&registry, &p.values).unwrap();
            let gh = h[p.intent].replay(&registry, &p.values).unwrap();
            assert!(
                ga <= gh + gh / 2 + 4,
                "{}: Alma {ga} gas, hand-written {gh}",
                names[p.intent]
            );
        }
    }
}

/// Random intents: chosen values, requirements on linear terms of them,
/// and resources, written as Alma and evaluated here directly.
mod random {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Term {
        Var(usize),
        Const(i64),
        Add(Box<Term>, Box<Term>),
        Sub(Box<Term>, Box<Term>),
        Scale(i64, Box<Term>),
    }

    impl Term {
        fn alma(&self) -> String {
            match self {
                Term::Var(i) => format!("x{i}"),
                // Typed: a comparison of constants alone would be u64.
                Term::Const(k) => format!("{k}i64"),
                Term::Add(a, b) => format!("(+ {} {})", a.alma(), b.alma()),
                Term::Sub(a, b) => format!("(- {} {})", a.alma(), b.alma()),
                Term::Scale(k, t) => format!("(* {k}i64 {})", t.alma()),
            }
        }

        fn eval(&self, x: &[i64]) -> i64 {
            match self {
                Term::Var(i) => x[*i],
                Term::Const(k) => *k,
                Term::Add(a, b) => a.eval(x) + b.eval(x),
                Term::Sub(a, b) => a.eval(x) - b.eval(x),
                Term::Scale(k, t) => k * t.eval(x),
            }
        }
    }

    fn term(vars: usize) -> impl Strategy<Value = Term> {
        let leaf = prop_oneof![
            (0..vars).prop_map(Term::Var),
            (-5i64..6).prop_map(Term::Const),
        ];
        leaf.prop_recursive(3, 8, 2, |t| {
            prop_oneof![
                (t.clone(), t.clone()).prop_map(|(a, b)| Term::Add(Box::new(a), Box::new(b))),
                (t.clone(), t.clone()).prop_map(|(a, b)| Term::Sub(Box::new(a), Box::new(b))),
                (-3i64..4, t).prop_map(|(k, t)| Term::Scale(k, Box::new(t))),
            ]
        })
    }

    const OPS: [&str; 6] = ["=", "!=", "<", "<=", ">", ">="];

    fn holds(op: &str, a: i64, b: i64) -> bool {
        match op {
            "=" => a == b,
            "!=" => a != b,
            "<" => a < b,
            "<=" => a <= b,
            ">" => a > b,
            _ => a >= b,
        }
    }

    #[derive(Clone, Debug)]
    struct Case {
        ranges: Vec<(i64, i64)>,
        requires: Vec<(&'static str, Term, Term)>,
        consumed: Term,
        produced: Term,
    }

    impl Case {
        fn alma(&self) -> String {
            let binds: Vec<String> = self
                .ranges
                .iter()
                .enumerate()
                .map(|(i, (lo, hi))| format!("(x{i} (choose (range {lo} {hi})))"))
                .collect();
            let requires: Vec<String> = self
                .requires
                .iter()
                .map(|(op, a, b)| format!("(require ({op} {} {}))", a.alma(), b.alma()))
                .collect();
            format!(
                "(define (main)\n  (let ({})\n    {}\n    (consume \"apple\" {})\n    (produce \"pear\" {})))\n",
                binds.join(" "),
                requires.join("\n    "),
                self.consumed.alma(),
                self.produced.alma()
            )
        }

        fn holds(&self, x: &[i64]) -> bool {
            self.requires
                .iter()
                .all(|(op, a, b)| holds(op, a.eval(x), b.eval(x)))
        }
    }

    fn case() -> impl Strategy<Value = Case> {
        (1usize..4).prop_flat_map(|n| {
            (
                prop::collection::vec((-3i64..3, 0i64..3).prop_map(|(lo, w)| (lo, lo + w)), n),
                prop::collection::vec((prop::sample::select(&OPS[..]), term(n), term(n)), 0..4),
                term(n),
                term(n),
            )
                .prop_map(|(ranges, requires, consumed, produced)| Case {
                    ranges,
                    requires,
                    consumed,
                    produced,
                })
        })
    }

    /// Every assignment of values within the ranges.
    fn assignments(ranges: &[(i64, i64)]) -> Vec<Vec<i64>> {
        ranges.iter().fold(vec![vec![]], |acc, &(lo, hi)| {
            acc.iter()
                .flat_map(|x| {
                    (lo..=hi).map(move |v| {
                        let mut x = x.clone();
                        x.push(v);
                        x
                    })
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The extracted intent holds exactly where the requirements do, its
        /// flows are the terms, and the compiled program replays exactly there.
        #[test]
        fn extraction_and_replay_agree_with_the_source(c in case()) {
            let src = c.alma();
            let compiled = avm_lang::compile("r.alma", &src)
                .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, &src)));
            let all = assignments(&c.ranges);
            let p = match Program::new("r", compiled.library, Limits::default()) {
                Ok(p) => p,
                // A requirement that is false whatever is chosen.
                Err(ExtractError::NeverSucceeds) => {
                    prop_assert!(!all.iter().any(|x| c.holds(x)), "{}", src);
                    return Ok(());
                }
                Err(e) => panic!("{e}\n{src}"),
            };
            let intent = &p.extracted.intent;
            prop_assert_eq!(intent.vars.len(), c.ranges.len());
            let registry = avm_obj::alu::registry();
            for x in all {
                let want = c.holds(&x);
                let got = intent.constraints.iter().all(|k| k.holds(&x) == Some(true));
                prop_assert_eq!(got, want, "{:?}\n{}", x, src);
                let flow = |kind: &str| -> i128 {
                    intent.flows.iter().filter(|f| f.kind == kind)
                        .map(|f| f.quantity.eval(&x).unwrap()).sum()
                };
                prop_assert_eq!(flow("apple"), i128::from(c.consumed.eval(&x)));
                prop_assert_eq!(flow("pear"), i128::from(c.produced.eval(&x)));
                prop_assert_eq!(p.replay(&registry, &x).is_ok(), want, "{:?}\n{}", x, src);
            }
        }
    }
}
