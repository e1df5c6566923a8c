//! The object runtime: calls per second, committed transactions per second, and what a
//! message costs over a bare evaluation of the same function.
//!
//! The behaviour is trivial on purpose: Alu code that adds one to its input (two
//! instructions), so the figures measure the runtime, not the VM.
//!
//! - `objects/bare_eval`: `Registry::multievaluate` of the function on one argument;
//! - `objects/call/{memory,memstore,redb}`: `Runtime::call` of an object with that
//!   behaviour outside a transaction (each call is applied at once: its input joins the
//!   history), on a space in memory only, on a `MemStore`, and on a `RedbStore` (one
//!   durable commit, fsync included, per call);
//! - `objects/tx/{memory,redb}`: begin, one call, commit: a committed transaction.

use avm_obj::{ObjectHost, ObjectId, Runtime, Space, SpaceHandle};
use avm_store::{MemStore, RedbStore};
use avm_vm::{DataValue, Registry};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::rc::Rc;
use std::time::Duration;

const GAS: u64 = 1_000;

/// `a64[0] += 1`: the input plus one.
fn behaviour() -> DataValue {
    let source = ".entry main\nmain:\n    inc.uc a64[0], 1\n    stop\n";
    let lib = avm_asm::assemble("inc.alu", source, &avm_asm::NoLibs)
        .expect("assembles")
        .library;
    avm_alu::binding::function(&lib, []).expect("a function")
}

fn registry() -> Rc<Registry> {
    Rc::new(avm_obj::alu::registry())
}

/// A runtime over `space` with one object of the behaviour.
fn world(space: SpaceHandle) -> (Runtime, ObjectId) {
    let mut rt = Runtime::new(space, registry());
    rt.set_gas(GAS);
    let id = rt.create_obj(behaviour(), None).expect("created");
    (rt, id)
}

fn call(rt: &mut Runtime, id: ObjectId) {
    rt.set_gas(GAS);
    let out = rt.call(id, DataValue::nat(41u8)).expect("a call");
    assert_eq!(out, Some(DataValue::nat(42u8)));
    rt.take_trace();
}

fn calls(c: &mut Criterion) {
    let mut g = c.benchmark_group("objects");
    g.throughput(Throughput::Elements(1));

    let registry = registry();
    let f = behaviour();
    let arg = [DataValue::nat(41u8)];
    g.bench_function("bare_eval", |b| {
        b.iter(|| {
            let e = registry.multievaluate(&f, &arg, GAS).expect("evaluates");
            assert_eq!(e.result, Some(DataValue::nat(42u8)));
        })
    });

    let (mut rt, id) = world(Space::new().shared());
    g.bench_function("call/memory", |b| b.iter(|| call(&mut rt, id)));

    let (mut rt, id) = world(Space::open(MemStore::new()).expect("opens").shared());
    g.bench_function("call/memstore", |b| b.iter(|| call(&mut rt, id)));

    let (mut rt, id) = world(Space::new().shared());
    g.bench_function("tx/memory", |b| {
        b.iter(|| {
            let tx = rt.begin_tx(None).expect("begins");
            call(&mut rt, id);
            assert!(rt.commit_tx(tx).expect("commits"));
        })
    });
    g.finish();

    // Durable commits: each one waits for the disk.
    let mut g = c.benchmark_group("objects");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (mut rt, id) = world(
        Space::open(RedbStore::open(dir.path(), avm_obj::persist::STORE_KIND).expect("opens"))
            .expect("loads")
            .shared(),
    );
    g.bench_function("call/redb", |b| b.iter(|| call(&mut rt, id)));
    g.bench_function("tx/redb", |b| {
        b.iter(|| {
            let tx = rt.begin_tx(None).expect("begins");
            call(&mut rt, id);
            assert!(rt.commit_tx(tx).expect("commits"));
        })
    });
    g.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
