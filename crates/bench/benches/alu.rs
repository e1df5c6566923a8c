//! Alu interpreter throughput on fixed workloads (instructions per second).

use avm_bench::alu::{self, Workload, LIMITS};
use avm_bench::aluvm::{v011, v012};
use avm_bench::modular;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn bench(c: &mut Criterion, name: &str, make: impl Fn() -> Workload, metered: bool) {
    let w = make();
    let mut group = c.benchmark_group("alu");
    group.throughput(Throughput::Elements(w.instructions));
    group.bench_function(name, |b| {
        b.iter_batched_ref(
            || w.regs.clone(),
            |regs| {
                if metered {
                    w.program.run(regs, &LIMITS)
                } else {
                    w.program.run_unmetered(regs, &LIMITS)
                }
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn workloads(c: &mut Criterion) {
    bench(c, "sum_a64", || alu::sum_a64(1_000_000), true);
    bench(c, "sum_a64_unmetered", || alu::sum_a64(1_000_000), false);
    bench(c, "mul_a1024", || alu::mul_a1024(20_000), true);
    bench(c, "routine_calls", || alu::routine_calls(500_000), true);
    bench(c, "strings", || alu::strings(100_000), true);
    bench(c, "add_f64", || alu::add_f64(100_000), true);
    bench(c, "mul_f128", || alu::mul_f128(100_000), true);
}

/// The a64 sum on AluVM 0.11 and the field loop on AluVM 0.12, at the
/// largest n AluVM 0.11 can run (its cy0 stops a run at 65535 jumps).
fn anchors(c: &mut Criterion) {
    let n = v011::MAX_N;
    let mut group = c.benchmark_group("anchor");
    group.sample_size(10);
    group.throughput(Throughput::Elements(v011::instructions(n)));
    let lib = v011::program(n);
    group.bench_function("aluvm_0.11_sum_a64", |b| b.iter(|| v011::run(&lib)));
    let lib = v012::program(n);
    group.throughput(Throughput::Elements(v012::instructions(n)));
    group.bench_function("aluvm_0.12_zk_field_sum", |b| b.iter(|| v012::run(&lib)));
    let w = alu::sum_a64(n);
    group.throughput(Throughput::Elements(w.instructions));
    group.bench_function("avm_sum_a64", |b| {
        b.iter_batched_ref(
            || w.regs.clone(),
            |regs| w.program.run(regs, &LIMITS),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Wide-integer, modular and prime-field instructions, one per loop iteration
/// (4 instructions per iteration with the loop tail).
fn arithmetic(c: &mut Criterion) {
    bench(
        c,
        "mulmod_r8192",
        || modular::modular("mulmod", 8192, 100),
        true,
    );
    bench(
        c,
        "mulmod_r128",
        || modular::modular("mulmod", 128, 10_000),
        true,
    );
    bench(
        c,
        "mulmod_r256",
        || modular::modular("mulmod", 256, 10_000),
        true,
    );
    bench(
        c,
        "mulmod_r1024",
        || modular::modular("mulmod", 1024, 1000),
        true,
    );
    bench(
        c,
        "powmod_r128",
        || modular::modular("powmod", 128, 100),
        true,
    );
    bench(
        c,
        "powmod_r256",
        || modular::modular("powmod", 256, 100),
        true,
    );
    bench(
        c,
        "powmod_r1024",
        || modular::modular("powmod", 1024, 10),
        true,
    );
    bench(c, "invmod_r128", || modular::invmod(128, 1000), true);
    bench(c, "invmod_r256", || modular::invmod(256, 1000), true);
    bench(c, "invmod_r8192", || modular::invmod(8192, 2), true);
    bench(c, "mulgl", || modular::goldilocks("mul", 100_000), true);
    bench(c, "invgl", || modular::goldilocks("inv", 10_000), true);
    bench(c, "mul25519", || modular::f25519("mul", 10_000), true);
    bench(c, "inv25519", || modular::f25519("inv", 1000), true);
}

criterion_group!(benches, workloads, anchors, arithmetic);
criterion_main!(benches);
