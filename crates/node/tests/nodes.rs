//! Nodes on loopback (each in a thread of this test, over real TCP): calls
//! across machines, the trace they record, the directory across restarts,
//! and peers that send garbage.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use avm_node::wire::{Message, VERSION};
use avm_node::{frame, Client, Node, NodeConfig};
use avm_obj::{MachineId, ObjectHost, ObjectId, Trace};
use avm_vm::{codec, DataValue};

mod common;

/// A node serving in a thread, stopped and joined when dropped (a failing
/// test included).
struct Running {
    addr: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(dir: &Path, machine: u64, seed: Option<&str>) -> Running {
    let node = Node::start(&NodeConfig {
        dir: dir.join(format!("node{machine}")),
        listen: "127.0.0.1:0".into(),
        machine: MachineId(machine),
        seed: seed.map(str::to_string),
    })
    .unwrap();
    let addr = node.addr().to_string();
    let stop = node.stopper();
    let thread = std::thread::spawn(move || node.serve().unwrap());
    Running {
        addr,
        stop,
        thread: Some(thread),
    }
}

/// The ping-pong player of examples/objects/player.alu.
fn player() -> DataValue {
    common::example("player")
}

const GAS: u64 = 1_000_000;

/// Three players, made on the nodes `homes` names in turn (an index into
/// `nodes`), introduced in a ring (1 -> 2 -> 3 -> 1), then `obj1` called
/// with 2 (1 calls 2 calls 3) and with 7 (round the ring twice), and with
/// 40 on too little gas. Gives the outputs and the whole trace.
fn ring(nodes: &[&Running], homes: [usize; 3]) -> (Vec<String>, Trace) {
    let mut trace = Trace::default();
    let mut ids = Vec::new();
    for home in homes {
        let mut client = Client::connect(&nodes[home].addr).unwrap();
        let (id, events) = client.create(player(), None, GAS).unwrap();
        trace.append_events(events);
        ids.push(id.unwrap());
    }
    assert_eq!(ids, [ObjectId(1), ObjectId(2), ObjectId(3)]);
    let client = Client::connect(&nodes[0].addr).unwrap();
    let mut driver = client.driver();
    let mut outputs = Vec::new();
    let mut run = |object: ObjectId, input: DataValue, gas: u64| {
        driver.set_gas(gas);
        let out = match driver.call(object, input) {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("{} error: {e}", e.layer()),
        };
        outputs.push(out);
    };
    for (i, id) in ids.iter().enumerate() {
        run(*id, ids[(i + 1) % 3].to_value(), GAS);
    }
    run(ids[0], DataValue::nat(2u8), GAS);
    run(ids[0], DataValue::nat(7u8), GAS);
    run(ids[0], DataValue::nat(40u8), 400);
    run(ObjectId(99), DataValue::unit(), GAS);
    trace.append_events(driver.take_trace());
    (outputs, trace)
}

trait Append {
    fn append_events(&mut self, events: Trace);
}

impl Append for Trace {
    fn append_events(&mut self, events: Trace) {
        for e in events.entries() {
            self.push(e.controller, e.event.clone());
        }
    }
}

#[test]
fn calls_across_nodes_record_the_trace_of_one_node() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let seed = start(&one, 1, None);
    let (alone, alone_trace) = ring(&[&seed], [0, 0, 0]);
    drop(seed);

    let two = dir.path().join("two");
    let seed = start(&two, 1, None);
    let other = start(&two, 2, Some(&seed.addr));
    // obj1 and obj3 on m1, obj2 on m2: obj1 (m1) calls obj2 (m2), which calls obj3 (m1).
    let (spread, spread_trace) = ring(&[&seed, &other], [0, 1, 0]);

    assert_eq!(spread, alone);
    assert_eq!(spread[3], "Some(Nat(2))");
    assert_eq!(spread[4], "Some(Nat(7))");
    assert!(spread[5].contains("out of gas"), "{}", spread[5]);
    assert_eq!(spread[6], "object error: object obj99 does not exist");
    assert_eq!(spread_trace, alone_trace);
    assert_eq!(spread_trace.hash(), alone_trace.hash());
    let errors = spread_trace
        .entries()
        .iter()
        .filter(|e| e.event.name() == "ErrorOccurred")
        .count();
    assert_eq!(errors, 2, "each failure is recorded once:\n{spread_trace}");

    let mut client = Client::connect(&other.addr).unwrap();
    assert_eq!(
        client.locate(ObjectId(2)).unwrap(),
        Some((MachineId(2), other.addr.clone()))
    );
    assert_eq!(
        client.locate(ObjectId(3)).unwrap(),
        Some((MachineId(1), seed.addr.clone()))
    );
    assert_eq!(client.locate(ObjectId(9)).unwrap(), None);
    let info = client.state(ObjectId(2)).unwrap().unwrap();
    assert_eq!(info.machine, MachineId(2));
    assert_eq!(
        info.inputs,
        1 + 1 + 3,
        "the introduction, one call of 2, three of 7"
    );
    assert!(client.state(ObjectId(1)).unwrap().is_err(), "obj1 is on m1");
}

#[test]
fn the_directory_and_objects_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let seed = start(dir.path(), 1, None);
    let other = start(dir.path(), 2, Some(&seed.addr));
    let (id, _) = Client::connect(&other.addr)
        .unwrap()
        .create(player(), None, GAS)
        .unwrap();
    assert_eq!(id.unwrap(), ObjectId(1));
    drop(other);
    drop(seed);

    // New ports: the nodes register again with the seed.
    let seed = start(dir.path(), 1, None);
    let other = start(dir.path(), 2, Some(&seed.addr));
    let mut client = Client::connect(&seed.addr).unwrap();
    let (machine, addr) = client.locate(ObjectId(1)).unwrap().unwrap();
    assert_eq!((machine, addr), (MachineId(2), other.addr.clone()));
    let (id, _) = client.create(player(), None, GAS).unwrap();
    assert_eq!(id.unwrap(), ObjectId(2), "the id counter went on");
    let mut driver = client.driver();
    driver.set_gas(GAS);
    driver
        .call(ObjectId(1), ObjectId(2).to_value())
        .expect("obj1 on the restarted m2 answers");
    let mut at_other = Client::connect(&other.addr).unwrap();
    assert_eq!(at_other.state(ObjectId(1)).unwrap().unwrap().inputs, 1);

    // A store belongs to its machine.
    drop(other);
    let wrong = Node::start(&NodeConfig {
        dir: dir.path().join("node2"),
        listen: "127.0.0.1:0".into(),
        machine: MachineId(3),
        seed: Some(seed.addr.clone()),
    });
    let err = wrong.err().expect("m3 cannot open m2's store").to_string();
    assert!(err.contains("machine m2's, not m3's"), "{err}");
}

/// Sends raw bytes and reads one framed answer.
fn raw(addr: &str, bytes: &[u8]) -> (TcpStream, Result<Message, String>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(bytes).unwrap();
    let answer = frame::read(&mut s)
        .map_err(|e| e.to_string())
        .and_then(|v| Message::from_value(&v));
    (s, answer)
}

fn framed(value: &DataValue) -> Vec<u8> {
    let bytes = codec::encode(value);
    let mut out = (bytes.len() as u32).to_be_bytes().to_vec();
    out.extend(bytes);
    out
}

fn refused(answer: Result<Message, String>) -> String {
    match answer {
        Ok(Message::Refused(reason)) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn garbage_oversize_frames_and_other_versions_are_refused_and_the_node_serves_on() {
    let dir = tempfile::tempdir().unwrap();
    let node = start(dir.path(), 1, None);

    let (mut s, answer) = raw(&node.addr, &[0, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef]);
    let reason = refused(answer);
    assert!(reason.contains("not a canonical value"), "{reason}");
    // The same connection goes on: its framing was kept.
    s.write_all(&framed(&Message::Hello.to_value())).unwrap();
    assert!(matches!(
        Message::from_value(&frame::read(&mut s).unwrap()),
        Ok(Message::Done(_))
    ));

    let (mut s, answer) = raw(&node.addr, &u32::MAX.to_be_bytes());
    let reason = refused(answer);
    assert!(reason.contains("longer than the cap"), "{reason}");
    let mut rest = Vec::new();
    assert_eq!(s.read_to_end(&mut rest).unwrap(), 0, "then it closes");

    let future = DataValue::tuple([DataValue::nat(VERSION + 1), DataValue::nat(0u8)]);
    let reason = refused(raw(&node.addr, &framed(&future)).1);
    assert!(reason.contains("protocol version 2"), "{reason}");

    let unknown = DataValue::tuple([DataValue::nat(VERSION), DataValue::nat(77u8)]);
    let reason = refused(raw(&node.addr, &framed(&unknown)).1);
    assert!(reason.contains("unknown message tag 77"), "{reason}");

    let answer = Message::Done(DataValue::unit()).to_value();
    let reason = refused(raw(&node.addr, &framed(&answer)).1);
    assert!(reason.contains("an answer, not a request"), "{reason}");

    // A call from a peer that does not fit: refused by the runtime, named.
    let call = Message::Call {
        call: avm_obj::remote::RemoteCall {
            object: ObjectId(1),
            input: DataValue::unit(),
            sender: None,
            depth: 5,
            gas: 10,
        },
        events: Trace::default(),
    };
    match raw(&node.addr, &framed(&call.to_value())).1 {
        Ok(Message::Return {
            result: Err((layer, message)),
            ..
        }) => {
            assert_eq!(layer, "object");
            assert!(message.contains("does not fit"), "{message}");
        }
        other => panic!("expected a failed Return, got {other:?}"),
    }

    // A peer that asks for more gas than a node gives runs on the node's cap.
    let (id, _) = Client::connect(&node.addr)
        .unwrap()
        .create(player(), None, GAS)
        .unwrap();
    let greedy = Message::Call {
        call: avm_obj::remote::RemoteCall {
            object: id.unwrap(),
            input: DataValue::nat(5u8),
            sender: None,
            depth: 0,
            gas: u64::MAX,
        },
        events: Trace::default(),
    };
    match raw(&node.addr, &framed(&greedy.to_value())).1 {
        Ok(Message::Return {
            result: Ok(_), gas, ..
        }) => assert!(gas < avm_node::link::MAX_GAS, "{gas}"),
        other => panic!("expected a Return, got {other:?}"),
    }

    // A peer that stops mid-frame, then one that says nothing: both let go.
    drop(raw_partial(&node.addr));
    let mut client = Client::connect(&node.addr).unwrap();
    assert_eq!(client.machine(), MachineId(1));
    assert_eq!(client.list().unwrap().len(), 1);
}

fn raw_partial(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(&[0, 0, 1, 0, 1, 2]).unwrap();
    s
}

#[test]
fn concurrent_drivers_take_turns_and_lose_no_call() {
    let dir = tempfile::tempdir().unwrap();
    let seed = start(dir.path(), 1, None);
    let other = start(dir.path(), 2, Some(&seed.addr));
    let (id, _) = Client::connect(&other.addr)
        .unwrap()
        .create(common::example("counter"), None, GAS)
        .unwrap();
    let id = id.unwrap();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let addr = seed.addr.clone();
            std::thread::spawn(move || {
                let mut driver = Client::connect(&addr).unwrap().driver();
                for _ in 0..10 {
                    driver.set_gas(GAS);
                    driver.call(id, DataValue::unit()).unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let info = Client::connect(&other.addr)
        .unwrap()
        .state(id)
        .unwrap()
        .unwrap();
    assert_eq!(info.inputs, 30);
    assert_eq!(info.state, [DataValue::nat(30u8)]);
}
