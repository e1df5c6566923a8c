//! STARK proofs of Alu runs (avm-prove) at 2^12 and 2^16 trace rows: prove
//! time, verify time and proof size (printed), with winterfell's own minimal
//! AIR of the same length side by side, the engine's floor.

use avm_bench::stark::{fib, fib_run, fib_value, floor_prove, floor_trace, floor_verify};
use avm_vm::DataValue;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn proving(c: &mut Criterion) {
    let mut group = c.benchmark_group("prove");
    group.sample_size(10);
    for log_rows in [12u32, 16] {
        let (statement, n) = fib(log_rows);
        let public = fib_value(n);
        let proof = statement
            .prove_run(public, fib_run(&statement, n))
            .expect("proves");
        eprintln!(
            "alu fib 2^{log_rows}: {} steps, {} columns, proof {} bytes, {} bits conjectured",
            fib_run(&statement, n).steps,
            statement.width(),
            proof.to_bytes().len(),
            proof
                .stark
                .conjectured_security::<avm_prove::engine::Hash>()
                .bits()
        );
        group.bench_function(format!("alu_fib_2^{log_rows}"), |b| {
            b.iter_batched(
                || fib_run(&statement, n),
                |run| statement.prove_run(public, run).expect("proves"),
                BatchSize::LargeInput,
            )
        });
        let value = DataValue::nat(public);
        group.bench_function(format!("alu_fib_2^{log_rows}_verify"), |b| {
            b.iter(|| statement.verify(&value, &proof).expect("verifies"))
        });

        let rows = 1usize << log_rows;
        let (floor, inputs) = floor_prove(floor_trace(rows));
        eprintln!("floor 2^{log_rows}: proof {} bytes", floor.to_bytes().len());
        group.bench_function(format!("floor_2^{log_rows}"), |b| {
            b.iter_batched(|| floor_trace(rows), floor_prove, BatchSize::LargeInput)
        });
        group.bench_function(format!("floor_2^{log_rows}_verify"), |b| {
            b.iter(|| assert!(floor_verify(floor.clone(), inputs)))
        });
    }
    group.finish();
}

criterion_group!(benches, proving);
criterion_main!(benches);
