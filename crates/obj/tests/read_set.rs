//! Every read a transaction's outcome can depend on is in its read set, metadata reads and
//! scans included: with two runtimes over one space, a transaction that read an object's
//! controller, machine or metadata, or scanned every object, fails to commit when another
//! commit changed what it read (or added an object its scan did not see), so no write skew.

mod common;

use avm_obj::error::TxError;
use avm_obj::native::native;
use avm_obj::{
    AvmError, Config, ControllerId, MachineId, ObjectHost, ObjectId, Runtime, Space, SpaceHandle,
};
use avm_vm::DataValue;

const C1: ControllerId = ControllerId(1);
const C2: ControllerId = ControllerId(2);
const M2: MachineId = MachineId(2);

/// A runtime that may reflect and scan.
fn runtime(space: &SpaceHandle) -> Runtime {
    let config = Config {
        allow_unsafe: true,
        ..Config::default()
    };
    let mut rt = Runtime::with_config(space.clone(), common::registry(), config);
    rt.register_native("counter", common::counter);
    rt.set_gas(1_000_000);
    rt
}

/// Two runtimes over one space with two controllers and two machines, and two counters
/// `a` and `b` of C1.
fn two_clients() -> (Runtime, Runtime, ObjectId, ObjectId) {
    let space = Space::new()
        .with_controller(C1)
        .with_controller(C2)
        .with_machine(M2)
        .shared();
    let mut first = runtime(&space);
    let second = runtime(&space);
    let a = first.create_obj(native("counter"), Some(C1)).unwrap();
    let b = first.create_obj(native("counter"), Some(C1)).unwrap();
    (first, second, a, b)
}

/// The first runtime reads with `read` in a transaction and writes `b` on what it saw; the
/// second changes with `change` and commits first; the first commit must then fail with a
/// conflict naming `on`, and `b` keep its state.
fn write_skew(
    read: impl Fn(&mut Runtime, ObjectId),
    change: impl Fn(&mut Runtime, ObjectId) -> ObjectId,
) {
    let (mut first, mut second, a, b) = two_clients();
    let t1 = first.begin_tx(Some(C1)).unwrap();
    read(&mut first, a);
    first.call(b, DataValue::unit()).unwrap();
    let on = change(&mut second, a);
    assert_eq!(
        first.commit_tx(t1).unwrap_err(),
        AvmError::Tx(TxError::Conflict { tx: t1, object: on })
    );
    assert!(first.state_of(b).unwrap().is_empty());
}

/// A transfer committed in a transaction of the second runtime.
fn transfer(rt: &mut Runtime, a: ObjectId) -> ObjectId {
    let tx = rt.begin_tx(Some(C1)).unwrap();
    assert!(rt.transfer_object(a, C2).unwrap());
    assert!(rt.commit_tx(tx).unwrap());
    a
}

#[test]
fn get_controller_is_in_the_read_set() {
    write_skew(
        |rt, a| assert_eq!(rt.get_controller(a).unwrap(), Some(C1)),
        transfer,
    );
}

#[test]
fn get_machine_is_in_the_read_set() {
    write_skew(
        |rt, a| assert_eq!(rt.get_machine(a).unwrap(), Some(MachineId::LOCAL)),
        |rt, a| {
            assert!(rt.move_object(a, M2).unwrap());
            a
        },
    );
}

#[test]
fn reflect_and_freeze_are_in_the_read_set() {
    write_skew(
        |rt, a| assert_eq!(rt.reflect(a).unwrap().unwrap().current_controller, Some(C1)),
        transfer,
    );
    write_skew(
        |rt, a| assert_eq!(rt.freeze(a).unwrap(), Some(true)),
        transfer,
    );
}

#[test]
fn a_scan_reads_every_object_and_that_there_are_no_others() {
    write_skew(
        |rt, _| {
            assert_eq!(
                rt.scry_meta(&|m| m.current_controller == Some(C2))
                    .unwrap()
                    .len(),
                0
            )
        },
        transfer,
    );
    // A new object of C2, committed after the scan, would have been in its answer.
    write_skew(
        |rt, _| {
            assert_eq!(
                rt.scry_deep(&|_, m| m.current_controller == Some(C2))
                    .unwrap()
                    .len(),
                0
            )
        },
        |rt, _| rt.create_obj(native("counter"), Some(C2)).unwrap(),
    );
}

#[test]
fn reading_a_missing_object_is_in_the_read_set() {
    // The first runtime sees no object under the next id; the second then creates it.
    write_skew(
        |rt, a| assert_eq!(rt.get_machine(ObjectId(a.0 + 2)).unwrap(), None),
        |rt, _| rt.create_obj(native("counter"), None).unwrap(),
    );
}

/// Reads that nothing changed commit, and what the transaction created or destroyed itself
/// is not read from the space.
#[test]
fn undisturbed_reads_commit() {
    let (mut first, mut second, a, b) = two_clients();
    let t1 = first.begin_tx(Some(C1)).unwrap();
    let mine = first.create_obj(native("counter"), None).unwrap();
    assert_eq!(first.get_controller(mine).unwrap(), Some(C1));
    assert_eq!(first.get_machine(a).unwrap(), Some(MachineId::LOCAL));
    assert_eq!(first.scry_meta(&|_| true).unwrap().len(), 3);
    first.call(b, DataValue::unit()).unwrap();
    // The second runtime changes an object the first never read.
    let other = second.create_obj(native("counter"), Some(C2)).unwrap();
    let t2 = second.begin_tx(Some(C2)).unwrap();
    second.call(other, DataValue::unit()).unwrap();
    assert!(second.commit_tx(t2).unwrap());
    // The first scanned before `other` existed: that is a conflict; without the scan, none.
    assert_eq!(
        first.commit_tx(t1).unwrap_err(),
        AvmError::Tx(TxError::Conflict {
            tx: t1,
            object: other
        })
    );
    let t1 = first.begin_tx(Some(C1)).unwrap();
    assert_eq!(first.get_controller(a).unwrap(), Some(C1));
    first.call(b, DataValue::unit()).unwrap();
    let t2 = second.begin_tx(Some(C2)).unwrap();
    second.call(other, DataValue::unit()).unwrap();
    assert!(second.commit_tx(t2).unwrap());
    assert!(first.commit_tx(t1).unwrap());
    assert_eq!(first.state_of(b).unwrap(), vec![DataValue::nat(1u8)]);
}

/// A pure function called (or found missing) in a transaction is read: another runtime's
/// update or registration before the commit is a conflict; the transaction's own is not.
#[test]
fn a_pure_function_called_is_in_the_read_set() {
    let double = |k: u64| {
        common::alu(&format!(
            ".entry main\nmain:\n    add.uc a64[0], a64[0], a64[0]\n    inc.uc a64[0], {k}\n    stop\n"
        ))
    };
    let (mut first, mut second, _, b) = two_clients();
    assert!(first.register_pure("f", double(1)).unwrap());
    for name in ["f", "g"] {
        let t1 = first.begin_tx(Some(C1)).unwrap();
        first.call_pure(name, vec![DataValue::nat(2u8)]).unwrap();
        first.call(b, DataValue::unit()).unwrap();
        match name {
            "f" => assert!(second.update_pure("f", double(2)).unwrap()),
            _ => assert!(second.register_pure("g", double(1)).unwrap()),
        }
        assert_eq!(
            first.commit_tx(t1).unwrap_err(),
            AvmError::Tx(TxError::PureConflict {
                tx: t1,
                name: name.into()
            })
        );
    }
    let t1 = first.begin_tx(Some(C1)).unwrap();
    assert_eq!(
        first.call_pure("f", vec![DataValue::nat(2u8)]).unwrap(),
        Some(DataValue::nat(6u8))
    );
    assert!(first.update_pure("f", double(3)).unwrap());
    first.call(b, DataValue::unit()).unwrap();
    assert!(first.commit_tx(t1).unwrap());
}
