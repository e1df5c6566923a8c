//! Alma: how long the compiler takes on a 1,000-line program, and how fast
//! compiled code runs next to the hand-written assembly of the same examples.
//!
//! - `lang/compile_1200_lines`: `avm_lang::compile` of 200 small functions
//!   and a `main` calling each (every function reachable, so every one is
//!   generated); the target is under 50 ms;
//! - `lang/run/{sum,factorial,gcd}/{alma,asm}`: one evaluation through the
//!   registry of examples/lang/*.alma and examples/*.alu on the same inputs.
//!
//! The gas of each pair is printed once (it is deterministic; the
//! `compiled_gas_is_within_1_5x_of_hand_written` test in avm-lang holds the bound).

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;

/// 200 functions of five lines and a `main` of 202 that calls each one.
pub fn program() -> String {
    let mut src = String::new();
    for k in 0..200 {
        src.push_str(&format!(
            "(define (step{k} (x u64))\n  (let ((y (+ x {k})))\n    (set! y (* y 3))\n    (if (> y 100) (- y 100) y)))\n\n"
        ));
    }
    src.push_str("(define (main (n u64))\n  (let ((acc 0))\n");
    for k in 0..200 {
        src.push_str(&format!("    (set! acc (+% acc (step{k} n)))\n"));
    }
    src.push_str("    acc))\n");
    src
}

fn example(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../examples/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the example exists")
}

fn alma(path: &str) -> DataValue {
    avm_lang::compile(path, &example(path))
        .expect("compiles")
        .function
}

fn asm(path: &str) -> DataValue {
    let lib = avm_asm::assemble(path, &example(path), &avm_asm::NoLibs)
        .expect("assembles")
        .library;
    avm_alu::binding::function(&lib, []).expect("a function")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("lang");
    group.measurement_time(Duration::from_secs(2));
    let src = program();
    assert!(src.lines().count() >= 1000);
    group.bench_function("compile_1200_lines", |b| {
        b.iter(|| avm_lang::compile("big.alma", &src).expect("compiles"))
    });

    let mut registry = Registry::new();
    registry.register(AluVm::new()).expect("an empty registry");
    let cases = [
        (
            "sum",
            "lang/sum.alma",
            "sum.alu",
            vec![DataValue::nat(100u8)],
        ),
        (
            "factorial",
            "lang/factorial.alma",
            "factorial.alu",
            vec![DataValue::nat(100u8)],
        ),
        (
            "gcd",
            "lang/gcd.alma",
            "gcd.alu",
            vec![DataValue::nat(1071u16), DataValue::nat(462u16)],
        ),
    ];
    for (name, alma_path, asm_path, args) in cases {
        for (kind, f) in [("alma", alma(alma_path)), ("asm", asm(asm_path))] {
            let e = registry.multievaluate(&f, &args, 1_000_000).expect("runs");
            eprintln!("lang/run/{name}/{kind}: gas {}", e.gas_used);
            group.bench_function(format!("run/{name}/{kind}"), |b| {
                b.iter(|| registry.multievaluate(&f, &args, 1_000_000).expect("runs"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
