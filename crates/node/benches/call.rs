//! A call of an object on a node over loopback against the same call on a local runtime:
//! what the network path (a driver, framing, a TCP round trip, the node's thread) adds.
//!
//! Both spaces are on redb, so each call is one durable commit (fsync included) on either
//! side; the behaviour adds one to its input (two Alu instructions).
//!
//! - `call/local_redb`: `Runtime::call` on a runtime over a redb store;
//! - `call/remote_loopback`: the same call from a driver runtime to a node (a seed
//!   in a thread of this process, reached over TCP on 127.0.0.1).

use avm_node::{Client, Node, NodeConfig};
use avm_obj::{MachineId, ObjectHost, ObjectId, Runtime, Space};
use avm_store::RedbStore;
use avm_vm::DataValue;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::rc::Rc;
use std::sync::atomic::Ordering;
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

fn call(rt: &mut Runtime, id: ObjectId) {
    rt.set_gas(GAS);
    let out = rt.call(id, DataValue::nat(41u8)).expect("a call");
    assert_eq!(out, Some(DataValue::nat(42u8)));
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
