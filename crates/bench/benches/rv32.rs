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
//! A last pass runs the engines in turns and prints each one's best time
//! and its ratio to native (`rv32 interleaved`), the figure least
//! disturbed by other load on a shared machine.

use std::hint::black_box;
use std::time::{Duration, Instant};

use avm_bench::{rv32, rv32_native};
use cpu_time::ThreadTime;
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

/// The same engines run in turns, five rounds, keeping each one's fastest
/// run in wall time and in thread CPU time: on a shared machine the minimum
/// is the figure least disturbed by other load, and CPU time leaves out the
/// time other processes held the core. Prints each with its ratio to native.
fn interleaved(_: &mut Criterion) {
    let program = rv32::avm_program();
    let polkavm_gas = rv32::PolkaVm::new(true);
    let polkavm = rv32::PolkaVm::new(false);
    let engines: [(&str, &dyn Fn() -> u32); 6] = [
        ("native", &|| rv32_native::run(black_box(rv32::ROUNDS))),
        ("avm_gas", &|| rv32::avm(&program, u64::MAX)),
        ("polkavm_interp_gas", &|| polkavm_gas.run()),
        ("polkavm_interp", &|| polkavm.run()),
        ("ckb_vm_asm_rv64", &|| rv32::ckb_asm().0),
        ("ckb_vm_rust_trace", &|| rv32::ckb_rust().0),
    ];
    let mut wall = [Duration::MAX; 6];
    let mut cpu = [Duration::MAX; 6];
    for _ in 0..5 {
        for (k, (name, run)) in engines.iter().enumerate() {
            let (t, c) = (Instant::now(), ThreadTime::now());
            assert_eq!(run(), rv32::EXPECTED, "{name}");
            cpu[k] = cpu[k].min(c.elapsed());
            wall[k] = wall[k].min(t.elapsed());
        }
    }
    println!("rv32 interleaved, best of 5: engine, wall ms, x native, cpu ms, x native");
    for (k, (name, _)) in engines.iter().enumerate() {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let ratio = |d: &[Duration; 6]| d[k].as_secs_f64() / d[0].as_secs_f64();
        println!(
            "  {name:<20} {:9.1} {:6.1} {:9.1} {:6.1}",
            ms(wall[k]),
            ratio(&wall),
            ms(cpu[k]),
            ratio(&cpu)
        );
    }
}

criterion_group!(benches, engines, interleaved);
criterion_main!(benches);
