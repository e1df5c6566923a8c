//! A call of an object on a node over loopback against the same call on a local runtime:
//! what the network path (a driver, framing, a TCP round trip, the node's thread) adds.
//!
//! Both spaces are on redb, so each call is one durable commit (fsync included) on either
//! side; the behaviour is the counter example (it reads and writes its state).
//!
//! - `call/local_redb`: `Runtime::call` on a runtime over a redb store;
//! - `call/remote_loopback`: the same call from a driver runtime to a node (a seed
//!   in a thread of this process, reached over TCP on 127.0.0.1);
//! - `call/state_roundtrip`: a `State` request to that node, which reads and commits
//!   nothing: the round trip of the transport itself (framing, TCP, the node's thread).

use avm_node::{Client, Node, NodeConfig};
use avm_obj::{MachineId, ObjectHost, ObjectId, Runtime, Space};
use avm_store::RedbStore;
use avm_vm::DataValue;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Duration;

#[path = "../tests/common/mod.rs"]
mod common;

const GAS: u64 = 1_000;

/// The counter of examples/objects/counter.alu: it keeps a count in its state.
fn behaviour() -> DataValue {
    common::example("counter")
}

/// One call, which the counter answers with its new count.
fn call(rt: &mut Runtime, id: ObjectId) {
    rt.set_gas(GAS);
    let out = rt.call(id, DataValue::unit()).expect("a call");
    assert!(out.is_some_and(|n| n.as_u64().is_some()));
    rt.take_trace();
}

fn calls(c: &mut Criterion) {
    let mut g = c.benchmark_group("call");
    g.throughput(Throughput::Elements(1));

    let local_dir = tempfile::tempdir().expect("a temporary directory");
    let store = RedbStore::open(local_dir.path(), avm_obj::persist::STORE_KIND).expect("a store");
    let space = Space::open(store).expect("a space").shared();
    let mut local = Runtime::new(space, Rc::new(avm_obj::alu::registry()));
    local.set_gas(GAS);
    let id = local.create_obj(behaviour(), None).expect("created");
    g.bench_function("local_redb", |b| b.iter(|| call(&mut local, id)));

    let node_dir = tempfile::tempdir().expect("a temporary directory");
    let node = Node::start(&NodeConfig {
        dir: node_dir.path().to_path_buf(),
        listen: "127.0.0.1:0".into(),
        machine: MachineId(1),
        seed: None,
    })
    .expect("a node");
    let addr = node.addr().to_string();
    let stop = node.stopper();
    let serving = std::thread::spawn(move || node.serve().expect("serves"));
    let mut client = Client::connect(&addr).expect("connects");
    let (id, _) = client.create(behaviour(), None, GAS).expect("asked");
    let id = id.expect("created");
    let mut driver = client.driver();
    g.bench_function("remote_loopback", |b| b.iter(|| call(&mut driver, id)));
    g.bench_function("state_roundtrip", |b| {
        b.iter(|| client.state(id).expect("asked").expect("there"))
    });
    g.finish();
    drop(driver);
    drop(client);
    stop.store(true, Ordering::Relaxed);
    serving.join().expect("the node stops");
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).sample_size(30);
    targets = calls
}
criterion_main!(benches);
