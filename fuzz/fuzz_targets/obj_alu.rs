//! Any bytes are an Alu behaviour using the OBJ extension: the first byte
//! says how much of the rest is code (in 1/256ths), the remainder is the
//! data segment and, as a byte string, the call's input. A runtime with
//! the unsafe permission, two controllers, two machines and a few objects
//! runs it. Nothing panics, gas never exceeds the budget, no transaction
//! stays open after an abort, and the trace round-trips.
#![no_main]

use std::rc::Rc;

use avm_alu::Library;
use avm_obj::native::native;
use avm_obj::{alu, Config, ControllerId, MachineId, ObjectHost, Runtime, Space, Trace};
use avm_vm::DataValue;
use libfuzzer_sys::fuzz_target;

/// Small enough that every input runs in well under a millisecond.
const GAS: u64 = 20_000;

fuzz_target!(|input: &[u8]| {
    let Some((&split, rest)) = input.split_first() else {
        return;
    };
    let (code, data) = rest.split_at(rest.len() * usize::from(split) / 256);
    let Ok(lib) = Library::new(vec!["OBJ".into()], vec![], code.to_vec(), data.to_vec()) else {
        return;
    };
    let Ok(behaviour) = avm_alu::binding::function(&lib, []) else {
        return;
    };
    let space = Space::new()
        .with_controller(ControllerId(1))
        .with_controller(ControllerId(2))
        .with_machine(MachineId(1))
        .shared();
    let config = Config {
        allow_unsafe: true,
        ..Config::default()
    };
    let mut rt = Runtime::with_config(space, Rc::new(alu::registry()), config);
    rt.register_native("echo", |host| host.input().map(Some));
    rt.set_gas(GAS);
    rt.create_obj(native("echo"), Some(ControllerId(1)))
        .unwrap();
    rt.create_obj(native("echo"), None).unwrap();
    let Ok(me) = rt.create_obj(behaviour, None) else {
        return;
    };
    let _ = rt.call(me, DataValue::bytes(data.to_vec()));
    assert!(rt.gas_left() <= GAS);
    // A behaviour may leave a transaction open for its caller, even with no
    // gas left; the caller, given gas for it, can always abort it.
    if let Some(tx) = rt.open_tx() {
        rt.set_gas(GAS);
        rt.abort_tx(tx).unwrap();
        assert_eq!(rt.open_tx(), None);
    }
    let trace = rt.trace();
    assert_eq!(&Trace::decode(&trace.encode()).unwrap(), trace);
});
