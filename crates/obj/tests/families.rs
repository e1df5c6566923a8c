//! The instruction families beyond the examples: introspection,
//! reflection (and its permission), reification, pure functions, machines
//! and controllers.

mod common;

use std::sync::{Arc, Mutex};

use avm_obj::native::native;
use avm_obj::runtime::Config;
use avm_obj::trace::Event;
use avm_obj::{
    AvmError, ControllerError, ControllerId, IntrospectError, MachineError, MachineId, ObjectHost,
    PureError, ReflectError, Runtime, Space, TxError,
};
use avm_vm::DataValue;
use common::{alu, registry, runtime};

const C1: ControllerId = ControllerId(1);
const C2: ControllerId = ControllerId(2);

fn privileged(space: &avm_obj::SpaceHandle) -> Runtime {
    let mut rt = Runtime::with_config(
        space.clone(),
        registry(),
        Config {
            allow_unsafe: true,
            ..Config::default()
        },
    );
    rt.register_native("echo", |host| host.input().map(Some));
    rt.set_gas(100_000);
    rt
}

#[test]
fn introspection_reads_the_frame_and_fails_at_the_top_level() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    rt.register_native("probe", move |host| {
        let ctx = host.reify_context()?;
        log.lock()
            .unwrap()
            .push((ctx.self_id, ctx.sender, ctx.input.clone(), host.receive()?));
        Ok(None)
    });
    let fwd = rt.create_obj(native("forwarder"), None).unwrap();
    let probe = rt.create_obj(native("probe"), None).unwrap();
    rt.call(fwd, probe.to_value()).unwrap();
    assert_eq!(rt.call(fwd, DataValue::nat(7u8)).unwrap(), None);
    let n = DataValue::nat(7u8);
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        &[(probe, Some(fwd), n.clone(), Some(n))]
    );
    assert_eq!(
        rt.self_id().unwrap_err(),
        AvmError::Introspect(IntrospectError::NoFrame("self"))
    );
    assert_eq!(rt.sender().unwrap_err().layer(), "introspection");
    assert_eq!(rt.receive().unwrap(), None);
    assert_eq!(rt.current_machine().unwrap(), MachineId::LOCAL);
}

#[test]
fn reflection_needs_the_permission_and_pays_per_object() {
    let space = Space::new().with_controller(C1).shared();
    let mut plain = runtime(&space);
    let a = plain.create_obj(native("echo"), Some(C1)).unwrap();
    plain.create_obj(native("echo"), None).unwrap();
    assert_eq!(
        plain.reflect(a).unwrap_err(),
        AvmError::Reflect(ReflectError::NotPermitted("reflect"))
    );
    assert!(plain.scry_meta(&|_| true).is_err());
    assert!(plain.reify_tx_state().is_err());

    let mut rt = privileged(&space);
    let meta = rt.reflect(a).unwrap().unwrap();
    assert_eq!((meta.object, meta.current_controller), (a, Some(C1)));
    let before = rt.gas_left();
    let owned = rt.scry_meta(&|m| m.current_controller == Some(C1)).unwrap();
    assert_eq!(owned.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![a]);
    assert_eq!(
        before - rt.gas_left(),
        avm_obj::gas::META + 2 * avm_obj::gas::SCAN_PER_OBJECT
    );
    let deep = rt.scry_deep(&|b, _| *b == native("echo")).unwrap();
    assert_eq!(deep.len(), 2);
    // Scanning stops when gas runs out.
    rt.set_gas(avm_obj::gas::META + avm_obj::gas::SCAN_PER_OBJECT);
    assert!(matches!(
        rt.scry_meta(&|_| true),
        Err(AvmError::OutOfGas { .. })
    ));
}

#[test]
fn reify_tx_state_shows_the_overlay() {
    let space = Space::new().with_controller(C1).shared();
    let mut rt = privileged(&space);
    rt.register_native("counter", common::counter);
    let c = rt.create_obj(native("counter"), Some(C1)).unwrap();
    assert_eq!(rt.reify_tx_state().unwrap(), None);
    let tx = rt.begin_tx(None).unwrap();
    rt.call(c, DataValue::unit()).unwrap();
    let fresh = rt.create_obj(native("echo"), None).unwrap();
    let st = rt.reify_tx_state().unwrap().unwrap();
    assert_eq!(
        (st.tx, st.writes, st.creates, st.observed),
        (tx, vec![c], vec![fresh], vec![c])
    );
    assert_eq!(rt.current_controller().unwrap(), Some(C1));
    assert_eq!(rt.get_controller(fresh).unwrap(), Some(C1));
    assert_eq!(rt.reify_constraints().unwrap(), Default::default());
    assert_eq!(
        rt.begin_tx(None).unwrap_err(),
        AvmError::Tx(TxError::AlreadyActive(tx))
    );
    assert_eq!(
        rt.commit_tx(avm_obj::TxId(99)).unwrap_err(),
        AvmError::Tx(TxError::NotFound {
            given: avm_obj::TxId(99),
            active: tx
        })
    );
    assert!(rt.commit_tx(tx).unwrap());
    assert_eq!(
        rt.commit_tx(tx).unwrap_err(),
        AvmError::Tx(TxError::AlreadyCommitted(tx))
    );
    assert_eq!(
        rt.abort_tx(avm_obj::TxId(99)).unwrap_err(),
        AvmError::Tx(TxError::NoActiveTx)
    );
}

/// a64[0] := a64[0] + a64[1]; stop
const ADD: &str = ".entry main\nmain:\n    add.uc a64[0], a64[0], a64[1]\n    stop\n";
/// a64[0] := a64[0] * a64[1]; stop
const MUL: &str = ".entry main\nmain:\n    mul.uc a64[0], a64[0], a64[1]\n    stop\n";

#[test]
fn pure_functions_are_named_versioned_and_hashed() {
    let space = Space::new().shared();
    let mut plain = runtime(&space);
    assert_eq!(
        plain.register_pure("f", alu(ADD)).unwrap_err(),
        AvmError::Pure(PureError::NotPermitted)
    );
    let mut rt = privileged(&space);
    let args = || vec![DataValue::nat(6u8), DataValue::nat(7u8)];
    assert_eq!(rt.call_pure("f", args()).unwrap(), None);
    assert!(rt.register_pure("f", alu(ADD)).unwrap());
    assert_eq!(
        rt.register_pure("f", alu(ADD)).unwrap_err(),
        AvmError::Pure(PureError::AlreadyRegistered("f".into()))
    );
    assert_eq!(
        rt.call_pure("f", args()).unwrap(),
        Some(DataValue::nat(13u8))
    );
    // Any runtime on the space sees it; updates bump the version.
    assert_eq!(
        plain.call_pure("f", args()).unwrap(),
        Some(DataValue::nat(13u8))
    );
    assert!(plain.update_pure("f", alu(MUL)).unwrap());
    assert_eq!(
        rt.call_pure("f", args()).unwrap(),
        Some(DataValue::nat(42u8))
    );
    assert_eq!(
        rt.update_pure("f", alu(MUL)).unwrap_err(),
        AvmError::Pure(PureError::VersionConflict {
            name: "f".into(),
            version: 1
        })
    );
    assert_eq!(
        rt.update_pure("g", alu(MUL)).unwrap_err(),
        AvmError::Pure(PureError::FunctionNotFound("g".into()))
    );
    let f = space.lock().pure("f").cloned().unwrap();
    assert_eq!((f.version, f.hash), (1, alu(MUL).content_id()));
    assert!(plain.trace().entries().iter().any(|e| matches!(
        &e.event,
        Event::FunctionUpdated { name, version: 1, .. } if name == "f"
    )));
}

#[test]
fn machines_teleport_move_and_fetch_outside_transactions() {
    let space = Space::new()
        .with_machine(MachineId(2))
        .with_controller(C1)
        .shared();
    let mut rt = runtime(&space);
    let o = rt.create_obj(native("echo"), Some(C1)).unwrap();
    assert_eq!(rt.get_machine(o).unwrap(), Some(MachineId::LOCAL));
    assert!(rt.move_object(o, MachineId(2)).unwrap());
    assert_eq!(rt.get_machine(o).unwrap(), Some(MachineId(2)));
    assert_eq!(
        rt.move_object(o, MachineId(3)).unwrap_err(),
        AvmError::Machine(MachineError::InvalidMachineTransfer {
            object: o,
            machine: MachineId(3)
        })
    );
    assert!(rt.fetch(o).unwrap());
    assert_eq!(rt.get_machine(o).unwrap(), Some(MachineId::LOCAL));
    assert!(rt.teleport(MachineId(2)).unwrap());
    assert_eq!(rt.current_machine().unwrap(), MachineId(2));
    assert_eq!(
        rt.teleport(MachineId(9)).unwrap_err(),
        AvmError::Machine(MachineError::Unreachable(MachineId(9)))
    );
    let tx = rt.begin_tx(None).unwrap();
    assert_eq!(
        rt.teleport(MachineId::LOCAL).unwrap_err(),
        AvmError::Machine(MachineError::TeleportDuringTx(MachineId::LOCAL))
    );
    assert_eq!(
        rt.fetch(o).unwrap_err(),
        AvmError::Tx(TxError::InvalidDuringTx("fetch"))
    );
    rt.abort_tx(tx).unwrap();
}

#[test]
fn controllers_transfer_and_freeze() {
    let space = Space::new()
        .with_controller(C1)
        .with_controller(C2)
        .shared();
    let mut rt = runtime(&space);
    let o = rt.create_obj(native("echo"), Some(C1)).unwrap();
    let free = rt.create_obj(native("echo"), None).unwrap();
    assert_eq!(rt.freeze(free).unwrap(), None);
    assert_eq!(rt.freeze(o).unwrap(), Some(true));
    assert_eq!(rt.freeze(avm_obj::ObjectId(999)).unwrap(), Some(false));

    // In a transaction, a transfer is staged and applied at commit.
    let tx = rt.begin_tx(Some(C1)).unwrap();
    assert!(rt.transfer_object(o, C2).unwrap());
    assert_eq!(rt.get_controller(o).unwrap(), Some(C2));
    assert_eq!(
        space.lock().object(o).unwrap().meta.current_controller,
        Some(C1)
    );
    assert!(rt.commit_tx(tx).unwrap());
    assert_eq!(
        space.lock().object(o).unwrap().meta.current_controller,
        Some(C2)
    );
    // Now o belongs to c2: a c1 transaction may not touch it.
    let tx = rt.begin_tx(Some(C1)).unwrap();
    assert!(matches!(
        rt.call(o, DataValue::unit()),
        Err(AvmError::Controller(
            ControllerError::CrossControllerTx { .. }
        ))
    ));
    rt.abort_tx(tx).unwrap();
    assert_eq!(
        rt.transfer_object(o, ControllerId(7)).unwrap_err(),
        AvmError::Controller(ControllerError::Unreachable(ControllerId(7)))
    );
    assert_eq!(
        space.lock().object(o).unwrap().meta.creating_controller,
        Some(C1)
    );
}

#[test]
fn errors_are_traced_once_with_their_layer() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let fwd = rt.create_obj(native("forwarder"), None).unwrap();
    rt.call(fwd, DataValue::nat(999u16)).unwrap();
    let err = rt.call(fwd, DataValue::unit()).unwrap_err();
    let errors: Vec<(String, String)> = rt
        .trace()
        .entries()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Error { layer, message } => Some((layer.clone(), message.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(errors, vec![("object".to_string(), err.to_string())]);
    assert_eq!(err.to_string(), "object obj999 does not exist");
    // The same failure again is a new event.
    rt.call(fwd, DataValue::unit()).unwrap_err();
    let count = rt
        .trace()
        .entries()
        .iter()
        .filter(|e| matches!(e.event, Event::Error { .. }))
        .count();
    assert_eq!(count, 2);
}
