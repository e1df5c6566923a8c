//! Nothing unbounded, nothing unreadable: creating an object costs gas by the size of its
//! behaviour, and a value the store or the trace could not read back is refused when it
//! arrives.

mod common;

use avm_obj::native::native;
use avm_obj::trace::Entry;
use avm_obj::{limits, AvmError, ObjError, ObjectHost, Space};
use avm_vm::{codec, DataValue};
use common::runtime;

#[test]
fn creating_an_object_costs_gas_by_the_behaviours_size() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    rt.set_gas(1_000_000);
    rt.create_obj(native("echo"), None).unwrap();
    let small = 1_000_000 - rt.gas_left();
    rt.set_gas(1_000_000);
    rt.create_obj(native(&"x".repeat(50_000)), None).unwrap();
    let large = 1_000_000 - rt.gas_left();
    assert!(small < 100 && large > 50_000, "{small} then {large}");
    // A budget smaller than the behaviour creates nothing.
    rt.set_gas(10_000);
    let before = space.lock().objects().count();
    let err = rt
        .create_obj(native(&"x".repeat(50_000)), None)
        .unwrap_err();
    assert!(matches!(err, AvmError::OutOfGas { .. }), "{err}");
    assert_eq!(space.lock().objects().count(), before);
}

fn nested(depth: usize) -> DataValue {
    (1..depth).fold(DataValue::unit(), |v, _| DataValue::tuple([v]))
}

#[test]
fn a_message_too_deep_for_the_trace_is_refused_at_the_call() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let echo = rt.create_obj(native("echo"), None).unwrap();
    let deepest = codec::Limits::default().max_depth - limits::WRAP_DEPTH;
    // The deepest message the limits allow: its trace entries decode.
    rt.take_trace();
    rt.call(echo, nested(deepest)).unwrap();
    for entry in rt.trace().entries() {
        let bytes = codec::encode(&entry.to_value());
        let back = codec::decode(&bytes).expect("a trace entry decodes");
        assert_eq!(Entry::from_value(&back).unwrap(), *entry);
    }
    // One level deeper (the parser's limit, say) is refused, and nothing of it kept.
    let err = rt.call(echo, nested(deepest + 1)).unwrap_err();
    assert!(
        matches!(&err, AvmError::Obj(ObjError::TooLarge { what, .. }) if what.contains("input")),
        "{err}"
    );
    assert_eq!(rt.history_of(echo).unwrap().len(), 1);
}

#[test]
fn a_state_too_large_to_store_is_refused() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    rt.register_native("hoarder", |host| {
        let big = DataValue::bytes(vec![0; limits::STATE.bytes + 1]);
        host.set_state(vec![big])?;
        Ok(None)
    });
    let hoarder = rt.create_obj(native("hoarder"), None).unwrap();
    let err = rt.call(hoarder, DataValue::unit()).unwrap_err();
    assert!(
        matches!(&err, AvmError::Obj(ObjError::TooLarge { what, .. }) if what.contains("state")),
        "{err}"
    );
    assert!(rt.state_of(hoarder).unwrap().is_empty());
}
