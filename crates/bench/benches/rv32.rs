//! The RV32 workload (`crates/rv32/tests/fixtures/bench.c`, about 10^8
//! RV32IM instructions) on every engine in one criterion group, so the
//! times read as ratios to `native`:
//!
//! `cargo bench -p avm-bench --bench rv32`
//!
//! Throughput counts the rv32im build's dynamic instructions (ckb-vm's
//! cycle count at one cycle per instruction) for every engine, so the
//! instructions/s column compares the same work. Each iteration loads and
//! runs the program from scratch; every engine's checksum is checked first.

use std::hint::black_box;
use std::time::Duration;

use avm_bench::{rv32, rv32_native};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn engines(c: &mut Criterion) {
    let (code, instructions) = rv32::ckb_rust();
    assert_eq!(code, rv32::EXPECTED, "ckb-vm (Rust interpreter)");
    assert_eq!(rv32::ckb_asm().0, rv32::EXPECTED, "ckb-vm (asm)");
    let program = rv32::avm_program();
    assert_eq!(rv32::avm(&program, u64::MAX), rv32::EXPECTED, "avm");
    let polkavm_gas = rv32::PolkaVm::new(true);
    let polkavm = rv32::PolkaVm::new(false);
    assert_eq!(polkavm_gas.run(), rv32::EXPECTED, "PolkaVM");
    assert_eq!(polkavm.run(), rv32::EXPECTED, "PolkaVM");
    assert_eq!(rv32_native::run(rv32::ROUNDS), rv32::EXPECTED, "native");

    let mut group = c.benchmark_group("rv32");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(instructions));
    group.bench_function("native", |b| {
        b.iter(|| rv32_native::run(black_box(rv32::ROUNDS)))
    });
    group.bench_function("avm_gas", |b| b.iter(|| rv32::avm(&program, u64::MAX)));
    group.bench_function("polkavm_interp_gas", |b| b.iter(|| polkavm_gas.run()));
    group.bench_function("polkavm_interp", |b| b.iter(|| polkavm.run()));
    group.bench_function("ckb_vm_asm_rv64", |b| b.iter(rv32::ckb_asm));
    group.bench_function("ckb_vm_rust_trace", |b| b.iter(rv32::ckb_rust));
    group.finish();
}

criterion_group!(benches, engines);
criterion_main!(benches);
