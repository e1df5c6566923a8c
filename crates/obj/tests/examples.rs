//! The specification's examples, end to end, with native behaviours.

mod common;

use avm_obj::native::native;
use avm_obj::trace::Event;
use avm_obj::{AvmError, ControllerError, ControllerId, ObjectHost, ObjectId, Space, TxError};
use avm_vm::DataValue;
use common::{op, runtime};

const C1: ControllerId = ControllerId(1);
const C2: ControllerId = ControllerId(2);

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

#[test]
fn counter_counts_its_inputs() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let c = rt.create_obj(native("counter"), None).unwrap();
    for n in 1..=5 {
        assert_eq!(rt.call(c, DataValue::unit()).unwrap(), Some(nat(n)));
    }
    assert_eq!(rt.state_of(c).unwrap(), vec![nat(5)]);
    assert_eq!(rt.history_of(c).unwrap().len(), 5);
}

#[test]
fn echo_answers_the_most_recent_input() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let e = rt.create_obj(native("echo"), None).unwrap();
    assert_eq!(rt.call(e, nat(1)).unwrap(), Some(nat(1)));
    assert_eq!(
        rt.call(e, DataValue::string("hi")).unwrap(),
        Some(DataValue::string("hi"))
    );
}

#[test]
fn ping_pong_bounces_between_two_objects() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let ping = rt.create_obj(native("player"), None).unwrap();
    let pong = rt.create_obj(native("player"), None).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    rt.take_trace();
    assert_eq!(rt.call(ping, nat(4)).unwrap(), Some(nat(4)));
    // Messages alternate ping -> pong -> ping ... and return in reverse.
    let calls: Vec<(Option<ObjectId>, ObjectId)> = rt
        .trace()
        .entries()
        .iter()
        .filter_map(|e| match &e.event {
            Event::ObjectCalled { sender, callee, .. } => Some((*sender, *callee)),
            _ => None,
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            (None, ping),
            (Some(ping), pong),
            (Some(pong), ping),
            (Some(ping), pong),
            (Some(pong), ping)
        ]
    );
    assert_eq!(rt.trace().len(), 10);
    // As printed in docs/objects.md.
    let expected = "   0 ObjectCalled sender=#0:() callee=1 input=4
   1 ObjectCalled sender=#1:1 callee=2 input=3
   2 ObjectCalled sender=#1:2 callee=1 input=2
   3 ObjectCalled sender=#1:1 callee=2 input=1
   4 ObjectCalled sender=#1:2 callee=1 input=0
   5 ObjectReturned callee=1 sender=#1:2 output=#1:0
   6 ObjectReturned callee=2 sender=#1:1 output=#1:1
   7 ObjectReturned callee=1 sender=#1:2 output=#1:2
   8 ObjectReturned callee=2 sender=#1:1 output=#1:3
   9 ObjectReturned callee=1 sender=#0:() output=#1:4
";
    assert_eq!(rt.trace().to_string(), expected);
    assert!(
        matches!(rt.trace().entries()[9].event, Event::ObjectReturned { callee, sender: None, .. } if callee == ping)
    );
}

#[test]
fn a_transfer_between_two_accounts_commits_atomically() {
    let space = Space::new().with_controller(C1).shared();
    let mut rt = runtime(&space);
    let a = rt.create_obj(native("account"), Some(C1)).unwrap();
    let b = rt.create_obj(native("account"), Some(C1)).unwrap();
    rt.call(a, op(1, 100)).unwrap();

    let tx = rt.begin_tx(Some(C1)).unwrap();
    rt.call(a, op(2, 30)).unwrap();
    rt.call(b, op(1, 30)).unwrap();
    // Inside: the overlay shows the transfer; outside, nothing yet.
    assert_eq!(rt.state_of(a).unwrap(), vec![nat(70)]);
    assert_eq!(space.lock().object(a).unwrap().state, vec![nat(100)]);
    assert!(rt.commit_tx(tx).unwrap());
    assert_eq!(rt.state_of(a).unwrap(), vec![nat(70)]);
    assert_eq!(rt.state_of(b).unwrap(), vec![nat(30)]);

    // Withdrawing too much fails; aborting leaves both as they were.
    let tx = rt.begin_tx(Some(C1)).unwrap();
    rt.call(b, op(1, 500)).unwrap();
    let err = rt.call(a, op(2, 500)).unwrap_err();
    assert!(err.to_string().contains("cannot withdraw 500"), "{err}");
    rt.abort_tx(tx).unwrap();
    assert_eq!(rt.state_of(a).unwrap(), vec![nat(70)]);
    assert_eq!(rt.state_of(b).unwrap(), vec![nat(30)]);
    assert_eq!(
        rt.commit_tx(tx).unwrap_err(),
        AvmError::Tx(TxError::AlreadyAborted(tx))
    );
}

#[test]
fn the_second_of_two_conflicting_commits_fails_and_names_the_object() {
    let space = Space::new().with_controller(C1).shared();
    let mut first = runtime(&space);
    let mut second = runtime(&space);
    let c = first.create_obj(native("counter"), Some(C1)).unwrap();

    let t1 = first.begin_tx(Some(C1)).unwrap();
    first.call(c, DataValue::unit()).unwrap();
    let t2 = second.begin_tx(Some(C1)).unwrap();
    second.call(c, DataValue::unit()).unwrap();
    assert!(second.commit_tx(t2).unwrap());
    assert_eq!(
        first.commit_tx(t1).unwrap_err(),
        AvmError::Tx(TxError::Conflict { tx: t1, object: c })
    );
    // Only the committed increment is there, and the loser's tx is over.
    assert_eq!(first.state_of(c).unwrap(), vec![nat(1)]);
    assert_eq!(first.open_tx(), None);
    assert!(matches!(
        first.trace().entries().last().unwrap().event,
        Event::Error { .. }
    ));
}

#[test]
fn a_transaction_never_spans_two_controllers() {
    let space = Space::new()
        .with_controller(C1)
        .with_controller(C2)
        .shared();
    let mut rt = runtime(&space);
    let a = rt.create_obj(native("counter"), Some(C1)).unwrap();
    let b = rt.create_obj(native("counter"), Some(C2)).unwrap();
    // A deferred controller is bound by the first object touched.
    let tx = rt.begin_tx(None).unwrap();
    rt.call(a, DataValue::unit()).unwrap();
    let err = rt.call(b, DataValue::unit()).unwrap_err();
    assert_eq!(
        err,
        AvmError::Controller(ControllerError::CrossControllerTx {
            tx,
            object: b,
            object_controller: Some(C2),
            tx_controller: Some(C1),
        })
    );
    rt.abort_tx(tx).unwrap();
    assert_eq!(rt.state_of(a).unwrap(), Vec::<DataValue>::new());
    // An unknown controller is refused at begin.
    assert_eq!(
        rt.begin_tx(Some(ControllerId(9))).unwrap_err(),
        AvmError::Controller(ControllerError::Unreachable(ControllerId(9)))
    );
}

#[test]
fn running_out_of_gas_in_a_nested_call_aborts_and_says_where() {
    let space = Space::new().with_controller(C1).shared();
    let mut rt = runtime(&space);
    let spin = rt.create_obj(native("spinner"), Some(C1)).unwrap();
    let fwd = rt.create_obj(native("forwarder"), Some(C1)).unwrap();
    let count = rt.create_obj(native("counter"), Some(C1)).unwrap();
    rt.call(fwd, spin.to_value()).unwrap();

    rt.set_gas(10_000);
    let tx = rt.begin_tx(Some(C1)).unwrap();
    rt.call(count, DataValue::unit()).unwrap();
    let err = rt.call(fwd, nat(1)).unwrap_err();
    let AvmError::OutOfGas { site, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!((site.object, site.depth), (Some(spin), 2));
    assert_eq!(rt.gas_left(), 0);
    // The transaction is gone, and the counter's increment with it.
    assert_eq!(rt.open_tx(), None);
    assert_eq!(rt.state_of(count).unwrap(), Vec::<DataValue>::new());
    let events: Vec<&str> = rt
        .trace()
        .entries()
        .iter()
        .map(|e| e.event.name())
        .collect();
    assert_eq!(events.last(), Some(&"TransactionAborted"));
    assert_eq!(
        rt.abort_tx(tx).unwrap_err().to_string(),
        format!("out of gas at `abortTx` at the top level: it needs 10 more, 0 left")
    );
}

#[test]
fn destroyed_objects_are_gone_and_pending_creates_cancel() {
    let space = Space::new().with_controller(C1).shared();
    let mut rt = runtime(&space);
    let free = rt.create_obj(native("echo"), None).unwrap();
    assert_eq!(
        rt.destroy_obj(free).unwrap_err(),
        AvmError::Controller(ControllerError::HasNoController(free))
    );
    let owned = rt.create_obj(native("echo"), Some(C1)).unwrap();
    let tx = rt.begin_tx(Some(C1)).unwrap();
    let temp = rt.create_obj(native("echo"), None).unwrap();
    assert!(rt.destroy_obj(temp).unwrap());
    assert!(rt.destroy_obj(owned).unwrap());
    assert!(rt.call(owned, nat(1)).is_err());
    assert!(rt.commit_tx(tx).unwrap());
    assert!(space.lock().object(owned).is_none());
    assert!(space.lock().object(temp).is_none());
}
