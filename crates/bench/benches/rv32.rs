//! The RV32 workloads (`rv32::WORKLOADS`: `bench.c` and `checksum.c`'s
//! division-bound `work()` loop, about 10^8 and 6.5 * 10^7 RV32IM
//! instructions) on every engine, one criterion group per workload (`rv32`,
//! `rv32_reference`), so the times read as ratios to `native`:
//!
//! `cargo bench -p avm-bench --bench rv32`
//!
//! Throughput counts the rv32im build's dynamic instructions (ckb-vm's
//! cycle count at one cycle per instruction) for every engine, so the
//! instructions/s column compares the same work. Each iteration loads and
//! runs the program from scratch; every engine's checksum is checked
//! against native's first. A last pass runs the workloads' engines in turns
//! and prints, per workload, each engine's best time and its ratio to
//! native (`rv32 interleaved`), the figure least disturbed by other load on
//! a shared machine; `-- zzz` (a filter no group matches) runs only that.

use std::time::{Duration, Instant};

use avm_bench::rv32;
use cpu_time::ThreadTime;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn engines(c: &mut Criterion) {
    for workload in rv32::WORKLOADS {
        let engines = rv32::Engines::new(workload);
        engines.check();
        let (_, instructions) = rv32::ckb_rust(workload);
        println!("{}: {instructions} rv32im instructions", workload.name);

        let mut group = c.benchmark_group(workload.name);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(6));
        group.throughput(Throughput::Elements(instructions));
        for (name, run) in engines.list() {
            group.bench_function(name, |b| b.iter(&run));
        }
        group.finish();
    }
}

/// Every workload's engines run in turns, five rounds, keeping each one's
/// fastest run in wall time and in thread CPU time: on a shared machine the
/// minimum is the figure least disturbed by other load, and CPU time leaves
/// out the time other processes held the core. Prints a table per workload,
/// each engine with its ratio to native.
fn interleaved(_: &mut Criterion) {
    let prepared = rv32::WORKLOADS.map(rv32::Engines::new);
    let lists: Vec<_> = prepared.iter().map(rv32::Engines::list).collect();
    let mut wall: Vec<Vec<Duration>> = lists.iter().map(|l| vec![Duration::MAX; l.len()]).collect();
    let mut cpu = wall.clone();
    for _ in 0..5 {
        for (w, list) in lists.iter().enumerate() {
            let workload = prepared[w].workload();
            for (k, (name, run)) in list.iter().enumerate() {
                let (t, c) = (Instant::now(), ThreadTime::now());
                assert_eq!(run(), workload.expected, "{}: {name}", workload.name);
                cpu[w][k] = cpu[w][k].min(c.elapsed());
                wall[w][k] = wall[w][k].min(t.elapsed());
            }
        }
    }
    for (w, list) in lists.iter().enumerate() {
        println!(
            "{} interleaved, best of 5: engine, wall ms, x native, cpu ms, x native",
            prepared[w].workload().name
        );
        for (k, (name, _)) in list.iter().enumerate() {
            let ms = |d: &[Duration]| d[k].as_secs_f64() * 1e3;
            let ratio = |d: &[Duration]| d[k].as_secs_f64() / d[0].as_secs_f64();
            println!(
                "  {name:<20} {:9.1} {:6.1} {:9.1} {:6.1}",
                ms(&wall[w]),
                ratio(&wall[w]),
                ms(&cpu[w]),
                ratio(&cpu[w])
            );
        }
    }
}

criterion_group!(benches, engines, interleaved);
criterion_main!(benches);
