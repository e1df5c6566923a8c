//! Every call is a savepoint: a nested call that fails leaves nothing of what it did (states
//! set, objects created, destroyed or transferred, inputs delivered, the calls it made that
//! succeeded), even when its caller goes on and succeeds; in a transaction and outside one,
//! in memory and in the store.

mod common;

use std::sync::{Arc, Mutex};

use avm_obj::native::native;
use avm_obj::{ControllerId, ObjError, ObjectHost, ObjectId, Runtime, Space, SpaceHandle};
use avm_store::MemStore;
use avm_vm::DataValue;
use common::runtime;

const C1: ControllerId = ControllerId(1);
const C2: ControllerId = ControllerId(2);

fn nat(n: u64) -> DataValue {
    DataValue::nat(n)
}

/// The error a behaviour fails with.
fn refusal(host: &mut dyn ObjectHost) -> avm_obj::AvmError {
    let me = host.self_id().unwrap_or(ObjectId(0));
    ObjError::RejectedCall {
        object: me,
        reason: "it changed its mind".into(),
    }
    .into()
}

/// A runtime with: `failing` (sets its state, creates an echo under its controller, calls
/// the object whose id is its input, then fails) and `tolerant` (calls the object whose id
/// is its input, ignores the failure, sets its own state and succeeds).
fn world(space: &SpaceHandle) -> Runtime {
    let mut rt = runtime(space);
    rt.register_native("failing", |host| {
        host.set_state(vec![nat(7)])?;
        host.create_obj(native("echo"), None)?;
        if let Some(callee) = host.input()?.as_u64() {
            host.call(ObjectId(callee), DataValue::unit())?;
        }
        Err(refusal(host))
    });
    rt.register_native("tolerant", |host| {
        let DataValue::Tuple(args) = host.input()? else {
            return Ok(None);
        };
        let (callee, arg) = (args[0].as_u64().unwrap_or(0), args[1].clone());
        let failed = host.call(ObjectId(callee), arg).is_err();
        host.set_state(vec![nat(u64::from(failed))])?;
        Ok(Some(nat(u64::from(failed))))
    });
    rt
}

fn args(callee: ObjectId, arg: DataValue) -> DataValue {
    DataValue::tuple([nat(callee.0), arg])
}

/// Outside a transaction: the failed call's state, its new object, its input and the
/// increment of the counter it called are gone; the caller's own effects stay, in memory
/// and in the store.
#[test]
fn a_failed_nested_call_leaves_nothing_when_its_caller_succeeds() {
    let store = Arc::new(Mutex::new(MemStore::new()));
    let space = Space::open(Arc::clone(&store)).unwrap().shared();
    let mut rt = world(&space);
    let counter = rt.create_obj(native("counter"), None).unwrap();
    let failing = rt.create_obj(native("failing"), None).unwrap();
    let tolerant = rt.create_obj(native("tolerant"), None).unwrap();
    let objects = space.lock().objects().count();
    let answer = rt.call(tolerant, args(failing, nat(counter.0))).unwrap();
    assert_eq!(answer, Some(nat(1)), "the nested call failed");
    assert_eq!(rt.state_of(tolerant).unwrap(), vec![nat(1)]);
    assert_eq!(rt.history_of(tolerant).unwrap().len(), 1);
    for gone in [failing, counter] {
        assert!(rt.state_of(gone).unwrap().is_empty(), "{gone}");
        assert!(rt.history_of(gone).unwrap().is_empty(), "{gone}");
    }
    assert_eq!(space.lock().objects().count(), objects, "the echo is gone");
    // The store holds what memory shows.
    drop(rt);
    let reloaded = Space::open(store).unwrap();
    assert_eq!(reloaded.objects().count(), objects);
    assert_eq!(reloaded.object(tolerant).unwrap().state, vec![nat(1)]);
    assert_eq!(reloaded.object(tolerant).unwrap().history.len(), 1);
    assert!(reloaded.object(failing).unwrap().state.is_empty());
    assert!(reloaded.object(counter).unwrap().history.is_empty());
}

/// In a transaction: what the failed call staged is dropped from the overlay before the
/// commit; the caller's effects commit.
#[test]
fn a_failed_nested_call_stages_nothing_in_the_open_transaction() {
    let space = Space::new().with_controller(C1).shared();
    let mut rt = world(&space);
    let counter = rt.create_obj(native("counter"), Some(C1)).unwrap();
    let failing = rt.create_obj(native("failing"), Some(C1)).unwrap();
    let tolerant = rt.create_obj(native("tolerant"), Some(C1)).unwrap();
    let objects = space.lock().objects().count();
    let tx = rt.begin_tx(Some(C1)).unwrap();
    rt.call(counter, DataValue::unit()).unwrap();
    rt.call(tolerant, args(failing, nat(counter.0))).unwrap();
    // A top-level call that fails inside the transaction stages nothing either.
    rt.call(failing, DataValue::unit()).unwrap_err();
    assert!(rt.commit_tx(tx).unwrap());
    assert_eq!(rt.state_of(counter).unwrap(), vec![nat(1)]);
    assert_eq!(rt.history_of(counter).unwrap().len(), 1);
    assert_eq!(rt.state_of(tolerant).unwrap(), vec![nat(1)]);
    assert!(rt.state_of(failing).unwrap().is_empty());
    assert!(rt.history_of(failing).unwrap().is_empty());
    assert_eq!(space.lock().objects().count(), objects);
}

/// Every kind of staged effect rolls back: a destroy, a transfer, the cancelling of a
/// create made before the call, state writes over earlier staged ones, inputs.
#[test]
fn every_staged_effect_of_a_failed_call_is_undone() {
    let space = Space::new()
        .with_controller(C1)
        .with_controller(C2)
        .shared();
    let mut rt = world(&space);
    let victim = rt.create_obj(native("counter"), Some(C1)).unwrap();
    let moved = rt.create_obj(native("counter"), Some(C1)).unwrap();
    let tolerant = rt.create_obj(native("tolerant"), Some(C1)).unwrap();
    let messy = rt.create_obj(native("messy"), Some(C1)).unwrap();
    let tx = rt.begin_tx(Some(C1)).unwrap();
    let pending = rt.create_obj(native("counter"), Some(C1)).unwrap();
    rt.call(pending, DataValue::unit()).unwrap();
    rt.call(moved, DataValue::unit()).unwrap();
    rt.register_native("messy", move |host| {
        host.destroy_obj(victim)?;
        host.transfer_object(moved, C2)?;
        host.call(moved, DataValue::unit())?;
        host.call(pending, DataValue::unit())?;
        host.transfer_object(pending, C2)?;
        host.destroy_obj(pending)?;
        Err(refusal(host))
    });
    assert_eq!(
        rt.call(tolerant, args(messy, DataValue::unit())).unwrap(),
        Some(nat(1))
    );
    assert!(rt.commit_tx(tx).unwrap());
    let space = space.lock();
    assert!(space.object(victim).is_some(), "the destroy is undone");
    let moved = space.object(moved).unwrap();
    assert_eq!(moved.meta.current_controller, Some(C1));
    assert_eq!(
        (moved.state.clone(), moved.history.len()),
        (vec![nat(1)], 1)
    );
    let pending = space.object(pending).expect("the cancelled create is back");
    assert_eq!(pending.meta.current_controller, Some(C1));
    assert_eq!(
        (pending.state.clone(), pending.history.len()),
        (vec![nat(1)], 1)
    );
    assert!(space.object(messy).unwrap().history.is_empty());
}

/// Through Alu: a behaviour whose `ocall` fails goes on (st0 tells it) and succeeds; the
/// failed callee's state and new object are gone.
#[test]
fn an_alu_caller_that_survives_a_failed_ocall_keeps_nothing_of_it() {
    let space = Space::new().shared();
    let mut rt = world(&space);
    let failing = rt.create_obj(native("failing"), None).unwrap();
    let caller = rt
        .create_obj(
            common::alu(&format!(
                ".isa OBJ\n.entry main\nmain:\n    put a64[1], {}\n    put a64[2], 0\n    \
                 ocall a64[3], a64[1], a64[2]\n    inv st0\n    put a64[2], 0\n    \
                 oset a64[2], a64[2]\n    stop\n",
                failing.0
            )),
            None,
        )
        .unwrap();
    let objects = space.lock().objects().count();
    rt.call(caller, nat(0)).unwrap();
    assert_eq!(rt.state_of(caller).unwrap(), vec![nat(0)]);
    assert!(rt.state_of(failing).unwrap().is_empty());
    assert!(rt.history_of(failing).unwrap().is_empty());
    assert_eq!(space.lock().objects().count(), objects);
}
