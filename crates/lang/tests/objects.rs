//! The counter and ping-pong objects written in Alma, run by the object
//! runtime through the OBJ extension, as the assembly versions are in
//! crates/obj/tests/alu.rs.

use std::rc::Rc;

use avm_obj::{ControllerId, ObjectHost, Runtime, Space};
use avm_vm::DataValue;

fn behaviour(file: &str) -> DataValue {
    let path = format!("{}/../../examples/lang/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(path).unwrap();
    avm_lang::compile(file, &source)
        .unwrap_or_else(|d| panic!("{}", avm_lang::render_all(&d, &source)))
        .function
}

fn runtime(space: &avm_obj::SpaceHandle) -> Runtime {
    let mut rt = Runtime::new(space.clone(), Rc::new(avm_obj::alu::registry()));
    rt.set_gas(1_000_000);
    rt
}

#[test]
fn the_counter_counts() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let c = rt.create_obj(behaviour("counter.alma"), None).unwrap();
    for n in 1..=3u8 {
        assert_eq!(
            rt.call(c, DataValue::unit()).unwrap(),
            Some(DataValue::nat(n))
        );
    }
    assert_eq!(rt.state_of(c).unwrap(), vec![DataValue::nat(3u8)]);
}

#[test]
fn players_play_ping_pong() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let ping = rt.create_obj(behaviour("player.alma"), None).unwrap();
    let pong = rt.create_obj(behaviour("player.alma"), None).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    assert_eq!(
        rt.call(ping, DataValue::nat(6u8)).unwrap(),
        Some(DataValue::nat(6u8))
    );
}

#[test]
fn a_transaction_form_commits_and_self_is_the_callee() {
    let source = "
        (define (main)
          (let ((ok (tx 1 (state-set! 0 (self)))))
            (if ok (state-get 0) 0)))";
    let f = avm_lang::compile("tx.alma", source).unwrap().function;
    let space = Space::new().with_controller(ControllerId(1)).shared();
    let mut rt = runtime(&space);
    let o = rt.create_obj(f, Some(ControllerId(1))).unwrap();
    assert_eq!(rt.call(o, DataValue::unit()).unwrap(), Some(o.to_value()));
}

#[test]
fn a_factory_creates_objects_from_the_behaviour_it_is_sent() {
    // A function value sent as a message arrives in s[0] as its canonical encoding.
    let factory = avm_lang::compile("factory.alma", "(define (main (b bytes)) (create b))")
        .unwrap()
        .function;
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let f = rt.create_obj(factory, None).unwrap();
    let made = rt.call(f, behaviour("counter.alma")).unwrap().unwrap();
    let counter = avm_obj::ObjectId(made.as_u64().unwrap());
    assert_ne!(counter, f);
    assert_eq!(
        rt.call(counter, DataValue::unit()).unwrap(),
        Some(DataValue::nat(1u8))
    );
}
