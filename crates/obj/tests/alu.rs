//! Counter and ping-pong with behaviours written in Alu assembly, reaching
//! the runtime through the OBJ ISA extension.

mod common;

use avm_obj::trace::Event;
use avm_obj::{AvmError, ControllerId, ObjError, ObjectHost, Space};
use avm_vm::DataValue;
use common::{alu, runtime};

/// The counter (see the file).
const COUNTER: &str = include_str!("../../../examples/objects/counter.alu");

/// A ping-pong player (see the file).
const PLAYER: &str = include_str!("../../../examples/objects/player.alu");

#[test]
fn an_alu_counter_counts() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let c = rt.create_obj(alu(COUNTER), None).unwrap();
    for n in 1..=3u8 {
        assert_eq!(
            rt.call(c, DataValue::unit()).unwrap(),
            Some(DataValue::nat(n))
        );
    }
    assert_eq!(rt.state_of(c).unwrap(), vec![DataValue::nat(3u8)]);
}

#[test]
fn alu_players_play_ping_pong() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let ping = rt.create_obj(alu(PLAYER), None).unwrap();
    let pong = rt.create_obj(alu(PLAYER), None).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    rt.take_trace();
    let before = rt.gas_left();
    assert_eq!(
        rt.call(ping, DataValue::nat(6u8)).unwrap(),
        Some(DataValue::nat(6u8))
    );
    let called = rt
        .trace()
        .entries()
        .iter()
        .filter(|e| matches!(e.event, Event::ObjectCalled { .. }))
        .count();
    assert_eq!(called, 7);
    // Every hop is paid for from the one budget.
    assert!(before - rt.gas_left() > 7 * avm_obj::gas::CALL);
}

#[test]
fn a_native_and_an_alu_player_play_together() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let ping = rt
        .create_obj(avm_obj::native::native("player"), None)
        .unwrap();
    let pong = rt.create_obj(alu(PLAYER), None).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    assert_eq!(
        rt.call(ping, DataValue::nat(5u8)).unwrap(),
        Some(DataValue::nat(5u8))
    );
}

#[test]
fn alu_ping_pong_out_of_gas_names_the_object_and_depth() {
    let space = Space::new().with_controller(ControllerId(1)).shared();
    let mut rt = runtime(&space);
    let ping = rt.create_obj(alu(PLAYER), Some(ControllerId(1))).unwrap();
    let pong = rt.create_obj(alu(PLAYER), Some(ControllerId(1))).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    rt.set_gas(150);
    rt.begin_tx(None).unwrap();
    let err = rt.call(ping, DataValue::nat(30u8)).unwrap_err();
    let AvmError::OutOfGas { site, .. } = &err else {
        panic!("{err}");
    };
    assert!(site.depth >= 2, "{err}");
    assert_eq!(rt.open_tx(), None);
    // Written once, where it happened, then the abort.
    let tail: Vec<&str> = rt
        .trace()
        .entries()
        .iter()
        .map(|e| e.event.name())
        .collect();
    assert_eq!(tail.iter().filter(|n| **n == "ErrorOccurred").count(), 1);
    assert_eq!(tail.last(), Some(&"TransactionAborted"));
    assert_eq!(rt.gas_left(), 0);
}

#[test]
fn calls_nest_to_a_bounded_depth() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let ping = rt.create_obj(alu(PLAYER), None).unwrap();
    let pong = rt.create_obj(alu(PLAYER), None).unwrap();
    rt.call(ping, pong.to_value()).unwrap();
    rt.call(pong, ping.to_value()).unwrap();
    let err = rt.call(ping, DataValue::nat(100u8)).unwrap_err();
    assert!(
        matches!(err, AvmError::Obj(ObjError::CallTooDeep { limit: 32, .. })),
        "{err}"
    );
}

#[test]
fn an_alu_behaviour_without_the_extension_is_refused() {
    let space = Space::new().shared();
    let mut rt = avm_obj::Runtime::new(
        space,
        std::rc::Rc::new({
            let mut r = avm_vm::Registry::new();
            r.register(avm_alu::AluVm::new()).unwrap();
            r
        }),
    );
    rt.set_gas(1000);
    let c = rt.create_obj(alu(COUNTER), None).unwrap();
    let err = rt.call(c, DataValue::unit()).unwrap_err();
    assert!(err.to_string().contains("rejected the call"), "{err}");
}

/// Creates an object in a transaction of its own: the input is the
/// canonical encoding of the new object's behaviour; the output its id.
const FACTORY: &str = "
.isa OBJ
.entry main
main:
    ext 0xCB, x\"05\"        ; obegin a64[5]
    ext 0xC9, x\"0600\"      ; ocreate a64[6] := createObj(s[0])
    jif made
    ext 0xCD, x\"05\"        ; oabort a64[5]
    stop                    ; st0 is false: the call fails
made:
    ext 0xCC, x\"05\"        ; ocommit a64[5]
    mov a64[0], a64[6]
    stop
";

#[test]
fn an_alu_behaviour_creates_objects_in_its_own_transaction() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let factory = rt.create_obj(alu(FACTORY), None).unwrap();
    let echo = avm_vm::codec::encode(&avm_obj::native::native("echo"));
    let made = rt
        .call(factory, DataValue::bytes(echo.clone()))
        .unwrap()
        .and_then(|v| avm_obj::ObjectId::from_value(&v))
        .unwrap();
    assert_eq!(
        rt.call(made, DataValue::nat(5u8)).unwrap(),
        Some(DataValue::nat(5u8))
    );
    let names: Vec<&str> = rt
        .trace()
        .entries()
        .iter()
        .map(|e| e.event.name())
        .collect();
    assert_eq!(
        names[..6],
        [
            "ObjectCreated",
            "ObjectCalled",
            "TransactionStarted",
            "ObjectCreated",
            "TransactionCommitted",
            "ObjectReturned"
        ]
    );
    // Not a function: the create fails, the behaviour aborts, and the call
    // reports the create's error.
    let err = rt
        .call(
            factory,
            DataValue::bytes(avm_vm::codec::encode(&DataValue::unit())),
        )
        .unwrap_err();
    assert!(err.to_string().contains("needs a function value"), "{err}");
    assert_eq!(rt.open_tx(), None);
}

#[test]
fn an_alu_loop_runs_out_of_gas_and_says_where() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let spin = rt
        .create_obj(alu(".entry main\nmain:\n    jmp main\n"), None)
        .unwrap();
    rt.set_gas(1_000);
    let err = rt.call(spin, DataValue::unit()).unwrap_err();
    let AvmError::OutOfGas { site, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!((site.object, site.depth), (Some(spin), 1));
    assert_eq!(rt.gas_left(), 0);
}

#[test]
fn an_alu_function_that_is_not_a_program_is_refused_at_creation() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let junk = DataValue::Function {
        vm: avm_vm::VmId::ALU,
        code: b"not a library".to_vec(),
    };
    let err = rt.create_obj(junk, None).unwrap_err();
    assert!(
        matches!(&err, AvmError::Obj(ObjError::NotABehaviour(m)) if m.contains("not an Alu program")),
        "{err}"
    );
    assert_eq!(space.lock().objects().count(), 0);
    let other_vm = DataValue::Function {
        vm: avm_vm::VmId(77),
        code: vec![1, 2, 3],
    };
    let err = rt.create_obj(other_vm, None).unwrap_err();
    assert!(err.to_string().contains("VM 77"), "{err}");
}

#[test]
fn an_input_alu_cannot_take_is_named() {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let c = rt.create_obj(alu(COUNTER), None).unwrap();
    let err = rt.call(c, DataValue::bytes(vec![0; 70_000])).unwrap_err();
    assert!(
        matches!(&err, AvmError::Obj(ObjError::InvalidInput { reason, .. }) if reason.contains("65535 bytes")),
        "{err}"
    );
    assert!(!err.to_string().contains("used 0"), "{err}");
}
