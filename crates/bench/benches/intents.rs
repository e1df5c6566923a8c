//! Intents: time to the first valid solution, and to "no solution", on
//! pools of 100, 1,000 and 10,000 swap intents with a planted 2-swap,
//! 3-ring or 5-ring (or none), against a brute-force composer that tries
//! every pair and triple as Anoma's devnet solver did; and the symbolic
//! extraction of a 100-instruction intent.
//!
//! The noise intents give kind `i` for kind `j > i` only, so no set of
//! them balances: the planted ring (of kinds of its own) is the one
//! solution, and a pool without one has none.
//!
//! Quick run: `cargo bench -p avm-bench --bench intents -- --warm-up-time 1 --measurement-time 2`.

use std::hint::black_box;

use avm_intent::extract::{extract, Limits};
use avm_intent::solve::{solve, Options, Outcome, Part, Solution};
use avm_intent::{check, Intent, Linear, Side};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn swap(party: String, give: String, take: String) -> Intent {
    let mut i = Intent::new(&party);
    i.flow(Side::Consume, &give, Linear::constant(1));
    i.flow(Side::Create, &take, Linear::constant(1));
    i
}

/// `n` intents, `ring` of them (0 for none) a planted cycle, shuffled by
/// a fixed linear congruential sequence.
fn pool(n: usize, ring: usize) -> Vec<Intent> {
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |m: usize| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as usize % m
    };
    let kinds = n * 4;
    let mut p: Vec<Intent> = (0..n - ring)
        .map(|k| {
            let a = next(kinds - 1);
            let b = a + 1 + next(kinds - a - 1);
            swap(format!("n{k}"), format!("k{a}"), format!("k{b}"))
        })
        .collect();
    for r in 0..ring {
        let (give, take) = (format!("ring{r}"), format!("ring{}", (r + 1) % ring));
        p.push(swap(format!("r{r}"), give, take));
    }
    for a in (1..p.len()).rev() {
        p.swap(a, next(a + 1));
    }
    p
}

/// The devnet-style composer: every pair, then every triple, checked
/// concretely; the first that balances.
fn brute_force(pool: &[Intent]) -> Option<Vec<usize>> {
    let try_set = |set: &[usize]| {
        let parts = set
            .iter()
            .map(|&i| Part {
                intent: i,
                values: vec![],
            })
            .collect();
        check::check(pool, &Solution { parts }).is_ok()
    };
    let n = pool.len();
    for a in 0..n {
        for b in a + 1..n {
            if try_set(&[a, b]) {
                return Some(vec![a, b]);
            }
        }
    }
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                if try_set(&[a, b, c]) {
                    return Some(vec![a, b, c]);
                }
            }
        }
    }
    None
}

fn solving(c: &mut Criterion) {
    let mut g = c.benchmark_group("intents/solve");
    g.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        for ring in [2usize, 3, 5, 0] {
            let p = pool(n, ring);
            let expect = if ring == 0 { None } else { Some(ring) };
            let found = match solve(&p, Options::default()).unwrap() {
                Outcome::Solved(s) => Some(s.parts.len()),
                _ => None,
            };
            assert_eq!(found, expect, "pool {n} ring {ring}");
            let name = if ring == 0 {
                "none".to_string()
            } else {
                format!("ring{ring}")
            };
            g.bench_with_input(
                BenchmarkId::new(format!("pumpkin/{name}"), n),
                &p,
                |b, p| b.iter(|| black_box(solve(p, Options::default()).unwrap())),
            );
            // Pairs and triples: O(n^3), so only where it ends in time.
            if n <= 100 {
                assert_eq!(brute_force(&p).map(|s| s.len()), expect.filter(|&r| r <= 3));
                g.bench_with_input(BenchmarkId::new(format!("brute/{name}"), n), &p, |b, p| {
                    b.iter(|| black_box(brute_force(p)))
                });
            }
        }
    }
    g.finish();
}

/// A program of about 100 instructions: 12 choices, each bounded,
/// summed, compared and required, then flows.
fn program() -> String {
    let mut src = String::from(
        ".isa OBJ\n.entry main\nmain:\n  put a64[1], 0\n  put a64[2], 50\n  put a64[3], 0\n",
    );
    for k in 0..12 {
        src.push_str(&format!(
            "  ochoose a64[4], a64[1], a64[2]\n  add.sc a64[3], a64[3], a64[4]\n  put a64[5], {}\n  gt.s a64[4], a64[5]\n  inv st0\n  orequire\n  put a64[6], 2\n  mul.sc a64[7], a64[4], a64[6]\n",
            40 - k
        ));
    }
    src.push_str("  put s[0], \"apple\"\n  oconsume s[0], a64[3]\n  put s[1], \"pear\"\n  oproduce s[1], a64[7]\n  stop\n");
    src
}

fn extraction(c: &mut Criterion) {
    let src = program();
    let lib = avm_asm::assemble_with("p.alu", &src, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
        .unwrap()
        .library;
    let count = avm_alu::isa::disassemble(&lib.code, avm_obj::alu::resolve).len();
    assert!((95..=110).contains(&count), "{count} instructions");
    c.bench_function(&format!("intents/extract/{count}-instructions"), |b| {
        b.iter(|| black_box(extract("p", &lib, Limits::default()).unwrap()))
    });
}

criterion_group!(benches, solving, extraction);
criterion_main!(benches);
